/*
 * cli/progress.c: the progress bar of long commands (export, copy) on standard error.
 *
 *   [=============>                ]  45%  2.31M/5.18M rows  1.20M rows/s  1/2 sources
 *
 * Drawn only when standard error is a terminal and the command is not --quiet, at most ten
 * times a second, on one line redrawn in place; cli_bar_clear() wipes it before any other
 * line is printed, so reports and errors never land in the middle of it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

#define BAR_WIDTH 30
#define REDRAW_INTERVAL 0.1 /* seconds */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_bar_init(cli_bar *b, int quiet)
{
    memset(b, 0, sizeof *b);
    b->on = !quiet && isatty(STDERR_FILENO);
    b->t0 = now_s();
}

void cli_bar_restart(cli_bar *b)
{
    cli_bar_clear(b);
    b->t0 = now_s();
    b->last = 0;
}

char *cli_format_count(char *buf, size_t size, double v, const char *unit)
{
    static const char *const big[] = {"", "k", "M", "G", "T"};
    int bytes = strcmp(unit, "B") == 0; /* 1.20 MB, not 1.20M B */
    int i = 0;
    while (v >= 1000 && i < 4) {
        v /= 1000;
        i++;
    }
    snprintf(buf, size, "%.*f%s%s%s%s", i == 0 ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0, v,
             bytes ? " " : "", big[i], *unit && !bytes ? " " : "", unit);
    return buf;
}

void cli_bar_draw(cli_bar *b, double done, double total, const char *unit, const char *tail,
                  int force)
{
    char d[32], t[32], r[32], amount[80], rate[48];
    double now = now_s(), secs = now - b->t0;
    double f = total > 0 ? done / total : 0;
    int fill;

    if (!b->on || (!force && now - b->last < REDRAW_INTERVAL))
        return;
    b->last = now;
    f = f > 1 ? 1 : f;
    fill = (int)(f * BAR_WIDTH);
    if (total > 0)
        snprintf(amount, sizeof amount, "%3d%%  %s/%s", (int)(f * 100),
                 cli_format_count(d, sizeof d, done, strcmp(unit, "B") ? "" : unit),
                 cli_format_count(t, sizeof t, total, unit));
    else
        snprintf(amount, sizeof amount, "%s", cli_format_count(d, sizeof d, done, unit));
    rate[0] = '\0';
    if (secs > 0.2 || (force && secs > 0)) /* a rate over the first moments says nothing */
        snprintf(rate, sizeof rate, "  %s/s", cli_format_count(r, sizeof r, done / secs, unit));
    fprintf(stderr, "\r  [%.*s%.*s%*s] %s%s%s%s\033[K", fill > 1 ? fill - 1 : 0,
            "==============================", fill > 0 ? 1 : 0, fill == BAR_WIDTH ? "=" : ">",
            BAR_WIDTH - fill, "", amount, rate, tail && *tail ? "  " : "", tail ? tail : "");
    fflush(stderr);
    b->drawn = 1;
}

void cli_bar_clear(cli_bar *b)
{
    if (!b->drawn)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    b->drawn = 0;
}
