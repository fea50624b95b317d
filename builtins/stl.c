/* STL: seasonal-trend decomposition by LOESS (Cleveland et al. 1990), with
 * GTSHelper.stl's structure and parameter map: cycle-subseries smoothed by
 * LOWESS (extended one period each side, every SPEED+1-th bucket estimated
 * and the rest interpolated), low-pass by moving averages bpp, bpp, 3 then
 * LOWESS, trend by LOWESS of the deseasonalised points, bisquare robustness
 * in the outer loop. Works on bucket positions, so missing buckets get
 * estimates too; both results cover every bucket. */
#include "analytics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct stl_params {
    int bpp, inner, outer;
    int ns, ds, js, nl, dl, jl, nt, dt, jt, np, dp, jp;
} stl_params;

/* ---- parameters ---- */

static const char *const suffixes[] = {"_S", "_L", "_T", "_P"};
static const char *const lowess_fields[] = {"BANDWIDTH", "DEGREE", "SPEED"};

/* Slot of a parameter name in the 3 + 12 + 3 LONG slots, or -1. */
static int param_slot(const char *k, size_t len)
{
    static const char *const top[] = {"PERIOD", "PRECISION", "ROBUSTNESS"};
    for (int i = 0; i < 3; i++)
        if (strlen(top[i]) == len && memcmp(k, top[i], len) == 0)
            return i;
    for (int f = 0; f < 3; f++) {
        size_t fl = strlen(lowess_fields[f]);
        if (fl == len && memcmp(k, lowess_fields[f], fl) == 0)
            return 15 + f; /* applies to the four steps */
        if (len == fl + 2 && memcmp(k, lowess_fields[f], fl) == 0)
            for (int s = 0; s < 4; s++)
                if (memcmp(k + fl, suffixes[s], 2) == 0)
                    return 3 + s * 3 + f;
    }
    return -1;
}

/* Java's nextOdd as written (1 == a / 2 rather than a % 2). */
static int next_odd(int a) { return a > 0 ? (1 == a / 2 ? a : a + 1) : 1; }

static bool read_params(exo_vm *vm, const word *w, const map *m, stl_params *p)
{
    int64_t slot[18];
    bool set[18] = {false}, robust = false;
    for (size_t i = 0; i < m->len; i++) {
        value k = m->ents[i].key, v = m->ents[i].val;
        if (k.type != T_STRING)
            return vm_fail(vm, "%s expects parameter names to be STRINGs.", w->name);
        const char *ks = AS_STR(k)->data;
        if (strcmp(ks, "ROBUST") == 0) {
            if (v.type != T_BOOLEAN)
                return vm_fail(vm, "%s expects argument %s to be of type BOOLEAN.", w->name, ks);
            robust = v.as.b;
            continue;
        }
        int s = param_slot(ks, AS_STR(k)->len);
        if (s < 0)
            return vm_fail(vm, "%s does not expect argument %s", w->name, ks);
        if (v.type != T_LONG)
            return vm_fail(vm, "%s expects argument %s to be of type LONG.", w->name, ks);
        slot[s] = (int32_t)(uint32_t)(uint64_t)v.as.l;
        set[s] = true;
    }
    for (int f = 0; f < 3; f++) /* BANDWIDTH, DEGREE, SPEED for the steps not given one */
        for (int s = 0; s < 4; s++)
            if (set[15 + f] && !set[3 + s * 3 + f]) {
                slot[3 + s * 3 + f] = slot[15 + f];
                set[3 + s * 3 + f] = true;
            }
    if (!set[0])
        return vm_fail(vm, "%s expects map of parameters to at least contains field PERIOD", w->name);
#define GET(i, dflt) (set[i] ? (int)slot[i] : (dflt))
    p->bpp = (int)slot[0];
    p->inner = GET(1, robust ? 1 : 2);
    p->outer = GET(2, robust ? 15 : 0);
    p->ns = GET(3, 7);
    p->ds = GET(4, 1);
    p->js = GET(5, p->ns / 10);
    p->nl = GET(6, next_odd(p->bpp));
    p->dl = GET(7, 1);
    p->jl = GET(8, p->nl / 10);
    int tv = (int)ceil(1.5 * p->bpp / (1 - (1.5 / p->ns)));
    p->nt = GET(9, next_odd(tv));
    p->dt = GET(10, 1);
    p->jt = GET(11, p->nt / 10);
    p->np = GET(12, 0);
    p->dp = GET(13, 2);
    p->jp = GET(14, p->np / 10);
#undef GET
    struct {
        bool bad;
        const char *msg;
    } checks[] = {
        {p->bpp < 2, "Seasonal periods must be composed by at least 2 buckets."},
        {p->inner < 1, "PRECISION must be positive."},
        {p->outer < 0, "ROBUSTNESS can not be negative."},
        {p->ns == 0, "BANDWIDTH_S can not be equal to zero."},
        {p->ds < 0, "DEGREE_S can not be negative."},
        {p->js < 0, "SPEED_S can not be negative."},
        {p->nl < 1, "BANDWIDTH_L must be positive."},
        {p->dl < 0, "DEGREE_L can not be negative."},
        {p->jl < 0, "SPEED_L can not be negative."},
        {p->nt < 1, "BANDWIDTH_T must be positive."},
        {p->dt < 0, "DEGREE_T can not be negative."},
        {p->jt < 0, "SPEED_T can not be negative."},
        {p->np < 0, "BANDWIDTH_P can not be negative."},
        {p->dp < 0, "DEGREE_P can not be negative."},
        {p->jp < 0, "SPEED_P can not be negative."},
        /* the LOWESS steps need a degree of 1 to 9 */
        {p->ds > 9 || p->dl < 1 || p->dl > 9 || p->dt < 1 || p->dt > 9 || (p->np > 0 && (p->dp < 1 || p->dp > 9)),
         "degrees of polynomial fit must be in 1..9 (DEGREE_S in 0..9)."},
    };
    for (size_t i = 0; i < countof(checks); i++)
        if (checks[i].bad)
            return vm_fail(vm, "%s %s", w->name, checks[i].msg);
    return true;
}

