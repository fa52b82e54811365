/*
 * export/sql_check.h: checking stage SQL before a run, against a scratch database.
 *
 * The scratch database is an in-memory DuckDB holding an empty export_metadata of the
 * context's schema and, as a pipeline is loaded stage by stage, each custom_query stage's
 * table (made by running the stage's statement over the empty tables).  Preparing a template
 * query there lets DuckDB itself find unknown tables, unknown columns and syntax errors with
 * its own message.  Failures that only the run can judge (a read_parquet of a file the export
 * has not written yet) are not errors here: the scratch is then marked unchecked, and later
 * SQL is left to the run.  What kind of statement the SQL is never depends on the run: that
 * it is one read-only SELECT (store/sql_sandbox.h) is judged for every statement, unchecked
 * or not.  The scratch is itself sandboxed with no directory at all, so checking reads and
 * writes no host file.
 */
#ifndef POND_EXPORT_SQL_CHECK_H
#define POND_EXPORT_SQL_CHECK_H

#include <duckdb.h>
#include "export/template_spec.h"
#include "util/buf.h"

typedef struct pond_sql_scratch {
    duckdb_database db;
    duckdb_connection con;
    int open;
    int unchecked; /* a statement could not be tried: later SQL is not judged */
} pond_sql_scratch;

/* Open the scratch database with an empty export_metadata, locked down. */
int pond_export__scratch_open(pond_sql_scratch *sc);

/* Close it (a closed or zeroed scratch is a no-op). */
void pond_export__scratch_close(pond_sql_scratch *sc);

/* 1 if DuckDB's message is a parser, catalog or binder error: one the SQL's author can be
 * blamed for before the run. */
int pond_export__scratch_static_error(const char *msg);

/* Judge user sql (a custom_query's sql, or a template query with its parameters rewritten)
 * on sc: it must be one read-only SELECT, and unless sc is unchecked it is prepared there, so
 * that DuckDB's parser, catalog and binder errors show (and the prepared type is checked
 * again).  POND_EINVALID with the message, without a position, in msg (cleared first).
 * POND_OK otherwise; then *ps (if ps is not NULL) is the prepared statement, or NULL when
 * none was made (the caller destroys it).  A failure only the run can judge marks sc
 * unchecked and is POND_OK. */
int pond_export__scratch_judge(pond_sql_scratch *sc, const char *sql, pond_buf *msg,
                               duckdb_prepared_statement *ps);

/* Judge every collection query of spec (parameters rewritten as at run time) on sc.
 * POND_EINVALID "<spec>:<line>:<column>: [<stage>, ]collection '<name>': query: <message>"
 * for a statement that is not one SELECT, a static error or a parameter other than $pattern,
 * $files, $0…; stage may be NULL. */
int pond_export__scratch_check_queries(pond_sql_scratch *sc, const pond_template_spec *spec,
                                       const char *stage);

#endif
