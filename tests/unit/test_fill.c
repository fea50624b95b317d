/* Tests for FILLPREVIOUS, FILLNEXT, FILLVALUE and INTERPOLATE: only empty
 * buckets are filled, nothing happens to unbucketized series, points are
 * appended unsorted, LONG interpolations are truncated, elevations and
 * locations are interpolated, lists are mapped, and the errors. */
#include "harness.h"

#include <stdlib.h>

/* g: 10:1 20:2 50:3; b: g bucketized by last, buckets 10..70 */
#define S                                                                                                              \
    "NEWGTS 10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE 50 NaN NaN NaN 3 ADDVALUE 'g' STORE "                  \
    "[ $g bucketizer.last 70 10 0 ] BUCKETIZE 0 GET 'b' STORE "
#define G(v) "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":" v "}]"

Test(fill, conformance_examples)
{
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE 50 NaN NaN NaN 3 ADDVALUE 'g' STORE "
                 "[ $g bucketizer.last 50 10 0 ] BUCKETIZE 0 GET FILLNEXT SORT",
                 G("[[10,1],[20,2],[30,3],[40,3],[50,3]]"));
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE 50 NaN NaN NaN 3 ADDVALUE 'g' STORE "
                 "[ $g bucketizer.last 50 10 0 ] BUCKETIZE 0 GET INTERPOLATE SORT",
                 G("[[10,1],[20,2],[30,2],[40,2],[50,3]]"));
}

Test(fill, previous_next_value)
{
    /* appended after the existing points; leading/trailing buckets stay empty */
    expect_stack(S "$b FILLPREVIOUS", G("[[10,1],[20,2],[50,3],[30,2],[40,2],[60,3],[70,3]]"));
    expect_stack(S "$b FILLNEXT", G("[[10,1],[20,2],[50,3],[40,3],[30,3]]"));
    expect_stack(S "$b [ NaN NaN NaN 0 ] FILLVALUE", G("[[10,1],[20,2],[50,3],[30,0],[40,0],[60,0],[70,0]]"));
    expect_stack(S "$b [ NaN NaN 7 0 ] FILLVALUE SORT ELEVATIONS", "[[NaN,NaN,7,7,NaN,7,7]]");
    /* the clone keeps the bucketization; the input is unchanged */
    expect_stack(S "$b FILLPREVIOUS BUCKETSPAN $b SIZE", "[3,10]");
}

Test(fill, unbucketized_is_untouched)
{
    expect_stack(S "$g FILLPREVIOUS", G("[[10,1],[20,2],[50,3]]"));
    expect_stack(S "$g FILLNEXT $g INTERPOLATE $g [ NaN NaN NaN 0 ] FILLVALUE 3 ->LIST <% DROP SIZE %> LMAP", "[[3,3,3]]");
}

Test(fill, interpolate)
{
    expect_stack("NEWGTS 10 NaN NaN NaN 1.0 ADDVALUE 40 NaN NaN NaN 2.0 ADDVALUE [ SWAP bucketizer.last 40 10 0 ] BUCKETIZE "
                 "0 GET INTERPOLATE SORT",
                 G("[[10,1.0],[20,1.3333333333333333],[30,1.6666666666666665],[40,2.0]]"));
    /* elevations between points that have them */
    expect_stack("NEWGTS 10 NaN NaN 10 1.0 ADDVALUE 40 NaN NaN 40 2.0 ADDVALUE [ SWAP bucketizer.last 40 10 0 ] BUCKETIZE "
                 "0 GET INTERPOLATE ELEVATIONS",
                 "[[10,20,30,40]]");
    expect_stack("NEWGTS 10 1.0 1.0 NaN 1.0 ADDVALUE 40 4.0 4.0 NaN 2.0 ADDVALUE [ SWAP bucketizer.last 40 10 0 ] BUCKETIZE "
                 "0 GET INTERPOLATE LOCATIONS DROP SIZE",
                 "[4]");
    /* fewer than two values: nothing to do */
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE [ SWAP bucketizer.last 40 10 0 ] BUCKETIZE 0 GET INTERPOLATE SIZE", "[1]");
}

