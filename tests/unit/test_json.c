/* JSON words and interp/json.c: ->JSON output as Warp 10 writes it
 * (doubles like Java, \uXXXX escapes, stringified keys, strict/loose,
 * pretty/compact, limits), JSON-> parsing (exact LONGs, order kept,
 * unicode escapes, NaN/Infinity), and every parse error with its offset. */
#include "harness.h"
#include "oom.h"

#include "vm.h"

#include <stdio.h>
#include <stdlib.h>

/* Pushes text as a STRING and runs src after it. */
static exo_vm *run_on(const char *text, size_t len, const char *src, exo_status *st)
{
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_push_string(vm, text, len), EXO_OK);
    *st = exo_eval(vm, src, strlen(src), "t");
    return vm;
}

/* ---- ->JSON ---- */

Test(tojson, conformance_061_071)
{
    expect_stack("'caf%C3%A9'", "[\"caf\\u00E9\"]");
    expect_stack("'{\"a\":[1,2.5,true,null]}' JSON->", "[{\"a\":[1,2.5,true,null]}]");
}

Test(tojson, scalars)
{
    expect_stack("42 ->JSON", "[\"42\"]");
    expect_stack("-9223372036854775808 ->JSON", "[\"-9223372036854775808\"]");
    expect_stack("T ->JSON", "[\"true\"]");
    expect_stack("'a b' ->JSON", "[\"\\\"a b\\\"\"]");
    expect_stack("'' ->JSON", "[\"\\\"\\\"\"]");
    expect_stack("'caf%C3%A9' ->JSON", "[\"\\\"caf\\\\u00E9\\\"\"]");
    expect_stack("'%E2%82%AC%F0%9F%98%80' ->JSON", "[\"\\\"\\\\u20AC\\\\uD83D\\\\uDE00\\\"\"]");
    expect_stack("'a%22b%5Cc%2Fd%0A%09%0D%08%0C%01' ->JSON",
                 "[\"\\\"a\\\\\\\"b\\\\\\\\c/d\\\\n\\\\t\\\\r\\\\b\\\\f\\\\u0001\\\"\"]");
}

Test(tojson, doubles_like_java)
{
    expect_stack("1.0E10 ->JSON", "[\"1.0E10\"]");
    expect_stack("1e-4 ->JSON", "[\"1.0E-4\"]");
    expect_stack("0.30000000000000004 ->JSON", "[\"0.30000000000000004\"]");
    expect_stack("1.0 ->JSON", "[\"1.0\"]");
    expect_stack("-0.0 ->JSON", "[\"-0.0\"]");
    expect_stack("0.001 ->JSON", "[\"0.001\"]");
    expect_stack("1234567.0 ->JSON", "[\"1234567.0\"]");
    expect_stack("1.0E7 ->JSON", "[\"1.0E7\"]");
    expect_stack("1.23456789E7 ->JSON", "[\"1.23456789E7\"]");
    expect_stack("[ NaN Infinity -Infinity ] ->JSON", "[\"[NaN,Infinity,-Infinity]\"]");
}

Test(tojson, containers)
{
    expect_stack("[ 1 [ 2 [ ] ] { } ] ->JSON", "[\"[1,[2,[]],{}]\"]");
    expect_stack("{ 'b' 1 'a' 2 } ->JSON", "[\"{\\\"b\\\":1,\\\"a\\\":2}\"]");
    /* keys are stringified */
    expect_stack("{ 1 'a' 2.5 'b' T 'c' 1.0E10 'd' } ->JSON",
                 "[\"{\\\"1\\\":\\\"a\\\",\\\"2.5\\\":\\\"b\\\",\\\"true\\\":\\\"c\\\",\\\"1.0E10\\\":\\\"d\\\"}\"]");
    expect_stack("{ 'k%C3%A9' [ 1.5 ] } ->JSON", "[\"{\\\"k\\\\u00E9\\\":[1.5]}\"]");
    expect_stack("<% 1 2 'a b' %> ->JSON", "[\"\\\"<% 1 2 'a%20b' %>\\\"\"]");
    expect_stack("MARK ->JSON", "[\"null\"]");
}

Test(tojson, bytes_as_latin1)
{
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_push_bytes(vm, "\xE9\x01z", 3), EXO_OK);
    const char *src = "->JSON";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t"), EXO_OK);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[\"\\\"\\\\u00E9\\\\u0001z\\\"\"]");
    exo_vm_free(vm);
}

