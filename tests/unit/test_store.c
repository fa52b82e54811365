/*
 * tests/unit/test_store.c: the store on real ponds in temporary directories: init/open
 * errors, mkdir, copying CSV / Parquet / bytes in as series, tables and data, appending
 * versions, the errors of bad input, and pond_glob with versions and captures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "pond.h"
#include "test_store_util.h"

static void host(char *out, size_t n, const char *name, const char *text)
{
    snprintf(out, n, "%s/%s", dir, name);
    if (text)
        write_file(out, text);
}

TEST(init_and_open_errors)
{
    char path[300], nonempty[400], old[300];
    pond_open_options o = POND_OPEN_OPTIONS_INIT;
    pond *p = NULL;
    got_list l;

    tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/missing", dir);
    CHECK(pond_open(&p, path, NULL) == POND_ENOTFOUND);
    CHECK(strstr(pond_error_last(), "no such directory") != NULL);
    CHECK(p == NULL);

    CHECK(pond_open(&p, dir, NULL) == POND_ENOTFOUND);
    CHECK(strstr(pond_error_last(), "not a pond (no catalog.sqlite)") != NULL);
    CHECK(access(path, F_OK) != 0);

    snprintf(nonempty, sizeof nonempty, "%s/file.txt", dir);
    write_file(nonempty, "x");
    CHECK(pond_init(dir) == POND_EEXISTS);
    CHECK(strstr(pond_error_last(), "not empty") != NULL);
    CHECK(access(nonempty, F_OK) == 0);

    /* a pond of the older layout is recognised and refused */
    snprintf(old, sizeof old, "%s/old", dir);
    mkdir(old, 0777);
    snprintf(nonempty, sizeof nonempty, "%s/catalog.duckdb", old);
    write_file(nonempty, "DUCK");
    CHECK(pond_open(&p, old, NULL) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "catalog.duckdb") != NULL);
    CHECK(pond_init(old) == POND_EEXISTS);
    CHECK(strstr(pond_error_last(), "older") != NULL);

    CHECK(pond_init(path) == POND_OK);
    CHECK(pond_init(path) == POND_EEXISTS);
    CHECK(strstr(pond_error_last(), "is a pond already") != NULL);
    snprintf(nonempty, sizeof nonempty, "%s/.pond-init", path);
    CHECK(access(nonempty, F_OK) != 0); /* the claim is gone after an init, failed or not */

    /* the options: versioned, defaults through NULL or the _INIT macro */
    CHECK(o.version == POND_OPEN_OPTIONS_VERSION && o.wait_ms == 30000 && !o.command_line);
    memset(&o, 0x5a, sizeof o);
    CHECK(pond_open_options_init(&o, POND_OPEN_OPTIONS_VERSION) == POND_OK);
    CHECK(o.version == POND_OPEN_OPTIONS_VERSION && o.wait_ms == 30000 && !o.command_line);
    CHECK(pond_open_options_init(&o, 99) == POND_EINVALID);
    o.version = 99;
    CHECK(pond_open(&p, path, &o) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "version 99") != NULL);
    CHECK(p == NULL);
    o.version = POND_OPEN_OPTIONS_VERSION;
    o.wait_ms = -1;
    CHECK(pond_open(&p, path, &o) == POND_EINVALID);
    CHECK(pond_open(&p, path, NULL) == POND_OK);
    CHECK_STR(pond_path(p), path);
    {
        /* a second handle, in the same process: both read, and write one after the other */
        pond *q = NULL;
        CHECK(open_as(&q, path, "second") == POND_OK);
        CHECK(pond_mkdir(q, "/from-q", 0) == POND_OK);
        CHECK(pond_mkdir(p, "/from-p", 0) == POND_OK);
        CHECK(glob_into(p, POND_FS_DATA, "/*", 0, &l) == POND_OK && l.n == 2);
        CHECK(glob_into(q, POND_FS_DATA, "/*", 0, &l) == POND_OK && l.n == 2);
        pond_close(q);
    }
    pond_close(p);
    CHECK(open_as(&p, path, "again") == POND_OK);
    pond_close(p);
    pond_close(NULL);
    rm_rf(dir);
}

