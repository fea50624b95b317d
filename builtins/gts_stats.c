/* Statistics and value transforms of GTS: NORMALIZE, ISONORMALIZE,
 * STANDARDIZE, MUSIGMA, INTEGRATE, LR, RESETS, MONOTONIC, VALUEHISTOGRAM,
 * PARTITION.
 * Transforms return DOUBLE copies with the input's metadata; non-numeric
 * GTS are returned as plain copies by the NORMALIZE family, as Warp 10
 * does. MUSIGMA mirrors the reference's BigDecimal arithmetic, whose
 * divisions round (half up) to the scale of the dividend: the mean of the
 * LONG values 1 2 2 is 1.7, not 1.6666666666666667. */
#include "gts_words.h"

#include "../interp/numfmt.h"
#include "../interp/partition.h"
#include "../interp/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool numeric(const gts *g) { return g->type == GTS_LONG || g->type == GTS_DOUBLE; }

static double dval(const gts *g, size_t i) { return g->type == GTS_LONG ? (double)g->v.l[i] : g->v.d[i]; }

static bool add_d(exo_vm *vm, gts *r, const gts *g, size_t i, double d)
{
    return gts_add(vm, r, g->ticks[i], g->loc ? g->loc[i] : GTS_NO_LOCATION,
                   g->elev ? g->elev[i] : GTS_NO_ELEVATION, v_double(d));
}

/* ---- NORMALIZE family ---- */

enum { N_NORMALIZE, N_ISONORMALIZE, N_STANDARDIZE };

static bool normalize_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)ctx;
    int kind = (int)w->magic;
    if (!numeric(g) || !g->len) {
        gts *c = gts_clone(vm, g, true);
        if (!c)
            return false;
        *out = v_obj(T_GTS, c);
        return true;
    }
    double mn = INFINITY, mx = -INFINITY, sum = 0;
    size_t n = g->len;
    for (size_t i = 0; i < n; i++) {
        double v = dval(g, i);
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
        sum += v;
    }
    double mean = sum / (double)n, center = kind == N_NORMALIZE ? mn : mean, scale = mx - mn;
    if (kind == N_STANDARDIZE) { /* two passes: exact for exact data */
        double ss = 0;
        for (size_t i = 0; i < n; i++)
            ss += (dval(g, i) - mean) * (dval(g, i) - mean);
        scale = sqrt(n > 1 ? ss / ((double)n - 1.0) : ss / (double)n);
    }
    gts *r = gts_clone(vm, g, false);
    if (!r || !gts_reserve(vm, r, n))
        goto fail;
    for (size_t i = 0; i < n; i++)
        if (!add_d(vm, r, g, i, (dval(g, i) - center) / scale))
            goto fail;
    *out = v_obj(T_GTS, r);
    return true;
fail:
    if (r)
        val_release(vm, v_obj(T_GTS, r));
    return false;
}

static bool w_normalize(exo_vm *vm, const word *w)
{
    if (!gw_gts_or_list(vm, w, 1))
        return false;
    value r;
    return gw_map(vm, w, 1, normalize_one, NULL, &r) && gw_replace(vm, 1, r);
}

/* ---- MUSIGMA ---- */

/* The scale of BigDecimal.valueOf(d): digits after the point of Java's
 * Double.toString, corrected by the exponent of its E notation. */
static int java_scale(double d)
{
    char buf[NUMFMT_MAX];
    size_t n = fmt_double(d, buf);
    buf[n] = 0;
    char *dot = strchr(buf, '.'), *e = strchr(buf, 'E');
    if (!dot)
        return 0;
    int frac = (int)((e ? e : buf + n) - dot - 1);
    if (e) {
        /* d.dddE±x: unscaled digits, so scale = frac - x; "1.0E10" counts
         * its single trailing zero as Java does (unscaled 10, scale -9) */
        frac -= atoi(e + 1);
    }
    return frac;
}

/* Rounds x half up (away from zero on ties) to scale decimals. */
static long double round_scale(long double x, int scale)
{
    if (scale > 30 || scale < -30)
        return x;
    long double p = powl(10.0L, scale), y = x * p;
    y = y < 0 ? -floorl(-y + 0.5L) : floorl(y + 0.5L);
    return y / p;
}

