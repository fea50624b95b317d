/* The session words (ECHOON, ECHOOFF, TIMEON, TIMEOFF, MAN) and the display
 * API for interactive hosts (exo_value_summary, exo_value_sample,
 * exo_mark_count, exo_session_flags, exo_variable_type). GTS values are
 * built with the internal gts.h functions, as no word makes them here. */
#include "harness.h"

#include <math.h>
#include <stdio.h>

#include "gts.h"
#include "vm.h"

static void run_ok(exo_vm *vm, const char *src)
{
    exo_status st = exo_eval(vm, src, strlen(src), "test");
    cr_assert_eq(st, EXO_OK, "%s: %s", src, exo_last_error(vm)->message);
}

/* ---- session switches ---- */

Test(session, echo_and_time_words_set_flags)
{
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_session_flags(vm), 0);
    run_ok(vm, "ECHOON");
    cr_assert_eq(exo_session_flags(vm), EXO_SESSION_ECHO);
    run_ok(vm, "TIMEON");
    cr_assert_eq(exo_session_flags(vm), EXO_SESSION_ECHO | EXO_SESSION_TIME);
    run_ok(vm, "ECHOOFF");
    cr_assert_eq(exo_session_flags(vm), EXO_SESSION_TIME);
    run_ok(vm, "TIMEOFF TIMEOFF");
    cr_assert_eq(exo_session_flags(vm), 0);
    cr_assert_eq(exo_depth(vm), 0);
    exo_set_session_flags(vm, 0xffffffffu); /* unknown bits are dropped */
    cr_assert_eq(exo_session_flags(vm), EXO_SESSION_ECHO | EXO_SESSION_TIME);
    exo_vm_free(vm);
    cr_assert_eq(exo_session_flags(NULL), 0);
    exo_set_session_flags(NULL, 1);
}

/* ---- MAN ---- */

typedef struct capture {
    char text[512];
    size_t len;
} capture;

static void capture_write(void *ud, const char *s, size_t len)
{
    capture *c = ud;
    if (c->len + len < sizeof c->text) {
        memcpy(c->text + c->len, s, len);
        c->len += len;
        c->text[c->len] = 0;
    }
}

static exo_vm *capture_vm(capture *c)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    cfg.write = capture_write;
    cfg.write_ud = c;
    exo_vm *vm = exo_vm_new(&cfg);
    cr_assert_not_null(vm);
    return vm;
}

Test(session, man_prints_signature_doc_and_family)
{
    capture c = {.len = 0};
    exo_vm *vm = capture_vm(&c);
    run_ok(vm, "1 'SWAP' MAN");
    cr_assert_str_eq(c.text, "SWAP ( a b -- b a )  [stack]\n    Exchanges the two top levels.\n");
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[1]");
    c.len = 0;
    run_ok(vm, "'MAN' MAN");
    cr_assert(strncmp(c.text, "MAN ( 'name' -- )  [session]\n", 29) == 0, "%s", c.text);
    exo_vm_free(vm);
}

Test(session, man_without_output_callback_prints_nothing)
{
    expect_stack("'DUP' MAN", "[]");
}

Test(session, man_errors_leave_the_stack)
{
    expect_error("1 MAN", "MAN expects a STRING word name at depth 1, got LONG.", "[1]");
    expect_error("'NOPE' MAN", "MAN: unknown word 'NOPE'.", "[\"NOPE\"]");
    expect_error("MAN", "Empty stack", "[]");
}

/* ---- marks and variables ---- */

Test(session, mark_count)
{
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_mark_count(vm), 0);
    run_ok(vm, "MARK 1 MARK 'a'");
    cr_assert_eq(exo_mark_count(vm), 2);
    run_ok(vm, "CLEARTOMARK");
    cr_assert_eq(exo_mark_count(vm), 1);
    exo_vm_free(vm);
    cr_assert_eq(exo_mark_count(NULL), 0);
}

Test(session, variable_type)
{
    exo_vm *vm = h_vm();
    run_ok(vm, "<% 1 %> 'm' STORE 2 'n' STORE 'x' 's' STORE");
    cr_assert_str_eq(exo_variable_type(vm, "m"), "MACRO");
    cr_assert_str_eq(exo_variable_type(vm, "n"), "LONG");
    cr_assert_str_eq(exo_variable_type(vm, "s"), "STRING");
    cr_assert_null(exo_variable_type(vm, "nope"));
    run_ok(vm, "'n' FORGET");
    cr_assert_null(exo_variable_type(vm, "n"));
    cr_assert_null(exo_variable_type(vm, NULL));
    cr_assert_null(exo_variable_type(NULL, "m"));
    exo_vm_free(vm);
}

/* ---- summaries ---- */

