/* REDUCE / PREDUCE (spec d.3) and the reducer.* elements.
 * Series are partitioned by label values (interp/partition.c); each class
 * is reduced tick by tick over the union of its members' ticks, one slot
 * per member, nulls where a member has no point. Rows (the present values
 * of one tick, in member order) are laid out contiguously so the shared
 * kernels see the same zero-copy windows as in BUCKETIZE:
 *   - members with identical ticks (the common case) are transposed block
 *     by block through a cache-sized buffer;
 *   - otherwise the union is built by a tree of merges (a tick repeated in
 *     a member gives as many calls as its largest multiplicity, as Warp
 *     10's sweep does) and points are counting-sorted into rows. */
#include "aggregators.h"
#include "../interp/partition.h"

#include <string.h>

/* Row storage for one class: values (typed or `value`), optional
 * locations and elevations, member index of each entry. */
typedef struct rows {
    gts_type type;  /* common type of the members, GTS_UNDEFINED if mixed */
    size_t es;      /* bytes per value entry */
    bool has_loc, has_elev;
    char *vals;
    int64_t *loc, *elev;
    uint32_t *slot;
    size_t cap;
} rows;

static bool rows_alloc(exo_vm *vm, rows *r, size_t cap, bool slots)
{
    bool loc = r->has_loc, elev = r->has_elev;
    r->cap = cap ? cap : 1;
    r->vals = vm_alloc(vm, r->cap * r->es);
    r->loc = loc ? vm_alloc(vm, r->cap * sizeof(int64_t)) : NULL;
    r->elev = elev ? vm_alloc(vm, r->cap * sizeof(int64_t)) : NULL;
    r->slot = slots ? vm_alloc(vm, r->cap * sizeof(uint32_t)) : NULL;
    return r->vals && (!loc || r->loc) && (!elev || r->elev) && (!slots || r->slot);
}

static void rows_free(exo_vm *vm, rows *r)
{
    if (r->vals)
        vm_dealloc(vm, r->vals, r->cap * r->es);
    if (r->loc)
        vm_dealloc(vm, r->loc, r->cap * sizeof(int64_t));
    if (r->elev)
        vm_dealloc(vm, r->elev, r->cap * sizeof(int64_t));
    if (r->slot)
        vm_dealloc(vm, r->slot, r->cap * sizeof(uint32_t));
    r->vals = NULL;
    r->loc = r->elev = NULL;
    r->slot = NULL;
}

/* Copies point i of g into entry e. */
static inline void put(const rows *r, size_t e, const gts *g, size_t i)
{
    switch (r->type) {
    case GTS_LONG:
        ((int64_t *)r->vals)[e] = g->v.l[i];
        break;
    case GTS_DOUBLE:
        ((double *)r->vals)[e] = g->v.d[i];
        break;
    case GTS_BOOLEAN:
        ((uint8_t *)r->vals)[e] = g->v.b[i];
        break;
    case GTS_STRING:
        ((str **)r->vals)[e] = g->v.s[i];
        break;
    default: {
        value v;
        switch (g->type) {
        case GTS_LONG:
            v = v_long(g->v.l[i]);
            break;
        case GTS_DOUBLE:
            v = v_double(g->v.d[i]);
            break;
        case GTS_BOOLEAN:
            v = v_bool(g->v.b[i] != 0);
            break;
        default:
            v = v_obj(T_STRING, g->v.s[i]); /* borrowed */
        }
        ((value *)r->vals)[e] = v;
    }
    }
    if (r->loc)
        r->loc[e] = g->loc ? g->loc[i] : GTS_NO_LOCATION;
    if (r->elev)
        r->elev[e] = g->elev ? g->elev[i] : GTS_NO_ELEVATION;
}

/* Points the window at entries [a, a + n) of r. */
static void view(agg_window *w, const rows *r, size_t a, size_t n)
{
    w->n = n;
    w->type = r->type;
    w->loc = r->loc ? r->loc + a : NULL;
    w->elev = r->elev ? r->elev + a : NULL;
    w->slot = r->slot ? r->slot + a : NULL;
    const char *p = r->vals + a * r->es;
    switch (r->type) {
    case GTS_LONG:
        w->v.l = (const int64_t *)p;
        break;
    case GTS_DOUBLE:
        w->v.d = (const double *)p;
        break;
    case GTS_BOOLEAN:
        w->v.b = (const uint8_t *)p;
        break;
    case GTS_STRING:
        w->v.s = (str *const *)p;
        break;
    default:
        w->vals = (const value *)p;
    }
}

