/*
 * tests/fuzz/fuzz_mustache.c: fuzz target of the Mustache parser and renderer (src/mustache,
 * mustache.h): parse, preload the partials, render, free.
 *
 * Input: files (fuzz.h).  The main file is the template; "context.json" is the JSON context
 * (any JSON value; when absent or not JSON, a fixed context with strings, numbers, lists and
 * objects under the names the dictionary uses); "NAME.mustache" is the partial or parent NAME.
 * Every outcome must be POND_OK or POND_EINVALID with a message that names the template or a
 * partial ("<origin>:<line>:<column>: …" or "partial '…' …"), and a template that parsed must
 * render the same text twice (the second time from the cache of partials; only when the
 * first is under 1 MiB, to keep the memory of one input small).  A render that fails (nested
 * too deep, too much to render) must leave its output as it was.
 */
#include "fuzz.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "mustache/mustache.h"
#include "util/buf.h"
#include "util/error.h"

static const char default_context[] =
    "{\"a\": 1, \"b\": [1, 2, {\"c\": \"x\"}], \"c\": {\"d\": {\"e\": \"deep\"}},"
    " \"s\": \"<&\\\"'>\", \"t\": true, \"f\": false, \"n\": null, \"x\": 1.5e300,"
    " \"name\": \"a\", \"list\": [{\"name\": \"b\"}, {\"name\": \"c\"}], \"empty\": [],"
    " \"text\": \"\", \"rows\": [[1, 2], [3]], \"files\": [\"/a\", \"/b\"]}";

static char *load_partial(const char *name, char **origin, void *ctx)
{
    const fuzz_files *f = ctx;
    size_t n = strlen(name);
    *origin = NULL;
    for (size_t i = f->n; i-- > 1;) {
        size_t k = strlen(f->v[i].name);
        if (k == n + 9 && !strncmp(f->v[i].name, name, n) &&
            !strcmp(f->v[i].name + n, ".mustache")) {
            char *src = strdup(f->v[i].text);
            *origin = strdup(f->v[i].name);
            if (!src || !*origin)
                fuzz_fail("out of memory");
            return src;
        }
    }
    return NULL;
}

static void check_error(int rc, const char *when)
{
    const char *msg = pond_error_last();
    if (rc != POND_EINVALID)
        fuzz_fail("%s: unexpected code %d (%s)", when, rc, msg);
    if (!strstr(msg, ".mustache") && !strstr(msg, "partial") && !strstr(msg, "parent"))
        fuzz_fail("%s: the message names no template: '%s'", when, msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_files f;
    pond_mustache *t = NULL;
    char *missing = NULL;
    pond_buf out1 = POND_BUF_INIT, out2 = POND_BUF_INIT;
    json_t *ctx = NULL;

    fuzz_files_split(&f, data, size);
    const fuzz_file *cf = fuzz_files_get(&f, "context.json");
    if (cf)
        ctx = json_loadb(cf->text, cf->len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (!ctx && !(ctx = json_loads(default_context, 0, NULL)))
        fuzz_fail("the default context does not load");

    int rc = pond_mustache_parse(&t, f.v[0].text, "fuzz.mustache", load_partial, &f);
    if (rc != POND_OK) {
        check_error(rc, "parse");
        if (t)
            fuzz_fail("a failed parse gave a template");
        goto done;
    }
    if ((rc = pond_mustache_preload(t, &missing)) != POND_OK) {
        check_error(rc, "preload");
        goto done;
    }
    /* A partial that fails to parse is reported again on every render: both renders must
     * agree, in their result and in their text. */
    int rc1 = pond_mustache_render(t, ctx, &out1);
    if (rc1 != POND_OK) {
        check_error(rc1, "render");
        if (out1.len)
            fuzz_fail("a failed render left %zu bytes", out1.len);
    }
    if (out1.len >= 1u << 20)
        goto done;
    int rc2 = pond_mustache_render(t, ctx, &out2);
    if (rc2 != rc1)
        fuzz_fail("render gave %d, then %d", rc1, rc2);
    if (rc1 == POND_OK && (out1.len != out2.len || memcmp(out1.ptr, out2.ptr, out1.len) != 0))
        fuzz_fail("two renders of one template differ");
done:
    pond_buf_free(&out1);
    pond_buf_free(&out2);
    free(missing);
    pond_mustache_free(t);
    json_decref(ctx);
    fuzz_files_free(&f);
    return 0;
}
