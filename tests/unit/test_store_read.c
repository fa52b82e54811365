/*
 * tests/unit/test_store_read.c: reading a real pond: pond_cat in every format, --sql over
 * "series" (the union of a series' versions, union_by_name), time bounds, data bytes,
 * pond_copy_out, the transaction log and the control file system.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "pond.h"
#define TEST_POND_COMMAND "pond test --x 'y'"
#include "test_store_util.h"

/* A series of two versions; the second adds column "wind". */
static pond *series_pond(void)
{
    pond *p = fresh_pond();
    if (copy1(p, "v1.csv",
              "timestamp,temp\n2024-07-20 00:00:00,20.5\n2024-07-20 06:00:00,21\n"
              "2024-07-21 00:00:00,19\n",
              "/s.series") != POND_OK ||
        copy1(p, "v2.csv", "timestamp,temp,wind\n2024-07-22 00:00:00,18,3.5\n", "/s.series") !=
            POND_OK) {
        fprintf(stderr, "cannot fill the pond: %s\n", pond_error_last());
        exit(2);
    }
    return p;
}

TEST(cat_series_union_csv)
{
    pond *p = series_pond();
    pond_cat_options o = {POND_CAT_OPTIONS_VERSION,
                          "SELECT * FROM series ORDER BY timestamp", POND_OUTPUT_CSV, NULL, NULL};
    char *out = NULL;

    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_OK);
    CHECK_STR(out, "timestamp,temp,wind\n"
                   "2024-07-20 00:00:00,20.5,\n"
                   "2024-07-20 06:00:00,21.0,\n"
                   "2024-07-21 00:00:00,19.0,\n"
                   "2024-07-22 00:00:00,18.0,3.5\n");
    free(out);
    pond_close(p);
    rm_rf(dir);
}

TEST(cat_time_bounds_and_sql)
{
    pond *p = series_pond();
    pond_cat_options o = {POND_CAT_OPTIONS_VERSION,
                          "SELECT count(*) AS n, max(temp) AS hi FROM series", POND_OUTPUT_CSV,
                          "2024-07-20T06:00:00Z", "2024-07-22"};
    char *out = NULL;

    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_OK);
    CHECK_STR(out, "n,hi\n2,21.0\n");
    free(out);
    /* end exclusive, start inclusive, offsets */
    o.sql = "SELECT count(*) AS n FROM series";
    o.start_time = "2024-07-20T08:00:00+02:00";
    o.end_time = NULL;
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_OK);
    CHECK_STR(out, "n\n3\n");
    free(out);
    o.start_time = "not a time";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "'not a time'") != NULL);
    free(out);
    o.start_time = NULL;
    o.sql = "SELECT nosuchcolumn FROM series;";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_EINVALID);
    CHECK(strncmp(pond_error_last(), "sql error: ", 11) == 0);
    CHECK(strstr(pond_error_last(), "nosuchcolumn") != NULL);
    free(out);
    o.sql = "SELECT CAST('x' || temp AS INTEGER) FROM series";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "sql error: Conversion Error") != NULL);
    free(out);
    o.sql = "DROP VIEW series";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_EINVALID);
    free(out);
    o.sql = "SELECT 1; SELECT 2";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_EINVALID);
    free(out);
    /* a trailing comment does not swallow the wrapping */
    o.sql = "SELECT count(*) AS n FROM series -- all of it";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_OK);
    CHECK_STR(out, "n\n4\n");
    free(out);
    pond_close(p);
    rm_rf(dir);
}

TEST(cat_sql_is_sandboxed)
{
    pond *p = series_pond();
    pond_cat_options o = {POND_CAT_OPTIONS_VERSION, NULL, POND_OUTPUT_CSV, NULL, NULL};
    char sql[1200], path[700], *out = NULL;
    struct stat st;

    snprintf(path, sizeof path, "%s/evil.csv", dir);
    snprintf(sql, sizeof sql, "COPY series TO '%s'", path);
    o.sql = sql;
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "sql error: only a read-only query") != NULL);
    CHECK(strstr(pond_error_last(), "COPY is not allowed") != NULL);
    CHECK(stat(path, &st) != 0);
    free(out);
    o.sql = "SELECT * FROM read_csv('/etc/passwd')";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "sql error: Permission Error") != NULL);
    free(out);
    o.sql = "PRAGMA version";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_EINVALID);
    free(out);
    /* The same handle copies a host file in afterwards: its work database is reopened with
     * access to the host, and sandboxed again for the next cat. */
    CHECK(copy1(p, "v3.csv", "timestamp,temp\n2024-07-23 00:00:00,17\n", "/s.series") ==
          POND_OK);
    o.sql = "SELECT count(*) AS n FROM series";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_OK);
    CHECK_STR(out, "n\n5\n");
    free(out);
    o.sql = "SELECT * FROM read_csv('/etc/passwd')";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_EINVALID);
    free(out);
    pond_close(p);
    rm_rf(dir);
}

