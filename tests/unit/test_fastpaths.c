/* The fast paths of the loader and the frameworks give exactly what the
 * general paths give. Each test builds the same random data twice, once
 * in the form the fast path takes and once in a form that sends it the
 * general way, and compares the outputs as JSON (doubles printed in full,
 * so equal JSON means equal bits up to NaN payloads):
 *   - loader: plain lines vs the same lines with a trailing blank;
 *   - MAP: occurrences 0 (whole-series kernels) vs occurrences n+5 (the
 *     sliding forms) vs an elevation on every point (the plain kernels);
 *   - BUCKETIZE and REDUCE: without vs with elevations (the kernels);
 *   - FETCH: the store's reversed copy vs PARSE then RSORT.
 * Data: LONG (wrapping sums), DOUBLE with NaN, infinities and -0.0,
 * ascending, descending and repeated ticks. */
#include "harness.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rnd(rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 2685821657736338717ULL;
}

static size_t rndn(rng *r, size_t n) { return (size_t)(rnd(r) % n); }

/* A growable text buffer. */
typedef struct tbuf {
    char *p;
    size_t len, cap;
} tbuf;

static void tput(tbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tput(tbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap * 2 + (size_t)n + 64;
        b->p = realloc(b->p, b->cap);
        cr_assert_not_null(b->p);
    }
}

/* Runs src in a fresh VM after pushing text (if any) as a STRING; the
 * JSON stack (malloc'd) or the error text. */
static char *run(const char *text, const char *src)
{
    exo_vm *vm = h_vm();
    exo_status st = text ? exo_push_string(vm, text, strlen(text)) : EXO_OK;
    cr_assert_eq(st, EXO_OK);
    st = exo_eval(vm, src, strlen(src), "t");
    char *out = strdup(st == EXO_OK ? exo_stack_json(vm, NULL) : exo_last_error(vm)->message);
    exo_vm_free(vm);
    return out;
}

/* Runs src on text a and on text b: the same result. */
static void same(const char *ta, const char *tb, const char *src, const char *what)
{
    char *a = run(ta, src), *b = run(tb, src);
    cr_assert_str_eq(a, b, "%s differs: %s\n%.400s\n---\n%.400s", what, src, a, b);
    free(a);
    free(b);
}

/* A value in the input format: LONG (often large, so sums wrap) or DOUBLE
 * (specials now and then). */
static void put_value(tbuf *b, rng *r, bool dbl)
{
    if (!dbl) {
        static const int64_t big[] = {INT64_MAX, INT64_MIN + 1, 4611686018427387904LL, -4611686018427387904LL};
        if (rndn(r, 8) == 0)
            tput(b, "%" PRId64, big[rndn(r, 4)]);
        else
            tput(b, "%" PRId64, (int64_t)rndn(r, 2001) - 1000);
        return;
    }
    switch (rndn(r, 24)) {
    case 0:
        tput(b, "NaN");
        break;
    case 1:
        tput(b, "Infinity");
        break;
    case 2:
        tput(b, "-Infinity");
        break;
    case 3:
        tput(b, "-0.0");
        break;
    case 4:
        tput(b, "0.0");
        break;
    case 5:
        tput(b, "%.17g", (double)(int64_t)rnd(r) * 1e-3);
        break;
    default: /* a few decimals, some equal: ties for min/max */
        tput(b, "%" PRId64 ".%02u", (int64_t)rndn(r, 41) - 20, (unsigned)rndn(r, 4) * 25);
    }
}

enum { ASC, DESC, DUPS };

/* n points of series s{}; elev: an elevation on each point. */
static void gen_series(tbuf *b, rng *r, const char *cls, size_t n, bool dbl, int order, bool elev, uint64_t seed)
{
    rng vr = {seed};
    int64_t t = 1000;
    int64_t *ticks = malloc(n * sizeof(int64_t));
    for (size_t i = 0; i < n; i++) {
        ticks[i] = t;
        t += order == DUPS && rndn(r, 3) == 0 ? 0 : 1 + (int64_t)rndn(r, 50);
    }
    for (size_t k = 0; k < n; k++) {
        size_t i = order == DESC ? n - 1 - k : k;
        if (elev)
            tput(b, "%" PRId64 "//%d %s{} ", ticks[i], 7, cls);
        else
            tput(b, "%" PRId64 "// %s{} ", ticks[i], cls);
        put_value(b, &vr, dbl);
        tput(b, "\n");
    }
    free(ticks);
}

