/*
 * cli/main.c: the pond executable: global options, the command table and dispatch.
 *
 *   pond [--pond PATH] [--wait SECONDS] [--help] [--version] COMMAND [ARGS…]
 *
 * The pond is named by --pond PATH or the POND environment variable; --wait says how long a
 * writing command waits for another writer (default 30 s).  Both may also follow the command
 * name.  Each command lives in its own cmd_<name>.c and parses its own options (a new
 * command: a row in commands[] below and a cli_help in its file; the man page and the bash
 * completion follow, cli/help_doc.c); main()
 * records the whole command line (shell-quoted) for the transaction log.  Exit codes are the
 * CLI_EXIT_* of cli.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help_doc.h"

/* What a command needs before it runs. */
enum {
    NEEDS_POND = 1 << 0 /* it works on a pond: --pond PATH is also taken after its name */
};

typedef struct cli_command {
    const char *name;
    cli_command_fn fn;
    unsigned flags;
    const char *summary;
} cli_command;

static int cmd_help(int argc, char **argv, const cli_global *g);

static const cli_command commands[] = {
    {"init", cmd_init, NEEDS_POND, "create an empty pond"},
    {"mkdir", cmd_mkdir, NEEDS_POND, "make directories in the pond"},
    {"mknod", cmd_mknod, NEEDS_POND, "make a dynamic node (derived series, tables, directories)"},
    {"copy", cmd_copy, NEEDS_POND, "copy host files into the pond, or pond files out to the host"},
    {"list", cmd_list, NEEDS_POND, "list the entries matching a pattern"},
    {"describe", cmd_describe, NEEDS_POND, "show type, schema, versions and time range"},
    {"cat", cmd_cat, NEEDS_POND, "print a file, optionally through SQL"},
    {"show", cmd_show, NEEDS_POND, "print the transaction log"},
    {"check", cmd_check, NEEDS_POND, "verify every stored version; remove orphans"},
    {"export", cmd_export, NEEDS_POND, "export matching series through a multi-stage pipeline"},
    {"help", cmd_help, 0, "show help for pond or a command"},
};
#define NCOMMANDS (sizeof commands / sizeof *commands)

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

/* "unknown command 'exprot': did you mean 'export'?" and the usage exit code. */
static int unknown_command(const char *prefix, const char *name)
{
    const char *names[NCOMMANDS];
    const char *near;

    for (size_t i = 0; i < NCOMMANDS; i++)
        names[i] = commands[i].name;
    near = cli_closest(name, names, NCOMMANDS);
    if (near)
        fprintf(stderr, "%s: unknown command '%s': did you mean '%s'?\ntry 'pond --help'\n",
                prefix, name, near);
    else
        fprintf(stderr, "%s: unknown command '%s'\ntry 'pond --help'\n", prefix, name);
    return CLI_EXIT_USAGE;
}

/* The texts of `pond --help`, also the man page's (cli/help_doc.c). */
#define STR_(x) #x
#define STR(x) STR_(x)
static const char main_synopsis[] =
    "pond [--pond PATH] [--wait SECONDS] [--help] [--version] COMMAND [ARGS…]";
static const char main_tagline[] = "a local-first store for time-series data";
static const char main_description[] =
    "The pond is the directory named by --pond PATH or the POND environment\n"
    "variable.  'pond help COMMAND' or 'pond COMMAND --help' describes a command.";
static const char main_options[] =
    "      --pond PATH       the pond to use (default: $POND)\n"
    "      --wait SECONDS    how long a writing command waits for another writer\n"
    "                        (default " STR(CLI_DEFAULT_WAIT_S) "; 0: not at all)\n"
    "  -h, --help            show this help and exit\n"
    "      --version         print pond's version and exit\n";
static const char main_concurrency[] =
    "Commands that only read (list, describe, cat, show, check, the reading side of\n"
    "export) never wait, whatever else runs.  One command writes at a time; another\n"
    "writer waits for it up to --wait SECONDS (default " STR(CLI_DEFAULT_WAIT_S)
    "; 0: not at all), then\n"
    "fails with 'pond is in use by pid N (command)' and exit status 3.";
static const char main_exit_status[] =
    "  0  success\n"
    "  1  error (the message says what failed; the pond is left as it was)\n"
    "  2  usage error (unknown option or command, missing value)\n"
    "  3  busy, try again (another writer held the pond past --wait)";

