/* Map words (spec e.8): construction, unpacking, key/value lists and the
 * macro-driven MMAP / MFILTER. Maps keep insertion order (LinkedHashMap);
 * keys are compared with Java equals (1 and 1.0 are different keys).
 * GET, PUT, REMOVE, SIZE, APPEND, CONTAINSKEY, CONTAINSVALUE and SORTBY
 * serve maps too but live in list.c, since they are polymorphic. */
#include "builtins.h"
#include "coll.h"

#include "../interp/numfmt.h"

#include <stdio.h>
#include <string.h>

/* A short text naming key k in error messages. */
static const char *key_text(value k, char *buf, size_t size)
{
    switch ((vtype)k.type) {
    case T_STRING:
        snprintf(buf, size, "%.200s", AS_STR(k)->data);
        break;
    case T_LONG:
        fmt_long(k.as.l, buf);
        break;
    case T_DOUBLE:
        fmt_double(k.as.d, buf);
        break;
    case T_BOOLEAN:
        snprintf(buf, size, "%s", k.as.b ? "true" : "false");
        break;
    case T_NULL:
        snprintf(buf, size, "null");
        break;
    default:
        snprintf(buf, size, "%s", val_type_name(k));
        break;
    }
    return buf;
}

static bool need_map(exo_vm *vm, const word *w, int depth)
{
    return vm_peek(vm, (size_t)depth - 1)->type == T_MAP || vm_type_error(vm, w, depth, "a MAP");
}

/* A map of the pairs base[0], base[1], ... (n values, retained). With
 * unique, a repeated key is an error; otherwise the last value wins. */
static map *map_of_pairs(exo_vm *vm, const value *base, size_t n, bool unique)
{
    map *m = map_new(vm, n / 2);
    if (!m)
        return NULL;
    for (size_t i = 0; i < n; i += 2) {
        if (unique && map_get(m, base[i])) {
            char buf[256 > NUMFMT_MAX ? 256 : NUMFMT_MAX];
            val_release(vm, v_obj(T_MAP, m));
            vm_fail(vm, "Duplicate map key '%s'", key_text(base[i], buf, sizeof buf));
            return NULL;
        }
        if (!map_put(vm, m, val_retain(base[i]), val_retain(base[i + 1]))) {
            val_release(vm, v_obj(T_MAP, m));
            return NULL;
        }
    }
    return m;
}

static bool w_open(exo_vm *vm, const word *w)
{
    (void)w;
    return vm_push(vm, v_mark());
}

static bool w_close(exo_vm *vm, const word *w)
{
    (void)w;
    size_t n = 0;
    while (n < vm->sp && vm_peek(vm, n)->type != T_MARK)
        n++;
    if (n == vm->sp)
        return vm_fail(vm, "Cannot find a matching start of map.");
    if (n % 2)
        return vm_fail(vm, "Odd number of elements, cannot create map.");
    map *m = map_of_pairs(vm, vm->stack + vm->sp - n, n, true);
    if (!m)
        return false;
    vm_drop(vm, n + 1);
    return vm_push(vm, v_obj(T_MAP, m));
}

static bool w_empty(exo_vm *vm, const word *w)
{
    (void)w;
    map *m = map_new(vm, 0);
    return m && vm_push(vm, v_obj(T_MAP, m));
}

