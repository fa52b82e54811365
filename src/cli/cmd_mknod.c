/*
 * cli/cmd_mknod.c: pond mknod FACTORY PATH --config FILE [--overwrite]: make a dynamic node
 * (docs/derived.md).  One transaction; a bad config changes nothing.
 */
#include "cli/cli.h"
#include "cli/cli_options.h"

static const cli_help help = {
    "pond mknod FACTORY PATH --config FILE [--overwrite]",
    "Make a dynamic node: a directory, series or table computed from other entries when read.",
    "FACTORY is one of\n"
    "  temporal-reduce     PATH is a directory: for every match of in_pattern, PATH/<out_pattern>/\n"
    "                      holds res=<r>.series per resolution, rows time buckets (UTC, aligned\n"
    "                      to midnight) with aggregates named <column>_<agg>\n"
    "  sql-derived-series  PATH is a series: query over named inputs (patterns)\n"
    "  sql-derived-table   PATH is a table: the same\n"
    "The config (YAML) is checked wholly first, with file, line and column in every message,\n"
    "and stored in the pond as the node's config, versioned like a file.  The node reads the\n"
    "current versions of its sources whenever it is read (list, describe, cat, copy, export).\n"
    "See docs/derived.md for the keys of each factory.",
    "  pond mknod temporal-reduce /reduced --config reduce.yaml\n"
    "  pond mknod sql-derived-series /derived/fahrenheit.series --config f.yaml\n"
    "  pond mknod temporal-reduce /reduced --config reduce2.yaml --overwrite\n",
};

int cmd_mknod(int argc, char **argv, const cli_global *g)
{
    pond_mknod_options mo = POND_MKNOD_OPTIONS_INIT;
    const char *config = NULL;
    pond *p = NULL;
    int rc, first;
    const cli_option table[] = {
        CLI_OPT_STRING(0, "config", &config, "FILE", "the node's config (YAML); required"),
        CLI_OPT_FLAG(0, "overwrite", &mo.overwrite,
                     "PATH is a node already: store FILE as its new config version"),
        CLI_OPT_END,
    };

    if ((first = cli_parse_options(argc, argv, table, &help, &rc)) < 0)
        return rc;
    if (first >= argc)
        return cli_usage_error(argv[0], "no FACTORY given");
    if (first + 1 >= argc)
        return cli_usage_error(argv[0], "no PATH given");
    if (first + 2 < argc)
        return cli_usage_error(argv[0], "too many operands: '%s'", argv[first + 2]);
    if (!config)
        return cli_usage_error(argv[0], "--config FILE is required");
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        return rc;
    if (pond_mknod(p, argv[first], argv[first + 1], config, &mo) != POND_OK)
        rc = cli_fail();
    pond_close(p);
    return rc;
}
