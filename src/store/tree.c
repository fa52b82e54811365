/*
 * store/tree.c: the tree of entries and their versions in the catalog (lookups, inserts),
 * and the public views of them (pond_entry_info).  Everything here runs on the catalog
 * connection, inside the caller's transaction or read snapshot.
 */
#include "store/store_int.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

#include "util/path.h"

static const char *const type_words[] = {"dir",         "symlink", "file:data", "file:table",
                                         "file:series", "dynamic"};

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
    free(e->factory);
    free(e->relation);
    free(e->node);
    memset(e, 0, sizeof *e);
}

int store_path_arg(const char *path, pond_buf *out)
{
    if (!path)
        return pond_error_set(POND_EINVALID, "no pond path given");
    return pond_path_normalize(path, out);
}

int store_entry_from_row(store_stmt *st, int c, store_entry *e)
{
    const char *type = store_sql_text(st, c + 3);
    int rc;

    memset(e, 0, sizeof *e);
    e->id = store_sql_int(st, c);
    e->parent = store_sql_int(st, c + 1);
    e->txn = store_sql_int(st, c + 6);
    if ((rc = store_entry_type_from_word(type, &e->type)) < 0 ||
        (rc = store_sql_dup(st, c + 2, &e->path)) < 0 ||
        (rc = store_sql_dup(st, c + 4, &e->symlink_target)) < 0 ||
        (rc = store_sql_dup(st, c + 5, &e->timestamp_column)) < 0 ||
        (rc = store_sql_dup(st, c + 7, &e->factory)) < 0)
        goto done;
    if (!e->path)
        rc = pond_error_set(POND_ECORRUPT, "an entry without a path in the catalog");
done:
    if (rc < 0)
        store_entry_clear(e);
    return rc;
}

int store_version_from_row(pond *p, store_stmt *st, int c, store_entry *e)
{
    pond_buf path = POND_BUF_INIT;
    store_version *v;
    int rc;

    if (POND_GROW(e->versions, e->nversions, e->capversions))
        return POND_ENOMEM;
    v = &e->versions[e->nversions++];
    memset(v, 0, sizeof *v);
    v->version = store_sql_int(st, c);
    v->txn = store_sql_int(st, c + 1);
    v->size = store_sql_int(st, c + 2);
    v->row_count = store_sql_int(st, c + 4);
    v->min_time = store_sql_int(st, c + 5);
    v->max_time = store_sql_int(st, c + 6);
    v->has_time = !store_sql_is_null(st, c + 5) && !store_sql_is_null(st, c + 6);
    if ((rc = store_sql_dup(st, c + 3, &v->sha256)) < 0 ||
        (rc = store_sql_dup(st, c + 7, &v->schema)) < 0 ||
        (rc = store_sql_dup(st, c + 8, &v->ts_type)) < 0)
        return rc;
    if (!v->sha256 || strlen(v->sha256) != 64)
        return pond_error_set(POND_ECORRUPT, "a version of '%s' without a sha256 in the catalog",
                              e->path);
    if ((rc = store_content_path(p, v->sha256, &path)) < 0)
        return rc;
    if (!(v->content_path = pond_buf_detach(&path)))
        rc = pond_error_oom();
    pond_buf_free(&path);
    return rc;
}

int store_entry_lookup(pond *p, const char *path, store_entry *e)
{
    store_stmt st;
    int rc;

    memset(e, 0, sizeof *e);
    rc = store_sql_query(p, &st, "cannot read the catalog",
                         "SELECT " STORE_ENTRY_COLUMNS " FROM entry WHERE path = ?1",
                         STORE_ARGS(STORE_TEXT(path)));
    if (rc < 0)
        return rc;
    if ((rc = store_sql_next(&st)) == 1)
        rc = store_entry_from_row(&st, 0, e);
    else if (rc == 0)
        rc = POND_ENOTFOUND;
    store_sql_close(&st);
    return rc;
}

