/* Fourier transforms of bucketized series: FFT (real and imaginary parts),
 * FFTAP (amplitude and phase) and IFFT. The forward transform needs a
 * power-of-two number of regularly spaced buckets and also returns the
 * frequency step in Hz; coefficients are pseudo series with ticks 0..n-1.
 * Radix-2 iterative transform; IFFT of other sizes goes through
 * Bluestein's chirp-z, so any n works as in Warp 10 (JTransforms). */
#include "analytics.h"

#include <math.h>

static const double TAU = 6.28318530717958647692;

/* In-place radix-2 transform of n (a power of 2) complex values
 * (interleaved re, im); sign -1 forward, +1 inverse (unscaled). */
static void fft_pow2(double *x, size_t n, int sign)
{
    for (size_t i = 1, j = 0; i < n; i++) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            double tr = x[2 * i], ti = x[2 * i + 1];
            x[2 * i] = x[2 * j];
            x[2 * i + 1] = x[2 * j + 1];
            x[2 * j] = tr;
            x[2 * j + 1] = ti;
        }
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        size_t half = len / 2;
        for (size_t k = 0; k < half; k++) {
            double ang = sign * TAU * (double)k / (double)len, wr = cos(ang), wi = sin(ang);
            for (size_t s = 0; s < n; s += len) {
                double *a = x + 2 * (s + k), *b = x + 2 * (s + k + half);
                double br = b[0] * wr - b[1] * wi, bi = b[0] * wi + b[1] * wr;
                b[0] = a[0] - br;
                b[1] = a[1] - bi;
                a[0] += br;
                a[1] += bi;
            }
        }
    }
}

static bool is_pow2(size_t n) { return n && (n & (n - 1)) == 0; }

/* Transform of any size n (Bluestein when n is not a power of 2). */
static bool fft_any(exo_vm *vm, double *x, size_t n, int sign)
{
    if (n <= 1 || is_pow2(n)) {
        if (n > 1)
            fft_pow2(x, n, sign);
        return true;
    }
    size_t m = 1;
    while (m < 2 * n - 1)
        m <<= 1;
    double *a = vm_calloc(vm, 2 * m * sizeof(double)), *b = vm_calloc(vm, 2 * m * sizeof(double)),
           *w = vm_alloc(vm, 2 * n * sizeof(double));
    bool ok = a && b && w;
    if (ok) {
        /* chirp w_k = exp(-sign i pi k^2 / n), k^2 reduced mod 2n for accuracy */
        for (size_t k = 0; k < n; k++) {
            double ang = -sign * TAU / 2.0 * (double)((k * k) % (2 * n)) / (double)n;
            w[2 * k] = cos(ang);
            w[2 * k + 1] = sin(ang);
        }
        for (size_t k = 0; k < n; k++) { /* a_k = x_k conj(w_k) */
            a[2 * k] = x[2 * k] * w[2 * k] + x[2 * k + 1] * w[2 * k + 1];
            a[2 * k + 1] = x[2 * k + 1] * w[2 * k] - x[2 * k] * w[2 * k + 1];
        }
        for (size_t k = 0; k < n; k++) { /* b = w, symmetric */
            b[2 * k] = w[2 * k];
            b[2 * k + 1] = w[2 * k + 1];
            if (k) {
                b[2 * (m - k)] = w[2 * k];
                b[2 * (m - k) + 1] = w[2 * k + 1];
            }
        }
        fft_pow2(a, m, -1);
        fft_pow2(b, m, -1);
        for (size_t k = 0; k < m; k++) {
            double re = a[2 * k] * b[2 * k] - a[2 * k + 1] * b[2 * k + 1];
            double im = a[2 * k] * b[2 * k + 1] + a[2 * k + 1] * b[2 * k];
            a[2 * k] = re;
            a[2 * k + 1] = im;
        }
        fft_pow2(a, m, 1);
        for (size_t k = 0; k < n; k++) { /* X_k = conj(w_k) (a * b)_k / m */
            double re = a[2 * k] / (double)m, im = a[2 * k + 1] / (double)m;
            x[2 * k] = re * w[2 * k] + im * w[2 * k + 1];
            x[2 * k + 1] = im * w[2 * k] - re * w[2 * k + 1];
        }
    }
    if (a)
        vm_dealloc(vm, a, 2 * m * sizeof(double));
    if (b)
        vm_dealloc(vm, b, 2 * m * sizeof(double));
    if (w)
        vm_dealloc(vm, w, 2 * n * sizeof(double));
    return ok;
}

/* A pseudo series with g's class and labels, not bucketized. */
static gts *pseudo(exo_vm *vm, const gts *g)
{
    gts *p = gts_new(vm);
    if (!p)
        return NULL;
    val_release(vm, p->cls);
    p->cls = val_retain(g->cls);
    if (!gts_copy_map(vm, &p->labels, g->labels)) {
        an_drop(vm, p);
        return NULL;
    }
    return p;
}

