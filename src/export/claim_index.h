/*
 * export/claim_index.h: the output paths claimed so far in one export run, indexed so that a
 * new claim is checked against all earlier ones in O(depth * log n) rather than one by one.
 * Two claims overlap when they are the same path or one is a directory above the other.
 */
#ifndef POND_EXPORT_CLAIM_INDEX_H
#define POND_EXPORT_CLAIM_INDEX_H

#include <stddef.h>

typedef struct pond_claim_index pond_claim_index;

int pond_claim_index_new(pond_claim_index **out);

/* NULL is a no-op. */
void pond_claim_index_free(pond_claim_index *ix);

/* The number of an earlier claim that overlaps rel ('/'-separated, relative), or -1. */
long pond_claim_index_find_overlap(const pond_claim_index *ix, const char *rel);

/* Record rel as claim number n (the caller has checked it overlaps nothing). */
int pond_claim_index_add(pond_claim_index *ix, const char *rel, size_t n);

#endif
