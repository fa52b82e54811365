/*
 * pond/export.h: pond export, the multi-stage export pipeline (DESIGN.md section 3).
 *
 * One run: a data-export stage writes every matching file as (Hive-partitioned) Parquet under
 * a staging directory inside dir and records each written file in the in-memory table
 * export_metadata; later stages (custom SQL, templates) read the tables of earlier ones.  Only
 * when every stage has succeeded is the staged output moved into dir; any failure leaves dir
 * as it was.
 */
#ifndef POND_EXPORT_H
#define POND_EXPORT_H

#include <stddef.h>
#include <stdio.h>
#include "pond/store.h"

typedef struct pond_export_options {
    const char *const *patterns;  /* -p, at least one unless the pipeline names them */
    size_t npatterns;
    const char *dir;              /* -d: the output directory (created when missing) */
    const char *temporal;         /* "year,month,day": an ordered subset of
                                     year,month,day,hour,minute; NULL = no partitioning */
    pond_fs fs;                   /* -f data|control */
    const char *start_time;       /* ISO-8601, inclusive; NULL = open */
    const char *end_time;         /* ISO-8601, exclusive; NULL = open */
    const char *timezone;         /* ICU name for calendar partitions; NULL = "UTC" */
    int overwrite;                /* replace existing outputs */
    int dry_run;                  /* list what would be written to out; write nothing */
    const char *dump_tables_dir;  /* write every context table there as <table>.parquet */
    const char *pipeline_file;    /* --pipeline FILE (YAML) */
    const char *template_spec;    /* --template SPEC: one template stage after the data export */
    const char *const *vars;      /* -v key=value */
    size_t nvars;
    FILE *out;                    /* the dry-run listing (stdout) */
    FILE *log;                    /* stage reports and progress (stderr); NULL = quiet */
} pond_export_options;

/* Run the export. */
int pond_export(pond *p, const pond_export_options *opts);

#endif
