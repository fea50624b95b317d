/* Tests for builtins/smoothing.c: exponential smoothing and LOWESS.
 * Expected values come from a Python transcription of GTSHelper's
 * exponential smoothing and rlowess (neighbours, tricube weights, delta
 * interpolation, bisquare robustness). */
#include "an_harness.h"

#define SIX "[ 1 2 3 4 5 6 ] [] [] [] [ 1 4 9 16 25 36 ] MAKEGTS 's' STORE "
#define Y "[ 1 2 3 4 5 6 7 8 9 10 ] [] [] [] [ 2 6 9 17 27 36 50 66 81 101 ] MAKEGTS 'y' STORE "
#define GAPS                                                                                                           \
    "[ [ 1 2 3 5 6 8 9 10 ] [] [] [] [ 2 6 9 27 36 66 81 101 ] MAKEGTS bucketizer.last 10 1 10 ] BUCKETIZE 0 GET "   \
    "'g' STORE "
#define EMPTY "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}"

Test(smoothing, single_exponential)
{
    expect_stack(SIX "$s 0.5 SINGLEEXPONENTIALSMOOTHING VALUES", "[[1.0,2.5,5.75,10.875,17.9375,26.96875]]");
    expect_stack(SIX "[ $s ] 0.1 SINGLEEXPONENTIALSMOOTHING 0 GET VALUES",
                 "[[1.0,1.3,2.0700000000000003,3.463,5.6167,8.65503]]");
    /* metadata, locations and bucketization kept; the input is sorted */
    expect_stack("[ 2 1 ] [ 1.0 NaN ] [ 2.0 NaN ] [] [ 3.0 1.0 ] MAKEGTS 'a' RENAME 0.5 SINGLEEXPONENTIALSMOOTHING",
                 "[{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.0],[2,0.9999999823048711,1.9999999646097422,2.0]]}]");
}

Test(smoothing, double_exponential)
{
    expect_stack(SIX "$s 0.5 0.3 DOUBLEEXPONENTIALSMOOTHING LIST-> DROP VALUES SWAP VALUES",
                 "[[4.0,8.0,13.65,21.3275,31.217125],[3.0,3.3,4.005,5.10675,6.541612499999999]]");
    expect_stack("[ 1 2 ] [] [] [] [ 1 3 ] MAKEGTS 'b' RENAME 0.5 0.5 DOUBLEEXPONENTIALSMOOTHING",
                 "[[{\"c\":\"b\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,3.0]]},"
                 "{\"c\":\"b\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,2.0]]}]]");
    expect_stack("[] 0.5 0.5 DOUBLEEXPONENTIALSMOOTHING", "[[]]");
}

#define T2 "[ 1 2 ] [] [] [] [ 1.0 2.0 ] MAKEGTS "
#define T2_JSON "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.0],[2,2.0]]}"
#define SES " SINGLEEXPONENTIALSMOOTHING"
#define DES " DOUBLEEXPONENTIALSMOOTHING"

