/* math words: being written. */
#include "builtins.h"

void family_math(const word **t, size_t *n)
{
    *t = NULL;
    *n = 0;
}