/* ---- the decomposition ---- */

typedef struct stl_work {
    size_t size, nobs;          /* buckets, observed points */
    int64_t last, span;         /* last bucket end, bucket span */
    const int64_t *obs_tick;    /* nobs ticks */
    const double *obs_y;        /* nobs values */
    const size_t *obs_b;        /* bucket of each point */
    double *scratch;            /* >= size + 2 doubles for lw_point */
} stl_work;

static int64_t btick(const stl_work *s, int64_t b)
{
    return (int64_t)((uint64_t)s->last - (uint64_t)((int64_t)s->size - 1 - b) * (uint64_t)s->span);
}

/* GTSHelper.lowess_stl for one cycle-subseries: the n points (ticks t,
 * values y, weights rho) of a series with `count` buckets of span `span`
 * ending at `last`; writes the estimate of bucket k (0 = last) to out[k]. */
static void lowess_cycle(const stl_work *s, const int64_t *t, const double *y, const double *rho, size_t n,
                         int64_t last, int64_t span, int64_t count, int q, int deg, int jump, double *out)
{
    if (q < 0) { /* the mean instead of LOWESS */
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += y[i];
        for (int64_t k = 0; k < count; k++)
            out[k] = sum / (double)n;
        return;
    }
    lw_input in = {.t = t, .y = y, .n = n};
    int64_t step = (int64_t)jump + 1, rest = (count - 1) % step, idx = (int64_t)n - 1;
#define KTICK(k) ((int64_t)((uint64_t)last - (uint64_t)(k) * (uint64_t)span))
    for (int64_t j = 0; j <= (count - 1) / step; j++) {
        int64_t k = j * step + rest, tick = KTICK(k);
        while (idx > -1 && tick < t[idx])
            idx--;
        out[k] = lw_point(&in, idx, tick, q, deg, rho, s->scratch, true);
    }
    for (int64_t j = 0; j < (count - 1) / step; j++) {
        int64_t right = j * step + rest, left = (j + 1) * step + rest;
        double denom = (double)(left - right);
        for (int64_t r = 1; r < step; r++) {
            int64_t mid = r + j * step + rest;
            double alpha = (double)(mid - right) / denom;
            out[mid] = alpha * out[left] + (1 - alpha) * out[right];
        }
    }
    if (rest != 0) {
        idx = (int64_t)n - 1;
        while (idx > -1 && last < t[idx])
            idx--;
        out[0] = lw_point(&in, idx, last, q, deg, rho, s->scratch, true);
        for (int64_t r = 1; r < rest; r++) {
            double alpha = (double)r / (double)rest;
            out[r] = alpha * out[rest] + (1 - alpha) * out[0];
        }
    }
#undef KTICK
}

