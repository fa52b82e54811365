/*
 * cli/cmd_export.c: pond export -p PATTERN… -d DIR [options]: write matching files as
 * (Hive-partitioned) Parquet, run the later pipeline stages, all or nothing (docs/export.md).
 *
 * The command parses the command line into pond_export_options and calls pond_export();
 * the export reads one snapshot of the pond, taken when it starts, while writers go on, and
 * records its run in the log when it ends.  What the run reports arrives as events: report
 * lines go to stderr, indented within a stage, and on a terminal a progress bar counts the
 * rows read (cli/progress.c).  The dry-run listing goes to stdout.  Exit 2 for a bad command
 * line, 1 for anything the export refuses or fails at, 3 when the pond is busy past --wait.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_options.h"

static const cli_help help = {
    "pond export -p PATTERN [-p PATTERN…] -d DIR [--temporal LEVELS] [-f data|control]\n"
    "                   [--start-time T] [--end-time T] [--timezone TZ] [--overwrite]\n"
    "                   [--update] [--capture-names NAME[,NAME…]]\n"
    "                   [--dry-run] [--dump-tables DIR2] [--pipeline FILE | --template SPEC]\n"
    "                   [-v KEY=VALUE…] [--quiet]",
    "Export matching files as Parquet (Hive-partitioned by time) through a pipeline.",
    "Every file matching a PATTERN is written under DIR.  In a pattern '*' matches within one\n"
    "name and '**' any number of directories; what they stood for are the captures, numbered\n"
    "from 0, left to right.  Where a match goes:\n"
    "  with captures      DIR/cap0/cap1/…/\n"
    "  without captures   DIR/<parent path>/<name without extension>/\n"
    "With --capture-names site,res capture i is written as the directory NAME_i=value\n"
    "instead, DIR/site=BDock/res=1m/…, so that Hive readers (DuckDB, Polars, Spark, Trino)\n"
    "read site and res as columns; give one name per capture (letters, digits, '_').\n"
    "A series or table becomes data.parquet there; a data file is copied byte for byte\n"
    "under its own name.  With --temporal the rows of a series are split by calendar level,\n"
    "Hive-style, with plain integer values:\n"
    "  DIR/BDock/res=1d/year=2024/month=7/day=20/data.parquet\n"
    "(data_1.parquet … only where DuckDB splits a partition).  LEVELS is year, year,month,\n"
    "year,month,day, year,month,day,hour or year,month,day,hour,minute: levels start at year\n"
    "and leave none out.  A table has no timestamp column, so matching one with --temporal\n"
    "is an error.  Partitions are calendar periods in --timezone (an ICU/IANA name, default\n"
    "UTC), so a day in America/Los_Angeles may be 23 or 25 hours long.\n"
    "\n"
    "--start-time and --end-time keep the rows of a series whose event time t has\n"
    "START <= t < END: the start is inclusive, the end exclusive.  Times are ISO-8601 and UTC\n"
    "unless they carry an offset: 2024-07-20, 2024-07-20T06:00:00Z, 2024-07-20T08:00:00+02:00.\n"
    "Tables and data files are exported whole.\n"
    "\n"
    "The export is atomic: everything is written under DIR/.pond-staging-XXXXXX and moved into\n"
    "place only when every stage has succeeded; on any failure DIR is left as it was (and is\n"
    "not created when it did not exist).  An output that already exists is an error before\n"
    "anything is written, unless --overwrite, which replaces it as a whole: a match's whole\n"
    "output directory, so no stale partition survives (and an export limited by\n"
    "--start-time/--end-time leaves only that window there).  Two matches that would write\n"
    "the same output, or one inside the other's, are an error naming both.\n"
    "\n"
    "Every export leaves DIR/.pond-export.json, its manifest: each output, the source versions\n"
    "(numbers and sha256) and options it was made from, its files, windows and row counts.\n"
    "--update reads it and brings DIR up to date, writing only what changed: an output\n"
    "whose sources and options are unchanged is kept as it is (same file, same mtime); a\n"
    "partition whose window overlaps a version added, lost or changed since is written again\n"
    "whole, a new window is written, an output no longer made is removed; a data file is\n"
    "copied again only if its sha256 changed, a page replaced only if its bytes changed.\n"
    "Without a manifest (or with a damaged one) --update is an error unless --overwrite is\n"
    "given too, which writes everything.  --dry-run --update says what would be kept,\n"
    "written and removed.\n"
    "\n"
    "The export reads the pond as it was when it started (one snapshot), so other commands,\n"
    "writers included, run meanwhile and its output is exactly that state; when it ends it\n"
    "records its run in the transaction log (pond show).\n"
    "\n"
    "Each written file is a row of the table export_metadata (pattern, capture_group,\n"
    "capture_value, file_path, start_time, end_time, row_count, export_stage, source_path,\n"
    "written (false for a file --update kept);\n"
    "times in Unix milliseconds: the partition's window with --temporal, else the first and\n"
    "last event time) that later stages (--pipeline, --template) query; --dump-tables writes\n"
    "every table of the run as DIR2/<table>.parquet.\n"
    "\n"
    "Each stage reports its name and what it wrote on standard error; on a terminal a bar\n"
    "shows the rows read so far (bytes, for data files), the rate and the sources done.\n"
    "--quiet drops both; errors are still printed.\n"
    "\n"
    "Reading an export back with DuckDB: read_parquet('DIR/BDock/**/*.parquet',\n"
    "hive_partitioning=true) adds year, month, … as columns; where a path holds other\n"
    "name=value directories (res=1d), DuckDB takes them for partition keys too, so pass\n"
    "hive_partitioning=false to get exactly the columns that were exported.  With\n"
    "--capture-names, read_parquet('DIR/**/*.parquet', hive_partitioning=true) has the\n"
    "captures as columns too (site, res).",
    "  pond export -p '/sites/*/res=1d.series' -d out --temporal year,month,day\n"
    "  pond export -p '/sites/**/*.series' -d out --start-time 2024-07-01 --end-time 2024-08-01\n"
    "  pond export -p '/sites/*/*.series' -d out --temporal year,month,day \\\n"
    "              --timezone America/Los_Angeles --overwrite --dump-tables tables\n"
    "  pond export -p '/sites/*/res=*.series' -d out --capture-names site,res \\\n"
    "              --temporal year,month\n"
    "  pond export -p '/sites/*/*.series' -d out --temporal year,month,day --update\n"
    "  pond export -p '/txn/*' -f control -d log\n"
    "  pond export -p '/sites/*/*.series' -d site --pipeline pipeline.yaml -v title=Noyo\n",
};

