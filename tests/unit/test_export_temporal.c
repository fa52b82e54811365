/*
 * tests/unit/test_export_temporal.c: --temporal parsing and partition windows (DuckDB's ICU
 * time zones), checked against hand-computed Unix milliseconds.
 */
#include <duckdb.h>
#include <string.h>
#include "check.h"
#include "export/temporal.h"

static int parse_ok(const char *text)
{
    int n = -1;
    return pond_temporal_parse(&n, text) == POND_OK ? n : -1;
}

/* The error message of parsing text (which must fail). */
static const char *parse_err(const char *text)
{
    int n;
    if (pond_temporal_parse(&n, text) == POND_OK)
        return "(parsed)";
    return pond_error_last();
}

TEST(parse_prefixes)
{
    CHECK(parse_ok("year") == 1);
    CHECK(parse_ok("year,month") == 2);
    CHECK(parse_ok("year,month,day") == 3);
    CHECK(parse_ok(" year , month ,day") == 3);
    CHECK(parse_ok("year,month,day,hour") == 4);
    CHECK(parse_ok("year,month,day,hour,minute") == 5);
}

TEST(parse_errors)
{
    CHECK(strstr(parse_err("year,weeks"), "unknown --temporal word 'weeks'") != NULL);
    CHECK(strstr(parse_err("year,year"), "'year' twice") != NULL);
    CHECK(strstr(parse_err("day,year"), "out of order: 'year' must come before 'day'") != NULL);
    CHECK(strstr(parse_err("year,day,month"), "out of order: 'month' must come before 'day'") !=
          NULL);
    CHECK(strstr(parse_err("month"), "lacks 'year'") != NULL);
    CHECK(strstr(parse_err("year,day"), "lacks 'month'") != NULL);
    CHECK(strstr(parse_err(""), "empty") != NULL);
    CHECK(strstr(parse_err("year,"), "unknown --temporal word ''") != NULL);
    CHECK(pond_error_last_code() == POND_EINVALID);
}

static duckdb_database db;
static duckdb_connection con;

static void set_tz(const char *tz)
{
    char sql[128];
    duckdb_result r;
    snprintf(sql, sizeof sql, "SET TimeZone = '%s'", tz); /* test constants only */
    CHECK(duckdb_query(con, sql, &r) == DuckDBSuccess);
    duckdb_destroy_result(&r);
}

/* The window of (y, mo, d, h, mi) at nlevels in the current time zone. */
static void window(int nlevels, int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi,
                   int64_t *s, int64_t *e)
{
    pond_temporal_windows *w = NULL;
    int64_t vals[5] = {y, mo, d, h, mi};
    *s = *e = -1;
    CHECK(pond_temporal_windows_new(&w, con, nlevels) == POND_OK);
    if (!w)
        return;
    CHECK(pond_temporal_window(w, vals, s, e) == POND_OK);
    /* A second lookup comes from the cache and agrees. */
    int64_t s2 = 0, e2 = 0;
    CHECK(pond_temporal_window(w, vals, &s2, &e2) == POND_OK);
    CHECK(s2 == *s && e2 == *e);
    pond_temporal_windows_free(w);
}

#define H 3600000LL
#define D (24 * H)

/* UTC windows are computed by arithmetic; Etc/GMT (the same clock) goes through the query:
 * both must give these numbers. */
