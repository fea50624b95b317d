/* String words (spec e.5). Strings are UTF-8 and indexed by character
 * (code point): the reference indexes UTF-16 units, which differs only
 * for characters outside the BMP (one character here, two in Java).
 * Regexes are Java patterns translated to POSIX (interp/jregex.h); the
 * codecs live in interp/codec.c and interp/opb64.c. Every word checks its
 * operands by peeking, builds its result, and only then pops and pushes. */
#include "builtins.h"

#include "../interp/codec.h"
#include "../interp/digest.h"
#include "../interp/jregex.h"
#include "../interp/opb64.h"
#include "../interp/sbuf.h"
#include "../interp/text.h"
#include "../interp/utf8.h"

#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ---- */

static bool is_str(value v) { return v.type == T_STRING; }
static str *S(value v) { return AS_STR(v); }

/* Replaces the npop operands by the result r (owned; NULL type = failed). */
static bool commit(exo_vm *vm, size_t npop, value r)
{
    if (val_is_oom(r))
        return false;
    vm_drop(vm, npop);
    return vm_push(vm, r);
}

/* Turns a finished buffer into a STRING or BYTES result replacing npop operands. */
static bool commit_sb(exo_vm *vm, size_t npop, sbuf *b, vtype t)
{
    if (!sb_cstr(b)) {
        sb_free(b);
        return false; /* the allocator has set the error */
    }
    value r = t == T_STRING ? str_new(vm, b->p ? b->p : "", b->len) : bytes_new(vm, b->p, b->len);
    sb_free(b);
    return commit(vm, npop, r);
}

static void put_cp(sbuf *b, uint32_t cp)
{
    char u[4];
    sb_put(b, u, utf8_encode(cp, u));
}

/* Java's index rule (GET.computeAndCheckIndex): negative counts from the end. */
static bool check_index(exo_vm *vm, const word *w, int64_t idx, size_t size, size_t *out)
{
    int64_t n = (int64_t)size;
    if (idx >= n)
        return vm_fail(vm, "%s index out of bound, %lld >= %lld", w->name, (long long)idx, (long long)n);
    int64_t k = idx < 0 ? idx + n : idx;
    if (k < 0)
        return vm_fail(vm, "%s index out of bound, %lld < -%lld", w->name, (long long)idx, (long long)n);
    *out = (size_t)k;
    return true;
}

/* ---- SUBSTRING ---- */