Test(fill, lists)
{
    expect_stack(S "[ $b $g ] FILLPREVIOUS <% DROP SIZE %> LMAP", "[[7,3]]");
    expect_stack(S "[ $b $g ] [ NaN NaN NaN 0 ] FILLVALUE <% DROP SIZE %> LMAP", "[[7,3]]");
    expect_stack("[ ] FILLNEXT", "[[]]");
}

Test(fill, errors)
{
    check_error("1", "FILLPREVIOUS", "FILLPREVIOUS expects a GTS or a LIST of GTS at depth 1, got LONG.");
    check_error("[ 1 ]", "FILLNEXT", "FILLNEXT expects a GTS or a LIST of GTS at depth 1, got LIST.");
    check_error(S "$b 1", "FILLVALUE", "FILLVALUE expects a LIST [lat lon elev value] at depth 1, got LONG.");
    check_error(S "$b [ 1 2 ]", "FILLVALUE", "FILLVALUE expects a LIST [lat lon elev value] at depth 1, got LIST.");
    check_error(S "$b [ 'a' NaN NaN 0 ]", "FILLVALUE", "FILLVALUE expects numeric latitude, longitude and elevation");
    check_error(S "$b [ NaN NaN NaN [ ] ]", "FILLVALUE", "FILLVALUE expects a LONG, DOUBLE, BOOLEAN or STRING fill value, got LIST.");
    check_error("[ NaN NaN NaN 0 ]", "FILLVALUE", "Empty stack.");
    check_error("1 [ NaN NaN NaN 0 ]", "FILLVALUE", "FILLVALUE expects a GTS or a LIST of GTS at depth 2, got LONG.");
    check_error("NEWGTS 10 NaN NaN NaN 'a' ADDVALUE 30 NaN NaN NaN 'b' ADDVALUE [ SWAP bucketizer.last 30 10 0 ] BUCKETIZE 0 GET",
                "INTERPOLATE", "INTERPOLATE can only interpolate numeric Geo Time Series.");
}

/* FILL: a = 10:1 40:4 (LONG), b = 20:2.0 30:3.0 50:5.0 (DOUBLE) */
#define AB                                                                                                             \
    "NEWGTS 10 NaN NaN NaN 1 ADDVALUE 40 NaN NaN NaN 4 ADDVALUE 'a' STORE "                                            \
    "NEWGTS 20 NaN NaN NaN 2.0 ADDVALUE 30 NaN NaN NaN 3.0 ADDVALUE 50 NaN NaN NaN 5.0 ADDVALUE 'b' STORE "
#define G2(b, a) "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":" b "},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":" a "}]"

Test(fill, cross_fill)
{
    expect_stack(AB "$a $b filler.previous FILL",
                 G2("[[20,2.0],[30,3.0],[40,3.0],[50,5.0]]", "[[10,1],[20,1],[30,1],[40,4],[50,4]]"));
    expect_stack(AB "$a $b filler.next FILL",
                 G2("[[10,2.0],[20,2.0],[30,3.0],[40,5.0],[50,5.0]]", "[[10,1],[20,4],[30,4],[40,4]]"));
    expect_stack(AB "$a $b 7 filler.value FILL",
                 G2("[[10,7.0],[20,2.0],[30,3.0],[40,7.0],[50,5.0]]", "[[10,1],[20,7],[30,7],[40,4],[50,7]]"));
    expect_stack(AB "$a $b [ NaN NaN 5 0 ] filler.value FILL ELEVATIONS SWAP ELEVATIONS",
                 "[[NaN,5,5,NaN,5],[5,NaN,NaN,5,NaN]]");
    /* linear, only between two values, converted to the series' type */
    expect_stack(AB "$a $b filler.interpolate FILL",
                 G2("[[20,2.0],[30,3.0],[40,4.0],[50,5.0]]", "[[10,1],[20,2],[30,3],[40,4]]"));
    expect_stack("NEWGTS 10 NaN NaN 10 1.0 ADDVALUE 40 NaN NaN 40 4.0 ADDVALUE NEWGTS 20 NaN NaN NaN 0 ADDVALUE "
                 "filler.interpolate FILL DROP ELEVATIONS",
                 "[[10,20,40]]");
    /* an empty side gets only constant points; the inputs are unchanged */
    expect_stack(AB "NEWGTS $b filler.previous FILL SIZE SWAP SIZE", "[0,3]");
    expect_stack(AB "NEWGTS $b 1 filler.value FILL DROP SIZE", "[3]");
    expect_stack(AB "$a $b filler.next FILL DROP DROP $a SIZE $b SIZE", "[3,2]");
    expect_stack("filler.previous TYPEOF", "[\"FILLER\"]");
}

