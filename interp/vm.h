/* The VM: value stack, variables, object list, limits, errors, and the run
 * loop over compiled macros. Words use the inline stack helpers below:
 * peek to check, then pop/push to commit (a failed word leaves the stack as
 * it was). */
#ifndef EXO_VM_H
#define EXO_VM_H

#include "exo.h"
#include "sbuf.h"
#include "macro.h"
#include "tokenizer.h"
#include "value.h"
#include "words.h"

#include <stdatomic.h>

/* Why the run loop is unwinding: an error, or a non-local exit. */
typedef enum { UW_NONE, UW_ERROR, UW_BREAK, UW_CONTINUE, UW_RETURN, UW_STOP } unwind_kind;

typedef struct var {
    value v;
    bool defined;
    uint32_t name_len;
    char *name;
} var;

/* Compiler state for one source: the session's (exo_feed keeps it across
 * calls for multi-line input) or a temporary one (EVAL of a string). */
typedef struct compiler {
    tokenizer tok;
    macro **open; /* macros being defined, innermost last */
    size_t nopen, open_cap;
    const char *file;
} compiler;

typedef void (*obj_destroy_fn)(exo_vm *vm, obj *o, bool release_children);

/* Resolves @name when no variable holds it: returns a new reference to a
 * macro, or a NULL value (not found; no error set) / false (error set). */
typedef bool (*macro_resolver)(exo_vm *vm, const char *name, size_t len, value *out);

struct exo_vm {
    /* hot fields first */
    value *stack;
    size_t sp, cap;
    uint64_t ops, maxops; /* maxops: UINT64_MAX when unlimited */
    uint32_t depth;       /* nesting of macro executions */
    unwind_kind unwind;
    atomic_int interrupted;
    exo_limits limits;

    var *vars;
    size_t nvars, vars_cap, ndefined;
    uint32_t *var_index; /* hash of names -> slot + 1 */
    size_t var_index_cap;

    obj *objects, *dead;
    bool draining;
    /* per-type hooks for types defined outside interp/ (GTS, FUNCTION) */
    obj_destroy_fn destroy_ext[T_COUNT];
    bool (*json_ext[T_COUNT])(exo_vm *vm, sbuf *b, value v, bool strict);
    bool (*snapshot_ext[T_COUNT])(exo_vm *vm, sbuf *b, value v);
    bool (*eval_ext[T_COUNT])(exo_vm *vm, value v);
    /* FOREACH over element i: pushes it and returns 1, 0 past the end, -1 on error */
    int (*foreach_ext[T_COUNT])(exo_vm *vm, value coll, size_t i);
    /* Java toString text (TOSTRING, JOIN, ...): writes v to b, false on error */
    bool (*text_ext[T_COUNT])(exo_vm *vm, sbuf *b, value v);

    exo_alloc_fn alloc_fn;
    void *alloc_ud;
    size_t mem_used, mem_peak;
    uint64_t fail_countdown; /* test hook: fail the Nth allocation */

    exo_error err;        /* the current / last error */
    bool err_positioned;  /* err has its innermost position */
    int err_consumed;     /* operands the failing word declared */
    exo_error caught;     /* last error caught by TRY (ERROR, RETHROW) */
    bool has_caught;

    word_table words;
    const word *inlined[16]; /* builtins the compiler inlines (compiler.c) */
    struct host_word *host_words; /* exo_register records, freed with the VM */
    compiler comp;
    macro_resolver resolve_macro;
    map *macro_cache; /* @name -> macro loaded from the library */
    exo_load_fn load_macro;
    void *load_macro_ud;

    char **files; /* interned source names */
    size_t nfiles, files_cap;

    bool json_strict, json_pretty;
    value tz_cache; /* time zones read from files (timeutil.c): a LIST of BYTES, freed with the objects */
    exo_write_fn write;
    void *write_ud;
    uint32_t caps;

    struct gts_store *store; /* GTS loaded by exo_load_gts_text, read by FETCH (store.c) */
    char *out; /* scratch for exo_stack_json / exo_value_text */
    size_t out_cap;

    uint64_t uuid_rng[2]; /* xorshift128+ state of UUID, seeded on first use */
    uint32_t session; /* EXO_SESSION_* switches (ECHOON...; read by the REPL) */

    /* math.c: java.util.Random (48-bit LCG) states. RAND's is seeded from
     * the clock on first use; PRNG seeds the one SRAND draws from, so a
     * seeded sequence matches Warp 10's. */
    uint64_t rand_seed, prng_seed;
    bool rand_ready, prng_ready;
};