/* ---- MAP ---- */

static const char *const sliding[] = {"mapper.sum",   "mapper.mean",  "mapper.min",   "mapper.max",  "mapper.count",
                                      "mapper.delta", "mapper.rate",  "mapper.first", "mapper.last"};

Test(fastpaths, map_matches_sliding_and_kernels)
{
    static const int windows[][2] = {{0, 0}, {1, 0}, {0, 1}, {4, 0}, {2, 3}, {31, 0}, {40, 0}, {20, 20}};
    rng r = {0x1234};
    for (int rep = 0; rep < 6; rep++) {
        bool dbl = rep % 2;
        int order = rep / 2; /* ASC, DESC, DUPS */
        size_t n = 20 + rndn(&r, 120);
        uint64_t seed = rnd(&r) | 1;
        rng r1 = r, r2 = r;
        tbuf plain = {0}, elev = {0};
        gen_series(&plain, &r1, "s", n, dbl, order, false, seed);
        gen_series(&elev, &r2, "s", n, dbl, order, true, seed);
        r = r1;
        for (size_t f = 0; f < sizeof sliding / sizeof sliding[0]; f++) {
            for (size_t wi = 0; wi < sizeof windows / sizeof windows[0]; wi++) {
                int pre = windows[wi][0], post = windows[wi][1];
                tbuf a = {0}, b = {0};
                const char *tail = "0 GET DUP TICKS SWAP VALUES $g TICKS $g VALUES";
                tput(&a, "PARSE 0 GET 'g' STORE [ $g %s %d %d 0 ] MAP %s", sliding[f], pre, post, tail);
                tput(&b, "PARSE 0 GET 'g' STORE [ $g %s %d %d %zu ] MAP %s", sliding[f], pre, post, n + 5, tail);
                char *fast = run(plain.p, a.p), *slide = run(plain.p, b.p);
                cr_assert_str_eq(fast, slide, "MAP fast vs sliding: %s", a.p);
                /* the plain kernels sum naively: only windows the sliders sum afresh */
                if (pre + post < 32) {
                    char *kern = run(elev.p, a.p);
                    cr_assert_str_eq(fast, kern, "MAP fast vs kernels: %s", a.p);
                    free(kern);
                }
                free(fast);
                free(slide);
                free(a.p);
                free(b.p);
            }
        }
        free(plain.p);
        free(elev.p);
    }
}

/* ---- BUCKETIZE ---- */

static const char *const bucketizers[] = {
    "bucketizer.sum",   "bucketizer.sum.forbid-nulls", "bucketizer.mean",  "bucketizer.mean.exclude-nulls",
    "bucketizer.min",   "bucketizer.max",              "bucketizer.count", "bucketizer.count.include-nulls",
    "bucketizer.first", "bucketizer.last"};

Test(fastpaths, bucketize_matches_kernels)
{
    rng r = {0xb0c};
    for (int rep = 0; rep < 6; rep++) {
        bool dbl = rep % 2;
        int order = rep / 2;
        size_t n = 30 + rndn(&r, 200);
        uint64_t seed = rnd(&r) | 1;
        rng r1 = r, r2 = r;
        tbuf plain = {0}, elev = {0};
        gen_series(&plain, &r1, "s", n, dbl, order, false, seed);
        gen_series(&elev, &r2, "s", n, dbl, order, true, seed);
        r = r1;
        for (size_t f = 0; f < sizeof bucketizers / sizeof bucketizers[0]; f++) {
            int span = 1 + (int)rndn(&r, 120);
            tbuf a = {0};
            const char *tail = "0 GET DUP TICKS SWAP VALUES $g TICKS $g VALUES";
            tput(&a, "PARSE 0 GET 'g' STORE [ $g %s 0 %d 0 ] BUCKETIZE %s", bucketizers[f], span, tail);
            same(plain.p, elev.p, a.p, "BUCKETIZE inline vs kernels");
            free(a.p);
        }
        free(plain.p);
        free(elev.p);
    }
}

