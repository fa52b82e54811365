/*
 * tests/unit/test_util_fs.c: host file-system helpers on real directories under /tmp.
 */
#include "check.h"
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char root[] = "/tmp/pond-test-fs-XXXXXX";

/* root + "/" + rel, in a static buffer (one at a time per slot). */
static const char *at(int slot, const char *rel)
{
    static char bufs[4][4000];
    snprintf(bufs[slot], sizeof bufs[slot], "%s/%s", root, rel);
    return bufs[slot];
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int file_is(const char *path, const char *text)
{
    pond_buf b = POND_BUF_INIT;
    int ok = pond_fs_read_file(path, &b) == POND_OK && b.len == strlen(text) &&
             memcmp(b.ptr, text, b.len) == 0;
    pond_buf_free(&b);
    return ok;
}

TEST(mkdir_p)
{
    CHECK(pond_fs_mkdir_p(at(0, "a/b/c d/é")) == POND_OK);
    CHECK(pond_fs_is_dir(at(0, "a/b/c d/é")) == 1);
    CHECK(pond_fs_mkdir_p(at(0, "a/b/c d/é")) == POND_OK); /* exists: fine */
    CHECK(pond_fs_mkdir_p(at(0, "a//b/x/")) == POND_OK);
    CHECK(pond_fs_is_dir(at(0, "a/b/x")) == 1);

    put_file(at(0, "a/file"), "x");
    CHECK(pond_fs_mkdir_p(at(0, "a/file/sub")) == POND_EEXISTS);
    CHECK(strstr(pond_error_last(), "is not a directory") != NULL);
    CHECK(strstr(pond_error_last(), at(0, "a/file")) != NULL);
    CHECK(pond_fs_mkdir_p(at(0, "a/file")) == POND_EEXISTS);
    CHECK(pond_fs_mkdir_p("") == POND_EINVALID);
}

TEST(exists_is_dir_empty)
{
    CHECK(pond_fs_mkdir_p(at(0, "e/empty")) == POND_OK);
    put_file(at(0, "e/f"), "");
    CHECK(pond_fs_exists(at(0, "e/f")) == 1);
    CHECK(pond_fs_exists(at(0, "e/nope")) == 0);
    CHECK(pond_fs_is_dir(at(0, "e/f")) == 0);
    CHECK(pond_fs_is_dir(at(0, "e/nope")) == 0);
    CHECK(symlink("nowhere", at(0, "e/dangling")) == 0);
    CHECK(pond_fs_exists(at(0, "e/dangling")) == 1); /* lstat */
    CHECK(pond_fs_is_dir(at(0, "e/dangling")) == 0);

    CHECK(pond_fs_dir_is_empty(at(0, "e/empty")) == 1);
    CHECK(pond_fs_dir_is_empty(at(0, "e")) == 0);
    put_file(at(0, "e/empty/.hidden"), "");
    CHECK(pond_fs_dir_is_empty(at(0, "e/empty")) == 0);
    CHECK(pond_fs_dir_is_empty(at(0, "e/nope")) == POND_ENOTFOUND);
    CHECK(strstr(pond_error_last(), "'") && strstr(pond_error_last(), "e/nope'"));
    CHECK(strstr(pond_error_last(), strerror(ENOENT)) != NULL);
    CHECK(pond_fs_dir_is_empty(at(0, "e/f")) == POND_ERROR); /* ENOTDIR */
}

TEST(rm_rf)
{
    CHECK(pond_fs_mkdir_p(at(0, "r/x/y/z")) == POND_OK);
    put_file(at(0, "r/x/f1"), "1");
    put_file(at(0, "r/x/y/z/f2"), "2");
    /* a symlink to a directory outside: must be removed, not followed */
    CHECK(pond_fs_mkdir_p(at(0, "keep")) == POND_OK);
    put_file(at(0, "keep/precious"), "p");
    CHECK(symlink(at(0, "keep"), at(1, "r/x/link")) == 0);

    CHECK(pond_fs_rm_rf(at(0, "r")) == POND_OK);
    CHECK(pond_fs_exists(at(0, "r")) == 0);
    CHECK(file_is(at(0, "keep/precious"), "p"));
    CHECK(pond_fs_rm_rf(at(0, "r")) == POND_OK); /* missing: fine */

    /* a symlink as the top path: the link goes, its target stays */
    CHECK(symlink(at(0, "keep"), at(1, "toplink")) == 0);
    CHECK(pond_fs_rm_rf(at(0, "toplink")) == POND_OK);
    CHECK(pond_fs_exists(at(0, "toplink")) == 0);
    CHECK(file_is(at(0, "keep/precious"), "p"));

    put_file(at(0, "single"), "s");
    CHECK(pond_fs_rm_rf(at(0, "single")) == POND_OK);
    CHECK(pond_fs_exists(at(0, "single")) == 0);
}

TEST(read_write_atomic)
{
    pond_buf b = POND_BUF_INIT;
    CHECK(pond_fs_mkdir_p(at(0, "w")) == POND_OK);
    CHECK(pond_fs_write_file_atomic(at(0, "w/a.txt"), "hello\n", 6) == POND_OK);
    CHECK(file_is(at(0, "w/a.txt"), "hello\n"));
    CHECK(pond_fs_write_file_atomic(at(0, "w/a.txt"), "bye", 3) == POND_OK);
    CHECK(file_is(at(0, "w/a.txt"), "bye"));
    /* no temporary file left behind */
    CHECK(pond_fs_rm_rf(at(0, "w/a.txt")) == POND_OK);
    CHECK(pond_fs_dir_is_empty(at(0, "w")) == 1);

    /* binary with NULs, bigger than one read */
    size_t n = 300000;
    unsigned char *data = malloc(n);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)(i * 7);
    CHECK(pond_fs_write_file_atomic(at(0, "w/bin"), data, n) == POND_OK);
    CHECK(pond_fs_read_file(at(0, "w/bin"), &b) == POND_OK);
    CHECK(b.len == n && memcmp(b.ptr, data, n) == 0 && b.ptr[n] == '\0');
    free(data);

    /* empty file */
    CHECK(pond_fs_write_file_atomic(at(0, "w/empty"), "", 0) == POND_OK);
    CHECK(pond_fs_read_file(at(0, "w/empty"), &b) == POND_OK);
    CHECK(b.len == 0);

    /* into a missing directory: fails, nothing created */
    CHECK(pond_fs_write_file_atomic(at(0, "w/missing/x"), "x", 1) == POND_ENOTFOUND);
    CHECK(strstr(pond_error_last(), "w/missing/") != NULL);
    CHECK(pond_fs_exists(at(0, "w/missing")) == 0);

    CHECK(pond_fs_read_file(at(0, "w/nope"), &b) == POND_ENOTFOUND);
    CHECK(strstr(pond_error_last(), "cannot open '") != NULL);
    CHECK(strstr(pond_error_last(), "w/nope'") != NULL);
    pond_buf_free(&b);
}

