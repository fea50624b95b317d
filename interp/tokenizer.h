/* The tokenizer: WarpScript's line-oriented lexical syntax (spec a.1-a.3).
 * It is fed text in chunks (a script at once, or a REPL line at a time)
 * and keeps the state that spans lines: an open block comment or an open
 * <' '> multi-line string. Each token goes to a callback with its line and
 * column; string contents are already percent-decoded. */
#ifndef EXO_TOKENIZER_H
#define EXO_TOKENIZER_H

#include "common.h"

typedef enum {
    TK_WORD,
    TK_STRING,
    TK_LONG,
    TK_DOUBLE,
    TK_BOOLEAN,
    TK_MACRO_OPEN,
    TK_MACRO_CLOSE,
    TK_LOAD,  /* $name */
    TK_EARLY, /* !$name */
    TK_RUN,   /* @name */
} tok_kind;

typedef struct token {
    tok_kind kind;
    const char *text; /* word/name/string bytes (not NUL-terminated) */
    size_t len;
    int64_t l;
    double d;
    bool b;
    uint32_t line, col;
} token;

typedef bool (*tok_sink)(void *ctx, const token *t);

typedef struct tokenizer {
    exo_vm *vm;
    const char *file;      /* source name, for error positions */
    uint32_t line;         /* number of the line being scanned (1-based) */
    bool in_comment;       /* inside a block comment */
    bool in_multiline;     /* inside <' '> */
    uint32_t ml_line, ml_col; /* where the open construct started */
    char *buf;             /* scratch: decoded strings and multi-line text */
    size_t buf_len, buf_cap;
} tokenizer;

void tok_init(tokenizer *t, exo_vm *vm);
void tok_reset(tokenizer *t);
void tok_free(tokenizer *t);
/* Scans a chunk of whole lines (a last line without a newline counts as
 * whole). Returns false on a lexical error (recorded in the VM) or when the
 * sink returned false. */
bool tok_feed(tokenizer *t, const char *text, size_t len, tok_sink sink, void *ctx);
/* True when the state spans lines (open comment or multi-line string). */
bool tok_incomplete(const tokenizer *t);

/* Percent-decoding of string literals: "%xx" -> byte, '+' kept as is.
 * Returns the decoded length, or -1 for a malformed sequence. Writes at most
 * len bytes to out (decoding never grows). */
long tok_percent_decode(const char *in, size_t len, char *out);

#endif
