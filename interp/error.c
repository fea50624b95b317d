/* Error recording. An error is set once by the failing word (message, code)
 * and completed while unwinding: the innermost op gives the word and the
 * position, each enclosing macro adds a trace frame. No allocation happens
 * here, so out-of-memory errors are reported like any other. */
#include "vm.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool set_error(exo_vm *vm, exo_status code, const char *fmt, va_list ap)
{
    exo_error *e = &vm->err;
    e->code = code;
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    e->word[0] = 0;
    e->file = "";
    e->line = e->col = 0;
    e->nframes = 0;
    e->dropped_frames = 0;
    vm->err_positioned = false;
    vm->err_consumed = 0;
    vm->unwind = UW_ERROR;
    return false;
}

bool vm_fail(exo_vm *vm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_error(vm, EXO_ERR_RUNTIME, fmt, ap);
    va_end(ap);
    return false;
}

bool vm_limit(exo_vm *vm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_error(vm, EXO_ERR_LIMIT, fmt, ap);
    va_end(ap);
    return false;
}

bool vm_oom(exo_vm *vm)
{
    vm_fail(vm, "Out of memory.");
    vm->err.code = EXO_ERR_OOM;
    return false;
}

bool vm_type_error(exo_vm *vm, const word *w, int depth, const char *what)
{
    const char *got = (size_t)depth <= vm->sp ? val_type_name(*vm_peek(vm, (size_t)depth - 1)) : "nothing";
    return vm_fail(vm, "%s expects %s at depth %d, got %s.", w->name, what, depth, got);
}

bool vm_need(exo_vm *vm, size_t n)
{
    return vm->sp >= n || vm_fail(vm, "Empty stack.");
}

bool vm_need_cap(exo_vm *vm, const word *w, uint32_t cap, const char *cap_name)
{
    if (vm->caps & cap)
        return true;
    return vm_fail(vm, "%s needs the '%s' capability, which this VM was not granted.", w->name, cap_name);
}

void vm_error_at(exo_vm *vm, exo_status code, const char *file, uint32_t line, uint32_t col)
{
    vm->err.code = code;
    vm->err.file = file ? file : "";
    vm->err.line = line;
    vm->err.col = col;
    vm->err_positioned = true;
}

void vm_error_clear(exo_vm *vm)
{
    vm->err.code = EXO_OK;
    vm->err.message[0] = 0;
    vm->err.word[0] = 0;
    vm->err.file = "";
    vm->err.line = vm->err.col = 0;
    vm->err.nframes = 0;
    vm->err.dropped_frames = 0;
    vm->err_positioned = false;
    vm->unwind = UW_NONE;
}
