/* JSON writer and parser. The writer follows Warp 10's /exec output: doubles
 * as Java prints them, every non-ASCII character as \uXXXX (uppercase),
 * map keys stringified, macros as their snapshot text. The parser keeps
 * 64-bit integers exact (LONG) and accepts NaN/Infinity tokens. Both bound
 * their recursion by JSON_MAX_NESTING. */
#include "json.h"
#include "alloc.h"
#include "numfmt.h"
#include "snapshot.h"
#include "vm.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- writer ---- */

static void put_u(sbuf *b, unsigned u)
{
    static const char hex[] = "0123456789ABCDEF";
    char t[6] = {'\\', 'u', hex[(u >> 12) & 15], hex[(u >> 8) & 15], hex[(u >> 4) & 15], hex[u & 15]};
    sb_put(b, t, 6);
}

/* Decodes one UTF-8 sequence at s (n bytes left); invalid bytes decode as
 * themselves (Latin-1), so any byte string can be written. */
static unsigned utf8_next(const unsigned char *s, size_t n, size_t *used)
{
    unsigned c = s[0];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len <= 1 || (size_t)len > n) {
        *used = 1;
        return c;
    }
    unsigned cp = c & (0x7f >> len);
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *used = 1;
            return c;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    *used = (size_t)len;
    return cp;
}

