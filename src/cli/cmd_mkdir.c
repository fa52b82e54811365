/*
 * cli/cmd_mkdir.c: pond mkdir [-p] PATH…: make directories in the pond.
 *
 * Each PATH is one transaction, made in the order given; the first failure stops the command
 * (directories made before it stay).
 */
#include "cli/cli.h"
#include "cli/cli_options.h"

static const cli_help help = {
    "pond mkdir [-p] PATH…",
    "Make directories in the pond.",
    "Each PATH is an absolute pond path.  Without -p the parent must exist and PATH must not.",
    "  pond mkdir /sites\n"
    "  pond mkdir -p /sites/BDock/raw /sites/Noyo/raw\n",
};

int cmd_mkdir(int argc, char **argv, const cli_global *g)
{
    pond *p = NULL;
    int parents = 0, rc, first;
    const cli_option table[] = {
        CLI_OPT_FLAG('p', "parents", &parents, "make missing parents too; no error if PATH exists"),
        CLI_OPT_END,
    };

    if ((first = cli_parse_options(argc, argv, table, &help, &rc)) < 0)
        return rc;
    if (first >= argc)
        return cli_usage_error(argv[0], "no PATH given");
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        return rc;
    for (int i = first; i < argc; i++) {
        if (pond_mkdir(p, argv[i], parents) != POND_OK) {
            rc = cli_fail();
            goto done;
        }
    }
done:
    pond_close(p);
    return rc;
}
