/*
 * store/copy_in.c: pond_copy_in, host files into the pond in one transaction.
 *
 * A source for a table or series is Parquet when it starts with "PAR1", else CSV (checked by
 * store/csv_check.c, then read by DuckDB's read_csv).  Either way DuckDB rewrites it into a
 * Parquet file in the handle's tmp dir (streamed by COPY), which then becomes a content file.
 * Data sources are copied byte for byte.  For a series the timestamp column is found, checked
 * for nulls and against the series' earlier versions, and its min/max recorded.
 * The user's column names never appear in SQL text: the timestamp column is picked with
 * COLUMNS(c -> c = getvariable('pond_ts')).
 *
 * Progress (pond_copy_options.progress) counts the host files' bytes: each source as it
 * starts, DuckDB's estimate while one is rewritten, and the end before the commit.
 */
#include "store/store_int.h"
#include "util/grow.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/fs.h"
#include "util/path.h"
#include "util/version.h"

int store_is_parquet(const char *path)
{
    char magic[4];
    FILE *f = fopen(path, "rb");
    int yes = 0;

    if (f) {
        yes = fread(magic, 1, 4, f) == 4 && memcmp(magic, "PAR1", 4) == 0;
        fclose(f);
    }
    return yes;
}

/* ---- progress ---------------------------------------------------------------------------- */

typedef struct copy_report {
    const pond_copy_options *opts; /* NULL, or with a progress callback */
    pond_copy_progress ev;
    int64_t base;    /* bytes of the sources done */
    int64_t current; /* size of the source being copied (0 when unknown) */
    int estimates;   /* DuckDB's progress estimate is on for the work database */
    int stop;        /* the callback's non-zero value */
} copy_report;

static int report_send(copy_report *r)
{
    int v;
    if (r->stop || !r->opts)
        return r->stop;
    if ((v = r->opts->progress(&r->ev, r->opts->payload)) != 0) {
        r->stop = v;
        pond_error_set(v, "copy canceled");
    }
    return v;
}

/* DuckDB's fraction of the rewrite of the current source, as its bytes. */
static int report_tick(double fraction, void *arg)
{
    copy_report *r = arg;
    int64_t at = r->base + (int64_t)(fraction * (double)r->current);
    if (fraction >= 0 && at > r->ev.bytes_done)
        r->ev.bytes_done = at;
    return report_send(r);
}

/* Sizes of all sources up front, for the total (-1 when one is not a regular file). */
static void report_begin(copy_report *r, const char *const *srcs, size_t nsrcs,
                         const pond_copy_options *opts)
{
    struct stat st;
    memset(r, 0, sizeof *r);
    r->ev.version = POND_COPY_PROGRESS_VERSION;
    r->ev.sources_total = nsrcs;
    if (!opts || !opts->progress)
        return;
    r->opts = opts;
    for (size_t i = 0; i < nsrcs && r->ev.bytes_total >= 0; i++)
        r->ev.bytes_total = stat(srcs[i], &st) == 0 && S_ISREG(st.st_mode)
                                ? r->ev.bytes_total + (int64_t)st.st_size
                                : -1;
}

static int report_source(copy_report *r, size_t i, const char *src)
{
    struct stat st;
    r->base = r->ev.bytes_done;
    r->current = stat(src, &st) == 0 && S_ISREG(st.st_mode) ? (int64_t)st.st_size : 0;
    r->ev.source = src;
    r->ev.sources_done = i;
    return report_send(r);
}

static int report_end(copy_report *r)
{
    r->ev.source = NULL;
    r->ev.sources_done = r->ev.sources_total;
    if (r->ev.bytes_total >= 0)
        r->ev.bytes_done = r->ev.bytes_total;
    return report_send(r);
}

/* ---- one source ---------------------------------------------------------------------------- */

/* How a source was read: CSV (with its dialect) or Parquet. */
typedef struct source_kind {
    int csv;
    store_csv_dialect dialect;
    const char *read_path; /* the file read (src, or its spool) */
} source_kind;

/* Rewrite src (CSV, plain or gzip, or Parquet) as the Parquet file dst; errors name the
 * source as shown. */
