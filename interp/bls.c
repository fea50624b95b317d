/* Box-least-squares period search. The points are first binned on a uniform
 * time grid (step: shortest duration / binsper); folding at a trial period
 * then adds whole cycles of that grid into the phase bins (contiguous,
 * vectorised adds, no per-point index arithmetic), and boxes of each trial
 * duration slide over the folded sums: a dip's fit improvement
 * s^2 / (sw (1 - sw/W)) is its squared signal-to-noise. The best peaks are
 * refined on the points with finer bins and vetoed there (transit count,
 * single-transit share, share near segment starts); alternating odd/even
 * depths or a secondary eclipse mark an eclipsing binary (period doubled,
 * both eclipses masked). A detection's transits
 * are masked; then either the candidate peaks are re-scored (default: a few
 * folds each; when none is left above the threshold, the whole grid is
 * searched again before giving up) or the whole grid is searched again
 * after each detection (exact). */
#include "bls.h"
#include "alloc.h"
#include "vm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The fold and the box scan are the whole cost: compile them for AVX2 too
 * where the compiler can pick the variant at load time. */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define BLS_HOT __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef BLS_HOT
#define BLS_HOT
#endif

void bls_config_days(bls_config *c)
{
    static const double durs[] = {2.0 / 24, 3.0 / 24, 4.5 / 24, 6.5 / 24, 9.0 / 24, 12.0 / 24};
    memset(c, 0, sizeof *c);
    c->pmin = 1.0;
    c->pmax = 150.0;
    c->dur = durs;
    c->ndur = countof(durs);
    c->oversample = 1.0;
    c->binsper = 2.0;
    c->maxfrac = 0.2;
    c->count = 6;
    c->snr_min = 7.0;
    c->min_transits = 3;
    c->max_share = 0.5;
    c->trim = 0.5;
    c->edge = 1.0;
    c->edge_share = 0.5;
    c->mask = 1.0;
    c->oddeven = 5.0;
    c->max_peaks = 500;
    c->max_periods = 10000000;
}

typedef struct bls_ctx {
    exo_vm *vm;
    const bls_config *c;
    size_t n, cap;          /* active (unmasked) points, compacted */
    double *t, *y, *w;      /* t from the first point; y minus the initial weighted mean */
    uint8_t *near_edge;     /* within c->edge of its segment's start */
    uint32_t *sel;          /* refinement: the points near a candidate's transits */
    double W, ybar;         /* total weight and weighted mean of the active points */
    double span, cadence, dlnp;
    double delta;           /* search grid step */
    size_t S;               /* grid samples */
    float *gw, *gy;         /* per sample: sums of w and w*y */
    size_t nbmax;           /* largest fold (refinement bins at the longest period) */
    float *aw, *ay;         /* folded sums */
    double *cw, *cy;        /* their prefix sums, over 2 * nbmax + 1 */
} bls_ctx;

/* A peak of the coarse spectrum is a candidate from this fraction of the
 * threshold on: the grid's phase and period steps cost a dip part of its
 * signal-to-noise, which the refinement on the points recovers. */
#define BLS_COARSE 0.75

/* Best dip found at one trial period. */
typedef struct box {
    double snr2, sw, s;
    size_t start, k, nb;    /* box = bins start .. start+k-1 (cyclic) of nb */
} box;

/* ---- folding and box scans ---- */

/* Vectors (GCC/Clang extensions: split into SSE2 or AVX2 registers). */
typedef float v8f __attribute__((vector_size(32)));
typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4l __attribute__((vector_size(32)));

/* Folds the grid at ps samples per period into nb bins: cycle c (samples
 * from round(c ps) on) is added to bins 0, 1, ... */
