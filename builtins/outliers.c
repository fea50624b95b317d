/* Outlier words of GTSOutliersHelper: ZSCORE, GRUBBSTEST, ESDTEST. They
 * work on DOUBLE series only (as in Warp 10), with mean / Bessel sigma, or
 * median / MAD / 0.6745 when the "mad" flag is set. The tests use Student's
 * t quantiles, computed here by bisection on the regularized incomplete
 * beta function (continued fraction), to about machine precision. */
#include "analytics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Student's t quantile ---- */

/* Continued fraction of the incomplete beta function (modified Lentz). */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        d = fabs(d) < tiny ? tiny : d;
        c = 1.0 + num / c;
        c = fabs(c) < tiny ? tiny : c;
        d = 1.0 / d;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        d = fabs(d) < tiny ? tiny : d;
        c = 1.0 + num / c;
        c = fabs(c) < tiny ? tiny : c;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < 1e-16)
            break;
    }
    return h;
}

/* Regularized incomplete beta I_x(a, b). lgamma_r: lgamma sets a global. */
static double ibeta(double a, double b, double x)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    int s;
    double lbt = lgamma_r(a + b, &s) - lgamma_r(a, &s) - lgamma_r(b, &s) + a * log(x) + b * log1p(-x);
    double bt = exp(lbt);
    if (x < (a + 1.0) / (a + b + 2.0))
        return bt * beta_cf(a, b, x) / a;
    return 1.0 - bt * beta_cf(b, a, 1.0 - x) / b;
}

/* P(T > t) for t >= 0 with v degrees of freedom. */
static double t_upper(double t, double v) { return 0.5 * ibeta(v / 2.0, 0.5, v / (v + t * t)); }

/* The p-quantile of Student's t with v degrees of freedom. */
static double t_quantile(double p, double v)
{
    if (p != p || p < 0.0 || p > 1.0)
        return NAN;
    if (p == 0.5)
        return 0.0;
    if (p == 0.0 || p == 1.0)
        return p == 0.0 ? -INFINITY : INFINITY;
    double q = p < 0.5 ? p : 1.0 - p, lo = 0.0, hi = 1.0;
    while (t_upper(hi, v) > q && hi < 1e300)
        hi *= 2.0;
    for (int i = 0; i < 2000 && lo < hi; i++) {
        double mid = lo + (hi - lo) / 2.0;
        if (mid <= lo || mid >= hi)
            break;
        if (t_upper(mid, v) > q)
            lo = mid;
        else
            hi = mid;
    }
    double t = lo + (hi - lo) / 2.0;
    return p < 0.5 ? -t : t;
}

/* ---- location and scale ---- */

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median_of(double *v, size_t n)
{
    qsort(v, n, sizeof(double), cmp_d);
    return n % 2 == 0 ? (v[n / 2] + v[n / 2 - 1]) / 2 : v[n / 2];
}

/* GTSHelper.musigma with Bessel's correction, from the sums. */
static void musigma(const double *v, size_t n, double *mu, double *sigma)
{
    double sum = 0, sumsq = 0;
    for (size_t i = 0; i < n; i++) {
        sum += v[i];
        sumsq += v[i] * v[i];
    }
    *mu = sum / (double)n;
    double var = (sumsq / (double)n) - (sum * sum / ((double)n * (double)n));
    if (n > 1)
        var = var * (double)n / ((double)n - 1.0);
    *sigma = sqrt(var);
}

/* Centre and scale of v[0..n): mean/sigma, or median/(MAD / 0.6745)
 * falling back to sigma when the MAD is 0. scratch holds n doubles. */
static void madsigma(const double *v, size_t n, bool use_median, double *scratch, double *m, double *s)
{
    if (!use_median) {
        musigma(v, n, m, s);
        return;
    }
    memcpy(scratch, v, n * sizeof(double));
    *m = median_of(scratch, n);
    for (size_t i = 0; i < n; i++)
        scratch[i] = fabs(v[i] - *m);
    double mad = median_of(scratch, n);
    if (mad != 0.0) {
        *s = mad / 0.6745;
    } else {
        double mu;
        musigma(v, n, &mu, s);
    }
}

