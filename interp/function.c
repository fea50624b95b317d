/* FUNCTION objects: a static fn_def plus retained parameters. The kind
 * (AGGREGATOR, FILTER ...) is copied into the object header's flags so
 * TYPEOF needs no knowledge of the descriptor. The generic builder word
 * serves every parameterised element whose parameters only need a type
 * check; the others provide their own builder in their fn_def. */
#include "function.h"
#include "alloc.h"
#include "snapshot.h"
#include "vm.h"
#include "words.h"

#include <string.h>

static const char *const kind_names[] = {"FUNCTION", "AGGREGATOR", "FILTER", "OPERATOR", "FILLER"};

const char *fn_type_name(const obj *o) { return o->flags < countof(kind_names) ? kind_names[o->flags] : "FUNCTION"; }

static void fn_destroy(exo_vm *vm, obj *o, bool release_children)
{
    function *f = (function *)o;
    if (release_children)
        for (size_t i = 0; i < f->nparams; i++)
            val_release(vm, f->params[i]);
    vm_dealloc(vm, f, sizeof(function));
}

static bool fn_snapshot(exo_vm *vm, sbuf *b, value v)
{
    const function *f = AS_FN(v);
    if (f->nparams == 0 && !f->wrapped) {
        snapshot_string(b, f->def->name, strlen(f->def->name));
        sb_puts(b, " FUNCREF");
        return !b->failed || vm_oom(vm);
    }
    if (f->wrapped)
        sb_puts(b, "<% ");
    for (size_t i = 0; i < f->nparams; i++) {
        if (!snapshot_write(vm, b, f->params[i]))
            return false;
        sb_putc(b, ' ');
    }
    sb_puts(b, f->def->name);
    if (f->wrapped)
        sb_puts(b, " %> EVAL");
    return !b->failed || vm_oom(vm);
}

void fn_install(exo_vm *vm)
{
    vm->destroy_ext[T_FUNCTION] = fn_destroy;
    vm->snapshot_ext[T_FUNCTION] = fn_snapshot;
}

function *fn_new(exo_vm *vm, const fn_def *d, const value *params, size_t n)
{
    function *f = vm_calloc(vm, sizeof(function));
    if (!f) {
        for (size_t i = 0; i < n; i++)
            val_release(vm, params[i]);
        return NULL;
    }
    obj_init(vm, &f->h, T_FUNCTION);
    f->h.flags = d->kind;
    f->def = d;
    f->nparams = (uint8_t)n;
    for (size_t i = 0; i < n; i++)
        f->params[i] = params[i];
    return f;
}

static bool param_ok(value v, uint8_t t)
{
    switch (t) {
    case FP_NUMBER:
        return val_is_number(v);
    case FP_LONG:
        return v.type == T_LONG;
    case FP_BOOL:
        return v.type == T_BOOLEAN;
    case FP_STRING:
        return v.type == T_STRING;
    case FP_SCALAR:
        return val_is_number(v) || v.type == T_STRING || v.type == T_BOOLEAN;
    case FP_MACRO:
        return v.type == T_MACRO;
    case FP_MAP:
        return v.type == T_MAP;
    case FP_LIST:
        return v.type == T_LIST;
    default:
        return true;
    }
}

static const char *param_what(uint8_t t)
{
    switch (t) {
    case FP_NUMBER:
        return "a LONG or a DOUBLE";
    case FP_LONG:
        return "a LONG";
    case FP_BOOL:
        return "a BOOLEAN";
    case FP_STRING:
        return "a STRING";
    case FP_SCALAR:
        return "a LONG, a DOUBLE, a STRING or a BOOLEAN";
    case FP_MACRO:
        return "a MACRO";
    case FP_MAP:
        return "a MAP";
    case FP_LIST:
        return "a LIST";
    default:
        return "a value";
    }
}

bool fn_word(exo_vm *vm, const word *w)
{
    const fn_def *d = w->data;
    if (d->build)
        return d->build(vm, w, d);
    size_t n = d->nparams;
    for (size_t i = 0; i < n; i++) {
        int depth = (int)(n - i);
        if (!param_ok(*vm_peek(vm, (size_t)depth - 1), d->ptypes[i]))
            return vm_type_error(vm, w, depth, param_what(d->ptypes[i]));
    }
    function *f = fn_new(vm, d, NULL, 0); /* before popping: a failure keeps the stack */
    if (!f)
        return false;
    for (size_t i = n; i-- > 0;)
        f->params[i] = vm_pop(vm);
    f->nparams = (uint8_t)n;
    if (n > 0 && val_is_number(f->params[0])) {
        f->il = f->params[0].type == T_LONG ? f->params[0].as.l : java_d2l(f->params[0].as.d);
        f->dl = val_as_double(f->params[0]);
    }
    return vm_push(vm, v_obj(T_FUNCTION, f));
}
