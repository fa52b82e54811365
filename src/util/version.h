/*
 * util/version.h: checking the version field of a public options (or event) struct.
 *
 * Each versioned struct of include/pond/ starts with `unsigned int version`.  The library
 * knows version 1 of each today; when a struct grows, the reader of an older version reads
 * only the fields that version had.
 */
#ifndef POND_UTIL_VERSION_H
#define POND_UTIL_VERSION_H

/* POND_OK when version is known; else POND_EINVALID "pond_cat_options version 7 is not
 * known…" (what names the struct). */
int pond_options_version_check(unsigned int version, unsigned int known, const char *what);

#endif
