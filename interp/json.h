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
/* Like json_write; pretty indents by two spaces per level (JSONPRETTY),
 * and the text may not pass max bytes (a limit error otherwise). */
bool json_write_ex(exo_vm *vm, sbuf *b, value v, bool strict, bool pretty, size_t max);
/* Writes a JSON string literal of bytes s (UTF-8; non-ASCII as \uXXXX). */
void json_write_string(sbuf *b, const char *s, size_t len, bool latin1);
/* Writes the whole stack, top first, as one array (vm->json_strict and
 * vm->json_pretty apply). */
bool json_write_stack(exo_vm *vm, sbuf *b);
/* Parses strict JSON text (plus NaN, Infinity, -Infinity) into a new value
 * (*out owned): integers that fit are LONG, other numbers DOUBLE, objects
 * insertion-ordered MAPs. Errors name the offset of the problem. */
bool json_parse(exo_vm *vm, const char *s, size_t len, value *out);
/* Parses the first JSON value of s and ignores what follows it, as Jackson's
 * ObjectMapper.readValue does (FAIL_ON_TRAILING_TOKENS is off): JSON-> . */
bool json_parse_first(exo_vm *vm, const char *s, size_t len, value *out);

#endif
