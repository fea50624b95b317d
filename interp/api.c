/* The public API (exo.h): argument checks, then calls into the internals.
 * Nothing here keeps state outside the VM. */
#include "alloc.h"
#include "function.h"
#include "geoshape.h"
#include "gts.h"
#include "json.h"
#include "snapshot.h"
#include "store.h"
#include "vm.h"

#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    (void)ud;
    (void)old_size;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, new_size);
}

/* Hard caps that keep a runaway script from exhausting the C stack. */
#define HARD_MAX_RECURSION 8192

EXO_API void exo_config_init(exo_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    exo_limits *l = &cfg->limits;
    l->maxops = 100000;
    l->maxdepth = 1000;
    l->maxrecursion = 16;
    l->maxloop = 5000;
    l->maxsymbols = 64;
    l->maxstring = 100u << 20;
    l->maxlist = 10000000;
    l->maxmemory = 1ull << 30;
    l->maxbuckets = 100000;
    l->maxgts = 100000;
    l->maxpoints = 1000000;
}

EXO_API void exo_limits_generous(exo_limits *l)
{
    l->maxops = 0;
    l->maxdepth = 1000000;
    l->maxrecursion = 2048;
    l->maxloop = 0;
    l->maxsymbols = 100000;
    l->maxstring = 1ull << 30;
    l->maxlist = 500000000;
    l->maxmemory = 16ull << 30;
    l->maxbuckets = 100000000;
    l->maxgts = 10000000;
    l->maxpoints = 1000000000;
}

EXO_API bool exo_limit_set(exo_limits *l, const char *name, uint64_t value)
{
    static const struct {
        const char *name;
        size_t off;
    } fields[] = {
#define F(n) {#n, offsetof(exo_limits, n)}
        F(maxops),     F(maxdepth),  F(maxrecursion), F(maxloop), F(maxsymbols), F(maxstring),
        F(maxlist),    F(maxmemory), F(maxbuckets),   F(maxgts),  F(maxpoints),
#undef F
    };
    for (size_t i = 0; i < countof(fields); i++)
        if (strcmp(fields[i].name, name) == 0) {
            *(uint64_t *)((char *)l + fields[i].off) = value;
            return true;
        }
    return false;
}

static void apply_limits(exo_vm *vm)
{
    if (vm->limits.maxrecursion > HARD_MAX_RECURSION)
        vm->limits.maxrecursion = HARD_MAX_RECURSION;
    vm->maxops = vm->limits.maxops ? vm->limits.maxops : UINT64_MAX;
}

EXO_API exo_vm *exo_vm_new(const exo_config *cfg)
{
    exo_config defaults;
    if (!cfg) {
        exo_config_init(&defaults);
        cfg = &defaults;
    }
    exo_alloc_fn fn = cfg->alloc ? cfg->alloc : default_alloc;
    exo_vm *vm = fn(cfg->alloc_ud, NULL, 0, sizeof(exo_vm));
    if (!vm)
        return NULL;
    memset(vm, 0, sizeof *vm);
    vm->alloc_fn = fn;
    vm->alloc_ud = cfg->alloc_ud;
    vm->limits = cfg->limits;
    vm->write = cfg->write;
    vm->write_ud = cfg->write_ud;
    vm->caps = cfg->capabilities;
    vm->load_macro = cfg->load_macro;
    vm->load_macro_ud = cfg->load_macro_ud;
    macrolib_install(vm);
    atomic_init(&vm->interrupted, 0);
    apply_limits(vm);
    cmp_init(&vm->comp, vm);
    vm_error_clear(vm);
    if (!words_init(vm, &vm->words)) {
        exo_vm_free(vm);
        return NULL;
    }
    cmp_bind_inlined(vm);
    gts_install(vm);
    fn_install(vm);
    geoshape_install(vm);
    return vm;
}

EXO_API void exo_vm_free(exo_vm *vm)
{
    if (!vm)
        return;
    cmp_free(vm, &vm->comp);
    store_free(vm);
    obj_free_all(vm); /* frees every object, cycles included; values are dangling from here */
    vm_dealloc(vm, vm->stack, vm->cap * sizeof(value));
    for (size_t i = 0; i < vm->nvars; i++)
        vm_dealloc(vm, vm->vars[i].name, vm->vars[i].name_len + 1);
    vm_dealloc(vm, vm->vars, vm->vars_cap * sizeof(var));
    vm_dealloc(vm, vm->var_index, vm->var_index_cap * sizeof(uint32_t));
    for (size_t i = 0; i < vm->nfiles; i++)
        vm_dealloc(vm, vm->files[i], strlen(vm->files[i]) + 1);
    vm_dealloc(vm, vm->files, vm->files_cap * sizeof(char *));
    vm_dealloc(vm, vm->out, vm->out_cap);
    words_free(vm, &vm->words);
    host_words_free(vm);
    exo_alloc_fn fn = vm->alloc_fn;
    fn(vm->alloc_ud, vm, sizeof(exo_vm), 0);
}

const char *vm_intern_file(exo_vm *vm, const char *name)
{
    for (size_t i = 0; i < vm->nfiles; i++)
        if (strcmp(vm->files[i], name) == 0)
            return vm->files[i];
    if (!vm_grow(vm, (void **)&vm->files, &vm->files_cap, vm->nfiles + 1, sizeof(char *)))
        return NULL;
    char *copy = vm_strdup(vm, name);
    if (!copy)
        return NULL;
    vm->files[vm->nfiles++] = copy;
    return copy;
}

