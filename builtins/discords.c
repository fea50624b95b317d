/* DISCORDS / ZDISCORDS: the windows least like any other, found as Warp 10
 * does. Each sliding window is summarised by a bSAX word (PAA of wordLen
 * segments, standardised for DISCORDS, quantised on N(0,1) equiprobable
 * bounds, bits interleaved); the rarest words are visited first and each
 * occurrence's nearest non-overlapping neighbour (same word, then the
 * words just before) gives its distance. The `count` farthest windows are
 * returned as the points they cover. Words are compared as bytes, which
 * orders them as Warp 10's order-preserving base64 strings do. */
#include "analytics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- SAX ---- */

/* Inverse of the standard normal CDF (Acklam's rational approximation and
 * one Halley step, as SAXUtils.getInvCDF with highPrecision). */
static double inv_cdf(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                               1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                               6.680131188771972e+01, -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                               -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    const double plow = 0.02425, phigh = 1 - plow;
    double z;
    if (p <= 0)
        return -INFINITY;
    if (p >= 1)
        return INFINITY;
    if (p < plow) {
        double q = sqrt(-2 * log(p));
        z = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (phigh < p) {
        double q = sqrt(-2 * log(1 - p));
        z = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else {
        double q = p - 0.5, r = q * q;
        z = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
    double e = 0.5 * erfc(-z / sqrt(2.0)) - p;
    double u = e * sqrt(2.0 * 3.14159265358979323846) * exp((z * z) / 2.0);
    return z - u / (1.0 + z * u / 2.0);
}

/* SAX symbol: the number of bounds below v (the bound's index if equal). */
static int sax(const double *bounds, int nb, double v)
{
    int lo = 0, hi = nb - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (bounds[mid] < v)
            lo = mid + 1;
        else if (bounds[mid] > v)
            hi = mid - 1;
        else
            return mid;
    }
    return lo;
}

/* bSAX: the symbols' bits interleaved, most significant level first. */
static void bsax(const int *sym, int wordlen, int levels, uint8_t *out, size_t nbytes)
{
    memset(out, 0, nbytes);
    size_t bit = 0;
    for (int l = 0; l < levels; l++)
        for (int w = 0; w < wordlen; w++, bit++)
            if ((sym[w] >> (levels - l - 1)) & 1)
                out[bit >> 3] |= (uint8_t)(0x80 >> (bit & 7));
}

/* ---- the search ---- */

typedef struct dparams {
    int window, wordlen, alphabet, count;
    bool overlap;
    double ratio;
} dparams;

typedef struct cand {
    size_t loc;
    double nndist;
} cand;

typedef struct words {
    uint8_t *bytes;  /* nw words of nb bytes */
    size_t nw, nb;
} words;

static int word_cmp(const words *ws, size_t a, size_t b)
{
    int c = memcmp(ws->bytes + a * ws->nb, ws->bytes + b * ws->nb, ws->nb);
    return c ? c : (a < b ? -1 : a > b);
}

/* Stable merge sort of indices by a comparator over ws (no global state). */
static void merge_sort(size_t *v, size_t *tmp, size_t n, const words *ws, const size_t *key, bool by_key)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(v, tmp, h, ws, key, by_key);
    merge_sort(v + h, tmp, n - h, ws, key, by_key);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        bool right = by_key ? key[v[j]] < key[v[i]] : word_cmp(ws, v[j], v[i]) < 0;
        tmp[k++] = right ? v[j++] : v[i++];
    }
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(size_t));
}

static double window_dist(const double *v, size_t a, size_t b, int window)
{
    double d = 0.0;
    for (int k = 0; k < window; k++) {
        double x = v[a + (size_t)k] - v[b + (size_t)k];
        d += x * x;
    }
    return d;
}

static size_t gap(size_t a, size_t b) { return a > b ? a - b : b - a; }

/* Inserts c keeping candidates by decreasing distance, stable. */
static void insert_cand(cand *cs, size_t *n, cand c)
{
    size_t i = *n;
    while (i > 0 && cs[i - 1].nndist < c.nndist)
        i--;
    memmove(cs + i + 1, cs + i, (*n - i) * sizeof(cand));
    cs[i] = c;
    (*n)++;
}

static void remove_cand(cand *cs, size_t *n, size_t i)
{
    memmove(cs + i, cs + i + 1, (*n - i - 1) * sizeof(cand));
    (*n)--;
}

