/*
 * tests/fuzz/driver.c: the main of a fuzz target in the normal build (what CTest runs; under
 * ASan and UBSan in scripts/test.sh): every file of the directories (or the files) given is
 * passed once to LLVMFuzzerTestOneInput, as an exact-size heap copy so that ASan sees a read
 * past its end.  The directories are the target's seed corpus and its regressions
 * (tests/fuzz/corpus/<target>/, tests/fuzz/regressions/<target>/); a directory that does not
 * exist is skipped, but at least one input must have run.  A target may also define
 * fuzz_self_test() (a generator of its own inputs): it then runs after the files.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int fuzz_self_test(void) __attribute__((weak));

static long ran;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t cap = 4096, n = 0, k;
    uint8_t *buf = malloc(cap);
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            uint8_t *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (!buf || err) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        return 1;
    }
    uint8_t *in = malloc(n ? n : 1); /* exactly n bytes */
    if (!in) {
        free(buf);
        return 1;
    }
    memcpy(in, buf, n);
    free(buf);
    fprintf(stderr, "%s\n", path); /* the input at fault is the last one named */
    LLVMFuzzerTestOneInput(in, n);
    free(in);
    ran++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of dir, in name order (so that a run is the same on every machine). */
static int run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    int bad = 0;

    if (!d)
        return errno == ENOENT ? 0 : (fprintf(stderr, "%s: %s\n", dir, strerror(errno)), 1);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char **v = realloc(names, (n + 1) * sizeof *names);
        if (!v || !(v[n] = strdup(e->d_name))) {
            free(v ? v : names);
            closedir(d);
            return 1;
        }
        names = v;
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        struct stat st;
        if (path) {
            snprintf(path, len, "%s/%s", dir, names[i]);
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
                bad |= run_file(path);
        }
        free(path);
        free(names[i]);
    }
    free(names);
    return bad;
}

int main(int argc, char **argv)
{
    int bad = 0;
    struct stat st;

    for (int i = 1; i < argc; i++)
        bad |= stat(argv[i], &st) == 0 && !S_ISDIR(st.st_mode) ? run_file(argv[i])
                                                               : run_dir(argv[i]);
    if (bad)
        return 1;
    if (fuzz_self_test && fuzz_self_test() != 0)
        return 1;
    if (ran == 0 && !fuzz_self_test) {
        fprintf(stderr, "no input: give the corpus directories\n");
        return 1;
    }
    printf("%ld inputs, no crash\n", ran);
    return 0;
}
