/*
 * cli/cmd_describe.c: pond describe [-f data|control] PATTERN: for every matching entry, its
 * type, timestamp column, schema, versions (txn, rows, bytes, time range, sha256 prefix),
 * total rows and time range.
 *
 * The schema shown is the union of the versions' schemas by column name (what reading the
 * series gives), in first-seen order, each column with its type in the latest version that
 * has it.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_options.h"

static const cli_help help = {
    "pond describe [-f data|control] [--format table|csv|json] PATTERN",
    "Show type, schema, versions and time range of matching entries.",
    "For each entry matching PATTERN ('*' within a name, '**' across directories): its type,\n"
    "the timestamp column of a series, the schema (column name and type), every version\n"
    "(number, transaction, rows, bytes, first and last event time in UTC, the first 12 hex\n"
    "digits of its sha256), the total row count and the time range.  For a table the rows\n"
    "are those of its latest version; a series is the union of all its versions.\n"
    "\n"
    "--format json prints one array with an object per entry (its schema and versions\n"
    "nested, times ISO-8601 UTC, the whole sha256); --format csv prints one record per\n"
    "version (path, type, timestamp_column, version, txn, rows, bytes, first_event,\n"
    "last_event, sha256, schema as JSON, factory, reads_as, node).",
    "  pond describe /sites/BDock.series\n"
    "  pond describe '/sites/**'\n"
    "  pond describe --format json /sites/BDock.series\n",
};

typedef struct describe_state {
    size_t count;
    cli_format format;
    cli_records rec;
    pond *p;
} describe_state;

static int print_input(const pond_derive_input *in, void *ctx)
{
    (void)ctx;
    printf("    %-40s %s %" PRId64 "  %.12s\n", in->path, in->is_config ? "config " : "version",
           in->version, in->sha256);
    return 0;
}

/* A dynamic entry: its factory and node, the node's config text, the columns it reads as
 * (asked of DuckDB over the current sources) and every input it reads. */
static int describe_dynamic(describe_state *st, const pond_entry_info *e)
{
    const char *as = e->reads_as == POND_ENTRY_SERIES  ? "series"
                     : e->reads_as == POND_ENTRY_TABLE ? "table"
                                                       : "dir";
    int is_node = !e->node || strcmp(e->node, e->path) == 0;

    printf("  type              dynamic:%s\n", as);
    printf("  factory           %s\n", e->factory ? e->factory : "?");
    if (!is_node)
        printf("  made by node      %s\n", e->node);
    if (e->timestamp_column)
        printf("  timestamp column  %s\n", e->timestamp_column);
    printf("  last txn          %" PRId64 "\n", e->txn);
    if (e->ncaptures) {
        printf("  captures         ");
        for (size_t i = 0; i < e->ncaptures; i++)
            printf(" $%zu=%s", i, e->captures[i]);
        putchar('\n');
    }
    if (is_node && e->nversions) {
        const pond_version_info *v = &e->versions[e->nversions - 1];
        FILE *f = fopen(v->content_path, "r");
        char line[4096];
        printf("  config            version %" PRId64 " of %zu (txn %" PRId64 ")\n", v->version,
               e->nversions, v->txn);
        while (f && fgets(line, sizeof line, f)) {
            size_t n = strlen(line);
            printf("    %s%s", line, n && line[n - 1] == '\n' ? "" : "\n");
        }
        if (f)
            fclose(f);
    }
    if (e->relation) {
        pond_cat_options co = POND_CAT_OPTIONS_INIT;
        co.sql = "SELECT '    ' || rpad(column_name, 24, ' ') || ' ' || column_type AS c FROM "
                 "(DESCRIBE SELECT * FROM series)";
        co.format = POND_OUTPUT_CSV;
        printf("  schema (computed)\n");
        fflush(stdout);
        {
            char *buf = NULL;
            size_t len = 0;
            FILE *mem = open_memstream(&buf, &len);
            int rc = mem ? pond_cat(st->p, POND_FS_DATA, e->path, &co, mem) : POND_ENOMEM;
            if (mem)
                fclose(mem);
            if (rc == POND_OK && buf) {
                char *nl = strchr(buf, '\n'); /* the CSV header goes */
                fputs(nl ? nl + 1 : "", stdout);
            }
            free(buf);
            if (rc < 0)
                return rc;
        }
    }
    printf("  reads\n");
    return pond_derive_inputs(st->p, e->path, print_input, NULL);
}

