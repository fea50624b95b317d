/* What a builtin family file needs: the VM's stack helpers, values, and the
 * word record. Each builtins/<family>.c ends with one table and a
 * registration function listed in families.def. */
#ifndef EXO_BUILTINS_H
#define EXO_BUILTINS_H

#include "../interp/alloc.h"
#include "../interp/value.h"
#include "../interp/vm.h"
#include "../interp/words.h"

#define FAMILY(name) void family_##name(const word **table, size_t *count);
#include "families.def"
#undef FAMILY

/* Defines the family's registration function from its table. */
#define EXO_FAMILY(name, table)                                                                    \
    void family_##name(const word **t, size_t *n)                                                  \
    {                                                                                              \
        *t = table;                                                                                \
        *n = countof(table);                                                                       \
    }

#endif
