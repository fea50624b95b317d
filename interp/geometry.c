/* WKT parsing and the rectangle predicates of geometry.h.
 *
 * The reader follows JTS's WKTReader: keywords in any case, EMPTY
 * geometries, MULTIPOINT coordinates with or without parentheses, a third
 * (and fourth) ordinate read and ignored, line strings of 0 or at least 2
 * points, rings of 0 or at least 4 points that close. Unlike JTS it
 * rejects text after the geometry, and GEOMETRYCOLLECTION / LINEARRING.
 *
 * The predicates are exact up to double rounding (JTS uses robust
 * orientation tests; a vertex lying within rounding of a cell edge may be
 * judged differently). A rectangle meets a polygon when an edge meets it
 * or its centre is inside; a polygon covers it when no edge (shell or
 * hole) enters its open interior and its centre is inside. */
#include "geometry.h"
#include "alloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void geometry_init(geometry *g) { memset(g, 0, sizeof *g); }

void geometry_free(exo_vm *vm, geometry *g)
{
    vm_dealloc(vm, g->xy, g->xy_cap * 2 * sizeof(double));
    vm_dealloc(vm, g->rings, g->rings_cap * sizeof(geom_ring));
    vm_dealloc(vm, g->parts, g->parts_cap * sizeof(geom_part));
    geometry_init(g);
}

bool geometry_begin_part(exo_vm *vm, geometry *g, int kind)
{
    if (!vm_grow(vm, (void **)&g->parts, &g->parts_cap, g->nparts + 1, sizeof(geom_part)))
        return false;
    g->parts[g->nparts++] = (geom_part){.kind = (uint8_t)kind, .ring0 = (uint32_t)g->nrings, .nrings = 0};
    return kind == GEOM_POLYGON || geometry_begin_ring(vm, g);
}

bool geometry_begin_ring(exo_vm *vm, geometry *g)
{
    if (!vm_grow(vm, (void **)&g->rings, &g->rings_cap, g->nrings + 1, sizeof(geom_ring)))
        return false;
    g->rings[g->nrings++] = (geom_ring){.start = (uint32_t)g->npoints, .n = 0};
    g->parts[g->nparts - 1].nrings++;
    return true;
}

bool geometry_add_point(exo_vm *vm, geometry *g, double x, double y)
{
    if (g->npoints >= g->xy_cap) {
        size_t cap = g->xy_cap ? g->xy_cap * 2 : 16;
        double *p = vm_realloc(vm, g->xy, g->xy_cap * 2 * sizeof(double), cap * 2 * sizeof(double));
        if (!p)
            return false;
        g->xy = p;
        g->xy_cap = cap;
    }
    g->xy[2 * g->npoints] = x;
    g->xy[2 * g->npoints + 1] = y;
    g->npoints++;
    g->rings[g->nrings - 1].n++;
    return true;
}

bool geometry_validate(const geometry *g, char *err, size_t errcap)
{
    for (size_t p = 0; p < g->nparts; p++) {
        const geom_part *pt = &g->parts[p];
        for (uint32_t r = 0; r < pt->nrings; r++) {
            const geom_ring *rg = &g->rings[pt->ring0 + r];
            const double *c = g->xy + 2 * (size_t)rg->start;
            if (pt->kind == GEOM_POINT && rg->n > 1) {
                snprintf(err, errcap, "a point has one coordinate");
                return false;
            }
            if (pt->kind == GEOM_LINE && rg->n == 1) {
                snprintf(err, errcap, "invalid number of points in a line string (found 1 - must be 0 or >= 2)");
                return false;
            }
            if (pt->kind == GEOM_POLYGON && rg->n) {
                if (rg->n < 4) {
                    snprintf(err, errcap, "invalid number of points in a ring (found %u - must be 0 or >= 4)", rg->n);
                    return false;
                }
                size_t l = 2 * ((size_t)rg->n - 1);
                if (c[0] != c[l] || c[1] != c[l + 1]) {
                    snprintf(err, errcap, "the points of a ring do not form a closed line string");
                    return false;
                }
            }
        }
    }
    return true;
}

/* ---- WKT ---- */

