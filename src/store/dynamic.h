/*
 * store/dynamic.h: what the store knows of dynamic nodes (docs/derived.md), shared with
 * src/derive.  The store keeps a dynamic node as data: an entry of type 'dynamic' naming its
 * factory, whose versions are its config files (YAML, as given to mknod).  It knows nothing
 * of factories: whenever a read meets a dynamic node (pond_glob, pond_cat, pond_copy_out),
 * it asks the one resolver registered here (src/derive/resolve.c) what the node holds.
 *
 * Why a registered hook and not a call: the dependencies point cli -> derive -> store; the
 * store's readers must reach the resolver without depending on it.  The derive module
 * registers itself when libpond is loaded (a constructor in src/derive/resolve.c); without it
 * (a program linking the store alone) a dynamic node reads as an error naming it.
 */
#ifndef POND_STORE_DYNAMIC_H
#define POND_STORE_DYNAMIC_H

#include "pond/store.h"

/* One entry a dynamic node holds: the node itself (a sql-derived series or table: path is
 * the node's own) or what lies inside a dynamic directory (directories and series).  All
 * strings borrowed for the call of the add function, which copies them. */
typedef struct store_dynamic_entry {
    const char *path;
    pond_entry_type reads_as;     /* POND_ENTRY_DIR, _SERIES or _TABLE */
    const char *relation;         /* "(SELECT …)"; NULL for a directory */
    const char *timestamp_column; /* series */
} store_dynamic_entry;

typedef int (*store_dynamic_add_fn)(const store_dynamic_entry *e, void *ctx);

/* The resolver: call add for every entry the dynamic node (node, with its versions) holds.
 * want: when not NULL, the one path the caller looks for (the resolver may skip computing
 * the relation of the others).  Returns POND_OK, add's value when it stopped, or an error
 * (set) naming the node. */
typedef int (*store_dynamic_expand_fn)(pond *p, const pond_entry_info *node, const char *want,
                                       store_dynamic_add_fn add, void *ctx);

/* Register the resolver (one per process; the last one wins). */
void store_dynamic_register(store_dynamic_expand_fn fn);

/* The registered resolver, or NULL. */
store_dynamic_expand_fn store_dynamic_resolver(void);

/* Make (or, with overwrite, add a version to) the dynamic node at path with the given
 * factory name, its config the bytes of the host file config_path (already validated by
 * the caller).  One transaction.  Errors: POND_EEXISTS when path exists (without overwrite,
 * or as another type or factory), POND_ENOTFOUND when its directory does not. */
int store_mknod(pond *p, const char *factory, const char *path, const char *config_path,
                int overwrite);

#endif
