/*
 * export/pipeline_yaml.c: loading and validating a pipeline file (--pipeline FILE; the
 * format is in docs/templates.md).
 *
 * The whole file is checked before any stage runs, and every message is
 * "<file>:<line>:<column>: stage N 'name': what" at the node at fault:
 *   - shape: a mapping with a non-empty list 'stages'; each stage a mapping with a known
 *     'type' and only the keys of that type; strings where strings go, lists where lists go;
 *   - data_export: patterns compile, temporal is a valid level list, capture_names a list of
 *     names (export/capture_names.h), filesystem is data or control;
 *   - custom_query: output_table is an identifier, not export_metadata, not made twice;
 *   - template_processing: the template spec exists and loads (its own messages carry the
 *     spec's or the template's file:line:column), vars are {key, value} pairs;
 *   - statements: every custom_query sql and every template query must be one read-only
 *     SELECT (store/sql_sandbox.h), refused at its node otherwise;
 *   - tables: every custom_query sql and every template query is checked by DuckDB itself
 *     against the tables that exist at that point of the pipeline.  A scratch in-memory
 *     database holds an empty export_metadata of the context's schema; each custom_query
 *     stage's statement is run there (over empty tables, so it is cheap) and leaves a table
 *     of the right columns for the stages after it; template queries are prepared there.
 *     DuckDB's parser, catalog and binder errors (unknown table, unknown column, syntax) are
 *     reported at the sql/query node.  Any other failure (e.g. a read_parquet of a file that
 *     only exists once the export ran) cannot be judged before the run: it is left to the
 *     run, and later stages' SQL is then not checked against tables either (sql_check.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "export/pipeline.h"
#include "export/sql_check.h"
#include "export/sql_params.h"
#include "export/capture_names.h"
#include "export/temporal.h"
#include "export/template_spec.h"
#include "export/yaml_doc.h"
#include "glob/glob.h"
#include "util/buf.h"
#include "util/error.h"

static const char *const top_keys[] = { "stages", NULL };
static const char *const data_export_keys[] = { "name",       "type",          "patterns",
                                                "temporal",   "capture_names", "filesystem",
                                                NULL };
static const char *const custom_query_keys[] = { "name", "type", "sql", "output_table", NULL };
static const char *const template_keys[] = { "name", "type", "template_spec", "vars", NULL };
static const char *const var_keys[] = { "key", "value", NULL };

typedef struct loader {
    pond_yaml *y;
    pond_pipeline *pl;
    pond_sql_scratch sc;
    pond_buf label; /* "stage N 'name'" of the stage being loaded */
} loader;

/* Report DuckDB's message (on one line) at node n of file y. */
static int sql_error_at(pond_yaml *y, yaml_node_t *n, const char *label, const char *what,
                        const char *msg)
{
    pond_buf text = POND_BUF_INIT;
    pond_export__sql_error_text(&text, msg);
    int rc = pond_yaml_error(y, n, "%s: %s: %s", label, what, text.ptr);
    pond_buf_free(&text);
    return rc;
}

/* Judge a custom stage's statement on the scratch database, then run it there (see the
 * header comment). */
static int check_custom_sql(loader *L, yaml_node_t *sql_node, const pond_stage *st)
{
    int rc = POND_OK;
    duckdb_result res;
    int have_res = 0;
    pond_buf sql = POND_BUF_INIT, text = POND_BUF_INIT;

    if (pond_export__scratch_judge(&L->sc, st->sql, &text, NULL) != POND_OK) {
        rc = pond_yaml_error(L->y, sql_node, "%s: sql error: %s", L->label.ptr, text.ptr);
        goto done;
    }
    if (L->sc.unchecked)
        goto done;
    if ((rc = pond_export__sql_ctas(&sql, st->output_table, st->sql)) != POND_OK)
        goto done;
    have_res = 1;
    if (duckdb_query(L->sc.con, sql.ptr, &res) == DuckDBError) {
        const char *msg = duckdb_result_error(&res);
        if (pond_export__scratch_static_error(msg))
            rc = sql_error_at(L->y, sql_node, L->label.ptr, "sql error", msg);
        else
            L->sc.unchecked = 1;
    }
done:
    if (have_res)
        duckdb_destroy_result(&res);
    pond_buf_free(&sql);
    pond_buf_free(&text);
    return rc;
}

