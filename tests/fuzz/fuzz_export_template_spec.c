/*
 * tests/fuzz/fuzz_export_template_spec.c: fuzz target of the template-spec YAML loader
 * (src/export/template_spec.c, over export/yaml_doc.c, the glob compiler and the Mustache
 * parser with its partials read from files).
 *
 * Input: files (fuzz.h), written to a scratch directory: the main file is spec.yaml, the
 * others the templates and partials it names (site.mustache, layout.mustache, …).  The spec
 * is loaded without the check of its queries (pond_template_spec__load: that check is DuckDB
 * preparing the SQL, not pond parsing it).  Every outcome must be a spec whose collections are
 * whole and distinct, or POND_EINVALID / POND_ENOTFOUND / POND_ERROR with a message that
 * starts with the path of the file at fault.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include "export/template_spec.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_files f;
    pond_template_spec *spec = NULL;

    fuzz_files_split(&f, data, size);
    const char *path = fuzz_files_write(&f, "spec.yaml");
    int rc = pond_template_spec__load(&spec, path);
    if (rc == POND_OK) {
        if (!spec || spec->ncollections == 0)
            fuzz_fail("a spec without collections loaded");
        for (size_t i = 0; i < spec->ncollections; i++) {
            const pond_collection *c = &spec->collections[i];
            if (!c->name || !c->in_pattern || !c->out_pattern || !c->template_path || !c->tmpl)
                fuzz_fail("collection %zu is not whole", i + 1);
            if (c->out_pattern[0] == '/' || strstr(c->out_pattern, "//"))
                fuzz_fail("collection %zu: out_pattern '%s' was taken", i + 1, c->out_pattern);
            for (size_t j = 0; j < i; j++)
                if (!strcmp(spec->collections[j].name, c->name))
                    fuzz_fail("two collections are called '%s'", c->name);
        }
    } else {
        fuzz_check_load_error(rc, spec, "spec");
    }
    pond_template_spec_free(spec);
    fuzz_files_free(&f);
    return 0;
}
