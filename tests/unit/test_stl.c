/* Tests for builtins/stl.c. A periodic signal plus a linear trend must be
 * split exactly (each cycle-subseries is constant, a line is its own local
 * linear fit), with or without missing buckets, skipped estimates or the
 * mean instead of LOWESS; then robustness, metadata and every error. */
#include "an_harness.h"

/* 10 sin(2 pi t / 12) + t / 2 on 48 buckets of 1, with or without the
 * buckets t % 7 == 3 */
#define SIG "DUP DUP 2 * PI * 12.0 / SIN 10 * SWAP 0.5 * + NaN NaN NaN 4 ROLL ADDVALUE"
#define FULL "[ NEWGTS 'x' RENAME { 'k' 'v' } RELABEL 1 48 <% " SIG " %> FOR bucketizer.last 48 1 48 ] BUCKETIZE 0 GET "
#define GAPS "[ NEWGTS 1 48 <% DUP 7 % 3 == <% DROP %> <% " SIG " %> IFTE %> FOR bucketizer.last 48 1 48 ] BUCKETIZE 0 GET "
#define SEASONAL " LIST-> DROP DROP VALUES"
#define TREND " LIST-> DROP SWAP DROP VALUES"
#define E "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}"

static double sea[48], tre[48];

static void init(void)
{
    for (int i = 0; i < 48; i++) {
        sea[i] = 10 * sin(2 * 3.14159265358979323846 * (i + 1) / 12.0);
        tre[i] = 0.5 * (i + 1);
    }
}

Test(stl, exact_split, .init = init)
{
    an_expect_close(FULL "{ 'PERIOD' 12 } STL" SEASONAL, sea, 48, 1e-9);
    an_expect_close(FULL "{ 'PERIOD' 12 } STL" TREND, tre, 48, 1e-9);
    an_expect_close(GAPS "{ 'PERIOD' 12 } STL" SEASONAL, sea, 48, 1e-9);
    an_expect_close(GAPS "{ 'PERIOD' 12 } STL" TREND, tre, 48, 1e-9);
    /* estimates every third bucket, the others interpolated */
    an_expect_close(GAPS "{ 'PERIOD' 12 'SPEED' 2 } STL" SEASONAL, sea, 48, 1e-9);
    an_expect_close(GAPS "{ 'PERIOD' 12 'SPEED' 2 'SPEED_T' 0 } STL" TREND, tre, 48, 1e-9);
    /* a negative seasonal bandwidth takes the mean of each cycle-subseries */
    an_expect_close("[ NEWGTS 1 48 <% DUP 2 * PI * 12.0 / SIN 10 * NaN NaN NaN 4 ROLL ADDVALUE %> FOR "
                    "bucketizer.last 48 1 48 ] BUCKETIZE 0 GET { 'PERIOD' 12 'BANDWIDTH_S' -1 } STL" SEASONAL,
                    sea, 48, 1e-9);
    an_expect_close(FULL "{ 'PERIOD' 12 'BANDWIDTH_T' 15 'DEGREE' 2 } STL" TREND, tre, 48, 1e-9);
}

Test(stl, results)
{
    expect_stack(FULL "{ 'PERIOD' 12 } STL LIST-> DROP DUP NAME SWAP LABELS ROT DUP NAME SWAP TICKLIST SIZE",
                 "[48,\"x_seasonal\",{\"k\":\"v\"},\"x_trend\"]");
    expect_stack(GAPS "{ 'PERIOD' 12 } STL LIST-> DROP DUP NAME SWAP BUCKETSPAN ROT NAME", "[\"seasonal\",1,\"trend\"]");
    expect_stack(GAPS "DUP 2 ->LIST { 'PERIOD' 6 'ROBUSTNESS' 2 } STL SIZE", "[2]");
    /* post-smoothing changes the seasonal part, not the trend */
    expect_stack(FULL "'f' STORE $f { 'PERIOD' 12 } STL 'a' STORE $f { 'PERIOD' 12 'BANDWIDTH_P' 5 } STL 'b' STORE "
                      "$a 0 GET VALUES $b 0 GET VALUES == $a 1 GET VALUES $b 1 GET VALUES ==",
                 "[true,false]");
}

/* The largest distance of the trend left by src to the line t / 2. */
static double trend_error(const char *src)
{
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_eval(vm, src, strlen(src), "test"), EXO_OK, "%s", exo_last_error(vm)->message);
    size_t n = 0;
    cr_assert(exo_list_len(vm, 0, &n));
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        double d = 0;
        exo_list_get(vm, 0, i);
        cr_assert(exo_get_double(vm, 0, &d));
        exo_drop(vm, 1);
        d = fabs(d - 0.5 * (double)(i + 1));
        worst = d > worst ? d : worst;
    }
    exo_vm_free(vm);
    return worst;
}

Test(stl, robust)
{
    /* a spike over noise: the robust trend stays much closer to the line */
#define SPIKE(r)                                                                                                       \
    "NEWGTS 'g' STORE 1 120 <% 'i' STORE $g $i NaN NaN NaN $i 2 * PI * 12.0 / SIN 10 * $i 0.5 * + "                   \
    "$i $i * 7919 * 1000 % 500.0 / 1.0 - + $i 50 == <% 100 + %> IFT ADDVALUE DROP %> FOR "                           \
    "[ $g bucketizer.last 120 1 120 ] BUCKETIZE 0 GET { 'PERIOD' 12 'ROBUST' " r " } STL" TREND
    double robust = trend_error(SPIKE("true")), plain = trend_error(SPIKE("false"));
    cr_assert(robust < 3.0 && plain > 7.0, "robust %g, plain %g", robust, plain);
}

