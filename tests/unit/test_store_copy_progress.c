/*
 * tests/unit/test_store_copy_progress.c: pond_copy_in's progress callback on real files: the
 * events are versioned, count sources and bytes up to the sizes of the host files, come
 * while one large CSV is rewritten (DuckDB's estimate), and a non-zero return cancels the
 * copy, which then leaves the pond as it was.
 */
#include <sys/stat.h>

#include "check.h"
#include "test_store_util.h"

typedef struct seen {
    int events, cancel_at, bad_version;
    int within; /* events while a source was part-way (0 < bytes of it < its size) */
    size_t sources_done, sources_total;
    int64_t bytes_done, bytes_total, last_bytes;
    int backwards;
} seen;

static int on_progress(const pond_copy_progress *pr, void *payload)
{
    seen *s = payload;
    s->events++;
    s->bad_version |= pr->version != POND_COPY_PROGRESS_VERSION;
    s->backwards |= pr->bytes_done < s->last_bytes;
    s->last_bytes = pr->bytes_done;
    s->within += pr->source && pr->bytes_done > 0 && pr->bytes_done < pr->bytes_total;
    s->sources_done = pr->sources_done;
    s->sources_total = pr->sources_total;
    s->bytes_done = pr->bytes_done;
    s->bytes_total = pr->bytes_total;
    return s->events == s->cancel_at ? 42 : 0;
}

static int64_t size_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

static char files[256], small[400], big[400];

/* Two CSVs, one large enough that its rewrite takes several ticks of the estimate. */
static void make_files(void)
{
    char cmd[1200];
    tmpdir(files, sizeof files);
    snprintf(small, sizeof small, "%s/small.csv", files);
    snprintf(big, sizeof big, "%s/big.csv", files);
    write_file(small, "timestamp,v\n2024-07-20 00:00:00,1\n2024-07-20 00:01:00,2\n");
    snprintf(cmd, sizeof cmd,
             "awk 'BEGIN { print \"timestamp,v,w\"; for (i = 0; i < 1500000; i++) "
             "printf \"2024-07-%%02d %%02d:%%02d:%%02d,%%d,%%.3f\\n\", 1 + int(i / 86400) %% 28, "
             "int(i / 3600) %% 24, int(i / 60) %% 60, i %% 60, i, i / 7 }' > '%s'",
             big);
    if (system(cmd) != 0)
        exit(2);
}

TEST(events_count_bytes_to_the_end)
{
    pond *p = fresh_pond();
    pond_copy_options o = POND_COPY_OPTIONS_INIT;
    seen s = {0};
    const char *srcs[] = {small, big};

    CHECK(pond_mkdir(p, "/in", 0) == POND_OK);
    o.format = POND_COPY_TABLE;
    o.progress = on_progress;
    o.payload = &s;
    CHECK(pond_copy_in(p, srcs, 2, "/in", &o) == POND_OK);
    CHECK(!s.bad_version);
    CHECK(s.events >= 3); /* each source starts, then the end */
    CHECK(s.sources_done == 2 && s.sources_total == 2);
    CHECK(s.bytes_total == size_of(small) + size_of(big));
    CHECK(s.bytes_done == s.bytes_total);
    CHECK(!s.backwards);
    CHECK(s.within >= 1); /* the big file showed progress while it was read */
    pond_close(p);
    rm_rf(dir);
}

TEST(a_non_zero_return_cancels)
{
    for (int at = 1; at <= 3; at++) {
        pond *p = fresh_pond();
        pond_copy_options o = POND_COPY_OPTIONS_INIT;
        seen s = {0};
        const char *srcs[] = {small, big};
        static got_list l;
        pond_check_report r;

        CHECK(pond_mkdir(p, "/in", 0) == POND_OK);
        s.cancel_at = at;
        o.progress = on_progress;
        o.payload = &s;
        o.format = POND_COPY_SERIES;
        CHECK(pond_copy_in(p, srcs, 2, "/in", &o) == 42);
        CHECK_STR(pond_error_last(), "copy canceled");
        CHECK(s.events == at);
        CHECK(glob_into(p, POND_FS_DATA, "/in/*", 0, &l) == POND_ENOTFOUND);
        CHECK(pond_check(p, 0, &r, NULL, NULL) == POND_OK);
        CHECK(r.versions_checked == 0 && r.orphans == 0); /* no content left behind */
        pond_close(p);
        rm_rf(dir);
    }
}

int main(void)
{
    make_files();
    RUN(events_count_bytes_to_the_end);
    RUN(a_non_zero_return_cancels);
    rm_rf(files);
    return check_done();
}
