/*
 * cli/cli.h: what the command files of the pond CLI share.  The CLI reaches libpond only
 * through pond.h.  One file per command (cmd_<name>.c), dispatched from main.c's table.
 *
 * A command declares its options in a table of cli_option entries (cli/cli_options.h: each
 * with its short letter, long name, kind and where its value goes in the command's own
 * variables) and parses argv with one call to cli_parse_options, which also answers
 * -h/--help and prints the usage errors.  Its --help is its cli_help (below) and the options
 * lines written from its table; the man page and the completion are written from the same
 * (cli/help_doc.c).
 */
#ifndef POND_CLI_H
#define POND_CLI_H

#include <stdint.h>
#include <stdio.h>
#include "pond.h"

/* Exit codes of the pond executable. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_ERROR = 1, /* a user error or a failure: the message says which */
    CLI_EXIT_USAGE = 2, /* bad command line: unknown option, missing argument */
    CLI_EXIT_BUSY = 3   /* busy, try again: another writer held the pond past --wait */
};

/* The default of --wait SECONDS: how long a writing command waits for another writer. */
#define CLI_DEFAULT_WAIT_S 30

/* What main() found before the command name. */
typedef struct cli_global {
    const char *pond_path;    /* --pond PATH, else $POND, else NULL */
    const char *command_line; /* the whole command line, for the transaction log */
    int wait_ms;              /* --wait SECONDS, in milliseconds */
} cli_global;

/* A command: argv[0] is the command name, options and operands follow (parsed with
 * cli_parse_options against the command's option table, cli/cli_options.h). */
typedef int (*cli_command_fn)(int argc, char **argv, const cli_global *g);

/* Print "pond: <pond_error_last()>" to stderr and return its exit code: CLI_EXIT_BUSY for
 * POND_EBUSY, else CLI_EXIT_ERROR. */
int cli_fail(void);

/* Print "pond: <formatted message>" to stderr and return CLI_EXIT_ERROR (for user errors
 * the CLI itself finds, before or beside libpond). */
int cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Print "pond <cmd>: <message>" and a hint to run --help to stderr; return CLI_EXIT_USAGE.
 * cmd "" is pond itself (an error in the global options). */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Open the pond named by g (or fail with a message saying to use --pond or POND). */
int cli_open_pond(pond **out, const cli_global *g);

/* Parse the value of --wait (seconds, a decimal fraction allowed, 0 to 2,000,000) into
 * *out_ms.  -1 when it is not such a number. */
int cli_parse_wait(const char *text, int *out_ms);

/* ---- option parsing ----------------------------------------------------------------------- */

/* A command declares its options as a table and parses them with cli_parse_options: see
 * cli/cli_options.h. */

/* ---- --help ------------------------------------------------------------------------------- */

/* A command's help text but its options lines, which are written from its option table
 * (cli/cli_options.h).  Each field is plain text; examples hold one a line, indented. */
typedef struct cli_help {
    const char *usage;       /* "pond mkdir [-p] PATH…" */
    const char *summary;     /* one line, also shown by `pond help` */
    const char *description; /* paragraphs; may be NULL */
    const char *examples;
} cli_help;

struct cli_option;

/* Print help and the options lines of table (then --pond, --wait and --help) to stdout and
 * return CLI_EXIT_OK; cli_parse_options calls it for -h/--help.  The man page and the
 * completion are written from the same texts (cli/help_doc.c says how to add a command or
 * an option so that they follow). */
int cli_print_help(const cli_help *help, const struct cli_option *table);

/* The options every command takes (--pond, --wait, --help), printed after its own; an
 * options text in the layout of cli_write_option_lines (cli/cli_options.h). */
extern const char cli_common_options[];

/* A command's help as `pond --help-man` gathers it, by running COMMAND --help. */
typedef struct cli_help_collected {
    const cli_help *help;
    char *options; /* its options lines, written from its table; free() it */
} cli_help_collected;

/* When not NULL, cli_print_help stores the help it is given in *cli_help_collect instead of
 * printing it. */
extern cli_help_collected *cli_help_collect;

/* ---- formatting --------------------------------------------------------------------------- */

/* Format t (µs since the epoch) as ISO-8601 UTC into buf ("2024-07-20T06:00:00Z", with
 * ".ffffff" when t has a sub-second part).  Returns buf. */
char *cli_format_time(char *buf, size_t size, int64_t t);

/* ---- machine-readable output (cli/records.c) --------------------------------------------- */

