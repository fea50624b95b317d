/* Arithmetic, math and bitwise words (spec e.3, bits of e.4).
 * The binary operators share binop(): LONG/LONG and DOUBLE/DOUBLE are done
 * in place first (the VM's inner loop); everything else goes to
 * binop_slow(), the one spot for mixed numbers and non-number operands
 * (STRING/LIST/MACRO/BYTES for +, and later GTS). LONG arithmetic runs on
 * uint64_t, so overflow wraps as in Java. The named functions are two
 * adapters over tables, after the reference's Numerical{Unary,Binary}Function:
 * a LONG op and/or a DOUBLE op, applied element-wise to lists. */
#include "builtins.h"
#include "gts_ops.h"
#include "gts_words.h"

#include <math.h>
#include <string.h>
#include <time.h>

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

#define TWO63 9223372036854775808.0
#define TWO31 2147483648.0
#define NUMBER "a LONG or DOUBLE"

/* ---- Java numeric semantics ---- */

/* Java's (long) cast: NaN -> 0, saturating at MINLONG/MAXLONG. */
static int64_t java_d2l(double d)
{
    if (isnan(d))
        return 0;
    if (d >= TWO63)
        return INT64_MAX;
    if (d <= -TWO63)
        return INT64_MIN;
    return (int64_t)d;
}

static int32_t java_d2i(double d)
{
    if (isnan(d))
        return 0;
    if (d >= TWO31)
        return INT32_MAX;
    if (d <= -TWO31)
        return INT32_MIN;
    return (int32_t)d;
}

static int64_t as_long(value v) { return v.type == T_LONG ? v.as.l : java_d2l(v.as.d); }

/* C leaves MINLONG / -1 undefined; Java wraps it (and MINLONG % -1 is 0). */
static int64_t java_div(int64_t a, int64_t b) { return b == -1 ? (int64_t)(0 - (uint64_t)a) : a / b; }
static int64_t java_rem(int64_t a, int64_t b) { return b == -1 ? 0 : a % b; }

/* Math.pow differs from C pow where the exponent is NaN or infinite. */
static double java_pow(double x, double y)
{
    if (isnan(y) || (isinf(y) && fabs(x) == 1.0))
        return NAN;
    return pow(x, y);
}

/* Shift counts are masked with 63; >> is arithmetic on any platform. */
static int64_t shl(int64_t a, int64_t n) { return (int64_t)((uint64_t)a << (n & 63)); }
static int64_t sar(int64_t a, int64_t n) { return a < 0 ? ~(~a >> (n & 63)) : a >> (n & 63); }
static int64_t shr(int64_t a, int64_t n) { return (int64_t)((uint64_t)a >> (n & 63)); }

/* ---- binary operators ---- */

enum { B_ADD, B_SUB, B_MUL, B_DIV, B_MOD, B_POW, B_AND, B_OR, B_XOR, B_SHL, B_SAR, B_SHR };
#define IS_BITWISE(op) ((op) >= B_AND)

static double double_op(int op, double x, double y)
{
    switch (op) {
    case B_ADD: return x + y;
    case B_SUB: return x - y;
    case B_MUL: return x * y;
    case B_DIV: return x / y;
    case B_MOD: return fmod(x, y); /* Java's % on doubles */
    default: return java_pow(x, y);
    }
}

static bool binop_slow(exo_vm *vm, const word *w);

/* One body for every binary operator; each word below passes a constant op,
 * so the compiler specialises the fast paths and no dispatch remains. */
static ALWAYS_INLINE bool binop(exo_vm *vm, const word *w, int op)
{
    size_t sp = vm->sp; /* kept local: the stores below could alias vm->sp */
    value *b = &vm->stack[sp - 1], *a = b - 1;
    if (likely(a->type == T_LONG && b->type == T_LONG)) {
        int64_t x = a->as.l, y = b->as.l;
        uint64_t ux = (uint64_t)x, uy = (uint64_t)y;
        int64_t r;
        switch (op) {
        case B_ADD: r = (int64_t)(ux + uy); break;
        case B_SUB: r = (int64_t)(ux - uy); break;
        case B_MUL: r = (int64_t)(ux * uy); break;
        case B_DIV:
            if (unlikely(y == 0))
                return vm_fail(vm, "/ by zero");
            r = java_div(x, y);
            break;
        case B_MOD:
            if (unlikely(y == 0))
                return vm_fail(vm, "/ by zero");
            r = java_rem(x, y);
            break;
        case B_POW: r = java_d2l(pow((double)x, (double)y)); break;
        case B_AND: r = x & y; break;
        case B_OR: r = x | y; break;
        case B_XOR: r = x ^ y; break;
        case B_SHL: r = shl(x, y); break;
        case B_SAR: r = sar(x, y); break;
        default: r = shr(x, y); break;
        }
        a->as.l = r;
        vm->sp = sp - 1;
        return true;
    }
    if (!IS_BITWISE(op) && likely(a->type == T_DOUBLE && b->type == T_DOUBLE)) {
        a->as.d = double_op(op, a->as.d, b->as.d);
        vm->sp = sp - 1;
        return true;
    }
    return binop_slow(vm, w);
}

