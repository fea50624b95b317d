/* Conversion words (builtins/convert.c): Java's Long.decode and
 * Double.valueOf rules, saturating casts, TOSTRING's number text, the
 * bit-level words, and every error with its message and the stack left
 * as it was. */
#include "harness.h"
#include "oom.h"

#include "vm.h"

/* ---- TOLONG ---- */

Test(convert, tolong_numbers)
{
    expect_stack("'42' TOLONG 3.9 TOLONG -3.9 TOLONG T TOLONG '0x10' TOLONG '010' TOLONG", "[8,16,1,-3,3,42]");
    expect_stack("42 TOLONG F TOLONG", "[0,42]");
    expect_stack("NaN TOLONG 1e30 TOLONG -1e30 TOLONG Infinity TOLONG -Infinity TOLONG",
                 "[-9223372036854775808,9223372036854775807,-9223372036854775808,9223372036854775807,0]");
    expect_stack("9.223372036854775E18 TOLONG -0.9 TOLONG", "[0,9223372036854774784]");
}

Test(convert, tolong_strings)
{
    /* Long.decode after trim: sign, 0x / 0X / # hex, leading 0 octal */
    expect_stack("' 42 ' TOLONG '+5' TOLONG '-17' TOLONG", "[-17,5,42]");
    expect_stack("'0' TOLONG '00' TOLONG '-0' TOLONG '07' TOLONG '-010' TOLONG", "[-8,7,0,0,0]");
    expect_stack("'0XfF' TOLONG '#ff' TOLONG '-0x10' TOLONG '-#1' TOLONG", "[-1,-16,255,255]");
    expect_stack("'9223372036854775807' TOLONG '-9223372036854775808' TOLONG",
                 "[-9223372036854775808,9223372036854775807]");
    expect_stack("'0x7fffffffffffffff' TOLONG '-0x8000000000000000' TOLONG '0777777777777777777777' TOLONG",
                 "[9223372036854775807,-9223372036854775808,9223372036854775807]");
    expect_stack("'%0912%0A' TOLONG", "[12]");
}

Test(convert, tolong_bytes)
{
    expect_stack("'ff' HEX-> TOLONG '00ff' HEX-> TOLONG '7f' HEX-> TOLONG", "[127,255,-1]");
    expect_stack("'0102030405060708' HEX-> TOLONG '8000000000000000' HEX-> TOLONG",
                 "[-9223372036854775808,72623859790382856]");
}

Test(convert, tolong_errors)
{
    expect_error("'1.5' TOLONG", "TOLONG cannot convert '1.5' to a LONG.", "[\"1.5\"]");
    expect_error("'' TOLONG", "TOLONG cannot convert '' to a LONG.", "[\"\"]");
    expect_error("'   ' TOLONG", "cannot convert", "[\"   \"]");
    expect_error("'08' TOLONG", "cannot convert '08'", "[\"08\"]");
    expect_error("'0x' TOLONG", "cannot convert", "[\"0x\"]");
    expect_error("'-' TOLONG", "cannot convert", "[\"-\"]");
    expect_error("'+-1' TOLONG", "cannot convert", "[\"+-1\"]");
    expect_error("'0x-1' TOLONG", "cannot convert", "[\"0x-1\"]");
    expect_error("'1e3' TOLONG", "cannot convert", "[\"1e3\"]");
    expect_error("'12a' TOLONG", "cannot convert", "[\"12a\"]");
    expect_error("'9223372036854775808' TOLONG", "cannot convert", "[\"9223372036854775808\"]");
    expect_error("'-9223372036854775809' TOLONG", "cannot convert", "[\"-9223372036854775809\"]");
    expect_error("'0x8000000000000000' TOLONG", "cannot convert", "[\"0x8000000000000000\"]");
    expect_error("'' HEX-> TOLONG", "TOLONG expects 1 to 8 bytes, got 0.", "[\"\"]");
    expect_error("'010203040506070809' HEX-> TOLONG", "TOLONG expects 1 to 8 bytes, got 9.",
                 "[\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\"]");
    expect_error("NULL TOLONG", "TOLONG expects a number, BOOLEAN, STRING or BYTES at depth 1, got NULL.", "[null]");
    expect_error("[] TOLONG", "got LIST.", "[[]]");
    expect_error("TOLONG", "Empty stack.", "[]");
}

