/*
 * store/init.c: pond_init, atomic.
 *
 * The pond is made inside its directory, which may exist (empty: a mount point, or one an
 * administrator made for the user keeps its owner and mode) or not (it is created).  Steps:
 *
 *   1. claim    create PATH/.pond-init (O_EXCL) and hold an exclusive flock on it.  Of two
 *               inits at once exactly one holds the claim; the other fails at once: "is being
 *               initialised by pid N".  A claim whose holder died (the kernel dropped its
 *               flock) is taken over by the next init.
 *   2. look     under the claim: a catalog.sqlite means "is a pond already"; anything else
 *               in the directory means "is not empty", except, when a dead claim is taken
 *               over, what a failed init leaves (data/ empty, tmp/, lock), which is removed.
 *   3. build    data/, tmp/, lock, and the catalog as tmp/init-catalog.sqlite (schema, root
 *               directory, WAL mode, checkpointed into the one file), fsynced.
 *   4. commit   rename it to PATH/catalog.sqlite and fsync PATH: from here on PATH is a pond.
 *   5. release  unlink the claim, drop the flock.
 *
 * A crash before 4 leaves a claim no one holds and no catalog: the next init takes it over
 * (2).  A crash between 4 and 5 leaves a pond with a stale claim, which is harmless (and
 * removed by the next init on it, which says the pond exists).  An ordinary failure removes
 * what it made, and the directory itself when init created it.
 */
#include "store/store_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fs.h"

#define INIT_CLAIM ".pond-init"
#define INIT_CATALOG "tmp/init-catalog.sqlite"

/* What a failed or killed init may leave beside its claim. */
static const char *const init_leftovers[] = {"data", "tmp", "lock"};

static int join(pond_buf *out, const char *dir, const char *name)
{
    pond_buf_clear(out);
    return pond_buf_printf(out, "%s/%s", dir, name);
}

/* The claim's holder from its record ("pid N"), for the message. */
static long claim_pid(int fd)
{
    char buf[64];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 4 || strncmp(buf, "pid ", 4) != 0)
        return 0;
    buf[n] = '\0';
    return strtol(buf + 4, NULL, 10);
}

/* Step 1: *fd holds the claim (flock'ed); *created when this call made the file. */
static int claim(const char *path, int *fd, int *created)
{
    pond_buf cl = POND_BUF_INIT;
    int attempt, rc = POND_OK;

    *fd = -1;
    if ((rc = join(&cl, path, INIT_CLAIM)) < 0)
        return rc;
    for (attempt = 0; attempt < 8; attempt++) {
        struct stat held, now;
        char rec[64];
        int f = open(cl.ptr, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        *created = f >= 0;
        if (f < 0 && errno == EEXIST)
            f = open(cl.ptr, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
        if (f < 0) {
            if (errno == ENOENT)
                continue; /* its init just finished or gave up: look again */
            rc = pond_error_set(POND_ERROR, "cannot create '%s': %s", cl.ptr, strerror(errno));
            goto done;
        }
        if (flock(f, LOCK_EX | LOCK_NB) != 0) {
            long pid = claim_pid(f);
            close(f);
            if (pid > 0)
                rc = pond_error_set(POND_EEXISTS, "it is being initialised by pid %ld", pid);
            else
                rc = pond_error_set(POND_EEXISTS, "it is being initialised by another process");
            goto done;
        }
        /* the file may have been unlinked (its init finished or gave up) after the open */
        if (fstat(f, &held) != 0 || stat(cl.ptr, &now) != 0 || held.st_ino != now.st_ino ||
            held.st_dev != now.st_dev) {
            close(f);
            continue;
        }
        snprintf(rec, sizeof rec, "pid %ld\n", (long)getpid());
        if (ftruncate(f, 0) != 0 || pwrite(f, rec, strlen(rec), 0) < 0) {
            /* the record only names the holder in another init's message */
        }
        *fd = f;
        goto done;
    }
    rc = pond_error_set(POND_EEXISTS, "it is being initialised by another process");
done:
    pond_buf_free(&cl);
    return rc;
}

static int is_leftover(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof init_leftovers / sizeof init_leftovers[0]; i++)
        if (strcmp(name, init_leftovers[i]) == 0)
            return 1;
    return 0;
}

/* Step 2.  *is_pond when a catalog is there (the claim is then not needed). */
static int look(const char *path, int took_over, int *is_pond)
{
    pond_buf sub = POND_BUF_INIT;
    DIR *d = opendir(path);
    struct dirent *de;
    int rc = POND_OK, other = 0, old = 0;
    size_t i;

    *is_pond = 0;
    if (!d)
        return pond_error_set(POND_ERROR, "cannot read '%s': %s", path, strerror(errno));
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0 || strcmp(n, INIT_CLAIM) == 0)
            continue;
        if (strcmp(n, STORE_CATALOG_NAME) == 0)
            *is_pond = 1;
        else if (strcmp(n, "catalog.duckdb") == 0)
            old = 1;
        else if (!took_over || !is_leftover(n))
            other = 1;
    }
    closedir(d);
    if (*is_pond)
        return pond_error_set(POND_EEXISTS, "it is a pond already");
    if (old)
        return pond_error_set(POND_EEXISTS, "it is a pond already (of the older catalog.duckdb "
                                            "layout)");
    if (other)
        return pond_error_set(POND_EEXISTS, "directory is not empty");
    /* a dead init's leftovers: data/ must be empty (no catalog ever referred to it) */
    for (i = 0; took_over && i < sizeof init_leftovers / sizeof init_leftovers[0]; i++) {
        if ((rc = join(&sub, path, init_leftovers[i])) < 0)
            break;
        if (strcmp(init_leftovers[i], "data") == 0 && pond_fs_is_dir(sub.ptr) &&
            pond_fs_dir_is_empty(sub.ptr) != 1) {
            rc = pond_error_set(POND_EEXISTS, "directory is not empty");
            break;
        }
        if ((rc = pond_fs_rm_rf(sub.ptr)) < 0)
            break;
    }
    pond_buf_free(&sub);
    return rc;
}

