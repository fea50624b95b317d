/* Tests for the specialised framework elements: mapper.dotproduct (and
 * .positive/.sigmoid/.tanh), mapper.npdf, mapper.parsedouble,
 * reducer.argmin/argmax, reducer.shannonentropy.0/.1, filter.latencies,
 * MACROFILLER and filler.trend, and macro mappers leaving a MAP of
 * results. Expected values were computed by hand or with python3 from the
 * Warp 10 definitions (e.g. 1/(1+e^2) = 0.11920292202211755). */
#include "harness.h"

/* Runs src and asserts it fails with a message containing msg (where the
 * stack left by a framework is not the point). */
#define expect_fail(src, msg)                                                                                          \
    do {                                                                                                               \
        exo_vm *vm_ = h_vm();                                                                                          \
        cr_assert_neq(exo_eval(vm_, src, strlen(src), "test"), EXO_OK, "%s: should fail", src);                        \
        cr_assert(strstr(exo_last_error(vm_)->message, msg), "%s: message '%s' lacks '%s'", src,                      \
                  exo_last_error(vm_)->message, msg);                                                                  \
        exo_vm_free(vm_);                                                                                              \
    } while (0)

/* 1..10 at ticks 100..1000 */
#define TEN "NEWGTS 1 10 <% 'i' STORE $i 100 * NaN NaN NaN $i ADDVALUE %> FOR "
/* 1 at 1, -3 at 2 */
#define TWO "NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN -3 ADDVALUE "

/* ---- mapper.dotproduct ---- */

Test(dotproduct, doc_example)
{
    /* www.warp10.io mapper_dotproduct: [1.0 0.1] over a window of 2 */
    expect_stack(TEN "[ SWAP [ 1.0 0.1 ] mapper.dotproduct 1 0 0 ] MAP 0 GET VALUES",
                 "[[1.2,2.3,3.4,4.5,5.6,6.7,7.8,8.9,10.0]]");
    expect_stack(TEN "[ SWAP [ 1.0 0.1 ] mapper.dotproduct 1 0 0 ] MAP 0 GET TICKS",
                 "[[200,300,400,500,600,700,800,900,1000]]");
}

Test(dotproduct, variants)
{
    expect_stack(TWO "[ SWAP [ 1.0 1.0 ] mapper.dotproduct 1 0 0 ] MAP 0 GET VALUES", "[[-2.0]]");
    expect_stack(TWO "[ SWAP [ 1.0 1.0 ] mapper.dotproduct.positive 1 0 0 ] MAP 0 GET VALUES", "[[0.0]]");
    expect_stack(TWO "[ SWAP [ 1.0 1.0 ] mapper.dotproduct.sigmoid 1 0 0 ] MAP 0 GET VALUES", "[[0.11920292202211755]]");
    expect_stack(TWO "[ SWAP [ 1.0 1.0 ] mapper.dotproduct.tanh 1 0 0 ] MAP 0 GET VALUES", "[[-0.9640275800758169]]");
    expect_stack(TWO "[ SWAP [ 2.0 0.5 ] mapper.dotproduct.positive 1 0 0 ] MAP 0 GET VALUES", "[[0.5]]");
}

Test(dotproduct, sizes_and_location)
{
    /* window size differs from the vector: no value; empty vector: none */
    expect_stack(TWO "[ SWAP [ 1.0 ] mapper.dotproduct 1 0 0 ] MAP 0 GET VALUES", "[[1.0]]");
    expect_stack(TWO "[ SWAP [ ] mapper.dotproduct 1 0 0 ] MAP 0 GET VALUES", "[[]]");
    /* the location of the current tick */
    expect_stack("NEWGTS 1 1.0 2.0 5 1 ADDVALUE 2 3.0 4.0 6 2 ADDVALUE [ SWAP [ 1.0 1.0 ] mapper.dotproduct 1 0 0 ] "
                 "MAP 0 GET ELEVATIONS",
                 "[[6]]");
}