/* ---- TODOUBLE ---- */

Test(convert, todouble)
{
    expect_stack("'1e3' TODOUBLE 'NaN' TODOUBLE 'Infinity' TODOUBLE '-Infinity' TODOUBLE",
                 "[-Infinity,Infinity,NaN,1000.0]");
    expect_stack("' 2.5 ' TODOUBLE '+.5' TODOUBLE '1.' TODOUBLE '-0' TODOUBLE", "[-0.0,1.0,0.5,2.5]");
    expect_stack("'1.5f' TODOUBLE '2D' TODOUBLE '1E-2' TODOUBLE '1e+2' TODOUBLE", "[100.0,0.01,2.0,1.5]");
    expect_stack("'0x1p4' TODOUBLE '0x1.8p1' TODOUBLE '-0X.8P0' TODOUBLE", "[-0.5,3.0,16.0]");
    expect_stack("'1e400' TODOUBLE '1e-400' TODOUBLE '-2.5e-10' TODOUBLE", "[-2.5E-10,0.0,Infinity]");
    expect_stack("'0.1' TODOUBLE '123456789012345678901234567890' TODOUBLE", "[1.2345678901234568E29,0.1]");
    expect_stack("42 TODOUBLE T TODOUBLE F TODOUBLE 2.5 TODOUBLE", "[2.5,0.0,1.0,42.0]");
    expect_stack("MAXLONG TODOUBLE", "[9.223372036854776E18]");
    expect_stack("'NaN' TODOUBLE ISNaN", "[true]");
}

Test(convert, todouble_errors)
{
    expect_error("'inf' TODOUBLE", "TODOUBLE cannot convert 'inf' to a DOUBLE.", "[\"inf\"]");
    expect_error("'nan' TODOUBLE", "cannot convert", "[\"nan\"]");
    expect_error("'' TODOUBLE", "cannot convert", "[\"\"]");
    expect_error("'1e' TODOUBLE", "cannot convert", "[\"1e\"]");
    expect_error("'.' TODOUBLE", "cannot convert", "[\".\"]");
    expect_error("'1.2.3' TODOUBLE", "cannot convert", "[\"1.2.3\"]");
    expect_error("'0x1' TODOUBLE", "cannot convert", "[\"0x1\"]");
    expect_error("'Infinityd' TODOUBLE", "cannot convert", "[\"Infinityd\"]");
    expect_error("'1,5' TODOUBLE", "cannot convert", "[\"1,5\"]");
    expect_error("NULL TODOUBLE", "TODOUBLE expects a number, BOOLEAN or STRING at depth 1, got NULL.", "[null]");
    expect_error("'a' 'UTF-8' ->BYTES TODOUBLE", "got BYTES.", "[\"a\"]");
}

/* ---- TOSTRING / TOBOOLEAN ---- */

Test(convert, tostring)
{
    expect_stack("42 TOSTRING -7 TOSTRING MINLONG TOSTRING", "[\"-9223372036854775808\",\"-7\",\"42\"]");
    expect_stack("1.0 TOSTRING 1e10 TOSTRING 0.001 TOSTRING 1.0E-4 TOSTRING 0.1 0.2 + TOSTRING",
                 "[\"0.30000000000000004\",\"1.0E-4\",\"0.001\",\"1.0E10\",\"1.0\"]");
    expect_stack("NaN TOSTRING Infinity TOSTRING -0.0 TOSTRING", "[\"-0.0\",\"Infinity\",\"NaN\"]");
    expect_stack("T TOSTRING F TOSTRING 'x' TOSTRING '' TOSTRING", "[\"\",\"x\",\"false\",\"true\"]");
}

