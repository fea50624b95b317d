/* Tests for REDUCE, PREDUCE and the reducer.* elements: partitioning and
 * common labels/attributes/name, the null rules of spec d.3 for every
 * reducer and variant, mixed member types, duplicate ticks, bucketized
 * members, aligned and sparse members, macro and strict reducers, and
 * every error with its message. */
#include "harness.h"
#include "oom.h"

#include <stdio.h>
#include <stdlib.h>

#include "vm.h"

/* A: cpu{host=a,dc=x} 10:1 20:2; B: cpu{host=b,dc=x} 10:10 20:20 30:30;
 * C: mem{host=a} 10:100.5 (DOUBLE) */
#define R                                                                                                              \
    "NEWGTS 'cpu' RENAME { 'host' 'a' 'dc' 'x' } RELABEL { 'owner' 'o' 'k' '1' } SETATTRIBUTES "                       \
    "10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE 'A' STORE "                                                   \
    "NEWGTS 'cpu' RENAME { 'host' 'b' 'dc' 'x' } RELABEL { 'owner' 'o' 'k' '2' } SETATTRIBUTES "                       \
    "10 NaN NaN NaN 10 ADDVALUE 20 NaN NaN NaN 20 ADDVALUE 30 NaN NaN NaN 30 ADDVALUE 'B' STORE "                      \
    "NEWGTS 'mem' RENAME { 'host' 'a' } RELABEL 10 NaN NaN NaN 100.5 ADDVALUE 'C' STORE "
#define RV(expr) R "[ [ $A $B $C ] [ ] " expr " ] REDUCE 0 GET VALUES"
/* the conformance trio: three LONG series, host a/b/a */
#define T3                                                                                                             \
    "NEWGTS 'cpu' RENAME { 'host' 'a' } RELABEL 10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE 'A' STORE "        \
    "NEWGTS 'cpu' RENAME { 'host' 'b' } RELABEL 10 NaN NaN NaN 10 ADDVALUE 20 NaN NaN NaN 20 ADDVALUE "                \
    "30 NaN NaN NaN 30 ADDVALUE 'B' STORE "                                                                            \
    "NEWGTS 'cpu' RENAME { 'host' 'a' } RELABEL 10 NaN NaN NaN 100 ADDVALUE 'C' STORE "
#define TV(expr) T3 "[ [ $A $B $C ] [ ] " expr " ] REDUCE 0 GET VALUES"

/* ---- partitioning ---- */

Test(reduce, partition_by_label)
{
    expect_stack(T3 "[ [ $A $B $C ] [ 'host' ] reducer.sum ] REDUCE <% LABELS 'host' GET %> SORTBY",
                 "[[{\"c\":\"cpu\",\"l\":{\"host\":\"a\"},\"a\":{},\"la\":0,\"v\":[[10,101],[20,2]]},"
                 "{\"c\":\"cpu\",\"l\":{\"host\":\"b\"},\"a\":{},\"la\":0,\"v\":[[10,10],[20,20],[30,30]]}]]");
    /* classes come in the order of their first member */
    expect_stack(R "[ [ $A $B $C ] [ 'host' ] reducer.sum ] REDUCE",
                 "[[{\"c\":\"\",\"l\":{\"host\":\"a\"},\"a\":{},\"la\":0,\"v\":[[10,101],[20,2]]},"
                 "{\"c\":\"cpu\",\"l\":{\"host\":\"b\",\"dc\":\"x\"},\"a\":{\"owner\":\"o\",\"k\":\"2\"},\"la\":0,"
                 "\"v\":[[10,10],[20,20],[30,30]]}]]");
    /* NULL: all labels */
    expect_stack(R "[ [ $A $B $C ] NULL reducer.count ] REDUCE SIZE", "[3]");
    /* a label nobody has: one class */
    expect_stack(R "[ [ $A $B $C ] [ 'nope' ] reducer.count ] REDUCE SIZE", "[1]");
    expect_stack(R "[ [ $A $B ] [ 'dc' ] reducer.count ] REDUCE SIZE", "[1]");
}

