/* Stack words (spec e.1). PICK/ROLL/ROLLD count levels from 1 after their
 * own argument is popped; every index is checked before anything moves. */
#include "builtins.h"

#include "../interp/sbuf.h"
#include "../interp/snapshot.h"

#include <string.h>

static bool w_dup(exo_vm *vm, const word *w)
{
    (void)w;
    return vm_push(vm, val_retain(*vm_peek(vm, 0)));
}

static bool w_drop(exo_vm *vm, const word *w)
{
    (void)w;
    vm_drop(vm, 1);
    return true;
}

static bool w_swap(exo_vm *vm, const word *w)
{
    (void)w;
    value t = *vm_peek(vm, 0);
    *vm_peek(vm, 0) = *vm_peek(vm, 1);
    *vm_peek(vm, 1) = t;
    return true;
}

static bool w_rot(exo_vm *vm, const word *w)
{
    (void)w;
    value a = *vm_peek(vm, 2);
    *vm_peek(vm, 2) = *vm_peek(vm, 1);
    *vm_peek(vm, 1) = *vm_peek(vm, 0);
    *vm_peek(vm, 0) = a;
    return true;
}

/* Reads the LONG count on top and checks that many levels exist below it. */
static bool count_arg(exo_vm *vm, const word *w, int64_t min, int64_t *out)
{
    value *n = vm_peek(vm, 0);
    if (n->type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG");
    if (n->as.l < min)
        return vm_fail(vm, "%s expects a count of at least %lld, got %lld.", w->name, (long long)min,
                       (long long)n->as.l);
    if ((uint64_t)n->as.l > vm->sp - 1)
        return vm_fail(vm, "Empty stack.");
    *out = n->as.l;
    return true;
}

static bool w_pick(exo_vm *vm, const word *w)
{
    int64_t n = 0;
    if (!count_arg(vm, w, 1, &n))
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, val_retain(*vm_peek(vm, (size_t)n - 1)));
}

static bool w_roll(exo_vm *vm, const word *w)
{
    int64_t n = 0;
    if (!count_arg(vm, w, 0, &n))
        return false;
    vm_drop(vm, 1);
    if (n < 2)
        return true;
    value *base = vm_peek(vm, (size_t)n - 1), moved = *base;
    memmove(base, base + 1, (size_t)(n - 1) * sizeof(value));
    *vm_peek(vm, 0) = moved;
    return true;
}

static bool w_rolld(exo_vm *vm, const word *w)
{
    int64_t n = 0;
    if (!count_arg(vm, w, 0, &n))
        return false;
    vm_drop(vm, 1);
    if (n < 2)
        return true;
    value *base = vm_peek(vm, (size_t)n - 1), top = *vm_peek(vm, 0);
    memmove(base + 1, base, (size_t)(n - 1) * sizeof(value));
    *base = top;
    return true;
}

static bool w_dupn(exo_vm *vm, const word *w)
{
    int64_t n = 0;
    if (!count_arg(vm, w, 0, &n))
        return false;
    if (!vm_reserve(vm, (size_t)n))
        return false;
    vm_drop(vm, 1);
    value *base = vm_peek(vm, (size_t)n - 1);
    for (int64_t i = 0; i < n; i++)
        vm->stack[vm->sp++] = val_retain(base[i]);
    return true;
}

static bool w_dropn(exo_vm *vm, const word *w)
{
    int64_t n = 0;
    if (!count_arg(vm, w, 0, &n))
        return false;
    vm_drop(vm, (size_t)n + 1);
    return true;
}

static bool w_depth(exo_vm *vm, const word *w)
{
    (void)w;
    return vm_push(vm, v_long((int64_t)vm->sp));
}

static bool w_clear(exo_vm *vm, const word *w)
{
    (void)w;
    vm_drop(vm, vm->sp);
    return true;
}

static bool w_mark(exo_vm *vm, const word *w)
{
    (void)w;
    return vm_push(vm, v_mark());
}

/* Number of levels above the nearest MARK, or -1. */
static int64_t to_mark(exo_vm *vm)
{
    for (size_t i = 0; i < vm->sp; i++)
        if (vm_peek(vm, i)->type == T_MARK)
            return (int64_t)i;
    return -1;
}

static bool w_cleartomark(exo_vm *vm, const word *w)
{
    int64_t n = to_mark(vm);
    if (n < 0)
        return vm_fail(vm, "%s could not find a MARK on the stack.", w->name);
    vm_drop(vm, (size_t)n + 1);
    return true;
}

static bool w_counttomark(exo_vm *vm, const word *w)
{
    int64_t n = to_mark(vm);
    if (n < 0)
        return vm_fail(vm, "%s could not find a MARK on the stack.", w->name);
    return vm_push(vm, v_long(n));
}

