/*
 * export/batch_copy.h: one partitioned COPY over a batch of same-schema series (issue 11).
 *
 * Each series' own COPY costs DuckDB a prepare, a plan, a partitioned write's setup and its
 * date caches again: for many small series that is most of the export.  A run of series with
 * the same schema and options is therefore written by one statement,
 *
 *   COPY (SELECT * EXCLUDE (__pond_local, __pond_file),
 *                $3[__pond_file + 1] * 2^40 + coalesce(<key of __pond_local> + 2^39, 2^40 - 1)
 *                AS __pond_local
 *         FROM (SELECT *, <local time> AS __pond_local, file_index AS __pond_file
 *               FROM read_parquet($2)[ WHERE <ts> >= $4][ AND <ts> < $5]))
 *   TO $1 (FORMAT PARQUET, PARTITION_BY (__pond_local), RETURN_FILES)
 *
 * $2 being the content files of every series of the batch and $3, for each of them, the index
 * of its series in the batch (file_index is DuckDB's position of a row's file in $2).  The
 * series and the partition key (partition_plan.h) are packed into ONE key, because DuckDB's
 * partitioned write pays per key column and row (two columns measured 8% slower).  DuckDB
 * writes <target>/__pond_local=<packed>/data_<n>.parquet; the files come back with their
 * series (src_index) and key unpacked, for pond_written_place() (partition_write.h) to move
 * each into its series' own output.
 *
 * The caller checks that the batch can share one statement: the same schema (no
 * union_by_name), the same timestamp column and type, no column named file_index or
 * __pond_*, and few enough partitions in all for one COPY.
 */
#ifndef POND_EXPORT_BATCH_COPY_H
#define POND_EXPORT_BATCH_COPY_H

#include <duckdb.h>
#include <stddef.h>
#include <stdint.h>
#include "export/partition_write.h"
#include "export/progress.h"

typedef struct pond_batch_copy {
    const char *target;    /* the directory DuckDB writes (it must not exist; its parent must) */
    const char *local_sql; /* SQL: a row's local wall-clock time as a plain TIMESTAMP */
    const char *ts_sql;    /* SQL: the timestamp column, for the time bounds */
    int ts_is_tz;          /* the timestamp column is a TIMESTAMPTZ (how bounds are bound) */
    int nlevels;           /* of --temporal, 1…5 */
    int has_start, has_end;
    int64_t start_us, end_us; /* [start, end) when has_* */
    const char *const *files; /* every content file of the batch */
    const int64_t *series;    /* files[i] belongs to series series[i] (0 … nseries-1) */
    size_t nfiles;
    size_t nseries;
    const char *what; /* names the batch in messages, e.g. "'/a.series' and 9 more series" */
} pond_batch_copy;

/* Run b's COPY on con (with pr's progress events) and add the files it wrote to w
 * (src_index: the series). */
int pond_batch_copy_run(duckdb_connection con, pond_export_progress *pr, const pond_batch_copy *b,
                        pond_written *w);

#endif
