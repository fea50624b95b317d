/* BUCKETIZE (spec d.1) and the bucketizer.* elements.
 * Parameters are resolved per series exactly as GTSHelper.bucketize does
 * (including the lastbucket rounding that only happens when both
 * lastbucket and bucketcount are 0). Buckets are then located
 * arithmetically in one pass over the sorted points, newest first: each
 * bucket is a contiguous range handed to the kernel as a zero-copy window,
 * and results are appended newest first, as Warp 10 stores them. The
 * plain numeric bucketizers (sum, mean, min, max, count, first, last) are
 * computed inline, in the kernels' order of operations. */
#include "aggregators.h"

/* Java's % (sign of the dividend) without UB on MINLONG % -1. */
static int64_t jrem(int64_t a, int64_t b) { return b == -1 ? 0 : a % b; }
static int64_t wsub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t wadd(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wmul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }
static int64_t jdiv(int64_t a, int64_t b) { return (b == -1) ? wsub(0, a) : a / b; }

typedef struct bucket_params {
    int64_t lastbucket, bucketspan;
    int32_t bucketcount; /* Warp 10 keeps it in an int */
} bucket_params;

/* GTSHelper.bucketize's parameter derivation for one series. */
static bool resolve(exo_vm *vm, const gts *g, int64_t lastbucket, int64_t span, int32_t count, bucket_params *p)
{
    int64_t lasttick = gts_last_tick(g), firsttick = gts_first_tick(g);
    bool zero_last = lastbucket == 0, zero_count = count == 0;
    if (lastbucket == 0)
        lastbucket = lasttick;
    if (span == 0 || span == -1) {
        if (count == 0)
            return vm_fail(vm, "One of bucketspan or bucketcount must be different from zero.");
        if (lastbucket >= firsttick) {
            int64_t delta;
            if (span == 0) {
                delta = wadd(wsub(lastbucket, firsttick), 1);
                span = jdiv(delta, count);
            } else {
                delta = wsub(lastbucket, firsttick);
                span = count == 1 ? delta : jdiv(delta, (int64_t)count - 1);
            }
            if (span == 0 || jrem(delta, span) != 0)
                span++;
        }
    }
    if (span < 0)
        span = 0;
    if (count == 0 && lastbucket >= firsttick) {
        int64_t delta = wsub(lastbucket, firsttick);
        if (span == 0)
            return vm_fail(vm, "/ by zero");
        count = delta < span ? 1 : (int32_t)(uint32_t)(uint64_t)wadd(1, delta / span);
    }
    if (zero_last && zero_count) {
        if (span == 0)
            return vm_fail(vm, "/ by zero");
        if (jrem(lastbucket, span) != 0) {
            lastbucket = wadd(wsub(lastbucket, jrem(lastbucket, span)), span);
            if (wsub(lastbucket, wmul(count, span)) >= firsttick)
                count++;
        }
    }
    if (count < 0 || (uint64_t)count > vm->limits.maxbuckets)
        return vm_limit(vm, "Bucket count (%d) would exceed maximum value of %llu (maxbuckets).", (int)count,
                        (unsigned long long)vm->limits.maxbuckets);
    if (span == 0)
        return vm_fail(vm, "Undefined bucket span, check your GTS timestamps.");
    p->lastbucket = lastbucket;
    p->bucketspan = span;
    p->bucketcount = count;
    return true;
}

/* A bucket has no null slots, so the null policies of the variants do
 * not matter to the inline forms (agg_plain_kind). */
static int plain_kind(value fn, const gts *g)
{
    if (g->loc || g->elev || (g->type != GTS_LONG && g->type != GTS_DOUBLE))
        return AGG_SLIDE_NONE;
    return agg_plain_kind(fn);
}

/* The kernel's value for the bucket [j, i) of the sorted numeric g, as the
 * kernels compute it (same order of operations), appended at end. */
