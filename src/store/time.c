/*
 * store/time.c: pond_time_parse, ISO-8601 times without DuckDB:
 * YYYY-MM-DD[(T| )HH:MM[:SS[.f…]]][Z|±HH:MM|±HHMM|±HH].  No offset means UTC; fractions
 * beyond microseconds are truncated; years before 1970 work (proleptic Gregorian).
 */
#include "store/store_int.h"

#include <string.h>

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const char **s, int n, int64_t *out)
{
    int64_t v = 0;
    int i;
    for (i = 0; i < n; i++) {
        if ((*s)[i] < '0' || (*s)[i] > '9')
            return 0;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return 1;
}

static int days_in_month(int64_t y, int64_t m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Parse s into *out; 0 when it is not a time of the accepted forms. */
static int parse(const char *s, int64_t *out)
{
    int64_t y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, oh = 0, om = 0;
    int sign = 0;

    if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-' ||
        !digits(&s, 2, &d))
        return 0;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return 0;
    if (*s == 'T' || *s == 't' || *s == ' ') {
        s++;
        if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi))
            return 0;
        if (*s == ':') {
            s++;
            if (!digits(&s, 2, &sec))
                return 0;
            if (*s == '.') {
                int n = 0;
                s++;
                if (*s < '0' || *s > '9')
                    return 0;
                while (*s >= '0' && *s <= '9') {
                    if (n < 6) {
                        frac = frac * 10 + (*s - '0');
                        n++;
                    }
                    s++;
                }
                for (; n < 6; n++)
                    frac *= 10;
            }
        }
        if (h > 23 || mi > 59 || sec > 59)
            return 0;
        if (*s == 'Z' || *s == 'z') {
            s++;
        } else if (*s == '+' || *s == '-') {
            sign = *s++ == '-' ? -1 : 1;
            if (!digits(&s, 2, &oh))
                return 0;
            if (*s == ':') {
                s++;
                if (!digits(&s, 2, &om))
                    return 0;
            } else if (*s >= '0' && *s <= '9') {
                if (!digits(&s, 2, &om))
                    return 0;
            }
            if (oh > 23 || om > 59)
                return 0;
        }
    }
    if (*s)
        return 0;
    *out = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
            sign * (oh * 3600 + om * 60)) *
               1000000 +
           frac;
    return 1;
}

int pond_time_parse(int64_t *out, const char *text)
{
    if (text && parse(text, out))
        return POND_OK;
    return pond_error_set(POND_EINVALID,
                          "invalid time '%s' (expected ISO-8601, e.g. 2024-07-20 or "
                          "2024-07-20T06:00:00Z)",
                          text ? text : "");
}
