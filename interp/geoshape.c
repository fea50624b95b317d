/* GEOSHAPE values (geoshape.h): the type hooks, membership, GEOPACK /
 * GEOUNPACK, and the coverage of a geometry by cells as GeoXP computes it
 * (JTSHelper.coverGeometry, Coverage.optimize(0), Coverage.toGeoCells). */
#include "geoshape.h"
#include "alloc.h"
#include "gts.h"
#include "opb64.h"
#include "snapshot.h"
#include "vm.h"
#include "wrap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TWO32 4294967296.0
#define DEG_PER_LAT_UNIT (180.0 / TWO32)
#define DEG_PER_LON_UNIT (360.0 / TWO32)
#define RAD_PER_LAT_UNIT (3.14159265358979323846 / TWO32)
#define RAD_PER_LON_UNIT ((3.14159265358979323846 + 3.14159265358979323846) / TWO32)
#define PI 3.14159265358979323846
#define LOW60 0x0fffffffffffffffLL

static size_t shape_size(size_t cap) { return sizeof(geoshape) + cap * sizeof(int64_t); }

static void shape_destroy(exo_vm *vm, obj *o, bool release_children)
{
    (void)release_children;
    geoshape *s = (geoshape *)o;
    vm_dealloc(vm, s, shape_size(s->n));
}

static bool shape_snapshot(exo_vm *vm, sbuf *b, value v)
{
    sbuf t;
    sb_init(&t, vm);
    bool ok = geoshape_pack(vm, AS_GEOSHAPE(v), &t);
    if (ok) {
        snapshot_string(b, t.p ? t.p : "", t.len);
        sb_puts(b, " GEOUNPACK");
    }
    sb_free(&t);
    return ok && (!b->failed || vm_oom(vm));
}

static bool shape_json(exo_vm *vm, sbuf *b, value v, bool strict)
{
    (void)v, (void)strict;
    sb_puts(b, "null");
    return !b->failed || vm_oom(vm);
}

void geoshape_install(exo_vm *vm)
{
    vm->destroy_ext[T_GEOSHAPE] = shape_destroy;
    vm->snapshot_ext[T_GEOSHAPE] = shape_snapshot;
    vm->json_ext[T_GEOSHAPE] = shape_json;
    vm->text_ext[T_GEOSHAPE] = shape_snapshot;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts (signed) and removes duplicates; returns the new count. */
static size_t sort_unique(int64_t *c, size_t n)
{
    if (n < 2)
        return n;
    qsort(c, n, sizeof *c, cmp_i64);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (c[i] != c[k - 1])
            c[k++] = c[i];
    return k;
}

geoshape *geoshape_new(exo_vm *vm, const int64_t *cells, size_t n)
{
    int64_t *tmp = NULL;
    size_t k = 0;
    if (n) {
        tmp = vm_alloc(vm, n * sizeof *tmp);
        if (!tmp)
            return NULL;
        memcpy(tmp, cells, n * sizeof *tmp);
        k = sort_unique(tmp, n);
    }
    geoshape *s = vm_alloc(vm, shape_size(k));
    if (s) {
        obj_init(vm, &s->h, T_GEOSHAPE);
        s->n = k;
        if (k)
            memcpy(s->cells, tmp, k * sizeof *tmp);
    }
    vm_dealloc(vm, tmp, n * sizeof *tmp);
    return s;
}

static bool has_cell(const geoshape *s, int64_t key)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->cells[mid] < key)
            lo = mid + 1;
        else if (s->cells[mid] > key)
            hi = mid;
        else
            return true;
    }
    return false;
}

bool geoshape_contains(const geoshape *s, int64_t hhcode)
{
    uint64_t body = ((uint64_t)hhcode >> 4) & (uint64_t)LOW60;
    for (int res = 2; res < 32; res += 2) {
        uint64_t first = (uint64_t)(res >> 1) << 60;
        uint64_t keep = (~0ull << (60 - 2 * res)) & (uint64_t)LOW60;
        if (has_cell(s, (int64_t)((body & keep) | first)))
            return true;
    }
    return false;
}

/* ---- GEOPACK / GEOUNPACK ---- */