TEST(copy_rename_fsync)
{
    CHECK(pond_fs_mkdir_p(at(0, "c")) == POND_OK);
    /* 2.5 MiB so that the copy crosses block boundaries */
    size_t n = 2 * 1024 * 1024 + 512 * 1024 + 3;
    char *data = malloc(n);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)(i % 251);
    CHECK(pond_fs_write_file_atomic(at(0, "c/src"), data, n) == POND_OK);
    put_file(at(0, "c/dst"), "old content that is longer than nothing");
    CHECK(pond_fs_copy_file(at(0, "c/src"), at(1, "c/dst")) == POND_OK);
    pond_buf b = POND_BUF_INIT;
    CHECK(pond_fs_read_file(at(0, "c/dst"), &b) == POND_OK);
    CHECK(b.len == n && memcmp(b.ptr, data, n) == 0);
    free(data);

    CHECK(pond_fs_copy_file(at(0, "c/none"), at(1, "c/d2")) == POND_ENOTFOUND);
    CHECK(pond_fs_exists(at(0, "c/d2")) == 0);
    CHECK(pond_fs_copy_file(at(0, "c/src"), at(1, "c/no/d2")) == POND_ENOTFOUND);

    CHECK(pond_fs_rename(at(0, "c/dst"), at(1, "c/moved")) == POND_OK);
    CHECK(pond_fs_exists(at(0, "c/dst")) == 0);
    CHECK(pond_fs_exists(at(0, "c/moved")) == 1);
    CHECK(pond_fs_rename(at(0, "c/dst"), at(1, "c/x")) == POND_ENOTFOUND);
    CHECK(strstr(pond_error_last(), "cannot rename '") != NULL);
    CHECK(strstr(pond_error_last(), "c/x'") != NULL);
    /* a directory onto a non-empty directory */
    CHECK(pond_fs_mkdir_p(at(0, "c/d1")) == POND_OK);
    CHECK(pond_fs_mkdir_p(at(0, "c/d2/full")) == POND_OK);
    CHECK(pond_fs_rename(at(0, "c/d1"), at(1, "c/d2")) == POND_EEXISTS);

    CHECK(pond_fs_fsync_path(at(0, "c/moved")) == POND_OK);
    CHECK(pond_fs_fsync_path(at(0, "c")) == POND_OK);
    CHECK(pond_fs_fsync_parent(at(0, "c/moved")) == POND_OK);
    CHECK(pond_fs_fsync_parent(at(0, "c/d2/")) == POND_OK);
    CHECK(pond_fs_fsync_path(at(0, "c/nope")) == POND_ENOTFOUND);
    CHECK(pond_fs_fsync_parent(at(0, "nodir/x")) == POND_ENOTFOUND);
    pond_buf_free(&b);
}

