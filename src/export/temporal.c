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

/* The naive local start and the start of the next partition, then the instant of each. */
static const char *const window_sql[POND_TEMPORAL_MAX] = {
#define POND_WINDOW_SQL(UNIT)                                                                 \
    "SELECT epoch_ms(CASE WHEN timezone(z, c1) = n AND c1 < x THEN c1 ELSE x END) "           \
    "FROM (SELECT k, n, x, z, timezone('UTC', n - (timezone(z, x - INTERVAL 3 HOUR) "          \
    "       - timezone('UTC', x - INTERVAL 3 HOUR))) AS c1 "                                   \
    "      FROM (SELECT k, n, n::TIMESTAMPTZ AS x, current_setting('TimeZone') AS z "          \
    "            FROM (SELECT 0 AS k, make_timestamp($1, $2, $3, $4, $5, 0.0) AS n "           \
    "                  UNION ALL "                                                             \
    "                  SELECT 1, make_timestamp($1, $2, $3, $4, $5, 0.0) + INTERVAL 1 " UNIT   \
    ")))"                                                                                      \
    " ORDER BY k"
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
    slot *slots;
    size_t cap, count; /* cap is a power of two */
};

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

static int query_window(pond_temporal_windows *w, const int64_t *key, int64_t *start_ms,
                        int64_t *end_ms)
{
    int rc = POND_OK;
    duckdb_result res;
    int have_res = 0;

    for (int i = 0; i < POND_TEMPORAL_MAX; i++)
        if (duckdb_bind_int64(w->stmt, (idx_t)i + 1, key[i]) == DuckDBError)
            return pond_error_set(POND_ERROR, "cannot bind a partition value");
    have_res = 1;
    if (duckdb_execute_prepared(w->stmt, &res) == DuckDBError) {
        rc = pond_error_set(POND_ERROR,
                            "cannot compute the window of partition %lld-%lld-%lld %lld:%lld: %s",
                            (long long)key[0], (long long)key[1], (long long)key[2],
                            (long long)key[3], (long long)key[4], duckdb_result_error(&res));
        goto done;
    }
    if (duckdb_row_count(&res) != 2) {
        rc = pond_error_set(POND_ERROR, "partition window query returned %llu rows",
                            (unsigned long long)duckdb_row_count(&res));
        goto done;
    }
    *start_ms = duckdb_value_int64(&res, 0, 0);
    *end_ms = duckdb_value_int64(&res, 0, 1);
done:
    if (have_res)
        duckdb_destroy_result(&res);
    return rc;
}

int pond_temporal_window(pond_temporal_windows *w, const int64_t *vals, int64_t *start_ms,
                         int64_t *end_ms)
{
    /* Levels below the partition's take their first value: month 1, day 1, hour 0, minute 0. */
    int64_t key[POND_TEMPORAL_MAX] = {1970, 1, 1, 0, 0};
    int rc;

    for (int i = 0; i < w->nlevels; i++)
        key[i] = vals[i];
    slot *s = find_slot(w->slots, w->cap, key);
    if (s->used) {
        *start_ms = s->start_ms;
        *end_ms = s->end_ms;
        return POND_OK;
    }
    if ((rc = query_window(w, key, start_ms, end_ms)) != POND_OK)
        return rc;
    if (w->count + 1 > w->cap / 2) {
        if ((rc = grow(w)) != POND_OK)
            return rc;
        s = find_slot(w->slots, w->cap, key);
    }
    s->used = 1;
    memcpy(s->key, key, sizeof s->key);
    s->start_ms = *start_ms;
    s->end_ms = *end_ms;
    w->count++;
    return POND_OK;
}
