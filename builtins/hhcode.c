/* HHCode words (Warp 10's TOHHCODE and HHCODETO): ->HHCODE, ->HHCODELONG,
 * HHCODE->, and their GTS-convention twins ->GTSHHCODE, ->GTSHHCODELONG,
 * GTSHHCODE-> which map NaN NaN to and from the "no location" HHCode.
 *
 * Forms, as in Warp 10:
 *   - LONG: the 64-bit HHCode (full resolution);
 *   - STRING: Long.toHexString of it from ->HHCODE (lowercase, no leading
 *     zeros); as input, up to 16 hex digits right-padded with zeros, the
 *     resolution being twice the number of digits;
 *   - BYTES (input only): up to 8 bytes, big-endian, right-padded.
 * A STRING given to ->HHCODE is a GeoHash (up to 12 characters used).
 * HHCODE-> pushes the latitude and longitude of the south-west corner, or
 * with true on top the GeoHash of the HHCode at its resolution.
 * A GEOSHAPE given to ->HHCODE / ->HHCODELONG gives the LIST of its cells
 * (geocells: LONGs, or the hex STRINGs of their HHCode prefixes). */
#include "builtins.h"
#include "hhcode.h"

#include "../interp/geoshape.h"
#include "../interp/gts.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define DEG_PER_LAT_UNIT (180.0 / 4294967296.0)
#define DEG_PER_LON_UNIT (360.0 / 4294967296.0)
/* GeoXP: 1852 m per arc minute */
#define M_PER_LAT_UNIT (180.0 * 60.0 * 1852.0 / 4294967296.0)
#define M_PER_LON_UNIT (360.0 * 60.0 * 1852.0 / 4294967296.0)
#define RAD_PER_LAT_UNIT (3.14159265358979323846 / 4294967296.0)

static const char GEOHASH_CHARS[] = "0123456789bcdefghjkmnpqrstuvwxyz";

/* Every other bit of x (bits 0, 2, 4, ...) packed into 32 bits. */
static uint32_t even_bits(uint64_t x)
{
    uint32_t r = 0;
    for (int i = 0; i < 32; i++)
        r |= (uint32_t)((x >> (2 * i)) & 1u) << i;
    return r;
}

void hh_split(int64_t hh, uint32_t *lat, uint32_t *lon)
{
    *lat = even_bits((uint64_t)hh >> 1);
    *lon = even_bits((uint64_t)hh);
}

void hh_to_latlon(int64_t hh, double *lat, double *lon)
{
    uint32_t a, o;
    hh_split(hh, &a, &o);
    *lat = (double)a * DEG_PER_LAT_UNIT - 90.0;
    *lon = (double)o * DEG_PER_LON_UNIT - 180.0;
}

double hh_lox_distance(int64_t from, int64_t to)
{
    uint32_t fa, fo, ta, to_;
    hh_split(from, &fa, &fo);
    hh_split(to, &ta, &to_);
    /* the longitude delta is scaled by the cosine of the mean latitude
     * (computed in integer units, as GeoXP does) and taken the short way */
    int64_t mean = ((int64_t)fa + (int64_t)ta) / 2;
    double scale = cos((double)mean * RAD_PER_LAT_UNIT + 3.14159265358979323846 / 2.0);
    double dlat = (double)((int64_t)fa - (int64_t)ta) * M_PER_LAT_UNIT;
    int64_t dl = fo > to_ ? (int64_t)fo - (int64_t)to_ : (int64_t)to_ - (int64_t)fo;
    if (dl > 0x7fffffffLL)
        dl = 0xffffffffLL - dl;
    double dlon = (double)dl * M_PER_LON_UNIT * scale;
    return sqrt(dlat * dlat + dlon * dlon);
}

/* Swaps the bits of each pair (GeoHash order is longitude first). */
static uint64_t swap_pairs(uint64_t x)
{
    return ((x & 0xAAAAAAAAAAAAAAAAull) >> 1) | ((x & 0x5555555555555555ull) << 1);
}

