/* Byte <-> text codecs of the encoding words (->HEX, ->B64, ->B64URL,
 * ->BIN and their inverses), as the reference's libraries do them:
 * lowercase hex (whitespace ignored when decoding), base64 and base64url
 * with '=' padding (decoding accepts missing padding, like Guava), and
 * binary text with 8 characters per byte. Decoders return NULL on success
 * and otherwise a short reason for the error message. */
#ifndef EXO_CODEC_H
#define EXO_CODEC_H

#include "common.h"

/* hex: 2 characters per byte */
void hex_encode(const void *src, size_t n, char *out);
/* out holds at least n/2 bytes */
const char *hex_decode(const char *s, size_t n, void *out, size_t *out_len);

/* base64: 4 * ceil(n/3) characters */
size_t b64_encoded_len(size_t n);
void b64_encode(const void *src, size_t n, char *out, bool url);
/* out holds at least 3*n/4 bytes */
const char *b64_decode(const char *s, size_t n, void *out, size_t *out_len, bool url);

/* binary text: 8 characters per byte */
void bin_encode(const void *src, size_t n, char *out);
/* Leading zeros are added up to a multiple of 8 bits; out holds (n+7)/8 bytes. */
const char *bin_decode(const char *s, size_t n, void *out, size_t *out_len);

#endif
