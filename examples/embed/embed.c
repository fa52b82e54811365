/*
 * examples/embed/embed.c: libpond from a program of your own.
 *
 *   embed POND_DIR CSV OUT_DIR
 *
 * Creates a pond in POND_DIR, copies CSV into it as the series /sensor.series, and exports
 * that series by day into OUT_DIR (OUT_DIR/sensor/year=…/month=…/day=…/data.parquet), with a
 * line on stderr per stage and one line on stdout per file written, read from the run's
 * export_metadata table.  Build it against an installed libpond:
 *
 *   cc embed.c $(pkg-config --cflags --libs pond) -o embed
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <pond.h>

/* Report lines of the export (stage starts, results), as the pond CLI prints them. */
static int on_event(const pond_export_event *e, void *payload)
{
    (void)payload;
    int inside = e->stage && e->type != POND_EXPORT_EVENT_STAGE_START;
    if (e->message)
        fprintf(stderr, "%s%s\n", inside ? "  " : "", e->message);
    return 0; /* non-zero would cancel the export */
}

/* The cell of the column named name, or NULL. */
static const pond_value *cell(const pond_row *row, const char *name)
{
    for (size_t i = 0; i < row->ncolumns; i++)
        if (strcmp(row->names[i], name) == 0)
            return &row->values[i];
    return NULL;
}

/* One export_metadata row per file written: its path below OUT_DIR and its rows. */
static int on_row(const pond_row *row, void *payload)
{
    const pond_value *path = cell(row, "file_path"), *rows = cell(row, "row_count");
    (void)payload;
    if (!path || !rows)
        return -1; /* not export_metadata: stop */
    printf("%s\t%" PRId64 " rows\n", path->text, rows->integer);
    return 0;
}

static int fail(const char *what)
{
    fprintf(stderr, "embed: %s: %s\n", what, pond_error_last());
    return 1;
}

int main(int argc, char **argv)
{
    pond *p = NULL;
    pond_export_result *result = NULL;
    pond_open_options open = POND_OPEN_OPTIONS_INIT;
    pond_copy_options copy = POND_COPY_OPTIONS_INIT;
    pond_export_options exp = POND_EXPORT_OPTIONS_INIT;
    const char *patterns[] = {"/*.series"};
    int rc = 1;

    if (argc != 4) {
        fprintf(stderr, "usage: embed POND_DIR CSV OUT_DIR\n");
        return 2;
    }
    if (pond_init(argv[1]) != POND_OK)
        return fail("init");
    open.command_line = "embed";
    if (pond_open(&p, argv[1], &open) != POND_OK)
        return fail("open");

    copy.format = POND_COPY_SERIES;
    if (pond_copy_in(p, (const char *const *)&argv[2], 1, "/sensor.series", &copy) != POND_OK) {
        fail("copy");
        goto done;
    }

    exp.patterns = patterns;
    exp.npatterns = 1;
    exp.dir = argv[3];
    exp.temporal = "year,month,day";
    exp.progress = on_event;
    if (pond_export(&result, p, &exp) != POND_OK) {
        fail("export");
        goto done;
    }
    if (pond_export_result_rows(result, "export_metadata", on_row, NULL) != POND_OK) {
        fail("export_metadata");
        goto done;
    }
    printf("pond %s: exported to %s\n", pond_version(NULL, NULL, NULL),
           pond_export_result_dir(result));
    rc = 0;
done:
    pond_export_result_free(result);
    pond_close(p);
    return rc;
}