TEST(cat_json_and_table)
{
    pond *p = series_pond();
    pond_cat_options o = {POND_CAT_OPTIONS_VERSION,
                          "SELECT timestamp, temp, wind FROM series ORDER BY timestamp LIMIT 2",
                          POND_OUTPUT_JSON, NULL, NULL};
    char *out = NULL;

    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_OK);
    CHECK_STR(out, "[\n{\"timestamp\":\"2024-07-20 00:00:00\",\"temp\":20.5,\"wind\":null},\n"
                   "{\"timestamp\":\"2024-07-20 06:00:00\",\"temp\":21.0,\"wind\":null}\n]\n");
    free(out);
    o.sql = "SELECT * FROM series WHERE false";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_OK);
    CHECK_STR(out, "[]\n");
    free(out);
    /* JSON has no NaN or Infinity: they print as strings, as in a template's context. */
    o.sql = "SELECT 'nan'::DOUBLE AS a, ['inf'::FLOAT, -'inf'::DOUBLE, 1.5] AS l, "
            "{'NaN': 'NaN \"x\" \\ Infinity', 'n': -1e300 * 1e300} AS s FROM series LIMIT 1";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_OK);
    CHECK_STR(out, "[\n{\"a\":\"NaN\",\"l\":[\"Infinity\",\"-Infinity\",1.5],"
                   "\"s\":{\"NaN\":\"NaN \\\"x\\\" \\\\ Infinity\",\"n\":\"-Infinity\"}}\n]\n");
    free(out);
    o.format = POND_OUTPUT_TABLE;
    o.sql = "SELECT temp, wind FROM series ORDER BY timestamp DESC LIMIT 2";
    CHECK(cat_to_string(p, POND_FS_DATA, "/s.series", &o, &out) == POND_OK);
    CHECK_STR(out, "temp  wind\n"
                   "----  ----\n"
                   "18.0  3.5\n"
                   "19.0  NULL\n");
    free(out);
    pond_close(p);
    rm_rf(dir);
}

TEST(cat_parquet_and_copy_out)
{
    pond *p = series_pond();
    pond_cat_options o = {POND_CAT_OPTIONS_VERSION, NULL, POND_OUTPUT_PARQUET, NULL, NULL};
    char path[600], cmd[1400], *out;
    FILE *f;

    snprintf(path, sizeof path, "%s/cat.parquet", dir);
    f = fopen(path, "wb");
    CHECK(pond_cat(p, POND_FS_DATA, "/s.series", &o, f) == POND_OK);
    fclose(f);
    snprintf(cmd, sizeof cmd, "head -c4 '%s'", path);
    out = run_out(cmd);
    CHECK_STR(out, "PAR1");
    free(out);
    /* read it back in as a Parquet source: same rows */
    {
        const char *srcs[1] = {path};
        got_list l;
        CHECK(pond_copy_in(p, srcs, 1, "/back.table", NULL) == POND_OK);
        CHECK(glob_into(p, POND_FS_DATA, "/back.table", POND_WITH_VERSIONS, &l) == POND_OK);
        CHECK(l.n == 1 && l.e[0].v[0].row_count == 4);
        CHECK(strstr(l.e[0].v[0].schema, "wind") != NULL);
    }
    snprintf(path, sizeof path, "%s/out.csv", dir);
    CHECK(pond_copy_out(p, POND_FS_DATA, "/s.series", path) == POND_OK);
    snprintf(cmd, sizeof cmd, "sort '%s'", path);
    out = run_out(cmd);
    CHECK_STR(out, "2024-07-20 00:00:00,20.5,\n2024-07-20 06:00:00,21.0,\n"
                   "2024-07-21 00:00:00,19.0,\n2024-07-22 00:00:00,18.0,3.5\ntimestamp,temp,wind");
    free(out);
    /* into a directory: named like the pond file, and no temporary left */
    CHECK(pond_copy_out(p, POND_FS_DATA, "/s.series", dir) == POND_OK);
    snprintf(cmd, sizeof cmd, "head -c4 '%s/s.series'; ls '%s' | grep -c pond-tmp", dir, dir);
    out = run_out(cmd);
    CHECK_STR(out, "PAR10");
    free(out);
    CHECK(pond_copy_out(p, POND_FS_DATA, "/nope", path) == POND_ENOTFOUND);
    CHECK_STR(pond_error_last(), "no such file '/nope'");
    CHECK(pond_copy_out(p, POND_FS_DATA, "/", path) == POND_EINVALID);
    snprintf(path, sizeof path, "%s/no/such/dir/x.parquet", dir);
    CHECK(pond_copy_out(p, POND_FS_DATA, "/s.series", path) == POND_ENOTFOUND);
    CHECK(strstr(pond_error_last(), "no such directory") != NULL);
    pond_close(p);
    rm_rf(dir);
}

