/* PIVOT and PIVOTSTRICT (spec e.12): the values of labeling GTS become
 * labels of the points of other GTS at the same ticks.
 *
 *   [gts..] [labeling gts..] PIVOT -> [gts..]
 *
 * Every labeling GTS gives a label named after its class whose value is
 * its value (as Java's String.valueOf writes it) at the tick considered.
 * The points of a GTS to label are spread over new GTS (same class and
 * attributes, its labels plus the pivot labels of their tick):
 *   - PIVOTSTRICT only keeps the ticks where every labeling GTS has a
 *     point; the other points are dropped.
 *   - PIVOT walks the union of the labeling ticks; a point gets the labels
 *     of the labeling GTS having a point at its tick, and a point at a
 *     tick where none has one keeps the GTS's own labels only.
 * The walk follows Warp 10's PIVOT.java step by step, including its corner
 * cases (a labeling GTS that ran out answers tick MINLONG and value
 * "null", which only matters for points at tick MINLONG). All inputs are
 * sorted in place, as Warp 10 does. The results come out in the order a
 * java.util.HashMap keyed by (class, labels) iterates them: by bucket of
 * the key's hashCode, then insertion order (bins of 9+ colliding keys in a
 * table of 64+ buckets, which Java turns into trees, are not modelled). */
#include "gts_words.h"

#include "../interp/numfmt.h"
#include "../interp/utf8.h"

#include <stdlib.h>
#include <string.h>

/* ---- Java hash codes ---- */

/* String.hashCode over the UTF-16 code units of a UTF-8 string. */
static uint32_t java_str_hash(const str *s)
{
    uint32_t h = 0;
    size_t i = 0;
    while (i < s->len) {
        size_t used = 0;
        uint32_t cp = utf8_decode(s->data + i, s->len - i, &used);
        i += used ? used : 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            h = h * 31u + (0xD800u + (cp >> 10));
            h = h * 31u + (0xDC00u + (cp & 0x3FFu));
        } else {
            h = h * 31u + cp;
        }
    }
    return h;
}

/* AbstractMap.hashCode: the sum of key.hashCode() ^ value.hashCode(). */
static uint32_t java_map_hash(const map *m)
{
    uint32_t h = 0;
    for (size_t i = 0; i < m->len; i++)
        h += java_str_hash(AS_STR(m->ents[i].key)) ^ java_str_hash(AS_STR(m->ents[i].val));
    return h;
}

static uint32_t java_spread(uint32_t h) { return h ^ (h >> 16); }

typedef struct hm_slot {
    uint32_t bucket;
    size_t index;
} hm_slot;

static int hm_cmp(const void *a, const void *b)
{
    const hm_slot *x = a, *y = b;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* The table size of a java.util.HashMap (default capacity and load factor)
 * after inserting keys of these hashCodes, in this order. */
static bool java_hashmap_capacity(exo_vm *vm, const uint32_t *hash, size_t n, size_t *cap_out)
{
    size_t cap = 16, thr = 12;
    uint32_t *count = vm_calloc(vm, cap * sizeof(uint32_t));
    if (!count)
        return false;
    for (size_t k = 0; k < n; k++) {
        uint32_t b = java_spread(hash[k]) & (uint32_t)(cap - 1);
        bool grow = count[b]++ >= 8 && cap < 64; /* treeifyBin resizes a small table */
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1)
                grow = k + 1 > thr;
            if (!grow)
                continue;
            uint32_t *nc = vm_calloc(vm, 2 * cap * sizeof(uint32_t));
            if (!nc) {
                vm_dealloc(vm, count, cap * sizeof(uint32_t));
                return false;
            }
            vm_dealloc(vm, count, cap * sizeof(uint32_t));
            cap *= 2;
            thr *= 2;
            count = nc;
            for (size_t j = 0; j <= k; j++)
                count[java_spread(hash[j]) & (uint32_t)(cap - 1)]++;
        }
    }
    vm_dealloc(vm, count, cap * sizeof(uint32_t));
    *cap_out = cap;
    return true;
}

/* ---- the labeled series ---- */

typedef struct target {
    gts *g;          /* the new series */
    uint32_t jhash;  /* hashCode of its key map {null: class, labels..} */
} target;

typedef struct pv_state {
    target *t;
    size_t n, cap;
    size_t *table; /* open addressing on jhash: target index + 1, 0 = empty */
    size_t tcap;
} pv_state;

static void pv_free(exo_vm *vm, pv_state *st, bool release)
{
    if (release)
        for (size_t i = 0; i < st->n; i++)
            val_release(vm, v_obj(T_GTS, st->t[i].g));
    vm_dealloc(vm, st->t, st->cap * sizeof(target));
    vm_dealloc(vm, st->table, st->tcap * sizeof(size_t));
}

