/* FUNCTION values: the framework elements (bucketizer.mean, 2 mapper.add,
 * reducer.sum, op.add, 'cpu' filter.byclass, MACROMAPPER ...). A FUNCTION
 * is a static descriptor (fn_def: name, roles, kernel) plus the parameters
 * its builder word popped, retained. The frameworks (BUCKETIZE, MAP,
 * REDUCE, APPLY, FILTER, FILL) check the role they need and call the
 * kernel; the kernels themselves live in builtins/ (aggregators.c ...).
 *
 * TYPEOF names a FUNCTION by its kind (AGGREGATOR, FILTER, OPERATOR,
 * FILLER); its JSON and snapshot form is the WarpScript that rebuilds it:
 * "'bucketizer.sum' FUNCREF" without parameters, "1 mapper.add" with,
 * "<% <% .. %> MACROMAPPER %> EVAL" for the macro wrappers. */
#ifndef EXO_FUNCTION_H
#define EXO_FUNCTION_H

#include "value.h"

struct word;
struct function;
struct agg_window; /* builtins/aggregators.h */
struct agg_out;
struct fw_class; /* interp/partition.h */

/* TYPEOF name of a FUNCTION (stored in its obj flags). */
typedef enum { FN_KIND_FUNCTION, FN_KIND_AGGREGATOR, FN_KIND_FILTER, FN_KIND_OPERATOR, FN_KIND_FILLER } fn_kind;

/* Roles: the frameworks that accept a FUNCTION. */
enum {
    FN_BUCKETIZER = 1,
    FN_MAPPER = 2,
    FN_REDUCER = 4,
    FN_OP = 8,
    FN_FILTER = 16,
    FN_FILLER = 32,
};

/* Checks a builder applies to each parameter before popping it. */
enum {
    FP_ANY,
    FP_NUMBER, /* LONG or DOUBLE */
    FP_LONG,
    FP_BOOL,
    FP_STRING,
    FP_SCALAR, /* LONG, DOUBLE, STRING or BOOLEAN */
    FP_MACRO,
    FP_MAP,
    FP_LIST,
};

#define FN_MAX_PARAMS 3

/* One aggregation over a window (bucket, sliding window, reduced tick,
 * applied tick): reads w, writes out (out->v owned, NULL = no value).
 * Returns false with the VM error set. */
typedef bool (*fn_agg_kernel)(exo_vm *vm, const struct function *f, const struct agg_window *w, struct agg_out *out);
/* A filter over one partition class: sets keep[i] for the class members. */
typedef bool (*fn_filter_kernel)(exo_vm *vm, const struct function *f, const struct fw_class *c, uint8_t *keep);

typedef union fn_kernel {
    fn_agg_kernel agg;
    fn_filter_kernel filter;
} fn_kernel;

typedef struct fn_def fn_def;
/* A builder checks (peeking) then pops its parameters and pushes the
 * FUNCTION. NULL in a def: the generic builder, driven by ptypes. */
typedef bool (*fn_builder)(exo_vm *vm, const struct word *w, const fn_def *d);

struct fn_def {
    const char *name;   /* the builder word, also the snapshot name */
    uint8_t kind;       /* fn_kind */
    uint8_t roles;      /* FN_BUCKETIZER | FN_MAPPER | ... */
    uint8_t nparams;    /* parameters the generic builder pops */
    uint8_t ptypes[FN_MAX_PARAMS]; /* FP_* check, deepest parameter first */
    uint32_t flags;     /* kernel options (null policies, ...) */
    int32_t magic;      /* kernel selector when one kernel serves several defs */
    fn_kernel kernel;
    fn_builder build;
};

typedef struct function {
    obj h;
    const fn_def *def;
    uint8_t nparams;
    bool wrapped;                 /* snapshot as <% params name %> EVAL */
    value params[FN_MAX_PARAMS];  /* as given, deepest first; retained */
    /* parameters decoded once by the builder for the kernels */
    int64_t il;
    double dl;
} function;

/* Java's (long) cast of a double: NaN gives 0, out of range saturates. */
static inline int64_t java_d2l(double d)
{
    if (d != d)
        return 0;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

#define AS_FN(v) ((function *)(v).as.o)

/* Installs the FUNCTION type hooks (destroy, snapshot) in a VM. */
void fn_install(exo_vm *vm);

/* A new FUNCTION of def d holding n parameters (each consumed, also on
 * failure). Returns NULL on OOM (error set). */
function *fn_new(exo_vm *vm, const fn_def *d, const value *params, size_t n);

/* TYPEOF name of a FUNCTION value. */
const char *fn_type_name(const obj *o);

/* True when v is a FUNCTION that can play role (FN_MAPPER ...). */
static inline bool fn_has_role(value v, unsigned role)
{
    return v.type == T_FUNCTION && (AS_FN(v)->def->roles & role) != 0;
}

/* The generic builder word: pops def->nparams parameters checked with
 * def->ptypes (or runs def->build), pushes the FUNCTION. The word's data
 * is the fn_def. */
bool fn_word(exo_vm *vm, const struct word *w);

#endif
