/*
 * export/update_keys.h: the dirty time ranges of a partial --update (update_plan.h) as
 * ranges of partition keys (partition_plan.h), computed by DuckDB in the export's time zone
 * (the session's TimeZone), exactly as the data export's COPY computes each row's key.
 */
#ifndef POND_EXPORT_UPDATE_KEYS_H
#define POND_EXPORT_UPDATE_KEYS_H

#include <duckdb.h>
#include "export/update_plan.h"

/* *out (malloc'd, *nout of them, merged and sorted): for each of r[0..n), the keys of its
 * first and last instant and every key between, and widen more on each side.  Local time
 * goes back where a zone leaves summer time, so a range of instants can hold minutes before
 * its first instant's local minute or after its last's: a caller partitioning by minute in a
 * zone with DST passes widen 60 (no zone moves its clock back by more than an hour). */
int pond_update_dirty_keys(duckdb_connection con, int nlevels, const pond_time_range *r,
                           size_t n, int64_t widen, pond_key_range **out, size_t *nout);

#endif
