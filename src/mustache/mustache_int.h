/*
 * mustache/mustache_int.h: the private tree of a parsed Mustache template, shared by
 * parse.c (source -> tree), render.c (tree + JSON -> text) and mustache.c (the public API and
 * the cache of partials).
 *
 * A parsed source (mustache_tpl) owns a copy of its text; text nodes and indentation point into
 * that copy, so a tree costs one allocation per tag name and one per child list.  After parsing,
 * standalone lines are already gone from the tree, and every remaining source line starts with
 * an MN_LINE node carrying that line's leading whitespace, which is where render.c re-indents
 * partials and blocks.
 */
#ifndef POND_MUSTACHE_INT_H
#define POND_MUSTACHE_INT_H

#include <stddef.h>
#include "mustache/mustache.h"

typedef enum mustache_node_type {
    MN_TEXT,     /* literal text (text, len) */
    MN_LINE,     /* start of a kept source line; (text, len) is its leading blanks */
    MN_VAR,      /* {{name}} (escape = 1), {{{name}}} and {{&name}} (escape = 0) */
    MN_SECTION,  /* {{#name}}children{{/name}} */
    MN_INVERTED, /* {{^name}}children{{/name}} */
    MN_PARTIAL,  /* {{>name}} or {{>*name}} */
    MN_PARENT,   /* {{<name}}blocks{{/name}}: only the MN_BLOCK children are used */
    MN_BLOCK     /* {{$name}}default{{/name}} */
} mustache_node_type;

typedef struct mustache_node mustache_node;

typedef struct mustache_list {
    mustache_node *v;
    size_t n, cap;
} mustache_list;

struct mustache_node {
    mustache_node_type type;
    const char *text; /* MN_TEXT, MN_LINE: into the template's source copy */
    size_t len;
    char *name;       /* tags: the name as written, '*' of a dynamic name removed (owned) */
    char *path;       /* tags: name with each '.' replaced by NUL (owned); "." gives nseg 0 */
    size_t nseg;
    unsigned escape : 1;     /* MN_VAR: HTML-escape the value */
    unsigned dynamic : 1;    /* MN_PARTIAL, MN_PARENT: name is looked up in the context */
    unsigned standalone : 1; /* the (opening) tag stood alone on its line, which was removed */
    /* MN_PARTIAL, MN_PARENT: the blanks before a standalone tag, added to each line.
     * MN_BLOCK: the block's own indentation (see block_indent() in parse.c).
     * Other tags: the blanks before the tag when only blanks and tags precede it. */
    const char *indent;
    size_t indent_len;
    /* Tags: where the tag starts, for render-time errors (origin borrowed from its template). */
    const char *origin;
    int line, col;
    /* Sections, inverted sections, parents and blocks: what they enclose, at most
     * POND_MUSTACHE_MAX_DEPTH levels deep (parse.c refuses deeper), so recursing is safe. */
    mustache_list children;
};

/* One parsed source: the main template or a partial/parent. */
typedef struct mustache_tpl {
    char *src;    /* copy of the source; the tree points into it */
    char *origin; /* name for messages */
    mustache_list root;
} mustache_tpl;

/* Parse source into *out (origin is copied; NULL means "template").  POND_EINVALID with
 * "origin:line:column: what" on a syntax error or nesting deeper than POND_MUSTACHE_MAX_DEPTH;
 * *out is then NULL. */
int mustache__parse(mustache_tpl **out, const char *source, const char *origin);
void mustache__tpl_free(mustache_tpl *t);

/* The parsed partial or parent called name, loading and parsing it through t's loader on first
 * use.  *out is NULL (and POND_OK returned) when the loader has no such template.  Borrowed:
 * valid until pond_mustache_free(t). */
int mustache__get_partial(pond_mustache *t, const char *name, const mustache_tpl **out);

/* Render tree into out with context (see render.c). */
int mustache__render(pond_mustache *t, const mustache_tpl *tpl, json_t *context, pond_buf *out);

/* Set the "nested too deep" error at tag n (parse.c and render.c word it the same way). */
int mustache__too_deep(const char *origin, int line, int col);

#endif
