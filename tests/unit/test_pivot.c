/* PIVOT and PIVOTSTRICT. The expected results were worked out by hand from
 * Warp 10's PIVOT.java (the walk over the labeling ticks, String.valueOf
 * label values, attributes copied, inputs sorted in place); the order of
 * the result lists is the iteration order of the java.util.HashMap keyed
 * by {null: class, labels..} PIVOT.java builds, checked with a real JVM
 * (HashMap<Map<String,String>,..> filled in the same insertion order). */
#include "harness.h"
#include "oom.h"

/* temp{room=a}: 10:1 20:2 30:3 40:4; mode: 10:'on' 30:'off' */
#define TEMP_MODE                                                                                  \
    "NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE " \
    "30 NaN NaN NaN 3 ADDVALUE 40 NaN NaN NaN 4 ADDVALUE 'g' STORE "                                \
    "NEWGTS 'mode' RENAME 10 NaN NaN NaN 'on' ADDVALUE 30 NaN NaN NaN 'off' ADDVALUE 'm' STORE "

#define ON "{\"c\":\"temp\",\"l\":{\"room\":\"a\",\"mode\":\"on\"},\"a\":{},\"la\":0,\"v\":[[10,1]]}"
#define OFF "{\"c\":\"temp\",\"l\":{\"room\":\"a\",\"mode\":\"off\"},\"a\":{},\"la\":0,\"v\":[[30,3]]}"

Test(pivot, strict_drops_ticks_without_labels)
{
    /* 20 and 40 have no 'mode' value: dropped */
    expect_stack(TEMP_MODE "[ $g ] [ $m ] PIVOTSTRICT", "[[" ON "," OFF "]]");
}

Test(pivot, loose_keeps_unlabeled_points)
{
    /* 20 and 40 go to a series with the original labels only; HashMap order */
    expect_stack(TEMP_MODE "[ $g ] [ $m ] PIVOT",
                 "[[" ON "," OFF ",{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[20,2],[40,4]]}]]");
}

/* A: 10:'x' 20:'y'; B: 20:1 30:2; v: added newest first */
#define TWO_LABELING                                                                               \
    "NEWGTS 'A' RENAME 10 NaN NaN NaN 'x' ADDVALUE 20 NaN NaN NaN 'y' ADDVALUE 'a' STORE "          \
    "NEWGTS 'B' RENAME 30 NaN NaN NaN 2 ADDVALUE 20 NaN NaN NaN 1 ADDVALUE 'b' STORE "              \
    "NEWGTS 'v' RENAME 40 NaN NaN NaN 4.5 ADDVALUE 30 NaN NaN NaN 3.5 ADDVALUE "                   \
    "20 NaN NaN NaN 2.5 ADDVALUE 10 NaN NaN NaN 1.5 ADDVALUE 'g' STORE "

Test(pivot, loose_union_of_labeling_ticks)
{
    /* 10: A only; 20: A and B; 30: B only; 40: none. The input is sorted in place. */
    expect_stack(TWO_LABELING "[ $g ] [ $a $b ] PIVOT $g",
                 "[{\"c\":\"v\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[10,1.5],[20,2.5],[30,3.5],[40,4.5]]},"
                 "[{\"c\":\"v\",\"l\":{\"A\":\"y\",\"B\":\"1\"},\"a\":{},\"la\":0,\"v\":[[20,2.5]]},"
                 "{\"c\":\"v\",\"l\":{\"B\":\"2\"},\"a\":{},\"la\":0,\"v\":[[30,3.5]]},"
                 "{\"c\":\"v\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[40,4.5]]},"
                 "{\"c\":\"v\",\"l\":{\"A\":\"x\"},\"a\":{},\"la\":0,\"v\":[[10,1.5]]}]]");
}

Test(pivot, strict_needs_every_labeling_series)
{
    expect_stack(TWO_LABELING "[ $g ] [ $a $b ] PIVOTSTRICT",
                 "[[{\"c\":\"v\",\"l\":{\"A\":\"y\",\"B\":\"1\"},\"a\":{},\"la\":0,\"v\":[[20,2.5]]}]]");
    /* labeling order does not change the result */
    expect_stack(TWO_LABELING "[ $g ] [ $b $a ] PIVOTSTRICT 0 GET LABELS",
                 "[{\"B\":\"1\",\"A\":\"y\"}]");
}

