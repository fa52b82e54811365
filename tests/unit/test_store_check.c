/*
 * tests/unit/test_store_check.c: pond_check on real ponds (a damaged content file, a missing
 * one, orphans and leftover temporary files, repair), the write lock between two processes
 * (readers go on, writers wait or fail naming the holder, a killed holder blocks no one), and
 * crash safety: a child copying a large CSV is killed with SIGKILL at varied moments, and
 * after each kill the pond checks clean and every committed version reads back the same.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "pond.h"
#include "test_store_util.h"

typedef struct findings {
    int n;
    char text[16][512];
} findings;

static void on_finding(const char *f, void *ctx)
{
    findings *fs = ctx;
    if (fs->n < 16)
        snprintf(fs->text[fs->n++], sizeof fs->text[0], "%s", f);
}

static int any_finding(const findings *fs, const char *needle)
{
    int i;
    for (i = 0; i < fs->n; i++)
        if (strstr(fs->text[i], needle))
            return 1;
    return 0;
}

TEST(check_clean_damaged_missing_orphans)
{
    pond *p = fresh_pond();
    pond_check_report r;
    findings fs;
    got_list l;
    char path[700];
    FILE *f;
    int c;

    CHECK(copy1(p, "a.csv", "timestamp,v\n2024-01-01 00:00:00,1\n", "/a.series") == POND_OK);
    CHECK(copy1(p, "b.csv", "k,v\nx,1\n", "/b.table") == POND_OK);
    CHECK(copy1(p, "c.txt", "hello\n", "/c.txt") == POND_OK);
    memset(&fs, 0, sizeof fs);
    CHECK(pond_check(p, 0, &r, on_finding, &fs) == POND_OK);
    CHECK(r.versions_checked == 3 && r.problems == 0 && r.orphans == 0 && fs.n == 0);

    /* flip a byte of the table's content */
    CHECK(glob_into(p, POND_FS_DATA, "/b.table", POND_WITH_VERSIONS, &l) == POND_OK);
    chmod(l.e[0].v[0].content_path, 0644); /* content files are read-only */
    f = fopen(l.e[0].v[0].content_path, "r+b");
    fseek(f, 10, SEEK_SET);
    c = getc(f);
    fseek(f, 10, SEEK_SET);
    putc(c ^ 0x20, f);
    fclose(f);
    /* remove the data file's content */
    CHECK(glob_into(p, POND_FS_DATA, "/c.txt", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(remove(l.e[0].v[0].content_path) == 0);
    /* an orphan and a leftover temporary file */
    snprintf(path, sizeof path, "%s/data/ab", pdir);
    mkdir(path, 0777);
    snprintf(path, sizeof path,
             "%s/data/ab/ab00000000000000000000000000000000000000000000000000000000000000", pdir);
    write_file(path, "orphan");
    snprintf(path, sizeof path, "%s/tmp/hdead01", pdir);
    mkdir(path, 0777);

    memset(&fs, 0, sizeof fs);
    CHECK(pond_check(p, 0, &r, on_finding, &fs) == POND_ECORRUPT);
    CHECK(strstr(pond_error_last(), "2 problems") != NULL);
    CHECK(r.versions_checked == 3 && r.problems == 2 && r.orphans == 2 && r.repaired == 0);
    CHECK(any_finding(&fs, "damaged content for /b.table version 1"));
    CHECK(any_finding(&fs, "missing content for /c.txt version 1"));
    CHECK(any_finding(&fs, "orphan content file data/ab/ab00"));
    CHECK(any_finding(&fs, "leftover temporary file tmp/hdead01"));

    memset(&fs, 0, sizeof fs);
    CHECK(pond_check(p, 1, &r, on_finding, &fs) == POND_ECORRUPT);
    CHECK(r.orphans == 2 && r.repaired == 2);
    CHECK(access(path, F_OK) != 0);
    memset(&fs, 0, sizeof fs);
    CHECK(pond_check(p, 0, &r, on_finding, &fs) == POND_ECORRUPT);
    CHECK(r.orphans == 0 && r.problems == 2);
    /* storing the same content again replaces the damaged copy (DuckDB writes the same
     * Parquet bytes for the same CSV), which heals the old version too */
    CHECK(copy1(p, "b.csv", "k,v\nx,1\n", "/b.table") == POND_OK);
    CHECK(copy1(p, "c.txt", "hello\n", "/c.txt") == POND_OK);
    memset(&fs, 0, sizeof fs);
    CHECK(pond_check(p, 0, &r, on_finding, &fs) == POND_OK);
    CHECK(r.problems == 0 && r.versions_checked == 5);
    pond_close(p);
    rm_rf(dir);
}

/* A child process that holds the write lock: a copy whose source is a FIFO blocks inside its
 * transaction until the FIFO gets its bytes.  Returns the child's pid once it holds the lock
 * (its record is in $POND/lock). */
static pid_t start_holder(const char *fifo, int writer_fd)
{
    char lock[400], *rec;
    pid_t pid;
    int i;

    pid = fork();
    if (pid == 0) {
        pond *q = NULL;
        const char *srcs[1] = {fifo};
        pond_copy_options o = POND_COPY_OPTIONS_INIT;
        o.format = POND_COPY_DATA;
        close(writer_fd); /* the parent's end alone, so its close ends the copy's source */
        if (open_as(&q, pdir, "pond copy holder") != POND_OK)
            _exit(3);
        _exit(pond_copy_in(q, srcs, 1, "/held.bin", &o) == POND_OK ? 0 : 4);
    }
    snprintf(lock, sizeof lock, "cat '%s/lock'", pdir);
    for (i = 0; i < 400; i++) {
        int held;
        rec = run_out(lock);
        held = strncmp(rec, "pid ", 4) == 0 && atol(rec + 4) == (long)pid;
        free(rec);
        if (held)
            return pid;
        usleep(10000);
    }
    return pid;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

TEST(second_process_reads_and_waits)
{
    pond *p = fresh_pond(), *q = NULL;
    char fifo[400], want[64];
    struct timespec t0;
    got_list l;
    pid_t pid;
    int status = 0, fd;

    CHECK(pond_mkdir(p, "/before", 0) == POND_OK);
    pond_close(p); /* no catalog connection open across fork() */
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    CHECK(mkfifo(fifo, 0600) == 0);
    fd = open(fifo, O_RDWR); /* a writer end, so the child's open does not block */
    pid = start_holder(fifo, fd);
    snprintf(want, sizeof want, "in use by pid %ld (pond copy holder)", (long)pid);

    /* readers go on; writers that do not wait fail at once, naming the holder */
    CHECK(open_with(&q, pdir, "second", 0) == POND_OK);
    CHECK(glob_into(q, POND_FS_DATA, "/*", 0, &l) == POND_OK && l.n == 1);
    CHECK(pond_mkdir(q, "/while-held", 0) == POND_EBUSY);
    CHECK(strstr(pond_error_last(), want) != NULL);
    CHECK(strstr(pond_error_last(), pdir) != NULL);
    pond_close(q);
    /* one that waits a little fails after that wait */
    CHECK(open_with(&q, pdir, "second", 300) == POND_OK);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(pond_mkdir(q, "/while-held", 0) == POND_EBUSY);
    CHECK(seconds_since(&t0) >= 0.29);
    CHECK(strstr(pond_error_last(), "gave up after 0.3 s") != NULL);
    pond_close(q);
    /* one that waits long enough commits after the holder */
    CHECK(write(fd, "held\n", 5) == 5);
    close(fd);
    CHECK(open_with(&q, pdir, "third", 30000) == POND_OK);
    CHECK(pond_mkdir(q, "/after", 0) == POND_OK);
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(glob_into(q, POND_FS_DATA, "/*", 0, &l) == POND_OK && l.n == 3);
    pond_close(q);

    /* a holder killed with SIGKILL does not block the next writer */
    fd = open(fifo, O_RDWR);
    pid = start_holder(fifo, fd);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    close(fd);
    CHECK(open_with(&q, pdir, "fourth", 0) == POND_OK);
    CHECK(pond_mkdir(q, "/after-kill", 0) == POND_OK);
    CHECK(pond_check(q, 1, NULL, NULL, NULL) == POND_OK);
    pond_close(q);
    rm_rf(dir);
}

static void write_big_csv(const char *path, int rows, int seed)
{
    FILE *f = fopen(path, "w");
    int i;
    fputs("timestamp,site,temp,humidity\n", f);
    for (i = 0; i < rows; i++)
        fprintf(f, "%04d-%02d-%02d %02d:%02d:00,site%d,%d.%d,%d\n", 2000 + seed, 1 + i / 40000 % 12,
                1 + i / 1440 % 28, i / 60 % 24, i % 60, i % 7, i % 40, i % 10, i % 100);
    fclose(f);
}

typedef struct snapshot {
    int n;
    char sha[32][65];
    int64_t rows[32];
} snapshot;

static void snap(pond *p, snapshot *s)
{
    got_list l;
    size_t i;
    memset(s, 0, sizeof *s);
    if (glob_into(p, POND_FS_DATA, "/big.series", POND_WITH_VERSIONS, &l) != POND_OK)
        return;
    for (i = 0; i < l.e[0].nversions && i < 8; i++) {
        snprintf(s->sha[s->n], 65, "%s", l.e[0].v[i].sha256);
        s->rows[s->n++] = l.e[0].v[i].row_count;
    }
}

TEST(kill_during_copy)
{
    pond *p = fresh_pond();
    char big[400];
    snapshot before, after;
    int round, i;
    struct timespec ts;

    snprintf(big, sizeof big, "%s/big.csv", dir);
    write_big_csv(big, 400000, 1);
    pond_close(p);
    srand((unsigned)time(NULL));
    for (round = 0; round < 6; round++) {
        pid_t pid;
        pond_check_report r;
        int status;

        CHECK(open_as(&p, pdir, "t") == POND_OK);
        snap(p, &before);
        pond_close(p);
        pid = fork();
        if (pid == 0) {
            pond *q = NULL;
            const char *srcs[1] = {big};
            if (open_as(&q, pdir, "copy") != POND_OK)
                _exit(3);
            _exit(pond_copy_in(q, srcs, 1, "/big.series", NULL) == POND_OK ? 0 : 4);
        }
        ts.tv_sec = 0;
        ts.tv_nsec = (long)(rand() % 900) * 1000000L;
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        CHECK(open_as(&p, pdir, "t") == POND_OK);
        if (!p)
            break;
        CHECK(pond_check(p, 0, &r, NULL, NULL) == POND_OK);
        CHECK(r.problems == 0);
        snap(p, &after);
        /* either wholly there (one more version) or wholly absent */
        CHECK(after.n == before.n || after.n == before.n + 1);
        for (i = 0; i < before.n; i++) {
            CHECK_STR(after.sha[i], before.sha[i]);
            CHECK(after.rows[i] == before.rows[i]);
        }
        if (after.n == before.n + 1)
            CHECK(after.rows[after.n - 1] == 400000);
        if (getenv("POND_TEST_VERBOSE"))
            fprintf(stderr, "round %d: killed after %ld ms, versions %d -> %d, orphans %lld\n",
                    round, ts.tv_nsec / 1000000L, before.n, after.n, (long long)r.orphans);
        CHECK(pond_check(p, 1, &r, NULL, NULL) == POND_OK);
        pond_close(p);
    }
    rm_rf(dir);
}

int main(void)
{
    RUN(check_clean_damaged_missing_orphans);
    RUN(second_process_reads_and_waits);
    RUN(kill_during_copy);
    return check_done();
}
