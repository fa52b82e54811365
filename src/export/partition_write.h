/*
 * export/partition_write.h: the files one data-export COPY wrote, moved to their final names.
 *
 * A partitioned COPY writes <dir>/__pond_local=<key>/data_<n>.parquet (the integer key of
 * partition_plan.h; a batch of series packs the series into it and sets src_index,
 * batch_copy.h).
 * pond_written_add_result() takes the names from the COPY's RETURN_FILES result; and
 * pond_written_place() gives each file its final name under its output
 *   <out>/year=2024/month=7/day=3/data.parquet, data_1.parquet … (DuckDB's order of n)
 * reads its row count from its footer (parquet_footer.h) and renames each key directory to
 * its partition directory (creating the levels above it once each; file by file into a
 * partition directory that exists already).  Unpartitioned, the one file keeps its name.  The result, one
 * pond_written_file per output file, is what export_metadata records.
 */
#ifndef POND_EXPORT_PARTITION_WRITE_H
#define POND_EXPORT_PARTITION_WRITE_H

#include <duckdb.h>
#include <stddef.h>
#include <stdint.h>
#include "export/temporal.h"

#define POND_KEY_COLUMN "__pond_local" /* the key (a source column of that name is refused) */

typedef struct pond_written_file {
    char *src;       /* where DuckDB wrote it (absolute); owned */
    char *final;     /* after pond_written_place: its partition directory ("year=2024/month=7"),
                      * relative to its output directory ("" unpartitioned); owned */
    char *name;      /* after pond_written_place: the file, relative to its output
                      * directory ("year=2024/month=7/data_1.parquet"); owned */
    long src_index;  /* the series in a batch (its output in pond_written_place); else 0 */
    long index;      /* n of data_<n>.parquet */
    int key_ok;      /* 0 for a NULL key (rows without a timestamp) */
    int64_t key;
    int64_t vals[POND_TEMPORAL_MAX]; /* the levels of key */
    int64_t rows;    /* from the footer */
} pond_written_file;

typedef struct pond_written {
    pond_written_file *v;
    size_t n, cap;
} pond_written;

#define POND_WRITTEN_INIT {NULL, 0, 0}

/* Append the files of a COPY … RETURN_FILES result (column 1: the list of names); each name
 * must lie below dir.  With nlevels > 0 the names are parsed as above. */
int pond_written_add_result(pond_written *w, duckdb_result *res, const char *dir, int nlevels);

/* Sort the files (by src_index, final directory, n), read their row counts, and move each to
 * outs[src_index]/<final> (outs: the output directories, nouts of them).  Unpartitioned
 * (nlevels 0) files are not moved: final is their name relative to outs[src_index]. */
int pond_written_place(pond_written *w, int nlevels, const char *const *outs, size_t nouts);

void pond_written_free(pond_written *w);

#endif
