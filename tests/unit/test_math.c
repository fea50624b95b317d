/* Tests for the math family: operators, promotion, Java edge cases, the
 * function adapters with their list forms, constants, random numbers, and
 * every error path (message and untouched stack). */
#include "harness.h"

#include <stdio.h>

#include "vm.h"

/* ---- + - * / % ** ---- */

Test(math, add_promotion)
{
    expect_stack("1 2 +", "[3]");
    expect_stack("1 2.5 +", "[3.5]");
    expect_stack("2.5 1 +", "[3.5]");
    expect_stack("0.1 0.2 +", "[0.30000000000000004]");
    expect_stack("1.5 2.5 +", "[4.0]");
}

Test(math, long_overflow_wraps)
{
    expect_stack("MAXLONG 1 +", "[-9223372036854775808]");
    expect_stack("MINLONG 1 -", "[9223372036854775807]");
    expect_stack("MAXLONG 2 *", "[-2]");
    expect_stack("MINLONG -1 *", "[-9223372036854775808]");
}

Test(math, sub_mul)
{
    expect_stack("5 7 -", "[-2]");
    expect_stack("5 0.5 -", "[4.5]");
    expect_stack("6 7 *", "[42]");
    expect_stack("6 0.5 *", "[3.0]");
    expect_stack("1.5 1.5 -", "[0.0]");
}

Test(math, division)
{
    expect_stack("7 2 /", "[3]");
    expect_stack("-7 2 /", "[-3]");
    expect_stack("7 -2 /", "[-3]");
    expect_stack("7 2.0 /", "[3.5]");
    expect_stack("MINLONG -1 /", "[-9223372036854775808]");
    expect_stack("1.0 0 /", "[Infinity]");
    expect_stack("-1 0.0 /", "[-Infinity]");
    expect_stack("0.0 0.0 /", "[NaN]");
}

Test(math, modulo)
{
    expect_stack("-7 2 %", "[-1]");
    expect_stack("7 -2 %", "[1]");
    expect_stack("7.5 2 %", "[1.5]");
    expect_stack("-7.5 2 %", "[-1.5]");
    expect_stack("MINLONG -1 %", "[0]");
    expect_stack("1.0 0 %", "[NaN]");
}

Test(math, power)
{
    expect_stack("2 10 **", "[1024]");
    expect_stack("2.0 10 **", "[1024.0]");
    expect_stack("2 0.5 **", "[1.4142135623730951]");
    expect_stack("2 -1 **", "[0]");
    expect_stack("2 64 **", "[9223372036854775807]");
    expect_stack("-2 64 **", "[9223372036854775807]");
    expect_stack("-2 63 **", "[-9223372036854775808]");
    expect_stack("0 0 **", "[1]");
    expect_stack("1.0 NaN **", "[NaN]");
    expect_stack("-1 Infinity **", "[NaN]");
    expect_stack("NaN 0 **", "[1.0]");
}

Test(math, division_by_zero_errors)
{
    expect_error("1 0 /", "/ by zero", "[0,1]");
    expect_error("1 0 %", "/ by zero", "[0,1]");
}

Test(math, operand_type_errors)
{
    expect_error("1 'a' +", "+ expects a LONG or DOUBLE at depth 1, got STRING.", "[\"a\",1]");
    expect_error("'a' 1 +", "+ expects a STRING at depth 1, got LONG.", "[1,\"a\"]");
    expect_error("T 1 +", "+ expects a number, STRING, BYTES, LIST or MACRO at depth 2, got BOOLEAN.", "[1,true]");
    expect_error("<% %> 1 +", "+ expects a MACRO at depth 1, got LONG.", "[1,\"<% %>\"]");
    expect_error("'a' 1 -", "- expects a LONG or DOUBLE at depth 2, got STRING.", "[1,\"a\"]");
    expect_error("1 'a' *", "* expects a LONG or DOUBLE at depth 1, got STRING.", "[\"a\",1]");
    expect_error("MARK 2 /", "/ expects a LONG or DOUBLE at depth 2, got MARK.", "[2,null]");
    expect_error("1 [] %", "% expects a LONG or DOUBLE at depth 1, got LIST.", "[[],1]");
    expect_error("'a' 'b' **", "** expects a LONG or DOUBLE at depth 2, got STRING.", "[\"b\",\"a\"]");
    expect_error("1 +", "Empty stack.", "[1]");
}

