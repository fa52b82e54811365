/*
 * store/dynamic_read.c: reading what a dynamic node holds, through the resolver registered in
 * store/dynamic.h.  What a node holds is not in the catalog: a dynamic directory's entries
 * and a derived series' rows exist only as the resolver's answer, computed from the current
 * versions of the node's sources in the reader's snapshot.
 */
#include "store/store_int.h"
#include "util/grow.h"
#include "store/dynamic.h"

#include <stdlib.h>
#include <string.h>

#include "util/path.h"

typedef struct collect {
    const store_entry *node;
    const char *want;
    store_entry *v;
    size_t n, cap;
} collect;

static int dup_or_null(const char *s, char **out)
{
    *out = NULL;
    if (s && !(*out = strdup(s)))
        return pond_error_oom();
    return POND_OK;
}

static int add_entry(const store_dynamic_entry *d, void *ctx)
{
    collect *c = ctx;
    store_entry *e;
    int rc;

    if (!d->path)
        return pond_error_set(POND_ERROR, "the resolver of '%s' gave an entry without a path",
                              c->node->path);
    if (c->want && strcmp(c->want, d->path) != 0)
        return POND_OK;
    if (POND_GROW(c->v, c->n, c->cap))
        return POND_ENOMEM;
    e = &c->v[c->n];
    memset(e, 0, sizeof *e);
    e->id = -1;
    e->parent = -1;
    e->type = POND_ENTRY_DYNAMIC;
    e->reads_as = d->reads_as;
    e->txn = c->node->txn;
    e->is_virtual = 1;
    if ((rc = dup_or_null(d->path, &e->path)) < 0 ||
        (rc = dup_or_null(d->relation, &e->relation)) < 0 ||
        (rc = dup_or_null(d->timestamp_column, &e->timestamp_column)) < 0 ||
        (rc = dup_or_null(c->node->factory, &e->factory)) < 0 ||
        (rc = dup_or_null(c->node->path, &e->node)) < 0) {
        store_entry_clear(e);
        return rc;
    }
    c->n++;
    return POND_OK;
}

int store_dynamic_expand(pond *p, store_entry *node, const char *want, store_entry **out,
                         size_t *nout)
{
    store_dynamic_expand_fn fn = store_dynamic_resolver();
    pond_entry_info info;
    pond_version_info *vbuf = NULL;
    collect c;
    size_t i;
    int rc;

    *out = NULL;
    *nout = 0;
    memset(&c, 0, sizeof c);
    c.node = node;
    c.want = want;
    if (!fn)
        return pond_error_set(POND_EINVALID,
                              "cannot read '%s': a dynamic node (%s), and this program was "
                              "built without pond's derive module",
                              node->path, node->factory ? node->factory : "?");
    if (node->nversions == 0 && !node->is_virtual &&
        (rc = store_entry_load_versions(p, node)) < 0)
        return rc;
    if ((rc = store_entry_info(node, &info, &vbuf)) < 0)
        return rc;
    rc = fn(p, &info, want, add_entry, &c);
    free(vbuf);
    if (rc != POND_OK) {
        for (i = 0; i < c.n; i++)
            store_entry_clear(&c.v[i]);
        free(c.v);
        return rc;
    }
    *out = c.v;
    *nout = c.n;
    return POND_OK;
}

void store_dynamic_entries_free(store_entry *v, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        store_entry_clear(&v[i]);
    free(v);
}

int store_dynamic_self(pond *p, store_entry *node)
{
    store_entry *v = NULL;
    size_t n = 0, i;
    int rc;

    if ((rc = store_dynamic_expand(p, node, node->path, &v, &n)) < 0)
        return rc;
    node->reads_as = POND_ENTRY_DIR; /* a dynamic directory holds no entry at its own path */
    for (i = 0; i < n; i++) {
        if (strcmp(v[i].path, node->path) != 0)
            continue;
        node->reads_as = v[i].reads_as;
        free(node->relation);
        free(node->timestamp_column);
        node->relation = v[i].relation;
        node->timestamp_column = v[i].timestamp_column;
        v[i].relation = v[i].timestamp_column = NULL;
        free(node->node);
        if (!(node->node = strdup(node->path)))
            rc = pond_error_oom();
        break;
    }
    store_dynamic_entries_free(v, n);
    return rc;
}

int store_dynamic_find(pond *p, const char *path, store_entry *e)
{
    pond_buf at = POND_BUF_INIT, up = POND_BUF_INIT;
    store_entry node, *v = NULL;
    size_t n = 0, i;
    int rc = POND_ENOTFOUND, depth;

    memset(&node, 0, sizeof node);
    memset(e, 0, sizeof *e);
    if (pond_buf_puts(&at, path) < 0)
        return pond_error_oom();
    /* the nearest ancestor in the catalog decides: a dynamic one holds path, any other
     * does not; bounded by the path's depth */
    for (depth = 0; depth < 4096 && strcmp(at.ptr, "/") != 0; depth++) {
        pond_buf_clear(&up);
        if ((rc = pond_path_parent(at.ptr, &up)) < 0)
            goto done;
        rc = store_entry_lookup(p, up.ptr, &node);
        if (rc == POND_OK)
            break;
        if (rc != POND_ENOTFOUND)
            goto done;
        pond_buf_clear(&at);
        if ((rc = pond_buf_puts(&at, up.ptr)) < 0)
            goto done;
        rc = POND_ENOTFOUND;
    }
    if (rc != POND_OK || node.type != POND_ENTRY_DYNAMIC) {
        rc = POND_ENOTFOUND;
        goto done;
    }
    if ((rc = store_dynamic_expand(p, &node, path, &v, &n)) < 0)
        goto done;
    rc = POND_ENOTFOUND;
    for (i = 0; i < n; i++) {
        if (strcmp(v[i].path, path) == 0) {
            *e = v[i];
            memset(&v[i], 0, sizeof v[i]);
            rc = POND_OK;
            break;
        }
    }
done:
    store_dynamic_entries_free(v, n);
    store_entry_clear(&node);
    pond_buf_free(&at);
    pond_buf_free(&up);
    return rc;
}
