/* Unit tests for export/sql_params: identifier checks, $0/$pattern rewriting that leaves
 * literals, identifiers and comments alone, and binding on a real DuckDB. */
#include <stdlib.h>
#include "check.h"
#include "export/sql_params.h"
#include "util/error.h"

static char *rewrite(const char *sql)
{
    pond_buf b = POND_BUF_INIT;
    if (pond_export__sql_rewrite_params(sql, &b) != POND_OK)
        return NULL;
    return pond_buf_detach(&b);
}

#define CHECK_REWRITE(in, want)                                                              \
    do {                                                                                     \
        char *got_ = rewrite(in);                                                            \
        CHECK_STR(got_, want);                                                               \
        free(got_);                                                                          \
    } while (0)

TEST(identifiers)
{
    CHECK(pond_export__sql_ident_ok("site_index"));
    CHECK(pond_export__sql_ident_ok("_x9"));
    CHECK(!pond_export__sql_ident_ok("9x"));
    CHECK(!pond_export__sql_ident_ok(""));
    CHECK(!pond_export__sql_ident_ok(NULL));
    CHECK(!pond_export__sql_ident_ok("a b"));
    CHECK(!pond_export__sql_ident_ok("a\"b"));
    CHECK(!pond_export__sql_ident_ok("t; DROP TABLE x"));
}

TEST(rewrites_numbered_parameters_only_in_code)
{
    CHECK_REWRITE("SELECT * FROM t WHERE a = $0 AND b = $12",
                  "SELECT * FROM t WHERE a = $pond_c0 AND b = $pond_c12");
    CHECK_REWRITE("SELECT $pattern, $0", "SELECT $pattern, $pond_c0");
    CHECK_REWRITE("SELECT '$0', 'it''s $1', \"col$0\", $0",
                  "SELECT '$0', 'it''s $1', \"col$0\", $pond_c0");
    CHECK_REWRITE("SELECT E'\\' $0', $1", "SELECT E'\\' $0', $pond_c1");
    CHECK_REWRITE("SELECT 1 -- $0 here\n, $1", "SELECT 1 -- $0 here\n, $pond_c1");
    CHECK_REWRITE("SELECT /* $0 /* nested $1 */ still */ $2",
                  "SELECT /* $0 /* nested $1 */ still */ $pond_c2");
    CHECK_REWRITE("SELECT $$ $0 $$, $tag$ $1 $tag$, $3", "SELECT $$ $0 $$, $tag$ $1 $tag$, $pond_c3");
    CHECK_REWRITE("SELECT a$0 FROM t", "SELECT a$0 FROM t");
    CHECK_REWRITE("SELECT 'unterminated $0", "SELECT 'unterminated $0");
    CHECK_REWRITE("", "");
}

static duckdb_database db;
static duckdb_connection con;

/* Prepare the rewritten sql, bind, run, and return the first value as text (malloc'd). */
static const char *const *files;
static size_t nfiles;

static char *run(const char *sql, const char *pattern, const char *const *caps, size_t n,
                 int *rc_out)
{
    char *text = NULL, *rewritten = rewrite(sql);
    duckdb_prepared_statement st = NULL;
    duckdb_result res;
    *rc_out = POND_OK;
    if (duckdb_prepare(con, rewritten, &st) == DuckDBError) {
        fprintf(stderr, "prepare: %s\n", duckdb_prepare_error(st));
        *rc_out = POND_ERROR;
        goto done;
    }
    if ((*rc_out = pond_export__sql_bind_params(st, pattern, caps, n, files, nfiles)) != POND_OK)
        goto done;
    if (duckdb_execute_prepared(st, &res) == DuckDBError) {
        fprintf(stderr, "execute: %s\n", duckdb_result_error(&res));
        *rc_out = POND_ERROR;
    } else {
        text = duckdb_value_is_null(&res, 0, 0) ? strdup("NULL") : duckdb_value_varchar(&res, 0, 0);
    }
    duckdb_destroy_result(&res);
done:
    duckdb_destroy_prepare(&st);
    free(rewritten);
    return text;
}

TEST(binds_pattern_and_captures_as_values)
{
    int rc;
    const char *caps[] = { "O'Brien \"dock\"", "res=1d" };
    char *v = run("SELECT $pattern || '|' || $0 || '|' || $1 || '|' || '$0'", "/sites/*/*.series",
                  caps, 2, &rc);
    CHECK(rc == POND_OK);
    CHECK_STR(v, "/sites/*/*.series|O'Brien \"dock\"|res=1d|$0");
    free(v);
    /* the same capture twice, and one beyond the captures given: NULL */
    v = run("SELECT ($0 = $0) AND $5 IS NULL", "p", caps, 1, &rc);
    CHECK(rc == POND_OK);
    CHECK_STR(v, "true");
    free(v);
    v = run("SELECT count(*) FROM (VALUES ('O''Brien \"dock\"'), ('x')) t(a) WHERE a = $0", "p",
            caps, 2, &rc);
    CHECK_STR(v, "1");
    free(v);
}

TEST(binds_files_as_a_list)
{
    int rc;
    const char *f[] = { "/a/x.parquet", "/b/it's.parquet" };
    files = f;
    nfiles = 2;
    char *v = run("SELECT len($files) || ':' || $files[2]", "p", NULL, 0, &rc);
    CHECK(rc == POND_OK);
    CHECK_STR(v, "2:/b/it's.parquet");
    free(v);
    nfiles = 0;
    v = run("SELECT len($files)", "p", NULL, 0, &rc);
    CHECK_STR(v, "0");
    free(v);
    files = NULL;
}

TEST(unknown_parameter_is_refused)
{
    int rc;
    char *v = run("SELECT $nosuch", "p", NULL, 0, &rc);
    CHECK(v == NULL);
    CHECK(rc == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "$nosuch") != NULL);
}

int main(void)
{
    if (duckdb_open(NULL, &db) == DuckDBError || duckdb_connect(db, &con) == DuckDBError)
        return 1;
    RUN(identifiers);
    RUN(rewrites_numbered_parameters_only_in_code);
    RUN(binds_pattern_and_captures_as_values);
    RUN(binds_files_as_a_list);
    RUN(unknown_parameter_is_refused);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return check_done();
}
