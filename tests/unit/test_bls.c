/* BLS and RUNNINGMEDIAN: transit search on synthetic light curves with known
 * injected planets (gaps, two planets, several segments, null controls
 * that must report nothing), the result's shape, every parameter error
 * (message, stack unchanged), allocation failures, and the two examples on
 * the shipped Kepler-11 light curve. */
#include "harness.h"
#include "oom.h"
#include "vm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

/* A synthetic light curve: 30-minute cadence, gaussian-like noise of 1000
 * ppm around 1.0 (sum of three uniforms), a 5-day gap from day 40, and box
 * transits [period epoch duration depth] from the injection list.
 * Usage: seed npoints [[P E D depth]..] @syn -> gts */
static const char *SYN =
    "<% 'syn.inj' STORE 'syn.n' STORE PRNG NEWGTS 'kepler.synthetic' RENAME 'syn.g' STORE "
    "  0 $syn.n 1 - <% 30 m * 'syn.t' STORE "
    "    <% $syn.t 40 d < $syn.t 45 d >= || %> <% "
    "      SRAND SRAND + SRAND + 1.5 - 0.002 * 1.0 + 'syn.v' STORE "
    "      $syn.inj <% 'syn.p' STORE "
    "        $syn.t $syn.p 1 GET - $syn.p 0 GET % 'syn.ph' STORE "
    "        <% $syn.ph 0 < %> <% $syn.ph $syn.p 0 GET + 'syn.ph' STORE %> IFT "
    "        <% $syn.ph $syn.p 0 GET 2 / > %> <% $syn.ph $syn.p 0 GET - 'syn.ph' STORE %> IFT "
    "        <% $syn.ph ABS $syn.p 2 GET 2 / < %> <% $syn.v $syn.p 3 GET - 'syn.v' STORE %> IFT "
    "      %> FOREACH "
    "      $syn.g $syn.t NaN NaN NaN $syn.v ADDVALUE DROP "
    "    %> IFT "
    "  %> FOR $syn.g %> 'syn' STORE ";

static exo_vm *run(const char *script)
{
    exo_vm *vm = h_vm();
    char *src = malloc(strlen(SYN) + strlen(script) + 1);
    strcpy(src, SYN);
    strcat(src, script);
    exo_status st = exo_eval(vm, src, strlen(src), "test");
    cr_assert_eq(st, EXO_OK, "%s: %s", script, exo_last_error(vm)->message);
    free(src);
    return vm;
}

/* The number at the top of the stack. */
static double top_number(exo_vm *vm)
{
    const char *s = exo_value_text(vm, 0, 0);
    cr_assert_not_null(s);
    return strtod(s, NULL);
}

static double eval_number(exo_vm *vm, const char *src)
{
    cr_assert_eq(exo_eval(vm, src, strlen(src), "test"), EXO_OK, "%s: %s", src, exo_last_error(vm)->message);
    double d = top_number(vm);
    exo_drop(vm, 1);
    return d;
}

#define DAY 86400e6

/* ---- detections ---- */

Test(bls, single_planet_across_a_gap)
{
    exo_vm *vm = run("42 4800 [ [ 7.3 d 1.1 d 3 h 0.002 ] ] @syn { 'count' 3 } BLS 'r' STORE");
    cr_assert_eq(eval_number(vm, "$r 'planets' GET SIZE"), 1, "exactly one planet");
    double p = eval_number(vm, "$r 'planets' GET 0 GET 'period' GET");
    cr_assert(fabs(p / (7.3 * DAY) - 1) < 1e-3, "period %.0f", p);
    double e = eval_number(vm, "$r 'planets' GET 0 GET 'epoch' GET");
    cr_assert(fabs(e - 1.1 * DAY) < 3600e6, "epoch %.0f", e);
    double d = eval_number(vm, "$r 'planets' GET 0 GET 'duration' GET");
    cr_assert(fabs(d - 3 * 3600e6) <= 3600e6, "duration %.0f", d);
    double depth = eval_number(vm, "$r 'planets' GET 0 GET 'depth' GET");
    cr_assert(fabs(depth - 0.002) < 0.0006, "depth %g", depth);
    cr_assert_geq(eval_number(vm, "$r 'planets' GET 0 GET 'snr' GET"), 10);
    cr_assert_geq(eval_number(vm, "$r 'planets' GET 0 GET 'transits' GET"), 11);
    cr_assert_lt(eval_number(vm, "$r 'planets' GET 0 GET 'share' GET"), 0.5);
    exo_vm_free(vm);
}