static bool w_musigma(exo_vm *vm, const word *w)
{
    value b = *vm_peek(vm, 0);
    if (b.type != T_BOOLEAN)
        return vm_type_error(vm, w, 1, "a BOOLEAN (Bessel's correction)");
    gts *g = gw_gts_arg(vm, w, 2);
    if (!g || !vm_reserve(vm, 1))
        return false;
    if (!g->len)
        return vm_fail(vm, "%s can only compute mu and sigma for non empty series.", w->name);
    if (!numeric(g))
        return vm_fail(vm, "%s can only compute mu and sigma for numerical series.", w->name);
    size_t n = g->len;
    long double sum = 0, sumsq = 0;
    int s_sum = 1, s_sq = 0;
    for (size_t i = 0; i < n; i++) {
        double v = dval(g, i);
        int sc = java_scale(v);
        s_sum = sc > s_sum ? sc : s_sum;
        /* squares: LONG values are exact integers (scale 0) */
        int sq = g->type == GTS_LONG ? 0 : 2 * sc;
        s_sq = sq > s_sq ? sq : s_sq;
        sum += v;
        sumsq += (long double)v * v;
    }
    long double ln = (long double)n;
    double mu = (double)round_scale(sum / ln, s_sum);
    long double var = round_scale(sumsq / ln, s_sq) - round_scale(sum * sum / (ln * ln), 2 * s_sum);
    double variance = (double)var;
    if (b.as.b && n > 1)
        variance = variance * ((double)n / ((double)n - 1.0));
    vm_drop(vm, 2);
    vm_push(vm, v_double(mu));
    vm_push(vm, v_double(sqrt(variance)));
    return true;
}

/* ---- INTEGRATE, RESETS ---- */

/* INTEGRATE: values taken as rates per second; the running integral starts
 * at the initial value and adds rate(i-1) * dt(i) in seconds. */
static bool integrate_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    double acc = *(double *)ctx;
    gts *s = gts_clone(vm, g, true);
    gts *r = s ? gts_clone(vm, g, false) : NULL;
    if (!r || !gts_sort(vm, s, false))
        goto fail;
    if (numeric(s)) {
        for (size_t i = 0; i < s->len; i++) {
            if (i)
                acc += dval(s, i - 1) * ((double)(s->ticks[i] - s->ticks[i - 1]) / 1e6);
            if (!add_d(vm, r, s, i, acc))
                goto fail;
        }
    }
    val_release(vm, v_obj(T_GTS, s));
    *out = v_obj(T_GTS, r);
    return true;
fail:
    if (s)
        val_release(vm, v_obj(T_GTS, s));
    if (r)
        val_release(vm, v_obj(T_GTS, r));
    return false;
}

static bool w_integrate(exo_vm *vm, const word *w)
{
    value iv = *vm_peek(vm, 0);
    if (!val_is_number(iv))
        return vm_type_error(vm, w, 1, "a numeric initial value");
    if (!gw_gts_or_list(vm, w, 2))
        return false;
    double init = val_as_double(iv);
    value r;
    return gw_map(vm, w, 2, integrate_one, &init, &r) && gw_replace(vm, 2, r);
}

/* RESETS: a counter's resets compensated (sorted copy). With false (an
 * increasing counter) a reset is a value lower than the previous one, with
 * true (a decreasing counter) a higher one; from a reset on, the value before
 * it is added to the following values (GTSHelper.compensateResets). A
 * non-numeric GTS comes back as an unsorted copy. */
static bool resets_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    bool decreasing = *(bool *)ctx;
    gts *s = gts_clone(vm, g, true);
    if (!s || (numeric(s) && !gts_sort(vm, s, false))) {
        if (s)
            val_release(vm, v_obj(T_GTS, s));
        return false;
    }
    if (s->type == GTS_LONG) {
        uint64_t off = 0;
        int64_t prev = 0;
        for (size_t i = 0; i < s->len; i++) {
            int64_t v = s->v.l[i];
            if (i && (decreasing ? v > prev : v < prev))
                off += (uint64_t)prev;
            prev = v;
            s->v.l[i] = (int64_t)((uint64_t)v + off);
        }
    } else if (s->type == GTS_DOUBLE) {
        double off = 0, prev = 0;
        for (size_t i = 0; i < s->len; i++) {
            double v = s->v.d[i];
            if (i && (decreasing ? v > prev : v < prev))
                off += prev;
            prev = v;
            s->v.d[i] = v + off;
        }
    }
    *out = v_obj(T_GTS, s);
    return true;
}

