/*
 * tests/unit/test_derive.c: the derive module through its API: the config loader's values
 * and lines, pond_mknod, the resolver's relations as pond_glob hands them out, and
 * pond_derive_inputs (the list an incremental export compares: it changes exactly when a
 * source version or a config version is added).
 */
#include "check.h"
#include "test_store_util.h"

#include "derive/config.h"

static char dir[256], pondp[300];

static void setup(pond **p)
{
    char path[400];
    tmpdir(dir, sizeof dir);
    snprintf(pondp, sizeof pondp, "%s/pond", dir);
    CHECK(pond_init(pondp) == POND_OK);
    CHECK(pond_open(p, pondp, NULL) == POND_OK);
    CHECK(pond_mkdir(*p, "/s", 0) == POND_OK);
    snprintf(path, sizeof path, "%s/a.csv", dir);
    write_file(path, "timestamp,t\n2024-01-01 00:10:00,1\n2024-01-01 01:10:00,3\n");
    const char *srcs[1] = {path};
    CHECK(pond_copy_in(*p, srcs, 1, "/s/a.series", NULL) == POND_OK);
    CHECK(pond_copy_in(*p, srcs, 1, "/s/b.series", NULL) == POND_OK);
}

TEST(config_values_and_lines)
{
    derive_config c;
    char path[400];
    tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/c.yaml", dir);
    write_file(path, "in_pattern: /s/*.series\nout_pattern: x/$0\n"
                     "resolutions: [15m, 2h, 1d]\naggregations:\n"
                     "  - {type: sum, columns: [t, \"u*\"]}\n  - {type: count}\n");
    CHECK(derive_config_load(&c, DERIVE_TEMPORAL_REDUCE, path) == POND_OK);
    CHECK_STR(c.in_pattern, "/s/*.series");
    CHECK(c.in_pattern_line == 1 && c.out_pattern_line == 2);
    CHECK(c.nresolutions == 3);
    CHECK(derive_resolution_us(&c.resolutions[0]) == 15LL * 60 * 1000000);
    CHECK(derive_resolution_us(&c.resolutions[2]) == 86400LL * 1000000);
    CHECK(c.naggs == 2 && c.aggs[0].type == AGG_SUM && c.aggs[0].ncolumns == 2);
    CHECK(c.aggs[0].column_lines[1] == 5 && c.aggs[1].ncolumns == 0 && c.aggs[1].line == 6);
    CHECK(derive_out_pattern_max_capture(c.out_pattern) == 0);
    derive_config_clear(&c);
    write_file(path, "inputs:\n  raw: /s/*.series\nquery: SELECT * FROM raw ;\n");
    CHECK(derive_config_load(&c, DERIVE_SQL_TABLE, path) == POND_OK);
    CHECK_STR(c.query, "SELECT * FROM raw");
    CHECK(c.ninputs == 1 && c.inputs[0].line == 2 && c.query_line == 3);
    derive_config_clear(&c);
    write_file(path, "inputs:\n  raw: /s/*.series\nquery: DROP TABLE raw\n");
    CHECK(derive_config_load(&c, DERIVE_SQL_TABLE, path) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "c.yaml:3:8: query:") != NULL);
    derive_config_clear(&c);
    rm_rf(dir);
}

static int count_inputs(const pond_derive_input *in, void *ctx)
{
    char *b = ctx;
    size_t n = strlen(b);
    snprintf(b + n, 4096 - n, "%s %lld %d|", in->path, (long long)in->version, in->is_config);
    return 0;
}

TEST(mknod_relation_and_inputs)
{
    pond *p = NULL;
    char path[400], a[4096] = "", b[4096] = "";
    got_list l;
    setup(&p);
    snprintf(path, sizeof path, "%s/r.yaml", dir);
    write_file(path, "in_pattern: /s/*.series\nout_pattern: $0\nresolutions: [1h]\n"
                     "aggregations: [{type: max, columns: [t]}]\n");
    CHECK(pond_mknod(p, "temporal-reduce", "/r", path, NULL) == POND_OK);
    memset(&l, 0, sizeof l);
    CHECK(pond_glob(p, POND_FS_DATA, "/r/**", 0, collect_fn, &l) == POND_OK);
    CHECK(l.n == 4);
    CHECK_STR(l.e[1].path, "/r/a/res=1h.series");
    CHECK(l.e[1].type == POND_ENTRY_DYNAMIC);

    CHECK(pond_derive_inputs(p, "/r/a/res=1h.series", count_inputs, a) == POND_OK);
    CHECK_STR(a, "/r 1 1|/s/a.series 1 0|/s/b.series 1 0|");
    /* a new source version: the list changes */
    snprintf(path, sizeof path, "%s/a.csv", dir);
    const char *srcs[1] = {path};
    CHECK(pond_copy_in(p, srcs, 1, "/s/a.series", NULL) == POND_OK);
    CHECK(pond_derive_inputs(p, "/r/a/res=1h.series", count_inputs, b) == POND_OK);
    CHECK_STR(b, "/r 1 1|/s/a.series 1 0|/s/a.series 2 0|/s/b.series 1 0|");
    /* a new config version: so does the list */
    a[0] = '\0';
    snprintf(path, sizeof path, "%s/r.yaml", dir);
    pond_mknod_options o = POND_MKNOD_OPTIONS_INIT;
    o.overwrite = 1;
    CHECK(pond_mknod(p, "temporal-reduce", "/r", path, &o) == POND_OK);
    CHECK(pond_derive_inputs(p, "/r/a/res=1h.series", count_inputs, a) == POND_OK);
    CHECK(strncmp(a, "/r 2 1|", 7) == 0);
    CHECK(pond_derive_inputs(p, "/s/a.series", count_inputs, a) == POND_EINVALID);
    CHECK(pond_mknod(p, "temporal-reduce", "/r", path, NULL) == POND_EEXISTS);
    pond_close(p);
    rm_rf(dir);
}

int main(void)
{
    RUN(config_values_and_lines);
    RUN(mknod_relation_and_inputs);
    return check_done();
}
