/* Unit tests for export/pipeline_yaml and export/template_spec: loading good files, and every
 * validation error with its exact file:line:column (fixtures in tests/data/pipelines/). */
#include <stdlib.h>
#include "check.h"
#include "export/pipeline.h"
#include "export/template_spec.h"
#include "util/buf.h"
#include "util/error.h"

static char data_dir[4096];

static const char *fixture(const char *rel)
{
    static char path[4096 + 256];
    snprintf(path, sizeof path, "%s/%s", data_dir, rel);
    return path;
}

/* Load pipeline rel (or, with spec set, the template spec) and expect the message
 * "<data_dir>/<want>" — whole, or as a prefix when want ends in "…". */
static int expect_error(const char *rel, int spec, const char *want)
{
    pond_pipeline *pl = NULL;
    pond_template_spec *sp = NULL;
    char full[8192];
    int rc = spec ? pond_template_spec_load(&sp, fixture(rel)) : pond_pipeline_load(&pl, fixture(rel));
    pond_pipeline_free(pl);
    pond_template_spec_free(sp);
    if (rc != POND_EINVALID) {
        fprintf(stderr, "%s: rc %d, message '%s'\n", rel, rc, pond_error_last());
        return 0;
    }
    snprintf(full, sizeof full, "%s/%s", data_dir, want);
    size_t n = strlen(full);
    int prefix = n >= 3 && !strcmp(full + n - 3, "…");
    if (prefix ? strncmp(pond_error_last(), full, n - 3) != 0 : strcmp(pond_error_last(), full) != 0) {
        fprintf(stderr, "%s:\n   got: %s\n  want: %s\n", rel, pond_error_last(), full);
        return 0;
    }
    return 1;
}

TEST(loads_a_three_stage_pipeline)
{
    pond_pipeline *pl = NULL;
    CHECK(pond_pipeline_load(&pl, fixture("site/pipeline.yaml")) == POND_OK);
    if (!pl)
        return;
    CHECK(pl->nstages == 3);
    CHECK_STR(pl->origin, fixture("site/pipeline.yaml"));
    pond_stage *s = pl->stages;
    CHECK(s[0].kind == POND_STAGE_DATA_EXPORT);
    CHECK_STR(s[0].name, "Export sensor data");
    CHECK(s[0].line == 3);
    CHECK(s[0].npatterns == 1);
    CHECK_STR(s[0].patterns[0], "/sites/*/res=1d.series");
    CHECK_STR(s[0].temporal, "year,month");
    CHECK(s[0].fs == POND_FS_DATA);
    CHECK(s[1].kind == POND_STAGE_CUSTOM_QUERY);
    CHECK_STR(s[1].output_table, "site_index");
    CHECK(strstr(s[1].sql, "GROUP BY 1 ORDER BY 1") != NULL);
    CHECK(s[1].line == 8);
    CHECK(s[2].kind == POND_STAGE_TEMPLATE);
    CHECK_STR(s[2].template_spec_path, fixture("site/site-templates.yaml"));
    CHECK(s[2].nvars == 2);
    CHECK_STR(s[2].vars[0].key, "title");
    CHECK_STR(s[2].vars[0].value, "Noyo Harbor");
    CHECK_STR(s[2].vars[1].key, "footer");
    CHECK_STR(s[2].vars[1].value, "made by pond");
    CHECK(s[2].spec && s[2].spec->ncollections == 2);
    if (s[2].spec && s[2].spec->ncollections == 2) {
        pond_collection *c = &s[2].spec->collections[1];
        CHECK_STR(c->name, "site pages");
        CHECK_STR(c->in_pattern, "/sites/*/res=1d.series");
        CHECK_STR(c->out_pattern, "sites/$0.html");
        CHECK_STR(c->template_path, fixture("site/site.mustache"));
        CHECK(c->tmpl != NULL);
        CHECK(c->line == 7);
        CHECK(c->query_line == 11);
        CHECK(s[2].spec->collections[0].query_line == 6);
    }
    pond_pipeline_free(pl);
}

TEST(unknown_key)
{
    CHECK(expect_error("bad/unknown_key.yaml", 0,
                       "bad/unknown_key.yaml:6:5: unknown key 'sqll' in stage 2, a custom_query "
                       "stage (expected one of: name, type, sql, output_table)"));
}

