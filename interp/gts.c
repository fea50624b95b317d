/* GTS storage: metadata plus struct-of-arrays points (see gts.h).
 * Arrays grow geometrically with exact-size accounting; each array keeps its
 * own capacity (tcap/vcap/lcap/ecap below) so a failed growth leaves a
 * consistent series, and g->cap is the capacity every array has. Arrays
 * of 2 MiB or more are advised for huge pages whenever they grow (page
 * faults are costly).
 * Sorting checks for sorted input first (O(n)) and otherwise uses a stable
 * LSD radix sort of (key, index) then gathers each array once.
 * A ticks array may be shared by series with the same ticks (a MAP result
 * and its input): a counter of holders hangs off each, every change of
 * the ticks (append, growth, sort, permutation, compaction) goes through
 * own_ticks, which copies them first while another holder remains. */
#include "gts.h"
#include "alloc.h"
#include "json.h"
#include "numfmt.h"
#include "snapshot.h"
#include "vm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Per-array capacities live in a private extension, found from the GTS by
 * its address: the public struct is shared with the framework code. */
typedef struct gts_full {
    gts g;
    size_t tcap, vcap, lcap, ecap;
    size_t *tshare; /* holders of a ticks array shared copy-on-write, or NULL */
} gts_full;

#define FULL(g) ((gts_full *)(g))

size_t gts_value_size(gts_type t)
{
    switch (t) {
    case GTS_LONG:
        return sizeof(int64_t);
    case GTS_DOUBLE:
        return sizeof(double);
    case GTS_BOOLEAN:
        return 1;
    case GTS_STRING:
        return sizeof(str *);
    default:
        return 0;
    }
}

const char *gts_type_name(gts_type t)
{
    static const char *const names[] = {"UNDEFINED", "LONG", "DOUBLE", "BOOLEAN", "STRING"};
    return (unsigned)t < countof(names) ? names[t] : "UNDEFINED";
}

/* ---- arrays ---- */

#define HUGE_THRESHOLD (2u << 20)

/* Asks for huge pages over the whole pages of a block of 2 MiB or more.
 * Whole pages, not just the 2 MiB-aligned middle: a big malloc block is a
 * mapping of its own, and advising all of it keeps it one mapping, which
 * realloc can then grow in place or move with mremap (the advice goes
 * along) instead of copying. */
static void advise_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (bytes < HUGE_THRESHOLD)
        return;
    uintptr_t a = (uintptr_t)p & ~(uintptr_t)4095;
    uintptr_t e = ((uintptr_t)p + bytes + 4095) & ~(uintptr_t)4095;
    madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

/* Resizes one array to ncap elements (exact accounting). A block that
 * grows to 2 MiB or more is advised for huge pages at once, so the pages
 * it gains are faulted in 2 MiB at a time. */
static bool arr_resize(exo_vm *vm, void **p, size_t *cap, size_t ncap, size_t elem)
{
    if (ncap == *cap)
        return true;
    if (elem && ncap > SIZE_MAX / elem)
        return vm_oom(vm);
    void *q;
    size_t bytes = ncap * elem, old = *cap * elem;
    if (ncap == 0) {
        vm_dealloc(vm, *p, old);
        q = NULL;
    } else {
        q = vm_realloc(vm, *p, old, bytes);
        if (!q)
            return false;
        if (bytes > old)
            advise_huge(q, bytes);
    }
    *p = q;
    *cap = ncap;
    return true;
}

static void update_cap(gts *g)
{
    gts_full *f = FULL(g);
    size_t c = f->tcap;
    if (g->type != GTS_UNDEFINED && f->vcap < c)
        c = f->vcap;
    if (g->loc && f->lcap < c)
        c = f->lcap;
    if (g->elev && f->ecap < c)
        c = f->ecap;
    g->cap = c;
}

/* Makes g the only holder of its ticks before they change, with room
 * for at least cap of them: a shared array is copied (its len ticks) while
 * another series holds it. */
static bool own_ticks(exo_vm *vm, gts *g, size_t cap)
{
    gts_full *f = FULL(g);
    if (likely(!f->tshare))
        return true;
    if (*f->tshare > 1) {
        int64_t *t = NULL;
        size_t tcap = 0, want = cap > f->tcap ? cap : f->tcap;
        if (want && !arr_resize(vm, (void **)&t, &tcap, want, sizeof(int64_t)))
            return false;
        if (g->len)
            memcpy(t, g->ticks, g->len * sizeof(int64_t));
        (*f->tshare)--;
        g->ticks = t;
        f->tcap = tcap;
    } else {
        vm_dealloc(vm, f->tshare, sizeof(size_t));
    }
    f->tshare = NULL;
    update_cap(g);
    return true;
}

/* Lets go of the ticks array (freed by its last holder). */
static void drop_ticks(exo_vm *vm, gts *g)
{
    gts_full *f = FULL(g);
    if (f->tshare) {
        bool last = --*f->tshare == 0;
        if (last)
            vm_dealloc(vm, f->tshare, sizeof(size_t));
        f->tshare = NULL;
        if (!last) {
            g->ticks = NULL;
            f->tcap = 0;
            return;
        }
    }
    vm_dealloc(vm, g->ticks, f->tcap * sizeof(int64_t));
    g->ticks = NULL;
    f->tcap = 0;
}

bool gts_own_ticks(exo_vm *vm, gts *g) { return own_ticks(vm, g, 0); }

bool gts_ticks_shared(const gts *g) { return FULL(g)->tshare && *FULL(g)->tshare > 1; }

bool gts_share_ticks(exo_vm *vm, gts *dst, gts *src)
{
    gts_full *d = FULL(dst), *s = FULL(src);
    if (dst == src || dst->len)
        return vm_fail(vm, "internal: gts_share_ticks needs an empty destination.");
    if (!s->tshare) {
        s->tshare = vm_alloc(vm, sizeof(size_t));
        if (!s->tshare)
            return false;
        *s->tshare = 1;
    }
    drop_ticks(vm, dst);
    dst->ticks = src->ticks;
    d->tcap = s->tcap;
    d->tshare = s->tshare;
    (*s->tshare)++;
    update_cap(dst);
    return true;
}

