/*
 * pond/store.h: the pond on disk (docs/pond.md).
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
#include "pond/common.h"

POND_BEGIN_DECLS

typedef struct pond pond; /* an open pond */

/* The two file systems of a pond: the data and the read-only transaction log. */
typedef enum pond_fs { POND_FS_DATA = 0, POND_FS_CONTROL = 1 } pond_fs;

/* Parse a file system's name.
 *   out   where the file system goes
 *   word  "data" or "control"
 * Returns POND_OK, or POND_EINVALID (the message names the word). */
POND_API int pond_fs_parse(pond_fs *out, const char *word);

typedef enum pond_entry_type {
    POND_ENTRY_DIR,
    POND_ENTRY_SYMLINK,
    POND_ENTRY_DATA,   /* file:data   raw bytes */
    POND_ENTRY_TABLE,  /* file:table  one Parquet table; a new version replaces it */
    POND_ENTRY_SERIES, /* file:series union of Parquet versions, each with min/max event time */
    POND_ENTRY_DYNAMIC /* dynamic     a node computed from other entries when read (mknod):
                          its versions are its config files, its factory says how */
} pond_entry_type;

/* Returns the name of an entry type: "dir", "symlink", "file:data", "file:table",
 * "file:series", "dynamic" ("unknown" for a value outside the enum).  Borrowed, static. */
POND_API const char *pond_entry_type_name(pond_entry_type type);

/* ---- opening ------------------------------------------------------------------------------ */

/* Create an empty pond.
 *   path  the pond's directory: created when missing; an existing one must be empty
 * Atomic: of two pond_init calls on one directory at the same time exactly one succeeds, the
 * other fails with POND_EEXISTS ("is being initialised" or "is a pond already"); an init that
 * fails or is killed leaves nothing that keeps the next one from succeeding.
 * Returns POND_OK, POND_EEXISTS for a directory that is not empty, POND_ERROR for I/O. */
POND_API int pond_init(const char *path);

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

/* Fill opts with the defaults of POND_OPEN_OPTIONS_INIT.
 * Returns POND_OK, or POND_EINVALID for an unknown version. */
POND_API int pond_open_options_init(pond_open_options *opts, unsigned int version);

/* Open the pond at path.
 *   out   the handle, owned by the caller: release it with pond_close()
 *   path  the pond's directory
 *   opts  may be NULL (the defaults)
 * A pond that cannot be written (read-only media or permissions) opens for reading; its
 * writing calls fail.  A handle is used by one thread at a time.
 * Returns POND_OK; POND_ENOTFOUND (no such directory, or not a pond: no catalog.sqlite),
 * POND_EINVALID (opts of an unknown version or a negative wait; a pond of the older
 * catalog.duckdb layout), POND_ECORRUPT (the catalog is damaged: run pond_check). */
POND_API int pond_open(pond **out, const char *path, const pond_open_options *opts);

/* Close the pond and remove the handle's temporary files.  NULL is a no-op. */
POND_API void pond_close(pond *p);

/* Returns the pond's directory as given to pond_open.  Borrowed: valid until pond_close. */
POND_API const char *pond_path(const pond *p);

/* The host directories the content files of p lie in, spelled as the content_path of every
 * version pond_glob hands out: the pond's data/ and the handle's private tmp directory
 * (control-fs records; made here when the handle has none yet).  For confining a reader of
 * the content to them (a sandboxed DuckDB).  Both borrowed, valid until pond_close.
 * Returns POND_OK, or POND_ERROR when the tmp directory cannot be made. */
POND_API int pond_content_dirs(pond *p, const char **data_dir, const char **tmp_dir);

/* POND_EINVALID "[<what> ]'<host_path>' is inside the pond '…' (pond never writes over its
 * own files)" when host_path, or where it would be created, lies in p's directory, compared
 * as real paths after symlinks; POND_OK otherwise.  what may be NULL.  pond_copy_out and pond_export check every
 * host path they write with it. */
POND_API int pond_check_outside(const pond *p, const char *host_path, const char *what);

/* ---- writing (each call is one transaction) ----------------------------------------------- */

/* Make a directory.
 *   path     the new directory's pond path
 *   parents  non-zero: make missing parents too, and no error when path is a directory
 * Returns POND_OK; POND_EEXISTS (path exists), POND_ENOTFOUND (no parent directory),
 * POND_EINVALID (a bad path). */
