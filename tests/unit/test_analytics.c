/* Tests for builtins/analytics.c: DTW, RAWDTW, MODE, CORRELATE. Expected
 * values come from Python transcriptions of Warp 10's DTW (two rows, free
 * start and end along the shorter series) and CORRELATE. */
#include "an_harness.h"
#include "oom.h"

#define SINCOS                                                                                                         \
    "NEWGTS 1 360 <% DUP 360.0 / 2 PI * * SIN NaN NaN NaN 4 ROLL ADDVALUE %> FOR "                                    \
    "NEWGTS 1 360 <% DUP 360.0 / 2 PI * * COS NaN NaN NaN 4 ROLL ADDVALUE %> FOR "

Test(analytics, dtw_reference_example)
{
    expect_stack(SINCOS "0.0 DTW", "[14.107074915217595]");
    expect_stack(SINCOS "13.0 DTW", "[-1.0]"); /* no row stays below the threshold */
    expect_stack(SINCOS "15 DTW", "[14.107074915217595]");
}

Test(analytics, dtw_lists_and_raw)
{
    expect_stack("[ 1 2 3 4 5 ] [] [] [] [ 1.0 2.0 3.0 4.0 2.0 ] MAKEGTS [ 1.0 3.0 4.0 ] 0.0 DTW", "[1.0]");
    expect_stack("[ 1.0 2.0 3.0 4.0 2.0 ] [ 1 3 4 ] 0.0 RAWDTW", "[3.0]");
    expect_stack("[ 1.0 3.0 4.0 ] [ 1.0 2.0 3.0 4.0 2.0 ] 0.0 RAWDTW", "[3.0]");
    expect_stack("[ 1.0 2.0 3.0 ] [ 0.0 5.0 1.0 ] 2.5 RAWDTW", "[-1.0]");
    expect_stack("[ 1.0 2.0 3.0 ] [ 0.0 5.0 1.0 ] 4.0 RAWDTW", "[3.0]");
    /* the shorter series may start and end anywhere along the other */
    expect_stack("[ 9 2 3 9 ] [ 2 3 ] 0.0 RAWDTW", "[13.0]");
    expect_stack("[ 1 2 3 ] [ 1 2 3 ] 0 RAWDTW", "[0.0]");
    /* unsorted GTS are sorted first */
    expect_stack("[ 3 1 2 ] [] [] [] [ 3.0 1.0 2.0 ] MAKEGTS [ 1 2 3 ] 0.0 RAWDTW", "[0.0]");
    /* empty inputs: no row, so nothing below the threshold */
    expect_stack("[] [ 1 2 ] 0.0 RAWDTW", "[-1.0]");
}

Test(analytics, dtw_errors)
{
    expect_error("[ 1 2 ] [ 1 2 ] 'x' DTW", "DTW expects a numeric threshold at depth 1, got STRING.",
                 "[\"x\",[1,2],[1,2]]");
    expect_error("[ 1 2 ] [ 'a' ] 0.0 DTW", "DTW expects a GTS or a LIST of numbers at depth 2, got LIST.",
                 "[0.0,[\"a\"],[1,2]]");
    expect_error("42 [ 1 2 ] 0.0 DTW", "DTW expects a GTS or a LIST of numbers at depth 3, got LONG.",
                 "[0.0,[1,2],42]");
    expect_error("[ 1 1 1 ] [ 1 2 ] 0.0 DTW", "DTW cannot (yet) operate on constant GTS.", "[0.0,[1,2],[1,1,1]]");
    expect_error("[ 1 2 ] [] [] [] [ 'a' 'b' ] MAKEGTS [ 1 2 ] 0.0 RAWDTW",
                 "RAWDTW can only operate on numerical Geo Time Series.",
                 "[0.0,[1,2],{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,\"a\"],[2,\"b\"]]}]");
    expect_error("NEWGTS [ 1 2 ] 0.0 DTW", "DTW can only operate on numerical Geo Time Series.",
                 "[0.0,[1,2],{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]");
    expect_error("[ 1 2 ] 0.0 DTW", "Empty stack.", "[0.0,[1,2]]");
}

