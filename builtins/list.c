/* List words (spec e.7) and the polymorphic collection words that also
 * serve maps, strings and bytes (GET, PUT, SIZE, APPEND, REMOVE, CONTAINS,
 * REVERSE, CLONE, INDEXOF, SORTBY). Mutating words change the object in
 * place and leave the same reference on the stack, so aliases see it (h.10).
 * Words that run a macro own the list and the macro while it runs and
 * re-check bounds at each step, since the macro may mutate or drop the list.
 * There is no SET type: `( )` builds a LIST whose elements are unique. */
#include "builtins.h"
#include "coll.h"
#include "gts_words.h"

#include "../interp/geoshape.h"
#include "../interp/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared helpers (also used by map.c through coll.h) ---- */

int coll_kind(value v)
{
    switch ((vtype)v.type) {
    case T_LONG:
    case T_DOUBLE:
        return CK_NUMBER;
    case T_STRING:
        return CK_STRING;
    case T_BOOLEAN:
        return CK_BOOLEAN;
    default:
        return CK_NONE;
    }
}

static int cmp_double(double x, double y)
{
    if (x < y)
        return -1;
    if (x > y)
        return 1;
    int nx = isnan(x) != 0, ny = isnan(y) != 0;
    if (nx || ny)
        return nx - ny; /* NaN sorts last, as Double.compare does */
    return (signbit(y) != 0) - (signbit(x) != 0);
}

int coll_compare(value a, value b)
{
    switch (coll_kind(a)) {
    case CK_NUMBER:
        if (a.type == T_LONG && b.type == T_LONG)
            return (a.as.l > b.as.l) - (a.as.l < b.as.l);
        return cmp_double(val_as_double(a), val_as_double(b));
    case CK_STRING: {
        str *x = AS_STR(a), *y = AS_STR(b);
        int c = memcmp(x->data, y->data, x->len < y->len ? x->len : y->len);
        if (c)
            return c < 0 ? -1 : 1;
        return (x->len > y->len) - (x->len < y->len);
    }
    case CK_BOOLEAN:
        return (int)a.as.b - (int)b.as.b;
    default:
        return 0;
    }
}

bool coll_check_comparable(exo_vm *vm, const word *w, const value *first, size_t n, size_t stride)
{
    if (n < 2) /* nothing is compared, as in Java's sort */
        return true;
    const char *p = (const char *)first;
    value v0 = *first;
    int k = coll_kind(v0);
    for (size_t i = 0; i < n; i++) {
        value v = *(const value *)(p + i * stride);
        if (k == CK_NONE || coll_kind(v) != k)
            return vm_fail(vm, "%s cannot compare %s with %s.", w->name, val_type_name(v0), val_type_name(v));
    }
    return true;
}

bool coll_sort(exo_vm *vm, void *base, size_t n, size_t size, coll_cmp cmp, void *ctx)
{
    if (n < 2)
        return true;
    char *tmp = vm_alloc(vm, n * size);
    if (!tmp)
        return false;
    char *src = base, *dst = tmp;
    bool ok = true;
    for (size_t width = 1; ok && width < n; width *= 2) {
        for (size_t lo = 0; ok && lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = mid + width < n ? mid + width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                int c = cmp(ctx, src + j * size, src + i * size);
                if (c == COLL_CMP_ERR) {
                    ok = false;
                    break;
                }
                /* the right run wins only when strictly smaller: stable */
                if (c < 0)
                    memcpy(dst + k++ * size, src + j++ * size, size);
                else
                    memcpy(dst + k++ * size, src + i++ * size, size);
            }
            if (!ok)
                break;
            memcpy(dst + k * size, src + i * size, (mid - i) * size);
            k += mid - i;
            memcpy(dst + k * size, src + j * size, (hi - j) * size);
        }
        if (ok) {
            char *t = src;
            src = dst;
            dst = t;
        }
    }
    /* src holds every element (a failed pass only wrote to dst) */
    if (src != (char *)base)
        memcpy(base, src, n * size);
    vm_dealloc(vm, tmp, n * size);
    return ok;
}

bool coll_call(exo_vm *vm, macro *m, value *out)
{
    if (!vm_exec(vm, m))
        return false;
    if (vm->sp == 0)
        return vm_fail(vm, "Empty stack.");
    *out = vm_pop(vm);
    return true;
}

size_t coll_index_flag(exo_vm *vm, size_t base, bool *push_index)
{
    if (vm->sp > base && vm_peek(vm, 0)->type == T_BOOLEAN) {
        *push_index = vm_peek(vm, 0)->as.b;
        return 1;
    }
    return 0;
}

/* ---- local helpers ---- */

/* Length in bytes of the UTF-8 sequence starting at byte i (clipped). */
static size_t u8_next(const str *s, size_t i)
{
    unsigned char c = (unsigned char)s->data[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    return i + (n <= s->len - i ? n : s->len - i);
}

static size_t u8_count(const str *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->len; i = u8_next(s, i))
        n++;
    return n;
}

/* Byte offset of code point k (k <= count). */
static size_t u8_offset(const str *s, size_t k)
{
    size_t i = 0;
    while (k-- > 0 && i < s->len)
        i = u8_next(s, i);
    return i;
}

/* Resolves index i against size n (negative counts from the end). */
static bool resolve_index(int64_t i, size_t n, bool allow_negative, size_t *out)
{
    if (i < 0) {
        uint64_t back = (uint64_t)(-(i + 1)) + 1; /* -i without overflow */
        if (!allow_negative || back > n)
            return false;
        *out = n - (size_t)back;
        return true;
    }
    if ((uint64_t)i >= n)
        return false;
    *out = (size_t)i;
    return true;
}

static bool index_error(exo_vm *vm, const word *w, int64_t i, size_t n)
{
    if (i >= 0)
        return vm_fail(vm, "%s failed. Index out of bound, %lld >= %zu.", w->name, (long long)i, n);
    return vm_fail(vm, "%s failed. Index out of bound, %lld < -%zu.", w->name, (long long)i, n);
}

/* Number of levels above the nearest MARK. */
static bool find_mark(exo_vm *vm, size_t *n)
{
    for (size_t i = 0; i < vm->sp; i++)
        if (vm_peek(vm, i)->type == T_MARK) {
            *n = i;
            return true;
        }
    return false;
}

/* Appends to out each of vals[0..n) not seen before (first occurrence
 * wins); a scratch map (Java equals: 1 and 1.0 differ) remembers them. */
static bool add_unique(exo_vm *vm, list *out, const value *vals, size_t n)
{
    map *seen = map_new(vm, 0);
    if (!seen)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        if (map_get(seen, vals[i]))
            continue;
        ok = map_put(vm, seen, val_retain(vals[i]), v_null()) && list_push(vm, out, val_retain(vals[i]));
    }
    val_release(vm, v_obj(T_MAP, seen));
    return ok;
}

static list *list_copy(exo_vm *vm, const list *src)
{
    list *l = list_new(vm, src->len);
    if (!l)
        return NULL;
    for (size_t i = 0; i < src->len; i++)
        l->items[i] = val_retain(src->items[i]);
    l->len = src->len;
    return l;
}

static map *map_copy(exo_vm *vm, const map *src)
{
    map *m = map_new(vm, src->len);
    if (!m)
        return NULL;
    for (size_t i = 0; i < src->len; i++)
        if (!map_put(vm, m, val_retain(src->ents[i].key), val_retain(src->ents[i].val))) {
            val_release(vm, v_obj(T_MAP, m));
            return NULL;
        }
    return m;
}

/* Pops n levels and pushes one result (which cannot fail: a slot was freed). */
static bool replace_top(exo_vm *vm, size_t n, value result)
{
    vm_drop(vm, n);
    return vm_push(vm, result);
}

/* ---- construction ---- */

