/* Partitioning GTS into equivalence classes by label values (spec d.3),
 * shared by REDUCE, APPLY and FILTER. The key of a series is the set of
 * (name, value) pairs of the listed labels it has (all its labels when the
 * list is NULL, none when it is empty: one class). A class's labels are
 * the labels common to all its members. Classes come out in the order of
 * their first member; members keep their input order. */
#ifndef EXO_PARTITION_H
#define EXO_PARTITION_H

#include "gts.h"

typedef struct fw_class {
    size_t start, n;    /* members: part->members[start .. start + n) */
    map *labels;        /* labels common to all members (owned) */
    /* APPLY/FILTER: members grouped by collection (see partition_collections) */
    size_t *coll_end;   /* ncoll cumulative ends within the class, or NULL */
    size_t ncoll;
    struct fw_partition *part;
} fw_class;

typedef struct fw_partition {
    size_t nclasses;
    fw_class *classes;
    gts **members;      /* borrowed series, grouped by class */
    size_t nmembers;
} fw_partition;

static inline gts *fw_member(const fw_class *c, size_t i) { return c->part->members[c->start + i]; }

/* Partitions series[0..n) by bylabels (a LIST of STRING, or NULL for all
 * labels). Returns false on OOM (error set); out is then empty. */
bool partition_build(exo_vm *vm, gts *const *series, size_t n, const list *bylabels, fw_partition *out);

/* APPLY / FILTER grouping: the series of every collection holding more
 * than one GTS are partitioned together; a collection of exactly one GTS
 * joins every class (if all are singletons, the classes come from the
 * first collection). Within a class, members are ordered by collection,
 * then input order; coll_end gives each collection's range. */
bool partition_collections(exo_vm *vm, gts *const *const *colls, const size_t *coll_len, size_t ncoll,
                           const list *bylabels, fw_partition *out);

void partition_free(exo_vm *vm, fw_partition *p);

/* A new map holding the entries of a (STRING -> STRING) that every map of
 * ms[0..n) has with the same value. NULL on OOM. */
map *labels_common(exo_vm *vm, map *const *ms, size_t n);

#endif
