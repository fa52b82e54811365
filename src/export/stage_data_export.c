/*
 * export/stage_data_export.c: the data_export stage (docs/export.md).
 *
 * Three passes, so that nothing is written before every problem that can be seen up front has
 * been seen:
 *   1. collect: every match of every pattern (pond_glob with versions), deep-copied;
 *   2. plan:    each match's output (DIR/cap0/cap1/… or DIR/<parent>/<stem>), its checks
 *               (--temporal needs a series with its timestamp column in every version, no
 *               column named like a partition level), and its claim in the context, which
 *               refuses collisions and existing outputs without --overwrite;
 *   3. write:   a file:data match is copied byte for byte (its sha256 checked on the way;
 *               every content file's size is checked at collect); a table or series is
 *               written by
 *               ONE DuckDB statement, COPY (SELECT … FROM read_parquet(<its version files>))
 *               TO <staged dir> (FORMAT PARQUET[, PARTITION_BY (year, …)], RETURN_FILES),
 *               streamed by DuckDB from the content files; the returned file names give
 *               the partitions and each file's footer its row count (parquet_footer.h), which
 *               fill export_metadata (no data is read back).
 * DuckDB names partition files data_<n>.parquet; they are renamed data.parquet, data_1.parquet
 * … in DuckDB's order, so names are deterministic.  Partition columns are not written into the
 * files (DuckDB's default for Hive partitioning).
 *
 * Each output's manifest entry and --update (kept outputs, partial rewrites) are in
 * stage_data_update.c; the types both files share in data_export_int.h.
 *
 * Test hook: POND_TEST_FAIL_AFTER_FILES=N makes the stage fail once N files are written, to
 * check that a failure half way leaves the output directory as it was.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "export/batch_copy.h"
#include "export/context.h"
#include "export/data_export_int.h"
#include "export/partition_plan.h"
#include "export/partition_write.h"
#include "export/pipeline.h"
#include "export/progress.h"
#include "export/sql_params.h"
#include "export/capture_names.h"
#include "export/manifest.h"
#include "export/sha256_text.h"
#include "export/update_keys.h"
#include "export/update_plan.h"
#include "export/temporal.h"
#include "util/fs.h"

/* The timestamp column in SQL when its name is not a plain identifier: COLUMNS() picks it by
 * the name held in the variable pond_ts (set, bound, before each statement is prepared), so
 * the name is never pasted into SQL.  (A plain identifier is double-quoted instead: binding
 * the lambda costs about a millisecond a statement.) */
#define TS_BY_VARIABLE "COLUMNS(lambda c: c = getvariable('pond_ts'))"

/* The helper column of the local time; a source column of that name is refused. */
#define LOCAL_COLUMN "__pond_local"

typedef struct collect_state {
    const char *pattern;
    match *m;
    size_t n, cap;
    size_t skipped; /* directories and symlinks */
    int rc;
} collect_state;

/* ---- collect ----------------------------------------------------------------------------- */

static void match_clear(match *m)
{
    free(m->pattern);
    free(m->path);
    free(m->ts_col);
    free(m->ts_type);
    pond_captures_free(&m->caps);
    for (size_t i = 0; i < m->nfiles; i++)
        free(m->files[i]);
    free(m->files);
    free(m->data_sha256);
    free(m->relation);
    free(m->rel);
    free(m->versions);
    pond_update_decision_free(&m->upd);
}

/* Look through one version's schema JSON for the timestamp column and level-named columns. */
static int scan_schema(match *m, const pond_version_info *v)
{
    json_error_t jerr;
    json_t *arr = v->schema ? json_loads(v->schema, 0, &jerr) : NULL;
    int has_ts = 0;

    if (!arr || !json_is_array(arr)) {
        json_decref(arr);
        return pond_error_set(POND_ECORRUPT, "cannot read the schema of '%s' version %lld",
                              m->path, (long long)v->version);
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *col = json_array_get(arr, i);
        const char *name = json_string_value(json_object_get(col, "name"));
        const char *type = json_string_value(json_object_get(col, "type"));
        if (!name)
            continue;
        if (m->ts_col && strcmp(name, m->ts_col) == 0) {
            has_ts = 1;
            free(m->ts_type);
            m->ts_type = strdup(type ? type : "TIMESTAMP");
        }
        for (int l = 0; l < POND_TEMPORAL_MAX; l++)
            if (strcmp(name, pond_temporal_level_name(l)) == 0)
                m->level_columns |= 1u << l;
        if (strcmp(name, LOCAL_COLUMN) == 0)
            m->level_columns |= 1u << POND_TEMPORAL_MAX;
        if (strcmp(name, "file_index") == 0 || strncmp(name, "__pond_", 7) == 0)
            m->batch_names = 1;
    }
    json_decref(arr);
    if (m->ts_col && !has_ts && !m->ts_missing_version)
        m->ts_missing_version = v->version;
    return POND_OK;
}

static int collect_one(const pond_entry_info *e, void *arg)
{
    collect_state *cs = arg;
    match *m;
    size_t from, n;
    int rc = POND_OK;
    pond_buf schemas = POND_BUF_INIT;

    if (e->type == POND_ENTRY_DIR || e->type == POND_ENTRY_SYMLINK) {
        cs->skipped++;
        return 0;
    }
    if (cs->n == cs->cap) {
        size_t ncap = cs->cap ? cs->cap * 2 : 16;
        match *nm = realloc(cs->m, ncap * sizeof *nm);
        if (!nm) {
            rc = pond_error_oom();
            goto done;
        }
        cs->m = nm;
        cs->cap = ncap;
    }
    m = &cs->m[cs->n++];
    memset(m, 0, sizeof *m);
    m->type = e->type;
    if (e->type == POND_ENTRY_DYNAMIC) {
        /* a derived series or table: read through the resolver's relation */
        m->type = e->reads_as;
        if (!(m->relation = strdup(e->relation ? e->relation : ""))) {
            rc = pond_error_oom();
            goto done;
        }
    }
    if (!(m->pattern = strdup(cs->pattern)) || !(m->path = strdup(e->path)) ||
        (e->timestamp_column && !(m->ts_col = strdup(e->timestamp_column)))) {
        rc = pond_error_oom();
        goto done;
    }
    if (e->ncaptures) {
        if (!(m->caps.v = calloc(e->ncaptures, sizeof *m->caps.v))) {
            rc = pond_error_oom();
            goto done;
        }
        for (size_t i = 0; i < e->ncaptures; i++) {
            if (!(m->caps.v[i] = strdup(e->captures[i]))) {
                rc = pond_error_oom();
                goto done;
            }
            m->caps.n = i + 1;
        }
    }
    /* A series reads every version; a table or data file its newest. */
    n = m->relation ? 0 : e->nversions; /* a dynamic node's versions are its config */
    from = (e->type == POND_ENTRY_SERIES || n == 0) ? 0 : n - 1;
    if (n > from && (!(m->files = calloc(n - from, sizeof *m->files)) ||
                     !(m->versions = calloc(n - from, sizeof *m->versions)))) {
        rc = pond_error_oom();
        goto done;
    }
    for (size_t i = from; i < n; i++) {
        const pond_version_info *v = &e->versions[i];
        if ((rc = pond_version_check(v)) != POND_OK)
            goto done;
        if (e->type == POND_ENTRY_DATA) { /* only the newest version is read */
            m->data_size = v->size;
            if (!(m->data_sha256 = strdup(v->sha256))) {
                rc = pond_error_oom();
                goto done;
            }
        }
        if (!(m->files[m->nfiles] = strdup(v->content_path))) {
            rc = pond_error_oom();
            goto done;
        }
        pond_manifest_version *mv = &m->versions[m->nfiles];
        mv->version = v->version;
        snprintf(mv->sha256, sizeof mv->sha256, "%s", v->sha256 ? v->sha256 : "");
        mv->has_time = v->has_time;
        mv->min_us = v->min_time;
        mv->max_us = v->max_time;
        if (v->schema && (i == from || !e->versions[i - 1].schema ||
                          strcmp(v->schema, e->versions[i - 1].schema) != 0) &&
            (rc = pond_buf_put(&schemas, v->schema, strlen(v->schema) + 1)) != POND_OK)
            goto done;
        m->nfiles++;
        if (e->type == POND_ENTRY_DATA)
            m->bytes += v->size;
        else if (v->row_count > 0)
            m->rows += v->row_count;
        if (v->has_time) {
            if (!m->has_time || v->min_time < m->min_us)
                m->min_us = v->min_time;
            if (!m->has_time || v->max_time > m->max_us)
                m->max_us = v->max_time;
            m->has_time = 1;
        }
        if (e->type != POND_ENTRY_DATA && (rc = scan_schema(m, v)) != POND_OK)
            goto done;
        if (i > from && (!v->schema || !e->versions[from].schema ||
                         strcmp(v->schema, e->versions[from].schema) != 0))
            m->mixed_schemas = 1;
    }
    if (rc == POND_OK && schemas.len)
        rc = pond_export__sha256_hex(schemas.ptr, schemas.len, m->schemas_sha256);
    if (rc == POND_OK && m->relation)
        rc = pond_export__sha256_hex(m->relation, strlen(m->relation), m->inputs_sha256);
done:
    pond_buf_free(&schemas);
    cs->rc = rc;
    return rc != POND_OK;
}

