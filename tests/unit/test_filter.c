/* Tests for FILTER / PFILTER and the filter.* elements: every filter,
 * selectors (exact, regex, negations), thresholds in each type, last
 * values of bucketized series, MACROFILTER, partitioning, and every error
 * with its message. */
#include "harness.h"

#include <stdlib.h>

/* A: cpu{host=a,dc=x}{owner=o} 10:1 20:2; B: mem{host=b} 10:10 20:20 30:30; C: cpu{host=c} 10:100 */
#define S                                                                                                              \
    "NEWGTS 'cpu' RENAME { 'host' 'a' 'dc' 'x' } RELABEL { 'owner' 'o' } SETATTRIBUTES "                              \
    "10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE 'A' STORE "                                                   \
    "NEWGTS 'mem' RENAME { 'host' 'b' } RELABEL 10 NaN NaN NaN 10 ADDVALUE 20 NaN NaN NaN 20 ADDVALUE "                \
    "30 NaN NaN NaN 30 ADDVALUE 'B' STORE "                                                                            \
    "NEWGTS 'cpu' RENAME { 'host' 'c' } RELABEL 10 NaN NaN NaN 100 ADDVALUE 'C' STORE "
/* the hosts of the kept series */
#define F(expr) S "[ [ $A $B $C ] [ ] " expr " ] FILTER <% DROP LABELS 'host' GET %> LMAP"

Test(filter, conformance_examples)
{
    expect_stack(S "[ [ $A $B $C ] [] 'cpu' filter.byclass ] FILTER",
                 "[[{\"c\":\"cpu\",\"l\":{\"host\":\"a\",\"dc\":\"x\"},\"a\":{\"owner\":\"o\"},\"la\":0,\"v\":[[10,1],[20,2]]},"
                 "{\"c\":\"cpu\",\"l\":{\"host\":\"c\"},\"a\":{},\"la\":0,\"v\":[[10,100]]}]]");
    expect_stack(F("25 filter.last.gt"), "[[\"b\",\"c\"]]");
    expect_stack(F("2 3 filter.bysize"), "[[\"a\",\"b\"]]");
}

Test(filter, kept_series_are_the_same_objects)
{
    expect_stack(S "[ [ $A ] [] 'cpu' filter.byclass ] FILTER 0 GET 'renamed' RENAME DROP $A NAME", "[\"renamed\"]");
}

Test(filter, selectors)
{
    expect_stack(F("'~c.*' filter.byclass"), "[[\"a\",\"c\"]]");
    expect_stack(F("'=mem' filter.byclass"), "[[\"b\"]]");
    expect_stack(F("'~pu' filter.byclass"), "[[]]");
    expect_stack(F("{ 'host' '~[ab]' } filter.bylabels"), "[[\"a\",\"b\"]]");
    expect_stack(F("{ 'host' 'a' 'dc' '=x' } filter.bylabels"), "[[\"a\"]]");
    expect_stack(F("{ } filter.bylabels"), "[[\"a\",\"b\",\"c\"]]");
    expect_stack(F("{ 'owner' 'o' } filter.byattr"), "[[\"a\"]]");
    expect_stack(F("{ 'host' 'a' } filter.byattr"), "[[]]");
    expect_stack(F("{ 'owner' 'o' 'host' 'a' } filter.bylabelsattr"), "[[\"a\"]]");
    expect_stack(F("'cpu{host~[ac],dc=x}' filter.byselector"), "[[\"a\"]]");
    expect_stack(F("'~.*{host!=a}' filter.byselector"), "[[\"b\",\"c\"]]");
    expect_stack(F("'cpu{host!~a}' filter.byselector"), "[[\"c\"]]");
    expect_stack(F("'mem' filter.byselector"), "[[\"b\"]]");
    expect_stack(F("[ $B $C ] filter.bymetadata"), "[[\"b\",\"c\"]]");
}

Test(filter, thresholds)
{
    expect_stack(F("2 filter.last.eq"), "[[\"a\"]]");
    expect_stack(F("2 filter.last.ne"), "[[\"b\",\"c\"]]");
    expect_stack(F("30 filter.last.lt"), "[[\"a\"]]");
    expect_stack(F("30 filter.last.le"), "[[\"a\",\"b\"]]");
    expect_stack(F("30 filter.last.ge"), "[[\"b\",\"c\"]]");
    expect_stack(F("2.0 filter.last.le"), "[[\"a\"]]");
    expect_stack(F("'3' filter.last.gt"), "[[\"b\"]]");
    expect_stack(F("'100' filter.last.eq"), "[[\"c\"]]");
    expect_stack(F("15 filter.any.gt"), "[[\"b\",\"c\"]]");
    expect_stack(F("20 filter.any.eq"), "[[\"b\"]]");
    expect_stack(F("15 filter.all.lt"), "[[\"a\"]]");
    expect_stack(F("1 filter.all.ge"), "[[\"a\",\"b\",\"c\"]]");
    /* all keeps empty series */
    expect_stack("[ [ NEWGTS ] [ ] 1 filter.all.eq ] FILTER SIZE [ [ NEWGTS ] [ ] 1 filter.any.eq ] FILTER SIZE", "[0,1]");
    expect_stack("[ [ NEWGTS 1 NaN NaN NaN T ADDVALUE ] [ ] true filter.any.eq ] FILTER SIZE", "[1]");
    /* bucketized: the value at lastbucket, none if that bucket is empty */
    expect_stack(S "[ $B bucketizer.last 40 10 0 ] BUCKETIZE 0 GET 'b' STORE [ [ $b ] [ ] 0 filter.last.ge ] FILTER SIZE", "[0]");
    expect_stack(S "[ $B bucketizer.last 30 10 0 ] BUCKETIZE 0 GET 'b' STORE [ [ $b ] [ ] 0 filter.last.ge ] FILTER SIZE", "[1]");
}

