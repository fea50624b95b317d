/* Tests for the geo mappers (builtins/geo_mappers.c): hdist, hspeed,
 * vdist, vspeed, truecourse, highest, lowest, geo.clear and
 * geo.approximate, over sliding windows, whole-series windows, empty
 * windows, series without locations or elevations, and in BUCKETIZE and
 * REDUCE. Expected numbers come from an independent Python model of the
 * GeoXP formulas (32-bit quantized coordinates, loxodromic distance with
 * 1852 m per arc minute, Warp 10's course formula), not from exo. */
#include "harness.h"

#include <stdio.h>

/* g: 6 points, one every 10 s:
 *   0 s (48.0 -4.5) 1000 mm 1.0     10 s (48.01 -4.5) 3000 mm 2.0
 *  20 s no location or elevation 3.0 30 s (48.01 -4.49) 500 mm 4.0
 *  40 s (47.99 -4.48) 3000 mm 5.0    50 s elevation 500 mm only, 6.0 */
#define G                                                                                                              \
    "NEWGTS 'g' RENAME 0 48.0 -4.5 1000 1.0 ADDVALUE 10000000 48.01 -4.5 3000 2.0 ADDVALUE "                           \
    "20000000 NaN NaN NaN 3.0 ADDVALUE 30000000 48.01 -4.49 500 4.0 ADDVALUE "                                         \
    "40000000 47.99 -4.48 3000 5.0 ADDVALUE 50000000 NaN NaN 500 6.0 ADDVALUE 'g' STORE "
/* n: the same ticks and values without any location or elevation */
#define N                                                                                                              \
    "NEWGTS 'n' RENAME 0 NaN NaN NaN 1 ADDVALUE 10000000 NaN NaN NaN 2 ADDVALUE 30000000 NaN NaN NaN 4 ADDVALUE 'n' " \
    "STORE "
#define M(v) "[[{\"c\":\"g\",\"l\":{},\"a\":{},\"la\":0,\"v\":[" v "]}]]"
#define MN(v) "[[{\"c\":\"n\",\"l\":{},\"a\":{},\"la\":0,\"v\":[" v "]}]]"

/* the points of g as the JSON prints them (quantized lat/lon) */
#define P0 "0,47.99999998882413,-4.500000067055225,1000"
#define P1 "10000000,48.00999997649342,-4.500000067055225,3000"
#define P3 "30000000,48.00999997649342,-4.49000003747642,500"
#define P4 "40000000,47.989999959245324,-4.480000007897615,3000"
#define LOC3 "48.00999997649342,-4.49000003747642,500"
#define LOC4 "47.989999959245324,-4.480000007897615,3000"

/* the course from a to b ("lat lon") */
#define TC(a, b) "NEWGTS 0 " a " NaN 1 ADDVALUE 1 " b " NaN 1 ADDVALUE [ SWAP mapper.truecourse 1 0 -1 ] MAP 0 GET VALUES"

/* ---- distances and speeds ---- */

Test(geo_mappers, hdist)
{
    /* segment by segment: points without location are skipped; the result
     * carries the location and elevation of the point at the tick */
    expect_stack(G "[ $g mapper.hdist 1 0 0 ] MAP",
                 M("[" P0 ",0.0],[" P1 ",1111.1986298114061],[20000000,0.0],[" P3 ",0.0],[" P4
                   ",2343.485055134204],[50000000,500,0.0]"));
    /* whole series: p0 -> p1 -> p3 -> p4 */
    expect_stack(G "[ $g mapper.hdist 5 0 -1 ] MAP", M("[50000000,500,4198.079676375868]"));
    /* the shorter way across the antimeridian */
    expect_stack("NEWGTS 0 0.0 179.9 NaN 1 ADDVALUE 1 0.0 -179.9 NaN 1 ADDVALUE [ SWAP mapper.hdist 1 0 -1 ] MAP 0 GET "
                 "VALUES",
                 "[[22223.99122416973]]");
}

