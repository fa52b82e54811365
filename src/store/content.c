/*
 * store/content.c: content files under data/.  A finished temporary file is fsynced, hashed
 * and renamed to data/<first two hex digits>/<sha256> (no extension), and the directories
 * are fsynced, so the file is durable before the catalog commit refers to it.  Content files
 * are made read-only (0444).  Content is
 * shared: the same bytes are stored once.
 */
#include "store/store_int.h"
#include "util/grow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/fs.h"

int pond_content_dirs(pond *p, const char **data_dir, const char **tmp_dir)
{
    *data_dir = p->data_dir;
    return store_tmp_dir(p, tmp_dir);
}

int store_content_path(const pond *p, const char *sha256, pond_buf *out)
{
    pond_buf_clear(out);
    return pond_buf_printf(out, "%s/%.2s/%s", p->data_dir, sha256, sha256);
}

static int remember(store_txn *txn, const char *path)
{
    size_t n = strlen(path) + 1;
    char *copy;

    if (POND_GROW(txn->new_files, txn->nnew, txn->capnew))
        return POND_ENOMEM;
    if (!(copy = malloc(n)))
        return pond_error_oom();
    memcpy(copy, path, n);
    txn->new_files[txn->nnew++] = copy;
    return POND_OK;
}

int store_content_add(store_txn *txn, const char *tmp_path, store_content *out)
{
    pond *p = txn->p;
    pond_buf dir = POND_BUF_INIT, dest = POND_BUF_INIT;
    struct stat st;
    int rc, made_dir = 0, existed;

    if ((rc = pond_fs_fsync_path(tmp_path)) < 0)
        goto done;
    if ((rc = store_sha256_file(tmp_path, out->sha256, &out->size)) < 0)
        goto done;
    if ((rc = pond_buf_printf(&dir, "%s/%.2s", p->data_dir, out->sha256)) < 0)
        goto done;
    if ((rc = store_content_path(p, out->sha256, &dest)) < 0)
        goto done;
    existed = stat(dest.ptr, &st) == 0;
    if (existed && S_ISREG(st.st_mode) && st.st_size == out->size) {
        /* the same content may be stored already (or left whole by a crash: renames are
         * atomic); a damaged copy is replaced below, which also heals its older versions */
        char have[65];
        if (store_sha256_file(dest.ptr, have, NULL) == POND_OK && strcmp(have, out->sha256) == 0) {
            remove(tmp_path);
            goto done;
        }
    }
    if (!pond_fs_is_dir(dir.ptr)) {
        if ((rc = pond_fs_mkdir_p(dir.ptr)) < 0)
            goto done;
        made_dir = 1;
    }
    chmod(tmp_path, 0444); /* content is immutable; best effort */
    if ((rc = pond_fs_rename(tmp_path, dest.ptr)) < 0)
        goto done;
    if (!existed && (rc = remember(txn, dest.ptr)) < 0)
        goto done;
    if ((rc = pond_fs_fsync_path(dir.ptr)) < 0)
        goto done;
    if (made_dir && (rc = pond_fs_fsync_path(p->data_dir)) < 0)
        goto done;
done:
    pond_buf_free(&dir);
    pond_buf_free(&dest);
    return rc;
}
