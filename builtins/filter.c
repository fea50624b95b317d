/* FILTER / PFILTER (spec d.5) and the filter.* elements.
 * The collections are partitioned like APPLY's; each class's members go
 * through the filter, which marks the ones it keeps; FILTER pushes the
 * kept series themselves (not copies), class after class. Selectors
 * follow Warp 10: `=exact`, `~regex` (whole-value Java regex), or a plain
 * exact value; label selectors in filter.byselector may also be negated
 * (`!=`, `!~`). Thresholds compare in the threshold's type. */
#include "aggregators.h"
#include "../interp/jregex.h"
#include "../interp/partition.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- selectors ---- */

enum { SEL_EQ, SEL_RE, SEL_NE, SEL_NRE };

typedef struct sel {
    int kind;
    const char *lit;
    size_t len;
    jregex re;
    bool compiled;
} sel;

/* Compiles selector text (kept borrowed: it must outlive the sel). */
static bool sel_compile(exo_vm *vm, const char *who, const char *s, size_t len, bool negations, sel *out)
{
    out->compiled = false;
    out->kind = SEL_EQ;
    if (negations && len >= 2 && s[0] == '!' && (s[1] == '=' || s[1] == '~')) {
        out->kind = s[1] == '=' ? SEL_NE : SEL_NRE;
        s += 2;
        len -= 2;
    } else if (len && (s[0] == '=' || s[0] == '~')) {
        out->kind = s[0] == '=' ? SEL_EQ : SEL_RE;
        s++;
        len--;
    }
    out->lit = s;
    out->len = len;
    if (out->kind == SEL_RE || out->kind == SEL_NRE) {
        if (!jre_compile(vm, who, &out->re, s, len))
            return false;
        out->compiled = true;
    }
    return true;
}

static void sel_free(sel *s)
{
    if (s->compiled)
        jre_free(&s->re);
    s->compiled = false;
}

/* Matches a value (NULL: absent, which only negations accept). */
static bool sel_match(const sel *s, const str *v)
{
    if (!v)
        return s->kind == SEL_NE || s->kind == SEL_NRE;
    bool m;
    if (s->kind == SEL_EQ || s->kind == SEL_NE) {
        m = v->len == s->len && memcmp(v->data, s->lit, s->len) == 0;
    } else {
        regmatch_t rm[JRE_MAX_GROUPS + 2];
        m = s->re.nsub + 1 <= countof(rm) && jre_search(&s->re, v->data, v->len, 0, rm) && rm[0].rm_so == 0 &&
            (size_t)rm[0].rm_eo == v->len;
    }
    return (s->kind == SEL_NE || s->kind == SEL_NRE) ? !m : m;
}

static const str *meta_get(const map *m, value key)
{
    value *v = m ? map_get((map *)m, key) : NULL;
    return v && v->type == T_STRING ? AS_STR(*v) : NULL;
}

/* ---- filters ---- */

enum { F_CLASS, F_LABELS, F_ATTR, F_LABELSATTR, F_SELECTOR, F_METADATA, F_SIZE, F_LAST, F_ANY, F_ALL, F_LATENCIES };
enum { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };

#define FMAGIC(kind, cmp) ((kind) * 8 + (cmp))

/* threshold.compareTo(value) in the threshold's type (Warp 10's filters);
 * false with an error when the value cannot be compared. */
static bool thr_compare(exo_vm *vm, const function *f, value thr, value v, int *c)
{
    switch (thr.type) {
    case T_LONG: {
        if (!val_is_number(v))
            return vm_fail(vm, "%s cannot compare a %s value with a numeric threshold.", f->def->name, val_type_name(v));
        int64_t x = v.type == T_LONG ? v.as.l : java_d2l(v.as.d);
        *c = thr.as.l < x ? -1 : thr.as.l > x;
        return true;
    }
    case T_DOUBLE: {
        if (!val_is_number(v))
            return vm_fail(vm, "%s cannot compare a %s value with a numeric threshold.", f->def->name, val_type_name(v));
        double a = thr.as.d, b = val_as_double(v);
        if (a < b)
            *c = -1;
        else if (a > b)
            *c = 1;
        else if (a != a || b != b)
            *c = (a != a) - (b != b);
        else
            *c = (signbit(a) == signbit(b)) ? 0 : (signbit(a) ? -1 : 1);
        return true;
    }
    case T_BOOLEAN:
        *c = (v.type == T_BOOLEAN && v.as.b == thr.as.b) ? 0 : 1;
        return true;
    default: {
        sbuf b;
        sb_init(&b, vm);
        agg_to_string(&b, v);
        const str *t = AS_STR(thr);
        size_t n = t->len < b.len ? t->len : b.len;
        int d = memcmp(t->data, b.p ? b.p : "", n);
        *c = d ? (d < 0 ? -1 : 1) : (t->len < b.len ? -1 : t->len > b.len);
        sb_free(&b);
        return true;
    }
    }
}

