/* Smoothing words: SINGLEEXPONENTIALSMOOTHING, DOUBLEEXPONENTIALSMOOTHING,
 * LOWESS and RLOWESS, each on a GTS or a LIST of GTS, giving DOUBLE copies
 * with the input's metadata and bucketization. The LOWESS kernel follows
 * GTSHelper.rlowess step by step (neighbour search, tricube weights,
 * delta skipping with linear interpolation, bisquare robustness) so the
 * values match Warp 10's for degree 1; higher degrees solve the weighted
 * least squares in centred coordinates. STL (stl.c) reuses the kernel. */
#include "analytics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- LOWESS kernel ---- */

static uint64_t tdist(int64_t a, int64_t b) { return a >= b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a; }

/* Solves the (m x m) system a x = b in place (partial pivoting); a zero
 * pivot leaves that coefficient at 0. */
static void solve(double *a, double *b, int m)
{
    for (int c = 0; c < m; c++) {
        int piv = c;
        for (int r = c + 1; r < m; r++)
            if (fabs(a[r * m + c]) > fabs(a[piv * m + c]))
                piv = r;
        if (piv != c) {
            for (int k = 0; k < m; k++) {
                double tmp = a[c * m + k];
                a[c * m + k] = a[piv * m + k];
                a[piv * m + k] = tmp;
            }
            double tmp = b[c];
            b[c] = b[piv];
            b[piv] = tmp;
        }
        if (a[c * m + c] == 0.0)
            continue;
        for (int r = c + 1; r < m; r++) {
            double f = a[r * m + c] / a[c * m + c];
            for (int k = c; k < m; k++)
                a[r * m + k] -= f * a[c * m + k];
            b[r] -= f * b[c];
        }
    }
    for (int c = m - 1; c >= 0; c--) {
        if (a[c * m + c] == 0.0) {
            b[c] = 0.0;
            continue;
        }
        double s = b[c];
        for (int k = c + 1; k < m; k++)
            s -= a[c * m + k] * b[k];
        b[c] = s / a[c * m + c];
    }
}

