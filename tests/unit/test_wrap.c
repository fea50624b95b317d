/* WRAP family: byte-exact wrappers for small GTS, round trips of every
 * value type with and without location/elevation, bucketization and
 * non-ASCII metadata, the real Kepler-11 vector (UNWRAP equals PARSE of
 * the .gts file; WRAP of it gives Warp 10's gzipped records byte for byte),
 * hostile input (errors name the byte, stack unchanged), limits and
 * allocation failures. */
#include "harness.h"
#include "oom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "vm.h"
#include "wrap.h"

/* ---- helpers ---- */

static char *json_of(const char *src)
{
    exo_vm *vm = h_vm();
    exo_status st = exo_eval(vm, src, strlen(src), "test");
    cr_assert_eq(st, EXO_OK, "%s: %s", src, exo_last_error(vm)->message);
    char *out = strdup(exo_stack_json(vm, NULL));
    exo_vm_free(vm);
    return out;
}

/* src leaves one GTS: WRAP, WRAPRAW and WRAPOPT then UNWRAP give it back. */
static void roundtrip(const char *src)
{
    char *want = json_of(src);
    static const char *words[] = {"WRAP", "WRAPRAW", "WRAPOPT"};
    for (size_t i = 0; i < 3; i++) {
        char buf[4096];
        snprintf(buf, sizeof buf, "%s %s UNWRAP", src, words[i]);
        char *got = json_of(buf);
        cr_assert_str_eq(got, want, "%s via %s", src, words[i]);
        free(got);
    }
    free(want);
}

