/* Helpers of the analytics tests (test_kernels.c, test_analytics.c, ...):
 * a script prelude defining sample series, and a check of numeric results
 * within a tolerance for the words whose last digits depend on the
 * floating-point evaluation order (FFT, STL, polynomial LOWESS). */
#ifndef EXO_AN_HARNESS_H
#define EXO_AN_HARNESS_H

#include "harness.h"

#include <math.h>
#include <stdio.h>

/* $sq: ticks 1..9, LONG values t^2. */
#define AN_SQ "[ 1 2 3 4 5 6 7 8 9 ] [] [] [] [ 1 4 9 16 25 36 49 64 81 ] MAKEGTS 'sq' RENAME 'sq' STORE "

/* Runs src, which must leave a LIST of numbers on top, and compares it with
 * want[0..n) within tol (NaN matches NaN). */
static inline void an_expect_close(const char *src, const double *want, size_t n, double tol)
{
    exo_vm *vm = h_vm();
    exo_status st = exo_eval(vm, src, strlen(src), "test");
    cr_assert_eq(st, EXO_OK, "%s: failed with %s", src, exo_last_error(vm)->message);
    size_t len = 0;
    cr_assert(exo_list_len(vm, 0, &len), "%s: no LIST on top", src);
    cr_assert_eq(len, n, "%s: %zu values, expected %zu", src, len, n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(exo_list_get(vm, 0, i), EXO_OK);
        double d = 0;
        int64_t l = 0;
        if (!exo_get_double(vm, 0, &d)) {
            cr_assert(exo_get_long(vm, 0, &l), "%s: element %zu is not a number", src, i);
            d = (double)l;
        }
        exo_drop(vm, 1);
        if (isnan(want[i]))
            cr_assert(isnan(d), "%s: element %zu is %.17g, expected NaN", src, i, d);
        else
            cr_assert(fabs(d - want[i]) <= tol * (1.0 + fabs(want[i])), "%s: element %zu is %.17g, expected %.17g", src,
                      i, d, want[i]);
    }
    exo_vm_free(vm);
}

#endif