Test(dotproduct, errors)
{
    expect_error("[ 1 0.5 ] mapper.dotproduct", "mapper.dotproduct expects an input vector (list of doubles)",
                 "[[1,0.5]]");
    expect_error("1.0 mapper.dotproduct.tanh", "expects an input vector", "[1.0]");
    expect_fail("NEWGTS 1 NaN NaN NaN 'a' ADDVALUE [ SWAP [ 1.0 ] mapper.dotproduct 0 0 0 ] MAP",
                "mapper.dotproduct can only be applied to LONG or DOUBLE values.");
    expect_stack("[ 1.0 0.5 ] mapper.dotproduct.sigmoid TYPEOF", "[\"AGGREGATOR\"]");
}

/* ---- mapper.npdf ---- */

Test(npdf, values)
{
    expect_stack("NEWGTS 1 NaN NaN NaN 0 ADDVALUE 2 NaN NaN NaN 1.0 ADDVALUE [ SWAP 0.0 1.0 mapper.npdf 0 0 0 ] MAP "
                 "0 GET VALUES",
                 "[[0.3989422804014327,0.24197072451914337]]");
    expect_stack("NEWGTS 1 NaN NaN NaN 3 ADDVALUE [ SWAP 1.0 2.0 mapper.npdf 0 0 0 ] MAP 0 GET VALUES",
                 "[[0.12098536225957168]]");
}

Test(npdf, errors)
{
    expect_error("0.0 1 mapper.npdf", "mapper.npdf expects a standard deviation (sigma) on top of the stack.", "[1,0.0]");
    expect_error("0 1.0 mapper.npdf", "mapper.npdf expects a mean (mu) below the standard deviation.", "[1.0,0]");
    expect_fail("NEWGTS 1 NaN NaN NaN 0 ADDVALUE 2 NaN NaN NaN 1 ADDVALUE [ SWAP 0.0 1.0 mapper.npdf 1 0 0 ] MAP",
                "mapper.npdf can only be applied to a single value.");
    expect_fail("NEWGTS 1 NaN NaN NaN true ADDVALUE [ SWAP 0.0 1.0 mapper.npdf 0 0 0 ] MAP",
                "mapper.npdf can only be applied to LONG or DOUBLE values.");
}

/* ---- mapper.parsedouble ---- */

#define PD(lang, text) "NEWGTS 10 NaN NaN NaN " text " ADDVALUE [ SWAP " lang " mapper.parsedouble 0 0 0 ] MAP 0 GET VALUES"

Test(parsedouble, locales)
{
    /* www.warp10.io mapper_parsedouble */
    expect_stack("NEWGTS { 'label0' '42' } RELABEL 10 NaN NaN NaN '2,1' ADDVALUE 20 NaN NaN NaN '4,2' ADDVALUE "
                 "[ SWAP 'fr' mapper.parsedouble 0 0 0 ] MAP",
                 "[[{\"c\":\"\",\"l\":{\"label0\":\"42\"},\"a\":{},\"la\":0,\"v\":[[10,2.1],[20,4.2]]}]]");
    expect_stack(PD("'en'", "'1,234.5'"), "[[1234.5]]");
    expect_stack(PD("'en-US'", "'-3.5E2'"), "[[-350.0]]");
    expect_stack(PD("'de'", "'1.234,5'"), "[[1234.5]]");
    expect_stack(PD("'fr'", "'1\xc2\xa0" "234,5'"), "[[1234.5]]");
    expect_stack(PD("'fr'", "'1.5'"), "[[1.0]]"); /* '.' ends a French number */
    expect_stack(PD("''", "'7.25'"), "[[7.25]]");  /* root locale */
}

