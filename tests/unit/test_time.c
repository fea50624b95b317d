/* Time words and interp/timeutil.c: units, ISO-8601 in and out, calendar
 * fields, calendar arithmetic, durations, zones (TZif files, POSIX rules,
 * DST gaps and overlaps, offsets checked against the C library), and every
 * error path with its message and the stack it leaves. */
#include "harness.h"
#include "oom.h"

#include "timeutil.h"
#include "vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static bool have_tzdata(void) { return access("/usr/share/zoneinfo/Europe/Paris", R_OK) == 0; }

#define NEED_TZDATA()                                                                                          \
    do {                                                                                                       \
        if (!have_tzdata())                                                                                    \
            cr_skip_test("tzdata is not installed: named time zones are not tested");                         \
    } while (0)

/* ---- units ---- */

Test(time_units, conformance_151_153)
{
    expect_stack("1 s 1 ms 1 us", "[1,1000,1000000]");
    expect_stack("1.5 s 1 ns 2.5 ms", "[2500,0,1500000]");
}

Test(time_units, every_unit)
{
    expect_stack("1 w", "[604800000000]");
    expect_stack("1 d", "[86400000000]");
    expect_stack("1 h", "[3600000000]");
    expect_stack("1 m", "[60000000]");
    expect_stack("2 s", "[2000000]");
    expect_stack("3 ms", "[3000]");
    expect_stack("4 us", "[4]");
    expect_stack("4000 ns", "[4]");
    expect_stack("4000000 ps", "[4]");
    expect_stack("0.5 d", "[43200000000]");
    expect_stack("0.1 s", "[100000]");
}

Test(time_units, long_rounding_is_exact_half_up)
{
    expect_stack("500 ns", "[1]");
    expect_stack("499 ns", "[0]");
    expect_stack("-500 ns", "[0]");
    expect_stack("-501 ns", "[-1]");
    expect_stack("1500000 ps", "[2]");
    expect_stack("1499999 ps", "[1]");
    expect_stack("-9223372036854775808 ns", "[-9223372036854776]");
    expect_stack("9223372036854775807 ns", "[9223372036854776]");
    /* 2^53 + 1 would lose its last bit through a DOUBLE */
    expect_stack("9007199254740993 us", "[9007199254740993]");
    expect_stack("4611686018427 s", "[4611686018427000000]");
}

Test(time_units, overflow_saturates_like_math_round)
{
    expect_stack("9223372036854775807 s", "[9223372036854775807]");
    expect_stack("-9223372036854775807 s", "[-9223372036854775808]");
    expect_stack("1.0E300 w", "[9223372036854775807]");
    expect_stack("Infinity s", "[9223372036854775807]");
    expect_stack("-Infinity s", "[-9223372036854775808]");
    expect_stack("NaN s", "[0]");
}

Test(time_units, double_rounding_like_java)
{
    expect_stack("0.5 us", "[1]");
    expect_stack("-0.5 us", "[0]");
    expect_stack("2.5 us", "[3]");
    expect_stack("-2.5 us", "[-2]");
    expect_stack("0.49999999999999994 us", "[0]");
    expect_stack("1.5 m", "[90000000]");
}

Test(time_units, errors)
{
    expect_error("'a' s", "s expects a number at depth 1, got STRING.", "[\"a\"]");
    expect_error("T ms", "ms expects a number at depth 1, got BOOLEAN.", "[true]");
    expect_error("[ ] w", "w expects a number at depth 1, got LIST.", "[[]]");
    expect_error("ns", "Empty stack.", "[]");
}

/* ---- clock and constants ---- */

Test(time_clock, stu_mstu)
{
    expect_stack("STU MSTU", "[1000,1000000]");
}

Test(time_clock, now_and_ago)
{
    expect_stack("NOW TYPEOF", "[\"LONG\"]");
    exo_vm *vm = h_vm();
    const char *src = "NOW 1 h AGO 0 AGO 2.9 AGO";
    cr_assert_eq(exo_eval(vm, src, strlen(src), "t"), EXO_OK);
    int64_t now, ago1h, ago0, ago29;
    cr_assert(exo_get_long(vm, 3, &now) && exo_get_long(vm, 2, &ago1h) && exo_get_long(vm, 1, &ago0) &&
              exo_get_long(vm, 0, &ago29));
    int64_t wall = (int64_t)time(NULL) * 1000000;
    cr_assert(now > wall - 5000000 && now < wall + 5000000, "NOW is microseconds since the epoch");
    cr_assert(ago1h <= now - 3600000000 + 1000000 && ago1h > now - 3600000000 - 5000000);
    cr_assert(ago0 >= now && ago0 < now + 5000000);
    cr_assert(ago29 >= ago0 - 2 && ago29 < ago0 + 5000000, "a DOUBLE offset is truncated");
    exo_vm_free(vm);
}

Test(time_clock, needs_clock_capability)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_vm *vm = exo_vm_new(&cfg);
    const char *src = "1 NOW";
    cr_assert_neq(exo_eval(vm, src, strlen(src), "t"), EXO_OK);
    cr_assert(strstr(exo_last_error(vm)->message, "NOW needs the 'clock' capability"), "%s",
              exo_last_error(vm)->message);
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[1]");
    exo_clear(vm);
    src = "5 AGO";
    cr_assert_neq(exo_eval(vm, src, strlen(src), "t"), EXO_OK);
    cr_assert(strstr(exo_last_error(vm)->message, "AGO needs the 'clock' capability"));
    cr_assert_str_eq(exo_stack_json(vm, NULL), "[5]");
    exo_vm_free(vm);
}

Test(time_clock, ago_errors)
{
    expect_error("'x' AGO", "AGO expects a number of time units at depth 1, got STRING.", "[\"x\"]");
    expect_error("AGO", "Empty stack.", "[]");
}

/* ---- ISO8601 ---- */

