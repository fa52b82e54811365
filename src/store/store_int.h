/*
 * store/store_int.h: the private side of the store module (include/pond/store.h is the public
 * side).  What the files of src/store share: the open pond handle, the catalog's statements,
 * the write lock, read snapshots, the transaction, content files, the tree of entries and the
 * DuckDB helpers of the work database.
 *
 * On disk (docs/pond.md):
 *
 *     $POND/catalog.sqlite        meta, txn, entry, version tables (store/catalog.c); SQLite
 *     $POND/catalog.sqlite-wal    in WAL mode, its write-ahead log and index kept beside it
 *     $POND/catalog.sqlite-shm    (store/catalog_open.c)
 *     $POND/lock                  the write lock and its holder's pid and command (lock.c)
 *     $POND/data/ab/abcdef…       content files named by their sha256, no extension; tables
 *                                 and series are Parquet, data files are the raw bytes
 *     $POND/tmp/hXXXXXX/          a private directory per handle that needs one, made on
 *                                 first use (store/tmpdir.c); removed by pond_close
 *
 * Two databases per handle: the catalog (an SQLite connection: readers read snapshots of it
 * and never wait, one writer at a time holds the lock) and a private in-memory DuckDB "work"
 * database that reads and writes content files (CSV/Parquet conversion, cat, --sql).  A
 * user's --sql never runs on the catalog connection, and only in a sandboxed work database
 * (store_work_open).
 */
#ifndef POND_STORE_INT_H
#define POND_STORE_INT_H

#include <duckdb.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "pond/store.h"
#include "store/duck_exec.h"
#include "util/buf.h"
#include "util/error.h"

#define STORE_SCHEMA_VERSION "3"
#define STORE_ROOT_ID 0
#define STORE_CATALOG_NAME "catalog.sqlite"

struct pond {
    char *path;         /* the directory as given to pond_open */
    char *catalog_path; /* path/catalog.sqlite */
    char *data_dir;     /* path/data */
    char *command;      /* command line for the txn log ("" when none) */
    int wait_ms;        /* how long a writer waits for the lock */
    sqlite3 *cat;       /* the catalog connection */
    int read_only;      /* the catalog could only be opened for reading */
    int corrupt;        /* SQLite reported corruption: nothing more is committed */
    int lock_fd;        /* $POND/lock while this handle holds the write lock, else -1 */
    int snapshot_depth; /* open read snapshots (store/snapshot.c); 0 = none */
    int64_t snapshot_seq;
    char *tmp_dir; /* the private tmp directory, NULL until store_tmp_dir makes it */
    int tmp_fd;    /* its directory, flock'ed shared while the handle lives; -1 */
    int work_open; /* the in-memory work database below is open */
    int work_sandboxed; /* … and locked down (store_work_open) */
    duckdb_database work_db;
    duckdb_connection work;
    unsigned tmp_counter;
    struct store_txn *txn; /* the transaction in progress, or NULL */
};

/* ---- store/sql.c: statements on the catalog --------------------------------------------- */

/*
 * One helper for the prepare / bind / step / copy the error / finalize idiom.  Values are
 * always bound, never pasted: STORE_ARGS(STORE_INT(id), STORE_TEXT(path)) binds ?1 and ?2.
 *
 *     store_stmt st;
 *     if ((rc = store_sql_query(p, &st, "cannot read the catalog",
 *                               "SELECT path FROM entry WHERE parent = ?1",
 *                               STORE_ARGS(STORE_INT(id)))) < 0)
 *         return rc;
 *     while ((rc = store_sql_next(&st)) == 1)
 *         … store_sql_text(&st, 0) …
 *     store_sql_close(&st);          rc is 0 at the end, < 0 on an error (set)
 *
 * Errors say "<what>: <SQLite's message>".  SQLite's corruption codes (SQLITE_CORRUPT,
 * SQLITE_NOTADB) become POND_ECORRUPT naming the catalog and saying to run pond check, and
 * mark the handle corrupt (p->corrupt): no transaction commits on it afterwards.  Busy and
 * locked become POND_EBUSY, out of memory POND_ENOMEM, everything else POND_ERROR.
 */
