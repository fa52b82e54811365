/*
 * tests/unit/test_export_context.c: the export context on real directories: staging, claims
 * (collisions, existing outputs), commit and its roll-back, export_metadata through the
 * appender, the run's database locked down, --dump-tables (after the commit only) read back
 * with DuckDB, dry runs, --update's commit (parts, removals, the manifest last).  The context
 * does not touch the pond itself, so these tests pass no pond.
 */
#include <duckdb.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "export/context.h"
#include "util/fs.h"

static char tmp[256];

static int exists(const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    return pond_fs_exists(p);
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void put_rel(const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    put_file(p, text);
}

static int read_is(const char *rel, const char *want)
{
    char p[512], got[256] = "";
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    FILE *f = fopen(p, "r");
    if (!f)
        return 0;
    size_t n = fread(got, 1, sizeof got - 1, f);
    got[n] = '\0';
    fclose(f);
    return strcmp(got, want) == 0;
}

/* Number of entries in tmp/rel (excluding . and ..), -1 if it cannot be read. */
static int count_entries(const char *rel)
{
    char p[512];
    int n = 0;
    struct dirent *d;
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    DIR *dir = opendir(p);
    if (!dir)
        return -1;
    while ((d = readdir(dir)))
        if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
            n++;
    closedir(dir);
    return n;
}

static pond_export_options options(const char *rel_dir)
{
    static char dir[512];
    pond_export_options o;
    memset(&o, 0, sizeof o);
    snprintf(dir, sizeof dir, "%s/%s", tmp, rel_dir);
    o.dir = dir;
    return o;
}

TEST(missing_dir_created_and_removed)
{
    pond_export_options o = options("new/deeper/out");
    pond_export_ctx *ctx = NULL;
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    CHECK(exists("new/deeper/out"));
    CHECK(count_entries("new/deeper/out") == 1); /* the staging directory */
    pond_export_ctx_free(ctx);
    CHECK(!exists("new"));
}

TEST(claims_collide)
{
    pond_export_options o = options("c");
    pond_export_ctx *ctx = NULL;
    pond_buf staged = POND_BUF_INIT;
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    if (!ctx)
        return;
    CHECK(pond_export_ctx_claim_output(ctx, "x/y", 1, "/a.series", &staged) == POND_OK);
    CHECK(strstr(staged.ptr, "/.pond-staging-") != NULL);
    CHECK(pond_fs_is_dir(staged.ptr));
    CHECK(pond_export_ctx_claim_output(ctx, "x/y", 1, "/b.series", &staged) == POND_EEXISTS);
    CHECK_STR(pond_error_last(), "'/a.series' and '/b.series' would both write 'x/y'");
    CHECK(pond_export_ctx_claim_output(ctx, "x", 1, "/c.series", &staged) == POND_EEXISTS);
    CHECK(strstr(pond_error_last(), "overlap") != NULL);
    CHECK(pond_export_ctx_claim(ctx, "x/y/z.html", &staged) == POND_EEXISTS);
    CHECK(pond_export_ctx_claim(ctx, "x/yz.html", &staged) == POND_OK);
    CHECK(pond_export_ctx_claim(ctx, "../escape", &staged) == POND_EINVALID);
    CHECK(pond_export_ctx_claim(ctx, "a//b", &staged) == POND_EINVALID);
    CHECK(pond_export_ctx_claim(ctx, "", &staged) == POND_EINVALID);
    CHECK(pond_export_ctx_claim(ctx, "/abs", &staged) == POND_EINVALID);
    pond_export_ctx_free(ctx);
    CHECK(!exists("c")); /* made by the run, so removed again */
    pond_buf_free(&staged);
}

TEST(existing_output_refused_then_overwritten)
{
    pond_export_options o = options("e");
    pond_export_ctx *ctx = NULL;
    pond_buf staged = POND_BUF_INIT;
    char p[512];

    snprintf(p, sizeof p, "%s/e/old/stale", tmp);
    CHECK(pond_fs_mkdir_p(p) == POND_OK);
    put_rel("e/old/stale/x.parquet", "old");
    put_rel("e/keep.txt", "keep");
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    CHECK(pond_export_ctx_claim_output(ctx, "old", 1, "/old.series", &staged) == POND_EEXISTS);
    CHECK(strstr(pond_error_last(), "output 'old' already exists") != NULL);
    CHECK(strstr(pond_error_last(), "--overwrite") != NULL);
    CHECK(pond_export_ctx_claim(ctx, "keep.txt/x", &staged) == POND_EEXISTS);
    pond_export_ctx_free(ctx);

    o.overwrite = 1;
    ctx = NULL;
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    CHECK(pond_export_ctx_claim_output(ctx, "old", 1, "/old.series", &staged) == POND_OK);
    snprintf(p, sizeof p, "%s/data.parquet", staged.ptr);
    put_file(p, "new");
    CHECK(pond_export_ctx_claim(ctx, "new/page.html", &staged) == POND_OK);
    put_file(staged.ptr, "page");
    CHECK(pond_export_ctx_commit(ctx) == POND_OK);
    pond_export_ctx_free(ctx);
    CHECK(read_is("e/old/data.parquet", "new"));
    CHECK(!exists("e/old/stale")); /* replaced as a whole */
    CHECK(read_is("e/new/page.html", "page"));
    CHECK(read_is("e/keep.txt", "keep"));
    CHECK(count_entries("e") == 3); /* old, new, keep.txt: no staging left */
    pond_buf_free(&staged);
}

TEST(commit_failure_rolls_back)
{
    pond_export_options o = options("r");
    pond_export_ctx *ctx = NULL;
    pond_buf staged = POND_BUF_INIT;
    char p[512];

    snprintf(p, sizeof p, "%s/r/a", tmp);
    CHECK(pond_fs_mkdir_p(p) == POND_OK);
    put_rel("r/a/data.parquet", "old a");
    o.overwrite = 1;
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    CHECK(pond_export_ctx_claim_output(ctx, "a", 1, NULL, &staged) == POND_OK);
    snprintf(p, sizeof p, "%s/data.parquet", staged.ptr);
    put_file(p, "new a");
    CHECK(pond_export_ctx_claim_output(ctx, "deep/er/b", 1, NULL, &staged) == POND_OK);
    snprintf(p, sizeof p, "%s/data.parquet", staged.ptr);
    put_file(p, "new b");
    CHECK(pond_export_ctx_claim_output(ctx, "c", 1, NULL, &staged) == POND_OK);
    snprintf(p, sizeof p, "%s/data.parquet", staged.ptr);
    put_file(p, "new c");
    setenv("POND_TEST_FAIL_AFTER_MOVES", "2", 1);
    CHECK(pond_export_ctx_commit(ctx) == POND_ERROR);
    unsetenv("POND_TEST_FAIL_AFTER_MOVES");
    CHECK(strstr(pond_error_last(), "injected failure after 2 outputs") != NULL);
    pond_export_ctx_free(ctx);
    CHECK(strstr(pond_error_last(), "injected failure") != NULL); /* free keeps the error */
    CHECK(read_is("r/a/data.parquet", "old a"));
    CHECK(!exists("r/deep"));
    CHECK(!exists("r/c"));
    CHECK(count_entries("r") == 1);
    pond_buf_free(&staged);
}

static int64_t query_int(duckdb_connection con, const char *sql)
{
    duckdb_result r;
    int64_t v = -999;
    if (duckdb_query(con, sql, &r) == DuckDBSuccess)
        v = duckdb_value_int64(&r, 0, 0);
    else
        fprintf(stderr, "query failed: %s\n", duckdb_result_error(&r));
    duckdb_destroy_result(&r);
    return v;
}

TEST(metadata_and_dump)
{
    pond_export_options o = options("m");
    pond_export_ctx *ctx = NULL;
    char *caps_v[] = {"BDock", "it's 100%"};
    pond_captures caps = {2, caps_v};
    pond_export_record rec = {0};
    char dump[512], sql[1024];

    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    if (!ctx)
        return;
    rec.pattern = "/sites/*/*.series";
    rec.caps = &caps;
    rec.file_path = "BDock/x/data.parquet";
    rec.has_start = rec.has_end = rec.has_row_count = 1;
    rec.start_time = -86400000;
    rec.end_time = 0;
    rec.row_count = 42;
    rec.stage = 1;
    rec.source = "/sites/BDock/x.series";
    CHECK(pond_export_ctx_record(ctx, &rec) == POND_OK);
    rec.caps = NULL;
    rec.has_start = rec.has_end = rec.has_row_count = 0;
    rec.file_path = "index.html";
    rec.stage = 2;
    rec.source = NULL;
    CHECK(pond_export_ctx_record(ctx, &rec) == POND_OK);
    CHECK(pond_export_ctx_flush(ctx) == POND_OK);
    duckdb_connection con = pond_export_ctx_con(ctx);
    CHECK(query_int(con, "SELECT count(*) FROM export_metadata") == 3);
    CHECK(query_int(con, "SELECT count(*) FROM export_metadata WHERE capture_group = 1 AND "
                         "capture_value = 'it''s 100%' AND row_count = 42 AND "
                         "start_time = -86400000 AND end_time = 0") == 1);
    CHECK(query_int(con, "SELECT count(*) FROM export_metadata WHERE capture_group = -1 AND "
                         "capture_value = '' AND start_time IS NULL AND row_count IS NULL AND "
                         "export_stage = 2 AND source_path IS NULL") == 1);
    /* The eight columns of docs/export.md, in order, with their types and nullability. */
    CHECK(query_int(con,
                    "SELECT count(*) FROM (SELECT string_agg(column_name || ' ' || data_type || "
                    "' ' || is_nullable, ', ' ORDER BY ordinal_position) AS s FROM "
                    "information_schema.columns WHERE table_name = 'export_metadata') WHERE s = "
                    "'pattern VARCHAR NO, capture_group INTEGER NO, capture_value VARCHAR NO, "
                    "file_path VARCHAR NO, start_time BIGINT YES, end_time BIGINT YES, "
                    "row_count BIGINT YES, export_stage INTEGER NO, source_path VARCHAR YES, written BOOLEAN NO'") ==
          1);
    CHECK(pond_export_ctx_has_table(ctx, "export_metadata"));
    CHECK(pond_export_ctx_add_table(ctx, "bad name") == POND_EINVALID);
    CHECK(query_int(con, "CREATE TABLE site_index AS SELECT 7 AS n") == 1);
    CHECK(pond_export_ctx_add_table(ctx, "site_index") == POND_OK);
    CHECK(pond_export_ctx_add_table(ctx, "site_index") == POND_EEXISTS);
    snprintf(dump, sizeof dump, "%s/m-dump", tmp);
    /* The run's database reads and writes only pond content and staging. */
    snprintf(sql, sizeof sql, "COPY (SELECT 1) TO '%s/x.csv'", tmp);
    CHECK(query_int(con, sql) == -999);
    CHECK(!exists("x.csv"));
    /* DIR2 is written only once the export is committed. */
    CHECK(pond_export_ctx_dump_tables(ctx) == POND_OK);
    CHECK(!exists("m-dump"));
    CHECK(pond_export_ctx_commit(ctx) == POND_OK);
    CHECK(pond_export_ctx_install_tables(ctx, dump) == POND_OK);
    pond_export_ctx_free(ctx);
    duckdb_database db;
    duckdb_connection plain;
    CHECK(duckdb_open(NULL, &db) == DuckDBSuccess && duckdb_connect(db, &plain) == DuckDBSuccess);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM '%s/export_metadata.parquet'", dump);
    CHECK(query_int(plain, sql) == 3);
    snprintf(sql, sizeof sql, "SELECT n FROM '%s/site_index.parquet'", dump);
    CHECK(query_int(plain, sql) == 7);
    CHECK(count_entries("m-dump") == 2); /* no temporary left beside them */
    duckdb_disconnect(&plain);
    duckdb_close(&db);
}

TEST(dump_tables_refuses_existing_tables)
{
    pond_export_options o = options("d");
    pond_export_ctx *ctx = NULL;
    char dump[512], path[600];
    const char *tables[] = { "export_metadata", "site_index" };

    snprintf(dump, sizeof dump, "%s/d-dump", tmp);
    CHECK(pond_export_check_dump_dir(dump, tables, 2, 0) == POND_OK); /* missing: fine */
    CHECK(mkdir(dump, 0777) == 0);
    snprintf(path, sizeof path, "%s/site_index.parquet", dump);
    put_file(path, "an older table\n");
    CHECK(pond_export_check_dump_dir(dump, tables, 2, 0) == POND_EEXISTS);
    CHECK(strstr(pond_error_last(), "table 'site_index' already exists in") != NULL);
    CHECK(pond_export_check_dump_dir(dump, tables, 2, 1) == POND_OK);

    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    if (!ctx)
        return;
    duckdb_connection con = pond_export_ctx_con(ctx);
    CHECK(query_int(con, "CREATE TABLE site_index AS SELECT 7 AS n") == 1);
    CHECK(pond_export_ctx_add_table(ctx, "site_index") == POND_OK);
    CHECK(pond_export_ctx_dump_tables(ctx) == POND_OK);
    CHECK(pond_export_ctx_commit(ctx) == POND_OK);
    /* Refused whole: neither table is written, the old one is kept. */
    CHECK(pond_export_ctx_install_tables(ctx, dump) == POND_EEXISTS);
    CHECK(read_is("d-dump/site_index.parquet", "an older table\n"));
    CHECK(count_entries("d-dump") == 1);
    pond_export_ctx_free(ctx);
}

TEST(dry_run_writes_nothing)
{
    pond_export_options o = options("dry/out");
    pond_export_ctx *ctx = NULL;
    pond_buf staged = POND_BUF_INIT;
    o.dry_run = 1;
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    CHECK(!exists("dry"));
    CHECK(pond_export_ctx_claim_output(ctx, "a/b", 1, NULL, &staged) == POND_OK);
    CHECK(strstr(staged.ptr, "/dry/out/a/b") != NULL);
    CHECK(pond_export_ctx_commit(ctx) == POND_OK);
    pond_export_ctx_free(ctx);
    CHECK(!exists("dry"));
    pond_buf_free(&staged);
}

TEST(bad_dir_and_timezone)
{
    pond_export_options o = options("plainfile/sub");
    pond_export_ctx *ctx = NULL;
    put_rel("plainfile", "x");
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_EEXISTS);
    CHECK(strstr(pond_error_last(), "is not a directory") != NULL);
    CHECK(ctx == NULL);

    o = options("tz");
    o.timezone = "Mars/Olympus_Mons";
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "unknown time zone 'Mars/Olympus_Mons'") != NULL);
    CHECK(!exists("tz"));
    o.timezone = "America/Los_Angeles";
    CHECK(pond_export_ctx_open(&ctx, NULL, &o) == POND_OK);
    if (ctx)
        CHECK(query_int(pond_export_ctx_con(ctx), "SELECT current_setting('TimeZone') = "
                                                  "'America/Los_Angeles'") == 1);
    pond_export_ctx_free(ctx);
}

