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
 * first and last instant and every key between.  Exact where keys grow with time: in UTC,
 * and by year … hour in any zone whose clocks go back on the hour; by minute, an hour of local
 * minutes repeats when the clocks go back, which the caller avoids (update_plan.h). */
int pond_update_dirty_keys(duckdb_connection con, int nlevels, const pond_time_range *r,
                           size_t n, pond_key_range **out, size_t *nout);

#endif
