/*
 * cli/closest.c: "did you mean 'export'?" for a mistyped command name.
 *
 * The distance is the optimal string alignment distance (insert, delete, replace, or swap two
 * neighbours, each one step), so "exprot" is one step from "export".  A candidate is offered
 * when it is at most 1 step away (2 for words of five or more letters), or when the word is
 * the start of exactly one candidate; a tie between two candidates offers none.
 */
#include <string.h>

#include "cli/cli.h"

#define MAX_WORD 32 /* longer words are no typo of a command name */

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* The optimal string alignment distance of a and b (both at most MAX_WORD long). */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t d[MAX_WORD + 1][MAX_WORD + 1];

    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    }
    return d[la][lb];
}

const char *cli_closest(const char *word, const char *const *candidates, size_t n)
{
    size_t lw = strlen(word), best = (size_t)-1, limit = lw >= 5 ? 2 : 1;
    const char *pick = NULL, *prefix = NULL;
    int tie = 0, prefixes = 0;

    if (lw == 0 || lw > MAX_WORD)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t lc = strlen(candidates[i]);
        if (lc > MAX_WORD)
            continue;
        if (lw >= 2 && lw < lc && strncmp(word, candidates[i], lw) == 0) {
            prefix = candidates[i];
            prefixes++;
        }
        size_t dist = distance(word, lw, candidates[i], lc);
        if (dist < best) {
            best = dist;
            pick = candidates[i];
            tie = 0;
        } else if (dist == best) {
            tie = 1;
        }
    }
    if (pick && best <= limit && !tie)
        return pick;
    return prefixes == 1 ? prefix : NULL;
}
