/* Values as Java's String.valueOf(x) shows them: the text JOIN, TOSTRING,
 * TEMPLATE and string concatenations of the reference produce. Numbers as
 * Long/Double.toString, null as "null", lists as "[a, b]", maps as
 * "{k=v}", macros and functions as their snapshot; GTS and other types
 * defined outside interp/ through vm->text_ext. */
#ifndef EXO_TEXT_H
#define EXO_TEXT_H

#include "sbuf.h"
#include "value.h"

/* Appends the text of v to b. False with the VM error set on failure. */
bool val_write_text(exo_vm *vm, sbuf *b, value v);

#endif
