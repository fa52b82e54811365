/* Unit tests for the Mustache engine's inheritance (parents and blocks) and dynamic names:
 * the optional spec modules, which older releases of the spec (what a clone fetches for
 * tests/conformance) do not have, so that they are checked everywhere. */
#include "check.h"
#include "mustache/mustache.h"

#include <stdlib.h>
#include <string.h>

/* Loader over a JSON object of name -> source. */
static char *load(const char *name, char **origin, void *ctx)
{
    json_t *s = json_object_get(ctx, name);
    if (!json_is_string(s))
        return NULL;
    *origin = strdup(name);
    return strdup(json_string_value(s));
}

/* Render src with data and partials given as JSON text; returns a malloc'd string, or the
 * error message prefixed with "error: ". */
static char *render(const char *src, const char *data, const char *partials)
{
    pond_mustache *t = NULL;
    pond_buf out = POND_BUF_INIT;
    json_t *ctx = json_loads(data, 0, NULL), *parts = json_loads(partials, 0, NULL);
    char *s = NULL;
    int rc = pond_mustache_parse(&t, src, "page", load, parts);
    if (rc == POND_OK)
        rc = pond_mustache_render(t, ctx, &out);
    if (rc == POND_OK) {
        s = pond_buf_detach(&out);
    } else {
        size_t n = strlen(pond_error_last()) + sizeof "error: ";
        s = malloc(n);
        snprintf(s, n, "error: %s", pond_error_last());
    }
    pond_buf_free(&out);
    pond_mustache_free(t);
    json_decref(ctx);
    json_decref(parts);
    return s;
}

#define CHECK_RENDER(src, data, partials, want)                                              \
    do {                                                                                     \
        char *got_ = render(src, data, partials);                                            \
        CHECK_STR(got_, want);                                                               \
        free(got_);                                                                          \
    } while (0)

TEST(blocks_render_their_default_outside_a_parent)
{
    CHECK_RENDER("<{{$title}}Home{{/title}}>", "{}", "{}", "<Home>");
    CHECK_RENDER("{{$b}}{{x}}{{/b}}", "{\"x\": \"ctx\"}", "{}", "ctx");
    CHECK_RENDER("[{{$empty}}{{/empty}}]", "{}", "{}", "[]");
}

TEST(parent_fills_blocks_and_ignores_the_rest)
{
    const char *p = "{\"layout\": \"<h1>{{$title}}Untitled{{/title}}</h1>{{$body}}-{{/body}}\"}";
    CHECK_RENDER("{{<layout}}{{/layout}}", "{}", p, "<h1>Untitled</h1>-");
    CHECK_RENDER("{{<layout}}{{$title}}Sites{{/title}}{{/layout}}", "{}", p, "<h1>Sites</h1>-");
    /* text and tags in a parent outside its blocks print nothing */
    CHECK_RENDER("{{<layout}}ignored {{x}}{{$body}}B{{/body}}{{/layout}}", "{\"x\": 1}", p,
                 "<h1>Untitled</h1>B");
    /* an override sees the context of the site it is rendered at */
    CHECK_RENDER("{{#site}}{{<layout}}{{$title}}{{name}}{{/title}}{{/layout}}{{/site}}",
                 "{\"site\": {\"name\": \"BDock\"}}", p, "<h1>BDock</h1>-");
    /* a parent the loader does not have renders as nothing */
    CHECK_RENDER("[{{<gone}}{{$a}}x{{/a}}{{/gone}}]", "{}", "{}", "[]");
}

TEST(outermost_override_wins_through_a_chain_of_parents)
{
    const char *p = "{\"base\": \"({{$a}}base-a{{/a}},{{$b}}base-b{{/b}})\","
                    " \"mid\": \"{{<base}}{{$a}}mid-a{{/a}}{{$b}}mid-b{{/b}}{{/base}}\"}";
    CHECK_RENDER("{{<mid}}{{/mid}}", "{}", p, "(mid-a,mid-b)");
    CHECK_RENDER("{{<mid}}{{$b}}top-b{{/b}}{{/mid}}", "{}", p, "(mid-a,top-b)");
    /* the same parent twice, each with its own overrides */
    CHECK_RENDER("{{<base}}{{$a}}1{{/a}}{{/base}}|{{<base}}{{$b}}2{{/b}}{{/base}}", "{}", p,
                 "(1,base-b)|(base-a,2)");
}