Test(tojson, strict_and_loose)
{
    expect_stack("JSONSTRICT [ NaN Infinity -Infinity 1.5 ] ->JSON JSONLOOSE",
                 "[\"[\\\"NaN\\\",\\\"Infinity\\\",\\\"-Infinity\\\",1.5]\"]");
    expect_stack("JSONSTRICT JSONLOOSE [ NaN ] ->JSON", "[\"[NaN]\"]");
    /* the flags govern the stack output too */
    expect_stack("JSONSTRICT NaN Infinity", "[\"Infinity\",\"NaN\"]");
    expect_stack("NaN", "[NaN]");
}

Test(tojson, pretty_and_compact)
{
    expect_stack("JSONPRETTY { 'a' [ 1 2 ] 'b' { } 'c' [ ] 'd' { 'e' NaN } } ->JSON JSONCOMPACT",
                 "[\"{\\n  \\\"a\\\": [\\n    1,\\n    2\\n  ],\\n  \\\"b\\\": {},\\n  \\\"c\\\": [],\\n  \\\"d\\\": {\\n"
                 "    \\\"e\\\": NaN\\n  }\\n}\"]");
    expect_stack("JSONPRETTY 42 ->JSON JSONCOMPACT", "[\"42\"]");
    expect_stack("JSONPRETTY JSONCOMPACT [ 1 2 ] ->JSON", "[\"[1,2]\"]");
    expect_stack("JSONPRETTY [ 1 [ 2 ] ]", "[\n  [\n    1,\n    [\n      2\n    ]\n  ]\n]");
    expect_stack("JSONPRETTY", "[]");
}

Test(tojson, errors_and_limits)
{
    expect_error("->JSON", "Empty stack.", "[]");

    /* a list holding itself: nested too deeply, stack unchanged */
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_push_list(vm), EXO_OK);
    const char *dup = "DUP";
    cr_assert_eq(exo_eval(vm, dup, 3, "t"), EXO_OK);
    cr_assert_eq(exo_list_append(vm), EXO_OK);
    const char *src = "->JSON";
    cr_assert_neq(exo_eval(vm, src, strlen(src), "t"), EXO_OK);
    cr_assert_str_eq(exo_last_error(vm)->message, "Value nested too deeply to convert to JSON (more than 2048 levels).");
    cr_assert_eq(exo_depth(vm), 1);
    cr_assert_eq(exo_type_at(vm, 0), EXO_T_LIST);
    exo_vm_free(vm);

    /* maxstring bounds the text, also for a DAG that would be 2^60 leaves */
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    cfg.limits.maxstring = 1000;
    vm = exo_vm_new(&cfg);
    src = "[ 1 2 3 ] ->JSON";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t"), EXO_OK);
    exo_clear(vm);
    char big[2048];
    char *p = big + sprintf(big, "[ ] ");
    for (int i = 0; i < 60; i++)
        p += sprintf(p, "[ SWAP DUP ] ");
    cr_assert_eq(exo_eval(vm, big, strlen(big), "t"), EXO_OK, "%s", exo_last_error(vm)->message);
    cr_assert_neq(exo_eval(vm, "->JSON", 6, "t"), EXO_OK);
    cr_assert(strstr(exo_last_error(vm)->message, "JSON text would exceed the limit of 1000 bytes (maxstring)."), "%s",
              exo_last_error(vm)->message);
    cr_assert_eq(exo_depth(vm), 1);
    exo_vm_free(vm);
}

/* ---- JSON-> ---- */

Test(jsonto, values)
{
    expect_stack("'42' JSON->", "[42]");
    expect_stack("'-0' JSON->", "[0]");
    expect_stack("'-0.0' JSON->", "[-0.0]");
    expect_stack("'1.0' JSON->", "[1.0]");
    expect_stack("'1e2' JSON->", "[100.0]");
    expect_stack("'1.5E-3' JSON->", "[0.0015]");
    expect_stack("'1E400' JSON->", "[Infinity]");
    expect_stack("'true' JSON-> 'false' JSON-> 'null' JSON->", "[null,false,true]");
    expect_stack("'\"x\"' JSON->", "[\"x\"]");
    expect_stack("'[]' JSON-> '{}' JSON->", "[{},[]]");
    expect_stack("'[NaN,Infinity,-Infinity]' JSON->", "[[NaN,Infinity,-Infinity]]");
    expect_stack("'%20%09%0A%0D[%201%20,%0A2%20]%20' JSON->", "[[1,2]]");
    expect_stack("'0.1000000000000000000000000000000000000000000000000000000000000000000000000001' JSON->", "[0.1]");
}

