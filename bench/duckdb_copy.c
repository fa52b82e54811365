/*
 * bench/duckdb_copy.c: the plain-DuckDB side of the export benchmark (bench/run-export.sh).
 *
 *   pond-bench-duckdb-copy OUTDIR [--temporal year,month,day] [--ts COLUMN]
 *                          [--each | --by-file] [--return-stats] (FILE… | --files-from LIST)
 *
 * Does with DuckDB alone what `pond export --temporal …` does for the same Parquet files:
 *
 *   COPY (SELECT *, year(ts) AS year, month(ts) AS month, day(ts) AS day
 *         FROM read_parquet(FILES)) TO OUT (FORMAT PARQUET, PARTITION_BY (year, month, day))
 *
 * Without --each, one COPY reads every FILE (as a bound list, like the versions of one series)
 * into OUTDIR.  With --each, one COPY per FILE into OUTDIR/<n>/ (n = 0, 1, …), all through one
 * prepared statement on one connection: what DuckDB itself needs to write N series into N
 * partitioned trees.  With --by-file, one COPY over every FILE partitioned by (src, year, …),
 * src being the source file's name: the same N trees (OUTDIR/src=NAME/year=…) in a single
 * statement, the fastest way DuckDB has, for reference.  --files-from reads the file names from LIST, one a line ("-": stdin).
 *
 * Prints one line: "copies=N rows=R files=F seconds=S" (rows and files only with
 * --return-stats, else -1; seconds covers the COPYs, not the process start).  Exit 0, or 1 with
 * DuckDB's message.  Benchmark tool only: nothing in libpond uses it.
 */
#include <duckdb.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *const temporal_words[] = {"year", "month", "day", "hour", "minute"};
#define NTEMPORAL (sizeof temporal_words / sizeof *temporal_words)

static void usage(FILE *f)
{
    fprintf(f, "usage: pond-bench-duckdb-copy OUTDIR [--temporal LIST] [--ts COLUMN]\n"
               "                              [--each | --by-file] [--return-stats]\n"
               "                              (FILE… | --files-from LIST)\n");
}

