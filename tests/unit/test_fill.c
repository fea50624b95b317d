/* Tests for FILLPREVIOUS, FILLNEXT, FILLVALUE and INTERPOLATE: only empty
 * buckets are filled, nothing happens to unbucketized series, points are
 * appended unsorted, LONG interpolations are truncated, elevations and
 * locations are interpolated, lists are mapped, and the errors. */
#include "harness.h"

#include <stdlib.h>

static void check_error(const char *setup, const char *word, const char *msg)
{
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_eval(vm, setup, strlen(setup), "t"), EXO_OK, "%s: %s", setup, exo_last_error(vm)->message);
    char *before = strdup(exo_stack_json(vm, NULL));
    cr_assert_neq(exo_eval(vm, word, strlen(word), "t"), EXO_OK, "%s should fail", word);
    cr_assert(strstr(exo_last_error(vm)->message, msg), "%s: message '%s' lacks '%s'", word, exo_last_error(vm)->message, msg);
    cr_assert_str_eq(exo_stack_json(vm, NULL), before, "%s: stack after error", word);
    free(before);
    exo_vm_free(vm);
}

/* g: 10:1 20:2 50:3; b: g bucketized by last, buckets 10..70 */
#define S                                                                                                              \
    "NEWGTS 10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE 50 NaN NaN NaN 3 ADDVALUE 'g' STORE "                  \
    "[ $g bucketizer.last 70 10 0 ] BUCKETIZE 0 GET 'b' STORE "
#define G(v) "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":" v "}]"

Test(fill, conformance_examples)
{
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE 50 NaN NaN NaN 3 ADDVALUE 'g' STORE "
                 "[ $g bucketizer.last 50 10 0 ] BUCKETIZE 0 GET FILLNEXT SORT",
                 G("[[10,1],[20,2],[30,3],[40,3],[50,3]]"));
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE 20 NaN NaN NaN 2 ADDVALUE 50 NaN NaN NaN 3 ADDVALUE 'g' STORE "
                 "[ $g bucketizer.last 50 10 0 ] BUCKETIZE 0 GET INTERPOLATE SORT",
                 G("[[10,1],[20,2],[30,2],[40,2],[50,3]]"));
}

Test(fill, previous_next_value)
{
    /* appended after the existing points; leading/trailing buckets stay empty */
    expect_stack(S "$b FILLPREVIOUS", G("[[10,1],[20,2],[50,3],[30,2],[40,2],[60,3],[70,3]]"));
    expect_stack(S "$b FILLNEXT", G("[[10,1],[20,2],[50,3],[40,3],[30,3]]"));
    expect_stack(S "$b [ NaN NaN NaN 0 ] FILLVALUE", G("[[10,1],[20,2],[50,3],[30,0],[40,0],[60,0],[70,0]]"));
    expect_stack(S "$b [ NaN NaN 7 0 ] FILLVALUE SORT ELEVATIONS", "[[NaN,NaN,7,7,NaN,7,7]]");
    /* the clone keeps the bucketization; the input is unchanged */
    expect_stack(S "$b FILLPREVIOUS BUCKETSPAN $b SIZE", "[3,10]");
}

Test(fill, unbucketized_is_untouched)
{
    expect_stack(S "$g FILLPREVIOUS", G("[[10,1],[20,2],[50,3]]"));
    expect_stack(S "$g FILLNEXT $g INTERPOLATE $g [ NaN NaN NaN 0 ] FILLVALUE 3 ->LIST <% DROP SIZE %> LMAP", "[[3,3,3]]");
}

Test(fill, interpolate)
{
    expect_stack("NEWGTS 10 NaN NaN NaN 1.0 ADDVALUE 40 NaN NaN NaN 2.0 ADDVALUE [ SWAP bucketizer.last 40 10 0 ] BUCKETIZE "
                 "0 GET INTERPOLATE SORT",
                 G("[[10,1.0],[20,1.3333333333333333],[30,1.6666666666666665],[40,2.0]]"));
    /* elevations between points that have them */
    expect_stack("NEWGTS 10 NaN NaN 10 1.0 ADDVALUE 40 NaN NaN 40 2.0 ADDVALUE [ SWAP bucketizer.last 40 10 0 ] BUCKETIZE "
                 "0 GET INTERPOLATE ELEVATIONS",
                 "[[10,20,30,40]]");
    expect_stack("NEWGTS 10 1.0 1.0 NaN 1.0 ADDVALUE 40 4.0 4.0 NaN 2.0 ADDVALUE [ SWAP bucketizer.last 40 10 0 ] BUCKETIZE "
                 "0 GET INTERPOLATE LOCATIONS DROP SIZE",
                 "[4]");
    /* fewer than two values: nothing to do */
    expect_stack("NEWGTS 10 NaN NaN NaN 1 ADDVALUE [ SWAP bucketizer.last 40 10 0 ] BUCKETIZE 0 GET INTERPOLATE SIZE", "[1]");
}

Test(fill, lists)
{
    expect_stack(S "[ $b $g ] FILLPREVIOUS <% DROP SIZE %> LMAP", "[[7,3]]");
    expect_stack(S "[ $b $g ] [ NaN NaN NaN 0 ] FILLVALUE <% DROP SIZE %> LMAP", "[[7,3]]");
    expect_stack("[ ] FILLNEXT", "[[]]");
}

Test(fill, errors)
{
    check_error("1", "FILLPREVIOUS", "FILLPREVIOUS expects a GTS or a LIST of GTS at depth 1, got LONG.");
    check_error("[ 1 ]", "FILLNEXT", "FILLNEXT expects a GTS or a LIST of GTS at depth 1, got LIST.");
    check_error(S "$b 1", "FILLVALUE", "FILLVALUE expects a LIST [lat lon elev value] at depth 1, got LONG.");
    check_error(S "$b [ 1 2 ]", "FILLVALUE", "FILLVALUE expects a LIST [lat lon elev value] at depth 1, got LIST.");
    check_error(S "$b [ 'a' NaN NaN 0 ]", "FILLVALUE", "FILLVALUE expects numeric latitude, longitude and elevation");
    check_error(S "$b [ NaN NaN NaN [ ] ]", "FILLVALUE", "FILLVALUE expects a LONG, DOUBLE, BOOLEAN or STRING fill value, got LIST.");
    check_error("[ NaN NaN NaN 0 ]", "FILLVALUE", "Empty stack.");
    check_error("1 [ NaN NaN NaN 0 ]", "FILLVALUE", "FILLVALUE expects a GTS or a LIST of GTS at depth 2, got LONG.");
    check_error("NEWGTS 10 NaN NaN NaN 'a' ADDVALUE 30 NaN NaN NaN 'b' ADDVALUE [ SWAP bucketizer.last 30 10 0 ] BUCKETIZE 0 GET",
                "INTERPOLATE", "INTERPOLATE can only interpolate numeric Geo Time Series.");
}
