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
 *  - Options.  A call that takes options takes a struct whose first field is its version:
 *    start from the struct's _INIT macro (or its _options_init() function) and set what you
 *    need, so a program built against an older header keeps working with a newer library.
 *    A version the library does not know is refused with POND_EINVALID.  Events passed to
 *    callbacks are versioned the same way.
 *  - Callbacks.  A callback that returns int returns 0 to go on; anything else stops the
 *    call, which returns that value.  Each takes a void * of the caller's, passed through
 *    untouched.
 *  - Threads.  A pond handle (and what it returns) is used by one thread at a time; separate
 *    handles may be used on separate threads.  The last error is kept per thread.
 *
 * Modules:  pond/version.h  POND_VERSION_* and pond_version()
 *           pond/error.h    error codes and messages
 *           pond/store.h    the pond: entries, versions, transactions, reading and checking
 *           pond/export.h   the multi-stage export
 *           pond/derive.h   dynamic nodes: derived series and tables
 *
 * Build with `pkg-config --cflags --libs pond`, or find_package(pond) and pond::pond in CMake.
 */
#ifndef POND_H
#define POND_H

#include "pond/version.h"
#include "pond/error.h"
#include "pond/store.h"
#include "pond/export.h"
#include "pond/derive.h"

#endif
