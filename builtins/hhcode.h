/* GeoXP HHCode helpers shared by hhcode.c and gts_reshape.c: an HHCode is
 * a 64-bit value whose bits interleave the 32-bit quantized latitude (odd
 * bits, from the top) and longitude (even bits); GTS locations are stored
 * in that form (interp/gts.h). */
#ifndef EXO_HHCODE_H
#define EXO_HHCODE_H

#include <stdint.h>

/* The quantized latitude and longitude of an HHCode. */
void hh_split(int64_t hh, uint32_t *lat, uint32_t *lon);
/* The south-west corner of an HHCode, in degrees (GeoXPLib.fromGeoXPPoint;
 * no NaN for GTS_NO_LOCATION, which is a valid HHCode here). */
void hh_to_latlon(int64_t hh, double *lat, double *lon);
/* GeoXP's loxodromic (rhumb line) distance in metres between two HHCodes,
 * on their quantized coordinates. */
double hh_lox_distance(int64_t from, int64_t to);

#endif