/* LOWESS of points (t, y, n) estimated at every bucket into out. */
static bool lowess_buckets(exo_vm *vm, const stl_work *s, const int64_t *t, const double *y, size_t n, int q, int jump,
                           int deg, const double *rho, double *out)
{
    lw_input in = {.t = t, .y = y, .n = n, .bucketized = true, .lastbucket = s->last, .span = s->span, .count = s->size};
    int64_t d = (int64_t)((uint64_t)((int64_t)jump + 1) * (uint64_t)s->span);
    return lw_smooth(vm, &in, q, 0, d, deg, rho, out);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* seasonal and trend: size doubles each. */
static bool decompose(exo_vm *vm, stl_work *s, const stl_params *p, double *seasonal, double *trend)
{
    size_t size = s->size, nobs = s->nobs, bpp = (size_t)p->bpp, n2 = size + 2 * bpp;
    size_t cyc = (size + bpp - 1) / bpp + 2; /* longest extended cycle-subseries */
    double *rho = an_alloc(vm, nobs), *det = an_alloc(vm, nobs), *ext = an_alloc(vm, n2), *low = an_alloc(vm, n2),
           *lowsm = an_alloc(vm, size), *buf = an_alloc(vm, cyc), *sy = an_alloc(vm, cyc), *srho = an_alloc(vm, cyc),
           *sorted = an_alloc(vm, nobs);
    int64_t *st = vm_alloc(vm, cyc * sizeof(int64_t)), *bt = vm_alloc(vm, (size ? size : 1) * sizeof(int64_t));
    bool ok = rho && det && ext && low && lowsm && buf && sy && srho && sorted && st && bt;
    for (size_t i = 0; ok && i < nobs; i++)
        rho[i] = 1.0;
    for (size_t b = 0; ok && b < size; b++) {
        trend[b] = 0.0;
        bt[b] = btick(s, (int64_t)b);
    }
    for (int outer = 0; ok && outer < p->outer + 1; outer++) {
        for (int inner = 0; ok && inner < p->inner; inner++) {
            /* 1: detrend the observed points */
            for (size_t i = 0; i < nobs; i++)
                det[i] = s->obs_y[i] - trend[s->obs_b[i]];
            /* 2: smooth each cycle-subseries, one period beyond both ends */
            for (size_t c = 0; c < bpp; c++) { /* size >= bpp */
                size_t lastb = size - 1 - c, nb = lastb / bpp + 1, m = 0;
                for (size_t i = 0; i < nobs; i++)
                    if (s->obs_b[i] % bpp == lastb % bpp) {
                        st[m] = s->obs_tick[i];
                        sy[m] = det[i];
                        srho[m] = rho[i];
                        m++;
                    }
                int64_t cspan = (int64_t)((uint64_t)s->span * bpp), clast = btick(s, (int64_t)(lastb + bpp));
                lowess_cycle(s, st, sy, srho, m, clast, cspan, (int64_t)nb + 2, p->ns, p->ds, p->js, buf);
                /* buf[k]: extended position (lastb + bpp) - k * bpp, shifted by bpp */
                for (size_t k = 0; k < nb + 2; k++)
                    ext[lastb + bpp + bpp - k * bpp] = buf[k];
            }
            /* 3: low-pass: moving averages of bpp, bpp and 3, then LOWESS */
            double sum = 0;
            for (size_t r = 0; r < bpp; r++)
                sum += ext[r];
            low[0] = sum / (double)bpp;
            for (size_t r = 1; r < n2 - bpp + 1; r++) {
                sum += ext[r + bpp - 1] - ext[r - 1];
                low[r] = sum / (double)bpp;
            }
            sum = 0;
            for (size_t r = 0; r < bpp; r++)
                sum += low[r];
            double prev = low[0];
            low[0] = sum / (double)bpp;
            for (size_t r = 1; r <= n2 - 2 * bpp + 1; r++) {
                sum += low[r + bpp - 1] - prev;
                prev = low[r];
                low[r] = sum / (double)bpp;
            }
            for (size_t r = 0; r < size; r++) {
                low[r] += low[r + 1] + low[r + 2];
                low[r] /= 3;
            }
            ok = lowess_buckets(vm, s, bt, low, size, p->nl, p->jl, p->dl, NULL, lowsm);
            if (!ok)
                break;
            /* 4: seasonal = smoothed cycles minus low-pass */
            for (size_t r = 0; r < size; r++)
                seasonal[r] = ext[r + bpp] - lowsm[r];
            /* 5, 6: deseasonalise the points and smooth the trend */
            for (size_t i = 0; i < nobs; i++)
                det[i] = s->obs_y[i] - seasonal[s->obs_b[i]];
            ok = lowess_buckets(vm, s, s->obs_tick, det, nobs, p->nt, p->jt, p->dt, rho, trend);
        }
        if (!ok || outer >= p->outer || nobs == 0)
            continue;
        /* robustness weights: bisquare of the residuals over 6 median */
        for (size_t i = 0; i < nobs; i++)
            rho[i] = fabs(s->obs_y[i] - seasonal[s->obs_b[i]] - trend[s->obs_b[i]]);
        memcpy(sorted, rho, nobs * sizeof(double));
        qsort(sorted, nobs, sizeof(double), cmp_d);
        double median = nobs % 2 == 0 ? (sorted[nobs / 2] + sorted[nobs / 2 - 1]) / 2 : sorted[nobs / 2];
        double h = 6 * median;
        for (size_t i = 0; i < nobs; i++) {
            if (h == 0) {
                rho[i] = 1.0;
            } else {
                double u = rho[i] / h;
                rho[i] = u >= 1.0 ? 0.0 : (1.0 - u * u) * (1.0 - u * u);
            }
        }
    }
    if (ok && p->np > 0) { /* post-smoothing of the seasonal part */
        memcpy(low, seasonal, size * sizeof(double));
        ok = lowess_buckets(vm, s, bt, low, size, p->np, p->jp, p->dp, NULL, seasonal);
    }
    double *arrs[] = {rho, det, ext, low, lowsm, buf, sy, srho, sorted};
    size_t lens[] = {nobs, nobs, n2, n2, size, cyc, cyc, cyc, nobs};
    for (size_t i = 0; i < countof(arrs); i++)
        if (arrs[i])
            an_free(vm, arrs[i], lens[i], sizeof(double));
    if (st)
        vm_dealloc(vm, st, cyc * sizeof(int64_t));
    if (bt)
        an_free(vm, bt, size, sizeof(int64_t));
    return ok;
}

/* A DOUBLE series over every bucket named after g (`name_suffix`), with
 * g's locations and elevations where g has points. */
static gts *stl_result(exo_vm *vm, const gts *g, const stl_work *s, const double *v, const char *suffix)
{
    gts *r = an_like(vm, g);
    if (!r || !gts_reserve(vm, r, s->size))
        goto fail;
    size_t cl = AS_STR(g->cls)->len, sl = strlen(suffix);
    char *name = vm_alloc(vm, cl + sl + 2);
    if (!name)
        goto fail;
    memcpy(name, AS_STR(g->cls)->data, cl);
    size_t nl = cl;
    if (cl)
        name[nl++] = '_';
    memcpy(name + nl, suffix, sl);
    bool ok = gts_set_class(vm, r, name, nl + sl);
    vm_dealloc(vm, name, cl + sl + 2);
    if (!ok)
        goto fail;
    size_t i = 0;
    for (size_t b = 0; b < s->size; b++) {
        while (i < s->nobs && s->obs_b[i] < b)
            i++;
        bool here = i < s->nobs && s->obs_b[i] == b;
        if (!an_add(vm, r, btick(s, (int64_t)b), here ? an_loc(g, i) : GTS_NO_LOCATION,
                    here ? an_elev(g, i) : GTS_NO_ELEVATION, v[b]))
            goto fail;
    }
    return r;
fail:
    an_drop(vm, r);
    return NULL;
}

static bool stl_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    const stl_params *p = ctx;
    if (!an_numeric(g))
        return vm_fail(vm, "%s can only be applied on numeric Geo Time Series.", w->name);
    if (!gts_is_bucketized(g) || g->bucketspan <= 0 || g->bucketcount <= 0)
        return vm_fail(vm, "%s can only be applied on bucketized Geo Time Series.", w->name);
    size_t size = (size_t)g->bucketcount, n = g->len;
    if (size < (size_t)p->bpp)
        return vm_fail(vm, "%s needs at least PERIOD (%d) buckets.", w->name, p->bpp);
    if ((int64_t)size - (int64_t)n > 500000)
        return vm_fail(vm, "%s: more than 500000 missing values.", w->name);
    if (!gts_sort(vm, g, false))
        return false;
    /* the points on bucket ends, one per bucket */
    int64_t first = (int64_t)((uint64_t)g->lastbucket - (uint64_t)(g->bucketcount - 1) * (uint64_t)g->bucketspan);
    for (size_t i = 0; i < n; i++) {
        int64_t off = (int64_t)((uint64_t)g->ticks[i] - (uint64_t)first);
        if (g->ticks[i] < first || g->ticks[i] > g->lastbucket || off % g->bucketspan != 0 ||
            (i && g->ticks[i] == g->ticks[i - 1]))
            return vm_fail(vm, "%s expects one value per bucket end at most.", w->name);
    }
    stl_work s = {.size = size, .nobs = n, .last = g->lastbucket, .span = g->bucketspan, .obs_tick = g->ticks};
    double *y = an_doubles(vm, g), *sea = an_alloc(vm, size), *tre = an_alloc(vm, size);
    size_t *ob = vm_alloc(vm, (n ? n : 1) * sizeof(size_t));
    s.scratch = an_alloc(vm, size + 2);
    bool ok = y && sea && tre && ob && s.scratch;
    for (size_t i = 0; ok && i < n; i++)
        ob[i] = (size_t)((uint64_t)((int64_t)((uint64_t)g->ticks[i] - (uint64_t)first)) / (uint64_t)g->bucketspan);
    s.obs_y = y;
    s.obs_b = ob;
    gts *rs = NULL, *rt = NULL;
    list *l = NULL;
    ok = ok && decompose(vm, &s, p, sea, tre);
    if (ok) {
        rs = stl_result(vm, g, &s, sea, "seasonal");
        rt = rs ? stl_result(vm, g, &s, tre, "trend") : NULL;
        l = rt ? list_new(vm, 2) : NULL;
        ok = l != NULL;
    }
    if (y)
        an_free(vm, y, n, sizeof(double));
    if (sea)
        an_free(vm, sea, size, sizeof(double));
    if (tre)
        an_free(vm, tre, size, sizeof(double));
    if (ob)
        an_free(vm, ob, n, sizeof(size_t));
    if (s.scratch)
        an_free(vm, s.scratch, size + 2, sizeof(double));
    if (!ok) {
        an_drop(vm, rs);
        an_drop(vm, rt);
        return false;
    }
    list_push(vm, l, v_obj(T_GTS, rs)); /* room for 2 */
    list_push(vm, l, v_obj(T_GTS, rt));
    *out = v_obj(T_LIST, l);
    return true;
}

static bool w_stl(exo_vm *vm, const word *w)
{
    value m = *vm_peek(vm, 0);
    if (m.type != T_MAP)
        return vm_type_error(vm, w, 1, "a MAP of parameters");
    if (!gw_gts_or_list(vm, w, 2))
        return false;
    stl_params p;
    if (!read_params(vm, w, AS_MAP(m), &p))
        return false;
    value r;
    return gw_map(vm, w, 2, stl_one, &p, &r) && gw_replace(vm, 2, r);
}

static const word stl_words[] = {
    EXO_WORD("STL", w_stl, 2, "gts|[gts..] {PERIOD ..} -- [seasonal trend]|[[..]..]",
             "Seasonal-trend decomposition by LOESS of a bucketized series (PERIOD buckets per season; ROBUST, "
             "PRECISION, ROBUSTNESS, BANDWIDTH/DEGREE/SPEED with _S _L _T _P)."),
};

EXO_FAMILY(stl, stl_words)