/* ---- plan -------------------------------------------------------------------------------- */

/* The output of m relative to DIR: its capture directories (export/capture_names.c), or
 * without captures its parent path and name without extension; a data file's own name
 * below that. */
static int output_rel(const stage_state *s, match *m, pond_buf *rel)
{
    int rc = POND_OK;
    const char *name = strrchr(m->path, '/') + 1;

    pond_buf_clear(rel);
    if (m->caps.n || s->capture_names) {
        rc = pond_export__capture_dirs(rel, s->capture_names, &m->caps, m->path, m->pattern);
    } else {
        const char *dot = strrchr(name, '.');
        size_t stem = dot && dot != name ? (size_t)(dot - name) : strlen(name);
        rc = pond_buf_put(rel, m->path + 1, (size_t)(name - m->path - 1));
        if (rc == POND_OK)
            rc = pond_buf_put(rel, name, stem);
    }
    if (rc == POND_OK && m->type == POND_ENTRY_DATA)
        rc = pond_buf_printf(rel, "/%s", name);
    return rc;
}

/* A dynamic match's columns, from DuckDB (the relation's DESCRIBE), as scan_schema finds
 * them in a stored version's schema. */
static int describe_relation(stage_state *s, match *m)
{
    pond_buf sql = POND_BUF_INIT;
    duckdb_result res;
    int rc = POND_OK;

    if ((rc = pond_buf_printf(&sql, "DESCRIBE SELECT * FROM %s", m->relation)) < 0)
        return rc;
    if (duckdb_query(pond_export_ctx_con(s->ctx), sql.ptr, &res) == DuckDBError) {
        rc = pond_error_set(POND_EINVALID, "cannot export '%s': %s", m->path,
                            duckdb_result_error(&res));
    } else {
        for (idx_t i = 0; rc == POND_OK && i < duckdb_row_count(&res); i++) {
            char *name = duckdb_value_varchar(&res, 0, i), *type = duckdb_value_varchar(&res, 1, i);
            if (name && m->ts_col && strcmp(name, m->ts_col) == 0) {
                free(m->ts_type);
                if (!(m->ts_type = strdup(type ? type : "TIMESTAMP")))
                    rc = pond_error_oom();
            }
            for (int l = 0; name && l < POND_TEMPORAL_MAX; l++)
                if (strcmp(name, pond_temporal_level_name(l)) == 0)
                    m->level_columns |= 1u << l;
            if (name && strcmp(name, LOCAL_COLUMN) == 0)
                m->level_columns |= 1u << POND_TEMPORAL_MAX;
            duckdb_free(name);
            duckdb_free(type);
        }
    }
    duckdb_destroy_result(&res);
    pond_buf_free(&sql);
    return rc;
}

static int plan_one(stage_state *s, match *m)
{
    int rc;
    pond_buf rel = POND_BUF_INIT, staged = POND_BUF_INIT;

    if (m->relation && (rc = describe_relation(s, m)) != POND_OK)
        goto done;

    if (m->type != POND_ENTRY_DATA && s->nlevels) {
        if (m->type != POND_ENTRY_SERIES) {
            rc = pond_error_set(POND_EINVALID,
                                "cannot partition '%s' by --temporal: it is a %s, which has "
                                "no timestamp column (export it without --temporal)",
                                m->path, pond_entry_type_name(m->type));
            goto done;
        }
        for (int l = 0; l <= POND_TEMPORAL_MAX; l++) {
            if ((l < s->nlevels || l == POND_TEMPORAL_MAX) && (m->level_columns & (1u << l))) {
                rc = pond_error_set(POND_EINVALID,
                                    "cannot partition '%s' by --temporal: it has a column named "
                                    "'%s' already",
                                    m->path,
                                    l < POND_TEMPORAL_MAX ? pond_temporal_level_name(l)
                                                          : LOCAL_COLUMN);
                goto done;
            }
        }
    }
    if (m->type == POND_ENTRY_SERIES && (m->nfiles || m->relation) &&
        (s->nlevels || s->has_start || s->has_end)) {
        if (!m->ts_col || m->ts_missing_version || !m->ts_type) {
            rc = pond_error_set(POND_EINVALID,
                                "series '%s' has no timestamp column '%s'%s%lld: cannot "
                                "partition or filter it by time",
                                m->path, m->ts_col ? m->ts_col : "",
                                m->ts_missing_version ? " in version " : "",
                                (long long)m->ts_missing_version);
            goto done;
        }
    }
    if ((rc = output_rel(s, m, &rel)) != POND_OK)
        goto done;
    if ((rc = pond_export_ctx_claim_output(s->ctx, rel.ptr, m->type != POND_ENTRY_DATA, m->path,
                                           &staged)) != POND_OK)
        goto done;
    if (!(m->rel = pond_buf_detach(&rel))) {
        rc = pond_error_oom();
        goto done;
    }
    if (s->opts->update && (rc = data_export_plan_update(s, m)) != POND_OK)
        goto done;
done:
    pond_buf_free(&rel);
    pond_buf_free(&staged);
    return rc;
}

/* ---- SQL --------------------------------------------------------------------------------- */

static int is_tz_type(const char *type)
{
    return type && (strcmp(type, "TIMESTAMP WITH TIME ZONE") == 0 || strcmp(type, "TIMESTAMPTZ") == 0);
}

/* 1 when partitions are in UTC, where a stored TIMESTAMP already is the wall-clock time. */
int data_export_is_utc(const stage_state *s)
{
    const char *tz = s->opts->timezone;
    return !tz || strcmp(tz, "UTC") == 0 || strcmp(tz, "Etc/UTC") == 0 || strcmp(tz, "GMT") == 0 ||
           strcmp(tz, "Etc/GMT") == 0;
}