static bool w_open(exo_vm *vm, const word *w)
{
    (void)w;
    return vm_push(vm, v_mark());
}

/* magic: 0 = `]` (LIST), 1 = `)` (SET: unique elements) */
static bool w_close(exo_vm *vm, const word *w)
{
    size_t n;
    if (!find_mark(vm, &n))
        return vm_fail(vm, w->magic ? "Cannot find a matching start of set." : "Cannot find a matching start of list.");
    list *l = list_new(vm, w->magic ? 0 : n);
    if (!l)
        return false;
    value *base = vm->stack + vm->sp - n;
    if (w->magic) {
        if (!add_unique(vm, l, base, n)) {
            val_release(vm, v_obj(T_LIST, l));
            return false;
        }
        vm_drop(vm, n + 1);
    } else {
        if (n)
            memcpy(l->items, base, n * sizeof(value)); /* the stack's references move */
        l->len = n;
        vm->sp -= n + 1;
    }
    return vm_push(vm, v_obj(T_LIST, l));
}

static bool w_empty_list(exo_vm *vm, const word *w)
{
    (void)w;
    list *l = list_new(vm, 0);
    return l && vm_push(vm, v_obj(T_LIST, l));
}

static bool w_tolist(exo_vm *vm, const word *w)
{
    value *top = vm_peek(vm, 0);
    if (top->type == T_LIST)
        return true;
    if (top->type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG count or a LIST");
    int64_t n = top->as.l;
    if (n < 0)
        return vm_fail(vm, "%s expects a non-negative count, got %lld.", w->name, (long long)n);
    if ((uint64_t)n > vm->sp - 1)
        return vm_fail(vm, "Empty stack.");
    list *l = list_new(vm, (size_t)n);
    if (!l)
        return false;
    vm_drop(vm, 1);
    if (n)
        memcpy(l->items, vm->stack + vm->sp - n, (size_t)n * sizeof(value));
    l->len = (size_t)n;
    vm->sp -= (size_t)n;
    return vm_push(vm, v_obj(T_LIST, l));
}

/* magic: 0 = LIST-> (x1..xn n), 1 = UNLIST (mark x1..xn) */
static bool w_listto(exo_vm *vm, const word *w)
{
    if (vm_peek(vm, 0)->type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST");
    list *l = AS_LIST(*vm_peek(vm, 0));
    if (!vm_reserve(vm, l->len))
        return false;
    value lv = vm_pop(vm);
    if (w->magic)
        vm->stack[vm->sp++] = v_mark();
    for (size_t i = 0; i < l->len; i++)
        vm->stack[vm->sp++] = val_retain(l->items[i]);
    if (!w->magic)
        vm->stack[vm->sp++] = v_long((int64_t)l->len);
    val_release(vm, lv);
    return true;
}

/* ---- access by index or key ---- */

/* Follows path[0..n) (n >= 1) from the LIST root: a LIST step takes a LONG
 * index (negative from the end), a MAP step a key. *slot is the addressed
 * value, or NULL for a missing map key. */
static bool walk(exo_vm *vm, const word *w, value root, const value *path, size_t n, value **slot)
{
    value at = root, *cur = NULL;
    for (size_t k = 0; k < n; k++) {
        if (k > 0) {
            if (!cur)
                return vm_fail(vm, "%s failed. The path goes through a missing map key.", w->name);
            at = *cur;
        }
        value step = path[k];
        if (at.type == T_LIST) {
            list *l = AS_LIST(at);
            size_t i;
            if (step.type != T_LONG)
                return vm_fail(vm, "%s expects a LIST of LONG indexes, got %s.", w->name, val_type_name(step));
            if (!resolve_index(step.as.l, l->len, true, &i))
                return index_error(vm, w, step.as.l, l->len);
            cur = &l->items[i];
        } else if (at.type == T_MAP) {
            cur = map_get(AS_MAP(at), step);
        } else {
            return vm_fail(vm, "%s failed. Cannot index into a %s.", w->name, val_type_name(at));
        }
    }
    *slot = cur;
    return true;
}

/* The slot of root (a LIST) that SET/PUT address with idx: a LONG, or a
 * non-empty LIST path whose last step indexes a LIST. */
static bool list_slot(exo_vm *vm, const word *w, value root, value idx, bool allow_negative, value **slot)
{
    value cont = root, last = idx;
    if (idx.type == T_LIST) {
        list *p = AS_LIST(idx);
        if (p->len == 0)
            return vm_fail(vm, "%s expects a non-empty LIST of indexes.", w->name);
        if (p->len > 1) {
            value *c;
            if (!walk(vm, w, root, p->items, p->len - 1, &c))
                return false;
            if (!c || c->type != T_LIST)
                return vm_fail(vm, "%s failed. The nested path does not lead to a LIST.", w->name);
            cont = *c;
        }
        last = p->items[p->len - 1];
        if (last.type != T_LONG)
            return vm_fail(vm, "%s expects a LIST of LONG indexes, got %s.", w->name, val_type_name(last));
    } else if (idx.type != T_LONG) {
        return vm_type_error(vm, w, 1, "a LONG index or a LIST of indexes");
    }
    list *l = AS_LIST(cont);
    size_t i;
    if (!allow_negative && last.as.l < 0)
        return vm_fail(vm, "%s expects a non-negative index, got %lld.", w->name, (long long)last.as.l);
    if (!resolve_index(last.as.l, l->len, allow_negative, &i))
        return index_error(vm, w, last.as.l, l->len);
    *slot = &l->items[i];
    return true;
}

static bool w_get(exo_vm *vm, const word *w)
{
    value key = *vm_peek(vm, 0), coll = *vm_peek(vm, 1), out = v_null();
    size_t i;
    switch ((vtype)coll.type) {
    case T_MAP: {
        value *v = map_get(AS_MAP(coll), key);
        out = v ? val_retain(*v) : v_null();
        break;
    }
    case T_LIST:
        if (key.type == T_LIST) {
            list *p = AS_LIST(key);
            value *v = NULL;
            if (p->len == 0) {
                out = val_retain(coll);
                break;
            }
            if (!walk(vm, w, coll, p->items, p->len, &v))
                return false;
            out = v ? val_retain(*v) : v_null();
        } else if (key.type == T_LONG) {
            list *l = AS_LIST(coll);
            if (!resolve_index(key.as.l, l->len, true, &i))
                return index_error(vm, w, key.as.l, l->len);
            out = val_retain(l->items[i]);
        } else {
            return vm_type_error(vm, w, 1, "a LONG index or a LIST of indexes");
        }
        break;
    case T_STRING: {
        str *s = AS_STR(coll);
        if (key.type != T_LONG)
            return vm_type_error(vm, w, 1, "a LONG index");
        size_t n = u8_count(s);
        if (!resolve_index(key.as.l, n, true, &i))
            return index_error(vm, w, key.as.l, n);
        size_t off = u8_offset(s, i);
        out = str_new(vm, s->data + off, u8_next(s, off) - off);
        if (val_is_oom(out))
            return false;
        break;
    }
    case T_BYTES: {
        str *s = AS_STR(coll);
        if (key.type != T_LONG)
            return vm_type_error(vm, w, 1, "a LONG index");
        if (!resolve_index(key.as.l, s->len, true, &i))
            return index_error(vm, w, key.as.l, s->len);
        out = v_long((unsigned char)s->data[i]);
        break;
    }
    default:
        return vm_type_error(vm, w, 2, "a LIST, MAP, STRING or BYTES");
    }
    return replace_top(vm, 2, out);
}

/* SET (magic 0: list x i, negative indexes allowed) and PUT (magic 1:
 * list x i with i >= 0, or map value key). Both modify in place. */
/* SET on BYTES (SET.java): the byte at index i (0 <= i < size) becomes x,
 * a LONG in [-128, 255] taken modulo 256. Byte arrays are immutable here,
 * so the result is a new value in place of the old one on the stack. */
static bool set_byte(exo_vm *vm, const word *w)
{
    value idx = *vm_peek(vm, 0), x = *vm_peek(vm, 1);
    const str *s = AS_STR(*vm_peek(vm, 2));
    if (idx.type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG index");
    if (x.type != T_LONG || x.as.l < -128 || x.as.l > 255)
        return vm_fail(vm, "%s expects the element to be a LONG in either [0,255] or [-128,127].", w->name);
    if (idx.as.l < 0 || (uint64_t)idx.as.l >= s->len)
        return vm_fail(vm, "%s index out of bounds, %lld >= %zu", w->name, (long long)idx.as.l, s->len);
    value out = bytes_new(vm, s->data, s->len);
    if (val_is_oom(out))
        return false;
    AS_STR(out)->data[idx.as.l] = (char)(x.as.l & 0xFF);
    return replace_top(vm, 3, out);
}

static bool w_set(exo_vm *vm, const word *w)
{
    bool put = w->magic;
    value idx = *vm_peek(vm, 0), coll = *vm_peek(vm, 2);
    if (put && coll.type == T_MAP) {
        if (!map_put(vm, AS_MAP(coll), val_retain(idx), val_retain(*vm_peek(vm, 1))))
            return false;
        vm_drop(vm, 2);
        return true;
    }
    if (!put && coll.type == T_BYTES)
        return set_byte(vm, w);
    if (coll.type != T_LIST)
        return vm_type_error(vm, w, 3, put ? "a LIST or MAP" : "a LIST or BYTES");
    value *slot = NULL;
    if (!list_slot(vm, w, coll, idx, !put, &slot))
        return false;
    value i = vm_pop(vm), x = vm_pop(vm), old = *slot;
    *slot = x;
    val_release(vm, old);
    val_release(vm, i);
    return true;
}

/* REMOVE on a STRING (a character, by code point) or BYTES (a byte, as a
 * LONG): a new value without it, then what was removed; an index out of
 * range (negative ones count from the end) gives the same content and NULL,
 * as REMOVE.java does. */
static bool remove_char(exo_vm *vm, const word *w)
{
    value key = *vm_peek(vm, 0), coll = *vm_peek(vm, 1);
    if (key.type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG index");
    const str *s = AS_STR(coll);
    bool text = coll.type == T_STRING;
    size_t n = text ? u8_count(s) : s->len, i;
    if (!resolve_index(key.as.l, n, true, &i)) {
        vm_drop(vm, 1);
        return vm_push(vm, v_null());
    }
    size_t off = text ? u8_offset(s, i) : i, end = text ? u8_next(s, off) : i + 1;
    size_t len = s->len - (end - off);
    char *buf = vm_alloc(vm, len + 1);
    if (!buf)
        return false;
    memcpy(buf, s->data, off);
    memcpy(buf + off, s->data + end, s->len - end);
    value pruned = text ? str_new(vm, buf, len) : bytes_new(vm, buf, len);
    vm_dealloc(vm, buf, len + 1);
    if (val_is_oom(pruned))
        return false;
    value removed = text ? str_new(vm, s->data + off, end - off) : v_long((unsigned char)s->data[off]);
    if (val_is_oom(removed)) {
        val_release(vm, pruned);
        return false;
    }
    vm_drop(vm, 2);
    vm->stack[vm->sp++] = pruned; /* two slots were freed */
    vm->stack[vm->sp++] = removed;
    return true;
}

static bool w_remove(exo_vm *vm, const word *w)
{
    value key = *vm_peek(vm, 0), coll = *vm_peek(vm, 1), out = v_null();
    if (coll.type == T_MAP) {
        key = vm_pop(vm);
        map_remove(vm, AS_MAP(coll), key, &out); /* out is NULL if absent */
        val_release(vm, key);
        return vm_push(vm, out);
    }
    if (coll.type == T_STRING || coll.type == T_BYTES)
        return remove_char(vm, w);
    if (coll.type != T_LIST)
        return vm_type_error(vm, w, 2, "a LIST, MAP, STRING or BYTES");
    if (key.type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG index");
    list *l = AS_LIST(coll);
    size_t i;
    vm_drop(vm, 1);
    if (resolve_index(key.as.l, l->len, true, &i)) {
        out = l->items[i];
        memmove(&l->items[i], &l->items[i + 1], (l->len - i - 1) * sizeof(value));
        l->len--;
    }
    return vm_push(vm, out);
}

static bool w_size(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    int64_t n;
    switch ((vtype)v.type) {
    case T_LIST:
        n = (int64_t)AS_LIST(v)->len;
        break;
    case T_MAP:
        n = (int64_t)AS_MAP(v)->len;
        break;
    case T_STRING:
        n = (int64_t)u8_count(AS_STR(v));
        break;
    case T_BYTES:
        n = (int64_t)AS_STR(v)->len;
        break;
    case T_GTS:
        return gts_word_size(vm, w); /* number of points */
    case T_GEOSHAPE: /* number of cells */
        n = (int64_t)AS_GEOSHAPE(v)->n;
        break;
    default:
        return vm_type_error(vm, w, 1, "a LIST, MAP, STRING, BYTES or GTS");
    }
    return replace_top(vm, 1, v_long(n));
}

/* ---- whole-collection words ---- */

static bool w_append(exo_vm *vm, const word *w)
{
    value a = *vm_peek(vm, 1), b = *vm_peek(vm, 0);
    if (a.type == T_LIST) {
        if (b.type != T_LIST)
            return vm_type_error(vm, w, 1, "a LIST");
        list *l1 = AS_LIST(a), *l2 = AS_LIST(b);
        size_t n2 = l2->len; /* l1 may be l2 */
        if (!list_reserve(vm, l1, l1->len + n2))
            return false;
        for (size_t i = 0; i < n2; i++)
            l1->items[l1->len++] = val_retain(l2->items[i]);
        vm_drop(vm, 1);
        return true;
    }
    if (a.type == T_MAP) {
        if (b.type != T_MAP)
            return vm_type_error(vm, w, 1, "a MAP");
        map *m1 = AS_MAP(a), *m2 = AS_MAP(b);
        size_t n2 = m2->len;
        for (size_t i = 0; i < n2; i++)
            if (!map_put(vm, m1, val_retain(m2->ents[i].key), val_retain(m2->ents[i].val)))
                return false; /* out of memory: m1 keeps the entries added so far */
        vm_drop(vm, 1);
        return true;
    }
    if (a.type == T_GTS)
        return gts_word_append(vm, w); /* merges the points of two GTS */
    return vm_type_error(vm, w, 2, "a LIST, MAP or GTS");
}

static bool w_contains(exo_vm *vm, const word *w)
{
    value x = *vm_peek(vm, 0), coll = *vm_peek(vm, 1);
    if (coll.type == T_LIST) {
        list *l = AS_LIST(coll);
        bool found = false;
        for (size_t i = 0; !found && i < l->len; i++)
            found = val_equals(l->items[i], x, false);
        return replace_top(vm, 1, v_bool(found));
    }
    if (coll.type == T_STRING) {
        if (x.type != T_STRING)
            return vm_type_error(vm, w, 1, "a STRING");
        str *s = AS_STR(coll), *sub = AS_STR(x);
        bool found = sub->len == 0;
        for (size_t i = 0; !found && i + sub->len <= s->len; i++)
            found = memcmp(s->data + i, sub->data, sub->len) == 0;
        return replace_top(vm, 2, v_bool(found));
    }
    return vm_type_error(vm, w, 2, "a LIST or STRING");
}

/* magic: 0 = CONTAINSKEY, 1 = CONTAINSVALUE; the map stays. */
static bool w_containskey(exo_vm *vm, const word *w)
{
    value x = *vm_peek(vm, 0), coll = *vm_peek(vm, 1);
    if (coll.type != T_MAP)
        return vm_type_error(vm, w, 2, "a MAP");
    map *m = AS_MAP(coll);
    bool found = false;
    if (w->magic) {
        for (size_t i = 0; !found && i < m->len; i++)
            found = val_equals(m->ents[i].val, x, false);
    } else {
        found = map_get(m, x) != NULL;
    }
    return replace_top(vm, 1, v_bool(found));
}

/* A new STRING or BYTES with s reversed (by code point for a STRING). */
static value reversed_str(exo_vm *vm, value v)
{
    str *s = AS_STR(v);
    value out = v.type == T_STRING ? str_new(vm, s->data, s->len) : bytes_new(vm, s->data, s->len);
    if (val_is_oom(out))
        return out;
    char *d = AS_STR(out)->data; /* fresh and unshared: safe to fill */
    if (v.type == T_BYTES) {
        for (size_t i = 0; i < s->len; i++)
            d[s->len - 1 - i] = s->data[i];
    } else {
        for (size_t i = 0, j; i < s->len; i = j) {
            j = u8_next(s, i);
            memcpy(d + s->len - j, s->data + i, j - i);
        }
    }
    return out;
}

/* magic: 0 = REVERSE (a LIST in place), 1 = CLONEREVERSE (a copy). */
static bool w_reverse(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (v.type == T_STRING || v.type == T_BYTES) {
        value r = reversed_str(vm, v);
        return !val_is_oom(r) && replace_top(vm, 1, r);
    }
    if (v.type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST, STRING or BYTES");
    list *l = AS_LIST(v);
    if (w->magic) {
        l = list_copy(vm, l);
        if (!l)
            return false;
    }
    for (size_t i = 0, j = l->len; i + 1 < j; i++, j--) {
        value t = l->items[i];
        l->items[i] = l->items[j - 1];
        l->items[j - 1] = t;
    }
    return w->magic ? replace_top(vm, 1, v_obj(T_LIST, l)) : true;
}

/* x -> x x': LIST and MAP shallow copies; immutable values are shared. */
static bool w_clone(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0), c;
    if (v.type == T_LIST) {
        list *l = list_copy(vm, AS_LIST(v));
        if (!l)
            return false;
        c = v_obj(T_LIST, l);
    } else if (v.type == T_MAP) {
        map *m = map_copy(vm, AS_MAP(v));
        if (!m)
            return false;
        c = v_obj(T_MAP, m);
    } else if (v.type == T_GTS) {
        return gts_word_clone(vm, w); /* a full copy, points included */
    } else {
        c = val_retain(v);
    }
    return vm_push(vm, c);
}

/* ---- java.util.HashSet iteration order (UNIQUE) ---- */

/* The hashCode Java gives v (null is 0, as HashMap hashes it); false for a
 * value whose Java hash is an identity hash (GTS, bytes, macros...). */
static bool java_hash(const value *v, uint32_t *h, int depth)
{
    if (depth > 64)
        return false;
    switch ((vtype)v->type) {
    case T_NULL:
        *h = 0;
        return true;
    case T_BOOLEAN:
        *h = v->as.b ? 1231u : 1237u;
        return true;
    case T_LONG: {
        uint64_t u = (uint64_t)v->as.l;
        *h = (uint32_t)(u ^ (u >> 32));
        return true;
    }
    case T_DOUBLE: {
        uint64_t u = 0x7ff8000000000000ull; /* doubleToLongBits' canonical NaN */
        if (!isnan(v->as.d))
            memcpy(&u, &v->as.d, sizeof u);
        *h = (uint32_t)(u ^ (u >> 32));
        return true;
    }
    case T_STRING: {
        const str *s = AS_STR(*v);
        uint32_t x = 0;
        size_t i = 0;
        while (i < s->len) {
            size_t used = 0;
            uint32_t cp = utf8_decode(s->data + i, s->len - i, &used);
            i += used ? used : 1;
            if (cp >= 0x10000) { /* a surrogate pair of UTF-16 code units */
                cp -= 0x10000;
                x = x * 31u + (0xD800u + (cp >> 10));
                x = x * 31u + (0xDC00u + (cp & 0x3FFu));
            } else {
                x = x * 31u + cp;
            }
        }
        *h = x;
        return true;
    }
    case T_LIST: { /* List.hashCode */
        const list *l = AS_LIST(*v);
        uint32_t x = 1, e;
        for (size_t i = 0; i < l->len; i++) {
            if (!java_hash(&l->items[i], &e, depth + 1))
                return false;
            x = 31u * x + e;
        }
        *h = x;
        return true;
    }
    case T_MAP: { /* AbstractMap.hashCode */
        const map *m = AS_MAP(*v);
        uint32_t x = 0, k, e;
        for (size_t i = 0; i < m->len; i++) {
            if (!java_hash(&m->ents[i].key, &k, depth + 1) || !java_hash(&m->ents[i].val, &e, depth + 1))
                return false;
            x += k ^ e;
        }
        *h = x;
        return true;
    }
    default:
        return false;
    }
}

typedef struct hs_slot {
    uint32_t bucket;
    size_t index;
    value v;
} hs_slot;

static int hs_cmp(const void *a, const void *b)
{
    const hs_slot *x = a, *y = b;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Reorders l (distinct elements, in insertion order) as a java.util.HashSet
 * built by adding them in that order iterates: by bucket of the spread
 * hashCode in the final table, then insertion order within a bucket (Java's
 * resizes keep that order). Tables grow from 16 at load factor 0.75, and a
 * small table (< 64) doubles instead of turning a bin of 9 into a tree; tree
 * bins of larger tables are not modelled. Lists with an element whose Java
 * hash is an identity hash keep their order. With key_at >= 0, each item is
 * a LIST whose item key_at is the key: a java.util.HashMap's entry order. */
static bool java_hash_order(exo_vm *vm, list *l, int key_at)
{
    size_t n = l->len;
    if (n < 2)
        return true;
    hs_slot *sl = vm_calloc(vm, n * sizeof(hs_slot));
    if (!sl)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint32_t h;
        const value *key = key_at < 0 ? &l->items[i] : &AS_LIST(l->items[i])->items[key_at];
        if (!java_hash(key, &h, 0)) {
            vm_dealloc(vm, sl, n * sizeof(hs_slot));
            return true;
        }
        sl[i] = (hs_slot){h ^ (h >> 16), i, l->items[i]};
    }
    size_t cap = 16, thr = 12;
    uint32_t *count = vm_calloc(vm, cap * sizeof(uint32_t));
    bool ok = count != NULL;
    for (size_t k = 0; ok && k < n; k++) {
        bool tree_grow = count[sl[k].bucket & (cap - 1)]++ >= 8 && cap < 64;
        for (int pass = 0; ok && pass < 2; pass++) {
            if (!(pass == 0 ? tree_grow : k + 1 > thr))
                continue;
            uint32_t *nc = vm_calloc(vm, 2 * cap * sizeof(uint32_t));
            vm_dealloc(vm, count, cap * sizeof(uint32_t));
            count = nc;
            ok = nc != NULL;
            cap *= 2;
            thr *= 2;
            for (size_t j = 0; ok && j <= k; j++)
                count[sl[j].bucket & (cap - 1)]++;
        }
    }
    if (ok) {
        vm_dealloc(vm, count, cap * sizeof(uint32_t));
        for (size_t i = 0; i < n; i++)
            sl[i].bucket &= (uint32_t)(cap - 1);
        qsort(sl, n, sizeof(hs_slot), hs_cmp);
        for (size_t i = 0; i < n; i++)
            l->items[i] = sl[i].v;
    }
    vm_dealloc(vm, sl, n * sizeof(hs_slot));
    return ok;
}

static bool java_hashset_order(exo_vm *vm, list *l) { return java_hash_order(vm, l, -1); }

/* UNIQUE goes through a java.util.HashSet, so its result comes out in that
 * set's iteration order (the reference's documented example shows it). */
static bool w_unique(exo_vm *vm, const word *w)
{
    if (vm_peek(vm, 0)->type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST");
    list *src = AS_LIST(*vm_peek(vm, 0)), *l = list_new(vm, 0);
    if (!l)
        return false;
    if (!add_unique(vm, l, src->items, src->len) || !java_hashset_order(vm, l)) {
        val_release(vm, v_obj(T_LIST, l));
        return false;
    }
    return replace_top(vm, 1, v_obj(T_LIST, l));
}

/* FLATTEN.java's MAX_NESTING: an element (list or not) met inside more than
 * 16 - 1 nested lists is an error, which also stops a list containing itself. */
#define FLATTEN_MAX_NESTING 16

typedef struct flat_frame {
    list *l;
    size_t i;
} flat_frame;

/* Iterative (an explicit stack of frames), so deep nesting cannot overflow
 * the C stack. The lists walked are borrowed: nothing runs meanwhile. */
static bool w_flatten(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    if (top.type != T_LIST)
        return true;
    list *out = list_new(vm, 0);
    if (!out)
        return false;
    flat_frame *st = NULL;
    size_t cap = 0, depth = 0;
    bool ok = vm_grow(vm, (void **)&st, &cap, 16, sizeof(flat_frame));
    if (ok)
        st[depth++] = (flat_frame){AS_LIST(top), 0};
    while (ok && depth) {
        flat_frame *f = &st[depth - 1];
        if (f->i >= f->l->len) {
            depth--;
            continue;
        }
        value v = f->l->items[f->i++];
        if (depth >= FLATTEN_MAX_NESTING) /* Java counts the element's own flatten() call */
            ok = vm_fail(vm, "%s cannot flatten lists nested more than %d levels.", w->name, FLATTEN_MAX_NESTING);
        else if (v.type != T_LIST)
            ok = list_push(vm, out, val_retain(v));
        else if ((ok = vm_grow(vm, (void **)&st, &cap, depth + 1, sizeof(flat_frame))))
            st[depth++] = (flat_frame){AS_LIST(v), 0};
    }
    vm_dealloc(vm, st, cap * sizeof(flat_frame));
    if (!ok) {
        val_release(vm, v_obj(T_LIST, out));
        return false;
    }
    return replace_top(vm, 1, v_obj(T_LIST, out));
}

/* ---- sorting ---- */

static int natural_cmp(void *ctx, const void *a, const void *b)
{
    (void)ctx;
    return coll_compare(*(const value *)a, *(const value *)b);
}

static bool w_lsort(exo_vm *vm, const word *w)
{
    if (vm_peek(vm, 0)->type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST");
    list *l = AS_LIST(*vm_peek(vm, 0));
    if (!coll_check_comparable(vm, w, l->items, l->len, sizeof(value)))
        return false;
    return coll_sort(vm, l->items, l->len, sizeof(value), natural_cmp, NULL);
}

/* An element with its sort key (SORTBY); for a map, item/extra hold the
 * entry's key and value. */
typedef struct keyed {
    value key, item, extra;
} keyed;

static int keyed_cmp(void *ctx, const void *a, const void *b)
{
    (void)ctx;
    return coll_compare(((const keyed *)a)->key, ((const keyed *)b)->key);
}

static void keyed_free(exo_vm *vm, keyed *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        val_release(vm, k[i].key);
        val_release(vm, k[i].item);
        val_release(vm, k[i].extra);
    }
    vm_dealloc(vm, k, n * sizeof(keyed));
}

/* Writes the sorted items back into l (which the macros may have changed). */
static bool keyed_store_list(exo_vm *vm, const word *w, list *l, keyed *k, size_t n)
{
    if (l->len != n)
        return vm_fail(vm, "%s failed: the list was modified while it was being sorted.", w->name);
    for (size_t i = 0; i < n; i++) {
        value old = l->items[i];
        l->items[i] = k[i].item;
        k[i].item = old; /* released with the keys */
    }
    return true;
}

static map *keyed_to_map(exo_vm *vm, keyed *k, size_t n)
{
    map *m = map_new(vm, n);
    if (!m)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!map_put(vm, m, val_retain(k[i].item), val_retain(k[i].extra))) {
            val_release(vm, v_obj(T_MAP, m));
            return NULL;
        }
    return m;
}

/* list macro -> list (sorted in place, stable), or map macro -> new map.
 * Keys are LONG/DOUBLE (compared numerically) or STRING. */
static bool w_sortby(exo_vm *vm, const word *w)
{
    value coll = *vm_peek(vm, 1);
    if (vm_peek(vm, 0)->type != T_MACRO)
        return vm_type_error(vm, w, 1, "a MACRO");
    if (coll.type != T_LIST && coll.type != T_MAP)
        return vm_type_error(vm, w, 2, "a LIST or MAP");
    bool is_map = coll.type == T_MAP;
    size_t n = is_map ? AS_MAP(coll)->len : AS_LIST(coll)->len;
    keyed *k = n ? vm_calloc(vm, n * sizeof(keyed)) : NULL;
    if (n && !k)
        return false;
    for (size_t i = 0; i < n; i++) { /* a snapshot: the macro may mutate coll */
        if (is_map) {
            k[i].item = val_retain(AS_MAP(coll)->ents[i].key);
            k[i].extra = val_retain(AS_MAP(coll)->ents[i].val);
        } else {
            k[i].item = val_retain(AS_LIST(coll)->items[i]);
        }
    }
    value mv = vm_pop(vm);
    coll = vm_pop(vm);
    bool ok = true;
    int kind = CK_NONE;
    for (size_t i = 0; ok && i < n; i++) {
        ok = vm_push(vm, val_retain(k[i].item)) && (!is_map || vm_push(vm, val_retain(k[i].extra))) &&
             coll_call(vm, (macro *)mv.as.o, &k[i].key);
        if (!ok)
            break;
        int ki = coll_kind(k[i].key);
        if (ki == CK_BOOLEAN)
            ki = CK_NONE;
        if (ki == CK_NONE || (kind != CK_NONE && ki != kind))
            ok = vm_fail(vm, "%s expects its macro to return a LONG, DOUBLE or STRING consistently, got %s.",
                         w->name, val_type_name(k[i].key));
        kind = ki;
    }
    value out = coll;
    if (ok)
        ok = coll_sort(vm, k, n, sizeof(keyed), keyed_cmp, NULL);
    if (ok && is_map) {
        map *m = keyed_to_map(vm, k, n);
        ok = m != NULL;
        if (ok) {
            out = v_obj(T_MAP, m);
            val_release(vm, coll);
        }
    } else if (ok) {
        ok = keyed_store_list(vm, w, AS_LIST(coll), k, n);
    }
    keyed_free(vm, k, n);
    val_release(vm, mv);
    if (!ok) {
        val_release(vm, coll);
        return false;
    }
    return vm_push(vm, out);
}

typedef struct with_ctx {
    exo_vm *vm;
    const word *w;
    macro *m;
} with_ctx;

/* Runs the comparator macro on a b; it must leave a LONG. */
static int with_cmp(void *ctx, const void *a, const void *b)
{
    with_ctx *c = ctx;
    exo_vm *vm = c->vm;
    value r;
    if (!vm_push(vm, val_retain(*(const value *)a)) || !vm_push(vm, val_retain(*(const value *)b)) ||
        !coll_call(vm, c->m, &r))
        return COLL_CMP_ERR;
    if (r.type != T_LONG) {
        vm_fail(vm, "%s expects its comparator macro to return a LONG, got %s.", c->w->name, val_type_name(r));
        val_release(vm, r);
        return COLL_CMP_ERR;
    }
    return (r.as.l > 0) - (r.as.l < 0);
}

static bool w_sortwith(exo_vm *vm, const word *w)
{
    if (vm_peek(vm, 0)->type != T_MACRO)
        return vm_type_error(vm, w, 1, "a MACRO");
    if (vm_peek(vm, 1)->type != T_LIST)
        return vm_type_error(vm, w, 2, "a LIST");
    list *l = AS_LIST(*vm_peek(vm, 1));
    size_t n = l->len;
    keyed *k = n ? vm_calloc(vm, n * sizeof(keyed)) : NULL;
    if (n && !k)
        return false;
    value *snap = n ? vm_alloc(vm, n * sizeof(value)) : NULL;
    if (n && !snap) {
        vm_dealloc(vm, k, n * sizeof(keyed));
        return false;
    }
    for (size_t i = 0; i < n; i++)
        snap[i] = val_retain(l->items[i]);
    value mv = vm_pop(vm), lv = vm_pop(vm);
    with_ctx c = {vm, w, (macro *)mv.as.o};
    bool ok = coll_sort(vm, snap, n, sizeof(value), with_cmp, &c);
    for (size_t i = 0; i < n; i++)
        k[i].item = snap[i]; /* hand the references to the keyed helpers */
    vm_dealloc(vm, snap, n * sizeof(value));
    if (ok)
        ok = keyed_store_list(vm, w, l, k, n);
    keyed_free(vm, k, n);
    val_release(vm, mv);
    if (!ok) {
        val_release(vm, lv);
        return false;
    }
    return vm_push(vm, lv);
}

/* ---- macro-driven transformations ---- */

enum { LM_MAP, LM_FLATMAP, LM_FILTER, LM_FILTERBY };

/* Adds the macro's result r (consumed) for element e to out. */
static bool lmap_collect(exo_vm *vm, const word *w, list *out, value e, value r)
{
    switch (w->magic) {
    case LM_MAP:
        return list_push(vm, out, r);
    case LM_FLATMAP: {
        if (r.type != T_LIST)
            return list_push(vm, out, r);
        list *rl = AS_LIST(r);
        bool ok = list_reserve(vm, out, out->len + rl->len);
        for (size_t i = 0; ok && i < rl->len; i++)
            out->items[out->len++] = val_retain(rl->items[i]);
        val_release(vm, r);
        return ok;
    }
    default:
        if (r.type != T_BOOLEAN) {
            vm_fail(vm, "%s expects its macro to leave a BOOLEAN, got %s.", w->name, val_type_name(r));
            val_release(vm, r);
            return false;
        }
        return !r.as.b || list_push(vm, out, val_retain(e));
    }
}

/* LMAP, LFLATMAP, LFILTER: list macro (pushIndex, default true) -> list;
 * FILTERBY: list macro -> list, element only. The macro gets the element
 * (then its index) and leaves one value. */
static bool w_lmap(exo_vm *vm, const word *w)
{
    bool push_index = w->magic != LM_FILTERBY;
    size_t f = w->magic == LM_FILTERBY ? 0 : coll_index_flag(vm, 2, &push_index);
    if (vm_peek(vm, f)->type != T_MACRO)
        return vm_type_error(vm, w, 1 + (int)f, "a MACRO");
    if (vm_peek(vm, 1 + f)->type != T_LIST)
        return vm_type_error(vm, w, 2 + (int)f, "a LIST");
    list *out = list_new(vm, 0);
    if (!out)
        return false;
    vm_drop(vm, f);
    value mv = vm_pop(vm), lv = vm_pop(vm);
    list *l = AS_LIST(lv);
    size_t n = l->len; /* elements the macro appends are not visited */
    bool ok = true;
    for (size_t i = 0; ok && i < n && i < l->len; i++) {
        value e = val_retain(l->items[i]), r;
        ok = vm_push(vm, val_retain(e)) && (!push_index || vm_push(vm, v_long((int64_t)i))) &&
             coll_call(vm, (macro *)mv.as.o, &r) && lmap_collect(vm, w, out, e, r);
        val_release(vm, e);
    }
    val_release(vm, mv);
    val_release(vm, lv);
    if (!ok) {
        val_release(vm, v_obj(T_LIST, out));
        return false;
    }
    return vm_push(vm, v_obj(T_LIST, out));
}

/* list macro -> [[key [elements]] ...], groups in first-occurrence order. */
static bool w_groupby(exo_vm *vm, const word *w)
{
    if (vm_peek(vm, 0)->type != T_MACRO)
        return vm_type_error(vm, w, 1, "a MACRO");
    if (vm_peek(vm, 1)->type != T_LIST)
        return vm_type_error(vm, w, 2, "a LIST");
    list *out = list_new(vm, 0);
    map *where = out ? map_new(vm, 0) : NULL; /* key -> index of its group in out */
    if (!where) {
        if (out)
            val_release(vm, v_obj(T_LIST, out));
        return false;
    }
    value mv = vm_pop(vm), lv = vm_pop(vm);
    list *l = AS_LIST(lv);
    size_t n = l->len;
    bool ok = true;
    for (size_t i = 0; ok && i < n && i < l->len; i++) {
        value e = val_retain(l->items[i]), key;
        ok = vm_push(vm, val_retain(e)) && coll_call(vm, (macro *)mv.as.o, &key);
        if (ok) {
            value *at = map_get(where, key);
            if (at) {
                list *group = AS_LIST(AS_LIST(out->items[at->as.l])->items[1]);
                ok = list_push(vm, group, val_retain(e));
                val_release(vm, key);
            } else {
                list *pair = list_new(vm, 2), *group = pair ? list_new(vm, 1) : NULL;
                ok = group != NULL;
                if (ok) {
                    group->items[group->len++] = val_retain(e);
                    pair->items[pair->len++] = val_retain(key);
                    pair->items[pair->len++] = v_obj(T_LIST, group);
                    size_t at_out = out->len; /* out owns the pair even if the map_put fails */
                    ok = list_push(vm, out, v_obj(T_LIST, pair)) &&
                         map_put(vm, where, val_retain(key), v_long((int64_t)at_out));
                } else if (pair) {
                    val_release(vm, v_obj(T_LIST, pair));
                }
                val_release(vm, key);
            }
        }
        val_release(vm, e);
    }
    val_release(vm, v_obj(T_MAP, where));
    val_release(vm, mv);
    val_release(vm, lv);
    /* GROUPBY.java collects the groups in a java.util.HashMap and lists its entries */
    if (!ok || !java_hash_order(vm, out, 0)) {
        val_release(vm, v_obj(T_LIST, out));
        return false;
    }
    return vm_push(vm, v_obj(T_LIST, out));
}

/* ---- slicing and generating ---- */

/* Elements lo..hi (inclusive) of l, every step-th, into a new list. */
static bool push_slice(exo_vm *vm, list *l, size_t lo, size_t hi, bool empty, size_t step, size_t drop)
{
    size_t count = empty ? 0 : (hi - lo) / step + 1;
    list *out = list_new(vm, count);
    if (!out)
        return false;
    for (size_t i = 0; i < count; i++)
        out->items[out->len++] = val_retain(l->items[lo + i * step]);
    return replace_top(vm, drop, v_obj(T_LIST, out));
}

/* The inclusive range between indexes a and b (either order, negative from
 * the end, clipped to the list), as SUBLIST's [a b] form defines it. */
static bool clip_range(int64_t a, int64_t b, size_t n, size_t *lo, size_t *hi)
{
    int64_t sn = (int64_t)n;
    if (a < 0)
        a += sn;
    if (b < 0)
        b += sn;
    if (a < 0 && b < 0)
        return false;
    a = a < 0 ? 0 : a;
    b = b < 0 ? 0 : b;
    int64_t l = a < b ? a : b, h = a < b ? b : a;
    if (l >= sn)
        return false;
    *lo = (size_t)l;
    *hi = (size_t)(h < sn ? h : sn - 1);
    return true;
}

/* list [a b] (inclusive range), list [i j k ...] (pick), or
 * list start (end (step)) (from start, to end inclusive, every step-th). */
static bool w_sublist(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    size_t lo = 0, hi = 0;
    if (top.type == T_LIST) {
        if (vm_peek(vm, 1)->type != T_LIST)
            return vm_type_error(vm, w, 2, "a LIST");
        list *idx = AS_LIST(top), *l = AS_LIST(*vm_peek(vm, 1));
        for (size_t i = 0; i < idx->len; i++)
            if (idx->items[i].type != T_LONG)
                return vm_fail(vm, "%s expects a LIST of LONG indexes, got %s.", w->name,
                               val_type_name(idx->items[i]));
        if (idx->len == 2) {
            bool some = clip_range(idx->items[0].as.l, idx->items[1].as.l, l->len, &lo, &hi);
            return push_slice(vm, l, lo, hi, !some, 1, 2);
        }
        for (size_t i = 0; i < idx->len; i++)
            if (!resolve_index(idx->items[i].as.l, l->len, true, &lo))
                return index_error(vm, w, idx->items[i].as.l, l->len);
        list *out = list_new(vm, idx->len);
        if (!out)
            return false;
        for (size_t i = 0; i < idx->len; i++) {
            resolve_index(idx->items[i].as.l, l->len, true, &lo);
            out->items[out->len++] = val_retain(l->items[lo]);
        }
        return replace_top(vm, 2, v_obj(T_LIST, out));
    }
    if (top.type != T_LONG)
        return vm_type_error(vm, w, 1, "a LIST of indexes or a LONG");
    size_t k = 1; /* LONG arguments above the list: start (end (step)) */
    while (k < 3 && k < vm->sp && vm_peek(vm, k)->type == T_LONG)
        k++;
    if (k >= vm->sp)
        return vm_fail(vm, "Empty stack.");
    if (vm_peek(vm, k)->type != T_LIST)
        return vm_type_error(vm, w, (int)k + 1, "a LIST");
    list *l = AS_LIST(*vm_peek(vm, k));
    int64_t start = vm_peek(vm, k - 1)->as.l;
    int64_t end = k >= 2 ? vm_peek(vm, k - 2)->as.l : -1;
    int64_t step = k == 3 ? vm_peek(vm, 0)->as.l : 1;
    if (step <= 0)
        return vm_fail(vm, "%s expects a step > 0, got %lld.", w->name, (long long)step);
    bool some = clip_range(start, end, l->len, &lo, &hi);
    return push_slice(vm, l, lo, hi, !some, (size_t)step, k + 1);
}

static bool range_arg(exo_vm *vm, const word *w, value v, int64_t *out)
{
    if (v.type == T_LONG) {
        *out = v.as.l;
        return true;
    }
    if (v.type == T_DOUBLE && v.as.d > -9.2e18 && v.as.d < 9.2e18) {
        *out = (int64_t)v.as.d;
        return true;
    }
    return vm_fail(vm, "%s expects LONG parameters, got %s.", w->name, val_type_name(v));
}

/* [end] / [start end] / [start end step] -> [start, start+step, ... < end] */
static bool w_range(exo_vm *vm, const word *w)
{
    if (vm_peek(vm, 0)->type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST");
    list *p = AS_LIST(*vm_peek(vm, 0));
    if (p->len < 1 || p->len > 3)
        return vm_fail(vm, "%s expects a LIST of 1 to 3 parameters, got %zu.", w->name, p->len);
    int64_t start = 0, end = 0, step = 1;
    if (p->len == 1 ? !range_arg(vm, w, p->items[0], &end)
                    : !range_arg(vm, w, p->items[0], &start) || !range_arg(vm, w, p->items[1], &end) ||
                          (p->len == 3 && !range_arg(vm, w, p->items[2], &step)))
        return false;
    if (step <= 0)
        return vm_fail(vm, "%s step must be > 0, got %lld.", w->name, (long long)step);
    uint64_t count = 0;
    if (start < end) {
        uint64_t span = (uint64_t)end - (uint64_t)start;
        count = span / (uint64_t)step + (span % (uint64_t)step != 0);
    }
    if (count > vm->limits.maxlist)
        return vm_limit(vm, "List size %llu would exceed the limit of %llu (maxlist).", (unsigned long long)count,
                        (unsigned long long)vm->limits.maxlist);
    list *out = list_new(vm, (size_t)count);
    if (!out)
        return false;
    for (uint64_t i = 0; i < count; i++)
        out->items[out->len++] = v_long((int64_t)((uint64_t)start + i * (uint64_t)step));
    return replace_top(vm, 1, v_obj(T_LIST, out));
}

/* [[a1 a2 ..] [b1 b2 ..] ..] -> [[a1 b1 ..] [a2 b2 ..] ..]; one-element
 * lists are repeated to the common length. */
static bool w_zip(exo_vm *vm, const word *w)
{
    if (vm_peek(vm, 0)->type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST of LISTs");
    list *in = AS_LIST(*vm_peek(vm, 0));
    size_t target = SIZE_MAX;
    for (size_t j = 0; j < in->len; j++) {
        if (in->items[j].type != T_LIST)
            return vm_fail(vm, "%s expects a LIST of LISTs, got a %s inside.", w->name, val_type_name(in->items[j]));
        size_t len = AS_LIST(in->items[j])->len;
        if (len == 1)
            continue;
        if (target != SIZE_MAX && len != target)
            return vm_fail(vm, "%s expects lists of the same size (or of size 1), got sizes %zu and %zu.", w->name,
                           target, len);
        target = len;
    }
    if (target == SIZE_MAX)
        target = in->len ? 1 : 0;
    list *out = list_new(vm, target);
    if (!out)
        return false;
    for (size_t i = 0; i < target; i++) {
        list *row = list_new(vm, in->len);
        if (!row || !list_push(vm, out, v_obj(T_LIST, row))) {
            val_release(vm, v_obj(T_LIST, out));
            return false;
        }
        for (size_t j = 0; j < in->len; j++) {
            list *col = AS_LIST(in->items[j]);
            row->items[row->len++] = val_retain(col->items[col->len == 1 ? 0 : i]);
        }
    }
    return replace_top(vm, 1, v_obj(T_LIST, out));
}

/* coll x n -> positions (LIST, STRING, BYTES) or keys (MAP) where x occurs,
 * at most n of them (n <= 0: all). */
static bool w_indexof(exo_vm *vm, const word *w)
{
    value nv = *vm_peek(vm, 0), x = *vm_peek(vm, 1), coll = *vm_peek(vm, 2);
    if (nv.type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG");
    uint64_t max = nv.as.l <= 0 ? UINT64_MAX : (uint64_t)nv.as.l;
    unsigned char byte;
    const char *needle = NULL;
    size_t nlen = 0;
    if (coll.type == T_STRING) {
        if (x.type != T_STRING)
            return vm_type_error(vm, w, 2, "a STRING");
        needle = AS_STR(x)->data;
        nlen = AS_STR(x)->len;
    } else if (coll.type == T_BYTES) {
        if (x.type == T_LONG) {
            if (x.as.l < 0 || x.as.l > 255)
                return vm_fail(vm, "%s expects a LONG between 0 and 255 to look for in BYTES.", w->name);
            byte = (unsigned char)x.as.l;
            needle = (const char *)&byte;
            nlen = 1;
        } else if (x.type == T_BYTES) {
            needle = AS_STR(x)->data;
            nlen = AS_STR(x)->len;
        } else {
            return vm_type_error(vm, w, 2, "BYTES or a LONG");
        }
    } else if (coll.type != T_LIST && coll.type != T_MAP) {
        return vm_type_error(vm, w, 3, "a LIST, MAP, STRING or BYTES");
    }
    list *out = list_new(vm, 0);
    if (!out)
        return false;
    bool ok = true;
    if (coll.type == T_LIST) {
        list *l = AS_LIST(coll);
        for (size_t i = 0; ok && out->len < max && i < l->len; i++)
            if (val_equals(l->items[i], x, false))
                ok = list_push(vm, out, v_long((int64_t)i));
    } else if (coll.type == T_MAP) {
        map *m = AS_MAP(coll);
        for (size_t i = 0; ok && out->len < max && i < m->len; i++)
            if (val_equals(m->ents[i].val, x, false))
                ok = list_push(vm, out, val_retain(m->ents[i].key));
    } else {
        str *s = AS_STR(coll);
        bool text = coll.type == T_STRING; /* positions count code points */
        size_t pos = 0;
        for (size_t i = 0; ok && out->len < max && nlen <= s->len - i; pos++) {
            if (memcmp(s->data + i, needle, nlen) == 0)
                ok = list_push(vm, out, v_long((int64_t)pos));
            if (i == s->len)
                break;
            i = text ? u8_next(s, i) : i + 1;
        }
    }
    if (!ok) {
        val_release(vm, v_obj(T_LIST, out));
        return false;
    }
    return replace_top(vm, 3, v_obj(T_LIST, out));
}

static const word list_words[] = {
    EXO_WORD("[", w_open, 0, "-- mark", "Starts a list: pushes a MARK."),
    EXO_WORD_MAGIC("]", w_close, 0, "mark x1..xn -- list", "Collects everything above the nearest MARK into a LIST.", 0),
    EXO_WORD("[]", w_empty_list, 0, "-- list", "Pushes an empty LIST."),
    EXO_WORD("(", w_open, 0, "-- mark", "Starts a set: pushes a MARK."),
    EXO_WORD_MAGIC(")", w_close, 0, "mark x1..xn -- set",
                   "Collects the distinct values above the nearest MARK (a set is a LIST of unique elements).", 1),
    EXO_WORD("()", w_empty_list, 0, "-- set", "Pushes an empty set (an empty LIST)."),
    EXO_WORD("->LIST", w_tolist, 1, "x1..xn n -- list", "Makes a LIST of the n levels below n (a LIST on top is left as is)."),
    EXO_WORD_MAGIC("LIST->", w_listto, 1, "list -- x1..xn n", "Pushes the elements of a LIST, then their count.", 0),
    EXO_WORD_MAGIC("UNLIST", w_listto, 1, "list -- mark x1..xn", "Pushes a MARK, then the elements of a LIST.", 1),
    EXO_WORD("GET", w_get, 2, "coll i -- x",
             "Element i of a LIST (negative from the end; a LIST of indexes walks nested lists), value of a MAP key "
             "(NULL if absent), character of a STRING, byte of BYTES."),
    EXO_WORD_MAGIC("SET", w_set, 3, "list x i -- list", "Replaces element i of a LIST in place (negative from the end; i may be a path).", 0),
    EXO_WORD_MAGIC("PUT", w_set, 3, "map v k -- map | list x i -- list",
                   "Stores a value under a key of a MAP, or at index i >= 0 of a LIST, in place.", 1),
    EXO_WORD("REMOVE", w_remove, 2, "list i -- list x | map k -- map v | s i -- s' c",
             "Removes an element in place; pushes the collection and the removed value (NULL if none)."),
    EXO_WORD("SIZE", w_size, 1, "coll -- n", "Elements of a LIST or MAP, characters of a STRING, bytes of BYTES, points of a GTS, cells of a GEOSHAPE."),
    EXO_WORD("APPEND", w_append, 2, "l1 l2 -- l1 | m1 m2 -- m1 | g1 g2 -- g1",
             "Appends all of l2 to l1, puts all of m2 into m1, or adds the points of g2 to g1, in place."),
    EXO_WORD("CONTAINS", w_contains, 2, "list x -- list bool | s sub -- bool",
             "Whether a LIST holds x (the list stays), or a STRING contains sub."),
    EXO_WORD_MAGIC("CONTAINSKEY", w_containskey, 2, "map k -- map bool", "Whether a MAP has key k (the map stays).", 0),
    EXO_WORD_MAGIC("CONTAINSVALUE", w_containskey, 2, "map v -- map bool", "Whether a MAP has value v (the map stays).", 1),
    EXO_WORD_MAGIC("REVERSE", w_reverse, 1, "list -- list | s -- s'", "Reverses a LIST in place, or a STRING / BYTES.", 0),
    EXO_WORD_MAGIC("CLONEREVERSE", w_reverse, 1, "list -- list'", "A reversed copy of a LIST (or a reversed STRING / BYTES).", 1),
    EXO_WORD("CLONE", w_clone, 1, "x -- x x'", "Pushes a copy: shallow for a LIST or MAP, full for a GTS (other values are immutable and shared)."),
    EXO_WORD("UNIQUE", w_unique, 1, "list -- list'", "The distinct elements of a LIST, in java.util.HashSet order."),
    EXO_WORD("FLATTEN", w_flatten, 1, "list -- list'", "Replaces nested lists by their elements, recursively (a non-LIST is left as is)."),
    EXO_WORD("LSORT", w_lsort, 1, "list -- list", "Sorts a LIST in place in natural order (numbers, strings or booleans)."),
    EXO_WORD("SORTBY", w_sortby, 2, "list macro -- list | map macro -- map'",
             "Stable sort by the LONG, DOUBLE or STRING key the macro computes for each element (a MAP: for key value)."),
    EXO_WORD("SORTWITH", w_sortwith, 2, "list macro -- list",
             "Sorts a LIST in place with a comparator macro (a b -- LONG, negative when a < b)."),
    EXO_WORD_MAGIC("LMAP", w_lmap, 2, "list macro (pushIndex) -- list'",
                   "Runs the macro on each element (then its index, unless pushIndex is false) and collects the results.", LM_MAP),
    EXO_WORD_MAGIC("LFLATMAP", w_lmap, 2, "list macro (pushIndex) -- list'",
                   "Like LMAP, but list results are spliced into the result.", LM_FLATMAP),
    EXO_WORD_MAGIC("LFILTER", w_lmap, 2, "list macro (pushIndex) -- list'",
                   "Keeps the elements for which the macro (element, then index) leaves true.", LM_FILTER),
    EXO_WORD_MAGIC("FILTERBY", w_lmap, 2, "list macro -- list'", "Keeps the elements for which the macro (element only) leaves true.",
                   LM_FILTERBY),
    EXO_WORD("GROUPBY", w_groupby, 2, "list macro -- list'",
             "Groups the elements by the key the macro computes: a LIST of [key [elements]] pairs."),
    EXO_WORD("SUBLIST", w_sublist, 2, "list [a b] -- list' | list [i j ..] -- list' | list start (end (step)) -- list'",
             "The elements from a to b inclusive, or at the given indexes (negative from the end)."),
    EXO_WORD("RANGE", w_range, 1, "[end] | [start end (step)] -- list", "The LONGs from start (default 0) up to end exclusive, by step."),
    EXO_WORD("ZIP", w_zip, 1, "[l1 l2 ..] -- list", "Transposes a LIST of LISTs; one-element lists are repeated."),
    EXO_WORD("INDEXOF", w_indexof, 3, "coll x n -- list",
             "The first n positions (LIST, STRING, BYTES) or keys (MAP) where x occurs (n <= 0: all)."),
};

EXO_FAMILY(list, list_words)
