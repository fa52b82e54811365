/*
 * tests/fuzz/fuzz_export_pipeline.c: fuzz target of the pipeline YAML loader
 * (src/export/pipeline_yaml.c: stages, patterns, temporal levels, capture names, template
 * specs with their templates, and the statement check of every custom_query and template
 * query, done in the scratch DuckDB as at load time).
 *
 * Input: files (fuzz.h), written to a scratch directory: the main file is pipeline.yaml, the
 * others the template specs, templates and partials it names.  Every outcome must be a
 * pipeline whose stages are whole, or POND_EINVALID / POND_ENOTFOUND / POND_ERROR with a
 * message that starts with the path of the file at fault.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include "export/pipeline.h"
#include "export/template_spec.h"
#include "util/error.h"

static void check_stage(const pond_stage *st, size_t i)
{
    if (!st->name)
        fuzz_fail("stage %zu has no name", i + 1);
    switch (st->kind) {
    case POND_STAGE_DATA_EXPORT:
        for (size_t k = 0; k < st->npatterns; k++)
            if (!st->patterns[k] || st->patterns[k][0] != '/')
                fuzz_fail("stage %zu: pattern %zu was taken", i + 1, k + 1);
        break;
    case POND_STAGE_CUSTOM_QUERY:
        if (!st->sql || !st->output_table)
            fuzz_fail("stage %zu: a custom_query without sql or output_table", i + 1);
        break;
    case POND_STAGE_TEMPLATE:
        if (!st->spec || st->spec->ncollections == 0)
            fuzz_fail("stage %zu: a template stage without its spec", i + 1);
        for (size_t k = 0; k < st->nvars; k++)
            if (!st->vars[k].key || !st->vars[k].value)
                fuzz_fail("stage %zu: var %zu is not whole", i + 1, k + 1);
        break;
    default:
        fuzz_fail("stage %zu: kind %d", i + 1, (int)st->kind);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_files f;
    pond_pipeline *pl = NULL;

    fuzz_files_split(&f, data, size);
    const char *path = fuzz_files_write(&f, "pipeline.yaml");
    int rc = pond_pipeline_load(&pl, path);
    if (rc == POND_OK) {
        if (!pl || pl->nstages == 0)
            fuzz_fail("a pipeline without stages loaded");
        for (size_t i = 0; i < pl->nstages; i++)
            check_stage(&pl->stages[i], i);
    } else {
        fuzz_check_load_error(rc, pl, "pipeline");
    }
    pond_pipeline_free(pl);
    fuzz_files_free(&f);
    return 0;
}
