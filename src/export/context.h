/*
 * export/context.h: the export context, one per pond export run (docs/export.md and
 * docs/templates.md).
 *
 * It owns the run's in-memory DuckDB database (export_metadata and the tables custom stages
 * make), the staging directory inside the output directory where every stage writes, and the
 * list of outputs claimed so far.  Nothing reaches the output directory until
 * pond_export_ctx_commit() moves the staged outputs into place; pond_export_ctx_free() on an
 * uncommitted context removes the staging directory, leaving the output directory as it was.
 *
 *   open --(stages: claim/record/flush, add tables)--> commit --> free
 *     \--------------------(any failure)--------------------------> free (staging removed)
 */
#ifndef POND_EXPORT_CONTEXT_H
#define POND_EXPORT_CONTEXT_H

#include <duckdb.h>
#include <stdint.h>
#include "pond.h"
#include "export/manifest.h"
#include "glob/glob.h"
#include "util/buf.h"

typedef struct pond_export_ctx pond_export_ctx;

/* The CREATE TABLE of export_metadata: the eight columns of docs/export.md, then
 * source_path and written.  The context makes it; the pipeline checker makes an empty one to bind stage
 * SQL against (sql_check.c), so both see the same table. */
extern const char pond_export_metadata_ddl[];

/* Open a context for a run writing into opts->dir (created at commit if missing).
 * Makes the in-memory database with an empty export_metadata table. */
int pond_export_ctx_open(pond_export_ctx **out, pond *p, const pond_export_options *opts);

/* Remove the staging directory unless committed, close the database. NULL is a no-op. */
void pond_export_ctx_free(pond_export_ctx *ctx);

/* The run's connection (borrowed): every stage runs its SQL here. */
duckdb_connection pond_export_ctx_con(pond_export_ctx *ctx);

/* The options of the run (borrowed). */
const pond_export_options *pond_export_ctx_options(pond_export_ctx *ctx);

/* The pond being exported (borrowed). */
pond *pond_export_ctx_pond(pond_export_ctx *ctx);

/* The absolute output directory, and the absolute staging directory (borrowed; "" in a dry
 * run).  A claimed output rel_path is staged at <staging>/out/<rel_path> until the commit. */
const char *pond_export_ctx_dir(pond_export_ctx *ctx);
const char *pond_export_ctx_staging(pond_export_ctx *ctx);

/* Claim output rel_path (relative to the output directory, '/'-separated, no '..'): refuses
 * (POND_EEXISTS, naming it) a path another output of this run already claimed, or one that
 * exists in the output directory when the run has no --overwrite.  Creates its parent
 * directories under staging and sets staged_path to where the stage must write it. */
int pond_export_ctx_claim(pond_export_ctx *ctx, const char *rel_path, pond_buf *staged_path);

/* As pond_export_ctx_claim, and: with is_dir the output is the whole directory rel_path (under
 * --overwrite the old directory is replaced as a whole, so no stale files survive a re-run),
 * created empty under staging; a claim also collides with any claim inside or around it.
 * source (may be NULL) names what the output comes from in collision messages.
 * In a dry run nothing is created and staged_path is the final path under the output
 * directory: stages must only print what they would write. */
int pond_export_ctx_claim_output(pond_export_ctx *ctx, const char *rel_path, int is_dir,
                                 const char *source, pond_buf *staged_path);

/* One export_metadata row per capture of a written file (one row with capture_group -1 and
 * capture_value '' when caps is empty), appended through the DuckDB appender.
 * has_* = 0 stores NULL. Times are Unix milliseconds. */
typedef struct pond_export_record {
    const char *pattern;
    const pond_captures *caps;
    const char *file_path; /* relative to the output directory */
    int has_start;
    int64_t start_time;
    int has_end;
    int64_t end_time;
    int has_row_count;
    int64_t row_count;
    int stage; /* 1-based */
    const char *source; /* the pond path the file came from (trailing column source_path);
                           NULL stores NULL */
    int kept;           /* --update: the file is kept from the last export, not written now
                           (column written is its negation) */
} pond_export_record;

