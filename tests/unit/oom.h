/* Allocation-failure sweeps shared by the unit tests: a script runs with
 * its Nth allocation failing, for N = 1, 2, ... until a run no longer
 * reaches its Nth allocation (then it must succeed). Each failing run must
 * end in an error (out of memory, or the runtime error of a word that
 * reports the failure its own way), never a crash; ASan and valgrind see
 * any leak at exo_vm_free.
 * A warm sweep first runs the script once in the same VM, so the VM's own
 * buffers (stack, names, tokenizer) are sized, and then also requires the
 * memory in use to be back at its level once the stack is cleared after
 * each run that succeeded (recovered failures lose nothing); a strict
 * sweep requires it after every run: no reference is lost on any error
 * path. Strict suits scripts whose variables end in the same state
 * whatever run failed (a failed MAP, say, leaves a series without the
 * ticks-sharing counter a successful one keeps). */
#ifndef EXO_TEST_OOM_H
#define EXO_TEST_OOM_H

#include "harness.h"
#include "vm.h"

typedef enum { OOM_COLD, OOM_WARM, OOM_STRICT } oom_mode;

static inline void oom_sweep(const char *src, oom_mode mode)
{
    size_t len = strlen(src);
    exo_vm *ref = h_vm();
    cr_assert_eq(exo_eval(ref, src, len, "test"), EXO_OK, "%s", exo_last_error(ref)->message);
    exo_vm_free(ref);
    for (uint64_t n = 1;; n++) {
        exo_vm *vm = h_vm();
        if (mode != OOM_COLD) {
            cr_assert_eq(exo_eval(vm, src, len, "test"), EXO_OK);
            exo_clear(vm);
        }
        size_t before = exo_memory_used(vm);
        vm->fail_countdown = n;
        exo_status st = exo_eval(vm, src, len, "test");
        bool reached = vm->fail_countdown == 0;
        vm->fail_countdown = 0;
        if (!reached)
            cr_assert_eq(st, EXO_OK, "no allocation failed but: %s", exo_last_error(vm)->message);
        else if (st != EXO_OK)
            cr_assert(st == EXO_ERR_OOM || st == EXO_ERR_RUNTIME, "allocation %llu failing: status %d (%s)",
                      (unsigned long long)n, st, exo_last_error(vm)->message);
        exo_clear(vm);
        if (mode == OOM_STRICT || (mode == OOM_WARM && st == EXO_OK))
            cr_assert_eq(exo_memory_used(vm), before, "allocation %llu failing: %zu bytes left over",
                         (unsigned long long)n, exo_memory_used(vm) - before);
        exo_vm_free(vm);
        if (!reached)
            break;
    }
}

#endif
