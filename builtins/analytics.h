/* Small helpers shared by the analytics families (analytics.c, outliers.c,
 * smoothing.c, stl.c, downsample.c, fft.c, discords.c): numeric views of a
 * GTS, appending computed DOUBLE points, and the LOWESS kernel that STL
 * reuses. */
#ifndef EXO_ANALYTICS_H
#define EXO_ANALYTICS_H

#include "gts_words.h"
#include "../interp/function.h"

static inline bool an_numeric(const gts *g) { return g->type == GTS_LONG || g->type == GTS_DOUBLE; }

static inline double an_val(const gts *g, size_t i)
{
    return g->type == GTS_LONG ? (double)g->v.l[i] : g->v.d[i];
}

static inline int64_t an_loc(const gts *g, size_t i) { return g->loc ? g->loc[i] : GTS_NO_LOCATION; }
static inline int64_t an_elev(const gts *g, size_t i) { return g->elev ? g->elev[i] : GTS_NO_ELEVATION; }

/* A new array holding the n values of a numeric GTS as doubles (n may be
 * 0: a 1-element allocation). Free with an_free(vm, p, n). */
double *an_doubles(exo_vm *vm, const gts *g);
static inline void an_free(exo_vm *vm, void *p, size_t n, size_t size) { vm_dealloc(vm, p, (n ? n : 1) * size); }
static inline double *an_alloc(exo_vm *vm, size_t n) { return vm_alloc(vm, (n ? n : 1) * sizeof(double)); }

/* Appends a DOUBLE point, with a location / elevation when present. */
bool an_add(exo_vm *vm, gts *g, int64_t tick, int64_t loc, int64_t elev, double d);

/* An empty copy of g's metadata and bucketization (NULL on OOM). */
static inline gts *an_like(exo_vm *vm, const gts *g) { return gts_clone(vm, g, false); }

/* Releases a GTS under construction (NULL allowed). */
static inline void an_drop(exo_vm *vm, gts *g)
{
    if (g)
        val_release(vm, v_obj(T_GTS, g));
}

/* ---- LOWESS (smoothing.c), as GTSHelper.rlowess computes it ---- */

/* The points a LOWESS runs on: n sorted ticks t with values y, and the
 * ticks at which it estimates: every bucket end when bucketized (count of
 * them, the last at lastbucket), else the n ticks themselves. */
typedef struct lw_input {
    const int64_t *t;
    const double *y;
    size_t n;
    bool bucketized;
    int64_t lastbucket, span;
    size_t count;
} lw_input;

/* Estimates the smoothed value at each output tick into out (count or n
 * doubles) with q neighbours, r robustness iterations, delta d (ticks
 * within d of an estimated one are interpolated) and degree p. rho: the
 * robustness weights of the n points to use when r == 0 (NULL: none).
 * Fails (error set) on OOM or an invalid degree. */
bool lw_smooth(exo_vm *vm, const lw_input *in, int q, int r, int64_t d, int p, const double *rho, double *out);

/* One local regression of degree p around tick from the q nearest points
 * of idx (GTSHelper.pointwise_lowess; reversed: idx is the left
 * neighbour). Scratch w holds q doubles. */
double lw_point(const lw_input *in, int64_t idx, int64_t tick, int q, int p, const double *rho, double *w, bool reversed);

#endif
