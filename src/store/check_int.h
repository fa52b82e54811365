/*
 * store/check_int.h: what the three files of pond_check share (check.c runs it and verifies
 * the content files, check_catalog.c verifies the catalog itself, check_orphans.c looks for
 * files nothing refers to).
 */
#ifndef POND_STORE_CHECK_INT_H
#define POND_STORE_CHECK_INT_H

#include "store/store_int.h"

enum { CONTENT_OK, CONTENT_MISSING, CONTENT_SIZE, CONTENT_SHA };

/* One distinct content file the catalog refers to, and what was found on disk. */
typedef struct content_status {
    char *sha256;
    int64_t expected_size;
    int status;
    int64_t size;   /* found */
    char found[65]; /* found sha256 */
} content_status;

typedef struct checker {
    pond *p;
    int repair;
    pond_check_report *r;
    pond_check_fn fn;
    void *ctx;
    content_status *v; /* sorted by sha256 */
    size_t n;
    int catalog_ok;    /* the catalog passed its own checks: its references can be trusted */
    char **data_files; /* what data/ held before the snapshot ("ab", "ab/<sha256>", …) */
    size_t ndata;
    int writer_active; /* a writer held the lock when data/ was listed (not with repair) */
    pond_buf holder;   /* who, when it said */
} checker;

/* Report one finding through the caller's callback. */
void check_finding(checker *c, const char *fmt, ...) POND_PRINTF(2, 3);

/* A finding that is a problem (counted). */
void check_problem(checker *c, const char *fmt, ...) POND_PRINTF(2, 3);

/* The status of content sha256, or NULL when no version refers to it. */
content_status *check_find_content(checker *c, const char *sha256);

/* check_catalog.c: SQLite's integrity check, the foreign keys and the tree.  Sets
 * c->catalog_ok.  Corruption met on the way is a problem, not an error. */
int check_catalog(checker *c);

/* check_orphans.c: list data/ (before the snapshot is taken, see check.c). */
int check_list_data(checker *c);

/* check_orphans.c: report (with repair: remove) what data/ held that no version refers to,
 * and what crashed processes left under tmp/. */
int check_orphans(checker *c);

void check_free_data(checker *c);

#endif
