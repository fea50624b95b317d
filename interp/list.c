/* Mutable lists: a growable array of values. */
#include "alloc.h"
#include "value.h"
#include "vm.h"

list *list_new(exo_vm *vm, size_t cap)
{
    list *l = vm_alloc(vm, sizeof(list));
    if (!l)
        return NULL;
    l->len = l->cap = 0;
    l->items = NULL;
    obj_init(vm, &l->h, T_LIST);
    if (cap && !list_reserve(vm, l, cap)) {
        val_release(vm, v_obj(T_LIST, l));
        return NULL;
    }
    return l;
}

bool list_reserve(exo_vm *vm, list *l, size_t cap)
{
    if (cap > vm->limits.maxlist) {
        vm_limit(vm, "List size %zu would exceed the limit of %zu (maxlist).", cap,
                 (size_t)vm->limits.maxlist);
        return false;
    }
    return vm_grow(vm, (void **)&l->items, &l->cap, cap, sizeof(value));
}

bool list_push(exo_vm *vm, list *l, value v)
{
    if (unlikely(l->len >= vm->limits.maxlist)) {
        val_release(vm, v);
        return vm_limit(vm, "List size %zu would exceed the limit of %zu (maxlist).", l->len + 1,
                        (size_t)vm->limits.maxlist);
    }
    if (l->len == l->cap && !list_reserve(vm, l, l->len + 1)) {
        val_release(vm, v);
        return false;
    }
    l->items[l->len++] = v;
    return true;
}
