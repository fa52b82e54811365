/* Unit tests for util/buf and util/error. */
#include "check.h"
#include "util/buf.h"
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
    RUN(error_wrap_prefixes_message_and_keeps_code);
    return check_done();
}
