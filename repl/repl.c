/* The interactive session: GNU readline in, the top of the stack out.
 * Each line goes to exo_feed, the stateful parser a script goes through,
 * so an open <% %>, comment or <' '> string continues on the next line and
 * the prompt shows the parser's state ("exo%1<3> ": one open macro, three
 * values). Ctrl-C during a line calls exo_interrupt, which the VM checks in
 * loops and macro calls; at the prompt it drops the line and any pending
 * input. The signal handler and readline's hooks have no user pointer, so
 * the session lives in one static (one session per process). */
#include "repl.h"
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#define ECHO_LEVELS 5
#define HISTORY_MAX 10000
#define SPARK_MAX 120

typedef struct session {
    exo_vm *vm;
    char *histfile; /* NULL: history is not saved */
    double pending_ms; /* time spent on the lines of an unfinished entry */
    char prompt[96];
} session;

static session S;
static volatile sig_atomic_t evaluating, got_sigint;

void repl_write(void *ud, const char *text, size_t len)
{
    (void)ud;
    fwrite(text, 1, len, stdout);
}

/* ---- prompt ---- */

static bool pending(exo_vm *vm)
{
    return exo_feed_depth(vm) > 0 || exo_feed_in_comment(vm) || exo_feed_in_string(vm);
}

/* "exo", then %N for open macros, [N for open marks (lists, maps), the
 * comment opener or a quote while one is open, and <stack depth>. */
static const char *make_prompt(void)
{
    exo_vm *vm = S.vm;
    char *p = S.prompt, *end = S.prompt + sizeof S.prompt;
    p += snprintf(p, (size_t)(end - p), "exo");
    if (exo_feed_depth(vm) > 0)
        p += snprintf(p, (size_t)(end - p), "%%%d", exo_feed_depth(vm));
    size_t marks = exo_mark_count(vm);
    if (marks)
        p += snprintf(p, (size_t)(end - p), "[%zu", marks);
    if (exo_feed_in_comment(vm))
        p += snprintf(p, (size_t)(end - p), "/*");
    if (exo_feed_in_string(vm))
        p += snprintf(p, (size_t)(end - p), "'");
    snprintf(p, (size_t)(end - p), "<%zu> ", exo_depth(vm));
    return S.prompt;
}

/* ---- signals ---- */

static void on_sigint(int sig)
{
    (void)sig;
    if (evaluating)
        exo_interrupt(S.vm);
    else
        got_sigint = 1;
}

/* Readline calls this when a read was interrupted by a signal. On Ctrl-C:
 * drop the line and the pending input, and start a fresh prompt. */
static int after_signal(void)
{
    if (!got_sigint)
        return 0;
    got_sigint = 0;
    rl_free_line_state();
    rl_replace_line("", 0);
    rl_point = rl_end = 0;
    rl_crlf();
    exo_feed_reset(S.vm);
    S.pending_ms = 0;
    rl_set_prompt(make_prompt());
    rl_on_new_line();
    rl_redisplay();
    return 0;
}

/* ---- history ---- */

/* $EXO_HISTFILE (empty: none), else ${XDG_STATE_HOME:-~/.local/state}/exo/history. */
static char *history_path(void)
{
    const char *env = getenv("EXO_HISTFILE");
    if (env)
        return env[0] ? strdup(env) : NULL;
    const char *base = getenv("XDG_STATE_HOME"), *suffix = "/exo/history";
    if (!base || base[0] != '/') {
        base = getenv("HOME");
        suffix = "/.local/state/exo/history";
        if (!base || !base[0])
            return NULL;
    }
    size_t n = strlen(base) + strlen(suffix) + 1;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s%s", base, suffix);
    return path;
}

/* Creates the directories above path (like mkdir -p of its dirname). */
static void make_parents(char *path)
{
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0700); /* errors show up when the file is opened */
            *p = '/';
        }
}

static void history_off(const char *what, int err)
{
    fprintf(stderr, "exo: history not saved (%s %s: %s)\n", what, S.histfile, strerror(err));
    free(S.histfile);
    S.histfile = NULL;
}

static void history_start(void)
{
    using_history();
    stifle_history(HISTORY_MAX);
    S.histfile = history_path();
    if (!S.histfile)
        return;
    make_parents(S.histfile);
    /* append_history needs an existing file */
    int fd = open(S.histfile, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0) {
        int err = errno;
        if (read_history(S.histfile) == 0) {
            fprintf(stderr, "exo: history file %s is read-only: new lines are not saved\n", S.histfile);
            free(S.histfile);
            S.histfile = NULL;
        } else {
            history_off("cannot open", err);
        }
        return;
    }
    close(fd);
    int err = read_history(S.histfile);
    if (err)
        history_off("cannot read", err);
}

static void history_keep(const char *line)
{
    if (!line[0] || line[0] == ' ')
        return; /* a leading space keeps a line out of the history */
    HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
    if (last && strcmp(last->line, line) == 0)
        return;
    add_history(line);
    if (S.histfile) {
        int err = append_history(1, S.histfile);
        if (err)
            history_off("cannot write", err);
    }
}

static void history_end(void)
{
    if (S.histfile)
        history_truncate_file(S.histfile, HISTORY_MAX);
    free(S.histfile);
    S.histfile = NULL;
}

/* ---- showing the stack ---- */

static int screen_cols(void)
{
    int rows = 0, cols = 0;
    rl_get_screen_size(&rows, &cols);
    return cols >= 20 ? cols : 80;
}

