/*
 * mustache/mustache.c: the public API (mustache.h) and the cache of partials.
 *
 * A pond_mustache owns its parsed main template and every partial or parent parsed for it.
 * A name is asked of the loader once: its parsed tree, or the fact that the loader has no such
 * template, is kept for the life of the pond_mustache, so later renders read no files and a
 * recursive partial is parsed once.  A partial that fails to parse is not kept; each render
 * reports it again.  Rendering fills the cache, so one pond_mustache must not be rendered from
 * two threads at once.
 */
#include "mustache/mustache_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct cache_entry {
    char *name;
    mustache_tpl *tpl; /* NULL: the loader has no such template */
} cache_entry;

struct pond_mustache {
    mustache_tpl *main;
    pond_mustache_loader loader;
    void *loader_ctx;
    cache_entry *cache;
    size_t ncache, capcache;
};

int pond_mustache_parse(pond_mustache **out, const char *source, const char *origin,
                        pond_mustache_loader loader, void *loader_ctx)
{
    pond_mustache *t = calloc(1, sizeof *t);
    int rc = POND_OK;

    *out = NULL;
    if (!t) {
        rc = pond_error_oom();
        goto done;
    }
    t->loader = loader;
    t->loader_ctx = loader_ctx;
    if ((rc = mustache__parse(&t->main, source, origin)))
        goto done;
    *out = t;
    t = NULL;
done:
    pond_mustache_free(t);
    return rc;
}

int mustache__get_partial(pond_mustache *t, const char *name, const mustache_tpl **out)
{
    char *src = NULL, *origin = NULL, *key = NULL;
    mustache_tpl *tpl = NULL;
    int rc = POND_OK;

    *out = NULL;
    for (size_t i = 0; i < t->ncache; i++) {
        if (strcmp(t->cache[i].name, name) == 0) {
            *out = t->cache[i].tpl;
            return POND_OK;
        }
    }
    if (!t->loader)
        return POND_OK;
    src = t->loader(name, &origin, t->loader_ctx);
    if (src && (rc = mustache__parse(&tpl, src, origin ? origin : name)))
        goto done;
    if (t->ncache == t->capcache) {
        size_t cap = t->capcache ? 2 * t->capcache : 8;
        cache_entry *v = realloc(t->cache, cap * sizeof *v);
        if (!v) {
            rc = pond_error_oom();
            goto done;
        }
        t->cache = v;
        t->capcache = cap;
    }
    if (!(key = strdup(name))) {
        rc = pond_error_oom();
        goto done;
    }
    t->cache[t->ncache++] = (cache_entry){key, tpl};
    *out = tpl;
    tpl = NULL;
done:
    mustache__tpl_free(tpl);
    free(src);
    free(origin);
    return rc;
}

static int in_cache(const pond_mustache *t, const char *name)
{
    for (size_t i = 0; i < t->ncache; i++)
        if (strcmp(t->cache[i].name, name) == 0)
            return 1;
    return 0;
}

/* Load the fixed-name partials and parents that list names.  Recursive over the tree, which
 * is at most POND_MUSTACHE_MAX_DEPTH deep (parse.c), but not into the templates it loads:
 * pond_mustache_preload walks those in turn. */
static int preload_list(pond_mustache *t, const mustache_list *list, char **missing)
{
    int rc = POND_OK;
    for (size_t i = 0; i < list->n && rc == POND_OK; i++) {
        const mustache_node *n = &list->v[i];
        if ((n->type == MN_PARTIAL || n->type == MN_PARENT) && !n->dynamic &&
            !in_cache(t, n->name)) {
            const mustache_tpl *sub = NULL;
            if ((rc = mustache__get_partial(t, n->name, &sub)) != POND_OK)
                break;
            if (!sub && missing && !*missing && !(*missing = strdup(n->name)))
                rc = pond_error_oom();
        }
        if (rc == POND_OK)
            rc = preload_list(t, &n->children, missing);
    }
    return rc;
}

int pond_mustache_preload(pond_mustache *t, char **missing)
{
    if (missing)
        *missing = NULL;
    int rc = preload_list(t, &t->main->root, missing);
    /* Every template loaded is appended to the cache, and walked here in its turn: a chain of
     * partials however long costs no stack, and a recursive one is walked once. */
    for (size_t i = 0; i < t->ncache && rc == POND_OK; i++)
        if (t->cache[i].tpl)
            rc = preload_list(t, &t->cache[i].tpl->root, missing);
    return rc;
}

int pond_mustache_render(pond_mustache *t, json_t *context, pond_buf *out)
{
    return mustache__render(t, t->main, context, out);
}

void pond_mustache_free(pond_mustache *t)
{
    if (!t)
        return;
    mustache__tpl_free(t->main);
    for (size_t i = 0; i < t->ncache; i++) {
        free(t->cache[i].name);
        mustache__tpl_free(t->cache[i].tpl);
    }
    free(t->cache);
    free(t);
}
