/* The specialised framework elements of spec d.2/d.3 that are not plain
 * aggregations: the dot-product mappers (a weight vector against the
 * sliding window, optionally through max(0,x), sigmoid or tanh), the
 * normal density mapper, the locale-aware string-to-double mapper, the
 * argmin/argmax reducers (label values of the members holding the
 * extreme) and the normalised Shannon entropy reducers. Each follows the
 * behaviour of the Warp 10 class of the same name, including its
 * parameter checks and its treatment of empty or odd windows. */
#include "aggregators.h"
#include "../interp/sbuf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Pushes a FUNCTION of def d holding params[0..n) (consumed), after
 * dropping the `drop` parameters the builder checked. */
static bool push_fn(exo_vm *vm, const fn_def *d, value *params, size_t n, size_t drop)
{
    function *f = fn_new(vm, d, params, n);
    if (!f)
        return false;
    vm_drop(vm, drop);
    return vm_push(vm, v_obj(T_FUNCTION, f));
}

/* ---- mapper.dotproduct[.positive|.sigmoid|.tanh] ---- */

enum { DOT_PLAIN, DOT_POSITIVE, DOT_SIGMOID, DOT_TANH };

/* `[ w0 w1 .. ] mapper.dotproduct`: a LIST of DOUBLE weights (Warp 10
 * casts each element to double, so a LONG weight is refused). */
static bool build_dot(exo_vm *vm, const word *w, const fn_def *d)
{
    (void)w;
    value top = *vm_peek(vm, 0);
    bool ok = top.type == T_LIST;
    for (size_t i = 0; ok && i < AS_LIST(top)->len; i++)
        ok = AS_LIST(top)->items[i].type == T_DOUBLE;
    if (!ok)
        return vm_fail(vm, "%s expects an input vector (list of doubles) on top of the stack.", d->name);
    value p = val_retain(top);
    return push_fn(vm, d, &p, 1, 1);
}

/* The weights apply to the window's values oldest first; a window whose
 * size differs from the vector's gives no value. */
static bool k_dot(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    const list *omega = AS_LIST(f->params[0]);
    if (w->n == 0 || w->n != omega->len)
        return true;
    for (size_t i = 0; i < w->n; i++)
        if (!val_is_number(aw_value(w, i)))
            return vm_fail(vm, "%s can only be applied to LONG or DOUBLE values.", f->def->name);
    if (w->tickidx >= 0) {
        out->loc = aw_loc(w, (size_t)w->tickidx);
        out->elev = aw_elev(w, (size_t)w->tickidx);
    }
    double dot = 0.0;
    for (size_t i = 0; i < w->n; i++)
        dot += omega->items[i].as.d * val_as_double(aw_value(w, i));
    switch (f->def->magic) {
    case DOT_POSITIVE:
        dot = dot > 0.0 || dot != dot ? dot : 0.0; /* Math.max(0.0, x): NaN stays NaN, -0.0 -> 0.0 */
        break;
    case DOT_SIGMOID:
        dot = 1.0 / (1.0 + exp(-dot));
        break;
    case DOT_TANH:
        dot = tanh(dot);
        break;
    default:
        break;
    }
    out->v = v_double(dot);
    return true;
}

/* ---- mapper.npdf ---- */

/* `mu sigma mapper.npdf`: both DOUBLE, as Warp 10 requires. */
static bool build_npdf(exo_vm *vm, const word *w, const fn_def *d)
{
    if (!vm_need(vm, 2))
        return false;
    (void)w;
    value sigma = *vm_peek(vm, 0), mu = *vm_peek(vm, 1);
    if (sigma.type != T_DOUBLE)
        return vm_fail(vm, "%s expects a standard deviation (sigma) on top of the stack.", d->name);
    if (mu.type != T_DOUBLE)
        return vm_fail(vm, "%s expects a mean (mu) below the standard deviation.", d->name);
    value ps[2] = {mu, sigma};
    return push_fn(vm, d, ps, 2, 2);
}

