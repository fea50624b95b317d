/* Hex, base64 and binary-text codecs: plain loops over bytes; decoders
 * validate every character instead of producing garbage. */
#include "codec.h"

static const char HEX[] = "0123456789abcdef";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void hex_encode(const void *src, size_t n, char *out)
{
    const unsigned char *p = src;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = HEX[p[i] >> 4];
        out[2 * i + 1] = HEX[p[i] & 15];
    }
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

const char *hex_decode(const char *s, size_t n, void *out, size_t *out_len)
{
    unsigned char *o = out;
    size_t len = 0;
    int hi = -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        int v = hexval(c);
        if (v < 0)
            return "invalid hexadecimal character";
        if (hi < 0) {
            hi = v;
        } else {
            o[len++] = (unsigned char)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0)
        return "odd number of hexadecimal digits";
    *out_len = len;
    return NULL;
}

size_t b64_encoded_len(size_t n) { return (n + 2) / 3 * 4; }

void b64_encode(const void *src, size_t n, char *out, bool url)
{
    const char *a = url ? B64URL : B64;
    const unsigned char *p = src;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *out++ = a[v >> 18];
        *out++ = a[(v >> 12) & 63];
        *out++ = a[(v >> 6) & 63];
        *out++ = a[v & 63];
    }
    if (n - i == 1) {
        *out++ = a[p[i] >> 2];
        *out++ = a[(p[i] & 3) << 4];
        *out++ = '=';
        *out++ = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)p[i] << 8 | p[i + 1];
        *out++ = a[v >> 10];
        *out++ = a[(v >> 4) & 63];
        *out++ = a[(v & 15) << 2];
        *out++ = '=';
    }
}

static int b64val(unsigned char c, bool url)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == (url ? '-' : '+'))
        return 62;
    if (c == (url ? '_' : '/'))
        return 63;
    return -1;
}

const char *b64_decode(const char *s, size_t n, void *out, size_t *out_len, bool url)
{
    unsigned char *o = out;
    while (n && s[n - 1] == '=')
        n--;
    if (n % 4 == 1)
        return "invalid input length";
    uint32_t acc = 0;
    int bits = 0;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64val((unsigned char)s[i], url);
        if (v < 0)
            return "unrecognized character";
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[len++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    *out_len = len;
    return NULL;
}

void bin_encode(const void *src, size_t n, char *out)
{
    const unsigned char *p = src;
    for (size_t i = 0; i < n; i++)
        for (int k = 7; k >= 0; k--)
            *out++ = (char)('0' + ((p[i] >> k) & 1));
}

const char *bin_decode(const char *s, size_t n, void *out, size_t *out_len)
{
    unsigned char *o = out;
    size_t nbytes = (n + 7) / 8, pad = nbytes * 8 - n;
    unsigned acc = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '0' && s[i] != '1')
            return "invalid binary digit";
        acc = (acc << 1) | (unsigned)(s[i] - '0');
        if ((i + pad) % 8 == 7) {
            o[(i + pad) / 8] = (unsigned char)acc;
            acc = 0;
        }
    }
    *out_len = nbytes;
    return NULL;
}
