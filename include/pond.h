/*
 * pond.h: the public API of libpond, a local-first store for time-series data with a
 * multi-stage export pipeline.  The pond command-line tool is built on this header alone.
 *
 * Conventions, stated once for every function declared under include/pond/:
 *
 *  - Errors.  Functions that can fail return an int: POND_OK (0) on success, or a negative
 *    pond_error_code.  The message of the last failure on this thread is read with
 *    pond_error_last(); it names the thing that failed ("cannot open pond '/p': not a pond").
 *    Messages are lowercase, without a trailing full stop and without a "pond:" prefix (the CLI
 *    adds that).  A failed call leaves the pond as it was.
 *  - Ownership.  Output parameters come first and are named out.  What a function returns
 *    through `**out` is owned by the caller and is released with the matching _free()
 *    function; every _free() accepts NULL.  `const char *` returns are borrowed and stay valid
 *    only as the header of that function says.  Structures passed to callbacks are borrowed for
 *    the duration of the call.
 *  - Names.  pond_<module>_<verb>.  Paths inside a pond are absolute and '/'-separated
 *    ("/sites/BDock/res=1d.series"); host paths are ordinary file-system paths.
 *  - Times.  Event times are microseconds since the Unix epoch, UTC (DuckDB's TIMESTAMP).
 *
 * Modules:  pond/error.h   error codes and messages
 *           pond/store.h   the pond: entries, versions, transactions, reading and checking
 *           pond/export.h  the multi-stage export
 */
#ifndef POND_H
#define POND_H

#include "pond/error.h"
#include "pond/store.h"
#include "pond/export.h"

/* The library version, "MAJOR.MINOR.PATCH". Borrowed, static. */
const char *pond_version_string(void);

#endif
