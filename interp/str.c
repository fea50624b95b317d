/* Immutable strings and byte arrays, one allocation each (header + data). */
#include "alloc.h"
#include "value.h"
#include "vm.h"

#include <string.h>

static value make(exo_vm *vm, vtype t, const void *s, size_t len)
{
    if (len > vm->limits.maxstring) {
        vm_limit(vm, "String size %zu would exceed the limit of %zu (maxstring).", len,
                 (size_t)vm->limits.maxstring);
        return v_null();
    }
    str *p = vm_alloc(vm, sizeof(str) + len + 1);
    if (!p)
        return v_null();
    obj_init(vm, &p->h, t);
    p->len = len;
    if (len)
        memcpy(p->data, s, len);
    p->data[len] = 0;
    return v_obj(t, p);
}

value str_new(exo_vm *vm, const char *s, size_t len) { return make(vm, T_STRING, s, len); }
value str_from(exo_vm *vm, const char *s) { return make(vm, T_STRING, s, strlen(s)); }
value bytes_new(exo_vm *vm, const void *s, size_t len) { return make(vm, T_BYTES, s, len); }
