/* JSON in and out, as Warp 10 writes and reads it (spec b.2, b.3). */
#ifndef EXO_JSON_H
#define EXO_JSON_H

#include "sbuf.h"
#include "value.h"

/* Deepest nesting written or parsed; deeper input is an error, not a crash. */
#define JSON_MAX_NESTING 2048

/* Writes v as Warp 10 JSON: loose mode writes NaN/Infinity bare, strict
 * mode as strings. Returns false with an error set in the VM. */
bool json_write(exo_vm *vm, sbuf *b, value v, bool strict);
/* Writes a JSON string literal of bytes s (UTF-8; non-ASCII as \uXXXX). */
void json_write_string(sbuf *b, const char *s, size_t len, bool latin1);
/* Writes the whole stack, top first, as one array. */
bool json_write_stack(exo_vm *vm, sbuf *b);
/* Parses JSON text into a new value (*out owned). */
bool json_parse(exo_vm *vm, const char *s, size_t len, value *out);

#endif
