/* Tokenizer: the lexical rules of spec a.1-a.3, exercised through the
 * public API (what a script gives back on the stack or as an error). */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

Test(tokenizer, longs) { expect_stack("42 -7 +5 0", "[0,5,-7,42]"); }
Test(tokenizer, long_limits) { expect_stack("9223372036854775807 -9223372036854775808", "[-9223372036854775808,9223372036854775807]"); }
Test(tokenizer, long_out_of_range) { expect_error("9223372036854775808", "LONG literal out of range", "[]"); }
Test(tokenizer, hex_binary) { expect_stack("0x10 0xff 0b101 0xFFFFFFFFFFFFFFFF", "[-1,5,255,16]"); }
Test(tokenizer, hex_truncates_to_64_bits) { expect_stack("0x1FFFFFFFFFFFFFFFF", "[-1]"); }
Test(tokenizer, uppercase_x_is_a_word) { expect_error("0X1F", "Unknown function '0X1F'", "[]"); }
Test(tokenizer, doubles) { expect_stack("1. 1e3 2.5E-3 1.5e+2 -0.5", "[-0.5,150.0,0.0025,1000.0,1.0]"); }
Test(tokenizer, nan_infinity) { expect_stack("NaN Infinity -Infinity", "[-Infinity,Infinity,NaN]"); }
Test(tokenizer, not_numbers) { expect_error(".5", "Unknown function '.5'", "[]"); }
Test(tokenizer, not_numbers_two_dots) { expect_error("1.2.3", "Unknown function '1.2.3'", "[]"); }
Test(tokenizer, booleans_any_case) { expect_stack("T F true false TRUE False t", "[true,false,true,false,true,false,true]"); }
Test(tokenizer, strings) { expect_stack("'single' \"double\" 'with space' ''", "[\"\",\"with space\",\"double\",\"single\"]"); }
Test(tokenizer, quote_inside_string) { expect_stack("'it's'", "[\"it's\"]"); }
Test(tokenizer, string_needs_space_after_quote) { expect_error("'abc'DUP", "Cannot find end of string", "[]"); }
Test(tokenizer, unterminated_string) { expect_error("1 'abc", "Cannot find end of string", "[1]"); }
Test(tokenizer, percent_decoding) { expect_stack("'a%20b' '1+1%3D2' 'a+b' 'caf%C3%A9'", "[\"caf\\u00E9\",\"a+b\",\"1+1=2\",\"a b\"]"); }
Test(tokenizer, bad_percent) { expect_error("'a%2'", "Invalid percent-encoding", "[]"); }
Test(tokenizer, no_backslash_escapes) { expect_stack("'\\n'", "[\"\\\\n\"]"); }
Test(tokenizer, line_comments) { expect_stack("1 // two\n2 # three\n3 #four", "[3,2,1]"); }
Test(tokenizer, hash_inside_token_is_a_word) { expect_error("foo#bar", "Unknown function 'foo#bar'", "[]"); }
Test(tokenizer, block_comment_one_line) { expect_stack("1 /* 2 */ 3", "[3,1]"); }
Test(tokenizer, block_comment_lines) { expect_stack("1 /* 2\n 3 \n*/ 4", "[4,1]"); }
Test(tokenizer, block_comment_end_needs_space) { expect_stack("1 /* 2 */x 3 */ 4", "[4,1]"); }
Test(tokenizer, stray_comment_end) { expect_error("1 */", "Not inside a comment.", "[1]"); }
Test(tokenizer, unbalanced_comment) { expect_error("1 /* 2", "Unbalanced /* construct.", "[1]"); }
Test(tokenizer, multiline_string_raw) { expect_stack("<'\na%20b\n  c\n'>", "[\"a%20b\\n  c\"]"); }
Test(tokenizer, multiline_string_empty_first_line) { expect_stack("<'\n\nx\n'>", "[\"\\nx\"]"); }
Test(tokenizer, multiline_must_be_alone) { expect_error("1 <'", "Can only start multiline strings", "[1]"); }
Test(tokenizer, multiline_unbalanced) { expect_error("<'\nabc", "Unbalanced <' construct.", "[]"); }
Test(tokenizer, line_endings) { expect_stack("1\r\n2\r3\n4", "[4,3,2,1]"); }
Test(tokenizer, control_chars_separate) { expect_stack("1\t2\x01" "3", "[3,2,1]"); }
Test(tokenizer, macro_snapshot) { expect_stack("<% 1 2.5 'a b' DUP %>", "[\"<% 1 2.5 'a%20b' DUP %>\"]"); }
Test(tokenizer, unknown_word_in_macro_is_compile_error) { expect_error("1 <% NOPE %>", "Unknown function 'NOPE'", "[1]"); }
Test(tokenizer, macro_close_without_open) { expect_error("%>", "Not inside a macro definition.", "[]"); }
Test(tokenizer, unbalanced_macro) { expect_error("<% 1", "Unbalanced <% construct.", "[]"); }

Test(tokenizer, error_position)
{
    exo_vm *vm = h_vm();
    const char *src = "1\n  2 NOPE";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "f.mc2"), EXO_ERR_SYNTAX);
    const exo_error *e = exo_last_error(vm);
    cr_assert_str_eq(e->file, "f.mc2");
    cr_assert_eq(e->line, 2);
    cr_assert_eq(e->col, 5);
    cr_assert_str_eq(e->word, "NOPE");
    exo_vm_free(vm);
}

Test(tokenizer, huge_word_message_is_bounded)
{
    exo_vm *vm = h_vm();
    size_t n = 1 << 20;
    char *src = malloc(n + 1);
    memset(src, 'Q', n);
    src[n] = 0;
    cr_assert_eq(exo_eval(vm, src, n, "big"), EXO_ERR_SYNTAX);
    cr_assert_lt(strlen(exo_last_error(vm)->message), 200);
    free(src);
    exo_vm_free(vm);
}

Test(tokenizer, deep_macro_nesting_does_not_recurse)
{
    exo_vm *vm = h_vm();
    size_t n = 100000;
    char *src = malloc(n * 3 + n * 3 + 1), *p = src;
    for (size_t i = 0; i < n; i++, p += 3)
        memcpy(p, "<% ", 3);
    for (size_t i = 0; i < n; i++, p += 3)
        memcpy(p, "%> ", 3);
    cr_assert_eq(exo_eval(vm, src, (size_t)(p - src), "deep"), EXO_OK, "%s", exo_last_error(vm)->message);
    cr_assert_eq(exo_depth(vm), 1);
    free(src);
    exo_vm_free(vm);
}
