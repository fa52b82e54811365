/*
 * tests/tools/duckq.c: run SQL with plain DuckDB and print the result as CSV (header line,
 * then rows; NULL prints as empty).  Tests and the demo use it to read back what pond wrote
 * (Parquet, --dump-tables) with DuckDB itself, independently of libpond.
 *
 *   duckq "SELECT count(*) FROM read_parquet('out/data.parquet')"
 *   duckq -v files=a.parquet "SELECT * FROM read_parquet(getvariable('files'))"
 *
 * -v NAME=VALUE sets a DuckDB variable (bound, so values need no quoting) before the query.
 * Exit status: 0, or 1 with DuckDB's message on stderr.
 */
#include <duckdb.h>
#include <stdio.h>
#include <string.h>

static void put_csv_field(const char *s)
{
    if (!s)
        return;
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

int main(int argc, char **argv)
{
    duckdb_database db;
    duckdb_connection con;
    duckdb_result res;
    int i = 1, rc = 0;

    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fprintf(stderr, "usage: duckq [-v NAME=VALUE]… SQL\n");
        return argc < 2 ? 2 : 0;
    }
    if (duckdb_open(NULL, &db) != DuckDBSuccess || duckdb_connect(db, &con) != DuckDBSuccess) {
        fprintf(stderr, "duckq: cannot open DuckDB\n");
        return 1;
    }
    for (; i + 1 < argc && strcmp(argv[i], "-v") == 0; i += 2) {
        char name[256];
        const char *eq = strchr(argv[i + 1], '=');
        size_t n = eq ? (size_t)(eq - argv[i + 1]) : 0;
        if (!eq || n == 0 || n >= sizeof name || strspn(argv[i + 1], "abcdefghijklmnopqrstuvwxyz_0123456789") < n) {
            fprintf(stderr, "duckq: bad -v '%s' (want name=value)\n", argv[i + 1]);
            return 2;
        }
        memcpy(name, argv[i + 1], n);
        name[n] = '\0';
        char sql[320];
        snprintf(sql, sizeof sql, "SET VARIABLE %s = $1", name); /* name checked above */
        duckdb_prepared_statement st;
        if (duckdb_prepare(con, sql, &st) != DuckDBSuccess) {
            fprintf(stderr, "duckq: %s\n", duckdb_prepare_error(st));
            return 1;
        }
        duckdb_bind_varchar(st, 1, eq + 1);
        if (duckdb_execute_prepared(st, &res) != DuckDBSuccess) {
            fprintf(stderr, "duckq: %s\n", duckdb_result_error(&res));
            return 1;
        }
        duckdb_destroy_result(&res);
        duckdb_destroy_prepare(&st);
    }
    if (i != argc - 1) {
        fprintf(stderr, "usage: duckq [-v NAME=VALUE]… SQL\n");
        return 2;
    }
    if (duckdb_query(con, argv[i], &res) != DuckDBSuccess) {
        fprintf(stderr, "duckq: %s\n", duckdb_result_error(&res));
        rc = 1;
    } else {
        idx_t ncol = duckdb_column_count(&res), nrow = duckdb_row_count(&res);
        for (idx_t c = 0; c < ncol; c++) {
            if (c)
                putchar(',');
            put_csv_field(duckdb_column_name(&res, c));
        }
        putchar('\n');
        for (idx_t r = 0; r < nrow; r++) {
            for (idx_t c = 0; c < ncol; c++) {
                if (c)
                    putchar(',');
                char *v = duckdb_value_is_null(&res, c, r) ? NULL : duckdb_value_varchar(&res, c, r);
                put_csv_field(v);
                duckdb_free(v);
            }
            putchar('\n');
        }
    }
    duckdb_destroy_result(&res);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return rc;
}
