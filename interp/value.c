/* Heap object lifetime, type names, equality and hashing.
 * Freeing is iterative: an object whose count drops to zero is queued and
 * the queue is drained in a loop, so releasing a list nested 100,000 deep
 * never recurses on the C stack. */
#include "value.h"
#include "alloc.h"
#include "function.h"
#include "geoshape.h"
#include "macro.h"
#include "vm.h"

#include <math.h>
#include <string.h>

void obj_init(exo_vm *vm, obj *o, vtype type)
{
    o->rc = 1;
    o->type = (uint8_t)type;
    o->flags = 0;
    o->prev = NULL;
    o->next = vm->objects;
    if (vm->objects)
        vm->objects->prev = o;
    vm->objects = o;
}

static void unlink_obj(exo_vm *vm, obj *o)
{
    if (o->prev)
        o->prev->next = o->next;
    else
        vm->objects = o->next;
    if (o->next)
        o->next->prev = o->prev;
}

/* Releases what o references and frees o's own memory. */
static void destroy(exo_vm *vm, obj *o, bool release_children)
{
    switch ((vtype)o->type) {
    case T_STRING:
    case T_BYTES:
        vm_dealloc(vm, o, sizeof(str) + ((str *)o)->len + 1);
        return;
    case T_LIST: {
        list *l = (list *)o;
        if (release_children)
            for (size_t i = 0; i < l->len; i++)
                val_release(vm, l->items[i]);
        vm_dealloc(vm, l->items, l->cap * sizeof(value));
        vm_dealloc(vm, l, sizeof(list));
        return;
    }
    case T_MAP: {
        map *m = (map *)o;
        if (release_children)
            for (size_t i = 0; i < m->len; i++) {
                val_release(vm, m->ents[i].key);
                val_release(vm, m->ents[i].val);
            }
        vm_dealloc(vm, m->ents, m->cap * sizeof(map_entry));
        vm_dealloc(vm, m->index, m->icap * sizeof(uint32_t));
        vm_dealloc(vm, m, sizeof(map));
        return;
    }
    case T_MACRO:
        macro_destroy(vm, (macro *)o, release_children);
        return;
    default:
        if (vm->destroy_ext[o->type])
            vm->destroy_ext[o->type](vm, o, release_children);
        return;
    }
}

void obj_free(exo_vm *vm, obj *o)
{
    unlink_obj(vm, o);
    o->next = vm->dead;
    vm->dead = o;
    if (vm->draining)
        return;
    vm->draining = true;
    while (vm->dead) {
        obj *d = vm->dead;
        vm->dead = d->next;
        destroy(vm, d, true);
    }
    vm->draining = false;
}

/* Teardown: free every object whatever its count, without touching
 * children (they are on the list too). */
void obj_free_all(exo_vm *vm)
{
    while (vm->objects) {
        obj *o = vm->objects;
        vm->objects = o->next;
        destroy(vm, o, false);
    }
}

static const char *const type_names[T_COUNT] = {
    [T_NULL] = "NULL",         [T_BOOLEAN] = "BOOLEAN", [T_LONG] = "LONG",
    [T_DOUBLE] = "DOUBLE",     [T_STRING] = "STRING",   [T_BYTES] = "BYTES",
    [T_LIST] = "LIST",         [T_MAP] = "MAP",         [T_MACRO] = "MACRO",
    [T_FUNCTION] = "FUNCTION", [T_GTS] = "GTS",         [T_MARK] = "MARK",
    [T_GEOSHAPE] = "GEOSHAPE",
};

const char *vtype_name(vtype t) { return t < T_COUNT ? type_names[t] : "?"; }

const char *val_type_name(value v)
{
    if (v.type == T_FUNCTION) /* AGGREGATOR, FILTER, OPERATOR or FILLER */
        return fn_type_name(v.as.o);
    return vtype_name((vtype)v.type);
}

bool val_is_oom(value v) { return v.type == T_NULL; }

/* Nesting beyond this is compared by identity: equality of lists nested
 * 100,000 deep must not exhaust the C stack. */