static void print_main_usage(FILE *f)
{
    fprintf(f, "Usage: %s\n\npond: %s.\n\nCommands:\n", main_synopsis, main_tagline);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n%s\n\nOptions:\n%s\nConcurrency:\n%s\n\nExit status:\n%s\n", main_description,
            main_options, main_concurrency, main_exit_status);
}

/* pond --help-man FILE DATE, pond --help-completion FILE (FILE "-": stdout): the man page or
 * the bash completion, from every command's --help (gathered through cli_help_collect). */
static int write_doc(int man, const char *path, const char *date)
{
    static const cli_doc_section sections[] = {
        {"CONCURRENCY", main_concurrency},
        {"EXIT STATUS", main_exit_status},
        {"ENVIRONMENT", "  POND    the pond, when --pond is not given"},
        {"FILES",
         "A pond is a directory:\n"
         "  catalog.sqlite   the catalog: every entry, version and transaction (SQLite, WAL)\n"
         "  data/            the content files, named by their sha256"},
        {"SEE ALSO",
         "The guides in the docs/ directory of pond's source: cli.md (the commands), export.md\n"
         "(the export and pipelines), templates.md (templates), api.md (the library)."},
    };
    cli_doc_command docs[NCOMMANDS];
    cli_help_collected got[NCOMMANDS];
    cli_global g = {NULL, NULL, 0};
    cli_doc d = {pond_version(NULL, NULL, NULL), date ? date : "", main_tagline, main_synopsis,
                 main_description, main_options, cli_common_options, docs, NCOMMANDS,
                 sections, sizeof sections / sizeof *sections};
    FILE *f = NULL;
    int rc = CLI_EXIT_OK;

    memset(got, 0, sizeof got);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        char name[32], opt[] = "--help", *sub[] = {name, opt, NULL};
        docs[i].name = commands[i].name;
        docs[i].summary = commands[i].summary;
        docs[i].help = NULL;
        docs[i].options = NULL;
        if (commands[i].fn == cmd_help)
            continue;
        snprintf(name, sizeof name, "%s", commands[i].name);
        cli_help_collect = &got[i];
        commands[i].fn(2, sub, &g);
        cli_help_collect = NULL;
        if (!got[i].help || !got[i].options) {
            rc = cli_error("command '%s' has no help text", commands[i].name);
            goto done;
        }
        docs[i].help = got[i].help;
        docs[i].options = got[i].options;
    }
    if (!(f = strcmp(path, "-") ? fopen(path, "w") : stdout)) {
        rc = cli_error("cannot write '%s': %s", path, strerror(errno));
        goto done;
    }
    if ((man ? cli_doc_man(f, &d) : cli_doc_completion(f, &d)) != 0 ||
        (f == stdout ? fflush(f) : fclose(f)) != 0)
        rc = cli_error("cannot write '%s'", path);
done:
    for (size_t i = 0; i < NCOMMANDS; i++)
        free(got[i].options);
    return rc;
}

static int cmd_help(int argc, char **argv, const cli_global *g)
{
    const cli_command *cmd;
    char *sub[3];

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        print_main_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (argc > 2)
        return cli_usage_error("help", "too many arguments");
    if (!(cmd = find_command(argv[1])))
        return unknown_command("pond help", argv[1]);
    if (cmd->fn == cmd_help) {
        print_main_usage(stdout);
        return CLI_EXIT_OK;
    }
    sub[0] = argv[1];
    sub[1] = "--help";
    sub[2] = NULL;
    return cmd->fn(2, sub, g);
}

/* 1 if s can be written in a shell command without quotes. */
static int shell_safe(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_",
                    *s))
            return 0;
    return 1;
}

/* argv joined with spaces, each word single-quoted when the shell would need it
 * ('it'\''s').  Owned by the caller (free()); NULL when out of memory. */
static char *join_command_line(int argc, char **argv)
{
    size_t len = 1;
    char *out, *p;

    for (int i = 0; i < argc; i++) {
        len += strlen(argv[i]) * 4 + 3;
    }
    if (!(out = malloc(len)))
        return NULL;
    p = out;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (i == 0 && strrchr(s, '/'))
            s = strrchr(s, '/') + 1; /* "pond", not the path it was run by */
        if (i)
            *p++ = ' ';
        if (shell_safe(s)) {
            size_t n = strlen(s);
            memcpy(p, s, n);
            p += n;
            continue;
        }
        *p++ = '\'';
        for (; *s; s++) {
            if (*s == '\'') {
                memcpy(p, "'\\''", 4);
                p += 4;
            } else {
                *p++ = *s;
            }
        }
        *p++ = '\'';
    }
    *p = '\0';
    return out;
}

