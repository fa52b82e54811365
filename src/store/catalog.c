/*
 * store/catalog.c: the catalog's schema (catalog.sqlite, SQLite).  Tables, all STRICT, so a
 * value of the wrong type is refused on write and reported by PRAGMA integrity_check:
 *
 *   meta(key, value)                 schema_version
 *   txn(seq, id, start_time, end_time, status, command, variables)
 *                                    one row per transaction, committed or aborted; times
 *                                    are µs since the epoch, UTC
 *   entry(id, parent, name, path, type, symlink_target, timestamp_column,
 *         created_txn, modified_txn, factory)
 *                                    the tree; the root directory is id 0, path '/'; a
 *                                    dynamic node (type 'dynamic') names its factory, and
 *                                    its versions are its config files
 *   version(entry_id, version, txn, size, sha256, row_count, min_time, max_time,
 *           schema, ts_type)         every version of every file; times are µs since
 *                                    the epoch, schema is JSON text
 *
 * Entries are never renamed, so the full path is stored beside (parent, name).  The CHECK
 * constraints state what every row must look like (a type word, 64 hex digits of sha256,
 * JSON text, the root alone without a parent); SQLite enforces them on every write and
 * integrity_check re-verifies them, so a flipped byte in a value is found by pond check.
 * Foreign keys (on in every connection) tie entries to their parent and versions to their
 * entry and transaction.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const schema_sql =
    "BEGIN IMMEDIATE;"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"
    "CREATE TABLE txn("
    " seq INTEGER PRIMARY KEY CHECK (seq > 0),"
    " id TEXT NOT NULL CHECK (length(id) = 36),"
    " start_time INTEGER NOT NULL,"
    " end_time INTEGER NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('committed', 'aborted')),"
    " command TEXT NOT NULL,"
    " variables TEXT NOT NULL CHECK (json_valid(variables))) STRICT;"
    "CREATE TABLE entry("
    " id INTEGER PRIMARY KEY,"
    " parent INTEGER REFERENCES entry(id),"
    " name TEXT NOT NULL,"
    " path TEXT NOT NULL UNIQUE CHECK (substr(path, 1, 1) = '/'),"
    " type TEXT NOT NULL"
    "  CHECK (type IN ('dir', 'symlink', 'file:data', 'file:table', 'file:series', 'dynamic')),"
    " symlink_target TEXT CHECK ((symlink_target IS NOT NULL) = (type = 'symlink')),"
    " timestamp_column TEXT,"
    " created_txn INTEGER NOT NULL,"
    " modified_txn INTEGER NOT NULL,"
    " factory TEXT CHECK ((factory IS NOT NULL) = (type = 'dynamic')),"
    " CHECK ((parent IS NULL) = (id = 0))) STRICT;"
    "CREATE TABLE version("
    " entry_id INTEGER NOT NULL REFERENCES entry(id),"
    " version INTEGER NOT NULL CHECK (version > 0),"
    " txn INTEGER NOT NULL REFERENCES txn(seq) DEFERRABLE INITIALLY DEFERRED,"
    " size INTEGER NOT NULL CHECK (size >= 0),"
    " sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),"
    " row_count INTEGER NOT NULL CHECK (row_count >= -1),"
    " min_time INTEGER,"
    " max_time INTEGER,"
    " schema TEXT CHECK (schema IS NULL OR json_valid(schema)),"
    " ts_type TEXT,"
    " PRIMARY KEY (entry_id, version)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX entry_parent ON entry(parent);"
    "INSERT INTO meta VALUES ('schema_version', '" STORE_SCHEMA_VERSION "');"
    "INSERT INTO entry VALUES (0, NULL, '', '/', 'dir', NULL, NULL, 0, 0, NULL);"
    "COMMIT;";

int store_catalog_create(sqlite3 *db, const char *what)
{
    char *err = NULL;
    int rc = POND_OK;

    if (sqlite3_exec(db, schema_sql, NULL, NULL, &err) != SQLITE_OK) {
        rc = pond_error_set(POND_ERROR, "%s: %s", what, err ? err : sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_free(err);
    return rc;
}

int store_catalog_check(pond *p)
{
    store_stmt st;
    char *v = NULL;
    int rc;

    rc = store_sql_query(p, &st, "cannot read the catalog",
                         "SELECT value FROM meta WHERE key = 'schema_version'", STORE_NO_ARGS);
    if (rc < 0)
        goto done;
    if ((rc = store_sql_next(&st)) == 1)
        rc = store_sql_dup(&st, 0, &v);
    if (rc < 0)
        goto done;
    if (!v || strcmp(v, STORE_SCHEMA_VERSION) != 0)
        rc = pond_error_set(POND_ECORRUPT, "catalog schema version %s, expected %s",
                            v ? v : "(none)", STORE_SCHEMA_VERSION);
done:
    free(v);
    store_sql_close(&st);
    return rc;
}

/* The schema objects of db in name order: "type name tbl_name sql" rows, one string each. */
static int schema_rows(sqlite3 *db, pond_buf *out)
{
    sqlite3_stmt *st = NULL;
    int src;

    pond_buf_clear(out);
    src = sqlite3_prepare_v2(db,
                             "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema "
                             "ORDER BY name",
                             -1, &st, NULL);
    while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        int i, rc = POND_OK;
        for (i = 0; i < 4 && rc == POND_OK; i++)
            rc = pond_buf_printf(out, "%s%c", (const char *)sqlite3_column_text(st, i),
                                 i == 3 ? '\n' : '\t');
        src = rc == POND_OK ? SQLITE_OK : SQLITE_NOMEM;
    }
    sqlite3_finalize(st);
    return src == SQLITE_DONE ? POND_OK : -1;
}

int store_catalog_schema_check(pond *p, pond_buf *diff)
{
    pond_buf want = POND_BUF_INIT, have = POND_BUF_INIT;
    sqlite3 *mem = NULL;
    const char *w, *h;
    int rc = POND_OK;

    pond_buf_clear(diff);
    if (sqlite3_open(":memory:", &mem) != SQLITE_OK ||
        (rc = store_catalog_create(mem, "cannot check the catalog's schema")) < 0) {
        if (rc == POND_OK)
            rc = pond_error_oom();
        goto done;
    }
    if (schema_rows(mem, &want) < 0) {
        rc = pond_error_set(POND_ERROR, "cannot check the catalog's schema");
        goto done;
    }
    if (schema_rows(p->cat, &have) < 0) {
        rc = store_sql_fail(p, sqlite3_errcode(p->cat), "cannot read the catalog's schema");
        goto done;
    }
    if (have.len == want.len && memcmp(have.ptr, want.ptr, want.len) == 0)
        goto done;
    /* the first line that differs names the object */
    for (w = want.ptr, h = have.ptr; *w && *w == *h; w++, h++)
        ;
    while (h > have.ptr && h[-1] != '\n')
        h--;
    rc = pond_buf_put(diff, h, strcspn(h, "\n"));
done:
    sqlite3_close(mem);
    pond_buf_free(&want);
    pond_buf_free(&have);
    return rc;
}
