/*
 * glob/glob_match.c: matching a compiled pattern against a path, and pruning a walk.
 *
 * How a whole path is matched (pond_glob_match), without exponential backtracking:
 *   1. Split the path into names N[0..n).
 *   2. Dynamic programming from the end: ok[i][j] = 1 if components i.. match names j...
 *      A name component consumes one name; a middle '**' any number (ok[i][j] = ok[i+1][j] or
 *      ok[i][j+1]); a final '**' one or more.  O(components x names) cells.
 *   3. Walk forward from (0, 0), at each '**' taking the fewest names that still let the rest
 *      match, and in each name the earliest place for every literal piece: earlier wildcards
 *      take as little as possible (glob.h).
 * Within one name (glob__comp_match) the first and last literal pieces are anchored at the
 * ends and each middle piece is placed at its leftmost occurrence after the one before; that
 * leftmost placement is both correct (a '*' can absorb anything) and the shortest for every
 * earlier '*'.
 * pond_glob_may_descend runs the same components forward as a set of states (an NFA).
 */
#include "glob/glob_int.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>
#include "util/error.h"

typedef struct {
    const char *p;
    size_t len;
} name_ref;

/* First position >= from where needle[0..nlen) occurs inside hay[from..end), or (size_t)-1. */
static size_t find(const char *hay, size_t from, size_t end, const char *needle, size_t nlen)
{
    if (nlen == 0)
        return from;
    for (size_t i = from; i + nlen <= end; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, nlen) == 0)
            return i;
    return (size_t)-1;
}

/* Match the GLOB_STAR component c against x[0..len).  When caps is non-NULL, append each
 * star's text to it.  Returns 1 / 0, or POND_ENOMEM. */
static int star_match(const glob_comp *c, const char *x, size_t len, pond_captures *caps);

static int push_capture(pond_captures *caps, const char *s, size_t len)
{
    char **v = realloc(caps->v, (caps->n + 1) * sizeof *v);
    if (!v)
        return pond_error_oom();
    caps->v = v;
    if (!(v[caps->n] = strndup(s, len)))
        return pond_error_oom();
    caps->n++;
    return POND_OK;
}

static int star_match(const glob_comp *c, const char *x, size_t len, pond_captures *caps)
{
    const glob_seg *first = &c->segs[0], *last = &c->segs[c->nsegs - 1];
    if (first->len + last->len > len)
        return 0;
    if (memcmp(x, c->text + first->off, first->len) != 0 ||
        memcmp(x + len - last->len, c->text + last->off, last->len) != 0)
        return 0;
    size_t lo = first->len, hi = len - last->len;
    size_t pos = lo;
    /* Pass 1 checks; pass 2 (only with caps, only after a match) captures. */
    for (int pass = 0; pass < (caps ? 2 : 1); pass++) {
        pos = lo;
        for (size_t k = 1; k + 1 < c->nsegs; k++) {
            const glob_seg *s = &c->segs[k];
            size_t at = find(x, pos, hi, c->text + s->off, s->len);
            if (at == (size_t)-1)
                return 0;
            if (pass == 1) {
                int rc = push_capture(caps, x + pos, at - pos);
                if (rc)
                    return rc;
            }
            pos = at + s->len;
        }
        if (pass == 1) {
            int rc = push_capture(caps, x + pos, hi - pos);
            if (rc)
                return rc;
        }
    }
    return 1;
}

int glob__comp_match(const glob_comp *c, const char *x, size_t len)
{
    if (c->kind == GLOB_LIT)
        return c->len == len && memcmp(c->text, x, len) == 0;
    if (c->kind == GLOB_STAR)
        return star_match(c, x, len, NULL);
    return 1;
}

/* Split path into its names; *out is malloc'd (may be NULL when there are none). */
static int split_path(const char *path, name_ref **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        if (POND_GROW(*out, *n, cap)) {
            free(*out);
            *out = NULL;
            return POND_ENOMEM;
        }
        (*out)[*n].p = p;
        (*out)[*n].len = (size_t)(e - p);
        (*n)++;
        p = e;
    }
    return POND_OK;
}

