/*
 * cli/cmd_show.c: pond show [-v] [--format F]: print the transaction log, oldest first, one
 * line each: sequence number, start time (UTC), status and the command line; or all of each
 * transaction as CSV / JSON records.
 */
#include <inttypes.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_options.h"

static const cli_help help = {
    "pond show [-v] [--format table|csv|json]",
    "Print the transaction log.",
    "One line per transaction, oldest first: its sequence number, start time (UTC), status\n"
    "(committed or aborted) and the command line that made it.  With -v also its id, end\n"
    "time and variables.  The same records are the control file system (pond list -f control).\n"
    "--format csv or json prints every transaction as a record: seq, id, start_time,\n"
    "end_time (ISO-8601 UTC), status, command and variables (a JSON object; in csv its text).",
    "  pond show\n"
    "  pond show -v\n"
    "  pond show --format json\n",
};

static const char *const record_columns[] = {"seq",    "id",      "start_time", "end_time",
                                             "status", "command", "variables"};

typedef struct show_state {
    int verbose;
    cli_format format;
    cli_records rec;
} show_state;

static int print_txn(const pond_txn_info *t, void *ctx)
{
    show_state *st = ctx;
    int verbose = st->verbose;
    char start[48], end[48];

    if (st->format != CLI_FORMAT_TABLE) {
        cli_records_int(&st->rec, t->seq);
        cli_records_str(&st->rec, t->id);
        cli_records_time(&st->rec, t->start_time);
        cli_records_time(&st->rec, t->end_time);
        cli_records_str(&st->rec, t->status);
        cli_records_str(&st->rec, t->command);
        cli_records_json(&st->rec, t->variables ? t->variables : "{}");
        cli_records_row_end(&st->rec);
        return 0;
    }

    printf("%6" PRId64 "  %-27s  %-9s  %s\n", t->seq,
           cli_format_time(start, sizeof start, t->start_time), t->status ? t->status : "-",
           t->command ? t->command : "");
    if (verbose)
        printf("        id %s  end %s  variables %s\n", t->id ? t->id : "-",
               cli_format_time(end, sizeof end, t->end_time), t->variables ? t->variables : "{}");
    return 0;
}

int cmd_show(int argc, char **argv, const cli_global *g)
{
    pond *p = NULL;
    show_state st;
    int rc, format = CLI_FORMAT_TABLE, first;

    memset(&st, 0, sizeof st);
    const cli_option table[] = {
        CLI_OPT_FLAG('v', "verbose", &st.verbose,
                     "also print each transaction's id, end time and variables"),
        CLI_OPT_FORMAT(&format, "table (default), csv or json (one array of objects)"),
        CLI_OPT_END,
    };
    if ((first = cli_parse_options(argc, argv, table, &help, &rc)) < 0)
        return rc;
    st.format = (cli_format)format;
    if (first < argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[first]);
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        return rc;
    if (st.format != CLI_FORMAT_TABLE)
        cli_records_begin(&st.rec, st.format, stdout, record_columns,
                          sizeof record_columns / sizeof *record_columns);
    if (pond_txn_log(p, print_txn, &st) < 0)
        rc = cli_fail();
    if (st.format != CLI_FORMAT_TABLE && cli_records_end(&st.rec) != CLI_EXIT_OK && !rc)
        rc = CLI_EXIT_ERROR;
    pond_close(p);
    return rc;
}