typedef enum store_arg_type { STORE_ARG_NULL, STORE_ARG_INT, STORE_ARG_TEXT } store_arg_type;

typedef struct store_arg {
    store_arg_type type;
    int64_t i;
    const char *s;
} store_arg;

#define STORE_INT(v) ((store_arg){STORE_ARG_INT, (int64_t)(v), NULL})
/* text; a NULL pointer binds SQL NULL */
#define STORE_TEXT(v) ((store_arg){STORE_ARG_TEXT, 0, (v)})
#define STORE_ARGS(...)                                                                            \
    ((const store_arg[]){__VA_ARGS__}),                                                            \
        (sizeof((const store_arg[]){__VA_ARGS__}) / sizeof(store_arg))
#define STORE_NO_ARGS NULL, 0

typedef struct store_stmt {
    pond *p;
    sqlite3_stmt *st;
    const char *what;
} store_stmt;

/* Prepare sql on p's catalog into *st and bind args to ?1, ?2, … */
int store_sql_query(pond *p, store_stmt *st, const char *what, const char *sql,
                    const store_arg *args, size_t nargs);

/* Step: 1 when there is a row, 0 at the end, < 0 on an error (set). */
int store_sql_next(store_stmt *st);

/* Column values of the current row (columns from 0).  Text is borrowed until the next step;
 * NULL for SQL NULL. */
int64_t store_sql_int(store_stmt *st, int col);
int store_sql_is_null(store_stmt *st, int col);
const char *store_sql_text(store_stmt *st, int col);

/* A malloc'd copy of a text column into *out (NULL for SQL NULL); POND_ENOMEM on failure. */
int store_sql_dup(store_stmt *st, int col, char **out);

/* Finalize (a closed or zeroed statement is a no-op). */
void store_sql_close(store_stmt *st);

/* Prepare, bind, step to the end and finalize a statement that returns no rows. */
int store_sql_run(pond *p, const char *what, const char *sql, const store_arg *args,
                  size_t nargs);

/* The integer in the first column of the first row into *out (dflt when there is no row or
 * it is NULL). */
int store_sql_int_query(pond *p, const char *what, const char *sql, const store_arg *args,
                        size_t nargs, int64_t dflt, int64_t *out);

/* Fixed SQL (several statements, no values) run with sqlite3_exec. */
int store_sql_exec(pond *p, const char *what, const char *sql);

/* The pond error for SQLite result code src (extended or primary) on p's catalog, message
 * "<what>: <sqlite3_errmsg>".  Returns the pond code. */
int store_sql_fail(pond *p, int src, const char *what);

/* ---- store/catalog.c: the schema; store/catalog_open.c: the connection ------------------ */

/* Create the catalog tables and the root directory on the fresh database db (built by
 * pond_init). */
int store_catalog_create(sqlite3 *db, const char *what);

/* Compare the catalog's schema (every table, index and its SQL text) with the one
 * store_catalog_create makes: diff is left empty when they are the same, else it holds the
 * first object that differs, as read from the catalog ("table\tversion\tversion\tCREATE …"). */
int store_catalog_schema_check(pond *p, pond_buf *diff);

/* Check the catalog's schema version (this also takes the first look at the file). */
int store_catalog_check(pond *p);

/* Open p->catalog_path as p->cat: read-write when the pond can be written, else read-only
 * (immutable when SQLite can neither find nor make the write-ahead log's index).  Sets the
 * connection's pragmas and the pond_path collation, and checks the schema version. */
int store_catalog_open(pond *p);

/* Close p->cat (a no-op when closed). */
void store_catalog_close(pond *p);

/* Register the collation "pond_path" on db: paths in tree order, '/' before every other byte,
 * so "/a/b" sorts before "/a b" and a directory's entries follow it. */
int store_catalog_collation(sqlite3 *db);

/* ---- store/lock.c: the write lock ------------------------------------------------------- */

/* Take $POND/lock for p's handle (flock, exclusive), waiting up to p->wait_ms, and write the
 * holder record (pid, command line) into it.  POND_EBUSY "pond '…' is in use by pid N (…)"
 * when the wait ends; a holder that died (kill -9) never blocks: the kernel drops its lock. */