typedef struct reducer_run {
    const word *w;
    value fn;
    bool override;
    gts *dst;
    size_t k; /* members: slots per row */
    agg_window win;
    int64_t *tscratch; /* the tick repeated, one per slot */
} reducer_run;

static bool run_row(exo_vm *vm, reducer_run *rr, int64_t tick)
{
    agg_out o;
    for (size_t i = 0; i < rr->win.n; i++)
        rr->tscratch[i] = tick;
    rr->win.nulls = rr->k - rr->win.n;
    rr->win.tick = tick;
    if (!agg_apply(vm, AS_FN(rr->fn), &rr->win, &o))
        return false;
    return agg_store(vm, rr->dst, rr->override ? o.tick : tick, &o);
}

/* Members with identical ticks: no nulls, rows transposed block by block. */
static bool reduce_aligned(exo_vm *vm, reducer_run *rr, gts *const *m, size_t k, rows *r)
{
    size_t len = m[0]->len;
    size_t block = (256 * 1024) / (k * r->es + 1);
    block = block < 1 ? 1 : (block > len ? len : block);
    if (!rows_alloc(vm, r, block * k, false))
        return false;
    bool ok = true;
    for (size_t u0 = 0; ok && u0 < len; u0 += block) {
        size_t u1 = u0 + block < len ? u0 + block : len;
        for (size_t j = 0; j < k; j++)
            for (size_t u = u0; u < u1; u++)
                put(r, (u - u0) * k + j, m[j], u);
        for (size_t u = u0; ok && u < u1; u++) {
            view(&rr->win, r, (u - u0) * k, k);
            ok = run_row(vm, rr, m[0]->ticks[u]);
        }
    }
    return ok;
}

/* Merges two sorted tick multisets keeping each tick's larger multiplicity. */
static size_t merge_union(const int64_t *a, size_t na, const int64_t *b, size_t nb, int64_t *out)
{
    size_t i = 0, j = 0, k = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            out[k++] = a[i++];
        else if (a[i] > b[j])
            out[k++] = b[j++];
        else {
            out[k++] = a[i++];
            j++;
        }
    }
    while (i < na)
        out[k++] = a[i++];
    while (j < nb)
        out[k++] = b[j++];
    return k;
}

typedef struct tarr {
    int64_t *p;
    size_t n, cap; /* cap 0: borrowed */
} tarr;

static bool union_ticks(exo_vm *vm, gts *const *m, size_t k, tarr *out)
{
    tarr *a = vm_alloc(vm, k * sizeof(tarr));
    if (!a)
        return false;
    for (size_t i = 0; i < k; i++)
        a[i] = (tarr){m[i]->ticks, m[i]->len, 0};
    size_t n = k;
    bool ok = true;
    while (ok && n > 1) {
        size_t h = 0;
        for (size_t i = 0; i < n; i += 2) {
            if (i + 1 == n) {
                a[h++] = a[i];
                continue;
            }
            tarr x = a[i], y = a[i + 1], z = {NULL, 0, x.n + y.n};
            z.p = ok ? vm_alloc(vm, (z.cap ? z.cap : 1) * sizeof(int64_t)) : NULL;
            if (!z.p) {
                ok = false;
                z.cap = 0;
            } else {
                z.cap = z.cap ? z.cap : 1;
                z.n = merge_union(x.p, x.n, y.p, y.n, z.p);
            }
            if (x.cap)
                vm_dealloc(vm, x.p, x.cap * sizeof(int64_t));
            if (y.cap)
                vm_dealloc(vm, y.p, y.cap * sizeof(int64_t));
            a[h++] = z;
        }
        n = h;
    }
    if (ok)
        *out = a[0];
    else
        for (size_t i = 0; i < n; i++)
            if (a[i].cap)
                vm_dealloc(vm, a[i].p, a[i].cap * sizeof(int64_t));
    vm_dealloc(vm, a, k * sizeof(tarr));
    return ok;
}

