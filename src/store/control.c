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
 * for (POND_WITH_VERSIONS, cat, copy out) the record is written once per handle as a small
 * Parquet file in the handle's tmp dir (removed by pond_close) and described as version 1, so
 * its content_path reads like a data table's.
 */
#include "store/store_int.h"

#include <errno.h>
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
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    int rc;

    memset(&rows, 0, sizeof rows);
    rc = store_db_prepare(p->con, "cannot read the transaction log",
                          "SELECT count(*) FROM txn WHERE seq = $1", &stmt);
    if (rc < 0)
        goto done;
    duckdb_bind_int64(stmt, 1, seq);
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the transaction log", &rows)) < 0)
        goto done;
    rc = store_rows_next(&rows) && store_rows_i64(&rows, 0, NULL) > 0;
done:
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

/* Write the record of transaction seq as Parquet (once per handle) and describe it. */
static int materialize(pond *p, int64_t seq, store_version *v)
{
    duckdb_prepared_statement stmt = NULL;
    duckdb_result res;
    pond_buf path = POND_BUF_INIT;
    int rc;

    memset(v, 0, sizeof *v);
    if ((rc = pond_buf_printf(&path, "%s/control-txn-%lld.parquet", p->tmp_dir, (long long)seq)) <
        0)
        goto done;
    if (!pond_fs_exists(path.ptr)) {
        rc = store_db_prepare(p->con, "cannot read the transaction log",
                              "COPY (SELECT seq, id, start_time, end_time, status, command, "
                              "variables FROM txn WHERE seq = $1) TO $2 (FORMAT PARQUET)",
                              &stmt);
        if (rc < 0)
            goto done;
        duckdb_bind_int64(stmt, 1, seq);
        duckdb_bind_varchar(stmt, 2, path.ptr);
        if (duckdb_execute_prepared(stmt, &res) == DuckDBError)
            rc = pond_error_set(POND_ERROR, "cannot write the record of transaction %lld: %s",
                                (long long)seq, duckdb_result_error(&res));
        duckdb_destroy_result(&res);
        if (rc < 0)
            goto done;
    }
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
    duckdb_destroy_prepare(&stmt);
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
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    pond_pattern *g = NULL;
    int64_t *seqs = NULL;
    size_t nseq = 0, cap = 0, i, matched = 0;
    pond_buf path = POND_BUF_INIT;
    int rc;

    memset(&rows, 0, sizeof rows);
    if (!pattern)
        return pond_error_set(POND_EINVALID, "no pattern given");
    if ((rc = pond_glob_compile(&g, pattern)) < 0)
        goto done;
    rc = store_db_prepare(p->con, "cannot read the transaction log",
                          "SELECT seq FROM txn ORDER BY seq", &stmt);
    if (rc < 0)
        goto done;
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the transaction log", &rows)) < 0)
        goto done;
    while (store_rows_next(&rows)) {
        if (nseq == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            int64_t *n = realloc(seqs, ncap * sizeof *n);
            if (!n) {
                rc = pond_error_oom();
                goto done;
            }
            seqs = n;
            cap = ncap;
        }
        seqs[nseq++] = store_rows_i64(&rows, 0, NULL);
    }
    store_rows_free(&rows);
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
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    pond_glob_free(g);
    pond_buf_free(&path);
    free(seqs);
    return rc;
}
