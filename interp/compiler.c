/* The compiler: tokens -> ops. At top level every token runs as soon as it
 * is read (WarpScript's streaming model, so `!$x` after a STORE works);
 * inside <% %> tokens are compiled into the innermost open macro, each word
 * resolved once to its C function. `'x' STORE` and `'x' LOAD` compile to
 * direct variable-slot ops. The open-macro stack is an explicit array, so
 * 100,000 nested <% cost memory, not C stack. */
#include "alloc.h"
#include "vm.h"

#include <stdio.h>
#include <string.h>

typedef struct feed_ctx {
    exo_vm *vm;
    compiler *c;
    bool stopped; /* STOP ran: ignore the rest */
} feed_ctx;

static bool syntax_error(exo_vm *vm, compiler *c, const token *t, const char *fmt, const char *a, size_t alen)
{
    char shown[72]; /* a hostile token can be megabytes long: show its start */
    size_t n = alen < 64 ? alen : 64;
    memcpy(shown, a, n);
    strcpy(shown + n, alen > 64 ? "..." : "");
    vm_fail(vm, fmt, shown);
    vm_error_at(vm, EXO_ERR_SYNTAX, c->file, t->line, t->col);
    snprintf(vm->err.word, sizeof vm->err.word, "%.63s", shown);
    return false;
}

/* Words the VM runs inline (see ops.def), bound per VM to the builtin
 * records so that a host word registered under the same name is called
 * normally. IFT/IFTE are fused with constant macros instead. */
static const struct {
    const char *name;
    opkind kind;
} inlined[] = {
    {"+", OP_ADD}, {"-", OP_SUB}, {"*", OP_MUL}, {"<", OP_LT}, {">", OP_GT},     {"<=", OP_LE},  {">=", OP_GE},
    {"==", OP_EQ}, {"!=", OP_NE}, {"DUP", OP_DUP}, {"SWAP", OP_SWAP}, {"DROP", OP_DROP}, {"IFT", OP_IFT}, {"IFTE", OP_IFTE},
};

void cmp_bind_inlined(exo_vm *vm)
{
    for (size_t i = 0; i < countof(inlined) && i < countof(vm->inlined); i++)
        vm->inlined[i] = words_find(&vm->words, inlined[i].name, strlen(inlined[i].name));
}

static opkind inline_kind(exo_vm *vm, const word *w)
{
    for (size_t i = 0; i < countof(inlined); i++)
        if (vm->inlined[i] == w)
            return inlined[i].kind;
    return OP_CALL;
}

/* Builds the op for a token. Returns false with an error set. */
static bool token_op(exo_vm *vm, compiler *c, const token *t, op *o)
{
    memset(o, 0, sizeof *o);
    o->kind = OP_PUSH;
    switch (t->kind) {
    case TK_LONG:
        o->u.v = v_long(t->l);
        return true;
    case TK_DOUBLE:
        o->u.v = v_double(t->d);
        return true;
    case TK_BOOLEAN:
        o->u.v = v_bool(t->b);
        return true;
    case TK_STRING:
        o->u.v = str_new(vm, t->text, t->len);
        return !val_is_oom(o->u.v);
    case TK_LOAD:
    case TK_RUN:
        o->kind = t->kind == TK_LOAD ? OP_LOAD : OP_RUN;
        o->sym = vm_sym_intern(vm, t->text, t->len);
        return o->sym != UINT32_MAX;
    case TK_EARLY: {
        uint32_t s = vm_sym_find(vm, t->text, t->len);
        if (s == UINT32_MAX || !vm->vars[s].defined)
            return syntax_error(vm, c, t, "Unknown symbol '%s'", t->text, t->len);
        o->u.v = val_retain(vm->vars[s].v);
        return true;
    }
    case TK_WORD: {
        const word *w = words_find(&vm->words, t->text, t->len);
        if (!w)
            return syntax_error(vm, c, t, "Unknown function '%s'", t->text, t->len);
        o->kind = inline_kind(vm, w);
        if (o->kind == OP_IFT || o->kind == OP_IFTE)
            o->kind = OP_CALL; /* fused later, inside macros only */
        o->u.w = w;
        return true;
    }
    default:
        return vm_fail(vm, "Unexpected token.");
    }
}

static bool is_macro_push(const op *o) { return o->kind == OP_PUSH && o->u.v.type == T_MACRO; }

/* `<% a %> IFT` and `<% a %> <% b %> IFTE` inside a macro become one op
 * that holds the macros (no push, pop or refcount traffic per run). */
static bool fuse_conditional(exo_vm *vm, macro *m, const op *o)
{
    if (o->kind != OP_CALL)
        return false;
    opkind k = inline_kind(vm, o->u.w);
    size_t need = k == OP_IFTE ? 2 : k == OP_IFT ? 1 : 0;
    if (!need || m->len < need)
        return false;
    op *first = &m->ops[m->len - need];
    if (!is_macro_push(first) || (need == 2 && !is_macro_push(first + 1)))
        return false;
    first->kind = (uint8_t)k;
    first->word = o->u.w;
    if (need == 2) {
        first->aux = first[1].u.v.as.o; /* the reference moves from the PUSH */
        m->len--;
    }
    return true;
}

