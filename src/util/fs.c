/*
 * util/fs.c: host file-system helpers (see fs.h).
 *
 * Guarantees: every failure sets the error with the path and strerror; file descriptors and
 * directory handles are closed on every path out; write_file_atomic never leaves a partial
 * file at the target path.
 */
#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define COPY_BLOCK (1024 * 1024)

/* The pond error code for errno value err. */
static int code_of(int err)
{
    switch (err) {
    case ENOENT:
        return POND_ENOTFOUND;
    case EEXIST:
    case ENOTEMPTY:
        return POND_EEXISTS;
    case ENOMEM:
        return POND_ENOMEM;
    default:
        return POND_ERROR;
    }
}

/* Set "cannot <what> '<path>': <strerror(err)>" and return its code. */
static int fail(int err, const char *what, const char *path)
{
    return pond_error_set(code_of(err), "cannot %s '%s': %s", what, path, strerror(err));
}

/* The directory part of path into out: "a/b" -> "a", "/a" -> "/", "a" -> ".". */
static int dir_of(const char *path, pond_buf *out)
{
    pond_buf_clear(out);
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') /* ignore trailing slashes */
        n--;
    while (n > 0 && path[n - 1] != '/')
        n--;
    if (n == 0)
        return pond_buf_puts(out, ".");
    while (n > 1 && path[n - 1] == '/')
        n--;
    return pond_buf_put(out, path, n);
}

static int write_all(int fd, const void *data, size_t len, const char *path)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return fail(errno, "write", path);
        }
        p += w;
        len -= (size_t)w;
    }
    return POND_OK;
}

int pond_fs_mkdir_p(const char *path)
{
    int rc = POND_OK;
    pond_buf b = POND_BUF_INIT;
    struct stat st;

    if (!path || !*path) {
        rc = pond_error_set(POND_EINVALID, "cannot create directory '': empty path");
        goto done;
    }
    /* Usually the parent exists: one mkdir (and a stat when path is there already). */
    if (mkdir(path, 0777) == 0)
        goto done;
    if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        goto done;
    if ((rc = pond_buf_puts(&b, path)))
        goto done;
    /* Else visit each prefix ending before a '/', then the whole path. */
    for (size_t i = 1; i <= b.len; i++) {
        if (i < b.len && b.ptr[i] != '/')
            continue;
        if (i < b.len && b.ptr[i - 1] == '/')
            continue; /* "//" */
        char saved = b.ptr[i];
        b.ptr[i] = '\0';
        if (mkdir(b.ptr, 0777) != 0) {
            int err = errno;
            if (stat(b.ptr, &st) == 0) {
                if (!S_ISDIR(st.st_mode)) {
                    rc = pond_error_set(POND_EEXISTS,
                                        "cannot create directory '%s': '%s' exists and is not "
                                        "a directory",
                                        path, b.ptr);
                    goto done;
                }
            } else {
                rc = pond_error_set(code_of(err), "cannot create directory '%s': %s", b.ptr,
                                    strerror(err));
                goto done;
            }
        }
        b.ptr[i] = saved;
    }
done:
    pond_buf_free(&b);
    return rc;
}

/* Remove the contents of directory path (held in b, which is restored on return). */
static int rm_tree(pond_buf *b)
{
    int rc = POND_OK;
    DIR *d = NULL;
    struct stat st;
    size_t base = b->len;

    if (lstat(b->ptr, &st) != 0) {
        if (errno != ENOENT)
            rc = fail(errno, "remove", b->ptr);
        goto done;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(b->ptr) != 0 && errno != ENOENT)
            rc = fail(errno, "remove", b->ptr);
        goto done;
    }
    if (!(d = opendir(b->ptr))) {
        rc = fail(errno, "open directory", b->ptr);
        goto done;
    }
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno) {
                rc = fail(errno, "read directory", b->ptr);
                goto done;
            }
            break;
        }
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if ((rc = pond_buf_putc(b, '/')) || (rc = pond_buf_puts(b, e->d_name)))
            goto done;
        rc = rm_tree(b);
        pond_buf_truncate(b, base);
        if (rc)
            goto done;
    }
    closedir(d);
    d = NULL;
    if (rmdir(b->ptr) != 0 && errno != ENOENT)
        rc = fail(errno, "remove directory", b->ptr);
