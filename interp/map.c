/* Insertion-ordered maps (WarpScript maps are LinkedHashMaps): entries are
 * kept in order in an array, and an open-addressing index of entry numbers
 * finds a key in O(1). Removal compacts the array and rebuilds the index. */
#include "alloc.h"
#include "value.h"
#include "vm.h"

#include <string.h>

map *map_new(exo_vm *vm, size_t cap)
{
    map *m = vm_calloc(vm, sizeof(map));
    if (!m)
        return NULL;
    obj_init(vm, &m->h, T_MAP);
    if (cap && !vm_grow(vm, (void **)&m->ents, &m->cap, cap, sizeof(map_entry))) {
        val_release(vm, v_obj(T_MAP, m));
        return NULL;
    }
    return m;
}

static size_t find_slot(const map *m, value key, bool *found)
{
    size_t mask = m->icap - 1, i = (size_t)val_hash(key) & mask;
    for (;;) {
        uint32_t e = m->index[i];
        if (e == 0) {
            *found = false;
            return i;
        }
        if (val_equals(m->ents[e - 1].key, key, false)) {
            *found = true;
            return i;
        }
        i = (i + 1) & mask;
    }
}

bool map_rehash(exo_vm *vm, map *m)
{
    size_t icap = 8;
    while (icap < m->len * 2 + 2)
        icap *= 2;
    if (icap != m->icap) {
        uint32_t *idx = vm_alloc(vm, icap * sizeof(uint32_t));
        if (!idx)
            return false;
        vm_dealloc(vm, m->index, m->icap * sizeof(uint32_t));
        m->index = idx;
        m->icap = icap;
    }
    memset(m->index, 0, m->icap * sizeof(uint32_t));
    for (size_t e = 0; e < m->len; e++) {
        bool found;
        size_t s = find_slot(m, m->ents[e].key, &found);
        m->index[s] = (uint32_t)(e + 1);
    }
    return true;
}

value *map_get(map *m, value key)
{
    if (m->len == 0)
        return NULL;
    if (m->len <= 8) { /* small maps: a scan beats hashing */
        for (size_t i = 0; i < m->len; i++)
            if (val_equals(m->ents[i].key, key, false))
                return &m->ents[i].val;
        return NULL;
    }
    bool found;
    size_t s = find_slot(m, key, &found);
    return found ? &m->ents[m->index[s] - 1].val : NULL;
}

bool map_put(exo_vm *vm, map *m, value key, value val)
{
    value *old = map_get(m, key);
    if (old) {
        val_release(vm, *old);
        *old = val;
        val_release(vm, key);
        return true;
    }
    if (m->len >= vm->limits.maxlist) {
        vm_limit(vm, "Map size would exceed the limit of %zu (maxlist).", (size_t)vm->limits.maxlist);
        goto fail;
    }
    if (!vm_grow(vm, (void **)&m->ents, &m->cap, m->len + 1, sizeof(map_entry)))
        goto fail;
    m->ents[m->len].key = key;
    m->ents[m->len].val = val;
    m->len++;
    if (m->len > 8 || m->icap) { /* once built, the index is kept exact */
        if (m->len * 2 + 2 > m->icap) {
            if (!map_rehash(vm, m)) {
                m->len--;
                goto fail;
            }
        } else {
            bool found;
            size_t s = find_slot(m, key, &found);
            m->index[s] = (uint32_t)m->len;
        }
    }
    return true;
fail:
    val_release(vm, key);
    val_release(vm, val);
    return false;
}

bool map_remove(exo_vm *vm, map *m, value key, value *out)
{
    value *v = map_get(m, key);
    if (!v) {
        *out = v_null();
        return false;
    }
    size_t e = (size_t)((map_entry *)((char *)v - offsetof(map_entry, val)) - m->ents);
    *out = m->ents[e].val;
    val_release(vm, m->ents[e].key);
    memmove(&m->ents[e], &m->ents[e + 1], (m->len - e - 1) * sizeof(map_entry));
    m->len--;
    if (m->icap)
        map_rehash(vm, m); /* shrinks nothing, cannot fail when icap suffices */
    return true;
}
