/* GTS words, conversions, empty-GTS rules, aliasing, JSON output, GTS
 * arithmetic, and every error path (message and unchanged stack). The
 * expected stacks were checked by hand against spec c, e.11 and the
 * reference sources named in the conformance cases. */
#include "harness.h"
#include "oom.h"

#include <math.h>


#include "gts.h"
#include "vm.h"

/* ---- storage layer, called directly ---- */

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 17;
}

static void check_sorted(const gts *g, bool desc)
{
    for (size_t i = 1; i < g->len; i++) {
        cr_assert(desc ? g->ticks[i - 1] >= g->ticks[i] : g->ticks[i - 1] <= g->ticks[i], "order at %zu", i);
        if (g->ticks[i - 1] == g->ticks[i]) /* stable: insertion order (the value) kept */
            cr_assert(g->v.l[i - 1] < g->v.l[i], "stability at %zu", i);
    }
}

Test(gts_core, radix_sort_random_is_stable_both_ways)
{
    exo_vm *vm = h_vm();
    size_t base = exo_memory_used(vm);
    for (int desc = 0; desc < 2; desc++) {
        gts *g = gts_new(vm);
        cr_assert_not_null(g);
        uint64_t s = 42 + (uint64_t)desc;
        for (int64_t i = 0; i < 300000; i++) /* many duplicates, negative ticks */
            cr_assert(gts_add_long(vm, g, (int64_t)(lcg(&s) % 5000) - 2500, i));
        cr_assert(gts_sort(vm, g, desc));
        check_sorted(g, desc);
        cr_assert_eq(g->sorted, desc ? GTS_DESC : GTS_ASC);
        val_release(vm, v_obj(T_GTS, g));
    }
    cr_assert_eq(exo_memory_used(vm), base, "exact-size accounting");
    exo_vm_free(vm);
}

Test(gts_core, sort_sorted_and_reversed_in_linear_time)
{
    exo_vm *vm = h_vm();
    gts *g = gts_new(vm);
    for (int64_t i = 0; i < 1000000; i++)
        cr_assert(gts_add_double(vm, g, i * 10, (double)i));
    cr_assert(gts_sort(vm, g, false)); /* already sorted: no work */
    cr_assert(gts_sort(vm, g, true));  /* reversed in place */
    cr_assert_eq(g->ticks[0], 9999990);
    cr_assert_eq(g->v.d[0], 999999.0);
    cr_assert(gts_sort(vm, g, false));
    cr_assert_eq(g->ticks[999999], 9999990);
    val_release(vm, v_obj(T_GTS, g));
    exo_vm_free(vm);
}

Test(gts_core, location_packing_round_trip)
{
    const double pts[][2] = {{48.85, 2.35}, {-33.8688, 151.2093}, {0, 0}, {-90, -180}, {89.999999, 179.999999}};
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        double lat, lon;
        int64_t p = gts_pack_location(pts[i][0], pts[i][1]);
        cr_assert_neq(p, GTS_NO_LOCATION);
        gts_unpack_location(p, &lat, &lon);
        cr_assert(lat <= pts[i][0] && pts[i][0] - lat < 1e-7, "lat %.17g -> %.17g", pts[i][0], lat);
        cr_assert(lon <= pts[i][1] && pts[i][1] - lon < 1e-7, "lon %.17g -> %.17g", pts[i][1], lon);
    }
    double lat, lon;
    cr_assert_eq(gts_pack_location(NAN, 1), GTS_NO_LOCATION);
    gts_unpack_location(GTS_NO_LOCATION, &lat, &lon);
    cr_assert(isnan(lat) && isnan(lon));
    gts_unpack_location(gts_pack_location(48.85, 2.35), &lat, &lon);
    cr_assert_eq(lat, 48.8499999884516);
}

Test(gts_core, no_gts_survives_a_script)
{
    exo_vm *vm = h_vm();
    const char *src = "NEWGTS 'a' RENAME 1 1.0 2.0 3 'x' ADDVALUE 2 NaN NaN NaN 'y' ADDVALUE DUP CLONE DEDUP "
                      "SWAP 0 ATINDEX DROP DUP 2 ->LIST MERGE 1 NaN NaN NaN 2.5 ADDVALUE SORT VALUES DROP";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t"), EXO_OK, "%s", exo_last_error(vm)->message);
    exo_clear(vm);
    for (obj *o = vm->objects; o; o = o->next)
        cr_assert_neq(o->type, T_GTS, "a GTS is still alive");
    exo_vm_free(vm);
}

/* Fails the Nth allocation for every N a script needs: an error, never a
 * crash or a leak (ASan), whatever allocation fails. */
Test(gts_core, allocation_failures_are_errors)
{
    const char *src = "<'\n100// a{x=1} 1\n=200/1.0:2.0/3 2.5\n300// b{} 'v'\n'>\nPARSE 0 GET DUP 3 * SWAP "
                      "CLONE 400 NaN NaN NaN 4 ADDVALUE RSORT DUP 2 > SWAP DEDUP { 'k' 'v' } RELABEL ->JSON";
    oom_sweep(src, OOM_COLD);
}