static int convert_to_parquet(pond *p, const char *src, const char *shown, const char *dst,
                              const pond_copy_options *opts, copy_report *r, source_kind *kind)
{
    pond__duck_tick_fn tick = r->opts ? report_tick : NULL;

    if (tick && !r->estimates) {
        pond__duck_progress_enable(p->work);
        r->estimates = 1;
    }
    pond_buf ctx = POND_BUF_INIT, sql = POND_BUF_INIT, expr = POND_BUF_INIT;
    const char *params[2] = {src, dst};
    int rc;

    memset(kind, 0, sizeof *kind);
    kind->read_path = src;
    if (store_is_parquet(src)) {
        if ((rc = pond_buf_printf(&ctx, "cannot read Parquet '%s'", shown)) < 0)
            goto done;
        rc = store_work_run_ticked(p, POND_EINVALID, ctx.ptr,
                                   "COPY (SELECT * FROM read_parquet($1)) TO $2 (FORMAT PARQUET)",
                                   params, 2, NULL, tick, r);
        goto done;
    }
    kind->csv = 1;
    kind->dialect.delimiter = opts->delimiter;
    kind->dialect.skip = opts->skip_lines;
    if ((rc = store_csv_check(src, &kind->dialect)) < 0) {
        pond_error_wrap(rc, "cannot read CSV '%s'", shown);
        goto done;
    }
    /* A null string may not hold the delimiter the check picked either. */
    for (size_t i = 0; i < opts->nnull_strings; i++)
        if (strchr(opts->null_strings[i], kind->dialect.delimiter)) {
            rc = pond_error_set(POND_EINVALID,
                                "cannot read CSV '%s': the null string '%s' holds its "
                                "delimiter '%c'",
                                shown, opts->null_strings[i], kind->dialect.delimiter);
            goto done;
        }
    if (opts->decimal_separator == kind->dialect.delimiter) {
        rc = pond_error_set(POND_EINVALID,
                            "cannot read CSV '%s': its delimiter '%c' is the decimal separator "
                            "(give --delimiter)",
                            shown, kind->dialect.delimiter);
        goto done;
    }
    if ((rc = pond_buf_printf(&ctx, "cannot read CSV '%s'", shown)) < 0 ||
        (rc = store_csv_read_expr(p, opts, &kind->dialect, 0, &expr)) < 0 ||
        (rc = pond_buf_printf(&sql, "COPY (SELECT * FROM %s) TO $2 (FORMAT PARQUET)",
                              expr.ptr)) < 0)
        goto done;
    rc = store_work_run_ticked(p, POND_EINVALID, ctx.ptr, sql.ptr, params, 2, NULL, tick, r);
done:
    pond_buf_free(&ctx);
    pond_buf_free(&sql);
    pond_buf_free(&expr);
    return rc;
}

typedef struct column_list {
    size_t n;
    char **names;
    char **types;
} column_list;

static void columns_free(column_list *c)
{
    size_t i;
    for (i = 0; i < c->n; i++) {
        free(c->names[i]);
        free(c->types[i]);
    }
    free(c->names);
    free(c->types);
    memset(c, 0, sizeof *c);
}

static int read_columns(pond *p, const char *parquet, column_list *out)
{
    store_rows rows;
    const char *params[1] = {parquet};
    size_t cap = 0, type_cap = 0; /* of out->names and out->types */
    int rc;

    memset(out, 0, sizeof *out);
    rc = store_work_run(p, POND_ERROR, "cannot read the schema of a content file",
                        "SELECT column_name, column_type FROM "
                        "(DESCRIBE SELECT * FROM read_parquet($1))",
                        params, 1, &rows);
    if (rc < 0)
        return rc;
    while (store_rows_next(&rows)) {
        if (POND_GROW(out->names, out->n, cap) || POND_GROW(out->types, out->n, type_cap)) {
            rc = POND_ENOMEM;
            break;
        }
        out->names[out->n] = store_rows_str(&rows, 0);
        out->types[out->n] = store_rows_str(&rows, 1);
        out->n++;
        if (!out->names[out->n - 1] || !out->types[out->n - 1]) {
            rc = pond_error_oom();
            break;
        }
    }
    store_rows_free(&rows);
    if (rc < 0)
        columns_free(out);
    return rc;
}

