/* Tests for builtins/downsample.c: LTTB and TLTTB. Expected ticks come
 * from a Python transcription of GTSHelper.lttb (apex kept on the first
 * point, next-bucket average over size + 1, time slices for TLTTB). */
#include "an_harness.h"

#define G                                                                                                              \
    "[ 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 ] [] [] [] "                                               \
    "[ 7 3 10 6 2 9 5 1 8 4 0 7 3 10 6 2 9 5 1 8 ] MAKEGTS 'g' STORE "
#define H "[ 1 2 3 10 11 12 13 30 31 50 51 52 ] [] [] [] [ 5.0 1.0 4.0 2.0 8.0 3.0 3.0 9.0 0.0 2.0 7.0 1.0 ] MAKEGTS 'h' STORE "
#define T2 "[ 1 2 ] [] [] [] [ 1.0 2.0 ] MAKEGTS "
#define T2_JSON "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.0],[2,2.0]]}"

Test(downsample, lttb)
{
    expect_stack(G "$g 3 LTTB TICKLIST $g 4 LTTB TICKLIST $g 6 LTTB TICKLIST $g 10 LTTB TICKLIST",
                 "[[1,3,5,6,9,12,14,15,17,20],[1,3,9,11,17,20],[1,2,14,20],[1,11,20]]");
    expect_stack(G "$g 19 LTTB TICKLIST", "[[1,2,3,4,5,6,7,8,9,10,12,13,14,15,16,17,18,19,20]]");
    expect_stack(H "$h 4 LTTB TICKLIST $h 5 LTTB TICKLIST $h 8 LTTB TICKLIST",
                 "[[1,2,10,11,13,30,50,52],[1,2,11,30,52],[1,11,30,52]]");
    /* kept points keep their type, metadata and geo data */
    expect_stack("[ 1 2 3 4 ] [ 1.0 NaN NaN NaN ] [ 1.0 NaN NaN NaN ] [] [ 1 9 2 3 ] MAKEGTS 'k' RENAME 3 LTTB",
                 "[{\"c\":\"k\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,0.9999999823048711,0.9999999403953552,1],[2,9],"
                 "[4,3]]}]");
}

Test(downsample, tlttb)
{
    expect_stack(G "$g 3 TLTTB TICKLIST $g 4 TLTTB TICKLIST $g 6 TLTTB TICKLIST $g 10 TLTTB TICKLIST",
                 "[[1,3,6,9,11,14,17,20],[1,6,11,14,17,20],[1,8,14,20],[1,17,19,20]]");
    expect_stack(H "$h 4 TLTTB TICKLIST $h 5 TLTTB TICKLIST $h 8 TLTTB TICKLIST",
                 "[[1,2,11,30,51,52],[1,11,30,51,52],[1,2,51,52]]");
    /* too few ticks for a time slice: Java's division by zero */
    expect_error("[ 1 2 3 ] [] [] [] [ 1.0 2.0 3.0 ] MAKEGTS 3 TLTTB", "TLTTB / by zero",
                 "[3,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.0],[2,2.0],[3,3.0]]}]");
}

Test(downsample, unchanged_series)
{
    /* few enough points, or non numeric values: the series itself */
    expect_stack(T2 "DUP 4 LTTB 'x' RENAME DROP NAME", "[\"x\"]");
    expect_stack(T2 "100 TLTTB", "[" T2_JSON "]");
    expect_stack("[ 1 2 3 4 5 ] [] [] [] [ 'a' 'b' 'c' 'd' 'e' ] MAKEGTS 3 LTTB SIZE", "[5]");
    expect_stack("[ 1 2 3 4 5 ] [] [] [] [ true false true false true ] MAKEGTS 0 LTTB SIZE", "[5]");
    expect_stack("NEWGTS 2 LTTB SIZE", "[0]");
    /* 2 points and a threshold of 3 go through the algorithm, which keeps the first point twice, as Java does */
    expect_stack(G "[ $g " T2 "] 3 LTTB LIST-> DROP TICKLIST SWAP SIZE", "[3,[1,1,2]]");
}

Test(downsample, errors)
{
    expect_error("[ 1 2 3 4 5 ] [] [] [] [ 1 2 3 4 5 ] MAKEGTS 2 LTTB", "LTTB threshold MUST be >= 3.",
                 "[2,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1],[2,2],[3,3],[4,4],[5,5]]}]");
    expect_error(T2 "-1 TLTTB", "TLTTB threshold MUST be >= 3.", "[-1," T2_JSON "]");
    expect_error(T2 "3.0 LTTB", "LTTB expects a threshold (a LONG) at depth 1, got DOUBLE.", "[3.0," T2_JSON "]");
    expect_error("[ 1 ] 3 LTTB", "LTTB expects a GTS or a LIST of GTS at depth 2, got LIST.", "[3,[1]]");
    expect_error("3 TLTTB", "Empty stack.", "[3]");
}
