/* Tokenizer. WarpScript scans a script line by line; a token is a run of
 * bytes > 0x20, except string literals, which end at the first matching
 * quote followed by a space or the end of the line ('it's' is one string).
 * Numbers follow Java's Long.valueOf / the reference's isDouble pattern. */
#include "tokenizer.h"
#include "alloc.h"
#include "vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void tok_init(tokenizer *t, exo_vm *vm)
{
    memset(t, 0, sizeof *t);
    t->vm = vm;
}

void tok_reset(tokenizer *t)
{
    t->line = 0;
    t->in_comment = t->in_multiline = false;
    t->buf_len = 0;
}

void tok_free(tokenizer *t)
{
    vm_dealloc(t->vm, t->buf, t->buf_cap);
    t->buf = NULL;
    t->buf_cap = t->buf_len = 0;
}

bool tok_incomplete(const tokenizer *t) { return t->in_comment || t->in_multiline; }

static bool buf_append(tokenizer *t, const char *s, size_t n)
{
    if (!vm_grow(t->vm, (void **)&t->buf, &t->buf_cap, t->buf_len + n + 1, 1))
        return false;
    memcpy(t->buf + t->buf_len, s, n);
    t->buf_len += n;
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

long tok_percent_decode(const char *in, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (in[i] != '%') {
            out[o++] = in[i];
            continue;
        }
        if (i + 2 >= len)
            return -1;
        int h = hexval(in[i + 1]), l = hexval(in[i + 2]);
        if (h < 0 || l < 0)
            return -1;
        out[o++] = (char)(h * 16 + l);
        i += 2;
    }
    return (long)o;
}

static bool lex_fail(tokenizer *t, uint32_t col, const char *fmt, const char *arg)
{
    vm_fail(t->vm, fmt, arg);
    vm_error_at(t->vm, EXO_ERR_SYNTAX, t->file, t->line, col);
    return false;
}

static bool is_blank(unsigned char c) { return c <= 0x20; }

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* The reference's isDouble: digits, at most one '.', at most one e/E after
 * which one optional sign, and at least one of '.'/'e'. */
static bool looks_double(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (n - i == 3 && memcmp(s + i, "NaN", 3) == 0)
        return true;
    if (n - i == 8 && memcmp(s + i, "Infinity", 8) == 0)
        return true;
    if (i >= n || s[i] < '0' || s[i] > '9')
        return false;
    bool dot = false, exp = false, expdigit = false;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (exp)
                expdigit = true;
        } else if (c == '.' && !dot && !exp) {
            dot = true;
        } else if ((c == 'e' || c == 'E') && !exp) {
            exp = true;
            if (i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-'))
                i++;
        } else {
            return false;
        }
    }
    return (dot || exp) && (!exp || expdigit);
}

static bool ieq(const char *s, size_t n, const char *w)
{
    size_t m = strlen(w);
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return false;
    }
    return true;
}

/* Hex or binary literal: digits beyond 64 bits are truncated away, as the
 * reference does (0xFFFFFFFFFFFFFFFF is -1). */
static bool radix_literal(const char *s, size_t n, int64_t *out)
{
    if (n <= 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'b'))
        return false;
    int shift = s[1] == 'x' ? 4 : 1;
    uint64_t v = 0;
    for (size_t i = 2; i < n; i++) {
        int d = hexval(s[i]);
        if (d < 0 || (shift == 1 && d > 1))
            return false;
        v = (v << shift) | (uint64_t)d;
    }
    *out = (int64_t)v;
    return true;
}

static bool classify(tokenizer *t, const char *s, size_t n, uint32_t col, tok_sink sink, void *ctx)
{
    token tk = {.kind = TK_WORD, .text = s, .len = n, .line = t->line, .col = col};
    if (n == 2 && s[0] == '<' && s[1] == '%') {
        tk.kind = TK_MACRO_OPEN;
    } else if (n == 2 && s[0] == '%' && s[1] == '>') {
        tk.kind = TK_MACRO_CLOSE;
    } else if (n == 2 && s[0] == '<' && s[1] == '\'') {
        return lex_fail(t, col, "Can only start multiline strings by using <' on a line by itself.", NULL);
    } else if (radix_literal(s, n, &tk.l)) {
        tk.kind = TK_LONG;
    } else if (all_digits(s + (s[0] == '+' || s[0] == '-'), n - (s[0] == '+' || s[0] == '-'))) {
        char tmp[32];
        if (n >= sizeof tmp)
            goto range;
        memcpy(tmp, s, n);
        tmp[n] = 0;
        errno = 0;
        long long v = strtoll(tmp, NULL, 10);
        if (errno == ERANGE)
            goto range;
        tk.kind = TK_LONG;
        tk.l = v;
    } else if (looks_double(s, n)) {
        char tmp[64];
        const char *p = s;
        size_t m = n;
        if (n >= sizeof tmp) { /* very long literal: copy what strtod needs */
            char *big = vm_alloc(t->vm, n + 1);
            if (!big)
                return false;
            memcpy(big, s, n);
            big[n] = 0;
            tk.d = strtod(big, NULL);
            vm_dealloc(t->vm, big, n + 1);
        } else {
            memcpy(tmp, p, m);
            tmp[m] = 0;
            tk.d = strtod(tmp, NULL);
        }
        tk.kind = TK_DOUBLE;
    } else if (ieq(s, n, "t") || ieq(s, n, "true")) {
        tk.kind = TK_BOOLEAN;
        tk.b = true;
    } else if (ieq(s, n, "f") || ieq(s, n, "false")) {
        tk.kind = TK_BOOLEAN;
        tk.b = false;
    } else if (n > 1 && s[0] == '$') {
        tk.kind = TK_LOAD;
        tk.text = s + 1;
        tk.len = n - 1;
    } else if (n > 2 && s[0] == '!' && s[1] == '$') {
        tk.kind = TK_EARLY;
        tk.text = s + 2;
        tk.len = n - 2;
    } else if (n > 1 && s[0] == '@') {
        tk.kind = TK_RUN;
        tk.text = s + 1;
        tk.len = n - 1;
    }
    return sink(ctx, &tk);
range: {
    char shown[40];
    size_t k = n < 32 ? n : 32;
    memcpy(shown, s, k);
    shown[k] = 0;
    return lex_fail(t, col, "LONG literal out of range: '%s'.", shown);
}
}