/* ---- errors ---- */
bool vm_fail(exo_vm *vm, const char *fmt, ...) EXO_PRINTF(2, 3);
bool vm_limit(exo_vm *vm, const char *fmt, ...) EXO_PRINTF(2, 3);
bool vm_oom(exo_vm *vm);
/* "WORD expects WHAT at depth D, got TYPE" for the value at depth (1 = top). */
bool vm_type_error(exo_vm *vm, const word *w, int depth, const char *what);
/* Marks the pending error as a syntax error at a source position. */
void vm_error_at(exo_vm *vm, exo_status code, const char *file, uint32_t line, uint32_t col);
void vm_error_clear(exo_vm *vm);
/* Turns a capability check into an error naming the capability. */
bool vm_need_cap(exo_vm *vm, const word *w, uint32_t cap, const char *cap_name);

/* ---- stack ---- */
bool vm_stack_grow(exo_vm *vm, size_t need);

static inline value *vm_peek(exo_vm *vm, size_t i) { return &vm->stack[vm->sp - 1 - i]; }

static inline bool vm_push(exo_vm *vm, value v)
{
    if (unlikely(vm->sp == vm->cap) && !vm_stack_grow(vm, vm->sp + 1)) {
        val_release(vm, v);
        return false;
    }
    vm->stack[vm->sp++] = v;
    return true;
}

static inline value vm_pop(exo_vm *vm) { return vm->stack[--vm->sp]; }

static inline void vm_drop(exo_vm *vm, size_t n)
{
    while (n--)
        val_release(vm, vm->stack[--vm->sp]);
}

/* Ensures n more values can be pushed without failing. */
static inline bool vm_reserve(exo_vm *vm, size_t n)
{
    return vm->sp + n <= vm->cap || vm_stack_grow(vm, vm->sp + n);
}

/* Checks the depth a variable-arity word needs ("Empty stack." otherwise). */
bool vm_need(exo_vm *vm, size_t n);

/* ---- variables ---- */
/* Slot of a name, creating it if needed; UINT32_MAX on OOM. */
uint32_t vm_sym_intern(exo_vm *vm, const char *name, size_t len);
/* Slot of an existing name, or UINT32_MAX. */
uint32_t vm_sym_find(exo_vm *vm, const char *name, size_t len);
bool vm_var_store(exo_vm *vm, uint32_t slot, value v); /* consumes v */
void vm_var_forget(exo_vm *vm, uint32_t slot);

/* ---- running ---- */
bool vm_exec(exo_vm *vm, macro *m);
/* A loop runs its body many times between one vm_enter (recursion,
 * interrupt, keeps the macro alive) and one vm_leave; vm_run_body runs the
 * ops once (counting them). vm_exec = enter + run + leave. */
bool vm_enter(exo_vm *vm, macro *m);
bool vm_run_body(exo_vm *vm, macro *m);
void vm_leave(exo_vm *vm, macro *m);
/* Runs @name: the macro in variable slot sym, or one from the library. */
bool vm_run_named(exo_vm *vm, uint32_t sym);
bool vm_exec_top(exo_vm *vm, const op *o, const char *file, uint32_t line, uint32_t col);
/* Runs a value as EVAL does: a macro, a string of WarpScript, a word. */
bool vm_eval_value(exo_vm *vm, value v);
/* Loop bookkeeping for WHILE/FOR/...: interrupt and maxloop checks. */
typedef struct loop_clock {
    uint64_t start_ms;
    uint32_t tick;
} loop_clock;
void vm_loop_start(exo_vm *vm, loop_clock *lc);
bool vm_loop_check(exo_vm *vm, loop_clock *lc, const char *word);
/* Called once per iteration: checks interrupts and, every 1024 iterations,
 * the maxloop time. */
static inline bool vm_loop_tick(exo_vm *vm, loop_clock *lc, const char *word)
{
    if (likely((++lc->tick & 1023) != 0) &&
        likely(!atomic_load_explicit(&vm->interrupted, memory_order_relaxed)))
        return true;
    return vm_loop_check(vm, lc, word);
}
/* Compiles and runs source text with compiler c. final = the text is
 * complete (errors for unbalanced constructs); otherwise an open construct
 * waits for more. A STOP ends it with EXO_OK and vm->unwind == UW_STOP. */
exo_status cmp_run(exo_vm *vm, compiler *c, const char *src, size_t len, const char *file, bool final);
void cmp_init(compiler *c, exo_vm *vm);
void cmp_reset(exo_vm *vm, compiler *c);
void cmp_free(exo_vm *vm, compiler *c);
void cmp_bind_inlined(exo_vm *vm);

const char *vm_intern_file(exo_vm *vm, const char *name);
uint64_t vm_now_ms(void);

void obj_free_all(exo_vm *vm);
void host_words_free(exo_vm *vm);
void macrolib_install(exo_vm *vm);

#endif
