/* GTS words (spec e.11): construction, metadata, point access.
 * RENAME, RELABEL, SETATTRIBUTES, ADDVALUE, SETVALUE and UNBUCKETIZE mutate
 * their input and push it back (aliasing is visible, as in Warp 10); the
 * other words build new values. Words that accept "a GTS or a LIST of GTS"
 * go through gw_map, which answers a LIST for a LIST. Every operand is
 * checked before anything is popped. */
#include "gts_words.h"

#include "../interp/sbuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- shared helpers (declared in gts_words.h) ---- */

bool gw_is_gts_list(value v)
{
    if (v.type != T_LIST)
        return false;
    list *l = AS_LIST(v);
    for (size_t i = 0; i < l->len; i++)
        if (l->items[i].type != T_GTS)
            return false;
    return true;
}

gts *gw_gts_arg(exo_vm *vm, const word *w, int depth)
{
    value *v = vm_peek(vm, (size_t)depth - 1);
    if (v->type != T_GTS) {
        vm_type_error(vm, w, depth, "a GTS");
        return NULL;
    }
    return AS_GTS(*v);
}

bool gw_gts_or_list(exo_vm *vm, const word *w, int depth)
{
    value v = *vm_peek(vm, (size_t)depth - 1);
    if (v.type == T_GTS || gw_is_gts_list(v))
        return true;
    return vm_type_error(vm, w, depth, "a GTS or a LIST of GTS");
}

bool gw_long_arg(exo_vm *vm, const word *w, int depth, int64_t *out)
{
    value *v = vm_peek(vm, (size_t)depth - 1);
    *out = 0;
    if (v->type != T_LONG)
        return vm_type_error(vm, w, depth, "a LONG");
    *out = v->as.l;
    return true;
}

bool gw_long_list(exo_vm *vm, const int64_t *a, size_t n, value *out)
{
    if (n > vm->limits.maxlist)
        return vm_limit(vm, "List size %zu would exceed the limit of %llu (maxlist).", n,
                        (unsigned long long)vm->limits.maxlist);
    list *l = list_new(vm, n);
    if (!l)
        return false;
    for (size_t i = 0; i < n; i++)
        l->items[i] = v_long(a[i]);
    l->len = n;
    *out = v_obj(T_LIST, l);
    return true;
}

bool gw_replace(exo_vm *vm, size_t n, value result)
{
    vm_drop(vm, n);
    return vm_push(vm, result); /* n >= 1 slots were just freed */
}

bool gw_map(exo_vm *vm, const word *w, int depth, gw_map_fn fn, void *ctx, value *out)
{
    value v = *vm_peek(vm, (size_t)depth - 1);
    if (v.type == T_GTS)
        return fn(vm, w, AS_GTS(v), ctx, out);
    list *in = AS_LIST(v), *res = list_new(vm, in->len);
    if (!res)
        return false;
    for (size_t i = 0; i < in->len; i++) {
        value r;
        if (!fn(vm, w, AS_GTS(in->items[i]), ctx, &r)) {
            val_release(vm, v_obj(T_LIST, res));
            return false;
        }
        list_push(vm, res, r); /* reserved */
    }
    *out = v_obj(T_LIST, res);
    return true;
}

/* ---- construction ---- */

static bool w_newgts(exo_vm *vm, const word *w)
{
    (void)w;
    gts *g = gts_new(vm);
    return g && vm_push(vm, v_obj(T_GTS, g));
}

/* Reads lat/lon/elev operands (numbers; NaN = none) into packed form. */
static bool geo_args(exo_vm *vm, const word *w, value lat, value lon, value elev, int base, int64_t *loc,
                     int64_t *el)
{
    if (!val_is_number(lat))
        return vm_type_error(vm, w, base + 2, "a number or NaN latitude");
    if (!val_is_number(lon))
        return vm_type_error(vm, w, base + 1, "a number or NaN longitude");
    if (!val_is_number(elev))
        return vm_type_error(vm, w, base, "a number or NaN elevation");
    double la = val_as_double(lat), lo = val_as_double(lon);
    *loc = isnan(la) || isnan(lo) ? GTS_NO_LOCATION : gts_pack_location(la, lo);
    if (elev.type == T_DOUBLE && isnan(elev.as.d))
        *el = GTS_NO_ELEVATION;
    else
        *el = elev.type == T_LONG ? elev.as.l : (int64_t)elev.as.d;
    return true;
}