Test(analytics, mode)
{
    /* the reference documentation's example */
    expect_stack("[ NEWGTS 300 NaN NaN NaN 8 ADDVALUE 400 NaN NaN NaN 7 ADDVALUE 500 NaN NaN NaN 6 ADDVALUE "
                 "700 NaN NaN NaN 42 ADDVALUE 800 NaN NaN NaN 42 ADDVALUE 900 NaN NaN NaN 3 ADDVALUE "
                 "1100 NaN NaN NaN 1 ADDVALUE NEWGTS 100 NaN NaN NaN 1 ADDVALUE 700 NaN NaN NaN 42 ADDVALUE "
                 "800 NaN NaN NaN 42 ADDVALUE 1100 NaN NaN NaN 1 ADDVALUE ] MODE",
                 "[[[42],[1,42]]]");
    expect_stack("[ 1 2 3 4 ] [] [] [] [ 2.5 1.5 2.5 1000.25 ] MAKEGTS MODE", "[[2.5]]");
    expect_stack("[ 1 2 3 4 ] [] [] [] [ 'b' 'a' 'b' 'a' ] MAKEGTS MODE", "[[\"a\",\"b\"]]");
    expect_stack("[ 1 2 3 ] [] [] [] [ true false true ] MAKEGTS MODE", "[[true]]");
    expect_stack("[ 1 2 3 ] [] [] [] [ 1000 2000 3000 ] MAKEGTS MODE", "[[1000,2000,3000]]");
    expect_stack("NEWGTS MODE", "[[]]");
    expect_stack("[] MODE", "[[]]");
    /* the series ends up sorted by value, as in Warp 10 */
    expect_stack("[ 1 2 3 ] [] [] [] [ 3 1 2 ] MAKEGTS DUP MODE DROP VALUES", "[[1,2,3]]");
}

Test(analytics, mode_errors)
{
    expect_error("42 MODE", "MODE expects a GTS or a LIST of GTS at depth 1, got LONG.", "[42]");
    expect_error("[ 42 ] MODE", "MODE expects a GTS or a LIST of GTS at depth 1, got LIST.", "[[42]]");
    expect_error("MODE", "Empty stack.", "[]");
}

#define CORR_AB                                                                                                        \
    "[ [ 1 2 3 4 5 6 7 8 9 10 ] [] [] [] [ 2.0 4.0 1.0 3.0 0.0 2.0 4.0 1.0 3.0 0.0 ] MAKEGTS 'a' RENAME "           \
    "bucketizer.last 10 1 10 ] BUCKETIZE 0 GET 'a' STORE "                                                           \
    "[ [ 1 2 3 4 5 6 7 8 9 10 ] [] [] [] [ 3 2 1 0 3 2 1 0 3 2 ] MAKEGTS 'b' RENAME { 'x' 'y' } RELABEL "          \
    "bucketizer.last 10 1 10 ] BUCKETIZE 0 GET 'b' STORE "

Test(analytics, correlate)
{
    expect_stack(CORR_AB "$a $b [ 0 1 2 -1 20 ] CORRELATE",
                 "[[{\"c\":\"b\",\"l\":{\"x\":\"y\"},\"a\":{},\"la\":0,\"v\":[[0,-0.11570838237598058],"
                 "[1,-0.21930451724229735],[2,-0.035871502698971956],[-1,0.11475506210984943],[20,0.0]]}]]");
    expect_stack(CORR_AB "$a [ $a $b ] [ 0 1 3 ] CORRELATE 0 GET VALUES",
                 "[[0.9,-0.5039526306789696,-0.2253958740603333]]");
    expect_stack(CORR_AB "$a $b [] CORRELATE 0 GET SIZE", "[0]");
    expect_stack(CORR_AB "$a [] [ 0 ] CORRELATE", "[[]]");
}

#define E "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}"
#define CD                                                                                                             \
    "[ [ 2 4 ] [] [] [] [ 1.0 2.0 ] MAKEGTS bucketizer.last 4 2 2 ] BUCKETIZE 0 GET 'c' STORE "                        \
    "[ [ 1 2 3 ] [] [] [] [ 1.0 2.0 3.0 ] MAKEGTS bucketizer.last 3 1 3 ] BUCKETIZE 0 GET 'd' STORE "
