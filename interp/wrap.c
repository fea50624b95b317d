/* Warp 10's GTSEncoder records and GTSWrapper struct (see wrap.h).
 * The encoder makes the same choices as Warp 10's (delta to the base or
 * to the previous point, zigzag varint or raw 8 bytes, "identical" flags),
 * so its output decodes in Warp 10, except that repeated doubles are
 * compared by bits (Java compares with ==, turning -0.0 after 0.0 into
 * 0.0 and never repeating NaN): a round trip gives back every bit.
 * Decoders bounds-check every read and report the byte where it failed. */
#include "wrap.h"

#include "alloc.h"
#include "numfmt.h"
#include "utf8.h"
#include "vm.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ---- record flags (first byte) ---- */
#define F_CONT 0x80 /* a location/elevation byte follows */
#define F_TS_MASK 0x60
#define F_TS_DELTA_PREV 0x00
#define F_TS_IS_BASE 0x20
#define F_TS_DELTA_BASE 0x40
#define F_TS_RAW 0x60
#define F_TYPE_MASK 0x18
#define F_BOOLEAN 0x00
#define F_LONG 0x08
#define F_DOUBLE 0x10
#define F_STRING 0x18
#define F_SUB_MASK 0x07
#define F_TRUE 0x04
#define F_FALSE 0x02
#define F_DELETE 0x07
#define F_BINARY 0x02
#define F_LONG_ZIGZAG 0x04
#define F_LONG_DELTA 0x02
#define F_DOUBLE_IEEE 0x04
#define F_SAME 0x01
/* second byte */
#define L_LOC 0x40
#define L_LOC_DELTA 0x20
#define L_LOC_SAME 0x10
#define L_ELEV 0x08
#define L_ELEV_ZIGZAG 0x04
#define L_ELEV_DELTA 0x02
#define L_ELEV_SAME 0x01

#define SMALL (INT64_C(1) << 48) /* below this a zigzag varint beats 8 raw bytes */

static inline int64_t wsub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static inline int64_t wadd(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
/* Java's Math.abs: MIN_VALUE stays negative (and so counts as small) */
static inline int64_t jabs(int64_t x) { return x < 0 ? (int64_t)(0 - (uint64_t)x) : x; }
static inline uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (0 - ((uint64_t)v >> 63)); }
static inline int64_t unzigzag(uint64_t u) { return (int64_t)((u >> 1) ^ (0 - (u & 1))); }

