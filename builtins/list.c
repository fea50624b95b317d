/* list words: being written. */
#include "builtins.h"

void family_list(const word **t, size_t *n)
{
    *t = NULL;
    *n = 0;
}
