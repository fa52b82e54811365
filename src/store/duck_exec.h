/*
 * store/duck_exec.h: executing a DuckDB prepared statement in steps, so that a long one can
 * report how far it is and be stopped.  Used by the store (copy in) and the export (every
 * statement of a data_export stage) alike.
 *
 * The statement runs through DuckDB's pending-result API on the calling thread (DuckDB's
 * worker threads run as usual); between two tasks, at most every interval, the caller's tick
 * sees DuckDB's own estimate of the fraction done.  The connection must have
 * enable_progress_bar on (pond__duck_progress_enable) for the estimate to exist.
 */
#ifndef POND_STORE_DUCK_EXEC_H
#define POND_STORE_DUCK_EXEC_H

#include <duckdb.h>

/* fraction: 0 … 1, or -1 when DuckDB cannot tell.  Return 0 to go on, non-zero to stop the
 * statement (it is interrupted and fails). */
typedef int (*pond__duck_tick_fn)(double fraction, void *payload);

/* As duckdb_execute_prepared(st, res): DuckDBSuccess, or DuckDBError with the error in *res
 * (destroy *res either way).  With tick NULL it is duckdb_execute_prepared.  When tick stops
 * the statement, the result is DuckDB's interrupt error. */
duckdb_state pond__duck_execute(duckdb_connection con, duckdb_prepared_statement st,
                                duckdb_result *res, pond__duck_tick_fn tick, void *payload);

/* Turn DuckDB's progress estimate on for con, without DuckDB's own progress bar.  Best
 * effort: where the setting cannot be changed (a locked configuration), ticks see -1 and
 * progress moves per statement only. */
void pond__duck_progress_enable(duckdb_connection con);

#endif