int store_lock_acquire(pond *p);

/* Clear the holder record and release the lock (a no-op when not held). */
void store_lock_release(pond *p);

/* Whether another handle holds the write lock right now: 0 no, 1 yes (with its pid and
 * command in holder, when it wrote them), < 0 on an error.  Takes the lock for an instant
 * to find out, so it must not be called while p holds it. */
int store_lock_probe(pond *p, pond_buf *holder);

/* ---- store/snapshot.c: read snapshots --------------------------------------------------- */

/* Begin a read transaction on the catalog (nested calls share the outer one; inside a write
 * transaction this is a no-op and reads see the transaction's own changes). */
int store_read_begin(pond *p);

/* End what store_read_begin began; keeps the current error. */
void store_read_end(pond *p);

/* ---- store/tmpdir.c: the handle's temporary directory ----------------------------------- */

/* The handle's private directory for files in progress, made on first use: $POND/tmp/hXXXXXX,
 * or, for a handle that only reads a pond it cannot write, one under $TMPDIR (or /tmp).  It
 * is flock'ed (shared) while the handle lives, so that pond_check can tell a live handle's
 * directory from one a crashed process left.  *out is borrowed (valid until pond_close). */
int store_tmp_dir(pond *p, const char **out);

/* Remove the handle's directory (pond_close). */
void store_tmp_dir_remove(pond *p);

/* A fresh path "<tmp_dir>/<stem>-N<ext>" in out. */
int store_tmp_path(pond *p, const char *stem, const char *ext, pond_buf *out);

/* The names under $POND/tmp that no live handle holds (left by a crashed process), listed
 * while new directories cannot appear half-made; *out (count *n) is malloc'd, each name too. */
int store_tmp_leftovers(pond *p, char ***out, size_t *n);

/* ---- store/db.c: DuckDB helpers (the work database) ------------------------------------- */

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

/* Open the in-memory work database of p in mode (TimeZone UTC, temp_directory under
 * the handle's tmp directory);
 * one that is open in the other mode is closed first (its temp view and variables go). */
int store_work_open(pond *p, store_work_mode mode);

/* ---- store/txn.c: the write transaction ------------------------------------------------ */

/*
 * The transaction of one writing call (store/txn.c; the whole writer, with what a crash at
 * each step leaves, is drawn in src/store/README.md):
 *
 *   (none) --store_txn_begin--> WAITING --lock taken--> LOCKED --BEGIN IMMEDIATE--> OPEN
 *             (lock.c: up to       |                                                  |
 *              p->wait_ms)         +--wait over--> (none), POND_EBUSY                 |
 *                                                                                     |
 *   OPEN --store_txn_commit--> txn row 'committed' + COMMIT (the commit point) --> unlock
 *     |
 *     +---store_txn_abort----> ROLLBACK, new content files removed, txn row 'aborted' in a
 *                              small transaction of its own (best effort) --> unlock
 *
 * While OPEN, catalog changes are made on p->cat and content files are moved into data/
 * (store_content_add) before the COMMIT, which is the one commit point.
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

/* Begin a transaction on p (one at a time; not inside a read snapshot).  variables_json may
 * be NULL ("{}"). */
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
    char *factory; /* a dynamic node's factory ("temporal-reduce"); else NULL */
    /* What a dynamic node, or an entry inside a dynamic directory, reads as (set by the
     * resolver, store/dynamic.h); relation NULL for a stored entry. */
    pond_entry_type reads_as;
    char *relation; /* the SQL relation of its rows, "(SELECT …)" */
    char *node;     /* the dynamic node that makes it */
    int is_virtual; /* no catalog row: an entry inside a dynamic directory */
} store_entry;

/* The columns store_entry_from_row and store_version_from_row read, in order. */
#define STORE_ENTRY_COLUMNS                                                                        \
    "id, coalesce(parent, -1), path, type, symlink_target, timestamp_column, modified_txn, factory"
#define STORE_VERSION_COLUMNS                                                                      \
    "version, txn, size, sha256, row_count, min_time, max_time, schema, ts_type"

