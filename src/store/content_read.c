/*
 * store/content_read.c: checked reads of content files.  A content file is immutable and
 * named by its sha256, so a file whose size differs from the catalog's, or whose bytes do
 * not hash to its name, is damaged (a flipped bit, a truncation, a replaced file): every read
 * checks the size first, and a read of the whole file (data bytes copied or printed) checks
 * the sha256 as the bytes go by.  Damage is POND_ECORRUPT naming the file and pointing at
 * `pond check`.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_BLOCK (1 << 20)

static int damaged(const char *path, const char *what)
{
    return pond_error_set(POND_ECORRUPT, "content file '%s' is damaged: %s (run pond check)",
                          path, what);
}

/* Compare st's size with size (< 0: not known, any size is fine). */
static int check_stat(const char *path, const struct stat *st, int64_t size)
{
    char what[96];
    if (size < 0 || (int64_t)st->st_size == size)
        return POND_OK;
    snprintf(what, sizeof what, "%lld bytes, the catalog records %lld",
             (long long)st->st_size, (long long)size);
    return damaged(path, what);
}

int store_content_check(const char *path, int64_t size)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return pond_error_set(errno == ENOENT ? POND_ECORRUPT : POND_ERROR,
                              "cannot read content file '%s': %s", path, strerror(errno));
    return check_stat(path, &st, size);
}

int store_content_stream(const char *path, int64_t size, const char *sha256, FILE *out)
{
    static const char hex[] = "0123456789abcdef";
    EVP_MD_CTX *md = NULL;
    unsigned char digest[EVP_MAX_MD_SIZE], *block = NULL;
    unsigned int dlen = 0;
    char found[65];
    int64_t total = 0;
    struct stat st;
    int fd = -1, rc = POND_OK;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        rc = pond_error_set(errno == ENOENT ? POND_ECORRUPT : POND_ERROR,
                            "cannot read content file '%s': %s", path, strerror(errno));
        goto done;
    }
    if (fstat(fd, &st) != 0) {
        rc = pond_error_set(POND_ERROR, "cannot read '%s': %s", path, strerror(errno));
        goto done;
    }
    if ((rc = check_stat(path, &st, size)) != POND_OK)
        goto done;
    if (!(block = malloc(READ_BLOCK)) || (sha256 && !(md = EVP_MD_CTX_new()))) {
        rc = pond_error_oom();
        goto done;
    }
    if (md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        rc = pond_error_set(POND_ERROR, "cannot hash '%s': sha256 is not available", path);
        goto done;
    }
    for (;;) {
        ssize_t n = read(fd, block, READ_BLOCK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = pond_error_set(POND_ERROR, "cannot read '%s': %s", path, strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        if (md)
            EVP_DigestUpdate(md, block, (size_t)n);
        if (fwrite(block, 1, (size_t)n, out) != (size_t)n) {
            rc = pond_error_set(POND_ERROR, "cannot write output: %s", strerror(errno));
            goto done;
        }
        total += n;
    }
    if (size >= 0 && total != size) {
        rc = damaged(path, "its size changed while it was read");
        goto done;
    }
    if (md) {
        EVP_DigestFinal_ex(md, digest, &dlen);
        for (unsigned i = 0; i < dlen && i < 32; i++) {
            found[2 * i] = hex[digest[i] >> 4];
            found[2 * i + 1] = hex[digest[i] & 15];
        }
        found[64] = '\0';
        if (strcmp(found, sha256) != 0) {
            char what[200];
            snprintf(what, sizeof what, "its sha256 is %.12s…, the catalog records %.12s…",
                     found, sha256);
            rc = damaged(path, what);
        }
    }
done:
    if (fd >= 0)
        close(fd);
    EVP_MD_CTX_free(md);
    free(block);
    return rc;
}

int pond_version_check(const pond_version_info *v)
{
    return store_content_check(v->content_path, v->size);
}

int pond_version_copy(const pond_version_info *v, const char *dst)
{
    int rc, fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    FILE *f;

    if (fd < 0)
        return pond_error_set(errno == ENOENT ? POND_ENOTFOUND : POND_ERROR,
                              "cannot create '%s': %s", dst, strerror(errno));
    if (!(f = fdopen(fd, "wb"))) {
        close(fd);
        unlink(dst);
        return pond_error_set(POND_ERROR, "cannot write '%s': %s", dst, strerror(errno));
    }
    rc = store_content_stream(v->content_path, v->size, v->sha256, f);
    if (rc == POND_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0))
        rc = pond_error_set(POND_ERROR, "cannot write '%s': %s", dst, strerror(errno));
    if (fclose(f) != 0 && rc == POND_OK)
        rc = pond_error_set(POND_ERROR, "cannot write '%s': %s", dst, strerror(errno));
    if (rc != POND_OK)
        unlink(dst);
    return rc;
}
