/* Number text as WarpScript (Java) writes it. */
#ifndef EXO_NUMFMT_H
#define EXO_NUMFMT_H

#include "common.h"

#define NUMFMT_MAX 32

/* Java's Double.toString: shortest round-trip digits, always a '.' or 'E'
 * ("1.0", "0.30000000000000004", "1.0E7", "1.0E-4"), NaN, Infinity.
 * Returns the length written to buf (at least NUMFMT_MAX bytes). */
size_t fmt_double(double d, char *buf);
size_t fmt_long(int64_t l, char *buf);

#endif
