/*
 * export/partition_plan.h: one integer partition key for --temporal, and back.
 *
 * DuckDB's partitioned COPY builds and compares a Value per row per partition column, so
 * PARTITION_BY (year, month, day) costs three times what one integer column costs (issue 11:
 * one key measured 15-25% faster for the same output).  The data export therefore partitions
 * by one BIGINT, the number of the partition's finest level counted from 1970-01-01 in the
 * export's time zone, and renames DuckDB's KEY=<n> directories into year=…/month=…/day=…:
 *
 *   levels                    key
 *   year                      the year
 *   year,month                year * 12 + month - 1
 *   year,month,day            days since 1970-01-01 (local date)
 *   …,hour                    days * 24 + hour
 *   …,minute                  (days * 24 + hour) * 60 + minute
 *
 * Every function here is pure arithmetic (no DuckDB), checked in
 * tests/unit/test_export_partition_plan.c against DuckDB's own year()/month()/….
 */
#ifndef POND_EXPORT_PARTITION_PLAN_H
#define POND_EXPORT_PARTITION_PLAN_H

#include <stdint.h>
#include "export/temporal.h"
#include "util/buf.h"

/* Append the SQL of the key of nlevels (1…5) computed from local, the name of a column that
 * holds the local wall-clock time as a plain TIMESTAMP. */
int pond_partition_key_sql(pond_buf *b, int nlevels, const char *local);

/* The level values (year, month, day, hour, minute; the first nlevels set) of key. */
void pond_partition_key_levels(int nlevels, int64_t key, int64_t vals[POND_TEMPORAL_MAX]);

/* The key of the partition holding the local wall-clock time local_us (microseconds since
 * 1970-01-01 00:00, local). */
int64_t pond_partition_key_of_local(int nlevels, int64_t local_us);

/* Append the Hive directory of vals: "year=2024/month=7/day=3" (no padding, as DuckDB). */
int pond_partition_dir(pond_buf *b, int nlevels, const int64_t vals[POND_TEMPORAL_MAX]);

/* Append the directory of a partition whose key is NULL: "year=NULL/month=NULL/…". */
int pond_partition_null_dir(pond_buf *b, int nlevels);

#endif
