/* Unit tests for export/json_rows: every DuckDB type to its JSON form, on a real in-memory
 * DuckDB. */
#include <stdlib.h>
#include "check.h"
#include "export/json_rows.h"
#include "util/error.h"

static duckdb_database db;
static duckdb_connection con;

/* Run sql, convert, and return the compact JSON of the rows (malloc'd), or NULL. */
static char *rows_of(const char *sql)
{
    duckdb_result res;
    char *text = NULL;
    if (duckdb_query(con, sql, &res) == DuckDBError) {
        fprintf(stderr, "sql error: %s\n", duckdb_result_error(&res));
        duckdb_destroy_result(&res);
        return NULL;
    }
    json_t *rows = json_array();
    if (pond_json_rows_append(rows, &res) == POND_OK)
        text = json_dumps(rows, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
    else
        fprintf(stderr, "json_rows: %s\n", pond_error_last());
    json_decref(rows);
    duckdb_destroy_result(&res);
    return text;
}

/* The JSON of the single column x of a one-row query. */
#define CHECK_VALUE(expr_sql, want)                                                          \
    do {                                                                                     \
        char *got_ = rows_of("SELECT " expr_sql " AS x");                                    \
        CHECK_STR(got_, "[{\"x\":" want "}]");                                               \
        free(got_);                                                                          \
    } while (0)

TEST(integers_of_every_width)
{
    CHECK_VALUE("(-128)::TINYINT", "-128");
    CHECK_VALUE("(-32768)::SMALLINT", "-32768");
    CHECK_VALUE("(-2147483648)::INTEGER", "-2147483648");
    CHECK_VALUE("(-9223372036854775808)::BIGINT", "-9223372036854775808");
    CHECK_VALUE("255::UTINYINT", "255");
    CHECK_VALUE("65535::USMALLINT", "65535");
    CHECK_VALUE("4294967295::UINTEGER", "4294967295");
    CHECK_VALUE("9223372036854775807::UBIGINT", "9223372036854775807");
    CHECK_VALUE("18446744073709551615::UBIGINT", "\"18446744073709551615\"");
    CHECK_VALUE("-42::HUGEINT", "-42");
    CHECK_VALUE("(-9223372036854775808)::HUGEINT", "-9223372036854775808");
    CHECK_VALUE("170141183460469231731687303715884105727::HUGEINT",
                "\"170141183460469231731687303715884105727\"");
    CHECK_VALUE("-170141183460469231731687303715884105727::HUGEINT",
                "\"-170141183460469231731687303715884105727\"");
    CHECK_VALUE("340282366920938463463374607431768211455::UHUGEINT",
                "\"340282366920938463463374607431768211455\"");
    CHECK_VALUE("7::UHUGEINT", "7");
}

TEST(floats_doubles_decimals)
{
    CHECK_VALUE("1.5::DOUBLE", "1.5");
    CHECK_VALUE("-0.25::FLOAT", "-0.25");
    CHECK_VALUE("'nan'::DOUBLE", "\"NaN\"");
    CHECK_VALUE("'inf'::DOUBLE", "\"Infinity\"");
    CHECK_VALUE("'-inf'::FLOAT", "\"-Infinity\"");
    CHECK_VALUE("123.45::DECIMAL(5,2)", "123.45");
    CHECK_VALUE("-0.05::DECIMAL(4,2)", "-0.05");
    CHECK_VALUE("12345678.9::DECIMAL(9,1)", "12345678.9");
    CHECK_VALUE("1234567890123.25::DECIMAL(18,2)", "1234567890123.25");
    CHECK_VALUE("1.5::DECIMAL(38,10)", "1.5");
    CHECK_VALUE("42::DECIMAL(10,0)", "42");
}

TEST(booleans_null_text_blob)
{
    CHECK_VALUE("true", "true");
    CHECK_VALUE("false", "false");
    CHECK_VALUE("NULL", "null");
    CHECK_VALUE("NULL::INTEGER", "null");
    CHECK_VALUE("'short'", "\"short\"");
    CHECK_VALUE("'a longer string past twelve bytes, with \"quotes\" and é'",
                "\"a longer string past twelve bytes, with \\\"quotes\\\" and é\"");
    CHECK_VALUE("''", "\"\"");
    CHECK_VALUE("'\\x00\\x01hi'::BLOB", "\"AAFoaQ==\"");
    CHECK_VALUE("'abc'::BLOB", "\"YWJj\"");
    CHECK_VALUE("'ab'::BLOB", "\"YWI=\"");
    CHECK_VALUE("'10110'::BIT", "\"10110\"");
    CHECK_VALUE("'123e4567-e89b-12d3-a456-426614174000'::UUID",
                "\"123e4567-e89b-12d3-a456-426614174000\"");
    CHECK_VALUE("'ffffffff-0000-0000-0000-000000000001'::UUID",
                "\"ffffffff-0000-0000-0000-000000000001\"");
    CHECK_VALUE("'b'::ENUM('a', 'b', 'c')", "\"b\"");
}

TEST(dates_times_timestamps_intervals)
{
    CHECK_VALUE("DATE '2024-07-20'", "\"2024-07-20\"");
    CHECK_VALUE("DATE '1969-12-31'", "\"1969-12-31\"");
    CHECK_VALUE("DATE '0001-01-01'", "\"0001-01-01\"");
    CHECK_VALUE("'infinity'::DATE", "\"infinity\"");
    CHECK_VALUE("'-infinity'::DATE", "\"-infinity\"");
    CHECK_VALUE("TIME '06:30:05'", "\"06:30:05\"");
    CHECK_VALUE("TIME '23:59:59.125'", "\"23:59:59.125\"");
    CHECK_VALUE("'06:30:00+02:00'::TIMETZ", "\"06:30:00+02:00\"");
    CHECK_VALUE("'06:30:00-03:30'::TIMETZ", "\"06:30:00-03:30\"");
    CHECK_VALUE("TIMESTAMP '2024-07-20 06:00:00'", "\"2024-07-20T06:00:00\"");
    CHECK_VALUE("TIMESTAMP '2024-02-29 23:59:59.000001'", "\"2024-02-29T23:59:59.000001\"");
    CHECK_VALUE("TIMESTAMP '1969-12-31 23:59:59.5'", "\"1969-12-31T23:59:59.5\"");
    CHECK_VALUE("TIMESTAMP '1900-03-01 00:00:00'", "\"1900-03-01T00:00:00\"");
    CHECK_VALUE("'2024-07-20 06:00:00'::TIMESTAMP_S", "\"2024-07-20T06:00:00\"");
    CHECK_VALUE("'2024-07-20 06:00:00.25'::TIMESTAMP_MS", "\"2024-07-20T06:00:00.25\"");
    CHECK_VALUE("'2024-07-20 06:00:00.123456789'::TIMESTAMP_NS",
                "\"2024-07-20T06:00:00.123456789\"");
    CHECK_VALUE("'1969-12-31 23:59:59.999999999'::TIMESTAMP_NS",
                "\"1969-12-31T23:59:59.999999999\"");
    CHECK_VALUE("'infinity'::TIMESTAMP", "\"infinity\"");
    CHECK_VALUE("'-infinity'::TIMESTAMP", "\"-infinity\"");
    CHECK_VALUE("make_timestamp(1721455200000000)", "\"2024-07-20T06:00:00\"");
    /* TIMESTAMPTZ is an instant: printed in UTC whatever the session zone. */
    {
        duckdb_result r;
        duckdb_query(con, "SET TimeZone = 'America/Los_Angeles'", &r);
        duckdb_destroy_result(&r);
        CHECK_VALUE("'2024-07-20 06:00:00+00'::TIMESTAMPTZ", "\"2024-07-20T06:00:00Z\"");
        duckdb_query(con, "SET TimeZone = 'UTC'", &r);
        duckdb_destroy_result(&r);
    }
    CHECK_VALUE("INTERVAL '1 year 2 months 3 days 04:05:06.5'", "\"P1Y2M3DT4H5M6.5S\"");
    CHECK_VALUE("INTERVAL '0 seconds'", "\"PT0S\"");
    CHECK_VALUE("INTERVAL '90 minutes'", "\"PT1H30M\"");
    CHECK_VALUE("-INTERVAL '2 days'", "\"P-2D\"");
}

TEST(lists_arrays_structs_maps_unions)
{
    CHECK_VALUE("[1, 2, NULL]", "[1,2,null]");
    CHECK_VALUE("[]::INTEGER[]", "[]");
    CHECK_VALUE("[['a'], [], ['b', 'c']]", "[[\"a\"],[],[\"b\",\"c\"]]");
    CHECK_VALUE("[1.5, 2.5]::DOUBLE[2]", "[1.5,2.5]");
    CHECK_VALUE("{'a': 1, 'b': [TIMESTAMP '2024-01-01'], 'c': NULL}",
                "{\"a\":1,\"b\":[\"2024-01-01T00:00:00\"],\"c\":null}");
    CHECK_VALUE("MAP {'k1': 10, 'k2': 20}", "{\"k1\":10,\"k2\":20}");
    CHECK_VALUE("MAP {1: 'one', 2: 'two'}", "{\"1\":\"one\",\"2\":\"two\"}");
    CHECK_VALUE("union_value(num := 2)::UNION(num INTEGER, str VARCHAR)", "2");
    CHECK_VALUE("[{'x': 1}, NULL, {'x': 2}]", "[{\"x\":1},null,{\"x\":2}]");
}

TEST(many_rows_across_chunks)
{
    char *got = rows_of("SELECT i, i * 0.5 AS half, 'r' || i AS s FROM range(5000) t(i)");
    CHECK(got != NULL);
    json_error_t e;
    json_t *rows = got ? json_loads(got, 0, &e) : NULL;
    CHECK(json_array_size(rows) == 5000);
    json_t *last = json_array_get(rows, 4999);
    CHECK(json_integer_value(json_object_get(last, "i")) == 4999);
    CHECK(json_real_value(json_object_get(last, "half")) == 2499.5);
    CHECK_STR(json_string_value(json_object_get(last, "s")), "r4999");
    json_decref(rows);
    free(got);
}

TEST(several_columns_keep_names)
{
    char *got = rows_of("SELECT 1 AS a, 'x' AS \"b c\", NULL AS d");
    CHECK_STR(got, "[{\"a\":1,\"b c\":\"x\",\"d\":null}]");
    free(got);
}

TEST(type_without_json_form_is_an_error_naming_the_column)
{
    duckdb_result res;
    CHECK(duckdb_query(con, "SELECT 12345678901234567890123456789012345678901234567890::BIGNUM "
                            "AS big", &res) == DuckDBSuccess);
    json_t *rows = json_array();
    CHECK(pond_json_rows_append(rows, &res) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "'big'") != NULL);
    json_decref(rows);
    duckdb_destroy_result(&res);
}

int main(void)
{
    if (duckdb_open(NULL, &db) == DuckDBError || duckdb_connect(db, &con) == DuckDBError) {
        fprintf(stderr, "cannot open duckdb\n");
        return 1;
    }
    RUN(integers_of_every_width);
    RUN(floats_doubles_decimals);
    RUN(booleans_null_text_blob);
    RUN(dates_times_timestamps_intervals);
    RUN(lists_arrays_structs_maps_unions);
    RUN(many_rows_across_chunks);
    RUN(several_columns_keep_names);
    RUN(type_without_json_form_is_an_error_naming_the_column);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return check_done();
}