/* Does threshold-vs-value comparison c satisfy cmp (value cmp threshold)? */
static bool verify(int c, int cmp)
{
    switch (cmp) {
    case C_EQ:
        return c == 0;
    case C_NE:
        return c != 0;
    case C_LT:
        return c > 0;
    case C_LE:
        return c >= 0;
    case C_GT:
        return c < 0;
    default:
        return c <= 0;
    }
}

/* GTSHelper.getLastValue: the newest point's value, or for a bucketized
 * series the value at lastbucket; -1 when there is none. */
static int64_t last_index(const gts *g)
{
    if (g->len == 0)
        return -1;
    if (gts_is_bucketized(g)) {
        for (size_t i = 0; i < g->len; i++)
            if (g->ticks[i] == g->lastbucket)
                return (int64_t)i;
        return -1;
    }
    size_t b = 0;
    for (size_t i = 1; i < g->len; i++)
        if (g->ticks[i] > g->ticks[b])
            b = i;
    return (int64_t)b;
}

/* filter.byselector: parses `class{l1=v1,l2~re}` into selectors. */
static bool parse_selector(exo_vm *vm, const char *who, const str *s, sel *cls, sel *labs, str **names, size_t *nlabs)
{
    const char *p = s->data, *br = memchr(p, '{', s->len);
    size_t clen = br ? (size_t)(br - p) : s->len;
    *nlabs = 0;
    if (!sel_compile(vm, who, p, clen, false, cls))
        return false;
    if (!br)
        return true;
    const char *end = p + s->len;
    if (end[-1] != '}') {
        sel_free(cls);
        return vm_fail(vm, "%s: invalid selector, missing '}'.", who);
    }
    const char *q = br + 1;
    while (q < end - 1) {
        const char *e = q;
        while (e < end - 1 && *e != ',')
            e++;
        const char *op = q;
        while (op < e && *op != '=' && *op != '~' && *op != '!')
            op++;
        if (op == e || *nlabs >= 16) {
            for (size_t i = 0; i < *nlabs; i++) {
                sel_free(&labs[i]);
                val_release(vm, v_obj(T_STRING, names[i]));
            }
            sel_free(cls);
            return vm_fail(vm, "%s: invalid label selector.", who);
        }
        value nm = str_new(vm, q, (size_t)(op - q));
        bool ok = !val_is_oom(nm) && sel_compile(vm, who, op, (size_t)(e - op), true, &labs[*nlabs]);
        if (!ok) {
            if (!val_is_oom(nm))
                val_release(vm, nm);
            for (size_t i = 0; i < *nlabs; i++) {
                sel_free(&labs[i]);
                val_release(vm, v_obj(T_STRING, names[i]));
            }
            sel_free(cls);
            return false;
        }
        names[(*nlabs)++] = AS_STR(nm);
        q = e + 1;
    }
    return true;
}

