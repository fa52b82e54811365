/*
 * export/sql_params.c: identifier validation and parameter rewriting for stage SQL
 * (see sql_params.h).
 */
#include <stdlib.h>
#include <string.h>
#include "export/sql_params.h"
#include "store/sql_sandbox.h"
#include "util/error.h"

int pond_export__sql_ident_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 63)
        return 0;
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return 0;
    for (const char *p = s + 1; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return 0;
    return 1;
}

int pond_export__sql_ctas(pond_buf *out, const char *table, const char *sql)
{
    int rc;
    size_t len = strlen(sql);
    while (len > 0 && strchr("; \t\r\n", sql[len - 1]))
        len--;
    pond_buf_clear(out);
    if ((rc = pond_buf_printf(out, "CREATE TABLE \"%s\" AS\n", table)) != POND_OK ||
        (rc = pond_buf_put(out, sql, len)) != POND_OK)
        return rc;
    return pond_buf_puts(out, "\n");
}

int pond_export__sql_prepare_select(duckdb_connection con, const char *sql,
                                    duckdb_prepared_statement *out, pond_buf *msg)
{
    int rc;
    duckdb_prepared_statement st = NULL;

    *out = NULL;
    pond_buf_clear(msg);
    if ((rc = pond_sql_check_select(con, sql)) != POND_OK) {
        pond_export__sql_error_text(msg, pond_error_last());
        return rc;
    }
    if (duckdb_prepare(con, sql, &st) == DuckDBError) {
        pond_export__sql_error_text(msg, duckdb_prepare_error(st));
        duckdb_destroy_prepare(&st);
        return pond_error_set(POND_EINVALID, "%s", msg->ptr);
    }
    if ((rc = pond_sql_check_prepared(st)) != POND_OK) {
        pond_export__sql_error_text(msg, pond_error_last());
        duckdb_destroy_prepare(&st);
        return rc;
    }
    *out = st;
    return POND_OK;
}

int pond_export__sql_error_text(pond_buf *out, const char *msg)
{
    int rc = POND_OK;
    const char *end;
    pond_buf_clear(out);
    if (!msg)
        msg = "unknown error";
    end = strstr(msg, "\n\nLINE ");
    if (!end)
        end = msg + strlen(msg);
    while (end > msg && (end[-1] == '\n' || end[-1] == ' '))
        end--;
    for (const char *p = msg; p < end && rc == POND_OK; p++) {
        if (*p == '\n') {
            if (out->len && out->ptr[out->len - 1] != ' ')
                rc = pond_buf_putc(out, ' ');
        } else {
            rc = pond_buf_putc(out, *p);
        }
    }
    /* DuckDB's guess at a table name is noise when it is one of its own catalog tables. */
    char *dym = strstr(out->ptr, " Did you mean \"");
    if (rc == POND_OK && dym) {
        const char *name = dym + strlen(" Did you mean \"");
        static const char *const sys[] = { "sqlite_", "pg_", "duckdb_", "information_schema",
                                           "temp.", "system.", "main.sqlite", "main.pg_" };
        for (size_t i = 0; i < sizeof sys / sizeof sys[0]; i++)
            if (!strncmp(name, sys[i], strlen(sys[i]))) {
                pond_buf_truncate(out, (size_t)(dym - out->ptr));
                break;
            }
    }
    return rc;
}

static int is_ident_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (unsigned char)c >= 0x80;
}

