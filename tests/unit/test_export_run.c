/*
 * tests/unit/test_export_run.c: pond_export() through the library API on a real pond: the
 * dry-run listing and the events (stage start/end, report lines, progress in rows, the end)
 * reach the callbacks, a quiet run reports nothing, a callback can cancel a run (the output
 * directory is left as it was), the result's tables read back as typed rows, option errors
 * (an unknown options version among them) come back as codes with messages, and the written
 * Parquet is read back with DuckDB.
 */
#include <duckdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "pond.h"
#include "util/buf.h"
#include "util/fs.h"

static char tmp[256];
static pond *p;

static int64_t query_int(const char *sql)
{
    duckdb_database db;
    duckdb_connection con;
    duckdb_result r;
    int64_t v = -999;
    if (duckdb_open(NULL, &db) != DuckDBSuccess)
        return v;
    duckdb_connect(db, &con);
    if (duckdb_query(con, sql, &r) == DuckDBSuccess)
        v = duckdb_value_int64(&r, 0, 0);
    else
        fprintf(stderr, "query failed: %s\n", duckdb_result_error(&r));
    duckdb_destroy_result(&r);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return v;
}

static pond_export_options options(const char *dir, const char *const *patterns, size_t n)
{
    static char path[512];
    pond_export_options o = POND_EXPORT_OPTIONS_INIT;
    snprintf(path, sizeof path, "%s/%s", tmp, dir);
    o.dir = path;
    o.patterns = patterns;
    o.npatterns = n;
    return o;
}

/* What the callbacks saw. */
typedef struct seen {
    pond_buf lines;     /* every event with a message, as "<type> <stage>: <message>\n" */
    pond_buf files;     /* the dry-run listing, as the CLI prints it */
    int progress;       /* PROGRESS events */
    int64_t rows_total; /* of the last PROGRESS event */
    int64_t rows_done;
    size_t sources_done, sources_total;
    int bad_version;    /* an event without POND_EXPORT_EVENT_VERSION */
    int cancel_at;      /* return 77 at this event (counted from 1); 0 = never */
    int events;
    int within;         /* PROGRESS events part-way through the first source */
} seen;

static int on_event(const pond_export_event *e, void *payload)
{
    seen *s = payload;
    s->events++;
    s->bad_version |= e->version != POND_EXPORT_EVENT_VERSION;
    if (e->type == POND_EXPORT_EVENT_PROGRESS) {
        s->progress++;
        s->rows_total = e->rows_total;
        s->rows_done = e->rows_done;
        s->sources_done = e->sources_done;
        s->sources_total = e->sources_total;
        s->within += e->sources_done == 0 && e->rows_done > 0 && e->rows_done < e->rows_total;
    } else {
        pond_buf_printf(&s->lines, "%d %zu: %s\n", (int)e->type, e->stage, e->message);
    }
    return s->events == s->cancel_at ? 77 : 0;
}

static int on_file(const pond_export_file *f, void *payload)
{
    seen *s = payload;
    pond_buf_printf(&s->files, "%s\t%s\t%lld\n", f->path, f->source, (long long)f->rows);
    return 0;
}

static void seen_free(seen *s)
{
    pond_buf_free(&s->lines);
    pond_buf_free(&s->files);
}