Test(time_iso8601, utc)
{
    expect_stack("1709208000123456 ISO8601", "[\"2024-02-29T12:00:00.123456Z\"]");
    expect_stack("0 ISO8601", "[\"1970-01-01T00:00:00.000000Z\"]");
    expect_stack("1 ISO8601", "[\"1970-01-01T00:00:00.000001Z\"]");
    expect_stack("-1 ISO8601", "[\"1969-12-31T23:59:59.999999Z\"]");
    expect_stack("-1500 ISO8601", "[\"1969-12-31T23:59:59.998500Z\"]");
    expect_stack("-1000000 ISO8601", "[\"1969-12-31T23:59:59.000000Z\"]");
    expect_stack("-62135596800000000 ISO8601", "[\"0001-01-01T00:00:00.000000Z\"]");
    expect_stack("-62167219200000000 ISO8601", "[\"0000-01-01T00:00:00.000000Z\"]");
    expect_stack("-62198755200000000 ISO8601", "[\"-0001-01-01T00:00:00.000000Z\"]");
    expect_stack("253402300800000000 ISO8601", "[\"10000-01-01T00:00:00.000000Z\"]");
    expect_stack("9223372036854775807 ISO8601", "[\"294247-01-10T04:00:54.775807Z\"]");
    expect_stack("-9223372036854775808 ISO8601", "[\"-290308-12-21T19:59:05.224192Z\"]");
    expect_stack("-2203891200000000 ISO8601", "[\"1900-03-01T00:00:00.000000Z\"]");
}

Test(time_iso8601, fixed_zones)
{
    expect_stack("0 'UTC' ISO8601", "[\"1970-01-01T00:00:00.000000Z\"]");
    expect_stack("0 'Z' ISO8601", "[\"1970-01-01T00:00:00.000000Z\"]");
    expect_stack("0 'GMT' ISO8601", "[\"1970-01-01T00:00:00.000000Z\"]");
    expect_stack("0 '+00:00' ISO8601", "[\"1970-01-01T00:00:00.000000Z\"]");
    expect_stack("0 '+05:30' ISO8601", "[\"1970-01-01T05:30:00.000000+05:30\"]");
    expect_stack("0 '-0800' ISO8601", "[\"1969-12-31T16:00:00.000000-08:00\"]");
    expect_stack("0 '+01' ISO8601", "[\"1970-01-01T01:00:00.000000+01:00\"]");
    expect_stack("0 '-3' ISO8601", "[\"1969-12-31T21:00:00.000000-03:00\"]");
    expect_stack("0 'UTC+02:00' ISO8601", "[\"1970-01-01T02:00:00.000000+02:00\"]");
    expect_stack("0 '+01:02:03' ISO8601", "[\"1970-01-01T01:02:03.000000+01:02:03\"]");
}

Test(time_iso8601, named_zones)
{
    NEED_TZDATA();
    expect_stack("0 'Europe/Paris' ISO8601", "[\"1970-01-01T01:00:00.000000+01:00\"]"); /* conformance 161 */
    expect_stack("1709208000123456 'Europe/Paris' ISO8601", "[\"2024-02-29T13:00:00.123456+01:00\"]");
    expect_stack("0 'America/New_York' ISO8601", "[\"1969-12-31T19:00:00.000000-05:00\"]");
    expect_stack("0 'Asia/Kolkata' ISO8601", "[\"1970-01-01T05:30:00.000000+05:30\"]");
    expect_stack("1704067200000000 'Australia/Sydney' ISO8601", "[\"2024-01-01T11:00:00.000000+11:00\"]");
    expect_stack("1719792000000000 'Europe/London' ISO8601", "[\"2024-07-01T01:00:00.000000+01:00\"]");
    expect_stack("1704067200000000 'Europe/London' ISO8601", "[\"2024-01-01T00:00:00.000000Z\"]");
    /* local mean time before standard time, with its seconds */
    expect_stack("-2208988800000000 'Europe/Paris' ISO8601", "[\"1900-01-01T00:09:21.000000+00:09:21\"]");
    /* far future: the POSIX footer rule */
    expect_stack("4118083200000000 'Europe/Paris' ISO8601", "[\"2100-07-01T02:00:00.000000+02:00\"]");
    expect_stack("4102444800000000 'Europe/Paris' ISO8601", "[\"2100-01-01T01:00:00.000000+01:00\"]");
}

Test(time_iso8601, paris_dst_transitions)
{
    NEED_TZDATA();
    expect_stack("1711846799999999 'Europe/Paris' ISO8601", "[\"2024-03-31T01:59:59.999999+01:00\"]");
    expect_stack("1711846800000000 'Europe/Paris' ISO8601", "[\"2024-03-31T03:00:00.000000+02:00\"]");
    expect_stack("1729990799999999 'Europe/Paris' ISO8601", "[\"2024-10-27T02:59:59.999999+02:00\"]");
    expect_stack("1729990800000000 'Europe/Paris' ISO8601", "[\"2024-10-27T02:00:00.000000+01:00\"]");
}

Test(time_iso8601, errors)
{
    expect_error("1.5 ISO8601", "ISO8601 expects a LONG timestamp or a STRING time zone at depth 1, got DOUBLE.",
                 "[1.5]");
    expect_error("1.5 'UTC' ISO8601", "ISO8601 expects a LONG timestamp at depth 2, got DOUBLE.", "[\"UTC\",1.5]");
    expect_error("'UTC' ISO8601", "Empty stack.", "[\"UTC\"]");
    expect_error("ISO8601", "Empty stack.", "[]");
    expect_error("0 'Mars/Olympus' ISO8601", "ISO8601: unknown time zone 'Mars/Olympus'.", "[\"Mars/Olympus\",0]");
    expect_error("0 '../../../etc/passwd' ISO8601", "ISO8601: unknown time zone '../../../etc/passwd'.",
                 "[\"../../../etc/passwd\",0]");
    expect_error("0 '/etc/passwd' ISO8601", "unknown time zone", "[\"/etc/passwd\",0]");
    expect_error("0 'Europe' ISO8601", "unknown time zone 'Europe'", "[\"Europe\",0]");
    expect_error("0 '' ISO8601", "unknown time zone ''", "[\"\",0]");
    expect_error("0 '+25:00' ISO8601", "unknown time zone '+25:00'", "[\"+25:00\",0]");
    expect_error("0 '+01:60' ISO8601", "unknown time zone", "[\"+01:60\",0]");
    expect_error("0 'europe/paris' ISO8601", "unknown time zone", "[\"europe/paris\",0]");
}

/* ---- TOTIMESTAMP ---- */

