/*
 * export/partition_write.c: naming and placing the files of a data-export COPY (see
 * partition_write.h).
 *
 * The files arrive sorted so that one directory's files are consecutive: a level directory is
 * made only when it differs from the previous file's (no mkdir -p, no stat per file), and a key
 * directory is removed once its last file has left it.
 */
#include "export/partition_write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "export/parquet_footer.h"
#include "export/partition_plan.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

void pond_written_free(pond_written *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->v[i].src);
        free(w->v[i].final);
        free(w->v[i].name);
    }
    free(w->v);
    w->v = NULL;
    w->n = w->cap = 0;
}

/* "NAME=<integer>/" at *p: the value, *p moved past the slash; -1 when it is not. */
static int take_int(const char **p, const char *name, int64_t *val, int *null)
{
    size_t n = strlen(name);
    char *end;
    if (strncmp(*p, name, n) != 0 || (*p)[n] != '=')
        return -1;
    const char *v = *p + n + 1;
    if (strncmp(v, "NULL/", 5) == 0) {
        *null = 1;
        *p = v + 5;
        return 0;
    }
    errno = 0;
    *val = strtoll(v, &end, 10);
    if (end == v || *end != '/' || errno)
        return -1;
    *null = 0;
    *p = end + 1;
    return 0;
}

static int parse_name(pond_written_file *f, const char *rel, int nlevels)
{
    const char *p = rel;
    int null = 0;

    f->key_ok = 1;
    if (nlevels == 0)
        return POND_OK;
    if (take_int(&p, POND_KEY_COLUMN, &f->key, &null) != 0 ||
        sscanf(p, "data_%ld.parquet", &f->index) != 1 || strchr(p, '/'))
        return pond_error_set(POND_ERROR, "unexpected export file '%s'", rel);
    f->key_ok = !null;
    if (f->key_ok)
        pond_partition_key_levels(nlevels, f->key, f->vals);
    return POND_OK;
}

int pond_written_add_result(pond_written *w, duckdb_result *res, const char *dir, int nlevels)
{
    int rc = POND_OK;
    size_t prefix = strlen(dir) + 1;
    duckdb_data_chunk chunk;

    while (rc == POND_OK && (chunk = duckdb_fetch_chunk(*res)) != NULL) {
        duckdb_vector lv = duckdb_data_chunk_get_vector(chunk, 1);
        duckdb_list_entry *le = duckdb_vector_get_data(lv);
        duckdb_string_t *names = duckdb_vector_get_data(duckdb_list_vector_get_child(lv));
        idx_t nr = duckdb_data_chunk_get_size(chunk);
        for (idx_t r = 0; r < nr && rc == POND_OK; r++) {
            for (idx_t j = le[r].offset; j < le[r].offset + le[r].length; j++) {
                const char *fn = duckdb_string_t_data(&names[j]);
                size_t len = duckdb_string_t_length(names[j]);
                pond_written_file *f;
                if (len <= prefix || strncmp(fn, dir, prefix - 1) != 0 || fn[prefix - 1] != '/') {
                    rc = pond_error_set(POND_ERROR, "DuckDB wrote '%.*s', outside '%s'",
                                        (int)len, fn, dir);
                    break;
                }
                if (w->n == w->cap) {
                    size_t ncap = w->cap ? w->cap * 2 : 64;
                    pond_written_file *nv = realloc(w->v, ncap * sizeof *nv);
                    if (!nv) {
                        rc = pond_error_oom();
                        break;
                    }
                    w->v = nv;
                    w->cap = ncap;
                }
                f = &w->v[w->n];
                memset(f, 0, sizeof *f);
                if (!(f->src = strndup(fn, len))) {
                    rc = pond_error_oom();
                    break;
                }
                w->n++;
                if ((rc = parse_name(f, f->src + prefix, nlevels)) != POND_OK)
                    break;
            }
        }
        duckdb_destroy_data_chunk(&chunk);
    }
    return rc;
}

/* Order: series, then key (NULL last), then n; within one series the final directories sort
 * like their names (strcmp), which is the order export_metadata has always listed them in. */
static int cmp_file(const void *a, const void *b)
{
    const pond_written_file *x = a, *y = b;
    if (x->src_index != y->src_index)
        return x->src_index < y->src_index ? -1 : 1;
    int c = strcmp(x->final, y->final);
    if (c)
        return c;
    return (x->index > y->index) - (x->index < y->index);
}

