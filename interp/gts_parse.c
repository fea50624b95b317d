/* The GTS input format (spec c.3): `TS/LAT:LON/ELEV class{labels}{attrs} VALUE`
 * and `=TS/LAT:LON/ELEV VALUE` continuation lines, for PARSE and data files.
 * One pass, no allocation per line: the series token of a line is compared
 * byte for byte with the previous one and its GTS reused; class and labels
 * are decoded only when the series changes. The common line (`TICK// TOKEN
 * VALUE` of the current series, a plain decimal value) is read in a single
 * scan, digits eight at a time; numbers take Clinger's exact fast path
 * (mantissa < 2^53 divided by an exact power of ten) and fall back to
 * strtod, so doubles are always correctly rounded. The same parser feeds
 * PARSE (a LIST, one GTS per run of lines) and the store (store.c). */
#include "gts_parse.h"
#include "alloc.h"
#include "numfmt.h"
#include "vm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ---- */

static bool perr(exo_vm *vm, gts_reader *r, const char *fmt, const char *detail)
{
    char msg[200];
    snprintf(msg, sizeof msg, fmt, detail ? detail : "");
    return vm_fail(vm, "%s line %zu: %s", r->prefix, r->line, msg);
}

/* ---- percent decoding ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) into a new STRING as Warp 10 does: only text holding a
 * '%' is URL-decoded (%XX escapes, '+' as a space). */
static bool decode(exo_vm *vm, gts_reader *r, const char *s, size_t n, value *out, const char *what)
{
    if (!memchr(s, '%', n)) {
        *out = str_new(vm, s, n);
        return !val_is_oom(*out);
    }
    char small[256], *buf = n <= sizeof small ? small : vm_alloc(vm, n);
    if (!buf)
        return false;
    size_t k = 0;
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            buf[k++] = s[i] == '+' ? ' ' : s[i]; /* URLDecoder, applied only when a '%' is present */
            continue;
        }
        int a = i + 1 < n ? hexval(s[i + 1]) : -1, b = i + 2 < n ? hexval(s[i + 2]) : -1;
        int h = a >= 0 && b >= 0 ? a * 16 + b : -1;
        if (h < 0) {
            ok = perr(vm, r, "malformed percent escape in %s.", what);
            break;
        }
        buf[k++] = (char)h;
        i += 2;
    }
    if (ok) {
        *out = str_new(vm, buf, k);
        ok = !val_is_oom(*out);
    }
    if (buf != small)
        vm_dealloc(vm, buf, n);
    return ok;
}

void gts_encode_name(sbuf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        while (run < len) {
            unsigned char c = (unsigned char)s[run];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '-' || c == '_' || c == '*'))
                break;
            run++;
        }
        sb_put(b, s + i, run - i);
        if (run == len)
            break;
        unsigned char c = (unsigned char)s[run];
        char e[3] = {'%', hex[c >> 4], hex[c & 15]};
        sb_put(b, e, 3);
        i = run + 1;
    }
}

/* ---- numbers ---- */

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Digits eight at a time (SWAR on a little-endian 64-bit load). The byte
 * tests are carry-free: a byte is a digit iff its low 7 bits are in
 * [0x30, 0x3A) and its high bit is clear. */
static inline unsigned lead_digits(uint64_t v)
{
    uint64_t a = (v & 0x7F7F7F7F7F7F7F7Full) + 0x4646464646464646ull; /* high bit: >= 0x3A */
    uint64_t b = (v | 0x8080808080808080ull) - 0x3030303030303030ull; /* high bit clear: < 0x30 */
    uint64_t nd = (a | v | ~b) & 0x8080808080808080ull;
    return nd ? (unsigned)__builtin_ctzll(nd) >> 3 : 8;
}

/* The value of the k (1..8) leading digit bytes of v: shifted up so the
 * missing digits read as leading zeros, then pairs, quads, the octet. */
