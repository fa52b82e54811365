/*
 * store/mknod.c: store_mknod, one transaction that makes a dynamic node or adds a version of
 * its config (store/dynamic.h), and the registered resolver.
 */
#include "store/store_int.h"
#include "store/dynamic.h"

#include <stdlib.h>
#include <string.h>

#include "util/fs.h"

static store_dynamic_expand_fn resolver;

void store_dynamic_register(store_dynamic_expand_fn fn)
{
    resolver = fn;
}

store_dynamic_expand_fn store_dynamic_resolver(void)
{
    return resolver;
}

int store_mknod(pond *p, const char *factory, const char *path, const char *config_path,
                int overwrite)
{
    pond_buf norm = POND_BUF_INIT, tmp = POND_BUF_INIT, vars = POND_BUF_INIT;
    store_entry e;
    store_txn *txn = NULL;
    store_content content;
    store_version v;
    int64_t parent = 0, id = 0;
    int rc, exists;

    memset(&e, 0, sizeof e);
    memset(&v, 0, sizeof v);
    if (!factory || !*factory)
        return pond_error_set(POND_EINVALID, "no factory given");
    if ((rc = store_path_arg(path, &norm)) < 0)
        return rc;
    if (strcmp(norm.ptr, "/") == 0) {
        rc = pond_error_set(POND_EEXISTS, "cannot make node '/': it is the root directory");
        goto done;
    }
    if ((rc = pond_buf_puts(&vars, "{\"factory\":")) < 0 ||
        (rc = store_json_string(&vars, factory)) < 0 || (rc = pond_buf_putc(&vars, '}')) < 0)
        goto done;
    if ((rc = store_txn_begin(p, &txn, vars.ptr)) < 0)
        goto done;
    rc = store_entry_lookup(p, norm.ptr, &e);
    if (rc < 0 && rc != POND_ENOTFOUND)
        goto done;
    exists = rc == POND_OK;
    if (exists && (!overwrite || e.type != POND_ENTRY_DYNAMIC)) {
        rc = pond_error_set(POND_EEXISTS, "cannot make node '%s': it exists (a %s)%s", norm.ptr,
                            pond_entry_type_name(e.type),
                            e.type == POND_ENTRY_DYNAMIC ? "; --overwrite adds a version" : "");
        goto done;
    }
    if (exists && strcmp(e.factory ? e.factory : "", factory) != 0) {
        rc = pond_error_set(POND_EEXISTS,
                            "cannot make node '%s': it is a %s node, not %s (a node keeps its "
                            "factory)",
                            norm.ptr, e.factory ? e.factory : "?", factory);
        goto done;
    }
    if (!exists && (rc = store_parent_dir(p, norm.ptr, "make node", &parent)) < 0)
        goto done;
    if ((rc = store_tmp_path(p, "node", "", &tmp)) < 0 ||
        (rc = pond_fs_copy_file(config_path, tmp.ptr)) < 0 ||
        (rc = store_content_add(txn, tmp.ptr, &content)) < 0)
        goto done;
    pond_buf_clear(&tmp);
    v.sha256 = content.sha256;
    v.size = content.size;
    v.row_count = -1;
    if (exists)
        id = e.id;
    else if ((rc = store_entry_insert_node(p, parent, norm.ptr, POND_ENTRY_DYNAMIC, NULL, NULL,
                                           factory, txn->seq, &id)) < 0)
        goto done;
    if ((rc = store_version_insert(p, id, txn->seq, &v, NULL)) < 0)
        goto done;
    rc = store_txn_commit(txn);
    txn = NULL;
done:
    if (txn)
        store_txn_abort(txn);
    if (tmp.len)
        remove(tmp.ptr);
    store_entry_clear(&e);
    pond_buf_free(&norm);
    pond_buf_free(&tmp);
    pond_buf_free(&vars);
    return rc;
}
