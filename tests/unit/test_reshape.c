/* Tests for builtins/gts_reshape.c (CHUNK, FUSE, COPYGEO, LOCATIONOFFSET)
 * and builtins/hhcode.c (->HHCODE, ->HHCODELONG, HHCODE->). Expected
 * results are worked out by hand from Warp 10's GTSHelper.chunk / fuse /
 * copyGeo, LOCATIONOFFSET, TOHHCODE and HHCODETO, and the HHCodes and
 * coordinates from an independent Python model of GeoXP's 32-bit
 * quantization (floor of (lat + 90) / (180 / 2^32), bits interleaved
 * latitude first), not from exo's output. */
#include "harness.h"

#include <stdio.h>

/* g: ten LONG points, 100..1100 (no 600), values 10 down to 1 */
#define G                                                                                                              \
    "NEWGTS 'a' RENAME 100 NaN NaN NaN 10 ADDVALUE 200 NaN NaN NaN 9 ADDVALUE 300 NaN NaN NaN 8 ADDVALUE "             \
    "400 NaN NaN NaN 7 ADDVALUE 500 NaN NaN NaN 6 ADDVALUE 700 NaN NaN NaN 5 ADDVALUE 800 NaN NaN NaN 4 ADDVALUE "     \
    "900 NaN NaN NaN 3 ADDVALUE 1000 NaN NaN NaN 2 ADDVALUE 1100 NaN NaN NaN 1 ADDVALUE "
#define CH(end, v) "{\"c\":\"a\",\"l\":{\"c\":\"" end "\"},\"a\":{},\"la\":0,\"v\":[" v "]}"
#define C500 "[500,6],[400,7],[300,8],[200,9],[100,10]"
#define C1000 "[1000,2],[900,3],[800,4],[700,5]"

/* ---- CHUNK ---- */

Test(chunk, fixed_end)
{
    expect_stack(G "1000 500 0 0 'c' false CHUNK", "[[" CH("500", C500) "," CH("1000", C1000) "]]");
}

Test(chunk, automatic_end_aligned_on_width)
{
    /* newest tick 1100 -> lastchunk 1500 */
    expect_stack(G "0 500 0 0 'c' false CHUNK",
                 "[[" CH("500", C500) "," CH("1000", C1000) "," CH("1500", "[1100,1]") "]]");
}

Test(chunk, count_and_keepempty)
{
    expect_stack(G "1000 500 0 3 'c' true CHUNK", "[[" CH("0", "") "," CH("500", C500) "," CH("1000", C1000) "]]");
    /* without keepempty the empty oldest chunk goes */
    expect_stack(G "1000 500 0 3 'c' false CHUNK", "[[" CH("500", C500) "," CH("1000", C1000) "]]");
    /* one chunk only: the newest */
    expect_stack(G "1000 500 0 1 'c' false CHUNK", "[[" CH("1000", C1000) "]]");
}

Test(chunk, overlap)
{
    /* chunk 1000 gets 500 from the older chunk (>= 401) and 1100 from the
     * extra newer one (<= 1100); chunk 500 gets nothing (700 > 600) */
    expect_stack(G "1000 500 100 0 'c' false CHUNK",
                 "[[" CH("500", C500) "," CH("1000", C1000 ",[500,6],[1100,1]") "]]");
    /* a negative overlap is no overlap */
    expect_stack(G "1000 500 -5 0 'c' false CHUNK", "[[" CH("500", C500) "," CH("1000", C1000) "]]");
}

Test(chunk, keeps_metadata_and_skips_gaps)
{
    expect_stack("NEWGTS 'm' RENAME { 'k' 'v' } RELABEL { 'at' 'x' } SETATTRIBUTES 5 NaN NaN NaN 1.5 ADDVALUE "
                 "1000000005 48.0 -4.5 12 2.5 ADDVALUE 0 10 0 0 'id' false CHUNK",
                 "[[{\"c\":\"m\",\"l\":{\"k\":\"v\",\"id\":\"10\"},\"a\":{\"at\":\"x\"},\"la\":0,\"v\":[[5,1.5]]},"
                 "{\"c\":\"m\",\"l\":{\"k\":\"v\",\"id\":\"1000000010\"},\"a\":{\"at\":\"x\"},\"la\":0,"
                 "\"v\":[[1000000005,47.99999998882413,-4.500000067055225,12,2.5]]}]]");
}