TEST(mkdir_and_list)
{
    pond *p = fresh_pond();
    got_list l;

    CHECK(pond_mkdir(p, "/a", 0) == POND_OK);
    CHECK(pond_mkdir(p, "/a", 0) == POND_EEXISTS);
    CHECK(pond_mkdir(p, "/a", 1) == POND_OK);
    CHECK(pond_mkdir(p, "/x/y/z", 0) == POND_ENOTFOUND);
    CHECK(strstr(pond_error_last(), "'/x'") != NULL);
    CHECK(pond_mkdir(p, "/x/y/z", 1) == POND_OK);
    CHECK(pond_mkdir(p, "relative", 1) == POND_EINVALID);
    CHECK(glob_into(p, POND_FS_DATA, "/**", 0, &l) == POND_OK);
    CHECK(l.n == 4);
    if (l.n == 4) {
        CHECK_STR(l.e[0].path, "/a");
        CHECK_STR(l.e[1].path, "/x");
        CHECK_STR(l.e[3].path, "/x/y/z");
        CHECK(l.e[3].type == POND_ENTRY_DIR);
    }
    CHECK(glob_into(p, POND_FS_DATA, "/", 0, &l) == POND_OK);
    CHECK(l.n == 1 && l.e[0].type == POND_ENTRY_DIR);
    CHECK(glob_into(p, POND_FS_DATA, "/nothing/*", 0, &l) == POND_ENOTFOUND);
    CHECK_STR(pond_error_last(), "no match for pattern '/nothing/*'");
    pond_close(p);
    rm_rf(dir);
}

static const char *csv1 = "timestamp,temp,site\n"
                          "2024-07-20 00:00:00,20.5,a\n"
                          "2024-07-20 06:00:00,21.0,\"b, c\"\n"
                          "2024-07-21 12:30:00,19.25,a\n";