/* ---- REDUCE ---- */

static const char *const reducers[] = {
    "reducer.sum",   "reducer.sum.forbid-nulls", "reducer.sum.nonnull", "reducer.mean", "reducer.mean.exclude-nulls",
    "reducer.min",   "reducer.min.nonnull",      "reducer.max",         "reducer.max.forbid-nulls",
    "reducer.count", "reducer.count.include-nulls", "reducer.count.exclude-nulls"};

/* k members of classes m0..m(k-1) with label dc=d(i%2) on the same ticks
 * (aligned) or with one point missing from the last member (sparse);
 * types: all LONG, all DOUBLE or mixed. */
static void gen_members(tbuf *b, rng *r, size_t k, size_t n, int types, bool aligned, bool elev, uint64_t seed)
{
    rng tr = {seed}, vr = {seed ^ 0x5555};
    int64_t *ticks = malloc(n * sizeof(int64_t));
    int64_t t = 100;
    for (size_t i = 0; i < n; i++) {
        ticks[i] = t;
        t += 1 + (int64_t)rndn(&tr, 9);
    }
    (void)r;
    for (size_t j = 0; j < k; j++) {
        bool dbl = types == 1 || (types == 2 && j % 2);
        for (size_t i = 0; i < n; i++) {
            if (!aligned && j == k - 1 && i == n / 2)
                continue;
            tput(b, "%" PRId64 "/%s m%zu{dc=d%zu} ", ticks[n - 1 - i], elev ? "/3" : "/", j, j % 2);
            put_value(b, &vr, dbl);
            tput(b, "\n");
        }
    }
    free(ticks);
}

Test(fastpaths, reduce_matches_kernels)
{
    rng r = {0x7ed};
    for (int rep = 0; rep < 8; rep++) {
        int types = rep % 3;
        bool aligned = rep < 6;
        size_t k = 2 + rndn(&r, 5), n = 5 + rndn(&r, 60);
        uint64_t seed = rnd(&r) | 1;
        tbuf plain = {0}, elev = {0};
        gen_members(&plain, &r, k, n, types, aligned, false, seed);
        gen_members(&elev, &r, k, n, types, aligned, true, seed);
        for (size_t f = 0; f < sizeof reducers / sizeof reducers[0]; f++) {
            const char *labels = rndn(&r, 2) ? "[ 'dc' ]" : "[]";
            tbuf a = {0};
            const char *tail =
                "<% DROP DUP TICKS SWAP VALUES 2 ->LIST %> LMAP $g <% DROP DUP TICKS SWAP VALUES 2 ->LIST %> LMAP";
            tput(&a, "PARSE 'g' STORE [ $g %s %s ] REDUCE %s", labels, reducers[f], tail);
            same(plain.p, elev.p, a.p, "REDUCE inline vs kernels");
            free(a.p);
        }
        free(plain.p);
        free(elev.p);
    }
}

/* ---- the loader ---- */

/* Random lines in many value forms, series switching, '=' continuations. */
static void gen_lines(tbuf *b, rng *r, size_t n, bool trailing_blank)
{
    static const char *const odd[] = {"1.",     "-.5",    ".5",     "-0.0",    "1e5",    "1.5E-3", "NaN",
                                      "-Infinity", "123456789012345678901234.5", "0.00000000000000000000000000123",
                                      "9007199254740993.0", "9007199254740992.5", "1234567890123456789",
                                      "-9223372036854775808", "9223372036854775807", "00000000000000000000012",
                                      "0000000000000000000001.5", "T", "'s%20t'", "true", "+7", "+7.25"};
    static const char *const cls[] = {"a{x=1}", "b{}", "c{y=2,z=3}"};
    for (size_t i = 0; i < n; i++) {
        bool cont = i && rndn(r, 4) == 0;
        int64_t t;
        switch (rndn(r, 5)) {
        case 0:
            t = (int64_t)(rnd(r) >> 1);
            break;
        case 1:
            t = -(int64_t)rndn(r, 1000);
            break;
        default:
            t = 1500000000000000 + (int64_t)rndn(r, 1000000000);
        }
        tput(b, "%s%" PRId64 "// ", cont ? "=" : "", t);
        if (!cont)
            tput(b, "%s ", cls[rndn(r, 3)]);
        unsigned k = (unsigned)rndn(r, 10);
        if (k < 3)
            tput(b, "%" PRId64, (int64_t)rnd(r) >> rndn(r, 63));
        else if (k < 6) { /* nf fraction digits, sometimes too many for the fast path */
            int nf = (int)rndn(r, 9) + (rndn(r, 4) == 0 ? 12 : 0);
            uint64_t p10 = 1;
            for (int d = 0; d < nf && d < 19; d++)
                p10 *= 10;
            tput(b, "%s%" PRIu64 ".%0*" PRIu64, rndn(r, 2) ? "-" : "", rnd(r) % (rndn(r, 2) ? 1000 : UINT64_C(100000000000)),
                 nf, nf ? rnd(r) % p10 : 0);
            if (nf == 0)
                b->len--; /* "12." and "12" both occur */
        }
        else if (k < 8)
            tput(b, "%.17g", (double)(int64_t)rnd(r) / (double)(1 + rndn(r, 1000000)));
        else
            tput(b, "%s", odd[rndn(r, sizeof odd / sizeof odd[0])]);
        tput(b, "%s\n", trailing_blank ? " " : "");
    }
}

