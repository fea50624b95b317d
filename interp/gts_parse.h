/* The GTS input-format reader shared by PARSE and the data store: a line
 * reader whose caller decides, through a callback, which GTS receives the
 * points of each new series (PARSE: a new one per run of lines; the store:
 * the existing series with the same class and labels). */
#ifndef EXO_GTS_PARSE_H
#define EXO_GTS_PARSE_H

#include "gts.h"

typedef struct gts_reader gts_reader;
/* Called when a line names a series different from the previous line's:
 * g holds its metadata (consumed, also on failure); the callback must set
 * r->cur to the GTS that receives the points (g or another). */
typedef bool (*gts_series_fn)(exo_vm *vm, gts_reader *r, gts *g);
/* Optional (the store): called before a point goes to r->cur when it
 * already holds flush_at points, and with leaving when the next line names
 * another series; it may take the points away (then r->cur is empty). */
typedef bool (*gts_flush_fn)(exo_vm *vm, gts_reader *r, gts *g, bool leaving);

struct gts_reader {
    const char *prefix; /* error prefix: "PARSE" or a file name */
    size_t line;        /* lines read so far (numbering continues across calls) */
    int64_t now;        /* tick for an empty TS, INT64_MIN if unavailable */
    gts_series_fn series;
    void *ctx;
    gts *cur;          /* borrowed: the series of the last line */
    char *tok;         /* copy of the last series token */
    size_t tok_len, tok_cap;
    gts_flush_fn flush; /* NULL: series grow (and shrink to fit when left) */
    size_t flush_at;
};

void gts_reader_init(gts_reader *r, const char *prefix, int64_t now, gts_series_fn series, void *ctx);
/* Reads whole lines of text (a last line without '\n' is read too).
 * Errors: "<prefix> line N: what is wrong". */
bool gts_read(exo_vm *vm, gts_reader *r, const char *text, size_t len);
void gts_reader_free(exo_vm *vm, gts_reader *r);

#endif