static bool reserve_exact(exo_vm *vm, gts *g, size_t cap)
{
    gts_full *f = FULL(g);
    bool ok = true;
    if (f->tcap < cap)
        ok = f->tshare ? own_ticks(vm, g, cap) : arr_resize(vm, (void **)&g->ticks, &f->tcap, cap, sizeof(int64_t));
    if (ok && g->type != GTS_UNDEFINED && f->vcap < cap)
        ok = arr_resize(vm, (void **)&g->v.l, &f->vcap, cap, gts_value_size(g->type));
    if (ok && g->loc && f->lcap < cap)
        ok = arr_resize(vm, (void **)&g->loc, &f->lcap, cap, sizeof(int64_t));
    if (ok && g->elev && f->ecap < cap)
        ok = arr_resize(vm, (void **)&g->elev, &f->ecap, cap, sizeof(int64_t));
    update_cap(g);
    return ok;
}

bool gts_reserve(exo_vm *vm, gts *g, size_t cap)
{
    if (cap <= g->cap)
        return true;
    return reserve_exact(vm, g, cap);
}

/* Room for one more point, growing by half again (x2 while small). */
static inline bool room(exo_vm *vm, gts *g)
{
    if (unlikely(FULL(g)->tshare) && !own_ticks(vm, g, g->len + 1))
        return false;
    if (likely(g->len < g->cap))
        return true;
    size_t n = g->cap < 16 ? 16 : g->cap < (1u << 20) ? g->cap * 2 : g->cap + g->cap / 2;
    return reserve_exact(vm, g, n);
}

bool gts_shrink_to_fit(exo_vm *vm, gts *g)
{
    gts_full *f = FULL(g);
    bool ok = f->tshare || arr_resize(vm, (void **)&g->ticks, &f->tcap, g->len, sizeof(int64_t));
    if (ok && g->type != GTS_UNDEFINED)
        ok = arr_resize(vm, (void **)&g->v.l, &f->vcap, g->len, gts_value_size(g->type));
    if (ok && g->loc)
        ok = arr_resize(vm, (void **)&g->loc, &f->lcap, g->len, sizeof(int64_t));
    if (ok && g->elev)
        ok = arr_resize(vm, (void **)&g->elev, &f->ecap, g->len, sizeof(int64_t));
    if (!g->loc)
        f->lcap = 0;
    if (!g->elev)
        f->ecap = 0;
    update_cap(g);
    return ok;
}

bool gts_set_type(exo_vm *vm, gts *g, gts_type t)
{
    if (g->type == t)
        return true;
    if (g->type != GTS_UNDEFINED || g->len)
        return vm_fail(vm, "GTS type is already set.");
    gts_full *f = FULL(g);
    size_t want = f->tcap ? f->tcap : 0;
    void *p = NULL;
    size_t vcap = 0;
    if (want && !arr_resize(vm, &p, &vcap, want, gts_value_size(t)))
        return false;
    g->v.l = p;
    f->vcap = vcap;
    g->type = t;
    update_cap(g);
    return true;
}

static bool ensure_opt(exo_vm *vm, gts *g, int64_t **arr, size_t *acap, int64_t fill)
{
    if (*arr)
        return true;
    size_t want = FULL(g)->tcap;
    int64_t *p = NULL;
    size_t c = 0;
    if (want && !arr_resize(vm, (void **)&p, &c, want, sizeof(int64_t)))
        return false;
    for (size_t i = 0; i < g->len; i++)
        p[i] = fill;
    *arr = p;
    *acap = c;
    if (!p) { /* no capacity yet: still mark as present with a tiny array */
        if (!arr_resize(vm, (void **)&p, &c, 1, sizeof(int64_t)))
            return false;
        *arr = p;
        *acap = c;
    }
    update_cap(g);
    return true;
}

bool gts_ensure_loc(exo_vm *vm, gts *g) { return ensure_opt(vm, g, &g->loc, &FULL(g)->lcap, GTS_NO_LOCATION); }
bool gts_ensure_elev(exo_vm *vm, gts *g) { return ensure_opt(vm, g, &g->elev, &FULL(g)->ecap, GTS_NO_ELEVATION); }

/* ---- objects ---- */

static void gts_destroy(exo_vm *vm, obj *o, bool release_children)
{
    gts *g = (gts *)o;
    gts_full *f = FULL(g);
    if (release_children) {
        val_release(vm, g->cls);
        if (g->labels)
            val_release(vm, v_obj(T_MAP, g->labels));
        if (g->attrs)
            val_release(vm, v_obj(T_MAP, g->attrs));
        if (g->type == GTS_STRING)
            for (size_t i = 0; i < g->len; i++)
                val_release(vm, v_obj(T_STRING, g->v.s[i]));
    }
    drop_ticks(vm, g);
    vm_dealloc(vm, g->v.l, f->vcap * gts_value_size(g->type));
    vm_dealloc(vm, g->loc, f->lcap * sizeof(int64_t));
    vm_dealloc(vm, g->elev, f->ecap * sizeof(int64_t));
    vm_dealloc(vm, f, sizeof(gts_full));
}

gts *gts_new(exo_vm *vm)
{
    gts_full *f = vm_calloc(vm, sizeof(gts_full));
    if (!f)
        return NULL;
    gts *g = &f->g;
    obj_init(vm, &g->h, T_GTS);
    g->cls = v_null();
    value cls = str_new(vm, "", 0);
    map *l = val_is_oom(cls) ? NULL : map_new(vm, 0);
    map *a = l ? map_new(vm, 0) : NULL;
    g->cls = val_is_oom(cls) ? v_null() : cls;
    g->labels = l;
    g->attrs = a;
    if (!a) {
        val_release(vm, v_obj(T_GTS, g));
        return NULL;
    }
    g->sorted = GTS_ASC;
    return g;
}

