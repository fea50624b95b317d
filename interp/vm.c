/* The run loop and its bookkeeping: stack growth under maxdepth, variable
 * slots, op counting, recursion depth, interrupts, loop time, and the
 * error trace built while unwinding. Words are resolved to C function
 * pointers at compile time, so a CALL is one indirect call. */
#include "vm.h"
#include "alloc.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

bool vm_stack_grow(exo_vm *vm, size_t need)
{
    if (need > vm->limits.maxdepth)
        return vm_limit(vm, "Stack depth would exceed set limit of %llu (maxdepth).",
                        (unsigned long long)vm->limits.maxdepth);
    size_t cap = vm->cap;
    if (!vm_grow(vm, (void **)&vm->stack, &cap, need, sizeof(value)))
        return false;
    vm->cap = cap;
    return true;
}

/* ---- variables ---- */

static uint64_t name_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

uint32_t vm_sym_find(exo_vm *vm, const char *name, size_t len)
{
    if (!vm->var_index_cap)
        return UINT32_MAX;
    size_t mask = vm->var_index_cap - 1, i = (size_t)name_hash(name, len) & mask;
    for (uint32_t e; (e = vm->var_index[i]) != 0; i = (i + 1) & mask) {
        var *v = &vm->vars[e - 1];
        if (v->name_len == len && memcmp(v->name, name, len) == 0)
            return e - 1;
    }
    return UINT32_MAX;
}

static bool reindex(exo_vm *vm, size_t cap)
{
    uint32_t *idx = vm_calloc(vm, cap * sizeof(uint32_t));
    if (!idx)
        return false;
    for (size_t s = 0; s < vm->nvars; s++) {
        size_t i = (size_t)name_hash(vm->vars[s].name, vm->vars[s].name_len) & (cap - 1);
        while (idx[i])
            i = (i + 1) & (cap - 1);
        idx[i] = (uint32_t)s + 1;
    }
    vm_dealloc(vm, vm->var_index, vm->var_index_cap * sizeof(uint32_t));
    vm->var_index = idx;
    vm->var_index_cap = cap;
    return true;
}

uint32_t vm_sym_intern(exo_vm *vm, const char *name, size_t len)
{
    uint32_t s = vm_sym_find(vm, name, len);
    if (s != UINT32_MAX)
        return s;
    if ((vm->nvars + 1) * 2 > vm->var_index_cap &&
        !reindex(vm, vm->var_index_cap ? vm->var_index_cap * 2 : 64))
        return UINT32_MAX;
    if (!vm_grow(vm, (void **)&vm->vars, &vm->vars_cap, vm->nvars + 1, sizeof(var)))
        return UINT32_MAX;
    char *copy = vm_alloc(vm, len + 1);
    if (!copy)
        return UINT32_MAX;
    memcpy(copy, name, len);
    copy[len] = 0;
    var *v = &vm->vars[vm->nvars];
    v->v = v_null();
    v->defined = false;
    v->name = copy;
    v->name_len = (uint32_t)len;
    size_t mask = vm->var_index_cap - 1, i = (size_t)name_hash(name, len) & mask;
    while (vm->var_index[i])
        i = (i + 1) & mask;
    vm->var_index[i] = (uint32_t)vm->nvars + 1;
    return (uint32_t)vm->nvars++;
}

bool vm_var_store(exo_vm *vm, uint32_t slot, value v)
{
    var *x = &vm->vars[slot];
    if (!x->defined) {
        if (vm->ndefined >= vm->limits.maxsymbols) {
            val_release(vm, v);
            return vm_limit(vm, "Symbol table has reached its maximum number of entries: %llu (maxsymbols).",
                            (unsigned long long)vm->limits.maxsymbols);
        }
        vm->ndefined++;
        x->defined = true;
        x->v = v;
        return true;
    }
    value old = x->v;
    x->v = v;
    val_release(vm, old);
    return true;
}

void vm_var_forget(exo_vm *vm, uint32_t slot)
{
    var *x = &vm->vars[slot];
    if (!x->defined)
        return;
    x->defined = false;
    vm->ndefined--;
    value old = x->v;
    x->v = v_null();
    val_release(vm, old);
}

