/*
 * store/glob_walk.c: pond_glob over the data file system.  The catalog's paths are read in
 * tree order (ORDER BY the list of their names, so "/a/b" comes before "/a b"), matched with
 * the glob module, and the matches are collected first, so fn runs with no catalog query open
 * and may itself call back into the pond.  Symlinks are listed as entries; globbing does not
 * follow them.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "glob/glob.h"

typedef struct match {
    char *path;
    pond_captures caps;
} match;

typedef struct match_list {
    match *v;
    size_t n, cap;
} match_list;

static void matches_free(match_list *m)
{
    size_t i;
    for (i = 0; i < m->n; i++) {
        free(m->v[i].path);
        pond_captures_free(&m->v[i].caps);
    }
    free(m->v);
    memset(m, 0, sizeof *m);
}

static int collect(pond *p, const pond_pattern *g, match_list *out)
{
    duckdb_prepared_statement stmt = NULL;
    store_rows rows;
    pond_buf prefix = POND_BUF_INIT, below = POND_BUF_INIT;
    int rc;

    memset(&rows, 0, sizeof rows);
    /* only the part of the tree below the pattern's literal directory prefix */
    rc = pond_buf_put(&prefix, pond_glob_pattern(g), pond_glob_literal_prefix_len(g));
    if (rc < 0)
        goto done;
    rc = pond_buf_printf(&below, "%s/", strcmp(prefix.ptr, "/") == 0 ? "" : prefix.ptr);
    if (rc < 0)
        goto done;
    rc = store_db_prepare(p->con, "cannot read the catalog",
                          "SELECT path FROM entry WHERE path = $1 OR starts_with(path, $2) "
                          "ORDER BY string_split(path, '/')",
                          &stmt);
    if (rc < 0)
        goto done;
    duckdb_bind_varchar(stmt, 1, prefix.ptr);
    duckdb_bind_varchar(stmt, 2, below.ptr);
    if ((rc = store_db_query(stmt, POND_ERROR, "cannot read the catalog", &rows)) < 0)
        goto done;
    while (store_rows_next(&rows)) {
        pond_captures caps = POND_CAPTURES_INIT;
        char *path = store_rows_str(&rows, 0);
        int m;
        if (!path) {
            rc = pond_error_oom();
            goto done;
        }
        m = pond_glob_match(g, path, &caps);
        if (m < 0) {
            free(path);
            rc = m;
            goto done;
        }
        if (m == 0) {
            free(path);
            continue;
        }
        if (out->n == out->cap) {
            size_t ncap = out->cap ? out->cap * 2 : 16;
            match *nv = realloc(out->v, ncap * sizeof *nv);
            if (!nv) {
                free(path);
                pond_captures_free(&caps);
                rc = pond_error_oom();
                goto done;
            }
            out->v = nv;
            out->cap = ncap;
        }
        out->v[out->n].path = path;
        out->v[out->n].caps = caps;
        out->n++;
    }
done:
    store_rows_free(&rows);
    duckdb_destroy_prepare(&stmt);
    pond_buf_free(&prefix);
    pond_buf_free(&below);
    return rc;
}

int pond_glob(pond *p, pond_fs fs, const char *pattern, unsigned flags, pond_entry_fn fn,
              void *ctx)
{
    pond_pattern *g = NULL;
    match_list m;
    store_entry e;
    size_t i;
    int rc;

    memset(&m, 0, sizeof m);
    memset(&e, 0, sizeof e);
    if (fs == POND_FS_CONTROL)
        return store_control_glob(p, pattern, flags, fn, ctx);
    if (!pattern)
        return pond_error_set(POND_EINVALID, "no pattern given");
    if ((rc = pond_glob_compile(&g, pattern)) < 0)
        goto done;
    if ((rc = collect(p, g, &m)) < 0)
        goto done;
    if (m.n == 0) {
        rc = pond_error_set(POND_ENOTFOUND, "no match for pattern '%s'", pattern);
        goto done;
    }
    for (i = 0; i < m.n; i++) {
        pond_entry_info info;
        pond_version_info *vbuf = NULL;
        rc = store_entry_lookup(p, m.v[i].path, &e);
        if (rc == POND_ENOTFOUND) /* removed by an earlier callback: skip it */
            continue;
        if (rc < 0)
            goto done;
        if ((flags & POND_WITH_VERSIONS) && (rc = store_entry_load_versions(p, &e)) < 0)
            goto done;
        if ((rc = store_entry_info(&e, &info, &vbuf)) < 0)
            goto done;
        info.ncaptures = m.v[i].caps.n;
        info.captures = (const char *const *)m.v[i].caps.v;
        rc = fn(&info, ctx);
        free(vbuf);
        store_entry_clear(&e);
        if (rc != 0)
            goto done;
    }
    rc = POND_OK;
done:
    store_entry_clear(&e);
    matches_free(&m);
    pond_glob_free(g);
    return rc;
}
