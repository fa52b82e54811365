/*
 * store/cat.c: reading a pond file: pond_cat, and the temp view "series" the reads go
 * through.
 *
 * The view lives in the handle's in-memory work database:
 *
 *     CREATE OR REPLACE TEMP VIEW series AS
 *       SELECT * FROM read_parquet(getvariable('pond_files'), union_by_name = true)
 *       [WHERE COLUMNS(c -> c = getvariable('pond_ts')) >= getvariable('pond_start') …]
 *
 * pond_files is bound as a LIST (every version of a series, the latest of a table), and the
 * timestamp column and time bounds are bound variables, so no user text is pasted into the
 * view.  The work database is sandboxed (store/sql_sandbox.h: it reads only data/ and the
 * handle's tmp dir, and no setting can change).  A user's --sql is checked on its own first
 * (one read-only SELECT, no parameters) and then runs over the view; DuckDB streams it, and
 * the rows are written as they come (store/format.c).  Every content file is checked to have
 * its catalog size before it is read, and a data file's bytes are checked against its sha256
 * as they are printed (store/content_read.c).
 */
#include "store/store_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/sql_sandbox.h"
#include "util/fs.h"
#include "util/version.h"

int store_copy_to_stream(const char *path, FILE *out)
{
    char block[65536];
    size_t n;
    FILE *f = fopen(path, "rb");
    int rc = POND_OK;

    if (!f)
        return pond_error_set(errno == ENOENT ? POND_ENOTFOUND : POND_ERROR, "cannot open '%s': %s",
                              path, strerror(errno));
    while ((n = fread(block, 1, sizeof block, f)) > 0) {
        if (fwrite(block, 1, n, out) != n) {
            rc = pond_error_set(POND_ERROR, "cannot write output: %s", strerror(errno));
            break;
        }
    }
    if (rc == POND_OK && ferror(f))
        rc = pond_error_set(POND_ERROR, "cannot read '%s': %s", path, strerror(errno));
    fclose(f);
    return rc;
}

static int resolve_in_snapshot(pond *p, pond_fs fs, const pond_buf *norm, store_entry *e);

int store_resolve_file(pond *p, pond_fs fs, const char *path, store_entry *e)
{
    pond_buf norm = POND_BUF_INIT;
    int rc;

    memset(e, 0, sizeof *e);
    if ((rc = store_path_arg(path, &norm)) < 0)
        goto done;
    /* one snapshot for the lookup, the symlinks and the versions; the content files it
     * names are immutable, so reading them needs no snapshot */
    if ((rc = store_read_begin(p)) < 0)
        goto done;
    rc = resolve_in_snapshot(p, fs, &norm, e);
    store_read_end(p);
done:
    if (rc < 0)
        store_entry_clear(e);
    pond_buf_free(&norm);
    return rc;
}

static int resolve_in_snapshot(pond *p, pond_fs fs, const pond_buf *norm, store_entry *e)
{
    int rc;

    if (fs == POND_FS_CONTROL) {
        if ((rc = store_control_lookup(p, norm->ptr, 1, e)) < 0)
            goto done;
    } else {
        if ((rc = store_entry_follow(p, norm->ptr, e)) < 0)
            goto done;
    }
    if (e->type == POND_ENTRY_DYNAMIC) {
        /* what the resolver made of it (store_entry_follow asked) */
        if (!e->relation) {
            rc = pond_error_set(POND_EINVALID, "'%s' is a directory (made by %s node '%s')",
                                e->path, e->factory ? e->factory : "a dynamic",
                                e->node ? e->node : e->path);
            goto done;
        }
        goto done;
    }
    if (e->type == POND_ENTRY_DIR) {
        rc = pond_error_set(POND_EINVALID, "'%s' is a directory", e->path);
        goto done;
    }
    if (fs == POND_FS_DATA && (rc = store_entry_load_versions(p, e)) < 0)
        goto done;
    if (e->nversions == 0)
        rc = pond_error_set(POND_ECORRUPT, "'%s' has no versions", norm->ptr);
done:
    return rc;
}

static int set_variable(pond *p, const char *name_sql, duckdb_value value)
{
    duckdb_prepared_statement stmt = NULL;
    duckdb_result res;
    int rc;

    rc = store_db_prepare(p->work, "cannot set up the query", name_sql, &stmt);
    if (rc == POND_OK) {
        duckdb_bind_value(stmt, 1, value);
        if (duckdb_execute_prepared(stmt, &res) == DuckDBError)
            rc = pond_error_set(POND_ERROR, "cannot set up the query: %s",
                                duckdb_result_error(&res));
        duckdb_destroy_result(&res);
    }
    duckdb_destroy_prepare(&stmt);
    return rc;
}

/* The view over a dynamic entry's relation (its SQL is the resolver's, over content files
 * only; user text in it has been checked as a SELECT by the resolver). */
