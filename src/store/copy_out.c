/*
 * store/copy_out.c: pond_copy_out, a pond file out to a host path.  Data files are copied
 * byte for byte (checked against their sha256 as they go); tables and series (the union of
 * their versions) are written as Parquet, or CSV when the host path ends in ".csv", by the
 * handle's sandboxed work database into its tmp dir.  The output reaches the destination
 * through a temporary file beside it, created exclusively (a planted symlink is never
 * followed) and named with the pid, fsynced and renamed into place, so the host file appears
 * whole or not at all; the temporaries a killed copy to the same destination left are
 * removed first.  An existing host directory receives a file named like the pond file.  A
 * destination inside the pond itself is refused (store/host_guard.c).
 */
#include "store/store_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fs.h"
#include "util/path.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A data file's bytes, checked against its size and sha256, into an exclusive temporary
 * beside dest, fsynced, renamed over dest: damaged content never reaches dest. */
static int copy_bytes(const store_version *v, const char *dest)
{
    pond_buf tmp = POND_BUF_INIT;
    FILE *f = NULL;
    int fd = -1, rc;

    if ((rc = pond_fs_temp_beside(dest, &tmp, &fd)) < 0)
        goto done;
    if (!(f = fdopen(fd, "wb"))) {
        rc = pond_error_set(POND_ERROR, "cannot write '%s': %s", tmp.ptr, strerror(errno));
        goto done;
    }
    fd = -1;
    if ((rc = store_content_stream(v->content_path, v->size, v->sha256, f)) < 0)
        goto done;
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        rc = pond_error_set(POND_ERROR, "cannot write '%s': %s", tmp.ptr, strerror(errno));
        goto done;
    }
    int cr = fclose(f);
    f = NULL;
    if (cr != 0) {
        rc = pond_error_set(POND_ERROR, "cannot write '%s': %s", tmp.ptr, strerror(errno));
        goto done;
    }
    if ((rc = pond_fs_rename(tmp.ptr, dest)) < 0)
        goto done;
    pond_buf_clear(&tmp); /* in place: nothing to remove */
    rc = pond_fs_fsync_parent(dest);
done:
    if (f)
        fclose(f);
    if (fd >= 0)
        close(fd);
    if (tmp.len)
        unlink(tmp.ptr);
    pond_buf_free(&tmp);
    return rc;
}

int pond_copy_out(pond *p, pond_fs fs, const char *src, const char *host_path)
{
    pond_buf dest = POND_BUF_INIT, tmp = POND_BUF_INIT, sql = POND_BUF_INIT, ctx = POND_BUF_INIT;
    store_entry e;
    const char *params[1];
    int rc;

    memset(&e, 0, sizeof e);
    if (!host_path || !*host_path)
        return pond_error_set(POND_EINVALID, "no host path given");
    if ((rc = store_resolve_file(p, fs, src, &e)) < 0)
        goto done;
    if (e.relation)
        e.type = e.reads_as; /* a dynamic series or table reads as one */
    if (pond_fs_is_dir(host_path))
        rc = pond_buf_printf(&dest, "%s/%s", host_path, pond_path_basename(e.path));
    else
        rc = pond_buf_puts(&dest, host_path);
    if (rc < 0)
        goto done;
    {
        /* the destination's directory must exist */
        pond_buf parent = POND_BUF_INIT;
        const char *slash = strrchr(dest.ptr, '/');
        if (slash && slash != dest.ptr) {
            rc = pond_buf_put(&parent, dest.ptr, (size_t)(slash - dest.ptr));
            if (rc == POND_OK && !pond_fs_is_dir(parent.ptr))
                rc = pond_error_set(POND_ENOTFOUND,
                                    "cannot copy '%s' to '%s': no such directory "
                                    "'%s'",
                                    e.path, dest.ptr, parent.ptr);
        }
        pond_buf_free(&parent);
        if (rc < 0)
            goto done;
    }
    if ((rc = pond_check_outside(p, dest.ptr, NULL)) < 0) {
        rc = pond_error_wrap(rc, "cannot copy '%s'", e.path);
        goto done;
    }
    /* What a killed copy to dest left behind goes first. */
    pond_fs_remove_stale_temps(dest.ptr);
    if (e.type == POND_ENTRY_DATA) {
        rc = copy_bytes(&e.versions[e.nversions - 1], dest.ptr);
    } else {
        /* DuckDB (sandboxed: it writes only in the handle's tmp dir) writes the file there;
         * it is then put in place beside dest. */
        int csv = ends_with(dest.ptr, ".csv");
        if ((rc = store_view_create(p, &e, 0, 0, 0, 0)) < 0)
            goto done;
        rc = pond_buf_printf(&sql, "COPY (SELECT * FROM series) TO $1 (FORMAT %s)",
                             csv ? "CSV, HEADER" : "PARQUET");
        if (rc < 0 ||
            (rc = pond_buf_printf(&ctx, "cannot copy '%s' to '%s'", e.path, dest.ptr)) < 0 ||
            (rc = store_tmp_path(p, "out", csv ? ".csv" : ".parquet", &tmp)) < 0)
            goto done;
        params[0] = tmp.ptr;
        if ((rc = store_work_run(p, POND_ERROR, ctx.ptr, sql.ptr, params, 1, NULL)) < 0)
            goto done;
        rc = pond_fs_install(tmp.ptr, dest.ptr);
    }
done:
    if (rc < 0 && tmp.len)
        remove(tmp.ptr);
    store_entry_clear(&e);
    pond_buf_free(&dest);
    pond_buf_free(&tmp);
    pond_buf_free(&sql);
    pond_buf_free(&ctx);
    return rc;
}
