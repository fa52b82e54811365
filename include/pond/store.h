/*
 * pond/store.h: the pond on disk (DESIGN.md section 1).
 *
 * A pond is a directory holding catalog.sqlite (an SQLite database in WAL mode: the tree of
 * entries, every version of every file, the transaction log) and data/ (immutable content
 * files named by their sha256).  Every function here that writes is one transaction: content
 * is written and fsynced under data/ first, and the catalog commit is the single commit
 * point, so a crash leaves either the whole change or only unreferenced files (which
 * pond_check reports and repairs).
 *
 * Concurrency: any number of handles, in any number of processes, may have a pond open.
 * Reading calls each read one consistent snapshot of the catalog and never wait for a writer
 * or another reader; writing calls take the pond's write lock, one at a time, waiting up to
 * the handle's wait_ms for it (then POND_EBUSY, naming the holder's pid and command line).
 * A handle is used by one thread at a time.
 *
 * Ownership and errors follow pond.h.
 */
#ifndef POND_STORE_H
#define POND_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct pond pond; /* an open pond */

/* The two file systems of a pond: the data and the read-only transaction log. */
typedef enum pond_fs { POND_FS_DATA = 0, POND_FS_CONTROL = 1 } pond_fs;

/* Parse "data" / "control" into *out; POND_EINVALID (message names the word) otherwise. */
int pond_fs_parse(pond_fs *out, const char *word);

typedef enum pond_entry_type {
    POND_ENTRY_DIR,
    POND_ENTRY_SYMLINK,
    POND_ENTRY_DATA,   /* file:data   raw bytes */
    POND_ENTRY_TABLE,  /* file:table  one Parquet table; a new version replaces it */
    POND_ENTRY_SERIES  /* file:series union of Parquet versions, each with min/max event time */
} pond_entry_type;

/* "dir", "symlink", "file:data", "file:table", "file:series". Borrowed, static. */
const char *pond_entry_type_name(pond_entry_type type);

/* ---- opening ------------------------------------------------------------------------------ */

/* Create an empty pond at path; the directory is created when missing.  Refuses a directory
 * that is not empty (POND_EEXISTS).  Atomic: of two pond_init calls on one directory at the
 * same time exactly one succeeds, the other fails with POND_EEXISTS ("is being initialised"
 * or "is a pond already"); an init that fails or is killed leaves nothing that keeps the next
 * one from succeeding. */
int pond_init(const char *path);

/* Options of pond_open, in libgit2's shape: declare them with POND_OPEN_OPTIONS_INIT (or fill
 * them with pond_open_options_init) and change the fields you need, so that a program built
 * against this header keeps working when fields are added. */
typedef struct pond_open_options {
    unsigned int version;     /* POND_OPEN_OPTIONS_VERSION */
    const char *command_line; /* recorded in the transaction log by the writing calls made
                                 through the handle; NULL = "".  Copied by pond_open */
    int wait_ms;              /* how long a writing call waits for another writer to finish
                                 before it fails with POND_EBUSY; 0 = fail at once; >= 0 */
} pond_open_options;

#define POND_OPEN_OPTIONS_VERSION 1
#define POND_OPEN_OPTIONS_INIT {POND_OPEN_OPTIONS_VERSION, NULL, 30000}

/* Fill opts with the defaults of POND_OPEN_OPTIONS_INIT.  POND_EINVALID for an unknown
 * version. */
int pond_open_options_init(pond_open_options *opts, unsigned int version);

/* Open the pond at path.  opts may be NULL (the defaults).  A pond that cannot be written
 * (read-only media or permissions) opens for reading; its writing calls fail.
 * Errors: POND_ENOTFOUND (no such directory, or not a pond: no catalog.sqlite),
 * POND_EINVALID (opts of an unknown version or a negative wait; a pond of the older
 * catalog.duckdb layout), POND_ECORRUPT (the catalog is damaged: run pond_check). */
int pond_open(pond **out, const char *path, const pond_open_options *opts);

/* Close the pond (NULL is a no-op).  Removes the handle's temporary files. */
void pond_close(pond *p);