bool gts_copy_map(exo_vm *vm, map **dst, const map *src)
{
    map *m = map_new(vm, src->len);
    if (!m)
        return false;
    for (size_t i = 0; i < src->len; i++)
        if (!map_put(vm, m, val_retain(src->ents[i].key), val_retain(src->ents[i].val))) {
            val_release(vm, v_obj(T_MAP, m));
            return false;
        }
    if (*dst)
        val_release(vm, v_obj(T_MAP, *dst));
    *dst = m;
    return true;
}

gts *gts_clone(exo_vm *vm, const gts *g, bool with_points)
{
    gts *c = gts_new(vm);
    if (!c)
        return NULL;
    val_release(vm, c->cls);
    c->cls = val_retain(g->cls);
    if (!gts_copy_map(vm, &c->labels, g->labels) || !gts_copy_map(vm, &c->attrs, g->attrs))
        goto fail;
    c->lastactivity = g->lastactivity;
    c->bucketspan = g->bucketspan;
    c->bucketcount = g->bucketcount;
    c->lastbucket = g->lastbucket;
    if (with_points && g->len) {
        if (!gts_set_type(vm, c, g->type) || !reserve_exact(vm, c, g->len))
            goto fail;
        if ((g->loc && !gts_ensure_loc(vm, c)) || (g->elev && !gts_ensure_elev(vm, c)) ||
            !reserve_exact(vm, c, g->len))
            goto fail;
        memcpy(c->ticks, g->ticks, g->len * sizeof(int64_t));
        memcpy(c->v.l, g->v.l, g->len * gts_value_size(g->type));
        if (g->type == GTS_STRING)
            for (size_t i = 0; i < g->len; i++)
                g->v.s[i]->h.rc++;
        if (g->loc)
            memcpy(c->loc, g->loc, g->len * sizeof(int64_t));
        if (g->elev)
            memcpy(c->elev, g->elev, g->len * sizeof(int64_t));
        c->len = g->len;
        c->sorted = g->sorted;
    }
    return c;
fail:
    val_release(vm, v_obj(T_GTS, c));
    return NULL;
}

bool gts_set_class(exo_vm *vm, gts *g, const char *s, size_t len)
{
    value v = str_new(vm, s, len);
    if (val_is_oom(v))
        return false;
    val_release(vm, g->cls);
    g->cls = v;
    return true;
}

bool gts_is_bucketized(const gts *g) { return g->bucketspan != 0 && g->bucketcount != 0 && g->lastbucket != 0; }

bool gts_same_series(const gts *a, const gts *b)
{
    if (!val_equals(a->cls, b->cls, false) || a->labels->len != b->labels->len)
        return false;
    for (size_t i = 0; i < a->labels->len; i++) {
        value *v = map_get(b->labels, a->labels->ents[i].key);
        if (!v || !val_equals(*v, a->labels->ents[i].val, false))
            return false;
    }
    return true;
}

/* ---- values ---- */

gts_type gts_type_of(value v)
{
    switch (v.type) {
    case T_LONG:
        return GTS_LONG;
    case T_DOUBLE:
        return GTS_DOUBLE;
    case T_BOOLEAN:
        return GTS_BOOLEAN;
    case T_STRING:
    case T_BYTES:
        return GTS_STRING;
    default:
        return GTS_UNDEFINED;
    }
}

/* Java's (long) cast of a double: NaN -> 0, saturating. */
static int64_t d2l(double d)
{
    if (isnan(d))
        return 0;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

/* Parses a whole string as a LONG, then as a DOUBLE (Java parseLong /
 * parseDouble accept surrounding blanks for doubles only; we trim both). */
static bool parse_long_str(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (i == n)
        return false;
    uint64_t acc = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (acc > (UINT64_MAX - d) / 10)
            return false;
        acc = acc * 10 + d;
    }
    if (acc > (uint64_t)INT64_MAX + neg)
        return false;
    *out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
    return true;
}

static bool parse_double_str(const char *s, size_t n, double *out)
{
    while (n && (unsigned char)*s <= ' ')
        s++, n--;
    while (n && (unsigned char)s[n - 1] <= ' ')
        n--;
    if (!n || n > 400)
        return false;
    char buf[402];
    memcpy(buf, s, n);
    buf[n] = 0;
    /* Java accepts NaN/Infinity but not hex floats or "inf" */
    for (size_t i = 0; i < n; i++)
        if (buf[i] == 'x' || buf[i] == 'X')
            return false;
    const char *b = buf + (buf[0] == '+' || buf[0] == '-');
    if ((b[0] == 'i' || b[0] == 'I') && strcmp(b, "Infinity") != 0)
        return false;
    if ((b[0] == 'n' || b[0] == 'N') && strcmp(b, "NaN") != 0)
        return false;
    char *end;
    double d = strtod(buf, &end);
    if (*end && !((*end == 'd' || *end == 'D' || *end == 'f' || *end == 'F') && end[1] == 0))
        return false;
    *out = d;
    return true;
}

/* BYTES are stored as their ISO-8859-1 text (each byte one character). */
static value latin1_string(exo_vm *vm, const str *b)
{
    size_t extra = 0;
    for (size_t i = 0; i < b->len; i++)
        extra += (unsigned char)b->data[i] >= 0x80;
    if (!extra)
        return str_new(vm, b->data, b->len);
    sbuf t;
    sb_init(&t, vm);
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)b->data[i];
        if (c < 0x80) {
            sb_putc(&t, (char)c);
        } else {
            char u[2] = {(char)(0xc0 | (c >> 6)), (char)(0x80 | (c & 0x3f))};
            sb_put(&t, u, 2);
        }
    }
    value r = t.failed ? v_null() : str_new(vm, t.p, t.len);
    sb_free(&t);
    return r;
}

