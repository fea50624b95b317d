/* The tick-by-tick sweep of several series shared by REDUCE and APPLY
 * (see sweep.c). */
#ifndef EXO_SWEEP_H
#define EXO_SWEEP_H

#include "aggregators.h"

/* Sorts the members, then runs fn at every tick of the union of their
 * ticks with one slot per member, appending each non-null result to dst
 * at the tick (or at the kernel's tick when override). mode is AGG_REDUCE
 * or AGG_APPLY; labels are the class's common labels; coll (APPLY) the
 * collection of each member, or NULL. */
bool sweep_members(exo_vm *vm, gts *const *m, size_t k, value fn, bool override, uint8_t mode, const map *labels,
                   const uint32_t *coll, gts *dst);

#endif