bool geoshape_pack(exo_vm *vm, const geoshape *s, sbuf *out)
{
    gts *g = gts_new(vm);
    if (!g)
        return false;
    bool ok = gts_reserve(vm, g, s->n);
    for (size_t i = 0; ok && i < s->n; i++)
        ok = gts_add(vm, g, s->cells[i], GTS_NO_LOCATION, GTS_NO_ELEVATION, v_bool(true));
    sbuf bytes;
    sb_init(&bytes, vm);
    ok = ok && wrap_gts(vm, &bytes, g, WRAP_COMPRESS);
    val_release(vm, v_obj(T_GTS, g));
    if (ok) {
        size_t n = opb64_encoded_len(bytes.len);
        size_t at = out->len;
        /* reserve n bytes, then encode in place */
        for (size_t i = 0; i < n; i++)
            sb_putc(out, '.');
        if (out->failed)
            ok = vm_oom(vm);
        else if (n)
            opb64_encode(bytes.p, bytes.len, out->p + at);
    }
    sb_free(&bytes);
    return ok;
}

bool geoshape_unpack(exo_vm *vm, const char *text, size_t len, const char *who, geoshape **out)
{
    *out = NULL;
    size_t cap = len / 4 * 3 + 3;
    uint8_t *buf = vm_alloc(vm, cap);
    if (!buf)
        return false;
    long n = opb64_decode(text, len, buf);
    if (n < 0) {
        vm_dealloc(vm, buf, cap);
        return vm_fail(vm, "%s: invalid packed shape (not order-preserving base64).", who);
    }
    gts *g = NULL;
    bool ok = unwrap_gts(vm, buf, (size_t)n, true, who, &g);
    vm_dealloc(vm, buf, cap);
    if (!ok)
        return false;
    *out = geoshape_new(vm, g->ticks, g->len);
    val_release(vm, v_obj(T_GTS, g));
    return *out != NULL;
}

/* ---- coverage ---- */

/* HHCodeHelper.toLongLat / toLongLon */
static int64_t java_long(double d)
{
    if (d != d)
        return 0;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

static int64_t to_long_lat(double lat)
{
    int64_t l = lat == 90.0 ? (int64_t)0xffffffffLL : java_long((lat + 90.0) / DEG_PER_LAT_UNIT);
    if (lat + 90.0 < 0.0 && l == 0)
        l--;
    return l;
}

static int64_t to_long_lon(double lon)
{
    int64_t l = lon == 180.0 ? (int64_t)0xffffffffLL : java_long((lon + 180.0) / DEG_PER_LON_UNIT);
    if (lon + 180.0 < 0.0 && l == 0)
        l--;
    return l;
}

int geoshape_resolution(const geometry *g, double pcterror)
{
    geom_rect e;
    if (!geometry_envelope(g, &e))
        e = (geom_rect){0.0, 0.0, -1.0, -1.0}; /* JTS's null envelope */
    int64_t b0 = to_long_lat(e.y0), b1 = to_long_lon(e.x0), b2 = to_long_lat(e.y1), b3 = to_long_lon(e.x1);
    /* orthodromic distance (radians) between the corners */
    double flat = (double)b0 * RAD_PER_LAT_UNIT - PI / 2.0, flon = (double)b1 * RAD_PER_LON_UNIT - PI;
    double tlat = (double)b2 * RAD_PER_LAT_UNIT - PI / 2.0, tlon = (double)b3 * RAD_PER_LON_UNIT - PI;
    double d = 2.0 * asin(sqrt(pow(sin((flat - tlat) / 2.0), 2.0) +
                               cos(flat) * cos(tlat) * pow(sin((flon - tlon) / 2.0), 2.0)));
    double err = d * pcterror;
    /* the first resolution (from the finest) whose cell diagonal at the
     * equator exceeds the error */
    int r = 32;
    while (r > 2) {
        double lonspan = 2.0 * PI / (double)(1LL << r);
        double latspan = PI / (double)(1LL << r);
        double fl = -latspan / 2.0, tl = latspan / 2.0;
        double diagonal = 2.0 * asin(sqrt(pow(sin((fl - tl) / 2.0), 2.0) +
                                          cos(fl) * cos(tl) * pow(sin((0.0 - lonspan) / 2.0), 2.0)));
        if (diagonal > err)
            break;
        r -= 2;
    }
    return r;
}

/* The rectangle of the cell of HHCode hh at resolution res, as
 * JTSHelper.hhcodeToLinearRing builds it. */
static geom_rect cell_rect(int64_t hh, int res)
{
    int64_t lat, lon;
    gts_location_cells(hh, &lat, &lon);
    uint64_t keep = res >= 32 ? ~0ull : ~((1ull << (32 - res)) - 1);
    double swlat = (double)(int64_t)((uint64_t)lat & keep) * DEG_PER_LAT_UNIT - 90.0;
    double swlon = (double)(int64_t)((uint64_t)lon & keep) * DEG_PER_LON_UNIT - 180.0;
    double span = (double)(1LL << (32 - res));
    return (geom_rect){swlon, swlat, swlon + DEG_PER_LON_UNIT * span, swlat + DEG_PER_LAT_UNIT * span};
}

static int64_t prefix_mask(int r) { return (int64_t)(~0ull << (60 - 4 * r)); }

/* Coverage: the cells (HHCode prefixes) of each of the 16 resolutions. */
typedef struct level {
    int64_t *c;
    size_t n, cap;
} level;

typedef struct coverage {
    exo_vm *vm;
    level lv[16];
} coverage;

static bool cov_add(coverage *cv, int r, int64_t hh)
{
    level *l = &cv->lv[r];
    if (!vm_grow(cv->vm, (void **)&l->c, &l->cap, l->n + 1, sizeof(int64_t)))
        return false;
    l->c[l->n++] = hh & prefix_mask(r);
    return true;
}

static void cov_free(coverage *cv)
{
    for (int r = 0; r < 16; r++)
        vm_dealloc(cv->vm, cv->lv[r].c, cv->lv[r].cap * sizeof(int64_t));
}

static bool level_has(const level *l, int64_t hh)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->c[mid] < hh)
            lo = mid + 1;
        else if (l->c[mid] > hh)
            hi = mid;
        else
            return true;
    }
    return false;
}

