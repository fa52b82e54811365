/*
 * export/result.h: pond_export_result (include/pond/export.h), what a run leaves to read.
 *
 * The result owns the run's in-memory DuckDB database, taken over from the export context
 * (pond_export_ctx_take_tables) before the commit, so the tables outlive the context.
 */
#ifndef POND_EXPORT_RESULT_H
#define POND_EXPORT_RESULT_H

#include "pond.h"
#include "export/context.h"

/* Take the context's tables and output directory into a new result (owned by the caller). */
int pond_export_result_new(pond_export_result **out, pond_export_ctx *ctx);

#endif
