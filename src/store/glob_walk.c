/*
 * store/glob_walk.c: pond_glob over the data file system.  The entries below the pattern's
 * literal directory prefix are read in one query (a range of the path index), in tree order
 * (the pond_path collation, so "/a/b" comes before "/a b"), and matched with the glob module;
 * with POND_WITH_VERSIONS the versions of all of them come in a second query, in the same
 * read snapshot.  Everything is collected before fn runs, so fn runs with no catalog query
 * open and may itself call back into the pond.  Symlinks are listed as entries; globbing
 * does not follow them.
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
    pond_buf above;  /* below with its last '/' made '0': the end of the range of paths below */
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
    pond_buf_free(&w->above);
}

static int add_match(walk *w, store_stmt *st, pond_captures *caps)
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
    if ((rc = store_entry_from_row(st, 0, &w->v[w->n].e)) < 0)
        return rc;
    w->v[w->n].caps = *caps;
    w->n++;
    return POND_OK;
}

/* The entries at or below the prefix: path = ?1 or ?2 <= path < ?3. */
#define BELOW_PREFIX "(path = ?1 OR (path >= ?2 AND path < ?3))"

/* Every entry below the prefix that matches, in tree order. */
static int collect(walk *w)
{
    store_stmt st;
    int rc;

    rc = store_sql_query(w->p, &st, "cannot read the catalog",
                         "SELECT " STORE_ENTRY_COLUMNS " FROM entry WHERE " BELOW_PREFIX
                         " ORDER BY path COLLATE pond_path",
                         STORE_ARGS(STORE_TEXT(w->prefix.ptr), STORE_TEXT(w->below.ptr),
                                    STORE_TEXT(w->above.ptr)));
    if (rc < 0)
        return rc;
    while ((rc = store_sql_next(&st)) == 1) {
        pond_captures caps = POND_CAPTURES_INIT;
        const char *path = store_sql_text(&st, 2);
        int m = path ? pond_glob_match(w->g, path, &caps) : 0;

        if (m < 0) {
            rc = m;
            break;
        }
        if (m == 1 && (rc = add_match(w, &st, &caps)) < 0) {
            pond_captures_free(&caps);
            break;
        }
    }
    store_sql_close(&st);
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
    store_stmt st;
    id_index *index = NULL, key, *hit;
    size_t i;
    int rc;

    if (!(index = malloc(w->n * sizeof *index)))
        return pond_error_oom();
    for (i = 0; i < w->n; i++) {
        index[i].id = w->v[i].e.id;
        index[i].at = i;
    }
    qsort(index, w->n, sizeof *index, cmp_id);
    rc = store_sql_query(w->p, &st, "cannot read the catalog",
                         "SELECT entry_id, " STORE_VERSION_COLUMNS " FROM version "
                         "WHERE entry_id IN (SELECT id FROM entry WHERE " BELOW_PREFIX ") "
                         "ORDER BY entry_id, version",
                         STORE_ARGS(STORE_TEXT(w->prefix.ptr), STORE_TEXT(w->below.ptr),
                                    STORE_TEXT(w->above.ptr)));
    if (rc < 0)
        goto done;
    while ((rc = store_sql_next(&st)) == 1) {
        key.id = store_sql_int(&st, 0);
        hit = bsearch(&key, index, w->n, sizeof *index, cmp_id);
        if (hit && (rc = store_version_from_row(w->p, &st, 1, &w->v[hit->at].e)) < 0)
            break;
    }
    store_sql_close(&st);
done:
    free(index);
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
    w.above = (pond_buf)POND_BUF_INIT;
    if (fs == POND_FS_CONTROL) {
        if ((rc = store_read_begin(p)) < 0)
            return rc;
        rc = store_control_glob(p, pattern, flags, fn, ctx);
        store_read_end(p);
        return rc;
    }
    if (!pattern)
        return pond_error_set(POND_EINVALID, "no pattern given");
    if ((rc = pond_glob_compile(&g, pattern)) < 0)
        goto done;
    w.p = p;
    w.g = g;
    rc = pond_buf_put(&w.prefix, pond_glob_pattern(g), pond_glob_literal_prefix_len(g));
    if (rc == POND_OK)
        rc = pond_buf_printf(&w.below, "%s/", strcmp(w.prefix.ptr, "/") == 0 ? "" : w.prefix.ptr);
    if (rc == POND_OK && (rc = pond_buf_puts(&w.above, w.below.ptr)) == POND_OK)
        w.above.ptr[w.above.len - 1] = '0'; /* the byte after '/' */
    if (rc < 0 || (rc = store_read_begin(p)) < 0)
        goto done;
    if ((rc = collect(&w)) == POND_OK && w.n > 0 && (flags & POND_WITH_VERSIONS))
        rc = load_versions(&w);
    store_read_end(p);
    if (rc < 0)
        goto done;
    if (w.n == 0) {
        rc = pond_error_set(POND_ENOTFOUND, "no match for pattern '%s'", pattern);
        goto done;
    }
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