static bool value_ok(exo_vm *vm, const word *w, value v, int depth)
{
    if (v.type == T_NULL || gts_type_of(v) != GTS_UNDEFINED)
        return true;
    return vm_type_error(vm, w, depth, "a LONG, DOUBLE, BOOLEAN, STRING, BYTES or NULL value");
}

/* Overwrites the first point at tick, or appends (SETVALUE). */
static bool set_point(exo_vm *vm, gts *g, int64_t tick, int64_t loc, int64_t elev, value v)
{
    int64_t i = v.type == T_NULL ? -1 : gts_find_tick(g, tick);
    if (i < 0)
        return gts_add(vm, g, tick, loc, elev, v);
    if ((loc != GTS_NO_LOCATION && !gts_ensure_loc(vm, g)) || (elev != GTS_NO_ELEVATION && !gts_ensure_elev(vm, g)))
        return false;
    gts_slot s;
    if (!gts_convert(vm, g->type, v, &s))
        return false;
    switch (g->type) {
    case GTS_LONG:
        g->v.l[i] = s.l;
        break;
    case GTS_DOUBLE:
        g->v.d[i] = s.d;
        break;
    case GTS_BOOLEAN:
        g->v.b[i] = s.b;
        break;
    case GTS_STRING:
        val_release(vm, v_obj(T_STRING, g->v.s[i]));
        g->v.s[i] = s.s;
        break;
    default:
        break;
    }
    if (g->loc)
        g->loc[i] = loc;
    if (g->elev)
        g->elev[i] = elev;
    return true;
}

/* ADDVALUE / SETVALUE (magic 1): gts tick lat lon elev value, or gts [..]. */
static bool w_addvalue(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    int64_t tick = 0, loc = GTS_NO_LOCATION, elev = GTS_NO_ELEVATION;
    value v;
    size_t nargs;
    if (top.type == T_LIST && vm_peek(vm, 1)->type == T_GTS) {
        list *l = AS_LIST(top);
        value *it = l->items;
        if (l->len < 2 || l->len > 5)
            return vm_fail(vm, "%s expects a LIST [tick (lat lon) (elev) value], got %zu elements.", w->name, l->len);
        if (it[0].type != T_LONG)
            return vm_fail(vm, "%s expects the tick of the LIST to be a LONG, got %s.", w->name,
                           val_type_name(it[0]));
        tick = it[0].as.l;
        v = it[l->len - 1];
        value nan = v_double(NAN);
        value lat = l->len >= 4 ? it[1] : nan, lon = l->len >= 4 ? it[2] : nan;
        value el = l->len == 3 ? it[1] : l->len == 5 ? it[3] : nan;
        if (!val_is_number(lat) || !val_is_number(lon) || !val_is_number(el))
            return vm_fail(vm, "%s expects numeric (or NaN) latitude, longitude and elevation in the LIST.", w->name);
        geo_args(vm, w, lat, lon, el, 2, &loc, &elev);
        if (v.type != T_NULL && gts_type_of(v) == GTS_UNDEFINED)
            return vm_fail(vm, "%s expects a LONG, DOUBLE, BOOLEAN, STRING, BYTES or NULL value, got %s.", w->name,
                           val_type_name(v));
        nargs = 1;
    } else {
        if (!vm_need(vm, 6))
            return false;
        if (!gw_gts_arg(vm, w, 6) || !gw_long_arg(vm, w, 5, &tick) ||
            !geo_args(vm, w, *vm_peek(vm, 3), *vm_peek(vm, 2), *vm_peek(vm, 1), 2, &loc, &elev) ||
            !value_ok(vm, w, top, 1))
            return false;
        v = top;
        nargs = 5;
    }
    gts *g = AS_GTS(*vm_peek(vm, nargs));
    bool ok = w->magic ? set_point(vm, g, tick, loc, elev, v) : gts_add(vm, g, tick, loc, elev, v);
    if (!ok)
        return false;
    vm_drop(vm, nargs);
    return true;
}

