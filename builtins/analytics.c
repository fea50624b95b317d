/* Analytics words comparing or summarising whole series: DTW and RAWDTW
 * (Warp 10's two-row dynamic time warping, which lets the shorter series
 * start and end anywhere), MODE, CORRELATE; plus the helpers of
 * analytics.h. DTW also accepts LISTs of numbers in place of GTS. */
#include "analytics.h"

#include <math.h>
#include <string.h>

double *an_doubles(exo_vm *vm, const gts *g)
{
    double *d = an_alloc(vm, g->len);
    if (!d)
        return NULL;
    for (size_t i = 0; i < g->len; i++)
        d[i] = an_val(g, i);
    return d;
}

bool an_add(exo_vm *vm, gts *g, int64_t tick, int64_t loc, int64_t elev, double d)
{
    if (loc == GTS_NO_LOCATION && elev == GTS_NO_ELEVATION)
        return gts_add_double(vm, g, tick, d);
    return gts_add(vm, g, tick, loc, elev, v_double(d));
}

/* ---- DTW ---- */

/* A numeric GTS or a LIST of numbers. */
static bool dtw_operand(value v)
{
    if (v.type == T_GTS)
        return true;
    if (v.type != T_LIST)
        return false;
    const list *l = AS_LIST(v);
    for (size_t i = 0; i < l->len; i++)
        if (!val_is_number(l->items[i]))
            return false;
    return true;
}

/* The values of the operand in tick order (a GTS is sorted in place). */
static bool dtw_values(exo_vm *vm, const word *w, value v, double **out, size_t *n)
{
    if (v.type == T_LIST) {
        const list *l = AS_LIST(v);
        double *d = an_alloc(vm, l->len);
        if (!d)
            return false;
        for (size_t i = 0; i < l->len; i++)
            d[i] = val_as_double(l->items[i]);
        *out = d;
        *n = l->len;
        return true;
    }
    gts *g = AS_GTS(v);
    if (!an_numeric(g))
        return vm_fail(vm, "%s can only operate on numerical Geo Time Series.", w->name);
    if (!gts_sort(vm, g, false) || !(*out = an_doubles(vm, g)))
        return false;
    *n = g->len;
    return true;
}

/* Rescales to (v - max) / (max - min); a constant series is an error. */
static bool dtw_normalize(exo_vm *vm, const word *w, double *v, size_t n)
{
    double mn = INFINITY, mx = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < mn)
            mn = v[i];
        if (v[i] > mx)
            mx = v[i];
    }
    if (mn == mx)
        return vm_fail(vm, "%s cannot (yet) operate on constant GTS.", w->name);
    double range = mx - mn;
    for (size_t i = 0; i < n; i++)
        v[i] = (v[i] - mx) / range;
    return true;
}

/* Two rows over the shorter series (columns); row i matches element i of
 * the longer one. Row 0 starts from zeros and the result is the smallest
 * cell of the last row. -1 when a whole row exceeds a non-zero threshold. */
static double dtw_run(const double *v1, size_t n1, const double *v2, size_t n2, double threshold, double *a, double *b)
{
    if (n1 > n2) {
        const double *tv = v1;
        v1 = v2;
        v2 = tv;
        size_t tn = n1;
        n1 = n2;
        n2 = tn;
    }
    memset(a, 0, (n1 ? n1 : 1) * sizeof(double));
    bool below = false;
    for (size_t i = 0; i < n2; i++) {
        below = false;
        for (size_t j = 0; j < n1; j++) {
            double d = fabs(v1[j] - v2[i]);
            double left = a[j], bottom = j > 0 ? b[j - 1] : INFINITY, sw = j > 0 ? a[j - 1] : INFINITY;
            double m = bottom < sw ? bottom : sw;
            b[j] = d + (left < m ? left : m);
            if (!below && (threshold == 0.0 || b[j] <= threshold))
                below = true;
        }
        if (!below)
            break;
        double *t = a;
        a = b;
        b = t;
    }
    if (!below)
        return -1.0;
    double best = INFINITY;
    for (size_t j = 0; j < n1; j++)
        if (a[j] < best)
            best = a[j];
    return best;
}

