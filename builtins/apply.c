/* APPLY / PAPPLY (spec d.4) and the op.* operators.
 * The collections are partitioned together (a collection of exactly one
 * GTS joins every class, interp/partition.c); each class is swept tick by
 * tick like REDUCE (builtins/sweep.c) with one slot per member, ordered by
 * collection then input order. The result takes the class's common labels
 * and, as Warp 10 does, the name of the last member. Operators follow
 * Warp 10's n-ary functions: add/mul promote, concatenate strings and
 * count booleans as 0/1; sub/div need exactly two present slots. */
#include "sweep.h"
#include "../interp/partition.h"

#include <string.h>

enum { AP_ADD, AP_MUL, AP_SUB, AP_DIV, AP_EQ, AP_NE, AP_LT, AP_LE, AP_GT, AP_GE, AP_AND, AP_OR, AP_MASK, AP_NEGMASK };

/* Operators that give no value as soon as a slot is null. */
#define OPF_FORBID_NULLS 1

/* The value in slot s (T_NULL when the member has none), walking the
 * present values with cursor *k. */
static value slot_value(const agg_window *w, size_t s, size_t *k)
{
    if (*k < w->n && aw_slot(w, *k) == s)
        return aw_value(w, (*k)++);
    return v_null();
}

static inline int64_t wadd(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static inline int64_t wmul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

/* op.add / op.mul: the first non-null value sets the kind, as in OpAdd. */
static bool op_sum(exo_vm *vm, const function *f, const agg_window *w, agg_out *out, bool mul)
{
    if (w->nulls && (f->def->flags & OPF_FORBID_NULLS))
        return true;
    value acc = v_null();
    sbuf sb;
    sb_init(&sb, vm);
    bool ok = true;
    for (size_t i = 0; ok && i < w->n; i++) {
        value v = aw_value(w, i);
        if (acc.type == T_NULL) {
            acc = v;
            if (v.type == T_STRING)
                sb_put(&sb, AS_STR(v)->data, AS_STR(v)->len);
            continue;
        }
        if (acc.type == T_STRING) {
            agg_to_string(&sb, v);
            continue;
        }
        if (v.type == T_STRING) {
            ok = vm_fail(vm, "Cannot %s strings and %s.", mul ? "multiply" : "add",
                         acc.type == T_LONG ? "longs" : acc.type == T_DOUBLE ? "doubles" : "booleans");
            break;
        }
        if (v.type == T_BOOLEAN && acc.type != T_BOOLEAN)
            v = acc.type == T_LONG ? v_long(v.as.b) : v_double(v.as.b ? 1.0 : 0.0);
        if (acc.type == T_BOOLEAN)
            acc = v.type == T_DOUBLE ? v_double(acc.as.b ? 1.0 : 0.0) : v_long(acc.as.b);
        if (v.type == T_BOOLEAN)
            v = v_long(v.as.b);
        if (acc.type == T_LONG && v.type == T_LONG)
            acc = v_long(mul ? wmul(acc.as.l, v.as.l) : wadd(acc.as.l, v.as.l));
        else {
            double a = val_as_double(acc), b = val_as_double(v);
            acc = v_double(mul ? a * b : a + b);
        }
    }
    if (ok && acc.type == T_STRING && sb.len != AS_STR(acc)->len) {
        ok = agg_new_string(vm, &sb, &out->v);
    } else if (ok) {
        out->v = val_retain(acc);
    }
    sb_free(&sb);
    return ok;
}

/* op.lt / le / gt / ge: every consecutive pair compares in slot order. */
static bool op_chain(exo_vm *vm, const function *f, const agg_window *w, agg_out *out, int op)
{
    size_t slots = aw_slots(w), k = 0;
    value prev = slot_value(w, 0, &k);
    out->v = v_bool(false);
    if (prev.type == T_NULL)
        return true;
    for (size_t s = 1; s < slots; s++) {
        value cur = slot_value(w, s, &k);
        if (cur.type == T_NULL)
            return true;
        int c;
        if (prev.type == T_LONG && cur.type == T_LONG) {
            c = prev.as.l < cur.as.l ? -1 : prev.as.l > cur.as.l;
        } else if (prev.type == T_DOUBLE && cur.type == T_DOUBLE) {
            double a = prev.as.d, b = cur.as.d;
            /* NaN makes every comparison false, so it never fails the chain */
            bool fail = op == AP_LT ? a >= b : op == AP_LE ? a > b : op == AP_GT ? a <= b : a < b;
            if (fail)
                return true;
            prev = cur;
            continue;
        } else if (prev.type == T_STRING && cur.type == T_STRING) {
            const str *a = AS_STR(prev), *b = AS_STR(cur);
            size_t n = a->len < b->len ? a->len : b->len;
            int d = memcmp(a->data, b->data, n);
            c = d ? (d < 0 ? -1 : 1) : (a->len < b->len ? -1 : a->len > b->len);
        } else {
            return vm_fail(vm, "%s can only be applied to Geo Time Series of the same type.", f->def->name);
        }
        bool ok = op == AP_LT ? c < 0 : op == AP_LE ? c <= 0 : op == AP_GT ? c > 0 : c >= 0;
        if (!ok)
            return true;
        prev = cur;
    }
    out->v = v_bool(true);
    return true;
}

static bool k_op(exo_vm *vm, const function *f, const agg_window *w, agg_out *out)
{
    int op = (int)f->def->magic;
    size_t slots = aw_slots(w);
    out->loc = GTS_NO_LOCATION;
    out->elev = GTS_NO_ELEVATION;
    switch (op) {
    case AP_ADD:
    case AP_MUL:
        return op_sum(vm, f, w, out, op == AP_MUL);
    case AP_SUB:
    case AP_DIV: {
        if (slots != 2 || w->n != 2)
            return true;
        value a = aw_value(w, 0), b = aw_value(w, 1);
        if (!val_is_number(a) || !val_is_number(b))
            return vm_fail(vm, "%s can only be applied to LONG or DOUBLE values.", f->def->name);
        if (op == AP_DIV)
            out->v = v_double(val_as_double(a) / val_as_double(b));
        else if (a.type == T_LONG && b.type == T_LONG)
            out->v = v_long((int64_t)((uint64_t)a.as.l - (uint64_t)b.as.l));
        else
            out->v = v_double(val_as_double(a) - val_as_double(b));
        return true;
    }
    case AP_EQ:
    case AP_NE: {
        /* Java equals (a HashSet of the values): 1 and 1.0 differ, DOUBLEs
         * compare bits (NaN equals NaN, 0.0 differs from -0.0); a null
         * slot gives false */
        bool r = w->nulls == 0;
        for (size_t i = 0; r && i < w->n; i++)
            for (size_t j = op == AP_EQ ? 0 : i + 1; r && j < (op == AP_EQ ? 1 : w->n); j++) {
                value x = aw_value(w, i), y = aw_value(w, j);
                bool same = x.type == T_DOUBLE && y.type == T_DOUBLE ? agg_jbits(x.as.d) == agg_jbits(y.as.d)
                                                                      : val_equals(x, y, false);
                if (same != (op == AP_EQ))
                    r = false;
            }
        out->v = v_bool(r);
        return true;
    }
    case AP_AND:
    case AP_OR: {
        bool is_or = op == AP_OR;
        if (w->nulls && (f->def->flags & OPF_FORBID_NULLS))
            return true;
        out->v = v_bool(!is_or);
        for (size_t i = 0; i < w->n; i++) {
            value v = aw_value(w, i);
            if (v.type == T_BOOLEAN && v.as.b == is_or) {
                out->v = v_bool(is_or);
                break;
            }
        }
        return true;
    }
    case AP_MASK:
    case AP_NEGMASK: {
        if (slots != 2 || (w->coll && w->coll[0] == w->coll[1]))
            return vm_fail(vm, "%s can only be applied to pairs of Geo Time Series, the first one being boolean.",
                           f->def->name);
        size_t k = 0;
        value mask = slot_value(w, 0, &k);
        bool is_true = mask.type == T_BOOLEAN && mask.as.b;
        if (is_true != (op == AP_NEGMASK) && k < w->n) {
            out->loc = aw_loc(w, k);
            out->elev = aw_elev(w, k);
            out->v = val_retain(aw_value(w, k));
        }
        return true;
    }
    default:
        return op_chain(vm, f, w, out, op);
    }
}

/* Java's % without UB on MINLONG % -1. */
static int64_t jrem(int64_t a, int64_t b) { return b == -1 ? 0 : a % b; }

/* applyNAryFunction's bucketization: bucketized members must share the
 * span and be congruent; unbucketized members met before the first
 * bucketized one are ignored, as in Warp 10. */
static void apply_buckets(gts *const *m, size_t k, gts *dst)
{
    int64_t last = 0, first = INT64_MAX, span = 0;
    for (size_t i = 0; i < k; i++) {
        const gts *g = m[i];
        bool b = gts_is_bucketized(g);
        if (!b && span > 0)
            return;
        if (!b)
            continue;
        if (span > 0 && g->bucketspan != span)
            return;
        if (span == 0) {
            span = g->bucketspan;
            last = g->lastbucket;
        }
        if (jrem(g->lastbucket, span) != jrem(last, span))
            return;
        last = g->lastbucket > last ? g->lastbucket : last;
        int64_t fb = (int64_t)((uint64_t)g->lastbucket - (uint64_t)g->bucketcount * (uint64_t)span);
        first = fb < first ? fb : first;
    }
    if (span == 0)
        return;
    dst->lastbucket = last;
    dst->bucketspan = span;
    dst->bucketcount = (int32_t)(uint32_t)(((uint64_t)last - (uint64_t)first) / (uint64_t)span);
}

/* Runs the validator on [ [gts..] per collection ] and the class labels. */
static bool validate(exo_vm *vm, value mac, const fw_class *c, bool *proceed)
{
    list *subs = list_new(vm, c->ncoll);
    bool ok = subs != NULL;
    size_t a = 0;
    for (size_t i = 0; ok && i < c->ncoll; i++) {
        list *l = list_new(vm, c->coll_end[i] - a);
        ok = l && list_push(vm, subs, v_obj(T_LIST, l));
        for (; ok && a < c->coll_end[i]; a++)
            ok = list_push(vm, l, val_retain(v_obj(T_GTS, fw_member(c, a))));
    }
    map *lab = NULL;
    if (ok) {
        lab = map_new(vm, c->labels->len);
        ok = lab != NULL;
        for (size_t i = 0; ok && i < c->labels->len; i++)
            ok = map_put(vm, lab, val_retain(c->labels->ents[i].key), val_retain(c->labels->ents[i].val));
    }
    if (!ok) {
        if (subs)
            val_release(vm, v_obj(T_LIST, subs));
        if (lab)
            val_release(vm, v_obj(T_MAP, lab));
        return false;
    }
    if (!vm_push(vm, v_obj(T_LIST, subs)))
        return false;
    if (!vm_push(vm, v_obj(T_MAP, lab)) || !vm_exec(vm, (macro *)mac.as.o))
        return false;
    if (vm->sp == 0)
        return vm_fail(vm, "Empty stack.");
    value r = vm_pop(vm);
    *proceed = r.type == T_BOOLEAN && r.as.b;
    val_release(vm, r);
    return true;
}

static bool apply_class(exo_vm *vm, value op, const fw_class *c, gts **out)
{
    size_t k = c->n;
    gts *const *m = c->part->members + c->start;
    gts *dst = gts_new(vm);
    if (!dst)
        return false;
    uint32_t *coll = vm_alloc(vm, (k ? k : 1) * sizeof(uint32_t));
    bool ok = coll && gts_copy_map(vm, &dst->labels, c->labels);
    for (size_t i = 0, j = 0; ok && i < k; i++) {
        while (j < c->ncoll && i >= c->coll_end[j])
            j++;
        coll[i] = (uint32_t)j;
    }
    if (ok && k) /* the name of the last member, as Warp 10 leaves it */
        ok = gts_set_class(vm, dst, AS_STR(m[k - 1]->cls)->data, AS_STR(m[k - 1]->cls)->len);
    if (ok) {
        apply_buckets(m, k, dst);
        ok = sweep_members(vm, m, k, op, false, AGG_APPLY, c->labels, coll, dst);
    }
    if (coll)
        vm_dealloc(vm, coll, (k ? k : 1) * sizeof(uint32_t));
    if (!ok) {
        val_release(vm, v_obj(T_GTS, dst));
        return false;
    }
    *out = dst;
    return true;
}

/* [ [gts..] [gts..] .. labels op (validator) ] */
static bool apply_word(exo_vm *vm, const word *w, bool as_map)
{
    value top = *vm_peek(vm, 0);
    if (top.type != T_LIST)
        return vm_type_error(vm, w, 1, "a LIST");
    const list *l = AS_LIST(top);
    size_t n = l->len, opi = n;
    if (n < 3)
        return vm_fail(vm, "%s expects at least 3 parameters.", w->name);
    for (size_t i = 0; i < n && opi == n; i++)
        if (fn_has_role(l->items[i], FN_OP))
            opi = i;
    if (opi == n)
        return vm_fail(vm, "%s expects an operation in the parameter list.", w->name);
    if (opi < 2 || (l->items[opi - 1].type != T_NULL && l->items[opi - 1].type != T_LIST))
        return vm_fail(vm, "%s expects a list of label names under the operation.", w->name);
    value labels = l->items[opi - 1];
    if (labels.type == T_LIST)
        for (size_t i = 0; i < AS_LIST(labels)->len; i++)
            if (AS_LIST(labels)->items[i].type != T_STRING)
                return vm_fail(vm, "%s expects a list of label names as penultimate parameter.", w->name);
    size_t ncoll = opi - 1;
    for (size_t i = 0; i < ncoll; i++) {
        if (l->items[i].type != T_LIST)
            return vm_fail(vm, "%s expects lists of Geo Time Series as first parameters.", w->name);
        for (size_t j = 0; j < AS_LIST(l->items[i])->len; j++)
            if (AS_LIST(l->items[i])->items[j].type != T_GTS)
                return vm_fail(vm, "%s expects lists of Geo Time Series as first parameters.", w->name);
    }
    value validator = (opi + 1 < n && l->items[opi + 1].type == T_MACRO) ? l->items[opi + 1] : v_null();
    /* hold our own references: a validator may drop the input */
    value lv = val_retain(top);
    bool popped = validator.type == T_MACRO;
    if (popped)
        vm_drop(vm, 1);
    gts ***colls = vm_alloc(vm, ncoll * sizeof(gts **));
    size_t *lens = vm_alloc(vm, ncoll * sizeof(size_t));
    fw_partition part = {0};
    bool ok = colls && lens;
    for (size_t i = 0; ok && i < ncoll; i++)
        lens[i] = AS_LIST(l->items[i])->len;
    /* the lists hold values: build pointer arrays */
    gts **flat = NULL;
    size_t total = 0;
    for (size_t i = 0; ok && i < ncoll; i++)
        total += lens[i];
    if (ok) {
        flat = vm_alloc(vm, (total ? total : 1) * sizeof(gts *));
        ok = flat != NULL;
    }
    for (size_t i = 0, p = 0; ok && i < ncoll; i++) {
        const list *c = AS_LIST(l->items[i]);
        colls[i] = flat + p;
        for (size_t j = 0; j < c->len; j++)
            flat[p++] = AS_GTS(c->items[j]);
    }
    ok = ok && partition_collections(vm, (gts *const *const *)colls, lens, ncoll,
                                     labels.type == T_LIST ? AS_LIST(labels) : NULL, &part);
    gts **res = ok ? vm_calloc(vm, (part.nclasses ? part.nclasses : 1) * sizeof(gts *)) : NULL;
    ok = ok && res;
    for (size_t c = 0; ok && c < part.nclasses; c++) {
        bool proceed = true;
        if (validator.type == T_MACRO)
            ok = validate(vm, validator, &part.classes[c], &proceed);
        if (ok && proceed)
            ok = apply_class(vm, l->items[opi], &part.classes[c], &res[c]);
    }
    map *pm = NULL;
    if (ok && as_map) {
        /* classes the validator rejected map to an empty list */
        pm = map_new(vm, part.nclasses);
        ok = pm != NULL;
        for (size_t c = 0; ok && c < part.nclasses; c++) {
            list *one = list_new(vm, 1);
            ok = one && (!res[c] || list_push(vm, one, val_retain(v_obj(T_GTS, res[c]))));
            ok = ok && map_put(vm, pm, val_retain(v_obj(T_MAP, part.classes[c].labels)), v_obj(T_LIST, one));
            if (!ok && one)
                val_release(vm, v_obj(T_LIST, one));
        }
    }
    size_t nres = 0;
    for (size_t c = 0; res && c < part.nclasses; c++)
        if (res[c])
            res[nres++] = res[c];
    if (ok) {
        if (!popped)
            vm_drop(vm, 1);
        if (as_map) {
            ok = vm_push(vm, v_obj(T_MAP, pm));
            pm = NULL;
            for (size_t c = 0; c < nres; c++)
                val_release(vm, v_obj(T_GTS, res[c]));
        } else {
            ok = fw_push_list(vm, res, nres);
        }
    } else {
        for (size_t c = 0; c < nres; c++)
            val_release(vm, v_obj(T_GTS, res[c]));
    }
    if (pm)
        val_release(vm, v_obj(T_MAP, pm));
    if (res)
        vm_dealloc(vm, res, (part.nclasses ? part.nclasses : 1) * sizeof(gts *));
    partition_free(vm, &part);
    if (flat)
        vm_dealloc(vm, flat, (total ? total : 1) * sizeof(gts *));
    if (colls)
        vm_dealloc(vm, colls, ncoll * sizeof(gts **));
    if (lens)
        vm_dealloc(vm, lens, ncoll * sizeof(size_t));
    val_release(vm, lv);
    return ok;
}

static bool w_apply(exo_vm *vm, const word *w) { return apply_word(vm, w, false); }
static bool w_papply(exo_vm *vm, const word *w) { return apply_word(vm, w, true); }

/* X(id, name, magic, flags, doc) */
#define OPS(X)                                                                                                         \
    X(add, "op.add", AP_ADD, OPF_FORBID_NULLS, "Sum of the slots (strings concatenate); no value if one is null.")     \
    X(add_in, "op.add.ignore-nulls", AP_ADD, 0, "Sum of the non-null slots.")                                          \
    X(mul, "op.mul", AP_MUL, OPF_FORBID_NULLS, "Product of the slots; no value if one is null.")                       \
    X(mul_in, "op.mul.ignore-nulls", AP_MUL, 0, "Product of the non-null slots.")                                      \
    X(sub, "op.sub", AP_SUB, 0, "First minus second of exactly two present slots.")                                    \
    X(div, "op.div", AP_DIV, 0, "First divided by second of exactly two present slots (DOUBLE).")                      \
    X(eq, "op.eq", AP_EQ, 0, "true if every slot holds an equal value (false if one is null).")                        \
    X(ne, "op.ne", AP_NE, 0, "true if the slots hold pairwise different values (false if one is null).")               \
    X(lt, "op.lt", AP_LT, 0, "true if the slots are strictly increasing.")                                            \
    X(le, "op.le", AP_LE, 0, "true if the slots are increasing.")                                                      \
    X(gt, "op.gt", AP_GT, 0, "true if the slots are strictly decreasing.")                                            \
    X(ge, "op.ge", AP_GE, 0, "true if the slots are decreasing.")                                                      \
    X(and, "op.and", AP_AND, OPF_FORBID_NULLS, "false if a slot is false; no value if one is null.")                   \
    X(and_in, "op.and.ignore-nulls", AP_AND, 0, "false if a non-null slot is false.")                                  \
    X(or, "op.or", AP_OR, OPF_FORBID_NULLS, "true if a slot is true; no value if one is null.")                        \
    X(or_in, "op.or.ignore-nulls", AP_OR, 0, "true if a non-null slot is true.")                                       \
    X(mask, "op.mask", AP_MASK, 0, "The second slot where the first (a BOOLEAN) is true.")                             \
    X(negmask, "op.negmask", AP_NEGMASK, 0, "The second slot where the first is not true.")

#define DEF(id, nm, mg, fl, doc)                                                                                      \
    static const fn_def d_##id = {                                                                                     \
        .name = nm, .kind = FN_KIND_OPERATOR, .roles = FN_OP, .flags = fl, .magic = mg, .kernel = {.agg = k_op}};
OPS(DEF)
#undef DEF

#define WORD(id, nm, mg, fl, doc) EXO_WORD_DATA(nm, fn_word, 0, "-- op", doc, &d_##id),

static const word apply_words[] = {
    EXO_WORD("APPLY", w_apply, 1, "[[gts..].. labels op (validator)] -- [gts..]",
             "Partitions the collections together and applies op tick by tick to each class."),
    EXO_WORD("PAPPLY", w_papply, 1, "[[gts..].. labels op (validator)] -- map",
             "As APPLY, but pushes a MAP from each class's labels to its results."),
    OPS(WORD)
};

EXO_FAMILY(apply, apply_words)
