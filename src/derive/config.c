/*
 * derive/config.c: loading a dynamic node's config (derive/config.h).  The shape is checked
 * here, whole, before anything is stored; what depends on the pond (do the patterns match,
 * do the columns exist) is checked by mknod over the current sources (derive/mknod.c).
 */
#include "derive/config.h"

#include <ctype.h>
#include <duckdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export/yaml_doc.h"
#include "glob/glob.h"
#include "store/sql_sandbox.h"
#include "util/buf.h"
#include "util/error.h"

static const char *const factory_words[] = {"temporal-reduce", "sql-derived-series",
                                            "sql-derived-table"};
static const char *const agg_words[] = {"avg", "min", "max", "sum", "count"};

static const char *const reduce_keys[] = {"in_pattern", "out_pattern", "time_column",
                                          "resolutions", "aggregations", NULL};
static const char *const sql_series_keys[] = {"inputs", "query", "time_column", NULL};
static const char *const sql_table_keys[] = {"inputs", "query", NULL};
static const char *const agg_keys[] = {"type", "columns", NULL};

int derive_factory_parse(const char *word, derive_factory *out)
{
    size_t i;
    for (i = 0; i < 3; i++) {
        if (word && strcmp(word, factory_words[i]) == 0) {
            *out = (derive_factory)i;
            return POND_OK;
        }
    }
    return pond_error_set(POND_EINVALID,
                          "unknown factory '%s' (expected one of: temporal-reduce, "
                          "sql-derived-series, sql-derived-table)",
                          word ? word : "");
}

const char *derive_agg_name(derive_agg_type t)
{
    return (unsigned)t < 5 ? agg_words[t] : "?";
}

int64_t derive_resolution_us(const derive_resolution *r)
{
    int64_t unit = r->unit == 'm' ? 60 : r->unit == 'h' ? 3600 : 86400;
    return r->amount * unit * 1000000;
}

int derive_out_pattern_max_capture(const char *s)
{
    int max = -1;
    for (; s && *s; s++) {
        if (*s == '$' && isdigit((unsigned char)s[1])) {
            int n = 0;
            while (isdigit((unsigned char)s[1]) && n < 1000)
                n = n * 10 + (*++s - '0');
            if (n > max)
                max = n;
        }
    }
    return max;
}

void derive_config_clear(derive_config *c)
{
    size_t i, j;
    if (!c)
        return;
    free(c->in_pattern);
    free(c->out_pattern);
    free(c->time_column);
    for (i = 0; i < c->nresolutions; i++)
        free(c->resolutions[i].text);
    free(c->resolutions);
    for (i = 0; i < c->naggs; i++) {
        for (j = 0; j < c->aggs[i].ncolumns; j++)
            free(c->aggs[i].columns[j]);
        free(c->aggs[i].columns);
        free(c->aggs[i].column_lines);
    }
    free(c->aggs);
    for (i = 0; i < c->ninputs; i++) {
        free(c->inputs[i].name);
        free(c->inputs[i].pattern);
    }
    free(c->inputs);
    free(c->query);
    memset(c, 0, sizeof *c);
}

/* The count of wildcards in a pattern: its captures are $0 … $(n-1). */
static int count_captures(const char *pattern)
{
    int n = 0;
    const char *s;
    for (s = pattern; *s; s++) {
        if (*s == '*') {
            n++;
            if (s[1] == '*')
                s++;
        }
    }
    return n;
}

static int check_pattern(pond_yaml *y, yaml_node_t *n, const char *key, const char *text)
{
    pond_pattern *g = NULL;
    int rc = pond_glob_compile(&g, text);
    pond_glob_free(g);
    if (rc < 0) {
        char *msg = strdup(pond_error_last());
        rc = pond_yaml_error(y, n, "%s: %s", key, msg ? msg : "bad pattern");
        free(msg);
    }
    return rc;
}

