/* Downsampling for plots: LTTB (Largest Triangle Three Buckets over equal
 * point counts) and TLTTB (over equal time spans), as GTSHelper.lttb does
 * them, quirks included: the first point stays the triangle's apex for
 * every bucket, and the next bucket's average divides by its size + 1.
 * The kept points are copied with their values, locations and elevations;
 * a series already small enough, or of STRING/BOOLEAN values, is returned
 * itself. */
#include "analytics.h"

#include <math.h>

typedef struct lttb_ctx {
    int threshold;
} lttb_ctx;

/* TLTTB's buckets: the [start, end] index pairs of ticks falling in the same
 * time slice, the first and last points alone. */
static bool time_buckets(exo_vm *vm, const word *w, const gts *g, int threshold, size_t **out, size_t *nlen, size_t *ncap)
{
    size_t n = g->len;
    int64_t first = g->ticks[0];
    double span = (double)(int64_t)((uint64_t)g->ticks[n - 1] - (uint64_t)first - 2);
    int64_t tb = java_d2l(ceil(span / (double)(threshold - 2)));
    if (tb == 0 && n > 2)
        return vm_fail(vm, "%s / by zero", w->name);
    size_t cap = 2 * n + 4, len = 0;
    size_t *b = vm_alloc(vm, cap * sizeof(size_t));
    if (!b)
        return false;
    int64_t lowerts = (int64_t)((uint64_t)first + 1), last = 0;
    b[len++] = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        int64_t delta = (int64_t)((uint64_t)g->ticks[i] - (uint64_t)lowerts);
        int64_t bucket = 1 + (tb == -1 ? (int64_t)(0 - (uint64_t)delta) : delta / tb);
        if (bucket != last) {
            b[len++] = i - 1;
            b[len++] = i;
            last = bucket;
        }
    }
    b[len++] = n - 2;
    b[len++] = n - 1;
    b[len++] = n - 1;
    *out = b;
    *nlen = len;
    *ncap = cap;
    return true;
}

static bool lttb_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    int threshold = ((lttb_ctx *)ctx)->threshold;
    bool timebased = w->magic != 0;
    if ((int64_t)g->len <= (int64_t)threshold - 2 || g->type == GTS_STRING || g->type == GTS_BOOLEAN) {
        *out = val_retain(v_obj(T_GTS, g));
        return true;
    }
    if (threshold < 3)
        return vm_fail(vm, "%s threshold MUST be >= 3.", w->name);
    size_t n = g->len;
    double bucketsize = (double)n / (double)(threshold - 1);
    if (!gts_sort(vm, g, false))
        return false;
    size_t *bk = NULL, blen = 0, bcap = 0;
    if (timebased) {
        if (!time_buckets(vm, w, g, threshold, &bk, &blen, &bcap))
            return false;
        threshold = (int)(blen / 2);
    }
    gts *s = an_like(vm, g);
    bool ok = s && gts_add_from(vm, s, g, 0);
    const size_t ref = 0; /* Warp 10 never moves the apex */
    for (int i = 0; ok && i < threshold - 2; i++) {
        size_t lo, hi;
        if (timebased) {
            lo = bk[2 * (i + 2)];
            hi = bk[2 * (i + 2) + 1] + 1;
        } else {
            lo = 1 + (size_t)floor((i + 1) * bucketsize);
            hi = 1 + (size_t)floor((i + 2) * bucketsize);
            lo = lo >= n ? n - 1 : lo;
            hi = hi >= n ? n - 1 : hi;
        }
        double ticksum = 0.0, valuesum = 0.0;
        for (size_t j = lo; j < hi; j++) {
            ticksum += (double)g->ticks[j];
            valuesum += an_val(g, j);
        }
        double tickavg = ticksum / (double)(hi - lo + 1), valueavg = valuesum / (double)(hi - lo + 1);
        double maxarea = -1.0, refvalue = an_val(g, ref), reftick = (double)g->ticks[ref];
        if (timebased) {
            lo = bk[2 * (i + 1)];
            hi = bk[2 * (i + 1) + 1] + 1;
        } else {
            lo = 1 + (size_t)floor(i * bucketsize);
            hi = 1 + (size_t)floor((i + 1) * bucketsize);
            lo = lo >= n - 1 ? n - 2 : lo;
            hi = hi >= n - 1 ? n - 1 : hi;
        }
        size_t next = lo; /* all-NaN areas: keep the bucket's first point */
        for (size_t j = lo; j < hi; j++) {
            double area = 0.5 * fabs(((reftick - tickavg) * (an_val(g, j) - refvalue)) -
                                     (reftick - (double)g->ticks[j]) * (valueavg - refvalue));
            if (area > maxarea) {
                maxarea = area;
                next = j;
            }
        }
        ok = gts_add_from(vm, s, g, next);
    }
    ok = ok && gts_add_from(vm, s, g, n - 1);
    if (bk)
        vm_dealloc(vm, bk, bcap * sizeof(size_t));
    if (!ok) {
        an_drop(vm, s);
        return false;
    }
    *out = v_obj(T_GTS, s);
    return true;
}

static bool w_lttb(exo_vm *vm, const word *w)
{
    value t = *vm_peek(vm, 0);
    if (t.type != T_LONG)
        return vm_type_error(vm, w, 1, "a threshold (a LONG)");
    if (!gw_gts_or_list(vm, w, 2))
        return false;
    lttb_ctx c = {.threshold = (int32_t)(uint32_t)(uint64_t)t.as.l};
    value r;
    return gw_map(vm, w, 2, lttb_one, &c, &r) && gw_replace(vm, 2, r);
}

static const word downsample_words[] = {
    EXO_WORD_MAGIC("LTTB", w_lttb, 2, "gts|[gts..] threshold -- gts|[gts..]",
                   "Largest Triangle Three Buckets downsampling to about threshold points (buckets of equal counts).", 0),
    EXO_WORD_MAGIC("TLTTB", w_lttb, 2, "gts|[gts..] threshold -- gts|[gts..]",
                   "Largest Triangle Three Buckets downsampling with buckets of equal time spans.", 1),
};

EXO_FAMILY(downsample, downsample_words)
