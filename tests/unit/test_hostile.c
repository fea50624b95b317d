/* Hostile input: whatever a script or a host throws at the VM, it ends
 * with a clear error (or success), never a crash, hang or leak, and the VM
 * stays usable. Plus a soak test: memory stays flat over 100,000 scripts. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

static exo_vm *tight(void)
{
    exo_config cfg;
    exo_config_init(&cfg);
    cfg.limits.maxops = 1000000;
    cfg.limits.maxdepth = 1000000;
    cfg.limits.maxmemory = 256u << 20;
    exo_vm *vm = exo_vm_new(&cfg);
    cr_assert_not_null(vm);
    return vm;
}

/* Runs src, expects a failure whose message contains msg (NULL: any
 * outcome), then checks the VM still works. */
static void survive(exo_vm *vm, const char *src, size_t len, const char *msg)
{
    exo_status st = exo_eval(vm, src, len, "hostile");
    if (msg) {
        cr_assert_neq(st, EXO_OK, "should fail with '%s'", msg);
        cr_assert(strstr(exo_last_error(vm)->message, msg), "'%s' lacks '%s'", exo_last_error(vm)->message, msg);
    }
    exo_clear(vm);
    cr_assert_eq(exo_eval(vm, "1 2 +", 5, "after"), EXO_OK, "VM unusable: %s", exo_last_error(vm)->message);
    exo_clear(vm);
}

