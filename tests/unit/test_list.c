/* List words and the polymorphic collection words (builtins/list.c):
 * results, in-place mutation seen through variables, negative indexes,
 * empty collections, deep nesting, and every error with the stack left
 * unchanged. Only words of the core families are used in the scripts. */
#include "harness.h"
#include "oom.h"

#include "vm.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- construction ---- */

Test(list, brackets)
{
    expect_stack("[ 1 2 3 ]", "[[1,2,3]]");
    expect_stack("[ ] SIZE", "[0]");
    expect_stack("[]", "[[]]");
    expect_stack("[ [ 1 ] [ ] 'a' ]", "[[[1],[],\"a\"]]");
    expect_stack("1 [ 2 MARK 3 ]", "[[3],2,null,1]");
    expect_error("1 ]", "Cannot find a matching start of list.", "[1]");
    expect_error("]", "Cannot find a matching start of list.", "[]");
}

Test(list, sets)
{
    expect_stack("( 1 2 1 2.0 'a' 'a' )", "[[1,2,2.0,\"a\"]]");
    expect_stack("()", "[[]]");
    expect_stack("( )", "[[]]");
    expect_error("1 )", "Cannot find a matching start of set.", "[1]");
}

Test(list, tolist)
{
    expect_stack("1 2 3 3 ->LIST", "[[1,2,3]]");
    expect_stack("0 ->LIST", "[[]]");
    expect_stack("[ 1 ] ->LIST", "[[1]]");
    expect_error("1 5 ->LIST", "Empty stack.", "[5,1]");
    expect_error("1 -1 ->LIST", "->LIST expects a non-negative count, got -1.", "[-1,1]");
    expect_error("'a' ->LIST", "->LIST expects a LONG count or a LIST at depth 1, got STRING.", "[\"a\"]");
}

Test(list, listto_unlist)
{
    expect_stack("[ 1 2 ] LIST->", "[2,2,1]");
    expect_stack("[] LIST->", "[0]");
    expect_stack("[ 1 2 ] UNLIST", "[2,1,null]");
    expect_stack("[] UNLIST", "[null]");
    expect_stack("[ 1 2 ] UNLIST ]", "[[1,2]]");
    expect_error("1 LIST->", "LIST-> expects a LIST at depth 1, got LONG.", "[1]");
    expect_error("'a' UNLIST", "UNLIST expects a LIST at depth 1, got STRING.", "[\"a\"]");
}

/* ---- GET / SET / PUT / REMOVE ---- */

Test(list, get)
{
    expect_stack("[ 1 2 3 ] 0 GET", "[1]");
    expect_stack("[ 1 2 3 ] -1 GET", "[3]");
    expect_stack("[ 1 2 3 ] -3 GET", "[1]");
    expect_stack("[ [ 1 2 ] [ 3 4 ] ] [ 1 0 ] GET", "[3]");
    expect_stack("[ [ 1 2 ] [ 3 4 ] ] [ -1 -1 ] GET", "[4]");
    expect_stack("[ [ 1 ] ] [] GET", "[[[1]]]");
    expect_stack("[ { 'a' [ 5 6 ] } ] [ 0 'a' 1 ] GET", "[6]");
    expect_stack("[ { 'a' 1 } ] [ 0 'b' ] GET", "[null]");
    expect_stack("{ 'a' 1 } 'a' GET", "[1]");
    expect_stack("{ 'a' 1 } 'b' GET", "[null]");
    expect_stack("{ 1 'x' } 1.0 GET", "[null]");
    expect_stack("{ [ 1 ] 'x' } [ 1 ] GET", "[\"x\"]");
    expect_stack("'h%C3%A9llo' 1 GET", "[\"\\u00E9\"]");
    expect_stack("'hello' -1 GET", "[\"o\"]");
    expect_error("[ 1 2 3 ] 3 GET", "GET failed. Index out of bound, 3 >= 3.", "[3,[1,2,3]]");
    expect_error("[ 1 2 3 ] -4 GET", "GET failed. Index out of bound, -4 < -3.", "[-4,[1,2,3]]");
    expect_error("[] 0 GET", "Index out of bound, 0 >= 0.", "[0,[]]");
    expect_error("[ [ 1 ] ] [ 0 1 ] GET", "GET failed. Index out of bound, 1 >= 1.", "[[0,1],[[1]]]");
    expect_error("[ 1 ] [ 0 0 ] GET", "GET failed. Cannot index into a LONG.", "[[0,0],[1]]");
    expect_error("[ 1 ] [ 'a' ] GET", "GET expects a LIST of LONG indexes, got STRING.", "[[\"a\"],[1]]");
    expect_error("[ { } ] [ 0 'a' 1 ] GET", "missing map key", "[[0,\"a\",1],[{}]]");
    expect_error("[ 1 ] 'a' GET", "GET expects a LONG index or a LIST of indexes at depth 1, got STRING.",
                 "[\"a\",[1]]");
    expect_error("'abc' 3 GET", "GET failed. Index out of bound, 3 >= 3.", "[3,\"abc\"]");
    expect_error("'abc' 'a' GET", "GET expects a LONG index at depth 1, got STRING.", "[\"a\",\"abc\"]");
    expect_error("1 0 GET", "GET expects a LIST, MAP, STRING or BYTES at depth 2, got LONG.", "[0,1]");
    expect_error("0 GET", "Empty stack.", "[0]");
}