Test(jsonto, longs_stay_exact)
{
    expect_stack("'[9223372036854775807,-9223372036854775808]' JSON->", "[[9223372036854775807,-9223372036854775808]]");
    expect_stack("'9223372036854775808' JSON->", "[9.223372036854776E18]");
    expect_stack("'-9223372036854775809' JSON->", "[-9.223372036854776E18]");
    expect_stack("'12345678901234567890123' JSON->", "[1.2345678901234568E22]");
    expect_stack("'9007199254740993' JSON->", "[9007199254740993]");
}

Test(jsonto, maps_keep_order)
{
    expect_stack("'{\"b\":1,\"a\":{\"z\":[true],\"y\":null}}' JSON->", "[{\"b\":1,\"a\":{\"z\":[true],\"y\":null}}]");
    /* a repeated key: the last value wins, at the first position */
    expect_stack("'{\"a\":1,\"b\":2,\"a\":3}' JSON->", "[{\"a\":3,\"b\":2}]");
    expect_stack("'{\"a\":1}' JSON-> TYPEOF", "[\"MAP\"]");
    expect_stack("'[1]' JSON-> TYPEOF", "[\"LIST\"]");
}

Test(jsonto, string_escapes)
{
    expect_stack("'\"%5C%22%5C%5C%5C/%5Cb%5Cf%5Cn%5Cr%5Ct\"' JSON-> ->JSON",
                 "[\"\\\"\\\\\\\"\\\\\\\\/\\\\b\\\\f\\\\n\\\\r\\\\t\\\"\"]");
    expect_stack("'\"%5Cu00e9%5Cu20AC\"' JSON->", "[\"\\u00E9\\u20AC\"]");
    /* a surrogate pair is one code point, four UTF-8 bytes */
    exo_status st;
    exo_vm *vm = run_on("\"\\ud83d\\ude00\"", 14, "JSON->", &st);
    cr_assert_eq(st, EXO_OK, "%s", exo_last_error(vm)->message);
    size_t len;
    const char *s = exo_get_string(vm, 0, &len);
    cr_assert_eq(len, 4);
    cr_assert_eq(memcmp(s, "\xF0\x9F\x98\x80", 4), 0);
    exo_vm_free(vm);
    /* \u0000 is kept inside the string */
    vm = run_on("\"a\\u0000b\"", 10, "JSON->", &st);
    cr_assert_eq(st, EXO_OK);
    s = exo_get_string(vm, 0, &len);
    cr_assert_eq(len, 3);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[\"a\\u0000b\"]");
    exo_vm_free(vm);
    /* lone surrogates survive a round trip */
    expect_stack("'\"%5Cud800x%5CuDC00\"' JSON->", "[\"\\uD800x\\uDC00\"]");
    expect_stack("'\"%5CuD83D%5Cu0041\"' JSON->", "[\"\\uD83DA\"]");
    /* raw UTF-8 passes through */
    expect_stack("'\"caf%C3%A9\"' JSON->", "[\"caf\\u00E9\"]");
}

Test(jsonto, round_trips)
{
    expect_stack("'{\"a\":[1,-2.5,\"x%C3%A9\",{\"b\":null}],\"c\":true}' JSON-> ->JSON JSON-> ->JSON",
                 "[\"{\\\"a\\\":[1,-2.5,\\\"x\\\\u00E9\\\",{\\\"b\\\":null}],\\\"c\\\":true}\"]");
    expect_stack("JSONPRETTY { 'a' [ 1 { 'b' 2 } ] } ->JSON JSONCOMPACT JSON-> ->JSON",
                 "[\"{\\\"a\\\":[1,{\\\"b\\\":2}]}\"]");
}

