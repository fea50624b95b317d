/* Kernel smoothing mappers: `step width mapper.kernel.X` builds a mapper
 * giving the Nadaraya-Watson average of the window. A point at distance d
 * from the computed tick falls in slot i = d / step; slots 0 .. width/2
 * carry the weight K(i / (width/2)), farther points count for nothing.
 * Locations and elevations are averaged with the same weights. The weights
 * are those of Warp 10's MapperKernel* classes (silverman included, as
 * written there); cauchy and sigmoid are extensions on the same grid. */
#include "aggregators.h"

#include <math.h>

enum { K_COSINE, K_EPANECHNIKOV, K_GAUSSIAN, K_LOGISTIC, K_QUARTIC, K_SILVERMAN, K_TRIANGULAR, K_TRICUBE,
       K_TRIWEIGHT, K_UNIFORM, K_CAUCHY, K_SIGMOID };

static const double PI = 3.14159265358979323846;

/* Weight of slot i among the n slots 0 .. n-1 (u = i / (n - 1), NaN when
 * n == 1, as Java's 0 / 0.0). */
static double kweight(int kind, uint64_t i, uint64_t n)
{
    double u = n == 1 ? NAN : (double)i / ((double)n - 1.0);
    switch (kind) {
    case K_COSINE:
        return (PI / 4.0) * cos((PI / 2.0) * u);
    case K_EPANECHNIKOV:
        return 0.75 * (1.0 - u * u);
    case K_GAUSSIAN:
        return (1.0 / sqrt(2.0 * PI)) * exp(-0.5 * u * u);
    case K_LOGISTIC:
        return 1.0 / (exp(u) + 2.0 + exp(-u));
    case K_QUARTIC:
        return (15.0 / 16.0) * pow(1.0 - u * u, 2.0);
    case K_SILVERMAN:
        return 0.5 * exp(-fabs(u) / sqrt(2.0)) * sin((PI / 4.0) * fabs(u) / sqrt(2.0));
    case K_TRIANGULAR:
        return 1.0 - u;
    case K_TRICUBE:
        return (70.0 / 81.0) * pow(1.0 - pow(fabs(u), 3.0), 3.0);
    case K_TRIWEIGHT:
        return (35.0 / 32.0) * pow(1.0 - u * u, 3.0);
    case K_UNIFORM:
        return 0.5;
    case K_CAUCHY:
        return 1.0 / (PI * (1.0 + u * u));
    default: /* K_SIGMOID */
        return (2.0 / PI) / (exp(u) + exp(-u));
    }
}

static bool kernel_apply(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    (void)vm;
    int kind = (int)f->def->magic;
    uint64_t step = (uint64_t)f->params[0].as.l;
    /* Java's `width >>> 1` on the int value of the width */
    uint64_t nslots = 1 + ((uint32_t)(int32_t)f->params[1].as.l >> 1);
    double wv = 0, wlat = 0, wlon = 0, welev = 0, dv = 0, dloc = 0, delev = 0;
    for (size_t i = 0; i < w->n; i++) {
        value v = aw_value(w, i);
        if (!val_is_number(v))
            continue;
        int64_t t = w->ticks[i];
        uint64_t dist = t >= w->tick ? (uint64_t)t - (uint64_t)w->tick : (uint64_t)w->tick - (uint64_t)t;
        uint64_t slot = dist / step;
        if (slot >= nslots)
            continue;
        double k = kweight(kind, slot, nslots);
        wv += k * val_as_double(v);
        dv += k;
        int64_t loc = aw_loc(w, i), elev = aw_elev(w, i);
        if (loc != GTS_NO_LOCATION) {
            double lat, lon;
            gts_unpack_location(loc, &lat, &lon);
            wlat += k * lat;
            wlon += k * lon;
            dloc += k;
        }
        if (elev != GTS_NO_ELEVATION) {
            welev += k * (double)elev;
            delev += k;
        }
    }
    if (dv == 0.0) /* NaN weights still give a (NaN) value, as in Java */
        return true;
    out->v = v_double(wv / dv);
    if (delev != 0.0)
        out->elev = java_d2l(welev / delev);
    if (dloc != 0.0)
        out->loc = gts_pack_location(wlat / dloc, wlon / dloc);
    return true;
}

