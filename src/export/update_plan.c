/*
 * export/update_plan.c: keep / rewrite / partial rewrite of one output (see update_plan.h).
 */
#include "export/update_plan.h"

#include <stdlib.h>
#include <string.h>
#include "util/error.h"
#include "util/grow.h"

void pond_update_decision_free(pond_update_decision *d)
{
    free(d->dirty);
    memset(d, 0, sizeof *d);
}

static int add_dirty(pond_update_decision *d, const pond_manifest_version *v)
{
    int rc = POND_GROW(d->dirty, d->ndirty, d->capdirty);
    if (rc != POND_OK)
        return rc;
    d->dirty[d->ndirty++] = (pond_time_range){v->min_us, v->max_us};
    return POND_OK;
}

static int write_whole(pond_update_decision *d, const char *why)
{
    d->action = POND_UPDATE_WRITE;
    d->why = why;
    d->ndirty = 0;
    return POND_OK;
}

static int same_versions(const pond_manifest_output *a, const pond_manifest_output *b)
{
    if (a->nversions != b->nversions)
        return 0;
    for (size_t i = 0; i < a->nversions; i++)
        if (a->versions[i].version != b->versions[i].version ||
            strcmp(a->versions[i].sha256, b->versions[i].sha256) != 0)
            return 0;
    return 1;
}

/* The versions added, lost or changed between old and now (both in version order), as
 * dirty time ranges; a version without a time range makes the whole output dirty. */
static int diff_versions(const pond_manifest_output *old, const pond_manifest_output *now,
                         pond_update_decision *d)
{
    size_t i = 0, j = 0;
    int rc = POND_OK;

    d->action = POND_UPDATE_PARTIAL;
    while (rc == POND_OK && (i < old->nversions || j < now->nversions)) {
        const pond_manifest_version *o = i < old->nversions ? &old->versions[i] : NULL;
        const pond_manifest_version *n = j < now->nversions ? &now->versions[j] : NULL;
        const pond_manifest_version *changed[2] = {NULL, NULL};
        if (o && n && o->version == n->version) {
            if (strcmp(o->sha256, n->sha256) != 0) {
                changed[0] = o;
                changed[1] = n;
            }
            i++;
            j++;
        } else if (o && (!n || o->version < n->version)) {
            changed[0] = o; /* lost */
            i++;
        } else {
            changed[1] = n; /* added */
            j++;
        }
        for (int k = 0; k < 2 && rc == POND_OK; k++) {
            if (!changed[k])
                continue;
            if (!changed[k]->has_time)
                return write_whole(d, "a version without a time range changed");
            rc = add_dirty(d, changed[k]);
        }
    }
    return rc;
}

int pond_update_plan_output(const pond_manifest_output *old, const pond_manifest_output *now,
                            int by_time, pond_update_decision *d)
{
    memset(d, 0, sizeof *d);
    if (!old)
        return write_whole(d, "new");
    if (strcmp(old->kind, now->kind) != 0)
        return write_whole(d, "its kind changed");
    if (!json_equal(old->options, now->options))
        return write_whole(d, "its options changed");
    if (strcmp(old->inputs_sha256, now->inputs_sha256) != 0)
        return write_whole(d, "its inputs changed");
    if (strcmp(old->schemas_sha256, now->schemas_sha256) != 0)
        return write_whole(d, "its schema changed");
    if (strcmp(now->kind, "data") == 0) {
        /* a data file is its newest version: copied again only if those bytes changed */
        const pond_manifest_version *a = old->nversions ? &old->versions[old->nversions - 1] : NULL;
        const pond_manifest_version *b = now->nversions ? &now->versions[now->nversions - 1] : NULL;
        if (a && b && strcmp(a->sha256, b->sha256) == 0) {
            d->action = POND_UPDATE_KEEP;
            return POND_OK;
        }
        return write_whole(d, "its content changed");
    }
    if (same_versions(old, now)) {
        d->action = POND_UPDATE_KEEP;
        return POND_OK;
    }
    if (!by_time || strcmp(now->kind, "series") != 0 || now->nversions == 0)
        return write_whole(d, "its versions changed");
    return diff_versions(old, now, d);
}

static int by_lo(const void *a, const void *b)
{
    const pond_key_range *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

size_t pond_update_merge_keys(pond_key_range *r, size_t n)
{
    size_t out = 0;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (r[i].lo > r[i].hi) { /* a range backwards (a DST fall-back): both ends kept */
            int64_t t = r[i].lo;
            r[i].lo = r[i].hi;
            r[i].hi = t;
        }
    qsort(r, n, sizeof *r, by_lo);
    for (size_t i = 1; i < n; i++) {
        if (r[i].lo <= r[out].hi + 1) {
            if (r[i].hi > r[out].hi)
                r[out].hi = r[i].hi;
        } else {
            r[++out] = r[i];
        }
    }
    return out + 1;
}

int pond_update_key_dirty(const pond_key_range *r, size_t n, int64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (key < r[mid].lo)
            hi = mid;
        else if (key > r[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}
