/* --data FILE for the exo program. zlib's gzread reads gzip and plain
 * files alike; the file is read in 16 MiB chunks and each chunk is cut at
 * its last newline, so the loader always sees whole lines and the file is
 * never held in memory at once. */
#include "data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (16u << 20)

exo_status load_data_file(exo_vm *vm, const char *path)
{
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    gzFile f = is_stdin ? gzdopen(dup(STDIN_FILENO), "rb") : gzopen(path, "rb");
    if (!f) {
        fprintf(stderr, "exo: cannot open data file '%s'\n", path);
        return EXO_ERR_USAGE;
    }
    gzbuffer(f, 1u << 20);
    char *buf = malloc(CHUNK);
    if (!buf) {
        gzclose(f);
        fprintf(stderr, "exo: out of memory reading '%s'\n", path);
        return EXO_ERR_OOM;
    }
    size_t have = 0; /* bytes of an unfinished line kept from the last chunk */
    exo_status st = EXO_OK;
    for (;;) {
        int n = gzread(f, buf + have, (unsigned)(CHUNK - have));
        if (n < 0) {
            int err;
            fprintf(stderr, "exo: error reading '%s': %s\n", path, gzerror(f, &err));
            st = EXO_ERR_USAGE;
            break;
        }
        size_t len = have + (size_t)n;
        if (n == 0) { /* end of file: the rest, even without a final newline */
            if (len)
                st = exo_load_gts_text(vm, buf, len, name);
            break;
        }
        char *nl = memrchr(buf, '\n', len);
        if (!nl) {
            if (len == CHUNK) {
                fprintf(stderr, "exo: %s: a line is longer than %u bytes\n", name, CHUNK);
                st = EXO_ERR_USAGE;
                break;
            }
            have = len;
            continue;
        }
        size_t whole = (size_t)(nl - buf) + 1;
        st = exo_load_gts_text(vm, buf, whole, name);
        if (st != EXO_OK)
            break;
        have = len - whole;
        memmove(buf, buf + whole, have);
    }
    if (st != EXO_OK && st != EXO_ERR_USAGE)
        fprintf(stderr, "exo: %s\n", exo_last_error(vm)->message);
    free(buf);
    gzclose(f);
    return st;
}
