/* Tests for GEOSHAPE values (interp/geoshape.c, interp/geometry.c), the
 * words of builtins/geo.c (GEO.WKT, GEO.JSON, their .UNIFORM twins,
 * GEOPACK, GEOUNPACK), ->HHCODE on a shape, and the mappers
 * mapper.geo.within / mapper.geo.outside.
 *
 * Expected cells come from hand reasoning on the HHCode grid (at
 * resolution R a cell spans 180/2^(R/2)... degrees: 11.25 deg of latitude
 * and 22.5 deg of longitude at R = 4; its hex digits interleave the bits of
 * the latitude and longitude cell numbers, latitude first) checked with a
 * few lines of Python, never from exo's output. JTS intersects closed
 * sets, so a polygon edge lying on a cell border brings in the cell on the
 * other side too. */
#include "harness.h"
#include "oom.h"

/* ---- the value type ---- */

Test(geoshape, type_and_printing)
{
    expect_stack("'POINT (1 2)' 4 false GEO.WKT TYPEOF", "[\"GEOSHAPE\"]");
    /* SIZE counts the cells */
    expect_stack("'POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))' 4 false GEO.WKT SIZE", "[4]");
    /* JSON has no form for a shape: null, as Warp 10's JsonUtils */
    expect_stack("'POINT (1 2)' 4 false GEO.WKT", "[null]");
    /* the snapshot rebuilds an equal shape */
    expect_stack("'POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))' 4 false GEO.WKT 's' STORE $s SNAPSHOT EVAL $s ==",
                 "[true]");
    /* equality compares the cells */
    expect_stack("'POINT (1 2)' 4 false GEO.WKT 'POINT (1 2.1)' 4 false GEO.WKT ==", "[true]");
    expect_stack("'POINT (1 2)' 4 false GEO.WKT 'POINT (100 2)' 4 false GEO.WKT ==", "[false]");
    expect_stack("'POINT (1 2)' 4 false GEO.WKT 'POINT (1 2)' 6 false GEO.WKT !=", "[true]");
}

Test(geoshape, pack)
{
    /* GEOPACK is the WRAP of a BOOLEAN series whose ticks are the cells */
    expect_stack("'POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))' 4 false GEO.WKT 's' STORE "
                 "$s GEOPACK NEWGTS $s ->HHCODELONG <% NaN NaN NaN true ADDVALUE %> FOREACH WRAP ==",
                 "[true]");
    expect_stack("'POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))' 4 false GEO.WKT 's' STORE $s GEOPACK GEOUNPACK $s ==",
                 "[true]");
    expect_stack("'POLYGON EMPTY' 4 false GEO.WKT GEOPACK GEOUNPACK ->HHCODE", "[[]]");
}

/* ---- covers ---- */

Test(geoshape, polygon_cells)
{
    /* [0,10]x[0,10] at R = 4 lies in the cell of latitude and longitude
     * numbers 8 (hex c0); its edges on lat 0 and lon 0 touch cells 7 on
     * the other side: 3f (7,7), 6a (7,8), 95 (8,7) */
    expect_stack("'POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))' 4 false GEO.WKT ->HHCODELONG",
                 "[[2589569785738035200,2783224569714966528,2976879353691897856,3170534137668829184]]");
    /* none of them is covered */
    expect_stack("'POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))' 4 true GEO.WKT ->HHCODE", "[[]]");
    /* [0,45]x[0,22.5] is exactly the cells (8..9, 8..9) */
    expect_stack("'POLYGON ((0 0, 45 0, 45 22.5, 0 22.5, 0 0))' 4 true GEO.WKT ->HHCODE", "[[\"c0\",\"c1\",\"c2\",\"c3\"]]");
    /* plus the ring of cells touching its border: numbers 7..10 both ways */
    expect_stack("'POLYGON ((0 0, 45 0, 45 22.5, 0 22.5, 0 0))' 4 false GEO.WKT ->HHCODE",
                 "[[\"3f\",\"6a\",\"6b\",\"6e\",\"95\",\"97\",\"9d\",\"c0\",\"c1\",\"c2\",\"c3\",\"c4\",\"c6\",\"c8\",\"c9\","
                 "\"cc\"]]");
    /* a covered cell is kept at its own resolution: [0,90]x[0,45] is the
     * R = 2 cell c, and inside the R = 6 cover keeps just it */
    expect_stack("'POLYGON ((0 0, 90 0, 90 45, 0 45, 0 0))' 6 true GEO.WKT ->HHCODE", "[[\"c\"]]");
    /* 16 siblings all met at the finest resolution merge into their parent:
     * a polygon slightly larger than cell c at R = 2... covered at R 2 */
    expect_stack("'POLYGON ((0.1 0.1, 89.9 0.1, 89.9 44.9, 0.1 44.9, 0.1 0.1))' 2 false GEO.WKT ->HHCODE", "[[\"c\"]]");
    /* MULTIPOLYGON: two far apart squares */
    expect_stack("'MULTIPOLYGON (((0 0, 45 0, 45 22.5, 0 22.5, 0 0)), ((-180 -90, -157.5 -90, -157.5 -78.75, -180 -78.75, "
                 "-180 -90)))' 4 true GEO.WKT ->HHCODE",
                 "[[\"00\",\"c0\",\"c1\",\"c2\",\"c3\"]]");
}

