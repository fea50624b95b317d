/* GTS words about order and time ranges: SORT and friends, DEDUP,
 * TIMECLIP, CLIP, MERGE, TIMESPLIT, TIMESHIFT, TIMEMODULO, TIMESCALE,
 * CROP, SHRINK, COMPACT, RANGECOMPACT, ONLYBUCKETS, FILLTICKS, COMMONTICKS, LASTSORT,
 * METASORT. SORT/RSORT/SHRINK sort in place; so do VALUEDEDUP, LASTSORT
 * and TIMECLIP's input ordering side effects in Warp 10 (we only keep the
 * ones a script can see: SORT, RSORT, VALUESORT, SHRINK, LASTSORT). The
 * others build new GTS with the input's metadata. */
#include "gts_words.h"
#include "../interp/timeutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sorting ---- */

/* SORT RSORT VALUESORT RVALUESORT: magic bit 0 = descending, bit 1 = by value. */
static bool w_sort(exo_vm *vm, const word *w)
{
    if (!gw_gts_or_list(vm, w, 1))
        return false;
    value t = *vm_peek(vm, 0);
    bool desc = w->magic & 1, byval = w->magic & 2;
    size_t ng = t.type == T_GTS ? 1 : AS_LIST(t)->len;
    for (size_t k = 0; k < ng; k++) {
        gts *g = t.type == T_GTS ? AS_GTS(t) : AS_GTS(AS_LIST(t)->items[k]);
        if (byval) {
            /* by value, ties by tick (the tick order is made first, the
             * value sort is stable); booleans are left alone, as in Warp 10 */
            if (g->type != GTS_BOOLEAN && (!gts_sort(vm, g, desc) || !gts_sort_by_value(vm, g, desc)))
                return false;
        } else if (!gts_sort(vm, g, desc)) {
            return false;
        }
    }
    return true;
}

/* Open-addressing set of ticks, for DEDUP and COMMONTICKS. */
typedef struct tickset {
    int64_t *keys;
    uint32_t *counts;
    uint8_t *used;
    size_t cap;
} tickset;

static bool ts_init(exo_vm *vm, tickset *s, size_t n)
{
    size_t cap = 16;
    while (cap < n * 2)
        cap *= 2;
    s->cap = cap;
    s->keys = vm_alloc(vm, cap * sizeof(int64_t));
    s->counts = s->keys ? vm_calloc(vm, cap * sizeof(uint32_t)) : NULL;
    s->used = s->counts ? vm_calloc(vm, cap) : NULL;
    if (!s->used) {
        vm_dealloc(vm, s->keys, s->keys ? cap * sizeof(int64_t) : 0);
        vm_dealloc(vm, s->counts, s->counts ? cap * sizeof(uint32_t) : 0);
        return false;
    }
    return true;
}

static void ts_free(exo_vm *vm, tickset *s)
{
    vm_dealloc(vm, s->keys, s->cap * sizeof(int64_t));
    vm_dealloc(vm, s->counts, s->cap * sizeof(uint32_t));
    vm_dealloc(vm, s->used, s->cap);
}

/* Slot of key (inserted if absent when add). NULL if absent and !add. */
static uint32_t *ts_slot(tickset *s, int64_t key, bool add, bool *fresh)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
    size_t m = s->cap - 1, i = (size_t)(h >> 17) & m;
    while (s->used[i]) {
        if (s->keys[i] == key) {
            if (fresh)
                *fresh = false;
            return &s->counts[i];
        }
        i = (i + 1) & m;
    }
    if (!add)
        return NULL;
    s->used[i] = 1;
    s->keys[i] = key;
    if (fresh)
        *fresh = true;
    return &s->counts[i];
}

/* DEDUP: keeps, for each tick, the last point added; order is kept. */
static bool dedup_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    (void)ctx;
    gts *c = gts_clone(vm, g, true);
    if (!c)
        return false;
    if (c->len > 1) {
        tickset s;
        uint8_t *keep = vm_alloc(vm, c->len);
        if (!keep || !ts_init(vm, &s, c->len)) {
            vm_dealloc(vm, keep, keep ? c->len : 0);
            val_release(vm, v_obj(T_GTS, c));
            return false;
        }
        for (size_t i = c->len; i-- > 0;) {
            bool fresh;
            ts_slot(&s, c->ticks[i], true, &fresh);
            keep[i] = fresh;
        }
        bool kept = gts_keep(vm, c, keep);
        ts_free(vm, &s);
        vm_dealloc(vm, keep, g->len);
        if (!kept) {
            val_release(vm, v_obj(T_GTS, c));
            return false;
        }
    }
    *out = v_obj(T_GTS, c);
    return true;
}

static bool w_map1(exo_vm *vm, const word *w, gw_map_fn fn, int nparams, void *ctx)
{
    if (!gw_gts_or_list(vm, w, nparams + 1))
        return false;
    value r;
    return gw_map(vm, w, nparams + 1, fn, ctx, &r) && gw_replace(vm, (size_t)nparams + 1, r);
}