/* First index >= c of the sorted u holding t (galloping). */
static size_t gallop(const int64_t *u, size_t n, size_t c, int64_t t)
{
    size_t step = 1, lo = c, hi = c;
    while (hi < n && u[hi] < t) {
        lo = hi + 1;
        hi = c + step;
        step *= 2;
    }
    if (hi > n)
        hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* General case: union of ticks, points counting-sorted into rows. */
static bool reduce_sparse(exo_vm *vm, reducer_run *rr, gts *const *m, size_t k, rows *r)
{
    tarr u = {0};
    size_t total = 0;
    for (size_t j = 0; j < k; j++)
        total += m[j]->len;
    if (!union_ticks(vm, m, k, &u))
        return false;
    size_t nu = u.n;
    uint32_t *pos = vm_alloc(vm, (total ? total : 1) * sizeof(uint32_t));
    size_t *start = vm_calloc(vm, (nu + 1) * sizeof(size_t));
    bool ok = pos && start && nu < UINT32_MAX;
    if (ok) {
        size_t p = 0;
        for (size_t j = 0; j < k; j++) {
            size_t c = 0;
            for (size_t i = 0; i < m[j]->len; i++) {
                int64_t t = m[j]->ticks[i];
                c = (c < nu && u.p[c] == t) ? c : gallop(u.p, nu, c, t);
                pos[p++] = (uint32_t)c;
                start[c + 1]++;
                c++;
            }
        }
        for (size_t i = 0; i < nu; i++)
            start[i + 1] += start[i];
        ok = rows_alloc(vm, r, total, true);
    }
    if (ok) {
        /* fill member by member: each row ends up in member order */
        size_t p = 0;
        for (size_t j = 0; j < k; j++)
            for (size_t i = 0; i < m[j]->len; i++) {
                size_t e = start[pos[p++]]++;
                put(r, e, m[j], i);
                r->slot[e] = (uint32_t)j;
            }
        /* start[i] now holds the end of row i */
        size_t a = 0;
        for (size_t i = 0; ok && i < nu; i++) {
            view(&rr->win, r, a, start[i] - a);
            ok = run_row(vm, rr, u.p[i]);
            a = start[i];
        }
    }
    if (pos)
        vm_dealloc(vm, pos, (total ? total : 1) * sizeof(uint32_t));
    if (start)
        vm_dealloc(vm, start, (nu + 1) * sizeof(size_t));
    if (u.cap)
        vm_dealloc(vm, u.p, u.cap * sizeof(int64_t));
    return ok;
}

/* Java's % without UB on MINLONG % -1. */
static int64_t jrem(int64_t a, int64_t b) { return b == -1 ? 0 : a % b; }

/* The result's bucketization: all members bucketized with one span and
 * congruent lastbuckets (lastbucket is the first member's, as in Warp 10). */
static void result_buckets(gts *const *m, size_t k, gts *dst)
{
    int64_t end = INT64_MIN, startb = INT64_MAX, last = INT64_MIN, span = 0;
    for (size_t i = 0; i < k; i++) {
        const gts *g = m[i];
        if (!gts_is_bucketized(g) || (span != 0 && g->bucketspan != span)) {
            span = 0;
            break;
        }
        span = g->bucketspan;
        if (last == INT64_MIN)
            last = g->lastbucket;
        if (jrem(last, span) != jrem(g->lastbucket, g->bucketspan)) {
            span = 0;
            break;
        }
        int64_t first = (int64_t)((uint64_t)g->lastbucket - (uint64_t)g->bucketcount * (uint64_t)span);
        end = g->lastbucket > end ? g->lastbucket : end;
        startb = first < startb ? first : startb;
    }
    if (span != 0) {
        dst->lastbucket = last;
        dst->bucketspan = span;
        dst->bucketcount = (int32_t)(uint32_t)(((uint64_t)end - (uint64_t)startb) / (uint64_t)span);
    }
}

static bool reduce_class(exo_vm *vm, reducer_run *rr, const fw_class *c)
{
    size_t k = c->n;
    gts *const *m = c->part->members + c->start;
    gts *dst = gts_new(vm);
    if (!dst)
        return false;
    rr->dst = dst;
    bool ok = gts_copy_map(vm, &dst->labels, c->labels);
    /* name: the members' common class, or ""; attributes: the common ones */
    map **attrs = ok ? vm_alloc(vm, k * sizeof(map *)) : NULL;
    ok = attrs != NULL;
    for (size_t i = 0; ok && i < k; i++)
        attrs[i] = m[i]->attrs;
    map *ca = ok ? labels_common(vm, attrs, k) : NULL;
    if (attrs)
        vm_dealloc(vm, attrs, k * sizeof(map *));
    ok = ca != NULL;
    if (ok) {
        val_release(vm, v_obj(T_MAP, dst->attrs));
        dst->attrs = ca;
        bool same = true;
        for (size_t i = 1; same && i < k; i++)
            same = val_equals(m[i]->cls, m[0]->cls, false);
        if (same)
            ok = gts_set_class(vm, dst, AS_STR(m[0]->cls)->data, AS_STR(m[0]->cls)->len);
        result_buckets(m, k, dst);
    }
    rows r = {.type = GTS_UNDEFINED};
    bool aligned = true, has_loc = false, has_elev = false, mixed = false;
    for (size_t i = 0; ok && i < k; i++) {
        ok = gts_sort(vm, m[i], false);
        has_loc |= m[i]->loc != NULL;
        has_elev |= m[i]->elev != NULL;
        if (m[i]->len) {
            if (r.type == GTS_UNDEFINED && !mixed)
                r.type = m[i]->type;
            else if (m[i]->type != r.type)
                mixed = true;
        }
        aligned = aligned && m[i]->len == m[0]->len &&
                  (i == 0 || m[0]->len == 0 || memcmp(m[i]->ticks, m[0]->ticks, m[0]->len * sizeof(int64_t)) == 0);
    }
    if (mixed)
        r.type = GTS_UNDEFINED;
    r.es = r.type == GTS_UNDEFINED ? sizeof(value) : gts_value_size(r.type);
    r.has_loc = has_loc;
    r.has_elev = has_elev;
    rr->k = k;
    rr->win = (agg_window){.mode = AGG_REDUCE, .members = m, .labels = c->labels};
    rr->tscratch = ok ? vm_alloc(vm, (k ? k : 1) * sizeof(int64_t)) : NULL;
    ok = ok && rr->tscratch;
    rr->win.ticks = rr->tscratch;
    if (ok && k && m[0]->len && aligned)
        ok = reduce_aligned(vm, rr, m, k, &r);
    else if (ok && k)
        ok = reduce_sparse(vm, rr, m, k, &r);
    rows_free(vm, &r);
    if (rr->tscratch)
        vm_dealloc(vm, rr->tscratch, (k ? k : 1) * sizeof(int64_t));
    if (!ok) {
        val_release(vm, v_obj(T_GTS, dst));
        rr->dst = NULL;
    }
    return ok;
}

/* [ [gts..] .. labels reducer (override) ] */
static bool reduce_word(exo_vm *vm, const word *w, bool as_map)
{
    value top = *vm_peek(vm, 0);
    if (top.type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST");
    const list *l = AS_LIST(top);
    size_t n = l->len;
    if (n < 3)
        return vm_fail(vm, "%s expects at least 3 parameters.", w->name);
    size_t li = n - 2, ri = n - 1;
    bool override = false;
    if (l->items[n - 1].type == T_BOOLEAN) {
        override = l->items[n - 1].as.b;
        li--;
        ri--;
    }
    value labels = l->items[li], fn = l->items[ri];
    if (labels.type != T_NULL && labels.type != T_LIST)
        return vm_fail(vm, "%s expects a list of label names or null as parameter number %zu.", w->name, li + 1);
    if (labels.type == T_LIST)
        for (size_t i = 0; i < AS_LIST(labels)->len; i++)
            if (AS_LIST(labels)->items[i].type != T_STRING)
                return vm_fail(vm, "%s expects a list of label names as parameter number %zu.", w->name, li + 1);
    if (!fn_has_role(fn, FN_REDUCER))
        return vm_fail(vm, "%s expects a reducer as parameter number %zu, got %s.", w->name, ri + 1, val_type_name(fn));
    gts **in;
    size_t nin;
    if (!fw_collect(vm, w->name, "expects lists of Geo Time Series as first parameters.", l->items, li, &in, &nin))
        return false;
    labels = val_retain(labels);
    fn = val_retain(fn);
    bool popped = agg_runs_macro(fn);
    if (popped)
        vm_drop(vm, 1);
    fw_partition part;
    bool ok = partition_build(vm, in, nin, labels.type == T_LIST ? AS_LIST(labels) : NULL, &part);
    gts **res = ok ? vm_calloc(vm, (part.nclasses ? part.nclasses : 1) * sizeof(gts *)) : NULL;
    ok = ok && res;
    reducer_run rr = {.w = w, .fn = fn, .override = override};
    for (size_t c = 0; ok && c < part.nclasses; c++) {
        ok = reduce_class(vm, &rr, &part.classes[c]);
        res[c] = rr.dst;
    }
    map *pm = NULL;
    if (ok && as_map) {
        pm = map_new(vm, part.nclasses);
        ok = pm != NULL;
        for (size_t c = 0; ok && c < part.nclasses; c++) {
            list *one = list_new(vm, 1);
            ok = one && list_push(vm, one, val_retain(v_obj(T_GTS, res[c])));
            ok = ok && map_put(vm, pm, val_retain(v_obj(T_MAP, part.classes[c].labels)), v_obj(T_LIST, one));
            if (!ok && one)
                val_release(vm, v_obj(T_LIST, one));
        }
    }
    if (ok) {
        if (!popped)
            vm_drop(vm, 1);
        if (as_map) {
            ok = vm_push(vm, v_obj(T_MAP, pm));
            pm = NULL;
            for (size_t c = 0; c < part.nclasses; c++)
                val_release(vm, v_obj(T_GTS, res[c]));
        } else {
            ok = fw_push_list(vm, res, part.nclasses);
        }
    } else {
        for (size_t c = 0; res && c < part.nclasses; c++)
            if (res[c])
                val_release(vm, v_obj(T_GTS, res[c]));
    }
    if (pm)
        val_release(vm, v_obj(T_MAP, pm));
    if (res)
        vm_dealloc(vm, res, (part.nclasses ? part.nclasses : 1) * sizeof(gts *));
    partition_free(vm, &part);
    fw_free_series(vm, in, nin);
    val_release(vm, fn);
    val_release(vm, labels);
    return ok;
}

static bool w_reduce(exo_vm *vm, const word *w) { return reduce_word(vm, w, false); }
static bool w_preduce(exo_vm *vm, const word *w) { return reduce_word(vm, w, true); }

/* ---- reducer.* ---- */

#define SK AGGF_SKIP_NULLS
/* X(id, name, kernel, flags, nparams, ptype, builder, sig, doc) */
#define REDUCERS(X)                                                                                                    \
    X(sum, "reducer.sum", agg_sum, SK, 0, FP_ANY, NULL, "-- reducer", "Sum of the non-null values at each tick.")     \
    X(sum_fn, "reducer.sum.forbid-nulls", agg_sum, 0, 0, FP_ANY, NULL, "-- reducer",                                  \
      "Sum of the values; no value where a member is missing.")                                                        \
    X(sum_nn, "reducer.sum.nonnull", agg_sum, 0, 0, FP_ANY, NULL, "-- reducer",                                       \
      "Sum of the values; no value where a member is missing.")                                                        \
    X(mean, "reducer.mean", agg_mean, 0, 0, FP_ANY, NULL, "-- reducer",                                                \
      "Mean of the values; no value where a member is missing.")                                                       \
    X(mean_en, "reducer.mean.exclude-nulls", agg_mean, SK, 0, FP_ANY, NULL, "-- reducer",                             \
      "Mean of the non-null values.")                                                                                  \
    X(min, "reducer.min", agg_min, SK, 0, FP_ANY, NULL, "-- reducer", "Smallest non-null value.")                     \
    X(min_fn, "reducer.min.forbid-nulls", agg_min, 0, 0, FP_ANY, NULL, "-- reducer",                                  \
      "Smallest value; no value where a member is missing.")                                                           \
    X(min_nn, "reducer.min.nonnull", agg_min, 0, 0, FP_ANY, NULL, "-- reducer",                                       \
      "Smallest value; no value where a member is missing.")                                                           \
    X(max, "reducer.max", agg_max, SK, 0, FP_ANY, NULL, "-- reducer", "Largest non-null value.")                      \
    X(max_fn, "reducer.max.forbid-nulls", agg_max, 0, 0, FP_ANY, NULL, "-- reducer",                                  \
      "Largest value; no value where a member is missing.")                                                            \
    X(max_nn, "reducer.max.nonnull", agg_max, 0, 0, FP_ANY, NULL, "-- reducer",                                       \
      "Largest value; no value where a member is missing.")                                                            \
    X(count, "reducer.count", agg_count, 0, 0, FP_ANY, NULL, "-- reducer",                                             \
      "Number of members (nulls included) at each tick.")                                                              \
    X(count_in, "reducer.count.include-nulls", agg_count, 0, 0, FP_ANY, NULL, "-- reducer",                           \
      "Number of members, nulls included.")                                                                            \
    X(count_en, "reducer.count.exclude-nulls", agg_count, SK, 0, FP_ANY, NULL, "-- reducer",                          \
      "Number of non-null values.")                                                                                    \
    X(count_nn, "reducer.count.nonnull", agg_count, SK, 0, FP_ANY, NULL, "-- reducer", "Number of non-null values.") \
    X(and, "reducer.and", agg_and, 0, 0, FP_ANY, NULL, "-- reducer",                                                   \
      "Logical AND; no value where a member is missing.")                                                              \
    X(and_en, "reducer.and.exclude-nulls", agg_and, SK, 0, FP_ANY, NULL, "-- reducer",                                \
      "Logical AND of the non-null values.")                                                                           \
    X(or, "reducer.or", agg_or, 0, 0, FP_ANY, NULL, "-- reducer", "Logical OR; no value where a member is missing.")  \
    X(or_en, "reducer.or.exclude-nulls", agg_or, SK, 0, FP_ANY, NULL, "-- reducer",                                   \
      "Logical OR of the non-null values.")                                                                            \
    X(join, "reducer.join", agg_join, SK, 1, FP_ANY, agg_build_join, "sep -- reducer",                               \
      "Values joined with sep in member order.")                                                                       \
    X(join_fn, "reducer.join.forbid-nulls", agg_join, 0, 1, FP_ANY, agg_build_join, "sep -- reducer",                 \
      "Values joined with sep; no value where a member is missing.")                                                   \
    X(join_nn, "reducer.join.nonnull", agg_join, 0, 1, FP_ANY, agg_build_join, "sep -- reducer",                      \
      "Values joined with sep; no value where a member is missing.")                                                   \
    X(join_ue, "reducer.join.urlencoded", agg_join, AGGF_URLENCODE, 1, FP_ANY, agg_build_join, "sep -- reducer",      \
      "Percent-encoded values joined with sep.")                                                                       \
    X(median, "reducer.median", agg_median, 0, 0, FP_ANY, NULL, "-- reducer", "Median of the non-null values.")      \
    X(median_fn, "reducer.median.forbid-nulls", agg_median, AGGF_FAIL_NULLS, 0, FP_ANY, NULL, "-- reducer",          \
      "Median; a missing member is an error.")                                                                         \
    X(mad, "reducer.mad", agg_mad, 0, 0, FP_ANY, NULL, "-- reducer", "Median absolute deviation.")                   \
    X(rms, "reducer.rms", agg_rms, 0, 0, FP_ANY, NULL, "-- reducer",                                                  \
      "Root mean square; no value where a member is missing.")                                                         \
    X(rms_en, "reducer.rms.exclude-nulls", agg_rms, SK, 0, FP_ANY, NULL, "-- reducer",                                \
      "Root mean square of the non-null values.")                                                                      \
    X(pct, "reducer.percentile", agg_percentile, 0, 1, FP_ANY, agg_build_percentile, "p ('typeN') -- reducer",        \
      "The p-th percentile of the non-null values.")                                                                   \
    X(pct_fn, "reducer.percentile.forbid-nulls", agg_percentile, AGGF_FAIL_NULLS, 1, FP_ANY, agg_build_percentile,    \
      "p ('typeN') -- reducer", "The p-th percentile; a missing member is an error.")                                  \
    X(var, "reducer.var", agg_var, SK, 1, FP_BOOL, NULL, "bessel -- reducer", "Variance of the non-null values.")    \
    X(var_fn, "reducer.var.forbid-nulls", agg_var, 0, 1, FP_BOOL, NULL, "bessel -- reducer",                          \
      "Variance; no value where a member is missing.")                                                                 \
    X(sd, "reducer.sd", agg_var, SK | AGGF_SD, 1, FP_BOOL, NULL, "bessel -- reducer",                                \
      "Standard deviation of the non-null values.")                                                                    \
    X(sd_fn, "reducer.sd.forbid-nulls", agg_var, AGGF_SD, 1, FP_BOOL, NULL, "bessel -- reducer",                      \
      "Standard deviation; no value where a member is missing.")                                                       \
    X(var_w, "reducer.var.welford", agg_var, SK | AGGF_WELFORD, 1, FP_BOOL, NULL, "bessel -- reducer",               \
      "Variance (Welford).")                                                                                           \
    X(sd_w, "reducer.sd.welford", agg_var, SK | AGGF_WELFORD | AGGF_SD, 1, FP_BOOL, NULL, "bessel -- reducer",       \
      "Standard deviation (Welford).")                                                                                 \
    X(cmean, "reducer.mean.circular", agg_circular_mean, 0, 1, FP_NUMBER, agg_build_circular, "period -- reducer",    \
      "Circular mean; no value where a member is missing.")                                                            \
    X(cmean_en, "reducer.mean.circular.exclude-nulls", agg_circular_mean, SK, 1, FP_NUMBER, agg_build_circular,       \
      "period -- reducer", "Circular mean of the non-null values.")                                                    \
    X(product, "reducer.product", agg_product, 0, 0, FP_ANY, NULL, "-- reducer",                                     \
      "Product of the non-null values.")

#define DEF(id, nm, k, fl, np, pt, bld, sig, doc)                                                                     \
    static const fn_def d_##id = {.name = nm,                                                                          \
                                  .kind = FN_KIND_AGGREGATOR,                                                          \
                                  .roles = AGG_ROLES,                                                                  \
                                  .nparams = np,                                                                       \
                                  .ptypes = {pt},                                                                      \
                                  .flags = fl,                                                                         \
                                  .kernel = {.agg = k},                                                                \
                                  .build = bld};
REDUCERS(DEF)
#undef DEF

static const fn_def d_macroreducer = {.name = "MACROREDUCER",
                                      .kind = FN_KIND_AGGREGATOR,
                                      .roles = AGG_ROLES,
                                      .nparams = 1,
                                      .ptypes = {FP_MACRO},
                                      .kernel = {.agg = agg_macro},
                                      .build = agg_build_macro};

static const fn_def d_strictreducer = {.name = "STRICTREDUCER",
                                       .kind = FN_KIND_AGGREGATOR,
                                       .roles = FN_REDUCER,
                                       .nparams = 3,
                                       .kernel = {.agg = agg_strict},
                                       .build = agg_build_strict};

#define WORD(id, nm, k, fl, np, pt, bld, sig, doc) EXO_WORD_DATA(nm, fn_word, np, sig, doc, &d_##id),

static const word reduce_words[] = {
    EXO_WORD("REDUCE", w_reduce, 1, "[[gts..].. labels reducer (override)] -- [gts..]",
             "Partitions the series by labels and reduces each class tick by tick, one slot per member."),
    EXO_WORD("PREDUCE", w_preduce, 1, "[[gts..].. labels reducer (override)] -- map",
             "As REDUCE, but pushes a MAP from each class's labels to its results."),
    EXO_WORD_DATA("MACROREDUCER", fn_word, 1, "macro -- reducer",
                  "A reducer running macro on [tick [names] [labels] [ticks] [lats] [lons] [elevs] [values]].",
                  &d_macroreducer),
    EXO_WORD_DATA("STRICTREDUCER", fn_word, 3, "reducer min max -- reducer",
                  "Runs reducer only when the number of non-null values (or -span) lies in [min, max].",
                  &d_strictreducer),
    REDUCERS(WORD)
};

EXO_FAMILY(reduce, reduce_words)
