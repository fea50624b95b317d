/* FETCH and FIND over the VM's store (data loaded before the script runs,
 * see store.c). Selectors follow Warp 10: a class selector `=exact`,
 * `~regex` or plain exact; label selectors `=v`, `~re`, `!=v`, `!~re`
 * (an exact '' matches an absent label). Regexes are POSIX extended and
 * must match the whole string. FETCH returns copies restricted to the time
 * range, newest point first as Warp 10's storage returns them; FIND returns
 * the matching series without points. The token is accepted and ignored. */
#include "gts_words.h"

#include "../interp/store.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- selectors ---- */

typedef enum { M_EQ, M_NE, M_RE, M_NRE } match_kind;

typedef struct matcher {
    match_kind kind;
    const char *text; /* exact text (borrowed), or NULL for a regex */
    size_t len;
    regex_t re;
    bool compiled;
    value key; /* label name (borrowed), NULL for the class */
} matcher;

typedef struct selector {
    matcher m[33];
    size_t n; /* m[0] is the class */
} selector;

static void sel_free(selector *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->m[i].compiled)
            regfree(&s->m[i].re);
    s->n = 0;
}

/* Compiles one selector text into m (the kind prefix decides). */
static bool matcher_init(exo_vm *vm, const word *w, matcher *m, const char *s, size_t n, bool is_class)
{
    m->compiled = false;
    m->kind = M_EQ;
    if (n && s[0] == '=') {
        s++, n--;
    } else if (n && s[0] == '~') {
        m->kind = M_RE;
        s++, n--;
    } else if (!is_class && n >= 2 && s[0] == '!' && s[1] == '=') {
        m->kind = M_NE;
        s += 2, n -= 2;
    } else if (!is_class && n >= 2 && s[0] == '!' && s[1] == '~') {
        m->kind = M_NRE;
        s += 2, n -= 2;
    }
    m->text = s;
    m->len = n;
    if (m->kind == M_RE || m->kind == M_NRE) {
        char *pat = vm_alloc(vm, n + 5);
        if (!pat)
            return false;
        pat[0] = '^';
        pat[1] = '(';
        memcpy(pat + 2, s, n);
        memcpy(pat + 2 + n, ")$", 3);
        int rc = regcomp(&m->re, pat, REG_EXTENDED | REG_NOSUB);
        vm_dealloc(vm, pat, n + 5);
        if (rc != 0)
            return vm_fail(vm, "%s: invalid regular expression '%.*s'.", w->name, (int)(n > 64 ? 64 : n), s);
        m->compiled = true;
    }
    return true;
}

static bool matcher_test(const matcher *m, const str *v)
{
    const char *s = v ? v->data : "";
    size_t n = v ? v->len : 0;
    switch (m->kind) {
    case M_EQ:
        return n == m->len && memcmp(s, m->text, n) == 0;
    case M_NE:
        return !(n == m->len && memcmp(s, m->text, n) == 0);
    case M_RE:
    case M_NRE: {
        if (memchr(s, 0, n)) /* regexec stops at NUL: no full match possible */
            return m->kind == M_NRE;
        bool ok = regexec(&m->re, s, 0, NULL, 0) == 0;
        return m->kind == M_RE ? ok : !ok;
    }
    }
    return false;
}

static bool sel_match(const selector *s, const gts *g)
{
    if (!matcher_test(&s->m[0], AS_STR(g->cls)))
        return false;
    for (size_t i = 1; i < s->n; i++) {
        value *v = map_get(g->labels, s->m[i].key);
        if (!matcher_test(&s->m[i], v ? AS_STR(*v) : NULL))
            return false;
    }
    return true;
}

