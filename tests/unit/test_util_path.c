/*
 * tests/unit/test_util_path.c: pond path normalization, parent/basename/join, the iterator.
 */
#include "check.h"
#include "util/path.h"

#include <stdlib.h>

static int norm_ok(const char *in, const char *want)
{
    pond_buf b = POND_BUF_INIT;
    int ok = pond_path_normalize(in, &b) == POND_OK && strcmp(b.ptr, want) == 0;
    if (!ok)
        fprintf(stderr, "  normalize('%s') -> '%s' (%s), want '%s'\n", in, b.ptr,
                pond_error_last(), want);
    pond_buf_free(&b);
    return ok;
}

/* 1 if in is rejected with POND_EINVALID and the message contains needle. */
static int norm_bad(const char *in, const char *needle)
{
    pond_buf b = POND_BUF_INIT;
    int rc = pond_path_normalize(in, &b);
    int ok = rc == POND_EINVALID && strstr(pond_error_last(), needle) && b.len == 0;
    if (!ok)
        fprintf(stderr, "  normalize('%s') rc=%d msg='%s' out='%s'\n", in, rc, pond_error_last(),
                b.ptr);
    pond_buf_free(&b);
    return ok;
}

TEST(normalize_good)
{
    CHECK(norm_ok("/", "/"));
    CHECK(norm_ok("//", "/"));
    CHECK(norm_ok("/a", "/a"));
    CHECK(norm_ok("/a/", "/a"));
    CHECK(norm_ok("/a//b///c/", "/a/b/c"));
    CHECK(norm_ok("/BDock/res=1h.series", "/BDock/res=1h.series"));
    CHECK(norm_ok("/with space/it's \"q\"/50%/...", "/with space/it's \"q\"/50%/..."));
    CHECK(norm_ok("/.hidden/a..b/.x.", "/.hidden/a..b/.x."));
    CHECK(norm_ok("/Zürich/温度", "/Zürich/温度"));
}

TEST(normalize_bad)
{
    CHECK(norm_bad("", "invalid pond path ''"));
    CHECK(norm_bad(NULL, "empty"));
    CHECK(norm_bad("a/b", "invalid pond path 'a/b': must be absolute"));
    CHECK(norm_bad("/a/./b", "invalid pond path '/a/./b': '.' is not allowed"));
    CHECK(norm_bad("/a/../b", "'..' is not allowed"));
    CHECK(norm_bad("/..", "'..' is not allowed"));
    CHECK(norm_bad("/a/.", "'.' is not allowed"));

    pond_buf b = POND_BUF_INIT;
    CHECK(pond_path_normalize_n("/a\0b", 4, &b) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "NUL") != NULL);
    CHECK(pond_path_normalize_n("/a/b//", 6, &b) == POND_OK);
    CHECK_STR(b.ptr, "/a/b");
    pond_buf_free(&b);
}

TEST(utf8)
{
    pond_buf b = POND_BUF_INIT;
    /* Well-formed: ASCII, 2, 3 and 4 byte forms, the largest code point. */
    CHECK(norm_ok("/caf\xc3\xa9/\xe6\x97\xa5/\xf0\x9f\x8c\x8a/\xf4\x8f\xbf\xbf",
                  "/caf\xc3\xa9/\xe6\x97\xa5/\xf0\x9f\x8c\x8a/\xf4\x8f\xbf\xbf"));
    /* A stray byte, overlong forms, a surrogate, above U+10FFFF, a truncated sequence. */
    CHECK(norm_bad("/bad\xff", "invalid pond path '/bad\\xff': not valid UTF-8"));
    CHECK(norm_bad("/\xc0\xaf", "'/\\xc0\\xaf': not valid UTF-8"));
    CHECK(norm_bad("/\xe0\x80\xaf", "not valid UTF-8"));
    CHECK(norm_bad("/\xed\xa0\x80", "not valid UTF-8"));
    CHECK(norm_bad("/\xf4\x90\x80\x80", "not valid UTF-8"));
    CHECK(norm_bad("/caf\xc3", "'/caf\\xc3': not valid UTF-8"));
    CHECK(pond_path_join(&b, "/a", "\xfe\x01x") == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "invalid name '\\xfe\\x01x': not valid UTF-8") != NULL);
    CHECK(!pond_path_valid_name("x\x80"));
    /* Quoting for messages: text as is, backslash doubled, the rest as \xNN. */
    CHECK(pond_path_quote("a\\b\tc\xc3\xa9\xff", 8, &b) == POND_OK);
    CHECK_STR(b.ptr, "a\\\\b\\x09c\xc3\xa9\\xff");
    pond_buf_free(&b);
}

