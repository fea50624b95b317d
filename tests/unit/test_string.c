/* String words (builtins/string.c): results on ASCII, non-ASCII and NUL
 * bytes, empty inputs and huge counts, the Java regex subset, the codecs,
 * charsets, TEMPLATE and UUID, every error with its message and the stack
 * left as it was, and allocation failures at every step. */
#include "harness.h"
#include "oom.h"

#include "vm.h"

/* ---- SUBSTRING ---- */

Test(string, substring)
{
    expect_stack("'hello' 1 SUBSTRING", "[\"ello\"]");
    expect_stack("'hello' 1 2 SUBSTRING", "[\"el\"]");
    expect_stack("'hello' -3 SUBSTRING", "[\"llo\"]");
    expect_stack("'hello' -5 SUBSTRING", "[\"hello\"]");
    expect_stack("'hello' 1 100 SUBSTRING", "[\"ello\"]");
    expect_stack("'hello' 4 0 SUBSTRING", "[\"\"]");
    expect_stack("'hello' -2 1 SUBSTRING", "[\"l\"]");
    expect_stack("'hello' 0 MAXLONG SUBSTRING", "[\"hello\"]");
    /* characters, not bytes */
    expect_stack("'caf%C3%A9s' 3 1 SUBSTRING", "[\"\\u00E9\"]");
    expect_stack("'caf%C3%A9s' -2 SUBSTRING", "[\"\\u00E9s\"]");
    expect_stack("'%F0%9F%98%80x' 1 SUBSTRING", "[\"x\"]");
    expect_stack("'a%00b' 1 1 SUBSTRING", "[\"\\u0000\"]");
    /* BYTES */
    expect_stack("'abc' 'UTF-8' ->BYTES 1 SUBSTRING ->HEX", "[\"6263\"]");
    expect_stack("'abcd' 'UTF-8' ->BYTES -3 2 SUBSTRING ->HEX", "[\"6263\"]");
}

Test(string, substring_errors)
{
    expect_error("'hello' 5 SUBSTRING", "SUBSTRING index out of bound, 5 >= 5", "[5,\"hello\"]");
    expect_error("'' 0 SUBSTRING", "SUBSTRING index out of bound, 0 >= 0", "[0,\"\"]");
    expect_error("'hello' -6 SUBSTRING", "SUBSTRING index out of bound, -6 < -5", "[-6,\"hello\"]");
    expect_error("'hello' MINLONG SUBSTRING", "index out of bound, -9223372036854775808 < -5",
                 "[-9223372036854775808,\"hello\"]");
    expect_error("'hello' MAXLONG 1 SUBSTRING", "index out of bound, 9223372036854775807 >= 5",
                 "[1,9223372036854775807,\"hello\"]");
    expect_error("'hello' 1 -1 SUBSTRING", "SUBSTRING expects a non-negative length, got -1.", "[-1,1,\"hello\"]");
    expect_error("'hello' 'x' SUBSTRING", "SUBSTRING expects a LONG at depth 1, got STRING.", "[\"x\",\"hello\"]");
    expect_error("1 2 3 SUBSTRING", "SUBSTRING expects a STRING or BYTES at depth 3, got LONG.", "[3,2,1]");
    expect_error("[] 1 SUBSTRING", "SUBSTRING expects a STRING, BYTES or LONG at depth 2, got LIST.", "[1,[]]");
    expect_error("1 2 SUBSTRING", "Empty stack.", "[2,1]");
    expect_error("1 SUBSTRING", "Empty stack.", "[1]");
}

/* ---- SPLIT / JOIN ---- */

Test(string, split)
{
    expect_stack("'a,b,,c,' ',' SPLIT", "[[\"a\",\"b\",\"\",\"c\",\"\"]]");
    expect_stack("',' ',' SPLIT", "[[\"\",\"\"]]");
    expect_stack("'' ',' SPLIT", "[[\"\"]]");
    expect_stack("'abc' ',' SPLIT", "[[\"abc\"]]");
    expect_stack("'a,b,c' ',' 2 SPLIT", "[[\"a\",\"b,c\"]]");
    expect_stack("'a,b,c' ',' 1 SPLIT", "[[\"a,b,c\"]]");
    expect_stack("'a,b,c' ',' 3 SPLIT", "[[\"a\",\"b\",\"c\"]]");
    expect_stack("'a,b,c' ',' MAXLONG SPLIT", "[[\"a\",\"b\",\"c\"]]");
    expect_stack("'a%C3%A9b%C3%A9' '%C3%A9' SPLIT", "[[\"a\",\"b\",\"\"]]");
    expect_stack("'%C3%A9,x' ',' SPLIT", "[[\"\\u00E9\",\"x\"]]");
    expect_stack("'a%00b' '%00' SPLIT", "[[\"a\",\"b\"]]");
    expect_stack("'a b' ' ' SPLIT", "[[\"a\",\"b\"]]");
}

