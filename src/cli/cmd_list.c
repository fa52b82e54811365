/*
 * cli/cmd_list.c: pond list [-l] [-f data|control] [--format F] [PATTERN]: the entries
 * matching a pattern, one path a line, or `ls -l` style with -l, or as CSV / JSON records
 * holding what -l shows.
 *
 * Without PATTERN the children of "/" are listed (an empty pond lists nothing).  A PATTERN
 * without wildcards that names a directory lists that directory's children, like ls.  A
 * PATTERN that matches nothing is an error naming it.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_options.h"

static const cli_help help = {
    "pond list [-l] [-f data|control] [--format table|csv|json] [PATTERN]",
    "List the entries matching a pattern.",
    "PATTERN is an absolute pond path in which '*' matches within one name and '**' matches\n"
    "any number of directories.  Without PATTERN, the entries in '/' are listed; a PATTERN\n"
    "without wildcards naming a directory lists what is in it.  Quote patterns so the shell\n"
    "leaves '*' alone.  A pattern that matches nothing is an error.\n"
    "\n"
    "With -l each line shows: type, number of versions, size in bytes, rows (a series: of all\n"
    "versions; a table or data file: of its latest version), the last transaction that changed\n"
    "the entry, and the path.  --format csv or json prints these as records, one per entry:\n"
    "path, type, versions, size, rows, txn, target (of a symlink), factory, reads_as and\n"
    "node (of dynamic entries); a field that does not apply is empty (csv) or null (json).",
    "  pond list\n"
    "  pond list -l '/sites/**'\n"
    "  pond list '/sites/*/res=*.series'\n"
    "  pond list -f control\n"
    "  pond list --format json '/sites/**'\n",
};

static const char *const record_columns[] = {"path", "type",   "versions", "size",
                                             "rows", "txn",    "target",   "factory",
                                             "reads_as", "node"};

typedef struct list_state {
    int is_long;
    cli_format format;
    cli_records rec;
    size_t count;
    int single_dir; /* the literal pattern named a directory */
} list_state;

/* The size and rows -l shows; *has_size / *has_rows 0 when they do not apply. */
static void entry_totals(const pond_entry_info *e, int64_t *size, int64_t *rows, int *has_size,
                         int *has_rows)
{
    *size = 0;
    *rows = 0;
    if (e->type == POND_ENTRY_SERIES) {
        for (size_t i = 0; i < e->nversions; i++) {
            *size += e->versions[i].size;
            *rows += e->versions[i].row_count > 0 ? e->versions[i].row_count : 0;
        }
    } else if (e->nversions) {
        *size = e->versions[e->nversions - 1].size;
        *rows = e->versions[e->nversions - 1].row_count;
    }
    /* a dynamic entry is computed when read: no size or rows without reading it */
    *has_size = e->type != POND_ENTRY_DIR && e->type != POND_ENTRY_SYMLINK &&
                e->type != POND_ENTRY_DYNAMIC;
    *has_rows = *has_size && *rows >= 0 && e->type != POND_ENTRY_DATA;
}

/* One row of list -l.  The type column is as wide as its longest value, "dynamic:series". */
static void print_long(const pond_entry_info *e)
{
    int64_t size, rows;
    char size_s[32] = "-", rows_s[32] = "-", type[32];
    int has_size, has_rows;
    size_t versions = e->nversions;

    entry_totals(e, &size, &rows, &has_size, &has_rows);
    if (has_size)
        snprintf(size_s, sizeof size_s, "%" PRId64, size);
    if (has_rows)
        snprintf(rows_s, sizeof rows_s, "%" PRId64, rows);
    snprintf(type, sizeof type, "%s", pond_entry_type_name(e->type));
    int is_node = e->node == NULL || strcmp(e->node, e->path) == 0;
    if (e->type == POND_ENTRY_DYNAMIC) {
        /* computed when read: no size or rows without reading it; the versions are the
         * node's config versions, shown on the node itself only */
        const char *as = e->reads_as == POND_ENTRY_SERIES  ? "series"
                         : e->reads_as == POND_ENTRY_TABLE ? "table"
                                                           : "dir";
        snprintf(type, sizeof type, "dynamic:%s", as);
        if (!is_node)
            versions = 0;
    }
    printf("%-14s %4zu %12s %10s %6" PRId64 "  %s", type, versions, size_s, rows_s, e->txn,
           e->path);
    if (e->type == POND_ENTRY_DYNAMIC && e->factory && is_node)
        printf(" (%s)", e->factory);
    if (e->type == POND_ENTRY_SYMLINK && e->symlink_target)
        printf(" -> %s", e->symlink_target);
    putchar('\n');
}

