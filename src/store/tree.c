/*
 * store/tree.c: the tree of entries and their versions in the catalog (lookups, inserts),
 * and the public views of them (pond_entry_info).  Everything here runs on the catalog
 * connection, inside the caller's transaction when there is one.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/path.h"

static const char *const type_words[] = {"dir", "symlink", "file:data", "file:table",
                                         "file:series"};

const char *pond_entry_type_name(pond_entry_type type)
{
    if ((int)type < 0 || (size_t)type >= sizeof type_words / sizeof type_words[0])
        return "unknown";
    return type_words[type];
}

int store_entry_type_from_word(const char *word, pond_entry_type *out)
{
    size_t i;
    for (i = 0; i < sizeof type_words / sizeof type_words[0]; i++) {
        if (word && strcmp(word, type_words[i]) == 0) {
            *out = (pond_entry_type)i;
            return POND_OK;
        }
    }
    return pond_error_set(POND_ECORRUPT, "unknown entry type '%s' in the catalog",
                          word ? word : "(null)");
}

void store_entry_clear(store_entry *e)
{
    size_t i;
    if (!e)
        return;
    for (i = 0; i < e->nversions; i++) {
        free(e->versions[i].sha256);
        free(e->versions[i].schema);
        free(e->versions[i].ts_type);
        free(e->versions[i].content_path);
    }
    free(e->versions);
    free(e->path);
    free(e->symlink_target);
    free(e->timestamp_column);
    memset(e, 0, sizeof *e);
}

int store_path_arg(const char *path, pond_buf *out)
{
    if (!path)
        return pond_error_set(POND_EINVALID, "no pond path given");
    return pond_path_normalize(path, out);
}

int store_entry_from_row(store_rows *rows, idx_t c, store_entry *e)
{
    char *type;
    int rc;

    memset(e, 0, sizeof *e);
    e->id = store_rows_i64(rows, c, NULL);
    e->parent = store_rows_i64(rows, c + 1, NULL);
    e->path = store_rows_str(rows, c + 2);
    type = store_rows_str(rows, c + 3);
    e->symlink_target = store_rows_str(rows, c + 4);
    e->timestamp_column = store_rows_str(rows, c + 5);
    e->txn = store_rows_i64(rows, c + 6, NULL);
    if (!e->path || !type)
        rc = pond_error_oom();
    else
        rc = store_entry_type_from_word(type, &e->type);
    free(type);
    if (rc < 0)
        store_entry_clear(e);
    return rc;
}

int store_version_from_row(pond *p, store_rows *rows, idx_t c, store_entry *e)
{
    pond_buf path = POND_BUF_INIT;
    store_version *v;
    int null_min = 0, null_max = 0, rc;

    if (e->nversions == e->capversions) {
        size_t ncap = e->capversions ? e->capversions * 2 : 4;
        store_version *nv = realloc(e->versions, ncap * sizeof *nv);
        if (!nv)
            return pond_error_oom();
        e->versions = nv;
        e->capversions = ncap;
    }
    v = &e->versions[e->nversions++];
    memset(v, 0, sizeof *v);
    v->version = store_rows_i64(rows, c, NULL);
    v->txn = store_rows_i64(rows, c + 1, NULL);
    v->size = store_rows_i64(rows, c + 2, NULL);
    v->sha256 = store_rows_str(rows, c + 3);
    v->row_count = store_rows_i64(rows, c + 4, NULL);
    v->min_time = store_rows_i64(rows, c + 5, &null_min);
    v->max_time = store_rows_i64(rows, c + 6, &null_max);
    v->has_time = !null_min && !null_max;
    v->schema = store_rows_str(rows, c + 7);
    v->ts_type = store_rows_str(rows, c + 8);
    if (!v->sha256)
        return pond_error_oom();
    if ((rc = store_content_path(p, v->sha256, &path)) < 0)
        return rc;
    if (!(v->content_path = pond_buf_detach(&path)))
        rc = pond_error_oom();
    pond_buf_free(&path);
    return rc;
}

int store_entry_lookup(pond *p, const char *path, store_entry *e)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    int rc;

    memset(&rows, 0, sizeof rows);
    memset(e, 0, sizeof *e);
    rc = store_db_prepare(p->con, "cannot read the catalog",
                          "SELECT " STORE_ENTRY_COLUMNS " FROM entry WHERE path = $1", &stmt);
    if (rc < 0)
        goto done;
    duckdb_bind_varchar(stmt, 1, path);
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the catalog", &rows)) < 0)
        goto done;
    if (!store_rows_next(&rows)) {
        rc = POND_ENOTFOUND;
        goto done;
    }
    rc = store_entry_from_row(&rows, 0, e);
done:
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

int store_entry_load_versions(pond *p, store_entry *e)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    int rc;

    memset(&rows, 0, sizeof rows);
    rc = store_db_prepare(p->con, "cannot read the catalog",
                          "SELECT " STORE_VERSION_COLUMNS " FROM version WHERE entry_id = $1 "
                          "ORDER BY version",
                          &stmt);
    if (rc < 0)
        goto done;
    duckdb_bind_int64(stmt, 1, e->id);
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the catalog", &rows)) < 0)
        goto done;
    while (rc == POND_OK && store_rows_next(&rows))
        rc = store_version_from_row(p, &rows, 0, e);
done:
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

static int exec_stmt(duckdb_prepared_statement stmt, const char *what)
{
    duckdb_result res;
    int rc = POND_OK;
    if (duckdb_execute_prepared(stmt, &res) == DuckDBError)
        rc = pond_error_set(POND_ERROR, "%s: %s", what, duckdb_result_error(&res));
    duckdb_destroy_result(&res);
    return rc;
}

int store_entry_touch(pond *p, int64_t id, int64_t txn_seq)
{
    duckdb_prepared_statement stmt = NULL;
    int rc;

    rc = store_db_prepare(p->con, "cannot write the catalog",
                          "UPDATE entry SET modified_txn = $2 WHERE id = $1", &stmt);
    if (rc < 0)
        goto done;
    duckdb_bind_int64(stmt, 1, id);
    duckdb_bind_int64(stmt, 2, txn_seq);
    rc = exec_stmt(stmt, "cannot write the catalog");
done:
    duckdb_destroy_prepare(&stmt);
    return rc;
}

int store_entry_insert(pond *p, int64_t parent, const char *path, pond_entry_type type,
                       const char *timestamp_column, int64_t txn_seq, int64_t *out_id)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    int64_t id = 1;
    int rc;

    memset(&rows, 0, sizeof rows);
    rc = store_db_prepare(p->con, "cannot write the catalog",
                          "SELECT coalesce(max(id), 0) + 1 FROM entry", &stmt);
    if (rc < 0)
        goto done;
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot write the catalog", &rows)) < 0)
        goto done;
    if (store_rows_next(&rows))
        id = store_rows_i64(&rows, 0, NULL);
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    rc = store_db_prepare(p->con, "cannot write the catalog",
                          "INSERT INTO entry VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $7)", &stmt);
    if (rc < 0)
        goto done;
    duckdb_bind_int64(stmt, 1, id);
    duckdb_bind_int64(stmt, 2, parent);
    duckdb_bind_varchar(stmt, 3, pond_path_basename(path));
    duckdb_bind_varchar(stmt, 4, path);
    duckdb_bind_varchar(stmt, 5, pond_entry_type_name(type));
    if (timestamp_column)
        duckdb_bind_varchar(stmt, 6, timestamp_column);
    else
        duckdb_bind_null(stmt, 6);
    duckdb_bind_int64(stmt, 7, txn_seq);
    if ((rc = exec_stmt(stmt, "cannot write the catalog")) < 0)
        goto done;
    if ((rc = store_entry_touch(p, parent, txn_seq)) < 0)
        goto done;
    *out_id = id;
done:
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

int store_version_insert(pond *p, int64_t entry_id, int64_t txn_seq, const store_version *v,
                         int64_t *out_version)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    int64_t version = 1;
    int rc;

    memset(&rows, 0, sizeof rows);
    rc = store_db_prepare(p->con, "cannot write the catalog",
                          "SELECT coalesce(max(version), 0) + 1 FROM version WHERE entry_id = $1",
                          &stmt);
    if (rc < 0)
        goto done;
    duckdb_bind_int64(stmt, 1, entry_id);
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot write the catalog", &rows)) < 0)
        goto done;
    if (store_rows_next(&rows))
        version = store_rows_i64(&rows, 0, NULL);
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    rc = store_db_prepare(p->con, "cannot write the catalog",
                          "INSERT INTO version VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                          &stmt);
    if (rc < 0)
        goto done;
    duckdb_bind_int64(stmt, 1, entry_id);
    duckdb_bind_int64(stmt, 2, version);
    duckdb_bind_int64(stmt, 3, txn_seq);
    duckdb_bind_int64(stmt, 4, v->size);
    duckdb_bind_varchar(stmt, 5, v->sha256);
    duckdb_bind_int64(stmt, 6, v->row_count);
    if (v->has_time) {
        duckdb_bind_int64(stmt, 7, v->min_time);
        duckdb_bind_int64(stmt, 8, v->max_time);
    } else {
        duckdb_bind_null(stmt, 7);
        duckdb_bind_null(stmt, 8);
    }
    if (v->schema)
        duckdb_bind_varchar(stmt, 9, v->schema);
    else
        duckdb_bind_null(stmt, 9);
    if (v->ts_type)
        duckdb_bind_varchar(stmt, 10, v->ts_type);
    else
        duckdb_bind_null(stmt, 10);
    if ((rc = exec_stmt(stmt, "cannot write the catalog")) < 0)
        goto done;
    if ((rc = store_entry_touch(p, entry_id, txn_seq)) < 0)
        goto done;
    if (out_version)
        *out_version = version;
done:
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

int store_entry_info(const store_entry *e, pond_entry_info *info, pond_version_info **vbuf)
{
    size_t i;

    memset(info, 0, sizeof *info);
    *vbuf = NULL;
    info->path = e->path;
    info->type = e->type;
    info->symlink_target = e->symlink_target;
    info->timestamp_column = e->type == POND_ENTRY_SERIES ? e->timestamp_column : NULL;
    info->txn = e->txn;
    if (e->nversions) {
        pond_version_info *v = calloc(e->nversions, sizeof *v);
        if (!v)
            return pond_error_oom();
        for (i = 0; i < e->nversions; i++) {
            const store_version *s = &e->versions[i];
            v[i].version = s->version;
            v[i].txn = s->txn;
            v[i].size = s->size;
            v[i].sha256 = s->sha256;
            v[i].row_count = s->row_count;
            v[i].has_time = s->has_time;
            v[i].min_time = s->min_time;
            v[i].max_time = s->max_time;
            v[i].schema = s->schema;
            v[i].content_path = s->content_path;
        }
        info->nversions = e->nversions;
        info->versions = v;
        *vbuf = v;
    }
    return POND_OK;
}

int store_parent_dir(pond *p, const char *path, const char *what, int64_t *out_id)
{
    pond_buf parent = POND_BUF_INIT;
    store_entry e;
    int rc;

    memset(&e, 0, sizeof e);
    if ((rc = pond_path_parent(path, &parent)) < 0)
        goto done;
    rc = store_entry_lookup(p, parent.ptr, &e);
    if (rc == POND_ENOTFOUND || (rc == POND_OK && e.type != POND_ENTRY_DIR)) {
        rc = pond_error_set(POND_ENOTFOUND, "cannot %s '%s': no such directory '%s'", what, path,
                            parent.ptr);
        goto done;
    }
    if (rc == POND_OK)
        *out_id = e.id;
done:
    store_entry_clear(&e);
    pond_buf_free(&parent);
    return rc;
}
