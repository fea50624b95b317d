/* The aggregation kernels shared by bucketizer.X, mapper.X and reducer.X
 * (see aggregators.h for the window). Each kernel has a typed fast path
 * for the single-type windows of BUCKETIZE and MAP (tight loops over the
 * series' arrays, no allocation) and a general path over `value` slots for
 * REDUCE/APPLY, where members may differ in type; both follow Warp 10's
 * rules: the first value fixes the type, later ones are converted, ties go
 * to the earliest point, "latest" is the first point with the largest tick.
 * The end of the file holds the macro plumbing (MACROMAPPER's LIST
 * protocol, macro results) and the O(n) sliding forms used by MAP. */
#include "aggregators.h"
#include "../interp/alloc.h"
#include "../interp/numfmt.h"
#include "../interp/sbuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- helpers ---- */

static inline uint64_t jbits(double d) { return agg_jbits(d); }
static inline int jcmp_d(double a, double b) { return agg_jcmp_d(a, b); }

static inline int cmp_l(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

static int cmp_str(const str *a, const str *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->data, b->data, n);
    if (c)
        return c < 0 ? -1 : 1;
    return cmp_l((int64_t)a->len, (int64_t)b->len);
}

/* Java Number.longValue / doubleValue of a LONG or DOUBLE. */
static inline int64_t num_l(value v) { return v.type == T_LONG ? v.as.l : java_d2l(v.as.d); }
static inline double num_d(value v) { return v.type == T_LONG ? (double)v.as.l : v.as.d; }

static inline int64_t wadd(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static inline int64_t wsub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static inline int64_t wabs(int64_t a) { return a < 0 ? (int64_t)(0 - (uint64_t)a) : a; }
static inline int64_t wmul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

static bool not_numeric(exo_vm *vm, const function *f)
{
    return vm_fail(vm, "%s can only operate on LONG or DOUBLE values.", f->def->name);
}

static void no_value(agg_out *out)
{
    out->tick = INT64_MAX;
    out->loc = GTS_NO_LOCATION;
    out->elev = GTS_NO_ELEVATION;
    out->v = v_null();
}

/* Index of the first value with the largest tick (SIZE_MAX if none). */
static size_t latest(const agg_window *w)
{
    if (w->n == 0)
        return SIZE_MAX;
    if (w->mode == AGG_BUCKETIZE || w->mode == AGG_MAP) { /* sorted ascending */
        size_t i = w->n - 1;
        while (i > 0 && w->ticks[i - 1] == w->ticks[i])
            i--;
        return i;
    }
    size_t best = 0;
    for (size_t i = 1; i < w->n; i++)
        if (w->ticks[i] > w->ticks[best])
            best = i;
    return best;
}

static void at_latest(const agg_window *w, agg_out *out)
{
    size_t i = latest(w);
    if (i != SIZE_MAX) {
        out->loc = aw_loc(w, i);
        out->elev = aw_elev(w, i);
    }
}

/* Centroid of the locations and mean of the elevations (Mean's rules). */
static void centroid(const agg_window *w, agg_out *out)
{
    if (w->loc) {
        int64_t la = 0, lo = 0, c = 0;
        for (size_t i = 0; i < w->n; i++)
            if (w->loc[i] != GTS_NO_LOCATION) {
                int64_t a, o;
                gts_location_cells(w->loc[i], &a, &o);
                la += a;
                lo += o;
                c++;
            }
        if (c)
            out->loc = gts_location_of_cells(la / c, lo / c);
    }
    if (w->elev) {
        int64_t e = 0, c = 0;
        for (size_t i = 0; i < w->n; i++)
            if (w->elev[i] != GTS_NO_ELEVATION) {
                e = wadd(e, w->elev[i]);
                c++;
            }
        if (c)
            out->elev = e / c;
    }
}

void agg_to_string(sbuf *b, value v)
{
    char buf[NUMFMT_MAX];
    switch (v.type) {
    case T_LONG:
        sb_put(b, buf, fmt_long(v.as.l, buf));
        break;
    case T_DOUBLE:
        sb_put(b, buf, fmt_double(v.as.d, buf));
        break;
    case T_BOOLEAN:
        sb_puts(b, v.as.b ? "true" : "false");
        break;
    case T_STRING:
    case T_BYTES:
        sb_put(b, AS_STR(v)->data, AS_STR(v)->len);
        break;
    default:
        sb_puts(b, "null");
    }
}

bool agg_new_string(exo_vm *vm, sbuf *b, value *out)
{
    if (b->failed)
        return vm_oom(vm);
    if (b->len > vm->limits.maxstring)
        return vm_limit(vm, "String size would exceed the maximum of %llu.", (unsigned long long)vm->limits.maxstring);
    *out = str_new(vm, b->p ? b->p : "", b->len);
    return !val_is_oom(*out);
}

/* ---- sum / mean ---- */

bool agg_sum(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    if (aw_slots(w) == 0) {
        no_value(out);
        return true;
    }
    out->tick = 0;
    at_latest(w, out);
    if (w->nulls && !(f->def->flags & AGGF_SKIP_NULLS))
        return true;
    size_t n = w->n;
    switch (w->type) {
    case GTS_LONG: {
        uint64_t s = 0;
        for (size_t i = 0; i < n; i++)
            s += (uint64_t)w->v.l[i];
        out->v = v_long((int64_t)s);
        return true;
    }
    case GTS_DOUBLE: {
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += w->v.d[i];
        out->v = v_double(s);
        return true;
    }
    case GTS_BOOLEAN:
    case GTS_STRING:
        no_value(out);
        return true;
    default:
        break;
    }
    if (n == 0)
        return true;
    value first = w->vals[0];
    if (first.type == T_LONG) {
        int64_t s = 0;
        for (size_t i = 0; i < n; i++) {
            if (!val_is_number(w->vals[i]))
                return not_numeric(vm, f);
            s = wadd(s, num_l(w->vals[i]));
        }
        out->v = v_long(s);
    } else if (first.type == T_DOUBLE) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++) {
            if (!val_is_number(w->vals[i]))
                return not_numeric(vm, f);
            s += num_d(w->vals[i]);
        }
        out->v = v_double(s);
    } else {
        no_value(out);
    }
    return true;
}

bool agg_mean(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    size_t slots = aw_slots(w);
    if (slots == 0 || (w->nulls && !(f->def->flags & AGGF_SKIP_NULLS))) {
        no_value(out);
        return true;
    }
    size_t n = w->n;
    /* Java's tick: ticks[0] + sum(ticks[i] - ticks[0]) / slots, where slot
     * 0 may be a null slot (tick MINLONG) */
    int64_t base = (w->slot && w->slot[0] != 0) ? INT64_MIN : w->ticks[0];
    int64_t ts = 0;
    for (size_t i = 0; i < n; i++)
        ts = wadd(ts, wsub(w->ticks[i], base));
    out->tick = wadd(base, ts / (int64_t)slots);
    centroid(w, out);
    switch (w->type) {
    case GTS_LONG: {
        uint64_t s = 0;
        for (size_t i = 0; i < n; i++)
            s += (uint64_t)w->v.l[i];
        out->v = v_double((double)(int64_t)s / (double)n);
        return true;
    }
    case GTS_DOUBLE: {
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += w->v.d[i];
        out->v = v_double(s / (double)n);
        return true;
    }
    case GTS_BOOLEAN:
    case GTS_STRING:
        no_value(out);
        return true;
    default:
        break;
    }
    value first = w->vals[0];
    if (first.type == T_LONG) {
        int64_t s = 0;
        for (size_t i = 0; i < n; i++) {
            if (!val_is_number(w->vals[i]))
                return not_numeric(vm, f);
            s = wadd(s, num_l(w->vals[i]));
        }
        out->v = v_double((double)s / (double)n);
    } else if (first.type == T_DOUBLE) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++) {
            if (!val_is_number(w->vals[i]))
                return not_numeric(vm, f);
            s += num_d(w->vals[i]);
        }
        out->v = v_double(s / (double)n);
    } else {
        no_value(out);
    }
    return true;
}

/* ---- min / max ---- */

/* Compares value v with the current extreme e of the kind fixed by the
 * first value (Warp 10's Min/Max: later values are read in that kind). */
static int cmp_kind(value e, value v)
{
    switch (e.type) {
    case T_LONG:
        return cmp_l(e.as.l, num_l(v));
    case T_DOUBLE:
        return jcmp_d(e.as.d, num_d(v));
    default:
        return 0;
    }
}