Test(convert, tostring_errors)
{
    expect_error("NULL TOSTRING", "TOSTRING expects a number, BOOLEAN or STRING at depth 1, got NULL.", "[null]");
    expect_error("[ 1 ] TOSTRING", "got LIST.", "[[1]]");
    expect_error("{} TOSTRING", "got MAP.", "[{}]");
    expect_error("<% 1 %> TOSTRING", "got MACRO.", "[\"<% 1 %>\"]");
}

Test(convert, toboolean)
{
    expect_stack("0 TOBOOLEAN 0.5 TOBOOLEAN '' TOBOOLEAN 'x' TOBOOLEAN 2 TOBOOLEAN", "[true,true,false,false,false]");
    expect_stack("-0.9 TOBOOLEAN -1.0 TOBOOLEAN NaN TOBOOLEAN Infinity TOBOOLEAN 1e-300 TOBOOLEAN",
                 "[false,true,false,true,false]");
    expect_stack("T TOBOOLEAN F TOBOOLEAN 'false' TOBOOLEAN MINLONG TOBOOLEAN", "[true,true,false,true]");
}

Test(convert, toboolean_errors)
{
    expect_error("NULL TOBOOLEAN", "TOBOOLEAN expects a number, BOOLEAN or STRING at depth 1, got NULL.", "[null]");
    expect_error("[] TOBOOLEAN", "got LIST.", "[[]]");
}

/* ---- bit-level words ---- */

Test(convert, tohex_tobin)
{
    expect_stack("255 TOHEX -1 TOHEX 0 TOHEX", "[\"0000000000000000\",\"ffffffffffffffff\",\"00000000000000ff\"]");
    expect_stack("MINLONG TOHEX", "[\"8000000000000000\"]");
    expect_stack("5 TOBIN", "[\"0000000000000000000000000000000000000000000000000000000000000101\"]");
    expect_stack("-1 TOBIN SIZE", "[64]");
    expect_error("1.5 TOHEX", "TOHEX expects a LONG at depth 1, got DOUBLE.", "[1.5]");
    expect_error("'1' TOBIN", "TOBIN expects a LONG at depth 1, got STRING.", "[\"1\"]");
}

Test(convert, fromhex_frombin)
{
    expect_stack("'ff' FROMHEX 'FFFFFFFFFFFFFFFF' FROMHEX '-1' FROMHEX '-ff' FROMHEX '+10' FROMHEX",
                 "[16,-255,-1,-1,255]");
    expect_stack("'8000000000000000' FROMHEX '00000000000000001' FROMHEX '-08000000000000000' FROMHEX",
                 "[-9223372036854775808,1,-9223372036854775808]");
    expect_stack("'101' FROMBIN '0' FROMBIN", "[0,5]");
    expect_stack("'1111111111111111111111111111111111111111111111111111111111111111' FROMBIN", "[-1]");
    expect_stack("-42 TOHEX FROMHEX 42 TOBIN FROMBIN", "[42,-42]");
    expect_error("'7fffffffffffffff0' FROMHEX", "FROMHEX: '7fffffffffffffff0' does not fit in a LONG",
                 "[\"7fffffffffffffff0\"]");
    expect_error("'1ffffffffffffffffff' FROMHEX", "does not fit in a LONG", "[\"1ffffffffffffffffff\"]");
    expect_error("'01111111111111111111111111111111111111111111111111111111111111111' FROMBIN",
                 "does not fit in a LONG",
                 "[\"01111111111111111111111111111111111111111111111111111111111111111\"]");
    expect_error("'' FROMHEX", "FROMHEX cannot convert '' to a LONG.", "[\"\"]");
    expect_error("'-' FROMHEX", "cannot convert", "[\"-\"]");
    expect_error("'fg' FROMHEX", "FROMHEX cannot convert 'fg' to a LONG.", "[\"fg\"]");
    expect_error("'12' FROMBIN", "FROMBIN cannot convert '12' to a LONG.", "[\"12\"]");
    expect_error("' 1' FROMBIN", "cannot convert", "[\" 1\"]");
    expect_error("12 FROMHEX", "FROMHEX expects a STRING at depth 1, got LONG.", "[12]");
}