Test(bls, two_planets_iteratively)
{
    exo_vm *vm = run("7 7200 [ [ 5.5 d 0.7 d 3 h 0.0025 ] [ 13.1 d 4.2 d 5 h 0.0015 ] ] @syn "
                     "{ 'count' 5 'minperiod' 2 d } BLS 'planets' GET 'p' STORE");
    cr_assert_eq(eval_number(vm, "$p SIZE"), 2);
    double p1 = eval_number(vm, "$p 0 GET 'period' GET"), p2 = eval_number(vm, "$p 1 GET 'period' GET");
    cr_assert(fabs(p1 / (5.5 * DAY) - 1) < 1e-3, "first %.0f", p1);
    cr_assert(fabs(p2 / (13.1 * DAY) - 1) < 1e-3, "second %.0f", p2);
    exo_vm_free(vm);
}

Test(bls, eclipsing_binary_period_doubled)
{
    /* primary 1 %, secondary 0.4 % half a period later: one detection at the
     * binary's period, flagged, both eclipses masked (nothing else found) */
    exo_vm *vm = run("42 4800 [ [ 4 d 1 d 5 h 0.01 ] [ 4 d 3 d 5 h 0.004 ] ] @syn { 'count' 3 } BLS 'planets' GET "
                     "'p' STORE");
    cr_assert_eq(eval_number(vm, "$p SIZE"), 1);
    double p = eval_number(vm, "$p 0 GET 'period' GET");
    cr_assert(fabs(p / (4 * DAY) - 1) < 1e-3, "period %.0f", p);
    cr_assert(fabs(eval_number(vm, "$p 0 GET 'epoch' GET") - DAY) < 3600e6);
    cr_assert(fabs(eval_number(vm, "$p 0 GET 'secondary' GET") - 0.004) < 0.001);
    cr_assert(fabs(eval_number(vm, "$p 0 GET 'depth' GET") - 0.01) < 0.001);
    cr_assert_eq(eval_number(vm, "$p 0 GET 'binary' GET <% 1 %> <% 0 %> IFTE"), 1);
    /* a planet is not a binary: no secondary, same odd and even depths */
    exo_vm_free(vm);
    vm = run("42 4800 [ [ 4 d 1 d 5 h 0.01 ] ] @syn { 'count' 3 } BLS 'planets' GET 0 GET 'p' STORE");
    cr_assert_eq(eval_number(vm, "$p 'binary' GET <% 1 %> <% 0 %> IFTE"), 0);
    cr_assert_lt(eval_number(vm, "$p 'oddeven' GET"), 3);
    cr_assert_lt(eval_number(vm, "$p 'secondary' GET ABS $p 'secondary.error' GET /"), 3);
    exo_vm_free(vm);
}

Test(bls, null_controls_find_nothing)
{
    for (int seed = 1; seed <= 3; seed++) {
        char src[256];
        snprintf(src, sizeof src, "%d 4800 [] @syn { 'count' 3 } BLS 'r' STORE", seed);
        exo_vm *vm = run(src);
        cr_assert_eq(eval_number(vm, "$r 'planets' GET SIZE"), 0, "seed %d", seed);
        /* the spectrum's best noise peak stays well under the threshold */
        cr_assert_lt(eval_number(vm, "$r 'spectrum' GET VALUES LSORT -1 GET"), 7, "seed %d", seed);
        exo_vm_free(vm);
    }
}

Test(bls, segments_list_and_weights)
{
    /* TIMESPLIT segments (a LIST), uniform weights, weights as GTS: same planet */
    exo_vm *vm = run("42 4800 [ [ 7.3 d 1.1 d 3 h 0.002 ] ] @syn 'g' STORE "
                     "$g 12 h 10 'seg' TIMESPLIT 'segs' STORE");
    cr_assert_eq(eval_number(vm, "$segs SIZE"), 2);
    const char *forms[] = {
        "$segs { 'count' 1 } BLS",
        "$g { 'count' 1 'weights' 'uniform' } BLS",
        "$g { 'count' 1 'weights' $g 0.0 * 1e6 + } BLS",
        "$segs { 'count' 1 'weights' $segs <% DROP 0.0 * 4e6 + %> LMAP } BLS",
        "$g { 'count' 1 'exact' true } BLS",
        "$g RSORT { 'count' 1 } BLS", /* any order */
    };
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        char src[256];
        snprintf(src, sizeof src, "%s 'planets' GET 0 GET 'period' GET", forms[i]);
        double p = eval_number(vm, src);
        cr_assert(fabs(p / (7.3 * DAY) - 1) < 1e-3, "%s: period %.0f", forms[i], p);
    }
    exo_vm_free(vm);
}