Test(list, set)
{
    expect_stack("[ 1 2 ] 'x' 0 SET", "[[\"x\",2]]");
    expect_stack("[ 1 2 ] 'x' -1 SET", "[[1,\"x\"]]");
    expect_stack("[ [ 1 2 ] [ 3 4 ] ] 'x' [ 1 0 ] SET", "[[[1,2],[\"x\",4]]]");
    expect_stack("[ [ 1 2 ] ] 'x' [ -1 -1 ] SET", "[[[1,\"x\"]]]");
    expect_stack("[ 1 2 ] 'l' STORE $l 9 0 SET DROP $l", "[[9,2]]");
    expect_error("[ 1 2 ] 'x' 2 SET", "SET failed. Index out of bound, 2 >= 2.", "[2,\"x\",[1,2]]");
    expect_error("[ 1 2 ] 'x' -3 SET", "SET failed. Index out of bound, -3 < -2.", "[-3,\"x\",[1,2]]");
    expect_error("{} 'x' 0 SET", "SET expects a LIST or BYTES at depth 3, got MAP.", "[0,\"x\",{}]");
    /* BYTES (SET.java): a LONG in [-128, 255] at an index in [0, size) */
    expect_stack("'abc' 'UTF-8' ->BYTES 65 0 SET ->HEX", "[\"416263\"]");
    expect_stack("'abc' 'UTF-8' ->BYTES -1 2 SET ->HEX", "[\"6162ff\"]");
    expect_error("'abc' 'UTF-8' ->BYTES 256 0 SET", "SET expects the element to be a LONG in either [0,255] or [-128,127].",
                 "[0,256,\"abc\"]");
    expect_error("'abc' 'UTF-8' ->BYTES 1 -1 SET", "SET index out of bounds, -1 >= 3", "[-1,1,\"abc\"]");
    expect_error("[ 1 ] 'x' [] SET", "SET expects a non-empty LIST of indexes.", "[[],\"x\",[1]]");
    expect_error("[ 1 ] 'x' [ 0 0 ] SET", "SET failed. The nested path does not lead to a LIST.", "[[0,0],\"x\",[1]]");
    expect_error("[ 1 ] 'x' [ 0 0 0 ] SET", "SET failed. Cannot index into a LONG.", "[[0,0,0],\"x\",[1]]");
    expect_error("[ [ 1 ] ] 'x' [ 0 'a' ] SET", "SET expects a LIST of LONG indexes, got STRING.",
                 "[[0,\"a\"],\"x\",[[1]]]");
    expect_error("[ { 'a' 1 } ] 'x' [ 0 'a' ] SET", "SET failed. The nested path does not lead to a LIST.",
                 "[[0,\"a\"],\"x\",[{\"a\":1}]]");
    expect_error("[ { 'a' 1 } ] 'x' [ 0 'a' 0 ] SET", "SET failed. The nested path does not lead to a LIST.",
                 "[[0,\"a\",0],\"x\",[{\"a\":1}]]");
    expect_error("[ 1 ] 'x' 'a' SET", "SET expects a LONG index or a LIST of indexes at depth 1, got STRING.",
                 "[\"a\",\"x\",[1]]");
    expect_error("'x' 0 SET", "Empty stack.", "[0,\"x\"]");
}

Test(list, put)
{
    expect_stack("{} 1 'k' PUT", "[{\"k\":1}]");
    expect_stack("{ 'a' 1 'b' 2 } 3 'a' PUT", "[{\"a\":3,\"b\":2}]");
    expect_stack("{ 'a' 1 } 'm' STORE $m 2 'b' PUT DROP $m", "[{\"a\":1,\"b\":2}]");
    expect_stack("[ 1 2 ] 'x' 1 PUT", "[[1,\"x\"]]");
    expect_stack("[ [ 1 2 ] ] 'x' [ 0 1 ] PUT", "[[[1,\"x\"]]]");
    expect_stack("[ 1 2 ] 'l' STORE $l 'x' 0 PUT DROP $l", "[[\"x\",2]]");
    expect_error("[ 1 2 ] 'x' -1 PUT", "PUT expects a non-negative index, got -1.", "[-1,\"x\",[1,2]]");
    expect_error("[ 1 2 ] 'x' 2 PUT", "PUT failed. Index out of bound, 2 >= 2.", "[2,\"x\",[1,2]]");
    expect_error("'s' 'x' 0 PUT", "PUT expects a LIST or MAP at depth 3, got STRING.", "[0,\"x\",\"s\"]");
}