Test(pivot, label_values_as_java_prints_them)
{
    /* DOUBLE 1.0E7 and BOOLEAN true as String.valueOf writes them; location,
     * elevation and attributes kept */
    expect_stack("NEWGTS 'd' RENAME 1 NaN NaN NaN 1.0E7 ADDVALUE 'd' STORE "
                 "NEWGTS 'b' RENAME 1 NaN NaN NaN true ADDVALUE 'b' STORE "
                 "NEWGTS 'x' RENAME { 'u' 'kw' } SETATTRIBUTES 1 48.85 2.35 10 'p' ADDVALUE 'x' STORE "
                 "[ $x ] [ $d $b ] PIVOTSTRICT",
                 "[[{\"c\":\"x\",\"l\":{\"d\":\"1.0E7\",\"b\":\"true\"},\"a\":{\"u\":\"kw\"},\"la\":0,"
                 "\"v\":[[1,48.8499999884516,2.3499999940395355,10,\"p\"]]}]]");
    expect_stack("NEWGTS 'n' RENAME 1 NaN NaN NaN -3 ADDVALUE 'n' STORE "
                 "NEWGTS 'x' RENAME 1 NaN NaN NaN 0.5 ADDVALUE 'x' STORE [ $x ] [ $n ] PIVOT 0 GET LABELS",
                 "[{\"n\":\"-3\"}]");
}

Test(pivot, same_metadata_series_share_a_result)
{
    /* both 'c' series land in c{L=x} at 10, in input order; g2's 20 comes
     * after the labeling ticks: unlabeled */
    expect_stack("NEWGTS 'c' RENAME 10 NaN NaN NaN 1 ADDVALUE 'g1' STORE "
                 "NEWGTS 'c' RENAME 10 NaN NaN NaN 2 ADDVALUE 20 NaN NaN NaN 5 ADDVALUE 'g2' STORE "
                 "NEWGTS 'L' RENAME 10 NaN NaN NaN 'x' ADDVALUE 'l' STORE [ $g1 $g2 ] [ $l ] PIVOT",
                 "[[{\"c\":\"c\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[20,5]]},"
                 "{\"c\":\"c\",\"l\":{\"L\":\"x\"},\"a\":{},\"la\":0,\"v\":[[10,1],[10,2]]}]]");
}

Test(pivot, strict_without_common_tick_is_empty)
{
    expect_stack("NEWGTS 'A' RENAME 1 NaN NaN NaN 1 ADDVALUE 'a' STORE NEWGTS 'B' RENAME 2 NaN NaN NaN 1 ADDVALUE 'b' STORE "
                 "NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 2 ADDVALUE 'g' STORE [ $g ] [ $a $b ] PIVOTSTRICT",
                 "[[]]");
}

Test(pivot, result_order_is_java_hashmap_order)
{
    /* 20 results (the HashMap grows from 16 to 32 buckets) */
    expect_stack("NEWGTS 'x' RENAME 0 19 <% 'i' STORE $i NaN NaN NaN $i ADDVALUE %> FOR 'g' STORE "
                 "NEWGTS 'k' RENAME 0 19 <% 'i' STORE $i NaN NaN NaN 'v' $i TOSTRING + ADDVALUE %> FOR 'k' STORE "
                 "[ $g ] [ $k ] PIVOTSTRICT <% DROP LABELS 'k' GET %> LMAP",
                 "[[\"v9\",\"v8\",\"v7\",\"v6\",\"v1\",\"v15\",\"v0\",\"v16\",\"v13\",\"v14\",\"v5\",\"v19\","
                 "\"v4\",\"v3\",\"v17\",\"v2\",\"v18\",\"v11\",\"v12\",\"v10\"]]");
    expect_stack("NEWGTS 'x' RENAME 1 5 <% 'i' STORE $i NaN NaN NaN $i ADDVALUE %> FOR 'g' STORE "
                 "NEWGTS 'k' RENAME 1 NaN NaN NaN 'a' ADDVALUE 2 NaN NaN NaN 'b' ADDVALUE 3 NaN NaN NaN 'c' ADDVALUE "
                 "4 NaN NaN NaN 'd' ADDVALUE 5 NaN NaN NaN 'e' ADDVALUE 'k' STORE "
                 "[ $g ] [ $k ] PIVOT <% DROP LABELS 'k' GET %> LMAP",
                 "[[\"c\",\"b\",\"a\",\"e\",\"d\"]]");
}

