/* exo — an embeddable interpreter for WarpScript-style time-series analysis.
 *
 * This is the only public header of libexo. Everything is prefixed exo_.
 *
 * Usage:  exo_config cfg; exo_config_init(&cfg); ...adjust cfg...;
 *         exo_vm *vm = exo_vm_new(&cfg);
 *         if (exo_eval(vm, src, len, "script.mc2") != EXO_OK)
 *             fprintf(stderr, "%s\n", exo_last_error(vm)->message);
 *         exo_vm_free(vm);
 *
 * Ownership: strings returned by exo_* functions are owned by the VM and
 * stay valid until the next call on the same VM, unless said otherwise.
 * A VM may be used by one thread at a time; different VMs are independent
 * (libexo has no global state). */
#ifndef EXO_H
#define EXO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(EXO_BUILDING) && (defined(__GNUC__) || defined(__clang__))
#define EXO_API __attribute__((visibility("default")))
#else
#define EXO_API
#endif

#define EXO_VERSION_MAJOR 0
#define EXO_VERSION_MINOR 1
#define EXO_VERSION_PATCH 0
#define EXO_VERSION_NUMBER (EXO_VERSION_MAJOR * 10000 + EXO_VERSION_MINOR * 100 + EXO_VERSION_PATCH)
#define EXO_VERSION_STRING "0.1.0"

typedef struct exo_vm exo_vm;

/* Status codes; they double as the exo program's exit statuses. */
typedef enum exo_status {
    EXO_OK = 0,
    EXO_ERR_RUNTIME = 1,   /* a word failed (type error, MSGFAIL, ...) */
    EXO_ERR_USAGE = 2,     /* bad arguments to an exo_* function */
    EXO_ERR_SYNTAX = 3,    /* lexical/compile error: unknown word, bad literal */
    EXO_ERR_LIMIT = 4,     /* a VM limit was reached (ops, depth, memory, ...) */
    EXO_ERR_OOM = 5,       /* the allocator failed */
    EXO_ERR_INTERRUPT = 6, /* exo_interrupt was called */
    EXO_INCOMPLETE = 7,    /* exo_feed: an open macro, comment or multi-line string */
} exo_status;

/* Per-VM limits, named as -l NAME=VALUE on the command line. */
typedef struct exo_limits {
    uint64_t maxops;       /* operations per evaluation (0 = unlimited) */
    uint64_t maxdepth;     /* stack depth */
    uint64_t maxrecursion; /* nesting of macro executions (capped at 8192) */
    uint64_t maxloop;      /* wall-clock ms of one WHILE/UNTIL/FOR/FORSTEP/FOREACH (0 = unlimited) */
    uint64_t maxsymbols;   /* distinct variables */
    uint64_t maxstring;    /* bytes in one string */
    uint64_t maxlist;      /* elements in one list or map */
    uint64_t maxmemory;    /* bytes allocated by the VM in total */
    uint64_t maxbuckets;   /* buckets per GTS in BUCKETIZE */
    uint64_t maxgts;       /* GTS returned by FETCH/FIND */
    uint64_t maxpoints;    /* points returned by FETCH */
} exo_limits;

/* Host allocator: like Lua's lua_Alloc. new_size 0 frees; otherwise it
 * returns a block of new_size bytes (keeping the content of ptr), or NULL. */
typedef void *(*exo_alloc_fn)(void *ud, void *ptr, size_t old_size, size_t new_size);
/* Output of words that print (PRINT-like words, the REPL's echo). */
typedef void (*exo_write_fn)(void *ud, const char *text, size_t len);

/* Loads the text of a library macro for @name when neither a variable nor
 * the standard library has it (the exo program reads NAME.mc2 from its -I
 * directories). Returns the text (valid until the next call) and its
 * length, or NULL when there is none. Called only with EXO_CAP_MACROPATH. */
typedef const char *(*exo_load_fn)(void *ud, const char *name, size_t *len);

typedef struct exo_config {
    exo_limits limits;
    exo_alloc_fn alloc; /* NULL: the C library's realloc/free */
    void *alloc_ud;
    exo_write_fn write; /* NULL: output is discarded */
    void *write_ud;
    uint32_t capabilities; /* EXO_CAP_* bits; default none */
    exo_load_fn load_macro; /* NULL: only the standard library */
    void *load_macro_ud;
} exo_config;

