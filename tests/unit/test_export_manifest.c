/*
 * tests/unit/test_export_manifest.c: the export manifest written to a real file and read
 * back (every field, binary search by path), and damaged manifests refused with a message
 * that names the file and what is wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "export/manifest.h"
#include "util/error.h"

static char dir[] = "/tmp/pond-test-manifest-XXXXXX";
static char path[256];

static void put(const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* Read path, expecting POND_ECORRUPT with want in the message. */
static void damaged(const char *text, const char *want)
{
    pond_manifest m = POND_MANIFEST_INIT;
    put(text);
    int rc = pond_manifest_read(&m, path);
    CHECK(rc == POND_ECORRUPT);
    CHECK(strstr(pond_error_last(), path) != NULL);
    if (!strstr(pond_error_last(), want))
        fprintf(stderr, "  message: %s\n  wanted:  %s\n", pond_error_last(), want);
    CHECK(strstr(pond_error_last(), want) != NULL);
    CHECK(m.n == 0);
    pond_manifest_free(&m);
}

TEST(round_trip)
{
    pond_manifest m = POND_MANIFEST_INIT, r = POND_MANIFEST_INIT;
    pond_manifest_output *o;
    pond_manifest_version v = {3, "", 1, -5, 1700000000000000};
    pond_manifest_file f = {"year=2024/month=7/data.parquet", 1, 24294, 1, 1719792000000,
                            1722470400000, 1, 744, ""};
    memset(v.sha256, 'a', 64);

    CHECK(pond_manifest_add_output(&m, "zeta/index.html", "page", 2, "/s/*", "t.mustache",
                                   NULL, &o) == POND_OK);
    pond_manifest_file page = {"", 0, 0, 0, 0, 0, 1, 2, ""};
    memset(page.sha256, 'b', 64);
    CHECK(pond_manifest_add_file(o, &page) == POND_OK);
    CHECK(pond_manifest_add_output(&m, "BDock", "series", 1, "/sites/*/res=1h.series",
                                   "/sites/BDock/res=1h.series",
                                   json_pack("{s:s, s:n}", "temporal", "year,month",
                                             "start_time"),
                                   &o) == POND_OK);
    memset(o->schemas_sha256, 'c', 64);
    CHECK(pond_manifest_add_version(o, &v) == POND_OK);
    v.version = 4;
    v.has_time = 0;
    CHECK(pond_manifest_add_version(o, &v) == POND_OK);
    CHECK(pond_manifest_add_file(o, &f) == POND_OK);
    CHECK(pond_manifest_write(&m, path) == POND_OK);

    CHECK(pond_manifest_read(&r, path) == POND_OK);
    CHECK(r.n == 2);
    const pond_manifest_output *b = pond_manifest_find(&r, "BDock");
    CHECK(b != NULL);
    CHECK(pond_manifest_find(&r, "BDoc") == NULL);
    CHECK(pond_manifest_find(&r, "zeta/index.html") != NULL);
    if (!b)
        goto done;
    CHECK_STR(b->kind, "series");
    CHECK(b->stage == 1);
    CHECK_STR(b->pattern, "/sites/*/res=1h.series");
    CHECK_STR(b->source, "/sites/BDock/res=1h.series");
    CHECK(json_equal(b->options, m.v[1].options));
    CHECK_STR(b->inputs_sha256, "");
    CHECK(strspn(b->schemas_sha256, "c") == 64);
    CHECK(b->nversions == 2);
    CHECK(b->versions[0].version == 3 && b->versions[0].has_time);
    CHECK(b->versions[0].min_us == -5 && b->versions[0].max_us == 1700000000000000);
    CHECK(b->versions[1].version == 4 && !b->versions[1].has_time);
    CHECK(strspn(b->versions[1].sha256, "a") == 64);
    CHECK(b->nfiles == 1);
    CHECK_STR(b->files[0].name, "year=2024/month=7/data.parquet");
    CHECK(b->files[0].key_ok && b->files[0].key == 24294);
    CHECK(b->files[0].has_window && b->files[0].start_ms == 1719792000000 &&
          b->files[0].end_ms == 1722470400000);
    CHECK(b->files[0].has_rows && b->files[0].rows == 744);
    CHECK_STR(b->files[0].sha256, "");
    const pond_manifest_output *p = pond_manifest_find(&r, "zeta/index.html");
    CHECK(p && p->nfiles == 1 && strspn(p->files[0].sha256, "b") == 64 && !p->files[0].key_ok);
done:
    pond_manifest_free(&m);
    pond_manifest_free(&r);
}

