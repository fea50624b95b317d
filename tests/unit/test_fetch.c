/* The store, exo_load_gts_text, FETCH and FIND: selectors, time ranges
 * (duration and count forms, list and map parameters), limits, load
 * errors with line numbers, chunked loading, and error paths. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

static const char DATA[] = "# test data\n"
                           "100// temp{room=a,floor=1} 1\n"
                           "200// temp{room=a,floor=1} 2\n"
                           "=300// 3\n"
                           "100// temp{room=b} 10.5\n"
                           "400// temp{floor=1,room=a} 4\n" /* same series, labels in another order */
                           "150/48.85:2.35/7 pos{}{unit=m} 'x%20y'\n"
                           "50// hum{room=a} 7\n";

static exo_vm *loaded(exo_limits *lim)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    if (lim)
        cfg.limits = *lim;
    cfg.capabilities = EXO_CAP_ALL;
    exo_vm *vm = exo_vm_new(&cfg);
    cr_assert_not_null(vm);
    cr_assert_eq(exo_load_gts_text(vm, DATA, strlen(DATA), "data.gts"), EXO_OK, "%s",
                 exo_last_error(vm)->message);
    return vm;
}

static void fetch_is(const char *src, const char *json)
{
    exo_vm *vm = loaded(NULL);
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t"), EXO_OK, "%s: %s", src, exo_last_error(vm)->message);
    cr_assert_str_eq(exo_stack_json(vm, NULL), json, "%s", src);
    exo_vm_free(vm);
}

static void fetch_fails(const char *src, const char *msg, const char *stack)
{
    exo_vm *vm = loaded(NULL);
    cr_assert_neq(exo_eval(vm, src, strlen(src), "t"), EXO_OK, "%s should fail", src);
    cr_assert(strstr(exo_last_error(vm)->message, msg), "%s: '%s' lacks '%s'", src, exo_last_error(vm)->message, msg);
    cr_assert_str_eq(exo_stack_json(vm, NULL), stack, "%s", src);
    exo_vm_free(vm);
}

#define TEMP_A "{\"c\":\"temp\",\"l\":{\"room\":\"a\",\"floor\":\"1\"},\"a\":{},\"la\":0,\"v\":"
#define TEMP_B "{\"c\":\"temp\",\"l\":{\"room\":\"b\"},\"a\":{},\"la\":0,\"v\":"

Test(fetch, duration_end_inclusive_start_exclusive)
{
    fetch_is("[ 'tok' 'temp' {} 300 200 ] FETCH", "[[" TEMP_A "[[300,3],[200,2]]}," TEMP_B "[]}]]");
}

Test(fetch, count_form_newest_first)
{
    fetch_is("[ 'tok' '=temp' { 'room' '=a' } 1000 -2 ] FETCH", "[[" TEMP_A "[[400,4],[300,3]]}]]");
    fetch_is("[ '' 'temp' { 'room' 'a' } 250 -10 ] FETCH", "[[" TEMP_A "[[200,2],[100,1]]}]]");
}

Test(fetch, regex_and_negated_selectors)
{
    fetch_is("[ '' '~t.*' { 'room' '~[ab]' } 1000 1000 ] FETCH SIZE", "[2]");
    fetch_is("[ '' '~.*' { 'room' '!=a' } 1000 1000 ] FETCH <% NAME %> F LMAP", "[[\"temp\",\"pos\"]]");
    fetch_is("[ '' '~.*' { 'room' '!~a|b' } 1000 1000 ] FETCH <% NAME %> F LMAP", "[[\"pos\"]]");
    fetch_is("[ '' '~te' {} 1000 1000 ] FETCH SIZE", "[0]"); /* a regex must match the whole class */
    fetch_is("[ '' '~.*' { 'floor' '' } 1000 1000 ] FETCH SIZE", "[3]"); /* '' matches an absent label */
}

