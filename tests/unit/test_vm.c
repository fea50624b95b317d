/* The VM and the core words written with it: stack, control flow,
 * variables, errors (messages, positions, traces, stack left intact),
 * limits, STOP/RETURN/BREAK, TRY. */
#include "harness.h"

/* ---- stack words ---- */
Test(stack, dup_drop_swap_rot)
{
    expect_stack("1 DUP", "[1,1]");
    expect_stack("1 2 DROP", "[1]");
    expect_stack("1 2 SWAP", "[1,2]");
    expect_stack("1 2 3 ROT", "[1,3,2]");
}
Test(stack, pick_roll_rolld)
{
    expect_stack("10 20 30 2 PICK", "[20,30,20,10]");
    expect_stack("1 2 3 3 ROLL", "[1,3,2]");
    expect_stack("1 2 3 3 ROLLD", "[2,1,3]");
    expect_stack("1 2 2 DUPN", "[2,1,2,1]");
    expect_stack("1 2 3 2 DROPN", "[1]");
    expect_stack("1 2 0 DROPN", "[2,1]");
}
Test(stack, depth_clear_mark)
{
    expect_stack("1 2 DEPTH", "[2,2,1]");
    expect_stack("1 2 3 CLEAR 4", "[4]");
    expect_stack("1 MARK 2 3 COUNTTOMARK", "[2,3,2,null,1]");
    expect_stack("1 MARK 2 3 CLEARTOMARK", "[1]");
}
Test(stack, snapshot)
{
    expect_stack("1 2.5 'a b' T SNAPSHOT", "[\"1 2.5 'a%20b' true \"]");
    expect_stack("1 2 SNAPSHOTCOPY", "[\"1 2 \",2,1]");
    expect_stack("1 2 3 2 SNAPSHOTN", "[\"2 3 \",1]");
    /* SNAPSHOT.java builds lists, maps and bytes by statements; macros keep
     * their own text */
    expect_stack("[ 1 'a' ] SNAPSHOT", "[\"[] 1 +! 'a' +! \"]");
    expect_stack("[] {} SNAPSHOT", "[\"[] {} \"]");
    expect_stack("{ 'k' true 'l' [ [ 2.5 ] ] } SNAPSHOT",
                 "[\"{} true 'k' PUT [] [] 2.5 +! +! 'l' PUT \"]");
    expect_stack("'Hello, World!' 'UTF-8' ->BYTES SNAPSHOT", "[\"'H5KgQ5wg74SjRalZ7F' OPB64-> \"]");
    expect_stack("<% [ 1 ] %> SNAPSHOT", "[\"<% [ 1 ] %> \"]");
    expect_stack("42 MARK [ 1 ] SNAPSHOTTOMARK", "[\"[] 1 +! \",42]");
    expect_stack("[ 1 'a' ] { 'k' [ 2 ] } SNAPSHOT EVAL", "[{\"k\":[2]},[1,\"a\"]]");
    /* a count beyond the depth takes every level, one of 0 or less none */
    expect_stack("1 2 5 SNAPSHOTN", "[\"1 2 \"]");
    expect_stack("1 2 5 SNAPSHOTCOPYN", "[\"1 2 \",2,1]");
    expect_stack("1 2 0 SNAPSHOTN", "[\"\",2,1]");
    expect_stack("1 2 -3 SNAPSHOTCOPYN", "[\"\",2,1]");
    expect_error("1 'a' SNAPSHOTN", "SNAPSHOTN expects a number of stack levels to snapshot.", "[\"a\",1]");
}
Test(stack, errors_leave_stack)
{
    expect_error("DROP", "Empty stack.", "[]");
    expect_error("1 SWAP", "Empty stack.", "[1]");
    expect_error("1 2 5 PICK", "Empty stack.", "[5,2,1]");
    expect_error("1 'a' PICK", "PICK expects a LONG at depth 1, got STRING.", "[\"a\",1]");
    expect_error("1 0 PICK", "PICK expects a count of at least 1, got 0.", "[0,1]");
    expect_error("1 -1 DROPN", "DROPN expects a count of at least 0, got -1.", "[-1,1]");
    expect_error("1 CLEARTOMARK", "could not find a MARK", "[1]");
}

