/* The exo program's macro path: @name loads NAME.mc2 from the -I
 * directories, then those of $EXO_MACROPATH (colon-separated), when no
 * variable and no standard-library macro has that name. */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void macropath_add(macropath *mp, const char *dir)
{
    if (mp->n < (int)(sizeof mp->dirs / sizeof mp->dirs[0]) && dir[0])
        mp->dirs[mp->n++] = dir;
}

void macropath_add_env(macropath *mp)
{
    const char *env = getenv("EXO_MACROPATH");
    if (!env || !env[0])
        return;
    mp->env = strdup(env);
    for (char *save = NULL, *d = mp->env ? strtok_r(mp->env, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save))
        macropath_add(mp, d);
}

void macropath_free(macropath *mp)
{
    free(mp->text);
    free(mp->env);
    mp->text = mp->env = NULL;
}

/* A name is a relative path of plain components: no "..", no absolute path. */
static bool safe_name(const char *name)
{
    if (!name[0] || name[0] == '/')
        return false;
    for (const char *p = name; *p;) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 0 || (n == 2 && p[0] == '.' && p[1] == '.') || (n == 1 && p[0] == '.'))
            return false;
        p += n + (end ? 1 : 0);
    }
    return true;
}

const char *macropath_load(void *ud, const char *name, size_t *len)
{
    macropath *mp = ud;
    if (!safe_name(name))
        return NULL;
    for (int i = 0; i < mp->n; i++) {
        size_t n = strlen(mp->dirs[i]) + strlen(name) + 6;
        char *path = malloc(n);
        if (!path)
            return NULL;
        snprintf(path, n, "%s/%s.mc2", mp->dirs[i], name);
        size_t got;
        char *text = read_file(path, &got);
        free(path);
        if (text) {
            free(mp->text);
            mp->text = text;
            *len = got;
            return text;
        }
    }
    return NULL;
}
