/*
 * export/temporal.h: --temporal partition levels and the time window of each partition.
 *
 * --temporal names calendar levels to split rows by, Hive-style (year=2024/month=7/…).  The
 * accepted lists are the prefixes of year,month,day,hour,minute: "year", "year,month",
 * "year,month,day", "year,month,day,hour", "year,month,day,hour,minute".  A level without the
 * ones above it ("month" alone, "year,day") would not name one stretch of time, so it is
 * refused with a message saying which level is missing.
 *
 * Windows are computed in the context's session time zone (SET TimeZone; in UTC by arithmetic,
 * elsewhere by a DuckDB/ICU query per batch of partitions): a partition's start
 * is the earliest instant whose local time is at or after the partition's local start, and its
 * end is the start of the next partition, so windows tile time exactly across DST changes
 * (2024-03-10 in America/Los_Angeles is 23 hours; hour 1 of 2024-11-03 there is 2 hours).
 */
#ifndef POND_EXPORT_TEMPORAL_H
#define POND_EXPORT_TEMPORAL_H

#include <duckdb.h>
#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

#define POND_TEMPORAL_MAX 5

/* The levels in order; index = level. Borrowed, static. */
const char *pond_temporal_level_name(int level);

/* Parse text (e.g. "year,month,day"; spaces around words are ignored) into *nlevels (1…5).
 * POND_EINVALID naming the word for an unknown word, a repeated word, a word out of order or
 * a missing level. */
int pond_temporal_parse(int *nlevels, const char *text);

/* A cache of partition windows for one connection and one number of levels. */
typedef struct pond_temporal_windows pond_temporal_windows;

/* Prepare the window query on con (whose TimeZone is already set). */
int pond_temporal_windows_new(pond_temporal_windows **out, duckdb_connection con, int nlevels);

void pond_temporal_windows_free(pond_temporal_windows *w);

/* Compute the windows of n partitions at once (vals: n rows of POND_TEMPORAL_MAX values, the
 * first nlevels used), so that pond_temporal_window() finds them cached: one query instead of
 * n.  In UTC windows are plain arithmetic and this does nothing. */
int pond_temporal_windows_prefetch(pond_temporal_windows *w, const int64_t *vals, size_t n);

/* The window of the partition whose level values are vals[0..nlevels) (year, month, …), as
 * Unix milliseconds: start inclusive, end exclusive. */
int pond_temporal_window(pond_temporal_windows *w, const int64_t *vals, int64_t *start_ms,
                         int64_t *end_ms);

#endif
