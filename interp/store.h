/* The in-memory GTS store a VM's FETCH and FIND read: the series loaded
 * before the script runs (exo_load_gts_text, `exo --data FILE`). Lines of
 * the same class and labels go to the same series, wherever they appear. */
#ifndef EXO_STORE_H
#define EXO_STORE_H

#include "gts_parse.h"

typedef struct gts_store {
    gts **series; /* references held by the store */
    size_t n, cap;
    uint32_t *index; /* hash of class + labels -> series index + 1 */
    size_t icap;
    gts_reader reader; /* continues across calls with the same source name */
    bool reading;
    uint64_t points;
} gts_store;

/* Loads text in the input format; name is the source name for errors. */
bool store_load(exo_vm *vm, const char *text, size_t len, const char *name);
/* Frees the store's own arrays (the series are VM objects). */
void store_free(exo_vm *vm);
/* A stable hash of class + labels (label order does not matter). */
uint64_t store_series_hash(const gts *g);

#endif
