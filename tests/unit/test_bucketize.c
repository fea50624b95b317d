/* Tests for BUCKETIZE and the bucketizer.* elements: every bucketizer,
 * the parameter derivation cases of spec d.1 (including the lastbucket
 * rounding trap), NULL and macro bucketizers, empty series, NaN, and every
 * error with its message and the stack left as it was. */
#include "harness.h"

#include <stdlib.h>

/* Runs setup, then word, which must fail with msg and leave the stack as
 * setup left it. */
/* Runs src, which must fail with msg (macros have run: the stack is not checked). */
/* ticks 100..800 step 100, values 10 9 8 7 6 5 4 42 (the spec's example) */
#define D8                                                                                                             \
    "NEWGTS 'd' RENAME { 'k' 'v' } RELABEL "                                                                           \
    "100 NaN NaN NaN 10 ADDVALUE 200 NaN NaN NaN 9 ADDVALUE 300 NaN NaN NaN 8 ADDVALUE "                               \
    "400 NaN NaN NaN 7 ADDVALUE 500 NaN NaN NaN 6 ADDVALUE 600 NaN NaN NaN 5 ADDVALUE "                                \
    "700 NaN NaN NaN 4 ADDVALUE 800 NaN NaN NaN 42 ADDVALUE 'd' STORE "
#define OUT(v) "[[{\"c\":\"d\",\"l\":{\"k\":\"v\"},\"a\":{},\"la\":0,\"v\":" v "}]]"

/* ---- parameter derivation (spec d.1) ---- */

Test(bucketize, explicit_parameters)
{
    expect_stack(D8 "[ $d bucketizer.max 800 200 0 ] BUCKETIZE", OUT("[[800,42],[600,6],[400,8],[200,10]]"));
    expect_stack(D8 "[ $d bucketizer.sum 1000 300 0 ] BUCKETIZE", OUT("[[1000,42],[700,15],[400,24],[100,10]]"));
}

Test(bucketize, span_from_count)
{
    /* span = 701 / 2 = 350, inexact so 351; buckets end at 800 and 449 */
    expect_stack(D8 "[ $d bucketizer.sum 0 0 2 ] BUCKETIZE", OUT("[[800,57],[449,34]]"));
    expect_stack(D8 "[ $d bucketizer.count 0 0 3 ] BUCKETIZE 0 GET DUP BUCKETSPAN SWAP LASTBUCKET", "[800,234]");
    /* -1: span = (last - first) / (count - 1), so the first tick is a bucket end */
    expect_stack(D8 "[ $d bucketizer.mean 0 -1 4 ] BUCKETIZE", OUT("[[800,17.0],[566,6.5],[332,9.0]]"));
    expect_stack(D8 "[ $d bucketizer.sum 0 -1 1 ] BUCKETIZE 0 GET DUP BUCKETSPAN SWAP VALUES", "[[81],700]");
}

Test(bucketize, lastbucket_zero_with_count_is_not_rounded)
{
    expect_stack(D8 "[ $d bucketizer.sum 0 300 2 ] BUCKETIZE", OUT("[[800,51],[500,21]]"));
}

Test(bucketize, lastbucket_and_count_zero_round_up)
{
    /* 800 -> 900, count 1 + 700/300 = 3 */
    expect_stack(D8 "[ $d bucketizer.sum 0 300 0 ] BUCKETIZE 0 GET DUP LASTBUCKET SWAP BUCKETCOUNT", "[3,900]");
    /* 800 -> 1000, count 3 then 4 because 1000 - 3*250 >= 100 */
    expect_stack(D8 "[ $d bucketizer.last 0 250 0 ] BUCKETIZE 0 GET DUP BUCKETSPAN SWAP DUP LASTBUCKET SWAP BUCKETCOUNT",
                 "[4,1000,250]");
    /* already aligned: no rounding */
    expect_stack(D8 "[ $d bucketizer.sum 0 100 0 ] BUCKETIZE 0 GET DUP LASTBUCKET SWAP BUCKETCOUNT", "[8,800]");
}