/* ---- + on other types, +! ---- */

Test(math, add_strings)
{
    expect_stack("'ab' 'cd' +", "[\"abcd\"]");
    expect_stack("'' '' +", "[\"\"]");
}

/* BYTES come from the string family: skipped until it is there. */
static bool have_bytes(void)
{
    exo_vm *vm = h_vm();
    const char *src = "'a' 'UTF-8' ->BYTES 'UTF-8' BYTES->";
    bool ok = exo_eval(vm, src, strlen(src), "test") == EXO_OK;
    exo_vm_free(vm);
    return ok;
}

Test(math, add_bytes)
{
    if (!have_bytes())
        cr_skip_test("->BYTES is not available");
    expect_stack("'a' 'UTF-8' ->BYTES 'b' 'UTF-8' ->BYTES + 'UTF-8' BYTES->", "[\"ab\"]");
    expect_error("'a' 'UTF-8' ->BYTES 'b' +", "+ expects BYTES at depth 1, got STRING.", "[\"b\",\"a\"]");
}

Test(math, add_list_is_a_new_list)
{
    expect_stack("[ 1 2 ] 3 +", "[[1,2,3]]");
    expect_stack("[ 1 ] [ 2 ] +", "[[1,[2]]]");
    expect_stack("[] 'x' +", "[[\"x\"]]");
    /* the original list is untouched */
    expect_stack("[ 1 ] 'l' STORE $l 2 + $l", "[[1],[1,2]]");
    expect_stack("[ 1 ] DUP 2 +", "[[1,2],[1]]");
}

Test(math, add_macros)
{
    expect_stack("<% 1 %> <% 2 + %> + EVAL", "[3]");
    expect_stack("<% 1 %> <% 2 + %> +", "[\"<% 1 2 + %>\"]");
    expect_stack("<% %> <% %> + EVAL DEPTH", "[0]");
    /* constants survive the operands being dropped */
    expect_stack("<% 'a' [ 1 ] %> <% 'b' %> + 'm' STORE $m EVAL", "[\"b\",[1],\"a\"]");
    expect_stack("<% 2 %> DUP + EVAL", "[2,2]");
}

Test(math, append_in_place)
{
    expect_stack("[ 1 ] 2 +!", "[[1,2]]");
    expect_stack("[ 1 ] 'l' STORE $l 2 +! DROP $l", "[[1,2]]");
    expect_stack("[] [ 1 ] +!", "[[[1]]]");
    expect_error("1 2 +!", "+! expects a LIST at depth 2, got LONG.", "[2,1]");
    expect_error("{} 2 +!", "+! expects a LIST at depth 2, got MAP.", "[2,{}]");
}

/* ---- bitwise ---- */

Test(math, bitwise)
{
    expect_stack("12 10 &", "[8]");
    expect_stack("12 10 |", "[14]");
    expect_stack("12 10 ^", "[6]");
    expect_stack("0 ~ 5 ~", "[-6,-1]");
    expect_stack("1 4 << -16 2 >> -1 60 >>>", "[15,-4,16]");
    expect_stack("1 64 << 1 65 <<", "[2,1]");
    expect_stack("1 63 <<", "[-9223372036854775808]");
    expect_stack("-1 -1 >>>", "[1]");
    expect_stack("MINLONG 63 >>", "[-1]");
    expect_stack("-8 1 >>", "[-4]");
}