static inline size_t put_uvarint(uint8_t *o, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        o[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    o[n++] = (uint8_t)v;
    return n;
}

static inline size_t put_be64(uint8_t *o, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        o[i] = (uint8_t)v;
    return 8;
}

/* Reads a varint of at most 10 bytes at *i. */
static inline bool get_uvarint(const uint8_t *p, size_t n, size_t *i, uint64_t *out)
{
    uint64_t v = 0;
    for (unsigned s = 0; s < 70; s += 7) {
        if (*i >= n)
            return false;
        uint8_t c = p[(*i)++];
        v |= (uint64_t)(c & 0x7f) << s;
        if (!(c & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

static inline bool get_be64(const uint8_t *p, size_t n, size_t *i, uint64_t *out)
{
    if (n - *i < 8)
        return false;
    uint64_t v = 0;
    for (int k = 0; k < 8; k++)
        v = v << 8 | p[*i + (size_t)k];
    *i += 8;
    *out = v;
    return true;
}

/* ---- decimal doubles (the encoder's BigDecimal form) ---- */

/* The BigDecimal of Java's Double.toString(d) with trailing zeros
 * stripped, if it fits the decimal form: a scale that fits a byte and an
 * unscaled value of at most 46 bits (BigInteger.bitLength). */
static bool to_decimal(double d, int64_t *unscaled, int *scale)
{
    if (!isfinite(d) || (d == 0 && signbit(d))) /* BigDecimal has no -0 */
        return false;
    char buf[NUMFMT_MAX + 1];
    size_t n = fmt_double(d, buf);
    buf[n] = 0;
    size_t i = 0;
    bool neg = buf[0] == '-';
    if (neg)
        i++;
    uint64_t m = 0;
    int frac = 0, exp = 0;
    bool dot = false;
    for (; i < n && buf[i] != 'E'; i++) {
        if (buf[i] == '.') {
            dot = true;
            continue;
        }
        if (m > (UINT64_MAX - 9) / 10)
            return false;
        m = m * 10 + (uint64_t)(buf[i] - '0');
        frac += dot;
    }
    if (i < n)
        exp = atoi(buf + i + 1);
    int sc = frac - exp;
    if (m == 0)
        sc = 0;
    else
        while (m % 10 == 0) {
            m /= 10;
            sc--;
        }
    if (sc < -128 || sc > 127)
        return false;
    /* bitLength: of m when positive, of m - 1 when negative */
    if (neg ? m - 1 >= (UINT64_C(1) << 46) : m >= (UINT64_C(1) << 46))
        return false;
    *unscaled = neg ? -(int64_t)m : (int64_t)m;
    *scale = sc;
    return true;
}

/* BigDecimal.valueOf(unscaled, scale).doubleValue(): correctly rounded. */
static double from_decimal(int64_t u, int scale)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    uint64_t a = u < 0 ? 0 - (uint64_t)u : (uint64_t)u;
    if (a <= (UINT64_C(1) << 53)) { /* both operands exact: one rounding */
        if (scale >= 0 && scale <= 22)
            return (double)u / p10[scale];
        if (scale < 0 && scale >= -22)
            return (double)u * p10[-scale];
    }
    char buf[48];
    snprintf(buf, sizeof buf, "%" PRId64 "e%d", u, -scale);
    return strtod(buf, NULL);
}

/* ---- encoder ---- */

typedef struct enc_state {
    int64_t base, ts, loc, elev, l;
    double d;
    bool has_d;          /* d holds a written double */
    bool bd;             /* the last double was written in decimal form */
    int64_t bd_unscaled; /* ... with these digits */
    int bd_scale;
    const str *s; /* last string (NULL: none yet) */
} enc_state;

/* Writes the flags and fields of one point, except a string's bytes. */
static size_t enc_point(enc_state *st, uint8_t *o, const gts *g, size_t i, bool optimize)
{
    int64_t ts = g->ticks[i];
    int64_t loc = g->loc ? g->loc[i] : GTS_NO_LOCATION;
    int64_t elev = g->elev ? g->elev[i] : GTS_NO_ELEVATION;
    uint8_t f = 0, lf = 0;

    if (ts == st->base)
        f = F_TS_IS_BASE;
    else {
        int64_t db = jabs(wsub(ts, st->base));
        if (st->ts != 0 && jabs(wsub(ts, st->ts)) <= db)
            f = jabs(wsub(ts, st->ts)) < SMALL ? F_TS_DELTA_PREV : F_TS_RAW;
        else
            f = db < SMALL ? F_TS_DELTA_BASE : F_TS_RAW;
    }

    int64_t lv = 0, dec_u = 0;
    int dec_s = 0;
    double dv = 0;
    bool dec = false;
    switch (g->type) {
    case GTS_LONG:
        lv = g->v.l[i];
        f |= F_LONG;
        if (st->l != INT64_MAX && lv == st->l)
            f |= F_SAME;
        else {
            int64_t off = jabs(wsub(lv, st->l));
            if (st->l != INT64_MAX && off < jabs(lv) && off < SMALL)
                f |= F_LONG_DELTA | F_LONG_ZIGZAG;
            else if (jabs(lv) < SMALL)
                f |= F_LONG_ZIGZAG;
        }
        break;
    case GTS_DOUBLE:
        dv = g->v.d[i];
        f |= F_DOUBLE;
        if (optimize && to_decimal(dv, &dec_u, &dec_s)) {
            dec = true;
            if (st->bd && st->bd_unscaled == dec_u && st->bd_scale == dec_s)
                f |= F_SAME;
        } else {
            uint64_t a, b;
            memcpy(&a, &dv, 8);
            memcpy(&b, &st->d, 8);
            f |= st->has_d && !st->bd && a == b ? F_SAME : F_DOUBLE_IEEE;
        }
        break;
    case GTS_BOOLEAN:
        f |= F_BOOLEAN | (g->v.b[i] ? F_TRUE : F_FALSE);
        break;
    case GTS_STRING: {
        const str *s = g->v.s[i];
        f |= F_STRING;
        if (st->s && (st->s == s || (st->s->len == s->len && !memcmp(st->s->data, s->data, s->len))))
            f |= F_SAME;
        break;
    }
    default:
        break;
    }

    if (loc != GTS_NO_LOCATION) {
        lf |= L_LOC;
        if (st->loc != GTS_NO_LOCATION) {
            if (loc == st->loc)
                lf |= L_LOC_SAME;
            else if (jabs(wsub(loc, st->loc)) < SMALL)
                lf |= L_LOC_DELTA;
        }
    } else
        st->loc = GTS_NO_LOCATION;
    if (elev != GTS_NO_ELEVATION) {
        lf |= L_ELEV;
        if (st->elev != GTS_NO_ELEVATION) {
            if (elev == st->elev)
                lf |= L_ELEV_SAME;
            else if (jabs(wsub(elev, st->elev)) < SMALL)
                lf |= L_ELEV_DELTA | L_ELEV_ZIGZAG;
            else if (jabs(elev) < SMALL)
                lf |= L_ELEV_ZIGZAG;
        } else if (jabs(elev) < SMALL)
            lf |= L_ELEV_ZIGZAG;
    } else
        st->elev = GTS_NO_ELEVATION;
    if (lf)
        f |= F_CONT;

    size_t n = 0;
    o[n++] = f;
    if (lf)
        o[n++] = lf;
    switch (f & F_TS_MASK) {
    case F_TS_RAW:
        n += put_be64(o + n, (uint64_t)ts);
        break;
    case F_TS_DELTA_BASE:
        n += put_uvarint(o + n, zigzag(wsub(ts, st->base)));
        break;
    case F_TS_DELTA_PREV:
        n += put_uvarint(o + n, zigzag(wsub(ts, st->ts)));
        break;
    default:
        break;
    }
    st->ts = ts;
    if (lf & L_LOC) {
        if (!(lf & L_LOC_SAME))
            n += lf & L_LOC_DELTA ? put_uvarint(o + n, zigzag(wsub(loc, st->loc))) : put_be64(o + n, (uint64_t)loc);
        st->loc = loc;
    }
    if (lf & L_ELEV) {
        if (!(lf & L_ELEV_SAME)) {
            int64_t e = lf & L_ELEV_DELTA ? wsub(elev, st->elev) : elev;
            n += lf & L_ELEV_ZIGZAG ? put_uvarint(o + n, zigzag(e)) : put_be64(o + n, (uint64_t)e);
        }
        st->elev = elev;
    }
    if (f & F_SAME)
        return n;
    switch (g->type) {
    case GTS_LONG: {
        int64_t e = f & F_LONG_DELTA ? wsub(lv, st->l) : lv;
        n += f & F_LONG_ZIGZAG ? put_uvarint(o + n, zigzag(e)) : put_be64(o + n, (uint64_t)e);
        st->l = lv;
        break;
    }
    case GTS_DOUBLE:
        if (dec) {
            o[n++] = (uint8_t)(int8_t)dec_s;
            n += put_uvarint(o + n, zigzag(dec_u));
            st->bd = true;
            st->bd_unscaled = dec_u;
            st->bd_scale = dec_s;
        } else {
            uint64_t bits;
            memcpy(&bits, &dv, 8);
            n += put_be64(o + n, bits);
            st->d = dv;
            st->has_d = true;
            st->bd = false;
        }
        break;
    case GTS_STRING:
        n += put_uvarint(o + n, g->v.s[i]->len);
        st->s = g->v.s[i];
        break;
    default:
        break;
    }
    return n;
}

bool gtsenc_encode(exo_vm *vm, sbuf *out, const gts *g, int64_t base, bool optimize)
{
    enc_state st = {.base = base, .loc = GTS_NO_LOCATION, .elev = GTS_NO_ELEVATION, .l = INT64_MAX, .d = NAN};
    uint8_t rec[64]; /* 2 flag bytes + 4 fields of at most 10 bytes + a scale byte */
    for (size_t i = 0; i < g->len; i++) {
        size_t n = enc_point(&st, rec, g, i, optimize);
        if (!sb_put(out, (const char *)rec, n))
            return false;
        if (g->type == GTS_STRING && !(rec[0] & F_SAME) && !sb_put(out, g->v.s[i]->data, g->v.s[i]->len))
            return false;
    }
    (void)vm;
    return !out->failed;
}

/* ---- strings from bytes of unknown origin ---- */

/* Java's new String(bytes, UTF_8): malformed sequences become U+FFFD. */
static value utf8_string(exo_vm *vm, const uint8_t *p, size_t n)
{
    const char *s = (const char *)p;
    if (utf8_valid(s, n))
        return str_new(vm, s, n);
    sbuf b;
    sb_init(&b, vm);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t used;
        if (utf8_decode_strict(s + i, n - i, &cp, &used))
            sb_put(&b, s + i, used);
        else
            sb_put(&b, "\xEF\xBF\xBD", 3);
        i += used ? used : 1;
    }
    value v = b.failed ? v_null() : str_new(vm, b.p ? b.p : "", b.len);
    sb_free(&b);
    return v;
}

/* Java's new String(bytes, ISO_8859_1). */
static value latin1_string(exo_vm *vm, const uint8_t *p, size_t n)
{
    sbuf b;
    sb_init(&b, vm);
    for (size_t i = 0; i < n; i++) {
        char u[4];
        sb_put(&b, u, utf8_encode(p[i], u));
    }
    value v = b.failed ? v_null() : str_new(vm, b.p ? b.p : "", b.len);
    sb_free(&b);
    return v;
}

/* ---- decoder ---- */

/* The decoder's state between records, so that records can be fed in
 * pieces (straight from inflate, without the whole stream in memory). */
typedef struct gtsdec {
    exo_vm *vm;
    gts *g;
    const char *who;
    int64_t base, ts, loc, elev, l;
    double d, bd;
    bool has_bd;
    value s;    /* the last string value (owned) */
    size_t off; /* offset in the stream of the bytes fed next */
} gtsdec;

static void dec_init(gtsdec *st, exo_vm *vm, gts *g, int64_t base, const char *who)
{
    *st = (gtsdec){.vm = vm, .g = g, .who = who, .base = base, .loc = GTS_NO_LOCATION,
                   .elev = GTS_NO_ELEVATION, .l = INT64_MAX, .d = NAN, .s = v_null()};
}

static void dec_free(gtsdec *st) { val_release(st->vm, st->s); }

static bool add_value(gtsdec *st, value v)
{
    exo_vm *vm = st->vm;
    gts *g = st->g;
    if (v.type == T_NULL) /* a delete marker, or "same string" before any string */
        return true;
    if (unlikely(g->len >= vm->limits.maxpoints))
        return vm_limit(vm, "%s would return more than %llu points (maxpoints).", st->who,
                        (unsigned long long)vm->limits.maxpoints);
    if (st->loc == GTS_NO_LOCATION && st->elev == GTS_NO_ELEVATION) {
        if (v.type == T_DOUBLE)
            return gts_add_double(vm, g, st->ts, v.as.d);
        if (v.type == T_LONG)
            return gts_add_long(vm, g, st->ts, v.as.l);
    }
    return gts_add(vm, g, st->ts, st->loc, st->elev, v);
}

/* Decodes the records of p[0..n), stopping before an incomplete one unless
 * final (then it is an error, except a lone flags byte, which Warp 10
 * ignores). *used: the bytes consumed. */
static bool dec_feed(gtsdec *st, const uint8_t *p, size_t n, bool final, size_t *used)
{
    const char *why = "truncated";
    size_t i = 0, start = 0;
    uint64_t u = 0;
    gtsdec save = *st;

/* a read past the end: wait for more bytes, or fail */
#define SHORT(reason)                                                                              \
    do {                                                                                           \
        why = reason;                                                                              \
        goto short_read;                                                                           \
    } while (0)
/* reads into u */
#define VARINT()                                                                                   \
    do {                                                                                           \
        if (!get_uvarint(p, n, &i, &u)) {                                                          \
            if (i >= n)                                                                            \
                SHORT("truncated");                                                                \
            why = "invalid varint";                                                                \
            goto bad;                                                                              \
        }                                                                                          \
    } while (0)
#define BE64()                                                                                     \
    do {                                                                                           \
        if (!get_be64(p, n, &i, &u))                                                               \
            SHORT("truncated");                                                                    \
    } while (0)

    while (i < n) {
        start = i;
        save = *st;
        uint8_t f = p[i++];
        if (f == 0) { /* an encrypted chunk: skipped, as without a key */
            VARINT();
            if (u > n - i)
                SHORT("encrypted chunk past the end");
            i += (size_t)u;
            continue;
        }
        uint8_t lf = 0;
        if (f & F_CONT) {
            if (i >= n) {
                if (!final)
                    goto more;
                break; /* Warp 10 stops there too */
            }
            lf = p[i++];
        }
        switch (f & F_TS_MASK) {
        case F_TS_RAW:
            BE64();
            st->ts = (int64_t)u;
            break;
        case F_TS_IS_BASE:
            st->ts = st->base;
            break;
        case F_TS_DELTA_BASE:
            VARINT();
            st->ts = wadd(st->base, unzigzag(u));
            break;
        default:
            VARINT();
            st->ts = wadd(st->ts, unzigzag(u));
            break;
        }
        if (lf & L_LOC) {
            if (!(lf & L_LOC_SAME) && (lf & L_LOC_DELTA)) {
                VARINT();
                st->loc = wadd(st->loc, unzigzag(u));
            } else if (!(lf & L_LOC_SAME)) {
                BE64();
                st->loc = (int64_t)u;
            }
        } else
            st->loc = GTS_NO_LOCATION;
        if (lf & L_ELEV) {
            if (!(lf & L_ELEV_SAME)) {
                if (lf & L_ELEV_ZIGZAG)
                    VARINT();
                else
                    BE64();
                int64_t e = lf & L_ELEV_ZIGZAG ? unzigzag(u) : (int64_t)u;
                st->elev = lf & L_ELEV_DELTA ? wadd(st->elev, e) : e;
            }
        } else
            st->elev = GTS_NO_ELEVATION;

        value v;
        switch (f & F_TYPE_MASK) {
        case F_LONG:
            if (!(f & F_SAME)) {
                if (f & F_LONG_ZIGZAG)
                    VARINT();
                else
                    BE64();
                int64_t e = f & F_LONG_ZIGZAG ? unzigzag(u) : (int64_t)u;
                st->l = f & F_LONG_DELTA ? wadd(st->l, e) : e;
            }
            v = v_long(st->l);
            break;
        case F_DOUBLE:
            if (!(f & F_SAME)) {
                if (f & F_DOUBLE_IEEE) {
                    BE64();
                    memcpy(&st->d, &u, 8);
                    st->has_bd = false;
                } else {
                    if (i >= n)
                        SHORT("truncated");
                    int scale = (int8_t)p[i++];
                    VARINT();
                    st->bd = from_decimal(unzigzag(u), scale);
                    st->has_bd = true;
                }
            }
            v = v_double(st->has_bd ? st->bd : st->d);
            break;
        case F_STRING:
            if (!(f & F_SAME)) {
                VARINT();
                if (u > n - i)
                    SHORT("string past the end");
                value ns = f & F_BINARY ? latin1_string(st->vm, p + i, (size_t)u) : utf8_string(st->vm, p + i, (size_t)u);
                if (val_is_oom(ns))
                    return false;
                i += (size_t)u;
                val_release(st->vm, st->s);
                st->s = ns;
            }
            v = st->s;
            break;
        default: /* BOOLEAN */
            switch (f & F_SUB_MASK) {
            case F_DELETE:
                v = v_null();
                break;
            case F_TRUE:
            case F_FALSE:
                v = v_bool((f & F_SUB_MASK) == F_TRUE);
                break;
            default:
                why = "invalid boolean value";
                i = start; /* report the flags byte's position */
                goto bad;
            }
            break;
        }
        if (!add_value(st, v))
            return false;
    }
    *used = i;
    return true;
short_read:
    if (final)
        goto bad;
more: /* the record at start is incomplete: keep it for the next call */
    *st = save;
    *used = start;
    return true;
bad:
    return vm_fail(st->vm, "%s: invalid encoded data at byte %zu (%s).", st->who, st->off + i, why);
#undef SHORT
#undef VARINT
#undef BE64
}

bool gtsenc_decode(exo_vm *vm, gts *g, const uint8_t *p, size_t n, int64_t base, const char *who)
{
    gtsdec st;
    dec_init(&st, vm, g, base, who);
    size_t used;
    bool ok = dec_feed(&st, p, n, true, &used);
    dec_free(&st);
    return ok;
}

/* ---- gzip (zlib with the VM's allocator) ---- */

#define ZHDR 16 /* size prefix, keeps 16-byte alignment */

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    size_t n = (size_t)items * size + ZHDR;
    unsigned char *p = vm_alloc((exo_vm *)opaque, n);
    if (!p)
        return Z_NULL;
    memcpy(p, &n, sizeof n);
    return p + ZHDR;
}

static void z_free(voidpf opaque, voidpf ptr)
{
    if (!ptr)
        return;
    unsigned char *p = (unsigned char *)ptr - ZHDR;
    size_t n;
    memcpy(&n, p, sizeof n);
    vm_dealloc((exo_vm *)opaque, p, n);
}

static void put_le32(uint8_t *o, uint32_t v)
{
    for (int k = 0; k < 4; k++, v >>= 8)
        o[k] = (uint8_t)v;
}

bool wrap_gzip(exo_vm *vm, sbuf *out, const uint8_t *p, size_t n)
{
    /* Java's GZIPOutputStream header: no mtime, no flags, OS 0 */
    static const uint8_t hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t none[1];
    if (!p) /* an empty buffer */
        p = none;
    z_stream z;
    memset(&z, 0, sizeof z);
    z.zalloc = z_alloc;
    z.zfree = z_free;
    z.opaque = vm;
    int rc = deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK)
        return rc == Z_MEM_ERROR ? false : vm_fail(vm, "gzip: %s.", z.msg ? z.msg : "cannot start");
    sb_put(out, (const char *)hdr, sizeof hdr);
    uint8_t chunk[16384];
    size_t off = 0;
    uLong crc = crc32(0, Z_NULL, 0);
    do {
        size_t take = n - off > (1u << 30) ? (1u << 30) : n - off;
        z.next_in = (Bytef *)(uintptr_t)(p + off);
        z.avail_in = (uInt)take;
        crc = crc32(crc, p + off, (uInt)take);
        off += take;
        int flush = off == n ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = chunk;
            z.avail_out = sizeof chunk;
            rc = deflate(&z, flush);
            if (rc == Z_STREAM_ERROR)
                break;
            sb_put(out, (const char *)chunk, sizeof chunk - z.avail_out);
        } while (z.avail_out == 0);
    } while (off < n && rc != Z_STREAM_ERROR);
    deflateEnd(&z);
    if (rc != Z_STREAM_END)
        return out->failed ? false : vm_fail(vm, "gzip: compression failed.");
    uint8_t tr[8];
    put_le32(tr, (uint32_t)crc);
    put_le32(tr + 4, (uint32_t)n);
    return sb_put(out, (const char *)tr, sizeof tr);
}

