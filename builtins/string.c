/* string words: being written. */
#include "builtins.h"

void family_string(const word **t, size_t *n)
{
    *t = NULL;
    *n = 0;
}
