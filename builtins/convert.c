/* Conversion words (spec e.6, trap 13): TOLONG/TODOUBLE/TOSTRING/TOBOOLEAN
 * with Java's rules (Long.decode: '010' is octal; Double.valueOf's
 * grammar; (long) casts saturate and map NaN to 0, so 0.5 TOBOOLEAN is
 * false), and the bit-level words (TOHEX, FROMBIN, ->DOUBLEBITS, ...).
 * TOSTRING of a GTS (or any type defined outside interp/) goes through the
 * vm->text_ext hook its module installs. */
#include "builtins.h"

#include "../interp/numfmt.h"
#include "../interp/sbuf.h"
#include "../interp/text.h"

#include <float.h>
#include <math.h>
#include <stdlib.h> /* strtod */
#include <string.h>

/* Java's (long) d: truncation, saturating, NaN -> 0. */
static int64_t java_d2l(double d)
{
    if (isnan(d))
        return 0;
    if (d >= 9223372036854775807.0) /* 2^63 */
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

static bool replace_top(exo_vm *vm, value r)
{
    vm_drop(vm, 1);
    return vm_push(vm, r);
}

/* Java's String.trim(): drops characters <= 0x20 at both ends. */
static void trim(const char **s, size_t *n)
{
    while (*n && (unsigned char)(*s)[0] <= 0x20)
        (*s)++, (*n)--;
    while (*n && (unsigned char)(*s)[*n - 1] <= 0x20)
        (*n)--;
}

static int digit_in(char c, int radix)
{
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 99;
    return d < radix ? d : -1;
}

/* Long.decode: [+-] then 0x / 0X / # (hex), 0 followed by digits (octal)
 * or decimal; no sign after the prefix; the value must fit. */
static bool long_decode(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    int radix = 10;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (n - i >= 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
        radix = 16, i += 2;
    else if (i < n && s[i] == '#')
        radix = 16, i++;
    else if (n - i >= 2 && s[i] == '0')
        radix = 8, i++;
    if (i >= n || s[i] == '-' || s[i] == '+')
        return false;
    uint64_t mag = 0, limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
    for (; i < n; i++) {
        int d = digit_in(s[i], radix);
        if (d < 0 || mag > (limit - (uint64_t)d) / (uint64_t)radix)
            return false;
        mag = mag * (uint64_t)radix + (uint64_t)d;
    }
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

static bool w_tolong(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    int64_t r;
    switch ((vtype)v.type) {
    case T_LONG:
        return true;
    case T_DOUBLE:
        r = java_d2l(v.as.d);
        break;
    case T_BOOLEAN:
        r = v.as.b;
        break;
    case T_STRING: {
        const char *s = AS_STR(v)->data;
        size_t n = AS_STR(v)->len;
        trim(&s, &n);
        if (!long_decode(s, n, &r))
            return vm_fail(vm, "%s cannot convert '%.*s' to a LONG.", w->name, (int)(n > 64 ? 64 : n), s);
        break;
    }
    case T_BYTES: {
        /* big-endian two's complement, like new BigInteger(bytes).longValue() */
        const unsigned char *p = (const unsigned char *)AS_STR(v)->data;
        size_t n = AS_STR(v)->len;
        if (n < 1 || n > 8)
            return vm_fail(vm, "%s expects 1 to 8 bytes, got %zu.", w->name, n);
        uint64_t u = p[0] & 0x80 ? UINT64_MAX : 0;
        for (size_t i = 0; i < n; i++)
            u = u << 8 | p[i];
        r = (int64_t)u;
        break;
    }
    default:
        return vm_type_error(vm, w, 1, "a number, BOOLEAN, STRING or BYTES");
    }
    return replace_top(vm, v_long(r));
}

/* Double.valueOf's grammar: [+-] (NaN | Infinity | decimal | hex float)
 * with an optional f/F/d/D suffix on numbers. */
static bool java_double_syntax(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (n - i == 3 && memcmp(s + i, "NaN", 3) == 0)
        return true;
    if (n - i == 8 && memcmp(s + i, "Infinity", 8) == 0)
        return true;
    if (i < n && (s[n - 1] == 'f' || s[n - 1] == 'F' || s[n - 1] == 'd' || s[n - 1] == 'D'))
        n--;
    bool hex = n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
    int radix = hex ? 16 : 10;
    if (hex)
        i += 2;
    size_t digits = 0;
    while (i < n && digit_in(s[i], radix) >= 0)
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && digit_in(s[i], radix) >= 0)
            i++, digits++;
    }
    if (!digits)
        return false;
    char e = hex ? 'p' : 'e';
    if (i < n && (s[i] == e || s[i] == e - 32)) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t ed = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, ed++;
        if (!ed)
            return false;
    } else if (hex) {
        return false; /* a hex float needs its binary exponent */
    }
    return i == n;
}

