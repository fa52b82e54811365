/*
 * cli/cmd_copy.c: pond copy: host files into the pond, or pond files out to the host.
 *
 *   pond copy [--format data|table|series] [--timestamp-column NAME] [CSV options] SRC… DEST
 *   pond copy [-f data|control] SRC… host:DEST
 *
 * Into the pond, every SRC goes in one transaction (all or nothing).  Out of the pond (a DEST
 * starting with "host:"), each file is written whole or not at all; with several sources, or a
 * DEST that is an existing host directory, each file goes into that directory under its own
 * name (a table or series as NAME.parquet).  Copying in shows a progress bar in bytes on a
 * terminal (cli/progress.c) unless --quiet.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/cli_options.h"

static const cli_help help = {
    "pond copy [--format data|table|series] [--timestamp-column NAME] [--quiet]\n"
    "          [--delimiter C] [--decimal-separator C] [--null STRING]… [--skip N]\n"
    "          [--timestamp-format FMT] SRC… DEST\n"
    "       pond copy [-f data|control] SRC… host:DEST",
    "Copy host files into the pond, or pond files out to the host.",
    "Into the pond: each SRC is a host file (CSV or Parquet, recognised by content, for tables\n"
    "and series; any bytes for data).  DEST is a new file, an existing directory to copy into,\n"
    "or an existing file: a series gets a new version appended, a table or data file is\n"
    "replaced by a new version.  All sources are copied in one transaction: all or nothing.\n"
    "Without --format the type is that of the existing file, else it follows DEST's name:\n"
    "*.series is a series, *.table a table, anything else data.  A series records its\n"
    "timestamp column: the column named 'timestamp', else the only TIMESTAMP column.\n"
    "\n"
    "A CSV source may be gzip-compressed (recognised by content).  The CSV options say how a\n"
    "logger's file is laid out: --skip N lines (a preamble) come before the header line;\n"
    "--delimiter is one character or 'tab' (default: the most frequent of , ; tab | in the\n"
    "header); --decimal-separator ',' reads 21,5 as 21.5; each --null STRING is read as NULL\n"
    "(as is an empty field), so a column numeric but for them is numeric; --timestamp-format\n"
    "FMT (strptime style, e.g. '%d.%m.%Y %H:%M') reads the times.  A value that does not\n"
    "match the format leaves its column text; a series' timestamp column must match: the\n"
    "error names the line.\n"
    "\n"
    "Out of the pond: when DEST starts with 'host:', each SRC is a pond file written to the\n"
    "host path after 'host:': data as its bytes, a table or series as Parquet, or as CSV when\n"
    "the host path ends in '.csv'.  When the host path is an existing directory (or several\n"
    "SRC are given), files are written into it under their own names.\n"
    "\n"
    "On a terminal, copying into the pond shows a bar of the bytes read, the rate and the\n"
    "files done on standard error; --quiet turns it off.",
    "  pond copy bdock.csv /sites/BDock.series\n"
    "  pond copy --format table sites.parquet /meta/sites\n"
    "  pond copy jan.csv feb.csv /raw/\n"
    "  pond copy --skip 3 --delimiter ';' --decimal-separator , --null NA \\\n"
    "      --timestamp-format '%d.%m.%Y %H:%M' logger.csv.gz /sites/BDock.series\n"
    "  pond copy /sites/BDock.series host:/tmp/bdock.parquet\n"
    "  pond copy /sites/BDock.series host:/tmp/bdock.csv\n",
};

#define HOST_PREFIX "host:"

typedef struct found_entry {
    pond_entry_type type;
    int found;
} found_entry;

static int remember_entry(const pond_entry_info *e, void *ctx)
{
    found_entry *f = ctx;
    f->type = e->type;
    f->found = 1;
    return 1; /* one is enough */
}

static int is_host_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The host file name for pond file src: its last name, with a table or series' extension
 * replaced by ".parquet".  Owned by the caller; NULL when out of memory. */
static char *host_name_for(const char *src, pond_entry_type type)
{
    const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
    size_t n = strlen(base);
    char *out;

    if (type == POND_ENTRY_TABLE || type == POND_ENTRY_SERIES) {
        const char *dot = strrchr(base, '.');
        if (dot && dot != base)
            n = (size_t)(dot - base);
        if ((out = malloc(n + sizeof ".parquet")))
            snprintf(out, n + sizeof ".parquet", "%.*s.parquet", (int)n, base);
        return out;
    }
    if ((out = malloc(n + 1)))
        memcpy(out, base, n + 1);
    return out;
}

