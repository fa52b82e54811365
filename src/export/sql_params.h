/*
 * export/sql_params.h: helpers for the SQL that pipeline stages run on user text.
 *
 * Identifiers that name context tables are validated and double-quoted, never pasted raw;
 * user queries that refer to $pattern and $0, $1… are rewritten to DuckDB named parameters
 * so the values are bound, never pasted into the SQL.
 */
#ifndef POND_EXPORT_SQL_PARAMS_H
#define POND_EXPORT_SQL_PARAMS_H

#include <stddef.h>
#include <duckdb.h>
#include "util/buf.h"

/* 1 if s is a table name pond accepts: [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes; else 0. */
int pond_export__sql_ident_ok(const char *s);

/* The statement a custom_query stage runs: CREATE TABLE "<table>" AS <sql> with sql's
 * trailing ';' and blanks dropped, on lines of its own (so a trailing line comment cannot
 * swallow anything).  table must be a checked identifier.  out is cleared first. */
int pond_export__sql_ctas(pond_buf *out, const char *table, const char *sql);

/* Prepare user sql on con (a sandboxed connection) as stages run it: refused unless it is one
 * read-only SELECT (store/sql_sandbox.h), checked on the text and again on the prepared
 * statement's type, before anything runs.  POND_EINVALID with the message, on one line and
 * without position, in msg (cleared first), *out NULL; POND_OK with the statement in *out
 * (the caller destroys it). */
int pond_export__sql_prepare_select(duckdb_connection con, const char *sql,
                                    duckdb_prepared_statement *out, pond_buf *msg);

/* DuckDB's error text on one line: the "LINE n: …" excerpt and caret that follow a blank
 * line are dropped (they point into the statement pond built, not the user's file) and the
 * remaining line breaks become spaces.  Into out (cleared first). */
int pond_export__sql_error_text(pond_buf *out, const char *msg);

/* Copy the user's query sql into out with every $0, $1… (outside string literals, quoted
 * identifiers, comments and dollar-quoted strings) turned into the named parameter
 * $pond_c0, $pond_c1…; $pattern and other named parameters are kept as written.  out is
 * cleared first.  Returns POND_OK or POND_ENOMEM. */
int pond_export__sql_rewrite_params(const char *sql, pond_buf *out);

/* Bind every parameter of a statement made from a rewritten query: $pattern to pattern,
 * $pond_cK to caps[K] (NULL when K >= ncaps or caps[K] is NULL), and $files to the list
 * files[0..nfiles) (a VARCHAR[]).  POND_EINVALID for any other parameter name ("unknown
 * parameter $x: a query may use $pattern, $files and $0, $1…"). */
int pond_export__sql_bind_params(duckdb_prepared_statement st, const char *pattern,
                                 const char *const *caps, size_t ncaps,
                                 const char *const *files, size_t nfiles);

/* 1 if name (as DuckDB reports it, without '$') is one of the parameters above. */
int pond_export__sql_param_known(const char *name);

#endif
