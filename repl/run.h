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

#endif
