/*
 * store/format.c: writing query results as text, streamed chunk by chunk from DuckDB:
 *
 *   csv    a header line, then RFC 4180 records (fields quoted when they hold ',', '"', CR
 *          or LF; NULL is an empty field)
 *   json   one JSON array of row objects (DuckDB's to_json per row), one row per line;
 *          NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity"
 *   table  aligned columns for a terminal: widths come from the header and the first block
 *          of rows and only grow for later blocks, so a long result streams; NULL shows as
 *          "NULL"
 *
 * Values are turned into text by DuckDB (COLUMNS(*)::VARCHAR), so every type prints as DuckDB
 * prints it.
 */
#include "store/store_int.h"
#include "util/grow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_BLOCK_ROWS 2048

typedef struct stream {
    duckdb_prepared_statement stmt;
    duckdb_pending_result pending;
    duckdb_result res;
    int has_res;
    int code;
    const char *ctx;
} stream;

static int stream_open(pond *p, const char *sql, int code, const char *ctx, stream *s)
{
    pond_buf msg = POND_BUF_INIT;
    int rc = POND_OK;

    memset(s, 0, sizeof *s);
    s->code = code;
    s->ctx = ctx;
    if (duckdb_prepare(p->work, sql, &s->stmt) == DuckDBError) {
        store_db_condense(duckdb_prepare_error(s->stmt), &msg);
        rc = pond_error_set(code, "%s: %s", ctx, msg.ptr);
        goto done;
    }
    if (duckdb_pending_prepared_streaming(s->stmt, &s->pending) == DuckDBError) {
        store_db_condense(duckdb_pending_error(s->pending), &msg);
        rc = pond_error_set(code, "%s: %s", ctx, msg.ptr);
        goto done;
    }
    if (duckdb_execute_pending(s->pending, &s->res) == DuckDBError) {
        store_db_condense(duckdb_result_error(&s->res), &msg);
        rc = pond_error_set(code, "%s: %s", ctx, msg.ptr);
        duckdb_destroy_result(&s->res);
        goto done;
    }
    s->has_res = 1;
done:
    pond_buf_free(&msg);
    return rc;
}

/* The next chunk, NULL at the end; *rc set when the end is an error. */
static duckdb_data_chunk stream_next(stream *s, int *rc)
{
    duckdb_data_chunk c = duckdb_fetch_chunk(s->res);
    if (!c) {
        const char *err = duckdb_result_error(&s->res);
        if (err && *err) {
            pond_buf msg = POND_BUF_INIT;
            store_db_condense(err, &msg);
            *rc = pond_error_set(s->code, "%s: %s", s->ctx, msg.ptr);
            pond_buf_free(&msg);
        }
    }
    return c;
}

static void stream_close(stream *s)
{
    if (s->has_res)
        duckdb_destroy_result(&s->res);
    if (s->pending)
        duckdb_destroy_pending(&s->pending);
    if (s->stmt)
        duckdb_destroy_prepare(&s->stmt);
}

/* The VARCHAR value at row of column vector v: data/len, or NULL for SQL NULL. */
static const char *cell(duckdb_data_chunk c, idx_t col, idx_t row, uint32_t *len)
{
    duckdb_vector v = duckdb_data_chunk_get_vector(c, col);
    uint64_t *validity = duckdb_vector_get_validity(v);
    duckdb_string_t *s;

    if (validity && !duckdb_validity_row_is_valid(validity, row))
        return NULL;
    s = (duckdb_string_t *)duckdb_vector_get_data(v) + row;
    *len = duckdb_string_t_length(*s);
    return duckdb_string_t_data(s);
}

static void csv_field(FILE *out, const char *s, size_t len)
{
    size_t i;
    int quote = len == 0 ? 0
                         : memchr(s, ',', len) || memchr(s, '"', len) || memchr(s, '\n', len) ||
                               memchr(s, '\r', len);
    if (!quote) {
        fwrite(s, 1, len, out);
        return;
    }
    putc('"', out);
    for (i = 0; i < len; i++) {
        if (s[i] == '"')
            putc('"', out);
        putc(s[i], out);
    }
    putc('"', out);
}

