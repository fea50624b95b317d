/* Calendar math, zone offsets and ISO-8601 text for the time words.
 * Day numbers use the era-based civil algorithm (400-year cycles), so any
 * int64 timestamp works, before 1970 included. A zone is one block: the
 * transition times and offsets read from a TZif file, the offset before
 * the first transition, and the POSIX footer rule used after the last one.
 * Local -> UTC resolution samples the offsets a day either side, which is
 * exact whenever two transitions are more than a day apart (always, in
 * practice) and reproduces Joda's gap/overlap choices. */
#include "timeutil.h"
#include "alloc.h"
#include "vm.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

/* ---- calendar ---- */

bool tu_is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int tu_month_days(int64_t y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && tu_is_leap(y) ? 29 : len[(m - 1) % 12];
}

int64_t tu_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = tu_floordiv(y, 400);
    int64_t yoe = y - era * 400;                                   /* [0, 399] */
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void tu_civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
    z += 719468;
    int64_t era = tu_floordiv(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (m <= 2);
    *month = m;
    *day = d;
}

int tu_weekday(int64_t days) { return (int)tu_floormod(days + 3, 7) + 1; } /* 1970-01-01 was a Thursday */

static int iso_weeks_in_year(int64_t y)
{
    int jan1 = tu_weekday(tu_days_from_civil(y, 1, 1));
    return jan1 == 4 || (jan1 == 3 && tu_is_leap(y)) ? 53 : 52;
}

/* ---- zones ---- */

/* A POSIX TZ rule date: Jn (1..365, no Feb 29), n (0..365), Mm.w.d. */
typedef struct rule_date {
    char kind; /* 'J', 'N' or 'M' */
    int n, m, w, d;
    int32_t time; /* seconds after local midnight, may be negative or > 24h */
} rule_date;

typedef struct tz_rule {
    int32_t std_off, dst_off; /* seconds east */
    bool has_dst;
    rule_date start, end;
} tz_rule;

struct tu_zone {
    size_t bytes; /* size of this block, for vm_dealloc */
    obj *holder;  /* the cache's BYTES object holding this zone, or NULL if owned */
    size_t n;     /* transitions */
    int64_t *trans;
    int32_t *offs; /* offset in effect from trans[i] on */
    int32_t off0;  /* before the first transition (and the fixed offset) */
    bool has_rule;
    tz_rule rule;
    char name[64];
};

const char *tz_name(const tu_zone *z) { return z ? z->name : "UTC"; }

static int64_t rule_local(const rule_date *r, int64_t y)
{
    int64_t days;
    if (r->kind == 'J') {
        days = tu_days_from_civil(y, 1, 1) + r->n - 1 + (tu_is_leap(y) && r->n >= 60);
    } else if (r->kind == 'N') {
        days = tu_days_from_civil(y, 1, 1) + r->n;
    } else {
        int64_t first = tu_days_from_civil(y, r->m, 1);
        int wd0 = tu_weekday(first) % 7; /* 0 = Sunday, as POSIX counts */
        int64_t day = first + (r->d - wd0 + 7) % 7 + 7 * (r->w - 1);
        while (day >= first + tu_month_days(y, r->m))
            day -= 7;
        days = day;
    }
    return days * TU_SECS_PER_DAY + r->time;
}

static int32_t rule_offset(const tz_rule *r, int64_t t)
{
    if (!r->has_dst)
        return r->std_off;
    int64_t y, days = tu_floordiv(t + r->std_off, TU_SECS_PER_DAY);
    int mo, d;
    tu_civil_from_days(days, &y, &mo, &d);
    int64_t s = rule_local(&r->start, y) - r->std_off; /* start is given in standard time */
    int64_t e = rule_local(&r->end, y) - r->dst_off;   /* end in daylight time */
    bool dst = s < e ? (t >= s && t < e) : !(t >= e && t < s);
    return dst ? r->dst_off : r->std_off;
}

