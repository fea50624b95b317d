/* Public API, values: moving scalars, strings, lists, maps and GTS in and
 * out of the stack without JSON. Levels count from the top (0 = top).
 * Getters borrow: a returned pointer lives while the value stays on the
 * stack. Builders follow the stack: exo_list_append pops the value it
 * appends, exo_map_put pops the key and the value. */
#include "alloc.h"
#include "gts.h"
#include "vm.h"

#include <string.h>

static value *at(exo_vm *vm, size_t level) { return vm && level < vm->sp ? vm_peek(vm, level) : NULL; }

static exo_status status_of(exo_vm *vm, bool ok) { return ok ? EXO_OK : vm->err.code ? vm->err.code : EXO_ERR_RUNTIME; }

static exo_status usage(exo_vm *vm, const char *fmt, const char *fn)
{
    if (vm) {
        vm_fail(vm, fmt, fn);
        vm->err.code = EXO_ERR_USAGE;
        vm->unwind = UW_NONE;
    }
    return EXO_ERR_USAGE;
}

EXO_API exo_type exo_type_at(exo_vm *vm, size_t level)
{
    value *v = at(vm, level);
    return v ? (exo_type)v->type : EXO_T_NONE;
}

EXO_API bool exo_get_boolean(exo_vm *vm, size_t level, bool *out)
{
    value *v = at(vm, level);
    if (!v || v->type != T_BOOLEAN || !out)
        return false;
    *out = v->as.b;
    return true;
}

EXO_API bool exo_get_long(exo_vm *vm, size_t level, int64_t *out)
{
    value *v = at(vm, level);
    if (!v || v->type != T_LONG || !out)
        return false;
    *out = v->as.l;
    return true;
}

EXO_API bool exo_get_double(exo_vm *vm, size_t level, double *out)
{
    value *v = at(vm, level);
    if (!v || !val_is_number(*v) || !out)
        return false;
    *out = val_as_double(*v);
    return true;
}

EXO_API const char *exo_get_string(exo_vm *vm, size_t level, size_t *len)
{
    value *v = at(vm, level);
    if (!v || (v->type != T_STRING && v->type != T_BYTES))
        return NULL;
    if (len)
        *len = AS_STR(*v)->len;
    return AS_STR(*v)->data;
}

EXO_API exo_status exo_push_bytes(exo_vm *vm, const void *data, size_t len)
{
    if (!vm || (!data && len))
        return EXO_ERR_USAGE;
    value v = bytes_new(vm, data ? data : "", len);
    return status_of(vm, !val_is_oom(v) && vm_push(vm, v));
}

EXO_API exo_status exo_push_list(exo_vm *vm)
{
    if (!vm)
        return EXO_ERR_USAGE;
    list *l = list_new(vm, 0);
    return status_of(vm, l && vm_push(vm, v_obj(T_LIST, l)));
}

EXO_API exo_status exo_list_append(exo_vm *vm)
{
    value *l = at(vm, 1);
    if (!l || l->type != T_LIST)
        return usage(vm, "%s needs a LIST below the value to append.", "exo_list_append");
    value v = *vm_peek(vm, 0);
    if (!list_push(vm, AS_LIST(*l), val_retain(v)))
        return status_of(vm, false);
    vm_drop(vm, 1);
    return EXO_OK;
}

EXO_API bool exo_list_len(exo_vm *vm, size_t level, size_t *len)
{
    value *v = at(vm, level);
    if (!v || v->type != T_LIST || !len)
        return false;
    *len = AS_LIST(*v)->len;
    return true;
}

EXO_API exo_status exo_list_get(exo_vm *vm, size_t level, size_t index)
{
    value *v = at(vm, level);
    if (!v || v->type != T_LIST)
        return usage(vm, "%s needs a LIST at the given level.", "exo_list_get");
    if (index >= AS_LIST(*v)->len)
        return usage(vm, "%s: index out of range.", "exo_list_get");
    return status_of(vm, vm_push(vm, val_retain(AS_LIST(*v)->items[index])));
}

EXO_API exo_status exo_push_map(exo_vm *vm)
{
    if (!vm)
        return EXO_ERR_USAGE;
    map *m = map_new(vm, 0);
    return status_of(vm, m && vm_push(vm, v_obj(T_MAP, m)));
}

EXO_API exo_status exo_map_put(exo_vm *vm)
{
    value *m = at(vm, 2);
    if (!m || m->type != T_MAP)
        return usage(vm, "%s needs a MAP below the key and the value.", "exo_map_put");
    value k = *vm_peek(vm, 1), v = *vm_peek(vm, 0);
    if (!map_put(vm, AS_MAP(*m), val_retain(k), val_retain(v)))
        return status_of(vm, false);
    vm_drop(vm, 2);
    return EXO_OK;
}

EXO_API bool exo_map_len(exo_vm *vm, size_t level, size_t *len)
{
    value *v = at(vm, level);
    if (!v || v->type != T_MAP || !len)
        return false;
    *len = AS_MAP(*v)->len;
    return true;
}

