/*
 * cli/cmd_check.c: pond check [--repair]: verify the catalog (SQLite's integrity check, the
 * tree, the schema) and every version's content file (exists, size, sha256), and look for
 * orphans (content no version refers to, left by a crash); --repair removes the orphans.
 * Prints each finding, then a summary line (not with --quiet), or the same as CSV records or
 * one JSON object (--format).  Exits 1 when the pond is corrupt (a damaged catalog, missing
 * or damaged content); orphans alone are not corruption.
 */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_options.h"

static const cli_help help = {
    "pond check [--repair] [--quiet] [--format table|csv|json]",
    "Verify every stored version; report or remove orphans.",
    "Checks the catalog (catalog.sqlite: SQLite's integrity check, its schema, every entry\n"
    "under an existing directory, every version of an existing file), that every version's\n"
    "content file exists with its recorded size and sha256, and looks for files nothing\n"
    "refers to (orphans: what a crash before a commit leaves in data/ and tmp/).  Prints one\n"
    "line per finding and a summary.  Exits 1 when the catalog is damaged or content is\n"
    "missing or damaged (the pond is corrupt); orphans alone leave the pond sound (exit 0).\n"
    "With --quiet only the findings are printed: nothing at all for a sound pond.\n"
    "\n"
    "A check is a reader: it runs while other commands write (it then leaves data/ alone and\n"
    "says so).  --repair is a writer: it waits for the pond like any writer (--wait).\n"
    "\n"
    "--format csv prints a record (kind, finding) per finding, kind being problem, orphan,\n"
    "removed or note, and a last record of kind summary (not with --quiet).  --format json\n"
    "prints one object: findings (an array of {kind, finding}), versions_checked, problems,\n"
    "orphans, repaired, sound (true unless there are problems) and error (the message when\n"
    "the check could not finish, else null).  The exit status is the same in every format.",
    "  pond check\n"
    "  pond check --repair\n"
    "  pond check --format json\n",
};

static const char *const record_columns[] = {"kind", "finding"};

typedef struct check_state {
    cli_format format;
    cli_records rec;
    const pond_check_report *r; /* pond_check counts a finding before it reports it */
    pond_check_report seen;     /* the counts at the previous finding */
} check_state;

/* What a finding is, from the count it raised. */
static const char *finding_kind(check_state *st)
{
    const char *kind = st->r->problems > st->seen.problems   ? "problem"
                       : st->r->repaired > st->seen.repaired ? "removed"
                       : st->r->orphans > st->seen.orphans   ? "orphan"
                                                             : "note";
    st->seen = *st->r;
    return kind;
}

static void print_finding(const char *finding, void *ctx)
{
    check_state *st = ctx;
    const char *kind = finding_kind(st);

    if (st->format == CLI_FORMAT_TABLE) {
        printf("%s\n", finding);
    } else if (st->format == CLI_FORMAT_CSV) {
        cli_records_str(&st->rec, kind);
        cli_records_str(&st->rec, finding);
        cli_records_row_end(&st->rec);
    } else {
        fputs(st->rec.rows++ ? ",\n" : "\n", stdout);
        cli_json_write(stdout, json_pack("{s:s,s:o}", "kind", kind, "finding", cli_json_str(finding)));
    }
}

/* The summary line (table), record (csv) or the rest of the object (json). */
static int print_summary(check_state *st, const pond_check_report *r, int repair, int quiet,
                         int crc)
{
    char line[256];
    int n = snprintf(line, sizeof line,
                     "checked %" PRId64 " versions: %" PRId64 " problems, %" PRId64 " orphans",
                     r->versions_checked, r->problems, r->orphans);
    if (repair && n > 0 && (size_t)n < sizeof line)
        snprintf(line + n, sizeof line - (size_t)n, ", %" PRId64 " removed", r->repaired);
    if (st->format == CLI_FORMAT_JSON) {
        printf("%s],\n\"versions_checked\":%" PRId64 ",\"problems\":%" PRId64
               ",\"orphans\":%" PRId64 ",\"repaired\":%" PRId64 ",\"sound\":%s,\"error\":",
               st->rec.rows ? "\n" : "", r->versions_checked, r->problems, r->orphans,
               r->repaired, crc == POND_OK ? "true" : "false");
        cli_json_write(stdout, crc == POND_OK || crc == POND_ECORRUPT
                                   ? json_null()
                                   : cli_json_str(pond_error_last()));
        fputs("}\n", stdout);
        return fflush(stdout) != 0 || ferror(stdout) ? cli_error("cannot write the output")
                                                      : CLI_EXIT_OK;
    }
    if (quiet || (crc != POND_OK && crc != POND_ECORRUPT)) {
        if (st->format == CLI_FORMAT_CSV)
            return cli_records_end(&st->rec);
        return CLI_EXIT_OK;
    }
    if (st->format == CLI_FORMAT_CSV) {
        cli_records_str(&st->rec, "summary");
        cli_records_str(&st->rec, line);
        cli_records_row_end(&st->rec);
        return cli_records_end(&st->rec);
    }
    printf("%s\n", line);
    return CLI_EXIT_OK;
}

int cmd_check(int argc, char **argv, const cli_global *g)
{
    pond_check_report r = {0, 0, 0, 0};
    check_state st;
    pond *p = NULL;
    int rc, repair = 0, quiet = 0, format = CLI_FORMAT_TABLE, first, crc, src;
    const cli_option table[] = {
        CLI_OPT_FLAG(0, "repair", &repair, "remove orphans (never while the catalog has problems)"),
        CLI_OPT_FLAG('q', "quiet", &quiet, "no summary line"),
        CLI_OPT_FORMAT(&format, "table (default), csv or json (one object)"),
        CLI_OPT_END,
    };

    memset(&st, 0, sizeof st);
    st.r = &r;
    if ((first = cli_parse_options(argc, argv, table, &help, &rc)) < 0)
        return rc;
    st.format = (cli_format)format;
    if (first < argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[first]);
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        return rc;
    if (st.format == CLI_FORMAT_CSV)
        cli_records_begin(&st.rec, st.format, stdout, record_columns,
                          sizeof record_columns / sizeof *record_columns);
    else if (st.format == CLI_FORMAT_JSON)
        fputs("{\"findings\":[", stdout);
    crc = pond_check(p, repair, &r, print_finding, &st);
    src = print_summary(&st, &r, repair, quiet, crc);
    if (crc != POND_OK)
        rc = cli_fail();
    else
        rc = src;
    pond_close(p);
    return rc;
}