bool gts_convert(exo_vm *vm, gts_type t, value v, gts_slot *out)
{
    switch (t) {
    case GTS_LONG:
        switch (v.type) {
        case T_LONG:
            out->l = v.as.l;
            return true;
        case T_DOUBLE:
            out->l = d2l(v.as.d);
            return true;
        case T_BOOLEAN:
            out->l = v.as.b;
            return true;
        case T_STRING:
        case T_BYTES: {
            double d;
            const str *s = AS_STR(v);
            if (!parse_long_str(s->data, s->len, &out->l))
                out->l = parse_double_str(s->data, s->len, &d) ? d2l(d) : 0;
            return true;
        }
        default:
            break;
        }
        break;
    case GTS_DOUBLE:
        switch (v.type) {
        case T_LONG:
            out->d = (double)v.as.l;
            return true;
        case T_DOUBLE:
            out->d = v.as.d;
            return true;
        case T_BOOLEAN:
            out->d = v.as.b ? 1.0 : 0.0;
            return true;
        case T_STRING:
        case T_BYTES: {
            const str *s = AS_STR(v);
            if (!parse_double_str(s->data, s->len, &out->d))
                out->d = 0.0;
            return true;
        }
        default:
            break;
        }
        break;
    case GTS_BOOLEAN:
        switch (v.type) {
        case T_LONG:
            out->b = v.as.l != 0;
            return true;
        case T_DOUBLE:
            out->b = v.as.d != 0.0;
            return true;
        case T_BOOLEAN:
            out->b = v.as.b;
            return true;
        case T_STRING:
        case T_BYTES:
            out->b = AS_STR(v)->len != 0;
            return true;
        default:
            break;
        }
        break;
    case GTS_STRING: {
        value s;
        char buf[NUMFMT_MAX];
        switch (v.type) {
        case T_STRING:
            out->s = AS_STR(val_retain(v));
            return true;
        case T_BYTES:
            s = latin1_string(vm, AS_STR(v));
            break;
        case T_LONG:
            s = str_new(vm, buf, fmt_long(v.as.l, buf));
            break;
        case T_DOUBLE:
            s = str_new(vm, buf, fmt_double(v.as.d, buf));
            break;
        case T_BOOLEAN:
            s = str_new(vm, v.as.b ? "T" : "F", 1);
            break;
        default:
            s = v_mark();
            break;
        }
        if (s.type == T_MARK)
            break;
        if (val_is_oom(s))
            return false;
        out->s = AS_STR(s);
        return true;
    }
    default:
        break;
    }
    return vm_fail(vm, "A GTS value must be a LONG, DOUBLE, BOOLEAN, STRING or BYTES, got %s.", val_type_name(v));
}

static inline void note_order(gts *g, int64_t tick)
{
    if (g->len == 0) {
        g->sorted = GTS_ASC;
        return;
    }
    int64_t last = g->ticks[g->len - 1];
    if (g->sorted == GTS_ASC && tick < last)
        g->sorted = g->len == 1 ? GTS_DESC : GTS_UNSORTED;
    else if (g->sorted == GTS_DESC && tick > last)
        g->sorted = g->len == 1 ? GTS_ASC : GTS_UNSORTED;
}

/* Stores a converted slot as point len (room already made). */
static void put_point(gts *g, int64_t tick, int64_t loc, int64_t elev, gts_slot s)
{
    size_t i = g->len;
    note_order(g, tick);
    g->ticks[i] = tick;
    switch (g->type) {
    case GTS_LONG:
        g->v.l[i] = s.l;
        break;
    case GTS_DOUBLE:
        g->v.d[i] = s.d;
        break;
    case GTS_BOOLEAN:
        g->v.b[i] = s.b;
        break;
    case GTS_STRING:
        g->v.s[i] = s.s;
        break;
    default:
        break;
    }
    if (g->loc)
        g->loc[i] = loc;
    if (g->elev)
        g->elev[i] = elev;
    g->len = i + 1;
}

bool gts_add(exo_vm *vm, gts *g, int64_t tick, int64_t loc, int64_t elev, value v)
{
    if (v.type == T_NULL)
        return true;
    if (g->type == GTS_UNDEFINED) {
        gts_type t = gts_type_of(v);
        if (t == GTS_UNDEFINED) {
            gts_slot dummy;
            return gts_convert(vm, GTS_LONG, v, &dummy); /* sets the error */
        }
        if (!gts_set_type(vm, g, t))
            return false;
    }
    if ((loc != GTS_NO_LOCATION && !gts_ensure_loc(vm, g)) || (elev != GTS_NO_ELEVATION && !gts_ensure_elev(vm, g)) ||
        !room(vm, g))
        return false;
    gts_slot s;
    if (!gts_convert(vm, g->type, v, &s))
        return false;
    put_point(g, tick, loc, elev, s);
    return true;
}

bool gts_add_double(exo_vm *vm, gts *g, int64_t tick, double d)
{
    if (g->type != GTS_DOUBLE)
        return gts_add(vm, g, tick, GTS_NO_LOCATION, GTS_NO_ELEVATION, v_double(d));
    if (!room(vm, g))
        return false;
    size_t i = g->len;
    note_order(g, tick);
    g->ticks[i] = tick;
    g->v.d[i] = d;
    if (g->loc)
        g->loc[i] = GTS_NO_LOCATION;
    if (g->elev)
        g->elev[i] = GTS_NO_ELEVATION;
    g->len = i + 1;
    return true;
}

bool gts_add_long(exo_vm *vm, gts *g, int64_t tick, int64_t l)
{
    if (g->type != GTS_LONG)
        return gts_add(vm, g, tick, GTS_NO_LOCATION, GTS_NO_ELEVATION, v_long(l));
    if (!room(vm, g))
        return false;
    size_t i = g->len;
    note_order(g, tick);
    g->ticks[i] = tick;
    g->v.l[i] = l;
    if (g->loc)
        g->loc[i] = GTS_NO_LOCATION;
    if (g->elev)
        g->elev[i] = GTS_NO_ELEVATION;
    g->len = i + 1;
    return true;
}

value gts_value_at(const gts *g, size_t i)
{
    switch (g->type) {
    case GTS_LONG:
        return v_long(g->v.l[i]);
    case GTS_DOUBLE:
        return v_double(g->v.d[i]);
    case GTS_BOOLEAN:
        return v_bool(g->v.b[i]);
    case GTS_STRING:
        return val_retain(v_obj(T_STRING, g->v.s[i]));
    default:
        return v_null();
    }
}

