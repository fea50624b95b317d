/* Host words (exo_register) and host-side compile/run. A host word is a
 * VM-owned word record whose C function is a trampoline to the host's
 * callback; records live until the VM is freed, because compiled macros
 * hold pointers to them even after a re-registration. */
#include "alloc.h"
#include "macro.h"
#include "vm.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct host_word {
    word w;
    exo_host_fn fn;
    void *ud;
    struct host_word *next;
    size_t name_len, sig_len, doc_len;
} host_word;

static bool host_call(exo_vm *vm, const word *w)
{
    const host_word *h = w->data;
    exo_status st = h->fn(vm, h->ud);
    if (st == EXO_OK)
        return true;
    if (vm->unwind != UW_ERROR)
        vm_fail(vm, "%s failed.", w->name);
    return false;
}

/* Operands named before "--" in a stack signature. */
static int signature_depth(const char *sig)
{
    const char *dash = strstr(sig, "--");
    int n = 0;
    bool in_token = false;
    for (const char *p = sig; dash && p < dash; p++) {
        bool blank = *p == ' ' || *p == '\t';
        if (!blank && !in_token)
            n++;
        in_token = !blank;
    }
    return n;
}

static char *copy(exo_vm *vm, const char *s, size_t *len)
{
    *len = strlen(s) + 1;
    char *p = vm_alloc(vm, *len);
    if (p)
        memcpy(p, s, *len);
    return p;
}

static void host_word_free(exo_vm *vm, host_word *h)
{
    vm_dealloc(vm, (void *)h->w.name, h->name_len);
    vm_dealloc(vm, (void *)h->w.sig, h->sig_len);
    vm_dealloc(vm, (void *)h->w.doc, h->doc_len);
    vm_dealloc(vm, h, sizeof *h);
}

void host_words_free(exo_vm *vm)
{
    while (vm->host_words) {
        host_word *h = vm->host_words;
        vm->host_words = h->next;
        host_word_free(vm, h);
    }
}

static bool valid_name(const char *name)
{
    if (!name[0])
        return false;
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == '\'' || *p == '"')
            return false;
    return !(name[0] == '$' || name[0] == '@' || (name[0] == '!' && name[1] == '$'));
}

EXO_API exo_status exo_register(exo_vm *vm, const char *name, exo_host_fn fn, const char *sig, const char *doc,
                                void *ud)
{
    if (!vm || !name || !fn || !valid_name(name))
        return EXO_ERR_USAGE;
    vm_error_clear(vm);
    host_word *h = vm_calloc(vm, sizeof *h);
    if (!h)
        return vm->err.code;
    h->fn = fn;
    h->ud = ud;
    h->w.fn = host_call;
    h->w.data = h;
    h->w.min_depth = signature_depth(sig ? sig : "");
    h->w.name = copy(vm, name, &h->name_len);
    h->w.sig = copy(vm, sig ? sig : "", &h->sig_len);
    h->w.doc = copy(vm, doc ? doc : "", &h->doc_len);
    if (!h->w.name || !h->w.sig || !h->w.doc || !words_add(vm, &vm->words, &h->w, "host")) {
        host_word_free(vm, h);
        exo_status st = vm->err.code;
        vm_error_clear(vm);
        return st ? st : EXO_ERR_OOM;
    }
    h->next = vm->host_words;
    vm->host_words = h;
    return EXO_OK;
}

EXO_API exo_status exo_fail(exo_vm *vm, const char *fmt, ...)
{
    if (!vm)
        return EXO_ERR_USAGE;
    char msg[sizeof vm->err.message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt ? fmt : "", ap);
    va_end(ap);
    vm_fail(vm, "%s", msg);
    return EXO_ERR_RUNTIME;
}

/* ---- compile once, run many ---- */

EXO_API exo_status exo_compile(exo_vm *vm, const char *src, size_t len, const char *name, exo_macro **out)
{
    if (!vm || !out || (!src && len))
        return EXO_ERR_USAGE;
    *out = NULL;
    vm_error_clear(vm);
    compiler c;
    cmp_init(&c, vm);
    exo_status st = EXO_ERR_OOM;
    c.file = vm_intern_file(vm, name ? name : "<compile>");
    macro *m = c.file ? macro_new(vm, c.file) : NULL;
    if (m && vm_grow(vm, (void **)&c.open, &c.open_cap, 1, sizeof(macro *))) {
        c.open[c.nopen++] = m; /* everything compiles into this macro */
        m = NULL;
        st = cmp_run(vm, &c, src ? src : "", len, name ? name : "<compile>", false);
        if (st == EXO_INCOMPLETE && c.nopen == 1 && !tok_incomplete(&c.tok)) {
            *out = (exo_macro *)c.open[--c.nopen];
            st = EXO_OK;
        } else if (st == EXO_INCOMPLETE || st == EXO_OK) {
            vm_fail(vm, "%s", c.nopen ? "Unbalanced <% construct." : "Not inside a macro definition.");
            st = vm->err.code = EXO_ERR_SYNTAX;
        }
    }
    if (m)
        val_release(vm, v_obj(T_MACRO, m));
    cmp_free(vm, &c);
    if (st != EXO_OK && vm->err.code == EXO_OK)
        vm->err.code = st;
    vm->unwind = UW_NONE;
    return st;
}

EXO_API exo_status exo_run(exo_vm *vm, exo_macro *m)
{
    if (!vm || !m)
        return EXO_ERR_USAGE;
    vm_error_clear(vm);
    vm->ops = 0;
    vm->depth = 0;
    atomic_store(&vm->interrupted, 0); /* as exo_eval: a stale request is dropped */
    bool ok = vm_exec(vm, (macro *)m);
    if (!ok && (vm->unwind == UW_STOP || vm->unwind == UW_RETURN))
        ok = true;
    if (!ok && (vm->unwind == UW_BREAK || vm->unwind == UW_CONTINUE))
        vm_fail(vm, "%s used outside of a loop.", vm->unwind == UW_BREAK ? "BREAK" : "CONTINUE");
    exo_status st = ok ? EXO_OK : vm->err.code ? vm->err.code : EXO_ERR_RUNTIME;
    if (ok)
        vm_error_clear(vm);
    vm->unwind = UW_NONE;
    return st;
}

EXO_API exo_status exo_push_macro(exo_vm *vm, exo_macro *m)
{
    if (!vm || !m)
        return EXO_ERR_USAGE;
    value v = v_obj(T_MACRO, m);
    return vm_push(vm, val_retain(v)) ? EXO_OK : vm->err.code;
}

EXO_API void exo_macro_free(exo_vm *vm, exo_macro *m)
{
    if (vm && m)
        val_release(vm, v_obj(T_MACRO, (macro *)m));
}