static bool plain_bucket(exo_vm *vm, int kind, const gts *g, size_t j, size_t i, int64_t end, gts *dst)
{
    const int64_t *l = g->v.l;
    const double *d = g->v.d;
    bool lng = g->type == GTS_LONG;
    size_t n = i - j, b = j;
    switch (kind) {
    case AGG_SLIDE_SUM:
    case AGG_SLIDE_MEAN:
        if (lng) {
            uint64_t s = 0;
            for (size_t k = j; k < i; k++)
                s += (uint64_t)l[k];
            return kind == AGG_SLIDE_SUM ? gts_add_long(vm, dst, end, (int64_t)s)
                                         : gts_add_double(vm, dst, end, (double)(int64_t)s / (double)n);
        } else {
            double s = 0.0;
            for (size_t k = j; k < i; k++)
                s += d[k];
            return gts_add_double(vm, dst, end, kind == AGG_SLIDE_SUM ? s : s / (double)n);
        }
    case AGG_SLIDE_COUNT:
        return gts_add_long(vm, dst, end, (int64_t)n);
    case AGG_SLIDE_MIN:
    case AGG_SLIDE_MAX: { /* the earliest of equal extremes */
        int sign = kind == AGG_SLIDE_MAX ? 1 : -1;
        for (size_t k = j + 1; k < i; k++)
            if (lng ? (sign > 0 ? l[k] > l[b] : l[k] < l[b]) : sign * agg_jcmp_d(d[k], d[b]) > 0)
                b = k;
        break;
    }
    case AGG_SLIDE_LAST: /* the first point with the latest tick */
        b = i - 1;
        while (b > j && g->ticks[b - 1] == g->ticks[b])
            b--;
        break;
    default: /* AGG_SLIDE_FIRST */
        break;
    }
    return lng ? gts_add_long(vm, dst, end, l[b]) : gts_add_double(vm, dst, end, d[b]);
}

/* Aggregates the sorted series g into dst, bucket by bucket, newest first. */
static bool aggregate(exo_vm *vm, const word *w, gts *g, value fn, const bucket_params *p, gts *dst)
{
    agg_window win = {.mode = AGG_BUCKETIZE, .series = g, .type = g->type, .pre = p->bucketspan};
    agg_out out;
    int plain = plain_kind(fn, g);
    uint64_t span = (uint64_t)p->bucketspan;
    size_t i = g->len;
    while (i > 0) {
        int64_t t = g->ticks[i - 1];
        if (t > p->lastbucket) {
            i--;
            continue;
        }
        uint64_t k = ((uint64_t)p->lastbucket - (uint64_t)t) / span;
        if (k >= (uint64_t)p->bucketcount)
            break;
        int64_t end = (int64_t)((uint64_t)p->lastbucket - k * span), start = (int64_t)((uint64_t)end - span);
        size_t j = i - 1;
        while (j > 0 && g->ticks[j - 1] > start)
            j--;
        if (plain != AGG_SLIDE_NONE) {
            if (!plain_bucket(vm, plain, g, j, i, end, dst))
                return false;
            i = j;
            continue;
        }
        win.n = i - j;
        win.ticks = g->ticks + j;
        win.loc = g->loc ? g->loc + j : NULL;
        win.elev = g->elev ? g->elev + j : NULL;
        switch (g->type) {
        case GTS_LONG:
            win.v.l = g->v.l + j;
            break;
        case GTS_DOUBLE:
            win.v.d = g->v.d + j;
            break;
        case GTS_BOOLEAN:
            win.v.b = g->v.b + j;
            break;
        default:
            win.v.s = g->v.s + j;
        }
        win.tick = end;
        bool ok = fn.type == T_MACRO ? agg_apply_macro(vm, w->name, fn, &win, &out) : agg_apply(vm, AS_FN(fn), &win, &out);
        if (!ok || !agg_store(vm, dst, end, &out)) /* at the bucket end, whatever tick it returned */
            return false;
        i = j;
    }
    return true;
}