Test(time_totimestamp, parses)
{
    expect_stack("'1970-01-01T00:00:01Z' TOTIMESTAMP", "[1000000]"); /* conformance 158 */
    expect_stack("'2024-02-29T12:00:00.123456Z' TOTIMESTAMP", "[1709208000123456]");
    expect_stack("'2024-02-29T13:00:00.123456789+01:00' TOTIMESTAMP", "[1709208000123456]");
    expect_stack("'2024-02-29T13:00:00.1+01:00' TOTIMESTAMP", "[1709208000100000]");
    expect_stack("'2024-02-29T13:00+01:00' TOTIMESTAMP", "[1709208000000000]");
    expect_stack("'2024-02-29T06:30:00-05:30' TOTIMESTAMP", "[1709208000000000]");
    expect_stack("'2024-02-29T12:00:30+00:00:30' TOTIMESTAMP", "[1709208000000000]");
    expect_stack("'2024-02-29t12:00:00z' TOTIMESTAMP", "[1709208000000000]");
    expect_stack("'1969-12-31T23:59:59.999999Z' TOTIMESTAMP", "[-1]");
    expect_stack("'1969-12-31T23:59:59.9999999Z' TOTIMESTAMP", "[-1]");
    expect_stack("'0001-01-01T00:00:00Z' TOTIMESTAMP", "[-62135596800000000]");
    expect_stack("'-0001-01-01T00:00:00Z' TOTIMESTAMP", "[-62198755200000000]");
    expect_stack("'+10000-01-01T00:00:00Z' TOTIMESTAMP", "[253402300800000000]");
    expect_stack("'1900-02-28T00:00:00Z' TOTIMESTAMP", "[-2203977600000000]");
}

Test(time_totimestamp, zone_ids)
{
    NEED_TZDATA();
    /* with an offset, the offset gives the instant; the zone must exist */
    expect_stack("'2024-02-29T13:00:00.123456+01:00[Europe/Paris]' TOTIMESTAMP", "[1709208000123456]");
    expect_stack("'2024-07-01T12:00:00[Europe/Paris]' TOTIMESTAMP", "[1719828000000000]");
    /* gap: pushed forward to 03:30+02:00; overlap: the earlier instant */
    expect_stack("'2024-03-31T02:30:00[Europe/Paris]' TOTIMESTAMP", "[1711848600000000]");
    expect_stack("'2024-10-27T02:30:00[Europe/Paris]' TOTIMESTAMP", "[1729989000000000]");
    expect_stack("'2024-03-10T02:30:00[America/New_York]' TOTIMESTAMP", "[1710055800000000]");
    expect_stack("'2024-11-03T01:30:00[America/New_York]' TOTIMESTAMP", "[1730611800000000]");
    expect_error("'2024-01-01T00:00:00+01:00[Mars/Base]' TOTIMESTAMP", "TOTIMESTAMP: unknown time zone 'Mars/Base'.",
                 "[\"2024-01-01T00:00:00+01:00[Mars/Base]\"]");
}

Test(time_totimestamp, round_trips_with_iso8601)
{
    exo_vm *vm = h_vm();
    int64_t samples[] = {0, 1, -1, 999999, -999999, 1709208000123456, -2203891200000001, 253402300799999999,
                         -62198755200000000, 951868800000000};
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        exo_clear(vm);
        exo_push_long(vm, samples[i]);
        const char *src = "ISO8601 TOTIMESTAMP";
        cr_assert_eq(exo_eval(vm, src, strlen(src), "t"), EXO_OK, "%s", exo_last_error(vm)->message);
        int64_t back;
        cr_assert(exo_get_long(vm, 0, &back));
        cr_assert_eq(back, samples[i]);
    }
    exo_vm_free(vm);
}

Test(time_totimestamp, errors)
{
    const char *msg = "TOTIMESTAMP can only parse an ISO8601 timestamp (YYYY-MM-DDThh:mm:ss.sssssssss) with a "
                      "specified time zone, got '2024-02-29T12:00:00'.";
    expect_error("'2024-02-29T12:00:00' TOTIMESTAMP", msg, "[\"2024-02-29T12:00:00\"]");
    const char *bad[] = {
        "2023-02-29T12:00:00Z", "2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z", "2024-00-01T00:00:00Z",
        "2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z", "2024-01-01T23:59:60Z", "2024-01-01%2012:00:00Z",
        "2024-01-01T12:00:00.Z", "2024-01-01T12:00:00+1:00", "2024-01-01T12:00:00Zjunk", "24-01-01T12:00:00Z",
        "2024-1-01T12:00:00Z", "2024-01-01T12Z", "2024-01-01T12:00:00+19:00", "2024-01-01T12:00:00[]",
        "2024-01-01T12:00:00+01:00[Europe/Paris", "abc", "1900-02-29T00:00:00Z", "+2024-01-01T00:00:00X",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char src[128];
        snprintf(src, sizeof src, "'%s' TOTIMESTAMP", bad[i]);
        exo_vm *vm = h_vm();
        cr_assert_neq(exo_eval(vm, src, strlen(src), "t"), EXO_OK, "%s should fail", src);
        cr_assert(strstr(exo_last_error(vm)->message, "TOTIMESTAMP can only parse an ISO8601 timestamp"), "%s: %s",
                  src, exo_last_error(vm)->message);
        exo_vm_free(vm);
    }
    expect_error("'' TOTIMESTAMP", "can only parse an ISO8601 timestamp", "[\"\"]");
    expect_error("42 TOTIMESTAMP", "TOTIMESTAMP expects a STRING ISO8601 timestamp at depth 1, got LONG.", "[42]");
    expect_error("TOTIMESTAMP", "Empty stack.", "[]");
}

/* ---- TSELEMENTS ---- */

Test(time_tselements, utc)
{
    expect_stack("1709208000123456 TSELEMENTS", "[[2024,2,29,12,0,0,123456,60,4,9]]");
    expect_stack("1709208000123456 ->TSELEMENTS", "[[2024,2,29,12,0,0,123456,60,4,9]]");
    expect_stack("0 TSELEMENTS", "[[1970,1,1,0,0,0,0,1,4,1]]");
    expect_stack("-1 TSELEMENTS", "[[1969,12,31,23,59,59,999999,365,3,1]]");
    expect_stack("1609632000000000 TSELEMENTS", "[[2021,1,3,0,0,0,0,3,7,53]]");
    expect_stack("1735516800000000 TSELEMENTS", "[[2024,12,30,0,0,0,0,365,1,1]]");
    expect_stack("-2203891200000000 TSELEMENTS", "[[1900,3,1,0,0,0,0,60,4,9]]");
    expect_stack("951868800000000 TSELEMENTS", "[[2000,3,1,0,0,0,0,61,3,9]]");
    expect_stack("0 '-01:00' TSELEMENTS", "[[1969,12,31,23,0,0,0,365,3,1]]");
}

