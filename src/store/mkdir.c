/*
 * store/mkdir.c: pond_mkdir, one transaction that makes a directory (and with parents, the
 * missing ones above it).
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/path.h"

int pond_mkdir(pond *p, const char *path, int parents)
{
    pond_buf norm = POND_BUF_INIT, prefix = POND_BUF_INIT;
    store_entry e;
    store_txn *txn = NULL;
    pond_path_iter it;
    const char *name;
    size_t len;
    int64_t parent = STORE_ROOT_ID;
    int rc;

    memset(&e, 0, sizeof e);
    if ((rc = store_path_arg(path, &norm)) < 0)
        return rc;
    if (strcmp(norm.ptr, "/") == 0) {
        rc = parents ? POND_OK
                     : pond_error_set(POND_EEXISTS, "cannot make directory '/': it exists");
        goto done;
    }
    if (parents) {
        /* an existing directory: nothing to do, and nothing for the log */
        rc = store_entry_lookup(p, norm.ptr, &e);
        if (rc == POND_OK && e.type == POND_ENTRY_DIR)
            goto done;
        if (rc < 0 && rc != POND_ENOTFOUND)
            goto done;
        store_entry_clear(&e);
    }
    if ((rc = store_txn_begin(p, &txn, NULL)) < 0)
        goto done;
    pond_path_iter_init(&it, norm.ptr);
    while (pond_path_iter_next(&it, &name, &len)) {
        int last = name[len] == '\0';
        if ((rc = pond_buf_putc(&prefix, '/')) < 0 || (rc = pond_buf_put(&prefix, name, len)) < 0)
            goto done;
        store_entry_clear(&e);
        rc = store_entry_lookup(p, prefix.ptr, &e);
        if (rc == POND_OK) {
            if (e.type != POND_ENTRY_DIR) {
                rc = pond_error_set(POND_EEXISTS, "cannot make directory '%s': '%s' is a %s",
                                    norm.ptr, prefix.ptr, pond_entry_type_name(e.type));
                goto done;
            }
            if (last && !parents) {
                rc =
                    pond_error_set(POND_EEXISTS, "cannot make directory '%s': it exists", norm.ptr);
                goto done;
            }
            parent = e.id;
            continue;
        }
        if (rc != POND_ENOTFOUND)
            goto done;
        if (!last && !parents) {
            rc =
                pond_error_set(POND_ENOTFOUND, "cannot make directory '%s': no such directory '%s'",
                               norm.ptr, prefix.ptr);
            goto done;
        }
        if ((rc = store_entry_insert(p, parent, prefix.ptr, POND_ENTRY_DIR, NULL, NULL, txn->seq,
                                     &parent)) < 0)
            goto done;
    }
    rc = store_txn_commit(txn);
    txn = NULL;
done:
    if (txn)
        store_txn_abort(txn);
    store_entry_clear(&e);
    pond_buf_free(&norm);
    pond_buf_free(&prefix);
    return rc;
}
