/*
 * export/update_keys.c: dirty time ranges to partition keys (see update_keys.h).
 */
#include "export/update_keys.h"

#include <stdlib.h>
#include "export/partition_plan.h"
#include "util/buf.h"
#include "util/error.h"

/* The key of UTC instant us: bound to one prepared statement. */
static int key_of(duckdb_prepared_statement st, int64_t us, int64_t *key)
{
    duckdb_result res;
    int rc = POND_OK;
    if (duckdb_bind_timestamp(st, 1, (duckdb_timestamp){us}) == DuckDBError)
        return pond_error_set(POND_ERROR, "cannot bind a time to compute its partition");
    if (duckdb_execute_prepared(st, &res) == DuckDBError)
        rc = pond_error_set(POND_ERROR, "cannot compute a partition key: %s",
                            duckdb_result_error(&res));
    else if (duckdb_row_count(&res) != 1 || duckdb_value_is_null(&res, 0, 0))
        rc = pond_error_set(POND_ERROR, "cannot compute a partition key: no result");
    else
        *key = duckdb_value_int64(&res, 0, 0);
    duckdb_destroy_result(&res);
    return rc;
}

int pond_update_dirty_keys(duckdb_connection con, int nlevels, const pond_time_range *r,
                           size_t n, pond_key_range **out, size_t *nout)
{
    pond_buf sql = POND_BUF_INIT;
    duckdb_prepared_statement st = NULL;
    pond_key_range *keys = calloc(n ? n : 1, sizeof *keys);
    int rc;

    *out = NULL;
    *nout = 0;
    if (!keys)
        return pond_error_oom();
    /* the local wall-clock time of the instant, as put_local in stage_data_export.c makes it */
    if ((rc = pond_buf_puts(&sql, "SELECT ")) ||
        (rc = pond_partition_key_sql(&sql, nlevels, "l")) ||
        (rc = pond_buf_puts(&sql, " FROM (SELECT timezone(current_setting('TimeZone'), "
                                  "timezone('UTC', $1::TIMESTAMP)) AS l)")))
        goto done;
    if (duckdb_prepare(con, sql.ptr, &st) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot compute partition keys: %s",
                            duckdb_prepare_error(st));
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        if ((rc = key_of(st, r[i].lo_us, &keys[i].lo)) ||
            (rc = key_of(st, r[i].hi_us, &keys[i].hi)))
            goto done;
    }
    *nout = pond_update_merge_keys(keys, n);
    *out = keys;
    keys = NULL;
done:
    duckdb_destroy_prepare(&st);
    pond_buf_free(&sql);
    free(keys);
    return rc;
}
