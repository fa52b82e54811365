/*
 * store/txn_log.c: pond_txn_log, the transaction log oldest first.  The log is read whole,
 * in one snapshot, before the callbacks run, so fn may call back into the pond.
 */
#include "store/store_int.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

typedef struct txn_row {
    pond_txn_info info;
    char *id, *status, *command, *variables;
} txn_row;

/* Every row of the log into *v (count *n), in one snapshot. */
static int read_log(pond *p, txn_row **v, size_t *n)
{
    store_stmt st;
    size_t cap = 0;
    int rc;

    if ((rc = store_read_begin(p)) < 0)
        return rc;
    rc = store_sql_query(p, &st, "cannot read the transaction log",
                         "SELECT seq, id, start_time, end_time, status, command, variables "
                         "FROM txn ORDER BY seq",
                         STORE_NO_ARGS);
    while (rc == POND_OK && (rc = store_sql_next(&st)) == 1) {
        txn_row *r;
        rc = POND_OK;
        if (POND_GROW(*v, *n, cap)) {
            rc = POND_ENOMEM;
            break;
        }
        r = &(*v)[(*n)++];
        memset(r, 0, sizeof *r);
        r->info.seq = store_sql_int(&st, 0);
        r->info.start_time = store_sql_int(&st, 2);
        r->info.end_time = store_sql_int(&st, 3);
        if ((rc = store_sql_dup(&st, 1, &r->id)) < 0 ||
            (rc = store_sql_dup(&st, 4, &r->status)) < 0 ||
            (rc = store_sql_dup(&st, 5, &r->command)) < 0 ||
            (rc = store_sql_dup(&st, 6, &r->variables)) < 0)
            break;
        if (!r->id || !r->status || !r->command || !r->variables)
            rc = pond_error_set(POND_ECORRUPT,
                                "transaction %lld has a NULL in the catalog: run 'pond check'",
                                (long long)r->info.seq);
        r->info.id = r->id;
        r->info.status = r->status;
        r->info.command = r->command;
        r->info.variables = r->variables;
    }
    store_sql_close(&st);
    store_read_end(p);
    return rc;
}

int pond_txn_log(pond *p, pond_txn_fn fn, void *ctx)
{
    txn_row *v = NULL;
    size_t n = 0, i;
    int rc = read_log(p, &v, &n);

    for (i = 0; rc == POND_OK && i < n; i++)
        rc = fn(&v[i].info, ctx);
    for (i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].status);
        free(v[i].command);
        free(v[i].variables);
    }
    free(v);
    return rc;
}
