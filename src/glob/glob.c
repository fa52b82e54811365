/*
 * glob/glob.c: compiling a pattern into components (see glob.h for the language).
 *
 * Guarantees: a compiled pattern is valid (absolute, no empty component, '**' only alone,
 * no "." / ".." component); every rejection is POND_EINVALID naming the pattern and the fault.
 */
#include "glob/glob_int.h"

#include <stdlib.h>
#include <string.h>
#include "util/error.h"

static int invalid(const char *pattern, const char *why)
{
    return pond_error_set(POND_EINVALID, "invalid pattern '%s': %s", pattern, why);
}

/* Split the GLOB_STAR component c into its literal pieces. */
static int split_stars(glob_comp *c)
{
    size_t n = 1;
    for (size_t i = 0; i < c->len; i++)
        n += c->text[i] == '*';
    if (!(c->segs = calloc(n, sizeof *c->segs)))
        return pond_error_oom();
    c->nsegs = n;
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= c->len; i++) {
        if (i == c->len || c->text[i] == '*') {
            c->segs[k].off = start;
            c->segs[k].len = i - start;
            k++;
            start = i + 1;
        }
    }
    return POND_OK;
}

int pond_glob_compile(pond_pattern **out, const char *pattern)
{
    int rc = POND_OK;
    pond_pattern *g = NULL;

    *out = NULL;
    if (!pattern || !*pattern) {
        rc = pond_error_set(POND_EINVALID, "invalid pattern '': empty");
        goto done;
    }
    if (pattern[0] != '/') {
        rc = invalid(pattern, "must be absolute (start with '/')");
        goto done;
    }
    if (strstr(pattern, "//")) {
        rc = invalid(pattern, "empty component ('//')");
        goto done;
    }
    if (!(g = calloc(1, sizeof *g)) || !(g->pattern = strdup(pattern)) ||
        !(g->copy = strdup(pattern))) {
        rc = pond_error_oom();
        goto done;
    }
    size_t len = strlen(g->copy);
    if (len > 1 && g->copy[len - 1] == '/')
        g->copy[--len] = '\0'; /* one trailing '/' is ignored */
    for (size_t i = 1; i < len; i++)
        g->ncomps += g->copy[i] == '/';
    if (len > 1)
        g->ncomps++;
    if (g->ncomps && !(g->comps = calloc(g->ncomps, sizeof *g->comps))) {
        rc = pond_error_oom();
        goto done;
    }

    g->literal = 1;
    int in_prefix = 1;
    char *p = g->copy + 1;
    for (size_t k = 0; k < g->ncomps; k++) {
        glob_comp *c = &g->comps[k];
        char *e = strchr(p, '/');
        if (e)
            *e = '\0';
        c->text = p;
        c->len = strlen(p);
        if (c->len == 0) {
            rc = invalid(pattern, "empty component ('//')");
            goto done;
        }
        if (!strcmp(p, ".") || !strcmp(p, "..")) {
            rc = pond_error_set(POND_EINVALID,
                                "invalid pattern '%s': '%s' is not allowed as a component",
                                pattern, p);
            goto done;
        }
        if (!strcmp(p, "**")) {
            c->kind = GLOB_DSTAR;
        } else if (strstr(p, "**")) {
            rc = pond_error_set(POND_EINVALID,
                                "invalid pattern '%s': '**' must be a whole component, not "
                                "part of '%s'",
                                pattern, p);
            goto done;
        } else if (strchr(p, '*')) {
            c->kind = GLOB_STAR;
            if ((rc = split_stars(c)))
                goto done;
        } else {
            c->kind = GLOB_LIT;
        }
        if (c->kind != GLOB_LIT) {
            g->literal = 0;
            in_prefix = 0;
        }
        /* The prefix takes leading literal components, never the last one. */
        if (in_prefix && k + 1 < g->ncomps)
            g->prefix_len = (size_t)(p - g->copy) + c->len;
        p = e ? e + 1 : p + c->len;
    }
    if (g->prefix_len == 0)
        g->prefix_len = 1; /* "/" */
    *out = g;
    g = NULL;
done:
    pond_glob_free(g);
    return rc;
}

void pond_glob_free(pond_pattern *g)
{
    if (!g)
        return;
    for (size_t i = 0; g->comps && i < g->ncomps; i++)
        free(g->comps[i].segs);
    free(g->comps);
    free(g->copy);
    free(g->pattern);
    free(g);
}

const char *pond_glob_pattern(const pond_pattern *g) { return g->pattern; }

int pond_glob_is_literal(const pond_pattern *g) { return g->literal; }

size_t pond_glob_literal_prefix_len(const pond_pattern *g) { return g->prefix_len; }
