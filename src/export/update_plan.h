/*
 * export/update_plan.h: what `pond export --update` does with each output (docs/update.md),
 * decided from the manifest of the last export (export/manifest.h) and the output as this
 * run would make it.  Pure: no file, no DuckDB (tests/unit/test_export_update_plan.c).
 *
 *   new output, or its kind, options, derived inputs or schemas changed   -> WRITE (whole)
 *   a data file                     its newest version's sha256 unchanged  -> KEEP, else WRITE
 *   the same versions (numbers and sha256)                                 -> KEEP
 *   a series partitioned by time, versions added, lost or changed          -> PARTIAL: the time
 *       ranges of those versions (old and new) are dirty; every partition whose window
 *       overlaps one is written again whole, the others are kept
 *   anything else that changed (a table, a series without --temporal)      -> WRITE
 */
#ifndef POND_EXPORT_UPDATE_PLAN_H
#define POND_EXPORT_UPDATE_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include "export/manifest.h"

typedef enum { POND_UPDATE_WRITE, POND_UPDATE_KEEP, POND_UPDATE_PARTIAL } pond_update_action;

typedef struct pond_time_range {
    int64_t lo_us, hi_us; /* inclusive, UTC µs */
} pond_time_range;

typedef struct pond_update_decision {
    pond_update_action action;
    const char *why;        /* for WRITE: "new", "options changed", … (static) */
    pond_time_range *dirty; /* PARTIAL: the dirty ranges (owned) */
    size_t ndirty, capdirty;
} pond_update_decision;

/* Decide for one output: old from the manifest (NULL when it lists none at now->rel), now as
 * this run makes it (its versions and hashes; files not needed).  by_time: the output is
 * partitioned by --temporal. */
int pond_update_plan_output(const pond_manifest_output *old, const pond_manifest_output *now,
                            int by_time, pond_update_decision *d);

void pond_update_decision_free(pond_update_decision *d);

/* Inclusive ranges of partition keys. */
typedef struct pond_key_range {
    int64_t lo, hi;
} pond_key_range;

/* Sort r and merge ranges that overlap or touch; returns how many are left. */
size_t pond_update_merge_keys(pond_key_range *r, size_t n);

/* 1 when key lies in one of the merged ranges r[0..n). */
int pond_update_key_dirty(const pond_key_range *r, size_t n, int64_t key);

#endif
