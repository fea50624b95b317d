/* JSON words (spec b.2, b.3): ->JSON writes one value with the stack
 * output's rules (loose or strict, compact or pretty, as the VM's flags
 * say), bounded by maxstring; JSON-> parses strict JSON (plus NaN and
 * Infinity) keeping 64-bit integers exact. The four mode words only set
 * the VM flags, which also govern the stack's own JSON output. */
#include "builtins.h"

#include "../interp/json.h"

static bool w_tojson(exo_vm *vm, const word *w)
{
    (void)w;
    sbuf b;
    sb_init(&b, vm);
    if (!json_write_ex(vm, &b, *vm_peek(vm, 0), vm->json_strict, vm->json_pretty, vm->limits.maxstring)) {
        sb_free(&b);
        return false;
    }
    value s = str_new(vm, b.p ? b.p : "", b.len);
    sb_free(&b);
    if (val_is_oom(s))
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, s);
}

static bool w_jsonto(exo_vm *vm, const word *w)
{
    value v = *vm_peek(vm, 0);
    if (v.type != T_STRING)
        return vm_type_error(vm, w, 1, "a STRING");
    value out; /* Jackson's readValue: what follows the first value is ignored */
    if (!json_parse_first(vm, AS_STR(v)->data, AS_STR(v)->len, &out))
        return false;
    vm_drop(vm, 1);
    return vm_push(vm, out);
}

/* magic: bit 1 selects the flag (0 strict, 2 pretty), bit 0 its value */
static bool w_jsonmode(exo_vm *vm, const word *w)
{
    bool on = w->magic & 1;
    if (w->magic & 2)
        vm->json_pretty = on;
    else
        vm->json_strict = on;
    return true;
}

static const word json_words[] = {
    EXO_WORD("->JSON", w_tojson, 1, "v -- str",
             "Serializes a value as JSON (non-ASCII as \\uXXXX, doubles as Java prints them)."),
    EXO_WORD("JSON->", w_jsonto, 1, "str -- v",
             "Parses JSON: integers stay LONG, objects become insertion-ordered MAPs, NaN/Infinity accepted."),
    EXO_WORD_MAGIC("JSONSTRICT", w_jsonmode, 0, "--", "JSON output writes NaN and Infinity as strings.", 1),
    EXO_WORD_MAGIC("JSONLOOSE", w_jsonmode, 0, "--", "JSON output writes NaN and Infinity as bare tokens (default).", 0),
    EXO_WORD_MAGIC("JSONPRETTY", w_jsonmode, 0, "--", "JSON output is indented by two spaces per level.", 3),
    EXO_WORD_MAGIC("JSONCOMPACT", w_jsonmode, 0, "--", "JSON output is written on one line (default).", 2),
};

EXO_FAMILY(json, json_words)
