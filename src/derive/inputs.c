/*
 * derive/inputs.c: pond_derive_inputs, what a dynamic entry's content depends on, for a
 * reader that must know whether it changed (an incremental export): every config it follows
 * and every stored source version it reads, found by resolving the entry with a recorder
 * set (derive_int.h).  The list is complete and may say more than the one entry needs (an
 * entry of a temporal-reduce directory lists the inputs of its whole node): it never misses
 * a change.
 */
#include "derive/derive_int.h"

#include <stdlib.h>
#include <string.h>

#include "pond/derive.h"
#include "util/error.h"

typedef struct found_entry {
    int is_dynamic;
    char *node;
} found_entry;

static int take(const pond_entry_info *e, void *ctx)
{
    found_entry *f = ctx;
    f->is_dynamic = e->type == POND_ENTRY_DYNAMIC;
    if (f->is_dynamic && !(f->node = strdup(e->node ? e->node : e->path)))
        return pond_error_oom();
    return POND_OK;
}

typedef struct pass {
    pond_derive_input_fn fn;
    void *ctx;
    char **seen; /* "path\nversion\nconfig" keys already passed on */
    size_t n, cap;
} pass;

static int record(const char *path, int64_t version, const char *sha256, int is_config,
                  void *vctx)
{
    pass *ps = vctx;
    pond_buf key = POND_BUF_INIT;
    pond_derive_input in = {path, version, sha256, is_config};
    size_t i;
    int rc;

    if ((rc = pond_buf_printf(&key, "%s\n%lld\n%d", path, (long long)version, is_config)) < 0)
        return rc;
    for (i = 0; i < ps->n; i++) {
        if (strcmp(ps->seen[i], key.ptr) == 0) {
            pond_buf_free(&key);
            return POND_OK;
        }
    }
    if (ps->n == ps->cap) {
        size_t ncap = ps->cap ? ps->cap * 2 : 16;
        char **nv = realloc(ps->seen, ncap * sizeof *nv);
        if (!nv) {
            pond_buf_free(&key);
            return pond_error_oom();
        }
        ps->seen = nv;
        ps->cap = ncap;
    }
    ps->seen[ps->n++] = pond_buf_detach(&key);
    return ps->fn(&in, ps->ctx);
}

static int nothing(const pond_entry_info *e, void *ctx)
{
    (void)e;
    (void)ctx;
    return POND_OK;
}

int pond_derive_inputs(pond *p, const char *path, pond_derive_input_fn fn, void *ctx)
{
    found_entry f = {0, NULL};
    pass ps;
    derive_recorder r;
    size_t i;
    int rc;

    memset(&ps, 0, sizeof ps);
    ps.fn = fn;
    ps.ctx = ctx;
    r.fn = record;
    r.ctx = &ps;
    if (!path || !fn)
        return pond_error_set(POND_EINVALID, "no path given");
    if ((rc = pond_snapshot_begin(p, NULL)) < 0)
        return rc;
    if ((rc = pond_glob(p, POND_FS_DATA, path, 0, take, &f)) < 0)
        goto done;
    if (!f.is_dynamic) {
        rc = pond_error_set(POND_EINVALID, "'%s' is not a dynamic entry", path);
        goto done;
    }
    /* the node again, its config and sources resolved with the recorder listening */
    derive_recorder_set(&r);
    rc = pond_glob(p, POND_FS_DATA, f.node, POND_WITH_VERSIONS, nothing, NULL);
    if (rc == POND_OK && strcmp(f.node, path) != 0)
        rc = pond_glob(p, POND_FS_DATA, path, 0, nothing, NULL);
    derive_recorder_set(NULL);
done:
    pond_snapshot_end(p);
    for (i = 0; i < ps.n; i++)
        free(ps.seen[i]);
    free(ps.seen);
    free(f.node);
    return rc;
}
