/*
 * store/csv_read.c: how DuckDB's read_csv is asked to read a CSV source: the options of
 * pond_copy_options (delimiter, decimal separator, null strings, skipped lines, timestamp
 * format) checked, then handed to DuckDB as bound variables (never as SQL text), together
 * with what store/csv_check.c found (the delimiter, gzip), so that the check and the reader
 * see the same file.
 *
 * A DuckDB 1.4 sniffer given a timestamp format types a column in which some values do not
 * match it as TIMESTAMP WITH TIME ZONE and reads every value as NULL; without that type among
 * the candidates such a column stays VARCHAR, its text kept.  So with a timestamp format
 * (unless it has a zone, %z or %Z) the candidates are DuckDB's others.
 */
#include "store/store_int.h"

#include <string.h>

static int is_bad_byte(char c)
{
    return c == '"' || c == '\r' || c == '\n';
}

int store_csv_options_check(const pond_copy_options *o)
{
    if (o->delimiter && (is_bad_byte(o->delimiter) || (unsigned char)o->delimiter >= 0x80))
        return pond_error_set(POND_EINVALID,
                              "the delimiter is one ASCII character other than '\"', CR and LF");
    if (o->decimal_separator && o->decimal_separator != '.' && o->decimal_separator != ',')
        return pond_error_set(POND_EINVALID, "the decimal separator is '.' or ',', not '%c'",
                              o->decimal_separator);
    if (o->decimal_separator && o->decimal_separator == o->delimiter)
        return pond_error_set(POND_EINVALID,
                              "the decimal separator '%c' cannot also be the delimiter",
                              o->decimal_separator);
    if (o->skip_lines < 0)
        return pond_error_set(POND_EINVALID, "the lines to skip cannot be negative");
    if (o->nnull_strings && !o->null_strings)
        return pond_error_set(POND_EINVALID, "null_strings is NULL but nnull_strings is %zu",
                              o->nnull_strings);
    for (size_t i = 0; i < o->nnull_strings; i++) {
        const char *s = o->null_strings[i];
        if (!s || strpbrk(s, "\"\r\n") || (o->delimiter && strchr(s, o->delimiter)))
            return pond_error_set(POND_EINVALID,
                                  "the null string '%s' cannot hold '\"', CR, LF or the "
                                  "delimiter",
                                  s ? s : "(null)");
    }
    if (o->timestamp_format && !*o->timestamp_format)
        return pond_error_set(POND_EINVALID, "the timestamp format is empty");
    return POND_OK;
}

int store_csv_has_options(const pond_copy_options *o)
{
    return o->delimiter || o->decimal_separator || o->nnull_strings || o->skip_lines ||
           o->timestamp_format;
}

/* SET VARIABLE name = <expr over $1> with value bound. */
static int set_var(pond *p, const char *sql, const char *value)
{
    const char *params[1] = {value};
    return store_work_run(p, POND_ERROR, "cannot set up the CSV reader", sql, params,
                          value ? 1 : 0, NULL);
}

int store_csv_read_expr(pond *p, const pond_copy_options *o, const store_csv_dialect *d,
                        int typed, pond_buf *expr)
{
    char delim[2] = {d->delimiter, 0}, dec[2] = {o->decimal_separator ? o->decimal_separator : '.', 0};
    char skip[32];
    const char *fmt = o->timestamp_format;
    int rc;

    snprintf(skip, sizeof skip, "%lld", (long long)d->skip);
    if ((rc = set_var(p, "SET VARIABLE pond_csv_delim = $1", delim)) < 0 ||
        (rc = set_var(p, "SET VARIABLE pond_csv_decimal = $1", dec)) < 0 ||
        (rc = set_var(p, "SET VARIABLE pond_csv_skip = $1::BIGINT", skip)) < 0 ||
        (rc = set_var(p, "SET VARIABLE pond_csv_nulls = ['']::VARCHAR[]", NULL)) < 0)
        return rc;
    for (size_t i = 0; i < o->nnull_strings; i++)
        if ((rc = set_var(p,
                          "SET VARIABLE pond_csv_nulls = "
                          "list_append(getvariable('pond_csv_nulls'), $1)",
                          o->null_strings[i])) < 0)
            return rc;
    if (fmt && (rc = set_var(p, "SET VARIABLE pond_csv_tsformat = $1", fmt)) < 0)
        return rc;
    /* Only fixed text below: the user's values are in the variables. */
    rc = pond_buf_printf(expr,
                         "read_csv($1, header = true, quote = '\"', escape = '\"', "
                         "compression = '%s', skip = getvariable('pond_csv_skip'), "
                         "delim = getvariable('pond_csv_delim'), "
                         "decimal_separator = getvariable('pond_csv_decimal'), "
                         "nullstr = getvariable('pond_csv_nulls')",
                         d->gzip ? "gzip" : "none");
    if (!rc && fmt)
        rc = pond_buf_puts(expr, ", timestampformat = getvariable('pond_csv_tsformat')");
    if (!rc && fmt && !strstr(fmt, "%z") && !strstr(fmt, "%Z"))
        rc = pond_buf_puts(expr, ", auto_type_candidates = ['BOOLEAN', 'BIGINT', 'DOUBLE', "
                                 "'TIME', 'DATE', 'TIMESTAMP', 'VARCHAR']");
    if (!rc && typed)
        rc = pond_buf_puts(expr, ", types = getvariable('pond_csv_types')");
    if (!rc)
        rc = pond_buf_putc(expr, ')');
    return rc;
}

int store_csv_timestamp_error(pond *p, const char *src, const char *shown,
                              const pond_copy_options *o, const store_csv_dialect *d,
                              size_t column, size_t ncolumns)
{
    pond_buf expr = POND_BUF_INIT, sql = POND_BUF_INIT, ctx = POND_BUF_INIT;
    const char *params[1] = {src};
    int rc;

    if ((rc = set_var(p, "SET VARIABLE pond_csv_types = []::VARCHAR[]", NULL)) < 0)
        goto done;
    for (size_t i = 0; i < ncolumns; i++)
        if ((rc = set_var(p,
                          "SET VARIABLE pond_csv_types = "
                          "list_append(getvariable('pond_csv_types'), $1)",
                          i == column ? "TIMESTAMP" : "VARCHAR")) < 0)
            goto done;
    if ((rc = store_csv_read_expr(p, o, d, 1, &expr)) < 0 ||
        (rc = pond_buf_printf(&sql, "SELECT min(COLUMNS(*)) FROM %s", expr.ptr)) < 0 ||
        (rc = pond_buf_printf(&ctx, "cannot read CSV '%s'", shown)) < 0)
        goto done;
    rc = store_work_run(p, POND_EINVALID, ctx.ptr, sql.ptr, params, 1, NULL);
done:
    pond_buf_free(&ctx);
    pond_buf_free(&expr);
    pond_buf_free(&sql);
    return rc;
}
