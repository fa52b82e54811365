/*
 * export/context.c: the export context of one pond export run (see context.h).
 *
 * On disk, a run that is not a dry run owns
 *
 *     DIR/.pond-staging-XXXXXX/out/<rel>   every claimed output, written by the stages
 *     DIR/.pond-staging-XXXXXX/old/<n>     under --overwrite, the old outputs moved aside
 *
 * and creates DIR (and missing parents) itself when it is missing.  Commit moves each staged
 * output to DIR/<rel> (renames within one file system), journalling every step; if a step
 * fails the journal is undone backwards, so DIR is as it was.  Free removes the staging
 * directory and, unless the run committed, the directories the run created.  The journal is
 * also written to the staging directory before each step (export/journal.h), so a run killed
 * half way through its commit is undone by the next export into DIR, at open.
 *
 * In memory, the context owns a private DuckDB database (duckdb_open(NULL)) holding
 * export_metadata, filled only through one appender, and the tables later stages add.  It is
 * locked down (store/sql_sandbox.h) before any stage runs, since stages run user SQL there:
 * DuckDB may then read and write only under the pond's content directories (read by the data
 * export's COPYs) and the staging directory (where every output, and the --dump-tables files,
 * are written), and no setting can change.  Every setting the run needs (TimeZone) is made
 * before the lock.
 */
#include "export/context.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "export/claim_index.h"
#include "export/journal.h"
#include "export/manifest.h"
#include "export/progress.h"
#include "export/sql_params.h"
#include "store/duck_exec.h"
#include "store/sql_sandbox.h"
#include "util/fs.h"
#include "util/grow.h"

typedef struct claim {
    char *rel;
    char *source;
    int is_dir;
    int partial; /* --update: only parts of it are replaced (pond_export_ctx_replace_part) */
} claim;

/* Paths relative to DIR. */
typedef struct str_list {
    char **v;
    size_t n, cap;
} str_list;

static int str_list_push(str_list *l, const char *s)
{
    int rc = POND_GROW(l->v, l->n, l->cap);
    if (rc != POND_OK)
        return rc;
    if (!(l->v[l->n] = strdup(s)))
        return pond_error_oom();
    l->n++;
    return POND_OK;
}

static void str_list_free(str_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* One reversible step of the commit. */
typedef enum { STEP_MKDIR, STEP_BACKUP, STEP_MOVE, STEP_RMDIR } step_kind;
typedef struct step {
    step_kind kind;
    char *a; /* MKDIR: the directory; BACKUP: the final path; MOVE: the staged path */
    char *b; /* BACKUP: where it went; MOVE: the final path */
} step;

struct pond_export_ctx {
    pond *p;
    const pond_export_options *opts;
    duckdb_database db;
    duckdb_connection con;
    duckdb_appender app;
    char *dir;     /* absolute output directory */
    char *staging; /* DIR/.pond-staging-XXXXXX; NULL in a dry run */
    char *out;     /* staging/out */
    char **created; /* directories this run created for DIR itself, outermost first */
    size_t ncreated;
    claim *claims;
    size_t nclaims, capclaims;
    pond_claim_index *claimed; /* the claims' paths, for overlap checks */
    char **tables;
    size_t ntables;
    int committed;
    size_t moved; /* steps the commit made in DIR (outputs, parts, removals, the manifest) */
    int journal; /* fd of staging/journal during commit, else -1 */
    pond_export_progress *progress; /* the run's events (export/progress.h) */
    pond_buf made_dir; /* the staged directory claim_output made last: claims of files in one
                        * directory (template pages) make it once, not once a file */
    pond_buf missing_dir; /* a directory (relative) DIR lacks, seen by the last claim's check */
    char *pond_rel; /* the pond's directory relative to DIR when it lies inside DIR, else NULL:
                       no claim may cover it or lie in it */
    int has_old;          /* --update with a manifest read: old is the last export's */
    pond_manifest old;
    pond_manifest manifest; /* this run's, written at pond_export_ctx_finish_manifest */
    int manifest_staged;  /* staging/out/.pond-export.json is written */
    str_list parts;   /* --update: paths in DIR replaced by what is staged there */
    str_list removes; /* --update: paths in DIR the export no longer produces */
};

const char pond_export_metadata_ddl[] =
    "CREATE TABLE export_metadata ("
    " pattern VARCHAR NOT NULL,"
    " capture_group INTEGER NOT NULL,"
    " capture_value VARCHAR NOT NULL,"
    " file_path VARCHAR NOT NULL,"
    " start_time BIGINT,"
    " end_time BIGINT,"
    " row_count BIGINT,"
    " export_stage INTEGER NOT NULL,"
    " source_path VARCHAR,"
    " written BOOLEAN NOT NULL)";

/* ---- small helpers ----------------------------------------------------------------------- */

static int query(pond_export_ctx *ctx, const char *sql, const char *what)
{
    duckdb_result res;
    int rc = POND_OK;
    if (duckdb_query(ctx->con, sql, &res) == DuckDBError)
        rc = pond_error_set(POND_ERROR, "%s: %s", what, duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    return rc;
}

/* rel must be '/'-separated names, none empty, "." or "..", and not inside the staging area. */
static int check_rel(const char *rel)
{
    const char *p = rel;
    if (!rel || !*rel || *rel == '/')
        return pond_error_set(POND_EINVALID, "output path '%s' is not a relative path",
                              rel ? rel : "");
    while (*p) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
            return pond_error_set(POND_EINVALID,
                                  "output path '%s' has an empty, '.' or '..' component", rel);
        if (p == rel && strncmp(p, ".pond-staging-", 14) == 0)
            return pond_error_set(POND_EINVALID,
                                  "output path '%s' uses the reserved name .pond-staging-*", rel);
        if (p == rel && strcmp(p, POND_MANIFEST_NAME) == 0)
            return pond_error_set(POND_EINVALID,
                                  "output path '%s' is the name of the export manifest", rel);
        if (!e)
            break;
        p = e + 1;
    }
    return POND_OK;
}

/* Create each missing directory from the root down to abs (already clean and absolute),
 * appending what was created to ctx->created. */
static int create_dir_tracked(pond_export_ctx *ctx, const char *abs)
{
    int rc = POND_OK;
    pond_buf b = POND_BUF_INIT;
    const char *p = abs;

    while (*p) {
        const char *e = strchr(p + 1, '/');
        size_t len = e ? (size_t)(e - abs) : strlen(abs);
        pond_buf_clear(&b);
        if ((rc = pond_buf_put(&b, abs, len)) != POND_OK)
            goto done;
        if (!pond_fs_exists(b.ptr)) {
            char **nc = realloc(ctx->created, (ctx->ncreated + 1) * sizeof *nc);
            if (!nc) {
                rc = pond_error_oom();
                goto done;
            }
            ctx->created = nc;
            if (mkdir(b.ptr, 0777) != 0) {
                rc = pond_error_set(POND_ERROR, "cannot create output directory '%s': %s",
                                    b.ptr, strerror(errno));
                goto done;
            }
            if (!(ctx->created[ctx->ncreated] = strdup(b.ptr))) {
                rmdir(b.ptr);
                rc = pond_error_oom();
                goto done;
            }
            ctx->ncreated++;
        } else if (!pond_fs_is_dir(b.ptr)) {
            rc = pond_error_set(POND_EEXISTS, "output directory '%s': '%s' is not a directory",
                                abs, b.ptr);
            goto done;
        }
        if (!e)
            break;
        p = e;
    }
done:
    pond_buf_free(&b);
    return rc;
}

/* SET TimeZone, which itself refuses a zone ICU does not know (cheaper than looking the name
 * up in pg_timezone_names(), which builds every zone: most of a tiny export's fixed cost,
 * issue 11).  ICU matches names without regard to case; the name must be exact, as before. */
static int set_timezone(pond_export_ctx *ctx, const char *tz)
{
    int rc = POND_OK;
    duckdb_prepared_statement st = NULL;
    duckdb_result res;
    int have_res = 0;

    if (duckdb_prepare(ctx->con, "SET TimeZone = $1", &st) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot set time zone '%s': %s", tz,
                            duckdb_prepare_error(st));
        goto done;
    }
    duckdb_bind_varchar(st, 1, tz);
    have_res = 1;
    if (duckdb_execute_prepared(st, &res) == DuckDBError) {
        const char *e = duckdb_result_error(&res);
        if (e && strstr(e, "Unknown TimeZone"))
            rc = pond_error_set(POND_EINVALID,
                                "unknown time zone '%s' (use an ICU/IANA name such as UTC or "
                                "America/Los_Angeles)",
                                tz);
        else
            rc = pond_error_set(POND_ERROR, "cannot set time zone '%s': %s", tz, e ? e : "");
        goto done;
    }
    duckdb_destroy_result(&res);
    if (duckdb_query(ctx->con, "SELECT current_setting('TimeZone')", &res) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot read the time zone: %s",
                            duckdb_result_error(&res));
        goto done;
    }
    char *got = duckdb_value_varchar(&res, 0, 0);
    if (!got || strcmp(got, tz) != 0)
        rc = pond_error_set(POND_EINVALID, "unknown time zone '%s'%s%s%s", tz,
                            got ? " (did you mean '" : "", got ? got : "", got ? "'?)" : "");
    duckdb_free(got);
