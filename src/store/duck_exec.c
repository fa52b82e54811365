/*
 * store/duck_exec.c: a prepared statement executed task by task, with a progress tick
 * (store/duck_exec.h).
 */
#include "store/duck_exec.h"

#include <time.h>

#define TICK_INTERVAL_S 0.1 /* the CLI redraws at most ten times a second */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

duckdb_state pond__duck_execute(duckdb_connection con, duckdb_prepared_statement st,
                                duckdb_result *res, pond__duck_tick_fn tick, void *payload)
{
    duckdb_pending_result pending = NULL;
    duckdb_state ok;
    double last;
    int stopped = 0;

    if (!tick)
        return duckdb_execute_prepared(st, res);
    if (duckdb_pending_prepared(st, &pending) == DuckDBError) {
        /* No result yet: run it the plain way so *res carries the error. */
        duckdb_destroy_pending(&pending);
        return duckdb_execute_prepared(st, res);
    }
    last = now_s();
    for (;;) {
        duckdb_pending_state ps = duckdb_pending_execute_task(pending);
        if (ps == DUCKDB_PENDING_RESULT_READY || ps == DUCKDB_PENDING_ERROR)
            break;
        if (stopped)
            continue; /* interrupted: run on until DuckDB reports the error */
        double t = now_s();
        if (t - last < TICK_INTERVAL_S)
            continue;
        last = t;
        duckdb_query_progress_type q = duckdb_query_progress(con);
        double f = q.percentage < 0 ? -1 : q.percentage > 100 ? 1 : q.percentage / 100;
        if (tick(f, payload) != 0) {
            duckdb_interrupt(con);
            stopped = 1;
        }
    }
    ok = duckdb_execute_pending(pending, res);
    duckdb_destroy_pending(&pending);
    return ok;
}

void pond__duck_progress_enable(duckdb_connection con)
{
    duckdb_result res;
    duckdb_query(con, "SET enable_progress_bar = true; SET enable_progress_bar_print = false",
                 &res);
    duckdb_destroy_result(&res);
}
