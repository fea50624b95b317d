/* Map words (builtins/map.c) and the polymorphic words on maps: results,
 * insertion order, in-place mutation seen through variables, empty maps,
 * and every error with the stack left unchanged. */
#include "harness.h"
#include "oom.h"

#include "vm.h"

Test(map, braces)
{
    expect_stack("{ 'a' 1 'b' 2 }", "[{\"a\":1,\"b\":2}]");
    expect_stack("{ 'b' 1 'a' 2 }", "[{\"b\":1,\"a\":2}]"); /* insertion order */
    expect_stack("{ }", "[{}]");
    expect_stack("{}", "[{}]");
    expect_stack("{ 1 'x' 1.0 'y' }", "[{\"1\":\"x\",\"1.0\":\"y\"}]"); /* 1 and 1.0 differ */
    expect_stack("{ 'l' [ 1 { 'n' NULL } ] }", "[{\"l\":[1,{\"n\":null}]}]");
    expect_error("{ 1 }", "Odd number of elements, cannot create map.", "[1,null]");
    expect_error("{ 'a' 1 'a' 2 }", "Duplicate map key 'a'", "[2,\"a\",1,\"a\",null]");
    expect_error("{ 7 1 7 2 }", "Duplicate map key '7'", "[2,7,1,7,null]");
    expect_error("{ 1.5 1 1.5 2 }", "Duplicate map key '1.5'", "[2,1.5,1,1.5,null]");
    expect_error("{ NULL 1 NULL 2 }", "Duplicate map key 'null'", "[2,null,1,null,null]");
    expect_error("1 }", "Cannot find a matching start of map.", "[1]");
}

Test(map, tomap)
{
    expect_stack("'a' 1 'b' 2 4 ->MAP", "[{\"a\":1,\"b\":2}]");
    expect_stack("'a' 1 'a' 2 4 ->MAP", "[{\"a\":2}]"); /* the last value wins */
    expect_stack("9 0 ->MAP", "[{},9]");
    expect_error("'a' 1 3 ->MAP", "->MAP expects an even, non-negative count, got 3.", "[3,1,\"a\"]");
    expect_error("'a' 1 -2 ->MAP", "->MAP expects an even, non-negative count, got -2.", "[-2,1,\"a\"]");
    expect_error("'a' 1 4 ->MAP", "Empty stack.", "[4,1,\"a\"]");
    expect_error("'a' ->MAP", "->MAP expects a LONG count at depth 1, got STRING.", "[\"a\"]");
}

Test(map, mapto_unmap)
{
    expect_stack("{ 'a' 1 } MAP->", "[2,1,\"a\"]");
    expect_stack("{ 'a' 1 'b' 2 } MAP->", "[4,2,\"b\",1,\"a\"]");
    expect_stack("{} MAP->", "[0]");
    expect_stack("{ 'a' 1 'b' 2 } MAP-> ->MAP", "[{\"a\":1,\"b\":2}]");
    expect_stack("{ 'a' 1 } UNMAP", "[1,\"a\",null]");
    expect_stack("{ 'a' 1 } UNMAP }", "[{\"a\":1}]");
    expect_error("[ 1 ] MAP->", "MAP-> expects a MAP at depth 1, got LIST.", "[[1]]");
    expect_error("1 UNMAP", "UNMAP expects a MAP at depth 1, got LONG.", "[1]");
}

Test(map, keylist_valuelist)
{
    expect_stack("{ 'b' 1 'a' 2 } KEYLIST { 'b' 1 'a' 2 } VALUELIST", "[[1,2],[\"b\",\"a\"]]");
    expect_stack("{} KEYLIST {} VALUELIST", "[[],[]]");
    expect_error("[] KEYLIST", "KEYLIST expects a MAP at depth 1, got LIST.", "[[]]");
    expect_error("[] VALUELIST", "VALUELIST expects a MAP at depth 1, got LIST.", "[[]]");
}

Test(map, submap)
{
    expect_stack("{ 'a' 1 'b' 2 'c' 3 } [ 'c' 'a' 'z' ] SUBMAP", "[{\"c\":3,\"a\":1}]");
    expect_stack("{ 'a' 1 } [] SUBMAP", "[{}]");
    expect_stack("{ 'a' 1 } 'm' STORE $m [ 'a' ] SUBMAP 2 'b' PUT DROP $m", "[{\"a\":1}]");
    expect_error("{ 'a' 1 } 'a' SUBMAP", "SUBMAP expects a LIST of keys at depth 1, got STRING.", "[\"a\",{\"a\":1}]");
    expect_error("[] [] SUBMAP", "SUBMAP expects a MAP at depth 2, got LIST.", "[[],[]]");
}

