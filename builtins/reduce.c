/* REDUCE / PREDUCE (spec d.3) and the reducer.* elements.
 * Series are partitioned by label values (interp/partition.c); each class
 * is reduced tick by tick over the union of its members' ticks, one slot
 * per member, nulls where a member has no point (builtins/sweep.c). The
 * result carries the class's common labels and attributes, the members'
 * common name, and their bucketization when they all agree on it. */
#include "sweep.h"
#include "../interp/partition.h"


/* Java's % without UB on MINLONG % -1. */
static int64_t jrem(int64_t a, int64_t b) { return b == -1 ? 0 : a % b; }

/* The result's bucketization: all members bucketized with one span and
 * congruent lastbuckets (lastbucket is the first member's, as in Warp 10). */
static void result_buckets(gts *const *m, size_t k, gts *dst)
{
    int64_t end = INT64_MIN, startb = INT64_MAX, last = INT64_MIN, span = 0;
    for (size_t i = 0; i < k; i++) {
        const gts *g = m[i];
        if (!gts_is_bucketized(g) || (span != 0 && g->bucketspan != span)) {
            span = 0;
            break;
        }
        span = g->bucketspan;
        if (last == INT64_MIN)
            last = g->lastbucket;
        if (jrem(last, span) != jrem(g->lastbucket, g->bucketspan)) {
            span = 0;
            break;
        }
        int64_t first = (int64_t)((uint64_t)g->lastbucket - (uint64_t)g->bucketcount * (uint64_t)span);
        end = g->lastbucket > end ? g->lastbucket : end;
        startb = first < startb ? first : startb;
    }
    if (span != 0) {
        dst->lastbucket = last;
        dst->bucketspan = span;
        dst->bucketcount = (int32_t)(uint32_t)(((uint64_t)end - (uint64_t)startb) / (uint64_t)span);
    }
}

static bool reduce_class(exo_vm *vm, value fn, bool override, const fw_class *c, gts **out)
{
    size_t k = c->n;
    gts *const *m = c->part->members + c->start;
    gts *dst = gts_new(vm);
    if (!dst)
        return false;
    bool ok = gts_copy_map(vm, &dst->labels, c->labels);
    /* name: the members' common class, or ""; attributes: the common ones */
    map **attrs = ok ? vm_alloc(vm, k * sizeof(map *)) : NULL;
    ok = attrs != NULL;
    for (size_t i = 0; ok && i < k; i++)
        attrs[i] = m[i]->attrs;
    map *ca = ok ? labels_common(vm, attrs, k) : NULL;
    if (attrs)
        vm_dealloc(vm, attrs, k * sizeof(map *));
    ok = ca != NULL;
    if (ok) {
        val_release(vm, v_obj(T_MAP, dst->attrs));
        dst->attrs = ca;
        bool same = true;
        for (size_t i = 1; same && i < k; i++)
            same = val_equals(m[i]->cls, m[0]->cls, false);
        if (same)
            ok = gts_set_class(vm, dst, AS_STR(m[0]->cls)->data, AS_STR(m[0]->cls)->len);
        result_buckets(m, k, dst);
    }
    ok = ok && sweep_members(vm, m, k, fn, override, AGG_REDUCE, c->labels, NULL, dst);
    if (!ok) {
        val_release(vm, v_obj(T_GTS, dst));
        return false;
    }
    *out = dst;
    return true;
}

