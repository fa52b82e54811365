/*
 * tests/unit/test_glob.c: pattern compile/match/captures/may_descend (glob/glob.h).
 */
#include "check.h"
#include "pond.h" /* with glob.h: the two must not clash (pond_glob the function) */
#include "glob/glob.h"

#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

/* Match pattern against path; want_match 1/0; when it matches, the captures joined as
 * "[a][b]" must equal want_caps (may be NULL to skip). */
static int m(const char *pattern, const char *path, int want_match, const char *want_caps)
{
    pond_pattern *g = NULL;
    pond_captures caps = POND_CAPTURES_INIT;
    char got[4096] = "";
    int ok = 0;

    if (pond_glob_compile(&g, pattern) != POND_OK) {
        fprintf(stderr, "  compile '%s': %s\n", pattern, pond_error_last());
        return 0;
    }
    int rc = pond_glob_match(g, path, &caps);
    for (size_t i = 0; i < caps.n; i++) {
        strcat(got, "[");
        strcat(got, caps.v[i]);
        strcat(got, "]");
    }
    ok = rc == want_match && (!want_match || !want_caps || strcmp(got, want_caps) == 0) &&
         (want_match || caps.n == 0);
    /* without captures the answer is the same */
    ok = ok && pond_glob_match(g, path, NULL) == want_match;
    if (!ok)
        fprintf(stderr, "  '%s' on '%s': rc=%d caps=%s (want %d %s)\n", pattern, path, rc, got,
                want_match, want_caps ? want_caps : "");
    pond_captures_free(&caps);
    pond_glob_free(g);
    return ok;
}

static int bad(const char *pattern, const char *needle)
{
    pond_pattern *g = (pond_pattern *)1;
    int rc = pond_glob_compile(&g, pattern);
    int ok = rc == POND_EINVALID && g == NULL && strstr(pond_error_last(), needle);
    if (!ok)
        fprintf(stderr, "  compile '%s': rc=%d msg='%s' (want '%s')\n", pattern ? pattern : "(null)",
                rc, pond_error_last(), needle);
    if (rc == POND_OK)
        pond_glob_free(g);
    return ok;
}

static int desc(const char *pattern, const char *dir, int want)
{
    pond_pattern *g = NULL;
    if (pond_glob_compile(&g, pattern) != POND_OK)
        return 0;
    int rc = pond_glob_may_descend(g, dir);
    if (rc != want)
        fprintf(stderr, "  may_descend '%s' into '%s': %d (want %d)\n", pattern, dir, rc, want);
    pond_glob_free(g);
    return rc == want;
}

TEST(literal)
{
    CHECK(m("/a/b.series", "/a/b.series", 1, ""));
    CHECK(m("/a/b.series", "/a/b.serie", 0, NULL));
    CHECK(m("/a/b.series", "/a/b.seriesx", 0, NULL));
    CHECK(m("/a/b.series", "/a/b.series/c", 0, NULL));
    CHECK(m("/a/b.series", "/a", 0, NULL));
    CHECK(m("/a/b.series", "/A/b.series", 0, NULL)); /* case matters */
    CHECK(m("/a/", "/a", 1, "")); /* trailing '/' ignored */
    CHECK(m("/a", "/a/", 1, "")); /* and tolerated on the path */
    CHECK(m("/", "/", 1, ""));
    CHECK(m("/", "/a", 0, NULL));
    CHECK(m("/a", "a", 0, NULL)); /* relative path never matches */
}