static bool w_removetick(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    if (top.type == T_LIST) {
        list *l = AS_LIST(top);
        for (size_t i = 0; i < l->len; i++)
            if (l->items[i].type != T_LONG)
                return vm_fail(vm, "%s expects a tick (LONG) or a LIST of ticks, got a LIST holding %s.", w->name,
                               val_type_name(l->items[i]));
    } else if (top.type != T_LONG) {
        return vm_type_error(vm, w, 1, "a tick (LONG) or a LIST of ticks");
    }
    gts *g = gw_gts_arg(vm, w, 2);
    if (!g)
        return false;
    gts *r = gts_clone(vm, g, false);
    if (!r)
        return false;
    for (size_t i = 0; i < g->len; i++) {
        bool drop = false;
        if (top.type == T_LONG) {
            drop = g->ticks[i] == top.as.l;
        } else {
            list *l = AS_LIST(top);
            for (size_t k = 0; k < l->len && !drop; k++)
                drop = l->items[k].as.l == g->ticks[i];
        }
        if (!drop && !gts_add_from(vm, r, g, i)) {
            val_release(vm, v_obj(T_GTS, r));
            return false;
        }
    }
    return gw_replace(vm, 2, v_obj(T_GTS, r));
}

/* ticks lats lons elevs values MAKEGTS: the longest list sets the size;
 * missing ticks continue from the last one, missing values repeat the last. */
static bool w_makegts(exo_vm *vm, const word *w)
{
    static const char *const what[] = {"a LIST of values", "a LIST of elevations", "a LIST of longitudes",
                                       "a LIST of latitudes", "a LIST of ticks"};
    list *ls[5];
    size_t len = 0;
    for (int d = 0; d < 5; d++) {
        value *v = vm_peek(vm, (size_t)d);
        if (v->type != T_LIST)
            return vm_type_error(vm, w, d + 1, what[d]);
        ls[d] = AS_LIST(*v);
        if (ls[d]->len > len)
            len = ls[d]->len;
    }
    list *vals = ls[0], *elevs = ls[1], *lons = ls[2], *lats = ls[3], *ticks = ls[4];
    for (int d = 1; d < 5; d++)
        for (size_t i = 0; i < ls[d]->len; i++)
            if (!val_is_number(ls[d]->items[i]))
                return vm_fail(vm, "%s expects numbers in %s, got %s.", w->name, what[d] + 2,
                               val_type_name(ls[d]->items[i]));
    if (len && !vals->len)
        return vm_fail(vm, "%s expects at least one value.", w->name);
    for (size_t i = 0; i < vals->len; i++)
        if (!value_ok(vm, w, vals->items[i], 1))
            return false;
    gts *g = gts_new(vm);
    if (!g || !gts_reserve(vm, g, len))
        goto fail;
    int64_t last = -1;
    for (size_t i = 0; i < len; i++) {
        value v = i < vals->len ? vals->items[i] : vals->items[vals->len - 1];
        int64_t elev = GTS_NO_ELEVATION, loc = GTS_NO_LOCATION, tick = last + 1;
        if (i < elevs->len) {
            value e = elevs->items[i];
            elev = e.type == T_LONG ? e.as.l : (int64_t)e.as.d;
        }
        if (i < lats->len && i < lons->len)
            loc = gts_pack_location(val_as_double(lats->items[i]), val_as_double(lons->items[i]));
        if (i < ticks->len) {
            value t = ticks->items[i];
            tick = t.type == T_LONG ? t.as.l : (int64_t)t.as.d;
        }
        last = tick;
        if (!gts_add(vm, g, tick, loc, elev, v))
            goto fail;
    }
    return gw_replace(vm, 5, v_obj(T_GTS, g));
fail:
    if (g)
        val_release(vm, v_obj(T_GTS, g));
    return false;
}

/* ---- metadata ---- */

