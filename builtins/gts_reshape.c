/* GTS words that cut series apart or put them back together: CHUNK, FUSE,
 * COPYGEO, LOCATIONOFFSET. They follow Warp 10's GTSHelper.chunk / fuse /
 * copyGeo and LOCATIONOFFSET, including the order in which points land in
 * the results (CHUNK fills its chunks newest first, FUSE appends the chunks
 * one after the other) since that order is what a script sees.
 * Like Warp 10, CHUNK, COPYGEO and LOCATIONOFFSET sort their input series
 * in place. Every operand is checked before anything is popped. */
#include "gts_words.h"
#include "hhcode.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- CHUNK ---- */

typedef struct chunk_args {
    int64_t lastchunk, width, overlap, count;
    const str *label;
    bool keepempty;
} chunk_args;

/* Wrapping arithmetic, as Java's long. */
static int64_t wadd(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wsub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t wmul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

/* A chunk: its end tick and its series. */
typedef struct chunk_slot {
    int64_t end;
    gts *g;
} chunk_slot;

typedef struct chunk_vec {
    chunk_slot *a;
    size_t n, cap;
} chunk_vec;

static void chunks_free(exo_vm *vm, chunk_vec *v)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->a[i].g)
            val_release(vm, v_obj(T_GTS, v->a[i].g));
    if (v->a)
        vm_dealloc(vm, v->a, v->cap * sizeof(chunk_slot));
    v->a = NULL;
    v->n = v->cap = 0;
}

/* Appends (end, g); g is consumed, also on failure. */
static bool chunks_push(exo_vm *vm, const word *w, chunk_vec *v, int64_t end, gts *g)
{
    if (v->n >= vm->limits.maxlist) {
        val_release(vm, v_obj(T_GTS, g));
        return vm_limit(vm, "%s would produce more than %llu chunks (maxlist).", w->name,
                        (unsigned long long)vm->limits.maxlist);
    }
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 8;
        chunk_slot *na = vm_alloc(vm, nc * sizeof(chunk_slot));
        if (!na) {
            val_release(vm, v_obj(T_GTS, g));
            return false;
        }
        if (v->n)
            memcpy(na, v->a, v->n * sizeof(chunk_slot));
        if (v->a)
            vm_dealloc(vm, v->a, v->cap * sizeof(chunk_slot));
        v->a = na;
        v->cap = nc;
    }
    v->a[v->n].end = end;
    v->a[v->n].g = g;
    v->n++;
    return true;
}

/* A chunk series: g's metadata (bucketization included, as the Java
 * constructor gets it) plus label=end. */
static gts *chunk_new(exo_vm *vm, const gts *g, const str *label, int64_t end)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)end);
    gts *c = gts_clone(vm, g, false);
    if (!c)
        return NULL;
    value k = val_retain(v_obj(T_STRING, (str *)label)), v = str_from(vm, num);
    if (val_is_oom(v) || !map_put(vm, c->labels, k, v)) {
        if (val_is_oom(v))
            val_release(vm, k);
        val_release(vm, v_obj(T_GTS, c));
        return NULL;
    }
    return c;
}

/* What CHUNK will do with one series: the checks (nothing changed yet) and
 * the effective last chunk end and chunk count. */
typedef struct chunk_plan {
    int64_t lastchunk, count;
    bool empty;    /* nothing to do: an empty LIST of chunks */
    bool zero;     /* chunk count 0: as many as the points need */
    bool keep_all; /* empty chunks built (keepempty or overlap) */
    bool bucketized;
} chunk_plan;