/* ---- running ---- */

uint64_t vm_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static bool interrupted(exo_vm *vm)
{
    if (likely(!atomic_load_explicit(&vm->interrupted, memory_order_relaxed)))
        return false;
    atomic_store(&vm->interrupted, 0);
    vm_fail(vm, "Interrupted.");
    vm->err.code = EXO_ERR_INTERRUPT;
    return true;
}

void vm_loop_start(exo_vm *vm, loop_clock *lc)
{
    (void)vm;
    lc->start_ms = vm_now_ms();
    lc->tick = 0;
}

bool vm_loop_check(exo_vm *vm, loop_clock *lc, const char *word)
{
    if (interrupted(vm))
        return false;
    if (vm->limits.maxloop == 0)
        return true;
    if (vm_now_ms() - lc->start_ms > vm->limits.maxloop)
        return vm_limit(vm, "%s executed for too long (> %llu ms) (maxloop).", word,
                        (unsigned long long)vm->limits.maxloop);
    return true;
}

static const char *op_name_for_trace(const op *o)
{
    const word *w = op_word_of(o);
    if (w)
        return w->name;
    switch ((opkind)o->kind) {
    case OP_LOAD:
        return "LOAD";
    case OP_STORE:
        return "STORE";
    case OP_RUN:
        return "RUN";
    default:
        return "(push)";
    }
}

/* Completes the pending error with the op that failed (innermost) or adds
 * a trace frame for a macro call site being unwound. */
static void note_frame(exo_vm *vm, const op *o, const char *file, srcpos pos)
{
    const char *w = op_name_for_trace(o);
    exo_error *e = &vm->err;
    if (!vm->err_positioned) {
        snprintf(e->word, sizeof e->word, "%s", w);
        e->file = file ? file : "";
        e->line = pos.line;
        e->col = pos.col;
        vm->err_positioned = true;
        vm->err_consumed = op_is_word(o) ? o->u.w->min_depth : o->kind == OP_IFT || o->kind == OP_IFTE ? 1 : 0;
        return;
    }
    if (e->nframes == EXO_TRACE_MAX) {
        e->dropped_frames++;
        return;
    }
    exo_frame *f = &e->frames[e->nframes++];
    snprintf(f->word, sizeof f->word, "%s", w);
    f->file = file ? file : "";
    f->line = pos.line;
    f->col = pos.col;
}

bool vm_run_named(exo_vm *vm, uint32_t sym)
{
    var *x = &vm->vars[sym];
    if (x->defined) {
        if (x->v.type != T_MACRO)
            return vm_fail(vm, "@%s does not hold a macro but a %s.", x->name, val_type_name(x->v));
        return vm_exec(vm, (macro *)x->v.as.o);
    }
    value m = v_null();
    if (vm->resolve_macro && !vm->resolve_macro(vm, x->name, x->name_len, &m))
        return false;
    if (m.type != T_MACRO) {
        val_release(vm, m);
        return vm_fail(vm, "Unknown macro '@%s'.", x->name);
    }
    bool ok = vm_exec(vm, (macro *)m.as.o);
    val_release(vm, m);
    return ok;
}

static bool call_word(exo_vm *vm, const word *w)
{
    if (unlikely(vm->sp < (size_t)w->min_depth))
        return vm_fail(vm, "Empty stack.");
    return w->fn(vm, w);
}

/* Fused `<% a %> <% b %> IFTE`: a BOOLEAN condition picks the macro with no
 * push or pop of the macros; anything else goes through the word itself,
 * with the macros pushed back, so results and errors are the word's. */
static bool fused_if(exo_vm *vm, const op *o)
{
    value *c = vm->sp ? vm_peek(vm, 0) : NULL;
    if (likely(c && c->type == T_BOOLEAN)) {
        bool b = c->as.b;
        vm->sp--;
        if (b)
            return vm_exec(vm, (macro *)o->u.v.as.o);
        return o->kind == OP_IFTE ? vm_exec(vm, (macro *)o->aux) : true;
    }
    if (!vm_reserve(vm, 2))
        return false;
    vm_push(vm, val_retain(o->u.v));
    if (o->kind == OP_IFTE)
        vm_push(vm, val_retain(v_obj(T_MACRO, o->aux)));
    return call_word(vm, o->word);
}