static bool str_eq(value a, value b)
{
    return AS_STR(a)->len == AS_STR(b)->len && memcmp(AS_STR(a)->data, AS_STR(b)->data, AS_STR(a)->len) == 0;
}

/* True if m holds every entry of sub with the same value. */
static bool map_contains_all(const map *m, const map *sub)
{
    for (size_t i = 0; i < sub->len; i++) {
        value *v = map_get((map *)m, sub->ents[i].key);
        if (!v || !str_eq(*v, sub->ents[i].val))
            return false;
    }
    return true;
}

static bool pv_rehash(exo_vm *vm, pv_state *st, size_t ncap)
{
    size_t *nt = vm_calloc(vm, ncap * sizeof(size_t));
    if (!nt)
        return false;
    for (size_t i = 0; i < st->n; i++) {
        size_t s = java_spread(st->t[i].jhash) & (ncap - 1);
        while (nt[s])
            s = (s + 1) & (ncap - 1);
        nt[s] = i + 1;
    }
    vm_dealloc(vm, st->table, st->tcap * sizeof(size_t));
    st->table = nt;
    st->tcap = ncap;
    return true;
}

/* The series for the points of src carrying the pivot labels cur (which
 * share no name with src's labels), created on first use. NULL on OOM. */
static gts *pv_target(exo_vm *vm, pv_state *st, const gts *src, uint32_t src_hash, const map *cur, uint32_t cur_hash)
{
    uint32_t h = src_hash + cur_hash;
    if (st->tcap) {
        for (size_t s = java_spread(h) & (st->tcap - 1); st->table[s]; s = (s + 1) & (st->tcap - 1)) {
            target *t = &st->t[st->table[s] - 1];
            if (t->jhash == h && str_eq(t->g->cls, src->cls) && t->g->labels->len == src->labels->len + cur->len &&
                map_contains_all(t->g->labels, src->labels) && map_contains_all(t->g->labels, cur))
                return t->g;
        }
    }
    if (2 * (st->n + 1) > st->tcap && !pv_rehash(vm, st, st->tcap ? 2 * st->tcap : 16))
        return NULL;
    if (st->n == st->cap) {
        size_t ncap = st->cap ? 2 * st->cap : 8;
        target *nt = vm_realloc(vm, st->t, st->cap * sizeof(target), ncap * sizeof(target));
        if (!nt)
            return NULL;
        st->t = nt;
        st->cap = ncap;
    }
    gts *g = gts_new(vm);
    if (!g)
        return NULL;
    bool ok = gts_set_class(vm, g, AS_STR(src->cls)->data, AS_STR(src->cls)->len) &&
              gts_copy_map(vm, &g->labels, src->labels) && gts_copy_map(vm, &g->attrs, src->attrs);
    for (size_t i = 0; ok && i < cur->len; i++)
        ok = map_put(vm, g->labels, val_retain(cur->ents[i].key), val_retain(cur->ents[i].val));
    if (!ok) {
        val_release(vm, v_obj(T_GTS, g));
        return NULL;
    }
    st->t[st->n] = (target){g, h};
    size_t s = java_spread(h) & (st->tcap - 1);
    while (st->table[s])
        s = (s + 1) & (st->tcap - 1);
    st->table[s] = ++st->n;
    return g;
}

/* ---- the walk ---- */

/* GTSHelper.tickAtIndex: MINLONG past the end. */
static int64_t tick_at(const gts *g, size_t i) { return i < g->len ? g->ticks[i] : INT64_MIN; }

/* String.valueOf(GTSHelper.valueAtIndex(g, i)): "null" past the end. */
static value label_value(exo_vm *vm, const gts *g, size_t i)
{
    char buf[NUMFMT_MAX + 1];
    size_t n;
    if (i >= g->len)
        return str_new(vm, "null", 4);
    switch (g->type) {
    case GTS_LONG:
        n = fmt_long(g->v.l[i], buf);
        break;
    case GTS_DOUBLE:
        n = fmt_double(g->v.d[i], buf);
        break;
    case GTS_BOOLEAN:
        return g->v.b[i] ? str_new(vm, "true", 4) : str_new(vm, "false", 5);
    case GTS_STRING:
        return val_retain(v_obj(T_STRING, g->v.s[i]));
    default:
        return str_new(vm, "null", 4);
    }
    return str_new(vm, buf, n);
}

typedef struct pv_in {
    gts **lab, **ser;
    size_t nlab, nser;
    size_t *li, *si;     /* current indices */
    uint32_t *ser_hash;  /* hashCode of {null: class, labels..} of each series */
} pv_in;

/* Adds the points of ser[i] at tick ts (from index si[i] on) to the series
 * keyed by its labels plus cur. */
