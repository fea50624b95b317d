/* PARSE and the GTS input format (spec c.3): every value form, continuation
 * lines, comments, percent-encoding, locations, grouping of consecutive
 * lines, and each malformed-line error with its line number. */
#include "harness.h"

Test(parse, grouping) { expect_stack("\n<'\n100// a{x=1} 1\n200// a{x=1} 2\n300// b{} 3\n400// a{x=1} 4\n'>\nPARSE", "[[{\"c\":\"a\",\"l\":{\"x\":\"1\"},\"a\":{},\"la\":0,\"v\":[[100,1],[200,2]]},{\"c\":\"b\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[300,3]]},{\"c\":\"a\",\"l\":{\"x\":\"1\"},\"a\":{},\"la\":0,\"v\":[[400,4]]}]]"); }
Test(parse, continuation) { expect_stack("\n<'\n100// temp{room=a} 1\n=200// 2\n=300/1.5:2.5/4 3\n'>\nPARSE", "[[{\"c\":\"temp\",\"l\":{\"room\":\"a\"},\"a\":{},\"la\":0,\"v\":[[100,1],[200,2],[300,1.4999999944120646,2.4999999348074198,4,3]]}]]"); }
Test(parse, blank_and_comments) { expect_stack("\n<'\n# a comment\n\n   \n100// a{} 1\n# another\n\n200// a{} 2\n'>\nPARSE", "[[{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[100,1],[200,2]]}]]"); }
Test(parse, value_forms) { expect_stack("\n<'\n1// a{} 42\n2// a{} -7\n3// a{} +5\n'>\nPARSE 0 GET VALUES \n<'\n1// d{} 1.5\n2// d{} 1e3\n3// d{} -2.5E-3\n4// d{} NaN\n5// d{} -Infinity\n6// d{} .5\n7// d{} 0.1\n'>\nPARSE 0 GET VALUES", "[[1.5,1000.0,-0.0025,NaN,-Infinity,0.5,0.1],[42,-7,5]]"); }
Test(parse, value_booleans) { expect_stack("\n<'\n1// b{} T\n2// b{} false\n3// b{} t\n4// b{} TRUE\n5// b{} F\n'>\nPARSE 0 GET VALUES", "[[true,false,true,true,false]]"); }
Test(parse, value_strings) { expect_stack("\n<'\n1// s{} 'a%20b'\n2// s{} \"dq x\"\n3// s{} 'caf%C3%A9'\n4// s{} 'a+b%21'\n5// s{} 'keep+plus'\n'>\nPARSE 0 GET VALUES", "[[\"a b\",\"dq x\",\"caf\\u00E9\",\"a b!\",\"keep+plus\"]]"); }
Test(parse, value_bytes) { expect_stack("\n<'\n1// s{} hex:4142ff\n2// s{} b64:QUJD\n'>\nPARSE 0 GET VALUES", "[[\"AB\\u00FF\",\"ABC\"]]"); }
Test(parse, percent_class_labels) { expect_stack("\n<'\n1// my%20class{k%3D=v%2C1,z=a%7Bb%7D} 1\n'>\nPARSE 0 GET DUP NAME SWAP LABELS", "[{\"k=\":\"v,1\",\"z\":\"a{b}\"},\"my class\"]"); }
Test(parse, attributes) { expect_stack("\n<'\n1// a{k=v}{unit=C,x=y} 1\n'>\nPARSE 0 GET ATTRIBUTES", "[{\"unit\":\"C\",\"x\":\"y\"}]"); }
Test(parse, location_elevation) { expect_stack("\n<'\n1/48.85:2.35/ a{} 1\n2//100 a{} 2\n3/-45.5:170.25/-20 a{} 3\n'>\nPARSE", "[[{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,48.8499999884516,2.3499999940395355,1],[2,100,2],[3,-45.50000001210719,170.24999999441206,-20,3]]}]]"); }
Test(parse, hhcode_location) { expect_stack("\n<'\n1/48.85:2.35/ a{} 1\n'>\nPARSE 0 GET 0 ATINDEX \n<'\n1/-2295869580377500408/ a{} 1\n'>\nPARSE 0 GET 0 ATINDEX", "[[1,48.8499999884516,2.3499999940395355,NaN,1],[1,48.8499999884516,2.3499999940395355,NaN,1]]"); }
Test(parse, type_fixed_by_first) { expect_stack("\n<'\n1// a{} 1\n2// a{} 2.9\n3// a{} 'x'\n'>\nPARSE", "[[{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1],[2,2],[3,0]]}]]"); }
Test(parse, negative_tick) { expect_stack("\n<'\n-5// a{} 1\n'>\nPARSE", "[[{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[-5,1]]}]]"); }
Test(parse, label_order_same_series) { expect_stack("\n<'\n1// a{x=1,y=2} 1\n2// a{y=2,x=1} 2\n'>\nPARSE SIZE", "[2]"); }
Test(parse, empty_text) { expect_stack("'' PARSE", "[[]]"); }
Test(parse, crlf) { expect_stack("'1// a{} 1%0D%0A2// a{} 2%0D%0A' PARSE", "[[{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1],[2,2]]}]]"); }
Test(parse, tabs) { expect_stack("\n<'\n1//	a{}	1\n'>\nPARSE", "[[{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1]]}]]"); }
Test(parse, long_digits_double) { expect_stack("\n<'\n1// a{} 0.30000000000000004\n2// a{} 123456789012345678901234567890.5\n3// a{} 9007199254740993.0\n'>\nPARSE", "[[{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,0.30000000000000004],[2,1.2345678901234568E29],[3,9.007199254740992E15]]}]]"); }
Test(parse, relative_timestamp_type) { expect_stack("\n<'\nT-5// a{} 1\n// a{} 2\n'>\nPARSE 0 GET TICKLIST <% TYPEOF %> F LMAP", "[[\"LONG\",\"LONG\"]]"); }
Test(parse, err_missing_brace) { expect_error("\n<'\n100// a{} 1\n200// a{ 2\n'>\nPARSE", "PARSE line 2: missing '}' after the labels.", "[\"100// a{} 1\\n200// a{ 2\"]"); }
Test(parse, err_no_class_brace) { expect_error("\n<'\n100// abc 1\n'>\nPARSE", "PARSE line 1: missing '{' after the class name.", "[\"100// abc 1\"]"); }
Test(parse, err_bad_value) { expect_error("\n<'\n1// a{} 1\n\n3// a{} 12abc\n'>\nPARSE", "PARSE line 3: invalid value '12abc'.", "[\"1// a{} 1\\n\\n3// a{} 12abc\"]"); }
Test(parse, err_long_range) { expect_error("\n<'\n1// a{} 99999999999999999999\n'>\nPARSE", "PARSE line 1: LONG value out of range.", "[\"1// a{} 99999999999999999999\"]"); }
Test(parse, err_continuation_first) { expect_error("\n<'\n# c\n=1// 1\n'>\nPARSE", "PARSE line 2: a '=' line must follow a line naming a series.", "[\"# c\\n=1// 1\"]"); }
Test(parse, err_timestamp) { expect_error("\n<'\n1x// a{} 1\n'>\nPARSE", "PARSE line 1: invalid timestamp.", "[\"1x// a{} 1\"]"); }
Test(parse, err_no_slash) { expect_error("\n<'\n100 a{} 1\n'>\nPARSE", "PARSE line 1: expected TS/LAT:LON/ELEV at the start of the line.", "[\"100 a{} 1\"]"); }
Test(parse, err_second_slash) { expect_error("\n<'\n100/ a{} 1\n'>\nPARSE", "PARSE line 1: expected '/' after the location.", "[\"100/ a{} 1\"]"); }
Test(parse, err_location) { expect_error("\n<'\n1/48.85,2/ a{} 1\n'>\nPARSE", "PARSE line 1: invalid location (expected LAT:LON).", "[\"1/48.85,2/ a{} 1\"]"); }
Test(parse, err_elevation) { expect_error("\n<'\n1//1.5 a{} 1\n'>\nPARSE", "PARSE line 1: invalid elevation.", "[\"1//1.5 a{} 1\"]"); }
Test(parse, err_missing_value) { expect_error("\n<'\n1// a{}\n'>\nPARSE", "PARSE line 1: missing value.", "[\"1// a{}\"]"); }
Test(parse, err_missing_class) { expect_error("\n<'\n1// \n'>\nPARSE", "PARSE line 1: missing class name.", "[\"1// \"]"); }
Test(parse, err_unterminated_string) { expect_error("\n<'\n1// a{} 'abc\n'>\nPARSE", "PARSE line 1: unterminated string value.", "[\"1// a{} 'abc\"]"); }
Test(parse, err_label_no_eq) { expect_error("\n<'\n1// a{k} 1\n'>\nPARSE", "PARSE line 1: labels entry without '='.", "[\"1// a{k} 1\"]"); }
Test(parse, err_percent) { expect_error("\n<'\n1// a%2{} 1\n'>\nPARSE", "PARSE line 1: malformed percent escape in the class name.", "[\"1// a%2{} 1\"]"); }
Test(parse, err_trailing) { expect_error("\n<'\n1// a{}x 1\n'>\nPARSE", "PARSE line 1: unexpected text after the labels.", "[\"1// a{}x 1\"]"); }
Test(parse, err_hex) { expect_error("\n<'\n1// a{} hex:4\n'>\nPARSE", "PARSE line 1: malformed hex value.", "[\"1// a{} hex:4\"]"); }
