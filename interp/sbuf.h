/* A growable byte buffer on the VM's allocator. After a failed append the
 * buffer is marked failed and later appends are no-ops, so writers check
 * once at the end. */
#ifndef EXO_SBUF_H
#define EXO_SBUF_H

#include "common.h"

typedef struct sbuf {
    exo_vm *vm;
    char *p;
    size_t len, cap;
    bool failed;
} sbuf;

void sb_init(sbuf *b, exo_vm *vm);
void sb_free(sbuf *b);
bool sb_put(sbuf *b, const char *s, size_t n);
bool sb_puts(sbuf *b, const char *s);
bool sb_putc(sbuf *b, char c);
bool sb_printf(sbuf *b, const char *fmt, ...) EXO_PRINTF(2, 3);
/* NUL-terminates and returns the text (owned by the buffer), NULL if failed. */
const char *sb_cstr(sbuf *b);

#endif