static bool k_filter(exo_vm *vm, const function *f, const fw_class *c, uint8_t *keep)
{
    int kind = (int)f->def->magic / 8, cmp = (int)f->def->magic % 8;
    value p = f->params[0];
    bool ok = true;
    switch (kind) {
    case F_CLASS: {
        sel s;
        if (!sel_compile(vm, f->def->name, AS_STR(p)->data, AS_STR(p)->len, false, &s))
            return false;
        for (size_t i = 0; i < c->n; i++)
            keep[i] = sel_match(&s, AS_STR(fw_member(c, i)->cls));
        sel_free(&s);
        return true;
    }
    case F_LABELS:
    case F_ATTR:
    case F_LABELSATTR: {
        const map *m = AS_MAP(p);
        sel *ss = vm_calloc(vm, (m->len ? m->len : 1) * sizeof(sel));
        if (!ss)
            return false;
        for (size_t j = 0; ok && j < m->len; j++)
            ok = sel_compile(vm, f->def->name, AS_STR(m->ents[j].val)->data, AS_STR(m->ents[j].val)->len, false, &ss[j]);
        for (size_t i = 0; ok && i < c->n; i++) {
            const gts *g = fw_member(c, i);
            keep[i] = 1;
            for (size_t j = 0; keep[i] && j < m->len; j++) {
                /* a label first, else (bylabelsattr) an attribute of that name */
                const str *v = kind != F_ATTR ? meta_get(g->labels, m->ents[j].key) : NULL;
                if (!v && kind != F_LABELS)
                    v = meta_get(g->attrs, m->ents[j].key);
                keep[i] = v && sel_match(&ss[j], v);
            }
        }
        for (size_t j = 0; j < m->len; j++)
            sel_free(&ss[j]);
        vm_dealloc(vm, ss, (m->len ? m->len : 1) * sizeof(sel));
        return ok;
    }
    case F_SELECTOR: {
        sel cls, labs[16];
        str *names[16];
        size_t nl;
        if (!parse_selector(vm, f->def->name, AS_STR(p), &cls, labs, names, &nl))
            return false;
        for (size_t i = 0; i < c->n; i++) {
            const gts *g = fw_member(c, i);
            keep[i] = sel_match(&cls, AS_STR(g->cls));
            for (size_t j = 0; keep[i] && j < nl; j++)
                keep[i] = sel_match(&labs[j], meta_get(g->labels, v_obj(T_STRING, names[j])));
        }
        sel_free(&cls);
        for (size_t j = 0; j < nl; j++) {
            sel_free(&labs[j]);
            val_release(vm, v_obj(T_STRING, names[j]));
        }
        return true;
    }
    case F_METADATA: {
        const list *l = AS_LIST(p);
        for (size_t i = 0; i < c->n; i++) {
            keep[i] = 0;
            for (size_t j = 0; !keep[i] && j < l->len; j++)
                keep[i] = gts_same_series(fw_member(c, i), AS_GTS(l->items[j]));
        }
        return true;
    }
    case F_SIZE: {
        int32_t min = (int32_t)(uint32_t)(uint64_t)f->params[0].as.l, max = (int32_t)(uint32_t)(uint64_t)f->params[1].as.l;
        for (size_t i = 0; i < c->n; i++) {
            size_t n = fw_member(c, i)->len;
            keep[i] = (int64_t)n >= min && (int64_t)n <= max;
        }
        return true;
    }
    case F_LAST:
        for (size_t i = 0; ok && i < c->n; i++) {
            const gts *g = fw_member(c, i);
            int64_t li = last_index(g);
            int r = 0;
            keep[i] = 0;
            if (li >= 0) {
                value v = gts_value_at(g, (size_t)li);
                ok = thr_compare(vm, f, p, v, &r);
                val_release(vm, v);
                keep[i] = ok && verify(r, cmp);
            }
        }
        return ok;
    default: /* any / all */
        for (size_t i = 0; ok && i < c->n; i++) {
            const gts *g = fw_member(c, i);
            bool found = false;
            for (size_t j = 0; ok && !found && j < g->len; j++) {
                value v = gts_value_at(g, j);
                int r = 0;
                ok = thr_compare(vm, f, p, v, &r);
                val_release(vm, v);
                /* all.X keeps series where no value fails X */
                found = ok && (kind == F_ANY ? verify(r, cmp) : !verify(r, cmp));
            }
            keep[i] = kind == F_ANY ? found : !found;
        }
        return ok;
    }
}

/* ---- filter.latencies ---- */

/* One point of a series in value order (Warp 10 sorts each series by
 * value; ties, which its quicksort leaves unspecified, go by tick). */
typedef struct lat_pt {
    int64_t hash, tick;
    double d;
    uint32_t i;
    bool dbl;
} lat_pt;

static int lat_cmp(const void *x, const void *y)
{
    const lat_pt *a = x, *b = y;
    if (a->dbl ? a->d != b->d : a->hash != b->hash)
        return a->dbl ? (a->d < b->d ? -1 : 1) : (a->hash < b->hash ? -1 : 1);
    if (a->tick != b->tick)
        return a->tick < b->tick ? -1 : 1;
    return a->i < b->i ? -1 : (a->i > b->i);
}

enum { LAT_UP_MIN, LAT_UP_MAX, LAT_DOWN_MIN, LAT_DOWN_MAX, LAT_DOWN_MATCHES, LAT_BITSET, LAT_TOTAL, LAT_WITH, LAT_NOPTS };

static const char *const lat_options[LAT_NOPTS] = {
    "uplink.latency.min", "uplink.latency.max", "downlink.latency.min", "downlink.latency.max",
    "downlink.matches",   "downlinks.bitset",   "downlinks.totalmatches", "downlinks.withmatches"};

