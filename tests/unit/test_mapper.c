/* Tests for MAP and the mapper.* elements: window derivation (tick counts,
 * durations, max.*.sliding.window, occurrences, step, override, explicit
 * ticks), bucketized inputs, the list and map forms, every mapper, macro
 * mappers, STRICTMAPPER, the O(n) sliding forms against the plain kernels,
 * and every error with its message. */
#include "harness.h"
#include "oom.h"

#include <stdio.h>
#include <stdlib.h>

/* g: LONG 10:1 20:3 30:6 40:10; f: DOUBLE 10:1.5 20:-2.5 */
#define G                                                                                                              \
    "NEWGTS 'm' RENAME 10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 3 ADDVALUE 30 NaN NaN NaN 6 ADDVALUE "                 \
    "40 NaN NaN NaN 10 ADDVALUE 'g' STORE NEWGTS 10 NaN NaN NaN 1.5 ADDVALUE 20 NaN NaN NaN -2.5 ADDVALUE 'f' STORE "
#define M(v) "[[{\"c\":\"m\",\"l\":{},\"a\":{},\"la\":0,\"v\":" v "}]]"
#define V(expr) G "[ " expr " ] MAP 0 GET VALUES"

/* ---- windows ---- */

Test(mapper, tick_windows)
{
    expect_stack(G "[ $g mapper.delta 1 0 0 ] MAP", M("[[10,0],[20,2],[30,3],[40,4]]"));
    expect_stack(G "[ $g mapper.sum 0 1 0 ] MAP", M("[[10,4],[20,9],[30,16],[40,10]]"));
    expect_stack(G "[ $g mapper.sum 1 ] MAP", M("[[10,1],[20,4],[30,9],[40,16]]"));
    expect_stack(V("$g mapper.mean 1 1 0"), "[[2.0,3.3333333333333335,6.333333333333333,8.0]]");
    expect_stack(V("$g mapper.sum max.tick.sliding.window 0 0"), "[[1,4,10,20]]");
    expect_stack("max.tick.sliding.window max.time.sliding.window", "[-4611686018427387904,4611686018427387903]");
}

Test(mapper, time_windows)
{
    expect_stack(V("$g mapper.count -15 0 0"), "[[1,2,2,2]]");
    expect_stack(V("$g mapper.sum 0 -10 0"), "[[4,9,16,10]]");
    expect_stack(V("$g mapper.sum max.time.sliding.window 0 0"), "[[1,4,10,20]]");
    expect_stack(V("$g mapper.sum -100 -100 0"), "[[20,20,20,20]]");
}

Test(mapper, duplicate_ticks_in_window)
{
    /* a window is a time range: every point at its bound tick is included */
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE 10 NaN NaN NaN 2 ADDVALUE 20 NaN NaN NaN 4 ADDVALUE "
                 "[ SWAP mapper.sum 1 0 0 ] MAP 0 GET",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[10,3],[10,3],[20,7]]}]");
}

Test(mapper, occurrences_step_override)
{
    expect_stack(V("$g mapper.sum 1 0 2"), "[[1,4]]");
    expect_stack(G "[ $g mapper.sum 1 0 -2 ] MAP", M("[[40,16],[30,9]]"));
    expect_stack(G "[ $g mapper.sum 3 0 -1 ] MAP", M("[[40,20]]"));
    expect_stack(G "[ $g mapper.sum 0 0 0 2 ] MAP", M("[[10,1],[30,6]]"));
    /* override: the kernel's tick (Sum returns 0, Mean the mean tick) */
    expect_stack(G "[ $g mapper.sum 1 0 0 1 true ] MAP", M("[[0,1],[0,4],[0,9],[0,16]]"));
    expect_stack(G "[ $g mapper.mean 1 0 0 1 true ] MAP", M("[[10,1.0],[15,2.0],[25,4.5],[35,8.0]]"));
    expect_stack(G "[ $g mapper.sum 1 0 0 1 false ] MAP", M("[[10,1],[20,4],[30,9],[40,16]]"));
}

Test(mapper, map_form)
{
    expect_stack(G "$g { 'mapper' mapper.sum 'pre' 1 } MAP", M("[[10,1],[20,4],[30,9],[40,16]]"));
    expect_stack(G "$g { 'mapper' mapper.sum 'pre' 1 'occurences' 1 } MAP", M("[[10,1]]"));
    expect_stack(G "$g { 'mapper' mapper.sum 'step' 3 'override' false } MAP", M("[[10,1],[40,10]]"));
    expect_stack(G "[ $g $f ] { 'mapper' mapper.count } MAP SIZE", "[2]");
    expect_stack(G "[ [ $g ] [ $f ] ] { 'mapper' mapper.count } MAP 1 GET VALUES", "[[1,1]]");
}