bool wrap_gunzip(exo_vm *vm, const uint8_t *p, size_t n, const char *who, uint8_t **out, size_t *len,
                 size_t *cap)
{
    *out = NULL;
    *len = *cap = 0;
    z_stream z;
    memset(&z, 0, sizeof z);
    z.zalloc = z_alloc;
    z.zfree = z_free;
    z.opaque = vm;
    int rc = inflateInit2(&z, 16 + MAX_WBITS); /* gzip only */
    if (rc != Z_OK)
        return rc == Z_MEM_ERROR ? false : vm_fail(vm, "%s: cannot start decompression.", who);
    size_t c = n < 4096 ? 16384 : n * 4, off = 0, have = 0;
    uint8_t *buf = vm_alloc(vm, c);
    if (!buf) {
        inflateEnd(&z);
        return false;
    }
    const char *why = NULL;
    for (;;) {
        if (have == c) {
            size_t nc = c + c / 2;
            uint8_t *nb = nc > c ? vm_realloc(vm, buf, c, nc) : NULL;
            if (!nb)
                break; /* error set (memory limit) */
            buf = nb;
            c = nc;
        }
        size_t in = n - off > (1u << 30) ? (1u << 30) : n - off;
        size_t room = c - have > (1u << 30) ? (1u << 30) : c - have;
        z.next_in = (Bytef *)(uintptr_t)(p + off);
        z.avail_in = (uInt)in;
        z.next_out = buf + have;
        z.avail_out = (uInt)room;
        rc = inflate(&z, Z_NO_FLUSH);
        off += in - z.avail_in;
        have += room - z.avail_out;
        if (rc == Z_STREAM_END) {
            /* another member follows (Java reads them all; other trailing bytes are ignored) */
            if (n - off >= 3 && p[off] == 0x1f && p[off + 1] == 0x8b && p[off + 2] == 8) {
                inflateReset(&z);
                continue;
            }
            inflateEnd(&z);
            *out = buf;
            *len = have;
            *cap = c;
            return true;
        }
        if (rc == Z_OK)
            continue;
        if (rc == Z_BUF_ERROR && z.avail_out == 0)
            continue;
        if (rc == Z_MEM_ERROR)
            break;
        why = rc == Z_BUF_ERROR ? "truncated" : z.msg ? z.msg : "corrupt";
        break;
    }
    inflateEnd(&z);
    vm_dealloc(vm, buf, c);
    return why ? vm_fail(vm, "%s: invalid compressed data (%s).", who, why) : false;
}