/* The timestamp column of m as an SQL expression (see TS_BY_VARIABLE). */
static int put_ts(pond_buf *b, const match *m)
{
    if (pond_export__sql_ident_ok(m->ts_col))
        return pond_buf_printf(b, "\"%s\"", m->ts_col);
    return pond_buf_puts(b, TS_BY_VARIABLE);
}

/* The local wall-clock time of a row as a plain TIMESTAMP, in the session time zone, from
 * which year() … minute() are cheap (calling them on a TIMESTAMPTZ goes through an ICU
 * calendar per call: three times slower). */
static int put_local(pond_buf *b, const stage_state *s, const match *m)
{
    int rc, tz = is_tz_type(m->ts_type);
    if (data_export_is_utc(s)) {
        if ((rc = pond_buf_puts(b, tz ? "timezone('UTC', " : "CAST(")) || (rc = put_ts(b, m)))
            return rc;
        return pond_buf_puts(b, tz ? ")" : " AS TIMESTAMP)");
    }
    if ((rc = pond_buf_puts(b, tz ? "timezone(current_setting('TimeZone'), "
                                  : "timezone(current_setting('TimeZone'), timezone('UTC', "
                                    "CAST(")) ||
        (rc = put_ts(b, m)))
        return rc;
    return pond_buf_puts(b, tz ? ")" : " AS TIMESTAMP)))");
}

typedef enum {
    SELECT_PLAIN,  /* cols */
    SELECT_LEVELS, /* every column, and one per --temporal level (dry run) */
    SELECT_KEY     /* every column, and the partition key POND_KEY_COLUMN (partition_plan.h) */
} select_mode;

/* "SELECT <cols> FROM read_parquet($<files>[, union_by_name=true])[ WHERE …]", parameters
 * from $first: the file list, then the start and end time when given.  SELECT_LEVELS: the
 * columns are all of the source's plus one per --temporal level (computed from the local
 * time in a subquery column that is left out again); else cols. */
static int put_select(pond_buf *b, const stage_state *s, const match *m, const char *cols,
                      select_mode mode, int first)
{
    int rc = POND_OK;
    int timed = m->type == POND_ENTRY_SERIES;
    int levels = mode != SELECT_PLAIN && s->nlevels;

    if (levels && mode == SELECT_KEY) {
        rc = pond_buf_puts(b, "SELECT * EXCLUDE (" LOCAL_COLUMN "), ");
        if (rc || (rc = pond_partition_key_sql(b, s->nlevels, LOCAL_COLUMN)) ||
            (rc = pond_buf_puts(b, " AS " POND_KEY_COLUMN " FROM (SELECT *, ")) ||
            (rc = put_local(b, s, m)) || (rc = pond_buf_puts(b, " AS " LOCAL_COLUMN)))
            return rc;
    } else if (levels) {
        rc = pond_buf_puts(b, "SELECT * EXCLUDE (" LOCAL_COLUMN ")");
        for (int l = 0; rc == POND_OK && l < s->nlevels; l++)
            rc = pond_buf_printf(b, ", %s(" LOCAL_COLUMN ") AS %s", pond_temporal_level_name(l),
                                 pond_temporal_level_name(l));
        if (rc || (rc = pond_buf_puts(b, " FROM (SELECT *, ")) || (rc = put_local(b, s, m)) ||
            (rc = pond_buf_puts(b, " AS " LOCAL_COLUMN)))
            return rc;
    } else if ((rc = pond_buf_printf(b, "SELECT %s", cols)) != POND_OK) {
        return rc;
    }
    if (rc == POND_OK && m->relation)
        rc = pond_buf_printf(b, " FROM %s AS pond_dynamic", m->relation);
    else if (rc == POND_OK)
        rc = pond_buf_printf(b, " FROM read_parquet($%d%s)", first++,
                             m->mixed_schemas ? ", union_by_name=true" : "");
    if (rc == POND_OK && timed && s->has_start &&
        (!(rc = pond_buf_puts(b, " WHERE ")) && !(rc = put_ts(b, m))))
        rc = pond_buf_printf(b, " >= $%d", first++);
    if (rc == POND_OK && timed && s->has_end &&
        (!(rc = pond_buf_puts(b, s->has_start ? " AND " : " WHERE ")) && !(rc = put_ts(b, m))))
        rc = pond_buf_printf(b, " < $%d", first++);
    if (rc == POND_OK && levels)
        rc = pond_buf_puts(b, ")");
    return rc;
}

/* Bind the file list at $first and the time bounds after it. */
static int bind_source(duckdb_prepared_statement st, const stage_state *s, const match *m,
                       idx_t first)
{
    int rc = POND_OK;
    duckdb_logical_type vt = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
    duckdb_value *vals = calloc(m->nfiles ? m->nfiles : 1, sizeof *vals);
    duckdb_value list = NULL;

    if (!vals) {
        rc = pond_error_oom();
        goto done;
    }
    for (size_t i = 0; i < m->nfiles; i++)
        vals[i] = duckdb_create_varchar(m->files[i]);
    list = m->relation ? NULL : duckdb_create_list_value(vt, vals, m->nfiles);
    if (m->relation) {
        /* a dynamic source is its relation: no file list to bind */
    } else if (!list || duckdb_bind_value(st, first++, list) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot bind the version files of '%s'", m->path);
        goto done;
    }
    if (m->type == POND_ENTRY_SERIES) {
        int64_t bounds[2] = {s->start_us, s->end_us};
        int has[2] = {s->has_start, s->has_end};
        for (int i = 0; i < 2; i++) {
            duckdb_state ok;
            if (!has[i])
                continue;
            if (is_tz_type(m->ts_type))
                ok = duckdb_bind_timestamp_tz(st, first++, (duckdb_timestamp){bounds[i]});
            else
                ok = duckdb_bind_timestamp(st, first++, (duckdb_timestamp){bounds[i]});
            if (ok == DuckDBError) {
                rc = pond_error_set(POND_ERROR, "cannot bind the time bounds for '%s'", m->path);
                goto done;
            }
        }
    }
done:
    for (size_t i = 0; vals && i < m->nfiles; i++)
        duckdb_destroy_value(&vals[i]);
    free(vals);
    duckdb_destroy_value(&list);
    duckdb_destroy_logical_type(&vt);
    return rc;
}

/* SET VARIABLE pond_ts to m's timestamp column (bound), for TS_BY_VARIABLE. */
static int set_ts_variable(stage_state *s, const match *m)
{
    int rc = POND_OK;
    duckdb_result res;

    if (!s->set_ts && duckdb_prepare(pond_export_ctx_con(s->ctx), "SET VARIABLE pond_ts = $1",
                                     &s->set_ts) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot prepare SET VARIABLE: %s",
                            duckdb_prepare_error(s->set_ts));
        duckdb_destroy_prepare(&s->set_ts);
        return rc;
    }
    if (duckdb_bind_varchar(s->set_ts, 1, m->ts_col) == DuckDBError)
        return pond_error_set(POND_ERROR, "cannot bind the timestamp column of '%s'", m->path);
    if (duckdb_execute_prepared(s->set_ts, &res) == DuckDBError)
        rc = pond_error_set(POND_ERROR, "cannot set the timestamp column of '%s': %s", m->path,
                            duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    return rc;
}