TEST(one_star)
{
    CHECK(m("/BDock/*.series", "/BDock/res=1h.series", 1, "[res=1h]"));
    CHECK(m("/*", "/x", 1, "[x]"));
    CHECK(m("/*", "/", 0, NULL));
    CHECK(m("/*", "/x/y", 0, NULL)); /* '*' does not cross '/' */
    CHECK(m("/a/*", "/a", 0, NULL));
    CHECK(m("/pre*", "/pre", 1, "[]")); /* '*' matches empty text */
    CHECK(m("/*.csv", "/.csv", 1, "[]"));
    CHECK(m("/pre*post", "/prepost", 1, "[]"));
    CHECK(m("/pre*post", "/pre-mid-post", 1, "[-mid-]"));
    CHECK(m("/pre*post", "/prepos", 0, NULL));
    CHECK(m("/ab*ba", "/aba", 0, NULL)); /* prefix and suffix must not overlap */
    CHECK(m("/ab*ba", "/abba", 1, "[]"));
    CHECK(m("/*/data", "/site 1/data", 1, "[site 1]"));
}

TEST(several_stars_in_one_name)
{
    CHECK(m("/*_*", "/a_b_c", 1, "[a][b_c]")); /* earlier takes as little as possible */
    CHECK(m("/*_*_*", "/a_b_c", 1, "[a][b][c]"));
    CHECK(m("/*_*_*", "/a_b", 0, NULL));
    CHECK(m("/*-*.series", "/temp-1h.series", 1, "[temp][1h]"));
    CHECK(m("/*-*.series", "/a-b-c.series", 1, "[a][b-c]"));
    CHECK(m("/**/x", "/x", 1, "")); /* sanity: '**' alone is not two stars */
    CHECK(m("/*a*", "/a", 1, "[][]"));
    CHECK(m("/*a*", "/bab", 1, "[b][b]"));
    CHECK(m("/*a*", "/aaa", 1, "[][aa]"));
    CHECK(m("/x*y*z", "/xyz", 1, "[][]"));
    CHECK(m("/x*y*z", "/xyyzz", 1, "[][yz]"));
    CHECK(m("/x*y*z", "/xzy", 0, NULL));
    CHECK(m("/*.*.*", "/a.b", 0, NULL));
    CHECK(m("/*.*", "/archive.tar.gz", 1, "[archive][tar.gz]"));
}

TEST(double_star)
{
    /* at the start, with 0, 1 and 3 directories */
    CHECK(m("/**/*.series", "/t.series", 1, "[t]"));
    CHECK(m("/**/*.series", "/a/t.series", 1, "[a][t]"));
    CHECK(m("/**/*.series", "/a/b/c/t.series", 1, "[a][b][c][t]"));
    CHECK(m("/**/*.series", "/a/b/c/t.csv", 0, NULL));
    /* in the middle */
    CHECK(m("/site/**/data", "/site/data", 1, ""));
    CHECK(m("/site/**/data", "/site/x/data", 1, "[x]"));
    CHECK(m("/site/**/data", "/site/x/y/z/data", 1, "[x][y][z]"));
    CHECK(m("/site/**/data", "/site/x/y/z/dat", 0, NULL));
    CHECK(m("/site/**/data", "/other/data", 0, NULL));
    /* '**' passes as few directories as possible when the rest repeats */
    CHECK(m("/**/data/*", "/data/data/f", 1, "[data][f]")); /* the last "data/f" needs 2 */
    CHECK(m("/**/d/**", "/d/d/d/f", 1, "[d][d]")); /* first passes none: no capture */
    /* at the end: one or more entries below, directory names captured, not the final name */
    CHECK(m("/a/**", "/a", 0, NULL));
    CHECK(m("/a/**", "/a/f", 1, ""));
    CHECK(m("/a/**", "/a/b/f", 1, "[b]"));
    CHECK(m("/a/**", "/a/b/c/d/f", 1, "[b][c][d]"));
    CHECK(m("/a/**", "/b/f", 0, NULL));
    CHECK(m("/**", "/f", 1, ""));
    CHECK(m("/**", "/", 0, NULL));
    /* several '**' */
    CHECK(m("/**/x/**/y", "/x/y", 1, ""));
    CHECK(m("/**/x/**/y", "/a/x/b/c/y", 1, "[a][b][c]"));
    CHECK(m("/**/x/**/y", "/a/x/x/y", 1, "[a][x]"));
    CHECK(m("/**/**/f", "/a/b/f", 1, "[a][b]")); /* the first takes what it must: all */
    CHECK(m("/**/x/**/y", "/a/b/y", 0, NULL));
    /* mixed with '*' and order of captures across the pattern */
    CHECK(m("/*/**/res=*.series", "/BDock/deep/er/res=1h.series", 1, "[BDock][deep][er][1h]"));
    CHECK(m("/*/**/res=*.series", "/BDock/res=1d.series", 1, "[BDock][1d]"));
}