static bool w_dedup(exo_vm *vm, const word *w) { return w_map1(vm, w, dedup_one, 0, NULL); }

/* VALUEDEDUP: one point per distinct value (the oldest with true, the most
 * recent with false), in value order; the input ends up sorted by value. */
static bool valuededup_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    bool first = *(bool *)ctx;
    if (g->type != GTS_BOOLEAN && (!gts_sort(vm, g, false) || !gts_sort_by_value(vm, g, false)))
        return false;
    gts *c = gts_clone(vm, g, false);
    if (!c)
        return false;
    c->bucketspan = c->bucketcount = c->lastbucket = 0;
    size_t i = 0;
    while (i < g->len) {
        size_t j = i;
        value vi = gts_value_at(g, i);
        for (;;) {
            if (j + 1 >= g->len)
                break;
            value vj = gts_value_at(g, j + 1);
            bool same = val_equals(vi, vj, false);
            val_release(vm, vj);
            if (!same)
                break;
            j++;
        }
        val_release(vm, vi);
        if (!gts_add_from(vm, c, g, first ? i : j)) {
            val_release(vm, v_obj(T_GTS, c));
            return false;
        }
        i = j + 1;
    }
    *out = v_obj(T_GTS, c);
    return true;
}

static bool w_valuededup(exo_vm *vm, const word *w)
{
    value f = *vm_peek(vm, 0);
    if (f.type != T_BOOLEAN)
        return vm_type_error(vm, w, 1, "a BOOLEAN");
    bool first = f.as.b;
    return w_map1(vm, w, valuededup_one, 1, &first);
}

/* ---- time ranges ---- */

/* Points with from <= tick <= to, in storage order; not bucketized. */
static gts *clip_range(exo_vm *vm, gts *g, int64_t from, int64_t to)
{
    gts *c = gts_clone(vm, g, false);
    if (!c)
        return NULL;
    c->bucketspan = c->bucketcount = c->lastbucket = 0;
    for (size_t i = 0; i < g->len; i++)
        if (g->ticks[i] >= from && g->ticks[i] <= to && !gts_add_from(vm, c, g, i)) {
            val_release(vm, v_obj(T_GTS, c));
            return NULL;
        }
    return c;
}

static bool timeclip_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    int64_t *r = ctx;
    gts *c = clip_range(vm, g, r[0], r[1]);
    if (!c)
        return false;
    *out = v_obj(T_GTS, c);
    return true;
}

/* A TIMECLIP bound: an ISO-8601 STRING (parsed as TOTIMESTAMP does) or a LONG. */
static bool timeclip_bound(exo_vm *vm, const word *w, int depth, int64_t *out, bool *iso)
{
    const value *v = vm_peek(vm, depth - 1);
    *iso = v->type == T_STRING;
    if (*iso)
        return tu_parse_iso(vm, w->name, AS_STR(*v)->data, AS_STR(*v)->len, out);
    return gw_long_arg(vm, w, depth, out);
}

/* gts end duration TIMECLIP: ticks in [end - duration + 1, end];
 * gts end start TIMECLIP with an ISO-8601 start: ticks in [start, end];
 * end may be an ISO-8601 STRING too. */
static bool w_timeclip(exo_vm *vm, const word *w)
{
    int64_t start, end;
    bool iso, end_iso;
    if (!timeclip_bound(vm, w, 1, &start, &iso) || !timeclip_bound(vm, w, 2, &end, &end_iso))
        return false;
    if (!iso)
        start = (int64_t)((uint64_t)end - (uint64_t)start + 1);
    int64_t r[2] = {start, end};
    return w_map1(vm, w, timeclip_one, 2, r);
}