/* capture_names: [site, res]: a list of names, kept as "site,res" (export/capture_names.h). */
static int load_capture_names(loader *L, yaml_node_t *n, pond_stage *st)
{
    int rc = POND_OK;
    yaml_node_t *v;
    pond_buf joined = POND_BUF_INIT;
    size_t k, count;
    const char *what = L->label.ptr;

    if (!(v = pond_yaml_get(L->y, n, "capture_names", NULL)))
        return POND_OK;
    if (v->type != YAML_SEQUENCE_NODE)
        return pond_yaml_error(L->y, v, "%s: 'capture_names' must be a list of names, not %s",
                               what, pond_yaml_kind(v));
    k = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (k == 0)
        return pond_yaml_error(L->y, v, "%s: 'capture_names' is empty (leave it out to write "
                                        "captures as plain directories)", what);
    for (size_t i = 0; i < k && rc == POND_OK; i++) {
        yaml_node_t *item = pond_yaml_node(L->y, v->data.sequence.items.start[i]);
        const char *name = pond_yaml_scalar(item);
        if (!name || pond_yaml_is_null(item) || !*name || strchr(name, ',')) {
            rc = pond_yaml_error(L->y, item, "%s: a capture name must be a name, not %s", what,
                                 name && *name ? "a list joined by ','" : pond_yaml_kind(item));
            goto done;
        }
        if ((rc = pond_buf_printf(&joined, "%s%s", i ? "," : "", name)) != POND_OK)
            goto done;
        if (pond_export__capture_names_check(joined.ptr, &count) != POND_OK) {
            rc = pond_yaml_error(L->y, item, "%s: capture_names: %s", what, pond_error_last());
            goto done;
        }
    }
    if (!(st->capture_names = pond_buf_detach(&joined)))
        rc = pond_error_oom();
done:
    pond_buf_free(&joined);
    return rc;
}

static int load_data_export(loader *L, yaml_node_t *n, pond_stage *st)
{
    int rc;
    yaml_node_t *v;
    char *fs = NULL;
    const char *what = L->label.ptr;

    if ((v = pond_yaml_get(L->y, n, "patterns", NULL)) != NULL) {
        if (v->type != YAML_SEQUENCE_NODE) {
            rc = pond_yaml_error(L->y, v, "%s: 'patterns' must be a list, not %s", what,
                                 pond_yaml_kind(v));
            goto done;
        }
        size_t k = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
        if (k == 0) {
            rc = pond_yaml_error(L->y, v, "%s: 'patterns' is empty (leave it out to use the "
                                          "-p patterns)", what);
            goto done;
        }
        if (!(st->patterns = calloc(k, sizeof *st->patterns))) {
            rc = pond_error_oom();
            goto done;
        }
        for (size_t i = 0; i < k; i++) {
            yaml_node_t *item = pond_yaml_node(L->y, v->data.sequence.items.start[i]);
            const char *s = pond_yaml_scalar(item);
            if (!s || pond_yaml_is_null(item)) {
                rc = pond_yaml_error(L->y, item, "%s: a pattern must be a string, not %s", what,
                                     pond_yaml_kind(item));
                goto done;
            }
            pond_pattern *g = NULL;
            if (pond_glob_compile(&g, s) != POND_OK) {
                rc = pond_yaml_error(L->y, item, "%s: %s", what, pond_error_last());
                goto done;
            }
            pond_glob_free(g);
            if (!(st->patterns[i] = strdup(s))) {
                rc = pond_error_oom();
                goto done;
            }
            st->npatterns = i + 1;
        }
    }
    if ((rc = pond_yaml_string(L->y, n, "temporal", what, 0, &st->temporal, &v)) != POND_OK)
        goto done;
    if (st->temporal) {
        int levels;
        if (pond_temporal_parse(&levels, st->temporal) != POND_OK) {
            rc = pond_yaml_error(L->y, v, "%s: temporal: %s", what, pond_error_last());
            goto done;
        }
    }
    if ((rc = load_capture_names(L, n, st)) != POND_OK)
        goto done;
    if ((rc = pond_yaml_string(L->y, n, "filesystem", what, 0, &fs, &v)) != POND_OK)
        goto done;
    st->fs = POND_FS_DATA;
    if (fs && pond_fs_parse(&st->fs, fs) != POND_OK) {
        rc = pond_yaml_error(L->y, v, "%s: %s", what, pond_error_last());
        goto done;
    }
done:
    free(fs);
    return rc;
}