/* Prepare sql, bind the source from $first (and target at $1 when given), execute. */
static int run_sql(stage_state *s, const match *m, const char *sql, const char *target,
                   idx_t first, duckdb_result *res)
{
    int rc = POND_OK;
    duckdb_prepared_statement st = NULL;

    if (m->ts_col && !pond_export__sql_ident_ok(m->ts_col) && (rc = set_ts_variable(s, m)))
        return rc;
    if (duckdb_prepare(pond_export_ctx_con(s->ctx), sql, &st) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot export '%s': %s", m->path,
                            duckdb_prepare_error(st));
        duckdb_destroy_prepare(&st);
        return rc;
    }
    if (target && duckdb_bind_varchar(st, 1, target) == DuckDBError)
        rc = pond_error_set(POND_ERROR, "cannot bind the output path of '%s'", m->path);
    if (rc == POND_OK)
        rc = bind_source(st, s, m, first);
    if (rc == POND_OK) {
        if (pond_export_progress_execute(pond_export_ctx_progress(s->ctx),
                                         pond_export_ctx_con(s->ctx), st, res) == DuckDBError) {
            rc = pond_error_set(POND_ERROR, "cannot export '%s': %s", m->path,
                                duckdb_result_error(res));
            duckdb_destroy_result(res);
        }
    }
    duckdb_destroy_prepare(&st);
    return rc;
}

/* ---- write ------------------------------------------------------------------------------- */

static int64_t floor_ms(int64_t us) { return us >= 0 ? us / 1000 : -((-us + 999) / 1000); }

static int check_fail_hook(stage_state *s)
{
    if (s->fail_after >= 0 && (long)s->files >= s->fail_after)
        return pond_error_set(POND_ERROR,
                              "injected failure after %zu files (POND_TEST_FAIL_AFTER_FILES)",
                              s->files);
    return POND_OK;
}

/* m's export_metadata rows for file_path; kept: a file --update keeps (written false). */
int data_export_record_file(stage_state *s, const match *m, const char *file_path,
                            int has_window, int64_t start_ms, int64_t end_ms, int has_rows,
                            int64_t rows, int kept)
{
    pond_export_record r = {0};
    r.kept = kept;
    r.pattern = m->pattern;
    r.caps = &m->caps;
    r.file_path = file_path;
    r.has_start = r.has_end = has_window;
    r.start_time = start_ms;
    r.end_time = end_ms;
    r.has_row_count = has_rows;
    r.row_count = rows;
    r.stage = s->stage_no;
    r.source = m->path;
    return pond_export_ctx_record(s->ctx, &r);
}

static int record(stage_state *s, const match *m, const char *file_path, int has_window,
                  int64_t start_ms, int64_t end_ms, int has_rows, int64_t rows)
{
    return data_export_record_file(s, m, file_path, has_window, start_ms, end_ms, has_rows, rows,
                                   0);
}

static int write_data(stage_state *s, const match *m)
{
    int rc;
    pond_buf staged = POND_BUF_INIT;

    if (m->nfiles == 0)
        return POND_OK;
    if (pond_export_ctx_dry_run(s->ctx)) {
        if ((rc = pond_export_progress_file(pond_export_ctx_progress(s->ctx), m->rel, m->path,
                                            -1)) != POND_OK)
            return rc;
        return record(s, m, m->rel, 0, 0, 0, 0, 0);
    }
    if ((rc = pond_buf_printf(&staged, "%s/out/%s", pond_export_ctx_staging(s->ctx), m->rel)) ==
            POND_OK &&
        (rc = pond_version_copy(&(pond_version_info){ .size = m->data_size,
                                                      .sha256 = m->data_sha256,
                                                      .content_path = m->files[0] },
                                staged.ptr)) == POND_OK) {
        s->files++;
        rc = data_export_record_written(s, m, m->rel, NULL, 0, 0, 0, 0, 0);
    }
    pond_buf_free(&staged);
    return rc;
}

/* The first and last event time of m's rows (non-temporal) from its source, for a dry run:
 * nothing is written to read them from. */
static int source_event_range(stage_state *s, const match *m, int *has, int64_t *first_ms,
                              int64_t *last_ms)
{
    int rc = POND_OK;
    pond_buf sql = POND_BUF_INIT, cols = POND_BUF_INIT;
    duckdb_result res;

    if ((rc = pond_buf_puts(&cols, "epoch_ms(min(")) || (rc = put_ts(&cols, m)) ||
        (rc = pond_buf_puts(&cols, ")), epoch_ms(max(")) || (rc = put_ts(&cols, m)) ||
        (rc = pond_buf_puts(&cols, "))")) ||
        (rc = put_select(&sql, s, m, cols.ptr, SELECT_PLAIN, 1)))
        goto done;
    if ((rc = run_sql(s, m, sql.ptr, NULL, 1, &res)) != POND_OK)
        goto done;
    if (!duckdb_value_is_null(&res, 0, 0)) {
        *has = 1;
        *first_ms = duckdb_value_int64(&res, 0, 0);
        *last_ms = duckdb_value_int64(&res, 1, 0);
    }
    duckdb_destroy_result(&res);
done:
    pond_buf_free(&sql);
    pond_buf_free(&cols);
    return rc;
}

/* The first and last event time of the rows written for m (non-temporal): the files w placed
 * under out, or with w NULL (a dry run) the rows that would be. */
static int event_range(stage_state *s, const match *m, const pond_written *w, const char *out,
                       int *has, int64_t *first_ms, int64_t *last_ms)
{
    int rc = POND_OK;
    pond_buf sql = POND_BUF_INIT, path = POND_BUF_INIT;
    duckdb_prepared_statement st = NULL;
    duckdb_logical_type vt = NULL;
    duckdb_value *vals = NULL, list = NULL;
    duckdb_result res;

    *has = 0;
    if (m->type != POND_ENTRY_SERIES || (w && w->n == 0))
        return POND_OK;
    if (!s->has_start && !s->has_end && !m->relation) {
        /* All rows: the versions' own min/max from the catalog. */
        *has = m->has_time;
        *first_ms = floor_ms(m->min_us);
        *last_ms = floor_ms(m->max_us);
        return POND_OK;
    }
    if (!w)
        return source_event_range(s, m, has, first_ms, last_ms);
    /* Else the min/max of the time column of the files just written: one column of the rows
     * kept, where the source again would be every row (and a dynamic node computed twice). */
    if (m->ts_col && !pond_export__sql_ident_ok(m->ts_col) && (rc = set_ts_variable(s, m)))
        return rc;
    if ((rc = pond_buf_puts(&sql, "SELECT epoch_ms(min(")) || (rc = put_ts(&sql, m)) ||
        (rc = pond_buf_puts(&sql, ")), epoch_ms(max(")) || (rc = put_ts(&sql, m)) ||
        (rc = pond_buf_puts(&sql, ")) FROM read_parquet($1)")))
        goto done;
    if (!(vals = calloc(w->n, sizeof *vals)) ||
        !(vt = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR))) {
        rc = pond_error_oom();
        goto done;
    }
    for (size_t i = 0; i < w->n; i++) {
        pond_buf_clear(&path);
        if ((rc = pond_buf_printf(&path, "%s/%s", out, w->v[i].name)) != POND_OK)
            goto done;
        vals[i] = duckdb_create_varchar(path.ptr);
    }
    list = duckdb_create_list_value(vt, vals, w->n);
    if (duckdb_prepare(pond_export_ctx_con(s->ctx), sql.ptr, &st) == DuckDBError ||
        !list || duckdb_bind_value(st, 1, list) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot read the time range written for '%s': %s",
                            m->path, st ? duckdb_prepare_error(st) : "out of memory");
        goto done;
    }
    if (duckdb_execute_prepared(st, &res) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot read the time range written for '%s': %s",
                            m->path, duckdb_result_error(&res));
        duckdb_destroy_result(&res);
        goto done;
    }
    if (!duckdb_value_is_null(&res, 0, 0)) {
        *has = 1;
        *first_ms = duckdb_value_int64(&res, 0, 0);
        *last_ms = duckdb_value_int64(&res, 1, 0);
    }
    duckdb_destroy_result(&res);
