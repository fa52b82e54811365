/*
 * store/sql_sandbox.h: the one way pond runs SQL that a user wrote (cat --sql, a pipeline's
 * custom_query sql and template queries, and later derived nodes): in a DuckDB database that
 * is locked down, and only as one read-only SELECT.  Shared by the store and the export.
 *
 * A sandboxed database is an ordinary in-memory DuckDB that its owner first configures
 * (TimeZone, temp_directory, its own tables) and then locks with pond_sql_sandbox_lock():
 *
 *   - enable_external_access = false, with allowed_directories = the directories the owner's
 *     own statements read and write (the pond's content directory, a run's staging
 *     directory …): no other host file can be read or written, by any function
 *     (read_csv('/etc/passwd'), COPY … TO '/tmp/x', ATTACH, glob are refused by DuckDB);
 *   - no extension can be installed or loaded (built-in ones stay: parquet, json, icu);
 *   - lock_configuration = true: no SET, RESET or PRAGMA can undo any of it (SET VARIABLE
 *     still works: pond's own statements bind values through variables).
 * Spilling to temp_directory keeps working: DuckDB's buffer manager is not subject to the
 * file-access check.  DuckDB compares paths as text, so a directory must be spelled the way
 * the owner's statements spell the files under it.
 *
 * User SQL is checked twice before it runs: pond_sql_check_select() on the text (by DuckDB's
 * parser alone, so it can judge a query whose tables do not exist yet), and
 * pond_sql_check_prepared() on the prepared statement's type.  Since anything but SELECT is
 * refused, INSTALL, LOAD, ATTACH, COPY, EXPORT, PRAGMA, SET and CALL never run even inside
 * the allowed directories.
 */
#ifndef POND_STORE_SQL_SANDBOX_H
#define POND_STORE_SQL_SANDBOX_H

#include <duckdb.h>
#include <stddef.h>

/* Lock down the database of con (see above): only dirs[0..ndirs) (host paths, each NULL or
 * "" skipped) can be read or written.  Make every setting the database needs first: from
 * here on none can change.  POND_ERROR with DuckDB's message on failure. */
int pond_sql_sandbox_lock(duckdb_connection con, const char *const *dirs, size_t ndirs);

/* Check user sql before it is prepared: exactly one statement, and a query (SELECT,
 * WITH … SELECT, FROM …, VALUES, TABLE, DESCRIBE, SUMMARIZE).  Judged by DuckDB's parser
 * (json_serialize_sql, which binds and runs nothing), so it works before the tables a query
 * names exist.  POND_EINVALID with a message that says what is wrong (a syntax error starts
 * with "Parser Error: ", as DuckDB's own), to be put after the caller's context. */
int pond_sql_check_select(duckdb_connection con, const char *sql);

/* Check a prepared statement made from checked user sql: POND_EINVALID unless its type is
 * SELECT (DuckDB's own classification of the statement it is about to run). */
int pond_sql_check_prepared(duckdb_prepared_statement ps);

#endif