TEST(depth)
{
    CHECK(m("/*/*", "/a", 0, NULL));       /* missing depth */
    CHECK(m("/*/*", "/a/b/c", 0, NULL));   /* extra depth */
    CHECK(m("/*/*", "/a/b", 1, "[a][b]"));
    CHECK(m("/a/*/c", "/a/b/c/d", 0, NULL));
    CHECK(m("/a/*/c", "/a/c", 0, NULL));
}

TEST(odd_names)
{
    CHECK(m("/with space/*", "/with space/it's \"quoted\"", 1, "[it's \"quoted\"]"));
    CHECK(m("/*=*", "/res=1h", 1, "[res][1h]"));
    CHECK(m("/100%/*%", "/100%/50%", 1, "[50]"));
    CHECK(m("/%s%d/*", "/%s%d/x", 1, "[x]")); /* printf directives are plain bytes */
    CHECK(m("/.hidden/*.", "/.hidden/a.b.", 1, "[a.b]"));
    CHECK(m("/...", "/...", 1, ""));
    CHECK(m("/Zürich/*", "/Zürich/温度.series", 1, "[温度.series]"));
    CHECK(m("/*ü*", "/grün", 1, "[gr][n]"));
    CHECK(m("/Zürich/*", "/Zurich/x", 0, NULL));
    CHECK(m("/'a'/\"b\"", "/'a'/\"b\"", 1, ""));
    CHECK(m("/a b/**/c d", "/a b/e f/c d", 1, "[e f]"));
}

TEST(no_blowup)
{
    char name[256] = "/";
    for (int i = 0; i < 200; i++)
        strcat(name, "a");
    pond_pattern *g = NULL;
    CHECK(pond_glob_compile(&g, "/*a*a*a*a*a*a*a*a*a*a*b") == POND_OK);
    clock_t t0 = clock();
    for (int i = 0; i < 100; i++)
        CHECK(pond_glob_match(g, name, NULL) == 0);
    strcat(name, "b");
    pond_captures caps = POND_CAPTURES_INIT;
    CHECK(pond_glob_match(g, name, &caps) == 1);
    CHECK(caps.n == 11);
    if (caps.n == 11) {
        for (int i = 0; i < 10; i++)
            CHECK_STR(caps.v[i], "");
        CHECK(strlen(caps.v[10]) == 190);
    }
    pond_captures_free(&caps);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 0.5);
    pond_glob_free(g);

    /* many '**' against a deep path */
    char deep[4096] = "";
    for (int i = 0; i < 300; i++)
        strcat(deep, "/d");
    CHECK(pond_glob_compile(&g, "/**/**/**/**/**/**/**/**/x") == POND_OK);
    t0 = clock();
    CHECK(pond_glob_match(g, deep, NULL) == 0);
    strcat(deep, "/x");
    CHECK(pond_glob_match(g, deep, &caps) == 1);
    CHECK(caps.n == 300);
    pond_captures_free(&caps);
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 0.5);
    pond_glob_free(g);
}

