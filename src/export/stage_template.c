/*
 * export/stage_template.c: the template_processing stage (DESIGN.md section 3).
 * First version: validates its input; rendering follows.
 */
#include "export/pipeline.h"
#include "export/template_spec.h"
#include "util/error.h"

int pond_stage_run_template(pond_export_ctx *ctx, const pond_stage *st, int stage_no)
{
    if (!st->spec)
        return pond_error_set(POND_EINVALID, "stage %d '%s': no template spec", stage_no,
                              st->name ? st->name : "templates");
    return pond_error_set(POND_ERROR, "stage %d '%s': template stages are not built yet",
                          stage_no, st->name ? st->name : "templates");
}