static bool chunk_plan_for(exo_vm *vm, const word *w, const gts *g, const chunk_args *a, chunk_plan *p)
{
    int64_t lastchunk = a->lastchunk, width = a->width, overlap = a->overlap, count = a->count;
    memset(p, 0, sizeof *p);
    if (overlap > width)
        return vm_fail(vm, "%s: overlap cannot exceed chunk width.", w->name);
    if (width <= 0)
        return vm_fail(vm, "%s expects a positive chunk width.", w->name);
    if (map_get(g->labels, v_obj(T_STRING, (str *)a->label)))
        return vm_fail(vm, "%s cannot operate on Geo Time Series which already have a label named '%.*s'.",
                       w->name, (int)a->label->len, a->label->data);
    p->bucketized = gts_is_bucketized(g);
    if (p->bucketized && g->bucketspan > width)
        return vm_fail(vm, "%s cannot operate on Geo Time Series with a bucketspan greater than the chunk width.",
                       w->name);
    if (!p->bucketized && g->len == 0 && lastchunk == 0) {
        p->empty = true;
        return true;
    }
    p->zero = count == 0;
    if (p->zero)
        count = INT32_MAX;
    int64_t newest = INT64_MIN, oldest = INT64_MAX;
    for (size_t i = 0; i < g->len; i++) {
        if (g->ticks[i] > newest)
            newest = g->ticks[i];
        if (g->ticks[i] < oldest)
            oldest = g->ticks[i];
    }
    if (lastchunk == 0) {
        if (p->bucketized) {
            lastchunk = g->lastbucket;
        } else {
            lastchunk = newest;
            if (lastchunk % width != 0)
                lastchunk = wadd(wsub(lastchunk, lastchunk % width), width);
        }
    }
    /* with an overlap, one extra chunk at each end feeds the overlaps */
    if (overlap > 0) {
        count = wadd(count, 2);
        lastchunk = wadd(lastchunk, width);
    }
    /* empty chunks are only kept (for now) with keepempty or an overlap */
    p->keep_all = a->keepempty || overlap > 0;
    if (p->keep_all) {
        /* every chunk is built: bound their number first (maxbuckets, the
         * limit on time slices per GTS) */
        uint64_t n = count > 0 ? (uint64_t)count : 0;
        if (p->zero)
            n = g->len == 0          ? 0
                : lastchunk < oldest ? 1
                                     : ((uint64_t)lastchunk - (uint64_t)oldest) / (uint64_t)width + 1;
        if (n > vm->limits.maxbuckets)
            return vm_limit(vm, "%s would produce more than %llu chunks (maxbuckets).", w->name,
                            (unsigned long long)vm->limits.maxbuckets);
    }
    p->lastchunk = lastchunk;
    p->count = count;
    return true;
}

