/*
 * export/data_export_int.h: what the two files of the data_export stage share:
 * stage_data_export.c (collect, plan, SQL, write) and stage_data_update.c (the run's manifest
 * entries and --update: keep, partial rewrite).  Not an API: only these two include it.
 */
#ifndef POND_EXPORT_DATA_EXPORT_INT_H
#define POND_EXPORT_DATA_EXPORT_INT_H

#include <duckdb.h>
#include <jansson.h>
#include <stdint.h>
#include "export/context.h"
#include "export/manifest.h"
#include "export/partition_write.h"
#include "export/temporal.h"
#include "export/update_plan.h"

/* One match of a pattern: what is read, and where it goes. */
typedef struct match {
    char *pattern;
    char *path;
    pond_entry_type type;
    char *ts_col;  /* series: the timestamp column; else NULL */
    char *ts_type; /* its type in the newest version that has it */
    int64_t ts_missing_version; /* a version without the timestamp column; 0 if none */
    unsigned level_columns; /* bit l: a column is named like level l; bit 5: LOCAL_COLUMN */
    int batch_names; /* a column named file_index or __pond_*: not in a batch (batch_copy.h) */
    int mixed_schemas; /* versions differ in schema: read them with union_by_name */
    pond_captures caps;
    char **files; /* content files to read (series: all versions; table, data: newest) */
    size_t nfiles;
    char *data_sha256; /* file:data: the newest version's sha256 and size, checked on copy */
    int64_t data_size;
    int has_time;
    int64_t min_us, max_us;
    char *relation; /* a dynamic series or table: its SQL relation (pond_entry_info), read in
                       place of files; its schema is asked of DuckDB at plan */
    char *rel; /* output, relative to DIR: a directory, or the file for file:data */
    int64_t rows, bytes; /* of the files read, for progress: rows (table, series), bytes (data) */
    pond_manifest_version *versions; /* of files, for the manifest */
    char schemas_sha256[65]; /* the versions' schemas, each that differs from the one before */
    char inputs_sha256[65];  /* a dynamic match: its relation; else "" */
    const pond_manifest_output *old; /* --update: its entry in the last manifest, or NULL */
    pond_update_decision upd;        /* --update: keep, write whole, or partial */
} match;

typedef struct stage_state {
    pond_export_ctx *ctx;
    const pond_export_options *opts;
    int stage_no;
    int nlevels;
    int has_start, has_end;
    int64_t start_us, end_us;
    pond_temporal_windows *windows;
    const char *capture_names; /* checked "site,res", or NULL */
    long fail_after; /* test hook; -1 = off */
    size_t files, matches_done, nmatches;
    int64_t rows;
    duckdb_prepared_statement set_ts; /* SET VARIABLE pond_ts = $1, made when first needed */
    size_t work_seq; /* staging/work/<n>: where the next partitioned COPY writes */
    json_t *options; /* what shapes every output of the stage (the manifest's options) */
    pond_manifest_output *entry; /* the manifest entry of the match being written */
    size_t kept, kept_files; /* --update: outputs and files kept as they are */
    size_t partial, removed_parts; /* --update: outputs partly rewritten, partitions removed */
} stage_state;

/* One COPY's time range: [lo_us, hi_us), each end only when has_lo / has_hi. */
typedef struct time_window {
    int has_lo, has_hi;
    int64_t lo_us, hi_us;
} time_window;

/* ---- stage_data_export.c ---- */

/* m's export_metadata rows for file_path; kept: a file --update keeps (written false). */
int data_export_record_file(stage_state *s, const match *m, const char *file_path,
                            int has_window, int64_t start_ms, int64_t end_ms, int has_rows,
                            int64_t rows, int kept);

/* Write m (a table or series) under staging; ranges: under a partial --update, the time
 * ranges of the partitions to write again (nranges 0: everything). */
int data_export_write_table(stage_state *s, const match *m, const time_window *ranges,
                            size_t nranges);

/* --dry-run of a table or series: the files it would write, within the stage's bounds. */
int data_export_dry_run_table(stage_state *s, const match *m);

/* 1 when partitions are in UTC, where a stored TIMESTAMP already is the wall-clock time. */
int data_export_is_utc(const stage_state *s);

/* Narrow the stage's --start-time/--end-time bounds to w; the caller restores them. */
void data_export_narrow_bounds(stage_state *s, const time_window *w);

/* ---- stage_data_update.c ---- */

/* m's entry in the run's manifest, without files (data_export_record_written adds them):
 * s->entry. */
int data_export_begin_entry(stage_state *s, const match *m);

/* A written file: its export_metadata rows and its entry in the manifest (partition key of
 * kf when partitioned, kf NULL else). */
int data_export_record_written(stage_state *s, const match *m, const char *file_path,
                               const pond_written_file *kf, int has_window, int64_t start_ms,
                               int64_t end_ms, int has_rows, int64_t rows);

/* --update, at plan: what to do with m's output (m->upd), from the last manifest. */
int data_export_plan_update(stage_state *s, match *m);

/* --update: an output kept whole; an output rewritten in part (dry: only listed). */
int data_export_update_keep(stage_state *s, const match *m);
int data_export_update_partial(stage_state *s, const match *m, int dry);

#endif