Test(string, split_errors)
{
    expect_error("'a,b' ',' 0 SPLIT", "SPLIT expects the limit to be a strictly positive integer.", "[0,\",\",\"a,b\"]");
    expect_error("'a,b' ',' -1 SPLIT", "strictly positive", "[-1,\",\",\"a,b\"]");
    expect_error("'a,b' ',,' SPLIT", "SPLIT expects a string delimiter of length 1.", "[\",,\",\"a,b\"]");
    expect_error("'a,b' '' SPLIT", "SPLIT expects a string delimiter of length 1.", "[\"\",\"a,b\"]");
    expect_error("'a,b' 1 SPLIT", "Empty stack.", "[1,\"a,b\"]");
    expect_error("'a,b' 1 2 SPLIT", "SPLIT expects a STRING delimiter at depth 2, got LONG.", "[2,1,\"a,b\"]");
    expect_error("1 ',' SPLIT", "SPLIT expects a STRING at depth 2, got LONG.", "[\",\",1]");
    expect_error("1 ',' 2 SPLIT", "SPLIT expects a STRING at depth 3, got LONG.", "[2,\",\",1]");
}

Test(string, join)
{
    expect_stack("[ 'a' 'b' 'c' ] ',' JOIN", "[\"a,b,c\"]");
    expect_stack("[] ',' JOIN", "[\"\"]");
    expect_stack("[ 'a' ] ', ' JOIN", "[\"a\"]");
    /* the reference separates only once the text is non-empty */
    expect_stack("[ '' 'a' ] ',' JOIN", "[\"a\"]");
    expect_stack("[ 'a' '' ] ',' JOIN", "[\"a,\"]");
    expect_stack("[ '' '' 'b' ] '-' JOIN", "[\"b\"]");
    /* elements as Java's String.valueOf */
    expect_stack("[ 1 2.5 1e10 true NULL [ 1 'x' ] { 'k' 1 } ] '|' JOIN",
                 "[\"1|2.5|1.0E10|true|null|[1, x]|{k=1}\"]");
    expect_stack("'a' 'b' 'c' '/' 3 JOIN", "[\"a/b/c\"]");
    expect_stack("'x' 'a' 1 '' 2 JOIN", "[\"a1\",\"x\"]");
    expect_stack("'x' '/' 0 JOIN", "[\"\",\"x\"]");
    expect_stack("'a' '/' 1 JOIN", "[\"a\"]");
    expect_stack("'caf%C3%A9' 'b' '%C3%A9' 2 JOIN", "[\"caf\\u00E9\\u00E9b\"]");
}

Test(string, join_errors)
{
    expect_error("1 ',' JOIN", "JOIN expects a LIST at depth 2, got LONG.", "[\",\",1]");
    expect_error("[] 1.5 JOIN", "JOIN expects a STRING separator or a LONG count at depth 1, got DOUBLE.", "[1.5,[]]");
    expect_error("'a' 1 1 JOIN", "JOIN expects a STRING separator at depth 2, got LONG.", "[1,1,\"a\"]");
    expect_error("'a' ',' -1 JOIN", "JOIN expects a non-negative count, got -1.", "[-1,\",\",\"a\"]");
    expect_error("'a' ',' 2 JOIN", "Empty stack.", "[2,\",\",\"a\"]");
    expect_error("'a' ',' MAXLONG JOIN", "Empty stack.", "[9223372036854775807,\",\",\"a\"]");
}

/* ---- case, TRIM ---- */

Test(string, case_mapping)
{
    expect_stack("'Hello World 42' TOUPPER", "[\"HELLO WORLD 42\"]");
    expect_stack("'Hello World 42' TOLOWER", "[\"hello world 42\"]");
    expect_stack("'' TOUPPER '' TOLOWER", "[\"\",\"\"]");
    expect_stack("'caf%C3%A9 %C3%BF' TOUPPER", "[\"CAF\\u00C9 \\u0178\"]");
    expect_stack("'CAF%C3%89 %C5%B8' TOLOWER", "[\"caf\\u00E9 \\u00FF\"]");
    expect_stack("'stra%C3%9Fe' TOUPPER", "[\"STRASSE\"]");
    expect_stack("'%C3%97%C3%B7' TOUPPER", "[\"\\u00D7\\u00F7\"]");
    expect_stack("'%CE%B1%CE%B2%CF%82' TOUPPER", "[\"\\u0391\\u0392\\u03A3\"]");
    expect_stack("'%D0%9F%D0%A0%D0%98' TOLOWER", "[\"\\u043F\\u0440\\u0438\"]");
    expect_stack("'%C4%81%C5%82' TOUPPER", "[\"\\u0100\\u0141\"]");
    expect_stack("'%C4%B0' TOLOWER", "[\"i\\u0307\"]");
    expect_stack("'%E2%82%AC%F0%9F%98%80a' TOUPPER", "[\"\\u20AC\\uD83D\\uDE00A\"]");
    expect_stack("'a%00b' TOUPPER", "[\"A\\u0000B\"]");
}

Test(string, trim)
{
    expect_stack("'  a b  ' TRIM", "[\"a b\"]");
    expect_stack("'%09%0A x %0D%00' TRIM", "[\"x\"]");
    expect_stack("'' TRIM '   ' TRIM", "[\"\",\"\"]");
    expect_stack("'abc' TRIM", "[\"abc\"]");
    expect_stack("' %C3%A9 ' TRIM", "[\"\\u00E9\"]");
}

