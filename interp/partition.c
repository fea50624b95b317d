/* Partitions of GTS by label values (see partition.h). One pass hashes
 * each series' key (an order-independent sum over its (name, value) pairs)
 * into an open-addressing table of classes, comparing keys exactly on a
 * hash match; a counting pass then lays the members out class by class.
 * Common labels are computed once per class by intersecting label maps. */
#include "partition.h"
#include "alloc.h"
#include "vm.h"

#include <string.h>

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x *= UINT64_C(0xc4ceb9fe1a85ec53);
    x ^= x >> 33;
    return x;
}

static inline value *label_get(const gts *g, value name) { return g->labels ? map_get(g->labels, name) : NULL; }

static uint64_t key_hash(const gts *g, const list *by)
{
    uint64_t h = 0;
    if (!by) {
        for (size_t i = 0; g->labels && i < g->labels->len; i++)
            h += mix64(val_hash(g->labels->ents[i].key) * 31 + val_hash(g->labels->ents[i].val));
        return h;
    }
    for (size_t i = 0; i < by->len; i++) {
        value *v = label_get(g, by->items[i]);
        if (v)
            h += mix64(val_hash(by->items[i]) * 31 + val_hash(*v));
    }
    return h;
}

static bool key_equal(const gts *a, const gts *b, const list *by)
{
    if (!by) {
        size_t na = a->labels ? a->labels->len : 0, nb = b->labels ? b->labels->len : 0;
        if (na != nb)
            return false;
        for (size_t i = 0; i < na; i++) {
            value *v = label_get(b, a->labels->ents[i].key);
            if (!v || !val_equals(*v, a->labels->ents[i].val, false))
                return false;
        }
        return true;
    }
    for (size_t i = 0; i < by->len; i++) {
        value *x = label_get(a, by->items[i]), *y = label_get(b, by->items[i]);
        if ((x == NULL) != (y == NULL) || (x && !val_equals(*x, *y, false)))
            return false;
    }
    return true;
}

map *labels_common(exo_vm *vm, map *const *ms, size_t n)
{
    const map *first = n ? ms[0] : NULL;
    size_t len = first ? first->len : 0;
    map *out = map_new(vm, len);
    if (!out)
        return NULL;
    if (len == 0)
        return out;
    uint8_t *keep = vm_alloc(vm, len);
    if (!keep) {
        val_release(vm, v_obj(T_MAP, out));
        return NULL;
    }
    memset(keep, 1, len);
    for (size_t j = 1; j < n; j++)
        for (size_t i = 0; i < len; i++) {
            if (!keep[i])
                continue;
            value *v = ms[j] ? map_get(ms[j], first->ents[i].key) : NULL;
            if (!v || !val_equals(*v, first->ents[i].val, false))
                keep[i] = 0;
        }
    bool ok = true;
    for (size_t i = 0; ok && i < len; i++)
        if (keep[i])
            ok = map_put(vm, out, val_retain(first->ents[i].key), val_retain(first->ents[i].val));
    vm_dealloc(vm, keep, len);
    if (!ok) {
        val_release(vm, v_obj(T_MAP, out));
        return NULL;
    }
    return out;
}

void partition_free(exo_vm *vm, fw_partition *p)
{
    for (size_t c = 0; c < p->nclasses; c++) {
        if (p->classes[c].labels)
            val_release(vm, v_obj(T_MAP, p->classes[c].labels));
        if (p->classes[c].coll_end)
            vm_dealloc(vm, p->classes[c].coll_end, p->classes[c].ncoll * sizeof(size_t));
    }
    if (p->classes)
        vm_dealloc(vm, p->classes, p->nclasses * sizeof(fw_class));
    if (p->members)
        vm_dealloc(vm, p->members, (p->nmembers ? p->nmembers : 1) * sizeof(gts *));
    memset(p, 0, sizeof *p);
}