bool gts_add_from(exo_vm *vm, gts *dst, const gts *src, size_t i)
{
    int64_t loc = src->loc ? src->loc[i] : GTS_NO_LOCATION;
    int64_t elev = src->elev ? src->elev[i] : GTS_NO_ELEVATION;
    value v = gts_value_at(src, i);
    bool ok = gts_add(vm, dst, src->ticks[i], loc, elev, v);
    val_release(vm, v);
    return ok;
}

void gts_truncate(exo_vm *vm, gts *g, size_t n)
{
    if (n >= g->len)
        return;
    if (g->type == GTS_STRING)
        for (size_t i = n; i < g->len; i++)
            val_release(vm, v_obj(T_STRING, g->v.s[i]));
    g->len = n;
}

void gts_clear(exo_vm *vm, gts *g)
{
    gts_truncate(vm, g, 0);
    gts_full *f = FULL(g);
    drop_ticks(vm, g);
    vm_dealloc(vm, g->v.l, f->vcap * gts_value_size(g->type));
    vm_dealloc(vm, g->loc, f->lcap * sizeof(int64_t));
    vm_dealloc(vm, g->elev, f->ecap * sizeof(int64_t));
    g->v.l = NULL;
    g->loc = g->elev = NULL;
    f->tcap = f->vcap = f->lcap = f->ecap = 0;
    g->cap = 0;
    g->type = GTS_UNDEFINED;
    g->sorted = GTS_ASC;
}

bool gts_keep(exo_vm *vm, gts *g, const uint8_t *keep)
{
    if (!own_ticks(vm, g, 0))
        return false;
    size_t vs = gts_value_size(g->type), k = 0;
    char *vals = (char *)g->v.l;
    for (size_t i = 0; i < g->len; i++) {
        if (!keep[i]) {
            if (g->type == GTS_STRING)
                val_release(vm, v_obj(T_STRING, g->v.s[i]));
            continue;
        }
        if (k != i) {
            g->ticks[k] = g->ticks[i];
            memcpy(vals + k * vs, vals + i * vs, vs);
            if (g->loc)
                g->loc[k] = g->loc[i];
            if (g->elev)
                g->elev[k] = g->elev[i];
        }
        k++;
    }
    g->len = k;
    return true;
}

int64_t gts_first_tick(const gts *g)
{
    if (gts_is_bucketized(g))
        return g->lastbucket - (g->bucketcount - 1) * g->bucketspan;
    if (g->len && g->sorted == GTS_ASC)
        return g->ticks[0];
    if (g->len && g->sorted == GTS_DESC)
        return g->ticks[g->len - 1];
    int64_t m = INT64_MAX;
    for (size_t i = 0; i < g->len; i++)
        if (g->ticks[i] < m)
            m = g->ticks[i];
    return m;
}

int64_t gts_last_tick(const gts *g)
{
    if (gts_is_bucketized(g))
        return g->lastbucket;
    if (g->len && g->sorted == GTS_ASC)
        return g->ticks[g->len - 1];
    if (g->len && g->sorted == GTS_DESC)
        return g->ticks[0];
    int64_t m = INT64_MIN;
    for (size_t i = 0; i < g->len; i++)
        if (g->ticks[i] > m)
            m = g->ticks[i];
    return m;
}

int64_t gts_find_tick(const gts *g, int64_t tick)
{
    if (g->sorted == GTS_ASC && g->len) {
        size_t lo = 0, hi = g->len;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (g->ticks[mid] < tick)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < g->len && g->ticks[lo] == tick ? (int64_t)lo : -1;
    }
    for (size_t i = 0; i < g->len; i++)
        if (g->ticks[i] == tick)
            return (int64_t)i;
    return -1;
}

/* ---- location packing (GeoXP HHCode) ---- */

#define DEG_PER_LAT_UNIT (180.0 / 4294967296.0)
#define DEG_PER_LON_UNIT (360.0 / 4294967296.0)

/* Spreads the 32 bits of x to the even bit positions of a 64-bit word. */
static uint64_t spread(uint64_t x)
{
    x &= 0xffffffffu;
    x = (x | (x << 16)) & 0x0000ffff0000ffffull;
    x = (x | (x << 8)) & 0x00ff00ff00ff00ffull;
    x = (x | (x << 4)) & 0x0f0f0f0f0f0f0f0full;
    x = (x | (x << 2)) & 0x3333333333333333ull;
    x = (x | (x << 1)) & 0x5555555555555555ull;
    return x;
}

static uint64_t gather(uint64_t x)
{
    x &= 0x5555555555555555ull;
    x = (x | (x >> 1)) & 0x3333333333333333ull;
    x = (x | (x >> 2)) & 0x0f0f0f0f0f0f0f0full;
    x = (x | (x >> 4)) & 0x00ff00ff00ff00ffull;
    x = (x | (x >> 8)) & 0x0000ffff0000ffffull;
    x = (x | (x >> 16)) & 0x00000000ffffffffull;
    return x;
}

int64_t gts_pack_location(double lat, double lon)
{
    if (isnan(lat) || isnan(lon))
        return GTS_NO_LOCATION;
    /* floor of the cell number, as GeoXP does; bit 32 set (lat 90) wraps
     * over the pole like HHCodeHelper.buildHHCode */
    double fa = floor((lat + 90.0) / DEG_PER_LAT_UNIT), fo = floor((lon + 180.0) / DEG_PER_LON_UNIT);
    int64_t a = fa > 9e18 ? INT64_MAX : fa < -9e18 ? INT64_MIN : (int64_t)fa;
    int64_t o = fo > 9e18 ? INT64_MAX : fo < -9e18 ? INT64_MIN : (int64_t)fo;
    uint64_t ua = (uint64_t)a, uo = (uint64_t)o;
    if (ua & 0x100000000ull) {
        ua ^= 0xffffffffull;
        uo ^= 0x80000000ull;
    }
    return (int64_t)((spread(ua) << 1) | spread(uo));
}

void gts_location_cells(int64_t packed, int64_t *lat, int64_t *lon)
{
    *lat = (int64_t)gather((uint64_t)packed >> 1);
    *lon = (int64_t)gather((uint64_t)packed);
}