/* Capabilities (default deny). */
#define EXO_CAP_CLOCK (1u << 0)     /* NOW and other reads of the real time */
#define EXO_CAP_READ (1u << 1)      /* reading files */
#define EXO_CAP_WRITE (1u << 2)     /* writing files */
#define EXO_CAP_ENV (1u << 3)       /* environment variables */
#define EXO_CAP_MACROPATH (1u << 4) /* @name macros from directories */
#define EXO_CAP_ALL 0xffffffffu

/* Fills cfg with the defaults: WarpScript's shipped soft limits
 * (maxops 100000, maxdepth 1000, maxrecursion 16, ...), no capabilities. */
EXO_API void exo_config_init(exo_config *cfg);
/* Generous limits for a trusted command-line user. */
EXO_API void exo_limits_generous(exo_limits *limits);
/* Sets the limit named as on the command line ("maxops", ...). Returns
 * false for an unknown name. */
EXO_API bool exo_limit_set(exo_limits *limits, const char *name, uint64_t value);

/* Creates a VM (the config is copied). Returns NULL if the allocator fails. */
EXO_API exo_vm *exo_vm_new(const exo_config *cfg);
/* Frees the VM and everything it holds, reference cycles included. */
EXO_API void exo_vm_free(exo_vm *vm);

/* Runs source text (len bytes) as a complete script named name (for error
 * positions). The stack and variables persist between calls. */
EXO_API exo_status exo_eval(exo_vm *vm, const char *source, size_t len, const char *name);
/* Like exo_eval, but the text may stop inside an open <% %>, comment or
 * <' '> string: then EXO_INCOMPLETE is returned and the next exo_feed
 * continues it (the REPL's multi-line input). exo_feed_reset drops it. */
EXO_API exo_status exo_feed(exo_vm *vm, const char *source, size_t len, const char *name);
EXO_API void exo_feed_reset(exo_vm *vm);
/* How many <% are open in the pending input of exo_feed; whether a block
 * comment or multi-line string is open. */
EXO_API int exo_feed_depth(exo_vm *vm);
EXO_API bool exo_feed_in_comment(exo_vm *vm);
EXO_API bool exo_feed_in_string(exo_vm *vm);

#define EXO_TRACE_MAX 32

typedef struct exo_frame {
    char word[64];
    const char *file;
    uint32_t line, col;
} exo_frame;

typedef struct exo_error {
    exo_status code;
    char message[1024];
    char word[64];    /* the failing word, "" for lexical errors */
    const char *file; /* source name, never NULL */
    uint32_t line, col;
    int nframes;      /* macro call trace, innermost first */
    exo_frame frames[EXO_TRACE_MAX];
    int dropped_frames;
} exo_error;

/* The last error of the VM (code EXO_OK if the last evaluation succeeded). */
EXO_API const exo_error *exo_last_error(exo_vm *vm);

/* Stack. */
EXO_API size_t exo_depth(exo_vm *vm);
/* The whole stack as Warp 10's /exec JSON (top first). The string is owned
 * by the VM until the next call. NULL on allocation failure. */
EXO_API const char *exo_stack_json(exo_vm *vm, size_t *len);
/* Level i (0 = top) in a readable one-line text form, at most max_len bytes
 * (0 = no limit), owned by the VM until the next call. */
EXO_API const char *exo_value_text(exo_vm *vm, size_t level, size_t max_len);
EXO_API exo_status exo_push_string(exo_vm *vm, const char *s, size_t len);
EXO_API exo_status exo_push_long(exo_vm *vm, int64_t l);
EXO_API exo_status exo_push_double(exo_vm *vm, double d);
EXO_API exo_status exo_push_boolean(exo_vm *vm, bool b);
EXO_API exo_status exo_push_null(exo_vm *vm);
EXO_API exo_status exo_drop(exo_vm *vm, size_t n);
EXO_API void exo_clear(exo_vm *vm);

/* Display helpers for interactive hosts (the REPL's echo of the stack). */
/* Level i (0 = top) in a short one-line form of at most max_len bytes
 * (0 = no limit; UTF-8 is never cut inside a character): like
 * exo_value_text, but a LIST or MAP that does not fit shows its first items
 * and its size ("[1, 2, ...] (1000 items)"), and a GTS shows
 * "class{labels} N points [first..last]" (min and max tick). Owned by the
 * VM until the next call; NULL if level is beyond the stack or on OOM. */
