/* Control flow (spec e.2): conditionals, loops, non-local exits, TRY.
 * BREAK, CONTINUE, RETURN and STOP unwind like errors (the word returns
 * false) but with vm->unwind saying why, so the loop, macro or script that
 * owns them stops the unwinding without an error. */
#include "builtins.h"

#include <stdio.h>
#include <string.h>

static bool need_macro(exo_vm *vm, const word *w, int depth)
{
    return vm_peek(vm, (size_t)depth - 1)->type == T_MACRO || vm_type_error(vm, w, depth, "a MACRO");
}

bool vm_eval_value(exo_vm *vm, value v)
{
    switch ((vtype)v.type) {
    case T_MACRO:
        return vm_exec(vm, (macro *)v.as.o);
    case T_STRING: {
        compiler c;
        cmp_init(&c, vm);
        exo_status st = cmp_run(vm, &c, AS_STR(v)->data, AS_STR(v)->len, "<EVAL>", true);
        cmp_free(vm, &c);
        if (st == EXO_OK && vm->unwind == UW_STOP)
            return false; /* STOP inside EVAL still ends the script */
        return st == EXO_OK;
    }
    default:
        if (vm->eval_ext[v.type])
            return vm->eval_ext[v.type](vm, v);
        return vm_fail(vm, "EVAL expects a MACRO or a STRING, got %s.", val_type_name(v));
    }
}

static bool w_eval(exo_vm *vm, const word *w)
{
    value top = *vm_peek(vm, 0);
    if (top.type != T_MACRO && top.type != T_STRING && !vm->eval_ext[top.type])
        return vm_type_error(vm, w, 1, "a MACRO or a STRING");
    value v = vm_pop(vm);
    bool ok = vm_eval_value(vm, v);
    val_release(vm, v);
    return ok;
}

/* A condition: a BOOLEAN, or a macro that leaves one. */
static bool condition(exo_vm *vm, const word *w, value c, bool *out)
{
    if (c.type == T_BOOLEAN) {
        *out = c.as.b;
        return true;
    }
    if (c.type != T_MACRO)
        return vm_fail(vm, "%s expects a BOOLEAN or a MACRO as condition, got %s.", w->name, val_type_name(c));
    if (!vm_exec(vm, (macro *)c.as.o))
        return false;
    if (vm->sp == 0 || vm_peek(vm, 0)->type != T_BOOLEAN)
        return vm_fail(vm, "%s expects its condition to leave a BOOLEAN on the stack.", w->name);
    *out = vm_pop(vm).as.b;
    return true;
}

static bool w_ift(exo_vm *vm, const word *w)
{
    bool else_branch = w->magic;
    int n = else_branch ? 3 : 2;
    for (int d = 1; d < n; d++)
        if (!need_macro(vm, w, d))
            return false;
    value c = *vm_peek(vm, (size_t)n - 1);
    if (c.type != T_BOOLEAN && c.type != T_MACRO)
        return vm_type_error(vm, w, n, "a BOOLEAN or a MACRO");
    value then = vm_pop(vm), other = else_branch ? then : v_null();
    if (else_branch) {
        other = then;
        then = vm_pop(vm);
    }
    c = vm_pop(vm);
    bool b = false, ok = condition(vm, w, c, &b);
    if (ok && (b || else_branch))
        ok = vm_exec(vm, (macro *)(b ? then : other).as.o);
    val_release(vm, c);
    val_release(vm, then);
    if (else_branch)
        val_release(vm, other);
    return ok;
}

static bool w_switch(exo_vm *vm, const word *w)
{
    value *n = vm_peek(vm, 0);
    if (n->type != T_LONG || n->as.l < 0)
        return vm_type_error(vm, w, 1, "a non-negative LONG");
    if (n->as.l > (int64_t)(vm->sp / 2) || vm->sp < (size_t)n->as.l * 2 + 2)
        return vm_fail(vm, "Empty stack.");
    size_t k = (size_t)n->as.l, total = 2 * k + 1;
    for (size_t d = 2; d <= total + 1; d += d == 2 ? 1 : 2) /* default, then each mi */
        if (!need_macro(vm, w, (int)d))
            return false;
    vm_drop(vm, 1);
    /* move the 2k+1 values into a list owned here, deepest first */
    value *items = vm->stack + vm->sp - total;
    list *l = list_new(vm, total);
    if (!l)
        return false;
    memcpy(l->items, items, total * sizeof(value));
    l->len = total;
    vm->sp -= total;
    bool ok = true, done = false;
    for (size_t i = 0; ok && i < k && !done; i++) {
        bool b = false;
        value c = l->items[2 * i];
        if (c.type == T_MACRO) {
            /* SWITCH.java pops what the condition left: only true selects */
            ok = vm_exec(vm, (macro *)c.as.o) && (vm->sp > 0 || vm_fail(vm, "Empty stack."));
            if (ok) {
                value r = vm_pop(vm);
                b = r.type == T_BOOLEAN && r.as.b;
                val_release(vm, r);
            }
        } else {
            ok = condition(vm, w, c, &b);
        }
        if (ok && b) {
            ok = vm_exec(vm, (macro *)l->items[2 * i + 1].as.o);
            done = true;
        }
    }
    if (ok && !done)
        ok = vm_exec(vm, (macro *)l->items[total - 1].as.o);
    val_release(vm, v_obj(T_LIST, l));
    return ok;
}

