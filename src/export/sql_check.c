/*
 * export/sql_check.c: the scratch database that stage SQL is checked against before a run
 * (see sql_check.h).
 */
#include <string.h>
#include "export/context.h"
#include "export/sql_check.h"
#include "export/sql_params.h"
#include "store/sql_sandbox.h"
#include "util/buf.h"
#include "util/error.h"

int pond_export__scratch_open(pond_sql_scratch *sc)
{
    duckdb_result res;
    int rc = POND_OK;
    memset(sc, 0, sizeof *sc);
    if (duckdb_open(NULL, &sc->db) == DuckDBError)
        return pond_error_set(POND_ERROR, "cannot open an in-memory duckdb database");
    if (duckdb_connect(sc->db, &sc->con) == DuckDBError) {
        duckdb_close(&sc->db);
        return pond_error_set(POND_ERROR, "cannot connect to an in-memory duckdb database");
    }
    sc->open = 1;
    if (duckdb_query(sc->con, pond_export_metadata_ddl, &res) == DuckDBError)
        rc = pond_error_set(POND_ERROR, "cannot create export_metadata: %s",
                            duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    /* No directory at all: checking a pipeline reads and writes no host file. */
    if (rc == POND_OK)
        rc = pond_sql_sandbox_lock(sc->con, NULL, 0);
    return rc;
}

void pond_export__scratch_close(pond_sql_scratch *sc)
{
    if (!sc || !sc->open)
        return;
    duckdb_disconnect(&sc->con);
    duckdb_close(&sc->db);
    sc->open = 0;
}

int pond_export__scratch_static_error(const char *msg)
{
    return msg && (!strncmp(msg, "Catalog Error", 13) || !strncmp(msg, "Binder Error", 12) ||
                   !strncmp(msg, "Parser Error", 12));
}

int pond_export__scratch_judge(pond_sql_scratch *sc, const char *sql, pond_buf *msg,
                               duckdb_prepared_statement *ps)
{
    int rc;
    duckdb_prepared_statement st = NULL;

    pond_buf_clear(msg);
    if (ps)
        *ps = NULL;
    if ((rc = pond_sql_check_select(sc->con, sql)) != POND_OK)
        goto failed;
    if (sc->unchecked)
        return POND_OK;
    if (duckdb_prepare(sc->con, sql, &st) == DuckDBError) {
        const char *e = duckdb_prepare_error(st);
        if (pond_export__scratch_static_error(e)) {
            rc = pond_error_set(POND_EINVALID, "%s", e);
            goto failed;
        }
        sc->unchecked = 1; /* only the run can tell */
        duckdb_destroy_prepare(&st);
        return POND_OK;
    }
    if ((rc = pond_sql_check_prepared(st)) != POND_OK)
        goto failed;
    if (ps)
        *ps = st;
    else
        duckdb_destroy_prepare(&st);
    return POND_OK;
failed:
    duckdb_destroy_prepare(&st);
    if (pond_export__sql_error_text(msg, pond_error_last()) != POND_OK)
        return pond_error_oom();
    return rc;
}

int pond_export__scratch_check_queries(pond_sql_scratch *sc, const pond_template_spec *spec,
                                       const char *stage)
{
    int rc = POND_OK;
    pond_buf sql = POND_BUF_INIT, text = POND_BUF_INIT;
    const char *sep = stage ? ", " : "";

    if (!stage)
        stage = "";
    for (size_t i = 0; i < spec->ncollections && rc == POND_OK; i++) {
        const pond_collection *c = &spec->collections[i];
        duckdb_prepared_statement ps = NULL;
        if (!c->query)
            continue;
        if ((rc = pond_export__sql_rewrite_params(c->query, &sql)) != POND_OK)
            break;
        if (pond_export__scratch_judge(sc, sql.ptr, &text, &ps) != POND_OK) {
            rc = pond_error_set(POND_EINVALID, "%s:%d:%d: %s%scollection '%s': query: %s",
                                spec->path, c->query_line, c->query_column, stage, sep,
                                c->name, text.ptr);
        } else if (ps) {
            /* Parameter names are judged here too: only $pattern, $files and $0, $1… exist. */
            idx_t np = duckdb_nparams(ps);
            for (idx_t k = 1; k <= np && rc == POND_OK; k++) {
                const char *name = duckdb_parameter_name(ps, k);
                if (name && !pond_export__sql_param_known(name))
                    rc = pond_error_set(POND_EINVALID,
                                        "%s:%d:%d: %s%scollection '%s': query: unknown "
                                        "parameter $%s (a query may use $pattern, $files and "
                                        "$0, $1…)",
                                        spec->path, c->query_line, c->query_column, stage, sep,
                                        c->name, name);
                duckdb_free((void *)name);
            }
        }
        duckdb_destroy_prepare(&ps);
    }
    pond_buf_free(&sql);
    pond_buf_free(&text);
    return rc;
}