static void put_record(cli_records *r, const pond_entry_info *e)
{
    int64_t size, rows;
    int has_size, has_rows;

    entry_totals(e, &size, &rows, &has_size, &has_rows);
    cli_records_str(r, e->path);
    cli_records_str(r, pond_entry_type_name(e->type));
    /* an entry inside a dynamic directory has no versions of its own */
    cli_records_int(r, e->node && strcmp(e->node, e->path) ? 0 : (int64_t)e->nversions);
    if (has_size)
        cli_records_int(r, size);
    else
        cli_records_null(r);
    if (has_rows)
        cli_records_int(r, rows);
    else
        cli_records_null(r);
    cli_records_int(r, e->txn);
    cli_records_str(r, e->symlink_target);
    cli_records_str(r, e->factory);
    cli_records_str(r, pond_entry_type_name(e->reads_as));
    cli_records_str(r, e->node);
    cli_records_row_end(r);
}

static int print_entry(const pond_entry_info *e, void *ctx)
{
    list_state *st = ctx;
    st->count++;
    if (st->format != CLI_FORMAT_TABLE)
        put_record(&st->rec, e);
    else if (st->is_long)
        print_long(e);
    else
        printf("%s\n", e->path);
    return 0;
}

static int note_dir(const pond_entry_info *e, void *ctx)
{
    list_state *st = ctx;
    st->single_dir = e->type == POND_ENTRY_DIR ||
                     (e->type == POND_ENTRY_DYNAMIC && e->reads_as == POND_ENTRY_DIR);
    return 0;
}

/* List pattern's matches; with allow_empty, matching nothing is not an error. */
static int list_pattern(pond *p, pond_fs fs, const char *pattern, list_state *st,
                        int allow_empty)
{
    int rc = pond_glob(p, fs, pattern,
                       st->is_long || st->format != CLI_FORMAT_TABLE ? POND_WITH_VERSIONS : 0u,
                       print_entry, st);
    if (rc == POND_ENOTFOUND && allow_empty && st->count == 0) {
        pond_error_clear();
        return CLI_EXIT_OK;
    }
    return rc < 0 ? cli_fail() : CLI_EXIT_OK;
}

int cmd_list(int argc, char **argv, const cli_global *g)
{
    list_state st;
    pond_fs fs = POND_FS_DATA;
    const char *pattern = NULL;
    char *children = NULL;
    pond *p = NULL;
    int rc, format = CLI_FORMAT_TABLE, first;

    memset(&st, 0, sizeof st);
    const cli_option table[] = {
        CLI_OPT_FLAG('l', "long", &st.is_long, "long listing"),
        CLI_OPT_FORMAT(&format, "table (default), csv or json (one array of objects)"),
        CLI_OPT_FS(&fs, "the file system: data (default) or control (the transaction log)"),
        CLI_OPT_END,
    };
    if ((first = cli_parse_options(argc, argv, table, &help, &rc)) < 0)
        return rc;
    st.format = (cli_format)format;
    if (argc - first > 1)
        return cli_usage_error(argv[0], "too many arguments (quote the pattern: '/a/*')");
    if (first < argc)
        pattern = argv[first];
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        return rc;
    if (st.format != CLI_FORMAT_TABLE)
        cli_records_begin(&st.rec, st.format, stdout, record_columns,
                          sizeof record_columns / sizeof *record_columns);

    if (!pattern) {
        rc = list_pattern(p, fs, "/*", &st, 1);
        goto done;
    }
    if (!strchr(pattern, '*') && strcmp(pattern, "/") != 0) {
        /* A literal path: a directory lists its children. */
        if (pond_glob(p, fs, pattern, 0, note_dir, &st) < 0) {
            rc = cli_fail();
            goto done;
        }
        if (!st.single_dir) {
            rc = list_pattern(p, fs, pattern, &st, 0);
            goto done;
        }
        size_t n = strlen(pattern) + 3;
        if (!(children = malloc(n))) {
            rc = cli_error("out of memory");
            goto done;
        }
        snprintf(children, n, "%s%s*", pattern, pattern[strlen(pattern) - 1] == '/' ? "" : "/");
        rc = list_pattern(p, fs, children, &st, 1);
        goto done;
    }
    rc = list_pattern(p, fs, strcmp(pattern, "/") ? pattern : "/*", &st,
                      !strcmp(pattern, "/"));

done:
    /* the records end even after an error, so what was printed stays one document */
    if (st.format != CLI_FORMAT_TABLE && cli_records_end(&st.rec) != CLI_EXIT_OK && !rc)
        rc = CLI_EXIT_ERROR;
    free(children);
    pond_close(p);
    return rc;
}