Test(math, bitwise_errors)
{
    expect_error("1.0 2 &", "& expects a LONG at depth 2, got DOUBLE.", "[2,1.0]");
    expect_error("1 2.0 |", "| expects a LONG at depth 1, got DOUBLE.", "[2.0,1]");
    expect_error("1.0 2.0 ^", "^ expects a LONG at depth 2, got DOUBLE.", "[2.0,1.0]");
    expect_error("'a' 2 <<", "<< expects a LONG at depth 2, got STRING.", "[2,\"a\"]");
    expect_error("1 T >>", ">> expects a LONG at depth 1, got BOOLEAN.", "[true,1]");
    expect_error("1 MARK >>>", ">>> expects a LONG at depth 1, got MARK.", "[null,1]");
    expect_error("1.5 ~", "~ expects a LONG at depth 1, got DOUBLE.", "[1.5]");
}

/* ---- unary functions ---- */

Test(math, abs_round)
{
    expect_stack("-3 ABS 3.5 ABS -0.0 ABS", "[0.0,3.5,3]");
    expect_stack("MINLONG ABS", "[-9223372036854775808]");
    expect_stack("2.5 ROUND -2.5 ROUND 2.4 ROUND -2.6 ROUND", "[-3,2,-2,3]");
    expect_stack("0.49999999999999994 ROUND", "[0]");
    expect_stack("7 ROUND MAXLONG ROUND", "[9223372036854775807,7]");
    expect_stack("NaN ROUND 1e300 ROUND -Infinity ROUND", "[-9223372036854775808,9223372036854775807,0]");
}

Test(math, floor_ceil_rint_always_double)
{
    expect_stack("3 FLOOR -1.5 FLOOR 1.2 CEIL", "[2.0,-2.0,3.0]");
    expect_stack("3 CEIL 3 RINT", "[3.0,3.0]");
    expect_stack("2.5 RINT 3.5 RINT -2.5 RINT", "[-2.0,4.0,2.0]");
}

Test(math, libm_functions)
{
    expect_stack("2 SQRT 100 LOG10 1 EXP", "[2.718281828459045,2.0,1.4142135623730951]");
    expect_stack("-1 SQRT", "[NaN]");
    expect_stack("1 LOG 0 LOG", "[-Infinity,0.0]");
    expect_stack("0 LOG1P 0 EXPM1 27 CBRT", "[3.0,0.0,0.0]");
    expect_stack("0 SIN 0 COS 0 TAN", "[0.0,1.0,0.0]");
    expect_stack("1 ASIN 1 ACOS 1 ATAN", "[0.7853981633974483,0.0,1.5707963267948966]");
    expect_stack("0 SINH 0 COSH 0 TANH", "[0.0,1.0,0.0]");
    expect_stack("PI TODEGREES 180 TORADIANS", "[3.141592653589793,180.0]");
}

Test(math, double_helpers)
{
    expect_stack("-3 SIGNUM 2.5 SIGNUM -0.0 SIGNUM NaN SIGNUM", "[NaN,-0.0,1.0,-1.0]");
    expect_stack("1.0 NEXTUP 1.0 NEXTDOWN 0.0 NEXTUP 0.0 >", "[true,0.9999999999999999,1.0000000000000002]");
    expect_stack("-0.0 NEXTDOWN 0.0 <  Infinity NEXTUP NaN NEXTDOWN", "[NaN,Infinity,true]");
    expect_stack("1.0 ULP 0.0 ULP 0.0 NEXTUP == Infinity ULP", "[Infinity,true,2.220446049250313E-16]");
    expect_stack("1.0 GETEXPONENT 1024 GETEXPONENT 0.0 GETEXPONENT NaN GETEXPONENT",
                 "[1024,-1023,10,0]");
}