Test(fastpaths, loader_matches_general_lines)
{
    rng r = {0x10ad};
    for (int rep = 0; rep < 6; rep++) {
        uint64_t s = r.s;
        tbuf fast = {0}, slow = {0};
        r.s = s;
        gen_lines(&fast, &r, 400, false);
        r.s = s;
        gen_lines(&slow, &r, 400, true);
        /* PARSE (one GTS per run of lines) and the store (FETCH) */
        same(fast.p, slow.p, "PARSE", "PARSE fast lines vs general lines");
        const char *f = "[ 't' '~.*' {} MAXLONG MAXLONG ] FETCH";
        exo_vm *v1 = h_vm(), *v2 = h_vm();
        cr_assert_eq(exo_load_gts_text(v1, fast.p, fast.len, "f"), EXO_OK, "%s", exo_last_error(v1)->message);
        cr_assert_eq(exo_load_gts_text(v2, slow.p, slow.len, "f"), EXO_OK, "%s", exo_last_error(v2)->message);
        cr_assert_eq(exo_eval(v1, f, strlen(f), "t"), EXO_OK);
        cr_assert_eq(exo_eval(v2, f, strlen(f), "t"), EXO_OK);
        cr_assert_str_eq(exo_stack_json(v1, NULL), exo_stack_json(v2, NULL));
        exo_vm_free(v1);
        exo_vm_free(v2);
        free(fast.p);
        free(slow.p);
    }
}

Test(fastpaths, loader_errors_name_the_same_line)
{
    static const char *const bad[] = {"9223372036854775808", "12x", "1.5.5", "--3", "1e", "'open"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        for (int blank = 0; blank < 2; blank++) {
            char text[256];
            snprintf(text, sizeof text, "1// a{} 1\n2// a{} 2.5\n=3// %s%s\n", bad[i], blank ? " " : "");
            exo_vm *vm = h_vm();
            cr_assert_neq(exo_load_gts_text(vm, text, strlen(text), "f"), EXO_OK, "%s", text);
            cr_assert(strstr(exo_last_error(vm)->message, "f line 3: "), "%s: %s", text, exo_last_error(vm)->message);
            exo_vm_free(vm);
        }
    }
}

/* ---- FETCH ---- */

Test(fastpaths, fetch_is_the_reversed_store)
{
    /* unique ticks, every value type, locations and elevations */
    tbuf t = {0};
    rng r = {0xfe7c};
    static const char *const vals[] = {"'x'", "T", "42", "2.5"};
    for (int s = 0; s < 4; s++)
        for (int i = 0; i < 50; i++)
            tput(&t, "%d/%s/%s c%d{} %s\n", 1000 + i * 10 + (int)rndn(&r, 5), rndn(&r, 3) ? "" : "48.5:2.25",
                 rndn(&r, 3) ? "" : "12", s, vals[s]);
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_load_gts_text(vm, t.p, t.len, "f"), EXO_OK);
    const char *f = "[ 't' '~.*' {} MAXLONG MAXLONG ] FETCH";
    cr_assert_eq(exo_eval(vm, f, strlen(f), "t"), EXO_OK);
    char *want = run(t.p, "PARSE <% DROP RSORT %> LMAP");
    cr_assert_str_eq(exo_stack_json(vm, NULL), want);
    free(want);
    exo_vm_free(vm);
    free(t.p);
}