TEST(missing_field)
{
    CHECK(expect_error("bad/missing_field.yaml", 0,
                       "bad/missing_field.yaml:4:5: stage 2 'Index': missing 'output_table'"));
}

TEST(wrong_type)
{
    CHECK(expect_error("bad/wrong_type.yaml", 0,
                       "bad/wrong_type.yaml:5:7: stage 1 'Index': 'sql' must be a string, not a "
                       "mapping"));
    CHECK(expect_error("bad/patterns_not_list.yaml", 0,
                       "bad/patterns_not_list.yaml:4:15: stage 1 'Export': 'patterns' must be a "
                       "list, not a string"));
    CHECK(expect_error("bad/vars_not_list.yaml", 0,
                       "bad/vars_not_list.yaml:9:11: stage 2 'Pages': 'vars' must be a list of "
                       "{key, value}, not a mapping"));
    CHECK(expect_error("bad/var_missing_value.yaml", 0,
                       "bad/var_missing_value.yaml:12:9: var 2 of stage 2 'Pages': missing "
                       "'value'"));
    CHECK(expect_error("bad/not_mapping.yaml", 0,
                       "bad/not_mapping.yaml:1:1: the pipeline must be a mapping, not a list"));
    CHECK(expect_error("bad/no_stages.yaml", 0, "bad/no_stages.yaml:1:9: 'stages' is empty"));
}

TEST(unknown_stage_type)
{
    CHECK(expect_error("bad/unknown_type.yaml", 0,
                       "bad/unknown_type.yaml:3:11: stage 1: unknown type 'data_exports' "
                       "(expected data_export, custom_query or template_processing)"));
}

TEST(duplicate_and_reserved_tables)
{
    CHECK(expect_error("bad/duplicate_table.yaml", 0,
                       "bad/duplicate_table.yaml:9:19: stage 2 'Two': output_table 'Site_Index' "
                       "is already made by stage 1 'One' (line 2)"));
    CHECK(expect_error("bad/metadata_table.yaml", 0,
                       "bad/metadata_table.yaml:5:19: stage 1 'Index': output_table "
                       "'export_metadata' is the table of the data export"));
    CHECK(expect_error("bad/bad_identifier.yaml", 0,
                       "bad/bad_identifier.yaml:5:19: stage 1 'Index': output_table 'site index; "
                       "DROP TABLE x' is not a table name ([A-Za-z_][A-Za-z0-9_]*)"));
}

TEST(unknown_table_and_column)
{
    CHECK(expect_error("bad/unknown_table.yaml", 0,
                       "bad/unknown_table.yaml:6:10: stage 2 'Index': sql error: Catalog Error: "
                       "Table with name nosuch does not exist!"));
    CHECK(expect_error("bad/unknown_column.yaml", 0,
                       "bad/unknown_column.yaml:8:10: stage 2 'Sites': sql error: Binder Error: "
                       "Referenced column \"nosuch_column\" not found in FROM clause!…"));
    /* a template query reading a table a later stage makes: the spec's query position */
    CHECK(expect_error("bad/table_too_early.yaml", 0,
                       "bad/ok-spec.yaml:6:12: stage 1 'Pages', collection 'index': query: "
                       "Catalog Error: Table with name site_index does not exist!"));
    CHECK(expect_error("bad/unknown_param.yaml", 0,
                       "bad/unknown-param-spec.yaml:6:12: stage 2 'Pages', collection 'index': "
                       "query: unknown parameter $site (a query may use $pattern, $files and $0, $1…)"));
    CHECK(expect_error("bad/two_statements.yaml", 0,
                       "bad/two_statements.yaml:4:10: stage 1 'Index': sql error: only a "
                       "read-only query (one SELECT, or WITH … SELECT) may run here"));
}

TEST(sql_that_needs_the_run_is_left_to_the_run)
{
    pond_pipeline *pl = NULL;
    CHECK(pond_pipeline_load(&pl, fixture("bad/deferred_io.yaml")) == POND_OK);
    pond_pipeline_free(pl);
}