static bool add_run(exo_vm *vm, pv_state *st, pv_in *in, size_t i, int64_t ts, const map *cur, uint32_t cur_hash)
{
    gts *g = in->ser[i];
    gts *t = pv_target(vm, st, g, in->ser_hash[i], cur, cur_hash);
    if (!t)
        return false;
    while (in->si[i] < g->len && g->ticks[in->si[i]] == ts)
        if (!gts_add_from(vm, t, g, in->si[i]++))
            return false;
    return true;
}

static bool pivot_walk(exo_vm *vm, pv_state *st, pv_in *in, bool strict)
{
    map *none = map_new(vm, 0);
    if (!none)
        return false;
    bool ok = true, done = false;
    int64_t commonts = INT64_MAX;
    if (strict) {
        commonts = tick_at(in->lab[0], 0);
    } else {
        for (size_t i = 0; i < in->nlab; i++)
            if (tick_at(in->lab[i], 0) < commonts)
                commonts = tick_at(in->lab[i], 0);
    }
    while (ok && !done) {
        if (strict) { /* align every labeling series on commonts */
            bool skip = false;
            for (size_t i = 0; i < in->nlab && !skip; i++) {
                gts *g = in->lab[i];
                while (in->li[i] < g->len && g->ticks[in->li[i]] < commonts)
                    in->li[i]++;
                if (in->li[i] >= g->len) {
                    done = skip = true;
                } else if (g->ticks[in->li[i]] > commonts) {
                    commonts = g->ticks[in->li[i]];
                    skip = true;
                }
            }
            if (skip)
                continue;
        }
        /* the pivot labels at commonts */
        map *cur = map_new(vm, in->nlab);
        if (!cur) {
            ok = false;
            break;
        }
        uint32_t cur_hash = 0;
        for (size_t i = 0; ok && i < in->nlab; i++) {
            gts *g = in->lab[i];
            if (tick_at(g, in->li[i]) != commonts)
                continue;
            value v = label_value(vm, g, in->li[i]);
            ok = !val_is_oom(v) && map_put(vm, cur, val_retain(g->cls), v);
            if (ok)
                cur_hash += java_str_hash(AS_STR(g->cls)) ^ java_str_hash(AS_STR(v));
        }
        for (size_t i = 0; ok && i < in->nser; i++) {
            gts *g = in->ser[i];
            size_t n = g->len;
            if (strict) {
                while (in->si[i] < n && g->ticks[in->si[i]] < commonts)
                    in->si[i]++;
            } else if (in->si[i] < n && g->ticks[in->si[i]] < commonts) {
                /* points before commonts keep their own labels only */
                gts *t = pv_target(vm, st, g, in->ser_hash[i], none, 0);
                ok = t != NULL;
                while (ok && in->si[i] < n && g->ticks[in->si[i]] < commonts)
                    ok = gts_add_from(vm, t, g, in->si[i]++);
            }
            if (ok && in->si[i] < n && g->ticks[in->si[i]] == commonts)
                ok = add_run(vm, st, in, i, commonts, cur, cur_hash);
        }
        val_release(vm, v_obj(T_MAP, cur));
        if (!ok)
            break;
        if (strict) {
            if (++in->li[0] >= in->lab[0]->len)
                done = true;
            else
                commonts = in->lab[0]->ticks[in->li[0]];
        } else {
            int64_t next = INT64_MAX;
            done = true;
            for (size_t i = 0; i < in->nlab; i++) {
                gts *g = in->lab[i];
                if (in->li[i] < g->len) {
                    if (g->ticks[in->li[i]] == commonts)
                        in->li[i]++;
                    if (tick_at(g, in->li[i]) < next)
                        next = tick_at(g, in->li[i]);
                    done = false;
                }
            }
            for (size_t i = 0; done && i < in->nser; i++)
                if (in->si[i] < in->ser[i]->len)
                    done = false;
            commonts = next;
        }
    }
    val_release(vm, v_obj(T_MAP, none));
    return ok;
}

/* ---- the word ---- */