static int dynamic_view_create(pond *p, const store_entry *e, int has_start, int64_t start_us,
                               int has_end, int64_t end_us)
{
    pond_buf sql = POND_BUF_INIT;
    duckdb_value v = NULL;
    int rc;

    rc = pond_buf_printf(&sql, "CREATE OR REPLACE TEMP VIEW series AS SELECT * FROM %s",
                         e->relation);
    if (rc == POND_OK && (has_start || has_end)) {
        v = duckdb_create_varchar(e->timestamp_column ? e->timestamp_column : "");
        rc = set_variable(p, "SET VARIABLE pond_ts = $1", v);
        duckdb_destroy_value(&v);
    }
    if (rc == POND_OK && has_start) {
        v = duckdb_create_int64(start_us);
        rc = set_variable(p, "SET VARIABLE pond_start = make_timestamp($1)", v);
        duckdb_destroy_value(&v);
        if (rc == POND_OK)
            rc = pond_buf_puts(&sql, " AS dyn WHERE COLUMNS(c -> c = getvariable('pond_ts')) >= "
                                     "getvariable('pond_start')");
    }
    if (rc == POND_OK && has_end) {
        v = duckdb_create_int64(end_us);
        rc = set_variable(p, "SET VARIABLE pond_end = make_timestamp($1)", v);
        duckdb_destroy_value(&v);
        if (rc == POND_OK)
            rc = pond_buf_printf(&sql,
                                 "%s COLUMNS(c -> c = getvariable('pond_ts')) < "
                                 "getvariable('pond_end')",
                                 has_start ? " AND" : " AS dyn WHERE");
    }
    if (rc == POND_OK)
        rc = store_db_exec(p->work, "cannot set up the query", sql.ptr);
    pond_buf_free(&sql);
    return rc;
}

int store_view_create(pond *p, const store_entry *e, int has_start, int64_t start_us, int has_end,
                      int64_t end_us)
{
    duckdb_logical_type vt = NULL;
    duckdb_value *items = NULL, list = NULL, v = NULL;
    pond_buf sql = POND_BUF_INIT;
    size_t first, n, i;
    int rc;

    if ((rc = store_work_open(p, STORE_WORK_SANDBOX)) < 0)
        return rc;
    if (e->relation)
        return dynamic_view_create(p, e, has_start, start_us, has_end, end_us);
    first = e->type == POND_ENTRY_SERIES ? 0 : e->nversions - 1;
    n = e->nversions - first;
    if (!(items = calloc(n, sizeof *items)) ||
        !(vt = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR))) {
        rc = pond_error_oom();
        goto done;
    }
    for (i = 0; i < n; i++) {
        const store_version *ver = &e->versions[first + i];
        if ((rc = store_content_check(ver->content_path, ver->size)) < 0)
            goto done;
        items[i] = duckdb_create_varchar(ver->content_path);
    }
    list = duckdb_create_list_value(vt, items, (idx_t)n);
    if ((rc = set_variable(p, "SET VARIABLE pond_files = $1", list)) < 0)
        goto done;
    rc = pond_buf_puts(&sql, "CREATE OR REPLACE TEMP VIEW series AS SELECT * FROM "
                             "read_parquet(getvariable('pond_files'), union_by_name = true)");
    if (rc < 0)
        goto done;
    if (has_start || has_end) {
        v = duckdb_create_varchar(e->timestamp_column ? e->timestamp_column : "");
        rc = set_variable(p, "SET VARIABLE pond_ts = $1", v);
        duckdb_destroy_value(&v);
        if (rc < 0)
            goto done;
    }
    if (has_start) {
        v = duckdb_create_int64(start_us);
        if ((rc = set_variable(p, "SET VARIABLE pond_start = make_timestamp($1)", v)) < 0)
            goto done;
        duckdb_destroy_value(&v);
        rc = pond_buf_puts(&sql, " WHERE COLUMNS(c -> c = getvariable('pond_ts')) >= "
                                 "getvariable('pond_start')");
        if (rc < 0)
            goto done;
    }
    if (has_end) {
        v = duckdb_create_int64(end_us);
        if ((rc = set_variable(p, "SET VARIABLE pond_end = make_timestamp($1)", v)) < 0)
            goto done;
        rc = pond_buf_printf(&sql,
                             " %s COLUMNS(c -> c = getvariable('pond_ts')) < "
                             "getvariable('pond_end')",
                             has_start ? "AND" : "WHERE");
        if (rc < 0)
            goto done;
    }
    rc = store_db_exec(p->work, "cannot set up the query", sql.ptr);
done:
    if (v)
        duckdb_destroy_value(&v);
    if (list)
        duckdb_destroy_value(&list);
    for (i = 0; items && i < n; i++)
        if (items[i])
            duckdb_destroy_value(&items[i]);
    free(items);
    if (vt)
        duckdb_destroy_logical_type(&vt);
    pond_buf_free(&sql);
    return rc;
}

/* The user's query, trimmed of trailing blanks and ';', checked to be one read-only SELECT
 * (store/sql_sandbox.h: on its text, then on the prepared statement) without parameters.
 * NULL sql -> "SELECT * FROM series". */
