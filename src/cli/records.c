/*
 * cli/records.c: the machine-readable output of list, describe, show and check (--format csv
 * or json), one record at a time, so nothing is held beyond the record being written.
 *
 *   csv   a header line of the column names, then one RFC 4180 record per row (a field is
 *         quoted when it holds ',', '"', CR or LF; NULL is an empty field), as pond cat writes
 *   json  one JSON array of objects, one object a line, as pond cat writes: times as ISO-8601
 *         UTC strings, numbers as JSON numbers, NULL as null, nested values (a schema, a
 *         transaction's variables) as JSON
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void cli_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    putc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', out);
        putc(*s, out);
    }
    putc('"', out);
}

json_t *cli_json_str(const char *s)
{
    json_t *v;
    char *copy;
    size_t n;

    if (!s)
        return json_null();
    if ((v = json_string(s)))
        return v;
    /* not UTF-8 (a command line may hold any bytes): each byte that breaks it becomes '?' */
    n = strlen(s);
    if (!(copy = malloc(n + 1)))
        return NULL;
    memcpy(copy, s, n + 1);
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        unsigned char c = (unsigned char)copy[i];
        if (c >= 0xC2 && c <= 0xF4)
            len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (c >= 0x80 && (len == 1 || i + len > n || !json_stringn(copy + i, len))) {
            copy[i++] = '?';
            continue;
        }
        i += len;
    }
    v = json_string(copy);
    free(copy);
    return v;
}

void cli_json_write(FILE *out, json_t *value)
{
    if (!value || json_dumpf(value, out, JSON_COMPACT | JSON_ENCODE_ANY) != 0)
        fputs("null", out);
    json_decref(value);
}

void cli_records_begin(cli_records *r, cli_format format, FILE *out,
                       const char *const *columns, size_t ncolumns)
{
    memset(r, 0, sizeof *r);
    r->format = format;
    r->out = out;
    r->columns = columns;
    r->ncolumns = ncolumns;
    if (format == CLI_FORMAT_CSV) {
        for (size_t i = 0; i < ncolumns; i++) {
            if (i)
                putc(',', out);
            cli_csv_field(out, columns[i]);
        }
        putc('\n', out);
    } else if (format == CLI_FORMAT_JSON) {
        putc('[', out);
    }
}

/* The next field of the current row: value (stolen) for JSON; text (NULL: empty) for CSV. */
static void put_field(cli_records *r, json_t *value, const char *text)
{
    size_t col = r->col++;
    if (col >= r->ncolumns) { /* a caller's mistake: more fields than columns */
        json_decref(value);
        return;
    }
    if (r->format == CLI_FORMAT_JSON) {
        if (!r->row)
            r->row = json_object();
        if (r->row)
            json_object_set_new(r->row, r->columns[col], value ? value : json_null());
        else
            json_decref(value);
        return;
    }
    json_decref(value);
    if (col)
        putc(',', r->out);
    if (text)
        cli_csv_field(r->out, text);
}

void cli_records_str(cli_records *r, const char *s)
{
    put_field(r, r->format == CLI_FORMAT_JSON && s ? cli_json_str(s) : NULL, s);
}

void cli_records_null(cli_records *r)
{
    put_field(r, NULL, NULL);
}

void cli_records_int(cli_records *r, int64_t v)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)v);
    put_field(r, r->format == CLI_FORMAT_JSON ? json_integer((json_int_t)v) : NULL, text);
}

void cli_records_time(cli_records *r, int64_t t)
{
    char text[48];
    cli_format_time(text, sizeof text, t);
    put_field(r, r->format == CLI_FORMAT_JSON ? json_string(text) : NULL, text);
}

void cli_records_json(cli_records *r, const char *json_text)
{
    json_t *v = NULL;
    if (json_text && r->format == CLI_FORMAT_JSON) {
        json_error_t err;
        /* JSON the library wrote; should it not parse, it is kept as a string */
        if (!(v = json_loads(json_text, JSON_DECODE_ANY, &err)))
            v = cli_json_str(json_text);
    }
    put_field(r, v, json_text);
}

void cli_records_value(cli_records *r, json_t *value)
{
    char *text = NULL;
    if (r->format == CLI_FORMAT_CSV && value)
        text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    put_field(r, r->format == CLI_FORMAT_JSON ? value : NULL, text);
    if (r->format != CLI_FORMAT_JSON)
        json_decref(value);
    free(text);
}

void cli_records_row_end(cli_records *r)
{
    while (r->col < r->ncolumns)
        cli_records_null(r);
    if (r->format == CLI_FORMAT_JSON) {
        fputs(r->rows ? ",\n" : "\n", r->out);
        cli_json_write(r->out, r->row);
        r->row = NULL;
    } else if (r->format == CLI_FORMAT_CSV) {
        putc('\n', r->out);
    }
    r->rows++;
    r->col = 0;
}

int cli_records_end(cli_records *r)
{
    json_decref(r->row);
    r->row = NULL;
    if (r->format == CLI_FORMAT_JSON)
        fputs(r->rows ? "\n]\n" : "]\n", r->out);
    if (fflush(r->out) != 0 || ferror(r->out))
        return cli_error("cannot write the output");
    return CLI_EXIT_OK;
}