/* ---- the store's encoded blocks ---- */

/* Series for the store: shape 0 one long ascending series (equal ticks,
 * steps of every size, exponent changes, raw doubles), 1 the same
 * unsorted, 2 two series interleaved line by line, 3 many short series,
 * 4 the first with one point out of order.
 * elev: an elevation on every point (never encoded: the reference). */
static void gen_store(tbuf *b, int shape, bool dbl, bool elev, uint64_t seed)
{
    rng r = {seed}, vr = {seed ^ 0xabc};
    size_t n = shape == 3 ? 60000 : 150000;
    int64_t t = -5000000;
    for (size_t i = 0; i < n; i++) {
        size_t s = shape == 2 ? i % 2 : shape == 3 ? i / 1500 : 0;
        uint64_t x = rndn(&r, 100);
        int64_t tick;
        if (shape == 1) {
            tick = (int64_t)rndn(&r, 1000000);
        } else {
            uint64_t step = x < 70 ? 1000 : x < 80 ? 0 : x < 95 ? rndn(&r, 5000) : rnd(&r) >> 24;
            if (i == n / 3)
                step = UINT64_C(1) << 62; /* a step change too big for a varint token */
            t = (int64_t)((uint64_t)t + step);
            tick = shape == 4 && i == n / 2 ? t - 1500 : t; /* 4: one point out of order, inside a block */
        }
        tput(b, "%" PRId64 "/%s s%zu{} ", tick, elev ? "/5" : "/", s);
        if (dbl && rndn(&vr, 50) == 0)
            tput(b, "%.17g", (double)(int64_t)rnd(&vr) / 7.0);
        else if (dbl && rndn(&vr, 30) == 0)
            tput(b, "%" PRId64 ".%0*u", (int64_t)rndn(&vr, 100), 1 + (int)rndn(&vr, 9), (unsigned)rndn(&vr, 10));
        else
            put_value(b, &vr, dbl);
        tput(b, "\n");
    }
}

Test(fastpaths, store_blocks_match_staged_points)
{
    static const char *const queries[] = {
        "[ 't' '~.*' {} MAXLONG MAXLONG ] FETCH",
        "[ 't' '~.*' {} 70000000 40000000 ] FETCH",
        "[ 't' '~.*' {} 90000000 -1 ] FETCH",
        "[ 't' '~.*' {} 60000000 -70000 ] FETCH",
        "[ 't' '~.*' {} MAXLONG -100 ] FETCH",
        "{ 'class' '~.*' 'labels' {} 'start' 1000 'end' 5000000 } FETCH",
        "{ 'class' '~.*' 'labels' {} 'end' -4000000 'count' 3 } FETCH",
        /* bounds on ticks that exist (inside blocks, repeated ones too) */
        "[ 't' 's0' {} MAXLONG MAXLONG ] FETCH 0 GET TICKS DUP SIZE 3 / GET 'e' STORE [ 't' '~.*' {} $e 3000000 ] FETCH",
        "[ 't' 's0' {} MAXLONG MAXLONG ] FETCH 0 GET TICKS DUP SIZE 2 * 3 / GET 'e' STORE [ 't' '~.*' {} $e -65537 ] FETCH",
        "[ 't' 's0' {} MAXLONG MAXLONG ] FETCH 0 GET TICKS -3 GET 'e' STORE "
        "{ 'class' '~.*' 'labels' {} 'start' $e 'end' MAXLONG } FETCH",
    };
    const char *tail = " <% DROP DUP TICKS SWAP VALUES 2 ->LIST %> LMAP";
    for (int shape = 0; shape < 5; shape++) {
        for (int dbl = 0; dbl < 2; dbl++) {
            tbuf enc = {0}, ref = {0};
            gen_store(&enc, shape, dbl, false, 77 + (uint64_t)shape);
            gen_store(&ref, shape, dbl, true, 77 + (uint64_t)shape);
            exo_vm *a = h_vm(), *b = h_vm();
            /* in two chunks: the reader and the blocks carry over */
            size_t half = enc.len / 2;
            while (enc.p[half - 1] != '\n')
                half++;
            cr_assert_eq(exo_load_gts_text(a, enc.p, half, "f"), EXO_OK, "%s", exo_last_error(a)->message);
            cr_assert_eq(exo_load_gts_text(a, enc.p + half, enc.len - half, "f"), EXO_OK);
            cr_assert_eq(exo_load_gts_text(b, ref.p, ref.len, "f"), EXO_OK, "%s", exo_last_error(b)->message);
            for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
                char src[512];
                snprintf(src, sizeof src, "%s%s", queries[q], tail);
                cr_assert_eq(exo_eval(a, src, strlen(src), "t"), EXO_OK, "%s", exo_last_error(a)->message);
                cr_assert_eq(exo_eval(b, src, strlen(src), "t"), EXO_OK, "%s", exo_last_error(b)->message);
                char *ja = strdup(exo_stack_json(a, NULL));
                cr_assert_str_eq(ja, exo_stack_json(b, NULL), "shape %d dbl %d: %s", shape, dbl, queries[q]);
                free(ja);
                cr_assert_eq(exo_eval(a, "CLEAR", 5, "t"), EXO_OK);
                cr_assert_eq(exo_eval(b, "CLEAR", 5, "t"), EXO_OK);
            }
            exo_vm_free(a);
            exo_vm_free(b);
            free(enc.p);
            free(ref.p);
        }
    }
}

