/*
 * mustache/mustache.h: a Mustache template engine (after the Mustache spec,
 * github.com/mustache/spec: interpolation, sections, inverted sections, comments, partials,
 * set delimiters, inheritance
 * with parents and blocks, dynamic names).  Text and a jansson JSON context in, text out; it
 * knows nothing of DuckDB or the pond.
 *
 * A template is parsed once and rendered many times.  Partials and parents are fetched by name
 * through a loader when first needed and kept parsed in the template's cache.
 */
#ifndef POND_MUSTACHE_H
#define POND_MUSTACHE_H

#include <jansson.h>
#include "util/buf.h"

typedef struct pond_mustache pond_mustache;

/* Sections, inverted sections, parents, blocks and partials may be nested this deep, counted
 * within one template and on through the partials and parents it renders.  Deeper is refused
 * with POND_EINVALID "origin:line:column: nested too deep (…)" naming the tag that goes one
 * level too far: at parse time within a template, at render time through partials and parents
 * (a recursive partial or block that never ends).  It bounds every recursion of parsing,
 * rendering and freeing. */
#define POND_MUSTACHE_MAX_DEPTH 256

/* One render visits at most this many template nodes and writes at most this many bytes.
 * Nesting alone cannot bound the work: sections 20 deep over one 10-item list found again
 * in every scope repeat 10^20 times.  Past either bound the render stops with POND_EINVALID
 * "origin:line:column: too much to render (…)" naming the tag it was at. */
#define POND_MUSTACHE_MAX_STEPS 10000000
#define POND_MUSTACHE_MAX_OUTPUT (256u << 20)

/* Return the source of the partial or parent called name as a malloc'd string, with *origin
 * set to a malloc'd name for messages (a file path; may be left NULL), or NULL when there is
 * no such template (it then renders as empty, as the spec says). */
typedef char *(*pond_mustache_loader)(const char *name, char **origin, void *ctx);

/* Parse source.  origin names it in messages (a file path).  loader may be NULL (no
 * partials).  A syntax error returns POND_EINVALID with "origin:line:column: what". */
int pond_mustache_parse(pond_mustache **out, const char *source, const char *origin,
                        pond_mustache_loader loader, void *loader_ctx);

/* Fetch and parse now, through the loader, every partial and parent that t names with a fixed
 * (not dynamic) name, and theirs in turn, so that their syntax errors (POND_EINVALID with
 * their origin, line and column) are found before the first render.  When missing is not
 * NULL it is set to the first such name the loader does not have (malloc'd; NULL if none):
 * the spec renders a missing partial as empty, a caller may prefer to refuse it.  Call it
 * right after pond_mustache_parse. */
int pond_mustache_preload(pond_mustache *t, char **missing);

/* Render with context appended to out.  Errors (POND_EINVALID) come from partials that do not
 * parse, from nesting deeper than POND_MUSTACHE_MAX_DEPTH and from a render past
 * POND_MUSTACHE_MAX_STEPS or POND_MUSTACHE_MAX_OUTPUT, with origin, line and column;
 * out is then left as it was. */
int pond_mustache_render(pond_mustache *t, json_t *context, pond_buf *out);

void pond_mustache_free(pond_mustache *t);

#endif
