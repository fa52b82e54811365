/*
 * derive/sources.c: a node's sources (the matches of its patterns) as relations, their
 * columns, and the private sandboxed DuckDB of the resolving thread that describes them.
 */
#include "derive/derive_int.h"

#include <stdlib.h>
#include <string.h>

#include "store/sql_sandbox.h"
#include "util/error.h"

static _Thread_local derive_recorder *recorder;

void derive_recorder_set(derive_recorder *r)
{
    recorder = r;
}

derive_recorder *derive_recorder_get(void)
{
    return recorder;
}

int derive_quote_ident(pond_buf *b, const char *s)
{
    int rc = pond_buf_putc(b, '"');
    for (; rc == POND_OK && *s; s++)
        rc = *s == '"' ? pond_buf_puts(b, "\"\"") : pond_buf_putc(b, *s);
    return rc == POND_OK ? pond_buf_putc(b, '"') : rc;
}

int derive_quote_string(pond_buf *b, const char *s)
{
    int rc = pond_buf_putc(b, '\'');
    for (; rc == POND_OK && *s; s++)
        rc = *s == '\'' ? pond_buf_puts(b, "''") : pond_buf_putc(b, *s);
    return rc == POND_OK ? pond_buf_putc(b, '\'') : rc;
}

int derive_is_numeric(const char *t)
{
    static const char *const words[] = {"TINYINT",  "SMALLINT",  "INTEGER",  "BIGINT",
                                        "HUGEINT",  "UTINYINT",  "USMALLINT", "UINTEGER",
                                        "UBIGINT",  "UHUGEINT",  "FLOAT",    "DOUBLE",
                                        "DECIMAL",  NULL};
    size_t i;
    for (i = 0; words[i]; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(t, words[i], n) == 0 && (t[n] == '\0' || t[n] == '('))
            return 1;
    }
    return 0;
}

int derive_is_time(const char *t)
{
    return strncmp(t, "TIMESTAMP", 9) == 0 || strcmp(t, "DATE") == 0;
}

void derive_sources_free(derive_sources *s)
{
    size_t i, j;
    for (i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].relation);
        free(s->v[i].timestamp_column);
        for (j = 0; j < s->v[i].ncaptures; j++)
            free(s->v[i].captures[j]);
        free(s->v[i].captures);
    }
    free(s->v);
    memset(s, 0, sizeof *s);
}

typedef struct find_ctx {
    const char *node, *what, *pattern;
    int line;
    derive_sources *out;
} find_ctx;

/* A stored series: all its versions; a table: its latest. */
static int stored_relation(const pond_entry_info *e, pond_buf *b)
{
    size_t i, first = e->type == POND_ENTRY_SERIES ? 0 : e->nversions - 1;
    int rc = pond_buf_puts(b, "(SELECT * FROM read_parquet([");

    for (i = first; rc == POND_OK && i < e->nversions; i++) {
        if ((rc = pond_version_check(&e->versions[i])) < 0)
            break;
        if (i > first)
            rc = pond_buf_puts(b, ", ");
        if (rc == POND_OK)
            rc = derive_quote_string(b, e->versions[i].content_path);
        if (rc == POND_OK && recorder)
            rc = recorder->fn(e->path, e->versions[i].version, e->versions[i].sha256, 0,
                              recorder->ctx);
    }
    return rc == POND_OK ? pond_buf_puts(b, "], union_by_name = true))") : rc;
}

