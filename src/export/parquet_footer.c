/*
 * export/parquet_footer.c: num_rows from a Parquet footer (see parquet_footer.h).
 *
 * Thrift compact protocol, as much as is needed to skip any field: a field header is one byte,
 * the high nibble a field-id delta (0: a zigzag varint id follows), the low nibble the type;
 * integers are zigzag varints, binary is a varint length and bytes, a list/set header packs its
 * size (15: a varint follows) and element type, a map is a varint size and one byte of key and
 * value types, a struct ends with a 0 byte.
 */
#include "export/parquet_footer.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/error.h"

enum { T_STOP, T_TRUE, T_FALSE, T_BYTE, T_I16, T_I32, T_I64, T_DOUBLE, T_BINARY, T_LIST,
       T_SET, T_MAP, T_STRUCT };

typedef struct rd {
    const unsigned char *p, *end;
} rd;

static int bad(const char *what)
{
    return pond_error_set(POND_ECORRUPT, "not a Parquet footer: %s", what);
}

static int varint(rd *r, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            return bad("truncated integer");
        unsigned char c = *r->p++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *out = v;
            return POND_OK;
        }
    }
    return bad("integer longer than 10 bytes");
}

static int64_t unzigzag(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

static int skip_value(rd *r, int type, int depth);

/* A struct's fields up to its stop byte; when want is set, *want gets field 3 (an i64). */
static int read_struct(rd *r, int depth, int64_t *want, int *found)
{
    int rc;
    int64_t id = 0;

    if (depth > POND_PARQUET_MAX_DEPTH)
        return bad("structures nested too deep");
    for (;;) {
        if (r->p >= r->end)
            return bad("truncated structure");
        unsigned char h = *r->p++;
        int type = h & 0x0f;
        uint64_t v;
        if (type == T_STOP)
            return POND_OK;
        if (h >> 4) {
            id += h >> 4;
        } else {
            if ((rc = varint(r, &v)) != POND_OK)
                return rc;
            id = unzigzag(v);
        }
        /* Thrift field ids are i16: a wider one is not a footer (and cannot overflow id, to
         * which the next header adds its delta). */
        if (id < INT16_MIN || id > INT16_MAX)
            return bad("field id out of range");
        if (want && id == 3 && type == T_I64) {
            if ((rc = varint(r, &v)) != POND_OK)
                return rc;
            *want = unzigzag(v);
            *found = 1;
            return POND_OK; /* num_rows is all we need: the rest is not read */
        }
        if ((rc = skip_value(r, type, depth)) != POND_OK)
            return rc;
    }
}

static int skip_value(rd *r, int type, int depth)
{
    int rc;
    uint64_t v, n;

    switch (type) {
    case T_TRUE:
    case T_FALSE:
        return POND_OK; /* in a field header the value is the type */
    case T_BYTE:
        if (r->p >= r->end)
            return bad("truncated byte");
        r->p++;
        return POND_OK;
    case T_I16:
    case T_I32:
    case T_I64:
        return varint(r, &v);
    case T_DOUBLE:
        if (r->end - r->p < 8)
            return bad("truncated double");
        r->p += 8;
        return POND_OK;
    case T_BINARY:
        if ((rc = varint(r, &n)) != POND_OK)
            return rc;
        if (n > (uint64_t)(r->end - r->p))
            return bad("string longer than the footer");
        r->p += n;
        return POND_OK;
    case T_LIST:
    case T_SET: {
        if (r->p >= r->end)
            return bad("truncated list");
        unsigned char h = *r->p++;
        int et = h & 0x0f;
        n = h >> 4;
        if (n == 15 && (rc = varint(r, &n)) != POND_OK)
            return rc;
        if (n > (uint64_t)(r->end - r->p)) /* every element takes at least one byte */
            return bad("list longer than the footer");
        if (depth >= POND_PARQUET_MAX_DEPTH)
            return bad("structures nested too deep");
        for (uint64_t i = 0; i < n; i++) {
            if (et == T_TRUE || et == T_FALSE) { /* a boolean element is one byte */
                if (r->p >= r->end)
                    return bad("truncated list");
                r->p++;
            } else if (et == T_STOP) {
                return bad("list of unknown type");
            } else if ((rc = skip_value(r, et, depth + 1)) != POND_OK) {
                return rc;
            }
        }
        return POND_OK;
    }
    case T_MAP: {
        if ((rc = varint(r, &n)) != POND_OK)
            return rc;
        if (n == 0)
            return POND_OK;
        if (r->p >= r->end)
            return bad("truncated map");
        unsigned char kv = *r->p++;
        int types[2] = {kv >> 4, kv & 0x0f};
        if (n > (uint64_t)(r->end - r->p) / 2)
            return bad("map longer than the footer");
        if (depth >= POND_PARQUET_MAX_DEPTH)
            return bad("structures nested too deep");
        for (uint64_t i = 0; i < 2 * n; i++) {
            int t = types[i & 1];
            if (t == T_TRUE || t == T_FALSE) {
                if (r->p >= r->end)
                    return bad("truncated map");
                r->p++;
            } else if (t == T_STOP) {
                return bad("map of unknown type");
            } else if ((rc = skip_value(r, t, depth + 1)) != POND_OK) {
                return rc;
            }
        }
        return POND_OK;
    }
    case T_STRUCT:
        return read_struct(r, depth + 1, NULL, NULL);
    default:
        return bad("unknown field type");
    }
}

int pond_parquet_metadata_rows(const unsigned char *buf, size_t len, int64_t *rows)
{
    rd r = {buf, buf + len};
    int found = 0, rc;

    if ((rc = read_struct(&r, 0, rows, &found)) != POND_OK)
        return rc;
    if (!found)
        return bad("no num_rows (field 3)");
    if (*rows < 0)
        return bad("negative num_rows");
    return POND_OK;
}

int pond_parquet_file_rows(const char *path, int64_t *rows)
{
    int rc = POND_OK, fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    unsigned char tail[8], *buf = NULL;
    uint32_t flen;

    if (fd < 0)
        return pond_error_set(POND_ERROR, "cannot open '%s': %s", path, strerror(errno));
    if (fstat(fd, &st) != 0) {
        rc = pond_error_set(POND_ERROR, "cannot stat '%s': %s", path, strerror(errno));
        goto done;
    }
    if (st.st_size < 12 || pread(fd, tail, 8, st.st_size - 8) != 8 ||
        memcmp(tail + 4, "PAR1", 4) != 0) {
        rc = pond_error_set(POND_ECORRUPT, "'%s' is not a Parquet file (no PAR1 at its end)",
                            path);
        goto done;
    }
    flen = (uint32_t)tail[0] | (uint32_t)tail[1] << 8 | (uint32_t)tail[2] << 16 |
           (uint32_t)tail[3] << 24;
    if (flen == 0 || flen > POND_PARQUET_MAX_FOOTER || (off_t)flen > st.st_size - 12) {
        rc = pond_error_set(POND_ECORRUPT, "'%s': Parquet footer length %u does not fit the file",
                            path, flen);
        goto done;
    }
    if (!(buf = malloc(flen))) {
        rc = pond_error_oom();
        goto done;
    }
    if (pread(fd, buf, flen, st.st_size - 8 - (off_t)flen) != (ssize_t)flen) {
        rc = pond_error_set(POND_ERROR, "cannot read the footer of '%s': %s", path,
                            strerror(errno));
        goto done;
    }
    if ((rc = pond_parquet_metadata_rows(buf, flen, rows)) != POND_OK)
        rc = pond_error_wrap(rc, "'%s'", path);
done:
    free(buf);
    close(fd);
    return rc;
}