/* ---- errors: message, stack unchanged ---- */

#define G "NEWGTS 'g' RENAME { 'room' 'a' } RELABEL 1 NaN NaN NaN 1 ADDVALUE 'g' STORE " \
          "NEWGTS 'm' RENAME 1 NaN NaN NaN 'x' ADDVALUE 'm' STORE "

Test(pivot_errors, labeling_list)
{
    check_error(G "[ $g ] 42", "PIVOT", "PIVOT expects a non empty list of labeling Geo Time Series.");
    check_error(G "[ $g ] [ ]", "PIVOTSTRICT", "PIVOTSTRICT expects a non empty list of labeling Geo Time Series.");
    check_error(G "[ $g ] [ $m 1 ]", "PIVOT", "PIVOT expects a list of labeling Geo Time Series.");
    check_error(G "[ $g ] [ $m NEWGTS 'e' RENAME ]", "PIVOT", "expects labeling Geo Time Series to be non empty.");
    check_error(G "[ $g ] [ $m $m CLONE ]", "PIVOT", "labeling Geo Time Series must all have different class names.");
}

Test(pivot_errors, series_list)
{
    check_error(G "$g [ $m ]", "PIVOT", "PIVOT operates on a non empty list of Geo Time Series.");
    check_error(G "[ ] [ $m ]", "PIVOT", "PIVOT operates on a non empty list of Geo Time Series.");
    check_error(G "[ $g 'x' ] [ $m ]", "PIVOT", "PIVOT operates on a list of Geo Time Series.");
    check_error(G "[ $g NEWGTS ] [ $m ]", "PIVOTSTRICT", "PIVOTSTRICT operates on non empty Geo Time Series.");
    check_error(G "[ $g ] [ $m NEWGTS 'room' RENAME 1 NaN NaN NaN 2 ADDVALUE ]", "PIVOT",
                "PIVOT labeling class 'room' is already a label of a Geo Time Series to label.");
    check_error("[ ]", "PIVOT", "Empty stack");
}

/* ---- RANGECOMPACT (GTSHelper.compact with preserveRanges = true) ---- */

Test(rangecompact, keeps_both_ends_of_runs)
{
    /* runs 1 1 1 | 2 2 2 | 3 | 4 4 4: the last run ends on the last point,
     * so 9000000 goes (the documentation page shows an older output) */
    expect_stack("NEWGTS 1000000 NaN NaN NaN 1.0 ADDVALUE 2000000 NaN NaN NaN 1.0 ADDVALUE 3000000 NaN NaN NaN 1.0 ADDVALUE "
                 "4000000 NaN NaN NaN 2.0 ADDVALUE 5000000 NaN NaN NaN 2.0 ADDVALUE 6000000 NaN NaN NaN 2.0 ADDVALUE "
                 "7000000 NaN NaN NaN 3.0 ADDVALUE 8000000 NaN NaN NaN 4.0 ADDVALUE 9000000 NaN NaN NaN 4.0 ADDVALUE "
                 "10000000 NaN NaN NaN 4.0 ADDVALUE RANGECOMPACT",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1000000,1.0],[3000000,1.0],[4000000,2.0],[6000000,2.0],"
                 "[7000000,3.0],[8000000,4.0],[10000000,4.0]]}]");
    expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 1 ADDVALUE 3 NaN NaN NaN 1 ADDVALUE 4 NaN NaN NaN 2 ADDVALUE "
                 "RANGECOMPACT VALUES",
                 "[[1,1,2]]");
    expect_stack("NEWGTS 1 NaN NaN NaN 7 ADDVALUE 2 NaN NaN NaN 7 ADDVALUE 3 NaN NaN NaN 7 ADDVALUE RANGECOMPACT TICKS",
                 "[[1,3]]");
}

