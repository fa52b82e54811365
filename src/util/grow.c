/*
 * util/grow.c: checked growth of arrays (see grow.h).
 */
#include "util/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int pond__grow(void *slot, size_t *cap, size_t item_size)
{
    size_t ncap = *cap ? *cap : 4;
    if (ncap > SIZE_MAX / 2 / item_size)
        return pond_error_set(POND_ENOMEM, "out of memory (an array of %zu items)", *cap);
    ncap *= 2;
    /* The pointer is copied in and out with memcpy: slot is a T **, read here as bytes. */
    void *old, *p;
    memcpy(&old, slot, sizeof old);
    if (!(p = realloc(old, ncap * item_size)))
        return pond_error_oom();
    memcpy(slot, &p, sizeof p);
    *cap = ncap;
    return POND_OK;
}