int pond_export_ctx_record(pond_export_ctx *ctx, const pond_export_record *rec);

/* 1 in a dry run (--dry-run): nothing may be written anywhere. */
int pond_export_ctx_dry_run(pond_export_ctx *ctx);

/* A report line of the run (printf-style, no newline): a NOTE event for the progress
 * callback (export/progress.h), nothing when the run is quiet. */
void pond_export_ctx_log(pond_export_ctx *ctx, const char *fmt, ...) POND_PRINTF(2, 3);

/* The run's events and counters (borrowed). */
typedef struct pond_export_progress pond_export_progress;
pond_export_progress *pond_export_ctx_progress(pond_export_ctx *ctx);

/* Make appended rows visible to queries (call at the end of a stage). */
int pond_export_ctx_flush(pond_export_ctx *ctx);

/* Table names in the context: export_metadata and each custom stage's output_table. */
int pond_export_ctx_has_table(pond_export_ctx *ctx, const char *name);
int pond_export_ctx_add_table(pond_export_ctx *ctx, const char *name);

/* --dump-tables, in two steps so that DIR2 only ever describes a committed export: before
 * the commit, write every context table to <staging>/tables/<table>.parquet; after a
 * successful commit, install them as dir/<table>.parquet (dir created if missing).  The
 * install refuses (POND_EEXISTS) a table that exists in dir unless --overwrite, and puts all
 * of them beside their final names before it renames any into place, so a failure leaves
 * dir as it was.  Not in a dry run. */
int pond_export_ctx_dump_tables(pond_export_ctx *ctx);
int pond_export_ctx_install_tables(pond_export_ctx *ctx, const char *dir);

/* POND_EEXISTS "table '<t>' already exists in '<dir>' …" for the first of tables[0..n) whose
 * dir/<t>.parquet exists, unless overwrite; POND_OK otherwise (and when dir is missing). */
int pond_export_check_dump_dir(const char *dir, const char *const *tables, size_t n,
                               int overwrite);

/* Hand the context's database, connection and table names (in the order made) over to the
 * caller, who owns them from then on (pond_export_result); the context keeps nothing of them.
 * Call after the commit. */
int pond_export_ctx_take_tables(pond_export_ctx *ctx, duckdb_database *db,
                                duckdb_connection *con, char ***names, size_t *ntables);

/* ---- --update (docs/update.md) ---------------------------------------------------------- */

/* The manifest of the last export into DIR under --update, or NULL (no --update, or none
 * and --overwrite: everything is written). */
const pond_manifest *pond_export_ctx_old_manifest(pond_export_ctx *ctx);

/* This run's manifest: every stage adds an entry per output it makes (kept or written). */
pond_manifest *pond_export_ctx_manifest(pond_export_ctx *ctx);

/* The output claimed last is kept as it is in DIR (its staged directory is removed, nothing
 * is moved at the commit) or, with partial, replaced only part by part. */
int pond_export_ctx_keep_last(pond_export_ctx *ctx, int partial);

/* At the commit, DIR/rel (a part of a partial output) is replaced by <staging>/out/rel. */
int pond_export_ctx_replace_part(pond_export_ctx *ctx, const char *rel);

/* At the commit, DIR/rel is removed (moved aside, journalled, then dropped). */
int pond_export_ctx_remove(pond_export_ctx *ctx, const char *rel);

/* After the last stage: every output of the last export's manifest that this run does not
 * make is removed; *removed counts them.  Then this run's manifest is staged (not in a dry
 * run), to be moved into DIR last at the commit. */
int pond_export_ctx_finish_manifest(pond_export_ctx *ctx, size_t *removed);

/* After the commit: how many outputs, parts and removals it made in DIR (0: DIR is as it
 * was, an --update that found everything up to date). */
size_t pond_export_ctx_moved(pond_export_ctx *ctx);

/* Move every staged output into the output directory (replacing old ones under --overwrite);
 * on failure put back what was moved, so the directory is as it was. */
int pond_export_ctx_commit(pond_export_ctx *ctx);

#endif