static char *repeat(const char *unit, size_t n, const char *tail)
{
    size_t u = strlen(unit), t = strlen(tail);
    char *s = malloc(u * n + t + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    memcpy(s + u * n, tail, t + 1);
    return s;
}

Test(hostile, deep_list_marks)
{
    exo_vm *vm = tight();
    char *s = repeat("[ ", 100000, "");
    survive(vm, s, strlen(s), NULL);
    free(s);
    s = repeat("[ ", 100000, "");
    char *t = repeat("] ", 100000, "->JSON");
    char *all = malloc(strlen(s) + strlen(t) + 1);
    strcpy(all, s);
    strcat(all, t);
    survive(vm, all, strlen(all), "nested too deeply");
    free(s);
    free(t);
    free(all);
    exo_vm_free(vm);
}

Test(hostile, deep_macros_unbalanced)
{
    exo_vm *vm = tight();
    char *s = repeat("<% ", 100000, "");
    survive(vm, s, strlen(s), "Unbalanced <% construct.");
    free(s);
    s = repeat("%> ", 10, "");
    survive(vm, s, strlen(s), "Not inside a macro definition.");
    free(s);
    survive(vm, "/* never closed", 15, "Unbalanced /* construct.");
    survive(vm, "<'\nnever closed", 15, "Unbalanced <' construct.");
    survive(vm, "]", 1, NULL);
    survive(vm, "}", 1, NULL);
    exo_vm_free(vm);
}

Test(hostile, recursion_runaway)
{
    exo_vm *vm = tight();
    survive(vm, "<% DUP EVAL %> DUP EVAL", 23, "Maximum recursion level");
    survive(vm, "<% @me %> 'me' STORE @me", 24, "Maximum recursion level");
    survive(vm, "'1 1 +' 'x' STORE <% $x EVAL $x %> 'x2' STORE 1 100000 <% DROP $x EVAL DROP %> FOR", 80, NULL);
    exo_vm_free(vm);
}

Test(hostile, huge_values)
{
    exo_vm *vm = tight();
    size_t n = 8u << 20;
    char *s = malloc(n + 3);
    s[0] = '\'';
    memset(s + 1, 'a', n);
    s[n + 1] = '\'';
    s[n + 2] = 0;
    survive(vm, s, n + 2, NULL); /* an 8 MB string literal */
    memset(s, 'x', n);
    s[n] = 0;
    survive(vm, s, n, "Unknown function"); /* an 8 MB word on one line */
    free(s);
    survive(vm, "'ab' 1 40 <% DROP DUP + %> FOR", 30, NULL); /* doubling to 2^41 bytes */
    survive(vm, "[ ] 'l' STORE 1 100000000 <% $l SWAP +! DROP %> FOR", 51, NULL);
    exo_vm_free(vm);
}

Test(hostile, bytes_and_nul)
{
    exo_vm *vm = tight();
    const char src[] = "'a\0b' SIZE 'caf\xff\xfe' SIZE '\xc3' ->JSON \x01\x02 1";
    survive(vm, src, sizeof src - 1, NULL);
    const char nul_word[] = "DU\0P";
    survive(vm, nul_word, sizeof nul_word - 1, "Unknown function");
    exo_vm_free(vm);
}

Test(hostile, integer_and_nan_edges)
{
    exo_vm *vm = tight();
    survive(vm, "MINLONG -1 /", 12, NULL);
    survive(vm, "MINLONG -1 %", 12, NULL);
    survive(vm, "MINLONG ABS MINLONG NEGATEEXACT", 31, NULL);
    survive(vm, "MAXLONG 1 + MINLONG 1 - MAXLONG MAXLONG *", 41, NULL);
    survive(vm, "1 64 << 1 -1 << -1 65 >>>", 25, NULL);
    survive(vm, "NaN TOLONG NaN ROUND Infinity TOLONG -Infinity ROUND", 51, NULL);
    survive(vm, "NaN NaN < NaN NaN == NaN 1 > [ NaN 1 NaN ] LSORT [ NaN NaN ] MAX", 64, NULL);
    survive(vm, "2 63 ** 2 64 ** -2 63 ** 0 -1 ** 0.0 -1 **", 42, NULL);
    survive(vm, "1 0 %", 5, "/ by zero");
    exo_vm_free(vm);
}

Test(hostile, malformed_gts_input)
{
    exo_vm *vm = tight();
    const char *bad[] = {
        "<'\n100// c{ 1\n'>\nPARSE",
        "<'\n100/x:y/ c{} 1\n'>\nPARSE",
        "<'\n=200// 3\n'>\nPARSE",
        "<'\nabc// c{} 1\n'>\nPARSE",
        "<'\n100// c{a=b} 'unterminated\n'>\nPARSE",
        "<'\n100// c{a=%zz} 1\n'>\nPARSE",
        "<'\n99999999999999999999999// c{} 1\n'>\nPARSE",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        exo_status st = exo_eval(vm, bad[i], strlen(bad[i]), "gts");
        cr_assert_neq(st, EXO_OK, "%s should fail", bad[i]);
        cr_assert(strstr(exo_last_error(vm)->message, "line"), "%s: '%s' names no line", bad[i],
                  exo_last_error(vm)->message);
        survive(vm, "", 0, NULL);
    }
    exo_vm_free(vm);
}

Test(hostile, fetch_on_a_big_store)
{
    exo_vm *vm = tight();
    size_t n = 200000;
    char *text = malloc(n * 40);
    char *p = text;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%zu// s{h=%zu} %zu\n", i, i % 1000, i);
    cr_assert_eq(exo_load_gts_text(vm, text, (size_t)(p - text), "store"), EXO_OK, "%s", exo_last_error(vm)->message);
    free(text);
    survive(vm, "[ 't' '~.*' {} MAXLONG MAXLONG ] FETCH SIZE", 43, NULL);
    survive(vm, "[ 't' 's' { 'h' '~[0-9]+' } MAXLONG 10 ] FETCH SIZE", 51, NULL);
    survive(vm, "[ 't' '~(' {} MAXLONG 10 ] FETCH", 32, NULL); /* bad regex */
    exo_vm_free(vm);
}

Test(hostile, every_limit)
{
    struct {
        const char *limit;
        uint64_t value;
        const char *src;
        const char *msg;
    } cases[] = {
        {"maxops", 100, "1 1000 <% %> FOR", "(maxops)"},
        {"maxdepth", 50, "1 100 <% %> FOR", "(maxdepth)"},
        {"maxrecursion", 8, "<% @r %> 'r' STORE @r", "(maxrecursion)"},
        {"maxloop", 10, "<% T %> <% %> WHILE", "(maxloop)"},
        {"maxsymbols", 3, "1 4 <% TOSTRING 'v' SWAP + 1 SWAP STORE %> FOR", "(maxsymbols)"},
        {"maxstring", 1000, "'ab' 1 20 <% DROP DUP + %> FOR", "(maxstring)"},
        {"maxlist", 100, "[ ] 1 1000 <% +! %> FOR", "(maxlist)"},
        {"maxmemory", 1u << 20, "[ ] 1 1000000 <% DROP 'abcdefgh' + %> FOR", "(maxmemory)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        exo_config cfg;
        exo_config_init(&cfg);
        exo_limits_generous(&cfg.limits);
        exo_limit_set(&cfg.limits, cases[i].limit, cases[i].value);
        exo_vm *vm = exo_vm_new(&cfg);
        exo_status st = exo_eval(vm, cases[i].src, strlen(cases[i].src), "limits");
        cr_assert_eq(st, EXO_ERR_LIMIT, "%s: status %d: %s", cases[i].limit, st, exo_last_error(vm)->message);
        cr_assert(strstr(exo_last_error(vm)->message, cases[i].msg), "%s: %s", cases[i].limit,
                  exo_last_error(vm)->message);
        exo_clear(vm);
        cr_assert_eq(exo_eval(vm, "1 2 +", 5, "after"), EXO_OK);
        exo_vm_free(vm);
    }
}

Test(hostile, soak_memory_stays_flat)
{
    exo_vm *vm = tight();
    const char *scripts[] = {
        "1 2 + DROP",
        "[ 1 2 3 ] <% 2 * %> LMAP DROP",
        "{ 'a' 1 } 'm' STORE $m 'a' GET DROP",
        "'x' 1 0 /",
        "<% 'boom' MSGFAIL %> <% ERROR DROP %> <% %> TRY",
        "NOPE",
        "'a,b,c' ',' SPLIT DROP",
        "NEWGTS 1 NaN NaN NaN 1.5 ADDVALUE 2 NaN NaN NaN 2.5 ADDVALUE VALUES DROP",
        "<% 1 %",
        "[ 1 [ 2 ] ] 'l' STORE $l 0 GET $l SIZE 'x' ->JSON JSON-> DROP",
    };
    size_t n = sizeof scripts / sizeof *scripts, baseline = 0;
    for (long i = 0; i < 100000; i++) {
        const char *s = scripts[i % n];
        exo_eval(vm, s, strlen(s), "soak");
        exo_clear(vm);
        if (i == 999)
            baseline = exo_memory_used(vm);
    }
    size_t end = exo_memory_used(vm);
    cr_assert_leq(end, baseline + 4096, "memory grew from %zu to %zu", baseline, end);
    exo_vm_free(vm);
}