BLS_HOT static void fold_grid(const bls_ctx *x, double ps, size_t nb)
{
    float *restrict aw = x->aw, *restrict ay = x->ay;
    memset(aw, 0, nb * sizeof(float));
    memset(ay, 0, nb * sizeof(float));
    size_t S = x->S;
    for (size_t c = 0;; c++) {
        size_t o = (size_t)((double)c * ps + 0.5);
        if (o >= S)
            break;
        size_t len = (size_t)((double)(c + 1) * ps + 0.5) - o;
        len = len < nb ? len : nb;
        len = len < S - o ? len : S - o;
        const float *restrict gw = x->gw + o, *restrict gy = x->gy + o;
        size_t b = 0;
        /* eight lanes per step: whole-vector loads also keep sanitizer
         * builds fast (one check per vector) */
        for (; b + 8 <= len; b += 8) {
            v8f a, g;
            memcpy(&a, aw + b, sizeof a);
            memcpy(&g, gw + b, sizeof g);
            a += g;
            memcpy(aw + b, &a, sizeof a);
            memcpy(&a, ay + b, sizeof a);
            memcpy(&g, gy + b, sizeof g);
            a += g;
            memcpy(ay + b, &a, sizeof a);
        }
        for (; b < len; b++) {
            aw[b] += gw[b];
            ay[b] += gy[b];
        }
    }
}

/* Folds the selected points (x->sel[0..nsel)) into nb phase bins, bin 0
 * starting at time origin (refinement). */
static void fold_points(const bls_ctx *x, size_t nsel, double p, size_t nb, double origin)
{
    memset(x->aw, 0, nb * sizeof(float));
    memset(x->ay, 0, nb * sizeof(float));
    const double inv = 1.0 / p, fnb = (double)nb;
    for (size_t j = 0; j < nsel; j++) {
        size_t i = x->sel[j];
        double ph = (x->t[i] - origin) * inv;
        ph -= floor(ph);
        size_t b = (size_t)(ph * fnb);
        b = b < nb ? b : nb - 1;
        x->aw[b] += (float)x->w[i];
        x->ay[b] += (float)(x->w[i] * x->y[i]);
    }
}

#define vsel(m, a, b) ((v4d)(((v4l)(a) & (m)) | ((v4l)(b) & ~(m))))

/* Squared signal-to-noise of the box of k bins from bin b, 0 unless a dip. */
static inline double box_value(const double *cw, const double *cy, size_t b, size_t k, double ybar, double invW)
{
    double w = cw[b + k] - cw[b];
    double s = (cy[b + k] - cy[b]) - w * ybar;
    s = s < 0 ? s : 0;
    return s * s / (w - w * w * invW + 1e-300);
}

/* Prefix sums of the nb folded bins, continued cyclically for kmax more. */
static void prefix(const bls_ctx *x, size_t nb, size_t kmax)
{
    double *restrict cw = x->cw, *restrict cy = x->cy;
    const float *aw = x->aw, *ay = x->ay;
    double sw = 0, sy = 0;
    cw[0] = cy[0] = 0;
    for (size_t b = 0; b < nb + kmax; b++) {
        size_t i = b < nb ? b : b - nb;
        cw[b + 1] = sw += aw[i];
        cy[b + 1] = sy += ay[i];
    }
}

/* Slides boxes of ks[0..nk) bins (increasing, < nb) over the nb folded bins
 * (cyclically); keeps the best dip in *best. */
BLS_HOT static void scan(const bls_ctx *x, size_t nb, const size_t *ks, size_t nk, box *best)
{
    prefix(x, nb, ks[nk - 1]);
    const double *restrict cw = x->cw, *restrict cy = x->cy;
    const double ybar = x->ybar, invW = 1.0 / x->W;
    const v4d vybar = {ybar, ybar, ybar, ybar}, vinvW = {invW, invW, invW, invW}, vzero = {0, 0, 0, 0},
              vtiny = {1e-300, 1e-300, 1e-300, 1e-300};
    double top = best->snr2;
    for (size_t q = 0; q < nk; q++) {
        size_t k = ks[q];
        /* the maximum first, branch-free (the sign of s is random) */
        v4d vm = {0, 0, 0, 0};
        v4l vi = {0, 0, 0, 0}, vb = {0, 1, 2, 3};
        const v4l four = {4, 4, 4, 4};
        size_t b = 0;
        for (; b + 4 <= nb; b += 4, vb += four) {
            v4d c0, c1, y0, y1;
            memcpy(&c0, cw + b, sizeof c0);
            memcpy(&c1, cw + b + k, sizeof c1);
            memcpy(&y0, cy + b, sizeof y0);
            memcpy(&y1, cy + b + k, sizeof y1);
            v4d w = c1 - c0, s = (y1 - y0) - w * vybar;
            s = vsel(s < vzero, s, vzero);
            v4d v = s * s / (w - w * w * vinvW + vtiny);
            v4l gt = v > vm;
            vm = vsel(gt, v, vm);
            vi = (vb & gt) | (vi & ~gt);
        }
        double mx = 0;
        size_t at = 0;
        for (int l = 0; l < 4; l++)
            if (vm[l] > mx) {
                mx = vm[l];
                at = (size_t)vi[l];
            }
        for (; b < nb; b++) {
            double v = box_value(cw, cy, b, k, ybar, invW);
            if (v > mx) {
                mx = v;
                at = b;
            }
        }
        if (!(mx > top))
            continue;
        double w = cw[at + k] - cw[at];
        top = mx;
        *best = (box){top, w, (cy[at + k] - cy[at]) - w * ybar, at, k, nb};
    }
}

