/*
 * util/path.c: pond paths (see path.h).  Pure string work: nothing here touches the disk.
 * Names are UTF-8 (the catalog and DuckDB store them as text): a path or name that is not
 * is refused here, where every path enters, with the bytes shown escaped.
 */
#include "util/path.h"

#include <string.h>

/* The length of the well-formed UTF-8 sequence at s[0..len) (RFC 3629: no overlong form, no
 * surrogate, nothing above U+10FFFF), or 0 if there is none. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3, lo = s[0] == 0xE0 ? 0xA0 : 0x80, hi = s[0] == 0xED ? 0x9F : 0xBF;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, lo = s[0] == 0xF0 ? 0x90 : 0x80, hi = s[0] == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    if (len < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

int pond_utf8_valid(const char *s, size_t len)
{
    for (size_t i = 0, n; i < len; i += n)
        if (!(n = utf8_seq((const unsigned char *)s + i, len - i)))
            return 0;
    return 1;
}

int pond_path_quote(const char *s, size_t len, pond_buf *out)
{
    int rc = POND_OK;
    pond_buf_clear(out);
    for (size_t i = 0, n; i < len && rc == POND_OK; i += n) {
        unsigned char c = (unsigned char)s[i];
        n = utf8_seq((const unsigned char *)s + i, len - i);
        if (n > 1 || (n == 1 && c >= 0x20 && c != 0x7F && c != '\\')) {
            rc = pond_buf_put(out, s + i, n);
        } else if (c == '\\') {
            rc = pond_buf_puts(out, "\\\\");
        } else {
            rc = pond_buf_printf(out, "\\x%02x", c);
            n = 1;
        }
    }
    return rc;
}

/* Set "invalid pond path '<path, quoted>': not valid UTF-8". */
static int not_utf8(const char *what, const char *in, size_t len)
{
    pond_buf q = POND_BUF_INIT;
    int rc = pond_path_quote(in, len, &q);
    rc = rc == POND_OK ? pond_error_set(POND_EINVALID, "%s '%s': not valid UTF-8", what, q.ptr)
                       : rc;
    pond_buf_free(&q);
    return rc;
}

/* 1 if the len bytes at name are a valid name. */
static int valid_name_n(const char *name, size_t len)
{
    if (len == 0 || (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return 0;
    return memchr(name, '/', len) == NULL && memchr(name, '\0', len) == NULL &&
           pond_utf8_valid(name, len);
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
    if (!pond_utf8_valid(in, len)) {
        rc = not_utf8("invalid pond path", in, len);
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

    if (name && !pond_utf8_valid(name, strlen(name))) {
        rc = not_utf8("invalid name", name, strlen(name));
        goto done;
    }
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
