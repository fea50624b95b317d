/* The per-VM store behind FETCH and FIND. Series are found by a hash of
 * class + labels in an open-addressing index, so lines of one series may
 * be spread over several files or chunks; the reader state (last series,
 * line number) carries over between calls with the same source name, so a
 * host may feed a big file in chunks of whole lines.
 *
 * Points arrive in a staging GTS per series; when it holds a full block
 * (or when the reader moves to another series) its LONG/DOUBLE points
 * without location or elevation are encoded into a block and the staging
 * arrays are reused, so a 10M-point load keeps ~1-5 bytes a point and a
 * 1 MiB staging area instead of 16 bytes a point in growing arrays. The
 * encoding is exact: ticks as delta-of-delta varints with runs of equal
 * steps, LONG values as zigzag deltas, DOUBLE values as decimal mantissas
 * m / 10^k (kept only when that division gives the very same bits; the
 * parser computes data-file doubles that way) or raw bits. When a block's
 * values (or mantissas, at one exponent) have deltas that fit a fixed
 * width more tightly than varints, they are bit-packed at that width
 * (a random walk of 6-decimal values: 3.4 -> 2.6 bytes a point). */
#include "store.h"
#include "alloc.h"
#include "vm.h"

#include <math.h>
#include <string.h>
#include <time.h>

#define BLOCK_POINTS 65536u /* staging size of a series, points per block */
#define MIN_BLOCK 256u      /* a series left with fewer points keeps them staged */

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

uint64_t store_series_hash(const gts *g)
{
    uint64_t h = hash_bytes(AS_STR(g->cls)->data, AS_STR(g->cls)->len);
    uint64_t lh = 0;
    for (size_t i = 0; i < g->labels->len; i++) {
        const str *k = AS_STR(g->labels->ents[i].key), *v = AS_STR(g->labels->ents[i].val);
        uint64_t x = hash_bytes(k->data, k->len) * 31 + hash_bytes(v->data, v->len);
        lh += x ^ (x >> 29); /* a sum: label order does not matter */
    }
    return h ^ (lh * 0x9E3779B97F4A7C15ull);
}

static size_t find(gts_store *s, const gts *g, uint64_t h, bool *found)
{
    size_t m = s->icap - 1, i = (size_t)h & m;
    for (;;) {
        uint32_t e = s->index[i];
        if (!e) {
            *found = false;
            return i;
        }
        if (gts_same_series(s->series[e - 1].g, g)) {
            *found = true;
            return i;
        }
        i = (i + 1) & m;
    }
}

static bool rehash(exo_vm *vm, gts_store *s)
{
    size_t icap = s->icap ? s->icap * 2 : 64;
    uint32_t *idx = vm_calloc(vm, icap * sizeof(uint32_t));
    if (!idx)
        return false;
    vm_dealloc(vm, s->index, s->icap * sizeof(uint32_t));
    s->index = idx;
    s->icap = icap;
    for (size_t k = 0; k < s->n; k++) {
        bool found;
        size_t i = find(s, s->series[k].g, store_series_hash(s->series[k].g), &found);
        s->index[i] = (uint32_t)k + 1;
    }
    return true;
}

/* ---- encoding ---- */