/* Walks for the packed value blocks: 0 DOUBLE 6-decimal walk printed
 * without trailing zeros (mixed exponents, checked again at the block's),
 * 1 LONG walk, 2 constant DOUBLE and LONG (width 0), 3 LONG deltas of 56
 * bits (the widest packed), 57 and 63 bits (tokens), 4 DOUBLE 2-decimal
 * walk around zero with a series-wide exponent change, 5 small integers
 * as DOUBLE (exponent 0). */
static void gen_walk(tbuf *b, int kind, bool elev, uint64_t seed)
{
    rng r = {seed};
    int64_t v = kind == 3 ? 0 : 100000000, t = 1000;
    for (size_t i = 0; i < 140000; i++) {
        t += 1000 + (int64_t)(rndn(&r, 3) == 0 ? rndn(&r, 50) : 0);
        tput(b, "%" PRId64 "/%s s{} ", t, elev ? "/5" : "/");
        switch (kind) {
        case 0:
        case 4: {
            v += (int64_t)rndn(&r, 2000001) - 1000000;
            if (kind == 4)
                v = (v % 100000) - 50000;
            int64_t a = v < 0 ? -v : v;
            unsigned dec = kind == 4 && i > 100000 ? 2 : 6, scale = dec == 6 ? 1000000 : 100;
            char frac[16];
            snprintf(frac, sizeof frac, "%0*" PRId64, (int)dec, a % scale);
            size_t fl = strlen(frac);
            while (fl > 1 && frac[fl - 1] == '0')
                frac[--fl] = 0;
            tput(b, "%s%" PRId64 ".%s", v < 0 ? "-" : "", a / scale, frac);
            break;
        }
        case 1:
            v += (int64_t)rndn(&r, 2001) - 1000;
            tput(b, "%" PRId64, v);
            break;
        case 2:
            tput(b, i < 70000 ? "42.5" : "7");
            break;
        case 3: {
            unsigned w = i < 65536 ? 56 : i < 131072 ? 57 : 63;
            v = (int64_t)((uint64_t)v + (rnd(&r) >> (64 - w)) - (UINT64_C(1) << (w - 1)));
            tput(b, "%" PRId64, v);
            break;
        }
        default:
            tput(b, "%d.0", (int)rndn(&r, 300) - 150);
        }
        tput(b, "\n");
    }
}

