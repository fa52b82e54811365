/*
 * store/open.c: creating, opening and closing a pond.
 *
 * pond_init builds the whole pond under tmp/ first and renames catalog.duckdb into place
 * last, so a directory either is a pond or has no catalog.  pond_open never creates a
 * catalog; it opens catalog.duckdb read-write, and DuckDB's file lock is the pond's lock: a
 * second process fails at once with POND_EBUSY.  Each handle gets a private directory
 * tmp/hXXXXXX for files in progress, removed by pond_close.
 */
#include "store/store_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fs.h"

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

int pond_init(const char *path)
{
    pond_buf sub = POND_BUF_INIT, cat_tmp = POND_BUF_INIT, cat = POND_BUF_INIT;
    duckdb_database db = NULL;
    duckdb_connection con = NULL;
    char *err = NULL;
    int rc, empty;
    struct stat st;

    if (!path || !*path)
        return pond_error_set(POND_EINVALID, "cannot create pond: no path given");
    if (stat(path, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            rc = pond_error_set(POND_EEXISTS, "cannot create pond '%s': not a directory", path);
            goto done;
        }
        empty = pond_fs_dir_is_empty(path);
        if (empty < 0) {
            rc = pond_error_wrap(empty, "cannot create pond '%s'", path);
            goto done;
        }
        if (!empty) {
            rc = pond_error_set(POND_EEXISTS, "cannot create pond '%s': directory is not empty",
                                path);
            goto done;
        }
    }
    if ((rc = pond_fs_mkdir_p(path)) < 0)
        goto wrap;
    if ((rc = pond_buf_printf(&sub, "%s/data", path)) < 0 || (rc = pond_fs_mkdir_p(sub.ptr)) < 0)
        goto wrap;
    pond_buf_clear(&sub);
    if ((rc = pond_buf_printf(&sub, "%s/tmp", path)) < 0 || (rc = pond_fs_mkdir_p(sub.ptr)) < 0)
        goto wrap;
    if ((rc = pond_buf_printf(&cat_tmp, "%s/tmp/catalog.duckdb", path)) < 0 ||
        (rc = pond_buf_printf(&cat, "%s/catalog.duckdb", path)) < 0)
        goto done;
    if (duckdb_open_ext(cat_tmp.ptr, &db, NULL, &err) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot create pond '%s': %s", path,
                            err ? err : "cannot create the catalog");
        goto done;
    }
    if (duckdb_connect(db, &con) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot create pond '%s': cannot connect", path);
        goto done;
    }
    if ((rc = store_catalog_create(con)) < 0)
        goto wrap;
    duckdb_disconnect(&con);
    duckdb_close(&db);
    db = NULL;
    if ((rc = pond_fs_fsync_path(cat_tmp.ptr)) < 0 || (rc = pond_fs_rename(cat_tmp.ptr, cat.ptr)) < 0 ||
        (rc = pond_fs_fsync_parent(cat.ptr)) < 0)
        goto wrap;
    goto done;
wrap:
    pond_error_wrap(rc, "cannot create pond '%s'", path);
done:
    if (con)
        duckdb_disconnect(&con);
    if (db)
        duckdb_close(&db);
    if (err)
        duckdb_free(err);
    if (rc < 0 && cat_tmp.len)
        remove(cat_tmp.ptr);
    pond_buf_free(&sub);
    pond_buf_free(&cat_tmp);
    pond_buf_free(&cat);
    return rc;
}

/*
 * The ponds open in this process.  DuckDB's file lock (fcntl) does not keep a second handle
 * of the same process out, and two DuckDB instances on one file would corrupt it, so the
 * catalogs open here are remembered by device and inode.  Entries carry the pid, so a child
 * after fork() (which holds no DuckDB lock) does not mistake its parent's ponds for its own.
 */
#define MAX_OPEN 64
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { dev_t dev; ino_t ino; pid_t pid; } open_ponds[MAX_OPEN];
static size_t n_open;

/* Register catalog st; POND_EBUSY if it is already open in this process. */
static int register_open(const char *path, const struct stat *st)
{
    size_t i;
    int rc = POND_OK;

    pthread_mutex_lock(&open_lock);
    for (i = 0; i < n_open; i++)
        if (open_ponds[i].dev == st->st_dev && open_ponds[i].ino == st->st_ino &&
            open_ponds[i].pid == getpid())
            break;
    if (i < n_open)
        rc = pond_error_set(POND_EBUSY, "pond '%s' is already open in this process", path);
    else if (n_open == MAX_OPEN)
        rc = pond_error_set(POND_ERROR, "cannot open pond '%s': too many ponds open", path);
    else {
        open_ponds[n_open].dev = st->st_dev;
        open_ponds[n_open].ino = st->st_ino;
        open_ponds[n_open].pid = getpid();
        n_open++;
    }
    pthread_mutex_unlock(&open_lock);
    return rc;
}

