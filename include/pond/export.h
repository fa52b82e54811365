/*
 * pond/export.h: pond export, the multi-stage export pipeline.
 *
 * One run: a data-export stage writes every matching file as (Hive-partitioned) Parquet under
 * a staging directory inside dir and records each written file in the in-memory table
 * export_metadata; later stages (custom SQL, templates) read the tables of earlier ones.  Only
 * when every stage has succeeded is the staged output moved into dir; any failure leaves dir
 * as it was.  The run reads the pond and never writes to it.
 *
 * What the run reports (stage starts and ends, report lines, progress in rows and bytes) goes
 * to a callback, never to a stream: the pond CLI draws its progress bar from these events.
 * The run's tables can be read after it through a pond_export_result.
 */
#ifndef POND_EXPORT_H
#define POND_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include "pond/common.h"
#include "pond/store.h"

POND_BEGIN_DECLS

/* ---- events ------------------------------------------------------------------------------- */

typedef enum pond_export_event_type {
    POND_EXPORT_EVENT_NOTE = 0,    /* a report line ("wrote 12 files (4,400 rows) from 2
                                      matches"); inside a stage when stage > 0 */
    POND_EXPORT_EVENT_STAGE_START, /* a stage begins: stage, nstages, stage_name, stage_kind */
    POND_EXPORT_EVENT_PROGRESS,    /* the counters of a data_export stage moved */
    POND_EXPORT_EVENT_STAGE_END,   /* a stage ended well: seconds is its wall time */
    POND_EXPORT_EVENT_DONE         /* the run ended well (committed, or a dry run): seconds */
} pond_export_event_type;

/* One event of a run, passed to pond_export_options.progress (borrowed for the call; copy
 * what you keep).  Later versions only add fields at the end: check version before reading a
 * field added after version 1. */
#define POND_EXPORT_EVENT_VERSION 1
typedef struct pond_export_event {
    unsigned int version;        /* POND_EXPORT_EVENT_VERSION */
    pond_export_event_type type;
    const char *message;         /* the event as one line of text, no newline: "stage 1/2:
                                    Export (data_export)", "done in 0.52 s", a NOTE's line,
                                    "exported to '/out' in 1.20 s"; NULL for PROGRESS */
    size_t stage;                /* 1-based; 0 outside a stage (before the first, after the
                                    last) */
    size_t nstages;
    const char *stage_name;      /* the stage's name; NULL outside a stage */
    const char *stage_kind;      /* "data_export", "custom_query", "template_processing" */
    double seconds;              /* STAGE_END: the stage's wall time; DONE: the run's */
    /* PROGRESS, and the last values at STAGE_END, of a data_export stage: */
    const char *source;          /* the pond path being exported; NULL between sources */
    size_t sources_done;         /* matches done */
    size_t sources_total;        /* matches of the stage's patterns */
    size_t files;                /* files written (in a dry run: that would be) so far */
    int64_t rows_done;           /* rows of tables and series read so far (estimated within
                                    one statement from DuckDB's own progress) */
    int64_t rows_total;          /* rows of all the stage's tables and series (from the
                                    catalog; a time window reads fewer, and rows_done then
                                    jumps to the end of each source) */
    int64_t bytes_done;          /* bytes of file:data matches copied so far */
    int64_t bytes_total;
} pond_export_event;

/* The progress callback: called for every event, PROGRESS at most about ten times a second
 * (and once when the stage's last source is done).  Return 0 to go on; anything else cancels the run:
 * nothing reaches dir, and pond_export returns that value (with the message "export
 * canceled"). */
typedef int (*pond_export_progress_fn)(const pond_export_event *event, void *payload);

/* A file a dry run would write, passed to pond_export_options.dry_run_file (borrowed). */
typedef struct pond_export_file {
    const char *path;   /* opts->dir as given, '/', and the path below it */
    const char *source; /* the pond path it comes from, or the template file that renders it */
    int64_t rows;       /* rows of a Parquet file; -1 for a copied data file or a page */
    size_t stage;       /* 1-based */
} pond_export_file;

/* Return 0 to go on; anything else cancels the run as for pond_export_progress_fn. */
typedef int (*pond_export_file_fn)(const pond_export_file *file, void *payload);

/* ---- options ------------------------------------------------------------------------------ */

/* Options of pond_export.  Initialize with POND_EXPORT_OPTIONS_INIT or
 * pond_export_options_init(); later versions only add fields at the end (a version 1 struct,
 * which ends at capture_names, is still taken: it does not update).  Every pointer is
 * borrowed for the call. */