Test(string, case_trim_errors)
{
    expect_error("1 TOUPPER", "TOUPPER expects a STRING at depth 1, got LONG.", "[1]");
    expect_error("NULL TOLOWER", "TOLOWER expects a STRING at depth 1, got NULL.", "[null]");
    expect_error("[] TRIM", "TRIM expects a STRING at depth 1, got LIST.", "[[]]");
    expect_error("TRIM", "Empty stack.", "[]");
}

/* ---- regexes ---- */

Test(string, replace)
{
    expect_stack("'a1b22c333' '\\d+' 'N' REPLACE", "[\"aNb22c333\"]");
    expect_stack("'a1b22c333' '\\d+' 'N' REPLACEALL", "[\"aNbNcN\"]");
    expect_stack("'a1b22' '(\\d+)' '<$1>' REPLACEALL", "[\"a<1>b<22>\"]");
    expect_stack("'a1b22' '\\d+' '[$0]' REPLACEALL", "[\"a[1]b[22]\"]");
    expect_stack("'john smith' '(\\w+) (\\w+)' '$2, $1' REPLACE", "[\"smith, john\"]");
    expect_stack("'abc' 'x' 'y' REPLACEALL", "[\"abc\"]");
    expect_stack("'' 'x' 'y' REPLACEALL", "[\"\"]");
    expect_stack("'aaa' 'a' '' REPLACEALL", "[\"\"]");
    /* empty matches, as Java: between every character */
    expect_stack("'abc' 'x*' '-' REPLACEALL", "[\"-a-b-c-\"]");
    expect_stack("'aaa' 'a*' '-' REPLACEALL", "[\"--\"]");
    expect_stack("'' '' '-' REPLACEALL", "[\"-\"]");
    expect_stack("'%C3%A9%C3%A9' '' '-' REPLACEALL", "[\"-\\u00E9-\\u00E9-\"]");
    /* escapes in the replacement */
    expect_stack("'a.b' '\\.' '\\$' REPLACE", "[\"a$b\"]");
    expect_stack("'ab' 'a' '\\\\' REPLACE", "[\"\\\\b\"]");
    /* $12 is group 1 then '2' when there is no group 12 */
    expect_stack("'ab' '(a)' '$12' REPLACE", "[\"a2b\"]");
    /* an unset group expands to nothing */
    expect_stack("'b' '(a)?b' '[$1]' REPLACE", "[\"[]\"]");
    /* an invalid reference is only found when something matches */
    expect_stack("'abc' 'x' '$9' REPLACE", "[\"abc\"]");
    /* non-ASCII, NUL and '.' */
    expect_stack("'caf%C3%A9' '%C3%A9' 'e' REPLACE", "[\"cafe\"]");
    expect_stack("'caf%C3%A9' '.' 'x' REPLACEALL", "[\"xxxx\"]");
    expect_stack("'caf%C3%A9' '[^a]' 'x' REPLACEALL", "[\"xaxx\"]");
    expect_stack("'%C3%A9%C3%A9x' '%C3%A9+' 'E' REPLACE", "[\"Ex\"]");
    expect_stack("'a%00b' '%00' '-' REPLACE", "[\"a-b\"]");
    expect_stack("'a%0Ab' 'a.b' 'x' REPLACE", "[\"a\\nb\"]");
    expect_stack("'a%0Ab' '(?s)a.b' 'x' REPLACE", "[\"x\"]");
    /* ^ only at the start of the input */
    expect_stack("'aaa' '^a' 'b' REPLACEALL", "[\"baa\"]");
}

Test(string, regex_translation)
{
    expect_stack("'Hello World' '(?i)hello (\\w+)' MATCH", "[[\"Hello World\",\"World\"]]");
    expect_stack("'a-b_c' '[\\w-]+' MATCH", "[[\"a-b_c\"]]");
    expect_stack("'x]y' '[]x]+' 'Z' REPLACE", "[\"Zy\"]");
    expect_stack("'a^b' '[\\^]' '_' REPLACE", "[\"a_b\"]");
    expect_stack("'a-b' '[-]' '_' REPLACE", "[\"a_b\"]");
    expect_stack("'a[b' '[\\[]' '_' REPLACE", "[\"a_b\"]");
    expect_stack("'a.b' '[.]' '!' REPLACE", "[\"a!b\"]");
    expect_stack("'a\\b' '[\\\\]' '/' REPLACE", "[\"a/b\"]");
    expect_stack("'abc' '(?:a)(b)(c)' MATCH", "[[\"abc\",\"b\",\"c\"]]");
    expect_stack("'abc' '(?<first>a)(b)c' MATCH", "[[\"abc\",\"a\",\"b\"]]");
    expect_stack("'abcabc' '(abc)\\1' MATCH", "[[\"abcabc\",\"abc\"]]");
    expect_stack("'a+b' '\\Q+\\E' '-' REPLACE", "[\"a-b\"]");
    expect_stack("'tab%09x' '\\t' 'T' REPLACE", "[\"tabTx\"]");
    expect_stack("'A' '\\x41' 'b' REPLACE '%C3%A9' '\\u00e9' 'e' REPLACE", "[\"e\",\"b\"]");
    expect_stack("'a1 B2' '\\p{Upper}\\p{Digit}' MATCH", "[[]]");
    expect_stack("'B2' '\\p{Upper}\\p{Digit}' MATCH", "[[\"B2\"]]");
    expect_stack("'x y' '\\S\\s\\S' MATCH '12' '\\D*' MATCH", "[[],[\"x y\"]]");
    expect_stack("'aaa' 'a{2,3}' MATCH 'a' 'a{2}' MATCH", "[[],[\"aaa\"]]");
    expect_stack("'ab' 'a|ab' MATCH", "[[\"ab\"]]");
    expect_stack("'foo bar' '\\bbar' 'X' REPLACE", "[\"foo X\"]");
    expect_stack("'%C3%A9%C3%A8' '[%C3%A8%C3%A9]+' MATCH", "[[\"\\u00E9\\u00E8\"]]");
}