/* ---- control ---- */
Test(control, ift_ifte)
{
    expect_stack("T <% 'yes' %> <% 'no' %> IFTE", "[\"yes\"]");
    expect_stack("F <% 'yes' %> <% 'no' %> IFTE", "[\"no\"]");
    expect_stack("F <% 'x' %> IFT 'end'", "[\"end\"]");
    expect_stack("<% T %> <% 'x' %> IFT", "[\"x\"]");
    expect_error("1 <% %> IFT", "IFT expects a BOOLEAN or a MACRO at depth 2, got LONG.", "[\"<% %>\",1]");
    expect_error("<% 1 %> <% %> IFT", "IFT expects its condition to leave a BOOLEAN", "[1]");
}
Test(control, switch_)
{
    expect_stack("<% F %> <% 'one' %> <% T %> <% 'two' %> <% 'other' %> 2 SWITCH", "[\"two\"]");
    expect_stack("<% F %> <% 'one' %> <% 'other' %> 1 SWITCH", "[\"other\"]");
    expect_error("<% 'd' %> 3 SWITCH", "Empty stack.", "[3,\"<% 'd' %>\"]");
    /* SWITCH.java pops what a condition leaves: anything but true is false */
    expect_stack("<% 1 %> <% 'one' %> <% 'def' %> 1 SWITCH", "[\"def\"]");
    expect_stack("<% 'x' %> <% 'one' %> <% T %> <% 'two' %> <% 'def' %> 2 SWITCH", "[\"two\"]");
    expect_error("<% %> <% 'one' %> <% 'def' %> 1 SWITCH", "Empty stack.", "[]");
}
Test(control, for_loops)
{
    expect_stack("1 3 <% %> FOR", "[3,2,1]");
    expect_stack("1.0 2.5 <% %> FOR", "[2.0,1.0]");
    expect_stack("3 1 <% %> FOR 'none'", "[\"none\"]");
    expect_stack("1 3 <% 'x' %> F FOR", "[\"x\",\"x\",\"x\"]");
    expect_stack("0 10 <% 3 + %> <% %> FORSTEP", "[9,6,3,0]");
    expect_stack("10 0 <% 4 - %> <% 'x' %> F FORSTEP", "[\"x\",\"x\",\"x\"]");
    expect_error("'a' 2 <% %> FOR", "FOR expects a LONG or DOUBLE at depth 3, got STRING.", "[\"<% %>\",2,\"a\"]");
}
Test(control, while_until_break_continue)
{
    expect_stack("<% DEPTH 3 < %> <% 'x' %> WHILE", "[\"x\",\"x\",\"x\"]");
    expect_stack("<% 'x' %> <% DEPTH 2 >= %> UNTIL", "[\"x\",\"x\"]");
    expect_stack("1 100 <% DUP 3 == <% BREAK %> IFT %> FOR", "[3,2,1]");
    expect_stack("1 4 <% DUP 2 == <% DROP CONTINUE %> IFT %> FOR", "[4,3,1]");
    expect_error("BREAK", "BREAK used outside of a loop.", "[]");
}
Test(control, foreach)
{
    expect_stack("[ 1 2 3 ] <% 2 * %> FOREACH", "[6,4,2]");
    expect_stack("[ 'x' 'y' ] <% %> T FOREACH", "[1,\"y\",0,\"x\"]");
    expect_stack("{ 'a' 1 } <% %> FOREACH", "[1,\"a\"]");
    expect_stack("'ab' <% %> FOREACH", "[\"b\",\"a\"]");
    expect_error("1 <% %> FOREACH", "FOREACH expects a LIST, MAP, STRING or GTS at depth 2, got LONG.", "[\"<% %>\",1]");
}
Test(control, return_stop)
{
    expect_stack("<% 1 RETURN 2 %> EVAL 3", "[3,1]");
    expect_stack("1 STOP 2", "[1]");
    expect_stack("1 <% 2 STOP 3 %> EVAL 4", "[2,1]");
    expect_stack("1 '2 STOP 3' EVAL 4", "[2,1]");
}
Test(control, eval_string)
{
    expect_stack("'1 2' EVAL", "[2,1]");
    expect_stack("'<%25 5 %25>' EVAL EVAL", "[5]");
    expect_error("1 EVAL", "EVAL expects a MACRO or a STRING at depth 1, got LONG.", "[1]");
}
Test(control, try_catches_and_drops_operands)
{
    expect_stack("<% 'a' 'b' 1 0 / %> <% 'c' %> <% %> TRY", "[\"c\",\"b\",\"a\"]");
    expect_stack("<% F ASSERT %> <% 'caught' %> <% 'finally' %> TRY", "[\"finally\",\"caught\"]");
    expect_stack("<% 1 %> <% 'caught' %> <% 'finally' %> TRY", "[\"finally\",1]");
    expect_stack("<% <% 1 0 / %> <% RETHROW %> <% %> TRY %> <% 'outer' %> <% %> TRY", "[\"outer\"]");
    expect_stack("<% 'boom' MSGFAIL %> <% ERROR -1 GET 'message' GET %> <% %> TRY", "[\"MSGFAIL boom\"]");
    expect_stack("<% BREAK %> <% 'caught' %> <% %> TRY", "[\"caught\"]");
}
Test(control, try_finally_keeps_catch_error)
{
    expect_error("<% 1 0 / %> <% 'again' MSGFAIL %> <% 'fin' %> TRY", "MSGFAIL again", "[\"fin\",\"again\"]");
}
Test(control, assert_msgfail)
{
    expect_error("F ASSERT", "ASSERT failed.", "[false]");
    expect_error("F 'why' ASSERTMSG", "ASSERTMSG failed 'why'", "[\"why\",false]");
    expect_error("'boom' MSGFAIL", "MSGFAIL boom", "[\"boom\"]");
    expect_stack("T ASSERT T 'x' ASSERTMSG 1", "[1]");
}

