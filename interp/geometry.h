/* Planar geometries in degrees (x = longitude, y = latitude) as GEO.WKT
 * reads them from Well-Known Text, and the predicates the GEOSHAPE
 * coverage asks of them about an axis-aligned rectangle (an HHCode cell):
 * JTS's intersects and covers, on closed point sets.
 *
 * A geometry is a list of parts, each a point, a line string or a polygon
 * (its first ring the shell, the others holes); MULTI* geometries are
 * several parts. Coordinates live in one array, rings are ranges of it. */
#ifndef EXO_GEOMETRY_H
#define EXO_GEOMETRY_H

#include "common.h"

enum { GEOM_POINT, GEOM_LINE, GEOM_POLYGON };

typedef struct geom_ring {
    uint32_t start, n; /* coordinates xy[2 * start ..], n points */
} geom_ring;

typedef struct geom_part {
    uint8_t kind;   /* GEOM_* */
    uint32_t ring0; /* first ring (a point or line has exactly one) */
    uint32_t nrings;
} geom_part;

typedef struct geometry {
    double *xy; /* x0 y0 x1 y1 ... */
    size_t npoints, xy_cap;
    geom_ring *rings;
    size_t nrings, rings_cap;
    geom_part *parts;
    size_t nparts, parts_cap;
} geometry;

/* An axis-aligned rectangle, x0 <= x1, y0 <= y1. */
typedef struct geom_rect {
    double x0, y0, x1, y1;
} geom_rect;

void geometry_init(geometry *g);
void geometry_free(exo_vm *vm, geometry *g);

/* Parses WKT text[0..len): POINT, LINESTRING, POLYGON, MULTIPOINT,
 * MULTILINESTRING, MULTIPOLYGON (keywords in any case, EMPTY allowed,
 * extra Z / M ordinates ignored). Returns 1 on success, 0 on malformed or
 * unsupported text (err describes it, no VM error set), -1 on OOM (VM
 * error set). g must be freshly initialised; free it in every case. */
int geometry_from_wkt(exo_vm *vm, geometry *g, const char *text, size_t len, char *err, size_t errcap);

/* Adds parts from coordinates already parsed elsewhere (GeoJSON): a new
 * part of kind with one ring, or a new ring for the last polygon part.
 * Return false on OOM. */
bool geometry_begin_part(exo_vm *vm, geometry *g, int kind);
bool geometry_begin_ring(exo_vm *vm, geometry *g);
bool geometry_add_point(exo_vm *vm, geometry *g, double x, double y);

/* Checks point counts and ring closure as JTS does (err says why not). */
bool geometry_validate(const geometry *g, char *err, size_t errcap);

/* The envelope of all coordinates; false when there is none. */
bool geometry_envelope(const geometry *g, geom_rect *env);

/* JTS predicates against the closed rectangle r:
 *   intersects: some point of g lies in r;
 *   covers: every point of r lies in g (only polygons can);
 *   boundary_intersects: some point of g lies on r's outline (JTS's
 *     geometry.intersects(LinearRing) for the finest cells). */
bool geometry_intersects(const geometry *g, const geom_rect *r);
bool geometry_covers(const geometry *g, const geom_rect *r);
bool geometry_boundary_intersects(const geometry *g, const geom_rect *r);

#endif
