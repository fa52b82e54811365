/*
 * export/yaml_doc.h: a YAML file loaded whole (libyaml's document API), with the position of
 * every node, for the pipeline and template-spec loaders.
 *
 * Every error these helpers report is POND_EINVALID with the message
 * "<file>:<line>:<column>: <what>" (1-based), pointing at the node at fault: the key for an
 * unknown or duplicated key, the value for a mistyped one, the mapping for a missing one.
 * Nodes (yaml_node_t) are borrowed from the document and live until pond_yaml_free().
 */
#ifndef POND_EXPORT_YAML_DOC_H
#define POND_EXPORT_YAML_DOC_H

#include <yaml.h>
#include "util/error.h"

typedef struct pond_yaml pond_yaml;

/* Read and parse the first document of the YAML file at path (a second document is an
 * error).  Errors: POND_ENOTFOUND / POND_ERROR when the file cannot be read (naming it),
 * POND_EINVALID "<path>:<line>:<column>: <libyaml's problem>" for a syntax error, and
 * "<path>:1:1: empty file" for a file with no document. */
int pond_yaml_load(pond_yaml **out, const char *path);

void pond_yaml_free(pond_yaml *y);

/* The path the document was loaded from (borrowed). */
const char *pond_yaml_path(const pond_yaml *y);

/* The root node (never NULL after a successful load). */
yaml_node_t *pond_yaml_root(pond_yaml *y);

/* The node with libyaml index i (from a sequence item or a mapping pair), or NULL. */
yaml_node_t *pond_yaml_node(pond_yaml *y, int i);

/* 1-based line and column of node n. */
int pond_yaml_line(const yaml_node_t *n);
int pond_yaml_column(const yaml_node_t *n);

/* Set "<path>:<line>:<column>: <formatted>" (the position of n) and return POND_EINVALID. */
int pond_yaml_error(const pond_yaml *y, const yaml_node_t *n, const char *fmt, ...)
    POND_PRINTF(3, 4);

/* "a string", "a list", "a mapping" or "nothing" (a null scalar), for messages. */
const char *pond_yaml_kind(const yaml_node_t *n);

/* 1 if n is a null scalar (plain "", "~", "null", "Null", "NULL"). */
int pond_yaml_is_null(const yaml_node_t *n);

/* Check that n is a mapping whose keys are strings, each at most once and each one of
 * allowed (NULL-terminated).  what names n in messages ("stage 2 'Build site index'").
 * Errors: "<what> must be a mapping, not a list", "unknown key 'sqll' in <what> (expected
 * one of: name, type, sql, output_table)", "duplicate key 'sql' in <what>". */
int pond_yaml_check_mapping(pond_yaml *y, yaml_node_t *n, const char *what,
                            const char *const *allowed);

/* The value of key in mapping map, or NULL when absent; *key_node (may be NULL) gets the key. */
yaml_node_t *pond_yaml_get(pond_yaml *y, yaml_node_t *map, const char *key,
                           yaml_node_t **key_node);

/* The string value of key in map as a malloc'd copy in *out (NULL when absent and not
 * required).  *value (may be NULL) gets the value node.  Errors: "<what>: missing '<key>'"
 * (at map), "<what>: '<key>' has no value", "<what>: '<key>' must be a string, not a list". */
int pond_yaml_string(pond_yaml *y, yaml_node_t *map, const char *key, const char *what,
                     int required, char **out, yaml_node_t **value);

/* The scalar text of n (borrowed, NUL-terminated), or NULL if n is not a scalar. */
const char *pond_yaml_scalar(const yaml_node_t *n);

/* The path of a file named in the YAML file at yaml_path: rel itself when absolute, else rel
 * beside yaml_path ("conf/p.yaml" + "t.yaml" -> "conf/t.yaml").  Malloc'd into *out. */
int pond_yaml_resolve_path(const char *yaml_path, const char *rel, char **out);

#endif