static bool w_substring(exo_vm *vm, const word *w)
{
    value *top = vm_peek(vm, 0), *d2 = vm_peek(vm, 1), *s;
    if (top->type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG");
    int64_t start, count = -1;
    size_t npop;
    if (d2->type == T_STRING || d2->type == T_BYTES) {
        s = d2;
        start = top->as.l;
        npop = 2;
    } else if (d2->type == T_LONG) {
        if (!vm_need(vm, 3))
            return false;
        s = vm_peek(vm, 2);
        if (s->type != T_STRING && s->type != T_BYTES)
            return vm_type_error(vm, w, 3, "a STRING or BYTES");
        start = d2->as.l;
        count = top->as.l;
        npop = 3;
        if (count < 0)
            return vm_fail(vm, "%s expects a non-negative length, got %lld.", w->name, (long long)count);
    } else {
        return vm_type_error(vm, w, 2, "a STRING, BYTES or LONG");
    }
    str *p = S(*s);
    bool text = s->type == T_STRING;
    size_t size = text ? utf8_length(p->data, p->len) : p->len, idx = 0;
    if (!check_index(vm, w, start, size, &idx))
        return false;
    size_t n = size - idx;
    if (count >= 0 && (uint64_t)count < n)
        n = (size_t)count;
    size_t b0 = idx, b1 = idx + n;
    if (text) {
        b0 = utf8_offset(p->data, p->len, idx);
        b1 = b0 + utf8_offset(p->data + b0, p->len - b0, n);
    }
    value r = text ? str_new(vm, p->data + b0, b1 - b0) : bytes_new(vm, p->data + b0, b1 - b0);
    return commit(vm, npop, r);
}

/* ---- SPLIT / JOIN ---- */

static bool w_split(exo_vm *vm, const word *w)
{
    int64_t limit = INT64_MAX;
    size_t base = 0;
    if (vm_peek(vm, 0)->type == T_LONG) {
        limit = vm_peek(vm, 0)->as.l;
        if (limit <= 0)
            return vm_fail(vm, "%s expects the limit to be a strictly positive integer.", w->name);
        if (!vm_need(vm, 3))
            return false;
        base = 1;
    }
    value d = *vm_peek(vm, base), s = *vm_peek(vm, base + 1);
    if (!is_str(d))
        return vm_type_error(vm, w, (int)base + 1, "a STRING delimiter");
    size_t dl = S(d)->len, used = 0;
    if (dl)
        utf8_decode(S(d)->data, dl, &used);
    if (!dl || used != dl)
        return vm_fail(vm, "%s expects a string delimiter of length 1.", w->name);
    if (!is_str(s))
        return vm_type_error(vm, w, (int)base + 2, "a STRING");
    list *l = list_new(vm, 0);
    if (!l)
        return false;
    value lv = v_obj(T_LIST, l);
    const char *p = S(s)->data, *end = p + S(s)->len;
    int64_t pieces = 1;
    for (;;) {
        const char *q = pieces < limit ? memmem(p, (size_t)(end - p), S(d)->data, dl) : NULL;
        const char *stop = q ? q : end;
        value piece = str_new(vm, p, (size_t)(stop - p));
        if (val_is_oom(piece) || !list_push(vm, l, piece)) {
            val_release(vm, lv);
            return false;
        }
        if (!q)
            break;
        p = q + dl;
        pieces++;
    }
    return commit(vm, base + 2, lv);
}

static bool w_join(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    sbuf b;
    if (is_str(top)) {
        value l = *vm_peek(vm, 1);
        if (l.type != T_LIST)
            return vm_type_error(vm, w, 2, "a LIST");
        sb_init(&b, vm);
        for (size_t i = 0; i < AS_LIST(l)->len; i++) {
            /* the reference only separates once the text is non-empty */
            if (b.len)
                sb_put(&b, S(top)->data, S(top)->len);
            if (!val_write_text(vm, &b, AS_LIST(l)->items[i])) {
                sb_free(&b);
                return false;
            }
        }
        return commit_sb(vm, 2, &b, T_STRING);
    }
    if (top.type != T_LONG)
        return vm_type_error(vm, w, 1, "a STRING separator or a LONG count");
    int64_t n = top.as.l;
    if (n < 0)
        return vm_fail(vm, "%s expects a non-negative count, got %lld.", w->name, (long long)n);
    value sep = *vm_peek(vm, 1);
    if (!is_str(sep))
        return vm_type_error(vm, w, 2, "a STRING separator");
    if ((uint64_t)n > vm->sp - 2)
        return vm_fail(vm, "Empty stack.");
    sb_init(&b, vm);
    for (size_t i = (size_t)n; i-- > 0;) {
        if (i + 1 != (size_t)n)
            sb_put(&b, S(sep)->data, S(sep)->len);
        if (!val_write_text(vm, &b, *vm_peek(vm, i + 2))) {
            sb_free(&b);
            return false;
        }
    }
    return commit_sb(vm, (size_t)n + 2, &b, T_STRING);
}

/* ---- case, trim ---- */

/* Case mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic
 * (Java's toUpperCase/toLowerCase there, apart from final sigma). Writes
 * up to two code points to out; returns how many. */
static int case_map(uint32_t c, bool upper, uint32_t out[2])
{
    out[0] = c;
    if (upper) {
        if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) || (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) ||
            (c >= 0x430 && c <= 0x44F))
            out[0] = c - 0x20;
        else if (c == 0xDF) {
            out[0] = out[1] = 'S';
            return 2;
        } else if (c == 0xFF)
            out[0] = 0x178;
        else if (c == 0xB5)
            out[0] = 0x39C;
        else if (c == 0x131)
            out[0] = 'I';
        else if (c == 0x17F)
            out[0] = 'S';
        else if (c == 0x3C2)
            out[0] = 0x3A3;
        else if (c == 0x3AC)
            out[0] = 0x386;
        else if (c >= 0x3AD && c <= 0x3AF)
            out[0] = c - 0x25;
        else if (c == 0x3CC)
            out[0] = 0x38C;
        else if (c == 0x3CD || c == 0x3CE)
            out[0] = c - 0x3F;
        else if (c >= 0x450 && c <= 0x45F)
            out[0] = c - 0x50;
        else if (((c >= 0x101 && c <= 0x137) || (c >= 0x14B && c <= 0x177)) && (c & 1) && c != 0x131)
            out[0] = c - 1;
        else if (((c >= 0x13A && c <= 0x148) || (c >= 0x17A && c <= 0x17E)) && !(c & 1))
            out[0] = c - 1;
    } else {
        if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) ||
            (c >= 0x410 && c <= 0x42F))
            out[0] = c + 0x20;
        else if (c == 0x130) {
            out[0] = 'i';
            out[1] = 0x307;
            return 2;
        } else if (c == 0x178)
            out[0] = 0xFF;
        else if (c == 0x386)
            out[0] = 0x3AC;
        else if (c >= 0x388 && c <= 0x38A)
            out[0] = c + 0x25;
        else if (c == 0x38C)
            out[0] = 0x3CC;
        else if (c == 0x38E || c == 0x38F)
            out[0] = c + 0x3F;
        else if (c >= 0x400 && c <= 0x40F)
            out[0] = c + 0x50;
        else if (((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) && !(c & 1) && c != 0x130)
            out[0] = c + 1;
        else if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && (c & 1))
            out[0] = c + 1;
    }
    return 1;
}

static bool w_case(exo_vm *vm, const word *w)
{
    value s = *vm_peek(vm, 0);
    if (!is_str(s))
        return vm_type_error(vm, w, 1, "a STRING");
    bool upper = w->magic;
    const char *p = S(s)->data;
    size_t n = S(s)->len;
    sbuf b;
    sb_init(&b, vm);
    for (size_t i = 0; i < n;) {
        size_t used;
        uint32_t cp = utf8_decode(p + i, n - i, &used), out[2];
        int k = case_map(cp, upper, out);
        if (k == 1 && out[0] == cp)
            sb_put(&b, p + i, used); /* unchanged: keep the bytes (even invalid ones) */
        else
            for (int j = 0; j < k; j++)
                put_cp(&b, out[j]);
        i += used;
    }
    return commit_sb(vm, 1, &b, T_STRING);
}

static bool w_trim(exo_vm *vm, const word *w)
{
    value s = *vm_peek(vm, 0);
    if (!is_str(s))
        return vm_type_error(vm, w, 1, "a STRING");
    const unsigned char *p = (const unsigned char *)S(s)->data;
    size_t a = 0, z = S(s)->len;
    while (a < z && p[a] <= 0x20)
        a++;
    while (z > a && p[z - 1] <= 0x20)
        z--;
    if (a == 0 && z == S(s)->len)
        return true; /* unchanged: strings are immutable, keep the same one */
    return commit(vm, 1, str_new(vm, S(s)->data + a, z - a));
}

/* ---- regexes ---- */