static bool w_clip(exo_vm *vm, const word *w)
{
    value lv = *vm_peek(vm, 0);
    if (lv.type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST of [from to] pairs");
    list *lims = AS_LIST(lv);
    for (size_t i = 0; i < lims->len; i++) {
        value p = lims->items[i];
        if (p.type != T_LIST || AS_LIST(p)->len != 2 || !val_is_number(AS_LIST(p)->items[0]) ||
            !val_is_number(AS_LIST(p)->items[1]))
            return vm_fail(vm, "%s expects a LIST of [from to] pairs of numbers.", w->name);
    }
    gts *g = gw_gts_arg(vm, w, 2);
    if (!g)
        return false;
    list *res = list_new(vm, lims->len);
    if (!res)
        return false;
    for (size_t i = 0; i < lims->len; i++) {
        list *p = AS_LIST(lims->items[i]);
        value a = p->items[0], b = p->items[1];
        int64_t lo = a.type == T_LONG ? a.as.l : (int64_t)a.as.d, hi = b.type == T_LONG ? b.as.l : (int64_t)b.as.d;
        if (lo > hi) {
            int64_t t = lo;
            lo = hi;
            hi = t;
        }
        gts *c = clip_range(vm, g, lo, hi);
        if (!c) {
            val_release(vm, v_obj(T_LIST, res));
            return false;
        }
        list_push(vm, res, v_obj(T_GTS, c));
    }
    return gw_replace(vm, 2, v_obj(T_LIST, res));
}

/* MERGE: all points of a LIST of GTS (or LISTs of GTS) in one GTS with the
 * metadata of the first; values converted to the first type. */
static bool w_merge(exo_vm *vm, const word *w)
{
    value lv = *vm_peek(vm, 0);
    if (lv.type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST of GTS");
    list *l = AS_LIST(lv);
    size_t total = 0;
    gts *first = NULL;
    for (size_t i = 0; i < l->len; i++) {
        value e = l->items[i];
        if (e.type == T_GTS) {
            total += AS_GTS(e)->len;
            first = first ? first : AS_GTS(e);
        } else if (gw_is_gts_list(e)) {
            for (size_t k = 0; k < AS_LIST(e)->len; k++) {
                total += AS_GTS(AS_LIST(e)->items[k])->len;
                first = first ? first : AS_GTS(AS_LIST(e)->items[k]);
            }
        } else {
            return vm_fail(vm, "%s expects a LIST of GTS (or of LISTs of GTS), got %s in the LIST.", w->name,
                           val_type_name(e));
        }
    }
    gts *m = first ? gts_clone(vm, first, false) : gts_new(vm);
    if (!m || !gts_reserve(vm, m, total))
        goto fail;
    m->bucketspan = m->bucketcount = m->lastbucket = 0;
    for (size_t i = 0; i < l->len; i++) {
        value e = l->items[i];
        size_t n = e.type == T_GTS ? 1 : AS_LIST(e)->len;
        for (size_t k = 0; k < n; k++) {
            gts *g = e.type == T_GTS ? AS_GTS(e) : AS_GTS(AS_LIST(e)->items[k]);
            for (size_t p = 0; p < g->len; p++)
                if (!gts_add_from(vm, m, g, p))
                    goto fail;
        }
    }
    return gw_replace(vm, 1, v_obj(T_GTS, m));
fail:
    if (m)
        val_release(vm, v_obj(T_GTS, m));
    return false;
}

/* Copies the metadata of g and adds label=text. */
static gts *clone_labelled(exo_vm *vm, gts *g, const str *label, const char *text)
{
    gts *c = gts_clone(vm, g, false);
    if (!c)
        return NULL;
    c->bucketspan = c->bucketcount = c->lastbucket = 0;
    value k = val_retain(v_obj(T_STRING, (str *)label)), v = str_from(vm, text);
    if (val_is_oom(v) || !map_put(vm, c->labels, k, v)) {
        if (val_is_oom(v))
            val_release(vm, k);
        val_release(vm, v_obj(T_GTS, c));
        return NULL;
    }
    return c;
}

typedef struct split_args {
    int64_t quiet, minvalues;
    const str *label;
} split_args;

/* TIMESPLIT: sorted, cut where two ticks are at least `quiet` apart; runs of
 * at least minvalues points become GTS labelled 1, 2, ... */
static bool timesplit_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    split_args *a = ctx;
    gts *s = gts_clone(vm, g, true);
    list *res = s ? list_new(vm, 0) : NULL;
    if (!res || !gts_sort(vm, s, false))
        goto fail;
    int64_t seq = 0;
    size_t start = 0;
    for (size_t i = 1; i <= s->len; i++) {
        if (i < s->len && (uint64_t)s->ticks[i] - (uint64_t)s->ticks[i - 1] < (uint64_t)a->quiet)
            continue;
        if (s->len && (int64_t)(i - start) >= a->minvalues) {
            char num[24];
            snprintf(num, sizeof num, "%lld", (long long)++seq);
            gts *part = clone_labelled(vm, g, a->label, num);
            if (!part || !list_push(vm, res, v_obj(T_GTS, part)))
                goto fail;
            for (size_t k = start; k < i; k++)
                if (!gts_add_from(vm, part, s, k))
                    goto fail;
        }
        start = i;
    }
    val_release(vm, v_obj(T_GTS, s));
    *out = v_obj(T_LIST, res);
    return true;
fail:
    if (s)
        val_release(vm, v_obj(T_GTS, s));
    if (res)
        val_release(vm, v_obj(T_LIST, res));
    return false;
}

static bool w_timesplit(exo_vm *vm, const word *w)
{
    split_args a;
    value lab = *vm_peek(vm, 0);
    if (lab.type != T_STRING)
        return vm_type_error(vm, w, 1, "a STRING label name");
    if (!gw_long_arg(vm, w, 2, &a.minvalues) || !gw_long_arg(vm, w, 3, &a.quiet))
        return false;
    a.label = AS_STR(lab);
    return w_map1(vm, w, timesplit_one, 3, &a);
}

/* TIMEMODULO: one GTS per quotient tick / modulo, ticks = remainder. */
static bool timemodulo_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    split_args *a = ctx;
    int64_t mod = a->quiet;
    list *res = list_new(vm, 0);
    if (!res)
        return false;
    for (size_t i = 0; i < g->len; i++) {
        int64_t q = g->ticks[i] / mod, r = g->ticks[i] % mod;
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)q);
        gts *part = NULL;
        for (size_t k = 0; k < res->len && !part; k++) {
            value *lv = map_get(AS_GTS(res->items[k])->labels, v_obj(T_STRING, (str *)a->label));
            if (lv && strcmp(AS_STR(*lv)->data, num) == 0)
                part = AS_GTS(res->items[k]);
        }
        if (!part) {
            part = clone_labelled(vm, g, a->label, num);
            if (!part || !list_push(vm, res, v_obj(T_GTS, part)))
                goto fail;
        }
        int64_t loc = g->loc ? g->loc[i] : GTS_NO_LOCATION, elev = g->elev ? g->elev[i] : GTS_NO_ELEVATION;
        value v = gts_value_at(g, i);
        bool ok = gts_add(vm, part, r, loc, elev, v);
        val_release(vm, v);
        if (!ok)
            goto fail;
    }
    *out = v_obj(T_LIST, res);
    return true;