/* The best dip at period p on the search grid. */
static void grid_power(const bls_ctx *x, double p, box *best)
{
    const bls_config *c = x->c;
    size_t ks[BLS_MAX_DURATIONS], nk = 0;
    double ps = p / x->delta;
    size_t nb = (size_t)ceil(ps);
    memset(best, 0, sizeof *best);
    for (size_t q = 0; q < c->ndur && c->dur[q] <= c->maxfrac * p; q++) {
        double kd = floor(c->dur[q] / x->delta + 0.5);
        size_t k = kd < 1 ? 1 : (size_t)kd;
        if (k >= nb)
            break;
        if (nk == 0 || ks[nk - 1] != k)
            ks[nk++] = k;
    }
    if (nk == 0)
        return;
    fold_grid(x, ps, nb);
    scan(x, nb, ks, nk, best);
}

static bool search_all(const bls_ctx *x, const double *period, size_t np, box *best)
{
    loop_clock lc;
    vm_loop_start(x->vm, &lc);
    for (size_t j = 0; j < np; j++) {
        if (!vm_loop_tick(x->vm, &lc, "BLS"))
            return false;
        grid_power(x, period[j], &best[j]);
    }
    return true;
}

/* ---- the active points ---- */

/* Weighted mean and total weight of the active points, and the grid. */
static void update_stats(bls_ctx *x)
{
    double W = 0, WY = 0;
    for (size_t i = 0; i < x->n; i++) {
        W += x->w[i];
        WY += x->w[i] * x->y[i];
    }
    x->W = W;
    x->ybar = W > 0 ? WY / W : 0;
    memset(x->gw, 0, x->S * sizeof(float));
    memset(x->gy, 0, x->S * sizeof(float));
    for (size_t i = 0; i < x->n; i++) {
        size_t k = (size_t)(x->t[i] / x->delta);
        k = k < x->S ? k : x->S - 1;
        x->gw[k] += (float)x->w[i];
        x->gy[k] += (float)(x->w[i] * x->y[i]);
    }
}

/* Transit number of t (nearest transit) and the distance to its centre. */
static inline double transit_offset(double t, double epoch, double p, int64_t *e)
{
    double k = floor((t - epoch) / p + 0.5);
    *e = (int64_t)k;
    return t - epoch - k * p;
}

static void mask_planet(bls_ctx *x, const bls_planet *pl, double epoch)
{
    double half = pl->duration / 2 + x->c->mask * pl->duration;
    size_t m = 0;
    for (size_t i = 0; i < x->n; i++) {
        int64_t e;
        if (fabs(transit_offset(x->t[i], epoch, pl->period, &e)) < half)
            continue;
        x->t[m] = x->t[i];
        x->y[m] = x->y[i];
        x->w[m] = x->w[i];
        x->near_edge[m] = x->near_edge[i];
        m++;
    }
    x->n = m;
    update_stats(x);
}

/* ---- candidates: refinement and vetoes ---- */

/* Refines a peak on the points: periods within one grid step, bins four
 * times finer than the grid's, every box length from half to twice the
 * peak's, starting within two durations of the peak's epoch e0. */