/* [ [gts..] .. labels reducer (override) ] */
static bool reduce_word(exo_vm *vm, const word *w, bool as_map)
{
    value top = *vm_peek(vm, 0);
    if (top.type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST");
    const list *l = AS_LIST(top);
    size_t n = l->len;
    if (n < 3)
        return vm_fail(vm, "%s expects at least 3 parameters.", w->name);
    size_t li = n - 2, ri = n - 1;
    bool override = false;
    if (l->items[n - 1].type == T_BOOLEAN) {
        override = l->items[n - 1].as.b;
        li--;
        ri--;
    }
    value labels = l->items[li], fn = l->items[ri];
    if (labels.type != T_NULL && labels.type != T_LIST)
        return vm_fail(vm, "%s expects a list of label names or null as parameter number %zu.", w->name, li + 1);
    if (labels.type == T_LIST)
        for (size_t i = 0; i < AS_LIST(labels)->len; i++)
            if (AS_LIST(labels)->items[i].type != T_STRING)
                return vm_fail(vm, "%s expects a list of label names as parameter number %zu.", w->name, li + 1);
    if (!fn_has_role(fn, FN_REDUCER))
        return vm_fail(vm, "%s expects a reducer as parameter number %zu, got %s.", w->name, ri + 1, val_type_name(fn));
    gts **in;
    size_t nin;
    if (!fw_collect(vm, w->name, "expects lists of Geo Time Series as first parameters.", l->items, li, &in, &nin))
        return false;
    labels = val_retain(labels);
    fn = val_retain(fn);
    bool popped = agg_runs_macro(fn);
    if (popped)
        vm_drop(vm, 1);
    fw_partition part;
    bool ok = partition_build(vm, in, nin, labels.type == T_LIST ? AS_LIST(labels) : NULL, &part);
    gts **res = ok ? vm_calloc(vm, (part.nclasses ? part.nclasses : 1) * sizeof(gts *)) : NULL;
    ok = ok && res;
    for (size_t c = 0; ok && c < part.nclasses; c++)
        ok = reduce_class(vm, fn, override, &part.classes[c], &res[c]);
    map *pm = NULL;
    if (ok && as_map) {
        pm = map_new(vm, part.nclasses);
        ok = pm != NULL;
        for (size_t c = 0; ok && c < part.nclasses; c++) {
            list *one = list_new(vm, 1);
            ok = one && list_push(vm, one, val_retain(v_obj(T_GTS, res[c])));
            ok = ok && map_put(vm, pm, val_retain(v_obj(T_MAP, part.classes[c].labels)), v_obj(T_LIST, one));
            if (!ok && one)
                val_release(vm, v_obj(T_LIST, one));
        }
    }
    if (ok) {
        if (!popped)
            vm_drop(vm, 1);
        if (as_map) {
            ok = vm_push(vm, v_obj(T_MAP, pm));
            pm = NULL;
            for (size_t c = 0; c < part.nclasses; c++)
                val_release(vm, v_obj(T_GTS, res[c]));
        } else {
            ok = fw_push_list(vm, res, part.nclasses);
        }
    } else {
        for (size_t c = 0; res && c < part.nclasses; c++)
            if (res[c])
                val_release(vm, v_obj(T_GTS, res[c]));
    }
    if (pm)
        val_release(vm, v_obj(T_MAP, pm));
    if (res)
        vm_dealloc(vm, res, (part.nclasses ? part.nclasses : 1) * sizeof(gts *));
    partition_free(vm, &part);
    fw_free_series(vm, in, nin);
    val_release(vm, fn);
    val_release(vm, labels);
    return ok;
}

static bool w_reduce(exo_vm *vm, const word *w) { return reduce_word(vm, w, false); }
static bool w_preduce(exo_vm *vm, const word *w) { return reduce_word(vm, w, true); }

/* ---- reducer.* ---- */

#define SK AGGF_SKIP_NULLS
/* X(id, name, kernel, flags, nparams, ptype, builder, sig, doc) */
#define REDUCERS(X)                                                                                                    \
    X(sum, "reducer.sum", agg_sum, SK, 0, FP_ANY, NULL, "-- reducer", "Sum of the non-null values at each tick.")     \
    X(sum_fn, "reducer.sum.forbid-nulls", agg_sum, 0, 0, FP_ANY, NULL, "-- reducer",                                  \
      "Sum of the values; no value where a member is missing.")                                                        \
    X(sum_nn, "reducer.sum.nonnull", agg_sum, 0, 0, FP_ANY, NULL, "-- reducer",                                       \
      "Sum of the values; no value where a member is missing.")                                                        \
    X(mean, "reducer.mean", agg_mean, 0, 0, FP_ANY, NULL, "-- reducer",                                                \
      "Mean of the values; no value where a member is missing.")                                                       \
    X(mean_en, "reducer.mean.exclude-nulls", agg_mean, SK, 0, FP_ANY, NULL, "-- reducer",                             \
      "Mean of the non-null values.")                                                                                  \
    X(min, "reducer.min", agg_min, SK, 0, FP_ANY, NULL, "-- reducer", "Smallest non-null value.")                     \
    X(min_fn, "reducer.min.forbid-nulls", agg_min, 0, 0, FP_ANY, NULL, "-- reducer",                                  \
      "Smallest value; no value where a member is missing.")                                                           \
    X(min_nn, "reducer.min.nonnull", agg_min, 0, 0, FP_ANY, NULL, "-- reducer",                                       \
      "Smallest value; no value where a member is missing.")                                                           \
    X(max, "reducer.max", agg_max, SK, 0, FP_ANY, NULL, "-- reducer", "Largest non-null value.")                      \
    X(max_fn, "reducer.max.forbid-nulls", agg_max, 0, 0, FP_ANY, NULL, "-- reducer",                                  \
      "Largest value; no value where a member is missing.")                                                            \
    X(max_nn, "reducer.max.nonnull", agg_max, 0, 0, FP_ANY, NULL, "-- reducer",                                       \
      "Largest value; no value where a member is missing.")                                                            \
    X(count, "reducer.count", agg_count, 0, 0, FP_ANY, NULL, "-- reducer",                                             \
      "Number of members (nulls included) at each tick.")                                                              \
    X(count_in, "reducer.count.include-nulls", agg_count, 0, 0, FP_ANY, NULL, "-- reducer",                           \
      "Number of members, nulls included.")                                                                            \
    X(count_en, "reducer.count.exclude-nulls", agg_count, SK, 0, FP_ANY, NULL, "-- reducer",                          \
      "Number of non-null values.")                                                                                    \
    X(count_nn, "reducer.count.nonnull", agg_count, SK, 0, FP_ANY, NULL, "-- reducer", "Number of non-null values.") \
    X(and, "reducer.and", agg_and, 0, 0, FP_ANY, NULL, "-- reducer",                                                   \
      "Logical AND; no value where a member is missing.")                                                              \
    X(and_en, "reducer.and.exclude-nulls", agg_and, SK, 0, FP_ANY, NULL, "-- reducer",                                \
      "Logical AND of the non-null values.")                                                                           \
    X(or, "reducer.or", agg_or, 0, 0, FP_ANY, NULL, "-- reducer", "Logical OR; no value where a member is missing.")  \
    X(or_en, "reducer.or.exclude-nulls", agg_or, SK, 0, FP_ANY, NULL, "-- reducer",                                   \
      "Logical OR of the non-null values.")                                                                            \
    X(join, "reducer.join", agg_join, SK, 1, FP_ANY, agg_build_join, "sep -- reducer",                               \
      "Values joined with sep in member order.")                                                                       \
    X(join_fn, "reducer.join.forbid-nulls", agg_join, 0, 1, FP_ANY, agg_build_join, "sep -- reducer",                 \
      "Values joined with sep; no value where a member is missing.")                                                   \
    X(join_nn, "reducer.join.nonnull", agg_join, 0, 1, FP_ANY, agg_build_join, "sep -- reducer",                      \
      "Values joined with sep; no value where a member is missing.")                                                   \
    X(join_ue, "reducer.join.urlencoded", agg_join, AGGF_URLENCODE, 1, FP_ANY, agg_build_join, "sep -- reducer",      \
      "Percent-encoded values joined with sep.")                                                                       \
    X(median, "reducer.median", agg_median, 0, 0, FP_ANY, NULL, "-- reducer", "Median of the non-null values.")      \
    X(median_fn, "reducer.median.forbid-nulls", agg_median, AGGF_FAIL_NULLS, 0, FP_ANY, NULL, "-- reducer",          \
      "Median; a missing member is an error.")                                                                         \
    X(mad, "reducer.mad", agg_mad, 0, 0, FP_ANY, NULL, "-- reducer", "Median absolute deviation.")                   \
    X(rms, "reducer.rms", agg_rms, 0, 0, FP_ANY, NULL, "-- reducer",                                                  \
      "Root mean square; no value where a member is missing.")                                                         \
    X(rms_en, "reducer.rms.exclude-nulls", agg_rms, SK, 0, FP_ANY, NULL, "-- reducer",                                \
      "Root mean square of the non-null values.")                                                                      \
    X(pct, "reducer.percentile", agg_percentile, 0, 1, FP_ANY, agg_build_percentile, "p ('typeN') -- reducer",        \
      "The p-th percentile of the non-null values.")                                                                   \
    X(pct_fn, "reducer.percentile.forbid-nulls", agg_percentile, AGGF_FAIL_NULLS, 1, FP_ANY, agg_build_percentile,    \
      "p ('typeN') -- reducer", "The p-th percentile; a missing member is an error.")                                  \
    X(var, "reducer.var", agg_var, SK, 1, FP_BOOL, NULL, "bessel -- reducer", "Variance of the non-null values.")    \
    X(var_fn, "reducer.var.forbid-nulls", agg_var, 0, 1, FP_BOOL, NULL, "bessel -- reducer",                          \
      "Variance; no value where a member is missing.")                                                                 \
    X(sd, "reducer.sd", agg_var, SK | AGGF_SD, 1, FP_BOOL, NULL, "bessel -- reducer",                                \
      "Standard deviation of the non-null values.")                                                                    \
    X(sd_fn, "reducer.sd.forbid-nulls", agg_var, AGGF_SD, 1, FP_BOOL, NULL, "bessel -- reducer",                      \
      "Standard deviation; no value where a member is missing.")                                                       \
    X(var_w, "reducer.var.welford", agg_var, SK | AGGF_WELFORD, 1, FP_BOOL, NULL, "bessel -- reducer",               \
      "Variance (Welford).")                                                                                           \
    X(sd_w, "reducer.sd.welford", agg_var, SK | AGGF_WELFORD | AGGF_SD, 1, FP_BOOL, NULL, "bessel -- reducer",       \
      "Standard deviation (Welford).")                                                                                 \
    X(cmean, "reducer.mean.circular", agg_circular_mean, 0, 1, FP_NUMBER, agg_build_circular, "period -- reducer",    \
      "Circular mean; no value where a member is missing.")                                                            \
    X(cmean_en, "reducer.mean.circular.exclude-nulls", agg_circular_mean, SK, 1, FP_NUMBER, agg_build_circular,       \
      "period -- reducer", "Circular mean of the non-null values.")                                                    \
    X(product, "reducer.product", agg_product, 0, 0, FP_ANY, NULL, "-- reducer",                                     \
      "Product of the non-null values.")

#define DEF(id, nm, k, fl, np, pt, bld, sig, doc)                                                                     \
    static const fn_def d_##id = {.name = nm,                                                                          \
                                  .kind = FN_KIND_AGGREGATOR,                                                          \
                                  .roles = AGG_ROLES,                                                                  \
                                  .nparams = np,                                                                       \
                                  .ptypes = {pt},                                                                      \
                                  .flags = fl,                                                                         \
                                  .kernel = {.agg = k},                                                                \
                                  .build = bld};
