/* Unit tests for the custom_query and template stages on a real export context: stage 1's
 * export_metadata rows are recorded as the data export would, later stages run from the
 * pipeline fixtures in tests/data/pipelines/, and the pages are read back from disk. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include "check.h"
#include "export/context.h"
#include "export/pipeline.h"
#include "export/template_spec.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

static char data_dir[4096];
static char tmp_root[4096];

static const char *fixture(const char *rel)
{
    static char path[4096 + 256];
    snprintf(path, sizeof path, "%s/%s", data_dir, rel);
    return path;
}

/* A fresh output directory path (not created) under the test's temp root. */
static const char *out_dir(const char *name)
{
    static char path[4096 + 256];
    snprintf(path, sizeof path, "%s/%s", tmp_root, name);
    return path;
}

static char *slurp(const char *dir, const char *rel)
{
    pond_buf b = POND_BUF_INIT;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    if (pond_fs_read_file(path, &b) != POND_OK) {
        pond_buf_free(&b);
        return NULL;
    }
    return pond_buf_detach(&b);
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *e;
    if (!d)
        return 0;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void init_opts(pond_export_options *o, const char *dir)
{
    static const pond_export_options init = POND_EXPORT_OPTIONS_INIT;
    *o = init;
    o->dir = dir;
}

/* Record one data file as stage 1 would. */
static int record(pond_export_ctx *ctx, const char *pattern, const char *file, int ncaps,
                  const char *c0, const char *c1, int64_t start, int64_t end, int64_t rows)
{
    char *v[2] = { (char *)c0, (char *)c1 };
    pond_captures caps = { (size_t)ncaps, v };
    pond_export_record r = { 0 };
    r.pattern = pattern;
    r.caps = &caps;
    r.file_path = file;
    r.has_start = r.has_end = r.has_row_count = 1;
    r.start_time = start;
    r.end_time = end;
    r.row_count = rows;
    r.stage = 1;
    return pond_export_ctx_record(ctx, &r);
}

static const char *const SITE_PAT = "/sites/*/res=1d.series";

static int record_sites(pond_export_ctx *ctx)
{
    int rc = POND_OK;
    rc |= record(ctx, SITE_PAT, "BDock/res=1d/year=2024/month=7/data.parquet", 1, "BDock", NULL,
                 1719792000000, 1722470400000, 31);
    rc |= record(ctx, SITE_PAT, "BDock/res=1d/year=2024/month=8/data.parquet", 1, "BDock", NULL,
                 1722470400000, 1725148800000, 30);
    rc |= record(ctx, SITE_PAT, "O'Brien \"Pier\"/res=1d/year=2024/month=7/data.parquet", 1,
                 "O'Brien \"Pier\"", NULL, 1719792000000, 1722470400000, 12);
    rc |= record(ctx, SITE_PAT, "Noyo/res=1d/year=2024/month=7/data.parquet", 1, "Noyo", NULL,
                 1719792000000, 1722470400000, 5);
    return rc ? POND_ERROR : pond_export_ctx_flush(ctx);
}

/* Run stages 2… of the pipeline (stage 1, the data export, is simulated by record_sites),
 * naming the stage in front of a failure as the runner (export.c) does. */
static int run_later_stages(pond_export_ctx *ctx, const pond_pipeline *pl)
{
    for (size_t i = 1; i < pl->nstages; i++) {
        const pond_stage *st = &pl->stages[i];
        int rc = st->kind == POND_STAGE_CUSTOM_QUERY ? pond_stage_run_custom_query(ctx, st, (int)i + 1)
                                                     : pond_stage_run_template(ctx, st, (int)i + 1);
        if (rc != POND_OK)
            return pond_error_wrap(rc, "stage %zu '%s'", i + 1, st->name);
    }
    return POND_OK;
}

static long long scalar(pond_export_ctx *ctx, const char *sql)
{
    duckdb_result res;
    long long v = -1;
    if (duckdb_query(pond_export_ctx_con(ctx), sql, &res) == DuckDBSuccess)
        v = (long long)duckdb_value_int64(&res, 0, 0);
    else
        fprintf(stderr, "%s\n", duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    return v;
}

TEST(three_stage_pipeline_custom_table_read_by_templates)
{
    pond_pipeline *pl = NULL;
    pond_export_ctx *ctx = NULL;
    pond_export_options o;
    const char *dir = out_dir("site");
    init_opts(&o, dir);
    CHECK(pond_pipeline_load(&pl, fixture("site/pipeline.yaml")) == POND_OK);
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    if (!pl || !ctx)
        goto done;
    CHECK(record_sites(ctx) == POND_OK);
    int rc = run_later_stages(ctx, pl);
    if (rc != POND_OK)
        fprintf(stderr, "run: %s\n", pond_error_last());
    CHECK(rc == POND_OK);
    CHECK(pond_export_ctx_has_table(ctx, "site_index"));
    CHECK(scalar(ctx, "SELECT count(*) FROM site_index") == 3);
    /* pages are in export_metadata with their stage, pattern, captures and row counts */
    CHECK(scalar(ctx, "SELECT count(*) FROM export_metadata WHERE export_stage = 3") == 4);
    CHECK(scalar(ctx, "SELECT count(*) FROM export_metadata WHERE export_stage = 3 AND "
                      "file_path = 'index.html' AND capture_group = -1 AND row_count = 3") == 1);
    CHECK(scalar(ctx, "SELECT row_count FROM export_metadata WHERE export_stage = 3 AND "
                      "file_path = 'sites/BDock.html' AND capture_value = 'BDock' AND "
                      "start_time = 1719792000000 AND end_time = 1725148800000") == 2);
    CHECK(pond_export_ctx_commit(ctx) == POND_OK);

    char *index = slurp(dir, "index.html");
    CHECK(index && strstr(index, "<title>Noyo Harbor</title>"));
    CHECK(index && strstr(index, "<h1>Noyo Harbor</h1>"));
    CHECK(index && strstr(index, "<li><a href=\"sites/BDock.html\">BDock</a> (2 files)</li>"));
    CHECK(index && strstr(index, "<li><a href=\"sites/O'Brien &quot;Pier&quot;.html\">"
                                 "O'Brien &quot;Pier&quot;</a> (1 files)</li>"));
    CHECK(index && strstr(index, "<footer>made by pond</footer>"));
    free(index);

    /* the captured value with quotes was bound, not pasted: its own rows came back */
    char *obrien = slurp(dir, "sites/O'Brien \"Pier\".html");
    CHECK(obrien != NULL);
    CHECK(obrien && strstr(obrien, "<title>O'Brien &quot;Pier&quot; · Noyo Harbor</title>"));
    CHECK(obrien && strstr(obrien, "month=7/data.parquet</a> 12 rows"));
    CHECK(obrien && strstr(obrien, "href=\"../index.html\""));
    free(obrien);
    char *bdock = slurp(dir, "sites/BDock.html");
    CHECK(bdock && strstr(bdock, "<a href=\"../BDock/res=1d/year=2024/month=8/data.parquet\">"));
    CHECK(bdock && strstr(bdock, "31 rows") && strstr(bdock, "30 rows"));
    free(bdock);
done:
    pond_export_ctx_free(ctx);
    pond_pipeline_free(pl);
    CHECK(count_entries(dir) == 2); /* index.html, sites/ (no staging left) */
}

TEST(command_line_vars_override_pipeline_vars)
{
    pond_pipeline *pl = NULL;
    pond_export_ctx *ctx = NULL;
    pond_export_options o;
    const char *dir = out_dir("vars");
    const char *vars[] = { "title=From the command line", "extra=unused" };
    init_opts(&o, dir);
    o.vars = vars;
    o.nvars = 2;
    CHECK(pond_pipeline_load(&pl, fixture("site/pipeline.yaml")) == POND_OK);
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    if (!pl || !ctx)
        goto done;
    CHECK(record_sites(ctx) == POND_OK);
    CHECK(run_later_stages(ctx, pl) == POND_OK);
    CHECK(pond_export_ctx_commit(ctx) == POND_OK);
    char *index = slurp(dir, "index.html");
    CHECK(index && strstr(index, "<h1>From the command line</h1>"));
    CHECK(index && strstr(index, "<footer>made by pond</footer>")); /* not overridden: kept */
    free(index);
done:
    pond_export_ctx_free(ctx);
    pond_pipeline_free(pl);
}

/* A pipeline whose last stage fails at run time leaves DIR exactly as it was. */
static void check_failure_leaves_dir(const char *pipeline, const char *name, const char *want1,
                                     const char *want2)
{
    pond_pipeline *pl = NULL;
    pond_export_ctx *ctx = NULL;
    pond_export_options o;
    const char *dir = out_dir(name);
    char keep[8192];
    pond_fs_mkdir_p(dir);
    snprintf(keep, sizeof keep, "%s/keep.txt", dir);
    CHECK(pond_fs_write_file_atomic(keep, "old\n", 4) == POND_OK);
    init_opts(&o, dir);
    CHECK(pond_pipeline_load(&pl, fixture(pipeline)) == POND_OK);
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    if (!pl || !ctx)
        goto done;
    CHECK(record_sites(ctx) == POND_OK);
    CHECK(run_later_stages(ctx, pl) != POND_OK);
    CHECK(strstr(pond_error_last(), want1) != NULL);
    CHECK(strstr(pond_error_last(), want2) != NULL);
    if (!strstr(pond_error_last(), want1) || !strstr(pond_error_last(), want2))
        fprintf(stderr, "message: %s\n", pond_error_last());
done:
    pond_export_ctx_free(ctx); /* the runner's part: drop the staging directory */
    pond_pipeline_free(pl);
    CHECK(count_entries(dir) == 1);
    char *k = slurp(dir, "keep.txt");
    CHECK_STR(k, "old\n");
    free(k);
}

TEST(sql_error_in_a_later_stage_leaves_dir_untouched)
{
    check_failure_leaves_dir("stage/sql-error.yaml", "sqlerr", "stage 3 'Failing pages'",
                             "no data for BDock");
}

TEST(template_error_in_a_later_stage_leaves_dir_untouched)
{
    check_failure_leaves_dir("stage/template-error.yaml", "tmplerr", "stage 3 'Broken pages'",
                             "broken-partial.mustache:3:");
}

TEST(outputs_group_files_and_share_captures)
{
    pond_export_ctx *ctx = NULL;
    pond_template_spec *spec = NULL;
    pond_export_options o;
    const char *dir = out_dir("shared");
    const char *pat = "/sites/*/*.series";
    init_opts(&o, dir);
    CHECK(pond_template_spec_load(&spec, fixture("stage/shared-spec.yaml")) == POND_OK);
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    if (!spec || !ctx)
        goto done;
    CHECK(record(ctx, pat, "A/res=1d/data.parquet", 2, "A", "res=1d", 10, 20, 1) == POND_OK);
    CHECK(record(ctx, pat, "A/res=1h/data.parquet", 2, "A", "res=1h", 5, 15, 2) == POND_OK);
    CHECK(record(ctx, pat, "B/res=1d/data.parquet", 2, "B", "res=1d", 1, 2, 3) == POND_OK);
    CHECK(pond_export_ctx_flush(ctx) == POND_OK);
    pond_stage st = { 0 };
    st.kind = POND_STAGE_TEMPLATE;
    st.name = "templates";
    st.spec = spec;
    int rc = pond_stage_run_template(ctx, &st, 2);
    if (rc)
        fprintf(stderr, "%s\n", pond_error_last());
    CHECK(rc == POND_OK);
    /* pages per site: $0 shared, $1 differs between A's two files -> null; B has one file,
     * so both its captures are recorded; all.html and empty.html have none (-1) */
    CHECK(scalar(ctx, "SELECT count(*) FROM export_metadata WHERE export_stage = 2") == 5);
    CHECK(scalar(ctx, "SELECT count(*) FROM export_metadata WHERE export_stage = 2 AND "
                      "file_path = 'sites/B/index.html' AND capture_group = 1 AND "
                      "capture_value = 'res=1d'") == 1);
    CHECK(scalar(ctx, "SELECT start_time * 1000 + end_time FROM export_metadata WHERE "
                      "file_path = 'sites/A/index.html'") == 5020);
    CHECK(pond_export_ctx_commit(ctx) == POND_OK);
    char *a = slurp(dir, "sites/A/index.html");
    CHECK_STR(a, "path=sites/A/index.html root=../../ pattern=/sites/*/*.series caps=[A][] "
                 "rows=(A/res=1d/data.parquet)(A/res=1d/data.parquet)(A/res=1h/data.parquet)"
                 "(A/res=1h/data.parquet)\n");
    free(a);
    char *all = slurp(dir, "all.html");
    CHECK_STR(all, "path=all.html root= pattern=/sites/*/*.series caps=[][] "
                   "rows=(res=1d2)(res=1h1)\n");
    free(all);
    /* an out_pattern without $ is one page even when nothing matches */
    char *empty = slurp(dir, "empty.html");
    CHECK_STR(empty, "path=empty.html root= pattern=/nowhere/*.series caps= rows=\n");
    free(empty);
done:
    pond_export_ctx_free(ctx);
    pond_template_spec_free(spec);
}

TEST(custom_query_errors_name_the_stage)
{
    pond_export_ctx *ctx = NULL;
    pond_export_options o;
    init_opts(&o, out_dir("custom"));
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    if (!ctx)
        return;
    pond_stage st = { 0 };
    st.kind = POND_STAGE_CUSTOM_QUERY;
    st.name = "Build site index";
    st.sql = "SELECT nope FROM export_metadata;";
    st.output_table = "site_index";
    CHECK(pond_stage_run_custom_query(ctx, &st, 2) == POND_EINVALID);
    CHECK(strncmp(pond_error_last(), "sql error: Binder Error: ", 25) == 0);
    CHECK(!pond_export_ctx_has_table(ctx, "site_index"));
    st.sql = "SELECT 42 AS answer -- a trailing comment\n;\n";
    CHECK(pond_stage_run_custom_query(ctx, &st, 2) == POND_OK);
    CHECK(scalar(ctx, "SELECT answer FROM site_index") == 42);
    CHECK(pond_stage_run_custom_query(ctx, &st, 3) == POND_EEXISTS);
    st.output_table = "x; DROP TABLE site_index";
    CHECK(pond_stage_run_custom_query(ctx, &st, 4) == POND_EINVALID);
    st.output_table = "t2";
    st.sql = "SELECT 1; SELECT 2";
    CHECK(pond_stage_run_custom_query(ctx, &st, 5) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "one statement") != NULL);
    pond_export_ctx_free(ctx);
}

TEST(ten_thousand_pages_from_one_collection)
{
    pond_export_ctx *ctx = NULL;
    pond_template_spec *spec = NULL;
    pond_export_options o;
    const char *dir = out_dir("many");
    const char *vars[] = { "who=pond" };
    init_opts(&o, dir);
    o.vars = vars;
    o.nvars = 1;
    CHECK(pond_template_spec_load(&spec, fixture("stage/many-spec.yaml")) == POND_OK);
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    if (!spec || !ctx)
        goto done;
    char file[64], cap[32];
    int rc = POND_OK;
    for (int i = 0; i < 10000 && rc == POND_OK; i++) {
        snprintf(cap, sizeof cap, "s%05d", i);
        snprintf(file, sizeof file, "%s/data.parquet", cap);
        rc = record(ctx, "/many/*.series", file, 1, cap, NULL, i, i + 1, i);
    }
    CHECK(rc == POND_OK);
    CHECK(pond_export_ctx_flush(ctx) == POND_OK);
    pond_stage st = { 0 };
    st.kind = POND_STAGE_TEMPLATE;
    st.name = "many";
    st.spec = spec;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = pond_stage_run_template(ctx, &st, 2);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc)
        fprintf(stderr, "%s\n", pond_error_last());
    CHECK(rc == POND_OK);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "10000 pages rendered in %.2f s (%.0f pages/s)\n", secs, 10000 / secs);
    CHECK(scalar(ctx, "SELECT count(*) FROM export_metadata WHERE export_stage = 2") == 10000);
    CHECK(pond_export_ctx_commit(ctx) == POND_OK);
    char p[8192];
    snprintf(p, sizeof p, "%s/p", dir);
    CHECK(count_entries(p) == 10000);
    char *first = slurp(dir, "p/s00000.html"), *last = slurp(dir, "p/s09999.html");
    CHECK_STR(first, "<p>s00000 0 pond</p>\n");
    CHECK_STR(last, "<p>s09999 9999 pond</p>\n");
    free(first);
    free(last);
done:
    pond_export_ctx_free(ctx);
    pond_template_spec_free(spec);
}

int main(void)
{
    const char *src = getenv("POND_SOURCE_DIR");
    snprintf(data_dir, sizeof data_dir, "%s/tests/data/pipelines", src ? src : "..");
    snprintf(tmp_root, sizeof tmp_root, "/tmp/pond-test-template-XXXXXX");
    if (!mkdtemp(tmp_root)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(three_stage_pipeline_custom_table_read_by_templates);
    RUN(command_line_vars_override_pipeline_vars);
    RUN(sql_error_in_a_later_stage_leaves_dir_untouched);
    RUN(template_error_in_a_later_stage_leaves_dir_untouched);
    RUN(outputs_group_files_and_share_captures);
    RUN(custom_query_errors_name_the_stage);
    RUN(ten_thousand_pages_from_one_collection);
    if (!getenv("KEEP")) pond_fs_rm_rf(tmp_root);
    else fprintf(stderr, "kept %s\n", tmp_root);
    return check_done();
}
