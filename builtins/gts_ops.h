/* GTS operands of the math and logic words (spec e.11, end): math.c and
 * logic.c route a word here when one of its operands is a GTS.
 *  - gts x OP / x gts OP: value-wise, same ticks, metadata kept; with a
 *    comparison (== != < > <= >=) the points whose value satisfies it are
 *    kept instead (the value itself, not a boolean).
 *  - gts1 gts2 OP: on the ticks common to both, in tick order; the result
 *    has no class, labels or attributes; a comparison keeps gts1's points.
 *  - unary words (ABS, ROUND, SQRT, !, ...) apply value-wise.
 * Each value is computed by the word itself on scalars, so the results and
 * errors are exactly those of the scalar word. Operands are left untouched
 * on error. */
#ifndef EXO_GTS_OPS_H
#define EXO_GTS_OPS_H

#include "builtins.h"

/* Operands at depths 2 and 1; at least one is a GTS. */
bool gts_op_binary(exo_vm *vm, const word *w);
/* Operand at depth 1 is a GTS. */
bool gts_op_unary(exo_vm *vm, const word *w);

#endif