/* One line of block characters for a GTS's values (nothing for others). */
static void sparkline(exo_vm *vm, size_t level, size_t indent, int cols)
{
    static const char *const bars[] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
                                       "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"};
    double v[SPARK_MAX];
    size_t width = cols > (int)indent + 10 ? (size_t)cols - indent - 1 : 10;
    size_t n = exo_value_sample(vm, level, v, width < SPARK_MAX ? width : SPARK_MAX);
    if (n < 2)
        return;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            lo = v[i] < lo ? v[i] : lo;
            hi = v[i] > hi ? v[i] : hi;
        }
    printf("%*s", (int)indent, "");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            fputc(' ', stdout);
        else
            fputs(bars[hi > lo ? (int)((v[i] - lo) / (hi - lo) * 7 + 0.5) : 3], stdout);
    }
    fputc('\n', stdout);
}

/* Levels 1..limit (0 = all), top first, as "/ * 1 * / value". */
static void show_stack(exo_vm *vm, size_t limit)
{
    size_t depth = exo_depth(vm), n = limit && depth > limit ? limit : depth;
    int cols = screen_cols();
    for (size_t i = 0; i < n; i++) {
        char tag[40];
        int tlen = snprintf(tag, sizeof tag, "/* %zu */ ", i + 1);
        size_t max = cols > tlen + 16 ? (size_t)(cols - tlen - 1) : 16;
        const char *text = exo_value_summary(vm, i, max);
        if (!text) {
            print_error(stderr, exo_last_error(vm));
            return;
        }
        printf("%s%s\n", tag, text);
        sparkline(vm, i, (size_t)tlen, cols);
    }
    if (n < depth)
        printf("/* %zu more, :stack shows all */\n", depth - n);
}

/* ---- lines ---- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void set_flag(exo_vm *vm, uint32_t flag, const char *arg, const char *what)
{
    uint32_t f = exo_session_flags(vm);
    arg += strspn(arg, " \t");
    if (strncmp(arg, "on", 2) == 0)
        f |= flag;
    else if (strncmp(arg, "off", 3) == 0)
        f &= ~flag;
    else if (!arg[0])
        f ^= flag;
    else {
        printf("usage: :%s [on|off]\n", what);
        return;
    }
    exo_set_session_flags(vm, f);
    printf("/* %s %s */\n", what, f & flag ? "on" : "off");
}

/* A :command. Returns false to end the session. */
static bool command(exo_vm *vm, const char *line)
{
    size_t len = strcspn(line, " \t");
    const char *arg = line + len;
#define IS(name) (len == strlen(name) && strncmp(line, name, len) == 0)
    if (IS(":quit") || IS(":q") || IS(":exit"))
        return false;
    if (IS(":help") || IS(":h"))
        help_show(vm, stdout, arg);
    else if (IS(":stack"))
        show_stack(vm, 0);
    else if (IS(":echo"))
        set_flag(vm, EXO_SESSION_ECHO, arg, "echo");
    else if (IS(":time"))
        set_flag(vm, EXO_SESSION_TIME, arg, "time");
    else
        printf("Unknown command '%.*s' (:help lists the commands).\n", (int)len, line);
#undef IS
    return true;
}

static void evaluate(exo_vm *vm, const char *line)
{
    size_t len = strlen(line);
    char *text = malloc(len + 2);
    if (!text) {
        fprintf(stderr, "exo: out of memory\n");
        return;
    }
    memcpy(text, line, len);
    text[len] = '\n';
    text[len + 1] = 0;
    double t0 = now_ms();
    evaluating = 1;
    exo_status st = exo_feed(vm, text, len + 1, "<repl>");
    evaluating = 0;
    S.pending_ms += now_ms() - t0;
    free(text);
    if (st == EXO_INCOMPLETE)
        return;
    if (st != EXO_OK) {
        if (st == EXO_ERR_INTERRUPT)
            fputc('\n', stdout); /* after the terminal's ^C */
        fflush(stdout);
        print_error(stderr, exo_last_error(vm));
    }
    uint32_t flags = exo_session_flags(vm);
    if (flags & EXO_SESSION_ECHO)
        show_stack(vm, ECHO_LEVELS);
    if (flags & EXO_SESSION_TIME)
        printf("/* %.3f ms */\n", S.pending_ms);
    S.pending_ms = 0;
}

int repl_run(exo_vm *vm)
{
    S.vm = vm;
    S.pending_ms = 0;
    rl_readline_name = "exo";
    rl_change_environment = 0;
    /* readline keeps catching signals while it reads (the terminal is
     * restored on Ctrl-Z, ^C is echoed) and passes SIGINT on to on_sigint,
     * then calls after_signal */
    rl_signal_event_hook = after_signal;
    complete_init(vm);
    history_start();

    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: readline's read must see EINTR */
    sigaction(SIGINT, &sa, &old);

    for (;;) {
        fflush(stdout);
        got_sigint = 0;
        char *line = readline(make_prompt());
        if (!line) { /* Ctrl-D on an empty line */
            fputc('\n', stdout);
            break;
        }
        history_keep(line);
        const char *p = line + strspn(line, " \t");
        bool go_on = true;
        if (!pending(vm) && p[0] == ':')
            go_on = command(vm, p);
        else
            evaluate(vm, line);
        free(line);
        if (!go_on)
            break;
    }
    sigaction(SIGINT, &old, NULL);
    history_end();
    fflush(stdout);
    return 0;
}