static bool minmax(exo_vm *vm, const function *f, const agg_window *w, agg_out *out, int sign)
{
    size_t n = w->n;
    if (aw_slots(w) == 0 || n == 0) {
        no_value(out);
        return true;
    }
    size_t idx = 0;
    switch (w->type) {
    case GTS_LONG:
        for (size_t i = 1; i < n; i++)
            if (sign * cmp_l(w->v.l[i], w->v.l[idx]) > 0 || (w->v.l[i] == w->v.l[idx] && w->ticks[i] < w->ticks[idx]))
                idx = i;
        break;
    case GTS_DOUBLE:
        for (size_t i = 1; i < n; i++) {
            int c = jcmp_d(w->v.d[i], w->v.d[idx]);
            if (sign * c > 0 || (c == 0 && w->ticks[i] < w->ticks[idx]))
                idx = i;
        }
        break;
    case GTS_STRING:
        for (size_t i = 1; i < n; i++) {
            int c = cmp_str(w->v.s[i], w->v.s[idx]);
            if (sign * c > 0 || (c == 0 && w->ticks[i] < w->ticks[idx]))
                idx = i;
        }
        break;
    case GTS_BOOLEAN:
        for (size_t i = 1; i < n; i++)
            if ((w->v.b[i] != 0) == (sign > 0))
                idx = i;
        break;
    default:
        break;
    }
    value result;
    if (w->type != GTS_UNDEFINED) {
        result = aw_value(w, idx);
        val_retain(result);
    } else {
        /* mixed slots: the kind of the first value decides */
        value e = w->vals[0];
        bool is_num = val_is_number(e);
        sbuf sb;
        sb_init(&sb, vm);
        if (e.type == T_STRING)
            sb_put(&sb, AS_STR(e)->data, AS_STR(e)->len);
        for (size_t i = 1; i < n; i++) {
            value v = w->vals[i];
            int c;
            if (is_num) {
                if (!val_is_number(v)) {
                    sb_free(&sb);
                    return vm_fail(vm, "%s cannot compare non numeric values to numeric ones.", f->def->name);
                }
                c = -cmp_kind(e, v);
                if (sign * c > 0 || (c == 0 && w->ticks[i] < w->ticks[idx])) {
                    idx = i;
                    e = e.type == T_LONG ? v_long(num_l(v)) : v_double(num_d(v));
                }
            } else if (e.type == T_BOOLEAN) {
                if (v.type == T_BOOLEAN && v.as.b == (sign > 0)) {
                    idx = i;
                    e = v;
                }
            } else { /* STRING: toString comparison */
                sbuf t;
                sb_init(&t, vm);
                agg_to_string(&t, v);
                size_t m = t.len < sb.len ? t.len : sb.len;
                int d = memcmp(t.p ? t.p : "", sb.p ? sb.p : "", m);
                c = d ? (d < 0 ? -1 : 1) : cmp_l((int64_t)t.len, (int64_t)sb.len);
                if (sign * c > 0 || (c == 0 && w->ticks[i] < w->ticks[idx])) {
                    idx = i;
                    sb.len = 0;
                    sb_put(&sb, t.p ? t.p : "", t.len);
                }
                sb_free(&t);
            }
        }
        if (e.type == T_STRING && idx != 0) {
            bool ok = agg_new_string(vm, &sb, &result);
            sb_free(&sb);
            if (!ok)
                return false;
        } else {
            sb_free(&sb);
            result = val_retain(e);
        }
    }
    out->tick = w->ticks[idx];
    out->loc = aw_loc(w, idx);
    out->elev = aw_elev(w, idx);
    if (w->nulls && !(f->def->flags & AGGF_SKIP_NULLS)) {
        val_release(vm, result);
        return true;
    }
    out->v = result;
    return true;
}

bool agg_min(exo_vm *vm, const function *f, const agg_window *w, agg_out *out) { return minmax(vm, f, w, out, -1); }
bool agg_max(exo_vm *vm, const function *f, const agg_window *w, agg_out *out) { return minmax(vm, f, w, out, 1); }

/* ---- first / last / count / and / or ---- */

static bool pick(const agg_window *w, agg_out *out, size_t idx)
{
    out->tick = w->ticks[idx];
    out->loc = aw_loc(w, idx);
    out->elev = aw_elev(w, idx);
    out->v = val_retain(aw_value(w, idx));
    return true;
}

bool agg_first(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm;
    (void)f;
    if (w->n == 0) {
        no_value(out);
        return true;
    }
    size_t idx = 0;
    for (size_t i = 1; i < w->n; i++)
        if (w->ticks[i] < w->ticks[idx])
            idx = i;
    return pick(w, out, idx);
}

bool agg_last(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm;
    (void)f;
    if (w->n == 0) {
        no_value(out);
        return true;
    }
    return pick(w, out, latest(w));
}

bool agg_count(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm;
    if (aw_slots(w) == 0) {
        no_value(out);
        return true;
    }
    at_latest(w, out);
    out->v = v_long((int64_t)((f->def->flags & AGGF_SKIP_NULLS) ? w->n : aw_slots(w)));
    return true;
}

static bool andor(const function *f, const agg_window *w, agg_out *out, bool is_and)
{
    if (aw_slots(w) == 0 || (w->nulls && !(f->def->flags & AGGF_SKIP_NULLS))) {
        no_value(out);
        return true;
    }
    bool r = is_and;
    for (size_t i = 0; i < w->n; i++) {
        value v = aw_value(w, i);
        bool t = v.type == T_BOOLEAN && v.as.b;
        if (is_and ? !t : t) {
            r = !is_and;
            break;
        }
    }
    at_latest(w, out);
    out->v = v_bool(r);
    return true;
}

bool agg_and(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm;
    return andor(f, w, out, true);
}

bool agg_or(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm;
    return andor(f, w, out, false);
}

/* ---- join ---- */

static void url_encode(sbuf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
            c == '*' || c == '_') {
            sb_putc(b, (char)c);
        } else {
            char t[3] = {'%', hex[c >> 4], hex[c & 15]};
            sb_put(b, t, 3);
        }
    }
}

void agg_url_encode(sbuf *b, const char *s, size_t len) { url_encode(b, s, len); }

bool agg_join(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    size_t slots = aw_slots(w);
    if (slots == 0) {
        no_value(out);
        return true;
    }
    out->tick = 0;
    at_latest(w, out);
    bool urlenc = (f->def->flags & AGGF_URLENCODE) != 0;
    if (w->nulls && !(f->def->flags & AGGF_SKIP_NULLS))
        return true;
    const str *sep = AS_STR(f->params[0]);
    sbuf b;
    sb_init(&b, vm);
    /* a null slot still counts as "not first" (Warp 10's Join), so a
     * separator follows it; urlencoded joins write nulls as "" */
    size_t k = 0;
    for (size_t s = 0; s < slots; s++) {
        bool present = k < w->n && aw_slot(w, k) == s;
        if (s > 0 && (present || urlenc))
            sb_put(&b, sep->data, sep->len);
        if (!present)
            continue;
        value v = aw_value(w, k++);
        if (urlenc) {
            sbuf t;
            sb_init(&t, vm);
            agg_to_string(&t, v);
            url_encode(&b, t.p ? t.p : "", t.len);
            if (t.failed)
                b.failed = true;
            sb_free(&t);
        } else {
            agg_to_string(&b, v);
        }
        if (b.len > vm->limits.maxstring)
            break;
    }
    bool ok = agg_new_string(vm, &b, &out->v);
    sb_free(&b);
    return ok;
}

/* ---- order statistics: median, mad, percentile ---- */

typedef struct sort_ctx {
    const agg_window *w;
} sort_ctx;

/* Numeric comparison of two present values (Warp 10's EQ.compare). */
static int num_cmp(value a, value b)
{
    if (a.type == T_LONG && b.type == T_LONG)
        return cmp_l(a.as.l, b.as.l);
    return jcmp_d(num_d(a), num_d(b));
}