Test(gts, newgts) { expect_stack("NEWGTS", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, addvalue_types_long) { expect_stack("NEWGTS 1 NaN NaN NaN 7 ADDVALUE 2 NaN NaN NaN 2.7 ADDVALUE 3 NaN NaN NaN -2.7 ADDVALUE 4 NaN NaN NaN T ADDVALUE 5 NaN NaN NaN F ADDVALUE 6 NaN NaN NaN '12' ADDVALUE 7 NaN NaN NaN '1.9' ADDVALUE 8 NaN NaN NaN 'x' ADDVALUE 9 NaN NaN NaN NaN ADDVALUE", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,7],[2,2],[3,-2],[4,1],[5,0],[6,12],[7,1],[8,0],[9,0]]}]"); }
Test(gts, addvalue_types_double) { expect_stack("NEWGTS 1 NaN NaN NaN 1.5 ADDVALUE 2 NaN NaN NaN 2 ADDVALUE 3 NaN NaN NaN T ADDVALUE 4 NaN NaN NaN '2.5' ADDVALUE 5 NaN NaN NaN 'zz' ADDVALUE 6 NaN NaN NaN '1e3' ADDVALUE", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.5],[2,2.0],[3,1.0],[4,2.5],[5,0.0],[6,1000.0]]}]"); }
Test(gts, addvalue_types_string) { expect_stack("NEWGTS 1 NaN NaN NaN 'a' ADDVALUE 2 NaN NaN NaN 42 ADDVALUE 3 NaN NaN NaN 1.5 ADDVALUE 4 NaN NaN NaN T ADDVALUE 5 NaN NaN NaN 1.0E10 ADDVALUE", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,\"a\"],[2,\"42\"],[3,\"1.5\"],[4,\"T\"],[5,\"1.0E10\"]]}]"); }
Test(gts, addvalue_types_boolean) { expect_stack("NEWGTS 1 NaN NaN NaN T ADDVALUE 2 NaN NaN NaN 0 ADDVALUE 3 NaN NaN NaN 5 ADDVALUE 4 NaN NaN NaN 0.0 ADDVALUE 5 NaN NaN NaN '' ADDVALUE 6 NaN NaN NaN 'x' ADDVALUE", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,true],[2,false],[3,true],[4,false],[5,false],[6,true]]}]"); }
Test(gts, addvalue_null_adds_nothing) { expect_stack("NEWGTS 1 NaN NaN NaN NULL ADDVALUE SIZE", "[0]"); }
Test(gts, addvalue_list_form) { expect_stack("NEWGTS [ 1 10 ] ADDVALUE [ 2 5 20 ] ADDVALUE [ 3 48.85 2.35 30 ] ADDVALUE [ 4 48.85 2.35 7 40 ] ADDVALUE", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,10],[2,5,20],[3,48.8499999884516,2.3499999940395355,30],[4,48.8499999884516,2.3499999940395355,7,40]]}]"); }
Test(gts, addvalue_location_elev) { expect_stack("NEWGTS 100 48.85 2.35 NaN 1 ADDVALUE 200 NaN NaN 12.9 2 ADDVALUE 300 -90.0 -180.0 0 3 ADDVALUE", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,48.8499999884516,2.3499999940395355,1],[200,12,2],[300,-90.0,-180.0,0,3]]}]"); }
Test(gts, addvalue_mutates) { expect_stack("NEWGTS DUP 1 NaN NaN NaN 1 ADDVALUE DROP SIZE", "[1]"); }
Test(gts, setvalue_overwrites) { expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 2 ADDVALUE 1 NaN NaN NaN 3 ADDVALUE 1 NaN NaN NaN 5 SETVALUE 9 NaN NaN NaN 9 SETVALUE [ 2 20 ] SETVALUE", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,5],[2,20],[1,3],[9,9]]}]"); }
Test(gts, removetick) { expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 100 NaN NaN NaN 9 ADDVALUE DUP 100 REMOVETICK SWAP [ 300 200 ] REMOVETICK", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1],[100,9]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[300,3],[200,2]]}]"); }
Test(gts, makegts) { expect_stack("[ 1 2 3 ] [ 48.85 ] [ 2.35 ] [ ] [ 'a' 'b' ] MAKEGTS", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,48.8499999884516,2.3499999940395355,\"a\"],[2,\"b\"],[3,\"b\"]]}]"); }
Test(gts, makegts_ticks_continue) { expect_stack("[ 10 ] [] [] [ 5 6 ] [ 1 2 3 ] MAKEGTS", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[10,5,1],[11,6,2],[12,3]]}]"); }
Test(gts, rename_suffix) { expect_stack("NEWGTS 'a' RENAME '+b' RENAME '+' RENAME NAME", "[\"ab\"]"); }
Test(gts, rename_list) { expect_stack("NEWGTS NEWGTS 2 ->LIST 'x' RENAME", "[[{\"c\":\"x\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]},{\"c\":\"x\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]]"); }
Test(gts, relabel_rules) { expect_stack("NEWGTS { 'a' '1' 'b' '2' 'c' '3' } RELABEL { 'a' '' 'b' NULL 'd' '4' } RELABEL LABELS", "[{\"c\":\"3\",\"d\":\"4\"}]"); }
Test(gts, relabel_null_key) { expect_stack("NEWGTS { 'a' '1' 'b' '2' } RELABEL { NULL NULL 'z' '9' } RELABEL LABELS", "[{\"z\":\"9\"}]"); }
Test(gts, setattributes) { expect_stack("NEWGTS { 'x' 'y' } SETATTRIBUTES { 'u' 'C' } SETATTRIBUTES DUP ATTRIBUTES SWAP LABELS", "[{},{\"x\":\"y\",\"u\":\"C\"}]"); }
Test(gts, labels_copy) { expect_stack("NEWGTS { 'a' '1' } RELABEL DUP LABELS 'b' '2' PUT DROP LABELS", "[{\"a\":\"1\"}]"); }
Test(gts, name_lastactivity) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE DUP NAME SWAP LASTACTIVITY", "[0,\"temp\"]"); }
Test(gts, values_ticklist_ticks) { expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 100 NaN NaN NaN 9 ADDVALUE DUP VALUES SWAP DUP TICKLIST SWAP TICKS", "[[100,200,300],[300,100,200,100],[3,1,2,9]]"); }
Test(gts, ticks_list_union) { expect_stack("NEWGTS 3 NaN NaN NaN 1 ADDVALUE NEWGTS 1 NaN NaN NaN 1 ADDVALUE 3 NaN NaN NaN 1 ADDVALUE 2 ->LIST TICKS", "[[1,3]]"); }
Test(gts, locations_elevations) { expect_stack("NEWGTS 1 48.85 2.35 10 1 ADDVALUE 2 NaN NaN NaN 2 ADDVALUE DUP LOCATIONS ROT ELEVATIONS", "[[10,NaN],[2.3499999940395355,NaN],[48.8499999884516,NaN]]"); }
Test(gts, firsttick_lasttick) { expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 100 NaN NaN NaN 9 ADDVALUE DUP FIRSTTICK SWAP LASTTICK", "[300,100]"); }
Test(gts, firsttick_empty) { expect_stack("NEWGTS DUP FIRSTTICK SWAP LASTTICK", "[-9223372036854775808,9223372036854775807]"); }
Test(gts, firsttick_list) { expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 100 NaN NaN NaN 9 ADDVALUE NEWGTS 50 NaN NaN NaN 1 ADDVALUE 2 ->LIST DUP FIRSTTICK SWAP LASTTICK", "[300,50]"); }
Test(gts, attick) { expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 100 NaN NaN NaN 9 ADDVALUE DUP 200 ATTICK SWAP 250 ATTICK", "[[NaN,NaN,NaN,NaN,null],[200,NaN,NaN,NaN,2]]"); }
Test(gts, atindex) { expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 100 NaN NaN NaN 9 ADDVALUE DUP 0 ATINDEX SWAP DUP -1 ATINDEX SWAP 4 ATINDEX", "[[NaN,NaN,NaN,NaN,null],[100,NaN,NaN,NaN,9],[300,NaN,NaN,NaN,3]]"); }
Test(gts, atindex_loc) { expect_stack("NEWGTS 5 10.0 20.0 3 'v' ADDVALUE 0 ATINDEX", "[[5,9.999999990686774,19.99999998137355,3,\"v\"]]"); }
Test(gts, cloneempty) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE { 'u' 'C' } SETATTRIBUTES CLONEEMPTY", "[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{\"u\":\"C\"},\"la\":0,\"v\":[]}]"); }
Test(gts, clone_independent) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE CLONE 400 NaN NaN NaN 4 ADDVALUE SIZE SWAP SIZE", "[3,4]"); }
Test(gts, size) { expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 100 NaN NaN NaN 9 ADDVALUE SIZE", "[4]"); }
Test(gts, sort_rsort) { expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 100 NaN NaN NaN 9 ADDVALUE SORT DUP CLONE RSORT", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[300,3],[200,2],[100,9],[100,1]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1],[100,9],[200,2],[300,3]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1],[100,9],[200,2],[300,3]]}]"); }
Test(gts, sort_stable_dups) { expect_stack("NEWGTS 2 NaN NaN NaN 'a' ADDVALUE 1 NaN NaN NaN 'b' ADDVALUE 2 NaN NaN NaN 'c' ADDVALUE 1 NaN NaN NaN 'd' ADDVALUE SORT", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,\"b\"],[1,\"d\"],[2,\"a\"],[2,\"c\"]]}]"); }
Test(gts, valuesort) { expect_stack("NEWGTS 1 NaN NaN NaN 3 ADDVALUE 2 NaN NaN NaN 1 ADDVALUE 3 NaN NaN NaN 2 ADDVALUE 0 NaN NaN NaN 1 ADDVALUE DUP VALUESORT CLONE RVALUESORT", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,3],[3,2],[2,1],[0,1]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[0,1],[2,1],[3,2],[1,3]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[0,1],[2,1],[3,2],[1,3]]}]"); }
Test(gts, valuesort_strings) { expect_stack("NEWGTS 1 NaN NaN NaN 'b' ADDVALUE 2 NaN NaN NaN 'a' ADDVALUE 3 NaN NaN NaN 'c' ADDVALUE VALUESORT", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,\"a\"],[1,\"b\"],[3,\"c\"]]}]"); }
Test(gts, dedup) { expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 100 NaN NaN NaN 9 ADDVALUE DEDUP", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[300,3],[200,2],[100,9]]}]"); }
Test(gts, valuededup) { expect_stack("NEWGTS 1 NaN NaN NaN 5 ADDVALUE 2 NaN NaN NaN 3 ADDVALUE 3 NaN NaN NaN 5 ADDVALUE 4 NaN NaN NaN 3 ADDVALUE DUP true VALUEDEDUP SWAP false VALUEDEDUP", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[4,3],[3,5]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,3],[1,5]]}]"); }
Test(gts, timeclip) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE 300 150 TIMECLIP", "[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[200,2],[300,3]]}]"); }
Test(gts, tickindex)
{
    /* storage order, duplicates kept, the input untouched */
    expect_stack("NEWGTS 'a' RENAME 100 NaN NaN NaN 10 ADDVALUE 200 NaN NaN NaN 9 ADDVALUE 100 NaN NaN NaN 8 ADDVALUE DUP TICKINDEX",
                 "[{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[0,10],[1,9],[2,8]]},{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,10],[200,9],[100,8]]}]");
    /* bucketized input: the result is not */
    expect_stack("NEWGTS 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE [ SWAP bucketizer.last 200 100 0 ] BUCKETIZE TICKINDEX 0 GET DUP BUCKETSPAN",
                 "[0,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[0,2],[1,1]]}]");
    expect_error("42 TICKINDEX", "TICKINDEX expects a GTS or a LIST of GTS at depth 1, got LONG.", "[42]");
}
Test(gts, timeclip_keeps_order) { expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 100 NaN NaN NaN 9 ADDVALUE 250 200 TIMECLIP", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1],[200,2],[100,9]]}]"); }
Test(gts, timeclip_iso8601)
{
    /* an ISO-8601 start on top: [start, end], microseconds kept */
    expect_stack("NEWGTS 11000 NaN NaN NaN 1 ADDVALUE 12000 NaN NaN NaN 2 ADDVALUE 12501 NaN NaN NaN 3 ADDVALUE 10999 NaN NaN NaN 4 ADDVALUE "
                 "'1970-01-01T00:00:00.0125Z' '1970-01-01T00:00:00.011Z' TIMECLIP",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[11000,1],[12000,2]]}]");
    /* an ISO-8601 end under a duration */
    expect_stack("NEWGTS 11000 NaN NaN NaN 1 ADDVALUE 12000 NaN NaN NaN 2 ADDVALUE '1970-01-01T00:00:00.012Z' 1000 TIMECLIP",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[12000,2]]}]");
    expect_error("NEWGTS 'x' 1000 TIMECLIP", "TIMECLIP can only parse an ISO8601 timestamp", "[1000,\"x\",{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]");
}
Test(gts, clip) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE [ [ 100 200 ] [ 300 250 ] [ 0 50 ] ] CLIP", "[[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[100,1],[200,2]]},{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[300,3]]},{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[]}]]"); }
Test(gts, merge) { expect_stack("NEWGTS 'm' RENAME { 'k' '1' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE NEWGTS 'n' RENAME 200 NaN NaN NaN 2.5 ADDVALUE 2 ->LIST MERGE", "[{\"c\":\"m\",\"l\":{\"k\":\"1\"},\"a\":{},\"la\":0,\"v\":[[100,1],[300,3],[200,2]]}]"); }
Test(gts, merge_empty) { expect_stack("[] MERGE", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, timesplit) { expect_stack("NEWGTS 'c' RENAME 1 NaN NaN NaN 1 ADDVALUE 10 NaN NaN NaN 2 ADDVALUE 11 NaN NaN NaN 3 ADDVALUE 30 NaN NaN NaN 4 ADDVALUE 5 2 'seq' TIMESPLIT", "[[{\"c\":\"c\",\"l\":{\"seq\":\"1\"},\"a\":{},\"la\":0,\"v\":[[10,2],[11,3]]}]]"); }
Test(gts, timeshift) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE -100 TIMESHIFT", "[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[0,1],[100,2],[200,3]]}]"); }
Test(gts, timescale) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE 0.5 TIMESCALE", "[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[50,1],[100,2],[150,3]]}]"); }
Test(gts, timemodulo) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE 200 'q' TIMEMODULO SIZE", "[2]"); }
Test(gts, crop) { expect_stack("NEWGTS 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE [ SWAP NULL 500 100 6 ] BUCKETIZE 0 GET CROP DUP LASTBUCKET SWAP BUCKETCOUNT", "[2,200]"); }
Test(gts, shrink) { expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 100 NaN NaN NaN 9 ADDVALUE SORT DUP 2 SHRINK DROP DUP CLONE -1 SHRINK", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1],[100,9]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1],[100,9]]}]"); }
Test(gts, compact)
{
    expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 1 ADDVALUE 3 NaN NaN NaN 1 ADDVALUE 4 NaN NaN NaN 2 ADDVALUE 5 NaN NaN NaN 2 ADDVALUE COMPACT", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1],[4,2],[5,2]]}]");
    /* Double.equals: NaN runs collapse, -0.0 differs from 0.0; a location change breaks a run */
    expect_stack("NEWGTS 1 NaN NaN NaN NaN ADDVALUE 2 NaN NaN NaN NaN ADDVALUE 3 NaN NaN NaN 0.0 ADDVALUE 4 NaN NaN NaN -0.0 ADDVALUE "
                 "5 NaN NaN NaN -0.0 ADDVALUE 6 0.0 0.0 NaN -0.0 ADDVALUE 7 NaN NaN NaN 1.0 ADDVALUE COMPACT",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,NaN],[3,0.0],[4,-0.0],[6,0.0,0.0,-0.0],[7,1.0]]}]");
    expect_stack("NEWGTS 1 NaN NaN NaN 5 ADDVALUE 2 NaN NaN NaN 5 ADDVALUE COMPACT", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,5],[2,5]]}]");
}
Test(gts, onlybuckets) { expect_stack("NEWGTS 100 NaN NaN NaN 1 ADDVALUE 150 NaN NaN NaN 2 ADDVALUE 200 NaN NaN NaN 3 ADDVALUE [ SWAP NULL 200 100 2 ] BUCKETIZE 0 GET ONLYBUCKETS", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1],[200,3]]}]"); }
Test(gts, fillticks) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE [ NaN NaN NaN 0 [ 100 150 250 ] ] FILLTICKS", "[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[100,1],[200,2],[300,3],[150,0],[250,0]]}]"); }
Test(gts, commonticks) { expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 2 ADDVALUE 3 NaN NaN NaN 3 ADDVALUE NEWGTS 2 NaN NaN NaN 20 ADDVALUE 3 NaN NaN NaN 30 ADDVALUE 4 NaN NaN NaN 40 ADDVALUE 2 ->LIST COMMONTICKS", "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,2],[3,3]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,20],[3,30]]}]]"); }
Test(gts, lastsort) { expect_stack("NEWGTS 'a' RENAME 1 NaN NaN NaN 5 ADDVALUE NEWGTS 'b' RENAME NEWGTS 'c' RENAME 1 NaN NaN NaN 2 ADDVALUE 3 ->LIST LASTSORT <% NAME %> F LMAP", "[[\"c\",\"a\",\"b\"]]"); }
Test(gts, metasort) { expect_stack("NEWGTS 'b' RENAME NEWGTS 'a' RENAME { 'x' '2' } RELABEL NEWGTS 'a' RENAME { 'x' '1' } RELABEL 3 ->LIST [] METASORT <% LABELS %> F LMAP", "[[{\"x\":\"1\"},{\"x\":\"2\"},{}]]"); }
Test(gts, unbucketize) { expect_stack("NEWGTS 100 NaN NaN NaN 1 ADDVALUE [ SWAP NULL 200 100 2 ] BUCKETIZE 0 GET DUP BUCKETSPAN SWAP UNBUCKETIZE BUCKETSPAN", "[0,100]"); }
Test(gts, bucket_words_plain) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE DUP BUCKETSPAN SWAP DUP BUCKETCOUNT SWAP LASTBUCKET", "[0,0,0]"); }
Test(gts, atbucket) { expect_stack("NEWGTS 300 NaN NaN NaN 3 ADDVALUE 100 NaN NaN NaN 1 ADDVALUE [ SWAP NULL 300 100 3 ] BUCKETIZE 0 GET DUP 0 ATBUCKET SWAP 1 ATBUCKET", "[[NaN,NaN,NaN,NaN,null],[100,NaN,NaN,NaN,1]]"); }
Test(gts, nonempty_empty) { expect_stack("NEWGTS 'a' RENAME NEWGTS 'b' RENAME 1 NaN NaN NaN 1 ADDVALUE 2 ->LIST DUP NONEMPTY SWAP EMPTY", "[[{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}],[{\"c\":\"b\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1]]}]]"); }
Test(gts, foreach) { expect_stack("NEWGTS 100 1.0 2.0 3 'x' ADDVALUE 200 NaN NaN NaN 'y' ADDVALUE <% %> FOREACH", "[[200,NaN,NaN,NaN,\"y\"],[100,0.9999999823048711,1.9999999646097422,3,\"x\"]]"); }
Test(gts, json_nan_double) { expect_stack("NEWGTS 1 NaN NaN NaN NaN ADDVALUE 2 NaN NaN NaN Infinity ADDVALUE", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,NaN],[2,Infinity]]}]"); }
Test(gts, normalize) { expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 3 ADDVALUE 3 NaN NaN NaN 5 ADDVALUE DUP NORMALIZE SWAP DUP ISONORMALIZE SWAP STANDARDIZE", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,-1.0],[2,0.0],[3,1.0]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,-0.5],[2,0.0],[3,0.5]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,0.0],[2,0.5],[3,1.0]]}]"); }
Test(gts, normalize_string_copy) { expect_stack("NEWGTS 1 NaN NaN NaN 'a' ADDVALUE NORMALIZE", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,\"a\"]]}]"); }
Test(gts, bbox)
{
    expect_stack("NEWGTS 0 48.0 -4.5 NaN 0 ADDVALUE 1 48.2 -4.4 NaN 1 ADDVALUE 2 NaN NaN NaN 3 ADDVALUE BBOX",
                 "[[47.99999998882413,-4.500000067055225,48.19999999366701,-4.400000022724271]]");
    /* never located: the whole world; a list gives a list of boxes */
    expect_stack("[ NEWGTS NEWGTS 1 NaN NaN NaN 1 ADDVALUE ] BBOX", "[[[-90.0,-180.0,90.0,180.0],[-90.0,-180.0,90.0,180.0]]]");
    expect_error("'x' BBOX", "BBOX expects a GTS or a LIST of GTS at depth 1, got STRING.", "[\"x\"]");
}
Test(gts, musigma) { expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 2 ADDVALUE 3 NaN NaN NaN 2 ADDVALUE DUP true MUSIGMA ROT false MUSIGMA", "[0.469041575982343,1.7,0.5744562646538028,1.7]"); }
Test(gts, musigma_double) { expect_stack("NEWGTS 1 NaN NaN NaN 1.5 ADDVALUE 2 NaN NaN NaN 2.5 ADDVALUE false MUSIGMA", "[0.5,2.0]"); }
Test(gts, integrate) { expect_stack("NEWGTS 0 NaN NaN NaN 1 ADDVALUE 1000000 NaN NaN NaN 2 ADDVALUE 3000000 NaN NaN NaN 0 ADDVALUE 10 INTEGRATE", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[0,10.0],[1000000,11.0],[3000000,15.0]]}]"); }
Test(gts, lr) { expect_stack("NEWGTS 0 NaN NaN NaN 1 ADDVALUE 1 NaN NaN NaN 3 ADDVALUE 2 NaN NaN NaN 5 ADDVALUE LR", "[2.0,1.0]"); }
Test(gts, resets)
{
    /* false: an increasing counter, a lower value is a reset */
    expect_stack("NEWGTS 1 NaN NaN NaN 5 ADDVALUE 2 NaN NaN NaN 8 ADDVALUE 3 NaN NaN NaN 2 ADDVALUE 4 NaN NaN NaN 4 ADDVALUE false RESETS", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,5],[2,8],[3,10],[4,12]]}]");
    /* true: a decreasing counter, a higher value is a reset */
    expect_stack("NEWGTS 1 NaN NaN NaN 5 ADDVALUE 2 NaN NaN NaN 8 ADDVALUE 3 NaN NaN NaN 2 ADDVALUE 4 NaN NaN NaN 4 ADDVALUE true RESETS", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,5],[2,13],[3,7],[4,11]]}]");
    expect_stack("NEWGTS 2 NaN NaN NaN 9.5 ADDVALUE 1 NaN NaN NaN 10.0 ADDVALUE 3 NaN NaN NaN 1.5 ADDVALUE [ SWAP ] false RESETS", "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,10.0],[2,19.5],[3,21.0]]}]]");
    /* not numeric: an unsorted copy, no error */
    expect_stack("NEWGTS 2 NaN NaN NaN 'b' ADDVALUE 1 NaN NaN NaN 'a' ADDVALUE false RESETS", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,\"b\"],[1,\"a\"]]}]");
}
Test(gts, valuehistogram) { expect_stack("NEWGTS 1 NaN NaN NaN 'a' ADDVALUE 2 NaN NaN NaN 'b' ADDVALUE 3 NaN NaN NaN 'a' ADDVALUE VALUEHISTOGRAM", "[{\"a\":2,\"b\":1}]"); }
Test(gts, partition) { expect_stack("NEWGTS { 'a' '1' 'b' 'x' } RELABEL NEWGTS { 'a' '1' 'b' 'y' } RELABEL NEWGTS { 'a' '2' } RELABEL 3 ->LIST [ 'a' ] PARTITION SIZE", "[2]"); }
Test(gts, ops_plus_const) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE 10 +", "[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[100,11],[200,12],[300,13]]}]"); }
Test(gts, ops_const_minus_gts) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE 10 SWAP -", "[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[100,9],[200,8],[300,7]]}]"); }
Test(gts, ops_times_double) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE 2.5 *", "[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[100,2.5],[200,5.0],[300,7.5]]}]"); }
Test(gts, ops_div_long) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE 2 /", "[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[100,0],[200,1],[300,1]]}]"); }
Test(gts, ops_gts_gts) { expect_stack("NEWGTS 'a' RENAME { 'k' 'v' } RELABEL 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 2 ADDVALUE 3 NaN NaN NaN 3 ADDVALUE NEWGTS 'b' RENAME 3 NaN NaN NaN 30 ADDVALUE 2 NaN NaN NaN 20.5 ADDVALUE 4 NaN NaN NaN 40 ADDVALUE +", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,22],[3,33]]}]"); }
Test(gts, ops_compare_filter) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE DUP 2 > SWAP DUP 2 SWAP >= SWAP 2 ==", "[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[200,2]]},{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[100,1],[200,2]]},{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[300,3]]}]"); }
Test(gts, ops_compare_gts_gts) { expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 5 ADDVALUE NEWGTS 1 NaN NaN NaN 2 ADDVALUE 2 NaN NaN NaN 2 ADDVALUE <", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1]]}]"); }
Test(gts, ops_unary) { expect_stack("NEWGTS 1 NaN NaN NaN -1.5 ADDVALUE 2 NaN NaN NaN 2.5 ADDVALUE DUP ABS SWAP DUP ROUND SWAP FLOOR", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,-2.0],[2,2.0]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,-1],[2,3]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.5],[2,2.5]]}]"); }
Test(gts, ops_not_and) { expect_stack("NEWGTS 1 NaN NaN NaN T ADDVALUE 2 NaN NaN NaN F ADDVALUE DUP ! SWAP F &&", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,false],[2,false]]},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,false],[2,true]]}]"); }
Test(gts, ops_string_concat) { expect_stack("NEWGTS 1 NaN NaN NaN 'a' ADDVALUE 'b' +", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,\"ab\"]]}]"); }
Test(gts, ops_minmax) { expect_stack("NEWGTS 'temp' RENAME { 'room' 'a' } RELABEL 100 NaN NaN NaN 1 ADDVALUE 200 NaN NaN NaN 2 ADDVALUE 300 NaN NaN NaN 3 ADDVALUE DUP MAX SWAP MIN", "[1,3]"); }
Test(gts, parse_basic) { expect_stack("<'\n100// temp{room=a} 1\n200// temp{room=a} 2\n=300// 3\n'>\nPARSE", "[[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[100,1],[200,2],[300,3]]}]]"); }
Test(gts, tostring_roundtrip_snapshot) { expect_stack("NEWGTS 'a b' RENAME { 'k' 'v' } RELABEL 1 1.0 2.0 3 'x y' ADDVALUE 2 NaN NaN NaN 'z' ADDVALUE ->JSON", "[\"{\\\"c\\\":\\\"a b\\\",\\\"l\\\":{\\\"k\\\":\\\"v\\\"},\\\"a\\\":{},\\\"la\\\":0,\\\"v\\\":[[1,0.9999999823048711,1.9999999646097422,3,\\\"x y\\\"],[2,\\\"z\\\"]]}\"]"); }
Test(gts, tostring_format) { expect_stack("NEWGTS 'a b' RENAME { 'k' 'v=1' } RELABEL 1 1.0 2.0 3 'x y' ADDVALUE 2 NaN NaN NaN 'z' ADDVALUE TOSTRING", "[\"1/0.9999999823048711:1.9999999646097422/3 a%20b{k=v%3D1} 'x%20y'\\n=2// 'z'\"]"); }
Test(gts, tostring_parse_roundtrip) { expect_stack("NEWGTS 'c' RENAME 1 NaN NaN NaN 1.5 ADDVALUE 2 NaN NaN 7 NaN ADDVALUE 3 NaN NaN NaN T ADDVALUE TOSTRING PARSE", "[[{\"c\":\"c\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.5],[2,7,NaN],[3,1.0]]}]]"); }
Test(gts, tostring_empty) { expect_stack("NEWGTS TOSTRING", "[\"\"]"); }
Test(gts, append_merge) { expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE DUP NEWGTS 2 NaN NaN NaN 2 ADDVALUE APPEND DROP", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1],[2,2]]}]"); }
Test(gts, append_type_mismatch_noop) { expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE NEWGTS 2 NaN NaN NaN 'x' ADDVALUE APPEND", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1]]}]"); }
Test(gts, clone_list_hook_size) { expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE CLONE SIZE", "[1,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1]]}]"); }
Test(gts, err_addvalue_not_gts) { expect_error("1 2 NaN NaN NaN 3 ADDVALUE", "ADDVALUE expects a GTS at depth 6, got LONG.", "[3,NaN,NaN,NaN,2,1]"); }
Test(gts, err_addvalue_tick) { expect_error("NEWGTS 'x' NaN NaN NaN 3 ADDVALUE", "ADDVALUE expects a LONG at depth 5, got STRING.", "[3,NaN,NaN,NaN,\"x\",{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_addvalue_lat) { expect_error("NEWGTS 1 'a' NaN NaN 3 ADDVALUE", "ADDVALUE expects a number or NaN latitude at depth 4, got STRING.", "[3,NaN,NaN,\"a\",1,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_addvalue_value) { expect_error("NEWGTS 1 NaN NaN NaN [] ADDVALUE", "ADDVALUE expects a LONG, DOUBLE, BOOLEAN, STRING, BYTES or NULL value at depth 1, got LIST.", "[[],NaN,NaN,NaN,1,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_addvalue_depth) { expect_error("NEWGTS 1 2 ADDVALUE", "Empty stack.", "[2,1,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_addvalue_list_len) { expect_error("NEWGTS [ 1 ] ADDVALUE", "ADDVALUE expects a LIST [tick (lat lon) (elev) value], got 1 elements.", "[[1],{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_rename) { expect_error("NEWGTS 1 RENAME", "RENAME expects a STRING name at depth 1, got LONG.", "[1,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_rename_target) { expect_error("1 'x' RENAME", "RENAME expects a GTS or a LIST of GTS at depth 2, got LONG.", "[\"x\",1]"); }
Test(gts, err_relabel) { expect_error("NEWGTS { 'a' 1 } RELABEL", "RELABEL expects a MAP of STRING keys and values (NULL allowed), got STRING -> LONG.", "[{\"a\":1},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_values) { expect_error("1 VALUES", "VALUES expects a GTS or a LIST of GTS at depth 1, got LONG.", "[1]"); }
Test(gts, err_attick) { expect_error("NEWGTS 1.5 ATTICK", "ATTICK expects a LONG at depth 1, got DOUBLE.", "[1.5,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_atindex) { expect_error("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 3 ATINDEX", "ATINDEX cannot retrieve the value at index 3 since the GTS only contains 1 values.", "[3,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1]]}]"); }
Test(gts, err_atbucket) { expect_error("NEWGTS 0 ATBUCKET", "ATBUCKET expects the GTS to be bucketized.", "[0,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_makegts) { expect_error("[] [] [] [] 1 MAKEGTS", "MAKEGTS expects a LIST of values at depth 1, got LONG.", "[1,[],[],[],[]]"); }
Test(gts, err_makegts_num) { expect_error("[ 'a' ] [] [] [] [ 1 ] MAKEGTS", "MAKEGTS expects numbers in LIST of ticks, got STRING.", "[[1],[],[],[],[\"a\"]]"); }
Test(gts, err_removetick) { expect_error("NEWGTS [ 'a' ] REMOVETICK", "REMOVETICK expects a tick (LONG) or a LIST of ticks, got a LIST holding STRING.", "[[\"a\"],{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_timeclip) { expect_error("NEWGTS 1 true TIMECLIP", "TIMECLIP expects a LONG at depth 1, got BOOLEAN.", "[true,1,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_clip) { expect_error("NEWGTS [ 1 ] CLIP", "CLIP expects a LIST of [from to] pairs of numbers.", "[[1],{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_merge) { expect_error("[ 1 ] MERGE", "MERGE expects a LIST of GTS (or of LISTs of GTS), got LONG in the LIST.", "[[1]]"); }
Test(gts, err_shrink) { expect_error("NEWGTS 'a' SHRINK", "SHRINK expects a LONG at depth 1, got STRING.", "[\"a\",{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_valuededup) { expect_error("NEWGTS 1 VALUEDEDUP", "VALUEDEDUP expects a BOOLEAN at depth 1, got LONG.", "[1,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_musigma_empty) { expect_error("NEWGTS true MUSIGMA", "MUSIGMA can only compute mu and sigma for non empty series.", "[true,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_musigma_type) { expect_error("NEWGTS 1 NaN NaN NaN 'a' ADDVALUE true MUSIGMA", "MUSIGMA can only compute mu and sigma for numerical series.", "[true,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,\"a\"]]}]"); }
Test(gts, err_lr) { expect_error("NEWGTS 1 NaN NaN NaN 1 ADDVALUE LR", "LR needs at least two values.", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1]]}]"); }
Test(gts, err_timemodulo) { expect_error("NEWGTS 0 'q' TIMEMODULO", "TIMEMODULO expects a positive modulo.", "[\"q\",0,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_fillticks) { expect_error("NEWGTS [ 1 ] FILLTICKS", "FILLTICKS expects a LIST [lat lon elev value [ticks]].", "[[1],{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}]"); }
Test(gts, err_metasort) { expect_error("[ 1 ] [] METASORT", "METASORT expects a LIST of GTS at depth 2, got LIST.", "[[],[1]]"); }
Test(gts, err_partition) { expect_error("[] 'a' PARTITION", "PARTITION expects a LIST of label names or NULL at depth 1, got STRING.", "[\"a\",[]]"); }
Test(gts, err_ops_div_zero) { expect_error("NEWGTS 1 NaN NaN NaN 1 ADDVALUE 0 /", "/ by zero", "[0,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1]]}]"); }
Test(gts, err_ops_type) { expect_error("NEWGTS 1 NaN NaN NaN 1 ADDVALUE [] +", "+ expects a number, STRING, BOOLEAN or GTS with a GTS at depth 1, got LIST.", "[[],{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1]]}]"); }
Test(gts, err_ops_string_abs) { expect_error("NEWGTS 1 NaN NaN NaN 'a' ADDVALUE ABS", "ABS expects", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,\"a\"]]}]"); }
Test(gts, err_nonempty) { expect_error("1 NONEMPTY", "NONEMPTY expects a LIST of GTS at depth 1, got LONG.", "[1]"); }
Test(gts, err_parse_type) { expect_error("1 PARSE", "PARSE expects a STRING at depth 1, got LONG.", "[1]"); }
