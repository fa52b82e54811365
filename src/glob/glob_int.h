/*
 * glob/glob_int.h: the compiled form of a pattern, shared by glob.c (compile) and
 * glob_match.c (match, may_descend).  Private to the glob module.
 */
#ifndef POND_GLOB_INT_H
#define POND_GLOB_INT_H

#include <stddef.h>
#include "glob/glob.h"

typedef enum {
    GLOB_LIT,   /* a name matched byte for byte */
    GLOB_STAR,  /* a name with one or more '*' */
    GLOB_DSTAR  /* exactly "**" */
} glob_kind;

/* One literal piece of a GLOB_STAR component: text[off .. off+len). */
typedef struct {
    size_t off, len;
} glob_seg;

typedef struct {
    glob_kind kind;
    const char *text; /* points into pond_glob.copy; NUL-terminated */
    size_t len;
    size_t nsegs;     /* GLOB_STAR: number of stars + 1 */
    glob_seg *segs;   /* GLOB_STAR: the literal pieces around the stars (first/last may be empty) */
} glob_comp;

struct pond_glob {
    char *pattern;    /* as given */
    char *copy;       /* the pattern with each '/' replaced by NUL; comps point into it */
    size_t ncomps;
    glob_comp *comps;
    int literal;      /* no wildcard at all */
    size_t prefix_len;
};

/* 1 if component c (GLOB_LIT or GLOB_STAR) matches the name x[0..len). */
int glob__comp_match(const glob_comp *c, const char *x, size_t len);

#endif