/* STRING + STRING, BYTES + BYTES: a new value of the same type. */
static value concat(exo_vm *vm, const word *w, value a, value b)
{
    str *x = AS_STR(a), *y = AS_STR(b);
    size_t n = x->len + y->len;
    if (n > vm->limits.maxstring) {
        vm_limit(vm, "%s would make a %s of %zu bytes, over the limit of %zu (maxstring).", w->name,
                 val_type_name(a), n, (size_t)vm->limits.maxstring);
        return v_null();
    }
    char *tmp = vm_alloc(vm, n + 1);
    if (!tmp)
        return v_null();
    memcpy(tmp, x->data, x->len);
    memcpy(tmp + x->len, y->data, y->len);
    value r = a.type == T_STRING ? str_new(vm, tmp, n) : bytes_new(vm, tmp, n);
    vm_dealloc(vm, tmp, n + 1);
    return r;
}

/* LIST + x: a new list with x appended (x itself, even when it is a list). */
static value list_plus(exo_vm *vm, value a, value b)
{
    list *src = AS_LIST(a), *l = list_new(vm, src->len + 1);
    if (!l)
        return v_null();
    for (size_t i = 0; i < src->len; i++)
        l->items[i] = val_retain(src->items[i]);
    l->items[src->len] = val_retain(b);
    l->len = src->len + 1;
    return v_obj(T_LIST, l);
}

/* + on non-numbers: STRING, BYTES, LIST, MACRO. */
static bool add_other(exo_vm *vm, const word *w)
{
    value a = *vm_peek(vm, 1), b = *vm_peek(vm, 0), r;
    switch ((vtype)a.type) {
    case T_LIST:
        r = list_plus(vm, a, b);
        break;
    case T_STRING:
    case T_BYTES:
        if (b.type != a.type)
            return vm_type_error(vm, w, 1, a.type == T_STRING ? "a STRING" : "BYTES");
        r = concat(vm, w, a, b);
        break;
    case T_MACRO: {
        if (b.type != T_MACRO)
            return vm_type_error(vm, w, 1, "a MACRO");
        macro *m = macro_concat(vm, (const macro *)a.as.o, (const macro *)b.as.o);
        r = m ? v_obj(T_MACRO, m) : v_null();
        break;
    }
    case T_LONG:
    case T_DOUBLE:
        return vm_type_error(vm, w, 1, NUMBER);
    default:
        return vm_type_error(vm, w, 2, "a number, STRING, BYTES, LIST or MACRO");
    }
    if (r.type == T_NULL)
        return false;
    vm_drop(vm, 2);
    vm->stack[vm->sp++] = r; /* two slots were just freed */
    return true;
}

static bool binop_slow(exo_vm *vm, const word *w)
{
    int op = (int)w->magic;
    value *a = vm_peek(vm, 1), *b = vm_peek(vm, 0);
    const char *want = IS_BITWISE(op) ? "a LONG" : NUMBER;
    if (val_is_number(*a) && val_is_number(*b)) {
        if (IS_BITWISE(op))
            return vm_type_error(vm, w, a->type == T_LONG ? 1 : 2, want);
        *a = v_double(double_op(op, val_as_double(*a), val_as_double(*b)));
        vm->sp--;
        return true;
    }
    /* Non-number operands; GTS ones (on either side) go to gts_ops.c. */
    if (a->type == T_GTS || b->type == T_GTS)
        return gts_op_binary(vm, w);
    if (op == B_ADD)
        return add_other(vm, w);
    bool a_ok = IS_BITWISE(op) ? a->type == T_LONG : val_is_number(*a);
    return vm_type_error(vm, w, a_ok ? 1 : 2, want);
}

#define BINOP_WORD(fn, op)                                                                         \
    static bool fn(exo_vm *vm, const word *w) { return binop(vm, w, op); }