/* After a loop body failed: true if the loop goes on (CONTINUE) or ends
 * normally (BREAK); sets *stop for BREAK. */
static bool loop_unwind(exo_vm *vm, bool *stop)
{
    if (vm->unwind == UW_BREAK) {
        vm->unwind = UW_NONE;
        *stop = true;
        return true;
    }
    if (vm->unwind == UW_CONTINUE) {
        vm->unwind = UW_NONE;
        return true;
    }
    return false;
}

/* Optional trailing BOOLEAN of the loop words: whether to push the index. */
static size_t index_flag(exo_vm *vm, size_t base, bool *push_index)
{
    if (vm->sp > base && vm_peek(vm, 0)->type == T_BOOLEAN) {
        *push_index = vm_peek(vm, 0)->as.b;
        return 1;
    }
    return 0;
}

static bool w_while(exo_vm *vm, const word *w)
{
    bool until = w->magic, push_index = false;
    size_t f = index_flag(vm, 2, &push_index);
    if (!vm_need(vm, 2 + f) || !need_macro(vm, w, 1 + (int)f) || !need_macro(vm, w, 2 + (int)f))
        return false;
    vm_drop(vm, f);
    value second = vm_pop(vm), first = vm_pop(vm);
    value cond = until ? second : first, body = until ? first : second;
    loop_clock lc;
    vm_loop_start(vm, &lc);
    bool ok = true;
    for (int64_t i = 0;; i++) {
        bool b = true, stop = false;
        if (!(ok = vm_loop_tick(vm, &lc, w->name)))
            break;
        if (!until && (!(ok = condition(vm, w, cond, &b)) || !b))
            break;
        if (push_index && !(ok = vm_push(vm, v_long(i))))
            break;
        if (!vm_exec(vm, (macro *)body.as.o) && !(ok = loop_unwind(vm, &stop)))
            break;
        if (stop)
            break;
        if (until && (!(ok = condition(vm, w, cond, &b)) || b))
            break;
    }
    val_release(vm, first);
    val_release(vm, second);
    return ok;
}

static bool w_for(exo_vm *vm, const word *w)
{
    bool push_index = true;
    size_t f = index_flag(vm, 3, &push_index);
    if (!vm_need(vm, 3 + f) || !need_macro(vm, w, 1 + (int)f))
        return false;
    value *from = vm_peek(vm, 2 + f), *to = vm_peek(vm, 1 + f);
    if (!val_is_number(*from))
        return vm_type_error(vm, w, 3 + (int)f, "a LONG or DOUBLE");
    if (!val_is_number(*to))
        return vm_type_error(vm, w, 2 + (int)f, "a LONG or DOUBLE");
    bool dbl = from->type == T_DOUBLE || to->type == T_DOUBLE;
    vm_drop(vm, f);
    value body = vm_pop(vm), vto = vm_pop(vm), vfrom = vm_pop(vm);
    macro *m = (macro *)body.as.o;
    loop_clock lc;
    vm_loop_start(vm, &lc);
    bool ok = vm_enter(vm, m), stop = false;
    if (!ok) {
        val_release(vm, body);
        return false;
    }
    if (dbl) {
        double end = val_as_double(vto);
        for (double i = val_as_double(vfrom); i <= end && !stop; i += 1.0) {
            if (!(ok = vm_loop_tick(vm, &lc, w->name)) || (push_index && !(ok = vm_push(vm, v_double(i)))))
                break;
            if (!vm_run_body(vm, m) && !(ok = loop_unwind(vm, &stop)))
                break;
        }
    } else {
        int64_t end = vto.as.l;
        for (int64_t i = vfrom.as.l; i <= end && !stop; i++) {
            if (!(ok = vm_loop_tick(vm, &lc, w->name)) || (push_index && !(ok = vm_push(vm, v_long(i)))))
                break;
            if (!vm_run_body(vm, m) && !(ok = loop_unwind(vm, &stop)))
                break;
            if (i == INT64_MAX)
                break;
        }
    }
    vm_leave(vm, m);
    val_release(vm, body);
    return ok;
}