/* Appends the expansion of a Java replacement ($n groups, \x escapes). */
static bool expand(exo_vm *vm, const word *w, sbuf *b, const jregex *re, const regmatch_t *m, const char *subj,
                   const char *rep, size_t rl)
{
    for (size_t i = 0; i < rl; i++) {
        char c = rep[i];
        if (c == '\\') {
            if (++i >= rl)
                return vm_fail(vm, "%s: character to be escaped is missing in the replacement.", w->name);
            sb_putc(b, rep[i]);
        } else if (c == '$') {
            if (++i >= rl)
                return vm_fail(vm, "%s: illegal group reference: group index is missing.", w->name);
            if (rep[i] < '0' || rep[i] > '9')
                return vm_fail(vm, "%s: illegal group reference in the replacement (named groups are not supported).",
                               w->name);
            size_t g = (size_t)(rep[i] - '0');
            while (i + 1 < rl && rep[i + 1] >= '0' && rep[i + 1] <= '9' && g * 10 + (size_t)(rep[i + 1] - '0') <= re->ngroups)
                g = g * 10 + (size_t)(rep[++i] - '0');
            if (g > re->ngroups)
                return vm_fail(vm, "%s: no group %zu in the regular expression.", w->name, g);
            size_t so, eo;
            if (jre_group(re, m, g, &so, &eo))
                sb_put(b, subj + so, eo - so);
        } else {
            sb_putc(b, c);
        }
    }
    return true;
}

static bool w_replace(exo_vm *vm, const word *w)
{
    value s = *vm_peek(vm, 2), rx = *vm_peek(vm, 1), rep = *vm_peek(vm, 0);
    if (!is_str(rep))
        return vm_type_error(vm, w, 1, "a STRING replacement");
    if (!is_str(rx))
        return vm_type_error(vm, w, 2, "a STRING regular expression");
    if (!is_str(s))
        return vm_type_error(vm, w, 3, "a STRING");
    jregex re;
    if (!jre_compile(vm, w->name, &re, S(rx)->data, S(rx)->len))
        return false;
    regmatch_t m[256];
    const char *p = S(s)->data;
    size_t n = S(s)->len, pos = 0, last = 0;
    bool all = w->magic, ok = true;
    sbuf b;
    sb_init(&b, vm);
    while (pos <= n && jre_search(&re, p, n, pos, m)) {
        size_t so = (size_t)m[0].rm_so, eo = (size_t)m[0].rm_eo;
        sb_put(&b, p + last, so - last);
        if (!expand(vm, w, &b, &re, m, p, S(rep)->data, S(rep)->len)) {
            ok = false;
            break;
        }
        last = eo;
        if (!all)
            break;
        if (eo == so) { /* an empty match: search again one character further */
            size_t used = 1;
            if (eo >= n)
                break;
            utf8_decode(p + eo, n - eo, &used);
            pos = eo + used;
        } else {
            pos = eo;
        }
    }
    jre_free(&re);
    if (!ok) {
        sb_free(&b);
        return false;
    }
    sb_put(&b, p + last, n - last);
    return commit_sb(vm, 3, &b, T_STRING);
}

static bool w_match(exo_vm *vm, const word *w)
{
    value s = *vm_peek(vm, 1), rx = *vm_peek(vm, 0);
    if (!is_str(rx))
        return vm_type_error(vm, w, 1, "a STRING regular expression");
    if (!is_str(s))
        return vm_type_error(vm, w, 2, "a STRING");
    jregex re;
    if (!jre_compile(vm, w->name, &re, S(rx)->data, S(rx)->len))
        return false;
    regmatch_t m[256];
    const char *p = S(s)->data;
    size_t n = S(s)->len;
    /* POSIX returns the leftmost-longest match: it spans the whole string
     * exactly when a whole-string match exists */
    bool hit = jre_search(&re, p, n, 0, m) && m[0].rm_so == 0 && (size_t)m[0].rm_eo == n;
    list *l = list_new(vm, hit ? re.ngroups + 1 : 0);
    if (!l) {
        jre_free(&re);
        return false;
    }
    value lv = v_obj(T_LIST, l);
    for (size_t g = 0; hit && g <= re.ngroups; g++) {
        size_t so, eo;
        bool set = jre_group(&re, m, g, &so, &eo);
        value v = set ? str_new(vm, p + so, eo - so) : v_null();
        if ((set && val_is_oom(v)) || !list_push(vm, l, v)) {
            jre_free(&re);
            val_release(vm, lv);
            return false;
        }
    }
    jre_free(&re);
    return commit(vm, 2, lv);
}

/* No MATCHER type here: the pattern is checked and stays a STRING, which
 * MATCH, REPLACE and REPLACEALL accept. */
static bool w_matcher(exo_vm *vm, const word *w)
{
    value rx = *vm_peek(vm, 0);
    if (!is_str(rx))
        return vm_type_error(vm, w, 1, "a STRING regular expression");
    jregex re;
    if (!jre_compile(vm, w->name, &re, S(rx)->data, S(rx)->len))
        return false;
    jre_free(&re);
    return true;
}

/* ---- URL encoding ---- */

static bool w_urlencode(exo_vm *vm, const word *w)
{
    static const char hex[] = "0123456789ABCDEF";
    value s = *vm_peek(vm, 0);
    if (!is_str(s))
        return vm_type_error(vm, w, 1, "a STRING");
    sbuf b;
    sb_init(&b, vm);
    for (size_t i = 0; i < S(s)->len; i++) {
        unsigned char c = (unsigned char)S(s)->data[i];
        /* java.net.URLEncoder's safe set; space as %20 (WarpURLEncoder) */
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
            c == '*' || c == '_') {
            sb_putc(&b, (char)c);
        } else {
            char t[3] = {'%', hex[c >> 4], hex[c & 15]};
            sb_put(&b, t, 3);
        }
    }
    return commit_sb(vm, 1, &b, T_STRING);
}

static int hexdigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Appends bytes decoded as UTF-8, each malformed sequence as U+FFFD. */
static void put_utf8_checked(sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t used;
        if (utf8_decode_strict(s + i, n - i, &cp, &used))
            sb_put(b, s + i, used);
        else
            put_cp(b, UTF8_REPLACEMENT);
        i += used;
    }
}