Test(list, remove)
{
    expect_stack("[ 1 2 3 ] 0 REMOVE", "[1,[2,3]]");
    expect_stack("[ 1 2 3 ] -1 REMOVE", "[3,[1,2]]");
    expect_stack("[ 1 2 3 ] 3 REMOVE", "[null,[1,2,3]]");
    expect_stack("[ 1 2 3 ] -4 REMOVE", "[null,[1,2,3]]");
    expect_stack("[] 0 REMOVE", "[null,[]]");
    expect_stack("[ 1 2 3 ] 'l' STORE $l 1 REMOVE DROP DROP $l", "[[1,3]]");
    expect_stack("{ 'a' 1 'b' 2 } 'a' REMOVE", "[1,{\"b\":2}]");
    expect_stack("{ 'a' 1 } 'z' REMOVE", "[null,{\"a\":1}]");
    expect_error("[ 1 ] 'a' REMOVE", "REMOVE expects a LONG index at depth 1, got STRING.", "[\"a\",[1]]");
    /* STRING (by character) and BYTES (a byte as a LONG), as REMOVE.java:
     * a new value without it, then the removed one (NULL out of range) */
    expect_stack("'hello' 1 REMOVE", "[\"e\",\"hllo\"]");
    expect_stack("'hello' -1 REMOVE", "[\"o\",\"hell\"]");
    expect_stack("'hello' 5 REMOVE", "[null,\"hello\"]");
    expect_stack("'h%C3%A9llo' 1 REMOVE", "[\"\\u00E9\",\"hllo\"]");
    expect_stack("'' 0 REMOVE", "[null,\"\"]");
    expect_stack("'abc' 'UTF-8' ->BYTES 0 REMOVE SWAP ->HEX", "[\"6263\",97]");
    expect_stack("'abc' 'UTF-8' ->BYTES -4 REMOVE SWAP ->HEX", "[\"616263\",null]");
    expect_error("'s' 'a' REMOVE", "REMOVE expects a LONG index at depth 1, got STRING.", "[\"a\",\"s\"]");
    expect_error("1 0 REMOVE", "REMOVE expects a LIST, MAP, STRING or BYTES at depth 2, got LONG.", "[0,1]");
}

Test(list, size)
{
    expect_stack("[ 1 [ 2 3 ] ] SIZE", "[2]");
    expect_stack("{ 'a' 1 'b' 2 } SIZE", "[2]");
    expect_stack("{} SIZE", "[0]");
    expect_stack("'h%C3%A9llo' SIZE", "[5]");
    expect_stack("'' SIZE", "[0]");
    expect_error("1 SIZE", "SIZE expects a LIST, MAP, STRING, BYTES or GTS at depth 1, got LONG.", "[1]");
    expect_error("SIZE", "Empty stack.", "[]");
}

/* SIZE, CLONE and APPEND hand GTS to the GTS family's hooks. */
Test(list, gts_hooks)
{
    const char *g = "NEWGTS 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE ";
    char src[512];
    snprintf(src, sizeof src, "%s SIZE", g);
    expect_stack(src, "[2]");
    snprintf(src, sizeof src, "%s CLONE 300 NaN NaN NaN 3 ADDVALUE SIZE SWAP SIZE", g);
    expect_stack(src, "[2,3]");
    snprintf(src, sizeof src, "%s 'g' STORE $g %s APPEND DROP $g SIZE", g, g);
    expect_stack(src, "[4]");
    snprintf(src, sizeof src, "%s 1 APPEND", g);
    expect_error(src, "APPEND expects a GTS at depth 1, got LONG.",
                 "[1,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1],[200,2]]}]");
}

/* ---- whole-collection words ---- */

Test(list, append)
{
    expect_stack("[ 1 2 ] [ 3 4 ] APPEND", "[[1,2,3,4]]");
    expect_stack("[ 1 2 ] 'l' STORE $l [ 3 ] APPEND DROP $l", "[[1,2,3]]");
    expect_stack("[ 1 2 ] DUP APPEND", "[[1,2,1,2]]");
    expect_stack("[] [] APPEND", "[[]]");
    expect_stack("{ 'a' 1 } { 'b' 2 } APPEND", "[{\"a\":1,\"b\":2}]");
    expect_stack("{ 'a' 1 'b' 2 } { 'a' 3 } APPEND", "[{\"a\":3,\"b\":2}]");
    expect_error("[ 1 ] 2 APPEND", "APPEND expects a LIST at depth 1, got LONG.", "[2,[1]]");
    expect_error("{} [] APPEND", "APPEND expects a MAP at depth 1, got LIST.", "[[],{}]");
    expect_error("1 2 APPEND", "APPEND expects a LIST, MAP or GTS at depth 2, got LONG.", "[2,1]");
}

Test(list, contains)
{
    expect_stack("[ 1 2 ] 1 CONTAINS", "[true,[1,2]]");
    expect_stack("[ 1 2 ] 1.0 CONTAINS", "[false,[1,2]]");
    expect_stack("[ [ 1 ] ] [ 1 ] CONTAINS", "[true,[[1]]]");
    expect_stack("[] NULL CONTAINS", "[false,[]]");
    expect_stack("'hello' 'ell' CONTAINS", "[true]");
    expect_stack("'hello' 'lo!' CONTAINS", "[false]");
    expect_stack("'hello' '' CONTAINS", "[true]");
    expect_error("'a' 1 CONTAINS", "CONTAINS expects a STRING at depth 1, got LONG.", "[1,\"a\"]");
    expect_error("1 1 CONTAINS", "CONTAINS expects a LIST or STRING at depth 2, got LONG.", "[1,1]");
}