static int columns_json(const column_list *c, char **out)
{
    pond_buf b = POND_BUF_INIT;
    size_t i;
    int rc = pond_buf_putc(&b, '[');

    for (i = 0; rc == POND_OK && i < c->n; i++) {
        if (i)
            rc = pond_buf_putc(&b, ',');
        if (!rc)
            rc = pond_buf_puts(&b, "{\"name\":");
        if (!rc)
            rc = store_json_string(&b, c->names[i]);
        if (!rc)
            rc = pond_buf_puts(&b, ",\"type\":");
        if (!rc)
            rc = store_json_string(&b, c->types[i]);
        if (!rc)
            rc = pond_buf_putc(&b, '}');
    }
    if (!rc)
        rc = pond_buf_putc(&b, ']');
    if (!rc && !(*out = pond_buf_detach(&b)))
        rc = pond_error_oom();
    pond_buf_free(&b);
    return rc;
}

int store_parquet_schema(pond *p, const char *parquet_path, char **out_json)
{
    column_list cols;
    int rc;

    *out_json = NULL;
    if ((rc = store_work_open(p, STORE_WORK_ANY)) < 0)
        return rc;
    if ((rc = read_columns(p, parquet_path, &cols)) < 0)
        return rc;
    rc = columns_json(&cols, out_json);
    columns_free(&cols);
    return rc;
}

static int is_time_type(const char *type)
{
    return strncmp(type, "TIMESTAMP", 9) == 0 || strcmp(type, "DATE") == 0;
}

static int join_names(pond_buf *b, const column_list *c, int only_time)
{
    size_t i;
    int first = 1, rc = POND_OK;
    for (i = 0; rc == POND_OK && i < c->n; i++) {
        if (only_time && strncmp(c->types[i], "TIMESTAMP", 9) != 0)
            continue;
        rc = pond_buf_printf(b, "%s%s", first ? "" : ", ", c->names[i]);
        first = 0;
    }
    return rc;
}

/* Pick the timestamp column of a new series version (see store.h), index into c. */
static int pick_timestamp(const column_list *c, const char *src, const char *wanted,
                          int has_format, size_t *out)
{
    pond_buf names = POND_BUF_INIT;
    size_t i, found = 0, nfound = 0;
    int rc = POND_OK;

    if (wanted) {
        for (i = 0; i < c->n; i++)
            if (strcmp(c->names[i], wanted) == 0)
                break;
        if (i == c->n) {
            join_names(&names, c, 0);
            rc = pond_error_set(POND_EINVALID, "no column '%s' in '%s' (columns: %s)", wanted, src,
                                names.ptr);
            goto done;
        }
        *out = i;
        goto done;
    }
    for (i = 0; i < c->n; i++) {
        if (strcmp(c->names[i], "timestamp") == 0) {
            *out = i;
            goto done;
        }
    }
    for (i = 0; i < c->n; i++) {
        if (strncmp(c->types[i], "TIMESTAMP", 9) == 0) {
            found = i;
            nfound++;
        }
    }
    if (nfound == 1) {
        *out = found;
        goto done;
    }
    if (nfound == 0) {
        join_names(&names, c, 0);
        rc = pond_error_set(POND_EINVALID,
                            "no timestamp column in '%s': none of %s is a TIMESTAMP; "
                            "use --timestamp-column%s",
                            src, names.ptr,
                            has_format ? " (a column with a value that does not match the "
                                         "timestamp format stays text: name it to see the line)"
                                       : "");
    } else {
        join_names(&names, c, 1);
        rc = pond_error_set(POND_EINVALID,
                            "ambiguous timestamp column in '%s': %s are all TIMESTAMP; "
                            "use --timestamp-column",
                            src, names.ptr);
    }
done:
    pond_buf_free(&names);
    return rc;
}

/* What one source becomes. */
typedef struct plan {
    const char *src;
    const char *target;
    pond_entry_type type;
    int exists;
    store_entry entry; /* the existing target, with versions */
} plan;