static bool k_npdf(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    if (w->n != 1)
        return vm_fail(vm, "%s can only be applied to a single value.", f->def->name);
    value v = aw_value(w, 0);
    if (!val_is_number(v))
        return vm_fail(vm, "%s can only be applied to LONG or DOUBLE values.", f->def->name);
    out->loc = aw_loc(w, 0);
    out->elev = aw_elev(w, 0);
    double x = val_as_double(v), mu = f->params[0].as.d, sigma = f->params[1].as.d;
    double p = (1.0 / (sigma * sqrt(2.0 * M_PI))) * exp(-1.0 * (x - mu) * (x - mu) / (2.0 * sigma * sigma));
    out->v = v_double(p);
    return true;
}

/* ---- mapper.parsedouble ---- */

/* The number symbols of a language (Java's DecimalFormatSymbols for the
 * language tag's primary subtag; the root locale otherwise). */
typedef struct numfmt_syms {
    char decimal;
    const char *group[2]; /* grouping separators accepted (UTF-8) */
} numfmt_syms;

static numfmt_syms syms_for(const str *tag)
{
    static const char *const comma_dot[] = {"de", "es", "it", "nl", "pt", "da", "id", "tr", "el", "ro", "hr",
                                            "sl", "sr", "is", "ca", "gl", "eu", "vi"};
    static const char *const comma_nbsp[] = {"ru", "uk", "pl", "cs", "sk", "fi", "sv", "nb", "no", "nn", "hu",
                                             "bg", "lt", "lv", "et", "be", "kk"};
    numfmt_syms s = {'.', {",", NULL}};
    char lang[9] = {0}, region[9] = {0};
    size_t i = 0, n = tag->len;
    while (i < n && i < 8 && tag->data[i] != '-') {
        char c = tag->data[i];
        lang[i++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    if (i < n && tag->data[i] == '-') {
        size_t j = 0;
        for (i++; i < n && j < 8 && tag->data[i] != '-'; i++)
            region[j++] = (char)(tag->data[i] >= 'a' && tag->data[i] <= 'z' ? tag->data[i] - 32 : tag->data[i]);
    }
    if (strcmp(lang, "fr") == 0) {
        s.decimal = ',';
        s.group[0] = "\xe2\x80\xaf"; /* narrow no-break space (recent JDKs) */
        s.group[1] = "\xc2\xa0";     /* no-break space (Java 8/11) */
        return s;
    }
    if (strcmp(lang, "de") == 0 && strcmp(region, "CH") == 0) {
        s.group[0] = "\xe2\x80\x99"; /* right single quotation mark */
        s.group[1] = "'";
        return s;
    }
    for (size_t k = 0; k < countof(comma_dot); k++)
        if (strcmp(lang, comma_dot[k]) == 0) {
            s.decimal = ',';
            s.group[0] = ".";
            return s;
        }
    for (size_t k = 0; k < countof(comma_nbsp); k++)
        if (strcmp(lang, comma_nbsp[k]) == 0) {
            s.decimal = ',';
            s.group[0] = "\xc2\xa0";
            s.group[1] = "\xe2\x80\xaf";
            return s;
        }
    return s;
}

static size_t match_group(const numfmt_syms *s, const char *p, size_t left)
{
    for (int k = 0; k < 2; k++) {
        size_t gl = s->group[k] ? strlen(s->group[k]) : 0;
        if (gl && gl <= left && memcmp(p, s->group[k], gl) == 0)
            return gl;
    }
    return 0;
}

static size_t match_minus(const char *p, size_t left)
{
    if (left >= 1 && p[0] == '-')
        return 1;
    if (left >= 3 && memcmp(p, "\xe2\x88\x92", 3) == 0) /* U+2212 minus sign */
        return 3;
    return 0;
}

/* NumberFormat.parse: the longest number at the start of the text (sign,
 * digits with grouping separators anywhere before the decimal separator,
 * fraction, exponent 'E' with optional minus); NaN and the infinity sign.
 * *found is false when no digit starts the text. Exponent digits needing
 * more than 6 places saturate (the result is then 0 or infinite anyway);
 * the worst case of `e-` + 6 exponent digits fits the n + 16 buffer. */
static bool parse_localized(exo_vm *vm, const numfmt_syms *sy, const str *s, double *out, bool *found)
{
    const char *p = s->data;
    size_t n = s->len, i = 0;
    *found = false;
    if (n >= 3 && memcmp(p, "NaN", 3) == 0) {
        *out = NAN;
        *found = true;
        return true;
    }
    size_t m = match_minus(p, n);
    bool neg = m > 0;
    i = m;
    if (n - i >= 3 && memcmp(p + i, "\xe2\x88\x9e", 3) == 0) { /* U+221E */
        *out = neg ? -INFINITY : INFINITY;
        *found = true;
        return true;
    }
    size_t cap = n + 16;
    char *buf = vm_alloc(vm, cap);
    if (!buf)
        return false;
    size_t b = 0, ndig = 0;
    bool dec = false;
    if (neg)
        buf[b++] = '-';
    while (i < n) {
        char c = p[i];
        size_t g;
        if (c >= '0' && c <= '9') {
            buf[b++] = c;
            ndig++;
            i++;
        } else if (c == sy->decimal && !dec) {
            dec = true;
            buf[b++] = '.';
            i++;
        } else if (!dec && ndig > 0 && (g = match_group(sy, p + i, n - i)) > 0) {
            i += g;
        } else {
            break;
        }
    }
    if (ndig > 0 && i < n && p[i] == 'E') { /* an exponent only if digits follow */
        size_t j = i + 1, em = match_minus(p + j, n - j);
        j += em;
        size_t e0 = j;
        while (j < n && p[j] >= '0' && p[j] <= '9')
            j++;
        if (j > e0) {
            while (e0 + 1 < j && p[e0] == '0')
                e0++;
            buf[b++] = 'e';
            if (em)
                buf[b++] = '-';
            if (j - e0 > 6) { /* beyond any double: saturate */
                memcpy(buf + b, "999999", 6);
                b += 6;
            } else {
                memcpy(buf + b, p + e0, j - e0);
                b += j - e0;
            }
        }
    }
    buf[b] = 0;
    if (ndig > 0) {
        *out = strtod(buf, NULL);
        *found = true;
    }
    vm_dealloc(vm, buf, cap);
    return true;
}

/* `'fr' mapper.parsedouble` */
static bool build_parsedouble(exo_vm *vm, const word *w, const fn_def *d)
{
    (void)w;
    value top = *vm_peek(vm, 0);
    if (top.type != T_STRING)
        return vm_fail(vm, "Invalid parameter type for %s, expects a language tag (a string) on top of the stack.",
                       d->name);
    value p = val_retain(top);
    return push_fn(vm, d, &p, 1, 1);
}

/* A STRING value parsed with the language's number format; any other
 * value, or text that does not start with a number, gives no value. */
static bool k_parsedouble(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    if (w->n != 1)
        return vm_fail(vm, "%s can only be applied to a single value.", f->def->name);
    out->loc = aw_loc(w, 0);
    out->elev = aw_elev(w, 0);
    value v = aw_value(w, 0);
    if (v.type != T_STRING)
        return true;
    numfmt_syms sy = syms_for(AS_STR(f->params[0]));
    double d = 0.0;
    bool found;
    if (!parse_localized(vm, &sy, AS_STR(v), &d, &found))
        return false;
    if (found)
        out->v = v_double(d);
    return true;
}

/* ---- reducer.argmin / reducer.argmax ---- */

/* `'label' N reducer.argmax` (N = 0: report every member at the extreme) */
static bool build_argminmax(exo_vm *vm, const word *w, const fn_def *d)
{
    (void)w;
    if (vm_peek(vm, 0)->type != T_LONG)
        return vm_fail(vm, "%s expects an integer number of maxima to report (use 0 to report them all).", d->name);
    if (!vm_need(vm, 2))
        return false;
    if (vm_peek(vm, 1)->type != T_STRING)
        return vm_fail(vm, "%s expects the name of the label to report on the second level of the stack.", d->name);
    value ps[2] = {val_retain(*vm_peek(vm, 1)), *vm_peek(vm, 0)};
    return push_fn(vm, d, ps, 2, 2);
}

/* The labels of the member holding value k. */
static const map *slot_labels(const agg_window *w, size_t k)
{
    if (w->mode == AGG_REDUCE || w->mode == AGG_APPLY)
        return w->members[aw_slot(w, k)]->labels;
    return w->series->labels;
}

/* Warp 10's Argminmax: values compared as LONG until the first DOUBLE,
 * then as DOUBLE; members tied with the extreme are all kept, in member
 * order; the result joins their (URL-encoded) label values with ','. */
static bool k_argminmax(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    bool is_min = f->def->magic != 0;
    value label = f->params[0];
    int32_t count = (int32_t)(uint32_t)(uint64_t)f->params[1].as.l;
    size_t n = w->n;
    uint32_t *sel = vm_alloc(vm, (n ? n : 1) * sizeof(uint32_t));
    if (!sel)
        return false;
    size_t nsel = 0;
    bool dbl = false;
    int64_t lx = is_min ? INT64_MAX : INT64_MIN;
    double dx = is_min ? INFINITY : -INFINITY;
    bool ok = true;
    for (size_t k = 0; ok && k < n; k++) {
        const map *lm = slot_labels(w, k);
        value *lv = lm ? map_get((map *)lm, label) : NULL;
        if (!lv) {
            ok = vm_fail(vm, "%s expects all labels to contain label '%s'.", f->def->name, AS_STR(label)->data);
            break;
        }
        value v = aw_value(w, k);
        if (!val_is_number(v)) {
            ok = vm_fail(vm, "%s can only operate on numerical values.", f->def->name);
            break;
        }
        if (v.type == T_DOUBLE && !dbl) {
            if (nsel > 0)
                dx = (double)lx;
            dbl = true;
        }
        if (dbl) {
            double x = val_as_double(v);
            if (x == dx) {
                sel[nsel++] = (uint32_t)k;
            } else if ((x > dx) != is_min) {
                nsel = 0;
                dx = x;
                sel[nsel++] = (uint32_t)k;
            }
        } else {
            int64_t x = v.as.l;
            if (x == lx) {
                sel[nsel++] = (uint32_t)k;
            } else if ((x > lx) != is_min) {
                nsel = 0;
                lx = x;
                sel[nsel++] = (uint32_t)k;
            }
        }
    }
    if (ok) {
        sbuf b;
        sb_init(&b, vm);
        for (size_t j = 0; j < nsel; j++) {
            if (count > 0 && (int64_t)j == count)
                break;
            if (j > 0)
                sb_putc(&b, ',');
            const str *s = AS_STR(*map_get((map *)slot_labels(w, sel[j]), label));
            agg_url_encode(&b, s->data, s->len);
        }
        ok = agg_new_string(vm, &b, &out->v);
        sb_free(&b);
    }
    vm_dealloc(vm, sel, (n ? n : 1) * sizeof(uint32_t));
    return ok;
}

/* ---- reducer.shannonentropy.0 / .1 ---- */

/* The values are occurrence counts (LONG); H = -sum(p ln p) / ln(N) over
 * the N non-null values; a single value gives 0 (.0) or 1 (.1). */
static bool k_shannon(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    double sum = 0.0;
    for (size_t k = 0; k < w->n; k++) {
        value v = aw_value(w, k);
        if (v.type != T_LONG)
            return vm_fail(vm, "%s can only operate on long values.", f->def->name);
        sum += (double)v.as.l;
    }
    double h = 0.0;
    if (w->n != 1) {
        for (size_t k = 0; k < w->n; k++) {
            int64_t x = aw_value(w, k).as.l;
            if (x == 0)
                continue;
            double p = (double)x / sum;
            h = h - p * log(p);
        }
        h = h / log((double)w->n);
    } else if (f->def->magic) {
        h = 1.0;
    }
    out->v = v_double(h);
    return true;
}

/* X(id, name, kernel, magic, roles, nparams, builder, sig, doc) */
#define SPECIALS(X)                                                                                                    \
    X(dot, "mapper.dotproduct", k_dot, DOT_PLAIN, FN_MAPPER, 1, build_dot, "[weights] -- mapper",                     \
      "Dot product of the weights (DOUBLE, oldest first) with a window of the same size.")                            \
    X(dot_pos, "mapper.dotproduct.positive", k_dot, DOT_POSITIVE, FN_MAPPER, 1, build_dot, "[weights] -- mapper",     \
      "max(0, dot product of the weights with the window).")                                                           \
    X(dot_sig, "mapper.dotproduct.sigmoid", k_dot, DOT_SIGMOID, FN_MAPPER, 1, build_dot, "[weights] -- mapper",       \
      "Sigmoid of the dot product of the weights with the window.")                                                    \
    X(dot_tanh, "mapper.dotproduct.tanh", k_dot, DOT_TANH, FN_MAPPER, 1, build_dot, "[weights] -- mapper",            \
      "tanh of the dot product of the weights with the window.")                                                       \
    X(npdf, "mapper.npdf", k_npdf, 0, FN_MAPPER, 2, build_npdf, "mu sigma -- mapper",                                 \
      "Density of the normal law N(mu, sigma) at the single value.")                                                   \
    X(parsedouble, "mapper.parsedouble", k_parsedouble, 0, FN_MAPPER, 1, build_parsedouble, "'lang' -- mapper",      \
      "Parses a STRING value as a DOUBLE with the number format of a language tag ('fr': 2,5).")                      \
    X(argmin, "reducer.argmin", k_argminmax, 1, AGG_ROLES, 2, build_argminmax, "'label' n -- reducer",                \
      "Values of label of the (first n, 0: all) members holding the smallest value, joined with ','.")                \
    X(argmax, "reducer.argmax", k_argminmax, 0, AGG_ROLES, 2, build_argminmax, "'label' n -- reducer",                \
      "Values of label of the (first n, 0: all) members holding the largest value, joined with ','.")                 \
    X(shannon0, "reducer.shannonentropy.0", k_shannon, 0, AGG_ROLES, 0, NULL, "-- reducer",                           \
      "Shannon entropy of the LONG counts normalised by ln(N); 0 for a single value.")                                 \
    X(shannon1, "reducer.shannonentropy.1", k_shannon, 1, AGG_ROLES, 0, NULL, "-- reducer",                           \
      "Shannon entropy of the LONG counts normalised by ln(N); 1 for a single value.")

#define DEF(id, nm, k, mg, rl, np, bld, sig, doc)                                                                     \
    static const fn_def d_##id = {.name = nm,                                                                          \
                                  .kind = FN_KIND_AGGREGATOR,                                                          \
                                  .roles = rl,                                                                         \
                                  .nparams = np,                                                                       \
                                  .magic = mg,                                                                         \
                                  .kernel = {.agg = k},                                                                \
                                  .build = bld};
SPECIALS(DEF)
#undef DEF

#define WORD(id, nm, k, mg, rl, np, bld, sig, doc) EXO_WORD_DATA(nm, fn_word, np, sig, doc, &d_##id),

static const word special_fns_words[] = {SPECIALS(WORD)};

EXO_FAMILY(special_fns, special_fns_words)