static int load_custom_query(loader *L, yaml_node_t *n, pond_stage *st, size_t idx)
{
    int rc;
    yaml_node_t *v_sql, *v_tab;
    const char *what = L->label.ptr;

    if ((rc = pond_yaml_string(L->y, n, "sql", what, 1, &st->sql, &v_sql)) != POND_OK ||
        (rc = pond_yaml_string(L->y, n, "output_table", what, 1, &st->output_table, &v_tab)))
        return rc;
    if (!pond_export__sql_ident_ok(st->output_table))
        return pond_yaml_error(L->y, v_tab, "%s: output_table '%s' is not a table name "
                                            "([A-Za-z_][A-Za-z0-9_]*)", what, st->output_table);
    if (!strcasecmp(st->output_table, "export_metadata"))
        return pond_yaml_error(L->y, v_tab, "%s: output_table '%s' is the table of the data "
                                            "export", what, st->output_table);
    for (size_t j = 0; j < idx; j++) {
        const pond_stage *o = &L->pl->stages[j];
        if (o->kind == POND_STAGE_CUSTOM_QUERY &&
            !strcasecmp(o->output_table, st->output_table))
            return pond_yaml_error(L->y, v_tab, "%s: output_table '%s' is already made by "
                                                "stage %zu '%s' (line %d)",
                                   what, st->output_table, j + 1, o->name, o->line);
    }
    const char *q = st->sql;
    while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
        q++;
    if (!*q)
        return pond_yaml_error(L->y, v_sql, "%s: 'sql' is empty", what);
    return check_custom_sql(L, v_sql, st);
}

static int load_template_stage(loader *L, yaml_node_t *n, pond_stage *st)
{
    int rc;
    yaml_node_t *v;
    char *rel = NULL;
    const char *what = L->label.ptr;

    if ((rc = pond_yaml_string(L->y, n, "template_spec", what, 1, &rel, &v)) != POND_OK)
        goto done;
    if ((rc = pond_yaml_resolve_path(pond_yaml_path(L->y), rel, &st->template_spec_path)))
        goto done;
    if ((rc = pond_template_spec__load(&st->spec, st->template_spec_path)) != POND_OK) {
        /* A spec that cannot be read is this file's fault; one with errors inside carries
         * its own file:line:column. */
        if (rc == POND_ENOTFOUND || rc == POND_ERROR)
            rc = pond_yaml_error(L->y, v, "%s: template_spec: %s", what, pond_error_last());
        goto done;
    }
    if ((v = pond_yaml_get(L->y, n, "vars", NULL)) != NULL && !pond_yaml_is_null(v)) {
        if (v->type != YAML_SEQUENCE_NODE) {
            rc = pond_yaml_error(L->y, v, "%s: 'vars' must be a list of {key, value}, not %s",
                                 what, pond_yaml_kind(v));
            goto done;
        }
        size_t k = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
        if (k && !(st->vars = calloc(k, sizeof *st->vars))) {
            rc = pond_error_oom();
            goto done;
        }
        for (size_t i = 0; i < k; i++) {
            yaml_node_t *item = pond_yaml_node(L->y, v->data.sequence.items.start[i]);
            char vwhat[96];
            snprintf(vwhat, sizeof vwhat, "var %zu of %s", i + 1, what);
            pond_kv *kv = &st->vars[i];
            st->nvars = i + 1;
            if ((rc = pond_yaml_check_mapping(L->y, item, vwhat, var_keys)) != POND_OK ||
                (rc = pond_yaml_string(L->y, item, "key", vwhat, 1, &kv->key, NULL)) ||
                (rc = pond_yaml_string(L->y, item, "value", vwhat, 1, &kv->value, NULL)))
                goto done;
            for (size_t j = 0; j < i; j++)
                if (!strcmp(st->vars[j].key, kv->key)) {
                    rc = pond_yaml_error(L->y, pond_yaml_get(L->y, item, "key", NULL),
                                         "%s: var '%s' is given twice", what, kv->key);
                    goto done;
                }
        }
    }
    rc = pond_export__scratch_check_queries(&L->sc, st->spec, what);
done:
    free(rel);
    return rc;
}