/* 1: parsed, 0: not a Java double, -1: allocation failure (error set). */
static int parse_double(exo_vm *vm, const char *s, size_t n, double *out)
{
    trim(&s, &n);
    if (!java_double_syntax(s, n))
        return 0;
    char buf[128], *tmp = n < sizeof buf ? buf : vm_alloc(vm, n + 1);
    if (!tmp)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    if (n && strchr("fFdD", tmp[n - 1])) /* Java's type suffix (NaN/Infinity never end so) */
        tmp[n - 1] = 0;
    *out = strtod(tmp, NULL);
    if (tmp != buf)
        vm_dealloc(vm, tmp, n + 1);
    return 1;
}

static bool w_todouble(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    double d;
    switch ((vtype)v.type) {
    case T_DOUBLE:
        return true;
    case T_LONG:
        d = (double)v.as.l;
        break;
    case T_BOOLEAN:
        d = v.as.b ? 1.0 : 0.0;
        break;
    case T_STRING: {
        int ok = parse_double(vm, AS_STR(v)->data, AS_STR(v)->len, &d);
        if (ok < 0)
            return false;
        if (!ok)
            return vm_fail(vm, "%s cannot convert '%.*s' to a DOUBLE.", w->name,
                           (int)(AS_STR(v)->len > 64 ? 64 : AS_STR(v)->len), AS_STR(v)->data);
        break;
    }
    default:
        return vm_type_error(vm, w, 1, "a number, BOOLEAN or STRING");
    }
    return replace_top(vm, v_double(d));
}

static bool w_tostring(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (v.type == T_STRING)
        return true;
    bool scalar = v.type == T_LONG || v.type == T_DOUBLE || v.type == T_BOOLEAN;
    if (!scalar && !vm->text_ext[v.type]) /* GTS: its module's text hook */
        return vm_type_error(vm, w, 1, "a number, BOOLEAN or STRING");
    sbuf b;
    sb_init(&b, vm);
    if (!val_write_text(vm, &b, v) || !sb_cstr(&b)) {
        sb_free(&b);
        return false;
    }
    value r = str_new(vm, b.p ? b.p : "", b.len);
    sb_free(&b);
    return !val_is_oom(r) && replace_top(vm, r);
}

static bool w_toboolean(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    bool r;
    switch ((vtype)v.type) {
    case T_BOOLEAN:
        return true;
    case T_LONG:
        r = v.as.l != 0;
        break;
    case T_DOUBLE:
        r = java_d2l(v.as.d) != 0; /* longValue(): 0.5 is false */
        break;
    case T_STRING:
        r = AS_STR(v)->len != 0;
        break;
    default:
        return vm_type_error(vm, w, 1, "a number, BOOLEAN or STRING");
    }
    return replace_top(vm, v_bool(r));
}

/* ---- bit-level ---- */

