/*
 * store/catalog_open.c: the catalog connection of a handle.
 *
 * The catalog is an SQLite database in WAL mode, so readers read a snapshot and never wait
 * for the writer or each other.  Every connection sets:
 *
 *   synchronous=FULL       the write-ahead log is fsynced at every commit
 *   foreign_keys=ON        parent, entry and txn references are enforced
 *   cell_size_check=ON     a damaged page is reported as corruption as soon as it is read
 *   busy_timeout           SQLite's own short locks (recovery, a closing checkpoint) are
 *                          waited for; the pond's writers queue on $POND/lock (lock.c)
 *   journal_size_limit     the log is truncated when it restarts and when the last
 *   PERSIST_WAL              connection closes, and it and its -shm index are kept (empty):
 *                          SQLite can read a WAL database on read-only media only when both
 *                          files exist
 *
 * A pond that cannot be written (read-only mount, no write permission) is opened read-only.
 * When SQLite cannot open the log's index there either (the -shm file is missing and cannot be
 * made) and the log holds nothing, the catalog file alone is the whole database and it is
 * opened as immutable, with no locking at all; a non-empty log that cannot be read is an
 * error that says so.
 */
#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define CATALOG_BUSY_TIMEOUT_MS 10000
#define CATALOG_JOURNAL_LIMIT (4 * 1024 * 1024)

/* '/' before every other byte: tree order (see store_int.h). */
static int path_order(void *unused, int n1, const void *a, int n2, const void *b)
{
    const unsigned char *x = a, *y = b;
    int i, n = n1 < n2 ? n1 : n2;

    for (i = 0; i < n; i++) {
        int cx = x[i] == '/' ? 0 : x[i] + 1, cy = y[i] == '/' ? 0 : y[i] + 1;
        if (cx != cy)
            return cx - cy;
    }
    return n1 - n2;
}

int store_catalog_collation(sqlite3 *db)
{
    if (sqlite3_create_collation_v2(db, "pond_path", SQLITE_UTF8, NULL, path_order, NULL) !=
        SQLITE_OK)
        return pond_error_set(POND_ERROR, "cannot set up the catalog: %s", sqlite3_errmsg(db));
    return POND_OK;
}

/* "file:<path, %-escaped>?<query>" for sqlite3_open_v2 with SQLITE_OPEN_URI ("file://" and
 * an empty authority before an absolute path, so "//x" stays a path). */
static int catalog_uri(const char *path, const char *query, pond_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s;
    int rc = pond_buf_puts(out, path[0] == '/' ? "file://" : "file:");

    for (s = (const unsigned char *)path; rc == POND_OK && *s; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            strchr("/-._~", *s)) {
            rc = pond_buf_putc(out, (char)*s);
        } else {
            char esc[3] = {'%', hex[*s >> 4], hex[*s & 15]};
            rc = pond_buf_put(out, esc, 3);
        }
    }
    if (rc == POND_OK && query)
        rc = pond_buf_printf(out, "?%s", query);
    return rc;
}

static int connect(pond *p, const char *query, int flags)
{
    pond_buf uri = POND_BUF_INIT;
    int src, rc;

    if ((rc = catalog_uri(p->catalog_path, query, &uri)) < 0)
        goto done;
    src = sqlite3_open_v2(uri.ptr, &p->cat, flags | SQLITE_OPEN_URI, NULL);
    if (src != SQLITE_OK) {
        rc = store_sql_fail(p, src, "cannot open the catalog");
        goto done;
    }
    sqlite3_extended_result_codes(p->cat, 1);
    sqlite3_busy_timeout(p->cat, CATALOG_BUSY_TIMEOUT_MS);
    sqlite3_db_config(p->cat, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    rc = store_catalog_collation(p->cat);
done:
    pond_buf_free(&uri);
    return rc;
}

/* The settings of a connection that may write (the header comment). */
static int setup_writable(pond *p)
{
    static const char *const sql = "PRAGMA synchronous = FULL;"
                                   "PRAGMA foreign_keys = ON;"
                                   "PRAGMA cell_size_check = ON;";
    pond_buf limit = POND_BUF_INIT;
    int one = 1, rc;

    if ((rc = store_sql_exec(p, "cannot set up the catalog", sql)) < 0)
        return rc;
    if ((rc = pond_buf_printf(&limit, "PRAGMA journal_size_limit = %d",
                              CATALOG_JOURNAL_LIMIT)) == POND_OK)
        rc = store_sql_exec(p, "cannot set up the catalog", limit.ptr);
    pond_buf_free(&limit);
    sqlite3_file_control(p->cat, "main", SQLITE_FCNTL_PERSIST_WAL, &one);
    return rc;
}

/* The catalog is in WAL mode (pond_init made it so; a copy someone switched back is turned
 * again, when it can be written). */
static int ensure_wal(pond *p)
{
    store_stmt st;
    int rc, wal = 0;

    rc = store_sql_query(p, &st, "cannot read the catalog", "PRAGMA journal_mode", STORE_NO_ARGS);
    if (rc < 0)
        return rc;
    if ((rc = store_sql_next(&st)) == 1) {
        const char *mode = store_sql_text(&st, 0);
        wal = mode && strcmp(mode, "wal") == 0;
        rc = POND_OK;
    }
    store_sql_close(&st);
    if (rc < 0 || wal || p->read_only)
        return rc;
    return store_sql_exec(p, "cannot set the catalog to WAL mode", "PRAGMA journal_mode = WAL");
}

/* 1 if the catalog's write-ahead log is missing or empty. */
static int wal_is_empty(const pond *p)
{
    char wal[4200];
    struct stat st;

    snprintf(wal, sizeof wal, "%s-wal", p->catalog_path);
    return stat(wal, &st) != 0 || st.st_size == 0;
}

/* SQLite's failure to open a WAL database's index read-only (the first read reports it). */
static int cannot_open_index(int src)
{
    return (src & 0xff) == SQLITE_CANTOPEN || (src & 0xff) == SQLITE_READONLY;
}

int store_catalog_open(pond *p)
{
    int rc;

    if ((rc = connect(p, NULL, SQLITE_OPEN_READWRITE)) < 0)
        goto done;
    /* SQLite falls back to read-only by itself when the file cannot be written */
    p->read_only = sqlite3_db_readonly(p->cat, "main") == 1;
    if (!p->read_only && (rc = setup_writable(p)) < 0)
        goto done;
    if (p->read_only && (rc = store_sql_exec(p, "cannot set up the catalog",
                                             "PRAGMA cell_size_check = ON;")) < 0)
        goto done;
    rc = store_catalog_check(p);
    if (rc < 0 && p->read_only && cannot_open_index(sqlite3_extended_errcode(p->cat))) {
        if (!wal_is_empty(p)) {
            rc = pond_error_set(POND_ERROR,
                                "cannot read the catalog '%s': its write-ahead log "
                                "(catalog.sqlite-wal) holds changes, and the pond cannot be "
                                "written to make the log's index (catalog.sqlite-shm); open "
                                "the pond once where it can be written",
                                p->catalog_path);
            goto done;
        }
        store_catalog_close(p);
        if ((rc = connect(p, "immutable=1", SQLITE_OPEN_READONLY)) < 0)
            goto done;
        rc = store_catalog_check(p);
    }
    if (rc == POND_OK)
        rc = ensure_wal(p);
done:
    return rc;
}

void store_catalog_close(pond *p)
{
    if (p->cat) {
        sqlite3_close_v2(p->cat);
        p->cat = NULL;
    }
}
