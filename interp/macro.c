/* Macro objects: growable op and position arrays. */
#include "macro.h"
#include "alloc.h"
#include "vm.h"

macro *macro_new(exo_vm *vm, const char *file)
{
    macro *m = vm_calloc(vm, sizeof(macro));
    if (!m)
        return NULL;
    obj_init(vm, &m->h, T_MACRO);
    m->file = file;
    return m;
}

bool macro_emit(exo_vm *vm, macro *m, op o, uint32_t line, uint32_t col)
{
    if (!vm_grow(vm, (void **)&m->ops, &m->cap, m->len + 1, sizeof(op)) ||
        !vm_grow(vm, (void **)&m->pos, &m->pos_cap, m->len + 1, sizeof(srcpos))) {
        op_release(vm, &o);
        return false;
    }
    m->ops[m->len] = o;
    m->pos[m->len].line = line;
    m->pos[m->len].col = col;
    m->len++;
    return true;
}

macro *macro_concat(exo_vm *vm, const macro *a, const macro *b)
{
    macro *m = macro_new(vm, a->file);
    if (!m)
        return NULL;
    size_t n = a->len + b->len;
    if (n && (!vm_grow(vm, (void **)&m->ops, &m->cap, n, sizeof(op)) ||
              !vm_grow(vm, (void **)&m->pos, &m->pos_cap, n, sizeof(srcpos)))) {
        val_release(vm, v_obj(T_MACRO, m));
        return NULL;
    }
    const macro *parts[2] = {a, b};
    for (int p = 0; p < 2; p++)
        for (size_t i = 0; i < parts[p]->len; i++) {
            op o = parts[p]->ops[i];
            op_retain(&o);
            m->ops[m->len] = o;
            m->pos[m->len] = parts[p]->pos[i];
            m->len++;
        }
    return m;
}

void macro_destroy(exo_vm *vm, macro *m, bool release_children)
{
    if (release_children)
        for (size_t i = 0; i < m->len; i++)
            op_release(vm, &m->ops[i]);
    vm_dealloc(vm, m->ops, m->cap * sizeof(op));
    vm_dealloc(vm, m->pos, m->pos_cap * sizeof(srcpos));
    vm_dealloc(vm, m, sizeof(macro));
}

const char *op_name(opkind k)
{
    static const char *const names[] = {
#define OP(name, doc) #name,
#include "ops.def"
#undef OP
    };
    return k < OP__COUNT ? names[k] : "?";
}

void op_retain(const op *o)
{
    if (o->kind == OP_PUSH || o->kind == OP_IFT || o->kind == OP_IFTE)
        val_retain(o->u.v);
    if (o->kind == OP_IFTE)
        o->aux->rc++;
}

void op_release(exo_vm *vm, const op *o)
{
    if (o->kind == OP_PUSH || o->kind == OP_IFT || o->kind == OP_IFTE)
        val_release(vm, o->u.v);
    if (o->kind == OP_IFTE)
        val_release(vm, v_obj(T_MACRO, o->aux));
}
