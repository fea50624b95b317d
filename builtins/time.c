/* Time words (spec e.10): the clock, unit conversions, ISO-8601 text and
 * durations, calendar fields and calendar arithmetic. Timestamps are LONG
 * microseconds; the calendar and zone logic lives in interp/timeutil.c so
 * mappers and BUCKETIZE share it. A word loads its zone (if any) while
 * checking operands, computes the result, and only then pops: on any error
 * the stack is untouched. Java's int conversions (Number.intValue) are
 * kept where Warp 10 applies them to counts and TSELEMENTS fields. */
#include "builtins.h"

#include "../interp/timeutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- Java number conversions ---- */

static int32_t java_int(value v)
{
    if (v.type == T_LONG)
        return (int32_t)(uint32_t)(uint64_t)v.as.l;
    double d = v.as.d;
    if (isnan(d))
        return 0;
    if (d >= 2147483647.0)
        return INT32_MAX;
    if (d <= -2147483648.0)
        return INT32_MIN;
    return (int32_t)d;
}

static int64_t java_long(double d)
{
    if (isnan(d))
        return 0;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

/* Math.round: floor(x + 0.5) computed without the 0.49999999999999994 trap. */
static int64_t java_round(double d)
{
    if (isnan(d))
        return 0;
    double f = floor(d);
    if (d - f >= 0.5)
        f += 1.0;
    return java_long(f);
}

static bool push_long(exo_vm *vm, int64_t l) { return vm_push(vm, v_long(l)); }

static int64_t now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * TU_PER_S + t.tv_nsec / 1000;
}

static bool load_zone(exo_vm *vm, const word *w, value v, tu_zone **z)
{
    return tz_load(vm, w->name, AS_STR(v)->data, AS_STR(v)->len, z);
}

/* ---- clock and constants ---- */

static bool w_now(exo_vm *vm, const word *w)
{
    if (!vm_need_cap(vm, w, EXO_CAP_CLOCK, "clock"))
        return false;
    return push_long(vm, now_us());
}

static bool w_ago(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (!val_is_number(v))
        return vm_type_error(vm, w, 1, "a number of time units");
    if (!vm_need_cap(vm, w, EXO_CAP_CLOCK, "clock"))
        return false;
    int64_t off = v.type == T_LONG ? v.as.l : java_long(v.as.d);
    vm_drop(vm, 1);
    return push_long(vm, (int64_t)((uint64_t)now_us() - (uint64_t)off));
}

static bool w_const(exo_vm *vm, const word *w) { return push_long(vm, w->magic); }

/* ---- units ---- */

/* factor: Warp 10's milliseconds per unit (the DOUBLE path multiplies by it
 * then by 1000, as Java does); mul/div: the exact LONG path. */
typedef struct unit {
    double factor;
    int64_t mul, div;
} unit;

static const unit U_W = {604800000.0, INT64_C(604800000000), 1}, U_D = {86400000.0, INT64_C(86400000000), 1},
                  U_H = {3600000.0, INT64_C(3600000000), 1}, U_M = {60000.0, 60000000, 1}, U_S = {1000.0, 1000000, 1},
                  U_MS = {1.0, 1000, 1}, U_US = {0.001, 1, 1}, U_NS = {0.000001, 1, 1000},
                  U_PS = {0.000000001, 1, 1000000};

static bool w_unit(exo_vm *vm, const word *w)
{
    const unit *u = w->data;
    value v = *vm_peek(vm, 0);
    int64_t r;
    if (v.type == T_LONG) {
        if (u->div > 1) { /* round half up, like Math.round */
            int64_t q = tu_floordiv(v.as.l, u->div), rem = tu_floormod(v.as.l, u->div);
            r = q + (rem * 2 >= u->div);
        } else if (__builtin_mul_overflow(v.as.l, u->mul, &r)) {
            r = v.as.l < 0 ? INT64_MIN : INT64_MAX; /* Math.round saturates */
        }
    } else if (v.type == T_DOUBLE) {
        r = java_round(v.as.d * u->factor * 1000.0);
    } else {
        return vm_type_error(vm, w, 1, "a number");
    }
    vm_drop(vm, 1);
    return push_long(vm, r);
}