/* Marks the children of parent, a run of the sorted level from index at. */
static void mark_children(const level *l, uint8_t *dead, size_t at, int r, int64_t parent)
{
    for (size_t j = at; j < l->n && (l->c[j] & prefix_mask(r - 1)) == parent; j++)
        dead[j] = 1;
}

/* Coverage.optimize(0L): groups of 16 siblings become their parent, from
 * the finest resolution up, with GeoXP's loop as written (the last cell,
 * when it starts a new parent, is counted in the previous group). */
static bool cov_optimize(coverage *cv)
{
    for (int r = 15; r > 0; r--) {
        level *l = &cv->lv[r];
        l->n = sort_unique(l->c, l->n);
        size_t n = l->n;
        if (!n)
            continue;
        uint8_t *dead = vm_calloc(cv->vm, n);
        if (!dead)
            return false;
        size_t count = n, gstart = 0;
        int64_t parent = 0, last = 0;
        int children = 0;
        bool first = true, ok = true;
        for (size_t i = 0; i < n && ok; i++) {
            count--;
            parent = l->c[i] & prefix_mask(r - 1);
            if (first) {
                last = parent;
                children = 0;
                gstart = 0;
            }
            first = false;
            if (last != parent || count == 0) {
                if (count == 0)
                    children++;
                if (children == 16) {
                    ok = cov_add(cv, r - 1, last);
                    mark_children(l, dead, gstart, r, last);
                }
                if (count != 0) {
                    last = parent;
                    gstart = i;
                }
                children = 1;
            } else {
                children++;
            }
        }
        if (ok && last != parent && children == 16) {
            ok = cov_add(cv, r - 1, parent);
            mark_children(l, dead, n - 1, r, parent);
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (!dead[i])
                l->c[k++] = l->c[i];
        l->n = k;
        vm_dealloc(cv->vm, dead, n);
        if (!ok)
            return false;
    }
    cv->lv[0].n = sort_unique(cv->lv[0].c, cv->lv[0].n);
    /* no cell at r may sit inside a cell two resolutions coarser */
    for (int r = 0; r < 14; r++) {
        level *a = &cv->lv[r], *b = &cv->lv[r + 2];
        size_t k = 0;
        for (size_t i = 0; i < b->n; i++)
            if (!a->n || !level_has(a, b->c[i] & prefix_mask(r)))
                b->c[k++] = b->c[i];
        b->n = k;
    }
    return true;
}

bool geoshape_cover(exo_vm *vm, const geometry *g, int maxres, bool inside, bool uniform, size_t maxcells,
                    const char *who, geoshape **out)
{
    *out = NULL;
    coverage cv = {.vm = vm};
    int64_t *q = NULL;
    size_t qcap = 0, head = 0, tail = 0;
    size_t cellcount = 0;
    bool ok = vm_grow(vm, (void **)&q, &qcap, 256, sizeof(int64_t));
    for (int i = 0; ok && i < 16; i++)
        q[tail++] = (int64_t)(0x1000000000000000ull | ((uint64_t)i << 56));
    while (ok && head < tail && cellcount < maxcells) {
        int64_t geocell = q[head++];
        int cellres = (int)(((uint64_t)geocell >> 60) & 0xf) << 1;
        int64_t hh = (int64_t)((uint64_t)geocell << 4);
        geom_rect r = cell_rect(hh, cellres);
        if (!geometry_intersects(g, &r))
            continue;
        if (maxres == cellres && !inside) {
            ok = cov_add(&cv, (cellres >> 1) - 1, hh);
            cellcount++;
            continue;
        }
        if ((!uniform || cellres >= maxres) && geometry_covers(g, &r)) {
            ok = cov_add(&cv, (cellres >> 1) - 1, hh);
            cellcount++;
            continue;
        }
        if (maxres == cellres)
            continue;
        if (cellres == 30) {
            /* the 16 children at resolution 32 are checked one by one */
            for (int i = 0; ok && i < 16; i++) {
                int64_t sub = (int64_t)(((uint64_t)hh & ~0xfull) | (uint64_t)i);
                geom_rect sr = cell_rect(sub, 32);
                if ((geometry_boundary_intersects(g, &sr) && !inside) || geometry_covers(g, &sr)) {
                    ok = cov_add(&cv, 15, sub);
                    cellcount++;
                }
            }
            continue;
        }
        /* make room for 16 children */
        if (tail + 16 > qcap) {
            if (head > 0) {
                memmove(q, q + head, (tail - head) * sizeof(int64_t));
                tail -= head;
                head = 0;
            }
            if (tail + 16 > qcap && !vm_grow(vm, (void **)&q, &qcap, tail + 16, sizeof(int64_t))) {
                ok = false;
                break;
            }
        }
        int nres = (cellres >> 1) + 1; /* children's res/2 */
        uint64_t base = (uint64_t)geocell & ~(((1ull << (60 - 4 * (nres - 1)))) - 1);
        base = (base & (uint64_t)LOW60) | ((uint64_t)nres << 60);
        for (int i = 0; i < 16; i++)
            q[tail++] = (int64_t)(base | ((uint64_t)i << (60 - 4 * nres)));
    }
    bool complete = head >= tail;
    vm_dealloc(vm, q, qcap * sizeof(int64_t));
    if (ok && !complete) {
        cov_free(&cv);
        return vm_fail(vm, "%s reached the maximum number of cells in a geographic shape (warpscript.maxgeocells=%zu).",
                       who, maxcells);
    }
    ok = ok && (uniform || cov_optimize(&cv));
    /* toGeoCells(maxres): resolutions 2 to 30 */
    size_t total = 0;
    for (int r = 0; r < 15; r++)
        total += cv.lv[r].n;
    int64_t *cells = NULL;
    if (ok && total) {
        cells = vm_alloc(vm, total * sizeof(int64_t));
        ok = cells != NULL;
    }
    size_t k = 0;
    int finest = maxres > 30 ? 30 : maxres;
    for (int r = 0; ok && r < (finest >> 1); r++)
        for (size_t i = 0; i < cv.lv[r].n; i++)
            cells[k++] = (int64_t)(((uint64_t)(r + 1) << 60) | (((uint64_t)cv.lv[r].c[i] >> 4) & (uint64_t)LOW60));
    cov_free(&cv);
    if (ok)
        *out = geoshape_new(vm, cells, k);
    vm_dealloc(vm, cells, total * sizeof(int64_t));
    return *out != NULL;
}