/* SNAPSHOT family: WarpScript text recreating levels [0, n) (bottom first). */
static bool snapshot_levels(exo_vm *vm, size_t n, size_t skip, value *out)
{
    sbuf b;
    sb_init(&b, vm);
    for (size_t i = n; i-- > 0;) {
        if (!snapshot_write_stack(vm, &b, *vm_peek(vm, i + skip))) {
            sb_free(&b);
            return false;
        }
        sb_putc(&b, ' ');
    }
    if (!sb_cstr(&b)) {
        sb_free(&b);
        return vm_oom(vm);
    }
    *out = str_new(vm, b.p, b.len);
    sb_free(&b);
    return !val_is_oom(*out);
}

static bool w_snapshot(exo_vm *vm, const word *w)
{
    value s;
    bool copy = w->magic & 1, tomark = w->magic & 2, nform = w->magic & 4;
    size_t n = vm->sp, skip = 0;
    if (tomark) {
        int64_t m = to_mark(vm);
        if (m < 0)
            return vm_fail(vm, "%s could not find a MARK on the stack.", w->name);
        n = (size_t)m;
    } else if (nform) {
        /* SNAPSHOT.java takes at most the levels there are below the count
         * (and none for a count of 0 or less) */
        if (!vm_need(vm, 1))
            return false;
        value *c = vm_peek(vm, 0);
        if (c->type != T_LONG)
            return vm_fail(vm, "%s expects a number of stack levels to snapshot.", w->name);
        int64_t k = c->as.l;
        n = k <= 0 ? 0 : (uint64_t)k > vm->sp - 1 ? vm->sp - 1 : (size_t)k;
        skip = 1;
    }
    if (!snapshot_levels(vm, n, skip, &s))
        return false;
    vm_drop(vm, skip);
    if (!copy)
        vm_drop(vm, n + (tomark ? 1 : 0));
    return vm_push(vm, s);
}

static bool w_stacktolist(exo_vm *vm, const word *w)
{
    (void)w;
    list *l = list_new(vm, vm->sp);
    if (!l)
        return false;
    for (size_t i = 0; i < vm->sp; i++)
        l->items[i] = vm->stack[i];
    l->len = vm->sp;
    vm->sp = 0;
    return vm_push(vm, v_obj(T_LIST, l));
}

static const word stack_words[] = {
    EXO_WORD("DUP", w_dup, 1, "a -- a a", "Duplicates the top of the stack (the same reference)."),
    EXO_WORD("DROP", w_drop, 1, "a --", "Removes the top of the stack."),
    EXO_WORD("SWAP", w_swap, 2, "a b -- b a", "Exchanges the two top levels."),
    EXO_WORD("ROT", w_rot, 3, "a b c -- b c a", "Moves the third level to the top."),
    EXO_WORD("PICK", w_pick, 1, "... n -- ... x", "Copies level n (1 = top after popping n) to the top."),
    EXO_WORD("ROLL", w_roll, 1, "xn .. x1 n -- xn-1 .. x1 xn", "Moves level n to the top."),
    EXO_WORD("ROLLD", w_rolld, 1, "xn .. x1 n -- x1 xn .. x2", "Moves the top down to level n."),
    EXO_WORD("DUPN", w_dupn, 1, "x1..xn n -- x1..xn x1..xn", "Duplicates the n top levels."),
    EXO_WORD("DROPN", w_dropn, 1, "x1..xn n --", "Removes the n top levels."),
    EXO_WORD("DEPTH", w_depth, 0, "-- n", "Pushes the number of levels on the stack."),
    EXO_WORD("CLEAR", w_clear, 0, "... --", "Empties the stack."),
    EXO_WORD("MARK", w_mark, 0, "-- mark", "Pushes a MARK."),
    EXO_WORD("CLEARTOMARK", w_cleartomark, 0, "mark ... --", "Removes everything down to and including the nearest MARK."),
    EXO_WORD("COUNTTOMARK", w_counttomark, 0, "mark ... -- mark ... n", "Pushes the number of levels above the nearest MARK."),
    EXO_WORD_MAGIC("SNAPSHOT", w_snapshot, 0, "... -- s", "Replaces the stack by WarpScript text that recreates it.", 0),
    EXO_WORD_MAGIC("SNAPSHOTCOPY", w_snapshot, 0, "... -- ... s", "Pushes WarpScript text that recreates the stack.", 1),
    EXO_WORD_MAGIC("SNAPSHOTTOMARK", w_snapshot, 0, "mark ... -- s", "Replaces the levels down to the nearest MARK by their WarpScript text.", 2),
    EXO_WORD_MAGIC("SNAPSHOTCOPYTOMARK", w_snapshot, 0, "mark ... -- mark ... s", "Pushes the WarpScript text of the levels above the nearest MARK.", 3),
    EXO_WORD_MAGIC("SNAPSHOTN", w_snapshot, 1, "x1..xn n -- s", "Replaces the n top levels by their WarpScript text.", 4),
    EXO_WORD_MAGIC("SNAPSHOTCOPYN", w_snapshot, 1, "x1..xn n -- x1..xn s", "Pushes the WarpScript text of the n top levels.", 5),
    EXO_WORD("STACKTOLIST", w_stacktolist, 0, "... -- list", "Moves the whole stack into a list (bottom first)."),
};

EXO_FAMILY(stack, stack_words)
