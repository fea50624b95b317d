/* Values: a type tag plus an 8-byte payload, passed by value.
 *
 * THE OWNERSHIP RULE (stated once, used everywhere):
 *   - vm_pop hands the caller one reference; vm_push consumes one.
 *   - accessors (vm_peek, list_get, map_get, ...) borrow: retain to keep.
 *   - val_retain / val_release count references of heap values; scalars
 *     (NULL, BOOLEAN, LONG, DOUBLE, MARK) have none.
 * Every heap object is also on its VM's object list, so exo_vm_free frees
 * everything, reference cycles included (`$l $l +!`). */
#ifndef EXO_VALUE_H
#define EXO_VALUE_H

#include "common.h"

typedef enum {
    T_NULL,
    T_BOOLEAN,
    T_LONG,
    T_DOUBLE,
    T_STRING,
    T_BYTES,
    T_LIST,
    T_MAP,
    T_MACRO,
    T_FUNCTION,
    T_GTS,
    T_MARK,
    T_GEOSHAPE, /* interp/geoshape.h */
    T_COUNT
} vtype;

/* Header of every heap object. */
typedef struct obj {
    struct obj *prev, *next; /* the VM's object list */
    uint32_t rc;
    uint8_t type;
    uint8_t flags;
} obj;

typedef struct value {
    uint8_t type;
    union {
        bool b;
        int64_t l;
        double d;
        obj *o;
    } as;
} value;

/* Immutable strings and byte arrays; data is always NUL-terminated. */
typedef struct str {
    obj h;
    size_t len;
    char data[];
} str;

typedef struct list {
    obj h;
    size_t len, cap;
    value *items;
} list;

typedef struct map_entry {
    value key, val;
} map_entry;

/* Insertion-ordered map: entries in order plus an open-addressing index. */
typedef struct map {
    obj h;
    size_t len, cap;
    map_entry *ents;
    uint32_t *index; /* slot -> entry index + 1; 0 = empty */
    size_t icap;
} map;

static inline value v_null(void) { value v = {.type = T_NULL}; return v; }
static inline value v_mark(void) { value v = {.type = T_MARK}; return v; }
static inline value v_bool(bool b) { value v = {.type = T_BOOLEAN, .as.b = b}; return v; }
static inline value v_long(int64_t l) { value v = {.type = T_LONG, .as.l = l}; return v; }
static inline value v_double(double d) { value v = {.type = T_DOUBLE, .as.d = d}; return v; }
static inline value v_obj(vtype t, void *o) { value v = {.type = (uint8_t)t, .as.o = (obj *)o}; return v; }

static inline bool val_is_heap(value v) { return v.type >= T_STRING && v.type != T_MARK; }
static inline bool val_is_number(value v) { return v.type == T_LONG || v.type == T_DOUBLE; }
static inline double val_as_double(value v) { return v.type == T_LONG ? (double)v.as.l : v.as.d; }

#define AS_STR(v) ((str *)(v).as.o)
#define AS_LIST(v) ((list *)(v).as.o)
#define AS_MAP(v) ((map *)(v).as.o)

void obj_free(exo_vm *vm, obj *o);

static inline value val_retain(value v)
{
    if (val_is_heap(v))
        v.as.o->rc++;
    return v;
}

static inline void val_release(exo_vm *vm, value v)
{
    if (val_is_heap(v) && --v.as.o->rc == 0)
        obj_free(vm, v.as.o);
}

/* Links a freshly allocated object (rc = 1) into the VM's object list. */
void obj_init(exo_vm *vm, obj *o, vtype type);

/* Type names as TYPEOF returns them. */
const char *val_type_name(value v);
const char *vtype_name(vtype t);

/* WarpScript `==`: numbers by value across LONG/DOUBLE, NaN == NaN,
 * otherwise same type and equal content (lists element-wise, no
 * LONG/DOUBLE mixing inside collections, as Java equals does). */
bool val_equals(value a, value b, bool numeric_cross);
uint64_t val_hash(value v);

/* Strings */
value str_new(exo_vm *vm, const char *s, size_t len); /* T_NULL type on OOM */
value str_from(exo_vm *vm, const char *s);
value bytes_new(exo_vm *vm, const void *s, size_t len);
bool val_is_oom(value v); /* true when a constructor failed */

/* Lists */
list *list_new(exo_vm *vm, size_t cap);
bool list_push(exo_vm *vm, list *l, value v); /* consumes v (also on failure) */
bool list_reserve(exo_vm *vm, list *l, size_t cap);

/* Maps (keys compared with val_equals without numeric crossing) */
map *map_new(exo_vm *vm, size_t cap);
value *map_get(map *m, value key);            /* borrowed, NULL if absent */
bool map_put(exo_vm *vm, map *m, value key, value val); /* consumes both */
bool map_remove(exo_vm *vm, map *m, value key, value *out); /* *out owned */
bool map_rehash(exo_vm *vm, map *m);

#endif
