/* The public API (exo.h) as a host uses it: values in and out, host words,
 * compile/run, errors, capabilities, allocator failure, interrupt, and
 * independent VMs on two threads. */
#include "harness.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static exo_vm *vm_with(uint32_t caps)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    cfg.capabilities = caps;
    exo_vm *vm = exo_vm_new(&cfg);
    cr_assert_not_null(vm);
    return vm;
}

static exo_status eval(exo_vm *vm, const char *s) { return exo_eval(vm, s, strlen(s), "api"); }

Test(api, scalars_in_and_out)
{
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_push_long(vm, 40), EXO_OK);
    cr_assert_eq(exo_push_double(vm, 2.5), EXO_OK);
    cr_assert_eq(exo_push_boolean(vm, true), EXO_OK);
    cr_assert_eq(exo_push_null(vm), EXO_OK);
    cr_assert_eq(exo_push_string(vm, "a\0b", 3), EXO_OK);
    cr_assert_eq(exo_depth(vm), 5);
    size_t len;
    const char *s = exo_get_string(vm, 0, &len);
    cr_assert_eq(len, 3);
    cr_assert_eq(memcmp(s, "a\0b", 3), 0);
    cr_assert_eq(exo_type_at(vm, 1), EXO_T_NULL);
    bool b;
    cr_assert(exo_get_boolean(vm, 2, &b) && b);
    double d;
    cr_assert(exo_get_double(vm, 3, &d) && d == 2.5);
    int64_t l;
    cr_assert(exo_get_long(vm, 4, &l) && l == 40);
    cr_assert_not(exo_get_long(vm, 3, &l));
    cr_assert_eq(exo_type_at(vm, 9), EXO_T_NONE);
    cr_assert_eq(exo_drop(vm, 9), EXO_ERR_USAGE);
    cr_assert_eq(exo_drop(vm, 4), EXO_OK);
    cr_assert_eq(eval(vm, "2 +"), EXO_OK);
    cr_assert(exo_get_long(vm, 0, &l) && l == 42);
    exo_vm_free(vm);
}

