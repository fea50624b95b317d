/* Variables and macros (spec e.9). Names are interned to slots, so `$x`
 * compiled in a macro is an array access. */
#include "builtins.h"

/* The STRING name at depth, or NULL after a type error. */
static str *name_arg(exo_vm *vm, const word *w, int depth)
{
    value *v = vm_peek(vm, (size_t)depth - 1);
    if (v->type != T_STRING) {
        vm_type_error(vm, w, depth, "a STRING name");
        return NULL;
    }
    return AS_STR(*v);
}

static bool w_store(exo_vm *vm, const word *w)
{
    value *top = vm_peek(vm, 0);
    if (top->type == T_LIST) {
        list *names = AS_LIST(*top);
        if (!vm_need(vm, names->len + 1))
            return false;
        for (size_t i = 0; i < names->len; i++)
            if (names->items[i].type != T_STRING && names->items[i].type != T_NULL)
                return vm_fail(vm, "%s expects a LIST of STRING names (or NULL), got %s.", w->name,
                               val_type_name(names->items[i]));
        /* intern first so the assignment cannot fail half way on memory */
        uint32_t slots[64], *sl = names->len <= 64 ? slots : vm_alloc(vm, names->len * sizeof(uint32_t));
        if (!sl)
            return false;
        bool ok = true;
        for (size_t i = 0; ok && i < names->len; i++)
            if (names->items[i].type == T_STRING)
                ok = (sl[i] = vm_sym_intern(vm, AS_STR(names->items[i])->data, AS_STR(names->items[i])->len)) !=
                     UINT32_MAX;
        if (ok) {
            value lv = vm_pop(vm);
            size_t n = names->len;
            for (size_t i = 0; i < n; i++) {
                value v = vm->stack[vm->sp - n + i];
                if (names->items[i].type == T_STRING)
                    ok = vm_var_store(vm, sl[i], v) && ok;
                else
                    val_release(vm, v);
            }
            vm->sp -= n;
            val_release(vm, lv);
        }
        if (sl != slots)
            vm_dealloc(vm, sl, names->len * sizeof(uint32_t));
        return ok;
    }
    str *name = name_arg(vm, w, 1);
    if (!name)
        return false;
    if (!vm_need(vm, 2))
        return false;
    uint32_t s = vm_sym_intern(vm, name->data, name->len);
    if (s == UINT32_MAX)
        return false;
    if (!vm->vars[s].defined && vm->ndefined >= vm->limits.maxsymbols)
        return vm_limit(vm, "Symbol table has reached its maximum number of entries: %llu (maxsymbols).",
                        (unsigned long long)vm->limits.maxsymbols);
    vm_drop(vm, 1);
    return vm_var_store(vm, s, vm_pop(vm));
}

static bool w_cstore(exo_vm *vm, const word *w)
{
    str *name = name_arg(vm, w, 1);
    if (!name)
        return false;
    uint32_t s = vm_sym_find(vm, name->data, name->len);
    if (s != UINT32_MAX && vm->vars[s].defined) {
        vm_drop(vm, 2);
        return true;
    }
    return w_store(vm, w);
}

static bool w_load(exo_vm *vm, const word *w)
{
    str *name = name_arg(vm, w, 1);
    if (!name)
        return false;
    uint32_t s = vm_sym_find(vm, name->data, name->len);
    if (s == UINT32_MAX || !vm->vars[s].defined)
        return vm_fail(vm, "LOAD symbol '%s' does not exist.", name->data);
    vm_drop(vm, 1);
    return vm_push(vm, val_retain(vm->vars[s].v));
}

static bool w_forget(exo_vm *vm, const word *w)
{
    value *v = vm_peek(vm, 0);
    if (v->type == T_NULL) {
        for (size_t s = 0; s < vm->nvars; s++)
            vm_var_forget(vm, (uint32_t)s);
        vm_drop(vm, 1);
        return true;
    }
    str *name = name_arg(vm, w, 1);
    if (!name)
        return false;
    uint32_t s = vm_sym_find(vm, name->data, name->len);
    if (s != UINT32_MAX)
        vm_var_forget(vm, s);
    vm_drop(vm, 1);
    return true;
}

static bool w_defined(exo_vm *vm, const word *w)
{
    str *name = name_arg(vm, w, 1);
    if (!name)
        return false;
    uint32_t s = vm_sym_find(vm, name->data, name->len);
    bool d = s != UINT32_MAX && vm->vars[s].defined;
    vm_drop(vm, 1);
    return vm_push(vm, v_bool(d));
}

static bool w_run(exo_vm *vm, const word *w)
{
    str *name = name_arg(vm, w, 1);
    if (!name)
        return false;
    uint32_t s = vm_sym_intern(vm, name->data, name->len);
    if (s == UINT32_MAX)
        return false;
    vm_drop(vm, 1);
    return vm_run_named(vm, s);
}

static bool w_symbols(exo_vm *vm, const word *w)
{
    (void)w;
    list *l = list_new(vm, vm->ndefined);
    if (!l)
        return false;
    value out = v_obj(T_LIST, l);
    for (size_t s = 0; s < vm->nvars; s++)
        if (vm->vars[s].defined && !list_push(vm, l, str_new(vm, vm->vars[s].name, vm->vars[s].name_len))) {
            val_release(vm, out);
            return false;
        }
    return vm_push(vm, out);
}

static const word vars_words[] = {
    EXO_WORD("STORE", w_store, 2, "v 'name' --  or  v1..vn [names] --", "Stores a value in a variable (a list of names stores several)."),
    EXO_WORD("CSTORE", w_cstore, 2, "v 'name' --", "Stores only if the variable is not defined yet."),
    EXO_WORD("LOAD", w_load, 1, "'name' -- v", "Pushes the value of a variable."),
    EXO_WORD("FORGET", w_forget, 1, "'name' --", "Undefines a variable (NULL: all of them)."),
    EXO_WORD("DEFINED", w_defined, 1, "'name' -- bool", "Tells whether a variable is defined."),
    EXO_WORD("RUN", w_run, 1, "'name' --", "Runs the macro held in a variable or found in the library (like @name)."),
    EXO_WORD("SYMBOLS", w_symbols, 0, "-- list", "Names of the defined variables."),
};

EXO_FAMILY(vars, vars_words)