Test(geo_mappers, hspeed)
{
    /* metres per second over the first-to-last time span; one tick: 0.0 */
    expect_stack(G "[ $g mapper.hspeed 1 0 0 ] MAP",
                 M("[" P0 ",0.0],[" P1 ",111.11986298114061],[20000000,0.0],[" P3 ",0.0],[" P4
                   ",234.34850551342038],[50000000,500,0.0]"));
    expect_stack(G "[ $g mapper.hspeed 5 0 -1 ] MAP", M("[50000000,500,83.96159352751737]"));
}

Test(geo_mappers, vdist)
{
    /* |1000-3000| + |3000-500| + |500-3000| + |3000-500| mm */
    expect_stack(G "[ $g mapper.vdist 5 0 -1 ] MAP", M("[50000000,500,9.5]"));
    expect_stack(G "[ $g mapper.vdist 1 0 0 ] MAP 0 GET VALUES", "[[0.0,2.0,0.0,0.0,2.5,2.5]]");
}

Test(geo_mappers, vspeed)
{
    /* first and last points need an elevation, else no value */
    expect_stack(G "[ $g mapper.vspeed 1 0 0 ] MAP", M("[" P0 ",0.0],[" P1 ",0.2],[" P4 ",0.25],[50000000,500,-0.25]"));
    expect_stack(G "[ $g mapper.vspeed 5 0 -1 ] MAP", M("[50000000,500,-0.01]"));
}

Test(geo_mappers, truecourse)
{
    /* first and last points need a location, else no value */
    expect_stack(G "[ $g mapper.truecourse 1 0 0 ] MAP", M("[" P0 ",0.0],[" P1 ",0.0],[" P4 ",206.49552998895456]"));
    expect_stack(G "[ $g mapper.truecourse 4 0 -2 ] MAP", M("[" P4 ",243.36874001650946]"));
    /* Warp 10's convention: east is 270, west 90 */
    expect_stack(TC("0.0 0.0", "0.0 10.0"), "[[270.0]]");
    expect_stack(TC("0.0 0.0", "0.0 -10.0"), "[[90.0]]");
    expect_stack(TC("0.0 0.0", "10.0 0.0"), "[[0.0]]");
    expect_stack(TC("10.0 0.0", "0.0 0.0"), "[[180.0]]");
}

/* ---- highest / lowest ---- */

Test(geo_mappers, highest_lowest)
{
    /* ties: highest takes the newest, lowest the oldest; the value,
     * location and elevation of the chosen point, stored at the tick */
    expect_stack(G "[ $g mapper.highest 5 0 -1 ] MAP", M("[50000000," LOC4 ",5.0]"));
    expect_stack(G "[ $g mapper.lowest 5 0 -1 ] MAP", M("[50000000," LOC3 ",4.0]"));
    /* with overrideTick, the chosen point's tick */
    expect_stack(G "[ $g mapper.highest 5 0 -1 1 true ] MAP", M("[40000000," LOC4 ",5.0]"));
    expect_stack(G "[ $g mapper.lowest 5 0 -1 1 true ] MAP", M("[30000000," LOC3 ",4.0]"));
    /* a point without elevation gives nothing; one with only an elevation
     * keeps it */
    expect_stack(G "[ $g mapper.highest 0 0 0 ] MAP",
                 M("[" P0 ",1.0],[" P1 ",2.0],[" P3 ",4.0],[" P4 ",5.0],[50000000,500,6.0]"));
    /* any value type */
    expect_stack("NEWGTS 0 NaN NaN 5 'a' ADDVALUE 1 NaN NaN 7 'b' ADDVALUE [ SWAP mapper.highest 1 0 -1 ] MAP 0 GET "
                 "VALUES",
                 "[[\"b\"]]");
}

/* ---- geo.clear / geo.approximate ---- */

