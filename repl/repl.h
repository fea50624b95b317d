/* The interactive session of the exo program (readline): the loop and
 * history (repl.c), completion (complete.c) and :help (help.c). Like the
 * rest of repl/, it uses only the public API. */
#ifndef EXO_REPL_H
#define EXO_REPL_H

#include "exo.h"

#include <stdio.h>

/* Runs the session on the terminal until Ctrl-D or :quit; returns the exit
 * status (0). The VM keeps its stack and variables across lines. */
int repl_run(exo_vm *vm);
/* The VM's output callback (MAN and printing words): writes to stdout. */
void repl_write(void *ud, const char *text, size_t len);

/* Installs Tab completion of words, $variables, @macros and :commands. */
void complete_init(exo_vm *vm);

/* :help (families and commands), :help WORD, :help FAMILY. */
void help_show(exo_vm *vm, FILE *out, const char *topic);

#endif