static bool w_resets(exo_vm *vm, const word *w)
{
    value b = *vm_peek(vm, 0);
    if (b.type != T_BOOLEAN)
        return vm_type_error(vm, w, 1, "a BOOLEAN");
    if (!gw_gts_or_list(vm, w, 2))
        return false;
    bool decreasing = b.as.b;
    value r;
    return gw_map(vm, w, 2, resets_one, &decreasing, &r) && gw_replace(vm, 2, r);
}

/* BBOX: [minlat minlon maxlat maxlon] of the located points, as
 * GTSHelper.bbox: a GTS that never had a location gives the whole world
 * [-90 -180 90 180]; one whose points all lack a location keeps the
 * initial inverted box [90 180 -90 -180]. */
static bool bbox_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    (void)ctx;
    double box[4] = {-90.0, -180.0, 90.0, 180.0};
    if (g->loc) {
        box[0] = 90.0, box[1] = 180.0, box[2] = -90.0, box[3] = -180.0;
        for (size_t i = 0; i < g->len; i++) {
            if (g->loc[i] == GTS_NO_LOCATION)
                continue;
            double lat, lon;
            gts_unpack_location(g->loc[i], &lat, &lon);
            box[0] = lat < box[0] ? lat : box[0];
            box[2] = lat > box[2] ? lat : box[2];
            box[1] = lon < box[1] ? lon : box[1];
            box[3] = lon > box[3] ? lon : box[3];
        }
    }
    list *l = list_new(vm, 4);
    if (!l)
        return false;
    for (int i = 0; i < 4; i++)
        l->items[i] = v_double(box[i]);
    l->len = 4;
    *out = v_obj(T_LIST, l);
    return true;
}

static bool w_bbox(exo_vm *vm, const word *w)
{
    value r;
    return gw_gts_or_list(vm, w, 1) && gw_map(vm, w, 1, bbox_one, NULL, &r) && gw_replace(vm, 1, r);
}

/* ---- LR ---- */

/* Least squares y = alpha + beta * tick; pushes alpha then beta. */
static bool w_lr(exo_vm *vm, const word *w)
{
    gts *g = gw_gts_arg(vm, w, 1);
    if (!g || !vm_reserve(vm, 2))
        return false;
    if (!numeric(g))
        return vm_fail(vm, "%s can only be applied to numeric GTS.", w->name);
    if (g->len < 2)
        return vm_fail(vm, "%s needs at least two values.", w->name);
    size_t n = g->len;
    long double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += (long double)g->ticks[i];
        my += dval(g, i);
    }
    mx /= n;
    my /= n;
    long double sxy = 0, sxx = 0;
    for (size_t i = 0; i < n; i++) {
        long double dx = (long double)g->ticks[i] - mx, dy = dval(g, i) - my;
        sxy += dx * dy;
        sxx += dx * dx;
    }
    double beta = (double)(sxy / sxx), alpha = (double)(my - (long double)beta * mx);
    vm_drop(vm, 1);
    vm_push(vm, v_double(alpha));
    vm_push(vm, v_double(beta));
    return true;
}

/* ---- MONOTONIC ---- */

/* Java's String.compareTo sign: UTF-16 code unit order, which differs from
 * the code point order of UTF-8 bytes only between supplementary
 * characters (surrogates D800-DFFF) and U+E000..U+FFFF. */