static bool w_forstep(exo_vm *vm, const word *w)
{
    bool push_index = true;
    size_t f = index_flag(vm, 4, &push_index);
    if (!vm_need(vm, 4 + f) || !need_macro(vm, w, 1 + (int)f) || !need_macro(vm, w, 2 + (int)f))
        return false;
    if (!val_is_number(*vm_peek(vm, 3 + f)))
        return vm_type_error(vm, w, 4 + (int)f, "a LONG or DOUBLE");
    if (!val_is_number(*vm_peek(vm, 2 + f)))
        return vm_type_error(vm, w, 3 + (int)f, "a LONG or DOUBLE");
    vm_drop(vm, f);
    value body = vm_pop(vm), step = vm_pop(vm), to = vm_pop(vm), i = vm_pop(vm);
    bool up = val_as_double(to) >= val_as_double(i);
    loop_clock lc;
    vm_loop_start(vm, &lc);
    bool ok = true, stop = false;
    while (!stop) {
        double x = val_as_double(i), end = val_as_double(to);
        if (up ? x > end : x < end)
            break;
        if (!(ok = vm_loop_tick(vm, &lc, w->name)) || (push_index && !(ok = vm_push(vm, i))))
            break;
        if (!vm_exec(vm, (macro *)body.as.o) && !(ok = loop_unwind(vm, &stop)))
            break;
        if (stop || !(ok = vm_push(vm, i)) || !(ok = vm_exec(vm, (macro *)step.as.o)))
            break;
        if (vm->sp == 0 || !val_is_number(*vm_peek(vm, 0))) {
            ok = vm_fail(vm, "FORSTEP expects its step macro to leave a LONG or DOUBLE.");
            break;
        }
        i = vm_pop(vm);
    }
    val_release(vm, body);
    val_release(vm, step);
    return ok;
}

/* Length in bytes of the UTF-8 sequence starting with c. */
static size_t utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}

static bool w_foreach(exo_vm *vm, const word *w)
{
    bool push_index = false;
    size_t f = index_flag(vm, 2, &push_index);
    if (!vm_need(vm, 2 + f) || !need_macro(vm, w, 1 + (int)f))
        return false;
    value coll = *vm_peek(vm, 1 + f);
    if (coll.type != T_LIST && coll.type != T_MAP && coll.type != T_STRING && !vm->foreach_ext[coll.type])
        return vm_type_error(vm, w, 2 + (int)f, "a LIST, MAP, STRING or GTS");
    vm_drop(vm, f);
    value body = vm_pop(vm);
    coll = vm_pop(vm);
    macro *m = (macro *)body.as.o;
    loop_clock lc;
    vm_loop_start(vm, &lc);
    bool entered = vm_enter(vm, m), ok = entered, stop = !entered;
    size_t idx = 0;
    for (size_t i = 0; !stop; idx++) {
        if (!(ok = vm_loop_tick(vm, &lc, w->name)))
            break;
        if (coll.type == T_LIST) {
            list *l = AS_LIST(coll);
            if (i >= l->len)
                break;
            ok = vm_push(vm, val_retain(l->items[i++]));
        } else if (coll.type == T_MAP) {
            map *mp = AS_MAP(coll);
            if (i >= mp->len)
                break;
            ok = vm_reserve(vm, 2);
            if (ok) {
                vm_push(vm, val_retain(mp->ents[i].key));
                vm_push(vm, val_retain(mp->ents[i].val));
            }
            i++;
        } else if (coll.type == T_STRING) {
            str *s = AS_STR(coll);
            if (i >= s->len)
                break;
            size_t n = utf8_len((unsigned char)s->data[i]);
            if (i + n > s->len)
                n = s->len - i;
            value c = str_new(vm, s->data + i, n);
            ok = !val_is_oom(c) && vm_push(vm, c);
            i += n;
        } else {
            int r = vm->foreach_ext[coll.type](vm, coll, i++);
            if (r == 0)
                break;
            ok = r > 0;
        }
        if (!ok || (push_index && !(ok = vm_push(vm, v_long((int64_t)idx)))))
            break;
        if (!vm_run_body(vm, m) && !(ok = loop_unwind(vm, &stop)))
            break;
    }
    if (entered)
        vm_leave(vm, m);
    val_release(vm, body);
    val_release(vm, coll);
    return ok;
}