Test(filter, partition_and_pfilter)
{
    expect_stack(S "[ [ $A $B $C ] [ 'host' ] 2 3 filter.bysize ] PFILTER SIZE", "[3]");
    expect_stack(S "[ [ $A $B $C ] [ 'host' ] 2 3 filter.bysize ] PFILTER VALUELIST <% DROP SIZE %> LMAP", "[[1,1,0]]");
    /* a singleton collection joins every class */
    expect_stack(S "[ [ $A $B ] [ $C ] [ 'host' ] 1 1 filter.bysize ] FILTER SIZE", "[2]");
}

Test(filter, macrofilter)
{
    /* Warp 10 pushes the class labels, then the list of its collections */
    expect_stack(F("<% SWAP DROP 0 GET %> MACROFILTER"), "[[\"a\",\"b\",\"c\"]]");
    expect_stack(F("<% DROP DROP [] %> MACROFILTER"), "[[]]");
    expect_stack(S "[ [ $A $B $C ] [ 'host' ] <% SWAP 'host' GET 'b' == <% 0 GET %> <% DROP [] %> IFTE %> MACROFILTER ] "
                   "FILTER <% DROP LABELS 'host' GET %> LMAP",
                 "[[\"b\"]]");
    /* the items left are appended unchecked: the input list gives a list of lists */
    expect_stack(S "[ [ $A $B $C ] [ ] <% SWAP DROP %> MACROFILTER ] FILTER 0 GET SIZE", "[3]");
    expect_error(S "[ [ $A ] [ ] <% DROP DROP 1 %> MACROFILTER ] FILTER",
                 "MACROFILTER macro should return a list of Geo Time Series onto the stack.", "[1]");
    expect_stack("<% %> MACROFILTER TYPEOF", "[\"FILTER\"]");
}

Test(filter, function_values)
{
    expect_stack("'cpu' filter.byclass", "[\"'cpu' filter.byclass\"]");
    expect_stack("1 2 filter.bysize", "[\"1 2 filter.bysize\"]");
    expect_stack("'x' filter.byclass TYPEOF", "[\"FILTER\"]");
}

Test(filter, errors)
{
    check_error("1", "FILTER", "FILTER expects a LIST at depth 1, got LONG.");
    check_error("[ [ ] 'x' filter.byclass ]", "FILTER", "FILTER expects at least 3 parameters.");
    check_error("[ 1 [ ] 'x' filter.byclass ]", "FILTER", "FILTER expects lists of Geo Time Series as first parameters.");
    check_error("[ [ 1 ] [ ] 'x' filter.byclass ]", "PFILTER", "PFILTER expects lists of Geo Time Series as first parameters.");
    check_error("[ [ ] 'host' 'x' filter.byclass ]", "FILTER", "FILTER expects a list of label names or null as penultimate parameter.");
    check_error("[ [ ] [ 1 ] 'x' filter.byclass ]", "FILTER", "FILTER expects a list of label names as penultimate parameter.");
    check_error("[ [ ] [ ] 1 ]", "FILTER", "FILTER expects a filter function as last parameter, got LONG.");
    check_error(S "[ [ $A ] [ ] '~(' filter.byclass ]", "FILTER", "invalid regular expression");
    check_error(S "[ [ $A ] [ ] 'cpu{host' filter.byselector ]", "FILTER", "invalid selector, missing '}'.");
    check_error(S "[ [ NEWGTS 1 NaN NaN NaN 'x' ADDVALUE ] [ ] 1 filter.last.eq ]", "FILTER",
                "filter.last.eq cannot compare a STRING value with a numeric threshold.");
}

Test(filter, builder_errors)
{
    check_error("1", "filter.byclass", "filter.byclass expects a STRING selector at depth 1, got LONG.");
    check_error("1", "filter.bylabels", "filter.bylabels expects a MAP of selectors at depth 1, got LONG.");
    check_error("{ 'a' 1 }", "filter.bylabels", "filter.bylabels expects a MAP of STRING names to STRING selectors.");
    check_error("1", "filter.bymetadata", "filter.bymetadata expects a LIST of Geo Time Series at depth 1, got LONG.");
    check_error("[ 1 ]", "filter.bymetadata", "filter.bymetadata expects a LIST of Geo Time Series.");
    check_error("1 'a'", "filter.bysize", "filter.bysize expects two LONG objects as arguments.");
    check_error("true", "filter.last.gt", "filter.last.gt threshold type is invalid.");
    check_error("[ ]", "filter.any.eq", "filter.any.eq threshold type is invalid.");
    check_error("1", "MACROFILTER", "MACROFILTER expects a MACRO at depth 1, got LONG.");
}
