/* Fuzz target: arbitrary bytes as a GTSWrapper (UNWRAP, UNWRAPSIZE) and as
 * bare encoder records. Whatever decodes must WRAP and UNWRAP back to the
 * same GTS (compared as JSON). */
#include "gts.h"
#include "json.h"
#include "vm.h"
#include "wrap.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(exo_vm *vm, gts *g)
{
    sbuf w;
    sb_init(&w, vm);
    gts *back = NULL;
    if (wrap_gts(vm, &w, g, WRAP_COMPRESS) && unwrap_gts(vm, (const uint8_t *)w.p, w.len, true, "UNWRAP", &back)) {
        sbuf a, b;
        sb_init(&a, vm);
        sb_init(&b, vm);
        json_write(vm, &a, v_obj(T_GTS, g), false);
        json_write(vm, &b, v_obj(T_GTS, back), false);
        if (!a.failed && !b.failed && (a.len != b.len || memcmp(a.p, b.p, a.len) != 0))
            __builtin_trap(); /* WRAP then UNWRAP changed the GTS */
        sb_free(&a);
        sb_free(&b);
        val_release(vm, v_obj(T_GTS, back));
    }
    sb_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exo_config cfg;
    exo_config_init(&cfg);
    cfg.limits.maxmemory = 64u << 20;
    exo_vm *vm = exo_vm_new(&cfg);
    if (!vm)
        return 0;
    gts *g = NULL;
    if (unwrap_gts(vm, data, size, true, "UNWRAP", &g)) {
        roundtrip(vm, g);
        val_release(vm, v_obj(T_GTS, g));
    }
    int64_t count;
    (void)unwrap_count(vm, data, size, "UNWRAPSIZE", &count);
    g = gts_new(vm);
    if (g) {
        if (gtsenc_decode(vm, g, data, size, 0, "UNWRAP"))
            roundtrip(vm, g);
        val_release(vm, v_obj(T_GTS, g));
    }
    exo_vm_free(vm);
    return 0;
}
