/* Tests for the kernel smoothing mappers (builtins/kernels.c). Expected
 * values come from a Python transcription of Warp 10's MapperKernel*
 * weights and MapperKernelSmoother average, run on the same windows. */
#include "an_harness.h"

#define MAP2(k) AN_SQ "[ $sq 1 5 mapper.kernel." k " 2 2 0 ] MAP 0 GET VALUES"

Test(kernels, all_kernels_on_squares)
{
    expect_stack(MAP2("cosine"), "[[2.2426406871192857,4.585786437626904,9.585786437626904,16.585786437626904,"
                                 "25.585786437626904,36.5857864376269,49.5857864376269,64.58578643762691,"
                                 "73.95836943965739]]");
    expect_stack(MAP2("epanechnikov"),
                 "[[2.2857142857142856,4.6,9.6,16.6,25.6,36.6,49.6,64.6,73.71428571428571]]");
    expect_stack(MAP2("gaussian"), "[[4.013118897941423,6.682276761126149,10.663435743250254,17.663435743250254,"
                                   "26.663435743250258,37.663435743250254,50.663435743250254,59.48635496337176,"
                                   "67.17474994010006]]");
    expect_stack(MAP2("logistic"), "[[4.341922412969132,7.086723621647289,10.83511091276356,17.835110912763557,"
                                   "26.835110912763557,37.835110912763554,50.83511091276356,58.50685100160172,"
                                   "65.908437709836]]");
    expect_stack(MAP2("quartic"), "[[2.08,4.529411764705882,9.529411764705882,16.529411764705884,"
                                  "25.529411764705884,36.529411764705884,49.529411764705884,64.52941176470588,74.88]]");
    expect_stack(MAP2("silverman"), "[[6.872866200062189,9.433974313904397,11.723719720037312,18.723719720037312,"
                                    "27.723719720037312,38.72371972003731,51.72371972003731,53.31043135425203,"
                                    "55.38140139981343]]");
    expect_stack(MAP2("triangular"), "[[2.0,4.5,9.5,16.5,25.5,36.5,49.5,64.5,75.33333333333333]]");
    expect_stack(MAP2("tricube"), "[[2.2035087719298243,4.572621035058431,9.572621035058432,16.572621035058432,"
                                  "25.572621035058432,36.57262103505843,49.57262103505843,64.57262103505843,"
                                  "74.18011695906432]]");
    expect_stack(MAP2("triweight"), "[[1.89010989010989,4.4576271186440675,9.457627118644067,16.45762711864407,"
                                    "25.45762711864407,36.45762711864407,49.45762711864407,64.45762711864407,"
                                    "75.95604395604396]]");
    expect_stack(MAP2("uniform"), "[[4.666666666666667,7.5,11.0,18.0,27.0,38.0,51.0,57.5,64.66666666666667]]");
    expect_stack(MAP2("cauchy"), "[[3.782608695652174,6.451612903225807,10.555555555555555,17.555555555555557,"
                                 "26.555555555555554,37.55555555555555,50.55555555555556,59.99999999999999,"
                                 "68.1304347826087]]");
    expect_stack(MAP2("sigmoid"), "[[4.09478634763078,6.791101284331174,10.709706556191863,17.709706556191865,"
                                  "26.709706556191865,37.70970655619186,50.70970655619186,59.21526727257027,"
                                  "66.87161741135641]]");
}

Test(kernels, step_and_width)
{
    /* step 2: two ticks share each weight slot; width 7 gives 4 slots */
    expect_stack(AN_SQ "[ $sq 2 7 mapper.kernel.gaussian 3 3 0 ] MAP 0 GET VALUES",
                 "[[7.361146822539951,10.790108931929609,15.013928171460616,19.920339294535044,28.920339294535047,"
                 "39.92033929453505,45.29163452638072,51.452922831099265,57.916559532380155]]");
    /* width 1: one slot; its position u = 0/0 is NaN, as in Java */
    expect_stack(AN_SQ "[ $sq 1 1 mapper.kernel.uniform 1 1 0 ] MAP 0 GET VALUES",
                 "[[1.0,4.0,9.0,16.0,25.0,36.0,49.0,64.0,81.0]]");
    expect_stack(AN_SQ "[ $sq 1 1 mapper.kernel.gaussian 1 1 0 ] MAP 0 GET VALUES",
                 "[[NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN]]");
    /* points farther than width/2 slots do not count */
    expect_stack("[ 0 10 ] [] [] [] [ 1.0 3.0 ] MAKEGTS [ SWAP 1 3 mapper.kernel.triangular 1 1 0 ] MAP 0 GET VALUES",
                 "[[1.0,3.0]]");
}