/* `'x' STORE` / `'x' LOAD` inside a macro become slot ops. */
static bool fuse_variable_op(exo_vm *vm, macro *m, const op *o)
{
    if (o->kind != OP_CALL || m->len == 0)
        return false;
    op *prev = &m->ops[m->len - 1];
    if (prev->kind != OP_PUSH || prev->u.v.type != T_STRING)
        return false;
    bool store = strcmp(o->u.w->name, "STORE") == 0;
    if (!store && strcmp(o->u.w->name, "LOAD") != 0)
        return false;
    str *name = AS_STR(prev->u.v);
    uint32_t s = vm_sym_intern(vm, name->data, name->len);
    if (s == UINT32_MAX)
        return false;
    val_release(vm, prev->u.v);
    prev->kind = store ? OP_STORE : OP_LOAD;
    prev->sym = s;
    prev->u.v = v_null();
    return true;
}

static bool open_macro(exo_vm *vm, compiler *c)
{
    if (!vm_grow(vm, (void **)&c->open, &c->open_cap, c->nopen + 1, sizeof(macro *)))
        return false;
    macro *m = macro_new(vm, c->file);
    if (!m)
        return false;
    c->open[c->nopen++] = m;
    return true;
}

static bool run_top(exo_vm *vm, feed_ctx *fc, op *o, const token *t)
{
    bool ok = vm_exec_top(vm, o, fc->c->file, t->line, t->col);
    if (o->kind == OP_PUSH)
        val_release(vm, o->u.v);
    if (ok)
        return true;
    switch (vm->unwind) {
    case UW_STOP:
    case UW_RETURN:
        vm->unwind = UW_NONE;
        fc->stopped = true;
        return false;
    case UW_BREAK:
    case UW_CONTINUE:
        vm_fail(vm, "%s used outside of a loop.", vm->unwind == UW_BREAK ? "BREAK" : "CONTINUE");
        vm_error_at(vm, EXO_ERR_RUNTIME, fc->c->file, t->line, t->col);
        snprintf(vm->err.word, sizeof vm->err.word, "%s", op_word_of(o) ? op_word_of(o)->name : "");
        return false;
    default:
        return false;
    }
}

static bool on_token(void *ctx, const token *t)
{
    feed_ctx *fc = ctx;
    exo_vm *vm = fc->vm;
    compiler *c = fc->c;
    if (t->kind == TK_MACRO_OPEN)
        return open_macro(vm, c);
    if (t->kind == TK_MACRO_CLOSE) {
        if (c->nopen == 0)
            return syntax_error(vm, c, t, "Not inside a macro definition.%s", "", 0);
        macro *m = c->open[--c->nopen];
        op o = {.kind = OP_PUSH, .u.v = v_obj(T_MACRO, m)};
        if (c->nopen == 0)
            return run_top(vm, fc, &o, t);
        return macro_emit(vm, c->open[c->nopen - 1], o, t->line, t->col);
    }
    op o;
    if (!token_op(vm, c, t, &o)) {
        if (!vm->err_positioned)
            vm_error_at(vm, vm->err.code, c->file, t->line, t->col);
        return false;
    }
    if (c->nopen == 0)
        return run_top(vm, fc, &o, t);
    macro *m = c->open[c->nopen - 1];
    if (fuse_variable_op(vm, m, &o) || fuse_conditional(vm, m, &o)) {
        m->pos[m->len - 1].line = t->line;
        m->pos[m->len - 1].col = t->col;
        return true;
    }
    return macro_emit(vm, m, o, t->line, t->col);
}

void cmp_init(compiler *c, exo_vm *vm)
{
    memset(c, 0, sizeof *c);
    tok_init(&c->tok, vm);
}

void cmp_reset(exo_vm *vm, compiler *c)
{
    while (c->nopen)
        val_release(vm, v_obj(T_MACRO, c->open[--c->nopen]));
    tok_reset(&c->tok);
}

void cmp_free(exo_vm *vm, compiler *c)
{
    cmp_reset(vm, c);
    vm_dealloc(vm, c->open, c->open_cap * sizeof(macro *));
    c->open = NULL;
    c->open_cap = 0;
    tok_free(&c->tok);
}

exo_status cmp_run(exo_vm *vm, compiler *c, const char *src, size_t len, const char *file, bool final)
{
    feed_ctx fc = {.vm = vm, .c = c, .stopped = false};
    bool continuing = c->nopen > 0 || tok_incomplete(&c->tok);
    if (!continuing) {
        c->tok.line = 0;
        c->file = vm_intern_file(vm, file ? file : "<eval>");
        if (!c->file) {
            cmp_reset(vm, c);
            return vm->err.code;
        }
        c->tok.file = c->file;
    }
    bool ok = tok_feed(&c->tok, src, len, on_token, &fc);
    if (!ok) {
        cmp_reset(vm, c);
        if (fc.stopped) {
            vm->unwind = UW_STOP;
            return EXO_OK;
        }
        return vm->err.code ? vm->err.code : EXO_ERR_RUNTIME;
    }
    if (c->nopen == 0 && !tok_incomplete(&c->tok))
        return EXO_OK;
    if (!final)
        return EXO_INCOMPLETE;
    const char *what = c->tok.in_comment ? "Unbalanced /* construct."
                       : c->tok.in_multiline ? "Unbalanced <' construct."
                                             : "Unbalanced <% construct.";
    vm_fail(vm, "%s", what);
    vm_error_at(vm, EXO_ERR_SYNTAX, c->file, c->tok.line, 1);
    cmp_reset(vm, c);
    return EXO_ERR_SYNTAX;
}
