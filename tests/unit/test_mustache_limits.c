/* Unit tests for the Mustache engine's bounds: nesting deeper than POND_MUSTACHE_MAX_DEPTH
 * (in one template, through partials, parents and blocks) is a clean "nested too deep" error
 * naming the tag, never a stack overflow in parsing, rendering, preloading or freeing; and
 * line:column stay right on long lines (parse.c counts them as it goes). */
#include "check.h"
#include "mustache/mustache.h"

#include <stdlib.h>
#include <string.h>

#define TOO_DEEP "nested too deep (more than 256 sections, parents, blocks and partials inside one another)"

/* Loader over a JSON object of name -> source; origin is the name. */
static char *load(const char *name, char **origin, void *ctx)
{
    json_t *s = json_object_get(ctx, name);
    if (!json_is_string(s))
        return NULL;
    *origin = strdup(name);
    return strdup(json_string_value(s));
}

/* open repeated n times, then middle, then close repeated n times (malloc'd). */
static char *nest(const char *open, size_t n, const char *middle, const char *close)
{
    size_t lo = strlen(open), lm = strlen(middle), lc = strlen(close);
    char *s = malloc(n * (lo + lc) + lm + 1), *p = s;
    for (size_t i = 0; i < n; i++, p += lo)
        memcpy(p, open, lo);
    memcpy(p, middle, lm);
    p += lm;
    for (size_t i = 0; i < n; i++, p += lc)
        memcpy(p, close, lc);
    *p = '\0';
    return s;
}

/* Parse src (partials from the JSON text partials) and render it with data appended to a
 * buffer holding "kept|".  Returns the output after "kept|", or "error: " and the message
 * (the buffer must then still be "kept|"); malloc'd. */
static char *run(const char *src, const char *data, const char *partials)
{
    pond_mustache *t = NULL;
    pond_buf out = POND_BUF_INIT;
    json_t *ctx = json_loads(data, 0, NULL), *parts = json_loads(partials, 0, NULL);
    char *s = NULL;
    pond_buf_puts(&out, "kept|");
    int rc = pond_mustache_parse(&t, src, "page", load, parts);
    if (rc == POND_OK)
        rc = pond_mustache_preload(t, NULL);
    if (rc == POND_OK)
        rc = pond_mustache_render(t, ctx, &out);
    if (rc == POND_OK) {
        s = strdup(out.ptr + 5);
    } else {
        size_t n = strlen(pond_error_last()) + sizeof "error: ";
        s = malloc(n);
        snprintf(s, n, "error: %s", strcmp(out.ptr, "kept|") == 0 ? pond_error_last()
                                                                  : "(output changed)");
        if (rc != POND_EINVALID)
            snprintf(s, n, "error: (wrong code)");
    }
    pond_buf_free(&out);
    pond_mustache_free(t);
    json_decref(ctx);
    json_decref(parts);
    return s;
}

#define CHECK_RUN(src, data, partials, want)                                                 \
    do {                                                                                     \
        char *got_ = run(src, data, partials);                                               \
        CHECK_STR(got_, want);                                                               \
        free(got_);                                                                          \
    } while (0)

TEST(block_override_holding_a_block_of_its_own_name)
{
    /* The override of b contains a block b, which the same override fills, and so on. */
    CHECK_RUN("{{<a}}{{$b}}{{$b}}{{/b}}{{/b}}{{/a}}", "{}", "{\"a\": \"{{$b}}{{/b}}\"}",
              "error: page:1:13: " TOO_DEEP);
    CHECK_RUN("{{<a}}\n{{$b}}\n  x{{$b}}{{/b}}\n{{/b}}\n{{/a}}\n", "{}",
              "{\"a\": \"<{{$b}}{{/b}}>\"}", "error: page:3:4: " TOO_DEEP);
    /* a block of another name inside the override is fine */
    CHECK_RUN("{{<a}}{{$b}}({{$c}}c{{/c}}){{/b}}{{/a}}", "{}", "{\"a\": \"<{{$b}}{{/b}}>\"}",
              "<(c)>");
}