static bool refine(bls_ctx *x, double p0, double e0, double d0, double *pp, double *epoch, double *dur)
{
    const bls_config *c = x->c;
    double binw = x->delta / 4, top = 0;
    *pp = p0;
    *epoch = e0;
    *dur = d0;
    /* only the points the boxes can reach (the phase drifts by at most d0
     * across the periods tried) */
    size_t nsel = 0;
    double near = 3 * d0 + x->delta;
    for (size_t i = 0; i < x->n; i++) {
        int64_t e;
        if (fabs(transit_offset(x->t[i], e0, p0, &e)) < near)
            x->sel[nsel++] = (uint32_t)i;
    }
    for (int m = -4; m <= 4; m++) {
        double p = p0 * exp(x->dlnp * m / 4.0);
        size_t nb = (size_t)ceil(p / binw);
        nb = nb < x->nbmax ? nb : x->nbmax;
        double bw = p / (double)nb, origin = e0 - p / 2; /* the peak in the middle */
        double lo = floor(d0 * 0.5 / bw), hi = ceil(d0 * 2 / bw);
        size_t klo = lo < 1 ? 1 : (size_t)lo;
        size_t khi = (size_t)fmin(hi, fmin((double)nb / 4, c->maxfrac * p / bw));
        size_t reach = (size_t)ceil(2 * d0 / bw) + 1;
        if (khi < klo || reach > nb / 4)
            reach = nb / 4;
        if (khi < klo)
            continue;
        fold_points(x, nsel, p, nb, origin);
        prefix(x, nb, 0);
        const double *cw = x->cw, *cy = x->cy, invW = 1.0 / x->W;
        for (size_t k = klo; k <= khi; k++)
            for (size_t b = nb / 2 - reach; b + k <= nb / 2 + reach; b++) {
                double v = box_value(cw, cy, b, k, x->ybar, invW);
                if (v > top) {
                    top = v;
                    *pp = p;
                    *dur = (double)k * bw;
                    *epoch = origin + ((double)b + (double)k / 2) * bw;
                }
            }
    }
    if (!(top > 0))
        return false;
    *epoch = fmod(*epoch, *pp);
    if (*epoch < 0)
        *epoch += *pp;
    return true;
}

typedef struct eval {
    double s, sw;            /* in-transit sums of w (y - ybar) and of w */
    size_t points, transits;
    double max_share, edge_share;
    double snr_rest;         /* signal-to-noise without the strongest transit */
    double s_par[2], sw_par[2]; /* in-transit sums of the even and odd transits */
    double s_sec, sw_sec;    /* the same box half a period later (secondary eclipse) */
} eval;

/* Depth (and its error) of a box with in-box sums s, sw among W. */
static double box_depth(double s, double sw, double W, double *err)
{
    double den = sw * (1 - sw / W);
    *err = den > 0 ? 1 / sqrt(den) : INFINITY;
    return den > 0 ? -s / den : 0;
}

static bool evaluate(bls_ctx *x, double p, double epoch, double d, eval *ev)
{
    memset(ev, 0, sizeof *ev);
    /* transits numbered from the one before the first point (slot 0) */
    size_t nev = (size_t)(x->span / p) + 4;
    double *share = vm_calloc(x->vm, 2 * nev * sizeof(double)), *weight = share ? share + nev : NULL;
    size_t *count = vm_calloc(x->vm, nev * sizeof(size_t));
    if (!share || !count) {
        vm_dealloc(x->vm, share, share ? 2 * nev * sizeof(double) : 0);
        vm_dealloc(x->vm, count, count ? nev * sizeof(size_t) : 0);
        return false;
    }
    double half = d / 2, edge = 0;
    for (size_t i = 0; i < x->n; i++) {
        int64_t e;
        double off = fabs(transit_offset(x->t[i], epoch, p, &e));
        if (off >= half) {
            if (off > p / 2 - half) { /* around phase 0.5 */
                ev->s_sec += x->w[i] * (x->y[i] - x->ybar);
                ev->sw_sec += x->w[i];
            }
            continue;
        }
        double c = x->w[i] * (x->y[i] - x->ybar);
        ev->s_par[e & 1] += c;
        ev->sw_par[e & 1] += x->w[i];
        ev->s += c;
        ev->sw += x->w[i];
        ev->points++;
        if (e >= -1 && (size_t)(e + 1) < nev) {
            share[e + 1] -= c;
            weight[e + 1] += x->w[i];
            count[e + 1]++;
        }
        if (x->near_edge[i])
            edge -= c;
    }
    /* a transit has data when half its expected points are there */
    double need = floor(0.5 * d / x->cadence);
    size_t min_pts = need < 1 ? 1 : (size_t)need;
    double total = -ev->s, top = 0, topw = 0;
    for (size_t k = 0; k < nev; k++) {
        if (count[k] >= min_pts)
            ev->transits++;
        if (share[k] > top) {
            top = share[k];
            topw = weight[k];
        }
    }
    ev->max_share = total > 0 ? top / total : 1;
    ev->edge_share = total > 0 ? edge / total : 1;
    double rw = ev->sw - topw, rden = rw * (1 - rw / x->W);
    ev->snr_rest = rden > 0 ? (total - top) / sqrt(rden) : 0;
    vm_dealloc(x->vm, share, 2 * nev * sizeof(double));
    vm_dealloc(x->vm, count, nev * sizeof(size_t));
    return true;
}

