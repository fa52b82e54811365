/*
 * store/tmpdir.c: the handle's private directory for files in progress (CSV converted to
 * Parquet, a spooled pipe, DuckDB's spill files, control-fs records, cat's Parquet).
 *
 * It is made on first use, so a handle that only lists or describes needs none: under
 * $POND/tmp (on the file system of data/, so a finished file is renamed into place), or, for a
 * handle that can only read the pond (read-only media), under $TMPDIR or /tmp.  pond_close
 * removes it; a process killed before that leaves it behind, and pond_check reports it.
 *
 * Telling a live handle's directory from a dead one's: each handle holds a shared flock on
 * its directory for as long as it lives (the kernel drops it when the process dies).  A new
 * directory is made while holding a shared flock on $POND/tmp itself, and store_tmp_leftovers
 * lists under an exclusive one, so it never sees a directory made but not yet locked.
 */
#include "store/store_int.h"
#include "util/grow.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/fs.h"

static int open_locked(const char *path, int how, int *out)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);

    *out = -1;
    if (fd < 0)
        return pond_error_set(errno == ENOENT ? POND_ENOTFOUND : POND_ERROR,
                              "cannot open '%s': %s", path, strerror(errno));
    while (flock(fd, how) != 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK) {
            close(fd);
            return 1;
        }
        close(fd);
        return pond_error_set(POND_ERROR, "cannot lock '%s': %s", path, strerror(errno));
    }
    *out = fd;
    return POND_OK;
}

/* $POND/tmp/hXXXXXX, locked. */
static int make_in_pond(pond *p, pond_buf *dir)
{
    pond_buf tmp = POND_BUF_INIT;
    int tfd = -1, rc;

    if ((rc = pond_buf_printf(&tmp, "%s/tmp", p->path)) < 0 || (rc = pond_fs_mkdir_p(tmp.ptr)) < 0)
        goto done;
    if ((rc = open_locked(tmp.ptr, LOCK_SH, &tfd)) < 0)
        goto done;
    if ((rc = pond_fs_mktemp_dir(tmp.ptr, "h", dir)) < 0)
        goto done;
    if ((rc = open_locked(dir->ptr, LOCK_SH, &p->tmp_fd)) < 0)
        pond_fs_rm_rf(dir->ptr);
done:
    if (tfd >= 0)
        close(tfd);
    pond_buf_free(&tmp);
    return rc;
}

int store_tmp_dir(pond *p, const char **out)
{
    pond_buf dir = POND_BUF_INIT;
    int rc;

    if (!p->tmp_dir) {
        if (!p->read_only) {
            rc = make_in_pond(p, &dir);
        } else {
            const char *sys = getenv("TMPDIR");
            rc = pond_fs_mktemp_dir(sys && *sys ? sys : "/tmp", "pond-h", &dir);
        }
        if (rc < 0) {
            pond_buf_free(&dir);
            return pond_error_wrap(rc, "cannot make a temporary directory for pond '%s'",
                                   p->path);
        }
        if (!(p->tmp_dir = pond_buf_detach(&dir))) {
            pond_buf_free(&dir);
            return pond_error_oom();
        }
    }
    *out = p->tmp_dir;
    return POND_OK;
}

void store_tmp_dir_remove(pond *p)
{
    if (p->tmp_dir) {
        pond_error_saved saved;
        pond_error_save(&saved); /* closing is not a failure worth reporting */
        pond_fs_rm_rf(p->tmp_dir);
        pond_error_restore(&saved);
        free(p->tmp_dir);
        p->tmp_dir = NULL;
    }
    if (p->tmp_fd >= 0) {
        close(p->tmp_fd);
        p->tmp_fd = -1;
    }
}

int store_tmp_path(pond *p, const char *stem, const char *ext, pond_buf *out)
{
    const char *dir;
    int rc;

    pond_buf_clear(out);
    if ((rc = store_tmp_dir(p, &dir)) < 0)
        return rc;
    return pond_buf_printf(out, "%s/%s-%u%s", dir, stem, ++p->tmp_counter, ext);
}

static int add_name(char ***v, size_t *n, size_t *cap, const char *name)
{
    size_t len = strlen(name) + 1;
    char *copy;

    if (POND_GROW(*v, *n, *cap))
        return POND_ENOMEM;
    if (!(copy = malloc(len)))
        return pond_error_oom();
    memcpy(copy, name, len);
    (*v)[(*n)++] = copy;
    return POND_OK;
}

int store_tmp_leftovers(pond *p, char ***out, size_t *n)
{
    pond_buf tmp = POND_BUF_INIT, path = POND_BUF_INIT;
    DIR *d = NULL;
    struct dirent *de;
    size_t cap = 0;
    int tfd = -1, rc;
    pond_error_saved saved;

    pond_error_save(&saved);
    *out = NULL;
    *n = 0;
    if ((rc = pond_buf_printf(&tmp, "%s/tmp", p->path)) < 0)
        goto done;
    if ((rc = open_locked(tmp.ptr, LOCK_EX, &tfd)) < 0) {
        if (rc == POND_ENOTFOUND) /* no tmp/ at all: nothing left over */
            rc = POND_OK;
        goto done;
    }
    if (!(d = opendir(tmp.ptr)))
        goto done;
    while ((de = readdir(d))) {
        int fd = -1, held;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        pond_buf_clear(&path);
        if ((rc = pond_buf_printf(&path, "%s/%s", tmp.ptr, de->d_name)) < 0)
            goto done;
        if (p->tmp_dir && strcmp(path.ptr, p->tmp_dir) == 0)
            continue;
        held = open_locked(path.ptr, LOCK_EX | LOCK_NB, &fd);
        if (fd >= 0)
            close(fd);
        pond_error_restore(&saved); /* one that cannot be opened is left over too */
        if (held == 1)
            continue; /* a live handle's */
        if ((rc = add_name(out, n, &cap, de->d_name)) < 0)
            goto done;
    }
    rc = POND_OK;
done:
    if (d)
        closedir(d);
    if (tfd >= 0)
        close(tfd);
    if (rc < 0) {
        while (*n > 0)
            free((*out)[--*n]);
        free(*out);
        *out = NULL;
    }
    pond_buf_free(&tmp);
    pond_buf_free(&path);
    return rc;
}
