/*
 * store/lock.c: the pond's write lock, $POND/lock.
 *
 * One writer at a time.  A writing call takes an exclusive flock(2) on $POND/lock before it
 * begins its catalog transaction and drops it after the commit (or the abort), polling with
 * a growing pause until p->wait_ms have passed.  The holder then writes "pid N" and its
 * command line into the file, so that a writer that gives up can say who holds the pond:
 * "pond '/p' is in use by pid 4242 (pond copy big.csv /a.series)".
 *
 * Why this is safe under kill -9: the kernel drops a flock with the last descriptor of its
 * holder, so a dead holder never blocks anyone; the record it leaves is stale but is only
 * read while the lock is held by someone, and a record naming a process that no longer runs
 * is not believed.  (pond_check takes the lock shared for an instant to see whether a writer
 * is at work; a writer whose wait is over meanwhile waits a moment more for it, since the
 * lock then names no writer.)  flock locks belong to the open file, so two handles of one process
 * exclude each other as two processes do.  SQLite's own write lock stays beneath this one
 * (BEGIN IMMEDIATE), so even a writer that ignored $POND/lock could not corrupt the catalog.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#define LOCK_PAUSE_MIN_MS 2
#define LOCK_PAUSE_MAX_MS 50
#define LOCK_GRACE_MS 100 /* past the wait, while the lock's holder is not a writer */
#define HOLDER_MAX 2048

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void pause_ms(int64_t ms)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int lock_path(const pond *p, pond_buf *out)
{
    return pond_buf_printf(out, "%s/lock", p->path);
}

/* The holder's record as "pid N (command)" in out: 1 when it names a live process, else 0. */
static int read_holder(int fd, pond_buf *out)
{
    char buf[HOLDER_MAX + 1], *nl, *s;
    ssize_t n = pread(fd, buf, HOLDER_MAX, 0);
    long pid;

    pond_buf_clear(out);
    if (n <= 4 || strncmp(buf, "pid ", 4) != 0)
        return 0;
    buf[n] = '\0';
    pid = strtol(buf + 4, &nl, 10);
    if (pid <= 0 || *nl != '\n' || (kill((pid_t)pid, 0) != 0 && errno == ESRCH))
        return 0;
    for (s = nl + 1; *s; s++)
        if ((unsigned char)*s < 0x20)
            *s = *s == '\n' && !s[1] ? '\0' : '?';
    if (nl[1])
        pond_buf_printf(out, "pid %ld (%s)", pid, nl + 1);
    else
        pond_buf_printf(out, "pid %ld", pid);
    return 1;
}

/* The holder as read_holder says, looking again for a moment when the record is not there
 * yet (the holder writes it just after taking the lock). */
static void who_holds(int fd, pond_buf *out)
{
    int i;
    for (i = 0; i < 10; i++) {
        if (read_holder(fd, out))
            return;
        pause_ms(5);
    }
    pond_buf_clear(out);
    pond_buf_puts(out, "another process");
}

static int write_holder(pond *p, int fd)
{
    pond_buf rec = POND_BUF_INIT;
    int rc;

    if ((rc = pond_buf_printf(&rec, "pid %ld\n%s\n", (long)getpid(), p->command)) < 0)
        return rc;
    /* best effort: the record only makes the message of a waiting writer better */
    if (ftruncate(fd, 0) == 0 && pwrite(fd, rec.ptr, rec.len, 0) < 0) {
        /* nothing to undo */
    }
    pond_buf_free(&rec);
    return POND_OK;
}

static int busy(pond *p, int fd)
{
    pond_buf who = POND_BUF_INIT;
    int rc;

    who_holds(fd, &who);
    if (p->wait_ms == 0)
        rc = pond_error_set(POND_EBUSY, "pond '%s' is in use by %s", p->path, who.ptr);
    else if (p->wait_ms % 1000 == 0)
        rc = pond_error_set(POND_EBUSY, "pond '%s' is in use by %s; gave up after %d s", p->path,
                            who.ptr, p->wait_ms / 1000);
    else
        rc = pond_error_set(POND_EBUSY, "pond '%s' is in use by %s; gave up after %.3g s",
                            p->path, who.ptr, p->wait_ms / 1000.0);
    pond_buf_free(&who);
    return rc;
}

int store_lock_acquire(pond *p)
{
    pond_buf path = POND_BUF_INIT;
    int64_t deadline = now_ms() + p->wait_ms, pause = LOCK_PAUSE_MIN_MS;
    int fd = -1, rc = POND_OK;

    if (p->lock_fd >= 0)
        return pond_error_set(POND_ERROR, "pond '%s': this handle holds the write lock already",
                              p->path);
    if ((rc = lock_path(p, &path)) < 0)
        goto done;
    if ((fd = open(path.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0) {
        rc = pond_error_set(POND_ERROR, "cannot write pond '%s': cannot open '%s': %s", p->path,
                            path.ptr, strerror(errno));
        goto done;
    }
    for (;;) {
        int64_t left;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            break;
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK) {
            rc = pond_error_set(POND_ERROR, "cannot lock '%s': %s", path.ptr, strerror(errno));
            goto done;
        }
        if ((left = deadline - now_ms()) <= 0) {
            /* a writer has its record written within moments of taking the lock; a lock
             * without one is held for an instant by pond_check's probe: worth a moment more */
            pond_buf who = POND_BUF_INIT;
            int writer = read_holder(fd, &who);
            pond_buf_free(&who);
            if (writer || left <= -LOCK_GRACE_MS) {
                rc = busy(p, fd);
                goto done;
            }
            left = LOCK_PAUSE_MIN_MS;
        }
        pause_ms(pause < left ? pause : left);
        if ((pause *= 2) > LOCK_PAUSE_MAX_MS)
            pause = LOCK_PAUSE_MAX_MS;
    }
    if ((rc = write_holder(p, fd)) < 0)
        goto done;
    p->lock_fd = fd;
    fd = -1;
done:
    if (fd >= 0)
        close(fd); /* drops the flock too, if it was taken */
    pond_buf_free(&path);
    return rc;
}

void store_lock_release(pond *p)
{
    if (p->lock_fd < 0)
        return;
    if (ftruncate(p->lock_fd, 0) != 0) {
        /* a stale record is harmless: see the head of this file */
    }
    flock(p->lock_fd, LOCK_UN);
    close(p->lock_fd);
    p->lock_fd = -1;
}

int store_lock_probe(pond *p, pond_buf *holder)
{
    pond_buf path = POND_BUF_INIT;
    int fd, rc = 0;

    pond_buf_clear(holder);
    if ((rc = lock_path(p, &path)) < 0)
        return rc;
    fd = open(path.ptr, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    pond_buf_free(&path);
    if (fd < 0)
        return 0; /* no lock file: nobody has ever written */
    if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
        flock(fd, LOCK_UN);
        rc = 0;
    } else if (errno == EWOULDBLOCK) {
        who_holds(fd, holder);
        rc = 1;
    } else {
        rc = 0;
    }
    close(fd);
    return rc;
}
