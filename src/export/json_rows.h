/*
 * export/json_rows.h: DuckDB query results as JSON (jansson) rows for template contexts.
 *
 * The mapping, faithful and stable (docs/templates.md lists it for template authors):
 *   NULL -> null;  BOOLEAN -> true/false;
 *   TINYINT…BIGINT, UTINYINT…UBIGINT, HUGEINT, UHUGEINT -> integer (a decimal string when the
 *     value does not fit a signed 64-bit integer);
 *   FLOAT, DOUBLE -> number ("NaN", "Infinity", "-Infinity" as strings: JSON has no such
 *     numbers);  DECIMAL -> number (the nearest double to the exact decimal);
 *   VARCHAR, ENUM -> string;  UUID -> "8-4-4-4-12" hex string;  BLOB -> base64 string;
 *   BIT -> string of '0'/'1';
 *   DATE -> "2024-07-20";  TIME -> "06:00:00[.ffffff]";  TIME WITH TIME ZONE -> "06:00:00+02:00";
 *   TIMESTAMP (_S, _MS, _NS) -> "2024-07-20T06:00:00[.fraction]";
 *   TIMESTAMP WITH TIME ZONE -> "2024-07-20T06:00:00Z" (the instant, in UTC);
 *     fractions are printed without trailing zeros; infinite dates/timestamps are
 *     "infinity" / "-infinity";
 *   INTERVAL -> ISO-8601 duration "P1Y2M3DT4H5M6.5S" ("PT0S" when zero);
 *   LIST, ARRAY -> array;  STRUCT -> object;  MAP -> object (keys as text);
 *   UNION -> the value of its active member.
 * Any other type (BIGNUM) is an error that names the column and suggests a cast.
 */
#ifndef POND_EXPORT_JSON_ROWS_H
#define POND_EXPORT_JSON_ROWS_H

#include <duckdb.h>
#include <jansson.h>

/* Fetch every remaining chunk of res (duckdb_fetch_chunk) and append one object per row to the
 * array rows, keyed by column name (a later column of the same name wins).  res stays owned by
 * the caller.  Returns POND_OK, POND_ENOMEM, or POND_EINVALID for a type with no JSON form
 * (message names the column and the type). */
int pond_json_rows_append(json_t *rows, duckdb_result *res);

#endif