fail:
    val_release(vm, v_obj(T_LIST, res));
    return false;
}

static bool w_timemodulo(exo_vm *vm, const word *w)
{
    split_args a;
    value lab = *vm_peek(vm, 0);
    if (lab.type != T_STRING)
        return vm_type_error(vm, w, 1, "a STRING label name");
    if (!gw_long_arg(vm, w, 2, &a.quiet))
        return false;
    if (a.quiet <= 0)
        return vm_fail(vm, "%s expects a positive modulo.", w->name);
    a.label = AS_STR(lab);
    return w_map1(vm, w, timemodulo_one, 2, &a);
}

/* TIMESHIFT (magic 0, LONG offset) and TIMESCALE (magic 1, numeric factor). */
typedef struct tparam {
    int64_t off;
    double scale;
    bool is_scale;
} tparam;

static int64_t scale_tick(int64_t t, double f)
{
    double d = (double)t * f;
    return isnan(d) ? 0 : d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : (int64_t)d;
}

static bool shift_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    tparam *p = ctx;
    gts *c = gts_clone(vm, g, true);
    if (!c)
        return false;
    for (size_t i = 0; i < c->len; i++)
        c->ticks[i] = p->is_scale ? scale_tick(c->ticks[i], p->scale)
                                  : (int64_t)((uint64_t)c->ticks[i] + (uint64_t)p->off);
    if (gts_is_bucketized(c)) {
        if (p->is_scale) {
            c->lastbucket = scale_tick(c->lastbucket, p->scale);
            c->bucketspan = scale_tick(c->bucketspan, p->scale);
            if (c->bucketspan <= 0)
                c->bucketspan = c->bucketcount = c->lastbucket = 0;
        } else {
            c->lastbucket = (int64_t)((uint64_t)c->lastbucket + (uint64_t)p->off);
        }
    }
    if (p->is_scale && p->scale < 0)
        c->sorted = GTS_UNSORTED;
    *out = v_obj(T_GTS, c);
    return true;
}

static bool w_timeshift(exo_vm *vm, const word *w)
{
    tparam p = {0, 1.0, w->magic != 0};
    value a = *vm_peek(vm, 0);
    if (p.is_scale) {
        if (!val_is_number(a))
            return vm_type_error(vm, w, 1, "a numeric scale");
        p.scale = val_as_double(a);
    } else if (!gw_long_arg(vm, w, 1, &p.off)) {
        return false;
    }
    return w_map1(vm, w, shift_one, 1, &p);
}

/* TICKINDEX: a copy whose ticks are the storage indices 0, 1, ...; never
 * bucketized (GTSHelper.tickindex). */
static bool tickindex_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    (void)ctx;
    gts *c = gts_clone(vm, g, true);
    if (!c)
        return false;
    for (size_t i = 0; i < c->len; i++)
        c->ticks[i] = (int64_t)i;
    c->bucketspan = c->bucketcount = c->lastbucket = 0;
    c->sorted = GTS_ASC;
    *out = v_obj(T_GTS, c);
    return true;
}

static bool w_tickindex(exo_vm *vm, const word *w) { return w_map1(vm, w, tickindex_one, 0, NULL); }

/* ---- bucket-aware reshaping ---- */

/* CROP: drops the empty buckets at both ends of a bucketized GTS. */
static bool crop_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    (void)ctx;
    gts *c = gts_clone(vm, g, true);
    if (!c)
        return false;
    if (gts_is_bucketized(c)) {
        if (!c->len) {
            c->bucketspan = c->bucketcount = c->lastbucket = 0;
        } else {
            int64_t lo = INT64_MAX, hi = INT64_MIN;
            for (size_t i = 0; i < c->len; i++) {
                lo = c->ticks[i] < lo ? c->ticks[i] : lo;
                hi = c->ticks[i] > hi ? c->ticks[i] : hi;
            }
            c->lastbucket = hi;
            c->bucketcount = (int64_t)(((uint64_t)hi - (uint64_t)lo) / (uint64_t)c->bucketspan) + 1;
        }
    }
    *out = v_obj(T_GTS, c);
    return true;
}

static bool w_crop(exo_vm *vm, const word *w) { return w_map1(vm, w, crop_one, 0, NULL); }