done:
    if (d)
        closedir(d);
    pond_buf_truncate(b, base);
    return rc;
}

int pond_fs_rm_rf(const char *path)
{
    pond_buf b = POND_BUF_INIT;
    int rc = pond_buf_puts(&b, path);
    if (!rc)
        rc = rm_tree(&b);
    pond_buf_free(&b);
    return rc;
}

int pond_fs_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int pond_fs_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int pond_fs_dir_is_empty(const char *path)
{
    int rc = 1;
    DIR *d = opendir(path);
    if (!d)
        return fail(errno, "open directory", path);
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno)
                rc = fail(errno, "read directory", path);
            break;
        }
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            rc = 0;
            break;
        }
    }
    closedir(d);
    return rc;
}

int pond_fs_fsync_path(const char *path)
{
    int rc = POND_OK;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = fail(errno, "open", path);
        goto done;
    }
    if (fsync(fd) != 0 && errno != EINVAL) {
        rc = fail(errno, "fsync", path);
        goto done;
    }
done:
    if (fd >= 0)
        close(fd);
    return rc;
}

int pond_fs_fsync_parent(const char *path)
{
    pond_buf dir = POND_BUF_INIT;
    int rc = dir_of(path, &dir);
    if (!rc)
        rc = pond_fs_fsync_path(dir.ptr);
    pond_buf_free(&dir);
    return rc;
}

int pond_fs_read_file(const char *path, pond_buf *out)
{
    int rc = POND_OK;
    int fd = -1;

    pond_buf_clear(out);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        rc = fail(errno, "open", path);
        goto done;
    }
    for (;;) {
        if ((rc = pond_buf_grow(out, 65536)))
            goto done;
        ssize_t r = read(fd, out->ptr + out->len, out->cap - out->len - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = fail(errno, "read", path);
            goto done;
        }
        if (r == 0)
            break;
        out->len += (size_t)r;
        out->ptr[out->len] = '\0';
    }
done:
    if (fd >= 0)
        close(fd);
    return rc;
}

/* The name of path's temporaries: ".<base>.tmp-<pid>-" (the pid tells whose it is). */
static int temp_prefix(const char *path, pond_buf *dir, pond_buf *prefix)
{
    const char *base = strrchr(path, '/');
    int rc;

    base = base ? base + 1 : path;
    if (!*base)
        return pond_error_set(POND_EINVALID, "cannot write '%s': not a file name", path);
    if ((rc = dir_of(path, dir)) != POND_OK)
        return rc;
    pond_buf_clear(prefix);
    return pond_buf_printf(prefix, ".%s.tmp-", base);
}

