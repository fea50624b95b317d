/* The geo mappers of MAP (spec d.2): distances, speeds and course along
 * the located points of a window, the highest / lowest point, and the
 * location edits geo.clear and geo.approximate, and the GEOSHAPE filters
 * geo.within and geo.outside.
 *
 * They follow Warp 10's classes (HDist, HSpeed, VDist, VSpeed, TrueCourse,
 * Highest, Lowest, MapperGeoClearPosition, MapperGeoApproximate), quirks
 * included, so a script gives the same numbers:
 *   - horizontal distances are GeoXP's loxodromic approximation on the
 *     packed 32-bit coordinates (a flat delta scaled by the cosine of the
 *     mean latitude, one nautical mile per arc minute), not a haversine;
 *   - the true course is Warp 10's formula as written: west-positive
 *     longitudes (east is 270) and cos(lon2) where the aviation formula
 *     has cos(lat2);
 *   - speeds divide by the time between the window's first and last ticks,
 *     whether or not those points are located;
 *   - the distance and course results carry the location and elevation of
 *     the point at the computed tick (none when the window has no point
 *     there); highest / lowest carry the chosen point's tick, location and
 *     elevation.
 * Elevations are millimetres, ticks microseconds. */
#include "aggregators.h"

#include "../interp/geoshape.h"

#include <math.h>

#define TIME_UNITS_PER_S 1000000.0
#define ELEV_UNITS_PER_M 1000.0
/* GeoXP: 2^32 units over 180 degrees of latitude / 360 of longitude, and
 * 1852 m per arc minute */
#define TWO32 4294967296.0
#define M_PER_LAT_UNIT (180.0 * 60.0 * 1852.0 / TWO32)
#define M_PER_LON_UNIT (360.0 * 60.0 * 1852.0 / TWO32)
#define RAD_PER_LAT_UNIT (3.14159265358979323846 / TWO32)
/* Java 9+ Math.toRadians / toDegrees */
#define DEG_TO_RAD 0.017453292519943295
#define RAD_TO_DEG 57.29577951308232

static bool is_reduce(const agg_window *w) { return w->mode == AGG_REDUCE || w->mode == AGG_APPLY; }

/* Warp 10's "location and elevation at 'tick'": the first point of the
 * window at the computed tick. For REDUCE/APPLY every slot is at the tick,
 * so it is slot 0, which may be a member without a value. */
static void at_tick(const agg_window *w, agg_out *out)
{
    out->loc = GTS_NO_LOCATION;
    out->elev = GTS_NO_ELEVATION;
    for (size_t i = 0; i < w->n; i++) {
        if (is_reduce(w) ? aw_slot(w, i) == 0 : w->ticks[i] == w->tick) {
            out->loc = aw_loc(w, i);
            out->elev = aw_elev(w, i);
            return;
        }
        if (is_reduce(w))
            return;
    }
}

/* GeoXP's loxodromicDistance, in metres, between two packed locations. */
static double lox_distance(int64_t from, int64_t to)
{
    int64_t flat, flon, tlat, tlon;
    gts_location_cells(from, &flat, &flon);
    gts_location_cells(to, &tlat, &tlon);
    /* the scale is -cos(mean latitude); only its square matters */
    double scale = cos((double)((flat + tlat) / 2) * RAD_PER_LAT_UNIT + 3.14159265358979323846 / 2.0);
    double dlat = (double)(flat - tlat) * M_PER_LAT_UNIT;
    int64_t dl = flon > tlon ? flon - tlon : tlon - flon;
    if (dl > 0x7fffffffLL)
        dl = 0xffffffffLL - dl; /* the shorter way round */
    double dlon = (double)dl * M_PER_LON_UNIT * scale;
    return sqrt(dlat * dlat + dlon * dlon);
}