Test(convert, doublebits)
{
    expect_stack("1.0 ->DOUBLEBITS -2.5 ->DOUBLEBITS NaN ->DOUBLEBITS",
                 "[9221120237041090560,-4610560118520545280,4607182418800017408]");
    expect_stack("4607182418800017408 DOUBLEBITS-> 0 DOUBLEBITS-> 4611686018427387904 DOUBLEBITS->", "[2.0,0.0,1.0]");
    expect_stack("1 DOUBLEBITS-> 0.0 >", "[true]");
    expect_stack("0.1 TOBITS FROMBITS -0.0 ->DOUBLEBITS", "[-9223372036854775808,0.1]");
    expect_stack("1.0 ->FLOATBITS -1e300 ->FLOATBITS 1e300 ->FLOATBITS", "[2139095040,4286578688,1065353216]");
    expect_stack("3.4028234663852886E38 ->FLOATBITS 3.4028235677973366E38 ->FLOATBITS", "[2139095040,2139095039]");
    expect_stack("3.4028235E38 ->FLOATBITS", "[2139095039]");
    expect_stack("1065353216 FLOATBITS-> 0.1 ->FLOATBITS FLOATBITS-> 2143289344 FLOATBITS->",
                 "[NaN,0.10000000149011612,1.0]");
    expect_stack("-1 FLOATBITS->", "[NaN]");
    expect_error("1 ->DOUBLEBITS", "->DOUBLEBITS expects a DOUBLE at depth 1, got LONG.", "[1]");
    expect_error("'x' ->FLOATBITS", "->FLOATBITS expects a DOUBLE at depth 1, got STRING.", "[\"x\"]");
    expect_error("1.0 DOUBLEBITS->", "DOUBLEBITS-> expects a LONG at depth 1, got DOUBLE.", "[1.0]");
    expect_error("1.0 FLOATBITS->", "FLOATBITS-> expects a LONG at depth 1, got DOUBLE.", "[1.0]");
}

Test(convert, longbytes)
{
    expect_stack("258 2 ->LONGBYTES ->HEX -1 8 ->LONGBYTES ->HEX 1 1 ->LONGBYTES ->HEX",
                 "[\"01\",\"ffffffffffffffff\",\"0102\"]");
    expect_stack("[ 1 256 ] 2 ->LONGBYTES ->HEX [] 4 ->LONGBYTES ->HEX", "[\"\",\"00010100\"]");
    expect_stack("MAXLONG 8 ->LONGBYTES TOLONG", "[9223372036854775807]");
    expect_error("1 0 ->LONGBYTES", "->LONGBYTES expects a number of output bytes between 1 and 8, got 0.", "[0,1]");
    expect_error("1 9 ->LONGBYTES", "between 1 and 8, got 9.", "[9,1]");
    expect_error("1 '2' ->LONGBYTES", "->LONGBYTES expects a LONG byte count at depth 1, got STRING.", "[\"2\",1]");
    expect_error("1.5 2 ->LONGBYTES", "->LONGBYTES expects a LONG or a LIST of LONGs at depth 2, got DOUBLE.",
                 "[2,1.5]");
    expect_error("[ 1 'x' ] 2 ->LONGBYTES", "->LONGBYTES expects a LIST of LONGs, found a STRING.", "[2,[1,\"x\"]]");
    expect_error("2 ->LONGBYTES", "Empty stack.", "[2]");
}

/* Every allocation failing in turn: an error or success, never a crash or leak. */
Test(convert, out_of_memory)
{
    const char *src = "'42' TOLONG ' 1e3 ' TODOUBLE 1.5 TOSTRING T TOBOOLEAN 255 TOHEX FROMHEX 5 TOBIN FROMBIN "
                      "1.0 ->DOUBLEBITS DOUBLEBITS-> [ 1 2 ] 2 ->LONGBYTES TOLONG CLEAR";
    oom_sweep(src, OOM_STRICT);
}
