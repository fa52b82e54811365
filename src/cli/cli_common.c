/*
 * cli/cli_common.c: what every pond command shares: error and usage messages with their exit
 * codes, opening the pond named on the command line (with --wait), the --help layout and
 * time formatting.
 *
 * Guarantees: every message goes to stderr, prefixed "pond: " (errors) or "pond <cmd>: "
 * (usage); help goes to stdout.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cli_options.h"

int cli_fail(void)
{
    const char *msg = pond_error_last();
    fprintf(stderr, "pond: %s\n", msg && *msg ? msg : "unknown error");
    return pond_error_last_code() == POND_EBUSY ? CLI_EXIT_BUSY : CLI_EXIT_ERROR;
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
    fprintf(stderr, "pond%s%s: ", *cmd ? " " : "", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'pond%s%s --help'\n", *cmd ? " " : "", cmd);
    return CLI_EXIT_USAGE;
}

int cli_open_pond(pond **out, const cli_global *g)
{
    pond_open_options opts = POND_OPEN_OPTIONS_INIT;

    *out = NULL;
    if (!g->pond_path || !*g->pond_path)
        return cli_error("no pond given: use --pond PATH or set POND");
    opts.command_line = g->command_line;
    opts.wait_ms = g->wait_ms;
    if (pond_open(out, g->pond_path, &opts) != POND_OK)
        return cli_fail();
    return CLI_EXIT_OK;
}

int cli_parse_wait(const char *text, int *out_ms)
{
    char *end;
    double s;

    if (!text || !*text || *text == '-' || *text == '+' || *text == ' ')
        return -1;
    errno = 0;
    s = strtod(text, &end);
    if (errno || *end || !(s >= 0 && s <= 2000000))
        return -1;
    *out_ms = (int)(s * 1000 + 0.5);
    return 0;
}

#define CLI_STR_(x) #x
#define CLI_STR(x) CLI_STR_(x)

const char cli_common_options[] =
    "      --pond PATH       the pond to use (default: $POND); also accepted before\n"
    "                        the command name\n"
    "      --wait SECONDS    how long to wait for another writer to finish (default\n"
    "                        " CLI_STR(CLI_DEFAULT_WAIT_S)
    "; 0 fails at once); also accepted before the command\n"
    "  -h, --help            show this help and exit\n";

cli_help_collected *cli_help_collect;

/* Keep help and the options lines of table in *cli_help_collect. */
static int collect_help(const cli_help *help, const struct cli_option *table)
{
    size_t len;
    FILE *f = open_memstream(&cli_help_collect->options, &len);

    if (!f)
        return cli_error("out of memory");
    cli_write_option_lines(f, table);
    if (fclose(f) != 0)
        return cli_error("out of memory");
    cli_help_collect->help = help;
    return CLI_EXIT_OK;
}

int cli_print_help(const cli_help *help, const struct cli_option *table)
{
    if (cli_help_collect)
        return collect_help(help, table);
    printf("Usage: %s\n\n%s\n", help->usage, help->summary);
    if (help->description)
        printf("\n%s\n", help->description);
    printf("\nOptions:\n");
    cli_write_option_lines(stdout, table);
    fputs(cli_common_options, stdout);
    printf("\nExit status: 0 success, 1 error, 2 usage error, 3 busy (another writer held the\n"
           "pond past --wait: try again).\n");
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
