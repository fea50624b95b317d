/* Filling the empty buckets of bucketized series (spec d.6): FILLPREVIOUS,
 * FILLNEXT, FILLVALUE and INTERPOLATE. Each works on a clone, does
 * nothing to a series that is not bucketized, and appends the filled
 * points after the existing ones (the result is not sorted, as in Warp
 * 10). INTERPOLATE fills only between two values, linearly, the values
 * converted to the series' type, then interpolates the missing elevations
 * and locations between points that have them.
 * FILL (gtsA gtsB filler) aligns two series on each other's ticks: a tick
 * of one missing in the other is filled there by the filler (previous,
 * next, constant value or linear interpolation, from the series' own
 * neighbours); both results are sorted by tick. */
#include "aggregators.h"
#include "../interp/function.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { FILL_PREVIOUS, FILL_NEXT, FILL_VALUE, FILL_INTERPOLATE };

typedef struct fill_value {
    int64_t loc, elev;
    value v;
} fill_value;

/* FILLPREVIOUS / FILLNEXT / FILLVALUE on a sorted clone. */
static bool fill_buckets(exo_vm *vm, gts *g, int kind, const fill_value *fv)
{
    size_t n = g->len;
    int64_t span = g->bucketspan, count = g->bucketcount;
    bool next = kind == FILL_NEXT;
    /* walk the buckets oldest first (newest first for FILLNEXT), with the
     * index of the last point seen on the walk's side */
    size_t i = next ? n : 0;
    int64_t have = -1;
    bool ok = true;
    for (int64_t b = 0; ok && b < count; b++) {
        int64_t k = next ? b : count - 1 - b;
        int64_t tick = (int64_t)((uint64_t)g->lastbucket - (uint64_t)k * (uint64_t)span);
        bool present = false;
        if (!next) {
            while (i < n && g->ticks[i] <= tick) {
                present |= g->ticks[i] == tick;
                have = (int64_t)i++;
            }
        } else {
            while (i > 0 && g->ticks[i - 1] >= tick) {
                present |= g->ticks[i - 1] == tick;
                have = (int64_t)--i;
            }
        }
        if (present)
            continue;
        if (kind == FILL_VALUE) {
            ok = gts_add(vm, g, tick, fv->loc, fv->elev, fv->v);
        } else if (have >= 0) {
            size_t h = (size_t)have;
            value v = gts_value_at(g, h);
            ok = gts_add(vm, g, tick, g->loc ? g->loc[h] : GTS_NO_LOCATION, g->elev ? g->elev[h] : GTS_NO_ELEVATION, v);
            val_release(vm, v);
        }
    }
    return ok;
}

static double num_at(const gts *g, size_t i) { return g->type == GTS_LONG ? (double)g->v.l[i] : g->v.d[i]; }

/* INTERPOLATE (Warp 10's INTERPOLATE.interpolate, step by step). */
static bool interpolate(exo_vm *vm, const word *w, gts *g)
{
    size_t n = g->len;
    if (n < 2)
        return true;
    if (g->type != GTS_LONG && g->type != GTS_DOUBLE)
        return vm_fail(vm, "%s can only interpolate numeric Geo Time Series.", w->name);
    int64_t span = g->bucketspan;
    int64_t bucket = (int64_t)((uint64_t)g->lastbucket - (uint64_t)g->bucketcount * (uint64_t)span);
    size_t nelev = 0, nloc = 0;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        nelev += g->elev && g->elev[i] != GTS_NO_ELEVATION;
        nloc += g->loc && g->loc[i] != GTS_NO_LOCATION;
    }
    for (size_t i = 1; ok && i < n; i++) {
        while (bucket < g->lastbucket && bucket <= g->ticks[i - 1])
            bucket += span;
        if (bucket == g->ticks[i])
            continue;
        int64_t t0 = g->ticks[i - 1];
        double v0 = num_at(g, i - 1);
        double rate = (num_at(g, i) - v0) / (double)(g->ticks[i] - t0);
        while (ok && bucket < g->ticks[i]) {
            ok = gts_add(vm, g, bucket, GTS_NO_LOCATION, GTS_NO_ELEVATION, v_double(v0 + (double)(bucket - t0) * rate));
            bucket += span;
        }
    }
    if (ok && (nelev >= 2 || nloc >= 2))
        ok = gts_sort(vm, g, false);
    n = g->len;
    for (int pass = 0; ok && pass < 2; pass++) {
        bool is_loc = pass == 1;
        int64_t *a = is_loc ? g->loc : g->elev;
        int64_t none = is_loc ? GTS_NO_LOCATION : GTS_NO_ELEVATION;
        if ((is_loc ? nloc : nelev) < 2 || !a)
            continue;
        size_t idx = 0;
        while (a[idx] == none)
            idx++;
        while (idx < n) {
            size_t i = idx + 1;
            while (i < n && a[i] != none)
                i++;
            idx = i - 1;
            while (i < n && a[i] == none)
                i++;
            if (i < n) {
                double dt = (double)(g->ticks[i] - g->ticks[idx]);
                if (!is_loc) {
                    double rate = (double)(a[i] - a[idx]) / dt;
                    for (size_t j = idx + 1; j < i; j++)
                        a[j] = java_d2l((double)a[idx] + rate * (double)(g->ticks[j] - g->ticks[idx]));
                } else {
                    double la0, lo0, la1, lo1;
                    gts_unpack_location(a[idx], &la0, &lo0);
                    gts_unpack_location(a[i], &la1, &lo1);
                    double lr = (la1 - la0) / dt, orr = (lo1 - lo0) / dt;
                    for (size_t j = idx + 1; j < i; j++) {
                        double d = (double)(g->ticks[j] - g->ticks[idx]);
                        a[j] = gts_pack_location(la0 + lr * d, lo0 + orr * d);
                    }
                }
            }
            idx = i;
        }
    }
    return ok;
}