static bool w_dtw(exo_vm *vm, const word *w)
{
    value th = *vm_peek(vm, 0), s1 = *vm_peek(vm, 1), s2 = *vm_peek(vm, 2);
    if (!val_is_number(th))
        return vm_type_error(vm, w, 1, "a numeric threshold");
    if (!dtw_operand(s1))
        return vm_type_error(vm, w, 2, "a GTS or a LIST of numbers");
    if (!dtw_operand(s2))
        return vm_type_error(vm, w, 3, "a GTS or a LIST of numbers");
    double *v1 = NULL, *v2 = NULL, *a = NULL, *b = NULL;
    size_t n1 = 0, n2 = 0;
    bool ok = dtw_values(vm, w, s1, &v1, &n1) && dtw_values(vm, w, s2, &v2, &n2);
    if (ok && w->magic) /* DTW: both normalised; RAWDTW: as is */
        ok = dtw_normalize(vm, w, v1, n1) && dtw_normalize(vm, w, v2, n2);
    size_t cols = n1 < n2 ? n1 : n2;
    if (ok) {
        a = an_alloc(vm, cols);
        b = an_alloc(vm, cols);
        ok = a && b;
    }
    double dist = ok ? dtw_run(v1, n1, v2, n2, val_as_double(th), a, b) : 0;
    if (v1)
        an_free(vm, v1, n1, sizeof(double));
    if (v2)
        an_free(vm, v2, n2, sizeof(double));
    if (a)
        an_free(vm, a, cols, sizeof(double));
    if (b)
        an_free(vm, b, cols, sizeof(double));
    return ok && gw_replace(vm, 3, v_double(dist));
}

/* ---- MODE ---- */

static bool same_value(const gts *g, size_t i, size_t j)
{
    switch (g->type) {
    case GTS_LONG:
        return g->v.l[i] == g->v.l[j];
    case GTS_DOUBLE: {
        double x = g->v.d[i], y = g->v.d[j];
        return x == y ? signbit(x) == signbit(y) : (x != x && y != y); /* Double.equals */
    }
    case GTS_BOOLEAN:
        return g->v.b[i] == g->v.b[j];
    default:
        return g->v.s[i]->len == g->v.s[j]->len && memcmp(g->v.s[i]->data, g->v.s[j]->data, g->v.s[i]->len) == 0;
    }
}

/* The most frequent values in ascending order (the GTS ends up sorted by
 * value, as in Warp 10). */
static bool mode_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    (void)ctx;
    list *l = list_new(vm, 4);
    if (!l)
        return false;
    if (g->len && !gts_sort_by_value(vm, g, false))
        goto fail;
    size_t best = 0;
    for (size_t i = 0; i < g->len;) {
        size_t j = i + 1;
        while (j < g->len && same_value(g, i, j))
            j++;
        size_t count = j - i;
        if (count > best) {
            best = count;
            for (size_t k = 0; k < l->len; k++)
                val_release(vm, l->items[k]);
            l->len = 0;
        }
        if (count == best && !list_push(vm, l, gts_value_at(g, i)))
            goto fail;
        i = j;
    }
    *out = v_obj(T_LIST, l);
    return true;
fail:
    val_release(vm, v_obj(T_LIST, l));
    return false;
}

static bool w_mode(exo_vm *vm, const word *w)
{
    if (!gw_gts_or_list(vm, w, 1))
        return false;
    value r;
    return gw_map(vm, w, 1, mode_one, NULL, &r) && gw_replace(vm, 1, r);
}

/* ---- CORRELATE ---- */

static bool corr_check(exo_vm *vm, const word *w, const gts *g, int64_t span)
{
    if (!gts_is_bucketized(g) || (int64_t)g->len != g->bucketcount || !an_numeric(g))
        return vm_fail(vm, "%s operates on bucketized, filled numeric Geo Time Series.", w->name);
    if (g->bucketspan != span)
        return vm_fail(vm, "%s operates on bucketized Geo Time Series with all the same bucketspan. The expected bucketspan is %lld",
                       w->name, (long long)span);
    return true;
}

/* GTSHelper.standardize of g's points [lo, hi): mean and Bessel sigma from
 * the sums, no division when sigma is 0. */
static void standardize(const gts *g, size_t lo, size_t hi, double *out)
{
    size_t n = hi - lo;
    double sum = 0, sumsq = 0;
    for (size_t i = lo; i < hi; i++) {
        double v = an_val(g, i);
        sum += v;
        sumsq += v * v;
    }
    double mean = sum / (double)n;
    double var = (sumsq / (double)n) - (sum * sum) / ((double)n * (double)n);
    if (n > 1)
        var = var * ((double)n) / ((double)n - 1.0);
    double sd = sqrt(var);
    for (size_t i = lo; i < hi; i++) {
        double v = an_val(g, i) - mean;
        out[i - lo] = sd != 0.0 ? v / sd : v;
    }
}