Test(bucketize, output_newest_first_ticks_sorted)
{
    expect_stack(D8 "[ $d bucketizer.sum 0 300 0 ] BUCKETIZE 0 GET DUP VALUES SWAP TICKS", "[[300,600,900],[46,18,27]]");
}

Test(bucketize, unsorted_input)
{
    expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE "
                 "[ SWAP bucketizer.last 300 200 0 ] BUCKETIZE",
                 "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[300,3],[100,1]]}]]");
}

Test(bucketize, several_series_and_nested_lists)
{
    expect_stack(D8 "[ $d [ $d ] bucketizer.count 800 400 0 ] BUCKETIZE SIZE", "[2]");
    expect_stack(D8 "[ [ ] bucketizer.count 800 400 0 ] BUCKETIZE", "[[]]");
}

Test(bucketize, empty_gts)
{
    expect_stack("[ NEWGTS bucketizer.sum 0 100 0 ] BUCKETIZE", "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]]");
}

Test(bucketize, null_bucketizer_mutates_input)
{
    expect_stack(D8 "[ $d NULL 1000 100 5 ] BUCKETIZE 0 GET DUP BUCKETSPAN SWAP SIZE", "[8,100]");
    expect_stack(D8 "[ $d NULL 1000 100 5 ] BUCKETIZE DROP $d BUCKETCOUNT $d LASTBUCKET", "[1000,5]");
}

/* ---- the bucketizers ---- */

Test(bucketize, sum_mean_count)
{
    expect_stack(D8 "[ $d bucketizer.sum 0 400 0 ] BUCKETIZE", OUT("[[800,57],[400,34]]"));
    expect_stack(D8 "[ $d bucketizer.sum.forbid-nulls 0 400 0 ] BUCKETIZE", OUT("[[800,57],[400,34]]"));
    expect_stack(D8 "[ $d bucketizer.mean 800 200 0 ] BUCKETIZE", OUT("[[800,23.0],[600,5.5],[400,7.5],[200,9.5]]"));
    expect_stack(D8 "[ $d bucketizer.mean.exclude-nulls 0 400 0 ] BUCKETIZE", OUT("[[800,14.25],[400,8.5]]"));
    expect_stack(D8 "[ $d bucketizer.count 0 300 0 ] BUCKETIZE", OUT("[[900,2],[600,3],[300,3]]"));
    expect_stack(D8 "[ $d bucketizer.count.include-nulls 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[4,4]]");
    expect_stack(D8 "[ $d bucketizer.count.exclude-nulls 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[4,4]]");
    expect_stack(D8 "[ $d bucketizer.count.nonnull 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[4,4]]");
}

Test(bucketize, double_values)
{
    expect_stack("NEWGTS 1 NaN NaN NaN 0.1 ADDVALUE 2 NaN NaN NaN 0.2 ADDVALUE [ SWAP bucketizer.sum 2 2 1 ] BUCKETIZE 0 GET VALUES",
                 "[[0.30000000000000004]]");
    expect_stack("NEWGTS 1 NaN NaN NaN 1.0 ADDVALUE 2 NaN NaN NaN 2.0 ADDVALUE [ SWAP bucketizer.mean 2 2 1 ] BUCKETIZE 0 GET VALUES",
                 "[[1.5]]");
}

Test(bucketize, min_max_first_last)
{
    expect_stack(D8 "[ $d bucketizer.min 0 400 0 ] BUCKETIZE", OUT("[[800,4],[400,7]]"));
    expect_stack(D8 "[ $d bucketizer.min.forbid-nulls 0 400 0 ] BUCKETIZE", OUT("[[800,4],[400,7]]"));
    expect_stack(D8 "[ $d bucketizer.max 0 400 0 ] BUCKETIZE", OUT("[[800,42],[400,10]]"));
    expect_stack(D8 "[ $d bucketizer.max.forbid-nulls 0 400 0 ] BUCKETIZE", OUT("[[800,42],[400,10]]"));
    expect_stack(D8 "[ $d bucketizer.first 0 400 0 ] BUCKETIZE", OUT("[[800,6],[400,10]]"));
    expect_stack(D8 "[ $d bucketizer.last 0 400 0 ] BUCKETIZE", OUT("[[800,42],[400,7]]"));
}