static void expect_summary(const char *src, size_t max_len, const char *want)
{
    exo_vm *vm = h_vm();
    run_ok(vm, src);
    const char *got = exo_value_summary(vm, 0, max_len);
    cr_assert_not_null(got, "%s", src);
    cr_assert_str_eq(got, want, "%s (max %zu)", src, max_len);
    if (max_len)
        cr_assert_leq(strlen(got), max_len);
    exo_vm_free(vm);
}

Test(session, summary_of_scalars_and_strings)
{
    expect_summary("42", 0, "42");
    expect_summary("2.5", 10, "2.5");
    expect_summary("true", 0, "true");
    expect_summary("'caf%C3%A9 \"q\"'", 0, "\"caf\xc3\xa9 \\\"q\\\"\"");
    expect_summary("'a%0Ab%09c%01'", 0, "\"a\\nb\\tc\\u0001\"");
    expect_summary("<% 1 2 %>", 0, "<% 1 2 %>");
    expect_summary("MARK", 0, "MARK");
    /* shortened with "...", never inside a UTF-8 character */
    expect_summary("'abcdefghijklmnopqrstuvwxyz'", 10, "\"abcdef...");
    expect_summary("'%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9'", 8, "\"\xc3\xa9\xc3\xa9...");
    expect_summary("'%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9'", 7, "\"\xc3\xa9...");
}

Test(session, summary_beyond_the_stack)
{
    exo_vm *vm = h_vm();
    cr_assert_null(exo_value_summary(vm, 0, 0));
    run_ok(vm, "1");
    cr_assert_null(exo_value_summary(vm, 1, 0));
    cr_assert_str_eq(exo_value_summary(vm, 0, 0), "1");
    cr_assert_eq(exo_push_null(vm), EXO_OK);
    cr_assert_str_eq(exo_value_summary(vm, 0, 0), "null");
    cr_assert(vm_push(vm, bytes_new(vm, "ab\xff", 3)));
    cr_assert_str_eq(exo_value_summary(vm, 0, 0), "\"ab\\u00FF\"");
    char big[100];
    memset(big, 'x', sizeof big);
    cr_assert(vm_push(vm, bytes_new(vm, big, sizeof big)));
    cr_assert_str_eq(exo_value_summary(vm, 0, 10), "\"xxxxxx...");
    exo_vm_free(vm);
    cr_assert_null(exo_value_summary(NULL, 0, 0));
}

static void push_long_list(exo_vm *vm, size_t n)
{
    list *l = list_new(vm, n);
    cr_assert_not_null(l);
    for (size_t i = 0; i < n; i++)
        cr_assert(list_push(vm, l, v_long((int64_t)i)));
    cr_assert(vm_push(vm, v_obj(T_LIST, l)));
}

Test(session, summary_of_lists_and_maps)
{
    exo_vm *vm = h_vm();
    push_long_list(vm, 3);
    cr_assert_str_eq(exo_value_summary(vm, 0, 80), "[0, 1, 2]");
    exo_clear(vm);
    push_long_list(vm, 1000000);
    const char *s = exo_value_summary(vm, 0, 40);
    cr_assert_str_eq(s, "[0, 1, 2, 3, 4, 5, 6,... (1000000 items)");
    cr_assert_eq(strlen(exo_value_summary(vm, 0, 0)), strlen(exo_value_text(vm, 0, 0)) + 999999);
    exo_clear(vm);
    push_long_list(vm, 1);
    cr_assert_str_eq(exo_value_summary(vm, 0, 0), "[0]");
    /* nested: the outer list holds the inner one */
    list *outer = list_new(vm, 2);
    cr_assert(list_push(vm, outer, vm_pop(vm)));
    cr_assert(list_push(vm, outer, str_from(vm, "x")));
    cr_assert(vm_push(vm, v_obj(T_LIST, outer)));
    cr_assert_str_eq(exo_value_summary(vm, 0, 0), "[[0], \"x\"]");
    exo_clear(vm);

    map *m = map_new(vm, 4);
    for (int i = 0; i < 30; i++) {
        char k[8];
        snprintf(k, sizeof k, "k%d", i);
        cr_assert(map_put(vm, m, str_from(vm, k), v_long(i)));
    }
    cr_assert(vm_push(vm, v_obj(T_MAP, m)));
    cr_assert_str_eq(exo_value_summary(vm, 0, 50), "{\"k0\": 0, \"k1\": 1, \"k2\": 2, \"k3\": ... (30 entries)");
    cr_assert_leq(strlen(exo_value_summary(vm, 0, 50)), 50);
    /* too small for the size note: just shortened */
    cr_assert_str_eq(exo_value_summary(vm, 0, 12), "{\"k0\": 0,...");
    exo_vm_free(vm);
}

