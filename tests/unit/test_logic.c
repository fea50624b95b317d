/* Tests for the logic family: equality and ordering across types (NaN,
 * -0.0, exact LONG/DOUBLE comparison, UTF-16 string order), boolean logic
 * with its lazy list form, type tests, and every error path. */
#include "harness.h"

#include "vm.h"

/* ---- == != ---- */

Test(logic, equality_types)
{
    expect_stack("1 1.0 == 1 '1' == 'a' 'a' == [ 1 2 ] [ 1 2 ] ==", "[true,true,false,true]");
    expect_stack("1 2 == 1 1 == 1.5 1.5 == 1.5 2.5 ==", "[false,true,true,false]");
    expect_stack("[ 1 ] [ 1.0 ] ==", "[false]");
    expect_stack("NULL NULL == NULL 1 == 1 NULL ==", "[false,false,true]");
    expect_stack("T T == T F == 'a' 'b' ==", "[false,false,true]");
    expect_stack("{ 'a' 1 } { 'a' 1 } == { 'a' 1 } { 'a' 2 } ==", "[false,true]");
    expect_stack("<% 1 %> DUP == <% 1 %> <% 1 %> ==", "[false,true]");
}

Test(logic, equality_nan_and_zero)
{
    expect_stack("NaN NaN == NaN 1 == 1 NaN == NaN 'a' ==", "[false,false,false,true]");
    expect_stack("NaN NaN != NaN 1 != 1.0 NaN !=", "[true,true,false]");
    /* as Double.compare: -0.0 and 0.0 differ, but a LONG 0 equals both */
    expect_stack("0.0 -0.0 == 0 -0.0 == -0.0 0 ==", "[true,true,false]");
}

Test(logic, equality_exact_across_types)
{
    expect_stack("9007199254740993 9007199254740992.0 ==", "[false]");
    expect_stack("9007199254740992 9007199254740992.0 ==", "[true]");
    expect_stack("MAXLONG 9.223372036854775807E18 ==", "[false]");
    expect_stack("MINLONG -9.223372036854775808E18 ==", "[true]");
    expect_stack("3 3.5 == 3 3.5 !=", "[true,false]");
}

Test(logic, inequality)
{
    expect_stack("1 2 != 1 1 != 1 1.0 != 1 '1' !=", "[true,false,false,true]");
    expect_stack("NULL NULL != [ 1 ] [ 1 ] !=", "[false,false]");
}

/* ---- < > <= >= ---- */

Test(logic, ordering_numbers)
{
    expect_stack("1 2 < 2 1 < 1 1 <", "[false,false,true]");
    expect_stack("1 2 > 2 1 > 1 1 >", "[false,true,false]");
    expect_stack("1 1 <= 2 1 <= 1 1 >= 1 2 >=", "[false,true,false,true]");
    expect_stack("1 1.5 < 1.5 1 < 2.0 2 <= 2 2.0 >=", "[true,true,false,true]");
    expect_stack("MINLONG MAXLONG < -Infinity MINLONG < Infinity MAXLONG >", "[true,true,true]");
    expect_stack("9007199254740993 9007199254740992.0 > 9007199254740992.0 9007199254740993 <", "[true,true]");
    expect_stack("-0.0 0.0 < 0.0 -0.0 > -0.0 0.0 <=", "[true,true,true]");
    expect_stack("-3 -2.5 < -2.5 -3 >", "[true,true]");
}

Test(logic, ordering_nan_is_false)
{
    expect_stack("NaN 1 < NaN 1 > NaN 1 <= NaN 1 >=", "[false,false,false,false]");
    expect_stack("1 NaN < 1 NaN >= NaN NaN <= NaN NaN >=", "[false,false,false,false]");
    /* the NaN rule comes before the type check, as in the reference */
    expect_stack("NaN 'a' < 'a' NaN >=", "[false,false]");
}

Test(logic, ordering_strings_and_bytes)
{
    expect_stack("'a' 'b' < 'b' 'a' < 'a' 'a' <= 'ab' 'a' >", "[true,true,false,true]");
    expect_stack("'' 'a' < 'B' 'a' <", "[true,true]");
    /* UTF-16 order: U+10000 (a surrogate pair) sorts before U+FFFD */
    expect_stack("'%F0%90%80%80' '%EF%BF%BD' < '%EF%BF%BD' '%F0%90%80%80' >", "[true,true]");
    expect_stack("'%C3%A9' 'z' > '%E2%82%AC' '%C3%A9' >", "[true,true]");
}