static bool w_bucketize(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    if (top.type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST");
    const list *l = AS_LIST(top);
    size_t n = l->len;
    if (n < 5)
        return vm_fail(vm, "BUCKETIZE needs a list of at least 5 parameters as input.");
    value fn = l->items[n - 4];
    if (fn.type != T_NULL && fn.type != T_MACRO && !fn_has_role(fn, FN_BUCKETIZER))
        return vm_fail(vm, "BUCKETIZE expects a bucketizer function as fourth to last parameter, got %s.",
                       val_type_name(fn));
    for (size_t i = n - 3; i < n; i++)
        if (l->items[i].type != T_LONG)
            return vm_fail(vm, "BUCKETIZE expects lastbucket, bucketspan and bucketcount as last 3 parameters.");
    int64_t lastbucket = l->items[n - 3].as.l, span = l->items[n - 2].as.l;
    int32_t count = (int32_t)(uint32_t)(uint64_t)l->items[n - 1].as.l; /* Java's (int) cast */
    gts **in;
    size_t nin;
    if (!fw_collect(vm, "BUCKETIZE", "expects a list of geo time series as first parameter.", l->items, n - 4, &in, &nin))
        return false;
    fn = val_retain(fn);
    bool popped = agg_runs_macro(fn); /* user code must not see the input list */
    if (popped)
        vm_drop(vm, 1);
    bucket_params *ps = vm_alloc(vm, (nin ? nin : 1) * sizeof(bucket_params));
    gts **res = vm_calloc(vm, (nin ? nin : 1) * sizeof(gts *));
    bool ok = ps && res;
    for (size_t i = 0; ok && i < nin; i++)
        ok = resolve(vm, in[i], lastbucket, span, count, &ps[i]);
    for (size_t i = 0; ok && i < nin; i++) {
        gts *g = in[i];
        if (fn.type == T_NULL) {
            res[i] = (gts *)val_retain(v_obj(T_GTS, g)).as.o;
            continue;
        }
        gts *dst = gts_clone(vm, g, false);
        ok = dst != NULL;
        if (!ok)
            break;
        res[i] = dst;
        dst->lastbucket = ps[i].lastbucket;
        dst->bucketspan = ps[i].bucketspan;
        dst->bucketcount = ps[i].bucketcount;
        if (g->len == 0)
            continue;
        ok = gts_sort(vm, g, false) && aggregate(vm, w, g, fn, &ps[i], dst);
    }
    if (ok && fn.type == T_NULL) /* mutations only once every series resolved */
        for (size_t i = 0; i < nin; i++) {
            in[i]->lastbucket = ps[i].lastbucket;
            in[i]->bucketspan = ps[i].bucketspan;
            in[i]->bucketcount = ps[i].bucketcount;
        }
    if (ok && !popped)
        ok = vm_reserve(vm, 1);
    if (!ok) {
        for (size_t i = 0; res && i < nin; i++)
            if (res[i])
                val_release(vm, v_obj(T_GTS, res[i]));
    } else {
        if (!popped)
            vm_drop(vm, 1);
        ok = fw_push_list(vm, res, nin);
    }
    if (res)
        vm_dealloc(vm, res, (nin ? nin : 1) * sizeof(gts *));
    if (ps)
        vm_dealloc(vm, ps, (nin ? nin : 1) * sizeof(bucket_params));
    fw_free_series(vm, in, nin);
    val_release(vm, fn);
    return ok;
}

/* 'name' FUNCREF: the snapshot form of a parameterless framework element
 * ("'bucketizer.sum' FUNCREF") evaluates back to it. */
static bool w_funcref(exo_vm *vm, const word *w)
{
    value n = *vm_peek(vm, 0);
    if (n.type != T_STRING)
        return vm_type_error(vm, w, 1, "a STRING");
    const word *f = words_find(&vm->words, AS_STR(n)->data, AS_STR(n)->len);
    if (!f || f->fn != fn_word || ((const fn_def *)f->data)->nparams != 0 || ((const fn_def *)f->data)->build)
        return vm_fail(vm, "FUNCREF: '%s' is not a framework function without parameters.", AS_STR(n)->data);
    function *fn = fn_new(vm, f->data, NULL, 0);
    if (!fn)
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, v_obj(T_FUNCTION, fn));
}

/* ---- bucketizer.* ---- */