void json_write_string(sbuf *b, const char *s, size_t len, bool latin1)
{
    const unsigned char *p = (const unsigned char *)s;
    sb_putc(b, '"');
    size_t i = 0;
    while (i < len) {
        size_t run = i;
        while (run < len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
            run++;
        if (run > i) {
            sb_put(b, s + i, run - i);
            i = run;
            continue;
        }
        unsigned c = p[i];
        size_t used = 1;
        if (c >= 0x80 && !latin1)
            c = utf8_next(p + i, len - i, &used);
        i += used;
        switch (c) {
        case '"': sb_put(b, "\\\"", 2); break;
        case '\\': sb_put(b, "\\\\", 2); break;
        case '\b': sb_put(b, "\\b", 2); break;
        case '\f': sb_put(b, "\\f", 2); break;
        case '\n': sb_put(b, "\\n", 2); break;
        case '\r': sb_put(b, "\\r", 2); break;
        case '\t': sb_put(b, "\\t", 2); break;
        default:
            if (c >= 0x10000) {
                c -= 0x10000;
                put_u(b, 0xD800 + (c >> 10));
                put_u(b, 0xDC00 + (c & 0x3ff));
            } else {
                put_u(b, c);
            }
        }
    }
    sb_putc(b, '"');
}

static void write_double(sbuf *b, double d, bool strict)
{
    char num[NUMFMT_MAX];
    size_t n = fmt_double(d, num);
    if (strict && !isfinite(d)) {
        json_write_string(b, num, n, false);
        return;
    }
    sb_put(b, num, n);
}

/* Map keys are strings in JSON: scalars are written as their text. */
static bool write_key(exo_vm *vm, sbuf *b, value k)
{
    char num[NUMFMT_MAX];
    switch ((vtype)k.type) {
    case T_STRING:
        json_write_string(b, AS_STR(k)->data, AS_STR(k)->len, false);
        return true;
    case T_LONG:
        json_write_string(b, num, fmt_long(k.as.l, num), false);
        return true;
    case T_DOUBLE:
        json_write_string(b, num, fmt_double(k.as.d, num), false);
        return true;
    case T_BOOLEAN:
        json_write_string(b, k.as.b ? "true" : "false", k.as.b ? 4 : 5, false);
        return true;
    case T_NULL:
        json_write_string(b, "null", 4, false);
        return true;
    default: {
        sbuf t;
        sb_init(&t, vm);
        bool ok = snapshot_write(vm, &t, k) && sb_cstr(&t);
        if (ok)
            json_write_string(b, t.p, t.len, false);
        sb_free(&t);
        return ok;
    }
    }
}

/* Writer state: the pretty flag indents by two spaces per level, and max
 * bounds the text so a value shared many times (a DAG) cannot blow up. */
typedef struct jw {
    exo_vm *vm;
    sbuf *b;
    bool strict, pretty;
    size_t max;
} jw;

static void newline(jw *w, int level)
{
    if (!w->pretty)
        return;
    sb_putc(w->b, '\n');
    for (int i = 0; i < level; i++)
        sb_put(w->b, "  ", 2);
}

static bool checked(jw *w)
{
    if (w->b->failed)
        return false; /* the allocator already recorded the error */
    if (w->b->len > w->max)
        return vm_limit(w->vm, "JSON text would exceed the limit of %zu bytes (maxstring).", w->max);
    return true;
}

static bool write_value(jw *w, value v, int depth, int level)
{
    exo_vm *vm = w->vm;
    sbuf *b = w->b;
    char num[NUMFMT_MAX];
    if (depth > JSON_MAX_NESTING)
        return vm_fail(vm, "Value nested too deeply to convert to JSON (more than %d levels).", JSON_MAX_NESTING);
    switch ((vtype)v.type) {
    case T_NULL:
    case T_MARK:
        sb_put(b, "null", 4);
        break;
    case T_BOOLEAN:
        sb_puts(b, v.as.b ? "true" : "false");
        break;
    case T_LONG:
        sb_put(b, num, fmt_long(v.as.l, num));
        break;
    case T_DOUBLE:
        write_double(b, v.as.d, w->strict);
        break;
    case T_STRING:
        json_write_string(b, AS_STR(v)->data, AS_STR(v)->len, false);
        break;
    case T_BYTES:
        json_write_string(b, AS_STR(v)->data, AS_STR(v)->len, true);
        break;
    case T_LIST: {
        list *l = AS_LIST(v);
        sb_putc(b, '[');
        for (size_t i = 0; i < l->len; i++) {
            if (i)
                sb_putc(b, ',');
            newline(w, level + 1);
            if (!write_value(w, l->items[i], depth + 1, level + 1))
                return false;
        }
        if (l->len)
            newline(w, level);
        sb_putc(b, ']');
        break;
    }
    case T_MAP: {
        map *m = AS_MAP(v);
        sb_putc(b, '{');
        for (size_t i = 0; i < m->len; i++) {
            if (i)
                sb_putc(b, ',');
            newline(w, level + 1);
            if (!write_key(vm, b, m->ents[i].key))
                return false;
            sb_put(b, ": ", w->pretty ? 2 : 1);
            if (!write_value(w, m->ents[i].val, depth + 1, level + 1))
                return false;
        }
        if (m->len)
            newline(w, level);
        sb_putc(b, '}');
        break;
    }
    default:
        if (vm->json_ext[v.type]) {
            if (!vm->json_ext[v.type](vm, b, v, w->strict))
                return false;
            break;
        }
        {
            sbuf t;
            sb_init(&t, vm);
            bool ok = snapshot_write(vm, &t, v) && sb_cstr(&t);
            if (ok)
                json_write_string(b, t.p, t.len, false);
            sb_free(&t);
            if (!ok)
                return false;
        }
    }
    return checked(w);
}

bool json_write_ex(exo_vm *vm, sbuf *b, value v, bool strict, bool pretty, size_t max)
{
    jw w = {vm, b, strict, pretty, max};
    return write_value(&w, v, 0, 0);
}

bool json_write(exo_vm *vm, sbuf *b, value v, bool strict) { return json_write_ex(vm, b, v, strict, false, SIZE_MAX); }

bool json_write_stack(exo_vm *vm, sbuf *b)
{
    jw w = {vm, b, vm->json_strict, vm->json_pretty, SIZE_MAX};
    sb_putc(b, '[');
    for (size_t i = 0; i < vm->sp; i++) {
        if (i)
            sb_putc(b, ',');
        newline(&w, 1);
        if (!write_value(&w, *vm_peek(vm, i), 1, 1))
            return false;
    }
    if (vm->sp)
        newline(&w, 0);
    sb_putc(b, ']');
    return checked(&w);
}

/* ---- parser ---- */

typedef struct jp {
    exo_vm *vm;
    const char *s, *end, *base;
} jp;

static void skip_ws(jp *p)
{
    while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r'))
        p->s++;
}

static bool jfail(jp *p, const char *what)
{
    return vm_fail(p->vm, "JSON-> could not parse the input: %s at offset %zu.", what, (size_t)(p->s - p->base));
}

static bool lit(jp *p, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(p->end - p->s) >= n && memcmp(p->s, w, n) == 0) {
        p->s += n;
        return true;
    }
    return false;
}