Test(reduce, common_labels_attributes_name)
{
    expect_stack(R "[ [ $A $B ] [ ] reducer.sum ] REDUCE",
                 "[[{\"c\":\"cpu\",\"l\":{\"dc\":\"x\"},\"a\":{\"owner\":\"o\"},\"la\":0,\"v\":[[10,11],[20,22],[30,30]]}]]");
    expect_stack(R "[ [ $A $B $C ] [ ] reducer.sum ] REDUCE",
                 "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[10,111],[20,22],[30,30]]}]]");
    expect_stack("NEWGTS 'x' RENAME { 'dc' 'p' 'host' '1' } RELABEL 10 NaN NaN NaN 1 ADDVALUE 'X' STORE "
                 "NEWGTS 'x' RENAME { 'dc' 'p' 'host' '2' } RELABEL 10 NaN NaN NaN 2 ADDVALUE 'Y' STORE "
                 "[ [ $X $Y ] [] reducer.sum ] REDUCE",
                 "[[{\"c\":\"x\",\"l\":{\"dc\":\"p\"},\"a\":{},\"la\":0,\"v\":[[10,3]]}]]");
}

Test(reduce, several_lists)
{
    expect_stack(T3 "[ [ $A ] [ $B $C ] [ ] reducer.sum ] REDUCE 0 GET VALUES", "[[111,22,30]]");
    expect_stack("[ [ ] [ ] reducer.count ] REDUCE", "[[]]");
}

/* ---- null rules (spec d.3) ---- */

Test(reduce, sum_min_max_join_ignore_nulls)
{
    expect_stack(TV("reducer.sum"), "[[111,22,30]]");
    expect_stack(TV("reducer.sum.forbid-nulls"), "[[111]]");
    expect_stack(TV("reducer.sum.nonnull"), "[[111]]");
    expect_stack(TV("reducer.min"), "[[1,2,30]]");
    expect_stack(TV("reducer.min.forbid-nulls"), "[[1]]");
    expect_stack(TV("reducer.min.nonnull"), "[[1]]");
    expect_stack(TV("reducer.max"), "[[100,20,30]]");
    expect_stack(TV("reducer.max.forbid-nulls"), "[[100]]");
    expect_stack(TV("reducer.max.nonnull"), "[[100]]");
    /* a leading null still counts as "not first": separator kept */
    expect_stack(TV("',' reducer.join"), "[[\"1,10,100\",\"2,20\",\",30\"]]");
    expect_stack(TV("',' reducer.join.forbid-nulls"), "[[\"1,10,100\"]]");
    expect_stack(TV("',' reducer.join.nonnull"), "[[\"1,10,100\"]]");
    expect_stack(T3 "[ [ $A $C ] [ ] ' ' reducer.join.urlencoded ] REDUCE 0 GET VALUES", "[[\"1 100\"]]");
}

Test(reduce, mean_and_or_rms_need_every_member)
{
    expect_stack(T3 "[ [ $A $B $C ] [] reducer.mean ] REDUCE", "[[{\"c\":\"cpu\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[10,37.0]]}]]");
    expect_stack(TV("reducer.mean.exclude-nulls"), "[[37.0,11.0,30.0]]");
    expect_stack(TV("reducer.rms"), "[[58]]");
    expect_stack(TV("reducer.rms.exclude-nulls"), "[[58,14,30]]");
    expect_stack("[ [ NEWGTS 10 NaN NaN NaN T ADDVALUE NEWGTS 10 NaN NaN NaN F ADDVALUE 20 NaN NaN NaN T ADDVALUE ] [ ] "
                 "reducer.and ] REDUCE 0 GET VALUES",
                 "[[false]]");
    expect_stack("[ [ NEWGTS 10 NaN NaN NaN T ADDVALUE NEWGTS 20 NaN NaN NaN F ADDVALUE ] [ ] reducer.or ] REDUCE 0 GET VALUES",
                 "[[]]");
    expect_stack("[ [ NEWGTS 10 NaN NaN NaN T ADDVALUE NEWGTS 20 NaN NaN NaN F ADDVALUE ] [ ] reducer.or.exclude-nulls ] "
                 "REDUCE 0 GET VALUES",
                 "[[true,false]]");
    expect_stack("[ [ NEWGTS 10 NaN NaN NaN T ADDVALUE NEWGTS 20 NaN NaN NaN F ADDVALUE ] [ ] reducer.and.exclude-nulls ] "
                 "REDUCE 0 GET VALUES",
                 "[[true,false]]");
    expect_stack(TV("360 reducer.mean.circular"), "[[32.99613817098058]]");
    expect_stack(TV("360 reducer.mean.circular.exclude-nulls") " 2 GET", "[29.999999999999996]");
}