/* SHRINK: in place; n > 0 keeps the n oldest, n < 0 the |n| newest. */
static bool w_shrink(exo_vm *vm, const word *w)
{
    int64_t n;
    if (!gw_long_arg(vm, w, 1, &n) || !gw_gts_or_list(vm, w, 2))
        return false;
    value t = *vm_peek(vm, 1);
    size_t ng = t.type == T_GTS ? 1 : AS_LIST(t)->len;
    uint64_t an = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
    for (size_t k = 0; k < ng; k++) {
        gts *g = t.type == T_GTS ? AS_GTS(t) : AS_GTS(AS_LIST(t)->items[k]);
        if (g->len > an) {
            if (!gts_sort(vm, g, n < 0))
                return false;
            gts_truncate(vm, g, (size_t)an);
        }
    }
    vm_drop(vm, 1);
    return true;
}

static bool same_point_data(const gts *g, size_t i, size_t j)
{
    if ((g->loc && g->loc[i] != g->loc[j]) || (g->elev && g->elev[i] != g->elev[j]))
        return false;
    switch (g->type) {
    case GTS_LONG:
        return g->v.l[i] == g->v.l[j];
    case GTS_DOUBLE: /* as Double.equals: NaN equals NaN, 0.0 differs from -0.0 */
        return isnan(g->v.d[i]) ? isnan(g->v.d[j])
                                : g->v.d[i] == g->v.d[j] && signbit(g->v.d[i]) == signbit(g->v.d[j]);
    case GTS_BOOLEAN:
        return g->v.b[i] == g->v.b[j];
    case GTS_STRING:
        return g->v.s[i]->len == g->v.s[j]->len && memcmp(g->v.s[i]->data, g->v.s[j]->data, g->v.s[i]->len) == 0;
    default:
        return true;
    }
}

/* COMPACT: sorted copy where a point equal (value, location, elevation) to
 * the previous one is dropped, so each run keeps its first point only; the
 * last point is always kept so the time span is unchanged (Warp 10's
 * GTSHelper.compact without range preservation, as COMPACT calls it). */
static bool compact_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    (void)ctx;
    gts *c = gts_clone(vm, g, true);
    if (!c || !gts_sort(vm, c, false)) {
        if (c)
            val_release(vm, v_obj(T_GTS, c));
        return false;
    }
    if (c->len > 2) {
        uint8_t *keep = vm_alloc(vm, c->len);
        if (!keep) {
            val_release(vm, v_obj(T_GTS, c));
            return false;
        }
        keep[0] = keep[c->len - 1] = 1;
        for (size_t i = 1; i + 1 < c->len; i++)
            keep[i] = !same_point_data(c, i, i - 1);
        bool kept = gts_keep(vm, c, keep);
        vm_dealloc(vm, keep, g->len);
        if (!kept) {
            val_release(vm, v_obj(T_GTS, c));
            return false;
        }
    }
    *out = v_obj(T_GTS, c);
    return true;
}

static bool w_compact(exo_vm *vm, const word *w) { return w_map1(vm, w, compact_one, 0, NULL); }

/* RANGECOMPACT: as COMPACT, but a run of equal points (value, location,
 * elevation) keeps its last point too, so constant ranges keep both ends
 * (GTSHelper.compact with range preservation). As there, a run reaching
 * the last point ends on it: the point before it is not kept. */
static bool rangecompact_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    (void)ctx;
    gts *c = gts_clone(vm, g, true);
    if (!c || !gts_sort(vm, c, false)) {
        if (c)
            val_release(vm, v_obj(T_GTS, c));
        return false;
    }
    size_t n = c->len;
    if (n > 2) {
        uint8_t *keep = vm_calloc(vm, n);
        if (!keep) {
            val_release(vm, v_obj(T_GTS, c));
            return false;
        }
        keep[0] = 1;
        for (size_t idx = 0; idx < n - 1;) {
            size_t off = 0;
            while (idx + 1 + off < n - 1 && same_point_data(c, idx + 1 + off, idx))
                off++;
            if (idx + 1 + off == n - 1 && same_point_data(c, n - 1, idx))
                off++; /* the run ends on the last point */
            if (off > 0)
                keep[idx + off] = 1; /* end of the range */
            if (idx + off + 1 < n)
                keep[idx + off + 1] = 1; /* first point of the next run */
            idx += off + 1;
        }
        bool kept = gts_keep(vm, c, keep);
        vm_dealloc(vm, keep, n);
        if (!kept) {
            val_release(vm, v_obj(T_GTS, c));
            return false;
        }
    }
    *out = v_obj(T_GTS, c);
    return true;
}

static bool w_rangecompact(exo_vm *vm, const word *w) { return w_map1(vm, w, rangecompact_one, 0, NULL); }

