/*
 * derive/resolve.c: the resolver (store/dynamic.h).  Given a dynamic node, it loads the
 * node's latest config and hands the store every entry the node holds, each with the one
 * DuckDB SQL relation that computes its rows from the current versions of its sources
 * (reduce.c, sql_derived.c).  A source may itself be dynamic: its relation is then nested
 * (pond_glob asks this resolver again), so a read always reflects the current versions all
 * the way down.  The nesting is bounded (DERIVE_MAX_DEPTH) and a node met again while it is
 * being resolved is a cycle, an error naming the path.
 *
 * Nothing here is user SQL run as such: the relations are built from quoted identifiers and
 * content paths, and a sql-derived query (checked to be one SELECT at mknod and again here) is
 * only pasted inside one; the reader runs the relation in its sandboxed DuckDB.
 */
#include "derive/derive_int.h"

#include <stdlib.h>
#include <string.h>

#include "store/sql_sandbox.h"
#include "util/error.h"

typedef struct derive_state {
    int depth;
    const char *stack[DERIVE_MAX_DEPTH];
    duckdb_database db;
    duckdb_connection con;
} derive_state;

static _Thread_local derive_state state;

int derive_duck(pond *p, duckdb_connection *out)
{
    const char *dirs[2] = {NULL, NULL};
    int rc;

    if (state.con) {
        *out = state.con;
        return POND_OK;
    }
    if ((rc = pond_content_dirs(p, &dirs[0], &dirs[1])) < 0)
        return rc;
    if (duckdb_open(NULL, &state.db) == DuckDBError ||
        duckdb_connect(state.db, &state.con) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "cannot open DuckDB to resolve a dynamic node");
        goto fail;
    }
    {
        duckdb_result res;
        if (duckdb_query(state.con, "SET TimeZone = 'UTC'", &res) == DuckDBError) {
            duckdb_destroy_result(&res);
            rc = pond_error_set(POND_ERROR, "cannot set up DuckDB to resolve a dynamic node");
            goto fail;
        }
        duckdb_destroy_result(&res);
    }
    if ((rc = pond_sql_sandbox_lock(state.con, dirs, 2)) < 0)
        goto fail;
    *out = state.con;
    return POND_OK;
fail:
    if (state.con)
        duckdb_disconnect(&state.con);
    if (state.db)
        duckdb_close(&state.db);
    state.con = NULL;
    state.db = NULL;
    return rc;
}

/* The node's latest config, loaded from its content file. */
static int load_config(const pond_entry_info *node, derive_config *c)
{
    const pond_version_info *v;
    derive_factory f;
    derive_recorder *r = derive_recorder_get();
    int rc;

    memset(c, 0, sizeof *c);
    if (node->nversions == 0)
        return pond_error_set(POND_ECORRUPT, "dynamic node '%s' has no config", node->path);
    v = &node->versions[node->nversions - 1];
    if ((rc = derive_factory_parse(node->factory, &f)) < 0)
        return pond_error_wrap(rc, "node '%s'", node->path);
    if ((rc = pond_version_check(v)) < 0)
        return rc;
    if ((rc = derive_config_load(c, f, v->content_path)) < 0)
        return pond_error_wrap(rc, "node '%s': its config (version %lld)", node->path,
                               (long long)v->version);
    if (r && (rc = r->fn(node->path, v->version, v->sha256, 1, r->ctx)) < 0)
        return rc;
    return POND_OK;
}

static int expand(pond *p, const pond_entry_info *node, const char *want,
                  store_dynamic_add_fn add, void *ctx)
{
    derive_config c;
    pond_buf chain = POND_BUF_INIT;
    int i, rc;

    for (i = 0; i < state.depth; i++) {
        if (strcmp(state.stack[i], node->path) == 0) {
            int k;
            for (k = i; k < state.depth; k++)
                pond_buf_printf(&chain, "%s -> ", state.stack[k]);
            pond_buf_puts(&chain, node->path);
            rc = pond_error_set(POND_EINVALID,
                                "dynamic node '%s' reads itself: a cycle (%s)", node->path,
                                chain.ptr ? chain.ptr : node->path);
            pond_buf_free(&chain);
            return rc;
        }
    }
    if (state.depth == DERIVE_MAX_DEPTH)
        return pond_error_set(POND_EINVALID,
                              "dynamic node '%s': dynamic nodes read each other more than %d "
                              "deep",
                              node->path, DERIVE_MAX_DEPTH);
    state.stack[state.depth++] = node->path;
    rc = load_config(node, &c);
    if (rc == POND_OK)
        rc = c.factory == DERIVE_TEMPORAL_REDUCE ? derive_reduce_expand(p, node->path, &c, want,
                                                                        add, ctx)
                                                 : derive_sql_expand(p, node->path, &c, want,
                                                                     add, ctx);
    derive_config_clear(&c);
    if (--state.depth == 0 && state.con) {
        /* the outermost resolution is over: its DuckDB goes (it held no user data) */
        duckdb_disconnect(&state.con);
        duckdb_close(&state.db);
        state.con = NULL;
        state.db = NULL;
    }
    return rc;
}

__attribute__((constructor)) static void register_resolver(void)
{
    store_dynamic_register(expand);
}

/* Referenced by pond_mknod so that a static link keeps this file (and its constructor). */
void derive_resolver_linked(void);
void derive_resolver_linked(void)
{
    store_dynamic_register(expand);
}
