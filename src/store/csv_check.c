/*
 * store/csv_check.c: a structural check of a CSV file before DuckDB reads it, because
 * DuckDB's dialect sniffer accepts broken files silently (it skips "junk" leading rows, or
 * picks a delimiter that is not there) or fails without a line number.  pond's CSV is
 * RFC 4180: a header line, then records with as many fields, '"' quoting with '""' inside
 * quotes, \n or \r\n line ends; blank lines are skipped.  The file is read once, streamed.
 */
#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char candidates[] = {',', ';', '\t', '|'};

/* Count the candidate delimiters outside quotes on the header line. */
static char pick_delimiter(FILE *f)
{
    long counts[sizeof candidates] = {0};
    int c, inq = 0;
    size_t i, best = 0;

    while ((c = getc_unlocked(f)) != EOF) {
        if (c == '"')
            inq = !inq;
        else if (!inq && (c == '\n' || c == '\r'))
            break;
        else if (!inq)
            for (i = 0; i < sizeof candidates; i++)
                if (c == candidates[i])
                    counts[i]++;
    }
    for (i = 1; i < sizeof candidates; i++)
        if (counts[i] > counts[best])
            best = i;
    return candidates[best];
}

int store_csv_check(const char *path, char *delim)
{
    enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED } state = FIELD_START;
    FILE *f = NULL;
    long line = 1, record_line = 1, expected = -1, fields = 1, records = 0;
    int c, empty_record = 1, rc = POND_OK;
    char d;

    if (!(f = fopen(path, "rb")))
        return pond_error_set(errno == ENOENT ? POND_ENOTFOUND : POND_ERROR, "%s", strerror(errno));
    /* skip a UTF-8 byte order mark */
    if (!((c = getc_unlocked(f)) == 0xEF && getc_unlocked(f) == 0xBB && getc_unlocked(f) == 0xBF))
        rewind(f);
    {
        long start = ftell(f);
        d = pick_delimiter(f);
        fseek(f, start, SEEK_SET);
    }
    for (;;) {
        c = getc_unlocked(f);
        if (c == EOF || ((c == '\n' || c == '\r') && state != QUOTED)) {
            if (c == '\r') {
                int n = getc_unlocked(f);
                if (n != '\n' && n != EOF)
                    ungetc(n, f);
            }
            if (!empty_record) {
                records++;
                if (expected < 0)
                    expected = fields;
                else if (fields != expected) {
                    rc = pond_error_set(POND_EINVALID, "line %ld: expected %ld field%s, found %ld",
                                        record_line, expected, expected == 1 ? "" : "s", fields);
                    goto done;
                }
            }
            if (c == EOF)
                break;
            line++;
            record_line = line;
            fields = 1;
            empty_record = 1;
            state = FIELD_START;
            continue;
        }
        empty_record = 0;
        switch (state) {
        case FIELD_START:
            if (c == '"')
                state = QUOTED;
            else if (c == d)
                fields++;
            else
                state = UNQUOTED;
            break;
        case UNQUOTED:
            if (c == d) {
                fields++;
                state = FIELD_START;
            }
            break;
        case QUOTED:
            if (c == '"')
                state = QUOTE_IN_QUOTED;
            else if (c == '\n')
                line++;
            break;
        case QUOTE_IN_QUOTED:
            if (c == '"') {
                state = QUOTED;
            } else if (c == d) {
                fields++;
                state = FIELD_START;
            } else {
                state = UNQUOTED; /* text after a closing quote: taken as is */
            }
            break;
        }
    }
    if (ferror(f)) {
        rc = pond_error_set(POND_ERROR, "%s", strerror(errno));
        goto done;
    }
    if (state == QUOTED) {
        rc = pond_error_set(POND_EINVALID, "line %ld: unterminated quoted field", record_line);
        goto done;
    }
    if (records == 0) {
        rc = pond_error_set(POND_EINVALID, "the file is empty (no header line)");
        goto done;
    }
    *delim = d;
done:
    fclose(f);
    return rc;
}
