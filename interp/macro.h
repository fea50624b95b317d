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
        value v;               /* PUSH: the constant */
        const struct word *w;  /* CALL: the resolved word */
    } u;
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
/* A new macro running a's ops then b's (MACRO + MACRO): PUSH constants are
 * retained, positions copied; file is a's. NULL (error set) on failure. */
macro *macro_concat(exo_vm *vm, const macro *a, const macro *b);
const char *op_name(opkind k);

#endif