/* ---- ts (tz) operands ---- */

/* Reads `ts` or `ts tz` on top: *n operands, *z the zone (NULL = UTC). */
static bool ts_args(exo_vm *vm, const word *w, int64_t *ts, tu_zone **z, size_t *n)
{
    value top = *vm_peek(vm, 0);
    *z = NULL;
    if (top.type == T_LONG) {
        *ts = top.as.l;
        *n = 1;
        return true;
    }
    if (top.type != T_STRING)
        return vm_type_error(vm, w, 1, "a LONG timestamp or a STRING time zone");
    if (!vm_need(vm, 2))
        return false;
    if (vm_peek(vm, 1)->type != T_LONG)
        return vm_type_error(vm, w, 2, "a LONG timestamp");
    *ts = vm_peek(vm, 1)->as.l;
    *n = 2;
    return load_zone(vm, w, top, z);
}

static bool w_iso8601(exo_vm *vm, const word *w)
{
    int64_t ts = 0;
    tu_zone *z;
    size_t n;
    if (!ts_args(vm, w, &ts, &z, &n))
        return false;
    char buf[TU_ISO_MAX];
    size_t len = tu_format_iso(ts, z, buf);
    tz_free(vm, z);
    value s = str_new(vm, buf, len);
    if (val_is_oom(s))
        return false;
    vm_drop(vm, n);
    return vm_push(vm, s);
}

static bool w_totimestamp(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (v.type != T_STRING)
        return vm_type_error(vm, w, 1, "a STRING ISO8601 timestamp");
    int64_t ts = 0;
    if (!tu_parse_iso(vm, w->name, AS_STR(v)->data, AS_STR(v)->len, &ts))
        return false;
    vm_drop(vm, 1);
    return push_long(vm, ts);
}

/* ---- TSELEMENTS ---- */

static value elements_list(exo_vm *vm, int64_t ts, const tu_zone *z)
{
    tu_fields f;
    tu_split(ts, z, &f);
    int64_t e[10] = {f.year, f.month, f.day, f.hour, f.minute, f.second, f.usec, f.yday, f.wday, f.week};
    list *l = list_new(vm, 10);
    if (!l)
        return v_null();
    for (int i = 0; i < 10; i++) {
        if (!list_push(vm, l, v_long(e[i]))) {
            val_release(vm, v_obj(T_LIST, l));
            return v_null();
        }
    }
    return v_obj(T_LIST, l);
}

static bool w_tselements(exo_vm *vm, const word *w)
{
    int64_t ts = 0;
    tu_zone *z;
    size_t n;
    if (!ts_args(vm, w, &ts, &z, &n))
        return false;
    value l = elements_list(vm, ts, z);
    tz_free(vm, z);
    if (val_is_oom(l))
        return false;
    vm_drop(vm, n);
    return vm_push(vm, l);
}

/* The timestamp of a TSELEMENTS list [Y M D h m s subsec] (any prefix;
 * missing fields default to 1970-01-01T00:00:00) in zone z. */
