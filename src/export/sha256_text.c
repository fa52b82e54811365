/*
 * export/sha256_text.c: sha256 of a buffer through OpenSSL's EVP interface (see the header).
 */
#include "export/sha256_text.h"

#include <openssl/evp.h>
#include "util/error.h"

int pond_export__sha256_hex(const void *data, size_t len, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
        return pond_error_set(POND_ERROR, "cannot hash: sha256 is not available");
    for (unsigned int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
    return POND_OK;
}