static bool w_urldecode(exo_vm *vm, const word *w)
{
    value s = *vm_peek(vm, 0);
    if (!is_str(s))
        return vm_type_error(vm, w, 1, "a STRING");
    const char *p = S(s)->data;
    size_t n = S(s)->len;
    sbuf b, raw;
    sb_init(&b, vm);
    sb_init(&raw, vm);
    for (size_t i = 0; i < n;) {
        if (p[i] == '+') {
            sb_putc(&b, ' ');
            i++;
        } else if (p[i] == '%') {
            /* a run of %XX escapes is one byte sequence, decoded as UTF-8 */
            raw.len = 0;
            while (i < n && p[i] == '%') {
                if (i + 2 >= n) {
                    sb_free(&b);
                    sb_free(&raw);
                    return vm_fail(vm, "%s: incomplete trailing escape (%%) pattern.", w->name);
                }
                int hi = hexdigit(p[i + 1]), lo = hexdigit(p[i + 2]);
                if (hi < 0 || lo < 0) {
                    sb_free(&b);
                    sb_free(&raw);
                    return vm_fail(vm, "%s: illegal hex characters in escape (%%) pattern.", w->name);
                }
                sb_putc(&raw, (char)(hi * 16 + lo));
                i += 3;
            }
            put_utf8_checked(&b, raw.p, raw.len);
        } else {
            sb_putc(&b, p[i]);
            i++;
        }
    }
    sb_free(&raw);
    if (raw.failed) {
        sb_free(&b);
        return false;
    }
    return commit_sb(vm, 1, &b, T_STRING);
}

/* ---- encodings ---- */

enum { ENC_HEX, ENC_B64, ENC_B64URL, ENC_BIN, ENC_OPB64 };

static size_t encoded_len(int kind, size_t n)
{
    switch (kind) {
    case ENC_HEX: return 2 * n;
    case ENC_B64:
    case ENC_B64URL: return b64_encoded_len(n);
    case ENC_BIN: return 8 * n;
    default: return opb64_encoded_len(n);
    }
}

static void encode(int kind, const void *src, size_t n, char *out)
{
    switch (kind) {
    case ENC_HEX: hex_encode(src, n, out); break;
    case ENC_B64: b64_encode(src, n, out, false); break;
    case ENC_B64URL: b64_encode(src, n, out, true); break;
    case ENC_BIN: bin_encode(src, n, out); break;
    default: opb64_encode(src, n, out); break;
    }
}

/* Decodes text into out (at least n bytes); NULL or the reason of failure. */
static const char *decode(int kind, const char *s, size_t n, char *out, size_t *len)
{
    switch (kind) {
    case ENC_HEX: return hex_decode(s, n, out, len);
    case ENC_B64: return b64_decode(s, n, out, len, false);
    case ENC_B64URL: return b64_decode(s, n, out, len, true);
    case ENC_BIN: return bin_decode(s, n, out, len);
    default: {
        long k = opb64_decode(s, n, out);
        if (k < 0)
            return "invalid order-preserving base64 text";
        *len = (size_t)k;
        return NULL;
    }
    }
}

/* Checks the text size an encoding would produce against maxstring
 * before allocating it (8x for ->BIN). */
static bool fits_string(exo_vm *vm, size_t n)
{
    if (n > vm->limits.maxstring)
        return vm_limit(vm, "String size %zu would exceed the limit of %zu (maxstring).", n,
                        (size_t)vm->limits.maxstring);
    return true;
}

static bool encode_value(exo_vm *vm, int kind, const char *src, size_t n, value *out)
{
    size_t len = encoded_len(kind, n);
    if (!fits_string(vm, len))
        return false;
    char *buf = vm_alloc(vm, len + 1);
    if (!buf)
        return false;
    encode(kind, src, n, buf);
    *out = str_new(vm, buf, len);
    vm_dealloc(vm, buf, len + 1);
    return !val_is_oom(*out);
}

static bool decode_value(exo_vm *vm, const word *w, int kind, const char *s, size_t n, value *out)
{
    char *buf = vm_alloc(vm, n + 1);
    if (!buf)
        return false;
    size_t len = 0;
    const char *why = decode(kind, s, n, buf, &len);
    if (why) {
        vm_dealloc(vm, buf, n + 1);
        return vm_fail(vm, "%s: %s.", w->name, why);
    }
    *out = bytes_new(vm, buf, len);
    vm_dealloc(vm, buf, n + 1);
    return !val_is_oom(*out);
}

static bool w_encode(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0), r;
    if (v.type != T_STRING && v.type != T_BYTES)
        return vm_type_error(vm, w, 1, "a STRING or BYTES");
    if (!encode_value(vm, (int)w->magic, S(v)->data, S(v)->len, &r))
        return false;
    return commit(vm, 1, r);
}

static bool w_decode(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0), r;
    if (!is_str(v))
        return vm_type_error(vm, w, 1, "a STRING");
    if (!decode_value(vm, w, (int)w->magic, S(v)->data, S(v)->len, &r))
        return false;
    return commit(vm, 1, r);
}

/* HEXTOB64-style words: decode with one codec, encode with another
 * (magic = from * 8 + to). */
static bool w_recode(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0), bytes, r;
    if (!is_str(v))
        return vm_type_error(vm, w, 1, "a STRING");
    if (!decode_value(vm, w, (int)(w->magic / 8), S(v)->data, S(v)->len, &bytes))
        return false;
    bool ok = encode_value(vm, (int)(w->magic % 8), S(bytes)->data, S(bytes)->len, &r);
    val_release(vm, bytes);
    return ok && commit(vm, 1, r);
}

/* ---- charsets ---- */

enum { CS_UTF8, CS_LATIN1, CS_ASCII, CS_UTF16, CS_UTF16BE, CS_UTF16LE };

