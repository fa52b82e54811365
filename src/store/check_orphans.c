/*
 * store/check_orphans.c: what pond_check calls orphans, files nothing refers to: content
 * files under data/ that no version names (a writer killed before its commit, or one whose
 * abort could not clean up), and what no live handle holds under tmp/ (store/tmpdir.c).
 * They are harmless; repair removes them.  data/ is listed before the check's snapshot is
 * taken, and judged only when no writer was at work then (the head of check.c says why), and
 * only when the catalog passed its own checks: a damaged catalog's list of versions cannot
 * say what is unreferenced.
 */
#include "store/check_int.h"
#include "util/grow.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/fs.h"

static int add(checker *c, size_t *cap, const char *name)
{
    size_t n = strlen(name) + 1;
    char *copy;

    if (POND_GROW(c->data_files, c->ndata, *cap))
        return POND_ENOMEM;
    if (!(copy = malloc(n)))
        return pond_error_oom();
    memcpy(copy, name, n);
    c->data_files[c->ndata++] = copy;
    return POND_OK;
}

int check_list_data(checker *c)
{
    pond_buf sub = POND_BUF_INIT, name = POND_BUF_INIT;
    DIR *top = NULL, *d = NULL;
    struct dirent *de, *fe;
    size_t cap = 0;
    int rc = POND_OK;

    if (!(top = opendir(c->p->data_dir)))
        return pond_error_set(POND_ERROR, "cannot read '%s': %s", c->p->data_dir, strerror(errno));
    while ((de = readdir(top))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        pond_buf_clear(&sub);
        if ((rc = pond_buf_printf(&sub, "%s/%s", c->p->data_dir, de->d_name)) < 0)
            goto done;
        if (strlen(de->d_name) != 2 || !pond_fs_is_dir(sub.ptr)) {
            if ((rc = add(c, &cap, de->d_name)) < 0) /* not a content directory */
                goto done;
            continue;
        }
        if (!(d = opendir(sub.ptr))) {
            rc = pond_error_set(POND_ERROR, "cannot read '%s': %s", sub.ptr, strerror(errno));
            goto done;
        }
        while ((fe = readdir(d))) {
            if (strcmp(fe->d_name, ".") == 0 || strcmp(fe->d_name, "..") == 0)
                continue;
            pond_buf_clear(&name);
            if ((rc = pond_buf_printf(&name, "%s/%s", de->d_name, fe->d_name)) < 0 ||
                (rc = add(c, &cap, name.ptr)) < 0)
                goto done;
        }
        closedir(d);
        d = NULL;
    }
done:
    if (d)
        closedir(d);
    closedir(top);
    pond_buf_free(&sub);
    pond_buf_free(&name);
    return rc;
}

void check_free_data(checker *c)
{
    size_t i;
    for (i = 0; i < c->ndata; i++)
        free(c->data_files[i]);
    free(c->data_files);
    c->data_files = NULL;
    c->ndata = 0;
}

static void orphan(checker *c, const char *host_path, const char *shown, const char *what)
{
    c->r->orphans++;
    if (c->repair && pond_fs_rm_rf(host_path) == POND_OK) {
        c->r->repaired++;
        check_finding(c, "removed %s %s", what, shown);
    } else {
        check_finding(c, "%s %s", what, shown);
    }
}

static int is_hex64(const char *name)
{
    size_t i;
    for (i = 0; i < 64; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return 0;
    return name[64] == '\0';
}

/* A listed name "ab/<sha256>" that a version refers to. */
static int referenced(checker *c, const char *name)
{
    const char *slash = strchr(name, '/');
    return slash && slash - name == 2 && strlen(slash + 1) == 64 && is_hex64(slash + 1) &&
           strncmp(slash + 1, name, 2) == 0 && check_find_content(c, slash + 1);
}

static int data_orphans(checker *c)
{
    pond_buf host = POND_BUF_INIT, shown = POND_BUF_INIT;
    size_t i;
    int rc = POND_OK;

    if (!c->catalog_ok) {
        check_finding(c, "orphans in data/ not looked for: the catalog has problems");
        return POND_OK;
    }
    if (c->writer_active) {
        check_finding(c, "orphans in data/ not looked for: pond is being written by %s",
                      c->holder.len ? c->holder.ptr : "another process");
        return POND_OK;
    }
    for (i = 0; i < c->ndata; i++) {
        const char *name = c->data_files[i];
        if (referenced(c, name))
            continue;
        pond_buf_clear(&host);
        pond_buf_clear(&shown);
        if ((rc = pond_buf_printf(&host, "%s/%s", c->p->data_dir, name)) < 0 ||
            (rc = pond_buf_printf(&shown, "data/%s", name)) < 0)
            break;
        if (!pond_fs_exists(host.ptr))
            continue; /* gone meanwhile (an abort cleaning up) */
        orphan(c, host.ptr, shown.ptr, strchr(name, '/') ? "orphan content file" : "orphan file");
    }
    pond_buf_free(&host);
    pond_buf_free(&shown);
    return rc;
}

static int tmp_leftovers(checker *c)
{
    pond_buf host = POND_BUF_INIT, shown = POND_BUF_INIT;
    char **names = NULL;
    size_t n = 0, i;
    int rc;

    if ((rc = store_tmp_leftovers(c->p, &names, &n)) < 0)
        return rc;
    for (i = 0; i < n; i++) {
        pond_buf_clear(&host);
        pond_buf_clear(&shown);
        if (rc == POND_OK && (rc = pond_buf_printf(&host, "%s/tmp/%s", c->p->path, names[i])) ==
                                 POND_OK &&
            (rc = pond_buf_printf(&shown, "tmp/%s", names[i])) == POND_OK)
            orphan(c, host.ptr, shown.ptr, "leftover temporary file");
        free(names[i]);
    }
    free(names);
    pond_buf_free(&host);
    pond_buf_free(&shown);
    return rc;
}

int check_orphans(checker *c)
{
    int rc = data_orphans(c);
    return rc < 0 ? rc : tmp_leftovers(c);
}