/* Stable merge sort of value indices by numeric value. */
static void msort_idx(uint32_t *a, uint32_t *tmp, size_t n, const agg_window *w)
{
    if (n < 2)
        return;
    if (n <= 16) { /* insertion sort: stable */
        for (size_t i = 1; i < n; i++) {
            uint32_t x = a[i];
            size_t j = i;
            while (j > 0 && num_cmp(aw_value(w, a[j - 1]), aw_value(w, x)) > 0) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    msort_idx(a, tmp, h, w);
    msort_idx(a + h, tmp, n - h, w);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = num_cmp(aw_value(w, a[j]), aw_value(w, a[i])) < 0 ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof(uint32_t));
}

/* The present values' indices sorted by value; checks they are numbers. */
static bool sorted_indices(exo_vm *vm, const function *f, const agg_window *w, uint32_t **out)
{
    size_t n = w->n;
    if (w->type == GTS_BOOLEAN || w->type == GTS_STRING)
        return vm_fail(vm, "%s can only operate on numeric Geo Time Series.", f->def->name);
    if (w->type == GTS_UNDEFINED)
        for (size_t i = 0; i < n; i++)
            if (!val_is_number(w->vals[i]))
                return vm_fail(vm, "%s can only operate on numeric Geo Time Series.", f->def->name);
    if (n > UINT32_MAX)
        return vm_limit(vm, "%s: too many values.", f->def->name);
    uint32_t *a = vm_alloc(vm, 2 * n * sizeof(uint32_t) + 1);
    if (!a)
        return false;
    for (size_t i = 0; i < n; i++)
        a[i] = (uint32_t)i;
    msort_idx(a, a + n, n, w);
    *out = a;
    return true;
}

static void free_indices(exo_vm *vm, uint32_t *a, size_t n) { vm_dealloc(vm, a, 2 * n * sizeof(uint32_t) + 1); }

bool agg_median(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    if (w->nulls && (f->def->flags & AGGF_FAIL_NULLS))
        return vm_fail(vm, "%s cannot compute median of null values.", f->def->name);
    size_t n = w->n;
    if (n == 0) {
        no_value(out);
        return true;
    }
    uint32_t *ix;
    if (!sorted_indices(vm, f, w, &ix))
        return false;
    if (n % 2 == 1) {
        uint32_t m = ix[n / 2];
        out->loc = aw_loc(w, m);
        out->elev = aw_elev(w, m);
        out->v = v_double(num_d(aw_value(w, m)));
    } else {
        uint32_t lo = ix[n / 2 - 1], hi = ix[n / 2];
        out->v = v_double((num_d(aw_value(w, lo)) + num_d(aw_value(w, hi))) / 2.0);
        int64_t el = aw_elev(w, lo), eh = aw_elev(w, hi);
        if (el != GTS_NO_ELEVATION && eh != GTS_NO_ELEVATION)
            out->elev = wadd(el, eh) / 2;
        else
            out->elev = el != GTS_NO_ELEVATION ? el : eh;
        int64_t ll = aw_loc(w, lo), lh = aw_loc(w, hi);
        if (ll != GTS_NO_LOCATION && lh != GTS_NO_LOCATION) {
            int64_t a1, o1, a2, o2;
            gts_location_cells(ll, &a1, &o1);
            gts_location_cells(lh, &a2, &o2);
            out->loc = gts_location_of_cells((a1 + a2) / 2, (o1 + o2) / 2);
        } else {
            out->loc = ll != GTS_NO_LOCATION ? ll : lh;
        }
    }
    free_indices(vm, ix, n);
    return true;
}

/* Java's Arrays.binarySearch on a sorted long array. */
static int64_t jbsearch(const int64_t *a, size_t n, int64_t key)
{
    int64_t lo = 0, hi = (int64_t)n - 1;
    while (lo <= hi) {
        int64_t mid = (int64_t)((uint64_t)(lo + hi) >> 1);
        if (a[mid] < key)
            lo = mid + 1;
        else if (a[mid] > key)
            hi = mid - 1;
        else
            return mid;
    }
    return -1;
}

static int cmp_i64(const void *a, const void *b) { return cmp_l(*(const int64_t *)a, *(const int64_t *)b); }

/* MAD's median of all slots' locations / elevations, sentinel quirks kept. */
static int64_t median_of(int64_t *a, size_t n, int64_t none, bool is_loc)
{
    qsort(a, n, sizeof(int64_t), cmp_i64);
    if (a[0] == a[n - 1])
        return a[0];
    int64_t idx = jbsearch(a, n, none);
    size_t len = n;
    if (idx >= 0) {
        size_t i = (size_t)idx + 1;
        while (i < n && a[i] == none)
            i++;
        if (i < n) {
            memmove(a + idx, a + i, (n - i) * sizeof(int64_t));
            len -= i - (size_t)idx;
        }
    }
    if (len % 2 == 0) {
        if (!is_loc)
            return wadd(a[len / 2], a[len / 2 - 1]) / 2;
        double la1, lo1, la2, lo2;
        gts_unpack_location(a[len / 2], &la1, &lo1);
        gts_unpack_location(a[len / 2 - 1], &la2, &lo2);
        return gts_pack_location((la1 + la2) / 2.0, (lo1 + lo2) / 2.0);
    }
    return a[len / 2];
}

/* Median as MAD computes it: the type of the values is kept. */
static value typed_median(const value *v, size_t n)
{
    if (n == 0)
        return v_null();
    bool eq = v[0].type == T_LONG ? v[0].as.l == v[n - 1].as.l : jbits(v[0].as.d) == jbits(v[n - 1].as.d);
    if (eq)
        return v[0];
    if (n % 2 == 1)
        return v[n / 2];
    value lo = v[n / 2 - 1], hi = v[n / 2];
    if (lo.type == T_LONG)
        return v_long(wadd(lo.as.l, hi.as.l) / 2);
    return v_double((lo.as.d + hi.as.d) / 2.0);
}

static int cmp_vals(const void *a, const void *b)
{
    value x = *(const value *)a, y = *(const value *)b;
    return x.type == T_LONG ? cmp_l(x.as.l, y.as.l) : jcmp_d(x.as.d, y.as.d);
}

bool agg_mad(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    size_t n = w->n, slots = aw_slots(w);
    if (slots == 0) {
        no_value(out);
        return true;
    }
    if (w->type == GTS_BOOLEAN || w->type == GTS_STRING)
        return vm_fail(vm, "%s can only operate on numeric Geo Time Series.", f->def->name);
    for (size_t i = 0; i < n; i++) {
        value v = aw_value(w, i);
        if (!val_is_number(v) || v.type != aw_value(w, 0).type)
            return vm_fail(vm, "%s can only operate on numeric Geo Time Series of one type.", f->def->name);
    }
    size_t bytes = slots * sizeof(int64_t) + 2 * n * sizeof(value) + 1;
    char *mem = vm_alloc(vm, bytes);
    if (!mem)
        return false;
    int64_t *le = (int64_t *)mem;
    value *vals = (value *)(mem + slots * sizeof(int64_t)), *res = vals + n;
    for (size_t i = 0; i < slots; i++)
        le[i] = GTS_NO_LOCATION;
    for (size_t i = 0; i < n; i++)
        le[aw_slot(w, i)] = aw_loc(w, i);
    out->loc = median_of(le, slots, GTS_NO_LOCATION, true);
    for (size_t i = 0; i < slots; i++)
        le[i] = GTS_NO_ELEVATION;
    for (size_t i = 0; i < n; i++)
        le[aw_slot(w, i)] = aw_elev(w, i);
    out->elev = median_of(le, slots, GTS_NO_ELEVATION, false);
    for (size_t i = 0; i < n; i++)
        vals[i] = aw_value(w, i);
    qsort(vals, n, sizeof(value), cmp_vals);
    value med = typed_median(vals, n);
    if (med.type != T_NULL) {
        for (size_t i = 0; i < n; i++)
            res[i] = med.type == T_LONG ? v_long(wabs(wsub(med.as.l, vals[i].as.l)))
                                        : v_double(fabs(med.as.d - vals[i].as.d));
        qsort(res, n, sizeof(value), cmp_vals);
        out->v = typed_median(res, n);
    }
    vm_dealloc(vm, mem, bytes);
    return true;
}

static bool pct_point(const agg_window *w, uint32_t i, agg_out *out, bool as_double)
{
    out->tick = w->ticks[i];
    out->loc = aw_loc(w, i);
    out->elev = aw_elev(w, i);
    value v = aw_value(w, i);
    out->v = as_double ? v_double(num_d(v)) : v;
    return true;
}

#define PCT_EPSILON 0.000001

static void pct_interpolate(const agg_window *w, const uint32_t *ix, size_t n, int64_t j, double gamma, agg_out *out)
{
    if (j < 0) {
        pct_point(w, ix[0], out, true);
        return;
    }
    if (j >= (int64_t)n - 1) {
        pct_point(w, ix[n - 1], out, true);
        return;
    }
    if (fabs(gamma) < PCT_EPSILON) {
        pct_point(w, ix[j], out, true);
        return;
    }
    if (fabs(gamma - 1) < PCT_EPSILON) {
        pct_point(w, ix[j + 1], out, true);
        return;
    }
    uint32_t a = ix[j], b = ix[j + 1];
    out->tick = (int64_t)llround((1 - gamma) * (double)w->ticks[a] + gamma * (double)w->ticks[b]);
    int64_t la = aw_loc(w, a), lb = aw_loc(w, b);
    if (la == GTS_NO_LOCATION || lb == GTS_NO_LOCATION) {
        out->loc = la == GTS_NO_LOCATION ? lb : la;
    } else {
        double a1, o1, a2, o2;
        gts_unpack_location(la, &a1, &o1);
        gts_unpack_location(lb, &a2, &o2);
        out->loc = gts_pack_location((1 - gamma) * a1 + gamma * a2, (1 - gamma) * o1 + gamma * o2);
    }
    int64_t ea = aw_elev(w, a), eb = aw_elev(w, b);
    if (ea == GTS_NO_ELEVATION || eb == GTS_NO_ELEVATION)
        out->elev = ea == GTS_NO_ELEVATION ? eb : ea;
    else
        out->elev = (int64_t)llround((1 - gamma) * (double)ea + gamma * (double)eb);
    out->v = v_double((1 - gamma) * num_d(aw_value(w, a)) + gamma * num_d(aw_value(w, b)));
}

bool agg_percentile(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    if (aw_slots(w) == 0) {
        no_value(out);
        return true;
    }
    if (w->nulls && (f->def->flags & AGGF_FAIL_NULLS))
        return vm_fail(vm, "%s cannot compute percentile of null values.", f->def->name);
    size_t n = w->n;
    if (n == 0) {
        out->tick = 0;
        return true;
    }
    uint32_t *ix;
    if (!sorted_indices(vm, f, w, &ix))
        return false;
    int type = (int)f->il;
    double p = f->dl / 100.0, pn = p * (double)n;
    if (type == 1) {
        int64_t j = (int64_t)ceil(pn);
        if (j > 0)
            j--;
        pct_point(w, ix[j], out, false);
    } else if (type == 2) {
        int64_t j = (int64_t)floor(pn);
        double g = pn - (double)j;
        pct_interpolate(w, ix, n, j - 1, fabs(g) < PCT_EPSILON ? 0.5 : 1.0, out);
    } else if (type == 3) {
        int64_t j = (int64_t)floor(pn - 0.5);
        double g = pn - 0.5 - (double)j;
        int64_t gamma = (fabs(g) < PCT_EPSILON && j % 2 == 0) ? 0 : 1;
        if (j + gamma > 0)
            j--;
        pct_point(w, ix[j + gamma], out, false);
    } else {
        double m = type == 4 ? 0.0 : type == 5 ? 0.5 : type == 6 ? p : type == 7 ? 1 - p : type == 8 ? (p + 1) / 3.0
                                                                                                     : p / 4.0 + 3.0 / 8.0;
        int64_t j = (int64_t)floor(pn + m);
        pct_interpolate(w, ix, n, j - 1, pn + m - (double)j, out);
    }
    val_retain(out->v);
    free_indices(vm, ix, n);
    return true;
}

/* ---- rms / var / sd / circular mean / product ---- */

/* Checks the first present value is a number (else: no value) and the
 * others too (else: error, Java's cast failure). */
static int numeric_window(exo_vm *vm, const function *f, const agg_window *w)
{
    if (w->type == GTS_LONG || w->type == GTS_DOUBLE)
        return 1;
    if (w->type == GTS_BOOLEAN || w->type == GTS_STRING || w->n == 0 || !val_is_number(w->vals[0]))
        return 0;
    for (size_t i = 1; i < w->n; i++)
        if (!val_is_number(w->vals[i])) {
            not_numeric(vm, f);
            return -1;
        }
    return 1;
}

static inline double dval(const agg_window *w, size_t i)
{
    switch (w->type) {
    case GTS_LONG:
        return (double)w->v.l[i];
    case GTS_DOUBLE:
        return w->v.d[i];
    default:
        return num_d(w->vals[i]);
    }
}

bool agg_rms(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    if (aw_slots(w) == 0 || w->n == 0 || (w->nulls && !(f->def->flags & AGGF_SKIP_NULLS))) {
        no_value(out);
        return true;
    }
    int ok = numeric_window(vm, f, w);
    if (ok <= 0) {
        no_value(out);
        return ok == 0;
    }
    double sq = 0.0;
    for (size_t i = 0; i < w->n; i++) {
        double x = dval(w, i);
        sq += x * x;
    }
    double r = sqrt(sq / (double)w->n);
    at_latest(w, out);
    bool is_long = w->type == GTS_LONG || (w->type == GTS_UNDEFINED && w->vals[0].type == T_LONG);
    out->v = is_long ? v_long(java_d2l(r)) : v_double(r);
    return true;
}

bool agg_var(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    if (aw_slots(w) == 0 || (w->nulls && !(f->def->flags & AGGF_SKIP_NULLS))) {
        no_value(out);
        return true;
    }
    int ok = numeric_window(vm, f, w);
    if (ok <= 0) {
        no_value(out);
        return ok == 0;
    }
    bool bessel = f->params[0].type == T_BOOLEAN && f->params[0].as.b;
    size_t n = w->n;
    double var;
    if (f->def->flags & AGGF_WELFORD) {
        /* indexes are slot positions, as Warp 10's VarianceWelford uses them */
        double m = 0.0, s = 0.0;
        for (size_t k = 0; k < n; k++) {
            double x = dval(w, k);
            uint32_t i = aw_slot(w, k);
            if (i == 0) {
                m = x;
                s = 0.0;
            } else {
                double mn = m + (x - m) / (double)(i + 1);
                s = s + (x - m) * (x - mn);
                m = mn;
            }
        }
        var = (n > 1 && bessel) ? s / (double)(n - 1) : s / (double)n;
    } else {
        double sum = 0.0, sumsq = 0.0;
        for (size_t i = 0; i < n; i++) {
            double x = dval(w, i);
            sum += x;
            sumsq += x * x;
        }
        double dn = (double)n;
        var = sumsq / dn - (sum * sum) / (dn * dn);
        if (n > 1 && bessel)
            var = var * dn / (dn - 1.0);
    }
    out->tick = 0;
    at_latest(w, out);
    out->v = v_double((f->def->flags & AGGF_SD) ? sqrt(var) : var);
    return true;
}

bool agg_circular_mean(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    if (aw_slots(w) == 0 || (w->nulls && !(f->def->flags & AGGF_SKIP_NULLS))) {
        no_value(out);
        return true;
    }
    int ok = numeric_window(vm, f, w);
    if (ok <= 0) {
        no_value(out);
        return ok == 0;
    }
    double period = f->dl, ss = 0.0, cs = 0.0;
    for (size_t i = 0; i < w->n; i++) {
        double v = M_PI * 2.0 * (dval(w, i) / period);
        ss += sin(v);
        cs += cos(v);
    }
    double r = w->n == 0 ? NAN : atan2(ss, cs);
    if (!isnan(r))
        r = r * period / (2.0 * M_PI);
    out->tick = 0;
    centroid(w, out);
    out->v = v_double(r);
    return true;
}

bool agg_product(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    if (aw_slots(w) == 0) {
        no_value(out);
        return true;
    }
    bool is_double = false;
    int64_t pl = 1;
    double pd = 1.0;
    for (size_t i = 0; i < w->n; i++) {
        value v = aw_value(w, i);
        if (!val_is_number(v))
            return vm_fail(vm, "%s can only be applied to LONG or DOUBLE values.", f->def->name);
        if (v.type == T_DOUBLE && !is_double) {
            is_double = true;
            pd = (double)pl;
        }
        if (is_double)
            pd *= num_d(v);
        else
            pl = wmul(pl, v.as.l);
    }
    /* location of the current tick's point (MAP) or of slot 0 (REDUCE) */
    int64_t ti = w->mode == AGG_MAP ? w->tickidx : 0;
    if (ti >= 0 && (size_t)ti < w->n && aw_slot(w, (size_t)ti) == (uint32_t)ti) {
        out->loc = aw_loc(w, (size_t)ti);
        out->elev = aw_elev(w, (size_t)ti);
    }
    out->v = is_double ? v_double(pd) : v_long(pl);
    return true;
}

/* ---- delta / rate ---- */

static bool first_last(const agg_window *w, size_t *fi, size_t *li)
{
    if (w->n == 0)
        return false;
    size_t a = 0, b = 0;
    for (size_t i = 1; i < w->n; i++) {
        if (w->ticks[i] < w->ticks[a])
            a = i;
        if (w->ticks[i] > w->ticks[b])
            b = i;
    }
    *fi = a;
    *li = b;
    return true;
}

static bool delta_rate(exo_vm *vm, const function *f, const agg_window *w, agg_out *out, bool rate)
{
    size_t a, b;
    if (!first_last(w, &a, &b)) {
        no_value(out);
        return true;
    }
    value va = aw_value(w, a), vb = aw_value(w, b);
    if (!val_is_number(vb)) {
        no_value(out);
        return true;
    }
    if (!val_is_number(va))
        return not_numeric(vm, f);
    int64_t ta = w->ticks[a], tb = w->ticks[b];
    out->tick = wsub(tb, ta);
    out->loc = aw_loc(w, b);
    out->elev = aw_elev(w, b);
    if (vb.type == T_LONG) {
        int64_t d = wsub(vb.as.l, num_l(va));
        if (!rate)
            out->v = v_long(d);
        else if (d == 0 || ta == tb)
            out->v = v_double((double)d);
        else
            out->v = v_double((double)d / ((double)wsub(tb, ta) / 1000000.0));
    } else {
        double d = vb.as.d - num_d(va);
        if (!rate || d == 0.0 || ta == tb)
            out->v = v_double(d);
        else
            out->v = v_double(d / ((double)wsub(tb, ta) / 1000000.0));
    }
    return true;
}

bool agg_delta(exo_vm *vm, const function *f, const agg_window *w, agg_out *out) { return delta_rate(vm, f, w, out, false); }
bool agg_rate(exo_vm *vm, const function *f, const agg_window *w, agg_out *out) { return delta_rate(vm, f, w, out, true); }

/* ---- running a FUNCTION ---- */

bool agg_apply(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    out->tick = w->tick;
    out->loc = GTS_NO_LOCATION;
    out->elev = GTS_NO_ELEVATION;
    out->v = v_null();
    out->named = NULL;
    if (!f->def->kernel.agg(vm, f, w, out)) {
        val_release(vm, out->v);
        out->v = v_null();
        if (out->named)
            val_release(vm, v_obj(T_MAP, out->named));
        out->named = NULL;
        return false;
    }
    return true;
}

/* STRICTMAPPER / STRICTREDUCER: the wrapped function runs only when the
 * window's size (count > 0) or time span (-duration) is in range. */
bool agg_strict(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    int64_t min = f->params[1].as.l, max = f->params[2].as.l;
    int64_t count = (int64_t)(w->mode == AGG_REDUCE ? w->n : aw_slots(w));
    int64_t span = 0;
    if (w->n) {
        int64_t lo = w->ticks[0], hi = w->ticks[0];
        for (size_t i = 1; i < w->n; i++) {
            lo = w->ticks[i] < lo ? w->ticks[i] : lo;
            hi = w->ticks[i] > hi ? w->ticks[i] : hi;
        }
        span = wadd(wsub(hi, lo), 1);
    }
    if ((min > 0 && count < min) || (max > 0 && count > max) || (min < 0 && span < -min) || (max < 0 && span > -max))
        return true;
    return agg_apply(vm, AS_FN(f->params[0]), w, out);
}

/* ---- macro results ---- */

static bool lnum(exo_vm *vm, const char *who, value v, bool *ok)
{
    if (!val_is_number(v)) {
        *ok = false;
        return vm_fail(vm, "%s expects the macro's result list to hold numbers before the value, got %s.", who,
                       val_type_name(v));
    }
    return true;
}

bool agg_list_result(exo_vm *vm, const char *who, const list *l, agg_out *out)
{
    size_t n = l->len;
    const value *a = l->items;
    bool ok = true;
    out->loc = GTS_NO_LOCATION;
    out->elev = GTS_NO_ELEVATION;
    if (n < 1 || n > 5)
        return vm_fail(vm, "%s: expected a list of 1 to 5 elements, got %zu.", who, n);
    for (size_t i = 0; i + 1 < n; i++)
        if (!lnum(vm, who, a[i], &ok))
            return false;
    out->tick = n == 1 ? 0 : num_l(a[0]);
    if (n >= 4) {
        double lat = num_d(a[1]), lon = num_d(a[2]);
        if (!isnan(lat) && !isnan(lon))
            out->loc = gts_pack_location(lat, lon);
    }
    if (n == 5 || n == 3) {
        value e = a[n == 5 ? 3 : 1];
        if (!isnan(num_d(e)))
            out->elev = num_l(e);
    }
    out->v = val_retain(a[n - 1]);
    return true;
}

bool agg_macro_result(exo_vm *vm, const char *who, agg_out *out)
{
    if (vm->sp == 0)
        return vm_fail(vm, "Empty stack.");
    value top = *vm_peek(vm, 0);
    if (top.type == T_LIST) {
        bool ok = agg_list_result(vm, who, AS_LIST(top), out);
        vm_drop(vm, 1);
        return ok;
    }
    if (vm->sp < 5)
        return vm_fail(vm, "%s: the macro must leave a LIST or tick, latitude, longitude, elevation and value.", who);
    value elev = *vm_peek(vm, 1), lon = *vm_peek(vm, 2), lat = *vm_peek(vm, 3), tick = *vm_peek(vm, 4);
    if (lat.type != T_DOUBLE || lon.type != T_DOUBLE)
        return vm_fail(vm, "Macro MUST return a latitude and a longitude which are of type DOUBLE.");
    if (elev.type != T_DOUBLE && elev.type != T_LONG)
        return vm_fail(vm, "Macro MUST return an elevation which is either NaN or LONG.");
    if (elev.type == T_DOUBLE && !isnan(elev.as.d))
        return vm_fail(vm, "Macro MUST return an elevations which is NaN if it is of type DOUBLE.");
    if (tick.type != T_LONG)
        return vm_fail(vm, "Macro MUST return a tick of type LONG.");
    out->v = vm_pop(vm);
    vm_drop(vm, 4);
    out->tick = tick.as.l;
    out->loc = (isnan(lat.as.d) || isnan(lon.as.d)) ? GTS_NO_LOCATION : gts_pack_location(lat.as.d, lon.as.d);
    out->elev = elev.type == T_LONG ? elev.as.l : GTS_NO_ELEVATION;
    return true;
}

/* What a macro aggregator left: a result as agg_macro_result reads it or,
 * for a mapper, a MAP { name: [tick .. value] } from which GTSHelper.map
 * makes one series per name (the other frameworks cannot use it). */
static bool macro_outcome(exo_vm *vm, const char *who, const agg_window *w, agg_out *out)
{
    if (vm->sp == 0 || vm_peek(vm, 0)->type != T_MAP)
        return agg_macro_result(vm, who, out);
    if (w->mode != AGG_MAP)
        return vm_fail(vm, "%s: only a mapper may leave a MAP of results.", who);
    const map *m = AS_MAP(*vm_peek(vm, 0));
    for (size_t i = 0; i < m->len; i++)
        if (m->ents[i].val.type != T_LIST)
            return vm_fail(vm, "%s: a MAP of results must map each name to a LIST [tick .. value].", who);
    out->named = AS_MAP(vm_pop(vm));
    return true;
}

/* The window as a GTS with the input's metadata (plain macro mappers). */
static gts *window_gts(exo_vm *vm, const agg_window *w)
{
    gts *g = gts_clone(vm, w->series, false);
    if (!g)
        return NULL;
    g->bucketspan = g->bucketcount = g->lastbucket = 0;
    if (!gts_reserve(vm, g, w->n))
        goto fail;
    for (size_t i = 0; i < w->n; i++)
        if (!gts_add(vm, g, w->ticks[i], aw_loc(w, i), aw_elev(w, i), aw_value(w, i)))
            goto fail;
    return g;
fail:
    val_release(vm, v_obj(T_GTS, g));
    return NULL;
}

bool agg_apply_macro(exo_vm *vm, const char *who, value mac, const agg_window *w, agg_out *out)
{
    out->tick = w->tick;
    out->loc = GTS_NO_LOCATION;
    out->elev = GTS_NO_ELEVATION;
    out->v = v_null();
    out->named = NULL;
    gts *g = window_gts(vm, w);
    if (!g || !vm_push(vm, v_obj(T_GTS, g)))
        return false;
    if (!vm_exec(vm, (macro *)mac.as.o))
        return false;
    return macro_outcome(vm, who, w, out);
}

static map *map_copy(exo_vm *vm, const map *src)
{
    map *m = map_new(vm, src ? src->len : 0);
    if (!m)
        return NULL;
    for (size_t i = 0; src && i < src->len; i++)
        if (!map_put(vm, m, val_retain(src->ents[i].key), val_retain(src->ents[i].val))) {
            val_release(vm, v_obj(T_MAP, m));
            return NULL;
        }
    return m;
}

/* MACROMAPPER / MACROREDUCER / MACROBUCKETIZER: the macro gets
 * [tick [names] [labels] [ticks] [lats] [lons] [elevs] [values]]. */
static bool push_nums(exo_vm *vm, list *l, value v) { return list_push(vm, l, v); }

bool agg_macro(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    size_t slots = aw_slots(w);
    bool single = w->mode == AGG_BUCKETIZE || w->mode == AGG_MAP;
    /* BUCKETIZE passes one name and one label map, MAP one per value,
     * REDUCE/APPLY one per member plus the common labels */
    size_t nnames = w->mode == AGG_BUCKETIZE ? 1 : slots;
    list *arg = list_new(vm, 8);
    list *names = list_new(vm, nnames), *labels = list_new(vm, nnames + 1), *ticks = list_new(vm, slots),
         *lats = list_new(vm, slots), *lons = list_new(vm, slots), *elevs = list_new(vm, slots),
         *vals = list_new(vm, slots);
    list *parts[7] = {names, labels, ticks, lats, lons, elevs, vals};
    bool ok = arg != NULL;
    for (int i = 0; i < 7; i++)
        ok = ok && parts[i];
    if (!ok) {
        if (arg)
            val_release(vm, v_obj(T_LIST, arg));
        for (int i = 0; i < 7; i++)
            if (parts[i])
                val_release(vm, v_obj(T_LIST, parts[i]));
        return false;
    }
    ok = list_push(vm, arg, v_long(w->tick));
    for (int i = 0; i < 7; i++)
        if (ok)
            ok = list_push(vm, arg, v_obj(T_LIST, parts[i]));
        else
            val_release(vm, v_obj(T_LIST, parts[i]));
    /* label maps are copies: the macro may modify them */
    map *shared = NULL;
    for (size_t i = 0; ok && i < nnames; i++) {
        const gts *g = single ? w->series : w->members[i];
        map *m = single && shared ? shared : map_copy(vm, g->labels);
        ok = m && list_push(vm, names, val_retain(g->cls));
        if (m)
            ok = list_push(vm, labels, single && shared ? val_retain(v_obj(T_MAP, m)) : v_obj(T_MAP, m)) && ok;
        if (single)
            shared = m;
    }
    if (ok && !single && w->labels) {
        map *m = map_copy(vm, w->labels);
        ok = m && list_push(vm, labels, v_obj(T_MAP, m));
    } else if (ok && !single) {
        ok = list_push(vm, labels, v_null());
    }
    size_t k = 0;
    for (size_t s = 0; ok && s < slots; s++) {
        bool present = k < w->n && aw_slot(w, k) == s;
        int64_t t = present ? w->ticks[k] : INT64_MIN, lc = present ? aw_loc(w, k) : GTS_NO_LOCATION,
                e = present ? aw_elev(w, k) : GTS_NO_ELEVATION;
        double la, lo;
        gts_unpack_location(lc, &la, &lo);
        ok = push_nums(vm, ticks, v_long(t)) && push_nums(vm, lats, v_double(la)) && push_nums(vm, lons, v_double(lo)) &&
             push_nums(vm, elevs, e == GTS_NO_ELEVATION ? v_double(NAN) : v_long(e)) &&
             list_push(vm, vals, present ? val_retain(aw_value(w, k)) : v_null());
        if (present)
            k++;
    }
    if (!ok) {
        val_release(vm, v_obj(T_LIST, arg));
        return false;
    }
    if (!vm_push(vm, v_obj(T_LIST, arg)) || !vm_exec(vm, (macro *)f->params[0].as.o))
        return false;
    return macro_outcome(vm, f->def->name, w, out);
}

/* ---- builders ---- */

bool agg_build_join(exo_vm *vm, const word *w, const fn_def *d)
{
    value sep = *vm_peek(vm, 0);
    if (!val_is_number(sep) && sep.type != T_STRING && sep.type != T_BOOLEAN)
        return vm_type_error(vm, w, 1, "a STRING");
    value s = val_retain(sep);
    if (sep.type != T_STRING) {
        sbuf b;
        sb_init(&b, vm);
        agg_to_string(&b, sep);
        bool ok = agg_new_string(vm, &b, &s);
        sb_free(&b);
        if (!ok)
            return false;
    }
    function *f = fn_new(vm, d, &s, 1);
    if (!f)
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

bool agg_build_percentile(exo_vm *vm, const word *w, const fn_def *d)
{
    int type = 1, depth = 1;
    value top = *vm_peek(vm, 0);
    if (top.type == T_STRING) {
        const str *s = AS_STR(top);
        if (s->len != 5 || strncasecmp(s->data, "type", 4) != 0)
            return vm_fail(vm, "%s expect percentile type to be 'typeX' where 0<X<10.", d->name);
        type = s->data[4] - '0';
        if (type < 1 || type > 9)
            return vm_fail(vm, "%s expect percentile type to be 'typeX' where X is a integer and 0<X<10.", d->name);
        if (!vm_need(vm, 2))
            return false;
        depth = 2;
    }
    value p = *vm_peek(vm, (size_t)depth - 1);
    if (!val_is_number(p))
        return vm_type_error(vm, w, depth, "a LONG or a DOUBLE");
    double pc = num_d(p);
    if (!(pc >= 0.0 && pc <= 100.0))
        return vm_fail(vm, "Invalid percentile for %s, MUST be between 0 and 100.", d->name);
    char tname[6] = {'t', 'y', 'p', 'e', (char)('0' + type), 0};
    value params[2] = {v_double(pc), str_new(vm, tname, 5)};
    if (val_is_oom(params[1]))
        return false;
    function *f = fn_new(vm, d, params, 2);
    if (!f)
        return false;
    f->il = type;
    f->dl = pc;
    vm_drop(vm, (size_t)depth);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

bool agg_build_circular(exo_vm *vm, const word *w, const fn_def *d)
{
    value p = *vm_peek(vm, 0);
    if (!val_is_number(p))
        return vm_type_error(vm, w, 1, "a LONG or a DOUBLE");
    double period = num_d(p);
    if (!isfinite(period) || period <= 0.0)
        return vm_fail(vm, "%s expects a finite, strictly positive, numeric 'period' parameter.", d->name);
    value pv = v_double(period);
    function *f = fn_new(vm, d, &pv, 1);
    if (!f)
        return false;
    f->dl = period;
    vm_drop(vm, 1);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

bool agg_build_macro(exo_vm *vm, const word *w, const fn_def *d)
{
    if (vm_peek(vm, 0)->type != T_MACRO)
        return vm_type_error(vm, w, 1, "a MACRO");
    value m = val_retain(*vm_peek(vm, 0));
    function *f = fn_new(vm, d, &m, 1);
    if (!f)
        return false;
    f->wrapped = true;
    vm_drop(vm, 1);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

bool agg_build_strict(exo_vm *vm, const word *w, const fn_def *d)
{
    value mx = *vm_peek(vm, 0), mn = *vm_peek(vm, 1), fv = *vm_peek(vm, 2);
    if (!val_is_number(mx))
        return vm_type_error(vm, w, 1, "a LONG (maximum count, or -maximum span)");
    if (!val_is_number(mn))
        return vm_type_error(vm, w, 2, "a LONG (minimum count, or -minimum span)");
    unsigned role = d->roles & (FN_MAPPER | FN_REDUCER);
    if (!fn_has_role(fv, role))
        return vm_type_error(vm, w, 3, role == FN_MAPPER ? "a mapper" : "a reducer");
    int64_t min = num_l(mn), max = num_l(mx);
    if (min == INT64_MIN)
        min++;
    if (max == INT64_MIN)
        max++;
    if ((min > 0 && max >= 0) || (min < 0 && max <= 0))
        if (llabs(min) > llabs(max))
            return vm_fail(vm, "%s expects abs(min) <= abs(max) when min and max both express a count or both express a duration.",
                           d->name);
    value params[3] = {val_retain(fv), v_long(min), v_long(max)};
    function *f = fn_new(vm, d, params, 3);
    if (!f)
        return false;
    f->wrapped = true;
    vm_drop(vm, 3);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

/* ---- framework inputs and outputs ---- */

bool agg_store(exo_vm *vm, gts *dst, int64_t tick, agg_out *o)
{
    bool ok = true;
    if (o->v.type != T_NULL) {
        if (o->loc != GTS_NO_LOCATION || o->elev != GTS_NO_ELEVATION)
            ok = gts_add(vm, dst, tick, o->loc, o->elev, o->v);
        else if (o->v.type == T_DOUBLE)
            ok = gts_add_double(vm, dst, tick, o->v.as.d);
        else if (o->v.type == T_LONG)
            ok = gts_add_long(vm, dst, tick, o->v.as.l);
        else
            ok = gts_add(vm, dst, tick, o->loc, o->elev, o->v);
    }
    val_release(vm, o->v);
    o->v = v_null();
    return ok;
}

bool fw_collect(exo_vm *vm, const char *who, const char *what, const value *items, size_t n, gts ***out, size_t *count)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i].type == T_GTS) {
            total++;
        } else if (items[i].type == T_LIST) {
            const list *l = AS_LIST(items[i]);
            for (size_t j = 0; j < l->len; j++)
                if (l->items[j].type != T_GTS)
                    return vm_fail(vm, "%s %s", who, what);
            total += l->len;
        } else {
            return vm_fail(vm, "%s %s", who, what);
        }
    }
    gts **a = vm_alloc(vm, (total ? total : 1) * sizeof(gts *));
    if (!a)
        return false;
    /* retained: a user macro run by the framework may drop the input */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i].type == T_GTS) {
            a[k++] = (gts *)val_retain(items[i]).as.o;
        } else {
            const list *l = AS_LIST(items[i]);
            for (size_t j = 0; j < l->len; j++)
                a[k++] = (gts *)val_retain(l->items[j]).as.o;
        }
    }
    *out = a;
    *count = total;
    return true;
}