/* If argv[*i] is a global option (--pond PATH, --pond=PATH, --wait SECONDS, --wait=SECONDS),
 * take it into g and step *i past it: 1.  0 when it is not one; -1 (after a usage error
 * naming who) when its value is missing or bad. */
static int global_option(int argc, char **argv, int *i, cli_global *g, const char *who)
{
    static const char *const names[] = {"--pond", "--wait"};
    const char *a = argv[*i], *value = NULL;
    size_t k, n;

    for (k = 0; k < sizeof names / sizeof names[0]; k++) {
        n = strlen(names[k]);
        if (strncmp(a, names[k], n) == 0 && (a[n] == '\0' || a[n] == '='))
            break;
    }
    if (k == sizeof names / sizeof names[0])
        return 0;
    if (a[n] == '=') {
        value = a + n + 1;
        *i += 1;
    } else if (*i + 1 < argc) {
        value = argv[*i + 1];
        *i += 2;
    } else {
        cli_usage_error(who, "option '%s' needs a value", names[k]);
        return -1;
    }
    if (k == 0) {
        g->pond_path = value;
    } else if (cli_parse_wait(value, &g->wait_ms) < 0) {
        cli_usage_error(who, "--wait '%s': not a number of seconds (0 to 2000000)", value);
        return -1;
    }
    return 1;
}

/* Take the global options out of the command's arguments (before any "--"), so that they may
 * follow the command name.  Returns -1 (after a usage error) for a missing or bad value. */
static int take_global_options(int *argc, char **argv, cli_global *g)
{
    int i = 1, j = 1, got;
    while (i < *argc) {
        if (!strcmp(argv[i], "--")) {
            while (i < *argc)
                argv[j++] = argv[i++];
            break;
        }
        if ((got = global_option(*argc, argv, &i, g, argv[0])) < 0)
            return -1;
        if (got == 0)
            argv[j++] = argv[i++];
    }
    *argc = j;
    argv[j] = NULL;
    return 0;
}

int main(int argc, char **argv)
{
    cli_global g = {NULL, NULL, CLI_DEFAULT_WAIT_S * 1000};
    const cli_command *cmd;
    char *command_line = NULL;
    int i = 1, rc, got;

    g.pond_path = getenv("POND");
    while (i < argc && argv[i][0] == '-') {
        const char *a = argv[i];
        if ((got = global_option(argc, argv, &i, &g, "")) < 0)
            return CLI_EXIT_USAGE;
        if (got)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            print_main_usage(stdout);
            return CLI_EXIT_OK;
        } else if (!strcmp(a, "--help-man") && i + 1 < argc) { /* hidden: the build's */
            return write_doc(1, argv[i + 1], i + 2 < argc ? argv[i + 2] : NULL);
        } else if (!strcmp(a, "--help-completion") && i + 1 < argc) {
            return write_doc(0, argv[i + 1], NULL);
        } else if (!strcmp(a, "--version")) {
            printf("pond %s\n", pond_version(NULL, NULL, NULL));
            return CLI_EXIT_OK;
        } else {
            fprintf(stderr, "pond: unknown option '%s'\ntry 'pond --help'\n", a);
            return CLI_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        print_main_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!(cmd = find_command(argv[i])))
        return unknown_command("pond", argv[i]);
    if (!(command_line = join_command_line(argc, argv))) {
        fprintf(stderr, "pond: out of memory\n");
        return CLI_EXIT_ERROR;
    }
    g.command_line = command_line;

    argc -= i;
    argv += i;
    /* A missing pond is reported by cli_open_pond, after the command has parsed its options,
     * so that usage errors (exit 2) and --help come first. */
    if ((cmd->flags & NEEDS_POND) && take_global_options(&argc, argv, &g) < 0) {
        rc = CLI_EXIT_USAGE;
        goto done;
    }
    rc = cmd->fn(argc, argv, &g);
    if (fflush(stdout) != 0 && rc == CLI_EXIT_OK)
        rc = cli_error("cannot write to standard output");

done:
    free(command_line);
    return rc;
}
