/*
 * export/progress.h: what one export run reports, as pond_export_event's to the caller's
 * progress callback (include/pond/export.h), and its dry-run listing.
 *
 * The runner reports stage starts and ends and the final line; a stage reports its lines
 * (notes) and, for data_export, its counters: the totals up front, then each source as it
 * starts and ends, and the statements it runs through pond_export_progress_execute(), which
 * turns DuckDB's estimate of how far one statement is into rows of the current source.
 * PROGRESS events are sent at most every PROGRESS_INTERVAL (0.1 s), and when the last
 * source of a stage is done.
 *
 * Once a callback returns non-zero the run is canceled: every later report returns that
 * value, the statement running is interrupted, and pond_export_progress_stopped() says so,
 * so the runner can fail with "export canceled" whatever error the interruption caused.
 */
#ifndef POND_EXPORT_PROGRESS_H
#define POND_EXPORT_PROGRESS_H

#include <duckdb.h>
#include <stdarg.h>
#include <stdint.h>
#include "pond.h"
#include "util/error.h"

typedef struct pond_export_progress pond_export_progress;

/* For the run with options opts (borrowed: must outlive the object). */
int pond_export_progress_new(pond_export_progress **out, const pond_export_options *opts);
void pond_export_progress_free(pond_export_progress *pr);

/* 1 when opts has a progress callback: then the run's DuckDB connection needs its progress
 * estimate turned on (store/duck_exec.h). */
int pond_export_progress_wanted(const pond_export_progress *pr);

/* The callback's non-zero value once it canceled the run, else 0. */
int pond_export_progress_stopped(const pond_export_progress *pr);

/* ---- the runner --------------------------------------------------------------------------- */

/* Stage stage of nstages begins (name and kind borrowed until its end): "stage 1/2: name
 * (kind)".  Counters are reset. */
int pond_export_progress_stage_start(pond_export_progress *pr, size_t stage, size_t nstages,
                                     const char *name, const char *kind);

/* The stage ended well after seconds: "done in 0.12 s".  Outside a stage again. */
int pond_export_progress_stage_end(pond_export_progress *pr, double seconds);

/* The run ended well after seconds; the message is formatted. */
int pond_export_progress_done(pond_export_progress *pr, double seconds, const char *fmt, ...)
    POND_PRINTF(3, 4);

/* A report line (formatted; no newline), in the current stage if any. */
int pond_export_progress_note(pond_export_progress *pr, const char *fmt, ...) POND_PRINTF(2, 3);
int pond_export_progress_vnote(pond_export_progress *pr, const char *fmt, va_list ap);

/* ---- a data_export stage ------------------------------------------------------------------ */

/* What the stage will read: sources (matches), rows of its tables and series, bytes of its
 * data files. */
void pond_export_progress_totals(pond_export_progress *pr, size_t sources, int64_t rows,
                                 int64_t bytes);

/* Source path (borrowed until pond_export_progress_source_done) starts; it has rows rows. */
int pond_export_progress_source(pond_export_progress *pr, const char *path, int64_t rows);

/* The current source is done: files is the stage's count of files written so far, bytes
 * what the source copied as a data file (0 for a table or series). */
int pond_export_progress_source_done(pond_export_progress *pr, size_t files, int64_t bytes);

/* duckdb_execute_prepared(st, res) on con, with PROGRESS events of the current source while
 * it runs (store/duck_exec.h; same result and error convention). */
duckdb_state pond_export_progress_execute(pond_export_progress *pr, duckdb_connection con,
                                          duckdb_prepared_statement st, duckdb_result *res);

/* ---- the dry-run listing ------------------------------------------------------------------ */

/* In a dry run, rel (below the output directory) would be written from source, with rows
 * rows (-1: not a table).  Calls the dry_run_file callback with "<opts->dir>/<rel>". */
int pond_export_progress_file(pond_export_progress *pr, const char *rel, const char *source,
                              int64_t rows);

#endif
