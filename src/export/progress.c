/*
 * export/progress.c: the events of one export run (export/progress.h).
 */
#include "export/progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store/duck_exec.h"
#include "util/buf.h"

#define PROGRESS_INTERVAL 0.1 /* seconds between two PROGRESS events */

struct pond_export_progress {
    const pond_export_options *opts;
    pond_export_event ev; /* the stage and counters; type and message are set per event */
    int64_t rows_base;    /* rows of the sources done */
    int64_t rows_current; /* rows of the source running */
    double last;          /* when the last PROGRESS event was sent */
    int stop;             /* the callback's non-zero value */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int pond_export_progress_new(pond_export_progress **out, const pond_export_options *opts)
{
    pond_export_progress *pr = calloc(1, sizeof *pr);
    *out = NULL;
    if (!pr)
        return pond_error_oom();
    pr->opts = opts;
    pr->ev.version = POND_EXPORT_EVENT_VERSION;
    *out = pr;
    return POND_OK;
}

void pond_export_progress_free(pond_export_progress *pr) { free(pr); }

int pond_export_progress_wanted(const pond_export_progress *pr)
{
    return pr->opts->progress != NULL;
}

int pond_export_progress_stopped(const pond_export_progress *pr) { return pr->stop; }

/* A callback's non-zero value cancels the run (and stays the answer from then on). */
static int canceled(pond_export_progress *pr, int value)
{
    pr->stop = value;
    return pond_error_set(value, "export canceled");
}

/* Send the event of type with message (may be NULL). */
static int send(pond_export_progress *pr, pond_export_event_type type, const char *message)
{
    int rc;
    if (pr->stop)
        return pr->stop;
    if (!pr->opts->progress)
        return POND_OK;
    pr->ev.type = type;
    pr->ev.message = message;
    rc = pr->opts->progress(&pr->ev, pr->opts->payload);
    pr->ev.message = NULL;
    return rc ? canceled(pr, rc) : POND_OK;
}

static int vsend(pond_export_progress *pr, pond_export_event_type type, const char *fmt,
                 va_list ap)
{
    char small[512], *text = small;
    va_list again;
    int n, rc;

    if (pr->stop || !pr->opts->progress)
        return pr->stop;
    va_copy(again, ap);
    n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= (int)sizeof small) {
        if (!(text = malloc((size_t)n + 1))) {
            va_end(again);
            return pond_error_oom();
        }
        vsnprintf(text, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    rc = send(pr, type, n < 0 ? fmt : text);
    if (text != small)
        free(text);
    return rc;
}

static int sendf(pond_export_progress *pr, pond_export_event_type type, const char *fmt, ...)
    POND_PRINTF(3, 4);
static int sendf(pond_export_progress *pr, pond_export_event_type type, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = vsend(pr, type, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- the runner --------------------------------------------------------------------------- */

static void reset_counters(pond_export_progress *pr)
{
    pond_export_event *e = &pr->ev;
    e->seconds = 0;
    e->source = NULL;
    e->sources_done = e->sources_total = e->files = 0;
    e->rows_done = e->rows_total = e->bytes_done = e->bytes_total = 0;
    pr->rows_base = pr->rows_current = 0;
    pr->last = 0;
}

int pond_export_progress_stage_start(pond_export_progress *pr, size_t stage, size_t nstages,
                                     const char *name, const char *kind)
{
    reset_counters(pr);
    pr->ev.stage = stage;
    pr->ev.nstages = nstages;
    pr->ev.stage_name = name;
    pr->ev.stage_kind = kind;
    return sendf(pr, POND_EXPORT_EVENT_STAGE_START, "stage %zu/%zu: %s (%s)", stage, nstages,
                 name, kind);
}

int pond_export_progress_stage_end(pond_export_progress *pr, double seconds)
{
    int rc;
    pr->ev.seconds = seconds;
    pr->ev.source = NULL;
    rc = sendf(pr, POND_EXPORT_EVENT_STAGE_END, "done in %.2f s", seconds);
    reset_counters(pr);
    pr->ev.stage = 0;
    pr->ev.stage_name = pr->ev.stage_kind = NULL;
    return rc;
}

int pond_export_progress_done(pond_export_progress *pr, double seconds, const char *fmt, ...)
{
    va_list ap;
    int rc;
    pr->ev.seconds = seconds;
    va_start(ap, fmt);
    rc = vsend(pr, POND_EXPORT_EVENT_DONE, fmt, ap);
    va_end(ap);
    return rc;
}

int pond_export_progress_vnote(pond_export_progress *pr, const char *fmt, va_list ap)
{
    return vsend(pr, POND_EXPORT_EVENT_NOTE, fmt, ap);
}

int pond_export_progress_note(pond_export_progress *pr, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = vsend(pr, POND_EXPORT_EVENT_NOTE, fmt, ap);
    va_end(ap);
    return rc;
}

/* ---- a data_export stage ------------------------------------------------------------------ */

/* A PROGRESS event, unless one was sent less than PROGRESS_INTERVAL ago (and not forced). */
static int report(pond_export_progress *pr, int force)
{
    double t;
    if (!pr->opts->progress || pr->stop)
        return pr->stop;
    t = now_s();
    if (!force && t - pr->last < PROGRESS_INTERVAL)
        return POND_OK;
    pr->last = t;
    return send(pr, POND_EXPORT_EVENT_PROGRESS, NULL);
}

void pond_export_progress_totals(pond_export_progress *pr, size_t sources, int64_t rows,
                                 int64_t bytes)
{
    pr->ev.sources_total = sources;
    pr->ev.rows_total = rows;
    pr->ev.bytes_total = bytes;
}

int pond_export_progress_source(pond_export_progress *pr, const char *path, int64_t rows)
{
    pr->ev.source = path;
    pr->rows_current = rows > 0 ? rows : 0;
    return report(pr, 0);
}

int pond_export_progress_source_done(pond_export_progress *pr, size_t files, int64_t bytes)
{
    pond_export_event *e = &pr->ev;
    pr->rows_base += pr->rows_current;
    pr->rows_current = 0;
    e->rows_done = pr->rows_base;
    e->bytes_done += bytes;
    e->files = files;
    e->sources_done++;
    e->source = NULL;
    return report(pr, e->sources_done == e->sources_total);
}

/* DuckDB's fraction of the running statement, as rows of the current source.  Several
 * statements may read one source; rows_done never goes back. */
static int tick(double fraction, void *arg)
{
    pond_export_progress *pr = arg;
    if (fraction >= 0) {
        int64_t at = pr->rows_base + (int64_t)(fraction * (double)pr->rows_current);
        if (at > pr->ev.rows_done)
            pr->ev.rows_done = at;
    }
    return report(pr, 0);
}

duckdb_state pond_export_progress_execute(pond_export_progress *pr, duckdb_connection con,
                                          duckdb_prepared_statement st, duckdb_result *res)
{
    return pond__duck_execute(con, st, res, pr->opts->progress ? tick : NULL, pr);
}

/* ---- the dry-run listing ------------------------------------------------------------------ */

int pond_export_progress_file(pond_export_progress *pr, const char *rel, const char *source,
                              int64_t rows)
{
    pond_buf path = POND_BUF_INIT;
    pond_export_file f;
    int rc;

    if (pr->stop || !pr->opts->dry_run_file)
        return pr->stop;
    if ((rc = pond_buf_printf(&path, "%s/%s", pr->opts->dir, rel)) != POND_OK)
        return rc;
    f.path = path.ptr;
    f.source = source;
    f.rows = rows;
    f.stage = pr->ev.stage;
    rc = pr->opts->dry_run_file(&f, pr->opts->payload);
    pond_buf_free(&path);
    return rc ? canceled(pr, rc) : POND_OK;
}
