/* WRAP family: a GTS to and from Warp 10's GTSWrapper (interp/wrap.c).
 * WRAP gives order-preserving base64 text, WRAPRAW the bytes, WRAPOPT the
 * text with doubles in decimal form where shorter; UNWRAP, UNWRAPEMPTY
 * (metadata only) and UNWRAPSIZE (the declared point count) take text or
 * bytes. Every word also maps over a LIST, giving a LIST. Operands are
 * checked and results built before anything is popped. */
#include "gts_words.h"

#include "../interp/opb64.h"
#include "../interp/wrap.h"

#include <string.h>

enum { WR_TEXT, WR_RAW, WR_OPT };

static bool wrap_one(exo_vm *vm, const word *w, gts *g, void *ctx, value *out)
{
    (void)ctx;
    sbuf b;
    sb_init(&b, vm);
    unsigned opts = WRAP_COMPRESS | (w->magic == WR_OPT ? WRAP_OPTIMIZE : 0);
    bool ok = wrap_gts(vm, &b, g, opts);
    if (ok && w->magic == WR_RAW) {
        *out = bytes_new(vm, b.p, b.len);
        ok = !val_is_oom(*out);
    } else if (ok) {
        size_t n = opb64_encoded_len(b.len);
        char *t = vm_alloc(vm, n + 1);
        ok = t != NULL;
        if (ok) {
            opb64_encode(b.p, b.len, t);
            *out = str_new(vm, t, n);
            ok = !val_is_oom(*out);
            vm_dealloc(vm, t, n + 1);
        }
    }
    sb_free(&b);
    return ok;
}

static bool w_wrap(exo_vm *vm, const word *w)
{
    value r;
    if (!gw_gts_or_list(vm, w, 1) || !gw_map(vm, w, 1, wrap_one, NULL, &r))
        return false;
    return gw_replace(vm, 1, r);
}

enum { UW_GTS, UW_EMPTY, UW_SIZE };

static bool is_blob(value v) { return v.type == T_STRING || v.type == T_BYTES; }

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Unwraps one STRING (order-preserving base64) or BYTES value. */
static bool unwrap_one(exo_vm *vm, const word *w, value in, value *out)
{
    const str *s = AS_STR(in);
    const uint8_t *p = (const uint8_t *)s->data;
    size_t n = s->len;
    uint8_t *tmp = NULL;
    size_t tcap = 0;
    if (in.type == T_STRING) {
        const char *t = s->data;
        while (n && is_space(*t)) /* text read from a file often ends with a newline */
            t++, n--;
        while (n && is_space(t[n - 1]))
            n--;
        tcap = n / 4 * 3 + 3;
        tmp = vm_alloc(vm, tcap);
        if (!tmp)
            return false;
        long m = opb64_decode(t, n, tmp);
        if (m < 0) {
            vm_dealloc(vm, tmp, tcap);
            return vm_fail(vm, "%s: invalid order-preserving base64 text.", w->name);
        }
        p = tmp;
        n = (size_t)m;
    }
    bool ok;
    if (w->magic == UW_SIZE) {
        int64_t count;
        ok = unwrap_count(vm, p, n, w->name, &count);
        if (ok)
            *out = v_long(count);
    } else {
        gts *g;
        ok = unwrap_gts(vm, p, n, w->magic == UW_GTS, w->name, &g);
        if (ok)
            *out = v_obj(T_GTS, g);
    }
    vm_dealloc(vm, tmp, tcap);
    return ok;
}

static bool w_unwrap(exo_vm *vm, const word *w)
{
    value in = *vm_peek(vm, 0), r;
    if (is_blob(in)) {
        if (!unwrap_one(vm, w, in, &r))
            return false;
        return gw_replace(vm, 1, r);
    }
    if (in.type == T_LIST) {
        list *l = AS_LIST(in);
        for (size_t i = 0; i < l->len; i++)
            if (!is_blob(l->items[i]))
                goto type_error;
        list *res = list_new(vm, l->len);
        if (!res)
            return false;
        for (size_t i = 0; i < l->len; i++) {
            if (!unwrap_one(vm, w, l->items[i], &r)) {
                val_release(vm, v_obj(T_LIST, res));
                return false;
            }
            list_push(vm, res, r); /* reserved */
        }
        return gw_replace(vm, 1, v_obj(T_LIST, res));
    }
type_error:
    return vm_type_error(vm, w, 1, "a wrapped GTS (STRING or BYTES) or a LIST of them");
}

static const word wrap_words[] = {
    EXO_WORD_MAGIC("WRAP", w_wrap, 1, "gts -- string",
                   "Serializes a GTS (or each of a LIST) to Warp 10's wrapped form: gzipped encoder records "
                   "in a Thrift GTSWrapper, as order-preserving base64 text.",
                   WR_TEXT),
    EXO_WORD_MAGIC("WRAPRAW", w_wrap, 1, "gts -- bytes",
                   "Like WRAP but gives the GTSWrapper bytes instead of base64 text.", WR_RAW),
    EXO_WORD_MAGIC("WRAPOPT", w_wrap, 1, "gts -- string",
                   "Like WRAP, storing each double as a scaled decimal when that is shorter.", WR_OPT),
    EXO_WORD_MAGIC("UNWRAP", w_unwrap, 1, "wrapped -- gts",
                   "Rebuilds the GTS of a WRAP string or WRAPRAW bytes (or of each of a LIST).", UW_GTS),
    EXO_WORD_MAGIC("UNWRAPEMPTY", w_unwrap, 1, "wrapped -- gts",
                   "Like UNWRAP but keeps only the metadata and bucketization, without the points.",
                   UW_EMPTY),
    EXO_WORD_MAGIC("UNWRAPSIZE", w_unwrap, 1, "wrapped -- n",
                   "The number of points a wrapped GTS declares, without decoding them.", UW_SIZE),
};

EXO_FAMILY(wrap, wrap_words)