int32_t tz_offset(const tu_zone *z, int64_t t)
{
    if (!z)
        return 0;
    if (z->n == 0 || t < z->trans[0])
        return z->n == 0 && z->has_rule ? rule_offset(&z->rule, t) : z->off0;
    size_t lo = 0, hi = z->n; /* last transition <= t */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->trans[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    if (lo == z->n - 1 && z->has_rule)
        return rule_offset(&z->rule, t);
    return z->offs[lo];
}

int64_t tz_to_utc(const tu_zone *z, int64_t local, bool *gap)
{
    if (gap)
        *gap = false;
    if (!z)
        return local;
    int32_t cand[3] = {tz_offset(z, local - TU_SECS_PER_DAY), tz_offset(z, local),
                       tz_offset(z, local + TU_SECS_PER_DAY)};
    bool found = false;
    int32_t best = 0;
    for (int i = 0; i < 3; i++) {
        if (tz_offset(z, local - cand[i]) == cand[i] && (!found || cand[i] > best)) {
            best = cand[i]; /* the largest valid offset is the earliest instant */
            found = true;
        }
    }
    if (found)
        return local - best;
    if (gap)
        *gap = true;
    return local - cand[0]; /* in a gap: the offset before it pushes the time forward */
}

/* ---- POSIX TZ footer ---- */

static bool p_num(const char **s, const char *end, int max_digits, int *out)
{
    int v = 0, n = 0;
    while (*s < end && **s >= '0' && **s <= '9' && n < max_digits) {
        v = v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    *out = v;
    return n > 0;
}

/* [+-]hh[:mm[:ss]] as a signed number of seconds. */
static bool p_hms(const char **s, const char *end, int32_t *out)
{
    int sign = 1, h, m = 0, sec = 0;
    if (*s < end && (**s == '+' || **s == '-'))
        sign = *(*s)++ == '-' ? -1 : 1;
    if (!p_num(s, end, 3, &h))
        return false;
    if (*s < end && **s == ':') {
        (*s)++;
        if (!p_num(s, end, 2, &m))
            return false;
        if (*s < end && **s == ':') {
            (*s)++;
            if (!p_num(s, end, 2, &sec))
                return false;
        }
    }
    *out = sign * (h * 3600 + m * 60 + sec);
    return true;
}

static bool p_abbr(const char **s, const char *end)
{
    const char *p = *s;
    if (p < end && *p == '<') {
        while (p < end && *p != '>')
            p++;
        if (p >= end)
            return false;
        *s = p + 1;
        return true;
    }
    while (p < end && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
        p++;
    if (p - *s < 3)
        return false;
    *s = p;
    return true;
}

static bool p_rule_date(const char **s, const char *end, rule_date *r)
{
    r->time = 7200;
    if (*s < end && **s == 'J') {
        (*s)++;
        r->kind = 'J';
        if (!p_num(s, end, 3, &r->n) || r->n < 1 || r->n > 365)
            return false;
    } else if (*s < end && **s == 'M') {
        (*s)++;
        r->kind = 'M';
        if (!p_num(s, end, 2, &r->m) || *s >= end || *(*s)++ != '.' || !p_num(s, end, 1, &r->w) ||
            *s >= end || *(*s)++ != '.' || !p_num(s, end, 1, &r->d))
            return false;
        if (r->m < 1 || r->m > 12 || r->w < 1 || r->w > 5 || r->d > 6)
            return false;
    } else {
        r->kind = 'N';
        if (!p_num(s, end, 3, &r->n) || r->n > 365)
            return false;
    }
    if (*s < end && **s == '/') {
        (*s)++;
        return p_hms(s, end, &r->time);
    }
    return true;
}

static bool parse_posix(const char *s, const char *end, tz_rule *r)
{
    int32_t off;
    if (!p_abbr(&s, end) || !p_hms(&s, end, &off))
        return false;
    r->std_off = -off; /* POSIX offsets count west */
    r->has_dst = false;
    if (s == end)
        return true;
    if (!p_abbr(&s, end))
        return false;
    r->dst_off = r->std_off + 3600;
    if (s < end && *s != ',') {
        if (!p_hms(&s, end, &off))
            return false;
        r->dst_off = -off;
    }
    if (s >= end || *s++ != ',' || !p_rule_date(&s, end, &r->start) || s >= end || *s++ != ',' ||
        !p_rule_date(&s, end, &r->end))
        return false;
    r->has_dst = true;
    return s == end;
}

/* ---- TZif ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) { return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4)); }

static tu_zone *zone_new(exo_vm *vm, size_t n, const char *name, size_t len)
{
    size_t bytes = sizeof(tu_zone) + n * (sizeof(int64_t) + sizeof(int32_t));
    tu_zone *z = vm_calloc(vm, bytes);
    if (!z)
        return NULL;
    z->bytes = bytes;
    z->n = n;
    z->trans = (int64_t *)(z + 1);
    z->offs = (int32_t *)(z->trans + n);
    if (len >= sizeof z->name)
        len = sizeof z->name - 1;
    memcpy(z->name, name, len);
    return z;
}

void tz_free(exo_vm *vm, tu_zone *z)
{
    if (z && z->holder)
        val_release(vm, v_obj(T_BYTES, z->holder));
    else if (z)
        vm_dealloc(vm, z, z->bytes);
}

/* ---- the VM's zone cache ----
 * Zones read from files are kept in vm->tz_cache, a LIST of BYTES objects
 * whose payload is the zone block itself, so the VM's object teardown frees
 * them and no extra hook is needed. A caller holds one reference to the
 * BYTES while it uses the zone: clearing the cache never pulls a zone from
 * under a mapper that still has it. */

#define TZ_CACHE_MAX 64

_Static_assert(offsetof(str, data) % sizeof(int64_t) == 0, "zone blocks need 8-byte alignment in BYTES");

static tu_zone *cache_find(exo_vm *vm, const char *id, size_t len)
{
    if (vm->tz_cache.type != T_LIST || len >= sizeof(((tu_zone *)0)->name))
        return NULL;
    list *l = AS_LIST(vm->tz_cache);
    for (size_t i = 0; i < l->len; i++) {
        tu_zone *z = (tu_zone *)(void *)AS_STR(l->items[i])->data;
        if (strncmp(z->name, id, len) == 0 && z->name[len] == 0) {
            val_retain(l->items[i]);
            return z;
        }
    }
    return NULL;
}

/* Moves an owned zone into the cache when it fits; returns the zone to use
 * (the cached copy, held for the caller, or z itself), NULL on error. */
static tu_zone *cache_add(exo_vm *vm, tu_zone *z, size_t len)
{
    size_t cap = vm->limits.maxlist < TZ_CACHE_MAX ? (size_t)vm->limits.maxlist : TZ_CACHE_MAX;
    if (len >= sizeof z->name || z->bytes > vm->limits.maxstring || cap == 0)
        return z;
    if (vm->tz_cache.type == T_LIST && AS_LIST(vm->tz_cache)->len >= cap) {
        val_release(vm, vm->tz_cache);
        vm->tz_cache = v_null();
    }
    if (vm->tz_cache.type != T_LIST) {
        list *l = list_new(vm, 0);
        if (!l)
            goto fail;
        vm->tz_cache = v_obj(T_LIST, l);
    }
    value b = bytes_new(vm, z, z->bytes);
    if (val_is_oom(b))
        goto fail;
    tu_zone *c = (tu_zone *)(void *)AS_STR(b)->data;
    c->trans = (int64_t *)(c + 1); /* re-point the arrays into the copy */
    c->offs = (int32_t *)(c->trans + c->n);
    c->holder = b.as.o;
    if (!list_push(vm, AS_LIST(vm->tz_cache), val_retain(b))) {
        val_release(vm, b);
        goto fail;
    }
    vm_dealloc(vm, z, z->bytes);
    return c; /* the caller holds the reference from bytes_new */
fail:
    tz_free(vm, z);
    return NULL;
}

/* Builds a zone from TZif data. Returns NULL with *bad set if malformed,
 * NULL with *bad clear on allocation failure (error already set). */
static tu_zone *parse_tzif(exo_vm *vm, const unsigned char *b, size_t len, const char *name, size_t nlen,
                           bool *bad)
{
    *bad = true;
    if (len < 44 || memcmp(b, "TZif", 4) != 0)
        return NULL;
    int ver = b[4];
    size_t tsize = 4;
    const unsigned char *h = b;
    for (int pass = 0;; pass++) {
        uint64_t isut = be32(h + 20), isstd = be32(h + 24), leap = be32(h + 28), timecnt = be32(h + 32),
                 typecnt = be32(h + 36), charcnt = be32(h + 40);
        uint64_t body = timecnt * tsize + timecnt + typecnt * 6 + charcnt + leap * (tsize + 4) + isstd + isut;
        const unsigned char *data = h + 44;
        if (typecnt == 0 || timecnt > 100000 || typecnt > 256 || body > (uint64_t)(b + len - data))
            return NULL;
        if (pass == 0 && ver >= '2') { /* skip the 32-bit block to the 64-bit one */
            h = data + body;
            tsize = 8;
            if ((size_t)(b + len - h) < 44 || memcmp(h, "TZif", 4) != 0)
                return NULL;
            continue;
        }
        const unsigned char *idx = data + timecnt * tsize, *types = idx + timecnt;
        tu_zone *z = zone_new(vm, (size_t)timecnt, name, nlen);
        if (!z) {
            *bad = false;
            return NULL;
        }
        for (size_t i = 0; i < timecnt; i++) {
            z->trans[i] = tsize == 8 ? be64(data + i * 8) : (int64_t)(int32_t)be32(data + i * 4);
            if (idx[i] >= typecnt || (i && z->trans[i] <= z->trans[i - 1])) {
                tz_free(vm, z);
                return NULL;
            }
            z->offs[i] = (int32_t)be32(types + idx[i] * 6);
        }
        z->off0 = (int32_t)be32(types);
        /* v2+: the footer "\n<rule>\n" follows the data block */
        const unsigned char *foot = data + body;
        if (tsize == 8 && foot < b + len && *foot == '\n') {
            const unsigned char *e = memchr(foot + 1, '\n', (size_t)(b + len - foot - 1));
            if (e && e > foot + 1 && parse_posix((const char *)foot + 1, (const char *)e, &z->rule))
                z->has_rule = true;
        }
        return z;
    }
}

/* Fixed offsets: [+-]h, [+-]hh[[:]mm[[:]ss]], within +-18:00 as java.time allows. */
static bool parse_fixed(const char *s, size_t len, int32_t *out)
{
    if (len == 2 && (s[0] == '+' || s[0] == '-') && s[1] >= '0' && s[1] <= '9') {
        *out = (s[0] == '-' ? -1 : 1) * (s[1] - '0') * 3600;
        return true;
    }
    if (len < 3 || (s[0] != '+' && s[0] != '-'))
        return false;
    int sign = s[0] == '-' ? -1 : 1, f[3] = {0, 0, 0}, nf = 0;
    size_t i = 1;
    bool colon = len > 3 && s[3] == ':';
    while (i < len && nf < 3) {
        if (nf > 0 && colon) {
            if (s[i] != ':')
                return false;
            i++;
        }
        if (i + 2 > len || s[i] < '0' || s[i] > '9' || s[i + 1] < '0' || s[i + 1] > '9')
            return false;
        f[nf++] = (s[i] - '0') * 10 + (s[i + 1] - '0');
        i += 2;
    }
    if (i != len || f[0] > 18 || f[1] > 59 || f[2] > 59)
        return false;
    int32_t v = f[0] * 3600 + f[1] * 60 + f[2];
    if (v > 18 * 3600)
        return false;
    *out = sign * v;
    return true;
}

/* tz database names: letters, digits and - _ + / only, no "..". */
static bool valid_tz_name(const char *s, size_t len)
{
    if (len == 0 || len > 200 || s[0] == '/' || s[0] == '.')
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                  c == '_' || c == '+' || c == '/' || (c == '.' && s[i - 1] != '/' && s[i - 1] != '.');
        if (!ok)
            return false;
    }
    return true;
}

#define TZIF_MAX (1u << 20)

/* Reads a zoneinfo file; 1 = read, 0 = not found, -1 = error set. */
static int read_zone_file(exo_vm *vm, const char *name, size_t len, unsigned char **buf, size_t *size)
{
    static const char *const dirs[] = {"/usr/share/zoneinfo/", "/usr/lib/zoneinfo/", "/usr/share/lib/zoneinfo/"};
    for (size_t d = 0; d < countof(dirs); d++) {
        char path[300];
        size_t dl = strlen(dirs[d]);
        memcpy(path, dirs[d], dl);
        memcpy(path + dl, name, len);
        path[dl + len] = 0;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 44 || st.st_size > TZIF_MAX) {
            close(fd);
            return 0;
        }
        size_t want = (size_t)st.st_size, n = 0;
        unsigned char *b = vm_alloc(vm, want);
        if (!b) {
            close(fd);
            return -1;
        }
        while (n < want) {
            ssize_t r = read(fd, b + n, want - n);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            n += (size_t)r;
        }
        close(fd);
        *buf = b;
        *size = want;
        if (n < want)
            memset(b + n, 0, want - n); /* a short read leaves garbage that the parser rejects */
        return 1;
    }
    return 0;
}

bool tz_load(exo_vm *vm, const char *who, const char *id, size_t len, tu_zone **out)
{
    *out = NULL;
    int32_t off = 0;
    const char *fx = id;
    size_t fl = len;
    if (len >= 3 && (memcmp(id, "UTC", 3) == 0 || memcmp(id, "GMT", 3) == 0) && len > 3) {
        fx = id + 3; /* UTC+01:00 */
        fl = len - 3;
    }
    bool is_utc = (len == 3 && (memcmp(id, "UTC", 3) == 0 || memcmp(id, "GMT", 3) == 0)) ||
                  (len == 1 && id[0] == 'Z');
    if (is_utc || parse_fixed(fx, fl, &off)) {
        tu_zone *z = zone_new(vm, 0, id, len);
        if (!z)
            return false;
        z->off0 = off;
        *out = z;
        return true;
    }
    if ((*out = cache_find(vm, id, len)))
        return true;
    if (valid_tz_name(id, len)) {
        unsigned char *buf = NULL;
        size_t size = 0;
        int r = read_zone_file(vm, id, len, &buf, &size);
        if (r < 0)
            return false;
        if (r > 0) {
            bool bad = false;
            tu_zone *z = parse_tzif(vm, buf, size, id, len, &bad);
            vm_dealloc(vm, buf, size);
            if (z)
                return (*out = cache_add(vm, z, len)) != NULL;
            if (!bad)
                return false;
        }
    }
    return vm_fail(vm, "%s: unknown time zone '%.*s'.", who, (int)(len > 100 ? 100 : len), id);
}

/* ---- broken-down time ---- */

void tu_split(int64_t ts, const tu_zone *z, tu_fields *f)
{
    int64_t sec = tu_floordiv(ts, TU_PER_S);
    f->usec = (int32_t)tu_floormod(ts, TU_PER_S);
    f->offset = tz_offset(z, sec);
    int64_t local = sec + f->offset;
    int64_t days = tu_floordiv(local, TU_SECS_PER_DAY);
    int64_t sod = local - days * TU_SECS_PER_DAY;
    tu_civil_from_days(days, &f->year, &f->month, &f->day);
    f->hour = (int)(sod / 3600);
    f->minute = (int)(sod / 60 % 60);
    f->second = (int)(sod % 60);
    f->yday = (int)(days - tu_days_from_civil(f->year, 1, 1)) + 1;
    f->wday = tu_weekday(days);
    int w = (f->yday - f->wday + 10) / 7;
    f->wyear = f->year;
    if (w < 1) {
        f->wyear = f->year - 1;
        w = iso_weeks_in_year(f->wyear);
    } else if (w > iso_weeks_in_year(f->year)) {
        f->wyear = f->year + 1;
        w = 1;
    }
    f->week = w;
}

bool tu_local_seconds(int64_t year, int month, int day, int64_t hour, int64_t minute, int64_t second,
                      int64_t *out)
{
    if (year > (INT64_C(1) << 40) || year < -(INT64_C(1) << 40))
        return false;
    int64_t days = tu_days_from_civil(year, month, day), s;
    if (__builtin_mul_overflow(days, TU_SECS_PER_DAY, &s) || __builtin_add_overflow(s, hour * 3600, &s) ||
        __builtin_add_overflow(s, minute * 60, &s) || __builtin_add_overflow(s, second, &s))
        return false;
    *out = s;
    return true;
}

bool tu_from_seconds(int64_t sec, int64_t usec, int64_t *out)
{
    int64_t t;
    if (__builtin_mul_overflow(sec, TU_PER_S, &t) || __builtin_add_overflow(t, usec, &t))
        return false;
    *out = t;
    return true;
}

/* Splits ts into local seconds (in z) and the sub-second part. */
static int64_t to_local(int64_t ts, const tu_zone *z, int64_t *usec)
{
    int64_t sec = tu_floordiv(ts, TU_PER_S);
    *usec = tu_floormod(ts, TU_PER_S);
    return sec + tz_offset(z, sec);
}

static bool local_add_months(int64_t local, int64_t months, int64_t *out)
{
    int64_t days = tu_floordiv(local, TU_SECS_PER_DAY), sod = local - days * TU_SECS_PER_DAY, y;
    int m, d;
    tu_civil_from_days(days, &y, &m, &d);
    int64_t total;
    if (__builtin_add_overflow(y * 12 + (m - 1), months, &total) || total > (INT64_C(1) << 42) ||
        total < -(INT64_C(1) << 42))
        return false;
    int64_t ny = tu_floordiv(total, 12);
    int nm = (int)(total - ny * 12) + 1;
    int md = tu_month_days(ny, nm);
    return tu_local_seconds(ny, nm, d > md ? md : d, 0, 0, sod, out);
}

bool tu_add_months(int64_t ts, const tu_zone *z, int64_t months, int64_t *out)
{
    if (months == 0) {
        *out = ts;
        return true;
    }
    int64_t usec, local = to_local(ts, z, &usec), l2;
    return local_add_months(local, months, &l2) && tu_from_seconds(tz_to_utc(z, l2, NULL), usec, out);
}

bool tu_add_days(int64_t ts, const tu_zone *z, int64_t days, int64_t *out)
{
    if (days == 0) {
        *out = ts;
        return true;
    }
    int64_t usec, local = to_local(ts, z, &usec), d, l2;
    if (__builtin_mul_overflow(days, TU_SECS_PER_DAY, &d) || __builtin_add_overflow(local, d, &l2))
        return false;
    return tu_from_seconds(tz_to_utc(z, l2, NULL), usec, out);
}

/* ---- ISO-8601 text ---- */

static char *put_num(char *p, int64_t v, int width)
{
    char t[24];
    int n = 0;
    uint64_t u = (uint64_t)v;
    do {
        t[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n < width)
        t[n++] = '0';
    while (n)
        *p++ = t[--n];
    return p;
}

size_t tu_format_iso(int64_t ts, const tu_zone *z, char *buf)
{
    tu_fields f;
    tu_split(ts, z, &f);
    char *p = buf;
    if (f.year < 0) {
        *p++ = '-';
        p = put_num(p, -f.year, 4);
    } else {
        p = put_num(p, f.year, 4);
    }
    *p++ = '-';
    p = put_num(p, f.month, 2);
    *p++ = '-';
    p = put_num(p, f.day, 2);
    *p++ = 'T';
    p = put_num(p, f.hour, 2);
    *p++ = ':';
    p = put_num(p, f.minute, 2);
    *p++ = ':';
    p = put_num(p, f.second, 2);
    *p++ = '.';
    p = put_num(p, f.usec, 6);
    if (f.offset == 0) {
        *p++ = 'Z';
    } else {
        int32_t o = f.offset < 0 ? -f.offset : f.offset;
        *p++ = f.offset < 0 ? '-' : '+';
        p = put_num(p, o / 3600, 2);
        *p++ = ':';
        p = put_num(p, o / 60 % 60, 2);
        if (o % 60) {
            *p++ = ':';
            p = put_num(p, o % 60, 2);
        }
    }
    *p = 0;
    return (size_t)(p - buf);
}

typedef struct iso_in {
    const char *s, *end;
} iso_in;

static bool digits(iso_in *in, int n, int64_t *out)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        if (in->s >= in->end || *in->s < '0' || *in->s > '9')
            return false;
        v = v * 10 + (*in->s++ - '0');
    }
    *out = v;
    return true;
}