/* Sum of the distances between consecutive located points. */
static double path_length(const agg_window *w)
{
    double total = 0.0;
    int64_t last = GTS_NO_LOCATION;
    for (size_t i = 0; w->loc && i < w->n; i++) {
        int64_t l = w->loc[i];
        if (l == GTS_NO_LOCATION)
            continue;
        if (last != GTS_NO_LOCATION)
            total += lox_distance(last, l);
        last = l;
    }
    return total;
}

/* Indices of the oldest and newest points (first of equal ticks). */
static void first_last(const agg_window *w, size_t *fi, size_t *li)
{
    size_t a = 0, b = 0;
    for (size_t i = 1; i < w->n; i++) {
        if (w->ticks[i] < w->ticks[a])
            a = i;
        if (w->ticks[i] > w->ticks[b])
            b = i;
    }
    *fi = a;
    *li = b;
}

static int64_t wsub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }

static bool g_hdist(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm, (void)f;
    if (w->n == 0)
        return true;
    at_tick(w, out);
    out->v = v_double(path_length(w));
    return true;
}

static bool g_hspeed(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm, (void)f;
    if (w->n == 0)
        return true;
    at_tick(w, out);
    double d = path_length(w);
    size_t a, b;
    first_last(w, &a, &b);
    if (w->ticks[a] == w->ticks[b])
        out->v = v_double(0.0);
    else
        out->v = v_double(d / ((double)wsub(w->ticks[b], w->ticks[a]) / TIME_UNITS_PER_S));
    return true;
}

static bool g_vdist(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm, (void)f;
    if (w->n == 0)
        return true;
    /* a Java long sum of Math.abs deltas: wraps */
    uint64_t total = 0;
    int64_t last = GTS_NO_ELEVATION;
    for (size_t i = 0; w->elev && i < w->n; i++) {
        int64_t e = w->elev[i];
        if (e == GTS_NO_ELEVATION)
            continue;
        if (last != GTS_NO_ELEVATION) {
            uint64_t d = (uint64_t)last - (uint64_t)e;
            total += (int64_t)d < 0 ? 0 - d : d;
        }
        last = e;
    }
    at_tick(w, out);
    out->v = v_double((double)(int64_t)total / ELEV_UNITS_PER_M);
    return true;
}

static bool g_vspeed(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm, (void)f;
    if (w->n == 0)
        return true;
    at_tick(w, out);
    size_t a, b;
    first_last(w, &a, &b);
    /* REDUCE: Java's oldest and newest are slot 0 (all ticks are equal) */
    if (is_reduce(w) && aw_slot(w, a) != 0)
        return true;
    int64_t ea = aw_elev(w, a), eb = aw_elev(w, b);
    if (ea == GTS_NO_ELEVATION || eb == GTS_NO_ELEVATION)
        return true;
    double dv = (double)wsub(eb, ea);
    if (dv == 0.0)
        out->v = v_double(0.0);
    else
        out->v = v_double(dv / ELEV_UNITS_PER_M / ((double)wsub(w->ticks[b], w->ticks[a]) / TIME_UNITS_PER_S));
    return true;
}

static bool g_truecourse(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm, (void)f;
    if (w->n == 0)
        return true;
    /* Warp 10 reads the first and last slots (the window is sorted) */
    if (is_reduce(w) && (aw_slot(w, 0) != 0 || aw_slot(w, w->n - 1) != aw_slots(w) - 1))
        return true;
    int64_t l1 = aw_loc(w, 0), l2 = aw_loc(w, w->n - 1);
    if (l1 == GTS_NO_LOCATION || l2 == GTS_NO_LOCATION)
        return true;
    double lat1, lon1, lat2, lon2;
    gts_unpack_location(l1, &lat1, &lon1);
    gts_unpack_location(l2, &lat2, &lon2);
    lat1 *= DEG_TO_RAD;
    lon1 *= DEG_TO_RAD;
    lat2 *= DEG_TO_RAD;
    lon2 *= DEG_TO_RAD;
    double tc = remainder(atan2(sin(lon1 - lon2) * cos(lon2), cos(lat1) * sin(lat2) - sin(lat1) * cos(lat2) * cos(lon1 - lon2)),
                          2.0 * 3.14159265358979323846);
    if (tc < 0)
        tc = tc + 3.14159265358979323846 + 3.14159265358979323846;
    at_tick(w, out);
    out->v = v_double(tc * RAD_TO_DEG);
    return true;
}

