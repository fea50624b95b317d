/* @name resolution when no variable holds the name: the embedded standard
 * library first, then the host's loader (the exo program's -I path), which
 * needs the macropath capability. A library file is WarpScript that leaves
 * one macro; it is run once per VM and the macro cached by name. */
#include "alloc.h"
#include "vm.h"

#include "../stdlib/stdlib_table.h"

#include <stdio.h>
#include <string.h>

/* Runs a library source and takes the macro it leaves. */
static bool load_source(exo_vm *vm, const char *name, const char *src, size_t len, value *out)
{
    char file[300];
    snprintf(file, sizeof file, "@%.290s", name);
    compiler c;
    cmp_init(&c, vm);
    size_t depth = vm->sp;
    exo_status st = cmp_run(vm, &c, src, len, file, true);
    cmp_free(vm, &c);
    if (st != EXO_OK)
        return false;
    if (vm->sp != depth + 1 || vm_peek(vm, 0)->type != T_MACRO)
        return vm_fail(vm, "Macro library file '@%s' must leave exactly one macro on the stack.", name);
    *out = vm_pop(vm);
    ((macro *)out->as.o)->name = vm_intern_file(vm, file);
    return true;
}

static bool resolve(exo_vm *vm, const char *name, size_t len, value *out)
{
    *out = v_null();
    if (!vm->macro_cache && !(vm->macro_cache = map_new(vm, 0)))
        return false;
    value key = str_new(vm, name, len);
    if (val_is_oom(key))
        return false;
    value *cached = map_get(vm->macro_cache, key);
    if (cached) {
        *out = val_retain(*cached);
        val_release(vm, key);
        return true;
    }
    const char *cname = AS_STR(key)->data;
    bool ok = true, found = false;
    for (size_t i = 0; i < stdlib_count && !found; i++)
        if (strcmp(stdlib_entries[i].name, cname) == 0) {
            found = true;
            ok = load_source(vm, cname, stdlib_entries[i].source, stdlib_entries[i].len, out);
        }
    if (!found && vm->load_macro && (vm->caps & EXO_CAP_MACROPATH)) {
        size_t n = 0;
        const char *text = vm->load_macro(vm->load_macro_ud, cname, &n);
        if (text) {
            found = true;
            ok = load_source(vm, cname, text, n, out);
        }
    }
    if (ok && found) {
        ok = map_put(vm, vm->macro_cache, key, val_retain(*out));
        if (!ok) {
            val_release(vm, *out);
            *out = v_null();
        }
        return ok;
    }
    val_release(vm, key);
    return ok;
}

void macrolib_install(exo_vm *vm) { vm->resolve_macro = resolve; }

EXO_API bool exo_stdlib_at(size_t i, const char **name, const char **sig, const char **doc)
{
    if (i >= stdlib_count)
        return false;
    if (name)
        *name = stdlib_entries[i].name;
    if (sig)
        *sig = stdlib_entries[i].sig;
    if (doc)
        *doc = stdlib_entries[i].doc;
    return true;
}
