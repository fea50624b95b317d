/* String.valueOf for every value type. Nested collections are bounded by
 * JSON_MAX_NESTING (a list that contains itself is an error, not a hang). */
#include "text.h"
#include "json.h"
#include "numfmt.h"
#include "snapshot.h"
#include "vm.h"

static bool write_text(exo_vm *vm, sbuf *b, value v, int depth)
{
    char num[NUMFMT_MAX];
    if (depth > JSON_MAX_NESTING)
        return vm_fail(vm, "Value nested too deeply to convert to a string (more than %d levels).", JSON_MAX_NESTING);
    switch ((vtype)v.type) {
    case T_NULL:
        sb_puts(b, "null");
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
        sb_put(b, AS_STR(v)->data, AS_STR(v)->len);
        break;
    case T_BYTES:
        /* Java prints an array's identity; a content hash keeps it stable */
        sb_printf(b, "[B@%08x", (unsigned)(val_hash(v) & 0xffffffffu));
        break;
    case T_MARK:
        sb_puts(b, "MARK");
        break;
    case T_LIST: {
        list *l = AS_LIST(v);
        sb_putc(b, '[');
        for (size_t i = 0; i < l->len; i++) {
            if (i)
                sb_put(b, ", ", 2);
            if (!write_text(vm, b, l->items[i], depth + 1))
                return false;
        }
        sb_putc(b, ']');
        break;
    }
    case T_MAP: {
        map *m = AS_MAP(v);
        sb_putc(b, '{');
        for (size_t i = 0; i < m->len; i++) {
            if (i)
                sb_put(b, ", ", 2);
            if (!write_text(vm, b, m->ents[i].key, depth + 1))
                return false;
            sb_putc(b, '=');
            if (!write_text(vm, b, m->ents[i].val, depth + 1))
                return false;
        }
        sb_putc(b, '}');
        break;
    }
    default:
        if (vm->text_ext[v.type])
            return vm->text_ext[v.type](vm, b, v);
        return snapshot_write(vm, b, v);
    }
    return true;
}

bool val_write_text(exo_vm *vm, sbuf *b, value v) { return write_text(vm, b, v, 0); }