/* The pond's directory as given to pond_open.  Borrowed: valid until pond_close. */
const char *pond_path(const pond *p);

/* ---- writing (each call is one transaction) ----------------------------------------------- */

/* Make directory path; with parents, missing parents too and no error if it exists. */
int pond_mkdir(pond *p, const char *path, int parents);

/* Make a symlink at path that points at target, a pond path (normalized when stored; it need
 * not exist).  pond_cat and pond_copy_out follow symlinks; pond_glob lists them and does not
 * follow them.  Errors: POND_EEXISTS when path exists, POND_ENOTFOUND when its parent
 * directory does not, POND_EINVALID for a bad path. */
int pond_symlink(pond *p, const char *target, const char *path);

typedef enum pond_copy_format {
    POND_COPY_AUTO = 0, /* into an existing file: its type; else by the destination name:
                           *.series -> series, *.table -> table, anything else -> data */
    POND_COPY_DATA,
    POND_COPY_TABLE,
    POND_COPY_SERIES
} pond_copy_format;

typedef struct pond_copy_options {
    pond_copy_format format;
    const char *timestamp_column; /* series: the event-time column; NULL = detect: the column
                                     named "timestamp", else the only TIMESTAMP column */
} pond_copy_options;

/* Copy host files into the pond, all in one transaction.  A source is CSV or Parquet
 * (recognised by content) for tables and series, any bytes for data.  With one source, dest
 * is the new file's path, or an existing directory to copy into, or an existing file: a series
 * gets a new version appended, a table or data file is replaced by a new version.  With
 * several sources dest must be a directory.  Errors name the source and, for a CSV that does
 * not parse, the line. */
int pond_copy_in(pond *p, const char *const *srcs, size_t nsrcs, const char *dest,
                 const pond_copy_options *opts);

/* Copy a pond file out to a host path: data bytes as stored; a table or series as Parquet, or
 * CSV when host_path ends in ".csv".  The host file appears whole or not at all. */
int pond_copy_out(pond *p, pond_fs fs, const char *src, const char *host_path);

/* ---- reading ------------------------------------------------------------------------------ */

typedef struct pond_version_info {
    int64_t version;          /* 1, 2, … within the entry */
    int64_t txn;              /* seq of the transaction that wrote it */
    int64_t size;             /* bytes of the content file */
    const char *sha256;       /* 64 lowercase hex digits */
    int64_t row_count;        /* rows; -1 for file:data */
    int has_time;             /* series: min_time/max_time are set */
    int64_t min_time;         /* earliest event time, µs since the epoch, UTC */
    int64_t max_time;         /* latest event time */
    const char *schema;       /* JSON: [{"name":…,"type":…},…]; NULL for file:data */
    const char *content_path; /* host path of the content file (Parquet for tables/series) */
} pond_version_info;

typedef struct pond_entry_info {
    const char *path;             /* absolute pond path */
    pond_entry_type type;
    const char *symlink_target;   /* symlinks; else NULL */
    const char *timestamp_column; /* series; else NULL */
    int64_t txn;                  /* seq of the last transaction that changed the entry */
    size_t nversions;             /* 0 unless POND_WITH_VERSIONS was asked for */
    const pond_version_info *versions; /* oldest first */
    size_t ncaptures;             /* what the pattern's wildcards stood for, numbered from 0 */
    const char *const *captures;
} pond_entry_info;

/* Flags for pond_glob. */
#define POND_WITH_VERSIONS 1u /* fill versions (and the content files of control entries) */

/* Callback for each entry; the entry is borrowed for the call.  Return 0 to go on, anything
 * else to stop: pond_glob then returns that value. */
typedef int (*pond_entry_fn)(const pond_entry_info *entry, void *ctx);

/* Call fn for every entry of file system fs whose path matches pattern (DESIGN.md section 3:
 * '*' within a name, '**' across directories, captures numbered left to right), in path
 * order.  A pattern without wildcards names one entry.  Errors: POND_EINVALID for a bad
 * pattern, POND_ENOTFOUND "no match for pattern '…'" when nothing matches. */
int pond_glob(pond *p, pond_fs fs, const char *pattern, unsigned flags, pond_entry_fn fn,
              void *ctx);

