/*
 * tests/conformance/mustache_spec.c: runs the Mustache spec against libpond's engine.
 *
 *     mustache_spec SPEC_DIR
 *
 * Loads every *.json in SPEC_DIR (~lambdas skipped, as JSON has no functions; a release of
 * the spec may also carry the same tests as *.yml, which are not read).  For each test: parse
 * "template" with a loader reading the test's "partials" object, render it with "data",
 * compare with "expected".  Prints which spec ran (its directory and the number of tests in
 * each file), each failure, then "N passed, N failed"; exits non-zero on any failure.
 *
 * The core modules must all be there.  The optional ~inheritance and ~dynamic-names modules
 * are run when present; older releases of the spec do not have them, so their absence is
 * reported, not failed (tests/unit/test_mustache_inheritance.c covers them everywhere).
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mustache/mustache.h"

/* Loader over a test's "partials" object. */
static char *load_partial(const char *name, char **origin, void *ctx)
{
    json_t *s = json_object_get((json_t *)ctx, name);
    if (!json_is_string(s))
        return NULL;
    *origin = strdup(name);
    return strdup(json_string_value(s));
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *const core_modules[] = {"comments.json",    "delimiters.json",
                                           "interpolation.json", "inverted.json",
                                           "partials.json",      "sections.json"};
static const char *const optional_modules[] = {"~inheritance.json", "~dynamic-names.json"};

static int has_name(char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

static void run_file(const char *dir, const char *file, int *passed, int *failed)
{
    int failed_before = *failed;
    char path[4096];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    json_t *spec = json_load_file(path, 0, &jerr);
    if (!spec) {
        printf("FAIL %s: cannot load: %s (line %d)\n", file, jerr.text, jerr.line);
        (*failed)++;
        return;
    }
    json_t *tests = json_object_get(spec, "tests");
    size_t i;
    json_t *test;
    json_array_foreach(tests, i, test) {
        const char *name = json_string_value(json_object_get(test, "name"));
        const char *tmpl = json_string_value(json_object_get(test, "template"));
        const char *expected = json_string_value(json_object_get(test, "expected"));
        json_t *partials = json_object_get(test, "partials");
        json_t *empty = json_object();
        pond_mustache *t = NULL;
        pond_buf out = POND_BUF_INIT;
        int rc = pond_mustache_parse(&t, tmpl, name, load_partial, partials ? partials : empty);
        if (!rc)
            rc = pond_mustache_render(t, json_object_get(test, "data"), &out);
        if (rc) {
            printf("FAIL %s: %s: error %d: %s\n", file, name, rc, pond_error_last());
            (*failed)++;
        } else if (strcmp(out.ptr, expected) != 0) {
            printf("FAIL %s: %s\n  template: \"%s\"\n  expected: \"%s\"\n       got: \"%s\"\n",
                   file, name, tmpl, expected, out.ptr);
            (*failed)++;
        } else {
            (*passed)++;
        }
        pond_buf_free(&out);
        pond_mustache_free(t);
        json_decref(empty);
    }
    printf("  %-22s %zu tests, %d failed\n", file, json_array_size(tests),
           *failed - failed_before);
    json_decref(spec);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mustache_spec SPEC_DIR\n");
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        fprintf(stderr, "mustache_spec: cannot open '%s' (scripts/deps.sh fetches the spec)\n",
                argv[1]);
        return 2;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < sizeof names / sizeof *names) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0 &&
            strcmp(e->d_name, "~lambdas.json") != 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);

    int passed = 0, failed = 0;
    printf("Mustache spec in %s:\n", argv[1]);
    for (size_t i = 0; i < n; i++)
        run_file(argv[1], names[i], &passed, &failed);
    for (size_t i = 0; i < sizeof core_modules / sizeof *core_modules; i++) {
        if (!has_name(names, n, core_modules[i])) {
            printf("FAIL core module %s is not in '%s'\n", core_modules[i], argv[1]);
            failed++;
        }
    }
    for (size_t i = 0; i < sizeof optional_modules / sizeof *optional_modules; i++)
        if (!has_name(names, n, optional_modules[i]))
            printf("  %-22s skipped: not in this release of the spec\n", optional_modules[i]);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