Test(reduce, count_variants)
{
    /* count counts members, nulls included */
    expect_stack(TV("reducer.count"), "[[3,3,3]]");
    expect_stack(TV("reducer.count.include-nulls"), "[[3,3,3]]");
    expect_stack(TV("reducer.count.exclude-nulls"), "[[3,2,1]]");
    expect_stack(TV("reducer.count.nonnull"), "[[3,2,1]]");
}

Test(reduce, order_statistics)
{
    expect_stack(TV("reducer.median"), "[[10.0,11.0,30.0]]");
    expect_stack(TV("reducer.mad"), "[[9,9,0]]");
    expect_stack(TV("50 reducer.percentile"), "[[10,2,30]]");
    expect_stack(TV("true reducer.var"), "[[2997.0,162.0,0.0]]");
    expect_stack(TV("false reducer.var.forbid-nulls"), "[[1998.0]]");
    expect_stack(TV("true reducer.sd") " 1 GET", "[12.727922061357855]");
    expect_stack(TV("true reducer.sd.forbid-nulls") " SIZE", "[1]");
    expect_stack(TV("false reducer.var.welford") " 0 GET", "[1998.0]");
    expect_stack(TV("false reducer.sd.welford") " SIZE", "[3]");
    expect_stack(TV("reducer.product"), "[[1000,40,30]]");
}

Test(reduce, forbid_nulls_errors)
{
    check_error(T3 "[ [ $A $B $C ] [ ] reducer.median.forbid-nulls ]", "REDUCE",
                "reducer.median.forbid-nulls cannot compute median of null values.");
    check_error(T3 "[ [ $A $B $C ] [ ] 50 reducer.percentile.forbid-nulls ]", "REDUCE",
                "reducer.percentile.forbid-nulls cannot compute percentile of null values.");
}

/* ---- types, duplicates, layout ---- */

Test(reduce, mixed_types_follow_the_first_value)
{
    /* LONG first: the DOUBLE is truncated; DOUBLE first: doubles */
    expect_stack(RV("reducer.sum"), "[[111,22,30]]");
    expect_stack(R "[ [ $C $A $B ] [ ] reducer.sum ] REDUCE 0 GET VALUES", "[[111.5,22.0,30.0]]");
    expect_stack(RV("reducer.max"), "[[100,20,30]]");
    expect_stack(R "[ [ $C $A $B ] [ ] ',' reducer.join ] REDUCE 0 GET VALUES", "[[\"100.5,1,10\",\",2,20\",\",30\"]]");
    expect_stack("NEWGTS 10 NaN NaN NaN 'b' ADDVALUE NEWGTS 10 NaN NaN NaN 'a' ADDVALUE NEWGTS 10 NaN NaN NaN 3 ADDVALUE "
                 "3 ->LIST [ SWAP [ ] reducer.max ] REDUCE 0 GET VALUES",
                 "[[\"b\"]]");
    check_error("[ [ NEWGTS 10 NaN NaN NaN 1 ADDVALUE NEWGTS 10 NaN NaN NaN 'x' ADDVALUE ] [ ] reducer.sum ]", "REDUCE",
                "reducer.sum can only operate on LONG or DOUBLE values.");
    check_error("[ [ NEWGTS 10 NaN NaN NaN 1 ADDVALUE NEWGTS 10 NaN NaN NaN 'x' ADDVALUE ] [ ] reducer.max ]", "REDUCE",
                "reducer.max cannot compare non numeric values to numeric ones.");
}

Test(reduce, duplicate_ticks)
{
    /* a repeated tick gives as many rows as its largest multiplicity */
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE 10 NaN NaN NaN 2 ADDVALUE 20 NaN NaN NaN 3 ADDVALUE "
                 "NEWGTS 10 NaN NaN NaN 5 ADDVALUE 2 ->LIST [ SWAP [ ] reducer.sum ] REDUCE",
                 "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[10,6],[10,2],[20,3]]}]]");
}

Test(reduce, empty_members)
{
    expect_stack("NEWGTS NEWGTS 10 NaN NaN NaN 5 ADDVALUE 2 ->LIST [ SWAP [ ] reducer.count ] REDUCE 0 GET VALUES", "[[2]]");
    expect_stack("NEWGTS NEWGTS 2 ->LIST [ SWAP [ ] reducer.count ] REDUCE", "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]]");
}

