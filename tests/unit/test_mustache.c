/* Unit tests for the Mustache engine (src/mustache): errors, reuse, the partial cache,
 * escaping, names and text outside the spec's conformance suite. */
#include "check.h"
#include "mustache/mustache.h"

#include <stdlib.h>
#include <string.h>

/* Loader over a JSON object of name -> source that counts its calls. */
typedef struct loader_ctx {
    json_t *partials;
    int calls;
} loader_ctx;

static char *load(const char *name, char **origin, void *ctx)
{
    loader_ctx *l = ctx;
    l->calls++;
    json_t *s = json_object_get(l->partials, name);
    if (!json_is_string(s))
        return NULL;
    size_t n = strlen(name) + sizeof "/tpl/.mustache";
    *origin = malloc(n);
    snprintf(*origin, n, "/tpl/%s.mustache", name);
    return strdup(json_string_value(s));
}

/* Parse (no partials) and return the error message, or "" when it parsed. */
static const char *parse_error(const char *src)
{
    pond_mustache *t = NULL;
    pond_error_clear();
    int rc = pond_mustache_parse(&t, src, "page.mustache", NULL, NULL);
    pond_mustache_free(t);
    if (rc == POND_OK)
        return "";
    return rc == POND_EINVALID ? pond_error_last() : "(wrong code)";
}

/* Render src with data given as JSON text; returns a malloc'd string or NULL on error. */
static char *render(const char *src, const char *data)
{
    pond_mustache *t = NULL;
    pond_buf out = POND_BUF_INIT;
    json_t *ctx = json_loads(data, 0, NULL);
    char *s = NULL;
    if (pond_mustache_parse(&t, src, "page.mustache", NULL, NULL) == POND_OK &&
        pond_mustache_render(t, ctx, &out) == POND_OK)
        s = pond_buf_detach(&out);
    pond_buf_free(&out);
    pond_mustache_free(t);
    json_decref(ctx);
    return s;
}

#define CHECK_RENDER(src, data, want)                                                        \
    do {                                                                                     \
        char *got_ = render(src, data);                                                      \
        CHECK_STR(got_, want);                                                               \
        free(got_);                                                                          \
    } while (0)

TEST(parse_errors_name_origin_line_and_column)
{
    CHECK_STR(parse_error("a\n  {{name"), "page.mustache:2:3: unclosed tag");
    CHECK_STR(parse_error("x{{{name}}"), "page.mustache:1:2: unclosed tag");
    CHECK_STR(parse_error("one\n{{#rows}}\n  {{x}}\n"), "page.mustache:2:1: unclosed section 'rows'");
    CHECK_STR(parse_error("{{<layout}}"), "page.mustache:1:1: unclosed parent 'layout'");
    CHECK_STR(parse_error("{{#a}}\n {{#b}}\n {{/a}}"),
              "page.mustache:3:2: mismatched closing tag 'a' (expected 'b')");
    CHECK_STR(parse_error("ok\n\n   {{/a}}"), "page.mustache:3:4: unexpected closing tag 'a'");
    CHECK_STR(parse_error("x\n {{=<% =}}"), "page.mustache:2:2: bad set-delimiter tag");
    CHECK_STR(parse_error("{{= a b c =}}"), "page.mustache:1:1: bad set-delimiter tag");
    CHECK_STR(parse_error("x {{ }}"), "page.mustache:1:3: empty tag name");
    CHECK_STR(parse_error("{{#}}{{/}}"), "page.mustache:1:1: empty tag name");
    CHECK_STR(parse_error("{{> * }}"), "page.mustache:1:1: empty tag name");
    /* columns count characters, not bytes */
    CHECK_STR(parse_error("héllo — {{"), "page.mustache:1:9: unclosed tag");
    /* after a set-delimiter tag the new delimiters are what must close */
    CHECK_STR(parse_error("{{=<% %>=}}\n<%#a%> {{/a}}"), "page.mustache:2:1: unclosed section 'a'");
    /* a comment spanning lines moves the line count on */
    CHECK_STR(parse_error("{{!\n\n}}{{^x}}"), "page.mustache:3:3: unclosed section 'x'");
    CHECK_STR(parse_error("{{! fine }}{{#a}}{{/a}}"), "");
}

