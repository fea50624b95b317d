/* Helpers shared by the list and map families (defined in builtins/list.c):
 * the natural order of LSORT/MSORT/SORTBY keys, a stable merge sort whose
 * comparator may fail (SORTWITH runs a macro), and the "run a macro on
 * pushed inputs, pop its result" step of LMAP-like words. */
#ifndef EXO_COLL_H
#define EXO_COLL_H

#include "builtins.h"

#include <limits.h>

/* Natural-order classes: two values compare only within one class. */
enum { CK_NONE, CK_NUMBER, CK_STRING, CK_BOOLEAN };
int coll_kind(value v);
/* Natural order of two values of one class: numbers by value across
 * LONG/DOUBLE (NaN last, -0.0 before 0.0), strings bytewise, false < true. */
int coll_compare(value a, value b);
/* Checks that the n values at first, first+stride bytes, ... are mutually
 * comparable; otherwise fails with "W cannot compare X with Y.". */
bool coll_check_comparable(exo_vm *vm, const word *w, const value *first, size_t n, size_t stride);

/* Comparator for coll_sort: <0, 0, >0, or COLL_CMP_ERR after setting an error. */
typedef int (*coll_cmp)(void *ctx, const void *a, const void *b);
#define COLL_CMP_ERR INT_MIN
/* Stable merge sort of n elements of size bytes. On failure the array still
 * holds every element once (in some order). */
bool coll_sort(exo_vm *vm, void *base, size_t n, size_t size, coll_cmp cmp, void *ctx);

/* Runs m (its inputs already pushed) and pops the value it leaves. */
bool coll_call(exo_vm *vm, macro *m, value *out);
/* The optional trailing BOOLEAN of LMAP-like words (pushIndex): returns the
 * number of levels it occupies (0 or 1); base = levels below it. */
size_t coll_index_flag(exo_vm *vm, size_t base, bool *push_index);

#endif