static bool from_elements(exo_vm *vm, const word *w, list *l, const tu_zone *z, int64_t *out)
{
    static const char *const names[6] = {"year", "monthOfYear", "dayOfMonth", "hourOfDay", "minuteOfHour",
                                         "secondOfMinute"};
    int32_t f[7] = {1970, 1, 1, 0, 0, 0, 0};
    for (size_t i = 0; i < l->len && i < 7; i++) {
        if (!val_is_number(l->items[i]))
            return vm_fail(vm, "%s expects numbers in the TSELEMENTS list, got %s at index %zu.", w->name,
                           val_type_name(l->items[i]), i);
        f[i] = java_int(l->items[i]);
    }
    int lo[6] = {INT32_MIN, 1, 1, 0, 0, 0}, hi[6] = {INT32_MAX, 12, 31, 23, 59, 59};
    hi[2] = f[1] >= 1 && f[1] <= 12 ? tu_month_days(f[0], f[1]) : 31;
    for (int i = 1; i < 6; i++)
        if (f[i] < lo[i] || f[i] > hi[i])
            return vm_fail(vm, "%s: value %d for %s must be in the range [%d,%d].", w->name, (int)f[i], names[i],
                           lo[i], hi[i]);
    int64_t local, ts;
    bool gap;
    if (!tu_local_seconds(f[0], f[1], f[2], f[3], f[4], f[5], &local))
        return vm_fail(vm, "%s: the date is out of the supported range.", w->name);
    int64_t utc = tz_to_utc(z, local, &gap);
    if (gap)
        return vm_fail(vm, "%s: %04d-%02d-%02dT%02d:%02d:%02d does not exist in time zone %s (daylight saving gap).",
                       w->name, (int)f[0], f[1], f[2], f[3], f[4], f[5], tz_name(z));
    if (!tu_from_seconds(utc, f[6] % 1000000, &ts))
        return vm_fail(vm, "%s: the date is out of the supported range.", w->name);
    *out = ts;
    return true;
}

static bool w_from_tselements(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    size_t n = 1, li = 0;
    tu_zone *z = NULL;
    if (top.type == T_STRING) {
        if (!vm_need(vm, 2))
            return false;
        if (vm_peek(vm, 1)->type != T_LIST)
            return vm_type_error(vm, w, 2, "a TSELEMENTS LIST");
        n = 2;
        li = 1;
    } else if (top.type != T_LIST) {
        return vm_type_error(vm, w, 1, "a TSELEMENTS LIST or a STRING time zone");
    }
    if (n == 2 && !load_zone(vm, w, top, &z))
        return false;
    int64_t ts = 0;
    bool ok = from_elements(vm, w, AS_LIST(*vm_peek(vm, li)), z, &ts);
    tz_free(vm, z);
    if (!ok)
        return false;
    vm_drop(vm, n);
    return push_long(vm, ts);
}

/* ---- ADDDAYS ADDMONTHS ADDYEARS ---- */

enum { ADD_DAYS, ADD_MONTHS, ADD_YEARS };

/* The TSELEMENTS-list form: calendar fields changed directly on a copy
 * (time fields kept, the day clamped to the new month's length). */
/* The TSELEMENTS forms of ADDDAYS, ADDMONTHS and ADDYEARS count on their own
 * calendar (ADDDAYS.java and siblings): a year is leap when divisible by 4
 * but not by 100, so 2000 has no February 29 there. */
static int list_month_days(int64_t y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && y % 4 == 0 && y % 100 != 0 ? 29 : len[m - 1];
}

/* ADDDAYS.java's day-by-day walk, a month (or 400 years: 146096 days on
 * that calendar) at a time. Forward, a day past its month's end goes to the
 * 1st of the next month; backward, it counts down from where it is. */