Test(string, replace_errors)
{
    expect_error("'abc' 'b' '$2' REPLACE", "REPLACE: no group 2 in the regular expression.", "[\"$2\",\"b\",\"abc\"]");
    expect_error("'abc' 'b' '$' REPLACE", "group index is missing", "[\"$\",\"b\",\"abc\"]");
    expect_error("'abc' 'b' '${x}' REPLACE", "named groups are not supported", "[\"${x}\",\"b\",\"abc\"]");
    expect_error("'abc' 'b' 'x\\' REPLACEALL", "REPLACEALL: character to be escaped is missing",
                 "[\"x\\\\\",\"b\",\"abc\"]");
    expect_error("'abc' '[' 'x' REPLACE", "REPLACE: unsupported regular expression '[': unclosed character class.",
                 "[\"x\",\"[\",\"abc\"]");
    expect_error("'abc' '(?=a)' 'x' REPLACE", "lookaround", "[\"x\",\"(?=a)\",\"abc\"]");
    expect_error("'abc' 'a*?' 'x' REPLACE", "lazy quantifiers", "[\"x\",\"a*?\",\"abc\"]");
    expect_error("'abc' 'a++' 'x' REPLACE", "possessive quantifiers", "[\"x\",\"a++\",\"abc\"]");
    expect_error("'abc' '[a&&b]' 'x' REPLACE", "class intersections", "[\"x\",\"[a&&b]\",\"abc\"]");
    expect_error("'abc' '\\2(a)' 'x' REPLACE", "undefined group", "[\"x\",\"\\\\2(a)\",\"abc\"]");
    expect_error("'abc' '\\y' 'x' REPLACE", "unsupported escape", "[\"x\",\"\\\\y\",\"abc\"]");
    expect_error("'abc' '(a' 'x' REPLACE", "REPLACE: invalid regular expression '(a'", "[\"x\",\"(a\",\"abc\"]");
    expect_error("'abc' 'a{' 'x' REPLACE", "illegal repetition", "[\"x\",\"a{\",\"abc\"]");
    expect_error("'abc' '[z-a]' 'x' REPLACE", "illegal character range", "[\"x\",\"[z-a]\",\"abc\"]");
    expect_error("'abc' '[%00]' 'x' REPLACE", "NUL character", "[\"x\",\"[\\u0000]\",\"abc\"]");
    expect_error("'abc' 'a)' 'x' REPLACE", "unmatched closing ')'", "[\"x\",\"a)\",\"abc\"]");
    expect_error("'abc' 'b' 1 REPLACE", "REPLACE expects a STRING replacement at depth 1, got LONG.",
                 "[1,\"b\",\"abc\"]");
    expect_error("'abc' 1 'x' REPLACE", "REPLACE expects a STRING regular expression at depth 2, got LONG.",
                 "[\"x\",1,\"abc\"]");
    expect_error("1 'a' 'x' REPLACEALL", "REPLACEALL expects a STRING at depth 3, got LONG.", "[\"x\",\"a\",1]");
    expect_error("'a' 'x' REPLACE", "Empty stack.", "[\"x\",\"a\"]");
}

Test(string, match)
{
    expect_stack("'2024-01-15' '(\\d+)-(\\d+)-(\\d+)' MATCH", "[[\"2024-01-15\",\"2024\",\"01\",\"15\"]]");
    expect_stack("'abc' 'b' MATCH", "[[]]");
    expect_stack("'abc' 'abc' MATCH", "[[\"abc\"]]");
    expect_stack("'abcd' 'abc' MATCH", "[[]]");
    expect_stack("'ab' '(a)(x)?b' MATCH", "[[\"ab\",\"a\",null]]");
    expect_stack("'' '' MATCH '' 'a' MATCH", "[[],[\"\"]]");
    expect_stack("'a%00b' 'a.b' MATCH", "[[\"a\\u0000b\"]]");
    expect_stack("'caf%C3%A9' '(.*)(.)' MATCH", "[[\"caf\\u00E9\",\"caf\",\"\\u00E9\"]]");
    expect_stack("'x' 'x' MATCHER MATCH", "[[\"x\"]]");
    expect_stack("'\\d+' MATCHER", "[\"\\\\d+\"]");
}

