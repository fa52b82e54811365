/*
 * tests/unit/test_export_partition_plan.c: the integer partition key, computed by DuckDB from
 * the SQL pond_partition_key_sql() makes, turned back into levels by
 * pond_partition_key_levels() and checked against DuckDB's own year() … minute(), for times
 * from 1600 to 2400 (before 1970 too, where floor division matters), and the Hive names.
 */
#include <duckdb.h>
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "export/partition_plan.h"

static duckdb_database db;
static duckdb_connection con;

TEST(keys_match_duckdb)
{
    for (int nl = 1; nl <= POND_TEMPORAL_MAX; nl++) {
        pond_buf sql = POND_BUF_INIT;
        duckdb_result r;
        /* 20,000 times spread over 800 years at an odd step, plus the edges of days */
        pond_buf_puts(&sql, "SELECT epoch_us(t), ");
        pond_partition_key_sql(&sql, nl, "t");
        pond_buf_puts(&sql, ", year(t), month(t), day(t), hour(t), minute(t) FROM ("
                            "SELECT TIMESTAMP '1600-01-01' + INTERVAL (range * 1262137) SECOND "
                            "AS t FROM range(20000) UNION ALL SELECT * FROM (VALUES "
                            "(TIMESTAMP '1969-12-31 23:59:59.999999'), (TIMESTAMP '1970-01-01'),"
                            " (TIMESTAMP '2000-02-29 23:59'), (TIMESTAMP '1900-03-01')))");
        CHECK(duckdb_query(con, sql.ptr, &r) == DuckDBSuccess);
        idx_t n = duckdb_row_count(&r);
        CHECK(n == 20004);
        size_t bad = 0;
        for (idx_t i = 0; i < n; i++) {
            int64_t us = duckdb_value_int64(&r, 0, i), key = duckdb_value_int64(&r, 1, i);
            int64_t vals[POND_TEMPORAL_MAX];
            pond_partition_key_levels(nl, key, vals);
            int ok = pond_partition_key_of_local(nl, us) == key;
            for (int l = 0; l < nl; l++)
                ok &= vals[l] == duckdb_value_int64(&r, (idx_t)(2 + l), i);
            if (!ok && bad++ < 5)
                fprintf(stderr, "levels %d: key %lld of %lld us does not match\n", nl,
                        (long long)key, (long long)us);
        }
        CHECK(bad == 0);
        duckdb_destroy_result(&r);
        pond_buf_free(&sql);
    }
}

TEST(dirs)
{
    pond_buf b = POND_BUF_INIT;
    int64_t vals[POND_TEMPORAL_MAX];
    pond_partition_key_levels(3, 0, vals);
    CHECK(pond_partition_dir(&b, 3, vals) == POND_OK);
    CHECK_STR(b.ptr, "year=1970/month=1/day=1");
    pond_buf_clear(&b);
    pond_partition_key_levels(5, -1, vals);
    pond_partition_dir(&b, 5, vals);
    CHECK_STR(b.ptr, "year=1969/month=12/day=31/hour=23/minute=59");
    pond_buf_clear(&b);
    pond_partition_key_levels(2, 2024 * 12 + 6, vals);
    pond_partition_dir(&b, 2, vals);
    CHECK_STR(b.ptr, "year=2024/month=7");
    pond_buf_clear(&b);
    pond_partition_null_dir(&b, 3);
    CHECK_STR(b.ptr, "year=NULL/month=NULL/day=NULL");
    pond_buf_free(&b);
}

int main(void)
{
    if (duckdb_open(NULL, &db) == DuckDBError || duckdb_connect(db, &con) == DuckDBError)
        return 1;
    RUN(keys_match_duckdb);
    RUN(dirs);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return check_done();
}
