/*
 * export/stage_custom_query.c: the custom_query stage (docs/export.md, docs/templates.md).
 *
 * Runs the stage's sql in the run's DuckDB and keeps the result as table output_table, which
 * later stages query like export_metadata.  The user's sql is SQL by design and runs as
 * written, as exactly one read-only SELECT in the run's sandboxed database; the table name
 * is a validated identifier ([A-Za-z_][A-Za-z0-9_]*), double-quoted.  Guarantees: on failure no table is added to the
 * context.  Messages say what failed ("sql error: …"); the runner (export.c) puts the stage
 * in front ("stage 2 'Build site index': sql error: …").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export/pipeline.h"
#include "export/sql_params.h"
#include "util/buf.h"
#include "util/error.h"

int pond_stage_run_custom_query(pond_export_ctx *ctx, const pond_stage *st, int stage_no)
{
    int rc = POND_OK;
    duckdb_connection con = pond_export_ctx_con(ctx);
    duckdb_prepared_statement ps = NULL;
    duckdb_result res;
    int have_res = 0;
    pond_buf sql = POND_BUF_INIT;
    const char *name = st->output_table;
    long long rows = 0;

    if (!st->sql || !*st->sql) {
        rc = pond_error_set(POND_EINVALID, "no sql");
        goto done;
    }
    if (!pond_export__sql_ident_ok(name)) {
        rc = pond_error_set(POND_EINVALID,
                            "output_table '%s' is not a name ([A-Za-z_][A-Za-z0-9_]*)",
                            name ? name : "");
        goto done;
    }
    if (strcmp(name, "export_metadata") == 0 || pond_export_ctx_has_table(ctx, name)) {
        rc = pond_error_set(POND_EEXISTS, "table '%s' already exists", name);
        goto done;
    }

    /* One read-only SELECT (so the wrapper below runs nothing else), prepared once to be
     * sure of it; the table is then made from the same text. */
    if (pond_export__sql_prepare_select(con, st->sql, &ps, &sql) != POND_OK) {
        rc = pond_error_set(POND_EINVALID, "sql error: %s", sql.ptr);
        goto done;
    }
    duckdb_destroy_prepare(&ps);

    if ((rc = pond_export__sql_ctas(&sql, name, st->sql)) != POND_OK)
        goto done;

    have_res = 1;
    if (duckdb_query(con, sql.ptr, &res) == DuckDBError) {
        pond_buf text = POND_BUF_INIT;
        pond_export__sql_error_text(&text, duckdb_result_error(&res));
        rc = pond_error_set(POND_EINVALID, "sql error: %s", text.ptr);
        pond_buf_free(&text);
        goto done;
    }
    duckdb_destroy_result(&res);
    have_res = 0;

    pond_buf_clear(&sql);
    if ((rc = pond_buf_printf(&sql, "SELECT count(*) FROM \"%s\"", name)) != POND_OK)
        goto done;
    have_res = 1;
    if (duckdb_query(con, sql.ptr, &res) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot count table '%s': %s", name,
                            duckdb_result_error(&res));
        goto done;
    }
    rows = (long long)duckdb_value_int64(&res, 0, 0);

    if ((rc = pond_export_ctx_add_table(ctx, name)) != POND_OK)
        goto done;

    pond_export_ctx_log(ctx, "made table %s (%lld row%s)", name, rows, rows == 1 ? "" : "s");

done:
    if (have_res)
        duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&ps);
    pond_buf_free(&sql);
    return rc;
}
