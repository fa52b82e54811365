/*
 * store/snapshot.c: read snapshots of the catalog.
 *
 * In WAL mode a read transaction sees the catalog as it was when its first read ran, however
 * many writers commit meanwhile, and it neither waits for them nor makes them wait.  Every
 * reading call of the store wraps its queries in store_read_begin/end, so it reads one
 * consistent state; pond_snapshot_begin/end (public) hold one snapshot across many calls, as
 * pond export does for its whole run.  Snapshots nest: only the outermost begins and ends the
 * read transaction.  Inside a write transaction reads see that transaction, and begin/end do
 * nothing.
 *
 * While a snapshot is open, SQLite cannot fold the part of the write-ahead log after it back
 * into the catalog (a checkpoint stops at the oldest reader), so the log grows with what is
 * written meanwhile; the first checkpoint after the snapshot ends catches up, and the log is
 * truncated when it restarts (journal_size_limit, store/catalog_open.c).
 */
#include "store/store_int.h"

int store_read_begin(pond *p)
{
    int rc;

    if (p->txn)
        return POND_OK;
    if (p->snapshot_depth > 0) {
        p->snapshot_depth++;
        return POND_OK;
    }
    if ((rc = store_sql_exec(p, "cannot read the catalog", "BEGIN")) < 0)
        return rc;
    /* the first read fixes the snapshot; remember which transaction it ends with */
    rc = store_sql_int_query(p, "cannot read the catalog", "SELECT max(seq) FROM txn",
                             STORE_NO_ARGS, 0, &p->snapshot_seq);
    if (rc < 0) {
        pond_error_saved saved;
        pond_error_save(&saved);
        sqlite3_exec(p->cat, "ROLLBACK", NULL, NULL, NULL);
        pond_error_restore(&saved);
        return rc;
    }
    p->snapshot_depth = 1;
    return POND_OK;
}

void store_read_end(pond *p)
{
    if (p->txn || p->snapshot_depth == 0)
        return;
    if (--p->snapshot_depth > 0)
        return;
    /* a read transaction has nothing to commit; ROLLBACK cannot fail for want of space */
    sqlite3_exec(p->cat, "ROLLBACK", NULL, NULL, NULL);
}

int pond_snapshot_begin(pond *p, int64_t *out_txn)
{
    int rc;

    if (p->txn)
        return pond_error_set(POND_EINVALID,
                              "cannot begin a snapshot of pond '%s' inside a transaction",
                              p->path);
    if ((rc = store_read_begin(p)) < 0)
        return rc;
    if (out_txn)
        *out_txn = p->snapshot_seq;
    return POND_OK;
}

void pond_snapshot_end(pond *p)
{
    if (p)
        store_read_end(p);
}