Test(string, match_errors)
{
    expect_error("'abc' 1 MATCH", "MATCH expects a STRING regular expression at depth 1, got LONG.", "[1,\"abc\"]");
    expect_error("1 'a' MATCH", "MATCH expects a STRING at depth 2, got LONG.", "[\"a\",1]");
    expect_error("'abc' '(?<=a)b' MATCH", "MATCH: unsupported regular expression", "[\"(?<=a)b\",\"abc\"]");
    expect_error("'(a' MATCHER", "MATCHER: invalid regular expression '(a'", "[\"(a\"]");
    expect_error("'a)' MATCHER", "MATCHER: unsupported regular expression 'a)': unmatched closing ')'.", "[\"a)\"]");
    expect_error("1 MATCHER", "MATCHER expects a STRING regular expression at depth 1, got LONG.", "[1]");
}

/* ---- URLENCODE / URLDECODE ---- */

Test(string, url)
{
    expect_stack("'a b&c' URLENCODE DUP URLDECODE", "[\"a b&c\",\"a%20b%26c\"]");
    expect_stack("'caf%C3%A9' URLENCODE", "[\"caf%C3%A9\"]");
    expect_stack("'*-._~+/' URLENCODE", "[\"*-._%7E%2B%2F\"]");
    expect_stack("'' URLENCODE '' URLDECODE", "[\"\",\"\"]");
    expect_stack("'a%00b' URLENCODE", "[\"a%00b\"]");
    /* URLDECODE turns '+' into a space (string literals do not) */
    expect_stack("'a+b%252Bc' URLDECODE", "[\"a b+c\"]");
    expect_stack("'caf%25C3%25A9' URLDECODE", "[\"caf\\u00E9\"]");
    expect_stack("'%25FF%2541' URLDECODE", "[\"\\uFFFDA\"]");
    expect_stack("'%2500' URLDECODE", "[\"\\u0000\"]");
    expect_stack("'%C3%A9' URLDECODE", "[\"\\u00E9\"]");
}

Test(string, url_errors)
{
    expect_error("'%25G1' URLDECODE", "URLDECODE: illegal hex characters in escape (%) pattern.", "[\"%G1\"]");
    expect_error("'a%254' URLDECODE", "URLDECODE: incomplete trailing escape (%) pattern.", "[\"a%4\"]");
    expect_error("'a%25' URLDECODE", "incomplete trailing escape", "[\"a%\"]");
    expect_error("1 URLENCODE", "URLENCODE expects a STRING at depth 1, got LONG.", "[1]");
    expect_error("'a' 'UTF-8' ->BYTES URLDECODE", "URLDECODE expects a STRING at depth 1, got BYTES.", "[\"a\"]");
}

/* ---- codecs ---- */

Test(string, hex_b64_bin)
{
    expect_stack("'hello' ->HEX", "[\"68656c6c6f\"]");
    expect_stack("'68656c6c6f' HEX-> 'UTF-8' BYTES->", "[\"hello\"]");
    expect_stack("'68 65%0A6C6C 6F' HEX-> ->HEX", "[\"68656c6c6f\"]");
    expect_stack("'' ->HEX '' HEX-> ->HEX", "[\"\",\"\"]");
    expect_stack("'caf%C3%A9' ->HEX", "[\"636166c3a9\"]");
    expect_stack("'00ff' HEX->", "[\"\\u0000\\u00FF\"]");
    expect_stack("'hello' ->B64 'hell' ->B64 'hel' ->B64 '' ->B64", "[\"\",\"aGVs\",\"aGVsbA==\",\"aGVsbG8=\"]");
    expect_stack("'aGVsbG8=' B64-> 'UTF-8' BYTES-> 'aGVsbA' B64-> 'UTF-8' BYTES->", "[\"hell\",\"hello\"]");
    expect_stack("'fbff' HEX-> DUP ->B64 SWAP ->B64URL", "[\"-_8=\",\"+/8=\"]");
    expect_stack("'-_8=' B64URL-> ->HEX '+/8' B64-> ->HEX", "[\"fbff\",\"fbff\"]");
    expect_stack("'A' ->BIN 'ff01' HEX-> ->BIN", "[\"1111111100000001\",\"01000001\"]");
    expect_stack("'01000001' BIN-> 'UTF-8' BYTES-> '101' BIN-> ->HEX '' BIN-> ->HEX", "[\"\",\"05\",\"A\"]");
    expect_stack("'100000001' BIN-> ->HEX", "[\"0101\"]");
}