static bool discords_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    const dparams *p = ctx;
    bool standardize = w->magic != 0;
    if (!gts_is_bucketized(g) || !an_numeric(g))
        return vm_fail(vm, "%s can only be applied to numeric, bucketized, filled Geo Time Series.", w->name);
    int levels = 0;
    while ((1 << (levels + 1)) <= p->alphabet)
        levels++;
    if (levels < 1 || levels > 16)
        return vm_fail(vm, "%s expects an alphabet size between 2 and 2^16.", w->name);
    if (!gts_sort(vm, g, false))
        return false;
    size_t n = g->len, window = (size_t)p->window, paa = (size_t)(p->window / p->wordlen);
    gts *res = an_like(vm, g);
    if (!res)
        return false;
    if (n < window || p->count <= 0) {
        *out = v_obj(T_GTS, res);
        return true;
    }
    size_t nw = n - window + 1, nbounds = ((size_t)1 << levels) - 1;
    words ws = {.nw = nw, .nb = ((size_t)levels * (size_t)p->wordlen + 7) / 8};
    double *v = an_doubles(vm, g), *bounds = an_alloc(vm, nbounds), *seg = an_alloc(vm, (size_t)p->wordlen);
    int *sym = vm_alloc(vm, (size_t)p->wordlen * sizeof(int));
    ws.bytes = vm_alloc(vm, nw * ws.nb);
    size_t *order = vm_alloc(vm, nw * sizeof(size_t)), *tmp = vm_alloc(vm, nw * sizeof(size_t)),
           *gstart = vm_alloc(vm, (nw + 1) * sizeof(size_t)),
           *byocc = vm_alloc(vm, nw * sizeof(size_t)), *gcount = vm_alloc(vm, nw * sizeof(size_t));
    cand *cs = vm_alloc(vm, ((size_t)p->count + 2) * sizeof(cand));
    uint8_t *keep = vm_calloc(vm, n);
    bool ok = v && bounds && seg && sym && ws.bytes && order && tmp && gstart && byocc && gcount && cs && keep;
    size_t ngroups = 0;
    if (ok) {
        for (size_t i = 0; i < nbounds; i++)
            bounds[i] = inv_cdf((double)(i + 1) / (double)(nbounds + 1));
        for (size_t i = 0; i < nw; i++) {
            /* PAA, optionally standardised over the word */
            double sum = 0.0, sumsq = 0.0;
            for (int s = 0; s < p->wordlen; s++) {
                seg[s] = 0.0;
                for (size_t k = 0; k < paa; k++)
                    seg[s] += v[i + (size_t)s * paa + k];
                if (!standardize)
                    continue;
                double mean = seg[s] / (double)paa;
                sum += mean;
                sumsq += mean * mean;
            }
            double mu = 0.0, sigma = 0.0, wl = (double)p->wordlen;
            if (standardize) {
                mu = sum / wl;
                double var = (sumsq / wl) - (sum * sum) / (wl * wl);
                if (p->wordlen > 1)
                    var = var * wl / (wl - 1.0);
                sigma = sqrt(var);
            }
            for (int s = 0; s < p->wordlen; s++) {
                double x = seg[s] / (double)paa;
                if (standardize)
                    x = sigma != 0.0 ? (x - mu) / sigma : x - mu;
                sym[s] = sax(bounds, (int)nbounds, x);
            }
            bsax(sym, p->wordlen, levels, ws.bytes + i * ws.nb, ws.nb);
            order[i] = i;
        }
        /* group equal words: groups in word order, members by position */
        merge_sort(order, tmp, nw, &ws, NULL, false);
        for (size_t k = 0; k < nw; k++) {
            if (k == 0 || memcmp(ws.bytes + order[k] * ws.nb, ws.bytes + order[k - 1] * ws.nb, ws.nb) != 0)
                gstart[ngroups++] = k;
        }
        gstart[ngroups] = nw;
        for (size_t gi = 0; gi < ngroups; gi++) {
            gcount[gi] = gstart[gi + 1] - gstart[gi];
            byocc[gi] = gi;
        }
        merge_sort(byocc, tmp, ngroups, &ws, gcount, true); /* rarest first, stable */
    }
    size_t ncand = 0, count = (size_t)p->count;
    double worst = 0.0;
    for (size_t oi = 0; ok && oi < ngroups; oi++) {
        size_t gi = byocc[oi], size = gcount[gi];
        const size_t *locs = order + gstart[gi];
        if (ncand >= count && size > count + window)
            break;
        for (size_t i = 0; i < size; i++) {
            double nn = INFINITY;
            for (size_t j = 0; j < size; j++) {
                if (gap(locs[i], locs[j]) < window)
                    continue;
                double d = window_dist(v, locs[i], locs[j], p->window);
                if (d < nn)
                    nn = d;
                if (ncand == count && nn < worst)
                    break;
            }
            if (ncand == count && nn < worst)
                continue;
            /* the words just before this one, until a neighbour is found */
            for (size_t g2 = gi; g2-- > 0;) {
                const size_t *l2 = order + gstart[g2];
                for (size_t j = 0; j < gcount[g2]; j++) {
                    if (gap(locs[i], l2[j]) < window)
                        continue;
                    double d = window_dist(v, locs[i], l2[j], p->window);
                    if (d < nn)
                        nn = d;
                    if (ncand == count && nn < worst)
                        break;
                }
                if (nn != INFINITY)
                    break;
            }
            if (ncand == count && nn < worst)
                continue;
            insert_cand(cs, &ncand, (cand){locs[i], nn});
            if (!p->overlap)
                for (size_t h = ncand - 1; h > 0 && h < ncand; h--)
                    if (gap(cs[h].loc, cs[h - 1].loc) < window) {
                        remove_cand(cs, &ncand, h);
                        h--; /* Warp 10 also skips the next pair */
                        if (h == 0)
                            break;
                    }
            while (ncand > count)
                remove_cand(cs, &ncand, count);
            if (p->ratio != 0.0)
                while (ncand > 1 && cs[ncand - 1].nndist * p->ratio < cs[0].nndist)
                    remove_cand(cs, &ncand, ncand - 1);
            worst = cs[ncand - 1].nndist;
        }
    }
    for (size_t c = 0; ok && c < ncand; c++)
        for (size_t k = 0; k < window; k++)
            keep[cs[c].loc + k] = 1;
    for (size_t i = 0; ok && i < n; i++)
        if (keep[i])
            ok = gts_add_from(vm, res, g, i);
    if (v)
        an_free(vm, v, n, sizeof(double));
    if (bounds)
        an_free(vm, bounds, nbounds, sizeof(double));
    if (seg)
        an_free(vm, seg, (size_t)p->wordlen, sizeof(double));
    if (sym)
        vm_dealloc(vm, sym, (size_t)p->wordlen * sizeof(int));
    if (ws.bytes)
        vm_dealloc(vm, ws.bytes, nw * ws.nb);
    size_t *idx[] = {order, tmp, byocc, gcount};
    for (size_t i = 0; i < countof(idx); i++)
        if (idx[i])
            vm_dealloc(vm, idx[i], nw * sizeof(size_t));
    if (gstart)
        vm_dealloc(vm, gstart, (nw + 1) * sizeof(size_t));
    if (cs)
        vm_dealloc(vm, cs, ((size_t)p->count + 2) * sizeof(cand));
    if (keep)
        vm_dealloc(vm, keep, n);
    if (!ok) {
        an_drop(vm, res);
        return false;
    }
    *out = v_obj(T_GTS, res);
    return true;
}