/* Fills one series into a new clone. */
static bool fill_one(exo_vm *vm, const word *w, gts *g, const fill_value *fv, gts **out)
{
    gts *c = gts_clone(vm, g, true);
    if (!c)
        return false;
    bool ok = true;
    if (gts_is_bucketized(c)) {
        ok = gts_sort(vm, c, false);
        if (ok && (int)w->magic == FILL_INTERPOLATE)
            ok = interpolate(vm, w, c);
        else if (ok)
            ok = fill_buckets(vm, c, (int)w->magic, fv);
    }
    if (!ok) {
        val_release(vm, v_obj(T_GTS, c));
        return false;
    }
    *out = c;
    return true;
}

/* Ends a word that filled n series into res (allocated for max(n, 1)):
 * on success its depth operands become the LIST of results, otherwise the
 * results made so far are released; res is freed either way. */
static bool finish_filled(exo_vm *vm, bool ok, size_t depth, gts **res, size_t n)
{
    if (ok) {
        vm_drop(vm, depth);
        ok = fw_push_list(vm, res, n);
    } else {
        for (size_t i = 0; res && i < n; i++)
            if (res[i])
                val_release(vm, v_obj(T_GTS, res[i]));
    }
    if (res)
        vm_dealloc(vm, res, (n ? n : 1) * sizeof(gts *));
    return ok;
}

/* gts|[gts..] (params) WORD -> gts|[gts..] */
static bool w_fill(exo_vm *vm, const word *w)
{
    fill_value fv = {GTS_NO_LOCATION, GTS_NO_ELEVATION, v_null()};
    size_t depth = 1;
    if ((int)w->magic == FILL_VALUE) {
        value p = *vm_peek(vm, 0);
        if (p.type != T_LIST || AS_LIST(p)->len != 4)
            return vm_type_error(vm, w, 1, "a LIST [lat lon elev value]");
        const value *a = AS_LIST(p)->items;
        if (!val_is_number(a[0]) || !val_is_number(a[1]) || !val_is_number(a[2]))
            return vm_fail(vm, "%s expects numeric latitude, longitude and elevation (NaN for none).", w->name);
        if (a[3].type != T_LONG && a[3].type != T_DOUBLE && a[3].type != T_BOOLEAN && a[3].type != T_STRING)
            return vm_fail(vm, "%s expects a LONG, DOUBLE, BOOLEAN or STRING fill value, got %s.", w->name,
                           val_type_name(a[3]));
        double lat = val_as_double(a[0]), lon = val_as_double(a[1]);
        if (!isnan(lat) && !isnan(lon))
            fv.loc = gts_pack_location(lat, lon);
        if (a[2].type == T_LONG)
            fv.elev = a[2].as.l;
        else if (!isnan(a[2].as.d))
            fv.elev = java_d2l(a[2].as.d);
        fv.v = a[3];
        if (!vm_need(vm, 2))
            return false;
        depth = 2;
    }
    value in = *vm_peek(vm, depth - 1);
    if (in.type == T_GTS) {
        gts *r;
        if (!fill_one(vm, w, AS_GTS(in), &fv, &r))
            return false;
        vm_drop(vm, depth);
        return vm_push(vm, v_obj(T_GTS, r));
    }
    if (in.type != T_LIST)
        return vm_type_error(vm, w, (int)depth, "a GTS or a LIST of GTS");
    const list *l = AS_LIST(in);
    for (size_t i = 0; i < l->len; i++)
        if (l->items[i].type != T_GTS)
            return vm_type_error(vm, w, (int)depth, "a GTS or a LIST of GTS");
    gts **res = vm_calloc(vm, (l->len ? l->len : 1) * sizeof(gts *));
    bool ok = res != NULL;
    for (size_t i = 0; ok && i < l->len; i++)
        ok = fill_one(vm, w, AS_GTS(l->items[i]), &fv, &res[i]);
    return finish_filled(vm, ok, depth, res, l->len);
}

