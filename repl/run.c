/* Script running helpers of the exo program, on the public API only. */
#include "run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

char *read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                errno = ENOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int err = ferror(f) ? errno : 0;
    if (f != stdin)
        fclose(f);
    if (buf && err) {
        free(buf);
        errno = err;
        return NULL;
    }
    if (buf) {
        buf[n] = 0;
        *len = n;
    }
    return buf;
}

void print_error(FILE *out, const exo_error *e)
{
    if (e->line)
        fprintf(out, "%s:%u:%u: error: %s\n", e->file, e->line, e->col, e->message);
    else
        fprintf(out, "%s: error: %s\n", e->file[0] ? e->file : "exo", e->message);
    if (e->word[0] && e->line)
        fprintf(out, "  in %s at %s:%u:%u\n", e->word, e->file, e->line, e->col);
    for (int i = 0; i < e->nframes; i++)
        fprintf(out, "  called from %s at %s:%u:%u\n", e->frames[i].word, e->frames[i].file, e->frames[i].line,
                e->frames[i].col);
    if (e->dropped_frames)
        fprintf(out, "  ... %d more frames\n", e->dropped_frames);
}

int exit_status(exo_status st)
{
    switch (st) {
    case EXO_OK:
        return 0;
    case EXO_ERR_USAGE:
        return 2;
    case EXO_ERR_SYNTAX:
        return 3;
    case EXO_ERR_LIMIT:
        return 4;
    default:
        return 1;
    }
}

int print_stack(exo_vm *vm, FILE *out, bool json)
{
    if (json) {
        size_t len;
        const char *s = exo_stack_json(vm, &len);
        if (!s) {
            print_error(stderr, exo_last_error(vm));
            return 1;
        }
        fwrite(s, 1, len, out);
        fputc('\n', out);
        return 0;
    }
    size_t depth = exo_depth(vm);
    for (size_t i = 0; i < depth; i++) {
        const char *s = exo_value_text(vm, i, 0);
        if (!s) {
            print_error(stderr, exo_last_error(vm));
            return 1;
        }
        fprintf(out, "%s\n", s);
    }
    return 0;
}