static int write_csv(stream *s, FILE *out)
{
    idx_t ncol = duckdb_column_count(&s->res), col, row, n;
    duckdb_data_chunk c;
    int rc = POND_OK;

    for (col = 0; col < ncol; col++) {
        const char *name = duckdb_column_name(&s->res, col);
        if (col)
            putc(',', out);
        csv_field(out, name, strlen(name));
    }
    putc('\n', out);
    while ((c = stream_next(s, &rc))) {
        n = duckdb_data_chunk_get_size(c);
        for (row = 0; row < n; row++) {
            for (col = 0; col < ncol; col++) {
                uint32_t len = 0;
                const char *v = cell(c, col, row, &len);
                if (col)
                    putc(',', out);
                if (v)
                    csv_field(out, v, len);
            }
            putc('\n', out);
        }
        duckdb_destroy_data_chunk(&c);
    }
    return rc;
}

/* One row of DuckDB's to_json, with the bare NaN, Infinity and -Infinity it prints for
 * non-finite floats (not JSON, RFC 8259) written as the strings "NaN", "Infinity" and
 * "-Infinity", as in a template's render context (export/json_rows.c).  Outside strings
 * to_json prints no other letter than those of true, false and null. */
static void json_row(FILE *out, const char *v, size_t len)
{
    int in_string = 0;
    for (size_t i = 0; i < len; i++) {
        char c = v[i];
        if (in_string) {
            if (c == '\\' && i + 1 < len)
                putc(v[i++], out);
            else if (c == '"')
                in_string = 0;
            putc(v[i], out);
            continue;
        }
        size_t n = 0;
        if (len - i >= 3 && !memcmp(v + i, "NaN", 3))
            n = 3;
        else if (len - i >= 8 && !memcmp(v + i, "Infinity", 8))
            n = 8;
        else if (len - i >= 9 && !memcmp(v + i, "-Infinity", 9))
            n = 9;
        if (n) {
            fprintf(out, "\"%.*s\"", (int)n, v + i);
            i += n - 1;
            continue;
        }
        in_string = c == '"';
        putc(c, out);
    }
}

static int write_json(stream *s, FILE *out)
{
    idx_t row, n;
    duckdb_data_chunk c;
    int rc = POND_OK, first = 1;

    putc('[', out);
    while ((c = stream_next(s, &rc))) {
        n = duckdb_data_chunk_get_size(c);
        for (row = 0; row < n; row++) {
            uint32_t len = 0;
            const char *v = cell(c, 0, row, &len);
            fputs(first ? "\n" : ",\n", out);
            first = 0;
            if (v)
                json_row(out, v, len);
            else
                fputs("null", out);
        }
        duckdb_destroy_data_chunk(&c);
    }
    fputs(first ? "]\n" : "\n]\n", out);
    return rc;
}