static void list_add_days(int64_t *py, int *pm, int *pd, int64_t n)
{
    int64_t y = *py, days = n;
    int m = *pm;
    int64_t d = *pd;
    while (days > 0) {
        if (m == 1 && d == 1 && days >= 146096) {
            y += 400 * (days / 146096);
            days %= 146096;
            continue;
        }
        int64_t len = list_month_days(y, m);
        if (d > len)
            d = len;
        if (days <= len - d) {
            d += days;
            days = 0;
        } else {
            days -= len - d + 1;
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    while (days < 0) {
        if (m == 1 && d == 1 && -days >= 146096) {
            y -= 400 * (-days / 146096);
            days = -(-days % 146096);
            continue;
        }
        if (-days < d) {
            d += days;
            days = 0;
        } else {
            days += d;
            if (--m < 1) {
                m = 12;
                y--;
            }
            d = list_month_days(y, m);
        }
    }
    *py = y;
    *pm = m;
    *pd = (int)d;
}

static bool add_to_elements(exo_vm *vm, const word *w, list *src, int32_t n, value *out)
{
    size_t need = w->magic == ADD_DAYS ? 3 : w->magic == ADD_MONTHS ? 2 : 1;
    if (src->len < need)
        return vm_fail(vm, "%s expects a TSELEMENTS list of at least %zu elements.", w->name, need);
    int64_t y = 0;
    int f[3] = {0, 1, 1};
    size_t have = src->len < 3 ? src->len : 3;
    for (size_t i = 0; i < have; i++) {
        if (!val_is_number(src->items[i]))
            return vm_fail(vm, "%s expects numbers in the TSELEMENTS list, got %s at index %zu.", w->name,
                           val_type_name(src->items[i]), i);
        f[i] = java_int(src->items[i]);
    }
    y = f[0];
    if (have >= 2 && w->magic != ADD_YEARS && (f[1] < 1 || f[1] > 12))
        return vm_fail(vm, "%s: value %d for monthOfYear must be in the range [1,12].", w->name, f[1]);
    int m = f[1], d = f[2];
    unsigned set = 1; /* which of Y M D are rewritten (as LONG) */
    if (w->magic == ADD_DAYS) {
        list_add_days(&y, &m, &d, n);
        set = 7;
    } else if (w->magic == ADD_MONTHS) {
        int64_t total = y * 12 + (m - 1) + n;
        y = tu_floordiv(total, 12);
        m = (int)(total - y * 12) + 1;
        set = 3;
        if (have > 2 && d > list_month_days(y, m)) {
            d = list_month_days(y, m);
            set = 7;
        }
    } else {
        y += n;
        if (have > 2 && m == 2 && d > 28 && list_month_days(y, 2) == 28) {
            d = 28;
            set = 5;
        }
    }
    list *l = list_new(vm, src->len);
    if (!l)
        return false;
    int64_t nv[3] = {y, m, d};
    for (size_t i = 0; i < src->len; i++) {
        value e = i < 3 && (set >> i & 1) ? v_long(nv[i]) : val_retain(src->items[i]);
        if (!list_push(vm, l, e)) {
            val_release(vm, v_obj(T_LIST, l));
            return false;
        }
    }
    *out = v_obj(T_LIST, l);
    return true;
}

/* Reads the `ts (tz)` or `list` operands below depth `at`: *n counts them
 * with the ones above; *lst is set for the TSELEMENTS-list form. */
static bool target_args(exo_vm *vm, const word *w, size_t at, int64_t *ts, tu_zone **z, list **lst, size_t *n)
{
    value v = *vm_peek(vm, at);
    *z = NULL;
    *lst = NULL;
    *n = at + 1;
    if (v.type == T_LONG) {
        *ts = v.as.l;
        return true;
    }
    if (v.type == T_LIST) {
        *lst = AS_LIST(v);
        return true;
    }
    if (v.type != T_STRING)
        return vm_type_error(vm, w, (int)at + 1, "a LONG timestamp, a TSELEMENTS LIST or a STRING time zone");
    if (!vm_need(vm, at + 2))
        return false;
    if (vm_peek(vm, at + 1)->type != T_LONG)
        return vm_type_error(vm, w, (int)at + 2, "a LONG timestamp");
    *ts = vm_peek(vm, at + 1)->as.l;
    *n = at + 2;
    return load_zone(vm, w, v, z);
}

static bool w_add_calendar(exo_vm *vm, const word *w)
{
    static const char *const what[3] = {"a LONG number of days", "a LONG number of months", "a LONG number of years"};
    value top = *vm_peek(vm, 0);
    if (top.type != T_LONG)
        return vm_type_error(vm, w, 1, what[w->magic]);
    int32_t k = java_int(top); /* Warp 10 takes the count as a Java int */
    int64_t ts = 0, r = 0;
    tu_zone *z;
    list *lst;
    size_t n;
    if (!target_args(vm, w, 1, &ts, &z, &lst, &n))
        return false;
    if (lst) {
        value out;
        if (!add_to_elements(vm, w, lst, k, &out))
            return false;
        vm_drop(vm, n);
        return vm_push(vm, out);
    }
    bool ok = w->magic == ADD_DAYS ? tu_add_days(ts, z, k, &r)
                                   : tu_add_months(ts, z, w->magic == ADD_MONTHS ? (int64_t)k : (int64_t)k * 12, &r);
    tz_free(vm, z);
    if (!ok)
        return vm_fail(vm, "%s: the result is out of the supported range.", w->name);
    vm_drop(vm, n);
    return push_long(vm, r);
}

/* ts (tz) duration (N) ADDDURATION, or a TSELEMENTS list (done in UTC). */
static bool w_addduration(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    size_t di = 0;
    int64_t times = 1;
    if (top.type == T_LONG) {
        if (vm_peek(vm, 1)->type != T_STRING)
            return vm_type_error(vm, w, 2, "a STRING ISO8601 duration");
        if (!vm_need(vm, 3))
            return false;
        times = top.as.l;
        di = 1;
    } else if (top.type != T_STRING) {
        return vm_type_error(vm, w, 1, "a STRING ISO8601 duration or a LONG count");
    }
    str *ds = AS_STR(*vm_peek(vm, di));
    tu_period p;
    if (!tu_parse_period(ds->data, ds->len, &p))
        return vm_fail(vm, "%s received an invalid ISO8601 duration '%.*s'.", w->name,
                       (int)(ds->len > 64 ? 64 : ds->len), ds->data);
    /* ADDDURATION.java: the fraction takes the sign of the whole seconds, so
     * 'PT-0.5S' adds half a second; a ',' fraction is Joda's, milliseconds only */
    if (p.seconds == 0 && p.frac_us < 0)
        p.frac_us = -p.frac_us;
    if (memchr(ds->data, ',', ds->len))
        p.frac_us = p.frac_us / 1000 * 1000;
    int64_t ts = 0, r = 0;
    tu_zone *z;
    list *lst;
    size_t n;
    if (!target_args(vm, w, di + 1, &ts, &z, &lst, &n))
        return false;
    if (lst && !from_elements(vm, w, lst, NULL, &ts))
        return false;
    bool ok = tu_add_period(ts, z, &p, times, &r);
    tz_free(vm, z);
    if (!ok)
        return vm_fail(vm, "%s: the result is out of the supported range.", w->name);
    value out = lst ? elements_list(vm, r, NULL) : v_long(r);
    if (lst && val_is_oom(out))
        return false;
    vm_drop(vm, n);
    return vm_push(vm, out);
}

/* ---- durations ---- */

/* One field of Joda's ISO period parser (FieldFormatter.parseInto, suffix
 * `suf`, the seconds field taking a ',' or '.' fraction): *pos moves past the
 * field when it is there, stays when it is absent. Returns 1 to go on, 0 when
 * the parse stops there (what Joda reports as a negative position), -1 where
 * Java throws (an int overflow in Integer.parseInt). */
static int joda_field(const char *s, size_t len, size_t *pos, char suf, bool secs, int64_t *val, int64_t *ms)
{
    size_t q = *pos;
    for (; q < len; q++) { /* SimpleAffix.scan: only number characters before the suffix */
        if ((s[q] | 0x20) == (suf | 0x20))
            break;
        if (!strchr("0123456789.,+-", s[q]))
            return 1;
    }
    if (q >= len)
        return 1;
    size_t p = *pos, limit = q - p < 10 ? q - p : 10, n = 0;
    long fract = -1;
    bool digits = false;
    while (n < limit) {
        char c = s[p + n];
        if (n == 0 && (c == '-' || c == '+')) {
            if (n + 1 >= limit || s[p + n + 1] < '0' || s[p + n + 1] > '9')
                break;
            if (c == '-')
                n++;
            else
                p++;
            limit = limit + 1 < len - p ? limit + 1 : len - p;
            continue;
        }
        if (c >= '0' && c <= '9') {
            digits = true;
        } else if ((c == '.' || c == ',') && secs) {
            if (fract >= 0)
                break;
            fract = (long)(p + n + 1);
            limit = limit + 1 < len - p ? limit + 1 : len - p;
        } else {
            break;
        }
        n++;
    }
    if (!digits)
        return 0;
    if (p + n != q) /* the suffix belongs to a later field */
        return 1;
    size_t whole = fract < 0 ? n : (size_t)fract - p - 1;
    int64_t v = 0;
    bool neg = whole > 0 && s[p] == '-';
    for (size_t i = neg; i < whole; i++)
        v = v * 10 + (s[p + i] - '0');
    if (neg)
        v = -v;
    if (whole >= 10 && (v > INT32_MAX || v < INT32_MIN))
        return -1;
    *val = v;
    if (secs) {
        int64_t f = 0;
        if (fract >= 0) {
            size_t fl = p + n - (size_t)fract, k = fl < 3 ? fl : 3;
            for (size_t i = 0; i < k; i++)
                f = f * 10 + (s[fract + i] - '0');
            for (; k < 3 && fl > 0; k++)
                f *= 10;
            if (v < 0)
                f = -f;
        }
        *ms = f;
    }
    *pos = q + 1;
    return 1;
}

/* ISOPeriodFormat.standard().getParser().parseInto as DURATION calls it: the
 * result is ignored, so every field parsed before a failure counts ('P12S' is
 * 12 seconds, 'P2D5H' 2 days 5 hours, 'foo' nothing). False where Java throws. */
static bool joda_period_into(const char *s, size_t len, tu_period *pd, int64_t *ms)
{
    memset(pd, 0, sizeof *pd);
    *ms = 0;
    if (len < 1 || (s[0] | 0x20) != 'p')
        return true;
    size_t pos = 1;
    int64_t *f[] = {&pd->years, &pd->months, &pd->weeks, &pd->days, &pd->hours, &pd->minutes, &pd->seconds};
    static const char suf[] = "YMWDHMS";
    for (int i = 0; i < 7; i++) {
        if (i == 4 && pos < len && (s[pos] | 0x20) == 't')
            pos++; /* the separator, consumed when the date part parsed */
        int r = joda_field(s, len, &pos, suf[i], i == 6, f[i], ms);
        if (r <= 0)
            return r == 0;
    }
    return true;
}

/* DURATION.parseDuration: a leading '-' negates the whole; a '.' fraction of
 * the seconds is cut off before Joda and kept to the time unit; the rest goes
 * through Joda's lenient parseInto. */
static bool w_duration(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (v.type != T_STRING)
        return vm_type_error(vm, w, 1, "a STRING ISO8601 duration");
    const char *s = AS_STR(v)->data;
    size_t len = AS_STR(v)->len;
    int64_t sign = 1;
    if (len > 0 && s[0] == '-') {
        sign = -1;
        s++;
        len--;
    }
    const char *dot = memchr(s, '.', len);
    char buf[256];
    int64_t sub = 0;
    size_t tlen = len;
    if (dot) {
        tlen = (size_t)(dot - s);
        const char *t1 = dot + 1;
        size_t l1 = len - tlen - 1;
        if (memchr(t1, '.', l1) || l1 == 0 || tlen + 1 >= sizeof buf || l1 + 2 >= sizeof buf)
            goto bad;
        /* Double.valueOf("0." + token minus its last character) */
        char num[256] = "0.";
        memcpy(num + 2, t1, l1 - 1);
        num[l1 + 1] = 0;
        for (size_t i = 2; num[i]; i++)
            if (num[i] < '0' || num[i] > '9')
                goto bad;
        sub = (int64_t)(strtod(num, NULL) * (double)TU_PER_S);
        memcpy(buf, s, tlen);
        buf[tlen] = 'S';
        s = buf;
        len = tlen + 1;
    }
    tu_period p;
    int64_t ms;
    if (!joda_period_into(s, len, &p, &ms))
        goto bad;
    if (p.years || p.months)
        return vm_fail(vm, "%s doesn't support ambiguous durations containing years or months, please convert "
                           "those to days.",
                       w->name);
    if (p.seconds < 0) {
        sub = -sub;
    } else if (p.seconds == 0 && sub != 0) { /* '-0+' just before the cut: a negative fraction */
        size_t i = tlen;
        while (i > 0 && s[i - 1] == '0')
            i--;
        if (i < tlen && i > 0 && s[i - 1] == '-')
            sub = -sub;
    }
    int64_t t;
    if (__builtin_mul_overflow(p.weeks, 7, &t) || __builtin_add_overflow(t, p.days, &t) ||
        __builtin_mul_overflow(t, 24, &t) || __builtin_add_overflow(t, p.hours, &t) ||
        __builtin_mul_overflow(t, 60, &t) || __builtin_add_overflow(t, p.minutes, &t) ||
        __builtin_mul_overflow(t, 60, &t) || __builtin_add_overflow(t, p.seconds, &t) ||
        __builtin_mul_overflow(t, 1000, &t) || __builtin_add_overflow(t, ms, &t) ||
        __builtin_mul_overflow(t, TU_PER_MS, &t) || __builtin_add_overflow(t, sub, &t) ||
        __builtin_mul_overflow(t, sign, &t))
        return vm_fail(vm, "%s: the duration is too large.", w->name);
    vm_drop(vm, 1);
    return push_long(vm, t);
bad:
    v = *vm_peek(vm, 0);
    return vm_fail(vm, "%s expects an ISO8601 duration such as 'P1DT2H30M', got '%.*s'.", w->name,
                   (int)(AS_STR(v)->len > 64 ? 64 : AS_STR(v)->len), AS_STR(v)->data);
}

static bool w_isoduration(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (v.type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG number of time units");
    int64_t ms = v.as.l / TU_PER_MS; /* Joda periods stop at milliseconds */
    int64_t h = ms / 3600000, m = ms / 60000 % 60, sms = ms % 60000;
    if (h > INT32_MAX || h < INT32_MIN)
        return vm_fail(vm, "%s: the duration is too large to print.", w->name);
    char buf[64], *p = buf;
    p += sprintf(p, "PT");
    if (h)
        p += sprintf(p, "%lldH", (long long)h);
    if (m)
        p += sprintf(p, "%lldM", (long long)m);
    if (sms || (!h && !m)) {
        int64_t a = sms < 0 ? -sms : sms;
        p += sprintf(p, "%s%lld", sms < 0 ? "-" : "", (long long)(a / 1000));
        if (a % 1000)
            p += sprintf(p, ".%03lld", (long long)(a % 1000));
        *p++ = 'S';
    }
    value s = str_new(vm, buf, (size_t)(p - buf));
    if (val_is_oom(s))
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, s);
}

/* As HUMANDURATION.java writes it, negative durations included: d, h and m
 * only from a positive number of days (hours, minutes) on, truncating
 * divisions, then the seconds and Long.toString(1000000 + rest) minus its
 * first character (fewer digits when the rest is negative). */
static bool w_humanduration(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (v.type != T_LONG)
        return vm_type_error(vm, w, 1, "a LONG number of time units");
    int64_t d = v.as.l;
    static const int64_t unit_us[3] = {86400 * TU_PER_S, 3600 * TU_PER_S, 60 * TU_PER_S};
    static const char unit_ch[3] = {'d', 'h', 'm'};
    char buf[96], *p = buf;
    bool started = false;
    for (int i = 0; i < 3; i++) {
        int64_t q = d / unit_us[i];
        if (q > 0 || started) {
            p += sprintf(p, "%lld%c", (long long)q, unit_ch[i]);
            d -= q * unit_us[i];
            started = true;
        }
    }
    int64_t s = d / TU_PER_S, r = d - s * TU_PER_S;
    char frac[24];
    snprintf(frac, sizeof frac, "%lld", (long long)(TU_PER_S + r));
    p += sprintf(p, "%lld.%ss", (long long)s, frac + 1);
    value out = str_new(vm, buf, (size_t)(p - buf));
    if (val_is_oom(out))
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, out);
}

static const word time_words[] = {
    EXO_WORD("NOW", w_now, 0, "-- ts", "Pushes the current time in time units (microseconds since the epoch)."),
    EXO_WORD("AGO", w_ago, 1, "offset -- ts", "Pushes NOW minus offset time units."),
    EXO_WORD_MAGIC("STU", w_const, 0, "-- 1000000", "Pushes the number of time units per second.", 1000000),
    EXO_WORD_MAGIC("MSTU", w_const, 0, "-- 1000", "Pushes the number of time units per millisecond.", 1000),
    EXO_WORD_DATA("w", w_unit, 1, "n -- tu", "Converts weeks to time units (rounded).", &U_W),
    EXO_WORD_DATA("d", w_unit, 1, "n -- tu", "Converts days to time units (rounded).", &U_D),
    EXO_WORD_DATA("h", w_unit, 1, "n -- tu", "Converts hours to time units (rounded).", &U_H),
    EXO_WORD_DATA("m", w_unit, 1, "n -- tu", "Converts minutes to time units (rounded).", &U_M),
    EXO_WORD_DATA("s", w_unit, 1, "n -- tu", "Converts seconds to time units (rounded).", &U_S),
    EXO_WORD_DATA("ms", w_unit, 1, "n -- tu", "Converts milliseconds to time units (rounded).", &U_MS),
    EXO_WORD_DATA("us", w_unit, 1, "n -- tu", "Converts microseconds to time units (rounded).", &U_US),
    EXO_WORD_DATA("ns", w_unit, 1, "n -- tu", "Converts nanoseconds to time units (rounded).", &U_NS),
    EXO_WORD_DATA("ps", w_unit, 1, "n -- tu", "Converts picoseconds to time units (rounded).", &U_PS),
    EXO_WORD("ISO8601", w_iso8601, 1, "ts (tz) -- str",
             "Formats a timestamp as yyyy-MM-ddTHH:mm:ss.ffffff with Z or the zone's offset."),
    EXO_WORD("TOTIMESTAMP", w_totimestamp, 1, "str -- ts",
             "Parses an ISO-8601 date-time with a Z, offset or [zone] into a timestamp."),
    EXO_WORD("TSELEMENTS", w_tselements, 1, "ts (tz) -- [Y M D h m s subsec doy dow woy]",
             "Splits a timestamp into calendar fields (dow 1 = Monday, ISO week)."),
    EXO_WORD("->TSELEMENTS", w_tselements, 1, "ts (tz) -- [Y M D h m s subsec doy dow woy]",
             "Same as TSELEMENTS."),
    EXO_WORD("TSELEMENTS->", w_from_tselements, 1, "[Y M D h m s subsec] (tz) -- ts",
             "Builds a timestamp from calendar fields (a prefix of the list is enough)."),
    EXO_WORD_MAGIC("ADDDAYS", w_add_calendar, 2, "ts (tz) n -- ts",
                   "Adds n days on the local calendar (also on a TSELEMENTS list).", ADD_DAYS),
    EXO_WORD_MAGIC("ADDMONTHS", w_add_calendar, 2, "ts (tz) n -- ts",
                   "Adds n months, clamping the day to the month's end (also on a TSELEMENTS list).", ADD_MONTHS),
    EXO_WORD_MAGIC("ADDYEARS", w_add_calendar, 2, "ts (tz) n -- ts",
                   "Adds n years, Feb 29 becoming Feb 28 (also on a TSELEMENTS list).", ADD_YEARS),
    EXO_WORD("ADDDURATION", w_addduration, 2, "ts (tz) duration (N) -- ts",
             "Adds an ISO-8601 duration (N times) on the local calendar (also on a TSELEMENTS list)."),
    EXO_WORD("DURATION", w_duration, 1, "str -- tu", "Converts an ISO-8601 duration ('P1DT2H') to time units."),
    EXO_WORD("ISODURATION", w_isoduration, 1, "tu -- str", "Formats time units as an ISO-8601 duration ('PT1H30M')."),
    EXO_WORD("HUMANDURATION", w_humanduration, 1, "tu -- str", "Formats time units as '1d2h3m4.000005s'."),
};

EXO_FAMILY(time, time_words)