/* Builds a selector from a class selector and a MAP of label selectors. */
static bool sel_build(exo_vm *vm, const word *w, selector *s, value cls, value labels)
{
    s->n = 0;
    if (cls.type != T_STRING)
        return vm_fail(vm, "%s expects the class selector to be a STRING, got %s.", w->name, val_type_name(cls));
    if (labels.type != T_MAP && labels.type != T_NULL)
        return vm_fail(vm, "%s expects the labels selectors to be a MAP, got %s.", w->name, val_type_name(labels));
    map *lm = labels.type == T_MAP ? AS_MAP(labels) : NULL;
    if (lm && lm->len > countof(s->m) - 1)
        return vm_fail(vm, "%s accepts at most %zu label selectors.", w->name, countof(s->m) - 1);
    for (size_t i = 0; lm && i < lm->len; i++)
        if (lm->ents[i].key.type != T_STRING || lm->ents[i].val.type != T_STRING)
            return vm_fail(vm, "%s expects STRING label names and selectors.", w->name);
    if (!matcher_init(vm, w, &s->m[0], AS_STR(cls)->data, AS_STR(cls)->len, true))
        return false;
    s->m[0].key = v_null();
    s->n = 1;
    for (size_t i = 0; lm && i < lm->len; i++) {
        const str *v = AS_STR(lm->ents[i].val);
        if (!matcher_init(vm, w, &s->m[s->n], v->data, v->len, false)) {
            sel_free(s);
            return false;
        }
        s->m[s->n++].key = lm->ents[i].key;
    }
    return true;
}

/* ---- parameters ---- */

typedef struct fetch_args {
    value cls, labels;
    int64_t end;
    bool has_start, has_count, has_span;
    int64_t start, span, count;
} fetch_args;

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static bool long_param(exo_vm *vm, const word *w, value v, const char *what, int64_t *out)
{
    if (v.type != T_LONG)
        return vm_fail(vm, "%s expects %s to be a LONG, got %s.", w->name, what, val_type_name(v));
    *out = v.as.l;
    return true;
}

/* Reads the LIST form [token class labels (end timespan)] or the MAP form. */
static bool read_args(exo_vm *vm, const word *w, value p, bool find, fetch_args *a)
{
    memset(a, 0, sizeof *a);
    a->cls = v_null();
    a->labels = v_null();
    if (p.type == T_LIST) {
        list *l = AS_LIST(p);
        size_t want = find ? 3 : 5;
        if (l->len != want)
            return vm_fail(vm, "%s expects a LIST [token class {labels}%s], got %zu elements.", w->name,
                           find ? "" : " end timespan", l->len);
        a->cls = l->items[1];
        a->labels = l->items[2];
        if (find)
            return true;
        if (!long_param(vm, w, l->items[3], "the end", &a->end) ||
            !long_param(vm, w, l->items[4], "the timespan", &a->span))
            return false;
        if (a->span < 0) {
            a->has_count = true;
            a->count = a->span == INT64_MIN ? INT64_MAX : -a->span;
        } else {
            a->has_span = true;
        }
        return true;
    }
    map *m = AS_MAP(p);
    struct {
        const char *k;
        value *v;
    } keys[] = {{"class", NULL}, {"labels", NULL}, {"end", NULL}, {"start", NULL}, {"timespan", NULL}, {"count", NULL}};
    for (size_t i = 0; i < m->len; i++) {
        value k = m->ents[i].key;
        if (k.type != T_STRING)
            continue;
        for (size_t j = 0; j < countof(keys); j++)
            if (strlen(keys[j].k) == AS_STR(k)->len && memcmp(keys[j].k, AS_STR(k)->data, AS_STR(k)->len) == 0)
                keys[j].v = &m->ents[i].val;
    }
    if (!keys[0].v)
        return vm_fail(vm, "%s expects a 'class' selector in its MAP parameter.", w->name);
    a->cls = *keys[0].v;
    a->labels = keys[1].v ? *keys[1].v : v_null();
    if (find)
        return true;
    if (keys[2].v) {
        if (!long_param(vm, w, *keys[2].v, "'end'", &a->end))
            return false;
    } else {
        if (!vm_need_cap(vm, w, EXO_CAP_CLOCK, "clock"))
            return false;
        a->end = now_us();
    }
    if (keys[3].v) {
        if (!long_param(vm, w, *keys[3].v, "'start'", &a->start))
            return false;
        a->has_start = true;
    }
    if (keys[4].v) {
        if (!long_param(vm, w, *keys[4].v, "'timespan'", &a->span))
            return false;
        if (a->span < 0)
            return vm_fail(vm, "%s expects a non-negative 'timespan'.", w->name);
        a->has_span = true;
    }
    if (keys[5].v) {
        if (!long_param(vm, w, *keys[5].v, "'count'", &a->count))
            return false;
        if (a->count < 0)
            return vm_fail(vm, "%s expects a non-negative 'count'.", w->name);
        a->has_count = true;
    }
    if (!a->has_start && !a->has_span && !a->has_count)
        return vm_fail(vm, "%s expects 'start', 'timespan' or 'count' in its MAP parameter.", w->name);
    return true;
}