int pond_fs_temp_beside(const char *path, pond_buf *tmp, int *fd)
{
    static _Thread_local unsigned counter;
    int rc;
    pond_buf dir = POND_BUF_INIT, prefix = POND_BUF_INIT;

    *fd = -1;
    pond_buf_clear(tmp);
    if ((rc = temp_prefix(path, &dir, &prefix)) != POND_OK)
        goto done;
    for (int tries = 0; *fd < 0; tries++) {
        pond_buf_clear(tmp);
        if ((rc = pond_buf_printf(tmp, "%s/%s%ld-%u-%ld", dir.ptr, prefix.ptr, (long)getpid(),
                                  ++counter, (long)(time(NULL) ^ (intptr_t)&tmp))))
            goto done;
        /* O_EXCL | O_NOFOLLOW: a name someone planted (a symlink) is never opened. */
        *fd = open(tmp->ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (*fd < 0 && (errno != EEXIST || tries >= 100)) {
            rc = fail(errno, "create", tmp->ptr);
            goto done;
        }
    }
done:
    if (rc != POND_OK)
        pond_buf_clear(tmp);
    pond_buf_free(&dir);
    pond_buf_free(&prefix);
    return rc;
}

/* 1 if the process pid certainly no longer runs. */
static int pid_dead(long pid)
{
    return pid > 0 && pid <= INT32_MAX && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

void pond_fs_remove_stale_temps(const char *path)
{
    pond_buf dir = POND_BUF_INIT, prefix = POND_BUF_INIT, legacy = POND_BUF_INIT,
             victim = POND_BUF_INIT;
    DIR *d = NULL;
    const char *base = strrchr(path, '/');

    base = base ? base + 1 : path;
    if (!*base || temp_prefix(path, &dir, &prefix) != POND_OK ||
        pond_buf_printf(&legacy, "%s.pond-tmp-", base) != POND_OK || !(d = opendir(dir.ptr)))
        goto done;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        const char *rest = NULL;
        if (!strncmp(e->d_name, prefix.ptr, prefix.len))
            rest = e->d_name + prefix.len; /* ".<base>.tmp-<pid>-<n>-<r>" */
        else if (!strncmp(e->d_name, legacy.ptr, legacy.len))
            rest = e->d_name + legacy.len; /* "<base>.pond-tmp-<pid>", pond 0.1.0 */
        if (!rest || *rest < '0' || *rest > '9')
            continue;
        char *end;
        long pid = strtol(rest, &end, 10);
        if ((*end != '-' && *end != '\0') || !pid_dead(pid))
            continue;
        pond_buf_clear(&victim);
        if (pond_buf_printf(&victim, "%s/%s", dir.ptr, e->d_name) == POND_OK)
            unlink(victim.ptr);
    }
done:
    if (d)
        closedir(d);
    pond_buf_free(&dir);
    pond_buf_free(&prefix);
    pond_buf_free(&legacy);
    pond_buf_free(&victim);
}

int pond_fs_write_file_atomic(const char *path, const void *data, size_t len)
{
    int rc = POND_OK;
    int fd = -1;
    pond_buf dir = POND_BUF_INIT, tmp = POND_BUF_INIT;

    if ((rc = dir_of(path, &dir)) || (rc = pond_fs_temp_beside(path, &tmp, &fd)))
        goto done;
    if ((rc = write_all(fd, data, len, tmp.ptr)))
        goto done;
    if (fsync(fd) != 0) {
        rc = fail(errno, "fsync", tmp.ptr);
        goto done;
    }
    int cr = close(fd);
    fd = -1;
    if (cr != 0) {
        rc = fail(errno, "close", tmp.ptr);
        goto done;
    }
    if ((rc = pond_fs_rename(tmp.ptr, path)))
        goto done;
    pond_buf_clear(&tmp); /* renamed: nothing to clean up */
    rc = pond_fs_fsync_path(dir.ptr);
done:
    if (fd >= 0)
        close(fd);
    if (rc && tmp.len)
        unlink(tmp.ptr);
    pond_buf_free(&dir);
    pond_buf_free(&tmp);
    return rc;
}

/* Copy everything from in (named src) to out (named dst), then fsync out. */
static int copy_fd(int in, int out, const char *src, const char *dst)
{
    int rc = POND_OK;
    char *block = malloc(COPY_BLOCK);

    if (!block)
        return pond_error_oom();
    for (;;) {
        ssize_t r = read(in, block, COPY_BLOCK);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = fail(errno, "read", src);
            goto done;
        }
        if (r == 0)
            break;
        if ((rc = write_all(out, block, (size_t)r, dst)))
            goto done;
    }
    if (fsync(out) != 0)
        rc = fail(errno, "fsync", dst);
done:
    free(block);
    return rc;
}

int pond_fs_copy_file(const char *src, const char *dst)
{
    int rc = POND_OK;
    int in = -1, out = -1;

    if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0) {
        rc = fail(errno, "open", src);
        goto done;
    }
    if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
        rc = fail(errno, "create", dst);
        goto done;
    }
    if ((rc = copy_fd(in, out, src, dst)))
        goto done;
    int cr = close(out);
    out = -1;
    if (cr != 0)
        rc = fail(errno, "close", dst);
done:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    return rc;
}

int pond_fs_move_beside(const char *src, const char *dst, pond_buf *tmp)
{
    int rc, fd = -1, in = -1;

    if ((rc = pond_fs_temp_beside(dst, tmp, &fd)) != POND_OK)
        return rc;
    /* The temporary's name is ours now: renaming src over it is safe. */
    if (rename(src, tmp->ptr) == 0) {
        rc = pond_fs_fsync_path(tmp->ptr);
    } else if (errno != EXDEV) {
        rc = pond_error_set(code_of(errno), "cannot move '%s' to '%s': %s", src, tmp->ptr,
                            strerror(errno));
    } else if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0) {
        rc = fail(errno, "open", src);
    } else if ((rc = copy_fd(in, fd, src, tmp->ptr)) == POND_OK) {
        unlink(src);
    }
    if (in >= 0)
        close(in);
    if (close(fd) != 0 && rc == POND_OK)
        rc = fail(errno, "close", tmp->ptr);
    if (rc != POND_OK) {
        unlink(tmp->ptr);
        pond_buf_clear(tmp);
    }
    return rc;
}

