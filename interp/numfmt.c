/* Java's Double.toString. The shortest digit string that reads back to the
 * same double is found by printing with 15, 16 then 17 significant digits
 * (C's printf rounds correctly) and keeping the first that round-trips;
 * Java's layout is then applied: plain notation for 1e-3 <= |d| < 1e7,
 * computerized scientific notation (d.dddE±n) otherwise. */
#include "numfmt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t fmt_long(int64_t l, char *buf) { return (size_t)snprintf(buf, NUMFMT_MAX, "%lld", (long long)l); }

/* Shortest significant digits of |d| (no dot, no trailing zeros) and the
 * decimal exponent of the first digit. */
static int shortest_digits(double d, char *digits, int *exp10)
{
    char tmp[40];
    /* a normal double's shortest form has at most 15 digits iff the 15-digit
     * rounding reads back; subnormals have fewer bits: search from 2 (Java
     * writes at least d.d, and 4.9E-324 is nearer than 5.0E-324) */
    for (int p = d < DBL_MIN ? 2 : 15; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
        if (p == 17 || strtod(tmp, NULL) == d)
            break;
    }
    /* tmp = "d.ddddde±XX" */
    int n = 0;
    char *e = strchr(tmp, 'e');
    for (char *c = tmp; c < e; c++)
        if (*c >= '0' && *c <= '9')
            digits[n++] = *c;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = 0;
    *exp10 = atoi(e + 1);
    return n;
}

size_t fmt_double(double d, char *buf)
{
    if (isnan(d))
        return (size_t)snprintf(buf, NUMFMT_MAX, "NaN");
    if (isinf(d))
        return (size_t)snprintf(buf, NUMFMT_MAX, d > 0 ? "Infinity" : "-Infinity");
    if (d == 0)
        return (size_t)snprintf(buf, NUMFMT_MAX, signbit(d) ? "-0.0" : "0.0");
    char digits[24];
    int e;
    int n = shortest_digits(fabs(d), digits, &e);
    char *o = buf;
    if (d < 0)
        *o++ = '-';
    double a = fabs(d);
    if (a >= 1e-3 && a < 1e7) {
        if (e >= 0) {
            for (int i = 0; i <= e; i++)
                *o++ = i < n ? digits[i] : '0';
            *o++ = '.';
            if (n > e + 1)
                for (int i = e + 1; i < n; i++)
                    *o++ = digits[i];
            else
                *o++ = '0';
        } else {
            *o++ = '0';
            *o++ = '.';
            for (int i = 0; i < -e - 1; i++)
                *o++ = '0';
            for (int i = 0; i < n; i++)
                *o++ = digits[i];
        }
        *o = 0;
        return (size_t)(o - buf);
    }
    *o++ = digits[0];
    *o++ = '.';
    if (n > 1)
        for (int i = 1; i < n; i++)
            *o++ = digits[i];
    else
        *o++ = '0';
    o += snprintf(o, 8, "E%d", e);
    return (size_t)(o - buf);
}
