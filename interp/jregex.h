/* Java regular expressions on top of POSIX <regex.h>. WarpScript regexes
 * are java.util.regex patterns; this module translates the common subset
 * to a POSIX extended regex: \d \w \s (and negations, also inside [...]),
 * \p{Alpha}-style classes, \Q..\E, escapes (\t \n \xhh \uhhhh ...),
 * (?:...) and (?<name>...) groups (Java group numbers are kept: the POSIX
 * groups the translation adds are mapped away), backreferences \1-\9,
 * leading inline flags (?i) (?s) (?m), and '.' not matching \n or \r.
 * Non-ASCII characters count as one character in '.', negated classes
 * and before quantifiers, whatever the C locale. Unsupported constructs
 * (lookaround, lazy/possessive quantifiers, class intersections, ...)
 * are an error, never a silent mismatch. POSIX matching is leftmost-
 * longest, so alternations may capture differently from Java.
 * Note: regcomp allocates outside the VM's allocator (not counted). */
#ifndef EXO_JREGEX_H
#define EXO_JREGEX_H

#include "common.h"

#include <regex.h>

#define JRE_MAX_GROUPS 99

typedef struct jregex {
    regex_t re;
    size_t ngroups;                        /* Java capturing groups */
    uint16_t map[JRE_MAX_GROUPS + 1];      /* Java group -> POSIX subexpression */
    size_t nsub;                           /* POSIX subexpressions */
} jregex;

/* Compiles pattern pat[0..len). On failure sets the VM error, naming the
 * word who, and returns false (nothing to free). */
bool jre_compile(exo_vm *vm, const char *who, jregex *r, const char *pat, size_t len);
void jre_free(jregex *r);
/* Searches s[start..len) for the leftmost match. m must hold nsub + 1
 * entries; offsets are from s. Returns true if it matched. */
bool jre_search(const jregex *r, const char *s, size_t len, size_t start, regmatch_t *m);
/* Java group g (0 = whole match) of the last search: false if it did not
 * participate in the match. */
bool jre_group(const jregex *r, const regmatch_t *m, size_t g, size_t *so, size_t *eo);

#endif
