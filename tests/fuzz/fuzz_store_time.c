/*
 * tests/fuzz/fuzz_store_time.c: fuzz target of the time parser (src/store/time.c,
 * pond_time_parse: the --start/--end times of cat and export).
 *
 * Input: the text of a time.  It either parses or is POND_EINVALID with a message quoting it.
 * A parsed time, written back in the canonical form (YYYY-MM-DDTHH:MM:SS.ffffffZ) by an
 * independent conversion, must parse to the same microsecond, and must lie in the years the
 * grammar allows (0000-9999, give or take a day of offset).
 */
#include "fuzz.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store_int.h"

/* The civil date of a day count since 1970-01-01 (a plain loop over years, unlike the
 * parser's closed form, so that the two check each other). */
static void civil(int64_t days, int64_t *y, int *m, int *d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t year = 1970;
    for (;;) {
        int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        if (days < 0) {
            year--;
            leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            days += 365 + leap;
        } else if (days >= 365 + leap) {
            days -= 365 + leap;
            year++;
        } else {
            int month = 0;
            for (;; month++) {
                int n = mdays[month] + (month == 1 && leap);
                if (days < n)
                    break;
                days -= n;
            }
            *y = year;
            *m = month + 1;
            *d = (int)days + 1;
            return;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);

    int64_t us = 0;
    int rc = pond_time_parse(&us, text);
    if (rc != POND_OK) {
        if (rc != POND_EINVALID || !strstr(pond_error_last(), "invalid time"))
            fuzz_fail("'%s': %d '%s'", text, rc, pond_error_last());
        free(text);
        return 0;
    }
    /* 0000-01-01 minus a day of offset .. 9999-12-31 plus one */
    const int64_t lo = -62167219200LL - 86400, hi = 253402300800LL + 86400;
    int64_t sec = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
    int64_t frac = us - sec * 1000000;
    if (sec < lo || sec > hi)
        fuzz_fail("'%s' parsed to %" PRId64 " us, outside the years 0000-9999", text, us);
    int64_t days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
    int64_t rest = sec - days * 86400, y;
    int m, d;
    civil(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        free(text); /* an offset carried it past the four-digit years: no canonical form */
        return 0;
    }
    char canon[64];
    snprintf(canon, sizeof canon, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d.%06dZ", y, m, d,
             (int)(rest / 3600), (int)(rest / 60 % 60), (int)(rest % 60), (int)frac);
    int64_t again = 0;
    if (pond_time_parse(&again, canon) != POND_OK || again != us)
        fuzz_fail("'%s' is %" PRId64 " us, but its canonical form '%s' is %" PRId64, text, us,
                  canon, again);
    free(text);
    return 0;
}