POND_API int pond_mkdir(pond *p, const char *path, int parents);

/* Make a symlink at path that points at target, a pond path (normalized when stored; it need
 * not exist).  pond_cat and pond_copy_out follow symlinks; pond_glob lists them and does not
 * follow them.
 * Returns POND_OK; POND_EEXISTS when path exists, POND_ENOTFOUND when its parent directory
 * does not, POND_EINVALID for a bad path. */
POND_API int pond_symlink(pond *p, const char *target, const char *path);

typedef enum pond_copy_format {
    POND_COPY_AUTO = 0, /* into an existing file: its type; else by the destination name:
                           *.series -> series, *.table -> table, anything else -> data */
    POND_COPY_DATA,
    POND_COPY_TABLE,
    POND_COPY_SERIES
} pond_copy_format;

/* Progress of pond_copy_in, passed to pond_copy_options.progress (borrowed for the call).
 * Later versions only add fields at the end; read version before any field added after 1. */
#define POND_COPY_PROGRESS_VERSION 1
typedef struct pond_copy_progress {
    unsigned int version;  /* POND_COPY_PROGRESS_VERSION */
    const char *source;    /* the host file being copied; NULL once all are done */
    size_t sources_done;   /* host files copied so far */
    size_t sources_total;
    int64_t bytes_done;    /* bytes of the host files read so far (estimated within a file) */
    int64_t bytes_total;   /* their total size; -1 when unknown (a pipe among them) */
} pond_copy_progress;

/* Called before each source, about ten times a second while a large one is read, and once
 * at the end (sources_done == sources_total).  Return 0 to go on; anything else stops the
 * copy: nothing is committed and pond_copy_in returns that value. */
typedef int (*pond_copy_progress_fn)(const pond_copy_progress *progress, void *payload);

/* Options of pond_copy_in.  Initialize with POND_COPY_OPTIONS_INIT or
 * pond_copy_options_init(); later versions only add fields at the end (a version 1 struct,
 * which ends at payload, is still taken: its CSV fields are the defaults). */
#define POND_COPY_OPTIONS_VERSION 2
typedef struct pond_copy_options {
    unsigned int version;         /* POND_COPY_OPTIONS_VERSION */
    pond_copy_format format;
    const char *timestamp_column; /* series: the event-time column; NULL = detect: the column
                                     named "timestamp", else the only TIMESTAMP column */
    pond_copy_progress_fn progress; /* NULL: no progress reports */
    void *payload;                  /* passed to progress */
    /* Version 2: how a CSV source of a table or series is read (plain or gzip-compressed,
     * recognised by content); Parquet sources ignore them.  0 / NULL: the default. */
    char delimiter;                  /* 0: picked from the header line (',', ';', tab or '|');
                                        else that ASCII character (not '"', CR or LF) */
    char decimal_separator;          /* 0 or '.'; ',' for a decimal comma */
    const char *const *null_strings; /* fields read as NULL besides the empty one (borrowed
                                        for the call); a column numeric but for them is numeric */
    size_t nnull_strings;
    int64_t skip_lines;              /* lines before the header line, skipped as they are */
    const char *timestamp_format;    /* strptime style, e.g. "%d.%m.%Y %H:%M"; NULL: detected
                                        (ISO-8601) */
} pond_copy_options;
#define POND_COPY_OPTIONS_INIT                                                                 \
    {POND_COPY_OPTIONS_VERSION, POND_COPY_AUTO, NULL, NULL, NULL, 0, 0, NULL, 0, 0, NULL}

/* Set *opts to the defaults of the given version (pass POND_COPY_OPTIONS_VERSION), as
 * POND_COPY_OPTIONS_INIT does; for bindings that cannot use the macro.
 * Returns POND_OK, or POND_EINVALID for a version this library does not know. */
POND_API int pond_copy_options_init(pond_copy_options *opts, unsigned int version);