/* ---- variables ---- */
Test(vars, store_load)
{
    expect_stack("42 'x' STORE $x $x", "[42,42]");
    expect_stack("42 'x' STORE 'x' LOAD", "[42]");
    expect_stack("1 2 [ 'a' 'b' ] STORE $b $a", "[1,2]");
    expect_stack("1 2 [ 'a' NULL ] STORE $a", "[1]");
    expect_stack("NULL 'x' STORE $x", "[null]");
    expect_stack("<% 7 'y' STORE %> EVAL $y", "[7]");
    expect_stack("5 'v' STORE <% !$v %>", "[\"<% 5 %>\"]");
    expect_stack("<% $z %>", "[\"<% 'z' LOAD %>\"]");
}
Test(vars, cstore_forget_defined)
{
    expect_stack("1 'x' STORE 2 'x' CSTORE 3 'y' CSTORE $x $y", "[3,1]");
    expect_stack("10 'x' STORE 'x' FORGET 'x' DEFINED", "[false]");
    expect_stack("1 'a' STORE 2 'b' STORE NULL FORGET 'a' DEFINED", "[false]");
}
Test(vars, run_macros)
{
    expect_stack("<% 2 * %> 'dbl' STORE 21 @dbl", "[42]");
    expect_stack("<% 3 %> 'm' STORE 'm' RUN", "[3]");
    expect_error("@nothing", "Unknown macro '@nothing'.", "[]");
    expect_error("1 'n' STORE @n", "@n does not hold a macro but a LONG.", "[]");
}
Test(vars, errors)
{
    expect_error("$nope", "Unknown symbol 'nope'", "[]");
    expect_error("<% $nope %> EVAL", "LOAD symbol 'nope' does not exist.", "[]");
    expect_error("!$nope", "Unknown symbol 'nope'", "[]");
    expect_error("1 2 STORE", "STORE expects a STRING name at depth 1, got LONG.", "[2,1]");
    expect_error("'x' STORE", "Empty stack.", "[\"x\"]");
}

/* ---- errors and limits ---- */
static exo_vm *limited(const char *name, uint64_t v)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    exo_limit_set(&cfg.limits, name, v);
    exo_vm *vm = exo_vm_new(&cfg);
    cr_assert_not_null(vm);
    return vm;
}

static void expect_limit(exo_vm *vm, const char *src, const char *msg)
{
    exo_status st = exo_eval(vm, src, strlen(src), "lim");
    cr_assert_eq(st, EXO_ERR_LIMIT, "%s: status %d (%s)", src, st, exo_last_error(vm)->message);
    cr_assert(strstr(exo_last_error(vm)->message, msg), "%s: '%s' lacks '%s'", src, exo_last_error(vm)->message, msg);
    /* the VM stays usable */
    exo_clear(vm);
    cr_assert_eq(exo_eval(vm, "1 1", 3, "after"), EXO_OK);
    cr_assert_eq(exo_depth(vm), 2);
}

Test(limits, maxops)
{
    exo_vm *vm = limited("maxops", 50);
    expect_limit(vm, "<% T %> <% %> WHILE", "exceeded maximum of 50 (maxops)");
    exo_vm_free(vm);
}
Test(limits, maxdepth)
{
    exo_vm *vm = limited("maxdepth", 10);
    expect_limit(vm, "1 100 <% %> FOR", "Stack depth would exceed set limit of 10 (maxdepth)");
    exo_vm_free(vm);
}
Test(limits, maxrecursion)
{
    exo_vm *vm = limited("maxrecursion", 16);
    expect_limit(vm, "<% @r %> 'r' STORE @r", "Maximum recursion level reached (16)");
    exo_vm_free(vm);
}
Test(limits, recursion_is_capped_even_when_generous)
{
    exo_vm *vm = limited("maxrecursion", 1000000000);
    expect_limit(vm, "<% @r %> 'r' STORE @r", "Maximum recursion level reached (8192)");
    exo_vm_free(vm);
}
Test(limits, maxsymbols)
{
    exo_vm *vm = limited("maxsymbols", 2);
    expect_limit(vm, "1 'a' STORE 2 'b' STORE 3 'c' STORE", "maximum number of entries: 2 (maxsymbols)");
    exo_vm_free(vm);
}
Test(limits, maxloop)
{
    exo_vm *vm = limited("maxloop", 20);
    expect_limit(vm, "<% T %> <% %> WHILE", "WHILE executed for too long (> 20 ms) (maxloop)");
    exo_vm_free(vm);
}
Test(limits, maxmemory)
{
    exo_vm *vm = limited("maxmemory", 1 << 20);
    expect_limit(vm, "<% 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' %> 'm' STORE 1 100000 <% DROP 'm' LOAD EVAL %> FOR", "(maxmemory)");
    exo_vm_free(vm);
}
Test(limits, unknown_limit_name)
{
    exo_limits l;
    cr_assert_not(exo_limit_set(&l, "nope", 1));
}

