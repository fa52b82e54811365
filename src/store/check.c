/*
 * store/check.c: pond_check, the pond's content against its catalog.
 *
 * Problems (the pond is corrupt, POND_ECORRUPT): a version whose content file is missing, or
 * has another size or sha256 than recorded; a file entry without versions.  Each distinct
 * content file is hashed once (streamed), however many versions share it.
 * Orphans (harmless, left by a crash or an interrupted write): files under data/ that no
 * version refers to, and anything under tmp/ except this handle's own directory.  repair
 * removes orphans; it never touches a referenced content file.
 */
#include "store/store_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/fs.h"

enum { CONTENT_OK, CONTENT_MISSING, CONTENT_SIZE, CONTENT_SHA };

typedef struct content_status {
    char *sha256;
    int64_t expected_size;
    int status;
    int64_t size;   /* found */
    char found[65]; /* found sha256 */
} content_status;

typedef struct checker {
    pond *p;
    int repair;
    pond_check_report *r;
    pond_check_fn fn;
    void *ctx;
    content_status *v;
    size_t n;
} checker;

static void finding(checker *c, const char *fmt, ...) POND_PRINTF(2, 3);

static void finding(checker *c, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (c->fn)
        c->fn(text, c->ctx);
}

static int cmp_status(const void *a, const void *b)
{
    return strcmp(((const content_status *)a)->sha256, ((const content_status *)b)->sha256);
}

static content_status *find_status(checker *c, const char *sha)
{
    content_status key;
    key.sha256 = (char *)sha;
    return c->n ? bsearch(&key, c->v, c->n, sizeof *c->v, cmp_status) : NULL;
}

/* Verify every distinct content file once. */
static int verify_contents(checker *c)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    pond_buf path = POND_BUF_INIT;
    size_t cap = 0, i;
    int rc;

    memset(&rows, 0, sizeof rows);
    rc = store_db_prepare(c->p->con, "cannot read the catalog",
                          "SELECT sha256, max(size) FROM version GROUP BY sha256 ORDER BY sha256",
                          &stmt);
    if (rc < 0)
        goto done;
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the catalog", &rows)) < 0)
        goto done;
    while (store_rows_next(&rows)) {
        content_status *s;
        if (c->n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            content_status *nv = realloc(c->v, ncap * sizeof *nv);
            if (!nv) {
                rc = pond_error_oom();
                goto done;
            }
            c->v = nv;
            cap = ncap;
        }
        s = &c->v[c->n];
        memset(s, 0, sizeof *s);
        if (!(s->sha256 = store_rows_str(&rows, 0))) {
            rc = pond_error_oom();
            goto done;
        }
        s->expected_size = store_rows_i64(&rows, 1, NULL);
        c->n++;
    }
    store_rows_free(&rows);
    /* the catalog's sort order and strcmp agree for lowercase hex */
    if (c->n > 1)
        qsort(c->v, c->n, sizeof *c->v, cmp_status);
    for (i = 0; i < c->n; i++) {
        content_status *s = &c->v[i];
        struct stat st;
        if ((rc = store_content_path(c->p, s->sha256, &path)) < 0)
            goto done;
        if (stat(path.ptr, &st) != 0 || !S_ISREG(st.st_mode)) {
            s->status = CONTENT_MISSING;
            continue;
        }
        if (st.st_size != s->expected_size) {
            s->status = CONTENT_SIZE;
            s->size = st.st_size;
            continue;
        }
        rc = store_sha256_file(path.ptr, s->found, &s->size);
        if (rc < 0)
            goto done;
        if (strcmp(s->found, s->sha256) != 0)
            s->status = CONTENT_SHA;
    }
    rc = POND_OK;
done:
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    pond_buf_free(&path);
    return rc;
}

/* Report each version against the status of its content. */
static int report_versions(checker *c)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    int rc;

    memset(&rows, 0, sizeof rows);
    rc = store_db_prepare(c->p->con, "cannot read the catalog",
                          "SELECT e.path, v.version, v.sha256, v.size FROM version v "
                          "JOIN entry e ON e.id = v.entry_id "
                          "ORDER BY string_split(e.path, '/'), v.version",
                          &stmt);
    if (rc < 0)
        goto done;
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the catalog", &rows)) < 0)
        goto done;
    while (store_rows_next(&rows)) {
        char *path = store_rows_str(&rows, 0), *sha = store_rows_str(&rows, 2);
        int64_t version = store_rows_i64(&rows, 1, NULL), size = store_rows_i64(&rows, 3, NULL);
        content_status *s = path && sha ? find_status(c, sha) : NULL;

        c->r->versions_checked++;
        if (s && s->status != CONTENT_OK) {
            c->r->problems++;
            if (s->status == CONTENT_MISSING)
                finding(c, "missing content for %s version %lld: data/%.2s/%s", path,
                        (long long)version, sha, sha);
            else if (s->status == CONTENT_SIZE)
                finding(c,
                        "damaged content for %s version %lld: data/%.2s/%s has %lld bytes, "
                        "expected %lld",
                        path, (long long)version, sha, sha, (long long)s->size, (long long)size);
            else
                finding(c, "damaged content for %s version %lld: data/%.2s/%s has sha256 %s", path,
                        (long long)version, sha, sha, s->found);
        }
        free(path);
        free(sha);
    }
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    /* file entries without any version */
    rc = store_db_prepare(c->p->con, "cannot read the catalog",
                          "SELECT path FROM entry WHERE type LIKE 'file:%' AND id NOT IN "
                          "(SELECT entry_id FROM version) ORDER BY path",
                          &stmt);
    if (rc < 0)
        goto done;
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the catalog", &rows)) < 0)
        goto done;
    while (store_rows_next(&rows)) {
        char *path = store_rows_str(&rows, 0);
        c->r->problems++;
        finding(c, "no versions for file %s", path ? path : "?");
        free(path);
    }