TEST(parse_error_in_partial_names_the_partial)
{
    loader_ctx l = {json_pack("{s:s}", "part", "ok\n  {{#x}}"), 0};
    pond_mustache *t = NULL;
    pond_buf out = POND_BUF_INIT;
    json_t *ctx = json_object();
    CHECK(pond_mustache_parse(&t, "a{{>part}}b", "main.mustache", load, &l) == POND_OK);
    pond_buf_puts(&out, "kept");
    CHECK(pond_mustache_render(t, ctx, &out) == POND_EINVALID);
    CHECK_STR(pond_error_last(), "/tpl/part.mustache:2:3: unclosed section 'x'");
    CHECK_STR(out.ptr, "kept"); /* nothing half-rendered is left behind */
    pond_buf_free(&out);
    pond_mustache_free(t);
    json_decref(ctx);
    json_decref(l.partials);
}

TEST(parse_once_render_many)
{
    pond_mustache *t = NULL;
    CHECK(pond_mustache_parse(&t, "{{title}}:{{#rows}} {{n}}={{v}}{{/rows}}{{^rows}} none{{/rows}}",
                              "page.mustache", NULL, NULL) == POND_OK);
    int bad = 0;
    for (int i = 0; i < 1000; i++) {
        json_t *ctx = json_pack("{s:s+, s:[{s:i,s:f},{s:i,s:s}]}", "title", "t", i % 2 ? "odd" : "even",
                                "rows", "n", i, "v", i / 4.0, "n", -i, "v", "x");
        if (i % 10 == 0)
            json_object_set_new(ctx, "rows", json_array());
        pond_buf out = POND_BUF_INIT;
        char want[128];
        if (i % 10 == 0)
            snprintf(want, sizeof want, "t%s: none", i % 2 ? "odd" : "even");
        else
            snprintf(want, sizeof want, "t%s: %d=%g %d=x", i % 2 ? "odd" : "even", i, i / 4.0, -i);
        if (pond_mustache_render(t, ctx, &out) != POND_OK || strcmp(out.ptr, want) != 0) {
            if (!bad++)
                fprintf(stderr, "render %d: got \"%s\" want \"%s\"\n", i, out.ptr, want);
        }
        pond_buf_free(&out);
        json_decref(ctx);
    }
    CHECK(bad == 0);
    pond_mustache_free(t);
}

TEST(partials_are_loaded_once_and_cached)
{
    loader_ctx l = {json_pack("{s:s,s:s}", "item", "<{{.}}{{>sep}}>", "sep", ","), 0};
    pond_mustache *t = NULL;
    json_t *ctx = json_pack("{s:[i,i,i]}", "xs", 1, 2, 3);
    CHECK(pond_mustache_parse(&t, "{{#xs}}{{>item}}{{/xs}}{{>nothing}}{{>nothing}}", "m", load, &l) ==
          POND_OK);
    CHECK(l.calls == 0); /* parsing does not load partials */
    for (int i = 0; i < 5; i++) {
        pond_buf out = POND_BUF_INIT;
        CHECK(pond_mustache_render(t, ctx, &out) == POND_OK);
        CHECK_STR(out.ptr, "<1,><2,><3,>");
        pond_buf_free(&out);
    }
    CHECK(l.calls == 3); /* item, sep, nothing: once each, a missing one included */
    pond_mustache_free(t);
    json_decref(ctx);
    json_decref(l.partials);
}

TEST(missing_partial_renders_empty)
{
    loader_ctx l = {json_object(), 0};
    pond_mustache *t = NULL;
    pond_buf out = POND_BUF_INIT;
    json_t *ctx = json_object();
    CHECK(pond_mustache_parse(&t, "[{{>nope}}|{{<nope}}{{$b}}x{{/b}}{{/nope}}|{{>*dyn}}]", "m", load,
                              &l) == POND_OK);
    CHECK(pond_mustache_render(t, ctx, &out) == POND_OK);
    CHECK_STR(out.ptr, "[||]");
    pond_mustache_free(t);
    pond_buf_free(&out);
    json_decref(ctx);
    json_decref(l.partials);
    /* without a loader at all */
    CHECK_RENDER("a{{>x}}b", "{}", "ab");
}

