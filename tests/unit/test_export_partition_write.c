/*
 * tests/unit/test_export_partition_write.c: the files of a real partitioned DuckDB COPY …
 * RETURN_FILES, several per partition (one open file and a small flush threshold make DuckDB
 * split them, as it does by itself with many partitions and several threads), placed by pond_written_place(): names data.parquet,
 * data_1.parquet … per partition, row counts from the footers equal to count(*), every row
 * moved, the key directories gone; each key directory renamed into place (the same inode,
 * each file's bytes unchanged, nothing else in it, pond's directory mode), or, when the
 * partition directory exists already, its files moved one by one; and a name outside the
 * COPY's directory refused.
 */
#include <dirent.h>
#include <duckdb.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "check.h"
#include "export/partition_write.h"
#include "util/buf.h"
#include "util/fs.h"

static char dir[] = "/tmp/pond-test-pwrite.XXXXXX";
static duckdb_database db;
static duckdb_connection con;

static int64_t q_int(const char *sql)
{
    duckdb_result r;
    int64_t v = -1;
    if (duckdb_query(con, sql, &r) == DuckDBSuccess)
        v = duckdb_value_int64(&r, 0, 0);
    else
        fprintf(stderr, "%s: %s\n", sql, duckdb_result_error(&r));
    duckdb_destroy_result(&r);
    return v;
}

static void exec_ok(const char *sql)
{
    duckdb_result r;
    int ok = duckdb_query(con, sql, &r) == DuckDBSuccess;
    if (!ok)
        fprintf(stderr, "%s: %s\n", sql, duckdb_result_error(&r));
    CHECK(ok);
    duckdb_destroy_result(&r);
}

/* COPY days day keys (19723 …) of rows rows, interleaved and split into many files a day
 * (one open file, a small flush threshold), into work; its files into w. */
static void copy_days(const char *work, int days, int rows, pond_written *w)
{
    char sql[1024];
    duckdb_result r;
    exec_ok("SET threads = 1");
    exec_ok("SET partitioned_write_max_open_files = 1");
    exec_ok("SET partitioned_write_flush_threshold = 1000");
    snprintf(sql, sizeof sql,
             "COPY (SELECT range AS v, 19723 + range %% %d AS " POND_KEY_COLUMN
             " FROM range(%d)) TO '%s' (FORMAT PARQUET, PARTITION_BY (" POND_KEY_COLUMN
             "), RETURN_FILES)",
             days, rows, work);
    CHECK(duckdb_query(con, sql, &r) == DuckDBSuccess);
    CHECK(pond_written_add_result(w, &r, work, 3) == POND_OK);
    duckdb_destroy_result(&r);
}