TEST(copy_csv_series)
{
    pond *p = fresh_pond();
    char src[400], cmd[1200];
    const char *srcs[1];
    pond_copy_options o = {POND_COPY_OPTIONS_VERSION, POND_COPY_AUTO, NULL, NULL, NULL, 0, 0, NULL, 0, 0, NULL};
    got_list l;
    int64_t t0, t1;
    char *sum;

    host(src, sizeof src, "s.csv", csv1);
    srcs[0] = src;
    CHECK(pond_mkdir(p, "/sites/BDock", 1) == POND_OK);
    CHECK(pond_copy_in(p, srcs, 1, "/sites/BDock/res=1h.series", &o) == POND_OK);
    CHECK(glob_into(p, POND_FS_DATA, "/sites/*/*.series", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(l.n == 1);
    if (l.n == 1) {
        got_entry *e = &l.e[0];
        CHECK_STR(e->path, "/sites/BDock/res=1h.series");
        CHECK(e->type == POND_ENTRY_SERIES);
        CHECK_STR(e->ts_col, "timestamp");
        CHECK(e->ncaptures == 2);
        CHECK_STR(e->captures[0], "BDock");
        CHECK_STR(e->captures[1], "res=1h");
        CHECK(e->nversions == 1);
        CHECK(e->v[0].version == 1);
        CHECK(e->v[0].row_count == 3);
        CHECK(e->v[0].has_time);
        pond_time_parse(&t0, "2024-07-20T00:00:00Z");
        pond_time_parse(&t1, "2024-07-21T12:30:00Z");
        CHECK(e->v[0].min_time == t0);
        CHECK(e->v[0].max_time == t1);
        CHECK(strstr(e->v[0].schema, "{\"name\":\"timestamp\",\"type\":\"TIMESTAMP\"}") != NULL);
        CHECK(strstr(e->v[0].schema, "{\"name\":\"temp\",\"type\":\"DOUBLE\"}") != NULL);
        snprintf(cmd, sizeof cmd, "sha256sum '%s' | cut -c1-64", e->v[0].content_path);
        sum = run_out(cmd);
        CHECK_STR(sum, e->v[0].sha256);
        free(sum);
        snprintf(cmd, sizeof cmd, "head -c4 '%s'", e->v[0].content_path);
        sum = run_out(cmd);
        CHECK_STR(sum, "PAR1");
        free(sum);
        {
            struct stat st;
            CHECK(stat(e->v[0].content_path, &st) == 0 && st.st_size == e->v[0].size);
        }
    }
    pond_close(p);
    rm_rf(dir);
}

TEST(copy_into_dir_multiple_and_types)
{
    pond *p = fresh_pond();
    char a[400], b[400], raw[400];
    const char *srcs[2];
    pond_copy_options table = {POND_COPY_OPTIONS_VERSION, POND_COPY_TABLE, NULL, NULL, NULL, 0, 0, NULL, 0, 0, NULL};
    got_list l;

    host(a, sizeof a, "a.csv", "x,y\n1,2\n3,4\n");
    host(b, sizeof b, "b.csv", "x,y\n5,6\n");
    host(raw, sizeof raw, "page.html", "<h1>hi</h1>\n");
    CHECK(pond_mkdir(p, "/t", 0) == POND_OK);
    srcs[0] = a;
    srcs[1] = b;
    CHECK(pond_copy_in(p, srcs, 2, "/t", &table) == POND_OK);
    CHECK(pond_copy_in(p, srcs, 2, "/t/a.csv", &table) == POND_EINVALID);
    CHECK(pond_copy_in(p, srcs, 2, "/nope", &table) == POND_ENOTFOUND);
    srcs[0] = raw;
    CHECK(pond_copy_in(p, srcs, 1, "/page.html", NULL) == POND_OK);
    CHECK(glob_into(p, POND_FS_DATA, "/**", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(l.n == 4);
    if (l.n == 4) {
        CHECK_STR(l.e[0].path, "/page.html");
        CHECK(l.e[0].type == POND_ENTRY_DATA);
        CHECK(l.e[0].v[0].row_count == -1);
        CHECK(l.e[0].v[0].size == 12);
        CHECK_STR(l.e[2].path, "/t/a.csv");
        CHECK(l.e[2].type == POND_ENTRY_TABLE);
        CHECK(l.e[2].v[0].row_count == 2);
        CHECK(l.e[3].v[0].row_count == 1);
        /* both sources were one transaction */
        CHECK(l.e[2].v[0].txn == l.e[3].v[0].txn);
    }
    /* a table replaced: a second version, and its row count */
    srcs[0] = b;
    CHECK(pond_copy_in(p, srcs, 1, "/t/a.csv", NULL) == POND_OK);
    CHECK(glob_into(p, POND_FS_DATA, "/t/a.csv", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(l.n == 1 && l.e[0].nversions == 2 && l.e[0].v[1].row_count == 1);
    pond_close(p);
    rm_rf(dir);
}

TEST(copy_parquet_source)
{
    pond *p = fresh_pond();
    char src[400], pq[400], cmd[2000];
    const char *srcs[1];
    got_list l;
    char *out;

    /* a Parquet source made by DuckDB through pond itself: copy a CSV in, copy its
     * content file back in as a Parquet source */
    host(src, sizeof src, "s.csv", csv1);
    srcs[0] = src;
    CHECK(pond_copy_in(p, srcs, 1, "/one.series", NULL) == POND_OK);
    CHECK(glob_into(p, POND_FS_DATA, "/one.series", POND_WITH_VERSIONS, &l) == POND_OK);
    host(pq, sizeof pq, "src.parquet", NULL);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", l.e[0].v[0].content_path, pq);
    out = run_out(cmd);
    free(out);
    srcs[0] = pq;
    CHECK(pond_copy_in(p, srcs, 1, "/two.series", NULL) == POND_OK);
    CHECK(glob_into(p, POND_FS_DATA, "/two.series", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(l.n == 1 && l.e[0].v[0].row_count == 3 && l.e[0].v[0].has_time);
    pond_close(p);
    rm_rf(dir);
}

TEST(series_append_and_type_mismatch)
{
    pond *p = fresh_pond();
    char a[400], b[400], c[400];
    const char *srcs[1];
    got_list l;

    host(a, sizeof a, "a.csv", csv1);
    host(b, sizeof b, "b.csv", "timestamp,temp,site,wind\n2024-07-22 00:00:00,18.0,a,3\n");
    host(c, sizeof c, "c.csv", "timestamp,temp\n2024-07-23,17.0\n");
    srcs[0] = a;
    CHECK(pond_copy_in(p, srcs, 1, "/s.series", NULL) == POND_OK);
    srcs[0] = b;
    CHECK(pond_copy_in(p, srcs, 1, "/s.series", NULL) == POND_OK);
    srcs[0] = c;
    CHECK(pond_copy_in(p, srcs, 1, "/s.series", NULL) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "DATE") != NULL);
    CHECK(strstr(pond_error_last(), "TIMESTAMP") != NULL);
    CHECK(strstr(pond_error_last(), "c.csv") != NULL);
    CHECK(glob_into(p, POND_FS_DATA, "/s.series", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(l.n == 1 && l.e[0].nversions == 2);
    CHECK(l.e[0].v[1].row_count == 1);
    CHECK(strstr(l.e[0].v[1].schema, "wind") != NULL);
    pond_close(p);
    rm_rf(dir);
}

TEST(timestamp_column_errors)
{
    pond *p = fresh_pond();
    char none[400], two[400], nulls[400], named[400];
    const char *srcs[1];
    pond_copy_options o = {POND_COPY_OPTIONS_VERSION, POND_COPY_SERIES, NULL, NULL, NULL, 0, 0, NULL, 0, 0, NULL};
    got_list l;

    host(none, sizeof none, "none.csv", "a,b\n1,2\n");
    host(two, sizeof two, "two.csv", "t1,t2,v\n2024-01-01 00:00:00,2024-01-02 00:00:00,1\n");
    host(nulls, sizeof nulls, "nulls.csv",
         "timestamp,v\n2024-01-01 00:00:00,1\n,2\n2024-01-03 00:00:00,3\n,4\n");
    host(named, sizeof named, "named.csv", "when,v\n2024-01-01 00:00:00,1\n");
    srcs[0] = none;
    CHECK(pond_copy_in(p, srcs, 1, "/x", &o) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "none.csv") && strstr(pond_error_last(), "a, b"));
    srcs[0] = two;
    CHECK(pond_copy_in(p, srcs, 1, "/x", &o) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "ambiguous") && strstr(pond_error_last(), "t1, t2"));
    o.timestamp_column = "t2";
    CHECK(pond_copy_in(p, srcs, 1, "/x", &o) == POND_OK);
    o.timestamp_column = NULL;
    srcs[0] = nulls;
    CHECK(pond_copy_in(p, srcs, 1, "/y.series", NULL) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "nulls.csv") && strstr(pond_error_last(), "2 nulls"));
    srcs[0] = named;
    CHECK(pond_copy_in(p, srcs, 1, "/z.series", NULL) == POND_OK);
    CHECK(glob_into(p, POND_FS_DATA, "/*", 0, &l) == POND_OK);
    CHECK(l.n == 2);
    CHECK_STR(l.e[0].path, "/x");
    CHECK_STR(l.e[0].ts_col, "t2");
    CHECK_STR(l.e[1].ts_col, "when");
    pond_close(p);
    rm_rf(dir);
}

TEST(bad_sources)
{
    pond *p = fresh_pond();
    char bad[400], quote[400], missing[400], conv[400];
    const char *srcs[1];
    pond_copy_options table = {POND_COPY_OPTIONS_VERSION, POND_COPY_TABLE, NULL, NULL, NULL, 0, 0, NULL, 0, 0, NULL};
    got_list l;

    host(bad, sizeof bad, "bad.csv", "a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n1,2,3\n");
    host(quote, sizeof quote, "quote.csv", "a,b\n1,2\n3,\"open\n4,5\n");
    host(missing, sizeof missing, "missing.csv", NULL);
    srcs[0] = bad;
    CHECK(pond_copy_in(p, srcs, 1, "/t.table", NULL) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "cannot read CSV '") && strstr(pond_error_last(), "bad.csv"));
    CHECK(strstr(pond_error_last(), "line 8") != NULL);
    srcs[0] = quote;
    CHECK(pond_copy_in(p, srcs, 1, "/t.table", NULL) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "line 3") && strstr(pond_error_last(), "unterminated"));
    srcs[0] = missing;
    CHECK(pond_copy_in(p, srcs, 1, "/t.table", NULL) == POND_ENOTFOUND);
    CHECK(strstr(pond_error_last(), "missing.csv") != NULL);
    CHECK(pond_copy_in(p, srcs, 1, "/no/dir/t.table", &table) == POND_ENOTFOUND);
    {
        /* a conversion error deep in the file keeps DuckDB's line number */
        FILE *f;
        int i;
        host(conv, sizeof conv, "conv.csv", NULL);
        f = fopen(conv, "w");
        fputs("a,b\n", f);
        for (i = 0; i < 30000; i++)
            fprintf(f, "%d,%d\n", i, i);
        fputs("x,5\n", f);
        fclose(f);
        srcs[0] = conv;
        CHECK(pond_copy_in(p, srcs, 1, "/t.table", NULL) == POND_EINVALID);
        CHECK(strstr(pond_error_last(), "conv.csv") != NULL);
        CHECK(strstr(pond_error_last(), "30002") != NULL);
    }
    CHECK(glob_into(p, POND_FS_DATA, "/*", 0, &l) == POND_ENOTFOUND);
    pond_close(p);
    rm_rf(dir);
}

/* CSV dialects pond accepts, read back through cat. */
static void csv_case(pond *p, const char *name, const char *text, const char *want)
{
    char src[400];
    char dest[128];
    const char *srcs[1] = {src};
    pond_cat_options o = {POND_CAT_OPTIONS_VERSION, NULL, POND_OUTPUT_CSV, NULL, NULL};
    pond_copy_options t = {POND_COPY_OPTIONS_VERSION, POND_COPY_TABLE, NULL, NULL, NULL, 0, 0, NULL, 0, 0, NULL};
    char *out = NULL;

    host(src, sizeof src, name, text);
    snprintf(dest, sizeof dest, "/%s", name);
    CHECK(pond_copy_in(p, srcs, 1, dest, &t) == POND_OK);
    CHECK(cat_to_string(p, POND_FS_DATA, dest, &o, &out) == POND_OK);
    CHECK_STR(out, want);
    free(out);
}

TEST(csv_dialects)
{
    pond *p = fresh_pond();
    csv_case(p, "crlf.csv", "a,b\r\nx,1\r\ny,2\r\n", "a,b\nx,1\ny,2\n");
    csv_case(p, "bom.csv",
             "\xEF\xBB\xBF"
             "a,b\nx,1\n",
             "a,b\nx,1\n");
    csv_case(p, "semi.csv", "a;b\nx;1\n", "a,b\nx,1\n");
    csv_case(p, "tab.csv", "a\tb\nx\t1\n", "a,b\nx,1\n");
    csv_case(p, "quoted.csv", "a,b\n\"line\nbreak, \"\"q\"\"\",1\n",
             "a,b\n\"line\nbreak, \"\"q\"\"\",1\n");
    csv_case(p, "blank.csv", "a,b\nx,1\n\n\n", "a,b\nx,1\n");
    csv_case(p, "utf8.csv", "név,b\nžluť,1\n", "név,b\nžluť,1\n");
    pond_close(p);
    rm_rf(dir);
}

TEST(series_from_a_pipe)
{
    pond *p = fresh_pond();
    char fifo[400];
    const char *srcs[1] = {fifo};
    got_list l;
    pid_t pid;

    snprintf(fifo, sizeof fifo, "%s/pipe.csv", dir);
    CHECK(mkfifo(fifo, 0600) == 0);
    pid = fork();
    if (pid == 0) {
        FILE *f = fopen(fifo, "w");
        if (f) {
            fputs(csv1, f);
            fclose(f);
        }
        _exit(0);
    }
    CHECK(pond_copy_in(p, srcs, 1, "/piped.series", NULL) == POND_OK);
    waitpid(pid, NULL, 0);
    CHECK(glob_into(p, POND_FS_DATA, "/piped.series", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(l.n == 1 && l.e[0].v[0].row_count == 3 && l.e[0].v[0].has_time);
    pond_close(p);
    rm_rf(dir);
}

/* Content files under the pond's data/. */
static int count_data_files(void)
{
    char cmd[600], *out;
    int n;
    snprintf(cmd, sizeof cmd, "find '%s/data' -type f | wc -l", pdir);
    out = run_out(cmd);
    n = atoi(out);
    free(out);
    return n;
}

TEST(failed_copy_leaves_nothing)
{
    pond *p = fresh_pond();
    char good[400], bad[400];
    const char *srcs[2] = {good, bad};
    pond_copy_options series = {POND_COPY_OPTIONS_VERSION, POND_COPY_SERIES, NULL, NULL, NULL, 0, 0, NULL, 0, 0, NULL};
    got_list l;
    int before;

    host(good, sizeof good, "good.csv", csv1);
    host(bad, sizeof bad, "bad.csv", "timestamp,v\n2024-01-01 00:00:00,1\n,2\n");
    CHECK(pond_mkdir(p, "/d", 0) == POND_OK);
    before = count_data_files();
    /* the first source is converted and stored, the second fails: all of it is undone */
    CHECK(pond_copy_in(p, srcs, 2, "/d", &series) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "bad.csv") != NULL);
    CHECK(count_data_files() == before);
    CHECK(glob_into(p, POND_FS_DATA, "/d/*", 0, &l) == POND_ENOTFOUND);
    /* the good source alone does store a content file (so the one above was removed) */
    CHECK(pond_copy_in(p, srcs, 1, "/d", &series) == POND_OK);
    CHECK(count_data_files() == before + 1);
    pond_close(p);
    rm_rf(dir);
}

TEST(odd_names)
{
    pond *p = fresh_pond();
    char src[400];
    const char *srcs[1] = {src};
    pond_cat_options o = {POND_CAT_OPTIONS_VERSION,
                          "SELECT count(*) AS n FROM series", POND_OUTPUT_CSV, NULL, NULL};
    got_list l;
    char *out = NULL;

    host(src, sizeof src, "it's \"quoted\".csv", csv1);
    CHECK(pond_mkdir(p, "/it's a \"dir\"; DROP TABLE entry; --", 0) == POND_OK);
    CHECK(pond_copy_in(p, srcs, 1, "/it's a \"dir\"; DROP TABLE entry; --/ü=1 %_.series", NULL) ==
          POND_OK);
    CHECK(glob_into(p, POND_FS_DATA, "/*/*.series", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(l.n == 1);
    if (l.n == 1) {
        CHECK_STR(l.e[0].captures[0], "it's a \"dir\"; DROP TABLE entry; --");
        CHECK_STR(l.e[0].captures[1], "ü=1 %_");
        CHECK(l.e[0].v[0].row_count == 3);
    }
    /* a literal prefix with LIKE wildcards in it matches only itself */
    CHECK(pond_mkdir(p, "/a%", 0) == POND_OK && pond_mkdir(p, "/ab", 0) == POND_OK);
    CHECK(pond_mkdir(p, "/a%/x", 0) == POND_OK && pond_mkdir(p, "/ab/y", 0) == POND_OK);
    CHECK(glob_into(p, POND_FS_DATA, "/a%/*", 0, &l) == POND_OK);
    CHECK(l.n == 1 && strcmp(l.e[0].path, "/a%/x") == 0);
    CHECK(cat_to_string(p, POND_FS_DATA, "/it's a \"dir\"; DROP TABLE entry; --/ü=1 %_.series", &o,
                        &out) == POND_OK);
    CHECK_STR(out, "n\n3\n");
    free(out);
    pond_close(p);
    rm_rf(dir);
}

TEST(time_parse)
{
    int64_t t = 0;
    CHECK(pond_time_parse(&t, "1970-01-01") == POND_OK && t == 0);
    CHECK(pond_time_parse(&t, "2024-07-20") == POND_OK && t == 1721433600000000LL);
    CHECK(pond_time_parse(&t, "2024-07-20T06:00:00Z") == POND_OK && t == 1721455200000000LL);
    CHECK(pond_time_parse(&t, "2024-07-20 08:00:00+02:00") == POND_OK && t == 1721455200000000LL);
    CHECK(pond_time_parse(&t, "2024-07-20T06:00") == POND_OK && t == 1721455200000000LL);
    CHECK(pond_time_parse(&t, "2024-07-20T06:00:00.5") == POND_OK && t == 1721455200500000LL);
    CHECK(pond_time_parse(&t, "1969-12-31T23:59:59Z") == POND_OK && t == -1000000LL);
    CHECK(pond_time_parse(&t, "1900-03-01") == POND_OK && t == -2203891200000000LL);
    CHECK(pond_time_parse(&t, "2024-02-30") == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "'2024-02-30'") != NULL);
    CHECK(pond_time_parse(&t, "yesterday") == POND_EINVALID);
    CHECK(pond_time_parse(&t, "2024-07-20T25:00") == POND_EINVALID);
    CHECK(pond_time_parse(&t, "2024-07-20Z") == POND_EINVALID);
}

TEST(names)
{
    pond_fs fs;
    pond_output_format f;
    CHECK(pond_fs_parse(&fs, "control") == POND_OK && fs == POND_FS_CONTROL);
    CHECK(pond_fs_parse(&fs, "data") == POND_OK && fs == POND_FS_DATA);
    CHECK(pond_fs_parse(&fs, "other") == POND_EINVALID);
    CHECK(pond_output_format_parse(&f, "json") == POND_OK && f == POND_OUTPUT_JSON);
    CHECK(pond_output_format_parse(&f, "xml") == POND_EINVALID);
    CHECK_STR(pond_entry_type_name(POND_ENTRY_SERIES), "file:series");
    CHECK_STR(pond_entry_type_name(POND_ENTRY_DIR), "dir");
}

int main(void)
{
    RUN(init_and_open_errors);
    RUN(mkdir_and_list);
    RUN(copy_csv_series);
    RUN(copy_into_dir_multiple_and_types);
    RUN(copy_parquet_source);
    RUN(series_append_and_type_mismatch);
    RUN(timestamp_column_errors);
    RUN(bad_sources);
    RUN(csv_dialects);
    RUN(series_from_a_pipe);
    RUN(failed_copy_leaves_nothing);
    RUN(odd_names);
    RUN(time_parse);
    RUN(names);
    return check_done();
}
