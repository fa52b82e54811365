/*
 * export/yaml_doc.c: YAML documents with node positions (see yaml_doc.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export/yaml_doc.h"
#include "util/buf.h"
#include "util/fs.h"

struct pond_yaml {
    char *path;
    yaml_document_t doc;
    int have_doc;
};

const char *pond_yaml_path(const pond_yaml *y)
{
    return y->path;
}

int pond_yaml_line(const yaml_node_t *n)
{
    return n ? (int)n->start_mark.line + 1 : 1;
}

int pond_yaml_column(const yaml_node_t *n)
{
    return n ? (int)n->start_mark.column + 1 : 1;
}

int pond_yaml_error(const pond_yaml *y, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (!msg)
        return pond_error_oom();
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)len + 1, fmt, ap);
    va_end(ap);
    int rc = pond_error_set(POND_EINVALID, "%s:%d:%d: %s", y->path, pond_yaml_line(n),
                            pond_yaml_column(n), msg);
    free(msg);
    return rc;
}

int pond_yaml_load(pond_yaml **out, const char *path)
{
    int rc = POND_OK;
    pond_yaml *y = NULL;
    pond_buf text = POND_BUF_INIT;
    yaml_parser_t parser;
    int have_parser = 0;

    *out = NULL;
    if ((rc = pond_fs_read_file(path, &text)) != POND_OK)
        goto done;
    if (!(y = calloc(1, sizeof *y)) || !(y->path = strdup(path))) {
        rc = pond_error_oom();
        goto done;
    }
    if (!yaml_parser_initialize(&parser)) {
        rc = pond_error_oom();
        goto done;
    }
    have_parser = 1;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text.ptr, text.len);
    if (!yaml_parser_load(&parser, &y->doc)) {
        yaml_node_t at = { .start_mark = parser.problem_mark };
        rc = pond_yaml_error(y, &at, "yaml syntax error: %s%s%s",
                             parser.problem ? parser.problem : "cannot parse",
                             parser.context ? " " : "", parser.context ? parser.context : "");
        goto done;
    }
    y->have_doc = 1;
    if (!yaml_document_get_root_node(&y->doc)) {
        rc = pond_yaml_error(y, NULL, "empty file");
        goto done;
    }
    /* One document per file: a second one would be ignored silently otherwise. */
    yaml_document_t next;
    if (!yaml_parser_load(&parser, &next)) {
        yaml_node_t at = { .start_mark = parser.problem_mark };
        rc = pond_yaml_error(y, &at, "yaml syntax error: %s",
                             parser.problem ? parser.problem : "cannot parse");
        goto done;
    }
    yaml_node_t *second = yaml_document_get_root_node(&next);
    if (second) {
        yaml_node_t at = *second;
        yaml_document_delete(&next);
        rc = pond_yaml_error(y, &at, "a second yaml document: one file holds one");
        goto done;
    }
    yaml_document_delete(&next);
    *out = y;
    y = NULL;

done:
    if (have_parser)
        yaml_parser_delete(&parser);
    pond_buf_free(&text);
    pond_yaml_free(y);
    return rc;
}

void pond_yaml_free(pond_yaml *y)
{
    if (!y)
        return;
    if (y->have_doc)
        yaml_document_delete(&y->doc);
    free(y->path);
    free(y);
}

yaml_node_t *pond_yaml_root(pond_yaml *y)
{
    return yaml_document_get_root_node(&y->doc);
}

yaml_node_t *pond_yaml_node(pond_yaml *y, int i)
{
    return yaml_document_get_node(&y->doc, i);
}

const char *pond_yaml_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int pond_yaml_is_null(const yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *s = (const char *)n->data.scalar.value;
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
           !strcmp(s, "NULL");
}

const char *pond_yaml_kind(const yaml_node_t *n)
{
    if (!n || pond_yaml_is_null(n))
        return "nothing";
    switch (n->type) {
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "a string";
    }
}

int pond_yaml_check_mapping(pond_yaml *y, yaml_node_t *n, const char *what,
                            const char *const *allowed)
{
    if (!n || n->type != YAML_MAPPING_NODE)
        return pond_yaml_error(y, n, "%s must be a mapping, not %s", what, pond_yaml_kind(n));
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = pond_yaml_node(y, p->key);
        const char *key = pond_yaml_scalar(k);
        if (!key)
            return pond_yaml_error(y, k, "%s: a key must be a string, not %s", what,
                                   pond_yaml_kind(k));
        int known = 0;
        for (const char *const *a = allowed; *a; a++)
            if (!strcmp(*a, key))
                known = 1;
        if (!known) {
            pond_buf list = POND_BUF_INIT;
            for (const char *const *a = allowed; *a; a++)
                pond_buf_printf(&list, "%s%s", a == allowed ? "" : ", ", *a);
            int rc = pond_yaml_error(y, k, "unknown key '%s' in %s (expected one of: %s)", key,
                                     what, list.ptr);
            pond_buf_free(&list);
            return rc;
        }
        for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++) {
            const char *prev = pond_yaml_scalar(pond_yaml_node(y, q->key));
            if (prev && !strcmp(prev, key))
                return pond_yaml_error(y, k, "duplicate key '%s' in %s", key, what);
        }
    }
    return POND_OK;
}

yaml_node_t *pond_yaml_get(pond_yaml *y, yaml_node_t *map, const char *key,
                           yaml_node_t **key_node)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = pond_yaml_node(y, p->key);
        const char *s = pond_yaml_scalar(k);
        if (s && !strcmp(s, key)) {
            if (key_node)
                *key_node = k;
            return pond_yaml_node(y, p->value);
        }
    }
    return NULL;
}

int pond_yaml_string(pond_yaml *y, yaml_node_t *map, const char *key, const char *what,
                     int required, char **out, yaml_node_t **value)
{
    yaml_node_t *k = NULL;
    yaml_node_t *v = pond_yaml_get(y, map, key, &k);
    *out = NULL;
    if (value)
        *value = v;
    if (!v) {
        if (required)
            return pond_yaml_error(y, map, "%s: missing '%s'", what, key);
        return POND_OK;
    }
    if (pond_yaml_is_null(v))
        return pond_yaml_error(y, k, "%s: '%s' has no value", what, key);
    if (v->type != YAML_SCALAR_NODE)
        return pond_yaml_error(y, v, "%s: '%s' must be a string, not %s", what, key,
                               pond_yaml_kind(v));
    if (!(*out = strdup((const char *)v->data.scalar.value)))
        return pond_error_oom();
    return POND_OK;
}

int pond_yaml_resolve_path(const char *yaml_path, const char *rel, char **out)
{
    pond_buf b = POND_BUF_INIT;
    const char *slash = strrchr(yaml_path, '/');
    int rc;
    *out = NULL;
    if (rel[0] == '/' || !slash)
        rc = pond_buf_puts(&b, rel);
    else
        rc = pond_buf_printf(&b, "%.*s/%s", (int)(slash - yaml_path), yaml_path, rel);
    if (rc == POND_OK && !(*out = pond_buf_detach(&b)))
        rc = pond_error_oom();
    pond_buf_free(&b);
    return rc;
}