/* highest: the greatest elevation, ties to the newest point; lowest: the
 * smallest, ties to the oldest. Points without elevation are skipped. */
static bool g_extreme(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm;
    bool high = f->def->magic != 0;
    size_t idx = SIZE_MAX;
    int64_t ts = high ? INT64_MIN : INT64_MAX, best = high ? INT64_MIN : INT64_MAX;
    for (size_t i = 0; w->elev && i < w->n; i++) {
        int64_t e = w->elev[i];
        if (e == GTS_NO_ELEVATION)
            continue;
        bool take = high ? (e > best || (e == best && w->ticks[i] > ts)) : (e < best || (e == best && w->ticks[i] < ts));
        if (take) {
            ts = w->ticks[i];
            best = e;
            idx = i;
        }
    }
    if (idx == SIZE_MAX)
        return true;
    out->tick = w->ticks[idx];
    out->loc = aw_loc(w, idx);
    out->elev = best;
    out->v = val_retain(aw_value(w, idx));
    return true;
}

static bool g_clear(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    if (w->n == 0)
        return true;
    if (w->n != 1)
        return vm_fail(vm, "%s can only be applied to a single value.", f->def->name);
    out->loc = GTS_NO_LOCATION;
    out->elev = GTS_NO_ELEVATION;
    out->v = val_retain(aw_value(w, 0));
    return true;
}

/* The first point's value, moved to the centre of its HHCode cell at the
 * resolution; a point without location gives no value. */
static bool g_approximate(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm;
    if (w->n == 0)
        return true;
    int64_t loc = aw_loc(w, 0);
    out->elev = aw_elev(w, 0);
    out->loc = loc;
    if (loc == GTS_NO_LOCATION)
        return true;
    unsigned res = (unsigned)f->il;
    if (res < 32) {
        uint64_t h = (uint64_t)loc & (~0ull << (64 - 2 * res));
        out->loc = (int64_t)(h | (0xc000000000000000ull >> (2 * res)));
    }
    out->v = val_retain(aw_value(w, 0));
    return true;
}

/* `resolution mapper.geo.approximate`: an even resolution from 2 to 32,
 * read as Java's intValue (a DOUBLE is truncated, a LONG keeps its low 32
 * bits). */