Test(chunk, list_and_empty)
{
    expect_stack("[ " G " DUP ] 1000 500 0 1 'c' false CHUNK", "[[[" CH("1000", C1000) "],[" CH("1000", C1000) "]]]");
    expect_stack("NEWGTS 0 10 0 0 'c' false CHUNK", "[[]]");
    expect_stack("NEWGTS 100 10 0 2 'c' true CHUNK",
                 "[[{\"c\":\"\",\"l\":{\"c\":\"90\"},\"a\":{},\"la\":0,\"v\":[]},"
                 "{\"c\":\"\",\"l\":{\"c\":\"100\"},\"a\":{},\"la\":0,\"v\":[]}]]");
    expect_stack("[] 0 10 0 0 'c' false CHUNK", "[[]]");
}

Test(chunk, input_sorted_in_place)
{
    /* GTSHelper.chunk sorts its input newest first, in place */
    expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 2 ADDVALUE 'g' STORE $g 2 10 0 0 'c' false CHUNK DROP $g",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,2],[1,1]]}]");
}

Test(chunk, bucketized)
{
    /* buckets of 100 ending at 1000: chunks of 500 stay bucketized (5
     * buckets, lastbucket = chunk end); chunks of 250 do not */
    const char *b = "[ NEWGTS 100 NaN NaN NaN 1 ADDVALUE 1000 NaN NaN NaN 2 ADDVALUE bucketizer.last 1000 100 0 ] "
                    "BUCKETIZE 0 GET ";
    char src[1024];
    snprintf(src, sizeof src, "%s 0 500 0 0 'c' false CHUNK <%% DUP BUCKETSPAN SWAP DUP LASTBUCKET SWAP BUCKETCOUNT %%> FOREACH", b);
    expect_stack(src, "[5,1000,100,5,500,100]");
    snprintf(src, sizeof src, "%s 0 250 0 0 'c' false CHUNK <%% BUCKETSPAN %%> FOREACH", b);
    expect_stack(src, "[0,0]");
    snprintf(src, sizeof src, "%s 0 50 0 0 'c' false", b);
    check_error(src, "CHUNK", "bucketspan greater than the chunk width");
}

Test(chunk, errors)
{
    check_error(G "{ 'c' 'x' } RELABEL" " 1000 500 0 0 'c' false", "CHUNK", "already have a label named 'c'");
    check_error(G " 1000 500 600 0 'c' false", "CHUNK", "overlap cannot exceed chunk width");
    check_error(G " 1000 0 0 0 'c' false", "CHUNK", "positive chunk width");
    check_error(G " 1000 500 0 0 'c' 1", "CHUNK", "BOOLEAN");
    check_error(G " 1000 500 0 0 42 false", "CHUNK", "STRING");
    check_error(G " 1000 500 0 0.5 'c' false", "CHUNK", "LONG");
    check_error(G " 1000 500 'x' 0 'c' false", "CHUNK", "LONG");
    check_error("42" " 1000 500 0 0 'c' false", "CHUNK", "GTS");
    check_error("[ " G " 42 ]" " 1000 500 0 0 'c' false", "CHUNK", "GTS");
    check_error(G "DUP { 'c' 'x' } RELABEL 2 ->LIST" " 1000 500 0 0 'c' false", "CHUNK", "already have a label");
}

/* ---- ->HHCODE, ->HHCODELONG, HHCODE-> ---- */

/* (48.0, -4.565): lat units 0xC4444443 (floor), lon units 0x7CC1A7D6 */
#define BREST_HEX "\"b570702075356130\""
#define BREST_LONG "-5372671070745304784"
#define BREST_LATLON "-4.565000049769878,47.99999998882413"

