/*
 * store/options.c: the _options_init() functions of the store's versioned options structs
 * (pond/store.h), for callers that cannot use the _INIT macros.
 */
#include <stddef.h>
#include <string.h>

#include "pond.h"
#include "util/version.h"

int pond_copy_options_init(pond_copy_options *opts, unsigned int version)
{
    static const pond_copy_options init = POND_COPY_OPTIONS_INIT;
    int rc;

    if (version == 1) { /* a caller built against version 1 has the struct up to payload */
        memcpy(opts, &init, offsetof(pond_copy_options, delimiter));
        opts->version = 1;
        return POND_OK;
    }
    rc = pond_options_version_check(version, POND_COPY_OPTIONS_VERSION, "pond_copy_options");
    if (rc == POND_OK)
        *opts = init;
    return rc;
}

int pond_cat_options_init(pond_cat_options *opts, unsigned int version)
{
    static const pond_cat_options init = POND_CAT_OPTIONS_INIT;
    int rc = pond_options_version_check(version, POND_CAT_OPTIONS_VERSION, "pond_cat_options");
    if (rc == POND_OK)
        *opts = init;
    return rc;
}