#define C_JSON "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[4,2.0],[2,1.0]]}"
#define D_JSON "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[3,3.0],[2,2.0],[1,1.0]]}"

Test(analytics, correlate_errors)
{
    expect_error("NEWGTS NEWGTS 0 CORRELATE", "CORRELATE expects a LIST of offsets at depth 1, got LONG.",
                 "[0," E "," E "]");
    expect_error("NEWGTS NEWGTS [ 'a' ] CORRELATE", "CORRELATE expects a LIST of offsets at depth 1, got LIST.",
                 "[[\"a\"]," E "," E "]");
    expect_error("NEWGTS 42 [ 0 ] CORRELATE", "CORRELATE expects a GTS or a LIST of GTS at depth 2, got LONG.",
                 "[[0],42," E "]");
    expect_error("42 NEWGTS [ 0 ] CORRELATE", "CORRELATE expects a GTS at depth 3, got LONG.", "[[0]," E ",42]");
    expect_error("NEWGTS NEWGTS [ 0 ] CORRELATE",
                 "CORRELATE operates on bucketized, filled numeric Geo Time Series.", "[[0]," E "," E "]");
    expect_error(CD "$c $c [ 1 ] CORRELATE", "CORRELATE expects offsets to be multiples of the bucketspan (2).",
                 "[[1]," C_JSON "," C_JSON "]");
    expect_error(CD "$c $d [ 2 ] CORRELATE",
                 "CORRELATE operates on bucketized Geo Time Series with all the same bucketspan. The expected "
                 "bucketspan is 2",
                 "[[2]," D_JSON "," C_JSON "]");
    expect_error(CD "$c [ $c NEWGTS ] [ 2 ] CORRELATE",
                 "CORRELATE operates on bucketized, filled numeric Geo Time Series.",
                 "[[2],[" C_JSON "," E "]," C_JSON "]");
    expect_error("[ 0 ] CORRELATE", "Empty stack.", "[[0]]");
}

/* ---- allocation failures: every analytics word, failing each allocation in turn ---- */

#include "vm.h"

Test(analytics, allocation_failures)
{
    const char *src =
        "[ NEWGTS 1 64 <% DUP DUP 2 * PI * 16.0 / SIN SWAP 0.1 * + NaN NaN NaN 4 ROLL ADDVALUE %> FOR "
        "bucketizer.last 64 1 64 ] BUCKETIZE 0 GET 'b' STORE "
        "[ 1 2 3 4 5 6 7 8 ] [ 1.0 NaN 2.0 NaN 3.0 NaN 4.0 NaN ] [ 1.0 NaN 2.0 NaN 3.0 NaN 4.0 NaN ] [] "
        "[ 1.0 5.0 2.0 8.0 3.0 3.0 9.0 1.0 ] MAKEGTS 'g' STORE "
        "[ $g 1 5 mapper.kernel.gaussian 2 2 0 ] MAP DROP $g $b 0.0 DTW DROP [ 1 2 ] $g 0.0 RAWDTW DROP "
        "[ $g $b ] MODE DROP $b [ $b ] [ 0 1 ] CORRELATE DROP "
        "$g 0.5 SINGLEEXPONENTIALSMOOTHING DROP [ $g ] 0.5 0.5 DOUBLEEXPONENTIALSMOOTHING DROP "
        "$g 3 LOWESS DROP $b 5 2 3 2 RLOWESS DROP $g true ZSCORE DROP $g 3 false ESDTEST DROP $g true GRUBBSTEST DROP "
        "$g 4 LTTB DROP $b 6 TLTTB DROP $b FFT DROP $b FFTAP DROP $g $g IFFT DROP "
        "$b { 'PERIOD' 16 'ROBUST' true } STL DROP $b 8 4 4 2 false 0.0 DISCORDS DROP";
    oom_sweep(src, OOM_STRICT);
}