EXO_API exo_status exo_map_entry(exo_vm *vm, size_t level, size_t i)
{
    value *v = at(vm, level);
    if (!v || v->type != T_MAP)
        return usage(vm, "%s needs a MAP at the given level.", "exo_map_entry");
    map *m = AS_MAP(*v);
    if (i >= m->len)
        return usage(vm, "%s: index out of range.", "exo_map_entry");
    if (!vm_reserve(vm, 2))
        return status_of(vm, false);
    vm_push(vm, val_retain(m->ents[i].key));
    vm_push(vm, val_retain(m->ents[i].val));
    return EXO_OK;
}

EXO_API exo_status exo_map_get(exo_vm *vm, size_t level, const char *key)
{
    value *v = at(vm, level);
    if (!v || v->type != T_MAP || !key)
        return usage(vm, "%s needs a MAP at the given level and a key.", "exo_map_get");
    map *m = AS_MAP(*v);
    value k = str_from(vm, key);
    if (val_is_oom(k))
        return status_of(vm, false);
    value *found = map_get(m, k);
    val_release(vm, k);
    return status_of(vm, vm_push(vm, found ? val_retain(*found) : v_null()));
}

/* ---- GTS ---- */

static exo_status push_gts(exo_vm *vm, const char *cls, const int64_t *ticks, const void *values, size_t n,
                           bool doubles)
{
    if (!vm || (n && (!ticks || !values)))
        return EXO_ERR_USAGE;
    gts *g = gts_new(vm);
    if (!g)
        return status_of(vm, false);
    value gv = v_obj(T_GTS, g);
    bool ok = (!cls || gts_set_class(vm, g, cls, strlen(cls))) && gts_reserve(vm, g, n);
    for (size_t i = 0; ok && i < n; i++)
        ok = doubles ? gts_add_double(vm, g, ticks[i], ((const double *)values)[i])
                     : gts_add_long(vm, g, ticks[i], ((const int64_t *)values)[i]);
    if (!ok) {
        val_release(vm, gv);
        return status_of(vm, false);
    }
    return status_of(vm, vm_push(vm, gv));
}

EXO_API exo_status exo_push_gts(exo_vm *vm, const char *cls, const int64_t *ticks, const double *values, size_t n)
{
    return push_gts(vm, cls, ticks, values, n, true);
}

EXO_API exo_status exo_push_gts_long(exo_vm *vm, const char *cls, const int64_t *ticks, const int64_t *values,
                                     size_t n)
{
    return push_gts(vm, cls, ticks, values, n, false);
}

static gts *gts_at(exo_vm *vm, size_t level)
{
    value *v = at(vm, level);
    return v && v->type == T_GTS ? AS_GTS(*v) : NULL;
}

EXO_API exo_status exo_gts_set_label(exo_vm *vm, size_t level, const char *key, const char *val)
{
    gts *g = gts_at(vm, level);
    if (!g || !key || !val)
        return usage(vm, "%s needs a GTS at the given level, a key and a value.", "exo_gts_set_label");
    value k = str_from(vm, key), v = str_from(vm, val);
    if (val_is_oom(k) || val_is_oom(v)) {
        val_release(vm, k);
        val_release(vm, v);
        return status_of(vm, false);
    }
    return status_of(vm, map_put(vm, g->labels, k, v));
}

EXO_API bool exo_gts_info(exo_vm *vm, size_t level, exo_gts_meta *info)
{
    gts *g = gts_at(vm, level);
    if (!g || !info)
        return false;
    info->cls = AS_STR(g->cls)->data;
    info->len = g->len;
    info->type = (int)g->type;
    info->bucketspan = g->bucketspan;
    info->bucketcount = g->bucketcount;
    info->lastbucket = g->lastbucket;
    info->nlabels = g->labels->len;
    return true;
}

EXO_API const char *exo_gts_label(exo_vm *vm, size_t level, const char *key)
{
    gts *g = gts_at(vm, level);
    if (!g || !key)
        return NULL;
    for (size_t i = 0; i < g->labels->len; i++) {
        value k = g->labels->ents[i].key;
        if (k.type == T_STRING && strcmp(AS_STR(k)->data, key) == 0 && g->labels->ents[i].val.type == T_STRING)
            return AS_STR(g->labels->ents[i].val)->data;
    }
    return NULL;
}

EXO_API bool exo_gts_ticks(exo_vm *vm, size_t level, int64_t *out, size_t n)
{
    gts *g = gts_at(vm, level);
    if (!g || (n && !out))
        return false;
    memcpy(out, g->ticks, (n < g->len ? n : g->len) * sizeof(int64_t));
    return true;
}

EXO_API bool exo_gts_doubles(exo_vm *vm, size_t level, double *out, size_t n)
{
    gts *g = gts_at(vm, level);
    if (!g || (n && !out) || g->type == GTS_STRING)
        return false;
    size_t m = n < g->len ? n : g->len;
    for (size_t i = 0; i < m; i++)
        out[i] = g->type == GTS_DOUBLE ? g->v.d[i] : g->type == GTS_LONG ? (double)g->v.l[i] : g->v.b[i] ? 1.0 : 0.0;
    return true;
}