Test(smoothing, exponential_errors)
{
    const char *alpha = "SINGLEEXPONENTIALSMOOTHING 'alpha' (smoothing factor) should be strictly between 0.0 and 1.0.";
    expect_error(T2 "1.0" SES, alpha, "[1.0," T2_JSON "]");
    expect_error(T2 "0" SES, alpha, "[0," T2_JSON "]");
    expect_error(T2 "NaN" SES, alpha, "[NaN," T2_JSON "]");
    expect_error(T2 "'a'" SES, "SINGLEEXPONENTIALSMOOTHING expects a LONG or a DOUBLE at depth 1, got STRING.",
                 "[\"a\"," T2_JSON "]");
    expect_error("42 0.5" SES, "SINGLEEXPONENTIALSMOOTHING expects a GTS or a LIST of GTS at depth 2, got LONG.",
                 "[0.5,42]");
    expect_error("[ 1 ] [] [] [] [ 1.0 ] MAKEGTS 0.5" SES,
                 "SINGLEEXPONENTIALSMOOTHING can only perform exponential smoothing on Geo Time Series containing at "
                 "least two values.",
                 "[0.5,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.0]]}]");
    expect_error("[ 1 2 ] [] [] [] [ 'a' 'b' ] MAKEGTS 0.5" SES,
                 "SINGLEEXPONENTIALSMOOTHING can only perform exponential smoothing on numeric Geo Time Series.",
                 "[0.5,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,\"a\"],[2,\"b\"]]}]");
    expect_error("[ " T2 "NEWGTS ] 0.5" SES,
                 "SINGLEEXPONENTIALSMOOTHING can only perform exponential smoothing on numeric Geo Time Series.",
                 "[0.5,[" T2_JSON "," EMPTY "]]");
    expect_error("0.5" SES, "Empty stack.", "[0.5]");
    expect_error(T2 "0.5 1" DES, "DOUBLEEXPONENTIALSMOOTHING 'beta' (trend factor) should be strictly between 0.0 and 1.0.",
                 "[1,0.5," T2_JSON "]");
    expect_error(T2 "1.5 0.5" DES,
                 "DOUBLEEXPONENTIALSMOOTHING 'alpha' (smoothing factor) should be strictly between 0.0 and 1.0.",
                 "[0.5,1.5," T2_JSON "]");
    expect_error(T2 "true 0.5" DES, "DOUBLEEXPONENTIALSMOOTHING expects a LONG or a DOUBLE at depth 2, got BOOLEAN.",
                 "[0.5,true," T2_JSON "]");
    expect_error(T2 "0.5 NULL" DES, "DOUBLEEXPONENTIALSMOOTHING expects a LONG or a DOUBLE at depth 1, got NULL.",
                 "[null,0.5," T2_JSON "]");
    expect_error("'x' 0.5 0.5" DES, "DOUBLEEXPONENTIALSMOOTHING expects a GTS or a LIST of GTS at depth 3, got STRING.",
                 "[0.5,0.5,\"x\"]");
    expect_error("NEWGTS 0.5 0.5" DES,
                 "DOUBLEEXPONENTIALSMOOTHING can only perform exponential smoothing on numeric Geo Time Series.",
                 "[0.5,0.5," EMPTY "]");
    expect_error("0.5 0.5" DES, "Empty stack.", "[0.5,0.5]");
}

Test(smoothing, lowess)
{
    expect_stack(Y "$y 3 LOWESS VALUES", "[[2.0,6.0,9.0,17.0,27.0,36.0,50.0,66.0,81.0,101.0]]");
    /* more neighbours than points: the distance scale grows with q / n */
    expect_stack(Y "$y 20 LOWESS VALUES",
                 "[[-2.8917782803171814,4.884281855339239,12.938957281264244,21.206714376441695,29.620333461731875,"
                 "40.60259217606312,54.11018255007941,67.77584332634174,81.65780295994092,95.8008680673399]]");
    /* bucketized: every bucket gets an estimate, missing ones included */
    expect_stack(GAPS "$g 3 LOWESS DUP TICKLIST SWAP VALUES",
                 "[[2.0,6.0,9.0,18.0,26.999999999999996,36.00000000000001,51.0,66.00000000000001,81.0,101.0],"
                 "[1,2,3,4,5,6,7,8,9,10]]");
    expect_stack(GAPS "$g 3 LOWESS BUCKETSPAN", "[1]");
    expect_stack("[] 3 LOWESS", "[[]]");
}

Test(smoothing, rlowess)
{
    expect_stack(Y "$y 4 2 0 1 RLOWESS VALUES",
                 "[[2.090965905547089,5.758476368069367,10.777761604733035,17.493361659134425,26.76102703359106,"
                 "37.777837012183134,50.493361659134415,65.76091140935861,82.77874910876436,100.57789030006163]]");
    /* delta 3: ticks within 3 of an estimate are interpolated */
    expect_stack(Y "$y 5 1 3 1 RLOWESS VALUES",
                 "[[1.7410246235570233,6.984108258325431,12.22719189309384,17.47027552786225,28.46499729092969,"
                 "39.459719053997134,50.45444081706457,67.02520936713267,83.59597791720076,100.16674646726885]]");
    expect_stack(GAPS "$g 3 1 2 1 RLOWESS VALUES", "[[2.0,5.5,9.0,18.0,26.999999999999996,39.0,51.0,66.0,81.0,101.0]]");
    /* a negative delta means 10^d of the span: (long) pow(10, d) is 0 in Warp 10 */
    expect_stack(Y "$y 4 2 -1 1 RLOWESS VALUES $y 4 2 0 1 RLOWESS VALUES ==", "[true]");
}

