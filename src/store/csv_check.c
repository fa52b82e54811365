/*
 * store/csv_check.c: a structural check of a CSV file before DuckDB reads it, because
 * DuckDB's dialect sniffer accepts broken files silently (it skips "junk" leading rows, or
 * picks a delimiter that is not there) or fails without a line number.  pond's CSV is
 * RFC 4180: optional lines to skip (a logger's preamble, taken as they are, quotes and all,
 * as DuckDB's skip takes them), a header line, then records with as many fields, '"'
 * quoting with '""' inside quotes, \n or \r\n line ends; blank lines are skipped.  A gzip
 * file is read through zlib (what DuckDB reads with compression 'gzip'); any other file as
 * it is.  The file is read once to pick the delimiter from the header (unless given) and
 * once to check, streamed.
 */
#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

static const char candidates[] = {',', ';', '\t', '|'};

/* Rewind f and skip a UTF-8 byte order mark and the lines before the header; *line is then
 * the header's line number.  Returns 0, or -1 when the file ends first. */
static int to_header(gzFile f, int64_t skip, long *line)
{
    int c;

    gzrewind(f);
    if (!((c = gzgetc(f)) == 0xEF && gzgetc(f) == 0xBB && gzgetc(f) == 0xBF))
        gzrewind(f);
    *line = 1;
    for (int64_t i = 0; i < skip; i++) {
        while ((c = gzgetc(f)) != -1 && c != '\n' && c != '\r')
            ;
        if (c == -1)
            return -1;
        if (c == '\r' && (c = gzgetc(f)) != '\n' && c != -1)
            gzungetc(c, f);
        (*line)++;
    }
    return 0;
}

/* The candidate delimiter most often outside quotes on the header line (',' on ties). */
static char pick_delimiter(gzFile f)
{
    long counts[sizeof candidates] = {0};
    int c, inq = 0;
    size_t i, best = 0;

    while ((c = gzgetc(f)) != -1) {
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

/* POND_OK, or the error of a gzip stream that does not decompress. */
static int read_error(gzFile f)
{
    int errnum = Z_OK;
    const char *msg = gzerror(f, &errnum);
    if (errnum == Z_ERRNO)
        return pond_error_set(POND_ERROR, "%s", strerror(errno));
    if (errnum != Z_OK && errnum != Z_STREAM_END)
        return pond_error_set(POND_EINVALID, "cannot decompress the gzip file: %s", msg);
    return POND_OK;
}

int store_csv_check(const char *path, store_csv_dialect *dialect)
{
    enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED } state = FIELD_START;
    gzFile f = NULL;
    long line = 1, record_line = 1, expected = -1, fields = 1, records = 0;
    int c, empty_record = 1, rc = POND_OK;
    char d = dialect->delimiter;

    if (dialect->skip < 0)
        return pond_error_set(POND_EINVALID, "a negative number of lines to skip");
    if (!(f = gzopen(path, "rb")))
        return pond_error_set(errno == ENOENT ? POND_ENOTFOUND : POND_ERROR, "%s",
                              errno ? strerror(errno) : "cannot open");
    gzbuffer(f, 128 * 1024);
    if (to_header(f, dialect->skip, &line) < 0)
        goto no_header;
    if (!d) {
        d = pick_delimiter(f);
        if ((rc = read_error(f)) < 0)
            goto done;
        to_header(f, dialect->skip, &line);
    }
    record_line = line;
    for (;;) {
        c = gzgetc(f);
        if (c == -1 || ((c == '\n' || c == '\r') && state != QUOTED)) {
            /* a gzip stream cut short ends early: say so, not that its last record is short */
            if (c == -1 && (rc = read_error(f)) < 0)
                goto done;
            if (c == '\r') {
                int n = gzgetc(f);
                if (n != '\n' && n != -1)
                    gzungetc(n, f);
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
            if (c == -1)
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
    if ((rc = read_error(f)) < 0)
        goto done;
    if (state == QUOTED) {
        rc = pond_error_set(POND_EINVALID, "line %ld: unterminated quoted field", record_line);
        goto done;
    }
    if (records == 0) {
    no_header:
        if ((rc = read_error(f)) < 0)
            goto done;
        if (dialect->skip > 0)
            rc = pond_error_set(POND_EINVALID, "no header line after the %lld skipped line%s",
                                (long long)dialect->skip, dialect->skip == 1 ? "" : "s");
        else
            rc = pond_error_set(POND_EINVALID, "the file is empty (no header line)");
        goto done;
    }
    dialect->delimiter = d;
    dialect->gzip = !gzdirect(f);
done:
    gzclose(f);
    return rc;
}