Test(reduce, aligned_and_sparse_agree)
{
    /* 30 members with identical ticks (block transpose) against the same
     * data plus one extra point (union of ticks) */
    const char *setup = "[ 0 29 <% 'j' STORE NEWGTS 0 99 <% 'i' STORE $i 10 * NaN NaN NaN $i $j * 7 % ADDVALUE %> FOR "
                        "%> FOR ] 'l' STORE ";
    char src[1024];
    snprintf(src, sizeof src,
             "%s [ $l [ ] reducer.sum ] REDUCE 0 GET VALUES "
             "$l 0 GET 5 NaN NaN NaN 0 ADDVALUE DROP [ $l [ ] reducer.sum ] REDUCE 0 GET VALUES 0 5 SUBLIST "
             "SWAP 0 4 SUBLIST ",
             setup);
    expect_stack(src, "[[0,85,86,87,88],[0,0,85,86,87,88]]");
}

Test(reduce, locations)
{
    expect_stack("NEWGTS 10 1.0 2.0 100 1 ADDVALUE NEWGTS 10 3.0 4.0 300 3 ADDVALUE 2 ->LIST [ SWAP [ ] reducer.mean ] REDUCE "
                 "0 GET ELEVATIONS",
                 "[[200]]");
    expect_stack("NEWGTS 10 1.0 2.0 100 1 ADDVALUE NEWGTS 10 3.0 4.0 300 3 ADDVALUE 2 ->LIST [ SWAP [ ] reducer.max ] REDUCE "
                 "0 GET ELEVATIONS",
                 "[[300]]");
}

Test(reduce, bucketized_members)
{
    /* kept bucketized: equal spans, congruent lastbuckets; lastbucket is the first member's */
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE [ SWAP bucketizer.last 20 10 0 ] BUCKETIZE 0 GET "
                 "NEWGTS 10 NaN NaN NaN 5 ADDVALUE 40 NaN NaN NaN 7 ADDVALUE [ SWAP bucketizer.last 40 10 0 ] BUCKETIZE 0 GET "
                 "2 ->LIST [ SWAP [ ] reducer.sum ] REDUCE 0 GET DUP LASTBUCKET SWAP DUP BUCKETSPAN SWAP BUCKETCOUNT",
                 "[4,10,20]");
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE [ SWAP bucketizer.last 20 10 0 ] BUCKETIZE 0 GET "
                 "NEWGTS 10 NaN NaN NaN 5 ADDVALUE [ SWAP bucketizer.last 45 10 0 ] BUCKETIZE 0 GET "
                 "2 ->LIST [ SWAP [ ] reducer.sum ] REDUCE 0 GET BUCKETSPAN",
                 "[0]");
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE [ SWAP bucketizer.last 20 10 0 ] BUCKETIZE 0 GET "
                 "NEWGTS 10 NaN NaN NaN 5 ADDVALUE 2 ->LIST [ SWAP [ ] reducer.sum ] REDUCE 0 GET BUCKETSPAN",
                 "[0]");
}

/* ---- override, macros, strict, PREDUCE ---- */

Test(reduce, override_tick)
{
    expect_stack(T3 "[ [ $A $B $C ] [ ] reducer.mean true ] REDUCE 0 GET", "[{\"c\":\"cpu\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[10,37.0]]}]");
    expect_stack(T3 "[ [ $A $B $C ] [ ] reducer.sum true ] REDUCE 0 GET TICKS", "[[0]]");
    expect_stack(T3 "[ [ $A $B $C ] [ ] reducer.sum false ] REDUCE 0 GET TICKS", "[[10,20,30]]");
}

Test(reduce, macro_reducer)
{
    expect_stack(TV("<% 7 GET SIZE [ SWAP ] %> MACROREDUCER"), "[[3,3,3]]");
    /* null slots: tick MINLONG, value null; labels end with the common labels */
    expect_stack(TV("<% 3 GET 0 GET [ SWAP ] %> MACROREDUCER"), "[[10,20,-9223372036854775808]]");
    expect_stack(TV("<% 7 GET 2 GET [ SWAP ] %> MACROREDUCER"), "[[100]]");
    expect_stack(TV("<% 2 GET SIZE [ SWAP ] %> MACROREDUCER"), "[[4,4,4]]");
    expect_stack(TV("<% 1 GET 0 GET [ SWAP ] %> MACROREDUCER"), "[[\"cpu\",\"cpu\",\"cpu\"]]");
}