static bool rename_one(exo_vm *vm, gts *g, const str *name)
{
    if (name->len && name->data[0] == '+') {
        str *c = AS_STR(g->cls);
        sbuf b;
        sb_init(&b, vm);
        sb_put(&b, c->data, c->len);
        sb_put(&b, name->data + 1, name->len - 1);
        bool ok = !b.failed && gts_set_class(vm, g, b.p ? b.p : "", b.len);
        sb_free(&b);
        return ok || vm_oom(vm);
    }
    return gts_set_class(vm, g, name->data, name->len);
}

static bool w_rename(exo_vm *vm, const word *w)
{
    value n = *vm_peek(vm, 0);
    if (n.type != T_STRING)
        return vm_type_error(vm, w, 1, "a STRING name");
    if (!gw_gts_or_list(vm, w, 2))
        return false;
    value t = *vm_peek(vm, 1);
    if (t.type == T_GTS) {
        if (!rename_one(vm, AS_GTS(t), AS_STR(n)))
            return false;
    } else {
        list *l = AS_LIST(t);
        for (size_t i = 0; i < l->len; i++)
            if (!rename_one(vm, AS_GTS(l->items[i]), AS_STR(n)))
                return false;
    }
    vm_drop(vm, 1);
    return true;
}

/* RELABEL / SETATTRIBUTES rules: '' or NULL value removes, a NULL key
 * starts from an empty map. The new map is built aside, then swapped in. */
static bool relabel_one(exo_vm *vm, map **target, const map *m)
{
    bool reset = false;
    for (size_t i = 0; i < m->len; i++)
        reset |= m->ents[i].key.type == T_NULL;
    map *nm = NULL;
    if (reset) {
        if (!(nm = map_new(vm, m->len)))
            return false;
    } else if (!gts_copy_map(vm, &nm, *target)) {
        return false;
    }
    for (size_t i = 0; i < m->len; i++) {
        value k = m->ents[i].key, v = m->ents[i].val;
        if (k.type == T_NULL)
            continue;
        bool ok = true;
        if (v.type == T_NULL || AS_STR(v)->len == 0) {
            value old;
            if (map_remove(vm, nm, k, &old))
                val_release(vm, old);
        } else {
            ok = map_put(vm, nm, val_retain(k), val_retain(v));
        }
        if (!ok) {
            val_release(vm, v_obj(T_MAP, nm));
            return false;
        }
    }
    val_release(vm, v_obj(T_MAP, *target));
    *target = nm;
    return true;
}

static bool w_relabel(exo_vm *vm, const word *w)
{
    value mv = *vm_peek(vm, 0);
    if (mv.type != T_MAP)
        return vm_type_error(vm, w, 1, "a MAP");
    map *m = AS_MAP(mv);
    for (size_t i = 0; i < m->len; i++) {
        value k = m->ents[i].key, v = m->ents[i].val;
        if ((k.type != T_STRING && k.type != T_NULL) || (v.type != T_STRING && v.type != T_NULL))
            return vm_fail(vm, "%s expects a MAP of STRING keys and values (NULL allowed), got %s -> %s.", w->name,
                           val_type_name(k), val_type_name(v));
    }
    if (!gw_gts_or_list(vm, w, 2))
        return false;
    value t = *vm_peek(vm, 1);
    size_t n = t.type == T_GTS ? 1 : AS_LIST(t)->len;
    for (size_t i = 0; i < n; i++) {
        gts *g = t.type == T_GTS ? AS_GTS(t) : AS_GTS(AS_LIST(t)->items[i]);
        if (!relabel_one(vm, w->magic ? &g->attrs : &g->labels, m))
            return false;
    }
    vm_drop(vm, 1);
    return true;
}

enum { P_NAME, P_LABELS, P_ATTRS, P_LASTACT, P_VALUES, P_TICKLIST, P_ELEVS, P_SPAN, P_COUNT, P_LAST, P_SIZE };