static bool fft_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)ctx;
    bool ap = w->magic != 0;
    if (!an_numeric(g))
        return vm_fail(vm, "%s can only be applied to numeric geo time series.", w->name);
    if (!gts_is_bucketized(g))
        return vm_fail(vm, "%s can only be applied to bucketized geo time series.", w->name);
    size_t n = g->len;
    if (!is_pow2(n))
        return vm_fail(vm, "%s can only be applied to geo time series which contain a number of values which is a power of 2.",
                       w->name);
    if (!gts_sort(vm, g, false))
        return false;
    int64_t span = g->bucketspan, boundary = span == -1 ? 0 : g->lastbucket % span;
    for (size_t i = 0; i < n; i++) {
        if ((span == -1 ? 0 : g->ticks[i] % span) != boundary)
            return vm_fail(vm, "%s found a tick not on a bucket boundary.", w->name);
        if (i && g->ticks[i] == g->ticks[i - 1])
            return vm_fail(vm, "%s found duplicate tick.", w->name);
        if (i && (int64_t)((uint64_t)g->ticks[i] - (uint64_t)g->ticks[i - 1]) != span)
            return vm_fail(vm, "%s found a displaced tick, should have been 'bucketspan' away from previous.", w->name);
    }
    double *x = vm_calloc(vm, 2 * n * sizeof(double));
    gts *p1 = pseudo(vm, g), *p2 = pseudo(vm, g);
    list *l = list_new(vm, 3);
    bool ok = x && p1 && p2 && l && gts_reserve(vm, p1, n) && gts_reserve(vm, p2, n);
    if (ok) {
        for (size_t i = 0; i < n; i++)
            x[2 * i] = an_val(g, i);
        fft_pow2(x, n, -1);
    }
    for (size_t k = 0; ok && k < n; k++) {
        double re = x[2 * k], im = x[2 * k + 1];
        ok = gts_add_double(vm, p1, (int64_t)k, ap ? sqrt(re * re + im * im) : re) &&
             gts_add_double(vm, p2, (int64_t)k, ap ? atan2(im, re) : im);
    }
    if (x)
        vm_dealloc(vm, x, 2 * n * sizeof(double));
    if (!ok) {
        an_drop(vm, p1);
        an_drop(vm, p2);
        if (l)
            val_release(vm, v_obj(T_LIST, l));
        return false;
    }
    list_push(vm, l, v_obj(T_GTS, p1)); /* room for 3 */
    list_push(vm, l, v_obj(T_GTS, p2));
    list_push(vm, l, v_double(1000000.0 / ((double)n * (double)span)));
    *out = v_obj(T_LIST, l);
    return true;
}

static bool w_fft(exo_vm *vm, const word *w)
{
    if (!gw_gts_or_list(vm, w, 1))
        return false;
    value r;
    return gw_map(vm, w, 1, fft_one, NULL, &r) && gw_replace(vm, 1, r);
}

static bool w_ifft(exo_vm *vm, const word *w)
{
    gts *im = gw_gts_arg(vm, w, 1), *re = im ? gw_gts_arg(vm, w, 2) : NULL;
    if (!re)
        return false;
    if (re->type != GTS_DOUBLE || im->type != GTS_DOUBLE)
        return vm_fail(vm, "%s real and imaginary parts GTS MUST be of type DOUBLE.", w->name);
    if (re->len != im->len)
        return vm_fail(vm, "%s real and imaginary Geo Time Series MUST have the same number of values.", w->name);
    if (!gts_sort(vm, re, false) || !gts_sort(vm, im, false))
        return false;
    size_t n = re->len;
    double *x = vm_alloc(vm, (n ? 2 * n : 1) * sizeof(double));
    gts *r = pseudo(vm, re);
    bool ok = x && r && gts_reserve(vm, r, n);
    for (size_t i = 0; ok && i < n; i++) {
        x[2 * i] = re->v.d[i];
        x[2 * i + 1] = im->v.d[i];
    }
    ok = ok && fft_any(vm, x, n, 1);
    for (size_t i = 0; ok && i < n; i++)
        ok = gts_add_double(vm, r, (int64_t)i, x[2 * i] / (double)n);
    if (x)
        vm_dealloc(vm, x, (n ? 2 * n : 1) * sizeof(double));
    if (!ok) {
        an_drop(vm, r);
        return false;
    }
    return gw_replace(vm, 2, v_obj(T_GTS, r));
}

static const word fft_words[] = {
    EXO_WORD_MAGIC("FFT", w_fft, 1, "gts|[gts..] -- [re im hz]|[[..]..]",
                   "Fourier transform of a bucketized series of 2^k buckets: real and imaginary parts, frequency step.", 0),
    EXO_WORD_MAGIC("FFTAP", w_fft, 1, "gts|[gts..] -- [amp phase hz]|[[..]..]",
                   "Fourier transform of a bucketized series of 2^k buckets: amplitudes and phases, frequency step.", 1),
    EXO_WORD("IFFT", w_ifft, 2, "re im -- gts", "Inverse Fourier transform of real and imaginary parts (the real part)."),
};

EXO_FAMILY(fft, fft_words)