Test(api, lists_and_maps)
{
    exo_vm *vm = h_vm();
    exo_push_list(vm);
    exo_push_long(vm, 1);
    cr_assert_eq(exo_list_append(vm), EXO_OK);
    exo_push_string(vm, "x", 1);
    cr_assert_eq(exo_list_append(vm), EXO_OK);
    exo_push_map(vm);
    exo_push_string(vm, "k", 1);
    exo_push_long(vm, 7);
    cr_assert_eq(exo_map_put(vm), EXO_OK);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[{\"k\":7},[1,\"x\"]]");
    size_t n;
    cr_assert(exo_map_len(vm, 0, &n) && n == 1);
    cr_assert(exo_list_len(vm, 1, &n) && n == 2);
    cr_assert_eq(exo_map_entry(vm, 0, 0), EXO_OK);
    int64_t l;
    cr_assert(exo_get_long(vm, 0, &l) && l == 7);
    cr_assert_str_eq(exo_get_string(vm, 1, NULL), "k");
    exo_drop(vm, 2);
    cr_assert_eq(exo_map_get(vm, 0, "k"), EXO_OK);
    cr_assert(exo_get_long(vm, 0, &l) && l == 7);
    exo_drop(vm, 1);
    cr_assert_eq(exo_map_get(vm, 0, "nope"), EXO_OK);
    cr_assert_eq(exo_type_at(vm, 0), EXO_T_NULL);
    exo_drop(vm, 1);
    cr_assert_eq(exo_list_get(vm, 1, 1), EXO_OK);
    cr_assert_str_eq(exo_get_string(vm, 0, NULL), "x");
    cr_assert_eq(exo_list_get(vm, 2, 5), EXO_ERR_USAGE);
    cr_assert_eq(exo_list_append(vm), EXO_ERR_USAGE); /* no list below */
    exo_vm_free(vm);
}

Test(api, gts_in_and_out)
{
    exo_vm *vm = h_vm();
    int64_t ticks[] = {100, 200, 300};
    double vals[] = {1.5, 2.5, 3.5};
    cr_assert_eq(exo_push_gts(vm, "temp", ticks, vals, 3), EXO_OK);
    cr_assert_eq(exo_gts_set_label(vm, 0, "room", "a"), EXO_OK);
    cr_assert_str_eq(exo_stack_json(vm, NULL),
                     "[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[100,1.5],[200,2.5],[300,3.5]]}]");
    cr_assert_eq(eval(vm, "2.0 *"), EXO_OK);
    exo_gts_meta m;
    cr_assert(exo_gts_info(vm, 0, &m));
    cr_assert_str_eq(m.cls, "temp");
    cr_assert_eq(m.len, 3);
    cr_assert_str_eq(exo_gts_label(vm, 0, "room"), "a");
    int64_t t[3];
    double v[3];
    cr_assert(exo_gts_ticks(vm, 0, t, 3) && t[2] == 300);
    cr_assert(exo_gts_doubles(vm, 0, v, 3) && v[0] == 3.0 && v[2] == 7.0);
    int64_t lv[] = {5, 6};
    cr_assert_eq(exo_push_gts_long(vm, NULL, ticks, lv, 2), EXO_OK);
    cr_assert(exo_gts_info(vm, 0, &m) && m.type == 1 && m.cls[0] == 0);
    exo_vm_free(vm);
}

static exo_status host_add(exo_vm *vm, void *ud)
{
    int64_t a, b;
    if (!exo_get_long(vm, 0, &b) || !exo_get_long(vm, 1, &a))
        return exo_fail(vm, "HADD expects two LONGs");
    *(int *)ud += 1;
    exo_drop(vm, 2);
    return exo_push_long(vm, a + b);
}

Test(api, host_words)
{
    exo_vm *vm = h_vm();
    int calls = 0;
    cr_assert_eq(exo_register(vm, "HADD", host_add, "a b -- a+b", "Adds two LONGs in the host.", &calls), EXO_OK);
    cr_assert_eq(eval(vm, "1 2 HADD <% 3 HADD %> EVAL"), EXO_OK, "%s", exo_last_error(vm)->message);
    int64_t l;
    cr_assert(exo_get_long(vm, 0, &l) && l == 6);
    cr_assert_eq(calls, 2);
    cr_assert_eq(eval(vm, "'x' HADD"), EXO_ERR_RUNTIME);
    cr_assert_str_eq(exo_last_error(vm)->message, "HADD expects two LONGs");
    cr_assert_str_eq(exo_last_error(vm)->word, "HADD");
    exo_clear(vm);
    cr_assert_eq(eval(vm, "HADD"), EXO_ERR_RUNTIME);
    cr_assert_str_eq(exo_last_error(vm)->message, "Empty stack.");
    bool found = false;
    const char *name, *sig, *doc, *fam;
    for (size_t i = 0; exo_word_at(vm, i, &name, &sig, &doc, &fam); i++)
        if (strcmp(name, "HADD") == 0)
            found = strcmp(fam, "host") == 0 && strcmp(sig, "a b -- a+b") == 0;
    cr_assert(found);
    cr_assert_eq(exo_register(vm, "bad name", host_add, "", "", NULL), EXO_ERR_USAGE);
    cr_assert_eq(exo_register(vm, "$x", host_add, "", "", NULL), EXO_ERR_USAGE);
    exo_vm_free(vm);
}

Test(api, compile_once_run_many)
{
    exo_vm *vm = h_vm();
    exo_macro *m;
    cr_assert_eq(exo_compile(vm, "DUP *", 5, "sq", &m), EXO_OK);
    for (int i = 1; i <= 100; i++) {
        exo_push_long(vm, i);
        cr_assert_eq(exo_run(vm, m), EXO_OK);
        int64_t l;
        cr_assert(exo_get_long(vm, 0, &l) && l == (int64_t)i * i);
        exo_drop(vm, 1);
    }
    cr_assert_eq(exo_push_macro(vm, m), EXO_OK);
    exo_macro_free(vm, m);
    cr_assert_eq(eval(vm, "7 SWAP EVAL"), EXO_OK);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[49]");
    cr_assert_eq(exo_compile(vm, "1 NOPE", 6, "bad", &m), EXO_ERR_SYNTAX);
    cr_assert_null(m);
    cr_assert_eq(exo_last_error(vm)->line, 1);
    cr_assert_eq(exo_last_error(vm)->col, 3);
    cr_assert_eq(exo_compile(vm, "1 %>", 4, "bad", &m), EXO_ERR_SYNTAX);
    cr_assert_eq(exo_compile(vm, "<% 1", 4, "bad", &m), EXO_ERR_SYNTAX);
    cr_assert_eq(exo_compile(vm, "1 0 /", 5, "div", &m), EXO_OK);
    cr_assert_eq(exo_run(vm, m), EXO_ERR_RUNTIME);
    cr_assert_str_eq(exo_last_error(vm)->word, "/");
    exo_macro_free(vm, m);
    exo_vm_free(vm);
}

Test(api, capabilities_default_deny)
{
    exo_vm *vm = vm_with(0);
    cr_assert_eq(eval(vm, "NOW"), EXO_ERR_RUNTIME);
    cr_assert(strstr(exo_last_error(vm)->message, "'clock' capability"), "%s", exo_last_error(vm)->message);
    exo_vm_free(vm);
    vm = vm_with(EXO_CAP_CLOCK);
    cr_assert_eq(eval(vm, "NOW TYPEOF"), EXO_OK);
    exo_vm_free(vm);
}

Test(api, null_arguments_are_usage_errors)
{
    cr_assert_eq(exo_eval(NULL, "1", 1, "x"), EXO_ERR_USAGE);
    cr_assert_eq(exo_push_long(NULL, 1), EXO_ERR_USAGE);
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_eval(vm, NULL, 3, "x"), EXO_ERR_USAGE);
    cr_assert_eq(exo_push_string(vm, NULL, 2), EXO_ERR_USAGE);
    cr_assert_eq(exo_compile(vm, "1", 1, "x", NULL), EXO_ERR_USAGE);
    cr_assert_eq(exo_run(vm, NULL), EXO_ERR_USAGE);
    exo_vm_free(NULL);
    exo_vm_free(vm);
}