static exo_status run(exo_vm *vm, const char *src, size_t len, const char *name, bool final)
{
    if (!vm)
        return EXO_ERR_USAGE;
    if (!src && len)
        return EXO_ERR_USAGE;
    vm_error_clear(vm);
    vm->ops = 0;
    vm->depth = 0;
    /* an interrupt aimed at a previous evaluation that had already ended
     * (Ctrl-C just after a line finished) must not stop this one */
    atomic_store(&vm->interrupted, 0);
    exo_status st = cmp_run(vm, &vm->comp, src ? src : "", len, name, final);
    if (vm->unwind == UW_STOP)
        vm->unwind = UW_NONE;
    if (st != EXO_OK && st != EXO_INCOMPLETE && vm->err.code == EXO_OK)
        vm->err.code = st;
    if (st == EXO_OK || st == EXO_INCOMPLETE)
        vm_error_clear(vm);
    vm->unwind = UW_NONE;
    return st;
}

EXO_API exo_status exo_eval(exo_vm *vm, const char *source, size_t len, const char *name)
{
    if (vm)
        cmp_reset(vm, &vm->comp);
    return run(vm, source, len, name, true);
}

EXO_API exo_status exo_feed(exo_vm *vm, const char *source, size_t len, const char *name)
{
    return run(vm, source, len, name, false);
}

EXO_API void exo_feed_reset(exo_vm *vm)
{
    if (vm)
        cmp_reset(vm, &vm->comp);
}

EXO_API int exo_feed_depth(exo_vm *vm) { return vm ? (int)vm->comp.nopen : 0; }
EXO_API bool exo_feed_in_comment(exo_vm *vm) { return vm && vm->comp.tok.in_comment; }
EXO_API bool exo_feed_in_string(exo_vm *vm) { return vm && vm->comp.tok.in_multiline; }

EXO_API const exo_error *exo_last_error(exo_vm *vm) { return &vm->err; }

EXO_API size_t exo_depth(exo_vm *vm) { return vm ? vm->sp : 0; }

static const char *keep_output(exo_vm *vm, sbuf *b, size_t *len)
{
    if (!sb_cstr(b)) {
        sb_free(b);
        return NULL;
    }
    vm_dealloc(vm, vm->out, vm->out_cap);
    vm->out = b->p;
    vm->out_cap = b->cap;
    if (len)
        *len = b->len;
    return vm->out;
}

EXO_API const char *exo_stack_json(exo_vm *vm, size_t *len)
{
    sbuf b;
    sb_init(&b, vm);
    if (!json_write_stack(vm, &b)) {
        sb_free(&b);
        return NULL;
    }
    return keep_output(vm, &b, len);
}

EXO_API const char *exo_value_text(exo_vm *vm, size_t level, size_t max_len)
{
    if (!vm || level >= vm->sp)
        return NULL;
    value v = *vm_peek(vm, level);
    sbuf b;
    sb_init(&b, vm);
    bool ok = v.type == T_MACRO || v.type == T_MARK ? snapshot_write(vm, &b, v) : json_write(vm, &b, v, false);
    if (!ok) {
        sb_free(&b);
        return NULL;
    }
    if (max_len && b.len > max_len && max_len > 3) {
        b.len = max_len - 3;
        sb_puts(&b, "...");
    }
    return keep_output(vm, &b, NULL);
}

static exo_status push(exo_vm *vm, value v)
{
    if (!vm)
        return EXO_ERR_USAGE;
    if (v.type == T_NULL && val_is_heap(v))
        return vm->err.code;
    return vm_push(vm, v) ? EXO_OK : vm->err.code;
}

EXO_API exo_status exo_push_string(exo_vm *vm, const char *s, size_t len)
{
    if (!vm || (!s && len))
        return EXO_ERR_USAGE;
    value v = str_new(vm, s ? s : "", len);
    if (val_is_oom(v))
        return vm->err.code;
    return push(vm, v);
}

EXO_API exo_status exo_push_long(exo_vm *vm, int64_t l) { return push(vm, v_long(l)); }
EXO_API exo_status exo_push_double(exo_vm *vm, double d) { return push(vm, v_double(d)); }
EXO_API exo_status exo_push_boolean(exo_vm *vm, bool b) { return push(vm, v_bool(b)); }
EXO_API exo_status exo_push_null(exo_vm *vm) { return push(vm, v_null()); }

EXO_API exo_status exo_drop(exo_vm *vm, size_t n)
{
    if (!vm || n > vm->sp)
        return EXO_ERR_USAGE;
    vm_drop(vm, n);
    return EXO_OK;
}

EXO_API void exo_clear(exo_vm *vm)
{
    if (vm)
        vm_drop(vm, vm->sp);
}

EXO_API bool exo_word_at(exo_vm *vm, size_t i, const char **name, const char **sig, const char **doc,
                         const char **family)
{
    if (!vm || i >= vm->words.count)
        return false;
    const word *w = vm->words.order[i];
    if (name)
        *name = w->name;
    if (sig)
        *sig = w->sig;
    if (doc)
        *doc = w->doc;
    if (family)
        *family = vm->words.family[i];
    return true;
}

EXO_API const char *exo_variable_at(exo_vm *vm, size_t i)
{
    if (!vm)
        return NULL;
    for (size_t s = 0, n = 0; s < vm->nvars; s++)
        if (vm->vars[s].defined && n++ == i)
            return vm->vars[s].name;
    return NULL;
}

EXO_API void exo_interrupt(exo_vm *vm)
{
    if (vm)
        atomic_store(&vm->interrupted, 1);
}

EXO_API size_t exo_memory_used(exo_vm *vm) { return vm ? vm->mem_used : 0; }
EXO_API size_t exo_memory_peak(exo_vm *vm) { return vm ? vm->mem_peak : 0; }
EXO_API const char *exo_version(void) { return EXO_VERSION_STRING; }
