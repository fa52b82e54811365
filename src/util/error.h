/*
 * util/error.h: setting the thread's last error (the reading side is in pond/error.h).
 *
 * Every failing function in libpond sets the error where the failure is first seen and
 * returns its code; callers pass the code up unchanged and may add context in front with
 * pond_error_wrap().  Typical use, one cleanup label per function:
 *
 *     if (!(f = fopen(path, "rb"))) {
 *         rc = pond_error_set(POND_ERROR, "cannot open '%s': %s", path, strerror(errno));
 *         goto done;
 *     }
 */
#ifndef POND_UTIL_ERROR_H
#define POND_UTIL_ERROR_H

#include "pond/error.h"

#if defined(__GNUC__)
#define POND_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define POND_PRINTF(a, b)
#endif

/* Set the last error to the formatted message and return code. */
int pond_error_set(int code, const char *fmt, ...) POND_PRINTF(2, 3);

/* Put "<formatted>: " in front of the current message and return the current code
 * (or code, if no error is set). */
int pond_error_wrap(int code, const char *fmt, ...) POND_PRINTF(2, 3);

/* Shorthand for allocation failure: sets "out of memory" and returns POND_ENOMEM. */
int pond_error_oom(void);

/* The last error, kept aside while cleanup code that may fail (and set its own error) runs:
 *
 *     pond_error_saved saved;
 *     pond_error_save(&saved);
 *     … cleanup …
 *     pond_error_restore(&saved);   the error (or its absence) as it was
 */
typedef struct pond_error_saved {
    int code;
    char message[4096];
} pond_error_saved;

void pond_error_save(pond_error_saved *out);
void pond_error_restore(const pond_error_saved *saved);

#endif
