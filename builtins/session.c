/* Session words, for interactive use. ECHOON/ECHOOFF/TIMEON/TIMEOFF only
 * flip per-VM switches (vm->session, exo_session_flags) that the host reads
 * after each line: libexo itself never prints the stack or timings. MAN
 * writes a word's signature and doc, from the same registration table that
 * help and completion read, through the host's output callback (nothing if
 * the host installed none). */
#include "builtins.h"

#include <string.h>

static bool w_session_switch(exo_vm *vm, const word *w)
{
    uint32_t bit = (uint32_t)(w->magic < 0 ? -w->magic : w->magic);
    if (w->magic > 0)
        vm->session |= bit;
    else
        vm->session &= ~bit;
    return true;
}

static void out(exo_vm *vm, const char *s, size_t len)
{
    if (vm->write && len)
        vm->write(vm->write_ud, s, len);
}

static bool w_man(exo_vm *vm, const word *w)
{
    value *v = vm_peek(vm, 0);
    if (v->type != T_STRING)
        return vm_type_error(vm, w, 1, "a STRING word name");
    str *name = AS_STR(*v);
    const word *found = strlen(name->data) == name->len ? words_find(&vm->words, name->data, name->len) : NULL;
    if (!found)
        return vm_fail(vm, "MAN: unknown word '%s'.", name->data);
    const char *family = "";
    for (size_t i = 0; i < vm->words.count; i++)
        if (vm->words.order[i] == found)
            family = vm->words.family[i] ? vm->words.family[i] : "";
    sbuf b;
    sb_init(&b, vm);
    sb_printf(&b, "%s ( %s )", found->name, found->sig ? found->sig : "");
    if (family[0])
        sb_printf(&b, "  [%s]", family);
    sb_printf(&b, "\n    %s\n", found->doc ? found->doc : "");
    if (!sb_cstr(&b)) {
        sb_free(&b);
        return vm_oom(vm);
    }
    vm_drop(vm, 1);
    out(vm, b.p, b.len);
    sb_free(&b);
    return true;
}

static const word session_words[] = {
    EXO_WORD_MAGIC("ECHOON", w_session_switch, 0, "--", "Interactive session: show the top of the stack after each line.",
                   EXO_SESSION_ECHO),
    EXO_WORD_MAGIC("ECHOOFF", w_session_switch, 0, "--", "Interactive session: stop showing the stack after each line.",
                   -(int64_t)EXO_SESSION_ECHO),
    EXO_WORD_MAGIC("TIMEON", w_session_switch, 0, "--", "Interactive session: show how long each line took.",
                   EXO_SESSION_TIME),
    EXO_WORD_MAGIC("TIMEOFF", w_session_switch, 0, "--", "Interactive session: stop showing timings.",
                   -(int64_t)EXO_SESSION_TIME),
    EXO_WORD("MAN", w_man, 1, "'name' --", "Prints a word's stack signature and documentation."),
};

EXO_FAMILY(session, session_words)