static void utc_windows(const char *tz)
{
    int64_t s, e;
    set_tz(tz);
    window(3, 2024, 2, 29, 0, 0, &s, &e); /* leap day */
    CHECK(s == 1709164800000LL && e == s + D);
    window(2, 2024, 2, 1, 0, 0, &s, &e); /* February of a leap year: 29 days */
    CHECK(s == 1706745600000LL && e == 1709251200000LL && e - s == 29 * D);
    window(2, 2023, 2, 1, 0, 0, &s, &e);
    CHECK(e - s == 28 * D);
    window(3, 2024, 1, 31, 0, 0, &s, &e); /* a month end */
    CHECK(e == 1706745600000LL);
    window(1, 2023, 1, 1, 0, 0, &s, &e); /* a year end */
    CHECK(s == 1672531200000LL && e == 1704067200000LL);
    window(3, 2023, 12, 31, 0, 0, &s, &e);
    CHECK(e == 1704067200000LL);
    window(3, 1969, 12, 31, 0, 0, &s, &e); /* before 1970 */
    CHECK(s == -D && e == 0);
    window(1, 1969, 1, 1, 0, 0, &s, &e);
    CHECK(s == -365 * D && e == 0);
    window(4, 1969, 12, 31, 23, 0, &s, &e);
    CHECK(s == -H && e == 0);
    window(5, 2024, 7, 20, 6, 59, &s, &e);
    CHECK(s == 1721458740000LL && e == s + 60000);
    window(2, 2023, 12, 1, 0, 0, &s, &e); /* December ends in the next year */
    CHECK(s == 1701388800000LL && e == 1704067200000LL);
    window(3, 1900, 3, 1, 0, 0, &s, &e); /* 1900 was not a leap year */
    CHECK(s == -2203891200000LL && e == s + D);
    window(2, 1900, 2, 1, 0, 0, &s, &e);
    CHECK(e - s == 28 * D);
}

TEST(windows_utc) { utc_windows("UTC"); }

TEST(windows_utc_by_query) { utc_windows("Etc/GMT"); }

TEST(prefetch)
{
    pond_temporal_windows *w = NULL;
    int64_t vals[3 * 5] = {2024, 3, 9, 0, 0, 2024, 3, 10, 0, 0, 2024, 11, 3, 0, 0};
    int64_t s, e;
    set_tz("America/Los_Angeles");
    CHECK(pond_temporal_windows_new(&w, con, 3) == POND_OK);
    if (!w)
        return;
    CHECK(pond_temporal_windows_prefetch(w, vals, 3) == POND_OK);
    CHECK(pond_temporal_window(w, &vals[5], &s, &e) == POND_OK);
    CHECK(s == 1710057600000LL && e - s == 23 * H);
    CHECK(pond_temporal_window(w, &vals[10], &s, &e) == POND_OK);
    CHECK(e - s == 25 * H);
    CHECK(pond_temporal_window(w, &vals[0], &s, &e) == POND_OK);
    CHECK(e - s == 24 * H);
    pond_temporal_windows_free(w);
    set_tz("UTC");
}

TEST(windows_dst)
{
    int64_t s, e, s2, e2;
    set_tz("America/Los_Angeles");
    window(3, 2024, 3, 10, 0, 0, &s, &e); /* spring forward: 23 hours */
    CHECK(s == 1710057600000LL && e - s == 23 * H);
    window(3, 2024, 3, 11, 0, 0, &s2, &e2);
    CHECK(s2 == e && e2 - s2 == 24 * H);
    window(3, 2024, 11, 3, 0, 0, &s, &e); /* fall back: 25 hours */
    CHECK(s == 1730617200000LL && e - s == 25 * H);
    window(4, 2024, 11, 3, 1, 0, &s, &e); /* the repeated hour: 01:00 PDT to 02:00 PST */
    CHECK(s == 1730620800000LL && e - s == 2 * H);
    window(4, 2024, 11, 3, 0, 0, &s2, &e2);
    CHECK(e2 == s);
    window(4, 2024, 3, 10, 1, 0, &s, &e); /* 01:00 PST, then 03:00 PDT */
    CHECK(e - s == H);
    window(2, 2024, 3, 1, 0, 0, &s, &e); /* March: 31 days less an hour */
    CHECK(e - s == 31 * D - H);
    window(1, 2024, 1, 1, 0, 0, &s, &e); /* local year: 08:00 UTC to 08:00 UTC */
    CHECK(s == 1704096000000LL && e == 1735718400000LL);
    window(3, 1969, 12, 31, 0, 0, &s, &e); /* before 1970 in PST */
    CHECK(s == -D + 8 * H && e == 8 * H);
    set_tz("UTC");
}

int main(void)
{
    RUN(parse_prefixes);
    RUN(parse_errors);
    if (duckdb_open(NULL, &db) != DuckDBSuccess || duckdb_connect(db, &con) != DuckDBSuccess) {
        fprintf(stderr, "cannot open DuckDB\n");
        return 1;
    }
    RUN(windows_utc);
    RUN(windows_utc_by_query);
    RUN(prefetch);
    RUN(windows_dst);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return check_done();
}
