/* :help for the REPL, read from the words' registration table through
 * exo_word_at, so it lists exactly the words the VM knows (builtins and
 * host words alike). The MAN word prints the same "NAME ( sig ) [family]"
 * and doc layout from inside libexo. */
#include "repl.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const commands[][2] = {
    {":help [WORD|FAMILY]", "this list, a word's signature and doc, or a family's words"},
    {":stack", "show every level of the stack"},
    {":echo [on|off]", "show the top of the stack after each line (ECHOON, ECHOOFF)"},
    {":time [on|off]", "show how long each line took (TIMEON, TIMEOFF)"},
    {":quit", "leave (or Ctrl-D on an empty line)"},
};

static void show_word(FILE *out, const char *name, const char *sig, const char *doc, const char *family)
{
    fprintf(out, "%s ( %s )", name, sig ? sig : "");
    if (family && family[0])
        fprintf(out, "  [%s]", family);
    fprintf(out, "\n    %s\n", doc ? doc : "");
}

/* Prints names separated by spaces, wrapped before 78 columns. */
static void wrap(FILE *out, int *col, const char *name, const char *indent)
{
    int len = (int)strlen(name);
    if (*col > (int)strlen(indent) && *col + 1 + len > 78) {
        fprintf(out, "\n%s", indent);
        *col = (int)strlen(indent);
    } else if (*col > (int)strlen(indent)) {
        fputc(' ', out);
        (*col)++;
    }
    fputs(name, out);
    *col += len;
}

static void list_families(exo_vm *vm, FILE *out)
{
    fprintf(out, "Word families (:help FAMILY lists the words, :help WORD shows one):\n");
    const char *name, *family, *prev = NULL;
    size_t count = 0;
    for (size_t i = 0;; i++) {
        bool more = exo_word_at(vm, i, &name, NULL, NULL, &family);
        if (!family)
            family = "";
        if (prev && (!more || strcmp(family, prev) != 0)) {
            fprintf(out, "  %-12s %zu word%s\n", prev[0] ? prev : "(host)", count, count == 1 ? "" : "s");
            count = 0;
        }
        if (!more)
            break;
        prev = family;
        count++;
    }
    fprintf(out, "Standard library (:help @NAME shows one):\n  ");
    int col = 2;
    for (size_t i = 0; exo_stdlib_at(i, &name, NULL, NULL); i++) {
        char at[128];
        snprintf(at, sizeof at, "@%s", name);
        wrap(out, &col, at, "  ");
    }
    fprintf(out, "\nSession commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-22s %s\n", commands[i][0], commands[i][1]);
}

static bool show_family(exo_vm *vm, FILE *out, const char *topic)
{
    const char *name, *sig, *family;
    bool found = false;
    for (size_t i = 0; exo_word_at(vm, i, &name, &sig, NULL, &family); i++)
        if (family && strcmp(family, topic) == 0) {
            if (!found)
                fprintf(out, "%s:\n", topic);
            found = true;
            fprintf(out, "  %-20s ( %s )\n", name, sig ? sig : "");
        }
    return found;
}

static bool contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

void help_show(exo_vm *vm, FILE *out, const char *topic)
{
    while (topic && isspace((unsigned char)*topic))
        topic++;
    if (!topic || !*topic) {
        list_families(vm, out);
        return;
    }
    size_t len = strcspn(topic, " \t");
    char buf[256];
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, topic, len);
    buf[len] = 0;
    const char *name, *sig, *doc, *family;
    for (size_t i = 0; exo_word_at(vm, i, &name, &sig, &doc, &family); i++)
        if (strcmp(name, buf) == 0) {
            show_word(out, name, sig, doc, family);
            return;
        }
    for (size_t i = 0; buf[0] == '@' && exo_stdlib_at(i, &name, &sig, &doc); i++)
        if (strcmp(name, buf + 1) == 0) {
            show_word(out, buf, sig, doc, "standard library");
            return;
        }
    if (show_family(vm, out, buf))
        return;
    fprintf(out, "No word or family named '%s'.", buf);
    int shown = 0, col = 0;
    for (size_t i = 0; shown < 24 && exo_word_at(vm, i, &name, NULL, NULL, NULL); i++)
        if (contains_nocase(name, buf)) {
            if (!shown++) {
                fprintf(out, " Similar:\n  ");
                col = 2;
            }
            wrap(out, &col, name, "  ");
        }
    fputc('\n', out);
}