/* dir + "/" + name (no doubled '/').  Owned by the caller; NULL when out of memory. */
static char *join_host_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    return out;
}

static int copy_out(pond *p, pond_fs fs, char **srcs, int nsrcs, const char *dest)
{
    int into_dir = nsrcs > 1 || is_host_dir(dest) || (*dest && dest[strlen(dest) - 1] == '/');
    char *path = NULL, *name = NULL;
    int rc = CLI_EXIT_OK;

    if (!*dest)
        return cli_error("no host path after 'host:'");
    if (nsrcs > 1 && !is_host_dir(dest))
        return cli_error("cannot copy %d files to '%s': not a directory", nsrcs, dest);
    for (int i = 0; i < nsrcs; i++) {
        const char *target = dest;
        if (into_dir) {
            found_entry f = {POND_ENTRY_DATA, 0};
            int grc = pond_glob(p, fs, srcs[i], 0, remember_entry, &f);
            if (grc < 0) {
                rc = cli_fail();
                goto done;
            }
            free(name);
            free(path);
            name = host_name_for(srcs[i], f.type);
            path = name ? join_host_path(dest, name) : NULL;
            if (!path) {
                rc = cli_error("out of memory");
                goto done;
            }
            target = path;
        }
        if (pond_copy_out(p, fs, srcs[i], target) != POND_OK) {
            rc = cli_fail();
            goto done;
        }
    }
done:
    free(name);
    free(path);
    return rc;
}

/* The bar of the bytes read; the tail names the files done. */
static int on_progress(const pond_copy_progress *pr, void *payload)
{
    cli_bar *bar = payload;
    char tail[64];
    int last = pr->sources_done == pr->sources_total;

    snprintf(tail, sizeof tail, "%zu/%zu file%s", pr->sources_done, pr->sources_total,
             pr->sources_total == 1 ? "" : "s");
    cli_bar_draw(bar, (double)pr->bytes_done, (double)pr->bytes_total, "B", tail, last);
    if (last)
        cli_bar_clear(bar);
    return 0;
}

/* What the command line asks for. */
typedef struct copy_args {
    pond_copy_options copts; /* the CSV options and --timestamp-column go straight in */
    int format;              /* --format: a pond_copy_format (POND_COPY_AUTO: not given) */
    pond_fs fs;              /* -f: the file system to copy out of */
    int quiet;
    cli_list nulls;          /* --null STRING… */
    int64_t skip;            /* --skip N; -1: not given */
    char **srcs;             /* the operands but the last */
    int nsrcs;
    const char *dest;
} copy_args;

static const cli_choice copy_formats[] = {
    {"data", POND_COPY_DATA}, {"table", POND_COPY_TABLE}, {"series", POND_COPY_SERIES}, {NULL, 0}};

static int parse_delimiter(const char *cmd, const char *value, void *dest)
{
    if (!strcmp(value, "tab") || !strcmp(value, "\\t"))
        *(char *)dest = '\t';
    else if (strlen(value) == 1)
        *(char *)dest = value[0];
    else
        return cli_usage_error(cmd, "--delimiter is one ASCII character or 'tab', not '%s'",
                               value);
    return CLI_EXIT_OK;
}

static int parse_decimal_separator(const char *cmd, const char *value, void *dest)
{
    if (strcmp(value, ".") && strcmp(value, ","))
        return cli_usage_error(cmd, "--decimal-separator is '.' or ',', not '%s'", value);
    *(char *)dest = value[0];
    return CLI_EXIT_OK;
}