Test(time_tselements, zones)
{
    NEED_TZDATA();
    expect_stack("0 'Europe/Paris' TSELEMENTS", "[[1970,1,1,1,0,0,0,1,4,1]]");
    expect_stack("1711846800000001 'Europe/Paris' TSELEMENTS", "[[2024,3,31,3,0,0,1,91,7,13]]");
}

Test(time_tselements, errors)
{
    expect_error("'x' TSELEMENTS", "Empty stack.", "[\"x\"]");
    expect_error("2.5 TSELEMENTS", "TSELEMENTS expects a LONG timestamp or a STRING time zone at depth 1, got DOUBLE.",
                 "[2.5]");
    expect_error("[ ] 'UTC' TSELEMENTS", "TSELEMENTS expects a LONG timestamp at depth 2, got LIST.", "[\"UTC\",[]]");
    expect_error("0 'Nowhere/City' ->TSELEMENTS", "->TSELEMENTS: unknown time zone 'Nowhere/City'.",
                 "[\"Nowhere/City\",0]");
}

Test(time_from_tselements, builds)
{
    expect_stack("[ 2024 2 29 12 0 0 123456 ] TSELEMENTS->", "[1709208000123456]");
    expect_stack("[ 2024 2 29 12 0 0 123456 60 4 9 ] TSELEMENTS->", "[1709208000123456]");
    expect_stack("[ 2024 2 29 ] TSELEMENTS->", "[1709164800000000]");
    expect_stack("[ 2024 ] TSELEMENTS->", "[1704067200000000]");
    expect_stack("[ ] TSELEMENTS->", "[0]");
    expect_stack("[ 1969 12 31 23 59 59 999999 ] TSELEMENTS->", "[-1]");
    expect_stack("[ 2024.9 2.5 29 ] TSELEMENTS->", "[1709164800000000]");
    expect_stack("[ 1970 1 1 0 0 0 2000001 ] TSELEMENTS->", "[1]");
    expect_stack("[ 1970 1 1 1 0 0 ] '+01:00' TSELEMENTS->", "[0]");
    expect_stack("1709208000123456 TSELEMENTS TSELEMENTS->", "[1709208000123456]");
}

Test(time_from_tselements, zones)
{
    NEED_TZDATA();
    expect_stack("[ 2024 2 29 13 0 0 123456 ] 'Europe/Paris' TSELEMENTS->", "[1709208000123456]");
    /* overlap: the earlier instant (summer time) */
    expect_stack("[ 2024 10 27 2 30 ] 'Europe/Paris' TSELEMENTS->", "[1729989000000000]");
    expect_error("[ 2024 3 31 2 30 ] 'Europe/Paris' TSELEMENTS->",
                 "TSELEMENTS->: 2024-03-31T02:30:00 does not exist in time zone Europe/Paris (daylight saving gap).",
                 "[\"Europe/Paris\",[2024,3,31,2,30]]");
}

Test(time_from_tselements, errors)
{
    expect_error("1 TSELEMENTS->", "TSELEMENTS-> expects a TSELEMENTS LIST or a STRING time zone at depth 1, got LONG.",
                 "[1]");
    expect_error("1 'UTC' TSELEMENTS->", "TSELEMENTS-> expects a TSELEMENTS LIST at depth 2, got LONG.", "[\"UTC\",1]");
    expect_error("[ 2024 ] 'Atlantis/Capital' TSELEMENTS->", "TSELEMENTS->: unknown time zone 'Atlantis/Capital'.",
                 "[\"Atlantis/Capital\",[2024]]");
    expect_error("[ 2024 13 ] TSELEMENTS->", "TSELEMENTS->: value 13 for monthOfYear must be in the range [1,12].",
                 "[[2024,13]]");
    expect_error("[ 2023 2 29 ] TSELEMENTS->", "TSELEMENTS->: value 29 for dayOfMonth must be in the range [1,28].",
                 "[[2023,2,29]]");
    expect_error("[ 1900 2 29 ] TSELEMENTS->", "value 29 for dayOfMonth must be in the range [1,28].",
                 "[[1900,2,29]]");
    expect_stack("[ 2000 2 29 ] TSELEMENTS->", "[951782400000000]");
    expect_error("[ 2024 1 0 ] TSELEMENTS->", "value 0 for dayOfMonth must be in the range [1,31].", "[[2024,1,0]]");
    expect_error("[ 2024 1 1 24 ] TSELEMENTS->", "value 24 for hourOfDay must be in the range [0,23].",
                 "[[2024,1,1,24]]");
    expect_error("[ 2024 1 1 0 60 ] TSELEMENTS->", "value 60 for minuteOfHour must be in the range [0,59].",
                 "[[2024,1,1,0,60]]");
    expect_error("[ 2024 1 1 0 0 -1 ] TSELEMENTS->", "value -1 for secondOfMinute must be in the range [0,59].",
                 "[[2024,1,1,0,0,-1]]");
    expect_error("[ 2024 'a' ] TSELEMENTS->",
                 "TSELEMENTS-> expects numbers in the TSELEMENTS list, got STRING at index 1.", "[[2024,\"a\"]]");
    expect_error("[ 2000000000 ] TSELEMENTS->", "TSELEMENTS->: the date is out of the supported range.",
                 "[[2000000000]]");
    expect_error("TSELEMENTS->", "Empty stack.", "[]");
}

/* ---- ADDDAYS ADDMONTHS ADDYEARS ---- */

Test(time_add, days)
{
    expect_stack("1709208000123456 1 ADDDAYS ISO8601", "[\"2024-03-01T12:00:00.123456Z\"]");
    expect_stack("1709208000123456 -1 ADDDAYS ISO8601", "[\"2024-02-28T12:00:00.123456Z\"]");
    expect_stack("1709208000123456 366 ADDDAYS ISO8601", "[\"2025-03-01T12:00:00.123456Z\"]");
    expect_stack("1709208000123456 0 ADDDAYS", "[1709208000123456]");
    expect_stack("-1 1 ADDDAYS ISO8601", "[\"1970-01-01T23:59:59.999999Z\"]");
    expect_stack("-2203891200000000 -1 ADDDAYS ISO8601", "[\"1900-02-28T00:00:00.000000Z\"]");
    expect_stack("951868800000000 -1 ADDDAYS ISO8601", "[\"2000-02-29T00:00:00.000000Z\"]");
    expect_stack("0 '+01:00' 1 ADDDAYS", "[86400000000]");
    /* the count is a Java int: 2^32 + 1 days is 1 day */
    expect_stack("0 4294967297 ADDDAYS", "[86400000000]");
}

