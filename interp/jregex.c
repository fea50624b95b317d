/* Java regex -> POSIX ERE translation. One pass over the Java pattern
 * writes the POSIX text; character classes are first collected as a set
 * (an ASCII bitmap plus a few non-ASCII characters) and then written in an
 * order POSIX brackets accept (']' first, '^' and '-' last, no backslash
 * escapes). In a single-byte C locale a non-ASCII character is several
 * bytes, so it is wrapped in a group before a quantifier, and '.' and
 * negated classes gain an alternative matching one whole UTF-8 sequence. */
#include "jregex.h"
#include "sbuf.h"
#include "utf8.h"
#include "vm.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SUB 255  /* POSIX subexpressions after translation */
#define MAX_WIDE 128 /* bytes of non-ASCII members of one class */

/* Any UTF-8 sequence of two or more bytes, as bytes (single-byte locale). */
#define MB_SEQ "[\xC0-\xFF][\x80-\xBF]*"

typedef struct cset {
    uint8_t bits[16]; /* ASCII members */
    char wide[MAX_WIDE];
    size_t wide_len;
} cset;

typedef struct xl {
    exo_vm *vm;
    const char *who;
    const char *p;
    size_t n, i;
    sbuf out;
    bool mb;      /* multibyte locale: regcomp understands UTF-8 itself */
    bool dotall;
    int depth; /* open groups */
    jregex *r;
} xl;

static bool fail(xl *x, const char *what)
{
    return vm_fail(x->vm, "%s: unsupported regular expression '%.*s': %s.", x->who, (int)x->n, x->p, what);
}

static void cs_add(cset *s, unsigned c) { s->bits[c >> 3] |= (uint8_t)(1u << (c & 7)); }
static bool cs_has(const cset *s, unsigned c) { return s->bits[c >> 3] & (1u << (c & 7)); }

static void cs_range(cset *s, unsigned lo, unsigned hi)
{
    for (unsigned c = lo; c <= hi; c++)
        cs_add(s, c);
}

static bool cs_wide(xl *x, cset *s, uint32_t cp)
{
    char u[4];
    size_t k = utf8_encode(cp, u);
    if (s->wide_len + k > MAX_WIDE)
        return fail(x, "too many non-ASCII characters in a class");
    memcpy(s->wide + s->wide_len, u, k);
    s->wide_len += k;
    return true;
}

static bool cs_char(xl *x, cset *s, uint32_t cp)
{
    if (cp == 0)
        return fail(x, "NUL character");
    if (cp < 0x80) {
        cs_add(s, cp);
        return true;
    }
    return cs_wide(x, s, cp);
}