/* Report lines on stderr, the bar on a terminal. */
static int on_event(const pond_export_event *e, void *payload)
{
    cli_bar *bar = payload;
    char tail[96];

    switch (e->type) {
    case POND_EXPORT_EVENT_PROGRESS:
        snprintf(tail, sizeof tail, "%zu/%zu sources, %zu files", e->sources_done,
                 e->sources_total, e->files);
        if (e->rows_total > 0)
            cli_bar_draw(bar, (double)e->rows_done, (double)e->rows_total, "rows", tail,
                         e->sources_done == e->sources_total);
        else
            cli_bar_draw(bar, (double)e->bytes_done, (double)e->bytes_total, "B", tail,
                         e->sources_done == e->sources_total);
        break;
    case POND_EXPORT_EVENT_STAGE_START:
        cli_bar_restart(bar);
        fprintf(stderr, "%s\n", e->message);
        break;
    default:
        cli_bar_clear(bar);
        fprintf(stderr, "%s%s\n", e->stage ? "  " : "", e->message);
        break;
    }
    return 0;
}

/* The dry-run listing: PATH, SOURCE and, for Parquet, its rows, tab-separated. */
static int on_dry_run_file(const pond_export_file *f, void *payload)
{
    cli_bar *bar = payload;
    cli_bar_clear(bar);
    if (f->rows >= 0)
        printf("%s\t%s\t%" PRId64 " rows\n", f->path, f->source, f->rows);
    else
        printf("%s\t%s\n", f->path, f->source);
    return 0;
}

/* A --var is KEY=VALUE. */
static int check_var(const char *cmd, const char *value, void *list)
{
    (void)list;
    if (!strchr(value, '=') || value[0] == '=')
        return cli_usage_error(cmd, "bad variable '%s': expected KEY=VALUE", value);
    return CLI_EXIT_OK;
}

/* What the command line asks for: most options go straight into the export's options. */
typedef struct export_args {
    pond_export_options o;
    cli_list patterns; /* -p PATTERN… */
    cli_list vars;     /* -v KEY=VALUE… */
    int quiet;
} export_args;

