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

/* The length of f's key directory in f->src (up to its last '/'). */
static size_t key_dir_len(const pond_written_file *f)
{
    const char *slash = strrchr(f->src, '/');
    return slash ? (size_t)(slash - f->src) : 0;
}

static int same_partition(const pond_written_file *a, const pond_written_file *b)
{
    return a->src_index == b->src_index && strcmp(a->final, b->final) == 0;
}

/* The mode of the directories pond makes (0777 & ~umask), when DuckDB's (0755 & ~umask)
 * differs from it: learnt once, from out (made by pond) and the first key directory. */
typedef struct dir_mode {
    int known, fix;
    mode_t mode;
} dir_mode;

static int learn_dir_mode(dir_mode *m, const char *out, const char *key_dir)
{
    struct stat a, b;
    const char *bad = stat(out, &a) != 0 ? out : stat(key_dir, &b) != 0 ? key_dir : NULL;
    if (bad)
        return pond_error_set(POND_ERROR, "cannot stat '%s': %s", bad, strerror(errno));
    m->known = 1;
    m->mode = a.st_mode & 07777;
    m->fix = m->mode != (b.st_mode & 07777);
    return POND_OK;
}

/* Rename the key directory of v[0..n) (one partition, all in that directory) to out/final,
 * then its files to their names; *moved 0 (nothing done) when out/final exists already. */
static int move_key_dir(pond_written_file *v, size_t n, const char *out, dir_mode *mode,
                        pond_buf *from, pond_buf *to, int *moved)
{
    int rc;
    size_t len = key_dir_len(&v[0]);

    *moved = 0;
    pond_buf_clear(from);
    pond_buf_clear(to);
    if ((rc = pond_buf_printf(from, "%.*s", (int)len, v[0].src)) ||
        (rc = pond_buf_printf(to, "%s/%s", out, v[0].final)))
        return rc;
    if (!mode->known && (rc = learn_dir_mode(mode, out, from->ptr)))
        return rc;
    if (rename(from->ptr, to->ptr) != 0) {
        if (errno == EEXIST || errno == ENOTEMPTY)
            return POND_OK;
        return pond_error_set(POND_ERROR, "cannot rename '%s' to '%s': %s", from->ptr, to->ptr,
                              strerror(errno));
    }
    *moved = 1;
    /* the partition directory's mode as if pond had made it */
    if (mode->fix && chmod(to->ptr, mode->mode) != 0)
        return pond_error_set(POND_ERROR, "cannot chmod '%s': %s", to->ptr, strerror(errno));
    /* data_<i> to data, data_1 …: in ascending i, so a name is free before it is taken */
    for (size_t k = 0; k < n; k++) {
        const char *base = v[k].src + len + 1, *want = strrchr(v[k].name, '/') + 1;
        if (strcmp(base, want) == 0)
            continue;
        pond_buf_clear(from);
        pond_buf_clear(to);
        if ((rc = pond_buf_printf(from, "%s/%s/%s", out, v[0].final, base)) ||
            (rc = pond_buf_printf(to, "%s/%s", out, v[k].name)) ||
            (rc = pond_fs_rename(from->ptr, to->ptr)))
            return rc;
    }
    return POND_OK;
}

/* Move the files v[0..n) of one partition to out/<name> one by one, then remove their key
 * directories. */
static int move_files(pond_written_file *v, size_t n, const char *out, pond_buf *to)
{
    int rc;

    for (size_t k = 0; k < n; k++) {
        pond_buf_clear(to);
        if ((rc = pond_buf_printf(to, "%s/%s", out, v[k].name)) ||
            (rc = pond_fs_rename(v[k].src, to->ptr)))
            return rc;
    }
    for (size_t k = 0; k < n; k++) {
        size_t len = key_dir_len(&v[k]);
        if (!len || (k + 1 < n && key_dir_len(&v[k + 1]) == len &&
                     strncmp(v[k + 1].src, v[k].src, len) == 0))
            continue; /* not the last of its directory */
        v[k].src[len] = '\0';
        int bad = rmdir(v[k].src) != 0 && errno != ENOTEMPTY && errno != EEXIST;
        if (bad)
            rc = pond_error_set(POND_ERROR, "cannot remove '%s': %s", v[k].src, strerror(errno));
        v[k].src[len] = '/';
        if (bad)
            return rc;
    }
    return POND_OK;
}

/* Place v[0..n), the files of one partition (sorted by n), in out; prev: the name of the
 * previous file placed in out (its directories exist), or NULL.  When the partition's files
 * are all of one key directory (they are unless DuckDB wrote one key in two COPYs), that
 * directory, which holds nothing else, becomes the partition directory: one rename of the
 * directory and one of each file whose name changes, instead of a mkdir, a rename per file
 * and an rmdir (on ext4 the inode made and the one freed are what cost, see bench/README.md). */
static int place_partition(pond_written_file *v, size_t n, const char *out, const char *prev,
                           dir_mode *mode, pond_buf *from, pond_buf *to)
{
    int rc, moved = 0, one_dir = key_dir_len(&v[0]) > 0;

    for (size_t k = 0; k < n; k++) {
        pond_buf_clear(to);
        rc = k ? pond_buf_printf(to, "%s/data_%zu.parquet", v[k].final, k)
               : pond_buf_printf(to, "%s/data.parquet", v[k].final);
        if (rc != POND_OK || !(v[k].name = pond_buf_detach(to)))
            return rc ? rc : pond_error_oom();
        if (k && (key_dir_len(&v[k]) != key_dir_len(&v[0]) ||
                  strncmp(v[k].src, v[0].src, key_dir_len(&v[0])) != 0))
            one_dir = 0;
    }
    if (one_dir) {
        /* the levels above the partition directory */
        if ((rc = make_dirs(from, out, v[0].final, prev)) ||
            (rc = move_key_dir(v, n, out, mode, from, to, &moved)))
            return rc;
        if (moved)
            return POND_OK;
    }
    if ((rc = make_dirs(from, out, v[0].name, prev)))
        return rc;
    return move_files(v, n, out, to);
}

int pond_written_place(pond_written *w, int nlevels, const char *const *outs, size_t nouts)
{
    int rc = POND_OK;
    pond_buf name = POND_BUF_INIT, to = POND_BUF_INIT, dir = POND_BUF_INIT;
    dir_mode mode = {0, 0, 0};

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
    for (size_t i = 0; i < w->n; i++)
        if ((rc = pond_parquet_file_rows(w->v[i].src, &w->v[i].rows)) != POND_OK)
            goto done;
    for (size_t i = 0, j; i < w->n; i = j) {
        pond_written_file *f = &w->v[i];
        if (nlevels == 0) {
            j = i + 1;
            if (!(f->name = strdup(f->final))) {
                rc = pond_error_oom();
                goto done;
            }
            continue;
        }
        for (j = i + 1; j < w->n && same_partition(&w->v[j - 1], &w->v[j]); j++)
            ;
        /* prev's directories exist when it is of the same output */
        const pond_written_file *prev = i && w->v[i - 1].src_index == f->src_index ? &w->v[i - 1]
                                                                                    : NULL;
        if ((rc = place_partition(f, j - i, outs[f->src_index], prev ? prev->name : NULL, &mode,
                                  &dir, &to)) != POND_OK)
            goto done;
    }
done:
    pond_buf_free(&name);
    pond_buf_free(&to);
    pond_buf_free(&dir);
    return rc;
}