/* A list of strings (or one string) at n into *out. */
static int string_list(pond_yaml *y, yaml_node_t *n, const char *what, char ***out, int **lines,
                       size_t *nout)
{
    yaml_node_item_t *it;
    size_t cap, k = 0;

    *out = NULL;
    *lines = NULL;
    *nout = 0;
    if (n->type == YAML_SCALAR_NODE && !pond_yaml_is_null(n)) {
        if (!(*out = calloc(1, sizeof **out)) || !(*lines = calloc(1, sizeof **lines)) ||
            !((*out)[0] = strdup(pond_yaml_scalar(n))))
            return pond_error_oom();
        (*lines)[0] = pond_yaml_line(n);
        *nout = 1;
        return POND_OK;
    }
    if (n->type != YAML_SEQUENCE_NODE)
        return pond_yaml_error(y, n, "%s must be a list of strings, not %s", what,
                               pond_yaml_kind(n));
    cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (cap == 0)
        return pond_yaml_error(y, n, "%s must not be empty", what);
    if (!(*out = calloc(cap, sizeof **out)) || !(*lines = calloc(cap, sizeof **lines)))
        return pond_error_oom();
    for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *item = pond_yaml_node(y, *it);
        const char *s = item ? pond_yaml_scalar(item) : NULL;
        if (!s || pond_yaml_is_null(item) || !*s)
            return pond_yaml_error(y, item ? item : n, "%s: each item must be a string, not %s",
                                   what, item ? pond_yaml_kind(item) : "nothing");
        if (!((*out)[k] = strdup(s)))
            return pond_error_oom();
        (*lines)[k] = pond_yaml_line(item);
        *nout = ++k;
    }
    return POND_OK;
}