/* Cross-correlation of a and b at one offset (CORRELATE.correlate). */
static double correlate_at(const gts *a, const gts *b, int64_t off, double *sa, double *sb)
{
    size_t ia = 0, ib = 0;
    while (ia < a->len && ib < b->len) {
        int64_t ta = (int64_t)((uint64_t)a->ticks[ia] + (uint64_t)off);
        if (ta < b->ticks[ib])
            ia++;
        else if (ta > b->ticks[ib])
            ib++;
        else
            break;
    }
    if (ia == a->len || ib == b->len)
        return 0.0;
    int64_t lastb = (int64_t)((uint64_t)b->ticks[b->len - 1] - (uint64_t)off), lasta = a->ticks[a->len - 1];
    int64_t end = lasta < lastb ? lasta : lastb, endb = (int64_t)((uint64_t)end + (uint64_t)off);
    size_t ha = ia, hb = ib;
    while (ha < a->len && a->ticks[ha] <= end)
        ha++;
    while (hb < b->len && b->ticks[hb] <= endb)
        hb++;
    if (ha == ia || hb == ib)
        return 0.0;
    standardize(a, ia, ha, sa);
    standardize(b, ib, hb, sb);
    size_t n = ha - ia < hb - ib ? ha - ia : hb - ib;
    double sum = 0.0;
    for (size_t k = 0; k < n; k++)
        sum += sa[k] * sb[k];
    return n > 0 ? sum / (double)n : 0.0;
}

static gts *nth_gts(value v, size_t i) { return v.type == T_GTS ? AS_GTS(v) : AS_GTS(AS_LIST(v)->items[i]); }

static int64_t offset_at(const list *l, size_t i)
{
    value v = l->items[i];
    return v.type == T_LONG ? v.as.l : java_d2l(v.as.d);
}

static bool w_correlate(exo_vm *vm, const word *w)
{
    value offs = *vm_peek(vm, 0), others = *vm_peek(vm, 1), base = *vm_peek(vm, 2);
    if (offs.type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST of offsets");
    const list *ol = AS_LIST(offs);
    for (size_t i = 0; i < ol->len; i++)
        if (!val_is_number(ol->items[i]))
            return vm_type_error(vm, w, 1, "a LIST of offsets");
    if (!gw_gts_or_list(vm, w, 2))
        return false;
    if (base.type != T_GTS)
        return vm_type_error(vm, w, 3, "a GTS");
    gts *g = AS_GTS(base);
    size_t ns = others.type == T_GTS ? 1 : AS_LIST(others)->len;
    int64_t span = g->bucketspan;
    if (!corr_check(vm, w, g, span))
        return false;
    for (size_t i = 0; i < ns; i++)
        if (!corr_check(vm, w, nth_gts(others, i), span))
            return false;
    for (size_t i = 0; i < ol->len; i++) /* span > 0: bucketized */
        if (span != -1 && offset_at(ol, i) % span != 0)
            return vm_fail(vm, "%s expects offsets to be multiples of the bucketspan (%lld).", w->name, (long long)span);
    if (!gts_sort(vm, g, false))
        return false;
    list *res = list_new(vm, ns);
    double *sa = an_alloc(vm, g->len), *sb = NULL;
    size_t nb = 0;
    bool ok = res && sa;
    for (size_t i = 0; ok && i < ns; i++) {
        gts *b = nth_gts(others, i), *r = NULL;
        ok = gts_sort(vm, b, false);
        if (ok && b->len > nb) {
            if (sb)
                an_free(vm, sb, nb, sizeof(double));
            nb = b->len;
            ok = (sb = an_alloc(vm, nb)) != NULL;
        }
        if (ok) {
            r = gts_clone(vm, b, false); /* b's metadata, not bucketized */
            ok = r != NULL;
        }
        if (ok) {
            r->bucketspan = r->bucketcount = r->lastbucket = 0;
            ok = list_push(vm, res, v_obj(T_GTS, r));
        }
        for (size_t k = 0; ok && k < ol->len; k++) {
            int64_t o = offset_at(ol, k);
            ok = gts_add_double(vm, r, o, correlate_at(g, b, o, sa, sb));
        }
    }
    if (sa)
        an_free(vm, sa, g->len, sizeof(double));
    if (sb)
        an_free(vm, sb, nb, sizeof(double));
    if (!ok) {
        if (res)
            val_release(vm, v_obj(T_LIST, res));
        return false;
    }
    return gw_replace(vm, 3, v_obj(T_LIST, res));
}

static const word analytics_words[] = {
    EXO_WORD_MAGIC("DTW", w_dtw, 3, "gts|[n..] gts|[n..] threshold -- distance",
                   "Dynamic time warping distance of the 0-1 normalised values (-1 above a non-zero threshold).", 1),
    EXO_WORD_MAGIC("RAWDTW", w_dtw, 3, "gts|[n..] gts|[n..] threshold -- distance",
                   "Dynamic time warping distance of the raw values (-1 above a non-zero threshold).", 0),
    EXO_WORD("MODE", w_mode, 1, "gts|[gts..] -- [modes]|[[modes]..]", "The most frequent value(s), ascending."),
    EXO_WORD("CORRELATE", w_correlate, 3, "gts gts|[gts..] [offsets] -- [gts..]",
             "Cross-correlation of bucketized, filled series at offsets (multiples of the bucketspan)."),
};

EXO_FAMILY(analytics, analytics_words)