int pond_glob_match(const pond_pattern *g, const char *path, pond_captures *caps)
{
    int rc = 0;
    name_ref *names = NULL;
    size_t n = 0, m = g->ncomps;
    unsigned char *ok = NULL;
    pond_captures got = POND_CAPTURES_INIT;

    if (caps)
        *caps = (pond_captures)POND_CAPTURES_INIT;
    if (!path || path[0] != '/')
        goto done;
    if ((rc = split_path(path, &names, &n)))
        goto done;
    size_t w = n + 1;
#define OK(i, j) ok[(i) * w + (j)]
    if (!(ok = calloc((m + 1) * w, 1))) {
        rc = pond_error_oom();
        goto done;
    }
    OK(m, n) = 1;
    for (size_t i = m; i-- > 0;) {
        const glob_comp *c = &g->comps[i];
        for (size_t j = n + 1; j-- > 0;) {
            if (c->kind == GLOB_DSTAR && i + 1 == m)
                OK(i, j) = j < n;
            else if (c->kind == GLOB_DSTAR)
                OK(i, j) = OK(i + 1, j) || (j < n && OK(i, j + 1));
            else
                OK(i, j) = j < n && OK(i + 1, j + 1) &&
                           glob__comp_match(c, names[j].p, names[j].len);
        }
    }
    if (!OK(0, 0))
        goto done; /* rc 0: no match */
    if (!caps) {
        rc = 1;
        goto done;
    }
    /* Walk the leftmost-shortest match and collect captures. */
    size_t j = 0;
    for (size_t i = 0; i < m; i++) {
        const glob_comp *c = &g->comps[i];
        if (c->kind == GLOB_DSTAR) {
            size_t k = j;
            if (i + 1 == m)
                k = n - 1; /* all but the final name */
            else
                while (!OK(i + 1, k))
                    k++;
            for (; j < k; j++)
                if ((rc = push_capture(&got, names[j].p, names[j].len)))
                    goto done;
            if (i + 1 == m)
                j = n;
        } else {
            if (c->kind == GLOB_STAR &&
                (rc = star_match(c, names[j].p, names[j].len, &got)) < 0)
                goto done;
            j++;
        }
    }
#undef OK
    *caps = got;
    got = (pond_captures)POND_CAPTURES_INIT;
    rc = 1;
done:
    pond_captures_free(&got);
    free(ok);
    free(names);
    return rc;
}

/* Add to set every state reachable by letting a middle '**' pass zero names. */
static void close_states(const pond_pattern *g, unsigned char *set)
{
    for (size_t i = 0; i + 1 < g->ncomps; i++)
        if (set[i] && g->comps[i].kind == GLOB_DSTAR)
            set[i + 1] = 1;
}

int pond_glob_may_descend(const pond_pattern *g, const char *dir_path)
{
    int rc = 1; /* on allocation failure say "maybe" rather than prune a match */
    size_t m = g->ncomps;
    unsigned char *cur = NULL, *next = NULL;

    if (!dir_path || dir_path[0] != '/') {
        rc = 0;
        goto done;
    }
    if (!(cur = calloc(m + 1, 1)) || !(next = calloc(m + 1, 1)))
        goto done;
    cur[0] = 1;
    close_states(g, cur);
    for (const char *p = dir_path; *p;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != '/')
            e++;
        int any = 0;
        memset(next, 0, m + 1);
        for (size_t i = 0; i < m; i++) {
            if (!cur[i])
                continue;
            const glob_comp *c = &g->comps[i];
            if (c->kind == GLOB_DSTAR)
                next[i] = any = 1;
            else if (glob__comp_match(c, p, (size_t)(e - p)))
                next[i + 1] = any = 1;
        }
        if (!any) {
            rc = 0;
            goto done;
        }
        close_states(g, next);
        unsigned char *t = cur;
        cur = next;
        next = t;
        p = e;
    }
    /* Some state still has a component to match: a deeper path can match it (every
     * remaining component needs at least one more name, and any name can satisfy it). */
    rc = 0;
    for (size_t i = 0; i < m; i++)
        if (cur[i])
            rc = 1;
done:
    free(cur);
    free(next);
    return rc;
}

void pond_captures_free(pond_captures *caps)
{
    if (!caps)
        return;
    for (size_t i = 0; i < caps->n; i++)
        free(caps->v[i]);
    free(caps->v);
    caps->n = 0;
    caps->v = NULL;
}
