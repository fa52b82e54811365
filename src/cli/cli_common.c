/*
 * cli/cli_common.c: what every pond command shares: error and usage messages with their exit
 * codes, opening the pond named on the command line, getopt_long with pond's messages, the
 * --help layout and time formatting.
 *
 * Guarantees: every message goes to stderr, prefixed "pond: " (errors) or "pond <cmd>: "
 * (usage); help goes to stdout.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

int cli_fail(void)
{
    const char *msg = pond_error_last();
    fprintf(stderr, "pond: %s\n", msg && *msg ? msg : "unknown error");
    return CLI_EXIT_ERROR;
}

int cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("pond: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_EXIT_ERROR;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "pond %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'pond %s --help'\n", cmd);
    return CLI_EXIT_USAGE;
}

int cli_open_pond(pond **out, const cli_global *g)
{
    *out = NULL;
    if (!g->pond_path || !*g->pond_path)
        return cli_error("no pond given: use --pond PATH or set POND");
    if (pond_open(out, g->pond_path, g->command_line) != POND_OK)
        return cli_fail();
    return CLI_EXIT_OK;
}

void cli_options_begin(void)
{
    optind = 0; /* glibc: 0 re-initialises getopt completely (also its permutation state) */
    opterr = 0; /* pond prints its own messages */
}

int cli_next_option(int argc, char **argv, const char *shortopts,
                    const struct option *longopts)
{
    char spec[64];
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

int cli_print_help(const cli_help *help)
{
    printf("Usage: %s\n\n%s\n", help->usage, help->summary);
    if (help->description)
        printf("\n%s\n", help->description);
    printf("\nOptions:\n");
    if (help->options)
        fputs(help->options, stdout);
    printf("  --pond PATH           the pond to use (default: $POND); also accepted before\n"
           "                        the command name\n"
           "  -h, --help            show this help and exit\n");
    if (help->examples)
        printf("\nExamples:\n%s", help->examples);
    return CLI_EXIT_OK;
}

char *cli_format_time(char *buf, size_t size, int64_t t)
{
    int64_t secs = t / 1000000, frac = t % 1000000;
    struct tm tm;
    time_t tt;
    size_t n;

    if (frac < 0) {
        frac += 1000000;
        secs -= 1;
    }
    tt = (time_t)secs;
    if (!gmtime_r(&tt, &tm)) {
        snprintf(buf, size, "%lld", (long long)t);
        return buf;
    }
    n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
    if (frac)
        snprintf(buf + n, size - n, ".%06lldZ", (long long)frac);
    else
        snprintf(buf + n, size - n, "Z");
    return buf;
}
