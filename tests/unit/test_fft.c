/* Tests for builtins/fft.c: FFT, FFTAP, IFFT. Expected values come from a
 * direct O(n^2) DFT in Python; the FFT rounds differently, hence the
 * tolerance. */
#include "an_harness.h"

/* 1 2 4 8 3 1 0.5 2 on 8 buckets of 1 s */
#define X                                                                                                              \
    "[ [ 1000000 2000000 3000000 4000000 5000000 6000000 7000000 8000000 ] [] [] [] [ 1.0 2.0 4.0 8.0 3.0 1.0 0.5 2.0 ] MAKEGTS 'x' RENAME { 'k' 'v' } "  \
    "RELABEL bucketizer.last 8000000 1000000 8 ] BUCKETIZE 0 GET 'x' STORE "

static const double re[] = {21.5, -5.535533905932737, -0.5000000000000019, 1.535533905932738, -4.5,
                            1.5355339059327324, -0.4999999999999997, -5.535533905932731};
static const double im[] = {0.0, -8.449747468305832, 7.000000000000001, -1.449747468305831, -2.6942229581241772e-15,
                            1.4497474683058356, -7.000000000000001, 8.449747468305837};
static const double amp[] = {21.5, 10.101503249609523, 7.017834423809101, 2.1117841031052906, 4.5, 2.1117841031052897,
                             7.0178344238091, 10.101503249609523};
static const double ph[] = {0.0, -2.1507570739414774, 1.6421037915801873, -0.7566696032166169, /* index 4: +-pi */
                            0.7566696032166204, -1.6421037915801868, 2.150757073941477};

Test(fft, forward)
{
    an_expect_close(X "$x FFT 0 GET VALUES", re, 8, 1e-12);
    an_expect_close(X "$x FFT 1 GET VALUES", im, 8, 1e-12);
    an_expect_close(X "$x FFTAP 0 GET VALUES", amp, 8, 1e-12);
    an_expect_close(X "$x FFTAP 1 GET VALUES [ 0 1 2 3 5 6 7 ] SUBLIST", ph, 7, 1e-12);
    /* the frequency step in Hz; pseudo ticks 0..n-1, class and labels kept */
    expect_stack(X "$x FFT 2 GET", "[0.125]");
    expect_stack(X "$x FFT 0 GET TICKLIST", "[[0,1,2,3,4,5,6,7]]");
    expect_stack(X "$x FFT 1 GET DUP NAME SWAP LABELS", "[{\"k\":\"v\"},\"x\"]");
    expect_stack(X "[ $x $x ] FFTAP SIZE", "[2]");
    /* LONG values are accepted */
    expect_stack("[ [ 1 2 ] [] [] [] [ 3 1 ] MAKEGTS bucketizer.last 2 1 2 ] BUCKETIZE 0 GET FFT LIST-> DROP DROP VALUES "
                 "SWAP VALUES",
                 "[[4.0,2.0],[0.0,0.0]]");
}

Test(fft, inverse)
{
    static const double x[] = {1.0, 2.0, 4.0, 8.0, 3.0, 1.0, 0.5, 2.0};
    an_expect_close(X "$x FFT LIST-> DROP DROP IFFT VALUES", x, 8, 1e-12);
    static const double i5[] = {0.5, 0.6035770754567155, -0.7211361750882415, 0.8593327762132521,
                                -0.24177367658172594};
    an_expect_close("[ 1 2 3 4 5 ] [] [] [] [ 1.0 -1.0 0.5 0.0 2.0 ] MAKEGTS "
                    "[ 1 2 3 4 5 ] [] [] [] [ 0.0 0.5 -1.0 3.0 0.25 ] MAKEGTS IFFT VALUES",
                    i5, 5, 1e-12);
    static const double i7[] = {1.0714285714285714, -0.10251186442470916, 0.8925214525911694, -0.15398152641133483,
                                -0.5816528198992, 1.3477779503238643, 0.5264182363916399};
    an_expect_close("[ 1 2 3 4 5 6 7 ] [] [] [] [ 3.0 1.0 -2.0 0.5 4.0 -1.0 2.0 ] MAKEGTS "
                    "[ 1 2 3 4 5 6 7 ] [] [] [] [ 0.0 1.0 2.0 -1.0 0.0 0.5 -0.5 ] MAKEGTS IFFT VALUES",
                    i7, 7, 1e-12);
    expect_stack("[ 7 ] [] [] [] [ 3.0 ] MAKEGTS 're' RENAME [ 7 ] [] [] [] [ 1.0 ] MAKEGTS IFFT",
                 "[{\"c\":\"re\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[0,3.0]]}]");
}