double lw_point(const lw_input *in, int64_t idx, int64_t tick, int q, int p, const double *rho, double *w, bool reversed)
{
    const int64_t *t = in->t;
    int64_t n = (int64_t)in->n;
    if (n == 0)
        return NAN;
    /* the q nearest points lie strictly between j and i */
    int64_t i = idx, j = idx - 1;
    if (reversed) {
        i++;
        j++;
    }
    for (int count = 0; count < q; count++) {
        uint64_t idist = i >= 0 && i < n ? tdist(t[i], tick) : UINT64_MAX;
        uint64_t jdist = j >= 0 && j < n ? tdist(t[j], tick) : UINT64_MAX;
        if (idist == UINT64_MAX && jdist == UINT64_MAX)
            break;
        if (idist < jdist)
            i++;
        else
            j--;
    }
    if (j + 1 > i - 1) /* q < 1 */
        return NAN;
    double left = j < -1 || j + 1 >= n ? 0.0 : (double)tdist(t[j + 1], tick);
    double right = i <= 0 || i - 1 >= n ? 0.0 : (double)tdist(t[i - 1], tick);
    double maxdist = left > right ? left : right;
    if (q > n)
        maxdist = (maxdist * q) / (double)n;
    double wsum = 0.0;
    int widx = 0;
    for (int64_t k = j + 1; k < i; k++, widx++) {
        if (maxdist == 0.0) {
            w[widx] = 1.0;
        } else {
            double u = (double)tdist(t[k], tick) / maxdist;
            if (u >= 1.0) {
                w[widx] = 0.0;
            } else {
                w[widx] = 1.0 - u * u * u;
                /* a zero robustness weight everywhere must not cancel the fit */
                double r = rho ? (rho[k] != 0.0 ? rho[k] : 0.000001) : 1.0;
                w[widx] = r * w[widx] * w[widx] * w[widx];
            }
        }
        wsum += w[widx];
    }
    if (p == 1) {
        double ctick = 0.0, cvalue = 0.0;
        widx = 0;
        for (int64_t k = j + 1; k < i; k++, widx++) {
            ctick = ctick + w[widx] * (double)t[k];
            cvalue = cvalue + w[widx] * in->y[k];
        }
        ctick = ctick / wsum;
        cvalue = cvalue / wsum;
        double covar = 0.0, var = 0.0;
        widx = 0;
        for (int64_t k = j + 1; k < i; k++, widx++) {
            covar = covar + w[widx] * ((double)t[k] - ctick) * (in->y[k] - cvalue);
            var = var + w[widx] * ((double)t[k] - ctick) * ((double)t[k] - ctick);
        }
        covar = covar / wsum;
        var = var / wsum;
        double b1 = var == 0.0 ? 0.0 : covar / var;
        double b0 = cvalue - ctick * b1;
        return b0 + (double)tick * b1;
    }
    /* degree p: weighted least squares in x = (t - tick) / scale, value at x = 0 */
    double a[10 * 10] = {0}, b[10] = {0}, scale = maxdist > 0 ? maxdist : 1.0;
    int m = p + 1;
    widx = 0;
    for (int64_t k = j + 1; k < i; k++, widx++) {
        double x = ((double)t[k] - (double)tick) / scale, pw[20];
        pw[0] = 1.0;
        for (int e = 1; e < 2 * m - 1; e++)
            pw[e] = pw[e - 1] * x;
        for (int r = 0; r < m; r++) {
            b[r] += w[widx] * pw[r] * in->y[k];
            for (int c = 0; c < m; c++)
                a[r * m + c] += w[widx] * pw[r + c];
        }
    }
    solve(a, b, m);
    return b[0];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Index of key in t[from, to), or -1 (Arrays.binarySearch, found only). */
static int64_t bsearch_tick(const int64_t *t, int64_t from, int64_t to, int64_t key)
{
    int64_t lo = from, hi = to - 1;
    while (lo <= hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (t[mid] < key)
            lo = mid + 1;
        else if (t[mid] > key)
            hi = mid - 1;
        else
            return mid;
    }
    return -1;
}

/* The output ticks: bucket ends, or the points' ticks. */
static int64_t out_tick(const lw_input *in, size_t k)
{
    if (!in->bucketized)
        return in->t[k];
    return (int64_t)((uint64_t)in->lastbucket - (uint64_t)(in->count - 1 - k) * (uint64_t)in->span);
}

bool lw_smooth(exo_vm *vm, const lw_input *in, int q, int r, int64_t d, int p, const double *rho_in, double *out)
{
    size_t n = in->n, size = in->bucketized ? in->count : n;
    int nvalues = (size_t)q < size ? q : (int)size;
    if (nvalues < 1)
        nvalues = 1;
    double *w = an_alloc(vm, (size_t)nvalues), *rho = NULL, *res = NULL, *sorted = NULL;
    bool ok = w != NULL;
    if (ok && r > 0) {
        rho = an_alloc(vm, n);
        res = vm_calloc(vm, (n ? n : 1) * sizeof(double));
        sorted = an_alloc(vm, n);
        ok = rho && res && sorted;
        for (size_t k = 0; ok && k < n; k++)
            rho[k] = 1.0;
    }
    const double *use_rho = r > 0 ? rho : rho_in;
    for (int it_r = 0; ok && it_r < r + 1; it_r++) {
        /* two cursors over the output ticks: `it` estimates, `fol` trails
         * it to interpolate the ticks skipped within d of an estimate */
        size_t it = 0, fol = 0, ridx = 0, ridx_last = 0;
        int64_t idx = 0, idx_last = 0, nn = (int64_t)n;
        int64_t last = (int64_t)(0 - (uint64_t)d - 1), last_skipped = 0, tick = 0;
        /* d == 0: no skipping (Warp 10 has no follower then) */
        bool skip = false, resolved = false, follow = d > 0;
        while (it < size || resolved) {
            if (!resolved)
                tick = out_tick(in, it++);
            else
                resolved = false;
            bool more = it < size;
            if (follow && more && (int64_t)((uint64_t)tick - (uint64_t)last) <= d) {
                last_skipped = tick;
                skip = true;
                ridx++;
                continue;
            }
            if (!skip) {
                while (idx < nn - 1 && tick > in->t[idx])
                    idx++;
                out[ridx] = lw_point(in, idx, tick, nvalues, p, use_rho, w, false);
                if (it_r < r && nn > 0 && tick == in->t[idx])
                    res[idx] = fabs(in->y[idx] - out[ridx]);
                if (follow) {
                    fol++;
                    last = tick;
                    idx_last = idx;
                    ridx_last = ridx;
                }
                ridx++;
                continue;
            }
            if (!more && (int64_t)((uint64_t)tick - (uint64_t)last) <= d) {
                last_skipped = tick;
                ridx++;
            }
            while (idx < nn - 1 && last_skipped > in->t[idx])
                idx++;
            out[ridx - 1] = lw_point(in, idx, last_skipped, nvalues, p, use_rho, w, false);
            if (it_r < r && nn > 0 && last_skipped == in->t[idx])
                res[idx] = fabs(in->y[idx] - out[ridx - 1]);
            double denom = (double)last_skipped - (double)last;
            int64_t skipped = out_tick(in, fol++);
            size_t ridx_s = ridx_last + 1;
            while (last_skipped > skipped) {
                double alpha = ((double)skipped - (double)last) / denom;
                out[ridx_s] = alpha * out[ridx - 1] + (1 - alpha) * out[ridx_last];
                int64_t sidx;
                if (it_r < r && 0 < (sidx = bsearch_tick(in->t, idx_last, idx, skipped)))
                    res[sidx] = fabs(in->y[sidx] - out[ridx_s]);
                skipped = out_tick(in, fol++);
                ridx_s++;
            }
            if (more || (int64_t)((uint64_t)tick - (uint64_t)last) > d) {
                skip = false;
                resolved = true;
                last = last_skipped;
                idx_last = idx;
                ridx_last = ridx - 1;
            }
        }
        if (it_r < r && n > 0) {
            /* bisquare weights from the median absolute residual */
            memcpy(sorted, res, n * sizeof(double));
            qsort(sorted, n, sizeof(double), cmp_double);
            double median = n % 2 == 0 ? (sorted[n / 2] + sorted[n / 2 - 1]) / 2 : sorted[n / 2];
            double h = 6 * median;
            for (size_t k = 0; k < n; k++) {
                if (h == 0) {
                    rho[k] = 1.0;
                } else {
                    double u = res[k] / h;
                    rho[k] = u >= 1.0 ? 0.0 : (1.0 - u * u) * (1.0 - u * u);
                }
            }
        }
    }
    if (w)
        an_free(vm, w, (size_t)nvalues, sizeof(double));
    if (rho)
        an_free(vm, rho, n, sizeof(double));
    if (res)
        an_free(vm, res, n, sizeof(double));
    if (sorted)
        an_free(vm, sorted, n, sizeof(double));
    return ok;
}

/* ---- exponential smoothing ---- */

static bool num_param(exo_vm *vm, const word *w, int depth, double *out)
{
    value v = *vm_peek(vm, (size_t)depth - 1);
    if (!val_is_number(v))
        return vm_type_error(vm, w, depth, "a LONG or a DOUBLE");
    *out = val_as_double(v);
    return true;
}

static bool check_series(exo_vm *vm, const word *w, const gts *g)
{
    if (!an_numeric(g))
        return vm_fail(vm, "%s can only perform exponential smoothing on numeric Geo Time Series.", w->name);
    if (g->len < 2)
        return vm_fail(vm, "%s can only perform exponential smoothing on Geo Time Series containing at least two values.",
                       w->name);
    return true;
}

typedef struct es_ctx {
    double alpha, beta;
} es_ctx;

static bool ses_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    double alpha = ((es_ctx *)ctx)->alpha;
    if (!check_series(vm, w, g) || !gts_sort(vm, g, false))
        return false;
    gts *s = an_like(vm, g);
    if (!s || !gts_reserve(vm, s, g->len))
        goto fail;
    double sm = an_val(g, 0), oma = 1.0 - alpha;
    if (!an_add(vm, s, g->ticks[0], an_loc(g, 0), an_elev(g, 0), sm))
        goto fail;
    for (size_t i = 1; i < g->len; i++) {
        sm = alpha * an_val(g, i) + oma * sm;
        if (!an_add(vm, s, g->ticks[i], an_loc(g, i), an_elev(g, i), sm))
            goto fail;
    }
    *out = v_obj(T_GTS, s);
    return true;
fail:
    an_drop(vm, s);
    return false;
}