static int found(const pond_entry_info *e, void *vctx)
{
    find_ctx *f = vctx;
    derive_sources *s = f->out;
    derive_source *src;
    pond_buf rel = POND_BUF_INIT;
    pond_entry_type as = e->relation || e->type == POND_ENTRY_DYNAMIC ? e->reads_as : e->type;
    size_t i;
    int rc;

    if (as != POND_ENTRY_SERIES && as != POND_ENTRY_TABLE)
        return pond_error_set(POND_EINVALID,
                              "node '%s': %s '%s' (config line %d) matches '%s', a %s%s: "
                              "only series and tables can be read",
                              f->node, f->what, f->pattern, f->line, e->path,
                              e->type == POND_ENTRY_DYNAMIC ? "dynamic " : "",
                              pond_entry_type_name(as));
    if (e->relation)
        rc = pond_buf_puts(&rel, e->relation);
    else if (e->nversions == 0)
        rc = pond_error_set(POND_ECORRUPT, "'%s' has no versions", e->path);
    else
        rc = stored_relation(e, &rel);
    if (rc < 0)
        goto done;
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 8;
        derive_source *nv = realloc(s->v, ncap * sizeof *nv);
        if (!nv) {
            rc = pond_error_oom();
            goto done;
        }
        s->v = nv;
        s->cap = ncap;
    }
    src = &s->v[s->n++];
    memset(src, 0, sizeof *src);
    src->reads_as = as;
    src->relation = pond_buf_detach(&rel);
    if (!(src->path = strdup(e->path)) || !src->relation ||
        (e->timestamp_column && !(src->timestamp_column = strdup(e->timestamp_column))) ||
        (e->ncaptures && !(src->captures = calloc(e->ncaptures, sizeof *src->captures)))) {
        rc = pond_error_oom();
        goto done;
    }
    for (i = 0; i < e->ncaptures; i++) {
        if (!(src->captures[i] = strdup(e->captures[i]))) {
            rc = pond_error_oom();
            goto done;
        }
        src->ncaptures = i + 1;
    }
done:
    pond_buf_free(&rel);
    return rc;
}

int derive_sources_find(pond *p, const char *node, const char *what, const char *pattern,
                        int line, derive_sources *out)
{
    find_ctx f = {node, what, pattern, line, out};
    int rc;

    memset(out, 0, sizeof *out);
    rc = pond_glob(p, POND_FS_DATA, pattern, POND_WITH_VERSIONS, found, &f);
    if (rc == POND_ENOTFOUND && out->n == 0)
        rc = pond_error_set(POND_EINVALID, "node '%s': %s '%s' (config line %d) matches nothing",
                            node, what, pattern, line);
    if (rc < 0)
        derive_sources_free(out);
    return rc;
}

void derive_columns_free(derive_columns *c)
{
    size_t i;
    for (i = 0; i < c->n; i++) {
        free(c->v[i].name);
        free(c->v[i].type);
    }
    free(c->v);
    memset(c, 0, sizeof *c);
}

int derive_columns_of(pond *p, const char *relation, derive_columns *out)
{
    duckdb_connection con;
    duckdb_result res;
    pond_buf sql = POND_BUF_INIT;
    idx_t i, n;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = derive_duck(p, &con)) < 0)
        return rc;
    if ((rc = pond_buf_printf(&sql, "DESCRIBE SELECT * FROM %s", relation)) < 0)
        return rc;
    if (duckdb_query(con, sql.ptr, &res) == DuckDBError) {
        /* DuckDB's message on one line, without its "LINE n:" excerpt of our SQL */
        const char *m = duckdb_result_error(&res);
        const char *cut = m ? strstr(m, "\n\nLINE ") : NULL;
        pond_buf one = POND_BUF_INIT;
        for (const char *c = m; c && *c && c != cut; c++)
            pond_buf_putc(&one, *c == '\n' ? ' ' : *c);
        rc = pond_error_set(POND_EINVALID, "%s", one.ptr ? one.ptr : "cannot describe");
        pond_buf_free(&one);
        duckdb_destroy_result(&res);
        pond_buf_free(&sql);
        return rc;
    }
    pond_buf_free(&sql);
    n = duckdb_row_count(&res);
    if (n && !(out->v = calloc(n, sizeof *out->v)))
        rc = pond_error_oom();
    for (i = 0; rc == POND_OK && i < n; i++) {
        char *name = duckdb_value_varchar(&res, 0, i), *type = duckdb_value_varchar(&res, 1, i);
        out->v[i].name = name ? strdup(name) : NULL;
        out->v[i].type = type ? strdup(type) : NULL;
        duckdb_free(name);
        duckdb_free(type);
        out->n = i + 1;
        if (!out->v[i].name || !out->v[i].type)
            rc = pond_error_oom();
    }
    duckdb_destroy_result(&res);
    if (rc < 0)
        derive_columns_free(out);
    return rc;
}
