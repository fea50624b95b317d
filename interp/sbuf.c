/* Growable byte buffer. */
#include "sbuf.h"
#include "alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sb_init(sbuf *b, exo_vm *vm)
{
    b->vm = vm;
    b->p = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

void sb_free(sbuf *b)
{
    vm_dealloc(b->vm, b->p, b->cap);
    b->p = NULL;
    b->len = b->cap = 0;
}

bool sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return false;
    if (b->len + n + 1 > b->cap && !vm_grow(b->vm, (void **)&b->p, &b->cap, b->len + n + 1, 1)) {
        b->failed = true;
        return false;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return true;
}

bool sb_puts(sbuf *b, const char *s) { return sb_put(b, s, strlen(s)); }

bool sb_putc(sbuf *b, char c) { return sb_put(b, &c, 1); }

bool sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return false;
    if ((size_t)n < sizeof tmp)
        return sb_put(b, tmp, (size_t)n);
    if (b->failed || !vm_grow(b->vm, (void **)&b->p, &b->cap, b->len + (size_t)n + 1, 1)) {
        b->failed = true;
        return false;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

const char *sb_cstr(sbuf *b)
{
    if (!sb_put(b, "", 0) || !b->p)
        return b->failed ? NULL : "";
    b->p[b->len] = 0;
    return b->p;
}
