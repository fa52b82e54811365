/*
 * export/temporal.c: parsing --temporal and computing partition windows (see temporal.h).
 *
 * A window is computed once per distinct partition by one prepared DuckDB query and kept in a
 * small open-addressing hash table, so a thousand series over the same days cost a handful of
 * queries.  Local wall-clock times are turned into instants with ICU through DuckDB: a naive
 * TIMESTAMP cast to TIMESTAMPTZ is read in the session time zone; where a wall-clock time
 * occurs twice (the hour a DST change repeats) DuckDB picks the later instant, so the query
 * also tries the instant given by the offset three hours earlier and keeps it when it maps to
 * the same wall-clock time and is earlier.
 */
#include "export/temporal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "util/error.h"

static const char *const level_names[POND_TEMPORAL_MAX] = {"year", "month", "day", "hour",
                                                           "minute"};

/* For partitions given as five bound lists (year, month, day, hour, minute), the naive local
 * start and the start of the next partition, then the instant of each: 2 rows per partition,
 * in input order. */
static const char *const window_sql[POND_TEMPORAL_MAX] = {
#define POND_WINDOW_SQL(UNIT)                                                                 \
    "WITH t AS (SELECT unnest(range(len($1::BIGINT[]))) AS i, unnest($1::BIGINT[]) AS y, "     \
    "                  unnest($2::BIGINT[]) AS mo, unnest($3::BIGINT[]) AS d, "                \
    "                  unnest($4::BIGINT[]) AS h, unnest($5::BIGINT[]) AS mi), "               \
    "b AS (SELECT i, 0 AS k, make_timestamp(y, mo, d, h, mi, 0.0) AS n FROM t "               \
    "      UNION ALL "                                                                         \
    "      SELECT i, 1, make_timestamp(y, mo, d, h, mi, 0.0) + INTERVAL 1 " UNIT " FROM t), "   \
    "x AS (SELECT i, k, n, n::TIMESTAMPTZ AS x, current_setting('TimeZone') AS z FROM b) "     \
    "SELECT epoch_ms(CASE WHEN timezone(z, c1) = n AND c1 < x THEN c1 ELSE x END) "           \
    "FROM (SELECT i, k, n, x, z, timezone('UTC', n - (timezone(z, x - INTERVAL 3 HOUR) "       \
    "       - timezone('UTC', x - INTERVAL 3 HOUR))) AS c1 FROM x) "                           \
    "ORDER BY i, k"
    POND_WINDOW_SQL("YEAR"), POND_WINDOW_SQL("MONTH"), POND_WINDOW_SQL("DAY"),
    POND_WINDOW_SQL("HOUR"), POND_WINDOW_SQL("MINUTE")
#undef POND_WINDOW_SQL
};

const char *pond_temporal_level_name(int level)
{
    return level >= 0 && level < POND_TEMPORAL_MAX ? level_names[level] : "";
}

static int level_of(const char *word, size_t len)
{
    for (int i = 0; i < POND_TEMPORAL_MAX; i++)
        if (strlen(level_names[i]) == len && memcmp(level_names[i], word, len) == 0)
            return i;
    return -1;
}

int pond_temporal_parse(int *nlevels, const char *text)
{
    int seen[POND_TEMPORAL_MAX] = {0};
    int order[POND_TEMPORAL_MAX];
    int n = 0;
    const char *p = text;

    *nlevels = 0;
    if (!text || !*text)
        return pond_error_set(POND_EINVALID, "--temporal is empty (use e.g. year,month,day)");
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *w = p;
        while (len && isspace((unsigned char)*w))
            w++, len--;
        while (len && isspace((unsigned char)w[len - 1]))
            len--;
        int lv = level_of(w, len);
        if (lv < 0)
            return pond_error_set(POND_EINVALID,
                                  "unknown --temporal word '%.*s' in '%s' (use a prefix of "
                                  "year,month,day,hour,minute)",
                                  (int)len, w, text);
        if (seen[lv])
            return pond_error_set(POND_EINVALID, "--temporal '%s' names '%s' twice", text,
                                  level_names[lv]);
        if (n > 0 && lv < order[n - 1])
            return pond_error_set(POND_EINVALID,
                                  "--temporal '%s' is out of order: '%s' must come before "
                                  "'%s' (order: year,month,day,hour,minute)",
                                  text, level_names[lv], level_names[order[n - 1]]);
        seen[lv] = 1;
        order[n++] = lv;
        if (!end)
            break;
        p = end + 1;
    }
    for (int i = 0; i < n; i++)
        if (order[i] != i)
            return pond_error_set(POND_EINVALID,
                                  "--temporal '%s' lacks '%s': levels must start at year and "
                                  "leave none out (year,month,day,hour,minute)",
                                  text, level_names[i]);
    *nlevels = n;
    return POND_OK;
}