/* The union of the versions' schemas: *order the names (first seen first), *cols name ->
 * type (the latest version's).  Both owned by the caller.  Returns 0, or -1 when a schema is
 * not JSON (or memory runs out). */
static int schema_union(const pond_entry_info *e, json_t **order_out, json_t **cols_out)
{
    json_t *cols = json_object(), *order = json_array();

    *order_out = *cols_out = NULL;
    if (!cols || !order)
        goto fail;
    for (size_t v = 0; v < e->nversions; v++) {
        json_error_t err;
        json_t *schema, *col;
        size_t i;

        if (!e->versions[v].schema)
            continue;
        if (!(schema = json_loads(e->versions[v].schema, 0, &err)) || !json_is_array(schema)) {
            json_decref(schema);
            goto fail;
        }
        json_array_foreach(schema, i, col) {
            const char *name = json_string_value(json_object_get(col, "name"));
            const char *type = json_string_value(json_object_get(col, "type"));
            if (!name)
                continue;
            if (!json_object_get(cols, name))
                json_array_append_new(order, json_string(name));
            json_object_set_new(cols, name, json_string(type ? type : "?"));
        }
        json_decref(schema);
    }
    *order_out = order;
    *cols_out = cols;
    return 0;
fail:
    json_decref(cols);
    json_decref(order);
    return -1;
}

/* Print the union of the versions' schemas.  Returns 0, or -1 when a schema is not JSON. */
static int print_schema(const pond_entry_info *e)
{
    json_t *cols, *order, *name;
    size_t width = 0, i;

    if (schema_union(e, &order, &cols) < 0)
        return -1;
    json_array_foreach(order, i, name) {
        if (strlen(json_string_value(name)) > width)
            width = strlen(json_string_value(name));
    }
    if (json_array_size(order)) {
        printf("  schema\n");
        json_array_foreach(order, i, name) {
            const char *n = json_string_value(name);
            printf("    %-*s  %s\n", (int)width, n, json_string_value(json_object_get(cols, n)));
        }
    }
    json_decref(cols);
    json_decref(order);
    return 0;
}

/* The schema union as JSON [{"name":…,"type":…},…]; null when a schema is unreadable. */
static json_t *schema_json(const pond_entry_info *e)
{
    json_t *cols, *order, *name, *out;
    size_t i;

    if (schema_union(e, &order, &cols) < 0)
        return json_null();
    out = json_array();
    json_array_foreach(order, i, name) {
        const char *n = json_string_value(name);
        json_array_append_new(out, json_pack("{s:s,s:O}", "name", n, "type",
                                             json_object_get(cols, n)));
    }
    json_decref(cols);
    json_decref(order);
    return out;
}

/* ISO-8601 UTC as a JSON string. */
static json_t *time_json(int64_t t)
{
    char buf[48];
    return json_string(cli_format_time(buf, sizeof buf, t));
}

/* Total rows (*has_rows 0 when no version counts rows) and time range (*has_time). */
static void entry_totals(const pond_entry_info *e, int64_t *rows, int *has_rows, int64_t *tmin,
                         int64_t *tmax, int *has_time)
{
    *rows = *tmin = *tmax = 0;
    *has_rows = *has_time = 0;
    for (size_t i = 0; i < e->nversions; i++) {
        const pond_version_info *v = &e->versions[i];
        if (v->row_count >= 0) {
            *has_rows = 1;
            if (e->type == POND_ENTRY_SERIES)
                *rows += v->row_count;
            else
                *rows = v->row_count; /* a table is its latest version */
        }
        if (v->has_time) {
            if (!*has_time || v->min_time < *tmin)
                *tmin = v->min_time;
            if (!*has_time || v->max_time > *tmax)
                *tmax = v->max_time;
            *has_time = 1;
        }
    }
}

static const char *const json_columns[] = {
    "path",       "type",        "target",     "timestamp_column", "txn",     "captures",
    "schema",     "versions",    "total_rows", "first_event",      "last_event", "factory",
    "reads_as",   "node"};

