/*
 * export/run_log.c: the export's entry in the pond's transaction log (run_log.h).
 */
#include "export/run_log.h"

#include <jansson.h>
#include <stdlib.h>
#include <time.h>

#include "util/error.h"

int64_t pond_export_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The variables of the run's log entry as JSON text (malloc'd), or NULL when out of memory. */
static char *run_variables(const pond_export_options *opts, const char *dir,
                           int64_t snapshot_txn)
{
    json_t *vars = json_object(), *patterns = json_array();
    char *text = NULL;
    size_t i;
    int bad = !vars || !patterns;

    for (i = 0; !bad && i < opts->npatterns; i++)
        bad = json_array_append_new(patterns, json_string(opts->patterns[i])) != 0;
    if (!bad)
        bad = json_object_set_new(vars, "dir", json_string(dir)) != 0 ||
              json_object_set(vars, "patterns", patterns) != 0 ||
              json_object_set_new(vars, "pipeline", opts->pipeline_file
                                                        ? json_string(opts->pipeline_file)
                                                        : json_null()) != 0 ||
              json_object_set_new(vars, "snapshot_txn", json_integer(snapshot_txn)) != 0;
    if (!bad)
        text = json_dumps(vars, JSON_COMPACT);
    json_decref(patterns);
    json_decref(vars);
    return text;
}

int pond_export_log_run(pond *p, const pond_export_options *opts, pond_export_progress *pr,
                        const char *dir, int64_t start_us, int64_t snapshot_txn, int rc)
{
    pond_error_saved saved;
    char *vars;
    int logged;

    pond_error_save(&saved);
    vars = run_variables(opts, dir ? dir : "", snapshot_txn);
    logged = vars ? pond_txn_append(p, start_us, rc == POND_OK, vars) : pond_error_oom();
    if (logged != POND_OK && rc == POND_OK && pr)
        (void)pond_export_progress_note(pr, "warning: the export is not recorded in the "
                                            "transaction log: %s",
                                        pond_error_last());
    free(vars);
    pond_error_restore(&saved);
    return rc;
}