TEST(endless_recursion_is_an_error)
{
    loader_ctx l = {json_pack("{s:s}", "self", "x{{>self}}"), 0};
    pond_mustache *t = NULL;
    pond_buf out = POND_BUF_INIT;
    json_t *ctx = json_object();
    CHECK(pond_mustache_parse(&t, "{{>self}}", "m", load, &l) == POND_OK);
    CHECK(pond_mustache_render(t, ctx, &out) == POND_EINVALID);
    CHECK_STR(pond_error_last(), "/tpl/self.mustache:1:2: nested too deep (more than 256 "
                                 "sections, parents, blocks and partials inside one another)");
    CHECK(out.len == 0);
    CHECK(l.calls == 1);
    pond_mustache_free(t);
    pond_buf_free(&out);
    json_decref(ctx);
    json_decref(l.partials);
}

TEST(html_escaping)
{
    const char *data = "{\"v\": \"a&b <i>\\\"q\\\"</i> it's\"}";
    CHECK_RENDER("{{v}}", data, "a&amp;b &lt;i&gt;&quot;q&quot;&lt;/i&gt; it's");
    CHECK_RENDER("{{{v}}}|{{&v}}", data, "a&b <i>\"q\"</i> it's|a&b <i>\"q\"</i> it's");
    /* template text itself is never escaped */
    CHECK_RENDER("<p class=\"x\">&</p>", "{}", "<p class=\"x\">&</p>");
    /* objects and arrays print as JSON, escaped like any text */
    CHECK_RENDER("{{o}} {{{o}}}", "{\"o\": {\"k\": [1, \"<\"]}}",
                 "{&quot;k&quot;:[1,&quot;&lt;&quot;]} {\"k\":[1,\"<\"]}");
}

TEST(values_print_naturally)
{
    CHECK_RENDER("{{i}} {{n}} {{r}} {{s}} {{big}} {{t}} {{f}} [{{z}}] [{{missing}}]",
                 "{\"i\": 42, \"n\": -7, \"r\": 1.210, \"s\": 0.1, \"big\": 1e100, \"t\": true,"
                 " \"f\": false, \"z\": null}",
                 "42 -7 1.21 0.1 1e+100 true false [] []");
    CHECK_RENDER("{{x}}", "{\"x\": 9007199254740993}", "9007199254740993");
    /* truthiness: "" and [] are false, 0 is true */
    CHECK_RENDER("{{#e}}E{{/e}}{{^e}}e{{/e}}{{#z}}Z{{/z}}{{#l}}L{{/l}}{{^l}}l{{/l}}",
                 "{\"e\": \"\", \"z\": 0, \"l\": []}", "eZl");
}

TEST(deep_dotted_names)
{
    const char *data = "{\"a\": {\"b\": {\"c\": {\"d\": {\"e\": \"deep\"}}}},"
                       " \"captures\": [\"BDock\", \"1d\"], \"x\": \"top\"}";
    CHECK_RENDER("{{a.b.c.d.e}}", data, "deep");
    CHECK_RENDER("[{{a.b.x.d.e}}]", data, "[]");
    CHECK_RENDER("{{#a.b.c}}{{d.e}}/{{x}}{{/a.b.c}}", data, "deep/top");
    CHECK_RENDER("{{captures.0}}-{{captures.1}}[{{captures.2}}]", data, "BDock-1d[]");
    CHECK_RENDER("{{#captures}}({{.}}){{/captures}}", data, "(BDock)(1d)");
    /* a dotted name that starts resolving does not fall back down the stack */
    CHECK_RENDER("{{#a}}[{{b.x}}]{{/a}}", "{\"a\": {\"b\": {}}, \"b\": {\"x\": \"no\"}}", "[]");
}

TEST(non_ascii_passes_through)
{
    CHECK_RENDER("Grüße, {{name}} — ✓ {{{name}}}\n", "{\"name\": \"Zoë 日本 <&>\"}",
                 "Grüße, Zoë 日本 &lt;&amp;&gt; — ✓ Zoë 日本 <&>\n");
    CHECK_RENDER("{{#ü}}{{ü}}{{/ü}}", "{\"ü\": \"ja\"}", "ja");
}

