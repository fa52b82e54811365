/*
 * derive/reduce.c: temporal-reduce (docs/derived.md).  For every match of in_pattern,
 * the directory PATH/<out_pattern with $0, $1, … replaced by the match's captures>/ holds one
 * series per resolution, res=<r>.series, whose relation is
 *
 *     (SELECT time_bucket(INTERVAL '1 hours', "timestamp") AS "timestamp",
 *             avg("temperature_c") AS "temperature_c_avg", …, count(*) AS "count"
 *      FROM <the source's relation> GROUP BY 1 ORDER BY 1)
 *
 * Buckets are UTC (the reader's DuckDB runs in UTC) and aligned to midnight (time_bucket's
 * default origin is a midnight, and every resolution of whole minutes, hours or days that
 * divides a day starts at one); a bucket appears only when a row falls in it, so a gap in the
 * source is a gap in the result.  DuckDB streams the scan and holds one group per bucket.
 */
#include "derive/derive_int.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

/* out_pattern with $N replaced by captures[N]. */
static int expand_out(const char *pat, const derive_source *s, pond_buf *out)
{
    int rc = POND_OK;
    for (; rc == POND_OK && *pat; pat++) {
        if (*pat == '$' && isdigit((unsigned char)pat[1])) {
            size_t n = 0;
            while (isdigit((unsigned char)pat[1]) && n < 1000)
                n = n * 10 + (size_t)(*++pat - '0');
            rc = n < s->ncaptures ? pond_buf_puts(out, s->captures[n])
                                  : pond_error_set(POND_EINVALID, "no capture $%zu", n);
        } else {
            rc = pond_buf_putc(out, *pat);
        }
    }
    return rc;
}

static const char *unit_word(char unit)
{
    return unit == 'm' ? "minutes" : unit == 'h' ? "hours" : "days";
}

/* The relation of one res=<r>.series over source s with columns cols. */
static int build(const char *node, const derive_config *c, const derive_source *s,
                 const derive_columns *cols, const char *ts, const derive_resolution *r,
                 pond_buf *out)
{
    pond_buf names = POND_BUF_INIT; /* "\n"-joined output names made so far */
    size_t a, k, j;
    int rc;

    rc = pond_buf_printf(out, "(SELECT time_bucket(INTERVAL '%lld %s', ", (long long)r->amount,
                         unit_word(r->unit));
    if (rc == POND_OK && (rc = derive_quote_ident(out, ts)) == POND_OK &&
        (rc = pond_buf_puts(out, ") AS ")) == POND_OK)
        rc = derive_quote_ident(out, ts);
    for (a = 0; rc == POND_OK && a < c->naggs; a++) {
        const derive_agg *g = &c->aggs[a];
        const char *agg = derive_agg_name(g->type);
        if (g->ncolumns == 0) {
            if (strstr(names.ptr ? names.ptr : "", "\ncount\n"))
                continue;
            rc = pond_buf_puts(out, ", count(*) AS \"count\"");
            if (rc == POND_OK)
                rc = pond_buf_puts(&names, "\ncount\n");
            continue;
        }
        for (k = 0; rc == POND_OK && k < g->ncolumns; k++) {
            size_t matched = 0;
            for (j = 0; rc == POND_OK && j < cols->n; j++) {
                const derive_column *col = &cols->v[j];
                pond_buf name = POND_BUF_INIT, key = POND_BUF_INIT;
                if (strcmp(col->name, ts) == 0 || !derive_is_numeric(col->type) ||
                    fnmatch(g->columns[k], col->name, 0) != 0)
                    continue;
                matched++;
                rc = pond_buf_printf(&name, "%s_%s", col->name, agg);
                if (rc == POND_OK)
                    rc = pond_buf_printf(&key, "\n%s\n", name.ptr);
                if (rc == POND_OK && !strstr(names.ptr ? names.ptr : "", key.ptr)) {
                    rc = pond_buf_printf(out, ", %s(", agg);
                    if (rc == POND_OK)
                        rc = derive_quote_ident(out, col->name);
                    if (rc == POND_OK)
                        rc = pond_buf_puts(out, ") AS ");
                    if (rc == POND_OK)
                        rc = derive_quote_ident(out, name.ptr);
                    if (rc == POND_OK)
                        rc = pond_buf_puts(&names, key.ptr);
                }
                pond_buf_free(&name);
                pond_buf_free(&key);
            }
            if (rc == POND_OK && matched == 0) {
                pond_buf list = POND_BUF_INIT;
                for (j = 0; j < cols->n; j++)
                    if (strcmp(cols->v[j].name, ts) != 0 && derive_is_numeric(cols->v[j].type))
                        pond_buf_printf(&list, "%s%s", list.len ? ", " : "", cols->v[j].name);
                rc = pond_error_set(POND_EINVALID,
                                    "node '%s': aggregation %zu (config line %d): column '%s' "
                                    "matches no numeric column of '%s' (it has: %s)",
                                    node, a + 1, g->column_lines[k], g->columns[k], s->path,
                                    list.len ? list.ptr : "none");
                pond_buf_free(&list);
            }
        }
    }
    if (rc == POND_OK && (rc = pond_buf_puts(out, " FROM ")) == POND_OK &&
        (rc = pond_buf_puts(out, s->relation)) == POND_OK)
        rc = pond_buf_puts(out, " AS source GROUP BY 1 ORDER BY 1)");
    pond_buf_free(&names);
    return rc;
}