TEST(data_round_trip)
{
    pond *p = fresh_pond();
    char src[400], back[400], cmd[1000], *out;
    const char *srcs[1] = {src};
    unsigned char bytes[512];
    pond_cat_options o = {POND_CAT_OPTIONS_VERSION, NULL, POND_OUTPUT_CSV, NULL, NULL};
    FILE *f;
    size_t i;

    for (i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 7);
    snprintf(src, sizeof src, "%s/blob.bin", dir);
    f = fopen(src, "wb");
    fwrite(bytes, 1, sizeof bytes, f);
    fclose(f);
    CHECK(pond_copy_in(p, srcs, 1, "/blob.bin", NULL) == POND_OK);
    snprintf(back, sizeof back, "%s/back.bin", dir);
    CHECK(pond_copy_out(p, POND_FS_DATA, "/blob.bin", back) == POND_OK);
    snprintf(cmd, sizeof cmd, "cmp '%s' '%s' && echo same", src, back);
    out = run_out(cmd);
    CHECK_STR(out, "same");
    free(out);
    snprintf(back, sizeof back, "%s/cat.bin", dir);
    f = fopen(back, "wb");
    CHECK(pond_cat(p, POND_FS_DATA, "/blob.bin", &o, f) == POND_OK);
    fclose(f);
    out = run_out(cmd);
    CHECK_STR(out, "same");
    free(out);
    o.sql = "SELECT 1";
    f = fopen(back, "wb");
    CHECK(pond_cat(p, POND_FS_DATA, "/blob.bin", &o, f) == POND_EINVALID);
    fclose(f);
    pond_close(p);
    rm_rf(dir);
}

TEST(table_replace_reads_latest)
{
    pond *p = fresh_pond();
    pond_cat_options o = {POND_CAT_OPTIONS_VERSION, NULL, POND_OUTPUT_CSV, NULL, NULL};
    char *out = NULL;

    CHECK(copy1(p, "t1.csv", "k,v\na,1\nb,2\n", "/t.table") == POND_OK);
    CHECK(copy1(p, "t2.csv", "k,v\nc,3\n", "/t.table") == POND_OK);
    CHECK(cat_to_string(p, POND_FS_DATA, "/t.table", &o, &out) == POND_OK);
    CHECK_STR(out, "k,v\nc,3\n");
    free(out);
    o.start_time = "2024-01-01";
    CHECK(cat_to_string(p, POND_FS_DATA, "/t.table", &o, &out) == POND_EINVALID);
    free(out);
    pond_close(p);
    rm_rf(dir);
}