int pond_fs_install(const char *src, const char *dst)
{
    pond_buf tmp = POND_BUF_INIT;
    int rc = pond_fs_move_beside(src, dst, &tmp);

    if (rc == POND_OK && (rc = pond_fs_rename(tmp.ptr, dst)) != POND_OK)
        unlink(tmp.ptr);
    if (rc == POND_OK)
        rc = pond_fs_fsync_parent(dst);
    pond_buf_free(&tmp);
    return rc;
}

int pond_fs_rename(const char *from, const char *to)
{
    if (rename(from, to) == 0)
        return POND_OK;
    int err = errno;
    return pond_error_set(code_of(err), "cannot rename '%s' to '%s': %s", from, to,
                          strerror(err));
}

int pond_fs_abspath(const char *path, pond_buf *out)
{
    int rc = POND_OK;
    pond_buf raw = POND_BUF_INIT;

    pond_buf_clear(out);
    if (!path || !*path) {
        rc = pond_error_set(POND_EINVALID, "cannot make '' absolute: empty path");
        goto done;
    }
    if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (!cwd) {
            rc = fail(errno, "get the working directory for", path);
            goto done;
        }
        rc = pond_buf_puts(&raw, cwd);
        free(cwd);
        if (rc || (rc = pond_buf_putc(&raw, '/')))
            goto done;
    }
    if ((rc = pond_buf_puts(&raw, path)))
        goto done;
    /* Clean lexically, one component at a time. */
    for (const char *p = raw.ptr; *p;) {
        while (*p == '/')
            p++;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        size_t n = (size_t)(e - p);
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* skip */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            size_t k = out->len;
            while (k > 0 && out->ptr[k - 1] != '/')
                k--;
            pond_buf_truncate(out, k > 0 ? k - 1 : 0);
        } else if ((rc = pond_buf_putc(out, '/')) || (rc = pond_buf_put(out, p, n))) {
            goto done;
        }
        p = e;
    }
    if (out->len == 0)
        rc = pond_buf_putc(out, '/');
done:
    pond_buf_free(&raw);
    return rc;
}

int pond_fs_realpath(const char *path, pond_buf *out)
{
    int rc;
    pond_buf abs = POND_BUF_INIT;
    char *real = NULL;
    size_t cut;

    pond_buf_clear(out);
    if ((rc = pond_fs_abspath(path, &abs)) != POND_OK)
        goto done;
    /* Walk up to the deepest ancestor that exists (the root always does). */
    for (cut = abs.len;;) {
        char saved = abs.ptr[cut];
        abs.ptr[cut] = '\0';
        real = realpath(cut ? abs.ptr : "/", NULL);
        abs.ptr[cut] = saved;
        if (real || cut == 0)
            break;
        if (errno != ENOENT && errno != ENOTDIR) {
            rc = fail(errno, "resolve", abs.ptr);
            goto done;
        }
        while (cut > 0 && abs.ptr[cut - 1] != '/')
            cut--;
        if (cut > 0)
            cut--; /* the '/' before the last name */
    }
    if (!real) {
        rc = fail(errno, "resolve", abs.ptr);
        goto done;
    }
    if ((rc = pond_buf_puts(out, real)) != POND_OK)
        goto done;
    const char *rest = abs.ptr + cut; /* "" or "/name…", the part that does not exist */
    if (*rest && !strcmp(real, "/"))
        rest++;
    rc = pond_buf_puts(out, rest);
done:
    free(real);
    pond_buf_free(&abs);
    return rc;
}

int pond_fs_path_within(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return path[0] == '/';
    return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int pond_fs_mktemp_dir(const char *parent, const char *prefix, pond_buf *out)
{
    int rc;
    pond_buf_clear(out);
    if ((rc = pond_buf_printf(out, "%s/%sXXXXXX", parent, prefix ? prefix : "")))
        return rc;
    if (!mkdtemp(out->ptr)) {
        int err = errno;
        rc = pond_error_set(code_of(err), "cannot create a temporary directory in '%s': %s",
                            parent, strerror(err));
        pond_buf_clear(out);
        return rc;
    }
    return POND_OK;
}