/* Counts the points of an ascending sequence with tick < t (<= t when
 * inclusive): a GTS by binary search, a stored series block by block. */
typedef bool (*count_fn)(exo_vm *vm, const void *src, int64_t t, bool inclusive, size_t *out);

static bool count_gts(exo_vm *vm, const void *src, int64_t t, bool inclusive, size_t *out)
{
    (void)vm;
    const gts *g = src;
    size_t l = 0, h = g->len;
    while (l < h) {
        size_t mid = l + (h - l) / 2;
        if (inclusive ? g->ticks[mid] <= t : g->ticks[mid] < t)
            l = mid + 1;
        else
            h = mid;
    }
    *out = l;
    return true;
}

static bool count_store(exo_vm *vm, const void *src, int64_t t, bool inclusive, size_t *out)
{
    return store_count_before(vm, src, t, inclusive, out);
}

/* Index range [lo, hi) of an ascending sequence for the request. */
static bool time_range(exo_vm *vm, count_fn count, const void *src, const fetch_args *a, size_t *lo, size_t *hi)
{
    size_t top, bottom = 0;
    if (!count(vm, src, a->end, true, &top)) /* points up to end, inclusive */
        return false;
    if (a->has_start || a->has_span) {
        /* start inclusive; a timespan gives ]end - timespan, end] */
        int64_t first = a->start;
        if (!a->has_start) {
            uint64_t room = (uint64_t)a->end - (uint64_t)INT64_MIN; /* end - MINLONG, exact */
            first = a->span == 0                         ? INT64_MAX /* empty range */
                    : (uint64_t)a->span - 1 > room       ? INT64_MIN
                                                         : (int64_t)((uint64_t)a->end - ((uint64_t)a->span - 1));
        }
        if (!count(vm, src, first, false, &bottom))
            return false;
        bottom = bottom < top ? bottom : top;
    }
    if (a->has_count && (uint64_t)(top - bottom) > (uint64_t)a->count)
        bottom = top - (size_t)a->count;
    *lo = bottom;
    *hi = top;
    return true;
}

/* Copies n elements of elem bytes from src into dst in reverse order. */
static void copy_reversed(void *dst, const void *src, size_t n, size_t elem)
{
    if (elem == 8) {
        int64_t *d = dst;
        const int64_t *s = src;
        for (size_t i = 0; i < n; i++)
            d[i] = s[n - 1 - i];
    } else {
        char *d = dst;
        const char *s = src;
        for (size_t i = 0; i < n; i++)
            memcpy(d + i * elem, s + (n - 1 - i) * elem, elem);
    }
}

/* A copy of points [lo, hi) of the ascending g, newest first: arrays sized
 * once and filled by straight reversed copies. The sorted flag is what
 * appending those points one by one would leave. */