Test(geoshape, points_and_lines)
{
    /* a point at R = 20: the cell of its HHCode */
    expect_stack("'POINT (2.35 48.85)' 20 false GEO.WKT ->HHCODE", "[[\"e0236ec7da\"]]");
    /* both MULTIPOINT forms; cells sorted as signed longs */
    expect_stack("'MULTIPOINT ((2.35 48.85), (-4.5 48.4))' 20 false GEO.WKT ->HHCODE",
                 "[[\"b570f272f8\",\"e0236ec7da\"]]");
    expect_stack("'multipoint (2.35 48.85, -4.5 48.4)' 20 false GEO.WKT ->HHCODE", "[[\"b570f272f8\",\"e0236ec7da\"]]");
    /* a DOUBLE error on a point gives resolution 32, whose cells GeoXP
     * cannot keep: an empty shape, as in Warp 10 */
    expect_stack("'POINT (2.35 48.85)' 0.1 false GEO.WKT ->HHCODE", "[[]]");
    /* a vertical line at lon 0.1 from lat 0.1 to 5 at R = 8: longitude
     * number 128, latitude numbers 128 to 135 */
    expect_stack("'LINESTRING (0.1 0.1, 0.1 5)' 8 false GEO.WKT ->HHCODE",
                 "[[\"c000\",\"c002\",\"c008\",\"c00a\",\"c020\",\"c022\",\"c028\",\"c02a\"]]");
    expect_stack("'LINESTRING (0.1 0.1, 0.1 5)' 8 true GEO.WKT ->HHCODE", "[[]]");
    expect_stack("'MULTILINESTRING ((0.1 0.1, 0.1 5), EMPTY)' 8 false GEO.WKT ->HHCODE SIZE", "[8]");
    /* Z ordinates are read and ignored */
    expect_stack("'POINT Z (2.35 48.85 12)' 20 false GEO.WKT ->HHCODE", "[[\"e0236ec7da\"]]");
    expect_stack("'POINT EMPTY' 20 false GEO.WKT ->HHCODE", "[[]]");
}

Test(geoshape, uniform)
{
    /* one resolution only, no merge: cell c at R = 2 is 16 cells at R = 4 */
    expect_stack("'POLYGON ((0 0, 90 0, 90 45, 0 45, 0 0))' 4 true GEO.WKT.UNIFORM ->HHCODE SIZE", "[16]");
    expect_stack("'POLYGON ((0 0, 45 0, 45 22.5, 0 22.5, 0 0))' 4 true GEO.WKT.UNIFORM ->HHCODE",
                 "[[\"c0\",\"c1\",\"c2\",\"c3\"]]");
}

Test(geoshape, geojson)
{
    expect_stack("'{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[45,0],[45,22.5],[0,22.5],[0,0]]]}' 4 true GEO.JSON "
                 "->HHCODE",
                 "[[\"c0\",\"c1\",\"c2\",\"c3\"]]");
    expect_stack("'{\"type\":\"MultiPoint\",\"coordinates\":[[2.35,48.85],[-4.5,48.4]]}' 20 false GEO.JSON ->HHCODE",
                 "[[\"b570f272f8\",\"e0236ec7da\"]]");
    expect_stack("'{\"type\":\"LineString\",\"coordinates\":[[0.1,0.1],[0.1,5]]}' 8 false GEO.JSON ->HHCODE SIZE", "[8]");
    check_error("'{\"type\":\"Circle\",\"coordinates\":[]}' 4 true", "GEO.JSON", "expects valid a GeoJSON STRING");
    check_error("'[1' 4 true", "GEO.JSON", "expects valid a GeoJSON STRING");
    check_error("'{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}' 4 true", "GEO.JSON", "closed");
}

/* ---- membership, through the mappers ---- */