static int is_identifier(const char *s)
{
    if (!s || !(*s == '_' || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
        return 0;
    for (s++; *s; s++)
        if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Append the file names of list (one a line, "-" = stdin) to *files. */
static int read_list(const char *list, char ***files, size_t *n, size_t *cap)
{
    FILE *f = strcmp(list, "-") == 0 ? stdin : fopen(list, "r");
    char *line = NULL;
    size_t linecap = 0;
    ssize_t len;
    if (!f) {
        perror(list);
        return 1;
    }
    while ((len = getline(&line, &linecap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *files = realloc(*files, *cap * sizeof **files);
            if (!*files)
                return 1;
        }
        (*files)[(*n)++] = strdup(line);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    const char *temporal = "year,month,day", *ts = "timestamp";
    int each = 0, by_file = 0, stats = 0, rc = 1;
    char **files = NULL;
    size_t nfiles = 0, cap = 0;
    static const struct option opts[] = {{"temporal", 1, 0, 't'},   {"ts", 1, 0, 'c'},
                                         {"each", 0, 0, 'e'},       {"return-stats", 0, 0, 'r'},
                                         {"by-file", 0, 0, 'b'},
                                         {"files-from", 1, 0, 'f'}, {"help", 0, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 't': temporal = optarg; break;
        case 'c': ts = optarg; break;
        case 'e': each = 1; break;
        case 'b': by_file = 1; break;
        case 'r': stats = 1; break;
        case 'f':
            if (read_list(optarg, &files, &nfiles, &cap))
                return 1;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc || !is_identifier(ts) || (each && by_file)) {
        usage(stderr);
        return 2;
    }
    const char *outdir = argv[optind++];
    for (; optind < argc; optind++) {
        if (nfiles == cap) {
            cap = cap ? cap * 2 : 64;
            if (!(files = realloc(files, cap * sizeof *files)))
                return 1;
        }
        files[nfiles++] = strdup(argv[optind]);
    }
    if (nfiles == 0) {
        usage(stderr);
        return 2;
    }

    /* The SQL holds only our own words and the checked column name; paths are bound. */
    char select[1024], parts[256] = "", sql[2048];
    size_t ns = (size_t)snprintf(select, sizeof select, "%s",
                                 by_file ? "SELECT * EXCLUDE (filename), "
                                           "parse_filename(filename) AS src"
                                         : "SELECT *");
    size_t np = (size_t)snprintf(parts, sizeof parts, "%s", by_file ? "src" : "");
    char tbuf[128];
    snprintf(tbuf, sizeof tbuf, "%s", temporal);
    for (char *w = strtok(tbuf, ","); w; w = strtok(NULL, ",")) {
        size_t k = 0;
        while (k < NTEMPORAL && strcmp(w, temporal_words[k]) != 0)
            k++;
        if (k == NTEMPORAL) {
            fprintf(stderr, "pond-bench-duckdb-copy: bad --temporal word '%s'\n", w);
            return 2;
        }
        ns += (size_t)snprintf(select + ns, sizeof select - ns, ", %s(\"%s\") AS %s", w, ts, w);
        np += (size_t)snprintf(parts + np, sizeof parts - np, "%s%s", np ? ", " : "", w);
    }
    snprintf(sql, sizeof sql,
             "COPY (%s FROM read_parquet($1%s)) TO $2 (FORMAT PARQUET%s%s%s%s)", select,
             by_file ? ", filename = true" : "",
             np ? ", PARTITION_BY (" : "", parts, np ? ")" : "", stats ? ", RETURN_STATS" : "");

    if (each && mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "pond-bench-duckdb-copy: cannot create '%s': %s\n", outdir,
                strerror(errno));
        return 1;
    }
    duckdb_database db;
    duckdb_connection con;
    duckdb_prepared_statement stmt = NULL;
    duckdb_result res;
    long long rows = stats ? 0 : -1, written = stats ? 0 : -1;
    size_t copies = 0;
    if (duckdb_open(NULL, &db) != DuckDBSuccess || duckdb_connect(db, &con) != DuckDBSuccess) {
        fprintf(stderr, "pond-bench-duckdb-copy: cannot open DuckDB\n");
        return 1;
    }
    double t0 = now_seconds();
    if (duckdb_prepare(con, sql, &stmt) != DuckDBSuccess) {
        fprintf(stderr, "pond-bench-duckdb-copy: %s\n", duckdb_prepare_error(stmt));
        goto done;
    }
    for (size_t i = 0; i < (each ? nfiles : 1); i++) {
        char out[4096];
        if (each) {
            snprintf(out, sizeof out, "%s/%zu", outdir, i);
            duckdb_bind_varchar(stmt, 1, files[i]);
        } else {
            snprintf(out, sizeof out, "%s", outdir);
            duckdb_value *vals = malloc(nfiles * sizeof *vals);
            for (size_t k = 0; k < nfiles; k++)
                vals[k] = duckdb_create_varchar(files[k]);
            duckdb_logical_type vt = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
            duckdb_value list = duckdb_create_list_value(vt, vals, nfiles);
            duckdb_bind_value(stmt, 1, list);
            duckdb_destroy_value(&list);
            duckdb_destroy_logical_type(&vt);
            for (size_t k = 0; k < nfiles; k++)
                duckdb_destroy_value(&vals[k]);
            free(vals);
        }
        duckdb_bind_varchar(stmt, 2, out);
        if (duckdb_execute_prepared(stmt, &res) != DuckDBSuccess) {
            fprintf(stderr, "pond-bench-duckdb-copy: %s: %s\n", out, duckdb_result_error(&res));
            duckdb_destroy_result(&res);
            goto done;
        }
        if (stats) {
            idx_t nrow = duckdb_row_count(&res);
            for (idx_t r = 0; r < nrow; r++)
                rows += duckdb_value_int64(&res, 1, r);
            written += (long long)nrow;
        }
        duckdb_destroy_result(&res);
        copies++;
    }
    printf("copies=%zu rows=%lld files=%lld seconds=%.3f\n", copies, rows, written,
           now_seconds() - t0);
    rc = 0;
done:
    duckdb_destroy_prepare(&stmt);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    for (size_t k = 0; k < nfiles; k++)
        free(files[k]);
    free(files);
    return rc;
}