Test(fill, cross_fill_errors)
{
    check_error(AB "$a $b 1", "FILL", "FILL expects a filler, a LIST or a MAP at depth 1, got LONG.");
    check_error(AB "$a $b mapper.max", "FILL", "FILL expects a filler, a LIST or a MAP at depth 1, got AGGREGATOR.");
    check_error(AB "$a 1 filler.next", "FILL", "FILL expects a GTS at depth 2, got LONG.");
    check_error(AB "1 $b filler.next", "FILL", "FILL expects a GTS at depth 3, got LONG.");
    check_error("NEWGTS filler.next", "FILL", "Empty stack.");
    check_error("NEWGTS 10 NaN NaN NaN 'x' ADDVALUE NEWGTS 20 NaN NaN NaN 'y' ADDVALUE filler.interpolate",
                "FILL", "FILL: filler.interpolate can only fill numeric Geo Time Series.");
    check_error("[ 1 2 ]", "filler.value", "filler.value expects a LIST of 4 parameters: latitude longitude elevation value.");
    check_error("[ 'a' 1 2 3 ]", "filler.value", "filler.value expects numeric latitude, longitude and elevation");
    check_error("[ 1 2 3 [ ] ]", "filler.value", "filler.value expects a LONG, DOUBLE, BOOLEAN or STRING fill value, got LIST.");
    check_error("{ }", "filler.value", "filler.value expects a LONG, DOUBLE, BOOLEAN or STRING fill value, got MAP.");
    check_error("", "filler.value", "Empty stack.");
}

Test(fill, univariate_fill)
{
    /* empty buckets without ticks; nothing on an unbucketized series */
    expect_stack(S "[ $b filler.previous ] FILL", "[" G("[[10,1],[20,2],[30,2],[40,2],[50,3],[60,3],[70,3]]") "]");
    expect_stack(S "[ $g filler.previous ] FILL 0 GET SIZE", "[3]");
    /* explicit ticks (duplicates ignored), on a list of series, results sorted */
    expect_stack(S "[ [ $g $g ] filler.next [ 5 30 30 60 ] ] FILL 1 GET",
                 G("[[5,1],[10,1],[20,2],[30,3],[50,3]]"));
    expect_stack(S "$g { 'filler' 0 filler.value 'ticks' [ 15 ] } FILL", "[" G("[[10,1],[15,0],[20,2],[50,3]]") "]");
    expect_stack(S "[ $g $b ] { 'filler' filler.interpolate } FILL <% DROP SIZE %> LMAP", "[[3,5]]");
}

Test(fill, univariate_fill_errors)
{
    check_error("[ 1 ]", "FILL", "FILL expects an input LIST of 2 or 3 parameters: gts|[gts..] filler (ticks).");
    check_error("[ 1 filler.next ]", "FILL", "FILL expects a GTS or a LIST of GTS to fill, got LONG.");
    check_error("[ [ NEWGTS 1 ] filler.next ]", "FILL", "FILL expects a GTS or a LIST of GTS to fill, got LONG.");
    check_error("[ NEWGTS 1 ]", "FILL", "FILL expects a filler, got LONG.");
    check_error("[ NEWGTS filler.next 1 ]", "FILL", "FILL expects the ticks to be a LIST of LONG, got LONG.");
    check_error("[ NEWGTS filler.next [ 'a' ] ]", "FILL", "FILL expects the ticks to be a LIST of LONG, but it contains a STRING.");
    check_error("NEWGTS { 'ticks' [ 1 ] }", "FILL", "FILL expects a filler, got NULL.");
    check_error("1 { 'filler' filler.next }", "FILL", "FILL expects a GTS or a LIST of GTS to fill, got LONG.");
    check_error("{ 'filler' filler.next }", "FILL", "Empty stack.");
}
