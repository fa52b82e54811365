/*
 * derive/mknod.c: pond_mknod.  The config is loaded and validated wholly (derive/config.c);
 * when its patterns match now, the node is resolved once over the current sources (without
 * storing anything) so that a column or time column that is not there, or a query that does
 * not bind, is refused at mknod too.  Only then is it stored (store/dynamic.h: one
 * transaction).
 */
#include "derive/derive_int.h"

#include <stdlib.h>
#include <string.h>

#include "pond/derive.h"
#include "util/error.h"
#include "util/path.h"
#include "util/version.h"

void derive_resolver_linked(void);

int pond_mknod_options_init(pond_mknod_options *opts, unsigned int version)
{
    pond_mknod_options init = POND_MKNOD_OPTIONS_INIT;
    int rc = pond_options_version_check(version, POND_MKNOD_OPTIONS_VERSION, "pond_mknod_options");
    if (rc == POND_OK && opts)
        *opts = init;
    return rc;
}

static int ignore(const store_dynamic_entry *e, void *ctx)
{
    (void)e;
    (void)ctx;
    return POND_OK;
}

/* Resolve the would-be node over the current sources: a pattern that matches nothing yet
 * cannot be checked further (the node may be made before its data). */
static int check_sources(pond *p, const char *node, const derive_config *c, const char *file)
{
    int rc;
    char *msg;

    rc = c->factory == DERIVE_TEMPORAL_REDUCE
             ? derive_reduce_expand(p, node, c, NULL, ignore, NULL)
             : derive_sql_expand(p, node, c, NULL, ignore, NULL);
    if (rc == POND_OK)
        return POND_OK;
    msg = strdup(pond_error_last());
    if (msg && strstr(msg, ") matches nothing")) {
        free(msg);
        return POND_OK;
    }
    {
        /* "FILE:LINE: …" when the message names the config line it comes from */
        const char *at = msg ? strstr(msg, "config line ") : NULL;
        int line = at ? atoi(at + 12) : 0;
        if (line > 0)
            rc = pond_error_set(rc, "%s:%d: %s", file, line, msg);
        else
            rc = pond_error_set(rc, "%s: %s", file, msg ? msg : "cannot resolve the node");
    }
    free(msg);
    return rc;
}

int pond_mknod(pond *p, const char *factory, const char *path, const char *config_path,
               const pond_mknod_options *opts)
{
    pond_mknod_options none = POND_MKNOD_OPTIONS_INIT;
    derive_config c;
    derive_factory f;
    pond_buf norm = POND_BUF_INIT;
    int rc;

    memset(&c, 0, sizeof c);
    derive_resolver_linked();
    if (!opts)
        opts = &none;
    if ((rc = pond_options_version_check(opts->version, POND_MKNOD_OPTIONS_VERSION,
                                         "pond_mknod_options")) < 0)
        return rc;
    if (!config_path || !*config_path)
        return pond_error_set(POND_EINVALID, "no config file given");
    if ((rc = derive_factory_parse(factory, &f)) < 0)
        return rc;
    if (!path || (rc = pond_path_normalize(path, &norm)) < 0) {
        rc = path ? rc : pond_error_set(POND_EINVALID, "no pond path given");
        goto done;
    }
    if ((rc = derive_config_load(&c, f, config_path)) < 0)
        goto done;
    if ((rc = pond_snapshot_begin(p, NULL)) < 0)
        goto done;
    rc = check_sources(p, norm.ptr, &c, config_path);
    pond_snapshot_end(p);
    if (rc < 0)
        goto done;
    rc = store_mknod(p, factory, norm.ptr, config_path, opts->overwrite);
done:
    derive_config_clear(&c);
    pond_buf_free(&norm);
    return rc;
}