/* Finds the closing quote of a literal starting at i (the quote itself). */
static size_t string_end(const char *line, size_t len, size_t i)
{
    char q = line[i];
    size_t last = len; /* index of the last non-blank character */
    while (last > 0 && is_blank((unsigned char)line[last - 1]))
        last--;
    for (size_t j = i + 1; j < len; j++)
        if (line[j] == q && (j + 1 == last || (j + 1 < len && line[j + 1] == ' ')))
            return j;
    return 0;
}

static bool scan_string(tokenizer *t, const char *line, size_t len, size_t *pi, tok_sink sink, void *ctx)
{
    size_t i = *pi, j = string_end(line, len, i);
    uint32_t col = (uint32_t)i + 1;
    if (j == 0)
        return lex_fail(t, col, "Cannot find end of string", NULL);
    const char *s = line + i + 1;
    size_t n = j - i - 1;
    token tk = {.kind = TK_STRING, .text = s, .len = n, .line = t->line, .col = col};
    if (memchr(s, '%', n)) {
        t->buf_len = 0;
        if (!vm_grow(t->vm, (void **)&t->buf, &t->buf_cap, n + 1, 1))
            return false;
        long m = tok_percent_decode(s, n, t->buf);
        if (m < 0)
            return lex_fail(t, col, "Invalid percent-encoding in string literal.", NULL);
        tk.text = t->buf;
        tk.len = (size_t)m;
    }
    *pi = j + 1;
    return sink(ctx, &tk);
}

/* Position of a block comment's end in line[from..]: a "* /" pair at the end
 * of the line or followed by a blank. Returns len when absent. */
static size_t comment_end(const char *line, size_t len, size_t from)
{
    for (size_t j = from; j + 1 < len; j++)
        if (line[j] == '*' && line[j + 1] == '/' && (j + 2 == len || is_blank((unsigned char)line[j + 2])))
            return j;
    return len;
}

static bool trimmed_is(const char *line, size_t len, const char *w)
{
    size_t a = 0, b = len;
    while (a < b && is_blank((unsigned char)line[a]))
        a++;
    while (b > a && is_blank((unsigned char)line[b - 1]))
        b--;
    return b - a == strlen(w) && memcmp(line + a, w, b - a) == 0;
}

static bool scan_line(tokenizer *t, const char *line, size_t len, tok_sink sink, void *ctx)
{
    if (t->in_multiline) {
        if (trimmed_is(line, len, "'>")) {
            t->in_multiline = false;
            token tk = {.kind = TK_STRING, .text = t->buf ? t->buf : "", .len = t->buf_len,
                        .line = t->ml_line, .col = t->ml_col};
            bool ok = sink(ctx, &tk);
            t->buf_len = 0;
            return ok;
        }
        if (t->ml_line != t->line - 1 || t->buf_len) /* join lines with \n */
            if (!buf_append(t, "\n", 1))
                return false;
        return buf_append(t, line, len);
    }
    size_t i = 0;
    if (t->in_comment) {
        size_t e = comment_end(line, len, 0);
        if (e == len)
            return true;
        t->in_comment = false;
        i = e + 2;
    } else if (trimmed_is(line, len, "<'")) {
        t->in_multiline = true;
        t->ml_line = t->line;
        t->ml_col = 1;
        while (t->ml_col <= len && is_blank((unsigned char)line[t->ml_col - 1]))
            t->ml_col++;
        t->buf_len = 0;
        return true;
    }
    while (i < len) {
        while (i < len && is_blank((unsigned char)line[i]))
            i++;
        if (i >= len)
            break;
        const char *s = line + i;
        size_t rest = len - i;
        if (rest >= 2 && s[0] == '/' && s[1] == '*') {
            size_t e = comment_end(line, len, i + 2);
            if (e == len) {
                t->in_comment = true;
                t->ml_line = t->line;
                t->ml_col = (uint32_t)i + 1;
                return true;
            }
            i = e + 2;
            continue;
        }
        if (rest >= 2 && s[0] == '*' && s[1] == '/')
            return lex_fail(t, (uint32_t)i + 1, "Not inside a comment.", NULL);
        if (s[0] == '#' || (rest >= 2 && s[0] == '/' && s[1] == '/'))
            return true;
        if (s[0] == '\'' || s[0] == '"') {
            if (!scan_string(t, line, len, &i, sink, ctx))
                return false;
            continue;
        }
        size_t j = i;
        while (j < len && !is_blank((unsigned char)line[j]))
            j++;
        if (!classify(t, s, j - i, (uint32_t)i + 1, sink, ctx))
            return false;
        i = j;
    }
    return true;
}

bool tok_feed(tokenizer *t, const char *text, size_t len, tok_sink sink, void *ctx)
{
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n' && text[j] != '\r')
            j++;
        t->line++;
        if (!scan_line(t, text + i, j - i, sink, ctx))
            return false;
        if (j < len && text[j] == '\r' && j + 1 < len && text[j + 1] == '\n')
            j++;
        i = j + 1;
    }
    return true;
}