/* Fill e from the STORE_ENTRY_COLUMNS starting at column c of the current row. */
int store_entry_from_row(store_stmt *st, int c, store_entry *e);

/* Append to e the version in the STORE_VERSION_COLUMNS starting at column c. */
int store_version_from_row(pond *p, store_stmt *st, int c, store_entry *e);

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

/* Insert a new entry under parent (a directory id) with the given path; *out_id is its id.
 * symlink_target: a symlink's target (NULL for other types); timestamp_column: a series'. */
int store_entry_insert(pond *p, int64_t parent, const char *path, pond_entry_type type,
                       const char *symlink_target, const char *timestamp_column,
                       int64_t txn_seq, int64_t *out_id);

/* As store_entry_insert, with a dynamic node's factory (NULL for every other type). */
int store_entry_insert_node(pond *p, int64_t parent, const char *path, pond_entry_type type,
                            const char *symlink_target, const char *timestamp_column,
                            const char *factory, int64_t txn_seq, int64_t *out_id);

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

/* ---- store/dynamic_read.c: what dynamic nodes hold (store/dynamic.h) ------------------- */

/* Ask the resolver for the entries dynamic node holds (want: the one path looked for, or
 * NULL for all); *out (count *nout) are virtual entries (is_virtual, type
 * POND_ENTRY_DYNAMIC, reads_as, relation, node), freed with store_dynamic_entries_free.
 * Loads node's versions when they are not loaded. */
int store_dynamic_expand(pond *p, store_entry *node, const char *want, store_entry **out,
                         size_t *nout);
void store_dynamic_entries_free(store_entry *v, size_t n);

/* Fill the dynamic node's own reads_as, relation and timestamp column (a sql-derived series
 * or table); a dynamic directory reads as POND_ENTRY_DIR with no relation. */
int store_dynamic_self(pond *p, store_entry *node);

/* The virtual entry at path (not in the catalog) when the nearest ancestor in the catalog is
 * a dynamic node that holds it; POND_ENOTFOUND (error not set) otherwise. */
int store_dynamic_find(pond *p, const char *path, store_entry *e);

/* ---- store/csv_check.c ----------------------------------------------------------------- */

/* How a CSV file is laid out: what the caller knows, and what the check found. */
typedef struct store_csv_dialect {
    char delimiter; /* in: the delimiter, or 0 to pick one (',', ';', '\t' or '|': the most
                       frequent outside quotes in the header, ',' on ties); out: the one used */
    int64_t skip;   /* in: lines before the header, skipped as they are (>= 0) */
    int gzip;       /* out: the file is gzip-compressed */
} store_csv_dialect;

/* Structural check of a CSV file, plain or gzip-compressed (RFC 4180 after the skipped
 * lines: a header line, every record with as many fields, quotes closed).  Fills the out
 * fields of *dialect.  POND_EINVALID "line N: …" (without the path; N counts the skipped
 * lines too) on a fault. */
int store_csv_check(const char *path, store_csv_dialect *dialect);

/* ---- store/csv_read.c ------------------------------------------------------------------ */

/* POND_EINVALID naming the CSV option of o that cannot be (see pond_copy_options). */
int store_csv_options_check(const pond_copy_options *o);

/* Non-zero when o sets any CSV option. */
int store_csv_has_options(const pond_copy_options *o);

/* Set the work database's variables for reading a CSV file laid out as d (checked by
 * store_csv_check) with the options of o, and append to expr the table expression
 * "read_csv($1, …)", $1 being the file.  typed: the columns' types are the VARCHAR[] in the
 * variable pond_csv_types. */
int store_csv_read_expr(pond *p, const pond_copy_options *o, const store_csv_dialect *d,
                        int typed, pond_buf *expr);

/* Read CSV src again with column (of ncolumns) typed TIMESTAMP by o's timestamp format and
 * the others VARCHAR, for DuckDB's error that names the line of a value that does not match.
 * Returns that error (POND_EINVALID "cannot read CSV '<shown>': …"), or POND_OK when every
 * value matches. */
int store_csv_timestamp_error(pond *p, const char *src, const char *shown,
                              const pond_copy_options *o, const store_csv_dialect *d,
                              size_t column, size_t ncolumns);

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
