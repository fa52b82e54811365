/*
 * cli/cmd_init.c: pond init [PATH]: create an empty pond.
 *
 * The pond is made at PATH when given, else at --pond/POND.  The directory is created when
 * missing; a directory that is not empty is refused and left as it was.  Init is atomic (of
 * two at once exactly one succeeds; a failed or killed one leaves nothing in the way).
 */
#include "cli/cli.h"
#include "cli/cli_options.h"

static const cli_help help = {
    "pond init [PATH]",
    "Create an empty pond.",
    "Makes the pond directory (when missing) with its catalog (catalog.sqlite), data/, tmp/\n"
    "and lock.  The pond is PATH when given, else the one named by --pond or POND.  A\n"
    "directory that already holds anything is refused.  Init is atomic: of two inits of one\n"
    "directory at once exactly one succeeds, the other says the directory is being\n"
    "initialised or is a pond; an init that fails or is killed leaves nothing that keeps the\n"
    "next one from succeeding.",
    "  pond init /srv/ponds/noyo\n"
    "  POND=/srv/ponds/noyo pond init\n",
};

int cmd_init(int argc, char **argv, const cli_global *g)
{
    const cli_option table[] = {CLI_OPT_END}; /* --help only */
    const char *path;
    int rc, first;

    if ((first = cli_parse_options(argc, argv, table, &help, &rc)) < 0)
        return rc;
    if (argc - first > 1)
        return cli_usage_error(argv[0], "too many arguments");
    path = first < argc ? argv[first] : g->pond_path;
    if (!path || !*path)
        return cli_usage_error(argv[0], "no pond given: name PATH, or use --pond PATH or POND");
    if (pond_init(path) != POND_OK)
        return cli_fail();
    printf("initialized empty pond in %s\n", path);
    return CLI_EXIT_OK;
}
