/*
 * store/check.c: pond_check, the pond against its catalog and the catalog against itself.
 *
 * Problems (the pond is corrupt, POND_ECORRUPT): a damaged catalog (check_catalog.c); a
 * version whose content file is missing, or has another size or sha256 than recorded; a file
 * entry without versions.  Each distinct content file is hashed once (streamed), however many
 * versions share it.
 * Orphans (harmless, left by a crash or an interrupted write; check_orphans.c): files under
 * data/ that no version refers to, and what no live handle holds under tmp/.  repair removes
 * orphans; it never touches a referenced content file, and removes nothing from data/ while
 * the catalog itself has problems.
 *
 * Concurrency.  Without repair the check is a reader: it reads one snapshot and waits for no
 * one.  Content files are written into data/ by a writer before its commit, so a file the
 * snapshot does not know is an orphan only if no writer was at work when data/ was listed:
 * data/ is listed first, then the write lock is probed (store_lock_probe), then the snapshot
 * is taken.  Any file listed while no writer held the lock was written by a writer that had
 * finished, so the snapshot, taken later, holds the commit that refers to it, if there was
 * one.  With repair the check holds the write lock throughout, so no writer is at work.
 */
#include "store/check_int.h"
#include "util/grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void vfinding(checker *c, const char *fmt, va_list ap)
{
    char text[2048];
    vsnprintf(text, sizeof text, fmt, ap);
    if (c->fn)
        c->fn(text, c->ctx);
}

void check_finding(checker *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfinding(c, fmt, ap);
    va_end(ap);
}

void check_problem(checker *c, const char *fmt, ...)
{
    va_list ap;
    c->r->problems++;
    va_start(ap, fmt);
    vfinding(c, fmt, ap);
    va_end(ap);
}

static int cmp_status(const void *a, const void *b)
{
    return strcmp(((const content_status *)a)->sha256, ((const content_status *)b)->sha256);
}

content_status *check_find_content(checker *c, const char *sha)
{
    content_status key;
    key.sha256 = (char *)sha;
    return c->n ? bsearch(&key, c->v, c->n, sizeof *c->v, cmp_status) : NULL;
}

/* The distinct content files the catalog refers to, with their recorded size. */
static int load_contents(checker *c)
{
    store_stmt st;
    size_t cap = 0;
    int rc;

    rc = store_sql_query(c->p, &st, "cannot read the catalog",
                         "SELECT sha256, max(size) FROM version GROUP BY sha256", STORE_NO_ARGS);
    while (rc == POND_OK && (rc = store_sql_next(&st)) == 1) {
        content_status *s;
        rc = POND_OK;
        if (POND_GROW(c->v, c->n, cap)) {
            rc = POND_ENOMEM;
            break;
        }
        s = &c->v[c->n];
        memset(s, 0, sizeof *s);
        if ((rc = store_sql_dup(&st, 0, &s->sha256)) < 0)
            break;
        if (!s->sha256)
            continue; /* a NULL sha256 is a problem integrity_check reports */
        s->expected_size = store_sql_int(&st, 1);
        c->n++;
    }
    store_sql_close(&st);
    if (rc == POND_OK && c->n > 1)
        qsort(c->v, c->n, sizeof *c->v, cmp_status);
    return rc;
}

/* Verify every distinct content file once. */
static int verify_contents(checker *c)
{
    pond_buf path = POND_BUF_INIT;
    size_t i;
    int rc;

    if ((rc = load_contents(c)) < 0)
        return rc;
    for (i = 0; i < c->n; i++) {
        content_status *s = &c->v[i];
        struct stat st;
        if ((rc = store_content_path(c->p, s->sha256, &path)) < 0)
            break;
        if (stat(path.ptr, &st) != 0 || !S_ISREG(st.st_mode)) {
            s->status = CONTENT_MISSING;
            continue;
        }
        if (st.st_size != s->expected_size) {
            s->status = CONTENT_SIZE;
            s->size = st.st_size;
            continue;
        }
        if ((rc = store_sha256_file(path.ptr, s->found, &s->size)) < 0)
            break;
        if (strcmp(s->found, s->sha256) != 0)
            s->status = CONTENT_SHA;
    }
    pond_buf_free(&path);
    return rc;
}