static int charset(const str *name)
{
    static const struct {
        const char *name;
        int cs;
    } names[] = {
        {"UTF-8", CS_UTF8},          {"UTF8", CS_UTF8},          {"ISO-8859-1", CS_LATIN1},
        {"ISO8859-1", CS_LATIN1},    {"ISO_8859_1", CS_LATIN1},  {"ISO8859_1", CS_LATIN1},
        {"ISO_8859-1", CS_LATIN1},   {"LATIN1", CS_LATIN1},      {"L1", CS_LATIN1},
        {"8859_1", CS_LATIN1},       {"CP819", CS_LATIN1},       {"IBM819", CS_LATIN1},
        {"US-ASCII", CS_ASCII},      {"ASCII", CS_ASCII},        {"US", CS_ASCII},
        {"ISO646-US", CS_ASCII},     {"ANSI_X3.4-1968", CS_ASCII}, {"DEFAULT", CS_ASCII},
        {"UTF-16", CS_UTF16},        {"UTF16", CS_UTF16},        {"UTF-16BE", CS_UTF16BE},
        {"UTF_16BE", CS_UTF16BE},    {"UTF-16LE", CS_UTF16LE},   {"UTF_16LE", CS_UTF16LE},
    };
    for (size_t i = 0; i < countof(names); i++)
        if (strlen(names[i].name) == name->len && strncasecmp(names[i].name, name->data, name->len) == 0)
            return names[i].cs;
    return -1;
}

static void put_u16(sbuf *b, unsigned u, bool le)
{
    char t[2] = {(char)(le ? u & 0xFF : u >> 8), (char)(le ? u >> 8 : u & 0xFF)};
    sb_put(b, t, 2);
}

/* String.getBytes(charset): unmappable characters become '?'. */
static void to_bytes(sbuf *b, const str *s, int cs)
{
    if (cs == CS_UTF16)
        put_u16(b, 0xFEFF, false); /* Java writes a big-endian BOM */
    for (size_t i = 0; i < s->len;) {
        size_t used;
        uint32_t cp = utf8_decode(s->data + i, s->len - i, &used);
        switch (cs) {
        case CS_UTF8:
            put_cp(b, cp);
            break;
        case CS_LATIN1:
        case CS_ASCII:
            sb_putc(b, cp < (cs == CS_ASCII ? 0x80u : 0x100u) ? (char)cp : '?');
            break;
        default: {
            bool le = cs == CS_UTF16LE;
            if (cp >= 0x10000) {
                put_u16(b, 0xD800 + ((cp - 0x10000) >> 10), le);
                put_u16(b, 0xDC00 + ((cp - 0x10000) & 0x3FF), le);
            } else {
                put_u16(b, cp, le);
            }
        }
        }
        i += used;
    }
}

/* new String(bytes, charset): malformed input becomes U+FFFD. */
static void from_bytes(sbuf *b, const str *s, int cs)
{
    const unsigned char *p = (const unsigned char *)s->data;
    size_t n = s->len, i = 0;
    switch (cs) {
    case CS_UTF8:
        put_utf8_checked(b, s->data, n);
        return;
    case CS_LATIN1:
    case CS_ASCII:
        for (; i < n; i++)
            put_cp(b, cs == CS_ASCII && p[i] >= 0x80 ? UTF8_REPLACEMENT : p[i]);
        return;
    default:
        break;
    }
    bool le = cs == CS_UTF16LE;
    if (cs == CS_UTF16 && n >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) || (p[0] == 0xFF && p[1] == 0xFE))) {
        le = p[0] == 0xFF;
        i = 2;
    }
    for (; i + 1 < n; i += 2) {
        unsigned u = le ? p[i] | p[i + 1] << 8 : p[i] << 8 | p[i + 1];
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            unsigned v = le ? p[i + 2] | p[i + 3] << 8 : p[i + 2] << 8 | p[i + 3];
            if (v >= 0xDC00 && v <= 0xDFFF) {
                put_cp(b, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
                i += 2;
                continue;
            }
        }
        put_cp(b, u >= 0xD800 && u <= 0xDFFF ? UTF8_REPLACEMENT : u);
    }
    if (i < n)
        put_cp(b, UTF8_REPLACEMENT);
}

static bool w_charset(exo_vm *vm, const word *w)
{
    value cs = *vm_peek(vm, 0), v = *vm_peek(vm, 1);
    bool to = w->magic; /* ->BYTES */
    if (!is_str(cs))
        return vm_type_error(vm, w, 1, "a STRING charset name");
    if (v.type != (to ? T_STRING : T_BYTES))
        return vm_type_error(vm, w, 2, to ? "a STRING" : "BYTES");
    int c = charset(S(cs));
    if (c < 0)
        return vm_fail(vm, "%s unsupported encoding '%.*s'", w->name, (int)S(cs)->len, S(cs)->data);
    sbuf b;
    sb_init(&b, vm);
    if (to)
        to_bytes(&b, S(v), c);
    else
        from_bytes(&b, S(v), c);
    return commit_sb(vm, 2, &b, to ? T_BYTES : T_STRING);
}

/* ---- TEMPLATE (mustache: variables, sections, comments) ---- */

static bool template_type_ok(exo_vm *vm, const word *w, value v, int depth)
{
    if (depth > 64)
        return vm_fail(vm, "%s failed: template data nested too deeply.", w->name);
    switch ((vtype)v.type) {
    case T_STRING:
    case T_LONG:
    case T_DOUBLE:
    case T_BOOLEAN:
        return true;
    case T_LIST:
        for (size_t i = 0; i < AS_LIST(v)->len; i++)
            if (!template_type_ok(vm, w, AS_LIST(v)->items[i], depth + 1))
                return false;
        return true;
    case T_MAP:
        for (size_t i = 0; i < AS_MAP(v)->len; i++)
            if (!template_type_ok(vm, w, AS_MAP(v)->ents[i].key, depth + 1) ||
                !template_type_ok(vm, w, AS_MAP(v)->ents[i].val, depth + 1))
                return false;
        return true;
    default:
        return vm_fail(vm, "%s failed: invalid type %s for template substitution.", w->name, val_type_name(v));
    }
}

/* Mustache name lookup: "a.b" walks nested maps; "." is the map itself.
 * *out is NULL when the name is missing; false only on allocation failure. */
