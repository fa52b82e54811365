/*
 * glob/glob.h: pond path patterns and their captures (DESIGN.md section 3).
 *
 * A pattern is an absolute '/'-separated path.  In a component, '*' matches any run of
 * characters within one name (not '/') and captures the text it stood for; a component that is
 * exactly '**' matches zero or more whole directory names and captures each name it passes.
 * Captures are numbered from 0, left to right.  Everything else matches itself, byte for byte
 * (names may hold spaces, quotes, '=', dots, any UTF-8).
 */
#ifndef POND_GLOB_H
#define POND_GLOB_H

#include <stddef.h>

typedef struct pond_glob pond_glob;

typedef struct pond_captures {
    size_t n;
    char **v; /* owned; n strings */
} pond_captures;

#define POND_CAPTURES_INIT { 0, NULL }

/* Compile pattern.  POND_EINVALID (naming the pattern and the fault) for: an empty or relative
 * pattern, an empty component ("//"), '**' mixed with other text in one component. */
int pond_glob_compile(pond_glob **out, const char *pattern);

void pond_glob_free(pond_glob *g);

/* The pattern as given. Borrowed. */
const char *pond_glob_pattern(const pond_glob *g);

/* 1 if the pattern has no wildcard (it names one path). */
int pond_glob_is_literal(const pond_glob *g);

/* Match a whole absolute path.  Returns 1 on a match (filling caps, which the caller frees
 * with pond_captures_free; caps may be NULL), 0 when it does not match, POND_ENOMEM. */
int pond_glob_match(const pond_glob *g, const char *path, pond_captures *caps);

/* 1 if some path below directory dir_path could match (used to prune a walk). */
int pond_glob_may_descend(const pond_glob *g, const char *dir_path);

void pond_captures_free(pond_captures *caps);

#endif