Test(time_add, months_and_years_clamp)
{
    expect_stack("'2024-01-31T10:00:00Z' TOTIMESTAMP 1 ADDMONTHS ISO8601", "[\"2024-02-29T10:00:00.000000Z\"]");
    expect_stack("'2023-01-31T10:00:00Z' TOTIMESTAMP 1 ADDMONTHS ISO8601", "[\"2023-02-28T10:00:00.000000Z\"]");
    expect_stack("'2024-03-31T10:00:00Z' TOTIMESTAMP 1 ADDMONTHS ISO8601", "[\"2024-04-30T10:00:00.000000Z\"]");
    expect_stack("'2024-03-31T10:00:00Z' TOTIMESTAMP -13 ADDMONTHS ISO8601", "[\"2023-02-28T10:00:00.000000Z\"]");
    expect_stack("'2024-11-15T10:00:00Z' TOTIMESTAMP 2 ADDMONTHS ISO8601", "[\"2025-01-15T10:00:00.000000Z\"]");
    expect_stack("'1969-12-31T23:59:59.5Z' TOTIMESTAMP 2 ADDMONTHS ISO8601", "[\"1970-02-28T23:59:59.500000Z\"]");
    expect_stack("'2024-02-29T10:00:00Z' TOTIMESTAMP 1 ADDYEARS ISO8601", "[\"2025-02-28T10:00:00.000000Z\"]");
    expect_stack("'2024-02-29T10:00:00Z' TOTIMESTAMP 4 ADDYEARS ISO8601", "[\"2028-02-29T10:00:00.000000Z\"]");
    expect_stack("'2004-02-29T10:00:00Z' TOTIMESTAMP -104 ADDYEARS ISO8601", "[\"1900-02-28T10:00:00.000000Z\"]");
    expect_stack("'2004-02-29T10:00:00Z' TOTIMESTAMP -4 ADDYEARS ISO8601", "[\"2000-02-29T10:00:00.000000Z\"]");
    expect_stack("5 0 ADDMONTHS 7 0 ADDYEARS", "[7,5]");
}

Test(time_add, across_dst)
{
    NEED_TZDATA();
    /* a calendar day across the spring change is 23 hours */
    expect_stack("'2024-03-30T12:00:00+01:00' TOTIMESTAMP 'Europe/Paris' 1 ADDDAYS 'Europe/Paris' ISO8601",
                 "[\"2024-03-31T12:00:00.000000+02:00\"]");
    /* into the gap: pushed forward */
    expect_stack("'2024-03-30T02:30:00+01:00' TOTIMESTAMP 'Europe/Paris' 1 ADDDAYS 'Europe/Paris' ISO8601",
                 "[\"2024-03-31T03:30:00.000000+02:00\"]");
    /* into the overlap: the earlier instant */
    expect_stack("'2024-10-26T02:30:00+02:00' TOTIMESTAMP 'Europe/Paris' 1 ADDDAYS 'Europe/Paris' ISO8601",
                 "[\"2024-10-27T02:30:00.000000+02:00\"]");
    expect_stack("'2024-01-15T12:00:00+01:00' TOTIMESTAMP 'Europe/Paris' 6 ADDMONTHS 'Europe/Paris' ISO8601",
                 "[\"2024-07-15T12:00:00.000000+02:00\"]");
    /* in UTC the same addition keeps the UTC time of day */
    expect_stack("'2024-01-15T11:00:00Z' TOTIMESTAMP 6 ADDMONTHS 'Europe/Paris' ISO8601",
                 "[\"2024-07-15T13:00:00.000000+02:00\"]");
    expect_stack("'2023-07-01T00:00:00+02:00' TOTIMESTAMP 'Europe/Paris' 1 ADDYEARS 'Europe/Paris' ISO8601",
                 "[\"2024-07-01T00:00:00.000000+02:00\"]");
}

Test(time_add, tselements_lists)
{
    expect_stack("[ 2024 2 28 10 30 ] 1 ADDDAYS", "[[2024,2,29,10,30]]");
    expect_stack("[ 2023 2 28 ] 1 ADDDAYS", "[[2023,3,1]]");
    /* the list forms' own calendar (ADDDAYS.java...): divisible by 100 is never leap, 2000 included */
    expect_stack("[ 2000 2 28 ] 1 ADDDAYS", "[[2000,3,1]]");
    expect_stack("[ 2000 3 1 ] -1 ADDDAYS", "[[2000,2,28]]");
    expect_stack("[ 2000 1 31 ] 1 ADDMONTHS", "[[2000,2,28]]");
    expect_stack("[ 2004 2 29 ] -4 ADDYEARS", "[[2000,2,28]]");
    expect_stack("[ 2004 2 28 ] 1 ADDDAYS", "[[2004,2,29]]");
    /* a day past the month's end: forward to the next 1st, backward from where it is */
    expect_stack("[ 2001 2 30 ] 1 ADDDAYS", "[[2001,3,1]]");
    expect_stack("[ 2001 2 30 ] -1 ADDDAYS", "[[2001,2,29]]");
    expect_stack("[ 2001 2 30 ] 0 ADDDAYS", "[[2001,2,30]]");
    /* long walks: 400 years are 146096 days on that calendar */
    expect_stack("[ 2024 1 1 ] 146096 ADDDAYS", "[[2424,1,1]]");
    expect_stack("[ 2024 1 1 ] -146097 ADDDAYS", "[[1623,12,31]]");
    expect_stack("[ 2024 3 15 ] 400 ADDDAYS", "[[2025,4,19]]");
    expect_stack("[ 2024 3 15 ] -400 ADDDAYS", "[[2023,2,9]]");
    expect_stack("[ 1900 2 28 ] 1 ADDDAYS", "[[1900,3,1]]");
    expect_stack("[ 2024 1 1 ] -1 ADDDAYS", "[[2023,12,31]]");
    expect_stack("[ 2024 1 31 ] 1 ADDMONTHS", "[[2024,2,29]]");
    expect_stack("[ 2024 1 30.0 5 ] 1 ADDMONTHS", "[[2024,2,29,5]]");
    expect_stack("[ 2024 1 15.0 ] 1 ADDMONTHS", "[[2024,2,15.0]]");
    expect_stack("[ 2024 12 ] 1 ADDMONTHS", "[[2025,1]]");
    expect_stack("[ 2024 1 ] -1 ADDMONTHS", "[[2023,12]]");
    expect_stack("[ 2024 2 29 ] 1 ADDYEARS", "[[2025,2,28]]");
    expect_stack("[ 2024 2 29 ] 4 ADDYEARS", "[[2028,2,29]]");
    expect_stack("[ 2024 ] 1 ADDYEARS", "[[2025]]");
    /* the source list is not modified */
    expect_stack("[ 2024 2 28 ] DUP 1 ADDDAYS", "[[2024,2,29],[2024,2,28]]");
}

