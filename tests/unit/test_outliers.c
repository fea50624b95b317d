/* Tests for builtins/outliers.c: ZSCORE, GRUBBSTEST, ESDTEST. Expected
 * values come from a Python transcription of GTSOutliersHelper, with the
 * Student t quantiles computed by mpmath. */
#include "an_harness.h"

/* 1..20 cycling 1..6,0, then 100 and -50 */
#define D                                                                                                              \
    "[ 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 ] [] [] [] "                                         \
    "[ 1.0 2.0 3.0 4.0 5.0 6.0 0.0 1.0 2.0 3.0 4.0 5.0 6.0 0.0 1.0 2.0 3.0 4.0 5.0 6.0 100.0 -50.0 ] MAKEGTS 'd' STORE "
/* two outliers masking each other for Grubbs' test */
#define X "[ 1 2 3 4 5 6 7 8 9 10 ] [] [] [] [ 10.0 11.0 9.0 10.0 30.0 31.0 10.0 9.0 11.0 10.0 ] MAKEGTS 'x' STORE "
#define W "[ 1 2 3 4 5 6 7 ] [] [] [] [ 1.0 2.0 3.0 2.0 1.0 2.0 4.0 ] MAKEGTS 'w' STORE "
#define T2 "[ 1 2 ] [] [] [] [ 1.0 2.0 ] MAKEGTS "
#define T2_JSON "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.0],[2,2.0]]}"
#define L2 "[ 1 2 ] [] [] [] [ 1 2 ] MAKEGTS "
#define L2_JSON "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1],[2,2]]}"

Test(outliers, zscore)
{
    expect_stack(D "$d false ZSCORE VALUES",
                 "[[-0.171664446542509,-0.13016315177399035,-0.08866185700547169,-0.04716056223695304,"
                 "-0.0056592674684343754,0.03584202730008428,-0.21316574131102767,-0.171664446542509,"
                 "-0.13016315177399035,-0.08866185700547169,-0.04716056223695304,-0.0056592674684343754,"
                 "0.03584202730008428,-0.21316574131102767,-0.171664446542509,-0.13016315177399035,"
                 "-0.08866185700547169,-0.04716056223695304,-0.0056592674684343754,0.03584202730008428,"
                 "3.936963735540838,-2.288230479736961]]");
    expect_stack(D "$d true ZSCORE VALUES",
                 "[[-0.6745,-0.33725,0.0,0.33725,0.6745,1.01175,-1.01175,-0.6745,-0.33725,0.0,0.33725,0.6745,1.01175,"
                 "-1.01175,-0.6745,-0.33725,0.0,0.33725,0.6745,1.01175,32.71325,-17.87425]]");
    /* a MAD of 0 falls back to sigma */
    expect_stack("[ 1 2 3 4 5 ] [] [] [] [ 1.0 1.0 1.0 1.0 5.0 ] MAKEGTS true ZSCORE VALUES",
                 "[[0.0,0.0,0.0,0.0,2.2360679774997902]]");
    /* a copy: metadata and locations kept, order kept, input untouched */
    expect_stack("[ 2 1 ] [] [] [ 5 NaN ] [ 3.0 1.0 ] MAKEGTS 'z' RENAME DUP false ZSCORE",
                 "[{\"c\":\"z\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,5,0.7071067811865475],[1,-0.7071067811865475]]},"
                 "{\"c\":\"z\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,5,3.0],[1,1.0]]}]");
    expect_stack(D "[ $d $d ] true ZSCORE SIZE", "[2]");
}

Test(outliers, zscore_errors)
{
    expect_error(T2 "'t' ZSCORE",
                 "ZSCORE expects a BOOLEAN (true: median and MAD, false: mean and sigma) at depth 1, got STRING.",
                 "[\"t\"," T2_JSON "]");
    expect_error("1 true ZSCORE", "ZSCORE expects a GTS or a LIST of GTS at depth 2, got LONG.", "[true,1]");
    expect_error(L2 "false ZSCORE", "ZSCORE can only operate on DOUBLE Geo Time Series.", "[false," L2_JSON "]");
    expect_error("[ 1 2 ] [] [] [] [ 3.0 3.0 ] MAKEGTS false ZSCORE", "ZSCORE: Standard Deviation is null.",
                 "[false,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,3.0],[2,3.0]]}]");
    expect_error("[ 1 2 ] [] [] [] [ 3.0 3.0 ] MAKEGTS true ZSCORE", "ZSCORE: Median Absolute Deviation is null.",
                 "[true,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,3.0],[2,3.0]]}]");
    expect_error("true ZSCORE", "Empty stack.", "[true]");
}