Test(logic, ordering_errors)
{
    expect_error("1 'a' <", "< expects a LONG or DOUBLE at depth 1, got STRING.", "[\"a\",1]");
    expect_error("'a' 1 >", "> expects a STRING at depth 1, got LONG.", "[1,\"a\"]");
    expect_error("T F <=", "<= expects a LONG, DOUBLE, STRING or BYTES at depth 2, got BOOLEAN.", "[false,true]");
    expect_error("[ 1 ] [ 2 ] >=", ">= expects a LONG, DOUBLE, STRING or BYTES at depth 2, got LIST.",
                 "[[2],[1]]");
    expect_error("NULL 1 <", "< expects a LONG, DOUBLE, STRING or BYTES at depth 2, got NULL.", "[1,null]");
    expect_error("1 <", "Empty stack.", "[1]");
}

/* ---- && || ! ---- */

Test(logic, boolean_pairs)
{
    expect_stack("T T && T F && F T && F F &&", "[false,false,false,true]");
    expect_stack("T T || T F || F T || F F ||", "[false,true,true,true]");
    expect_stack("T F AND T F OR", "[true,false]");
    expect_stack("T ! F NOT", "[true,false]");
}

Test(logic, list_form)
{
    expect_stack("[ T T F ] && [ F F T ] || [ T <% F %> ] &&", "[false,true,false]");
    expect_stack("[] && [] ||", "[false,true]");
    expect_stack("[ T <% T %> ] AND [ F <% F %> ] OR", "[false,true]");
}

Test(logic, list_form_is_lazy)
{
    /* the failing macro is never run once the result is known */
    expect_stack("[ F <% 1 0 / %> ] &&", "[false]");
    expect_stack("[ T <% 1 0 / %> ] ||", "[true]");
    expect_stack("0 'n' STORE [ <% $n 1 + 'n' STORE T %> <% $n 1 + 'n' STORE F %> <% $n 1 + 'n' STORE T %> ] && $n",
                 "[2,false]");
}

Test(logic, boolean_errors)
{
    expect_error("1 T &&", "&& expects a BOOLEAN at depth 2, got LONG.", "[true,1]");
    expect_error("T 1 ||", "|| expects a BOOLEAN or a LIST at depth 1, got LONG.", "[1,true]");
    expect_error("T AND", "Empty stack.", "[true]");
    expect_error("[ T 1 ] &&", "&& expects BOOLEANs or MACROs in its LIST, got LONG.", "[[true,1]]");
    expect_error("[ <% 1 %> ] OR", "OR expects each MACRO of its LIST to leave a BOOLEAN, got LONG.", "[1]");
    expect_error("[ <% %> ] OR", "OR expects each MACRO of its LIST to leave a BOOLEAN, got an empty stack.", "[]");
    expect_error("[ T <% 1 0 / %> ] &&", "/ by zero", "[0,1]");
    expect_error("1 !", "! expects a BOOLEAN at depth 1, got LONG.", "[1]");
    expect_error("NULL NOT", "NOT expects a BOOLEAN at depth 1, got NULL.", "[null]");
}

/* ---- ISNULL ISNaN TYPEOF ---- */

Test(logic, type_tests)
{
    expect_stack("NULL ISNULL 1 ISNULL [] ISNULL", "[false,false,true]");
    expect_stack("NaN ISNaN 1 ISNaN 1.0 ISNaN 'NaN' ISNaN [ NaN ] ISNaN", "[false,false,false,false,true]");
    expect_stack("0.0 0.0 / ISNaN", "[true]");
}

Test(logic, typeof_names)
{
    expect_stack("1 TYPEOF 1.0 TYPEOF 'a' TYPEOF T TYPEOF NULL TYPEOF",
                 "[\"NULL\",\"BOOLEAN\",\"STRING\",\"DOUBLE\",\"LONG\"]");
    expect_stack("[] TYPEOF {} TYPEOF <% %> TYPEOF MARK TYPEOF", "[\"MARK\",\"MACRO\",\"MAP\",\"LIST\"]");
}

Test(logic, empty_stack)
{
    expect_error("ISNULL", "Empty stack.", "[]");
    expect_error("TYPEOF", "Empty stack.", "[]");
    expect_error("&&", "Empty stack.", "[]");
}

Test(logic, typeof_allocation_failures)
{
    bool succeeded = false;
    for (uint64_t n = 1; n < 32 && !succeeded; n++) {
        exo_vm *vm = h_vm();
        cr_assert_eq(exo_eval(vm, "1", 1, "test"), EXO_OK);
        size_t mem = vm->mem_used;
        vm->fail_countdown = n;
        succeeded = exo_eval(vm, "TYPEOF", 6, "test") == EXO_OK;
        vm->fail_countdown = 0;
        if (succeeded) {
            cr_assert_str_eq(exo_stack_json(vm, NULL), "[\"LONG\"]");
        } else {
            cr_assert_eq(exo_last_error(vm)->code, EXO_ERR_OOM);
            cr_assert_eq(vm->mem_used, mem, "failing allocation %d leaks", (int)n);
            cr_assert_str_eq(exo_stack_json(vm, NULL), "[1]");
        }
        exo_vm_free(vm);
    }
    cr_assert(succeeded);
}
