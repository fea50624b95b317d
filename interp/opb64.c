/* Order-preserving base64: plain base64 bit packing over an alphabet in
 * ASCII order, without padding. The decoder is strict (the reference maps
 * unknown characters to garbage; here they are an error). */
#include "opb64.h"

static const char OPB64_ALPHABET[] = ".0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

size_t opb64_encoded_len(size_t n) { return 4 * (n / 3) + (n % 3 ? n % 3 + 1 : 0); }

void opb64_encode(const void *src, size_t n, char *out)
{
    const unsigned char *p = src;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *out++ = OPB64_ALPHABET[v >> 18];
        *out++ = OPB64_ALPHABET[(v >> 12) & 63];
        *out++ = OPB64_ALPHABET[(v >> 6) & 63];
        *out++ = OPB64_ALPHABET[v & 63];
    }
    if (n - i == 1) {
        *out++ = OPB64_ALPHABET[p[i] >> 2];
        *out++ = OPB64_ALPHABET[(p[i] & 3) << 4];
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)p[i] << 8 | p[i + 1];
        *out++ = OPB64_ALPHABET[v >> 10];
        *out++ = OPB64_ALPHABET[(v >> 4) & 63];
        *out++ = OPB64_ALPHABET[(v & 15) << 2];
    }
}

static int digit(unsigned char c)
{
    if (c == '.')
        return 0;
    if (c >= '0' && c <= '9')
        return c - '0' + 1;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 11;
    if (c == '_')
        return 37;
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 38;
    return -1;
}

long opb64_decode(const char *src, size_t n, void *out)
{
    unsigned char *o = out;
    if (n % 4 == 1)
        return -1;
    uint32_t acc = 0;
    int bits = 0;
    long len = 0;
    for (size_t i = 0; i < n; i++) {
        int d = digit((unsigned char)src[i]);
        if (d < 0)
            return -1;
        acc = (acc << 6) | (uint32_t)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[len++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    return len;
}