static bool chunk_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    const chunk_args *a = ctx;
    int64_t width = a->width, overlap = a->overlap;
    chunk_plan p;
    if (!chunk_plan_for(vm, w, g, a, &p))
        return false;
    list *res = NULL;
    if (p.empty) {
        res = list_new(vm, 0);
        if (!res)
            return false;
        *out = v_obj(T_LIST, res);
        return true;
    }
    int64_t lastchunk = p.lastchunk, count = p.count;
    bool zero = p.zero, keep_all = p.keep_all, bucketized = p.bucketized;
    /* newest first, in place as in Warp 10 (a script sees the input sorted) */
    if (!gts_sort(vm, g, true))
        return false;
    gts *s = (gts *)val_retain(v_obj(T_GTS, g)).as.o;
    chunk_vec v = {0};
    size_t idx = 0;
    bool ok = true;
    for (int64_t i = 0; ok && i < count; i++) {
        if (idx >= s->len && (zero || !keep_all))
            break; /* nothing left: later chunks would be empty and dropped */
        int64_t end = wsub(lastchunk, wmul(i, width));
        int64_t start = wadd(wsub(end, width), 1);
        if (!keep_all) {
            while (idx < s->len && s->ticks[idx] > end)
                idx++;
            if (idx < s->len && s->ticks[idx] < start && s->ticks[idx] <= lastchunk) {
                /* skip the empty chunks up to the one holding the next tick */
                uint64_t k = ((uint64_t)lastchunk - (uint64_t)s->ticks[idx]) / (uint64_t)width;
                if (k >= (uint64_t)count)
                    break;
                if (k > (uint64_t)i)
                    i = (int64_t)k - 1;
                continue;
            }
        }
        gts *c = chunk_new(vm, g, a->label, end);
        if (!c) {
            ok = false;
            break;
        }
        if (bucketized) {
            int64_t first = wsub(g->lastbucket, wmul(g->bucketcount, g->bucketspan));
            if (g->lastbucket < start || end <= first) {
                ok = !keep_all ? (val_release(vm, v_obj(T_GTS, c)), true) : chunks_push(vm, w, &v, end, c);
                continue;
            }
            if (width % g->bucketspan == 0) {
                c->lastbucket = end;
                c->bucketcount = (int64_t)(int32_t)(width / g->bucketspan); /* a Java int */
            } else {
                c->bucketspan = c->bucketcount = c->lastbucket = 0;
            }
        }
        while (idx < s->len && s->ticks[idx] > end)
            idx++;
        while (ok && idx < s->len && s->ticks[idx] >= start)
            ok = gts_add_from(vm, c, s, idx++);
        if (!ok) {
            val_release(vm, v_obj(T_GTS, c));
            break;
        }
        if (c->len || keep_all)
            ok = chunks_push(vm, w, &v, end, c);
        else
            val_release(vm, v_obj(T_GTS, c));
    }
    val_release(vm, v_obj(T_GTS, s));
    if (!ok)
        goto fail;
    /* oldest chunk first (v holds them newest first) */
    for (size_t i = 0, j = v.n ? v.n - 1 : 0; i < j; i++, j--) {
        chunk_slot t = v.a[i];
        v.a[i] = v.a[j];
        v.a[j] = t;
    }
    if (overlap > 0) {
        size_t *sizes = vm_alloc(vm, (v.n ? v.n : 1) * sizeof(size_t));
        if (!sizes)
            goto fail;
        for (size_t i = 0; i < v.n; i++)
            sizes[i] = v.a[i].g->len;
        for (size_t i = 0; ok && i < v.n; i++) {
            gts *cur = v.a[i].g;
            int64_t lower = wsub(wadd(wsub(v.a[i].end, width), 1), overlap), upper = wadd(v.a[i].end, overlap);
            if (i > 0) { /* the older chunk, newest points first */
                gts *prev = v.a[i - 1].g;
                for (size_t j = 0; ok && j < sizes[i - 1] && prev->ticks[j] >= lower; j++)
                    ok = gts_add_from(vm, cur, prev, j);
            }
            if (i + 1 < v.n) { /* the newer chunk, oldest points first */
                gts *next = v.a[i + 1].g;
                for (size_t j = sizes[i + 1]; ok && j-- > 0 && next->ticks[j] <= upper;)
                    ok = gts_add_from(vm, cur, next, j);
            }
        }
        vm_dealloc(vm, sizes, (v.n ? v.n : 1) * sizeof(size_t));
        if (!ok)
            goto fail;
        /* drop the two extra chunks */
        int64_t oldest = wsub(lastchunk, wmul(wsub(count, 1), width));
        for (size_t i = 0; i < v.n; i++) {
            if (v.a[i].end == lastchunk || v.a[i].end == oldest) {
                val_release(vm, v_obj(T_GTS, v.a[i].g));
                v.a[i].g = NULL;
            }
        }
    }
    res = list_new(vm, v.n);
    if (!res)
        goto fail;
    for (size_t i = 0; i < v.n; i++) {
        gts *c = v.a[i].g;
        if (!c || (!a->keepempty && c->len == 0))
            continue;
        v.a[i].g = NULL;
        list_push(vm, res, v_obj(T_GTS, c)); /* reserved */
    }
    chunks_free(vm, &v);
    *out = v_obj(T_LIST, res);
    return true;
fail:
    chunks_free(vm, &v);
    return false;
}

/* gts lastchunk chunkwidth overlap chunkcount label keepempty CHUNK */
static bool w_chunk(exo_vm *vm, const word *w)
{
    chunk_args a;
    value keep = *vm_peek(vm, 0), label = *vm_peek(vm, 1);
    if (keep.type != T_BOOLEAN)
        return vm_type_error(vm, w, 1, "a BOOLEAN (keep empty chunks)");
    if (label.type != T_STRING)
        return vm_type_error(vm, w, 2, "a STRING chunk label name");
    if (!gw_long_arg(vm, w, 3, &a.count) || !gw_long_arg(vm, w, 4, &a.overlap) || !gw_long_arg(vm, w, 5, &a.width) ||
        !gw_long_arg(vm, w, 6, &a.lastchunk) || !gw_gts_or_list(vm, w, 7))
        return false;
    if (a.overlap < 0)
        a.overlap = 0;
    a.keepempty = keep.as.b;
    a.label = AS_STR(label);
    /* every series of a LIST is checked before any is sorted */
    value in = *vm_peek(vm, 6);
    if (in.type == T_LIST) {
        for (size_t i = 0; i < AS_LIST(in)->len; i++) {
            chunk_plan p;
            if (!chunk_plan_for(vm, w, AS_GTS(AS_LIST(in)->items[i]), &a, &p))
                return false;
        }
    }
    value r;
    return gw_map(vm, w, 7, chunk_one, &a, &r) && gw_replace(vm, 7, r);
}