/* The time column of source s: the config's or the source's own, checked to be there. */
static int time_column(const char *node, const derive_config *c, const derive_source *s,
                       const derive_columns *cols, const char **out)
{
    const char *ts = c->time_column ? c->time_column : s->timestamp_column;
    size_t j;

    if (!ts)
        return pond_error_set(POND_EINVALID,
                              "node '%s': '%s' has no timestamp column; name one with "
                              "time_column",
                              node, s->path);
    for (j = 0; j < cols->n; j++) {
        if (strcmp(cols->v[j].name, ts) != 0)
            continue;
        if (!derive_is_time(cols->v[j].type)) {
            if (c->time_column)
                return pond_error_set(POND_EINVALID,
                                      "node '%s': time column '%s' of '%s' is a %s, not a "
                                      "timestamp (time_column at config line %d)",
                                      node, ts, s->path, cols->v[j].type, c->time_column_line);
            return pond_error_set(POND_EINVALID,
                                  "node '%s': time column '%s' of '%s' is a %s, not a timestamp",
                                  node, ts, s->path, cols->v[j].type);
        }
        *out = cols->v[j].name;
        return POND_OK;
    }
    if (c->time_column)
        return pond_error_set(POND_EINVALID,
                              "node '%s': time_column '%s' (config line %d) is not a column of "
                              "'%s'",
                              node, ts, c->time_column_line, s->path);
    return pond_error_set(POND_EINVALID, "node '%s': '%s' has no column '%s'", node, s->path, ts);
}

/* Each directory from node down to dir, once. */
static int add_dirs(const char *node, const char *rel, pond_buf *done, store_dynamic_add_fn add,
                    void *ctx)
{
    pond_buf path = POND_BUF_INIT, key = POND_BUF_INIT;
    const char *s = rel;
    int rc = pond_buf_puts(&path, node);

    while (rc == POND_OK && *s) {
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t)(slash - s) : strlen(s);
        if (n > 0) {
            rc = pond_buf_putc(&path, '/');
            if (rc == POND_OK)
                rc = pond_buf_put(&path, s, n);
            pond_buf_clear(&key);
            if (rc == POND_OK)
                rc = pond_buf_printf(&key, "\n%s\n", path.ptr);
            if (rc == POND_OK && !strstr(done->ptr ? done->ptr : "", key.ptr)) {
                store_dynamic_entry d = {path.ptr, POND_ENTRY_DIR, NULL, NULL};
                rc = pond_buf_puts(done, key.ptr);
                if (rc == POND_OK)
                    rc = add(&d, ctx);
            }
        }
        s += n;
        if (*s == '/')
            s++;
    }
    pond_buf_free(&path);
    pond_buf_free(&key);
    return rc;
}

