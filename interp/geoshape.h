/* GEOSHAPE values: GeoXP shapes, sets of HHCode cells ("geocells")
 * covering an area. A geocell is a 64-bit value whose top 4 bits hold
 * res/2 (resolution res = 2, 4, ... 30) and whose next 60 bits hold the
 * cell's HHCode prefix (res/2 nibbles, then zeros): the HHCode shifted
 * right by 4. A shape keeps its cells sorted as signed longs, without
 * duplicates, as Warp 10 does (Arrays.sort of GeoXP's long[]), so equality
 * is array equality.
 *
 * Printing, as Warp 10: the snapshot is "'<GEOPACK text>' GEOUNPACK" (the
 * cells as ticks of a BOOLEAN series, WRAPped and order-preserving
 * base64-encoded); JSON has no form for it and writes null; TOSTRING
 * gives the snapshot (Java prints an object identity there). */
#ifndef EXO_GEOSHAPE_H
#define EXO_GEOSHAPE_H

#include "geometry.h"
#include "sbuf.h"
#include "value.h"

typedef struct geoshape {
    obj h;
    size_t n;
    int64_t cells[]; /* sorted (signed), distinct */
} geoshape;

#define AS_GEOSHAPE(v) ((geoshape *)(v).as.o)

/* Warp 10's default warpscript.maxgeocells. */
#define GEOSHAPE_MAX_CELLS 10000

/* Installs the GEOSHAPE type hooks (free, snapshot, JSON, text). */
void geoshape_install(exo_vm *vm);

/* A shape of the n cells (copied, sorted and deduplicated). NULL on OOM
 * (VM error set). */
geoshape *geoshape_new(exo_vm *vm, const int64_t *cells, size_t n);

/* Whether a cell of the shape (resolution 2 to 30) holds the HHCode
 * (GeoXPLib.isGeoXPPointInGeoXPShape). */
bool geoshape_contains(const geoshape *s, int64_t hhcode);

/* GEOPACK: appends the packed text of s to out. */
bool geoshape_pack(exo_vm *vm, const geoshape *s, sbuf *out);
/* GEOUNPACK: the shape packed in text[0..len); who prefixes errors. */
bool geoshape_unpack(exo_vm *vm, const char *text, size_t len, const char *who, geoshape **out);

/* GeoXPLib.toGeoXPShape: covers g with cells down to resolution maxres
 * (even, 2 to 32): cells the geometry covers at any resolution, plus at
 * maxres the cells it meets (only those it covers when inside), then
 * every 16 siblings merged into their parent. Cells of resolution 32
 * cannot be geocells and are dropped, as GeoXP does. uniform
 * (toUniformGeoXPShape): cells of resolution maxres only, not merged.
 * Fails (VM error set,
 * naming who) past maxcells cells or on OOM. */
bool geoshape_cover(exo_vm *vm, const geometry *g, int maxres, bool inside, bool uniform, size_t maxcells,
                    const char *who, geoshape **out);
/* HHCodeHelper.getOptimalResolution of g's envelope for pcterror (a
 * fraction of its diagonal). */
int geoshape_resolution(const geometry *g, double pcterror);

#endif