/* ---- COPYGEO ---- */

/* GTSHelper.copyGeo: both series sorted by tick in place, then each point
 * of `to` whose tick `from` has takes the location and elevation (absent
 * ones included) of the matching point of `from`. `to` is changed in place
 * and is the result, as in Warp 10. */
static bool copygeo_one(exo_vm *vm, const word *w, gts *to, void *ctx, value *out)
{
    (void)w;
    gts *from = ctx;
    if (!gts_sort(vm, from, false) || !gts_sort(vm, to, false))
        return false;
    size_t fi = 0, ti = 0;
    while (ti < to->len && fi < from->len) {
        while (fi < from->len && from->ticks[fi] < to->ticks[ti])
            fi++;
        if (fi >= from->len)
            break;
        while (ti < to->len && to->ticks[ti] < from->ticks[fi])
            ti++;
        if (ti >= to->len)
            break;
        if (to->ticks[ti] == from->ticks[fi]) {
            int64_t loc = from->loc ? from->loc[fi] : GTS_NO_LOCATION;
            int64_t elev = from->elev ? from->elev[fi] : GTS_NO_ELEVATION;
            if (loc != GTS_NO_LOCATION || to->loc) {
                if (!gts_ensure_loc(vm, to))
                    return false;
                to->loc[ti] = loc;
            }
            if (elev != GTS_NO_ELEVATION || to->elev) {
                if (!gts_ensure_elev(vm, to))
                    return false;
                to->elev[ti] = elev;
            }
            fi++;
        }
    }
    *out = val_retain(v_obj(T_GTS, to));
    return true;
}

/* gts|[gts..] geo COPYGEO */
static bool w_copygeo(exo_vm *vm, const word *w)
{
    gts *from = gw_gts_arg(vm, w, 1);
    if (!from || !gw_gts_or_list(vm, w, 2))
        return false;
    value r;
    return gw_map(vm, w, 2, copygeo_one, from, &r) && gw_replace(vm, 2, r);
}

/* ---- FUSE ---- */

/* GTSHelper.fuse: the points of all the series, appended in list order
 * (not sorted). The type is that of the first typed series; a non-empty
 * series of another type is an error. The class is kept when all series
 * share it; the labels are the first series' labels minus those a later
 * series gives another value (a label a later series lacks stays, as in
 * Warp 10); no attributes. The result is bucketized when every series is,
 * with one bucketspan and congruent lastbuckets. */
static bool w_fuse(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    if (!gw_is_gts_list(top))
        return vm_type_error(vm, w, 1, "a LIST of GTS");
    list *l = AS_LIST(top);
    gts_type type = GTS_UNDEFINED;
    bool typed = false;
    size_t size = 0;
    for (size_t i = 0; i < l->len; i++) {
        gts *c = AS_GTS(l->items[i]);
        if (!typed) {
            if (c->type != GTS_UNDEFINED) {
                type = c->type;
                typed = true;
            }
            continue;
        }
        if (c->len && c->type != type)
            return vm_fail(vm, "%s: inconsistent types for chunks to fuse.", w->name);
        size += c->len;
    }
    gts *f = gts_new(vm);
    if (!f)
        return false;
    if (l->len == 0)
        return gw_replace(vm, 1, v_obj(T_GTS, f));
    int64_t lastbucket = INT64_MIN, bucketspan = 0, firstbucket = INT64_MAX;
    for (size_t i = 0; i < l->len; i++) {
        gts *c = AS_GTS(l->items[i]);
        if (!gts_is_bucketized(c)) {
            bucketspan = 0;
            break;
        }
        int64_t first = wsub(c->lastbucket, wmul(c->bucketspan, c->bucketcount - 1));
        if (bucketspan == 0) {
            bucketspan = c->bucketspan;
            lastbucket = c->lastbucket;
            firstbucket = first;
        } else {
            if (bucketspan != c->bucketspan || lastbucket % bucketspan != c->lastbucket % bucketspan) {
                bucketspan = 0;
                break;
            }
            if (c->lastbucket > lastbucket)
                lastbucket = c->lastbucket;
            if (first < firstbucket)
                firstbucket = first;
        }
    }
    if (bucketspan != 0) {
        f->bucketspan = bucketspan;
        f->lastbucket = lastbucket;
        f->bucketcount = (int64_t)(int32_t)(1 + wsub(lastbucket, firstbucket) / bucketspan);
    }
    bool ok = gts_reserve(vm, f, size ? size : 1);
    gts *first = AS_GTS(l->items[0]);
    bool same_class = true;
    ok = ok && gts_copy_map(vm, &f->labels, first->labels);
    for (size_t i = 0; ok && i < l->len; i++) {
        gts *c = AS_GTS(l->items[i]);
        if (i > 0) {
            if (!val_equals(c->cls, first->cls, false))
                same_class = false;
            for (size_t k = 0; ok && k < c->labels->len; k++) {
                value *mine = map_get(f->labels, c->labels->ents[k].key);
                if (mine && !val_equals(*mine, c->labels->ents[k].val, false)) {
                    value old;
                    ok = map_remove(vm, f->labels, c->labels->ents[k].key, &old);
                    if (ok)
                        val_release(vm, old);
                }
            }
        }
        for (size_t p = 0; ok && p < c->len; p++)
            ok = gts_add_from(vm, f, c, p);
    }
    if (ok && same_class) {
        val_release(vm, f->cls);
        f->cls = val_retain(first->cls);
    }
    if (!ok) {
        val_release(vm, v_obj(T_GTS, f));
        return false;
    }
    return gw_replace(vm, 1, v_obj(T_GTS, f));
}

