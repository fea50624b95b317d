/* Geo Time Series: metadata plus struct-of-arrays points (spec c).
 * The value type is fixed by the first value added (later values are
 * converted to it, GTSHelper.setValue's rules). Locations and elevations
 * are optional arrays, allocated only once a point carries one; absent
 * entries hold GTS_NO_LOCATION / GTS_NO_ELEVATION. Ticks are time units
 * (microseconds) since the epoch.
 *
 * Array sizes (for vm_dealloc): ticks, loc, elev hold cap int64; the value
 * array holds cap * gts_value_size(type) bytes (NULL while UNDEFINED). */
#ifndef EXO_GTS_H
#define EXO_GTS_H

#include "sbuf.h"
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

/* Installs the GTS type hooks (free, JSON, snapshot, text, FOREACH) in a VM. */
void gts_install(exo_vm *vm);

gts *gts_new(exo_vm *vm);                     /* empty, class "" */
/* A copy of the metadata (class, labels, attributes, last activity,
 * bucketization) and, with with_points, of the points and type. */
gts *gts_clone(exo_vm *vm, const gts *g, bool with_points);
bool gts_reserve(exo_vm *vm, gts *g, size_t cap);
/* Appends a point; v is converted to the GTS type (fixed by the first
 * value). A NULL value adds nothing. loc/elev: GTS_NO_* when absent.
 * v is borrowed. A value that is not LONG/DOUBLE/BOOLEAN/STRING/BYTES/NULL
 * is an error ("... invalid value type"). */
bool gts_add(exo_vm *vm, gts *g, int64_t tick, int64_t loc, int64_t elev, value v);
/* Fast appends for the hot paths (the type must already match or be
 * UNDEFINED): no location, no elevation. */
bool gts_add_double(exo_vm *vm, gts *g, int64_t tick, double d);
bool gts_add_long(exo_vm *vm, gts *g, int64_t tick, int64_t l);
/* The value of point i as a value (a STRING is retained). */
value gts_value_at(const gts *g, size_t i);
bool gts_is_bucketized(const gts *g);
/* Stable sort by tick, in place. O(n) when already sorted either way;
 * otherwise a radix sort (needs temporary memory, hence the VM). */
bool gts_sort(exo_vm *vm, gts *g, bool descending);
bool gts_set_class(exo_vm *vm, gts *g, const char *s, size_t len);

/* Lat/lon packing (GeoXP HHCode: 32-bit quantized latitude and longitude,
 * bits interleaved). Unpacking GTS_NO_LOCATION gives NaN, NaN. */
int64_t gts_pack_location(double lat, double lon);
void gts_unpack_location(int64_t packed, double *lat, double *lon);
/* The 32-bit latitude and longitude cells a packed location interleaves
 * (GeoXP: latitude on the odd bits), and the location of two cells. */
void gts_location_cells(int64_t packed, int64_t *lat, int64_t *lon);
int64_t gts_location_of_cells(int64_t lat, int64_t lon);

/* ---- extensions ---- */

/* Bytes per value of a type (0 for UNDEFINED). */
size_t gts_value_size(gts_type t);
const char *gts_type_name(gts_type t); /* "LONG", ... "UNDEFINED" */
/* Fixes the type of an empty, UNDEFINED GTS (allocates the value array). */
bool gts_set_type(exo_vm *vm, gts *g, gts_type t);
/* Adds the location / elevation array (filled with "absent") if missing. */
bool gts_ensure_loc(exo_vm *vm, gts *g);
bool gts_ensure_elev(exo_vm *vm, gts *g);
/* Appends point i of src to dst (value converted to dst's type). */
bool gts_add_from(exo_vm *vm, gts *dst, const gts *src, size_t i);
/* Keeps the first n points (releases dropped strings). */
void gts_truncate(exo_vm *vm, gts *g, size_t n);
/* Removes all points and frees the arrays; the type becomes UNDEFINED. */
void gts_clear(exo_vm *vm, gts *g);
/* Keeps only the points whose keep[i] is nonzero, in order (false: out
 * of memory copying shared ticks, g unchanged). */
bool gts_keep(exo_vm *vm, gts *g, const uint8_t *keep);
/* Reorders the points: new point k = old point perm[k] (a permutation). */
bool gts_permute(exo_vm *vm, gts *g, const uint32_t *perm);
/* Stable sort by value (numbers, strings by bytes, false < true); equal
 * values keep their order. */
bool gts_sort_by_value(exo_vm *vm, gts *g, bool descending);
/* Shrinks the arrays to the number of points. */
bool gts_shrink_to_fit(exo_vm *vm, gts *g);
/* First / last tick as FIRSTTICK/LASTTICK report them: bucket ends for a
 * bucketized GTS, MAXLONG / MINLONG when empty. */
int64_t gts_first_tick(const gts *g);
int64_t gts_last_tick(const gts *g);
/* Index of the first point with that tick, or -1. */
int64_t gts_find_tick(const gts *g, int64_t tick);
/* [tick lat lon elev value] of point i (NaN where absent) as a new LIST;
 * i < 0 gives [NaN NaN NaN NaN null]. */
bool gts_point_list(exo_vm *vm, const gts *g, int64_t i, value *out);
/* Converts v to a GTS of type t, as the value of point i would be stored.
 * Returns false if v cannot be a GTS value (error set). NULL: *is_null. */
typedef union gts_slot {
    int64_t l;
    double d;
    uint8_t b;
    str *s; /* a new reference */
} gts_slot;
bool gts_convert(exo_vm *vm, gts_type t, value v, gts_slot *out);
/* The GTS type a first value gives (UNDEFINED for NULL or invalid). */
gts_type gts_type_of(value v);
/* Replaces labels / attributes with copies of m (STRING -> STRING). */
bool gts_copy_map(exo_vm *vm, map **dst, const map *src);
/* Copy-on-write ticks. gts_share_ticks makes the empty dst hold src's
 * ticks array (fill dst's values, then set dst->len <= src->len); both
 * series then copy the ticks before changing them. Code outside gts.c
 * that writes g->ticks of a series it did not just create calls
 * gts_own_ticks first. gts_ticks_shared: another series holds g's ticks. */
bool gts_share_ticks(exo_vm *vm, gts *dst, gts *src);
bool gts_own_ticks(exo_vm *vm, gts *g);
bool gts_ticks_shared(const gts *g);
/* Same class and labels (series identity). */
bool gts_same_series(const gts *a, const gts *b);

/* GTS input format (gts_parse.c). Parses text into a LIST of GTS (consecutive
 * lines of one series grouped). now: the time used for an empty TS. Errors
 * name the line ("PARSE line 3: ..."), with prefix as the word name. */
bool gts_parse_text(exo_vm *vm, const char *text, size_t len, int64_t now, const char *prefix, list **out);
/* Appends g in the input format (one line per point, `=` continuation). */
bool gts_to_text(exo_vm *vm, sbuf *b, const gts *g);
/* Appends a percent-encoded class name / label (the input format's escaping). */
void gts_encode_name(sbuf *b, const char *s, size_t len);

#endif