/* Parse argv into *a: -1 when the command is done (*rc: --help printed, or a usage error). */
static int parse_export_args(int argc, char **argv, export_args *a, int *rc)
{
    pond_export_options *o = &a->o;
    const cli_option table[] = {
        CLI_OPT_LIST('p', "pattern", &a->patterns, NULL, "PATTERN",
                     "files to export (repeatable)"),
        CLI_OPT_STRING('d', "dir", &o->dir, "DIR", "the output directory (created when missing)"),
        CLI_OPT_STRING(0, "temporal", &o->temporal, "LEVELS",
                       "split rows by year,month,day,hour,minute (a prefix of that)"),
        CLI_OPT_FS(&o->fs, "data (default) or control (the transaction log)"),
        CLI_OPT_STRING(0, "start-time", &o->start_time, "T",
                       "first event time to export (inclusive)"),
        CLI_OPT_STRING(0, "end-time", &o->end_time, "T", "event time to stop at (exclusive)"),
        CLI_OPT_STRING(0, "timezone", &o->timezone, "TZ",
                       "time zone of the calendar partitions (default UTC)"),
        CLI_OPT_STRING(0, "capture-names", &o->capture_names, "NAMES",
                       "write capture i as NAME_i=value (NAMES: site,res)"),
        CLI_OPT_FLAG(0, "overwrite", &o->overwrite, "replace outputs that exist (each as a whole)"),
        CLI_OPT_FLAG(0, "update", &o->update,
                     "rewrite only the outputs (and partitions) whose sources or\n"
                     "options changed since the export that wrote DIR's manifest"),
        CLI_OPT_FLAG(0, "dry-run", &o->dry_run,
                     "list each file that would be written and its source; write\n"
                     "nothing"),
        CLI_OPT_STRING(0, "dump-tables", &o->dump_tables_dir, "DIR2",
                       "write every context table as DIR2/<table>.parquet, once\n"
                       "the export is in place (an existing one needs --overwrite)"),
        CLI_OPT_STRING(0, "pipeline", &o->pipeline_file, "FILE",
                       "run the stages of a pipeline file (YAML)"),
        CLI_OPT_STRING('t', "template", &o->template_spec, "SPEC",
                       "add a template stage after the data export"),
        CLI_OPT_LIST('v', "var", &a->vars, check_var, "KEY=VALUE",
                     "a template variable (repeatable)"),
        CLI_OPT_FLAG('q', "quiet", &a->quiet, "no stage reports or progress on standard error"),
        CLI_OPT_END,
    };
    int first = cli_parse_options(argc, argv, table, &help, rc);

    if (first < 0)
        return -1;
    if (first < argc) {
        *rc = cli_usage_error(argv[0], "unexpected argument '%s' (patterns go after -p)",
                              argv[first]);
        return -1;
    }
    o->patterns = a->patterns.items;
    o->npatterns = a->patterns.n;
    o->vars = a->vars.items;
    o->nvars = a->vars.n;
    return 0;
}

/* The options that must go together or not at all, and the times: errors of the user,
 * found before the pond is opened. */
static int check_export_args(const char *cmd, const pond_export_options *o)
{
    int64_t t;

    if (!o->dir)
        return cli_usage_error(cmd, "no output directory: use -d DIR");
    if (!o->npatterns && !o->pipeline_file)
        return cli_usage_error(cmd, "no pattern: use -p PATTERN");
    if (o->pipeline_file && o->template_spec)
        return cli_usage_error(cmd, "use --pipeline or --template, not both");
    if ((o->start_time && pond_time_parse(&t, o->start_time) != POND_OK) ||
        (o->end_time && pond_time_parse(&t, o->end_time) != POND_OK))
        return cli_fail();
    return CLI_EXIT_OK;
}

/* Run the export, its reports on stderr (unless quiet) and the dry-run listing on stdout. */
static int run_export(const cli_global *g, export_args *a)
{
    pond *p = NULL;
    cli_bar bar;
    int rc;

    cli_bar_init(&bar, a->quiet);
    a->o.progress = a->quiet ? NULL : on_event;
    a->o.dry_run_file = on_dry_run_file;
    a->o.payload = &bar;
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        return rc;
    if (pond_export(NULL, p, &a->o) != POND_OK) {
        cli_bar_clear(&bar);
        rc = cli_fail();
    }
    fflush(stdout);
    pond_close(p);
    return rc;
}

int cmd_export(int argc, char **argv, const cli_global *g)
{
    export_args a = {POND_EXPORT_OPTIONS_INIT, {NULL, 0}, {NULL, 0}, 0};
    int rc;

    if (parse_export_args(argc, argv, &a, &rc) == 0 &&
        (rc = check_export_args(argv[0], &a.o)) == CLI_EXIT_OK)
        rc = run_export(g, &a);
    cli_list_free(&a.patterns);
    cli_list_free(&a.vars);
    return rc;
}
