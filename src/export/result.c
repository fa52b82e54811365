/*
 * export/result.c: the tables of a finished export, read row by row (include/pond/export.h).
 *
 * Rows stream from DuckDB chunk by chunk.  Integer, boolean, floating-point and VARCHAR
 * columns are read from the vectors as they are; any other column is selected as
 * CAST(… AS VARCHAR), so every cell reaches the caller as an integer, a real or text.
 */
#include "export/result.h"

#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "util/error.h"

struct pond_export_result {
    duckdb_database db;
    duckdb_connection con;
    char **tables;
    size_t ntables;
    char *dir;
};

int pond_export_result_new(pond_export_result **out, pond_export_ctx *ctx)
{
    pond_export_result *r = calloc(1, sizeof *r);
    int rc;

    *out = NULL;
    if (!r)
        return pond_error_oom();
    if (!(r->dir = strdup(pond_export_ctx_dir(ctx)))) {
        free(r);
        return pond_error_oom();
    }
    if ((rc = pond_export_ctx_take_tables(ctx, &r->db, &r->con, &r->tables, &r->ntables)) !=
        POND_OK) {
        pond_export_result_free(r);
        return rc;
    }
    *out = r;
    return POND_OK;
}

void pond_export_result_free(pond_export_result *r)
{
    if (!r)
        return;
    if (r->con)
        duckdb_disconnect(&r->con);
    if (r->db)
        duckdb_close(&r->db);
    for (size_t i = 0; i < r->ntables; i++)
        free(r->tables[i]);
    free(r->tables);
    free(r->dir);
    free(r);
}

size_t pond_export_result_table_count(const pond_export_result *r) { return r->ntables; }

const char *pond_export_result_table_name(const pond_export_result *r, size_t i)
{
    return i < r->ntables ? r->tables[i] : NULL;
}

const char *pond_export_result_dir(const pond_export_result *r) { return r->dir; }

/* ---- reading rows ------------------------------------------------------------------------ */

/* How a column is read from its vector. */
typedef enum { READ_INTEGER, READ_REAL, READ_TEXT } read_kind;

typedef struct column {
    char *name;
    duckdb_type type; /* as selected (VARCHAR for a cast column) */
    read_kind kind;
    pond_buf text;    /* the current row's text */
} column;

static int is_plain(duckdb_type t, read_kind *kind)
{
    switch (t) {
    case DUCKDB_TYPE_BOOLEAN:
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
        *kind = READ_INTEGER;
        return 1;
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE:
        *kind = READ_REAL;
        return 1;
    case DUCKDB_TYPE_VARCHAR:
        *kind = READ_TEXT;
        return 1;
    default:
        return 0;
    }
}

/* An identifier for SQL: "name" with '"' doubled. */
static int put_ident(pond_buf *b, const char *name)
{
    int rc = pond_buf_putc(b, '"');
    for (const char *c = name; rc == POND_OK && *c; c++)
        rc = *c == '"' ? pond_buf_puts(b, "\"\"") : pond_buf_putc(b, *c);
    return rc == POND_OK ? pond_buf_putc(b, '"') : rc;
}

/* The columns of table (names and types), and the SELECT that reads them. */
static int describe(pond_export_result *r, const char *table, column **cols, size_t *ncols,
                    pond_buf *select)
{
    pond_buf sql = POND_BUF_INIT;
    duckdb_result res;
    int rc;

    *cols = NULL;
    *ncols = 0;
    if ((rc = pond_buf_puts(&sql, "SELECT * FROM ")) || (rc = put_ident(&sql, table)) ||
        (rc = pond_buf_puts(&sql, " LIMIT 0")))
        goto done;
    if (duckdb_query(r->con, sql.ptr, &res) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot read table '%s': %s", table,
                            duckdb_result_error(&res));
        duckdb_destroy_result(&res);
        goto done;
    }
    size_t n = (size_t)duckdb_column_count(&res);
    if (!(*cols = calloc(n ? n : 1, sizeof **cols))) {
        duckdb_destroy_result(&res);
        rc = pond_error_oom();
        goto done;
    }
    *ncols = n;
    rc = pond_buf_puts(select, "SELECT ");
    for (size_t i = 0; rc == POND_OK && i < n; i++) {
        column *c = &(*cols)[i];
        duckdb_type t = duckdb_column_type(&res, (idx_t)i);
        c->text = (pond_buf)POND_BUF_INIT;
        if (!(c->name = strdup(duckdb_column_name(&res, (idx_t)i)))) {
            rc = pond_error_oom();
            break;
        }
        if (i)
            rc = pond_buf_puts(select, ", ");
        if (rc == POND_OK && is_plain(t, &c->kind)) {
            c->type = t;
            rc = put_ident(select, c->name);
        } else if (rc == POND_OK) {
            c->type = DUCKDB_TYPE_VARCHAR;
            c->kind = READ_TEXT;
            if (!(rc = pond_buf_puts(select, "CAST(")) && !(rc = put_ident(select, c->name)))
                rc = pond_buf_puts(select, " AS VARCHAR)");
        }
    }
    duckdb_destroy_result(&res);
    if (rc == POND_OK && (!(rc = pond_buf_puts(select, " FROM "))))
        rc = put_ident(select, table);