/* Make the directories of rel (below out) that prev (the previous file's) did not have. */
static int make_dirs(pond_buf *path, const char *out, const char *rel, const char *prev)
{
    size_t same = 0;
    /* the length of the common leading directories */
    if (prev)
        for (size_t i = 0; rel[i] && rel[i] == prev[i]; i++)
            if (rel[i] == '/')
                same = i + 1;
    for (const char *s = rel + same; (s = strchr(s, '/')) != NULL; s++) {
        pond_buf_clear(path);
        int rc = pond_buf_printf(path, "%s/%.*s", out, (int)(s - rel), rel);
        if (rc != POND_OK)
            return rc;
        if (mkdir(path->ptr, 0777) != 0 && errno != EEXIST)
            return pond_error_set(POND_ERROR, "cannot create '%s': %s", path->ptr,
                                  strerror(errno));
    }
    return POND_OK;
}

int pond_written_place(pond_written *w, int nlevels, const char *const *outs, size_t nouts)
{
    int rc = POND_OK;
    pond_buf name = POND_BUF_INIT, to = POND_BUF_INIT, dir = POND_BUF_INIT;

    /* final directory names first, for sorting */
    for (size_t i = 0; i < w->n; i++) {
        pond_written_file *f = &w->v[i];
        if ((size_t)f->src_index >= nouts) {
            rc = pond_error_set(POND_ERROR, "unexpected export file '%s'", f->src);
            goto done;
        }
        pond_buf_clear(&name);
        if (nlevels == 0)
            rc = pond_buf_puts(&name, f->src + strlen(outs[f->src_index]) + 1);
        else
            rc = f->key_ok ? pond_partition_dir(&name, nlevels, f->vals)
                           : pond_partition_null_dir(&name, nlevels);
        if (rc != POND_OK || !(f->final = pond_buf_detach(&name))) {
            rc = rc ? rc : pond_error_oom();
            goto done;
        }
    }
    if (w->n > 1)
        qsort(w->v, w->n, sizeof *w->v, cmp_file);
    for (size_t i = 0, k = 0; i < w->n; i++) {
        pond_written_file *f = &w->v[i];
        const pond_written_file *prev = i ? &w->v[i - 1] : NULL;
        const char *out = outs[f->src_index];
        if ((rc = pond_parquet_file_rows(f->src, &f->rows)) != POND_OK)
            goto done;
        if (nlevels == 0) {
            if (!(f->name = strdup(f->final))) {
                rc = pond_error_oom();
                goto done;
            }
            continue;
        }
        int same_dir = prev && prev->src_index == f->src_index && strcmp(prev->final, f->final) == 0;
        k = same_dir ? k + 1 : 0;
        pond_buf_clear(&name);
        rc = k ? pond_buf_printf(&name, "%s/data_%zu.parquet", f->final, k)
               : pond_buf_printf(&name, "%s/data.parquet", f->final);
        if (rc != POND_OK)
            goto done;
        /* prev's directories exist when it is of the same output */
        if ((rc = make_dirs(&dir, out, name.ptr,
                            prev && prev->src_index == f->src_index ? prev->name : NULL)))
            goto done;
        pond_buf_clear(&to);
        if ((rc = pond_buf_printf(&to, "%s/%s", out, name.ptr)) != POND_OK ||
            (rc = pond_fs_rename(f->src, to.ptr)) != POND_OK)
            goto done;
        /* the key directory, once its last file has gone */
        const pond_written_file *next = i + 1 < w->n ? &w->v[i + 1] : NULL;
        char *slash = strrchr(f->src, '/');
        if (slash && !(next && next->src_index == f->src_index &&
                       strcmp(next->final, f->final) == 0)) {
            *slash = '\0';
            if (rmdir(f->src) != 0 && errno != ENOTEMPTY && errno != EEXIST) {
                rc = pond_error_set(POND_ERROR, "cannot remove '%s': %s", f->src,
                                    strerror(errno));
                *slash = '/';
                goto done;
            }
            *slash = '/';
        }
        if (!(f->name = pond_buf_detach(&name))) {
            rc = pond_error_oom();
            goto done;
        }
    }
done:
    pond_buf_free(&name);
    pond_buf_free(&to);
    pond_buf_free(&dir);
    return rc;
}
