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
#include "util/buf.h"

/* 1 if s is a table name pond accepts: [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes; else 0. */
int pond_export__sql_ident_ok(const char *s);

#endif