Test(list, containskey_value)
{
    expect_stack("{ 'a' 1 } 'a' CONTAINSKEY", "[true,{\"a\":1}]");
    expect_stack("{ 'a' 1 } 'b' CONTAINSKEY", "[false,{\"a\":1}]");
    expect_stack("{ 'a' 1 } 1 CONTAINSVALUE", "[true,{\"a\":1}]");
    expect_stack("{ 'a' 1 } 1.0 CONTAINSVALUE", "[false,{\"a\":1}]");
    expect_error("[ 1 ] 1 CONTAINSKEY", "CONTAINSKEY expects a MAP at depth 2, got LIST.", "[1,[1]]");
    expect_error("[ 1 ] 1 CONTAINSVALUE", "CONTAINSVALUE expects a MAP at depth 2, got LIST.", "[1,[1]]");
}

Test(list, reverse)
{
    expect_stack("[ 1 2 3 ] REVERSE", "[[3,2,1]]");
    expect_stack("[ 1 2 3 4 ] 'l' STORE $l REVERSE DROP $l", "[[4,3,2,1]]");
    expect_stack("[] REVERSE", "[[]]");
    expect_stack("'hello' REVERSE", "[\"olleh\"]");
    expect_stack("'h%C3%A9' REVERSE", "[\"\\u00E9h\"]");
    expect_stack("[ 1 2 3 ] 'l' STORE $l CLONEREVERSE $l", "[[1,2,3],[3,2,1]]");
    expect_stack("'abc' CLONEREVERSE", "[\"cba\"]");
    expect_error("1 REVERSE", "REVERSE expects a LIST, STRING or BYTES at depth 1, got LONG.", "[1]");
    expect_error("{} CLONEREVERSE", "CLONEREVERSE expects a LIST, STRING or BYTES at depth 1, got MAP.", "[{}]");
}

Test(list, clone)
{
    expect_stack("[ 1 2 ] CLONE 9 0 SET", "[[9,2],[1,2]]");
    expect_stack("[ [ 1 ] ] CLONE 0 GET 2 0 SET DROP", "[[[2]]]"); /* shallow */
    expect_stack("{ 'a' 1 } CLONE 2 'b' PUT", "[{\"a\":1,\"b\":2},{\"a\":1}]");
    expect_stack("1 CLONE", "[1,1]");
    expect_stack("'s' CLONE", "[\"s\",\"s\"]");
    expect_error("CLONE", "Empty stack.", "[]");
}

Test(list, unique)
{
    /* java.util.HashSet order: by bucket of the spread hashCode (1.0 and
     * NULL in bucket 0, 1 and 'a' (97) in 1, 2 in 2), then insertion order */
    expect_stack("[ 1 2 1 1.0 'a' 'a' NULL NULL ] UNIQUE", "[[1.0,null,1,\"a\",2]]");
    /* the reference's example (function_UNIQUE.md shows this order) */
    expect_stack("[ 'foo' 42 'bar' true 'foo' 57 42 'code' true false ] UNIQUE",
                 "[[\"bar\",\"code\",false,\"foo\",57,42,true]]");
    /* 13 distinct elements grow the table to 32 buckets: 16 comes after 1 */
    expect_stack("[ 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 ] UNIQUE",
                 "[[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]]");
    expect_stack("[ 17 1 ] UNIQUE", "[[17,1]]"); /* same bucket of 16: insertion order */
    /* List.hashCode and AbstractMap.hashCode: [ 0 ] is 31, { 'a' 1 } is 97 ^ 1 = 96 */
    expect_stack("[ [ 0 ] { 'a' 1 } 'é' ] UNIQUE", "[[{\"a\":1},\"\\u00E9\",[0]]]");
    /* no Java hash for a macro: the order is kept */
    expect_stack("[ 2 <% %> 1 ] UNIQUE SIZE", "[3]");
    expect_stack("[ [ 1 ] [ 1 ] ] UNIQUE", "[[[1]]]");
    expect_stack("[] UNIQUE", "[[]]");
    expect_stack("[ NaN NaN ] UNIQUE", "[[NaN]]");
    expect_error("1 UNIQUE", "UNIQUE expects a LIST at depth 1, got LONG.", "[1]");
}

Test(list, flatten)
{
    expect_stack("[ 1 [ 2 [ 3 4 ] ] ] FLATTEN", "[[1,2,3,4]]");
    expect_stack("[ [] [ [] ] ] FLATTEN", "[[]]");
    expect_stack("[ 1 2 ] 'l' STORE $l FLATTEN DROP $l", "[[1,2]]");
    expect_stack("1 FLATTEN", "[1]");
    expect_stack("{ 'a' [ 1 ] } FLATTEN", "[{\"a\":[1]}]");
}