static const double pow10_d[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static inline uint64_t zz(int64_t x) { return ((uint64_t)x << 1) ^ (uint64_t)(x >> 63); }
static inline int64_t unzz(uint64_t u) { return (int64_t)(u >> 1) ^ -(int64_t)(u & 1); }

static inline uint8_t *put_varint(uint8_t *p, uint64_t u)
{
    while (u >= 0x80) {
        *p++ = (uint8_t)(u | 0x80);
        u >>= 7;
    }
    *p++ = (uint8_t)u;
    return p;
}

static inline const uint8_t *get_varint(const uint8_t *p, uint64_t *out)
{
    uint64_t u = *p++;
    if (u < 0x80) {
        *out = u;
        return p;
    }
    u &= 0x7f;
    for (unsigned sh = 7;; sh += 7) {
        uint64_t b = *p++;
        u |= (b & 0x7f) << sh;
        if (b < 0x80)
            break;
    }
    *out = u;
    return p;
}

static inline uint8_t *put_raw(uint8_t *p, uint64_t u)
{
    memcpy(p, &u, 8);
    return p + 8;
}

static inline uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* m with m / 10^k (k = 0: m itself) exactly d, if |m| < 2^53. */
static inline bool decimal(double d, unsigned k, int64_t *m)
{
    double x = d * pow10_d[k];
    if (!(x > -9007199254740992.0 && x < 9007199254740992.0))
        return false;
    int64_t c = (int64_t)nearbyint(x);
    double back = k ? (double)c / pow10_d[k] : (double)c;
    if (bits(back) != bits(d))
        return false;
    *m = c;
    return true;
}

/* Worst case bytes for n points: a tick token (<= 10, or 1 + 8) and a
 * value token (<= 1 + 10 + 10, or 1 + 8) each. */
#define WORST_POINT 32u
#define PACK_MAX_WIDTH 56u /* a packed delta is read with one 8-byte load */

static inline unsigned bit_width(uint64_t u) { return u ? 64u - (unsigned)__builtin_clzll(u) : 0u; }

/* Writes the n - 1 zigzag deltas of a (wrapping) at w bits each, LSB
 * first, then 8 zero bytes (the decoder's loads may run past the end). */
static uint8_t *put_packed(uint8_t *p, const int64_t *a, size_t n, unsigned w)
{
    size_t bytes = ((n - 1) * w + 7) / 8;
    memset(p, 0, bytes + 8);
    size_t bit = 0;
    for (size_t i = 1; i < n; i++, bit += w) {
        uint64_t u = zz((int64_t)((uint64_t)a[i] - (uint64_t)a[i - 1])), x;
        memcpy(&x, p + bit / 8, 8);
        x |= u << (bit % 8);
        memcpy(p + bit / 8, &x, 8);
    }
    return p + bytes + 8;
}

/* Values as packed deltas when that is smaller than the tokens at p0..p:
 * LONG values, or DOUBLE mantissas at one exponent K (mant/mk: each
 * value's mantissa and exponent from the tokens; values that had a smaller
 * exponent are checked again at K). Returns the new end, or p. */
static uint8_t *pack_values(const gts *g, uint8_t *p0, uint8_t *p, int64_t *mant, const uint8_t *mk, bool any_raw,
                            uint8_t *width)
{
    size_t n = g->len;
    if (n < 2 || any_raw)
        return p;
    const int64_t *a = g->v.l;
    unsigned K = 0;
    if (g->type == GTS_DOUBLE) {
        for (size_t i = 0; i < n; i++)
            K = mk[i] > K ? mk[i] : K;
        for (size_t i = 0; i < n; i++)
            if (mk[i] != K && !decimal(g->v.d[i], K, &mant[i]))
                return p;
        a = mant;
    }
    uint64_t any = 0;
    for (size_t i = 1; i < n; i++)
        any |= zz((int64_t)((uint64_t)a[i] - (uint64_t)a[i - 1]));
    unsigned w = bit_width(any); /* the widest delta's width bounds them all */
    size_t size = (g->type == GTS_DOUBLE) + 10 + ((n - 1) * w + 7) / 8 + 8;
    if (w > PACK_MAX_WIDTH || size >= (size_t)(p - p0))
        return p;
    p = p0;
    if (g->type == GTS_DOUBLE)
        *p++ = (uint8_t)K;
    p = put_varint(p, zz(a[0]));
    *width = (uint8_t)(w + 1);
    return put_packed(p, a, n, w);
}

/* Encodes the n points of g (LONG/DOUBLE, ascending or not) into b. */
static bool encode_block(exo_vm *vm, gts_store *st, const gts *g, store_block *b)
{
    /* scratch: the tokens, then each DOUBLE's mantissa and exponent */
    size_t n = g->len, need = n * (WORST_POINT + 9) + 16;
    if (st->scratch_cap < need) {
        uint8_t *p = vm_realloc(vm, st->scratch, st->scratch_cap, need);
        if (!p)
            return false;
        st->scratch = p;
        st->scratch_cap = need;
    }
    const int64_t *t = g->ticks;
    uint8_t *p = st->scratch;
    /* ticks: tokens (u & 1) ? a run of u >> 1 equal steps : a step change
     * dod = unzz(u >> 1); u == 0: the change follows in 8 raw bytes */
    int64_t tmin = t[0], tmax = t[0];
    bool sorted = true;
    uint64_t prev_d = 0, run = 0;
    for (size_t i = 1; i < n; i++) {
        uint64_t d = (uint64_t)t[i] - (uint64_t)t[i - 1], dod = d - prev_d;
        prev_d = d;
        tmin = t[i] < tmin ? t[i] : tmin;
        tmax = t[i] > tmax ? t[i] : tmax;
        sorted = sorted && t[i] >= t[i - 1];
        if (dod == 0) {
            run++;
            continue;
        }
        if (run) {
            p = put_varint(p, run << 1 | 1);
            run = 0;
        }
        uint64_t z = zz((int64_t)dod);
        if (z < (1ull << 62)) {
            p = put_varint(p, z << 1);
        } else {
            *p++ = 0;
            p = put_raw(p, dod);
        }
    }
    if (run)
        p = put_varint(p, run << 1 | 1);
    size_t tbytes = (size_t)(p - st->scratch);
    int64_t *mant = (int64_t *)(st->scratch + n * WORST_POINT + 16);
    uint8_t *mk = (uint8_t *)(mant + n);
    bool any_raw = false;
    if (g->type == GTS_LONG) {
        uint64_t prev = 0;
        for (size_t i = 0; i < n; i++) {
            uint64_t v = (uint64_t)g->v.l[i];
            p = put_varint(p, zz((int64_t)(v - prev)));
            prev = v;
        }
    } else {
        /* tokens: (u & 1) == 0: mantissa step unzz(u >> 1) at exponent k;
         * else code u >> 1: 0 raw bits follow, 1 + k a new exponent then
         * the mantissa unzz(varint) */
        unsigned k = 0;
        int64_t pm = 0, m;
        for (size_t i = 0; i < n; i++) {
            double d = g->v.d[i];
            if (decimal(d, k, &m)) {
                p = put_varint(p, zz((int64_t)((uint64_t)m - (uint64_t)pm)) << 1);
                pm = mant[i] = m;
                mk[i] = (uint8_t)k;
                continue;
            }
            unsigned j = 0;
            while (j < 18 && !decimal(d, j, &m))
                j++;
            if (j < 18) {
                k = j;
                p = put_varint(p, (uint64_t)(1 + k) << 1 | 1);
                p = put_varint(p, zz(m));
                pm = mant[i] = m;
                mk[i] = (uint8_t)k;
            } else {
                *p++ = 1; /* code 0 */
                p = put_raw(p, bits(d));
                any_raw = true;
            }
        }
    }
    b->vwidth = 0;
    p = pack_values(g, st->scratch + tbytes, p, mant, mk, any_raw, &b->vwidth);
    size_t nbytes = (size_t)(p - st->scratch);
    b->bytes = vm_alloc(vm, nbytes ? nbytes : 1);
    if (!b->bytes)
        return false;
    memcpy(b->bytes, st->scratch, nbytes);
    b->tbytes = tbytes;
    b->nbytes = nbytes;
    b->n = (uint32_t)n;
    b->type = (uint8_t)g->type;
    b->sorted = sorted;
    b->t0 = t[0];
    b->tmin = tmin;
    b->tmax = tmax;
    return true;
}

/* Decodes the ticks of b into t (b->n of them). */
static void decode_ticks(const store_block *b, int64_t *t)
{
    const uint8_t *p = b->bytes;
    uint64_t cur = (uint64_t)b->t0, d = 0;
    size_t i = 0, n = b->n;
    t[i++] = (int64_t)cur;
    while (i < n) {
        uint64_t u;
        p = get_varint(p, &u);
        if (u & 1) {
            for (uint64_t r = u >> 1; r; r--) {
                cur += d;
                t[i++] = (int64_t)cur;
            }
            continue;
        }
        uint64_t dod;
        if (u == 0) {
            memcpy(&dod, p, 8);
            p += 8;
        } else {
            dod = (uint64_t)unzz(u >> 1);
        }
        d += dod;
        cur += d;
        t[i++] = (int64_t)cur;
    }
}

/* Decodes packed values (b->vwidth != 0). */
static void decode_packed(const store_block *b, void *v)
{
    const uint8_t *p = b->bytes + b->tbytes;
    size_t n = b->n;
    unsigned k = b->type == GTS_DOUBLE ? *p++ : 0, w = b->vwidth - 1u;
    uint64_t m, mask = w ? ~0ull >> (64 - w) : 0;
    p = get_varint(p, &m);
    m = (uint64_t)unzz(m);
    int64_t *l = v;
    double *d = v;
    for (size_t i = 0, bit = 0;; i++, bit += w) {
        if (b->type == GTS_LONG)
            l[i] = (int64_t)m;
        else
            d[i] = k ? (double)(int64_t)m / pow10_d[k] : (double)(int64_t)m;
        if (i + 1 == n)
            break;
        uint64_t x;
        memcpy(&x, p + bit / 8, 8);
        m += (uint64_t)unzz((x >> (bit % 8)) & mask);
    }
}

/* Decodes the values of b into v (int64_t or double, b->n of them). */
static void decode_values(const store_block *b, void *v)
{
    if (b->vwidth) {
        decode_packed(b, v);
        return;
    }
    const uint8_t *p = b->bytes + b->tbytes;
    size_t n = b->n;
    if (b->type == GTS_LONG) {
        int64_t *l = v;
        uint64_t prev = 0, u;
        for (size_t i = 0; i < n; i++) {
            p = get_varint(p, &u);
            prev += (uint64_t)unzz(u);
            l[i] = (int64_t)prev;
        }
        return;
    }
    double *d = v;
    unsigned k = 0;
    uint64_t m = 0, u;
    for (size_t i = 0; i < n; i++) {
        p = get_varint(p, &u);
        if (!(u & 1)) {
            m += (uint64_t)unzz(u >> 1);
        } else if (u == 1) {
            uint64_t raw;
            memcpy(&raw, p, 8);
            p += 8;
            memcpy(&d[i], &raw, 8);
            continue;
        } else {
            k = (unsigned)(u >> 1) - 1;
            p = get_varint(p, &u);
            m = (uint64_t)unzz(u);
        }
        d[i] = k ? (double)(int64_t)m / pow10_d[k] : (double)(int64_t)m;
    }
}

/* ---- staging ---- */

/* Moves the staged points of series s into a new block when they can be
 * encoded (LONG/DOUBLE, no location or elevation). */
static bool flush_series(exo_vm *vm, gts_store *st, store_series *s)
{
    gts *g = s->g;
    if (g->len == 0 || (g->type != GTS_LONG && g->type != GTS_DOUBLE) || g->loc || g->elev)
        return true;
    if (s->nblocks == s->bcap && !vm_grow(vm, (void **)&s->blocks, &s->bcap, s->nblocks + 1, sizeof(store_block)))
        return false;
    if (!encode_block(vm, st, g, &s->blocks[s->nblocks]))
        return false;
    s->nblocks++;
    s->nencoded += g->len;
    gts_truncate(vm, g, 0);
    g->sorted = GTS_ASC;
    return true;
}

static bool on_flush(exo_vm *vm, gts_reader *r, gts *g, bool leaving)
{
    gts_store *st = r->ctx;
    store_series *s = &st->series[st->cur];
    (void)g;
    if (!leaving)
        return flush_series(vm, st, s); /* full: encode, reuse the arrays */
    if (s->g->len < MIN_BLOCK)
        return true; /* interleaved series: keep small runs staged */
    /* a series left is usually complete: encode it and free the arrays */
    return flush_series(vm, st, s) && (s->g->len || gts_shrink_to_fit(vm, s->g));
}

/* Reader callback: the stored series with g's class and labels, or g. */
static bool on_series(exo_vm *vm, gts_reader *r, gts *g)
{
    gts_store *s = r->ctx;
    if ((s->n + 1) * 2 > s->icap && !rehash(vm, s))
        goto fail;
    bool found;
    size_t i = find(s, g, store_series_hash(g), &found);
    if (found) {
        size_t k = s->index[i] - 1;
        gts *old = s->series[k].g;
        if (g->attrs->len && !gts_copy_map(vm, &old->attrs, g->attrs))
            goto fail;
        val_release(vm, v_obj(T_GTS, g));
        r->cur = old;
        s->cur = k;
        return true;
    }
    if (s->n >= UINT32_MAX - 1) {
        vm_limit(vm, "The store cannot hold more than %u series.", UINT32_MAX - 1);
        goto fail;
    }
    if (!vm_grow(vm, (void **)&s->series, &s->cap, s->n + 1, sizeof(store_series)))
        goto fail;
    s->series[s->n] = (store_series){.g = g};
    s->cur = s->n++;
    s->index[i] = (uint32_t)s->n;
    r->cur = g;
    return true;
fail:
    val_release(vm, v_obj(T_GTS, g));
    return false;
}

bool store_load(exo_vm *vm, const char *text, size_t len, const char *name)
{
    if (!vm->store) {
        vm->store = vm_calloc(vm, sizeof(gts_store));
        if (!vm->store)
            return false;
    }
    gts_store *s = vm->store;
    const char *src = vm_intern_file(vm, name ? name : "data");
    if (!src)
        return false;
    if (!s->reading || s->reader.prefix != src) {
        gts_reader_free(vm, &s->reader);
        int64_t now = INT64_MIN; /* empty and T-relative timestamps need the clock */
        if (vm->caps & EXO_CAP_CLOCK) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
        }
        gts_reader_init(&s->reader, src, now, on_series, s);
        s->reader.flush = on_flush;
        s->reader.flush_at = BLOCK_POINTS;
        s->reading = true;
    }
    return gts_read(vm, &s->reader, text, len);
}