/* ONLYBUCKETS: keeps the points sitting on a bucket end. */
static bool onlybuckets_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    (void)ctx;
    gts *c = gts_clone(vm, g, !gts_is_bucketized(g));
    if (!c)
        return false;
    if (gts_is_bucketized(g)) {
        uint64_t first = (uint64_t)g->lastbucket - (uint64_t)(g->bucketcount - 1) * (uint64_t)g->bucketspan;
        for (size_t i = 0; i < g->len; i++) {
            int64_t t = g->ticks[i];
            bool on = t <= g->lastbucket && (uint64_t)t >= first &&
                      ((uint64_t)g->lastbucket - (uint64_t)t) % (uint64_t)g->bucketspan == 0;
            if (on && !gts_add_from(vm, c, g, i)) {
                val_release(vm, v_obj(T_GTS, c));
                return false;
            }
        }
    }
    *out = v_obj(T_GTS, c);
    return true;
}

static bool w_onlybuckets(exo_vm *vm, const word *w) { return w_map1(vm, w, onlybuckets_one, 0, NULL); }

/* FILLTICKS: gts [lat lon elev value [ticks]]: adds the value at the listed
 * ticks the (non-bucketized) GTS lacks, after its points. */
typedef struct fill_args {
    int64_t loc, elev;
    value v;
    list *ticks;
} fill_args;

static bool fillticks_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    fill_args *a = ctx;
    gts *c = gts_clone(vm, g, true);
    if (!c)
        return false;
    if (!gts_is_bucketized(g)) {
        for (size_t i = 0; i < a->ticks->len; i++) {
            int64_t t = a->ticks->items[i].as.l;
            if (gts_find_tick(g, t) < 0 && gts_find_tick(c, t) < 0 && !gts_add(vm, c, t, a->loc, a->elev, a->v)) {
                val_release(vm, v_obj(T_GTS, c));
                return false;
            }
        }
    }
    *out = v_obj(T_GTS, c);
    return true;
}

static bool w_fillticks(exo_vm *vm, const word *w)
{
    value pv = *vm_peek(vm, 0);
    list *p = pv.type == T_LIST ? AS_LIST(pv) : NULL;
    if (!p || p->len != 5 || !val_is_number(p->items[0]) || !val_is_number(p->items[1]) ||
        !val_is_number(p->items[2]) || p->items[4].type != T_LIST)
        return vm_fail(vm, "%s expects a LIST [lat lon elev value [ticks]].", w->name);
    fill_args a;
    a.ticks = AS_LIST(p->items[4]);
    for (size_t i = 0; i < a.ticks->len; i++)
        if (a.ticks->items[i].type != T_LONG)
            return vm_fail(vm, "%s expects a LIST of LONG ticks as the fifth parameter.", w->name);
    a.v = p->items[3];
    if (a.v.type != T_NULL && gts_type_of(a.v) == GTS_UNDEFINED)
        return vm_fail(vm, "%s expects a LONG, DOUBLE, BOOLEAN or STRING value.", w->name);
    double lat = val_as_double(p->items[0]), lon = val_as_double(p->items[1]);
    a.loc = isnan(lat) || isnan(lon) ? GTS_NO_LOCATION : gts_pack_location(lat, lon);
    value e = p->items[2];
    a.elev = e.type == T_DOUBLE && isnan(e.as.d) ? GTS_NO_ELEVATION : e.type == T_LONG ? e.as.l : (int64_t)e.as.d;
    return w_map1(vm, w, fillticks_one, 1, &a);
}

/* COMMONTICKS: each GTS keeps only the ticks present in all of them. */
static bool w_commonticks(exo_vm *vm, const word *w)
{
    value lv = *vm_peek(vm, 0);
    if (!gw_is_gts_list(lv))
        return vm_type_error(vm, w, 1, "a LIST of GTS");
    list *l = AS_LIST(lv), *res = list_new(vm, l->len);
    if (!res)
        return false;
    size_t n0 = l->len ? AS_GTS(l->items[0])->len : 0;
    tickset s;
    if (!ts_init(vm, &s, n0)) {
        val_release(vm, v_obj(T_LIST, res));
        return false;
    }
    /* count, per tick of the first GTS, how many GTS hold it */
    if (l->len) {
        gts *g0 = AS_GTS(l->items[0]);
        for (size_t i = 0; i < g0->len; i++)
            ts_slot(&s, g0->ticks[i], true, NULL);
        for (size_t k = 0; k < l->len; k++) {
            gts *g = AS_GTS(l->items[k]);
            for (size_t i = 0; i < g->len; i++) {
                uint32_t *c = ts_slot(&s, g->ticks[i], false, NULL);
                if (c && *c == k)
                    *c = (uint32_t)k + 1;
            }
        }
    }
    bool ok = true;
    for (size_t k = 0; ok && k < l->len; k++) {
        gts *g = AS_GTS(l->items[k]);
        gts *c = gts_clone(vm, g, false);
        ok = c != NULL;
        for (size_t i = 0; ok && i < g->len; i++) {
            uint32_t *cnt = ts_slot(&s, g->ticks[i], false, NULL);
            if (cnt && *cnt == l->len)
                ok = gts_add_from(vm, c, g, i);
        }
        if (c)
            list_push(vm, res, v_obj(T_GTS, c));
    }
    ts_free(vm, &s);
    if (!ok) {
        val_release(vm, v_obj(T_LIST, res));
        return false;
    }
    return gw_replace(vm, 1, v_obj(T_LIST, res));
}