Test(mapper, explicit_ticks)
{
    /* the current tick belongs to the post side; results are unbucketized */
    expect_stack(G "$g { 'mapper' mapper.sum 'pre' 1 'ticks' [ 25 5 40 ] } MAP", M("[[25,3],[40,6]]"));
    expect_stack(G "$g { 'mapper' mapper.sum 'pre' 1 'post' 1 'ticks' [ 25 ] } MAP", M("[[25,9]]"));
    expect_stack(G "$g { 'mapper' mapper.sum 'pre' 1 'post' 1 'ticks' [ 25 ] 'occurrences' -1 } MAP", M("[[25,9]]"));
    expect_stack(G "[ $g bucketizer.last 40 5 0 ] BUCKETIZE 0 GET { 'mapper' mapper.count 'pre' 1 'ticks' [ 22 ] } MAP "
                   "0 GET DUP VALUES SWAP BUCKETSPAN",
                 "[0,[1]]");
}

Test(mapper, bucketized_input_visits_every_bucket)
{
    expect_stack(G "[ $g bucketizer.last 40 5 0 ] BUCKETIZE 0 GET [ SWAP mapper.count 1 0 0 ] MAP",
                 M("[[10,1],[15,1],[20,1],[25,1],[30,1],[35,1],[40,1]]"));
    expect_stack(G "[ $g bucketizer.last 40 5 0 ] BUCKETIZE 0 GET [ SWAP mapper.tick 0 0 0 ] MAP 0 GET DUP VALUES SWAP BUCKETSPAN",
                 "[5,[10,20,30,40]]");
    expect_stack(G "[ $g bucketizer.last 40 10 0 ] BUCKETIZE 0 GET [ SWAP mapper.sum 0 0 -2 ] MAP", M("[[40,10],[30,6]]"));
}

Test(mapper, empty_gts)
{
    expect_stack("[ NEWGTS mapper.sum 1 0 0 ] MAP", "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]]");
}

/* ---- the sliding forms equal the plain kernels ---- */

Test(mapper, sliding_matches_kernels)
{
    /* STRICTMAPPER hides the sliding form: both paths must agree */
    const char *setup = "NEWGTS 0 999 <% 'i' STORE $i NaN NaN NaN $i 37 * 101 % ADDVALUE %> FOR 'l' STORE "
                        "NEWGTS 0 999 <% 'i' STORE $i NaN NaN NaN $i 37 * 101 % TODOUBLE ADDVALUE %> FOR "
                        "$l 500 NaN NaN NaN 1000 ADDVALUE DROP "
                        "300 NaN NaN NaN NaN ADDVALUE 'd' STORE ";
    const char *kinds[] = {"mapper.sum", "mapper.mean", "mapper.min", "mapper.max", "mapper.count", "mapper.delta", "mapper.rate"};
    const char *wins[] = {"4 0 0", "40 0 0", "20 20 0", "-100 -50 0", "0 3 0"};
    char src[2048];
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        for (size_t i = 0; i < sizeof wins / sizeof *wins; i++)
            for (int s = 0; s < 2; s++) {
                const char *series = s ? "$d" : "$l";
                snprintf(src, sizeof src,
                         "%s [ %s %s %s ] MAP 0 GET VALUES [ %s %s 0 0 STRICTMAPPER %s ] MAP 0 GET VALUES "
                         "->JSON SWAP ->JSON ==",
                         setup, series, kinds[k], wins[i], series, kinds[k], wins[i]);
                expect_stack(src, "[true]");
            }
}

/* ---- the mappers ---- */

