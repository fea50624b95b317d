/* The in-memory GTS store a VM's FETCH and FIND read: the series loaded
 * before the script runs (exo_load_gts_text, `exo --data FILE`). Lines of
 * the same class and labels go to the same series, wherever they appear.
 *
 * A series keeps its metadata and its newest points in a GTS (the staging
 * series the reader appends to); full runs of LONG or DOUBLE points
 * without locations or elevations are encoded into compact blocks (about
 * 1 to 5 bytes a point instead of 16), as Warp 10 keeps encoders. */
#ifndef EXO_STORE_H
#define EXO_STORE_H

#include "gts_parse.h"

/* Points encoded (store.c): ticks by delta-of-delta with runs of equal
 * steps, LONG values by delta, DOUBLE values as decimal mantissa deltas
 * (exact: checked at encoding) or raw bits. */
typedef struct store_block {
    uint8_t *bytes;   /* tick tokens, then value tokens */
    size_t tbytes;    /* length of the tick part */
    size_t nbytes;    /* total length */
    uint32_t n;       /* points */
    uint8_t type;     /* GTS_LONG or GTS_DOUBLE */
    uint8_t vwidth;   /* 0: value tokens; else 1 + the bit width of packed deltas */
    bool sorted;      /* ticks never go down */
    int64_t t0;       /* first tick */
    int64_t tmin, tmax;
} store_block;

typedef struct store_series {
    gts *g;                /* metadata and the points not encoded yet (a reference) */
    store_block *blocks;   /* older points, in load order */
    size_t nblocks, bcap;
    size_t nencoded;       /* points in the blocks */
} store_series;

typedef struct gts_store {
    store_series *series;
    size_t n, cap;
    uint32_t *index; /* hash of class + labels -> series index + 1 */
    size_t icap;
    gts_reader reader; /* continues across calls with the same source name */
    bool reading;
    uint64_t points;
    size_t cur;       /* index of the reader's current series */
    uint8_t *scratch; /* encoding buffer */
    size_t scratch_cap;
} gts_store;

/* Loads text in the input format; name is the source name for errors. */
bool store_load(exo_vm *vm, const char *text, size_t len, const char *name);
/* Frees the store (its series references and blocks). */
void store_free(exo_vm *vm);
/* A stable hash of class + labels (label order does not matter). */
uint64_t store_series_hash(const gts *g);

/* ---- reading (FETCH) ---- */

/* Points of series s, blocks then staging. */
static inline size_t store_len(const store_series *s) { return s->nencoded + s->g->len; }
/* True when the points, in load order, are sorted by tick (never down). */
bool store_ordered(const store_series *s);
/* Ordered series: the number of points with tick < t (inclusive: <= t). */
bool store_count_before(exo_vm *vm, const store_series *s, int64_t t, bool inclusive, size_t *out);
/* Ordered series: a new GTS (metadata of s) with points [lo, hi) in
 * reverse order, newest first. */
gts *store_slice_desc(exo_vm *vm, const store_series *s, size_t lo, size_t hi);
/* Any series: a new GTS with every point in load order (sort it next). */
gts *store_materialize(exo_vm *vm, const store_series *s);

#endif
