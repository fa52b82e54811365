/*
 * export/parquet_footer.h: the row count of a Parquet file, from its footer.
 *
 * A Parquet file ends with <FileMetaData, Thrift compact protocol><4-byte little-endian length>
 * "PAR1".  FileMetaData's field 3 is num_rows (i64).  The data export reads it from every file
 * DuckDB wrote instead of asking COPY for RETURN_STATS, which costs DuckDB a column_statistics
 * map per file (issue 11: +10% instructions at 500 k rows, +1.1 s CPU at 10 M rows).
 *
 * The parser reads only what it needs, checks every length against the bytes left, and nests
 * at most POND_PARQUET_MAX_DEPTH structures deep: any input ends in a result or POND_ECORRUPT
 * (tests/unit/test_export_parquet_footer.c, tests/fuzz/fuzz_export_parquet_footer.c).
 */
#ifndef POND_EXPORT_PARQUET_FOOTER_H
#define POND_EXPORT_PARQUET_FOOTER_H

#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

#define POND_PARQUET_MAX_DEPTH 32
#define POND_PARQUET_MAX_FOOTER (64 * 1024 * 1024) /* larger footers are refused */

/* num_rows of the FileMetaData in buf[0..len) (the footer without its 8-byte tail).
 * POND_OK, or POND_ECORRUPT (message set, naming what) when it is not one or has no field 3. */
int pond_parquet_metadata_rows(const unsigned char *buf, size_t len, int64_t *rows);

/* num_rows of the Parquet file at path: reads the tail, then the footer.  POND_ERROR when
 * the file cannot be read, POND_ECORRUPT when it is not Parquet; the message names path. */
int pond_parquet_file_rows(const char *path, int64_t *rows);

#endif
