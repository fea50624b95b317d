/* The public API for interactive hosts (exo.h, "Display helpers"): short
 * one-line forms of stack values, number samples for sparklines, the count
 * of open marks and the session switches. Summaries are written under a
 * byte budget, so showing the top of a stack holding a million-item list or
 * a long GTS costs the budget, not the size of the value. GTS fields are
 * read straight from the gts.h contract (no gts.c function is needed). */
#include "alloc.h"
#include "gts.h"
#include "json.h"
#include "snapshot.h"
#include "vm.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Deepest nesting written before eliding with "..." */
#define SUMMARY_MAX_NESTING 32

typedef struct brief {
    exo_vm *vm;
    sbuf *b;
    size_t limit;   /* stop writing items once the buffer is this long */
    bool truncated; /* something was left out */
} brief;

/* Past the budget (strictly: the final cut then always shows "..."). */
static bool full(brief *br)
{
    if (br->b->len <= br->limit)
        return false;
    br->truncated = true;
    return true;
}

/* A string as a JSON-style literal, but UTF-8 kept readable; control
 * characters, quotes and backslashes escaped. Stops at the budget. */
static void brief_string(brief *br, const char *s, size_t len)
{
    sb_putc(br->b, '"');
    for (size_t i = 0; i < len; i++) {
        if ((i & 63) == 0 && full(br))
            return;
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': sb_puts(br->b, "\\\""); break;
        case '\\': sb_puts(br->b, "\\\\"); break;
        case '\n': sb_puts(br->b, "\\n"); break;
        case '\r': sb_puts(br->b, "\\r"); break;
        case '\t': sb_puts(br->b, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                sb_printf(br->b, "\\u%04x", c);
            else
                sb_putc(br->b, (char)c);
        }
    }
    sb_putc(br->b, '"');
}

/* How much of len bytes to write: what fits in the budget, plus a few
 * bytes so that the final cut shows "..." (clamp). */
static size_t fit(brief *br, size_t len)
{
    size_t room = br->limit > br->b->len ? br->limit - br->b->len : 0;
    if (len > room && len - room > 4) {
        br->truncated = true;
        return room + 4;
    }
    return len;
}

/* Raw text (class names, label keys and values) up to the budget. */
static void brief_raw(brief *br, const char *s, size_t len) { sb_put(br->b, s, fit(br, len)); }

static void brief_gts(brief *br, const gts *g)
{
    if (g->cls.type == T_STRING)
        brief_raw(br, AS_STR(g->cls)->data, AS_STR(g->cls)->len);
    sb_putc(br->b, '{');
    for (size_t i = 0; g->labels && i < g->labels->len && !full(br); i++) {
        const map_entry *e = &g->labels->ents[i];
        if (i)
            sb_putc(br->b, ',');
        if (e->key.type == T_STRING)
            brief_raw(br, AS_STR(e->key)->data, AS_STR(e->key)->len);
        sb_putc(br->b, '=');
        if (e->val.type == T_STRING)
            brief_raw(br, AS_STR(e->val)->data, AS_STR(e->val)->len);
    }
    sb_putc(br->b, '}');
    sb_printf(br->b, " %zu point%s", g->len, g->len == 1 ? "" : "s");
    if (g->len) {
        int64_t lo = g->ticks[0], hi = g->ticks[0];
        for (size_t i = 1; i < g->len; i++) {
            lo = g->ticks[i] < lo ? g->ticks[i] : lo;
            hi = g->ticks[i] > hi ? g->ticks[i] : hi;
        }
        sb_printf(br->b, " [%lld..%lld]", (long long)lo, (long long)hi);
    }
}

static bool brief_value(brief *br, value v, int depth);

static bool brief_items(brief *br, value v, int depth)
{
    bool is_list = v.type == T_LIST;
    size_t n = is_list ? AS_LIST(v)->len : AS_MAP(v)->len;
    sb_putc(br->b, is_list ? '[' : '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_puts(br->b, ", ");
        if (full(br) || depth >= SUMMARY_MAX_NESTING) {
            br->truncated = true;
            sb_puts(br->b, "...");
            break;
        }
        if (is_list) {
            if (!brief_value(br, AS_LIST(v)->items[i], depth + 1))
                return false;
        } else {
            const map_entry *e = &AS_MAP(v)->ents[i];
            if (!brief_value(br, e->key, depth + 1))
                return false;
            sb_puts(br->b, ": ");
            if (!brief_value(br, e->val, depth + 1))
                return false;
        }
    }
    sb_putc(br->b, is_list ? ']' : '}');
    return true;
}

static bool brief_value(brief *br, value v, int depth)
{
    switch ((vtype)v.type) {
    case T_STRING:
        brief_string(br, AS_STR(v)->data, AS_STR(v)->len);
        return true;
    case T_BYTES: {
        /* as JSON writes BYTES (one char per byte), but only what fits */
        json_write_string(br->b, AS_STR(v)->data, fit(br, AS_STR(v)->len), true);
        return true;
    }
    case T_LIST:
    case T_MAP:
        return brief_items(br, v, depth);
    case T_GTS:
        brief_gts(br, (const gts *)v.as.o);
        return true;
    case T_MACRO:
    case T_MARK:
    case T_FUNCTION:
        return snapshot_write(br->vm, br->b, v);
    default:
        return json_write(br->vm, br->b, v, false);
    }
}

