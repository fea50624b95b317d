/* Tab completion for the REPL. Candidates come from the VM itself: word
 * names from the registration table (exo_word_at, so they never drift),
 * $name and !$name from the defined variables, @name from the variables
 * holding a macro, and the :commands. WarpScript separates tokens by
 * blanks only, so the word-break characters are blanks and quotes: ->JSON,
 * bucketizer.mean and $x each complete as one word. Readline's generator
 * interface keeps its iteration state in statics (one session per process). */
#include "repl.h"

#include <readline/readline.h>
#include <stdlib.h>
#include <string.h>

typedef enum { C_WORDS, C_VARS, C_MACROS, C_COMMANDS, C_HELP } ckind;

static exo_vm *cvm;

static struct {
    ckind kind;
    size_t index;
    size_t skip; /* length of the sigil ($, !$, @) in front of the name */
    int phase;   /* C_HELP: 0 words, 1 families */
    const char *last_family;
} it;

static const char *const command_names[] = {":help", ":stack", ":echo", ":time", ":quit"};

/* A malloc'ed copy of sigil + name, as readline frees the matches. */
static char *match(const char *text, size_t skip, const char *name)
{
    size_t n = strlen(name);
    char *m = malloc(skip + n + 1);
    if (m) {
        memcpy(m, text, skip);
        memcpy(m + skip, name, n + 1);
    }
    return m;
}

static char *next_word(const char *text, size_t len)
{
    const char *name;
    while (exo_word_at(cvm, it.index++, &name, NULL, NULL, NULL))
        if (strncmp(name, text, len) == 0)
            return match("", 0, name);
    return NULL;
}

static char *next_family(const char *text, size_t len)
{
    const char *family;
    while (exo_word_at(cvm, it.index++, NULL, NULL, NULL, &family)) {
        if (!family || (it.last_family && strcmp(family, it.last_family) == 0))
            continue;
        it.last_family = family;
        if (strncmp(family, text, len) == 0)
            return match("", 0, family); /* readline drops duplicates */
    }
    return NULL;
}

static char *generate(const char *text, int state)
{
    if (state == 0) {
        it.index = 0;
        it.phase = 0;
        it.last_family = NULL;
    }
    size_t len = strlen(text);
    switch (it.kind) {
    case C_WORDS:
        return next_word(text, len);
    case C_HELP: {
        if (it.phase == 0) {
            char *m = next_word(text, len);
            if (m)
                return m;
            it.phase = 1;
            it.index = 0;
        }
        return next_family(text, len);
    }
    case C_VARS:
    case C_MACROS: {
        const char *name;
        if (it.phase == 0) {
            while ((name = exo_variable_at(cvm, it.index++)))
                if (strncmp(name, text + it.skip, len - it.skip) == 0) {
                    const char *type = it.kind == C_MACROS ? exo_variable_type(cvm, name) : NULL;
                    if (it.kind == C_VARS || (type && strcmp(type, "MACRO") == 0))
                        return match(text, it.skip, name);
                }
            it.phase = 1;
            it.index = 0;
        }
        /* then, for @name, the standard library's macros */
        while (it.kind == C_MACROS && exo_stdlib_at(it.index++, &name, NULL, NULL))
            if (strncmp(name, text + it.skip, len - it.skip) == 0)
                return match(text, it.skip, name);
        return NULL;
    }
    case C_COMMANDS:
        while (it.index < sizeof command_names / sizeof command_names[0]) {
            const char *name = command_names[it.index++];
            if (strncmp(name, text, len) == 0)
                return match("", 0, name);
        }
        return NULL;
    }
    return NULL;
}

static char **attempt(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1; /* never fall back to file names */
    const char *line = rl_line_buffer;
    size_t lead = strspn(line, " \t");
    it.skip = 0;
    if (line[lead] == ':' && (size_t)start <= lead) {
        it.kind = C_COMMANDS;
    } else if (line[lead] == ':') {
        if (strncmp(line + lead, ":help", 5) != 0)
            return NULL;
        it.kind = C_HELP;
    } else if (text[0] == '$') {
        it.kind = C_VARS;
        it.skip = 1;
    } else if (text[0] == '!' && text[1] == '$') {
        it.kind = C_VARS;
        it.skip = 2;
    } else if (text[0] == '@') {
        it.kind = C_MACROS;
        it.skip = 1;
    } else {
        it.kind = C_WORDS;
    }
    return rl_completion_matches(text, generate);
}

void complete_init(exo_vm *vm)
{
    cvm = vm;
    rl_basic_word_break_characters = " \t\n\"'";
    rl_completer_word_break_characters = rl_basic_word_break_characters;
    rl_attempted_completion_function = attempt;
}