TEST(recursive_partials_and_parents)
{
    CHECK_RUN("{{>self}}", "{}", "{\"self\": \"x{{>self}}\"}", "error: self:1:2: " TOO_DEEP);
    CHECK_RUN("{{>*n}}", "{\"n\": \"dyn\"}", "{\"dyn\": \"{{^t}}{{>*n}}{{/t}}\"}",
              "error: dyn:1:7: " TOO_DEEP);
    CHECK_RUN("{{<p}}{{/p}}", "{}", "{\"p\": \"{{<p}}{{/p}}\"}", "error: p:1:1: " TOO_DEEP);
    /* a partial that recurses over data ends with the data (a leaf needs its own empty kids,
     * or the name is found further down the context stack) */
    CHECK_RUN("{{>tree}}",
              "{\"n\": 1, \"kids\": [{\"n\": 2, \"kids\": [{\"n\": 3, \"kids\": []}]}]}",
              "{\"tree\": \"{{n}}({{#kids}}{{>tree}}{{/kids}})\"}", "1(2(3()))");
}

TEST(nesting_up_to_the_limit_renders)
{
    char *src = nest("{{#a}}", 256, "x", "{{/a}}");
    CHECK_RUN(src, "{\"a\": true}", "{}", "x");
    free(src);
    src = nest("{{^a}}", 256, "y", "{{/a}}");
    CHECK_RUN(src, "{}", "{}", "y");
    free(src);
    src = nest("{{$b}}", 256, "z", "{{/b}}");
    CHECK_RUN(src, "{}", "{}", "z");
    free(src);
}

TEST(one_level_more_in_a_template_is_a_parse_error)
{
    /* The 257th opening tag is named: 256 tags of 6 characters before it. */
    char *src = nest("{{#a}}", 257, "x", "{{/a}}");
    CHECK_RUN(src, "{\"a\": true}", "{}", "error: page:1:1537: " TOO_DEEP);
    free(src);
    src = nest("{{^a}}\n", 300, "", "{{/a}}\n");
    CHECK_RUN(src, "{}", "{}", "error: page:257:1: " TOO_DEEP);
    free(src);
    src = nest("{{<p}}", 257, "", "{{/p}}");
    CHECK_RUN(src, "{}", "{}", "error: page:1:1537: " TOO_DEEP);
    free(src);
    src = nest("{{$b}}", 257, "", "{{/b}}");
    CHECK_RUN(src, "{}", "{}", "error: page:1:1537: " TOO_DEEP);
    free(src);
}

TEST(deep_nesting_parses_renders_and_frees_without_overflow)
{
    /* 200,000 levels: refused while parsing, and what was built is freed (the parse
     * overflowed neither in building nor in freeing). */
    char *src = nest("{{#a}}", 200000, "x", "{{/a}}");
    pond_mustache *t = NULL;
    CHECK(pond_mustache_parse(&t, src, "page", NULL, NULL) == POND_EINVALID);
    CHECK(t == NULL);
    CHECK_STR(pond_error_last(), "page:1:1537: " TOO_DEEP);
    free(src);
    /* unclosed, too: the depth is found before the missing closing tags */
    src = nest("{{#a}}", 200000, "", "");
    CHECK_RUN(src, "{}", "{}", "error: page:1:1537: " TOO_DEEP);
    free(src);
}

TEST(depth_counts_on_through_partials)
{
    /* 200 sections, a partial (201), then the partial's sections: its 56th is level 257. */
    char *src = nest("{{#a}}", 200, "{{>deep}}", "{{/a}}");
    char *deep = nest("{{#a}}", 100, "x", "{{/a}}");
    json_t *parts = json_pack("{s:s}", "deep", deep);
    char *ptext = json_dumps(parts, 0);
    CHECK_RUN(src, "{\"a\": true}", ptext, "error: deep:1:331: " TOO_DEEP);
    /* the same partial rendered less deep is fine */
    CHECK_RUN("{{>deep}}", "{\"a\": true}", ptext, "x");
    free(src);
    free(deep);
    free(ptext);
    json_decref(parts);
}

