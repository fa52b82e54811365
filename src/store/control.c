/*
 * store/control.c: the control file system (-f control), a read-only view of the
 * transaction log:
 *
 *     /            dir
 *     /txn         dir
 *     /txn/<seq>   file:table, one row: seq, id, start_time, end_time, status, command,
 *                  variables (the transaction's record)
 *
 * Entries are listed in tree order with /txn/<seq> in numeric order.  When content is asked
 * for (POND_WITH_VERSIONS, cat, copy out) the record is read from the catalog and written
 * once per handle by the work database as a small Parquet file in the handle's tmp dir
 * (removed by pond_close) and described as version 1, so its content_path reads like a data
 * table's.
 */
#include "store/store_int.h"
#include "util/grow.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glob/glob.h"
#include "util/fs.h"

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* "/txn/<digits>" -> seq; 0 when path is not of that form. */
static int64_t txn_path_seq(const char *path)
{
    const char *s;
    int64_t seq = 0;

    if (strncmp(path, "/txn/", 5) != 0 || !path[5] || path[5] == '0')
        return 0;
    for (s = path + 5; *s; s++) {
        if (*s < '0' || *s > '9' || seq > (INT64_MAX - 9) / 10)
            return 0;
        seq = seq * 10 + (*s - '0');
    }
    return seq;
}

/* 1 if transaction seq exists, 0 if not, <0 on error. */
static int txn_exists(pond *p, int64_t seq)
{
    int64_t n;
    int rc = store_sql_int_query(p, "cannot read the transaction log",
                                 "SELECT count(*) FROM txn WHERE seq = ?1",
                                 STORE_ARGS(STORE_INT(seq)), 0, &n);
    return rc < 0 ? rc : n > 0;
}

/* Write the record of transaction seq (read from the catalog) as a one-row Parquet file at
 * path, through the work database; the values are bound, never pasted. */
static int write_record(pond *p, int64_t seq, const char *path)
{
    store_stmt st;
    char nums[3][24];
    const char *params[8];
    int rc, i;

    rc = store_sql_query(p, &st, "cannot read the transaction log",
                         "SELECT seq, start_time, end_time, id, status, command, variables "
                         "FROM txn WHERE seq = ?1",
                         STORE_ARGS(STORE_INT(seq)));
    if (rc < 0)
        return rc;
    if ((rc = store_sql_next(&st)) != 1) {
        store_sql_close(&st);
        return rc < 0 ? rc
                      : pond_error_set(POND_ENOTFOUND, "no transaction %lld in the log",
                                       (long long)seq);
    }
    for (i = 0; i < 3; i++)
        snprintf(nums[i], sizeof nums[i], "%lld", (long long)store_sql_int(&st, i));
    params[0] = nums[0];
    params[1] = store_sql_text(&st, 3);
    params[2] = nums[1];
    params[3] = nums[2];
    params[4] = store_sql_text(&st, 4);
    params[5] = store_sql_text(&st, 5);
    params[6] = store_sql_text(&st, 6);
    params[7] = path;
    for (i = 1; i < 7; i++)
        if (!params[i])
            rc = pond_error_set(POND_ECORRUPT, "transaction %lld has a NULL in the catalog: run "
                                               "'pond check'",
                                (long long)seq);
    if (rc == 1 && (rc = store_work_open(p, STORE_WORK_ANY)) == POND_OK)
        rc = store_work_run(p, POND_ERROR, "cannot write the record of a transaction",
                            "COPY (SELECT $1::BIGINT AS seq, $2 AS id, "
                            "make_timestamp($3::BIGINT) AS start_time, "
                            "make_timestamp($4::BIGINT) AS end_time, $5 AS status, "
                            "$6 AS command, $7 AS variables) TO $8 (FORMAT PARQUET)",
                            params, 8, NULL);
    store_sql_close(&st);
    return rc;
}

/* Write the record of transaction seq as Parquet (once per handle) and describe it. */
static int materialize(pond *p, int64_t seq, store_version *v)
{
    pond_buf path = POND_BUF_INIT;
    const char *tmp;
    int rc;

    memset(v, 0, sizeof *v);
    if ((rc = store_tmp_dir(p, &tmp)) < 0)
        goto done;
    if ((rc = pond_buf_printf(&path, "%s/control-txn-%lld.parquet", tmp, (long long)seq)) < 0)
        goto done;
    if (!pond_fs_exists(path.ptr) && (rc = write_record(p, seq, path.ptr)) < 0)
        goto done;
    v->version = 1;
    v->txn = seq;
    v->row_count = 1;
    if (!(v->sha256 = malloc(65))) {
        rc = pond_error_oom();
        goto done;
    }
    if ((rc = store_sha256_file(path.ptr, v->sha256, &v->size)) < 0)
        goto done;
    if ((rc = store_parquet_schema(p, path.ptr, &v->schema)) < 0)
        goto done;
    if (!(v->content_path = pond_buf_detach(&path)))
        rc = pond_error_oom();
done:
    if (rc < 0) {
        free(v->sha256);
        free(v->schema);
        memset(v, 0, sizeof *v);
    }
    pond_buf_free(&path);
    return rc;
}

