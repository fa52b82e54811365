/*
 * util/buf.c: growable byte buffer.
 */
#include "util/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char pond_buf__empty[1];

int pond_buf_grow(pond_buf *b, size_t extra)
{
    if (extra >= SIZE_MAX - b->len)
        return pond_error_set(POND_ENOMEM, "out of memory (a buffer of %zu + %zu bytes)", b->len,
                              extra);
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return POND_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->cap ? b->ptr : NULL, cap);
    if (!p)
        return pond_error_oom();
    if (!b->cap)
        p[0] = '\0';
    b->ptr = p;
    b->cap = cap;
    return POND_OK;
}

int pond_buf_put(pond_buf *b, const void *data, size_t len)
{
    int rc = pond_buf_grow(b, len);
    if (rc)
        return rc;
    memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return POND_OK;
}

int pond_buf_puts(pond_buf *b, const char *s) { return pond_buf_put(b, s, strlen(s)); }

int pond_buf_putc(pond_buf *b, char c) { return pond_buf_put(b, &c, 1); }

int pond_buf_printf(pond_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return pond_error_set(POND_ERROR, "bad format string");
    int rc = pond_buf_grow(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return POND_OK;
}

void pond_buf_truncate(pond_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->ptr[len] = '\0';
    }
}

void pond_buf_clear(pond_buf *b) { pond_buf_truncate(b, 0); }

char *pond_buf_detach(pond_buf *b)
{
    char *s = b->cap ? b->ptr : strdup("");
    b->ptr = pond_buf__empty;
    b->len = b->cap = 0;
    return s;
}

void pond_buf_free(pond_buf *b)
{
    if (b->cap)
        free(b->ptr);
    b->ptr = pond_buf__empty;
    b->len = b->cap = 0;
}