static bool double_check(exo_vm *vm, const word *w, const gts *g)
{
    if (g->type != GTS_DOUBLE)
        return vm_fail(vm, "%s can only operate on DOUBLE Geo Time Series.", w->name);
    return true;
}

typedef struct out_ctx {
    bool mad;
    double alpha;
    int k;
} out_ctx;

/* ---- ZSCORE ---- */

static bool zscore_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    bool mad = ((out_ctx *)ctx)->mad;
    if (!double_check(vm, w, g))
        return false;
    size_t n = g->len;
    double *tmp = an_alloc(vm, n), m, s;
    if (!tmp)
        return false;
    madsigma(g->v.d, n, mad, tmp, &m, &s);
    an_free(vm, tmp, n, sizeof(double));
    if (s == 0.0)
        return vm_fail(vm, "%s: %s is null.", w->name, mad ? "Median Absolute Deviation" : "Standard Deviation");
    gts *c = gts_clone(vm, g, true);
    if (!c)
        return false;
    for (size_t i = 0; i < n; i++)
        c->v.d[i] = (c->v.d[i] - m) / s;
    *out = v_obj(T_GTS, c);
    return true;
}

static bool w_zscore(exo_vm *vm, const word *w)
{
    value f = *vm_peek(vm, 0);
    if (f.type != T_BOOLEAN)
        return vm_type_error(vm, w, 1, "a BOOLEAN (true: median and MAD, false: mean and sigma)");
    if (!gw_gts_or_list(vm, w, 2))
        return false;
    out_ctx c = {.mad = f.as.b};
    value r;
    return gw_map(vm, w, 2, zscore_one, &c, &r) && gw_replace(vm, 2, r);
}

/* ---- GRUBBSTEST / ESDTEST ---- */

/* Index of the largest |v - m| / s (the first of equals), and that score. */
static size_t most_deviant(const double *v, size_t n, double m, double s, double *zmax)
{
    double mx = -INFINITY;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        double z = fabs((v[i] - m) / s);
        if (z > mx) {
            mx = z;
            at = i;
        }
    }
    *zmax = mx;
    return at;
}

/* The outlier ticks: Grubbs' test (k == 0) or the generalized ESD test
 * with at most k outliers. */
static bool test_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    const out_ctx *c = ctx;
    if (!double_check(vm, w, g))
        return false;
    size_t n = g->len;
    double *v = an_alloc(vm, n), *tmp = an_alloc(vm, n);
    int64_t *t = vm_alloc(vm, (n ? n : 1) * sizeof(int64_t)), *found = NULL;
    size_t nfound = 0;
    bool ok = v && tmp && t;
    if (ok) {
        memcpy(v, g->v.d, n * sizeof(double));
        memcpy(t, g->ticks, n * sizeof(int64_t));
    }
    if (ok && c->k == 0 && n >= 3) { /* Grubbs */
        double m, s, zmax;
        madsigma(v, n, c->mad, tmp, &m, &s);
        if (s != 0.0) {
            size_t at = most_deviant(v, n, m, s, &zmax);
            double tq = t_quantile(c->alpha / (2.0 * (double)n), (double)n - 2.0);
            double ginf = ((double)n - 1.0) * fabs(tq) / sqrt((double)n * ((double)n - 2.0 + tq * tq));
            if (zmax > ginf) {
                t[0] = t[at];
                nfound = 1;
                found = t;
            }
        }
    } else if (ok && c->k > 0) { /* ESD: remove the most deviant point k times */
        int greatest = -1;
        size_t left = n;
        for (int j = 0; j < c->k && left >= 3; j++) {
            double m, s, zmax;
            madsigma(v, left, c->mad, tmp, &m, &s);
            if (s == 0.0)
                break;
            size_t at = most_deviant(v, left, m, s, &zmax);
            double tq = t_quantile(1.0 - c->alpha / (2.0 * (double)left), (double)left - 2.0);
            double lambda = ((double)left - 1.0) * tq / sqrt(((double)left - 2.0 + tq * tq) * (double)left);
            if (zmax > lambda)
                greatest = j;
            left--;
            int64_t tt = t[at];
            t[at] = t[left];
            t[left] = tt;
            v[at] = v[left];
        }
        /* the removed points sit at the end, the first removed last */
        nfound = (size_t)(greatest + 1);
        if (nfound) {
            found = vm_alloc(vm, nfound * sizeof(int64_t));
            ok = found != NULL;
            for (size_t j = 0; ok && j < nfound; j++)
                found[j] = t[n - 1 - j];
        }
    }
    if (ok)
        ok = gw_long_list(vm, found, nfound, out);
    if (found && found != t)
        vm_dealloc(vm, found, nfound * sizeof(int64_t));
    if (v)
        an_free(vm, v, n, sizeof(double));
    if (tmp)
        an_free(vm, tmp, n, sizeof(double));
    if (t)
        an_free(vm, t, n, sizeof(int64_t));
    return ok;
}