/* X(id, name, kernel, flags, nparams, ptype, builder, sig, doc) */
#define BUCKETIZERS(X)                                                                                                  \
    X(sum, "bucketizer.sum", agg_sum, AGGF_SKIP_NULLS, 0, FP_ANY, NULL, "-- bucketizer",                               \
      "Sum of the bucket's values (LONG if the first is LONG); location of the latest point.")                         \
    X(sum_fn, "bucketizer.sum.forbid-nulls", agg_sum, 0, 0, FP_ANY, NULL, "-- bucketizer",                            \
      "Sum of the values; no value if one is null.")                                                                   \
    X(mean, "bucketizer.mean", agg_mean, 0, 0, FP_ANY, NULL, "-- bucketizer",                                          \
      "Mean of the values (DOUBLE); centroid location, mean elevation.")                                               \
    X(mean_en, "bucketizer.mean.exclude-nulls", agg_mean, AGGF_SKIP_NULLS, 0, FP_ANY, NULL, "-- bucketizer",          \
      "Mean of the non-null values.")                                                                                  \
    X(min, "bucketizer.min", agg_min, AGGF_SKIP_NULLS, 0, FP_ANY, NULL, "-- bucketizer",                               \
      "Smallest value (earliest on ties), with its tick, location and elevation.")                                    \
    X(min_fn, "bucketizer.min.forbid-nulls", agg_min, 0, 0, FP_ANY, NULL, "-- bucketizer",                            \
      "Smallest value; no value if one is null.")                                                                      \
    X(max, "bucketizer.max", agg_max, AGGF_SKIP_NULLS, 0, FP_ANY, NULL, "-- bucketizer",                               \
      "Largest value (earliest on ties), with its tick, location and elevation.")                                     \
    X(max_fn, "bucketizer.max.forbid-nulls", agg_max, 0, 0, FP_ANY, NULL, "-- bucketizer",                            \
      "Largest value; no value if one is null.")                                                                       \
    X(first, "bucketizer.first", agg_first, 0, 0, FP_ANY, NULL, "-- bucketizer", "Value of the oldest point.")       \
    X(last, "bucketizer.last", agg_last, 0, 0, FP_ANY, NULL, "-- bucketizer", "Value of the newest point.")          \
    X(count, "bucketizer.count", agg_count, 0, 0, FP_ANY, NULL, "-- bucketizer", "Number of points (LONG).")          \
    X(count_in, "bucketizer.count.include-nulls", agg_count, 0, 0, FP_ANY, NULL, "-- bucketizer",                     \
      "Number of points, nulls included.")                                                                             \
    X(count_en, "bucketizer.count.exclude-nulls", agg_count, AGGF_SKIP_NULLS, 0, FP_ANY, NULL, "-- bucketizer",       \
      "Number of non-null values.")                                                                                    \
    X(count_nn, "bucketizer.count.nonnull", agg_count, AGGF_SKIP_NULLS, 0, FP_ANY, NULL, "-- bucketizer",             \
      "Number of non-null values.")                                                                                    \
    X(and, "bucketizer.and", agg_and, 0, 0, FP_ANY, NULL, "-- bucketizer",                                             \
      "Logical AND of the values (non-booleans count as false).")                                                      \
    X(or, "bucketizer.or", agg_or, 0, 0, FP_ANY, NULL, "-- bucketizer",                                                \
      "Logical OR of the values (non-booleans count as false).")                                                       \
    X(join, "bucketizer.join", agg_join, AGGF_SKIP_NULLS, 1, FP_ANY, agg_build_join, "sep -- bucketizer",             \
      "Values joined as strings with sep, oldest first.")                                                              \
    X(join_fn, "bucketizer.join.forbid-nulls", agg_join, 0, 1, FP_ANY, agg_build_join, "sep -- bucketizer",           \
      "Values joined with sep; no value if one is null.")                                                              \
    X(median, "bucketizer.median", agg_median, 0, 0, FP_ANY, NULL, "-- bucketizer",                                    \
      "Median (DOUBLE; mean of the two middle values for an even count).")                                             \
    X(median_fn, "bucketizer.median.forbid-nulls", agg_median, AGGF_FAIL_NULLS, 0, FP_ANY, NULL, "-- bucketizer",     \
      "Median; nulls are an error.")                                                                                   \
    X(mad, "bucketizer.mad", agg_mad, 0, 0, FP_ANY, NULL, "-- bucketizer", "Median absolute deviation.")              \
    X(rms, "bucketizer.rms", agg_rms, 0, 0, FP_ANY, NULL, "-- bucketizer", "Root mean square.")                       \
    X(rms_en, "bucketizer.rms.exclude-nulls", agg_rms, AGGF_SKIP_NULLS, 0, FP_ANY, NULL, "-- bucketizer",             \
      "Root mean square of the non-null values.")                                                                      \
    X(pct, "bucketizer.percentile", agg_percentile, 0, 1, FP_ANY, agg_build_percentile, "p ('typeN') -- bucketizer",  \
      "The p-th percentile (0..100), Hyndman-Fan type 1 by default.")                                                 \
    X(pct_fn, "bucketizer.percentile.forbid-nulls", agg_percentile, AGGF_FAIL_NULLS, 1, FP_ANY, agg_build_percentile, \
      "p ('typeN') -- bucketizer", "The p-th percentile; nulls are an error.")                                         \
    X(var, "bucketizer.var", agg_var, AGGF_SKIP_NULLS, 1, FP_BOOL, NULL, "bessel -- bucketizer",                     \
      "Variance (DOUBLE); bessel applies Bessel's correction.")                                                        \
    X(var_fn, "bucketizer.var.forbid-nulls", agg_var, 0, 1, FP_BOOL, NULL, "bessel -- bucketizer",                    \
      "Variance; no value if one is null.")                                                                            \
    X(sd, "bucketizer.sd", agg_var, AGGF_SKIP_NULLS | AGGF_SD, 1, FP_BOOL, NULL, "bessel -- bucketizer",             \
      "Standard deviation (DOUBLE); bessel applies Bessel's correction.")                                              \
    X(sd_fn, "bucketizer.sd.forbid-nulls", agg_var, AGGF_SD, 1, FP_BOOL, NULL, "bessel -- bucketizer",                \
      "Standard deviation; no value if one is null.")                                                                  \
    X(var_w, "bucketizer.var.welford", agg_var, AGGF_SKIP_NULLS | AGGF_WELFORD, 1, FP_BOOL, NULL,                    \
      "bessel -- bucketizer", "Variance by Welford's algorithm.")                                                      \
    X(sd_w, "bucketizer.sd.welford", agg_var, AGGF_SKIP_NULLS | AGGF_WELFORD | AGGF_SD, 1, FP_BOOL, NULL,            \
      "bessel -- bucketizer", "Standard deviation by Welford's algorithm.")                                            \
    X(cmean, "bucketizer.mean.circular", agg_circular_mean, 0, 1, FP_NUMBER, agg_build_circular,                      \
      "period -- bucketizer", "Mean of circular quantities of the given period.")                                     \
    X(cmean_en, "bucketizer.mean.circular.exclude-nulls", agg_circular_mean, AGGF_SKIP_NULLS, 1, FP_NUMBER,           \
      agg_build_circular, "period -- bucketizer", "Circular mean of the non-null values.")

