/*
 * export/export.c: pond_export(), the runner of one export (include/pond/export.h).
 *
 *   check options --> pipeline (file, or from the options) --> --dump-tables check
 *     --> snapshot begin --> context open --> stage 1 … stage n (each: run, flush
 *     export_metadata, report) --> tables dumped to staging --> [result: the context's tables
 *     handed over] --> commit (staged outputs moved into DIR) --> tables installed in DIR2
 *     --> snapshot end --> the run's entry in the pond's log (export/run_log.c) --> context free
 *   Any failure up to the commit (a callback canceling the run among them) goes straight to
 *   the end, where context free removes the staging directory: DIR (and DIR2) are left as
 *   they were.  DIR2 is written only after the commit succeeded, so its tables never describe
 *   files that were not put in place.  A dry run opens no staging directory, commits nothing
 *   and logs nothing.  The whole run reads the one snapshot taken at its start: writers go on
 *   meanwhile, and the output is exactly that snapshot.
 *
 * The runner owns what is common to all stages: option checks that need no pond, the
 * -v variables (they override a pipeline template stage's vars of the same key), stage
 * numbering, timing and the stage start/end events (export/progress.h).
 */
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include "export/context.h"
#include "export/pipeline.h"
#include "export/progress.h"
#include "export/result.h"
#include "export/run_log.h"
#include "export/temporal.h"
#include "util/error.h"
#include "util/version.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *kind_name(pond_stage_kind k)
{
    switch (k) {
    case POND_STAGE_DATA_EXPORT:
        return "data_export";
    case POND_STAGE_CUSTOM_QUERY:
        return "custom_query";
    case POND_STAGE_TEMPLATE:
        return "template_processing";
    }
    return "?";
}

/* Checks that need no pond: output dir, patterns, --temporal, times. */
static int check_options(const pond_export_options *opts)
{
    int rc, nlevels;
    int64_t start = 0, end = 0;

    if (!opts)
        return pond_error_set(POND_EINVALID, "no export options");
    if (opts->version != 1 &&
        (rc = pond_options_version_check(opts->version, POND_EXPORT_OPTIONS_VERSION,
                                         "pond_export_options")) != POND_OK)
        return rc;
    if (!opts->dir || !*opts->dir)
        return pond_error_set(POND_EINVALID, "no output directory (use -d DIR)");
    if (opts->pipeline_file && opts->template_spec)
        return pond_error_set(POND_EINVALID, "use --pipeline or --template, not both");
    if (!opts->pipeline_file && opts->npatterns == 0)
        return pond_error_set(POND_EINVALID, "no pattern to export (use -p PATTERN)");
    if (opts->temporal && (rc = pond_temporal_parse(&nlevels, opts->temporal)) != POND_OK)
        return rc;
    if (opts->start_time && (rc = pond_time_parse(&start, opts->start_time)) != POND_OK)
        return pond_error_wrap(rc, "--start-time");
    if (opts->end_time && (rc = pond_time_parse(&end, opts->end_time)) != POND_OK)
        return pond_error_wrap(rc, "--end-time");
    if (opts->start_time && opts->end_time && start >= end)
        return pond_error_set(POND_EINVALID,
                              "--start-time '%s' is not before --end-time '%s' (the start is "
                              "inclusive, the end exclusive)",
                              opts->start_time, opts->end_time);
    return POND_OK;
}

/* Command-line -v key=value pairs override or extend a template stage's vars. */
static int merge_vars(pond_stage *st, const pond_export_options *opts)
{
    for (size_t i = 0; i < opts->nvars; i++) {
        const char *text = opts->vars[i];
        const char *eq = strchr(text, '=');
        size_t klen = eq ? (size_t)(eq - text) : 0;
        size_t j;
        char *value;

        if (!eq || klen == 0)
            return pond_error_set(POND_EINVALID, "bad variable '%s': expected key=value", text);
        if (!(value = strdup(eq + 1)))
            return pond_error_oom();
        for (j = 0; j < st->nvars; j++)
            if (strlen(st->vars[j].key) == klen && strncmp(st->vars[j].key, text, klen) == 0)
                break;
        if (j == st->nvars) {
            pond_kv *nv = realloc(st->vars, (st->nvars + 1) * sizeof *nv);
            if (!nv) {
                free(value);
                return pond_error_oom();
            }
            st->vars = nv;
            if (!(nv[j].key = strndup(text, klen))) {
                free(value);
                return pond_error_oom();
            }
            nv[j].value = NULL;
            st->nvars++;
        }
        free(st->vars[j].value);
        st->vars[j].value = value;
    }
    return POND_OK;
}

