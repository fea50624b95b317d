/* Calendar and time-zone arithmetic shared by the time words, calendar
 * mappers and calendar BUCKETIZE. Timestamps are platform time units
 * (microseconds since the epoch, TU_PER_S per second); calendar math is
 * proleptic Gregorian on int64 day numbers, like Joda's ISO chronology.
 * Zones come from the system's TZif files (v2+ 64-bit data plus the POSIX
 * footer rule), or are UTC / fixed offsets; a loaded zone is owned by the
 * caller (tz_free) and is read-only, so it may be reused across calls. */
#ifndef EXO_TIMEUTIL_H
#define EXO_TIMEUTIL_H

#include "common.h"

#define TU_PER_S INT64_C(1000000)
#define TU_PER_MS INT64_C(1000)
#define TU_SECS_PER_DAY INT64_C(86400)

/* ---- plain calendar (no zone) ---- */

static inline int64_t tu_floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
static inline int64_t tu_floormod(int64_t a, int64_t b)
{
    int64_t r = a % b; /* not a - q * b, which overflows near INT64_MIN */
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

bool tu_is_leap(int64_t year);
int tu_month_days(int64_t year, int month); /* month 1..12 */
/* Days since 1970-01-01 of a date (month 1..12, day may run past the month
 * end: it just counts on). Valid for |year| < 2^40. */
int64_t tu_days_from_civil(int64_t year, int month, int day);
void tu_civil_from_days(int64_t days, int64_t *year, int *month, int *day);
/* ISO day of week of a day number: 1 = Monday ... 7 = Sunday. */
int tu_weekday(int64_t days);

/* ---- zones ---- */

typedef struct tu_zone tu_zone;

/* Loads a zone by id: "UTC", "Z", "GMT", a fixed offset ("+01:00",
 * "-0530", "+01", "UTC+02:00"), or a tz database name read from the system
 * zoneinfo ("Europe/Paris"). On failure sets the VM error, naming `who`
 * (the word), and returns false. */
bool tz_load(exo_vm *vm, const char *who, const char *id, size_t len, tu_zone **out);
void tz_free(exo_vm *vm, tu_zone *z); /* NULL is fine */
const char *tz_name(const tu_zone *z);
/* Offset from UTC (seconds east) in effect at UTC second t; z NULL = UTC. */
int32_t tz_offset(const tu_zone *z, int64_t t);
/* UTC second of a local wall-clock second, as Joda resolves it: in an
 * overlap the earlier instant (summer time), in a gap the time is pushed
 * forward by the gap length and *gap (if not NULL) is set. */
int64_t tz_to_utc(const tu_zone *z, int64_t local, bool *gap);

/* ---- broken-down time ---- */

typedef struct tu_fields {
    int64_t year;
    int month, day, hour, minute, second;
    int32_t usec;    /* 0..999999 */
    int yday;        /* 1..366 */
    int wday;        /* 1 = Monday ... 7 = Sunday */
    int week;        /* ISO week of the week-based year, 1..53 */
    int64_t wyear;   /* ISO week-based year */
    int32_t offset;  /* seconds east of UTC */
} tu_fields;

/* Splits timestamp ts (time units) in zone z (NULL = UTC). */
void tu_split(int64_t ts, const tu_zone *z, tu_fields *f);
/* Local wall-clock second of a date and time of day (no range checks;
 * false if it overflows). */
bool tu_local_seconds(int64_t year, int month, int day, int64_t hour, int64_t minute, int64_t second,
                      int64_t *out);
/* Timestamp (time units) of UTC second sec plus usec; false on overflow. */
bool tu_from_seconds(int64_t sec, int64_t usec, int64_t *out);

/* Calendar arithmetic on a timestamp in zone z, done on the local date and
 * time as Joda's plusDays/plusMonths do (month-end clamping, Feb 29 ->
 * Feb 28); the sub-second part is kept. False when out of range. */
bool tu_add_days(int64_t ts, const tu_zone *z, int64_t days, int64_t *out);
bool tu_add_months(int64_t ts, const tu_zone *z, int64_t months, int64_t *out);

/* ---- ISO-8601 text ---- */

#define TU_ISO_MAX 48
/* yyyy-MM-ddTHH:mm:ss.ffffff then Z (zero offset) or +HH:MM[:SS].
 * Returns the length written to buf (at least TU_ISO_MAX bytes). */
size_t tu_format_iso(int64_t ts, const tu_zone *z, char *buf);

/* Parses an ISO-8601 date-time with a mandatory zone: Z, an offset
 * (+HH:MM[:SS]) optionally followed by [Zone/Id], or a bare [Zone/Id].
 * Fractions up to 9 digits, truncated to time units. Returns false and
 * sets the VM error (naming `who`) on malformed input or unknown zone. */
bool tu_parse_iso(exo_vm *vm, const char *who, const char *s, size_t len, int64_t *out);

/* ---- ISO-8601 periods (PnYnMnWnDTnHnMnS) ---- */

typedef struct tu_period {
    int64_t years, months, weeks, days, hours, minutes, seconds;
    int64_t frac_us; /* fraction of the seconds field, in time units, same sign */
} tu_period;

/* Parses a period as Joda's ISO period format does (signed fields, a
 * fraction on seconds with '.' or ','). False if malformed. */
bool tu_parse_period(const char *s, size_t len, tu_period *p);
/* Adds n times period p to ts in zone z: the date fields on the local
 * calendar, the time fields as exact durations. False when out of range. */
bool tu_add_period(int64_t ts, const tu_zone *z, const tu_period *p, int64_t n, int64_t *out);

#endif
