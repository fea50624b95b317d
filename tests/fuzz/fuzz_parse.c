/* Fuzz target: the GTS input-format parser (PARSE and --data loading), fed
 * arbitrary text through exo_load_gts_text; then FIND over what loaded. */
#include "exo.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exo_config cfg;
    exo_config_init(&cfg);
    cfg.limits.maxmemory = 64u << 20;
    exo_vm *vm = exo_vm_new(&cfg);
    if (!vm)
        return 0;
    if (exo_load_gts_text(vm, (const char *)data, size, "fuzz") == EXO_OK) {
        const char *find = "[ 't' '~.*' {} ] FIND SIZE";
        if (exo_eval(vm, find, 26, "find") != EXO_OK)
            abort();
    }
    exo_vm_free(vm);
    return 0;
}
