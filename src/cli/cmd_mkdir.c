/*
 * cli/cmd_mkdir.c: pond mkdir [-p] PATH…: make directories in the pond.
 *
 * Each PATH is one transaction, made in the order given; the first failure stops the command
 * (directories made before it stay).
 */
#include "cli/cli.h"

static const cli_help help = {
    "pond mkdir [-p] PATH…",
    "Make directories in the pond.",
    "Each PATH is an absolute pond path.  Without -p the parent must exist and PATH must not.",
    "  -p, --parents         make missing parents too; no error if PATH exists\n",
    "  pond mkdir /sites\n"
    "  pond mkdir -p /sites/BDock/raw /sites/Noyo/raw\n",
};

int cmd_mkdir(int argc, char **argv, const cli_global *g)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {"parents", no_argument, NULL, 'p'},
                                         {NULL, 0, NULL, 0}};
    pond *p = NULL;
    int c, parents = 0, rc;

    cli_options_begin();
    while ((c = cli_next_option(argc, argv, "hp", opts)) != -1) {
        switch (c) {
        case 'h':
            return cli_print_help(&help);
        case 'p':
            parents = 1;
            break;
        default:
            return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage_error(argv[0], "no PATH given");
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        return rc;
    for (int i = optind; i < argc; i++) {
        if (pond_mkdir(p, argv[i], parents) != POND_OK) {
            rc = cli_fail();
            goto done;
        }
    }
done:
    pond_close(p);
    return rc;
}