/* Class of each series (class ids in order of first appearance). */
static bool classify(exo_vm *vm, gts *const *series, size_t n, const list *by, uint32_t *cls, size_t *ncls,
                     uint32_t **reps)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    uint32_t *table = vm_calloc(vm, cap * sizeof(uint32_t)); /* class id + 1 */
    uint64_t *hashes = vm_alloc(vm, (n ? n : 1) * sizeof(uint64_t));
    uint32_t *rep = vm_alloc(vm, (n ? n : 1) * sizeof(uint32_t)); /* first member of each class */
    if (!table || !hashes || !rep) {
        if (table)
            vm_dealloc(vm, table, cap * sizeof(uint32_t));
        if (hashes)
            vm_dealloc(vm, hashes, (n ? n : 1) * sizeof(uint64_t));
        if (rep)
            vm_dealloc(vm, rep, (n ? n : 1) * sizeof(uint32_t));
        return false;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = key_hash(series[i], by);
        hashes[i] = h;
        size_t s = (size_t)mix64(h) & (cap - 1);
        for (;;) {
            uint32_t c = table[s];
            if (c == 0) {
                table[s] = (uint32_t)k + 1;
                rep[k] = (uint32_t)i;
                cls[i] = (uint32_t)k++;
                break;
            }
            uint32_t r = rep[c - 1];
            if (hashes[r] == h && key_equal(series[r], series[i], by)) {
                cls[i] = c - 1;
                break;
            }
            s = (s + 1) & (cap - 1);
        }
    }
    vm_dealloc(vm, table, cap * sizeof(uint32_t));
    vm_dealloc(vm, hashes, (n ? n : 1) * sizeof(uint64_t));
    *ncls = k;
    *reps = rep;
    return true;
}

/* Fills each class's common labels. */
static bool class_labels(exo_vm *vm, fw_partition *p)
{
    size_t maxn = 1;
    for (size_t c = 0; c < p->nclasses; c++)
        maxn = p->classes[c].n > maxn ? p->classes[c].n : maxn;
    map **ms = vm_alloc(vm, maxn * sizeof(map *));
    if (!ms)
        return false;
    bool ok = true;
    for (size_t c = 0; ok && c < p->nclasses; c++) {
        fw_class *k = &p->classes[c];
        for (size_t i = 0; i < k->n; i++)
            ms[i] = fw_member(k, i)->labels;
        k->labels = labels_common(vm, ms, k->n);
        ok = k->labels != NULL;
    }
    vm_dealloc(vm, ms, maxn * sizeof(map *));
    return ok;
}

bool partition_build(exo_vm *vm, gts *const *series, size_t n, const list *bylabels, fw_partition *out)
{
    memset(out, 0, sizeof *out);
    if (n > UINT32_MAX - 1)
        return vm_limit(vm, "Too many Geo Time Series to partition.");
    uint32_t *cls = vm_alloc(vm, (n ? n : 1) * sizeof(uint32_t)), *rep = NULL;
    size_t ncls = 0;
    if (!cls)
        return false;
    if (!classify(vm, series, n, bylabels, cls, &ncls, &rep)) {
        vm_dealloc(vm, cls, (n ? n : 1) * sizeof(uint32_t));
        return false;
    }
    vm_dealloc(vm, rep, (n ? n : 1) * sizeof(uint32_t));
    out->classes = vm_calloc(vm, (ncls ? ncls : 1) * sizeof(fw_class));
    out->members = vm_alloc(vm, (n ? n : 1) * sizeof(gts *));
    out->nclasses = out->classes ? ncls : 0;
    out->nmembers = n;
    bool ok = out->classes && out->members;
    if (ok) {
        for (size_t i = 0; i < n; i++)
            out->classes[cls[i]].n++;
        size_t pos = 0;
        for (size_t c = 0; c < ncls; c++) {
            out->classes[c].start = pos;
            out->classes[c].part = out;
            pos += out->classes[c].n;
            out->classes[c].n = 0;
        }
        for (size_t i = 0; i < n; i++) {
            fw_class *k = &out->classes[cls[i]];
            out->members[k->start + k->n++] = series[i];
        }
        ok = class_labels(vm, out);
    }
    vm_dealloc(vm, cls, (n ? n : 1) * sizeof(uint32_t));
    if (!ok) {
        if (!out->classes)
            out->nclasses = 0;
        partition_free(vm, out);
    }
    return ok;
}