/* A new empty series with g's metadata, named g's class + ':' + suffix. */
static gts *lat_series(exo_vm *vm, const gts *g, const char *suffix)
{
    gts *r = gts_clone(vm, g, false);
    if (!r)
        return NULL;
    const str *c = AS_STR(g->cls);
    size_t sl = strlen(suffix);
    char *name = vm_alloc(vm, c->len + sl + 2);
    bool ok = name != NULL;
    if (ok) {
        memcpy(name, c->data, c->len);
        name[c->len] = ':';
        memcpy(name + c->len + 1, suffix, sl);
        ok = gts_set_class(vm, r, name, c->len + 1 + sl);
        vm_dealloc(vm, name, c->len + sl + 2);
    }
    if (!ok) {
        val_release(vm, v_obj(T_GTS, r));
        return NULL;
    }
    return r;
}

/* Warp 10's LatencyFilter: the first collection's single series carries
 * uplink packet hashes (LONG values), every other member a downlink's.
 * For each uplink packet (in hash order) the downlink packets with the
 * same hash received between min and max latency after it are matched;
 * the requested statistics are emitted as new LONG series at the uplink
 * tick (-1 when a min/max has no match). A class whose first collection
 * does not hold exactly one series gives nothing. */
static bool latency_filter(exo_vm *vm, const function *f, const fw_class *c, list *out)
{
    if (c->ncoll == 0 || c->coll_end[0] != 1)
        return true;
    int64_t minlat = f->params[0].as.l, maxlat = f->params[1].as.l;
    bool want[LAT_NOPTS] = {0};
    const list *opts = AS_LIST(f->params[2]);
    for (size_t i = 0; i < opts->len; i++)
        for (int k = 0; k < LAT_NOPTS; k++)
            if (opts->items[i].type == T_STRING && strcmp(AS_STR(opts->items[i])->data, lat_options[k]) == 0)
                want[k] = true;
    size_t n = c->n, total = 0;
    for (size_t s = 0; s < n; s++) {
        const gts *g = fw_member(c, s);
        if (g->len && g->type != GTS_LONG && g->type != GTS_DOUBLE)
            return vm_fail(vm, "%s expects Geo Time Series of LONG values (packet hashes).", f->def->name);
        total += g->len;
    }
    lat_pt *pts = vm_alloc(vm, (total ? total : 1) * sizeof(lat_pt));
    size_t *start = vm_alloc(vm, (n + 1) * sizeof(size_t)), *idx = vm_calloc(vm, n * sizeof(size_t));
    /* outputs: up min, up max, per downlink min/max/matches, bitset, total, with */
    size_t nd = n - 1, nout = 2 + 3 * nd + 3;
    gts **res = vm_calloc(vm, nout * sizeof(gts *));
    bool ok = pts && start && idx && res;
    for (size_t s = 0, k = 0; ok && s < n; s++) {
        const gts *g = fw_member(c, s);
        start[s] = k;
        for (size_t i = 0; i < g->len; i++, k++) {
            bool dbl = g->type == GTS_DOUBLE;
            pts[k] = (lat_pt){.hash = dbl ? java_d2l(g->v.d[i]) : g->v.l[i], .tick = g->ticks[i],
                              .d = dbl ? g->v.d[i] : 0.0, .i = (uint32_t)i, .dbl = dbl};
        }
        qsort(pts + start[s], g->len, sizeof(lat_pt), lat_cmp);
        start[s + 1] = k;
    }
    const gts *up = ok ? fw_member(c, 0) : NULL;
    static const char *const down_sfx[3] = {"downlink.latency.min", "downlink.latency.max", "downlink.matches"};
    if (ok) {
        for (int k = 0; ok && k < 2; k++)
            ok = (res[k] = lat_series(vm, up, lat_options[k])) != NULL;
        for (size_t d = 0; ok && d < nd; d++)
            for (int k = 0; ok && k < 3; k++)
                ok = (res[2 + (size_t)k * nd + d] = lat_series(vm, fw_member(c, d + 1), down_sfx[k])) != NULL;
        for (int k = 0; ok && k < 3; k++)
            ok = (res[2 + 3 * nd + (size_t)k] = lat_series(vm, up, lat_options[LAT_BITSET + k])) != NULL;
    }
    for (size_t u = ok ? start[0] : 0; ok && u < (ok ? start[1] : 0); u++) {
        int64_t uh = pts[u].hash, ut = pts[u].tick;
        int64_t lmin = INT64_MAX, lmax = INT64_MIN, matches = 0, with = 0;
        uint64_t mask = 0;
        for (size_t d = 1; ok && d < n; d++) {
            size_t end = start[d + 1] - start[d], first = idx[d];
            int64_t dmin = INT64_MAX, dmax = INT64_MIN, dmatches = 0;
            while (idx[d] < end) {
                const lat_pt *q = &pts[start[d] + idx[d]];
                if (q->hash < uh) {
                    first = ++idx[d];
                    continue;
                }
                if (q->hash > uh)
                    break;
                if (q->tick < (int64_t)((uint64_t)ut + (uint64_t)minlat)) {
                    first = ++idx[d];
                    continue;
                }
                int64_t lat = (int64_t)((uint64_t)q->tick - (uint64_t)ut);
                if (lat > maxlat)
                    break;
                lmax = lat > lmax ? lat : lmax;
                lmin = lat < lmin ? lat : lmin;
                dmax = lat > dmax ? lat : dmax;
                dmin = lat < dmin ? lat : dmin;
                dmatches++;
                matches++;
                if (first == idx[d]) {
                    with++;
                    mask |= UINT64_C(1) << ((d - 1) & 63);
                }
                idx[d]++;
            }
            if (want[LAT_DOWN_MAX])
                ok = gts_add_long(vm, res[2 + nd + d - 1], ut, dmax == INT64_MIN ? -1 : dmax);
            if (ok && want[LAT_DOWN_MIN])
                ok = gts_add_long(vm, res[2 + d - 1], ut, dmin == INT64_MAX ? -1 : dmin);
            if (ok && want[LAT_DOWN_MATCHES])
                ok = gts_add_long(vm, res[2 + 2 * nd + d - 1], ut, dmatches);
        }
        if (ok && want[LAT_BITSET])
            ok = gts_add_long(vm, res[2 + 3 * nd], ut, (int64_t)mask);
        if (ok && want[LAT_TOTAL])
            ok = gts_add_long(vm, res[2 + 3 * nd + 1], ut, matches);
        if (ok && want[LAT_WITH])
            ok = gts_add_long(vm, res[2 + 3 * nd + 2], ut, with);
        if (ok && want[LAT_UP_MIN])
            ok = gts_add_long(vm, res[0], ut, lmin == INT64_MAX ? -1 : lmin);
        if (ok && want[LAT_UP_MAX])
            ok = gts_add_long(vm, res[1], ut, lmax == INT64_MIN ? -1 : lmax);
    }
    /* the requested series, in Warp 10's order */
    for (size_t k = 0; res && k < nout; k++) {
        int opt = k < 2 ? (int)k : k < 2 + 3 * nd ? LAT_DOWN_MIN + (int)((k - 2) / (nd ? nd : 1)) : LAT_BITSET + (int)(k - 2 - 3 * nd);
        if (ok && res[k] && want[opt])
            ok = list_push(vm, out, v_obj(T_GTS, res[k]));
        else if (res[k])
            val_release(vm, v_obj(T_GTS, res[k]));
    }
    if (res)
        vm_dealloc(vm, res, nout * sizeof(gts *));
    if (pts)
        vm_dealloc(vm, pts, (total ? total : 1) * sizeof(lat_pt));
    if (start)
        vm_dealloc(vm, start, (n + 1) * sizeof(size_t));
    if (idx)
        vm_dealloc(vm, idx, n * sizeof(size_t));
    return ok;
}

