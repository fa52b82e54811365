/*
 * store/sha256.c: the sha256 of a file, streamed in 1 MiB blocks through OpenSSL's EVP
 * interface (never the whole file in memory).
 */
#include "store/store_int.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_sha256_file(const char *path, char out_hex[65], int64_t *out_size)
{
    static const char hex[] = "0123456789abcdef";
    EVP_MD_CTX *ctx = NULL;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0, i;
    unsigned char *block = NULL;
    int64_t total = 0;
    size_t n;
    FILE *f = NULL;
    int rc = POND_OK;

    if (!(f = fopen(path, "rb"))) {
        rc = pond_error_set(errno == ENOENT ? POND_ENOTFOUND : POND_ERROR, "cannot open '%s': %s",
                            path, strerror(errno));
        goto done;
    }
    if (!(block = malloc(1 << 20)) || !(ctx = EVP_MD_CTX_new())) {
        rc = pond_error_oom();
        goto done;
    }
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        rc = pond_error_set(POND_ERROR, "cannot hash '%s': sha256 is not available", path);
        goto done;
    }
    while ((n = fread(block, 1, 1 << 20, f)) > 0) {
        EVP_DigestUpdate(ctx, block, n);
        total += (int64_t)n;
    }
    if (ferror(f)) {
        rc = pond_error_set(POND_ERROR, "cannot read '%s': %s", path, strerror(errno));
        goto done;
    }
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    for (i = 0; i < mdlen && i < 32; i++) {
        out_hex[2 * i] = hex[md[i] >> 4];
        out_hex[2 * i + 1] = hex[md[i] & 15];
    }
    out_hex[64] = '\0';
    if (out_size)
        *out_size = total;
done:
    if (f)
        fclose(f);
    EVP_MD_CTX_free(ctx);
    free(block);
    return rc;
}