static void planet_from(const bls_ctx *x, double p, double epoch, double d, const eval *ev, bls_planet *pl)
{
    double den = ev->sw * (1 - ev->sw / x->W);
    memset(pl, 0, sizeof *pl);
    pl->period = p;
    pl->epoch = epoch;
    pl->duration = d;
    if (den > 0) {
        pl->depth = -ev->s / den;
        pl->depth_err = 1 / sqrt(den);
        pl->snr = -ev->s / sqrt(den);
    }
    pl->transits = ev->transits;
    pl->points = ev->points;
    pl->max_share = ev->max_share;
    pl->snr_rest = ev->snr_rest;
    double e0, e1;
    double d0 = box_depth(ev->s_par[0], ev->sw_par[0], x->W, &e0), d1 = box_depth(ev->s_par[1], ev->sw_par[1], x->W, &e1);
    pl->oddeven = isfinite(e0) && isfinite(e1) ? fabs(d0 - d1) / sqrt(e0 * e0 + e1 * e1) : 0;
    /* the secondary against the points outside both boxes (the transits
     * would bias the mean) */
    double s_rest = -ev->s - ev->s_sec, sw_rest = x->W - ev->sw - ev->sw_sec;
    if (ev->sw_sec > 0 && sw_rest > 0) {
        pl->secondary = s_rest / sw_rest - ev->s_sec / ev->sw_sec;
        pl->secondary_err = sqrt(1 / sw_rest + 1 / ev->sw_sec);
    } else {
        pl->secondary = 0;
        pl->secondary_err = INFINITY;
    }
}

/* ---- peaks ---- */

typedef struct cand {
    size_t j;   /* grid index of the peak */
    box b;      /* its current best dip */
    bool live;
} cand;

/* Local maxima of the spectrum (over +-h grid steps) above the threshold,
 * the strongest max of them. */
static size_t find_peaks(const bls_ctx *x, const box *best, size_t np, size_t h, cand *out, size_t max)
{
    double min2 = BLS_COARSE * BLS_COARSE * x->c->snr_min * x->c->snr_min;
    size_t n = 0;
    for (size_t j = 0; j < np; j++) {
        double v = best[j].snr2;
        if (v < min2 || (n == max && v <= out[n - 1].b.snr2))
            continue;
        size_t lo = j > h ? j - h : 0, hi = j + h < np ? j + h : np - 1;
        bool top = true;
        for (size_t i = lo; i <= hi && top; i++)
            top = best[i].snr2 < v || (best[i].snr2 == v && i >= j);
        if (!top)
            continue;
        size_t pos = n < max ? n : max - 1;
        while (pos > 0 && out[pos - 1].b.snr2 < v) {
            out[pos] = out[pos - 1];
            pos--;
        }
        out[pos] = (cand){j, best[j], true};
        if (n < max)
            n++;
    }
    return n;
}

/* Re-scores a candidate on the current points: best over its window. */
static void rescore(const bls_ctx *x, const double *period, size_t np, size_t h, cand *k)
{
    size_t lo = k->j > h ? k->j - h : 0, hi = k->j + h < np ? k->j + h : np - 1;
    box top = {0};
    size_t at = k->j;
    for (size_t i = lo; i <= hi; i++) {
        box b;
        grid_power(x, period[i], &b);
        if (b.snr2 > top.snr2) {
            top = b;
            at = i;
        }
    }
    k->b = top;
    k->j = at;
}

/* ---- setup ---- */