Test(math, exact_unary)
{
    expect_stack("1 INCREMENTEXACT 1 DECREMENTEXACT 5 NEGATEEXACT 7 TOINTEXACT", "[7,-5,0,2]");
    expect_stack("2.7 INCREMENTEXACT", "[3]");
    expect_error("MAXLONG INCREMENTEXACT", "long overflow", "[9223372036854775807]");
    expect_error("MINLONG DECREMENTEXACT", "long overflow", "[-9223372036854775808]");
    expect_error("MINLONG NEGATEEXACT", "long overflow", "[-9223372036854775808]");
    expect_error("2147483648 TOINTEXACT", "integer overflow", "[2147483648]");
    expect_stack("-2147483648 TOINTEXACT", "[-2147483648]");
}

Test(math, unary_on_lists)
{
    expect_stack("[ 1 -2 [ -3.5 ] ] ABS", "[[1,2,[3.5]]]");
    expect_stack("[ 4 9.0 ] SQRT", "[[2.0,3.0]]");
    expect_stack("[] FLOOR", "[[]]");
    expect_stack("[ 1 2 ] 'l' STORE $l ABS DROP $l", "[[1,2]]");
    expect_error("[ 1 'a' ] ABS", "ABS expects numbers in its LIST, got STRING.", "[[1,\"a\"]]");
    expect_error("[ MAXLONG ] INCREMENTEXACT", "long overflow", "[[9223372036854775807]]");
}

Test(math, unary_on_a_list_that_contains_itself)
{
    exo_vm *vm = h_vm();
    const char *src = "[ 1 ] 'l' STORE $l $l +! ABS";
    cr_assert_neq(exo_eval(vm, src, strlen(src), "test"), EXO_OK);
    cr_assert_str_eq(exo_last_error(vm)->message, "ABS cannot go through a list that contains itself.");
    cr_assert_eq(exo_eval(vm, "DROP DEPTH", 10, "test"), EXO_OK);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[0]");
    exo_vm_free(vm);
}

Test(math, unary_type_errors)
{
    expect_error("'a' SQRT", "SQRT expects a LONG, a DOUBLE or a LIST of numbers at depth 1, got STRING.",
                 "[\"a\"]");
    expect_error("T ROUND", "ROUND expects a LONG, a DOUBLE or a LIST of numbers at depth 1, got BOOLEAN.",
                 "[true]");
    expect_error("SIN", "Empty stack.", "[]");
}

/* ---- binary functions ---- */

Test(math, min_max)
{
    expect_stack("1 2 MIN 1 2 MAX", "[2,1]");
    expect_stack("1 2.0 MAX", "[2.0]");
    expect_stack("1 NaN MIN", "[NaN]");
    expect_stack("0.0 -0.0 MIN 0.0 -0.0 MAX", "[0.0,-0.0]");
    expect_stack("[ 3 1 2 ] MAX [ 3 1 2 ] MIN", "[1,3]");
    expect_stack("[ 1 2.0 ] MIN", "[1.0]");
    expect_stack("[] MAX", "[null]");
    expect_stack("[ 1 5 ] 3 MAX", "[[3,5]]");
    expect_stack("[ 1 5 ] 3.0 MIN", "[[1.0,3.0]]");
    expect_stack("5 [ 1 2 ] MAX", "[2,5]");
}

Test(math, min_max_errors)
{
    expect_error("'a' MAX", "MAX expects a LONG, a DOUBLE or a LIST of numbers at depth 1, got STRING.",
                 "[\"a\"]");
    expect_error("1 MAX", "Empty stack.", "[1]");
    expect_error("'a' 1 MAX", "MAX expects a LONG, a DOUBLE or a LIST of numbers at depth 2, got STRING.",
                 "[1,\"a\"]");
    expect_error("[ 1 'a' ] MIN", "MIN expects numbers in its LIST, got STRING.", "[[1,\"a\"]]");
    expect_error("[ 1 'a' ] 2 MIN", "MIN expects numbers in its LIST, got STRING.", "[2,[1,\"a\"]]");
}