/* The entries of directory path besides . and .. (-1 when it cannot be read). */
static int count_entries(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* Check f's name (of two days from key 19723): data.parquet for the first file of its day,
 * then data_1.parquet …, counted in per_day[2].  0 when its key is not of those days. */
static int check_placed_name(const pond_written_file *f, size_t per_day[2])
{
    char want[128];
    long d = (long)(f->key - 19723);
    CHECK(d >= 0 && d < 2);
    if (d < 0 || d >= 2)
        return 0;
    size_t k = per_day[d]++;
    if (k == 0)
        snprintf(want, sizeof want, "year=2024/month=1/day=%ld/data.parquet", d + 1);
    else
        snprintf(want, sizeof want, "year=2024/month=1/day=%ld/data_%zu.parquet", d + 1, k);
    CHECK_STR(f->name, want);
    return 1;
}

TEST(split_partitions)
{
    char sql[1024], work[300], out[300], path[400];
    duckdb_result r;
    pond_written w = POND_WRITTEN_INIT;
    struct stat st;

    snprintf(work, sizeof work, "%s/work", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    mkdir(out, 0777);
    /* 3 days (keys 19723…19725) of 20,000 rows, interleaved: 30 files a day */
    CHECK(duckdb_query(con, "SET threads = 1", &r) == DuckDBSuccess);
    duckdb_destroy_result(&r);
    CHECK(duckdb_query(con, "SET partitioned_write_max_open_files = 1", &r) == DuckDBSuccess);
    duckdb_destroy_result(&r);
    CHECK(duckdb_query(con, "SET partitioned_write_flush_threshold = 1000", &r) ==
          DuckDBSuccess);
    duckdb_destroy_result(&r);
    snprintf(sql, sizeof sql,
             "COPY (SELECT range AS v, 19723 + range %% 3 AS " POND_KEY_COLUMN
             " FROM range(60000)) TO '%s' (FORMAT PARQUET, PARTITION_BY (" POND_KEY_COLUMN
             "), RETURN_FILES)",
             work);
    CHECK(duckdb_query(con, sql, &r) == DuckDBSuccess);
    CHECK(pond_written_add_result(&w, &r, work, 3) == POND_OK);
    duckdb_destroy_result(&r);
    CHECK(w.n > 20); /* split */
    const char *outs[1] = {out};
    CHECK(pond_written_place(&w, 3, outs, 1) == POND_OK);
    int64_t total = 0;
    size_t per_day[3] = {0};
    for (size_t i = 0; i < w.n; i++) {
        const pond_written_file *f = &w.v[i];
        long day = (long)(f->key - 19723);
        CHECK(day >= 0 && day < 3);
        CHECK(f->vals[0] == 2024 && f->vals[1] == 1 && f->vals[2] == day + 1);
        char want[128];
        if (per_day[day] == 0)
            snprintf(want, sizeof want, "year=2024/month=1/day=%ld/data.parquet", day + 1);
        else
            snprintf(want, sizeof want, "year=2024/month=1/day=%ld/data_%zu.parquet", day + 1,
                     per_day[day]);
        CHECK_STR(f->name, want);
        per_day[day]++;
        snprintf(path, sizeof path, "SELECT count(*) FROM read_parquet('%s/%s')", out, f->name);
        CHECK(q_int(path) == f->rows);
        /* DuckDB's data_<n> order kept: numeric n, so data_2 before data_10 */
        CHECK(i == 0 || w.v[i - 1].key != f->key || w.v[i - 1].index < f->index);
        total += f->rows;
    }
    CHECK(total == 60000);
    snprintf(path, sizeof path,
             "SELECT count(*) FROM (SELECT DISTINCT v FROM read_parquet('%s/**/*.parquet'))", out);
    CHECK(q_int(path) == 60000);
    snprintf(path, sizeof path, "%s/" POND_KEY_COLUMN "=19723", work);
    CHECK(stat(path, &st) != 0); /* key directories removed */
    pond_written_free(&w);
}

/* Each key directory becomes its partition directory: the same inode, each file's bytes
 * unchanged under its new name, nothing else in it, the mode of a directory pond makes (under
 * umask 002: 0775, where DuckDB makes 0755). */
TEST(key_dir_renamed)
{
    char work[300], out[300], path[400];
    pond_written w = POND_WRITTEN_INIT;
    pond_buf after = POND_BUF_INIT;
    ino_t ino[2] = {0, 0};
    struct stat st, st_out;
    enum { MAXF = 64 };
    char *src[MAXF];
    pond_buf bytes[MAXF];
    size_t nsrc = 0, per_day[2] = {0};

    mode_t old_umask = umask(002);
    snprintf(work, sizeof work, "%s/work3", dir);
    snprintf(out, sizeof out, "%s/out3", dir);
    CHECK(mkdir(out, 0777) == 0);
    copy_days(work, 2, 8000, &w);
    CHECK(w.n > 2 && w.n <= MAXF); /* split: data_0, data_1 … in each key directory */
    for (int d = 0; d < 2; d++) {
        snprintf(path, sizeof path, "%s/" POND_KEY_COLUMN "=%d", work, 19723 + d);
        CHECK(stat(path, &st) == 0);
        ino[d] = st.st_ino;
    }
    for (; nsrc < w.n && nsrc < MAXF; nsrc++) {
        src[nsrc] = strdup(w.v[nsrc].src);
        bytes[nsrc] = (pond_buf)POND_BUF_INIT;
        CHECK(pond_fs_read_file(src[nsrc], &bytes[nsrc]) == POND_OK);
    }
    const char *outs[1] = {out};
    CHECK(pond_written_place(&w, 3, outs, 1) == POND_OK);
    for (size_t i = 0; i < w.n; i++) {
        const pond_written_file *f = &w.v[i];
        if (!check_placed_name(f, per_day))
            continue;
        size_t j = 0; /* the file DuckDB wrote */
        while (j < nsrc && strcmp(src[j], f->src) != 0)
            j++;
        snprintf(path, sizeof path, "%s/%s", out, f->name);
        CHECK(pond_fs_read_file(path, &after) == POND_OK);
        CHECK(j < nsrc && after.len == bytes[j].len &&
              memcmp(after.ptr, bytes[j].ptr, after.len) == 0);
    }
    CHECK(stat(out, &st_out) == 0);
    for (int d = 0; d < 2; d++) {
        snprintf(path, sizeof path, "%s/year=2024/month=1/day=%d", out, d + 1);
        CHECK(stat(path, &st) == 0 && st.st_ino == ino[d]); /* renamed, not made */
        CHECK((st.st_mode & 07777) == 0775 && (st_out.st_mode & 07777) == 0775);
        CHECK(count_entries(path) == (int)per_day[d]);
    }
    CHECK(count_entries(work) == 0); /* the key directories left it */
    umask(old_umask);
    for (size_t i = 0; i < nsrc; i++) {
        free(src[i]);
        pond_buf_free(&bytes[i]);
    }
    pond_buf_free(&after);
    pond_written_free(&w);
}

/* A partition directory that exists already is not replaced: the files move into it one by
 * one, beside what it held, and the key directory is removed. */
TEST(existing_partition_dir)
{
    char work[300], out[300], path[400];
    pond_written w = POND_WRITTEN_INIT;
    struct stat st;

    snprintf(work, sizeof work, "%s/work4", dir);
    snprintf(out, sizeof out, "%s/out4", dir);
    snprintf(path, sizeof path, "%s/year=2024/month=1/day=1", out);
    CHECK(pond_fs_mkdir_p(path) == POND_OK);
    snprintf(path, sizeof path, "%s/year=2024/month=1/day=1/other.txt", out);
    CHECK(pond_fs_write_file_atomic(path, "x", 1) == POND_OK);
    copy_days(work, 2, 4000, &w);
    CHECK(w.n >= 2);
    const char *outs[1] = {out};
    CHECK(pond_written_place(&w, 3, outs, 1) == POND_OK);
    size_t per_day[2] = {0};
    int64_t total = 0;
    for (size_t i = 0; i < w.n; i++) {
        const pond_written_file *f = &w.v[i];
        if (!check_placed_name(f, per_day))
            continue;
        snprintf(path, sizeof path, "SELECT count(*) FROM read_parquet('%s/%s')", out, f->name);
        CHECK(q_int(path) == f->rows);
        total += f->rows;
    }
    CHECK(total == 4000);
    snprintf(path, sizeof path, "%s/year=2024/month=1/day=1", out);
    CHECK(count_entries(path) == (int)per_day[0] + 1); /* other.txt kept */
    snprintf(path, sizeof path, "%s/year=2024/month=1/day=2", out);
    CHECK(count_entries(path) == (int)per_day[1]);
    snprintf(path, sizeof path, "%s/" POND_KEY_COLUMN "=19723", work);
    CHECK(stat(path, &st) != 0 && errno == ENOENT);
    pond_written_free(&w);
}

TEST(outside_refused)
{
    char sql[512];
    duckdb_result r;
    pond_written w = POND_WRITTEN_INIT;
    snprintf(sql, sizeof sql,
             "COPY (SELECT 1 AS v, 5 AS " POND_KEY_COLUMN ") TO '%s/w2' (FORMAT PARQUET, "
             "PARTITION_BY (" POND_KEY_COLUMN "), RETURN_FILES)",
             dir);
    CHECK(duckdb_query(con, sql, &r) == DuckDBSuccess);
    CHECK(pond_written_add_result(&w, &r, "/somewhere/else", 3) == POND_ERROR);
    CHECK(strstr(pond_error_last(), "outside") != NULL);
    duckdb_destroy_result(&r);
    pond_written_free(&w);
}

int main(void)
{
    char cmd[300];
    if (!mkdtemp(dir) || duckdb_open(NULL, &db) == DuckDBError || duckdb_connect(db, &con))
        return 1;
    RUN(split_partitions);
    RUN(key_dir_renamed);
    RUN(existing_partition_dir);
    RUN(outside_refused);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