Test(bls, result_shape_and_spectrum)
{
    exo_vm *vm = run("42 4800 [ [ 7.3 d 1.1 d 3 h 0.002 ] ] @syn { 'count' 1 } BLS 'r' STORE");
    double np = eval_number(vm, "$r 'periods' GET");
    cr_assert_gt(np, 1000);
    cr_assert_eq(eval_number(vm, "$r 'spectrum' GET SIZE"), np);
    cr_assert_eq(eval_number(vm, "$r 'points' GET"), 4512); /* 4800 minus the 5-day gap and two trimmed half days */
    /* periods in the tick axis: 1 day up to half the span (default) */
    cr_assert(fabs(eval_number(vm, "$r 'spectrum' GET FIRSTTICK") - DAY) < 1e6);
    double last = eval_number(vm, "$r 'spectrum' GET LASTTICK");
    cr_assert(last <= 50 * DAY && last > 48 * DAY, "last period %.0f", last);
    /* the spectrum peaks at the planet's period */
    double at = eval_number(vm, "$r 'spectrum' GET DUP VALUES LSORT -1 GET 'm' STORE [ SWAP $m mapper.eq 0 0 0 ] MAP 0 GET "
                                "FIRSTTICK");
    cr_assert(fabs(at / (7.3 * DAY) - 1) < 2e-3, "peak at %.0f", at);
    expect_stack("NEWGTS 'a' RENAME 0 99 <% 'i' STORE $i 1 h * NaN NaN NaN $i 7 % ADDVALUE %> FOR "
                 "{ 'spectrum' false 'minperiod' 10 h 'durations' [ 1 h ] } BLS KEYLIST LSORT",
                 "[[\"periods\",\"planets\",\"points\",\"vetoed\"]]");
    expect_stack("NEWGTS 'a' RENAME { 'x' 'y' } RELABEL 0 99 <% 'i' STORE $i 1 h * NaN NaN NaN $i 7 % ADDVALUE %> FOR "
                 "{ 'minperiod' 10 h 'durations' [ 1 h ] } BLS 'spectrum' GET DUP NAME SWAP LABELS",
                 "[{\"x\":\"y\"},\"bls.snr\"]");
    expect_stack("NEWGTS 'a' RENAME 0 99 <% 'i' STORE $i 1 h * NaN NaN NaN $i 7 % ADDVALUE %> FOR "
                 "{ 'minperiod' 10 h 'durations' [ 1 h ] 'count' 0 } BLS 'planets' GET",
                 "[[]]");
    exo_vm_free(vm);
}

Test(bls, planet_keys)
{
    exo_vm *vm = run("42 4800 [ [ 7.3 d 1.1 d 3 h 0.002 ] ] @syn { 'count' 1 } BLS 'planets' GET 0 GET KEYLIST LSORT "
                     "->JSON");
    cr_assert_str_eq(exo_value_text(vm, 0, 0),
                     "\"[\\\"binary\\\",\\\"depth\\\",\\\"depth.error\\\",\\\"duration\\\",\\\"epoch\\\","
                     "\\\"oddeven\\\",\\\"period\\\",\\\"points\\\",\\\"secondary\\\",\\\"secondary.error\\\","
                     "\\\"share\\\",\\\"snr\\\",\\\"transits\\\"]\"");
    exo_vm_free(vm);
}

/* ---- errors: message and unchanged stack ---- */

#define SMALL "NEWGTS 1 NaN NaN NaN 1.0 ADDVALUE 2 NaN NaN NaN 2.0 ADDVALUE "
#define SMALL_JSON "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.0],[2,2.0]]}"

