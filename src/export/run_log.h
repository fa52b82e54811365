/*
 * export/run_log.h: the export's entry in the pond's transaction log.
 *
 * An export is a reader: it holds one read snapshot of the pond for its whole run and never
 * takes the write lock while it writes Parquet.  When it is over (committed into DIR, or
 * failed), one short transaction records it, so `pond show` lists exports beside the writes.
 */
#ifndef POND_EXPORT_RUN_LOG_H
#define POND_EXPORT_RUN_LOG_H

#include <stdint.h>
#include "pond.h"
#include "export/progress.h"

/* Microseconds since the epoch, now (the start time of the run's log entry). */
int64_t pond_export_now_us(void);

/* Record the run in p's log: status committed when rc is POND_OK, else aborted; variables
 * {"dir": dir, "patterns": [...], "pipeline": FILE or null, "snapshot_txn": N}, where N is
 * the last transaction the run's snapshot held.  Returns rc: failing to record a run that
 * succeeded (the pond is read-only, or busy past the wait) is a warning, not a
 * failure, since DIR is already complete; a failed run keeps its own error.  The warning is a
 * note to pr (may be NULL: no warning). */
int pond_export_log_run(pond *p, const pond_export_options *opts, pond_export_progress *pr,
                        const char *dir, int64_t start_us, int64_t snapshot_txn, int rc);

#endif
