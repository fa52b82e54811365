/*
 * store/store_int.h: the private side of the store module (include/pond/store.h is the public
 * side).  What the files of src/store share: the open pond handle, DuckDB helpers, the
 * transaction, content files and the catalog's tree of entries.
 *
 * On disk (DESIGN.md section 1):
 *
 *     $POND/catalog.duckdb        meta, txn, entry, version tables (store/catalog.c)
 *     $POND/data/ab/abcdef…       content files named by their sha256, no extension; tables
 *                                 and series are Parquet, data files are the raw bytes
 *     $POND/tmp/<handle>XXXXXX/   one private directory per open handle for files in progress
 *                                 (removed by pond_close; a crash leaves it for pond_check)
 *
 * Two DuckDB databases per handle: the catalog (a file database, opened read-write, which is
 * also the lock that keeps a second process out) and a private in-memory "work" database that
 * reads and writes content files (CSV/Parquet conversion, cat, --sql).  A user's --sql never
 * runs on the catalog connection, and only in a sandboxed work database (store_work_open).
 */
#ifndef POND_STORE_INT_H
#define POND_STORE_INT_H

#include <duckdb.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "pond/store.h"
#include "store/duck_exec.h"
#include "util/buf.h"
#include "util/error.h"

#define STORE_SCHEMA_VERSION "1"
#define STORE_ROOT_ID 0

struct pond {
    char *path;         /* the directory as given to pond_open */
    char *catalog_path; /* path/catalog.duckdb */
    char *data_dir;     /* path/data */
    char *tmp_dir;      /* path/tmp/<handle>XXXXXX: private, removed by pond_close */
    char *command;      /* command line for the txn log ("" when none) */
    int registered;     /* in the process's table of open ponds (store/open.c) */
    dev_t cat_dev;      /* catalog.duckdb's device and inode, the key of that table */
    ino_t cat_ino;
    duckdb_database db;
    duckdb_connection con;
    int work_open; /* the in-memory work database below is open */
    int work_sandboxed; /* … and locked down (store_work_open) */
    duckdb_database work_db;
    duckdb_connection work;
    unsigned tmp_counter;
    struct store_txn *txn; /* the transaction in progress, or NULL */
};

/* ---- store/db.c: DuckDB helpers --------------------------------------------------------- */

/* Run sql (no parameters, no user text) on con; on failure set POND_ERROR
 * "<what>: <duckdb message>". */
int store_db_exec(duckdb_connection con, const char *what, const char *sql);

/* Prepare sql on con into *out; on failure set POND_ERROR "<what>: <duckdb message>".  The
 * statement is destroyed with duckdb_destroy_prepare even on failure (*out set). */
int store_db_prepare(duckdb_connection con, const char *what, const char *sql,
                     duckdb_prepared_statement *out);

/* A materialized result read row by row. */
typedef struct store_rows {
    duckdb_result res;
    int has_res;
    duckdb_data_chunk chunk;
    idx_t row;  /* current row inside chunk */
    idx_t nrow; /* rows in chunk */
    int started;
} store_rows;

/* Execute prepared statement stmt into rows.  code is the pond error code to use on failure
 * (POND_ERROR for catalog queries, POND_EINVALID for a user's SQL); the message is
 * "<what>: <duckdb message>". */
int store_db_query(duckdb_prepared_statement stmt, int code, const char *what, store_rows *rows);

/* Advance to the next row: 1 when there is one, 0 at the end. */
int store_rows_next(store_rows *rows);

/* Column values of the current row.  Columns must be BIGINT (i64), VARCHAR (str) or
 * BOOLEAN/INTEGER (handled by i64 too).  *is_null (may be NULL) is set. */
int64_t store_rows_i64(store_rows *rows, idx_t col, int *is_null);

/* A malloc'd copy of a VARCHAR value; NULL when the value is NULL.  Sets *oom on allocation
 * failure (oom may be NULL). */
char *store_rows_str(store_rows *rows, idx_t col);

/* 1 if the value is NULL. */
int store_rows_is_null(store_rows *rows, idx_t col);

void store_rows_free(store_rows *rows);

/* The DuckDB error of a failed duckdb_open/query, with the "IO Error: " style prefix kept;
 * convenience for a message copy. */

/* DuckDB's message without its "Possible fixes", option dump and "LINE 1:" trailer, on one
 * line, appended to out. */
void store_db_condense(const char *msg, pond_buf *out);

/* Run sql on the work database with varchar parameters $1…; failure -> code with
 * "<ctx>: <condensed duckdb message>".  rows may be NULL (the result is dropped). */
int store_work_run(pond *p, int code, const char *ctx, const char *sql, const char *const *params,
                   size_t nparams, store_rows *rows);

/* As store_work_run, with tick seeing the statement's progress (store/duck_exec.h). */
int store_work_run_ticked(pond *p, int code, const char *ctx, const char *sql,
                          const char *const *params, size_t nparams, store_rows *rows,
                          pond__duck_tick_fn tick, void *payload);