/* ---- windows ----------------------------------------------------------------------------- */

typedef struct slot {
    int used;
    int64_t key[POND_TEMPORAL_MAX];
    int64_t start_ms, end_ms;
} slot;

struct pond_temporal_windows {
    duckdb_prepared_statement stmt;
    int nlevels;
    int utc; /* the session time zone is UTC: windows by arithmetic, no query */
    slot *slots;
    size_t cap, count; /* cap is a power of two */
};

static int session_is_utc(duckdb_connection con, int *utc)
{
    duckdb_result res;
    int rc = POND_OK;
    *utc = 0;
    if (duckdb_query(con, "SELECT current_setting('TimeZone') IN ('UTC', 'Etc/UTC')", &res) ==
        DuckDBError)
        rc = pond_error_set(POND_ERROR, "cannot read the session time zone: %s",
                            duckdb_result_error(&res));
    else
        *utc = duckdb_value_boolean(&res, 0, 0);
    duckdb_destroy_result(&res);
    return rc;
}

int pond_temporal_windows_new(pond_temporal_windows **out, duckdb_connection con, int nlevels)
{
    int rc = POND_OK;
    pond_temporal_windows *w = NULL;

    *out = NULL;
    if (nlevels < 1 || nlevels > POND_TEMPORAL_MAX)
        return pond_error_set(POND_EINVALID, "bad number of temporal levels %d", nlevels);
    if (!(w = calloc(1, sizeof *w)) || !(w->slots = calloc(64, sizeof *w->slots))) {
        rc = pond_error_oom();
        goto done;
    }
    w->cap = 64;
    w->nlevels = nlevels;
    if ((rc = session_is_utc(con, &w->utc)) != POND_OK)
        goto done;
    if (duckdb_prepare(con, window_sql[nlevels - 1], &w->stmt) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot prepare the partition window query: %s",
                            duckdb_prepare_error(w->stmt));
        goto done;
    }
    *out = w;
    w = NULL;
done:
    pond_temporal_windows_free(w);
    return rc;
}

void pond_temporal_windows_free(pond_temporal_windows *w)
{
    if (!w)
        return;
    duckdb_destroy_prepare(&w->stmt);
    free(w->slots);
    free(w);
}

static uint64_t hash_key(const int64_t *k)
{
    uint64_t h = 1469598103934665603u;
    for (int i = 0; i < POND_TEMPORAL_MAX; i++) {
        h ^= (uint64_t)k[i];
        h *= 1099511628211u;
        h ^= h >> 29;
    }
    return h;
}