static int hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static void put_utf8(sbuf *b, unsigned cp)
{
    char t[4];
    size_t n;
    if (cp < 0x80) {
        t[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xc0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        t[0] = (char)(0xe0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        t[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        t[0] = (char)(0xf0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        t[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    sb_put(b, t, n);
}

static bool parse_string(jp *p, value *out)
{
    sbuf b;
    sb_init(&b, p->vm);
    p->s++; /* opening quote */
    for (;;) {
        /* copy the run of plain bytes at once */
        const char *run = p->s;
        while (p->s < p->end && *p->s != '"' && *p->s != '\\' && (unsigned char)*p->s >= 0x20)
            p->s++;
        sb_put(&b, run, (size_t)(p->s - run));
        if (p->s >= p->end) {
            sb_free(&b);
            return jfail(p, "unterminated string");
        }
        char c = *p->s;
        if (c == '"') {
            p->s++;
            break;
        }
        if (c != '\\') {
            sb_free(&b);
            return jfail(p, "control character in string");
        }
        if (p->end - p->s < 2) {
            sb_free(&b);
            return jfail(p, "unterminated string");
        }
        char e = p->s[1];
        switch (e) {
        case '"': case '\\': case '/': sb_putc(&b, e); break;
        case 'b': sb_putc(&b, '\b'); break;
        case 'f': sb_putc(&b, '\f'); break;
        case 'n': sb_putc(&b, '\n'); break;
        case 'r': sb_putc(&b, '\r'); break;
        case 't': sb_putc(&b, '\t'); break;
        case 'u': {
            int u = p->end - p->s >= 6 ? hex4(p->s + 2) : -1;
            if (u < 0) {
                sb_free(&b);
                return jfail(p, "bad \\u escape");
            }
            p->s += 4;
            unsigned cp = (unsigned)u;
            /* a surrogate pair becomes one code point; a lone surrogate is
             * kept as its 3-byte form, which the writer prints back as \uXXXX */
            if (cp >= 0xD800 && cp < 0xDC00 && p->end - p->s >= 8 && p->s[2] == '\\' && p->s[3] == 'u') {
                int lo = hex4(p->s + 4);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned)lo - 0xDC00);
                    p->s += 6;
                }
            }
            put_utf8(&b, cp);
            break;
        }
        default:
            sb_free(&b);
            return jfail(p, "bad escape");
        }
        p->s += 2;
    }
    if (b.failed) {
        sb_free(&b);
        return false; /* the allocator recorded the error */
    }
    *out = str_new(p->vm, b.p ? b.p : "", b.len);
    sb_free(&b);
    return !val_is_oom(*out);
}

static bool is_digit(const jp *p) { return p->s < p->end && *p->s >= '0' && *p->s <= '9'; }

/* JSON numbers: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. Integers
 * that fit stay LONG; larger ones and decimals become DOUBLE. */
static bool parse_number(jp *p, value *out)
{
    const char *start = p->s;
    bool is_double = false;
    if (*p->s == '-')
        p->s++;
    if (lit(p, "Infinity")) {
        *out = v_double(*start == '-' ? -INFINITY : INFINITY);
        return true;
    }
    if (!is_digit(p))
        return jfail(p, "bad number");
    if (*p->s == '0') {
        p->s++;
        if (is_digit(p))
            return jfail(p, "leading zero in number");
    }
    while (is_digit(p))
        p->s++;
    if (p->s < p->end && *p->s == '.') {
        p->s++;
        if (!is_digit(p))
            return jfail(p, "bad number");
        while (is_digit(p))
            p->s++;
        is_double = true;
    }
    if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
        p->s++;
        if (p->s < p->end && (*p->s == '+' || *p->s == '-'))
            p->s++;
        if (!is_digit(p))
            return jfail(p, "bad number");
        while (is_digit(p))
            p->s++;
        is_double = true;
    }
    size_t n = (size_t)(p->s - start);
    char tmp[64], *buf = tmp;
    if (n >= sizeof tmp && !(buf = vm_alloc(p->vm, n + 1)))
        return false;
    memcpy(buf, start, n);
    buf[n] = 0;
    bool done = false;
    if (!is_double) {
        errno = 0;
        long long l = strtoll(buf, NULL, 10);
        if (errno != ERANGE) {
            *out = v_long(l);
            done = true;
        }
    }
    if (!done)
        *out = v_double(strtod(buf, NULL));
    if (buf != tmp)
        vm_dealloc(p->vm, buf, n + 1);
    return true;
}

static bool parse_value(jp *p, value *out, int depth);

static bool parse_container(jp *p, value *out, int depth, bool is_map)
{
    if (depth > JSON_MAX_NESTING)
        return vm_fail(p->vm, "JSON-> input nested too deeply (more than %d levels).", JSON_MAX_NESTING);
    p->s++;
    list *l = NULL;
    map *m = NULL;
    if (is_map ? !(m = map_new(p->vm, 0)) : !(l = list_new(p->vm, 0)))
        return false;
    value self = is_map ? v_obj(T_MAP, m) : v_obj(T_LIST, l);
    skip_ws(p);
    char close = is_map ? '}' : ']';
    if (p->s < p->end && *p->s == close) {
        p->s++;
        *out = self;
        return true;
    }
    for (;;) {
        value k = v_null(), v;
        skip_ws(p);
        if (is_map) {
            if (p->s >= p->end || *p->s != '"') {
                jfail(p, "expected a string key");
                goto fail;
            }
            if (!parse_string(p, &k))
                goto fail;
            skip_ws(p);
            if (p->s >= p->end || *p->s != ':') {
                val_release(p->vm, k);
                jfail(p, "expected ':'");
                goto fail;
            }
            p->s++;
        }
        if (!is_map && l->len >= p->vm->limits.maxlist) {
            vm_limit(p->vm, "List size %zu would exceed the limit of %zu (maxlist).", l->len + 1,
                     (size_t)p->vm->limits.maxlist);
            goto fail;
        }
        if (!is_map && p->s < p->end && (*p->s == ',' || *p->s == ']')) {
            v = v_null(); /* a missing value, NULL (Jackson's ALLOW_MISSING_VALUES) */
        } else if (!parse_value(p, &v, depth + 1)) {
            val_release(p->vm, k);
            goto fail;
        }
        if (is_map ? !map_put(p->vm, m, k, v) : !list_push(p->vm, l, v))
            goto fail;
        skip_ws(p);
        if (p->s < p->end && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->end && *p->s == close) {
            p->s++;
            *out = self;
            return true;
        }
        jfail(p, is_map ? "expected ',' or '}'" : "expected ',' or ']'");
        goto fail;
    }
fail:
    val_release(p->vm, self);
    return false;
}

static bool parse_value(jp *p, value *out, int depth)
{
    skip_ws(p);
    if (p->s >= p->end)
        return jfail(p, "unexpected end of input");
    char c = *p->s;
    if (c == '{' || c == '[')
        return parse_container(p, out, depth, c == '{');
    if (c == '"')
        return parse_string(p, out);
    if (lit(p, "true")) {
        *out = v_bool(true);
        return true;
    }
    if (lit(p, "false")) {
        *out = v_bool(false);
        return true;
    }
    if (lit(p, "null")) {
        *out = v_null();
        return true;
    }
    if (lit(p, "NaN")) {
        *out = v_double(NAN);
        return true;
    }
    if (c == '-' || (c >= '0' && c <= '9') || c == 'I')
        return parse_number(p, out);
    return jfail(p, "unexpected character");
}

bool json_parse(exo_vm *vm, const char *s, size_t len, value *out)
{
    jp p = {vm, s, s + len, s};
    if (!parse_value(&p, out, 0))
        return false;
    skip_ws(&p);
    if (p.s != p.end) {
        val_release(vm, *out);
        return jfail(&p, "trailing characters");
    }
    return true;
}

bool json_parse_first(exo_vm *vm, const char *s, size_t len, value *out)
{
    jp p = {vm, s, s + len, s};
    if (!parse_value(&p, out, 0))
        return false;
    /* Jackson wants a root-level number followed by white space or nothing */
    bool num = out->type == T_LONG || out->type == T_DOUBLE;
    if (num && p.s < p.end && *p.s != ' ' && *p.s != '\t' && *p.s != '\n' && *p.s != '\r') {
        val_release(vm, *out);
        return jfail(&p, "trailing characters");
    }
    return true;
}
