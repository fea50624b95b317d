/* Fuzz target: JSON-> on arbitrary text, then ->JSON of what it gave. */
#include "json.h"
#include "vm.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exo_config cfg;
    exo_config_init(&cfg);
    cfg.limits.maxmemory = 64u << 20;
    exo_vm *vm = exo_vm_new(&cfg);
    if (!vm)
        return 0;
    value v;
    if (json_parse(vm, (const char *)data, size, &v)) {
        sbuf b;
        sb_init(&b, vm);
        json_write(vm, &b, v, false);
        sb_free(&b);
        val_release(vm, v);
    }
    exo_vm_free(vm);
    return 0;
}