Test(rangecompact, location_and_elevation_break_runs)
{
    expect_stack("NEWGTS 1 NaN NaN NaN 5 ADDVALUE 2 NaN NaN NaN 5 ADDVALUE 3 NaN NaN NaN 5 ADDVALUE 4 48.0 2.0 NaN 5 ADDVALUE "
                 "5 NaN NaN NaN 6 ADDVALUE RANGECOMPACT TICKS",
                 "[[1,3,4,5]]");
    expect_stack("NEWGTS 1 NaN NaN 3 5 ADDVALUE 2 NaN NaN 3 5 ADDVALUE 3 NaN NaN 4 5 ADDVALUE 4 NaN NaN 4 5 ADDVALUE "
                 "RANGECOMPACT TICKS",
                 "[[1,2,3,4]]");
}

Test(rangecompact, sorted_copy_input_untouched)
{
    /* points sorted by tick in the copy; the input keeps its order */
    expect_stack("NEWGTS 'x' RENAME 30 NaN NaN NaN 'a' ADDVALUE 10 NaN NaN NaN 'a' ADDVALUE 20 NaN NaN NaN 'a' ADDVALUE "
                 "40 NaN NaN NaN 'b' ADDVALUE DUP RANGECOMPACT",
                 "[{\"c\":\"x\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[10,\"a\"],[30,\"a\"],[40,\"b\"]]},"
                 "{\"c\":\"x\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[30,\"a\"],[10,\"a\"],[20,\"a\"],[40,\"b\"]]}]");
    expect_stack("NEWGTS 20 NaN NaN NaN T ADDVALUE 10 NaN NaN NaN T ADDVALUE RANGECOMPACT TICKS", "[[10,20]]");
    expect_stack("NEWGTS RANGECOMPACT", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]");
}

Test(rangecompact, list_and_errors)
{
    expect_stack("[ NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 1 ADDVALUE 3 NaN NaN NaN 1 ADDVALUE NEWGTS ] RANGECOMPACT "
                 "<% DROP SIZE %> LMAP",
                 "[[2,0]]");
    check_error("42", "RANGECOMPACT", "RANGECOMPACT");
    check_error("[ NEWGTS 1 ]", "RANGECOMPACT", "RANGECOMPACT");
}

/* ---- MONOTONIC (MONOTONIC.java: ratchet on the values, by tick) ---- */

#define LONGS "NEWGTS 1 NaN NaN NaN 3 ADDVALUE 2 NaN NaN NaN 1 ADDVALUE 3 NaN NaN NaN 4 ADDVALUE 4 NaN NaN NaN 1 ADDVALUE " \
              "5 NaN NaN NaN 5 ADDVALUE 6 NaN NaN NaN 9 ADDVALUE "

Test(monotonic, longs_both_ways)
{
    expect_stack(LONGS "false MONOTONIC VALUES", "[[3,3,4,4,5,9]]");
    expect_stack(LONGS "true MONOTONIC VALUES", "[[3,1,1,1,1,1]]");
}

Test(monotonic, sorts_input_keeps_geo_and_metadata)
{
    /* the input is sorted in place; location, elevation, class, labels,
     * attributes kept */
    expect_stack("NEWGTS 'c' RENAME { 'k' 'v' } RELABEL { 'a' 'b' } SETATTRIBUTES 3 NaN NaN NaN 5 ADDVALUE 1 NaN NaN 12 2 ADDVALUE "
                 "2 0.0 0.0 NaN 7 ADDVALUE DUP false MONOTONIC",
                 "[{\"c\":\"c\",\"l\":{\"k\":\"v\"},\"a\":{\"a\":\"b\"},\"la\":0,\"v\":[[1,12,2],[2,0.0,0.0,7],[3,7]]},"
                 "{\"c\":\"c\",\"l\":{\"k\":\"v\"},\"a\":{\"a\":\"b\"},\"la\":0,\"v\":[[1,12,2],[2,0.0,0.0,7],[3,5]]}]");
}

