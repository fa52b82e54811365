/*
 * export/capture_names.c: the names of a match's captures in its output path (see
 * capture_names.h).  This is the one place that decides how a capture becomes a directory.
 */
#include <string.h>
#include <strings.h>

#include "export/capture_names.h"
#include "export/temporal.h"
#include "util/error.h"

#define MAX_NAME 64 /* longer than any sensible column name; bounds the copies below */

static int is_letter(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int ident_ok(const char *s, size_t n)
{
    if (n == 0 || n > MAX_NAME || !is_letter(s[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!is_letter(s[i]) && !(s[i] >= '0' && s[i] <= '9'))
            return 0;
    return 1;
}

/* The i-th name of text (0-based) as [*s, *s + *n); 0 when there is none. */
static int nth_name(const char *text, size_t i, const char **s, size_t *n)
{
    const char *p = text;
    for (size_t k = 0; k < i; k++) {
        if (!(p = strchr(p, ',')))
            return 0;
        p++;
    }
    *s = p;
    *n = strcspn(p, ",");
    return 1;
}

int pond_export__capture_names_check(const char *text, size_t *out_n)
{
    size_t count = 1, n, m;
    const char *s, *t;

    for (const char *p = text; *p; p++)
        count += *p == ',';
    for (size_t i = 0; i < count; i++) {
        nth_name(text, i, &s, &n);
        if (!ident_ok(s, n))
            return pond_error_set(POND_EINVALID,
                                  "capture name '%.*s' is not a name ([A-Za-z_][A-Za-z0-9_]*, "
                                  "at most %d characters; names are separated by ',')",
                                  (int)(n > MAX_NAME ? MAX_NAME : n), s, MAX_NAME);
        for (int l = 0; l < POND_TEMPORAL_MAX; l++) {
            const char *lv = pond_temporal_level_name(l);
            if (strlen(lv) == n && strncasecmp(lv, s, n) == 0)
                return pond_error_set(POND_EINVALID,
                                      "capture name '%.*s' is a --temporal level: the Hive "
                                      "column '%s' would be ambiguous",
                                      (int)n, s, lv);
        }
        for (size_t j = 0; j < i; j++) {
            nth_name(text, j, &t, &m);
            if (m == n && strncasecmp(s, t, n) == 0)
                return pond_error_set(POND_EINVALID, "capture name '%.*s' is given twice",
                                      (int)n, s);
        }
    }
    *out_n = count;
    return POND_OK;
}

int pond_export__capture_dirs(pond_buf *rel, const char *names, const pond_captures *caps,
                              const char *path, const char *pattern)
{
    int rc = POND_OK;
    size_t nnames = 0, n = 0;
    const char *s = "";

    if (names && (rc = pond_export__capture_names_check(names, &nnames)) != POND_OK)
        return rc;
    if (names && caps->n != nnames)
        return pond_error_set(POND_EINVALID,
                              "'%s' (pattern '%s') has %zu capture%s but --capture-names "
                              "'%s' gives %zu name%s: give one name per capture",
                              path, pattern, caps->n, caps->n == 1 ? "" : "s", names, nnames,
                              nnames == 1 ? "" : "s");
    for (size_t i = 0; i < caps->n && rc == POND_OK; i++) {
        const char *c = caps->v[i];
        if (!*c || strcmp(c, ".") == 0 || strcmp(c, "..") == 0 || strchr(c, '/'))
            return pond_error_set(POND_EINVALID,
                                  "'%s' (pattern '%s'): capture %zu is '%s', which cannot "
                                  "name an output directory",
                                  path, pattern, i, c);
        if (i && (rc = pond_buf_putc(rel, '/')) != POND_OK)
            break;
        if (!names) {
            rc = pond_buf_puts(rel, c);
            continue;
        }
        nth_name(names, i, &s, &n);
        if (strchr(c, '='))
            return pond_error_set(POND_EINVALID,
                                  "'%s' (pattern '%s'): capture %zu is '%s', which holds '=': "
                                  "a Hive reader would not read '%.*s=%s' back as it is (put "
                                  "the text before '=' into the pattern, as in 'res=*.series')",
                                  path, pattern, i, c, (int)n, s, c);
        rc = pond_buf_printf(rel, "%.*s=%s", (int)n, s, c);
    }
    return rc;
}