static bool lit_ch(iso_in *in, char c)
{
    if (in->s < in->end && (*in->s == c || (c >= 'A' && c <= 'Z' && *in->s == c + 32))) {
        in->s++;
        return true;
    }
    return false;
}

bool tu_parse_iso(exo_vm *vm, const char *who, const char *s, size_t len, int64_t *out)
{
    iso_in in = {s, s + len};
    int64_t year = 0, mo, d, h, mi, sec = 0, frac = 0;
    bool neg = false;
    /* year: 4 digits, or a sign and 4 to 9 digits */
    if (in.s < in.end && (*in.s == '-' || *in.s == '+')) {
        neg = *in.s++ == '-';
        int n = 0;
        while (in.s + n < in.end && in.s[n] >= '0' && in.s[n] <= '9')
            n++;
        if (n < 4 || n > 9 || !digits(&in, n, &year))
            goto bad;
        if (neg)
            year = -year;
    } else if (!digits(&in, 4, &year)) {
        goto bad;
    }
    if (!lit_ch(&in, '-') || !digits(&in, 2, &mo) || !lit_ch(&in, '-') || !digits(&in, 2, &d) ||
        !lit_ch(&in, 'T') || !digits(&in, 2, &h) || !lit_ch(&in, ':') || !digits(&in, 2, &mi))
        goto bad;
    if (lit_ch(&in, ':')) {
        if (!digits(&in, 2, &sec))
            goto bad;
        if (lit_ch(&in, '.')) {
            int n = 0;
            while (in.s < in.end && *in.s >= '0' && *in.s <= '9' && n < 9) {
                frac = frac * 10 + (*in.s++ - '0');
                n++;
            }
            if (n == 0)
                goto bad;
            while (n++ < 9)
                frac *= 10;
        }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > tu_month_days(year, (int)mo) || h > 23 || mi > 59 || sec > 59)
        goto bad;
    int64_t local;
    if (!tu_local_seconds(year, (int)mo, (int)d, h, mi, sec, &local))
        goto bad;
    int64_t utc = 0;
    bool have_offset = false;
    if (lit_ch(&in, 'Z')) {
        utc = local;
        have_offset = true;
    } else if (in.s < in.end && (*in.s == '+' || *in.s == '-')) {
        int sign = *in.s++ == '-' ? -1 : 1;
        int64_t oh, om, os = 0;
        if (!digits(&in, 2, &oh) || !lit_ch(&in, ':') || !digits(&in, 2, &om))
            goto bad;
        if (lit_ch(&in, ':') && !digits(&in, 2, &os))
            goto bad;
        if (oh > 18 || om > 59 || os > 59 || oh * 3600 + om * 60 + os > 18 * 3600)
            goto bad;
        utc = local - sign * (oh * 3600 + om * 60 + os);
        have_offset = true;
    }
    if (in.s < in.end && *in.s == '[') {
        const char *zs = ++in.s;
        while (in.s < in.end && *in.s != ']')
            in.s++;
        if (in.s >= in.end || in.s == zs || in.s + 1 != in.end)
            goto bad;
        tu_zone *z;
        if (!tz_load(vm, who, zs, (size_t)(in.s - zs), &z))
            return false;
        if (!have_offset) /* java.time's atZone: overlap -> earlier, gap -> forward */
            utc = tz_to_utc(z, local, NULL);
        tz_free(vm, z);
        in.s++;
        have_offset = true;
    }
    if (!have_offset || in.s != in.end || !tu_from_seconds(utc, frac / 1000, out))
        goto bad;
    return true;
bad:
    return vm_fail(vm, "%s can only parse an ISO8601 timestamp (YYYY-MM-DDThh:mm:ss.sssssssss) with a specified "
                       "time zone, got '%.*s'.",
                   who, (int)(len > 64 ? 64 : len), s);
}