/* Inflates gzip data straight into the record decoder through a small
 * window (grown only for a record larger than it, a long string), so the
 * decompressed stream is never whole in memory. Its size is still bounded
 * by maxmemory, so that a bomb of empty chunks ends. */
static bool inflate_records(gtsdec *st, const uint8_t *p, size_t n)
{
    exo_vm *vm = st->vm;
    z_stream z;
    memset(&z, 0, sizeof z);
    z.zalloc = z_alloc;
    z.zfree = z_free;
    z.opaque = vm;
    int rc = inflateInit2(&z, 16 + MAX_WBITS);
    if (rc != Z_OK)
        return rc == Z_MEM_ERROR ? false : vm_fail(vm, "%s: cannot start decompression.", st->who);
    size_t cap = 1u << 16, have = 0, off = 0;
    uint64_t total = 0;
    uint8_t *win = vm_alloc(vm, cap);
    const char *why = NULL;
    bool ok = false;
    while (win) {
        if (have == cap) {
            uint8_t *nw = vm_realloc(vm, win, cap, cap * 2);
            if (!nw)
                break;
            win = nw;
            cap *= 2;
        }
        size_t in = n - off > (1u << 30) ? (1u << 30) : n - off;
        size_t room = cap - have > (1u << 30) ? (1u << 30) : cap - have;
        z.next_in = (Bytef *)(uintptr_t)(p + off);
        z.avail_in = (uInt)in;
        z.next_out = win + have;
        z.avail_out = (uInt)room;
        rc = inflate(&z, Z_NO_FLUSH);
        off += in - z.avail_in;
        have += room - z.avail_out;
        total += room - z.avail_out;
        if (total > vm->limits.maxmemory) {
            vm_limit(vm, "%s: decompressed data would exceed %llu bytes (maxmemory).", st->who,
                     (unsigned long long)vm->limits.maxmemory);
            break;
        }
        bool end = false;
        if (rc == Z_STREAM_END) {
            /* another member follows (Java reads them all; other trailing bytes are ignored) */
            if (n - off >= 3 && p[off] == 0x1f && p[off + 1] == 0x8b && p[off + 2] == 8)
                inflateReset(&z);
            else
                end = true;
        } else if (rc == Z_MEM_ERROR)
            break;
        else if (rc == Z_BUF_ERROR && z.avail_out != 0) {
            why = "truncated";
            break;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            why = z.msg ? z.msg : "corrupt";
            break;
        }
        size_t used;
        if (!dec_feed(st, win, have, end, &used))
            break;
        st->off += used;
        memmove(win, win + used, have - used);
        have -= used;
        if (end) {
            ok = true;
            break;
        }
    }
    inflateEnd(&z);
    vm_dealloc(vm, win, cap);
    return why ? vm_fail(vm, "%s: invalid compressed data (%s).", st->who, why) : ok;
}

