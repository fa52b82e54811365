/*
 * tests/unit/test_export_partition_write.c: the files of a real partitioned DuckDB COPY …
 * RETURN_FILES, several per partition (one open file and a small flush threshold make DuckDB
 * split them, as it does by itself with many partitions and several threads), placed by pond_written_place(): names data.parquet,
 * data_1.parquet … per partition, row counts from the footers equal to count(*), every row
 * moved, the key directories gone; and a name outside the COPY's directory refused.
 */
#include <duckdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "check.h"
#include "export/partition_write.h"

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
    RUN(outside_refused);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
