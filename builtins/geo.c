/* GEOSHAPE words (interp/geoshape.h): GEO.WKT and GEO.JSON build a shape
 * from a geometry, as Warp 10's GeoImporter (GEOWKT.java, GEOJSON.java);
 * their .UNIFORM twins cover at a single resolution; GEOPACK / GEOUNPACK
 * convert a shape to and from its packed text (the snapshot form);
 * GEO.INTERSECTS / GEO.WITHIN test a GTS (or each of a LIST) against a
 * shape as GTSHelper.geointersects / geowithin: some located point in
 * the shape / at least one located point and all of them in it (points
 * without location are ignored).
 *
 * `geometry pcterror inside GEO.WKT`: pcterror is a DOUBLE fraction of the
 * geometry's envelope diagonal (the resolution is the first, from the
 * finest, whose cell diagonal exceeds that error) or a LONG resolution
 * (even, 2 to 30); inside keeps only cells the geometry covers. The cover
 * stops with an error past Warp 10's default warpscript.maxgeocells
 * (10000 cells). GEOBUFFER is not supported. */
#include "builtins.h"
#include "gts_words.h"

#include "../interp/geometry.h"
#include "../interp/geoshape.h"
#include "../interp/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* GeoJSON: a geometry object, "coordinates" as nested LISTs of [x, y]. */
static int gj_point(exo_vm *vm, geometry *g, value p)
{
    if (p.type != T_LIST || AS_LIST(p)->len < 2 || !val_is_number(AS_LIST(p)->items[0]) ||
        !val_is_number(AS_LIST(p)->items[1]))
        return 0;
    return geometry_add_point(vm, g, val_as_double(AS_LIST(p)->items[0]), val_as_double(AS_LIST(p)->items[1])) ? 1
                                                                                                                : -1;
}

/* a LIST of positions into the current ring */
static int gj_points(exo_vm *vm, geometry *g, value l)
{
    if (l.type != T_LIST)
        return 0;
    for (size_t i = 0; i < AS_LIST(l)->len; i++) {
        int r = gj_point(vm, g, AS_LIST(l)->items[i]);
        if (r <= 0)
            return r;
    }
    return 1;
}

static int gj_polygon(exo_vm *vm, geometry *g, value rings)
{
    if (rings.type != T_LIST)
        return 0;
    if (!geometry_begin_part(vm, g, GEOM_POLYGON))
        return -1;
    for (size_t i = 0; i < AS_LIST(rings)->len; i++) {
        if (!geometry_begin_ring(vm, g))
            return -1;
        int r = gj_points(vm, g, AS_LIST(rings)->items[i]);
        if (r <= 0)
            return r;
    }
    return 1;
}

static int gj_geometry(exo_vm *vm, geometry *g, value obj)
{
    if (obj.type != T_MAP)
        return 0;
    value kt = str_from(vm, "type"), kc = str_from(vm, "coordinates");
    if (val_is_oom(kt) || val_is_oom(kc)) {
        val_release(vm, kt);
        val_release(vm, kc);
        return -1;
    }
    value *t = map_get(AS_MAP(obj), kt), *c = map_get(AS_MAP(obj), kc);
    val_release(vm, kt);
    val_release(vm, kc);
    if (!t || t->type != T_STRING || !c || c->type != T_LIST)
        return 0;
    const char *type = AS_STR(*t)->data;
    list *cl = AS_LIST(*c);
    if (!strcmp(type, "Point")) {
        if (!geometry_begin_part(vm, g, GEOM_POINT))
            return -1;
        return cl->len ? gj_point(vm, g, *c) : 1;
    }
    if (!strcmp(type, "LineString") || !strcmp(type, "MultiPoint")) {
        bool multi = type[0] == 'M';
        if (!multi && !geometry_begin_part(vm, g, GEOM_LINE))
            return -1;
        for (size_t i = 0; i < cl->len; i++) {
            if (multi && !geometry_begin_part(vm, g, GEOM_POINT))
                return -1;
            int r = gj_point(vm, g, cl->items[i]);
            if (r <= 0)
                return r;
        }
        return 1;
    }
    if (!strcmp(type, "MultiLineString")) {
        for (size_t i = 0; i < cl->len; i++) {
            if (!geometry_begin_part(vm, g, GEOM_LINE))
                return -1;
            int r = gj_points(vm, g, cl->items[i]);
            if (r <= 0)
                return r;
        }
        return 1;
    }
    if (!strcmp(type, "Polygon"))
        return gj_polygon(vm, g, *c);
    if (!strcmp(type, "MultiPolygon")) {
        for (size_t i = 0; i < cl->len; i++) {
            int r = gj_polygon(vm, g, cl->items[i]);
            if (r <= 0)
                return r;
        }
        return 1;
    }
    return 0;
}

