/*
 * store/txn_log.c: pond_txn_log, the transaction log oldest first.  The log is read whole
 * before the callbacks run, so fn may call back into the pond.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct txn_row {
    pond_txn_info info;
    char *id, *status, *command, *variables;
} txn_row;

int pond_txn_log(pond *p, pond_txn_fn fn, void *ctx)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    txn_row *v = NULL;
    size_t n = 0, cap = 0, i;
    int rc;

    memset(&rows, 0, sizeof rows);
    rc = store_db_prepare(p->con, "cannot read the transaction log",
                          "SELECT seq, id, epoch_us(start_time), epoch_us(end_time), status, "
                          "command, variables FROM txn ORDER BY seq",
                          &stmt);
    if (rc < 0)
        goto done;
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the transaction log", &rows)) < 0)
        goto done;
    while (store_rows_next(&rows)) {
        txn_row *r;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            txn_row *nv = realloc(v, ncap * sizeof *nv);
            if (!nv) {
                rc = pond_error_oom();
                goto done;
            }
            v = nv;
            cap = ncap;
        }
        r = &v[n++];
        memset(r, 0, sizeof *r);
        r->info.seq = store_rows_i64(&rows, 0, NULL);
        r->info.start_time = store_rows_i64(&rows, 2, NULL);
        r->info.end_time = store_rows_i64(&rows, 3, NULL);
        r->id = store_rows_str(&rows, 1);
        r->status = store_rows_str(&rows, 4);
        r->command = store_rows_str(&rows, 5);
        r->variables = store_rows_str(&rows, 6);
        if (!r->id || !r->status || !r->command || !r->variables) {
            rc = pond_error_oom();
            goto done;
        }
        r->info.id = r->id;
        r->info.status = r->status;
        r->info.command = r->command;
        r->info.variables = r->variables;
    }
    store_rows_free(&rows);
    for (i = 0; i < n; i++)
        if ((rc = fn(&v[i].info, ctx)) != 0)
            goto done;
done:
    for (i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].status);
        free(v[i].command);
        free(v[i].variables);
    }
    free(v);
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    return rc;
}
