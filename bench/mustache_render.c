/*
 * bench/mustache_render.c: parse and render one Mustache template, for bench/run-mustache.sh.
 *
 *     pond-bench-mustache TEMPLATE CONTEXT.json
 *
 * Reads both files, then times pond_mustache_parse + pond_mustache_render (no partials) and
 * prints "parse_ms render_ms output_bytes".  Built by the script from the engine's sources
 * (src/mustache, src/util/buf.c and error.c) of each commit it compares, so it uses only the
 * engine's public API.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mustache/mustache.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: pond-bench-mustache TEMPLATE CONTEXT.json\n");
        return 2;
    }
    char *src = slurp(argv[1]);
    json_error_t jerr;
    json_t *ctx = json_load_file(argv[2], 0, &jerr);
    if (!src || !ctx) {
        fprintf(stderr, "pond-bench-mustache: cannot read %s\n", src ? argv[2] : argv[1]);
        return 1;
    }
    pond_mustache *t = NULL;
    pond_buf out = POND_BUF_INIT;
    double t0 = now_ms();
    int rc = pond_mustache_parse(&t, src, argv[1], NULL, NULL);
    double t1 = now_ms();
    if (rc == POND_OK)
        rc = pond_mustache_render(t, ctx, &out);
    double t2 = now_ms();
    if (rc != POND_OK) {
        fprintf(stderr, "pond-bench-mustache: %s\n", pond_error_last());
        return 1;
    }
    printf("%.1f %.1f %zu\n", t1 - t0, t2 - t1, out.len);
    pond_mustache_free(t);
    pond_buf_free(&out);
    json_decref(ctx);
    free(src);
    return 0;
}