void fw_free_series(exo_vm *vm, gts **arr, size_t count)
{
    for (size_t i = 0; i < count; i++)
        val_release(vm, v_obj(T_GTS, arr[i]));
    vm_dealloc(vm, arr, (count ? count : 1) * sizeof(gts *));
}

bool agg_runs_macro(value fn)
{
    while (fn.type == T_FUNCTION && AS_FN(fn)->def->kernel.agg == agg_strict)
        fn = AS_FN(fn)->params[0];
    return fn.type == T_MACRO || (fn.type == T_FUNCTION && AS_FN(fn)->def->kernel.agg == agg_macro);
}

bool fw_push_list(exo_vm *vm, gts **res, size_t n)
{
    list *l = list_new(vm, n);
    if (!l) {
        for (size_t i = 0; i < n; i++)
            val_release(vm, v_obj(T_GTS, res[i]));
        return false;
    }
    for (size_t i = 0; i < n; i++)
        l->items[l->len++] = v_obj(T_GTS, res[i]);
    return vm_push(vm, v_obj(T_LIST, l));
}

/* ---- sliding windows (MAP) ---- */

/* Windows up to this size are summed afresh, in Warp 10's order, so
 * doubles match bit for bit; larger ones use the compensated running sum. */
#define SLIDE_EXACT 32

