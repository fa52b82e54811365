/*
 * store/db.c: thin helpers over the DuckDB C API for the store's work database (the catalog
 * is SQLite: store/sql.c): running fixed SQL, preparing statements, reading result rows chunk
 * by chunk (BIGINT / VARCHAR / BOOLEAN columns), and opening the handle's in-memory work
 * database.  Every failure copies DuckDB's message into the pond error before the DuckDB
 * object is destroyed.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "store/sql_sandbox.h"

int store_db_exec(duckdb_connection con, const char *what, const char *sql)
{
    duckdb_result res;
    int rc = POND_OK;

    if (duckdb_query(con, sql, &res) == DuckDBError)
        rc = pond_error_set(POND_ERROR, "%s: %s", what, duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    return rc;
}

int store_db_prepare(duckdb_connection con, const char *what, const char *sql,
                     duckdb_prepared_statement *out)
{
    if (duckdb_prepare(con, sql, out) == DuckDBError) {
        pond_buf msg = POND_BUF_INIT;
        int rc;
        store_db_condense(duckdb_prepare_error(*out), &msg);
        rc = pond_error_set(POND_ERROR, "%s: %s", what, msg.ptr);
        pond_buf_free(&msg);
        return rc;
    }
    return POND_OK;
}

int store_db_query(duckdb_prepared_statement stmt, int code, const char *what, store_rows *rows)
{
    memset(rows, 0, sizeof *rows);
    if (duckdb_execute_prepared(stmt, &rows->res) == DuckDBError) {
        int rc = pond_error_set(code, "%s: %s", what, duckdb_result_error(&rows->res));
        duckdb_destroy_result(&rows->res);
        return rc;
    }
    rows->has_res = 1;
    return POND_OK;
}

int store_rows_next(store_rows *rows)
{
    if (!rows->has_res)
        return 0;
    if (rows->chunk && rows->row + 1 < rows->nrow) {
        rows->row++;
        return 1;
    }
    for (;;) {
        if (rows->chunk)
            duckdb_destroy_data_chunk(&rows->chunk);
        rows->chunk = duckdb_fetch_chunk(rows->res);
        if (!rows->chunk)
            return 0;
        rows->nrow = duckdb_data_chunk_get_size(rows->chunk);
        rows->row = 0;
        if (rows->nrow > 0)
            return 1;
    }
}

int store_rows_is_null(store_rows *rows, idx_t col)
{
    duckdb_vector v = duckdb_data_chunk_get_vector(rows->chunk, col);
    uint64_t *validity = duckdb_vector_get_validity(v);
    return validity && !duckdb_validity_row_is_valid(validity, rows->row);
}

int64_t store_rows_i64(store_rows *rows, idx_t col, int *is_null)
{
    duckdb_vector v = duckdb_data_chunk_get_vector(rows->chunk, col);
    int null = store_rows_is_null(rows, col);
    void *data = duckdb_vector_get_data(v);
    int64_t value = 0;

    if (is_null)
        *is_null = null;
    if (null)
        return 0;
    switch (duckdb_column_type(&rows->res, col)) {
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_TIMESTAMP: value = ((int64_t *)data)[rows->row]; break;
    case DUCKDB_TYPE_INTEGER: value = ((int32_t *)data)[rows->row]; break;
    case DUCKDB_TYPE_BOOLEAN: value = ((bool *)data)[rows->row] ? 1 : 0; break;
    case DUCKDB_TYPE_UBIGINT: value = (int64_t)((uint64_t *)data)[rows->row]; break;
    default: value = 0; break;
    }
    return value;
}

char *store_rows_str(store_rows *rows, idx_t col)
{
    duckdb_vector v = duckdb_data_chunk_get_vector(rows->chunk, col);
    duckdb_string_t *data;
    uint32_t len;
    char *s;

    if (store_rows_is_null(rows, col) || duckdb_column_type(&rows->res, col) != DUCKDB_TYPE_VARCHAR)
        return NULL;
    data = (duckdb_string_t *)duckdb_vector_get_data(v) + rows->row;
    len = duckdb_string_t_length(*data);
    s = malloc((size_t)len + 1);
    if (!s)
        return NULL;
    memcpy(s, duckdb_string_t_data(data), len);
    s[len] = '\0';
    return s;
}

void store_rows_free(store_rows *rows)
{
    if (!rows)
        return;
    if (rows->chunk)
        duckdb_destroy_data_chunk(&rows->chunk);
    if (rows->has_res)
        duckdb_destroy_result(&rows->res);
    rows->has_res = 0;
}

int store_work_open(pond *p, store_work_mode mode)
{
    duckdb_prepared_statement stmt = NULL;
    duckdb_result res;
    pond_buf spill = POND_BUF_INIT;
    const char *tmp;
    int rc = POND_OK;
    int sandbox = mode != STORE_WORK_HOST;

    if (p->work_open && (mode == STORE_WORK_ANY || p->work_sandboxed == sandbox))
        return POND_OK;
    if (p->work_open) {
        duckdb_disconnect(&p->work);
        duckdb_close(&p->work_db);
        p->work_open = 0;
    }
    if ((rc = store_tmp_dir(p, &tmp)) < 0)
        return rc;
    if (duckdb_open(NULL, &p->work_db) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot open an in-memory duckdb database");
        goto done;
    }
    if (duckdb_connect(p->work_db, &p->work) == DuckDBError) {
        duckdb_close(&p->work_db);
        rc = pond_error_set(POND_ERROR, "cannot connect to an in-memory duckdb database");
        goto done;
    }
    p->work_open = 1;
    p->work_sandboxed = sandbox;
    if ((rc = store_db_exec(p->work, "cannot set up the work database", "SET TimeZone = 'UTC'")) <
        0)
        goto done;
    if ((rc = pond_buf_printf(&spill, "%s/spill", tmp)) < 0)
        goto done;
    if ((rc = store_db_prepare(p->work, "cannot set up the work database",
                               "SET temp_directory = $1", &stmt)) < 0)
        goto done;
    duckdb_bind_varchar(stmt, 1, spill.ptr);
    if (duckdb_execute_prepared(stmt, &res) == DuckDBError)
        rc = pond_error_set(POND_ERROR, "cannot set up the work database: %s",
                            duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    if (rc == POND_OK && sandbox) {
        const char *dirs[] = { p->data_dir, p->tmp_dir };
        rc = pond_sql_sandbox_lock(p->work, dirs, 2);
    }
done:
    if (rc < 0 && p->work_open) {
        duckdb_disconnect(&p->work);
        duckdb_close(&p->work_db);
        p->work_open = 0;
    }
    duckdb_destroy_prepare(&stmt);
    pond_buf_free(&spill);
    return rc;
}

/* DuckDB's message without its "Possible fixes", option dump and "LINE 1:" trailer, on one
 * line: "CSV Error on Line: 7; Original Line: 1,2,3; Expected Number of Columns: 2 Found: 3". */