done:
    if (have_res)
        duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&st);
    return rc;
}

/* The sandbox of the run's database (see the head of this file).  p is NULL in unit tests
 * that export no pond. */
static int lock_down(pond_export_ctx *ctx)
{
    const char *dirs[3] = { NULL, NULL, ctx->staging };
    int rc;

    if (ctx->p && (rc = pond_content_dirs(ctx->p, &dirs[0], &dirs[1])) != POND_OK)
        return rc;
    return pond_sql_sandbox_lock(ctx->con, dirs, 3);
}

/* Where the pond is, when it is inside DIR (real paths, after symlinks): ctx->pond_rel. */
static int find_pond(pond_export_ctx *ctx)
{
    int rc;
    pond_buf dir = POND_BUF_INIT, pd = POND_BUF_INIT;

    if (!ctx->p)
        return POND_OK;
    if ((rc = pond_fs_realpath(ctx->dir, &dir)) == POND_OK &&
        (rc = pond_fs_realpath(pond_path(ctx->p), &pd)) == POND_OK &&
        pond_fs_path_within(pd.ptr, dir.ptr)) {
        /* "" when the pond is DIR itself */
        const char *rel = pd.len == dir.len ? "" : pd.ptr + dir.len + (dir.len > 1);
        if (!(ctx->pond_rel = strdup(rel)))
            rc = pond_error_oom();
    }
    pond_buf_free(&dir);
    pond_buf_free(&pd);
    return rc;
}

/* An output at rel that would cover the pond or lie inside it. */
static int check_pond(pond_export_ctx *ctx, const char *rel)
{
    const char *pr = ctx->pond_rel;
    size_t n = strlen(rel), m;
    if (!pr)
        return POND_OK;
    m = strlen(pr);
    if (m == 0 || (n <= m && !strncmp(pr, rel, n) && (pr[n] == '/' || pr[n] == '\0')) ||
        (m < n && !strncmp(rel, pr, m) && rel[m] == '/'))
        return pond_error_set(POND_EINVALID,
                              "output '%s' would write over the pond '%s' (pond never writes "
                              "over its own files)",
                              rel, pond_path(ctx->p));
    return POND_OK;
}

/* --update: the manifest of the export that last wrote DIR (after the recovery of an
 * interrupted one, which may have put it back).  Without one, --overwrite writes everything. */
static int load_old_manifest(pond_export_ctx *ctx)
{
    pond_buf path = POND_BUF_INIT;
    int rc;

    if ((rc = pond_buf_printf(&path, "%s/" POND_MANIFEST_NAME, ctx->dir)) != POND_OK)
        return rc;
    rc = pond_manifest_read(&ctx->old, path.ptr);
    if (rc == POND_OK) {
        ctx->has_old = 1;
    } else if (ctx->opts->overwrite && (rc == POND_ENOTFOUND || rc == POND_ECORRUPT)) {
        pond_export_ctx_log(ctx, "--update: %s; writing everything (--overwrite)",
                            rc == POND_ENOTFOUND ? "no export manifest in the output directory"
                                                 : pond_error_last());
        pond_error_clear();
        rc = POND_OK;
    } else if (rc == POND_ENOTFOUND) {
        rc = pond_error_set(POND_ENOTFOUND,
                            "--update: '%s' has no export manifest (" POND_MANIFEST_NAME
                            "), so what is up to date is not known: export without --update "
                            "first, or add --overwrite to write everything",
                            ctx->dir);
    } else if (rc == POND_ECORRUPT) {
        rc = pond_error_wrap(rc, "--update (add --overwrite to write everything again)");
    }
    pond_buf_free(&path);
    return rc;
}