/* Cuts b to at most max bytes, ending with "..." and never inside a UTF-8
 * character. */
static void clamp(sbuf *b, size_t max)
{
    if (b->len <= max)
        return;
    size_t keep = max > 3 ? max - 3 : 0;
    while (keep > 0 && ((unsigned char)b->p[keep] & 0xC0) == 0x80)
        keep--;
    b->len = keep;
    sb_put(b, "...", max - keep < 3 ? max - keep : 3);
}

static const char *keep(exo_vm *vm, sbuf *b)
{
    if (!sb_cstr(b)) {
        sb_free(b);
        vm_oom(vm);
        return NULL;
    }
    vm_dealloc(vm, vm->out, vm->out_cap);
    vm->out = b->p;
    vm->out_cap = b->cap;
    return vm->out;
}

EXO_API const char *exo_value_summary(exo_vm *vm, size_t level, size_t max_len)
{
    if (!vm || level >= vm->sp)
        return NULL;
    value v = *vm_peek(vm, level);
    char size_note[48] = "";
    if (v.type == T_LIST)
        snprintf(size_note, sizeof size_note, " (%zu item%s)", AS_LIST(v)->len, AS_LIST(v)->len == 1 ? "" : "s");
    else if (v.type == T_MAP)
        snprintf(size_note, sizeof size_note, " (%zu entr%s)", AS_MAP(v)->len, AS_MAP(v)->len == 1 ? "y" : "ies");
    size_t note_len = strlen(size_note);
    /* leave room for the size note, but always show some items */
    size_t body_max = max_len == 0 ? SIZE_MAX : max_len > note_len + 16 ? max_len - note_len : max_len;
    sbuf b;
    sb_init(&b, vm);
    brief br = {.vm = vm, .b = &b, .limit = body_max, .truncated = false};
    if (!brief_value(&br, v, 0) || b.failed) {
        bool oom = b.failed;
        sb_free(&b);
        if (oom)
            vm_oom(vm);
        return NULL;
    }
    if (b.len > body_max)
        br.truncated = true;
    clamp(&b, body_max);
    if (br.truncated && note_len && b.len + note_len <= (max_len ? max_len : SIZE_MAX))
        sb_put(&b, size_note, note_len);
    if (max_len)
        clamp(&b, max_len);
    return keep(vm, &b);
}

/* Value i of a numeric GTS as a double. */
static double number_at(const gts *g, size_t i)
{
    switch (g->type) {
    case GTS_LONG: return (double)g->v.l[i];
    case GTS_DOUBLE: return g->v.d[i];
    case GTS_BOOLEAN: return g->v.b[i] ? 1.0 : 0.0;
    default: return NAN;
    }
}

EXO_API size_t exo_value_sample(exo_vm *vm, size_t level, double *out, size_t n)
{
    if (!vm || !out || n == 0 || level >= vm->sp)
        return 0;
    value v = *vm_peek(vm, level);
    if (v.type != T_GTS)
        return 0;
    const gts *g = (const gts *)v.as.o;
    if (g->type != GTS_LONG && g->type != GTS_DOUBLE && g->type != GTS_BOOLEAN)
        return 0;
    size_t len = g->len;
    if (len <= n) {
        for (size_t i = 0; i < len; i++)
            out[i] = number_at(g, i);
        return len;
    }
    /* n runs of len / n points, the first len % n one longer (no overflow);
     * a run's NaNs are skipped */
    size_t q = len / n, r = len % n;
    for (size_t k = 0; k < n; k++) {
        size_t from = k * q + (k < r ? k : r), to = from + q + (k < r);
        double sum = 0;
        size_t count = 0;
        for (size_t i = from; i < to; i++) {
            double d = number_at(g, i);
            if (!isnan(d)) {
                sum += d;
                count++;
            }
        }
        out[k] = count ? sum / (double)count : NAN;
    }
    return n;
}

EXO_API size_t exo_mark_count(exo_vm *vm)
{
    size_t n = 0;
    for (size_t i = 0; vm && i < vm->sp; i++)
        n += vm->stack[i].type == T_MARK;
    return n;
}

EXO_API uint32_t exo_session_flags(exo_vm *vm) { return vm ? vm->session : 0; }

EXO_API void exo_set_session_flags(exo_vm *vm, uint32_t flags)
{
    if (vm)
        vm->session = flags & (EXO_SESSION_ECHO | EXO_SESSION_TIME);
}

EXO_API const char *exo_variable_type(exo_vm *vm, const char *name)
{
    if (!vm || !name)
        return NULL;
    uint32_t s = vm_sym_find(vm, name, strlen(name));
    if (s == UINT32_MAX || !vm->vars[s].defined)
        return NULL;
    return val_type_name(vm->vars[s].v);
}