/* --update's commit: a partial output's parts replaced, a partition and an output no longer
 * made removed (with the directories that leaves empty), the manifest last; a failure part
 * way puts everything back, old manifest included. */
static void update_dir(void)
{
    pond_manifest m = POND_MANIFEST_INIT;
    pond_manifest_output *o;
    char p[512];
    const char *dirs[] = {"u/s/year=2024/month=7/day=1", "u/s/year=2024/month=7/day=2",
                          "u/s/year=2023/month=1/day=1", "u/gone"};
    for (size_t i = 0; i < 4; i++) {
        char rel[128];
        snprintf(p, sizeof p, "%s/%s", tmp, dirs[i]);
        CHECK(pond_fs_mkdir_p(p) == POND_OK);
        snprintf(rel, sizeof rel, "%s/data.parquet", dirs[i]);
        put_rel(rel, "old");
    }
    CHECK(pond_manifest_add_output(&m, "s", "series", 1, "p", "/s", NULL, &o) == POND_OK);
    CHECK(pond_manifest_add_output(&m, "gone", "table", 1, "p", "/gone", NULL, &o) == POND_OK);
    snprintf(p, sizeof p, "%s/u/.pond-export.json", tmp);
    CHECK(pond_manifest_write(&m, p) == POND_OK);
    pond_manifest_free(&m);
}