static bool get_prop(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    int p = *(const int *)ctx;
    switch (p) {
    case P_NAME:
        *out = val_retain(g->cls);
        return true;
    case P_LABELS:
    case P_ATTRS: {
        map *m = NULL;
        if (!gts_copy_map(vm, &m, p == P_LABELS ? g->labels : g->attrs))
            return false;
        *out = v_obj(T_MAP, m);
        return true;
    }
    case P_LASTACT:
        *out = v_long(g->lastactivity);
        return true;
    case P_SPAN:
        *out = v_long(gts_is_bucketized(g) ? g->bucketspan : 0);
        return true;
    case P_COUNT:
        *out = v_long(gts_is_bucketized(g) ? g->bucketcount : 0);
        return true;
    case P_LAST:
        *out = v_long(gts_is_bucketized(g) ? g->lastbucket : 0);
        return true;
    case P_SIZE:
        *out = v_long((int64_t)g->len);
        return true;
    case P_TICKLIST:
        return gw_long_list(vm, g->ticks, g->len, out);
    default:
        break;
    }
    if (g->len > vm->limits.maxlist)
        return vm_limit(vm, "List size %zu would exceed the limit of %llu (maxlist).", g->len,
                        (unsigned long long)vm->limits.maxlist);
    list *l = list_new(vm, g->len);
    if (!l)
        return false;
    for (size_t i = 0; i < g->len; i++) {
        if (p == P_VALUES)
            l->items[i] = gts_value_at(g, i);
        else
            l->items[i] = g->elev && g->elev[i] != GTS_NO_ELEVATION ? v_long(g->elev[i]) : v_double(NAN);
    }
    l->len = g->len;
    *out = v_obj(T_LIST, l);
    return true;
}

static bool w_prop(exo_vm *vm, const word *w)
{
    if (!gw_gts_or_list(vm, w, 1))
        return false;
    int p = (int)w->magic;
    value r;
    return gw_map(vm, w, 1, get_prop, &p, &r) && gw_replace(vm, 1, r);
}