/* k1 v1 .. kn vn 2n -> map (a repeated key keeps its last value) */
static bool w_tomap(exo_vm *vm, const word *w)
{
    value *top = vm_peek(vm, 0);
    if (top->type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG count");
    int64_t n = top->as.l;
    if (n < 0 || n % 2)
        return vm_fail(vm, "%s expects an even, non-negative count, got %lld.", w->name, (long long)n);
    if ((uint64_t)n > vm->sp - 1)
        return vm_fail(vm, "Empty stack.");
    map *m = map_of_pairs(vm, vm->stack + vm->sp - 1 - n, (size_t)n, false);
    if (!m)
        return false;
    vm_drop(vm, (size_t)n + 1);
    return vm_push(vm, v_obj(T_MAP, m));
}

/* magic: 0 = MAP-> (k1 v1 .. kn vn 2n), 1 = UNMAP (mark k1 v1 .. kn vn) */
static bool w_mapto(exo_vm *vm, const word *w)
{
    if (!need_map(vm, w, 1))
        return false;
    map *m = AS_MAP(*vm_peek(vm, 0));
    if (m->len > (SIZE_MAX - 1) / 2)
        return vm_oom(vm);
    if (!vm_reserve(vm, 2 * m->len))
        return false;
    value mv = vm_pop(vm);
    if (w->magic)
        vm->stack[vm->sp++] = v_mark();
    for (size_t i = 0; i < m->len; i++) {
        vm->stack[vm->sp++] = val_retain(m->ents[i].key);
        vm->stack[vm->sp++] = val_retain(m->ents[i].val);
    }
    if (!w->magic)
        vm->stack[vm->sp++] = v_long((int64_t)(2 * m->len));
    val_release(vm, mv);
    return true;
}

/* magic: 0 = KEYLIST, 1 = VALUELIST */
static bool w_keylist(exo_vm *vm, const word *w)
{
    if (!need_map(vm, w, 1))
        return false;
    map *m = AS_MAP(*vm_peek(vm, 0));
    list *l = list_new(vm, m->len);
    if (!l)
        return false;
    for (size_t i = 0; i < m->len; i++)
        l->items[l->len++] = val_retain(w->magic ? m->ents[i].val : m->ents[i].key);
    vm_drop(vm, 1);
    return vm_push(vm, v_obj(T_LIST, l));
}

/* map keys -> the entries of map whose keys are in the list (list order) */
static bool w_submap(exo_vm *vm, const word *w)
{
    if (vm_peek(vm, 0)->type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST of keys");
    if (!need_map(vm, w, 2))
        return false;
    list *keys = AS_LIST(*vm_peek(vm, 0));
    map *src = AS_MAP(*vm_peek(vm, 1)), *m = map_new(vm, 0);
    if (!m)
        return false;
    for (size_t i = 0; i < keys->len; i++) {
        value *v = map_get(src, keys->items[i]);
        if (v && !map_put(vm, m, val_retain(keys->items[i]), val_retain(*v))) {
            val_release(vm, v_obj(T_MAP, m));
            return false;
        }
    }
    vm_drop(vm, 2);
    return vm_push(vm, v_obj(T_MAP, m));
}

/* MMAP (magic 0): the macro gets key value (index) and leaves key value;
 * MFILTER (magic 1): it leaves a BOOLEAN saying whether to keep the entry.
 * pushIndex defaults to true. The result is a new map. */
static bool w_mmap(exo_vm *vm, const word *w)
{
    bool push_index = true, filter = w->magic;
    size_t f = coll_index_flag(vm, 2, &push_index);
    if (vm_peek(vm, f)->type != T_MACRO)
        return vm_type_error(vm, w, 1 + (int)f, "a MACRO");
    if (!need_map(vm, w, 2 + (int)f))
        return false;
    map *out = map_new(vm, 0);
    if (!out)
        return false;
    vm_drop(vm, f);
    value mv = vm_pop(vm), srcv = vm_pop(vm);
    map *src = AS_MAP(srcv);
    size_t n = src->len; /* entries the macro adds are not visited */
    bool ok = true;
    for (size_t i = 0; ok && i < n && i < src->len; i++) {
        value k = val_retain(src->ents[i].key), v = val_retain(src->ents[i].val), r, rk;
        ok = vm_push(vm, val_retain(k)) && vm_push(vm, val_retain(v)) &&
             (!push_index || vm_push(vm, v_long((int64_t)i))) && coll_call(vm, (macro *)mv.as.o, &r);
        if (ok && filter) {
            if (r.type != T_BOOLEAN) {
                ok = vm_fail(vm, "%s expects its macro to leave a BOOLEAN, got %s.", w->name, val_type_name(r));
                val_release(vm, r);
            } else if (r.as.b) {
                ok = map_put(vm, out, k, v);
                k = v = v_null(); /* consumed */
            }
        } else if (ok) {
            if (vm->sp == 0) {
                ok = vm_fail(vm, "Empty stack.");
                val_release(vm, r);
            } else {
                rk = vm_pop(vm);
                ok = map_put(vm, out, rk, r);
            }
        }
        val_release(vm, k);
        val_release(vm, v);
    }
    val_release(vm, mv);
    val_release(vm, srcv);
    if (!ok) {
        val_release(vm, v_obj(T_MAP, out));
        return false;
    }
    return vm_push(vm, v_obj(T_MAP, out));
}

static int entry_cmp(void *ctx, const void *a, const void *b)
{
    (void)ctx;
    return coll_compare(((const map_entry *)a)->key, ((const map_entry *)b)->key);
}

/* map -> a new map with the same entries, sorted by key (natural order) */
static bool w_msort(exo_vm *vm, const word *w)
{
    if (!need_map(vm, w, 1))
        return false;
    map *src = AS_MAP(*vm_peek(vm, 0));
    size_t n = src->len;
    if (n && !coll_check_comparable(vm, w, &src->ents[0].key, n, sizeof(map_entry)))
        return false;
    map_entry *e = n ? vm_alloc(vm, n * sizeof(map_entry)) : NULL; /* borrowed entries */
    if (n && !e)
        return false;
    if (n)
        memcpy(e, src->ents, n * sizeof(map_entry));
    map *m = NULL;
    if (coll_sort(vm, e, n, sizeof(map_entry), entry_cmp, NULL) && (m = map_new(vm, n)) != NULL)
        for (size_t i = 0; i < n; i++)
            if (!map_put(vm, m, val_retain(e[i].key), val_retain(e[i].val))) {
                val_release(vm, v_obj(T_MAP, m));
                m = NULL;
                break;
            }
    vm_dealloc(vm, e, n * sizeof(map_entry));
    if (!m)
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, v_obj(T_MAP, m));
}

static const word map_words[] = {
    EXO_WORD("{", w_open, 0, "-- mark", "Starts a map: pushes a MARK."),
    EXO_WORD("}", w_close, 0, "mark k1 v1 .. kn vn -- map",
             "Makes a MAP of the key/value pairs above the nearest MARK (a repeated key is an error)."),
    EXO_WORD("{}", w_empty, 0, "-- map", "Pushes an empty MAP."),
    EXO_WORD("->MAP", w_tomap, 1, "k1 v1 .. kn vn 2n -- map", "Makes a MAP of the 2n levels below the count."),
    EXO_WORD_MAGIC("MAP->", w_mapto, 1, "map -- k1 v1 .. kn vn 2n", "Pushes the keys and values of a MAP, then 2 x its size.", 0),
    EXO_WORD_MAGIC("UNMAP", w_mapto, 1, "map -- mark k1 v1 .. kn vn", "Pushes a MARK, then the keys and values of a MAP.", 1),
    EXO_WORD_MAGIC("KEYLIST", w_keylist, 1, "map -- list", "The keys of a MAP, in map order.", 0),
    EXO_WORD_MAGIC("VALUELIST", w_keylist, 1, "map -- list", "The values of a MAP, in map order.", 1),
    EXO_WORD("SUBMAP", w_submap, 2, "map keys -- map'", "A new MAP with the entries whose keys are in the list."),
    EXO_WORD_MAGIC("MMAP", w_mmap, 2, "map macro (pushIndex) -- map'",
                   "Runs the macro on each entry (key value, then index unless pushIndex is false); it leaves key value.", 0),
    EXO_WORD_MAGIC("MFILTER", w_mmap, 2, "map macro (pushIndex) -- map'",
                   "Keeps the entries for which the macro (key value, then index) leaves true.", 1),
    EXO_WORD("MSORT", w_msort, 1, "map -- map'", "A new MAP with the same entries, sorted by key."),
};

EXO_FAMILY(map, map_words)
