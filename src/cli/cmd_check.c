/*
 * cli/cmd_check.c: pond check [--repair]: verify the catalog (SQLite's integrity check, the
 * tree, the schema) and every version's content file (exists, size, sha256), and look for
 * orphans (content no version refers to, left by a crash); --repair removes the orphans.
 * Prints each finding, then a summary line (not with --quiet).  Exits 1 when the pond is corrupt (a damaged
 * catalog, missing or damaged content); orphans alone are not corruption.
 */
#include <inttypes.h>

#include "cli/cli.h"

static const cli_help help = {
    "pond check [--repair] [--quiet]",
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
    "says so).  --repair is a writer: it waits for the pond like any writer (--wait).",
    "  --repair              remove orphans (never while the catalog has problems)\n"
    "  -q, --quiet           no summary line\n",
    "  pond check\n"
    "  pond check --repair\n",
};

static void print_finding(const char *finding, void *ctx)
{
    printf("%s\n", finding);
}

int cmd_check(int argc, char **argv, const cli_global *g)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {"repair", no_argument, NULL, 'r'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {NULL, 0, NULL, 0}};
    pond_check_report r = {0, 0, 0, 0};
    pond *p = NULL;
    int c, rc, repair = 0, quiet = 0, crc;

    cli_options_begin();
    while ((c = cli_next_option(argc, argv, "hq", opts)) != -1) {
        switch (c) {
        case 'h':
            return cli_print_help(&help);
        case 'q':
            quiet = 1;
            break;
        case 'r':
            repair = 1;
            break;
        default:
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        return rc;
    crc = pond_check(p, repair, &r, print_finding, NULL);
    if (!quiet && (crc == POND_OK || crc == POND_ECORRUPT)) {
        printf("checked %" PRId64 " versions: %" PRId64 " problems, %" PRId64 " orphans",
               r.versions_checked, r.problems, r.orphans);
        if (repair)
            printf(", %" PRId64 " removed", r.repaired);
        printf("\n");
    }
    if (crc != POND_OK)
        rc = cli_fail();
    pond_close(p);
    return rc;
}
