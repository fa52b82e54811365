/*
 * tests/unit/test_export_update_plan.c: what --update does with an output, from the last
 * manifest's entry and the entry this run makes: keep, write whole, or rewrite the partitions
 * overlapping the dirty time ranges; and the key ranges those become.
 */
#include <string.h>
#include "check.h"
#include "export/update_plan.h"
#include "util/error.h"

static pond_manifest old_m = POND_MANIFEST_INIT, now_m = POND_MANIFEST_INIT;

/* An entry with versions "1:a:lo:hi 2:b:lo:hi" (sha256 filled with the letter; lo < 0: no
 * time). */
static pond_manifest_output *entry(pond_manifest *m, const char *kind, const char *versions,
                                   const char *temporal)
{
    pond_manifest_output *o;
    pond_manifest_free(m);
    if (pond_manifest_add_output(m, "out", kind, 1, "p", "/s", json_pack("{s:s}", "temporal",
                                                                         temporal),
                                 &o) != POND_OK)
        return NULL;
    const char *p = versions;
    while (p && *p) {
        pond_manifest_version v = {0};
        char letter;
        long long num, lo, hi;
        int used = 0;
        if (sscanf(p, "%lld:%c:%lld:%lld%n", &num, &letter, &lo, &hi, &used) != 4)
            break;
        v.version = num;
        memset(v.sha256, letter, 64);
        v.has_time = lo >= 0;
        v.min_us = lo;
        v.max_us = hi;
        pond_manifest_add_version(o, &v);
        p += used;
        while (*p == ' ')
            p++;
    }
    return o;
}

static pond_update_decision plan(const char *kind, const char *old_v, const char *now_v,
                                 int by_time)
{
    pond_update_decision d;
    pond_manifest_output *o = entry(&old_m, kind, old_v, "day");
    pond_manifest_output *n = entry(&now_m, kind, now_v, "day");
    CHECK(pond_update_plan_output(o, n, by_time, &d) == POND_OK);
    return d;
}

TEST(keep_and_write)
{
    pond_update_decision d = plan("series", "1:a:0:10 2:b:20:30", "1:a:0:10 2:b:20:30", 1);
    CHECK(d.action == POND_UPDATE_KEEP);
    pond_update_decision_free(&d);

    /* a table whose newest version changed: written whole */
    d = plan("table", "1:a:-1:-1", "2:b:-1:-1", 0);
    CHECK(d.action == POND_UPDATE_WRITE);
    pond_update_decision_free(&d);

    /* a series without --temporal that got a version: written whole */
    d = plan("series", "1:a:0:10", "1:a:0:10 2:b:20:30", 0);
    CHECK(d.action == POND_UPDATE_WRITE);
    pond_update_decision_free(&d);

    /* a data file: its newest sha256 decides */
    d = plan("data", "1:a:-1:-1", "2:a:-1:-1", 0);
    CHECK(d.action == POND_UPDATE_KEEP);
    pond_update_decision_free(&d);
    d = plan("data", "1:a:-1:-1", "2:c:-1:-1", 0);
    CHECK(d.action == POND_UPDATE_WRITE);
    pond_update_decision_free(&d);

    /* a new output */
    pond_manifest_output *n = entry(&now_m, "series", "1:a:0:10", "day");
    CHECK(pond_update_plan_output(NULL, n, 1, &d) == POND_OK);
    CHECK(d.action == POND_UPDATE_WRITE && strcmp(d.why, "new") == 0);
    pond_update_decision_free(&d);
}