done:
    for (size_t i = 0; vals && i < w->n; i++)
        duckdb_destroy_value(&vals[i]);
    free(vals);
    duckdb_destroy_value(&list);
    if (vt)
        duckdb_destroy_logical_type(&vt);
    duckdb_destroy_prepare(&st);
    pond_buf_free(&sql);
    pond_buf_free(&path);
    return rc;
}

/* Compute the windows of all partitions written in one go. */
static int prefetch_windows(stage_state *s, const pond_written *w)
{
    int rc;
    size_t n = 0;
    int64_t *vals = malloc((w->n ? w->n : 1) * POND_TEMPORAL_MAX * sizeof *vals);

    if (!vals)
        return pond_error_oom();
    for (size_t i = 0; i < w->n; i++)
        if (w->v[i].key_ok && (i == 0 || !w->v[i - 1].key_ok || w->v[i - 1].key != w->v[i].key))
            memcpy(&vals[n++ * POND_TEMPORAL_MAX], w->v[i].vals, sizeof w->v[i].vals);
    rc = pond_temporal_windows_prefetch(s->windows, vals, n);
    free(vals);
    return rc;
}

/* At most this many partitions in flight per COPY: DuckDB keeps ~70 KB per open partition,
 * so ten years by hour (87,600) in one COPY would need gigabytes (issue 11). */
#define POND_PARTITIONS_PER_COPY 2000

/* The partition keys [*kmin, *kmax] m's rows can fall in: the catalog's time range of m,
 * narrowed to the stage's bounds and widened by margin_us either side (for the export's time
 * zone).  0 when m has no time range (or none within the bounds). */
static int key_span(const stage_state *s, const match *m, int64_t margin_us, int64_t *kmin,
                    int64_t *kmax)
{
    int64_t lo = m->min_us, hi = m->max_us;

    if (!m->has_time || m->type != POND_ENTRY_SERIES)
        return 0;
    if (s->has_start && s->start_us > lo)
        lo = s->start_us;
    if (s->has_end && s->end_us < hi)
        hi = s->end_us;
    if (hi < lo)
        return 0;
    *kmin = pond_partition_key_of_local(s->nlevels, lo - margin_us);
    *kmax = pond_partition_key_of_local(s->nlevels, hi + margin_us);
    return 1;
}

/* The time windows to write m in, so that no COPY has more than POND_PARTITIONS_PER_COPY
 * partitions: none (*n = 0: one COPY) when m's time range (from the catalog) has fewer.  The
 * first window is open below and the last open above, so no row can fall outside all. */
static int plan_windows(stage_state *s, const match *m, time_window **out, size_t *n)
{
    const int64_t margin = 26 * INT64_C(3600000000); /* any time zone's offset, and more */
    int64_t kmin, kmax;

    *out = NULL;
    *n = 0;
    if (!key_span(s, m, margin, &kmin, &kmax) || kmax - kmin < POND_PARTITIONS_PER_COPY)
        return POND_OK;
    size_t count = (size_t)((kmax - kmin) / POND_PARTITIONS_PER_COPY) + 1;
    time_window *w = calloc(count, sizeof *w);
    if (!w)
        return pond_error_oom();
    for (size_t i = 0; i < count; i++) {
        /* window i starts where partition kmin + i * PER_COPY starts (in the export's zone) */
        if (i + 1 < count) {
            int64_t vals[POND_TEMPORAL_MAX], ws, we;
            int rc;
            pond_partition_key_levels(s->nlevels,
                                      kmin + (int64_t)(i + 1) * POND_PARTITIONS_PER_COPY, vals);
            if ((rc = pond_temporal_window(s->windows, vals, &ws, &we)) != POND_OK) {
                free(w);
                return rc;
            }
            w[i].has_hi = w[i + 1].has_lo = 1;
            w[i].hi_us = w[i + 1].lo_us = ws * 1000;
        }
    }
    *out = w;
    *n = count;
    return POND_OK;
}

/* Narrow the stage's --start-time/--end-time bounds to w (put_select and bind_source read
 * them); the caller restores them. */
void data_export_narrow_bounds(stage_state *s, const time_window *w)
{
    if (w->has_lo && (!s->has_start || w->lo_us > s->start_us)) {
        s->has_start = 1;
        s->start_us = w->lo_us;
    }
    if (w->has_hi && (!s->has_end || w->hi_us < s->end_us)) {
        s->has_end = 1;
        s->end_us = w->hi_us;
    }
}

/* The COPYs of m for one range of time (its whole time when range is NULL): one per window of
 * at most POND_PARTITIONS_PER_COPY partitions, each into its own work directory; the files
 * they wrote are added to w. */
static int copy_range(stage_state *s, const match *m, const time_window *range, const char *out,
                      pond_written *w)
{
    int rc = POND_OK;
    pond_buf sql = POND_BUF_INIT, target = POND_BUF_INIT;
    duckdb_result res;
    time_window *wins = NULL;
    size_t nwins = 0;
    int had_start = s->has_start, had_end = s->has_end;
    int64_t start_us = s->start_us, end_us = s->end_us;

    if (range)
        data_export_narrow_bounds(s, range);
    if (s->nlevels) {
        /* staging/work/<n>: DuckDB makes <n>, not its parent */
        if ((rc = pond_buf_printf(&target, "%s/work", pond_export_ctx_staging(s->ctx))) ||
            (rc = pond_fs_mkdir_p(target.ptr)))
            goto done;
        rc = pond_buf_printf(&target, "/%zu", s->work_seq++);
    } else
        rc = pond_buf_printf(&target, "%s/data.parquet", out);
    if (rc || (s->nlevels && (rc = plan_windows(s, m, &wins, &nwins))))
        goto done;
    size_t base = target.len;
    for (size_t i = 0; i < (nwins ? nwins : 1); i++) {
        int had_start_w = s->has_start, had_end_w = s->has_end;
        int64_t start_w = s->start_us, end_w = s->end_us;
        pond_buf_clear(&sql);
        if (nwins) {
            pond_buf_truncate(&target, base);
            rc = pond_buf_printf(&target, "_%zu", i);
            data_export_narrow_bounds(s, &wins[i]);
        }
        if (rc == POND_OK && !(rc = pond_buf_puts(&sql, "COPY (")) &&
            !(rc = put_select(&sql, s, m, "*", s->nlevels ? SELECT_KEY : SELECT_PLAIN, 2)) &&
            !(rc = pond_buf_puts(&sql, ") TO $1 (FORMAT PARQUET")) &&
            !(s->nlevels && (rc = pond_buf_puts(&sql, ", PARTITION_BY (" POND_KEY_COLUMN ")"))) &&
            !(rc = pond_buf_puts(&sql, ", RETURN_FILES)")) &&
            !(rc = run_sql(s, m, sql.ptr, target.ptr, 2, &res))) {
            rc = pond_written_add_result(w, &res, s->nlevels ? target.ptr : out, s->nlevels);
            duckdb_destroy_result(&res);
        }
        s->has_start = had_start_w;
        s->has_end = had_end_w;
        s->start_us = start_w;
        s->end_us = end_w;
        if (rc != POND_OK)
            goto done;
    }
done:
    s->has_start = had_start;
    s->has_end = had_end;
    s->start_us = start_us;
    s->end_us = end_us;
    free(wins);
    pond_buf_free(&sql);
    pond_buf_free(&target);
    return rc;
}

