/* WarpScript text that recreates a value: the form of macros in JSON
 * output ("<% 1 2 + %>") and of the SNAPSHOT words. */
#ifndef EXO_SNAPSHOT_H
#define EXO_SNAPSHOT_H

#include "sbuf.h"
#include "value.h"

bool snapshot_write(exo_vm *vm, sbuf *b, value v);
/* The form the SNAPSHOT words give (SNAPSHOT.java's non-readable one):
 * as snapshot_write, but lists, maps and bytes are built by statements,
 * `[] 1 +! 'a' +!`, `{} true 'k' PUT`, `'opb64' OPB64->`. */
bool snapshot_write_stack(exo_vm *vm, sbuf *b, value v);
/* A string literal: quoted, with what cannot appear raw percent-encoded. */
void snapshot_string(sbuf *b, const char *s, size_t len);

#endif