/* ---- periods ---- */

bool tu_parse_period(const char *s, size_t len, tu_period *p)
{
    memset(p, 0, sizeof *p);
    const char *e = s + len;
    if (s >= e || *s++ != 'P')
        return false;
    /* designators in order; 'M' means months before 'T' and minutes after */
    static const char date_des[] = "YMWD", time_des[] = "HMS";
    int64_t *date_f[] = {&p->years, &p->months, &p->weeks, &p->days};
    int64_t *time_f[] = {&p->hours, &p->minutes, &p->seconds};
    bool in_time = false, any = false, any_time = false;
    int next = 0;
    while (s < e) {
        if (*s == 'T') {
            if (in_time)
                return false;
            in_time = true;
            next = 0;
            s++;
            continue;
        }
        bool neg = false;
        if (*s == '-' || *s == '+')
            neg = *s++ == '-';
        int64_t v = 0;
        int nd = 0;
        while (s < e && *s >= '0' && *s <= '9') {
            if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *s - '0', &v))
                return false;
            s++;
            nd++;
        }
        int64_t frac = 0;
        bool has_frac = false;
        if (s < e && (*s == '.' || *s == ',')) {
            s++;
            int nf = 0;
            while (s < e && *s >= '0' && *s <= '9') {
                if (nf < 6)
                    frac = frac * 10 + (*s - '0');
                nf++;
                s++;
            }
            if (nf == 0)
                return false;
            for (; nf < 6; nf++)
                frac *= 10;
            has_frac = true;
        }
        if (nd == 0 || s >= e)
            return false;
        const char *des = in_time ? time_des : date_des;
        const char *hit = strchr(des + next, *s);
        if (!hit || !*s)
            return false;
        int k = (int)(hit - des);
        if (has_frac && !(in_time && k == 2))
            return false; /* only seconds take a fraction */
        *(in_time ? time_f : date_f)[k] = neg ? -v : v;
        if (has_frac)
            p->frac_us = neg ? -frac : frac;
        next = k + 1;
        any = true;
        any_time |= in_time;
        s++;
    }
    return any && (!in_time || any_time);
}