#define POND_EXPORT_OPTIONS_VERSION 2
typedef struct pond_export_options {
    unsigned int version;         /* POND_EXPORT_OPTIONS_VERSION */
    const char *const *patterns;  /* -p, at least one unless the pipeline names them */
    size_t npatterns;
    const char *dir;              /* -d: the output directory (created when missing) */
    const char *temporal;         /* "year,month,day": an ordered subset of
                                     year,month,day,hour,minute; NULL = no partitioning */
    pond_fs fs;                   /* -f data|control */
    const char *start_time;       /* ISO-8601, inclusive; NULL = open */
    const char *end_time;         /* ISO-8601, exclusive; NULL = open */
    const char *timezone;         /* ICU name for calendar partitions; NULL = "UTC" */
    int overwrite;                /* replace existing outputs */
    int dry_run;                  /* write nothing; report each file to dry_run_file */
    const char *dump_tables_dir;  /* write every context table there as <table>.parquet */
    const char *pipeline_file;    /* --pipeline FILE (YAML) */
    const char *template_spec;    /* --template SPEC: one template stage after the data export */
    const char *const *vars;      /* -v key=value */
    size_t nvars;
    pond_export_progress_fn progress;  /* stage reports and progress; NULL = quiet */
    pond_export_file_fn dry_run_file;  /* the dry-run listing; NULL = none */
    void *payload;                     /* passed to progress and dry_run_file */
    const char *capture_names;    /* --capture-names "site,res": capture i of a match is
                                     written as the directory NAME_i=value; NULL = value */
    /* Version 2: */
    int update;                   /* --update: bring dir up to date with the pond, rewriting
                                     only what changed since the export that wrote its
                                     manifest (dir/.pond-export.json, docs/update.md) */
} pond_export_options;
#define POND_EXPORT_OPTIONS_INIT                                                                \
    {POND_EXPORT_OPTIONS_VERSION, NULL, 0, NULL, NULL, POND_FS_DATA, NULL, NULL, NULL, 0, 0,   \
     NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, 0}

/* Set *opts to the defaults of the given version (pass POND_EXPORT_OPTIONS_VERSION), as
 * POND_EXPORT_OPTIONS_INIT does.  Returns POND_OK, or POND_EINVALID for an unknown version. */
POND_API int pond_export_options_init(pond_export_options *opts, unsigned int version);

/* ---- the run ------------------------------------------------------------------------------ */

/* What a run leaves to read: the tables of its export context (export_metadata first, then
 * each custom_query stage's output_table, in the order they were made), held in memory
 * until pond_export_result_free. */
typedef struct pond_export_result pond_export_result;

/* Run the export.
 *   out   when not NULL, *out gets the run's result (owned by the caller: release it with
 *         pond_export_result_free), also after a dry run; NULL on failure
 *   p     the pond (read only; held for the call)
 *   opts  the options; must not be NULL
 * Returns POND_OK; POND_EINVALID for bad options (an unknown opts version among them),
 * patterns, pipeline or SQL; POND_ENOTFOUND for a pattern without matches; POND_EEXISTS for
 * an output in the way; a callback's non-zero value when it canceled the run.  On any
 * failure dir is as it was. */
POND_API int pond_export(pond_export_result **out, pond *p, const pond_export_options *opts);

/* Returns the number of tables in the result. */
POND_API size_t pond_export_result_table_count(const pond_export_result *r);

/* Returns the name of table i (0 <= i < count; export_metadata is 0), or NULL when i is out
 * of range.  Borrowed: valid until pond_export_result_free. */
POND_API const char *pond_export_result_table_name(const pond_export_result *r, size_t i);

/* Returns the absolute output directory of the run.  Borrowed: valid until
 * pond_export_result_free. */
POND_API const char *pond_export_result_dir(const pond_export_result *r);

/* A cell of a row.  Integers (and booleans, as 0/1) come as INTEGER, floating point as REAL,
 * VARCHAR as TEXT, every other type as its text form (DuckDB's cast to VARCHAR). */
typedef enum pond_value_type {
    POND_VALUE_NULL = 0,
    POND_VALUE_INTEGER,
    POND_VALUE_REAL,
    POND_VALUE_TEXT
} pond_value_type;

typedef struct pond_value {
    pond_value_type type;
    int64_t integer; /* INTEGER */
    double real;     /* REAL */
    const char *text; /* TEXT: NUL-terminated; else NULL */
} pond_value;

/* One row, borrowed for the call (names and values included). */
typedef struct pond_row {
    size_t ncolumns;
    const char *const *names; /* the column names */
    const pond_value *values; /* ncolumns cells */
    int64_t index;            /* 0 for the first row */
} pond_row;

/* Return 0 to go on, anything else to stop: the reader then returns that value. */
typedef int (*pond_row_fn)(const pond_row *row, void *payload);

/* Call fn for every row of a result table, in the order the rows were made (streamed: memory
 * does not grow with the table).
 *   table  one of the result's table names
 * Returns POND_OK; fn's value when it stopped; POND_ENOTFOUND for a table the result does
 * not have. */
POND_API int pond_export_result_rows(pond_export_result *r, const char *table, pond_row_fn fn,
                                     void *payload);

/* Release the result (its in-memory tables).  NULL is a no-op. */
POND_API void pond_export_result_free(pond_export_result *r);

POND_END_DECLS

#endif