Test(time_add, errors)
{
    expect_error("0 'x' ADDDAYS", "ADDDAYS expects a LONG number of days at depth 1, got STRING.", "[\"x\",0]");
    expect_error("0 1.5 ADDMONTHS", "ADDMONTHS expects a LONG number of months at depth 1, got DOUBLE.", "[1.5,0]");
    expect_error("0 T ADDYEARS", "ADDYEARS expects a LONG number of years at depth 1, got BOOLEAN.", "[true,0]");
    expect_error("1.5 1 ADDDAYS",
                 "ADDDAYS expects a LONG timestamp, a TSELEMENTS LIST or a STRING time zone at depth 2, got DOUBLE.",
                 "[1,1.5]");
    expect_error("'UTC' 1 ADDDAYS", "Empty stack.", "[1,\"UTC\"]");
    expect_error("[ ] 'UTC' 1 ADDDAYS", "ADDDAYS expects a LONG timestamp at depth 3, got LIST.", "[1,\"UTC\",[]]");
    expect_error("0 'Sea/Atlantis' 1 ADDMONTHS", "ADDMONTHS: unknown time zone 'Sea/Atlantis'.",
                 "[1,\"Sea/Atlantis\",0]");
    expect_error("[ 2024 2 ] 1 ADDDAYS", "ADDDAYS expects a TSELEMENTS list of at least 3 elements.", "[1,[2024,2]]");
    expect_error("[ 2024 ] 1 ADDMONTHS", "ADDMONTHS expects a TSELEMENTS list of at least 2 elements.", "[1,[2024]]");
    expect_error("[ ] 1 ADDYEARS", "ADDYEARS expects a TSELEMENTS list of at least 1 elements.", "[1,[]]");
    expect_error("[ 2024 'x' 1 ] 1 ADDDAYS", "ADDDAYS expects numbers in the TSELEMENTS list, got STRING at index 1.",
                 "[1,[2024,\"x\",1]]");
    expect_error("[ 2024 14 1 ] 1 ADDMONTHS", "ADDMONTHS: value 14 for monthOfYear must be in the range [1,12].",
                 "[1,[2024,14,1]]");
    expect_error("9223372036854775807 1 ADDDAYS", "ADDDAYS: the result is out of the supported range.",
                 "[1,9223372036854775807]");
    expect_error("-9223372036854775808 -1 ADDYEARS", "ADDYEARS: the result is out of the supported range.",
                 "[-1,-9223372036854775808]");
    expect_error("ADDDAYS", "Empty stack.", "[]");
    expect_error("1 ADDDAYS", "Empty stack.", "[1]");
}

/* ---- ADDDURATION ---- */

Test(time_addduration, adds)
{
    expect_stack("0 'P1DT2H' ADDDURATION ISO8601", "[\"1970-01-02T02:00:00.000000Z\"]");
    expect_stack("0 'PT1.5S' ADDDURATION", "[1500000]");
    expect_stack("0 'PT0.000001S' ADDDURATION", "[1]");
    expect_stack("0 'PT-1.5S' ADDDURATION", "[-1500000]");
    /* the fraction follows the sign of the whole seconds (ADDDURATION.java) */
    expect_stack("0 'PT-0.5S' ADDDURATION", "[500000]");
    expect_stack("0 'PT1M-0.5S' ADDDURATION", "[60500000]");
    expect_stack("0 'PT0,0015S' ADDDURATION", "[1000]"); /* Joda's milliseconds */
    expect_stack("0 'PT-1,5S' ADDDURATION", "[-1500000]");
    expect_stack("'2024-01-31T00:00:00Z' TOTIMESTAMP 'P1M' ADDDURATION ISO8601", "[\"2024-02-29T00:00:00.000000Z\"]");
    expect_stack("'2024-01-31T00:00:00Z' TOTIMESTAMP 'P1M' 2 ADDDURATION ISO8601", "[\"2024-03-31T00:00:00.000000Z\"]");
    expect_stack("'2024-02-29T00:00:00Z' TOTIMESTAMP 'P1Y2W' ADDDURATION ISO8601", "[\"2025-03-14T00:00:00.000000Z\"]");
    expect_stack("0 'PT1M' -3 ADDDURATION", "[-180000000]");
    expect_stack("[ 2024 2 28 ] 'P1D' ADDDURATION", "[[2024,2,29,0,0,0,0,60,4,9]]");
}

Test(time_addduration, zones)
{
    NEED_TZDATA();
    expect_stack("'2024-03-30T12:00:00+01:00' TOTIMESTAMP 'Europe/Paris' 'P1D' ADDDURATION 'Europe/Paris' ISO8601",
                 "[\"2024-03-31T12:00:00.000000+02:00\"]");
    expect_stack("'2024-03-30T12:00:00+01:00' TOTIMESTAMP 'Europe/Paris' 'PT24H' ADDDURATION 'Europe/Paris' ISO8601",
                 "[\"2024-03-31T13:00:00.000000+02:00\"]");
}