TEST(blocks_reach_through_partials_of_the_parent)
{
    const char *p = "{\"page\": \"[{{>head}}]\", \"head\": \"{{$t}}default{{/t}}\"}";
    CHECK_RENDER("{{<page}}{{$t}}mine{{/t}}{{/page}}", "{}", p, "[mine]");
    /* a partial called from the overriding template does not see the overrides */
    CHECK_RENDER("{{>head}}", "{}", p, "default");
}

TEST(standalone_blocks_are_re_indented)
{
    const char *p = "{\"box\": \"<div>\\n  {{$inner}}\\n  none\\n  {{/inner}}\\n</div>\\n\"}";
    CHECK_RENDER("{{<box}}{{/box}}", "{}", p, "<div>\n  none\n</div>\n");
    CHECK_RENDER("{{<box}}\n{{$inner}}\none\n  two\n{{/inner}}\n{{/box}}\n", "{}", p,
                 "<div>\n  one\n    two\n</div>\n");
}

TEST(dynamic_partial_names)
{
    const char *p = "{\"card\": \"C:{{x}}\", \"row\": \"R:{{x}}\"}";
    CHECK_RENDER("{{>*kind}}", "{\"kind\": \"card\", \"x\": 1}", p, "C:1");
    CHECK_RENDER("{{#items}}{{>*kind}};{{/items}}",
                 "{\"items\": [{\"kind\": \"card\", \"x\": 1}, {\"kind\": \"row\", \"x\": 2}]}", p,
                 "C:1;R:2;");
    CHECK_RENDER("{{>*vars.partial}}", "{\"vars\": {\"partial\": \"row\"}, \"x\": 3}", p, "R:3");
    /* a name that is missing, null or names no template renders as nothing */
    CHECK_RENDER("[{{>*nope}}|{{>*z}}|{{>*k}}]", "{\"z\": null, \"k\": \"absent\"}", p, "[||]");
    /* a standalone dynamic partial is indented like any other */
    CHECK_RENDER("  {{>*kind}}\n", "{\"kind\": \"card\", \"x\": 4}",
                 "{\"card\": \"a\\nb{{x}}\\n\"}", "  a\n  b4\n");
}

TEST(dynamic_parent_names)
{
    const char *p = "{\"wide\": \"W[{{$c}}-{{/c}}]\", \"narrow\": \"N[{{$c}}-{{/c}}]\"}";
    CHECK_RENDER("{{<*layout}}{{$c}}x{{/c}}{{/*layout}}", "{\"layout\": \"wide\"}", p, "W[x]");
    CHECK_RENDER("{{<*layout}}{{/*layout}}", "{\"layout\": \"narrow\"}", p, "N[-]");
}

TEST(inheritance_syntax_errors)
{
    pond_mustache *t = NULL;
    CHECK(pond_mustache_parse(&t, "{{<a}}{{$b}}{{/a}}", "page", NULL, NULL) == POND_EINVALID);
    CHECK_STR(pond_error_last(), "page:1:13: mismatched closing tag 'a' (expected 'b')");
    CHECK(pond_mustache_parse(&t, "{{<*a}}{{/a}}", "page", NULL, NULL) == POND_EINVALID);
    CHECK_STR(pond_error_last(), "page:1:8: mismatched closing tag 'a' (expected '*a')");
    CHECK(pond_mustache_parse(&t, "x\n{{$b}}", "page", NULL, NULL) == POND_EINVALID);
    CHECK_STR(pond_error_last(), "page:2:1: unclosed block 'b'");
    CHECK(t == NULL);
}

int main(void)
{
    RUN(blocks_render_their_default_outside_a_parent);
    RUN(parent_fills_blocks_and_ignores_the_rest);
    RUN(outermost_override_wins_through_a_chain_of_parents);
    RUN(blocks_reach_through_partials_of_the_parent);
    RUN(standalone_blocks_are_re_indented);
    RUN(dynamic_partial_names);
    RUN(dynamic_parent_names);
    RUN(inheritance_syntax_errors);
    return check_done();
}
