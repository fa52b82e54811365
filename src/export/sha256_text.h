/*
 * export/sha256_text.h: the sha256 of bytes in memory, as 64 lowercase hex digits (for the
 * export manifest's hashes of relations, schemas, templates and pages).
 */
#ifndef POND_EXPORT_SHA256_TEXT_H
#define POND_EXPORT_SHA256_TEXT_H

#include <stddef.h>

int pond_export__sha256_hex(const void *data, size_t len, char out[65]);

#endif