/* TOHEX / TOBIN: the 64 bits of a LONG as 16 hex digits / 64 binary digits. */
static bool w_tobase(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (v.type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG");
    int bits = (int)w->magic; /* 4: hex, 1: binary */
    int digits = 64 / bits;
    char t[64];
    uint64_t u = (uint64_t)v.as.l;
    for (int i = digits - 1; i >= 0; i--, u >>= bits)
        t[i] = "0123456789abcdef"[u & ((1u << bits) - 1)];
    value r = str_new(vm, t, (size_t)digits);
    return !val_is_oom(r) && replace_top(vm, r);
}

/* FROMHEX / FROMBIN: new BigInteger(s, radix).longValue() (the low 64
 * bits); longer texts give the exact value, which must then fit a LONG
 * (the reference returns a BIGDECIMAL there). */
static bool w_frombase(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (v.type != T_STRING)
        return vm_type_error(vm, w, 1, "a STRING");
    int radix = (int)w->magic;
    size_t maxlen = radix == 16 ? 16 : 64, n = AS_STR(v)->len, i = 0;
    const char *s = AS_STR(v)->data;
    bool neg = false, big = false;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (i >= n)
        return vm_fail(vm, "%s cannot convert '%.*s' to a LONG.", w->name, (int)n, s);
    uint64_t mag = 0;
    for (; i < n; i++) {
        int d = digit_in(s[i], radix);
        if (d < 0)
            return vm_fail(vm, "%s cannot convert '%.*s' to a LONG.", w->name, (int)(n > 80 ? 80 : n), s);
        if (mag >> (radix == 16 ? 60 : 63))
            big = true;
        mag = mag * (uint64_t)radix + (uint64_t)d;
    }
    if (n > maxlen && (big || mag > (neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1)))
        return vm_fail(vm, "%s: '%.*s' does not fit in a LONG (BIGDECIMAL is not supported).", w->name,
                       (int)(n > 80 ? 80 : n), s);
    return replace_top(vm, v_long(neg ? (int64_t)(0 - mag) : (int64_t)mag));
}

/* Java's (float) d: round to nearest, overflow to infinity (no C UB). */
static float to_float(double d)
{
    if (isnan(d) || isinf(d) || fabs(d) <= FLT_MAX)
        return (float)d;
    double half_ulp = ldexp(1.0, 103); /* FLT_MAX + half an ulp rounds to infinity */
    if (fabs(d) < (double)FLT_MAX + half_ulp)
        return d > 0 ? FLT_MAX : -FLT_MAX;
    return d > 0 ? INFINITY : -INFINITY;
}

static bool w_tobits(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (v.type != T_DOUBLE)
        return vm_type_error(vm, w, 1, "a DOUBLE");
    int64_t r;
    if (w->magic) {
        float f = to_float(v.as.d);
        uint32_t u;
        memcpy(&u, &f, sizeof u);
        r = u;
    } else {
        memcpy(&r, &v.as.d, sizeof r);
    }
    return replace_top(vm, v_long(r));
}

static bool w_frombits(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (v.type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG");
    double d;
    if (w->magic) {
        uint32_t u = (uint32_t)v.as.l;
        float f;
        memcpy(&f, &u, sizeof f);
        d = f;
    } else {
        memcpy(&d, &v.as.l, sizeof d);
    }
    return replace_top(vm, v_double(d));
}

/* ->LONGBYTES: the low nbytes bytes of a LONG (or of each LONG of a list), big-endian. */
static bool w_tolongbytes(exo_vm *vm, const word *w)
{
    value nb = *vm_peek(vm, 0), v = *vm_peek(vm, 1);
    if (nb.type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG byte count");
    if (nb.as.l < 1 || nb.as.l > 8)
        return vm_fail(vm, "%s expects a number of output bytes between 1 and 8, got %lld.", w->name,
                       (long long)nb.as.l);
    size_t k = (size_t)nb.as.l, count = 1;
    const value *items = &v;
    if (v.type == T_LIST) {
        items = AS_LIST(v)->items;
        count = AS_LIST(v)->len;
        for (size_t i = 0; i < count; i++)
            if (items[i].type != T_LONG)
                return vm_fail(vm, "%s expects a LIST of LONGs, found a %s.", w->name, val_type_name(items[i]));
    } else if (v.type != T_LONG) {
        return vm_type_error(vm, w, 2, "a LONG or a LIST of LONGs");
    }
    if (count > vm->limits.maxstring / k)
        return vm_limit(vm, "String size would exceed the limit of %zu (maxstring).", (size_t)vm->limits.maxstring);
    size_t len = count * k;
    unsigned char *buf = vm_alloc(vm, len + 1);
    if (!buf)
        return false;
    for (size_t i = 0; i < count; i++) {
        uint64_t u = (uint64_t)items[i].as.l;
        for (size_t j = 0; j < k; j++)
            buf[i * k + j] = (unsigned char)(u >> (8 * (k - 1 - j)));
    }
    value r = bytes_new(vm, buf, len);
    vm_dealloc(vm, buf, len + 1);
    if (val_is_oom(r))
        return false;
    vm_drop(vm, 2);
    return vm_push(vm, r);
}

static const word convert_words[] = {
    EXO_WORD("TOLONG", w_tolong, 1, "x -- long",
             "To LONG: numbers truncated, true/false as 1/0, strings by Long.decode ('0x1F', '#1F', '010' octal), 1-8 BYTES big-endian."),
    EXO_WORD("TODOUBLE", w_todouble, 1, "x -- double", "To DOUBLE: numbers, true/false as 1.0/0.0, strings as Java's Double.valueOf ('1e3', 'NaN')."),
    EXO_WORD("TOSTRING", w_tostring, 1, "x -- s", "Text of a number or BOOLEAN as Java prints it (1.0E10, true); strings unchanged."),
    EXO_WORD("TOBOOLEAN", w_toboolean, 1, "x -- bool", "To BOOLEAN: a number is true when its truncation is not 0 (0.5 is false); a string when not empty."),
    EXO_WORD_MAGIC("TOHEX", w_tobase, 1, "long -- hex", "The 64 bits of a LONG as 16 hex digits.", 4),
    EXO_WORD_MAGIC("TOBIN", w_tobase, 1, "long -- bits", "The 64 bits of a LONG as 64 binary digits.", 1),
    EXO_WORD_MAGIC("FROMHEX", w_frombase, 1, "hex -- long", "Parses hex digits (optional sign) into a LONG (low 64 bits).", 16),
    EXO_WORD_MAGIC("FROMBIN", w_frombase, 1, "bits -- long", "Parses binary digits (optional sign) into a LONG (low 64 bits).", 2),
    EXO_WORD_MAGIC("->DOUBLEBITS", w_tobits, 1, "double -- long", "The IEEE-754 bits of a DOUBLE.", 0),
    EXO_WORD_MAGIC("TOBITS", w_tobits, 1, "double -- long", "The IEEE-754 bits of a DOUBLE (same as ->DOUBLEBITS).", 0),
    EXO_WORD_MAGIC("DOUBLEBITS->", w_frombits, 1, "long -- double", "The DOUBLE whose IEEE-754 bits are the LONG.", 0),
    EXO_WORD_MAGIC("FROMBITS", w_frombits, 1, "long -- double", "The DOUBLE whose IEEE-754 bits are the LONG (same as DOUBLEBITS->).", 0),
    EXO_WORD_MAGIC("->FLOATBITS", w_tobits, 1, "double -- long", "The 32 IEEE-754 bits of the DOUBLE rounded to a float.", 1),
    EXO_WORD_MAGIC("FLOATBITS->", w_frombits, 1, "long -- double", "The float whose IEEE-754 bits are the low 32 bits of the LONG.", 1),
    EXO_WORD("->LONGBYTES", w_tolongbytes, 2, "long|list nbytes -- bytes", "The low nbytes (1-8) bytes of each LONG, big-endian."),
};

EXO_FAMILY(convert, convert_words)
