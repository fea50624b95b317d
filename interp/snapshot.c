/* Snapshots: values written back as WarpScript source. Strings are quoted
 * with ' and percent-encoded like Java's URLEncoder (space as %20), so the
 * text always re-tokenizes to the same value. Nesting is bounded. */
#include "snapshot.h"
#include "alloc.h"
#include "json.h"
#include "macro.h"
#include "numfmt.h"
#include "opb64.h"
#include "vm.h"

void snapshot_string(sbuf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    sb_putc(b, '\'');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
            c == '*' || c == '_') {
            sb_putc(b, (char)c);
        } else {
            char t[3] = {'%', hex[c >> 4], hex[c & 15]};
            sb_put(b, t, 3);
        }
    }
    sb_putc(b, '\'');
}

static bool write_value(exo_vm *vm, sbuf *b, value v, int depth, bool flat);

static bool write_macro(exo_vm *vm, sbuf *b, const macro *m, int depth)
{
    sb_puts(b, "<%");
    for (size_t i = 0; i < m->len; i++) {
        const op *o = &m->ops[i];
        sb_putc(b, ' ');
        switch ((opkind)o->kind) {
        case OP_PUSH:
            if (!write_value(vm, b, o->u.v, depth + 1, false))
                return false;
            break;
        case OP_IFT:
        case OP_IFTE:
            if (!write_value(vm, b, o->u.v, depth + 1, false))
                return false;
            if (o->kind == OP_IFTE) {
                sb_putc(b, ' ');
                if (!write_value(vm, b, v_obj(T_MACRO, o->aux), depth + 1, false))
                    return false;
            }
            sb_putc(b, ' ');
            sb_puts(b, o->word->name);
            break;
        case OP_LOAD:
        case OP_STORE:
            snapshot_string(b, vm->vars[o->sym].name, vm->vars[o->sym].name_len);
            sb_puts(b, o->kind == OP_LOAD ? " LOAD" : " STORE");
            break;
        case OP_RUN:
            sb_putc(b, '@');
            sb_put(b, vm->vars[o->sym].name, vm->vars[o->sym].name_len);
            break;
        default: /* CALL and the inlined words */
            sb_puts(b, o->u.w->name);
            break;
        }
    }
    sb_puts(b, " %>");
    return true;
}

/* The form of Warp 10's SNAPSHOT words (SNAPSHOT.addElement, not its
 * readable variant): a LIST is built as `[] x1 +! x2 +!`, a MAP as
 * `{} v1 k1 PUT v2 k2 PUT`, bytes as `'opb64' OPB64->`. */
static bool write_flat(exo_vm *vm, sbuf *b, value v, int depth)
{
    if (v.type == T_LIST) {
        list *l = AS_LIST(v);
        sb_puts(b, "[]");
        for (size_t i = 0; i < l->len; i++) {
            sb_putc(b, ' ');
            if (!write_value(vm, b, l->items[i], depth + 1, true))
                return false;
            sb_puts(b, " +!");
        }
    } else if (v.type == T_MAP) {
        map *m = AS_MAP(v);
        sb_puts(b, "{}");
        for (size_t i = 0; i < m->len; i++) {
            sb_putc(b, ' ');
            if (!write_value(vm, b, m->ents[i].val, depth + 1, true))
                return false;
            sb_putc(b, ' ');
            if (!write_value(vm, b, m->ents[i].key, depth + 1, true))
                return false;
            sb_puts(b, " PUT");
        }
    } else { /* T_BYTES */
        str *s = AS_STR(v);
        size_t n = opb64_encoded_len(s->len);
        char *t = vm_alloc(vm, n + 1);
        if (!t)
            return false;
        opb64_encode(s->data, s->len, t);
        sb_putc(b, '\'');
        sb_put(b, t, n);
        sb_puts(b, "' OPB64->");
        vm_dealloc(vm, t, n + 1);
    }
    return !b->failed || vm_oom(vm);
}

static bool write_value(exo_vm *vm, sbuf *b, value v, int depth, bool flat)
{
    char num[NUMFMT_MAX];
    if (depth > JSON_MAX_NESTING)
        return vm_fail(vm, "Value nested too deeply to snapshot (more than %d levels).", JSON_MAX_NESTING);
    if (flat && (v.type == T_LIST || v.type == T_MAP || v.type == T_BYTES))
        return write_flat(vm, b, v, depth);
    switch ((vtype)v.type) {
    case T_NULL:
        sb_puts(b, "NULL");
        break;
    case T_MARK:
        sb_puts(b, "MARK");
        break;
    case T_BOOLEAN:
        sb_puts(b, v.as.b ? "true" : "false");
        break;
    case T_LONG:
        sb_put(b, num, fmt_long(v.as.l, num));
        break;
    case T_DOUBLE:
        sb_put(b, num, fmt_double(v.as.d, num));
        break;
    case T_STRING:
        snapshot_string(b, AS_STR(v)->data, AS_STR(v)->len);
        break;
    case T_BYTES: {
        static const char hex[] = "0123456789abcdef";
        str *s = AS_STR(v);
        sb_putc(b, '\'');
        for (size_t i = 0; i < s->len; i++) {
            unsigned char c = (unsigned char)s->data[i];
            char t[2] = {hex[c >> 4], hex[c & 15]};
            sb_put(b, t, 2);
        }
        sb_puts(b, "' HEX->");
        break;
    }
    case T_LIST: {
        list *l = AS_LIST(v);
        sb_putc(b, '[');
        for (size_t i = 0; i < l->len; i++) {
            sb_putc(b, ' ');
            if (!write_value(vm, b, l->items[i], depth + 1, false))
                return false;
        }
        sb_puts(b, " ]");
        break;
    }
    case T_MAP: {
        map *m = AS_MAP(v);
        sb_putc(b, '{');
        for (size_t i = 0; i < m->len; i++) {
            sb_putc(b, ' ');
            if (!write_value(vm, b, m->ents[i].key, depth + 1, false))
                return false;
            sb_putc(b, ' ');
            if (!write_value(vm, b, m->ents[i].val, depth + 1, false))
                return false;
        }
        sb_puts(b, " }");
        break;
    }
    case T_MACRO:
        if (!write_macro(vm, b, (const macro *)v.as.o, depth))
            return false;
        break;
    default:
        if (vm->snapshot_ext[v.type]) {
            if (!vm->snapshot_ext[v.type](vm, b, v))
                return false;
        } else {
            sb_puts(b, "NULL");
        }
    }
    return !b->failed || vm_oom(vm);
}

bool snapshot_write(exo_vm *vm, sbuf *b, value v) { return write_value(vm, b, v, 0, false); }
bool snapshot_write_stack(exo_vm *vm, sbuf *b, value v) { return write_value(vm, b, v, 0, true); }