/* The export_metadata rows and manifest entry of f, a file placed in m's output (its window
 * from its key, or without --temporal the range has_range, first_ms, last_ms); buf is
 * scratch. */
static int record_placed(stage_state *s, const match *m, const pond_written_file *f,
                         pond_buf *buf, int has_range, int64_t first_ms, int64_t last_ms)
{
    int rc;

    pond_buf_clear(buf);
    if ((rc = pond_buf_printf(buf, "%s/%s", m->rel, f->name)) != POND_OK)
        return rc;
    if (s->nlevels) {
        int64_t ws = 0, we = 0;
        if (f->key_ok && (rc = pond_temporal_window(s->windows, f->vals, &ws, &we)))
            return rc;
        rc = data_export_record_written(s, m, buf->ptr, f, f->key_ok, ws, we, 1, f->rows);
    } else {
        rc = data_export_record_written(s, m, buf->ptr, NULL, has_range && f->rows > 0,
                                        first_ms, last_ms, 1, f->rows);
    }
    if (rc == POND_OK) {
        s->files++;
        s->rows += f->rows;
    }
    return rc;
}

/* A table or series: its COPYs (partitioned by the integer key of partition_plan.h into work
 * directories under staging, then placed by partition_write.c), and its records.  ranges:
 * under a partial --update, the time ranges of the partitions to write again (nranges 0:
 * everything); each partition directory written is then a part of the output to replace. */
int data_export_write_table(stage_state *s, const match *m, const time_window *ranges,
                            size_t nranges)
{
    int rc = POND_OK;
    pond_buf out = POND_BUF_INIT, file_path = POND_BUF_INIT, work = POND_BUF_INIT;
    pond_written w = POND_WRITTEN_INIT;

    if (m->nfiles == 0 && !m->relation)
        return POND_OK; /* a series without versions: nothing to write */
    if ((rc = pond_buf_printf(&out, "%s/out/%s", pond_export_ctx_staging(s->ctx), m->rel)))
        goto done;
    for (size_t i = 0; i < (nranges ? nranges : 1); i++)
        if ((rc = copy_range(s, m, nranges ? &ranges[i] : NULL, out.ptr, &w)) != POND_OK)
            goto done;
    const char *outs[1] = {out.ptr};
    if ((rc = pond_written_place(&w, s->nlevels, outs, 1)) != POND_OK)
        goto done;
    if (s->nlevels && ((rc = pond_buf_printf(&work, "%s/work", pond_export_ctx_staging(s->ctx))) ||
                       (rc = pond_fs_rm_rf(work.ptr))))
        goto done;
    if (s->nlevels && (rc = prefetch_windows(s, &w)) != POND_OK)
        goto done;

    int has_range = 0;
    int64_t first_ms = 0, last_ms = 0;
    if (!s->nlevels &&
        (rc = event_range(s, m, &w, out.ptr, &has_range, &first_ms, &last_ms)) != POND_OK)
        goto done;
    for (size_t i = 0; i < w.n; i++) {
        const pond_written_file *f = &w.v[i];
        pond_buf_clear(&file_path);
        if (nranges && (i == 0 || strcmp(f->final, w.v[i - 1].final) != 0)) {
            /* a partition directory of a partial output: replaces the old one whole */
            if ((rc = pond_buf_printf(&file_path, "%s/%s", m->rel, f->final)) ||
                (rc = pond_export_ctx_replace_part(s->ctx, file_path.ptr)))
                goto done;
        }
        if ((rc = record_placed(s, m, f, &file_path, has_range, first_ms, last_ms)) != POND_OK)
            goto done;
    }
done:
    pond_written_free(&w);
    pond_buf_free(&out);
    pond_buf_free(&file_path);
    pond_buf_free(&work);
    return rc;
}

/* ---- batches of series (batch_copy.h) ---------------------------------------------------- */

/* 1 when m can share one COPY with other series: a stored series written whole under
 * --temporal, of one schema without names the batch's SQL uses, that does not need windows
 * by itself; *span is how many partitions it may write (in UTC exactly its catalog range's,
 * else a day more either side). */
static int batch_ok(const stage_state *s, const match *m, int64_t *span)
{
    int64_t kmin, kmax, margin = data_export_is_utc(s) ? 0 : 26 * INT64_C(3600000000);

    if (!s->nlevels || pond_export_ctx_dry_run(s->ctx) || m->type != POND_ENTRY_SERIES ||
        m->relation || !m->nfiles || m->mixed_schemas || m->batch_names ||
        m->upd.action != POND_UPDATE_WRITE || !m->ts_col || !m->ts_type ||
        !key_span(s, m, margin, &kmin, &kmax))
        return 0;
    *span = kmax - kmin + 1;
    return *span < POND_PARTITIONS_PER_COPY;
}

/* 1 when b reads like a: the same schema, timestamp column and type. */
static int batch_same(const match *a, const match *b)
{
    return strcmp(a->schemas_sha256, b->schemas_sha256) == 0 && strcmp(a->ts_col, b->ts_col) == 0 &&
           strcmp(a->ts_type, b->ts_type) == 0;
}

/* How many of the n matches from m on are written by one COPY (1: m alone): a run of
 * batch_ok, batch_same series with at most POND_PARTITIONS_PER_COPY partitions in all. */
static size_t batch_len(const stage_state *s, const match *m, size_t n)
{
    int64_t total, span;
    size_t k = 1;

    if (n < 2 || !batch_ok(s, m, &total))
        return 1;
    while (k < n && batch_ok(s, &m[k], &span) && batch_same(m, &m[k]) &&
           total + span <= POND_PARTITIONS_PER_COPY) {
        total += span;
        k++;
    }
    return k;
}

/* The n matches from m on (batch_len) by one COPY into staging/work/<seq>, each file then
 * placed in its series' output and recorded as write_table does, series by series.  When
 * the COPY fails (not canceled), nothing is placed and *alone is set: the caller writes the
 * series one by one, which names the one at fault. */
