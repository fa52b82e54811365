/*
 * store/open.c: opening and closing a pond handle (pond_init is in store/init.c).
 *
 * pond_open never creates a catalog: it opens catalog.sqlite (store/catalog_open.c), read-write
 * when the pond can be written, else read-only.  Opening takes no lock and writes nothing, so
 * any number of handles may be open on one pond, in one process or many; writing calls take
 * the write lock when they begin (store/lock.c).  A handle's private tmp directory is made on
 * first use (store/tmpdir.c) and removed by pond_close.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/fs.h"

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

int pond_open_options_init(pond_open_options *opts, unsigned int version)
{
    const pond_open_options defaults = POND_OPEN_OPTIONS_INIT;

    if (!opts)
        return pond_error_set(POND_EINVALID, "no pond_open_options given");
    if (version != POND_OPEN_OPTIONS_VERSION)
        return pond_error_set(POND_EINVALID,
                              "pond_open_options version %u is unknown (this libpond has "
                              "version %d)",
                              version, POND_OPEN_OPTIONS_VERSION);
    *opts = defaults;
    return POND_OK;
}

/* Why path is not a pond, as an error (it has no catalog.sqlite). */
static int not_a_pond(const char *path)
{
    pond_buf old = POND_BUF_INIT;
    int rc;

    if (pond_buf_printf(&old, "%s/catalog.duckdb", path) == POND_OK && pond_fs_exists(old.ptr))
        rc = pond_error_set(POND_EINVALID,
                            "cannot open pond '%s': it has the catalog of an older pond "
                            "(catalog.duckdb), which this pond cannot read; this version keeps "
                            "its catalog in catalog.sqlite: make a new pond with 'pond init' "
                            "and copy the data into it",
                            path);
    else
        rc = pond_error_set(POND_ENOTFOUND,
                            "cannot open pond '%s': not a pond (no " STORE_CATALOG_NAME ")", path);
    pond_buf_free(&old);
    return rc;
}

int pond_open(pond **out, const char *path, const pond_open_options *opts)
{
    const pond_open_options defaults = POND_OPEN_OPTIONS_INIT;
    pond *p = NULL;
    pond_buf b = POND_BUF_INIT;
    struct stat st;
    int rc = POND_OK;

    *out = NULL;
    if (!opts)
        opts = &defaults;
    if (opts->version != POND_OPEN_OPTIONS_VERSION)
        return pond_error_set(POND_EINVALID,
                              "cannot open pond: pond_open_options version %u is unknown (this "
                              "libpond has version %d)",
                              opts->version, POND_OPEN_OPTIONS_VERSION);
    if (opts->wait_ms < 0)
        return pond_error_set(POND_EINVALID, "cannot open pond: negative wait (%d ms)",
                              opts->wait_ms);
    if (!path || !*path)
        return pond_error_set(POND_EINVALID, "cannot open pond: no path given");
    if (!pond_fs_is_dir(path))
        return pond_error_set(POND_ENOTFOUND, "cannot open pond '%s': no such directory", path);
    if (!(p = calloc(1, sizeof *p)))
        return pond_error_oom();
    p->lock_fd = -1;
    p->tmp_fd = -1;
    p->wait_ms = opts->wait_ms;
    if (!(p->path = dup_str(path)) ||
        !(p->command = dup_str(opts->command_line ? opts->command_line : "")) ||
        pond_buf_printf(&b, "%s/" STORE_CATALOG_NAME, path) < 0 ||
        !(p->catalog_path = pond_buf_detach(&b)) || pond_buf_printf(&b, "%s/data", path) < 0 ||
        !(p->data_dir = pond_buf_detach(&b))) {
        rc = pond_error_oom();
        goto done;
    }
    if (stat(p->catalog_path, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = not_a_pond(path);
        goto done;
    }
    if ((rc = store_catalog_open(p)) < 0) {
        pond_error_wrap(rc, "cannot open pond '%s'", path);
        goto done;
    }
    *out = p;
    p = NULL;
done:
    pond_buf_free(&b);
    pond_close(p);
    return rc;
}

void pond_close(pond *p)
{
    if (!p)
        return;
    if (p->txn)
        store_txn_abort(p->txn);
    if (p->snapshot_depth > 0) {
        p->snapshot_depth = 1;
        store_read_end(p);
    }
    store_lock_release(p);
    if (p->work_open) {
        duckdb_disconnect(&p->work);
        duckdb_close(&p->work_db);
    }
    store_catalog_close(p);
    store_tmp_dir_remove(p);
    free(p->path);
    free(p->catalog_path);
    free(p->data_dir);
    free(p->command);
    free(p);
}

const char *pond_path(const pond *p)
{
    return p->path;
}
