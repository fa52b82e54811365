/*
 * util/error.c: the per-thread last error of libpond.
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define POND_ERROR_MAX 4096

static _Thread_local char last_message[POND_ERROR_MAX];
static _Thread_local int last_code;

const char *pond_error_last(void) { return last_message; }

int pond_error_last_code(void) { return last_code; }

void pond_error_clear(void)
{
    last_message[0] = '\0';
    last_code = POND_OK;
}

int pond_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    last_code = code;
    return code;
}

int pond_error_wrap(int code, const char *fmt, ...)
{
    char prefix[POND_ERROR_MAX];
    char old[POND_ERROR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, last_message, sizeof old);
    size_t n = strlen(prefix);
    if (n > sizeof last_message - 1)
        n = sizeof last_message - 1;
    memcpy(last_message, prefix, n);
    last_message[n] = '\0';
    if (old[0] && n + 2 < sizeof last_message) {
        memcpy(last_message + n, ": ", 3);
        strncat(last_message, old, sizeof last_message - n - 3);
    }
    if (last_code == POND_OK)
        last_code = code;
    return last_code;
}

int pond_error_oom(void) { return pond_error_set(POND_ENOMEM, "out of memory"); }

void pond_error_save(pond_error_saved *out)
{
    out->code = last_code;
    snprintf(out->message, sizeof out->message, "%s", last_message);
}

void pond_error_restore(const pond_error_saved *saved)
{
    snprintf(last_message, sizeof last_message, "%s", saved->code ? saved->message : "");
    last_code = saved->code;
}