/* Copy host files into the pond, all in one transaction.
 *   srcs, nsrcs  host paths: CSV or Parquet (recognised by content) for tables and series,
 *                any bytes for data
 *   dest         with one source: the new file's pond path, or an existing directory to copy
 *                into, or an existing file (a series gets a new version appended, a table or
 *                data file is replaced by a new version); with several: a directory
 *   opts         may be NULL (the defaults)
 * Returns POND_OK, or an error naming the source (and, for a CSV that does not parse, the
 * line); POND_EINVALID also for opts of an unknown version or CSV options that cannot be
 * (a delimiter that is the decimal separator, a null string holding the delimiter, CSV
 * options for a data copy).  On any error nothing changed. */
POND_API int pond_copy_in(pond *p, const char *const *srcs, size_t nsrcs, const char *dest,
                          const pond_copy_options *opts);

/* Copy a pond file out to a host path.
 *   fs, src    the pond file (symlinks are followed)
 *   host_path  where it goes: data as its bytes; a table or series as Parquet, or as CSV
 *              when host_path ends in ".csv"
 * Returns POND_OK or an error; the host file appears whole or not at all. */
POND_API int pond_copy_out(pond *p, pond_fs fs, const char *src, const char *host_path);

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

/* Check, before reading v's content file, that it is there with the size the catalog
 * records: POND_ECORRUPT "content file '…' is damaged: …" otherwise. */
POND_API int pond_version_check(const pond_version_info *v);

/* Copy v's content file byte for byte to host path dst (created or truncated, then fsynced),
 * checking its size and sha256 as it goes: POND_ECORRUPT, and dst removed, when the bytes are
 * not the catalog's. */
POND_API int pond_version_copy(const pond_version_info *v, const char *dst);

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
    /* Dynamic nodes (pond_mknod) and what lies in a dynamic directory: */
    const char *factory;          /* the factory that makes it ("temporal-reduce"); else NULL */
    pond_entry_type reads_as;     /* what it reads as: POND_ENTRY_DIR, _SERIES or _TABLE for
                                     dynamic entries; the type itself for stored ones */
    const char *relation;         /* its rows as one DuckDB SQL relation "(SELECT …)" over the
                                     current content files of its sources (for a reader of the
                                     content, in place of the versions); NULL for a stored
                                     entry and for a dynamic directory */
    const char *node;             /* the path of the dynamic node that makes it; else NULL */
} pond_entry_info;

/* Flags for pond_glob. */
#define POND_WITH_VERSIONS 1u /* fill versions (and the content files of control entries) */

/* Callback for each entry; the entry and everything it points to are borrowed for the call.
 * Return 0 to go on, anything else to stop: pond_glob then returns that value. */
typedef int (*pond_entry_fn)(const pond_entry_info *entry, void *ctx);

/* Call fn for every entry of file system fs whose path matches pattern, in path order.
 *   pattern  '*' matches within a name, '**' across directories; captures are numbered left
 *            to right.  A pattern without wildcards names one entry.
 *   flags    0 or POND_WITH_VERSIONS
 *   fn, ctx  the callback and what it is passed
 * Returns POND_OK; fn's value when it stopped the walk; POND_EINVALID for a bad pattern;
 * POND_ENOTFOUND "no match for pattern '…'" when nothing matches. */
POND_API int pond_glob(pond *p, pond_fs fs, const char *pattern, unsigned flags,
                       pond_entry_fn fn, void *ctx);

typedef enum pond_output_format {
    POND_OUTPUT_TABLE = 0, /* aligned text for a terminal */
    POND_OUTPUT_CSV,
    POND_OUTPUT_JSON,      /* one JSON array of row objects */
    POND_OUTPUT_PARQUET
} pond_output_format;

/* Parse an output format's name.
 *   out   where the format goes
 *   word  "table", "csv", "json" or "parquet"
 * Returns POND_OK, or POND_EINVALID naming the word. */
POND_API int pond_output_format_parse(pond_output_format *out, const char *word);

/* Options of pond_cat.  Initialize with POND_CAT_OPTIONS_INIT or pond_cat_options_init();
 * later versions only add fields at the end. */
#define POND_CAT_OPTIONS_VERSION 1
typedef struct pond_cat_options {
    unsigned int version;     /* POND_CAT_OPTIONS_VERSION */
    const char *sql;          /* a query over the table "series"; NULL = SELECT * FROM series */
    pond_output_format format;
    const char *start_time;   /* ISO-8601, inclusive; NULL = open (series only) */
    const char *end_time;     /* ISO-8601, exclusive; NULL = open */
} pond_cat_options;
#define POND_CAT_OPTIONS_INIT {POND_CAT_OPTIONS_VERSION, NULL, POND_OUTPUT_TABLE, NULL, NULL}