/* ---- Thrift compact protocol ---- */

enum {
    TT_STOP = 0, TT_TRUE = 1, TT_FALSE = 2, TT_BYTE = 3, TT_I16 = 4, TT_I32 = 5, TT_I64 = 6,
    TT_DOUBLE = 7, TT_BINARY = 8, TT_LIST = 9, TT_SET = 10, TT_MAP = 11, TT_STRUCT = 12, TT_UUID = 13,
};

static void tw_varint(sbuf *b, uint64_t v)
{
    uint8_t o[10];
    sb_put(b, (const char *)o, put_uvarint(o, v));
}

/* A field header; *last is the previous field id of the struct. */
static void tw_field(sbuf *b, int *last, int id, int type)
{
    int d = id - *last;
    if (d > 0 && d <= 15)
        sb_putc(b, (char)(d << 4 | type));
    else {
        sb_putc(b, (char)type);
        tw_varint(b, zigzag(id));
    }
    *last = id;
}

static void tw_i64(sbuf *b, int *last, int id, int64_t v)
{
    tw_field(b, last, id, TT_I64);
    tw_varint(b, zigzag(v));
}

static void tw_binary(sbuf *b, const void *s, size_t n)
{
    tw_varint(b, n);
    sb_put(b, s, n);
}

static void tw_strmap(sbuf *b, int *last, int id, const map *m)
{
    tw_field(b, last, id, TT_MAP);
    tw_varint(b, m->len);
    if (m->len)
        sb_putc(b, (char)(TT_BINARY << 4 | TT_BINARY));
    for (size_t i = 0; i < m->len; i++) {
        const str *k = AS_STR(m->ents[i].key), *v = AS_STR(m->ents[i].val);
        tw_binary(b, k->data, k->len);
        tw_binary(b, v->data, v->len);
    }
}