Test(hhcode, to_hhcode)
{
    expect_stack("48.00 -4.565 ->HHCODE", "[" BREST_HEX "]");
    /* the doc example: FROMHEX gives the LONG form */
    expect_stack("48.00 -4.565 ->HHCODE DUP FROMHEX", "[" BREST_LONG "," BREST_HEX "]");
    expect_stack("48.00 -4.565 ->HHCODELONG", "[" BREST_LONG "]");
    expect_stack("0.0 0.0 ->HHCODE", "[\"c000000000000000\"]");
    expect_stack("-45.5 120.25 ->HHCODELONG", "[6609983010955626235]");
    /* Long.toHexString: no leading zeros */
    expect_stack("-89.0 -179.0 ->HHCODE", "[\"26db4026db402\"]");
    expect_stack("-89 -179 ->HHCODELONG", "[683569855706114]");
    /* NaN is cell 0 (Java's (long) NaN), except with the GTS convention */
    expect_stack("NaN NaN ->HHCODE", "[\"0\"]");
    expect_stack("NaN NaN ->GTSHHCODE", "[\"8000000000000000\"]");
    expect_stack("NaN NaN ->GTSHHCODELONG", "[-9223372036854775808]");
    expect_stack("48.00 -4.565 ->GTSHHCODELONG", "[" BREST_LONG "]");
}

Test(hhcode, geohash_to_hhcode)
{
    expect_stack("'u0' ->HHCODE", "[\"e000000000000000\"]");
    expect_stack("'gbsuv7ztqzpt' ->HHCODELONG", "[-5372127570529888416]");
    /* only 12 characters are used */
    expect_stack("'gbsuv7ztqzptzz' ->HHCODELONG", "[-5372127570529888416]");
    expect_stack("'' ->HHCODE", "[\"0\"]");
}

Test(hhcode, hhcode_to)
{
    expect_stack("'' HHCODE->", "[-180.0,-90.0]");
    expect_stack("'b' HHCODE->", "[-90.0,45.0]");
    expect_stack("'c0de' HHCODE->", "[19.6875,7.734375]");
    expect_stack("'C0DE' HHCODE->", "[19.6875,7.734375]");
    expect_stack(BREST_LONG " HHCODE->", "[" BREST_LATLON "]");
    expect_stack(BREST_HEX " HHCODE->", "[" BREST_LATLON "]");
    expect_stack(BREST_HEX " HEX-> HHCODE->", "[" BREST_LATLON "]");
    expect_stack("'c0' HEX-> HHCODE->", "[0.0,0.0]");
    expect_stack(BREST_HEX " false HHCODE->", "[" BREST_LATLON "]");
    /* the "no location" HHCode is a point for HHCODE->, NaN NaN for GTSHHCODE-> */
    expect_stack("-9223372036854775808 HHCODE->", "[-180.0,0.0]");
    expect_stack("-9223372036854775808 GTSHHCODE->", "[NaN,NaN]");
    expect_stack("NaN NaN ->GTSHHCODE GTSHHCODE->", "[NaN,NaN]");
    /* round trip of a quantized point */
    expect_stack("48.00 -4.565 ->HHCODE HHCODE-> ->HHCODE", "[" BREST_HEX "]");
}

Test(hhcode, hhcode_to_geohash)
{
    expect_stack("48.00 -4.565 ->HHCODELONG true HHCODE->", "[\"gbsc045u7b93\"]");
    /* 2 hex digits: 8 bits, one GeoHash character; 6 digits: 24 bits, 4 */
    expect_stack("'b5' true HHCODE->", "[\"g\"]");
    expect_stack("'b57070' true HHCODE->", "[\"gbsc\"]");
    expect_stack("'b' true HHCODE->", "[\"\"]");
}

Test(hhcode, errors)
{
    check_error("'12345678901234567'", "HHCODE->", "at most 16");
    check_error("'xyz'", "HHCODE->", "invalid hexadecimal HHCode");
    check_error("'-1'", "HHCODE->", "invalid hexadecimal HHCode");
    check_error("'0102030405060708090a' HEX->", "HHCODE->", "at most 8 bytes");
    check_error("[ 'b5' ]", "HHCODE->", "not supported");
    check_error("1.5", "HHCODE->", "HHCode");
    check_error("true", "HHCODE->", "HHCode");
    check_error("1.5 true", "HHCODE->", "HHCode");
    check_error("'x' 1.0", "->HHCODE", "latitude");
    check_error("1.0", "->HHCODE", "latitude");
    check_error("T", "->HHCODE", "longitude");
    check_error("'u0A'", "->HHCODE", "invalid GeoHash");
    check_error("NaN 1.0", "->GTSHHCODE", "both be NaN");
    check_error("1.0 NaN", "->GTSHHCODELONG", "both be NaN");
}

