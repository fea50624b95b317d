/* A compiled macro: a flat array of ops with a parallel position table
 * (line/column of each op's token, like Lua's line info). Op kinds are an
 * X-macro in ops.def so the enum, the VM and the disassembler agree. */
#ifndef EXO_MACRO_H
#define EXO_MACRO_H

#include "value.h"

struct word;

typedef enum {
#define OP(name, doc) OP_##name,
#include "ops.def"
#undef OP
    OP__COUNT
} opkind;

typedef struct op {
    uint8_t kind;
    uint32_t sym; /* LOAD/STORE/RUN: variable slot */
    union {
        value v;              /* PUSH: the constant; IFT/IFTE: the then macro */
        const struct word *w; /* CALL and inlined words: the resolved word */
    } u;
    const struct word *word; /* IFT/IFTE: the word (its name, its generic path) */
    obj *aux;                /* IFTE: the else macro */
} op;

typedef struct srcpos {
    uint32_t line, col;
} srcpos;

typedef struct macro {
    obj h;
    op *ops;
    srcpos *pos;
    size_t len, cap, pos_cap;
    const char *file; /* interned source name */
    const char *name; /* interned name for @name macros, or NULL */
} macro;

macro *macro_new(exo_vm *vm, const char *file);
/* Appends an op; a PUSH constant is consumed (also on failure). */
bool macro_emit(exo_vm *vm, macro *m, op o, uint32_t line, uint32_t col);
void macro_destroy(exo_vm *vm, macro *m, bool release_children);
/* The constants an op holds (PUSH value, fused macros): retain / release. */
void op_retain(const op *o);
void op_release(exo_vm *vm, const op *o);
/* True for ops that call a word (CALL and the inlined words). */
static inline bool op_is_word(const op *o) { return o->kind == OP_CALL || o->kind >= OP_ADD; }
/* The word an op stands for, or NULL (PUSH/LOAD/STORE/RUN). */
static inline const struct word *op_word_of(const op *o)
{
    return op_is_word(o) ? o->u.w : (o->kind == OP_IFT || o->kind == OP_IFTE) ? o->word : NULL;
}
/* A new macro running a's ops then b's (MACRO + MACRO): PUSH constants are
 * retained, positions copied; file is a's. NULL (error set) on failure. */
macro *macro_concat(exo_vm *vm, const macro *a, const macro *b);
const char *op_name(opkind k);

#endif
