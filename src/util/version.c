/*
 * util/version.c: pond_version() (pond/version.h), and the one check of an options struct's
 * version field that every public call taking options makes (util/version.h).
 */
#include "util/version.h"

#include "pond/version.h"
#include "util/error.h"

const char *pond_version(int *major, int *minor, int *patch)
{
    if (major)
        *major = POND_VERSION_MAJOR;
    if (minor)
        *minor = POND_VERSION_MINOR;
    if (patch)
        *patch = POND_VERSION_PATCH;
    return POND_VERSION;
}

int pond_options_version_check(unsigned int version, unsigned int known, const char *what)
{
    if (version == known)
        return POND_OK;
    return pond_error_set(POND_EINVALID,
                          "%s version %u is not known to libpond %s (it knows version %u: "
                          "initialize the struct with its _INIT macro)",
                          what, version, POND_VERSION, known);
}