void store_db_condense(const char *msg, pond_buf *out)
{
    static const char *const stops[] = {"\nPossible fixes", "\n\n", "\nLINE "};
    const char *end, *cut;
    size_t i;

    if (!msg)
        msg = "unknown error";
    end = msg + strlen(msg);
    for (i = 0; i < sizeof stops / sizeof stops[0]; i++)
        if ((cut = strstr(msg, stops[i])) && cut < end)
            end = cut;
    while (end > msg && (end[-1] == '\n' || end[-1] == ' '))
        end--;
    for (; msg < end; msg++) {
        if (*msg == '\n')
            pond_buf_puts(out, "; ");
        else
            pond_buf_putc(out, *msg);
    }
}

/* Run a work-database statement with varchar parameters; failure -> code, "<ctx>: <msg>". */
int store_work_run(pond *p, int code, const char *ctx, const char *sql, const char *const *params,
                   size_t nparams, store_rows *rows)
{
    return store_work_run_ticked(p, code, ctx, sql, params, nparams, rows, NULL, NULL);
}

int store_work_run_ticked(pond *p, int code, const char *ctx, const char *sql,
                          const char *const *params, size_t nparams, store_rows *rows,
                          pond__duck_tick_fn tick, void *payload)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows local;
    pond_buf msg = POND_BUF_INIT;
    size_t i;
    int rc;

    memset(&local, 0, sizeof local);
    if (!rows)
        rows = &local;
    memset(rows, 0, sizeof *rows);
    if (duckdb_prepare(p->work, sql, &stmt) == DuckDBError) {
        store_db_condense(duckdb_prepare_error(stmt), &msg);
        rc = pond_error_set(code, "%s: %s", ctx, msg.ptr);
        goto done;
    }
    for (i = 0; i < nparams; i++)
        duckdb_bind_varchar(stmt, (idx_t)(i + 1), params[i]);
    if (pond__duck_execute(p->work, stmt, &rows->res, tick, payload) == DuckDBError) {
        store_db_condense(duckdb_result_error(&rows->res), &msg);
        rc = pond_error_set(code, "%s: %s", ctx, msg.ptr);
        duckdb_destroy_result(&rows->res);
        goto done;
    }
    rows->has_res = 1;
    rc = POND_OK;
done:
    store_rows_free(&local);
    duckdb_destroy_prepare(&stmt);
    pond_buf_free(&msg);
    return rc;
}