REDUCERS(DEF)
#undef DEF

static const fn_def d_macroreducer = {.name = "MACROREDUCER",
                                      .kind = FN_KIND_AGGREGATOR,
                                      .roles = AGG_ROLES,
                                      .nparams = 1,
                                      .ptypes = {FP_MACRO},
                                      .kernel = {.agg = agg_macro},
                                      .build = agg_build_macro};

static const fn_def d_strictreducer = {.name = "STRICTREDUCER",
                                       .kind = FN_KIND_AGGREGATOR,
                                       .roles = FN_REDUCER,
                                       .nparams = 3,
                                       .kernel = {.agg = agg_strict},
                                       .build = agg_build_strict};

#define WORD(id, nm, k, fl, np, pt, bld, sig, doc) EXO_WORD_DATA(nm, fn_word, np, sig, doc, &d_##id),

static const word reduce_words[] = {
    EXO_WORD("REDUCE", w_reduce, 1, "[[gts..].. labels reducer (override)] -- [gts..]",
             "Partitions the series by labels and reduces each class tick by tick, one slot per member."),
    EXO_WORD("PREDUCE", w_preduce, 1, "[[gts..].. labels reducer (override)] -- map",
             "As REDUCE, but pushes a MAP from each class's labels to its results."),
    EXO_WORD_DATA("MACROREDUCER", fn_word, 1, "macro -- reducer",
                  "A reducer running macro on [tick [names] [labels] [ticks] [lats] [lons] [elevs] [values]].",
                  &d_macroreducer),
    EXO_WORD_DATA("STRICTREDUCER", fn_word, 3, "reducer min max -- reducer",
                  "Runs reducer only when the number of non-null values (or -span) lies in [min, max].",
                  &d_strictreducer),
    REDUCERS(WORD)
};

EXO_FAMILY(reduce, reduce_words)
