/*
 * export/manifest.h: DIR/.pond-export.json, what an export wrote and what it was made from
 * (docs/update.md), so that `pond export --update` can tell which outputs are up to date.
 *
 * One entry per output (a data export's output directory or copied data file, a template
 * page), keyed by its path relative to DIR:
 *   kind          "series", "table", "data" or "page"
 *   stage         the 1-based stage that wrote it
 *   pattern       the -p pattern (a page: its collection's in_pattern)
 *   source        the pond path (a page: its template file)
 *   options       what shapes it (temporal levels, time zone, start/end, capture names), as
 *                 a JSON object compared as a whole
 *   inputs_sha256 what else it is made from, hashed: a derived series' relation (its config
 *                 and the content files of its inputs), a page's template and query; or ""
 *   schemas_sha256 the distinct schemas of the versions read, hashed (a new schema changes
 *                 every file of a series read with union_by_name)
 *   versions      the source versions read: number, sha256 and time range
 *   files         the files written: name relative to the output ("" for the output itself),
 *                 partition key, time window, row count, sha256 of the bytes (data, pages)
 * The manifest is written through the export's commit journal, last, so it never disagrees
 * with the files.  Reading checks everything it uses: a damaged manifest is one
 * POND_ECORRUPT message naming the file and what is wrong.
 */
#ifndef POND_EXPORT_MANIFEST_H
#define POND_EXPORT_MANIFEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define POND_MANIFEST_NAME ".pond-export.json"
#define POND_MANIFEST_FORMAT 1

typedef struct pond_manifest_version {
    int64_t version;
    char sha256[65];
    int has_time;
    int64_t min_us, max_us; /* the version's event times, UTC µs */
} pond_manifest_version;

typedef struct pond_manifest_file {
    char *name;      /* relative to the output directory; "" for a data file or page itself */
    int key_ok;      /* a partition key (partition_plan.h) is set */
    int64_t key;
    int has_window;
    int64_t start_ms, end_ms;
    int has_rows;
    int64_t rows;
    char sha256[65]; /* of the bytes; "" when not recorded (Parquet files) */
} pond_manifest_file;

typedef struct pond_manifest_output {
    char *rel;
    char *kind;
    int stage;
    char *pattern;
    char *source;
    json_t *options; /* an object; owned */
    char inputs_sha256[65];
    char schemas_sha256[65];
    pond_manifest_version *versions;
    size_t nversions, capversions;
    pond_manifest_file *files;
    size_t nfiles, capfiles;
} pond_manifest_output;

typedef struct pond_manifest {
    pond_manifest_output *v;
    size_t n, cap;
    int sorted; /* v sorted by rel (after read, or pond_manifest_sort) */
} pond_manifest;

#define POND_MANIFEST_INIT {NULL, 0, 0, 0}

/* Read path into m (empty on entry).  POND_ENOTFOUND when there is no such file,
 * POND_ECORRUPT "export manifest '<path>' is damaged: …" when it is not one. */
int pond_manifest_read(pond_manifest *m, const char *path);

/* Write m to path (created or truncated; not atomic: it is written under staging). */
int pond_manifest_write(const pond_manifest *m, const char *path);

/* Append an output (fields copied; options taken: its reference is stolen, also on failure);
 * *out points at it until the next append. */
int pond_manifest_add_output(pond_manifest *m, const char *rel, const char *kind, int stage,
                             const char *pattern, const char *source, json_t *options,
                             pond_manifest_output **out);
int pond_manifest_add_version(pond_manifest_output *o, const pond_manifest_version *v);
int pond_manifest_add_file(pond_manifest_output *o, const pond_manifest_file *f);

/* Sort by rel, so that find is a binary search. */
void pond_manifest_sort(pond_manifest *m);

/* The output at rel, or NULL (m must be sorted). */
const pond_manifest_output *pond_manifest_find(const pond_manifest *m, const char *rel);

void pond_manifest_free(pond_manifest *m);

#endif