typedef enum pond_output_format {
    POND_OUTPUT_TABLE = 0, /* aligned text for a terminal */
    POND_OUTPUT_CSV,
    POND_OUTPUT_JSON,      /* one JSON array of row objects */
    POND_OUTPUT_PARQUET
} pond_output_format;

/* Parse "table" / "csv" / "json" / "parquet"; POND_EINVALID otherwise. */
int pond_output_format_parse(pond_output_format *out, const char *word);

typedef struct pond_cat_options {
    const char *sql;          /* a query over the table "series"; NULL = SELECT * FROM series */
    pond_output_format format;
    const char *start_time;   /* ISO-8601, inclusive; NULL = open (series only) */
    const char *end_time;     /* ISO-8601, exclusive; NULL = open */
} pond_cat_options;

/* Write a file's content to out: file:data as its bytes; a table or series (the union of its
 * versions, streamed, never held whole) in the chosen format, through opts->sql if given. */
int pond_cat(pond *p, pond_fs fs, const char *path, const pond_cat_options *opts, FILE *out);

typedef struct pond_txn_info {
    int64_t seq;
    const char *id;          /* a UUID */
    int64_t start_time;      /* µs since the epoch */
    int64_t end_time;
    const char *status;      /* "committed" or "aborted" */
    const char *command;     /* the command line */
    const char *variables;   /* JSON object */
} pond_txn_info;

typedef int (*pond_txn_fn)(const pond_txn_info *txn, void *ctx);

/* Call fn for every transaction in the log, oldest first. */
int pond_txn_log(pond *p, pond_txn_fn fn, void *ctx);

/* ---- read snapshots ------------------------------------------------------------------------ */

/* Every reading call reads one consistent snapshot of its own.  Between pond_snapshot_begin
 * and pond_snapshot_end all reading calls on p read the same snapshot, taken at begin, while
 * other processes go on writing (pond export holds one for its whole run).  *out_txn (may be
 * NULL) is the seq of the last transaction the snapshot holds (0 for none).  Writing calls on
 * p fail while a snapshot is open (POND_EINVALID).  A long snapshot keeps the catalog's
 * write-ahead log from being folded back into the catalog until it ends; it does not block
 * anyone. */
int pond_snapshot_begin(pond *p, int64_t *out_txn);

/* End the snapshot of pond_snapshot_begin (a no-op when none is open). */
void pond_snapshot_end(pond *p);

/* Record a run that read the pond and wrote only outside it (pond export) in the transaction
 * log: one short transaction of its own whose row has start_time (µs since the epoch), the
 * time of this call as its end, status "committed" when ok else "aborted", the handle's
 * command line and variables_json (a JSON object; NULL = "{}").  Waits for the write lock
 * like any writing call (POND_EBUSY); fails on a pond opened read-only. */
int pond_txn_append(pond *p, int64_t start_time, int ok, const char *variables_json);

typedef struct pond_check_report {
    int64_t versions_checked;
    int64_t problems;   /* a damaged catalog, missing or damaged content files: the pond is
                           corrupt */
    int64_t orphans;    /* content files no version refers to (left by a crash) */
    int64_t repaired;   /* orphans removed by repair */
} pond_check_report;

/* Called with one line per finding ("missing content for /a/b version 2: …"). */
typedef void (*pond_check_fn)(const char *finding, void *ctx);

/* Verify the catalog (SQLite's integrity check, the tree: every entry under an existing
 * directory, every version of an existing file) and that every version's content file
 * exists with its size and sha256, and look for orphans.  With repair, remove orphans: a
 * repair takes the write lock (waiting as writing calls do); without it the check is a
 * reader.  Returns POND_ECORRUPT when problems > 0 (orphans alone are not corruption). */
int pond_check(pond *p, int repair, pond_check_report *report, pond_check_fn fn, void *ctx);

/* Parse an ISO-8601 time ("2024-07-20", "2024-07-20T06:00:00Z", "…+02:00") into µs since the
 * epoch; a time without offset is UTC.  POND_EINVALID naming the text otherwise. */
int pond_time_parse(int64_t *out, const char *text);

#endif
