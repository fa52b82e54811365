/*
 * export/batch_copy.c: the COPY of a batch of series (see batch_copy.h).
 */
#include "export/batch_copy.h"

#include <inttypes.h>
#include <stdlib.h>
#include "export/partition_plan.h"
#include "util/buf.h"
#include "util/error.h"

#define FILE_COLUMN "__pond_file" /* a row's file_index, until it is mapped to its series */

/* One key for (series, partition): DuckDB's partitioned write costs per key column and row,
 * so the series is packed above the partition key (offset to be non-negative, NULL as the
 * top value), and taken apart again by split_key. */
#define KEY_BITS 40
#define KEY_OFFSET (INT64_C(1) << (KEY_BITS - 1)) /* minutes of +-1 million years fit */
#define KEY_NULL ((INT64_C(1) << KEY_BITS) - 1)

static int put_sql(pond_buf *b, const pond_batch_copy *c)
{
    int rc;
    if ((rc = pond_buf_puts(b, "COPY (SELECT * EXCLUDE (" POND_KEY_COLUMN ", " FILE_COLUMN "), ")) ||
        (rc = pond_buf_printf(b, "$3[" FILE_COLUMN " + 1] * %" PRId64 " + coalesce(",
                              INT64_C(1) << KEY_BITS)) ||
        (rc = pond_partition_key_sql(b, c->nlevels, POND_KEY_COLUMN)) ||
        (rc = pond_buf_printf(b, " + %" PRId64 ", %" PRId64 ") AS " POND_KEY_COLUMN " FROM (SELECT *, ",
                              KEY_OFFSET, KEY_NULL)) ||
        (rc = pond_buf_printf(b, "%s AS " POND_KEY_COLUMN ", CAST(file_index AS BIGINT) AS " FILE_COLUMN
                                 " FROM read_parquet($2)",
                              c->local_sql)))
        return rc;
    if (c->has_start && (rc = pond_buf_printf(b, " WHERE %s >= $4", c->ts_sql)))
        return rc;
    if (c->has_end && (rc = pond_buf_printf(b, "%s%s < $%d", c->has_start ? " AND " : " WHERE ",
                                            c->ts_sql, c->has_start ? 5 : 4)))
        return rc;
    return pond_buf_puts(b, ")) TO $1 (FORMAT PARQUET, PARTITION_BY (" POND_KEY_COLUMN
                            "), RETURN_FILES)");
}

/* The files from w->v[from] on: their series and partition from the packed key. */
static int split_keys(pond_written *w, size_t from, int nlevels, size_t nseries)
{
    for (size_t i = from; i < w->n; i++) {
        pond_written_file *f = &w->v[i];
        int64_t low = f->key & KEY_NULL, series = f->key >> KEY_BITS;
        if (!f->key_ok || f->key < 0 || (uint64_t)series >= nseries)
            return pond_error_set(POND_ERROR, "unexpected export file '%s'", f->src);
        f->src_index = (long)series;
        f->key_ok = low != KEY_NULL;
        f->key = f->key_ok ? low - KEY_OFFSET : 0;
        if (f->key_ok)
            pond_partition_key_levels(nlevels, f->key, f->vals);
    }
    return POND_OK;
}

/* $2 (the files) and $3 (their series) as lists. */
static int bind_lists(duckdb_prepared_statement st, const pond_batch_copy *c)
{
    int rc = POND_OK;
    duckdb_logical_type vt = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
    duckdb_logical_type it = duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
    duckdb_value *names = calloc(c->nfiles ? c->nfiles : 1, sizeof *names);
    duckdb_value *series = calloc(c->nfiles ? c->nfiles : 1, sizeof *series);
    duckdb_value lnames = NULL, lseries = NULL;

    if (!names || !series) {
        rc = pond_error_oom();
        goto done;
    }
    for (size_t i = 0; i < c->nfiles; i++) {
        names[i] = duckdb_create_varchar(c->files[i]);
        series[i] = duckdb_create_int64(c->series[i]);
    }
    lnames = duckdb_create_list_value(vt, names, c->nfiles);
    lseries = duckdb_create_list_value(it, series, c->nfiles);
    if (!lnames || !lseries || duckdb_bind_value(st, 2, lnames) == DuckDBError ||
        duckdb_bind_value(st, 3, lseries) == DuckDBError)
        rc = pond_error_set(POND_ERROR, "cannot bind the version files of %s", c->what);
done:
    for (size_t i = 0; i < c->nfiles; i++) {
        if (names)
            duckdb_destroy_value(&names[i]);
        if (series)
            duckdb_destroy_value(&series[i]);
    }
    free(names);
    free(series);
    duckdb_destroy_value(&lnames);
    duckdb_destroy_value(&lseries);
    duckdb_destroy_logical_type(&vt);
    duckdb_destroy_logical_type(&it);
    return rc;
}

static int bind_bounds(duckdb_prepared_statement st, const pond_batch_copy *c)
{
    idx_t at = 4;
    int64_t bounds[2] = {c->start_us, c->end_us};
    int has[2] = {c->has_start, c->has_end};

    for (int i = 0; i < 2; i++) {
        duckdb_state ok;
        if (!has[i])
            continue;
        if (c->ts_is_tz)
            ok = duckdb_bind_timestamp_tz(st, at++, (duckdb_timestamp){bounds[i]});
        else
            ok = duckdb_bind_timestamp(st, at++, (duckdb_timestamp){bounds[i]});
        if (ok == DuckDBError)
            return pond_error_set(POND_ERROR, "cannot bind the time bounds for %s", c->what);
    }
    return POND_OK;
}

int pond_batch_copy_run(duckdb_connection con, pond_export_progress *pr, const pond_batch_copy *c,
                        pond_written *w)
{
    int rc;
    pond_buf sql = POND_BUF_INIT;
    duckdb_prepared_statement st = NULL;
    duckdb_result res;

    if ((rc = put_sql(&sql, c)) != POND_OK)
        goto done;
    if (duckdb_prepare(con, sql.ptr, &st) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot export %s: %s", c->what, duckdb_prepare_error(st));
        goto done;
    }
    if (duckdb_bind_varchar(st, 1, c->target) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot bind the output path of %s", c->what);
        goto done;
    }
    if ((rc = bind_lists(st, c)) || (rc = bind_bounds(st, c)))
        goto done;
    if (pond_export_progress_execute(pr, con, st, &res) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot export %s: %s", c->what, duckdb_result_error(&res));
        duckdb_destroy_result(&res);
        goto done;
    }
    size_t from = w->n;
    rc = pond_written_add_result(w, &res, c->target, c->nlevels);
    duckdb_destroy_result(&res);
    if (rc == POND_OK)
        rc = split_keys(w, from, c->nlevels, c->nseries);
done:
    duckdb_destroy_prepare(&st);
    pond_buf_free(&sql);
    return rc;
}
