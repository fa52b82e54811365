/*
 * export/claim_index.c: claimed output paths in two search trees (POSIX tsearch): the claimed
 * paths themselves, and every directory above a claimed path (with the first claim below
 * it).  A new path overlaps an earlier claim when it is a claimed path, when it is a directory
 * above one (the second tree), or when a directory above it is a claimed path.
 */
#define _GNU_SOURCE /* tdestroy */
#include "export/claim_index.h"

#include <search.h>
#include <stdlib.h>
#include <string.h>
#include "util/error.h"

typedef struct node {
    char *path;
    size_t claim;
} node;

struct pond_claim_index {
    void *paths; /* node: a claimed path */
    void *dirs;  /* node: a directory above a claimed path, and the first claim below it */
};

static int node_cmp(const void *a, const void *b)
{
    return strcmp(((const node *)a)->path, ((const node *)b)->path);
}

static void node_free(void *n)
{
    free(((node *)n)->path);
    free(n);
}

int pond_claim_index_new(pond_claim_index **out)
{
    if (!(*out = calloc(1, sizeof **out)))
        return pond_error_oom();
    return POND_OK;
}

void pond_claim_index_free(pond_claim_index *ix)
{
    if (!ix)
        return;
    tdestroy(ix->paths, node_free);
    tdestroy(ix->dirs, node_free);
    free(ix);
}

/* The claim of path in tree, or -1. path is only read (the cast is for the key's type). */
static long lookup(void *const *tree, const char *path)
{
    node key = {(char *)path, 0};
    node *const *found = tfind(&key, tree, node_cmp);
    return found ? (long)(*found)->claim : -1;
}

long pond_claim_index_find_overlap(const pond_claim_index *ix, const char *rel)
{
    long n;
    char *copy;

    if ((n = lookup(&ix->paths, rel)) >= 0 || (n = lookup(&ix->dirs, rel)) >= 0)
        return n;
    if (!(copy = strdup(rel)))
        return -1; /* no memory to look further: add() will fail the same way */
    for (char *slash = strrchr(copy, '/'); slash && n < 0; slash = strrchr(copy, '/')) {
        *slash = '\0';
        n = lookup(&ix->paths, copy);
    }
    free(copy);
    return n;
}

/* Insert (path, claim) into tree unless path is there already. */
static int insert(void **tree, const char *path, size_t len, size_t claim)
{
    node *n = malloc(sizeof *n);
    if (!n || !(n->path = strndup(path, len))) {
        free(n);
        return pond_error_oom();
    }
    n->claim = claim;
    node **slot = tsearch(n, tree, node_cmp);
    if (!slot) {
        node_free(n);
        return pond_error_oom();
    }
    if (*slot != n)
        node_free(n); /* already there */
    return POND_OK;
}

int pond_claim_index_add(pond_claim_index *ix, const char *rel, size_t n)
{
    int rc = insert(&ix->paths, rel, strlen(rel), n);
    for (const char *slash = strchr(rel, '/'); rc == POND_OK && slash;
         slash = strchr(slash + 1, '/'))
        rc = insert(&ix->dirs, rel, (size_t)(slash - rel), n);
    return rc;
}