Test(string, opb64)
{
    /* vectors of the reference's OrderPreservingBase64Test */
    expect_stack("'ff' HEX-> ->OPB64 'ffff' HEX-> ->OPB64 'ffffff' HEX-> ->OPB64 'ffffffff' HEX-> ->OPB64",
                 "[\"zzzzzk\",\"zzzz\",\"zzw\",\"zk\"]");
    expect_stack("'hello' ->OPB64", "[\"P5KgQ5w\"]");
    expect_stack("'P5KgQ5w' OPB64-> 'UTF-8' BYTES->", "[\"hello\"]");
    expect_stack("'' ->OPB64 '' OPB64-> ->HEX", "[\"\",\"\"]");
    expect_stack("'zk' OPB64-> ->HEX 'zzzzzk' OPB64-> ->HEX", "[\"ffffffff\",\"ff\"]");
    /* the order of the encodings is the order of the bytes */
    expect_stack("'00ff' HEX-> ->OPB64 '0100' HEX-> ->OPB64 <", "[true]");
    expect_stack("'686b' OPB64TOHEX", "[\"1c91e7\"]");
}

Test(string, recode)
{
    expect_stack("'68656c6c6f' HEXTOB64", "[\"aGVsbG8=\"]");
    expect_stack("'aGVsbG8=' B64TOHEX", "[\"68656c6c6f\"]");
    expect_stack("'0f' HEXTOBIN", "[\"00001111\"]");
    expect_stack("'00001111' BINTOHEX", "[\"0f\"]");
    expect_stack("'P5KgQ5w' OPB64TOHEX", "[\"68656c6c6f\"]");
}

Test(string, codec_errors)
{
    expect_error("'abc' HEX->", "HEX->: odd number of hexadecimal digits.", "[\"abc\"]");
    expect_error("'zz' HEX->", "HEX->: invalid hexadecimal character.", "[\"zz\"]");
    expect_error("'a' B64->", "B64->: invalid input length.", "[\"a\"]");
    expect_error("'ab=c' B64->", "B64->: unrecognized character.", "[\"ab=c\"]");
    expect_error("'-_8=' B64->", "B64->: unrecognized character.", "[\"-_8=\"]");
    expect_error("'+/8=' B64URL->", "B64URL->: unrecognized character.", "[\"+/8=\"]");
    expect_error("'0102' BIN->", "BIN->: invalid binary digit.", "[\"0102\"]");
    expect_error("'a/' OPB64->", "OPB64->: invalid order-preserving base64 text.", "[\"a/\"]");
    expect_error("'abcde' OPB64->", "invalid order-preserving base64 text", "[\"abcde\"]");
    expect_error("'xy' HEXTOB64", "HEXTOB64: invalid hexadecimal character.", "[\"xy\"]");
    expect_error("1 ->HEX", "->HEX expects a STRING or BYTES at depth 1, got LONG.", "[1]");
    expect_error("[] ->B64", "->B64 expects a STRING or BYTES at depth 1, got LIST.", "[[]]");
    expect_error("'61' HEX-> HEX->", "HEX-> expects a STRING at depth 1, got BYTES.", "[\"a\"]");
    expect_error("1 B64TOHEX", "B64TOHEX expects a STRING at depth 1, got LONG.", "[1]");
}

Test(string, codec_limits)
{
    exo_vm *vm = h_vm();
    vm->limits.maxstring = 10;
    const char *src = "'abcdef' ->BIN";
    cr_assert_neq(exo_eval(vm, src, strlen(src), "test"), EXO_OK);
    cr_assert(strstr(exo_last_error(vm)->message, "maxstring"), "%s", exo_last_error(vm)->message);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[\"abcdef\"]");
    exo_vm_free(vm);
}

/* ---- charsets ---- */

Test(string, charsets)
{
    expect_stack("'caf%C3%A9' 'UTF-8' ->BYTES ->HEX", "[\"636166c3a9\"]");
    expect_stack("'caf%C3%A9' 'utf8' ->BYTES 'UTF-8' BYTES->", "[\"caf\\u00E9\"]");
    expect_stack("'caf%C3%A9' 'ISO-8859-1' ->BYTES ->HEX", "[\"636166e9\"]");
    expect_stack("'636166e9' HEX-> 'ISO-8859-1' BYTES->", "[\"caf\\u00E9\"]");
    expect_stack("'%E2%82%AC' 'latin1' ->BYTES ->HEX", "[\"3f\"]");
    expect_stack("'caf%C3%A9' 'US-ASCII' ->BYTES ->HEX", "[\"6361663f\"]");
    expect_stack("'61e9' HEX-> 'ASCII' BYTES->", "[\"a\\uFFFD\"]");
    expect_stack("'a%C3%A9' 'UTF-16' ->BYTES ->HEX", "[\"feff006100e9\"]");
    expect_stack("'a%F0%9F%98%80' 'UTF-16BE' ->BYTES ->HEX", "[\"0061d83dde00\"]");
    expect_stack("'a%C3%A9' 'UTF-16LE' ->BYTES ->HEX", "[\"6100e900\"]");
    expect_stack("'fffe6100e900' HEX-> 'UTF-16' BYTES->", "[\"a\\u00E9\"]");
    expect_stack("'0061d83dde00' HEX-> 'utf-16be' BYTES->", "[\"a\\uD83D\\uDE00\"]");
    expect_stack("'d83d0061' HEX-> 'UTF-16BE' BYTES->", "[\"\\uFFFDa\"]");
    expect_stack("'006100' HEX-> 'UTF-16BE' BYTES->", "[\"a\\uFFFD\"]");
    /* malformed UTF-8 becomes U+FFFD (one per maximal subpart) */
    expect_stack("'61ff62c3' HEX-> 'UTF-8' BYTES->", "[\"a\\uFFFDb\\uFFFD\"]");
    expect_stack("'eda080' HEX-> 'UTF-8' BYTES->", "[\"\\uFFFD\\uFFFD\\uFFFD\"]");
    expect_stack("'c080' HEX-> 'UTF-8' BYTES->", "[\"\\uFFFD\\uFFFD\"]");
    expect_stack("'f09f98' HEX-> 'UTF-8' BYTES->", "[\"\\uFFFD\"]");
    expect_stack("'' 'UTF-8' ->BYTES 'UTF-8' BYTES->", "[\"\"]");
    expect_stack("'a%00b' 'UTF-8' ->BYTES ->HEX", "[\"610062\"]");
}