static bool check_config(exo_vm *vm, const bls_config *c)
{
    if (!(c->pmin > 0) || !(c->pmax > c->pmin) || !isfinite(c->pmax))
        return vm_fail(vm, "BLS: the period range must satisfy 0 < minperiod < maxperiod.");
    if (c->ndur == 0 || c->ndur > BLS_MAX_DURATIONS)
        return vm_fail(vm, "BLS: between 1 and %d durations are needed.", BLS_MAX_DURATIONS);
    for (size_t q = 0; q < c->ndur; q++)
        if (!(c->dur[q] > 0) || !isfinite(c->dur[q]) || (q > 0 && !(c->dur[q] > c->dur[q - 1])))
            return vm_fail(vm, "BLS: durations must be positive and increasing.");
    if (!(c->oversample >= 0.1 && c->oversample <= 100))
        return vm_fail(vm, "BLS: oversampling must be within 0.1 and 100.");
    if (!(c->binsper >= 1 && c->binsper <= 100))
        return vm_fail(vm, "BLS: bins per duration must be within 1 and 100.");
    if (!(c->maxfrac > 0 && c->maxfrac <= 0.5))
        return vm_fail(vm, "BLS: the longest duration fraction must be within 0 and 0.5.");
    if (!(c->mask >= 0 && c->mask <= 100) || !(c->max_share > 0) || !(c->edge >= 0) || !(c->trim >= 0) ||
        !(c->oddeven >= 0) ||
        !(c->edge_share > 0) ||
        !(c->snr_min >= 0) || !isfinite(c->snr_min))
        return vm_fail(vm, "BLS: invalid mask, veto or threshold parameter.");
    return true;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static bool usable(double t, double y, double w) { return w > 0 && isfinite(w) && isfinite(y) && isfinite(t); }

/* Starts of segments: segt is updated at each point; a point is kept when
 * usable and not within the trimmed start of its segment. */
static bool kept(const bls_config *c, const double *t, const double *y, const double *w, const uint8_t *seg_start,
                 size_t i, double *segt)
{
    if (i == 0 || (seg_start && seg_start[i]))
        *segt = t[i];
    return usable(t[i], y[i], w[i]) && !(t[i] - *segt < c->trim);
}

static bool ctx_points(bls_ctx *x, const double *t, const double *y, const double *w, const uint8_t *seg_start,
                       size_t n, double *t0)
{
    exo_vm *vm = x->vm;
    const bls_config *c = x->c;
    size_t m = 0;
    double W = 0, WY = 0, segt = 0;
    for (size_t i = 0; i < n; i++)
        if (kept(c, t, y, w, seg_start, i, &segt)) {
            m++;
            W += w[i];
            WY += w[i] * y[i];
        }
    if (m < 3)
        return vm_fail(vm, "BLS: at least 3 points with a positive weight (outside the trimmed segment starts) are needed.");
    if (m > UINT32_MAX)
        return vm_limit(vm, "BLS: too many points.");
    double mean = WY / W;
    x->cap = m;
    x->t = vm_alloc(vm, m * sizeof(double));
    x->y = vm_alloc(vm, m * sizeof(double));
    x->w = vm_alloc(vm, m * sizeof(double));
    x->near_edge = vm_alloc(vm, m);
    x->sel = vm_alloc(vm, m * sizeof(uint32_t));
    if (!x->t || !x->y || !x->w || !x->near_edge || !x->sel)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!kept(c, t, y, w, seg_start, i, &segt))
            continue;
        if (x->n == 0)
            *t0 = t[i];
        double rel = t[i] - *t0;
        if (x->n > 0 && rel < x->t[x->n - 1])
            return vm_fail(vm, "BLS: the points must be sorted by time.");
        x->t[x->n] = rel;
        x->y[x->n] = y[i] - mean; /* centred: the float sums stay accurate */
        x->w[x->n] = w[i];
        x->near_edge[x->n] = t[i] - segt < c->edge;
        x->n++;
    }
    x->span = x->t[m - 1];
    if (!(x->span > 0))
        return vm_fail(vm, "BLS: the points span no time.");
    double *d = vm_alloc(vm, (m - 1) * sizeof(double));
    if (!d)
        return false;
    for (size_t i = 0; i + 1 < m; i++)
        d[i] = x->t[i + 1] - x->t[i];
    qsort(d, m - 1, sizeof(double), cmp_double);
    x->cadence = d[(m - 1) / 2] > 0 ? d[(m - 1) / 2] : x->span / (double)m;
    vm_dealloc(vm, d, (m - 1) * sizeof(double));
    return true;
}