EXO_API const char *exo_value_summary(exo_vm *vm, size_t level, size_t max_len);
/* Fills out with at most n numbers for a sparkline of the GTS at level i:
 * its values (LONG, DOUBLE or BOOLEAN as 1/0) in stored order; when it has
 * more than n points, out[k] is the mean of the k-th of n equal runs (NaN
 * skipped). Returns how many were written: 0 for anything but a GTS of
 * those types. */
EXO_API size_t exo_value_sample(exo_vm *vm, size_t level, double *out, size_t n);
/* How many MARKs are on the stack: the `[` and `{` still open (the REPL's
 * continuation prompt). */
EXO_API size_t exo_mark_count(exo_vm *vm);

/* Session switches: the REPL reads them after each line; the words ECHOON,
 * ECHOOFF, TIMEON and TIMEOFF set them. A new VM has none set (the exo
 * REPL turns echo on when it starts). */
#define EXO_SESSION_ECHO (1u << 0) /* show the top of the stack after each line */
#define EXO_SESSION_TIME (1u << 1) /* show how long each line took */
EXO_API uint32_t exo_session_flags(exo_vm *vm);
EXO_API void exo_set_session_flags(exo_vm *vm, uint32_t flags);

/* Words (help and completion). exo_word_at(vm, i) for i = 0, 1, ... until
 * it returns false gives each word's name, stack signature and doc. */
EXO_API bool exo_word_at(exo_vm *vm, size_t i, const char **name, const char **sig, const char **doc,
                         const char **family);
/* Names of the defined variables: i = 0, 1, ... until NULL. */
EXO_API const char *exo_variable_at(exo_vm *vm, size_t i);
/* Type name (as TYPEOF gives it, e.g. "MACRO") of the value of variable
 * name, or NULL if it is not defined. */
EXO_API const char *exo_variable_type(exo_vm *vm, const char *name);

/* Requests that the running evaluation stop with EXO_ERR_INTERRUPT. Safe
 * from a signal handler or another thread. A request made while nothing
 * runs is dropped when the next exo_eval/exo_feed starts. */
EXO_API void exo_interrupt(exo_vm *vm);

/* Memory in use by the VM, in bytes, and its peak. */
EXO_API size_t exo_memory_used(exo_vm *vm);
EXO_API size_t exo_memory_peak(exo_vm *vm);

/* Loads text in the GTS input format (`TS/LAT:LON/ELEV class{labels}{attrs}
 * VALUE` lines, `=TS/LAT:LON/ELEV VALUE` continuation lines, blank and `#`
 * lines ignored) into the VM's store, which FETCH and FIND read. Lines with
 * the same class and labels join one series wherever they appear. text
 * holds whole lines (the last one may lack its newline); successive calls
 * with the same name continue one input (a leading `=` line continues the
 * last series and line numbers go on), so a host can feed a big file in
 * chunks. Empty and T-relative timestamps need EXO_CAP_CLOCK. Returns
 * EXO_OK, or an error whose message reads "NAME line N: what is wrong"
 * (EXO_ERR_RUNTIME), EXO_ERR_OOM or EXO_ERR_LIMIT; the lines before the
 * bad one stay loaded. text is not kept. Stack: unchanged. */
EXO_API exo_status exo_load_gts_text(exo_vm *vm, const char *text, size_t len, const char *name);

EXO_API const char *exo_version(void);

/* ---- Values in and out (no JSON) ----
 * Levels count from the top of the stack (0 = top). Getters borrow: a
 * returned pointer stays valid while the value stays on the stack. Builders
 * work like words: exo_list_append pops the value and appends it to the
 * LIST below; exo_map_put pops a key and a value (value on top) into the
 * MAP below. Every exo_push_* copies what it is given. */
typedef enum exo_type {
    EXO_T_NULL, EXO_T_BOOLEAN, EXO_T_LONG, EXO_T_DOUBLE, EXO_T_STRING, EXO_T_BYTES, EXO_T_LIST,
    EXO_T_MAP, EXO_T_MACRO, EXO_T_FUNCTION, EXO_T_GTS, EXO_T_MARK,
    EXO_T_GEOSHAPE,
    EXO_T_NONE /* no such level */
} exo_type;

EXO_API exo_type exo_type_at(exo_vm *vm, size_t level);
/* Each returns false (and leaves *out) if the level does not hold that type.
 * exo_get_double accepts a LONG too (converted). */