static int is_identifier(const char *s)
{
    if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

/* "1h", "15m", "1d": a positive amount (at most 100000) and a unit. */
static int parse_resolution(const char *s, derive_resolution *r)
{
    int64_t n = 0;
    const char *p = s;
    if (!isdigit((unsigned char)*p))
        return -1;
    while (isdigit((unsigned char)*p)) {
        n = n * 10 + (*p++ - '0');
        if (n > 100000)
            return -1;
    }
    if (n <= 0 || !(p[0] == 'm' || p[0] == 'h' || p[0] == 'd') || p[1])
        return -1;
    r->amount = n;
    r->unit = p[0];
    return 0;
}

static int load_reduce(pond_yaml *y, yaml_node_t *root, derive_config *c)
{
    yaml_node_t *v, *aggs;
    yaml_node_item_t *it;
    int rc, max;
    size_t i, k;

    if ((rc = pond_yaml_string(y, root, "in_pattern", "the config", 1, &c->in_pattern, &v)) < 0)
        return rc;
    c->in_pattern_line = pond_yaml_line(v);
    if ((rc = check_pattern(y, v, "in_pattern", c->in_pattern)) < 0)
        return rc;
    if ((rc = pond_yaml_string(y, root, "out_pattern", "the config", 1, &c->out_pattern, &v)) < 0)
        return rc;
    c->out_pattern_line = pond_yaml_line(v);
    max = derive_out_pattern_max_capture(c->out_pattern);
    if (max >= count_captures(c->in_pattern))
        return pond_yaml_error(y, v,
                               "out_pattern uses $%d but in_pattern '%s' has %d wildcard%s "
                               "($0 is the first)",
                               max, c->in_pattern, count_captures(c->in_pattern),
                               count_captures(c->in_pattern) == 1 ? "" : "s");
    if (!*c->out_pattern || strstr(c->out_pattern, "..") || strchr(c->out_pattern, '*'))
        return pond_yaml_error(y, v,
                               "out_pattern must be a relative path (with $0, $1, … for the "
                               "captures), not '%s'",
                               c->out_pattern);
    if ((rc = pond_yaml_string(y, root, "time_column", "the config", 0, &c->time_column, &v)) < 0)
        return rc;
    if (v)
        c->time_column_line = pond_yaml_line(v);
    v = pond_yaml_get(y, root, "resolutions", NULL);
    if (!v)
        return pond_yaml_error(y, root, "the config: missing 'resolutions'");
    {
        char **words = NULL;
        int *lines = NULL;
        size_t n = 0;
        rc = string_list(y, v, "resolutions", &words, &lines, &n);
        c->resolutions_line = pond_yaml_line(v);
        if (rc == POND_OK && !(c->resolutions = calloc(n ? n : 1, sizeof *c->resolutions)))
            rc = pond_error_oom();
        for (i = 0; rc == POND_OK && i < n; i++) {
            c->resolutions[i].text = words[i];
            words[i] = NULL;
            c->nresolutions = i + 1;
            if (parse_resolution(c->resolutions[i].text, &c->resolutions[i]) < 0) {
                yaml_node_t *item = v->type == YAML_SEQUENCE_NODE
                                        ? pond_yaml_node(y, v->data.sequence.items.start[i])
                                        : v;
                rc = pond_yaml_error(y, item,
                                     "resolution '%s': expected a whole number and a unit, m "
                                     "(minutes), h (hours) or d (days): 15m, 1h, 1d",
                                     c->resolutions[i].text);
            }
            for (k = 0; rc == POND_OK && k < i; k++)
                if (derive_resolution_us(&c->resolutions[k]) ==
                    derive_resolution_us(&c->resolutions[i]))
                    rc = pond_yaml_error(y, v, "resolutions '%s' and '%s' are the same",
                                         c->resolutions[k].text, c->resolutions[i].text);
        }
        for (i = 0; i < n; i++)
            free(words[i]);
        free(words);
        free(lines);
        if (rc < 0)
            return rc;
    }
    aggs = pond_yaml_get(y, root, "aggregations", NULL);
    if (!aggs)
        return pond_yaml_error(y, root, "the config: missing 'aggregations'");
    if (aggs->type != YAML_SEQUENCE_NODE ||
        aggs->data.sequence.items.top == aggs->data.sequence.items.start)
        return pond_yaml_error(y, aggs, "aggregations must be a non-empty list, not %s",
                               aggs->type == YAML_SEQUENCE_NODE ? "an empty one"
                                                                : pond_yaml_kind(aggs));
    k = (size_t)(aggs->data.sequence.items.top - aggs->data.sequence.items.start);
    if (!(c->aggs = calloc(k, sizeof *c->aggs)))
        return pond_error_oom();
    for (it = aggs->data.sequence.items.start; it < aggs->data.sequence.items.top; it++) {
        yaml_node_t *a = pond_yaml_node(y, *it), *tv, *cols;
        derive_agg *g = &c->aggs[c->naggs];
        char *type = NULL;
        pond_buf what = POND_BUF_INIT;

        if ((rc = pond_buf_printf(&what, "aggregation %zu", c->naggs + 1)) < 0)
            return rc;
        rc = pond_yaml_check_mapping(y, a, what.ptr, agg_keys);
        if (rc == POND_OK)
            rc = pond_yaml_string(y, a, "type", what.ptr, 1, &type, &tv);
        if (rc == POND_OK) {
            g->line = pond_yaml_line(a);
            for (i = 0; i < 5 && strcmp(type, agg_words[i]) != 0; i++)
                ;
            if (i == 5)
                rc = pond_yaml_error(y, tv,
                                     "%s: unknown type '%s' (expected one of: avg, min, max, "
                                     "sum, count)",
                                     what.ptr, type);
            g->type = (derive_agg_type)i;
        }
        c->naggs++;
        if (rc == POND_OK && (cols = pond_yaml_get(y, a, "columns", NULL)) != NULL) {
            pond_buf w2 = POND_BUF_INIT;
            rc = pond_buf_printf(&w2, "%s: columns", what.ptr);
            if (rc == POND_OK)
                rc = string_list(y, cols, w2.ptr, &g->columns, &g->column_lines, &g->ncolumns);
            pond_buf_free(&w2);
        } else if (rc == POND_OK && g->type != AGG_COUNT) {
            rc = pond_yaml_error(y, a, "%s: %s needs 'columns' (globs such as [\"*\"])", what.ptr,
                                 type);
        }
        free(type);
        pond_buf_free(&what);
        if (rc < 0)
            return rc;
    }
    return POND_OK;
}

static int load_sql(pond_yaml *y, yaml_node_t *root, derive_config *c)
{
    yaml_node_t *inputs, *v;
    yaml_node_pair_t *pr;
    duckdb_database db = NULL;
    duckdb_connection con = NULL;
    size_t n, i;
    int rc;

    inputs = pond_yaml_get(y, root, "inputs", NULL);
    if (!inputs)
        return pond_yaml_error(y, root, "the config: missing 'inputs'");
    if (inputs->type != YAML_MAPPING_NODE ||
        inputs->data.mapping.pairs.top == inputs->data.mapping.pairs.start)
        return pond_yaml_error(y, inputs,
                               "inputs must be a mapping of names to patterns, not %s",
                               inputs->type == YAML_MAPPING_NODE ? "an empty one"
                                                                 : pond_yaml_kind(inputs));
    n = (size_t)(inputs->data.mapping.pairs.top - inputs->data.mapping.pairs.start);
    if (!(c->inputs = calloc(n, sizeof *c->inputs)))
        return pond_error_oom();
    for (pr = inputs->data.mapping.pairs.start; pr < inputs->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = pond_yaml_node(y, pr->key), *val = pond_yaml_node(y, pr->value);
        const char *name = k ? pond_yaml_scalar(k) : NULL;
        const char *pat = val ? pond_yaml_scalar(val) : NULL;
        derive_input *in = &c->inputs[c->ninputs];

        if (!is_identifier(name))
            return pond_yaml_error(y, k ? k : inputs,
                                   "input name '%s' must be an identifier (letters, digits, _)",
                                   name ? name : "");
        for (i = 0; i < c->ninputs; i++)
            if (strcasecmp(c->inputs[i].name, name) == 0)
                return pond_yaml_error(y, k, "duplicate input '%s' (names are not case-sensitive: "
                                             "'%s' is at line %d)",
                                       name, c->inputs[i].name, c->inputs[i].line);
        if (!pat || pond_yaml_is_null(val) || !*pat)
            return pond_yaml_error(y, val ? val : k, "input '%s' must be a pattern, not %s", name,
                                   val ? pond_yaml_kind(val) : "nothing");
        if ((rc = check_pattern(y, val, name, pat)) < 0)
            return rc;
        if (!(in->name = strdup(name)) || !(in->pattern = strdup(pat)))
            return pond_error_oom();
        in->line = pond_yaml_line(val);
        c->ninputs++;
    }
    if ((rc = pond_yaml_string(y, root, "query", "the config", 1, &c->query, &v)) < 0)
        return rc;
    c->query_line = pond_yaml_line(v);
    /* trailing blanks and ';' go: the query is pasted inside a subquery */
    for (n = strlen(c->query); n > 0 && strchr(" \t\r\n;", c->query[n - 1]); n--)
        c->query[n - 1] = '\0';
    if (duckdb_open(NULL, &db) == DuckDBError || duckdb_connect(db, &con) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot open DuckDB to check the query");
    } else if ((rc = pond_sql_check_select(con, c->query)) < 0) {
        char *msg = strdup(pond_error_last());
        rc = pond_yaml_error(y, v, "query: %s", msg ? msg : "not a SELECT");
        free(msg);
    }
    if (con)
        duckdb_disconnect(&con);
    if (db)
        duckdb_close(&db);
    if (rc < 0)
        return rc;
    if (c->factory == DERIVE_SQL_SERIES) {
        if ((rc = pond_yaml_string(y, root, "time_column", "the config", 0, &c->time_column,
                                   &v)) < 0)
            return rc;
        if (v)
            c->time_column_line = pond_yaml_line(v);
    }
    return POND_OK;
}

int derive_config_load(derive_config *out, derive_factory factory, const char *path)
{
    pond_yaml *y = NULL;
    yaml_node_t *root;
    int rc;

    memset(out, 0, sizeof *out);
    out->factory = factory;
    if ((rc = pond_yaml_load(&y, path)) < 0)
        return rc;
    root = pond_yaml_root(y);
    rc = pond_yaml_check_mapping(y, root, "the config",
                                 factory == DERIVE_TEMPORAL_REDUCE ? reduce_keys
                                 : factory == DERIVE_SQL_SERIES    ? sql_series_keys
                                                                   : sql_table_keys);
    if (rc == POND_OK)
        rc = factory == DERIVE_TEMPORAL_REDUCE ? load_reduce(y, root, out)
                                               : load_sql(y, root, out);
    pond_yaml_free(y);
    return rc;
}
