/*
 * store/catalog.c: the catalog's schema (catalog.duckdb).  Tables:
 *
 *   meta(key, value)                 schema_version
 *   txn(seq, id, start_time, end_time, status, command, variables)
 *                                    one row per transaction, committed or aborted
 *   entry(id, parent, name, path, type, symlink_target, timestamp_column,
 *         created_txn, modified_txn) the tree; the root directory is id 0, path '/'
 *   version(entry_id, version, txn, size, sha256, row_count, min_time, max_time,
 *           schema, ts_type)         every version of every file; times are µs since
 *                                    the epoch (BIGINT), schema is JSON text
 *
 * Entries are never renamed, so the full path is stored beside (parent, name).
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const schema_sql =
    "BEGIN TRANSACTION;"
    "CREATE TABLE meta(key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);"
    "CREATE TABLE txn(seq BIGINT PRIMARY KEY, id VARCHAR NOT NULL,"
    " start_time TIMESTAMP NOT NULL, end_time TIMESTAMP NOT NULL, status VARCHAR NOT NULL,"
    " command VARCHAR NOT NULL, variables VARCHAR NOT NULL);"
    "CREATE TABLE entry(id BIGINT PRIMARY KEY, parent BIGINT, name VARCHAR NOT NULL,"
    " path VARCHAR NOT NULL UNIQUE, type VARCHAR NOT NULL, symlink_target VARCHAR,"
    " timestamp_column VARCHAR, created_txn BIGINT NOT NULL, modified_txn BIGINT NOT NULL);"
    "CREATE TABLE version(entry_id BIGINT NOT NULL, version BIGINT NOT NULL,"
    " txn BIGINT NOT NULL, size BIGINT NOT NULL, sha256 VARCHAR NOT NULL,"
    " row_count BIGINT NOT NULL, min_time BIGINT, max_time BIGINT, schema VARCHAR,"
    " ts_type VARCHAR, PRIMARY KEY(entry_id, version));"
    "INSERT INTO meta VALUES ('schema_version', '" STORE_SCHEMA_VERSION "');"
    "INSERT INTO entry VALUES (0, NULL, '', '/', 'dir', NULL, NULL, 0, 0);"
    "COMMIT;"
    "CHECKPOINT;";

int store_catalog_create(duckdb_connection con)
{
    return store_db_exec(con, "cannot create the catalog", schema_sql);
}

int store_catalog_check(duckdb_connection con, const char *pond_path)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    char *v = NULL;
    int rc;

    memset(&rows, 0, sizeof rows);
    rc = store_db_prepare(con, "cannot read the catalog",
                          "SELECT value FROM meta WHERE key = 'schema_version'", &stmt);
    if (rc < 0)
        goto done;
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the catalog", &rows)) < 0)
        goto done;
    if (store_rows_next(&rows))
        v = store_rows_str(&rows, 0);
    if (!v || strcmp(v, STORE_SCHEMA_VERSION) != 0)
        rc = pond_error_set(POND_ECORRUPT,
                            "cannot open pond '%s': catalog schema version %s, expected %s",
                            pond_path, v ? v : "(none)", STORE_SCHEMA_VERSION);
done:
    if (rc < 0 && pond_error_last_code() == POND_ERROR)
        pond_error_wrap(rc, "cannot open pond '%s'", pond_path);
    free(v);
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    return rc;
}
