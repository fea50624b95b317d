/* Word registry: an open-addressing table from name to word record, per
 * VM (no global state), filled from the families' tables at VM creation
 * and by host registrations. */
#include "words.h"
#include "alloc.h"
#include "vm.h"

#include <string.h>

#include "../builtins/builtins.h"

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static bool same(const word *w, const char *name, size_t len)
{
    return strncmp(w->name, name, len) == 0 && w->name[len] == 0;
}

const word *words_find(const word_table *t, const char *name, size_t len)
{
    if (!t->cap)
        return NULL;
    size_t mask = t->cap - 1;
    for (size_t i = (size_t)hash_name(name, len) & mask; t->slots[i]; i = (i + 1) & mask)
        if (same(t->slots[i], name, len))
            return t->slots[i];
    return NULL;
}

static void place(const word **slots, size_t cap, const word *w)
{
    size_t mask = cap - 1, i = (size_t)hash_name(w->name, strlen(w->name)) & mask;
    while (slots[i] && strcmp(slots[i]->name, w->name) != 0)
        i = (i + 1) & mask;
    slots[i] = w;
}

bool words_add(exo_vm *vm, word_table *t, const word *w, const char *family)
{
    size_t len = strlen(w->name);
    if (!words_find(t, w->name, len)) {
        if ((t->count + 1) * 2 > t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 1024;
            const word **slots = vm_calloc(vm, cap * sizeof(word *));
            if (!slots)
                return false;
            for (size_t i = 0; i < t->cap; i++)
                if (t->slots[i])
                    place(slots, cap, t->slots[i]);
            vm_dealloc(vm, t->slots, t->cap * sizeof(word *));
            t->slots = slots;
            t->cap = cap;
        }
        if (!vm_grow(vm, (void **)&t->order, &t->order_cap, t->count + 1, sizeof(word *)) ||
            !vm_grow(vm, (void **)&t->family, &t->family_cap, t->count + 1, sizeof(char *)))
            return false;
        t->family[t->count] = family;
        t->order[t->count++] = w;
    } else {
        for (size_t i = 0; i < t->count; i++)
            if (strcmp(t->order[i]->name, w->name) == 0) {
                t->order[i] = w;
                t->family[i] = family;
            }
    }
    place(t->slots, t->cap, w);
    return true;
}

bool words_init(exo_vm *vm, word_table *t)
{
    memset(t, 0, sizeof *t);
    const word *table;
    size_t n;
#define FAMILY(name)                                                                               \
    family_##name(&table, &n);                                                                     \
    for (size_t i = 0; i < n; i++)                                                                 \
        if (!words_add(vm, t, &table[i], #name))                                                          \
            return false;
#include "../builtins/families.def"
#undef FAMILY
    return true;
}

void words_free(exo_vm *vm, word_table *t)
{
    vm_dealloc(vm, t->slots, t->cap * sizeof(word *));
    vm_dealloc(vm, t->order, t->order_cap * sizeof(word *));
    vm_dealloc(vm, t->family, t->family_cap * sizeof(char *));
    memset(t, 0, sizeof *t);
}