/* ---- open / free ------------------------------------------------------------------------- */

int pond_export_ctx_open(pond_export_ctx **out, pond *p, const pond_export_options *opts)
{
    int rc = POND_OK;
    pond_export_ctx *ctx = NULL;
    pond_buf b = POND_BUF_INIT;

    *out = NULL;
    if (!opts->dir || !*opts->dir)
        return pond_error_set(POND_EINVALID, "no output directory (-d DIR)");
    if (!(ctx = calloc(1, sizeof *ctx)))
        return pond_error_oom();
    ctx->journal = -1;
    ctx->made_dir = (pond_buf)POND_BUF_INIT;
    ctx->missing_dir = (pond_buf)POND_BUF_INIT;
    if ((rc = pond_claim_index_new(&ctx->claimed)) != POND_OK) {
        free(ctx);
        return rc;
    }
    ctx->p = p;
    ctx->opts = opts;
    if ((rc = pond_export_progress_new(&ctx->progress, opts)) != POND_OK)
        goto done;
    if ((rc = pond_fs_abspath(opts->dir, &b)) != POND_OK)
        goto done;
    if (!(ctx->dir = pond_buf_detach(&b))) {
        rc = pond_error_oom();
        goto done;
    }
    if ((rc = find_pond(ctx)) != POND_OK)
        goto done;
    if (!opts->dry_run) {
        if (pond_fs_exists(ctx->dir) && !pond_fs_is_dir(ctx->dir)) {
            rc = pond_error_set(POND_EEXISTS, "output directory '%s' is not a directory",
                                ctx->dir);
            goto done;
        }
        if ((rc = create_dir_tracked(ctx, ctx->dir)) != POND_OK)
            goto done;
        int recovered;
        if ((rc = pond_journal_recover(ctx->dir, &recovered)) != POND_OK)
            goto done;
        if (recovered == 1)
            pond_export_ctx_log(ctx, "undid an interrupted export in '%s'", ctx->dir);
        else if (recovered > 1)
            pond_export_ctx_log(ctx, "undid %d interrupted exports in '%s'", recovered,
                                ctx->dir);
        if ((rc = pond_fs_mktemp_dir(ctx->dir, ".pond-staging-", &b)) != POND_OK) {
            rc = pond_error_wrap(rc, "cannot write in output directory '%s'", ctx->dir);
            goto done;
        }
        if (!(ctx->staging = pond_buf_detach(&b))) {
            rc = pond_error_oom();
            goto done;
        }
        if ((rc = pond_journal_mark_owner(ctx->staging)) != POND_OK)
            goto done;
        if ((rc = pond_buf_printf(&b, "%s/out", ctx->staging)) != POND_OK)
            goto done;
        if (mkdir(b.ptr, 0777) != 0) {
            rc = pond_error_set(POND_ERROR, "cannot create '%s': %s", b.ptr, strerror(errno));
            goto done;
        }
        if (!(ctx->out = pond_buf_detach(&b))) {
            rc = pond_error_oom();
            goto done;
        }
    }
    if (opts->update && (rc = load_old_manifest(ctx)) != POND_OK)
        goto done;
    if (duckdb_open(NULL, &ctx->db) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot open the export context database");
        goto done;
    }
    if (duckdb_connect(ctx->db, &ctx->con) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot connect to the export context database");
        goto done;
    }
    if ((rc = set_timezone(ctx, opts->timezone ? opts->timezone : "UTC")) != POND_OK)
        goto done;
    /* Settings of pond's own come before the lock: after it no SET is possible. */
    if (pond_export_progress_wanted(ctx->progress))
        pond__duck_progress_enable(ctx->con);
    if ((rc = lock_down(ctx)) != POND_OK)
        goto done;
    if ((rc = query(ctx, pond_export_metadata_ddl, "cannot create export_metadata")) != POND_OK)
        goto done;
    if (duckdb_appender_create(ctx->con, NULL, "export_metadata", &ctx->app) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot create the export_metadata appender: %s",
                            duckdb_appender_error(ctx->app));
        goto done;
    }
    if ((rc = pond_export_ctx_add_table(ctx, "export_metadata")) != POND_OK)
        goto done;
    *out = ctx;
    ctx = NULL;
done:
    pond_buf_free(&b);
    pond_export_ctx_free(ctx);
    return rc;
}

void pond_export_ctx_free(pond_export_ctx *ctx)
{
    if (!ctx)
        return;
    if (ctx->app)
        duckdb_appender_destroy(&ctx->app);
    if (ctx->con)
        duckdb_disconnect(&ctx->con);
    if (ctx->db)
        duckdb_close(&ctx->db);
    if (ctx->staging || ctx->ncreated) {
        /* Cleaning up must not replace the error that made the run fail. */
        int saved_code = pond_error_last_code();
        pond_buf keep = POND_BUF_INIT;
        pond_buf_puts(&keep, pond_error_last());
        if (ctx->staging)
            pond_journal_remove_staging(ctx->staging);
        /* Directories the run made for DIR go again unless the run committed into them. */
        for (size_t i = ctx->ncreated; i-- > 0 && !ctx->committed;)
            rmdir(ctx->created[i]);
        if (saved_code != POND_OK)
            pond_error_set(saved_code, "%s", keep.ptr);
        else
            pond_error_clear();
        pond_buf_free(&keep);
    }
    for (size_t i = 0; i < ctx->ncreated; i++)
        free(ctx->created[i]);
    free(ctx->created);
    for (size_t i = 0; i < ctx->nclaims; i++) {
        free(ctx->claims[i].rel);
        free(ctx->claims[i].source);
    }
    free(ctx->claims);
    pond_claim_index_free(ctx->claimed);
    for (size_t i = 0; i < ctx->ntables; i++)
        free(ctx->tables[i]);
    free(ctx->tables);
    free(ctx->staging);
    free(ctx->pond_rel);
    free(ctx->out);
    free(ctx->dir);
    pond_buf_free(&ctx->made_dir);
    pond_buf_free(&ctx->missing_dir);
    pond_manifest_free(&ctx->old);
    pond_manifest_free(&ctx->manifest);
    str_list_free(&ctx->parts);
    str_list_free(&ctx->removes);
    pond_export_progress_free(ctx->progress);
    free(ctx);
}

