/*
 * store/glob_walk.c: pond_glob over the data file system.  The entries below the pattern's
 * literal directory prefix are read in one query, in tree order (ORDER BY the list of their
 * names, so "/a/b" comes before "/a b"), and matched with the glob module; with
 * POND_WITH_VERSIONS the versions of all of them come in a second query.  Everything is
 * collected before fn runs, so fn runs with no catalog query open and may itself call back
 * into the pond.  Symlinks are listed as entries; globbing does not follow them.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "glob/glob.h"

typedef struct match {
    store_entry e;
    pond_captures caps;
} match;

typedef struct walk {
    pond *p;
    const pond_pattern *g;
    pond_buf prefix; /* the literal directory prefix: "/" or "/a/b" */
    pond_buf below;  /* prefix + "/" ("/" for the root) */
    match *v;
    size_t n, cap;
} walk;

static void walk_free(walk *w)
{
    size_t i;
    for (i = 0; i < w->n; i++) {
        store_entry_clear(&w->v[i].e);
        pond_captures_free(&w->v[i].caps);
    }
    free(w->v);
    pond_buf_free(&w->prefix);
    pond_buf_free(&w->below);
}

static int add_match(walk *w, store_rows *rows, pond_captures *caps)
{
    int rc;

    if (w->n == w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 16;
        match *nv = realloc(w->v, ncap * sizeof *nv);
        if (!nv)
            return pond_error_oom();
        w->v = nv;
        w->cap = ncap;
    }
    if ((rc = store_entry_from_row(rows, 0, &w->v[w->n].e)) < 0)
        return rc;
    w->v[w->n].caps = *caps;
    w->n++;
    return POND_OK;
}

/* Every entry below the prefix that matches, in tree order. */
static int collect(walk *w)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    int rc;

    memset(&rows, 0, sizeof rows);
    rc = store_db_prepare(w->p->con, "cannot read the catalog",
                          "SELECT " STORE_ENTRY_COLUMNS " FROM entry "
                          "WHERE path = $1 OR starts_with(path, $2) "
                          "ORDER BY string_split(path, '/')",
                          &stmt);
    if (rc < 0)
        goto done;
    duckdb_bind_varchar(stmt, 1, w->prefix.ptr);
    duckdb_bind_varchar(stmt, 2, w->below.ptr);
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the catalog", &rows)) < 0)
        goto done;
    while (store_rows_next(&rows)) {
        pond_captures caps = POND_CAPTURES_INIT;
        char *path = store_rows_str(&rows, 2);
        int m;

        if (!path) {
            rc = pond_error_oom();
            goto done;
        }
        m = pond_glob_match(w->g, path, &caps);
        free(path);
        if (m < 0) {
            rc = m;
            goto done;
        }
        if (m == 1 && (rc = add_match(w, &rows, &caps)) < 0) {
            pond_captures_free(&caps);
            goto done;
        }
    }
done:
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

typedef struct id_index {
    int64_t id;
    size_t at;
} id_index;

static int cmp_id(const void *a, const void *b)
{
    int64_t x = ((const id_index *)a)->id, y = ((const id_index *)b)->id;
    return x < y ? -1 : x > y;
}

/* The versions of every matched entry, in one query. */
static int load_versions(walk *w)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    id_index *index = NULL, key, *hit;
    size_t i;
    int rc;

    memset(&rows, 0, sizeof rows);
    if (!(index = malloc(w->n * sizeof *index)))
        return pond_error_oom();
    for (i = 0; i < w->n; i++) {
        index[i].id = w->v[i].e.id;
        index[i].at = i;
    }
    qsort(index, w->n, sizeof *index, cmp_id);
    rc = store_db_prepare(w->p->con, "cannot read the catalog",
                          "SELECT entry_id, " STORE_VERSION_COLUMNS " FROM version "
                          "WHERE entry_id IN (SELECT id FROM entry "
                          "WHERE path = $1 OR starts_with(path, $2)) "
                          "ORDER BY entry_id, version",
                          &stmt);
    if (rc < 0)
        goto done;
    duckdb_bind_varchar(stmt, 1, w->prefix.ptr);
    duckdb_bind_varchar(stmt, 2, w->below.ptr);
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the catalog", &rows)) < 0)
        goto done;
    while (store_rows_next(&rows)) {
        key.id = store_rows_i64(&rows, 0, NULL);
        hit = bsearch(&key, index, w->n, sizeof *index, cmp_id);
        if (hit && (rc = store_version_from_row(w->p, &rows, 1, &w->v[hit->at].e)) < 0)
            goto done;
    }
done:
    free(index);
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

int pond_glob(pond *p, pond_fs fs, const char *pattern, unsigned flags, pond_entry_fn fn, void *ctx)
{
    pond_pattern *g = NULL;
    walk w;
    size_t i;
    int rc;

    memset(&w, 0, sizeof w);
    w.prefix = (pond_buf)POND_BUF_INIT;
    w.below = (pond_buf)POND_BUF_INIT;
    if (fs == POND_FS_CONTROL)
        return store_control_glob(p, pattern, flags, fn, ctx);
    if (!pattern)
        return pond_error_set(POND_EINVALID, "no pattern given");
    if ((rc = pond_glob_compile(&g, pattern)) < 0)
        goto done;
    w.p = p;
    w.g = g;
    rc = pond_buf_put(&w.prefix, pond_glob_pattern(g), pond_glob_literal_prefix_len(g));
    if (rc == POND_OK)
        rc = pond_buf_printf(&w.below, "%s/", strcmp(w.prefix.ptr, "/") == 0 ? "" : w.prefix.ptr);
    if (rc < 0 || (rc = collect(&w)) < 0)
        goto done;
    if (w.n == 0) {
        rc = pond_error_set(POND_ENOTFOUND, "no match for pattern '%s'", pattern);
        goto done;
    }
    if ((flags & POND_WITH_VERSIONS) && (rc = load_versions(&w)) < 0)
        goto done;
    for (i = 0; i < w.n; i++) {
        pond_entry_info info;
        pond_version_info *vbuf = NULL;
        if ((rc = store_entry_info(&w.v[i].e, &info, &vbuf)) < 0)
            goto done;
        info.ncaptures = w.v[i].caps.n;
        info.captures = (const char *const *)w.v[i].caps.v;
        rc = fn(&info, ctx);
        free(vbuf);
        if (rc != 0)
            goto done;
    }
    rc = POND_OK;
done:
    walk_free(&w);
    pond_glob_free(g);
    return rc;
}