/* 100,000 nested `[`: building, measuring, flattening and dropping it must
 * not recurse on the C stack. */
Test(list, deep_nesting)
{
    const size_t depth = 100000;
    size_t len = depth * 4 + 64;
    char *src = malloc(len), *p = src;
    cr_assert_not_null(src);
    for (size_t i = 0; i < depth; i++)
        p += sprintf(p, "[ ");
    p += sprintf(p, "1 ");
    for (size_t i = 0; i < depth; i++)
        p += sprintf(p, "] ");
    sprintf(p, "DUP SIZE SWAP 0 GET 0 GET SIZE");
    expect_stack(src, "[1,1]");
    /* the whole nest can also be released */
    sprintf(p, "DROP 'done'");
    expect_stack(src, "[\"done\"]");
    free(src);
}

/* A list containing itself is caught by FLATTEN's nesting bound. */
/* FLATTEN.java stops at 16 levels: a scalar inside 15 lists flattens, inside
 * 16 it fails; so does an empty list at depth 17 but not at 16. */
Test(list, flatten_nesting_limit)
{
    char src[256], *p;
    const struct {
        int lists;
        const char *inner, *want;
    } cases[] = {{15, "1", "[[1]]"}, {16, "", "[[]]"}};
    for (size_t c = 0; c < 2; c++) {
        p = src;
        for (int i = 0; i < cases[c].lists; i++)
            p += sprintf(p, "[ ");
        p += sprintf(p, "%s ", cases[c].inner);
        for (int i = 0; i < cases[c].lists; i++)
            p += sprintf(p, "] ");
        sprintf(p, "FLATTEN");
        expect_stack(src, cases[c].want);
    }
    p = src;
    for (int i = 0; i < 16; i++)
        p += sprintf(p, "[ ");
    p += sprintf(p, "1 ");
    for (int i = 0; i < 16; i++)
        p += sprintf(p, "] ");
    sprintf(p, "FLATTEN");
    exo_vm *vm = h_vm();
    cr_assert_neq(exo_eval(vm, src, strlen(src), "test"), EXO_OK);
    cr_assert_str_eq(exo_last_error(vm)->message, "FLATTEN cannot flatten lists nested more than 16 levels.");
    exo_vm_free(vm);
}

Test(list, flatten_cycle)
{
    exo_vm *vm = h_vm();
    const char *src = "[ 0 ] 'l' STORE $l $l 0 SET DROP $l FLATTEN";
    cr_assert_neq(exo_eval(vm, src, strlen(src), "test"), EXO_OK);
    cr_assert(strstr(exo_last_error(vm)->message, "FLATTEN cannot flatten lists nested more than"));
    cr_assert_eq(exo_depth(vm), 1);
    exo_vm_free(vm);
}

/* ---- sorting ---- */

Test(list, lsort)
{
    expect_stack("[ 3 1 2 ] LSORT", "[[1,2,3]]");
    expect_stack("[ 3 1.5 2 NaN -0.0 0.0 ] LSORT", "[[-0.0,0.0,1.5,2,3,NaN]]");
    expect_stack("[ 'b' 'ab' 'a' '' ] LSORT", "[[\"\",\"a\",\"ab\",\"b\"]]");
    expect_stack("[ true false ] LSORT", "[[false,true]]");
    expect_stack("[] LSORT [ [ 1 ] ] LSORT", "[[[1]],[]]");
    expect_stack("[ 3 1 2 ] 'l' STORE $l LSORT DROP $l", "[[1,2,3]]");
    expect_error("[ 1 'a' ] LSORT", "LSORT cannot compare LONG with STRING.", "[[1,\"a\"]]");
    expect_error("[ [ 1 ] [ 2 ] ] LSORT", "LSORT cannot compare LIST with LIST.", "[[[1],[2]]]");
    expect_error("[ 1 NULL ] LSORT", "LSORT cannot compare LONG with NULL.", "[[1,null]]");
    expect_error("1 LSORT", "LSORT expects a LIST at depth 1, got LONG.", "[1]");
}

Test(list, sortby)
{
    expect_stack("[ 'bb' 'a' 'ccc' ] <% SIZE %> SORTBY", "[[\"a\",\"bb\",\"ccc\"]]");
    /* stable: equal keys keep their order */
    expect_stack("[ 'b1' 'a1' 'b2' 'a2' ] <% 0 GET %> SORTBY", "[[\"a1\",\"a2\",\"b1\",\"b2\"]]");
    expect_stack("[ [ 2 'x' ] [ 1.5 'y' ] ] <% 0 GET %> SORTBY", "[[[1.5,\"y\"],[2,\"x\"]]]");
    expect_stack("[ 3 1 2 ] 'l' STORE $l <% %> SORTBY DROP $l", "[[1,2,3]]");
    expect_stack("[] <% %> SORTBY", "[[]]");
    expect_stack("{ 'x' 3 'y' 1 } <% SWAP DROP %> SORTBY", "[{\"y\":1,\"x\":3}]");
    expect_error("[ 1 2 ] <% DROP NULL %> SORTBY",
                 "SORTBY expects its macro to return a LONG, DOUBLE or STRING consistently, got NULL.", "[]");
    expect_error("[ 1 'a' ] <% %> SORTBY", "consistently, got STRING.", "[]");
    expect_error("[ 1 ] 1 SORTBY", "SORTBY expects a MACRO at depth 1, got LONG.", "[1,[1]]");
    expect_error("1 <% %> SORTBY", "SORTBY expects a LIST or MAP at depth 2, got LONG.", "[\"<% %>\",1]");
    /* the macro empties the list meanwhile */
    expect_error("[ 2 1 ] 'l' STORE $l <% $l 0 REMOVE DROP DROP %> SORTBY",
                 "SORTBY failed: the list was modified while it was being sorted.", "[]");
}