/* Set *opts to the defaults of the given version (pass POND_CAT_OPTIONS_VERSION), as
 * POND_CAT_OPTIONS_INIT does.  Returns POND_OK, or POND_EINVALID for an unknown version. */
POND_API int pond_cat_options_init(pond_cat_options *opts, unsigned int version);

/* Write a file's content to out.
 *   fs, path  the pond file (symlinks are followed)
 *   opts      may be NULL (table format, all rows)
 *   out       where the content goes (borrowed; not closed)
 * file:data is written as its bytes; a table or series (the union of its versions, streamed,
 * never held whole) in opts->format, through opts->sql when given.
 * Returns POND_OK; POND_ENOTFOUND; POND_EINVALID for bad SQL, times or an unknown opts
 * version; POND_ERROR for I/O. */
POND_API int pond_cat(pond *p, pond_fs fs, const char *path, const pond_cat_options *opts,
                      FILE *out);

typedef struct pond_txn_info {
    int64_t seq;
    const char *id;          /* a UUID */
    int64_t start_time;      /* µs since the epoch */
    int64_t end_time;
    const char *status;      /* "committed" or "aborted" */
    const char *command;     /* the command line */
    const char *variables;   /* JSON object */
} pond_txn_info;

/* Callback for each transaction (borrowed for the call); return 0 to go on, anything else to
 * stop: pond_txn_log then returns that value. */
typedef int (*pond_txn_fn)(const pond_txn_info *txn, void *ctx);

/* Call fn for every transaction in the log, oldest first.
 * Returns POND_OK, fn's value when it stopped, or an error. */
POND_API int pond_txn_log(pond *p, pond_txn_fn fn, void *ctx);

/* ---- read snapshots ------------------------------------------------------------------------ */

/* Every reading call reads one consistent snapshot of its own.  Between pond_snapshot_begin
 * and pond_snapshot_end all reading calls on p read the same snapshot, taken at begin, while
 * other processes go on writing (pond export holds one for its whole run).  *out_txn (may be
 * NULL) is the seq of the last transaction the snapshot holds (0 for none).  Writing calls on
 * p fail while a snapshot is open (POND_EINVALID).  A long snapshot keeps the catalog's
 * write-ahead log from being folded back into the catalog until it ends; it does not block
 * anyone. */
POND_API int pond_snapshot_begin(pond *p, int64_t *out_txn);

/* End the snapshot of pond_snapshot_begin (a no-op when none is open). */
POND_API void pond_snapshot_end(pond *p);

/* Record a run that read the pond and wrote only outside it (pond export) in the transaction
 * log: one short transaction of its own whose row has start_time (µs since the epoch), the
 * time of this call as its end, status "committed" when ok else "aborted", the handle's
 * command line and variables_json (a JSON object; NULL = "{}").  Waits for the write lock
 * like any writing call (POND_EBUSY); fails on a pond opened read-only. */
POND_API int pond_txn_append(pond *p, int64_t start_time, int ok, const char *variables_json);

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
 * directory, every version of an existing file), that every version's content file exists
 * with its size and sha256, and look for orphans.  A repair takes the write lock (waiting as
 * writing calls do); without it the check is a reader.
 *   repair   non-zero: remove the orphans
 *   report   filled with the counts (may be NULL), as the check goes: when fn is called, the
 *            finding it reports is already counted (a problem, an orphan, a removed one)
 *   fn, ctx  called with each finding (fn may be NULL)
 * Returns POND_OK; POND_ECORRUPT when problems > 0 (orphans alone are not corruption). */
POND_API int pond_check(pond *p, int repair, pond_check_report *report, pond_check_fn fn,
                        void *ctx);

/* Parse an ISO-8601 time ("2024-07-20", "2024-07-20T06:00:00Z", "…+02:00"); a time without
 * offset is UTC.
 *   out  µs since the epoch
 * Returns POND_OK, or POND_EINVALID naming the text. */
POND_API int pond_time_parse(int64_t *out, const char *text);

POND_END_DECLS

#endif