#define DEF(id, nm, k, fl, np, pt, bld, sig, doc)                                                                     \
    static const fn_def d_##id = {.name = nm,                                                                          \
                                  .kind = FN_KIND_AGGREGATOR,                                                          \
                                  .roles = AGG_ROLES,                                                                  \
                                  .nparams = np,                                                                       \
                                  .ptypes = {pt},                                                                      \
                                  .flags = fl,                                                                         \
                                  .kernel = {.agg = k},                                                                \
                                  .build = bld};
BUCKETIZERS(DEF)
#undef DEF

static const fn_def d_macrobucketizer = {.name = "MACROBUCKETIZER",
                                         .kind = FN_KIND_AGGREGATOR,
                                         .roles = FN_BUCKETIZER,
                                         .nparams = 1,
                                         .ptypes = {FP_MACRO},
                                         .kernel = {.agg = agg_macro},
                                         .build = agg_build_macro};

#define WORD(id, nm, k, fl, np, pt, bld, sig, doc) EXO_WORD_DATA(nm, fn_word, np, sig, doc, &d_##id),

static const word bucketize_words[] = {
    EXO_WORD("BUCKETIZE", w_bucketize, 1, "[gts.. bucketizer lastbucket bucketspan bucketcount] -- [gts..]",
             "Aggregates each series into buckets of bucketspan ending at lastbucket (0s are derived from the data)."),
    EXO_WORD("FUNCREF", w_funcref, 1, "name -- function",
             "The framework element (bucketizer.sum, op.add ...) of that name, as snapshots write it."),
    EXO_WORD_DATA("MACROBUCKETIZER", fn_word, 1, "macro -- bucketizer",
                  "A bucketizer running macro on [tick [names] [labels] [ticks] [lats] [lons] [elevs] [values]].",
                  &d_macrobucketizer),
    BUCKETIZERS(WORD)
};

EXO_FAMILY(bucketize, bucketize_words)
