/* The shared aggregation kernels (CRAFT lesson 12): one kernel per
 * aggregation, called by BUCKETIZE (a bucket of one series), MAP (a
 * sliding window of one series), REDUCE and APPLY (one slot per member at
 * one tick). A window is a view, never a copy for the single-series case:
 *   - n present values with their ticks, locations and elevations;
 *   - either a typed view (all values of one GTS type, pointers into the
 *     series' arrays) or a `value` array (mixed types across members);
 *   - for REDUCE/APPLY, the number of null slots (members without a value
 *     at the tick) and the member index of each present value.
 * Kernels follow Warp 10's aggregator rules (types, ties, locations). */
#ifndef EXO_AGGREGATORS_H
#define EXO_AGGREGATORS_H

#include "../interp/function.h"
#include "../interp/gts.h"
#include "builtins.h"

#include <string.h>

enum { AGG_BUCKETIZE, AGG_MAP, AGG_REDUCE, AGG_APPLY };

/* Option flags of aggregator defs (fn_def.flags). */
enum {
    AGGF_SKIP_NULLS = 1 << 0,  /* nulls are ignored (else any null gives no value) */
    AGGF_FAIL_NULLS = 1 << 1,  /* nulls are an error (median, percentile .forbid-nulls) */
    AGGF_WELFORD = 1 << 2,     /* var/sd: Welford's algorithm */
    AGGF_SD = 1 << 3,          /* var kernel returns the standard deviation */
    AGGF_URLENCODE = 1 << 4,   /* join.urlencoded */
    AGGF_SINGLE = 1 << 5,      /* single-value mapper: a window of more than one value is an error */
    AGGF_SLIDE = 1 << 6,       /* has an O(n) sliding form in MAP (magic = AGG_SLIDE_*) */
};

enum {
    AGG_SLIDE_NONE, AGG_SLIDE_SUM, AGG_SLIDE_MEAN, AGG_SLIDE_MIN, AGG_SLIDE_MAX, AGG_SLIDE_COUNT, AGG_SLIDE_DELTA,
    AGG_SLIDE_RATE, AGG_SLIDE_FIRST, AGG_SLIDE_LAST
};

typedef struct agg_window {
    size_t n;              /* present values */
    size_t nulls;          /* null slots (REDUCE/APPLY); not in the arrays */
    const int64_t *ticks;  /* n ticks */
    const int64_t *loc;    /* n locations, or NULL when none has one */
    const int64_t *elev;   /* n elevations, or NULL */
    gts_type type;         /* typed view, or GTS_UNDEFINED: use vals */
    union {
        const int64_t *l;
        const double *d;
        const uint8_t *b;
        str *const *s;
    } v;
    const value *vals;     /* mixed view (borrowed values) */
    const uint32_t *slot;  /* member index of each value (REDUCE/APPLY), NULL: i */
    int64_t tick;          /* the tick being computed */
    uint8_t mode;          /* AGG_BUCKETIZE ... */
    /* context for macros and a few kernels */
    const gts *series;     /* BUCKETIZE/MAP: the input series */
    gts *const *members;   /* REDUCE/APPLY: the members, n + nulls of them */
    const map *labels;     /* REDUCE/APPLY: the class's common labels */
    const uint32_t *coll;  /* APPLY: the collection of each member, NULL otherwise */
    int64_t pre, post, start, stop, tickidx; /* MAP window; BUCKETIZE: pre = span */
} agg_window;

typedef struct agg_out {
    int64_t tick, loc, elev;
    value v; /* owned; T_NULL = no value */
    map *named; /* MAP only: a macro's MAP { name: [tick .. value] } (owned), else NULL */
} agg_out;

static inline size_t aw_slots(const agg_window *w) { return w->n + w->nulls; }
static inline uint32_t aw_slot(const agg_window *w, size_t i) { return w->slot ? w->slot[i] : (uint32_t)i; }
static inline int64_t aw_loc(const agg_window *w, size_t i) { return w->loc ? w->loc[i] : GTS_NO_LOCATION; }
static inline int64_t aw_elev(const agg_window *w, size_t i) { return w->elev ? w->elev[i] : GTS_NO_ELEVATION; }

/* Value i, borrowed (a STRING is not retained). */
static inline value aw_value(const agg_window *w, size_t i)
{
    switch (w->type) {
    case GTS_LONG:
        return v_long(w->v.l[i]);
    case GTS_DOUBLE:
        return v_double(w->v.d[i]);
    case GTS_BOOLEAN:
        return v_bool(w->v.b[i] != 0);
    case GTS_STRING:
        return v_obj(T_STRING, w->v.s[i]);
    default:
        return w->vals[i];
    }
}

/* Java's doubleToLongBits (one NaN) and Double.compare: NaN above
 * everything, -0.0 below 0.0. */
static inline uint64_t agg_jbits(double d)
{
    uint64_t u;
    if (d != d)
        return UINT64_C(0x7ff8000000000000);
    memcpy(&u, &d, sizeof u);
    return u;
}

static inline int agg_jcmp_d(double a, double b)
{
    if (a < b)
        return -1;
    if (a > b)
        return 1;
    int64_t x = (int64_t)agg_jbits(a), y = (int64_t)agg_jbits(b);
    return x == y ? 0 : (x < y ? -1 : 1);
}