Test(list, sortwith)
{
    /* comparator: the macro leaves 0 (all equal): order kept */
    expect_stack("[ 3 1 2 ] <% DROP DROP 0 %> SORTWITH", "[[3,1,2]]");
    /* a b -> -1 when a <= b (LSORT of [a b] starts with a), else 1 */
    expect_stack("[ 3 1 2 ] <% 2 ->LIST CLONE LSORT 0 GET SWAP 0 GET 2 ->LIST UNIQUE SIZE "
                 "[ 1 ] SWAP CONTAINS SWAP DROP <% -1 %> <% 1 %> IFTE %> SORTWITH",
                 "[[1,2,3]]");
    expect_stack("[ 3 1 4 2 ] 'l' STORE $l <% 2 ->LIST CLONE LSORT 0 GET SWAP 0 GET 2 ->LIST UNIQUE SIZE "
                 "[ 1 ] SWAP CONTAINS SWAP DROP <% 1 %> <% -1 %> IFTE %> SORTWITH DROP $l",
                 "[[4,3,2,1]]");
    expect_stack("[] <% 1 %> SORTWITH", "[[]]");
    expect_error("[ 2 1 ] <% DROP DROP 'x' %> SORTWITH",
                 "SORTWITH expects its comparator macro to return a LONG, got STRING.", "[]");
    expect_error("{} <% %> SORTWITH", "SORTWITH expects a LIST at depth 2, got MAP.", "[\"<% %>\",{}]");
}

/* ---- macro-driven words ---- */

Test(list, lmap)
{
    expect_stack("[ 1 2 3 ] <% DROP DROP 'x' %> LMAP", "[[\"x\",\"x\",\"x\"]]");
    expect_stack("[ 1 2 3 ] <% DROP 'x' %> LMAP", "[[\"x\",\"x\",\"x\"],3,2,1]");
    expect_stack("[ 1 2 3 ] <% %> LMAP", "[[0,1,2],3,2,1]"); /* the index trap */
    expect_stack("[ 1 2 ] <% %> F LMAP", "[[1,2]]");
    expect_stack("[ 1 2 ] <% DROP %> T LMAP", "[[1,2]]");
    expect_stack("[] <% %> LMAP", "[[]]");
    /* elements removed by the macro are not visited; appended ones neither */
    expect_stack("[ 1 2 3 4 ] 'l' STORE $l <% DROP DROP $l 0 REMOVE SWAP DROP %> LMAP $l", "[[3,4],[1,2]]");
    expect_stack("[ 1 2 ] 'l' STORE $l <% DROP DROP $l [ 0 ] APPEND DROP 7 %> LMAP $l", "[[1,2,0,0],[7,7]]");
    expect_error("[ 1 ] <% DROP DROP %> LMAP", "Empty stack.", "[]");
    expect_error("[ 1 ] 1 LMAP", "LMAP expects a MACRO at depth 1, got LONG.", "[1,[1]]");
    expect_error("[ 1 ] 1 T LMAP", "LMAP expects a MACRO at depth 2, got LONG.", "[true,1,[1]]");
    expect_error("1 <% %> LMAP", "LMAP expects a LIST at depth 2, got LONG.", "[\"<% %>\",1]");
}

Test(list, lflatmap)
{
    expect_stack("[ 1 2 ] <% DROP DUP 2 ->LIST %> LFLATMAP", "[[1,1,2,2]]");
    expect_stack("[ 1 [ 2 ] ] <% DROP %> LFLATMAP", "[[1,2]]");
    expect_stack("[ 1 2 ] <% [] %> F LFLATMAP", "[[],2,1]");
    expect_error("1 <% %> LFLATMAP", "LFLATMAP expects a LIST at depth 2, got LONG.", "[\"<% %>\",1]");
}

Test(list, lfilter_filterby)
{
    /* keep the elements found in [ 1 3 ] */
    expect_stack("[ 1 2 3 ] <% 'k' STORE [ 1 3 ] $k CONTAINS SWAP DROP %> F LFILTER", "[[1,3]]");
    expect_stack("[ 1 2 3 ] <% SWAP DROP [ 0 2 ] SWAP CONTAINS SWAP DROP %> LFILTER", "[[1,3]]");
    expect_stack("[ 1 2 3 ] <% 'k' STORE [ 2 ] $k CONTAINS SWAP DROP %> FILTERBY", "[[2]]");
    expect_stack("[] <% %> FILTERBY", "[[]]");
    expect_error("[ 1 ] <% %> F LFILTER", "LFILTER expects its macro to leave a BOOLEAN, got LONG.", "[]");
    expect_error("[ 1 ] <% %> FILTERBY", "FILTERBY expects its macro to leave a BOOLEAN, got LONG.", "[]");
    expect_error("[ 1 ] T FILTERBY", "FILTERBY expects a MACRO at depth 1, got BOOLEAN.", "[true,[1]]");
}