TEST(symlinks)
{
    pond *p = series_pond();
    pond_cat_options o = {POND_CAT_OPTIONS_VERSION,
                          "SELECT count(*) AS n FROM series", POND_OUTPUT_CSV, NULL, NULL};
    got_list l;
    char *out = NULL;

    CHECK(pond_mkdir(p, "/links", 0) == POND_OK);
    CHECK(pond_symlink(p, "/s.series", "/links/s") == POND_OK);
    CHECK(pond_symlink(p, "/links/s", "/links/s2") == POND_OK);
    CHECK(pond_symlink(p, "/nowhere", "/links/dangling") == POND_OK);
    CHECK(pond_symlink(p, "/links/loop", "/links/loop") == POND_OK);
    CHECK(pond_symlink(p, "/s.series", "/links/s") == POND_EEXISTS);
    CHECK(pond_symlink(p, "/s.series", "/nodir/s") == POND_ENOTFOUND);
    CHECK(glob_into(p, POND_FS_DATA, "/links/*", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(l.n == 4);
    if (l.n == 4) {
        CHECK_STR(l.e[2].path, "/links/s");
        CHECK(l.e[2].type == POND_ENTRY_SYMLINK);
        CHECK_STR(l.e[2].target, "/s.series");
        CHECK(l.e[2].nversions == 0);
    }
    /* globbing does not follow a symlink */
    CHECK(glob_into(p, POND_FS_DATA, "/links/s/*", 0, &l) == POND_ENOTFOUND);
    CHECK(cat_to_string(p, POND_FS_DATA, "/links/s2", &o, &out) == POND_OK);
    CHECK_STR(out, "n\n4\n");
    free(out);
    CHECK(cat_to_string(p, POND_FS_DATA, "/links/dangling", &o, &out) == POND_ENOTFOUND);
    CHECK(strstr(pond_error_last(), "'/nowhere'") != NULL);
    free(out);
    CHECK(cat_to_string(p, POND_FS_DATA, "/links/loop", &o, &out) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "too many levels of symlinks") != NULL);
    free(out);
    pond_close(p);
    rm_rf(dir);
}

static int count_txn(const pond_txn_info *t, void *ctx)
{
    int *n = ctx;
    (*n)++;
    if (*n == 1) {
        CHECK(t->seq == 1);
        CHECK_STR(t->status, "committed");
        CHECK_STR(t->command, "pond test --x 'y'");
        CHECK(strlen(t->id) == 36);
        CHECK(t->end_time >= t->start_time && t->start_time > 1700000000000000LL);
    }
    if (*n == 2) {
        CHECK(t->seq == 2);
        CHECK(strstr(t->variables, "\"format\":\"auto\"") != NULL);
    }
    if (*n == 3)
        CHECK_STR(t->status, "aborted");
    return 0;
}

TEST(txn_log_and_control_fs)
{
    pond *p = fresh_pond();
    pond_cat_options o = {POND_CAT_OPTIONS_VERSION, NULL, POND_OUTPUT_CSV, NULL, NULL};
    got_list l;
    char *out = NULL;
    int n = 0;

    CHECK(pond_mkdir(p, "/d", 0) == POND_OK);
    CHECK(pond_mkdir(p, "/d", 1) == POND_OK); /* a no-op: not in the log */
    CHECK(copy1(p, "t.csv", "k,v\na,1\n", "/d/t.table") == POND_OK);
    CHECK(copy1(p, "bad.csv", "k,v\na,1,2\n", "/d/u.table") == POND_EINVALID);
    CHECK(pond_txn_log(p, count_txn, &n) == POND_OK);
    CHECK(n == 3);

    CHECK(glob_into(p, POND_FS_CONTROL, "/txn/*", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(l.n == 3);
    if (l.n == 3) {
        CHECK_STR(l.e[0].path, "/txn/1");
        CHECK(l.e[0].type == POND_ENTRY_TABLE);
        CHECK_STR(l.e[0].captures[0], "1");
        CHECK(l.e[0].nversions == 1 && l.e[0].v[0].row_count == 1);
        CHECK(strstr(l.e[0].v[0].schema, "\"command\"") != NULL);
        CHECK(access(l.e[0].v[0].content_path, R_OK) == 0);
        CHECK(l.e[2].txn == 3);
    }
    CHECK(glob_into(p, POND_FS_CONTROL, "/**", 0, &l) == POND_OK);
    CHECK(l.n == 4 && strcmp(l.e[0].path, "/txn") == 0);
    o.sql = "SELECT seq, status, command FROM series";
    CHECK(cat_to_string(p, POND_FS_CONTROL, "/txn/3", &o, &out) == POND_OK);
    CHECK_STR(out, "seq,status,command\n3,aborted,pond test --x 'y'\n");
    free(out);
    CHECK(cat_to_string(p, POND_FS_CONTROL, "/txn/9", &o, &out) == POND_ENOTFOUND);
    free(out);
    CHECK(glob_into(p, POND_FS_CONTROL, "/txn/9*", 0, &l) == POND_ENOTFOUND);
    /* the data file system is unchanged by the failure */
    CHECK(glob_into(p, POND_FS_DATA, "/d/*", 0, &l) == POND_OK && l.n == 1);
    pond_close(p);
    rm_rf(dir);
}

int main(void)
{
    RUN(cat_series_union_csv);
    RUN(cat_time_bounds_and_sql);
    RUN(cat_sql_is_sandboxed);
    RUN(cat_json_and_table);
    RUN(cat_parquet_and_copy_out);
    RUN(data_round_trip);
    RUN(table_replace_reads_latest);
    RUN(txn_log_and_control_fs);
    RUN(symlinks);
    return check_done();
}
