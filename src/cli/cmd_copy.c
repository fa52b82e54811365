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
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

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
    "  --format FORMAT       data, table or series (into the pond)\n"
    "  --timestamp-column NAME\n"
    "                        the series' event-time column (into the pond)\n"
    "  --delimiter C         the CSV field delimiter: one character, or 'tab'\n"
    "  --decimal-separator C '.' (default) or ','\n"
    "  --null STRING         a CSV field read as NULL (repeatable)\n"
    "  --skip N              lines before the CSV header line\n"
    "  --timestamp-format FMT\n"
    "                        how CSV times are written, strptime style\n"
    "  -f, --fs FS           the pond file system to copy out of: data (default) or control\n"
    "  -q, --quiet           no progress bar\n",
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

int cmd_copy(int argc, char **argv, const cli_global *g)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {"format", required_argument, NULL, 'F'},
                                         {"timestamp-column", required_argument, NULL, 'T'},
                                         {"fs", required_argument, NULL, 'f'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"delimiter", required_argument, NULL, 'D'},
                                         {"decimal-separator", required_argument, NULL, 'P'},
                                         {"null", required_argument, NULL, 'N'},
                                         {"skip", required_argument, NULL, 'K'},
                                         {"timestamp-format", required_argument, NULL, 'M'},
                                         {NULL, 0, NULL, 0}};
    pond_copy_options copts = POND_COPY_OPTIONS_INIT;
    const char **nulls = NULL;
    int csv_options = 0;
    cli_bar bar;
    int quiet = 0;
    const char *format = NULL, *fs_word = NULL, *dest;
    const char **srcs = NULL;
    pond_fs fs = POND_FS_DATA;
    pond *p = NULL;
    int c, nsrcs, rc = CLI_EXIT_OK;

    cli_options_begin();
    while ((c = cli_next_option(argc, argv, "hf:q", opts)) != -1) {
        switch (c) {
        case 'h':
            rc = cli_print_help(&help);
            goto done;
        case 'q':
            quiet = 1;
            break;
        case 'F':
            format = optarg;
            break;
        case 'T':
            copts.timestamp_column = optarg;
            break;
        case 'f':
            fs_word = optarg;
            break;
        case 'D':
            csv_options = 1;
            if (!strcmp(optarg, "tab") || !strcmp(optarg, "\\t"))
                copts.delimiter = '\t';
            else if (strlen(optarg) == 1)
                copts.delimiter = optarg[0];
            else {
                rc = cli_usage_error(argv[0], "--delimiter is one ASCII character or 'tab', not '%s'",
                                     optarg);
                goto done;
            }
            break;
        case 'P':
            csv_options = 1;
            if (strcmp(optarg, ".") && strcmp(optarg, ",")) {
                rc = cli_usage_error(argv[0], "--decimal-separator is '.' or ',', not '%s'",
                                     optarg);
                goto done;
            }
            copts.decimal_separator = optarg[0];
            break;
        case 'N': {
            const char **n = realloc(nulls, sizeof *n * (copts.nnull_strings + 1));
            if (!n) {
                rc = cli_error("out of memory");
                goto done;
            }
            csv_options = 1;
            nulls = n;
            nulls[copts.nnull_strings++] = optarg;
            copts.null_strings = nulls;
            break;
        }
        case 'K': {
            char *end;
            long long v;
            csv_options = 1;
            errno = 0;
            v = strtoll(optarg, &end, 10);
            if (errno || end == optarg || *end || v < 0 || optarg[0] == '-' ||
                optarg[0] == '+') {
                rc = cli_usage_error(argv[0], "--skip is a number of lines, not '%s'", optarg);
                goto done;
            }
            copts.skip_lines = v;
            break;
        }
        case 'M':
            csv_options = 1;
            copts.timestamp_format = optarg;
            break;
        default:
            rc = CLI_EXIT_USAGE;
            goto done;
        }
    }
    if (argc - optind < 2) {
        rc = cli_usage_error(argv[0], "need at least one SRC and a DEST");
        goto done;
    }
    nsrcs = argc - optind - 1;
    dest = argv[argc - 1];
    if (fs_word && pond_fs_parse(&fs, fs_word) != POND_OK) {
        rc = cli_usage_error(argv[0], "%s", pond_error_last());
        goto done;
    }
    if (format) {
        if (!strcmp(format, "data"))
            copts.format = POND_COPY_DATA;
        else if (!strcmp(format, "table"))
            copts.format = POND_COPY_TABLE;
        else if (!strcmp(format, "series"))
            copts.format = POND_COPY_SERIES;
        else {
            rc = cli_usage_error(argv[0], "unknown format '%s' (data, table or series)", format);
            goto done;
        }
    }

    if (!strncmp(dest, HOST_PREFIX, strlen(HOST_PREFIX))) {
        if (format || copts.timestamp_column || csv_options) {
            rc = cli_usage_error(argv[0], "--format, --timestamp-column and the CSV options "
                                          "apply to copying into the pond");
            goto done;
        }
        if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
            goto done;
        rc = copy_out(p, fs, argv + optind, nsrcs, dest + strlen(HOST_PREFIX));
        goto done;
    }

    if (fs == POND_FS_CONTROL) {
        rc = cli_error("cannot copy into the control file system: it is read-only");
        goto done;
    }
    if (!(srcs = malloc(sizeof *srcs * (size_t)nsrcs))) {
        rc = cli_error("out of memory");
        goto done;
    }
    for (int i = 0; i < nsrcs; i++) {
        const char *s = argv[optind + i];
        srcs[i] = strncmp(s, HOST_PREFIX, strlen(HOST_PREFIX)) ? s : s + strlen(HOST_PREFIX);
    }
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        goto done;
    cli_bar_init(&bar, quiet);
    if (bar.on) {
        copts.progress = on_progress;
        copts.payload = &bar;
    }
    if (pond_copy_in(p, srcs, (size_t)nsrcs, dest, &copts) != POND_OK) {
        cli_bar_clear(&bar);
        rc = cli_fail();
    }

done:
    free(nulls);
    free(srcs);
    pond_close(p);
    return rc;
}