#define E "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]}"
#define T2 "[ 1 2 ] [] [] [] [ 1.0 2.0 ] MAKEGTS "
#define T2_JSON "{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.0],[2,2.0]]}"
#define B(ticks, vals) "[ " ticks " ] [] [] [] [ " vals " ] MAKEGTS bucketizer.last 8 2 4 ] BUCKETIZE 0 GET "

Test(fft, errors)
{
    expect_error(T2 "FFT", "FFT can only be applied to bucketized geo time series.", "[" T2_JSON "]");
    expect_error("[ 1 2 ] [] [] [] [ 'a' 'b' ] MAKEGTS FFT", "FFT can only be applied to numeric geo time series.",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,\"a\"],[2,\"b\"]]}]");
    expect_error("NEWGTS FFTAP", "FFTAP can only be applied to numeric geo time series.", "[" E "]");
    expect_error("[ " B("2 4 6", "1.0 2.0 3.0") "FFT",
                 "FFT can only be applied to geo time series which contain a number of values which is a power of 2.",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[6,3.0],[4,2.0],[2,1.0]]}]");
    /* the checks come after sorting, as in Warp 10 */
    expect_error("[ " B("2 4 8", "1.0 2.0 3.0") "5 NaN NaN NaN 4.0 ADDVALUE FFT",
                 "FFT found a tick not on a bucket boundary.",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,1.0],[4,2.0],[5,4.0],[8,3.0]]}]");
    expect_error("[ " B("2 4 8", "1.0 2.0 3.0") "10 NaN NaN NaN 4.0 ADDVALUE FFT",
                 "FFT found a displaced tick, should have been 'bucketspan' away from previous.",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,1.0],[4,2.0],[8,3.0],[10,4.0]]}]");
    expect_error("[ " B("2 4 6", "1.0 2.0 3.0") "6 NaN NaN NaN 4.0 ADDVALUE FFT", "FFT found duplicate tick.",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[2,1.0],[4,2.0],[6,3.0],[6,4.0]]}]");
    expect_error("42 FFT", "FFT expects a GTS or a LIST of GTS at depth 1, got LONG.", "[42]");
    expect_error("FFT", "Empty stack.", "[]");
}

Test(fft, inverse_errors)
{
    expect_error(T2 "[ 1 ] [] [] [] [ 1.0 ] MAKEGTS IFFT",
                 "IFFT real and imaginary Geo Time Series MUST have the same number of values.",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1.0]]}," T2_JSON "]");
    expect_error(T2 "[ 1 2 ] [] [] [] [ 1 2 ] MAKEGTS IFFT", "IFFT real and imaginary parts GTS MUST be of type DOUBLE.",
                 "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1],[2,2]]}," T2_JSON "]");
    expect_error("NEWGTS " T2 "IFFT", "IFFT real and imaginary parts GTS MUST be of type DOUBLE.",
                 "[" T2_JSON "," E "]");
    expect_error(T2 "[] IFFT", "IFFT expects a GTS at depth 1, got LIST.", "[[]," T2_JSON "]");
    expect_error("1 " T2 "IFFT", "IFFT expects a GTS at depth 2, got LONG.", "[" T2_JSON ",1]");
    expect_error(T2 "IFFT", "Empty stack.", "[" T2_JSON "]");
}