/* Each malformed input fails with its message and offset; the string stays. */
Test(jsonto, errors_with_offsets)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"", "unexpected end of input at offset 0."},
        {"   ", "unexpected end of input at offset 3."},
        {"[1,", "unexpected end of input at offset 3."},
        {"[1 2]", "expected ',' or ']' at offset 3."},
        {"{\"a\" 1}", "expected ':' at offset 5."},
        {"{\"a\":1,}", "expected a string key at offset 7."},
        {"{1:2}", "expected a string key at offset 1."},
        {"{\"a\":1 \"b\":2}", "expected ',' or '}' at offset 7."},
        {"01", "leading zero in number at offset 1."},
        {"-", "bad number at offset 1."},
        {"1.", "bad number at offset 2."},
        {"1.e5", "bad number at offset 2."},
        {"1e", "bad number at offset 2."},
        {"1e+", "bad number at offset 3."},
        {"+1", "unexpected character at offset 0."},
        {".5", "unexpected character at offset 0."},
        {"tru", "unexpected character at offset 0."},
        {"nul", "unexpected character at offset 0."},
        {"True", "unexpected character at offset 0."},
        {"\"abc", "unterminated string at offset 4."},
        {"\"abc\\", "unterminated string at offset 4."},
        {"\"a\\x\"", "bad escape at offset 2."},
        {"\"a\\u12G4\"", "bad \\u escape at offset 2."},
        {"\"a\\u12\"", "bad \\u escape at offset 2."},
        {"\"a\tb\"", "control character in string at offset 2."},
        {"\"a\nb\"", "control character in string at offset 2."},
        {"'a'", "unexpected character at offset 0."},
        {"[1,[2,{\"x\":}]]", "unexpected character at offset 11."},
        {"1x", "trailing characters at offset 1."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        exo_status st;
        exo_vm *vm = run_on(cases[i].text, strlen(cases[i].text), "JSON->", &st);
        cr_assert_neq(st, EXO_OK, "'%s' should fail", cases[i].text);
        char want[200];
        snprintf(want, sizeof want, "JSON-> could not parse the input: %s", cases[i].msg);
        cr_assert_str_eq(exo_last_error(vm)->message, want, "input '%s'", cases[i].text);
        cr_assert_eq(exo_depth(vm), 1);
        size_t len;
        const char *s = exo_get_string(vm, 0, &len);
        cr_assert(s && len == strlen(cases[i].text) && memcmp(s, cases[i].text, len) == 0);
        exo_vm_free(vm);
    }
    expect_error("42 JSON->", "JSON-> expects a STRING at depth 1, got LONG.", "[42]");
    expect_error("JSON->", "Empty stack.", "[]");
}

/* Jackson's ObjectMapper.readValue as JsonUtils configures it: what follows
 * the first value is not read, and ALLOW_MISSING_VALUES makes an empty array
 * slot a null */
Test(jsonto, like_jackson)
{
    expect_stack("'[1] x' JSON->", "[[1]]");
    expect_stack("'1 2' JSON->", "[1]");
    expect_stack("'{\"a\":1}}' JSON->", "[{\"a\":1}]");
    expect_stack("'[1,,2]' JSON->", "[[1,null,2]]");
    expect_stack("'[1,]' JSON->", "[[1,null]]");
    expect_stack("'[,]' JSON->", "[[null,null]]");
    expect_stack("'[ , 1 ]' JSON->", "[[null,1]]");
}

Test(jsonto, deep_nesting)
{
    size_t n = 100000;
    char *text = malloc(n);
    memset(text, '[', n);
    exo_status st;
    exo_vm *vm = run_on(text, n, "JSON->", &st);
    cr_assert_neq(st, EXO_OK);
    cr_assert_str_eq(exo_last_error(vm)->message, "JSON-> input nested too deeply (more than 2048 levels).");
    cr_assert_eq(exo_depth(vm), 1);
    exo_vm_free(vm);
    /* 2000 levels parse, and write back */
    n = 2000;
    char *ok = malloc(2 * n);
    memset(ok, '[', n);
    memset(ok + n, ']', n);
    vm = run_on(ok, 2 * n, "JSON-> ->JSON", &st);
    cr_assert_eq(st, EXO_OK, "%s", exo_last_error(vm)->message);
    size_t len;
    const char *s = exo_get_string(vm, 0, &len);
    cr_assert(len == 2 * n && memcmp(s, ok, len) == 0);
    exo_vm_free(vm);
    free(text);
    free(ok);
}

Test(jsonto, limits)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    cfg.limits.maxlist = 3;
    exo_vm *vm = exo_vm_new(&cfg);
    const char *src = "'[1,2,3]' JSON-> '[1,2,3,4]' JSON->";
    cr_assert_neq(exo_eval(vm, src, strlen(src), "t"), EXO_OK);
    cr_assert(strstr(exo_last_error(vm)->message, "(maxlist)"), "%s", exo_last_error(vm)->message);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[\"[1,2,3,4]\",[1,2,3]]");
    exo_vm_free(vm);
}

/* Every allocation failing in turn: an error each time, no crash, no leak. */
Test(json, allocation_failures)
{
    const char *src = "'{\"a\":[1,2.5,\"x%C3%A9\",{\"b\":[null,true]}],\"c\":\"%5Cud83d%5Cude00\"}' JSON-> DUP ->JSON "
                      "JSONPRETTY ->JSON JSON->";
    oom_sweep(src, OOM_COLD);
}
