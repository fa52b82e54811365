/*
 * cli/cmd_cat.c: pond cat [-f data|control] PATH [--sql Q] [--format F] [--start-time T]
 * [--end-time T]: print a file's content to standard output.
 *
 * A data file is printed as its bytes; a table or series (the union of its versions, streamed
 * by the library) in the chosen format, through --sql when given.  Parquet is refused on a
 * terminal.
 */
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_options.h"

static const cli_help help = {
    "pond cat [-f data|control] PATH [--sql QUERY] [--format table|csv|json|parquet]\n"
    "                [--start-time T] [--end-time T]",
    "Print a file, optionally through SQL.",
    "A data file prints as its bytes.  A table or series prints as rows; a series is the\n"
    "union of all its versions.  --sql runs QUERY over the file as the table 'series'\n"
    "(the default is SELECT * FROM series).  --start-time and --end-time keep the rows of a\n"
    "series whose event time t has START <= t < END: the start is inclusive, the end\n"
    "exclusive.  Times are ISO-8601 and UTC unless they carry an offset: 2024-07-20,\n"
    "2024-07-20T06:00:00Z, 2024-07-20T08:00:00+02:00.",
    "  pond cat /sites/BDock.series --format csv\n"
    "  pond cat /sites/BDock.series --start-time 2024-07-20 --end-time 2024-07-21\n"
    "  pond cat /sites/BDock.series --sql 'SELECT max(temperature_c) FROM series'\n"
    "  pond cat /sites/BDock.series --format parquet > bdock.parquet\n",
};

/* --format table|csv|json|parquet: the library's words and message. */
static int parse_output_format(const char *cmd, const char *value, void *dest)
{
    if (pond_output_format_parse(dest, value) != POND_OK)
        return cli_usage_error(cmd, "%s", pond_error_last());
    return CLI_EXIT_OK;
}

int cmd_cat(int argc, char **argv, const cli_global *g)
{
    pond_cat_options copts = POND_CAT_OPTIONS_INIT;
    pond_fs fs = POND_FS_DATA;
    pond *p = NULL;
    int64_t t;
    int rc, first;
    const cli_option table[] = {
        CLI_OPT_STRING(0, "sql", &copts.sql, "QUERY", "a query over the table 'series'"),
        CLI_OPT_PARSE(0, "format", &copts.format, parse_output_format, "FORMAT",
                      "table (default), csv, json (one array of row objects) or\n"
                      "parquet (not to a terminal)"),
        CLI_OPT_STRING(0, "start-time", &copts.start_time, "T",
                       "first event time to include (inclusive)"),
        CLI_OPT_STRING(0, "end-time", &copts.end_time, "T", "event time to stop at (exclusive)"),
        CLI_OPT_FS(&fs, "the file system: data (default) or control"),
        CLI_OPT_END,
    };

    if ((first = cli_parse_options(argc, argv, table, &help, &rc)) < 0)
        return rc;
    if (first >= argc)
        return cli_usage_error(argv[0], "no PATH given");
    if (argc - first > 1)
        return cli_usage_error(argv[0], "too many arguments");
    /* Bad times are the user's error, found before the pond is opened. */
    if (copts.start_time && pond_time_parse(&t, copts.start_time) != POND_OK)
        return cli_fail();
    if (copts.end_time && pond_time_parse(&t, copts.end_time) != POND_OK)
        return cli_fail();
    if (copts.format == POND_OUTPUT_PARQUET && isatty(STDOUT_FILENO))
        return cli_error("not writing Parquet to a terminal: redirect standard output, or use "
                         "'pond copy PATH host:FILE'");
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        return rc;
    if (pond_cat(p, fs, argv[first], &copts, stdout) != POND_OK)
        rc = cli_fail();
    pond_close(p);
    return rc;
}