bool wrap_gts(exo_vm *vm, sbuf *out, const gts *g, unsigned opts)
{
    sbuf rec, z[2];
    sb_init(&rec, vm);
    sb_init(&z[0], vm);
    sb_init(&z[1], vm);
    bool ok = gtsenc_encode(vm, &rec, g, 0, opts & WRAP_OPTIMIZE);
    const sbuf *enc = &rec;
    int passes = 0;
    if (ok && (opts & WRAP_COMPRESS)) {
        /* Warp 10 gzips again while a pass shrinks the data more than 100
         * times, and keeps the last pass only if it made the data smaller */
        const sbuf *cur = &rec;
        double ratio;
        do {
            sbuf *next = &z[passes & 1];
            next->len = 0;
            if (!wrap_gzip(vm, next, (const uint8_t *)cur->p, cur->len)) {
                ok = false;
                break;
            }
            ratio = (double)cur->len / (double)next->len;
            enc = cur;
            cur = next;
            passes++;
        } while (ratio > 100.0);
        if (ok && ratio > 1.0)
            enc = cur;
        else
            passes--;
    }
    if (ok) {
        int last = 0, mlast = 0;
        tw_field(out, &last, 1, TT_STRUCT); /* metadata */
        const str *cls = g->cls.type == T_STRING ? AS_STR(g->cls) : NULL;
        tw_field(out, &mlast, 1, TT_BINARY);
        tw_binary(out, cls ? cls->data : "", cls ? cls->len : 0);
        tw_strmap(out, &mlast, 2, g->labels);
        tw_i64(out, &mlast, 3, 0); /* classId, labelsId: computed by a Warp 10 store */
        tw_i64(out, &mlast, 4, 0);
        tw_strmap(out, &mlast, 5, g->attrs);
        if (g->lastactivity != 0)
            tw_i64(out, &mlast, 7, g->lastactivity);
        sb_putc(out, TT_STOP);
        if (gts_is_bucketized(g)) {
            tw_i64(out, &last, 2, g->lastbucket);
            tw_i64(out, &last, 3, g->bucketspan);
            tw_i64(out, &last, 4, g->bucketcount);
        }
        tw_i64(out, &last, 6, 0); /* base timestamp */
        tw_field(out, &last, 7, TT_BINARY);
        tw_binary(out, enc->p ? enc->p : "", enc->len);
        tw_i64(out, &last, 8, (int64_t)g->len);
        if (opts & WRAP_COMPRESS)
            tw_field(out, &last, 9, passes > 0 ? TT_TRUE : TT_FALSE);
        if (passes > 1) {
            tw_field(out, &last, 10, TT_I32);
            tw_varint(out, zigzag(passes));
        }
        sb_putc(out, TT_STOP);
        ok = !out->failed;
    }
    sb_free(&rec);
    sb_free(&z[0]);
    sb_free(&z[1]);
    return ok;
}

