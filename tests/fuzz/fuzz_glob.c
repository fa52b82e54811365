/*
 * tests/fuzz/fuzz_glob.c: fuzz target of the glob compiler and matcher (src/glob, glob.h).
 *
 * Input: a pattern on the first line, then paths, one a line.  The pattern either compiles
 * or is POND_EINVALID with a message naming it.  Each path is matched with and without
 * captures, and what is known of a match must hold:
 *   - with and without captures the answer is the same, and no captures are left on a miss;
 *   - a pattern without '**' makes one capture per '*';
 *   - a literal pattern matches only itself (up to a trailing '/');
 *   - a matched path lies below the literal prefix, and the walk may descend into every
 *     directory above it (pond_glob_may_descend is 1 for each, else the walk would miss it).
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include "glob/glob.h"
#include "util/error.h"

static size_t count_stars(const char *pattern)
{
    size_t n = 0;
    for (const char *p = pattern; *p; p++)
        n += *p == '*';
    return n;
}

/* s with runs of '/' made one and a trailing '/' removed ("/" stays "/"), malloc'd. */
static char *normalized(const char *s)
{
    char *n = malloc(strlen(s) + 1), *w = n;
    if (!n)
        fuzz_fail("out of memory");
    for (; *s; s++)
        if (*s != '/' || w == n || w[-1] != '/')
            *w++ = *s;
    if (w - n > 1 && w[-1] == '/')
        w--;
    *w = '\0';
    return n;
}

static void check_match(const pond_pattern *g, const char *pattern, const char *path)
{
    pond_captures caps = POND_CAPTURES_INIT;
    int with = pond_glob_match(g, path, &caps);
    int without = pond_glob_match(g, path, NULL);

    if (with < 0 || without < 0)
        fuzz_fail("'%s' on '%s': error %d/%d", pattern, path, with, without);
    if (with != without)
        fuzz_fail("'%s' on '%s': %d with captures, %d without", pattern, path, with, without);
    if (!with && caps.n)
        fuzz_fail("'%s' on '%s': no match, %zu captures", pattern, path, caps.n);
    if (with) {
        if (path[0] != '/')
            fuzz_fail("'%s' matched the relative path '%s'", pattern, path);
        if (!strstr(pattern, "**") && caps.n != count_stars(pattern))
            fuzz_fail("'%s' on '%s': %zu captures for %zu stars", pattern, path, caps.n,
                      count_stars(pattern));
        for (size_t i = 0; i < caps.n; i++)
            if (!caps.v[i] || strchr(caps.v[i], '/'))
                fuzz_fail("'%s' on '%s': capture %zu holds a '/'", pattern, path, i);
        /* The checks below are on the path as the walk would give it. */
        char *np = normalized(path), *npat = normalized(pattern);
        if (pond_glob_is_literal(g) && strcmp(np, npat) != 0)
            fuzz_fail("literal '%s' matched '%s'", pattern, path);
        size_t pre = pond_glob_literal_prefix_len(g);
        if (pre > 1 && (strncmp(np, pattern, pre) != 0 || (np[pre] != '/' && np[pre] != '\0')))
            fuzz_fail("'%s' matched '%s', outside its prefix (%zu)", pattern, path, pre);
        /* Every directory above the path: "/", "/a", "/a/b", … */
        char *dir = strdup(np);
        if (!dir)
            fuzz_fail("out of memory");
        for (size_t i = 0; np[i] && np[i + 1]; i++) {
            if (np[i] != '/')
                continue;
            memcpy(dir, np, i ? i : 1);
            dir[i ? i : 1] = '\0';
            if (pond_glob_may_descend(g, dir) != 1)
                fuzz_fail("'%s' matches '%s' but may not descend into '%s'", pattern, path,
                          dir);
        }
        free(np);
        free(npat);
        free(dir);
    }
    pond_captures_free(&caps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);

    char *line = text, *next = strchr(text, '\n');
    if (next)
        *next++ = '\0';
    pond_pattern *g = NULL;
    int rc = pond_glob_compile(&g, line);
    if (rc != POND_OK) {
        if (rc != POND_EINVALID || g != NULL || !strstr(pond_error_last(), "pattern"))
            fuzz_fail("compile '%s': %d '%s'", line, rc, pond_error_last());
        free(text);
        return 0;
    }
    if (strcmp(pond_glob_pattern(g), line) != 0)
        fuzz_fail("compiled '%s' says it is '%s'", line, pond_glob_pattern(g));
    check_match(g, line, line); /* the pattern as a path */
    while (next) {
        char *path = next;
        if ((next = strchr(path, '\n')) != NULL)
            *next++ = '\0';
        check_match(g, line, path);
        pond_glob_may_descend(g, path);
    }
    pond_glob_free(g);
    free(text);
    return 0;
}