/* Make the catalog at file (step 3): schema, WAL mode, then folded into the one file. */
static int make_catalog(const char *file)
{
    sqlite3 *db = NULL;
    int rc = POND_OK;
    char *err = NULL;

    if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        rc = pond_error_set(POND_ERROR, "cannot create the catalog '%s': %s", file,
                            db ? sqlite3_errmsg(db) : "out of memory");
        goto done;
    }
    if (sqlite3_exec(db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                     "PRAGMA foreign_keys = ON;",
                     NULL, NULL, &err) != SQLITE_OK) {
        rc = pond_error_set(POND_ERROR, "cannot create the catalog '%s': %s", file,
                            err ? err : sqlite3_errmsg(db));
        goto done;
    }
    if ((rc = store_catalog_create(db, "cannot create the catalog")) < 0)
        goto done;
    if (sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, &err) != SQLITE_OK)
        rc = pond_error_set(POND_ERROR, "cannot create the catalog '%s': %s", file,
                            err ? err : sqlite3_errmsg(db));
done:
    sqlite3_free(err);
    if (db && sqlite3_close(db) != SQLITE_OK && rc == POND_OK)
        rc = pond_error_set(POND_ERROR, "cannot close the new catalog '%s'", file);
    return rc;
}

/* Remove file and its -wal and -shm. */
static void remove_db(const char *file)
{
    char side[4200];
    remove(file);
    snprintf(side, sizeof side, "%s-wal", file);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", file);
    remove(side);
}

/* Steps 3 and 4. */
static int build(const char *path)
{
    pond_buf a = POND_BUF_INIT, b = POND_BUF_INIT;
    int fd, rc;

    if ((rc = join(&a, path, "data")) < 0 || (rc = pond_fs_mkdir_p(a.ptr)) < 0)
        goto done;
    if ((rc = join(&a, path, "tmp")) < 0 || (rc = pond_fs_mkdir_p(a.ptr)) < 0)
        goto done;
    if ((rc = join(&a, path, "lock")) < 0)
        goto done;
    if ((fd = open(a.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0) {
        rc = pond_error_set(POND_ERROR, "cannot create '%s': %s", a.ptr, strerror(errno));
        goto done;
    }
    close(fd);
    if ((rc = join(&a, path, INIT_CATALOG)) < 0 || (rc = join(&b, path, STORE_CATALOG_NAME)) < 0)
        goto done;
    remove_db(a.ptr);
    if ((rc = make_catalog(a.ptr)) < 0)
        goto done;
    /* the checkpoint emptied the log into the file: the file alone is the database now */
    if ((rc = pond_fs_fsync_path(a.ptr)) < 0 || (rc = pond_fs_rename(a.ptr, b.ptr)) < 0 ||
        (rc = pond_fs_fsync_path(path)) < 0)
        goto done;
done:
    if (rc < 0 && a.len)
        remove_db(a.ptr);
    pond_buf_free(&a);
    pond_buf_free(&b);
    return rc;
}

/* After a failure under the claim: what this init made goes, so the next one starts clean. */
static void undo(const char *path)
{
    pond_buf sub = POND_BUF_INIT;
    size_t i;

    for (i = 0; i < sizeof init_leftovers / sizeof init_leftovers[0]; i++)
        if (join(&sub, path, init_leftovers[i]) == POND_OK)
            pond_fs_rm_rf(sub.ptr);
    pond_buf_free(&sub);
}

static void release(const char *path, int fd)
{
    pond_buf cl = POND_BUF_INIT;

    if (join(&cl, path, INIT_CLAIM) == POND_OK)
        unlink(cl.ptr);
    pond_fs_fsync_path(path);
    close(fd);
    pond_buf_free(&cl);
}

int pond_init(const char *path)
{
    pond_error_saved saved;
    struct stat st;
    int rc, fd = -1, created = 0, is_pond = 0, existed;

    if (!path || !*path)
        return pond_error_set(POND_EINVALID, "cannot create pond: no path given");
    existed = stat(path, &st) == 0;
    if (existed && !S_ISDIR(st.st_mode))
        return pond_error_set(POND_EEXISTS, "cannot create pond '%s': not a directory", path);
    if ((rc = pond_fs_mkdir_p(path)) < 0)
        return pond_error_wrap(rc, "cannot create pond '%s'", path);
    if ((rc = claim(path, &fd, &created)) < 0)
        goto done;
    if ((rc = look(path, !created, &is_pond)) == POND_OK && (rc = build(path)) < 0) {
        pond_error_save(&saved);
        undo(path); /* only what build made: look found nothing else there */
        pond_error_restore(&saved);
    }
    release(path, fd);
done:
    if (rc < 0) {
        pond_error_wrap(rc, "cannot create pond '%s'", path);
        if (!existed)
            rmdir(path); /* only when it is empty again */
    }
    return rc;
}