typedef struct wkt {
    exo_vm *vm;
    geometry *g;
    const char *p, *end;
    char *err;
    size_t errcap;
    bool oom;
} wkt;

static void skip_ws(wkt *w)
{
    while (w->p < w->end && isspace((unsigned char)*w->p))
        w->p++;
}

static bool fail(wkt *w, const char *what)
{
    if (!w->err[0]) {
        if (w->p < w->end)
            snprintf(w->err, w->errcap, "%s near '%.*s'", what, (int)(w->end - w->p > 20 ? 20 : w->end - w->p), w->p);
        else
            snprintf(w->err, w->errcap, "%s at the end of the text", what);
    }
    return false;
}

static bool accept(wkt *w, char c)
{
    skip_ws(w);
    if (w->p < w->end && *w->p == c) {
        w->p++;
        return true;
    }
    return false;
}

static bool expect(wkt *w, char c)
{
    if (accept(w, c))
        return true;
    char msg[32];
    snprintf(msg, sizeof msg, "expected '%c'", c);
    return fail(w, msg);
}

/* A keyword (letters); its length in *n, 0 if none. */
static const char *keyword(wkt *w, size_t *n)
{
    skip_ws(w);
    const char *s = w->p;
    while (w->p < w->end && isalpha((unsigned char)*w->p))
        w->p++;
    *n = (size_t)(w->p - s);
    return s;
}

static bool kw_is(const char *s, size_t n, const char *k)
{
    return strlen(k) == n && strncasecmp(s, k, n) == 0;
}

/* Consumes EMPTY if it comes next. */
static bool accept_empty(wkt *w)
{
    const char *save = w->p;
    size_t n;
    const char *k = keyword(w, &n);
    if (kw_is(k, n, "EMPTY"))
        return true;
    w->p = save;
    return false;
}

static bool is_number_start(wkt *w)
{
    skip_ws(w);
    return w->p < w->end && (isdigit((unsigned char)*w->p) || *w->p == '-' || *w->p == '+' || *w->p == '.');
}

static bool number(wkt *w, double *out)
{
    skip_ws(w);
    const char *s = w->p;
    const char *q = s;
    if (q < w->end && (*q == '-' || *q == '+'))
        q++;
    const char *digits = q;
    while (q < w->end && isdigit((unsigned char)*q))
        q++;
    size_t nd = (size_t)(q - digits);
    if (q < w->end && *q == '.') {
        q++;
        const char *f = q;
        while (q < w->end && isdigit((unsigned char)*q))
            q++;
        nd += (size_t)(q - f);
    }
    if (!nd)
        return fail(w, "expected a number");
    if (q < w->end && (*q == 'e' || *q == 'E')) {
        const char *e = q + 1;
        if (e < w->end && (*e == '-' || *e == '+'))
            e++;
        const char *ed = e;
        while (e < w->end && isdigit((unsigned char)*e))
            e++;
        if (e == ed)
            return fail(w, "expected a number");
        q = e;
    }
    char buf[64];
    size_t len = (size_t)(q - s);
    if (len >= sizeof buf)
        return fail(w, "number too long");
    memcpy(buf, s, len);
    buf[len] = 0;
    double d = strtod(buf, NULL);
    if (!isfinite(d))
        return fail(w, "number out of range");
    w->p = q;
    *out = d;
    return true;
}

/* x y [z [m]] */
static bool coordinate(wkt *w)
{
    double x, y, z;
    if (!number(w, &x) || !number(w, &y))
        return false;
    for (int i = 0; i < 2 && is_number_start(w); i++)
        if (!number(w, &z))
            return false;
    if (!geometry_add_point(w->vm, w->g, x, y)) {
        w->oom = true;
        return false;
    }
    return true;
}

/* ( c, c, ... ) or EMPTY, into the current ring */
static bool coordinates(wkt *w)
{
    if (accept_empty(w))
        return true;
    if (!expect(w, '('))
        return false;
    do {
        if (!coordinate(w))
            return false;
    } while (accept(w, ','));
    return expect(w, ')');
}

static bool new_part(wkt *w, int kind)
{
    if (!geometry_begin_part(w->vm, w->g, kind)) {
        w->oom = true;
        return false;
    }
    return true;
}