/* ---- accessors --------------------------------------------------------------------------- */

duckdb_connection pond_export_ctx_con(pond_export_ctx *ctx) { return ctx->con; }

const pond_export_options *pond_export_ctx_options(pond_export_ctx *ctx) { return ctx->opts; }

pond *pond_export_ctx_pond(pond_export_ctx *ctx) { return ctx->p; }

const char *pond_export_ctx_dir(pond_export_ctx *ctx) { return ctx->dir; }

const char *pond_export_ctx_staging(pond_export_ctx *ctx)
{
    return ctx->staging ? ctx->staging : "";
}

int pond_export_ctx_dry_run(pond_export_ctx *ctx) { return ctx->opts->dry_run != 0; }

size_t pond_export_ctx_moved(pond_export_ctx *ctx) { return ctx->moved; }

pond_export_progress *pond_export_ctx_progress(pond_export_ctx *ctx) { return ctx->progress; }

void pond_export_ctx_log(pond_export_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pond_export_progress_vnote(ctx->progress, fmt, ap); /* a cancel is seen by the runner */
    va_end(ap);
}

/* ---- claims ------------------------------------------------------------------------------ */

int pond_export_ctx_claim(pond_export_ctx *ctx, const char *rel_path, pond_buf *staged_path)
{
    return pond_export_ctx_claim_output(ctx, rel_path, 0, NULL, staged_path);
}

/* Something in DIR already at rel, or a non-directory where one of rel's parents must go.
 * Nothing is below a directory DIR lacks: the check stops there, and remembers it
 * (ctx->missing_dir), so that the files of one new directory (template pages) cost no stat
 * each.  (The commit checks every output again before it moves anything.) */
static int check_existing(pond_export_ctx *ctx, const char *rel)
{
    int rc = POND_OK;
    pond_buf b = POND_BUF_INIT;
    const char *p = rel;
    size_t nm = ctx->missing_dir.len;

    if (nm && strncmp(rel, ctx->missing_dir.ptr, nm) == 0 && rel[nm] == '/')
        return POND_OK;
    for (;;) {
        const char *e = strchr(p, '/');
        pond_buf_clear(&b);
        if ((rc = pond_buf_printf(&b, "%s/%.*s", ctx->dir,
                                  (int)(e ? (size_t)(e - rel) : strlen(rel)), rel)) != POND_OK)
            goto done;
        if (e && !pond_fs_exists(b.ptr)) {
            pond_buf_clear(&ctx->missing_dir);
            if (pond_buf_put(&ctx->missing_dir, rel, (size_t)(e - rel)) != POND_OK)
                pond_buf_clear(&ctx->missing_dir); /* no cache then: still correct */
            break;
        }
        if (!e) {
            /* --update may replace what the manifest says the last export wrote */
            int listed = ctx->has_old && pond_manifest_find(&ctx->old, rel) != NULL;
            if (pond_fs_exists(b.ptr) && !ctx->opts->overwrite && !listed)
                rc = pond_error_set(POND_EEXISTS,
                                    "output '%s' already exists in '%s' (use --update to bring "
                                    "it up to date, or --overwrite to replace it)",
                                    rel, ctx->dir);
            break;
        }
        if (!pond_fs_is_dir(b.ptr)) {
            rc = pond_error_set(POND_EEXISTS,
                                "output '%s': '%s' exists in '%s' and is not a directory", rel,
                                b.ptr + strlen(ctx->dir) + 1, ctx->dir);
            goto done;
        }
        p = e + 1;
    }
done:
    pond_buf_free(&b);
    return rc;
}

int pond_export_ctx_claim_output(pond_export_ctx *ctx, const char *rel_path, int is_dir,
                                 const char *source, pond_buf *staged_path)
{
    int rc;
    claim c = {NULL, NULL, is_dir, 0};

    pond_buf_clear(staged_path);
    if ((rc = check_rel(rel_path)) != POND_OK || (rc = check_pond(ctx, rel_path)) != POND_OK)
        return rc;
    long overlap = pond_claim_index_find_overlap(ctx->claimed, rel_path);
    if (overlap >= 0) {
        const claim *o = &ctx->claims[overlap];
        if (strcmp(o->rel, rel_path) == 0)
            return pond_error_set(POND_EEXISTS, "'%s' and '%s' would both write '%s'",
                                  o->source ? o->source : "an earlier output",
                                  source ? source : "another output", rel_path);
        return pond_error_set(POND_EEXISTS, "'%s' (output '%s') and '%s' (output '%s') overlap",
                              o->source ? o->source : "an earlier output", o->rel,
                              source ? source : "another output", rel_path);
    }
    if ((rc = check_existing(ctx, rel_path)) != POND_OK)
        return rc;
    if (ctx->nclaims == ctx->capclaims) {
        size_t ncap = ctx->capclaims ? ctx->capclaims * 2 : 16;
        claim *nc = realloc(ctx->claims, ncap * sizeof *nc);
        if (!nc)
            return pond_error_oom();
        ctx->claims = nc;
        ctx->capclaims = ncap;
    }
    if (!(c.rel = strdup(rel_path)) || (source && !(c.source = strdup(source)))) {
        free(c.rel);
        return pond_error_oom();
    }
    if ((rc = pond_claim_index_add(ctx->claimed, c.rel, ctx->nclaims)) != POND_OK) {
        free(c.rel);
        free(c.source);
        return rc;
    }
    ctx->claims[ctx->nclaims++] = c;

    if (ctx->opts->dry_run)
        return pond_buf_printf(staged_path, "%s/%s", ctx->dir, rel_path);
    if ((rc = pond_buf_printf(staged_path, "%s/%s", ctx->out, rel_path)) != POND_OK)
        return rc;
    if (is_dir)
        return pond_fs_mkdir_p(staged_path->ptr);
    char *slash = strrchr(staged_path->ptr, '/');
    *slash = '\0';
    if (ctx->made_dir.len && strcmp(ctx->made_dir.ptr, staged_path->ptr) == 0) {
        *slash = '/';
        return POND_OK; /* made for the previous claim */
    }
    rc = pond_fs_mkdir_p(staged_path->ptr);
    pond_buf_clear(&ctx->made_dir);
    if (rc == POND_OK && pond_buf_puts(&ctx->made_dir, staged_path->ptr) != POND_OK)
        pond_buf_clear(&ctx->made_dir); /* no cache then: still correct */
    *slash = '/';
    return rc;
}