static int write_batch(stage_state *s, const match *m, size_t n, int *alone)
{
    int rc = POND_OK;
    pond_buf local = POND_BUF_INIT, ts = POND_BUF_INIT, target = POND_BUF_INIT,
             what = POND_BUF_INIT, file_path = POND_BUF_INIT;
    pond_export_progress *pr = pond_export_ctx_progress(s->ctx);
    pond_written w = POND_WRITTEN_INIT;
    size_t nfiles = 0;
    char **outs = calloc(n, sizeof *outs);
    const char **files = NULL;
    int64_t *series = NULL;

    *alone = 0;
    for (size_t i = 0; i < n; i++)
        nfiles += m[i].nfiles;
    if (!outs || !(files = calloc(nfiles, sizeof *files)) ||
        !(series = calloc(nfiles, sizeof *series))) {
        rc = pond_error_oom();
        goto done;
    }
    for (size_t i = 0, k = 0; i < n; i++) {
        pond_buf out = POND_BUF_INIT;
        if ((rc = pond_buf_printf(&out, "%s/out/%s", pond_export_ctx_staging(s->ctx), m[i].rel)) ||
            !(outs[i] = pond_buf_detach(&out))) {
            pond_buf_free(&out);
            rc = rc ? rc : pond_error_oom();
            goto done;
        }
        for (size_t j = 0; j < m[i].nfiles; j++, k++) {
            files[k] = m[i].files[j];
            series[k] = (int64_t)i;
        }
    }
    /* staging/work/<n>: DuckDB makes <n>, not its parent */
    if ((rc = pond_buf_printf(&target, "%s/work", pond_export_ctx_staging(s->ctx))) ||
        (rc = pond_fs_mkdir_p(target.ptr)) ||
        (rc = pond_buf_printf(&target, "/%zu", s->work_seq++)) || (rc = put_local(&local, s, m)) ||
        (rc = put_ts(&ts, m)) ||
        (rc = pond_buf_printf(&what, "'%s' and %zu more series", m->path, n - 1)))
        goto done;
    if (!pond_export__sql_ident_ok(m->ts_col) && (rc = set_ts_variable(s, m)))
        goto done;
    if ((rc = pond_export_progress_source(pr, m->path, 0)) != POND_OK)
        goto done;
    pond_batch_copy c = {.target = target.ptr, .local_sql = local.ptr, .ts_sql = ts.ptr,
                         .ts_is_tz = is_tz_type(m->ts_type), .nlevels = s->nlevels,
                         .has_start = s->has_start, .has_end = s->has_end,
                         .start_us = s->start_us, .end_us = s->end_us, .files = files,
                         .series = series, .nfiles = nfiles, .nseries = n, .what = what.ptr};
    if ((rc = pond_batch_copy_run(pond_export_ctx_con(s->ctx), pr, &c, &w)) != POND_OK) {
        if (!pond_export_progress_stopped(pr) && pond_fs_rm_rf(target.ptr) == POND_OK) {
            *alone = 1;
            rc = POND_OK;
        }
        goto done;
    }
    if ((rc = pond_written_place(&w, s->nlevels, (const char *const *)outs, n)) ||
        (rc = pond_buf_printf(&target, "%s/work", pond_export_ctx_staging(s->ctx))) ||
        (rc = pond_fs_rm_rf(target.ptr)) || (rc = prefetch_windows(s, &w)))
        goto done;
    /* the files are sorted by series: each series' records, as if it had been written alone */
    for (size_t i = 0, f = 0; i < n; i++) {
        if ((rc = pond_export_progress_source(pr, m[i].path, m[i].rows)) ||
            (rc = data_export_begin_entry(s, &m[i])))
            goto done;
        for (; f < w.n && w.v[f].src_index == (long)i; f++) {
            pond_buf_clear(&file_path);
            if ((rc = record_placed(s, &m[i], &w.v[f], &file_path, 0, 0, 0)) != POND_OK)
                goto done;
        }
        if ((rc = check_fail_hook(s)) != POND_OK)
            goto done;
        s->matches_done++;
        if ((rc = pond_export_progress_source_done(pr, s->files, 0)) != POND_OK)
            goto done;
    }
done:
    for (size_t i = 0; outs && i < n; i++)
        free(outs[i]);
    free(outs);
    free(files);
    free(series);
    pond_written_free(&w);
    pond_buf_free(&local);
    pond_buf_free(&ts);
    pond_buf_free(&target);
    pond_buf_free(&what);
    pond_buf_free(&file_path);
    return rc;
}

/* --dry-run for a table or series: the files it would write, from one GROUP BY over the
 * source (no file written, nothing created). */
int data_export_dry_run_table(stage_state *s, const match *m)
{
    int rc = POND_OK;
    pond_buf sql = POND_BUF_INIT, file_path = POND_BUF_INIT;
    duckdb_result res;
    int have_res = 0;

    if (m->nfiles == 0 && !m->relation)
        return POND_OK;
    if ((rc = pond_buf_puts(&sql, "SELECT ")) != POND_OK)
        goto done;
    for (int l = 0; l < s->nlevels; l++)
        if ((rc = pond_buf_printf(&sql, "%s, ", pond_temporal_level_name(l))))
            goto done;
    if ((rc = pond_buf_puts(&sql, "count(*) FROM (")) || (rc = put_select(&sql, s, m, "*", SELECT_LEVELS, 1)) ||
        (rc = pond_buf_puts(&sql, s->nlevels ? ") GROUP BY ALL ORDER BY ALL" : ")")))
        goto done;
    if ((rc = run_sql(s, m, sql.ptr, NULL, 1, &res)) != POND_OK)
        goto done;
    have_res = 1;
    int has_range = 0;
    int64_t first_ms = 0, last_ms = 0;
    if (!s->nlevels &&
        (rc = event_range(s, m, NULL, NULL, &has_range, &first_ms, &last_ms)) != POND_OK)
        goto done;
    if (s->nlevels) {
        idx_t nr = duckdb_row_count(&res);
        size_t n = 0;
        int64_t *all = malloc((nr ? nr : 1) * POND_TEMPORAL_MAX * sizeof *all);
        if (!all) {
            rc = pond_error_oom();
            goto done;
        }
        for (idx_t r = 0; r < nr; r++) {
            int null = 0;
            for (int l = 0; l < s->nlevels; l++) {
                null |= duckdb_value_is_null(&res, (idx_t)l, r);
                all[n * POND_TEMPORAL_MAX + (size_t)l] = duckdb_value_int64(&res, (idx_t)l, r);
            }
            n += !null;
        }
        rc = pond_temporal_windows_prefetch(s->windows, all, n);
        free(all);
        if (rc != POND_OK)
            goto done;
    }
    for (idx_t r = 0; r < duckdb_row_count(&res); r++) {
        int64_t vals[POND_TEMPORAL_MAX] = {0}, ws = 0, we = 0;
        int64_t rows = duckdb_value_int64(&res, (idx_t)s->nlevels, r);
        int ok = 1;
        pond_buf_clear(&file_path);
        if ((rc = pond_buf_puts(&file_path, m->rel)) != POND_OK)
            goto done;
        for (int l = 0; l < s->nlevels; l++) {
            if (duckdb_value_is_null(&res, (idx_t)l, r)) {
                ok = 0;
                rc = pond_buf_printf(&file_path, "/%s=NULL", pond_temporal_level_name(l));
            } else {
                vals[l] = duckdb_value_int64(&res, (idx_t)l, r);
                rc = pond_buf_printf(&file_path, "/%s=%lld", pond_temporal_level_name(l),
                                     (long long)vals[l]);
            }
            if (rc != POND_OK)
                goto done;
        }
        if ((rc = pond_buf_puts(&file_path, "/data.parquet")) != POND_OK)
            goto done;
        if (s->nlevels) {
            if (ok && (rc = pond_temporal_window(s->windows, vals, &ws, &we)) != POND_OK)
                goto done;
        } else {
            ok = has_range && rows > 0;
            ws = first_ms;
            we = last_ms;
        }
        if ((rc = pond_export_progress_file(pond_export_ctx_progress(s->ctx), file_path.ptr,
                                            m->path, rows)) != POND_OK)
            goto done;
        if ((rc = data_export_record_written(s, m, file_path.ptr, NULL, ok, ws, we, 1, rows)))
            goto done;
        s->files++;
        s->rows += rows;
    }
done:
    if (have_res)
        duckdb_destroy_result(&res);
    pond_buf_free(&sql);
    pond_buf_free(&file_path);
    return rc;
}

