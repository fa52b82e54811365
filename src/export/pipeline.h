/*
 * export/pipeline.h: the stages of one export and the YAML files that describe them.
 *
 * A pipeline comes from --pipeline FILE, or is made from the command line (-p/--temporal give
 * a data_export stage; --template SPEC adds a template stage).  pond_pipeline_load() validates
 * the whole file (unknown keys, missing or mistyped fields, duplicate or unknown table names,
 * missing template files) before any stage runs; its messages carry file:line:column.
 */
#ifndef POND_EXPORT_PIPELINE_H
#define POND_EXPORT_PIPELINE_H

#include <stddef.h>
#include "pond.h"
#include "export/context.h"

typedef enum pond_stage_kind {
    POND_STAGE_DATA_EXPORT,
    POND_STAGE_CUSTOM_QUERY,
    POND_STAGE_TEMPLATE
} pond_stage_kind;

typedef struct pond_kv {
    char *key;
    char *value;
} pond_kv;

typedef struct pond_template_spec pond_template_spec; /* export/template_spec.h */

typedef struct pond_stage {
    pond_stage_kind kind;
    char *name;
    int line; /* in the pipeline file; 0 when made from the command line */
    /* data_export */
    char **patterns; /* NULL/0: the -p patterns */
    size_t npatterns;
    char *temporal;  /* NULL: none (or the --temporal given) */
    char *capture_names; /* "site,res", checked; NULL: the --capture-names given, if any */
    pond_fs fs;
    /* custom_query */
    char *sql;
    char *output_table;
    /* template_processing */
    char *template_spec_path;  /* as resolved against the pipeline file's directory */
    pond_template_spec *spec;  /* parsed and validated at load time */
    pond_kv *vars;
    size_t nvars;
} pond_stage;

typedef struct pond_pipeline {
    char *origin; /* the pipeline file, or "command line" */
    pond_stage *stages;
    size_t nstages;
} pond_pipeline;

/* Load and validate a pipeline file (see above). */
int pond_pipeline_load(pond_pipeline **out, const char *path);

/* The pipeline of a command line without --pipeline: one data_export stage (patterns,
 * temporal and fs from opts), then a template stage when opts->template_spec is set. */
int pond_pipeline_from_options(pond_pipeline **out, const pond_export_options *opts);

void pond_pipeline_free(pond_pipeline *pl);

/* The stage runners; stage_no is 1-based.  Each reports to the log what it wrote. */
int pond_stage_run_data_export(pond_export_ctx *ctx, const pond_stage *st, int stage_no);
int pond_stage_run_custom_query(pond_export_ctx *ctx, const pond_stage *st, int stage_no);
int pond_stage_run_template(pond_export_ctx *ctx, const pond_stage *st, int stage_no);

#endif