static inline uint64_t digits_value(uint64_t v, unsigned k)
{
    uint64_t d = (v - 0x3030303030303030ull) << (8 * (8 - k));
    d = d * 10 + (d >> 8);
    return (((d & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
            (((d >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
           32;
}

static const uint64_t pow10_u64[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

/* Reads at most max digits from q (before end) into *m (*m * 10^k + the
 * digits); returns k, the number read. With 16 bytes readable and room
 * for 16 digits, two octets are tested at once (ticks have 16 digits,
 * values a few before and after the dot); else byte by byte. */
static inline size_t read_digits(const char *q, const char *end, size_t max, uint64_t *m)
{
    size_t n = 0;
    uint64_t acc = *m;
    unsigned c;
    if (end - q >= 16 && max >= 16) {
        uint64_t v1, v2;
        memcpy(&v1, q, 8);
        memcpy(&v2, q + 8, 8);
        unsigned k1 = lead_digits(v1);
        if (k1 < 8) {
            if (k1)
                *m = acc * pow10_u64[k1] + digits_value(v1, k1);
            return k1;
        }
        acc = acc * 100000000u + digits_value(v1, 8);
        unsigned k2 = lead_digits(v2);
        if (k2 < 8) {
            *m = k2 ? acc * pow10_u64[k2] + digits_value(v2, k2) : acc;
            return 8 + k2;
        }
        acc = acc * 100000000u + digits_value(v2, 8);
        n = 16;
    }
    while (n < max && q + n < end && (c = (unsigned char)q[n] - '0') < 10)
        acc = acc * 10 + c, n++;
    *m = acc;
    return n;
}

/* Same bytes (n small: the series token of a line). */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            return false;
    }
    for (; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Java's double syntax (Double.valueOf), checked then read with strtod. */
static bool slow_double(exo_vm *vm, const char *s, size_t n, double *out)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if ((n - i == 3 && memcmp(s + i, "NaN", 3) == 0) || (n - i == 8 && memcmp(s + i, "Infinity", 8) == 0)) {
        double d = s[i] == 'N' ? NAN : INFINITY;
        *out = s[0] == '-' ? -d : d;
        return true;
    }
    size_t digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (!digits)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t ed = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, ed++;
        if (!ed)
            return false;
    }
    if (i < n && (s[i] == 'd' || s[i] == 'D' || s[i] == 'f' || s[i] == 'F') && i + 1 == n)
        n = i;
    if (i != n)
        return false;
    char small[128], *buf = n < sizeof small ? small : vm_alloc(vm, n + 1);
    if (!buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    *out = strtod(buf, NULL);
    if (buf != small)
        vm_dealloc(vm, buf, n + 1);
    return true;
}

/* The general number syntax: every digit, sign and exponent form (LONG
 * range checked exactly; doubles by Clinger's fast path or strtod).
 * Returns 0 = not a number, 1 = LONG, 2 = DOUBLE, 3 = LONG out of range. */
static int parse_number_slow(exo_vm *vm, const char *s, size_t n, int64_t *l, double *d)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    uint64_t m = 0;
    int nd = 0, exp10 = 0;
    bool dot = false, any = false;
    size_t start = i;
    for (; i < n; i++) {
        unsigned c = (unsigned char)s[i] - '0';
        if (c < 10) {
            any = true;
            if (nd < 19) {
                m = m * 10 + c;
                if (m)
                    nd++;
                if (dot)
                    exp10--;
            } else {
                if (!dot)
                    exp10++;
                nd = 20; /* too many digits for the fast path */
            }
        } else if (s[i] == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (i == n && any && !dot) {
        /* a LONG: exact check of the range */
        uint64_t acc = 0;
        for (size_t k = start; k < n; k++) {
            unsigned c = (unsigned char)s[k] - '0';
            if (acc > (UINT64_MAX - c) / 10)
                return 3;
            acc = acc * 10 + c;
        }
        if (acc > (uint64_t)INT64_MAX + neg)
            return 3;
        *l = neg ? (int64_t)(0 - acc) : (int64_t)acc;
        return 1;
    }
    if (i == n && any && nd <= 19 && m < (1ull << 53) && exp10 >= -22 && exp10 <= 22) {
        double x = (double)m;
        x = exp10 < 0 ? x / pow10_exact[-exp10] : x * pow10_exact[exp10];
        *d = neg ? -x : x;
        return 2;
    }
    return slow_double(vm, s, n, d) ? 2 : 0;
}

/* Parses a number token: LONG when it is [+-]digits, else DOUBLE.
 * Returns 0 = not a number, 1 = LONG, 2 = DOUBLE, 3 = LONG out of range.
 * The common forms take one scan: up to 19 digits (no overflow in a
 * uint64), then either the end (a LONG) or a fraction whose digits keep
 * the mantissa below 2^53: the value is then m / 10^k, one correctly
 * rounded division of two exact doubles (Clinger's fast path), which is
 * what strtod returns. Anything else goes the general way. */
static inline int parse_number(exo_vm *vm, const char *s, size_t n, int64_t *l, double *d)
{
    const char *p = s, *e = s + n;
    bool neg = false;
    if (p < e && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    uint64_t m = 0;
    size_t ni = read_digits(p, e, 19, &m);
    p += ni;
    if (p == e) {
        if (ni == 0)
            return 0;
        if (m > (uint64_t)INT64_MAX + neg)
            return 3;
        *l = neg ? (int64_t)(0 - m) : (int64_t)m;
        return 1;
    }
    if (*p == '.') {
        size_t nf = read_digits(++p, e, 19 - ni, &m); /* 19 digits in all */
        p += nf;
        if (p == e && ni + nf > 0 && m < (1ull << 53) && nf <= 22) {
            double x = (double)m / pow10_exact[nf];
            *d = neg ? -x : x;
            return 2;
        }
    }
    return parse_number_slow(vm, s, n, l, d);
}

/* ---- values ---- */

static bool decode_b64(const char *s, size_t n, char *out, size_t *outn)
{
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint32_t acc = 0;
    int bits = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=')
            break;
        const char *p = memchr(alpha, s[i], 64);
        if (!p || !s[i])
            return false;
        acc = (acc << 6) | (uint32_t)(p - alpha);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[k++] = (char)((acc >> bits) & 0xff);
        }
    }
    *outn = k;
    return true;
}

/* Bytes (b64:/hex: values) are stored as their ISO-8859-1 text. */
static value latin1(exo_vm *vm, const unsigned char *b, size_t n)
{
    sbuf t;
    sb_init(&t, vm);
    for (size_t i = 0; i < n; i++) {
        if (b[i] < 0x80) {
            sb_putc(&t, (char)b[i]);
        } else {
            char u[2] = {(char)(0xc0 | (b[i] >> 6)), (char)(0x80 | (b[i] & 0x3f))};
            sb_put(&t, u, 2);
        }
    }
    value r = t.failed ? v_null() : str_new(vm, t.p ? t.p : "", t.len);
    sb_free(&t);
    return r;
}

static bool ieq(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((s[i] | 0x20) != lit[i])
            return false;
    return true;
}

/* Parses VALUE into *out (a STRING is a new reference). */
static bool parse_value(exo_vm *vm, gts_reader *r, const char *s, size_t n, value *out)
{
    if (n == 0)
        return perr(vm, r, "missing value.%s", NULL);
    char c = s[0];
    if (c == '\'' || c == '"') {
        if (n < 2 || s[n - 1] != c)
            return perr(vm, r, "unterminated string value.%s", NULL);
        return decode(vm, r, s + 1, n - 2, out, "a string value");
    }
    if (ieq(s, n, "t") || ieq(s, n, "true")) {
        *out = v_bool(true);
        return true;
    }
    if (ieq(s, n, "f") || ieq(s, n, "false")) {
        *out = v_bool(false);
        return true;
    }
    if (n >= 4 && (memcmp(s, "hex:", 4) == 0 || memcmp(s, "b64:", 4) == 0)) {
        size_t m = n - 4, k = 0;
        unsigned char *buf = vm_alloc(vm, m + 1);
        if (!buf)
            return false;
        bool ok = true;
        if (s[0] == 'h') {
            ok = m % 2 == 0;
            for (size_t i = 0; ok && i < m; i += 2) {
                int a = hexval(s[4 + i]), b = hexval(s[5 + i]);
                ok = a >= 0 && b >= 0;
                buf[k++] = (unsigned char)(a * 16 + b);
            }
        } else {
            ok = decode_b64(s + 4, m, (char *)buf, &k);
        }
        if (ok) {
            *out = latin1(vm, buf, k);
            ok = !val_is_oom(*out);
        } else {
            perr(vm, r, "malformed %.3s value.", s);
        }
        vm_dealloc(vm, buf, m + 1);
        return ok;
    }
    int64_t l;
    double d;
    switch (parse_number(vm, s, n, &l, &d)) {
    case 1:
        *out = v_long(l);
        return true;
    case 2:
        *out = v_double(d);
        return true;
    case 3:
        return perr(vm, r, "LONG value out of range.%s", NULL);
    default: {
        char tok[40];
        snprintf(tok, sizeof tok, "%.*s%s", (int)(n > 32 ? 32 : n), s, n > 32 ? "..." : "");
        return perr(vm, r, "invalid value '%s'.", tok);
    }
    }
}

/* ---- series token: class{labels}{attrs} ---- */

/* Parses k=v,k=v (already without braces) into map m. */
static bool parse_kv(exo_vm *vm, gts_reader *r, const char *s, size_t n, map *m, const char *what)
{
    size_t i = 0;
    while (i < n) {
        const char *comma = memchr(s + i, ',', n - i);
        size_t e = comma ? (size_t)(comma - s) : n;
        const char *eq = memchr(s + i, '=', e - i);
        if (!eq)
            return perr(vm, r, "%s entry without '='.", what);
        size_t k = (size_t)(eq - s);
        value key, val;
        if (!decode(vm, r, s + i, k - i, &key, what))
            return false;
        if (!decode(vm, r, s + k + 1, e - k - 1, &val, what)) {
            val_release(vm, key);
            return false;
        }
        if (!map_put(vm, m, key, val))
            return false;
        i = e + 1;
        if (comma && i == n)
            return perr(vm, r, "trailing ',' in %s.", what);
    }
    return true;
}

static gts *parse_series(exo_vm *vm, gts_reader *r, const char *s, size_t n)
{
    const char *ob = memchr(s, '{', n);
    if (!ob) {
        perr(vm, r, "missing '{' after the class name.%s", NULL);
        return NULL;
    }
    size_t c = (size_t)(ob - s);
    const char *cb = memchr(ob, '}', n - c);
    if (!cb) {
        perr(vm, r, "missing '}' after the labels.%s", NULL);
        return NULL;
    }
    size_t le = (size_t)(cb - s);
    gts *g = gts_new(vm);
    if (!g)
        return NULL;
    value cls;
    if (!decode(vm, r, s, c, &cls, "the class name"))
        goto fail;
    val_release(vm, g->cls);
    g->cls = cls;
    if (!parse_kv(vm, r, s + c + 1, le - c - 1, g->labels, "labels"))
        goto fail;
    size_t rest = le + 1;
    if (rest < n) {
        if (s[rest] != '{' || s[n - 1] != '}' || memchr(s + rest + 1, '}', n - rest - 2)) {
            perr(vm, r, "unexpected text after the labels.%s", NULL);
            goto fail;
        }
        if (!parse_kv(vm, r, s + rest + 1, n - rest - 2, g->attrs, "attributes"))
            goto fail;
    }
    return g;
fail:
    val_release(vm, v_obj(T_GTS, g));
    return NULL;
}

/* ---- lines ---- */

static bool parse_i64(exo_vm *vm, const char *s, size_t n, int64_t *out)
{
    int64_t l;
    double d;
    return n && parse_number(vm, s, n, &l, &d) == 1 && (*out = l, true);
}

/* Keeps a copy of the current series token (it must survive the buffer). */
static bool remember_token(exo_vm *vm, gts_reader *r, const char *s, size_t n)
{
    if (n > r->tok_cap) {
        char *p = vm_realloc(vm, r->tok, r->tok_cap, n);
        if (!p)
            return false;
        r->tok = p;
        r->tok_cap = n;
    }
    memcpy(r->tok, s, n);
    r->tok_len = n;
    return true;
}

static bool parse_line(exo_vm *vm, gts_reader *r, const char *s, size_t n)
{
    bool cont = s[0] == '=';
    size_t i = cont;
    /* TS */
    const char *slash = memchr(s + i, '/', n - i);
    if (!slash)
        return perr(vm, r, "expected TS/LAT:LON/ELEV at the start of the line.%s", NULL);
    size_t te = (size_t)(slash - s);
    int64_t tick;
    if (te == i) {
        if (r->now == INT64_MIN)
            return perr(vm, r, "an empty timestamp needs the current time (clock capability).%s", NULL);
        tick = r->now;
    } else if (s[i] == 'T') { /* T-offset: relative to now */
        int64_t off = 0;
        if (r->now == INT64_MIN)
            return perr(vm, r, "a relative timestamp needs the current time (clock capability).%s", NULL);
        if (te > i + 1 && !parse_i64(vm, s + i + 1, te - i - 1, &off))
            return perr(vm, r, "invalid timestamp.%s", NULL);
        tick = (int64_t)((uint64_t)r->now + (uint64_t)off);
    } else if (!parse_i64(vm, s + i, te - i, &tick)) {
        return perr(vm, r, "invalid timestamp.%s", NULL);
    }
    /* LAT:LON */
    i = te + 1;
    const char *slash2 = memchr(s + i, '/', n - i);
    if (!slash2)
        return perr(vm, r, "expected '/' after the location.%s", NULL);
    size_t le = (size_t)(slash2 - s);
    int64_t loc = GTS_NO_LOCATION, elev = GTS_NO_ELEVATION;
    if (le > i) {
        const char *colon = memchr(s + i, ':', le - i);
        int64_t l;
        double lat, lon;
        int a, b;
        if (!colon) { /* a packed HHCode */
            if (!parse_i64(vm, s + i, le - i, &loc))
                return perr(vm, r, "invalid location (expected LAT:LON).%s", NULL);
            goto elevation;
        }
        size_t ce = (size_t)(colon - s);
        a = parse_number(vm, s + i, ce - i, &l, &lat);
        if (a == 1)
            lat = (double)l;
        b = parse_number(vm, s + ce + 1, le - ce - 1, &l, &lon);
        if (b == 1)
            lon = (double)l;
        if ((a != 1 && a != 2) || (b != 1 && b != 2))
            return perr(vm, r, "invalid location (expected LAT:LON).%s", NULL);
        loc = gts_pack_location(lat, lon);
    }
elevation: /* ELEV up to the first blank */
    i = le + 1;
    size_t ee = i;
    while (ee < n && s[ee] != ' ' && s[ee] != '\t')
        ee++;
    if (ee > i && !parse_i64(vm, s + i, ee - i, &elev))
        return perr(vm, r, "invalid elevation.%s", NULL);
    while (ee < n && (s[ee] == ' ' || s[ee] == '\t'))
        ee++;
    i = ee;
    if (!cont) {
        size_t se = i;
        while (se < n && s[se] != ' ' && s[se] != '\t')
            se++;
        if (se == i)
            return perr(vm, r, "missing class name.%s", NULL);
        if (!r->cur || se - i != r->tok_len || memcmp(s + i, r->tok, r->tok_len) != 0) {
            /* the series being left is usually complete (files list one
             * series after the other): give back its growth slack */
            if (r->cur && !(r->flush ? r->flush(vm, r, r->cur, true) : gts_shrink_to_fit(vm, r->cur)))
                return false;
            r->cur = NULL;
            if (!remember_token(vm, r, s + i, se - i))
                return false;
            gts *g = parse_series(vm, r, s + i, se - i);
            if (!g || !r->series(vm, r, g))
                return false;
        }
        i = se;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
    } else if (!r->cur) {
        return perr(vm, r, "a '=' line must follow a line naming a series.%s", NULL);
    }
    /* VALUE */
    gts *g = r->cur;
    if (g->len >= r->flush_at && !r->flush(vm, r, g, false))
        return false;
    const char *v = s + i;
    size_t vn = n - i;
    int64_t l;
    double d;
    if (vn && loc == GTS_NO_LOCATION && elev == GTS_NO_ELEVATION && ((unsigned)(v[0] - '0') < 10 || v[0] == '-')) {
        int k = parse_number(vm, v, vn, &l, &d);
        if (k == 2 && g->type != GTS_LONG && g->type != GTS_BOOLEAN && g->type != GTS_STRING)
            return gts_add_double(vm, g, tick, d);
        if (k == 1 && g->type != GTS_DOUBLE && g->type != GTS_BOOLEAN && g->type != GTS_STRING)
            return gts_add_long(vm, g, tick, l);
    }
    value val;
    if (!parse_value(vm, r, v, vn, &val))
        return false;
    bool ok = gts_add(vm, g, tick, loc, elev, val);
    val_release(vm, val);
    return ok;
}

static inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* The common line, `TICK// TOKEN VALUE` for the current series or
 * `=TICK// VALUE`, with a plain decimal value matching the series type,
 * read in one scan straight from the buffer (no search for the line end
 * first). Returns the start of the next line, p itself when the line is
 * not of that form (the general path then reads it: nothing was changed),
 * or NULL on failure (error set). */
static inline const char *fast_line(exo_vm *vm, gts_reader *r, gts *g, const char *p, const char *end)
{
    const char *q = p;
    bool cont = *q == '=';
    q += cont;
    bool neg = q < end && *q == '-';
    q += neg;
    uint64_t t = 0;
    size_t nt = read_digits(q, end, 18, &t);
    q += nt;
    if (nt == 0 || end - q < 3 || q[0] != '/' || q[1] != '/' || !is_blank(q[2]))
        return p;
    int64_t tick = neg ? (int64_t)(0 - t) : (int64_t)t;
    q += 3;
    while (q < end && is_blank(*q))
        q++;
    if (!cont) {
        size_t tl = r->tok_len;
        if ((size_t)(end - q) <= tl || !same_bytes(q, r->tok, tl) || !is_blank(q[tl]))
            return p;
        q += tl + 1;
        while (q < end && is_blank(*q))
            q++;
    }
    neg = q < end && *q == '-';
    q += neg;
    uint64_t m = 0;
    size_t ni = read_digits(q, end, 19, &m);
    q += ni;
    bool dbl = q < end && *q == '.';
    double x = 0;
    if (dbl) {
        size_t nf = read_digits(++q, end, 19 - ni, &m);
        q += nf;
        if (ni + nf == 0 || m >= (1ull << 53))
            return p;
        x = (double)m / pow10_exact[nf];
        x = neg ? -x : x;
    } else if (ni == 0 || m > (uint64_t)INT64_MAX) {
        return p;
    }
    if (q < end) { /* the line must end here (trailing blanks: general path) */
        if (*q != '\n')
            return p;
        q++;
    }
    size_t i = g->len;
    if (i >= r->flush_at) {
        if (!r->flush(vm, r, g, false))
            return NULL;
        i = g->len;
    }
    bool append = i && i < g->cap && g->sorted == GTS_ASC && tick >= g->ticks[i - 1] && !g->loc && !g->elev;
    if (dbl) {
        if (g->type != GTS_DOUBLE && g->type != GTS_UNDEFINED)
            return p;
        if (append && g->type == GTS_DOUBLE) {
            g->ticks[i] = tick;
            g->v.d[i] = x;
            g->len = i + 1;
        } else if (!gts_add_double(vm, g, tick, x)) {
            return NULL;
        }
    } else {
        if (g->type != GTS_LONG && g->type != GTS_UNDEFINED)
            return p;
        int64_t l = neg ? (int64_t)(0 - m) : (int64_t)m;
        if (append && g->type == GTS_LONG) {
            g->ticks[i] = tick;
            g->v.l[i] = l;
            g->len = i + 1;
        } else if (!gts_add_long(vm, g, tick, l)) {
            return NULL;
        }
    }
    r->line++;
    return q;
}

bool gts_read(exo_vm *vm, gts_reader *r, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        if (r->cur) {
            const char *q = fast_line(vm, r, r->cur, p, end);
            if (!q)
                return false;
            if (q != p) {
                p = q;
                continue;
            }
        }
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *s = p;
        size_t n = (size_t)((nl ? nl : end) - p);
        r->line++;
        p = nl ? nl + 1 : end;
        while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        while (n && (s[0] == ' ' || s[0] == '\t'))
            s++, n--;
        if (n == 0 || s[0] == '#')
            continue;
        if (!parse_line(vm, r, s, n))
            return false;
    }
    return true;
}

void gts_reader_init(gts_reader *r, const char *prefix, int64_t now, gts_series_fn series, void *ctx)
{
    memset(r, 0, sizeof *r);
    r->prefix = prefix;
    r->now = now;
    r->series = series;
    r->ctx = ctx;
    r->flush_at = SIZE_MAX;
}

void gts_reader_free(exo_vm *vm, gts_reader *r)
{
    vm_dealloc(vm, r->tok, r->tok_cap);
    r->tok = NULL;
    r->tok_cap = r->tok_len = 0;
}

/* ---- PARSE ---- */

static bool parse_series_cb(exo_vm *vm, gts_reader *r, gts *g)
{
    list *out = r->ctx;
    if (!list_push(vm, out, v_obj(T_GTS, g)))
        return false;
    r->cur = g;
    return true;
}

bool gts_parse_text(exo_vm *vm, const char *text, size_t len, int64_t now, const char *prefix, list **out)
{
    list *l = list_new(vm, 0);
    if (!l)
        return false;
    gts_reader r;
    gts_reader_init(&r, prefix, now, parse_series_cb, l);
    bool ok = gts_read(vm, &r, text, len);
    gts_reader_free(vm, &r);
    if (!ok) {
        val_release(vm, v_obj(T_LIST, l));
        return false;
    }
    *out = l;
    return true;
}

/* ---- TOSTRING ---- */

static void put_map(sbuf *b, const map *m)
{
    sb_putc(b, '{');
    for (size_t i = 0; i < m->len; i++) {
        if (i)
            sb_putc(b, ',');
        const str *k = AS_STR(m->ents[i].key), *v = AS_STR(m->ents[i].val);
        gts_encode_name(b, k->data, k->len);
        sb_putc(b, '=');
        gts_encode_name(b, v->data, v->len);
    }
    sb_putc(b, '}');
}

bool gts_to_text(exo_vm *vm, sbuf *b, const gts *g)
{
    char buf[NUMFMT_MAX];
    for (size_t i = 0; i < g->len && !b->failed; i++) {
        if (i)
            sb_putc(b, '\n');
        if (i)
            sb_putc(b, '=');
        sb_put(b, buf, fmt_long(g->ticks[i], buf));
        sb_putc(b, '/');
        if (g->loc && g->loc[i] != GTS_NO_LOCATION) {
            double lat, lon;
            gts_unpack_location(g->loc[i], &lat, &lon);
            sb_put(b, buf, fmt_double(lat, buf));
            sb_putc(b, ':');
            sb_put(b, buf, fmt_double(lon, buf));
        }
        sb_putc(b, '/');
        if (g->elev && g->elev[i] != GTS_NO_ELEVATION)
            sb_put(b, buf, fmt_long(g->elev[i], buf));
        sb_putc(b, ' ');
        if (!i) {
            const str *c = AS_STR(g->cls);
            gts_encode_name(b, c->data, c->len);
            put_map(b, g->labels);
            if (g->attrs->len)
                put_map(b, g->attrs);
            sb_putc(b, ' ');
        }
        switch (g->type) {
        case GTS_LONG:
            sb_put(b, buf, fmt_long(g->v.l[i], buf));
            break;
        case GTS_DOUBLE:
            sb_put(b, buf, fmt_double(g->v.d[i], buf));
            break;
        case GTS_BOOLEAN:
            sb_putc(b, g->v.b[i] ? 'T' : 'F');
            break;
        case GTS_STRING:
            sb_putc(b, '\'');
            gts_encode_name(b, g->v.s[i]->data, g->v.s[i]->len);
            sb_putc(b, '\'');
            break;
        default:
            break;
        }
    }
    return b->failed ? vm_oom(vm) : true;
}