/* MACROFILTER, as Warp 10's MacroFilterWrapper: the macro gets the class
 * labels (MAP) and above them the LIST of its collections ([[gts..] ..]);
 * it must leave a LIST, whose items FILTER appends as they are (Java does
 * not check them: a macro leaving its input makes a list of lists). */
static bool macro_filter(exo_vm *vm, const function *f, const fw_class *c, list *out)
{
    list *arg = list_new(vm, c->ncoll);
    map *lab = arg ? map_new(vm, c->labels->len) : NULL;
    bool ok = lab != NULL;
    for (size_t i = 0; ok && i < c->labels->len; i++)
        ok = map_put(vm, lab, val_retain(c->labels->ents[i].key), val_retain(c->labels->ents[i].val));
    size_t a = 0;
    for (size_t i = 0; ok && i < c->ncoll; i++) {
        list *l = list_new(vm, c->coll_end[i] - a);
        ok = l && list_push(vm, arg, v_obj(T_LIST, l));
        for (; ok && a < c->coll_end[i]; a++)
            ok = list_push(vm, l, val_retain(v_obj(T_GTS, fw_member(c, a))));
    }
    if (!ok) {
        if (lab)
            val_release(vm, v_obj(T_MAP, lab));
        if (arg)
            val_release(vm, v_obj(T_LIST, arg));
        return false;
    }
    if (!vm_push(vm, v_obj(T_MAP, lab))) {
        val_release(vm, v_obj(T_LIST, arg));
        return false;
    }
    if (!vm_push(vm, v_obj(T_LIST, arg)) || !vm_exec(vm, (macro *)f->params[0].as.o))
        return false;
    if (vm->sp == 0)
        return vm_fail(vm, "Empty stack.");
    value r = *vm_peek(vm, 0);
    if (r.type != T_LIST)
        return vm_fail(vm, "MACROFILTER macro should return a list of Geo Time Series onto the stack.");
    for (size_t i = 0; ok && i < AS_LIST(r)->len; i++)
        ok = list_push(vm, out, val_retain(AS_LIST(r)->items[i]));
    vm_drop(vm, 1);
    return ok;
}

