/*
 * export/partition_plan.c: the integer partition key (see partition_plan.h).
 *
 * Dates from day numbers by the usual era arithmetic (proleptic Gregorian, as DuckDB), with
 * floor division so that times before 1970 get the right partition.
 */
#include "export/partition_plan.h"

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

/* year, month (1-12), day (1-31) of day number z (0 = 1970-01-01). */
static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                       /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                     /* [0, 11] */
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

int pond_partition_key_sql(pond_buf *b, int nlevels, const char *local)
{
    switch (nlevels) {
    case 1:
        return pond_buf_printf(b, "year(%s)", local);
    case 2:
        return pond_buf_printf(b, "(year(%s) * 12 + month(%s) - 1)", local, local);
    case 3:
        return pond_buf_printf(b, "(CAST(%s AS DATE) - DATE '1970-01-01')", local);
    case 4:
        return pond_buf_printf(b, "((CAST(%s AS DATE) - DATE '1970-01-01') * 24 + hour(%s))",
                               local, local);
    default:
        return pond_buf_printf(b,
                               "(((CAST(%s AS DATE) - DATE '1970-01-01') * 24 + hour(%s)) * 60 "
                               "+ minute(%s))",
                               local, local, local);
    }
}

void pond_partition_key_levels(int nlevels, int64_t key, int64_t vals[POND_TEMPORAL_MAX])
{
    int64_t days = key, hour = 0, minute = 0;

    for (int l = 0; l < POND_TEMPORAL_MAX; l++)
        vals[l] = 0;
    if (nlevels == 1) {
        vals[0] = key;
        return;
    }
    if (nlevels == 2) {
        vals[0] = floor_div(key, 12);
        vals[1] = floor_mod(key, 12) + 1;
        return;
    }
    if (nlevels >= 5) {
        minute = floor_mod(key, 60);
        key = floor_div(key, 60);
    }
    if (nlevels >= 4) {
        hour = floor_mod(key, 24);
        key = floor_div(key, 24);
    }
    days = key;
    civil_from_days(days, &vals[0], &vals[1], &vals[2]);
    vals[3] = hour;
    vals[4] = minute;
}

int64_t pond_partition_key_of_local(int nlevels, int64_t local_us)
{
    int64_t minutes = floor_div(local_us, 60 * INT64_C(1000000));
    int64_t days = floor_div(minutes, 1440);
    int64_t y, m, d;

    switch (nlevels) {
    case 1:
    case 2:
        civil_from_days(days, &y, &m, &d);
        return nlevels == 1 ? y : y * 12 + m - 1;
    case 3:
        return days;
    case 4:
        return floor_div(minutes, 60);
    default:
        return minutes;
    }
}

int pond_partition_dir(pond_buf *b, int nlevels, const int64_t vals[POND_TEMPORAL_MAX])
{
    int rc = POND_OK;
    for (int l = 0; l < nlevels && rc == POND_OK; l++)
        rc = pond_buf_printf(b, "%s%s=%lld", l ? "/" : "", pond_temporal_level_name(l),
                             (long long)vals[l]);
    return rc;
}

int pond_partition_null_dir(pond_buf *b, int nlevels)
{
    int rc = POND_OK;
    for (int l = 0; l < nlevels && rc == POND_OK; l++)
        rc = pond_buf_printf(b, "%s%s=NULL", l ? "/" : "", pond_temporal_level_name(l));
    return rc;
}
