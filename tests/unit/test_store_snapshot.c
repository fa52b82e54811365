/*
 * tests/unit/test_store_snapshot.c: read snapshots and the log entry of a run that wrote
 * nothing, on real ponds: a snapshot keeps reading the pond as it was while another handle
 * commits, nests, refuses writes on its handle, and ends; pond_txn_append writes one row of
 * its own, committed or aborted, with its start time and variables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pond.h"
#include "test_store_util.h"

typedef struct log_rows {
    int n;
    pond_txn_info last;
    char status[16], command[64], variables[256];
} log_rows;

static int on_txn(const pond_txn_info *t, void *ctx)
{
    log_rows *l = ctx;
    l->n++;
    l->last = *t;
    snprintf(l->status, sizeof l->status, "%s", t->status);
    snprintf(l->command, sizeof l->command, "%s", t->command);
    snprintf(l->variables, sizeof l->variables, "%s", t->variables);
    return 0;
}

TEST(snapshot_reads_the_past)
{
    pond *p = fresh_pond(), *q = NULL;
    int64_t seq = -1, again = -1;
    got_list l;
    log_rows log;
    char *text = NULL;

    CHECK(copy1(p, "a.csv", "timestamp,v\n2024-01-01 00:00:00,1\n", "/a.series") == POND_OK);
    CHECK(open_as(&q, pdir, "writer") == POND_OK);
    CHECK(pond_snapshot_begin(p, &seq) == POND_OK);
    CHECK(seq == 1);
    /* another handle commits meanwhile: a new directory, a new version of the series */
    CHECK(pond_mkdir(q, "/later", 0) == POND_OK);
    CHECK(copy1(q, "b.csv", "timestamp,v\n2024-01-02 00:00:00,2\n", "/a.series") == POND_OK);
    CHECK(glob_into(p, POND_FS_DATA, "/*", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(l.n == 1 && l.e[0].nversions == 1);
    CHECK(cat_to_string(p, POND_FS_DATA, "/a.series", NULL, &text) == POND_OK);
    CHECK(text && strstr(text, "2024-01-02") == NULL);
    free(text);
    memset(&log, 0, sizeof log);
    CHECK(pond_txn_log(p, on_txn, &log) == POND_OK && log.n == 1);
    /* nested, and no writes on a handle inside a snapshot */
    CHECK(pond_snapshot_begin(p, &again) == POND_OK && again == 1);
    pond_snapshot_end(p);
    CHECK(glob_into(p, POND_FS_DATA, "/later", 0, &l) == POND_ENOTFOUND);
    CHECK(pond_mkdir(p, "/refused", 0) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "read snapshot") != NULL);
    pond_snapshot_end(p);
    pond_snapshot_end(p); /* one too many: nothing */
    /* after the snapshot: the present */
    CHECK(glob_into(p, POND_FS_DATA, "/*", POND_WITH_VERSIONS, &l) == POND_OK);
    CHECK(l.n == 2 && l.e[0].nversions == 2);
    CHECK(pond_mkdir(p, "/now", 0) == POND_OK);
    pond_close(q);
    pond_close(p);
    rm_rf(dir);
}

TEST(txn_append_logs_a_run)
{
    pond *p = fresh_pond();
    log_rows log;

    CHECK(pond_mkdir(p, "/a", 0) == POND_OK);
    CHECK(pond_txn_append(p, 1700000000000000LL, 1, "{\"dir\":\"/out\",\"snapshot_txn\":1}") ==
          POND_OK);
    memset(&log, 0, sizeof log);
    CHECK(pond_txn_log(p, on_txn, &log) == POND_OK);
    CHECK(log.n == 2 && log.last.seq == 2);
    CHECK_STR(log.status, "committed");
    CHECK_STR(log.command, TEST_POND_COMMAND);
    CHECK_STR(log.variables, "{\"dir\":\"/out\",\"snapshot_txn\":1}");
    CHECK(log.last.start_time == 1700000000000000LL && log.last.end_time > log.last.start_time);
    CHECK(pond_txn_append(p, 1700000000000000LL, 0, NULL) == POND_OK);
    memset(&log, 0, sizeof log);
    CHECK(pond_txn_log(p, on_txn, &log) == POND_OK && log.n == 3);
    CHECK_STR(log.status, "aborted");
    CHECK_STR(log.variables, "{}");
    /* variables must be JSON: the catalog refuses anything else, and nothing is logged */
    CHECK(pond_txn_append(p, 0, 1, "not json") == POND_ERROR);
    memset(&log, 0, sizeof log);
    CHECK(pond_txn_log(p, on_txn, &log) == POND_OK && log.n == 3);
    CHECK(pond_check(p, 0, NULL, NULL, NULL) == POND_OK);
    pond_close(p);
    rm_rf(dir);
}

int main(void)
{
    RUN(snapshot_reads_the_past);
    RUN(txn_append_logs_a_run);
    return check_done();
}
