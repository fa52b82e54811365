/*
 * cli/cli_options.c: parsing a command's options against its table (cli/cli_options.h):
 * the getopt_long arrays are built from the table, each value is checked and stored as it is
 * read, with pond's usage messages (cli_usage_error).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_options.h"

/* getopt's value for the long-only entry i (above every character). */
#define LONG_ONLY_VAL(i) (256 + (i))

/* Start parsing a command's options: getopt's state reset, its messages off. */
static void options_begin(void)
{
    optind = 0; /* glibc: 0 re-initialises getopt completely (also its permutation state) */
    opterr = 0; /* pond prints its own messages */
}

/* getopt_long with pond's messages: the option's value, -1 when the options end, or '?' after
 * printing a usage error for an unknown option or a missing value. */
static int next_option(int argc, char **argv, const char *shortopts,
                       const struct option *longopts)
{
    char spec[3 * CLI_MAX_OPTIONS + 4];
    int c;

    /* A leading ':' makes getopt return ':' for a missing argument. */
    snprintf(spec, sizeof spec, ":%s", shortopts);
    c = getopt_long(argc, argv, spec, longopts, NULL);
    if (c == '?') {
        const char *arg = argv[optind - 1];
        if (optopt && !(arg[0] == '-' && arg[1] == '-'))
            cli_usage_error(argv[0], "unknown option '-%c'", optopt);
        else
            cli_usage_error(argv[0], "unknown option '%s'", arg);
        return '?';
    }
    if (c == ':') {
        const char *arg = argv[optind - 1];
        if (arg[0] == '-' && arg[1] == '-')
            cli_usage_error(argv[0], "option '%s' needs a value", arg);
        else
            cli_usage_error(argv[0], "option '-%c' needs a value", optopt);
        return '?';
    }
    return c;
}

void cli_list_free(cli_list *list)
{
    free(list->items);
    list->items = NULL;
    list->n = 0;
}

int cli_parse_fs(const char *cmd, const char *value, void *dest)
{
    if (pond_fs_parse(dest, value) != POND_OK)
        return cli_usage_error(cmd, "%s", pond_error_last());
    return CLI_EXIT_OK;
}

const cli_choice cli_format_choices[] = {
    {"table", CLI_FORMAT_TABLE}, {"csv", CLI_FORMAT_CSV}, {"json", CLI_FORMAT_JSON}, {NULL, 0}};

static int takes_value(const cli_option *o)
{
    return o->kind != CLI_OPT_FLAG_;
}

/* "unknown format 'x' (table, csv or json)" */
static int bad_choice(const char *cmd, const cli_option *o, const char *word)
{
    char words[256] = "";
    size_t n = 0, len = 0;

    while (o->choices[n].word)
        n++;
    for (size_t i = 0; i < n && len < sizeof words; i++) {
        int k = snprintf(words + len, sizeof words - len, "%s%s",
                         i == 0 ? "" : i + 1 == n ? " or " : ", ", o->choices[i].word);
        len += k > 0 ? (size_t)k : 0;
    }
    return cli_usage_error(cmd, "unknown %s '%s' (%s)", o->long_name, word, words);
}

/* A decimal number in [o->min, o->max]; a sign only where negative numbers are allowed. */
static int parse_int(const char *cmd, const cli_option *o, const char *text, int64_t *out)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno || end == text || *end || text[0] == '+' || (text[0] == '-' && o->min >= 0) ||
        v < o->min || v > o->max)
        return cli_usage_error(cmd, "--%s is %s, not '%s'", o->long_name, o->what, text);
    *out = v;
    return CLI_EXIT_OK;
}

/* Store value (NULL for a flag) where o says. */
static int store(const char *cmd, const cli_option *o, const char *value)
{
    int rc;

    switch (o->kind) {
    case CLI_OPT_FLAG_:
        *(int *)o->dest = 1;
        return CLI_EXIT_OK;
    case CLI_OPT_STRING_:
        *(const char **)o->dest = value;
        return CLI_EXIT_OK;
    case CLI_OPT_INT_:
        return parse_int(cmd, o, value, o->dest);
    case CLI_OPT_LIST_: {
        cli_list *list = o->dest;
        if (o->fn && (rc = o->fn(cmd, value, o->dest)) != CLI_EXIT_OK)
            return rc;
        list->items[list->n++] = value; /* room for argc values, each takes an argv word */
        return CLI_EXIT_OK;
    }
    case CLI_OPT_CHOICE_:
        for (const cli_choice *c = o->choices; c->word; c++) {
            if (!strcmp(c->word, value)) {
                *(int *)o->dest = c->value;
                return CLI_EXIT_OK;
            }
        }
        return bad_choice(cmd, o, value);
    case CLI_OPT_PARSE_:
        return o->fn(cmd, value, o->dest);
    case CLI_OPT_END_:
        break;
    }
    return cli_error("option --%s: not a kind of option", o->long_name);
}

/* ---- --help ---------------------------------------------------------------------------- */

#define HELP_INDENT 2      /* before an option */
#define HELP_MIN_COLUMN 24 /* where help texts start, at least */
#define HELP_MAX_SPEC 22   /* a wider option has its help on the lines below */