static bool w_pivot(exo_vm *vm, const word *w)
{
    bool strict = w->magic != 0;
    value top = *vm_peek(vm, 0);
    if (top.type != T_LIST || !AS_LIST(top)->len)
        return vm_fail(vm, "%s expects a non empty list of labeling Geo Time Series.", w->name);
    list *lab = AS_LIST(top);
    for (size_t i = 0; i < lab->len; i++) {
        value v = lab->items[i];
        if (v.type != T_GTS)
            return vm_fail(vm, "%s expects a list of labeling Geo Time Series.", w->name);
        if (!AS_GTS(v)->len)
            return vm_fail(vm, "%s expects labeling Geo Time Series to be non empty.", w->name);
        for (size_t j = 0; j < i; j++)
            if (str_eq(AS_GTS(lab->items[j])->cls, AS_GTS(v)->cls))
                return vm_fail(vm, "%s labeling Geo Time Series must all have different class names.", w->name);
    }
    value second = *vm_peek(vm, 1);
    if (second.type != T_LIST || !AS_LIST(second)->len)
        return vm_fail(vm, "%s operates on a non empty list of Geo Time Series.", w->name);
    list *ser = AS_LIST(second);
    for (size_t i = 0; i < ser->len; i++) {
        value v = ser->items[i];
        if (v.type != T_GTS)
            return vm_fail(vm, "%s operates on a list of Geo Time Series.", w->name);
        gts *g = AS_GTS(v);
        if (!g->len)
            return vm_fail(vm, "%s operates on non empty Geo Time Series.", w->name);
        for (size_t k = 0; k < g->labels->len; k++)
            for (size_t j = 0; j < lab->len; j++)
                if (str_eq(g->labels->ents[k].key, AS_GTS(lab->items[j])->cls))
                    return vm_fail(vm, "%s labeling class '%s' is already a label of a Geo Time Series to label.",
                                   w->name, AS_STR(g->labels->ents[k].key)->data);
    }

    pv_in in = {.nlab = lab->len, .nser = ser->len};
    size_t nbytes = (in.nlab + in.nser) * (sizeof(gts *) + sizeof(size_t)) + in.nser * sizeof(uint32_t);
    char *mem = vm_calloc(vm, nbytes);
    if (!mem)
        return false;
    in.lab = (gts **)mem;
    in.ser = in.lab + in.nlab;
    in.li = (size_t *)(in.ser + in.nser);
    in.si = in.li + in.nlab;
    in.ser_hash = (uint32_t *)(in.si + in.nser);
    for (size_t i = 0; i < in.nlab; i++)
        in.lab[i] = AS_GTS(lab->items[i]);
    for (size_t i = 0; i < in.nser; i++) {
        in.ser[i] = AS_GTS(ser->items[i]);
        in.ser_hash[i] = java_str_hash(AS_STR(in.ser[i]->cls)) + java_map_hash(in.ser[i]->labels);
    }

    pv_state st = {0};
    bool ok = true;
    for (size_t i = 0; ok && i < in.nser; i++)
        ok = gts_sort(vm, in.ser[i], false);
    for (size_t i = 0; ok && i < in.nlab; i++)
        ok = gts_sort(vm, in.lab[i], false);
    ok = ok && pivot_walk(vm, &st, &in, strict);

    /* HashMap iteration order */
    list *out = NULL;
    uint32_t *hashes = ok && st.n ? vm_alloc(vm, st.n * sizeof(uint32_t)) : NULL;
    hm_slot *slots = hashes ? vm_alloc(vm, st.n * sizeof(hm_slot)) : NULL;
    ok = ok && (!st.n || slots);
    size_t cap = 16;
    if (ok) {
        for (size_t i = 0; i < st.n; i++)
            hashes[i] = st.t[i].jhash;
        ok = java_hashmap_capacity(vm, hashes, st.n, &cap);
    }
    if (ok && st.n > vm->limits.maxlist)
        ok = vm_limit(vm, "List size %zu would exceed the limit of %llu (maxlist).", st.n,
                      (unsigned long long)vm->limits.maxlist);
    out = ok ? list_new(vm, st.n) : NULL;
    ok = ok && out;
    if (ok) {
        for (size_t i = 0; i < st.n; i++)
            slots[i] = (hm_slot){java_spread(st.t[i].jhash) & (uint32_t)(cap - 1), i};
        if (st.n > 1)
            qsort(slots, st.n, sizeof(hm_slot), hm_cmp);
        for (size_t i = 0; i < st.n; i++)
            list_push(vm, out, v_obj(T_GTS, st.t[slots[i].index].g)); /* reserved */
    }
    if (slots)
        vm_dealloc(vm, slots, st.n * sizeof(hm_slot));
    if (hashes)
        vm_dealloc(vm, hashes, st.n * sizeof(uint32_t));
    pv_free(vm, &st, !ok);
    vm_dealloc(vm, mem, nbytes);
    if (!ok)
        return false;
    return gw_replace(vm, 2, v_obj(T_LIST, out));
}

static const word pivot_words[] = {
    EXO_WORD("PIVOT", w_pivot, 2, "[gts..] [labeling gts..] -- [gts..]",
             "Labels the points with the values the labeling GTS have at their tick (class = label name)."),
    EXO_WORD_MAGIC("PIVOTSTRICT", w_pivot, 2, "[gts..] [labeling gts..] -- [gts..]",
                   "PIVOT keeping only the ticks where every labeling GTS has a value.", 1),
};

EXO_FAMILY(pivot, pivot_words)