/* --format of list, describe, show and check: table is the command's own layout for people;
 * csv and json are records for programs (see cli/records.c for their shape). */
typedef enum cli_format { CLI_FORMAT_TABLE, CLI_FORMAT_CSV, CLI_FORMAT_JSON } cli_format;

/* The option --format table|csv|json is CLI_OPT_FORMAT (cli/cli_options.h). */

struct json_t;

/* Write s as one CSV field (quoted when needed). */
void cli_csv_field(FILE *out, const char *s);

/* s as a JSON string (NULL: null); bytes that are not UTF-8 become '?'.  New reference. */
struct json_t *cli_json_str(const char *s);

/* Write value as compact JSON ("null" for NULL) and release it (the reference is stolen). */
void cli_json_write(FILE *out, struct json_t *value);

/* Records written one at a time: begin (the CSV header, or the JSON array's '['), then per
 * row one call per column in the order of columns, then cli_records_row_end; then
 * cli_records_end.  columns is borrowed until the end.  Not for CLI_FORMAT_TABLE. */
typedef struct cli_records {
    cli_format format;
    FILE *out;
    const char *const *columns;
    size_t ncolumns;
    size_t col;          /* the next column of the current row */
    size_t rows;         /* rows written */
    struct json_t *row;  /* the JSON object of the current row */
} cli_records;

void cli_records_begin(cli_records *r, cli_format format, FILE *out,
                       const char *const *columns, size_t ncolumns);
void cli_records_str(cli_records *r, const char *s); /* NULL: null / empty */
void cli_records_null(cli_records *r);
void cli_records_int(cli_records *r, int64_t v);
void cli_records_time(cli_records *r, int64_t t);     /* µs since the epoch, as ISO-8601 UTC */
void cli_records_json(cli_records *r, const char *json_text); /* nested JSON; CSV: the text */
void cli_records_value(cli_records *r, struct json_t *value); /* stolen; CSV: compact JSON */
/* End the row; columns not given are null. */
void cli_records_row_end(cli_records *r);
/* Close the array (JSON) and flush: CLI_EXIT_OK, or CLI_EXIT_ERROR after a message when the
 * output cannot be written. */
int cli_records_end(cli_records *r);

/* ---- progress (cli/progress.c) ------------------------------------------------------------- */

/* The progress bar of one command on standard error. */
typedef struct cli_bar {
    int on;      /* standard error is a terminal and the command is not --quiet */
    int drawn;   /* a bar is on the screen (cli_bar_clear removes it) */
    double t0;   /* when the counted work began, for the rate */
    double last; /* when the bar was last drawn */
} cli_bar;

/* Start a bar (drawn only on a terminal, never when quiet); the rate counts from now. */
void cli_bar_init(cli_bar *b, int quiet);

/* Clear the bar and count the rate from now (a new stage). */
void cli_bar_restart(cli_bar *b);

/* Draw "[===>   ]  45%  2.31M/5.18M rows  1.20M rows/s  <tail>" (total <= 0: no percentage),
 * at most ten times a second unless force. */
void cli_bar_draw(cli_bar *b, double done, double total, const char *unit, const char *tail,
                  int force);

/* Remove the bar from the screen, before any other line is printed to stderr. */
void cli_bar_clear(cli_bar *b);

/* v with a k/M/G/T suffix and three significant digits, then the unit: "1.20M rows",
 * "1.20M" (unit ""), "1.20 MB" (unit "B"). */
char *cli_format_count(char *buf, size_t size, double v, const char *unit);

/* ---- did you mean ------------------------------------------------------------------------- */

/* The candidate closest to word (edit distance, a swap of two neighbours counting one), or
 * NULL when none is close enough to be what was meant. */
const char *cli_closest(const char *word, const char *const *candidates, size_t n);

/* ---- commands ----------------------------------------------------------------------------- */

int cmd_init(int argc, char **argv, const cli_global *g);
int cmd_mkdir(int argc, char **argv, const cli_global *g);
int cmd_mknod(int argc, char **argv, const cli_global *g);
int cmd_copy(int argc, char **argv, const cli_global *g);
int cmd_list(int argc, char **argv, const cli_global *g);
int cmd_describe(int argc, char **argv, const cli_global *g);
int cmd_cat(int argc, char **argv, const cli_global *g);
int cmd_show(int argc, char **argv, const cli_global *g);
int cmd_check(int argc, char **argv, const cli_global *g);
int cmd_export(int argc, char **argv, const cli_global *g);

#endif