Test(bucketize, nan_ordering)
{
    /* NaN is above everything (Double.compare) */
    expect_stack("NEWGTS 1 NaN NaN NaN 1.0 ADDVALUE 2 NaN NaN NaN NaN ADDVALUE 3 NaN NaN NaN 2.0 ADDVALUE 'n' STORE "
                 "[ $n bucketizer.max 3 3 1 ] BUCKETIZE 0 GET VALUES [ $n bucketizer.min 3 3 1 ] BUCKETIZE 0 GET VALUES",
                 "[[1.0],[NaN]]");
    expect_stack("NEWGTS 1 NaN NaN NaN 1.0 ADDVALUE 2 NaN NaN NaN NaN ADDVALUE [ SWAP bucketizer.sum 2 2 1 ] BUCKETIZE 0 GET VALUES",
                 "[[NaN]]");
}

Test(bucketize, strings_and_booleans)
{
    expect_stack("NEWGTS 1 NaN NaN NaN 'b' ADDVALUE 2 NaN NaN NaN 'c' ADDVALUE 3 NaN NaN NaN 'a' ADDVALUE 's' STORE "
                 "[ $s bucketizer.max 3 3 1 ] BUCKETIZE 0 GET VALUES [ $s bucketizer.min 3 3 1 ] BUCKETIZE 0 GET VALUES "
                 "[ $s bucketizer.sum 3 3 1 ] BUCKETIZE 0 GET VALUES [ $s bucketizer.mean 3 3 1 ] BUCKETIZE 0 GET VALUES",
                 "[[],[],[\"a\"],[\"c\"]]");
    expect_stack("NEWGTS 1 NaN NaN NaN T ADDVALUE 2 NaN NaN NaN F ADDVALUE 3 NaN NaN NaN F ADDVALUE 'b' STORE "
                 "[ $b bucketizer.and 4 2 0 ] BUCKETIZE 0 GET VALUES [ $b bucketizer.or 4 2 0 ] BUCKETIZE 0 GET VALUES "
                 "[ $b bucketizer.max 4 4 1 ] BUCKETIZE 0 GET VALUES [ $b bucketizer.min 4 4 1 ] BUCKETIZE 0 GET VALUES",
                 "[[false],[true],[false,true],[false,false]]");
    /* non-booleans count as false */
    expect_stack(D8 "[ $d bucketizer.and 0 400 0 ] BUCKETIZE", OUT("[[800,false],[400,false]]"));
    expect_stack(D8 "[ $d bucketizer.or 0 400 0 ] BUCKETIZE", OUT("[[800,false],[400,false]]"));
}

Test(bucketize, join)
{
    expect_stack(D8 "[ $d ',' bucketizer.join 0 300 0 ] BUCKETIZE", OUT("[[900,\"4,42\"],[600,\"7,6,5\"],[300,\"10,9,8\"]]"));
    expect_stack(D8 "[ $d '' bucketizer.join.forbid-nulls 0 400 0 ] BUCKETIZE", OUT("[[800,\"65442\"],[400,\"10987\"]]"));
    expect_stack("NEWGTS 1 NaN NaN NaN 1.5 ADDVALUE 2 NaN NaN NaN 1.0E10 ADDVALUE [ SWAP 1 bucketizer.join 2 2 1 ] BUCKETIZE 0 GET VALUES",
                 "[[\"1.511.0E10\"]]");
}

Test(bucketize, median_mad_rms)
{
    expect_stack(D8 "[ $d bucketizer.median 0 200 0 ] BUCKETIZE", OUT("[[800,23.0],[600,5.5],[400,7.5],[200,9.5]]"));
    expect_stack(D8 "[ $d bucketizer.median 0 300 0 ] BUCKETIZE", OUT("[[900,23.0],[600,6.0],[300,9.0]]"));
    expect_stack(D8 "[ $d bucketizer.median.forbid-nulls 0 300 0 ] BUCKETIZE 0 GET VALUES", "[[23.0,6.0,9.0]]");
    /* MAD keeps the type: median (5+6)/2 = 5, residuals 1 0 1 37 */
    expect_stack(D8 "[ $d bucketizer.mad 0 400 0 ] BUCKETIZE", OUT("[[800,1],[400,1]]"));
    /* LONG rms is truncated: sqrt(460.25) */
    expect_stack(D8 "[ $d bucketizer.rms 0 400 0 ] BUCKETIZE", OUT("[[800,21],[400,8]]"));
    expect_stack(D8 "[ $d bucketizer.rms.exclude-nulls 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[21,8]]");
}