static bool w_locations(exo_vm *vm, const word *w)
{
    gts *g = gw_gts_arg(vm, w, 1);
    if (!g || !vm_reserve(vm, 2))
        return false;
    list *la = list_new(vm, g->len), *lo = la ? list_new(vm, g->len) : NULL;
    if (!lo) {
        if (la)
            val_release(vm, v_obj(T_LIST, la));
        return false;
    }
    for (size_t i = 0; i < g->len; i++) {
        double lat = NAN, lon = NAN;
        if (g->loc)
            gts_unpack_location(g->loc[i], &lat, &lon);
        la->items[i] = v_double(lat);
        lo->items[i] = v_double(lon);
    }
    la->len = lo->len = g->len;
    vm_drop(vm, 1);
    vm_push(vm, v_obj(T_LIST, la));
    vm_push(vm, v_obj(T_LIST, lo));
    return true;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* TICKS: distinct ticks, ascending, of a GTS or of every GTS of a LIST. */
static bool w_ticks(exo_vm *vm, const word *w)
{
    if (!gw_gts_or_list(vm, w, 1))
        return false;
    value t = *vm_peek(vm, 0);
    size_t n = 0, ng = t.type == T_GTS ? 1 : AS_LIST(t)->len;
    for (size_t k = 0; k < ng; k++)
        n += (t.type == T_GTS ? AS_GTS(t) : AS_GTS(AS_LIST(t)->items[k]))->len;
    int64_t *a = vm_alloc(vm, n * sizeof(int64_t));
    if (!a)
        return false;
    size_t m = 0;
    bool sorted = true;
    for (size_t k = 0; k < ng; k++) {
        gts *g = t.type == T_GTS ? AS_GTS(t) : AS_GTS(AS_LIST(t)->items[k]);
        for (size_t i = 0; i < g->len; i++) {
            if (m && g->ticks[i] < a[m - 1])
                sorted = false;
            a[m++] = g->ticks[i];
        }
    }
    if (!sorted)
        qsort(a, m, sizeof(int64_t), cmp_i64);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (!u || a[i] != a[u - 1])
            a[u++] = a[i];
    value r;
    bool ok = gw_long_list(vm, a, u, &r);
    vm_dealloc(vm, a, n * sizeof(int64_t));
    return ok && gw_replace(vm, 1, r);
}

/* FIRSTTICK / LASTTICK (magic 1) of a GTS, or the extreme over a LIST. */
static bool w_firsttick(exo_vm *vm, const word *w)
{
    if (!gw_gts_or_list(vm, w, 1))
        return false;
    value t = *vm_peek(vm, 0);
    int64_t r = w->magic ? INT64_MIN : INT64_MAX;
    size_t ng = t.type == T_GTS ? 1 : AS_LIST(t)->len;
    for (size_t k = 0; k < ng; k++) {
        gts *g = t.type == T_GTS ? AS_GTS(t) : AS_GTS(AS_LIST(t)->items[k]);
        int64_t x = w->magic ? gts_last_tick(g) : gts_first_tick(g);
        if (w->magic ? x > r : x < r)
            r = x;
    }
    return gw_replace(vm, 1, v_long(r));
}

/* ---- point access ---- */

static bool w_attick(exo_vm *vm, const word *w)
{
    int64_t tick;
    if (!gw_long_arg(vm, w, 1, &tick))
        return false;
    gts *g = gw_gts_arg(vm, w, 2);
    if (!g)
        return false;
    value r;
    return gts_point_list(vm, g, gts_find_tick(g, tick), &r) && gw_replace(vm, 2, r);
}

static bool at_index(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    int64_t i = *(int64_t *)ctx, n = (int64_t)g->len;
    if (i > n)
        return vm_fail(vm, "%s cannot retrieve the value at index %lld since the GTS only contains %lld values.",
                       w->name, (long long)i, (long long)n);
    if (i < 0)
        i += n;
    return gts_point_list(vm, g, i >= 0 && i < n ? i : -1, out);
}

static bool w_atindex(exo_vm *vm, const word *w)
{
    int64_t i;
    if (!gw_long_arg(vm, w, 1, &i) || !gw_gts_or_list(vm, w, 2))
        return false;
    value r;
    return gw_map(vm, w, 2, at_index, &i, &r) && gw_replace(vm, 2, r);
}

/* ATBUCKET: bucket 0 is the oldest. Sorts the GTS, as Warp 10 does. */
static bool w_atbucket(exo_vm *vm, const word *w)
{
    int64_t i;
    if (!gw_long_arg(vm, w, 1, &i))
        return false;
    gts *g = gw_gts_arg(vm, w, 2);
    if (!g)
        return false;
    if (!gts_is_bucketized(g))
        return vm_fail(vm, "%s expects the GTS to be bucketized.", w->name);
    if (i >= g->bucketcount)
        return vm_fail(vm, "%s cannot retrieve bucket %lld of a GTS with %lld buckets.", w->name, (long long)i,
                       (long long)g->bucketcount);
    if (!gts_sort(vm, g, false))
        return false;
    int64_t tick = (int64_t)((uint64_t)g->lastbucket - (uint64_t)(g->bucketcount - 1 - i) * (uint64_t)g->bucketspan);
    value r;
    return gts_point_list(vm, g, gts_find_tick(g, tick), &r) && gw_replace(vm, 2, r);
}

static bool clone_empty(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)w;
    (void)ctx;
    gts *c = gts_clone(vm, g, false);
    if (!c)
        return false;
    *out = v_obj(T_GTS, c);
    return true;
}

static bool w_cloneempty(exo_vm *vm, const word *w)
{
    if (!gw_gts_or_list(vm, w, 1))
        return false;
    value r;
    return gw_map(vm, w, 1, clone_empty, NULL, &r) && gw_replace(vm, 1, r);
}

static bool w_unbucketize(exo_vm *vm, const word *w)
{
    if (!gw_gts_or_list(vm, w, 1))
        return false;
    value t = *vm_peek(vm, 0);
    size_t ng = t.type == T_GTS ? 1 : AS_LIST(t)->len;
    for (size_t k = 0; k < ng; k++) {
        gts *g = t.type == T_GTS ? AS_GTS(t) : AS_GTS(AS_LIST(t)->items[k]);
        g->bucketspan = g->bucketcount = g->lastbucket = 0;
    }
    return true;
}