Test(string, charset_errors)
{
    expect_error("'a' 'EBCDIC' ->BYTES", "->BYTES unsupported encoding 'EBCDIC'", "[\"EBCDIC\",\"a\"]");
    expect_error("'61' HEX-> 'KOI8' BYTES->", "BYTES-> unsupported encoding 'KOI8'", "[\"KOI8\",\"a\"]");
    expect_error("'a' 1 ->BYTES", "->BYTES expects a STRING charset name at depth 1, got LONG.", "[1,\"a\"]");
    expect_error("1 'UTF-8' ->BYTES", "->BYTES expects a STRING at depth 2, got LONG.", "[\"UTF-8\",1]");
    expect_error("'a' 'UTF-8' BYTES->", "BYTES-> expects BYTES at depth 2, got STRING.", "[\"UTF-8\",\"a\"]");
}

/* ---- TEMPLATE ---- */

Test(string, template)
{
    expect_stack("'Hello {{name}}!' { 'name' 'World' } TEMPLATE", "[\"Hello World!\"]");
    expect_stack("'{{a}}|{{{a}}}|{{&a}}|{{ a }}' { 'a' '<b>&\"x\"' } TEMPLATE",
                 "[\"&lt;b&gt;&amp;&quot;x&quot;|<b>&\\\"x\\\"|<b>&\\\"x\\\"|&lt;b&gt;&amp;&quot;x&quot;\"]");
    expect_stack("'{{q}}' { 'q' '%27%60=%0A' } TEMPLATE", "[\"&#39;&#96;&#61;&#10;\"]");
    expect_stack("'{{n}} {{d}} {{b}} {{l}}' { 'n' 42 'd' 1.5 'b' true 'l' [ 1 'x' ] } TEMPLATE",
                 "[\"42 1.5 true [1, x]\"]");
    expect_stack("'{{a.b.c}}/{{a.x}}/{{missing}}/{{a.b.c.d}}' { 'a' { 'b' { 'c' 'deep' } } } TEMPLATE",
                 "[\"deep///\"]");
    expect_stack("'x{{! a comment }}y' {} TEMPLATE", "[\"xy\"]");
    expect_stack("'no tags' {} TEMPLATE '' {} TEMPLATE", "[\"\",\"no tags\"]");
    expect_stack("'caf%C3%A9 {{v}}' { 'v' '%C3%A9' } TEMPLATE", "[\"caf\\u00E9 \\u00E9\"]");
    expect_stack("'{ {x} }' { 'x' 1 } TEMPLATE", "[\"{ {x} }\"]");
}

/* mustache sections, as mustache.java renders them for TEMPLATE.java */
Test(string, template_sections)
{
    expect_stack("'a{{#l}}[{{.}}]{{/l}}b' { 'l' [ 1 2 ] } TEMPLATE", "[\"a[1][2]b\"]");
    expect_stack("'{{#e}}x{{/e}}{{^e}}empty{{/e}}' { 'e' [] } TEMPLATE", "[\"empty\"]");
    expect_stack("'{{^n}}none{{/n}}|{{#n}}x{{/n}}' { 'n' false } TEMPLATE", "[\"none|\"]");
    expect_stack("'{{#t}}yes{{/t}}' { 't' true } TEMPLATE", "[\"yes\"]");
    expect_stack("'{{#s}}[{{.}}]{{/s}}{{^s}}no{{/s}}' { 's' '' } TEMPLATE", "[\"no\"]"); /* "" is false */
    expect_stack("'{{#n}}<{{.}}>{{/n}}' { 'n' 0 } TEMPLATE", "[\"<0>\"]"); /* a number is true */
    /* a MAP is pushed as the scope; names not in it are found outside */
    expect_stack("'{{#m}}{{k}}-{{top}}{{/m}}' { 'm' { 'k' 'in' } 'top' 'T' } TEMPLATE", "[\"in-T\"]");
    expect_stack("'{{#a}}{{#b}}{{c}}{{/b}}{{/a}}' { 'a' { 'b' [ { 'c' 1 } { 'c' 2 } ] } } TEMPLATE", "[\"12\"]");
    expect_stack("'{{#missing}}x{{/missing}}.' {} TEMPLATE", "[\".\"]");
    /* standalone section and comment tags take their line away */
    expect_stack("'a%0A{{#l}}%0Ax%0A{{/l}}%0Ab' { 'l' [ 1 2 ] } TEMPLATE", "[\"a\\nx\\nx\\nb\"]");
    expect_stack("'a%0A  {{! c }}  %0Ab' {} TEMPLATE", "[\"a\\nb\"]");
    expect_stack("'a {{#t}}x{{/t}} b' { 't' true } TEMPLATE", "[\"a x b\"]");
}