Test(mapper, aggregations)
{
    expect_stack(V("$g mapper.min 1 1 0"), "[[1,1,3,6]]");
    expect_stack(V("$g mapper.max 1 1 0"), "[[3,6,10,10]]");
    expect_stack(V("$g mapper.first 1 0 0"), "[[1,1,3,6]]");
    expect_stack(V("$g mapper.last 0 1 0"), "[[3,6,10,10]]");
    expect_stack(V("$g mapper.rate 1 0 0"), "[[0.0,199999.99999999997,300000.0,399999.99999999994]]");
    expect_stack(V("$g mapper.median 1 1 0"), "[[2.0,3.0,6.0,8.0]]");
    expect_stack(V("$g ',' mapper.join 1 0 0"), "[[\"1\",\"1,3\",\"3,6\",\"6,10\"]]");
    expect_stack(V("$g mapper.product 1 0 0"), "[[1,3,18,60]]");
    expect_stack(V("$f mapper.product 1 0 0"), "[[1.5,-3.75]]");
    expect_stack(V("$g mapper.and 0 0 0"), "[[false,false,false,false]]");
    expect_stack(V("$g mapper.count.exclude-nulls 1 0 0"), "[[1,2,2,2]]");
    expect_stack(V("$g true mapper.var 1 0 0"), "[[0.0,2.0,4.5,8.0]]");
    expect_stack(V("$g 50 mapper.percentile 1 0 0"), "[[1,1,3,6]]");
}

Test(mapper, arithmetic)
{
    /* a LONG constant truncates DOUBLE values (MapperAdd / MapperMul) */
    expect_stack("NEWGTS 10 NaN NaN NaN 1.5 ADDVALUE 20 NaN NaN NaN 2.5 ADDVALUE [ SWAP 1 mapper.add 0 0 0 ] MAP",
                 "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[10,2],[20,3]]}]]");
    expect_stack(V("$f 1.0 mapper.add 0 0 0"), "[[2.5,-1.5]]");
    expect_stack(V("$f 2 mapper.mul 0 0 0"), "[[2,-4]]");
    expect_stack(V("$f 2.0 mapper.mul 0 0 0"), "[[3.0,-5.0]]");
    expect_stack(V("$g MAXLONG mapper.add 0 0 0"), "[[-9223372036854775808,-9223372036854775806,-9223372036854775803,-9223372036854775799]]");
    expect_stack(V("$f 2 mapper.pow 0 0 0"), "[[2.25,6.25]]");
    expect_stack(V("$f 2 mapper.exp 0 0 0"), "[[2.8284271247461903,0.1767766952966369]]");
    expect_stack(V("$g 10 mapper.log 0 0 0"), "[[0.0,0.47712125471966244,0.7781512503836435,1.0]]");
    expect_stack(V("$g 4 mapper.mod 0 0 0"), "[[1,3,2,2]]");
    expect_stack(V("$f 2 mapper.mod 0 0 0"), "[[1.5,-0.5]]");
    expect_stack(V("$g 4 mapper.min.x 0 0 0"), "[[1,3,4,4]]");
    expect_stack(V("$g 4 mapper.max.x 0 0 0"), "[[4,4,6,10]]");
    expect_stack(V("$f 0 mapper.max.x 0 0 0"), "[[1.5,0.0]]");
    expect_stack("2 mapper.pow 10 mapper.log 1 mapper.add", "[\"1 mapper.add\",\"2.302585092994046 mapper.log\",\"2.0 mapper.pow\"]");
}

Test(mapper, unary)
{
    expect_stack(V("$f mapper.abs 0 0 0"), "[[1.5,2.5]]");
    expect_stack(V("$g -1 mapper.mul 0 0 0 ] MAP 0 GET [ SWAP mapper.abs 0 0 0"), "[[1,3,6,10]]");
    expect_stack(V("$f mapper.ceil 0 0 0"), "[[2.0,-2.0]]");
    expect_stack(V("$f mapper.floor 0 0 0"), "[[1.0,-3.0]]");
    expect_stack(V("$g mapper.ceil 0 0 0"), "[[1.0,3.0,6.0,10.0]]");
    /* Math.round: half up, -2.5 -> -2 */
    expect_stack(V("$f mapper.round 0 0 0"), "[[2,-2]]");
    expect_stack(V("$g mapper.sqrt 0 0 0"), "[[1.0,1.7320508075688772,2.449489742783178,3.1622776601683795]]");
    expect_stack(V("$f mapper.sigmoid 0 0 0"), "[[0.8175744761936437,0.07585818002124355]]");
    expect_stack(V("$f mapper.tanh 0 0 0"), "[[0.9051482536448664,-0.9866142981514303]]");
    expect_stack("NEWGTS 1 NaN NaN NaN 1.0 ADDVALUE 2 NaN NaN NaN NaN ADDVALUE 3 NaN NaN NaN Infinity ADDVALUE "
                 "[ SWAP mapper.finite 0 0 0 ] MAP 0 GET VALUES",
                 "[[1.0]]");
    expect_stack(V("$g mapper.tick 0 0 0"), "[[10,20,30,40]]");
}