static int load_stage(loader *L, yaml_node_t *n, size_t idx)
{
    int rc;
    pond_stage *st = &L->pl->stages[idx];
    char what[32];
    char *type = NULL;
    yaml_node_t *v_type;
    const char *const *keys;

    snprintf(what, sizeof what, "stage %zu", idx + 1);
    st->line = pond_yaml_line(n);
    if (!n || n->type != YAML_MAPPING_NODE) {
        rc = pond_yaml_error(L->y, n, "%s must be a mapping, not %s", what, pond_yaml_kind(n));
        goto done;
    }
    if ((rc = pond_yaml_string(L->y, n, "type", what, 1, &type, &v_type)) != POND_OK)
        goto done;
    if (!strcmp(type, "data_export")) {
        st->kind = POND_STAGE_DATA_EXPORT;
        keys = data_export_keys;
    } else if (!strcmp(type, "custom_query")) {
        st->kind = POND_STAGE_CUSTOM_QUERY;
        keys = custom_query_keys;
    } else if (!strcmp(type, "template_processing")) {
        st->kind = POND_STAGE_TEMPLATE;
        keys = template_keys;
    } else {
        rc = pond_yaml_error(L->y, v_type, "%s: unknown type '%s' (expected data_export, "
                                           "custom_query or template_processing)", what, type);
        goto done;
    }
    pond_buf_clear(&L->label);
    if ((rc = pond_buf_printf(&L->label, "%s, a %s stage", what, type)) != POND_OK ||
        (rc = pond_yaml_check_mapping(L->y, n, L->label.ptr, keys)) != POND_OK ||
        (rc = pond_yaml_string(L->y, n, "name", what, 1, &st->name, NULL)) != POND_OK)
        goto done;
    pond_buf_clear(&L->label);
    if ((rc = pond_buf_printf(&L->label, "%s '%s'", what, st->name)) != POND_OK)
        goto done;
    switch (st->kind) {
    case POND_STAGE_DATA_EXPORT: rc = load_data_export(L, n, st); break;
    case POND_STAGE_CUSTOM_QUERY: rc = load_custom_query(L, n, st, idx); break;
    case POND_STAGE_TEMPLATE: rc = load_template_stage(L, n, st); break;
    }
done:
    free(type);
    return rc;
}

int pond_pipeline_load(pond_pipeline **out, const char *path)
{
    int rc = POND_OK;
    loader L = { 0 };
    L.label = (pond_buf)POND_BUF_INIT;

    *out = NULL;
    if (!(L.pl = calloc(1, sizeof *L.pl)) || !(L.pl->origin = strdup(path))) {
        rc = pond_error_oom();
        goto done;
    }
    if ((rc = pond_yaml_load(&L.y, path)) != POND_OK)
        goto done;
    yaml_node_t *root = pond_yaml_root(L.y);
    if ((rc = pond_yaml_check_mapping(L.y, root, "the pipeline", top_keys)) != POND_OK)
        goto done;
    yaml_node_t *list = pond_yaml_get(L.y, root, "stages", NULL);
    if (!list) {
        rc = pond_yaml_error(L.y, root, "the pipeline: missing 'stages'");
        goto done;
    }
    if (list->type != YAML_SEQUENCE_NODE) {
        rc = pond_yaml_error(L.y, list, "'stages' must be a list, not %s", pond_yaml_kind(list));
        goto done;
    }
    size_t n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (n == 0) {
        rc = pond_yaml_error(L.y, list, "'stages' is empty");
        goto done;
    }
    if (!(L.pl->stages = calloc(n, sizeof *L.pl->stages))) {
        rc = pond_error_oom();
        goto done;
    }
    if ((rc = pond_export__scratch_open(&L.sc)) != POND_OK)
        goto done;
    for (size_t i = 0; i < n; i++) {
        L.pl->nstages = i + 1;
        if ((rc = load_stage(&L, pond_yaml_node(L.y, list->data.sequence.items.start[i]), i)))
            goto done;
    }
    *out = L.pl;
    L.pl = NULL;

done:
    pond_export__scratch_close(&L.sc);
    pond_buf_free(&L.label);
    pond_yaml_free(L.y);
    pond_pipeline_free(L.pl);
    return rc;
}