Test(time_addduration, errors)
{
    expect_error("0 1 ADDDURATION", "ADDDURATION expects a STRING ISO8601 duration at depth 2, got LONG.", "[1,0]");
    expect_error("0 'P1D' 1.5 ADDDURATION",
                 "ADDDURATION expects a STRING ISO8601 duration or a LONG count at depth 1, got DOUBLE.",
                 "[1.5,\"P1D\",0]");
    expect_error("0 'P1X' ADDDURATION", "ADDDURATION received an invalid ISO8601 duration 'P1X'.", "[\"P1X\",0]");
    expect_error("1.5 'P1D' ADDDURATION",
                 "ADDDURATION expects a LONG timestamp, a TSELEMENTS LIST or a STRING time zone at depth 2, got DOUBLE.",
                 "[\"P1D\",1.5]");
    expect_error("'P1D' 2 ADDDURATION", "Empty stack.", "[2,\"P1D\"]");
    expect_error("9223372036854775807 'PT1S' ADDDURATION", "ADDDURATION: the result is out of the supported range.",
                 "[\"PT1S\",9223372036854775807]");
}

/* ---- DURATION ISODURATION HUMANDURATION ---- */

Test(time_duration, parses)
{
    expect_stack("'P1DT2H' DURATION", "[93600000000]");
    expect_stack("'PT1.5S' DURATION", "[1500000]");
    expect_stack("'PT1,5S' DURATION", "[1500000]");
    expect_stack("'PT0.0015S' DURATION", "[1500]"); /* the '.' fraction is cut off before Joda */
    expect_stack("'PT1,0015S' DURATION", "[1001000]"); /* a ',' fraction goes to Joda: milliseconds */
    expect_stack("'P1W' DURATION", "[604800000000]");
    expect_stack("'P2W3D' DURATION", "[1468800000000]");
    expect_stack("'PT90M' DURATION", "[5400000000]");
    expect_stack("'PT-1H30M' DURATION", "[-1800000000]");
    expect_stack("'P0D' DURATION", "[0]");
    expect_stack("'PT-0.5S' DURATION", "[-500000]");
}

Test(time_duration, errors)
{
    expect_error("'P1Y' DURATION",
                 "DURATION doesn't support ambiguous durations containing years or months, please convert those to "
                 "days.",
                 "[\"P1Y\"]");
    expect_error("'P1M' DURATION", "ambiguous durations", "[\"P1M\"]");
    /* parseInto's result is ignored by DURATION.java: what parsed before a
     * failure counts (the doc page's 'P12S' and 'P2D5H37M10S' lack the T) */
    const char *lenient[][2] = {
        {"P12S", "[12000000]"},           {"P2D5H37M10S", "[193030000000]"}, {"-PT1H", "[-3600000000]"},
        {"", "[0]"},                      {"P", "[0]"},                      {"PT", "[0]"},
        {"P1DT", "[86400000000]"},        {"1D", "[0]"},                     {"P1H", "[3600000000]"},
        {"PT1D", "[0]"},                  {"P1D1D", "[86400000000]"},        {"PT1S1M", "[1000000]"},
        {"P1.5D", "[1500000]"},           {"PT.5S", "[500000]"},             {"P1DX", "[86400000000]"},
        {"p1d", "[86400000000]"},         {"P1D ", "[86400000000]"},         {"PT1.S", "[1000000]"},
        {"P99999999999999999999D", "[0]"}, {"PT1M-0.25S", "[59750000]"},
    };
    for (size_t i = 0; i < sizeof lenient / sizeof *lenient; i++) {
        char src[128];
        snprintf(src, sizeof src, "'%s' DURATION", lenient[i][0]);
        expect_stack(src, lenient[i][1]);
    }
    const char *bad[] = {"PT1..5S", "PT1.", "P9999999999D", "PT1.5xS"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char src[128];
        snprintf(src, sizeof src, "'%s' DURATION", bad[i]);
        exo_vm *vm = h_vm();
        cr_assert_neq(exo_eval(vm, src, strlen(src), "t"), EXO_OK, "%s should fail", src);
        cr_assert(strstr(exo_last_error(vm)->message, "DURATION expects an ISO8601 duration such as 'P1DT2H30M'"),
                  "%s: %s", src, exo_last_error(vm)->message);
        exo_vm_free(vm);
    }
    expect_error("'P106751992D' DURATION", "DURATION: the duration is too large.", "[\"P106751992D\"]");
    expect_error("5 DURATION", "DURATION expects a STRING ISO8601 duration at depth 1, got LONG.", "[5]");
}

Test(time_duration, isoduration)
{
    expect_stack("5400000000 ISODURATION", "[\"PT1H30M\"]");
    expect_stack("0 ISODURATION", "[\"PT0S\"]");
    expect_stack("999 ISODURATION", "[\"PT0S\"]");
    expect_stack("1234 ISODURATION", "[\"PT0.001S\"]");
    expect_stack("1500000 ISODURATION", "[\"PT1.500S\"]");
    expect_stack("-1500000 ISODURATION", "[\"PT-1.500S\"]");
    expect_stack("-500000 ISODURATION", "[\"PT-0.500S\"]");
    expect_stack("-5400000000 ISODURATION", "[\"PT-1H-30M\"]");
    expect_stack("86400000000 ISODURATION", "[\"PT24H\"]");
    expect_stack("90061001000 ISODURATION", "[\"PT25H1M1.001S\"]");
    expect_stack("3600000000 ISODURATION", "[\"PT1H\"]");
    expect_stack("'PT25H1M1.001S' DURATION ISODURATION", "[\"PT25H1M1.001S\"]");
    expect_error("9223372036854775807 ISODURATION", "ISODURATION: the duration is too large to print.",
                 "[9223372036854775807]");
    expect_error("1.0 ISODURATION", "ISODURATION expects a LONG number of time units at depth 1, got DOUBLE.",
                 "[1.0]");
}

Test(time_duration, humanduration)
{
    expect_stack("93784000005 HUMANDURATION", "[\"1d2h3m4.000005s\"]");
    /* negative durations as HUMANDURATION.java prints them */
    expect_stack("-93784000005 HUMANDURATION", "[\"-93784.99995s\"]");
    expect_stack("-1500000 HUMANDURATION", "[\"-1.00000s\"]");
    expect_stack("-86400000000 HUMANDURATION", "[\"-86400.000000s\"]");
    expect_stack("5 HUMANDURATION", "[\"0.000005s\"]");
    expect_stack("0 HUMANDURATION", "[\"0.000000s\"]");
    expect_stack("86400000000 HUMANDURATION", "[\"1d0h0m0.000000s\"]");
    expect_stack("3600000000 HUMANDURATION", "[\"1h0m0.000000s\"]");
    expect_stack("-1 HUMANDURATION", "[\"0.99999s\"]");
    expect_stack("-999999 HUMANDURATION", "[\"0.s\"]");
    expect_stack("-9223372036854775808 HUMANDURATION", "[\"-9223372036854.24192s\"]");
    expect_stack("9223372036854775807 HUMANDURATION", "[\"106751991d4h0m54.775807s\"]");
    expect_error("'1s' HUMANDURATION", "HUMANDURATION expects a LONG number of time units at depth 1, got STRING.",
                 "[\"1s\"]");
}