/* "-p, --pattern PATTERN" / "    --update" into buf; its length. */
static size_t option_spec(const cli_option *o, char *buf, size_t size)
{
    char shorts[8] = "    ";
    int n;

    if (o->short_name)
        snprintf(shorts, sizeof shorts, "-%c, ", o->short_name);
    n = snprintf(buf, size, "%s--%s%s%s", shorts, o->long_name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

static int help_column(const cli_option *table)
{
    char spec[128];
    size_t widest = 0, n;

    for (const cli_option *o = table; o->kind != CLI_OPT_END_; o++)
        if ((n = option_spec(o, spec, sizeof spec)) <= HELP_MAX_SPEC && n > widest)
            widest = n;
    return HELP_INDENT + (int)widest + 2 > HELP_MIN_COLUMN ? HELP_INDENT + (int)widest + 2
                                                           : HELP_MIN_COLUMN;
}

void cli_write_option_lines(FILE *f, const cli_option *table)
{
    int column = help_column(table);
    char spec[128];

    for (const cli_option *o = table; o->kind != CLI_OPT_END_; o++) {
        const char *h = o->help ? o->help : "";
        int n = HELP_INDENT + (int)option_spec(o, spec, sizeof spec);

        fprintf(f, "%*s%s", HELP_INDENT, "", spec);
        if (n + 2 > column) /* the help goes below */
            fprintf(f, "\n%*s", column, "");
        else
            fprintf(f, "%*s", column - n, "");
        for (const char *nl; (nl = strchr(h, '\n')); h = nl + 1)
            fprintf(f, "%.*s\n%*s", (int)(nl - h), h, column, "");
        fprintf(f, "%s\n", h);
    }
}

/* Room for the values of every LIST entry: at most argc. */
static int alloc_lists(const cli_option *table, int argc)
{
    for (const cli_option *o = table; o->kind != CLI_OPT_END_; o++) {
        cli_list *list = o->dest;
        if (o->kind != CLI_OPT_LIST_)
            continue;
        list->n = 0;
        if (!(list->items = calloc((size_t)argc + 1, sizeof *list->items)))
            return cli_error("out of memory");
    }
    return CLI_EXIT_OK;
}

static void free_lists(const cli_option *table)
{
    for (const cli_option *o = table; o->kind != CLI_OPT_END_; o++)
        if (o->kind == CLI_OPT_LIST_)
            cli_list_free(o->dest);
}

/* The getopt_long arrays of table: shortopts ("hp:d:") and longopts (--help first). */
static size_t build_getopt(const cli_option *table, char *shortopts, struct option *longopts)
{
    size_t n = 0, s = 0;

    shortopts[s++] = 'h';
    longopts[0] = (struct option){"help", no_argument, NULL, 'h'};
    for (; table[n].kind != CLI_OPT_END_ && n < CLI_MAX_OPTIONS; n++) {
        const cli_option *o = &table[n];
        int arg = takes_value(o) ? required_argument : no_argument;
        if (o->short_name) {
            shortopts[s++] = (char)o->short_name;
            if (arg == required_argument)
                shortopts[s++] = ':';
        }
        longopts[n + 1] = (struct option){o->long_name, arg, NULL,
                                          o->short_name ? o->short_name : LONG_ONLY_VAL((int)n)};
    }
    shortopts[s] = '\0';
    longopts[n + 1] = (struct option){NULL, 0, NULL, 0};
    return n;
}

/* The entry getopt_long returned c for (c is neither 'h' nor an error). */
static const cli_option *entry_for(const cli_option *table, size_t n, int c)
{
    if (c >= LONG_ONLY_VAL(0))
        return (size_t)(c - LONG_ONLY_VAL(0)) < n ? &table[c - LONG_ONLY_VAL(0)] : NULL;
    for (size_t i = 0; i < n; i++)
        if (table[i].short_name == c)
            return &table[i];
    return NULL;
}

int cli_parse_options(int argc, char **argv, const cli_option *table, const cli_help *help,
                      int *exit_code)
{
    char shortopts[3 * CLI_MAX_OPTIONS + 2];
    struct option longopts[CLI_MAX_OPTIONS + 2];
    const cli_option *o;
    size_t n = build_getopt(table, shortopts, longopts);
    int c;

    if (table[n].kind != CLI_OPT_END_) {
        *exit_code = cli_error("%s: more than %d options in its table", argv[0], CLI_MAX_OPTIONS);
        return -1;
    }
    if ((*exit_code = alloc_lists(table, argc)) != CLI_EXIT_OK)
        goto fail;
    options_begin();
    /* getopt_long steps through argv, so this ends within argc words */
    while ((c = next_option(argc, argv, shortopts, longopts)) != -1) {
        if (c == 'h') {
            *exit_code = cli_print_help(help, table);
            goto fail;
        }
        if (c == '?' || !(o = entry_for(table, n, c))) {
            *exit_code = CLI_EXIT_USAGE;
            goto fail;
        }
        if ((*exit_code = store(argv[0], o, optarg)) != CLI_EXIT_OK)
            goto fail;
    }
    return optind;
fail:
    free_lists(table);
    return -1;
}
