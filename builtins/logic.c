/* Comparison and logic words (spec e.4). Numbers compare as the reference's
 * EQ.compare: exactly across LONG/DOUBLE, with -0.0 < 0.0 between DOUBLEs;
 * NaN makes every ordering false, and NaN NaN == is true. The six
 * comparisons share compare(): LONG/LONG and ordinary DOUBLE/DOUBLE are
 * answered in place first (the VM's inner loop); compare_slow() is the one
 * spot for NaN, mixed and non-number operands (and, later, GTS). */
#include "builtins.h"
#include "gts_ops.h"

#include <math.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

enum { C_EQ, C_NE, C_LT, C_GT, C_LE, C_GE };

static int sign3(int64_t x, int64_t y) { return (x > y) - (x < y); }

/* Double.compare for non-NaN values: IEEE order, then -0.0 before 0.0. */
static int dbl_cmp(double x, double y)
{
    if (x < y)
        return -1;
    if (x > y)
        return 1;
    return (signbit(y) != 0) - (signbit(x) != 0);
}

/* Exact comparison of a LONG with a non-NaN DOUBLE (the reference goes
 * through BigDecimal, so 2^53+1 != 2^53 as a DOUBLE). */
static int long_dbl_cmp(int64_t l, double d)
{
    if (d >= 9223372036854775808.0)
        return -1;
    if (d < -9223372036854775808.0)
        return 1;
    int64_t t = (int64_t)d; /* in range, truncated */
    if (l != t)
        return l < t ? -1 : 1;
    double frac = d - (double)t; /* exact */
    return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

static int num_cmp(value a, value b)
{
    if (a.type == T_LONG)
        return b.type == T_LONG ? sign3(a.as.l, b.as.l) : long_dbl_cmp(a.as.l, b.as.d);
    return b.type == T_DOUBLE ? dbl_cmp(a.as.d, b.as.d) : -long_dbl_cmp(b.as.l, a.as.d);
}

/* Lexicographic order of UTF-16 code units, as Java's String.compareTo:
 * UTF-8 byte order except that characters above U+FFFF (surrogates in
 * UTF-16) sort before U+E000..U+FFFF. */
static int str_cmp(const str *x, const str *y)
{
    size_t n = x->len < y->len ? x->len : y->len, i = 0;
    const unsigned char *p = (const unsigned char *)x->data, *q = (const unsigned char *)y->data;
    while (i < n && p[i] == q[i])
        i++;
    if (i == n)
        return sign3((int64_t)x->len, (int64_t)y->len);
    size_t s = i; /* start of the differing character */
    while (s > 0 && (p[s] & 0xC0) == 0x80)
        s--;
    unsigned a = p[s], b = q[s];
    int c = p[i] < q[i] ? -1 : 1;
    bool a_sup = a >= 0xF0, b_sup = b >= 0xF0, a_hi = a == 0xEE || a == 0xEF, b_hi = b == 0xEE || b == 0xEF;
    return (a_sup && b_hi) || (b_sup && a_hi) ? -c : c;
}

static int bytes_cmp(const str *x, const str *y)
{
    size_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(x->data, y->data, n) : 0;
    return c ? (c < 0 ? -1 : 1) : sign3((int64_t)x->len, (int64_t)y->len);
}

static bool holds(int op, int c)
{
    switch (op) {
    case C_EQ: return c == 0;
    case C_NE: return c != 0;
    case C_LT: return c < 0;
    case C_GT: return c > 0;
    case C_LE: return c <= 0;
    default: return c >= 0;
    }
}

static bool compare_slow(exo_vm *vm, const word *w, int op)
{
    value a = *vm_peek(vm, 1), b = *vm_peek(vm, 0);
    bool na = a.type == T_DOUBLE && isnan(a.as.d), nb = b.type == T_DOUBLE && isnan(b.as.d), r;
    if (a.type == T_GTS || b.type == T_GTS) /* value-wise filters, gts_ops.c */
        return gts_op_binary(vm, w);
    if (op == C_EQ || op == C_NE) {
        if (val_is_number(a) && val_is_number(b))
            r = (na || nb) ? na && nb : num_cmp(a, b) == 0;
        else
            r = val_equals(a, b, false);
        r = r != (op == C_NE);
    } else if (na || nb) {
        r = false; /* even against a non-number, as the reference does */
    } else if (val_is_number(a) && val_is_number(b)) {
        r = holds(op, num_cmp(a, b));
    } else if (a.type == T_STRING && b.type == T_STRING) {
        r = holds(op, str_cmp(AS_STR(a), AS_STR(b)));
    } else if (a.type == T_BYTES && b.type == T_BYTES) {
        r = holds(op, bytes_cmp(AS_STR(a), AS_STR(b)));
    } else if (val_is_number(a)) {
        return vm_type_error(vm, w, 1, "a LONG or DOUBLE");
    } else if (a.type == T_STRING || a.type == T_BYTES) {
        return vm_type_error(vm, w, 1, a.type == T_STRING ? "a STRING" : "BYTES");
    } else {
        return vm_type_error(vm, w, 2, "a LONG, DOUBLE, STRING or BYTES");
    }
    vm_drop(vm, 2);
    vm->stack[vm->sp++] = v_bool(r); /* two slots were just freed */
    return true;
}

/* One body for the six comparisons; each word passes a constant op. */
static ALWAYS_INLINE bool compare(exo_vm *vm, const word *w, int op)
{
    size_t sp = vm->sp; /* kept local: the stores below could alias vm->sp */
    value *b = &vm->stack[sp - 1], *a = b - 1;
    int c;
    if (likely(a->type == T_LONG && b->type == T_LONG))
        c = sign3(a->as.l, b->as.l);
    else if (a->type == T_DOUBLE && b->type == T_DOUBLE && (a->as.d < b->as.d || a->as.d > b->as.d))
        c = a->as.d < b->as.d ? -1 : 1; /* neither NaN nor equal: IEEE order is Java's */
    else
        return compare_slow(vm, w, op);
    *a = v_bool(holds(op, c));
    vm->sp = sp - 1;
    return true;
}

#define COMPARE_WORD(fn, op)                                                                       \
    static bool fn(exo_vm *vm, const word *w) { return compare(vm, w, op); }
COMPARE_WORD(w_eq, C_EQ)
COMPARE_WORD(w_ne, C_NE)
COMPARE_WORD(w_lt, C_LT)
COMPARE_WORD(w_gt, C_GT)
COMPARE_WORD(w_le, C_LE)
COMPARE_WORD(w_ge, C_GE)

/* ---- boolean logic ---- */

/* [ a <% b %> ... ] && : elements are BOOLEANs or macros leaving one, run
 * in order until one equals the trigger (false for &&, true for ||). */
static bool cond_list(exo_vm *vm, const word *w, bool trigger)
{
    const list *l = AS_LIST(*vm_peek(vm, 0));
    for (size_t i = 0; i < l->len; i++)
        if (l->items[i].type != T_BOOLEAN && l->items[i].type != T_MACRO)
            return vm_fail(vm, "%s expects BOOLEANs or MACROs in its LIST, got %s.", w->name,
                           val_type_name(l->items[i]));
    value lv = vm_pop(vm); /* held here: the macros may change or drop the list */
    bool ok = true, result = !trigger;
    for (size_t i = 0; ok && i < l->len; i++) {
        value e = val_retain(l->items[i]);
        bool b = false;
        if (e.type == T_BOOLEAN) {
            b = e.as.b;
        } else if (e.type != T_MACRO) {
            ok = vm_fail(vm, "%s expects BOOLEANs or MACROs in its LIST, got %s.", w->name, val_type_name(e));
        } else if ((ok = vm_exec(vm, (macro *)e.as.o))) {
            if (vm->sp == 0 || vm_peek(vm, 0)->type != T_BOOLEAN)
                ok = vm_fail(vm, "%s expects each MACRO of its LIST to leave a BOOLEAN, got %s.", w->name,
                             vm->sp ? val_type_name(*vm_peek(vm, 0)) : "an empty stack");
            else
                b = vm_pop(vm).as.b;
        }
        val_release(vm, e);
        if (ok && b == trigger) {
            result = trigger;
            break;
        }
    }
    val_release(vm, lv);
    return ok && vm_push(vm, v_bool(result));
}

static bool w_cond(exo_vm *vm, const word *w)
{
    bool trigger = w->magic != 0;
    value *b = vm_peek(vm, 0);
    if (b->type == T_LIST)
        return cond_list(vm, w, trigger);
    if (b->type == T_GTS || (vm->sp > 1 && vm_peek(vm, 1)->type == T_GTS))
        return vm_need(vm, 2) && gts_op_binary(vm, w);
    if (b->type != T_BOOLEAN)
        return vm_type_error(vm, w, 1, "a BOOLEAN or a LIST");
    if (!vm_need(vm, 2))
        return false;
    value *a = vm_peek(vm, 1);
    if (a->type != T_BOOLEAN)
        return vm_type_error(vm, w, 2, "a BOOLEAN");
    a->as.b = trigger ? (a->as.b || b->as.b) : (a->as.b && b->as.b);
    vm->sp--;
    return true;
}

static bool w_not(exo_vm *vm, const word *w)
{
    value *x = vm_peek(vm, 0);
    if (x->type == T_GTS)
        return gts_op_unary(vm, w);
    if (x->type != T_BOOLEAN)
        return vm_type_error(vm, w, 1, "a BOOLEAN");
    x->as.b = !x->as.b;
    return true;
}

/* ---- type tests ---- */

/* Replaces the top by r (owned), releasing what was there. */
static void replace_top(exo_vm *vm, value r)
{
    value old = *vm_peek(vm, 0);
    *vm_peek(vm, 0) = r;
    val_release(vm, old);
}

static bool w_null(exo_vm *vm, const word *w)
{
    (void)w;
    return vm_push(vm, v_null());
}

static bool w_isnull(exo_vm *vm, const word *w)
{
    (void)w;
    replace_top(vm, v_bool(vm_peek(vm, 0)->type == T_NULL));
    return true;
}

static bool w_isnan(exo_vm *vm, const word *w)
{
    (void)w;
    value *x = vm_peek(vm, 0);
    replace_top(vm, v_bool(x->type == T_DOUBLE && isnan(x->as.d)));
    return true;
}

static bool w_typeof(exo_vm *vm, const word *w)
{
    (void)w;
    value name = str_from(vm, val_type_name(*vm_peek(vm, 0)));
    if (val_is_oom(name))
        return false;
    replace_top(vm, name);
    return true;
}

static const word logic_words[] = {
    EXO_WORD_MAGIC("==", w_eq, 2, "a b -- bool", "Equality: numbers by value across LONG/DOUBLE (NaN NaN == is true), others by type and content.", C_EQ),
    EXO_WORD_MAGIC("!=", w_ne, 2, "a b -- bool", "Negation of ==.", C_NE),
    EXO_WORD_MAGIC("<", w_lt, 2, "a b -- bool", "a < b for numbers, STRINGs or BYTES; false if either is NaN.", C_LT),
    EXO_WORD_MAGIC(">", w_gt, 2, "a b -- bool", "a > b for numbers, STRINGs or BYTES; false if either is NaN.", C_GT),
    EXO_WORD_MAGIC("<=", w_le, 2, "a b -- bool", "a <= b for numbers, STRINGs or BYTES; false if either is NaN.", C_LE),
    EXO_WORD_MAGIC(">=", w_ge, 2, "a b -- bool", "a >= b for numbers, STRINGs or BYTES; false if either is NaN.", C_GE),
    EXO_WORD_MAGIC("&&", w_cond, 1, "a b -- bool | list -- bool", "Logical AND of two BOOLEANs, or of a LIST of BOOLEANs and MACROs run lazily until one is false.", 0),
    EXO_WORD_MAGIC("AND", w_cond, 1, "a b -- bool | list -- bool", "Same as &&.", 0),
    EXO_WORD_MAGIC("||", w_cond, 1, "a b -- bool | list -- bool", "Logical OR of two BOOLEANs, or of a LIST of BOOLEANs and MACROs run lazily until one is true.", 1),
    EXO_WORD_MAGIC("OR", w_cond, 1, "a b -- bool | list -- bool", "Same as ||.", 1),
    EXO_WORD("!", w_not, 1, "bool -- bool", "Logical negation."),
    EXO_WORD("NOT", w_not, 1, "bool -- bool", "Logical negation."),
    EXO_WORD("NULL", w_null, 0, "-- null", "Pushes NULL."),
    EXO_WORD("ISNULL", w_isnull, 1, "x -- bool", "True if x is NULL."),
    EXO_WORD("ISNaN", w_isnan, 1, "x -- bool", "True if x is a DOUBLE NaN (false for any other type)."),
    EXO_WORD("TYPEOF", w_typeof, 1, "x -- type", "Pushes the type name of x (LONG, DOUBLE, STRING, LIST, MAP, ...)."),
};

EXO_FAMILY(logic, logic_words)
