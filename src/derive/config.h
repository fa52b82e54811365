/*
 * derive/config.h: the config of a dynamic node (docs/derived.md), loaded from its YAML
 * and validated wholly: unknown keys, types, patterns, resolutions, aggregation types and
 * column globs, and the query (one read-only SELECT).  Every error is POND_EINVALID
 * "<file>:<line>:<column>: <what>" at the node at fault (export/yaml_doc.h).  Each value keeps
 * its line, so that a later read that fails (a source that stopped matching, a column that
 * went) names the config line it comes from.
 */
#ifndef POND_DERIVE_CONFIG_H
#define POND_DERIVE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

typedef enum derive_factory {
    DERIVE_TEMPORAL_REDUCE,
    DERIVE_SQL_SERIES,
    DERIVE_SQL_TABLE
} derive_factory;

/* The factory named by word ("temporal-reduce", "sql-derived-series", "sql-derived-table"):
 * POND_OK, or POND_EINVALID naming the word and the choices. */
int derive_factory_parse(const char *word, derive_factory *out);

typedef enum derive_agg_type { AGG_AVG, AGG_MIN, AGG_MAX, AGG_SUM, AGG_COUNT } derive_agg_type;

/* "avg", "min", … */
const char *derive_agg_name(derive_agg_type t);

typedef struct derive_agg {
    derive_agg_type type;
    char **columns; /* globs over the source's non-time numeric columns; none: count(*) */
    int *column_lines;
    size_t ncolumns;
    int line;
} derive_agg;

typedef struct derive_resolution {
    char *text;      /* as written: "1h" */
    int64_t amount;  /* 1 */
    char unit;       /* 'm', 'h' or 'd' */
} derive_resolution;

typedef struct derive_input {
    char *name;    /* an identifier: the query's table name */
    char *pattern; /* all its matches, unioned by name */
    int line;
} derive_input;

typedef struct derive_config {
    derive_factory factory;
    /* temporal-reduce */
    char *in_pattern;
    int in_pattern_line;
    char *out_pattern;
    int out_pattern_line;
    char *time_column; /* NULL: the source's timestamp column (sql-derived-series: detected) */
    int time_column_line;
    derive_resolution *resolutions;
    size_t nresolutions;
    int resolutions_line;
    derive_agg *aggs;
    size_t naggs;
    /* sql-derived-* */
    derive_input *inputs;
    size_t ninputs;
    char *query;
    int query_line;
} derive_config;

/* Load and validate the config at path for factory.  label names the file in messages
 * (path itself when NULL).  *out is filled (free with derive_config_clear, also on
 * failure). */
int derive_config_load(derive_config *out, derive_factory factory, const char *path);

void derive_config_clear(derive_config *c);

/* Microseconds of a resolution. */
int64_t derive_resolution_us(const derive_resolution *r);

/* The highest capture $N out_pattern uses (-1 for none). */
int derive_out_pattern_max_capture(const char *out_pattern);

#endif