static int java_str_cmp(const str *a, const str *b)
{
    size_t i = 0, j = 0;
    while (i < a->len && j < b->len) {
        size_t ua = 0, ub = 0;
        uint32_t x = utf8_decode(a->data + i, a->len - i, &ua), y = utf8_decode(b->data + j, b->len - j, &ub);
        i += ua ? ua : 1;
        j += ub ? ub : 1;
        if (x == y)
            continue;
        uint32_t kx = x >= 0x10000 ? 0xD800 + ((x - 0x10000) >> 10) : x;
        uint32_t ky = y >= 0x10000 ? 0xD800 + ((y - 0x10000) >> 10) : y;
        if ((x >= 0x10000) == (y >= 0x10000) || kx == ky)
            return x < y ? -1 : 1;
        return kx < ky ? -1 : 1;
    }
    return (i < a->len) - (j < b->len);
}

/* A copy whose values never decrease (or never increase): each value is
 * the max (min) of the values so far, as MONOTONIC.java ratchets them, for
 * every type (strings by String.compareTo, false < true). Locations and
 * elevations stay. The input is sorted in place first, as in Warp 10. */
static bool monotonic_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    bool dec = *(const bool *)ctx;
    if (!gts_sort(vm, g, false))
        return false;
    gts *r = gts_clone(vm, g, false);
    if (!r || !gts_reserve(vm, r, g->len))
        goto fail;
    int64_t l = dec ? INT64_MAX : INT64_MIN;
    double d = dec ? INFINITY : -INFINITY;
    bool b = dec;
    str *s = NULL; /* decreasing: none yet; increasing: "" until a longer one */
    for (size_t i = 0; i < g->len; i++) {
        value v;
        switch (g->type) {
        case GTS_LONG:
            if (dec ? g->v.l[i] < l : g->v.l[i] > l)
                l = g->v.l[i];
            v = v_long(l);
            break;
        case GTS_DOUBLE: /* NaN never compares: it is never taken */
            if (dec ? g->v.d[i] < d : g->v.d[i] > d)
                d = g->v.d[i];
            v = v_double(d);
            break;
        case GTS_BOOLEAN:
            if (dec ? !g->v.b[i] : g->v.b[i])
                b = g->v.b[i];
            v = v_bool(b);
            break;
        default: { /* STRING */
            str *x = g->v.s[i];
            if (dec ? !s || java_str_cmp(x, s) < 0 : (s ? java_str_cmp(x, s) > 0 : x->len > 0))
                s = x;
            v = v_obj(T_STRING, s ? s : x); /* no s yet (increasing): x is "" */
            break;
        }
        }
        if (!gts_add(vm, r, g->ticks[i], g->loc ? g->loc[i] : GTS_NO_LOCATION,
                     g->elev ? g->elev[i] : GTS_NO_ELEVATION, v))
            goto fail;
    }
    *out = v_obj(T_GTS, r);
    return true;
fail:
    if (r)
        val_release(vm, v_obj(T_GTS, r));
    return false;
}

static bool w_monotonic(exo_vm *vm, const word *w)
{
    value o = *vm_peek(vm, 0);
    if (o.type != T_BOOLEAN)
        return vm_fail(vm, "%s expects a boolean on top of the stack.", w->name);
    if (!gw_gts_or_list(vm, w, 2))
        return false;
    bool dec = o.as.b;
    value r;
    return gw_map(vm, w, 2, monotonic_one, &dec, &r) && gw_replace(vm, 2, r);
}

/* ---- VALUEHISTOGRAM ---- */

static bool histogram_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    (void)ctx;
    map *m = map_new(vm, 0);
    if (!m)
        return false;
    for (size_t i = 0; i < g->len; i++) {
        value v = gts_value_at(g, i);
        value *c = map_get(m, v);
        if (c) {
            c->as.l++;
            val_release(vm, v);
        } else if (!map_put(vm, m, v, v_long(1))) {
            val_release(vm, v_obj(T_MAP, m));
            return false;
        }
    }
    *out = v_obj(T_MAP, m);
    return true;
}

static bool w_valuehistogram(exo_vm *vm, const word *w)
{
    if (!gw_gts_or_list(vm, w, 1))
        return false;
    value r;
    return gw_map(vm, w, 1, histogram_one, NULL, &r) && gw_replace(vm, 1, r);
}

/* ---- PARTITION ---- */