/* One entry as a JSON object. */
static void entry_json(cli_records *r, const pond_entry_info *e)
{
    json_t *captures = json_array(), *versions = json_array();
    int64_t rows, tmin, tmax;
    int has_rows, has_time;

    entry_totals(e, &rows, &has_rows, &tmin, &tmax, &has_time);
    for (size_t i = 0; i < e->ncaptures; i++)
        json_array_append_new(captures, cli_json_str(e->captures[i]));
    for (size_t i = 0; i < e->nversions; i++) {
        const pond_version_info *v = &e->versions[i];
        json_array_append_new(
            versions,
            json_pack("{s:I,s:I,s:o,s:I,s:o,s:o,s:o}", "version", (json_int_t)v->version, "txn",
                      (json_int_t)v->txn, "rows",
                      v->row_count >= 0 ? json_integer(v->row_count) : json_null(), "bytes",
                      (json_int_t)v->size, "first_event",
                      v->has_time ? time_json(v->min_time) : json_null(), "last_event",
                      v->has_time ? time_json(v->max_time) : json_null(), "sha256",
                      v->sha256 ? json_string(v->sha256) : json_null()));
    }
    cli_records_str(r, e->path);
    cli_records_str(r, pond_entry_type_name(e->type));
    cli_records_str(r, e->symlink_target);
    cli_records_str(r, e->timestamp_column);
    cli_records_int(r, e->txn);
    cli_records_value(r, captures);
    /* a dynamic entry's schema is computed when it is read (the table layout shows it) */
    cli_records_value(r, e->type == POND_ENTRY_DIR || e->type == POND_ENTRY_SYMLINK ||
                                 e->type == POND_ENTRY_DATA || e->type == POND_ENTRY_DYNAMIC
                             ? json_null()
                             : schema_json(e));
    cli_records_value(r, versions);
    if (has_rows)
        cli_records_int(r, rows);
    else
        cli_records_null(r);
    if (has_time) {
        cli_records_time(r, tmin);
        cli_records_time(r, tmax);
    } else {
        cli_records_null(r);
        cli_records_null(r);
    }
    cli_records_str(r, e->factory);
    cli_records_str(r, pond_entry_type_name(e->reads_as));
    cli_records_str(r, e->node);
    cli_records_row_end(r);
}

static const char *const csv_columns[] = {
    "path",  "type",        "timestamp_column", "version", "txn",     "rows",
    "bytes", "first_event", "last_event",       "sha256",  "schema", "factory",
    "reads_as", "node"};

/* One CSV record per version (one with empty version fields for an entry without). */
static void entry_csv(cli_records *r, const pond_entry_info *e)
{
    size_t i = 0;
    do {
        const pond_version_info *v = e->nversions ? &e->versions[i] : NULL;
        cli_records_str(r, e->path);
        cli_records_str(r, pond_entry_type_name(e->type));
        cli_records_str(r, e->timestamp_column);
        if (v) {
            cli_records_int(r, v->version);
            cli_records_int(r, v->txn);
            if (v->row_count >= 0)
                cli_records_int(r, v->row_count);
            else
                cli_records_null(r);
            cli_records_int(r, v->size);
            if (v->has_time) {
                cli_records_time(r, v->min_time);
                cli_records_time(r, v->max_time);
            } else {
                cli_records_null(r);
                cli_records_null(r);
            }
            cli_records_str(r, v->sha256);
            cli_records_json(r, v->schema);
        } else {
            for (int k = 0; k < 8; k++)
                cli_records_null(r);
        }
        cli_records_str(r, e->factory);
        cli_records_str(r, pond_entry_type_name(e->reads_as));
        cli_records_str(r, e->node);
        cli_records_row_end(r);
    } while (++i < e->nversions);
}