/* ---- COPYGEO ---- */

#define DOCGTS                                                                                                         \
    "NEWGTS 'test name' RENAME { 'label0' '42' 'label1' 'foo' } RELABEL 100 NaN NaN NaN 10 ADDVALUE "                  \
    "200 NaN NaN NaN 9 ADDVALUE 300 NaN NaN NaN 8 ADDVALUE 400 NaN NaN NaN 7 ADDVALUE 500 NaN NaN NaN 6 ADDVALUE "     \
    "700 NaN NaN NaN 5 ADDVALUE 800 NaN NaN NaN 4 ADDVALUE 900 NaN NaN NaN 3 ADDVALUE 1000 0 0 NaN 2 ADDVALUE "        \
    "1100 NaN NaN NaN 1 ADDVALUE "
#define GEOGTS                                                                                                         \
    "NEWGTS 'geo' RENAME { 'label0' '0' 'label1' 'bar' } RELABEL 100 0.0 1.0 NaN 0 ADDVALUE "                          \
    "200 1.0 0.0 NaN 0 ADDVALUE 500 2.0 0.0 NaN 0 ADDVALUE 600 0.0 2.0 NaN 0 ADDVALUE 800 1.0 1.2 NaN 0 ADDVALUE "
#define DOCGEO_RESULT                                                                                                  \
    "{\"c\":\"test name\",\"l\":{\"label0\":\"42\",\"label1\":\"foo\"},\"a\":{},\"la\":0,\"v\":[[100,0.0,"              \
    "0.9999999403953552,10],[200,0.9999999823048711,0.0,9],[300,8],[400,7],[500,1.9999999646097422,0.0,6],[700,5],"   \
    "[800,0.9999999823048711,1.1999999452382326,4],[900,3],[1000,0.0,0.0,2],[1100,1]]}"

Test(copygeo, doc_example)
{
    /* 600 is not in the first series; 1000 keeps its own location */
    expect_stack(DOCGTS GEOGTS "COPYGEO", "[" DOCGEO_RESULT "]");
    expect_stack("[ " DOCGTS "] " GEOGTS "COPYGEO", "[[" DOCGEO_RESULT "]]");
}

Test(copygeo, in_place_sorted_with_elevation)
{
    /* both series are sorted in place; an absent location or elevation of
     * the source is copied too (the point at 300 loses its location) */
    expect_stack("NEWGTS 300 5.0 5.0 NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 'g' STORE "
                 "NEWGTS 300 NaN NaN 7 'y' ADDVALUE 100 10.0 20.0 500 'x' ADDVALUE 'f' STORE "
                 "$g $f COPYGEO DROP $g $f",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,9.999999990686774,19.99999998137355,500,\"x\"],[300,7,\"y\"]]},"
                 "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,9.999999990686774,19.99999998137355,500,1],[200,2],[300,7,3]]}]");
    expect_stack("NEWGTS 100 1.0 1.0 NaN 1 ADDVALUE NEWGTS 100 NaN NaN NaN 0 ADDVALUE COPYGEO",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1]]}]");
    expect_stack("NEWGTS NEWGTS 100 1.0 1.0 NaN 1 ADDVALUE COPYGEO", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]");
    expect_stack("[] NEWGTS COPYGEO", "[[]]");
}

Test(copygeo, errors)
{
    check_error(DOCGTS "42", "COPYGEO", "GTS");
    check_error(DOCGTS "[ " GEOGTS "]", "COPYGEO", "GTS");
    check_error("42 " GEOGTS, "COPYGEO", "GTS");
    check_error("[ 42 ] " GEOGTS, "COPYGEO", "GTS");
}

/* ---- FUSE ---- */

#define EMPTYG "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}"

Test(fuse, chunks_back)
{
    /* the chunks' points in list order; the chunk label differs: dropped */
    expect_stack(G "1000 500 0 0 'c' false CHUNK FUSE",
                 "[{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[" C500 "," C1000 "]}]");
    expect_stack("[] FUSE", "[" EMPTYG "]");
    expect_stack("[ NEWGTS ] FUSE", "[" EMPTYG "]");
}

