/* UTF-8 helpers. exo strings are UTF-8 byte strings indexed by character
 * (code point); WarpScript's are Java UTF-16 strings, which only differ
 * for characters outside the BMP. A byte that does not start a valid
 * UTF-8 sequence counts as one character, its Latin-1 value, which is how
 * the JSON writer shows it. */
#ifndef EXO_UTF8_H
#define EXO_UTF8_H

#include "common.h"

#define UTF8_REPLACEMENT 0xFFFDu

/* The character at s (n > 0 bytes left): its code point, and its length in
 * bytes in *used. An invalid byte decodes as itself with *used = 1. */
uint32_t utf8_decode(const char *s, size_t n, size_t *used);
/* Strict decoding (for bytes of unknown origin): returns false on a
 * malformed sequence, with *used = the length of its maximal subpart (to
 * be replaced by one U+FFFD, as Java's decoder does). */
bool utf8_decode_strict(const char *s, size_t n, uint32_t *cp, size_t *used);
/* Writes cp (<= 0x10FFFF) as UTF-8; returns its length (1-4). */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Number of characters of s. */
size_t utf8_length(const char *s, size_t n);
/* Byte offset of character i of s (n when i is past the end). */
size_t utf8_offset(const char *s, size_t n, size_t i);
/* Java's String.length(): UTF-16 code units. */
size_t utf16_length(const char *s, size_t n);
/* Whether s is entirely valid UTF-8. */
bool utf8_valid(const char *s, size_t n);

#endif