bool agg_slider_init(exo_vm *vm, agg_slider *s, int kind, const gts *g)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->g = g;
    if (kind == AGG_SLIDE_MIN || kind == AGG_SLIDE_MAX) {
        s->dq_cap = g->len ? g->len : 1;
        s->dq = vm_alloc(vm, s->dq_cap * sizeof(uint32_t));
        if (!s->dq)
            return false;
    }
    return true;
}

void agg_slider_free(exo_vm *vm, agg_slider *s)
{
    if (s->dq)
        vm_dealloc(vm, s->dq, s->dq_cap * sizeof(uint32_t));
    s->dq = NULL;
}

/* -1, 0, 1 comparing points i and j of the series by value */
static inline int slide_cmp(const gts *g, size_t i, size_t j)
{
    return g->type == GTS_LONG ? cmp_l(g->v.l[i], g->v.l[j]) : jcmp_d(g->v.d[i], g->v.d[j]);
}

/* Running sum of finite doubles plus counts of NaN / +Inf / -Inf, so a
 * non-finite value leaves the sum when it leaves the window. */
static void slide_add(agg_slider *s, size_t i, bool add)
{
    const gts *g = s->g;
    if (g->type == GTS_LONG) {
        s->suml = add ? s->suml + (uint64_t)g->v.l[i] : s->suml - (uint64_t)g->v.l[i];
        return;
    }
    double x = g->v.d[i];
    size_t *cnt = x != x ? &s->nnan : x == INFINITY ? &s->npinf : x == -INFINITY ? &s->nninf : NULL;
    if (cnt) {
        *cnt = add ? *cnt + 1 : *cnt - 1;
        return;
    }
    double y = add ? x : -x, t = s->sumd + y;
    if (fabs(s->sumd) >= fabs(y))
        s->comp += (s->sumd - t) + y;
    else
        s->comp += (y - t) + s->sumd;
    s->sumd = t;
}