void store_free(exo_vm *vm)
{
    gts_store *s = vm->store;
    if (!s)
        return;
    gts_reader_free(vm, &s->reader);
    for (size_t i = 0; i < s->n; i++) {
        store_series *e = &s->series[i];
        for (size_t b = 0; b < e->nblocks; b++)
            vm_dealloc(vm, e->blocks[b].bytes, e->blocks[b].nbytes ? e->blocks[b].nbytes : 1);
        vm_dealloc(vm, e->blocks, e->bcap * sizeof(store_block));
        val_release(vm, v_obj(T_GTS, e->g));
    }
    vm_dealloc(vm, s->series, s->cap * sizeof(store_series));
    vm_dealloc(vm, s->index, s->icap * sizeof(uint32_t));
    vm_dealloc(vm, s->scratch, s->scratch_cap);
    vm_dealloc(vm, s, sizeof(gts_store));
    vm->store = NULL;
}

/* ---- reading ---- */

bool store_ordered(const store_series *s)
{
    int64_t last = INT64_MIN;
    for (size_t b = 0; b < s->nblocks; b++) {
        const store_block *k = &s->blocks[b];
        if (!k->sorted || k->tmin < last)
            return false;
        last = k->tmax;
    }
    const gts *g = s->g;
    if (!g->len)
        return true;
    return g->sorted == GTS_ASC && g->ticks[0] >= last;
}

