/*
 * store/symlink.c: pond_symlink (one transaction) and following symlinks when reading.
 * A symlink's target is a normalized absolute pond path; it may dangle.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/path.h"

#define MAX_SYMLINK_HOPS 16

int pond_symlink(pond *p, const char *target, const char *path)
{
    pond_buf norm = POND_BUF_INIT, to = POND_BUF_INIT;
    store_entry e;
    store_txn *txn = NULL;
    int64_t id, parent_id;
    int rc;

    memset(&e, 0, sizeof e);
    if ((rc = store_path_arg(path, &norm)) < 0 || (rc = store_path_arg(target, &to)) < 0)
        goto done;
    if (strcmp(norm.ptr, "/") == 0) {
        rc = pond_error_set(POND_EEXISTS, "cannot make symlink '/': it exists");
        goto done;
    }
    if ((rc = store_txn_begin(p, &txn, NULL)) < 0)
        goto done;
    rc = store_entry_lookup(p, norm.ptr, &e);
    if (rc == POND_OK) {
        rc = pond_error_set(POND_EEXISTS, "cannot make symlink '%s': it exists", norm.ptr);
        goto done;
    }
    if (rc != POND_ENOTFOUND)
        goto done;
    if ((rc = store_parent_dir(p, norm.ptr, "make symlink", &parent_id)) < 0)
        goto done;
    if ((rc = store_entry_insert(p, parent_id, norm.ptr, POND_ENTRY_SYMLINK, to.ptr, NULL,
                                 txn->seq, &id)) < 0)
        goto done;
    rc = store_txn_commit(txn);
    txn = NULL;
done:
    if (txn)
        store_txn_abort(txn);
    store_entry_clear(&e);
    pond_buf_free(&norm);
    pond_buf_free(&to);
    return rc;
}

int store_entry_follow(pond *p, const char *path, store_entry *e)
{
    pond_buf at = POND_BUF_INIT;
    int hops, rc;

    memset(e, 0, sizeof *e);
    if ((rc = pond_buf_puts(&at, path)) < 0)
        return rc;
    for (hops = 0;; hops++) {
        rc = store_entry_lookup(p, at.ptr, e);
        if (rc == POND_ENOTFOUND)
            rc = store_dynamic_find(p, at.ptr, e); /* inside a dynamic directory */
        if (rc == POND_OK && e->type == POND_ENTRY_DYNAMIC && !e->is_virtual)
            rc = store_dynamic_self(p, e);
        if (rc == POND_ENOTFOUND) {
            rc = hops ? pond_error_set(POND_ENOTFOUND,
                                       "no such file '%s' (the target of symlink "
                                       "'%s')",
                                       at.ptr, path)
                      : pond_error_set(POND_ENOTFOUND, "no such file '%s'", path);
            break;
        }
        if (rc < 0 || e->type != POND_ENTRY_SYMLINK)
            break;
        if (hops == MAX_SYMLINK_HOPS) {
            rc = pond_error_set(POND_EINVALID, "cannot read '%s': too many levels of symlinks",
                                path);
            break;
        }
        pond_buf_clear(&at);
        rc = pond_buf_puts(&at, e->symlink_target ? e->symlink_target : "");
        store_entry_clear(e);
        if (rc < 0)
            break;
    }
    if (rc < 0)
        store_entry_clear(e);
    pond_buf_free(&at);
    return rc;
}