TEST(changed_shape_writes_whole)
{
    pond_update_decision d;
    pond_manifest_output *o = entry(&old_m, "series", "1:a:0:10", "day");
    pond_manifest_output *n = entry(&now_m, "series", "1:a:0:10", "hour");
    CHECK(pond_update_plan_output(o, n, 1, &d) == POND_OK);
    CHECK(d.action == POND_UPDATE_WRITE && strcmp(d.why, "its options changed") == 0);

    n = entry(&now_m, "series", "1:a:0:10", "day");
    memset(n->inputs_sha256, 'f', 64);
    CHECK(pond_update_plan_output(o, n, 1, &d) == POND_OK);
    CHECK(d.action == POND_UPDATE_WRITE && strcmp(d.why, "its inputs changed") == 0);

    n = entry(&now_m, "series", "1:a:0:10 2:b:20:30", "day");
    memset(n->schemas_sha256, 'e', 64);
    CHECK(pond_update_plan_output(o, n, 1, &d) == POND_OK);
    CHECK(d.action == POND_UPDATE_WRITE && strcmp(d.why, "its schema changed") == 0);

    n = entry(&now_m, "table", "1:a:0:10", "day");
    CHECK(pond_update_plan_output(o, n, 1, &d) == POND_OK);
    CHECK(d.action == POND_UPDATE_WRITE && strcmp(d.why, "its kind changed") == 0);
}

TEST(partial)
{
    /* appended: only the new version's range is dirty */
    pond_update_decision d = plan("series", "1:a:0:10 2:b:20:30", "1:a:0:10 2:b:20:30 3:c:40:50", 1);
    CHECK(d.action == POND_UPDATE_PARTIAL);
    CHECK(d.ndirty == 1 && d.dirty[0].lo_us == 40 && d.dirty[0].hi_us == 50);
    pond_update_decision_free(&d);

    /* late rows into an old range */
    d = plan("series", "1:a:0:100", "1:a:0:100 2:b:5:7", 1);
    CHECK(d.action == POND_UPDATE_PARTIAL && d.ndirty == 1 && d.dirty[0].lo_us == 5);
    pond_update_decision_free(&d);

    /* lost version 2, version 3 changed: the old ranges and the new one */
    d = plan("series", "1:a:0:10 2:b:20:30 3:c:40:50", "1:a:0:10 3:d:60:70", 1);
    CHECK(d.action == POND_UPDATE_PARTIAL && d.ndirty == 3);
    CHECK(d.dirty[0].lo_us == 20 && d.dirty[1].lo_us == 40 && d.dirty[2].lo_us == 60);
    pond_update_decision_free(&d);

    /* a changed version without a time range: everything */
    d = plan("series", "1:a:0:10 2:b:-1:-1", "1:a:0:10", 1);
    CHECK(d.action == POND_UPDATE_WRITE);
    pond_update_decision_free(&d);

    /* every version gone: written whole (empty) */
    d = plan("series", "1:a:0:10", "", 1);
    CHECK(d.action == POND_UPDATE_WRITE);
    pond_update_decision_free(&d);
}

TEST(key_ranges)
{
    pond_key_range r[] = {{10, 12}, {3, 3}, {13, 15}, {4, 5}, {30, 20}, {7, 8}};
    size_t n = pond_update_merge_keys(r, 6);
    CHECK(n == 4);
    CHECK(r[0].lo == 3 && r[0].hi == 5);
    CHECK(r[1].lo == 7 && r[1].hi == 8);
    CHECK(r[2].lo == 10 && r[2].hi == 15);
    CHECK(r[3].lo == 20 && r[3].hi == 30);
    CHECK(pond_update_key_dirty(r, n, 3) && pond_update_key_dirty(r, n, 5));
    CHECK(!pond_update_key_dirty(r, n, 6) && !pond_update_key_dirty(r, n, 9));
    CHECK(pond_update_key_dirty(r, n, 15) && pond_update_key_dirty(r, n, 25));
    CHECK(!pond_update_key_dirty(r, n, 2) && !pond_update_key_dirty(r, n, 31));
    CHECK(pond_update_merge_keys(r, 0) == 0);
    CHECK(!pond_update_key_dirty(r, 0, 3));
}

int main(void)
{
    RUN(keep_and_write);
    RUN(changed_shape_writes_whole);
    RUN(partial);
    RUN(key_ranges);
    pond_manifest_free(&old_m);
    pond_manifest_free(&now_m);
    return check_done();
}