static pond_export_ctx *update_ctx(pond_export_options *o)
{
    pond_export_ctx *ctx = NULL;
    pond_buf staged = POND_BUF_INIT;
    pond_manifest_output *e;
    size_t removed = 0;
    char p[512];

    CHECK(pond_export_ctx_open(&ctx, NULL, o) == POND_OK);
    if (!ctx)
        return NULL;
    CHECK(pond_export_ctx_old_manifest(ctx) != NULL);
    CHECK(pond_export_ctx_claim_output(ctx, "s", 1, "/s", &staged) == POND_OK);
    CHECK(pond_export_ctx_keep_last(ctx, 1) == POND_OK);
    snprintf(p, sizeof p, "%s/year=2024/month=7/day=2", staged.ptr);
    CHECK(pond_fs_mkdir_p(p) == POND_OK);
    snprintf(p, sizeof p, "%s/year=2024/month=7/day=2/data.parquet", staged.ptr);
    put_file(p, "new");
    CHECK(pond_export_ctx_replace_part(ctx, "s/year=2024/month=7/day=2") == POND_OK);
    CHECK(pond_export_ctx_remove(ctx, "s/year=2023/month=1/day=1") == POND_OK);
    CHECK(pond_manifest_add_output(pond_export_ctx_manifest(ctx), "s", "series", 1, "p", "/s",
                                   NULL, &e) == POND_OK);
    CHECK(pond_export_ctx_finish_manifest(ctx, &removed) == POND_OK);
    CHECK(removed == 1); /* "gone" */
    pond_buf_free(&staged);
    return ctx;
}

