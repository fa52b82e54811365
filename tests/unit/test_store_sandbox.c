/*
 * tests/unit/test_store_sandbox.c: the SQL sandbox (store/sql_sandbox.h) against a real
 * DuckDB: what a locked database can still read and write, what it refuses, that nothing is
 * written where it refuses, and which statements the SELECT checks let through.
 */
#include <duckdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "store/sql_sandbox.h"
#include "test_store_util.h"
#include "util/error.h"

static char root[256], allowed[300], other[300];
static duckdb_database db;
static duckdb_connection con;
static char last_error[2048];

/* Run sql (built printf-style); 1 on success, 0 with DuckDB's message in last_error. */
static int ok(const char *fmt, ...) POND_PRINTF(1, 2);
static int ok(const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    duckdb_result res;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    int good = duckdb_query(con, sql, &res) != DuckDBError;
    snprintf(last_error, sizeof last_error, "%s", good ? "" : duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    return good;
}

static int exists(const char *in, const char *name)
{
    char path[600];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", in, name);
    return stat(path, &st) == 0;
}

static void open_locked(void)
{
    const char *dirs[] = { allowed, NULL, "" };
    CHECK(duckdb_open(NULL, &db) == DuckDBSuccess);
    CHECK(duckdb_connect(db, &con) == DuckDBSuccess);
    /* The owner's settings come first: after the lock none can change. */
    CHECK(ok("SET TimeZone = 'UTC'"));
    CHECK(pond_sql_sandbox_lock(con, dirs, 3) == POND_OK);
}

static void close_db(void)
{
    duckdb_disconnect(&con);
    duckdb_close(&db);
}

TEST(allowed_directory_reads_and_writes)
{
    open_locked();
    CHECK(ok("COPY (SELECT 42 AS a) TO '%s/t.parquet' (FORMAT PARQUET)", allowed));
    CHECK(exists(allowed, "t.parquet"));
    CHECK(ok("SELECT a FROM read_parquet('%s/t.parquet')", allowed));
    CHECK(ok("SELECT count(*) FROM glob('%s/*')", allowed));
    CHECK(ok("SET VARIABLE pond_x = 1") && ok("SELECT getvariable('pond_x')"));
    CHECK(ok("RESET VARIABLE pond_x"));
    close_db();
}

TEST(everything_else_is_refused)
{
    open_locked();
    CHECK(!ok("SELECT * FROM read_csv('/etc/passwd')"));
    CHECK(strstr(last_error, "Permission Error") != NULL);
    CHECK(!ok("SELECT * FROM read_text('%s/secret.txt')", other));
    CHECK(!ok("SELECT * FROM read_text('%s/../other/secret.txt')", allowed));
    CHECK(!ok("SELECT * FROM glob('%s/*')", other));
    CHECK(!ok("COPY (SELECT 1 AS a) TO '%s/x.csv'", other));
    CHECK(!exists(other, "x.csv"));
    CHECK(!ok("ATTACH '%s/x.duckdb' AS x", other));
    CHECK(!exists(other, "x.duckdb"));
    CHECK(!ok("EXPORT DATABASE '%s/exp'", other));
    CHECK(!exists(other, "exp"));
    CHECK(!ok("LOAD httpfs"));
    CHECK(!ok("INSTALL httpfs"));
    /* Nothing undoes the lock. */
    CHECK(!ok("SET enable_external_access = true"));
    CHECK(!ok("SET allowed_directories = ['/']"));
    CHECK(!ok("SET lock_configuration = false"));
    CHECK(strstr(last_error, "locked") != NULL);
    CHECK(!ok("RESET lock_configuration"));
    CHECK(!ok("PRAGMA enable_external_access"));
    CHECK(!ok("SET TimeZone = 'America/Los_Angeles'"));
    CHECK(!ok("SELECT * FROM read_csv('/etc/passwd')"));
    close_db();
}

TEST(spilling_still_works)
{
    /* temp_directory outside the allowed directories: the buffer manager is not checked. */
    CHECK(duckdb_open(NULL, &db) == DuckDBSuccess);
    CHECK(duckdb_connect(db, &con) == DuckDBSuccess);
    CHECK(ok("SET memory_limit = '24MB'") && ok("SET threads = 1"));
    CHECK(ok("SET temp_directory = '%s/spill'", other));
    CHECK(pond_sql_sandbox_lock(con, (const char *const[]){ allowed }, 1) == POND_OK);
    CHECK(ok("CREATE TABLE t AS SELECT range AS a, repeat('x', 40) || range AS b "
             "FROM range(1500000)"));
    CHECK(ok("SELECT count(*) FROM (SELECT * FROM t ORDER BY b DESC)"));
    duckdb_result res;
    CHECK(duckdb_query(con, "SELECT count(*) FROM duckdb_temporary_files()", &res) ==
          DuckDBSuccess);
    CHECK(duckdb_value_int64(&res, 0, 0) > 0); /* the table did not fit: it spilled */
    duckdb_destroy_result(&res);
    close_db();
}

static int select_rc(const char *sql)
{
    return pond_sql_check_select(con, sql);
}

TEST(check_select)
{
    open_locked();
    CHECK(ok("CREATE TABLE t AS SELECT 1 AS a"));
    const char *good[] = {
        "SELECT 1", "  select a from t;", "WITH x AS (SELECT 1) SELECT * FROM x", "FROM t",
        "VALUES (1)", "TABLE t", "DESCRIBE t", "SUMMARIZE t", "(SELECT 1) UNION (SELECT 2)",
        "SELECT * FROM read_parquet($files)", "SELECT $pattern, $pond_c0 -- comment",
        "SELECT * FROM not_yet_made",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int rc = select_rc(good[i]);
        if (rc != POND_OK)
            fprintf(stderr, "refused '%s': %s\n", good[i], pond_error_last());
        CHECK(rc == POND_OK);
    }
    struct { const char *sql, *msg; } bad[] = {
        { "COPY t TO '/tmp/x.csv'", "COPY is not allowed" },
        { "-- lead\n /* c */ ATTACH 'x.duckdb'", "ATTACH is not allowed" },
        { "INSTALL httpfs", "INSTALL is not allowed" },
        { "LOAD httpfs", "LOAD is not allowed" },
        { "EXPORT DATABASE 'x'", "EXPORT is not allowed" },
        { "PRAGMA version", "PRAGMA is not allowed" },
        { "SET enable_external_access = true", "SET is not allowed" },
        { "CALL pragma_version()", "CALL is not allowed" },
        { "INSERT INTO t VALUES (2)", "INSERT is not allowed" },
        { "CREATE TABLE u AS SELECT 1", "CREATE is not allowed" },
        { "SELECT 1; SELECT 2", "only one statement may run here, not 2" },
        { "SELECT 1; COPY t TO 'x'", "only a read-only query" },
        { "", "no SQL statement" },
        { " ; -- nothing", "no SQL statement" },
        { "SELEC 1", "Parser Error: syntax error at or near \"SELEC\"" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = select_rc(bad[i].sql);
        CHECK(rc == POND_EINVALID);
        if (!strstr(pond_error_last(), bad[i].msg))
            fprintf(stderr, "'%s': got '%s', want '%s'\n", bad[i].sql, pond_error_last(),
                    bad[i].msg);
        CHECK(strstr(pond_error_last(), bad[i].msg) != NULL);
    }
    close_db();
}

TEST(check_prepared)
{
    duckdb_prepared_statement ps = NULL;
    open_locked();
    CHECK(duckdb_prepare(con, "SELECT 1", &ps) == DuckDBSuccess);
    CHECK(pond_sql_check_prepared(ps) == POND_OK);
    duckdb_destroy_prepare(&ps);
    CHECK(duckdb_prepare(con, "CALL pragma_version()", &ps) == DuckDBSuccess);
    CHECK(pond_sql_check_prepared(ps) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "CALL is not allowed") != NULL);
    duckdb_destroy_prepare(&ps);
    CHECK(duckdb_prepare(con, "SET VARIABLE x = 1", &ps) == DuckDBSuccess);
    CHECK(pond_sql_check_prepared(ps) == POND_EINVALID);
    duckdb_destroy_prepare(&ps);
    close_db();
}

int main(void)
{
    tmpdir(root, sizeof root);
    snprintf(allowed, sizeof allowed, "%s/allowed", root);
    snprintf(other, sizeof other, "%s/other", root);
    if (mkdir(allowed, 0700) != 0 || mkdir(other, 0700) != 0)
        return 2;
    char secret[400];
    snprintf(secret, sizeof secret, "%s/secret.txt", other);
    write_file(secret, "secret\n");
    RUN(allowed_directory_reads_and_writes);
    RUN(everything_else_is_refused);
    RUN(spilling_still_works);
    RUN(check_select);
    RUN(check_prepared);
    rm_rf(root);
    return check_done();
}