BINOP_WORD(w_add, B_ADD)
BINOP_WORD(w_sub, B_SUB)
BINOP_WORD(w_mul, B_MUL)
BINOP_WORD(w_div, B_DIV)
BINOP_WORD(w_mod, B_MOD)
BINOP_WORD(w_pow, B_POW)
BINOP_WORD(w_band, B_AND)
BINOP_WORD(w_bor, B_OR)
BINOP_WORD(w_bxor, B_XOR)
BINOP_WORD(w_shl, B_SHL)
BINOP_WORD(w_sar, B_SAR)
BINOP_WORD(w_shr, B_SHR)

/* coll x +! -> coll, x appended in place. */
static bool w_append(exo_vm *vm, const word *w)
{
    value *c = vm_peek(vm, 1);
    if (c->type != T_LIST)
        return vm_type_error(vm, w, 2, "a LIST");
    list *l = AS_LIST(*c);
    if (l->len == l->cap && !list_reserve(vm, l, l->len + 1))
        return false;
    l->items[l->len++] = vm_pop(vm); /* the list takes the stack's reference */
    return true;
}

static bool w_complement(exo_vm *vm, const word *w)
{
    value *x = vm_peek(vm, 0);
    if (x->type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG");
    x->as.l = ~x->as.l;
    return true;
}

/* a b tol ~= : |a - b| <= |tol|; two NaNs are equal, one NaN is not. */
static bool w_almosteq(exo_vm *vm, const word *w)
{
    for (int d = 1; d <= 3; d++)
        if (!val_is_number(*vm_peek(vm, (size_t)d - 1)))
            return vm_type_error(vm, w, d, NUMBER);
    double tol = fabs(val_as_double(*vm_peek(vm, 0)));
    double x = val_as_double(*vm_peek(vm, 2)), y = val_as_double(*vm_peek(vm, 1));
    bool r = (isnan(x) || isnan(y)) ? isnan(x) && isnan(y) : tol >= fabs(x - y);
    vm->sp -= 2;
    *vm_peek(vm, 0) = v_bool(r);
    return true;
}

/* ---- unary functions ---- */

/* As the reference's NumericalUnaryFunction: with a LONG op, LONGs use it;
 * otherwise (or for DOUBLEs) the DOUBLE op gives a DOUBLE, or the
 * DOUBLE->LONG op a LONG. A DOUBLE given to a LONG-only op is cast. Errors
 * of the LONG op come back as text (NULL = fine). */
typedef struct unfn {
    const char *(*l)(int64_t x, int64_t *out);
    double (*d)(double x);
    int64_t (*dl)(double x);
} unfn;

static const char *l_ident(int64_t x, int64_t *o) { *o = x; return NULL; }
static const char *l_abs(int64_t x, int64_t *o) { *o = x < 0 ? (int64_t)(0 - (uint64_t)x) : x; return NULL; }
static const char *l_incr(int64_t x, int64_t *o) { return x == INT64_MAX ? "long overflow" : (*o = x + 1, NULL); }
static const char *l_decr(int64_t x, int64_t *o) { return x == INT64_MIN ? "long overflow" : (*o = x - 1, NULL); }
static const char *l_neg(int64_t x, int64_t *o) { return x == INT64_MIN ? "long overflow" : (*o = -x, NULL); }
static const char *l_toint(int64_t x, int64_t *o)
{
    *o = x;
    return x < INT32_MIN || x > INT32_MAX ? "integer overflow" : NULL;
}

static double d_signum(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }
static double d_todeg(double x) { return x * 57.29577951308232; }     /* Java 9+ Math.toDegrees */
static double d_torad(double x) { return x * 0.017453292519943295; } /* Java 9+ Math.toRadians */
/* glibc's cbrt is not correctly rounded (27 -> 3.0000000000000004); Java's is. */
static double d_cbrt(double x) { return (double)cbrtl((long double)x); }
static double d_nextup(double x) { return nextafter(x, INFINITY); }
static double d_nextdown(double x) { return nextafter(x, -INFINITY); }

/* Math.getExponent: 1024 for NaN and infinities, -1023 for 0 and subnormals. */
static int64_t dl_getexp(double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return (int64_t)((bits >> 52) & 0x7ff) - 1023;
}

static double d_ulp(double x)
{
    if (isnan(x))
        return x;
    if (isinf(x))
        return INFINITY;
    int64_t e = dl_getexp(x);
    return e == -1023 ? 0x1p-1074 : ldexp(1.0, (int)e - 52);
}

/* Math.round: half up (2.5 -> 3, -2.5 -> -2); x - floor(x) is exact. */
static int64_t dl_round(double x)
{
    double f = floor(x);
    return java_d2l(x - f >= 0.5 ? f + 1.0 : f);
}

enum {
    U_ABS, U_ROUND, U_FLOOR, U_CEIL, U_RINT, U_SQRT, U_EXP, U_LOG, U_LOG10, U_LOG1P, U_EXPM1, U_CBRT,
    U_SIN, U_COS, U_TAN, U_ASIN, U_ACOS, U_ATAN, U_SINH, U_COSH, U_TANH, U_TODEG, U_TORAD, U_SIGNUM,
    U_NEXTUP, U_NEXTDOWN, U_ULP, U_GETEXP, U_INCR, U_DECR, U_NEG, U_TOINT, U__COUNT
};

static const unfn unfns[U__COUNT] = {
    [U_ABS] = {l_abs, fabs, NULL},      [U_ROUND] = {l_ident, NULL, dl_round},
    [U_FLOOR] = {NULL, floor, NULL},    [U_CEIL] = {NULL, ceil, NULL},
    [U_RINT] = {NULL, rint, NULL},      [U_SQRT] = {NULL, sqrt, NULL},
    [U_EXP] = {NULL, exp, NULL},        [U_LOG] = {NULL, log, NULL},
    [U_LOG10] = {NULL, log10, NULL},    [U_LOG1P] = {NULL, log1p, NULL},
    [U_EXPM1] = {NULL, expm1, NULL},    [U_CBRT] = {NULL, d_cbrt, NULL},
    [U_SIN] = {NULL, sin, NULL},        [U_COS] = {NULL, cos, NULL},
    [U_TAN] = {NULL, tan, NULL},        [U_ASIN] = {NULL, asin, NULL},
    [U_ACOS] = {NULL, acos, NULL},      [U_ATAN] = {NULL, atan, NULL},
    [U_SINH] = {NULL, sinh, NULL},      [U_COSH] = {NULL, cosh, NULL},
    [U_TANH] = {NULL, tanh, NULL},      [U_TODEG] = {NULL, d_todeg, NULL},
    [U_TORAD] = {NULL, d_torad, NULL},  [U_SIGNUM] = {NULL, d_signum, NULL},
    [U_NEXTUP] = {NULL, d_nextup, NULL}, [U_NEXTDOWN] = {NULL, d_nextdown, NULL},
    [U_ULP] = {NULL, d_ulp, NULL},      [U_GETEXP] = {NULL, NULL, dl_getexp},
    [U_INCR] = {l_incr, NULL, NULL},    [U_DECR] = {l_decr, NULL, NULL},
    [U_NEG] = {l_neg, NULL, NULL},      [U_TOINT] = {l_toint, NULL, NULL},
};

/* Lists being mapped, innermost first: a list that contains itself is an
 * error rather than an endless recursion. */
typedef struct nest {
    const list *l;
    const struct nest *up;
    int depth;
} nest;

#define MAX_NEST 1000

static bool nest_check(exo_vm *vm, const word *w, const list *l, const nest *up)
{
    if (up && up->depth >= MAX_NEST)
        return vm_fail(vm, "%s cannot go through lists nested more than %d deep.", w->name, MAX_NEST);
    for (const nest *n = up; n; n = n->up)
        if (n->l == l)
            return vm_fail(vm, "%s cannot go through a list that contains itself.", w->name);
    return true;
}

/* Applies f to x (a number, or a list of them, nested) into *out (owned). */
static bool un_apply(exo_vm *vm, const word *w, const unfn *f, value x, value *out, const nest *up)
{
    if (val_is_number(x)) {
        bool dbl = x.type == T_DOUBLE || !f->l;
        if (dbl && f->d) {
            *out = v_double(f->d(val_as_double(x)));
        } else if (dbl && f->dl) {
            *out = v_long(f->dl(val_as_double(x)));
        } else {
            int64_t r;
            const char *err = f->l(as_long(x), &r);
            if (err)
                return vm_fail(vm, "%s", err);
            *out = v_long(r);
        }
        return true;
    }
    if (x.type != T_LIST) {
        if (up)
            return vm_fail(vm, "%s expects numbers in its LIST, got %s.", w->name, val_type_name(x));
        return vm_type_error(vm, w, 1, "a LONG, a DOUBLE or a LIST of numbers");
    }
    const list *src = AS_LIST(x);
    if (!nest_check(vm, w, src, up))
        return false;
    nest here = {src, up, up ? up->depth + 1 : 1};
    list *l = list_new(vm, src->len);
    if (!l)
        return false;
    for (size_t i = 0; i < src->len; i++) {
        if (!un_apply(vm, w, f, src->items[i], &l->items[i], &here)) {
            val_release(vm, v_obj(T_LIST, l));
            return false;
        }
        l->len++;
    }
    *out = v_obj(T_LIST, l);
    return true;
}

static bool w_unary(exo_vm *vm, const word *w)
{
    value *top = vm_peek(vm, 0), r;
    if (top->type == T_GTS)
        return gts_op_unary(vm, w);
    if (!un_apply(vm, w, w->data, *top, &r, NULL))
        return false;
    value old = *top;
    *top = r;
    val_release(vm, old);
    return true;
}

/* ---- binary functions ---- */

/* As the reference's NumericalBinaryFunction: LONG op when both are LONGs
 * (or when there is no DOUBLE op), else DOUBLE op. With a number on top and
 * a LIST below, the op maps over the list; with a LIST on top, fold
 * functions (MIN, MAX) reduce it, the others map op(number below, each). */
typedef struct binfn {
    const char *(*l)(int64_t a, int64_t b, int64_t *out);
    double (*d)(double a, double b);
    bool fold;
} binfn;

static const char *l_min(int64_t a, int64_t b, int64_t *o) { *o = a < b ? a : b; return NULL; }
static const char *l_max(int64_t a, int64_t b, int64_t *o) { *o = a > b ? a : b; return NULL; }

static const char *l_floordiv(int64_t a, int64_t b, int64_t *o)
{
    if (b == 0)
        return "/ by zero";
    int64_t q = java_div(a, b);
    if ((a ^ b) < 0 && (int64_t)((uint64_t)q * (uint64_t)b) != a)
        q--;
    *o = q;
    return NULL;
}

static const char *l_floormod(int64_t a, int64_t b, int64_t *o)
{
    if (b == 0)
        return "/ by zero";
    int64_t m = java_rem(a, b);
    *o = (m != 0 && (m ^ b) < 0) ? m + b : m;
    return NULL;
}

static const char *l_addx(int64_t a, int64_t b, int64_t *o)
{
    int64_t r = (int64_t)((uint64_t)a + (uint64_t)b);
    *o = r;
    return ((a ^ r) & (b ^ r)) < 0 ? "long overflow" : NULL;
}

static const char *l_subx(int64_t a, int64_t b, int64_t *o)
{
    int64_t r = (int64_t)((uint64_t)a - (uint64_t)b);
    *o = r;
    return ((a ^ b) & (a ^ r)) < 0 ? "long overflow" : NULL;
}

static const char *l_mulx(int64_t a, int64_t b, int64_t *o)
{
    int64_t r = (int64_t)((uint64_t)a * (uint64_t)b);
    *o = r;
    bool over = b == -1 ? a == INT64_MIN : a == -1 ? b == INT64_MIN : b != 0 && r / b != a;
    return over ? "long overflow" : NULL;
}

/* Math.min/max: NaN wins, -0.0 < 0.0. */
static double d_min(double a, double b)
{
    if (isnan(a) || isnan(b))
        return NAN;
    if (a == 0 && b == 0)
        return signbit(a) ? a : b;
    return a < b ? a : b;
}

static double d_max(double a, double b)
{
    if (isnan(a) || isnan(b))
        return NAN;
    if (a == 0 && b == 0)
        return signbit(a) ? b : a;
    return a > b ? a : b;
}

static double d_scalb(double a, double b) { return scalbn(a, java_d2i(b)); }

enum { F_MIN, F_MAX, F_ATAN2, F_HYPOT, F_COPYSIGN, F_IEEEREM, F_SCALB, F_FLOORDIV, F_FLOORMOD, F_ADDX,
       F_SUBX, F_MULX, F__COUNT };

static const binfn binfns[F__COUNT] = {
    [F_MIN] = {l_min, d_min, true},
    [F_MAX] = {l_max, d_max, true},
    [F_ATAN2] = {NULL, atan2, false},
    [F_HYPOT] = {NULL, hypot, false},
    [F_COPYSIGN] = {NULL, copysign, false},
    [F_IEEEREM] = {NULL, remainder, false},
    [F_SCALB] = {NULL, d_scalb, false},
    [F_FLOORDIV] = {l_floordiv, NULL, false},
    [F_FLOORMOD] = {l_floormod, NULL, false},
    [F_ADDX] = {l_addx, NULL, false},
    [F_SUBX] = {l_subx, NULL, false},
    [F_MULX] = {l_mulx, NULL, false},
};

static bool bin_apply(exo_vm *vm, const binfn *f, value a, value b, value *out)
{
    if (f->d && (!f->l || a.type == T_DOUBLE || b.type == T_DOUBLE)) {
        *out = v_double(f->d(val_as_double(a), val_as_double(b)));
        return true;
    }
    int64_t r;
    const char *err = f->l(as_long(a), as_long(b), &r);
    if (err)
        return vm_fail(vm, "%s", err);
    *out = v_long(r);
    return true;
}

/* Maps op over l with the scalar n on the right (n_right) or the left. */
static bool bin_map(exo_vm *vm, const word *w, const list *src, value n, bool n_right, value *out)
{
    list *l = list_new(vm, src->len);
    if (!l)
        return false;
    for (size_t i = 0; i < src->len; i++) {
        value e = src->items[i];
        bool ok = val_is_number(e)
                      ? bin_apply(vm, w->data, n_right ? e : n, n_right ? n : e, &l->items[i])
                      : vm_fail(vm, "%s expects numbers in its LIST, got %s.", w->name, val_type_name(e));
        if (!ok) {
            val_release(vm, v_obj(T_LIST, l));
            return false;
        }
        l->len++;
    }
    *out = v_obj(T_LIST, l);
    return true;
}

/* MIN/MAX of a list's elements (NULL for an empty list). */
static bool bin_fold(exo_vm *vm, const word *w, const list *src, value *out)
{
    const binfn *f = w->data;
    value acc = v_null();
    for (size_t i = 0; i < src->len; i++) {
        value e = src->items[i];
        if (!val_is_number(e))
            return vm_fail(vm, "%s expects numbers in its LIST, got %s.", w->name, val_type_name(e));
        if (i == 0)
            acc = (f->d && (!f->l || e.type == T_DOUBLE)) ? v_double(val_as_double(e)) : v_long(as_long(e));
        else if (!bin_apply(vm, f, acc, e, &acc))
            return false;
    }
    *out = acc;
    return true;
}

static bool w_binary(exo_vm *vm, const word *w)
{
    const binfn *f = w->data;
    value top = *vm_peek(vm, 0), r;
    if (top.type == T_GTS && f->fold) /* MIN / MAX of the values */
        return gts_word_minmax(vm, w, strcmp(w->name, "MAX") == 0);
    if (top.type == T_GTS || (vm->sp > 1 && vm_peek(vm, 1)->type == T_GTS))
        return gts_op_binary(vm, w);
    if (top.type == T_LIST && f->fold) {
        if (!bin_fold(vm, w, AS_LIST(top), &r))
            return false;
        *vm_peek(vm, 0) = r;
        val_release(vm, top);
        return true;
    }
    if (!val_is_number(top) && top.type != T_LIST)
        return vm_type_error(vm, w, 1, "a LONG, a DOUBLE or a LIST of numbers");
    if (!vm_need(vm, 2))
        return false;
    value under = *vm_peek(vm, 1);
    bool ok;
    if (val_is_number(top) && val_is_number(under))
        ok = bin_apply(vm, f, under, top, &r);
    else if (val_is_number(top) && under.type == T_LIST)
        ok = bin_map(vm, w, AS_LIST(under), top, true, &r);
    else if (top.type == T_LIST && val_is_number(under))
        ok = bin_map(vm, w, AS_LIST(top), under, false, &r);
    else
        return vm_type_error(vm, w, 2, val_is_number(top) ? "a LONG, a DOUBLE or a LIST of numbers" : NUMBER);
    if (!ok)
        return false;
    vm_drop(vm, 2);
    vm->stack[vm->sp++] = r; /* two slots were just freed */
    return true;
}

/* ---- constants and random numbers ---- */

static const value k_pi = {.type = T_DOUBLE, .as = {.d = 3.141592653589793}};
static const value k_e = {.type = T_DOUBLE, .as = {.d = 2.718281828459045}};
static const value k_nan = {.type = T_DOUBLE, .as = {.d = NAN}};
static const value k_maxlong = {.type = T_LONG, .as = {.l = INT64_MAX}};
static const value k_minlong = {.type = T_LONG, .as = {.l = INT64_MIN}};

static bool w_const(exo_vm *vm, const word *w) { return vm_push(vm, *(const value *)w->data); }

/* java.util.Random, so `42 PRNG SRAND` gives Warp 10's numbers. */
#define LCG_MUL 0x5DEECE66DULL
#define LCG_MASK ((1ULL << 48) - 1)

static uint64_t lcg_seed(uint64_t seed) { return (seed ^ LCG_MUL) & LCG_MASK; }

static uint64_t lcg_next(uint64_t *s, int bits)
{
    *s = (*s * LCG_MUL + 0xB) & LCG_MASK;
    return *s >> (48 - bits);
}

static double lcg_double(uint64_t *s)
{
    uint64_t hi = lcg_next(s, 26);
    return (double)((hi << 27) + lcg_next(s, 27)) * 0x1p-53;
}

static bool w_rand(exo_vm *vm, const word *w)
{
    (void)w;
    if (!vm->rand_ready) {
        struct timespec ts;
        timespec_get(&ts, TIME_UTC);
        uint64_t t = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
        vm->rand_seed = lcg_seed(t ^ (uint64_t)(uintptr_t)vm * 0x9E3779B97F4A7C15ULL);
        vm->rand_ready = true;
    }
    return vm_push(vm, v_double(lcg_double(&vm->rand_seed)));
}

static bool w_prng(exo_vm *vm, const word *w)
{
    value *s = vm_peek(vm, 0);
    if (s->type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG seed");
    vm->prng_seed = lcg_seed((uint64_t)s->as.l);
    vm->prng_ready = true;
    vm->sp--;
    return true;
}

static bool w_srand(exo_vm *vm, const word *w)
{
    if (!vm->prng_ready)
        return vm_fail(vm, "%s needs a seeded PRNG: seed it first with PRNG.", w->name);
    return vm_push(vm, v_double(lcg_double(&vm->prng_seed)));
}

#define UN(name, sel, doc) EXO_WORD_DATA(name, w_unary, 1, "x -- y", doc, &unfns[sel])
#define BIN(name, sel, depth, doc) EXO_WORD_DATA(name, w_binary, depth, "a b -- c", doc, &binfns[sel])

static const word math_words[] = {
    EXO_WORD_MAGIC("+", w_add, 2, "a b -- a+b", "Adds numbers; concatenates STRINGs, BYTES or MACROs; LIST + x is a new list with x appended.", B_ADD),
    EXO_WORD("+!", w_append, 2, "list x -- list", "Appends x to the list in place."),
    EXO_WORD_MAGIC("-", w_sub, 2, "a b -- a-b", "Subtracts (LONG if both are LONGs, wrapping on overflow).", B_SUB),
    EXO_WORD_MAGIC("*", w_mul, 2, "a b -- a*b", "Multiplies (LONG if both are LONGs, wrapping on overflow).", B_MUL),
    EXO_WORD_MAGIC("/", w_div, 2, "a b -- a/b", "Divides; two LONGs give a LONG truncated toward zero.", B_DIV),
    EXO_WORD_MAGIC("%", w_mod, 2, "a b -- r", "Remainder with the sign of the dividend (Java %).", B_MOD),
    EXO_WORD_MAGIC("**", w_pow, 2, "b e -- b^e", "Raises b to the power e; LONG (truncated) if both are LONGs.", B_POW),
    EXO_WORD_MAGIC("&", w_band, 2, "a b -- a&b", "Bitwise AND of two LONGs.", B_AND),
    EXO_WORD_MAGIC("|", w_bor, 2, "a b -- a|b", "Bitwise OR of two LONGs.", B_OR),
    EXO_WORD_MAGIC("^", w_bxor, 2, "a b -- a^b", "Bitwise XOR of two LONGs.", B_XOR),
    EXO_WORD_MAGIC("<<", w_shl, 2, "a n -- a<<n", "Shifts a LONG left (n taken modulo 64).", B_SHL),
    EXO_WORD_MAGIC(">>", w_sar, 2, "a n -- a>>n", "Shifts a LONG right, keeping its sign (n modulo 64).", B_SAR),
    EXO_WORD_MAGIC(">>>", w_shr, 2, "a n -- a>>>n", "Shifts a LONG right, filling with zeros (n modulo 64).", B_SHR),
    EXO_WORD("~", w_complement, 1, "a -- ~a", "Bitwise complement of a LONG."),
    EXO_WORD("~=", w_almosteq, 3, "a b tol -- bool", "True if |a-b| <= |tol| (two NaNs are equal)."),

    UN("ABS", U_ABS, "Absolute value (a LONG stays a LONG)."),
    UN("ROUND", U_ROUND, "Rounds half up to a LONG (2.5 -> 3, -2.5 -> -2); a LONG is unchanged."),
    UN("FLOOR", U_FLOOR, "Largest integer <= x, as a DOUBLE."),
    UN("CEIL", U_CEIL, "Smallest integer >= x, as a DOUBLE."),
    UN("RINT", U_RINT, "Nearest integer (ties to even), as a DOUBLE."),
    UN("SQRT", U_SQRT, "Square root."),
    UN("EXP", U_EXP, "e raised to x."),
    UN("LOG", U_LOG, "Natural logarithm."),
    UN("LOG10", U_LOG10, "Base 10 logarithm."),
    UN("LOG1P", U_LOG1P, "log(1 + x), accurate near 0."),
    UN("EXPM1", U_EXPM1, "exp(x) - 1, accurate near 0."),
    UN("CBRT", U_CBRT, "Cube root."),
    UN("SIN", U_SIN, "Sine (radians)."),
    UN("COS", U_COS, "Cosine (radians)."),
    UN("TAN", U_TAN, "Tangent (radians)."),
    UN("ASIN", U_ASIN, "Arc sine, in radians."),
    UN("ACOS", U_ACOS, "Arc cosine, in radians."),
    UN("ATAN", U_ATAN, "Arc tangent, in radians."),
    UN("SINH", U_SINH, "Hyperbolic sine."),
    UN("COSH", U_COSH, "Hyperbolic cosine."),
    UN("TANH", U_TANH, "Hyperbolic tangent."),
    UN("TODEGREES", U_TODEG, "Converts radians to degrees."),
    UN("TORADIANS", U_TORAD, "Converts degrees to radians."),
    UN("SIGNUM", U_SIGNUM, "-1.0, 0.0 or 1.0 after the sign of x (NaN and -0.0 kept)."),
    UN("NEXTUP", U_NEXTUP, "The next DOUBLE toward +Infinity."),
    UN("NEXTDOWN", U_NEXTDOWN, "The next DOUBLE toward -Infinity."),
    UN("ULP", U_ULP, "Distance from x to the next DOUBLE of larger magnitude."),
    UN("GETEXPONENT", U_GETEXP, "Unbiased binary exponent of x, as a LONG."),
    UN("INCREMENTEXACT", U_INCR, "x + 1, failing on LONG overflow."),
    UN("DECREMENTEXACT", U_DECR, "x - 1, failing on LONG overflow."),
    UN("NEGATEEXACT", U_NEG, "-x, failing on LONG overflow."),
    UN("TOINTEXACT", U_TOINT, "x unchanged, failing if it does not fit in 32 bits."),

    BIN("MIN", F_MIN, 1, "Smaller of two numbers; of a LIST's numbers; or element-wise for a LIST and a number."),
    BIN("MAX", F_MAX, 1, "Larger of two numbers; of a LIST's numbers; or element-wise for a LIST and a number."),
    BIN("ATAN2", F_ATAN2, 2, "Angle of the point (x=b, y=a), in radians."),
    BIN("HYPOT", F_HYPOT, 2, "sqrt(a^2 + b^2) without overflow."),
    BIN("COPYSIGN", F_COPYSIGN, 2, "a with the sign of b."),
    BIN("IEEEREMAINDER", F_IEEEREM, 2, "IEEE 754 remainder of a / b."),
    BIN("SCALB", F_SCALB, 2, "a * 2^b (b taken as a 32-bit integer)."),
    BIN("FLOORDIV", F_FLOORDIV, 2, "LONG division rounded toward -Infinity."),
    BIN("FLOORMOD", F_FLOORMOD, 2, "LONG modulo with the sign of the divisor."),
    BIN("ADDEXACT", F_ADDX, 2, "a + b, failing on LONG overflow."),
    BIN("SUBTRACTEXACT", F_SUBX, 2, "a - b, failing on LONG overflow."),
    BIN("MULTIPLYEXACT", F_MULX, 2, "a * b, failing on LONG overflow."),

    EXO_WORD_DATA("PI", w_const, 0, "-- pi", "Pushes pi.", &k_pi),
    EXO_WORD_DATA("pi", w_const, 0, "-- pi", "Pushes pi.", &k_pi),
    EXO_WORD_DATA("E", w_const, 0, "-- e", "Pushes e, the base of natural logarithms.", &k_e),
    EXO_WORD_DATA("e", w_const, 0, "-- e", "Pushes e, the base of natural logarithms.", &k_e),
    EXO_WORD_DATA("NaN", w_const, 0, "-- NaN", "Pushes NaN.", &k_nan),
    EXO_WORD_DATA("MAXLONG", w_const, 0, "-- n", "Pushes the largest LONG, 2^63-1.", &k_maxlong),
    EXO_WORD_DATA("MINLONG", w_const, 0, "-- n", "Pushes the smallest LONG, -2^63.", &k_minlong),
    EXO_WORD("RAND", w_rand, 0, "-- x", "Pushes a random DOUBLE in [0, 1)."),
    EXO_WORD("PRNG", w_prng, 1, "seed --", "Seeds the generator SRAND draws from."),
    EXO_WORD("SRAND", w_srand, 0, "-- x", "Pushes the next DOUBLE in [0, 1) from the generator seeded by PRNG."),
};

EXO_FAMILY(math, math_words)