TEST(render_appends_and_free_accepts_null)
{
    pond_mustache *t = NULL;
    pond_buf out = POND_BUF_INIT;
    json_t *ctx = json_pack("{s:s}", "x", "1");
    CHECK(pond_mustache_parse(&t, "<{{x}}>", NULL, NULL, NULL) == POND_OK);
    CHECK(pond_mustache_render(t, ctx, &out) == POND_OK);
    CHECK(pond_mustache_render(t, ctx, &out) == POND_OK);
    CHECK_STR(out.ptr, "<1><1>");
    CHECK(pond_mustache_render(t, NULL, &out) == POND_OK);
    CHECK_STR(out.ptr, "<1><1><>");
    CHECK_STR(parse_error("{{"), "page.mustache:1:1: unclosed tag");
    pond_mustache *u = (pond_mustache *)1;
    CHECK(pond_mustache_parse(&u, "{{#a}}", NULL, NULL, NULL) == POND_EINVALID);
    CHECK(u == NULL);
    CHECK_STR(pond_error_last(), "template:1:1: unclosed section 'a'");
    pond_mustache_free(NULL);
    pond_mustache_free(t);
    pond_buf_free(&out);
    json_decref(ctx);
}

TEST(layout_with_indented_blocks)
{
    loader_ctx l = {json_pack("{s:s}", "base",
                              "<html>\n  <body>\n    {{$content}}\n    {{/content}}\n  </body>\n</html>\n"),
                    0};
    pond_mustache *t = NULL;
    pond_buf out = POND_BUF_INIT;
    json_t *ctx = json_pack("{s:[s,s]}", "rows", "a", "b");
    CHECK(pond_mustache_parse(&t,
                              "{{<base}}\n{{$content}}\n<ul>\n{{#rows}}\n  <li>{{.}}</li>\n"
                              "{{/rows}}\n</ul>\n{{/content}}\n{{/base}}\n",
                              "page", load, &l) == POND_OK);
    CHECK(pond_mustache_render(t, ctx, &out) == POND_OK);
    CHECK_STR(out.ptr, "<html>\n  <body>\n    <ul>\n      <li>a</li>\n      <li>b</li>\n    </ul>\n"
                       "  </body>\n</html>\n");
    pond_mustache_free(t);
    pond_buf_free(&out);
    json_decref(ctx);
    json_decref(l.partials);
}

/* preload finds a broken or missing partial before any render, through nested partials. */
static char *preload_loader(const char *name, char **origin, void *ctx)
{
    (void)ctx;
    *origin = NULL;
    if (strcmp(name, "outer") == 0)
        return strdup("{{#x}}{{> inner}}{{/x}}");
    if (strcmp(name, "inner") == 0)
        return strdup("line one\n{{#open}}");
    if (strcmp(name, "self") == 0)
        return strdup("{{> self}}");
    return NULL;
}

TEST(preload_checks_nested_partials_before_rendering)
{
    pond_mustache *t = NULL;
    char *missing = NULL;

    CHECK(pond_mustache_parse(&t, "{{^y}}{{> outer}}{{/y}}", "main", preload_loader, NULL) ==
          POND_OK);
    CHECK(pond_mustache_preload(t, &missing) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "inner:2:1: ") != NULL);
    pond_mustache_free(t);

    CHECK(pond_mustache_parse(&t, "{{> self}}{{$b}}{{> gone}}{{/b}}{{>*dyn}}", "main",
                              preload_loader, NULL) == POND_OK);
    CHECK(pond_mustache_preload(t, &missing) == POND_OK);
    CHECK_STR(missing, "gone"); /* recursion terminates; dynamic names are left to the render */
    free(missing);
    pond_mustache_free(t);
}

int main(void)
{
    RUN(preload_checks_nested_partials_before_rendering);
    RUN(parse_errors_name_origin_line_and_column);
    RUN(parse_error_in_partial_names_the_partial);
    RUN(parse_once_render_many);
    RUN(partials_are_loaded_once_and_cached);
    RUN(missing_partial_renders_empty);
    RUN(endless_recursion_is_an_error);
    RUN(html_escaping);
    RUN(values_print_naturally);
    RUN(deep_dotted_names);
    RUN(non_ascii_passes_through);
    RUN(render_appends_and_free_accepts_null);
    RUN(layout_with_indented_blocks);
    return check_done();
}
