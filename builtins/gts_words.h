/* Helpers shared by the GTS word families (gts.c, gts_time.c, gts_stats.c,
 * gts_ops.c, fetch.c) and the functions other families call to give their
 * words GTS support (list.c: SIZE, CLONE, APPEND; math.c, logic.c: the
 * hooks of gts_ops.h; TOSTRING goes through vm->text_ext, see gts.c). */
#ifndef EXO_GTS_WORDS_H
#define EXO_GTS_WORDS_H

#include "../interp/gts.h"
#include "builtins.h"

/* True if v is a LIST whose elements are all GTS. */
bool gw_is_gts_list(value v);
/* The GTS at depth (1 = top), or NULL after "W expects a GTS at depth D". */
gts *gw_gts_arg(exo_vm *vm, const word *w, int depth);
/* Checks that depth holds a GTS or a LIST of GTS. */
bool gw_gts_or_list(exo_vm *vm, const word *w, int depth);
/* A LONG at depth (DOUBLE not accepted), or false after a type error. */
bool gw_long_arg(exo_vm *vm, const word *w, int depth, int64_t *out);
/* A LIST of LONG from an array. */
bool gw_long_list(exo_vm *vm, const int64_t *a, size_t n, value *out);
/* Replaces the n operands with result (consumed). Cannot fail after the
 * operands are dropped (the result was built before). */
bool gw_replace(exo_vm *vm, size_t n, value result);

/* Applies fn to the GTS at depth, or to each GTS of a LIST there, giving a
 * value (or a LIST of values for a LIST). ctx is passed through. */
typedef bool (*gw_map_fn)(exo_vm *vm, const word *w, gts *g, void *ctx, value *out);
bool gw_map(exo_vm *vm, const word *w, int depth, gw_map_fn fn, void *ctx, value *out);

/* ---- hooks for words defined in other families ---- */
/* SIZE on a GTS (top): number of points. */
bool gts_word_size(exo_vm *vm, const word *w);
/* CLONE on a GTS (top): pushes a full copy above the original. */
bool gts_word_clone(exo_vm *vm, const word *w);
/* APPEND with two GTS (gts1 gts2): appends gts2's points to gts1 in place
 * (nothing when both have values of different types, as Warp 10). */
bool gts_word_append(exo_vm *vm, const word *w);
/* MIN / MAX of the values of a GTS (top): the value (NULL when empty). */
bool gts_word_minmax(exo_vm *vm, const word *w, bool max);

#endif