void agg_slider_move(agg_slider *s, size_t lo, size_t hi)
{
    const gts *g = s->g;
    bool minmax = s->kind == AGG_SLIDE_MIN || s->kind == AGG_SLIDE_MAX;
    int sign = s->kind == AGG_SLIDE_MAX ? 1 : -1;
    if (s->kind == AGG_SLIDE_DELTA || s->kind == AGG_SLIDE_RATE || s->kind == AGG_SLIDE_COUNT ||
        s->kind == AGG_SLIDE_FIRST || s->kind == AGG_SLIDE_LAST) {
        s->lo = lo;
        s->hi = hi;
        return;
    }
    if (lo >= s->hi || hi < s->hi) { /* jumped: restart the window */
        s->lo = s->hi = lo;
        s->suml = 0;
        s->sumd = s->comp = 0.0;
        s->nnan = s->npinf = s->nninf = 0;
        s->dq_head = s->dq_tail = 0;
    }
    for (size_t i = s->hi; i < hi; i++) {
        if (minmax) {
            /* keep the earliest of equal extremes at the front */
            while (s->dq_tail > s->dq_head && sign * slide_cmp(g, s->dq[s->dq_tail - 1], i) < 0)
                s->dq_tail--;
            s->dq[s->dq_tail++] = (uint32_t)i;
        } else {
            slide_add(s, i, true);
        }
    }
    for (size_t i = s->lo; i < lo; i++) {
        if (minmax) {
            if (s->dq_tail > s->dq_head && s->dq[s->dq_head] == i)
                s->dq_head++;
        } else {
            slide_add(s, i, false);
        }
    }
    s->lo = lo;
    s->hi = hi;
}