static void ctx_free(bls_ctx *x)
{
    exo_vm *vm = x->vm;
    vm_dealloc(vm, x->t, x->cap * sizeof(double));
    vm_dealloc(vm, x->y, x->cap * sizeof(double));
    vm_dealloc(vm, x->w, x->cap * sizeof(double));
    vm_dealloc(vm, x->near_edge, x->cap);
    vm_dealloc(vm, x->sel, x->cap * sizeof(uint32_t));
    vm_dealloc(vm, x->gw, x->S * sizeof(float));
    vm_dealloc(vm, x->gy, x->S * sizeof(float));
    vm_dealloc(vm, x->aw, x->nbmax * sizeof(float));
    vm_dealloc(vm, x->ay, x->nbmax * sizeof(float));
    vm_dealloc(vm, x->cw, (2 * x->nbmax + 1) * sizeof(double));
    vm_dealloc(vm, x->cy, (2 * x->nbmax + 1) * sizeof(double));
}

void bls_result_free(exo_vm *vm, bls_result *r)
{
    vm_dealloc(vm, r->period, r->nperiods * sizeof(double));
    vm_dealloc(vm, r->power, r->nperiods * sizeof(double));
    vm_dealloc(vm, r->depth, r->nperiods * sizeof(double));
    vm_dealloc(vm, r->duration, r->nperiods * sizeof(double));
    vm_dealloc(vm, r->planets, r->planets_cap * sizeof(bls_planet));
    memset(r, 0, sizeof *r);
}

/* ---- the search ---- */