/* Parse argv into *a: -1 when the command is done (*rc: --help printed, or a usage error). */
static int parse_copy_args(int argc, char **argv, copy_args *a, int *rc)
{
    const cli_option table[] = {
        CLI_OPT_CHOICE(0, "format", &a->format, copy_formats, "FORMAT",
                       "data, table or series (into the pond)"),
        CLI_OPT_STRING(0, "timestamp-column", &a->copts.timestamp_column, "NAME",
                       "the series' event-time column (into the pond)"),
        CLI_OPT_PARSE(0, "delimiter", &a->copts.delimiter, parse_delimiter, "C",
                      "the CSV field delimiter: one character, or 'tab'"),
        CLI_OPT_PARSE(0, "decimal-separator", &a->copts.decimal_separator,
                      parse_decimal_separator, "C", "'.' (default) or ','"),
        CLI_OPT_LIST(0, "null", &a->nulls, NULL, "STRING",
                     "a CSV field read as NULL (repeatable)"),
        CLI_OPT_INT(0, "skip", &a->skip, 0, INT64_MAX, "a number of lines", "N",
                    "lines before the CSV header line"),
        CLI_OPT_STRING(0, "timestamp-format", &a->copts.timestamp_format, "FMT",
                       "how CSV times are written, strptime style"),
        CLI_OPT_FS(&a->fs, "the pond file system to copy out of: data (default) or control"),
        CLI_OPT_FLAG('q', "quiet", &a->quiet, "no progress bar"),
        CLI_OPT_END,
    };
    int first = cli_parse_options(argc, argv, table, &help, rc);

    if (first < 0)
        return -1;
    a->srcs = argv + first;
    a->nsrcs = argc - first - 1;
    a->dest = argv[argc - 1];
    a->copts.format = (pond_copy_format)a->format;
    a->copts.null_strings = a->nulls.items;
    a->copts.nnull_strings = a->nulls.n;
    if (a->skip >= 0)
        a->copts.skip_lines = a->skip;
    if (a->nsrcs < 1) {
        *rc = cli_usage_error(argv[0], "need at least one SRC and a DEST");
        return -1;
    }
    return 0;
}

static int is_host_path(const char *s)
{
    return !strncmp(s, HOST_PREFIX, strlen(HOST_PREFIX));
}

/* The options that only copying in takes are refused when copying out. */
static int check_copy_out_args(const char *cmd, const copy_args *a)
{
    const pond_copy_options *o = &a->copts;
    int csv_options = o->delimiter || o->decimal_separator || a->nulls.n || a->skip >= 0 ||
                      o->timestamp_format;

    if (a->format != POND_COPY_AUTO || o->timestamp_column || csv_options)
        return cli_usage_error(cmd, "--format, --timestamp-column and the CSV options "
                                    "apply to copying into the pond");
    return CLI_EXIT_OK;
}

/* Copy the host files a->srcs (a "host:" prefix allowed) into the pond in one transaction,
 * with the bar of the bytes read. */
static int copy_in(const cli_global *g, copy_args *a)
{
    const char **srcs = NULL;
    pond *p = NULL;
    cli_bar bar;
    int rc;

    if (a->fs == POND_FS_CONTROL)
        return cli_error("cannot copy into the control file system: it is read-only");
    if (!(srcs = malloc(sizeof *srcs * (size_t)a->nsrcs)))
        return cli_error("out of memory");
    for (int i = 0; i < a->nsrcs; i++)
        srcs[i] = is_host_path(a->srcs[i]) ? a->srcs[i] + strlen(HOST_PREFIX) : a->srcs[i];
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        goto done;
    cli_bar_init(&bar, a->quiet);
    if (bar.on) {
        a->copts.progress = on_progress;
        a->copts.payload = &bar;
    }
    if (pond_copy_in(p, srcs, (size_t)a->nsrcs, a->dest, &a->copts) != POND_OK) {
        cli_bar_clear(&bar);
        rc = cli_fail();
    }
done:
    free(srcs);
    pond_close(p);
    return rc;
}

int cmd_copy(int argc, char **argv, const cli_global *g)
{
    copy_args a = {POND_COPY_OPTIONS_INIT, POND_COPY_AUTO, POND_FS_DATA, 0, {NULL, 0}, -1,
                   NULL, 0, NULL};
    pond *p = NULL;
    int rc;

    if (parse_copy_args(argc, argv, &a, &rc) < 0)
        goto done;
    if (!is_host_path(a.dest)) {
        rc = copy_in(g, &a);
        goto done;
    }
    if ((rc = check_copy_out_args(argv[0], &a)) != CLI_EXIT_OK ||
        (rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        goto done;
    rc = copy_out(p, a.fs, a.srcs, a.nsrcs, a.dest + strlen(HOST_PREFIX));
done:
    cli_list_free(&a.nulls);
    pond_close(p);
    return rc;
}