Test(kernels, result_type_and_metadata)
{
    /* DOUBLE results, metadata kept, LONG input */
    expect_stack("[ 1 2 3 ] [] [] [] [ 1 2 3 ] MAKEGTS 'a' RENAME { 'k' 'v' } RELABEL "
                 "[ SWAP 1 3 mapper.kernel.uniform 1 1 0 ] MAP",
                 "[[{\"c\":\"a\",\"l\":{\"k\":\"v\"},\"a\":{},\"la\":0,\"v\":[[1,1.5],[2,2.0],[3,2.5]]}]]");
    /* non numeric values are skipped: nothing to average */
    expect_stack("[ 1 2 ] [] [] [] [ 'x' 'y' ] MAKEGTS [ SWAP 1 3 mapper.kernel.uniform 1 1 0 ] MAP 0 GET SIZE",
                 "[0]");
    expect_stack("NEWGTS [ SWAP 1 3 mapper.kernel.uniform 1 1 0 ] MAP 0 GET SIZE", "[0]");
}

Test(kernels, locations_and_elevations)
{
    /* elevations are averaged with the value weights, then truncated */
    expect_stack("[ 1 2 3 ] [] [] [ 10 20 40 ] [ 1.0 2.0 3.0 ] MAKEGTS "
                 "[ SWAP 1 3 mapper.kernel.uniform 1 1 0 ] MAP 0 GET ELEVATIONS",
                 "[[15,23,30]]");
    /* a constant location stays where it is; points without one do not count */
    expect_stack("[ 1 2 3 ] [ 48.0 48.0 NaN ] [ -4.0 -4.0 NaN ] [] [ 1.0 2.0 3.0 ] MAKEGTS "
                 "[ SWAP 1 3 mapper.kernel.uniform 1 1 0 ] MAP 0 GET LOCATIONS",
                 "[[-4.000000013038516,-4.000000013038516,-4.000000013038516],"
                 "[47.99999998882413,47.99999998882413,47.99999998882413]]");
}

Test(kernels, function_value)
{
    expect_stack("1 5 mapper.kernel.gaussian TYPEOF", "[\"AGGREGATOR\"]");
    expect_stack("60000000 11 mapper.kernel.epanechnikov SNAPSHOT", "[\"60000000 11 mapper.kernel.epanechnikov \"]");
}

Test(kernels, errors)
{
    expect_error("1 4 mapper.kernel.gaussian",
                 "mapper.kernel.gaussian window width MUST be odd (we count ticks, not intervals).", "[4,1]");
    expect_error("1 5.0 mapper.kernel.cosine", "mapper.kernel.cosine expects a window width in ticks on top of the stack.",
                 "[5.0,1]");
    expect_error("'a' 5 mapper.kernel.uniform", "mapper.kernel.uniform expects a step length as a LONG.", "[5,\"a\"]");
    expect_error("0 5 mapper.kernel.tricube", "mapper.kernel.tricube expects a strictly positive step length.",
                 "[5,0]");
    expect_error("-2 5 mapper.kernel.tricube", "mapper.kernel.tricube expects a strictly positive step length.",
                 "[5,-2]");
    expect_error("5 mapper.kernel.triweight", "Empty stack.", "[5]");
    /* a mapper only: BUCKETIZE refuses it */
    expect_error("[ NEWGTS 1 3 mapper.kernel.uniform 0 1 1 ] BUCKETIZE DROP",
                 "BUCKETIZE expects a bucketizer function",
                 "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]},\"1 3 mapper.kernel.uniform\",0,1,1]]");
}
