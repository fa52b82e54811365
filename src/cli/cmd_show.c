/*
 * cli/cmd_show.c: pond show: print the transaction log, oldest first, one line each:
 * sequence number, start time (UTC), status and the command line.
 */
#include <inttypes.h>

#include "cli/cli.h"

static const cli_help help = {
    "pond show [-v]",
    "Print the transaction log.",
    "One line per transaction, oldest first: its sequence number, start time (UTC), status\n"
    "(committed or aborted) and the command line that made it.  With -v also its id, end\n"
    "time and variables.  The same records are the control file system (pond list -f control).",
    "  -v, --verbose         also print each transaction's id, end time and variables\n",
    "  pond show\n"
    "  pond show -v\n",
};

static int print_txn(const pond_txn_info *t, void *ctx)
{
    int verbose = *(int *)ctx;
    char start[48], end[48];

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
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {NULL, 0, NULL, 0}};
    pond *p = NULL;
    int c, rc, verbose = 0;

    cli_options_begin();
    while ((c = cli_next_option(argc, argv, "hv", opts)) != -1) {
        switch (c) {
        case 'h':
            return cli_print_help(&help);
        case 'v':
            verbose = 1;
            break;
        default:
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        return rc;
    if (pond_txn_log(p, print_txn, &verbose) < 0)
        rc = cli_fail();
    pond_close(p);
    return rc;
}