/* ---- the stage --------------------------------------------------------------------------- */

int pond_stage_run_data_export(pond_export_ctx *ctx, const pond_stage *st, int stage_no)
{
    int rc = POND_OK;
    const pond_export_options *opts = pond_export_ctx_options(ctx);
    stage_state s = {0};
    collect_state cs = {0};
    const char *const *patterns = (const char *const *)st->patterns;
    size_t npatterns = st->npatterns;
    const char *temporal = st->temporal ? st->temporal : opts->temporal;
    const char *fail_env = getenv("POND_TEST_FAIL_AFTER_FILES");
    size_t ncapture_names;

    s.ctx = ctx;
    s.opts = opts;
    s.stage_no = stage_no;
    s.capture_names = st->capture_names ? st->capture_names : opts->capture_names;
    s.fail_after = fail_env && *fail_env ? strtol(fail_env, NULL, 10) : -1;
    if (!npatterns) {
        patterns = opts->patterns;
        npatterns = opts->npatterns;
    }
    if (!npatterns)
        return pond_error_set(POND_EINVALID, "no pattern to export (use -p PATTERN)");
    if (temporal && (rc = pond_temporal_parse(&s.nlevels, temporal)) != POND_OK)
        return rc;
    if (s.capture_names &&
        (rc = pond_export__capture_names_check(s.capture_names, &ncapture_names)) != POND_OK)
        return pond_error_wrap(rc, "--capture-names");
    if (opts->start_time && (rc = pond_time_parse(&s.start_us, opts->start_time)) != POND_OK)
        return pond_error_wrap(rc, "--start-time");
    if (opts->end_time && (rc = pond_time_parse(&s.end_us, opts->end_time)) != POND_OK)
        return pond_error_wrap(rc, "--end-time");
    s.has_start = opts->start_time != NULL;
    s.has_end = opts->end_time != NULL;
    s.options = json_pack("{s:o, s:s, s:o, s:o, s:o, s:s}", "temporal",
                          temporal ? json_string(temporal) : json_null(), "timezone",
                          opts->timezone ? opts->timezone : "UTC", "start_time",
                          opts->start_time ? json_string(opts->start_time) : json_null(),
                          "end_time", opts->end_time ? json_string(opts->end_time) : json_null(),
                          "capture_names",
                          s.capture_names ? json_string(s.capture_names) : json_null(), "fs",
                          st->fs == POND_FS_CONTROL ? "control" : "data");
    if (!s.options)
        return pond_error_oom();

    /* 1. collect */
    for (size_t i = 0; i < npatterns; i++) {
        size_t before = cs.n, skipped = cs.skipped;
        cs.pattern = patterns[i];
        rc = pond_glob(pond_export_ctx_pond(ctx), st->fs, patterns[i], POND_WITH_VERSIONS,
                       collect_one, &cs);
        if (cs.rc != POND_OK) {
            rc = cs.rc;
            goto done;
        }
        if (rc != POND_OK)
            goto done;
        if (cs.n == before) {
            rc = pond_error_set(POND_ENOTFOUND,
                                "pattern '%s' matches no file (only %zu director%s or symlink%s)",
                                patterns[i], cs.skipped - skipped,
                                cs.skipped - skipped == 1 ? "y" : "ies",
                                cs.skipped - skipped == 1 ? "" : "s");
            goto done;
        }
    }
    s.nmatches = cs.n;

    /* 2. plan: every output claimed before anything is written */
    for (size_t i = 0; i < cs.n; i++)
        if ((rc = plan_one(&s, &cs.m[i])) != POND_OK)
            goto done;
    if (s.nlevels &&
        (rc = pond_temporal_windows_new(&s.windows, pond_export_ctx_con(ctx), s.nlevels)))
        goto done;

    /* 3. write, reporting progress per source (and within its statements) */
    int64_t rows_total = 0, bytes_total = 0;
    for (size_t i = 0; i < cs.n; i++) {
        rows_total += cs.m[i].rows;
        bytes_total += cs.m[i].bytes;
    }
    pond_export_progress_totals(pond_export_ctx_progress(ctx), cs.n, rows_total, bytes_total);
    for (size_t i = 0, solo_until = 0; i < cs.n; i++) {
        const match *m = &cs.m[i];
        size_t nbatch = i >= solo_until ? batch_len(&s, m, cs.n - i) : 1;
        if (nbatch > 1) {
            int alone;
            if ((rc = write_batch(&s, m, nbatch, &alone)) != POND_OK)
                goto done;
            if (!alone) {
                i += nbatch - 1;
                continue;
            }
            solo_until = i + nbatch; /* the batch failed: one by one, for the right message */
        }
        if ((rc = pond_export_progress_source(pond_export_ctx_progress(ctx), m->path,
                                              m->rows)) != POND_OK)
            goto done;
        if ((rc = data_export_begin_entry(&s, m)) != POND_OK)
            goto done;
        if (m->upd.action == POND_UPDATE_KEEP)
            rc = data_export_update_keep(&s, m);
        else if (m->upd.action == POND_UPDATE_PARTIAL)
            rc = data_export_update_partial(&s, m, pond_export_ctx_dry_run(ctx));
        else if (m->type == POND_ENTRY_DATA)
            rc = write_data(&s, m);
        else if (pond_export_ctx_dry_run(ctx))
            rc = data_export_dry_run_table(&s, m);
        else
            rc = data_export_write_table(&s, m, NULL, 0);
        if (rc == POND_OK && !pond_export_ctx_dry_run(ctx))
            rc = check_fail_hook(&s);
        if (rc != POND_OK)
            goto done;
        s.matches_done++;
        if ((rc = pond_export_progress_source_done(pond_export_ctx_progress(ctx), s.files,
                                                   m->type == POND_ENTRY_DATA ? m->bytes : 0)))
            goto done;
    }
    pond_export_ctx_log(ctx, "%s %zu file%s (%lld rows) from %zu match%s",
                        pond_export_ctx_dry_run(ctx) ? "would write" : "wrote", s.files,
                        s.files == 1 ? "" : "s", (long long)s.rows, cs.n,
                        cs.n == 1 ? "" : "es");
    if (opts->update)
        pond_export_ctx_log(ctx,
                            "--update: kept %zu file%s unchanged (%zu output%s whole, %zu in "
                            "part), %s %zu partition%s",
                            s.kept_files, s.kept_files == 1 ? "" : "s", s.kept,
                            s.kept == 1 ? "" : "s", s.partial,
                            pond_export_ctx_dry_run(ctx) ? "would remove" : "removing",
                            s.removed_parts, s.removed_parts == 1 ? "" : "s");
done:
    json_decref(s.options);
    pond_temporal_windows_free(s.windows);
    if (s.set_ts) {
        duckdb_result res;
        duckdb_destroy_prepare(&s.set_ts);
        duckdb_query(pond_export_ctx_con(ctx), "RESET VARIABLE pond_ts", &res);
        duckdb_destroy_result(&res);
    }
    for (size_t i = 0; i < cs.n; i++)
        match_clear(&cs.m[i]);
    free(cs.m);
    return rc;
}