Test(fetch, map_form)
{
    fetch_is("{ 'class' 'pos' 'end' 1000 'count' 5 } FETCH",
             "[[{\"c\":\"pos\",\"l\":{},\"a\":{\"unit\":\"m\"},\"la\":0,\"v\":[[150,48.8499999884516,2.3499999940395355,7,"
             "\"x y\"]]}]]");
    fetch_is("{ 'class' 'temp' 'labels' { 'room' 'a' } 'start' 200 'end' 300 } FETCH",
             "[[" TEMP_A "[[300,3],[200,2]]}]]");
    fetch_is("{ 'class' 'temp' 'labels' { 'room' 'a' } 'end' 400 'timespan' 250 'count' 2 } FETCH",
             "[[" TEMP_A "[[400,4],[300,3]]}]]");
    fetch_is("{ 'class' 'temp' 'labels' { 'room' 'a' } 'end' 400 'timespan' 0 } FETCH", "[[" TEMP_A "[]}]]");
}

Test(fetch, results_are_copies)
{
    fetch_is("[ '' 'hum' {} 1000 1000 ] FETCH 0 GET 999 NaN NaN NaN 1 ADDVALUE DROP "
             "[ '' 'hum' {} 1000 1000 ] FETCH 0 GET SIZE",
             "[1]");
}

Test(fetch, find_returns_series_without_points)
{
    fetch_is("[ 'tok' '~.*' {} ] FIND <% SIZE %> F LMAP", "[[0,0,0,0]]");
    fetch_is("{ 'class' 'temp' 'labels' { 'room' 'b' } } FIND", "[[" TEMP_B "[]}]]");
}

Test(fetch, empty_store)
{
    expect_stack("[ '' '~.*' {} 0 10 ] FETCH [ '' '~.*' {} ] FIND", "[[],[]]");
}

Test(fetch, limits)
{
    exo_limits lim;
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    lim = cfg.limits;
    lim.maxgts = 2;
    exo_vm *vm = loaded(&lim);
    const char *src = "[ '' '~.*' {} 1000 1000 ] FETCH";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t"), EXO_ERR_LIMIT);
    cr_assert_str_eq(exo_last_error(vm)->message, "FETCH would return more than 2 GTS (maxgts).");
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[[\"\",\"~.*\",{},1000,1000]]");
    exo_vm_free(vm);
    lim = cfg.limits;
    lim.maxpoints = 3;
    vm = loaded(&lim);
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t"), EXO_ERR_LIMIT);
    cr_assert_str_eq(exo_last_error(vm)->message, "FETCH would return more than 3 points (maxpoints).");
    exo_vm_free(vm);
}

Test(fetch, parameter_errors)
{
    fetch_fails("1 FETCH", "FETCH expects a LIST [token class {labels} end timespan] or a MAP at depth 1, got LONG.",
                "[1]");
    fetch_fails("[ '' 'a' {} 1 ] FETCH", "FETCH expects a LIST [token class {labels} end timespan], got 4 elements.",
                "[[\"\",\"a\",{},1]]");
    fetch_fails("[ '' 1 {} 1 1 ] FETCH", "FETCH expects the class selector to be a STRING, got LONG.",
                "[[\"\",1,{},1,1]]");
    fetch_fails("[ '' 'a' 1 1 1 ] FETCH", "FETCH expects the labels selectors to be a MAP, got LONG.",
                "[[\"\",\"a\",1,1,1]]");
    fetch_fails("[ '' 'a' {} 1.5 1 ] FETCH", "FETCH expects the end to be a LONG, got DOUBLE.",
                "[[\"\",\"a\",{},1.5,1]]");
    fetch_fails("[ '' '~(' {} 1 1 ] FETCH", "FETCH: invalid regular expression '('.", "[[\"\",\"~(\",{},1,1]]");
    fetch_fails("{ 'end' 1 } FETCH", "FETCH expects a 'class' selector in its MAP parameter.", "[{\"end\":1}]");
    fetch_fails("{ 'class' 'a' 'end' 1 } FETCH", "FETCH expects 'start', 'timespan' or 'count' in its MAP parameter.",
                "[{\"class\":\"a\",\"end\":1}]");
    fetch_fails("{ 'class' 'a' 'end' 1 'count' -1 } FETCH", "FETCH expects a non-negative 'count'.",
                "[{\"class\":\"a\",\"end\":1,\"count\":-1}]");
    fetch_fails("[ '' 'a' ] FIND", "FIND expects a LIST [token class {labels}], got 2 elements.", "[[\"\",\"a\"]]");
}

Test(fetch, load_errors_name_the_line)
{
    exo_vm *vm = h_vm();
    const char *bad = "100// a{} 1\n\n300// a{ 3\n";
    cr_assert_eq(exo_load_gts_text(vm, bad, strlen(bad), "f.gts"), EXO_ERR_RUNTIME);
    cr_assert_str_eq(exo_last_error(vm)->message, "f.gts line 3: missing '}' after the labels.");
    /* the lines before the bad one stay loaded */
    const char *src = "[ '' 'a' {} 1000 1000 ] FETCH 0 GET SIZE";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t"), EXO_OK);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[1]");
    cr_assert_eq(exo_load_gts_text(NULL, "", 0, "x"), EXO_ERR_USAGE);
    cr_assert_eq(exo_load_gts_text(vm, NULL, 3, "x"), EXO_ERR_USAGE);
    exo_vm_free(vm);
}