/* ---- APPLY / FILTER grouping ---- */

typedef struct ptr_set {
    const gts **keys;
    uint32_t *vals;
    size_t cap;
} ptr_set;

static size_t ptr_slot(const ptr_set *s, const gts *p)
{
    size_t i = (size_t)mix64((uint64_t)(uintptr_t)p) & (s->cap - 1);
    while (s->keys[i] && s->keys[i] != p)
        i = (i + 1) & (s->cap - 1);
    return i;
}

bool partition_collections(exo_vm *vm, gts *const *const *colls, const size_t *coll_len, size_t ncoll,
                           const list *bylabels, fw_partition *out)
{
    memset(out, 0, sizeof *out);
    size_t total = 0;
    bool multi = false;
    for (size_t i = 0; i < ncoll; i++)
        if (coll_len[i] > 1) {
            total += coll_len[i];
            multi = true;
        }
    if (!multi && ncoll)
        total = coll_len[0];
    ptr_set set = {0};
    set.cap = 16;
    while (set.cap < 2 * total)
        set.cap *= 2;
    set.keys = vm_calloc(vm, set.cap * sizeof(gts *));
    set.vals = vm_alloc(vm, set.cap * sizeof(uint32_t));
    gts **all = vm_alloc(vm, (total ? total : 1) * sizeof(gts *));
    fw_partition base = {0};
    bool ok = set.keys && set.vals && all;
    size_t nall = 0;
    /* the distinct series of the non-singleton collections, in order */
    for (size_t i = 0; ok && i < ncoll; i++) {
        if (multi ? coll_len[i] <= 1 : i > 0)
            continue;
        for (size_t j = 0; j < coll_len[i]; j++) {
            size_t s = ptr_slot(&set, colls[i][j]);
            if (!set.keys[s]) {
                set.keys[s] = colls[i][j];
                all[nall++] = colls[i][j];
            }
        }
    }
    ok = ok && partition_build(vm, all, nall, bylabels, &base);
    if (ok)
        for (size_t c = 0; c < base.nclasses; c++)
            for (size_t i = 0; i < base.classes[c].n; i++)
                set.vals[ptr_slot(&set, fw_member(&base.classes[c], i))] = (uint32_t)c;
    size_t nmem = 0;
    for (size_t i = 0; ok && i < ncoll; i++)
        nmem += coll_len[i] == 1 ? base.nclasses : coll_len[i];
    if (ok) {
        out->members = vm_alloc(vm, (nmem ? nmem : 1) * sizeof(gts *));
        out->nmembers = nmem;
        ok = out->members != NULL;
    }
    if (ok) {
        /* take over the classes and their labels */
        out->classes = base.classes;
        out->nclasses = base.nclasses;
        base.classes = NULL;
        base.nclasses = 0;
        size_t pos = 0;
        for (size_t c = 0; ok && c < out->nclasses; c++) {
            fw_class *k = &out->classes[c];
            k->part = out;
            k->start = pos;
            k->ncoll = ncoll;
            k->coll_end = vm_alloc(vm, ncoll * sizeof(size_t));
            if (!k->coll_end) {
                k->ncoll = 0;
                ok = false;
                break;
            }
            size_t n = 0;
            for (size_t i = 0; i < ncoll; i++) {
                if (coll_len[i] == 1) {
                    out->members[pos + n++] = colls[i][0];
                } else {
                    for (size_t j = 0; j < coll_len[i]; j++)
                        if (set.vals[ptr_slot(&set, colls[i][j])] == c)
                            out->members[pos + n++] = colls[i][j];
                }
                k->coll_end[i] = n;
            }
            k->n = n;
            pos += n;
        }
    }
    partition_free(vm, &base);
    if (set.keys)
        vm_dealloc(vm, set.keys, set.cap * sizeof(gts *));
    if (set.vals)
        vm_dealloc(vm, set.vals, set.cap * sizeof(uint32_t));
    if (all)
        vm_dealloc(vm, all, (total ? total : 1) * sizeof(gts *));
    if (!ok)
        partition_free(vm, out);
    return ok;
}