/* Ticks of block b into a new array (b->n of them), or NULL. */
static int64_t *block_ticks(exo_vm *vm, const store_block *b)
{
    int64_t *t = vm_alloc(vm, b->n * sizeof(int64_t));
    if (t)
        decode_ticks(b, t);
    return t;
}

/* Index of the first tick >= t (> t when inclusive) in the sorted a[0..n). */
static size_t lower(const int64_t *a, size_t n, int64_t t, bool inclusive)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (inclusive ? a[mid] <= t : a[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool store_count_before(exo_vm *vm, const store_series *s, int64_t t, bool inclusive, size_t *out)
{
    size_t c = 0;
    for (size_t b = 0; b < s->nblocks; b++) {
        const store_block *k = &s->blocks[b];
        if (inclusive ? k->tmax <= t : k->tmax < t) {
            c += k->n;
            continue;
        }
        if (!(inclusive ? k->tmin <= t : k->tmin < t)) {
            *out = c;
            return true;
        }
        int64_t *tk = block_ticks(vm, k);
        if (!tk)
            return false;
        c += lower(tk, k->n, t, inclusive);
        vm_dealloc(vm, tk, k->n * sizeof(int64_t));
        *out = c;
        return true;
    }
    *out = c + lower(s->g->ticks, s->g->len, t, inclusive);
    return true;
}

/* A new GTS with s's metadata, the type of its points and room for n. */
static gts *empty_like(exo_vm *vm, const store_series *s, size_t n)
{
    gts *c = gts_clone(vm, s->g, false);
    if (!c || n == 0)
        return c;
    gts_type t = s->nblocks ? (gts_type)s->blocks[0].type : s->g->type;
    if (!gts_set_type(vm, c, t) || (s->g->loc && !gts_ensure_loc(vm, c)) ||
        (s->g->elev && !gts_ensure_elev(vm, c)) || !gts_reserve(vm, c, n)) {
        val_release(vm, v_obj(T_GTS, c));
        return NULL;
    }
    if (c->loc)
        for (size_t i = 0; i < n; i++)
            c->loc[i] = GTS_NO_LOCATION;
    if (c->elev)
        for (size_t i = 0; i < n; i++)
            c->elev[i] = GTS_NO_ELEVATION;
    return c;
}

/* Copies staged point i of g to point j of c. */
static void copy_staged(gts *c, size_t j, const gts *g, size_t i)
{
    c->ticks[j] = g->ticks[i];
    size_t vs = gts_value_size(g->type);
    memcpy(c->v.b + j * vs, g->v.b + i * vs, vs);
    if (g->type == GTS_STRING)
        g->v.s[i]->h.rc++;
    if (g->loc)
        c->loc[j] = g->loc[i];
    if (g->elev)
        c->elev[j] = g->elev[i];
}

/* Decodes block b into new arrays t and v (b->n each; v holds the value
 * bits, LONG or DOUBLE). */
static bool decode_block(exo_vm *vm, const store_block *b, int64_t **t, int64_t **v)
{
    *t = vm_alloc(vm, b->n * sizeof(int64_t));
    *v = *t ? vm_alloc(vm, b->n * sizeof(int64_t)) : NULL;
    if (!*v) {
        vm_dealloc(vm, *t, b->n * sizeof(int64_t));
        return false;
    }
    decode_ticks(b, *t);
    decode_values(b, *v);
    return true;
}

gts *store_slice_desc(exo_vm *vm, const store_series *s, size_t lo, size_t hi)
{
    size_t n = hi - lo;
    gts *c = empty_like(vm, s, n);
    if (!c || n == 0)
        return c;
    size_t base = 0; /* index of the block's first point */
    for (size_t b = 0; b < s->nblocks && base < hi; b++) {
        const store_block *k = &s->blocks[b];
        size_t a = lo > base ? lo - base : 0, e = hi - base < k->n ? hi - base : k->n;
        if (a < e) {
            int64_t *t, *v;
            if (!decode_block(vm, k, &t, &v)) {
                val_release(vm, v_obj(T_GTS, c));
                return NULL;
            }
            /* point base + i goes to hi - 1 - (base + i) */
            for (size_t i = a; i < e; i++) {
                size_t j = hi - 1 - (base + i);
                c->ticks[j] = t[i];
                c->v.l[j] = v[i];
            }
            vm_dealloc(vm, t, k->n * sizeof(int64_t));
            vm_dealloc(vm, v, k->n * sizeof(int64_t));
        }
        base += k->n;
    }
    const gts *g = s->g;
    for (size_t i = lo > base ? lo - base : 0; base + i < hi; i++)
        copy_staged(c, hi - 1 - (base + i), g, i);
    c->len = n;
    /* the flag appending these points one by one would leave */
    size_t k = 1;
    while (k < n && c->ticks[k] == c->ticks[k - 1])
        k++;
    c->sorted = k == n ? GTS_ASC : k == 1 ? GTS_DESC : GTS_UNSORTED;
    return c;
}

gts *store_materialize(exo_vm *vm, const store_series *s)
{
    size_t n = store_len(s);
    gts *c = empty_like(vm, s, n);
    if (!c || n == 0)
        return c;
    size_t j = 0;
    for (size_t b = 0; b < s->nblocks; b++) {
        const store_block *k = &s->blocks[b];
        decode_ticks(k, c->ticks + j);
        decode_values(k, c->v.l + j);
        j += k->n;
    }
    for (size_t i = 0; i < s->g->len; i++)
        copy_staged(c, j + i, s->g, i);
    c->len = n;
    /* the order flag as appending would leave it */
    c->sorted = GTS_ASC;
    for (size_t i = 1; i < n; i++)
        if (c->ticks[i] < c->ticks[i - 1]) {
            c->sorted = GTS_UNSORTED;
            break;
        }
    return c;
}

EXO_API exo_status exo_load_gts_text(exo_vm *vm, const char *text, size_t len, const char *name)
{
    if (!vm || (!text && len))
        return EXO_ERR_USAGE;
    vm_error_clear(vm);
    if (store_load(vm, text ? text : "", len, name))
        return EXO_OK;
    if (vm->err.code == EXO_OK)
        vm->err.code = EXO_ERR_RUNTIME;
    return vm->err.code;
}
