/*
 * tests/unit/test_export_parquet_footer.c: num_rows read from the footers of Parquet files
 * DuckDB wrote (against count(*) read back by DuckDB), from hand-made Thrift bytes, and
 * refusals of every truncation and of damaged tails.
 */
#include <duckdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "export/parquet_footer.h"

static char dir[] = "/tmp/pond-test-footer.XXXXXX";
static duckdb_database db;
static duckdb_connection con;

static void sql(const char *q)
{
    duckdb_result r;
    if (duckdb_query(con, q, &r) == DuckDBError)
        fprintf(stderr, "sql failed: %s: %s\n", q, duckdb_result_error(&r));
    duckdb_destroy_result(&r);
}

static int64_t duck_count(const char *path)
{
    char q[512];
    duckdb_result r;
    int64_t n = -1;
    snprintf(q, sizeof q, "SELECT count(*) FROM read_parquet('%s')", path);
    if (duckdb_query(con, q, &r) == DuckDBSuccess)
        n = duckdb_value_int64(&r, 0, 0);
    duckdb_destroy_result(&r);
    return n;
}

/* Files of several shapes written by DuckDB: the footer count equals count(*). */
TEST(duckdb_files)
{
    static const char *const selects[] = {
        "SELECT range AS x FROM range(0)",
        "SELECT range AS x FROM range(1)",
        "SELECT range AS x, range::VARCHAR AS s, [range, 2] AS l, {'a': range} AS st, "
        "MAP {'k': range} AS m, range % 2 = 0 AS b, range / 3.0 AS d FROM range(123457)",
        "SELECT TIMESTAMP '2024-01-01' + INTERVAL (range) MINUTE AS ts, random() AS v "
        "FROM range(2000000)",
    };
    for (size_t i = 0; i < sizeof selects / sizeof *selects; i++) {
        char path[256], q[1024];
        int64_t rows = -1;
        snprintf(path, sizeof path, "%s/f%zu.parquet", dir, i);
        snprintf(q, sizeof q, "COPY (%s) TO '%s' (FORMAT PARQUET, ROW_GROUP_SIZE 100000)",
                 selects[i], path);
        sql(q);
        CHECK(pond_parquet_file_rows(path, &rows) == POND_OK);
        CHECK(rows == duck_count(path));
        CHECK(rows >= 0);
    }
}

/* FileMetaData { 1: i32 version = 1, 2: list<struct> schema = [{4: binary "x"}], 3: i64 }. */
static size_t handmade(unsigned char *b, int64_t rows)
{
    size_t n = 0;
    uint64_t z = ((uint64_t)rows << 1) ^ (uint64_t)(rows >> 63);
    b[n++] = 0x15; /* delta 1, i32 */
    b[n++] = 0x02; /* zigzag 1 */
    b[n++] = 0x19; /* delta 1, list */
    b[n++] = 0x1c; /* 1 element, struct */
    b[n++] = 0x48; /* delta 4, binary */
    b[n++] = 0x01;
    b[n++] = 'x';
    b[n++] = 0x00; /* end of the element */
    b[n++] = 0x16; /* delta 1 (field 3), i64 */
    do {
        b[n++] = (unsigned char)((z & 0x7f) | (z > 0x7f ? 0x80 : 0));
        z >>= 7;
    } while (z);
    b[n++] = 0x00;
    return n;
}

TEST(handmade_bytes)
{
    unsigned char b[64];
    int64_t rows = -1;
    size_t n = handmade(b, 10000000);
    CHECK(pond_parquet_metadata_rows(b, n, &rows) == POND_OK);
    CHECK(rows == 10000000);
    /* every truncation before num_rows' last byte is refused, never read past */
    for (size_t len = 0; len + 1 < n; len++) {
        unsigned char *copy = malloc(len ? len : 1);
        memcpy(copy, b, len);
        CHECK(pond_parquet_metadata_rows(copy, len, &rows) == POND_ECORRUPT);
        free(copy);
    }
    /* a negative count, a missing field 3, nesting too deep */
    n = handmade(b, -5);
    CHECK(pond_parquet_metadata_rows(b, n, &rows) == POND_ECORRUPT);
    CHECK(strstr(pond_error_last(), "negative") != NULL);
    unsigned char nofield[] = {0x15, 0x02, 0x00};
    CHECK(pond_parquet_metadata_rows(nofield, sizeof nofield, &rows) == POND_ECORRUPT);
    CHECK(strstr(pond_error_last(), "field 3") != NULL);
    unsigned char deep[200];
    for (size_t i = 0; i < sizeof deep; i++)
        deep[i] = 0x1c; /* struct in struct in … */
    CHECK(pond_parquet_metadata_rows(deep, sizeof deep, &rows) == POND_ECORRUPT);
    CHECK(strstr(pond_error_last(), "too deep") != NULL);
    /* a field id past i16 in the long form, then a delta that would overflow it */
    unsigned char wideid[] = {0x05, 0xf4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
                              0x00, 0xf5, 0x00, 0x00};
    CHECK(pond_parquet_metadata_rows(wideid, sizeof wideid, &rows) == POND_ECORRUPT);
    CHECK(strstr(pond_error_last(), "field id out of range") != NULL);
    unsigned char hugelist[] = {0x19, 0xf5, 0xff, 0xff, 0xff, 0xff, 0x0f}; /* 4 G i32s */
    CHECK(pond_parquet_metadata_rows(hugelist, sizeof hugelist, &rows) == POND_ECORRUPT);
}

static void write_bytes(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(p, 1, n, f);
    fclose(f);
}

TEST(damaged_files)
{
    char path[256];
    int64_t rows;
    snprintf(path, sizeof path, "%s/bad.parquet", dir);
    write_bytes(path, "PAR1", 4);
    CHECK(pond_parquet_file_rows(path, &rows) == POND_ECORRUPT);
    CHECK(strstr(pond_error_last(), "bad.parquet") != NULL);
    write_bytes(path, "PAR1\0\0\0\0\xff\xff\x00\x00PAR1", 16); /* footer longer than the file */
    CHECK(pond_parquet_file_rows(path, &rows) == POND_ECORRUPT);
    CHECK(strstr(pond_error_last(), "does not fit") != NULL);
    write_bytes(path, "hello, this is not parquet", 26);
    CHECK(pond_parquet_file_rows(path, &rows) == POND_ECORRUPT);
    snprintf(path, sizeof path, "%s/missing.parquet", dir);
    CHECK(pond_parquet_file_rows(path, &rows) == POND_ERROR);
}

int main(void)
{
    char cmd[300];
    if (!mkdtemp(dir) || duckdb_open(NULL, &db) == DuckDBError || duckdb_connect(db, &con))
        return 1;
    RUN(duckdb_files);
    RUN(handmade_bytes);
    RUN(damaged_files);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