done:
    pond_buf_free(&sql);
    return rc;
}

static int64_t integer_at(duckdb_type t, const void *data, idx_t row)
{
    switch (t) {
    case DUCKDB_TYPE_BOOLEAN: return ((const bool *)data)[row];
    case DUCKDB_TYPE_TINYINT: return ((const int8_t *)data)[row];
    case DUCKDB_TYPE_SMALLINT: return ((const int16_t *)data)[row];
    case DUCKDB_TYPE_INTEGER: return ((const int32_t *)data)[row];
    case DUCKDB_TYPE_UTINYINT: return ((const uint8_t *)data)[row];
    case DUCKDB_TYPE_USMALLINT: return ((const uint16_t *)data)[row];
    case DUCKDB_TYPE_UINTEGER: return ((const uint32_t *)data)[row];
    default: return ((const int64_t *)data)[row];
    }
}

/* Call fn for each row of one chunk; *index counts rows over chunks. */
static int chunk_rows(duckdb_data_chunk chunk, column *cols, size_t ncols, const char **names,
                      pond_value *values, int64_t *index, pond_row_fn fn, void *payload)
{
    idx_t nrows = duckdb_data_chunk_get_size(chunk);
    for (idx_t row = 0; row < nrows; row++) {
        pond_row rw;
        int rc;
        for (size_t i = 0; i < ncols; i++) {
            duckdb_vector v = duckdb_data_chunk_get_vector(chunk, (idx_t)i);
            uint64_t *validity = duckdb_vector_get_validity(v);
            void *data = duckdb_vector_get_data(v);
            pond_value *val = &values[i];
            memset(val, 0, sizeof *val);
            if (validity && !duckdb_validity_row_is_valid(validity, row))
                continue; /* POND_VALUE_NULL */
            if (cols[i].kind == READ_INTEGER) {
                val->type = POND_VALUE_INTEGER;
                val->integer = integer_at(cols[i].type, data, row);
            } else if (cols[i].kind == READ_REAL) {
                val->type = POND_VALUE_REAL;
                val->real = cols[i].type == DUCKDB_TYPE_FLOAT ? ((const float *)data)[row]
                                                              : ((const double *)data)[row];
            } else {
                duckdb_string_t *s = &((duckdb_string_t *)data)[row];
                pond_buf_clear(&cols[i].text);
                if ((rc = pond_buf_put(&cols[i].text, duckdb_string_t_data(s),
                                       duckdb_string_t_length(*s))) != POND_OK)
                    return rc;
                val->type = POND_VALUE_TEXT;
                val->text = cols[i].text.ptr ? cols[i].text.ptr : "";
            }
        }
        rw.ncolumns = ncols;
        rw.names = names;
        rw.values = values;
        rw.index = (*index)++;
        if ((rc = fn(&rw, payload)) != 0)
            return rc;
    }
    return POND_OK;
}

int pond_export_result_rows(pond_export_result *r, const char *table, pond_row_fn fn,
                            void *payload)
{
    column *cols = NULL;
    size_t ncols = 0, t;
    const char **names = NULL;
    pond_value *values = NULL;
    pond_buf select = POND_BUF_INIT;
    duckdb_prepared_statement st = NULL;
    duckdb_result res;
    int have_res = 0, rc;
    int64_t index = 0;

    for (t = 0; t < r->ntables && strcmp(r->tables[t], table ? table : "") != 0; t++)
        ;
    if (t == r->ntables)
        return pond_error_set(POND_ENOTFOUND, "no table '%s' in the export result",
                              table ? table : "");
    if ((rc = describe(r, table, &cols, &ncols, &select)) != POND_OK)
        goto done;
    if (!(names = calloc(ncols ? ncols : 1, sizeof *names)) ||
        !(values = calloc(ncols ? ncols : 1, sizeof *values))) {
        rc = pond_error_oom();
        goto done;
    }
    for (size_t i = 0; i < ncols; i++)
        names[i] = cols[i].name;
    if (duckdb_prepare(r->con, select.ptr, &st) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot read table '%s': %s", table,
                            duckdb_prepare_error(st));
        goto done;
    }
    have_res = 1;
    if (duckdb_execute_prepared_streaming(st, &res) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot read table '%s': %s", table,
                            duckdb_result_error(&res));
        goto done;
    }
    for (;;) {
        duckdb_data_chunk chunk = duckdb_fetch_chunk(res);
        if (!chunk) {
            if (duckdb_result_error(&res))
                rc = pond_error_set(POND_ERROR, "cannot read table '%s': %s", table,
                                    duckdb_result_error(&res));
            break;
        }
        rc = chunk_rows(chunk, cols, ncols, names, values, &index, fn, payload);
        duckdb_destroy_data_chunk(&chunk);
        if (rc != POND_OK)
            break;
    }
done:
    if (have_res)
        duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&st);
    for (size_t i = 0; i < ncols; i++) {
        free(cols[i].name);
        pond_buf_free(&cols[i].text);
    }
    free(cols);
    free(names);
    free(values);
    pond_buf_free(&select);
    return rc;
}