/* ---- sorting lists of GTS ---- */

static int cmp_str(const str *a, const str *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->data, b->data, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Label names of a map, sorted (borrowed pointers). */
static int cmp_strp(const void *a, const void *b) { return cmp_str(*(str *const *)a, *(str *const *)b); }

/* Metadata order: class, then labels by sorted name (a missing label sorts
 * first), then label count. fields (may be NULL): the labels to compare, a
 * NULL entry standing for the class. */
static int meta_cmp(const gts *a, const gts *b, const list *fields)
{
    if (fields && fields->len) {
        for (size_t i = 0; i < fields->len; i++) {
            value f = fields->items[i];
            int c;
            if (f.type == T_NULL) {
                c = cmp_str(AS_STR(a->cls), AS_STR(b->cls));
            } else {
                value *x = map_get(a->labels, f), *y = map_get(b->labels, f);
                c = !x ? (y ? -1 : 0) : !y ? 1 : cmp_str(AS_STR(*x), AS_STR(*y));
            }
            if (c)
                return c;
        }
        return 0;
    }
    int c = cmp_str(AS_STR(a->cls), AS_STR(b->cls));
    if (c)
        return c;
    size_t na = a->labels->len, nb = b->labels->len;
    str *ka[64], *kb[64];
    size_t ma = na < 64 ? na : 64, mb = nb < 64 ? nb : 64;
    for (size_t i = 0; i < ma; i++)
        ka[i] = AS_STR(a->labels->ents[i].key);
    for (size_t i = 0; i < mb; i++)
        kb[i] = AS_STR(b->labels->ents[i].key);
    qsort(ka, ma, sizeof(str *), cmp_strp);
    qsort(kb, mb, sizeof(str *), cmp_strp);
    for (size_t i = 0; i < ma && i < mb; i++) {
        if ((c = cmp_str(ka[i], kb[i])))
            return c;
        value *x = map_get(a->labels, v_obj(T_STRING, ka[i])), *y = map_get(b->labels, v_obj(T_STRING, kb[i]));
        if ((c = cmp_str(AS_STR(*x), AS_STR(*y))))
            return c;
    }
    return (ma > mb) - (ma < mb);
}

typedef int (*gts_cmp)(const gts *a, const gts *b, const void *ctx);

/* Stable insertion-merge sort of a LIST of GTS in place. */
static bool sort_gts_list(exo_vm *vm, list *l, gts_cmp cmp, const void *ctx)
{
    size_t n = l->len;
    value *tmp = n ? vm_alloc(vm, n * sizeof(value)) : NULL;
    if (n && !tmp)
        return false;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = cmp(AS_GTS(l->items[j]), AS_GTS(l->items[i]), ctx) < 0 ? l->items[j++] : l->items[i++];
            while (i < mid)
                tmp[k++] = l->items[i++];
            while (j < hi)
                tmp[k++] = l->items[j++];
        }
        memcpy(l->items, tmp, n * sizeof(value));
    }
    vm_dealloc(vm, tmp, n * sizeof(value));
    return true;
}

static int meta_cmp_ctx(const gts *a, const gts *b, const void *ctx) { return meta_cmp(a, b, ctx); }

static int value_cmp(const gts *a, size_t i, const gts *b, size_t j)
{
    if (a->type == GTS_STRING && b->type == GTS_STRING)
        return cmp_str(a->v.s[i], b->v.s[j]);
    if (a->type == GTS_BOOLEAN && b->type == GTS_BOOLEAN)
        return (a->v.b[i] > b->v.b[j]) - (a->v.b[i] < b->v.b[j]);
    if (a->type == GTS_LONG && b->type == GTS_LONG)
        return (a->v.l[i] > b->v.l[j]) - (a->v.l[i] < b->v.l[j]);
    if ((a->type == GTS_LONG || a->type == GTS_DOUBLE) && (b->type == GTS_LONG || b->type == GTS_DOUBLE)) {
        double x = a->type == GTS_LONG ? (double)a->v.l[i] : a->v.d[i];
        double y = b->type == GTS_LONG ? (double)b->v.l[j] : b->v.d[j];
        if (isnan(x) || isnan(y)) /* Double.compareTo: NaN is the largest */
            return isnan(x) - isnan(y);
        return (x > y) - (x < y);
    }
    return (int)a->type - (int)b->type;
}

/* LASTSORT order: by newest value, then newest tick (descending), then
 * metadata; empty GTS last. The members were sorted newest first. */
static int last_cmp(const gts *a, const gts *b, const void *ctx)
{
    (void)ctx;
    if (!a->len || !b->len)
        return !a->len && !b->len ? meta_cmp(a, b, NULL) : !a->len ? 1 : -1;
    int c = value_cmp(a, 0, b, 0);
    if (c)
        return c;
    if (a->ticks[0] != b->ticks[0])
        return a->ticks[0] > b->ticks[0] ? -1 : 1;
    return meta_cmp(a, b, NULL);
}

