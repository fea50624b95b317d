/* The exo program's pieces: the script runner and (later) the REPL. */
#ifndef EXO_RUN_H
#define EXO_RUN_H

#include "exo.h"

#include <stdio.h>

/* Reads a whole file ("-" = stdin). Returns NULL and sets errno on failure. */
char *read_file(const char *path, size_t *len);
/* Prints an error as FILE:LINE:COL: error: MESSAGE plus the macro trace. */
void print_error(FILE *out, const exo_error *e);
/* Exit status for an evaluation status. */
int exit_status(exo_status st);
/* Prints the stack, top first: one value per line, or one JSON array. */
int print_stack(exo_vm *vm, FILE *out, bool json);

/* The -I / EXO_MACROPATH directories searched for @name (macropath.c). */
typedef struct macropath {
    const char *dirs[64];
    int n;
    char *env;  /* owned copy of $EXO_MACROPATH */
    char *text; /* the last file loaded */
} macropath;
void macropath_add(macropath *mp, const char *dir);
void macropath_add_env(macropath *mp);
void macropath_free(macropath *mp);
const char *macropath_load(void *ud, const char *name, size_t *len);

#endif