/* GeoHashHelper.toHHCode: at most 12 characters. */
static bool geohash_to_hh(exo_vm *vm, const word *w, const str *s, int64_t *out)
{
    uint64_t h = 0;
    size_t i = 0;
    for (; i < 12 && i < s->len; i++) {
        const char *p = s->data[i] ? strchr(GEOHASH_CHARS, s->data[i]) : NULL;
        if (!p)
            return vm_fail(vm, "%s: invalid GeoHash '%.*s' at index %zu.", w->name, (int)s->len, s->data, i);
        h = (h << 5) | (uint64_t)(p - GEOHASH_CHARS);
    }
    if (i)
        h <<= 64 - 5 * i;
    *out = (int64_t)swap_pairs(h);
    return true;
}

/* GeoHashHelper.fromHHCode: 2 * res bits, rounded down to whole characters. */
static value hh_to_geohash(exo_vm *vm, int64_t hh, int res)
{
    uint64_t c = swap_pairs((uint64_t)hh);
    int bits = 2 * res;
    bits -= bits % 5;
    char buf[16];
    int n = bits / 5;
    if (bits)
        c >>= 64 - bits;
    for (int k = n - 1; k >= 0; k--, c >>= 5)
        buf[k] = GEOHASH_CHARS[c & 31];
    return str_new(vm, buf, (size_t)n);
}

static bool push_hh(exo_vm *vm, int64_t hh, bool tostring)
{
    if (!tostring)
        return vm_push(vm, v_long(hh));
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%" PRIx64, (uint64_t)hh);
    value s = str_new(vm, buf, (size_t)n);
    return !val_is_oom(s) && vm_push(vm, s);
}

/* ->HHCODE (magic bit 0: STRING output; bit 1: GTS convention). */
static bool w_tohhcode(exo_vm *vm, const word *w)
{
    bool tostring = w->magic & 1, gtsconv = w->magic & 2;
    value top = *vm_peek(vm, 0);
    int64_t hh = 0;
    if (top.type == T_GEOSHAPE) {
        /* TOHHCODE: Long.toHexString(cell).substring(1, res / 2 + 1) */
        const geoshape *s = AS_GEOSHAPE(top);
        list *l = list_new(vm, s->n);
        if (!l)
            return false;
        value lv = v_obj(T_LIST, l);
        for (size_t i = 0; i < s->n; i++) {
            value e = v_long(s->cells[i]);
            if (tostring) {
                char buf[24];
                int n = snprintf(buf, sizeof buf, "%" PRIx64, (uint64_t)s->cells[i]);
                size_t end = (size_t)((uint64_t)s->cells[i] >> 60) + 1;
                e = str_new(vm, buf + 1, end <= (size_t)n ? end - 1 : (size_t)n - 1);
                if (val_is_oom(e)) {
                    val_release(vm, lv);
                    return false;
                }
            }
            if (!list_push(vm, l, e)) {
                val_release(vm, lv);
                return false;
            }
        }
        vm_drop(vm, 1);
        return vm_push(vm, lv);
    }
    if (top.type == T_STRING) {
        if (!geohash_to_hh(vm, w, AS_STR(top), &hh))
            return false;
        vm_drop(vm, 1);
        return push_hh(vm, hh, tostring);
    }
    if (!val_is_number(top))
        return vm_type_error(vm, w, 1, "a longitude (number) or a STRING GeoHash");
    if (vm->sp < 2 || !val_is_number(*vm_peek(vm, 1)))
        return vm_type_error(vm, w, 2, "a latitude (number) below the longitude");
    double lat = val_as_double(*vm_peek(vm, 1)), lon = val_as_double(top);
    if (gtsconv && isnan(lat) != isnan(lon))
        return vm_fail(vm, "%s expects latitude and longitude to both be NaN or both be not NaN.", w->name);
    if (gtsconv && isnan(lat)) {
        hh = GTS_NO_LOCATION;
    } else {
        /* Java's (long) NaN is 0: a NaN coordinate is the lowest cell */
        hh = gts_pack_location(isnan(lat) ? -90.0 : lat, isnan(lon) ? -180.0 : lon);
    }
    vm_drop(vm, 2);
    return push_hh(vm, hh, tostring);
}