/* NONEMPTY / EMPTY (magic 1): the GTS of a LIST with / without points. */
static bool w_nonempty(exo_vm *vm, const word *w)
{
    value t = *vm_peek(vm, 0);
    if (!gw_is_gts_list(t))
        return vm_type_error(vm, w, 1, "a LIST of GTS");
    list *l = AS_LIST(t), *r = list_new(vm, l->len);
    if (!r)
        return false;
    for (size_t i = 0; i < l->len; i++)
        if ((AS_GTS(l->items[i])->len == 0) == (w->magic != 0))
            list_push(vm, r, val_retain(l->items[i]));
    return gw_replace(vm, 1, v_obj(T_LIST, r));
}

/* PARSE: STRING in the GTS input format -> LIST of GTS. */
static bool w_parse(exo_vm *vm, const word *w)
{
    value s = *vm_peek(vm, 0);
    if (s.type != T_STRING)
        return vm_type_error(vm, w, 1, "a STRING");
    list *out;
    int64_t now = INT64_MIN;
    if (vm->caps & EXO_CAP_CLOCK) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    }
    if (!gts_parse_text(vm, AS_STR(s)->data, AS_STR(s)->len, now, w->name, &out))
        return false;
    return gw_replace(vm, 1, v_obj(T_LIST, out));
}

/* ---- hooks for list/math words ---- */

bool gts_word_size(exo_vm *vm, const word *w)
{
    gts *g = gw_gts_arg(vm, w, 1);
    return g && gw_replace(vm, 1, v_long((int64_t)g->len));
}

bool gts_word_clone(exo_vm *vm, const word *w)
{
    gts *g = gw_gts_arg(vm, w, 1);
    if (!g)
        return false;
    gts *c = gts_clone(vm, g, true);
    return c && vm_push(vm, v_obj(T_GTS, c));
}

bool gts_word_append(exo_vm *vm, const word *w)
{
    gts *src = gw_gts_arg(vm, w, 1), *dst = src ? gw_gts_arg(vm, w, 2) : NULL;
    if (!dst)
        return false;
    size_t n = src->len; /* src may be dst */
    /* as GTSHelper.merge: series of different types are not merged */
    if (dst->type != GTS_UNDEFINED && src->type != GTS_UNDEFINED && dst->type != src->type) {
        vm_drop(vm, 1);
        return true;
    }
    if (!gts_reserve(vm, dst, dst->len + n))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!gts_add_from(vm, dst, src, i))
            return false;
    vm_drop(vm, 1);
    return true;
}

bool gts_word_minmax(exo_vm *vm, const word *w, bool max)
{
    gts *g = gw_gts_arg(vm, w, 1);
    if (!g)
        return false;
    if (g->type != GTS_LONG && g->type != GTS_DOUBLE && g->len)
        return vm_fail(vm, "%s expects a numeric GTS, got a %s one.", w->name, gts_type_name(g->type));
    value r = v_null();
    for (size_t i = 0; i < g->len; i++) {
        if (g->type == GTS_LONG) {
            if (r.type == T_NULL || (max ? g->v.l[i] > r.as.l : g->v.l[i] < r.as.l))
                r = v_long(g->v.l[i]);
        } else {
            double d = g->v.d[i];
            if (r.type == T_NULL || isnan(d) || (!isnan(r.as.d) && (max ? d > r.as.d : d < r.as.d)))
                r = v_double(d);
        }
    }
    return gw_replace(vm, 1, r);
}