done:
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

static void orphan(checker *c, const char *host_path, const char *shown, const char *what)
{
    c->r->orphans++;
    if (c->repair && pond_fs_rm_rf(host_path) == POND_OK) {
        c->r->repaired++;
        finding(c, "removed %s %s", what, shown);
    } else {
        finding(c, "%s %s", what, shown);
    }
}

static int is_hex64(const char *name)
{
    size_t i;
    for (i = 0; i < 64; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return 0;
    return name[64] == '\0';
}

/* Files under data/ that no version refers to. */
static int scan_data(checker *c)
{
    pond_buf sub = POND_BUF_INIT, file = POND_BUF_INIT, shown = POND_BUF_INIT;
    DIR *top = NULL, *d = NULL;
    struct dirent *de, *fe;
    int rc = POND_OK;

    if (!(top = opendir(c->p->data_dir)))
        return pond_error_set(POND_ERROR, "cannot read '%s': %s", c->p->data_dir, strerror(errno));
    while ((de = readdir(top))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        pond_buf_clear(&sub);
        pond_buf_clear(&shown);
        if ((rc = pond_buf_printf(&sub, "%s/%s", c->p->data_dir, de->d_name)) < 0 ||
            (rc = pond_buf_printf(&shown, "data/%s", de->d_name)) < 0)
            goto done;
        if (strlen(de->d_name) != 2 || !pond_fs_is_dir(sub.ptr)) {
            orphan(c, sub.ptr, shown.ptr, "orphan file");
            continue;
        }
        if (!(d = opendir(sub.ptr))) {
            rc = pond_error_set(POND_ERROR, "cannot read '%s': %s", sub.ptr, strerror(errno));
            goto done;
        }
        while ((fe = readdir(d))) {
            if (strcmp(fe->d_name, ".") == 0 || strcmp(fe->d_name, "..") == 0)
                continue;
            pond_buf_clear(&file);
            pond_buf_clear(&shown);
            if ((rc = pond_buf_printf(&file, "%s/%s", sub.ptr, fe->d_name)) < 0 ||
                (rc = pond_buf_printf(&shown, "data/%s/%s", de->d_name, fe->d_name)) < 0)
                goto done;
            if (strlen(fe->d_name) == 64 && is_hex64(fe->d_name) &&
                strncmp(fe->d_name, de->d_name, 2) == 0 && find_status(c, fe->d_name))
                continue;
            orphan(c, file.ptr, shown.ptr, "orphan content file");
        }
        closedir(d);
        d = NULL;
    }
done:
    if (d)
        closedir(d);
    closedir(top);
    pond_buf_free(&sub);
    pond_buf_free(&file);
    pond_buf_free(&shown);
    return rc;
}

/* Anything under tmp/ but this handle's own directory was left by an interrupted process. */
static int scan_tmp(checker *c)
{
    pond_buf tmp = POND_BUF_INIT, path = POND_BUF_INIT, shown = POND_BUF_INIT;
    DIR *d = NULL;
    struct dirent *de;
    int rc = POND_OK;

    if ((rc = pond_buf_printf(&tmp, "%s/tmp", c->p->path)) < 0)
        goto done;
    if (!(d = opendir(tmp.ptr)))
        goto done; /* no tmp/ at all: nothing left over */
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        pond_buf_clear(&path);
        pond_buf_clear(&shown);
        if ((rc = pond_buf_printf(&path, "%s/%s", tmp.ptr, de->d_name)) < 0 ||
            (rc = pond_buf_printf(&shown, "tmp/%s", de->d_name)) < 0)
            goto done;
        if (strcmp(path.ptr, c->p->tmp_dir) == 0)
            continue;
        orphan(c, path.ptr, shown.ptr, "leftover temporary file");
    }
done:
    if (d)
        closedir(d);
    pond_buf_free(&tmp);
    pond_buf_free(&path);
    pond_buf_free(&shown);
    return rc;
}

int pond_check(pond *p, int repair, pond_check_report *report, pond_check_fn fn, void *ctx)
{
    pond_check_report local;
    checker c;
    size_t i;
    int rc;

    memset(&c, 0, sizeof c);
    if (!report)
        report = &local;
    memset(report, 0, sizeof *report);
    c.p = p;
    c.repair = repair;
    c.r = report;
    c.fn = fn;
    c.ctx = ctx;
    if ((rc = verify_contents(&c)) < 0 || (rc = report_versions(&c)) < 0 ||
        (rc = scan_data(&c)) < 0 || (rc = scan_tmp(&c)) < 0)
        goto done;
    if (report->problems > 0)
        rc = pond_error_set(POND_ECORRUPT, "pond '%s' has %lld problem%s", p->path,
                            (long long)report->problems, report->problems == 1 ? "" : "s");
done:
    for (i = 0; i < c.n; i++)
        free(c.v[i].sha256);
    free(c.v);
    return rc;
}
