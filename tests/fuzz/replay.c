/* Without libFuzzer, a fuzz target is a plain program that replays files:
 * every file named on the command line, or found in a directory named
 * there (the seed corpus and the regressions found by fuzzing). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replayed;

static int replay(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: cannot stat %s\n", path);
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        int n = 0;
        while (d && (e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char full[4096];
            snprintf(full, sizeof full, "%s/%s", path, e->d_name);
            n += replay(full);
        }
        if (d)
            closedir(d);
        return n;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1;
    uint8_t *buf = malloc((size_t)st.st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (buf) {
        LLVMFuzzerTestOneInput(buf, n);
        replayed++;
    }
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    int failures = 0;
    for (int i = 1; i < argc; i++)
        failures += replay(argv[i]);
    printf("replayed %d inputs, %d unreadable\n", replayed, failures);
    return failures != 0;
}