int64_t gts_location_of_cells(int64_t lat, int64_t lon)
{
    return (int64_t)((spread((uint64_t)lat) << 1) | spread((uint64_t)lon));
}

void gts_unpack_location(int64_t packed, double *lat, double *lon)
{
    if (packed == GTS_NO_LOCATION) {
        *lat = *lon = NAN;
        return;
    }
    uint64_t p = (uint64_t)packed;
    *lat = (double)gather(p >> 1) * DEG_PER_LAT_UNIT - 90.0;
    *lon = (double)gather(p) * DEG_PER_LON_UNIT - 180.0;
}

/* ---- sorting ---- */

static void reverse_arr(void *base, size_t n, size_t elem)
{
    if (n < 2)
        return;
    if (elem == 8) { /* the common case, in a loop the compiler vectorises */
        int64_t *a = base;
        for (size_t i = 0; i < n / 2; i++) {
            int64_t x = a[i];
            a[i] = a[n - 1 - i];
            a[n - 1 - i] = x;
        }
        return;
    }
    char *p = base, tmp[8];
    for (size_t i = 0, j = n - 1; i < j; i++, j--) {
        memcpy(tmp, p + i * elem, elem);
        memcpy(p + i * elem, p + j * elem, elem);
        memcpy(p + j * elem, tmp, elem);
    }
}

/* True when no tick goes down (up) / up (!up), checked block by block with
 * branch-free inner loops. */
static bool monotone(const int64_t *t, size_t n, bool up)
{
    for (size_t b = 1; b < n; b += 4096) {
        size_t e = n - b > 4096 ? b + 4096 : n;
        unsigned bad = 0;
        if (up)
            for (size_t i = b; i < e; i++)
                bad |= t[i] < t[i - 1];
        else
            for (size_t i = b; i < e; i++)
                bad |= t[i] > t[i - 1];
        if (bad)
            return false;
    }
    return true;
}

static void reverse_points(gts *g)
{
    reverse_arr(g->ticks, g->len, sizeof(int64_t));
    reverse_arr(g->v.l, g->len, gts_value_size(g->type));
    if (g->loc)
        reverse_arr(g->loc, g->len, sizeof(int64_t));
    if (g->elev)
        reverse_arr(g->elev, g->len, sizeof(int64_t));
}

/* Gathers one array through perm using scratch (n * elem bytes). */
static void gather_arr(void *base, const uint32_t *perm, size_t n, size_t elem, void *scratch)
{
    if (elem == 8) {
        const uint64_t *src = base;
        uint64_t *dst = scratch;
        for (size_t k = 0; k < n; k++)
            dst[k] = src[perm[k]];
    } else {
        const uint8_t *src = base;
        uint8_t *dst = scratch;
        for (size_t k = 0; k < n; k++)
            dst[k] = src[perm[k]];
    }
    memcpy(base, scratch, n * elem);
}

bool gts_permute(exo_vm *vm, gts *g, const uint32_t *perm)
{
    size_t n = g->len;
    if (n < 2)
        return true;
    if (!own_ticks(vm, g, 0))
        return false;
    void *scratch = vm_alloc(vm, n * sizeof(int64_t));
    if (!scratch)
        return false;
    advise_huge(scratch, n * sizeof(int64_t));
    gather_arr(g->ticks, perm, n, sizeof(int64_t), scratch);
    if (g->type != GTS_UNDEFINED)
        gather_arr(g->v.l, perm, n, gts_value_size(g->type), scratch);
    if (g->loc)
        gather_arr(g->loc, perm, n, sizeof(int64_t), scratch);
    if (g->elev)
        gather_arr(g->elev, perm, n, sizeof(int64_t), scratch);
    vm_dealloc(vm, scratch, n * sizeof(int64_t));
    g->sorted = GTS_UNSORTED;
    return true;
}

/* Stable LSD radix sort of keys; returns the permutation in *perm_out
 * (n uint32, caller frees). Byte positions where all keys agree are skipped. */