bool bls_search(exo_vm *vm, const double *t, const double *y, const double *w, const uint8_t *seg_start, size_t n,
                const bls_config *c, bls_result *r)
{
    memset(r, 0, sizeof *r);
    if (!check_config(vm, c))
        return false;
    bls_ctx x = {.vm = vm, .c = c};
    box *best = NULL;
    cand *cands = NULL;
    size_t ncap = c->max_peaks ? c->max_peaks : 1, np = 0;
    double t0 = 0;
    bool ok = false;
    if (!ctx_points(&x, t, y, w, seg_start, n, &t0))
        goto done;
    x.dlnp = c->dur[0] / (c->oversample * x.span);
    x.delta = c->dur[0] / c->binsper;
    double np_d = floor(log(c->pmax / c->pmin) / x.dlnp) + 1, s_d = floor(x.span / x.delta) + 1;
    if (np_d > (double)c->max_periods || s_d > 1e9) {
        vm_limit(vm, "BLS: %.0f trial periods exceed the limit of %zu (raise the shortest duration, lower the "
                     "oversampling or narrow the period range).",
                 np_d, c->max_periods);
        goto done;
    }
    np = (size_t)np_d;
    x.S = (size_t)s_d;
    x.nbmax = (size_t)ceil(c->pmax * exp(x.dlnp) / (x.delta / 4)) + 2;
    x.gw = vm_alloc(vm, x.S * sizeof(float));
    x.gy = vm_alloc(vm, x.S * sizeof(float));
    x.aw = vm_alloc(vm, x.nbmax * sizeof(float));
    x.ay = vm_alloc(vm, x.nbmax * sizeof(float));
    x.cw = vm_alloc(vm, (2 * x.nbmax + 1) * sizeof(double));
    x.cy = vm_alloc(vm, (2 * x.nbmax + 1) * sizeof(double));
    if (!x.gw || !x.gy || !x.aw || !x.ay || !x.cw || !x.cy)
        goto done;
    r->nperiods = np;
    r->period = vm_alloc(vm, np * sizeof(double));
    r->power = vm_alloc(vm, np * sizeof(double));
    r->depth = vm_alloc(vm, np * sizeof(double));
    r->duration = vm_alloc(vm, np * sizeof(double));
    r->planets_cap = c->count ? c->count : 1;
    r->planets = vm_calloc(vm, r->planets_cap * sizeof(bls_planet));
    best = vm_alloc(vm, np * sizeof(box));
    cands = vm_alloc(vm, ncap * sizeof(cand));
    if (!r->period || !r->power || !r->depth || !r->duration || !r->planets || !best || !cands)
        goto done;
    r->points = x.n;
    for (size_t j = 0; j < np; j++)
        r->period[j] = c->pmin * exp(x.dlnp * (double)j);
    update_stats(&x);
    if (!search_all(&x, r->period, np, best))
        goto done;
    for (size_t j = 0; j < np; j++) {
        const box *b = &best[j];
        double den = b->sw * (1 - b->sw / x.W);
        r->power[j] = sqrt(b->snr2);
        r->depth[j] = den > 0 ? -b->s / den : 0;
        r->duration[j] = (double)b->k * x.delta;
    }
    /* a peak is about oversample grid steps wide */
    size_t h = (size_t)ceil(c->oversample) + 1;
    size_t nc = find_peaks(&x, best, np, h, cands, ncap);
    double min2 = BLS_COARSE * BLS_COARSE * c->snr_min * c->snr_min;
    bool fresh = true; /* the candidates come from a search of the current points */
    loop_clock lc;
    vm_loop_start(vm, &lc);
    while (r->nplanets < c->count) {
        if (!vm_loop_tick(vm, &lc, "BLS"))
            goto done;
        cand *k = NULL;
        for (size_t i = 0; i < nc; i++)
            if (cands[i].live && cands[i].b.snr2 >= min2 && (!k || cands[i].b.snr2 > k->b.snr2))
                k = &cands[i];
        if (!k) {
            /* re-scored candidates exhausted: search everything again (a
             * planet hidden behind the aliases of those masked since) */
            if (fresh)
                break;
            if (!search_all(&x, r->period, np, best))
                goto done;
            nc = find_peaks(&x, best, np, h, cands, ncap);
            fresh = true;
            continue;
        }
        k->live = false;
        double p, epoch, d;
        double pj = r->period[k->j], e0 = ((double)k->b.start + (double)k->b.k / 2) * x.delta;
        if (!refine(&x, pj, e0, (double)k->b.k * x.delta, &p, &epoch, &d))
            continue;
        eval ev;
        if (!evaluate(&x, p, epoch, d, &ev))
            goto done;
        bls_planet pl;
        planet_from(&x, p, epoch, d, &ev, &pl);
        bool binary = false;
        if (c->oddeven > 0 && pl.oddeven > c->oddeven) {
            /* alternating depths: the primary and secondary eclipses of a
             * binary, whose period is twice the spacing */
            double err;
            if (box_depth(ev.s_par[1], ev.sw_par[1], x.W, &err) > box_depth(ev.s_par[0], ev.sw_par[0], x.W, &err))
                epoch += p; /* the odd ones are the primaries */
            p *= 2;
            if (!evaluate(&x, p, epoch, d, &ev))
                goto done;
            planet_from(&x, p, epoch, d, &ev, &pl);
            binary = true;
        }
        if (c->oddeven > 0 && pl.secondary > c->oddeven * pl.secondary_err)
            binary = true; /* a secondary eclipse */
        pl.binary = binary;
        if (pl.snr < c->snr_min || ev.snr_rest < c->snr_min || ev.transits < c->min_transits ||
            ev.max_share > c->max_share || ev.edge_share > c->edge_share) {
            r->vetoed++;
            continue;
        }
        mask_planet(&x, &pl, epoch);
        if (binary) /* and the secondary eclipses */
            mask_planet(&x, &pl, epoch + pl.period / 2);
        pl.epoch = epoch + t0;
        r->planets[r->nplanets++] = pl;
        if (x.n < 3 || !(x.W > 0))
            break;
        if (r->nplanets == c->count)
            break;
        if (c->exact) {
            if (!search_all(&x, r->period, np, best))
                goto done;
            nc = find_peaks(&x, best, np, h, cands, ncap);
        } else {
            fresh = false;
            for (size_t i = 0; i < nc; i++)
                if (cands[i].live) {
                    if (!vm_loop_tick(vm, &lc, "BLS"))
                        goto done;
                    rescore(&x, r->period, np, h, &cands[i]);
                }
        }
    }
    ok = true;
done:
    vm_dealloc(vm, best, best ? np * sizeof(box) : 0);
    vm_dealloc(vm, cands, cands ? ncap * sizeof(cand) : 0);
    ctx_free(&x);
    if (!ok)
        bls_result_free(vm, r);
    return ok;
}
