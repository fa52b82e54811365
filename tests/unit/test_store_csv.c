/*
 * tests/unit/test_store_csv.c: the CSV check (store_csv_check) with a dialect, on real plain
 * and gzip files: skipped lines counted in the line numbers, a given delimiter used as given,
 * a gzip stream cut short named as such; and pond_copy_options versions 1 and 2: a version 1
 * struct is still taken (its CSV fields never read), an unknown version refused, and CSV
 * options that contradict each other refused before anything is written.
 */
#include <stddef.h>

#include "check.h"
#include "store/store_int.h"
#include "test_store_util.h"

static char dir[256];

static const char *path_in(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void gzip_to(const char *src, const char *dst)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "gzip -c '%s' > '%s'", src, dst);
    if (system(cmd) != 0)
        exit(2);
}

#define LOGGER                                                                               \
    "Logger \"BDock\r\n"                                                                      \
    "\r\n"                                                                                    \
    "Serial;4711\r\n"                                                                         \
    "Datum;Temp;Note\r\n"                                                                     \
    "20.07.2024 06:00;21,5;\"a;b\"\r\n"                                                       \
    "20.07.2024 06:10;NA;ok\r\n"

TEST(skipped_lines_and_the_delimiter)
{
    store_csv_dialect d = {0, 3, 0};
    write_file(path_in("logger.csv"), LOGGER);
    CHECK(store_csv_check(path_in("logger.csv"), &d) == POND_OK);
    CHECK(d.delimiter == ';' && d.gzip == 0);

    /* Given, the delimiter is used as given: ',' makes the rows one field but for 21,5. */
    store_csv_dialect comma = {',', 3, 0};
    CHECK(store_csv_check(path_in("logger.csv"), &comma) == POND_EINVALID);
    CHECK_STR(pond_error_last(), "line 5: expected 1 field, found 2");

    /* Without the skip, the preamble's open quote runs on to line 3. */
    store_csv_dialect none = {0, 0, 0};
    CHECK(store_csv_check(path_in("logger.csv"), &none) == POND_EINVALID);
    CHECK_STR(pond_error_last(), "line 3: expected 1 field, found 2");

    store_csv_dialect far = {0, 6, 0};
    CHECK(store_csv_check(path_in("logger.csv"), &far) == POND_EINVALID);
    CHECK_STR(pond_error_last(), "no header line after the 6 skipped lines");
    store_csv_dialect neg = {0, -1, 0};
    CHECK(store_csv_check(path_in("logger.csv"), &neg) == POND_EINVALID);
}

TEST(gzip_is_read_through)
{
    store_csv_dialect d = {0, 3, 0};
    char cmd[1200];

    write_file(path_in("logger.csv"), LOGGER);
    gzip_to(path_in("logger.csv"), path_in("logger.csv.gz"));
    CHECK(store_csv_check(path_in("logger.csv.gz"), &d) == POND_OK);
    CHECK(d.delimiter == ';' && d.gzip == 1);

    /* A bad record inside the gzip stream: its line, the skipped ones counted. */
    write_file(path_in("bad.csv"), LOGGER "20.07.2024 06:20;1;x;extra\r\n");
    gzip_to(path_in("bad.csv"), path_in("bad.csv.gz"));
    store_csv_dialect b = {';', 3, 0};
    CHECK(store_csv_check(path_in("bad.csv.gz"), &b) == POND_EINVALID);
    CHECK_STR(pond_error_last(), "line 7: expected 3 fields, found 4");

    /* Cut short: named as a gzip fault, not as a short record. */
    snprintf(cmd, sizeof cmd, "head -c 60 '%s' > '%s'", path_in("logger.csv.gz"),
             path_in("cut.csv.gz"));
    CHECK(system(cmd) == 0);
    store_csv_dialect c = {';', 3, 0};
    CHECK(store_csv_check(path_in("cut.csv.gz"), &c) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "cannot decompress the gzip file") != NULL);
}

TEST(options_versions)
{
    pond_copy_options o;
    unsigned char raw[sizeof(pond_copy_options)];
    char pond_dir[600];
    pond *p = NULL;
    const char *src[1];
    static got_list l;

    /* Version 1 init writes the version 1 part only. */
    memset(raw, 0xAB, sizeof raw);
    CHECK(pond_copy_options_init((pond_copy_options *)(void *)raw, 1) == POND_OK);
    CHECK(raw[offsetof(pond_copy_options, delimiter)] == 0xAB);
    CHECK(pond_copy_options_init(&o, 3) == POND_EINVALID);
    CHECK(pond_copy_options_init(&o, POND_COPY_OPTIONS_VERSION) == POND_OK);
    CHECK(o.delimiter == 0 && o.timestamp_format == NULL && o.skip_lines == 0);

    snprintf(pond_dir, sizeof pond_dir, "%s/pond", dir);
    CHECK(pond_init(pond_dir) == POND_OK);
    CHECK(pond_open(&p, pond_dir, NULL) == POND_OK);
    write_file(path_in("s.csv"), "timestamp,v\n2024-07-20 00:00:00,1\n");
    src[0] = path_in("s.csv");

    /* A version 1 struct whose bytes past payload are garbage: they are not read. */
    memset(raw, 0xFF, sizeof raw);
    CHECK(pond_copy_options_init((pond_copy_options *)(void *)raw, 1) == POND_OK);
    CHECK(pond_copy_in(p, src, 1, "/v1.series", (pond_copy_options *)(void *)raw) == POND_OK);
    CHECK(glob_into(p, POND_FS_DATA, "/v1.series", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(l.n == 1 && l.e[0].v[0].row_count == 1);

    o.version = 7;
    CHECK(pond_copy_in(p, src, 1, "/v7.series", &o) == POND_EINVALID);

    /* Options that contradict each other are refused before a transaction starts. */
    pond_copy_options bad = POND_COPY_OPTIONS_INIT;
    bad.delimiter = ',';
    bad.decimal_separator = ',';
    CHECK(pond_copy_in(p, src, 1, "/bad.series", &bad) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "cannot also be the delimiter") != NULL);
    static const char *const quoted[] = {"N\"A"};
    pond_copy_options q = POND_COPY_OPTIONS_INIT;
    q.null_strings = quoted;
    q.nnull_strings = 1;
    CHECK(pond_copy_in(p, src, 1, "/bad.series", &q) == POND_EINVALID);
    pond_copy_options d = POND_COPY_OPTIONS_INIT;
    d.skip_lines = 1;
    CHECK(pond_copy_in(p, src, 1, "/raw.csv", &d) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "CSV options apply to tables and series") != NULL);
    l.n = 0;
    CHECK(glob_into(p, POND_FS_DATA, "/*", 0, &l) == POND_OK);
    CHECK(l.n == 1);
    pond_close(p);
}

int main(void)
{
    tmpdir(dir, sizeof dir);
    RUN(skipped_lines_and_the_delimiter);
    RUN(gzip_is_read_through);
    RUN(options_versions);
    rm_rf(dir);
    return check_done();
}