TEST(missing_or_broken_templates)
{
    CHECK(expect_error("bad/missing_template.yaml", 0,
                       "bad/missing-template-spec.yaml:5:15: collection 1 'index': cannot read "
                       "template: cannot open '…"));
    CHECK(expect_error("bad/template_syntax.yaml", 0,
                       "bad/broken.mustache:3:1: unclosed section 'rows'…"));
    CHECK(expect_error("bad/missing_spec.yaml", 0,
                       "bad/missing_spec.yaml:4:20: stage 1 'Pages': template_spec: cannot "
                       "open '…"));
}

TEST(data_export_fields)
{
    CHECK(expect_error("bad/bad_pattern.yaml", 0,
                       "bad/bad_pattern.yaml:6:9: stage 1 'Export': invalid pattern "
                       "'sites/relative'…"));
    CHECK(expect_error("bad/bad_temporal.yaml", 0,
                       "bad/bad_temporal.yaml:4:15: stage 1 'Export': temporal: …"));
    CHECK(expect_error("bad/bad_filesystem.yaml", 0,
                       "bad/bad_filesystem.yaml:4:17: stage 1 'Export': unknown file system "
                       "'dat' (expected data or control)"));
}

TEST(yaml_syntax)
{
    CHECK(expect_error("bad/yaml_syntax.yaml", 0,
                       "bad/yaml_syntax.yaml:4:4: yaml syntax error: did not find expected '-' "
                       "indicator…"));
}

TEST(template_spec_errors)
{
    CHECK(expect_error("bad/spec_bad_capture.yaml", 1,
                       "bad/spec_bad_capture.yaml:4:18: collection 1 'site pages': out_pattern "
                       "'sites/$1.html' uses $1 but in_pattern '/sites/*/res=1d.series' makes 1 "
                       "capture ($0)"));
    CHECK(expect_error("bad/spec_duplicate_name.yaml", 1,
                       "bad/spec_duplicate_name.yaml:6:11: collection 2: name 'pages' is already "
                       "used by collection 1 (line 2)"));
    CHECK(expect_error("bad/spec_unknown_key.yaml", 1,
                       "bad/spec_unknown_key.yaml:5:5: unknown key 'templates' in collection 1 "
                       "(expected one of: name, in_pattern, out_pattern, template, query)"));
    CHECK(expect_error("bad/spec_out_escape.yaml", 1,
                       "bad/spec_out_escape.yaml:4:18: collection 1 'pages': out_pattern "
                       "'../$0.html' has an empty, '.' or '..' component"));
    /* on its own (--template), a spec's queries see export_metadata only */
    CHECK(expect_error("bad/ok-spec.yaml", 1,
                       "bad/ok-spec.yaml:6:12: collection 'index': query: Catalog Error: Table "
                       "with name site_index does not exist!"));
    CHECK(expect_error("bad/missing-template-spec.yaml", 1,
                       "bad/missing-template-spec.yaml:5:15: collection 1 'index': cannot read "
                       "template: …"));
}

TEST(template_spec_loads_and_parses_templates)
{
    pond_template_spec *sp = NULL;
    CHECK(pond_template_spec_load(&sp, fixture("stage/shared-spec.yaml")) == POND_OK);
    CHECK(sp && sp->ncollections == 3);
    if (sp && sp->ncollections == 3) {
        CHECK(sp->collections[0].query == NULL);
        CHECK(sp->collections[0].query_line == 0);
        CHECK(sp->collections[1].query != NULL);
        CHECK(sp->collections[2].tmpl != NULL);
    }
    pond_template_spec_free(sp);
}

int main(void)
{
    const char *src = getenv("POND_SOURCE_DIR");
    snprintf(data_dir, sizeof data_dir, "%s/tests/data/pipelines", src ? src : "..");
    RUN(loads_a_three_stage_pipeline);
    RUN(unknown_key);
    RUN(missing_field);
    RUN(wrong_type);
    RUN(unknown_stage_type);
    RUN(duplicate_and_reserved_tables);
    RUN(unknown_table_and_column);
    RUN(sql_that_needs_the_run_is_left_to_the_run);
    RUN(missing_or_broken_templates);
    RUN(data_export_fields);
    RUN(yaml_syntax);
    RUN(template_spec_errors);
    RUN(template_spec_loads_and_parses_templates);
    return check_done();
}