/* ---- LOCATIONOFFSET ---- */

/* LOCATIONOFFSET.java: the input sorted by tick (in place); the first and
 * last points, and in between the located points at least dist metres
 * (GeoXP loxodromic distance) from the last one kept. */
static bool locoffset_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    double dist = *(const double *)ctx;
    gts *r = gts_clone(vm, g, false);
    if (!r || !gts_sort(vm, g, false))
        goto fail;
    if (g->len) {
        int64_t last = g->loc ? g->loc[0] : GTS_NO_LOCATION;
        if (!gts_add_from(vm, r, g, 0))
            goto fail;
        for (size_t i = 1; i + 1 < g->len; i++) {
            int64_t loc = g->loc ? g->loc[i] : GTS_NO_LOCATION;
            if (loc == GTS_NO_LOCATION)
                continue;
            if (last != GTS_NO_LOCATION && !(hh_lox_distance(last, loc) >= dist))
                continue;
            last = loc;
            if (!gts_add_from(vm, r, g, i))
                goto fail;
        }
        if (g->len > 1 && !gts_add_from(vm, r, g, g->len - 1))
            goto fail;
    }
    *out = v_obj(T_GTS, r);
    return true;
fail:
    if (r)
        val_release(vm, v_obj(T_GTS, r));
    return false;
}

/* gts|[gts..] dist LOCATIONOFFSET */
static bool w_locationoffset(exo_vm *vm, const word *w)
{
    value d = *vm_peek(vm, 0);
    if (!val_is_number(d))
        return vm_type_error(vm, w, 1, "a distance in metres (number)");
    if (!gw_gts_or_list(vm, w, 2))
        return false;
    double dist = val_as_double(d);
    value r;
    return gw_map(vm, w, 2, locoffset_one, &dist, &r) && gw_replace(vm, 2, r);
}

static const word gts_reshape_words[] = {
    EXO_WORD("CHUNK", w_chunk, 7, "gts lastchunk width overlap count label keepempty -- [gts..]",
             "Cuts a GTS into chunks of width time units ending at lastchunk (0: automatic), newest last; "
             "each chunk is labelled with its end tick."),
    EXO_WORD("COPYGEO", w_copygeo, 2, "gts|[gts..] geo -- gts|[gts..]",
             "Sorts the GTS by tick and gives their points the location and elevation of geo's points at the "
             "same ticks (in place)."),
    EXO_WORD("FUSE", w_fuse, 1, "[gts..] -- gts",
             "All the points of the GTS in one GTS, in list order (the reverse of CHUNK): common class and labels."),
    EXO_WORD("LOCATIONOFFSET", w_locationoffset, 2, "gts|[gts..] dist -- gts'|[gts'..]",
             "Keeps the first and last points and the located points at least dist metres from the last kept one."),
};

EXO_FAMILY(gts_reshape, gts_reshape_words)
