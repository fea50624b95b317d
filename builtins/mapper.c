/* MAP (spec d.2) and the mapper.* elements.
 * Per series, the visited ticks are the sorted ticks (every bucket end for
 * a bucketized series, an explicit tick list if given); the window of each
 * computation is the time range [start, stop] GTSHelper.map derives from
 * pre/post, found with two pointers that only move one way, so a window
 * is a zero-copy range. sum/mean/min/max/count have O(n) sliding forms
 * (running sums, monotonic deque) used when nothing but the value matters;
 * on a plain numeric series with strictly increasing ticks visited whole,
 * agg_slide_series fills presized arrays in one pass with the same bits,
 * and the result shares the input's ticks array (copy on write, gts.h).
 * The single-value mappers (add, round, tolong, gt ...) share one kernel
 * selected by the def's magic. */
#include "aggregators.h"
#include "../interp/sbuf.h"
#include "../interp/text.h"
#include "../interp/timeutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct map_params {
    value fn; /* FUNCTION (mapper) or MACRO */
    int64_t pre, post, occ, step;
    bool override;
    int64_t *out_ticks; /* sorted explicit ticks, or NULL */
    size_t nout;
} map_params;

static int64_t wadd(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wsub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t wmul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

static void set_view(agg_window *w, const gts *g, size_t lo, size_t hi)
{
    w->n = hi > lo ? hi - lo : 0;
    w->ticks = g->ticks + lo;
    w->loc = g->loc ? g->loc + lo : NULL;
    w->elev = g->elev ? g->elev + lo : NULL;
    switch (g->type) {
    case GTS_LONG:
        w->v.l = g->v.l + lo;
        break;
    case GTS_DOUBLE:
        w->v.d = g->v.d + lo;
        break;
    case GTS_BOOLEAN:
        w->v.b = g->v.b + lo;
        break;
    default:
        w->v.s = g->v.s + lo;
    }
}

/* The sliding form applies when only the value of the aggregate matters. */
static int slide_kind(const map_params *p, const gts *g, bool reversed)
{
    if (p->fn.type != T_FUNCTION || p->override || reversed || p->out_ticks || g->loc || g->elev ||
        (g->type != GTS_LONG && g->type != GTS_DOUBLE))
        return AGG_SLIDE_NONE;
    const fn_def *d = AS_FN(p->fn)->def;
    return (d->flags & AGGF_SLIDE) ? d->magic : AGG_SLIDE_NONE;
}

/* The whole-series fast path (agg_slide_series) applies to a sliding
 * mapper visiting every point of a plain numeric series with pre/post as
 * point counts; the ticks must strictly increase once sorted (checked by
 * strict_order). */
static int fast_kind(const map_params *p, const gts *g)
{
    if (p->occ != 0 || p->step != 1 || p->pre < 0 || p->post < 0 || gts_is_bucketized(g) || g->len < 2)
        return AGG_SLIDE_NONE;
    return slide_kind(p, g, false);
}

/* 1: ticks strictly increase, -1: strictly decrease, 0: neither. */
static int strict_order(const gts *g)
{
    const int64_t *t = g->ticks;
    size_t n = g->len, i = 1;
    if (t[1] > t[0]) {
        while (i < n && t[i] > t[i - 1])
            i++;
        return i == n ? 1 : 0;
    }
    while (i < n && t[i] < t[i - 1])
        i++;
    return i == n ? -1 : 0;
}

/* Reverses the points of a strictly descending series (what gts_sort
 * does to it), ticks and 8-byte values in one pass. */
static bool reverse_numeric(exo_vm *vm, gts *g)
{
    if (!gts_own_ticks(vm, g))
        return false;
    int64_t *t = g->ticks, *v = g->v.l;
    for (size_t i = 0, j = g->len - 1; i < j; i++, j--) {
        int64_t x = t[i], y = v[i];
        t[i] = t[j];
        v[i] = v[j];
        t[j] = x;
        v[j] = y;
    }
    g->sorted = GTS_ASC;
    return true;
}

/* A macro mapper's MAP { name: [tick .. value] }: each result goes to the
 * series of its name, an empty clone of the mapped series (proto) renamed,
 * made at the first use of the name (GTSHelper.map's multipleMapped). */
static bool store_named(exo_vm *vm, const char *who, map **named, const gts *proto, agg_out *o, int64_t tick,
                        bool override)
{
    map *res = o->named;
    o->named = NULL;
    bool ok = *named || (*named = map_new(vm, res->len));
    for (size_t i = 0; ok && i < res->len; i++) {
        sbuf b;
        sb_init(&b, vm);
        ok = val_write_text(vm, &b, res->ents[i].key);
        value name = ok ? str_new(vm, b.p ? b.p : "", b.len) : v_null();
        sb_free(&b);
        if (ok && name.type == T_NULL)
            ok = vm_oom(vm);
        if (!ok)
            break;
        value *slot = map_get(*named, name);
        gts *dst = slot ? AS_GTS(*slot) : gts_clone(vm, proto, false);
        if (!slot) {
            ok = dst && map_put(vm, *named, val_retain(name), v_obj(T_GTS, dst));
            if (ok) {
                val_release(vm, dst->cls);
                dst->cls = val_retain(name);
            }
        }
        val_release(vm, name);
        agg_out r = {.tick = tick, .loc = GTS_NO_LOCATION, .elev = GTS_NO_ELEVATION, .v = v_null()};
        ok = ok && agg_list_result(vm, who, AS_LIST(res->ents[i].val), &r) &&
             agg_store(vm, dst, override ? r.tick : tick, &r);
    }
    val_release(vm, v_obj(T_MAP, res));
    return ok;
}

static int cmp_named(const void *a, const void *b)
{
    const str *x = AS_STR(((const map_entry *)a)->key), *y = AS_STR(((const map_entry *)b)->key);
    int c = memcmp(x->data, y->data, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The named series in name order: none, one GTS, or a LIST of them, which
 * MAP nests in its result (MAP.java). Consumes named. */
static bool named_result(exo_vm *vm, map *named, value *out)
{
    *out = v_null();
    /* sorted in place: the map is only released afterwards */
    if (named->len > 1)
        qsort(named->ents, named->len, sizeof named->ents[0], cmp_named);
    list *l = named->len > 1 ? list_new(vm, named->len) : NULL;
    bool ok = named->len < 2 || l;
    for (size_t i = 0; ok && i < named->len; i++) {
        value v = val_retain(named->ents[i].val);
        if (l)
            ok = list_push(vm, l, v);
        else
            *out = v;
    }
    if (l)
        *out = v_obj(T_LIST, l);
    val_release(vm, v_obj(T_MAP, named));
    return ok;
}

/* GTSHelper.map for one series; *out gets the mapped series (or, for a
 * macro leaving MAPs, what named_result makes). */
static bool map_series(exo_vm *vm, const word *w, gts *g, const map_params *p, value *out)
{
    gts *dst = gts_clone(vm, g, false);
    if (!dst)
        return false;
    *out = v_obj(T_GTS, dst);
    bool bucketized = gts_is_bucketized(g);
    if (p->out_ticks)
        dst->bucketspan = dst->bucketcount = dst->lastbucket = 0;
    if (g->len == 0 && !bucketized)
        return true;
    int fast = fast_kind(p, g);
    if (fast != AGG_SLIDE_NONE) {
        int order = strict_order(g);
        if (order < 0 && !reverse_numeric(vm, g))
            return false;
        if (order != 0) {
            g->sorted = GTS_ASC;
            /* the result has the input's ticks: share them (copy on write) */
            if (!gts_share_ticks(vm, dst, g))
                return false;
            int64_t pre = p->pre > INT32_MAX ? INT32_MAX : p->pre, post = p->post > INT32_MAX ? INT32_MAX : p->post;
            return agg_slide_series(vm, fast, g, pre, post, dst);
        }
    }
    if (!gts_sort(vm, g, false))
        return false;
    bool reversed = p->occ < 0;
    int64_t occ = p->occ == INT64_MIN ? INT64_MAX : (p->occ < 0 ? -p->occ : p->occ);
    bool has_occ = occ != 0;
    int64_t pre = p->pre > INT32_MAX ? INT32_MAX : p->pre, post = p->post > INT32_MAX ? INT32_MAX : p->post;
    int64_t step = p->step <= 0 ? 1 : (p->step > INT32_MAX ? INT32_MAX : p->step);
    size_t len = g->len;
    const int64_t *tk = g->ticks;
    int64_t span = g->bucketspan, count = g->bucketcount, last = g->lastbucket;
#define T(k) (reversed ? tk[len - 1 - (size_t)(k)] : tk[(size_t)(k)])
    int64_t nticks = p->out_ticks ? (int64_t)p->nout : (bucketized ? count : (int64_t)len);
    int kind = slide_kind(p, g, reversed);
    if (kind == AGG_SLIDE_NONE && !gts_reserve(vm, dst, (size_t)(nticks / step + 1)))
        return false;
    agg_slider sl;
    if (kind != AGG_SLIDE_NONE && !agg_slider_init(vm, &sl, kind, g))
        return false;
    agg_window win = {.mode = AGG_MAP, .series = g, .type = g->type, .pre = pre, .post = post};
    agg_out o;
    map *named = NULL;
    size_t lo = reversed ? len : 0, hi = lo, ti = lo;
    int64_t left = 0, right = 0; /* leftIdx / rightIdx of GTSHelper.map */
    bool ok = true;
    for (int64_t idx = 0; ok && idx < nticks; idx += step) {
        if (has_occ && occ == 0)
            break;
        int64_t tick;
        if (!p->out_ticks) {
            if (!bucketized)
                tick = T(idx);
            else
                tick = wsub(last, wmul(reversed ? idx : count - 1 - idx, span));
        } else {
            tick = p->out_ticks[reversed ? p->nout - 1 - (size_t)idx : (size_t)idx];
            if (!bucketized) {
                if (reversed)
                    while (left < (int64_t)len && T(left) > tick)
                        left++;
                else
                    while (right < (int64_t)len && T(right) < tick)
                        right++;
            }
        }
        int64_t start = tick, stop = tick;
        if (pre < 0) {
            start = wadd(tick, pre);
        } else if (pre > 0) {
            if (bucketized && !p->out_ticks)
                start = pre <= count ? wsub(tick, wmul(pre, span)) : INT64_MIN;
            else if (bucketized)
                start = reversed ? (pre - 1 <= count ? wsub(tick, wmul(pre - 1, span)) : INT64_MIN)
                                 : (pre <= count ? wsub(tick, wmul(pre, span)) : INT64_MIN);
            else if (!p->out_ticks)
                start = reversed ? (idx + pre < (int64_t)len ? T(idx + pre) : INT64_MIN)
                                 : (idx - pre >= 0 ? T(idx - pre) : INT64_MIN);
            else
                start = reversed ? (left - 1 + pre < (int64_t)len ? T(left - 1 + pre) : INT64_MIN)
                                 : (right - pre >= 0 ? T(right - pre) : INT64_MIN);
        } else if (p->out_ticks && reversed) {
            start = wadd(tick, 1);
        }
        if (post < 0) {
            stop = wsub(tick, post);
        } else if (post > 0) {
            if (bucketized && !p->out_ticks)
                stop = post <= count ? wadd(tick, wmul(post, span)) : INT64_MAX;
            else if (bucketized)
                stop = reversed ? (post <= count ? wadd(tick, wmul(post, span)) : INT64_MAX)
                                : (post - 1 <= count ? wadd(tick, wmul(post - 1, span)) : INT64_MAX);
            else if (!p->out_ticks)
                stop = reversed ? (idx - post >= 0 ? T(idx - post) : INT64_MAX)
                                : (idx + post < (int64_t)len ? T(idx + post) : INT64_MAX);
            else
                stop = reversed ? (left - post >= 0 ? T(left - post) : INT64_MAX)
                                : (right - 1 + post < (int64_t)len ? T(right - 1 + post) : INT64_MAX);
        } else if (p->out_ticks && !reversed) {
            stop = wsub(tick, 1);
        }
        /* the window: points with start <= tick <= stop (bounds are
         * monotonic over the visit, so these loops are amortised O(1)) */
        while (lo > 0 && tk[lo - 1] >= start)
            lo--;
        while (lo < len && tk[lo] < start)
            lo++;
        while (hi > 0 && tk[hi - 1] > stop)
            hi--;
        while (hi < len && tk[hi] <= stop)
            hi++;
        if (kind != AGG_SLIDE_NONE) {
            if (hi > lo) {
                agg_slider_move(&sl, lo, hi);
                value v = agg_slider_value(&sl);
                if (dst->len == 0) /* the type of the first value, room for every tick */
                    ok = gts_set_type(vm, dst, agg_slider_type(kind, g->type)) &&
                         gts_reserve(vm, dst, (size_t)(nticks / step + 1));
                if (ok && dst->len == dst->cap)
                    ok = gts_reserve(vm, dst, dst->cap + dst->cap / 2 + 16);
                if (!ok)
                    break;
                /* visits are ascending: direct appends keep the series sorted */
                dst->ticks[dst->len] = tick;
                if (dst->type == GTS_DOUBLE)
                    dst->v.d[dst->len] = v.as.d;
                else
                    dst->v.l[dst->len] = v.as.l;
                dst->len++;
            }
            occ--;
            continue;
        }
        while (ti > 0 && tk[ti - 1] >= tick)
            ti--;
        while (ti < len && tk[ti] < tick)
            ti++;
        set_view(&win, g, lo, hi);
        win.tick = tick;
        win.start = start;
        win.stop = stop;
        win.tickidx = (ti >= lo && ti < hi && tk[ti] == tick) ? (int64_t)(ti - lo) : -1;
        if (p->fn.type == T_MACRO)
            ok = agg_apply_macro(vm, w->name, p->fn, &win, &o);
        else
            ok = agg_apply(vm, AS_FN(p->fn), &win, &o);
        if (ok && o.named)
            ok = store_named(vm, w->name, &named, dst, &o, tick, p->override);
        else
            ok = ok && agg_store(vm, dst, p->override ? o.tick : tick, &o);
        occ--;
    }
#undef T
    if (kind != AGG_SLIDE_NONE) {
        agg_slider_free(vm, &sl);
        dst->sorted = GTS_ASC;
    }
    if (named) {
        /* once a MAP came back, only the named series are results */
        val_release(vm, *out);
        return named_result(vm, named, out) && ok;
    }
    return ok;
}

static const char *get_long(const map *m, const char *key, int64_t *out, bool *bad)
{
    for (size_t i = 0; i < m->len; i++) {
        value kv = m->ents[i].key;
        if (kv.type == T_STRING && strcmp(AS_STR(kv)->data, key) == 0) {
            value v = m->ents[i].val;
            if (v.type == T_LONG)
                *out = v.as.l;
            else if (v.type != T_NULL)
                *bad = true;
            return key;
        }
    }
    return NULL;
}

static const value *map_find(const map *m, const char *key)
{
    for (size_t i = 0; i < m->len; i++) {
        value kv = m->ents[i].key;
        if (kv.type == T_STRING && strcmp(AS_STR(kv)->data, key) == 0)
            return &m->ents[i].val;
    }
    return NULL;
}

static int cmp_tick(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Reads MAP's parameters from its parameter map. */
static bool params_from_map(exo_vm *vm, const map *m, map_params *p)
{
    const value *fn = map_find(m, "mapper");
    if (!fn)
        return vm_fail(vm, "MAP Missing 'mapper' parameter.");
    if (fn->type != T_MACRO && !fn_has_role(*fn, FN_MAPPER))
        return vm_fail(vm, "MAP expects a mapper function or a macro as 'mapper' parameter, got %s.", val_type_name(*fn));
    p->fn = *fn;
    static const char *const keys[] = {"pre", "post", "occurences", "occurrences", "step"};
    int64_t *dst[] = {&p->pre, &p->post, &p->occ, &p->occ, &p->step};
    for (size_t i = 0; i < countof(keys); i++) {
        bool bad = false;
        get_long(m, keys[i], dst[i], &bad);
        if (bad)
            return vm_fail(vm, "MAP expects the %s parameter to be a LONG.", keys[i]);
    }
    if (p->occ == INT64_MIN)
        p->occ = INT64_MIN + 1;
    const value *ov = map_find(m, "override");
    if (ov && ov->type != T_NULL) {
        if (ov->type != T_BOOLEAN)
            return vm_fail(vm, "MAP expects the override parameter to be a BOOLEAN.");
        p->override = ov->as.b;
    }
    const value *tv = map_find(m, "ticks");
    if (tv && tv->type != T_NULL) {
        if (tv->type != T_LIST)
            return vm_fail(vm, "MAP expects 'ticks' to be list of LONG values.");
        const list *l = AS_LIST(*tv);
        for (size_t i = 0; i < l->len; i++)
            if (l->items[i].type != T_LONG)
                return vm_fail(vm, "MAP expects 'ticks' to be list of LONG values.");
        p->out_ticks = vm_alloc(vm, (l->len ? l->len : 1) * sizeof(int64_t));
        if (!p->out_ticks)
            return false;
        p->nout = l->len;
        for (size_t i = 0; i < l->len; i++)
            p->out_ticks[i] = l->items[i].as.l;
        qsort(p->out_ticks, p->nout, sizeof(int64_t), cmp_tick);
    }
    return true;
}

/* Reads the list form [gts.. mapper pre post occurrences (step) (override)]. */
static bool params_from_list(exo_vm *vm, const list *l, size_t *nseries, map_params *p)
{
    size_t n = 0;
    while (n < l->len && (l->items[n].type == T_GTS || l->items[n].type == T_LIST))
        n++;
    if (n == 0)
        return vm_fail(vm, "MAP expects Geo Time Series or lists thereof as first parameters.");
    if (n == l->len || (l->items[n].type != T_MACRO && !fn_has_role(l->items[n], FN_MAPPER)))
        return vm_fail(vm, "MAP expects a mapper function or a macro after Geo Time Series.");
    p->fn = l->items[n];
    int64_t *dst[] = {&p->pre, &p->post, &p->occ};
    for (size_t i = 0; i < 3; i++) {
        if (n + 1 + i >= l->len)
            break;
        if (l->items[n + 1 + i].type != T_LONG)
            return vm_fail(vm, "MAP expects prewindow, postwindow and occurrences as 3 parameters following the mapper function.");
        *dst[i] = l->items[n + 1 + i].as.l;
    }
    if (p->occ == INT64_MIN)
        p->occ = INT64_MIN + 1;
    if (l->len > n + 4) {
        value s = l->items[n + 4];
        if (s.type != T_LONG)
            return vm_fail(vm, "MAP expects a step parameter that is an integer number.");
        if ((int32_t)(uint32_t)(uint64_t)s.as.l <= 0) /* Java's intValue() */
            return vm_fail(vm, "MAP expects a step parameter which is strictly positive.");
        p->step = (int32_t)(uint32_t)(uint64_t)s.as.l;
    }
    if (l->len > n + 5) {
        if (l->items[n + 5].type != T_BOOLEAN)
            return vm_fail(vm, "MAP expects a boolean as 'override tick' parameter.");
        p->override = l->items[n + 5].as.b;
    }
    *nseries = n;
    return true;
}

static bool w_map(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    map_params p = {.fn = v_null(), .step = 1};
    gts **in = NULL;
    size_t nin = 0, depth = 1;
    bool ok;
    if (top.type == T_MAP) {
        if (!vm_need(vm, 2))
            return false;
        value below = *vm_peek(vm, 1);
        bool good = below.type == T_GTS;
        if (below.type == T_LIST) {
            /* a list of GTS, or a list of lists of GTS */
            good = true;
            const list *l = AS_LIST(below);
            for (size_t i = 0; good && i < l->len; i++) {
                value e = l->items[i];
                if (e.type == T_LIST) {
                    for (size_t j = 0; good && j < AS_LIST(e)->len; j++)
                        good = AS_LIST(e)->items[j].type == T_GTS;
                } else {
                    good = e.type == T_GTS;
                }
            }
        }
        if (!good)
            return vm_fail(vm, "MAP operates on lists of Geo Time Series.");
        if (!params_from_map(vm, AS_MAP(top), &p))
            goto fail;
        const value *items = below.type == T_LIST ? AS_LIST(below)->items : vm_peek(vm, 1);
        size_t nitems = below.type == T_LIST ? AS_LIST(below)->len : 1;
        if (!fw_collect(vm, "MAP", "operates on lists of Geo Time Series.", items, nitems, &in, &nin))
            goto fail;
        depth = 2;
    } else if (top.type == T_LIST) {
        size_t ns = 0;
        if (!params_from_list(vm, AS_LIST(top), &ns, &p))
            return false;
        if (!fw_collect(vm, "MAP", "operates on lists of Geo Time Series.", AS_LIST(top)->items, ns, &in, &nin))
            return false;
    } else {
        return vm_fail(vm, "MAP expects a list as input or a map of parameters on top of a list of GTS.");
    }
    value fn = val_retain(p.fn);
    p.fn = fn;
    bool popped = agg_runs_macro(fn);
    if (popped)
        vm_drop(vm, depth);
    list *res = list_new(vm, nin);
    ok = res != NULL;
    for (size_t i = 0; ok && i < nin; i++) {
        value r = v_null();
        ok = map_series(vm, w, in[i], &p, &r);
        if (r.type != T_NULL)
            ok = list_push(vm, res, r) && ok;
    }
    if (!ok) {
        if (res)
            val_release(vm, v_obj(T_LIST, res));
    } else {
        if (!popped)
            vm_drop(vm, depth);
        ok = vm_push(vm, v_obj(T_LIST, res));
    }
    fw_free_series(vm, in, nin);
    val_release(vm, fn);
    if (p.out_ticks)
        vm_dealloc(vm, p.out_ticks, (p.nout ? p.nout : 1) * sizeof(int64_t));
    return ok;
fail:
    if (p.out_ticks)
        vm_dealloc(vm, p.out_ticks, (p.nout ? p.nout : 1) * sizeof(int64_t));
    return false;
}

/* ---- single-value mappers ---- */

enum {
    M_ADD, M_MUL, M_POW, M_EXP, M_LOG, M_MOD, M_MINX, M_MAXX, M_ABS, M_CEIL, M_FLOOR, M_ROUND, M_SQRT, M_SIGMOID,
    M_TANH, M_FINITE, M_TOLONG, M_TODOUBLE, M_TOBOOLEAN, M_TOSTRING, M_TICK, M_REPLACE, M_YEAR, M_MONTH, M_DAY,
    M_WEEKDAY, M_HOUR, M_MINUTE, M_SECOND,
};

/* Java's Math.round(float) (a LONG argument picks the float overload). */
static int64_t round_float(float f)
{
    if (f != f)
        return 0;
    double r = floor((double)f);
    if ((double)f - r >= 0.5)
        r += 1.0;
    return r >= 2147483647.0 ? INT32_MAX : r <= -2147483648.0 ? INT32_MIN : (int64_t)r;
}

/* Java's Math.round(double): nearest, ties toward +infinity. */
static int64_t round_double(double d)
{
    if (d != d)
        return 0;
    double r = floor(d);
    if (d - r >= 0.5)
        r += 1.0;
    return java_d2l(r);
}

static bool parse_long_dec(const str *s, int64_t *out)
{
    const char *p = s->data;
    size_t n = s->len, i = 0;
    bool neg = false;
    if (n && (p[0] == '-' || p[0] == '+')) {
        neg = p[0] == '-';
        i = 1;
    }
    if (i == n)
        return false;
    uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        unsigned dg = (unsigned)(p[i] - '0');
        if (v > (lim - dg) / 10)
            return false;
        v = v * 10 + dg;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static bool parse_double_java(const str *s, double *out)
{
    /* Double.valueOf: trimmed, decimal or NaN/Infinity, optional d/f suffix */
    char buf[128];
    size_t b = 0, e = s->len;
    while (b < e && (unsigned char)s->data[b] <= ' ')
        b++;
    while (e > b && (unsigned char)s->data[e - 1] <= ' ')
        e--;
    if (e - b == 0 || e - b >= sizeof buf)
        return false;
    memcpy(buf, s->data + b, e - b);
    buf[e - b] = 0;
    size_t n = e - b;
    if (n > 1 && strchr("dDfF", buf[n - 1]))
        buf[--n] = 0;
    const char *q = buf + (buf[0] == '+' || buf[0] == '-');
    if (strcmp(q, "NaN") == 0 || strcmp(q, "Infinity") == 0) {
        double v = q[0] == 'N' ? NAN : INFINITY;
        *out = buf[0] == '-' ? -v : v;
        return true;
    }
    for (const char *c = q; *c; c++)
        if (!strchr("0123456789.eE+-", *c))
            return false;
    char *end;
    *out = strtod(buf, &end);
    return end == buf + n && end != buf;
}

static bool m_single(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    int op = (int)f->def->magic;
    if (w->n == 0) {
        out->tick = op == M_REPLACE ? w->tick : 0;
        return true;
    }
    if (op == M_REPLACE) {
        out->loc = aw_loc(w, 0);
        out->elev = aw_elev(w, 0);
        out->v = val_retain(f->params[0]);
        return true;
    }
    if (w->n != 1)
        return vm_fail(vm, "%s can only be applied to a single value.", f->def->name);
    out->loc = aw_loc(w, 0);
    out->elev = aw_elev(w, 0);
    value v = aw_value(w, 0);
    value c = f->nparams ? f->params[0] : v_null();
    bool num = val_is_number(v);
    switch (op) {
    case M_TICK:
        out->v = v_long(w->tick);
        return true;
    case M_YEAR:
    case M_MONTH:
    case M_DAY:
    case M_WEEKDAY:
    case M_HOUR:
    case M_MINUTE:
    case M_SECOND: {
        /* Joda's DateTime of the tick in milliseconds (truncated) */
        const str *id = AS_STR(f->params[0]);
        tu_zone *z;
        if (!tz_load(vm, f->def->name, id->data, id->len, &z))
            return false;
        tu_fields tf;
        tu_split((w->tick / 1000) * 1000, z, &tf);
        tz_free(vm, z);
        if (op == M_SECOND) { /* MapperSecondOfMinute: a DOUBLE with the tick's fraction of second */
            out->v = v_double((double)tf.second + (double)(w->tick % 1000000) / 1000000.0);
            return true;
        }
        int64_t r = op == M_YEAR ? tf.year : op == M_MONTH ? tf.month : op == M_DAY ? tf.day : op == M_WEEKDAY ? tf.wday
                    : op == M_HOUR ? tf.hour : tf.minute;
        out->v = v_long(r);
        return true;
    }
    case M_FINITE:
        out->v = (v.type == T_DOUBLE && !isfinite(v.as.d)) ? v_null() : val_retain(v);
        return true;
    case M_TOLONG:
        if (v.type == T_LONG)
            out->v = v;
        else if (v.type == T_DOUBLE)
            out->v = v_long(java_d2l(v.as.d));
        else if (v.type == T_BOOLEAN)
            out->v = v_long(v.as.b ? 1 : 0);
        else if (v.type == T_STRING) {
            int64_t l;
            out->v = parse_long_dec(AS_STR(v), &l) ? v_long(l) : v_null();
        }
        return true;
    case M_TODOUBLE:
        if (num)
            out->v = v_double(v.type == T_LONG ? (double)v.as.l : v.as.d);
        else if (v.type == T_BOOLEAN)
            out->v = v_double(v.as.b ? 1.0 : 0.0);
        else if (v.type == T_STRING) {
            double d;
            out->v = parse_double_java(AS_STR(v), &d) ? v_double(d) : v_null();
        }
        return true;
    case M_TOBOOLEAN:
        if (v.type == T_LONG)
            out->v = v_bool(v.as.l != 0);
        else if (v.type == T_DOUBLE)
            out->v = v_bool(v.as.d != 0.0);
        else if (v.type == T_BOOLEAN)
            out->v = v;
        else if (v.type == T_STRING)
            out->v = v_bool(AS_STR(v)->len != 0);
        return true;
    case M_TOSTRING: {
        if (v.type == T_STRING) {
            out->v = val_retain(v);
            return true;
        }
        sbuf b;
        sb_init(&b, vm);
        agg_to_string(&b, v);
        bool ok = !b.failed;
        if (ok) {
            out->v = str_new(vm, b.p ? b.p : "", b.len);
            ok = !val_is_oom(out->v);
        } else {
            vm_oom(vm);
        }
        sb_free(&b);
        return ok;
    }
    default:
        break;
    }
    if (!num)
        return vm_fail(vm, "%s can only be applied to LONG or DOUBLE values.", f->def->name);
    bool isl = v.type == T_LONG;
    double d = isl ? (double)v.as.l : v.as.d;
    switch (op) {
    case M_ADD:
    case M_MUL:
        /* a LONG constant truncates a DOUBLE value first (MapperAdd) */
        if (c.type == T_LONG) {
            int64_t x = isl ? v.as.l : java_d2l(v.as.d);
            out->v = v_long(op == M_ADD ? wadd(c.as.l, x) : wmul(c.as.l, x));
        } else {
            out->v = v_double(op == M_ADD ? c.as.d + d : c.as.d * d);
        }
        break;
    case M_POW:
        out->v = v_double(pow(d, f->dl));
        break;
    case M_EXP:
        out->v = v_double(pow(f->dl, d));
        break;
    case M_LOG:
        out->v = v_double(log(d) / f->dl);
        break;
    case M_MOD:
        if (c.type == T_LONG && isl) {
            if (c.as.l == 0)
                return vm_fail(vm, "/ by zero");
            out->v = v_long(c.as.l == -1 ? 0 : v.as.l % c.as.l);
        } else {
            out->v = v_double(fmod(d, c.type == T_LONG ? (double)c.as.l : c.as.d));
        }
        break;
    case M_MINX:
    case M_MAXX:
        if (isl && c.type == T_LONG) {
            out->v = v_long(op == M_MINX ? (v.as.l < c.as.l ? v.as.l : c.as.l) : (v.as.l > c.as.l ? v.as.l : c.as.l));
        } else {
            double k = c.type == T_LONG ? (double)c.as.l : c.as.d;
            /* Math.min/max: NaN wins, -0.0 < 0.0 */
            double r;
            if (d != d || k != k)
                r = NAN;
            else if (d == k)
                r = op == M_MINX ? (signbit(d) ? d : k) : (signbit(d) ? k : d);
            else
                r = op == M_MINX ? (d < k ? d : k) : (d > k ? d : k);
            out->v = v_double(r);
        }
        break;
    case M_ABS:
        out->v = isl ? v_long(v.as.l < 0 ? (int64_t)(0 - (uint64_t)v.as.l) : v.as.l) : v_double(fabs(d));
        break;
    case M_CEIL:
        out->v = v_double(isl ? d : ceil(d));
        break;
    case M_FLOOR:
        out->v = v_double(isl ? d : floor(d));
        break;
    case M_ROUND:
        out->v = v_long(isl ? round_float((float)v.as.l) : round_double(d));
        break;
    case M_SQRT:
        out->v = v_double(sqrt(d));
        break;
    case M_SIGMOID:
        out->v = v_double(1.0 / (1.0 + exp(-d)));
        break;
    case M_TANH:
        out->v = v_double(tanh(d));
        break;
    default:
        break;
    }
    return true;
}

/* Builders for constants: pow/exp/log keep a DOUBLE (log keeps ln(base),
 * as Warp 10 prints it), replace any scalar. */
static bool build_const(exo_vm *vm, const word *w, const fn_def *d)
{
    value c = *vm_peek(vm, 0);
    bool scalar = d->magic == M_REPLACE;
    if (scalar ? !(val_is_number(c) || c.type == T_STRING || c.type == T_BOOLEAN) : !val_is_number(c))
        return vm_type_error(vm, w, 1, scalar ? "a LONG, a DOUBLE, a STRING or a BOOLEAN" : "a LONG or a DOUBLE");
    double dv = val_as_double(c);
    value p = val_retain(c);
    if (d->magic == M_POW || d->magic == M_EXP)
        p = v_double(dv);
    else if (d->magic == M_LOG)
        p = v_double(dv = log(dv));
    function *f = fn_new(vm, d, &p, 1);
    if (!f)
        return false;
    f->dl = dv;
    f->il = c.type == T_LONG ? c.as.l : 0;
    vm_drop(vm, 1);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

/* ---- comparison mappers (Warp 10's CompareTo): keep the earliest point
 * whose value / tick / lat / lon / elevation / hhcode passes ---- */

enum { C_VALUE, C_TICK, C_LAT, C_LON, C_ELEV, C_HHCODE };
enum { C_GT, C_GE, C_EQ, C_LE, C_LT, C_NE };

static int sgn_l(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

static int sgn_d(double a, double b)
{
    if (a < b)
        return -1;
    if (a > b)
        return 1;
    if (a != a || b != b)
        return (a != a) - (b != b);
    return signbit(a) == signbit(b) ? 0 : (signbit(a) ? -1 : 1);
}

static bool cmp_ok(int c, int how)
{
    switch (how) {
    case C_GT:
        return c > 0;
    case C_GE:
        return c >= 0;
    case C_EQ:
        return c == 0;
    case C_LE:
        return c <= 0;
    case C_LT:
        return c < 0;
    default:
        return c != 0;
    }
}

static bool m_compare(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    int what = (int)f->def->magic / 8, how = (int)f->def->magic % 8;
    value ref = f->params[0];
    size_t idx = SIZE_MAX;
    for (size_t i = 0; i < w->n; i++) {
        if (idx != SIZE_MAX && w->ticks[i] >= w->ticks[idx])
            continue;
        int c;
        bool testable = true;
        switch (what) {
        case C_TICK:
            c = sgn_l(w->ticks[i], ref.as.l);
            break;
        case C_HHCODE:
            c = sgn_l(aw_loc(w, i), ref.as.l);
            break;
        case C_ELEV:
            c = sgn_l(aw_elev(w, i), ref.as.l);
            break;
        case C_LAT:
        case C_LON: {
            double la, lo;
            gts_unpack_location(aw_loc(w, i), &la, &lo);
            c = sgn_d(what == C_LAT ? la : lo, val_as_double(ref));
            break;
        }
        default: {
            value v = aw_value(w, i);
            if (ref.type == T_LONG) {
                testable = val_is_number(v);
                c = testable ? sgn_l(v.type == T_LONG ? v.as.l : java_d2l(v.as.d), ref.as.l) : 0;
            } else if (ref.type == T_DOUBLE) {
                testable = val_is_number(v);
                c = testable ? sgn_d(val_as_double(v), ref.as.d) : 0;
            } else if (ref.type == T_BOOLEAN) {
                testable = v.type == T_BOOLEAN;
                c = testable ? (int)v.as.b - (int)ref.as.b : 0;
            } else {
                sbuf b;
                sb_init(&b, vm);
                agg_to_string(&b, v);
                const str *r = AS_STR(ref);
                size_t m = b.len < r->len ? b.len : r->len;
                int d = memcmp(b.p ? b.p : "", r->data, m);
                c = d ? (d < 0 ? -1 : 1) : sgn_l((int64_t)b.len, (int64_t)r->len);
                sb_free(&b);
            }
        }
        }
        if (testable && cmp_ok(c, how))
            idx = i;
    }
    if (idx == SIZE_MAX)
        return true;
    out->tick = w->ticks[idx];
    out->loc = aw_loc(w, idx);
    out->elev = aw_elev(w, idx);
    out->v = val_retain(aw_value(w, idx));
    return true;
}

static bool build_compare(exo_vm *vm, const word *w, const fn_def *d)
{
    int what = (int)d->magic / 8, how = (int)d->magic % 8;
    value c = *vm_peek(vm, 0);
    if (what == C_VALUE && !(val_is_number(c) || c.type == T_STRING || c.type == T_BOOLEAN))
        return vm_fail(vm, "%s can only compare with a STRING, a DOUBLE, a LONG or a BOOLEAN.", d->name);
    if ((what == C_TICK || what == C_HHCODE || what == C_ELEV) && c.type != T_LONG)
        return vm_fail(vm, "%s can only compare with a LONG.", d->name);
    if ((what == C_LAT || what == C_LON) && !val_is_number(c))
        return vm_fail(vm, "%s can only compare with a DOUBLE or a LONG.", d->name);
    if (c.type == T_BOOLEAN && how != C_EQ && how != C_NE)
        return vm_fail(vm, "%s cannot compare with a BOOLEAN.", d->name);
    (void)w;
    value p = val_retain(c);
    function *f = fn_new(vm, d, &p, 1);
    if (!f)
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

/* Calendar mappers take a zone id, or a millisecond offset (Joda's
 * forOffsetMillis), checked when the mapper is built. */
static bool build_calendar(exo_vm *vm, const word *w, const fn_def *d)
{
    value z = *vm_peek(vm, 0);
    value id;
    if (z.type == T_STRING) {
        id = val_retain(z);
    } else if (val_is_number(z)) {
        int32_t ms = (int32_t)(uint32_t)(uint64_t)(z.type == T_LONG ? z.as.l : java_d2l(z.as.d));
        int64_t a = ms < 0 ? -(int64_t)ms : ms;
        char buf[32];
        int n = a % 60000 ? snprintf(buf, sizeof buf, "%c%02d:%02d:%02d.%03d", ms < 0 ? '-' : '+', (int)(a / 3600000),
                                     (int)(a / 60000 % 60), (int)(a / 1000 % 60), (int)(a % 1000))
                          : snprintf(buf, sizeof buf, "%c%02d:%02d", ms < 0 ? '-' : '+', (int)(a / 3600000), (int)(a / 60000 % 60));
        id = ms == 0 ? str_from(vm, "UTC") : str_new(vm, buf, (size_t)n);
        if (val_is_oom(id))
            return false;
    } else {
        return vm_fail(vm, "%s expects a STRING timezone or a NUMBER millisecond offset.", d->name);
    }
    tu_zone *tz;
    if (!tz_load(vm, d->name, AS_STR(id)->data, AS_STR(id)->len, &tz)) {
        val_release(vm, id);
        return false;
    }
    tz_free(vm, tz);
    (void)w;
    function *f = fn_new(vm, d, &id, 1);
    if (!f)
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

static bool w_const(exo_vm *vm, const word *w) { return vm_push(vm, v_long(w->magic)); }

/* ---- mapper.* ---- */

#define NOP FP_ANY
/* X(id, name, kernel, flags, magic, nparams, ptype, builder, sig, doc) */
#define MAPPERS(X)                                                                                                     \
    X(sum, "mapper.sum", agg_sum, AGGF_SKIP_NULLS | AGGF_SLIDE, AGG_SLIDE_SUM, 0, NOP, NULL, "-- mapper",             \
      "Sum of the window's values (LONG if the first is LONG).")                                                      \
    X(sum_fn, "mapper.sum.forbid-nulls", agg_sum, 0, 0, 0, NOP, NULL, "-- mapper", "Sum of the window's values.")     \
    X(mean, "mapper.mean", agg_mean, AGGF_SLIDE, AGG_SLIDE_MEAN, 0, NOP, NULL, "-- mapper",                           \
      "Mean of the window's values (DOUBLE).")                                                                         \
    X(mean_en, "mapper.mean.exclude-nulls", agg_mean, AGGF_SKIP_NULLS, 0, 0, NOP, NULL, "-- mapper",                 \
      "Mean of the window's values.")                                                                                  \
    X(min, "mapper.min", agg_min, AGGF_SKIP_NULLS | AGGF_SLIDE, AGG_SLIDE_MIN, 0, NOP, NULL, "-- mapper",             \
      "Smallest value of the window.")                                                                                 \
    X(min_fn, "mapper.min.forbid-nulls", agg_min, 0, 0, 0, NOP, NULL, "-- mapper", "Smallest value of the window.")   \
    X(max, "mapper.max", agg_max, AGGF_SKIP_NULLS | AGGF_SLIDE, AGG_SLIDE_MAX, 0, NOP, NULL, "-- mapper",             \
      "Largest value of the window.")                                                                                  \
    X(max_fn, "mapper.max.forbid-nulls", agg_max, 0, 0, 0, NOP, NULL, "-- mapper", "Largest value of the window.")    \
    X(first, "mapper.first", agg_first, AGGF_SLIDE, AGG_SLIDE_FIRST, 0, NOP, NULL, "-- mapper", "Value of the window's oldest point.")      \
    X(last, "mapper.last", agg_last, AGGF_SLIDE, AGG_SLIDE_LAST, 0, NOP, NULL, "-- mapper", "Value of the window's newest point.")         \
    X(count, "mapper.count", agg_count, AGGF_SLIDE, AGG_SLIDE_COUNT, 0, NOP, NULL, "-- mapper",                       \
      "Number of points in the window.")                                                                               \
    X(count_in, "mapper.count.include-nulls", agg_count, 0, 0, 0, NOP, NULL, "-- mapper",                            \
      "Number of points in the window.")                                                                               \
    X(count_en, "mapper.count.exclude-nulls", agg_count, AGGF_SKIP_NULLS, 0, 0, NOP, NULL, "-- mapper",              \
      "Number of non-null values in the window.")                                                                      \
    X(count_nn, "mapper.count.nonnull", agg_count, AGGF_SKIP_NULLS, 0, 0, NOP, NULL, "-- mapper",                    \
      "Number of non-null values in the window.")                                                                      \
    X(and, "mapper.and", agg_and, 0, 0, 0, NOP, NULL, "-- mapper", "Logical AND of the window's values.")            \
    X(or, "mapper.or", agg_or, 0, 0, 0, NOP, NULL, "-- mapper", "Logical OR of the window's values.")                \
    X(join, "mapper.join", agg_join, AGGF_SKIP_NULLS, 0, 1, NOP, agg_build_join, "sep -- mapper",                    \
      "The window's values joined with sep.")                                                                          \
    X(join_fn, "mapper.join.forbid-nulls", agg_join, 0, 0, 1, NOP, agg_build_join, "sep -- mapper",                  \
      "The window's values joined with sep.")                                                                          \
    X(median, "mapper.median", agg_median, 0, 0, 0, NOP, NULL, "-- mapper", "Median of the window (DOUBLE).")        \
    X(median_fn, "mapper.median.forbid-nulls", agg_median, AGGF_FAIL_NULLS, 0, 0, NOP, NULL, "-- mapper",            \
      "Median of the window (DOUBLE).")                                                                                \
    X(mad, "mapper.mad", agg_mad, 0, 0, 0, NOP, NULL, "-- mapper", "Median absolute deviation of the window.")       \
    X(rms, "mapper.rms", agg_rms, 0, 0, 0, NOP, NULL, "-- mapper", "Root mean square of the window.")                \
    X(pct, "mapper.percentile", agg_percentile, 0, 0, 1, NOP, agg_build_percentile, "p ('typeN') -- mapper",          \
      "The p-th percentile of the window.")                                                                            \
    X(var, "mapper.var", agg_var, AGGF_SKIP_NULLS, 0, 1, FP_BOOL, NULL, "bessel -- mapper", "Variance of the window.") \
    X(var_fn, "mapper.var.forbid-nulls", agg_var, 0, 0, 1, FP_BOOL, NULL, "bessel -- mapper",                        \
      "Variance of the window.")                                                                                       \
    X(sd, "mapper.sd", agg_var, AGGF_SKIP_NULLS | AGGF_SD, 0, 1, FP_BOOL, NULL, "bessel -- mapper",                  \
      "Standard deviation of the window.")                                                                             \
    X(sd_fn, "mapper.sd.forbid-nulls", agg_var, AGGF_SD, 0, 1, FP_BOOL, NULL, "bessel -- mapper",                    \
      "Standard deviation of the window.")                                                                             \
    X(var_w, "mapper.var.welford", agg_var, AGGF_SKIP_NULLS | AGGF_WELFORD, 0, 1, FP_BOOL, NULL, "bessel -- mapper", \
      "Variance of the window (Welford).")                                                                             \
    X(sd_w, "mapper.sd.welford", agg_var, AGGF_SKIP_NULLS | AGGF_WELFORD | AGGF_SD, 0, 1, FP_BOOL, NULL,             \
      "bessel -- mapper", "Standard deviation of the window (Welford).")                                               \
    X(cmean, "mapper.mean.circular", agg_circular_mean, 0, 0, 1, FP_NUMBER, agg_build_circular, "period -- mapper",   \
      "Circular mean of the window for the given period.")                                                             \
    X(cmean_en, "mapper.mean.circular.exclude-nulls", agg_circular_mean, AGGF_SKIP_NULLS, 0, 1, FP_NUMBER,            \
      agg_build_circular, "period -- mapper", "Circular mean of the window.")                                          \
    X(product, "mapper.product", agg_product, 0, 0, 0, NOP, NULL, "-- mapper", "Product of the window's values.")    \
    X(delta, "mapper.delta", agg_delta, AGGF_SLIDE, AGG_SLIDE_DELTA, 0, NOP, NULL, "-- mapper",                                              \
      "Last minus first value of the window (0 for one point).")                                                       \
    X(rate, "mapper.rate", agg_rate, AGGF_SLIDE, AGG_SLIDE_RATE, 0, NOP, NULL, "-- mapper",                                                 \
      "(last - first) / elapsed seconds over the window (DOUBLE).")                                                    \
    X(add, "mapper.add", m_single, 0, M_ADD, 1, FP_NUMBER, NULL, "c -- mapper",                                      \
      "value + c (a LONG c truncates DOUBLE values).")                                                                 \
    X(mul, "mapper.mul", m_single, 0, M_MUL, 1, FP_NUMBER, NULL, "c -- mapper",                                      \
      "value * c (a LONG c truncates DOUBLE values).")                                                                 \
    X(pow, "mapper.pow", m_single, 0, M_POW, 1, FP_NUMBER, build_const, "c -- mapper", "value ^ c (DOUBLE).")        \
    X(exp, "mapper.exp", m_single, 0, M_EXP, 1, FP_NUMBER, build_const, "c -- mapper", "c ^ value (DOUBLE).")        \
    X(log, "mapper.log", m_single, 0, M_LOG, 1, FP_NUMBER, build_const, "base -- mapper",                            \
      "Logarithm of the value in the given base.")                                                                     \
    X(mod, "mapper.mod", m_single, 0, M_MOD, 1, FP_NUMBER, NULL, "m -- mapper", "value modulo m (Java remainder).")  \
    X(minx, "mapper.min.x", m_single, 0, M_MINX, 1, FP_NUMBER, NULL, "c -- mapper", "min(value, c).")                \
    X(maxx, "mapper.max.x", m_single, 0, M_MAXX, 1, FP_NUMBER, NULL, "c -- mapper", "max(value, c).")                \
    X(abs, "mapper.abs", m_single, 0, M_ABS, 0, NOP, NULL, "-- mapper", "Absolute value.")                            \
    X(ceil, "mapper.ceil", m_single, 0, M_CEIL, 0, NOP, NULL, "-- mapper", "Ceiling (DOUBLE).")                       \
    X(floor, "mapper.floor", m_single, 0, M_FLOOR, 0, NOP, NULL, "-- mapper", "Floor (DOUBLE).")                      \
    X(round, "mapper.round", m_single, 0, M_ROUND, 0, NOP, NULL, "-- mapper", "Nearest LONG (ties up).")              \
    X(sqrt, "mapper.sqrt", m_single, 0, M_SQRT, 0, NOP, NULL, "-- mapper", "Square root (DOUBLE).")                   \
    X(sigmoid, "mapper.sigmoid", m_single, 0, M_SIGMOID, 0, NOP, NULL, "-- mapper", "1 / (1 + e^-value).")           \
    X(tanh, "mapper.tanh", m_single, 0, M_TANH, 0, NOP, NULL, "-- mapper", "Hyperbolic tangent.")                     \
    X(finite, "mapper.finite", m_single, 0, M_FINITE, 0, NOP, NULL, "-- mapper",                                     \
      "The value unless it is NaN or infinite.")                                                                       \
    X(tolong, "mapper.tolong", m_single, 0, M_TOLONG, 0, NOP, NULL, "-- mapper", "The value as a LONG.")             \
    X(todouble, "mapper.todouble", m_single, 0, M_TODOUBLE, 0, NOP, NULL, "-- mapper", "The value as a DOUBLE.")     \
    X(toboolean, "mapper.toboolean", m_single, 0, M_TOBOOLEAN, 0, NOP, NULL, "-- mapper", "The value as a BOOLEAN.") \
    X(tostring, "mapper.tostring", m_single, 0, M_TOSTRING, 0, NOP, NULL, "-- mapper", "The value as a STRING.")     \
    X(tick, "mapper.tick", m_single, 0, M_TICK, 0, NOP, NULL, "-- mapper", "The tick as value.")                      \
    X(replace, "mapper.replace", m_single, 0, M_REPLACE, 1, FP_SCALAR, build_const, "c -- mapper",                   \
      "c wherever the window holds a value.")                                                                          \
    X(year, "mapper.year", m_single, 0, M_YEAR, 1, NOP, build_calendar, "tz -- mapper", "Year of the tick in zone tz.") \
    X(month, "mapper.month", m_single, 0, M_MONTH, 1, NOP, build_calendar, "tz -- mapper",                            \
      "Month (1-12) of the tick in zone tz.")                                                                          \
    X(day, "mapper.day", m_single, 0, M_DAY, 1, NOP, build_calendar, "tz -- mapper", "Day of month of the tick in tz.") \
    X(weekday, "mapper.weekday", m_single, 0, M_WEEKDAY, 1, NOP, build_calendar, "tz -- mapper",                      \
      "Day of week (1 = Monday) of the tick in zone tz.")                                                              \
    X(hour, "mapper.hour", m_single, 0, M_HOUR, 1, NOP, build_calendar, "tz -- mapper", "Hour of the tick in zone tz.") \
    X(minute, "mapper.minute", m_single, 0, M_MINUTE, 1, NOP, build_calendar, "tz -- mapper",                         \
      "Minute of the tick in zone tz.")                                                                                \
    X(second, "mapper.second", m_single, 0, M_SECOND, 1, NOP, build_calendar, "tz -- mapper",                         \
      "Second of the tick in zone tz, with its fraction (DOUBLE).")

#define CMP_VARIANTS(X, op, OP, txt)                                                                                   \
    X(op, "mapper." #op, m_compare, 0, C_VALUE * 8 + OP, 1, FP_ANY, build_compare, "threshold -- mapper",           \
      "Keeps the value if it is " txt " the threshold.")                                                               \
    X(op##_tick, "mapper." #op ".tick", m_compare, 0, C_TICK * 8 + OP, 1, FP_ANY, build_compare,                     \
      "threshold -- mapper", "Keeps the point if its tick is " txt " the threshold.")                                 \
    X(op##_lat, "mapper." #op ".lat", m_compare, 0, C_LAT * 8 + OP, 1, FP_ANY, build_compare, "threshold -- mapper",  \
      "Keeps the point if its latitude is " txt " the threshold.")                                                     \
    X(op##_lon, "mapper." #op ".lon", m_compare, 0, C_LON * 8 + OP, 1, FP_ANY, build_compare, "threshold -- mapper",  \
      "Keeps the point if its longitude is " txt " the threshold.")                                                    \
    X(op##_elev, "mapper." #op ".elev", m_compare, 0, C_ELEV * 8 + OP, 1, FP_ANY, build_compare,                     \
      "threshold -- mapper", "Keeps the point if its elevation is " txt " the threshold.")                            \
    X(op##_hh, "mapper." #op ".hhcode", m_compare, 0, C_HHCODE * 8 + OP, 1, FP_ANY, build_compare,                   \
      "threshold -- mapper", "Keeps the point if its HHCode is " txt " the threshold.")

#define COMPARATORS(X)                                                                                                 \
    CMP_VARIANTS(X, gt, C_GT, "greater than")                                                                          \
    CMP_VARIANTS(X, ge, C_GE, "greater than or equal to")                                                              \
    CMP_VARIANTS(X, eq, C_EQ, "equal to")                                                                              \
    CMP_VARIANTS(X, le, C_LE, "less than or equal to")                                                                 \
    CMP_VARIANTS(X, lt, C_LT, "less than")                                                                             \
    CMP_VARIANTS(X, ne, C_NE, "different from")

/* the roles each kernel can play (Warp 10's interfaces) */
#define ROLES_agg_sum AGG_ROLES
#define ROLES_agg_mean AGG_ROLES
#define ROLES_agg_min AGG_ROLES
#define ROLES_agg_max AGG_ROLES
#define ROLES_agg_first AGG_ROLES
#define ROLES_agg_last AGG_ROLES
#define ROLES_agg_count AGG_ROLES
#define ROLES_agg_and AGG_ROLES
#define ROLES_agg_or AGG_ROLES
#define ROLES_agg_join AGG_ROLES
#define ROLES_agg_median AGG_ROLES
#define ROLES_agg_mad AGG_ROLES
#define ROLES_agg_rms AGG_ROLES
#define ROLES_agg_percentile AGG_ROLES
#define ROLES_agg_var AGG_ROLES
#define ROLES_agg_circular_mean AGG_ROLES
#define ROLES_agg_delta AGG_ROLES
#define ROLES_agg_rate AGG_ROLES
#define ROLES_agg_product (FN_MAPPER | FN_REDUCER)
#define ROLES_m_compare AGG_ROLES
#define ROLES_m_single FN_MAPPER

#define DEF(id, nm, k, fl, mg, np, pt, bld, sig, doc)                                                                 \
    static const fn_def d_##id = {.name = nm,                                                                          \
                                  .kind = FN_KIND_AGGREGATOR,                                                          \
                                  .roles = ROLES_##k,                                                  \
                                  .nparams = np,                                                                       \
                                  .ptypes = {pt},                                                                      \
                                  .flags = fl,                                                                         \
                                  .magic = mg,                                                                         \
                                  .kernel = {.agg = k},                                                                \
                                  .build = bld};
MAPPERS(DEF)
COMPARATORS(DEF)
#undef DEF

static const fn_def d_macromapper = {.name = "MACROMAPPER",
                                     .kind = FN_KIND_AGGREGATOR,
                                     .roles = AGG_ROLES,
                                     .nparams = 1,
                                     .ptypes = {FP_MACRO},
                                     .kernel = {.agg = agg_macro},
                                     .build = agg_build_macro};

static const fn_def d_strictmapper = {.name = "STRICTMAPPER",
                                      .kind = FN_KIND_AGGREGATOR,
                                      .roles = FN_MAPPER,
                                      .nparams = 3,
                                      .kernel = {.agg = agg_strict},
                                      .build = agg_build_strict};

#define WORD(id, nm, k, fl, mg, np, pt, bld, sig, doc) EXO_WORD_DATA(nm, fn_word, np, sig, doc, &d_##id),

static const word mapper_words[] = {
    EXO_WORD("MAP", w_map, 1, "[gts.. mapper pre post occurrences (step) (override)] -- [gts..]",
             "Runs a mapper over a sliding window around each tick (or bucket) of each series; also gts {params} MAP."),
    EXO_WORD_DATA("MACROMAPPER", fn_word, 1, "macro -- mapper",
                  "A mapper running macro on [tick [names] [labels] [ticks] [lats] [lons] [elevs] [values]].",
                  &d_macromapper),
    EXO_WORD_DATA("STRICTMAPPER", fn_word, 3, "mapper min max -- mapper",
                  "Runs mapper only when the window's count (or -span) lies in [min, max].", &d_strictmapper),
    EXO_WORD_MAGIC("max.tick.sliding.window", w_const, 0, "-- long", "A pre/post meaning as many ticks as possible.",
                   INT64_MAX / 2),
    EXO_WORD_MAGIC("max.time.sliding.window", w_const, 0, "-- long", "A pre/post meaning as long a time as possible.",
                   INT64_MIN / 2),
    MAPPERS(WORD)
    COMPARATORS(WORD)
};

EXO_FAMILY(mapper, mapper_words)
