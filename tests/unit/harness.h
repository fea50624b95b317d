/* Shared helpers for the Criterion unit tests: run a script in a fresh VM
 * and compare the stack as Warp 10 JSON, or check the error it raised and
 * that the stack was left as it was. */
#ifndef EXO_TEST_HARNESS_H
#define EXO_TEST_HARNESS_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "exo.h"

static inline exo_vm *h_vm(void)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    cfg.capabilities = EXO_CAP_ALL;
    exo_vm *vm = exo_vm_new(&cfg);
    cr_assert_not_null(vm);
    return vm;
}

/* Runs src in a fresh VM and asserts success and the JSON stack. */
#define expect_stack(src, json)                                                                    \
    do {                                                                                           \
        exo_vm *vm_ = h_vm();                                                                      \
        exo_status st_ = exo_eval(vm_, src, strlen(src), "test");                                  \
        cr_assert_eq(st_, EXO_OK, "%s: failed with %s", src, exo_last_error(vm_)->message);        \
        const char *out_ = exo_stack_json(vm_, NULL);                                              \
        cr_assert_str_eq(out_, json, "%s", src);                                                   \
        exo_vm_free(vm_);                                                                          \
    } while (0)

/* Runs src in a fresh VM and asserts it fails with a message containing
 * msg, and that the stack is then stack_json (usually what the failing
 * word found). */
#define expect_error(src, msg, stack_json)                                                         \
    do {                                                                                           \
        exo_vm *vm_ = h_vm();                                                                      \
        exo_status st_ = exo_eval(vm_, src, strlen(src), "test");                                  \
        cr_assert_neq(st_, EXO_OK, "%s: should fail", src);                                        \
        cr_assert(strstr(exo_last_error(vm_)->message, msg), "%s: message '%s' lacks '%s'", src,  \
                  exo_last_error(vm_)->message, msg);                                              \
        const char *out_ = exo_stack_json(vm_, NULL);                                              \
        cr_assert_str_eq(out_, stack_json, "%s: stack after error", src);                          \
        exo_vm_free(vm_);                                                                          \
    } while (0)

/* Runs setup (which must succeed), then word, which must fail with a
 * message containing msg and leave the stack as setup left it. */
static inline void check_error(const char *setup, const char *word, const char *msg)
{
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_eval(vm, setup, strlen(setup), "t"), EXO_OK, "%s: %s", setup, exo_last_error(vm)->message);
    char *before = strdup(exo_stack_json(vm, NULL));
    cr_assert_neq(exo_eval(vm, word, strlen(word), "t"), EXO_OK, "%s should fail", word);
    cr_assert(strstr(exo_last_error(vm)->message, msg), "%s: message '%s' lacks '%s'", word,
              exo_last_error(vm)->message, msg);
    cr_assert_str_eq(exo_stack_json(vm, NULL), before, "%s: stack after error", word);
    free(before);
    exo_vm_free(vm);
}

/* src must fail with a message containing msg. */
static inline void check_fail(const char *src, const char *msg)
{
    exo_vm *vm = h_vm();
    cr_assert_neq(exo_eval(vm, src, strlen(src), "t"), EXO_OK, "%s should fail", src);
    cr_assert(strstr(exo_last_error(vm)->message, msg), "%s: message '%s' lacks '%s'", src,
              exo_last_error(vm)->message, msg);
    exo_vm_free(vm);
}

#endif
