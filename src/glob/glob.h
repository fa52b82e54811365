/*
 * glob/glob.h: pond path patterns and their captures (docs/cli.md, docs/export.md).
 *
 * A pattern is an absolute '/'-separated path.  In a component, '*' matches any run of
 * characters within one name (not '/') and captures the text it stood for; a component that is
 * exactly '**' matches zero or more whole directory names and captures each name it passes.
 * Captures are numbered from 0, left to right.  Everything else matches itself, byte for byte
 * (names may hold spaces, quotes, '=', dots, any UTF-8).
 *
 * Details the summary above leaves open:
 *  - A '**' that is the LAST component matches one or more entries below (any depth): it
 *    captures each directory name it passes but not the final name.  (Examples below write a
 *    pattern as its list of components, since a slash before a star would end this comment.)
 *    [a, **] on "/a/b/c/f" captures "b", "c"; on "/a/f" captures nothing; it does not match
 *    "/a" itself.
 *  - A '**' that passes zero directories captures nothing, so the number of captures of one
 *    pattern can vary from path to path.  A '*' that stands for empty text captures "".
 *  - Ambiguity is resolved deterministically: earlier wildcards take as little as possible.
 *    "*_*" on "a_b_c" captures "a" then "b_c"; in [**, x, **, f] the first '**' passes as
 *    few directories as possible.
 *  - There is no escaping: a name holding '*' is matched by the '*' wildcard only.
 *  - One trailing '/' is ignored ("/a/" is "/a"); "/" alone is a literal pattern matching "/".
 *  - Matching costs O(components x names) per path plus, per name, a linear scan for each
 *    literal piece: no exponential backtracking.
 */
#ifndef POND_GLOB_H
#define POND_GLOB_H

#include <stddef.h>

/* The compiled pattern.  It is not called pond_glob: that name is the public walk function
 * of pond/store.h, and a typedef of the same name would clash in any file including both.
 * (struct pond_glob is the same type.) */
typedef struct pond_glob pond_pattern;

typedef struct pond_captures {
    size_t n;
    char **v; /* owned; n strings */
} pond_captures;

#define POND_CAPTURES_INIT { 0, NULL }

/* Compile pattern.  POND_EINVALID (naming the pattern and the fault) for: an empty or relative
 * pattern, an empty component ("//"), '**' mixed with other text in one component.
 * Also rejected: a component that is exactly "." or ".." (no pond name can match it).
 * *out is owned by the caller (pond_glob_free); it is NULL on failure. */
int pond_glob_compile(pond_pattern **out, const char *pattern);

void pond_glob_free(pond_pattern *g);

/* The pattern as given. Borrowed. */
const char *pond_glob_pattern(const pond_pattern *g);

/* 1 if the pattern has no wildcard (it names one path). */
int pond_glob_is_literal(const pond_pattern *g);

/* Match a whole absolute path.  Returns 1 on a match (filling caps, which the caller frees
 * with pond_captures_free; caps may be NULL), 0 when it does not match, POND_ENOMEM.
 * caps is overwritten (set empty unless the result is 1), so free it before reusing it.
 * path should be normalized (util/path.h); runs of '/' and a trailing '/' are tolerated,
 * a path not starting with '/' never matches. */
int pond_glob_match(const pond_pattern *g, const char *path, pond_captures *caps);

/* 1 if some path below directory dir_path could match (used to prune a walk). */
int pond_glob_may_descend(const pond_pattern *g, const char *dir_path);

void pond_captures_free(pond_captures *caps);

/* Length of the pattern's literal directory prefix: pond_glob_pattern(g)[0..len) is the
 * deepest directory every match lies below, made of the leading wildcard-free components
 * except the last component ([a, b, *.x] -> "/a/b"; [a, b] -> "/a"; [**] -> "/", len 1).
 * A walk can start there. */
size_t pond_glob_literal_prefix_len(const pond_pattern *g);

#endif
