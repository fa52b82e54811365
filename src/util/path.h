/*
 * util/path.h: pond paths (the names of series and files inside a pond; not host paths).
 *
 * A pond path is absolute and '/'-separated: "/", or "/" name ("/" name)*.  A name is UTF-8
 * text without '/' and NUL, and is neither "." nor "..".  The normalized form has no empty
 * component and no trailing '/' (except "/" itself).  Functions that can fail return POND_OK
 * or a negative pond_error_code with the error set; output buffers are cleared first and
 * belong to the caller.
 */
#ifndef POND_UTIL_PATH_H
#define POND_UTIL_PATH_H

#include <stddef.h>
#include "util/buf.h"

/* Normalize in into out: must start with '/'; runs of '/' collapse and a trailing '/' goes
 * ("/a//b/" -> "/a/b", "/" stays "/").  POND_EINVALID naming the path for an empty or
 * relative path, a "." / ".." component, or bytes that are not UTF-8 ("invalid pond path
 * '/a\xff': not valid UTF-8", the path quoted by pond_path_quote). */
int pond_path_normalize(const char *in, pond_buf *out);

/* As pond_path_normalize for len bytes of in, which may hold a NUL (rejected: POND_EINVALID). */
int pond_path_normalize_n(const char *in, size_t len, pond_buf *out);

/* The last name of path: a borrowed pointer into path.  "/a/b" -> "b", "/" -> "".
 * Expects a normalized path (for "/a/" it returns ""). */
const char *pond_path_basename(const char *path);

/* The parent of normalized path into out: "/a/b" -> "/a", "/a" -> "/".
 * POND_EINVALID for "/" (no parent) or a path not starting with '/'. */
int pond_path_parent(const char *path, pond_buf *out);

/* out = dir "/" name ("/" + name when dir is "/").  POND_EINVALID if name is not a valid
 * name.  dir may point into out (out is built aside, then replaced). */
int pond_path_join(pond_buf *out, const char *dir, const char *name);

/* 1 if name is a valid pond name (non-empty UTF-8, no '/', not "." or ".."), else 0. */
int pond_path_valid_name(const char *name);

/* 1 if s[0..len) is well-formed UTF-8 (RFC 3629), else 0. */
int pond_utf8_valid(const char *s, size_t len);

/* s[0..len) into out (cleared first), safe to print in a message: UTF-8 text as is, a
 * backslash doubled, control characters and bytes that are not UTF-8 as "\xNN". */
int pond_path_quote(const char *s, size_t len, pond_buf *out);

/* Iterate the names of a path, left to right, skipping empty components:
 *
 *     pond_path_iter it;
 *     const char *name; size_t len;
 *     pond_path_iter_init(&it, "/a/bc");
 *     while (pond_path_iter_next(&it, &name, &len))
 *         use(name, len);              // "a",1 then "bc",2
 *
 * name points into the path (borrowed, NOT NUL-terminated: use len).  "/" yields nothing.
 * The path must outlive the iterator. */
typedef struct {
    const char *p; /* the rest of the path still to visit */
} pond_path_iter;

void pond_path_iter_init(pond_path_iter *it, const char *path);

/* 1 with *name / *len set to the next name, 0 when there are no more. */
int pond_path_iter_next(pond_path_iter *it, const char **name, size_t *len);

#endif