/* [ [gts..] .. labels filter ] */
static bool filter_word(exo_vm *vm, const word *w, bool as_map)
{
    value top = *vm_peek(vm, 0);
    if (top.type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST");
    const list *l = AS_LIST(top);
    size_t n = l->len;
    if (n < 3)
        return vm_fail(vm, "%s expects at least 3 parameters.", w->name);
    size_t ncoll = n - 2;
    for (size_t i = 0; i < ncoll; i++) {
        if (l->items[i].type != T_LIST)
            return vm_fail(vm, "%s expects lists of Geo Time Series as first parameters.", w->name);
        for (size_t j = 0; j < AS_LIST(l->items[i])->len; j++)
            if (AS_LIST(l->items[i])->items[j].type != T_GTS)
                return vm_fail(vm, "%s expects lists of Geo Time Series as first parameters.", w->name);
    }
    value labels = l->items[n - 2], fn = l->items[n - 1];
    if (labels.type != T_NULL && labels.type != T_LIST)
        return vm_fail(vm, "%s expects a list of label names or null as penultimate parameter.", w->name);
    if (labels.type == T_LIST)
        for (size_t i = 0; i < AS_LIST(labels)->len; i++)
            if (AS_LIST(labels)->items[i].type != T_STRING)
                return vm_fail(vm, "%s expects a list of label names as penultimate parameter.", w->name);
    if (!fn_has_role(fn, FN_FILTER))
        return vm_fail(vm, "%s expects a filter function as last parameter, got %s.", w->name, val_type_name(fn));
    value lv = val_retain(top);
    const function *f = AS_FN(fn);
    bool is_macro = f->def->kernel.filter == NULL;
    if (is_macro) /* user code must not see the input */
        vm_drop(vm, 1);
    size_t total = 0;
    for (size_t i = 0; i < ncoll; i++)
        total += AS_LIST(l->items[i])->len;
    gts **flat = vm_alloc(vm, (total ? total : 1) * sizeof(gts *));
    gts ***colls = vm_alloc(vm, ncoll * sizeof(gts **));
    size_t *lens = vm_alloc(vm, ncoll * sizeof(size_t));
    fw_partition part = {0};
    bool ok = flat && colls && lens;
    for (size_t i = 0, p = 0; ok && i < ncoll; i++) {
        const list *c = AS_LIST(l->items[i]);
        colls[i] = flat + p;
        lens[i] = c->len;
        for (size_t j = 0; j < c->len; j++)
            flat[p++] = AS_GTS(c->items[j]);
    }
    ok = ok && partition_collections(vm, (gts *const *const *)colls, lens, ncoll,
                                     labels.type == T_LIST ? AS_LIST(labels) : NULL, &part);
    list *all = ok ? list_new(vm, 0) : NULL;
    map *pm = ok && as_map ? map_new(vm, part.nclasses) : NULL;
    uint8_t *keep = ok ? vm_alloc(vm, part.nmembers ? part.nmembers : 1) : NULL;
    ok = ok && all && keep && (!as_map || pm);
    for (size_t c = 0; ok && c < part.nclasses; c++) {
        const fw_class *k = &part.classes[c];
        list *kept = list_new(vm, 0);
        ok = kept != NULL;
        if (ok && is_macro) {
            ok = macro_filter(vm, f, k, kept);
        } else if (ok && f->def->magic == FMAGIC(F_LATENCIES, 0)) {
            ok = latency_filter(vm, f, k, kept);
        } else if (ok) {
            ok = f->def->kernel.filter(vm, f, k, keep);
            for (size_t i = 0; ok && i < k->n; i++)
                if (keep[i])
                    ok = list_push(vm, kept, val_retain(v_obj(T_GTS, fw_member(k, i))));
        }
        for (size_t i = 0; ok && i < kept->len; i++)
            ok = list_push(vm, all, val_retain(kept->items[i]));
        if (ok && as_map)
            ok = map_put(vm, pm, val_retain(v_obj(T_MAP, k->labels)), v_obj(T_LIST, kept));
        else if (kept)
            val_release(vm, v_obj(T_LIST, kept));
    }
    if (ok) {
        if (!is_macro)
            vm_drop(vm, 1);
        ok = as_map ? vm_push(vm, v_obj(T_MAP, pm)) : vm_push(vm, v_obj(T_LIST, all));
        if (as_map)
            pm = NULL;
        else
            all = NULL;
    }
    if (pm)
        val_release(vm, v_obj(T_MAP, pm));
    if (all)
        val_release(vm, v_obj(T_LIST, all));
    if (keep)
        vm_dealloc(vm, keep, part.nmembers ? part.nmembers : 1);
    partition_free(vm, &part);
    if (flat)
        vm_dealloc(vm, flat, (total ? total : 1) * sizeof(gts *));
    if (colls)
        vm_dealloc(vm, colls, ncoll * sizeof(gts **));
    if (lens)
        vm_dealloc(vm, lens, ncoll * sizeof(size_t));
    val_release(vm, lv);
    return ok;
}

static bool w_filter(exo_vm *vm, const word *w) { return filter_word(vm, w, false); }
static bool w_pfilter(exo_vm *vm, const word *w) { return filter_word(vm, w, true); }

/* ---- builders ---- */

static bool push_filter(exo_vm *vm, const fn_def *d, value *params, size_t n)
{
    function *f = fn_new(vm, d, params, n);
    if (!f)
        return false;
    vm_drop(vm, d->nparams);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

static bool build_filter(exo_vm *vm, const word *w, const fn_def *d)
{
    int kind = (int)d->magic / 8, cmp = (int)d->magic % 8;
    value p = *vm_peek(vm, 0);
    switch (kind) {
    case F_CLASS:
    case F_SELECTOR:
        if (p.type != T_STRING)
            return vm_type_error(vm, w, 1, "a STRING selector");
        break;
    case F_LABELS:
    case F_ATTR:
    case F_LABELSATTR:
        if (p.type != T_MAP)
            return vm_type_error(vm, w, 1, "a MAP of selectors");
        for (size_t i = 0; i < AS_MAP(p)->len; i++)
            if (AS_MAP(p)->ents[i].key.type != T_STRING || AS_MAP(p)->ents[i].val.type != T_STRING)
                return vm_fail(vm, "%s expects a MAP of STRING names to STRING selectors.", d->name);
        break;
    case F_METADATA:
        if (p.type != T_LIST)
            return vm_type_error(vm, w, 1, "a LIST of Geo Time Series");
        for (size_t i = 0; i < AS_LIST(p)->len; i++)
            if (AS_LIST(p)->items[i].type != T_GTS)
                return vm_fail(vm, "%s expects a LIST of Geo Time Series.", d->name);
        break;
    case F_LATENCIES: {
        if (p.type != T_LIST)
            return vm_fail(vm, "%s expects a list of options on top of the stack.", d->name);
        if (!vm_need(vm, 3))
            return false;
        if (vm_peek(vm, 1)->type != T_LONG)
            return vm_fail(vm, "%s expects a maximum latency under the list of options.", d->name);
        if (vm_peek(vm, 2)->type != T_LONG)
            return vm_fail(vm, "%s expects a minimum latency under the list of options.", d->name);
        value ps[3] = {*vm_peek(vm, 2), *vm_peek(vm, 1), val_retain(p)};
        return push_filter(vm, d, ps, 3);
    }
    case F_SIZE: {
        value mn = *vm_peek(vm, 1);
        if (mn.type != T_LONG || p.type != T_LONG)
            return vm_fail(vm, "%s expects two LONG objects as arguments.", d->name);
        value ps[2] = {mn, p};
        return push_filter(vm, d, ps, 2);
    }
    default: /* thresholds */
        if (!(val_is_number(p) || p.type == T_STRING || (p.type == T_BOOLEAN && (cmp == C_EQ || cmp == C_NE))))
            return vm_fail(vm, "%s threshold type is invalid.", d->name);
    }
    value pv = val_retain(p);
    return push_filter(vm, d, &pv, 1);
}

/* X(id, name, magic, nparams, sig, doc) */
#define CMPS(X, kind, pre, txt)                                                                                        \
    X(pre##_eq, "filter." #pre ".eq", FMAGIC(kind, C_EQ), 1, "threshold -- filter", txt " equal to the threshold.")    \
    X(pre##_ne, "filter." #pre ".ne", FMAGIC(kind, C_NE), 1, "threshold -- filter", txt " different from it.")         \
    X(pre##_lt, "filter." #pre ".lt", FMAGIC(kind, C_LT), 1, "threshold -- filter", txt " less than it.")              \
    X(pre##_le, "filter." #pre ".le", FMAGIC(kind, C_LE), 1, "threshold -- filter", txt " less than or equal to it.")  \
    X(pre##_gt, "filter." #pre ".gt", FMAGIC(kind, C_GT), 1, "threshold -- filter", txt " greater than it.")           \
    X(pre##_ge, "filter." #pre ".ge", FMAGIC(kind, C_GE), 1, "threshold -- filter", txt " greater than or equal to it.")

#define FILTERS(X)                                                                                                     \
    X(byclass, "filter.byclass", FMAGIC(F_CLASS, 0), 1, "selector -- filter",                                         \
      "Keeps the series whose class matches the selector (=exact, ~regex or exact).")                                 \
    X(bylabels, "filter.bylabels", FMAGIC(F_LABELS, 0), 1, "{label selector} -- filter",                              \
      "Keeps the series whose labels all match their selectors.")                                                      \
    X(byattr, "filter.byattr", FMAGIC(F_ATTR, 0), 1, "{attribute selector} -- filter",                                \
      "Keeps the series whose attributes all match their selectors.")                                                  \
    X(bylabelsattr, "filter.bylabelsattr", FMAGIC(F_LABELSATTR, 0), 1, "{name selector} -- filter",                   \
      "Keeps the series whose labels (else attributes) all match their selectors.")                                    \
    X(byselector, "filter.byselector", FMAGIC(F_SELECTOR, 0), 1, "'class{labels}' -- filter",                         \
      "Keeps the series matching a class{label selectors} selector.")                                                  \
    X(bymetadata, "filter.bymetadata", FMAGIC(F_METADATA, 0), 1, "[gts..] -- filter",                                 \
      "Keeps the series with the class and labels of one of the given series.")                                        \
    X(bysize, "filter.bysize", FMAGIC(F_SIZE, 0), 2, "min max -- filter",                                              \
      "Keeps the series whose number of points lies in [min, max].")                                                   \
    X(latencies, "filter.latencies", FMAGIC(F_LATENCIES, 0), 3, "min max [options] -- filter",                         \
      "Packet latencies: uplink hashes (first collection's one series) matched on the downlinks; new LONG series.")    \
    CMPS(X, F_LAST, last, "Keeps the series whose last value is")                                                      \
    CMPS(X, F_ANY, any, "Keeps the series with a value")                                                               \
    CMPS(X, F_ALL, all, "Keeps the series whose values are all")

#define DEF(id, nm, mg, np, sig, doc)                                                                                 \
    static const fn_def d_##id = {.name = nm,                                                                          \
                                  .kind = FN_KIND_FILTER,                                                              \
                                  .roles = FN_FILTER,                                                                  \
                                  .nparams = np,                                                                       \
                                  .magic = mg,                                                                         \
                                  .kernel = {.filter = k_filter},                                                      \
                                  .build = build_filter};
FILTERS(DEF)
#undef DEF

static const fn_def d_macrofilter = {.name = "MACROFILTER",
                                     .kind = FN_KIND_FILTER,
                                     .roles = FN_FILTER,
                                     .nparams = 1,
                                     .ptypes = {FP_MACRO},
                                     .build = agg_build_macro};

#define WORD(id, nm, mg, np, sig, doc) EXO_WORD_DATA(nm, fn_word, np, sig, doc, &d_##id),

static const word filter_words[] = {
    EXO_WORD("FILTER", w_filter, 1, "[[gts..].. labels filter] -- [gts..]",
             "Partitions the series by labels and keeps, class by class, the members the filter retains."),
    EXO_WORD("PFILTER", w_pfilter, 1, "[[gts..].. labels filter] -- map",
             "As FILTER, but pushes a MAP from each class's labels to its kept series."),
    EXO_WORD_DATA("MACROFILTER", fn_word, 1, "macro -- filter",
                  "A filter running macro on labels [[gts..] ..] (the class labels, then its collections), "
                  "which leaves the LIST to keep.",
                  &d_macrofilter),
    FILTERS(WORD)
};

EXO_FAMILY(filter, filter_words)