TEST(abspath)
{
    pond_buf b = POND_BUF_INIT;
    CHECK(pond_fs_abspath("/a//b/./c/../d/", &b) == POND_OK);
    CHECK_STR(b.ptr, "/a/b/d");
    CHECK(pond_fs_abspath("/", &b) == POND_OK);
    CHECK_STR(b.ptr, "/");
    CHECK(pond_fs_abspath("/../..", &b) == POND_OK);
    CHECK_STR(b.ptr, "/");
    CHECK(pond_fs_abspath("/a/b/../..", &b) == POND_OK);
    CHECK_STR(b.ptr, "/");
    CHECK(pond_fs_abspath("/x y/'q'", &b) == POND_OK);
    CHECK_STR(b.ptr, "/x y/'q'");

    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK(chdir(root) == 0);
    CHECK(pond_fs_abspath("rel/./x/..", &b) == POND_OK);
    CHECK_STR(b.ptr, at(0, "rel"));
    CHECK(pond_fs_abspath(".", &b) == POND_OK);
    CHECK_STR(b.ptr, root);
    CHECK(chdir(cwd) == 0);

    CHECK(pond_fs_abspath("", &b) == POND_EINVALID);
    pond_buf_free(&b);
}

TEST(mktemp_dir)
{
    pond_buf a = POND_BUF_INIT, b = POND_BUF_INIT;
    CHECK(pond_fs_mktemp_dir(root, "stage-", &a) == POND_OK);
    CHECK(pond_fs_mktemp_dir(root, "stage-", &b) == POND_OK);
    CHECK(strcmp(a.ptr, b.ptr) != 0);
    CHECK(strncmp(a.ptr, at(0, "stage-"), strlen(at(0, "stage-"))) == 0);
    CHECK(pond_fs_is_dir(a.ptr) && pond_fs_is_dir(b.ptr));
    CHECK(pond_fs_mktemp_dir(at(0, "nope"), "x", &a) == POND_ENOTFOUND);
    CHECK(strstr(pond_error_last(), "nope'") != NULL);
    pond_buf_free(&a);
    pond_buf_free(&b);
}

/* The pid of a process that has exited (and been reaped). */
static long dead_pid(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    return (long)pid;
}

TEST(temp_beside_and_stale_temps)
{
    pond_buf tmp = POND_BUF_INIT;
    char name[4200];
    int fd = -1;

    CHECK(pond_fs_mkdir_p(at(0, "t")) == POND_OK);
    CHECK(pond_fs_temp_beside(at(0, "t/out.csv"), &tmp, &fd) == POND_OK);
    CHECK(fd >= 0);
    snprintf(name, sizeof name, "%s/.out.csv.tmp-%ld-", at(1, "t"), (long)getpid());
    CHECK(strncmp(tmp.ptr, name, strlen(name)) == 0);
    CHECK(write(fd, "x", 1) == 1);
    close(fd);
    /* Leftovers: a dead process's (both spellings), a live one's (ours), other files. */
    snprintf(name, sizeof name, "%s/.out.csv.tmp-%ld-1-2", at(1, "t"), dead_pid());
    put_file(name, "dead");
    snprintf(name, sizeof name, "%s/out.csv.pond-tmp-%ld", at(1, "t"), dead_pid());
    put_file(name, "dead, pond 0.1.0");
    put_file(at(1, "t/.other.csv.tmp-1-1-1"), "another file's");
    put_file(at(1, "t/out.csv.pond-tmp-x"), "not a pid");
    pond_fs_remove_stale_temps(at(0, "t/out.csv"));
    CHECK(pond_fs_exists(tmp.ptr));             /* ours: this process runs */
    CHECK(pond_fs_exists(at(1, "t/.other.csv.tmp-1-1-1")));
    CHECK(pond_fs_exists(at(1, "t/out.csv.pond-tmp-x")));
    CHECK(pond_fs_dir_is_empty(at(1, "t")) == 0);
    snprintf(name, sizeof name, "cd %s && ls -a | grep -c tmp", at(1, "t"));
    FILE *ls = popen(name, "r");
    int n = -1;
    CHECK(ls && fscanf(ls, "%d", &n) == 1);
    if (ls)
        pclose(ls);
    CHECK(n == 3); /* the two dead ones are gone */
    pond_buf_free(&tmp);
}