/* Reads the optional alpha (a DOUBLE on top) then the mad flag; returns
 * the depth of the flag, 0 after an error. */
static int test_params(exo_vm *vm, const word *w, out_ctx *c)
{
    value top = *vm_peek(vm, 0);
    int depth = 1;
    c->alpha = 0.05;
    if (top.type == T_DOUBLE) {
        if (!vm_need(vm, 2))
            return 0;
        c->alpha = top.as.d;
        depth = 2;
    } else if (top.type != T_BOOLEAN) {
        vm_type_error(vm, w, 1, "a significance level (a DOUBLE) or a flag (a BOOLEAN)");
        return 0;
    }
    value f = *vm_peek(vm, (size_t)depth - 1);
    if (f.type != T_BOOLEAN) {
        vm_type_error(vm, w, depth, "a BOOLEAN (use the modified z-score)");
        return 0;
    }
    c->mad = f.as.b;
    return depth;
}

static bool w_grubbs(exo_vm *vm, const word *w)
{
    out_ctx c = {0};
    int depth = test_params(vm, w, &c);
    if (!depth || !vm_need(vm, (size_t)depth + 1) || !gw_gts_or_list(vm, w, depth + 1))
        return false;
    value r;
    return gw_map(vm, w, depth + 1, test_one, &c, &r) && gw_replace(vm, (size_t)depth + 1, r);
}

static bool w_esd(exo_vm *vm, const word *w)
{
    out_ctx c = {0};
    int depth = test_params(vm, w, &c);
    if (!depth || !vm_need(vm, (size_t)depth + 2))
        return false;
    value k = *vm_peek(vm, (size_t)depth);
    if (k.type != T_LONG)
        return vm_type_error(vm, w, depth + 1, "an upper bound of the number of outliers (a LONG)");
    if (!gw_gts_or_list(vm, w, depth + 2))
        return false;
    c.k = (int32_t)(uint32_t)(uint64_t)k.as.l;
    if (c.k <= 0) /* no test to run: no outlier */
        c.k = -1;
    value r;
    return gw_map(vm, w, depth + 2, test_one, &c, &r) && gw_replace(vm, (size_t)depth + 2, r);
}

static const word outliers_words[] = {
    EXO_WORD("ZSCORE", w_zscore, 2, "gts|[gts..] mad -- gts|[gts..]",
             "Values replaced by (v - mean) / sigma, or (v - median) / (MAD / 0.6745) when mad is true (DOUBLE GTS)."),
    EXO_WORD("GRUBBSTEST", w_grubbs, 2, "gts|[gts..] mad (alpha) -- [ticks]|[[ticks]..]",
             "Grubbs' test: the tick of the most deviant value if it is an outlier at level alpha (0.05)."),
    EXO_WORD("ESDTEST", w_esd, 3, "gts|[gts..] k mad (alpha) -- [ticks]|[[ticks]..]",
             "Generalized ESD test: the ticks of up to k outliers at level alpha (0.05)."),
};

EXO_FAMILY(outliers, outliers_words)