/* [gts..] labels PARTITION -> { class labels: [gts..] } (the same GTS). */
static bool w_partition(exo_vm *vm, const word *w)
{
    value lab = *vm_peek(vm, 0);
    if (lab.type != T_LIST && lab.type != T_NULL)
        return vm_type_error(vm, w, 1, "a LIST of label names or NULL");
    if (lab.type == T_LIST)
        for (size_t i = 0; i < AS_LIST(lab)->len; i++)
            if (AS_LIST(lab)->items[i].type != T_STRING)
                return vm_fail(vm, "%s expects a LIST of STRING label names.", w->name);
    value in = *vm_peek(vm, 1);
    if (!gw_is_gts_list(in))
        return vm_type_error(vm, w, 2, "a LIST of GTS");
    list *l = AS_LIST(in);
    gts **series = vm_alloc(vm, (l->len ? l->len : 1) * sizeof(gts *));
    if (!series)
        return false;
    for (size_t i = 0; i < l->len; i++)
        series[i] = AS_GTS(l->items[i]);
    fw_partition part;
    bool built = partition_build(vm, series, l->len, lab.type == T_LIST ? AS_LIST(lab) : NULL, &part), ok = built;
    map *m = ok ? map_new(vm, part.nclasses) : NULL;
    ok = m != NULL;
    for (size_t c = 0; ok && c < part.nclasses; c++) {
        fw_class *k = &part.classes[c];
        list *members = list_new(vm, k->n);
        ok = members != NULL;
        for (size_t i = 0; ok && i < k->n; i++)
            list_push(vm, members, val_retain(v_obj(T_GTS, fw_member(k, i))));
        ok = ok && map_put(vm, m, val_retain(v_obj(T_MAP, k->labels)), v_obj(T_LIST, members));
    }
    if (built)
        partition_free(vm, &part);
    vm_dealloc(vm, series, (l->len ? l->len : 1) * sizeof(gts *));
    if (!ok) {
        if (m)
            val_release(vm, v_obj(T_MAP, m));
        return false;
    }
    return gw_replace(vm, 2, v_obj(T_MAP, m));
}

static const word gts_stats_words[] = {
    EXO_WORD_MAGIC("NORMALIZE", w_normalize, 1, "gts -- gts'", "Values scaled to (v - min) / (max - min), DOUBLE.",
                   N_NORMALIZE),
    EXO_WORD_MAGIC("ISONORMALIZE", w_normalize, 1, "gts -- gts'", "Values scaled to (v - mean) / (max - min), DOUBLE.",
                   N_ISONORMALIZE),
    EXO_WORD_MAGIC("STANDARDIZE", w_normalize, 1, "gts -- gts'",
                   "Values scaled to (v - mean) / standard deviation (Bessel-corrected), DOUBLE.", N_STANDARDIZE),
    EXO_WORD("BBOX", w_bbox, 1, "gts|[gts] -- [minlat minlon maxlat maxlon]", "Bounding box of the located points."),
    EXO_WORD("MUSIGMA", w_musigma, 2, "gts bessel -- mu sigma", "Mean and standard deviation of a numeric GTS."),
    EXO_WORD("INTEGRATE", w_integrate, 2, "gts initial -- gts'",
             "Running integral of values taken as rates per second, starting at initial."),
    EXO_WORD("LR", w_lr, 1, "gts -- alpha beta", "Least-squares line value = alpha + beta * tick."),
    EXO_WORD("RESETS", w_resets, 2, "gts decreasing -- gts'", "Compensates the resets of a counter, increasing (false) or decreasing (true); sorted copy."),
    EXO_WORD("MONOTONIC", w_monotonic, 2, "gts decreasing -- gts'",
             "Ratchets the values: each is the max (false) or min (true) of the values so far, by tick."),
    EXO_WORD("VALUEHISTOGRAM", w_valuehistogram, 1, "gts -- {value count}", "How many times each value occurs."),
    EXO_WORD("PARTITION", w_partition, 2, "[gts..] labels -- {labels [gts..]}",
             "Groups GTS by the values of labels (NULL = all labels)."),
};

EXO_FAMILY(gts_stats, gts_stats_words)