/* ---- export_metadata --------------------------------------------------------------------- */

static int append_row(pond_export_ctx *ctx, const pond_export_record *rec, int32_t group,
                      const char *value)
{
    duckdb_appender a = ctx->app;
    int bad = 0;

    bad |= duckdb_append_varchar(a, rec->pattern ? rec->pattern : "") == DuckDBError;
    bad |= duckdb_append_int32(a, group) == DuckDBError;
    bad |= duckdb_append_varchar(a, value) == DuckDBError;
    bad |= duckdb_append_varchar(a, rec->file_path) == DuckDBError;
    bad |= (rec->has_start ? duckdb_append_int64(a, rec->start_time) : duckdb_append_null(a)) ==
           DuckDBError;
    bad |= (rec->has_end ? duckdb_append_int64(a, rec->end_time) : duckdb_append_null(a)) ==
           DuckDBError;
    bad |= (rec->has_row_count ? duckdb_append_int64(a, rec->row_count)
                               : duckdb_append_null(a)) == DuckDBError;
    bad |= duckdb_append_int32(a, rec->stage) == DuckDBError;
    bad |= (rec->source ? duckdb_append_varchar(a, rec->source) : duckdb_append_null(a)) ==
           DuckDBError;
    bad |= duckdb_append_bool(a, !rec->kept) == DuckDBError;
    if (!bad)
        bad = duckdb_appender_end_row(a) == DuckDBError;
    if (bad)
        return pond_error_set(POND_ERROR, "cannot append to export_metadata for '%s': %s",
                              rec->file_path, duckdb_appender_error(a));
    return POND_OK;
}

int pond_export_ctx_record(pond_export_ctx *ctx, const pond_export_record *rec)
{
    int rc;
    if (!rec->file_path)
        return pond_error_set(POND_EINVALID, "export_metadata record without a file path");
    if (!rec->caps || rec->caps->n == 0)
        return append_row(ctx, rec, -1, "");
    for (size_t i = 0; i < rec->caps->n; i++)
        if ((rc = append_row(ctx, rec, (int32_t)i, rec->caps->v[i])) != POND_OK)
            return rc;
    return POND_OK;
}

int pond_export_ctx_flush(pond_export_ctx *ctx)
{
    if (duckdb_appender_flush(ctx->app) == DuckDBError)
        return pond_error_set(POND_ERROR, "cannot flush export_metadata: %s",
                              duckdb_appender_error(ctx->app));
    return POND_OK;
}

/* ---- tables ------------------------------------------------------------------------------ */

int pond_export_ctx_has_table(pond_export_ctx *ctx, const char *name)
{
    for (size_t i = 0; i < ctx->ntables; i++)
        if (strcmp(ctx->tables[i], name) == 0)
            return 1;
    return 0;
}

int pond_export_ctx_add_table(pond_export_ctx *ctx, const char *name)
{
    if (!pond_export__sql_ident_ok(name))
        return pond_error_set(POND_EINVALID,
                              "table name '%s' is not an identifier ([A-Za-z_][A-Za-z0-9_]*, at most 63 "
                              "bytes)",
                              name);
    if (pond_export_ctx_has_table(ctx, name))
        return pond_error_set(POND_EEXISTS, "table '%s' already exists in the export context",
                              name);
    char **nt = realloc(ctx->tables, (ctx->ntables + 1) * sizeof *nt);
    if (!nt)
        return pond_error_oom();
    ctx->tables = nt;
    if (!(ctx->tables[ctx->ntables] = strdup(name)))
        return pond_error_oom();
    ctx->ntables++;
    return POND_OK;
}

/* <staging>/tables/<t>.parquet, and (when dir is not NULL) dir/<t>.parquet. */
static int table_paths(pond_export_ctx *ctx, const char *t, const char *dir, pond_buf *staged,
                       pond_buf *final)
{
    int rc;
    pond_buf_clear(staged);
    if ((rc = pond_buf_printf(staged, "%s/tables/%s.parquet", ctx->staging, t)) || !dir)
        return rc;
    pond_buf_clear(final);
    return pond_buf_printf(final, "%s/%s.parquet", dir, t);
}

int pond_export_check_dump_dir(const char *dir, const char *const *tables, size_t n,
                               int overwrite)
{
    int rc = POND_OK;
    pond_buf path = POND_BUF_INIT;

    if (pond_fs_exists(dir) && !pond_fs_is_dir(dir))
        return pond_error_set(POND_EEXISTS, "--dump-tables directory '%s' is not a directory",
                              dir);
    for (size_t i = 0; i < n && rc == POND_OK && !overwrite; i++) {
        pond_buf_clear(&path);
        if ((rc = pond_buf_printf(&path, "%s/%s.parquet", dir, tables[i])) == POND_OK &&
            pond_fs_exists(path.ptr))
            rc = pond_error_set(POND_EEXISTS,
                                "table '%s' already exists in '%s' (use --overwrite to replace "
                                "it)",
                                tables[i], dir);
    }
    pond_buf_free(&path);
    return rc;
}

