/* GTS arithmetic and comparisons (see gts_ops.h). Every result value is
 * computed by calling the scalar word on the VM stack (push the operands,
 * run the word's function, pop its result): one definition of +, <, ABS
 * ... for numbers and for GTS, at the cost of a call per point, which is
 * small next to the frameworks' per-point work. */
#include "gts_ops.h"
#include "gts_words.h"

#include <string.h>

static bool is_comparison(const char *n)
{
    return !strcmp(n, "==") || !strcmp(n, "!=") || !strcmp(n, "<") || !strcmp(n, ">") || !strcmp(n, "<=") ||
           !strcmp(n, ">=");
}

/* Runs w on the scalars a (deeper) and b (or on a alone when unary). */
static bool scalar(exo_vm *vm, const word *w, value a, value b, bool unary, value *out)
{
    size_t base = vm->sp;
    if (!vm_reserve(vm, 2))
        return false;
    vm_push(vm, val_retain(a));
    if (!unary)
        vm_push(vm, val_retain(b));
    if (!w->fn(vm, w)) {
        vm_drop(vm, vm->sp - base);
        return false;
    }
    if (vm->sp != base + 1) { /* not a plain operator: refuse rather than guess */
        vm_drop(vm, vm->sp - base);
        return vm_fail(vm, "%s cannot be applied to a GTS.", w->name);
    }
    *out = vm_pop(vm);
    return true;
}

static bool truthy(value r) { return r.type == T_BOOLEAN && r.as.b; }

/* gts OP c (gts_left) or c OP gts. */
static bool with_constant(exo_vm *vm, const word *w, gts *g, value c, bool gts_left, value *out)
{
    bool filter = is_comparison(w->name);
    gts *r = gts_clone(vm, g, false);
    if (!r)
        return false;
    for (size_t i = 0; i < g->len; i++) {
        value v = gts_value_at(g, i), res;
        bool ok = gts_left ? scalar(vm, w, v, c, false, &res) : scalar(vm, w, c, v, false, &res);
        if (ok) {
            int64_t loc = g->loc ? g->loc[i] : GTS_NO_LOCATION, elev = g->elev ? g->elev[i] : GTS_NO_ELEVATION;
            if (filter)
                ok = !truthy(res) || gts_add(vm, r, g->ticks[i], loc, elev, v);
            else
                ok = gts_add(vm, r, g->ticks[i], loc, elev, res);
            val_release(vm, res);
        }
        val_release(vm, v);
        if (!ok) {
            val_release(vm, v_obj(T_GTS, r));
            return false;
        }
    }
    *out = v_obj(T_GTS, r);
    return true;
}

/* Indexes of g sorted by tick (stable), for the merge join. */
static uint32_t *tick_order(exo_vm *vm, const gts *g)
{
    gts *c = gts_new(vm);
    uint32_t *idx = vm_alloc(vm, (g->len ? g->len : 1) * sizeof(uint32_t));
    bool ok = c && idx && gts_reserve(vm, c, g->len);
    for (size_t i = 0; ok && i < g->len; i++)
        ok = gts_add_long(vm, c, g->ticks[i], (int64_t)i);
    if (ok)
        ok = gts_sort(vm, c, false);
    for (size_t i = 0; ok && i < g->len; i++)
        idx[i] = (uint32_t)c->v.l[i];
    if (c)
        val_release(vm, v_obj(T_GTS, c));
    if (!ok) {
        if (idx)
            vm_dealloc(vm, idx, (g->len ? g->len : 1) * sizeof(uint32_t));
        return NULL;
    }
    return idx;
}

/* gts1 OP gts2 on common ticks. */
static bool two_gts(exo_vm *vm, const word *w, gts *a, gts *b, value *out)
{
    bool filter = is_comparison(w->name);
    if (a->len > UINT32_MAX || b->len > UINT32_MAX)
        return vm_limit(vm, "%s: GTS too large.", w->name);
    gts *r = gts_new(vm);
    uint32_t *ia = r ? tick_order(vm, a) : NULL, *ib = ia ? tick_order(vm, b) : NULL;
    bool ok = ib != NULL;
    size_t i = 0, j = 0;
    while (ok && i < a->len && j < b->len) {
        uint32_t x = ia[i], y = ib[j];
        if (a->ticks[x] < b->ticks[y]) {
            i++;
        } else if (a->ticks[x] > b->ticks[y]) {
            j++;
        } else {
            value va = gts_value_at(a, x), vb = gts_value_at(b, y), res;
            ok = scalar(vm, w, va, vb, false, &res);
            if (ok) {
                if (filter)
                    ok = !truthy(res) || gts_add_from(vm, r, a, x);
                else
                    ok = gts_add(vm, r, a->ticks[x], GTS_NO_LOCATION, GTS_NO_ELEVATION, res);
                val_release(vm, res);
            }
            val_release(vm, va);
            val_release(vm, vb);
            i++, j++;
        }
    }
    if (ia)
        vm_dealloc(vm, ia, (a->len ? a->len : 1) * sizeof(uint32_t));
    if (ib)
        vm_dealloc(vm, ib, (b->len ? b->len : 1) * sizeof(uint32_t));
    if (!ok) {
        if (r)
            val_release(vm, v_obj(T_GTS, r));
        return false;
    }
    *out = v_obj(T_GTS, r);
    return true;
}

bool gts_op_binary(exo_vm *vm, const word *w)
{
    value a = *vm_peek(vm, 1), b = *vm_peek(vm, 0), r;
    bool ok;
    if (a.type == T_GTS && b.type == T_GTS) {
        ok = two_gts(vm, w, AS_GTS(a), AS_GTS(b), &r);
    } else {
        value c = a.type == T_GTS ? b : a;
        if (!val_is_number(c) && c.type != T_STRING && c.type != T_BOOLEAN)
            return vm_type_error(vm, w, a.type == T_GTS ? 1 : 2, "a number, STRING, BOOLEAN or GTS with a GTS");
        ok = with_constant(vm, w, AS_GTS(a.type == T_GTS ? a : b), c, a.type == T_GTS, &r);
    }
    return ok && gw_replace(vm, 2, r);
}

bool gts_op_unary(exo_vm *vm, const word *w)
{
    gts *g = AS_GTS(*vm_peek(vm, 0));
    gts *r = gts_clone(vm, g, false);
    if (!r)
        return false;
    for (size_t i = 0; i < g->len; i++) {
        value v = gts_value_at(g, i), res;
        bool ok = scalar(vm, w, v, v_null(), true, &res);
        if (ok) {
            int64_t loc = g->loc ? g->loc[i] : GTS_NO_LOCATION, elev = g->elev ? g->elev[i] : GTS_NO_ELEVATION;
            ok = gts_add(vm, r, g->ticks[i], loc, elev, res);
            val_release(vm, res);
        }
        val_release(vm, v);
        if (!ok) {
            val_release(vm, v_obj(T_GTS, r));
            return false;
        }
    }
    return gw_replace(vm, 1, v_obj(T_GTS, r));
}