static bool template_lookup(exo_vm *vm, const value *scope, const char *name, size_t len, const value **out)
{
    *out = NULL;
    if (len == 1 && name[0] == '.') {
        *out = scope;
        return true;
    }
    const value *cur = scope;
    while (len) {
        if (cur->type != T_MAP)
            return true;
        const char *dot = memchr(name, '.', len);
        size_t k = dot ? (size_t)(dot - name) : len;
        value key = str_new(vm, name, k);
        if (val_is_oom(key))
            return false;
        cur = map_get(AS_MAP(*cur), key);
        val_release(vm, key);
        if (!cur)
            return true;
        name += k + (dot != NULL);
        len -= k + (dot != NULL);
    }
    *out = cur;
    return true;
}

/* mustache.java's HTML escaping */
static void html_escape(sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': sb_puts(b, "&amp;"); break;
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        case '"': sb_puts(b, "&quot;"); break;
        case '\'': sb_puts(b, "&#39;"); break;
        case '`': sb_puts(b, "&#96;"); break;
        case '=': sb_puts(b, "&#61;"); break;
        default:
            if (c <= 13)
                sb_printf(b, "&#%u;", c);
            else
                sb_putc(b, (char)c);
        }
    }
}

/* A tag of the template: [open, after) spans it, name[0..len) is its
 * trimmed name, kind is '#', '^', '/', '!', '&' (also for {{{ }}}) or 0. */
typedef struct tpl_tag {
    const char *open, *after, *name;
    size_t len;
    char kind;
} tpl_tag;

/* Finds the next tag at or after p; false when there is none. *bad is set
 * for an unclosed tag. */
static bool tpl_next_tag(const char *p, const char *end, tpl_tag *t, bool *bad)
{
    const char *open = memmem(p, (size_t)(end - p), "{{", 2);
    if (!open)
        return false;
    bool triple = open + 2 < end && open[2] == '{';
    const char *name = open + (triple ? 3 : 2);
    const char *close = memmem(name, (size_t)(end - name), triple ? "}}}" : "}}", triple ? 3 : 2);
    if (!close) {
        *bad = true;
        return false;
    }
    t->open = open;
    t->after = close + (triple ? 3 : 2);
    t->kind = triple ? '&' : name < close && strchr("#^/!&>=", *name) ? *name : 0;
    if (!triple && t->kind)
        name++;
    while (name < close && (unsigned char)*name <= 0x20)
        name++;
    const char *ne = close;
    while (ne > name && (unsigned char)ne[-1] <= 0x20)
        ne--;
    t->name = name;
    t->len = (size_t)(ne - name);
    return true;
}

/* Mustache "standalone" tags (sections, inverted sections, their ends and
 * comments alone on their line) take their whole line away: *from is where
 * the line starts, *to after its newline. tstart/tend bound the template. */
static bool tpl_standalone(const tpl_tag *t, const char *tstart, const char *tend, const char **from, const char **to)
{
    if (t->kind != '#' && t->kind != '^' && t->kind != '/' && t->kind != '!')
        return false;
    const char *a = t->open;
    while (a > tstart && (a[-1] == ' ' || a[-1] == '\t'))
        a--;
    if (a > tstart && a[-1] != '\n')
        return false;
    const char *z = t->after;
    while (z < tend && (*z == ' ' || *z == '\t'))
        z++;
    if (z < tend && *z == '\r' && z + 1 < tend && z[1] == '\n')
        z++;
    if (z < tend && *z != '\n')
        return false;
    *from = a;
    *to = z < tend ? z + 1 : z;
    return true;
}

#define TPL_MAX_SCOPES 64

typedef struct tpl_run {
    exo_vm *vm;
    const word *w;
    sbuf *b, *v;
    const char *tstart, *tend;
    const value *scopes[TPL_MAX_SCOPES];
    int nscopes;
    const char *fail;
} tpl_run;

/* Looks name up from the innermost scope out, as mustache.java does: the
 * first map holding the first part of a dotted name resolves all of it. */
static bool tpl_lookup(tpl_run *r, const char *name, size_t len, const value **out)
{
    *out = NULL;
    if (len == 1 && name[0] == '.') {
        *out = r->scopes[r->nscopes - 1];
        return true;
    }
    const char *dot = memchr(name, '.', len);
    size_t k = dot ? (size_t)(dot - name) : len;
    for (int i = r->nscopes; i-- > 0;) {
        const value *sc = r->scopes[i];
        if (sc->type != T_MAP)
            continue;
        value key = str_new(r->vm, name, k);
        if (val_is_oom(key))
            return false;
        bool has = map_get(AS_MAP(*sc), key) != NULL;
        val_release(r->vm, key);
        if (has)
            return template_lookup(r->vm, sc, name, len, out);
    }
    return true;
}

/* mustache.java's truthiness: NULL, false, "" and an empty LIST are false */
static bool tpl_truthy(const value *x)
{
    if (!x || x->type == T_NULL)
        return false;
    if (x->type == T_BOOLEAN)
        return x->as.b;
    if (x->type == T_STRING)
        return AS_STR(*x)->len > 0;
    if (x->type == T_LIST)
        return AS_LIST(*x)->len > 0;
    return true;
}

static bool tpl_render(tpl_run *r, const char *p, const char *end, int depth);

static bool tpl_section_body(tpl_run *r, const value *scope, const char *p, const char *end, int depth)
{
    if (r->nscopes >= TPL_MAX_SCOPES) {
        r->fail = "sections nested too deeply";
        return true;
    }
    r->scopes[r->nscopes++] = scope;
    bool ok = tpl_render(r, p, end, depth + 1);
    r->nscopes--;
    return ok;
}

/* Renders [p, end) into r->b. false only on allocation failure; a template
 * error sets r->fail. */