/* ---- timeutil ---- */

Test(timeutil, civil_round_trip)
{
    int64_t y = -2001;
    int m = 1, d = 1;
    int64_t days = tu_days_from_civil(y, m, d);
    int wd = tu_weekday(days);
    for (int i = 0; i < 365 * 4400; i++) {
        int64_t yy;
        int mm, dd;
        tu_civil_from_days(days, &yy, &mm, &dd);
        cr_assert(yy == y && mm == m && dd == d, "day %lld", (long long)days);
        cr_assert_eq(tu_days_from_civil(y, m, d), days);
        cr_assert_eq(tu_weekday(days), wd);
        days++;
        wd = wd % 7 + 1;
        if (++d > tu_month_days(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    cr_assert(tu_is_leap(2000) && tu_is_leap(2024) && tu_is_leap(0) && tu_is_leap(-4));
    cr_assert(!tu_is_leap(1900) && !tu_is_leap(2100) && !tu_is_leap(2023) && !tu_is_leap(-1));
    cr_assert_eq(tu_days_from_civil(1970, 1, 1), 0);
    cr_assert_eq(tu_weekday(0), 4);
}

Test(timeutil, periods)
{
    tu_period p;
    cr_assert(tu_parse_period("P1Y2M3W4DT5H6M7.25S", 19, &p));
    cr_assert(p.years == 1 && p.months == 2 && p.weeks == 3 && p.days == 4 && p.hours == 5 && p.minutes == 6 &&
              p.seconds == 7 && p.frac_us == 250000);
    cr_assert(tu_parse_period("PT-0.5S", 7, &p) && p.seconds == 0 && p.frac_us == -500000);
    cr_assert(!tu_parse_period("P1M1Y", 5, &p));
}

/* Offsets against the C library, which reads the same TZif files, every
 * 11 hours from 1901 to 2100; local -> UTC gives back the instant (or the
 * earlier one in an overlap). */
Test(timeutil, offsets_match_libc)
{
    NEED_TZDATA();
    static const char *const zones[] = {"Europe/Paris",       "America/New_York", "Australia/Sydney",
                                        "Australia/Lord_Howe", "Asia/Kolkata",     "America/St_Johns",
                                        "Pacific/Chatham",    "Europe/Dublin",    "Africa/Casablanca",
                                        "America/Sao_Paulo",  "UTC",              "Etc/GMT+5"};
    exo_vm *vm = h_vm();
    for (size_t zi = 0; zi < sizeof zones / sizeof *zones; zi++) {
        tu_zone *z;
        cr_assert(tz_load(vm, "test", zones[zi], strlen(zones[zi]), &z), "%s: %s", zones[zi],
                  exo_last_error(vm)->message);
        setenv("TZ", zones[zi], 1);
        tzset();
        for (int64_t t = -2177452800; t < 4102444800; t += 11 * 3600 + 7) {
            time_t tt = (time_t)t;
            struct tm tm;
            localtime_r(&tt, &tm);
            int32_t off = tz_offset(z, t);
            cr_assert_eq(off, tm.tm_gmtoff, "%s at %lld: %d vs libc %ld", zones[zi], (long long)t, off,
                         tm.tm_gmtoff);
            int64_t back = tz_to_utc(z, t + off, NULL);
            cr_assert(back <= t && back + tz_offset(z, back) == t + off, "%s at %lld", zones[zi], (long long)t);
        }
        tz_free(vm, z);
    }
    exo_vm_free(vm);
}

/* Every allocation of a zone-using script fails in turn: an error each
 * time, never a crash or a leak. */
Test(timeutil, allocation_failures)
{
    const char *src = "0 'Europe/Paris' ISO8601 0 '+01:00' TSELEMENTS [ 2024 1 31 ] 1 ADDMONTHS "
                      "'2024-02-29T13:00:00+01:00[Europe/Paris]' TOTIMESTAMP 5400000000 ISODURATION";
    oom_sweep(src, OOM_COLD);
}

/* The VM's zone cache is cleared when full; a zone still held by a caller
 * stays valid (ASan would see a use after free), and cached loads match. */
Test(timeutil, cache_keeps_held_zones)
{
    NEED_TZDATA();
    exo_vm *vm = h_vm();
    tu_zone *paris, *again, *z;
    cr_assert(tz_load(vm, "t", "Europe/Paris", 12, &paris));
    cr_assert(tz_load(vm, "t", "Europe/Paris", 12, &again));
    cr_assert_eq(tz_offset(paris, 1719792000), tz_offset(again, 1719792000));
    tz_free(vm, again);
    char name[32];
    for (int i = -14; i <= 12; i++) {
        for (int k = 0; k < 3; k++) { /* 78 loads of Etc/GMT+n (POSIX sign: west), more than the cache holds */
            snprintf(name, sizeof name, "Etc/GMT%+d", i);
            if (i == 0)
                continue;
            cr_assert(tz_load(vm, "t", name, strlen(name), &z), "%s", name);
            cr_assert_eq(tz_offset(z, 0), -3600 * i, "%s", name);
            tz_free(vm, z);
        }
        /* without the Etc/ prefix, GMT+n is a fixed offset as java.time reads it (east) */
        snprintf(name, sizeof name, "GMT%+d", i);
        cr_assert(tz_load(vm, "t", name, strlen(name), &z), "%s", name);
        cr_assert_eq(tz_offset(z, 0), 3600 * i, "%s", name);
        tz_free(vm, z);
    }
    cr_assert_eq(tz_offset(paris, 1719792000), 7200);
    cr_assert_eq(tz_offset(paris, 1704067200), 3600);
    tz_free(vm, paris);
    exo_vm_free(vm);
}