static bool build_approximate(exo_vm *vm, const word *w, const fn_def *d)
{
    (void)w;
    value c = *vm_peek(vm, 0);
    int32_t r = 0;
    if (c.type == T_LONG) {
        r = (int32_t)(uint32_t)(uint64_t)c.as.l;
    } else if (c.type == T_DOUBLE) {
        double x = c.as.d; /* Java's (int): NaN is 0, saturates */
        r = x != x ? 0 : x >= 2147483647.0 ? INT32_MAX : x <= -2147483648.0 ? INT32_MIN : (int32_t)x;
    }
    if (!val_is_number(c) || r < 2 || r > 32 || (r & 1))
        return vm_fail(vm, "%s expects an even resolution between 2 (coarsest) and 32 (finest).", d->name);
    value p = v_long(r);
    function *f = fn_new(vm, d, &p, 1);
    if (!f)
        return false;
    f->il = r;
    vm_drop(vm, 1);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

/* geo.within (magic 0) / geo.outside (1), as MapperGeoWithin/Outside:
 * the first value of the window when its location is in (not in) the
 * shape; none when that value is null or has no location. */
static bool g_within(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm;
    if (w->n == 0 || (is_reduce(w) && aw_slot(w, 0) != 0))
        return true;
    int64_t loc = aw_loc(w, 0);
    out->loc = loc;
    out->elev = aw_elev(w, 0);
    if (loc == GTS_NO_LOCATION || geoshape_contains(AS_GEOSHAPE(f->params[0]), loc) == (f->def->magic != 0))
        return true;
    out->v = val_retain(aw_value(w, 0));
    return true;
}

/* `shape mapper.geo.within` */
static bool build_shape(exo_vm *vm, const word *w, const fn_def *d)
{
    (void)w;
    value c = *vm_peek(vm, 0);
    if (c.type != T_GEOSHAPE)
        return vm_fail(vm, "%s expects a Geo Shape on top of the stack.", d->name);
    value p = val_retain(c);
    function *f = fn_new(vm, d, &p, 1);
    if (!f)
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

/* X(id, name, kernel, roles, magic, nparams, builder, sig, doc) */
#define GEO_MAPPERS(X)                                                                                                 \
    X(hdist, "mapper.hdist", g_hdist, AGG_ROLES, 0, 0, NULL, "-- mapper",                                              \
      "Distance in metres along the window's located points (rhumb-line approximation).")                             \
    X(hspeed, "mapper.hspeed", g_hspeed, AGG_ROLES, 0, 0, NULL, "-- mapper",                                           \
      "hdist of the window divided by its first-to-last time span, in m/s.")                                          \
    X(vdist, "mapper.vdist", g_vdist, AGG_ROLES, 0, 0, NULL, "-- mapper",                                              \
      "Sum of the absolute elevation changes over the window, in metres.")                                            \
    X(vspeed, "mapper.vspeed", g_vspeed, AGG_ROLES, 0, 0, NULL, "-- mapper",                                           \
      "Elevation change between the window's first and last points per second, in m/s.")                              \
    X(truecourse, "mapper.truecourse", g_truecourse, AGG_ROLES, 0, 0, NULL, "-- mapper",                               \
      "Course in degrees from the window's first to its last point (Warp 10's formula).")                             \
    X(highest, "mapper.highest", g_extreme, AGG_ROLES, 1, 0, NULL, "-- mapper",                                        \
      "The point with the highest elevation (newest on ties).")                                                        \
    X(lowest, "mapper.lowest", g_extreme, AGG_ROLES, 0, 0, NULL, "-- mapper",                                          \
      "The point with the lowest elevation (oldest on ties).")                                                         \
    X(clear, "mapper.geo.clear", g_clear, FN_MAPPER, 0, 0, NULL, "-- mapper",                                          \
      "The single value of the window without location or elevation.")                                                 \
    X(approx, "mapper.geo.approximate", g_approximate, FN_MAPPER, 0, 1, build_approximate, "resolution -- mapper",     \
      "The first value, its location moved to the centre of its HHCode cell (even resolution 2-32).")                 \
    X(within, "mapper.geo.within", g_within, AGG_ROLES, 0, 1, build_shape, "shape -- mapper",                         \
      "The first value of the window if its location is inside the GEOSHAPE.")                                        \
    X(outside, "mapper.geo.outside", g_within, AGG_ROLES, 1, 1, build_shape, "shape -- mapper",                       \
      "The first value of the window if it has a location outside the GEOSHAPE.")

#define DEF(id, nm, k, rl, mg, np, bld, sig, doc)                                                                      \
    static const fn_def d_##id = {.name = nm,                                                                          \
                                  .kind = FN_KIND_AGGREGATOR,                                                          \
                                  .roles = rl,                                                                         \
                                  .nparams = np,                                                                       \
                                  .magic = mg,                                                                         \
                                  .kernel = {.agg = k},                                                                \
                                  .build = bld};
GEO_MAPPERS(DEF)
#undef DEF

#define WORD(id, nm, k, rl, mg, np, bld, sig, doc) EXO_WORD_DATA(nm, fn_word, np, sig, doc, &d_##id),

static const word geo_mappers_words[] = {GEO_MAPPERS(WORD)};

EXO_FAMILY(geo_mappers, geo_mappers_words)
