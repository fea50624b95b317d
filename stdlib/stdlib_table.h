/* The standard library: WarpScript macros embedded at build time
 * (stdlib/embed.py), resolved as @name before any host macro path. */
#ifndef EXO_STDLIB_TABLE_H
#define EXO_STDLIB_TABLE_H

#include <stddef.h>

typedef struct stdlib_entry {
    const char *name; /* "stats/zscore" for @stats/zscore */
    const char *sig;
    const char *doc;
    const char *source;
    size_t len;
} stdlib_entry;

extern const stdlib_entry stdlib_entries[];
extern const size_t stdlib_count;

#endif
