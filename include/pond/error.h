/*
 * pond/error.h: the one error convention of libpond (see pond.h).
 */
#ifndef POND_ERROR_H
#define POND_ERROR_H

#include "pond/common.h"

POND_BEGIN_DECLS

typedef enum pond_error_code {
    POND_OK = 0,
    POND_ERROR = -1,      /* a failure with no more specific code (I/O, DuckDB) */
    POND_ENOTFOUND = -2,  /* a pond, path, file or pattern match that does not exist */
    POND_EEXISTS = -3,    /* something is in the way (existing output, non-empty directory) */
    POND_EINVALID = -4,   /* bad user input: a bad pattern, CSV, YAML, SQL, option value */
    POND_EBUSY = -5,      /* the pond is in use: another writer held it past the wait */
    POND_ENOMEM = -6,     /* out of memory */
    POND_ECORRUPT = -7    /* the catalog is damaged, or the content does not match it (check) */
} pond_error_code;

/* The message of the last error on this thread.
 * Returns "" when there is none (never NULL); borrowed: valid until the next failing libpond
 * call on this thread. */
POND_API const char *pond_error_last(void);

/* Returns the code of the last error on this thread (POND_OK when there is none). */
POND_API int pond_error_last_code(void);

/* Forget the last error on this thread: pond_error_last() is "" again. */
POND_API void pond_error_clear(void);

POND_END_DECLS

#endif