Test(smoothing, rlowess_degree_2)
{
    /* a quadratic is its own degree-2 local fit */
    static const double sq[] = {1, 4, 9, 16, 25, 36, 49, 64, 81};
    an_expect_close(AN_SQ "$sq 5 0 0 2 RLOWESS VALUES", sq, 9, 1e-9);
    an_expect_close(AN_SQ "$sq 4 1 0 3 RLOWESS VALUES", sq, 9, 1e-9);
    /* with a delta, the ticks in between are interpolated linearly */
    static const double d2[] = {1, 5, 9, 17, 25, 37, 49, 65, 81};
    an_expect_close(AN_SQ "$sq 4 1 2 3 RLOWESS VALUES", d2, 9, 1e-9);
}

Test(smoothing, lowess_errors)
{
    expect_error(T2 "'q' LOWESS", "LOWESS expects a LONG at depth 1, got STRING.", "[\"q\"," T2_JSON "]");
    expect_error(T2 "2.0 LOWESS", "LOWESS expects a LONG at depth 1, got DOUBLE.", "[2.0," T2_JSON "]");
    expect_error(T2 "0 LOWESS", "LOWESS bandwidth parameter must be greater than 0.", "[0," T2_JSON "]");
    expect_error("'g' 3 LOWESS", "LOWESS expects a GTS or a LIST of GTS at depth 2, got STRING.", "[3,\"g\"]");
    expect_error("NEWGTS 3 LOWESS", "LOWESS can only smooth numeric Geo Time Series.", "[3," EMPTY "]");
    expect_error("[ 1 2 ] [] [] [] [ 'a' 'b' ] MAKEGTS 3 LOWESS",
                 "LOWESS can only smooth numeric Geo Time Series.",
                 "[3,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,\"a\"],[2,\"b\"]]}]");
    expect_error("[ 1 1 ] [] [] [] [ 1.0 2.0 ] MAKEGTS 3 LOWESS", "LOWESS can't be applied on GTS with duplicate ticks.",
                 "[3,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.0],[1,2.0]]}]");
    expect_error("3 LOWESS", "Empty stack.", "[3]");
    expect_error(T2 "2 -1 0 1 RLOWESS", "RLOWESS robustness parameter must be greater or equal to 0.",
                 "[1,0,-1,2," T2_JSON "]");
    expect_error(T2 "2 1 0 0 RLOWESS", "RLOWESS degree of polynomial fit must be greater than 0.",
                 "[0,0,1,2," T2_JSON "]");
    expect_error(T2 "2 1 0 10 RLOWESS", "RLOWESS degree of polynomial fit should remain small (lower than 10).",
                 "[10,0,1,2," T2_JSON "]");
    expect_error(T2 "-2 1 0 1 RLOWESS", "RLOWESS bandwidth parameter must be greater than 0.", "[1,0,1,-2," T2_JSON "]");
    expect_error(T2 "2 1 0 1.0 RLOWESS", "RLOWESS expects a LONG at depth 1, got DOUBLE.", "[1.0,0,1,2," T2_JSON "]");
    expect_error(T2 "2 1 '0' 1 RLOWESS", "RLOWESS expects a LONG at depth 2, got STRING.", "[1,\"0\",1,2," T2_JSON "]");
    expect_error(T2 "2 true 0 1 RLOWESS", "RLOWESS expects a LONG at depth 3, got BOOLEAN.", "[1,0,true,2," T2_JSON "]");
    expect_error(T2 "NULL 1 0 1 RLOWESS", "RLOWESS expects a LONG at depth 4, got NULL.", "[1,0,1,null," T2_JSON "]");
    expect_error("1 2 1 0 1 RLOWESS", "RLOWESS expects a GTS or a LIST of GTS at depth 5, got LONG.", "[1,0,1,2,1]");
    expect_error("2 1 0 1 RLOWESS", "Empty stack.", "[1,0,1,2]");
}