/* g: (1,1) 'a', (5,5) 'b', (20,20) 'c', no location 'd' */
#define G                                                                                                              \
    "NEWGTS 10 1.0 1.0 NaN 'a' ADDVALUE 20 5.0 5.0 NaN 'b' ADDVALUE 30 20.0 20.0 NaN 'c' ADDVALUE "                    \
    "40 NaN NaN NaN 'd' ADDVALUE 'g' STORE "
/* a 10 degree square with a 2 degree hole in its middle */
#define HOLED "'POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))' 0.01 false GEO.WKT 's' STORE "

Test(geoshape, within_outside_holes)
{
    expect_stack(G HOLED "[ $g $s mapper.geo.within 0 0 0 ] MAP 0 GET VALUES", "[[\"a\"]]");
    /* a point without location is in neither */
    expect_stack(G HOLED "[ $g $s mapper.geo.outside 0 0 0 ] MAP 0 GET VALUES", "[[\"b\",\"c\"]]");
    /* the result keeps the tick and the point's location */
    expect_stack(G HOLED "[ $g $s mapper.geo.within 0 0 0 ] MAP 0 GET TICKS", "[[10]]");
    /* with inside cells only, the same points */
    expect_stack(G "'POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))' 0.01 true GEO.WKT 's' STORE "
                   "[ $g $s mapper.geo.within 0 0 0 ] MAP 0 GET VALUES",
                 "[[\"a\"]]");
}

Test(geoshape, window_uses_first_point)
{
    /* a window of two points: the first (oldest) one decides, and its
     * value is output at the current tick */
    expect_stack(G HOLED "[ $g $s mapper.geo.within 1 0 0 ] MAP 0 GET DUP TICKS SWAP VALUES",
                 "[[\"a\",\"a\"],[10,20]]");
    expect_stack(G HOLED "[ $g $s mapper.geo.outside 1 0 0 ] MAP 0 GET DUP TICKS SWAP VALUES",
                 "[[\"b\",\"c\"],[30,40]]");
    /* an empty series stays empty */
    expect_stack(HOLED "[ NEWGTS $s mapper.geo.within 0 0 0 ] MAP 0 GET SIZE", "[0]");
    /* the mapper prints as Warp 10's: the packed shape then its name */
    expect_stack(G HOLED "$s mapper.geo.within 'm' STORE CLEAR $m SNAPSHOT 't' STORE CLEAR "
                 "[ $g $t EVAL 0 0 0 ] MAP 0 GET VALUES",
                 "[[\"a\"]]");
}

Test(geoshape, antimeridian)
{
    /* JTS is planar: nothing lies beyond 180, a polygon up to 190 does not
     * wrap to -170 */
    expect_stack("NEWGTS 1 0.0 175.0 NaN 'e' ADDVALUE 2 0.0 -175.0 NaN 'w' ADDVALUE 'g' STORE "
                 "'POLYGON ((170 -10, 190 -10, 190 10, 170 10, 170 -10))' 0.01 false GEO.WKT 's' STORE "
                 "[ $g $s mapper.geo.within 0 0 0 ] MAP 0 GET VALUES",
                 "[[\"e\"]]");
    /* split in two at the antimeridian, both sides are in */
    expect_stack("NEWGTS 1 0.0 175.0 NaN 'e' ADDVALUE 2 0.0 -175.0 NaN 'w' ADDVALUE 3 0.0 179.99 NaN 'e2' ADDVALUE "
                 "4 0.0 -179.99 NaN 'w2' ADDVALUE 5 0.0 160.0 NaN 'x' ADDVALUE 6 0.0 0.0 NaN 'y' ADDVALUE 'g' STORE "
                 "'MULTIPOLYGON (((170 -10, 180 -10, 180 10, 170 10, 170 -10)), ((-180 -10, -170 -10, -170 10, -180 10, "
                 "-180 -10)))' 0.01 false GEO.WKT 's' STORE "
                 "[ $g $s mapper.geo.within 0 0 0 ] MAP 0 GET VALUES [ $g $s mapper.geo.outside 0 0 0 ] MAP 0 GET VALUES",
                 "[[\"x\",\"y\"],[\"e\",\"w\",\"e2\",\"w2\"]]");
}

Test(geoshape, in_reduce)
{
    /* an aggregator too: REDUCE reads the first member's point */
    expect_stack(HOLED "[ NEWGTS 'a' RENAME 10 1.0 1.0 NaN 1 ADDVALUE NEWGTS 'b' RENAME 10 20.0 20.0 NaN 2 ADDVALUE ] "
                       "[ SWAP [] $s mapper.geo.within ] REDUCE 0 GET VALUES",
                 "[[1]]");
}