TEST(missing_and_damaged)
{
    pond_manifest m = POND_MANIFEST_INIT;
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none.json", dir);
    CHECK(pond_manifest_read(&m, missing) == POND_ENOTFOUND);

    damaged("{\"pond_export_manifest\": 1, \"outputs\": [", "is damaged: line");
    damaged("[]", "not a JSON object");
    damaged("{\"outputs\": []}", "'pond_export_manifest' is missing");
    damaged("{\"pond_export_manifest\": 9, \"outputs\": []}", "has format 9");
    damaged("{\"pond_export_manifest\": 1}", "'outputs' is missing or not a list");
    damaged("{\"pond_export_manifest\": 1, \"outputs\": [{\"path\": \"../x\"}]}",
            "output 1: a path that is empty or leaves the output directory");
    damaged("{\"pond_export_manifest\": 1, \"outputs\": [{\"path\": \"a\", \"kind\": "
            "\"series\", \"stage\": 1, \"pattern\": \"p\", \"source\": \"/a\", "
            "\"versions\": [], \"files\": []}]}",
            "output 1 'a': 'options' is missing or not an object");
    damaged("{\"pond_export_manifest\": 1, \"outputs\": [{\"path\": \"a\", \"kind\": "
            "\"cake\", \"stage\": 1, \"pattern\": \"p\", \"source\": \"/a\", "
            "\"versions\": [], \"files\": []}]}",
            "output 1 'a': an unknown kind");
    damaged("{\"pond_export_manifest\": 1, \"outputs\": [{\"path\": \"a\", \"kind\": "
            "\"series\", \"stage\": 1, \"pattern\": \"p\", \"source\": \"/a\", \"options\": {}, "
            "\"inputs_sha256\": \"\", \"schemas_sha256\": \"xyz\", "
            "\"versions\": [], \"files\": []}]}",
            "output 1 'a': a sha256 that is not 64 lowercase hex digits");
    damaged("{\"pond_export_manifest\": 1, \"outputs\": [{\"path\": \"a\", \"kind\": "
            "\"series\", \"stage\": 1, \"pattern\": \"p\", \"source\": \"/a\", \"options\": {}, "
            "\"inputs_sha256\": \"\", \"schemas_sha256\": \"\", "
            "\"versions\": [{\"version\": \"one\"}], \"files\": []}]}",
            "output 1 'a': 'version' is missing or not an integer");
    damaged("{\"pond_export_manifest\": 1, \"outputs\": [{\"path\": \"a\", \"kind\": "
            "\"series\", \"stage\": 1, \"pattern\": \"p\", \"source\": \"/a\", \"options\": {}, "
            "\"inputs_sha256\": \"\", \"schemas_sha256\": \"\", \"versions\": [], "
            "\"files\": [{\"name\": \"../../etc\", \"key\": null, \"start_time\": null, "
            "\"end_time\": null, \"row_count\": 3}]}]}",
            "a file name that leaves its output directory");
    damaged("{\"pond_export_manifest\": 1, \"outputs\": [{\"path\": \"a\", \"kind\": "
            "\"table\", \"stage\": 1, \"pattern\": \"p\", \"source\": \"/a\", \"options\": {}, "
            "\"inputs_sha256\": \"\", \"schemas_sha256\": \"\", \"versions\": [], "
            "\"files\": []}, {\"path\": \"a\", \"kind\": "
            "\"table\", \"stage\": 1, \"pattern\": \"p\", \"source\": \"/a\", \"options\": {}, "
            "\"inputs_sha256\": \"\", \"schemas_sha256\": \"\", \"versions\": [], "
            "\"files\": []}]}",
            "an output path listed twice");
    damaged("{\"pond_export_manifest\": 1, \"pond_export_manifest\": 1, \"outputs\": []}",
            "duplicate object key");
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/.pond-export.json", dir);
    RUN(round_trip);
    RUN(missing_and_damaged);
    unlink(path);
    rmdir(dir);
    return check_done();
}
