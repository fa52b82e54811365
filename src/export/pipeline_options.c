/*
 * export/pipeline_options.c: the pipeline of a command line without --pipeline, and freeing
 * any pipeline (see pipeline.h).
 *
 * The command line gives one data_export stage (its patterns, --temporal and -f stay NULL/0
 * here and are read from the options when the stage runs) and, with --template SPEC, one
 * template_processing stage whose vars are the -v key=value pairs.
 */
#include <stdlib.h>
#include <string.h>
#include "export/pipeline.h"
#include "export/template_spec.h"
#include "util/error.h"

/* Split "key=value" into a pond_kv (owned strings). */
static int parse_var(pond_kv *kv, const char *text)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text)
        return pond_error_set(POND_EINVALID, "bad variable '%s': expected key=value", text);
    if (!(kv->key = strndup(text, (size_t)(eq - text))) || !(kv->value = strdup(eq + 1))) {
        free(kv->key);
        kv->key = NULL;
        return pond_error_oom();
    }
    return POND_OK;
}

int pond_pipeline_from_options(pond_pipeline **out, const pond_export_options *opts)
{
    int rc = POND_OK;
    pond_pipeline *pl = NULL;
    size_t nstages = opts->template_spec ? 2 : 1;

    *out = NULL;
    if (!(pl = calloc(1, sizeof *pl)) || !(pl->origin = strdup("command line")) ||
        !(pl->stages = calloc(nstages, sizeof *pl->stages))) {
        rc = pond_error_oom();
        goto done;
    }
    pl->nstages = nstages;
    pond_stage *de = &pl->stages[0];
    de->kind = POND_STAGE_DATA_EXPORT;
    de->fs = opts->fs;
    if (!(de->name = strdup("data export"))) {
        rc = pond_error_oom();
        goto done;
    }
    if (opts->template_spec) {
        pond_stage *ts = &pl->stages[1];
        ts->kind = POND_STAGE_TEMPLATE;
        if (!(ts->name = strdup("templates")) ||
            !(ts->template_spec_path = strdup(opts->template_spec))) {
            rc = pond_error_oom();
            goto done;
        }
        if (opts->nvars && !(ts->vars = calloc(opts->nvars, sizeof *ts->vars))) {
            rc = pond_error_oom();
            goto done;
        }
        for (size_t i = 0; i < opts->nvars; i++, ts->nvars++)
            if ((rc = parse_var(&ts->vars[i], opts->vars[i])) != POND_OK)
                goto done;
        if ((rc = pond_template_spec_load(&ts->spec, opts->template_spec)) != POND_OK)
            goto done;
    }
    *out = pl;
    pl = NULL;
done:
    pond_pipeline_free(pl);
    return rc;
}

void pond_pipeline_free(pond_pipeline *pl)
{
    if (!pl)
        return;
    for (size_t i = 0; i < pl->nstages; i++) {
        pond_stage *st = &pl->stages[i];
        free(st->name);
        for (size_t j = 0; j < st->npatterns; j++)
            free(st->patterns[j]);
        free(st->patterns);
        free(st->temporal);
        free(st->capture_names);
        free(st->sql);
        free(st->output_table);
        free(st->template_spec_path);
        pond_template_spec_free(st->spec);
        for (size_t j = 0; j < st->nvars; j++) {
            free(st->vars[j].key);
            free(st->vars[j].value);
        }
        free(st->vars);
    }
    free(pl->stages);
    free(pl->origin);
    free(pl);
}