Test(mapper, conversions)
{
    expect_stack(V("$f mapper.tolong 0 0 0"), "[[1,-2]]");
    expect_stack(V("$g mapper.todouble 0 0 0"), "[[1.0,3.0,6.0,10.0]]");
    expect_stack(V("$f mapper.toboolean 0 0 0"), "[[true,true]]");
    expect_stack(V("$f mapper.tostring 0 0 0"), "[[\"1.5\",\"-2.5\"]]");
    expect_stack("NEWGTS 1 NaN NaN NaN '42' ADDVALUE 2 NaN NaN NaN 'x' ADDVALUE 3 NaN NaN NaN '' ADDVALUE 's' STORE "
                 "[ $s mapper.tolong 0 0 0 ] MAP 0 GET VALUES [ $s mapper.todouble 0 0 0 ] MAP 0 GET VALUES "
                 "[ $s mapper.toboolean 0 0 0 ] MAP 0 GET VALUES",
                 "[[true,true,false],[42.0],[42]]");
    expect_stack(V("$g 'x' mapper.replace 0 0 0"), "[[\"x\",\"x\",\"x\",\"x\"]]");
}

Test(mapper, comparisons)
{
    expect_stack(V("$g 3 mapper.gt 0 0 0"), "[[6,10]]");
    expect_stack(V("$g 3 mapper.ge 0 0 0"), "[[3,6,10]]");
    expect_stack(V("$g 3 mapper.lt 0 0 0"), "[[1]]");
    expect_stack(V("$g 3 mapper.le 0 0 0"), "[[1,3]]");
    expect_stack(V("$g 3 mapper.eq 0 0 0"), "[[3]]");
    expect_stack(V("$g 3 mapper.ne 0 0 0"), "[[1,6,10]]");
    /* a LONG threshold compares longValue(): 1.5 is not > 1 */
    expect_stack(V("$f 1 mapper.gt 0 0 0"), "[[]]");
    expect_stack(V("$f 1.0 mapper.gt 0 0 0"), "[[1.5]]");
    expect_stack(V("$g 20 mapper.le.tick 0 0 0"), "[[1,3]]");
    /* with a window, the earliest passing point is kept */
    expect_stack(V("$g 2 mapper.gt 1 1 0"), "[[3,3,3,6]]");
    expect_stack(V("$g '3' mapper.eq 0 0 0"), "[[3]]");
    expect_stack("NEWGTS 1 NaN NaN NaN T ADDVALUE 2 NaN NaN NaN F ADDVALUE [ SWAP true mapper.ne 0 0 0 ] MAP 0 GET VALUES",
                 "[[false]]");
    expect_stack("NEWGTS 1 10.0 20.0 5 1 ADDVALUE 2 50.0 20.0 7 2 ADDVALUE 'p' STORE "
                 "[ $p 30 mapper.gt.lat 0 0 0 ] MAP 0 GET VALUES [ $p 6 mapper.lt.elev 0 0 0 ] MAP 0 GET VALUES",
                 "[[1],[2]]");
}

