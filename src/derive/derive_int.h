/*
 * derive/derive_int.h: what the files of src/derive share.  The resolver (resolve.c) turns a
 * dynamic node into the entries it holds and each entry into one DuckDB SQL relation over the
 * current content files of its sources (reduce.c, sql_derived.c build them); sources.c finds
 * a node's sources and their columns, in a private sandboxed DuckDB of the resolving thread.
 */
#ifndef POND_DERIVE_INT_H
#define POND_DERIVE_INT_H

#include <duckdb.h>
#include <stddef.h>
#include <stdint.h>

#include "derive/config.h"
#include "pond/store.h"
#include "store/dynamic.h"
#include "util/buf.h"

/* How deep dynamic nodes may read each other (a reduce over a sql-derived series over …). */
#define DERIVE_MAX_DEPTH 16

/* One matched source of a node: what it is and its rows as a relation. */
typedef struct derive_source {
    char *path;
    pond_entry_type reads_as; /* POND_ENTRY_SERIES or POND_ENTRY_TABLE */
    char *relation;           /* "(SELECT * FROM read_parquet([…], union_by_name = true))" */
    char *timestamp_column;
    char **captures;
    size_t ncaptures;
} derive_source;

typedef struct derive_sources {
    derive_source *v;
    size_t n, cap;
} derive_sources;

void derive_sources_free(derive_sources *s);

/* Every match of pattern, as sources (a series or table, stored or dynamic; anything else is
 * an error naming node, what, the config line).  Matching nothing is an error too:
 * "node '<node>': <what> '<pattern>' (config line N) matches nothing". */
int derive_sources_find(pond *p, const char *node, const char *what, const char *pattern,
                        int line, derive_sources *out);

/* A column of a relation. */
typedef struct derive_column {
    char *name;
    char *type; /* DuckDB's type name */
} derive_column;

typedef struct derive_columns {
    derive_column *v;
    size_t n;
} derive_columns;

void derive_columns_free(derive_columns *c);

/* The columns of relation, asked of DuckDB (DESCRIBE; reads Parquet footers only). */
int derive_columns_of(pond *p, const char *relation, derive_columns *out);

/* The resolving thread's sandboxed DuckDB (made on first use, closed when the outermost
 * resolution ends): it may read only the pond's content directories. */
int derive_duck(pond *p, duckdb_connection *out);

/* 1 for DuckDB's numeric types. */
int derive_is_numeric(const char *type);
/* 1 for TIMESTAMP… and DATE. */
int derive_is_time(const char *type);

/* Append s as a quoted SQL identifier / string literal. */
int derive_quote_ident(pond_buf *b, const char *s);
int derive_quote_string(pond_buf *b, const char *s);

/* temporal-reduce: the entries of node (dirs and res=<r>.series). */
int derive_reduce_expand(pond *p, const char *node, const derive_config *c, const char *want,
                         store_dynamic_add_fn add, void *ctx);

/* sql-derived-series / -table: the node's own entry. */
int derive_sql_expand(pond *p, const char *node, const derive_config *c, const char *want,
                      store_dynamic_add_fn add, void *ctx);

/* ---- inputs (pond_derive_inputs) --------------------------------------------------------- */

/* While a recorder is set on the thread, every stored source version a resolution reads and
 * every node config it loads is reported to it. */
typedef struct derive_recorder {
    int (*fn)(const char *path, int64_t version, const char *sha256, int is_config, void *ctx);
    void *ctx;
} derive_recorder;

void derive_recorder_set(derive_recorder *r);
derive_recorder *derive_recorder_get(void);

#endif