TEST(invalid)
{
    CHECK(bad("", "invalid pattern '': empty"));
    CHECK(bad(NULL, "empty"));
    CHECK(bad("a/*.series", "invalid pattern 'a/*.series': must be absolute"));
    CHECK(bad("*", "must be absolute"));
    CHECK(bad("/a//b", "invalid pattern '/a//b': empty component"));
    CHECK(bad("//", "empty component"));
    CHECK(bad("/a//", "empty component"));
    CHECK(bad("/a**b", "invalid pattern '/a**b': '**' must be a whole component"));
    CHECK(bad("/x/**y", "not part of '**y'"));
    CHECK(bad("/x/y**", "'**' must be a whole component"));
    CHECK(bad("/***", "'**' must be a whole component"));
    CHECK(bad("/a/../b", "invalid pattern '/a/../b': '..' is not allowed"));
    CHECK(bad("/./b", "'.' is not allowed"));
    pond_error_clear();
    pond_pattern *g = NULL;
    CHECK(pond_glob_compile(&g, "/ok/") == POND_OK); /* a trailing '/' is fine */
    CHECK_STR(pond_glob_pattern(g), "/ok/");      /* kept as given */
    CHECK_STR(pond_error_last(), "");
    pond_glob_free(g);
    pond_glob_free(NULL);
    pond_captures_free(NULL);
}

TEST(is_literal)
{
    const char *lit[] = { "/", "/a", "/a/b.series", "/a b/'c'=%" };
    const char *wild[] = { "/*", "/a/*.series", "/**", "/a/**/b", "/a/b*" };
    for (size_t i = 0; i < sizeof lit / sizeof *lit; i++) {
        pond_pattern *g = NULL;
        CHECK(pond_glob_compile(&g, lit[i]) == POND_OK && pond_glob_is_literal(g) == 1);
        pond_glob_free(g);
    }
    for (size_t i = 0; i < sizeof wild / sizeof *wild; i++) {
        pond_pattern *g = NULL;
        CHECK(pond_glob_compile(&g, wild[i]) == POND_OK && pond_glob_is_literal(g) == 0);
        pond_glob_free(g);
    }
}

TEST(literal_prefix)
{
    const struct {
        const char *pattern, *prefix;
    } cases[] = {
        { "/a/b/*.x", "/a/b" }, { "/a/b", "/a" },     { "/a", "/" },
        { "/**", "/" },         { "/*/b/c", "/" },    { "/a/**/c", "/a" },
        { "/a/b/", "/a" },      { "/x y/z/**", "/x y/z" }, { "/", "/" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pond_pattern *g = NULL;
        CHECK(pond_glob_compile(&g, cases[i].pattern) == POND_OK);
        size_t n = pond_glob_literal_prefix_len(g);
        char got[256];
        snprintf(got, sizeof got, "%.*s", (int)n, pond_glob_pattern(g));
        CHECK_STR(got, cases[i].prefix);
        pond_glob_free(g);
    }
}

TEST(may_descend)
{
    CHECK(desc("/a/b/*.series", "/", 1));
    CHECK(desc("/a/b/*.series", "/a", 1));
    CHECK(desc("/a/b/*.series", "/a/b", 1));
    CHECK(desc("/a/b/*.series", "/x", 0));     /* wrong branch: prune */
    CHECK(desc("/a/b/*.series", "/a/c", 0));
    CHECK(desc("/a/b/*.series", "/a/b/c", 0)); /* deeper than the pattern */
    CHECK(desc("/*/data", "/anything", 1));
    CHECK(desc("/*/data", "/anything/data", 0));
    CHECK(desc("/a/**", "/a", 1));
    CHECK(desc("/a/**", "/a/b/c/d", 1));
    CHECK(desc("/a/**", "/b", 0));
    CHECK(desc("/a/**/z", "/a/b/c", 1));
    CHECK(desc("/**/z", "/q/r/s", 1));
    CHECK(desc("/pre*/x", "/prefix", 1));
    CHECK(desc("/pre*/x", "/pr", 0));
    CHECK(desc("/a", "/", 1));
    CHECK(desc("/a", "/a", 0));
    CHECK(desc("/", "/", 0));
    CHECK(desc("/a/b", "a", 0)); /* relative: never */
}

int main(void)
{
    RUN(literal);
    RUN(one_star);
    RUN(several_stars_in_one_name);
    RUN(double_star);
    RUN(depth);
    RUN(odd_names);
    RUN(no_blowup);
    RUN(invalid);
    RUN(is_literal);
    RUN(literal_prefix);
    RUN(may_descend);
    return check_done();
}
