/* The allocator funnel: every byte a VM owns goes through here, so the
 * memory limit is one compare and a test can fail the Nth allocation.
 * On failure these functions record an out-of-memory error in the VM and
 * return NULL; callers only propagate the failure. */
#ifndef EXO_ALLOC_H
#define EXO_ALLOC_H

#include "common.h"

void *vm_alloc(exo_vm *vm, size_t size);
void *vm_calloc(exo_vm *vm, size_t size);
void *vm_realloc(exo_vm *vm, void *ptr, size_t old_size, size_t new_size);
void vm_dealloc(exo_vm *vm, void *ptr, size_t size);
char *vm_strdup(exo_vm *vm, const char *s);
/* Grows *items (of elem bytes each) so that it holds at least need elements. */
bool vm_grow(exo_vm *vm, void **items, size_t *cap, size_t need, size_t elem);

#endif