int pond_export_ctx_dump_tables(pond_export_ctx *ctx)
{
    int rc = POND_OK;
    pond_buf sql = POND_BUF_INIT, path = POND_BUF_INIT;
    duckdb_prepared_statement st = NULL;
    duckdb_result res;

    if (ctx->opts->dry_run)
        return POND_OK;
    if ((rc = pond_export_ctx_flush(ctx)) != POND_OK)
        goto done;
    if ((rc = pond_buf_printf(&path, "%s/tables", ctx->staging)) != POND_OK)
        goto done;
    if (mkdir(path.ptr, 0777) != 0) {
        rc = pond_error_set(POND_ERROR, "cannot create '%s': %s", path.ptr, strerror(errno));
        goto done;
    }
    for (size_t i = 0; i < ctx->ntables; i++) {
        const char *t = ctx->tables[i];
        /* t is a validated identifier (add_table), so quoting it is safe. */
        pond_buf_clear(&sql);
        if ((rc = pond_buf_printf(&sql, "COPY (FROM \"%s\") TO $1 (FORMAT PARQUET)", t)) ||
            (rc = table_paths(ctx, t, NULL, &path, NULL)))
            goto done;
        if (duckdb_prepare(ctx->con, sql.ptr, &st) == DuckDBError) {
            rc = pond_error_set(POND_ERROR, "cannot dump table '%s': %s", t,
                                duckdb_prepare_error(st));
            goto done;
        }
        duckdb_bind_varchar(st, 1, path.ptr);
        if (duckdb_execute_prepared(st, &res) == DuckDBError)
            rc = pond_error_set(POND_ERROR, "cannot dump table '%s': %s", t,
                                duckdb_result_error(&res));
        duckdb_destroy_result(&res);
        duckdb_destroy_prepare(&st);
        if (rc != POND_OK)
            goto done;
    }
done:
    duckdb_destroy_prepare(&st);
    pond_buf_free(&sql);
    pond_buf_free(&path);
    return rc;
}

int pond_export_ctx_install_tables(pond_export_ctx *ctx, const char *dir)
{
    int rc = POND_OK;
    pond_buf staged = POND_BUF_INIT, final = POND_BUF_INIT;
    char **tmps = NULL;
    size_t ntmps = 0;

    if (ctx->opts->dry_run)
        return POND_OK;
    if ((rc = pond_fs_mkdir_p(dir)) != POND_OK) {
        rc = pond_error_wrap(rc, "cannot create --dump-tables directory '%s'", dir);
        goto done;
    }
    if ((rc = pond_export_check_dump_dir(dir, (const char *const *)ctx->tables, ctx->ntables,
                                         ctx->opts->overwrite)) != POND_OK)
        goto done;
    if (!(tmps = calloc(ctx->ntables ? ctx->ntables : 1, sizeof *tmps))) {
        rc = pond_error_oom();
        goto done;
    }
    /* Every table beside its final name first, then the renames. */
    for (; ntmps < ctx->ntables; ntmps++) {
        pond_buf tmp = POND_BUF_INIT;
        if ((rc = table_paths(ctx, ctx->tables[ntmps], dir, &staged, &final)) ||
            (rc = pond_fs_move_beside(staged.ptr, final.ptr, &tmp)))
            goto done;
        if (!(tmps[ntmps] = pond_buf_detach(&tmp))) {
            rc = pond_error_oom();
            goto done;
        }
    }
    for (size_t i = 0; i < ntmps; i++) {
        if ((rc = table_paths(ctx, ctx->tables[i], dir, &staged, &final)) ||
            (rc = pond_fs_rename(tmps[i], final.ptr)))
            goto done;
        free(tmps[i]);
        tmps[i] = NULL;
    }
    rc = pond_fs_fsync_path(dir);
done:
    for (size_t i = 0; i < ntmps; i++)
        if (tmps[i]) {
            unlink(tmps[i]);
            free(tmps[i]);
        }
    free(tmps);
    pond_buf_free(&staged);
    pond_buf_free(&final);
    if (rc != POND_OK)
        rc = pond_error_wrap(rc, "the export is in '%s', but its tables were not written to "
                                 "'%s'", ctx->dir, dir);
    return rc;
}

/* ---- --update ---------------------------------------------------------------------------- */

const pond_manifest *pond_export_ctx_old_manifest(pond_export_ctx *ctx)
{
    return ctx->has_old ? &ctx->old : NULL;
}

pond_manifest *pond_export_ctx_manifest(pond_export_ctx *ctx) { return &ctx->manifest; }

int pond_export_ctx_keep_last(pond_export_ctx *ctx, int partial)
{
    claim *c;
    pond_buf staged = POND_BUF_INIT;
    int rc = POND_OK;

    if (ctx->nclaims == 0)
        return pond_error_set(POND_ERROR, "no output claimed to keep");
    c = &ctx->claims[ctx->nclaims - 1];
    c->partial = partial;
    if (!partial && !ctx->opts->dry_run &&
        (rc = pond_buf_printf(&staged, "%s/%s", ctx->out, c->rel)) == POND_OK &&
        pond_fs_is_dir(staged.ptr))
        rc = pond_fs_rm_rf(staged.ptr);
    pond_buf_free(&staged);
    return rc;
}

int pond_export_ctx_replace_part(pond_export_ctx *ctx, const char *rel)
{
    return str_list_push(&ctx->parts, rel);
}

int pond_export_ctx_remove(pond_export_ctx *ctx, const char *rel)
{
    return str_list_push(&ctx->removes, rel);
}

/* 1 when DIR's manifest has exactly the bytes of the staged one. */
static int same_file_bytes(pond_export_ctx *ctx, const char *staged)
{
    pond_buf a = POND_BUF_INIT, b = POND_BUF_INIT, final = POND_BUF_INIT;
    int same = pond_buf_printf(&final, "%s/" POND_MANIFEST_NAME, ctx->dir) == POND_OK &&
               pond_fs_read_file(final.ptr, &a) == POND_OK &&
               pond_fs_read_file(staged, &b) == POND_OK && a.len == b.len &&
               memcmp(a.ptr, b.ptr, a.len) == 0;
    pond_error_clear();
    pond_buf_free(&a);
    pond_buf_free(&b);
    pond_buf_free(&final);
    return same;
}

