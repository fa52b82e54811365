/*
 * cli/help_doc.h: the man page and the bash completion, written from the --help texts
 * (cli/help_doc.c says how to add a command or an option so that both follow).
 */
#ifndef POND_CLI_HELP_DOC_H
#define POND_CLI_HELP_DOC_H

#include <stdio.h>
#include "cli/cli.h"

typedef struct cli_doc_command {
    const char *name;
    const char *summary;
    const cli_help *help; /* NULL for `help` itself: it completes a command name */
    const char *options;  /* its options lines (cli_write_option_lines); NULL for `help` */
} cli_doc_command;

typedef struct cli_doc_section {
    const char *title; /* "EXIT STATUS" */
    const char *text;  /* paragraphs, as a cli_help description */
} cli_doc_section;

typedef struct cli_doc {
    const char *version;          /* "0.4.0" */
    const char *date;             /* of the page: "2026-12-02" */
    const char *tagline;          /* NAME: "pond - <tagline>" */
    const char *synopsis;         /* the global usage line */
    const char *description;      /* paragraphs */
    const char *global_options;   /* an options text: the options before a command */
    const char *command_options;  /* an options text: the options every command takes */
    const cli_doc_command *commands;
    size_t ncommands;
    const cli_doc_section *sections; /* after the commands */
    size_t nsections;
} cli_doc;

/* Write the man page (roff, man macros) / the bash completion script of d to f.
 * 0, or -1 when writing failed. */
int cli_doc_man(FILE *f, const cli_doc *d);
int cli_doc_completion(FILE *f, const cli_doc *d);

#endif