/* Runs an aggregator FUNCTION (kernel or macro wrapper) on a window.
 * out is initialised here (tick = w->tick, no location, no value). */
bool agg_apply(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);

/* Runs a plain MACRO as a bucketizer/mapper: pushes the window as a GTS
 * (metadata of the input), runs it and reads the result (a LIST or the 5
 * values tick lat lon elev value; for MAP also a MAP of named LISTs, left
 * in out->named). */
bool agg_apply_macro(exo_vm *vm, const char *who, value macro, const agg_window *w, agg_out *out);

/* Reads a macro aggregator's result from the stack into out: a LIST of 1
 * to 5 elements (value / tick value / tick elev value / tick lat lon value
 * / tick lat lon elev value) or 5 stack values. */
bool agg_macro_result(exo_vm *vm, const char *who, agg_out *out);
/* Same, from a LIST value (borrowed). */
bool agg_list_result(exo_vm *vm, const char *who, const list *l, agg_out *out);

/* The text of b as a STRING value in *out: an OOM or maxstring error when
 * b failed or is too long. b stays the caller's to free. */
bool agg_new_string(exo_vm *vm, sbuf *b, value *out);
/* Java's toString of a scalar value, appended to b. */
void agg_to_string(sbuf *b, value v);
/* Warp 10's URL encoding (WarpURLEncoder: space as %20) of s, appended to b. */
void agg_url_encode(sbuf *b, const char *s, size_t len);

/* The frameworks accept the shared aggregators in every role, as Warp 10's
 * classes implement the three interfaces. */
#define AGG_ROLES (FN_BUCKETIZER | FN_MAPPER | FN_REDUCER)

/* Collects the GTS of items[0..n): each a GTS or a LIST of GTS (flattened
 * one level). *out is allocated (free with fw_free_series). On a wrong
 * element fails with "<who> <what>". */
bool fw_collect(exo_vm *vm, const char *who, const char *what, const value *items, size_t n, gts ***out, size_t *count);
void fw_free_series(exo_vm *vm, gts **arr, size_t count);
/* Appends a kernel result (if not null) at tick; releases o->v. */
bool agg_store(exo_vm *vm, gts *dst, int64_t tick, agg_out *o);
/* True when running fn executes user code (a macro, MACROMAPPER ...):
 * the frameworks then pop their input first, as Warp 10 does. */
bool agg_runs_macro(value fn);
/* Pushes a new LIST holding the n GTS (each reference consumed). */
bool fw_push_list(exo_vm *vm, gts **res, size_t n);

/* ---- kernels (fn_agg_kernel) ---- */
bool agg_sum(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_mean(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_min(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_max(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_first(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_last(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_count(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_and(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_or(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_join(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_median(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_mad(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_rms(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_percentile(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_var(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_circular_mean(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_product(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_delta(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_rate(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_macro(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);
bool agg_strict(exo_vm *vm, const function *f, const agg_window *w, agg_out *out);

/* Builders shared by the three faces. */
bool agg_build_join(exo_vm *vm, const word *w, const fn_def *d);
bool agg_build_percentile(exo_vm *vm, const word *w, const fn_def *d);
bool agg_build_circular(exo_vm *vm, const word *w, const fn_def *d);
bool agg_build_macro(exo_vm *vm, const word *w, const fn_def *d);
/* STRICTMAPPER / STRICTREDUCER: `fn min max` */
bool agg_build_strict(exo_vm *vm, const word *w, const fn_def *d);

/* ---- the O(n) sliding forms used by MAP ---- */

/* A sliding aggregate over the points [lo, hi) of a sorted numeric series
 * whose bounds only move forward (or only backward). */
typedef struct agg_slider {
    int kind;             /* AGG_SLIDE_* */
    const gts *g;
    size_t lo, hi;        /* current window */
    uint64_t suml;        /* LONG running sum (wraps like Java) */
    double sumd, comp;    /* DOUBLE running sum, Neumaier compensation */
    size_t nnan, npinf, nninf; /* non-finite values in the window */
    uint32_t *dq;         /* monotonic deque of indices (min/max) */
    size_t dq_head, dq_tail, dq_cap;
} agg_slider;

bool agg_slider_init(exo_vm *vm, agg_slider *s, int kind, const gts *g);
void agg_slider_free(exo_vm *vm, agg_slider *s);
/* Moves the window to [lo, hi) (both bounds move in one direction). */
void agg_slider_move(agg_slider *s, size_t lo, size_t hi);
/* The aggregate of the current (non-empty) window. */
value agg_slider_value(const agg_slider *s);
/* The GTS type of the slider's values for a series of type t. */
gts_type agg_slider_type(int kind, gts_type t);
/* The AGG_SLIDE_* kind of an aggregator FUNCTION whose kernel is one of
 * the plain ones (sum, mean, min, max, count, first, last), whatever its
 * null policy; AGG_SLIDE_NONE for anything else. The frameworks compute
 * these inline on numeric arrays, in the kernels' order of operations. */
int agg_plain_kind(value fn);
/* MAP's whole-series form for a series whose ticks strictly increase
 * (no locations, elevations or bucketization; every tick visited): the
 * window of point k is points [k - pre, k + post]. dst (empty, UNDEFINED)
 * receives exactly g->len points, the values the slider would give, in
 * arrays sized once. */
bool agg_slide_series(exo_vm *vm, int kind, const gts *g, int64_t pre, int64_t post, gts *dst);

#endif
