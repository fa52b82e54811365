/*
 * util/buf.h: a growable, always NUL-terminated byte buffer (after git's strbuf).
 *
 *     pond_buf b = POND_BUF_INIT;
 *     pond_buf_printf(&b, "%s/%s", dir, name);
 *     use(b.ptr);
 *     pond_buf_free(&b);
 *
 * Functions that grow the buffer return POND_OK or POND_ENOMEM (with the error set).
 * b.ptr is never NULL after POND_BUF_INIT: it points at a static "" until something is added.
 */
#ifndef POND_UTIL_BUF_H
#define POND_UTIL_BUF_H

#include <stddef.h>
#include "util/error.h"

typedef struct pond_buf {
    char *ptr;
    size_t len;
    size_t cap; /* 0 while ptr points at the static empty string */
} pond_buf;

extern char pond_buf__empty[];
#define POND_BUF_INIT { pond_buf__empty, 0, 0 }

int pond_buf_grow(pond_buf *b, size_t extra);
int pond_buf_put(pond_buf *b, const void *data, size_t len);
int pond_buf_puts(pond_buf *b, const char *s);
int pond_buf_putc(pond_buf *b, char c);
int pond_buf_printf(pond_buf *b, const char *fmt, ...) POND_PRINTF(2, 3);
void pond_buf_truncate(pond_buf *b, size_t len);
void pond_buf_clear(pond_buf *b);
/* Hand the string to the caller (free() it) and reset b; NULL on allocation failure. */
char *pond_buf_detach(pond_buf *b);
void pond_buf_free(pond_buf *b);

#endif
