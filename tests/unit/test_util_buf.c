/* Unit tests for util/buf, util/grow and util/error. */
#include "check.h"
#include "util/buf.h"
#include "util/grow.h"
#include <stdint.h>
#include <stdlib.h>

TEST(buf_grows_and_stays_terminated)
{
    pond_buf b = POND_BUF_INIT;
    CHECK_STR(b.ptr, "");
    for (int i = 0; i < 1000; i++)
        CHECK(pond_buf_printf(&b, "%d,", i) == POND_OK);
    CHECK(b.len == strlen(b.ptr));
    CHECK(strncmp(b.ptr, "0,1,2,", 6) == 0);
    pond_buf_truncate(&b, 2);
    CHECK_STR(b.ptr, "0,");
    char *s = pond_buf_detach(&b);
    CHECK_STR(s, "0,");
    CHECK_STR(b.ptr, "");
    free(s);
    pond_buf_free(&b);
}

TEST(buf_refuses_a_size_that_would_wrap)
{
    pond_buf b = POND_BUF_INIT;
    CHECK(pond_buf_puts(&b, "abc") == POND_OK);
    CHECK(pond_buf_grow(&b, SIZE_MAX - 2) == POND_ENOMEM);
    CHECK(pond_buf_grow(&b, SIZE_MAX) == POND_ENOMEM);
    CHECK_STR(b.ptr, "abc");
    pond_buf_free(&b);
}

TEST(grow_keeps_items_and_refuses_overflow)
{
    int64_t *v = NULL;
    size_t n = 0, cap = 0;
    for (int64_t i = 0; i < 10000; i++) {
        CHECK(POND_GROW(v, n, cap) == POND_OK);
        CHECK(n < cap);
        v[n++] = i * 3;
    }
    int ok = 1;
    for (size_t i = 0; i < n; i++)
        ok &= v[i] == (int64_t)i * 3;
    CHECK(ok);
    /* A capacity whose double would not fit in size_t bytes: refused, array untouched. */
    size_t huge = SIZE_MAX / 8, full = huge;
    int64_t *before = v;
    CHECK(POND_GROW(v, full, huge) == POND_ENOMEM);
    CHECK(v == before && huge == SIZE_MAX / 8);
    CHECK(strstr(pond_error_last(), "out of memory") != NULL);
    free(v);
}

TEST(error_wrap_prefixes_message_and_keeps_code)
{
    pond_error_clear();
    CHECK(pond_error_last_code() == POND_OK);
    CHECK(pond_error_set(POND_ENOTFOUND, "no such path '%s'", "/a b") == POND_ENOTFOUND);
    CHECK(pond_error_wrap(POND_ERROR, "cannot copy") == POND_ENOTFOUND);
    CHECK_STR(pond_error_last(), "cannot copy: no such path '/a b'");
}

int main(void)
{
    RUN(buf_grows_and_stays_terminated);
    RUN(buf_refuses_a_size_that_would_wrap);
    RUN(grow_keeps_items_and_refuses_overflow);
    RUN(error_wrap_prefixes_message_and_keeps_code);
    return check_done();
}