/* The whole (gunzipped) content of a file of the source tree's data/. */
static char *read_data(const char *name, size_t *len)
{
    const char *scripts = getenv("EXO_SCRIPTS"); /* <source>/tests/scripts */
    char path[4096];
    snprintf(path, sizeof path, "%s/../../data/%s", scripts ? scripts : "tests/scripts", name);
    gzFile f = gzopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t cap = 1 << 20, n = 0;
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

static void eval_ok(exo_vm *vm, const char *src)
{
    cr_assert_eq(exo_eval(vm, src, strlen(src), "test"), EXO_OK, "%s: %s", src, exo_last_error(vm)->message);
}

/* ---- byte format ---- */

Test(wrap, exact_bytes)
{
    /* metadata {name 'a', no labels, ids 0, no attributes}, base 0, records
     * 4c 02 54 (ts 1 as a zigzag delta to the base, LONG 42 zigzag), count 1,
     * not compressed (gzip would be longer) */
    expect_stack("NEWGTS 'a' RENAME 1 NaN NaN NaN 42 ADDVALUE WRAPRAW ->HEX",
                 "[\"1c1801611b00160016001b0000560018034c025416021200\"]");
    expect_stack("NEWGTS 'a' RENAME 1 NaN NaN NaN 42 ADDVALUE WRAP", "[\"60V0NGg.4V.L.0g..4N.5.CB._FL.W7.\"]");
    expect_stack("NEWGTS WRAPRAW ->HEX", "[\"1c18001b00160016001b00005600180016001200\"]");
    /* bucketization: lastbucket 500, bucketspan 100, bucketcount 5 */
    expect_stack("NEWGTS 'a' RENAME 100 NaN NaN NaN 1 ADDVALUE [ SWAP bucketizer.last 500 100 5 ] BUCKETIZE 0 GET "
                 "WRAPRAW ->HEX",
                 "[\"1c1801611b00160016001b000016e80716c801160a260018044cc8010216021200\"]");
}

Test(wrap, decimal_doubles)
{
    /* records written by Warp 10's WRAPOPT: scale byte + zigzag unscaled */
    expect_stack("'78053002f2c00100' HEX-> UNWRAP", "[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[0,123.45]]}]");
    /* same value again, then IEEE 754, then same (the IEEE one) */
    expect_stack("'78103002f2c001313440080000000000003500' HEX-> UNWRAP VALUES", "[[123.45,123.45,3.0,3.0]]");
    /* negative scale: 5E2; a scale of -30 with a large unscaled value */
    expect_stack("'780330fe0a00' HEX-> UNWRAP VALUES", "[[500.0]]");
    expect_stack("'780b301e80808080808080802000' HEX-> UNWRAP VALUES", "[[1.152921504606847E-12]]");
    /* WRAPOPT picks the decimal form for short decimals: the records are shorter */
    expect_stack("NEWGTS 1 NaN NaN NaN 0.1 ADDVALUE 2 NaN NaN NaN 0.1 ADDVALUE 3 NaN NaN NaN 12.5 ADDVALUE "
                 "DUP WRAPOPT OPB64-> SIZE SWAP WRAP OPB64-> SIZE <",
                 "[true]");
}

/* ---- round trips ---- */

Test(wrap, roundtrip_types)
{
    roundtrip("NEWGTS");
    roundtrip("NEWGTS 'c' RENAME { 'k' 'v' } RELABEL");
    roundtrip("NEWGTS 1 NaN NaN NaN 42 ADDVALUE 2 NaN NaN NaN 42 ADDVALUE 3 NaN NaN NaN -7 ADDVALUE "
              "4 NaN NaN NaN MAXLONG ADDVALUE 5 NaN NaN NaN MINLONG ADDVALUE 6 NaN NaN NaN 0 ADDVALUE "
              "7 NaN NaN NaN 281474976710656 ADDVALUE 8 NaN NaN NaN -281474976710656 ADDVALUE "
              "9 NaN NaN NaN MAXLONG ADDVALUE 10 NaN NaN NaN MAXLONG ADDVALUE");
    roundtrip("NEWGTS 0 NaN NaN NaN NaN ADDVALUE 1 NaN NaN NaN NaN ADDVALUE 2 NaN NaN NaN 0.0 ADDVALUE "
              "3 NaN NaN NaN -0.0 ADDVALUE 4 NaN NaN NaN Infinity ADDVALUE 5 NaN NaN NaN -Infinity ADDVALUE "
              "6 NaN NaN NaN 4.9E-324 ADDVALUE 7 NaN NaN NaN 0.1 ADDVALUE 8 NaN NaN NaN 0.1 ADDVALUE "
              "9 NaN NaN NaN 1.7976931348623157E308 ADDVALUE 10 NaN NaN NaN -123456.789 ADDVALUE "
              "11 NaN NaN NaN 1.0E-200 ADDVALUE 12 NaN NaN NaN 3.0E25 ADDVALUE 13 NaN NaN NaN 0.30000000000000004 ADDVALUE");
    roundtrip("NEWGTS 0 NaN NaN NaN T ADDVALUE 1 NaN NaN NaN F ADDVALUE 1 NaN NaN NaN F ADDVALUE "
              "2 NaN NaN NaN T ADDVALUE");
    roundtrip("NEWGTS 0 NaN NaN NaN 'x' ADDVALUE 1 NaN NaN NaN 'x' ADDVALUE 2 NaN NaN NaN '' ADDVALUE "
              "3 NaN NaN NaN 'd%C3%A9j%C3%A0 vu %E2%82%AC %F0%9F%98%80' ADDVALUE 4 NaN NaN NaN '' ADDVALUE");
}

Test(wrap, roundtrip_large)
{
    /* records compressing over 100 times are gzipped twice (compressionPasses 2) */
    /* (the tail: count 100000, compressed, compressionPasses 2) */
    expect_stack("NEWGTS 1 100000 <% 'i' STORE $i NaN NaN NaN 1 ADDVALUE %> FOR WRAPRAW DUP ->HEX DUP SIZE 16 - 16 "
                 "SUBSTRING SWAP DUP SIZE SWAP UNWRAP DUP SIZE SWAP LASTTICK",
                 "[100000,100000,86,\"16c09a0c11150400\"]");
    /* a string longer than the decoder's window */
    roundtrip("NEWGTS 1 NaN NaN NaN 'ab' 1 17 <% DROP DUP + %> FOR ADDVALUE 2 NaN NaN NaN 'x' ADDVALUE "
              "3 NaN NaN NaN 'ab' 1 16 <% DROP DUP + %> FOR ADDVALUE");
}

Test(wrap, roundtrip_ticks)
{
    /* base-relative, previous-relative and raw timestamps, out of order */
    roundtrip("NEWGTS 1000000 NaN NaN NaN 1 ADDVALUE 0 NaN NaN NaN 2 ADDVALUE -5 NaN NaN NaN 3 ADDVALUE "
              "MAXLONG NaN NaN NaN 4 ADDVALUE MINLONG NaN NaN NaN 5 ADDVALUE 281474976710656 NaN NaN NaN 6 ADDVALUE "
              "281474976710657 NaN NaN NaN 7 ADDVALUE 0 NaN NaN NaN 8 ADDVALUE 1368273684000000 NaN NaN NaN 9 ADDVALUE");
}

Test(wrap, roundtrip_geo)
{
    /* location and elevation on some points only; same, near and far values */
    roundtrip("NEWGTS 'geo' RENAME 1 48.0 -4.5 NaN 1.0 ADDVALUE 2 48.0 -4.5 NaN 2.0 ADDVALUE "
              "3 48.1 -4.5 NaN 3.0 ADDVALUE 4 NaN NaN NaN 4.0 ADDVALUE 5 -90.0 -180.0 NaN 5.0 ADDVALUE "
              "6 89.9 179.9 NaN 6.0 ADDVALUE 7 0.0 0.0 10 7.0 ADDVALUE 8 0.0 0.0 10 8.0 ADDVALUE "
              "9 NaN NaN 12 9.0 ADDVALUE 10 NaN NaN -4611686018427387904 10.0 ADDVALUE "
              "11 NaN NaN 4611686018427387904 11.0 ADDVALUE 12 NaN NaN 4611686018427387904 12.0 ADDVALUE "
              "13 NaN NaN MAXLONG 13.0 ADDVALUE 14 1.0 1.0 MINLONG 1 + 14.0 ADDVALUE 15 NaN NaN 0 15.0 ADDVALUE");
    roundtrip("NEWGTS 1 10.0 10.0 5 'a' ADDVALUE 2 10.0 10.0 5 'a' ADDVALUE 3 NaN NaN NaN 'b' ADDVALUE");
    roundtrip("NEWGTS 1 10.0 10.0 5 T ADDVALUE 2 10.0 10.0 NaN F ADDVALUE 3 NaN NaN 6 T ADDVALUE");
    roundtrip("NEWGTS 1 10.0 10.0 5 7 ADDVALUE 2 -10.0 -10.0 500000 7 ADDVALUE");
}

Test(wrap, roundtrip_metadata)
{
    /* non-ASCII class, labels and attributes; JSON shows them as \u escapes */
    const char *src = "NEWGTS '%C3%A9t%C3%A9.%E6%97%A5%E6%9C%AC' RENAME { 'cl%C3%A9' 'valeur%E2%82%AC' 'a' 'b' } "
                      "RELABEL { 'emoji' '%F0%9F%98%80' } SETATTRIBUTES 1 NaN NaN NaN 1 ADDVALUE";
    roundtrip(src);
    char buf[1024];
    snprintf(buf, sizeof buf, "%s WRAP UNWRAP", src);
    expect_stack(buf, "[{\"c\":\"\\u00E9t\\u00E9.\\u65E5\\u672C\",\"l\":{\"cl\\u00E9\":\"valeur\\u20AC\",\"a\":\"b\"},"
                      "\"a\":{\"emoji\":\"\\uD83D\\uDE00\"},\"la\":0,\"v\":[[1,1]]}]");
    /* bucketization survives, UNWRAPEMPTY keeps it without the points */
    const char *b = "NEWGTS 100 NaN NaN NaN 1.5 ADDVALUE 200 NaN NaN NaN 2.5 ADDVALUE 400 NaN NaN NaN 2.5 ADDVALUE "
                    "[ SWAP bucketizer.sum 500 100 0 ] BUCKETIZE 0 GET ";
    snprintf(buf, sizeof buf, "%s WRAP UNWRAP DUP BUCKETSPAN SWAP DUP LASTBUCKET SWAP DUP BUCKETCOUNT SWAP SIZE", b);
    expect_stack(buf, "[3,5,500,100]");
    snprintf(buf, sizeof buf, "%s WRAP UNWRAPEMPTY DUP BUCKETSPAN SWAP DUP LASTBUCKET SWAP DUP BUCKETCOUNT SWAP SIZE", b);
    expect_stack(buf, "[0,5,500,100]");
    roundtrip(b);
}

Test(wrap, lists_and_size)
{
    expect_stack("[ NEWGTS 'a' RENAME NEWGTS 'b' RENAME 1 NaN NaN NaN 1 ADDVALUE ] WRAP UNWRAP",
                 "[[{\"c\":\"a\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]},{\"c\":\"b\",\"l\":{},\"a\":{},\"la\":0,\"v\":[[1,1]]}]]");
    expect_stack("[ NEWGTS NEWGTS 1 NaN NaN NaN 1 ADDVALUE 2 NaN NaN NaN 1 ADDVALUE ] WRAPRAW UNWRAPSIZE", "[[0,2]]");
    expect_stack("[ ] WRAP", "[[]]");
    expect_stack("[ ] UNWRAP", "[[]]");
    expect_stack("NEWGTS 1 NaN NaN NaN 1 ADDVALUE WRAP UNWRAPSIZE", "[1]");
    /* base64 text with surrounding whitespace, as read from a file */
    expect_stack("' 60V0NGg.4V.L.0g..4N.5.CB._FL.W7.%0A' UNWRAPSIZE", "[1]");
}

/* ---- the real Kepler-11 light curve ---- */

Test(wrap, kepler)
{
    size_t wlen, glen;
    char *wrap = read_data("kepler-11.wrap.gz", &wlen);
    char *text = read_data("kepler-11.gts.gz", &glen);
    exo_vm *vm = h_vm();
    cr_assert_eq(exo_push_string(vm, text, glen), EXO_OK);
    eval_ok(vm, "PARSE 0 GET 'p' STORE");
    cr_assert_eq(exo_push_string(vm, wrap, wlen), EXO_OK);
    eval_ok(vm, "DUP UNWRAPSIZE 'n' STORE DUP UNWRAPEMPTY 'e' STORE UNWRAP 'u' STORE");
    eval_ok(vm, "$n $u SIZE $u NAME $u LABELS 'id' GET $u ATTRIBUTES 'status' GET $e SIZE $e LABELS SIZE");
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[3,0,\"CONFIRMED\",\"006541920\",\"kepler.sap.flux\",65435,65435]");
    exo_clear(vm);
    /* Warp 10 stored the points newest first */
    eval_ok(vm, "$u 0 ATINDEX $u 65434 ATINDEX");
    eval_ok(vm, "$u VALUES DUP 0 GET SWAP 65434 GET $u TICKS DUP 0 GET SWAP 65434 GET");
    cr_assert_str_eq(exo_stack_json(vm, NULL),
                     "[1368273684000000,1242173840000000,47073.640625,45200.48046875,"
                     "[1242173840000000,NaN,NaN,NaN,47073.640625],[1368273684000000,NaN,NaN,NaN,45200.48046875]]");
    exo_clear(vm);
    /* exactly the points of the .gts file */
    eval_ok(vm, "$p SORT 'p' STORE $u CLONE SORT 's' STORE DROP $p TICKS $s TICKS == $p VALUES $s VALUES == $p SIZE");
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[65435,true,true]");
    exo_clear(vm);
    eval_ok(vm, "$u WRAPRAW");
    size_t rlen;
    const char *raw = exo_get_string(vm, 0, &rlen);
    cr_assert_not_null(raw);
    /* the gzipped records equal Warp 10's byte for byte (the metadata
     * differs: exo writes class and labels ids as 0) */
    uint8_t *orig = malloc(wlen);
    long olen = 0;
    {
        exo_vm *v2 = h_vm();
        cr_assert_eq(exo_push_string(v2, wrap, wlen - (wlen && wrap[wlen - 1] == '\n')), EXO_OK);
        eval_ok(v2, "OPB64->");
        size_t n;
        const char *b = exo_get_string(v2, 0, &n);
        memcpy(orig, b, n);
        olen = (long)n;
        exo_vm_free(v2);
    }
    const uint8_t *go = memmem(orig, (size_t)olen, "\x1f\x8b\x08", 3);
    const uint8_t *gr = memmem(raw, rlen, "\x1f\x8b\x08", 3);
    cr_assert(go && gr);
    size_t tail_o = (size_t)(orig + olen - go), tail_r = (size_t)((const uint8_t *)raw + rlen - gr);
    cr_assert_eq(tail_o, tail_r);
    cr_assert(memcmp(go, gr, tail_o) == 0, "gzipped records differ from Warp 10's");
    free(orig);
    exo_clear(vm);
    /* and WRAP then UNWRAP gives it back */
    eval_ok(vm, "$u WRAP UNWRAP ->JSON $u ->JSON ==");
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[true]");
    exo_vm_free(vm);
    free(wrap);
    free(text);
}

/* ---- errors ---- */

Test(wrap, type_errors)
{
    expect_error("42 WRAP", "WRAP expects a GTS or a LIST of GTS at depth 1, got LONG.", "[42]");
    expect_error("[ NEWGTS 1 ] WRAPRAW", "WRAPRAW expects a GTS or a LIST of GTS at depth 1, got LIST.",
                 "[[{\"c\":\"\",\"l\":{},\"a\":{},\"la\":0,\"v\":[]},1]]");
    expect_error("WRAP", "Empty stack.", "[]");
    expect_error("42 UNWRAP", "UNWRAP expects a wrapped GTS (STRING or BYTES) or a LIST of them at depth 1, got LONG.",
                 "[42]");
    expect_error("[ 'x' 1 ] UNWRAPSIZE", "UNWRAPSIZE expects a wrapped GTS (STRING or BYTES) or a LIST of them",
                 "[[\"x\",1]]");
    expect_error("UNWRAPEMPTY", "Empty stack.", "[]");
}

Test(wrap, malformed)
{
    expect_error("'a!b' UNWRAP", "UNWRAP: invalid order-preserving base64 text.", "[\"a!b\"]");
    expect_error("'abcde' UNWRAP", "UNWRAP: invalid order-preserving base64 text.", "[\"abcde\"]");
    /* Thrift: truncated, unknown type, bad sizes, deep nesting */
    expect_error("'' UNWRAP", "UNWRAP: invalid wrapper data at byte 0 (truncated struct).", "[\"\"]");
    expect_error("'1c18' HEX-> UNWRAP", "UNWRAP: invalid wrapper data at byte 2 (truncated).",
                 "[\"\\u001C\\u0018\"]");
    expect_error("'1c1805' HEX-> UNWRAPSIZE", "UNWRAPSIZE: invalid wrapper data at byte 3 (size past the end).",
                 "[\"\\u001C\\u0018\\u0005\"]");
    expect_error("'1e00' HEX-> UNWRAP", "UNWRAP: invalid wrapper data at byte 1 (unknown field type).",
                 "[\"\\u001E\\u0000\"]");
    expect_error("'1b8080808010' HEX-> UNWRAP", "UNWRAP: invalid wrapper data at byte 6 (negative size).",
                 "[\"\\u001B\\u0080\\u0080\\u0080\\u0080\\u0010\"]");
    expect_error("'1c2b0588' HEX-> UNWRAP", "(size past the end)", "[\"\\u001C+\\u0005\\u0088\"]");
    expect_error("'1c2b01580000' HEX-> UNWRAP", "UNWRAP: invalid wrapper data at byte 4 (not a map of strings).",
                 "[\"\\u001C+\\u0001X\\u0000\\u0000\"]");
    expect_error("'66ffffffffffffffffffffff' HEX-> UNWRAP", "UNWRAP: invalid wrapper data at byte 11 (invalid varint).",
                 "[\"f\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\"]");
    /* a list nested 100 deep */
    {
        char hex[512] = "'19";
        for (int i = 0; i < 100; i++)
            strcat(hex, "19");
        strcat(hex, "' HEX-> UNWRAP");
        exo_vm *vm = h_vm();
        cr_assert_neq(exo_eval(vm, hex, strlen(hex), "test"), EXO_OK);
        cr_assert(strstr(exo_last_error(vm)->message, "(nested too deeply)"), "%s", exo_last_error(vm)->message);
        cr_assert_eq(exo_depth(vm), 1);
        exo_vm_free(vm);
    }
    /* gzip: garbage, truncated */
    expect_error("'78030102032100' HEX-> UNWRAP", "UNWRAP: invalid compressed data (incorrect header check).",
                 "[\"x\\u0003\\u0001\\u0002\\u0003!\\u0000\"]");
    expect_error("'78051f8b0800002100' HEX-> UNWRAP", "UNWRAP: invalid compressed data (truncated).",
                 "[\"x\\u0005\\u001F\\u008B\\b\\u0000\\u0000!\\u0000\"]");
    /* records: bad boolean flags, truncated fields, string past the end, bad varint */
    expect_error("'78012000' HEX-> UNWRAP", "UNWRAP: invalid encoded data at byte 0 (invalid boolean value).",
                 "[\"x\\u0001 \\u0000\"]");
    expect_error("'7802640000' HEX-> UNWRAP", "UNWRAP: invalid encoded data at byte 1 (truncated).",
                 "[\"x\\u0002d\\u0000\\u0000\"]");
    expect_error("'78043805616200' HEX-> UNWRAP", "UNWRAP: invalid encoded data at byte 2 (string past the end).",
                 "[\"x\\u00048\\u0005ab\\u0000\"]");
    expect_error("'780c4cffffffffffffffffffff0100' HEX-> UNWRAP", "UNWRAP: invalid encoded data at byte 11 (invalid varint).",
                 "[\"x\\fL\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\\u00FF\\u0001\\u0000\"]");
    expect_error("'780300050100' HEX-> UNWRAP", "(encrypted chunk past the end)",
                 "[\"x\\u0003\\u0000\\u0005\\u0001\\u0000\"]");
    /* an error inside a LIST leaves the LIST */
    expect_error("[ NEWGTS WRAP 'a!' ] UNWRAP", "UNWRAP: invalid order-preserving base64 text.",
                 "[[\"60V.5k.L.0N.5k..KV.N.0N.3V.\",\"a!\"]]");
}

Test(wrap, tolerated)
{
    /* an encrypted chunk without a key is skipped; a delete marker adds nothing;
     * a record cut after its flags ends the data (as in Warp 10) */
    expect_stack("'78060003aabbcc2400' HEX-> UNWRAP VALUES", "[[true]]");
    expect_stack("'7807000200004c025400' HEX-> UNWRAP VALUES", "[[42]]");
    expect_stack("'78012700' HEX-> UNWRAP VALUES", "[[]]");
    expect_stack("'7801a400' HEX-> UNWRAP SIZE", "[0]");
    /* unknown fields (with nested containers) are skipped */
    expect_stack("'09281c11001b01880161016200' HEX-> UNWRAPSIZE", "[0]");
    /* a boolean with non-boolean values converts like ADDVALUE: LONG then BOOLEAN */
    expect_stack("'78044c02002400' HEX-> UNWRAP VALUES", "[[0,1]]");
}

/* ---- limits and allocation failures ---- */

Test(wrap, limits)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    cfg.limits.maxpoints = 10;
    cfg.limits.maxmemory = 4u << 20;
    exo_vm *vm = exo_vm_new(&cfg);
    const char *src = "NEWGTS 0 19 <% 'i' STORE $i NaN NaN NaN $i ADDVALUE %> FOR WRAP UNWRAP";
    cr_assert_neq(exo_eval(vm, src, strlen(src), "test"), EXO_OK);
    cr_assert_str_eq(exo_last_error(vm)->message, "UNWRAP would return more than 10 points (maxpoints).");
    cr_assert_eq(exo_depth(vm), 1);
    exo_clear(vm);
    /* a gzip bomb: 64 MB of zeros in a 64 KB wrapper stops at maxmemory */
    {
        sbuf b;
        sb_init(&b, vm);
        size_t n = 64u << 20;
        uint8_t *zeros = calloc(1, n);
        cr_assert(wrap_gzip(vm, &b, zeros, n));
        free(zeros);
        uint8_t hdr[8];
        size_t h = 0;
        hdr[h++] = 0x78;
        for (size_t v = b.len; ; v >>= 7) {
            hdr[h++] = (uint8_t)(v >= 0x80 ? (v & 0x7f) | 0x80 : v);
            if (v < 0x80)
                break;
        }
        size_t total = h + b.len + 2;
        uint8_t *w = malloc(total);
        memcpy(w, hdr, h);
        memcpy(w + h, b.p, b.len);
        w[h + b.len] = 0x21;
        w[h + b.len + 1] = 0;
        sb_free(&b);
        cr_assert_eq(exo_push_bytes(vm, w, total), EXO_OK);
        free(w);
        cr_assert_neq(exo_eval(vm, "UNWRAP", 6, "test"), EXO_OK);
        cr_assert(strstr(exo_last_error(vm)->message, "(maxmemory)"), "%s", exo_last_error(vm)->message);
        cr_assert_eq(exo_depth(vm), 1);
    }
    exo_vm_free(vm);
}

Test(wrap, out_of_memory)
{
    const char *src = "NEWGTS 'c' RENAME { 'k' 'v' } RELABEL 1 48.0 2.0 5 'a' ADDVALUE 2 NaN NaN NaN 'b' ADDVALUE "
                      "DUP WRAP UNWRAP DROP DUP WRAPRAW UNWRAPEMPTY DROP DUP WRAPOPT UNWRAPSIZE DROP "
                      "[ SWAP ] WRAP UNWRAP CLEAR "
                      "NEWGTS 0 99 <% 'i' STORE $i NaN NaN NaN $i 2 / ADDVALUE %> FOR WRAP UNWRAP CLEAR";
    oom_sweep(src, OOM_STRICT);
}
