/*
 * bench/gen_sensors.c: synthetic sensor data for the demo and the benchmarks.
 *
 *   pond-gen-sensors OUTDIR [--sites N] [--params M] [--minutes R] [--start ISO]
 *                    [--format csv|parquet]
 *
 * Writes OUTDIR/<site>.<csv|parquet>, one per site: a `timestamp` column (one row a minute from
 * --start, UTC) and M parameter columns (temperature_c, salinity_psu, …) following a daily
 * cycle, a slower drift of a few days that differs by site and parameter, and deterministic
 * noise, so a run is repeatable.  DuckDB writes the files (streamed),
 * which is why this tool talks to DuckDB directly rather than through libpond.
 */
#include <duckdb.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const site_names[] = {"BDock", "Silver Lake", "Princess", "Noyo", "Caspar",
                                         "Albion", "Navarro", "Elk"};
static const char *const param_names[] = {"temperature_c", "salinity_psu", "do_mg_l", "ph",
                                          "turbidity_ntu", "chlorophyll_ug_l", "depth_m",
                                          "conductivity_us"};
/* mean and daily amplitude of each parameter */
static const double param_shape[][2] = {{12, 3},  {33, 0.5}, {8, 1.5},  {7.9, 0.15},
                                        {4, 2},   {2.5, 1},  {3, 0.8},  {52000, 900}};
#define NSITE_NAMES (sizeof site_names / sizeof *site_names)
#define NPARAM_NAMES (sizeof param_names / sizeof *param_names)

static void usage(FILE *f)
{
    fprintf(f, "usage: pond-gen-sensors OUTDIR [--sites N] [--params M] [--minutes R]\n"
               "                        [--start ISO-8601] [--format csv|parquet]\n"
               "Writes OUTDIR/<site>.csv (or .parquet): timestamp + M parameter columns,\n"
               "one row a minute. Defaults: 3 sites, 3 params, 10080 minutes (a week),\n"
               "start 2024-07-01T00:00:00Z, csv.\n");
}

static int fail(duckdb_result *r, const char *what)
{
    fprintf(stderr, "pond-gen-sensors: %s: %s\n", what, duckdb_result_error(r));
    duckdb_destroy_result(r);
    return 1;
}

int main(int argc, char **argv)
{
    long sites = 3, params = 3, minutes = 7 * 24 * 60;
    const char *start = "2024-07-01 00:00:00", *format = "csv";
    static const struct option opts[] = {{"sites", 1, 0, 's'},  {"params", 1, 0, 'p'},
                                         {"minutes", 1, 0, 'm'}, {"start", 1, 0, 't'},
                                         {"format", 1, 0, 'f'},  {"help", 0, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's': sites = strtol(optarg, NULL, 10); break;
        case 'p': params = strtol(optarg, NULL, 10); break;
        case 'm': minutes = strtol(optarg, NULL, 10); break;
        case 't': start = optarg; break;
        case 'f': format = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc - 1 || sites < 1 || params < 1 || params > (long)NPARAM_NAMES ||
        minutes < 1 || (strcmp(format, "csv") && strcmp(format, "parquet"))) {
        usage(stderr);
        return 2;
    }
    const char *outdir = argv[optind];
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "pond-gen-sensors: cannot create '%s': %s\n", outdir, strerror(errno));
        return 1;
    }

    /* The SELECT only holds our own column names and numbers; the start time and the output
     * path are bound.  The waves follow m, minutes since the epoch, so files of consecutive
     * periods join up. */
    char sql[4096];
    size_t n = (size_t)snprintf(sql, sizeof sql,
                                "COPY (SELECT CAST($1 AS TIMESTAMP) + to_minutes(i) AS timestamp");
    for (long k = 0; k < params; k++)
        n += (size_t)snprintf(sql + n, sizeof sql - n,
                              ", round(%g + %g * sin(2 * pi() * (m %% 1440) / 1440.0 + $3)"
                              " + %g * sin(2 * pi() * m / (1440 * (5.3 + $3 + %ld)))"
                              " + %g * ((hash(i, %ld, $3) %% 1000) / 1000.0 - 0.5), 3) AS %s",
                              param_shape[k][0], param_shape[k][1], param_shape[k][1] * 1.5, k,
                              param_shape[k][1] / 3, k, param_names[k]);
    snprintf(sql + n, sizeof sql - n, " FROM (SELECT i, i + epoch(CAST($1 AS TIMESTAMP)) // 60 AS m FROM range(0, $2) AS t(i)))"
             " TO $4 (FORMAT %s)",
             strcmp(format, "csv") == 0 ? "CSV, HEADER" : "PARQUET");

    duckdb_database db;
    duckdb_connection con;
    duckdb_prepared_statement stmt;
    duckdb_result res;
    if (duckdb_open(NULL, &db) != DuckDBSuccess || duckdb_connect(db, &con) != DuckDBSuccess) {
        fprintf(stderr, "pond-gen-sensors: cannot open DuckDB\n");
        return 1;
    }
    if (duckdb_prepare(con, sql, &stmt) != DuckDBSuccess) {
        fprintf(stderr, "pond-gen-sensors: %s\n", duckdb_prepare_error(stmt));
        return 1;
    }
    int rc = 0;
    for (long s = 0; s < sites && rc == 0; s++) {
        char name[64], path[4096];
        if (s < (long)NSITE_NAMES)
            snprintf(name, sizeof name, "%s", site_names[s]);
        else
            snprintf(name, sizeof name, "site_%04ld", s);
        snprintf(path, sizeof path, "%s/%s.%s", outdir, name, format);
        duckdb_bind_varchar(stmt, 1, start);
        duckdb_bind_int64(stmt, 2, minutes);
        duckdb_bind_double(stmt, 3, (double)s * 0.7);
        duckdb_bind_varchar(stmt, 4, path);
        if (duckdb_execute_prepared(stmt, &res) != DuckDBSuccess)
            rc = fail(&res, path);
        else
            duckdb_destroy_result(&res);
    }
    duckdb_destroy_prepare(&stmt);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return rc;
}
