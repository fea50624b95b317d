/* Geo Time Series: metadata plus struct-of-arrays points (spec c).
 * The value type is fixed by the first value added (later values are
 * converted to it, GTSHelper.setValue's rules). Locations and elevations
 * are optional arrays, allocated only once a point carries one; absent
 * entries hold GTS_NO_LOCATION / GTS_NO_ELEVATION. Ticks are time units
 * (microseconds) since the epoch. */
#ifndef EXO_GTS_H
#define EXO_GTS_H

#include "value.h"

typedef enum { GTS_UNDEFINED, GTS_LONG, GTS_DOUBLE, GTS_BOOLEAN, GTS_STRING } gts_type;

#define GTS_NO_LOCATION INT64_MIN /* packed lat/lon sentinel */
#define GTS_NO_ELEVATION INT64_MIN

typedef struct gts {
    obj h;
    value cls;      /* STRING (possibly empty) */
    map *labels;    /* STRING -> STRING, owned */
    map *attrs;     /* STRING -> STRING, owned */
    int64_t lastactivity;
    gts_type type;
    size_t len, cap;
    int64_t *ticks;
    union {
        int64_t *l;
        double *d;
        uint8_t *b;
        str **s; /* each a STRING reference */
    } v;
    int64_t *loc;  /* NULL while no point has a location */
    int64_t *elev; /* NULL while no point has an elevation */
    uint8_t sorted; /* GTS_UNSORTED, GTS_ASC or GTS_DESC */
    int64_t bucketspan, bucketcount, lastbucket; /* all 0 = not bucketized */
} gts;

enum { GTS_UNSORTED = 0, GTS_ASC = 1, GTS_DESC = 2 };

#define AS_GTS(v) ((gts *)(v).as.o)

/* Installs the GTS type hooks (free, JSON, snapshot, FOREACH) in a VM. */
void gts_install(exo_vm *vm);

gts *gts_new(exo_vm *vm);                     /* empty, class "" */
gts *gts_clone(exo_vm *vm, const gts *g, bool with_points);
bool gts_reserve(exo_vm *vm, gts *g, size_t cap);
/* Appends a point; v is converted to the GTS type (fixed by the first
 * value). A NULL value adds nothing. loc/elev: GTS_NO_* when absent.
 * v is borrowed. */
bool gts_add(exo_vm *vm, gts *g, int64_t tick, int64_t loc, int64_t elev, value v);
/* Fast appends for the hot paths (the type must already match or be
 * UNDEFINED): no location, no elevation. */
bool gts_add_double(exo_vm *vm, gts *g, int64_t tick, double d);
bool gts_add_long(exo_vm *vm, gts *g, int64_t tick, int64_t l);
/* The value of point i as a value (a STRING is retained). */
value gts_value_at(const gts *g, size_t i);
bool gts_is_bucketized(const gts *g);
void gts_sort(gts *g, bool descending);   /* stable, by tick */
bool gts_set_class(exo_vm *vm, gts *g, const char *s, size_t len);

/* Lat/lon packing (GeoXP-style: 32-bit quantized latitude and longitude). */
int64_t gts_pack_location(double lat, double lon);
void gts_unpack_location(int64_t packed, double *lat, double *lon);

#endif
