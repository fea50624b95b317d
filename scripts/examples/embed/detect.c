/* An example host: embeds libexo to find dips in a series.
 *
 *   detect DATA.gts
 *
 * It loads a file in GTS input format into the VM's store, runs a small
 * WarpScript detection script that FETCHes the series, smooths it and keeps
 * the points well below the mean, then reads the resulting GTS back as C
 * arrays and prints them. Only the public header is used. */
#include <exo.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        *len = (size_t)n;
    return buf;
}

/* The analysis, in WarpScript: smooth over 5 points, then keep the points
 * more than 2 standard deviations below the mean. */
static const char *const script =
    "[ 'token' '~.*' {} MAXLONG MAXLONG ] FETCH 0 GET 'raw' STORE\n"
    "[ $raw mapper.mean 2 2 0 ] MAP 0 GET 'smooth' STORE\n"
    "$smooth VALUES 'v' STORE\n"
    "0.0 $v <% + %> FOREACH $v SIZE TODOUBLE / 'mean' STORE\n"
    "0.0 $v <% $mean - DUP * + %> FOREACH $v SIZE TODOUBLE / SQRT 'sd' STORE\n"
    "[ $smooth $mean 2.0 $sd * - mapper.lt 0 0 0 ] MAP 0 GET\n";

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DATA.gts\n", argv[0]);
        return 2;
    }
    size_t len;
    char *data = read_all(argv[1], &len);
    if (!data) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    exo_config cfg;
    exo_config_init(&cfg); /* default limits, no capabilities: the script needs none */
    cfg.limits.maxops = 10000000;
    exo_vm *vm = exo_vm_new(&cfg);
    if (!vm) {
        free(data);
        return 1;
    }
    int rc = 1;
    if (exo_load_gts_text(vm, data, len, argv[1]) != EXO_OK ||
        exo_eval(vm, script, strlen(script), "detect") != EXO_OK) {
        const exo_error *e = exo_last_error(vm);
        fprintf(stderr, "%s:%u:%u: error: %s\n", e->file, e->line, e->col, e->message);
        goto done;
    }
    exo_gts_meta info;
    if (!exo_gts_info(vm, 0, &info)) {
        fprintf(stderr, "the script did not leave a GTS\n");
        goto done;
    }
    int64_t *ticks = malloc((info.len ? info.len : 1) * sizeof *ticks);
    double *values = malloc((info.len ? info.len : 1) * sizeof *values);
    if (ticks && values && exo_gts_ticks(vm, 0, ticks, info.len) && exo_gts_doubles(vm, 0, values, info.len)) {
        printf("%zu dip points in %s\n", info.len, info.cls);
        for (size_t i = 0; i < info.len && i < 10; i++)
            printf("  %lld %.6g\n", (long long)ticks[i], values[i]);
        rc = 0;
    }
    free(ticks);
    free(values);
done:
    exo_vm_free(vm);
    free(data);
    return rc;
}
