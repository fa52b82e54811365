/*
 * pond/derive.h: dynamic nodes (docs/derived.md): entries whose content is computed from
 * the current versions of other entries whenever they are read.
 *
 * A dynamic node is made with pond_mknod from a factory and a YAML config:
 *   temporal-reduce     a directory: for every match of in_pattern, PATH/<out_pattern>/
 *                       res=<r>.series per resolution, rows time buckets with aggregates
 *   sql-derived-series  a series: a query over named inputs (patterns, matches unioned)
 *   sql-derived-table   a table: the same
 * Once made, it reads like a stored entry everywhere: pond_glob lists it (type
 * POND_ENTRY_DYNAMIC, with factory, reads_as and, for a series or table, relation: the DuckDB
 * SQL over the content files of its sources), pond_cat and pond_copy_out read it, the export
 * exports it, and other dynamic nodes read it.
 *
 * Ownership and errors follow pond.h.
 */
#ifndef POND_DERIVE_H
#define POND_DERIVE_H

#include <stdint.h>
#include "pond/common.h"
#include "pond/store.h"

POND_BEGIN_DECLS

/* Options of pond_mknod.  Initialize with POND_MKNOD_OPTIONS_INIT or
 * pond_mknod_options_init(); later versions only add fields at the end. */
#define POND_MKNOD_OPTIONS_VERSION 1
typedef struct pond_mknod_options {
    unsigned int version; /* POND_MKNOD_OPTIONS_VERSION */
    int overwrite;        /* non-zero: a node that exists (same factory) gets a new config
                             version; else an existing path is an error */
} pond_mknod_options;
#define POND_MKNOD_OPTIONS_INIT {POND_MKNOD_OPTIONS_VERSION, 0}

/* Set *opts to the defaults of version.  POND_EINVALID for an unknown version. */
POND_API int pond_mknod_options_init(pond_mknod_options *opts, unsigned int version);

/* Make the dynamic node at path (one transaction).
 *   factory      "temporal-reduce", "sql-derived-series" or "sql-derived-table"
 *   config_path  a host YAML file: validated wholly first (keys, types, patterns,
 *                resolutions, aggregations, the query; and, when the patterns match now,
 *                the sources' columns), then stored as the node's config version
 *   opts         may be NULL
 * Returns POND_OK; POND_EINVALID "<file>:<line>:<column>: …" for a bad config (nothing is
 * stored); POND_EEXISTS, POND_ENOTFOUND (no such directory) as pond_mkdir. */
POND_API int pond_mknod(pond *p, const char *factory, const char *path, const char *config_path,
                        const pond_mknod_options *opts);

/* One thing a dynamic entry's content depends on: a source version or a node's config. */
typedef struct pond_derive_input {
    const char *path;   /* a stored entry, or the dynamic node whose config this is */
    int64_t version;    /* its version number */
    const char *sha256; /* the content file's sha256 */
    int is_config;      /* 1: the config of dynamic node path */
} pond_derive_input;

typedef int (*pond_derive_input_fn)(const pond_derive_input *input, void *ctx);

/* Call fn for every input of the dynamic entry at path (a dynamic node, or an entry inside a
 * dynamic directory), all the way down through dynamic sources: each stored source version it
 * reads and each config it follows (the node's own first).  A derived entry has changed
 * exactly when this list has.  In one read snapshot.
 * Returns POND_OK, fn's value when it stopped, POND_ENOTFOUND, POND_EINVALID when path is not
 * dynamic, or the error resolving it. */
POND_API int pond_derive_inputs(pond *p, const char *path, pond_derive_input_fn fn, void *ctx);

POND_END_DECLS

#endif
