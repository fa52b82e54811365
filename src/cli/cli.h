/*
 * cli/cli.h: what the command files of the pond CLI share.  The CLI reaches libpond only
 * through pond.h.  One file per command (cmd_<name>.c), dispatched from main.c's table.
 */
#ifndef POND_CLI_H
#define POND_CLI_H

#include "pond.h"

/* Exit codes of the pond executable. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_ERROR = 1, /* a user error or a failure: the message says which */
    CLI_EXIT_USAGE = 2  /* bad command line: unknown option, missing argument */
};

/* What main() found before the command name. */
typedef struct cli_global {
    const char *pond_path;    /* --pond PATH, else $POND, else NULL */
    const char *command_line; /* the whole command line, for the transaction log */
} cli_global;

/* A command: argv[0] is the command name, options follow (parse with getopt_long). */
typedef int (*cli_command_fn)(int argc, char **argv, const cli_global *g);

/* Print "pond: <pond_error_last()>" to stderr and return CLI_EXIT_ERROR. */
int cli_fail(void);

/* Print "pond <cmd>: <message>" and a hint to run --help to stderr; return CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Open the pond named by g (or fail with a message saying to use --pond or POND). */
int cli_open_pond(pond **out, const cli_global *g);

int cmd_export(int argc, char **argv, const cli_global *g);

#endif