Test(outliers, grubbs)
{
    expect_stack(D "$d false GRUBBSTEST $d true GRUBBSTEST $d false 0.5 GRUBBSTEST $d true 1.0E-9 GRUBBSTEST",
                 "[[21],[21],[21],[21]]");
    expect_stack(W "$w false GRUBBSTEST $w true GRUBBSTEST", "[[],[]]");
    expect_stack(X "$x false GRUBBSTEST", "[[]]"); /* masked */
    expect_stack(T2 "false GRUBBSTEST", "[[]]"); /* fewer than 3 points */
    expect_stack("[ 1 2 3 ] [] [] [] [ 4.0 4.0 4.0 ] MAKEGTS false GRUBBSTEST", "[[]]"); /* sigma 0 */
    expect_stack(D W "[ $d $w ] false GRUBBSTEST", "[[[21],[]]]");
}

Test(outliers, esd)
{
    expect_stack(D "$d 3 false ESDTEST $d 3 true ESDTEST $d 5 false 0.5 ESDTEST $d 1 false ESDTEST",
                 "[[21],[21,22],[21,22],[21,22]]");
    expect_stack(X "$x 3 false ESDTEST $x 3 true ESDTEST $x 2 false 0.2 ESDTEST", "[[6,5],[6,5],[6,5]]");
    expect_stack(W "$w 3 false ESDTEST $w 3 true ESDTEST", "[[],[]]");
    expect_stack(X "$x 0 false ESDTEST $x -1 true ESDTEST", "[[],[]]");
    expect_stack(X W "[ $x $w ] 2 false ESDTEST", "[[[6,5],[]]]");
}

Test(outliers, test_errors)
{
    expect_error(T2 "3 GRUBBSTEST",
                 "GRUBBSTEST expects a significance level (a DOUBLE) or a flag (a BOOLEAN) at depth 1, got LONG.",
                 "[3," T2_JSON "]");
    expect_error(T2 "1 0.05 GRUBBSTEST", "GRUBBSTEST expects a BOOLEAN (use the modified z-score) at depth 2, got LONG.",
                 "[0.05,1," T2_JSON "]");
    expect_error("'a' true GRUBBSTEST", "GRUBBSTEST expects a GTS or a LIST of GTS at depth 2, got STRING.",
                 "[true,\"a\"]");
    expect_error("'a' true 0.1 GRUBBSTEST", "GRUBBSTEST expects a GTS or a LIST of GTS at depth 3, got STRING.",
                 "[0.1,true,\"a\"]");
    expect_error(L2 "true GRUBBSTEST", "GRUBBSTEST can only operate on DOUBLE Geo Time Series.",
                 "[true," L2_JSON "]");
    expect_error("true 0.1 GRUBBSTEST", "Empty stack.", "[0.1,true]");
    expect_error(T2 "3.0 true ESDTEST",
                 "ESDTEST expects an upper bound of the number of outliers (a LONG) at depth 2, got DOUBLE.",
                 "[true,3.0," T2_JSON "]");
    expect_error(T2 "3 'x' ESDTEST",
                 "ESDTEST expects a significance level (a DOUBLE) or a flag (a BOOLEAN) at depth 1, got STRING.",
                 "[\"x\",3," T2_JSON "]");
    expect_error(T2 "3 2 0.1 ESDTEST", "ESDTEST expects a BOOLEAN (use the modified z-score) at depth 2, got LONG.",
                 "[0.1,2,3," T2_JSON "]");
    expect_error("NULL 3 true 0.1 ESDTEST", "ESDTEST expects a GTS or a LIST of GTS at depth 4, got NULL.",
                 "[0.1,true,3,null]");
    expect_error(L2 "2 true ESDTEST", "ESDTEST can only operate on DOUBLE Geo Time Series.", "[true,2," L2_JSON "]");
    expect_error("3 true 0.1 ESDTEST", "Empty stack.", "[0.1,true,3]");
    expect_error("true 0.1 ESDTEST", "Empty stack.", "[0.1,true]");
}