/* Checks of a loaded pipeline against the options, before any stage runs. */
static int check_pipeline(pond_pipeline *pl, const pond_export_options *opts)
{
    int rc, nlevels;
    for (size_t i = 0; i < pl->nstages; i++) {
        pond_stage *st = &pl->stages[i];
        if (st->kind == POND_STAGE_DATA_EXPORT) {
            if (!st->npatterns && !opts->npatterns)
                return pond_error_set(POND_EINVALID,
                                      "%s: stage %zu '%s' has no patterns and none were given "
                                      "with -p",
                                      pl->origin, i + 1, st->name ? st->name : "");
            if (st->temporal && (rc = pond_temporal_parse(&nlevels, st->temporal)) != POND_OK)
                return pond_error_wrap(rc, "%s: stage %zu '%s'", pl->origin, i + 1,
                                       st->name ? st->name : "");
        } else if (st->kind == POND_STAGE_TEMPLATE && opts->pipeline_file) {
            if ((rc = merge_vars(st, opts)) != POND_OK)
                return rc;
        }
    }
    return POND_OK;
}

/* --dump-tables DIR2: refused before any stage runs when a table the run will make is there
 * already (without --overwrite). */
static int check_dump_dir(const pond_pipeline *pl, const pond_export_options *opts)
{
    int rc;
    const char **tables;
    size_t n = 0;

    if (!opts->dump_tables_dir)
        return POND_OK;
    if (!(tables = calloc(pl->nstages + 1, sizeof *tables)))
        return pond_error_oom();
    tables[n++] = "export_metadata";
    for (size_t i = 0; i < pl->nstages; i++)
        if (pl->stages[i].kind == POND_STAGE_CUSTOM_QUERY && pl->stages[i].output_table)
            tables[n++] = pl->stages[i].output_table;
    rc = pond_export_check_dump_dir(opts->dump_tables_dir, tables, n, opts->overwrite);
    free(tables);
    return rc;
}

static int run_stage(pond_export_ctx *ctx, const pond_stage *st, int stage_no)
{
    switch (st->kind) {
    case POND_STAGE_DATA_EXPORT:
        return pond_stage_run_data_export(ctx, st, stage_no);
    case POND_STAGE_CUSTOM_QUERY:
        return pond_stage_run_custom_query(ctx, st, stage_no);
    case POND_STAGE_TEMPLATE:
        return pond_stage_run_template(ctx, st, stage_no);
    }
    return pond_error_set(POND_EINVALID, "stage %d has an unknown kind", stage_no);
}

int pond_export_options_init(pond_export_options *opts, unsigned int version)
{
    static const pond_export_options init = POND_EXPORT_OPTIONS_INIT;
    if (version == 1) { /* a caller built against version 1 has the struct up to update */
        memcpy(opts, &init, offsetof(pond_export_options, update));
        opts->version = 1;
        return POND_OK;
    }
    int rc = pond_options_version_check(version, POND_EXPORT_OPTIONS_VERSION,
                                        "pond_export_options");
    if (rc == POND_OK)
        *opts = init;
    return rc;
}

static int run_stages(pond_export_ctx *ctx, const pond_pipeline *pl)
{
    pond_export_progress *pr = pond_export_ctx_progress(ctx);
    int rc;

    for (size_t i = 0; i < pl->nstages; i++) {
        const pond_stage *st = &pl->stages[i];
        const char *name = st->name ? st->name : kind_name(st->kind);
        double t0 = now_s();
        if ((rc = pond_export_progress_stage_start(pr, i + 1, pl->nstages, name,
                                                   kind_name(st->kind))) != POND_OK)
            return rc;
        if ((rc = run_stage(ctx, st, (int)i + 1)) != POND_OK ||
            (rc = pond_export_ctx_flush(ctx)) != POND_OK)
            return pond_error_wrap(rc, "stage %zu '%s'", i + 1, name);
        if ((rc = pond_export_progress_stage_end(pr, now_s() - t0)) != POND_OK)
            return rc;
    }
    return POND_OK;
}