Test(math, double_binary_functions)
{
    expect_stack("1 1 ATAN2", "[0.7853981633974483]");
    expect_stack("3 4 HYPOT", "[5.0]");
    expect_stack("2 -0.0 COPYSIGN", "[-2.0]");
    expect_stack("5 3 IEEEREMAINDER", "[-1.0]");
    expect_stack("3 2 SCALB 1.0 1e10 SCALB", "[Infinity,12.0]");
    expect_stack("[ 1 2 ] 2 SCALB", "[[4.0,8.0]]");
    expect_stack("2 [ 1 2 ] SCALB", "[[4.0,8.0]]");
}

Test(math, long_binary_functions)
{
    expect_stack("-7 2 FLOORDIV 7 2 FLOORDIV -7 2 FLOORMOD 7 -2 FLOORMOD", "[-1,1,3,-4]");
    expect_stack("MINLONG -1 FLOORDIV MINLONG -1 FLOORMOD", "[0,-9223372036854775808]");
    expect_stack("-7.5 2 FLOORDIV", "[-4]");
    expect_stack("1 2 ADDEXACT 1 2 SUBTRACTEXACT 3 4 MULTIPLYEXACT", "[12,-1,3]");
    expect_stack("MINLONG 1 MULTIPLYEXACT -1 MINLONG 1 + MULTIPLYEXACT", "[9223372036854775807,-9223372036854775808]");
    expect_error("1 0 FLOORDIV", "/ by zero", "[0,1]");
    expect_error("1 0 FLOORMOD", "/ by zero", "[0,1]");
    expect_error("MAXLONG 1 ADDEXACT", "long overflow", "[1,9223372036854775807]");
    expect_error("MINLONG 1 SUBTRACTEXACT", "long overflow", "[1,-9223372036854775808]");
    expect_error("MAXLONG 2 MULTIPLYEXACT", "long overflow", "[2,9223372036854775807]");
    expect_error("MINLONG -1 MULTIPLYEXACT", "long overflow", "[-1,-9223372036854775808]");
    expect_error("-1 MINLONG MULTIPLYEXACT", "long overflow", "[-9223372036854775808,-1]");
    expect_error("[ 1 0 ] 0 FLOORDIV", "/ by zero", "[0,[1,0]]");
}

Test(math, binary_function_errors)
{
    expect_error("1 'a' HYPOT", "HYPOT expects a LONG, a DOUBLE or a LIST of numbers at depth 1, got STRING.",
                 "[\"a\",1]");
    expect_error("[ 1 ] [ 2 ] HYPOT", "HYPOT expects a LONG or DOUBLE at depth 2, got LIST.", "[[2],[1]]");
    expect_error("2 [ 1 T ] ATAN2", "ATAN2 expects numbers in its LIST, got BOOLEAN.", "[[1,true],2]");
    expect_error("1 ATAN2", "Empty stack.", "[1]");
}

/* ---- ~= ---- */

Test(math, almost_equal)
{
    expect_stack("1.0 1.05 0.1 ~=", "[true]");
    expect_stack("1.0 1.2 0.1 ~=", "[false]");
    expect_stack("1 2 1 ~=", "[true]");
    expect_stack("1 2 -1 ~=", "[true]");
    expect_stack("NaN NaN 0 ~= NaN 1 10 ~=", "[false,true]");
    expect_error("1 2 'a' ~=", "~= expects a LONG or DOUBLE at depth 1, got STRING.", "[\"a\",2,1]");
    expect_error("1 'b' 1 ~=", "~= expects a LONG or DOUBLE at depth 2, got STRING.", "[1,\"b\",1]");
    expect_error("'c' 2 1 ~=", "~= expects a LONG or DOUBLE at depth 3, got STRING.", "[1,2,\"c\"]");
    expect_error("2 1 ~=", "Empty stack.", "[1,2]");
}

/* ---- constants, random numbers ---- */

Test(math, constants)
{
    expect_stack("PI pi E e", "[2.718281828459045,2.718281828459045,3.141592653589793,3.141592653589793]");
    expect_stack("MAXLONG MINLONG NaN", "[NaN,-9223372036854775808,9223372036854775807]");
}