TEST(install)
{
    pond_buf tmp = POND_BUF_INIT;

    CHECK(pond_fs_mkdir_p(at(0, "i")) == POND_OK);
    put_file(at(0, "i/src"), "new");
    put_file(at(1, "i/dst"), "old");
    CHECK(pond_fs_install(at(0, "i/src"), at(1, "i/dst")) == POND_OK);
    CHECK(file_is(at(0, "i/dst"), "new"));
    CHECK(!pond_fs_exists(at(0, "i/src")));
    /* A symlink planted at dst is replaced, never written through. */
    put_file(at(0, "i/victim"), "victim");
    CHECK(symlink(at(0, "i/victim"), at(1, "i/link")) == 0);
    put_file(at(0, "i/src"), "new2");
    CHECK(pond_fs_install(at(0, "i/src"), at(1, "i/link")) == POND_OK);
    CHECK(file_is(at(0, "i/victim"), "victim"));
    CHECK(file_is(at(0, "i/link"), "new2"));
    /* Into a missing directory: an error, nothing left. */
    put_file(at(0, "i/src"), "x");
    CHECK(pond_fs_install(at(0, "i/src"), at(1, "i/nodir/dst")) == POND_ENOTFOUND);
    CHECK(pond_fs_exists(at(0, "i/src")));
    /* Across file systems (when /dev/shm is one): copied, fsynced, renamed. */
    char shm[] = "/dev/shm/pond-test-fs-XXXXXX";
    if (mkdtemp(shm)) {
        char from[64];
        snprintf(from, sizeof from, "%s/src", shm);
        put_file(from, "across");
        CHECK(pond_fs_move_beside(from, at(0, "i/dst"), &tmp) == POND_OK);
        CHECK(file_is(tmp.ptr, "across"));
        CHECK(file_is(at(0, "i/dst"), "new"));
        CHECK(!pond_fs_exists(from));
        CHECK(pond_fs_rename(tmp.ptr, at(0, "i/dst")) == POND_OK);
        CHECK(file_is(at(0, "i/dst"), "across"));
        pond_fs_rm_rf(shm);
    }
    pond_buf_free(&tmp);
}

TEST(realpath_and_within)
{
    pond_buf b = POND_BUF_INIT;
    char real_root[4096], want[4200];

    CHECK(realpath(root, real_root) != NULL);
    CHECK(pond_fs_mkdir_p(at(0, "r/pond/data")) == POND_OK);
    CHECK(symlink(at(0, "r/pond"), at(1, "r/link")) == 0);
    snprintf(want, sizeof want, "%s/r/pond/data", real_root);
    CHECK(pond_fs_realpath(at(0, "r/link/data"), &b) == POND_OK);
    CHECK_STR(b.ptr, want);
    /* Not there yet: the deepest existing ancestor resolved, the rest appended. */
    snprintf(want, sizeof want, "%s/r/pond/data/new/x.csv", real_root);
    CHECK(pond_fs_realpath(at(0, "r/link/./data/new/../new/x.csv"), &b) == POND_OK);
    CHECK_STR(b.ptr, want);
    CHECK(pond_fs_realpath("/no-such-dir-pond/x", &b) == POND_OK);
    CHECK_STR(b.ptr, "/no-such-dir-pond/x");
    CHECK(pond_fs_realpath("/", &b) == POND_OK);
    CHECK_STR(b.ptr, "/");
    CHECK(pond_fs_path_within("/a/b", "/a/b"));
    CHECK(pond_fs_path_within("/a/b/c", "/a/b"));
    CHECK(!pond_fs_path_within("/a/bc", "/a/b"));
    CHECK(!pond_fs_path_within("/a", "/a/b"));
    CHECK(pond_fs_path_within("/a", "/"));
    pond_buf_free(&b);
}

int main(void)
{
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(mkdir_p);
    RUN(exists_is_dir_empty);
    RUN(rm_rf);
    RUN(read_write_atomic);
    RUN(copy_rename_fsync);
    RUN(abspath);
    RUN(mktemp_dir);
    RUN(temp_beside_and_stale_temps);
    RUN(install);
    RUN(realpath_and_within);
    int rc = check_done();
    if (pond_fs_rm_rf(root) != POND_OK || pond_fs_exists(root)) {
        fprintf(stderr, "cleanup of %s failed: %s\n", root, pond_error_last());
        rc = 1;
    }
    return rc;
}