Test(mapper, calendar)
{
    /* 1700000000 s = Tuesday 2023-11-14T22:13:20Z */
    const char *c = "NEWGTS 1700000000000000 NaN NaN NaN 1 ADDVALUE 'g' STORE ";
    char src[512];
    const char *cases[][2] = {
        {"'UTC' mapper.year", "[[2023]]"},      {"'UTC' mapper.month", "[[11]]"},
        {"'UTC' mapper.day", "[[14]]"},         {"'UTC' mapper.weekday", "[[2]]"},
        {"'UTC' mapper.hour", "[[22]]"},        {"'UTC' mapper.minute", "[[13]]"},
        {"'UTC' mapper.second", "[[20.0]]"},    {"'Europe/Paris' mapper.hour", "[[23]]"},
        {"'Europe/Paris' mapper.day", "[[14]]"}, {"-3600000 mapper.hour", "[[21]]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(src, sizeof src, "%s [ $g %s 0 0 0 ] MAP 0 GET VALUES", c, cases[i][0]);
        expect_stack(src, cases[i][1]);
    }
    /* MapperSecondOfMinute adds the tick's fraction of second (Java's %: negative before 1970) */
    expect_stack("NEWGTS 1700000000250000 NaN NaN NaN 1 ADDVALUE -1 NaN NaN NaN 1 ADDVALUE "
                 "[ SWAP 'UTC' mapper.second 0 0 0 ] MAP 0 GET VALUES",
                 "[[-1.0E-6,20.25]]");
    expect_stack("3600000 mapper.year 'UTC' mapper.day", "[\"'UTC' mapper.day\",\"'%2B01%3A00' mapper.year\"]");
    check_error("'Nowhere/X'", "mapper.year", "unknown time zone 'Nowhere/X'.");
    check_error("[ ]", "mapper.hour", "mapper.hour expects a STRING timezone or a NUMBER millisecond offset.");
}

Test(mapper, macros)
{
    /* MACROMAPPER gets [tick [names] [labels] [ticks] [lats] [lons] [elevs] [values]] */
    expect_stack(V("$g <% DUP 0 GET SWAP 7 GET 0 GET 2 * [ ROT ROT ] %> MACROMAPPER 0 0 0"), "[[2,6,12,20]]");
    expect_stack(V("$g <% 1 GET SIZE [ SWAP ] %> MACROMAPPER 1 0 0"), "[[1,2,2,2]]");
    /* a plain macro gets the window as a GTS */
    expect_stack(V("$g <% VALUES 0 GET [ SWAP 100 * ] %> 1 0 0"), "[[100,100,300,600]]");
    expect_stack(V("$g <% NAME [ SWAP ] %> 0 0 0"), "[[\"m\",\"m\",\"m\",\"m\"]]");
    expect_stack("<% %> MACROMAPPER TYPEOF", "[\"AGGREGATOR\"]");
}

/* A macro leaving a MAP { name: [tick .. value] } makes one series per name
 * (GTSHelper.map), in name order; MAP nests two or more in a sub-list.
 * Once a MAP came back, results that are not MAPs are dropped. */
#define NAMED(name, v) "{\"c\":\"" name "\",\"l\":{},\"a\":{},\"la\":0,\"v\":" v "}"
Test(mapper, macro_named_results)
{
    expect_stack(G "[ $g <% VALUES 0 GET 'v' STORE { 'lo' [ $v ] 'hi' [ 0 $v 10 * ] } %> 0 0 0 ] MAP",
                 "[[[" NAMED("hi", "[[10,10],[20,30],[30,60],[40,100]]") "," NAMED("lo", "[[10,1],[20,3],[30,6],[40,10]]") "]]]");
    /* one name: a plain GTS in MAP's result; override takes the returned tick */
    expect_stack(G "[ $g $f <% DROP { 'x' [ 5 7 ] } %> 0 0 1 1 true ] MAP",
                 "[[" NAMED("x", "[[5,7]]") "," NAMED("x", "[[5,7]]") "]]");
    /* an empty MAP every time: no series at all */
    expect_stack(G "[ $g <% DROP { } %> 0 0 0 ] MAP", "[[]]");
    /* MACROMAPPER too; the LIST result of tick 20 is dropped, a NULL value adds no point */
    expect_stack(G "[ $g <% 0 GET 't' STORE $t 20 == <% [ 1 ] %> <% { 1 [ NULL ] 'k' [ $t ] } %> IFTE %> MACROMAPPER 0 0 0 ] MAP",
                 "[[[" NAMED("1", "[]") "," NAMED("k", "[[10,10],[30,30],[40,40]]") "]]]");
    check_fail(G "[ $g <% DROP { 'a' 1 } %> 0 0 0 ] MAP", "a MAP of results must map each name to a LIST");
    check_fail(G "[ $g <% DROP { 'a' [ ] } %> 0 0 0 ] MAP", "");
    oom_sweep(G "[ $g $f <% VALUES 0 GET 'v' STORE { 'lo' [ $v ] 'hi' [ 0 $v ] 'b' [ NULL ] } %> 1 0 0 ] MAP CLEAR", OOM_STRICT);
}

Test(mapper, strictmapper)
{
    expect_stack(G "[ $g mapper.sum 2 3 STRICTMAPPER 1 0 0 ] MAP", M("[[20,4],[30,9],[40,16]]"));
    expect_stack(G "[ $g mapper.sum -15 -25 STRICTMAPPER 1 0 0 ] MAP", M("[]"));
    expect_stack(G "[ $g mapper.sum -5 -25 STRICTMAPPER 1 0 0 ] MAP", M("[[20,4],[30,9],[40,16]]"));
    expect_stack("mapper.sum 2 3 STRICTMAPPER", "[\"<% 'mapper.sum' FUNCREF 2 3 STRICTMAPPER %> EVAL\"]");
}

/* ---- errors ---- */

Test(mapper, errors)
{
    check_error("1", "MAP", "MAP expects a list as input or a map of parameters on top of a list of GTS.");
    check_error("[ ]", "MAP", "MAP expects Geo Time Series or lists thereof as first parameters.");
    check_error(G "[ $g ]", "MAP", "MAP expects a mapper function or a macro after Geo Time Series.");
    check_error(G "[ $g <% %> MACROBUCKETIZER 1 ]", "MAP", "MAP expects a mapper function or a macro after Geo Time Series.");
    check_error(G "[ $g mapper.sum 1.0 ]", "MAP",
                "MAP expects prewindow, postwindow and occurrences as 3 parameters following the mapper function.");
    check_error(G "[ $g mapper.sum 0 0 0 0 ]", "MAP", "MAP expects a step parameter which is strictly positive.");
    check_error(G "[ $g mapper.sum 0 0 0 1.0 ]", "MAP", "MAP expects a step parameter that is an integer number.");
    check_error(G "[ $g mapper.sum 0 0 0 1 1 ]", "MAP", "MAP expects a boolean as 'override tick' parameter.");
    check_error("[ [ 1 ] mapper.sum ]", "MAP", "MAP operates on lists of Geo Time Series.");
    check_error(G "$g { }", "MAP", "MAP Missing 'mapper' parameter.");
    check_error(G "$g { 'mapper' mapper.sum 'pre' 1.0 }", "MAP", "MAP expects the pre parameter to be a LONG.");
    check_error(G "$g { 'mapper' mapper.sum 'step' 'x' }", "MAP", "MAP expects the step parameter to be a LONG.");
    check_error(G "$g { 'mapper' mapper.sum 'ticks' 1 }", "MAP", "MAP expects 'ticks' to be list of LONG values.");
    check_error(G "$g { 'mapper' mapper.sum 'ticks' [ 1.0 ] }", "MAP", "MAP expects 'ticks' to be list of LONG values.");
    check_error(G "$g { 'mapper' mapper.sum 'override' 1 }", "MAP", "MAP expects the override parameter to be a BOOLEAN.");
    check_error(G "$g { 'mapper' 1 }", "MAP", "MAP expects a mapper function or a macro as 'mapper' parameter, got LONG.");
    check_error("1 { 'mapper' mapper.sum }", "MAP", "MAP operates on lists of Geo Time Series.");
    check_error("{ 'mapper' mapper.sum }", "MAP", "Empty stack.");
    check_error(G "[ $g mapper.abs 1 0 0 ]", "MAP", "mapper.abs can only be applied to a single value.");
    check_error("[ NEWGTS 1 NaN NaN NaN 'a' ADDVALUE 1 mapper.add 0 0 0 ]", "MAP",
                "mapper.add can only be applied to LONG or DOUBLE values.");
    check_error("[ NEWGTS 1 NaN NaN NaN 'a' ADDVALUE mapper.product 0 0 0 ]", "MAP",
                "mapper.product can only be applied to LONG or DOUBLE values.");
    check_error(G "[ $g 0 mapper.mod 0 0 0 ]", "MAP", "/ by zero");
    check_fail(G "[ $g <% DROP 1 %> 0 0 0 ] MAP", "must leave a LIST or tick, latitude, longitude");
}

Test(mapper, builder_errors)
{
    check_error("'a'", "mapper.add", "mapper.add expects a LONG or a DOUBLE at depth 1, got STRING.");
    check_error("NULL", "mapper.pow", "mapper.pow expects a LONG or a DOUBLE at depth 1, got NULL.");
    check_error("true", "mapper.lt", "mapper.lt cannot compare with a BOOLEAN.");
    check_error("1.0", "mapper.gt.tick", "mapper.gt.tick can only compare with a LONG.");
    check_error("'a'", "mapper.gt.lat", "mapper.gt.lat can only compare with a DOUBLE or a LONG.");
    check_error("[ ]", "mapper.gt", "mapper.gt can only compare with a STRING, a DOUBLE, a LONG or a BOOLEAN.");
    check_error("[ ]", "mapper.replace", "mapper.replace expects a LONG, a DOUBLE, a STRING or a BOOLEAN at depth 1, got LIST.");
    check_error("1", "MACROMAPPER", "MACROMAPPER expects a MACRO at depth 1, got LONG.");
    check_error("mapper.sum 3 2", "STRICTMAPPER",
                "STRICTMAPPER expects abs(min) <= abs(max) when min and max both express a count or both express a duration.");
    check_error("1 2 3", "STRICTMAPPER", "STRICTMAPPER expects a mapper at depth 3, got LONG.");
    check_error("mapper.sum 'a' 3", "STRICTMAPPER", "at depth 2, got STRING.");
    check_error("mapper.sum 1 'a'", "STRICTMAPPER", "at depth 1, got STRING.");
    check_error("1 2", "STRICTMAPPER", "Empty stack.");
}

/* ---- shared ticks (copy on write) ----
 * The whole-series fast path gives the result the input's ticks array;
 * whichever series changes its ticks first copies them, so neither ever
 * sees the other's changes. */

/* s: DOUBLE, descending ticks 40..10 (the fast path reverses it in place) */
#define S                                                                                                              \
    "NEWGTS 's' RENAME 40 NaN NaN NaN 4.0 ADDVALUE 30 NaN NaN NaN 3.0 ADDVALUE 20 NaN NaN NaN 1.0 ADDVALUE "          \
    "10 NaN NaN NaN 2.0 ADDVALUE 'in' STORE [ $in mapper.delta 1 0 0 ] MAP 0 GET 'out' STORE "
#define SJ(v) "{\"c\":\"s\",\"l\":{},\"a\":{},\"la\":0,\"v\":" v "}"
#define IN_ASC "[[10,2.0],[20,1.0],[30,3.0],[40,4.0]]"
#define OUT_ASC "[[10,0.0],[20,-1.0],[30,2.0],[40,1.0]]"

Test(mapper, shared_ticks_results)
{
    expect_stack(S "$out $in", "[" SJ(IN_ASC) "," SJ(OUT_ASC) "]");
    /* the result changed: append, sort, value sort, shrink then append */
    expect_stack(S "$out 50 NaN NaN NaN 9.0 ADDVALUE DROP $out $in",
                 "[" SJ(IN_ASC) "," SJ("[[10,0.0],[20,-1.0],[30,2.0],[40,1.0],[50,9.0]]") "]");
    expect_stack(S "$out RSORT DROP $out $in", "[" SJ(IN_ASC) "," SJ("[[40,1.0],[30,2.0],[20,-1.0],[10,0.0]]") "]");
    expect_stack(S "$out VALUESORT DROP $out $in", "[" SJ(IN_ASC) "," SJ("[[20,-1.0],[10,0.0],[40,1.0],[30,2.0]]") "]");
    expect_stack(S "$out 2 SHRINK 5 NaN NaN NaN 7.0 ADDVALUE DROP $out $in",
                 "[" SJ(IN_ASC) "," SJ("[[10,0.0],[20,-1.0],[5,7.0]]") "]");
    /* the input changed */
    expect_stack(S "$in 50 NaN NaN NaN 9.0 ADDVALUE DROP $out $in",
                 "[" SJ("[[10,2.0],[20,1.0],[30,3.0],[40,4.0],[50,9.0]]") "," SJ(OUT_ASC) "]");
    expect_stack(S "$in RSORT DROP $in $out", "[" SJ(OUT_ASC) "," SJ("[[40,4.0],[30,3.0],[20,1.0],[10,2.0]]") "]");
    expect_stack(S "$out $in $in DEDUP $in 1 TIMESHIFT",
                 "[" SJ("[[11,2.0],[21,1.0],[31,3.0],[41,4.0]]") "," SJ(IN_ASC) "," SJ(IN_ASC) "," SJ(OUT_ASC) "]");
}

Test(mapper, shared_ticks_three_holders)
{
    /* two results and the input hold one array; each change copies it once */
    expect_stack(S "[ $in mapper.sum 1 0 0 ] MAP 0 GET 'sum' STORE "
                   "$in 0 NaN NaN NaN 0.0 ADDVALUE DROP $out RSORT DROP $sum 50 NaN NaN NaN 1.0 ADDVALUE DROP "
                   "$sum $out $in",
                 "[" SJ("[[10,2.0],[20,1.0],[30,3.0],[40,4.0],[0,0.0]]") "," SJ("[[40,1.0],[30,2.0],[20,-1.0],[10,0.0]]") "," SJ(
                     "[[10,2.0],[20,3.0],[30,4.0],[40,7.0],[50,1.0]]") "]");
    /* dropped in either order: the last holder frees the array */
    expect_stack(S "$in DROP NULL 'in' STORE $out", "[" SJ(OUT_ASC) "]");
    expect_stack(S "NULL 'out' STORE $in", "[" SJ(IN_ASC) "]");
    /* a result mapped again shares the same array once more */
    expect_stack(S "[ $out mapper.delta 1 0 0 ] MAP 0 GET 'o2' STORE $o2 VALUES $out VALUES $in VALUES",
                 "[[2.0,1.0,3.0,4.0],[0.0,-1.0,2.0,1.0],[0.0,-1.0,3.0,-1.0]]");
}

Test(mapper, fetched_and_mapped_series_independent)
{
    /* a series fetched twice is two independent copies; mapping one and
     * changing the other and the result leaves the rest as it was */
    exo_vm *vm = h_vm();
    const char *data = "10// f{} 1.0\n20// f{} 3.0\n30// f{} 6.0\n40// f{} 10.0\n";
    cr_assert_eq(exo_load_gts_text(vm, data, strlen(data), "d"), EXO_OK);
    const char *src = "[ 't' 'f' {} MAXLONG MAXLONG ] FETCH 0 GET 'a' STORE [ 't' 'f' {} MAXLONG MAXLONG ] FETCH 0 GET 'b' STORE "
                      "[ $a mapper.delta 1 0 0 ] MAP 0 GET 'm' STORE $a 50 NaN NaN NaN 1.0 ADDVALUE DROP "
                      "$m 5 NaN NaN NaN 2.0 ADDVALUE DROP $m VALUES $m TICKS $b TICKS $a TICKS";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t"), EXO_OK, "%s", exo_last_error(vm)->message);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[[10,20,30,40,50],[10,20,30,40],[5,10,20,30,40],[0.0,2.0,3.0,4.0,2.0]]");
    exo_vm_free(vm);
}