Test(parsedouble, prefixes_and_no_value)
{
    expect_stack(PD("'en'", "'12abc'"), "[[12.0]]");
    expect_stack(PD("'en'", "'1E'"), "[[1.0]]");
    expect_stack(PD("'en'", "'2E-3x'"), "[[0.002]]");
    expect_stack(PD("'en'", "'.5'"), "[[0.5]]");
    expect_stack(PD("'en'", "'NaN'"), "[[NaN]]");
    expect_stack(PD("'en'", "'abc'"), "[[]]");
    expect_stack(PD("'en'", "' 1'"), "[[]]");
    expect_stack(PD("'en'", "'+1'"), "[[]]");
    expect_stack(PD("'en'", "''"), "[[]]");
    expect_stack(PD("'en'", "42"), "[[]]"); /* not a STRING: no value */
}

Test(parsedouble, errors)
{
    expect_error("1 mapper.parsedouble",
                 "Invalid parameter type for mapper.parsedouble, expects a language tag (a string) on top of the stack.",
                 "[1]");
    expect_fail("NEWGTS 1 NaN NaN NaN '1' ADDVALUE 2 NaN NaN NaN '2' ADDVALUE [ SWAP 'en' mapper.parsedouble 1 0 0 ] MAP",
                "mapper.parsedouble can only be applied to a single value.");
}

/* ---- reducer.argmin / reducer.argmax ---- */

/* A {h=a b}: 10:5 20:1; B {h=c,d} (DOUBLE): 10:5.0 20:2.5; C {h=e}: 10:3 20:2 */
#define ABC                                                                                                            \
    "NEWGTS { 'h' 'a b' } RELABEL 10 NaN NaN NaN 5 ADDVALUE 20 NaN NaN NaN 1 ADDVALUE 'A' STORE "                      \
    "NEWGTS { 'h' 'c,d' } RELABEL 10 NaN NaN NaN 5.0 ADDVALUE 20 NaN NaN NaN 2.5 ADDVALUE 'B' STORE "                    \
    "NEWGTS { 'h' 'e' } RELABEL 10 NaN NaN NaN 3 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE 'C' STORE "
#define ARG(fn) ABC "[ [ $A $B $C ] [] " fn " ] REDUCE 0 GET VALUES"

Test(argminmax, values)
{
    expect_stack(ARG("'h' 0 reducer.argmax"), "[[\"a%20b,c%2Cd\",\"c%2Cd\"]]");
    expect_stack(ARG("'h' 1 reducer.argmax"), "[[\"a%20b\",\"c%2Cd\"]]");
    expect_stack(ARG("'h' 0 reducer.argmin"), "[[\"e\",\"a%20b\"]]");
    /* nulls are skipped */
    expect_stack(ABC "NEWGTS { 'h' 'z' } RELABEL 30 NaN NaN NaN 9 ADDVALUE 'D' STORE [ [ $A $D ] [] 'h' 0 reducer.argmin ] "
                     "REDUCE 0 GET VALUES",
                 "[[\"a%20b\",\"a%20b\",\"z\"]]");
    expect_stack("'h' 2 reducer.argmin", "[\"'h' 2 reducer.argmin\"]");
    expect_stack("[ 1.0 0.5 ] mapper.dotproduct 0.0 1.0 mapper.npdf 'fr' mapper.parsedouble",
                 "[\"'fr' mapper.parsedouble\",\"0.0 1.0 mapper.npdf\",\"[ 1.0 0.5 ] mapper.dotproduct\"]");
}

Test(argminmax, errors)
{
    expect_error("'h' 1.0 reducer.argmax", "reducer.argmax expects an integer number of maxima to report", "[1.0,\"h\"]");
    expect_error("1 2 reducer.argmin", "reducer.argmin expects the name of the label to report on the second level",
                 "[2,1]");
    expect_fail(ABC "[ [ $A $B $C ] [] 'x' 0 reducer.argmax ] REDUCE",
                "reducer.argmax expects all labels to contain label 'x'.");
    expect_fail("NEWGTS { 'h' 'a' } RELABEL 1 NaN NaN NaN 'v' ADDVALUE 1 ->LIST [ SWAP [] 'h' 0 reducer.argmax ] REDUCE",
                "reducer.argmax can only operate on numerical values.");
}