/* The series part: timestamp column, nulls, min/max, comparison with earlier versions. */
static int series_stats(pond *p, plan *pl, const char *parquet, const column_list *cols,
                        const pond_copy_options *opts, const source_kind *kind,
                        store_version *v, char **ts_col)
{
    const char *wanted = opts->timestamp_column;
    int has_format = kind->csv && opts->timestamp_format;
    const char *params[1];
    store_rows rows;
    size_t ts = 0;
    int rc, null_min = 0;
    int64_t nulls;

    memset(&rows, 0, sizeof rows);
    if (pl->exists) {
        if (!pl->entry.timestamp_column)
            return pond_error_set(POND_ECORRUPT,
                                  "series '%s' has no timestamp column in the "
                                  "catalog",
                                  pl->target);
        if (wanted && strcmp(wanted, pl->entry.timestamp_column) != 0)
            return pond_error_set(POND_EINVALID,
                                  "cannot append '%s' to '%s': the series' timestamp column is "
                                  "'%s', not '%s'",
                                  pl->src, pl->target, pl->entry.timestamp_column, wanted);
        wanted = pl->entry.timestamp_column;
    }
    if ((rc = pick_timestamp(cols, pl->src, wanted, has_format, &ts)) < 0) {
        if (pl->exists)
            pond_error_wrap(rc, "cannot append to series '%s'", pl->target);
        return rc;
    }
    /* A value that does not match the timestamp format left the column text: DuckDB, made
     * to read it as TIMESTAMP, names the line. */
    if (!is_time_type(cols->types[ts]) && has_format &&
        (rc = store_csv_timestamp_error(p, kind->read_path, pl->src, opts, &kind->dialect, ts,
                                        cols->n)) < 0)
        return rc;
    if (!is_time_type(cols->types[ts]))
        return pond_error_set(POND_EINVALID,
                              "timestamp column '%s' in '%s' is %s, not a TIMESTAMP or DATE",
                              cols->names[ts], pl->src, cols->types[ts]);
    if (pl->exists && pl->entry.nversions > 0) {
        const char *had = pl->entry.versions[pl->entry.nversions - 1].ts_type;
        if (had && strcmp(had, cols->types[ts]) != 0)
            return pond_error_set(POND_EINVALID,
                                  "cannot append '%s' to series '%s': timestamp column '%s' is "
                                  "%s, the series has %s",
                                  pl->src, pl->target, cols->names[ts], cols->types[ts], had);
    }
    params[0] = cols->names[ts];
    if ((rc = store_work_run(p, POND_ERROR, "cannot read a content file",
                             "SET VARIABLE pond_ts = $1", params, 1, NULL)) < 0)
        return rc;
    params[0] = parquet;
    rc = store_work_run(p, POND_ERROR, "cannot read a content file",
                        "SELECT count(*), count(*) - count(c), epoch_us(min(c)::TIMESTAMP), "
                        "epoch_us(max(c)::TIMESTAMP) FROM (SELECT COLUMNS(x -> x = "
                        "getvariable('pond_ts')) AS c FROM read_parquet($1))",
                        params, 1, &rows);
    if (rc < 0)
        return rc;
    if (!store_rows_next(&rows)) {
        store_rows_free(&rows);
        return pond_error_set(POND_ERROR, "cannot read a content file: no result");
    }
    v->row_count = store_rows_i64(&rows, 0, NULL);
    nulls = store_rows_i64(&rows, 1, NULL);
    v->min_time = store_rows_i64(&rows, 2, &null_min);
    v->max_time = store_rows_i64(&rows, 3, NULL);
    v->has_time = !null_min;
    store_rows_free(&rows);
    if (nulls > 0)
        return pond_error_set(POND_EINVALID, "timestamp column '%s' in '%s' has %lld null%s",
                              cols->names[ts], pl->src, (long long)nulls, nulls == 1 ? "" : "s");
    if (!(v->ts_type = malloc(strlen(cols->types[ts]) + 1)) ||
        !(*ts_col = malloc(strlen(cols->names[ts]) + 1)))
        return pond_error_oom();
    strcpy(v->ts_type, cols->types[ts]);
    strcpy(*ts_col, cols->names[ts]);
    return POND_OK;
}