Test(bucketize, percentile)
{
    /* type 1 keeps the value and its type; type 7 interpolates (R's default) */
    expect_stack(D8 "[ $d 50 bucketizer.percentile 0 400 0 ] BUCKETIZE", OUT("[[800,5],[400,8]]"));
    expect_stack(D8 "[ $d 50 'type7' bucketizer.percentile 0 400 0 ] BUCKETIZE", OUT("[[800,5.5],[400,8.5]]"));
    expect_stack(D8 "[ $d 100 bucketizer.percentile 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[42,10]]");
    expect_stack(D8 "[ $d 0 bucketizer.percentile 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[4,7]]");
    expect_stack(D8 "[ $d 50 'TYPE2' bucketizer.percentile 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[5.5,8.5]]");
    expect_stack(D8 "[ $d 30 'type3' bucketizer.percentile.forbid-nulls 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[4,7]]");
}

Test(bucketize, var_sd)
{
    expect_stack(D8 "[ $d true bucketizer.var 0 400 0 ] BUCKETIZE", OUT("[[800,342.9166666666667],[400,1.6666666666666667]]"));
    expect_stack(D8 "[ $d false bucketizer.var.forbid-nulls 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[257.1875,1.25]]");
    expect_stack(D8 "[ $d false bucketizer.sd 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[16.037066439969625,1.118033988749895]]");
    expect_stack(D8 "[ $d false bucketizer.sd.forbid-nulls 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[16.037066439969625,1.118033988749895]]");
    expect_stack(D8 "[ $d true bucketizer.var.welford 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[342.9166666666667,1.6666666666666667]]");
    expect_stack(D8 "[ $d false bucketizer.sd.welford 0 400 0 ] BUCKETIZE 0 GET VALUES", "[[16.037066439969625,1.118033988749895]]");
}

Test(bucketize, circular_mean)
{
    expect_stack("NEWGTS 1 NaN NaN NaN 350 ADDVALUE 2 NaN NaN NaN 10 ADDVALUE [ SWAP 360 bucketizer.mean.circular 2 2 1 ] BUCKETIZE "
                 "0 GET VALUES 0 GET ABS 1e-9 <",
                 "[true]");
    expect_stack(D8 "[ $d 360.0 bucketizer.mean.circular.exclude-nulls 0 400 0 ] BUCKETIZE 0 GET VALUES 1 GET", "[8.5]");
}

Test(bucketize, locations_and_elevations)
{
    /* last keeps the newest point's location; mean takes the centroid and mean elevation */
    expect_stack("NEWGTS 1 10.0 20.0 100 1 ADDVALUE 2 30.0 40.0 300 3 ADDVALUE 'g' STORE "
                 "[ $g bucketizer.last 2 2 1 ] BUCKETIZE 0 GET ELEVATIONS "
                 "[ $g bucketizer.mean 2 2 1 ] BUCKETIZE 0 GET ELEVATIONS",
                 "[[200],[300]]");
}

Test(bucketize, macro_bucketizers)
{
    /* MACROBUCKETIZER: [tick [names] [labels] [ticks] [lats] [lons] [elevs] [values]] */
    expect_stack(D8 "[ $d <% 7 GET SIZE [ SWAP ] %> MACROBUCKETIZER 0 400 0 ] BUCKETIZE", OUT("[[800,4],[400,4]]"));
    expect_stack(D8 "[ $d <% DUP 1 GET SWAP 0 GET [ SWAP ROT 0 GET ] %> MACROBUCKETIZER 0 400 0 ] BUCKETIZE 0 GET VALUES",
                 "[[\"d\",\"d\"]]");
    /* a plain macro gets the bucket as a GTS and may leave 5 values */
    expect_stack(D8 "[ $d <% SIZE 1 NaN NaN NaN 5 ROLL %> 0 400 0 ] BUCKETIZE", OUT("[[800,4],[400,4]]"));
    expect_stack(D8 "[ $d <% NAME [ SWAP ] %> 0 400 0 ] BUCKETIZE", OUT("[[800,\"d\"],[400,\"d\"]]"));
    /* a null value gives no point */
    expect_stack(D8 "[ $d <% DROP [ 1 NULL ] %> 0 400 0 ] BUCKETIZE", OUT("[]"));
    expect_stack(D8 "<% DROP [ 1 ] %> MACROBUCKETIZER", "[\"<% <% DROP [ 1 ] %> MACROBUCKETIZER %> EVAL\"]");
}