Test(list, groupby)
{
    expect_stack("[ 1 2 1 3 ] <% %> GROUPBY", "[[[1,[1,1]],[2,[2]],[3,[3]]]]");
    /* the groups come out in java.util.HashMap order (GROUPBY.java), not first-seen order */
    expect_stack("[ 'ab' 'c' 'de' ] <% SIZE %> GROUPBY", "[[[1,[\"c\"]],[2,[\"ab\",\"de\"]]]]");
    expect_stack("[ 1 2 3 4 ] <% 2 % %> GROUPBY", "[[[0,[2,4]],[1,[1,3]]]]");
    expect_stack("[ 'z' 'y' 'x' ] <% %> GROUPBY", "[[[\"x\",[\"x\"]],[\"y\",[\"y\"]],[\"z\",[\"z\"]]]]");
    expect_stack("[ 16 1 ] <% %> GROUPBY", "[[[16,[16]],[1,[1]]]]"); /* 16 lands in bucket 0 */
    expect_stack("[ 1 16 ] <% %> GROUPBY", "[[[16,[16]],[1,[1]]]]");
    expect_stack("[] <% %> GROUPBY", "[[]]");
    expect_error("[ 1 ] 1 GROUPBY", "GROUPBY expects a MACRO at depth 1, got LONG.", "[1,[1]]");
}

/* ---- slicing and generating ---- */

Test(list, sublist)
{
    const char *l = "[ 'a' 'b' 'c' 'd' 'e' 'f' 'g' 'h' 'i' 'j' ] ";
    char src[256];
#define SUB(args, json)                                                                            \
    do {                                                                                           \
        snprintf(src, sizeof src, "%s%s SUBLIST", l, args);                                       \
        expect_stack(src, json);                                                                   \
    } while (0)
    SUB("[ 0 2 4 -4 -2 ]", "[[\"a\",\"c\",\"e\",\"g\",\"i\"]]");
    SUB("[ 0 2 ]", "[[\"a\",\"b\",\"c\"]]");
    SUB("[ 2 0 ]", "[[\"a\",\"b\",\"c\"]]");
    SUB("[ -2 -1 ]", "[[\"i\",\"j\"]]");
    SUB("[ 8 100 ]", "[[\"i\",\"j\"]]");
    SUB("[ -100 1 ]", "[[\"a\",\"b\"]]");
    SUB("[ -20 -15 ]", "[[]]");
    SUB("[ 10 20 ]", "[[]]");
    SUB("[ 1 ]", "[[\"b\"]]");
    SUB("[ ]", "[[]]");
    SUB("[ 3 3 3 ]", "[[\"d\",\"d\",\"d\"]]");
    SUB("7", "[[\"h\",\"i\",\"j\"]]");
    SUB("-2", "[[\"i\",\"j\"]]");
    SUB("1 3", "[[\"b\",\"c\",\"d\"]]");
    SUB("0 9 3", "[[\"a\",\"d\",\"g\",\"j\"]]");
#undef SUB
    expect_stack("[] [ 0 1 ] SUBLIST", "[[]]");
    expect_stack("[ 1 2 3 ] 'l' STORE $l [ 0 0 ] SUBLIST 9 0 SET DROP $l", "[[1,2,3]]");
    expect_error("[ 1 2 ] [ 0 5 1 ] SUBLIST", "SUBLIST failed. Index out of bound, 5 >= 2.", "[[0,5,1],[1,2]]");
    expect_error("[ 1 2 ] [ 0 'a' ] SUBLIST", "SUBLIST expects a LIST of LONG indexes, got STRING.",
                 "[[0,\"a\"],[1,2]]");
    expect_error("[ 1 2 ] 0 1 0 SUBLIST", "SUBLIST expects a step > 0, got 0.", "[0,1,0,[1,2]]");
    expect_error("1 [ 0 ] SUBLIST", "SUBLIST expects a LIST at depth 2, got LONG.", "[[0],1]");
    expect_error("'a' 1 SUBLIST", "SUBLIST expects a LIST at depth 2, got STRING.", "[1,\"a\"]");
    expect_error("1 2 3 4 SUBLIST", "SUBLIST expects a LIST at depth 4, got LONG.", "[4,3,2,1]");
    expect_error("1 2 SUBLIST", "Empty stack.", "[2,1]");
    expect_error("[ 1 ] 'a' SUBLIST", "SUBLIST expects a LIST of indexes or a LONG at depth 1, got STRING.",
                 "[\"a\",[1]]");
}