static bool w_lastsort(exo_vm *vm, const word *w)
{
    value lv = *vm_peek(vm, 0);
    if (!gw_is_gts_list(lv))
        return vm_type_error(vm, w, 1, "a LIST of GTS");
    list *l = AS_LIST(lv);
    for (size_t i = 0; i < l->len; i++)
        if (!gts_sort(vm, AS_GTS(l->items[i]), true))
            return false;
    return sort_gts_list(vm, l, last_cmp, NULL);
}

static bool w_metasort(exo_vm *vm, const word *w)
{
    value fv = *vm_peek(vm, 0);
    if (fv.type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST of fields");
    list *f = AS_LIST(fv);
    for (size_t i = 0; i < f->len; i++)
        if (f->items[i].type != T_STRING && f->items[i].type != T_NULL)
            return vm_fail(vm, "%s expects a LIST of fields (STRING, or NULL for the class).", w->name);
    value lv = *vm_peek(vm, 1);
    if (!gw_is_gts_list(lv))
        return vm_type_error(vm, w, 2, "a LIST of GTS");
    if (!sort_gts_list(vm, AS_LIST(lv), meta_cmp_ctx, f))
        return false;
    vm_drop(vm, 1);
    return true;
}

static const word gts_time_words[] = {
    EXO_WORD("SORT", w_sort, 1, "gts -- gts", "Sorts the points by tick, ascending, in place."),
    EXO_WORD_MAGIC("RSORT", w_sort, 1, "gts -- gts", "Sorts the points by tick, descending, in place.", 1),
    EXO_WORD_MAGIC("VALUESORT", w_sort, 1, "gts -- gts", "Sorts the points by value (then tick) in place.", 2),
    EXO_WORD_MAGIC("RVALUESORT", w_sort, 1, "gts -- gts", "Sorts the points by value, descending, in place.", 3),
    EXO_WORD("DEDUP", w_dedup, 1, "gts -- gts'", "A copy keeping, for each tick, the last point added."),
    EXO_WORD("VALUEDEDUP", w_valuededup, 2, "gts first -- gts'",
             "One point per distinct value: the oldest (true) or newest (false)."),
    EXO_WORD("TIMECLIP", w_timeclip, 3, "gts end duration|'iso-start' -- gts'", "The points in ]end-duration, end], or [start, end] with ISO-8601 bounds."),
    EXO_WORD("CLIP", w_clip, 2, "gts [[from to]..] -- [gts..]", "One copy per inclusive tick range."),
    EXO_WORD("MERGE", w_merge, 1, "[gts..] -- gts", "All points in one GTS (metadata of the first)."),
    EXO_WORD("TIMESPLIT", w_timesplit, 4, "gts quiet minvalues label -- [gts..]",
             "Splits at gaps of at least quiet; parts labelled 1, 2, ..."),
    EXO_WORD("TIMEMODULO", w_timemodulo, 3, "gts modulo label -- [gts..]",
             "One GTS per tick / modulo (label), ticks become tick % modulo."),
    EXO_WORD("TIMESHIFT", w_timeshift, 2, "gts offset -- gts'", "A copy with every tick shifted by offset."),
    EXO_WORD_MAGIC("TIMESCALE", w_timeshift, 2, "gts factor -- gts'", "A copy with every tick multiplied by factor.", 1),
    EXO_WORD("TICKINDEX", w_tickindex, 1, "gts|[gts] -- gts'", "A copy whose ticks are the point indices 0, 1, ... (not bucketized)."),
    EXO_WORD("CROP", w_crop, 1, "gts -- gts'", "Drops the empty buckets at both ends of a bucketized GTS."),
    EXO_WORD("SHRINK", w_shrink, 2, "gts n -- gts", "Keeps the n oldest (n > 0) or |n| newest points, in place."),
    EXO_WORD("COMPACT", w_compact, 1, "gts -- gts'", "Drops points equal to the previous one (value, location, elevation); the last point stays."),
    EXO_WORD("RANGECOMPACT", w_rangecompact, 1, "gts -- gts'",
             "As COMPACT, keeping both ends of each run of equal points (value, location, elevation)."),
    EXO_WORD("ONLYBUCKETS", w_onlybuckets, 1, "gts -- gts'", "Keeps the points on bucket ends."),
    EXO_WORD("FILLTICKS", w_fillticks, 2, "gts [lat lon elev value [ticks]] -- gts'",
             "Adds the value at the listed ticks the GTS lacks (not bucketized)."),
    EXO_WORD("COMMONTICKS", w_commonticks, 1, "[gts..] -- [gts..]", "Keeps the ticks present in every GTS."),
    EXO_WORD("LASTSORT", w_lastsort, 1, "[gts..] -- [gts..]", "Sorts a LIST of GTS by newest value, in place."),
    EXO_WORD("METASORT", w_metasort, 2, "[gts..] [fields] -- [gts..]",
             "Sorts a LIST of GTS by class and labels (or the fields given), in place."),
};

EXO_FAMILY(gts_time, gts_time_words)