static slot *find_slot(slot *slots, size_t cap, const int64_t *key)
{
    size_t i = (size_t)hash_key(key) & (cap - 1);
    while (slots[i].used && memcmp(slots[i].key, key, sizeof slots[i].key) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int grow(pond_temporal_windows *w)
{
    size_t ncap = w->cap * 2;
    slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return pond_error_oom();
    for (size_t i = 0; i < w->cap; i++)
        if (w->slots[i].used)
            *find_slot(ns, ncap, w->slots[i].key) = w->slots[i];
    free(w->slots);
    w->slots = ns;
    w->cap = ncap;
    return POND_OK;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The window of key in UTC, by arithmetic. */
static void utc_window(int nlevels, const int64_t *k, int64_t *start_ms, int64_t *end_ms)
{
    const int64_t day = 86400000;
    *start_ms = days_from_civil(k[0], k[1], k[2]) * day + k[3] * 3600000 + k[4] * 60000;
    switch (nlevels) {
    case 1:
        *end_ms = days_from_civil(k[0] + 1, 1, 1) * day;
        break;
    case 2:
        *end_ms = days_from_civil(k[1] == 12 ? k[0] + 1 : k[0], k[1] == 12 ? 1 : k[1] + 1, 1) * day;
        break;
    case 3:
        *end_ms = *start_ms + day;
        break;
    case 4:
        *end_ms = *start_ms + 3600000;
        break;
    default:
        *end_ms = *start_ms + 60000;
        break;
    }
}

/* The full key of a partition: levels below it take their first value (month 1, day 1,
 * hour 0, minute 0). */
static void make_key(const pond_temporal_windows *w, const int64_t *vals, int64_t *key)
{
    static const int64_t first[POND_TEMPORAL_MAX] = {1970, 1, 1, 0, 0};
    for (int i = 0; i < POND_TEMPORAL_MAX; i++)
        key[i] = i < w->nlevels ? vals[i] : first[i];
}

static int cache_put(pond_temporal_windows *w, const int64_t *key, int64_t start_ms,
                     int64_t end_ms)
{
    int rc;
    slot *s = find_slot(w->slots, w->cap, key);
    if (s->used)
        return POND_OK;
    if (w->count + 1 > w->cap / 2) {
        if ((rc = grow(w)) != POND_OK)
            return rc;
        s = find_slot(w->slots, w->cap, key);
    }
    s->used = 1;
    memcpy(s->key, key, sizeof s->key);
    s->start_ms = start_ms;
    s->end_ms = end_ms;
    w->count++;
    return POND_OK;
}

/* Compute the windows of n keys (n * POND_TEMPORAL_MAX values) in one query; cache them. */
static int query_windows(pond_temporal_windows *w, const int64_t *keys, size_t n)
{
    int rc = POND_OK;
    duckdb_logical_type bt = duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
    duckdb_value *vals = calloc(n ? n : 1, sizeof *vals);
    duckdb_result res;
    int have_res = 0;

    if (!vals) {
        rc = pond_error_oom();
        goto done;
    }
    for (int l = 0; l < POND_TEMPORAL_MAX; l++) {
        for (size_t i = 0; i < n; i++)
            vals[i] = duckdb_create_int64(keys[i * POND_TEMPORAL_MAX + (size_t)l]);
        duckdb_value list = duckdb_create_list_value(bt, vals, n);
        for (size_t i = 0; i < n; i++)
            duckdb_destroy_value(&vals[i]);
        duckdb_state ok = list ? duckdb_bind_value(w->stmt, (idx_t)l + 1, list) : DuckDBError;
        duckdb_destroy_value(&list);
        if (ok == DuckDBError) {
            rc = pond_error_set(POND_ERROR, "cannot bind the partition values");
            goto done;
        }
    }
    have_res = 1;
    if (duckdb_execute_prepared(w->stmt, &res) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot compute partition windows: %s",
                            duckdb_result_error(&res));
        goto done;
    }
    if (duckdb_row_count(&res) != 2 * n) {
        rc = pond_error_set(POND_ERROR, "partition window query returned %llu rows for %zu",
                            (unsigned long long)duckdb_row_count(&res), n);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t s = duckdb_value_int64(&res, 0, 2 * i), e = duckdb_value_int64(&res, 0, 2 * i + 1);
        if ((rc = cache_put(w, &keys[i * POND_TEMPORAL_MAX], s, e)) != POND_OK)
            goto done;
    }
done:
    if (have_res)
        duckdb_destroy_result(&res);
    free(vals);
    duckdb_destroy_logical_type(&bt);
    return rc;
}

int pond_temporal_windows_prefetch(pond_temporal_windows *w, const int64_t *vals, size_t n)
{
    int rc = POND_OK;
    int64_t *keys = NULL;
    size_t nkeys = 0;

    if (w->utc || n == 0)
        return POND_OK;
    if (!(keys = malloc(n * POND_TEMPORAL_MAX * sizeof *keys)))
        return pond_error_oom();
    for (size_t i = 0; i < n; i++) {
        int64_t *k = &keys[nkeys * POND_TEMPORAL_MAX];
        make_key(w, &vals[i * POND_TEMPORAL_MAX], k);
        if (find_slot(w->slots, w->cap, k)->used)
            continue;
        /* Skip a key already queued (sorted input repeats keys next to each other). */
        if (nkeys && memcmp(k, k - POND_TEMPORAL_MAX, POND_TEMPORAL_MAX * sizeof *k) == 0)
            continue;
        nkeys++;
    }
    if (nkeys)
        rc = query_windows(w, keys, nkeys);
    free(keys);
    return rc;
}

int pond_temporal_window(pond_temporal_windows *w, const int64_t *vals, int64_t *start_ms,
                         int64_t *end_ms)
{
    int64_t key[POND_TEMPORAL_MAX];
    int rc;

    make_key(w, vals, key);
    if (w->utc) {
        utc_window(w->nlevels, key, start_ms, end_ms);
        return POND_OK;
    }
    slot *s = find_slot(w->slots, w->cap, key);
    if (!s->used) {
        if ((rc = query_windows(w, key, 1)) != POND_OK)
            return rc;
        s = find_slot(w->slots, w->cap, key);
    }
    *start_ms = s->start_ms;
    *end_ms = s->end_ms;
    return POND_OK;
}
