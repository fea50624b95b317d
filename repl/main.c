/* The exo program: runs a script, -e code, or stdin, and prints the stack.
 * It uses only the public API (exo.h), like any other host. */
#include "repl.h"
#include "data.h"
#include "run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: exo [options] [FILE | -] [ARG...]\n"
            "  (no FILE and no -e, stdin a terminal: an interactive session)\n"
            "  -e CODE         run CODE (repeatable; runs before FILE)\n"
            "  -I DIR          add DIR to the macro search path for @name\n"
            "  -l NAME=VALUE   set a limit (maxops, maxdepth, maxrecursion, maxloop, maxsymbols,\n"
            "                  maxstring, maxlist, maxmemory, maxbuckets, maxgts, maxpoints)\n"
            "  -i              open an interactive session after FILE or -e CODE\n"
            "  --data FILE     load GTS input-format data for FETCH/FIND (repeatable; - = stdin, .gz ok)\n"
            "  --words         list every word and standard-library macro, then exit\n"
            "  --json          print the final stack as Warp 10 JSON (top first)\n"
            "  --version       print the version\n"
            "  -h, --help      this help\n"
            "ARGs are pushed on the stack as strings before FILE runs.\n"
            "Exit status: 0 ok, 1 script error, 2 usage error, 3 syntax error, 4 limit exceeded.\n");
}

typedef struct options {
    const char **code; /* -e */
    int ncode;
    const char *file;
    char **args;
    int nargs;
    bool json;
    bool list_words; /* --words */
    const char *data[64]; /* --data files, in order */
    int ndata;
    bool interactive; /* -i */
} options;

static int parse_limit(exo_limits *limits, const char *spec)
{
    const char *eq = strchr(spec, '=');
    char name[64], *end;
    if (!eq || (size_t)(eq - spec) >= sizeof name) {
        fprintf(stderr, "exo: -l expects NAME=VALUE, got '%s'\n", spec);
        return 2;
    }
    memcpy(name, spec, (size_t)(eq - spec));
    name[eq - spec] = 0;
    errno = 0;
    unsigned long long v = strtoull(eq + 1, &end, 10);
    if (errno || *end || eq[1] == 0 || eq[1] == '-') {
        fprintf(stderr, "exo: -l %s: '%s' is not a non-negative integer\n", name, eq + 1);
        return 2;
    }
    if (!exo_limit_set(limits, name, v)) {
        fprintf(stderr, "exo: -l: unknown limit '%s'\n", name);
        return 2;
    }
    return 0;
}

static int parse_args(int argc, char **argv, options *o, exo_config *cfg, macropath *mp)
{
    o->code = calloc((size_t)argc, sizeof(char *));
    if (!o->code)
        return 2;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-e") == 0 || strcmp(a, "-I") == 0 || strcmp(a, "-l") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "exo: %s needs an argument\n", a);
                return 2;
            }
            const char *v = argv[++i];
            if (a[1] == 'e')
                o->code[o->ncode++] = v;
            else if (a[1] == 'l' && parse_limit(&cfg->limits, v))
                return 2;
            else if (a[1] == 'I')
                macropath_add(mp, v);
        } else if (strcmp(a, "--data") == 0) {
            if (i + 1 >= argc || o->ndata == (int)(sizeof o->data / sizeof o->data[0])) {
                fprintf(stderr, "exo: --data needs a file (at most 64)\n");
                return 2;
            }
            o->data[o->ndata++] = argv[++i];
        } else if (strcmp(a, "--words") == 0) {
            o->list_words = true;
        } else if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "-i") == 0) {
            o->interactive = true;
        } else if (strcmp(a, "--version") == 0) {
            printf("exo %s\n", exo_version());
            exit(0);
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "exo: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else {
            break;
        }
    }
    if (i < argc)
        o->file = argv[i++];
    o->args = argv + i;
    o->nargs = argc - i;
    return 0;
}

static exo_status run_text(exo_vm *vm, const char *text, size_t len, const char *name)
{
    exo_status st = exo_eval(vm, text, len, name);
    if (st != EXO_OK)
        print_error(stderr, exo_last_error(vm));
    return st;
}

int main(int argc, char **argv)
{
    exo_config cfg;
    exo_config_init(&cfg);
    exo_limits_generous(&cfg.limits);
    cfg.capabilities = EXO_CAP_ALL;
    cfg.write = repl_write;
    options o = {0};
    macropath mp = {0};
    if (parse_args(argc, argv, &o, &cfg, &mp)) {
        free(o.code);
        return 2;
    }
    macropath_add_env(&mp);
    cfg.load_macro = macropath_load;
    cfg.load_macro_ud = &mp;
    exo_vm *vm = exo_vm_new(&cfg);
    if (!vm) {
        fprintf(stderr, "exo: out of memory\n");
        free(o.code);
        macropath_free(&mp);
        return 1;
    }
    if (o.list_words) {
        const char *name;
        for (size_t i = 0; exo_word_at(vm, i, &name, NULL, NULL, NULL); i++)
            printf("%s\n", name);
        for (size_t i = 0; exo_stdlib_at(i, &name, NULL, NULL); i++)
            printf("@%s\n", name);
        exo_vm_free(vm);
        free(o.code);
        macropath_free(&mp);
        return 0;
    }
    exo_status st = EXO_OK;
    for (int i = 0; i < o.ndata && st == EXO_OK; i++)
        st = load_data_file(vm, o.data[i]);
    for (int i = 0; i < o.nargs && st == EXO_OK; i++)
        st = exo_push_string(vm, o.args[i], strlen(o.args[i]));
    for (int i = 0; i < o.ncode && st == EXO_OK; i++)
        st = run_text(vm, o.code[i], strlen(o.code[i]), "-e");
    const char *file = o.file;
    bool interactive = o.interactive || (!file && o.ncode == 0 && isatty(STDIN_FILENO));
    if (!file && o.ncode == 0 && !interactive)
        file = "-";
    if (interactive)
        exo_set_session_flags(vm, EXO_SESSION_ECHO);
    if (file && st == EXO_OK) {
        size_t len;
        char *text = read_file(file, &len);
        if (!text) {
            fprintf(stderr, "exo: cannot read '%s': %s\n", strcmp(file, "-") ? file : "stdin", strerror(errno));
            exo_vm_free(vm);
            free(o.code);
            macropath_free(&mp);
            return 2;
        }
        st = run_text(vm, text, len, strcmp(file, "-") ? file : "<stdin>");
        free(text);
    }
    if (interactive && (st == EXO_OK || o.interactive)) {
        /* -i: a failed script still opens the session, to look at its state */
        int rc = repl_run(vm);
        exo_vm_free(vm);
        free(o.code);
        macropath_free(&mp);
        return rc;
    }
    int rc = exit_status(st);
    if (st == EXO_OK)
        rc = print_stack(vm, stdout, o.json);
    exo_vm_free(vm);
    free(o.code);
    macropath_free(&mp);
    return rc;
}