static bool polygon_text(wkt *w)
{
    if (!new_part(w, GEOM_POLYGON))
        return false;
    if (accept_empty(w))
        return true;
    if (!expect(w, '('))
        return false;
    do {
        if (!geometry_begin_ring(w->vm, w->g)) {
            w->oom = true;
            return false;
        }
        if (!coordinates(w))
            return false;
    } while (accept(w, ','));
    return expect(w, ')');
}

static bool tagged(wkt *w)
{
    size_t n;
    const char *k = keyword(w, &n);
    if (!n)
        return fail(w, "expected a geometry type");
    /* optional dimension tag */
    const char *save = w->p;
    size_t dn;
    const char *d = keyword(w, &dn);
    if (!(kw_is(d, dn, "Z") || kw_is(d, dn, "M") || kw_is(d, dn, "ZM")))
        w->p = save;
    if (kw_is(k, n, "POINT"))
        return new_part(w, GEOM_POINT) && coordinates(w);
    if (kw_is(k, n, "LINESTRING"))
        return new_part(w, GEOM_LINE) && coordinates(w);
    if (kw_is(k, n, "POLYGON"))
        return polygon_text(w);
    if (kw_is(k, n, "MULTIPOINT")) {
        if (accept_empty(w))
            return true;
        if (!expect(w, '('))
            return false;
        do {
            if (!new_part(w, GEOM_POINT))
                return false;
            skip_ws(w);
            if (w->p < w->end && *w->p == '(') {
                if (!coordinates(w))
                    return false;
            } else if (!accept_empty(w) && !coordinate(w)) {
                return false;
            }
        } while (accept(w, ','));
        return expect(w, ')');
    }
    if (kw_is(k, n, "MULTILINESTRING") || kw_is(k, n, "MULTIPOLYGON")) {
        bool poly = kw_is(k, n, "MULTIPOLYGON");
        if (accept_empty(w))
            return true;
        if (!expect(w, '('))
            return false;
        do {
            if (poly ? !polygon_text(w) : !(new_part(w, GEOM_LINE) && coordinates(w)))
                return false;
        } while (accept(w, ','));
        return expect(w, ')');
    }
    snprintf(w->err, w->errcap, "unsupported geometry type '%.*s' (POINT, LINESTRING, POLYGON, MULTIPOINT, "
                                "MULTILINESTRING or MULTIPOLYGON)", (int)(n > 32 ? 32 : n), k);
    return false;
}

int geometry_from_wkt(exo_vm *vm, geometry *g, const char *text, size_t len, char *err, size_t errcap)
{
    wkt w = {.vm = vm, .g = g, .p = text, .end = text + len, .err = err, .errcap = errcap};
    err[0] = 0;
    if (!tagged(&w))
        return w.oom ? -1 : 0;
    skip_ws(&w);
    if (w.p != w.end) {
        fail(&w, "unexpected text after the geometry");
        return 0;
    }
    return geometry_validate(g, err, errcap) ? 1 : 0;
}

/* ---- predicates ---- */

bool geometry_envelope(const geometry *g, geom_rect *env)
{
    if (!g->npoints)
        return false;
    *env = (geom_rect){g->xy[0], g->xy[1], g->xy[0], g->xy[1]};
    for (size_t i = 1; i < g->npoints; i++) {
        double x = g->xy[2 * i], y = g->xy[2 * i + 1];
        env->x0 = x < env->x0 ? x : env->x0;
        env->x1 = x > env->x1 ? x : env->x1;
        env->y0 = y < env->y0 ? y : env->y0;
        env->y1 = y > env->y1 ? y : env->y1;
    }
    return true;
}

static bool in_closed(const geom_rect *r, double x, double y)
{
    return x >= r->x0 && x <= r->x1 && y >= r->y0 && y <= r->y1;
}

static bool in_open(const geom_rect *r, double x, double y)
{
    return x > r->x0 && x < r->x1 && y > r->y0 && y < r->y1;
}

/* Liang-Barsky: whether segment a-b meets r (closed), or r's open
 * interior. */