TEST(dry_run_lists_files_and_reports_events)
{
    const char *pats[] = {"/sites/*.series"};
    pond_export_options o = options("dry", pats, 1);
    seen s = {POND_BUF_INIT, POND_BUF_INIT, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    char want[600];

    o.temporal = "year,month,day";
    o.dry_run = 1;
    o.progress = on_event;
    o.dry_run_file = on_file;
    o.payload = &s;
    CHECK(pond_export(NULL, p, &o) == POND_OK);
    snprintf(want, sizeof want,
             "%s/BDock/year=2024/month=7/day=20/data.parquet\t/sites/BDock.series\t24\n"
             "%s/BDock/year=2024/month=7/day=21/data.parquet\t/sites/BDock.series\t24\n",
             o.dir, o.dir);
    CHECK_STR(s.files.ptr, want);
    CHECK(strstr(s.lines.ptr, "1 1: stage 1/1: data export (data_export)\n"
                              "0 1: would write 2 files (48 rows) from 1 match\n"
                              "3 1: done in ") == s.lines.ptr);
    CHECK(strstr(s.lines.ptr, "4 0: dry run: nothing written\n") != NULL);
    /* One source of 48 rows: the last PROGRESS event says all of it is read. */
    CHECK(s.progress >= 1);
    CHECK(s.rows_total == 48 && s.rows_done == 48);
    CHECK(s.sources_done == 1 && s.sources_total == 1);
    CHECK(!s.bad_version);
    CHECK(access(o.dir, F_OK) != 0);
    seen_free(&s);
}

TEST(quiet_run_writes_parquet)
{
    const char *pats[] = {"/sites/*.series"};
    pond_export_options o = options("out", pats, 1);
    char sql[1024];

    o.temporal = "year,month,day";
    CHECK(pond_export(NULL, p, &o) == POND_OK);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM read_parquet('%s/BDock/year=2024/month=7/day=21/data.parquet')",
             o.dir);
    CHECK(query_int(sql) == 24);
    /* The same run again: the output exists now. */
    CHECK(pond_export(NULL, p, &o) == POND_EEXISTS);
    CHECK(strstr(pond_error_last(), "output 'BDock' already exists") != NULL);
    o.overwrite = 1;
    o.temporal = NULL;
    CHECK(pond_export(NULL, p, &o) == POND_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM read_parquet('%s/BDock/**/*.parquet')", o.dir);
    CHECK(query_int(sql) == 48);
}

/* A callback's non-zero value cancels the run at any event: nothing reaches the directory. */
TEST(callback_cancels)
{
    const char *pats[] = {"/sites/*.series"};
    for (int at = 1; at <= 4; at++) {
        pond_export_options o = options("canceled", pats, 1);
        seen s = {POND_BUF_INIT, POND_BUF_INIT, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        s.cancel_at = at;
        o.temporal = "year,month,day";
        o.progress = on_event;
        o.payload = &s;
        CHECK(pond_export(NULL, p, &o) == 77);
        CHECK_STR(pond_error_last(), "export canceled");
        CHECK(s.events == at); /* no event after the one that canceled */
        CHECK(access(o.dir, F_OK) != 0);
        seen_free(&s);
    }
}

/* One series of two million rows: the rows count up while its one statement runs. */
TEST(one_big_series_shows_progress_in_rows)
{
    const char *pats[] = {"/big.series"};
    pond_export_options o = options("big", pats, 1);
    seen s = {POND_BUF_INIT, POND_BUF_INIT, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    char src[400], sql[800];
    const char *srcs[] = {src};
    pond_copy_options co = POND_COPY_OPTIONS_INIT;

    snprintf(src, sizeof src, "%s/big.parquet", tmp);
    snprintf(sql, sizeof sql,
             "COPY (SELECT TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS timestamp, i AS n, "
             "random() AS v FROM range(0, 2000000) t(i)) TO '%s' (FORMAT PARQUET)",
             src);
    query_int(sql);
    co.format = POND_COPY_SERIES;
    CHECK(pond_copy_in(p, srcs, 1, "/big.series", &co) == POND_OK);
    o.temporal = "year,month,day";
    o.progress = on_event;
    o.payload = &s;
    CHECK(pond_export(NULL, p, &o) == POND_OK);
    CHECK(s.rows_total == 2000000 && s.rows_done == 2000000);
    CHECK(s.within >= 1);
    seen_free(&s);
}

static int cancel_at_done(const pond_export_event *e, void *payload)
{
    (void)payload;
    return e->type == POND_EXPORT_EVENT_DONE ? 5 : 0;
}

/* After the commit a cancel changes nothing: the run succeeded and says so. */
TEST(cancel_after_commit_is_too_late)
{
    const char *pats[] = {"/sites/*.series"};
    pond_export_options o = options("late", pats, 1);
    o.progress = cancel_at_done;
    CHECK(pond_export(NULL, p, &o) == POND_OK);
    CHECK_STR(pond_error_last(), "");
    CHECK(access(o.dir, F_OK) == 0);
}

typedef struct rows_seen {
    pond_buf text;
    int64_t n;
} rows_seen;

static int on_row(const pond_row *row, void *payload)
{
    rows_seen *r = payload;
    r->n++;
    if (row->index == 0) {
        for (size_t i = 0; i < row->ncolumns; i++)
            pond_buf_printf(&r->text, "%s%s", i ? "," : "", row->names[i]);
        pond_buf_putc(&r->text, '\n');
    }
    for (size_t i = 0; i < row->ncolumns; i++) {
        const pond_value *v = &row->values[i];
        if (i)
            pond_buf_putc(&r->text, ',');
        switch (v->type) {
        case POND_VALUE_NULL: pond_buf_puts(&r->text, "NULL"); break;
        case POND_VALUE_INTEGER: pond_buf_printf(&r->text, "i%lld", (long long)v->integer); break;
        case POND_VALUE_REAL: pond_buf_printf(&r->text, "r%g", v->real); break;
        case POND_VALUE_TEXT: pond_buf_printf(&r->text, "t%s", v->text); break;
        }
    }
    pond_buf_putc(&r->text, '\n');
    return row->index == 5 ? 9 : 0; /* stop after six rows */
}

TEST(result_tables_read_as_rows)
{
    const char *pats[] = {"/sites/*.series"};
    pond_export_options o = options("result", pats, 1);
    pond_export_result *r = NULL;
    rows_seen rs = {POND_BUF_INIT, 0};

    o.temporal = "year,month,day";
    CHECK(pond_export(&r, p, &o) == POND_OK);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK(pond_export_result_table_count(r) == 1);
    CHECK_STR(pond_export_result_table_name(r, 0), "export_metadata");
    CHECK(pond_export_result_table_name(r, 1) == NULL);
    CHECK(strstr(pond_export_result_dir(r), "/result") != NULL);
    CHECK(pond_export_result_rows(r, "export_metadata", on_row, &rs) == POND_OK);
    CHECK_STR(rs.text.ptr,
              "pattern,capture_group,capture_value,file_path,start_time,end_time,row_count,"
              "export_stage,source_path,written\n"
              "t/sites/*.series,i0,tBDock,tBDock/year=2024/month=7/day=20/data.parquet,"
              "i1721433600000,i1721520000000,i24,i1,t/sites/BDock.series,i1\n"
              "t/sites/*.series,i0,tBDock,tBDock/year=2024/month=7/day=21/data.parquet,"
              "i1721520000000,i1721606400000,i24,i1,t/sites/BDock.series,i1\n");
    CHECK(pond_export_result_rows(r, "no_such", on_row, &rs) == POND_ENOTFOUND);
    pond_export_result_free(r);
    pond_export_result_free(NULL);
    pond_buf_free(&rs.text);

    /* A pipeline's own table, with a real and a NULL; and a callback that stops. */
    char pipeline[600];
    FILE *f;
    snprintf(pipeline, sizeof pipeline, "%s/p.yaml", tmp);
    if (!(f = fopen(pipeline, "w")))
        return;
    fputs("stages:\n"
          "  - {name: data, type: data_export, patterns: ['/sites/*.series']}\n"
          "  - name: q\n"
          "    type: custom_query\n"
          "    sql: SELECT i, i / 2 AS half, CASE WHEN i % 2 = 0 THEN NULL ELSE 'odd' END AS s,\n"
          "         DATE '2024-07-20' + i::INTEGER AS d FROM range(8) t(i)\n"
          "    output_table: nums\n",
          f);
    fclose(f);
    o = options("result2", NULL, 0);
    o.pipeline_file = pipeline;
    rs.n = 0;
    CHECK(pond_export(&r, p, &o) == POND_OK);
    if (!r)
        fprintf(stderr, "pipeline export: %s\n", pond_error_last());
    if (!r)
        return;
    CHECK(pond_export_result_table_count(r) == 2);
    CHECK_STR(pond_export_result_table_name(r, 1), "nums");
    CHECK(pond_export_result_rows(r, "nums", on_row, &rs) == 9);
    CHECK(rs.n == 6);
    CHECK_STR(rs.text.ptr, "i,half,s,d\n"
                           "i0,r0,NULL,t2024-07-20\n"
                           "i1,r0.5,todd,t2024-07-21\n"
                           "i2,r1,NULL,t2024-07-22\n"
                           "i3,r1.5,todd,t2024-07-23\n"
                           "i4,r2,NULL,t2024-07-24\n"
                           "i5,r2.5,todd,t2024-07-25\n");
    pond_export_result_free(r);
    pond_buf_free(&rs.text);
}

TEST(option_errors)
{
    const char *pats[] = {"/sites/*.series"};
    pond_export_options o = options("bad", pats, 1);

    o.dir = NULL;
    CHECK(pond_export(NULL, p, &o) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "no output directory") != NULL);
    o = options("bad", pats, 0);
    CHECK(pond_export(NULL, p, &o) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "no pattern") != NULL);
    o = options("bad", pats, 1);
    o.temporal = "hour";
    CHECK(pond_export(NULL, p, &o) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "lacks 'year'") != NULL);
    o.temporal = NULL;
    o.start_time = "2024-07-21";
    o.end_time = "2024-07-21";
    CHECK(pond_export(NULL, p, &o) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "is not before") != NULL);
    o.start_time = o.end_time = NULL;
    o.pipeline_file = "a.yaml";
    o.template_spec = "b.yaml";
    CHECK(pond_export(NULL, p, &o) == POND_EINVALID);
    CHECK(access(o.dir, F_OK) != 0);
    CHECK(pond_export(NULL, p, NULL) == POND_EINVALID);
}