/* magic bit 0: GeoJSON input; bit 1: uniform cover */
static bool w_geo_import(exo_vm *vm, const word *w)
{
    bool geojson = w->magic & 1, uniform = w->magic & 2;
    const char *input = geojson ? "a GeoJSON STRING" : "a WKT STRING";
    value inside = *vm_peek(vm, 0), pct = *vm_peek(vm, 1), text = *vm_peek(vm, 2);
    if (text.type != T_STRING || inside.type != T_BOOLEAN || !val_is_number(pct))
        return vm_fail(vm, "%s expects %s, a DOUBLE error percentage or a LONG resolution (even number between 2 and 30) "
                           "and a BOOLEAN.",
                       w->name, input);
    if (pct.type == T_LONG && (pct.as.l % 2 == 1 || pct.as.l > 30 || pct.as.l < 2))
        return vm_fail(vm, "%s expects the resolution to be an even number between 2 and 30", w->name);
    geometry g;
    geometry_init(&g);
    char err[160];
    int r;
    if (geojson) {
        value parsed;
        if (!json_parse(vm, AS_STR(text)->data, AS_STR(text)->len, &parsed)) {
            snprintf(err, sizeof err, "%.150s", vm->err.message);
            vm_error_clear(vm);
            r = 0;
        } else {
            r = gj_geometry(vm, &g, parsed);
            val_release(vm, parsed);
            if (r == 0)
                snprintf(err, sizeof err, "not a GeoJSON geometry (Point, LineString, Polygon, MultiPoint, "
                                          "MultiLineString or MultiPolygon with its coordinates)");
            else if (r == 1 && !geometry_validate(&g, err, sizeof err))
                r = 0;
        }
    } else {
        r = geometry_from_wkt(vm, &g, AS_STR(text)->data, AS_STR(text)->len, err, sizeof err);
    }
    if (r <= 0) {
        geometry_free(vm, &g);
        return r < 0 ? false : vm_fail(vm, "%s expects valid %s: %s.", w->name, input, err);
    }
    int res = pct.type == T_LONG ? (int)pct.as.l : geoshape_resolution(&g, pct.as.d);
    geoshape *s = NULL;
    bool ok = geoshape_cover(vm, &g, res, inside.as.b, uniform, GEOSHAPE_MAX_CELLS, w->name, &s);
    geometry_free(vm, &g);
    if (!ok)
        return false;
    vm_drop(vm, 3);
    return vm_push(vm, v_obj(T_GEOSHAPE, s));
}

static bool w_geopack(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    if (top.type != T_GEOSHAPE)
        return vm_fail(vm, "%s expects a shape on top of the stack.", w->name);
    sbuf b;
    sb_init(&b, vm);
    bool ok = geoshape_pack(vm, AS_GEOSHAPE(top), &b);
    value s = ok ? str_new(vm, b.p ? b.p : "", b.len) : v_null();
    sb_free(&b);
    if (!ok || val_is_oom(s))
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, s);
}

static bool w_geounpack(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    if (top.type != T_STRING)
        return vm_fail(vm, "%s expects a packed shape on top of the stack.", w->name);
    geoshape *s;
    if (!geoshape_unpack(vm, AS_STR(top)->data, AS_STR(top)->len, w->name, &s))
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, v_obj(T_GEOSHAPE, s));
}

/* magic 0: GEO.INTERSECTS, 1: GEO.WITHIN */
static bool geo_relation(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)vm;
    const geoshape *s = ctx;
    bool within = w->magic != 0, located = false;
    for (size_t i = 0; g->loc && i < g->len; i++) {
        if (g->loc[i] == GTS_NO_LOCATION)
            continue;
        located = true;
        bool in = geoshape_contains(s, g->loc[i]);
        if (in != within) { /* a point in (intersects) or out (not within) decides */
            *out = v_bool(in);
            return true;
        }
    }
    *out = v_bool(within && located);
    return true;
}

static bool w_geo_relation(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    if (top.type != T_GEOSHAPE)
        return vm_fail(vm, "%s expects a geo shape on top of the stack.", w->name);
    value out;
    if (!gw_gts_or_list(vm, w, 2) || !gw_map(vm, w, 2, geo_relation, AS_GEOSHAPE(top), &out))
        return false;
    return gw_replace(vm, 2, out);
}

static const word geo_words[] = {
    EXO_WORD_MAGIC("GEO.WKT", w_geo_import, 3, "wkt pcterror|resolution inside -- shape",
                   "GEOSHAPE covering a WKT geometry (DOUBLE error fraction or LONG resolution; inside: covered cells only).",
                   0),
    EXO_WORD_MAGIC("GEO.WKT.UNIFORM", w_geo_import, 3, "wkt pcterror|resolution inside -- shape",
                   "As GEO.WKT, with cells of a single resolution.", 2),
    EXO_WORD_MAGIC("GEO.JSON", w_geo_import, 3, "geojson pcterror|resolution inside -- shape",
                   "GEOSHAPE covering a GeoJSON geometry, as GEO.WKT.", 1),
    EXO_WORD_MAGIC("GEO.JSON.UNIFORM", w_geo_import, 3, "geojson pcterror|resolution inside -- shape",
                   "As GEO.JSON, with cells of a single resolution.", 3),
    EXO_WORD_MAGIC("GEO.INTERSECTS", w_geo_relation, 2, "gts|list shape -- bool|list",
                   "Whether some located point of the GTS lies in the GEOSHAPE (a LIST of GTS: one BOOLEAN each).", 0),
    EXO_WORD_MAGIC("GEO.WITHIN", w_geo_relation, 2, "gts|list shape -- bool|list",
                   "Whether the GTS has located points, all in the GEOSHAPE (a LIST of GTS: one BOOLEAN each).", 1),
    EXO_WORD("GEOPACK", w_geopack, 1, "shape -- string", "Packs a GEOSHAPE into a STRING (WRAPped cells, base64)."),
    EXO_WORD("GEOUNPACK", w_geounpack, 1, "string -- shape", "The GEOSHAPE of a GEOPACK STRING."),
};

EXO_FAMILY(geo, geo_words)