Test(list, range)
{
    expect_stack("[ 5 ] RANGE", "[[0,1,2,3,4]]");
    expect_stack("[ 2 5 ] RANGE", "[[2,3,4]]");
    expect_stack("[ 1 10 3 ] RANGE", "[[1,4,7]]");
    expect_stack("[ -2 1 ] RANGE", "[[-2,-1,0]]");
    expect_stack("[ 5 1 ] RANGE", "[[]]");
    expect_stack("[ 0 ] RANGE", "[[]]");
    expect_stack("[ 0 3.9 ] RANGE", "[[0,1,2]]");
    expect_error("[ 0 5 0 ] RANGE", "RANGE step must be > 0, got 0.", "[[0,5,0]]");
    expect_error("[] RANGE", "RANGE expects a LIST of 1 to 3 parameters, got 0.", "[[]]");
    expect_error("[ 1 2 3 4 ] RANGE", "RANGE expects a LIST of 1 to 3 parameters, got 4.", "[[1,2,3,4]]");
    expect_error("[ 'a' ] RANGE", "RANGE expects LONG parameters, got STRING.", "[[\"a\"]]");
    expect_error("5 RANGE", "RANGE expects a LIST at depth 1, got LONG.", "[5]");
}

Test(list, range_limit)
{
    exo_config cfg;
    exo_config_init(&cfg);
    cfg.limits.maxlist = 10;
    exo_vm *vm = exo_vm_new(&cfg);
    const char *src = "[ 0 100 ] RANGE";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "test"), EXO_ERR_LIMIT);
    cr_assert(strstr(exo_last_error(vm)->message, "maxlist"));
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[[0,100]]");
    exo_vm_free(vm);
}

Test(list, zip)
{
    expect_stack("[ [ 1 2 3 ] [ 4 5 6 ] [ 7 ] [ 8 9 10 ] ] ZIP", "[[[1,4,7,8],[2,5,7,9],[3,6,7,10]]]");
    expect_stack("[ [ 1 ] [ 2 ] ] ZIP", "[[[1,2]]]");
    expect_stack("[ [ 1 2 ] ] ZIP", "[[[1],[2]]]");
    expect_stack("[] ZIP", "[[]]");
    expect_stack("[ [] [ 1 ] ] ZIP", "[[]]");
    expect_error("[ [ 1 2 ] [ 1 2 3 ] ] ZIP", "ZIP expects lists of the same size (or of size 1), got sizes 2 and 3.",
                 "[[[1,2],[1,2,3]]]");
    expect_error("[ [ 1 ] 2 ] ZIP", "ZIP expects a LIST of LISTs, got a LONG inside.", "[[[1],2]]");
    expect_error("1 ZIP", "ZIP expects a LIST of LISTs at depth 1, got LONG.", "[1]");
}

Test(list, indexof)
{
    expect_stack("[ 1 2 1 ] 1 0 INDEXOF", "[[0,2]]");
    expect_stack("[ 1 2 1 ] 1 1 INDEXOF", "[[0]]");
    expect_stack("[ 1 2 1 ] 1.0 0 INDEXOF", "[[]]");
    expect_stack("{ 'a' 1 'b' 2 'c' 1 } 1 -1 INDEXOF", "[[\"a\",\"c\"]]");
    expect_stack("'abcabc' 'bc' 0 INDEXOF", "[[1,4]]");
    expect_stack("'h%C3%A9h%C3%A9' 'h' 0 INDEXOF", "[[0,2]]");
    expect_stack("'ab' '' 0 INDEXOF", "[[0,1,2]]");
    expect_stack("'ab' 'abc' 0 INDEXOF", "[[]]");
    expect_error("[ 1 ] 1 'a' INDEXOF", "INDEXOF expects a LONG at depth 1, got STRING.", "[\"a\",1,[1]]");
    expect_error("'ab' 1 0 INDEXOF", "INDEXOF expects a STRING at depth 2, got LONG.", "[0,1,\"ab\"]");
    expect_error("1 1 0 INDEXOF", "INDEXOF expects a LIST, MAP, STRING or BYTES at depth 3, got LONG.", "[0,1,1]");
}

/* Every allocation failing in turn: an error or success, never a crash,
 * and no reference leaks: once the stack is cleared, the memory in use
 * is back to its level before the run. */
Test(list, out_of_memory)
{
    const char *src = "[ 3 1 2 ] LSORT [ 1 [ 2 [ 3 ] ] ] FLATTEN APPEND UNIQUE ( 1 1 2 ) APPEND "
                      "<% DROP 1 ->LIST %> LFLATMAP <% %> GROUPBY [ [ 1 2 ] [ 3 ] ] ZIP APPEND [ 0 10 ] RANGE "
                      "APPEND <% DROP 1 %> SORTBY CLONE CLONEREVERSE [ 1 3 ] SUBLIST 'h%C3%A9' REVERSE 0 GET "
                      "{ 'a' 1 } CLONE { 'b' 2 } APPEND 3 ->LIST [ 'x' 1 ] <% DROP DROP 0 %> SORTWITH "
                      "1 0 INDEXOF CLEAR";
    oom_sweep(src, OOM_STRICT);
}
