/*
 * store/host_guard.c: pond never writes over its own files.  Every host path a command is
 * about to write (a copy out's destination, an export's DIR, --dump-tables DIR2) is compared
 * with the pond's directory as real paths, after symlinks, so no spelling of a path inside
 * the pond (through a symlink, with "..", not created yet) gets through.
 */
#include "store/store_int.h"

#include "util/fs.h"

int pond_check_outside(const pond *p, const char *host_path, const char *what)
{
    pond_buf real = POND_BUF_INIT, pond_real = POND_BUF_INIT;
    int rc;

    if ((rc = pond_fs_realpath(host_path, &real)) != POND_OK ||
        (rc = pond_fs_realpath(p->path, &pond_real)) != POND_OK)
        goto done;
    if (pond_fs_path_within(real.ptr, pond_real.ptr))
        rc = pond_error_set(POND_EINVALID,
                            "%s%s'%s' is inside the pond '%s' (pond never writes over its own "
                            "files)",
                            what ? what : "", what ? " " : "", host_path, p->path);
done:
    pond_buf_free(&real);
    pond_buf_free(&pond_real);
    return rc;
}