Test(monotonic, doubles_nan_never_taken)
{
    expect_stack("NEWGTS 1 NaN NaN NaN 1.5 ADDVALUE 2 NaN NaN NaN NaN ADDVALUE 3 NaN NaN NaN 0.5 ADDVALUE "
                 "4 NaN NaN NaN 2.5 ADDVALUE DUP false MONOTONIC VALUES SWAP true MONOTONIC VALUES",
                 "[[1.5,1.5,0.5,0.5],[1.5,1.5,1.5,2.5]]");
    expect_stack("NEWGTS 1 NaN NaN NaN NaN ADDVALUE 2 NaN NaN NaN 1.0 ADDVALUE DUP false MONOTONIC VALUES SWAP true MONOTONIC VALUES",
                 "[[Infinity,1.0],[-Infinity,1.0]]");
}

Test(monotonic, strings_and_booleans)
{
    expect_stack("NEWGTS 1 NaN NaN NaN 'b' ADDVALUE 2 NaN NaN NaN 'a' ADDVALUE 3 NaN NaN NaN 'c' ADDVALUE 4 NaN NaN NaN '' ADDVALUE "
                 "DUP false MONOTONIC VALUES SWAP true MONOTONIC VALUES",
                 "[[\"b\",\"a\",\"a\",\"\"],[\"b\",\"b\",\"c\",\"c\"]]");
    expect_stack("NEWGTS 1 NaN NaN NaN '' ADDVALUE 2 NaN NaN NaN '' ADDVALUE false MONOTONIC VALUES", "[[\"\",\"\"]]");
    /* String.compareTo order: U+1F600 (surrogates D83D DE00) sorts before U+FF21 */
    expect_stack("NEWGTS 1 NaN NaN NaN '\xef\xbc\xa1' ADDVALUE 2 NaN NaN NaN '\xf0\x9f\x98\x80' ADDVALUE "
                 "DUP false MONOTONIC VALUES 1 GET '\xef\xbc\xa1' == SWAP true MONOTONIC VALUES 1 GET '\xf0\x9f\x98\x80' ==",
                 "[true,true]");
    expect_stack("NEWGTS 1 NaN NaN NaN F ADDVALUE 2 NaN NaN NaN T ADDVALUE 3 NaN NaN NaN F ADDVALUE "
                 "DUP false MONOTONIC VALUES SWAP true MONOTONIC VALUES",
                 "[[false,false,false],[false,true,true]]");
    expect_stack("NEWGTS 1 NaN NaN NaN T ADDVALUE 2 NaN NaN NaN F ADDVALUE 3 NaN NaN NaN T ADDVALUE true MONOTONIC VALUES",
                 "[[true,false,false]]");
}

Test(monotonic, lists_empty_and_errors)
{
    expect_stack("[ " LONGS "NEWGTS ] false MONOTONIC <% DROP VALUES %> LMAP", "[[[3,3,4,4,5,9],[]]]");
    check_error(LONGS "1", "MONOTONIC", "MONOTONIC expects a boolean on top of the stack.");
    check_error("42 true", "MONOTONIC", "MONOTONIC");
    check_error("[ " LONGS "42 ] true", "MONOTONIC", "MONOTONIC");
}

/* ---- allocation failures: an error, never a crash or a leak ---- */

Test(pivot_oom, every_allocation_failing)
{
    oom_sweep(TWO_LABELING "[ $g ] [ $a $b ] PIVOT [ $g ] [ $a $b ] PIVOTSTRICT", OOM_WARM);
    oom_sweep("NEWGTS 'x' RENAME 0 19 <% 'i' STORE $i NaN NaN NaN $i ADDVALUE %> FOR 'g' STORE "
              "NEWGTS 'k' RENAME 0 19 <% 'i' STORE $i NaN NaN NaN 'v' $i TOSTRING + ADDVALUE %> FOR 'k' STORE "
              "[ $g ] [ $k ] PIVOT",
              OOM_WARM);
    oom_sweep(LONGS "RANGECOMPACT " LONGS "true MONOTONIC "
              "NEWGTS 1 NaN NaN NaN 'b' ADDVALUE 2 NaN NaN NaN 'a' ADDVALUE 3 1.0 1.0 NaN 'a' ADDVALUE false MONOTONIC",
              OOM_WARM);
}