Test(fastpaths, packed_blocks_match_staged_points)
{
    static const char *const queries[] = {
        "[ 't' 's' {} MAXLONG MAXLONG ] FETCH",
        "[ 't' 's' {} 90000000 60000000 ] FETCH",
        "{ 'class' 's' 'labels' {} 'end' 70000000 'count' 70000 } FETCH",
    };
    const char *tail = " <% DROP DUP TICKS SWAP VALUES 2 ->LIST %> LMAP";
    for (int kind = 0; kind < 6; kind++) {
        tbuf enc = {0}, ref = {0};
        gen_walk(&enc, kind, false, 99 + (uint64_t)kind);
        gen_walk(&ref, kind, true, 99 + (uint64_t)kind);
        exo_vm *a = h_vm(), *b = h_vm();
        cr_assert_eq(exo_load_gts_text(a, enc.p, enc.len, "f"), EXO_OK, "%s", exo_last_error(a)->message);
        cr_assert_eq(exo_load_gts_text(b, ref.p, ref.len, "f"), EXO_OK, "%s", exo_last_error(b)->message);
        for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
            char src[512];
            snprintf(src, sizeof src, "%s%s", queries[q], tail);
            cr_assert_eq(exo_eval(a, src, strlen(src), "t"), EXO_OK, "%s", exo_last_error(a)->message);
            cr_assert_eq(exo_eval(b, src, strlen(src), "t"), EXO_OK, "%s", exo_last_error(b)->message);
            char *ja = strdup(exo_stack_json(a, NULL));
            cr_assert_str_eq(ja, exo_stack_json(b, NULL), "kind %d: %s", kind, queries[q]);
            free(ja);
            cr_assert_eq(exo_eval(a, "CLEAR", 5, "t"), EXO_OK);
            cr_assert_eq(exo_eval(b, "CLEAR", 5, "t"), EXO_OK);
        }
        exo_vm_free(a);
        exo_vm_free(b);
        free(enc.p);
        free(ref.p);
    }
}

/* ---- allocation failures ---- */

static long countdown;
static size_t live_bytes;
static void *failing_alloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    (void)ud;
    if (new_size == 0) {
        live_bytes -= old_size;
        free(ptr);
        return NULL;
    }
    if (countdown > 0 && --countdown == 0)
        return NULL;
    void *p = realloc(ptr, new_size);
    if (p)
        live_bytes = live_bytes - old_size + new_size;
    return p;
}

Test(fastpaths, every_allocation_failing_in_turn)
{
    /* a series of two blocks and a staged tail, two short LONG series */
    tbuf t = {0};
    for (int i = 0; i < 140000; i++)
        tput(&t, "%d// a{} %d.%d\n", i * 10, i % 97, i % 7);
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < 300; i++)
            tput(&t, "%d// b{k=%d,dc=x} %d\n", i * 10, s, i * s);
    const char *src = "[ 't' 'a' {} 1000000 -70000 ] FETCH 0 GET 'a' STORE "
                      "[ $a mapper.mean 2 1 0 ] MAP [ $a bucketizer.max 0 100 0 ] BUCKETIZE "
                      "[ [ 't' 'b' {} MAXLONG MAXLONG ] FETCH [ 'dc' ] reducer.sum ] REDUCE";
    for (long n = 1; n < 100000; n++) {
        exo_config cfg;
        exo_config_init(&cfg);
        exo_limits_generous(&cfg.limits);
        cfg.capabilities = EXO_CAP_ALL;
        cfg.alloc = failing_alloc;
        live_bytes = 0;
        countdown = n;
        exo_vm *vm = exo_vm_new(&cfg);
        if (!vm) {
            cr_assert_eq(live_bytes, 0);
            continue;
        }
        exo_status st = exo_load_gts_text(vm, t.p, t.len, "f");
        if (st == EXO_OK)
            st = exo_eval(vm, src, strlen(src), "oom");
        if (st != EXO_OK)
            cr_assert(st == EXO_ERR_OOM || strstr(exo_last_error(vm)->message, "memory"), "n=%ld: %d %s", n, st,
                      exo_last_error(vm)->message);
        bool done = countdown > 0;
        countdown = 0;
        cr_assert_eq(exo_eval(vm, "1 2 +", 5, "after"), EXO_OK, "n=%ld: %s", n, exo_last_error(vm)->message);
        exo_vm_free(vm);
        cr_assert_eq(live_bytes, 0, "n=%ld: %zu bytes leaked", n, live_bytes);
        if (done && st == EXO_OK) {
            free(t.p);
            return;
        }
    }
    cr_assert_fail("the script never ran to completion");
}