static bool des_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    double alpha = ((es_ctx *)ctx)->alpha, beta = ((es_ctx *)ctx)->beta;
    if (!check_series(vm, w, g) || !gts_sort(vm, g, false))
        return false;
    gts *s = an_like(vm, g), *b = an_like(vm, g);
    list *l = list_new(vm, 2);
    if (!s || !b || !l || !gts_reserve(vm, s, g->len) || !gts_reserve(vm, b, g->len))
        goto fail;
    double sm = an_val(g, 1), best = sm - an_val(g, 0), oma = 1.0 - alpha, omb = 1.0 - beta;
    for (size_t i = 1; i < g->len; i++) {
        if (i > 1) {
            double ns = alpha * an_val(g, i) + oma * (sm + best);
            best = beta * (ns - sm) + omb * best;
            sm = ns;
        }
        if (!an_add(vm, s, g->ticks[i], an_loc(g, i), an_elev(g, i), sm) ||
            !an_add(vm, b, g->ticks[i], an_loc(g, i), an_elev(g, i), best))
            goto fail;
    }
    list_push(vm, l, v_obj(T_GTS, s)); /* room for 2 */
    list_push(vm, l, v_obj(T_GTS, b));
    *out = v_obj(T_LIST, l);
    return true;
fail:
    an_drop(vm, s);
    an_drop(vm, b);
    if (l)
        val_release(vm, v_obj(T_LIST, l));
    return false;
}