Test(geoshape, intersects_within)
{
    /* g has a point inside (a), in the hole (b), outside (c), unlocated (d) */
    expect_stack(G HOLED "$g $s GEO.INTERSECTS $g $s GEO.WITHIN", "[false,true]");
    /* unlocated points are ignored; no located point at all: neither */
    expect_stack(HOLED "NEWGTS 1 1.0 1.0 NaN 1 ADDVALUE 2 9.0 2.0 NaN 2 ADDVALUE 3 NaN NaN NaN 3 ADDVALUE 'h' STORE "
                       "$h $s GEO.WITHIN $h $s GEO.INTERSECTS",
                 "[true,true]");
    expect_stack(HOLED "NEWGTS 1 NaN NaN NaN 1 ADDVALUE 'h' STORE $h $s GEO.WITHIN $h $s GEO.INTERSECTS NEWGTS $s "
                       "GEO.WITHIN",
                 "[false,false,false]");
    expect_stack(G HOLED "NEWGTS 1 5.0 5.0 NaN 1 ADDVALUE 'h' STORE [ $g $h ] $s GEO.INTERSECTS", "[[true,false]]");
    check_error("NEWGTS 42", "GEO.WITHIN", "expects a geo shape");
    check_error("42 'POINT (1 2)' 4 false GEO.WKT", "GEO.INTERSECTS", "GEO.INTERSECTS");
}

/* ---- errors ---- */

Test(geoshape, bad_parameters)
{
    check_error("'POINT (1 2)' 3 false", "GEO.WKT", "even number between 2 and 30");
    check_error("'POINT (1 2)' 32 false", "GEO.WKT", "even number between 2 and 30");
    check_error("'POINT (1 2)' 0 false", "GEO.WKT", "even number between 2 and 30");
    check_error("'POINT (1 2)' 4 'x'", "GEO.WKT", "expects a WKT STRING, a DOUBLE error percentage");
    check_error("'POINT (1 2)' '4' true", "GEO.WKT", "expects a WKT STRING");
    check_error("42 4 true", "GEO.WKT", "expects a WKT STRING");
    check_error("42", "mapper.geo.within", "expects a Geo Shape");
    check_error("'x'", "mapper.geo.outside", "expects a Geo Shape");
    check_error("42", "GEOPACK", "expects a shape");
    check_error("'!!'", "GEOUNPACK", "invalid packed shape");
    check_error("42", "GEOUNPACK", "expects a packed shape");
    /* more cells than warpscript.maxgeocells (10000) */
    check_error("'LINESTRING (0 0, 10 10)' 30 false", "GEO.WKT", "maximum number of cells");
}

Test(geoshape, bad_wkt)
{
    check_error("'CIRCLE (1 2)' 4 true", "GEO.WKT", "unsupported geometry type 'CIRCLE'");
    check_error("'GEOMETRYCOLLECTION (POINT (1 2))' 4 true", "GEO.WKT", "unsupported geometry type");
    check_error("'' 4 true", "GEO.WKT", "expected a geometry type");
    check_error("'POINT (1)' 4 true", "GEO.WKT", "expected a number");
    check_error("'POINT (1 2' 4 true", "GEO.WKT", "expected ')'");
    check_error("'POINT 1 2' 4 true", "GEO.WKT", "expected '('");
    check_error("'POINT (1 2) POINT (3 4)' 4 true", "GEO.WKT", "unexpected text after the geometry");
    check_error("'LINESTRING (1 2)' 4 true", "GEO.WKT", "found 1");
    check_error("'POLYGON ((0 0, 1 0, 1 1))' 4 true", "GEO.WKT", "found 3");
    check_error("'POLYGON ((0 0, 1 0, 1 1, 0 1))' 4 true", "GEO.WKT", "closed");
    check_error("'POLYGON ((0 0, 1 0, 1 1, 0 0), (0.2 0.2, 0.5 0.2, 0.2 0.4))' 4 true", "GEO.WKT", "found 3");
    check_error("'POINT (1e999 2)' 4 true", "GEO.WKT", "out of range");
    check_error("'POINT (a b)' 4 true", "GEO.WKT", "expected a number");
}

/* ---- allocation failures ---- */

Test(geoshape, oom)
{
    oom_sweep(HOLED G "[ $g $s mapper.geo.within 0 0 0 ] MAP DROP [ $g ] $s GEO.INTERSECTS DROP $s GEOPACK GEOUNPACK $s SNAPSHOT $s ->HHCODE "
                      "'{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[45,0],[45,22.5],[0,22.5],[0,0]]]}' 4 true GEO.JSON "
                      "CLEAR",
              OOM_WARM);
    oom_sweep("<% 'POLYGON ((0 0, 1 0, 1 1' 4 true GEO.WKT %> <% %> <% %> TRY CLEAR", OOM_STRICT);
}