static bool tpl_render(tpl_run *r, const char *p, const char *end, int depth)
{
    while (p < end && !r->fail) {
        tpl_tag t;
        bool bad = false;
        if (!tpl_next_tag(p, end, &t, &bad)) {
            if (bad)
                r->fail = "unclosed tag";
            else
                sb_put(r->b, p, (size_t)(end - p));
            break;
        }
        const char *from = t.open, *to = t.after;
        tpl_standalone(&t, r->tstart, r->tend, &from, &to);
        sb_put(r->b, p, (size_t)(from - p));
        p = to;
        switch (t.kind) {
        case '!':
            continue;
        case '>':
        case '=':
            r->fail = "partials and delimiter changes are not supported";
            continue;
        case '/':
            r->fail = "unopened section end";
            continue;
        case '#':
        case '^': {
            /* the matching end tag: sections nest properly */
            const char *q = p, *body_end = NULL, *after_end = NULL;
            int level = 0;
            for (;;) {
                tpl_tag u;
                bool ubad = false;
                if (!tpl_next_tag(q, end, &u, &ubad)) {
                    r->fail = ubad ? "unclosed tag" : "unclosed section";
                    break;
                }
                q = u.after;
                if (u.kind == '#' || u.kind == '^') {
                    level++;
                } else if (u.kind == '/' && level > 0) {
                    level--;
                } else if (u.kind == '/') {
                    if (u.len != t.len || memcmp(u.name, t.name, t.len) != 0) {
                        r->fail = "mismatched section end";
                        break;
                    }
                    body_end = u.open;
                    after_end = u.after;
                    tpl_standalone(&u, r->tstart, r->tend, &body_end, &after_end);
                    break;
                }
            }
            if (r->fail)
                continue;
            const value *x;
            if (!tpl_lookup(r, t.name, t.len, &x))
                return false;
            bool truthy = tpl_truthy(x);
            if (t.kind == '^') {
                if (!truthy && !tpl_render(r, p, body_end, depth + 1))
                    return false;
            } else if (truthy && x->type == T_LIST) {
                const list *l = AS_LIST(*x);
                for (size_t i = 0; i < l->len && !r->fail; i++)
                    if (!tpl_section_body(r, &l->items[i], p, body_end, depth))
                        return false;
            } else if (truthy && !tpl_section_body(r, x, p, body_end, depth)) {
                return false;
            }
            p = after_end;
            continue;
        }
        default: {
            const value *x;
            if (!tpl_lookup(r, t.name, t.len, &x))
                return false;
            if (!x)
                continue;
            r->v->len = 0;
            if (!val_write_text(r->vm, r->v, *x))
                return false;
            if (t.kind == '&')
                sb_put(r->b, r->v->p, r->v->len);
            else
                html_escape(r->b, r->v->p, r->v->len);
        }
        }
    }
    return true;
}

/* TEMPLATE renders a mustache template (TEMPLATE.java uses mustache.java):
 * {{name}} (HTML-escaped), {{{name}}} and {{&name}} (raw), dotted names,
 * {{.}}, {{!comments}}, sections {{#name}}..{{/name}} (once for a true
 * value or a MAP, pushed as the scope; once per element of a LIST) and
 * inverted sections {{^name}}..{{/name}}; standalone section and comment
 * tags take their line away. Partials and delimiter changes are refused. */
static bool w_template(exo_vm *vm, const word *w)
{
    value *scope = vm_peek(vm, 0), t = *vm_peek(vm, 1);
    if (scope->type != T_MAP)
        return vm_type_error(vm, w, 1, "a MAP");
    if (!is_str(t))
        return vm_type_error(vm, w, 2, "a STRING");
    if (!template_type_ok(vm, w, *scope, 0))
        return false;
    sbuf b, v;
    sb_init(&b, vm);
    sb_init(&v, vm);
    tpl_run r = {.vm = vm, .w = w, .b = &b, .v = &v, .tstart = S(t)->data, .tend = S(t)->data + S(t)->len};
    r.scopes[r.nscopes++] = scope;
    bool ok = tpl_render(&r, r.tstart, r.tend, 0);
    sb_free(&v);
    if (!ok || r.fail) {
        sb_free(&b);
        return ok ? vm_fail(vm, "%s failed: %s.", w->name, r.fail) : vm_oom(vm);
    }
    return commit_sb(vm, 2, &b, T_STRING);
}

/* ---- UUID ---- */

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* xorshift128+, seeded once per VM from the OS (the clock as a fallback). */
static uint64_t uuid_next(exo_vm *vm)
{
    uint64_t *s = vm->uuid_rng;
    if (!s[0] && !s[1]) {
        uint64_t seed[2] = {0, 0};
        if (getentropy(seed, sizeof seed) != 0 || (!seed[0] && !seed[1])) {
            struct timespec ts;
            timespec_get(&ts, TIME_UTC);
            uint64_t x = ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ^ (uint64_t)(uintptr_t)vm;
            seed[0] = splitmix(&x);
            seed[1] = splitmix(&x);
        }
        s[0] = seed[0];
        s[1] = seed[1] | 1;
    }
    uint64_t x = s[0], y = s[1];
    s[0] = y;
    x ^= x << 23;
    s[1] = x ^ y ^ (x >> 17) ^ (y >> 26);
    return s[1] + y;
}

static bool w_uuid(exo_vm *vm, const word *w)
{
    (void)w;
    unsigned char u[16];
    uint64_t a = uuid_next(vm), b = uuid_next(vm);
    for (int i = 0; i < 8; i++) {
        u[i] = (unsigned char)(a >> (56 - 8 * i));
        u[8 + i] = (unsigned char)(b >> (56 - 8 * i));
    }
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x40); /* version 4 */
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80); /* IETF variant */
    char t[37], *o = t;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *o++ = '-';
        hex_encode(u + i, 1, o);
        o += 2;
    }
    return commit(vm, 0, str_new(vm, t, 36));
}

/* ---- digests ---- */

static bool w_digest(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (v.type != T_BYTES)
        return vm_type_error(vm, w, 1, "BYTES");
    unsigned char out[32];
    digest((digest_kind)w->magic, S(v)->data, S(v)->len, out);
    return commit(vm, 1, bytes_new(vm, out, digest_size((digest_kind)w->magic)));
}