/* Named ASCII classes: \d \w \s and \p{...}. */
static bool cs_named(cset *s, const char *name, size_t len)
{
#define IS(lit) (len == sizeof(lit) - 1 && memcmp(name, lit, len) == 0)
    if (IS("d") || IS("Digit")) {
        cs_range(s, '0', '9');
    } else if (IS("w")) {
        cs_range(s, 'a', 'z');
        cs_range(s, 'A', 'Z');
        cs_range(s, '0', '9');
        cs_add(s, '_');
    } else if (IS("s") || IS("Space")) {
        cs_range(s, '\t', '\r'); /* \t \n \v \f \r */
        cs_add(s, ' ');
    } else if (IS("Lower")) {
        cs_range(s, 'a', 'z');
    } else if (IS("Upper")) {
        cs_range(s, 'A', 'Z');
    } else if (IS("ASCII")) {
        cs_range(s, 1, 127);
    } else if (IS("Alpha")) {
        cs_range(s, 'a', 'z');
        cs_range(s, 'A', 'Z');
    } else if (IS("Alnum")) {
        cs_range(s, 'a', 'z');
        cs_range(s, 'A', 'Z');
        cs_range(s, '0', '9');
    } else if (IS("Punct") || IS("Graph") || IS("Print")) {
        for (unsigned c = 0x21; c < 0x7F; c++)
            if (!IS("Punct") || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
                cs_add(s, c);
        if (IS("Print"))
            cs_add(s, ' ');
    } else if (IS("Blank")) {
        cs_add(s, ' ');
        cs_add(s, '\t');
    } else if (IS("Cntrl")) {
        cs_range(s, 1, 0x1F);
        cs_add(s, 0x7F);
    } else if (IS("XDigit")) {
        cs_range(s, '0', '9');
        cs_range(s, 'a', 'f');
        cs_range(s, 'A', 'F');
    } else {
        return false;
    }
    return true;
#undef IS
}

/* A NUL byte: only expressible as "not any other byte" (single-byte locale). */
static bool put_nul(xl *x)
{
    if (x->mb)
        return fail(x, "NUL character");
    sb_puts(&x->out, "[^\x01-\xFF]");
    return true;
}

static bool is_special(unsigned c) { return c && strchr(".[]{}()\\*+?^$|", (int)c) != NULL; }

static void put_literal(sbuf *b, unsigned c)
{
    if (is_special(c))
        sb_putc(b, '\\');
    sb_putc(b, (char)c);
}

/* Writes the ASCII members of s (or of its complement) as one bracket. */
static size_t cs_count(const cset *s);

static void put_bracket(sbuf *b, const cset *s, bool neg, const char *extra, size_t extra_len)
{
    if (!neg && !extra_len && cs_count(s) == 1) {
        for (unsigned c = 1; c < 128; c++)
            if (cs_has(s, c))
                put_literal(b, c);
        return;
    }
    sb_putc(b, '[');
    if (neg)
        sb_putc(b, '^');
    if (cs_has(s, ']'))
        sb_putc(b, ']');
    for (unsigned c = 1; c < 128; c++) {
        if (!cs_has(s, c) || c == ']' || c == '^' || c == '-')
            continue;
        unsigned e = c;
        while (e + 1 < 128 && cs_has(s, e + 1) && e + 1 != ']' && e + 1 != '^' && e + 1 != '-')
            e++;
        sb_putc(b, (char)c);
        if (e >= c + 2) {
            sb_putc(b, '-');
            sb_putc(b, (char)e);
            c = e;
        }
    }
    sb_put(b, extra, extra_len);
    bool body = b->len && b->p[b->len - 1] != '[' && b->p[b->len - 1] != '^';
    if (cs_has(s, '^') && cs_has(s, '-') && !body) {
        sb_puts(b, "-^"); /* '-' first is literal, '^' after it too */
    } else {
        if (cs_has(s, '^'))
            sb_putc(b, '^');
        if (cs_has(s, '-'))
            sb_putc(b, '-');
    }
    sb_putc(b, ']');
}

static size_t cs_count(const cset *s)
{
    size_t k = 0;
    for (unsigned c = 1; c < 128; c++)
        k += cs_has(s, c);
    return k;
}

static bool new_sub(xl *x)
{
    if (x->r->nsub >= MAX_SUB)
        return fail(x, "too many groups");
    x->r->nsub++;
    return true;
}

/* Writes a class (neg: its complement) matching one whole character. */
static bool put_set(xl *x, const cset *s, bool neg)
{
    sbuf *b = &x->out;
    if (x->mb) {
        if (!neg && !s->wide_len && !cs_count(s))
            return fail(x, "empty character class");
        put_bracket(b, s, neg, s->wide, s->wide_len);
        return true;
    }
    if (neg) {
        /* one byte outside the set and below 0x80 (NUL included), or one
         * whole multi-byte sequence */
        if (s->wide_len)
            return fail(x, "non-ASCII characters in a negated class");
        if (!new_sub(x))
            return false;
        sb_putc(b, '(');
        put_bracket(b, s, true, "\x80-\xFF", 3);
        sb_puts(b, "|" MB_SEQ ")");
        return true;
    }
    size_t n = cs_count(s);
    if (!s->wide_len) {
        if (n == 0)
            return fail(x, "empty character class");
        put_bracket(b, s, false, "", 0);
        return true;
    }
    /* non-ASCII members: an alternation of whole sequences */
    if (!new_sub(x))
        return false;
    sb_putc(b, '(');
    bool first = true;
    if (n) {
        put_bracket(b, s, false, "", 0);
        first = false;
    }
    for (size_t i = 0; i < s->wide_len;) {
        size_t used;
        utf8_decode(s->wide + i, s->wide_len - i, &used);
        if (!first)
            sb_putc(b, '|');
        sb_put(b, s->wide + i, used);
        first = false;
        i += used;
    }
    sb_putc(b, ')');
    return true;
}

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

/* The character at x->i (not a backslash): its code point. */
static uint32_t read_char(xl *x)
{
    size_t used;
    uint32_t cp = utf8_decode(x->p + x->i, x->n - x->i, &used);
    x->i += used;
    return cp;
}

/* A character escape after '\' (x->i on the letter): \t \n \r \f \a \e
 * \0ooo \xhh \x{h..} \uhhhh \cX, or an escaped non-alphanumeric. Returns
 * false (no error set) if e is not one of them. */
static bool escape_char(xl *x, uint32_t *cp, bool *ok)
{
    const char *p = x->p;
    size_t n = x->n;
    char e = p[x->i];
    *ok = true;
    switch (e) {
    case 't': *cp = '\t'; x->i++; return true;
    case 'n': *cp = '\n'; x->i++; return true;
    case 'r': *cp = '\r'; x->i++; return true;
    case 'f': *cp = '\f'; x->i++; return true;
    case 'a': *cp = 7; x->i++; return true;
    case 'e': *cp = 27; x->i++; return true;
    case '0': {
        uint32_t v = 0;
        size_t k = 0;
        x->i++;
        while (k < 3 && x->i < n && p[x->i] >= '0' && p[x->i] <= '7' && v * 8 + (uint32_t)(p[x->i] - '0') <= 0377) {
            v = v * 8 + (uint32_t)(p[x->i++] - '0');
            k++;
        }
        if (!k)
            *ok = fail(x, "illegal octal escape");
        *cp = v;
        return true;
    }
    case 'x':
    case 'u': {
        uint32_t v = 0;
        x->i++;
        if (e == 'x' && x->i < n && p[x->i] == '{') {
            size_t k = 0;
            x->i++;
            while (x->i < n && hexval(p[x->i]) >= 0 && v <= 0x10FFFF)
                v = v * 16 + (uint32_t)hexval(p[x->i++]), k++;
            if (!k || x->i >= n || p[x->i] != '}' || v > 0x10FFFF)
                *ok = fail(x, "illegal hexadecimal escape");
            x->i++;
        } else {
            size_t want = e == 'x' ? 2 : 4;
            for (size_t k = 0; k < want; k++) {
                if (x->i >= n || hexval(p[x->i]) < 0) {
                    *ok = fail(x, "illegal hexadecimal escape");
                    return true;
                }
                v = v * 16 + (uint32_t)hexval(p[x->i++]);
            }
            if (v >= 0xD800 && v <= 0xDFFF)
                *ok = fail(x, "surrogate escape");
        }
        *cp = v;
        return true;
    }
    case 'c':
        if (x->i + 1 >= n) {
            *ok = fail(x, "illegal control escape");
            return true;
        }
        *cp = (uint32_t)(p[x->i + 1] ^ 64) & 0x7F;
        x->i += 2;
        return true;
    default:
        if ((unsigned char)e >= 0x80 || !((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))) {
            *cp = read_char(x);
            return true;
        }
        return false;
    }
}

/* \p{Name} or \pX after the 'p' (x->i on it); fills s. */
static bool prop_class(xl *x, cset *s)
{
    const char *name;
    size_t len;
    x->i++;
    if (x->i < x->n && x->p[x->i] == '{') {
        const char *close = memchr(x->p + x->i, '}', x->n - x->i);
        if (!close)
            return fail(x, "unclosed \\p{...}");
        name = x->p + x->i + 1;
        len = (size_t)(close - name);
        x->i = (size_t)(close - x->p) + 1;
    } else if (x->i < x->n) {
        name = x->p + x->i++;
        len = 1;
    } else {
        return fail(x, "incomplete \\p");
    }
    if (len > 2 && memcmp(name, "Is", 2) == 0)
        name += 2, len -= 2;
    if (len == 1 && (name[0] == 'd' || name[0] == 'w' || name[0] == 's'))
        return fail(x, "unknown \\p class");
    if (!cs_named(s, name, len))
        return fail(x, "only ASCII \\p{...} classes are supported");
    return true;
}

/* A Java [...] class; x->i on '['. */
static bool bracket(xl *x)
{
    const char *p = x->p;
    size_t n = x->n;
    cset s = {{0}, {0}, 0};
    bool neg = false, first = true;
    x->i++;
    if (x->i < n && p[x->i] == '^')
        neg = true, x->i++;
    for (;;) {
        if (x->i >= n)
            return fail(x, "unclosed character class");
        char c = p[x->i];
        if (c == ']' && !first) {
            x->i++;
            break;
        }
        if (c == '[')
            return fail(x, "nested character classes");
        if (c == '&' && x->i + 1 < n && p[x->i + 1] == '&')
            return fail(x, "class intersections");
        first = false;
        uint32_t cp;
        if (c == '\\') {
            x->i++;
            if (x->i >= n)
                return fail(x, "trailing backslash");
            char e = p[x->i];
            if (e == 'd' || e == 'w' || e == 's') {
                cs_named(&s, &e, 1);
                x->i++;
                continue;
            }
            if (e == 'p') {
                if (!prop_class(x, &s))
                    return false;
                continue;
            }
            bool ok;
            if (!escape_char(x, &cp, &ok))
                return fail(x, "unsupported escape in a character class");
            if (!ok)
                return false;
        } else {
            cp = read_char(x);
        }
        if (x->i + 1 < n && p[x->i] == '-' && p[x->i + 1] != ']') {
            x->i++;
            uint32_t hi;
            if (p[x->i] == '\\') {
                bool ok;
                x->i++;
                if (x->i >= n || !escape_char(x, &hi, &ok))
                    return fail(x, "illegal character range");
                if (!ok)
                    return false;
            } else {
                hi = read_char(x);
            }
            if (hi < cp)
                return fail(x, "illegal character range");
            if (hi >= 0x80)
                return fail(x, "non-ASCII character range");
            if (cp == 0)
                return fail(x, "NUL character");
            cs_range(&s, cp, hi);
            continue;
        }
        if (!cs_char(x, &s, cp))
            return false;
    }
    return put_set(x, &s, neg);
}

/* After a quantifier: Java's lazy (?) and possessive (+) forms. */
static bool quant_suffix(xl *x)
{
    if (x->i < x->n && (x->p[x->i] == '?' || x->p[x->i] == '+'))
        return fail(x, x->p[x->i] == '?' ? "lazy quantifiers" : "possessive quantifiers");
    return true;
}

static bool is_quant(xl *x) { return x->i < x->n && strchr("*+?{", x->p[x->i]) && x->p[x->i]; }

/* Leading (?imsux-imsux) flags. */
static bool leading_flags(xl *x, int *cflags)
{
    while (x->i + 2 < x->n && x->p[x->i] == '(' && x->p[x->i + 1] == '?') {
        size_t j = x->i + 2;
        bool on = true;
        int fl = *cflags;
        bool dot = x->dotall;
        for (; j < x->n && x->p[j] != ')'; j++) {
            switch (x->p[j]) {
            case '-': on = false; break;
            case 'i': fl = on ? fl | REG_ICASE : fl & ~REG_ICASE; break;
            case 'm': fl = on ? fl | REG_NEWLINE : fl & ~REG_NEWLINE; break;
            case 's': dot = on; break;
            case 'u':
            case 'U': break;
            default: return true; /* not a flag group: handled (and rejected) later */
            }
        }
        if (j >= x->n)
            return true;
        *cflags = fl;
        x->dotall = dot;
        x->i = j + 1;
    }
    return true;
}

static bool translate(xl *x, int *cflags)
{
    const char *p = x->p;
    size_t n = x->n;
    jregex *r = x->r;
    sbuf *b = &x->out;
    if (!leading_flags(x, cflags))
        return false;
    while (x->i < n) {
        size_t atom = b->len;
        bool wide = false; /* a multi-byte literal, to group before a quantifier */
        char c = p[x->i];
        switch (c) {
        case '\\': {
            x->i++;
            if (x->i >= n)
                return fail(x, "trailing backslash");
            char e = p[x->i];
            if (e == 'd' || e == 'w' || e == 's' || e == 'D' || e == 'W' || e == 'S') {
                cset s = {{0}, {0}, 0};
                char lower = (char)(e | 0x20);
                cs_named(&s, &lower, 1);
                x->i++;
                if (!put_set(x, &s, e != lower))
                    return false;
            } else if (e == 'p' || e == 'P') {
                cset s = {{0}, {0}, 0};
                if (!prop_class(x, &s) || !put_set(x, &s, e == 'P'))
                    return false;
            } else if (e == 'b' || e == 'B') {
                sb_putc(b, '\\');
                sb_putc(b, e);
                x->i++;
            } else if (e == 'A') {
                sb_putc(b, '^');
                x->i++;
            } else if (e == 'z' || e == 'Z') {
                sb_putc(b, '$');
                x->i++;
            } else if (e == 'Q') {
                x->i++;
                while (x->i < n && !(p[x->i] == '\\' && x->i + 1 < n && p[x->i + 1] == 'E')) {
                    if (p[x->i] ? (put_literal(b, (unsigned char)p[x->i]), false) : !put_nul(x))
                        return false;
                    x->i++;
                }
                x->i += x->i < n ? 2 : 0;
                continue; /* a quantifier after \E applies to the last character, as in Java */
            } else if (e >= '1' && e <= '9') {
                size_t g = (size_t)(e - '0');
                if (g > r->ngroups)
                    return fail(x, "back reference to an undefined group");
                if (r->map[g] > 9)
                    return fail(x, "back reference to a group beyond the 9th subexpression");
                sb_putc(b, '\\');
                sb_putc(b, (char)('0' + r->map[g]));
                x->i++;
            } else {
                uint32_t cp;
                bool ok;
                if (!escape_char(x, &cp, &ok))
                    return fail(x, "unsupported escape sequence");
                if (!ok)
                    return false;
                if (cp == 0) {
                    if (!put_nul(x))
                        return false;
                } else if (cp < 0x80) {
                    put_literal(b, cp);
                } else {
                    char u[4];
                    sb_put(b, u, utf8_encode(cp, u));
                    wide = true;
                }
            }
            break;
        }
        case '[':
            if (!bracket(x))
                return false;
            break;
        case '(':
            x->i++;
            if (x->i < n && p[x->i] == '?') {
                if (x->i + 1 < n && p[x->i + 1] == ':') {
                    x->i += 2;
                } else if (x->i + 2 < n && p[x->i + 1] == '<' && p[x->i + 2] != '=' && p[x->i + 2] != '!') {
                    const char *close = memchr(p + x->i, '>', n - x->i);
                    if (!close)
                        return fail(x, "unclosed group name");
                    x->i = (size_t)(close - p) + 1;
                    goto capturing;
                } else {
                    return fail(x, "lookaround, atomic groups and inline flags are not supported");
                }
                if (!new_sub(x))
                    return false;
                x->depth++;
                sb_putc(b, '(');
                continue;
            }
        capturing:
            if (r->ngroups >= JRE_MAX_GROUPS)
                return fail(x, "too many groups");
            if (!new_sub(x))
                return false;
            r->map[++r->ngroups] = (uint16_t)r->nsub;
            x->depth++;
            sb_putc(b, '(');
            continue;
        case ')':
            if (x->depth-- == 0)
                return fail(x, "unmatched closing ')'");
            sb_putc(b, ')');
            x->i++;
            continue;
        case '.': {
            cset s = {{0}, {0}, 0};
            if (!x->dotall) {
                cs_add(&s, '\n');
                cs_add(&s, '\r');
            }
            x->i++;
            if (x->dotall && x->mb)
                sb_putc(b, '.');
            else if (!put_set(x, &s, true))
                return false;
            break;
        }
        case '*':
        case '+':
        case '?':
            sb_putc(b, c);
            x->i++;
            if (!quant_suffix(x))
                return false;
            continue;
        case '{': {
            size_t j = x->i + 1, digits = 0;
            while (j < n && ((p[j] >= '0' && p[j] <= '9') || p[j] == ','))
                digits += p[j] != ',', j++;
            if (j >= n || p[j] != '}' || !digits || p[x->i + 1] == ',')
                return fail(x, "illegal repetition");
            sb_put(b, p + x->i, j + 1 - x->i);
            x->i = j + 1;
            if (!quant_suffix(x))
                return false;
            continue;
        }
        case '^':
        case '$':
        case '|':
            sb_putc(b, c);
            x->i++;
            continue;
        default: {
            if (!c) {
                x->i++;
                if (!put_nul(x))
                    return false;
                break;
            }
            size_t start = x->i;
            read_char(x);
            size_t len = x->i - start;
            if (len == 1)
                put_literal(b, (unsigned char)c);
            else
                sb_put(b, p + start, len), wide = true;
            break;
        }
        }
        if (wide && !x->mb && is_quant(x)) {
            /* group the bytes of a non-ASCII character so the quantifier covers them */
            size_t end = b->len;
            if (!new_sub(x) || !sb_put(b, "()", 2))
                return false;
            memmove(b->p + atom + 1, b->p + atom, end - atom);
            b->p[atom] = '(';
            b->p[end + 1] = ')';
        }
    }
    return true;
}

bool jre_compile(exo_vm *vm, const char *who, jregex *r, const char *pat, size_t len)
{
    xl x = {.vm = vm, .who = who, .p = pat, .n = len, .mb = MB_CUR_MAX > 1, .r = r};
    int cflags = REG_EXTENDED;
    r->ngroups = 0;
    r->nsub = 0;
    r->map[0] = 0;
    sb_init(&x.out, vm);
    if (!translate(&x, &cflags)) {
        sb_free(&x.out);
        return false;
    }
    const char *text = sb_cstr(&x.out);
    if (!text) {
        sb_free(&x.out);
        return vm_oom(vm);
    }
    int rc = regcomp(&r->re, text, cflags);
    sb_free(&x.out);
    if (rc != 0) {
        char msg[256];
        regerror(rc, &r->re, msg, sizeof msg);
        return vm_fail(vm, "%s: invalid regular expression '%.*s': %s.", who, (int)len, pat, msg);
    }
    if (r->re.re_nsub != r->nsub) {
        regfree(&r->re);
        return vm_fail(vm, "%s: unsupported regular expression '%.*s': unbalanced groups.", who, (int)len, pat);
    }
    return true;
}

void jre_free(jregex *r) { regfree(&r->re); }

bool jre_search(const jregex *r, const char *s, size_t len, size_t start, regmatch_t *m)
{
    m[0].rm_so = (regoff_t)start;
    m[0].rm_eo = (regoff_t)len;
    return regexec(&r->re, s, r->nsub + 1, m, REG_STARTEND | (start ? REG_NOTBOL : 0)) == 0;
}

bool jre_group(const jregex *r, const regmatch_t *m, size_t g, size_t *so, size_t *eo)
{
    const regmatch_t *x = &m[r->map[g]];
    if (x->rm_so < 0)
        return false;
    *so = (size_t)x->rm_so;
    *eo = (size_t)x->rm_eo;
    return true;
}