static int row_count(pond *p, const char *parquet, int64_t *out)
{
    const char *params[1] = {parquet};
    store_rows rows;
    int rc = store_work_run(p, POND_ERROR, "cannot read a content file",
                            "SELECT count(*) FROM read_parquet($1)", params, 1, &rows);
    if (rc < 0)
        return rc;
    *out = store_rows_next(&rows) ? store_rows_i64(&rows, 0, NULL) : 0;
    store_rows_free(&rows);
    return POND_OK;
}

static pond_entry_type type_for(const pond_copy_options *opts, const char *target)
{
    size_t n = strlen(target);
    switch (opts->format) {
    case POND_COPY_DATA: return POND_ENTRY_DATA;
    case POND_COPY_TABLE: return POND_ENTRY_TABLE;
    case POND_COPY_SERIES: return POND_ENTRY_SERIES;
    default: break;
    }
    if (n > 7 && strcmp(target + n - 7, ".series") == 0)
        return POND_ENTRY_SERIES;
    if (n > 6 && strcmp(target + n - 6, ".table") == 0)
        return POND_ENTRY_TABLE;
    return POND_ENTRY_DATA;
}

static int copy_one(pond *p, store_txn *txn, plan *pl, int64_t parent_id,
                    const pond_copy_options *opts, copy_report *r)
{
    pond_buf tmp = POND_BUF_INIT, spool = POND_BUF_INIT;
    const char *read_path = pl->src;
    store_version v;
    store_content content;
    column_list cols;
    source_kind kind;
    char *ts_col = NULL;
    struct stat st;
    int64_t id;
    int rc;

    memset(&v, 0, sizeof v);
    memset(&cols, 0, sizeof cols);
    memset(&kind, 0, sizeof kind);
    if (stat(pl->src, &st) != 0) {
        rc = pond_error_set(errno == ENOENT ? POND_ENOTFOUND : POND_ERROR, "cannot copy '%s': %s",
                            pl->src, errno == ENOENT ? "no such file" : strerror(errno));
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = pond_error_set(POND_EINVALID, "cannot copy '%s': it is a directory", pl->src);
        goto done;
    }
    rc = store_entry_lookup(p, pl->target, &pl->entry);
    if (rc < 0 && rc != POND_ENOTFOUND)
        goto done;
    pl->exists = rc == POND_OK;
    if (pl->exists) {
        pond_entry_type wanted = type_for(opts, pl->target);
        if (pl->entry.type == POND_ENTRY_DIR || pl->entry.type == POND_ENTRY_SYMLINK ||
            pl->entry.type == POND_ENTRY_DYNAMIC) {
            rc = pond_error_set(POND_EEXISTS, "cannot copy '%s' to '%s': it is a %s", pl->src,
                                pl->target, pond_entry_type_name(pl->entry.type));
            goto done;
        }
        if (opts->format != POND_COPY_AUTO && wanted != pl->entry.type) {
            rc = pond_error_set(POND_EINVALID, "cannot copy '%s' to '%s' as %s: it is a %s",
                                pl->src, pl->target, pond_entry_type_name(wanted),
                                pond_entry_type_name(pl->entry.type));
            goto done;
        }
        pl->type = pl->entry.type;
        if ((rc = store_entry_load_versions(p, &pl->entry)) < 0)
            goto done;
    } else {
        pl->type = type_for(opts, pl->target);
    }
    if (pl->type == POND_ENTRY_DATA && store_csv_has_options(opts)) {
        rc = pond_error_set(POND_EINVALID,
                            "cannot copy '%s' to '%s': CSV options apply to tables and series, "
                            "this is a %s",
                            pl->src, pl->target, pond_entry_type_name(pl->type));
        goto done;
    }
    if (opts->timestamp_column && pl->type != POND_ENTRY_SERIES) {
        rc = pond_error_set(POND_EINVALID,
                            "cannot copy '%s' to '%s': a timestamp column applies "
                            "to series only, this is a %s",
                            pl->src, pl->target, pond_entry_type_name(pl->type));
        goto done;
    }
    if ((rc = store_tmp_path(p, "in", pl->type == POND_ENTRY_DATA ? "" : ".parquet", &tmp)) < 0)
        goto done;
    if (pl->type == POND_ENTRY_DATA) {
        if ((rc = pond_fs_copy_file(pl->src, tmp.ptr)) < 0)
            goto done;
        v.row_count = -1;
    } else {
        if (!S_ISREG(st.st_mode)) {
            /* a pipe or device is read once, into tmp/, since a source is read more than once */
            if ((rc = store_tmp_path(p, "spool", "", &spool)) < 0 ||
                (rc = pond_fs_copy_file(pl->src, spool.ptr)) < 0)
                goto done;
            read_path = spool.ptr;
        }
        if ((rc = store_work_open(p, STORE_WORK_HOST)) < 0 ||
            (rc = convert_to_parquet(p, read_path, pl->src, tmp.ptr, opts, r, &kind)) < 0)
            goto done;
        if ((rc = read_columns(p, tmp.ptr, &cols)) < 0 || (rc = columns_json(&cols, &v.schema)) < 0)
            goto done;
        if (pl->type == POND_ENTRY_SERIES)
            rc = series_stats(p, pl, tmp.ptr, &cols, opts, &kind, &v, &ts_col);
        else
            rc = row_count(p, tmp.ptr, &v.row_count);
        if (rc < 0)
            goto done;
    }
    if ((rc = store_content_add(txn, tmp.ptr, &content)) < 0)
        goto done;
    v.sha256 = content.sha256;
    v.size = content.size;
    if (pl->exists) {
        id = pl->entry.id;
    } else if ((rc = store_entry_insert(p, parent_id, pl->target, pl->type, NULL, ts_col,
                                        txn->seq, &id)) < 0) {
        goto done;
    }
    rc = store_version_insert(p, id, txn->seq, &v, NULL);
done:
    if (rc < 0 && tmp.len)
        remove(tmp.ptr);
    if (spool.len)
        remove(spool.ptr);
    pond_buf_free(&spool);
    free(v.schema);
    free(v.ts_type);
    free(ts_col);
    columns_free(&cols);
    store_entry_clear(&pl->entry);
    pond_buf_free(&tmp);
    return rc;
}