Test(session, summary_of_deep_nesting_is_bounded)
{
    exo_vm *vm = h_vm();
    push_long_list(vm, 1);
    for (int i = 0; i < 5000; i++) {
        list *l = list_new(vm, 1);
        cr_assert(list_push(vm, l, vm_pop(vm)));
        cr_assert(vm_push(vm, v_obj(T_LIST, l)));
    }
    const char *s = exo_value_summary(vm, 0, 0);
    cr_assert_not_null(s);
    cr_assert(strstr(s, "...") != NULL);
    exo_vm_free(vm);
}

static gts *push_gts(exo_vm *vm, const char *cls, const char *label_key, const char *label_val)
{
    gts *g = gts_new(vm);
    cr_assert_not_null(g);
    cr_assert(gts_set_class(vm, g, cls, strlen(cls)));
    if (label_key)
        cr_assert(map_put(vm, g->labels, str_from(vm, label_key), str_from(vm, label_val)));
    cr_assert(vm_push(vm, v_obj(T_GTS, g)));
    return g;
}

Test(session, summary_and_sample_of_gts)
{
    exo_vm *vm = h_vm();
    gts *g = push_gts(vm, "temp", "room", "a");
    cr_assert_str_eq(exo_value_summary(vm, 0, 0), "temp{room=a} 0 points");
    double v[8];
    cr_assert_eq(exo_value_sample(vm, 0, v, 8), 0);
    cr_assert(gts_add_double(vm, g, 20, 2.0));
    cr_assert(gts_add_double(vm, g, 0, 1.0));
    cr_assert(gts_add_double(vm, g, 10, NAN));
    cr_assert_str_eq(exo_value_summary(vm, 0, 0), "temp{room=a} 3 points [0..20]");
    cr_assert_eq(exo_value_sample(vm, 0, v, 8), 3);
    cr_assert_float_eq(v[0], 2.0, 0);
    cr_assert_float_eq(v[1], 1.0, 0);
    cr_assert(isnan(v[2]));
    cr_assert_eq(exo_value_sample(vm, 0, v, 2), 2); /* runs {2, 1} and {NaN} */
    cr_assert_float_eq(v[0], 1.5, 0);
    cr_assert(isnan(v[1]));
    cr_assert_eq(exo_value_sample(vm, 0, v, 0), 0);
    cr_assert_eq(exo_value_sample(vm, 0, NULL, 8), 0);
    cr_assert_eq(exo_value_sample(vm, 1, v, 8), 0);
    cr_assert_str_eq(exo_value_summary(vm, 0, 12), "temp{room...");

    /* in a list, and a long one sampled in equal runs */
    gts *h = push_gts(vm, "", NULL, NULL);
    for (int i = 0; i < 1000; i++)
        cr_assert(gts_add_long(vm, h, i, i < 500 ? 0 : 10));
    cr_assert_str_eq(exo_value_summary(vm, 0, 0), "{} 1000 points [0..999]");
    cr_assert_eq(exo_value_sample(vm, 0, v, 4), 4);
    cr_assert_float_eq(v[0], 0.0, 0);
    cr_assert_float_eq(v[1], 0.0, 0);
    cr_assert_float_eq(v[2], 10.0, 0);
    cr_assert_float_eq(v[3], 10.0, 0);
    list *l = list_new(vm, 1);
    cr_assert(list_push(vm, l, vm_pop(vm)));
    cr_assert(vm_push(vm, v_obj(T_LIST, l)));
    cr_assert_str_eq(exo_value_summary(vm, 0, 0), "[{} 1000 points [0..999]]");
    cr_assert_eq(exo_value_sample(vm, 0, v, 4), 0); /* not a GTS */

    /* a GTS of STRING has no sparkline */
    gts *s = push_gts(vm, "log", NULL, NULL);
    cr_assert(gts_add(vm, s, 5, GTS_NO_LOCATION, GTS_NO_ELEVATION, str_from(vm, "x")));
    cr_assert_str_eq(exo_value_summary(vm, 0, 0), "log{} 1 point [5..5]");
    cr_assert_eq(exo_value_sample(vm, 0, v, 4), 0);
    exo_vm_free(vm);
}

Test(session, summary_out_of_memory_is_an_error)
{
    exo_vm *vm = h_vm();
    push_long_list(vm, 100);
    char want[1024];
    snprintf(want, sizeof want, "%s", exo_value_summary(vm, 0, 0));
    bool failed = false;
    for (uint64_t n = 1; n < 50; n++) {
        vm->fail_countdown = n;
        const char *s = exo_value_summary(vm, 0, 0);
        vm->fail_countdown = 0;
        if (!s) {
            failed = true;
            cr_assert_eq(exo_last_error(vm)->code, EXO_ERR_OOM);
        } else {
            cr_assert_str_eq(s, want);
        }
    }
    cr_assert(failed);
    exo_vm_free(vm);
}
