/*
 * cli/cli_options.h: a command's options declared as a table and parsed by one call (after
 * git's parse-options), instead of a getopt loop per command.
 *
 * A command parses into its own options struct; each entry says where its value goes:
 *
 *     typedef struct mkdir_args { int parents; } mkdir_args;
 *     mkdir_args a = {0};
 *     const cli_option table[] = {
 *         CLI_OPT_FLAG('p', "parents", &a.parents, "make missing parents too"),
 *         CLI_OPT_END,
 *     };
 *     int rc, first = cli_parse_options(argc, argv, table, &help, &rc);
 *     if (first < 0)
 *         return rc;        // --help was printed (0), or a usage error (2)
 *     // argv[first..argc) are the operands
 *
 * -h/--help is in every table already.  A value that is given twice: the last one counts
 * (a LIST keeps them all).  Values are checked as they are read, in command-line order, with
 * pond's usage messages ("pond CMD: …" and "try 'pond CMD --help'", exit 2).
 *
 * The options lines of --help (and so of the man page and the completion, cli/help_doc.c)
 * are written from the table, in its order, from each entry's arg and help:
 *
 *     CLI_OPT_LIST('p', "pattern", &a.patterns, NULL, "PATTERN", "files to export (repeatable)")
 *     CLI_OPT_FLAG(0, "update", &a.update, "rewrite only what changed since\n"
 *                  "the last export")
 *
 * give
 *
 *       -p, --pattern PATTERN  files to export (repeatable)
 *           --update           rewrite only what changed since
 *                              the last export
 *
 * The help column is the same for all of a table's lines: two spaces after its widest
 * option of up to 22 characters (at least column 24); a wider option has its help on the
 * lines below.  A help text breaks its own lines ('\n'), at the width of the others.
 */
#ifndef POND_CLI_OPTIONS_H
#define POND_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"

/* A word of a CHOICE and the value it stores. */
typedef struct cli_choice {
    const char *word;
    int value;
} cli_choice;

/* The values of a LIST option, in command-line order.  Room for as many values as argv has
 * words (a value takes at least one), allocated by cli_parse_options; free with
 * cli_list_free once the parse succeeded (a failed parse frees it). */
typedef struct cli_list {
    const char **items;
    size_t n;
} cli_list;

void cli_list_free(cli_list *list);

/* Parse or check value for the option of command cmd: CLI_EXIT_OK, else the exit code of a
 * usage error it printed (cli_usage_error). */
typedef int (*cli_option_fn)(const char *cmd, const char *value, void *dest);

typedef enum cli_option_kind {
    CLI_OPT_END_,    /* ends a table */
    CLI_OPT_FLAG_,   /* no value: int *dest = 1 */
    CLI_OPT_STRING_, /* const char **dest = the value */
    CLI_OPT_INT_,    /* int64_t *dest = a decimal number in [min, max] */
    CLI_OPT_LIST_,   /* repeatable: appended to cli_list *dest (check: fn, when not NULL) */
    CLI_OPT_CHOICE_, /* int *dest = the value of the choice the word names */
    CLI_OPT_PARSE_   /* fn(cmd, value, dest) parses and stores the value */
} cli_option_kind;

typedef struct cli_option {
    int short_name;         /* 'p', or 0: none */
    const char *long_name;  /* "pattern" for --pattern */
    cli_option_kind kind;
    void *dest;             /* where the value goes: see the kinds */
    int64_t min, max;       /* INT: the range */
    const char *what;       /* INT: what the number is, for "--skip is <what>, not 'x'" */
    const cli_choice *choices; /* CHOICE: ends with {NULL, 0} */
    cli_option_fn fn;       /* PARSE: the parser; LIST: a check of each value, or NULL */
    const char *arg;        /* --help: the value's name ("PATTERN"); NULL for a FLAG */
    const char *help;       /* --help: what it does; '\n' starts another line */
} cli_option;

/* The entries.  The dest arguments are type-checked (_Generic): a wrong pointer does not
 * compile. */
#define CLI_OPT_FLAG(s, l, d, help) \
    {(s), (l), CLI_OPT_FLAG_, _Generic((d), int *: (d)), 0, 0, NULL, NULL, NULL, NULL, (help)}
#define CLI_OPT_STRING(s, l, d, arg, help)                                                     \
    {(s), (l), CLI_OPT_STRING_, _Generic((d), const char **: (d)), 0, 0, NULL, NULL, NULL,   \
     (arg), (help)}
#define CLI_OPT_INT(s, l, d, lo, hi, what, arg, help)                                          \
    {(s), (l), CLI_OPT_INT_, _Generic((d), int64_t *: (d)), (lo), (hi), (what), NULL, NULL,  \
     (arg), (help)}
#define CLI_OPT_LIST(s, l, d, check, arg, help)                                                \
    {(s), (l), CLI_OPT_LIST_, _Generic((d), cli_list *: (d)), 0, 0, NULL, NULL, (check),     \
     (arg), (help)}
#define CLI_OPT_CHOICE(s, l, d, choices, arg, help)                                            \
    {(s), (l), CLI_OPT_CHOICE_, _Generic((d), int *: (d)), 0, 0, NULL, (choices), NULL,      \
     (arg), (help)}
#define CLI_OPT_PARSE(s, l, d, fn, arg, help) \
    {(s), (l), CLI_OPT_PARSE_, (d), 0, 0, NULL, NULL, (fn), (arg), (help)}
#define CLI_OPT_END {0, NULL, CLI_OPT_END_, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL}

/* -f, --fs FS (data|control) into a pond_fs (the library's words and message). */
#define CLI_OPT_FS(d, help) \
    CLI_OPT_PARSE('f', "fs", _Generic((d), pond_fs *: (d)), cli_parse_fs, "FS", help)
int cli_parse_fs(const char *cmd, const char *value, void *dest);

/* --format FORMAT (table|csv|json) of list, describe, show and check into an int (a
 * cli_format). */
extern const cli_choice cli_format_choices[];
#define CLI_OPT_FORMAT(d, help) CLI_OPT_CHOICE(0, "format", d, cli_format_choices, "FORMAT", help)

/* The most entries a table holds (besides --help and the end). */
#define CLI_MAX_OPTIONS 30

/* Write the options lines of table's --help to f (the layout above). */
void cli_write_option_lines(FILE *f, const cli_option *table);

/* Parse the options of argv (argv[0] is the command name) against table, storing each value
 * where its entry says; help is printed for -h/--help.  Options may follow operands; "--"
 * ends the options.  Returns the index of the first operand (the operands are then
 * argv[first..argc)), or -1 when the command is done: *exit_code is then CLI_EXIT_OK after
 * --help, or CLI_EXIT_USAGE after a usage error was printed. */
int cli_parse_options(int argc, char **argv, const cli_option *table, const cli_help *help,
                      int *exit_code);

#endif