static gts *slice(exo_vm *vm, const gts *g, size_t lo, size_t hi)
{
    size_t n = hi - lo;
    gts *c = gts_clone(vm, g, false);
    if (!c || n == 0)
        return c;
    if (!gts_set_type(vm, c, g->type) || (g->loc && !gts_ensure_loc(vm, c)) || (g->elev && !gts_ensure_elev(vm, c)) ||
        !gts_reserve(vm, c, n)) {
        val_release(vm, v_obj(T_GTS, c));
        return NULL;
    }
    copy_reversed(c->ticks, g->ticks + lo, n, sizeof(int64_t));
    size_t vs = gts_value_size(g->type);
    copy_reversed(c->v.b, g->v.b + lo * vs, n, vs);
    if (g->type == GTS_STRING)
        for (size_t i = 0; i < n; i++)
            c->v.s[i]->h.rc++;
    if (g->loc)
        copy_reversed(c->loc, g->loc + lo, n, sizeof(int64_t));
    if (g->elev)
        copy_reversed(c->elev, g->elev + lo, n, sizeof(int64_t));
    c->len = n;
    size_t k = 1;
    while (k < n && c->ticks[k] == c->ticks[k - 1])
        k++;
    c->sorted = k == n ? GTS_ASC : k == 1 ? GTS_DESC : GTS_UNSORTED;
    return c;
}

static bool do_fetch(exo_vm *vm, const word *w, bool find)
{
    value p = *vm_peek(vm, 0);
    if (p.type != T_LIST && p.type != T_MAP)
        return vm_type_error(vm, w, 1, find ? "a LIST [token class {labels}] or a MAP"
                                            : "a LIST [token class {labels} end timespan] or a MAP");
    fetch_args a;
    selector s;
    if (!read_args(vm, w, p, find, &a) || !sel_build(vm, w, &s, a.cls, a.labels))
        return false;
    gts_store *st = vm->store;
    list *res = list_new(vm, 0);
    bool ok = res != NULL;
    uint64_t points = 0;
    for (size_t i = 0; ok && st && i < st->n; i++) {
        const store_series *ss = &st->series[i];
        if (!sel_match(&s, ss->g))
            continue;
        if (res->len >= vm->limits.maxgts) {
            ok = vm_limit(vm, "%s would return more than %llu GTS (maxgts).", w->name,
                          (unsigned long long)vm->limits.maxgts);
            break;
        }
        gts *c = NULL;
        if (find) {
            c = gts_clone(vm, ss->g, false);
        } else {
            /* a sorted series is cut and reversed straight from the
             * store; any other is decoded whole and sorted first */
            bool ordered = store_ordered(ss);
            gts *all = ordered ? NULL : store_materialize(vm, ss);
            size_t lo = 0, hi = 0;
            ok = (ordered || (all && gts_sort(vm, all, false))) &&
                 (ordered ? time_range(vm, count_store, ss, &a, &lo, &hi) : time_range(vm, count_gts, all, &a, &lo, &hi));
            points += hi - lo;
            if (ok && points > vm->limits.maxpoints)
                ok = vm_limit(vm, "%s would return more than %llu points (maxpoints).", w->name,
                              (unsigned long long)vm->limits.maxpoints);
            if (ok)
                c = ordered ? store_slice_desc(vm, ss, lo, hi) : slice(vm, all, lo, hi);
            if (all)
                val_release(vm, v_obj(T_GTS, all));
            if (!ok)
                break;
        }
        ok = c && list_push(vm, res, v_obj(T_GTS, c));
    }
    sel_free(&s);
    if (!ok) {
        if (res)
            val_release(vm, v_obj(T_LIST, res));
        return false;
    }
    return gw_replace(vm, 1, v_obj(T_LIST, res));
}

static bool w_fetch(exo_vm *vm, const word *w) { return do_fetch(vm, w, false); }
static bool w_find(exo_vm *vm, const word *w) { return do_fetch(vm, w, true); }

static const word fetch_words[] = {
    EXO_WORD("FETCH", w_fetch, 1, "[token class {labels} end timespan] -- [gts..]",
             "Reads series of the loaded data (exo --data) matching the selectors, in the time range (newest first)."),
    EXO_WORD("FIND", w_find, 1, "[token class {labels}] -- [gts..]",
             "The loaded series matching the selectors, without points."),
};

EXO_FAMILY(fetch, fetch_words)