/* Inlined words: the LONG/LONG and DOUBLE/DOUBLE cases computed in place;
 * anything else (other types, too few operands) calls the word. */
#define BINARY(vm, o, LONG_EXPR, DOUBLE_EXPR, RESULT)                                              \
    do {                                                                                           \
        if (likely(vm->sp >= 2)) {                                                                 \
            value *b_ = &vm->stack[vm->sp - 1], *a_ = b_ - 1;                                      \
            if (likely(a_->type == T_LONG && b_->type == T_LONG)) {                                \
                int64_t x = a_->as.l, y = b_->as.l;                                                \
                RESULT(a_, LONG_EXPR);                                                             \
                vm->sp--;                                                                          \
                return true;                                                                       \
            }                                                                                      \
            if (DOUBLE_EXPR##_OK && a_->type == T_DOUBLE && b_->type == T_DOUBLE) {                \
                double x = a_->as.d, y = b_->as.d;                                                 \
                (void)x, (void)y;                                                                  \
                if (DOUBLE_EXPR##_GUARD) {                                                         \
                    RESULT##_D(a_, DOUBLE_EXPR);                                                   \
                    vm->sp--;                                                                      \
                    return true;                                                                   \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
        return call_word(vm, o->u.w);                                                              \
    } while (0)

#define AS_LONG(slot, e) ((slot)->as.l = (e))
#define AS_LONG_D(slot, e) ((slot)->as.d = (e))
#define AS_BOOL(slot, e) (*(slot) = v_bool(e))
#define AS_BOOL_D(slot, e) (*(slot) = v_bool(e))
#define WRAP(op) ((int64_t)((uint64_t)x op (uint64_t)y))
/* DOUBLE forms: _OK says whether a DOUBLE/DOUBLE fast path exists (== and
 * != have NaN/zero rules of their own: left to the word); _GUARD when it
 * applies: comparisons order -0.0 before 0.0 as Java's compareTo does, so
 * two zeros go to the word */
#define D_ADD (x + y)
#define D_ADD_OK 1
#define D_ADD_GUARD 1
#define D_SUB (x - y)
#define D_SUB_OK 1
#define D_SUB_GUARD 1
#define D_MUL (x * y)
#define D_MUL_OK 1
#define D_MUL_GUARD 1
#define NOT_TWO_ZEROS (x != 0.0 || y != 0.0)
#define D_LT (x < y)
#define D_LT_OK 1
#define D_LT_GUARD NOT_TWO_ZEROS
#define D_GT (x > y)
#define D_GT_OK 1
#define D_GT_GUARD NOT_TWO_ZEROS
#define D_LE (x <= y)
#define D_LE_OK 1
#define D_LE_GUARD NOT_TWO_ZEROS
#define D_GE (x >= y)
#define D_GE_OK 1
#define D_GE_GUARD NOT_TWO_ZEROS
#define D_NONE 0
#define D_NONE_OK 0
#define D_NONE_GUARD 0

static inline bool exec_op(exo_vm *vm, const op *o)
{
    switch ((opkind)o->kind) {
    case OP_PUSH:
        return vm_push(vm, val_retain(o->u.v));
    case OP_CALL:
        return call_word(vm, o->u.w);
    case OP_LOAD: {
        var *x = &vm->vars[o->sym];
        if (unlikely(!x->defined)) {
            if (vm->depth == 0)
                return vm_fail(vm, "Unknown symbol '%s'", x->name);
            return vm_fail(vm, "LOAD symbol '%s' does not exist.", x->name);
        }
        return vm_push(vm, val_retain(x->v));
    }
    case OP_STORE:
        if (unlikely(vm->sp < 1))
            return vm_fail(vm, "Empty stack.");
        return vm_var_store(vm, o->sym, vm_pop(vm));
    case OP_RUN:
        return vm_run_named(vm, o->sym);
    case OP_IFT:
    case OP_IFTE:
        return fused_if(vm, o);
    case OP_ADD:
        BINARY(vm, o, WRAP(+), D_ADD, AS_LONG);
    case OP_SUB:
        BINARY(vm, o, WRAP(-), D_SUB, AS_LONG);
    case OP_MUL:
        BINARY(vm, o, WRAP(*), D_MUL, AS_LONG);
    case OP_LT:
        BINARY(vm, o, x < y, D_LT, AS_BOOL);
    case OP_GT:
        BINARY(vm, o, x > y, D_GT, AS_BOOL);
    case OP_LE:
        BINARY(vm, o, x <= y, D_LE, AS_BOOL);
    case OP_GE:
        BINARY(vm, o, x >= y, D_GE, AS_BOOL);
    case OP_EQ:
        BINARY(vm, o, x == y, D_NONE, AS_BOOL);
    case OP_NE:
        BINARY(vm, o, x != y, D_NONE, AS_BOOL);
    case OP_DUP:
        if (unlikely(vm->sp < 1))
            return call_word(vm, o->u.w);
        return vm_push(vm, val_retain(vm->stack[vm->sp - 1]));
    case OP_SWAP:
        if (unlikely(vm->sp < 2))
            return call_word(vm, o->u.w);
        {
            value t = vm->stack[vm->sp - 1];
            vm->stack[vm->sp - 1] = vm->stack[vm->sp - 2];
            vm->stack[vm->sp - 2] = t;
        }
        return true;
    case OP_DROP:
        if (unlikely(vm->sp < 1))
            return call_word(vm, o->u.w);
        vm_drop(vm, 1);
        return true;
    default:
        return vm_fail(vm, "Invalid op %d.", o->kind);
    }
}

static bool ops_exceeded(exo_vm *vm)
{
    return vm_limit(vm, "Operation count (%llu) exceeded maximum of %llu (maxops).",
                    (unsigned long long)vm->ops, (unsigned long long)vm->maxops);
}

/* Counts one statement (top level) or a whole macro run: +1 for the call
 * and +1 per op, added up front (a macro that stops early is counted in
 * full; the limit only needs a bound). */
static inline bool count_ops(exo_vm *vm, uint64_t n)
{
    vm->ops += n;
    return likely(vm->ops <= vm->maxops) || ops_exceeded(vm);
}

bool vm_run_body(exo_vm *vm, macro *m)
{
    if (unlikely(!count_ops(vm, m->len + 1)))
        return false;
    const op *ops = m->ops;
    size_t n = m->len, i;
    for (i = 0; i < n; i++)
        if (unlikely(!exec_op(vm, &ops[i])))
            break;
    if (likely(i == n))
        return true;
    if (vm->unwind == UW_RETURN) {
        vm->unwind = UW_NONE;
        return true;
    }
    if (vm->unwind == UW_ERROR)
        note_frame(vm, &ops[i], m->file, m->pos[i]);
    return false;
}

bool vm_enter(exo_vm *vm, macro *m)
{
    if (unlikely(vm->depth >= vm->limits.maxrecursion))
        return vm_limit(vm, "Maximum recursion level reached (%llu) (maxrecursion).",
                        (unsigned long long)vm->limits.maxrecursion);
    if (unlikely(atomic_load_explicit(&vm->interrupted, memory_order_relaxed)) && interrupted(vm))
        return false;
    vm->depth++;
    m->h.rc++; /* the macro may be released by what it runs (e.g. re-STORE) */
    return true;
}

void vm_leave(exo_vm *vm, macro *m)
{
    vm->depth--;
    val_release(vm, v_obj(T_MACRO, m));
}

bool vm_exec(exo_vm *vm, macro *m)
{
    if (!vm_enter(vm, m))
        return false;
    bool ok = vm_run_body(vm, m);
    vm_leave(vm, m);
    return ok;
}

/* One top-level statement, run as soon as it is read (streaming model). */
bool vm_exec_top(exo_vm *vm, const op *o, const char *file, uint32_t line, uint32_t col)
{
    srcpos pos = {line, col};
    if (!count_ops(vm, 1) || !exec_op(vm, o)) {
        if (vm->unwind == UW_ERROR)
            note_frame(vm, o, file, pos);
        return false;
    }
    return true;
}