static bool seg_meets(double ax, double ay, double bx, double by, const geom_rect *r, bool open)
{
    double dx = bx - ax, dy = by - ay;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {ax - r->x0, r->x1 - ax, ay - r->y0, r->y1 - ay};
    double lo = -INFINITY, hi = INFINITY;
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (open ? q[i] <= 0 : q[i] < 0)
                return false;
            continue;
        }
        double t = q[i] / p[i];
        if (p[i] < 0)
            lo = t > lo ? t : lo;
        else
            hi = t < hi ? t : hi;
    }
    if (open)
        return lo < hi && lo < 1 && hi > 0;
    if (lo < 0)
        lo = 0;
    if (hi > 1)
        hi = 1;
    return lo <= hi;
}

static bool ring_meets(const geometry *g, const geom_ring *rg, const geom_rect *r, bool open)
{
    const double *c = g->xy + 2 * (size_t)rg->start;
    if (rg->n == 1)
        return open ? in_open(r, c[0], c[1]) : in_closed(r, c[0], c[1]);
    for (uint32_t i = 0; i + 1 < rg->n; i++)
        if (seg_meets(c[2 * i], c[2 * i + 1], c[2 * i + 2], c[2 * i + 3], r, open))
            return true;
    return false;
}

/* Even-odd crossing test over all rings of a polygon part. */
static bool poly_contains(const geometry *g, const geom_part *pt, double x, double y)
{
    bool in = false;
    for (uint32_t k = 0; k < pt->nrings; k++) {
        const geom_ring *rg = &g->rings[pt->ring0 + k];
        const double *c = g->xy + 2 * (size_t)rg->start;
        for (uint32_t i = 0; i + 1 < rg->n; i++) {
            double xi = c[2 * i], yi = c[2 * i + 1], xj = c[2 * i + 2], yj = c[2 * i + 3];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
                in = !in;
        }
    }
    return in;
}

static bool part_edges_meet(const geometry *g, const geom_part *pt, const geom_rect *r, bool open)
{
    for (uint32_t k = 0; k < pt->nrings; k++)
        if (ring_meets(g, &g->rings[pt->ring0 + k], r, open))
            return true;
    return false;
}

bool geometry_intersects(const geometry *g, const geom_rect *r)
{
    double cx = (r->x0 + r->x1) / 2, cy = (r->y0 + r->y1) / 2;
    for (size_t p = 0; p < g->nparts; p++) {
        const geom_part *pt = &g->parts[p];
        if (part_edges_meet(g, pt, r, false))
            return true;
        if (pt->kind == GEOM_POLYGON && pt->nrings && g->rings[pt->ring0].n && poly_contains(g, pt, cx, cy))
            return true;
    }
    return false;
}

bool geometry_covers(const geometry *g, const geom_rect *r)
{
    double cx = (r->x0 + r->x1) / 2, cy = (r->y0 + r->y1) / 2;
    for (size_t p = 0; p < g->nparts; p++) {
        const geom_part *pt = &g->parts[p];
        if (pt->kind != GEOM_POLYGON || !pt->nrings || !g->rings[pt->ring0].n)
            continue;
        if (!part_edges_meet(g, pt, r, true) && poly_contains(g, pt, cx, cy))
            return true;
    }
    return false;
}

bool geometry_boundary_intersects(const geometry *g, const geom_rect *r)
{
    /* g meets the outline unless every part it has in r lies in the open
     * interior: parts entirely inside the interior are skipped */
    double cx = (r->x0 + r->x1) / 2, cy = (r->y0 + r->y1) / 2;
    for (size_t p = 0; p < g->nparts; p++) {
        const geom_part *pt = &g->parts[p];
        bool inside = true;
        for (uint32_t k = 0; k < pt->nrings && inside; k++) {
            const geom_ring *rg = &g->rings[pt->ring0 + k];
            for (uint32_t i = 0; i < rg->n && inside; i++)
                inside = in_open(r, g->xy[2 * ((size_t)rg->start + i)], g->xy[2 * ((size_t)rg->start + i) + 1]);
        }
        if (inside)
            continue; /* empty, or strictly within the cell */
        if (part_edges_meet(g, pt, r, false))
            return true;
        if (pt->kind == GEOM_POLYGON && pt->nrings && g->rings[pt->ring0].n && poly_contains(g, pt, cx, cy))
            return true;
    }
    return false;
}
