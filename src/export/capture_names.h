/*
 * export/capture_names.h: --capture-names NAME[,NAME…] (a data_export stage's capture_names):
 * the captures of a match written as Hive NAME=value directories.
 *
 * Without names, capture i of a match is the directory level cap_i (DIR/BDock/1m/…).  With
 * names, it is NAME_i=cap_i (DIR/site=BDock/res=1m/…), which DuckDB, Polars, Spark and Trino
 * read back as the columns site and res.  Names are SQL identifiers ([A-Za-z_][A-Za-z0-9_]*),
 * none twice, none a --temporal level (year … minute, which follow them in the path), and
 * every match must have exactly one capture per name.
 */
#ifndef POND_EXPORT_CAPTURE_NAMES_H
#define POND_EXPORT_CAPTURE_NAMES_H

#include <stddef.h>
#include "glob/glob.h"
#include "util/buf.h"

/* Check the comma-separated list text ("site,res").  *out_n gets the number of names.
 * POND_EINVALID naming the bad name and why (the caller adds where it came from). */
int pond_export__capture_names_check(const char *text, size_t *out_n);

/* Append the capture directories of one match to rel: "cap0/cap1" without names (names
 * NULL), "site=cap0/res=cap1" with them.  path and pattern name the match in errors.
 * POND_EINVALID when a capture cannot name a directory (empty, ".", "..", '/'), when the
 * number of captures is not the number of names, or when a named capture's value holds '='
 * (a Hive reader would split it there). */
int pond_export__capture_dirs(pond_buf *rel, const char *names, const pond_captures *caps,
                              const char *path, const char *pattern);

#endif