/* HHCODEFUNC.hhAndRes: the HHCode and its resolution (2 to 32). */
static bool hh_and_res(exo_vm *vm, const word *w, value v, int depth, int64_t *hh, int *res)
{
    if (v.type == T_LONG) {
        *hh = v.as.l;
        *res = 32;
        return true;
    }
    if (v.type == T_STRING) {
        const str *s = AS_STR(v);
        if (s->len > 16)
            return vm_fail(vm, "%s: a hexadecimal HHCode STRING must be at most 16 characters long.", w->name);
        char digits[16];
        memset(digits, '0', sizeof digits);
        memcpy(digits, s->data, s->len);
        size_t i = digits[0] == '+' ? 1 : 0; /* as Long.parseUnsignedLong */
        uint64_t h = 0;
        for (; i < 16; i++) {
            char c = digits[i];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0)
                return vm_fail(vm, "%s: invalid hexadecimal HHCode '%.*s'.", w->name, (int)s->len, s->data);
            h = (h << 4) | (uint64_t)d;
        }
        *hh = (int64_t)h;
        *res = (int)s->len * 2;
        return true;
    }
    if (v.type == T_BYTES) {
        const str *s = AS_STR(v);
        if (s->len > 8)
            return vm_fail(vm, "%s: a BYTES HHCode must be at most 8 bytes long.", w->name);
        uint64_t h = 0;
        for (size_t i = 0; i < 8; i++)
            h = (h << 8) | (i < s->len ? (uint8_t)s->data[i] : 0u);
        *hh = (int64_t)h;
        *res = (int)s->len * 4;
        return true;
    }
    if (v.type == T_LIST)
        return vm_fail(vm, "%s: LIST of HHCodes (GEOSHAPE output) is not supported.", w->name);
    return vm_type_error(vm, w, depth, "an HHCode (LONG, STRING or BYTES)");
}

/* HHCODE-> (magic bit 1: GTS convention). [bool] on top: GeoHash output. */
static bool w_hhcodeto(exo_vm *vm, const word *w)
{
    bool gtsconv = w->magic & 2;
    value top = *vm_peek(vm, 0);
    bool geohash = false;
    int depth = 1;
    if (top.type == T_BOOLEAN) {
        geohash = top.as.b;
        if (vm->sp < 2)
            return vm_type_error(vm, w, 2, "an HHCode (LONG, STRING or BYTES) below the BOOLEAN");
        depth = 2;
    }
    int64_t hh = 0;
    int res = 0;
    if (!hh_and_res(vm, w, *vm_peek(vm, (size_t)depth - 1), depth, &hh, &res))
        return false;
    if (geohash) {
        value g = hh_to_geohash(vm, hh, res);
        if (val_is_oom(g))
            return false;
        vm_drop(vm, (size_t)depth);
        return vm_push(vm, g);
    }
    double lat, lon;
    if (gtsconv && hh == GTS_NO_LOCATION)
        lat = lon = NAN;
    else
        hh_to_latlon(hh, &lat, &lon);
    vm_drop(vm, (size_t)depth);
    return vm_push(vm, v_double(lat)) && vm_push(vm, v_double(lon));
}

static const word hhcode_words[] = {
    EXO_WORD_MAGIC("->HHCODE", w_tohhcode, 1, "lat lon|geohash -- hhcode", "The HHCode of a point (or GeoHash) as a hex STRING.", 1),
    EXO_WORD_MAGIC("->HHCODELONG", w_tohhcode, 1, "lat lon|geohash -- hhcode", "The HHCode of a point (or GeoHash) as a LONG.", 0),
    EXO_WORD_MAGIC("->GTSHHCODE", w_tohhcode, 1, "lat lon|geohash -- hhcode",
                   "As ->HHCODE, NaN NaN giving the GTS 'no location' HHCode.", 3),
    EXO_WORD_MAGIC("->GTSHHCODELONG", w_tohhcode, 1, "lat lon|geohash -- hhcode",
                   "As ->HHCODELONG, NaN NaN giving the GTS 'no location' HHCode.", 2),
    EXO_WORD_MAGIC("HHCODE->", w_hhcodeto, 1, "hhcode [geohash?] -- lat lon | geohash",
                   "The south-west corner of an HHCode (LONG, hex STRING or BYTES), or its GeoHash.", 0),
    EXO_WORD_MAGIC("GTSHHCODE->", w_hhcodeto, 1, "hhcode [geohash?] -- lat lon | geohash",
                   "As HHCODE->, the GTS 'no location' HHCode giving NaN NaN.", 2),
};

EXO_FAMILY(hhcode, hhcode_words)
