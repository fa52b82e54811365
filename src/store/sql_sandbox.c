/*
 * store/sql_sandbox.c: locking a DuckDB database down and checking that user SQL is one
 * read-only SELECT (see sql_sandbox.h).
 */
#include "store/sql_sandbox.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"

/* Settings that need no value from the caller, in the order DuckDB accepts them: every
 * extension switch before external access goes off, and the lock last (run after
 * allowed_directories and enable_external_access below). */
static const char *const before_sql[] = {
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET allow_community_extensions = false",
    "SET allow_persistent_secrets = false",
};

static int exec(duckdb_connection con, const char *sql)
{
    duckdb_result res;
    int rc = POND_OK;
    if (duckdb_query(con, sql, &res) == DuckDBError)
        rc = pond_error_set(POND_ERROR, "cannot lock down the sql database ('%s'): %s", sql,
                            duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    return rc;
}

/* SET allowed_directories = [dirs…], the list bound as one value. */
static int set_allowed(duckdb_connection con, const char *const *dirs, size_t ndirs)
{
    int rc = POND_OK;
    duckdb_prepared_statement st = NULL;
    duckdb_logical_type vt = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
    duckdb_value *items = calloc(ndirs ? ndirs : 1, sizeof *items);
    duckdb_value list = NULL;
    duckdb_result res;
    size_t n = 0;

    if (!vt || !items) {
        rc = pond_error_oom();
        goto done;
    }
    for (size_t i = 0; i < ndirs; i++)
        if (dirs[i] && *dirs[i])
            items[n++] = duckdb_create_varchar(dirs[i]);
    if (!(list = duckdb_create_list_value(vt, items, (idx_t)n))) {
        rc = pond_error_oom();
        goto done;
    }
    if (duckdb_prepare(con, "SET allowed_directories = $1", &st) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot lock down the sql database: %s",
                            duckdb_prepare_error(st));
        goto done;
    }
    duckdb_bind_value(st, 1, list);
    if (duckdb_execute_prepared(st, &res) == DuckDBError)
        rc = pond_error_set(POND_ERROR, "cannot lock down the sql database: %s",
                            duckdb_result_error(&res));
    duckdb_destroy_result(&res);
done:
    duckdb_destroy_prepare(&st);
    if (list)
        duckdb_destroy_value(&list);
    for (size_t i = 0; i < n; i++)
        duckdb_destroy_value(&items[i]);
    free(items);
    if (vt)
        duckdb_destroy_logical_type(&vt);
    return rc;
}

int pond_sql_sandbox_lock(duckdb_connection con, const char *const *dirs, size_t ndirs)
{
    int rc;
    for (size_t i = 0; i < sizeof before_sql / sizeof before_sql[0]; i++)
        if ((rc = exec(con, before_sql[i])) != POND_OK)
            return rc;
    /* allowed_directories can only be set while external access is still on. */
    if ((rc = set_allowed(con, dirs, ndirs)) != POND_OK ||
        (rc = exec(con, "SET enable_external_access = false")) != POND_OK)
        return rc;
    return exec(con, "SET lock_configuration = true");
}

/* The first keyword of sql (after blanks, comments and '('), upper-cased, into word[n]. */
static void lead_word(const char *sql, char *word, size_t n)
{
    const char *p = sql;
    size_t k = 0;
    for (;;) {
        while (*p && (isspace((unsigned char)*p) || *p == '('))
            p++;
        if (p[0] == '-' && p[1] == '-') {
            p += strcspn(p, "\n");
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
        } else {
            break;
        }
    }
    while (k + 1 < n && (isalpha((unsigned char)p[k]) || p[k] == '_')) {
        word[k] = (char)toupper((unsigned char)p[k]);
        k++;
    }
    word[k] = '\0';
}

/* 1 if word starts a query (the statements DuckDB's parser takes as SELECT). */
static int query_word(const char *word)
{
    static const char *const q[] = { "SELECT", "WITH",   "FROM",      "VALUES", "TABLE",
                                     "DESCRIBE", "SUMMARIZE", "SHOW", "PIVOT", "UNPIVOT" };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        if (!strcmp(word, q[i]))
            return 1;
    return 0;
}

/* The refusal, naming the statement kind when it is known ("COPY"). */
static int not_a_query(const char *what)
{
    if (what && *what)
        return pond_error_set(POND_EINVALID,
                              "only a read-only query (one SELECT, or WITH … SELECT) may run "
                              "here: %s is not allowed",
                              what);
    return pond_error_set(POND_EINVALID,
                          "only a read-only query (one SELECT, or WITH … SELECT) may run here");
}