/* A struct of a version the library does not know is refused, for every options struct. */
TEST(options_versions)
{
    const char *pats[] = {"/sites/*.series"};
    pond_export_options o = options("v", pats, 1);
    pond_export_options eo;
    pond_copy_options co;
    pond_cat_options ca;
    int rc;
    pond_export_result *r = (pond_export_result *)&o; /* must be reset to NULL on failure */

    o.version = 3;
    CHECK(pond_export(&r, p, &o) == POND_EINVALID);
    CHECK(r == NULL);
    CHECK(strstr(pond_error_last(), "pond_export_options version 3 is not known") != NULL);
    CHECK(pond_export_options_init(&eo, POND_EXPORT_OPTIONS_VERSION) == POND_OK);
    CHECK(eo.version == POND_EXPORT_OPTIONS_VERSION && eo.dir == NULL && eo.progress == NULL);
    CHECK(pond_export_options_init(&eo, 0) == POND_EINVALID);
    /* A version 1 caller's struct ends before update: what lies beyond is never read. */
    memset(&eo, 0x5a, sizeof eo);
    CHECK(pond_export_options_init(&eo, 1) == POND_OK);
    CHECK(eo.version == 1 && eo.dir == NULL && eo.capture_names == NULL);
    CHECK(eo.update == 0x5a5a5a5a);
    eo.patterns = pats;
    eo.npatterns = 1;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/v1", tmp);
    eo.dir = dir;
    rc = pond_export(NULL, p, &eo); /* with update read, the missing manifest would fail */
    CHECK(rc == POND_OK);
    snprintf(dir, sizeof dir, "%s/v1/.pond-export.json", tmp);
    CHECK(access(dir, F_OK) == 0);
    eo.version = POND_EXPORT_OPTIONS_VERSION;
    snprintf(dir, sizeof dir, "%s/v2", tmp);
    CHECK(pond_export(NULL, p, &eo) != POND_OK);
    CHECK(strstr(pond_error_last(), "has no export manifest") != NULL);
    CHECK(pond_copy_options_init(&co, POND_COPY_OPTIONS_VERSION) == POND_OK);
    CHECK(co.format == POND_COPY_AUTO && co.timestamp_column == NULL);
    co.version = 0;
    const char *srcs[] = {"/nonexistent"};
    CHECK(pond_copy_in(p, srcs, 1, "/x", &co) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "pond_copy_options version 0") != NULL);
    CHECK(pond_cat_options_init(&ca, POND_CAT_OPTIONS_VERSION) == POND_OK);
    ca.version = 99;
    CHECK(pond_cat(p, POND_FS_DATA, "/sites/BDock.series", &ca, stdout) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "pond_cat_options version 99") != NULL);
    CHECK(pond_cat_options_init(&ca, 2) == POND_EINVALID);
}