Test(bucketize, function_values)
{
    expect_stack("bucketizer.sum", "[\"'bucketizer.sum' FUNCREF\"]");
    expect_stack("bucketizer.sum TYPEOF", "[\"AGGREGATOR\"]");
    expect_stack("',' bucketizer.join", "[\"'%2C' bucketizer.join\"]");
    expect_stack("50 'type7' bucketizer.percentile", "[\"50.0 'type7' bucketizer.percentile\"]");
    expect_stack("true bucketizer.sd", "[\"true bucketizer.sd\"]");
    expect_stack("360 bucketizer.mean.circular", "[\"360.0 bucketizer.mean.circular\"]");
    /* snapshots evaluate back */
    expect_stack("'bucketizer.sum' FUNCREF ->JSON", "[\"\\\"'bucketizer.sum' FUNCREF\\\"\"]");
    expect_stack("'bucketizer.sum' FUNCREF TYPEOF", "[\"AGGREGATOR\"]");
    check_error("'bucketizer.join'", "FUNCREF", "FUNCREF: 'bucketizer.join' is not a framework function without parameters.");
    check_error("'DUP'", "FUNCREF", "is not a framework function without parameters.");
    check_error("1", "FUNCREF", "FUNCREF expects a STRING at depth 1, got LONG.");
}

/* ---- errors ---- */

Test(bucketize, errors)
{
    check_error("42", "BUCKETIZE", "BUCKETIZE expects a LIST at depth 1, got LONG.");
    check_error("[ 1 2 ]", "BUCKETIZE", "BUCKETIZE needs a list of at least 5 parameters as input.");
    check_error(D8 "[ $d mapper.abs 0 100 0 ]", "BUCKETIZE",
                "BUCKETIZE expects a bucketizer function as fourth to last parameter, got AGGREGATOR.");
    check_error(D8 "[ $d 42 0 100 0 ]", "BUCKETIZE", "expects a bucketizer function as fourth to last parameter, got LONG.");
    check_error("[ NEWGTS bucketizer.sum 0 100 1.0 ]", "BUCKETIZE",
                "BUCKETIZE expects lastbucket, bucketspan and bucketcount as last 3 parameters.");
    check_error("[ 1 bucketizer.sum 0 100 0 ]", "BUCKETIZE", "BUCKETIZE expects a list of geo time series as first parameter.");
    check_error("[ [ 1 ] bucketizer.sum 0 100 0 ]", "BUCKETIZE", "BUCKETIZE expects a list of geo time series as first parameter.");
    check_error(D8 "[ $d bucketizer.sum 0 0 0 ]", "BUCKETIZE", "One of bucketspan or bucketcount must be different from zero.");
    check_error(D8 "[ $d bucketizer.sum 0 1 200000000 ]", "BUCKETIZE",
                "Bucket count (200000000) would exceed maximum value of 100000000 (maxbuckets).");
    check_error(D8 "[ $d bucketizer.sum 0 100 -5 ]", "BUCKETIZE", "Bucket count (-5) would exceed maximum value");
    check_error("[ NEWGTS bucketizer.sum 0 0 1 ]", "BUCKETIZE", "Undefined bucket span, check your GTS timestamps.");
    /* a negative span is cleared, then divides (Warp 10 fails the same way) */
    check_error(D8 "[ $d bucketizer.sum 0 -5 0 ]", "BUCKETIZE", "/ by zero");
    /* NULL bucketizer: nothing is mutated when one series fails */
    expect_stack(D8 "[ $d NEWGTS NULL 0 0 1 ] <% BUCKETIZE %> <% %> <% %> TRY $d BUCKETSPAN", "[0]");
}