/* What the work database may touch.  User SQL (cat --sql) runs only in a sandboxed one. */
typedef enum store_work_mode {
    STORE_WORK_ANY,     /* whichever is open (sandboxed when none is): pond's own reads */
    STORE_WORK_SANDBOX, /* locked to data/ and tmp_dir (store/sql_sandbox.h): cat, copy out */
    STORE_WORK_HOST     /* any host file: converting the sources of a copy in */
} store_work_mode;

/* Open the in-memory work database of p in mode (TimeZone UTC, temp_directory under tmp_dir);
 * one that is open in the other mode is closed first (its temp view and variables go). */
int store_work_open(pond *p, store_work_mode mode);

/* A fresh path "<tmp_dir>/<stem>-N<ext>" in out. */
int store_tmp_path(pond *p, const char *stem, const char *ext, pond_buf *out);

/* ---- store/catalog.c: the schema -------------------------------------------------------- */

/* Create the catalog tables and the root directory on a fresh database. */
int store_catalog_create(duckdb_connection con);

/* Check the catalog's schema version. */
int store_catalog_check(duckdb_connection con, const char *pond_path);

/* ---- store/txn.c: the write transaction ------------------------------------------------ */

/*
 * The transaction of one writing call (store/txn.c).  States:
 *
 *   (none) --store_txn_begin--> OPEN --store_txn_commit--> (none)   txn row 'committed'
 *                                 |                                  + catalog COMMIT
 *                                 +----store_txn_abort---> (none)    catalog ROLLBACK, new
 *                                                                    content files removed,
 *                                                                    txn row 'aborted' in a
 *                                                                    small transaction of
 *                                                                    its own (best effort)
 *
 * While OPEN, catalog changes are made on p->con inside BEGIN … and content files are moved
 * into data/ (store_content_add) before the COMMIT, which is the one commit point.
 */
typedef struct store_txn {
    pond *p;
    int64_t seq;
    char id[37];
    int64_t start_us;
    char *variables;  /* JSON object text, owned */
    char **new_files; /* data/ files this transaction created (removed on abort) */
    size_t nnew, capnew;
} store_txn;

/* Begin a transaction on p (one at a time).  variables_json may be NULL ("{}"). */
int store_txn_begin(pond *p, store_txn **out, const char *variables_json);

/* Commit: writes the txn row and COMMITs.  On failure it aborts.  Frees txn. */
int store_txn_commit(store_txn *txn);

/* Roll back and record the abort; keeps the current error message.  Frees txn.  NULL ok. */
void store_txn_abort(store_txn *txn);

/* Microseconds since the epoch, now. */
int64_t store_now_us(void);

/* ---- store/content.c: content files ----------------------------------------------------- */

typedef struct store_content {
    char sha256[65];
    int64_t size;
} store_content;

/* sha256 (lowercase hex) and size of the file at path, streamed. */
int store_sha256_file(const char *path, char out_hex[65], int64_t *out_size);

/* The content path of sha256 in out: <data_dir>/ab/abcdef… */
int store_content_path(const pond *p, const char *sha256, pond_buf *out);

/* Move the finished temporary file tmp_path into data/ under its sha256 (fsync file, rename,
 * fsync directories).  Fills *out.  If the content already exists, tmp_path is removed. */
int store_content_add(store_txn *txn, const char *tmp_path, store_content *out);

/* ---- store/content_read.c: checked reads of content files ------------------------------ */

/* POND_ECORRUPT "content file '…' is damaged: …" when the file at path is missing or its size
 * is not size (a check before DuckDB reads it). */
int store_content_check(const char *path, int64_t size);

/* Stream the content file at path to out, checking its size (size < 0: any) first and, when
 * sha256 is not NULL, its sha256 as the bytes go: POND_ECORRUPT when they differ (what was
 * written to out by then stays written: the caller discards it where it can). */
int store_content_stream(const char *path, int64_t size, const char *sha256, FILE *out);

/* ---- store/tree.c: entries and versions ------------------------------------------------- */

typedef struct store_version {
    int64_t version, txn, size, row_count, min_time, max_time;
    int has_time;
    char *sha256;
    char *schema;
    char *ts_type;
    char *content_path;
} store_version;

typedef struct store_entry {
    int64_t id;
    int64_t parent;
    char *path;
    pond_entry_type type;
    char *symlink_target;
    char *timestamp_column;
    int64_t txn;
    size_t nversions, capversions;
    store_version *versions;
} store_entry;

/* The columns store_entry_from_row and store_version_from_row read, in order. */
#define STORE_ENTRY_COLUMNS                                                                        \
    "id, coalesce(parent, -1), path, type, symlink_target, timestamp_column, modified_txn"