Test(bls, errors)
{
    expect_error(SMALL "1 BLS", "BLS expects a MAP of parameters at depth 1, got LONG", "[1," SMALL_JSON "]");
    expect_error("1 {} BLS", "BLS expects a GTS or a LIST of GTS at depth 2, got LONG", "[{},1]");
    expect_error("{} BLS", "Empty stack", "[{}]");
    expect_error(SMALL "{ 'foo' 1 } BLS", "BLS: unknown parameter 'foo'", "[{\"foo\":1}," SMALL_JSON "]");
    expect_error(SMALL "{ 'count' -1 } BLS", "BLS: parameter 'count' expects a LONG within 0 and 1000000",
                 "[{\"count\":-1}," SMALL_JSON "]");
    expect_error(SMALL "{ 'minperiod' 'x' } BLS", "BLS: parameter 'minperiod' expects a number, got STRING",
                 "[{\"minperiod\":\"x\"}," SMALL_JSON "]");
    expect_error(SMALL "{ 'durations' 3 } BLS", "BLS: parameter 'durations' expects a LIST of 1 to 64 durations",
                 "[{\"durations\":3}," SMALL_JSON "]");
    expect_error(SMALL "{ 'durations' [ 'a' ] } BLS", "BLS: parameter 'durations' expects numbers",
                 "[{\"durations\":[\"a\"]}," SMALL_JSON "]");
    expect_error(SMALL "{ 'exact' 1 } BLS", "BLS: parameter 'exact' expects a BOOLEAN",
                 "[{\"exact\":1}," SMALL_JSON "]");
    expect_error(SMALL "{ 'spectrum' 'no' } BLS", "BLS: parameter 'spectrum' expects a BOOLEAN",
                 "[{\"spectrum\":\"no\"}," SMALL_JSON "]");
    expect_error(SMALL "{ 'weights' 'foo' } BLS", "BLS: parameter 'weights' expects 'segment', 'uniform'",
                 "[{\"weights\":\"foo\"}," SMALL_JSON "]");
    expect_error(SMALL "{ 'gap' 0 } BLS", "BLS: parameter 'gap' must be positive", "[{\"gap\":0}," SMALL_JSON "]");
    expect_error(SMALL "{ 1 2 } BLS", "BLS: unknown parameter LONG", "[{\"1\":2}," SMALL_JSON "]");
    expect_error("NEWGTS 1 NaN NaN NaN 'x' ADDVALUE {} BLS", "BLS expects numeric GTS, got a STRING one",
                 "[{},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,\"x\"]]}]");
    expect_error(SMALL "{} BLS", "BLS: at least 3 points with a positive weight", "[{}," SMALL_JSON "]");
    expect_error(SMALL "{ 'weights' NEWGTS } BLS", "BLS: each 'weights' GTS must be numeric with the same ticks",
                 "[{\"weights\":{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}}," SMALL_JSON "]");
    expect_error(SMALL "{ 'weights' [ NEWGTS NEWGTS ] } BLS", "BLS: 'weights' must hold one GTS per input GTS",
                 "[{\"weights\":[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]},{\"c\":\"\",\"l\":{},\"a\":{},"
                 "\"la\":0,\"v\":[]}]}," SMALL_JSON "]");
    expect_error(SMALL "{ 'weights' NEWGTS 1 NaN NaN NaN 1 ADDVALUE 3 NaN NaN NaN 1 ADDVALUE } BLS",
                 "BLS: each 'weights' GTS must be numeric with the same ticks",
                 "[{\"weights\":{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1],[3,1]]}}," SMALL_JSON "]");
}

#define HOURLY "NEWGTS 0 99 <% 'i' STORE $i 1 h * NaN NaN NaN $i 7 % ADDVALUE %> FOR 'g' STORE $g "