/* A reader over Thrift bytes; errors name the byte where reading failed. */
typedef struct trd {
    exo_vm *vm;
    const char *who;
    const uint8_t *p;
    size_t n, i;
} trd;

#define T_MAX_DEPTH 64 /* nesting of skipped structs and containers */

static bool t_bad(trd *r, const char *why)
{
    return vm_fail(r->vm, "%s: invalid wrapper data at byte %zu (%s).", r->who, r->i, why);
}

static bool t_varint(trd *r, uint64_t *v)
{
    return get_uvarint(r->p, r->n, &r->i, v) || t_bad(r, r->i >= r->n ? "truncated" : "invalid varint");
}

static bool t_i64(trd *r, int64_t *v)
{
    uint64_t u = 0;
    if (!t_varint(r, &u))
        return false;
    *v = unzigzag(u);
    return true;
}

/* A varint32 count or length, which must fit in what is left. */
static bool t_size(trd *r, size_t per_item, size_t *out)
{
    uint64_t u = 0;
    if (!t_varint(r, &u))
        return false;
    if (u > INT32_MAX)
        return t_bad(r, "negative size");
    if (per_item && u > (r->n - r->i) / per_item)
        return t_bad(r, "size past the end");
    *out = (size_t)u;
    return true;
}

static bool t_binary(trd *r, const uint8_t **s, size_t *n)
{
    if (!t_size(r, 1, n))
        return false;
    *s = r->p + r->i;
    r->i += *n;
    return true;
}

/* Reads a field header: *type TT_STOP at the end of the struct. */
static bool t_field(trd *r, int *last, int *type, int *id)
{
    if (r->i >= r->n)
        return t_bad(r, "truncated struct");
    uint8_t h = r->p[r->i++];
    *type = h & 0x0f;
    if (*type == TT_STOP)
        return true;
    if (h >> 4)
        *id = *last + (h >> 4);
    else {
        uint64_t u = 0;
        if (!t_varint(r, &u))
            return false;
        *id = (int16_t)unzigzag(u);
    }
    *last = *id;
    return true;
}

static bool t_skip(trd *r, int type, bool in_container, int depth)
{
    uint64_t u = 0;
    size_t n, k;
    if (depth > T_MAX_DEPTH)
        return t_bad(r, "nested too deeply");
    switch (type) {
    case TT_TRUE:
    case TT_FALSE:
    case TT_BYTE:
        if (type != TT_BYTE && !in_container) /* a bool field is all in its header */
            return true;
        if (r->i >= r->n)
            return t_bad(r, "truncated");
        r->i++;
        return true;
    case TT_I16:
    case TT_I32:
    case TT_I64:
        return t_varint(r, &u);
    case TT_DOUBLE:
    case TT_UUID:
        k = type == TT_DOUBLE ? 8 : 16;
        if (r->n - r->i < k)
            return t_bad(r, "truncated");
        r->i += k;
        return true;
    case TT_BINARY: {
        const uint8_t *s;
        return t_binary(r, &s, &n);
    }
    case TT_LIST:
    case TT_SET: {
        if (r->i >= r->n)
            return t_bad(r, "truncated list");
        uint8_t h = r->p[r->i++];
        n = h >> 4;
        if (n == 15 && !t_size(r, 1, &n))
            return false;
        if (n > r->n - r->i)
            return t_bad(r, "size past the end");
        for (k = 0; k < n; k++)
            if (!t_skip(r, h & 0x0f, true, depth + 1))
                return false;
        return true;
    }
    case TT_MAP: {
        if (!t_size(r, 2, &n))
            return false;
        if (n == 0)
            return true;
        if (r->i >= r->n)
            return t_bad(r, "truncated map");
        uint8_t h = r->p[r->i++];
        for (k = 0; k < n; k++)
            if (!t_skip(r, h >> 4, true, depth + 1) || !t_skip(r, h & 0x0f, true, depth + 1))
                return false;
        return true;
    }
    case TT_STRUCT: {
        int last = 0, t = 0, id = 0;
        for (;;) {
            if (!t_field(r, &last, &t, &id))
                return false;
            if (t == TT_STOP)
                return true;
            if (!t_skip(r, t, false, depth + 1))
                return false;
        }
    }
    default:
        return t_bad(r, "unknown field type");
    }
}

/* A map<string,string> into a new map replacing *dst. */
static bool t_strmap(trd *r, map **dst)
{
    size_t n;
    if (!t_size(r, 2, &n))
        return false;
    if (n && (r->i >= r->n || r->p[r->i++] != (TT_BINARY << 4 | TT_BINARY)))
        return t_bad(r, "not a map of strings");
    map *m = map_new(r->vm, n);
    if (!m)
        return false;
    for (size_t k = 0; k < n; k++) {
        const uint8_t *ks, *vs;
        size_t kn, vn;
        if (!t_binary(r, &ks, &kn) || !t_binary(r, &vs, &vn))
            goto fail;
        value key = utf8_string(r->vm, ks, kn);
        value val = val_is_oom(key) ? v_null() : utf8_string(r->vm, vs, vn);
        if (val_is_oom(val)) {
            val_release(r->vm, key);
            goto fail;
        }
        if (!map_put(r->vm, m, key, val))
            goto fail;
    }
    val_release(r->vm, v_obj(T_MAP, *dst));
    *dst = m;
    return true;
fail:
    val_release(r->vm, v_obj(T_MAP, m));
    return false;
}

