/*
 * tests/unit/test_export_run.c: pond_export() through the library API on a real pond: the
 * dry-run listing and stage report go to the FILE*s given, a quiet run logs nothing, option
 * errors come back as codes with messages, and the written Parquet is read back with DuckDB.
 */
#include <duckdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "pond.h"
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
    pond_export_options o;
    memset(&o, 0, sizeof o);
    snprintf(path, sizeof path, "%s/%s", tmp, dir);
    o.dir = path;
    o.patterns = patterns;
    o.npatterns = n;
    o.fs = POND_FS_DATA;
    return o;
}

/* Read a memstream's text. */
static char *slurp(FILE *f, char **buf)
{
    fflush(f);
    return *buf ? *buf : "";
}

TEST(dry_run_lists_to_out_and_reports_to_log)
{
    const char *pats[] = {"/sites/*.series"};
    pond_export_options o = options("dry", pats, 1);
    char *outbuf = NULL, *logbuf = NULL;
    size_t outlen = 0, loglen = 0;
    FILE *out = open_memstream(&outbuf, &outlen), *log = open_memstream(&logbuf, &loglen);
    char want[600];

    o.temporal = "year,month,day";
    o.dry_run = 1;
    o.out = out;
    o.log = log;
    CHECK(pond_export(p, &o) == POND_OK);
    snprintf(want, sizeof want,
             "%s/BDock/year=2024/month=7/day=20/data.parquet\t/sites/BDock.series\t24 rows\n"
             "%s/BDock/year=2024/month=7/day=21/data.parquet\t/sites/BDock.series\t24 rows\n",
             o.dir, o.dir);
    CHECK_STR(slurp(out, &outbuf), want);
    CHECK(strstr(slurp(log, &logbuf), "stage 1/1: data export (data_export)\n"
                                      "  would write 2 files (48 rows) from 1 match\n") != NULL);
    CHECK(strstr(logbuf, "dry run: nothing written") != NULL);
    CHECK(access(o.dir, F_OK) != 0);
    fclose(out);
    fclose(log);
    free(outbuf);
    free(logbuf);
}

TEST(quiet_run_writes_parquet)
{
    const char *pats[] = {"/sites/*.series"};
    pond_export_options o = options("out", pats, 1);
    char sql[1024];

    o.temporal = "year,month,day";
    CHECK(pond_export(p, &o) == POND_OK);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM read_parquet('%s/BDock/year=2024/month=7/day=21/data.parquet')",
             o.dir);
    CHECK(query_int(sql) == 24);
    /* The same run again: the output exists now. */
    CHECK(pond_export(p, &o) == POND_EEXISTS);
    CHECK(strstr(pond_error_last(), "output 'BDock' already exists") != NULL);
    o.overwrite = 1;
    o.temporal = NULL;
    CHECK(pond_export(p, &o) == POND_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM read_parquet('%s/BDock/**/*.parquet')", o.dir);
    CHECK(query_int(sql) == 48);
}

TEST(option_errors)
{
    const char *pats[] = {"/sites/*.series"};
    pond_export_options o = options("bad", pats, 1);

    o.dir = NULL;
    CHECK(pond_export(p, &o) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "no output directory") != NULL);
    o = options("bad", pats, 0);
    CHECK(pond_export(p, &o) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "no pattern") != NULL);
    o = options("bad", pats, 1);
    o.temporal = "hour";
    CHECK(pond_export(p, &o) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "lacks 'year'") != NULL);
    o.temporal = NULL;
    o.start_time = "2024-07-21";
    o.end_time = "2024-07-21";
    CHECK(pond_export(p, &o) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "is not before") != NULL);
    o.start_time = o.end_time = NULL;
    o.pipeline_file = "a.yaml";
    o.template_spec = "b.yaml";
    CHECK(pond_export(p, &o) == POND_EINVALID);
    CHECK(access(o.dir, F_OK) != 0);
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
    pond_copy_options co = {POND_COPY_SERIES, NULL};
    pond_open_options open_opts = POND_OPEN_OPTIONS_INIT;
    open_opts.command_line = "test";
    if (pond_init(pond_dir) != POND_OK || pond_open(&p, pond_dir, &open_opts) != POND_OK ||
        pond_mkdir(p, "/sites", 0) != POND_OK ||
        pond_copy_in(p, srcs, 1, "/sites/BDock.series", &co) != POND_OK) {
        fprintf(stderr, "setup: %s\n", pond_error_last());
        return 1;
    }
    RUN(dry_run_lists_to_out_and_reports_to_log);
    RUN(quiet_run_writes_parquet);
    RUN(option_errors);
    pond_close(p);
    pond_fs_rm_rf(tmp);
    return check_done();
}