Test(bls, configuration_errors)
{
    const char *cases[][2] = {
        {"{ 'minperiod' 10 h 'maxperiod' 5 h }", "BLS: the period range must satisfy 0 < minperiod < maxperiod"},
        {"{ 'minperiod' 0 }", "BLS: the period range must satisfy 0 < minperiod < maxperiod"},
        {"{ 'oversampling' 0 }", "BLS: oversampling must be within 0.1 and 100"},
        {"{ 'bins' 0.5 }", "BLS: bins per duration must be within 1 and 100"},
        {"{ 'maxfraction' 0.9 }", "BLS: the longest duration fraction must be within 0 and 0.5"},
        {"{ 'durations' [ 0 ] }", "BLS: durations must be positive and increasing"},
        {"{ 'durations' [ 1 h 1 h ] }", "BLS: durations must be positive and increasing"},
        {"{ 'mask' -1 }", "BLS: invalid mask, veto or threshold parameter"},
        {"{ 'snr' NaN }", "BLS: invalid mask, veto or threshold parameter"},
        {"{ 'oddeven' -1 }", "BLS: invalid mask, veto or threshold parameter"},
        {"{ 'trim' -1 }", "BLS: invalid mask, veto or threshold parameter"},
        {"{ 'durations' [ 1 s ] 'oversampling' 100 }", "trial periods exceed the limit"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char src[512];
        snprintf(src, sizeof src, "%s%s BLS", HOURLY, cases[i][0]);
        exo_vm *vm = h_vm();
        cr_assert_neq(exo_eval(vm, src, strlen(src), "test"), EXO_OK, "%s should fail", cases[i][0]);
        cr_assert(strstr(exo_last_error(vm)->message, cases[i][1]), "%s: %s", cases[i][0],
                  exo_last_error(vm)->message);
        /* unchanged: the parameters over the GTS */
        cr_assert_eq(exo_depth(vm), 2);
        cr_assert_eq(exo_type_at(vm, 0), EXO_T_MAP);
        cr_assert_eq(exo_type_at(vm, 1), EXO_T_GTS);
        exo_vm_free(vm);
    }
}

Test(bls, allocation_failures_are_errors)
{
    const char *src = HOURLY "{ 'minperiod' 10 h 'durations' [ 1 h 2 h ] 'snr' 1.0 } BLS ->JSON";
    oom_sweep(src, OOM_COLD);
}

Test(bls, interrupted_by_maxloop)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    cfg.limits.maxloop = 1; /* ms: the period loop checks it */
    cfg.capabilities = EXO_CAP_ALL;
    exo_vm *vm = exo_vm_new(&cfg);
    const char *src = HOURLY "{ 'minperiod' 1 h 'durations' [ 10 s ] 'oversampling' 20 } BLS";
    cr_assert_neq(exo_eval(vm, src, strlen(src), "t"), EXO_OK);
    cr_assert(strstr(exo_last_error(vm)->message, "BLS executed for too long"), "%s", exo_last_error(vm)->message);
    cr_assert_eq(exo_depth(vm), 2);
    exo_vm_free(vm);
}

/* ---- RUNNINGMEDIAN ---- */

#define RM_IN "NEWGTS 'r' RENAME 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 5 ADDVALUE 3 NaN NaN NaN 2 ADDVALUE " \
              "4 NaN NaN NaN 8 ADDVALUE 5 NaN NaN NaN 3 ADDVALUE "

Test(runningmedian, values)
{
    expect_stack(RM_IN "2 RUNNINGMEDIAN",
                 "[{\"c\":\"r\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,3.0],[2,2.0],[3,5.0],[4,3.0],[5,5.5]]}]");
    /* window 0 or 1: each value itself; a wide window: the whole median */
    expect_stack(RM_IN "0 RUNNINGMEDIAN VALUES", "[[1.0,5.0,2.0,8.0,3.0]]");
    expect_stack(RM_IN "100 RUNNINGMEDIAN VALUES", "[[3.0,3.0,3.0,3.0,3.0]]");
    /* unsorted input: the result is sorted by tick */
    expect_stack(RM_IN "RSORT 2 RUNNINGMEDIAN TICKLIST", "[[1,2,3,4,5]]");
    /* NaN values are left out of the windows */
    expect_stack("NEWGTS 1 NaN NaN NaN 1.0 ADDVALUE 2 NaN NaN NaN NaN ADDVALUE 3 NaN NaN NaN 3.0 ADDVALUE "
                 "2 RUNNINGMEDIAN VALUES",
                 "[[1.0,2.0,3.0]]");
    expect_stack("NEWGTS 1 NaN NaN NaN NaN ADDVALUE 2 RUNNINGMEDIAN VALUES 0 GET ISNaN", "[true]");
    /* a LIST, an empty GTS, locations kept */
    expect_stack("[ " RM_IN " NEWGTS ] 2 RUNNINGMEDIAN <% DROP SIZE %> LMAP", "[[5,0]]");
    expect_stack("NEWGTS 1 48.0 2.0 NaN 4 ADDVALUE 1 RUNNINGMEDIAN",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,47.99999998882413,1.9999999646097422,4.0]]}]");
}