static double slide_sumd(const agg_slider *s)
{
    const gts *g = s->g;
    if (s->hi - s->lo <= SLIDE_EXACT) {
        double r = 0.0;
        for (size_t i = s->lo; i < s->hi; i++)
            r += g->v.d[i];
        return r;
    }
    if (s->nnan || (s->npinf && s->nninf))
        return NAN;
    if (s->npinf)
        return INFINITY;
    if (s->nninf)
        return -INFINITY;
    return s->sumd + s->comp;
}

gts_type agg_slider_type(int kind, gts_type t)
{
    switch (kind) {
    case AGG_SLIDE_MEAN:
    case AGG_SLIDE_RATE:
        return GTS_DOUBLE;
    case AGG_SLIDE_COUNT:
        return GTS_LONG;
    default:
        return t;
    }
}

value agg_slider_value(const agg_slider *s)
{
    const gts *g = s->g;
    size_t n = s->hi - s->lo;
    switch (s->kind) {
    case AGG_SLIDE_SUM:
        return g->type == GTS_LONG ? v_long((int64_t)s->suml) : v_double(slide_sumd(s));
    case AGG_SLIDE_MEAN:
        return g->type == GTS_LONG ? v_double((double)(int64_t)s->suml / (double)n) : v_double(slide_sumd(s) / (double)n);
    case AGG_SLIDE_COUNT:
        return v_long((int64_t)n);
    case AGG_SLIDE_FIRST: /* the first point with the smallest tick */
        return g->type == GTS_LONG ? v_long(g->v.l[s->lo]) : v_double(g->v.d[s->lo]);
    case AGG_SLIDE_LAST: { /* the first point with the largest tick */
        size_t b = s->hi - 1;
        while (b > s->lo && g->ticks[b - 1] == g->ticks[b])
            b--;
        return g->type == GTS_LONG ? v_long(g->v.l[b]) : v_double(g->v.d[b]);
    }
    case AGG_SLIDE_DELTA:
    case AGG_SLIDE_RATE: {
        /* first point with the first tick, first point with the last tick */
        size_t a = s->lo, b = s->hi - 1;
        while (b > a && g->ticks[b - 1] == g->ticks[b])
            b--;
        int64_t dt = (int64_t)((uint64_t)g->ticks[b] - (uint64_t)g->ticks[a]);
        if (g->type == GTS_LONG) {
            int64_t d = (int64_t)((uint64_t)g->v.l[b] - (uint64_t)g->v.l[a]);
            if (s->kind == AGG_SLIDE_DELTA)
                return v_long(d);
            return v_double(d == 0 || dt == 0 ? (double)d : (double)d / ((double)dt / 1000000.0));
        }
        double d = g->v.d[b] - g->v.d[a];
        return v_double(s->kind == AGG_SLIDE_DELTA || d == 0.0 || dt == 0 ? d : d / ((double)dt / 1000000.0));
    }
    default: {
        uint32_t i = s->dq[s->dq_head];
        return g->type == GTS_LONG ? v_long(g->v.l[i]) : v_double(g->v.d[i]);
    }
    }
}

