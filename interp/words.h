/* Words: the registration record every builtin family table is made of,
 * and the per-VM registry (name -> word) that the compiler resolves
 * against once, at compile time. Host words registered through the API
 * live in the same registry, so help and completion see them too. */
#ifndef EXO_WORDS_H
#define EXO_WORDS_H

#include "common.h"

typedef struct word word;
/* A word's C function: reads operands by peeking, pushes/pops only when it
 * will succeed, returns false after vm_fail (stack unchanged). */
typedef bool (*word_fn)(exo_vm *vm, const word *w);

struct word {
    const char *name;
    word_fn fn;
    int min_depth;      /* the VM checks this before calling fn */
    const char *sig;    /* "a b -- a+b" */
    const char *doc;    /* one line: the user documentation */
    const void *data;   /* bound data, e.g. the libm function of an adapter */
    int64_t magic;      /* small selector for words sharing one function */
};

#define EXO_WORD(name, fn, depth, sig, doc) {name, fn, depth, sig, doc, NULL, 0}
#define EXO_WORD_DATA(name, fn, depth, sig, doc, data) {name, fn, depth, sig, doc, data, 0}
#define EXO_WORD_MAGIC(name, fn, depth, sig, doc, magic) {name, fn, depth, sig, doc, NULL, magic}

typedef struct word_table {
    const word **slots; /* open addressing by name hash */
    size_t cap, count;
    const word **order; /* registration order, for iteration */
    const char **family; /* family name of each word in order */
    size_t order_cap, family_cap;
} word_table;

bool words_init(exo_vm *vm, word_table *t);
void words_free(exo_vm *vm, word_table *t);
/* Adds or replaces a word (the record must outlive the VM, or be VM-owned). */
bool words_add(exo_vm *vm, word_table *t, const word *w, const char *family);
const word *words_find(const word_table *t, const char *name, size_t len);

#endif
