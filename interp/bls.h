/* Box-least-squares transit search (Kovacs, Zucker & Mazeh 2002) over a
 * log-spaced period grid, with an iterative mode that masks each detection
 * and searches again. Times, periods and durations share one unit (the
 * caller's); the flux may have any baseline (the weighted mean is removed);
 * weights are 1/sigma^2. Used by the BLS word (builtins/bls.c). */
#ifndef EXO_BLS_H
#define EXO_BLS_H

#include "common.h"

#define BLS_MAX_DURATIONS 64

typedef struct bls_config {
    double pmin, pmax;     /* trial periods */
    const double *dur;     /* trial durations, increasing, > 0 */
    size_t ndur;
    double oversample;     /* period step: d ln P = dur[0] / (oversample * span) */
    double binsper;        /* time bins per shortest duration (the search grid) */
    double maxfrac;        /* durations longer than maxfrac * period are skipped */
    size_t count;          /* detections wanted */
    double snr_min;        /* a detection needs this signal-to-noise, also without its strongest transit */
    size_t min_transits;   /* veto: fewer transits with data */
    double max_share;      /* veto: one transit carries more of the signal */
    double trim;           /* ramp guard: points closer than this to a segment start are left out */
    double edge;           /* ramp guard: points closer than this to a segment start... */
    double edge_share;     /* ...may carry at most this share of the signal */
    double mask;           /* masked time around each transit, in durations either side */
    double oddeven;        /* odd/even depth difference (sigmas) that doubles the period; a
                            * secondary eclipse that deep marks a binary too (0 = never) */
    size_t max_peaks;      /* spectrum peaks kept as candidates */
    bool exact;            /* full search after each detection, not only once the re-scored peaks run out */
    size_t max_periods;    /* a larger grid is a limit error */
} bls_config;

/* Defaults for times in days: periods 1-150, durations 2-12 hours, the
 * first half day of each segment trimmed. */
void bls_config_days(bls_config *c);

typedef struct bls_planet {
    double period;
    double epoch;          /* mid-time of the first transit at or after the first point searched */
    double duration;
    double depth, depth_err; /* out-of-transit minus in-transit weighted mean */
    double snr;            /* depth / depth_err */
    size_t transits;       /* transits with data */
    size_t points;         /* in-transit points */
    double max_share;      /* largest share of the signal carried by one transit */
    double snr_rest;       /* signal-to-noise without that transit */
    double oddeven;        /* odd and even transits' depth difference, in sigmas */
    double secondary, secondary_err; /* depth of the same box half a period later */
    bool binary;           /* an eclipsing binary: period doubled (odd/even) or a secondary eclipse */
} bls_planet;

typedef struct bls_result {
    size_t nperiods;
    double *period;        /* the grid, increasing */
    double *power;         /* first search: best dip signal-to-noise at each period */
    double *depth;         /*   the depth of that dip */
    double *duration;      /*   its duration */
    bls_planet *planets;   /* detections, in the order found */
    size_t nplanets, planets_cap;
    size_t vetoed;         /* candidates rejected by the vetoes */
    size_t points;         /* points used (positive weight, finite values) */
} bls_result;

/* Searches n points sorted by time. seg_start[i] nonzero marks the first
 * point of a segment (NULL: a single segment). Points whose weight is not
 * positive or whose values are not finite are ignored. On failure (bad
 * configuration, limits, memory, interrupt) the error is set and *r left
 * empty. */
bool bls_search(exo_vm *vm, const double *t, const double *y, const double *w, const uint8_t *seg_start, size_t n,
                const bls_config *c, bls_result *r);
void bls_result_free(exo_vm *vm, bls_result *r);

#endif