/* ---- FILL and the filler.* FUNCTIONs ---- */

enum { FILLER_PREVIOUS, FILLER_NEXT, FILLER_VALUE, FILLER_INTERPOLATE, FILLER_TREND, FILLER_MACRO };

/* filler.value: [lat lon elev value] or a bare value, checked here so a
 * bad parameter fails at build time (the stack unchanged). */
static bool build_filler_value(exo_vm *vm, const word *w, const fn_def *d)
{
    value p = *vm_peek(vm, 0);
    value v = p;
    if (p.type == T_LIST) {
        const list *l = AS_LIST(p);
        if (l->len != 4)
            return vm_fail(vm, "%s expects a LIST of 4 parameters: latitude longitude elevation value.", w->name);
        if (!val_is_number(l->items[0]) || !val_is_number(l->items[1]) || !val_is_number(l->items[2]))
            return vm_fail(vm, "%s expects numeric latitude, longitude and elevation (NaN for none).", w->name);
        v = l->items[3];
    }
    if (v.type != T_LONG && v.type != T_DOUBLE && v.type != T_BOOLEAN && v.type != T_STRING)
        return vm_fail(vm, "%s expects a LONG, DOUBLE, BOOLEAN or STRING fill value, got %s.", w->name, val_type_name(v));
    function *f = fn_new(vm, d, NULL, 0);
    if (!f)
        return false;
    f->params[0] = vm_pop(vm);
    f->nparams = 1;
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

/* The constant point of a filler.value. */
static fill_value filler_point(const function *f)
{
    fill_value fv = {GTS_NO_LOCATION, GTS_NO_ELEVATION, f->params[0]};
    if (f->params[0].type != T_LIST)
        return fv;
    const value *a = AS_LIST(f->params[0])->items;
    double lat = val_as_double(a[0]), lon = val_as_double(a[1]);
    if (!isnan(lat) && !isnan(lon))
        fv.loc = gts_pack_location(lat, lon);
    if (a[2].type == T_LONG)
        fv.elev = a[2].as.l;
    else if (!isnan(a[2].as.d))
        fv.elev = java_d2l(a[2].as.d);
    fv.v = a[3];
    return fv;
}

/* Fills g (sorted; its first n points are the original ones) at the
 * ticks of o (sorted) that g lacks. */
static bool cross_fill(exo_vm *vm, const word *w, const function *f, gts *g, size_t n, const int64_t *ot, size_t on)
{
    int kind = (int)f->def->magic;
    fill_value fv = {GTS_NO_LOCATION, GTS_NO_ELEVATION, v_null()};
    if (kind == FILLER_VALUE)
        fv = filler_point(f);
    if (kind == FILLER_INTERPOLATE && on > 0 && g->type != GTS_LONG && g->type != GTS_DOUBLE && n > 0)
        return vm_fail(vm, "%s: %s can only fill numeric Geo Time Series.", w->name, f->def->name);
    size_t j = 0;
    bool ok = true;
    for (size_t k = 0; ok && k < on; k++) {
        int64_t t = ot[k];
        if (k > 0 && ot[k - 1] == t)
            continue;
        while (j < n && g->ticks[j] < t)
            j++;
        if (j < n && g->ticks[j] == t)
            continue;
        bool hp = j > 0, hn = j < n;
        size_t p = hp ? j - 1 : 0, q = j;
        if (kind == FILLER_VALUE) {
            ok = gts_add(vm, g, t, fv.loc, fv.elev, fv.v);
        } else if (kind == FILLER_PREVIOUS || kind == FILLER_NEXT) {
            size_t s = kind == FILLER_PREVIOUS ? p : q;
            if (kind == FILLER_PREVIOUS ? !hp : !hn)
                continue;
            value v = gts_value_at(g, s);
            ok = gts_add(vm, g, t, g->loc ? g->loc[s] : GTS_NO_LOCATION, g->elev ? g->elev[s] : GTS_NO_ELEVATION, v);
            val_release(vm, v);
        } else if (hp && hn) {
            double r = (double)(t - g->ticks[p]) / (double)(g->ticks[q] - g->ticks[p]);
            double v0 = num_at(g, p), v1 = num_at(g, q);
            int64_t loc = GTS_NO_LOCATION, elev = GTS_NO_ELEVATION;
            if (g->elev && g->elev[p] != GTS_NO_ELEVATION && g->elev[q] != GTS_NO_ELEVATION)
                elev = java_d2l((double)g->elev[p] + r * (double)(g->elev[q] - g->elev[p]));
            if (g->loc && g->loc[p] != GTS_NO_LOCATION && g->loc[q] != GTS_NO_LOCATION) {
                double la0 = 0, lo0 = 0, la1 = 0, lo1 = 0;
                gts_unpack_location(g->loc[p], &la0, &lo0);
                gts_unpack_location(g->loc[q], &la1, &lo1);
                loc = gts_pack_location(la0 + r * (la1 - la0), lo0 + r * (lo1 - lo0));
            }
            ok = gts_add(vm, g, t, loc, elev, v_double(v0 + r * (v1 - v0)));
        }
    }
    return ok;
}

static int cmp_tick(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* One series of the univariate forms: a sorted clone filled at the given
 * ticks (sorted), or at its empty buckets when ticks is NULL. */
static bool fill_at(exo_vm *vm, const word *w, const function *f, const gts *in, const int64_t *ticks, size_t nt,
                    gts **out)
{
    gts *g = gts_clone(vm, in, true);
    if (!g)
        return false;
    int64_t *bt = NULL;
    size_t nb = 0;
    bool ok = gts_sort(vm, g, false);
    if (ok && !ticks && gts_is_bucketized(g) && g->bucketcount > 0) {
        nb = (size_t)g->bucketcount;
        bt = vm_alloc(vm, nb * sizeof(int64_t));
        ok = bt != NULL;
        for (size_t k = 0; ok && k < nb; k++)
            bt[k] = (int64_t)((uint64_t)g->lastbucket - (uint64_t)(nb - 1 - k) * (uint64_t)g->bucketspan);
    }
    size_t n = g->len;
    ok = ok && (ticks ? cross_fill(vm, w, f, g, n, ticks, nt) : cross_fill(vm, w, f, g, n, bt, nb));
    ok = ok && gts_sort(vm, g, false);
    if (bt)
        vm_dealloc(vm, bt, nb * sizeof(int64_t));
    if (!ok) {
        val_release(vm, v_obj(T_GTS, g));
        return false;
    }
    *out = g;
    return true;
}

/* The value under a STRING key (NULL value if absent). */
static value param_get(const map *m, const char *k)
{
    size_t kl = strlen(k);
    for (size_t i = 0; i < m->len; i++) {
        value key = m->ents[i].key;
        if (key.type == T_STRING && AS_STR(key)->len == kl && memcmp(AS_STR(key)->data, k, kl) == 0)
            return m->ents[i].val;
    }
    return v_null();
}

/* [gts|[gts..] filler (ticks)] FILL and gts|[gts..] {filler ticks} FILL
 * -> [gts..] */
static bool w_uni_fill(exo_vm *vm, const word *w, value p)
{
    value in, fl, tk = v_null();
    size_t depth = 1;
    if (p.type == T_LIST) {
        const list *l = AS_LIST(p);
        if (l->len < 2 || l->len > 3)
            return vm_fail(vm, "%s expects an input LIST of 2 or 3 parameters: gts|[gts..] filler (ticks).", w->name);
        in = l->items[0];
        fl = l->items[1];
        if (l->len == 3)
            tk = l->items[2];
    } else {
        fl = param_get(AS_MAP(p), "filler");
        tk = param_get(AS_MAP(p), "ticks");
        if (!vm_need(vm, 2))
            return false;
        in = *vm_peek(vm, 1);
        depth = 2;
    }
    if (!fn_has_role(fl, FN_FILLER))
        return vm_fail(vm, "%s expects a filler, got %s.", w->name, val_type_name(fl));
    if (AS_FN(fl)->def->magic >= FILLER_TREND)
        return vm_fail(vm, "%s expects parameter filler to be an univariate filler, but instead got a filler used to "
                       "cross fill two GTS.", w->name);
    if (tk.type != T_NULL && tk.type != T_LIST)
        return vm_fail(vm, "%s expects the ticks to be a LIST of LONG, got %s.", w->name, val_type_name(tk));
    size_t nt = tk.type == T_LIST ? AS_LIST(tk)->len : 0;
    for (size_t i = 0; i < nt; i++)
        if (AS_LIST(tk)->items[i].type != T_LONG)
            return vm_fail(vm, "%s expects the ticks to be a LIST of LONG, but it contains a %s.", w->name,
                           val_type_name(AS_LIST(tk)->items[i]));
    const value *gs = &in;
    size_t ng = 1;
    if (in.type == T_LIST) {
        gs = AS_LIST(in)->items;
        ng = AS_LIST(in)->len;
    }
    for (size_t i = 0; i < ng; i++)
        if (gs[i].type != T_GTS)
            return vm_fail(vm, "%s expects a GTS or a LIST of GTS to fill, got %s.", w->name, val_type_name(gs[i]));
    int64_t *ticks = NULL;
    gts **res = vm_calloc(vm, (ng ? ng : 1) * sizeof(gts *));
    bool ok = res != NULL;
    if (ok && tk.type == T_LIST) {
        ticks = vm_alloc(vm, (nt ? nt : 1) * sizeof(int64_t));
        ok = ticks != NULL;
        for (size_t i = 0; ok && i < nt; i++)
            ticks[i] = AS_LIST(tk)->items[i].as.l;
        if (ok)
            qsort(ticks, nt, sizeof(int64_t), cmp_tick);
    }
    for (size_t i = 0; ok && i < ng; i++)
        ok = fill_at(vm, w, AS_FN(fl), AS_GTS(gs[i]), ticks, nt, &res[i]);
    if (ticks)
        vm_dealloc(vm, ticks, (nt ? nt : 1) * sizeof(int64_t));
    return finish_filled(vm, ok, depth, res, ng);
}

/* ---- windowed fillers (MACROFILLER, filler.trend) ---- */

/* One point of a filler's window; absent when the series has no point there. */
typedef struct fill_pt {
    bool has;
    int64_t tick, loc, elev;
    value v; /* borrowed */
} fill_pt;

static fill_pt point_at(const gts *g, size_t i)
{
    fill_pt p = {true, g->ticks[i], g->loc ? g->loc[i] : GTS_NO_LOCATION, g->elev ? g->elev[i] : GTS_NO_ELEVATION,
                 v_null()};
    return p;
}

/* One component (value, latitude, longitude or elevation) of the points
 * prevprev, prev, next, nextnext for filler.trend: present flag and value. */
typedef struct trend_in {
    bool tick[4], has[4];
    int64_t t[4];
    double x[4];
} trend_in;

/* FillerTrend's estimate at tick t: a rate before and after the gap (from
 * the two previous points, else previous/next, else the two next ones,
 * and symmetrically), each standing in for the other when missing; then
 * the projection of the neighbours. Its weight alpha is a LONG division
 * in Warp 10, so between two neighbours only the projected next point
 * counts. false: no estimate. */
static bool trend_estimate(const trend_in *in, int64_t t, double *out)
{
    enum { PP, P, N, NN };
    const bool *h = in->has;
    const double *x = in->x;
    const int64_t *k = in->t;
#define RATE(a, b) ((x[b] - x[a]) / (double)(int64_t)((uint64_t)k[b] - (uint64_t)k[a]))
    double pre = h[PP] && h[P] ? RATE(PP, P) : h[P] && h[N] ? RATE(P, N) : h[N] && h[NN] ? RATE(N, NN) : NAN;
    double post = h[NN] && h[N] ? RATE(N, NN) : h[P] && h[N] ? RATE(P, N) : h[PP] && h[P] ? RATE(PP, P) : NAN;
#undef RATE
    if (isnan(pre) && !isnan(post))
        pre = post;
    if (isnan(post) && !isnan(pre))
        post = pre;
    if (isnan(pre) || isnan(post))
        return false;
    if (in->tick[N] && in->tick[P]) {
        if (!h[N] || !h[P])
            return false;
        int64_t span = (int64_t)((uint64_t)k[N] - (uint64_t)k[P]), delta = (int64_t)((uint64_t)t - (uint64_t)k[P]);
        double alpha = span == 0 ? 0.0 : (double)(delta / span);
        double pp = x[P] + (double)delta * pre, pn = x[N] - (double)(span - delta) * post;
        *out = alpha * pp + (1.0 - alpha) * pn;
        return true;
    }
    if (in->tick[P]) {
        if (!h[P])
            return false;
        *out = x[P] + pre * (double)(int64_t)((uint64_t)t - (uint64_t)k[P]);
        return true;
    }
    if (in->tick[N]) {
        if (!h[N])
            return false;
        *out = x[N] - post * (double)(int64_t)((uint64_t)k[N] - (uint64_t)t);
        return true;
    }
    return false;
}

/* filler.trend on the window pp, p, (gap at t), n, nn. The value is the
 * trend estimate; latitude and longitude are estimated the same way from
 * the points' locations. Warp 10 then stores the rounded elevation
 * estimate in the location field (and never sets the elevation); we keep
 * that behaviour so results match. */
static bool trend_fill(exo_vm *vm, const word *w, const function *f, const fill_pt *win, int64_t t, agg_out *out)
{
    trend_in in = {0};
    for (int i = 0; i < 4; i++) {
        in.tick[i] = in.has[i] = win[i].has;
        in.t[i] = win[i].tick;
        if (win[i].has) {
            if (!val_is_number(win[i].v))
                return vm_fail(vm, "%s: %s can only fill numeric Geo Time Series.", w->name, f->def->name);
            in.x[i] = val_as_double(win[i].v);
        }
    }
    double v;
    if (!trend_estimate(&in, t, &v))
        return true;
    out->tick = t;
    out->v = v_double(v);
    trend_in ll[2] = {in, in}, el = in;
    for (int i = 0; i < 4; i++) {
        bool hl = win[i].has && win[i].loc != GTS_NO_LOCATION;
        double la = 0, lo = 0;
        if (hl)
            gts_unpack_location(win[i].loc, &la, &lo);
        ll[0].has[i] = ll[1].has[i] = hl;
        ll[0].x[i] = la;
        ll[1].x[i] = lo;
        el.has[i] = win[i].has && win[i].elev != GTS_NO_ELEVATION;
        el.x[i] = el.has[i] ? (double)win[i].elev : 0.0;
    }
    double lat, lon, elev;
    if (trend_estimate(&ll[0], t, &lat) && trend_estimate(&ll[1], t, &lon))
        out->loc = gts_pack_location(lat, lon);
    if (trend_estimate(&el, t, &elev)) {
        double r = floor(elev); /* Math.round */
        if (elev - r >= 0.5)
            r += 1.0;
        out->loc = java_d2l(r);
    }
    return true;
}

/* A window point as MACROFILLER shows it: [tick lat lon elev value], or
 * [null NaN NaN NaN null] when absent. */
static value point_list(exo_vm *vm, const fill_pt *p)
{
    list *l = list_new(vm, 5);
    if (!l)
        return v_null();
    double la = NAN, lo = NAN;
    if (p->has && p->loc != GTS_NO_LOCATION)
        gts_unpack_location(p->loc, &la, &lo);
    bool ok = list_push(vm, l, p->has ? v_long(p->tick) : v_null()) && list_push(vm, l, v_double(la)) &&
              list_push(vm, l, v_double(lo)) &&
              list_push(vm, l, p->has && p->elev != GTS_NO_ELEVATION ? v_long(p->elev) : v_double(NAN)) &&
              list_push(vm, l, p->has ? val_retain(p->v) : v_null());
    if (!ok) {
        val_release(vm, v_obj(T_LIST, l));
        return v_null();
    }
    return v_obj(T_LIST, l);
}

/* An empty series carrying g's class, labels and attributes. */
static bool push_meta(exo_vm *vm, const gts *g)
{
    gts *m = gts_clone(vm, g, false);
    if (!m)
        return false;
    m->bucketspan = m->bucketcount = m->lastbucket = 0;
    return vm_push(vm, v_obj(T_GTS, m));
}

/* MACROFILLER: the macro gets `ourGTS otherGTS [pre..] [current] [post..]
 * tick` (the series as empty GTS with their metadata) and leaves a LIST
 * [tick (lat lon) (elev) value]; a null value fills nothing. */
static bool macro_fill(exo_vm *vm, const function *f, const gts *our, const gts *other, const fill_pt *win, size_t pre,
                       size_t post, agg_out *out)
{
    if (!push_meta(vm, our) || !push_meta(vm, other))
        return false;
    for (int part = 0; part < 3; part++) {
        size_t a = part == 0 ? 0 : part == 1 ? pre : pre + 1, b = part == 0 ? pre : part == 1 ? pre + 1 : pre + 1 + post;
        value pv = v_null();
        if (part == 1) {
            pv = point_list(vm, &win[a]);
        } else {
            list *l = list_new(vm, b - a);
            pv = l ? v_obj(T_LIST, l) : v_null();
            for (size_t i = a; l && i < b; i++) {
                value e = point_list(vm, &win[i]);
                if (e.type == T_NULL || !list_push(vm, l, e)) {
                    val_release(vm, pv);
                    pv = v_null();
                    break;
                }
            }
        }
        if (pv.type == T_NULL || !vm_push(vm, pv))
            return false;
    }
    if (!vm_push(vm, v_long(win[pre].tick)) || !vm_exec(vm, (macro *)f->params[0].as.o))
        return false;
    if (vm->sp == 0)
        return vm_fail(vm, "Empty stack.");
    value r = *vm_peek(vm, 0);
    if (r.type != T_LIST)
        return vm_fail(vm, "Expected a [ ts lat lon elev value ] list as result of filler.");
    bool ok = agg_list_result(vm, f->def->name, AS_LIST(r), out);
    vm_drop(vm, 1);
    return ok;
}

/* GTSHelper.fill with a windowed filler: a sweep over the sorted ticks of
 * a and b (their first na / nb points are the originals); at each tick of
 * one missing from the other, the filler sees the `pre` points of the
 * series being filled before the tick, the other series' point, and the
 * `post` points after it, and its result is appended at the tick it
 * returns. */
static bool sweep_fill(exo_vm *vm, const word *w, const function *f, gts *a, size_t na, gts *b, size_t nb)
{
    bool is_macro = f->def->magic == FILLER_MACRO;
    size_t pre = is_macro ? (size_t)f->params[1].as.l : 2, post = is_macro ? (size_t)f->params[2].as.l : 2;
    size_t nwin = pre + 1 + post;
    fill_pt *win = vm_alloc(vm, nwin * sizeof(fill_pt));
    if (!win)
        return false;
    size_t ia = 0, ib = 0;
    bool ok = true;
    while (ok && (ia < na || ib < nb)) {
        if (ia < na && ib < nb && a->ticks[ia] == b->ticks[ib]) {
            ia++;
            ib++;
            if ((ia < na && a->ticks[ia] == a->ticks[ia - 1]) || (ib < nb && b->ticks[ib] == b->ticks[ib - 1]))
                ok = vm_fail(vm, "%s cannot fill Geo Time Series with duplicate timestamps.", w->name);
            continue;
        }
        bool fill_a = ia >= na || (ib < nb && a->ticks[ia] > b->ticks[ib]);
        gts *our = fill_a ? a : b, *other = fill_a ? b : a;
        size_t idx = fill_a ? ia : ib, n = fill_a ? na : nb, oi = fill_a ? ib : ia;
        for (size_t i = 0; i < nwin; i++)
            win[i].has = false;
        for (size_t i = 0; i < pre && i < idx; i++) { /* nearest first, as far as the series goes */
            win[pre - 1 - i] = point_at(our, idx - 1 - i);
            win[pre - 1 - i].v = gts_value_at(our, idx - 1 - i);
        }
        win[pre] = point_at(other, oi);
        win[pre].v = gts_value_at(other, oi);
        for (size_t i = 0; i < post && idx + i < n; i++) {
            win[pre + 1 + i] = point_at(our, idx + i);
            win[pre + 1 + i].v = gts_value_at(our, idx + i);
        }
        agg_out o = {.tick = win[pre].tick, .loc = GTS_NO_LOCATION, .elev = GTS_NO_ELEVATION, .v = v_null()};
        if (is_macro) {
            ok = macro_fill(vm, f, our, other, win, pre, post, &o);
        } else { /* prevprev prev next nextnext (pre = post = 2) */
            fill_pt around[4] = {win[0], win[1], win[3], win[4]};
            ok = trend_fill(vm, w, f, around, win[pre].tick, &o);
        }
        if (ok && o.v.type != T_NULL)
            ok = gts_add(vm, our, o.tick, o.loc, o.elev, o.v);
        val_release(vm, o.v);
        for (size_t i = 0; i < nwin; i++)
            if (win[i].has)
                val_release(vm, win[i].v);
        if (fill_a)
            ib++;
        else
            ia++;
    }
    vm_dealloc(vm, win, nwin * sizeof(fill_pt));
    return ok;
}

/* `macro pre post MACROFILLER` */
static bool build_macrofiller(exo_vm *vm, const word *w, const fn_def *d)
{
    (void)w;
    if (vm_peek(vm, 0)->type != T_LONG)
        return vm_fail(vm, "%s expects a 'post' window length on top of the stack.", d->name);
    if (vm_peek(vm, 1)->type != T_LONG)
        return vm_fail(vm, "%s expects a 'pre' window length below the 'post' window length.", d->name);
    if (vm_peek(vm, 2)->type != T_MACRO)
        return vm_fail(vm, "%s operates on a MACRO.", d->name);
    /* Java's intValue(); a negative window is an empty one */
    int32_t pre = (int32_t)(uint32_t)(uint64_t)vm_peek(vm, 1)->as.l, post = (int32_t)(uint32_t)(uint64_t)vm_peek(vm, 0)->as.l;
    if (pre > 1 << 20 || post > 1 << 20)
        return vm_fail(vm, "%s window lengths must not exceed %d.", d->name, 1 << 20);
    value ps[3] = {val_retain(*vm_peek(vm, 2)), v_long(pre < 0 ? 0 : pre), v_long(post < 0 ? 0 : post)};
    function *f = fn_new(vm, d, ps, 3);
    if (!f)
        return false;
    f->wrapped = true;
    vm_drop(vm, 3);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

/* gtsA gtsB filler FILL -> gtsA' gtsB' (or the univariate forms) */
static bool w_cross_fill(exo_vm *vm, const word *w)
{
    value fl = *vm_peek(vm, 0);
    if (fl.type == T_LIST || fl.type == T_MAP)
        return w_uni_fill(vm, w, fl);
    if (!fn_has_role(fl, FN_FILLER))
        return vm_type_error(vm, w, 1, "a filler, a LIST or a MAP");
    if (!vm_need(vm, 3))
        return false;
    for (size_t d = 1; d <= 2; d++)
        if (vm_peek(vm, d)->type != T_GTS)
            return vm_type_error(vm, w, (int)d + 1, "a GTS");
    const function *f = AS_FN(fl);
    gts *a = gts_clone(vm, AS_GTS(*vm_peek(vm, 2)), true);
    gts *b = a ? gts_clone(vm, AS_GTS(*vm_peek(vm, 1)), true) : NULL;
    bool ok = b != NULL && gts_sort(vm, a, false) && gts_sort(vm, b, false);
    size_t na = a ? a->len : 0, nb = b ? b->len : 0;
    /* b is filled from a's original points, which stay a's sorted prefix */
    if (f->def->magic >= FILLER_TREND)
        ok = ok && sweep_fill(vm, w, f, a, na, b, nb);
    else
        ok = ok && cross_fill(vm, w, f, a, na, b->ticks, nb) && cross_fill(vm, w, f, b, nb, a->ticks, na);
    ok = ok && gts_sort(vm, a, false) && gts_sort(vm, b, false);
    if (!ok) {
        if (a)
            val_release(vm, v_obj(T_GTS, a));
        if (b)
            val_release(vm, v_obj(T_GTS, b));
        return false;
    }
    vm_drop(vm, 3);
    if (!vm_push(vm, v_obj(T_GTS, a))) { /* 3 popped, 2 pushed: cannot fail */
        val_release(vm, v_obj(T_GTS, b));
        return false;
    }
    return vm_push(vm, v_obj(T_GTS, b));
}

#define FILLERS(X)                                                                                                     \
    X(previous, "filler.previous", FILLER_PREVIOUS, 0, NULL, "-- filler", "Fills a missing tick with the previous value.") \
    X(next, "filler.next", FILLER_NEXT, 0, NULL, "-- filler", "Fills a missing tick with the next value.")             \
    X(value, "filler.value", FILLER_VALUE, 1, build_filler_value, "[lat lon elev value]|value -- filler",              \
      "Fills a missing tick with a constant point.")                                                                   \
    X(interpolate, "filler.interpolate", FILLER_INTERPOLATE, 0, NULL, "-- filler",                                     \
      "Fills a missing tick between two values by linear interpolation (value, elevation, location).")                 \
    X(trend, "filler.trend", FILLER_TREND, 0, NULL, "-- filler",                                                       \
      "Fills a missing tick from the trends of the two points before and after it (FILL of two GTS only).")           \
    X(macrofiller, "MACROFILLER", FILLER_MACRO, 3, build_macrofiller, "macro pre post -- filler",                     \
      "A filler running macro on ourGTS otherGTS [pre points] [other point] [post points] tick; leaves [tick .. value].")

#define DEF(id, nm, mg, np, bld, sig, doc)                                                                             \
    static const fn_def d_##id = {                                                                                     \
        .name = nm, .kind = FN_KIND_FILLER, .roles = FN_FILLER, .nparams = np, .magic = mg, .build = bld};
FILLERS(DEF)
#undef DEF

#define WORD(id, nm, mg, np, bld, sig, doc) EXO_WORD_DATA(nm, fn_word, np, sig, doc, &d_##id),

static const word fill_words[] = {
    EXO_WORD("FILL", w_cross_fill, 1, "gtsA gtsB filler -- gtsA' gtsB'",
             "Aligns two series on each other's ticks with the filler; or [gts|[gts..] filler (ticks)] / gts|[gts..] {filler ticks}: fills at the ticks or empty buckets."),
    FILLERS(WORD)
    EXO_WORD_MAGIC("FILLPREVIOUS", w_fill, 1, "gts|[gts..] -- gts|[gts..]",
                   "Fills empty buckets with the previous value (bucketized series only; points appended).", FILL_PREVIOUS),
    EXO_WORD_MAGIC("FILLNEXT", w_fill, 1, "gts|[gts..] -- gts|[gts..]",
                   "Fills empty buckets with the next value (bucketized series only; points appended).", FILL_NEXT),
    EXO_WORD_MAGIC("FILLVALUE", w_fill, 2, "gts|[gts..] [lat lon elev value] -- gts|[gts..]",
                   "Fills every empty bucket with a constant point (bucketized series only).", FILL_VALUE),
    EXO_WORD_MAGIC("INTERPOLATE", w_fill, 1, "gts|[gts..] -- gts|[gts..]",
                   "Fills empty buckets between two values by linear interpolation, in the series' type.", FILL_INTERPOLATE),
};

EXO_FAMILY(fill, fill_words)