Test(geo_mappers, geo_clear)
{
    expect_stack(G "[ $g mapper.geo.clear 0 0 0 ] MAP",
                 M("[0,1.0],[10000000,2.0],[20000000,3.0],[30000000,4.0],[40000000,5.0],[50000000,6.0]"));
    expect_error("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 2 ADDVALUE [ SWAP mapper.geo.clear 1 0 0 ] MAP",
                 "mapper.geo.clear can only be applied to a single value.",
                 "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1],[2,2]]},\"'mapper.geo.clear' FUNCREF\",1,0,0]]");
}

Test(geo_mappers, geo_approximate)
{
    /* the centre of the HHCode cell; points without location give nothing;
     * the elevation is kept */
    expect_stack(G "[ $g 10 mapper.geo.approximate 0 0 0 ] MAP",
                 M("[0,48.076171875,-4.39453125,1000,1.0],[10000000,48.076171875,-4.39453125,3000,2.0],"
                   "[30000000,48.076171875,-4.39453125,500,4.0],[40000000,48.076171875,-4.39453125,3000,5.0]"));
    expect_stack(G "[ $g 2 mapper.geo.approximate 0 0 0 ] MAP 0 GET LOCATIONS",
                 "[[-45.0,-45.0,-45.0,-45.0],[67.5,67.5,67.5,67.5]]");
    /* 32: unchanged */
    expect_stack(G "[ $g 32 mapper.geo.approximate 0 0 0 ] MAP",
                 M("[" P0 ",1.0],[" P1 ",2.0],[" P3 ",4.0],[" P4 ",5.0]"));
    /* the window's first point (none when it has no location: tick 30 s) */
    expect_stack(G "[ $g 10 mapper.geo.approximate 1 0 0 ] MAP 0 GET VALUES", "[[1.0,1.0,2.0,4.0,5.0]]");
    /* Java's intValue: DOUBLE truncated, LONG cut to 32 bits */
    expect_stack("10.7 mapper.geo.approximate 4294967306 mapper.geo.approximate",
                 "[\"10 mapper.geo.approximate\",\"10 mapper.geo.approximate\"]");
}

Test(geo_mappers, geo_approximate_bad_resolution)
{
    const char *bad[] = {"3", "0", "34", "-2", "1.5", "NaN", "'x'", "true"};
    char src[64];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(src, sizeof src, "%s mapper.geo.approximate", bad[i]);
        char stack[32];
        snprintf(stack, sizeof stack, "[%s]",
                 i == 4   ? "1.5"
                 : i == 5 ? "NaN"
                 : i == 6 ? "\"x\""
                          : bad[i]);
        expect_error(src, "mapper.geo.approximate expects an even resolution between 2 (coarsest) and 32 (finest).",
                     stack);
    }
    expect_error("mapper.geo.approximate", "Empty stack.", "[]");
}

/* ---- empty windows, missing locations ---- */

Test(geo_mappers, empty_windows)
{
    /* a bucketized series visits its empty buckets: no value there */
    const char *words[] = {"mapper.hdist", "mapper.hspeed", "mapper.vdist", "mapper.vspeed", "mapper.highest",
                           "mapper.lowest", "mapper.geo.clear", "4 mapper.geo.approximate"};
    const char *ticks[] = {"[[0,10000000,20000000,30000000,40000000,50000000]]",
                           "[[0,10000000,20000000,30000000,40000000,50000000]]",
                           "[[0,10000000,20000000,30000000,40000000,50000000]]",
                           "[[0,10000000,30000000,40000000,50000000]]",
                           "[[0,10000000,30000000,40000000,50000000]]",
                           "[[0,10000000,30000000,40000000,50000000]]",
                           "[[0,10000000,20000000,30000000,40000000,50000000]]",
                           "[[0,10000000,30000000,40000000]]"};
    char src[512];
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        snprintf(src, sizeof src, G "[ $g bucketizer.last 50000000 5000000 0 ] BUCKETIZE 0 GET [ SWAP %s 0 0 0 ] MAP 0 GET TICKS",
                 words[i]);
        expect_stack(src, ticks[i]);
    }
    expect_stack(G "[ $g bucketizer.last 50000000 5000000 0 ] BUCKETIZE 0 GET [ SWAP mapper.truecourse 0 0 0 ] MAP 0 GET "
                   "TICKS",
                 "[[0,10000000,30000000,40000000]]");
    expect_stack("[ NEWGTS mapper.hdist 1 0 0 ] MAP", "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]]");
}