static int user_query(pond *p, const char *sql, pond_buf *out)
{
    duckdb_prepared_statement stmt = NULL;
    pond_buf msg = POND_BUF_INIT;
    size_t n;
    int rc;

    if (!sql)
        return pond_buf_puts(out, "SELECT * FROM series");
    n = strlen(sql);
    while (n > 0 && (sql[n - 1] == ';' || sql[n - 1] == ' ' || sql[n - 1] == '\n' ||
                     sql[n - 1] == '\t' || sql[n - 1] == '\r'))
        n--;
    if ((rc = pond_buf_put(out, sql, n)) < 0)
        return rc;
    if ((rc = pond_sql_check_select(p->work, out->ptr)) < 0) {
        rc = pond_error_wrap(rc, "sql error");
    } else if (duckdb_prepare(p->work, out->ptr, &stmt) == DuckDBError) {
        store_db_condense(duckdb_prepare_error(stmt), &msg);
        rc = pond_error_set(POND_EINVALID, "sql error: %s", msg.ptr);
    } else if ((rc = pond_sql_check_prepared(stmt)) < 0) {
        rc = pond_error_wrap(rc, "sql error");
    } else if (duckdb_nparams(stmt) > 0) {
        rc = pond_error_set(POND_EINVALID, "sql error: the query has parameters ($1 …) but "
                                           "nothing binds them");
    }
    duckdb_destroy_prepare(&stmt);
    pond_buf_free(&msg);
    return rc;
}

static int write_parquet(pond *p, const char *query, FILE *out, int code, const char *ctx)
{
    pond_buf tmp = POND_BUF_INIT, sql = POND_BUF_INIT;
    const char *params[1];
    int rc;

    if ((rc = store_tmp_path(p, "cat", ".parquet", &tmp)) < 0)
        goto done;
    if ((rc = pond_buf_printf(&sql, "COPY (\n%s\n) TO $1 (FORMAT PARQUET)", query)) < 0)
        goto done;
    params[0] = tmp.ptr;
    if ((rc = store_work_run(p, code, ctx, sql.ptr, params, 1, NULL)) < 0)
        goto done;
    rc = store_copy_to_stream(tmp.ptr, out);
done:
    if (tmp.len)
        remove(tmp.ptr);
    pond_buf_free(&tmp);
    pond_buf_free(&sql);
    return rc;
}

int pond_cat(pond *p, pond_fs fs, const char *path, const pond_cat_options *opts, FILE *out)
{
    pond_cat_options none = POND_CAT_OPTIONS_INIT;
    store_entry e;
    pond_buf query = POND_BUF_INIT, ctx = POND_BUF_INIT;
    int64_t start = 0, end = 0;
    int rc;

    memset(&e, 0, sizeof e);
    if (!opts)
        opts = &none;
    if ((rc = pond_options_version_check(opts->version, POND_CAT_OPTIONS_VERSION,
                                         "pond_cat_options")) < 0)
        return rc;
    if ((rc = store_resolve_file(p, fs, path, &e)) < 0)
        goto done;
    if (e.relation)
        e.type = e.reads_as; /* a dynamic series or table reads as one */
    if (e.type == POND_ENTRY_DATA) {
        if (opts->sql || opts->start_time || opts->end_time) {
            rc = pond_error_set(POND_EINVALID,
                                "'%s' is a file:data: --sql and times apply to "
                                "tables and series only",
                                e.path);
            goto done;
        }
        const store_version *v = &e.versions[e.nversions - 1];
        rc = store_content_stream(v->content_path, v->size, v->sha256, out);
        goto done;
    }
    if ((opts->start_time || opts->end_time) && e.type != POND_ENTRY_SERIES) {
        rc = pond_error_set(POND_EINVALID,
                            "'%s' is a %s: start and end times apply to series "
                            "only",
                            e.path, pond_entry_type_name(e.type));
        goto done;
    }
    if (opts->start_time && (rc = pond_time_parse(&start, opts->start_time)) < 0)
        goto done;
    if (opts->end_time && (rc = pond_time_parse(&end, opts->end_time)) < 0)
        goto done;
    if ((rc = store_view_create(p, &e, opts->start_time != NULL, start, opts->end_time != NULL,
                                end)) < 0)
        goto done;
    if ((rc = user_query(p, opts->sql, &query)) < 0)
        goto done;
    if (opts->sql)
        rc = pond_buf_puts(&ctx, "sql error");
    else
        rc = pond_buf_printf(&ctx, "cannot read '%s'", e.path);
    if (rc < 0)
        goto done;
    if (opts->format == POND_OUTPUT_PARQUET)
        rc = write_parquet(p, query.ptr, out, opts->sql ? POND_EINVALID : POND_ERROR, ctx.ptr);
    else
        rc = store_format_rows(p, query.ptr, opts->format, out,
                               opts->sql ? POND_EINVALID : POND_ERROR, ctx.ptr);
done:
    store_entry_clear(&e);
    pond_buf_free(&query);
    pond_buf_free(&ctx);
    return rc;
}
