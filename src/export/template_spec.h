/*
 * export/template_spec.h: a template spec (YAML) and its collections (docs/templates.md).
 *
 *   collections:
 *     - name: site pages
 *       in_pattern: <a -p pattern>                # which export_metadata rows (by pattern)
 *       out_pattern: "sites/$0.html"            # one output per distinct expanded path
 *       template: site.mustache                 # relative to the spec file
 *       query: SELECT … WHERE capture_value = $0  # optional; $pattern, $0… bound
 *
 * Loading validates the whole file (file:line:column in messages) and parses every template
 * once; rendering happens in the template stage (stage_template.c).
 */
#ifndef POND_EXPORT_TEMPLATE_SPEC_H
#define POND_EXPORT_TEMPLATE_SPEC_H

#include <stddef.h>
#include "mustache/mustache.h"

typedef struct pond_collection {
    char *name;
    char *in_pattern;
    char *out_pattern;
    char *template_path; /* resolved against the spec's directory */
    char *query;         /* NULL: the collection's own export_metadata rows */
    int line;            /* of the collection in the spec file */
    int query_line;      /* of the query in the spec file (0: no query), for messages */
    int query_column;
    pond_mustache *tmpl; /* parsed at load */
} pond_collection;

struct pond_template_spec {
    char *path;
    pond_collection *collections;
    size_t ncollections;
};
typedef struct pond_template_spec pond_template_spec;

/* Load, validate and parse the templates of the spec at path; its queries are checked
 * against export_metadata alone (the spec of --template). */
int pond_template_spec_load(pond_template_spec **out, const char *path);

/* As pond_template_spec_load without the query check (the pipeline loader checks queries
 * against the tables of the stages before). */
int pond_template_spec__load(pond_template_spec **out, const char *path);

void pond_template_spec_free(pond_template_spec *spec);

#endif
