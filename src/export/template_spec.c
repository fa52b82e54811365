/*
 * export/template_spec.c: loading a template spec (template_spec.h; docs/templates.md).
 *
 * The whole file is checked before anything is used: the shape (a mapping with a list of
 * collections, each a mapping of known keys with string values), each in_pattern compiles,
 * each out_pattern is a relative path whose $N refer to captures the in_pattern makes, and
 * each template file exists and parses.  Every message is "<file>:<line>:<column>: …" at the
 * node at fault; a template's syntax error is "<template file>:<line>:<column>: …".
 * Partials and parents ({{> name}}, {{< name}}) are the files name.mustache beside the
 * template; they are read when a render first needs them.  Loaded on its own (--template),
 * a spec's queries are also prepared against export_metadata (sql_check.h); a pipeline
 * checks them itself against the tables of the stages before (pipeline_yaml.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "export/sql_check.h"
#include "export/template_spec.h"
#include "export/yaml_doc.h"
#include "glob/glob.h"
#include "util/buf.h"
#include "util/fs.h"

static const char *const spec_keys[] = { "collections", NULL };
static const char *const collection_keys[] = { "name",     "in_pattern", "out_pattern",
                                               "template", "query",      NULL };

/* The mustache loader: name.mustache in the directory of the template (ctx: its path). */
static char *load_partial(const char *name, char **origin, void *ctx)
{
    const char *tmpl_path = ctx;
    char *path = NULL, *rel = NULL;
    pond_buf text = POND_BUF_INIT;

    *origin = NULL;
    /* Names stay beside the template: no absolute path, no way up. */
    if (!*name || name[0] == '/' || !strcmp(name, "..") || !strncmp(name, "../", 3) ||
        strstr(name, "/../") || (strlen(name) >= 3 && !strcmp(name + strlen(name) - 3, "/..")))
        return NULL;
    pond_buf b = POND_BUF_INIT;
    if (pond_buf_printf(&b, "%s.mustache", name) != POND_OK || !(rel = pond_buf_detach(&b)))
        goto done;
    if (pond_yaml_resolve_path(tmpl_path, rel, &path) != POND_OK)
        goto done;
    if (pond_fs_read_file(path, &text) != POND_OK) {
        pond_error_clear();
        goto done;
    }
    *origin = path;
    path = NULL;
done:
    pond_buf_free(&b);
    free(rel);
    free(path);
    if (!*origin) {
        pond_buf_free(&text);
        return NULL;
    }
    return pond_buf_detach(&text);
}

/* Captures the pattern makes: the number of '*' outside '**' components; -1 with '**'. */
static int pattern_captures(const char *pattern)
{
    int n = 0;
    const char *p = pattern;
    while (*p) {
        while (*p == '/')
            p++;
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 2 && p[0] == '*' && p[1] == '*')
            return -1;
        for (size_t i = 0; i < len; i++)
            if (p[i] == '*')
                n++;
        p += len;
    }
    return n;
}

/* out_pattern: a relative path, no empty, "." or ".." component; $N with N < ncaps (when
 * ncaps >= 0); "$$" is a literal '$'. */
static int check_out_pattern(pond_yaml *y, yaml_node_t *at, const char *what, const char *op,
                             const char *in_pattern, int ncaps)
{
    if (!*op || op[0] == '/')
        return pond_yaml_error(y, at, "%s: out_pattern '%s' must be a path relative to the "
                                      "output directory", what, op);
    const char *p = op;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
            return pond_yaml_error(y, at, "%s: out_pattern '%s' has an empty, '.' or '..' "
                                          "component", what, op);
        p += len;
        if (*p == '/' && !p[1])
            return pond_yaml_error(y, at, "%s: out_pattern '%s' ends with '/': it names a "
                                          "file", what, op);
        if (*p == '/')
            p++;
    }
    for (p = op; *p; p++) {
        if (*p != '$')
            continue;
        if (p[1] == '$') {
            p++;
            continue;
        }
        if (p[1] < '0' || p[1] > '9')
            return pond_yaml_error(y, at, "%s: out_pattern '%s': '$' must be followed by a "
                                          "capture number ($0, $1…; '$$' for '$')", what, op);
        char *end;
        long k = strtol(p + 1, &end, 10);
        if (ncaps == 0)
            return pond_yaml_error(y, at, "%s: out_pattern '%s' uses $%ld but in_pattern '%s' "
                                          "makes no captures", what, op, k, in_pattern);
        if (ncaps > 0 && k >= ncaps)
            return pond_yaml_error(y, at, "%s: out_pattern '%s' uses $%ld but in_pattern '%s' "
                                          "makes %d capture%s ($0%s%.0d)",
                                   what, op, k, in_pattern, ncaps, ncaps == 1 ? "" : "s",
                                   ncaps > 1 ? "…$" : "", ncaps > 1 ? ncaps - 1 : 0);
        p = end - 1;
    }
    return POND_OK;
}

