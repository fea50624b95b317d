/* Order-preserving base64 (Warp 10's OrderPreservingBase64, used by
 * ->OPB64 and by WRAP/UNWRAP): the alphabet
 * ".0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz" is in
 * ASCII order, so encoded strings sort like the bytes they encode. No
 * padding: n bytes give 4*(n/3) + (n%3 ? n%3+1 : 0) characters. */
#ifndef EXO_OPB64_H
#define EXO_OPB64_H

#include "common.h"

/* Encoded length of n bytes. */
size_t opb64_encoded_len(size_t n);
/* Writes the encoding of src[0..n) to out (opb64_encoded_len(n) bytes,
 * not NUL-terminated). */
void opb64_encode(const void *src, size_t n, char *out);
/* Decodes src[0..n) into out (at least 3*n/4 bytes); returns the decoded
 * length, or -1 if src holds a character outside the alphabet or has an
 * impossible length (n % 4 == 1). */
long opb64_decode(const char *src, size_t n, void *out);

#endif