/* 1 when u's manifest lists an output at rel. */
static int manifest_lists(const char *rel)
{
    pond_manifest m = POND_MANIFEST_INIT;
    char p[512];
    snprintf(p, sizeof p, "%s/u/.pond-export.json", tmp);
    int found = pond_manifest_read(&m, p) == POND_OK && pond_manifest_find(&m, rel) != NULL;
    pond_manifest_free(&m);
    return found;
}

TEST(update_commit)
{
    pond_export_options o = options("u");
    pond_export_ctx *ctx;

    update_dir();
    CHECK(manifest_lists("gone"));
    o.update = 1;

    /* fails after the two removals and the part: all put back */
    ctx = update_ctx(&o);
    setenv("POND_TEST_FAIL_AFTER_MOVES", "3", 1);
    CHECK(ctx && pond_export_ctx_commit(ctx) == POND_ERROR);
    unsetenv("POND_TEST_FAIL_AFTER_MOVES");
    pond_export_ctx_free(ctx);
    CHECK(read_is("u/s/year=2024/month=7/day=2/data.parquet", "old"));
    CHECK(read_is("u/s/year=2023/month=1/day=1/data.parquet", "old"));
    CHECK(read_is("u/gone/data.parquet", "old"));
    CHECK(manifest_lists("gone")); /* the old manifest */
    CHECK(count_entries("u") == 3); /* s, gone, the manifest: no staging left */

    /* and committed */
    ctx = update_ctx(&o);
    CHECK(ctx && pond_export_ctx_commit(ctx) == POND_OK);
    pond_export_ctx_free(ctx);
    CHECK(read_is("u/s/year=2024/month=7/day=1/data.parquet", "old")); /* kept */
    CHECK(read_is("u/s/year=2024/month=7/day=2/data.parquet", "new"));
    CHECK(!exists("u/s/year=2023")); /* the partition and the directories it left empty */
    CHECK(!exists("u/gone"));
    CHECK(!manifest_lists("gone") && manifest_lists("s")); /* the new manifest */
    CHECK(count_entries("u") == 2); /* s, the manifest */
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "%s/pond-test-export-context-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(missing_dir_created_and_removed);
    RUN(claims_collide);
    RUN(existing_output_refused_then_overwritten);
    RUN(commit_failure_rolls_back);
    RUN(metadata_and_dump);
    RUN(dump_tables_refuses_existing_tables);
    RUN(dry_run_writes_nothing);
    RUN(bad_dir_and_timezone);
    RUN(update_commit);
    pond_fs_rm_rf(tmp);
    return check_done();
}