/* `step width`: width (top) an odd LONG, step a positive LONG. */
static bool kernel_build(exo_vm *vm, const word *w, const fn_def *d)
{
    value width = *vm_peek(vm, 0), step = *vm_peek(vm, 1);
    if (width.type != T_LONG)
        return vm_fail(vm, "%s expects a window width in ticks on top of the stack.", d->name);
    if ((int32_t)(uint32_t)(uint64_t)width.as.l % 2 == 0)
        return vm_fail(vm, "%s window width MUST be odd (we count ticks, not intervals).", d->name);
    if (step.type != T_LONG)
        return vm_fail(vm, "%s expects a step length as a LONG.", d->name);
    if (step.as.l <= 0)
        return vm_fail(vm, "%s expects a strictly positive step length.", d->name);
    (void)w;
    value p[2] = {step, width};
    function *f = fn_new(vm, d, p, 2);
    if (!f)
        return false;
    vm_drop(vm, 2);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

/* X(id, name, kind, doc) */
#define KERNELS(X)                                                                                                     \
    X(cosine, "mapper.kernel.cosine", K_COSINE, "Kernel smoothing with the cosine kernel.")                            \
    X(epanechnikov, "mapper.kernel.epanechnikov", K_EPANECHNIKOV, "Kernel smoothing with the Epanechnikov kernel.")    \
    X(gaussian, "mapper.kernel.gaussian", K_GAUSSIAN, "Kernel smoothing with the gaussian kernel.")                    \
    X(logistic, "mapper.kernel.logistic", K_LOGISTIC, "Kernel smoothing with the logistic kernel.")                    \
    X(quartic, "mapper.kernel.quartic", K_QUARTIC, "Kernel smoothing with the quartic (biweight) kernel.")            \
    X(silverman, "mapper.kernel.silverman", K_SILVERMAN, "Kernel smoothing with Warp 10's silverman kernel.")          \
    X(triangular, "mapper.kernel.triangular", K_TRIANGULAR, "Kernel smoothing with the triangular kernel.")            \
    X(tricube, "mapper.kernel.tricube", K_TRICUBE, "Kernel smoothing with the tricube kernel.")                        \
    X(triweight, "mapper.kernel.triweight", K_TRIWEIGHT, "Kernel smoothing with the triweight kernel.")                \
    X(uniform, "mapper.kernel.uniform", K_UNIFORM, "Kernel smoothing with the uniform kernel (a moving average).")      \
    X(cauchy, "mapper.kernel.cauchy", K_CAUCHY, "Kernel smoothing with the Cauchy kernel 1/(pi(1+u^2)) (exo).")       \
    X(sigmoid, "mapper.kernel.sigmoid", K_SIGMOID, "Kernel smoothing with the sigmoid kernel 2/(pi(e^u+e^-u)) (exo).")

#define DEF(id, nm, k, doc)                                                                                            \
    static const fn_def d_##id = {.name = nm,                                                                          \
                                  .kind = FN_KIND_AGGREGATOR,                                                          \
                                  .roles = FN_MAPPER,                                                                  \
                                  .nparams = 2,                                                                        \
                                  .ptypes = {FP_LONG, FP_LONG},                                                        \
                                  .magic = k,                                                                          \
                                  .kernel = {.agg = kernel_apply},                                                     \
                                  .build = kernel_build};
KERNELS(DEF)
#undef DEF

#define WORD(id, nm, k, doc) EXO_WORD_DATA(nm, fn_word, 2, "step width -- mapper", doc, &d_##id),

static const word kernels_words[] = {KERNELS(WORD)};

EXO_FAMILY(kernels, kernels_words)
