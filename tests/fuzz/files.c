/*
 * tests/fuzz/files.c: an input made of files, and the scratch directory they are written to
 * (fuzz.h).
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/error.h"

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

static void *xrealloc(void *p, size_t n);

char *fuzz_text(const uint8_t *data, size_t size)
{
    char *text = xrealloc(NULL, size + 1);
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';
    return text;
}

void fuzz_check_load_error(int rc, const void *got, const char *what)
{
    const char *msg = pond_error_last();
    if (rc != POND_EINVALID && rc != POND_ENOTFOUND && rc != POND_ERROR)
        fuzz_fail("unexpected code %d (%s)", rc, msg);
    if (got)
        fuzz_fail("a failed load gave a %s", what);
    if (msg[0] != '/' && !strstr(msg, "partial") && !strstr(msg, "parent"))
        fuzz_fail("the message names no file: '%s'", msg);
}

static void *xrealloc(void *p, size_t n)
{
    if (!(p = realloc(p, n ? n : 1)))
        fuzz_fail("out of memory");
    return p;
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

/* If a header line starts at s[i], set the name's [*name, *name_end) and the offset just after
 * the header line (past its '\n'), and return 1. */
static int header_at(const char *s, size_t size, size_t i, size_t *name, size_t *name_end,
                     size_t *after)
{
    if (size - i < 9 || memcmp(s + i, "==> ", 4) != 0)
        return 0;
    size_t j = i + 4;
    while (j < size && s[j] != '\n' && !(size - j >= 4 && memcmp(s + j, " <==", 4) == 0))
        j++;
    if (size - j < 4 || memcmp(s + j, " <==", 4) != 0 || (j + 4 < size && s[j + 4] != '\n'))
        return 0;
    *name = i + 4;
    *name_end = j;
    *after = j + 4 < size ? j + 5 : size;
    return 1;
}

static int name_ok(const char *s, size_t len)
{
    if (len < 1 || len > 64 || s[0] == '.')
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!name_char(s[i]))
            return 0;
    return 1;
}

void fuzz_files_split(fuzz_files *out, const uint8_t *data, size_t size)
{
    char *s = xrealloc(NULL, size + 1);
    size_t cap = 4, start = 0;
    int keep = 1; /* the section being read is kept */
    const char *name = NULL;

    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    out->copy = s;
    out->v = xrealloc(NULL, cap * sizeof *out->v);
    out->n = 0;
    for (size_t i = 0;; i++) {
        size_t nm = 0, nm_end = 0, after = 0;
        int at_end = i >= size;
        if (!at_end && (i > 0 && s[i - 1] != '\n'))
            continue;
        if (!at_end && !header_at(s, size, i, &nm, &nm_end, &after))
            continue;
        /* The section [start, end) ends here; the '\n' before a header is the header's. */
        size_t end = at_end ? size : (i > start ? i - 1 : i);
        if (keep) {
            if (out->n == cap)
                out->v = xrealloc(out->v, (cap *= 2) * sizeof *out->v);
            out->v[out->n++] = (fuzz_file){ name, s + start, end - start };
        }
        if (at_end) {
            s[end] = '\0';
            break;
        }
        keep = name_ok(s + nm, nm_end - nm);
        name = s + nm;
        s[nm_end] = '\0'; /* the name, in the header's " <==" */
        s[end] = '\0';    /* the previous text, in the '\n' before the header */
        start = after;
        i = after - 1;    /* the next line starts at after */
    }
}

const fuzz_file *fuzz_files_get(const fuzz_files *f, const char *name)
{
    for (size_t i = f->n; i-- > 1;)
        if (!strcmp(f->v[i].name, name))
            return &f->v[i];
    return NULL;
}

void fuzz_files_free(fuzz_files *f)
{
    free(f->v);
    free(f->copy);
    f->v = NULL;
    f->copy = NULL;
    f->n = 0;
}

static char scratch[PATH_MAX];
static char written[PATH_MAX + 80];

static void scratch_empty(void)
{
    DIR *d = opendir(scratch);
    struct dirent *e;
    char path[PATH_MAX + 300];

    if (!d)
        fuzz_fail("cannot open %s: %s", scratch, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", scratch, e->d_name);
        unlink(path);
    }
    closedir(d);
}

static void scratch_remove(void)
{
    if (scratch[0]) {
        scratch_empty();
        rmdir(scratch);
    }
}

const char *fuzz_scratch_dir(void)
{
    if (!scratch[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(scratch, sizeof scratch, "%s/pond-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(scratch))
            fuzz_fail("cannot make %s: %s", scratch, strerror(errno));
        atexit(scratch_remove);
    }
    return scratch;
}

static const char *put(const char *name, const void *data, size_t len)
{
    snprintf(written, sizeof written, "%s/%s", scratch, name);
    int fd = open(written, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        fuzz_fail("cannot write %s: %s", written, strerror(errno));
    const char *p = data;
    while (len > 0) {
        ssize_t k = write(fd, p, len);
        if (k < 0)
            fuzz_fail("cannot write %s: %s", written, strerror(errno));
        p += k;
        len -= (size_t)k;
    }
    close(fd);
    return written;
}

const char *fuzz_scratch_write(const char *name, const void *data, size_t len)
{
    fuzz_scratch_dir();
    scratch_empty();
    return put(name, data, len);
}

const char *fuzz_files_write(const fuzz_files *f, const char *main_name)
{
    fuzz_scratch_dir();
    scratch_empty();
    for (size_t i = 1; i < f->n; i++)
        put(f->v[i].name, f->v[i].text, f->v[i].len);
    return put(main_name, f->v[0].text, f->v[0].len);
}
