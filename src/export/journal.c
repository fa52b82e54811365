/*
 * export/journal.c: the commit journal of an export (see journal.h for the format and the
 * guarantee).
 */
#include "export/journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "util/buf.h"
#include "util/fs.h"

#define STAGING_PREFIX ".pond-staging-"
/* A staging directory without an owner file is another run's only if younger than this
 * (the owner is written right after the directory is made). */
#define UNOWNED_GRACE_SECONDS 60

int pond_journal_mark_owner(const char *staging)
{
    char text[32];
    pond_buf path = POND_BUF_INIT;
    int rc, n = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    if ((rc = pond_buf_printf(&path, "%s/owner", staging)) == POND_OK)
        rc = pond_fs_write_file_atomic(path.ptr, text, (size_t)n);
    pond_buf_free(&path);
    return rc;
}

int pond_journal_remove_staging(const char *staging)
{
    DIR *d = opendir(staging);
    struct dirent *e;
    pond_buf path = POND_BUF_INIT;
    int rc = POND_OK;

    if (!d)
        return errno == ENOENT ? POND_OK : pond_fs_rm_rf(staging);
    /* Everything but the owner first, so that a kill part way leaves a staging directory that
     * still names its (dead) owner, or an empty one: both are recognised as left over. */
    while (rc == POND_OK && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "owner"))
            continue;
        pond_buf_clear(&path);
        if ((rc = pond_buf_printf(&path, "%s/%s", staging, e->d_name)) == POND_OK)
            rc = pond_fs_rm_rf(path.ptr);
    }
    closedir(d);
    if (rc == POND_OK)
        rc = pond_fs_rm_rf(staging);
    pond_buf_free(&path);
    return rc;
}