static const word gts_words[] = {
    EXO_WORD("NEWGTS", w_newgts, 0, "-- gts", "Pushes a new empty GTS (class \"\")."),
    EXO_WORD("ADDVALUE", w_addvalue, 2, "gts tick lat lon elev value -- gts",
                   "Appends a point in place (NaN = no lat/lon/elev; also gts [tick lat lon elev value])."),
    EXO_WORD_MAGIC("SETVALUE", w_addvalue, 2, "gts tick lat lon elev value -- gts",
                   "Like ADDVALUE, but overwrites the first point at that tick.", 1),
    EXO_WORD("REMOVETICK", w_removetick, 2, "gts tick|[ticks] -- gts'", "A copy without the points at those ticks."),
    EXO_WORD("MAKEGTS", w_makegts, 5, "ticks lats lons elevs values -- gts", "Builds a GTS from lists."),
    EXO_WORD("RENAME", w_rename, 2, "gts name -- gts",
             "Sets the class name in place ('+suffix' appends to the current name)."),
    EXO_WORD("RELABEL", w_relabel, 2, "gts {labels} -- gts",
             "Updates labels in place ('' or NULL value removes; a NULL key clears all first)."),
    EXO_WORD_MAGIC("SETATTRIBUTES", w_relabel, 2, "gts {attrs} -- gts", "Updates attributes in place, as RELABEL.",
                   1),
    EXO_WORD_MAGIC("NAME", w_prop, 1, "gts -- name", "The class name.", P_NAME),
    EXO_WORD_MAGIC("LABELS", w_prop, 1, "gts -- {labels}", "A copy of the labels.", P_LABELS),
    EXO_WORD_MAGIC("ATTRIBUTES", w_prop, 1, "gts -- {attrs}", "A copy of the attributes.", P_ATTRS),
    EXO_WORD_MAGIC("LASTACTIVITY", w_prop, 1, "gts -- tick", "The last activity time (0 if unknown).", P_LASTACT),
    EXO_WORD_MAGIC("VALUES", w_prop, 1, "gts -- [values]", "The values in storage order.", P_VALUES),
    EXO_WORD_MAGIC("TICKLIST", w_prop, 1, "gts -- [ticks]", "The ticks in storage order (duplicates kept).",
                   P_TICKLIST),
    EXO_WORD_MAGIC("ELEVATIONS", w_prop, 1, "gts -- [elevs]", "The elevations in storage order (NaN if none).",
                   P_ELEVS),
    EXO_WORD_MAGIC("BUCKETSPAN", w_prop, 1, "gts -- span", "The bucket span (0 if not bucketized).", P_SPAN),
    EXO_WORD_MAGIC("BUCKETCOUNT", w_prop, 1, "gts -- count", "The bucket count (0 if not bucketized).", P_COUNT),
    EXO_WORD_MAGIC("LASTBUCKET", w_prop, 1, "gts -- tick", "The last bucket end (0 if not bucketized).", P_LAST),
    EXO_WORD("LOCATIONS", w_locations, 1, "gts -- [lats] [lons]", "Latitudes and longitudes (NaN if none)."),
    EXO_WORD("TICKS", w_ticks, 1, "gts|[gts] -- [ticks]", "Distinct ticks, ascending (union over a list)."),
    EXO_WORD("FIRSTTICK", w_firsttick, 1, "gts|[gts] -- tick",
             "The oldest tick (first bucket end if bucketized; MAXLONG if empty)."),
    EXO_WORD_MAGIC("LASTTICK", w_firsttick, 1, "gts|[gts] -- tick",
                   "The newest tick (last bucket if bucketized; MINLONG if empty).", 1),
    EXO_WORD("ATTICK", w_attick, 2, "gts tick -- [t lat lon elev v]",
             "The first point at tick ([NaN NaN NaN NaN null] if none)."),
    EXO_WORD("ATINDEX", w_atindex, 2, "gts i -- [t lat lon elev v]", "The point at storage index i (negative: from end)."),
    EXO_WORD("ATBUCKET", w_atbucket, 2, "gts i -- [t lat lon elev v]", "The point of bucket i (0 = oldest)."),
    EXO_WORD("CLONEEMPTY", w_cloneempty, 1, "gts -- gts'", "A copy of the metadata without points."),
    EXO_WORD("UNBUCKETIZE", w_unbucketize, 1, "gts -- gts", "Clears the bucketization in place."),
    EXO_WORD("NONEMPTY", w_nonempty, 1, "[gts] -- [gts]", "The GTS that have points."),
    EXO_WORD_MAGIC("EMPTY", w_nonempty, 1, "[gts] -- [gts]", "The GTS without points.", 1),
    EXO_WORD("PARSE", w_parse, 1, "text -- [gts]", "Parses the GTS input format (TS/LAT:LON/ELEV class{labels} VALUE)."),
};

EXO_FAMILY(gts, gts_words)