Test(string, template_errors)
{
    expect_error("'{{#l}}x{{/k}}' { 'l' [] } TEMPLATE", "TEMPLATE failed: mismatched section end.",
                 "[{\"l\":[]},\"{{#l}}x{{/k}}\"]");
    expect_error("'{{#l}}x' {} TEMPLATE", "TEMPLATE failed: unclosed section.", "[{},\"{{#l}}x\"]");
    expect_error("'x{{/l}}' {} TEMPLATE", "TEMPLATE failed: unopened section end.", "[{},\"x{{/l}}\"]");
    expect_error("'{{> p}}' {} TEMPLATE", "TEMPLATE failed: partials and delimiter changes are not supported.",
                 "[{},\"{{> p}}\"]");
    expect_error("'a {{b' {} TEMPLATE", "TEMPLATE failed: unclosed tag.", "[{},\"a {{b\"]");
    expect_error("'x' { 'a' NULL } TEMPLATE", "TEMPLATE failed: invalid type NULL for template substitution.",
                 "[{\"a\":null},\"x\"]");
    expect_error("'x' { 'a' [ <% %> ] } TEMPLATE", "invalid type MACRO", "[{\"a\":[\"<% %>\"]},\"x\"]");
    expect_error("'x' [] TEMPLATE", "TEMPLATE expects a MAP at depth 1, got LIST.", "[[],\"x\"]");
    expect_error("1 {} TEMPLATE", "TEMPLATE expects a STRING at depth 2, got LONG.", "[{},1]");
}

/* ---- UUID ---- */

Test(string, uuid)
{
    expect_stack("UUID '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}' MATCH SIZE", "[1]");
    expect_stack("UUID UUID ==", "[false]");
    expect_stack("1 UUID DROP", "[1]");
}

/* ---- digests ---- */

Test(string, digests)
{
    expect_stack("'abc' 'UTF-8' ->BYTES DUP DUP MD5 ->HEX SWAP SHA1 ->HEX ROT SHA256 ->HEX",
                 "[\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\","
                 "\"a9993e364706816aba3e25717850c26c9cd0d89d\",\"900150983cd24fb0d6963f7d28e17f72\"]");
    expect_stack("'' HEX-> DUP DUP MD5 ->HEX SWAP SHA1 ->HEX ROT SHA256 ->HEX",
                 "[\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\","
                 "\"da39a3ee5e6b4b0d3255bfef95601890afd80709\",\"d41d8cd98f00b204e9800998ecf8427e\"]");
    /* 56 bytes: the length needs a second padding block */
    expect_stack("'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq' 'UTF-8' ->BYTES "
                 "DUP DUP MD5 ->HEX SWAP SHA1 ->HEX ROT SHA256 ->HEX",
                 "[\"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1\","
                 "\"84983e441c3bd26ebaae4aa1f95129e5e54670f1\",\"8215ef0796a20bcaaae116d3876c664a\"]");
    expect_stack("'abc' 'UTF-8' ->BYTES SHA256 SIZE", "[32]");
    expect_error("'abc' SHA256", "SHA256 expects BYTES at depth 1, got STRING.", "[\"abc\"]");
    expect_error("1 MD5", "MD5 expects BYTES at depth 1, got LONG.", "[1]");
}

/* ---- allocation failures ---- */

/* Every allocation failing in turn: an error or success, never a crash,
 * and no reference leaks (the memory in use returns to its level). */
Test(string, out_of_memory)
{
    const char *src = "'a,b,,c' ',' SPLIT '-' JOIN 'x' 'y' '+' 2 JOIN 'caf%C3%A9' TOUPPER ' t ' TRIM "
                      "'hello' 1 3 SUBSTRING 'a1b2' '(\\d)' '<$1>' REPLACEALL 'k9' '(\\w)(\\d)' MATCH "
                      "'a b' URLENCODE URLDECODE 'hi' ->HEX HEX-> ->B64 B64-> ->OPB64 OPB64-> ->BIN BIN-> "
                      "'UTF-8' BYTES-> 'UTF-16' ->BYTES 'UTF-16' BYTES-> "
                      "'{{a}} {{b.c}}' { 'a' [ 1 2 ] 'b' { 'c' '<' } } TEMPLATE UUID '0f' HEXTOB64 "
                      "'ab' 'UTF-8' ->BYTES SHA256 CLEAR";
    oom_sweep(src, OOM_STRICT);
}