TEST(version)
{
    int major = -1, minor = -1, patch = -1;
    char want[64];
    snprintf(want, sizeof want, "%d.%d.%d", POND_VERSION_MAJOR, POND_VERSION_MINOR,
             POND_VERSION_PATCH);
    CHECK_STR(pond_version(&major, &minor, &patch), want);
    CHECK_STR(POND_VERSION, want);
    CHECK(major == POND_VERSION_MAJOR && minor == POND_VERSION_MINOR &&
          patch == POND_VERSION_PATCH);
    CHECK_STR(pond_version(NULL, NULL, NULL), want);
}

int main(void)
{
    char pond_dir[300], src[300], sql[700];
    snprintf(tmp, sizeof tmp, "%s/pond-test-export-run-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(pond_dir, sizeof pond_dir, "%s/pond", tmp);
    snprintf(src, sizeof src, "%s/s.parquet", tmp);
    snprintf(sql, sizeof sql,
             "COPY (SELECT TIMESTAMP '2024-07-20' + INTERVAL (i) HOUR AS timestamp, i AS n "
             "FROM range(0, 48) t(i)) TO '%s' (FORMAT PARQUET)",
             src);
    query_int(sql);
    const char *srcs[] = {src};
    pond_copy_options co = POND_COPY_OPTIONS_INIT;
    pond_open_options open_opts = POND_OPEN_OPTIONS_INIT;
    co.format = POND_COPY_SERIES;
    open_opts.command_line = "test";
    if (pond_init(pond_dir) != POND_OK || pond_open(&p, pond_dir, &open_opts) != POND_OK ||
        pond_mkdir(p, "/sites", 0) != POND_OK ||
        pond_copy_in(p, srcs, 1, "/sites/BDock.series", &co) != POND_OK) {
        fprintf(stderr, "setup: %s\n", pond_error_last());
        return 1;
    }
    RUN(dry_run_lists_files_and_reports_events);
    RUN(quiet_run_writes_parquet);
    RUN(callback_cancels);
    RUN(cancel_after_commit_is_too_late);
    RUN(one_big_series_shows_progress_in_rows);
    RUN(result_tables_read_as_rows);
    RUN(option_errors);
    RUN(options_versions);
    RUN(version);
    pond_close(p);
    pond_fs_rm_rf(tmp);
    return check_done();
}
