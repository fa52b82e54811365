/*
 * tests/conformance/mustache_spec.c: runs the Mustache spec against libpond's engine.
 *
 *     mustache_spec SPEC_DIR
 *
 * Loads every *.json in SPEC_DIR (the optional ~inheritance and ~dynamic-names modules
 * included; ~lambdas skipped, as JSON has no functions).  For each test: parse "template"
 * with a loader reading the test's "partials" object, render it with "data", compare with
 * "expected".  Prints each failure, then "N passed, N failed"; exits non-zero on any failure.
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

static void run_file(const char *dir, const char *file, int *passed, int *failed)
{
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
        fprintf(stderr, "mustache_spec: cannot open '%s'\n", argv[1]);
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
    for (size_t i = 0; i < n; i++) {
        run_file(argv[1], names[i], &passed, &failed);
        free(names[i]);
    }
    if (n == 0) {
        printf("FAIL no *.json in '%s'\n", argv[1]);
        failed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
