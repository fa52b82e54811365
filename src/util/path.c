/*
 * util/path.c: pond paths (see path.h).  Pure string work: nothing here touches the disk.
 */
#include "util/path.h"

#include <string.h>

/* 1 if the len bytes at name are a valid name. */
static int valid_name_n(const char *name, size_t len)
{
    if (len == 0 || (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return 0;
    return memchr(name, '/', len) == NULL && memchr(name, '\0', len) == NULL;
}

int pond_path_valid_name(const char *name) { return name && valid_name_n(name, strlen(name)); }

int pond_path_normalize_n(const char *in, size_t len, pond_buf *out)
{
    int rc = POND_OK;

    pond_buf_clear(out);
    if (!in || len == 0) {
        rc = pond_error_set(POND_EINVALID, "invalid pond path '': empty");
        goto done;
    }
    if (memchr(in, '\0', len)) {
        rc = pond_error_set(POND_EINVALID, "invalid pond path '%s': contains a NUL byte", in);
        goto done;
    }
    if (in[0] != '/') {
        rc = pond_error_set(POND_EINVALID,
                            "invalid pond path '%.*s': must be absolute (start with '/')",
                            (int)len, in);
        goto done;
    }
    for (size_t i = 0; i < len;) {
        while (i < len && in[i] == '/')
            i++;
        size_t s = i;
        while (i < len && in[i] != '/')
            i++;
        if (i == s)
            break;
        if (!valid_name_n(in + s, i - s)) {
            rc = pond_error_set(POND_EINVALID,
                                "invalid pond path '%.*s': '%.*s' is not allowed as a name",
                                (int)len, in, (int)(i - s), in + s);
            goto done;
        }
        if ((rc = pond_buf_putc(out, '/')) || (rc = pond_buf_put(out, in + s, i - s)))
            goto done;
    }
    if (out->len == 0)
        rc = pond_buf_putc(out, '/');
done:
    if (rc)
        pond_buf_clear(out);
    return rc;
}

int pond_path_normalize(const char *in, pond_buf *out)
{
    return pond_path_normalize_n(in, in ? strlen(in) : 0, out);
}

const char *pond_path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int pond_path_parent(const char *path, pond_buf *out)
{
    pond_buf_clear(out);
    if (!path || path[0] != '/')
        return pond_error_set(POND_EINVALID, "invalid pond path '%s': must be absolute",
                              path ? path : "");
    if (path[1] == '\0')
        return pond_error_set(POND_EINVALID, "pond path '/' has no parent");
    size_t n = (size_t)(strrchr(path, '/') - path);
    return n == 0 ? pond_buf_putc(out, '/') : pond_buf_put(out, path, n);
}

int pond_path_join(pond_buf *out, const char *dir, const char *name)
{
    int rc = POND_OK;
    pond_buf b = POND_BUF_INIT;

    if (!pond_path_valid_name(name)) {
        rc = pond_error_set(POND_EINVALID, "invalid name '%s' in pond path '%s'", name ? name : "",
                            dir);
        goto done;
    }
    size_t dlen = strlen(dir);
    if ((rc = pond_buf_put(&b, dir, dlen)))
        goto done;
    if ((dlen == 0 || dir[dlen - 1] != '/') && (rc = pond_buf_putc(&b, '/')))
        goto done;
    if ((rc = pond_buf_puts(&b, name)))
        goto done;
    pond_buf_free(out);
    *out = b;
    b = (pond_buf)POND_BUF_INIT;
done:
    pond_buf_free(&b);
    return rc;
}

void pond_path_iter_init(pond_path_iter *it, const char *path) { it->p = path; }

int pond_path_iter_next(pond_path_iter *it, const char **name, size_t *len)
{
    const char *p = it->p;
    while (*p == '/')
        p++;
    if (!*p) {
        it->p = p;
        return 0;
    }
    const char *e = p;
    while (*e && *e != '/')
        e++;
    *name = p;
    *len = (size_t)(e - p);
    it->p = e;
    return 1;
}