/* Display width: UTF-8 code points; control characters are printed as '?'. */
static size_t text_width(const char *s, size_t len)
{
    size_t i, w = 0;
    for (i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            w++;
    return w;
}

static void put_cell(FILE *out, const char *s, size_t len, size_t width, int last)
{
    size_t i, w = text_width(s, len);
    for (i = 0; i < len && (unsigned char)s[i] >= 0x20; i++)
        ;
    if (i == len)
        fwrite(s, 1, len, out);
    else
        for (i = 0; i < len; i++)
            putc((unsigned char)s[i] < 0x20 ? '?' : s[i], out);
    if (!last)
        for (; w < width + 2; w++)
            putc(' ', out);
}

typedef struct table_block {
    duckdb_data_chunk *chunks;
    size_t n, cap;
    idx_t rows;
} table_block;

static void block_flush(table_block *b, FILE *out, idx_t ncol, size_t *width)
{
    size_t k;
    idx_t row, col, n;

    for (k = 0; k < b->n; k++) {
        n = duckdb_data_chunk_get_size(b->chunks[k]);
        for (row = 0; row < n; row++) {
            for (col = 0; col < ncol; col++) {
                uint32_t len = 0;
                const char *v = cell(b->chunks[k], col, row, &len);
                if (!v) {
                    v = "NULL";
                    len = 4;
                }
                put_cell(out, v, len, width[col], col + 1 == ncol);
            }
            putc('\n', out);
        }
        duckdb_destroy_data_chunk(&b->chunks[k]);
    }
    b->n = 0;
    b->rows = 0;
}

static int write_table(stream *s, FILE *out)
{
    idx_t ncol = duckdb_column_count(&s->res), col, row, n;
    size_t *width = NULL, k;
    table_block b;
    duckdb_data_chunk c;
    int rc = POND_OK, header_done = 0, eof = 0;

    memset(&b, 0, sizeof b);
    if (!(width = calloc(ncol ? ncol : 1, sizeof *width)))
        return pond_error_oom();
    for (col = 0; col < ncol; col++) {
        const char *name = duckdb_column_name(&s->res, col);
        width[col] = text_width(name, strlen(name));
    }
    while (!eof) {
        c = stream_next(s, &rc);
        if (c) {
            if (POND_GROW(b.chunks, b.n, b.cap)) {
                duckdb_destroy_data_chunk(&c);
                rc = POND_ENOMEM;
                break;
            }
            b.chunks[b.n++] = c;
            n = duckdb_data_chunk_get_size(c);
            b.rows += n;
            for (row = 0; row < n; row++) {
                for (col = 0; col < ncol; col++) {
                    uint32_t len = 0;
                    const char *v = cell(c, col, row, &len);
                    size_t w = v ? text_width(v, len) : 4;
                    if (w > width[col])
                        width[col] = w;
                }
            }
        } else {
            eof = 1;
            if (rc < 0)
                break;
        }
        if (eof || b.rows >= TABLE_BLOCK_ROWS) {
            if (!header_done) {
                for (col = 0; col < ncol; col++) {
                    const char *name = duckdb_column_name(&s->res, col);
                    put_cell(out, name, strlen(name), width[col], col + 1 == ncol);
                }
                putc('\n', out);
                for (col = 0; col < ncol; col++) {
                    for (k = 0; k < width[col]; k++)
                        putc('-', out);
                    if (col + 1 < ncol)
                        fputs("  ", out);
                }
                putc('\n', out);
                header_done = 1;
            }
            block_flush(&b, out, ncol, width);
        }
    }
    for (k = 0; k < b.n; k++)
        duckdb_destroy_data_chunk(&b.chunks[k]);
    free(b.chunks);
    free(width);
    return rc;
}

int store_format_rows(pond *p, const char *query, pond_output_format format, FILE *out, int code,
                      const char *ctx)
{
    pond_buf sql = POND_BUF_INIT;
    stream s;
    int rc;

    memset(&s, 0, sizeof s);
    if (format == POND_OUTPUT_JSON)
        rc = pond_buf_printf(
            &sql, "SELECT to_json(pond_row__)::VARCHAR FROM (\n%s\n) AS pond_row__", query);
    else
        rc = pond_buf_printf(&sql, "SELECT COLUMNS(*)::VARCHAR FROM (\n%s\n)", query);
    if (rc < 0)
        goto done;
    if ((rc = stream_open(p, sql.ptr, code, ctx, &s)) < 0)
        goto done;
    if (format == POND_OUTPUT_CSV)
        rc = write_csv(&s, out);
    else if (format == POND_OUTPUT_JSON)
        rc = write_json(&s, out);
    else
        rc = write_table(&s, out);
    if (rc == POND_OK && (fflush(out) != 0 || ferror(out)))
        rc = pond_error_set(POND_ERROR, "cannot write output: %s", strerror(errno));
done:
    stream_close(&s);
    pond_buf_free(&sql);
    return rc;
}