static long cow_countdown;
static size_t cow_live;
static void *cow_alloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    (void)ud;
    if (new_size == 0) {
        cow_live -= old_size;
        free(ptr);
        return NULL;
    }
    if (cow_countdown > 0 && --cow_countdown == 0)
        return NULL;
    void *p = realloc(ptr, new_size);
    if (p)
        cow_live = cow_live - old_size + new_size;
    return p;
}

Test(mapper, shared_ticks_allocation_failures)
{
    /* every allocation fails in turn: an error or success, never a crash
     * or a leak, and the series never see each other's changes */
    const char *src = S "[ $in mapper.sum 1 0 0 ] MAP 0 GET 'sum' STORE $out RSORT DROP $in 0 NaN NaN NaN 0.0 ADDVALUE "
                        "DROP $sum VALUESORT DROP $out 2 SHRINK DROP $sum $out $in";
    const char *want = "[" SJ("[[10,2.0],[20,1.0],[30,3.0],[40,4.0],[0,0.0]]") "," SJ("[[10,0.0],[20,-1.0]]") "," SJ(
        "[[10,2.0],[20,3.0],[30,4.0],[40,7.0]]") "]";
    for (long n = 1; n < 10000; n++) {
        exo_config cfg;
        exo_config_init(&cfg);
        exo_limits_generous(&cfg.limits);
        cfg.alloc = cow_alloc;
        cow_live = 0;
        cow_countdown = n;
        exo_vm *vm = exo_vm_new(&cfg);
        if (!vm) {
            cr_assert_eq(cow_live, 0);
            continue;
        }
        exo_status st = exo_eval(vm, src, strlen(src), "oom");
        bool done = cow_countdown > 0;
        cow_countdown = 0;
        if (st != EXO_OK)
            cr_assert(st == EXO_ERR_OOM || strstr(exo_last_error(vm)->message, "memory"), "n=%ld: %d %s", n, st,
                      exo_last_error(vm)->message);
        else
            cr_assert_str_eq(exo_stack_json(vm, NULL), want, "n=%ld", n);
        exo_vm_free(vm);
        cr_assert_eq(cow_live, 0, "n=%ld: %zu bytes leaked", n, cow_live);
        if (done && st == EXO_OK)
            return;
    }
    cr_assert_fail("the script never ran to completion");
}