int pond_export(pond_export_result **out, pond *p, const pond_export_options *given)
{
    /* Every field from here on: a version 1 struct ends before update. */
    pond_export_options all = POND_EXPORT_OPTIONS_INIT;
    const pond_export_options *opts = given ? &all : NULL;
    if (given && given->version == 1)
        memcpy(&all, given, offsetof(pond_export_options, update));
    else if (given)
        all = *given;
    int rc, in_snapshot = 0;
    pond_pipeline *pl = NULL;
    pond_export_ctx *ctx = NULL;
    pond_export_result *res = NULL;
    pond_export_progress *pr;
    double t_run = now_s();
    int64_t start_us = 0, snapshot_txn = 0;

    if (out)
        *out = NULL;
    if ((rc = check_options(opts)) != POND_OK)
        goto done;
    if (opts->pipeline_file)
        rc = pond_pipeline_load(&pl, opts->pipeline_file);
    else
        rc = pond_pipeline_from_options(&pl, opts);
    if (rc != POND_OK || (rc = check_pipeline(pl, opts)) != POND_OK ||
        (rc = check_dump_dir(pl, opts)) != POND_OK)
        goto done;
    /* Nothing is written inside the pond (its outputs covering it are refused at the claim). */
    if (p && ((rc = pond_check_outside(p, opts->dir, "output directory")) != POND_OK ||
              (opts->dump_tables_dir &&
               (rc = pond_check_outside(p, opts->dump_tables_dir, "--dump-tables directory")))))
        goto done;
    /* the export reads one snapshot of the pond, taken now, and is logged when it ends */
    start_us = pond_export_now_us();
    if ((rc = pond_snapshot_begin(p, &snapshot_txn)) != POND_OK)
        goto done;
    in_snapshot = 1;
    if ((rc = pond_export_ctx_open(&ctx, p, opts)) != POND_OK)
        goto done;
    pr = pond_export_ctx_progress(ctx);
    if ((rc = run_stages(ctx, pl)) != POND_OK)
        goto done;
    /* what the last export made and this one does not is removed (--update) */
    size_t removed = 0;
    if ((rc = pond_export_ctx_finish_manifest(ctx, &removed)) != POND_OK)
        goto done;
    if (opts->update)
        pond_export_ctx_log(ctx, "%s %zu output%s no longer made", opts->dry_run ? "would remove"
                                                                   : "removing",
                            removed, removed == 1 ? "" : "s");
    if (opts->dump_tables_dir && (rc = pond_export_ctx_dump_tables(ctx)) != POND_OK)
        goto done;
    /* A callback that canceled during a report line cancels the run before the commit. */
    if ((rc = pond_export_progress_stopped(pr)) != 0)
        goto done;
    /* The tables are taken before the commit, so that nothing can fail after it. */
    if (out && (rc = pond_export_result_new(&res, ctx)) != POND_OK)
        goto done;
    if ((rc = pond_export_ctx_commit(ctx)) != POND_OK)
        goto done;
    /* DIR2 only after the commit, so its tables never describe outputs not in place. */
    if (opts->dump_tables_dir) {
        if (opts->dry_run) {
            pond_export_ctx_log(ctx, "dry run: tables not written to '%s'",
                                opts->dump_tables_dir);
        } else {
            if ((rc = pond_export_ctx_install_tables(ctx, opts->dump_tables_dir)) != POND_OK)
                goto done;
            pond_export_ctx_log(ctx, "tables written to '%s'", opts->dump_tables_dir);
        }
    }
    if (out) {
        *out = res;
        res = NULL;
    }
    /* Committed: a cancel from here on changes nothing, so the run succeeded. */
    if ((opts->dry_run
             ? pond_export_progress_done(pr, now_s() - t_run, "dry run: nothing written")
         : opts->update && pond_export_ctx_moved(ctx) == 0
             ? pond_export_progress_done(pr, now_s() - t_run,
                                         "'%s' is up to date: nothing written (%.2f s)",
                                         pond_export_ctx_dir(ctx), now_s() - t_run)
             : pond_export_progress_done(pr, now_s() - t_run, "exported to '%s' in %.2f s",
                                         pond_export_ctx_dir(ctx), now_s() - t_run)) != 0)
        pond_error_clear();
done:
    /* Whatever error a canceled statement ended with, the run was canceled. */
    if (ctx && rc != POND_OK && pond_export_progress_stopped(pond_export_ctx_progress(ctx)))
        rc = pond_error_set(pond_export_progress_stopped(pond_export_ctx_progress(ctx)),
                            "export canceled");
    pond_export_result_free(res);
    if (in_snapshot) {
        pond_snapshot_end(p);
        if (!opts->dry_run)
            rc = pond_export_log_run(p, opts, ctx ? pond_export_ctx_progress(ctx) : NULL,
                                     opts->dir, start_us, snapshot_txn, rc);
    }
    pond_export_ctx_free(ctx);
    pond_pipeline_free(pl);
    return rc;
}