EXO_API bool exo_get_boolean(exo_vm *vm, size_t level, bool *out);
EXO_API bool exo_get_long(exo_vm *vm, size_t level, int64_t *out);
EXO_API bool exo_get_double(exo_vm *vm, size_t level, double *out);
/* The bytes of a STRING or BYTES (NUL-terminated; may contain NULs: use *len). */
EXO_API const char *exo_get_string(exo_vm *vm, size_t level, size_t *len);
EXO_API exo_status exo_push_bytes(exo_vm *vm, const void *data, size_t len);
EXO_API exo_status exo_push_list(exo_vm *vm);   /* ( -- [] ) */
EXO_API exo_status exo_list_append(exo_vm *vm); /* ( list v -- list ) */
EXO_API bool exo_list_len(exo_vm *vm, size_t level, size_t *len);
EXO_API exo_status exo_list_get(exo_vm *vm, size_t level, size_t index); /* pushes the element */
EXO_API exo_status exo_push_map(exo_vm *vm);                             /* ( -- {} ) */
EXO_API exo_status exo_map_put(exo_vm *vm);                              /* ( map k v -- map ) */
EXO_API bool exo_map_len(exo_vm *vm, size_t level, size_t *len);
EXO_API exo_status exo_map_entry(exo_vm *vm, size_t level, size_t i);    /* pushes key, then value */
EXO_API exo_status exo_map_get(exo_vm *vm, size_t level, const char *key); /* pushes value or NULL */

/* GTS: build one from arrays (copied; class may be NULL for ""), read one back. */
EXO_API exo_status exo_push_gts(exo_vm *vm, const char *cls, const int64_t *ticks, const double *values, size_t n);
EXO_API exo_status exo_push_gts_long(exo_vm *vm, const char *cls, const int64_t *ticks, const int64_t *values,
                                     size_t n);
EXO_API exo_status exo_gts_set_label(exo_vm *vm, size_t level, const char *key, const char *value);
typedef struct exo_gts_meta {
    const char *cls;  /* borrowed */
    size_t len;       /* points */
    int type;         /* 0 undefined (empty), 1 LONG, 2 DOUBLE, 3 BOOLEAN, 4 STRING */
    int64_t bucketspan, bucketcount, lastbucket; /* 0 when not bucketized */
    size_t nlabels;
} exo_gts_meta;
EXO_API bool exo_gts_info(exo_vm *vm, size_t level, exo_gts_meta *info);
/* The value of a label (borrowed), or NULL. */
EXO_API const char *exo_gts_label(exo_vm *vm, size_t level, const char *key);
/* Copy the first n ticks / values (LONG and BOOLEAN converted) in storage order. */
EXO_API bool exo_gts_ticks(exo_vm *vm, size_t level, int64_t *out, size_t n);
EXO_API bool exo_gts_doubles(exo_vm *vm, size_t level, double *out, size_t n);

/* ---- Host words ----
 * exo_register adds a word (or replaces one, also a builtin) for this VM.
 * The signature's operands before "--" give the depth the VM checks before
 * calling fn ("a b -- c" needs 2). fn works on the stack with the functions
 * above and returns EXO_OK, or fails with `return exo_fail(vm, "...")`;
 * like a builtin it should leave the stack as it was when it fails. The
 * word shows in exo_word_at (family "host"). name, sig and doc are copied. */
typedef exo_status (*exo_host_fn)(exo_vm *vm, void *ud);
EXO_API exo_status exo_register(exo_vm *vm, const char *name, exo_host_fn fn, const char *sig, const char *doc,
                                void *ud);
/* Records a runtime error with a printf-style message; returns EXO_ERR_RUNTIME. */
EXO_API exo_status exo_fail(exo_vm *vm, const char *fmt, ...);

/* The standard library's macros: i = 0, 1, ... until false (help, completion). */
EXO_API bool exo_stdlib_at(size_t i, const char **name, const char **sig, const char **doc);

/* ---- Compile once, run many ----
 * exo_compile turns source into a macro without running it (words are
 * resolved now: an unknown word is an error here). exo_run runs it on the
 * VM's stack; exo_push_macro pushes it as a value. The macro belongs to the
 * VM: free it with exo_macro_free (or let exo_vm_free do it). */
typedef struct exo_macro exo_macro;
EXO_API exo_status exo_compile(exo_vm *vm, const char *source, size_t len, const char *name, exo_macro **out);
EXO_API exo_status exo_run(exo_vm *vm, exo_macro *m);
EXO_API exo_status exo_push_macro(exo_vm *vm, exo_macro *m);
EXO_API void exo_macro_free(exo_vm *vm, exo_macro *m);

#ifdef __cplusplus
}
#endif
#endif
