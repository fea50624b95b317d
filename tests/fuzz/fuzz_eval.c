/* Fuzz target: evaluates arbitrary text as a script under tight limits.
 * Whatever the input, evaluation must end with a status (never a crash,
 * hang or leak), and the VM must stay usable afterwards. */
#include "exo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exo_config cfg;
    exo_config_init(&cfg);
    cfg.limits.maxops = 20000;
    cfg.limits.maxloop = 200;
    cfg.limits.maxmemory = 64u << 20;
    cfg.limits.maxdepth = 10000;
    cfg.limits.maxrecursion = 64;
    cfg.limits.maxlist = 100000;
    cfg.limits.maxstring = 1u << 20;
    cfg.limits.maxbuckets = 100000;
    cfg.limits.maxpoints = 100000;
    cfg.capabilities = 0; /* no clock, no files */
    exo_vm *vm = exo_vm_new(&cfg);
    if (!vm)
        return 0;
    exo_eval(vm, (const char *)data, size, "fuzz");
    exo_stack_json(vm, NULL);
    exo_clear(vm); /* a limit error may leave a full stack: empty it, then the VM must work */
    if (exo_eval(vm, "1 1 +", 5, "after") != EXO_OK)
        abort();
    exo_vm_free(vm);
    return 0;
}