static int32_t jint(int64_t l) { return (int32_t)(uint32_t)(uint64_t)l; }

static bool w_discords(exo_vm *vm, const word *w)
{
    value r = *vm_peek(vm, 0), ov = *vm_peek(vm, 1), cnt = *vm_peek(vm, 2), as = *vm_peek(vm, 3),
          wl = *vm_peek(vm, 4), wn = *vm_peek(vm, 5);
    if (r.type != T_DOUBLE)
        return vm_type_error(vm, w, 1, "a DOUBLE distance ratio");
    if (r.as.d < 0.0 || r.as.d != r.as.d)
        return vm_fail(vm, "%s expects a positive distance ratio.", w->name);
    if (ov.type != T_BOOLEAN)
        return vm_type_error(vm, w, 2, "a BOOLEAN (may discords overlap)");
    if (cnt.type != T_LONG)
        return vm_type_error(vm, w, 3, "a LONG discord count");
    if (as.type != T_LONG)
        return vm_type_error(vm, w, 4, "a LONG quantization scale");
    int32_t a = jint(as.as.l);
    if (a < 2 || (a & (a - 1)) != 0)
        return vm_fail(vm, "%s expects a quantization scale which is a power of 2 greater or equal to 2.", w->name);
    if (wl.type != T_LONG)
        return vm_type_error(vm, w, 5, "a LONG pattern length");
    if (wn.type != T_LONG)
        return vm_type_error(vm, w, 6, "a LONG detection window length");
    int32_t wo = jint(wl.as.l), wi = jint(wn.as.l);
    if (wo <= 0 || wi <= 0)
        return vm_fail(vm, "%s expects strictly positive pattern and window lengths.", w->name);
    if (wi % wo != 0)
        return vm_fail(vm, "%s expects pattern length to divide detection window length.", w->name);
    if (!gw_gts_or_list(vm, w, 7))
        return false;
    int32_t c = jint(cnt.as.l);
    if (c > 1 << 20)
        return vm_fail(vm, "%s expects at most %d discords.", w->name, 1 << 20);
    dparams p = {.window = wi, .wordlen = wo, .alphabet = a, .count = c, .overlap = ov.as.b, .ratio = r.as.d};
    value res;
    return gw_map(vm, w, 7, discords_one, &p, &res) && gw_replace(vm, 7, res);
}

static const word discords_words[] = {
    EXO_WORD_MAGIC("DISCORDS", w_discords, 7,
                   "gts|[gts..] windowLen wordLen alphabetSize count mayOverlap distRatio -- gts|[gts..]",
                   "The points of the count windows farthest from their nearest neighbour (standardised bSAX words).",
                   1),
    EXO_WORD_MAGIC("ZDISCORDS", w_discords, 7,
                   "gts|[gts..] windowLen wordLen alphabetSize count mayOverlap distRatio -- gts|[gts..]",
                   "DISCORDS with bSAX words of the raw (not standardised) segment means.", 0),
};

EXO_FAMILY(discords, discords_words)
