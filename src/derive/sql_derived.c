/*
 * derive/sql_derived.c: sql-derived-series and sql-derived-table (docs/derived.md).  The
 * node's rows are its query over named inputs, each input the union by name of all the
 * matches of its pattern:
 *
 *     (WITH "raw" AS (SELECT * FROM <match 1> UNION ALL BY NAME SELECT * FROM <match 2> …)
 *      SELECT * FROM (<query>) AS query)
 *
 * The query was checked to be one read-only SELECT at mknod (derive/config.c) and is checked
 * again here; DuckDB binds the whole relation (DESCRIBE) before the node is handed out, so a
 * column or table the query names that is gone is an error at the node's config line, and
 * the reader runs it in its sandboxed DuckDB like every user SQL text.
 */
#include "derive/derive_int.h"

#include <stdlib.h>
#include <string.h>

#include "store/sql_sandbox.h"
#include "util/error.h"

static int input_relation(const derive_sources *s, pond_buf *out)
{
    size_t i;
    int rc = POND_OK;
    for (i = 0; rc == POND_OK && i < s->n; i++)
        rc = pond_buf_printf(out, "%sSELECT * FROM %s", i ? " UNION ALL BY NAME " : "",
                             s->v[i].relation);
    return rc;
}

/* The series' timestamp column: the config's, else "timestamp", else the only time column. */
static int pick_time_column(const char *node, const derive_config *c, const derive_columns *cols,
                            const char **out)
{
    const char *only = NULL;
    size_t j, ntime = 0;

    for (j = 0; j < cols->n; j++) {
        const derive_column *col = &cols->v[j];
        if (c->time_column) {
            if (strcmp(col->name, c->time_column) != 0)
                continue;
            if (!derive_is_time(col->type))
                return pond_error_set(POND_EINVALID,
                                      "node '%s': time_column '%s' (config line %d) is a %s, "
                                      "not a timestamp",
                                      node, col->name, c->time_column_line, col->type);
            *out = col->name;
            return POND_OK;
        }
        if (strcmp(col->name, "timestamp") == 0 && derive_is_time(col->type)) {
            *out = col->name;
            return POND_OK;
        }
        if (strncmp(col->type, "TIMESTAMP", 9) == 0) {
            only = col->name;
            ntime++;
        }
    }
    if (c->time_column)
        return pond_error_set(POND_EINVALID,
                              "node '%s': time_column '%s' (config line %d) is not a column of "
                              "the query's result",
                              node, c->time_column, c->time_column_line);
    if (ntime == 1) {
        *out = only;
        return POND_OK;
    }
    return pond_error_set(POND_EINVALID,
                          "node '%s': the query (config line %d) gives %s; name the series' "
                          "time column with time_column",
                          node, c->query_line,
                          ntime ? "several TIMESTAMP columns" : "no TIMESTAMP column");
}

int derive_sql_expand(pond *p, const char *node, const derive_config *c, const char *want,
                      store_dynamic_add_fn add, void *ctx)
{
    pond_buf sql = POND_BUF_INIT;
    derive_columns cols = {NULL, 0};
    duckdb_connection con;
    const char *ts = NULL;
    size_t i;
    int rc;

    if ((rc = derive_duck(p, &con)) < 0)
        return rc;
    if ((rc = pond_sql_check_select(con, c->query)) < 0)
        return pond_error_wrap(rc, "node '%s': query (config line %d)", node, c->query_line);
    rc = pond_buf_puts(&sql, "(WITH ");
    for (i = 0; rc == POND_OK && i < c->ninputs; i++) {
        derive_sources s;
        if ((rc = derive_sources_find(p, node, "input", c->inputs[i].pattern, c->inputs[i].line,
                                      &s)) < 0)
            break;
        if (i)
            rc = pond_buf_puts(&sql, ", ");
        if (rc == POND_OK)
            rc = derive_quote_ident(&sql, c->inputs[i].name);
        if (rc == POND_OK)
            rc = pond_buf_puts(&sql, " AS (");
        if (rc == POND_OK)
            rc = input_relation(&s, &sql);
        if (rc == POND_OK)
            rc = pond_buf_putc(&sql, ')');
        derive_sources_free(&s);
    }
    if (rc == POND_OK)
        rc = pond_buf_printf(&sql, " SELECT * FROM (\n%s\n) AS query)", c->query);
    if (rc == POND_OK && (rc = derive_columns_of(p, sql.ptr, &cols)) < 0)
        rc = pond_error_wrap(rc, "node '%s': query (config line %d)", node, c->query_line);
    if (rc == POND_OK && c->factory == DERIVE_SQL_SERIES)
        rc = pick_time_column(node, c, &cols, &ts);
    if (rc == POND_OK) {
        store_dynamic_entry d = {node,
                                 c->factory == DERIVE_SQL_SERIES ? POND_ENTRY_SERIES
                                                                 : POND_ENTRY_TABLE,
                                 sql.ptr, ts};
        rc = add(&d, ctx);
    }
    (void)want;
    derive_columns_free(&cols);
    pond_buf_free(&sql);
    return rc;
}