Test(math, random)
{
    /* java.util.Random(42).nextDouble(), twice */
    expect_stack("42 PRNG SRAND SRAND", "[0.6832234717598454,0.7275636800328681]");
    expect_stack("RAND DUP 0.0 >= SWAP 1.0 < &&", "[true]");
    expect_stack("RAND TYPEOF", "[\"DOUBLE\"]");
    expect_error("SRAND", "SRAND needs a seeded PRNG: seed it first with PRNG.", "[]");
    expect_error("1.5 PRNG", "PRNG expects a LONG seed at depth 1, got DOUBLE.", "[1.5]");
}

/* ---- limits and memory ---- */

Test(math, concat_respects_maxstring)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    cfg.limits.maxstring = 5;
    cfg.capabilities = EXO_CAP_ALL;
    exo_vm *vm = exo_vm_new(&cfg);
    const char *src = "'abc' 'def' +";
    cr_assert_neq(exo_eval(vm, src, strlen(src), "test"), EXO_OK);
    cr_assert(strstr(exo_last_error(vm)->message, "maxstring"), "%s", exo_last_error(vm)->message);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[\"def\",\"abc\"]");
    exo_vm_free(vm);
}

Test(math, list_plus_respects_maxlist)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    cfg.limits.maxlist = 2;
    cfg.capabilities = EXO_CAP_ALL;
    exo_vm *vm = exo_vm_new(&cfg);
    const char *src = "[ 1 2 ] 3 +";
    cr_assert_neq(exo_eval(vm, src, strlen(src), "test"), EXO_OK);
    cr_assert(strstr(exo_last_error(vm)->message, "maxlist"), "%s", exo_last_error(vm)->message);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[3,[1,2]]");
    exo_vm_free(vm);
}

/* ---- allocation failures: every failing allocation leaves the operands
 * on the stack and no memory behind ---- */

static void oom_sweep(const char *setup, const char *code)
{
    bool succeeded = false;
    for (uint64_t n = 1; n < 64 && !succeeded; n++) {
        exo_vm *vm = h_vm();
        cr_assert_eq(exo_eval(vm, setup, strlen(setup), "test"), EXO_OK);
        char before[256];
        snprintf(before, sizeof before, "%s", exo_stack_json(vm, NULL));
        size_t mem = vm->mem_used;
        vm->fail_countdown = n;
        exo_status st = exo_eval(vm, code, strlen(code), "test");
        vm->fail_countdown = 0;
        if (st == EXO_OK) {
            succeeded = true;
        } else {
            cr_assert_eq(exo_last_error(vm)->code, EXO_ERR_OOM, "%s: %s", code, exo_last_error(vm)->message);
            cr_assert_eq(vm->mem_used, mem, "%s: fail at allocation %d leaks %lld bytes", code, (int)n,
                         (long long)(vm->mem_used - mem));
            cr_assert_str_eq(exo_stack_json(vm, NULL), before, "%s after failing allocation %d", code, (int)n);
        }
        exo_vm_free(vm);
    }
    cr_assert(succeeded, "%s never succeeded", code);
}

Test(math, allocation_failures)
{
    oom_sweep("'ab' 'cd'", "+");
    oom_sweep("[ 1 2 ] 3", "+");
    oom_sweep("<% 1 'a' %> <% 2 %>", "+");
    oom_sweep("[ 1 [ 2 -3 ] ]", "ABS");
    oom_sweep("[ 1 2 ] 3", "MAX");
    if (have_bytes())
        oom_sweep("'a' 'UTF-8' ->BYTES DUP", "+");
    /* some list length needs the append to grow the array */
    const char *lists[] = {"[] 0", "[ 1 ] 0", "[ 1 2 ] 0", "[ 1 2 3 ] 0", "[ 1 2 3 4 ] 0", "[ 1 2 3 4 5 ] 0",
                           "[ 1 2 3 4 5 6 7 8 ] 0"};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        oom_sweep(lists[i], "+!");
}
