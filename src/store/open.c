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

/* The directories and the catalog of a new pond at path (errors without the "cannot create
 * pond" prefix).  The catalog is built as tmp/catalog.duckdb (its path left in cat_tmp) and
 * renamed into place last. */
static int create_layout(const char *path, pond_buf *cat_tmp)
{
    pond_buf sub = POND_BUF_INIT, cat = POND_BUF_INIT;
    duckdb_database db = NULL;
    duckdb_connection con = NULL;
    char *err = NULL;
    int rc;

    if ((rc = pond_fs_mkdir_p(path)) < 0)
        goto done;
    if ((rc = pond_buf_printf(&sub, "%s/data", path)) < 0 || (rc = pond_fs_mkdir_p(sub.ptr)) < 0)
        goto done;
    pond_buf_clear(&sub);
    if ((rc = pond_buf_printf(&sub, "%s/tmp", path)) < 0 || (rc = pond_fs_mkdir_p(sub.ptr)) < 0)
        goto done;
    if ((rc = pond_buf_printf(cat_tmp, "%s/tmp/catalog.duckdb", path)) < 0 ||
        (rc = pond_buf_printf(&cat, "%s/catalog.duckdb", path)) < 0)
        goto done;
    if (duckdb_open_ext(cat_tmp->ptr, &db, NULL, &err) == DuckDBError) {
        db = NULL;
        rc = pond_error_set(POND_ERROR, "%s", err ? err : "cannot create the catalog");
        goto done;
    }
    if (duckdb_connect(db, &con) == DuckDBError) {
        con = NULL;
        rc = pond_error_set(POND_ERROR, "cannot connect to the new catalog");
        goto done;
    }
    if ((rc = store_catalog_create(con)) < 0)
        goto done;
    duckdb_disconnect(&con);
    duckdb_close(&db);
    if ((rc = pond_fs_fsync_path(cat_tmp->ptr)) < 0 ||
        (rc = pond_fs_rename(cat_tmp->ptr, cat.ptr)) < 0 ||
        (rc = pond_fs_fsync_parent(cat.ptr)) < 0)
        goto done;
done:
    if (con)
        duckdb_disconnect(&con);
    if (db)
        duckdb_close(&db);
    if (err)
        duckdb_free(err);
    pond_buf_free(&sub);
    pond_buf_free(&cat);
    return rc;
}

int pond_init(const char *path)
{
    pond_buf cat_tmp = POND_BUF_INIT;
    struct stat st;
    int rc, empty;

    if (!path || !*path)
        return pond_error_set(POND_EINVALID, "cannot create pond: no path given");
    if (stat(path, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return pond_error_set(POND_EEXISTS, "cannot create pond '%s': not a directory", path);
        if ((empty = pond_fs_dir_is_empty(path)) < 0)
            return pond_error_wrap(empty, "cannot create pond '%s'", path);
        if (!empty)
            return pond_error_set(POND_EEXISTS, "cannot create pond '%s': directory is not empty",
                                  path);
    }
    if ((rc = create_layout(path, &cat_tmp)) < 0) {
        pond_error_wrap(rc, "cannot create pond '%s'", path);
        if (cat_tmp.len)
            remove(cat_tmp.ptr);
    }
    pond_buf_free(&cat_tmp);
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
static struct {
    dev_t dev;
    ino_t ino;
    pid_t pid;
} open_ponds[MAX_OPEN];
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

/* data/, tmp/ and the handle's private tmp/hXXXXXX (errors without a prefix). */
static int open_dirs(pond *p)
{
    pond_buf tmp = POND_BUF_INIT, dir = POND_BUF_INIT;
    int rc;

    if ((rc = pond_fs_mkdir_p(p->data_dir)) < 0)
        goto done;
    if ((rc = pond_buf_printf(&tmp, "%s/tmp", p->path)) < 0 || (rc = pond_fs_mkdir_p(tmp.ptr)) < 0)
        goto done;
    if ((rc = pond_fs_mktemp_dir(tmp.ptr, "h", &dir)) < 0)
        goto done;
    if (!(p->tmp_dir = pond_buf_detach(&dir)))
        rc = pond_error_oom();
done:
    pond_buf_free(&tmp);
    pond_buf_free(&dir);
    return rc;
}

/* Open the catalog read-write; DuckDB's lock conflict becomes POND_EBUSY. */
static int open_catalog(pond *p)
{
    char *err = NULL;
    int rc = POND_OK;

    if (duckdb_open_ext(p->catalog_path, &p->db, NULL, &err) == DuckDBError) {
        p->db = NULL;
        if (err && strstr(err, "Conflicting lock")) {
            long pid = lock_holder_pid(err);
            if (pid > 0)
                rc = pond_error_set(POND_EBUSY, "pond '%s' is in use by another process (pid %ld)",
                                    p->path, pid);
            else
                rc = pond_error_set(POND_EBUSY, "pond '%s' is in use by another process", p->path);
        } else {
            rc = pond_error_set(POND_ERROR, "cannot open pond '%s': %s", p->path,
                                err ? err : "cannot open the catalog");
        }
        goto done;
    }
    if (duckdb_connect(p->db, &p->con) == DuckDBError) {
        p->con = NULL;
        rc = pond_error_set(POND_ERROR, "cannot open pond '%s': cannot connect to the catalog",
                            p->path);
        goto done;
    }
    rc = store_catalog_check(p->con, p->path);
done:
    if (err)
        duckdb_free(err);
    return rc;
}

int pond_open(pond **out, const char *path, const char *command_line)
{
    pond *p = NULL;
    pond_buf b = POND_BUF_INIT;
    struct stat st;
    int rc = POND_OK;

    *out = NULL;
    if (!path || !*path)
        return pond_error_set(POND_EINVALID, "cannot open pond: no path given");
    if (!pond_fs_is_dir(path))
        return pond_error_set(POND_ENOTFOUND, "cannot open pond '%s': no such directory", path);
    if (!(p = calloc(1, sizeof *p)) || !(p->path = dup_str(path)) ||
        !(p->command = dup_str(command_line ? command_line : "")) ||
        pond_buf_printf(&b, "%s/catalog.duckdb", path) < 0 ||
        !(p->catalog_path = pond_buf_detach(&b)) || pond_buf_printf(&b, "%s/data", path) < 0 ||
        !(p->data_dir = pond_buf_detach(&b))) {
        rc = pond_error_oom();
        goto done;
    }
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
    if ((rc = open_catalog(p)) < 0)
        goto done;
    if ((rc = open_dirs(p)) < 0) {
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

const char *pond_path(const pond *p)
{
    return p->path;
}
