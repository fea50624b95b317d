/* Fuzz target: the tokenizer alone, fed the input in two chunks (as the
 * REPL feeds lines), counting tokens without running anything. */
#include "vm.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool count_token(void *ctx, const token *t)
{
    (void)t;
    ++*(size_t *)ctx;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_vm *vm = exo_vm_new(&cfg);
    if (!vm)
        return 0;
    tokenizer t;
    tok_init(&t, vm);
    size_t n = 0, half = size / 2;
    if (tok_feed(&t, (const char *)data, half, count_token, &n))
        tok_feed(&t, (const char *)data + half, size - half, count_token, &n);
    tok_free(&t);
    exo_vm_free(vm);
    return 0;
}