Test(geo_mappers, no_locations)
{
    expect_stack(N "[ $n mapper.hdist 1 0 0 ] MAP", MN("[0,0.0],[10000000,0.0],[30000000,0.0]"));
    expect_stack(N "[ $n mapper.hspeed 1 0 0 ] MAP", MN("[0,0.0],[10000000,0.0],[30000000,0.0]"));
    expect_stack(N "[ $n mapper.vdist 1 0 0 ] MAP", MN("[0,0.0],[10000000,0.0],[30000000,0.0]"));
    expect_stack(N "[ $n mapper.vspeed 1 0 0 ] MAP", MN(""));
    expect_stack(N "[ $n mapper.truecourse 1 0 0 ] MAP", MN(""));
    expect_stack(N "[ $n mapper.highest 1 0 0 ] MAP", MN(""));
    expect_stack(N "[ $n mapper.lowest 1 0 0 ] MAP", MN(""));
    expect_stack(N "[ $n 8 mapper.geo.approximate 0 0 0 ] MAP", MN(""));
    expect_stack(N "[ $n mapper.geo.clear 0 0 0 ] MAP", MN("[0,1],[10000000,2],[30000000,4]"));
}

/* ---- other frameworks ---- */

Test(geo_mappers, bucketize_and_reduce)
{
    /* one bucket ending at the last tick (which has no location) */
    expect_stack(G "[ $g mapper.hdist 50000000 50000001 1 ] BUCKETIZE 0 GET VALUES", "[[4198.079676375868]]");
    expect_stack(G "[ $g mapper.lowest 50000000 50000001 1 ] BUCKETIZE 0 GET VALUES", "[[4.0]]");
    /* REDUCE: one slot per member; a member without a point is a null slot */
    const char *two = "NEWGTS { 'k' 'x' } RELABEL 10 1.0 2.0 100 1 ADDVALUE 20 1.0 2.0 300 1 ADDVALUE "
                      "NEWGTS { 'k' 'y' } RELABEL 10 3.0 4.0 200 2 ADDVALUE 20 NaN NaN NaN 5 ADDVALUE "
                      "30 NaN NaN 7 5 ADDVALUE 2 ->LIST 'l' STORE ";
    char src[512];
    snprintf(src, sizeof src, "%s [ $l [] mapper.hdist ] REDUCE 0 GET VALUES", two);
    expect_stack(src, "[[314199.1044660147,0.0,0.0]]");
    snprintf(src, sizeof src, "%s [ $l [] mapper.truecourse ] REDUCE 0 GET VALUES", two);
    expect_stack(src, "[[315.07858425643184]]");
    snprintf(src, sizeof src, "%s [ $l [] mapper.highest ] REDUCE 0 GET VALUES", two);
    expect_stack(src, "[[2,1,5]]");
    snprintf(src, sizeof src, "%s [ $l [] mapper.vspeed ] REDUCE 0 GET TICKS", two);
    expect_stack(src, "[[10,20]]");
    /* geo.clear and geo.approximate are mappers only */
    expect_error("NEWGTS 1 NaN NaN NaN 1 ADDVALUE [ SWAP mapper.geo.clear 0 0 1 ] BUCKETIZE",
                 "BUCKETIZE expects a bucketizer function",
                 "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1]]},\"'mapper.geo.clear' FUNCREF\",0,0,1]]");
}
