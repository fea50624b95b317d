/* Tests for APPLY / PAPPLY and the op.* operators: the singleton rule,
 * the last member's name, null handling of each operator, type promotion,
 * validators, bucketization, and every error with its message. */
#include "harness.h"

#include <stdlib.h>

/* A: x{host=a} 10:1 20:2; B: y{host=b} 10:10 20:20 30:30; C: z{host=a} 10:100;
 * M: m{} 10:T 20:F; D: d{host=a} 10:0.5 20:1.5 */
#define S                                                                                                              \
    "NEWGTS 'x' RENAME { 'host' 'a' } RELABEL 10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE 'A' STORE "          \
    "NEWGTS 'y' RENAME { 'host' 'b' } RELABEL 10 NaN NaN NaN 10 ADDVALUE 20 NaN NaN NaN 20 ADDVALUE "                  \
    "30 NaN NaN NaN 30 ADDVALUE 'B' STORE "                                                                            \
    "NEWGTS 'z' RENAME { 'host' 'a' } RELABEL 10 NaN NaN NaN 100 ADDVALUE 'C' STORE "                                  \
    "NEWGTS 'm' RENAME 10 NaN NaN NaN T ADDVALUE 20 NaN NaN NaN F ADDVALUE 'M' STORE "                                 \
    "NEWGTS 'd' RENAME { 'host' 'a' } RELABEL 10 NaN NaN NaN 0.5 ADDVALUE 20 NaN NaN NaN 1.5 ADDVALUE 'D' STORE "
#define AV(expr) S "[ " expr " ] APPLY 0 GET VALUES"

Test(apply, conformance_examples)
{
    expect_stack(AV("[ $A ] [ $B ] [] op.add.ignore-nulls"), "[[11,22,30]]");
    expect_stack(AV("[ $A ] [ $B ] [] op.div"), "[[0.1,0.1]]");
    expect_stack("NEWGTS 'toto' RENAME { 'label0' '42' } RELABEL 10 NaN NaN NaN 46.5 ADDVALUE 20 NaN NaN NaN 23 ADDVALUE "
                 "NEWGTS 'tata' RENAME { 'label0' '42' } RELABEL 10 NaN NaN NaN -4.5 ADDVALUE 20 NaN NaN NaN 19 ADDVALUE "
                 "2 ->LIST 'l' STORE [ $l [] op.add ] APPLY",
                 "[[{\"c\":\"tata\",\"l\":{\"label0\":\"42\"},\"a\":{},\"la\":0,\"v\":[[10,42.0],[20,42.0]]}]]");
}

Test(apply, singletons_join_every_class)
{
    /* classes host=a {A, C} and host=b {B}; M joins both; name = last member */
    expect_stack(S "[ [ $A $B $C ] [ $M ] [ 'host' ] op.add ] APPLY",
                 "[[{\"c\":\"m\",\"l\":{\"host\":\"a\"},\"a\":{},\"la\":0,\"v\":[[10,102]]},"
                 "{\"c\":\"m\",\"l\":{\"host\":\"b\"},\"a\":{},\"la\":0,\"v\":[[10,11],[20,20]]}]]");
    /* A, C, B: three slots, op.sub gives nothing */
    expect_stack(AV("[ $A $C ] [ $B ] [ 'host' ] op.sub"), "[[]]");
    expect_stack(S "[ [ $A ] [ ] op.add ] APPLY", "[[{\"c\":\"x\",\"l\":{\"host\":\"a\"},\"a\":{},\"la\":0,\"v\":[[10,1],[20,2]]}]]");
    expect_stack(S "[ [ ] [ ] op.add ] APPLY", "[[]]");
    expect_stack(S "[ [ $A $D ] [ 'host' ] op.add ] APPLY 0 GET NAME", "[\"d\"]");
}

Test(apply, arithmetic_operators)
{
    expect_stack(AV("[ $A ] [ $B ] [] op.add"), "[[11,22]]");
    expect_stack(AV("[ $A ] [ $D ] [] op.add"), "[[1.5,3.5]]");
    expect_stack(AV("[ $A ] [ $B ] [] op.mul"), "[[10,40]]");
    expect_stack(AV("[ $A ] [ $B ] [] op.mul.ignore-nulls"), "[[10,40,30]]");
    expect_stack(AV("[ $M ] [ $A ] [] op.add.ignore-nulls"), "[[2,2]]");
    expect_stack(AV("[ $B ] [ $A ] [] op.sub"), "[[9,18]]");
    expect_stack(AV("[ $B ] [ $D ] [] op.sub"), "[[9.5,18.5]]");
    expect_stack(AV("[ $A ] [ $B ] [] op.div"), "[[0.1,0.1]]");
    expect_stack("NEWGTS 10 NaN NaN NaN 'a' ADDVALUE NEWGTS 10 NaN NaN NaN 1 ADDVALUE 2 ->LIST [ SWAP [] op.add ] APPLY "
                 "0 GET VALUES",
                 "[[\"a1\"]]");
}

