/* Internal conventions shared by every interp/ and builtins/ file.
 * Nothing here is public: the only installed header is exo.h. */
#ifndef EXO_COMMON_H
#define EXO_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define countof(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__) || defined(__clang__)
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define EXO_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define likely(x) (x)
#define unlikely(x) (x)
#define EXO_PRINTF(f, a)
#endif

typedef struct exo_vm exo_vm;

#endif