int agg_plain_kind(value fn)
{
    if (fn.type != T_FUNCTION || AS_FN(fn)->def->kind != FN_KIND_AGGREGATOR)
        return AGG_SLIDE_NONE;
    fn_agg_kernel k = AS_FN(fn)->def->kernel.agg;
    return k == agg_sum     ? AGG_SLIDE_SUM
           : k == agg_mean  ? AGG_SLIDE_MEAN
           : k == agg_min   ? AGG_SLIDE_MIN
           : k == agg_max   ? AGG_SLIDE_MAX
           : k == agg_count ? AGG_SLIDE_COUNT
           : k == agg_first ? AGG_SLIDE_FIRST
           : k == agg_last  ? AGG_SLIDE_LAST
                            : AGG_SLIDE_NONE;
}

/* ---- MAP over a whole series with strictly increasing ticks ---- */

/* The window of point k: [k - pre, k + post] clipped to [0, n). */
static inline void slide_bounds(size_t k, size_t n, size_t pre, size_t post, size_t *lo, size_t *hi)
{
    *lo = k > pre ? k - pre : 0;
    *hi = n - k > post ? k + post + 1 : n;
}

/* Extreme of a small window, the earliest of equals (as the deque keeps). */
static inline size_t scan_extreme_d(const double *v, size_t lo, size_t hi, int sign)
{
    size_t b = lo;
    for (size_t i = lo + 1; i < hi; i++)
        if (sign * jcmp_d(v[i], v[b]) > 0)
            b = i;
    return b;
}

static inline size_t scan_extreme_l(const int64_t *v, size_t lo, size_t hi, int sign)
{
    size_t b = lo;
    for (size_t i = lo + 1; i < hi; i++)
        if (sign > 0 ? v[i] > v[b] : v[i] < v[b])
            b = i;
    return b;
}

bool agg_slide_series(exo_vm *vm, int kind, const gts *g, int64_t pre, int64_t post, gts *dst)
{
    size_t n = g->len;
    if (!gts_set_type(vm, dst, agg_slider_type(kind, g->type)) || !gts_reserve(vm, dst, n))
        return false;
    size_t P = (uint64_t)pre > n ? n : (size_t)pre, Q = (uint64_t)post > n ? n : (size_t)post;
    bool lng = g->type == GTS_LONG, small = P + Q < SLIDE_EXACT; /* windows of at most SLIDE_EXACT points */
    const int64_t *vl = g->v.l, *t = g->ticks;
    const double *vd = g->v.d;
    int64_t *ol = dst->v.l;
    double *od = dst->v.d;
    size_t lo, hi;
    if (dst->ticks != t) /* else shared with g (gts_share_ticks) */
        memcpy(dst->ticks, t, n * sizeof(int64_t));
    if ((kind == AGG_SLIDE_SUM || kind == AGG_SLIDE_MEAN) && lng) {
        /* wrapping sums are exact: a running sum gives the same bits */
        uint64_t sum = 0;
        size_t clo = 0, chi = 0;
        for (size_t k = 0; k < n; k++) {
            slide_bounds(k, n, P, Q, &lo, &hi);
            for (; chi < hi; chi++)
                sum += (uint64_t)vl[chi];
            for (; clo < lo; clo++)
                sum -= (uint64_t)vl[clo];
            if (kind == AGG_SLIDE_SUM)
                ol[k] = (int64_t)sum;
            else
                od[k] = (double)(int64_t)sum / (double)(hi - lo);
        }
    } else if ((kind == AGG_SLIDE_SUM || kind == AGG_SLIDE_MEAN) && small) {
        /* summed afresh in order, as the slider does: ((0.0 + v[lo]) + ...);
         * full windows a chunk at a time, one window slot per pass, so the
         * loops over k vectorise and each sum keeps its order */
        size_t W = P + Q + 1, a = P < n ? P : n, e = n > Q ? n - Q : 0;
        for (size_t k = 0; k < n; k++) {
            if (k == a && a < e) {
                double div = kind == AGG_SLIDE_SUM ? 1.0 : (double)W; /* x / 1.0 is x */
                for (; k + 8 <= e; k += 8) {
                    const double *base = vd + (k - P);
                    double acc[8];
                    for (size_t j = 0; j < 8; j++)
                        acc[j] = 0.0 + base[j];
                    for (size_t i = 1; i < W; i++)
                        for (size_t j = 0; j < 8; j++)
                            acc[j] += base[i + j];
                    for (size_t j = 0; j < 8; j++)
                        od[k + j] = acc[j] / div;
                }
                if (k == n)
                    break;
            }
            slide_bounds(k, n, P, Q, &lo, &hi);
            double r = 0.0;
            for (size_t i = lo; i < hi; i++)
                r += vd[i];
            od[k] = kind == AGG_SLIDE_SUM ? r : r / (double)(hi - lo);
        }
    } else if ((kind == AGG_SLIDE_MIN || kind == AGG_SLIDE_MAX) && small) {
        int sign = kind == AGG_SLIDE_MAX ? 1 : -1;
        for (size_t k = 0; k < n; k++) {
            slide_bounds(k, n, P, Q, &lo, &hi);
            if (lng)
                ol[k] = vl[scan_extreme_l(vl, lo, hi, sign)];
            else
                od[k] = vd[scan_extreme_d(vd, lo, hi, sign)];
        }
    } else if (kind == AGG_SLIDE_SUM || kind == AGG_SLIDE_MEAN || kind == AGG_SLIDE_MIN || kind == AGG_SLIDE_MAX) {
        agg_slider sl; /* big windows: the running forms */
        if (!agg_slider_init(vm, &sl, kind, g))
            return false;
        for (size_t k = 0; k < n; k++) {
            slide_bounds(k, n, P, Q, &lo, &hi);
            agg_slider_move(&sl, lo, hi);
            value v = agg_slider_value(&sl);
            if (dst->type == GTS_DOUBLE)
                od[k] = v.as.d;
            else
                ol[k] = v.as.l;
        }
        agg_slider_free(vm, &sl);
    } else {
        if (kind == AGG_SLIDE_DELTA && n > P + Q) {
            /* full windows: last minus first, vectorisable; the edges below */
            size_t e = n - Q;
            if (lng)
                for (size_t k = P; k < e; k++)
                    ol[k] = (int64_t)((uint64_t)vl[k + Q] - (uint64_t)vl[k - P]);
            else
                for (size_t k = P; k < e; k++)
                    od[k] = vd[k + Q] - vd[k - P];
        }
        for (size_t k = 0; k < n; k++) {
            if (kind == AGG_SLIDE_DELTA && n > P + Q && k == P)
                k = n - Q; /* done above */
            if (k == n)
                break;
            slide_bounds(k, n, P, Q, &lo, &hi);
            size_t a = lo, b = hi - 1;
            switch (kind) {
            case AGG_SLIDE_COUNT:
                ol[k] = (int64_t)(hi - lo);
                break;
            case AGG_SLIDE_FIRST:
            case AGG_SLIDE_LAST:
                a = kind == AGG_SLIDE_FIRST ? a : b;
                if (lng)
                    ol[k] = vl[a];
                else
                    od[k] = vd[a];
                break;
            case AGG_SLIDE_DELTA:
                if (lng)
                    ol[k] = (int64_t)((uint64_t)vl[b] - (uint64_t)vl[a]);
                else
                    od[k] = vd[b] - vd[a];
                break;
            default: { /* AGG_SLIDE_RATE */
                int64_t dt = (int64_t)((uint64_t)t[b] - (uint64_t)t[a]);
                if (lng) {
                    int64_t d = (int64_t)((uint64_t)vl[b] - (uint64_t)vl[a]);
                    od[k] = d == 0 || dt == 0 ? (double)d : (double)d / ((double)dt / 1000000.0);
                } else {
                    double d = vd[b] - vd[a];
                    od[k] = d == 0.0 || dt == 0 ? d : d / ((double)dt / 1000000.0);
                }
            }
            }
        }
    }
    dst->len = n;
    dst->sorted = GTS_ASC;
    return true;
}