static int load_collection(pond_yaml *y, yaml_node_t *n, size_t idx, pond_collection *c)
{
    int rc;
    char what[64];
    yaml_node_t *v_in = NULL, *v_out = NULL, *v_tmpl = NULL, *v_query = NULL, *v_name = NULL;
    pond_pattern *g = NULL;
    pond_buf src = POND_BUF_INIT;
    pond_buf label = POND_BUF_INIT;
    char *resolved = NULL, *missing = NULL;

    snprintf(what, sizeof what, "collection %zu", idx + 1);
    c->line = pond_yaml_line(n);
    if ((rc = pond_yaml_check_mapping(y, n, what, collection_keys)) != POND_OK)
        goto done;
    if ((rc = pond_yaml_string(y, n, "name", what, 1, &c->name, &v_name)) != POND_OK)
        goto done;
    if ((rc = pond_buf_printf(&label, "collection %zu '%s'", idx + 1, c->name)) != POND_OK)
        goto done;
    if ((rc = pond_yaml_string(y, n, "in_pattern", label.ptr, 1, &c->in_pattern, &v_in)) ||
        (rc = pond_yaml_string(y, n, "out_pattern", label.ptr, 1, &c->out_pattern, &v_out)) ||
        (rc = pond_yaml_string(y, n, "template", label.ptr, 1, &c->template_path, &v_tmpl)) ||
        (rc = pond_yaml_string(y, n, "query", label.ptr, 0, &c->query, &v_query)))
        goto done;
    if ((rc = pond_glob_compile(&g, c->in_pattern)) != POND_OK) {
        rc = pond_yaml_error(y, v_in, "%s: in_pattern: %s", label.ptr, pond_error_last());
        goto done;
    }
    if ((rc = check_out_pattern(y, v_out, label.ptr, c->out_pattern, c->in_pattern,
                                pattern_captures(c->in_pattern))) != POND_OK)
        goto done;
    if (c->query) {
        c->query_line = pond_yaml_line(v_query);
        c->query_column = pond_yaml_column(v_query);
        const char *q = c->query;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            q++;
        if (!*q) {
            rc = pond_yaml_error(y, v_query, "%s: 'query' is empty", label.ptr);
            goto done;
        }
    }

    /* The template: resolved beside the spec, read and parsed now. */
    if ((rc = pond_yaml_resolve_path(pond_yaml_path(y), c->template_path, &resolved)) != POND_OK)
        goto done;
    free(c->template_path);
    c->template_path = resolved;
    resolved = NULL;
    if ((rc = pond_fs_read_file(c->template_path, &src)) != POND_OK) {
        rc = pond_yaml_error(y, v_tmpl, "%s: cannot read template: %s", label.ptr,
                             pond_error_last());
        goto done;
    }
    if (strlen(src.ptr) != src.len) {
        rc = pond_yaml_error(y, v_tmpl, "%s: template '%s' holds a NUL byte", label.ptr,
                             c->template_path);
        goto done;
    }
    if ((rc = pond_mustache_parse(&c->tmpl, src.ptr, c->template_path, load_partial,
                                  c->template_path)) != POND_OK)
        goto done; /* "<template>:<line>:<column>: …" from the engine */
    /* Partials and parents too, so the whole spec is checked before any stage runs. */
    if ((rc = pond_mustache_preload(c->tmpl, &missing)) != POND_OK)
        goto done; /* "<partial>:<line>:<column>: …" */
    if (missing) {
        rc = pond_yaml_error(y, v_tmpl, "%s: template '%s' uses '%s', but there is no %s.mustache "
                             "beside it", label.ptr, c->template_path, missing, missing);
        goto done;
    }

done:
    free(missing);
    free(resolved);
    pond_glob_free(g);
    pond_buf_free(&src);
    pond_buf_free(&label);
    return rc;
}

int pond_template_spec__load(pond_template_spec **out, const char *path)
{
    int rc = POND_OK;
    pond_yaml *y = NULL;
    pond_template_spec *spec = NULL;

    *out = NULL;
    if (!(spec = calloc(1, sizeof *spec)) || !(spec->path = strdup(path))) {
        rc = pond_error_oom();
        goto done;
    }
    if ((rc = pond_yaml_load(&y, path)) != POND_OK)
        goto done;
    yaml_node_t *root = pond_yaml_root(y);
    if ((rc = pond_yaml_check_mapping(y, root, "the template spec", spec_keys)) != POND_OK)
        goto done;
    yaml_node_t *list = pond_yaml_get(y, root, "collections", NULL);
    if (!list) {
        rc = pond_yaml_error(y, root, "the template spec: missing 'collections'");
        goto done;
    }
    if (list->type != YAML_SEQUENCE_NODE) {
        rc = pond_yaml_error(y, list, "'collections' must be a list, not %s",
                             pond_yaml_kind(list));
        goto done;
    }
    size_t n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (n == 0) {
        rc = pond_yaml_error(y, list, "'collections' is empty");
        goto done;
    }
    if (!(spec->collections = calloc(n, sizeof *spec->collections))) {
        rc = pond_error_oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = pond_yaml_node(y, list->data.sequence.items.start[i]);
        spec->ncollections = i + 1;
        if ((rc = load_collection(y, item, i, &spec->collections[i])) != POND_OK)
            goto done;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(spec->collections[j].name, spec->collections[i].name)) {
                rc = pond_yaml_error(y, pond_yaml_get(y, item, "name", NULL),
                                     "collection %zu: name '%s' is already used by collection "
                                     "%zu (line %d)",
                                     i + 1, spec->collections[i].name, j + 1,
                                     spec->collections[j].line);
                goto done;
            }
    }
    *out = spec;
    spec = NULL;

done:
    pond_yaml_free(y);
    pond_template_spec_free(spec);
    return rc;
}

int pond_template_spec_load(pond_template_spec **out, const char *path)
{
    int rc;
    pond_sql_scratch sc = { 0 };
    pond_template_spec *spec = NULL;

    *out = NULL;
    if ((rc = pond_template_spec__load(&spec, path)) != POND_OK)
        goto done;
    /* On its own (--template), a spec follows the data export: its queries see
     * export_metadata only. */
    if ((rc = pond_export__scratch_open(&sc)) != POND_OK ||
        (rc = pond_export__scratch_check_queries(&sc, spec, NULL)) != POND_OK)
        goto done;
    *out = spec;
    spec = NULL;
done:
    pond_export__scratch_close(&sc);
    pond_template_spec_free(spec);
    return rc;
}