static int describe_entry(const pond_entry_info *e, void *ctx)
{
    describe_state *st = ctx;
    int64_t total_rows = 0, tmin = 0, tmax = 0;
    int has_time = 0, has_rows = 0;
    char t1[48], t2[48];

    if (st->format == CLI_FORMAT_JSON) {
        entry_json(&st->rec, e);
        return 0;
    }
    if (st->format == CLI_FORMAT_CSV) {
        entry_csv(&st->rec, e);
        return 0;
    }
    if (st->count++)
        putchar('\n');
    printf("%s\n", e->path);
    if (e->type == POND_ENTRY_DYNAMIC)
        return describe_dynamic(st, e);
    printf("  type              %s\n", pond_entry_type_name(e->type));
    if (e->symlink_target)
        printf("  target            %s\n", e->symlink_target);
    if (e->timestamp_column)
        printf("  timestamp column  %s\n", e->timestamp_column);
    printf("  last txn          %" PRId64 "\n", e->txn);
    if (e->ncaptures) {
        printf("  captures         ");
        for (size_t i = 0; i < e->ncaptures; i++)
            printf(" $%zu=%s", i, e->captures[i]);
        putchar('\n');
    }
    if (print_schema(e) < 0)
        printf("  schema            (unreadable)\n");
    if (e->nversions) {
        printf("  versions\n");
        if (e->type == POND_ENTRY_SERIES)
            printf("    %7s %6s %10s %12s  %-20s  %-20s  %s\n", "version", "txn", "rows",
                   "bytes", "first event", "last event", "sha256");
        else
            printf("    %7s %6s %10s %12s  %s\n", "version", "txn", "rows", "bytes", "sha256");
    }
    for (size_t i = 0; i < e->nversions; i++) {
        const pond_version_info *v = &e->versions[i];
        char rows[32] = "-";
        if (v->row_count >= 0) {
            snprintf(rows, sizeof rows, "%" PRId64, v->row_count);
            has_rows = 1;
            if (e->type == POND_ENTRY_SERIES)
                total_rows += v->row_count;
            else
                total_rows = v->row_count; /* a table is its latest version */
        }
        if (v->has_time) {
            cli_format_time(t1, sizeof t1, v->min_time);
            cli_format_time(t2, sizeof t2, v->max_time);
            if (!has_time || v->min_time < tmin)
                tmin = v->min_time;
            if (!has_time || v->max_time > tmax)
                tmax = v->max_time;
            has_time = 1;
        } else {
            snprintf(t1, sizeof t1, "-");
            snprintf(t2, sizeof t2, "-");
        }
        if (e->type == POND_ENTRY_SERIES)
            printf("    %7" PRId64 " %6" PRId64 " %10s %12" PRId64 "  %-20s  %-20s  %.12s\n",
                   v->version, v->txn, rows, v->size, t1, t2, v->sha256 ? v->sha256 : "-");
        else
            printf("    %7" PRId64 " %6" PRId64 " %10s %12" PRId64 "  %.12s\n", v->version,
                   v->txn, rows, v->size, v->sha256 ? v->sha256 : "-");
    }
    if (has_rows)
        printf("  total rows        %" PRId64 "\n", total_rows);
    if (has_time)
        printf("  time range        %s .. %s\n", cli_format_time(t1, sizeof t1, tmin),
               cli_format_time(t2, sizeof t2, tmax));
    return 0;
}

int cmd_describe(int argc, char **argv, const cli_global *g)
{
    describe_state st;
    pond_fs fs = POND_FS_DATA;
    pond *p = NULL;
    int rc, format = CLI_FORMAT_TABLE, first;
    const cli_option table[] = {
        CLI_OPT_FS(&fs, "the file system: data (default) or control"),
        CLI_OPT_FORMAT(&format, "table (default), csv or json"),
        CLI_OPT_END,
    };

    memset(&st, 0, sizeof st);
    if ((first = cli_parse_options(argc, argv, table, &help, &rc)) < 0)
        return rc;
    st.format = (cli_format)format;
    if (first >= argc)
        return cli_usage_error(argv[0], "no PATTERN given");
    if (argc - first > 1)
        return cli_usage_error(argv[0], "too many arguments (quote the pattern: '/a/*')");
    if ((rc = cli_open_pond(&p, g)) != CLI_EXIT_OK)
        return rc;
    if (st.format == CLI_FORMAT_JSON)
        cli_records_begin(&st.rec, st.format, stdout, json_columns,
                          sizeof json_columns / sizeof *json_columns);
    else if (st.format == CLI_FORMAT_CSV)
        cli_records_begin(&st.rec, st.format, stdout, csv_columns,
                          sizeof csv_columns / sizeof *csv_columns);
    st.p = p;
    if (pond_glob(p, fs, argv[first], POND_WITH_VERSIONS, describe_entry, &st) < 0)
        rc = cli_fail();
    if (st.format != CLI_FORMAT_TABLE && cli_records_end(&st.rec) != CLI_EXIT_OK && !rc)
        rc = CLI_EXIT_ERROR;
    pond_close(p);
    return rc;
}