Test(map, mmap)
{
    expect_stack("{ 'a' 1 'b' 2 } <% DROP %> MMAP", "[{\"a\":1,\"b\":2}]");
    expect_stack("{ 'a' 1 'b' 2 } <% SWAP %> F MMAP", "[{\"1\":\"a\",\"2\":\"b\"}]");
    expect_stack("{ 'a' 1 'b' 2 } <% SWAP DROP %> MMAP", "[{\"a\":0,\"b\":1}]"); /* key value index */
    expect_stack("{ 'a' 1 'b' 2 } <% DROP DROP DROP 'k' 0 %> MMAP", "[{\"k\":0}]");
    expect_stack("{} <% %> MMAP", "[{}]");
    expect_error("{ 'a' 1 } <% DROP DROP DROP 5 %> MMAP", "Empty stack.", "[]");
    expect_error("{ 'a' 1 } 1 MMAP", "MMAP expects a MACRO at depth 1, got LONG.", "[1,{\"a\":1}]");
    expect_error("[] <% %> T MMAP", "MMAP expects a MAP at depth 3, got LIST.", "[true,\"<% %>\",[]]");
}

Test(map, mfilter)
{
    /* keep the entries whose key is in [ 'a' ] */
    expect_stack("{ 'a' 1 'b' 2 } <% DROP DROP [ 'a' ] SWAP CONTAINS SWAP DROP %> MFILTER", "[{\"a\":1}]");
    expect_stack("{ 'a' 1 'b' 2 } <% SWAP DROP [ 2 ] SWAP CONTAINS SWAP DROP %> F MFILTER", "[{\"b\":2}]");
    expect_stack("{} <% %> MFILTER", "[{}]");
    expect_error("{ 'a' 1 } <% DROP DROP %> MFILTER", "MFILTER expects its macro to leave a BOOLEAN, got STRING.",
                 "[]");
    expect_error("1 <% %> MFILTER", "MFILTER expects a MAP at depth 2, got LONG.", "[\"<% %>\",1]");
}

Test(map, msort)
{
    expect_stack("{ 'b' 1 'a' 2 'c' 0 } MSORT", "[{\"a\":2,\"b\":1,\"c\":0}]");
    expect_stack("{ 3 'x' 1.5 'y' } MSORT", "[{\"1.5\":\"y\",\"3\":\"x\"}]");
    expect_stack("{} MSORT", "[{}]");
    expect_stack("{ 'b' 1 'a' 2 } 'm' STORE $m MSORT DROP $m", "[{\"b\":1,\"a\":2}]"); /* a new map */
    expect_error("{ 'a' 1 2 2 } MSORT", "MSORT cannot compare STRING with LONG.", "[{\"a\":1,\"2\":2}]");
    expect_error("[] MSORT", "MSORT expects a MAP at depth 1, got LIST.", "[[]]");
}

/* GET, PUT, REMOVE, APPEND, SIZE, CONTAINSKEY (list.c) on maps, with the
 * mutation visible through a variable. */
Test(map, polymorphic_words)
{
    expect_stack("{ 'a' 1 } 'm' STORE $m 2 'b' PUT DROP $m", "[{\"a\":1,\"b\":2}]");
    expect_stack("{ 'a' 1 'b' 2 } 'm' STORE $m 9 'a' PUT DROP $m", "[{\"a\":9,\"b\":2}]");
    expect_stack("{ 'a' 1 'b' 2 } 'm' STORE $m 'a' REMOVE DROP DROP $m 'a' 3 PUT", "[{\"b\":2,\"3\":\"a\"}]");
    expect_stack("{ 'a' 1 } 'm' STORE $m { 'b' 2 } APPEND DROP $m SIZE", "[2]");
    expect_stack("{ 'a' 1 } DUP APPEND", "[{\"a\":1}]");
    expect_stack("{ 'a' [ 1 2 ] } 'a' GET 1 GET", "[2]");
    expect_stack("{ 'a' 1 } 'a' CONTAINSKEY SWAP 'a' GET", "[1,true]");
    expect_stack("{ NULL 'n' } NULL GET", "[\"n\"]");
}

/* Many entries: the hashed index of larger maps. */
Test(map, large)
{
    expect_stack("{} 'm' STORE 0 999 <% 'i' STORE $m $i $i PUT DROP %> FOR $m SIZE $m 500 GET $m 1000 GET "
                 "$m 500 REMOVE DROP DROP $m SIZE $m 499 CONTAINSKEY SWAP DROP $m 500 CONTAINSKEY SWAP DROP",
                 "[false,true,999,null,500,1000]");
}

Test(map, out_of_memory)
{
    const char *src = "{ 'a' 1 'b' 2 } 'x' 3 2 ->MAP APPEND DUP MAP-> ->MAP KEYLIST DROP { 'c' 0 } UNMAP } "
                      "APPEND MSORT <% DROP %> MMAP <% DROP DROP DROP T %> MFILTER [ 'a' 'c' ] SUBMAP "
                      "<% DROP %> SORTBY CLONE CLEAR";
    oom_sweep(src, OOM_STRICT);
}