int pond_export_ctx_finish_manifest(pond_export_ctx *ctx, size_t *removed)
{
    int rc = POND_OK;
    pond_buf path = POND_BUF_INIT;

    *removed = 0;
    pond_manifest_sort(&ctx->manifest);
    for (size_t i = 0; ctx->has_old && i < ctx->old.n; i++) {
        const char *rel = ctx->old.v[i].rel;
        if (pond_manifest_find(&ctx->manifest, rel) ||
            pond_claim_index_find_overlap(ctx->claimed, rel) >= 0)
            continue; /* made again, or in the way of what is made now (replaced by it) */
        if ((rc = check_rel(rel)) != POND_OK || (rc = check_pond(ctx, rel)) != POND_OK ||
            (rc = pond_export_ctx_remove(ctx, rel)) != POND_OK)
            goto done;
        if (ctx->opts->dry_run)
            pond_export_ctx_log(ctx, "would remove %s/%s", ctx->dir, rel);
        (*removed)++;
    }
    if (ctx->opts->dry_run)
        goto done;
    if ((rc = pond_buf_printf(&path, "%s/" POND_MANIFEST_NAME, ctx->out)) != POND_OK ||
        (rc = pond_manifest_write(&ctx->manifest, path.ptr)) != POND_OK)
        goto done;
    ctx->manifest_staged = !same_file_bytes(ctx, path.ptr);
    if (!ctx->manifest_staged)
        unlink(path.ptr); /* the same manifest is there already: DIR is left untouched */
done:
    pond_buf_free(&path);
    return rc;
}

/* ---- commit ------------------------------------------------------------------------------ */

static int push_step(step **steps, size_t *n, step_kind kind, const char *a, const char *b)
{
    step *ns = realloc(*steps, (*n + 1) * sizeof *ns);
    if (!ns)
        return pond_error_oom();
    *steps = ns;
    ns[*n].kind = kind;
    ns[*n].a = strdup(a);
    ns[*n].b = b ? strdup(b) : NULL;
    if (!ns[*n].a || (b && !ns[*n].b)) {
        free(ns[*n].a);
        free(ns[*n].b);
        return pond_error_oom();
    }
    (*n)++;
    return POND_OK;
}

/* Undo the journal backwards; best effort (each step was just done, so each undo should work). */
static void roll_back(step *steps, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        switch (steps[i].kind) {
        case STEP_MOVE:
            rename(steps[i].b, steps[i].a);
            break;
        case STEP_BACKUP:
            rename(steps[i].b, steps[i].a);
            break;
        case STEP_MKDIR:
            rmdir(steps[i].a);
            break;
        case STEP_RMDIR:
            mkdir(steps[i].a, 0777);
            break;
        }
    }
}

/* Make the missing parents of DIR/rel, journalled. */
static int make_parents(pond_export_ctx *ctx, const char *rel, step **steps, size_t *nsteps)
{
    int rc = POND_OK;
    pond_buf b = POND_BUF_INIT;
    const char *e = rel;

    while ((e = strchr(e, '/')) != NULL) {
        pond_buf_clear(&b);
        if ((rc = pond_buf_printf(&b, "%s/%.*s", ctx->dir, (int)(e - rel), rel)) != POND_OK)
            goto done;
        if (!pond_fs_exists(b.ptr)) {
            if ((rc = pond_journal_append(ctx->journal, 'D', b.ptr, NULL)) != POND_OK)
                goto done;
            if (mkdir(b.ptr, 0777) != 0) {
                rc = pond_error_set(POND_ERROR, "cannot create directory '%s': %s", b.ptr,
                                    strerror(errno));
                goto done;
            }
            if ((rc = push_step(steps, nsteps, STEP_MKDIR, b.ptr, NULL)) != POND_OK) {
                rmdir(b.ptr);
                goto done;
            }
        } else if (!pond_fs_is_dir(b.ptr)) {
            rc = pond_error_set(POND_EEXISTS, "cannot write output '%s': '%s' is not a directory",
                                rel, b.ptr);
            goto done;
        }
        e++;
    }
done:
    pond_buf_free(&b);
    return rc;
}

/* The commit's state: its steps (undone backwards on failure) and its test hooks. */
typedef struct committer {
    pond_export_ctx *ctx;
    step *steps;
    size_t nsteps, moves, asides;
    long fail_after, kill_after;
    pond_buf staged, final, old;
} committer;

/* Test hooks, before each output's step: POND_TEST_FAIL_AFTER_MOVES=N fails the commit after N
 * outputs are in place or removed (to test the roll-back); POND_TEST_KILL_AFTER_MOVES=N kills
 * the process (SIGKILL) there (to test that the next export undoes the half-done commit). */
static int hooks(committer *c)
{
    if (c->kill_after >= 0 && (long)c->moves >= c->kill_after)
        raise(SIGKILL);
    if (c->fail_after >= 0 && (long)c->moves >= c->fail_after)
        return pond_error_set(POND_ERROR,
                              "injected failure after %zu outputs moved into place "
                              "(POND_TEST_FAIL_AFTER_MOVES)",
                              c->moves);
    return POND_OK;
}

/* Move DIR/<rel> (c->final) aside into staging/old/<n>, journalled. */
static int move_aside(committer *c)
{
    int rc;
    pond_buf_clear(&c->old);
    if ((rc = pond_buf_printf(&c->old, "%s/old/%zu", c->ctx->staging, c->asides++)) ||
        (rc = pond_journal_append(c->ctx->journal, 'B', c->final.ptr, c->old.ptr)) ||
        (rc = pond_fs_rename(c->final.ptr, c->old.ptr)))
        return rc;
    if ((rc = push_step(&c->steps, &c->nsteps, STEP_BACKUP, c->final.ptr, c->old.ptr))) {
        rename(c->old.ptr, c->final.ptr);
        return rc;
    }
    return POND_OK;
}

static int set_paths(committer *c, const char *rel)
{
    int rc;
    pond_buf_clear(&c->staged);
    pond_buf_clear(&c->final);
    if ((rc = pond_buf_printf(&c->staged, "%s/%s", c->ctx->out, rel)) == POND_OK)
        rc = pond_buf_printf(&c->final, "%s/%s", c->ctx->dir, rel);
    return rc;
}

