/* Transit search words: BLS (box-least-squares period search, the algorithm
 * in interp/bls.c) and RUNNINGMEDIAN (the centred running median the
 * detrending needs, in C because a one-day window over a long light curve
 * is too slow as a MAP). Times, periods and durations are time units, as
 * everywhere in WarpScript; BLS reads the points of a GTS or of a LIST of
 * GTS (segments) and answers a MAP: the planets found and the spectrum.
 *
 * BLS parameters (all optional; docs/transits.md has the details):
 *   minperiod 1 d, maxperiod min(150 d, span / (transits - 1)),
 *   durations [2 3 4.5 6.5 9 12] h, oversampling 1.0 (period step =
 *   shortest duration / (oversampling x span)), bins 2 (grid bins per
 *   shortest duration), maxfraction 0.2 (durations <= 0.2 period),
 *   count 10 (detections wanted), snr 7.0, transits 3, share 0.5 (largest
 *   share of the signal one transit may carry), trim 0.5 d (ramp guard:
 *   the start of each segment is left out), edge 1 d and edgeshare 0.5
 *   (ramp guard: share of the signal within edge of a segment start),
 *   mask 1.0 (durations masked either side of each transit), oddeven 5.0
 *   (sigmas of odd/even depth difference that double the period, or of a
 *   secondary eclipse, marking a binary), peaks 500
 *   (candidates re-scored after each detection), exact false (full search
 *   after each detection instead), gap 0.5 d (segments of a single GTS),
 *   weights 'segment' ('uniform', or GTS of weights), spectrum true.
 * Result: { 'planets' [ { period epoch duration depth depth.error snr
 * transits points share oddeven secondary secondary.error binary } .. ]
 * 'spectrum' GTS 'periods' N 'points' N
 * 'vetoed' N }; the spectrum's ticks are the trial periods (time units),
 * its values the best dip signal-to-noise at that period. */
#include "gts_words.h"

#include "../interp/bls.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TU_H 3600000000.0 /* time units per hour */
#define TU_D (24 * TU_H)

static bool numeric(const gts *g) { return g->type == GTS_LONG || g->type == GTS_DOUBLE || g->type == GTS_UNDEFINED; }

static double dval(const gts *g, size_t i) { return g->type == GTS_LONG ? (double)g->v.l[i] : g->v.d[i]; }

static bool ascending(const gts *g)
{
    for (size_t i = 1; i < g->len; i++)
        if (g->ticks[i] < g->ticks[i - 1])
            return false;
    return true;
}

/* Point order of g by tick (stable), in idx[0..len). */
static void order_by_tick(const gts *g, size_t *idx, size_t *tmp)
{
    size_t n = g->len;
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    if (ascending(g))
        return;
    /* bottom-up merge sort: stable, no recursion */
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t a = lo, b = mid, k = lo;
            while (a < mid && b < hi)
                tmp[k++] = g->ticks[idx[b]] < g->ticks[idx[a]] ? idx[b++] : idx[a++];
            while (a < mid)
                tmp[k++] = idx[a++];
            while (b < hi)
                tmp[k++] = idx[b++];
        }
        memcpy(idx, tmp, n * sizeof *idx);
    }
}

/* ======================= RUNNINGMEDIAN ======================= */

/* The window's finite values, kept sorted (insert/remove by binary search). */
typedef struct sorted_win {
    double *v;
    size_t n;
} sorted_win;