static bool unwind_with(exo_vm *vm, unwind_kind k)
{
    vm->unwind = k;
    return false;
}

static bool w_break(exo_vm *vm, const word *w) { (void)w; return unwind_with(vm, UW_BREAK); }
static bool w_continue(exo_vm *vm, const word *w) { (void)w; return unwind_with(vm, UW_CONTINUE); }
static bool w_return(exo_vm *vm, const word *w) { (void)w; return unwind_with(vm, UW_RETURN); }
static bool w_stop(exo_vm *vm, const word *w) { (void)w; return unwind_with(vm, UW_STOP); }

static bool w_noop(exo_vm *vm, const word *w)
{
    (void)vm;
    (void)w;
    return true;
}

/* Records what TRY caught, as an error even for BREAK/CONTINUE/STOP. */
static void catch_error(exo_vm *vm)
{
    if (vm->unwind != UW_ERROR) {
        static const char *const names[] = {"", "", "BREAK", "CONTINUE", "RETURN", "STOP"};
        vm_fail(vm, "%s caught by TRY.", names[vm->unwind]);
    }
    /* the reference has popped the failing word's operands by then */
    size_t consumed = (size_t)vm->err_consumed < vm->sp ? (size_t)vm->err_consumed : vm->sp;
    vm_drop(vm, consumed);
    vm->caught = vm->err;
    vm->has_caught = true;
    vm_error_clear(vm);
}

static bool w_try(exo_vm *vm, const word *w)
{
    for (int d = 1; d <= 3; d++)
        if (!need_macro(vm, w, d))
            return false;
    value fin = vm_pop(vm), catch_ = vm_pop(vm), try_ = vm_pop(vm);
    bool ok = vm_exec(vm, (macro *)try_.as.o);
    if (!ok && vm->err.code != EXO_ERR_INTERRUPT) {
        catch_error(vm);
        ok = vm_exec(vm, (macro *)catch_.as.o);
    }
    if (((macro *)fin.as.o)->len) {
        exo_error saved;
        unwind_kind uw = vm->unwind;
        bool positioned = vm->err_positioned;
        if (!ok)
            saved = vm->err;
        vm->unwind = UW_NONE;
        bool fok = vm_exec(vm, (macro *)fin.as.o);
        if (!ok && fok) {
            vm->err = saved;
            vm->unwind = uw;
            vm->err_positioned = positioned;
        }
        ok = ok && fok;
    }
    val_release(vm, try_);
    val_release(vm, catch_);
    val_release(vm, fin);
    return ok;
}

static bool put_str(exo_vm *vm, map *m, const char *k, value v)
{
    value key = str_from(vm, k);
    if (val_is_oom(key) || val_is_oom(v)) {
        val_release(vm, key);
        val_release(vm, v);
        return false;
    }
    return map_put(vm, m, key, v);
}

static bool add_error_entry(exo_vm *vm, list *l, const char *msg, const exo_frame *pos)
{
    map *m = map_new(vm, 4);
    if (!m)
        return false;
    if (!list_push(vm, l, v_obj(T_MAP, m)))
        return false;
    list *st = list_new(vm, 0);
    if (!st)
        return false;
    return put_str(vm, m, "type", str_from(vm, "WarpScriptException")) && put_str(vm, m, "message", str_from(vm, msg)) &&
           put_str(vm, m, "stacktrace", v_obj(T_LIST, st)) && put_str(vm, m, "file", str_from(vm, pos->file)) &&
           put_str(vm, m, "line", v_long(pos->line)) && put_str(vm, m, "column", v_long(pos->col));
}

static bool w_error(exo_vm *vm, const word *w)
{
    if (!vm->has_caught)
        return vm_fail(vm, "%s: no error was caught.", w->name);
    const exo_error *e = &vm->caught;
    list *l = list_new(vm, 0);
    if (!l)
        return false;
    value out = v_obj(T_LIST, l);
    char msg[1200];
    bool ok = true;
    for (int i = e->nframes; ok && i-- > 0;) {
        snprintf(msg, sizeof msg, "Exception at '%s' in section '[TOP]'", e->frames[i].word);
        ok = add_error_entry(vm, l, msg, &e->frames[i]);
    }
    exo_frame inner;
    snprintf(inner.word, sizeof inner.word, "%s", e->word);
    inner.file = e->file;
    inner.line = e->line;
    inner.col = e->col;
    if (ok && e->word[0]) {
        snprintf(msg, sizeof msg, "Exception at '%s' in section '[TOP]'", e->word);
        ok = add_error_entry(vm, l, msg, &inner);
    }
    if (ok)
        ok = add_error_entry(vm, l, e->message, &inner);
    if (!ok) {
        val_release(vm, out);
        return false;
    }
    return vm_push(vm, out);
}