/* Loader of a chain p0 -> p1 -> … -> p5000. */
static char *chain_loader(const char *name, char **origin, void *ctx)
{
    (void)ctx;
    int i = atoi(name + 1);
    char *s = malloc(32);
    *origin = strdup(name);
    if (i < 5000)
        snprintf(s, 32, "{{>p%d}}", i + 1);
    else
        snprintf(s, 32, "end");
    return s;
}

TEST(long_chain_of_partials_preloads_and_is_refused_at_render)
{
    pond_mustache *t = NULL;
    pond_buf out = POND_BUF_INIT;
    char *missing = NULL;
    CHECK(pond_mustache_parse(&t, "{{>p0}}", "page", chain_loader, NULL) == POND_OK);
    CHECK(pond_mustache_preload(t, &missing) == POND_OK);
    CHECK(missing == NULL);
    CHECK(pond_mustache_render(t, NULL, &out) == POND_EINVALID);
    CHECK_STR(pond_error_last(), "p255:1:1: " TOO_DEEP);
    CHECK(out.len == 0);
    pond_mustache_free(t);
    pond_buf_free(&out);
}

TEST(columns_are_right_on_long_lines)
{
    /* the cursor counts characters, not bytes, and restarts at each line */
    CHECK_RUN("é{{a}}ü{{#b}}", "{}", "{}", "error: page:1:8: unclosed section 'b'");
    CHECK_RUN("{{a}}\nc{{x}}é{{#y}}{{/y}}{{/z}}", "{}", "{}",
              "error: page:2:20: unexpected closing tag 'z'");
    char *src = nest("ab{{x}}", 100000, "{{#open}}", "");
    CHECK_RUN(src, "{}", "{}", "error: page:1:700001: unclosed section 'open'");
    free(src);
}

TEST(sections_repeating_each_others_lists_are_stopped)
{
    /* 20 sections over one 10-item list found again in every scope: 10^20 repetitions within
     * the depth limit.  The render stops at the step budget, at a tag of the template. */
    char *src = nest("{{#a}}", 20, "x", "{{/a}}");
    char *got = run(src, "{\"a\": [1,2,3,4,5,6,7,8,9,10]}", "{}");
    CHECK(strncmp(got, "error: page:1:", 14) == 0);
    CHECK(strstr(got, "too much to render (more than 10000000 template steps") != NULL);
    free(got);
    free(src);
    /* Few steps but a huge output: 4 levels over a list of 100 items of a 100 KiB string. */
    char *big = malloc(100 * 1024 + 1);
    memset(big, 'y', 100 * 1024);
    big[100 * 1024] = 0;
    pond_buf data = POND_BUF_INIT;
    pond_buf_puts(&data, "{\"s\": \"");
    pond_buf_puts(&data, big);
    pond_buf_puts(&data, "\", \"a\": [");
    for (int i = 0; i < 100; i++)
        pond_buf_puts(&data, i ? ",1" : "1");
    pond_buf_puts(&data, "]}");
    src = nest("{{#a}}", 4, "{{s}}", "{{/a}}");
    got = run(src, data.ptr, "{}");
    CHECK(strstr(got, "too much to render (the output is over 256 MiB)") != NULL);
    free(got);
    free(src);
    /* Under both bounds, the same shape renders. */
    src = nest("{{#a}}", 3, "x", "{{/a}}");
    got = run(src, "{\"a\": [1,2,3,4,5,6,7,8,9,10]}", "{}");
    CHECK(strlen(got) == 1000);
    free(got);
    free(src);
    pond_buf_free(&data);
    free(big);
}

int main(void)
{
    RUN(block_override_holding_a_block_of_its_own_name);
    RUN(recursive_partials_and_parents);
    RUN(nesting_up_to_the_limit_renders);
    RUN(one_level_more_in_a_template_is_a_parse_error);
    RUN(deep_nesting_parses_renders_and_frees_without_overflow);
    RUN(depth_counts_on_through_partials);
    RUN(long_chain_of_partials_preloads_and_is_refused_at_render);
    RUN(columns_are_right_on_long_lines);
    RUN(sections_repeating_each_others_lists_are_stopped);
    return check_done();
}
