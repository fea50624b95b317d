/* Message digests of the MD5, SHA1 and SHA256 words (written from the
 * RFC 1321 / FIPS 180-4 descriptions). One call hashes a whole buffer. */
#ifndef EXO_DIGEST_H
#define EXO_DIGEST_H

#include "common.h"

typedef enum { DIGEST_MD5, DIGEST_SHA1, DIGEST_SHA256 } digest_kind;

/* Size in bytes of a digest (16, 20 or 32). */
size_t digest_size(digest_kind k);
/* Writes the digest of data[0..n) to out (digest_size(k) bytes). */
void digest(digest_kind k, const void *data, size_t n, unsigned char *out);

#endif