Test(fetch, chunks_continue_and_series_merge)
{
    exo_vm *vm = h_vm();
    const char *c1 = "100// a{k=v} 1\n", *c2 = "=200// 2\n300// b{} 3\n", *c3 = "bad line\n";
    cr_assert_eq(exo_load_gts_text(vm, c1, strlen(c1), "f"), EXO_OK);
    cr_assert_eq(exo_load_gts_text(vm, c2, strlen(c2), "f"), EXO_OK);
    cr_assert_eq(exo_load_gts_text(vm, c3, strlen(c3), "f"), EXO_ERR_RUNTIME);
    cr_assert_str_eq(exo_last_error(vm)->message, "f line 4: expected TS/LAT:LON/ELEV at the start of the line.");
    const char *other = "50// a{k=v} 0\n"; /* another file: same series, merged */
    cr_assert_eq(exo_load_gts_text(vm, other, strlen(other), "g"), EXO_OK);
    const char *src = "[ '' 'a' {} 1000 1000 ] FETCH";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t"), EXO_OK);
    cr_assert_str_eq(exo_stack_json(vm, NULL),
                     "[[{\"c\":\"a\",\"l\":{\"k\":\"v\"},\"a\":{},\"la\":0,\"v\":[[200,2],[100,1],[50,0]]}]]");
    exo_vm_free(vm);
}

Test(fetch, empty_timestamp_needs_the_clock)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_vm *vm = exo_vm_new(&cfg); /* no capabilities */
    const char *t = "// a{} 1\n";
    cr_assert_eq(exo_load_gts_text(vm, t, strlen(t), "f"), EXO_ERR_RUNTIME);
    cr_assert_str_eq(exo_last_error(vm)->message,
                     "f line 1: an empty timestamp needs the current time (clock capability).");
    exo_vm_free(vm);
}

/* A load of many points from one buffer: the values and ticks come back
 * exactly (correct rounding on the fast and slow number paths). */
Test(fetch, bulk_load_round_trip)
{
    exo_vm *vm = h_vm();
    size_t n = 100000, cap = n * 64;
    char *buf = malloc(cap);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%zu// bulk{s=1} %zu.%03zu\n", 1000000 + i, i, i % 1000);
    cr_assert_eq(exo_load_gts_text(vm, buf, len, "bulk"), EXO_OK);
    free(buf);
    const char *src = "[ '' 'bulk' {} MAXLONG MAXLONG ] FETCH 0 GET DUP SIZE SWAP DUP 0 ATINDEX SWAP -1 ATINDEX";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t"), EXO_OK, "%s", exo_last_error(vm)->message);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[[1000000,NaN,NaN,NaN,0.0],[1099999,NaN,NaN,NaN,99999.999],100000]");
    exo_vm_free(vm);
}