/* ---- reducer.shannonentropy ---- */

#define SHANNON(fn)                                                                                                    \
    "[ 1 3 <% 'j' STORE NEWGTS 0 10 <% 'i' STORE $i $j * 100 * NaN NaN NaN $i ADDVALUE %> FOR $j TOSTRING RENAME %> "   \
    "FOR ] [ SWAP [] " fn " ] REDUCE 0 GET VALUES"

Test(shannon, doc_example)
{
    /* www.warp10.io reducer_shannonentropy.1 */
    expect_stack(SHANNON("reducer.shannonentropy.1"),
                 "[[0.0,1.0,0.9182958340544894,0.8112781244591328,0.9182958340544894,1.0,0.9056185178648963,1.0,"
                 "0.9182958340544894,0.8112781244591328,0.9182958340544894,0.9709505944546688,1.0,1.0,1.0,"
                 "0.9709505944546688,1.0,1.0,1.0,1.0,1.0]]");
    /* .0: a single value gives 0 */
    expect_stack(SHANNON("reducer.shannonentropy.0") " 0 4 SUBLIST",
                 "[[0.0,0.0,0.9182958340544894,0.8112781244591328,0.9182958340544894]]");
}

Test(shannon, errors)
{
    expect_fail("NEWGTS 1 NaN NaN NaN 1.5 ADDVALUE 1 ->LIST [ SWAP [] reducer.shannonentropy.0 ] REDUCE",
                "reducer.shannonentropy.0 can only operate on long values.");
}

/* ---- filter.latencies ---- */

#define LAT                                                                                                            \
    "NEWGTS 'up' RENAME 100 NaN NaN NaN 7 ADDVALUE 200 NaN NaN NaN 8 ADDVALUE 300 NaN NaN NaN 9 ADDVALUE 'U' STORE "     \
    "NEWGTS 'd1' RENAME 150 NaN NaN NaN 7 ADDVALUE 260 NaN NaN NaN 8 ADDVALUE 265 NaN NaN NaN 8 ADDVALUE 'D1' STORE "   \
    "NEWGTS 'd2' RENAME 120 NaN NaN NaN 7 ADDVALUE 900 NaN NaN NaN 9 ADDVALUE 'D2' STORE "

Test(latencies, statistics)
{
    expect_stack(LAT "[ [ $U ] [ $D1 $D2 ] [] 10 100 [ 'uplink.latency.min' 'uplink.latency.max' ] filter.latencies ] "
                     "FILTER <% DROP DUP NAME SWAP VALUES 2 ->LIST %> LMAP",
                 "[[[\"up:uplink.latency.min\",[20,60,-1]],[\"up:uplink.latency.max\",[50,65,-1]]]]");
    expect_stack(LAT "[ [ $U ] [ $D1 $D2 ] [] 10 100 [ 'downlink.matches' 'downlinks.bitset' 'downlinks.totalmatches' "
                     "'downlinks.withmatches' 'downlink.latency.min' ] filter.latencies ] "
                     "FILTER <% DROP DUP NAME SWAP VALUES 2 ->LIST %> LMAP",
                 "[[[\"d1:downlink.latency.min\",[50,60,-1]],[\"d2:downlink.latency.min\",[20,-1,-1]],"
                 "[\"d1:downlink.matches\",[1,2,0]],[\"d2:downlink.matches\",[1,0,0]],[\"up:downlinks.bitset\",[3,1,0]],"
                 "[\"up:downlinks.totalmatches\",[2,2,0]],[\"up:downlinks.withmatches\",[2,1,0]]]]");
    /* min latency 30 skips d2's packet 7 (20 us) */
    expect_stack(LAT "[ [ $U ] [ $D1 $D2 ] [] 30 100 [ 'downlinks.bitset' ] filter.latencies ] FILTER 0 GET VALUES",
                 "[[1,1,0]]");
}

