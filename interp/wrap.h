/* Warp 10's binary forms of a GTS, as WRAP/UNWRAP and the store exchange
 * them: the GTSEncoder record stream (one flags byte per point, then
 * delta/zigzag/varint timestamp, location, elevation and value), the
 * GTSWrapper Thrift struct around it (compact protocol: metadata,
 * bucketization, base timestamp, count, the records, possibly gzipped in
 * one or more passes). Decoders take bytes of unknown origin: every length
 * is checked and errors say where the data went wrong. */
#ifndef EXO_WRAP_H
#define EXO_WRAP_H

#include "gts.h"
#include "sbuf.h"

/* Options of wrap_gts. */
enum {
    WRAP_COMPRESS = 1, /* gzip the records (WRAP, WRAPRAW) */
    WRAP_OPTIMIZE = 2, /* finite doubles as scaled decimals when shorter (WRAPOPT) */
};

/* Appends the GTSEncoder records of g's points to out (base timestamp
 * base). With optimize, finite doubles use the decimal form when Java's
 * shortest text of the double has at most 46 bits of digits. */
bool gtsenc_encode(exo_vm *vm, sbuf *out, const gts *g, int64_t base, bool optimize);
/* Decodes records p[0..n) and appends their points to g (values converted
 * to g's type as ADDVALUE would). who prefixes error messages. */
bool gtsenc_decode(exo_vm *vm, gts *g, const uint8_t *p, size_t n, int64_t base, const char *who);

/* Appends the GTSWrapper bytes (Thrift compact protocol) of g to out. */
bool wrap_gts(exo_vm *vm, sbuf *out, const gts *g, unsigned opts);
/* Decodes a GTSWrapper into a new GTS (*out, a new reference); without
 * points only the metadata and bucketization (UNWRAPEMPTY). */
bool unwrap_gts(exo_vm *vm, const uint8_t *p, size_t n, bool points, const char *who, gts **out);
/* The point count a GTSWrapper declares (0 when absent), without decoding
 * the points. */
bool unwrap_count(exo_vm *vm, const uint8_t *p, size_t n, const char *who, int64_t *count);

/* gzip in Java's GZIPOutputStream format (default level, header with no
 * time and OS 0), appended to out. */
bool wrap_gzip(exo_vm *vm, sbuf *out, const uint8_t *p, size_t n);
/* Decompresses gzip data (concatenated members too); *out is allocated on
 * the VM (free with vm_dealloc(vm, *out, *cap)). */
bool wrap_gunzip(exo_vm *vm, const uint8_t *p, size_t n, const char *who, uint8_t **out, size_t *len,
                 size_t *cap);

#endif