Test(errors, trace_through_macros)
{
    exo_vm *vm = h_vm();
    const char *src = "<% 1 0 / %> 'inner' STORE\n<% @inner %> 'outer' STORE\n@outer";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t.mc2"), EXO_ERR_RUNTIME);
    const exo_error *e = exo_last_error(vm);
    cr_assert_str_eq(e->word, "/");
    cr_assert_eq(e->line, 1);
    cr_assert_eq(e->col, 8);
    cr_assert_eq(e->nframes, 2);
    cr_assert_str_eq(e->frames[0].word, "RUN");
    cr_assert_eq(e->frames[0].line, 2);
    cr_assert_eq(e->frames[1].line, 3);
    /* the failing word left its operands */
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[0,1]");
    exo_vm_free(vm);
}

Test(errors, eval_string_positions)
{
    exo_vm *vm = h_vm();
    const char *src = "<'\n1\n NOPE\n'>\nEVAL";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t.mc2"), EXO_ERR_SYNTAX);
    const exo_error *e = exo_last_error(vm);
    cr_assert_str_eq(e->file, "<EVAL>");
    cr_assert_eq(e->line, 2);
    cr_assert_eq(e->col, 2);
    cr_assert_eq(e->nframes, 1);
    cr_assert_str_eq(e->frames[0].word, "EVAL");
    cr_assert_str_eq(e->frames[0].file, "t.mc2");
    cr_assert_eq(e->frames[0].line, 5);
    exo_vm_free(vm);
}

Test(errors, vm_usable_after_error)
{
    exo_vm *vm = h_vm();
    cr_assert_neq(exo_eval(vm, "1 DROP DROP", 11, "a"), EXO_OK);
    cr_assert_eq(exo_eval(vm, "2 3", 3, "b"), EXO_OK);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[3,2]");
    cr_assert_eq(exo_last_error(vm)->code, EXO_OK);
    exo_vm_free(vm);
}

Test(errors, feed_incomplete_macro)
{
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_feed(vm, "<% 1", 4, "repl"), EXO_INCOMPLETE);
    cr_assert_eq(exo_feed_depth(vm), 1);
    cr_assert_eq(exo_feed(vm, "2 %> EVAL", 9, "repl"), EXO_OK);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[2,1]");
    cr_assert_eq(exo_feed(vm, "/* x", 4, "repl"), EXO_INCOMPLETE);
    cr_assert(exo_feed_in_comment(vm));
    cr_assert_eq(exo_feed(vm, "*/ 3", 4, "repl"), EXO_OK);
    cr_assert_eq(exo_feed(vm, "<'", 2, "repl"), EXO_INCOMPLETE);
    cr_assert(exo_feed_in_string(vm));
    cr_assert_eq(exo_feed(vm, "s\n'>", 4, "repl"), EXO_OK);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[\"s\",3,2,1]");
    exo_vm_free(vm);
}

Test(errors, cycles_are_freed)
{
    exo_vm *vm = h_vm();
    const char *src = "[ ] DUP DUP +! DROP { } DUP DUP 'self' PUT DROP";
    exo_eval(vm, src, strlen(src), "cyc");
    exo_vm_free(vm); /* ASan reports a leak if the cycle survives */
}

static size_t live;
static void *counting_alloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    (void)ud;
    live = live - old_size + new_size;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, new_size);
}

Test(memory, host_allocator_sees_every_byte)
{
    exo_config cfg;
    exo_config_init(&cfg);
    cfg.alloc = counting_alloc;
    live = 0;
    exo_vm *vm = exo_vm_new(&cfg);
    const char *src = "<% 1 2 'abc' %> 'm' STORE @m [ 1 2 ] { 'a' [ 3 ] } 'x' 'y' STORE <% NOPE %>";
    exo_eval(vm, src, strlen(src), "m");
    exo_vm_free(vm);
    cr_assert_eq(live, 0, "%zu bytes left", live);
}