/* ",\"key\":" and s as a JSON string. */
static int put_string(pond_buf *b, const char *key, const char *s)
{
    int rc = pond_buf_printf(b, ",\"%s\":", key);
    return rc ? rc : store_json_string(b, s);
}

/* The transaction's variables: {"format":…,"timestamp_column":…} and the CSV options set. */
static int copy_variables(const pond_copy_options *opts, char **out)
{
    static const char *const words[] = {"auto", "data", "table", "series"};
    pond_buf b = POND_BUF_INIT;
    int f = (int)opts->format;
    char c[2] = {0, 0};
    int rc;

    if (f < 0 || f > 3)
        f = 0;
    rc = pond_buf_printf(&b, "{\"format\":\"%s\"", words[f]);
    if (!rc && opts->timestamp_column)
        rc = put_string(&b, "timestamp_column", opts->timestamp_column);
    if (!rc && opts->delimiter) {
        c[0] = opts->delimiter;
        rc = put_string(&b, "delimiter", c);
    }
    if (!rc && opts->decimal_separator) {
        c[0] = opts->decimal_separator;
        rc = put_string(&b, "decimal_separator", c);
    }
    if (!rc && opts->nnull_strings) {
        rc = pond_buf_puts(&b, ",\"null\":[");
        for (size_t i = 0; !rc && i < opts->nnull_strings; i++)
            if (!(rc = i ? pond_buf_putc(&b, ',') : POND_OK))
                rc = store_json_string(&b, opts->null_strings[i]);
        if (!rc)
            rc = pond_buf_putc(&b, ']');
    }
    if (!rc && opts->skip_lines)
        rc = pond_buf_printf(&b, ",\"skip\":%lld", (long long)opts->skip_lines);
    if (!rc && opts->timestamp_format)
        rc = put_string(&b, "timestamp_format", opts->timestamp_format);
    if (!rc)
        rc = pond_buf_putc(&b, '}');
    if (!rc && !(*out = pond_buf_detach(&b)))
        rc = pond_error_oom();
    pond_buf_free(&b);
    return rc;
}

