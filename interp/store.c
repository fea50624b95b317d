/* The per-VM store behind FETCH and FIND. Series are found by a hash of
 * class + labels in an open-addressing index, so lines of one series may
 * be spread over several files or chunks; the reader state (last series,
 * line number) carries over between calls with the same source name, so a
 * host may feed a big file in chunks of whole lines. */
#include "store.h"
#include "alloc.h"
#include "vm.h"

#include <string.h>
#include <time.h>

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

uint64_t store_series_hash(const gts *g)
{
    uint64_t h = hash_bytes(AS_STR(g->cls)->data, AS_STR(g->cls)->len);
    uint64_t lh = 0;
    for (size_t i = 0; i < g->labels->len; i++) {
        const str *k = AS_STR(g->labels->ents[i].key), *v = AS_STR(g->labels->ents[i].val);
        uint64_t x = hash_bytes(k->data, k->len) * 31 + hash_bytes(v->data, v->len);
        lh += x ^ (x >> 29); /* a sum: label order does not matter */
    }
    return h ^ (lh * 0x9E3779B97F4A7C15ull);
}

static size_t find(gts_store *s, const gts *g, uint64_t h, bool *found)
{
    size_t m = s->icap - 1, i = (size_t)h & m;
    for (;;) {
        uint32_t e = s->index[i];
        if (!e) {
            *found = false;
            return i;
        }
        if (gts_same_series(s->series[e - 1], g)) {
            *found = true;
            return i;
        }
        i = (i + 1) & m;
    }
}

static bool rehash(exo_vm *vm, gts_store *s)
{
    size_t icap = s->icap ? s->icap * 2 : 64;
    uint32_t *idx = vm_calloc(vm, icap * sizeof(uint32_t));
    if (!idx)
        return false;
    vm_dealloc(vm, s->index, s->icap * sizeof(uint32_t));
    s->index = idx;
    s->icap = icap;
    for (size_t k = 0; k < s->n; k++) {
        bool found;
        size_t i = find(s, s->series[k], store_series_hash(s->series[k]), &found);
        s->index[i] = (uint32_t)k + 1;
    }
    return true;
}

/* Reader callback: the stored series with g's class and labels, or g. */
static bool on_series(exo_vm *vm, gts_reader *r, gts *g)
{
    gts_store *s = r->ctx;
    if ((s->n + 1) * 2 > s->icap && !rehash(vm, s))
        goto fail;
    bool found;
    size_t i = find(s, g, store_series_hash(g), &found);
    if (found) {
        gts *old = s->series[s->index[i] - 1];
        if (g->attrs->len && !gts_copy_map(vm, &old->attrs, g->attrs))
            goto fail;
        val_release(vm, v_obj(T_GTS, g));
        r->cur = old;
        return true;
    }
    if (s->n >= UINT32_MAX - 1) {
        vm_limit(vm, "The store cannot hold more than %u series.", UINT32_MAX - 1);
        goto fail;
    }
    if (!vm_grow(vm, (void **)&s->series, &s->cap, s->n + 1, sizeof(gts *)))
        goto fail;
    s->series[s->n++] = g;
    s->index[i] = (uint32_t)s->n;
    r->cur = g;
    return true;
fail:
    val_release(vm, v_obj(T_GTS, g));
    return false;
}

bool store_load(exo_vm *vm, const char *text, size_t len, const char *name)
{
    if (!vm->store) {
        vm->store = vm_calloc(vm, sizeof(gts_store));
        if (!vm->store)
            return false;
    }
    gts_store *s = vm->store;
    const char *src = vm_intern_file(vm, name ? name : "data");
    if (!src)
        return false;
    if (!s->reading || s->reader.prefix != src) {
        gts_reader_free(vm, &s->reader);
        int64_t now = INT64_MIN; /* empty and T-relative timestamps need the clock */
        if (vm->caps & EXO_CAP_CLOCK) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
        }
        gts_reader_init(&s->reader, src, now, on_series, s);
        s->reading = true;
    }
    return gts_read(vm, &s->reader, text, len);
}

void store_free(exo_vm *vm)
{
    gts_store *s = vm->store;
    if (!s)
        return;
    gts_reader_free(vm, &s->reader);
    vm_dealloc(vm, s->series, s->cap * sizeof(gts *));
    vm_dealloc(vm, s->index, s->icap * sizeof(uint32_t));
    vm_dealloc(vm, s, sizeof(gts_store));
    vm->store = NULL;
}

EXO_API exo_status exo_load_gts_text(exo_vm *vm, const char *text, size_t len, const char *name)
{
    if (!vm || (!text && len))
        return EXO_ERR_USAGE;
    vm_error_clear(vm);
    if (store_load(vm, text ? text : "", len, name))
        return EXO_OK;
    if (vm->err.code == EXO_OK)
        vm->err.code = EXO_ERR_RUNTIME;
    return vm->err.code;
}