static bool radix_perm(exo_vm *vm, uint64_t *keys, size_t n, uint32_t **perm_out)
{
    size_t kb = n * sizeof(uint64_t), pb = n * sizeof(uint32_t);
    uint64_t *k2 = vm_alloc(vm, kb);
    uint32_t *p1 = k2 ? vm_alloc(vm, pb) : NULL;
    uint32_t *p2 = p1 ? vm_alloc(vm, pb) : NULL;
    size_t(*hist)[256] = p2 ? vm_calloc(vm, 8 * 256 * sizeof(size_t)) : NULL;
    if (!hist) {
        vm_dealloc(vm, k2, k2 ? kb : 0);
        vm_dealloc(vm, p1, p1 ? pb : 0);
        vm_dealloc(vm, p2, p2 ? pb : 0);
        return false;
    }
    advise_huge(k2, kb);
    for (size_t i = 0; i < n; i++) {
        p1[i] = (uint32_t)i;
        uint64_t k = keys[i];
        for (int b = 0; b < 8; b++)
            hist[b][(k >> (8 * b)) & 0xff]++;
    }
    uint64_t *ka = keys, *kt = k2;
    uint32_t *pa = p1, *pt = p2;
    for (int b = 0; b < 8; b++) {
        size_t *h = hist[b];
        if (h[(ka[0] >> (8 * b)) & 0xff] == n)
            continue; /* every key has the same byte here */
        size_t sum = 0;
        for (int d = 0; d < 256; d++) {
            size_t c = h[d];
            h[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t d = (ka[i] >> (8 * b)) & 0xff;
            size_t pos = h[d]++;
            kt[pos] = ka[i];
            pt[pos] = pa[i];
        }
        uint64_t *tk = ka;
        ka = kt;
        kt = tk;
        uint32_t *tp = pa;
        pa = pt;
        pt = tp;
    }
    vm_dealloc(vm, hist, 8 * 256 * sizeof(size_t));
    vm_dealloc(vm, k2, kb);
    vm_dealloc(vm, pt, pb);
    *perm_out = pa;
    return true;
}

/* Sorts the points by the given keys (stable); keys is consumed as scratch. */
static bool sort_by_keys(exo_vm *vm, gts *g, uint64_t *keys)
{
    uint32_t *perm;
    if (!radix_perm(vm, keys, g->len, &perm))
        return false;
    bool ok = gts_permute(vm, g, perm);
    vm_dealloc(vm, perm, g->len * sizeof(uint32_t));
    return ok;
}

static bool too_many(exo_vm *vm, const gts *g)
{
    if (g->len > UINT32_MAX)
        return vm_limit(vm, "Cannot sort a GTS of more than 4294967295 points.");
    return false;
}

bool gts_sort(exo_vm *vm, gts *g, bool descending)
{
    size_t n = g->len;
    if (monotone(g->ticks, n, !descending)) {
        g->sorted = descending ? GTS_DESC : GTS_ASC;
        return true;
    }
    /* sorted the other way round: reverse, as Warp 10 does */
    if (monotone(g->ticks, n, descending)) {
        if (!own_ticks(vm, g, 0))
            return false;
        reverse_points(g);
        g->sorted = descending ? GTS_DESC : GTS_ASC;
        return true;
    }
    if (too_many(vm, g))
        return false;
    uint64_t *keys = vm_alloc(vm, n * sizeof(uint64_t));
    if (!keys)
        return false;
    advise_huge(keys, n * sizeof(uint64_t));
    for (size_t i = 0; i < n; i++) {
        uint64_t k = (uint64_t)g->ticks[i] ^ (1ull << 63);
        keys[i] = descending ? ~k : k;
    }
    bool ok = sort_by_keys(vm, g, keys);
    vm_dealloc(vm, keys, n * sizeof(uint64_t));
    if (ok)
        g->sorted = descending ? GTS_DESC : GTS_ASC;
    return ok;
}

/* Order-preserving map of a double to an unsigned key (NaN last). */
static uint64_t dkey(double d)
{
    uint64_t u;
    if (isnan(d))
        return UINT64_MAX;
    if (d == 0)
        d = 0.0; /* -0.0 == 0.0 */
    memcpy(&u, &d, sizeof u);
    return (u >> 63) ? ~u : u ^ (1ull << 63);
}

static int str_cmp(const str *a, const str *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->data, b->data, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Stable merge sort of indexes by string value. */
static void msort_str(uint32_t *a, uint32_t *tmp, size_t n, str *const *vals, bool desc)
{
    if (n < 2)
        return;
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            uint32_t x = a[i];
            size_t j = i;
            while (j > 0) {
                int c = str_cmp(vals[a[j - 1]], vals[x]);
                if (desc ? c >= 0 : c <= 0)
                    break;
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
        return;
    }
    size_t h = n / 2;
    msort_str(a, tmp, h, vals, desc);
    msort_str(a + h, tmp, n - h, vals, desc);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        int c = str_cmp(vals[a[j]], vals[a[i]]);
        bool take_right = desc ? c > 0 : c < 0;
        tmp[k++] = take_right ? a[j++] : a[i++];
    }
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof(uint32_t));
}

bool gts_sort_by_value(exo_vm *vm, gts *g, bool descending)
{
    size_t n = g->len;
    if (n < 2)
        return true;
    if (too_many(vm, g))
        return false;
    if (g->type == GTS_STRING) {
        uint32_t *perm = vm_alloc(vm, n * sizeof(uint32_t));
        uint32_t *tmp = perm ? vm_alloc(vm, n * sizeof(uint32_t)) : NULL;
        if (!tmp) {
            vm_dealloc(vm, perm, perm ? n * sizeof(uint32_t) : 0);
            return false;
        }
        for (size_t i = 0; i < n; i++)
            perm[i] = (uint32_t)i;
        msort_str(perm, tmp, n, g->v.s, descending);
        vm_dealloc(vm, tmp, n * sizeof(uint32_t));
        bool ok = gts_permute(vm, g, perm);
        vm_dealloc(vm, perm, n * sizeof(uint32_t));
        return ok;
    }
    uint64_t *keys = vm_alloc(vm, n * sizeof(uint64_t));
    if (!keys)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = g->type == GTS_LONG     ? (uint64_t)g->v.l[i] ^ (1ull << 63)
                     : g->type == GTS_DOUBLE ? dkey(g->v.d[i])
                                             : g->v.b[i];
        keys[i] = descending ? ~k : k;
    }
    bool ok = sort_by_keys(vm, g, keys);
    vm_dealloc(vm, keys, n * sizeof(uint64_t));
    return ok;
}

/* ---- point lists, JSON, snapshot, FOREACH ---- */

bool gts_point_list(exo_vm *vm, const gts *g, int64_t i, value *out)
{
    list *l = list_new(vm, 5);
    if (!l)
        return false;
    double lat = NAN, lon = NAN, elev = NAN;
    value t = v_double(NAN), v = v_null();
    if (i >= 0) {
        t = v_long(g->ticks[i]);
        if (g->loc)
            gts_unpack_location(g->loc[i], &lat, &lon);
        v = gts_value_at(g, (size_t)i);
    }
    value e = v_double(elev);
    if (i >= 0 && g->elev && g->elev[i] != GTS_NO_ELEVATION)
        e = v_long(g->elev[i]);
    list_push(vm, l, t);
    list_push(vm, l, v_double(lat));
    list_push(vm, l, v_double(lon));
    list_push(vm, l, e);
    list_push(vm, l, v); /* capacity reserved: cannot fail */
    *out = v_obj(T_LIST, l);
    return true;
}

static void json_double(sbuf *b, double d, bool strict)
{
    char buf[NUMFMT_MAX];
    size_t n = fmt_double(d, buf);
    bool special = isnan(d) || isinf(d);
    if (special && strict)
        sb_putc(b, '"');
    sb_put(b, buf, n);
    if (special && strict)
        sb_putc(b, '"');
}