Test(fuse, metadata)
{
    /* different classes: none; b differs: dropped; a, missing from the
     * second series, stays (Warp 10 only drops labels given another value);
     * attributes are not kept */
    expect_stack("[ NEWGTS 'x' RENAME { 'a' '1' 'b' '2' } RELABEL { 'at' 'v' } SETATTRIBUTES 1 NaN NaN NaN 1.5 ADDVALUE "
                 "NEWGTS 'y' RENAME { 'b' '3' 'c' '4' } RELABEL 0 1.0 2.0 3 2.5 ADDVALUE ] FUSE",
                 "[{\"c\":\"\",\"l\":{\"a\":\"1\"},\"a\":{},\"la\":0,\"v\":[[1,1.5],[0,0.9999999823048711,"
                 "1.9999999646097422,3,2.5]]}]");
    expect_stack("[ NEWGTS 'x' RENAME { 'a' '1' } RELABEL NEWGTS 'x' RENAME { 'a' '1' } RELABEL ] FUSE",
                 "[{\"c\":\"x\",\"l\":{\"a\":\"1\"},\"a\":{},\"la\":0,\"v\":[]}]");
}

Test(fuse, types)
{
    /* empty series do not count */
    expect_stack("[ NEWGTS NEWGTS 2 NaN NaN NaN 'b' ADDVALUE NEWGTS 1 NaN NaN NaN 'a' ADDVALUE ] FUSE",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,\"b\"],[1,\"a\"]]}]");
    check_error("[ NEWGTS 1 NaN NaN NaN 1 ADDVALUE NEWGTS 2 NaN NaN NaN 2.0 ADDVALUE ]", "FUSE", "inconsistent types");
    check_error("42", "FUSE", "LIST of GTS");
    check_error("NEWGTS", "FUSE", "LIST of GTS");
    check_error("[ NEWGTS 42 ]", "FUSE", "LIST of GTS");
}

Test(fuse, bucketized)
{
    const char *b = "[ NEWGTS 100 NaN NaN NaN 1 ADDVALUE 1000 NaN NaN NaN 2 ADDVALUE bucketizer.last 1000 100 0 ] "
                    "BUCKETIZE 0 GET ";
    char src[1024];
    /* chunks (500: 5 buckets, 1000: 5 buckets) fuse back to 10 buckets */
    snprintf(src, sizeof src, "%s 0 500 0 0 'c' false CHUNK FUSE DUP BUCKETSPAN SWAP DUP LASTBUCKET SWAP BUCKETCOUNT", b);
    expect_stack(src, "[10,1000,100]");
    /* with a series that is not bucketized: not bucketized */
    snprintf(src, sizeof src, "%s NEWGTS 2 ->LIST FUSE BUCKETSPAN", b);
    expect_stack(src, "[0]");
    /* lastbuckets not congruent modulo the bucketspan: not bucketized */
    snprintf(src, sizeof src,
             "%s [ NEWGTS 150 NaN NaN NaN 1 ADDVALUE bucketizer.last 150 100 1 ] BUCKETIZE 0 GET 2 ->LIST FUSE BUCKETSPAN", b);
    expect_stack(src, "[0]");
}

/* ---- LOCATIONOFFSET ---- */

/* the doc example: ten points about a centimetre apart, the last one 38 cm
 * further west */
#define TRACK                                                                                                          \
    "NEWGTS 'test name' RENAME { 'label0' '42' 'label1' 'foo' } RELABEL "                                             \
    "100  48.4313071 -4.4513631 25100 10 ADDVALUE 200  48.4313072 -4.4513632 25200  9 ADDVALUE "                       \
    "300  48.4313073 -4.4513633 25300  8 ADDVALUE 400  48.4313074 -4.4513634 25400  7 ADDVALUE "                       \
    "500  48.4313075 -4.4513635 25500  6 ADDVALUE 700  48.4313076 -4.4513636 25600  5 ADDVALUE "                       \
    "800  48.4313077 -4.4513637 25700  4 ADDVALUE 900  48.4313078 -4.4513638 25800  3 ADDVALUE "                       \
    "1000 48.4313079 -4.4513639 25900  2 ADDVALUE 1100 48.4313080 -4.4513690 26000  1 ADDVALUE "