static int is_ident_char(char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* Length of the quoted run starting at s (s[0] is the quote q); doubled quotes stay inside,
 * and with backslashes a backslash escapes the next byte.  Unterminated: to the end. */
static size_t quoted_len(const char *s, char q, int backslashes)
{
    size_t i = 1;
    for (; s[i]; i++) {
        if (backslashes && s[i] == '\\' && s[i + 1]) {
            i++;
        } else if (s[i] == q) {
            if (s[i + 1] == q) {
                i++;
                continue;
            }
            return i + 1;
        }
    }
    return i;
}

int pond_export__sql_rewrite_params(const char *sql, pond_buf *out)
{
    int rc = POND_OK;
    const char *p = sql;
    pond_buf_clear(out);
    while (*p && rc == POND_OK) {
        size_t n = 1;
        if (*p == '\'') {
            int esc = p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
                      (p - 1 == sql || !is_ident_char(p[-2]));
            n = quoted_len(p, '\'', esc);
        } else if (*p == '"') {
            n = quoted_len(p, '"', 0);
        } else if (p[0] == '-' && p[1] == '-') {
            const char *e = strchr(p, '\n');
            n = e ? (size_t)(e - p) : strlen(p);
        } else if (p[0] == '/' && p[1] == '*') {
            int depth = 1;
            n = 2;
            while (p[n] && depth > 0) {
                if (p[n] == '/' && p[n + 1] == '*') {
                    depth++;
                    n += 2;
                } else if (p[n] == '*' && p[n + 1] == '/') {
                    depth--;
                    n += 2;
                } else {
                    n++;
                }
            }
        } else if (*p == '$' && p[1] >= '0' && p[1] <= '9' && (p == sql || !is_ident_char(p[-1]))) {
            n = 1;
            while (p[n] >= '0' && p[n] <= '9')
                n++;
            rc = pond_buf_puts(out, "$pond_c");
            if (rc == POND_OK)
                rc = pond_buf_put(out, p + 1, n - 1);
            p += n;
            continue;
        } else if (*p == '$' && (p == sql || !is_ident_char(p[-1]))) {
            /* $$…$$ or $tag$…$tag$ is a string; $name is a named parameter. */
            size_t t = 1;
            while (is_ident_char(p[t]) && !(t == 1 && p[t] >= '0' && p[t] <= '9'))
                t++;
            if (p[t] == '$') {
                const char *end = NULL;
                for (const char *q = p + t + 1; *q; q++)
                    if (*q == '$' && strncmp(q, p, t + 1) == 0) {
                        end = q;
                        break;
                    }
                n = end ? (size_t)(end - p) + t + 1 : strlen(p);
            } else {
                n = t;
            }
        } else if (is_ident_char(*p)) {
            while (is_ident_char(p[n]) || p[n] == '$')
                n++;
        }
        rc = pond_buf_put(out, p, n);
        p += n;
    }
    return rc;
}

int pond_export__sql_param_known(const char *name)
{
    if (!name)
        return 0;
    if (!strcmp(name, "pattern") || !strcmp(name, "files"))
        return 1;
    if (strncmp(name, "pond_c", 6) != 0 || !name[6])
        return 0;
    for (const char *p = name + 6; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

/* Bind a VARCHAR[] of files[0..n) to parameter i. */
static duckdb_state bind_list(duckdb_prepared_statement st, idx_t i, const char *const *files,
                              size_t n)
{
    duckdb_state s = DuckDBError;
    duckdb_logical_type t = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
    duckdb_value none[1] = { NULL };
    duckdb_value *vals = n ? calloc(n, sizeof *vals) : none; /* DuckDB wants a non-NULL array */
    duckdb_value list = NULL;
    size_t made = 0;
    if (!vals)
        goto done;
    for (; made < n; made++)
        if (!(vals[made] = duckdb_create_varchar(files[made])))
            goto done;
    if ((list = duckdb_create_list_value(t, vals, (idx_t)n)) != NULL)
        s = duckdb_bind_value(st, i, list);
done:
    for (size_t k = 0; k < made; k++)
        duckdb_destroy_value(&vals[k]);
    if (vals != none)
        free(vals);
    if (list)
        duckdb_destroy_value(&list);
    duckdb_destroy_logical_type(&t);
    return s;
}

int pond_export__sql_bind_params(duckdb_prepared_statement st, const char *pattern,
                                 const char *const *caps, size_t ncaps,
                                 const char *const *files, size_t nfiles)
{
    int rc = POND_OK;
    idx_t n = duckdb_nparams(st);
    for (idx_t i = 1; i <= n && rc == POND_OK; i++) {
        const char *name = duckdb_parameter_name(st, i);
        duckdb_state s = DuckDBSuccess;
        if (!pond_export__sql_param_known(name)) {
            const char *shown = name && !strncmp(name, "pond_c", 6) ? name + 6 : name;
            rc = pond_error_set(POND_EINVALID,
                                "unknown parameter $%s: a query may use $pattern, $files and "
                                "$0, $1…",
                                shown ? shown : "?");
        } else if (!strcmp(name, "pattern")) {
            s = duckdb_bind_varchar(st, i, pattern ? pattern : "");
        } else if (!strcmp(name, "files")) {
            s = bind_list(st, i, files, nfiles);
        } else {
            unsigned long k = strtoul(name + 6, NULL, 10);
            if (k < ncaps && caps[k])
                s = duckdb_bind_varchar(st, i, caps[k]);
            else
                s = duckdb_bind_null(st, i);
        }
        if (rc == POND_OK && s == DuckDBError)
            rc = pond_error_set(POND_ERROR, "cannot bind parameter $%s", name ? name : "?");
        duckdb_free((void *)name);
    }
    return rc;
}
