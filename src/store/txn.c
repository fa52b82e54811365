/*
 * store/txn.c: the write transaction of one pond call (state diagram in store_int.h).
 *
 * Guarantees: the catalog COMMIT is the only commit point.  Content files are already in
 * data/ (fsynced) when it runs; if the process dies before it, those files are unreferenced
 * orphans that pond_check reports and repairs.  On an ordinary failure the catalog is rolled
 * back, the content files this transaction created are removed, and an 'aborted' row is
 * written to the log in a transaction of its own (best effort, so `pond show` shows it).
 */
#include "store/store_int.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t store_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void make_uuid(char out[37])
{
    unsigned char b[16];
    static const char hex[] = "0123456789abcdef";
    size_t i, o = 0;

    if (RAND_bytes(b, sizeof b) != 1) {
        /* fall back on time and address bits: unique enough for a log id */
        int64_t now = store_now_us();
        for (i = 0; i < sizeof b; i++)
            b[i] = (unsigned char)((now >> (i % 8 * 8)) ^ (uintptr_t)out >> (i % 4 * 8));
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

static int next_seq(pond *p, int64_t *out)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    int rc;

    memset(&rows, 0, sizeof rows);
    rc = store_db_prepare(p->con, "cannot read the transaction log",
                          "SELECT coalesce(max(seq), 0) + 1 FROM txn", &stmt);
    if (rc < 0)
        goto done;
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the transaction log", &rows)) < 0)
        goto done;
    *out = store_rows_next(&rows) ? store_rows_i64(&rows, 0, NULL) : 1;
done:
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

static int insert_txn_row(store_txn *txn, const char *status)
{
    duckdb_prepared_statement stmt = NULL;
    duckdb_result res;
    int rc;

    rc = store_db_prepare(txn->p->con, "cannot write the transaction log",
                          "INSERT INTO txn VALUES ($1, $2, make_timestamp($3), "
                          "make_timestamp($4), $5, $6, $7)",
                          &stmt);
    if (rc < 0)
        goto done;
    duckdb_bind_int64(stmt, 1, txn->seq);
    duckdb_bind_varchar(stmt, 2, txn->id);
    duckdb_bind_int64(stmt, 3, txn->start_us);
    duckdb_bind_int64(stmt, 4, store_now_us());
    duckdb_bind_varchar(stmt, 5, status);
    duckdb_bind_varchar(stmt, 6, txn->p->command);
    duckdb_bind_varchar(stmt, 7, txn->variables ? txn->variables : "{}");
    if (duckdb_execute_prepared(stmt, &res) == DuckDBError)
        rc = pond_error_set(POND_ERROR, "cannot write the transaction log: %s",
                            duckdb_result_error(&res));
    duckdb_destroy_result(&res);
done:
    duckdb_destroy_prepare(&stmt);
    return rc;
}

static void txn_free(store_txn *txn)
{
    size_t i;
    if (!txn)
        return;
    for (i = 0; i < txn->nnew; i++)
        free(txn->new_files[i]);
    free(txn->new_files);
    free(txn->variables);
    free(txn);
}

int store_txn_begin(pond *p, store_txn **out, const char *variables_json)
{
    store_txn *txn;
    int rc;

    *out = NULL;
    if (p->txn)
        return pond_error_set(POND_ERROR, "a transaction is already in progress on pond '%s'",
                              p->path);
    if (!(txn = calloc(1, sizeof *txn)))
        return pond_error_oom();
    txn->p = p;
    txn->start_us = store_now_us();
    make_uuid(txn->id);
    if (variables_json) {
        size_t n = strlen(variables_json) + 1;
        if (!(txn->variables = malloc(n))) {
            txn_free(txn);
            return pond_error_oom();
        }
        memcpy(txn->variables, variables_json, n);
    }
    if ((rc = store_db_exec(p->con, "cannot begin a transaction", "BEGIN TRANSACTION")) < 0) {
        txn_free(txn);
        return rc;
    }
    if ((rc = next_seq(p, &txn->seq)) < 0) {
        store_db_exec(p->con, "rollback", "ROLLBACK");
        txn_free(txn);
        return rc;
    }
    p->txn = txn;
    *out = txn;
    return POND_OK;
}

int store_txn_commit(store_txn *txn)
{
    int rc = insert_txn_row(txn, "committed");

    if (rc == POND_OK)
        rc = store_db_exec(txn->p->con, "cannot commit the transaction", "COMMIT");
    if (rc < 0) {
        store_txn_abort(txn);
        return rc;
    }
    txn->p->txn = NULL;
    txn_free(txn);
    return POND_OK;
}

void store_txn_abort(store_txn *txn)
{
    char saved[4096];
    int code;
    size_t i;
    pond *p;

    if (!txn)
        return;
    p = txn->p;
    code = pond_error_last_code();
    snprintf(saved, sizeof saved, "%s", pond_error_last());

    store_db_exec(p->con, "rollback", "ROLLBACK");
    for (i = 0; i < txn->nnew; i++)
        remove(txn->new_files[i]);
    /* the aborted attempt, in a transaction of its own; failure here is not reported */
    if (store_db_exec(p->con, "log", "BEGIN TRANSACTION") == POND_OK) {
        if (next_seq(p, &txn->seq) == POND_OK && insert_txn_row(txn, "aborted") == POND_OK)
            store_db_exec(p->con, "log", "COMMIT");
        else
            store_db_exec(p->con, "log", "ROLLBACK");
    }
    p->txn = NULL;
    txn_free(txn);
    if (code)
        pond_error_set(code, "%s", saved);
    else
        pond_error_clear();
}
