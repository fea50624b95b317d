/* The tick-by-tick sweep shared by REDUCE and APPLY: a FUNCTION runs on
 * every tick of the union of the members' ticks, one slot per member (in
 * member order), nulls where a member has no point. Rows (the present
 * values of one tick) are laid out contiguously so the shared kernels see
 * the same zero-copy windows as in BUCKETIZE:
 *   - members with identical ticks (the common case) are transposed block
 *     by block through a cache-sized buffer;
 *   - otherwise the union is built by a tree of merges (a tick repeated in
 *     a member gives as many calls as its largest multiplicity, as Warp
 *     10's sweep does) and points are counting-sorted into rows;
 *   - REDUCE of aligned numeric members by a plain reducer runs column by
 *     column (each row's slot order) into presized arrays. */
#include "sweep.h"

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

typedef struct sweep_run {
    value fn;
    bool override;
    gts *dst;
    size_t k; /* members: slots per row */
    agg_window win;
    int64_t *tscratch; /* the tick repeated, one per slot */
} sweep_run;

static bool run_row(exo_vm *vm, sweep_run *rr, int64_t tick)
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
static bool sweep_aligned(exo_vm *vm, sweep_run *rr, gts *const *m, size_t k, rows *r)
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
static bool sweep_sparse(exo_vm *vm, sweep_run *rr, gts *const *m, size_t k, rows *r)
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

/* REDUCE of members with identical ticks (no null slot) by a plain reducer
 * on values of one numeric type: the rows are computed column by column,
 * member after member, which is each row's slot order, so every result has
 * the kernel's bits; they go straight into dst's arrays, sized once. */
static bool reduce_plain(exo_vm *vm, int kind, gts *const *m, size_t k, gts_type t, gts *dst)
{
    size_t n = m[0]->len;
    gts_type ot = kind == AGG_SLIDE_MEAN ? GTS_DOUBLE : kind == AGG_SLIDE_COUNT ? GTS_LONG : t;
    if (!gts_set_type(vm, dst, ot) || !gts_reserve(vm, dst, n))
        return false;
    memcpy(dst->ticks, m[0]->ticks, n * sizeof(int64_t));
    bool lng = t == GTS_LONG;
    uint64_t *ul = (uint64_t *)dst->v.l; /* LONG sums (a mean's too, before the division) */
    double *d = dst->v.d;
    switch (kind) {
    case AGG_SLIDE_SUM:
    case AGG_SLIDE_MEAN:
        if (lng) {
            for (size_t u = 0; u < n; u++)
                ul[u] = (uint64_t)m[0]->v.l[u];
            for (size_t j = 1; j < k; j++) {
                const int64_t *v = m[j]->v.l;
                for (size_t u = 0; u < n; u++)
                    ul[u] += (uint64_t)v[u];
            }
            if (kind == AGG_SLIDE_MEAN)
                for (size_t u = 0; u < n; u++)
                    d[u] = (double)(int64_t)ul[u] / (double)k;
        } else {
            for (size_t u = 0; u < n; u++)
                d[u] = 0.0 + m[0]->v.d[u];
            for (size_t j = 1; j < k; j++) {
                const double *v = m[j]->v.d;
                for (size_t u = 0; u < n; u++)
                    d[u] += v[u];
            }
            if (kind == AGG_SLIDE_MEAN)
                for (size_t u = 0; u < n; u++)
                    d[u] /= (double)k;
        }
        break;
    case AGG_SLIDE_MIN:
    case AGG_SLIDE_MAX: { /* the first member holding the extreme */
        int sign = kind == AGG_SLIDE_MAX ? 1 : -1;
        memcpy(dst->v.l, m[0]->v.l, n * sizeof(int64_t));
        for (size_t j = 1; j < k; j++) {
            if (lng) {
                const int64_t *v = m[j]->v.l;
                int64_t *b = dst->v.l;
                for (size_t u = 0; u < n; u++)
                    if (sign > 0 ? v[u] > b[u] : v[u] < b[u])
                        b[u] = v[u];
            } else {
                const double *v = m[j]->v.d;
                for (size_t u = 0; u < n; u++)
                    if (sign * agg_jcmp_d(v[u], d[u]) > 0)
                        d[u] = v[u];
            }
        }
        break;
    }
    case AGG_SLIDE_COUNT:
        for (size_t u = 0; u < n; u++)
            dst->v.l[u] = (int64_t)k;
        break;
    default: /* first, last: every slot has the same tick, the first wins */
        memcpy(dst->v.l, m[0]->v.l, n * sizeof(int64_t));
    }
    dst->len = n;
    dst->sorted = GTS_ASC;
    return true;
}

bool sweep_members(exo_vm *vm, gts *const *m, size_t k, value fn, bool override, uint8_t mode, const map *labels,
                   const uint32_t *coll, gts *dst)
{
    rows r = {.type = GTS_UNDEFINED};
    bool aligned = true, mixed = false, ok = true;
    for (size_t i = 0; ok && i < k; i++) {
        ok = gts_sort(vm, m[i], false);
        r.has_loc |= m[i]->loc != NULL;
        r.has_elev |= m[i]->elev != NULL;
        if (m[i]->len) {
            if (r.type == GTS_UNDEFINED && !mixed)
                r.type = m[i]->type;
            else if (m[i]->type != r.type)
                mixed = true;
        }
        aligned = aligned && m[i]->len == m[0]->len &&
                  (i == 0 || m[0]->len == 0 || memcmp(m[i]->ticks, m[0]->ticks, m[0]->len * sizeof(int64_t)) == 0);
    }
    if (!ok || k == 0)
        return ok;
    if (mixed)
        r.type = GTS_UNDEFINED;
    int plain = agg_plain_kind(fn);
    if (plain != AGG_SLIDE_NONE && mode == AGG_REDUCE && !override && m[0]->len && aligned && !r.has_loc &&
        !r.has_elev && (r.type == GTS_LONG || r.type == GTS_DOUBLE))
        return reduce_plain(vm, plain, m, k, r.type, dst);
    r.es = r.type == GTS_UNDEFINED ? sizeof(value) : gts_value_size(r.type);
    sweep_run rr = {.fn = fn, .override = override, .dst = dst, .k = k};
    rr.win = (agg_window){.mode = mode, .members = m, .labels = labels, .coll = coll};
    rr.tscratch = vm_alloc(vm, k * sizeof(int64_t));
    if (!rr.tscratch)
        return false;
    rr.win.ticks = rr.tscratch;
    if (m[0]->len && aligned)
        ok = sweep_aligned(vm, &rr, m, k, &r);
    else
        ok = sweep_sparse(vm, &rr, m, k, &r);
    rows_free(vm, &r);
    vm_dealloc(vm, rr.tscratch, k * sizeof(int64_t));
    return ok;
}
