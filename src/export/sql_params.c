/*
 * export/sql_params.c: identifier validation and parameter rewriting for stage SQL
 * (see sql_params.h).
 */
#include <string.h>
#include "export/sql_params.h"

int pond_export__sql_ident_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 63)
        return 0;
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return 0;
    for (const char *p = s + 1; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return 0;
    return 1;
}