Test(runningmedian, errors)
{
    expect_error(RM_IN "'x' RUNNINGMEDIAN", "RUNNINGMEDIAN expects a non-negative LONG window (time units) at depth 1",
                 "[\"x\",{\"c\":\"r\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1],[2,5],[3,2],[4,8],[5,3]]}]");
    expect_error(RM_IN "-1 RUNNINGMEDIAN", "RUNNINGMEDIAN expects a non-negative LONG window",
                 "[-1,{\"c\":\"r\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1],[2,5],[3,2],[4,8],[5,3]]}]");
    expect_error("1 2 RUNNINGMEDIAN", "RUNNINGMEDIAN expects a GTS or a LIST of GTS at depth 2", "[2,1]");
    expect_error("2 RUNNINGMEDIAN", "Empty stack", "[2]");
    expect_error("NEWGTS 1 NaN NaN NaN 'a' ADDVALUE 2 RUNNINGMEDIAN", "RUNNINGMEDIAN expects numeric GTS",
                 "[2,{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,\"a\"]]}]");
}

/* ---- the examples on the shipped light curve ---- */

static char *slurp_gz(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t cap = 1 << 22, n = 0;
    char *buf = malloc(cap);
    int k;
    while ((k = gzread(f, buf + n, (unsigned)(cap - n - 1))) > 0) {
        n += (size_t)k;
        if (cap - n < 2)
            buf = realloc(buf, cap *= 2);
    }
    gzclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Runs scripts/examples/NAME with the Kepler-11 light curve loaded. */
static exo_vm *run_example(const char *name)
{
    const char *scripts = getenv("EXO_SCRIPTS"); /* <source>/tests/scripts */
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/../../data/kepler-11.gts.gz", scripts ? scripts : "tests/scripts");
    char *data = slurp_gz(path, &len);
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_load_gts_text(vm, data, len, "kepler-11.gts"), EXO_OK, "%s", exo_last_error(vm)->message);
    free(data);
    snprintf(path, sizeof path, "%s/../../scripts/examples/%s", scripts ? scripts : "tests/scripts", name);
    char *src = slurp_gz(path, &len); /* gzread reads plain files too */
    cr_assert_eq(exo_eval(vm, src, len, name), EXO_OK, "%s: %s", name, exo_last_error(vm)->message);
    free(src);
    return vm;
}

/* The table's period column (lines "  N   period  ..."), top of the stack first. */
Test(examples, kepler11_finds_five_planets, .timeout = 240)
{
    static const double known[] = {10.3039, 13.0241, 22.6845, 31.9996, 46.6888, 118.3807};
    bool matched[6] = {false};
    exo_vm *vm = run_example("kepler11.mc2");
    size_t depth = exo_depth(vm), rows = 0, found = 0;
    cr_assert_geq(depth, 2);
    cr_assert(strstr(exo_value_text(vm, 0, 0), "period (d)"), "header first: %s", exo_value_text(vm, 0, 0));
    for (size_t i = 1; i < depth; i++) {
        int n;
        double p;
        cr_assert_eq(sscanf(exo_value_text(vm, i, 0), "\"%d %lf", &n, &p), 2, "%s", exo_value_text(vm, i, 0));
        rows++;
        for (int k = 0; k < 6; k++)
            if (!matched[k] && fabs(p / known[k] - 1) < 1e-3) {
                matched[k] = true;
                found++;
                break;
            }
    }
    cr_assert_geq(found, 5, "%zu of the six planets within 0.1%% (%zu rows)", found, rows);
    cr_assert_leq(rows, found + 1, "at most one spurious row");
    exo_vm_free(vm);
}

Test(examples, hands_on, .timeout = 240)
{
    exo_vm *vm = run_example("hands-on.mc2");
    /* a summary line on top, then ten events, deepest first: "2010-07-22T21:30Z  8.5 h  1631 ppm" */
    cr_assert_eq(exo_depth(vm), 11);
    const char *top = exo_value_text(vm, 0, 0);
    cr_assert(strstr(top, "\"55 records, ") && strstr(top, " dip events; the deepest:"), "%s", top);
    for (size_t i = 1; i < 11; i++) {
        int y, mo, d, hh, mm, ppm;
        double h;
        cr_assert_eq(sscanf(exo_value_text(vm, i, 0), "\"%d-%d-%dT%d:%dZ %lf h %d ppm", &y, &mo, &d, &hh, &mm, &h, &ppm),
                     7, "%s", exo_value_text(vm, i, 0));
        cr_assert(ppm > 500 && h >= 2, "%s", exo_value_text(vm, i, 0));
    }
    exo_vm_free(vm);
}
