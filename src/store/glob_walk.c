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
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

#include "glob/glob.h"
#include "util/path.h"

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
    store_entry *nodes; /* dynamic nodes whose entries may match (not matched themselves) */
    size_t nnodes, capnodes;
} walk;

static void walk_free(walk *w)
{
    size_t i;
    for (i = 0; i < w->n; i++) {
        store_entry_clear(&w->v[i].e);
        pond_captures_free(&w->v[i].caps);
    }
    free(w->v);
    store_dynamic_entries_free(w->nodes, w->nnodes);
    pond_buf_free(&w->prefix);
    pond_buf_free(&w->below);
    pond_buf_free(&w->above);
}

static int grow_matches(walk *w)
{
    if (POND_GROW(w->v, w->n, w->cap))
        return POND_ENOMEM;
    return POND_OK;
}

static int add_match(walk *w, store_stmt *st, pond_captures *caps)
{
    int rc;

    if ((rc = grow_matches(w)) < 0)
        return rc;
    if ((rc = store_entry_from_row(st, 0, &w->v[w->n].e)) < 0)
        return rc;
    w->v[w->n].caps = *caps;
    w->n++;
    return POND_OK;
}

/* A dynamic node that does not match but whose entries may. */
static int add_node(walk *w, store_stmt *st)
{
    int rc;

    if (POND_GROW(w->nodes, w->nnodes, w->capnodes))
        return POND_ENOMEM;
    if ((rc = store_entry_from_row(st, 0, &w->nodes[w->nnodes])) < 0)
        return rc;
    w->nnodes++;
    return POND_OK;
}

/* A dynamic node above the prefix holds every path below it: the nearest ancestor of the
 * prefix in the catalog, when it is dynamic, is one more node to expand. */
static int ancestor_node(walk *w)
{
    pond_buf at = POND_BUF_INIT, up = POND_BUF_INIT;
    store_entry e;
    int rc = POND_OK, depth;

    memset(&e, 0, sizeof e);
    if ((rc = pond_buf_puts(&at, w->prefix.ptr)) < 0)
        return rc;
    for (depth = 0; depth < 4096 && strcmp(at.ptr, "/") != 0; depth++) {
        rc = store_entry_lookup(w->p, at.ptr, &e);
        if (rc == POND_OK)
            break;
        if (rc != POND_ENOTFOUND)
            goto done;
        pond_buf_clear(&up);
        if ((rc = pond_path_parent(at.ptr, &up)) < 0)
            goto done;
        pond_buf_clear(&at);
        if ((rc = pond_buf_puts(&at, up.ptr)) < 0)
            goto done;
        rc = POND_ENOTFOUND;
    }
    if (rc == POND_OK && e.type == POND_ENTRY_DYNAMIC && strcmp(e.path, w->prefix.ptr) != 0) {
        if (POND_GROW(w->nodes, w->nnodes, w->capnodes)) {
            rc = POND_ENOMEM;
            goto done;
        }
        w->nodes[w->nnodes++] = e;
        memset(&e, 0, sizeof e);
    }
    rc = POND_OK;
done:
    store_entry_clear(&e);
    pond_buf_free(&at);
    pond_buf_free(&up);
    return rc;
}

/* Add the entries of dynamic node (not itself a match) that match. */
static int expand_node(walk *w, store_entry *node)
{
    store_entry *v = NULL;
    size_t n = 0, i;
    int rc;

    if ((rc = store_dynamic_expand(w->p, node, NULL, &v, &n)) < 0)
        return rc;
    /* node may be an item of w->v, which grow_matches moves: keep its path aside. */
    char *self = strdup(node->path);
    if (!self) {
        store_dynamic_entries_free(v, n);
        return pond_error_oom();
    }
    for (i = 0; i < n && rc == POND_OK; i++) {
        pond_captures caps = POND_CAPTURES_INIT;
        int m;

        if (strcmp(v[i].path, self) == 0) {
            /* the node itself: a match already filled by expand_matched */
            continue;
        }
        m = pond_glob_match(w->g, v[i].path, &caps);
        if (m < 0) {
            rc = m;
            break;
        }
        if (m == 0)
            continue;
        if ((rc = grow_matches(w)) < 0) {
            pond_captures_free(&caps);
            break;
        }
        w->v[w->n].e = v[i];
        memset(&v[i], 0, sizeof v[i]);
        w->v[w->n].caps = caps;
        w->n++;
    }
    free(self);
    store_dynamic_entries_free(v, n);
    return rc;
}

/* Tree order: '/' before every other byte (the pond_path collation). */
static int path_cmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x == y) {
            if (!x)
                return 0;
            continue;
        }
        if (x == '/')
            return y ? -1 : 1;
        if (y == '/')
            return x ? 1 : -1;
        return x < y ? -1 : 1;
    }
}

static int cmp_match(const void *a, const void *b)
{
    return path_cmp(((const match *)a)->e.path, ((const match *)b)->e.path);
}

/* Dynamic entries: the matched nodes' own relations, and every entry of a dynamic directory
 * that matches, then all in tree order again. */
static int expand_dynamic(walk *w)
{
    size_t i, n0 = w->n;
    int rc = POND_OK;

    for (i = 0; i < n0 && rc == POND_OK; i++) {
        store_entry *e = &w->v[i].e;
        if (e->type != POND_ENTRY_DYNAMIC)
            continue;
        if ((rc = store_dynamic_self(w->p, e)) < 0)
            break;
        if (e->reads_as == POND_ENTRY_DIR && pond_glob_may_descend(w->g, e->path))
            rc = expand_node(w, e);
    }
    for (i = 0; i < w->nnodes && rc == POND_OK; i++)
        rc = expand_node(w, &w->nodes[i]);
    if (rc == POND_OK && w->n > n0)
        qsort(w->v, w->n, sizeof *w->v, cmp_match);
    return rc;
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
        if (m == 0 && path && strcmp(store_sql_text(&st, 3), "dynamic") == 0 &&
            pond_glob_may_descend(w->g, path) && (rc = add_node(w, &st)) < 0)
            break;
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
    if (rc == POND_OK)
        rc = ancestor_node(&w);
    if (rc == POND_OK)
        rc = expand_dynamic(&w);
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
