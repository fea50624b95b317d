/* Tests for builtins/discords.c. Expected ticks come from a Python
 * transcription of Warp 10's DISCORDS (bSAX words with SAXUtils' inverse
 * normal bounds, rarest words first, nearest non-overlapping neighbour). */
#include "an_harness.h"

/* sin(2 pi t / 20) on 200 buckets, + 3 at t = 120 */
#define S                                                                                                              \
    "[ NEWGTS 1 200 <% DUP DUP 2 * PI * 20.0 / SIN SWAP 120 == <% 3.0 + %> IFT NaN NaN NaN 4 ROLL ADDVALUE %> FOR " \
    "bucketizer.last 200 1 200 ] BUCKETIZE 0 GET 's' STORE "
#define E "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}"

Test(discords, discords)
{
    expect_stack(S "$s 10 5 4 1 false 0.0 DISCORDS TICKLIST", "[[111,112,113,114,115,116,117,118,119,120]]");
    expect_stack(S "$s 10 5 4 3 false 0.0 DISCORDS TICKLIST",
                 "[[101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,141,142,143,144,"
                 "145,146,147,148,149,150]]");
    /* overlapping candidates allowed */
    expect_stack(S "$s 10 5 4 3 true 0.0 DISCORDS TICKLIST",
                 "[[111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127,128]]");
    /* words of the raw segment means */
    expect_stack(S "$s 12 4 8 2 false 0.0 ZDISCORDS TICKLIST",
                 "[[109,110,111,112,113,114,115,116,117,118,119,120,173,174,175,176,177,178,179,180,181,182,183,184]]");
    /* values, metadata and bucketization of the input */
    expect_stack(S "$s 'd' RENAME 10 5 4 1 false 0.0 DISCORDS DUP NAME SWAP DUP BUCKETSPAN SWAP 9 ATINDEX 4 GET",
                 "[2.9999999999999987,1,\"d\"]");
    /* a distance ratio drops candidates far closer to a neighbour than the best */
    expect_stack(S "$s 10 5 4 3 false 1.5 DISCORDS SIZE", "[10]");
    expect_stack(S "[ $s $s ] 10 5 4 1 false 0.0 DISCORDS SIZE", "[2]");
    /* too short for a window, or no discord wanted */
    expect_stack("[ [ 1 2 3 ] [] [] [] [ 1.0 2.0 3.0 ] MAKEGTS bucketizer.last 3 1 3 ] BUCKETIZE 0 GET "
                 "4 2 2 1 false 0.0 DISCORDS SIZE",
                 "[0]");
    expect_stack(S "$s 10 5 4 0 false 0.0 DISCORDS SIZE", "[0]");
}

#define P(args) "NEWGTS " args " DISCORDS"

Test(discords, errors)
{
    expect_error(P("10 5 4 1 false 0"), "DISCORDS expects a DOUBLE distance ratio at depth 1, got LONG.",
                 "[0,false,1,4,5,10," E "]");
    expect_error(P("10 5 4 1 false -1.0"), "DISCORDS expects a positive distance ratio.",
                 "[-1.0,false,1,4,5,10," E "]");
    expect_error(P("10 5 4 1 1 0.0"), "DISCORDS expects a BOOLEAN (may discords overlap) at depth 2, got LONG.",
                 "[0.0,1,1,4,5,10," E "]");
    expect_error(P("10 5 4 1.0 true 0.0"), "DISCORDS expects a LONG discord count at depth 3, got DOUBLE.",
                 "[0.0,true,1.0,4,5,10," E "]");
    expect_error(P("10 5 'a' 1 true 0.0"), "DISCORDS expects a LONG quantization scale at depth 4, got STRING.",
                 "[0.0,true,1,\"a\",5,10," E "]");
    expect_error(P("10 5 6 1 true 0.0"),
                 "DISCORDS expects a quantization scale which is a power of 2 greater or equal to 2.",
                 "[0.0,true,1,6,5,10," E "]");
    expect_error(P("10 5 1 1 true 0.0"),
                 "DISCORDS expects a quantization scale which is a power of 2 greater or equal to 2.",
                 "[0.0,true,1,1,5,10," E "]");
    expect_error(P("10 NULL 4 1 true 0.0"), "DISCORDS expects a LONG pattern length at depth 5, got NULL.",
                 "[0.0,true,1,4,null,10," E "]");
    expect_error(P("[] 5 4 1 true 0.0"), "DISCORDS expects a LONG detection window length at depth 6, got LIST.",
                 "[0.0,true,1,4,5,[]," E "]");
    expect_error(P("10 3 4 1 true 0.0"), "DISCORDS expects pattern length to divide detection window length.",
                 "[0.0,true,1,4,3,10," E "]");
    expect_error(P("10 0 4 1 true 0.0"), "DISCORDS expects strictly positive pattern and window lengths.",
                 "[0.0,true,1,4,0,10," E "]");
    expect_error("1 10 5 4 1 true 0.0 ZDISCORDS", "ZDISCORDS expects a GTS or a LIST of GTS at depth 7, got LONG.",
                 "[0.0,true,1,4,5,10,1]");
    expect_error(P("10 5 4 1 true 0.0"),
                 "DISCORDS can only be applied to numeric, bucketized, filled Geo Time Series.",
                 "[0.0,true,1,4,5,10," E "]");
    expect_error(P("10 5 131072 1 true 0.0"), "DISCORDS can only be applied to numeric, bucketized, filled Geo Time "
                                              "Series.",
                 "[0.0,true,1,131072,5,10," E "]");
    expect_error("10 5 4 1 true 0.0 DISCORDS", "Empty stack.", "[0.0,true,1,4,5,10]");
}

Test(discords, alphabet_limit)
{
    expect_error("[ [ 1 2 3 ] [] [] [] [ 1.0 2.0 3.0 ] MAKEGTS bucketizer.last 3 1 3 ] BUCKETIZE 0 GET "
                 "2 1 131072 1 true 0.0 DISCORDS",
                 "DISCORDS expects an alphabet size between 2 and 2^16.",
                 "[0.0,true,1,131072,1,2,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[3,3.0],[2,2.0],[1,1.0]]}]");
}