int pond_journal_open(int *fd, const char *staging)
{
    pond_buf path = POND_BUF_INIT;
    int rc;
    *fd = -1;
    if ((rc = pond_buf_printf(&path, "%s/journal", staging)) != POND_OK)
        goto done;
    *fd = open(path.ptr, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (*fd < 0)
        rc = pond_error_set(POND_ERROR, "cannot create '%s': %s", path.ptr, strerror(errno));
done:
    pond_buf_free(&path);
    return rc;
}

int pond_journal_append(int fd, char kind, const char *a, const char *b)
{
    pond_buf rec = POND_BUF_INIT;
    int rc = pond_buf_putc(&rec, kind);
    if (rc == POND_OK && a)
        rc = pond_buf_put(&rec, a, strlen(a) + 1);
    if (rc == POND_OK && b)
        rc = pond_buf_put(&rec, b, strlen(b) + 1);
    /* One write(2) per record: a kill leaves whole records only (O_APPEND, small writes). */
    if (rc == POND_OK && write(fd, rec.ptr, rec.len) != (ssize_t)rec.len)
        rc = pond_error_set(POND_ERROR, "cannot write the export journal: %s", strerror(errno));
    pond_buf_free(&rec);
    return rc;
}

/* 1 if process pid is gone. */
static int pid_is_dead(long pid) { return pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH; }

/* Staging without an owner file: a run killed while it wrote the file leaves only its
 * temporary, ".owner.tmp-<pid>-…" (pond_fs_write_file_atomic): 1 if that pid is gone. */
static int owner_temp_is_dead(const char *staging)
{
    static const char prefix[] = ".owner.tmp-";
    DIR *d = opendir(staging);
    struct dirent *e;
    int dead = 0;
    if (!d)
        return 0;
    while (!dead && (e = readdir(d)) != NULL)
        if (strncmp(e->d_name, prefix, sizeof prefix - 1) == 0)
            dead = pid_is_dead(strtol(e->d_name + sizeof prefix - 1, NULL, 10));
    closedir(d);
    return dead;
}

/* 1 if the run that made staging is gone. */
static int owner_is_dead(const char *staging)
{
    pond_buf path = POND_BUF_INIT, text = POND_BUF_INIT;
    struct stat st;
    int dead = 0;

    if (pond_buf_printf(&path, "%s/owner", staging) != POND_OK)
        goto done;
    if (pond_fs_read_file(path.ptr, &text) != POND_OK) {
        /* No owner: a run removing its staging directory got as far as the owner file (it is
         * removed last, see pond_journal_remove_staging), or a run has only just made it. */
        dead = pond_fs_dir_is_empty(staging) == 1 || owner_temp_is_dead(staging) ||
               (stat(staging, &st) == 0 && time(NULL) - st.st_mtime > UNOWNED_GRACE_SECONDS);
        goto done;
    }
    dead = pid_is_dead(strtol(text.ptr, NULL, 10));
done:
    pond_error_clear();
    pond_buf_free(&path);
    pond_buf_free(&text);
    return dead;
}

typedef struct record {
    char kind;
    const char *a, *b;
} record;

/* Split the journal into records; a torn last record (cannot happen with one write per
 * record, but a journal is read defensively) is dropped. */
static size_t parse_records(const pond_buf *j, record **out)
{
    size_t n = 0, cap = 0;
    const char *p = j->ptr, *end = j->ptr + j->len;
    record *recs = NULL;

    while (p < end) {
        record r = {*p++, NULL, NULL};
        int fields = (r.kind == 'D' || r.kind == 'R') ? 1 : (r.kind == 'B' || r.kind == 'M') ? 2 : 0;
        const char **slot[2] = {&r.a, &r.b};
        int ok = 1;
        for (int f = 0; f < fields && ok; f++) {
            const char *nul = memchr(p, '\0', (size_t)(end - p));
            if (!nul) {
                ok = 0;
                break;
            }
            *slot[f] = p;
            p = nul + 1;
        }
        if (!ok || (fields == 0 && r.kind != 'C'))
            break;
        if (n == cap) {
            record *nr = realloc(recs, (cap = cap ? cap * 2 : 64) * sizeof *nr);
            if (!nr)
                break;
            recs = nr;
        }
        recs[n++] = r;
    }
    *out = recs;
    return n;
}

/* Undo the steps of one dead run's journal, newest first, checking the disk at each step. */
static void undo(const pond_buf *journal)
{
    record *recs = NULL;
    size_t n = parse_records(journal, &recs);

    if (n > 0 && recs[n - 1].kind == 'C')
        n = 0; /* committed: nothing to undo, only the staging directory to remove */
    for (size_t i = n; i-- > 0;) {
        const record *r = &recs[i];
        switch (r->kind) {
        case 'M': /* staged a -> final b: put it back if it got there */
            if (!pond_fs_exists(r->a) && pond_fs_exists(r->b))
                rename(r->b, r->a);
            break;
        case 'B': /* final a -> aside b: restore the old output */
            if (pond_fs_exists(r->b) && !pond_fs_exists(r->a))
                rename(r->b, r->a);
            break;
        case 'D':
            rmdir(r->a); /* only if still empty */
            break;
        case 'R': /* an emptied directory removed: made again */
            if (!pond_fs_exists(r->a))
                mkdir(r->a, 0777);
            break;
        }
    }
    free(recs);
}

int pond_journal_recover(const char *dir, int *recovered)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    pond_buf staging = POND_BUF_INIT, jpath = POND_BUF_INIT, journal = POND_BUF_INIT;
    int rc = POND_OK;

    *recovered = 0;
    if (!d)
        return POND_OK; /* no DIR yet: nothing to recover */
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, STAGING_PREFIX, strlen(STAGING_PREFIX)) != 0)
            continue;
        pond_buf_clear(&staging);
        if ((rc = pond_buf_printf(&staging, "%s/%s", dir, e->d_name)) != POND_OK)
            break;
        if (!pond_fs_is_dir(staging.ptr) || !owner_is_dead(staging.ptr))
            continue;
        pond_buf_clear(&jpath);
        if ((rc = pond_buf_printf(&jpath, "%s/journal", staging.ptr)) != POND_OK)
            break;
        if (pond_fs_read_file(jpath.ptr, &journal) == POND_OK)
            undo(&journal);
        pond_error_clear();
        if ((rc = pond_journal_remove_staging(staging.ptr)) != POND_OK) {
            rc = pond_error_wrap(rc, "cannot remove what an interrupted export left in '%s'",
                                 dir);
            break;
        }
        (*recovered)++;
    }
    closedir(d);
    pond_buf_free(&staging);
    pond_buf_free(&jpath);
    pond_buf_free(&journal);
    return rc;
}