int pond_copy_in(pond *p, const char *const *srcs, size_t nsrcs, const char *dest,
                 const pond_copy_options *given)
{
    pond_copy_options all = POND_COPY_OPTIONS_INIT, *opts = &all;
    pond_buf norm = POND_BUF_INIT, target = POND_BUF_INIT;
    store_entry d;
    store_txn *txn = NULL;
    char *vars = NULL;
    copy_report report;
    plan pl;
    size_t i;
    int rc, into_dir = 0;
    int64_t parent_id;

    memset(&d, 0, sizeof d);
    memset(&pl, 0, sizeof pl);
    memset(&report, 0, sizeof report);
    /* Every field from here on: a version 1 struct ends before the CSV options. */
    if (given && given->version == 1)
        memcpy(&all, given, offsetof(pond_copy_options, delimiter));
    else if (given && (rc = pond_options_version_check(given->version, POND_COPY_OPTIONS_VERSION,
                                                       "pond_copy_options")) < 0)
        return rc;
    else if (given)
        all = *given;
    if ((rc = store_csv_options_check(opts)) < 0)
        return rc;
    if (nsrcs == 0)
        return pond_error_set(POND_EINVALID, "nothing to copy");
    if ((rc = store_path_arg(dest, &norm)) < 0)
        return rc;
    if ((rc = copy_variables(opts, &vars)) < 0)
        goto done;
    if ((rc = store_txn_begin(p, &txn, vars)) < 0)
        goto done;
    report_begin(&report, srcs, nsrcs, opts);
    rc = store_entry_lookup(p, norm.ptr, &d);
    if (rc < 0 && rc != POND_ENOTFOUND)
        goto done;
    if (rc == POND_OK && d.type == POND_ENTRY_DIR) {
        into_dir = 1;
        parent_id = d.id;
    } else if (nsrcs > 1) {
        rc = pond_error_set(rc == POND_OK ? POND_EINVALID : POND_ENOTFOUND,
                            "cannot copy %zu files to '%s': %s", nsrcs, norm.ptr,
                            rc == POND_OK ? "not a directory" : "no such directory");
        goto done;
    } else {
        if ((rc = store_parent_dir(p, norm.ptr, "copy to", &parent_id)) < 0)
            goto done;
    }
    for (i = 0; i < nsrcs; i++) {
        if (into_dir) {
            pond_buf base = POND_BUF_INIT;
            /* the host file's name: the last component of its path */
            const char *slash = strrchr(srcs[i], '/');
            const char *name = slash ? slash + 1 : srcs[i];
            rc = pond_buf_puts(&base, name);
            if (rc == POND_OK)
                rc = pond_path_join(&target, norm.ptr, base.ptr);
            pond_buf_free(&base);
            if (rc < 0) {
                pond_error_wrap(rc, "cannot copy '%s' into '%s'", srcs[i], norm.ptr);
                goto done;
            }
        } else {
            pond_buf_clear(&target);
            if ((rc = pond_buf_puts(&target, norm.ptr)) < 0)
                goto done;
        }
        memset(&pl, 0, sizeof pl);
        pl.src = srcs[i];
        pl.target = target.ptr;
        if ((rc = report_source(&report, i, srcs[i])) != 0 ||
            (rc = copy_one(p, txn, &pl, parent_id, opts, &report)) < 0)
            goto done;
    }
    if ((rc = report_end(&report)) != 0)
        goto done;
    rc = store_txn_commit(txn);
    txn = NULL;
done:
    if (txn)
        store_txn_abort(txn);
    /* Whatever error a canceled statement ended with, the copy was canceled. */
    if (rc != POND_OK && report.stop)
        rc = pond_error_set(report.stop, "copy canceled");
    free(vars);
    store_entry_clear(&d);
    pond_buf_free(&norm);
    pond_buf_free(&target);
    return rc;
}
