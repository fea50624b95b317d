/* Allocation funnel. The host allocator (exo_config.alloc) gets the old and
 * new sizes, as Lua's lua_Alloc does, so it never needs its own headers.
 * Accounting lives here: live bytes, the memory cap and the fail-Nth hook. */
#include "alloc.h"
#include "vm.h"

#include <string.h>

static bool admit(exo_vm *vm, size_t old_size, size_t new_size)
{
    if (vm->fail_countdown > 0 && --vm->fail_countdown == 0) {
        vm_oom(vm);
        return false;
    }
    if (new_size > old_size && vm->mem_used - old_size + new_size > vm->limits.maxmemory) {
        vm_limit(vm, "Memory use would exceed the limit of %llu bytes (maxmemory).",
                 (unsigned long long)vm->limits.maxmemory);
        return false;
    }
    return true;
}

void *vm_realloc(exo_vm *vm, void *ptr, size_t old_size, size_t new_size)
{
    if (new_size == 0) {
        vm_dealloc(vm, ptr, old_size);
        return NULL;
    }
    if (!admit(vm, ptr ? old_size : 0, new_size))
        return NULL;
    void *p = vm->alloc_fn(vm->alloc_ud, ptr, ptr ? old_size : 0, new_size);
    if (!p) {
        vm_oom(vm);
        return NULL;
    }
    vm->mem_used = vm->mem_used - (ptr ? old_size : 0) + new_size;
    if (vm->mem_used > vm->mem_peak)
        vm->mem_peak = vm->mem_used;
    return p;
}

void *vm_alloc(exo_vm *vm, size_t size)
{
    return vm_realloc(vm, NULL, 0, size ? size : 1);
}

void *vm_calloc(exo_vm *vm, size_t size)
{
    void *p = vm_alloc(vm, size);
    if (p)
        memset(p, 0, size ? size : 1);
    return p;
}

void vm_dealloc(exo_vm *vm, void *ptr, size_t size)
{
    if (!ptr)
        return;
    vm->alloc_fn(vm->alloc_ud, ptr, size, 0);
    vm->mem_used -= size;
}

char *vm_strdup(exo_vm *vm, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = vm_alloc(vm, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

bool vm_grow(exo_vm *vm, void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 4;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem) {
            vm_oom(vm);
            return false;
        }
        ncap *= 2;
    }
    void *p = vm_realloc(vm, *items, *cap * elem, ncap * elem);
    if (!p)
        return false;
    *items = p;
    *cap = ncap;
    return true;
}