#define TRACK_RES(v) "{\"c\":\"test name\",\"l\":{\"label0\":\"42\",\"label1\":\"foo\"},\"a\":{},\"la\":0,\"v\":[" v "]}"
#define T100 "[100,48.43130707740784,-4.45136315189302,25100,10]"
#define T300 "[300,48.431307286955416,-4.451363319531083,25300,8]"
#define T500 "[500,48.431307496502995,-4.451363570988178,25500,6]"
#define T800 "[800,48.43130766414106,-4.451363738626242,25700,4]"
#define T1000 "[1000,48.43130787368864,-4.451363906264305,25900,2]"
#define T1100 "[1100,48.431307999417186,-4.45136901922524,26000,1]"

Test(locationoffset, doc_example)
{
    /* 1000 is the first point 10.45 cm from 100 */
    expect_stack(TRACK "0.1 LOCATIONOFFSET", "[" TRACK_RES(T100 "," T1000 "," T1100) "]");
    /* 2 cm: 300 (2.6 cm from 100), 500 (3.0 cm from 300), 800 (2.2 cm),
     * 1000 (2.6 cm), then the last point */
    expect_stack(TRACK "0.02 LOCATIONOFFSET", "[" TRACK_RES(T100 "," T300 "," T500 "," T800 "," T1000 "," T1100) "]");
    expect_stack("[ " TRACK "] 1 LOCATIONOFFSET", "[[" TRACK_RES(T100 "," T1100) "]]");
}

Test(locationoffset, unlocated_points)
{
    /* the first point is kept even without a location; the next located
     * point is then kept whatever its distance; unlocated points in the
     * middle go; the input is sorted in place */
    expect_stack("NEWGTS 400 NaN NaN NaN 4 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 0.0 0.0 NaN 2 ADDVALUE "
                 "300 NaN NaN NaN 3 ADDVALUE 250 0.0 0.0 NaN 5 ADDVALUE 'g' STORE $g 1000.0 LOCATIONOFFSET $g",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1],[200,0.0,0.0,2],[250,0.0,0.0,5],[300,3],[400,4]]},"
                 "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1],[200,0.0,0.0,2],[400,4]]}]");
    expect_stack("NEWGTS 5 LOCATIONOFFSET", "[" EMPTYG "]");
    expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 5 LOCATIONOFFSET", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1]]}]");
    /* a NaN distance keeps only both ends */
    expect_stack(TRACK "NaN LOCATIONOFFSET", "[" TRACK_RES(T100 "," T1100) "]");
}

Test(locationoffset, errors)
{
    check_error(TRACK "'x'", "LOCATIONOFFSET", "distance");
    check_error("42 1.0", "LOCATIONOFFSET", "GTS");
}

Test(chunk, limits)
{
    /* every chunk is built with keepempty or an overlap: bounded first */
    check_error("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 1000 1 0 1000000000 'c' true", "CHUNK", "maxbuckets");
    check_error("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 3 NaN NaN NaN 3 ADDVALUE 2 NaN NaN NaN 2 ADDVALUE 1000 1 0 1000000000 'c' true", "CHUNK", "maxbuckets");
    check_error("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 1000000000000 2 1 0 'c' false", "CHUNK", "maxbuckets");
    /* without them, empty chunks are skipped (a billion here) */
    expect_stack("NEWGTS 0 NaN NaN NaN 1 ADDVALUE 1000000000000 NaN NaN NaN 2 ADDVALUE 0 1000 0 0 'c' false CHUNK SIZE",
                 "[2]");
    /* chunk count 0 is Integer.MAX_VALUE chunks: -4e18 is out of reach */
    expect_stack("NEWGTS -4000000000000000000 NaN NaN NaN 1 ADDVALUE 4000000000000000000 NaN NaN NaN 2 ADDVALUE "
                 "0 1 0 0 'c' false CHUNK SIZE",
                 "[1]");
}

Test(chunk, list_checked_first)
{
    /* the second series fails: the first one is not sorted either */
    check_error("[ NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 2 ADDVALUE NEWGTS { 'c' 'x' } RELABEL ] 0 10 0 0 'c' false",
                "CHUNK", "already have a label");
}