static const word string_words[] = {
    EXO_WORD("SUBSTRING", w_substring, 2, "s start (len) -- s'",
             "Substring from a 0-based character index (negative: from the end), to the end or of at most len characters; also on BYTES."),
    EXO_WORD("SPLIT", w_split, 2, "s delim (limit) -- list",
             "Splits s on a one-character delimiter, keeping empty fields; at most limit fields."),
    EXO_WORD("JOIN", w_join, 2, "list sep -- s | s1..sn sep n -- s",
             "Joins the elements' text with sep (list form: no separator while the text is empty)."),
    EXO_WORD_MAGIC("TOUPPER", w_case, 1, "s -- S", "Upper-cases s (ASCII, Latin-1/Extended-A, Greek, Cyrillic).", 1),
    EXO_WORD_MAGIC("TOLOWER", w_case, 1, "S -- s", "Lower-cases s (ASCII, Latin-1/Extended-A, Greek, Cyrillic).", 0),
    EXO_WORD("TRIM", w_trim, 1, "s -- s'", "Removes characters <= 0x20 at both ends."),
    EXO_WORD_MAGIC("REPLACE", w_replace, 3, "s regex repl -- s'",
                   "Replaces the first match of a Java regex ($n in repl: group n).", 0),
    EXO_WORD_MAGIC("REPLACEALL", w_replace, 3, "s regex repl -- s'",
                   "Replaces every match of a Java regex ($n in repl: group n).", 1),
    EXO_WORD("MATCH", w_match, 2, "s regex -- list",
             "If the regex matches the whole string: [match group1 ...] (NULL for unset groups), else []."),
    EXO_WORD("MATCHER", w_matcher, 1, "regex -- regex", "Checks a regex for MATCH/REPLACE (it stays a STRING)."),
    EXO_WORD("URLENCODE", w_urlencode, 1, "s -- s'", "Percent-encodes the UTF-8 bytes of s (space as %20)."),
    EXO_WORD("URLDECODE", w_urldecode, 1, "s -- s'", "Decodes %XX escapes (as UTF-8) and '+' as a space."),
    EXO_WORD_MAGIC("->HEX", w_encode, 1, "s|bytes -- hex", "Lowercase hex of the bytes (a STRING as UTF-8).", ENC_HEX),
    EXO_WORD_MAGIC("->B64", w_encode, 1, "s|bytes -- b64", "Base64 of the bytes (a STRING as UTF-8).", ENC_B64),
    EXO_WORD_MAGIC("->B64URL", w_encode, 1, "s|bytes -- b64", "Base64url of the bytes (a STRING as UTF-8).", ENC_B64URL),
    EXO_WORD_MAGIC("->BIN", w_encode, 1, "s|bytes -- bits", "The bits of the bytes as '0'/'1' text.", ENC_BIN),
    EXO_WORD_MAGIC("->OPB64", w_encode, 1, "s|bytes -- opb64", "Order-preserving base64 of the bytes.", ENC_OPB64),
    EXO_WORD_MAGIC("HEX->", w_decode, 1, "hex -- bytes", "Decodes hex text to BYTES.", ENC_HEX),
    EXO_WORD_MAGIC("B64->", w_decode, 1, "b64 -- bytes", "Decodes base64 text to BYTES.", ENC_B64),
    EXO_WORD_MAGIC("B64URL->", w_decode, 1, "b64 -- bytes", "Decodes base64url text to BYTES.", ENC_B64URL),
    EXO_WORD_MAGIC("BIN->", w_decode, 1, "bits -- bytes", "Decodes '0'/'1' text (left-padded to whole bytes) to BYTES.",
                   ENC_BIN),
    EXO_WORD_MAGIC("OPB64->", w_decode, 1, "opb64 -- bytes", "Decodes order-preserving base64 text to BYTES.", ENC_OPB64),
    EXO_WORD_MAGIC("HEXTOB64", w_recode, 1, "hex -- b64", "Re-encodes hex text as base64.", ENC_HEX * 8 + ENC_B64),
    EXO_WORD_MAGIC("B64TOHEX", w_recode, 1, "b64 -- hex", "Re-encodes base64 text as hex.", ENC_B64 * 8 + ENC_HEX),
    EXO_WORD_MAGIC("HEXTOBIN", w_recode, 1, "hex -- bits", "Re-encodes hex text as binary text.", ENC_HEX * 8 + ENC_BIN),
    EXO_WORD_MAGIC("BINTOHEX", w_recode, 1, "bits -- hex", "Re-encodes binary text as hex.", ENC_BIN * 8 + ENC_HEX),
    EXO_WORD_MAGIC("OPB64TOHEX", w_recode, 1, "opb64 -- hex", "Re-encodes order-preserving base64 text as hex.",
                   ENC_OPB64 * 8 + ENC_HEX),
    EXO_WORD_MAGIC("->BYTES", w_charset, 2, "s charset -- bytes",
                   "Encodes s in a charset (UTF-8, ISO-8859-1, US-ASCII, UTF-16, UTF-16BE, UTF-16LE).", 1),
    EXO_WORD_MAGIC("BYTES->", w_charset, 2, "bytes charset -- s",
                   "Decodes bytes in a charset (malformed input as U+FFFD).", 0),
    EXO_WORD("TEMPLATE", w_template, 2, "tmpl map -- s",
             "Fills {{name}} (HTML-escaped), {{{name}}} and {{&name}} from the map (a.b for nested maps)."),
    EXO_WORD("UUID", w_uuid, 0, "-- s", "A random (version 4) UUID."),
    EXO_WORD_MAGIC("MD5", w_digest, 1, "bytes -- digest", "MD5 digest of BYTES (16 BYTES).", DIGEST_MD5),
    EXO_WORD_MAGIC("SHA1", w_digest, 1, "bytes -- digest", "SHA-1 digest of BYTES (20 BYTES).", DIGEST_SHA1),
    EXO_WORD_MAGIC("SHA256", w_digest, 1, "bytes -- digest", "SHA-256 digest of BYTES (32 BYTES).", DIGEST_SHA256),
};

EXO_FAMILY(string, string_words)