static void report_version(checker *c, const char *path, int64_t version, const char *sha,
                           int64_t size)
{
    content_status *s = check_find_content(c, sha);

    c->r->versions_checked++;
    if (!s || s->status == CONTENT_OK)
        return;
    if (s->status == CONTENT_MISSING)
        check_problem(c, "missing content for %s version %lld: data/%.2s/%s", path,
                      (long long)version, sha, sha);
    else if (s->status == CONTENT_SIZE)
        check_problem(c,
                      "damaged content for %s version %lld: data/%.2s/%s has %lld bytes, "
                      "expected %lld",
                      path, (long long)version, sha, sha, (long long)s->size, (long long)size);
    else
        check_problem(c, "damaged content for %s version %lld: data/%.2s/%s has sha256 %s",
                      path, (long long)version, sha, sha, s->found);
}

/* Report each version against the status of its content, and files without versions. */
static int report_versions(checker *c)
{
    store_stmt st;
    int rc;

    rc = store_sql_query(c->p, &st, "cannot read the catalog",
                         "SELECT e.path, v.version, v.sha256, v.size FROM version v "
                         "JOIN entry e ON e.id = v.entry_id "
                         "ORDER BY e.path COLLATE pond_path, v.version",
                         STORE_NO_ARGS);
    while (rc == POND_OK && (rc = store_sql_next(&st)) == 1) {
        const char *path = store_sql_text(&st, 0), *sha = store_sql_text(&st, 2);
        rc = POND_OK;
        if (path && sha)
            report_version(c, path, store_sql_int(&st, 1), sha, store_sql_int(&st, 3));
    }
    store_sql_close(&st);
    if (rc < 0)
        return rc;
    rc = store_sql_query(c->p, &st, "cannot read the catalog",
                         "SELECT path FROM entry WHERE type LIKE 'file:%' AND id NOT IN "
                         "(SELECT entry_id FROM version) ORDER BY path COLLATE pond_path",
                         STORE_NO_ARGS);
    while (rc == POND_OK && (rc = store_sql_next(&st)) == 1) {
        const char *path = store_sql_text(&st, 0);
        rc = POND_OK;
        check_problem(c, "no versions for file %s", path ? path : "?");
    }
    store_sql_close(&st);
    return rc;
}

/* The content checks; a damaged catalog met here is a problem, not a failure of the check. */
static int check_contents(checker *c)
{
    int rc = verify_contents(c);

    if (rc == POND_OK)
        rc = report_versions(c);
    if (rc == POND_ECORRUPT) {
        check_problem(c, "catalog: %s", pond_error_last());
        c->catalog_ok = 0;
        rc = POND_OK;
    }
    return rc;
}

/* Begin: with repair the write lock, else the listing of data/ and the probe (head comment);
 * then the snapshot. */
static int begin(checker *c)
{
    pond *p = c->p;
    int rc;

    if (c->repair) {
        if (p->read_only)
            return pond_error_set(POND_ERROR, "cannot repair pond '%s': it is read-only", p->path);
        if (p->txn || p->snapshot_depth > 0)
            return pond_error_set(POND_EINVALID,
                                  "cannot repair pond '%s' inside a transaction or snapshot",
                                  p->path);
        if ((rc = store_lock_acquire(p)) < 0)
            return rc;
    } else {
        if ((rc = check_list_data(c)) < 0)
            return rc;
        if ((rc = store_lock_probe(p, &c->holder)) < 0)
            return rc;
        c->writer_active = rc == 1;
    }
    if ((rc = store_read_begin(p)) < 0) {
        if (c->repair)
            store_lock_release(p);
        return rc;
    }
    if (c->repair && (rc = check_list_data(c)) < 0) {
        store_read_end(p);
        store_lock_release(p);
    }
    return rc;
}

int pond_check(pond *p, int repair, pond_check_report *report, pond_check_fn fn, void *ctx)
{
    pond_check_report local;
    checker c;
    size_t i;
    int rc;

    memset(&c, 0, sizeof c);
    c.holder = (pond_buf)POND_BUF_INIT;
    if (!report)
        report = &local;
    memset(report, 0, sizeof *report);
    c.p = p;
    c.repair = repair;
    c.r = report;
    c.fn = fn;
    c.ctx = ctx;
    if ((rc = begin(&c)) < 0)
        goto free;
    if ((rc = check_catalog(&c)) == POND_OK && (rc = check_contents(&c)) == POND_OK)
        rc = check_orphans(&c);
    store_read_end(p);
    if (repair)
        store_lock_release(p);
    if (rc == POND_OK && report->problems > 0)
        rc = pond_error_set(POND_ECORRUPT, "pond '%s' has %lld problem%s", p->path,
                            (long long)report->problems, report->problems == 1 ? "" : "s");
free:
    for (i = 0; i < c.n; i++)
        free(c.v[i].sha256);
    free(c.v);
    check_free_data(&c);
    pond_buf_free(&c.holder);
    return rc;
}