Test(stl, parameter_errors)
{
    expect_error("NEWGTS 12 STL", "STL expects a MAP of parameters at depth 1, got LONG.", "[12," E "]");
    expect_error("42 { 'PERIOD' 12 } STL", "STL expects a GTS or a LIST of GTS at depth 2, got LONG.",
                 "[{\"PERIOD\":12},42]");
    expect_error("NEWGTS { 'ROBUST' true } STL", "STL expects map of parameters to at least contains field PERIOD",
                 "[{\"ROBUST\":true}," E "]");
    expect_error("NEWGTS { 'PERIOD' 12 'FOO' 1 } STL", "STL does not expect argument FOO",
                 "[{\"PERIOD\":12,\"FOO\":1}," E "]");
    expect_error("NEWGTS { 'PERIOD' 12 'BANDWIDTH_X' 1 } STL", "STL does not expect argument BANDWIDTH_X",
                 "[{\"PERIOD\":12,\"BANDWIDTH_X\":1}," E "]");
    expect_error("NEWGTS { 1 12 } STL", "STL expects parameter names to be STRINGs.", "[{\"1\":12}," E "]");
    expect_error("NEWGTS { 'PERIOD' 12.0 } STL", "STL expects argument PERIOD to be of type LONG.",
                 "[{\"PERIOD\":12.0}," E "]");
    expect_error("NEWGTS { 'PERIOD' 12 'ROBUST' 1 } STL", "STL expects argument ROBUST to be of type BOOLEAN.",
                 "[{\"PERIOD\":12,\"ROBUST\":1}," E "]");
    expect_error("NEWGTS { 'PERIOD' 1 } STL", "STL Seasonal periods must be composed by at least 2 buckets.",
                 "[{\"PERIOD\":1}," E "]");
    expect_error("NEWGTS { 'PERIOD' 2 'PRECISION' 0 } STL", "STL PRECISION must be positive.",
                 "[{\"PERIOD\":2,\"PRECISION\":0}," E "]");
    expect_error("NEWGTS { 'PERIOD' 2 'ROBUSTNESS' -1 } STL", "STL ROBUSTNESS can not be negative.",
                 "[{\"PERIOD\":2,\"ROBUSTNESS\":-1}," E "]");
    expect_error("NEWGTS { 'PERIOD' 2 'BANDWIDTH_S' 0 } STL", "STL BANDWIDTH_S can not be equal to zero.",
                 "[{\"PERIOD\":2,\"BANDWIDTH_S\":0}," E "]");
    expect_error("NEWGTS { 'PERIOD' 2 'DEGREE' -1 } STL", "STL DEGREE_S can not be negative.",
                 "[{\"PERIOD\":2,\"DEGREE\":-1}," E "]");
    expect_error("NEWGTS { 'PERIOD' 2 'SPEED_L' -1 } STL", "STL SPEED_L can not be negative.",
                 "[{\"PERIOD\":2,\"SPEED_L\":-1}," E "]");
    expect_error("NEWGTS { 'PERIOD' 2 'BANDWIDTH_T' 0 } STL", "STL BANDWIDTH_T must be positive.",
                 "[{\"PERIOD\":2,\"BANDWIDTH_T\":0}," E "]");
    expect_error("NEWGTS { 'PERIOD' 2 'BANDWIDTH_P' -2 } STL", "STL BANDWIDTH_P can not be negative.",
                 "[{\"PERIOD\":2,\"BANDWIDTH_P\":-2}," E "]");
    expect_error("NEWGTS { 'PERIOD' 2 'DEGREE_L' 0 } STL",
                 "STL degrees of polynomial fit must be in 1..9 (DEGREE_S in 0..9).",
                 "[{\"PERIOD\":2,\"DEGREE_L\":0}," E "]");
    expect_error("{ 'PERIOD' 2 } STL", "Empty stack.", "[{\"PERIOD\":2}]");
}

Test(stl, series_errors)
{
    expect_error("NEWGTS { 'PERIOD' 2 } STL", "STL can only be applied on numeric Geo Time Series.",
                 "[{\"PERIOD\":2}," E "]");
    expect_error("[ 1 2 ] [] [] [] [ 1.0 2.0 ] MAKEGTS { 'PERIOD' 2 } STL",
                 "STL can only be applied on bucketized Geo Time Series.",
                 "[{\"PERIOD\":2},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.0],[2,2.0]]}]");
    expect_error("[ [ 1 2 ] [] [] [] [ 1.0 2.0 ] MAKEGTS bucketizer.last 2 1 2 ] BUCKETIZE 0 GET { 'PERIOD' 3 } STL",
                 "STL needs at least PERIOD (3) buckets.",
                 "[{\"PERIOD\":3},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,2.0],[1,1.0]]}]");
    expect_error("[ [ 1 2 ] [] [] [] [ 1.0 2.0 ] MAKEGTS bucketizer.last 2 1 2 ] BUCKETIZE 0 GET "
                 "5 NaN NaN NaN 3.0 ADDVALUE { 'PERIOD' 2 } STL",
                 "STL expects one value per bucket end at most.",
                 "[{\"PERIOD\":2},{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.0],[2,2.0],[5,3.0]]}]");
}
