/* UTF-8 decoding and counting. Validity follows the Unicode table of
 * well-formed sequences (no overlongs, no surrogates, nothing above
 * U+10FFFF), so counting, indexing and re-encoding agree everywhere. */
#include "utf8.h"

bool utf8_decode_strict(const char *s, size_t n, uint32_t *cp, size_t *used)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = c;
        *used = 1;
        return true;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *used = 1;
        return false;
    }
    uint32_t v = c & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        unsigned b = i < n ? p[i] : 0;
        bool ok = i < n && (i == 1 ? b >= lo && b <= hi : (b & 0xC0) == 0x80);
        if (!ok) {
            *used = i;
            return false;
        }
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    *used = len;
    return true;
}

uint32_t utf8_decode(const char *s, size_t n, size_t *used)
{
    uint32_t cp;
    if (utf8_decode_strict(s, n, &cp, used))
        return cp;
    *used = 1;
    return (unsigned char)s[0];
}

size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t utf8_length(const char *s, size_t n)
{
    size_t count = 0, i = 0, used;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80)
            used = 1;
        else
            utf8_decode(s + i, n - i, &used);
        i += used;
        count++;
    }
    return count;
}

size_t utf8_offset(const char *s, size_t n, size_t idx)
{
    size_t i = 0, used;
    while (idx && i < n) {
        if ((unsigned char)s[i] < 0x80)
            used = 1;
        else
            utf8_decode(s + i, n - i, &used);
        i += used;
        idx--;
    }
    return i;
}

size_t utf16_length(const char *s, size_t n)
{
    size_t count = 0, i = 0, used;
    while (i < n) {
        uint32_t cp = (unsigned char)s[i] < 0x80 ? (used = 1, (unsigned char)s[i]) : utf8_decode(s + i, n - i, &used);
        i += used;
        count += cp >= 0x10000 ? 2 : 1;
    }
    return count;
}

bool utf8_valid(const char *s, size_t n)
{
    size_t i = 0, used;
    uint32_t cp;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        if (!utf8_decode_strict(s + i, n - i, &cp, &used))
            return false;
        i += used;
    }
    return true;
}