/* ---- a failing host allocator ---- */
static long countdown;
static size_t live_bytes;
static void *failing_alloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
    (void)ud;
    if (new_size == 0) {
        live_bytes -= old_size;
        free(ptr);
        return NULL;
    }
    if (countdown > 0 && --countdown == 0)
        return NULL;
    void *p = realloc(ptr, new_size);
    if (p)
        live_bytes = live_bytes - old_size + new_size;
    return p;
}

Test(api, every_allocation_failing_in_turn)
{
    const char *src = "<% DUP 1 + %> 'f' STORE [ 1 2 'abc' { 'k' [ 3.5 ] } ] 0 10 <% @f %> FOR "
                      "'x%20y' ->JSON JSON-> <% 1 0 / %> <% ERROR %> <% %> TRY SNAPSHOT";
    for (long n = 1; n < 2000; n++) {
        exo_config cfg;
        exo_config_init(&cfg);
        cfg.alloc = failing_alloc;
        live_bytes = 0;
        countdown = n;
        exo_vm *vm = exo_vm_new(&cfg);
        if (!vm) {
            cr_assert_eq(live_bytes, 0);
            continue;
        }
        exo_status st = exo_eval(vm, src, strlen(src), "oom");
        if (st != EXO_OK)
            cr_assert(st == EXO_ERR_OOM || strstr(exo_last_error(vm)->message, "memory"),
                      "n=%ld: %d %s", n, st, exo_last_error(vm)->message);
        bool done = countdown > 0; /* the failure point was never reached */
        countdown = 0;
        /* the VM stays usable after the failure */
        cr_assert_eq(exo_eval(vm, "1 2 +", 5, "after"), EXO_OK, "n=%ld: %s", n, exo_last_error(vm)->message);
        exo_vm_free(vm);
        cr_assert_eq(live_bytes, 0, "n=%ld: %zu bytes leaked", n, live_bytes);
        if (done && st == EXO_OK)
            return;
    }
    cr_assert_fail("the script never ran to completion");
}

Test(api, many_vms_no_leak)
{
    for (int i = 0; i < 10000; i++) {
        exo_config cfg;
        exo_config_init(&cfg);
        cfg.alloc = failing_alloc;
        countdown = 0;
        live_bytes = 0;
        exo_vm *vm = exo_vm_new(&cfg);
        const char *src = i % 3 ? "[ 1 2 ] { 'a' <% 3 %> } 'x' STORE" : "1 0 /";
        exo_eval(vm, src, strlen(src), "cycle");
        exo_vm_free(vm);
        cr_assert_eq(live_bytes, 0);
    }
}

/* ---- interrupt ---- */
static void *interrupter(void *vm)
{
    usleep(50000);
    exo_interrupt(vm);
    return NULL;
}

Test(api, interrupt_from_another_thread)
{
    exo_vm *vm = h_vm();
    pthread_t t;
    pthread_create(&t, NULL, interrupter, vm);
    exo_status st = eval(vm, "<% T %> <% %> WHILE");
    pthread_join(t, NULL);
    cr_assert_eq(st, EXO_ERR_INTERRUPT);
    cr_assert_str_eq(exo_last_error(vm)->message, "Interrupted.");
    cr_assert_eq(eval(vm, "<% 1 %> <% 'caught' %> <% %> TRY"), EXO_OK);
    exo_vm_free(vm);
}

Test(api, interrupt_is_not_caught_by_try)
{
    exo_vm *vm = h_vm();
    pthread_t t;
    pthread_create(&t, NULL, interrupter, vm);
    exo_status st = eval(vm, "<% <% T %> <% %> WHILE %> <% 'caught' %> <% %> TRY");
    pthread_join(t, NULL);
    cr_assert_eq(st, EXO_ERR_INTERRUPT);
    exo_vm_free(vm);
}

/* ---- two VMs on two threads ---- */
static void *worker(void *arg)
{
    long *result = arg;
    exo_vm *vm = h_vm();
    const char *src = "0 1 200000 <% + %> FOR";
    if (exo_eval(vm, src, strlen(src), "thread") == EXO_OK) {
        int64_t l;
        if (exo_get_long(vm, 0, &l))
            *result = l;
    }
    exo_vm_free(vm);
    return NULL;
}

Test(api, two_threads)
{
    pthread_t a, b;
    long ra = 0, rb = 0;
    pthread_create(&a, NULL, worker, &ra);
    pthread_create(&b, NULL, worker, &rb);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    cr_assert_eq(ra, 20000100000L);
    cr_assert_eq(rb, 20000100000L);
}