#define STORE_VERSION_COLUMNS                                                                      \
    "version, txn, size, sha256, row_count, min_time, max_time, schema, ts_type"

/* Fill e from the STORE_ENTRY_COLUMNS starting at column c of the current row. */
int store_entry_from_row(store_rows *rows, idx_t c, store_entry *e);

/* Append to e the version in the STORE_VERSION_COLUMNS starting at column c. */
int store_version_from_row(pond *p, store_rows *rows, idx_t c, store_entry *e);

void store_entry_clear(store_entry *e);

/* Look up normalized pond path; POND_OK and *e filled, or POND_ENOTFOUND (error NOT set:
 * callers word it).  Versions are not loaded. */
int store_entry_lookup(pond *p, const char *path, store_entry *e);

/* The id of the directory that will hold a new entry at normalized path.  ENOTFOUND with
 * "cannot <what> '<path>': no such directory '<parent>'" when the parent is missing or is
 * not a directory. */
int store_parent_dir(pond *p, const char *path, const char *what, int64_t *out_id);

/* As store_entry_lookup, following symlinks (store/symlink.c); ENOTFOUND with the error set
 * ("no such file '…'"), EINVALID for a symlink loop. */
int store_entry_follow(pond *p, const char *path, store_entry *e);

/* Load e's versions, oldest first. */
int store_entry_load_versions(pond *p, store_entry *e);

/* Parse/print entry type words used in the catalog. */
int store_entry_type_from_word(const char *word, pond_entry_type *out);

/* Insert a new entry under parent (a directory id) with the given path; *out_id is its id. */
int store_entry_insert(pond *p, int64_t parent, const char *path, pond_entry_type type,
                       const char *timestamp_column, int64_t txn_seq, int64_t *out_id);

/* Mark entry id changed by txn_seq. */
int store_entry_touch(pond *p, int64_t id, int64_t txn_seq);

/* Insert version (version number = max+1) of entry id. */
int store_version_insert(pond *p, int64_t entry_id, int64_t txn_seq, const store_version *v,
                         int64_t *out_version);

/* Normalize a pond path argument, wrapping errors. */
int store_path_arg(const char *path, pond_buf *out);

/* Fill a public pond_entry_info view of e (borrowing e's strings); versions array allocated
 * into *vbuf (caller frees). */
int store_entry_info(const store_entry *e, pond_entry_info *info, pond_version_info **vbuf);

/* ---- store/csv_check.c ----------------------------------------------------------------- */

/* Structural check of a CSV file (RFC 4180: a header line, every record with as many fields,
 * quotes closed).  Picks the delimiter (',', ';', '\t' or '|': the most frequent in the header,
 * ',' on ties) into *delim.  POND_EINVALID "line N: …" (without the path) on a fault. */
int store_csv_check(const char *path, char *delim);

/* ---- store/copy_in.c helpers shared with cat ------------------------------------------- */

/* 1 if the file starts with "PAR1". */
int store_is_parquet(const char *path);

/* The schema JSON of a Parquet file ([{"name":…,"type":…},…]) via the work database. */
int store_parquet_schema(pond *p, const char *parquet_path, char **out_json);

/* ---- store/json.c ---------------------------------------------------------------------- */

/* Append s as a JSON string literal (quoted, escaped) to b. */
int store_json_string(pond_buf *b, const char *s);

/* ---- store/control.c -------------------------------------------------------------------- */

/* Look up a control-fs entry ("/", "/txn", "/txn/N"). POND_ENOTFOUND (set) otherwise. With
 * with_content, materialize the record as a Parquet file and fill one version. */
int store_control_lookup(pond *p, const char *path, int with_content, store_entry *e);

/* Walk the control fs for pond_glob. */
int store_control_glob(pond *p, const char *pattern, unsigned flags, pond_entry_fn fn, void *ctx);

/* ---- store/cat.c ------------------------------------------------------------------------ */

/* Create (or replace) the temp view "series" in the work database over e's content:
 * the union of all versions (series) or the latest (table), filtered by [start,end) on
 * the timestamp column when has_start/has_end. */
int store_view_create(pond *p, const store_entry *e, int has_start, int64_t start_us, int has_end,
                      int64_t end_us);

/* Look up a readable file: normalized path on fs (symlinks followed), with its versions
 * (control records materialized).  ENOTFOUND "no such file '…'", EINVALID for a directory. */
int store_resolve_file(pond *p, pond_fs fs, const char *path, store_entry *e);

/* Copy the file at path to out, streamed. */
int store_copy_to_stream(const char *path, FILE *out);

/* ---- store/format.c --------------------------------------------------------------------- */

/* Run query (a single SELECT, already checked) on the work database and write its rows to
 * out in format (table, csv or json), streamed.  Errors: code, "<ctx>: <duckdb message>". */
int store_format_rows(pond *p, const char *query, pond_output_format format, FILE *out, int code,
                      const char *ctx);

#endif