/* Fill e for a control path known to exist. */
static int make_entry(pond *p, const char *path, int64_t seq, int with_content, store_entry *e)
{
    int rc;

    memset(e, 0, sizeof *e);
    if (!(e->path = dup_str(path)))
        return pond_error_oom();
    e->type = seq ? POND_ENTRY_TABLE : POND_ENTRY_DIR;
    e->txn = seq;
    e->id = -1;
    if (seq && with_content) {
        if (!(e->versions = calloc(1, sizeof *e->versions))) {
            store_entry_clear(e);
            return pond_error_oom();
        }
        e->nversions = e->capversions = 1;
        if ((rc = materialize(p, seq, &e->versions[0])) < 0) {
            e->nversions = 0;
            store_entry_clear(e);
            return rc;
        }
    }
    return POND_OK;
}

int store_control_lookup(pond *p, const char *path, int with_content, store_entry *e)
{
    int64_t seq;
    int rc;

    memset(e, 0, sizeof *e);
    if (strcmp(path, "/") == 0 || strcmp(path, "/txn") == 0)
        return make_entry(p, path, 0, 0, e);
    seq = txn_path_seq(path);
    if (seq > 0) {
        if ((rc = txn_exists(p, seq)) < 0)
            return rc;
        if (rc)
            return make_entry(p, path, seq, with_content, e);
    }
    return pond_error_set(POND_ENOTFOUND, "no such file '%s' in the control file system", path);
}

int store_control_glob(pond *p, const char *pattern, unsigned flags, pond_entry_fn fn, void *ctx)
{
    store_stmt st;
    pond_pattern *g = NULL;
    int64_t *seqs = NULL;
    size_t nseq = 0, cap = 0, i, matched = 0;
    pond_buf path = POND_BUF_INIT;
    int rc;

    memset(&st, 0, sizeof st);
    if (!pattern)
        return pond_error_set(POND_EINVALID, "no pattern given");
    if ((rc = pond_glob_compile(&g, pattern)) < 0)
        goto done;
    rc = store_sql_query(p, &st, "cannot read the transaction log",
                         "SELECT seq FROM txn ORDER BY seq", STORE_NO_ARGS);
    if (rc < 0)
        goto done;
    while ((rc = store_sql_next(&st)) == 1) {
        if (POND_GROW(seqs, nseq, cap)) {
            rc = POND_ENOMEM;
            goto done;
        }
        seqs[nseq++] = store_sql_int(&st, 0);
    }
    store_sql_close(&st);
    if (rc < 0)
        goto done;
    /* "/", "/txn", then every "/txn/<seq>" */
    for (i = 0; i < nseq + 2; i++) {
        pond_captures caps = POND_CAPTURES_INIT;
        pond_entry_info info;
        pond_version_info *vbuf = NULL;
        store_entry e;
        int64_t seq = i < 2 ? 0 : seqs[i - 2];
        int m;

        pond_buf_clear(&path);
        if (i == 0)
            rc = pond_buf_puts(&path, "/");
        else if (i == 1)
            rc = pond_buf_puts(&path, "/txn");
        else
            rc = pond_buf_printf(&path, "/txn/%lld", (long long)seq);
        if (rc < 0)
            goto done;
        if ((m = pond_glob_match(g, path.ptr, &caps)) < 0) {
            rc = m;
            goto done;
        }
        if (m == 0)
            continue;
        matched++;
        rc = make_entry(p, path.ptr, seq, (flags & POND_WITH_VERSIONS) != 0, &e);
        if (rc == POND_OK)
            rc = store_entry_info(&e, &info, &vbuf);
        if (rc < 0) {
            pond_captures_free(&caps);
            store_entry_clear(&e);
            goto done;
        }
        info.ncaptures = caps.n;
        info.captures = (const char *const *)caps.v;
        rc = fn(&info, ctx);
        free(vbuf);
        store_entry_clear(&e);
        pond_captures_free(&caps);
        if (rc != 0)
            goto done;
    }
    if (matched == 0)
        rc = pond_error_set(POND_ENOTFOUND, "no match for pattern '%s'", pattern);
done:
    store_sql_close(&st);
    pond_glob_free(g);
    pond_buf_free(&path);
    free(seqs);
    return rc;
}