static void json_strmap(sbuf *b, const map *m)
{
    sb_putc(b, '{');
    for (size_t i = 0; i < m->len; i++) {
        if (i)
            sb_putc(b, ',');
        const str *k = AS_STR(m->ents[i].key), *v = AS_STR(m->ents[i].val);
        json_write_string(b, k->data, k->len, false);
        sb_putc(b, ':');
        json_write_string(b, v->data, v->len, false);
    }
    sb_putc(b, '}');
}

static bool gts_json(exo_vm *vm, sbuf *b, value v, bool strict)
{
    const gts *g = AS_GTS(v);
    char buf[NUMFMT_MAX];
    sb_puts(b, "{\"c\":");
    json_write_string(b, AS_STR(g->cls)->data, AS_STR(g->cls)->len, false);
    sb_puts(b, ",\"l\":");
    json_strmap(b, g->labels);
    sb_puts(b, ",\"a\":");
    json_strmap(b, g->attrs);
    sb_puts(b, ",\"la\":");
    sb_put(b, buf, fmt_long(g->lastactivity, buf));
    sb_puts(b, ",\"v\":[");
    for (size_t i = 0; i < g->len && !b->failed; i++) {
        if (i)
            sb_putc(b, ',');
        sb_putc(b, '[');
        sb_put(b, buf, fmt_long(g->ticks[i], buf));
        sb_putc(b, ',');
        if (g->loc && g->loc[i] != GTS_NO_LOCATION) {
            double lat, lon;
            gts_unpack_location(g->loc[i], &lat, &lon);
            json_double(b, lat, strict);
            sb_putc(b, ',');
            json_double(b, lon, strict);
            sb_putc(b, ',');
        }
        if (g->elev && g->elev[i] != GTS_NO_ELEVATION) {
            sb_put(b, buf, fmt_long(g->elev[i], buf));
            sb_putc(b, ',');
        }
        switch (g->type) {
        case GTS_LONG:
            sb_put(b, buf, fmt_long(g->v.l[i], buf));
            break;
        case GTS_DOUBLE:
            json_double(b, g->v.d[i], strict);
            break;
        case GTS_BOOLEAN:
            sb_puts(b, g->v.b[i] ? "true" : "false");
            break;
        case GTS_STRING:
            json_write_string(b, g->v.s[i]->data, g->v.s[i]->len, false);
            break;
        default:
            sb_puts(b, "null");
        }
        sb_putc(b, ']');
    }
    sb_puts(b, "]}");
    return b->failed ? vm_oom(vm) : true;
}

static void snap_strmap(sbuf *b, const map *m)
{
    sb_puts(b, "{ ");
    for (size_t i = 0; i < m->len; i++) {
        const str *k = AS_STR(m->ents[i].key), *v = AS_STR(m->ents[i].val);
        snapshot_string(b, k->data, k->len);
        sb_putc(b, ' ');
        snapshot_string(b, v->data, v->len);
        sb_putc(b, ' ');
    }
    sb_putc(b, '}');
}

/* A GTS snapshots as the WarpScript that rebuilds it. */
static bool gts_snapshot(exo_vm *vm, sbuf *b, value v)
{
    const gts *g = AS_GTS(v);
    char buf[NUMFMT_MAX];
    sb_puts(b, "NEWGTS ");
    snapshot_string(b, AS_STR(g->cls)->data, AS_STR(g->cls)->len);
    sb_puts(b, " RENAME ");
    snap_strmap(b, g->labels);
    sb_puts(b, " RELABEL ");
    snap_strmap(b, g->attrs);
    sb_puts(b, " SETATTRIBUTES");
    for (size_t i = 0; i < g->len && !b->failed; i++) {
        sb_putc(b, ' ');
        sb_put(b, buf, fmt_long(g->ticks[i], buf));
        double lat = NAN, lon = NAN;
        if (g->loc)
            gts_unpack_location(g->loc[i], &lat, &lon);
        sb_putc(b, ' ');
        sb_put(b, buf, fmt_double(lat, buf));
        sb_putc(b, ' ');
        sb_put(b, buf, fmt_double(lon, buf));
        sb_putc(b, ' ');
        if (g->elev && g->elev[i] != GTS_NO_ELEVATION)
            sb_put(b, buf, fmt_long(g->elev[i], buf));
        else
            sb_puts(b, "NaN");
        sb_putc(b, ' ');
        switch (g->type) {
        case GTS_LONG:
            sb_put(b, buf, fmt_long(g->v.l[i], buf));
            break;
        case GTS_DOUBLE:
            sb_put(b, buf, fmt_double(g->v.d[i], buf));
            break;
        case GTS_BOOLEAN:
            sb_puts(b, g->v.b[i] ? "true" : "false");
            break;
        case GTS_STRING:
            snapshot_string(b, g->v.s[i]->data, g->v.s[i]->len);
            break;
        default:
            sb_puts(b, "NULL");
        }
        sb_puts(b, " ADDVALUE");
    }
    if (gts_is_bucketized(g)) {
        /* a NULL bucketizer re-applies the bucketization metadata */
        sb_printf(b, " [ SWAP NULL %lld %lld %lld ] BUCKETIZE 0 GET", (long long)g->lastbucket,
                  (long long)g->bucketspan, (long long)g->bucketcount);
    }
    return b->failed ? vm_oom(vm) : true;
}

static int gts_foreach(exo_vm *vm, value coll, size_t i)
{
    const gts *g = AS_GTS(coll);
    if (i >= g->len)
        return 0;
    value p;
    if (!gts_point_list(vm, g, (int64_t)i, &p))
        return -1;
    return vm_push(vm, p) ? 1 : -1;
}

/* TOSTRING and other text conversions: the input format (gts_parse.c). */
static bool gts_text(exo_vm *vm, sbuf *b, value v) { return gts_to_text(vm, b, AS_GTS(v)); }

void gts_install(exo_vm *vm)
{
    vm->text_ext[T_GTS] = gts_text;
    vm->destroy_ext[T_GTS] = gts_destroy;
    vm->json_ext[T_GTS] = gts_json;
    vm->snapshot_ext[T_GTS] = gts_snapshot;
    vm->foreach_ext[T_GTS] = gts_foreach;
}