/* out_pattern expanded: a relative path of plain names. */
static int out_dir(const char *node, const derive_config *c, const derive_source *s,
                   pond_buf *rel)
{
    pond_buf raw = POND_BUF_INIT;
    const char *p;
    int rc = expand_out(c->out_pattern, s, &raw);

    for (p = raw.ptr; rc == POND_OK && p && *p; p++) {
        if (*p == '/' && (rel->len == 0 || rel->ptr[rel->len - 1] == '/'))
            continue;
        rc = pond_buf_putc(rel, *p);
    }
    while (rc == POND_OK && rel->len && rel->ptr[rel->len - 1] == '/')
        rel->ptr[--rel->len] = '\0';
    if (rc == POND_OK && (rel->len == 0 || strstr(rel->ptr, "..") ||
                          strcmp(rel->ptr, ".") == 0))
        rc = pond_error_set(POND_EINVALID,
                            "node '%s': out_pattern '%s' (config line %d) makes '%s' for '%s', "
                            "not a directory name",
                            node, c->out_pattern, c->out_pattern_line, rel->ptr ? rel->ptr : "",
                            s->path);
    pond_buf_free(&raw);
    return rc;
}

int derive_reduce_expand(pond *p, const char *node, const derive_config *c, const char *want,
                         store_dynamic_add_fn add, void *ctx)
{
    derive_sources srcs;
    pond_buf dirs = POND_BUF_INIT, outs = POND_BUF_INIT;
    size_t i, r;
    int rc;

    if ((rc = derive_sources_find(p, node, "in_pattern", c->in_pattern, c->in_pattern_line,
                                  &srcs)) < 0)
        return rc;
    for (i = 0; rc == POND_OK && i < srcs.n; i++) {
        const derive_source *s = &srcs.v[i];
        derive_columns cols = {NULL, 0};
        pond_buf rel = POND_BUF_INIT, key = POND_BUF_INIT;
        int have_cols = 0;

        if (s->reads_as != POND_ENTRY_SERIES)
            rc = pond_error_set(POND_EINVALID,
                                "node '%s': in_pattern '%s' (config line %d) matches '%s', a "
                                "table: only series can be reduced",
                                node, c->in_pattern, c->in_pattern_line, s->path);
        if (rc == POND_OK)
            rc = out_dir(node, c, s, &rel);
        if (rc == POND_OK)
            rc = pond_buf_printf(&key, "\n%s\n", rel.ptr);
        if (rc == POND_OK && strstr(outs.ptr ? outs.ptr : "", key.ptr))
            rc = pond_error_set(POND_EINVALID,
                                "node '%s': out_pattern '%s' (config line %d) makes '%s' for "
                                "two sources (one is '%s'): use more of the captures",
                                node, c->out_pattern, c->out_pattern_line, rel.ptr, s->path);
        if (rc == POND_OK)
            rc = pond_buf_puts(&outs, key.ptr);
        if (rc == POND_OK)
            rc = add_dirs(node, rel.ptr, &dirs, add, ctx);
        for (r = 0; rc == POND_OK && r < c->nresolutions; r++) {
            pond_buf path = POND_BUF_INIT, sql = POND_BUF_INIT;
            const char *ts = NULL;
            rc = pond_buf_printf(&path, "%s/%s/res=%s.series", node, rel.ptr,
                                 c->resolutions[r].text);
            if (rc == POND_OK && want && strcmp(want, path.ptr) != 0) {
                pond_buf_free(&path);
                continue;
            }
            if (rc == POND_OK && !have_cols) {
                if ((rc = derive_columns_of(p, s->relation, &cols)) < 0)
                    rc = pond_error_wrap(rc, "node '%s': cannot read '%s'", node, s->path);
                have_cols = 1;
            }
            if (rc == POND_OK)
                rc = time_column(node, c, s, &cols, &ts);
            if (rc == POND_OK)
                rc = build(node, c, s, &cols, ts, &c->resolutions[r], &sql);
            if (rc == POND_OK) {
                store_dynamic_entry d = {path.ptr, POND_ENTRY_SERIES, sql.ptr, ts};
                rc = add(&d, ctx);
            }
            pond_buf_free(&path);
            pond_buf_free(&sql);
        }
        derive_columns_free(&cols);
        pond_buf_free(&rel);
        pond_buf_free(&key);
    }
    derive_sources_free(&srcs);
    pond_buf_free(&dirs);
    pond_buf_free(&outs);
    return rc;
}
