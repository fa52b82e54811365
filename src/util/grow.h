/*
 * util/grow.h: room for one more item in a growing array (after git's ALLOC_GROW).
 *
 *     thing *v = NULL;  size_t n = 0, cap = 0;
 *     if ((rc = POND_GROW(v, n, cap)))
 *         goto done;            // POND_ENOMEM, error set; v, n and cap are as they were
 *     v[n++] = item;
 *
 * The capacity doubles (from 8), and a size that would overflow is refused as out of memory
 * instead of wrapping.  v must be an lvalue of pointer type, cap a size_t lvalue.
 */
#ifndef POND_UTIL_GROW_H
#define POND_UTIL_GROW_H

#include <stddef.h>
#include "util/error.h"

#define POND_GROW(v, n, cap) \
    ((size_t)(n) < (cap) ? POND_OK : pond__grow((void *)&(v), &(cap), sizeof *(v)))

/* Grow the array whose pointer is stored at slot (a T **, passed as void *) to at least one
 * more item than *cap, updating *cap.  Use POND_GROW. */
int pond__grow(void *slot, size_t *cap, size_t item_size);

#endif