bool tu_add_period(int64_t ts, const tu_zone *z, const tu_period *p, int64_t n, int64_t *out)
{
    int64_t m, d, w, t = ts;
    /* date fields on the local calendar, in Joda's order: years, months, weeks, days */
    if (__builtin_mul_overflow(p->years, 12, &m) || __builtin_mul_overflow(m, n, &m))
        return false;
    if (p->years && !tu_add_months(t, z, m, &t))
        return false;
    if (__builtin_mul_overflow(p->months, n, &m) || !tu_add_months(t, z, m, &t))
        return false;
    if (__builtin_mul_overflow(p->weeks, 7, &w) || __builtin_mul_overflow(w, n, &w) || !tu_add_days(t, z, w, &t))
        return false;
    if (__builtin_mul_overflow(p->days, n, &d) || !tu_add_days(t, z, d, &t))
        return false;
    /* time fields are exact durations */
    int64_t secs = 0, mins, us;
    if (__builtin_mul_overflow(p->hours, 3600, &secs) || __builtin_mul_overflow(p->minutes, 60, &mins) ||
        __builtin_add_overflow(secs, mins, &secs) ||
        __builtin_add_overflow(secs, p->seconds, &secs) || __builtin_mul_overflow(secs, TU_PER_S, &us) ||
        __builtin_add_overflow(us, p->frac_us, &us) || __builtin_mul_overflow(us, n, &us) ||
        __builtin_add_overflow(t, us, &t))
        return false;
    *out = t;
    return true;
}