Test(reduce, strictreducer)
{
    expect_stack(TV("reducer.count 2 3 STRICTREDUCER"), "[[3,3]]");
    expect_stack("reducer.sum 1 2 STRICTREDUCER", "[\"<% 'reducer.sum' FUNCREF 1 2 STRICTREDUCER %> EVAL\"]");
}

Test(reduce, preduce)
{
    expect_stack(T3 "[ [ $A $B $C ] [ 'host' ] reducer.sum ] PREDUCE SIZE", "[2]");
    expect_stack(T3 "[ [ $A $B $C ] [ 'host' ] reducer.sum ] PREDUCE VALUELIST 0 GET 0 GET VALUES", "[[101,2]]");
    expect_stack(T3 "[ [ $A $B $C ] [ 'host' ] reducer.sum ] PREDUCE KEYLIST 1 GET 'host' GET", "[\"b\"]");
}

/* ---- errors ---- */

Test(reduce, errors)
{
    check_error("1", "REDUCE", "REDUCE expects a LIST at depth 1, got LONG.");
    check_error("[ [ ] [ ] ]", "REDUCE", "REDUCE expects at least 3 parameters.");
    check_error("[ [ ] 'host' reducer.sum ]", "REDUCE", "REDUCE expects a list of label names or null as parameter number 2.");
    check_error("[ [ ] [ 1 ] reducer.sum ]", "REDUCE", "REDUCE expects a list of label names as parameter number 2.");
    check_error("[ [ ] [ ] mapper.abs ]", "REDUCE", "REDUCE expects a reducer as parameter number 3, got AGGREGATOR.");
    check_error("[ [ ] [ ] 1 true ]", "REDUCE", "REDUCE expects a reducer as parameter number 3, got LONG.");
    check_error("[ 1 [ ] reducer.sum ]", "REDUCE", "REDUCE expects lists of Geo Time Series as first parameters.");
    check_error("[ [ 1 ] [ ] reducer.sum ]", "REDUCE", "REDUCE expects lists of Geo Time Series as first parameters.");
    check_error("[ [ ] [ ] 1 ]", "PREDUCE", "PREDUCE expects a reducer as parameter number 3, got LONG.");
    check_error("1", "MACROREDUCER", "MACROREDUCER expects a MACRO at depth 1, got LONG.");
    check_error("mapper.abs 1 2", "STRICTREDUCER", "STRICTREDUCER expects a reducer at depth 3, got AGGREGATOR.");
}

/* Every allocation of the frameworks failing in turn: an error or success,
 * never a crash or a leak. */
Test(reduce, frameworks_out_of_memory)
{
    const char *src =
        "NEWGTS 'a' RENAME { 'h' '1' } RELABEL 10 NaN NaN NaN 1 ADDVALUE 20 1.0 2.0 5 2 ADDVALUE 40 NaN NaN NaN 4 ADDVALUE "
        "NEWGTS 'b' RENAME { 'h' '2' } RELABEL 10 NaN NaN NaN 1.5 ADDVALUE 30 NaN NaN NaN 3.5 ADDVALUE 2 ->LIST 'l' STORE "
        "[ $l bucketizer.mean 40 10 0 ] BUCKETIZE DUP FILLPREVIOUS DROP INTERPOLATE DROP "
        "[ $l ',' bucketizer.join 0 20 0 ] BUCKETIZE DROP "
        "[ $l mapper.mean 1 1 0 ] MAP DROP [ $l mapper.median 1 0 0 ] MAP DROP "
        "[ $l <% 7 GET SIZE [ SWAP ] %> MACROMAPPER 1 0 0 ] MAP DROP "
        "[ $l [ ] reducer.sum ] REDUCE DROP [ $l [ 'h' ] 50 'type7' reducer.percentile ] PREDUCE DROP "
        "[ $l $l [ ] reducer.mean ] REDUCE DROP "
        "[ $l [ ] op.add ] APPLY DROP [ $l [ 'h' ] op.add ] PAPPLY DROP "
        "[ $l [ ] '~a' filter.byclass ] FILTER DROP [ $l [ 'h' ] 2 filter.last.ge ] PFILTER DROP CLEAR";
    oom_sweep(src, OOM_WARM);
}