Test(apply, comparison_and_logic)
{
    expect_stack(AV("[ $A ] [ $B ] [] op.eq"), "[[false,false,false]]");
    expect_stack(AV("[ $A ] [ $A ] [] op.eq"), "[[true,true]]");
    expect_stack(AV("[ $A ] [ $B ] [] op.ne"), "[[true,true,false]]");
    /* Java's Double.equals: NaN equals NaN, 0.0 and -0.0 differ (5 joins a DOUBLE series as 5.0) */
    expect_stack("[ [ NEWGTS 10 NaN NaN NaN 0.0 ADDVALUE 20 NaN NaN NaN NaN ADDVALUE 30 NaN NaN NaN 5.0 ADDVALUE ] "
                 "[ NEWGTS 10 NaN NaN NaN -0.0 ADDVALUE 20 NaN NaN NaN NaN ADDVALUE 30 NaN NaN NaN 5 ADDVALUE ] [] op.eq ] "
                 "APPLY 0 GET VALUES",
                 "[[false,true,true]]");
    expect_stack(AV("[ $A ] [ $B ] [] op.lt"), "[[true,true,false]]");
    expect_stack(AV("[ $A ] [ $B ] [] op.le"), "[[true,true,false]]");
    expect_stack(AV("[ $B ] [ $A ] [] op.gt"), "[[true,true,false]]");
    expect_stack(AV("[ $B ] [ $A ] [] op.ge"), "[[true,true,false]]");
    expect_stack(AV("[ $A ] [ $A ] [] op.lt"), "[[false,false]]");
    expect_stack(AV("[ $M ] [ $M ] [] op.or"), "[[true,false]]");
    expect_stack(AV("[ $M ] [ $M ] [] op.and"), "[[true,false]]");
    expect_stack(AV("[ $M ] [ $B ] [] op.and"), "[[true,false]]");
    expect_stack(AV("[ $M ] [ $B ] [] op.and.ignore-nulls"), "[[true,false,true]]");
    expect_stack(AV("[ $M ] [ $B ] [] op.or.ignore-nulls"), "[[true,false,false]]");
}

Test(apply, masks)
{
    expect_stack(S "[ [ $M ] [ $B ] [] op.mask ] APPLY", "[[{\"c\":\"y\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[10,10]]}]]");
    expect_stack(AV("[ $M ] [ $B ] [] op.negmask"), "[[20,30]]");
}

Test(apply, validator)
{
    expect_stack(S "[ [ $A $B $C ] [ 'host' ] op.add <% DROP SIZE 2 == %> ] APPLY", "[[]]");
    expect_stack(S "[ [ $A $B $C ] [ 'host' ] op.add <% DROP 0 GET SIZE 2 == %> ] APPLY 0 GET VALUES", "[[101]]");
    expect_stack(S "[ [ $A $B $C ] [ 'host' ] op.add <% SWAP DROP 'host' GET 'b' == %> ] APPLY 0 GET VALUES", "[[10,20,30]]");
    expect_stack(S "[ [ $A $B $C ] [ 'host' ] op.add <% DROP 0 GET SIZE 2 == %> ] PAPPLY VALUELIST <% DROP SIZE %> LMAP",
                 "[[1,0]]");
}

Test(apply, bucketization)
{
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE [ SWAP bucketizer.last 20 10 0 ] BUCKETIZE 0 GET "
                 "NEWGTS 30 NaN NaN NaN 5 ADDVALUE [ SWAP bucketizer.last 30 10 0 ] BUCKETIZE 0 GET "
                 "2 ->LIST [ SWAP [] op.add.ignore-nulls ] APPLY 0 GET DUP LASTBUCKET SWAP BUCKETCOUNT",
                 "[3,30]");
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE [ SWAP bucketizer.last 20 10 0 ] BUCKETIZE 0 GET "
                 "NEWGTS 30 NaN NaN NaN 5 ADDVALUE [ SWAP bucketizer.last 35 10 0 ] BUCKETIZE 0 GET "
                 "2 ->LIST [ SWAP [] op.add.ignore-nulls ] APPLY 0 GET BUCKETSPAN",
                 "[0]");
}

Test(apply, function_values)
{
    expect_stack("op.add TYPEOF op.add", "[\"'op.add' FUNCREF\",\"OPERATOR\"]");
}

Test(apply, errors)
{
    check_error("1", "APPLY", "APPLY expects a LIST at depth 1, got LONG.");
    check_error("[ [ ] op.add ]", "APPLY", "APPLY expects at least 3 parameters.");
    check_error("[ [ ] [ ] mapper.abs ]", "APPLY", "APPLY expects an operation in the parameter list.");
    check_error("[ [ ] 'x' op.add ]", "APPLY", "APPLY expects a list of label names under the operation.");
    check_error("[ op.add [ ] [ ] ]", "APPLY", "APPLY expects a list of label names under the operation.");
    check_error("[ [ ] [ 1 ] op.add ]", "APPLY", "APPLY expects a list of label names as penultimate parameter.");
    check_error("[ 1 [ ] op.add ]", "APPLY", "APPLY expects lists of Geo Time Series as first parameters.");
    check_error("[ [ 1 ] [ ] op.add ]", "APPLY", "APPLY expects lists of Geo Time Series as first parameters.");
    check_error("[ [ 1 ] [ ] op.add ]", "PAPPLY", "PAPPLY expects lists of Geo Time Series as first parameters.");
    check_error(S "[ [ $M $B ] [] op.mask ]", "APPLY",
                "op.mask can only be applied to pairs of Geo Time Series, the first one being boolean.");
    check_error(S "[ [ $A ] [ $M ] [] op.lt ]", "APPLY", "op.lt can only be applied to Geo Time Series of the same type.");
    check_error(S "[ [ $M ] [ $A ] [] op.div ]", "APPLY", "op.div can only be applied to LONG or DOUBLE values.");
    check_error(S "[ [ $A ] [ NEWGTS 10 NaN NaN NaN 'x' ADDVALUE ] [] op.add ]", "APPLY", "Cannot add strings and longs.");
    check_error(S "[ [ $D ] [ NEWGTS 10 NaN NaN NaN 'x' ADDVALUE ] [] op.mul ]", "APPLY", "Cannot multiply strings and doubles.");
}