static bool w_ses(exo_vm *vm, const word *w)
{
    es_ctx c = {0};
    if (!num_param(vm, w, 1, &c.alpha) || !gw_gts_or_list(vm, w, 2))
        return false;
    if (!(c.alpha > 0.0 && c.alpha < 1.0))
        return vm_fail(vm, "%s 'alpha' (smoothing factor) should be strictly between 0.0 and 1.0.", w->name);
    value r;
    return gw_map(vm, w, 2, ses_one, &c, &r) && gw_replace(vm, 2, r);
}

static bool w_des(exo_vm *vm, const word *w)
{
    es_ctx c = {0};
    if (!num_param(vm, w, 1, &c.beta) || !num_param(vm, w, 2, &c.alpha) || !gw_gts_or_list(vm, w, 3))
        return false;
    if (!(c.alpha > 0.0 && c.alpha < 1.0))
        return vm_fail(vm, "%s 'alpha' (smoothing factor) should be strictly between 0.0 and 1.0.", w->name);
    if (!(c.beta > 0.0 && c.beta < 1.0))
        return vm_fail(vm, "%s 'beta' (trend factor) should be strictly between 0.0 and 1.0.", w->name);
    value r;
    return gw_map(vm, w, 3, des_one, &c, &r) && gw_replace(vm, 3, r);
}

/* ---- LOWESS / RLOWESS ---- */

typedef struct lw_ctx {
    int q, r, p;
    int64_t d;
} lw_ctx;