int store_entry_load_versions(pond *p, store_entry *e)
{
    store_stmt st;
    int rc;

    rc = store_sql_query(p, &st, "cannot read the catalog",
                         "SELECT " STORE_VERSION_COLUMNS " FROM version WHERE entry_id = ?1 "
                         "ORDER BY version",
                         STORE_ARGS(STORE_INT(e->id)));
    if (rc < 0)
        return rc;
    while ((rc = store_sql_next(&st)) == 1)
        if ((rc = store_version_from_row(p, &st, 0, e)) < 0)
            break;
    store_sql_close(&st);
    return rc;
}

int store_entry_touch(pond *p, int64_t id, int64_t txn_seq)
{
    return store_sql_run(p, "cannot write the catalog",
                         "UPDATE entry SET modified_txn = ?2 WHERE id = ?1",
                         STORE_ARGS(STORE_INT(id), STORE_INT(txn_seq)));
}

int store_entry_insert(pond *p, int64_t parent, const char *path, pond_entry_type type,
                       const char *symlink_target, const char *timestamp_column,
                       int64_t txn_seq, int64_t *out_id)
{
    return store_entry_insert_node(p, parent, path, type, symlink_target, timestamp_column, NULL,
                                   txn_seq, out_id);
}

int store_entry_insert_node(pond *p, int64_t parent, const char *path, pond_entry_type type,
                            const char *symlink_target, const char *timestamp_column,
                            const char *factory, int64_t txn_seq, int64_t *out_id)
{
    int rc;

    /* id NULL: SQLite picks max(id) + 1 */
    rc = store_sql_run(p, "cannot write the catalog",
                       "INSERT INTO entry VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8)",
                       STORE_ARGS(STORE_INT(parent), STORE_TEXT(pond_path_basename(path)),
                                  STORE_TEXT(path), STORE_TEXT(pond_entry_type_name(type)),
                                  STORE_TEXT(symlink_target), STORE_TEXT(timestamp_column),
                                  STORE_INT(txn_seq), STORE_TEXT(factory)));
    if (rc < 0)
        return rc;
    *out_id = (int64_t)sqlite3_last_insert_rowid(p->cat);
    return store_entry_touch(p, parent, txn_seq);
}

int store_version_insert(pond *p, int64_t entry_id, int64_t txn_seq, const store_version *v,
                         int64_t *out_version)
{
    int64_t version;
    int rc;

    rc = store_sql_int_query(p, "cannot write the catalog",
                             "SELECT coalesce(max(version), 0) + 1 FROM version "
                             "WHERE entry_id = ?1",
                             STORE_ARGS(STORE_INT(entry_id)), 1, &version);
    if (rc < 0)
        return rc;
    rc = store_sql_run(p, "cannot write the catalog",
                       "INSERT INTO version VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                       STORE_ARGS(STORE_INT(entry_id), STORE_INT(version), STORE_INT(txn_seq),
                                  STORE_INT(v->size), STORE_TEXT(v->sha256),
                                  STORE_INT(v->row_count),
                                  v->has_time ? STORE_INT(v->min_time) : STORE_TEXT(NULL),
                                  v->has_time ? STORE_INT(v->max_time) : STORE_TEXT(NULL),
                                  STORE_TEXT(v->schema), STORE_TEXT(v->ts_type)));
    if (rc < 0)
        return rc;
    if ((rc = store_entry_touch(p, entry_id, txn_seq)) < 0)
        return rc;
    if (out_version)
        *out_version = version;
    return POND_OK;
}

int store_entry_info(const store_entry *e, pond_entry_info *info, pond_version_info **vbuf)
{
    size_t i;

    memset(info, 0, sizeof *info);
    *vbuf = NULL;
    info->path = e->path;
    info->type = e->type;
    info->symlink_target = e->symlink_target;
    info->timestamp_column = e->type == POND_ENTRY_SERIES ||
                                     (e->relation && e->reads_as == POND_ENTRY_SERIES)
                                 ? e->timestamp_column
                                 : NULL;
    info->txn = e->txn;
    info->factory = e->factory;
    info->reads_as = e->relation || e->type == POND_ENTRY_DYNAMIC ? e->reads_as : e->type;
    info->relation = e->relation;
    info->node = e->node;
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