/* Staged rel into DIR, the old one moved aside first (--overwrite, --update). */
static int install(committer *c, const char *rel, int may_replace)
{
    pond_export_ctx *ctx = c->ctx;
    int rc;

    if ((rc = set_paths(c, rel)) != POND_OK)
        return rc;
    if (!pond_fs_exists(c->staged.ptr))
        return POND_OK; /* claimed but not written (or kept) */
    if ((rc = hooks(c)) != POND_OK ||
        (rc = make_parents(ctx, rel, &c->steps, &c->nsteps)) != POND_OK)
        return rc;
    if (pond_fs_exists(c->final.ptr)) {
        if (!may_replace)
            return pond_error_set(POND_EEXISTS, "output '%s' appeared in '%s' during the export",
                                  rel, ctx->dir);
        if ((rc = move_aside(c)) != POND_OK)
            return rc;
    }
    if ((rc = pond_journal_append(ctx->journal, 'M', c->staged.ptr, c->final.ptr)) != POND_OK ||
        (rc = pond_fs_rename(c->staged.ptr, c->final.ptr)) != POND_OK)
        return rc;
    if ((rc = push_step(&c->steps, &c->nsteps, STEP_MOVE, c->staged.ptr, c->final.ptr))) {
        rename(c->final.ptr, c->staged.ptr);
        return rc;
    }
    c->moves++;
    return POND_OK;
}

/* DIR/rel removed (moved aside; dropped with the staging directory after the commit), and
 * the directories above it that this leaves empty, journalled. */
static int remove_output(committer *c, const char *rel)
{
    pond_export_ctx *ctx = c->ctx;
    int rc;
    if ((rc = set_paths(c, rel)) != POND_OK || !pond_fs_exists(c->final.ptr))
        return rc;
    if ((rc = hooks(c)) != POND_OK || (rc = move_aside(c)) != POND_OK)
        return rc;
    c->moves++;
    size_t top = strlen(ctx->dir);
    char *slash;
    while ((slash = strrchr(c->final.ptr, '/')) != NULL && (size_t)(slash - c->final.ptr) > top) {
        *slash = '\0';
        if (pond_fs_dir_is_empty(c->final.ptr) != 1)
            break;
        if ((rc = pond_journal_append(ctx->journal, 'R', c->final.ptr, NULL)) != POND_OK)
            return rc;
        if (rmdir(c->final.ptr) != 0)
            return pond_error_set(POND_ERROR, "cannot remove directory '%s': %s", c->final.ptr,
                                  strerror(errno));
        if ((rc = push_step(&c->steps, &c->nsteps, STEP_RMDIR, c->final.ptr, NULL)) != POND_OK) {
            mkdir(c->final.ptr, 0777);
            return rc;
        }
    }
    return POND_OK;
}

int pond_export_ctx_commit(pond_export_ctx *ctx)
{
    int rc = POND_OK;
    const char *fail_env = getenv("POND_TEST_FAIL_AFTER_MOVES");
    const char *kill_env = getenv("POND_TEST_KILL_AFTER_MOVES");
    committer c = {ctx, NULL, 0, 0, 0, -1, -1, POND_BUF_INIT, POND_BUF_INIT, POND_BUF_INIT};
    int may_replace = ctx->opts->overwrite || ctx->opts->update;

    c.fail_after = fail_env && *fail_env ? strtol(fail_env, NULL, 10) : -1;
    c.kill_after = kill_env && *kill_env ? strtol(kill_env, NULL, 10) : -1;
    if (ctx->opts->dry_run || ctx->committed)
        return POND_OK;
    if ((rc = pond_buf_printf(&c.old, "%s/old", ctx->staging)) != POND_OK)
        goto done;
    if (mkdir(c.old.ptr, 0700) != 0) {
        rc = pond_error_set(POND_ERROR, "cannot create '%s': %s", c.old.ptr, strerror(errno));
        goto done;
    }
    if ((rc = pond_journal_open(&ctx->journal, ctx->staging)) != POND_OK)
        goto done;
    /* removals, whole outputs, parts of partial ones, and the manifest last: until its
     * move the old manifest describes DIR, after it the new one does */
    for (size_t i = 0; i < ctx->removes.n; i++)
        if ((rc = remove_output(&c, ctx->removes.v[i])) != POND_OK)
            goto done;
    for (size_t i = 0; i < ctx->nclaims; i++)
        if (!ctx->claims[i].partial &&
            (rc = install(&c, ctx->claims[i].rel, may_replace)) != POND_OK)
            goto done;
    for (size_t i = 0; i < ctx->parts.n; i++)
        if ((rc = install(&c, ctx->parts.v[i], 1)) != POND_OK)
            goto done;
    if (ctx->manifest_staged && (rc = install(&c, POND_MANIFEST_NAME, 1)) != POND_OK)
        goto done;
    pond_fs_fsync_path(ctx->dir);
    if ((rc = pond_journal_append(ctx->journal, 'C', NULL, NULL)) != POND_OK)
        goto done;
    ctx->committed = 1;
    ctx->moved = c.moves;
done:
    if (rc != POND_OK)
        roll_back(c.steps, c.nsteps);
    if (ctx->journal >= 0) {
        close(ctx->journal);
        ctx->journal = -1;
    }
    for (size_t i = 0; i < c.nsteps; i++) {
        free(c.steps[i].a);
        free(c.steps[i].b);
    }
    free(c.steps);
    pond_buf_free(&c.staged);
    pond_buf_free(&c.final);
    pond_buf_free(&c.old);
    return rc;
}

/* ---- the result -------------------------------------------------------------------------- */

int pond_export_ctx_take_tables(pond_export_ctx *ctx, duckdb_database *db,
                                duckdb_connection *con, char ***names, size_t *ntables)
{
    int rc;
    if ((rc = pond_export_ctx_flush(ctx)) != POND_OK)
        return rc;
    duckdb_appender_destroy(&ctx->app);
    *db = ctx->db;
    *con = ctx->con;
    *names = ctx->tables;
    *ntables = ctx->ntables;
    ctx->db = NULL;
    ctx->con = NULL;
    ctx->tables = NULL;
    ctx->ntables = 0;
    return POND_OK;
}