Test(latencies, shapes_and_errors)
{
    /* the first collection must hold exactly one series */
    expect_stack(LAT "[ [ $U $D1 ] [ $D2 ] [] 0 100 [ 'downlinks.bitset' ] filter.latencies ] FILTER", "[[]]");
    expect_stack(LAT "[ [ $U ] [ ] [] 0 100 [ 'uplink.latency.min' 'bogus' 42 ] filter.latencies ] FILTER 0 GET VALUES",
                 "[[-1,-1,-1]]");
    expect_error("0 100 'x' filter.latencies", "filter.latencies expects a list of options on top of the stack.",
                 "[\"x\",100,0]");
    expect_error("0 1.0 [] filter.latencies", "filter.latencies expects a maximum latency under the list of options.",
                 "[[],1.0,0]");
    expect_error("'a' 1 [] filter.latencies", "filter.latencies expects a minimum latency under the list of options.",
                 "[[],1,\"a\"]");
    expect_fail("NEWGTS 1 NaN NaN NaN 'x' ADDVALUE 'U' STORE [ [ $U ] [] 0 1 [] filter.latencies ] FILTER",
                "filter.latencies expects Geo Time Series of LONG values");
}

/* ---- filler.trend and MACROFILLER (FILL of two series) ---- */

/* a (DOUBLE): 100:1 200:2 300:3 500:5; b (LONG): 100:1 200:2 300:3 400:4 600:6 */
#define FA                                                                                                             \
    "NEWGTS 'a' RENAME 100 NaN NaN NaN 1.0 ADDVALUE 200 NaN NaN NaN 2.0 ADDVALUE 300 NaN NaN NaN 3.0 ADDVALUE "          \
    "500 NaN NaN NaN 5.0 ADDVALUE "                                                                                    \
    "NEWGTS 'b' RENAME 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE "              \
    "400 NaN NaN NaN 4 ADDVALUE 600 NaN NaN NaN 6 ADDVALUE "

Test(fillers, trend)
{
    /* a@400: rates (3-2)/100 and (5-3)/200; alpha = 100/200 = 0 (LONG
     * division) -> 5 - 100*0.01 = 4.0; a@600: 5 + 100*0.01 = 6.0;
     * b@500: rates 0.01 both sides -> 6 - 100*0.01 = 5 */
    expect_stack(FA "filler.trend FILL VALUES SWAP VALUES", "[[1.0,2.0,3.0,4.0,5.0,6.0],[1,2,3,4,5,6]]");
    /* the location is trend-filled from the points' latitudes and longitudes */
    expect_stack("NEWGTS 100 10.0 20.0 NaN 1.0 ADDVALUE 200 20.0 30.0 NaN 2.0 ADDVALUE 400 40.0 50.0 NaN 4.0 ADDVALUE "
                 "NEWGTS 300 NaN NaN NaN 0 ADDVALUE filler.trend FILL DROP LOCATIONS",
                 "[[19.99999998137355,29.999999972060323,39.9999999627471,49.99999995343387],"
                 "[9.999999990686774,19.99999998137355,29.999999972060323,39.9999999627471]]");
    /* a gap before the first point uses the next two points' rate */
    expect_stack("NEWGTS 200 NaN NaN NaN 2.0 ADDVALUE 400 NaN NaN NaN 6.0 ADDVALUE NEWGTS 100 NaN NaN NaN 0 ADDVALUE "
                 "filler.trend FILL DROP VALUES",
                 "[[0.0,2.0,6.0]]");
    /* one point: no rate, nothing filled */
    expect_stack("NEWGTS 200 NaN NaN NaN 2.0 ADDVALUE NEWGTS 100 NaN NaN NaN 0 ADDVALUE filler.trend FILL DROP VALUES",
                 "[[2.0]]");
    expect_fail("NEWGTS 1 NaN NaN NaN 'x' ADDVALUE 2 NaN NaN NaN 'y' ADDVALUE NEWGTS 3 NaN NaN NaN 'z' ADDVALUE "
                "filler.trend FILL",
                "filler.trend can only fill numeric Geo Time Series.");
}

