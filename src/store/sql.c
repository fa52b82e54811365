/*
 * store/sql.c: the one helper for statements on the catalog (SQLite): prepare, bind ?1, ?2 …
 * from a list of values, step, read columns, finalize, and turn SQLite's errors into pond
 * errors.  Every failure copies sqlite3_errmsg into the pond error before the statement is
 * finalized.  Corruption (SQLITE_CORRUPT, SQLITE_NOTADB) names the catalog, says to run
 * pond check and marks the handle, so that no transaction commits on a damaged catalog.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

int store_sql_fail(pond *p, int src, const char *what)
{
    const char *msg = p->cat ? sqlite3_errmsg(p->cat) : sqlite3_errstr(src);

    switch (src & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        p->corrupt = 1;
        return pond_error_set(POND_ECORRUPT, "%s: the catalog '%s' is damaged (%s): run 'pond check'",
                              what, p->catalog_path, msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return pond_error_set(POND_EBUSY, "%s: the catalog '%s' is locked (%s)", what,
                              p->catalog_path, msg);
    case SQLITE_NOMEM: return pond_error_oom();
    case SQLITE_READONLY:
        return pond_error_set(POND_ERROR, "%s: pond '%s' is read-only (%s)", what, p->path, msg);
    default: return pond_error_set(POND_ERROR, "%s: %s", what, msg);
    }
}

static int bind(store_stmt *st, const store_arg *args, size_t nargs)
{
    size_t i;
    int src = SQLITE_OK;

    for (i = 0; i < nargs && src == SQLITE_OK; i++) {
        int at = (int)i + 1;
        if (args[i].type == STORE_ARG_INT)
            src = sqlite3_bind_int64(st->st, at, args[i].i);
        else if (args[i].type == STORE_ARG_TEXT && args[i].s)
            src = sqlite3_bind_text(st->st, at, args[i].s, -1, SQLITE_TRANSIENT);
        else
            src = sqlite3_bind_null(st->st, at);
    }
    return src == SQLITE_OK ? POND_OK : store_sql_fail(st->p, src, st->what);
}

int store_sql_query(pond *p, store_stmt *st, const char *what, const char *sql,
                    const store_arg *args, size_t nargs)
{
    int src, rc;

    st->p = p;
    st->st = NULL;
    st->what = what;
    if ((src = sqlite3_prepare_v2(p->cat, sql, -1, &st->st, NULL)) != SQLITE_OK) {
        rc = store_sql_fail(p, src, what);
        store_sql_close(st);
        return rc;
    }
    if ((rc = bind(st, args, nargs)) < 0)
        store_sql_close(st);
    return rc;
}

int store_sql_next(store_stmt *st)
{
    int src;

    if (!st->st)
        return 0;
    src = sqlite3_step(st->st);
    if (src == SQLITE_ROW)
        return 1;
    if (src == SQLITE_DONE)
        return 0;
    return store_sql_fail(st->p, src, st->what);
}

int64_t store_sql_int(store_stmt *st, int col)
{
    return (int64_t)sqlite3_column_int64(st->st, col);
}

int store_sql_is_null(store_stmt *st, int col)
{
    return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

const char *store_sql_text(store_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st->st, col);
}

int store_sql_dup(store_stmt *st, int col, char **out)
{
    const char *s = store_sql_text(st, col);
    size_t n;

    *out = NULL;
    if (!s) {
        if (sqlite3_errcode(st->p->cat) == SQLITE_NOMEM)
            return pond_error_oom();
        return POND_OK;
    }
    n = (size_t)sqlite3_column_bytes(st->st, col);
    if (!(*out = malloc(n + 1)))
        return pond_error_oom();
    memcpy(*out, s, n);
    (*out)[n] = '\0';
    return POND_OK;
}

void store_sql_close(store_stmt *st)
{
    if (st && st->st) {
        sqlite3_finalize(st->st);
        st->st = NULL;
    }
}

int store_sql_run(pond *p, const char *what, const char *sql, const store_arg *args,
                  size_t nargs)
{
    store_stmt st;
    int rc;

    if ((rc = store_sql_query(p, &st, what, sql, args, nargs)) < 0)
        return rc;
    while ((rc = store_sql_next(&st)) == 1)
        ;
    store_sql_close(&st);
    return rc;
}

int store_sql_int_query(pond *p, const char *what, const char *sql, const store_arg *args,
                        size_t nargs, int64_t dflt, int64_t *out)
{
    store_stmt st;
    int rc;

    *out = dflt;
    if ((rc = store_sql_query(p, &st, what, sql, args, nargs)) < 0)
        return rc;
    if ((rc = store_sql_next(&st)) == 1) {
        if (!store_sql_is_null(&st, 0))
            *out = store_sql_int(&st, 0);
        rc = POND_OK;
    }
    store_sql_close(&st);
    return rc;
}

int store_sql_exec(pond *p, const char *what, const char *sql)
{
    int src = sqlite3_exec(p->cat, sql, NULL, NULL, NULL);
    return src == SQLITE_OK ? POND_OK : store_sql_fail(p, src, what);
}