static bool t_metadata(trd *r, gts *g)
{
    int last = 0, t = 0, id = 0;
    for (;;) {
        if (!t_field(r, &last, &t, &id))
            return false;
        if (t == TT_STOP)
            return true;
        bool ok;
        if (id == 1 && t == TT_BINARY) {
            const uint8_t *s;
            size_t n;
            value v;
            ok = t_binary(r, &s, &n) && !val_is_oom(v = utf8_string(r->vm, s, n));
            if (ok) {
                val_release(r->vm, g->cls);
                g->cls = v;
            }
        } else if ((id == 2 || id == 5) && t == TT_MAP)
            ok = t_strmap(r, id == 2 ? &g->labels : &g->attrs);
        else if (id == 7 && t == TT_I64)
            ok = t_i64(r, &g->lastactivity);
        else
            ok = t_skip(r, t, false, 1);
        if (!ok)
            return false;
    }
}

typedef struct wrapper {
    int64_t lastbucket, bucketspan, bucketcount, base, count;
    bool has_lastbucket, has_bucketspan, has_bucketcount, compressed;
    const uint8_t *enc; /* NULL when absent */
    size_t enc_len;
    int64_t passes;
} wrapper;

/* Reads the wrapper's fields; the metadata goes to g (skipped if NULL). */
static bool t_wrapper(trd *r, wrapper *w, gts *g)
{
    memset(w, 0, sizeof *w);
    w->passes = 1;
    int last = 0, t = 0, id = 0;
    for (;;) {
        if (!t_field(r, &last, &t, &id))
            return false;
        if (t == TT_STOP)
            return true;
        bool ok;
        if (id == 1 && t == TT_STRUCT && g)
            ok = t_metadata(r, g);
        else if (id >= 2 && id <= 4 && t == TT_I64) {
            int64_t *f = id == 2 ? &w->lastbucket : id == 3 ? &w->bucketspan : &w->bucketcount;
            bool *has = id == 2 ? &w->has_lastbucket : id == 3 ? &w->has_bucketspan : &w->has_bucketcount;
            ok = t_i64(r, f);
            *has = true;
        } else if (id == 6 && t == TT_I64)
            ok = t_i64(r, &w->base);
        else if (id == 7 && t == TT_BINARY)
            ok = t_binary(r, &w->enc, &w->enc_len);
        else if (id == 8 && t == TT_I64)
            ok = t_i64(r, &w->count);
        else if (id == 9 && (t == TT_TRUE || t == TT_FALSE)) {
            w->compressed = t == TT_TRUE;
            ok = true;
        } else if (id == 10 && t == TT_I32) {
            uint64_t u = 0;
            ok = t_varint(r, &u);
            w->passes = (int32_t)(((uint32_t)u >> 1) ^ (0 - ((uint32_t)u & 1)));
        } else
            ok = t_skip(r, t, false, 1);
        if (!ok)
            return false;
    }
}

#define MAX_PASSES 64 /* Warp 10 stops at a ratio under 100: more passes are hostile */

bool unwrap_gts(exo_vm *vm, const uint8_t *p, size_t n, bool points, const char *who, gts **out)
{
    *out = NULL;
    gts *g = gts_new(vm);
    if (!g)
        return false;
    trd r = {vm, who, p, n, 0};
    wrapper w;
    if (!t_wrapper(&r, &w, g))
        goto fail;
    /* Warp 10 keeps bucketcount in an int */
    if (w.has_bucketcount)
        g->bucketcount = (int32_t)w.bucketcount;
    if (w.has_bucketspan)
        g->bucketspan = w.bucketspan;
    if (w.has_lastbucket)
        g->lastbucket = w.lastbucket;
    if (points && w.enc) {
        const uint8_t *data = w.enc;
        size_t len = w.enc_len;
        uint8_t *buf = NULL;
        size_t cap = 0;
        bool ok = true, inflate_last = w.compressed && w.passes > 0;
        if (inflate_last && w.passes > MAX_PASSES) {
            vm_fail(vm, "%s: invalid wrapper data (%" PRId64 " compression passes).", who, w.passes);
            goto fail;
        }
        /* all passes but the last whole, the last one streamed */
        for (int64_t k = 1; inflate_last && k < w.passes; k++) {
            uint8_t *nb;
            size_t nlen, ncap;
            ok = wrap_gunzip(vm, data, len, who, &nb, &nlen, &ncap);
            vm_dealloc(vm, buf, cap);
            buf = NULL;
            cap = 0;
            if (!ok)
                goto fail;
            buf = nb;
            cap = ncap;
            data = nb;
            len = nlen;
        }
        /* room for the declared count, within reason (a point takes at least a byte) */
        uint64_t most = inflate_last ? (uint64_t)len * 64 : len;
        uint64_t hint = w.count > 0 ? (uint64_t)w.count : 0;
        if (hint > most)
            hint = most;
        if (hint > vm->limits.maxpoints)
            hint = vm->limits.maxpoints;
        gtsdec st;
        dec_init(&st, vm, g, w.base, who);
        size_t used;
        ok = gts_reserve(vm, g, (size_t)hint) &&
             (inflate_last ? inflate_records(&st, data, len) : dec_feed(&st, data, len, true, &used));
        dec_free(&st);
        vm_dealloc(vm, buf, cap);
        if (!ok || (g->cap > g->len + 16 && !gts_shrink_to_fit(vm, g)))
            goto fail;
    }
    *out = g;
    return true;
fail:
    val_release(vm, v_obj(T_GTS, g));
    return false;
}

bool unwrap_count(exo_vm *vm, const uint8_t *p, size_t n, const char *who, int64_t *count)
{
    trd r = {vm, who, p, n, 0};
    wrapper w;
    if (!t_wrapper(&r, &w, NULL))
        return false;
    *count = w.count;
    return true;
}