#define EQUALS_MAX_DEPTH 2048

static bool equals(value a, value b, bool numeric_cross, int depth);

bool val_equals(value a, value b, bool numeric_cross) { return equals(a, b, numeric_cross, 0); }

static bool equals(value a, value b, bool numeric_cross, int depth)
{
    if (val_is_number(a) && val_is_number(b)) {
        if (a.type == T_LONG && b.type == T_LONG)
            return a.as.l == b.as.l;
        if (!numeric_cross && a.type != b.type)
            return false;
        double x = val_as_double(a), y = val_as_double(b);
        if (isnan(x) || isnan(y))
            return isnan(x) && isnan(y);
        return x == y;
    }
    if (a.type != b.type)
        return false;
    switch ((vtype)a.type) {
    case T_NULL:
    case T_MARK:
        return true;
    case T_BOOLEAN:
        return a.as.b == b.as.b;
    case T_STRING:
    case T_BYTES: {
        str *x = AS_STR(a), *y = AS_STR(b);
        return x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
    }
    case T_LIST: {
        list *x = AS_LIST(a), *y = AS_LIST(b);
        if (x == y)
            return true;
        if (x->len != y->len || depth >= EQUALS_MAX_DEPTH)
            return false;
        for (size_t i = 0; i < x->len; i++)
            if (!equals(x->items[i], y->items[i], false, depth + 1))
                return false;
        return true;
    }
    case T_MAP: {
        map *x = AS_MAP(a), *y = AS_MAP(b);
        if (x == y)
            return true;
        if (x->len != y->len || depth >= EQUALS_MAX_DEPTH)
            return false;
        for (size_t i = 0; i < x->len; i++) {
            value *o = map_get(y, x->ents[i].key);
            if (!o || !equals(x->ents[i].val, *o, false, depth + 1))
                return false;
        }
        return true;
    }
    case T_GEOSHAPE: { /* as EQ.java: the sorted cell arrays */
        const geoshape *x = AS_GEOSHAPE(a), *y = AS_GEOSHAPE(b);
        return x->n == y->n && (x->n == 0 || memcmp(x->cells, y->cells, x->n * sizeof(int64_t)) == 0);
    }
    default:
        return a.as.o == b.as.o;
    }
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static uint64_t hash(value v, int depth);

uint64_t val_hash(value v) { return hash(v, 0); }

/* Hashes look at most 16 elements and 8 levels deep: equal values still
 * hash alike, and deep nesting costs nothing. */
static uint64_t hash(value v, int depth)
{
    switch ((vtype)v.type) {
    case T_BOOLEAN:
        return mix(v.as.b + 0x9e37u);
    case T_LONG:
        return mix((uint64_t)v.as.l);
    case T_DOUBLE: {
        uint64_t bits;
        double d = isnan(v.as.d) ? NAN : v.as.d;
        memcpy(&bits, &d, sizeof bits);
        return mix(bits ^ 0xd0u);
    }
    case T_STRING:
    case T_BYTES: {
        str *s = AS_STR(v);
        uint64_t h = 1469598103934665603ULL; /* FNV-1a */
        for (size_t i = 0; i < s->len; i++)
            h = (h ^ (unsigned char)s->data[i]) * 1099511628211ULL;
        return h;
    }
    case T_LIST: {
        list *l = AS_LIST(v);
        uint64_t h = 0x11;
        for (size_t i = 0; i < l->len && i < 16 && depth < 8; i++)
            h = mix(h ^ hash(l->items[i], depth + 1));
        return h;
    }
    case T_MAP:
        return mix(AS_MAP(v)->len + 0x77);
    case T_GEOSHAPE: {
        const geoshape *s = AS_GEOSHAPE(v);
        uint64_t h = mix(s->n + 0x6e0);
        for (size_t i = 0; i < s->n && i < 16; i++)
            h = mix(h ^ (uint64_t)s->cells[i]);
        return h;
    }
    default:
        return mix((uint64_t)(uintptr_t)(val_is_heap(v) ? (void *)v.as.o : NULL) + v.type);
    }
}
