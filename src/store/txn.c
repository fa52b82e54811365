/*
 * store/txn.c: the write transaction of one pond call (state diagram in store_int.h), and
 * pond_txn_append, the log entry of a run that wrote nothing in the pond.
 *
 * Guarantees: one writer at a time (the write lock, store/lock.c, taken before BEGIN
 * IMMEDIATE and dropped after COMMIT or ROLLBACK).  The catalog COMMIT is the only commit
 * point: with synchronous=FULL it returns once the write-ahead log is fsynced.  Content files
 * are already in data/ (fsynced) when it runs; if the process dies before it, those files are
 * unreferenced orphans that pond_check reports and repairs, and SQLite ignores the
 * transaction's uncommitted frames in the log.  On an ordinary failure the catalog is rolled
 * back, the content files this transaction created are removed, and an 'aborted' row is
 * written to the log in a transaction of its own (best effort, so `pond show` shows it).  A
 * handle that met a damaged catalog (p->corrupt) commits nothing, not even that row.
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
    return store_sql_int_query(p, "cannot read the transaction log",
                               "SELECT coalesce(max(seq), 0) + 1 FROM txn", STORE_NO_ARGS, 1, out);
}

static int insert_txn_row(store_txn *txn, const char *status)
{
    return store_sql_run(txn->p, "cannot write the transaction log",
                         "INSERT INTO txn VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                         STORE_ARGS(STORE_INT(txn->seq), STORE_TEXT(txn->id),
                                    STORE_INT(txn->start_us), STORE_INT(store_now_us()),
                                    STORE_TEXT(status), STORE_TEXT(txn->p->command),
                                    STORE_TEXT(txn->variables ? txn->variables : "{}")));
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

/* What keeps p from writing at all, as an error; POND_OK when it may. */
static int may_write(pond *p)
{
    if (p->txn)
        return pond_error_set(POND_ERROR, "a transaction is already in progress on pond '%s'",
                              p->path);
    if (p->snapshot_depth > 0)
        return pond_error_set(POND_EINVALID,
                              "cannot write pond '%s' while a read snapshot of it is open",
                              p->path);
    if (p->read_only)
        return pond_error_set(POND_ERROR, "cannot write pond '%s': it is read-only", p->path);
    if (p->corrupt)
        return pond_error_set(POND_ECORRUPT,
                              "cannot write pond '%s': its catalog '%s' is damaged: run "
                              "'pond check'",
                              p->path, p->catalog_path);
    return POND_OK;
}

int store_txn_begin(pond *p, store_txn **out, const char *variables_json)
{
    store_txn *txn = NULL;
    int rc;

    *out = NULL;
    if ((rc = may_write(p)) < 0)
        return rc;
    if (!(txn = calloc(1, sizeof *txn)))
        return pond_error_oom();
    txn->p = p;
    txn->start_us = store_now_us();
    make_uuid(txn->id);
    if (variables_json) {
        size_t n = strlen(variables_json) + 1;
        if (!(txn->variables = malloc(n))) {
            rc = pond_error_oom();
            goto fail;
        }
        memcpy(txn->variables, variables_json, n);
    }
    if ((rc = store_lock_acquire(p)) < 0)
        goto fail;
    if ((rc = store_sql_exec(p, "cannot begin a transaction", "BEGIN IMMEDIATE")) < 0) {
        store_lock_release(p);
        goto fail;
    }
    if ((rc = next_seq(p, &txn->seq)) < 0) {
        sqlite3_exec(p->cat, "ROLLBACK", NULL, NULL, NULL);
        store_lock_release(p);
        goto fail;
    }
    p->txn = txn;
    *out = txn;
    return POND_OK;
fail:
    txn_free(txn);
    return rc;
}

/* Write the txn row with status and COMMIT; on failure abort.  Frees txn either way. */
static int commit_as(store_txn *txn, const char *status)
{
    pond *p = txn->p;
    int rc = insert_txn_row(txn, status);

    if (rc == POND_OK && p->corrupt)
        rc = pond_error_set(POND_ECORRUPT, "cannot commit: the catalog '%s' is damaged: run "
                                           "'pond check'",
                            p->catalog_path);
    if (rc == POND_OK)
        rc = store_sql_exec(p, "cannot commit the transaction", "COMMIT");
    if (rc < 0) {
        store_txn_abort(txn);
        return rc;
    }
    p->txn = NULL;
    store_lock_release(p);
    txn_free(txn);
    return POND_OK;
}

int store_txn_commit(store_txn *txn)
{
    return commit_as(txn, "committed");
}

void store_txn_abort(store_txn *txn)
{
    pond_error_saved saved;
    size_t i;
    pond *p;

    if (!txn)
        return;
    p = txn->p;
    pond_error_save(&saved);
    if (!sqlite3_get_autocommit(p->cat))
        sqlite3_exec(p->cat, "ROLLBACK", NULL, NULL, NULL);
    for (i = 0; i < txn->nnew; i++)
        remove(txn->new_files[i]);
    /* the aborted attempt, in a transaction of its own, still under the lock; failure here is
     * not reported, and nothing at all is written on a damaged catalog */
    if (!p->corrupt && store_sql_exec(p, "log", "BEGIN IMMEDIATE") == POND_OK) {
        if (next_seq(p, &txn->seq) == POND_OK && insert_txn_row(txn, "aborted") == POND_OK &&
            !p->corrupt)
            store_sql_exec(p, "log", "COMMIT");
        if (!sqlite3_get_autocommit(p->cat))
            sqlite3_exec(p->cat, "ROLLBACK", NULL, NULL, NULL);
    }
    p->txn = NULL;
    store_lock_release(p);
    txn_free(txn);
    pond_error_restore(&saved);
}

int pond_txn_append(pond *p, int64_t start_time, int ok, const char *variables_json)
{
    store_txn *txn;
    int rc;

    if ((rc = store_txn_begin(p, &txn, variables_json)) < 0)
        return rc;
    txn->start_us = start_time;
    return commit_as(txn, ok ? "committed" : "aborted");
}