static size_t lower_bound(const double *a, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void win_add(sorted_win *s, double x)
{
    if (isnan(x))
        return;
    size_t at = lower_bound(s->v, s->n, x);
    memmove(s->v + at + 1, s->v + at, (s->n - at) * sizeof(double));
    s->v[at] = x;
    s->n++;
}

static void win_remove(sorted_win *s, double x)
{
    if (isnan(x))
        return;
    size_t at = lower_bound(s->v, s->n, x);
    memmove(s->v + at, s->v + at + 1, (s->n - at - 1) * sizeof(double));
    s->n--;
}

static double win_median(const sorted_win *s)
{
    if (s->n == 0)
        return NAN;
    return s->n % 2 ? s->v[s->n / 2] : (s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
}

static bool runmed_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    int64_t half = *(const int64_t *)ctx;
    if (!numeric(g))
        return vm_fail(vm, "%s expects numeric GTS, got a %s one.", w->name, gts_type_name(g->type));
    size_t n = g->len;
    size_t bytes = n * (2 * sizeof(size_t) + sizeof(double)) + 1;
    char *buf = vm_alloc(vm, bytes);
    gts *r = gts_clone(vm, g, false);
    if (!buf || !r || !gts_reserve(vm, r, n) || (n && !gts_set_type(vm, r, GTS_DOUBLE))) {
        vm_dealloc(vm, buf, buf ? bytes : 0);
        if (r)
            val_release(vm, v_obj(T_GTS, r));
        return false;
    }
    size_t *idx = (size_t *)buf, *tmp = idx + n;
    sorted_win s = {(double *)(tmp + n), 0};
    order_by_tick(g, idx, tmp);
    size_t lo = 0, hi = 0; /* window = points lo .. hi-1 in tick order */
    for (size_t k = 0; k < n; k++) {
        int64_t t = g->ticks[idx[k]];
        /* |tick - t| <= half, computed without overflow */
        /* ticks[hi] >= t and ticks[lo] <= t: unsigned differences are exact */
        while (hi < n && (uint64_t)g->ticks[idx[hi]] - (uint64_t)t <= (uint64_t)half)
            win_add(&s, dval(g, idx[hi++]));
        while (lo < k && (uint64_t)t - (uint64_t)g->ticks[idx[lo]] > (uint64_t)half)
            win_remove(&s, dval(g, idx[lo++]));
        size_t i = idx[k];
        gts_add(vm, r, t, g->loc ? g->loc[i] : GTS_NO_LOCATION, g->elev ? g->elev[i] : GTS_NO_ELEVATION,
                v_double(win_median(&s))); /* reserved: cannot fail */
    }
    vm_dealloc(vm, buf, bytes);
    *out = v_obj(T_GTS, r);
    return true;
}

static bool w_runningmedian(exo_vm *vm, const word *w)
{
    value win = *vm_peek(vm, 0);
    if (win.type != T_LONG || win.as.l < 0)
        return vm_type_error(vm, w, 1, "a non-negative LONG window (time units)");
    if (!gw_gts_or_list(vm, w, 2))
        return false;
    int64_t half = win.as.l / 2;
    value r;
    if (!gw_map(vm, w, 2, runmed_one, &half, &r))
        return false;
    return gw_replace(vm, 2, r);
}

/* ======================= BLS ======================= */

typedef struct bls_args {
    bls_config c;
    double dur[BLS_MAX_DURATIONS];
    double gap;
    bool spectrum, max_set;
    enum { W_SEGMENT, W_UNIFORM, W_SERIES } weights;
    value wseries; /* borrowed: GTS or LIST of GTS */
} bls_args;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char *const bls_keys[] = {"minperiod", "maxperiod", "durations", "oversampling", "bins",
                                       "maxfraction", "count", "snr", "transits", "share",
                                       "edge", "edgeshare", "trim", "mask", "oddeven", "peaks", "exact",
                                       "gap", "weights", "spectrum"};

static value *param(map *m, const char *key)
{
    value k = {.type = T_STRING};
    /* compare by content: walk the entries (the map is small) */
    for (size_t i = 0; i < m->len; i++) {
        k = m->ents[i].key;
        if (k.type == T_STRING && strcmp(AS_STR(k)->data, key) == 0 && AS_STR(k)->len == strlen(key))
            return &m->ents[i].val;
    }
    return NULL;
}

static bool num_param(exo_vm *vm, const word *w, map *m, const char *key, double *out)
{
    value *v = param(m, key);
    if (!v)
        return true;
    if (!val_is_number(*v))
        return vm_fail(vm, "%s: parameter '%s' expects a number, got %s.", w->name, key, val_type_name(*v));
    *out = val_as_double(*v);
    return true;
}

static bool count_param(exo_vm *vm, const word *w, map *m, const char *key, size_t *out)
{
    value *v = param(m, key);
    if (!v)
        return true;
    if (v->type != T_LONG || v->as.l < 0 || v->as.l > 1000000)
        return vm_fail(vm, "%s: parameter '%s' expects a LONG within 0 and 1000000.", w->name, key);
    *out = (size_t)v->as.l;
    return true;
}

static bool parse_params(exo_vm *vm, const word *w, map *m, bls_args *a)
{
    for (size_t i = 0; i < m->len; i++) {
        value k = m->ents[i].key;
        bool known = false;
        for (size_t j = 0; j < countof(bls_keys) && k.type == T_STRING && !known; j++)
            known = strcmp(AS_STR(k)->data, bls_keys[j]) == 0;
        if (!known)
            return vm_fail(vm, "%s: unknown parameter %s%s%s (known: minperiod maxperiod durations oversampling bins "
                               "maxfraction count snr transits share edge edgeshare trim mask oddeven peaks exact gap weights "
                               "spectrum).",
                           w->name, k.type == T_STRING ? "'" : "", k.type == T_STRING ? AS_STR(k)->data : val_type_name(k),
                           k.type == T_STRING ? "'" : "");
    }
    bls_config_days(&a->c);
    /* the defaults are in days: to time units */
    a->c.pmin *= TU_D;
    a->c.pmax *= TU_D;
    a->c.edge *= TU_D;
    a->c.trim *= TU_D;
    for (size_t q = 0; q < a->c.ndur; q++)
        a->dur[q] = a->c.dur[q] * TU_D;
    a->c.dur = a->dur;
    a->c.count = 10;
    a->gap = 0.5 * TU_D;
    a->spectrum = true;
    a->weights = W_SEGMENT;
    a->max_set = param(m, "maxperiod") != NULL;
    if (!num_param(vm, w, m, "minperiod", &a->c.pmin) || !num_param(vm, w, m, "maxperiod", &a->c.pmax) ||
        !num_param(vm, w, m, "oversampling", &a->c.oversample) || !num_param(vm, w, m, "bins", &a->c.binsper) ||
        !num_param(vm, w, m, "maxfraction", &a->c.maxfrac) || !count_param(vm, w, m, "count", &a->c.count) ||
        !num_param(vm, w, m, "snr", &a->c.snr_min) || !count_param(vm, w, m, "transits", &a->c.min_transits) ||
        !num_param(vm, w, m, "share", &a->c.max_share) || !num_param(vm, w, m, "edge", &a->c.edge) ||
        !num_param(vm, w, m, "edgeshare", &a->c.edge_share) || !num_param(vm, w, m, "mask", &a->c.mask) ||
        !num_param(vm, w, m, "trim", &a->c.trim) || !num_param(vm, w, m, "oddeven", &a->c.oddeven) ||
        !count_param(vm, w, m, "peaks", &a->c.max_peaks) || !num_param(vm, w, m, "gap", &a->gap))
        return false;
    value *v = param(m, "exact");
    if (v && v->type != T_BOOLEAN)
        return vm_fail(vm, "%s: parameter 'exact' expects a BOOLEAN.", w->name);
    a->c.exact = v && v->as.b;
    v = param(m, "spectrum");
    if (v && v->type != T_BOOLEAN)
        return vm_fail(vm, "%s: parameter 'spectrum' expects a BOOLEAN.", w->name);
    if (v)
        a->spectrum = v->as.b;
    v = param(m, "durations");
    if (v) {
        if (v->type != T_LIST || AS_LIST(*v)->len == 0 || AS_LIST(*v)->len > BLS_MAX_DURATIONS)
            return vm_fail(vm, "%s: parameter 'durations' expects a LIST of 1 to %d durations.", w->name,
                           BLS_MAX_DURATIONS);
        list *l = AS_LIST(*v);
        for (size_t q = 0; q < l->len; q++) {
            if (!val_is_number(l->items[q]))
                return vm_fail(vm, "%s: parameter 'durations' expects numbers (time units).", w->name);
            a->dur[q] = val_as_double(l->items[q]);
        }
        a->c.ndur = l->len;
        qsort(a->dur, a->c.ndur, sizeof(double), cmp_double);
    }
    v = param(m, "weights");
    if (v) {
        if (v->type == T_STRING && strcmp(AS_STR(*v)->data, "segment") == 0)
            a->weights = W_SEGMENT;
        else if (v->type == T_STRING && strcmp(AS_STR(*v)->data, "uniform") == 0)
            a->weights = W_UNIFORM;
        else if (v->type == T_GTS || gw_is_gts_list(*v)) {
            a->weights = W_SERIES;
            a->wseries = *v;
        } else
            return vm_fail(vm, "%s: parameter 'weights' expects 'segment', 'uniform', or a GTS or LIST of GTS of "
                               "weights.",
                           w->name);
    }
    if (!(a->gap > 0))
        return vm_fail(vm, "%s: parameter 'gap' must be positive.", w->name);
    return true;
}

/* The points of every input series, in time order, as BLS wants them. */
typedef struct points {
    size_t n;
    double *t, *y, *w;
    uint8_t *seg;
    int64_t tmin;
} points;

static void points_free(exo_vm *vm, points *p)
{
    vm_dealloc(vm, p->t, p->n * sizeof(double));
    vm_dealloc(vm, p->y, p->n * sizeof(double));
    vm_dealloc(vm, p->w, p->n * sizeof(double));
    vm_dealloc(vm, p->seg, p->n);
    memset(p, 0, sizeof *p);
}

/* The series of a GTS-or-LIST value. */
static size_t series_count(value v) { return v.type == T_GTS ? 1 : AS_LIST(v)->len; }
static gts *series_at(value v, size_t i) { return v.type == T_GTS ? AS_GTS(v) : AS_GTS(AS_LIST(v)->items[i]); }

/* 1/sigma^2 of the finite values y[lo..hi) (sample standard deviation; 1
 * for a constant or too short segment). */
static double segment_weight(const double *y, size_t lo, size_t hi)
{
    size_t n = 0;
    double mean = 0, ss = 0;
    for (size_t i = lo; i < hi; i++)
        if (isfinite(y[i])) { /* Welford */
            n++;
            double d = y[i] - mean;
            mean += d / (double)n;
            ss += d * (y[i] - mean);
        }
    double var = n > 1 ? ss / (double)(n - 1) : 0;
    return var > 0 && isfinite(var) ? 1 / var : 1;
}

/* Checks the input (and weight) series before anything is allocated. */
static bool check_series(exo_vm *vm, const word *w, value in, const bls_args *a)
{
    size_t ns = series_count(in);
    for (size_t s = 0; s < ns; s++)
        if (!numeric(series_at(in, s)))
            return vm_fail(vm, "%s expects numeric GTS, got a %s one.", w->name, gts_type_name(series_at(in, s)->type));
    if (a->weights != W_SERIES)
        return true;
    if (series_count(a->wseries) != ns)
        return vm_fail(vm, "%s: 'weights' must hold one GTS per input GTS.", w->name);
    for (size_t s = 0; s < ns; s++) {
        gts *g = series_at(in, s), *h = series_at(a->wseries, s);
        if (!numeric(h) || h->len != g->len)
            return vm_fail(vm, "%s: each 'weights' GTS must be numeric with the same ticks as its data GTS.", w->name);
    }
    return true;
}

static bool gather(exo_vm *vm, const word *w, value in, const bls_args *a, points *p)
{
    size_t ns = series_count(in), n = 0, maxlen = 0;
    for (size_t s = 0; s < ns; s++) {
        n += series_at(in, s)->len;
        maxlen = series_at(in, s)->len > maxlen ? series_at(in, s)->len : maxlen;
    }
    memset(p, 0, sizeof *p);
    p->n = n;
    p->t = vm_alloc(vm, n * sizeof(double));
    p->y = vm_alloc(vm, n * sizeof(double));
    p->w = vm_alloc(vm, n * sizeof(double));
    p->seg = vm_alloc(vm, n);
    size_t sbytes = 4 * maxlen * sizeof(size_t) + 1;
    size_t *scr = vm_alloc(vm, sbytes);
    int64_t *ticks = vm_alloc(vm, n * sizeof(int64_t) + 1);
    if (!p->t || !p->y || !p->w || !p->seg || !scr || !ticks)
        goto fail;
    p->tmin = INT64_MAX;
    size_t k = 0;
    for (size_t s = 0; s < ns; s++) {
        gts *g = series_at(in, s), *h = a->weights == W_SERIES ? series_at(a->wseries, s) : NULL;
        size_t *idx = scr, *tmp = scr + maxlen, *hidx = scr + 2 * maxlen, *htmp = scr + 3 * maxlen;
        order_by_tick(g, idx, tmp);
        if (h)
            order_by_tick(h, hidx, htmp);
        size_t start = k;
        for (size_t i = 0; i < g->len; i++, k++) {
            int64_t tick = g->ticks[idx[i]];
            ticks[k] = tick;
            p->tmin = tick < p->tmin ? tick : p->tmin;
            p->y[k] = dval(g, idx[i]);
            p->seg[k] = i == 0 || (double)((uint64_t)tick - (uint64_t)ticks[k - 1]) > a->gap;
            if (h) {
                if (h->ticks[hidx[i]] != tick) {
                    vm_fail(vm, "%s: each 'weights' GTS must be numeric with the same ticks as its data GTS.",
                            w->name);
                    goto fail;
                }
                p->w[k] = dval(h, hidx[i]);
            } else {
                p->w[k] = 1;
            }
        }
        if (a->weights == W_SEGMENT) /* per segment of this series */
            for (size_t lo = start; lo < k;) {
                size_t hi = lo + 1;
                while (hi < k && !p->seg[hi])
                    hi++;
                double wt = segment_weight(p->y, lo, hi);
                for (size_t i = lo; i < hi; i++)
                    p->w[i] = wt;
                lo = hi;
            }
    }
    if (a->weights == W_UNIFORM) {
        double wt = segment_weight(p->y, 0, n);
        for (size_t i = 0; i < n; i++)
            p->w[i] = wt;
    }
    for (size_t i = 0; i < n; i++)
        p->t[i] = (double)((uint64_t)ticks[i] - (uint64_t)p->tmin);
    /* several series: merge them in time order if they are not already */
    bool sorted = true;
    for (size_t i = 1; i < n && sorted; i++)
        sorted = p->t[i] >= p->t[i - 1];
    if (!sorted) {
        size_t obytes = 2 * n * sizeof(size_t) + n * sizeof(double) + 1;
        size_t *ord = vm_alloc(vm, obytes);
        if (!ord)
            goto fail;
        size_t *tmp = ord + n;
        double *move = (double *)(tmp + n);
        for (size_t i = 0; i < n; i++)
            ord[i] = i;
        for (size_t width = 1; width < n; width *= 2) {
            for (size_t lo = 0; lo < n; lo += 2 * width) {
                size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
                size_t x = lo, y = mid, o = lo;
                while (x < mid && y < hi)
                    tmp[o++] = p->t[ord[y]] < p->t[ord[x]] ? ord[y++] : ord[x++];
                while (x < mid)
                    tmp[o++] = ord[x++];
                while (y < hi)
                    tmp[o++] = ord[y++];
            }
            memcpy(ord, tmp, n * sizeof *ord);
        }
        double *arrs[3] = {p->t, p->y, p->w};
        for (int q = 0; q < 3; q++) {
            for (size_t i = 0; i < n; i++)
                move[i] = arrs[q][ord[i]];
            memcpy(arrs[q], move, n * sizeof(double));
        }
        uint8_t *seg = (uint8_t *)tmp; /* tmp is free again */
        for (size_t i = 0; i < n; i++)
            seg[i] = p->seg[ord[i]];
        memcpy(p->seg, seg, n);
        vm_dealloc(vm, ord, obytes);
    }
    vm_dealloc(vm, scr, sbytes);
    vm_dealloc(vm, ticks, n * sizeof(int64_t) + 1);
    return true;
fail:
    vm_dealloc(vm, scr, scr ? sbytes : 0);
    vm_dealloc(vm, ticks, ticks ? n * sizeof(int64_t) + 1 : 0);
    points_free(vm, p);
    return false;
}

/* ---- the result ---- */

static bool put(exo_vm *vm, map *m, const char *key, value v)
{
    value k = str_from(vm, key);
    if (val_is_oom(k)) {
        val_release(vm, v);
        return false;
    }
    return map_put(vm, m, k, v);
}

static bool planet_map(exo_vm *vm, const bls_planet *pl, int64_t tmin, value *out)
{
    map *m = map_new(vm, 14);
    if (!m)
        return false;
    *out = v_obj(T_MAP, m);
    int64_t epoch = (int64_t)((uint64_t)tmin + (uint64_t)llround(pl->epoch)); /* within the series' ticks */
    return put(vm, m, "period", v_double(pl->period)) && put(vm, m, "epoch", v_long(epoch)) &&
           put(vm, m, "duration", v_double(pl->duration)) && put(vm, m, "depth", v_double(pl->depth)) &&
           put(vm, m, "depth.error", v_double(pl->depth_err)) && put(vm, m, "snr", v_double(pl->snr)) &&
           put(vm, m, "transits", v_long((int64_t)pl->transits)) && put(vm, m, "points", v_long((int64_t)pl->points)) &&
           put(vm, m, "share", v_double(pl->max_share)) && put(vm, m, "oddeven", v_double(pl->oddeven)) &&
           put(vm, m, "secondary", v_double(pl->secondary)) &&
           put(vm, m, "secondary.error", v_double(pl->secondary_err)) && put(vm, m, "binary", v_bool(pl->binary));
}

static bool spectrum_gts(exo_vm *vm, const bls_result *r, const gts *like, value *out)
{
    gts *g = gts_new(vm);
    if (!g)
        return false;
    *out = v_obj(T_GTS, g);
    if (!gts_set_class(vm, g, "bls.snr", 7) || (like && !gts_copy_map(vm, &g->labels, like->labels)) ||
        !gts_reserve(vm, g, r->nperiods))
        return false;
    for (size_t j = 0; j < r->nperiods; j++)
        if (!gts_add_double(vm, g, (int64_t)llround(r->period[j]), r->power[j]))
            return false;
    return true;
}

static bool result_map(exo_vm *vm, const bls_result *r, const points *p, const gts *like, bool spectrum, value *out)
{
    map *m = map_new(vm, 6);
    if (!m)
        return false;
    *out = v_obj(T_MAP, m);
    list *l = list_new(vm, r->nplanets);
    if (!l || !put(vm, m, "planets", v_obj(T_LIST, l)))
        return false;
    for (size_t i = 0; i < r->nplanets; i++) {
        value pm = v_null();
        bool ok = planet_map(vm, &r->planets[i], p->tmin, &pm);
        if (!list_push(vm, l, pm) || !ok)
            return false;
    }
    if (spectrum) {
        value s = v_null();
        bool ok = spectrum_gts(vm, r, like, &s);
        if (!put(vm, m, "spectrum", s) || !ok)
            return false;
    }
    return put(vm, m, "periods", v_long((int64_t)r->nperiods)) && put(vm, m, "points", v_long((int64_t)r->points)) &&
           put(vm, m, "vetoed", v_long((int64_t)r->vetoed));
}

static bool w_bls(exo_vm *vm, const word *w)
{
    value pv = *vm_peek(vm, 0), in = *vm_peek(vm, 1);
    if (pv.type != T_MAP)
        return vm_type_error(vm, w, 1, "a MAP of parameters");
    if (!gw_gts_or_list(vm, w, 2))
        return false;
    bls_args a;
    memset(&a, 0, sizeof a);
    if (!parse_params(vm, w, AS_MAP(pv), &a) || !check_series(vm, w, in, &a))
        return false;
    points p;
    if (!gather(vm, w, in, &a, &p))
        return false;
    if (!a.max_set && p.n > 1 && a.c.min_transits > 1) {
        /* default: short enough for min_transits transits to fit in the time covered */
        double fit = (p.t[p.n - 1] - p.t[0]) / (double)(a.c.min_transits - 1);
        if (fit < a.c.pmax && fit > a.c.pmin)
            a.c.pmax = fit;
    }
    bls_result r;
    bool ok = bls_search(vm, p.t, p.y, p.w, p.seg, p.n, &a.c, &r);
    value res = v_null();
    if (ok) {
        ok = result_map(vm, &r, &p, series_count(in) ? series_at(in, 0) : NULL, a.spectrum, &res);
        bls_result_free(vm, &r);
    }
    points_free(vm, &p);
    if (!ok) {
        val_release(vm, res);
        return false;
    }
    return gw_replace(vm, 2, res);
}

static const word bls_words[] = {
    EXO_WORD("BLS", w_bls, 2, "gts|[gts..] params -- result",
             "Box-least-squares transit search (params: minperiod maxperiod durations count snr ...): "
             "{planets [{period epoch duration depth snr transits ..}] spectrum periods points vetoed}."),
    EXO_WORD("RUNNINGMEDIAN", w_runningmedian, 2, "gts|[gts..] window -- gts'|[gts'..]",
             "Centred running median over window time units (shorter at the ends), DOUBLE."),
};

EXO_FAMILY(bls, bls_words)