static void unregister_open(dev_t dev, ino_t ino)
{
    size_t i;

    pthread_mutex_lock(&open_lock);
    for (i = 0; i < n_open; i++) {
        if (open_ponds[i].dev == dev && open_ponds[i].ino == ino && open_ponds[i].pid == getpid()) {
            open_ponds[i] = open_ponds[--n_open];
            break;
        }
    }
    pthread_mutex_unlock(&open_lock);
}

/* DuckDB's "Conflicting lock is held in <prog> (PID n)" -> n, or 0. */
static long lock_holder_pid(const char *msg)
{
    const char *s = strstr(msg, "PID ");
    return s ? strtol(s + 4, NULL, 10) : 0;
}

int pond_open(pond **out, const char *path, const char *command_line)
{
    pond *p = NULL;
    pond_buf b = POND_BUF_INIT;
    char *err = NULL;
    struct stat st;
    int rc = POND_OK;

    *out = NULL;
    if (!path || !*path)
        return pond_error_set(POND_EINVALID, "cannot open pond: no path given");
    if (!pond_fs_is_dir(path))
        return pond_error_set(POND_ENOTFOUND, "cannot open pond '%s': no such directory", path);
    if (!(p = calloc(1, sizeof *p)))
        return pond_error_oom();
    if (!(p->path = dup_str(path)) || !(p->command = dup_str(command_line ? command_line : "")))
        goto oom;
    if (pond_buf_printf(&b, "%s/catalog.duckdb", path) < 0 || !(p->catalog_path = pond_buf_detach(&b)))
        goto oom;
    if (pond_buf_printf(&b, "%s/data", path) < 0 || !(p->data_dir = pond_buf_detach(&b)))
        goto oom;
    if (stat(p->catalog_path, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = pond_error_set(POND_ENOTFOUND, "cannot open pond '%s': not a pond (no catalog.duckdb)",
                            path);
        goto done;
    }
    if ((rc = register_open(path, &st)) < 0)
        goto done;
    p->registered = 1;
    p->cat_dev = st.st_dev;
    p->cat_ino = st.st_ino;
    if (duckdb_open_ext(p->catalog_path, &p->db, NULL, &err) == DuckDBError) {
        p->db = NULL;
        if (err && strstr(err, "Conflicting lock")) {
            long pid = lock_holder_pid(err);
            if (pid > 0)
                rc = pond_error_set(POND_EBUSY, "pond '%s' is in use by another process (pid %ld)",
                                    path, pid);
            else
                rc = pond_error_set(POND_EBUSY, "pond '%s' is in use by another process", path);
        } else {
            rc = pond_error_set(POND_ERROR, "cannot open pond '%s': %s", path,
                                err ? err : "cannot open the catalog");
        }
        goto done;
    }
    if (duckdb_connect(p->db, &p->con) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot open pond '%s': cannot connect to the catalog",
                            path);
        goto done;
    }
    if ((rc = store_catalog_check(p->con, path)) < 0)
        goto done;
    if ((rc = pond_fs_mkdir_p(p->data_dir)) < 0)
        goto wrap;
    if ((rc = pond_buf_printf(&b, "%s/tmp", path)) < 0 || (rc = pond_fs_mkdir_p(b.ptr)) < 0)
        goto wrap;
    {
        pond_buf dir = POND_BUF_INIT;
        rc = pond_fs_mktemp_dir(b.ptr, "h", &dir);
        if (rc < 0 || !(p->tmp_dir = pond_buf_detach(&dir))) {
            pond_buf_free(&dir);
            if (rc >= 0)
                rc = pond_error_oom();
            goto wrap;
        }
    }
    *out = p;
    p = NULL;
    goto done;
oom:
    rc = pond_error_oom();
    goto done;
wrap:
    pond_error_wrap(rc, "cannot open pond '%s'", path);
done:
    if (err)
        duckdb_free(err);
    pond_buf_free(&b);
    pond_close(p);
    return rc;
}

void pond_close(pond *p)
{
    if (!p)
        return;
    if (p->work_open) {
        duckdb_disconnect(&p->work);
        duckdb_close(&p->work_db);
    }
    if (p->con)
        duckdb_disconnect(&p->con);
    if (p->db)
        duckdb_close(&p->db);
    if (p->tmp_dir) {
        /* keep the caller's last error: closing is not a failure worth reporting */
        char saved[1024];
        int code = pond_error_last_code();
        snprintf(saved, sizeof saved, "%s", pond_error_last());
        if (pond_fs_rm_rf(p->tmp_dir) < 0) {
            if (code)
                pond_error_set(code, "%s", saved);
            else
                pond_error_clear();
        }
    }
    if (p->registered)
        unregister_open(p->cat_dev, p->cat_ino);
    free(p->path);
    free(p->catalog_path);
    free(p->data_dir);
    free(p->tmp_dir);
    free(p->command);
    free(p);
}

const char *pond_path(const pond *p) { return p->path; }