static bool w_rethrow(exo_vm *vm, const word *w)
{
    if (!vm->has_caught)
        return vm_fail(vm, "%s: no error was caught.", w->name);
    vm->err = vm->caught;
    vm->err_positioned = true;
    vm->err_consumed = 0;
    vm->unwind = UW_ERROR;
    return false;
}

static bool w_assert(exo_vm *vm, const word *w)
{
    value *v = vm_peek(vm, 0);
    if (v->type != T_BOOLEAN)
        return vm_type_error(vm, w, 1, "a BOOLEAN");
    if (!v->as.b)
        return vm_fail(vm, "ASSERT failed.");
    vm_drop(vm, 1);
    return true;
}

static bool w_assertmsg(exo_vm *vm, const word *w)
{
    value *b = vm_peek(vm, 1), *m = vm_peek(vm, 0);
    if (b->type != T_BOOLEAN)
        return vm_type_error(vm, w, 2, "a BOOLEAN");
    if (m->type != T_STRING)
        return vm_type_error(vm, w, 1, "a STRING");
    if (!b->as.b)
        return vm_fail(vm, "ASSERTMSG failed '%s'", AS_STR(*m)->data);
    vm_drop(vm, 2);
    return true;
}

static bool w_msgfail(exo_vm *vm, const word *w)
{
    value *m = vm_peek(vm, 0);
    if (m->type != T_STRING)
        return vm_type_error(vm, w, 1, "a STRING");
    return vm_fail(vm, "MSGFAIL %s", AS_STR(*m)->data);
}

static bool w_fail(exo_vm *vm, const word *w)
{
    (void)w;
    return vm_fail(vm, "FAIL");
}

static const word control_words[] = {
    EXO_WORD("EVAL", w_eval, 1, "macro|string --", "Runs a macro, or parses and runs a string of WarpScript."),
    EXO_WORD_MAGIC("IFT", w_ift, 2, "cond then --", "Runs then if cond (a BOOLEAN or a macro leaving one) is true.", 0),
    EXO_WORD_MAGIC("IFTE", w_ift, 3, "cond then else --", "Runs then if cond is true, else the other macro.", 1),
    EXO_WORD("SWITCH", w_switch, 1, "c1 m1 .. cn mn default n --", "Runs the macro of the first true condition, else default."),
    EXO_WORD_MAGIC("WHILE", w_while, 2, "cond body (index) --", "Runs body while cond leaves true; optional BOOLEAN pushes a counter.", 0),
    EXO_WORD_MAGIC("UNTIL", w_while, 2, "body cond (index) --", "Runs body until cond leaves true.", 1),
    EXO_WORD("FOR", w_for, 3, "from to body (index) --", "Runs body for each counter value from..to (pushed unless F)."),
    EXO_WORD("FORSTEP", w_forstep, 4, "from to step body (index) --", "Loop whose step macro computes the next counter."),
    EXO_WORD("FOREACH", w_foreach, 2, "coll body (index) --", "Runs body on each element of a LIST, MAP (key value), STRING or GTS."),
    EXO_WORD("BREAK", w_break, 0, "--", "Leaves the innermost loop."),
    EXO_WORD("CONTINUE", w_continue, 0, "--", "Goes on with the next iteration of the innermost loop."),
    EXO_WORD("RETURN", w_return, 0, "--", "Leaves the current macro."),
    EXO_WORD("STOP", w_stop, 0, "--", "Ends the script normally; the stack is kept."),
    EXO_WORD("NOOP", w_noop, 0, "--", "Does nothing."),
    EXO_WORD("TRY", w_try, 3, "try catch finally --", "Runs try; on any error runs catch; runs finally in all cases."),
    EXO_WORD("ERROR", w_error, 0, "-- list", "Inside a catch macro: the caught error and its causes, outermost first."),
    EXO_WORD("RETHROW", w_rethrow, 0, "--", "Raises again the last error caught by TRY."),
    EXO_WORD("ASSERT", w_assert, 1, "bool --", "Fails with 'ASSERT failed.' when bool is false."),
    EXO_WORD("ASSERTMSG", w_assertmsg, 2, "bool msg --", "Fails with msg when bool is false."),
    EXO_WORD("MSGFAIL", w_msgfail, 1, "msg --", "Fails with the message msg."),
    EXO_WORD("FAIL", w_fail, 0, "--", "Fails."),
};

EXO_FAMILY(control, control_words)
