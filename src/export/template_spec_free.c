/*
 * export/template_spec_free.c: releasing a template spec (kept apart from the loader so the
 * pipeline can free specs whatever the loader's state).
 */
#include <stdlib.h>
#include "export/template_spec.h"

void pond_template_spec_free(pond_template_spec *spec)
{
    if (!spec)
        return;
    for (size_t i = 0; i < spec->ncollections; i++) {
        pond_collection *c = &spec->collections[i];
        free(c->name);
        free(c->in_pattern);
        free(c->out_pattern);
        free(c->template_path);
        free(c->query);
        pond_mustache_free(c->tmpl);
    }
    free(spec->collections);
    free(spec->path);
    free(spec);
}