TEST(basename)
{
    CHECK_STR(pond_path_basename("/"), "");
    CHECK_STR(pond_path_basename("/a"), "a");
    CHECK_STR(pond_path_basename("/a/b c.series"), "b c.series");
    const char *p = "/x/yz";
    CHECK(pond_path_basename(p) == p + 3); /* borrowed, points into path */
}

TEST(parent)
{
    pond_buf b = POND_BUF_INIT;
    CHECK(pond_path_parent("/a/b", &b) == POND_OK);
    CHECK_STR(b.ptr, "/a");
    CHECK(pond_path_parent("/a", &b) == POND_OK);
    CHECK_STR(b.ptr, "/");
    CHECK(pond_path_parent("/a/b/c d", &b) == POND_OK);
    CHECK_STR(b.ptr, "/a/b");
    CHECK(pond_path_parent("/", &b) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "'/' has no parent") != NULL);
    CHECK(pond_path_parent("rel/x", &b) == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "'rel/x'") != NULL);
    pond_buf_free(&b);
}

TEST(join)
{
    pond_buf b = POND_BUF_INIT;
    CHECK(pond_path_join(&b, "/", "a") == POND_OK);
    CHECK_STR(b.ptr, "/a");
    CHECK(pond_path_join(&b, "/a", "b=1 '2'") == POND_OK);
    CHECK_STR(b.ptr, "/a/b=1 '2'");
    /* dir may be out's own string */
    CHECK(pond_path_join(&b, b.ptr, "c") == POND_OK);
    CHECK_STR(b.ptr, "/a/b=1 '2'/c");
    CHECK(pond_path_join(&b, "/a", "x/y") == POND_EINVALID);
    CHECK(strstr(pond_error_last(), "invalid name 'x/y'") != NULL);
    CHECK(pond_path_join(&b, "/a", "..") == POND_EINVALID);
    CHECK(pond_path_join(&b, "/a", "") == POND_EINVALID);
    CHECK_STR(b.ptr, "/a/b=1 '2'/c"); /* untouched on failure */
    pond_buf_free(&b);
}

TEST(valid_name)
{
    CHECK(pond_path_valid_name("a") == 1);
    CHECK(pond_path_valid_name("...") == 1);
    CHECK(pond_path_valid_name(".a") == 1);
    CHECK(pond_path_valid_name("a b'\"=%") == 1);
    CHECK(pond_path_valid_name("ü") == 1);
    CHECK(pond_path_valid_name("") == 0);
    CHECK(pond_path_valid_name(".") == 0);
    CHECK(pond_path_valid_name("..") == 0);
    CHECK(pond_path_valid_name("a/b") == 0);
    CHECK(pond_path_valid_name(NULL) == 0);
}

TEST(iter)
{
    pond_path_iter it;
    const char *name;
    size_t len;
    char got[256] = "";

    pond_path_iter_init(&it, "/a//bc/d e/");
    while (pond_path_iter_next(&it, &name, &len)) {
        strcat(got, "[");
        strncat(got, name, len);
        strcat(got, "]");
    }
    CHECK_STR(got, "[a][bc][d e]");
    CHECK(pond_path_iter_next(&it, &name, &len) == 0); /* stays at the end */

    pond_path_iter_init(&it, "/");
    CHECK(pond_path_iter_next(&it, &name, &len) == 0);

    pond_path_iter_init(&it, "/only");
    CHECK(pond_path_iter_next(&it, &name, &len) == 1);
    CHECK(len == 4 && memcmp(name, "only", 4) == 0);
    CHECK(pond_path_iter_next(&it, &name, &len) == 0);
}

int main(void)
{
    RUN(normalize_good);
    RUN(normalize_bad);
    RUN(utf8);
    RUN(basename);
    RUN(parent);
    RUN(join);
    RUN(valid_name);
    RUN(iter);
    return check_done();
}