/* the macro shows what it got: names, pre list, current point, post list */
#define SHOW                                                                                                           \
    "<% 'tick' STORE 'post' STORE 'cur' STORE 'pre' STORE 'o' STORE 'u' STORE "                                        \
    "[ $tick NaN NaN NaN $u NAME ' ' + $o NAME + ' ' + $pre ->JSON + ' ' + $cur ->JSON + ' ' + $post ->JSON + ] %> "

Test(fillers, macrofiller)
{
    expect_stack("NEWGTS 'a' RENAME 100 1.5 2.5 7 'x' ADDVALUE 300 NaN NaN NaN 'y' ADDVALUE "
                 "NEWGTS 'b' RENAME 200 NaN NaN NaN 'q' ADDVALUE 300 NaN NaN NaN 'r' ADDVALUE " SHOW
                 "1 2 MACROFILLER FILL DROP VALUES",
                 "[[\"x\",\"a b [[100,1.4999999944120646,2.4999999348074198,7,\\\"x\\\"]] [200,NaN,NaN,NaN,\\\"q\\\"] "
                 "[[300,NaN,NaN,NaN,\\\"y\\\"],[null,NaN,NaN,NaN,null]]\",\"y\"]]");
    /* a null value fills nothing; the returned tick is where the point goes */
    expect_stack("NEWGTS 100 NaN NaN NaN 1 ADDVALUE NEWGTS 200 NaN NaN NaN 2 ADDVALUE <% DROP DROP DROP DROP DROP DROP "
                 "[ NULL ] %> 0 0 MACROFILLER FILL TICKS SWAP TICKS",
                 "[[100],[200]]");
    expect_stack("NEWGTS 100 NaN NaN NaN 1 ADDVALUE NEWGTS 200 NaN NaN NaN 2 ADDVALUE <% 'tick' STORE DROP DROP DROP "
                 "DROP DROP [ $tick 1 + 42 ] %> 0 0 MACROFILLER FILL TICKS SWAP TICKS",
                 "[[100,201],[101,200]]");
    expect_stack("<% 1 %> 1 2 MACROFILLER", "[\"<% <% 1 %> 1 2 MACROFILLER %> EVAL\"]");
}

Test(fillers, errors)
{
    expect_error("<% %> 1 2.0 MACROFILLER", "MACROFILLER expects a 'post' window length on top of the stack.",
                 "[2.0,1,\"<% %>\"]");
    expect_error("<% %> 'x' 2 MACROFILLER", "MACROFILLER expects a 'pre' window length below the 'post' window length.",
                 "[2,\"x\",\"<% %>\"]");
    expect_error("1 1 2 MACROFILLER", "MACROFILLER operates on a MACRO.", "[2,1,1]");
    expect_fail("NEWGTS 100 NaN NaN NaN 1 ADDVALUE NEWGTS 200 NaN NaN NaN 2 ADDVALUE <% 42 %> 0 0 MACROFILLER FILL",
                "Expected a [ ts lat lon elev value ] list as result of filler.");
    expect_fail("[ NEWGTS filler.trend ] FILL", "FILL expects parameter filler to be an univariate filler");
    expect_fail("[ NEWGTS <% %> 0 0 MACROFILLER ] FILL", "FILL expects parameter filler to be an univariate filler");
    expect_fail("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 1 NaN NaN NaN 2 ADDVALUE NEWGTS 1 NaN NaN NaN 3 ADDVALUE "
                "filler.trend FILL",
                "FILL cannot fill Geo Time Series with duplicate timestamps.");
}