int pond_sql_check_select(duckdb_connection con, const char *sql)
{
    int rc = POND_OK;
    duckdb_prepared_statement st = NULL;
    duckdb_result res;
    int have_res = 0;
    char *type = NULL, *msg = NULL;

    if (!sql)
        return pond_error_set(POND_EINVALID, "no SQL statement");
    /* json_serialize_sql parses (and only parses) its argument; for anything but SELECT
     * statements it reports an error of type "not implemented". */
    if (duckdb_prepare(con,
                       "SELECT coalesce((j->>'error')::BOOLEAN, false), j->>'error_type', "
                       "j->>'error_message', json_array_length(j->'statements') "
                       "FROM (SELECT json_serialize_sql($1::VARCHAR) AS j)",
                       &st) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot check the sql: %s", duckdb_prepare_error(st));
        goto done;
    }
    if (duckdb_bind_varchar(st, 1, sql) == DuckDBError) {
        rc = pond_error_set(POND_EINVALID, "the sql is not valid UTF-8");
        goto done;
    }
    have_res = 1;
    if (duckdb_execute_prepared(st, &res) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot check the sql: %s", duckdb_result_error(&res));
        goto done;
    }
    if (duckdb_value_boolean(&res, 0, 0)) {
        type = duckdb_value_varchar(&res, 1, 0);
        msg = duckdb_value_varchar(&res, 2, 0);
        if (type && !strcmp(type, "parser")) {
            rc = pond_error_set(POND_EINVALID, "Parser Error: %s", msg ? msg : "syntax error");
        } else if (type && !strcmp(type, "not implemented")) {
            char word[16];
            lead_word(sql, word, sizeof word);
            rc = not_a_query(query_word(word) ? NULL : word);
        } else {
            rc = pond_error_set(POND_EINVALID, "%s", msg ? msg : "cannot parse the sql");
        }
        goto done;
    }
    int64_t n = duckdb_value_int64(&res, 3, 0);
    if (n == 0)
        rc = pond_error_set(POND_EINVALID, "no SQL statement");
    else if (n != 1)
        rc = pond_error_set(POND_EINVALID, "only one statement may run here, not %lld",
                            (long long)n);
done:
    duckdb_free(type);
    duckdb_free(msg);
    if (have_res)
        duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&st);
    return rc;
}

int pond_sql_check_prepared(duckdb_prepared_statement ps)
{
    static const char *const names[] = {
        [DUCKDB_STATEMENT_TYPE_INSERT] = "INSERT",   [DUCKDB_STATEMENT_TYPE_UPDATE] = "UPDATE",
        [DUCKDB_STATEMENT_TYPE_EXPLAIN] = "EXPLAIN", [DUCKDB_STATEMENT_TYPE_DELETE] = "DELETE",
        [DUCKDB_STATEMENT_TYPE_PREPARE] = "PREPARE", [DUCKDB_STATEMENT_TYPE_CREATE] = "CREATE",
        [DUCKDB_STATEMENT_TYPE_EXECUTE] = "EXECUTE", [DUCKDB_STATEMENT_TYPE_ALTER] = "ALTER",
        [DUCKDB_STATEMENT_TYPE_TRANSACTION] = "BEGIN/COMMIT",
        [DUCKDB_STATEMENT_TYPE_COPY] = "COPY",       [DUCKDB_STATEMENT_TYPE_ANALYZE] = "ANALYZE",
        [DUCKDB_STATEMENT_TYPE_VARIABLE_SET] = "SET VARIABLE",
        [DUCKDB_STATEMENT_TYPE_CREATE_FUNC] = "CREATE FUNCTION",
        [DUCKDB_STATEMENT_TYPE_DROP] = "DROP",       [DUCKDB_STATEMENT_TYPE_EXPORT] = "EXPORT",
        [DUCKDB_STATEMENT_TYPE_PRAGMA] = "PRAGMA",   [DUCKDB_STATEMENT_TYPE_VACUUM] = "VACUUM",
        [DUCKDB_STATEMENT_TYPE_CALL] = "CALL",       [DUCKDB_STATEMENT_TYPE_SET] = "SET",
        [DUCKDB_STATEMENT_TYPE_LOAD] = "LOAD",       [DUCKDB_STATEMENT_TYPE_ATTACH] = "ATTACH",
        [DUCKDB_STATEMENT_TYPE_DETACH] = "DETACH",
    };
    duckdb_statement_type t = duckdb_prepared_statement_type(ps);

    if (t == DUCKDB_STATEMENT_TYPE_SELECT)
        return POND_OK;
    return not_a_query((size_t)t < sizeof names / sizeof names[0] ? names[t] : NULL);
}