Test(bucketize, macro_result_errors)
{
    check_fail(D8 "[ $d <% DROP 42 %> MACROBUCKETIZER 0 400 0 ] BUCKETIZE", "must leave a LIST or tick, latitude, longitude");
    check_fail(D8 "[ $d <% DROP 1 NaN NaN 1.5 42 %> 0 400 0 ] BUCKETIZE",
               "Macro MUST return an elevations which is NaN if it is of type DOUBLE.");
    check_fail(D8 "[ $d <% DROP 1 1 NaN NaN 42 %> 0 400 0 ] BUCKETIZE",
               "Macro MUST return a latitude and a longitude which are of type DOUBLE.");
    check_fail(D8 "[ $d <% DROP 1 NaN NaN 'e' 42 %> 0 400 0 ] BUCKETIZE",
               "Macro MUST return an elevation which is either NaN or LONG.");
    check_fail(D8 "[ $d <% DROP 1.5 NaN NaN NaN 42 %> 0 400 0 ] BUCKETIZE", "Macro MUST return a tick of type LONG.");
    check_fail(D8 "[ $d <% DROP [ ] %> 0 400 0 ] BUCKETIZE", "expected a list of 1 to 5 elements, got 0.");
    check_fail(D8 "[ $d <% DROP [ 'a' 2 ] %> 0 400 0 ] BUCKETIZE", "to hold numbers before the value, got STRING.");
    check_fail(D8 "[ $d <% DROP { } %> 0 400 0 ] BUCKETIZE", "only a mapper may leave a MAP of results.");
    check_fail(D8 "[ $d <% DROP [ 1 [ ] ] %> 0 400 0 ] BUCKETIZE", "A GTS value must be");
    check_fail(D8 "[ $d <% DROP CLEAR %> 0 400 0 ] BUCKETIZE", "Empty stack.");
    /* the input list is popped before user code runs, as in Warp 10 */
    expect_stack(D8 "[ $d <% DROP DEPTH [ SWAP ] %> 0 400 0 ] BUCKETIZE", OUT("[[800,0],[400,0]]"));
}

Test(bucketize, builder_errors)
{
    check_error("", "bucketizer.join", "Empty stack.");
    check_error("[ ]", "bucketizer.join", "bucketizer.join expects a STRING at depth 1, got LIST.");
    check_error("101", "bucketizer.percentile", "Invalid percentile for bucketizer.percentile, MUST be between 0 and 100.");
    check_error("'type'", "bucketizer.percentile", "bucketizer.percentile expect percentile type to be 'typeX' where 0<X<10.");
    check_error("50 'type0'", "bucketizer.percentile", "where X is a integer and 0<X<10.");
    check_error("'type3'", "bucketizer.percentile", "Empty stack.");
    check_error("'x' 'type3'", "bucketizer.percentile", "bucketizer.percentile expects a LONG or a DOUBLE at depth 2, got STRING.");
    check_error("0", "bucketizer.mean.circular", "bucketizer.mean.circular expects a finite, strictly positive, numeric 'period' parameter.");
    check_error("'a'", "bucketizer.mean.circular", "bucketizer.mean.circular expects a LONG or a DOUBLE at depth 1, got STRING.");
    check_error("1", "bucketizer.var", "bucketizer.var expects a BOOLEAN at depth 1, got LONG.");
    check_error("1", "MACROBUCKETIZER", "MACROBUCKETIZER expects a MACRO at depth 1, got LONG.");
}

Test(bucketize, kernel_errors)
{
    check_error("[ NEWGTS 1 NaN NaN NaN 'a' ADDVALUE 2 NaN NaN NaN 'b' ADDVALUE bucketizer.median 2 2 1 ]", "BUCKETIZE",
                "bucketizer.median can only operate on numeric Geo Time Series.");
    check_error("[ NEWGTS 1 NaN NaN NaN 'a' ADDVALUE 50 bucketizer.percentile 2 2 1 ]", "BUCKETIZE",
                "bucketizer.percentile can only operate on numeric Geo Time Series.");
}