static bool lowess_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    const lw_ctx *c = ctx;
    if (!an_numeric(g))
        return vm_fail(vm, "%s can only smooth numeric Geo Time Series.", w->name);
    if (c->q < 1)
        return vm_fail(vm, "%s bandwidth parameter must be greater than 0.", w->name);
    if (c->r < 0)
        return vm_fail(vm, "%s robustness parameter must be greater or equal to 0.", w->name);
    if (c->d < 0)
        return vm_fail(vm, "%s delta parameter must be greater or equal to 0.", w->name);
    if (c->p < 1)
        return vm_fail(vm, "%s degree of polynomial fit must be greater than 0.", w->name);
    if (c->p > 9)
        return vm_fail(vm, "%s degree of polynomial fit should remain small (lower than 10).", w->name);
    if (!gts_sort(vm, g, false))
        return false;
    bool bucketized = gts_is_bucketized(g);
    if (bucketized && g->bucketcount - (int64_t)g->len > 500000)
        return vm_fail(vm, "%s: more than 500000 missing values.", w->name);
    for (size_t i = 1; i < g->len; i++)
        if (g->ticks[i] == g->ticks[i - 1])
            return vm_fail(vm, "%s can't be applied on GTS with duplicate ticks.", w->name);
    gts *s = an_like(vm, g);
    if (!s)
        return false;
    if (!g->len) { /* nothing to estimate from */
        *out = v_obj(T_GTS, s);
        return true;
    }
    lw_input in = {.t = g->ticks, .n = g->len, .bucketized = bucketized, .lastbucket = g->lastbucket,
                   .span = g->bucketspan, .count = bucketized ? (size_t)g->bucketcount : g->len};
    double *y = an_doubles(vm, g), *sm = an_alloc(vm, in.count);
    in.y = y;
    bool ok = y && sm && lw_smooth(vm, &in, c->q, c->r, c->d, c->p, NULL, sm) && gts_reserve(vm, s, in.count);
    /* every output tick gets a value; locations and elevations where a point was */
    size_t k = 0;
    for (size_t u = 0; ok && u < in.count; u++) {
        int64_t tick = bucketized ? (int64_t)((uint64_t)g->lastbucket - (uint64_t)(in.count - 1 - u) * (uint64_t)g->bucketspan)
                                  : g->ticks[u];
        while (k < g->len && g->ticks[k] < tick)
            k++;
        bool here = k < g->len && g->ticks[k] == tick;
        ok = an_add(vm, s, tick, here ? an_loc(g, k) : GTS_NO_LOCATION, here ? an_elev(g, k) : GTS_NO_ELEVATION, sm[u]);
    }
    if (y)
        an_free(vm, y, g->len, sizeof(double));
    if (sm)
        an_free(vm, sm, in.count, sizeof(double));
    if (!ok) {
        an_drop(vm, s);
        return false;
    }
    *out = v_obj(T_GTS, s);
    return true;
}

static bool long_param(exo_vm *vm, const word *w, int depth, int64_t *out) { return gw_long_arg(vm, w, depth, out); }

/* Java's intValue() of a LONG parameter */
static int jint(int64_t l) { return (int32_t)(uint32_t)(uint64_t)l; }

static bool w_lowess(exo_vm *vm, const word *w)
{
    int64_t q;
    if (!long_param(vm, w, 1, &q) || !gw_gts_or_list(vm, w, 2))
        return false;
    lw_ctx c = {.q = jint(q), .r = 0, .d = 0, .p = 1};
    value r;
    return gw_map(vm, w, 2, lowess_one, &c, &r) && gw_replace(vm, 2, r);
}

static bool w_rlowess(exo_vm *vm, const word *w)
{
    int64_t p, d, r, q;
    if (!long_param(vm, w, 1, &p) || !long_param(vm, w, 2, &d) || !long_param(vm, w, 3, &r) ||
        !long_param(vm, w, 4, &q) || !gw_gts_or_list(vm, w, 5))
        return false;
    /* a negative delta means 10^d of the time span: (long) Math.pow(10, d) is 0 */
    lw_ctx c = {.q = jint(q), .r = jint(r), .d = d < 0 ? 0 : d, .p = jint(p)};
    value res;
    return gw_map(vm, w, 5, lowess_one, &c, &res) && gw_replace(vm, 5, res);
}

static const word smoothing_words[] = {
    EXO_WORD("SINGLEEXPONENTIALSMOOTHING", w_ses, 2, "gts|[gts..] alpha -- gts|[gts..]",
             "Single exponential smoothing s = alpha v + (1 - alpha) s, 0 < alpha < 1 (DOUBLE)."),
    EXO_WORD("DOUBLEEXPONENTIALSMOOTHING", w_des, 3, "gts|[gts..] alpha beta -- [smoothed trend]|[[..]..]",
             "Holt's double exponential smoothing: the smoothed series and the trend estimate, from the 2nd tick."),
    EXO_WORD("LOWESS", w_lowess, 2, "gts|[gts..] q -- gts|[gts..]",
             "Locally weighted linear regression on the q nearest neighbours of each tick (each bucket if bucketized)."),
    EXO_WORD("RLOWESS", w_rlowess, 5, "gts|[gts..] q r d p -- gts|[gts..]",
             "Robust LOWESS: q neighbours, r robustness iterations, delta d (us) for interpolation, degree p."),
};

EXO_FAMILY(smoothing, smoothing_words)
