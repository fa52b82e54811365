/*
 * tests/unit/check.h: the smallest test harness that does the job.
 *
 *     TEST(name) { CHECK(x == 1); CHECK_STR(got, "want"); }
 *     int main(void) { RUN(name); return check_done(); }
 *
 * A failed CHECK prints file:line and the expression, counts the failure and goes on.
 * check_done() prints "N passed, N failed" and returns the exit status for CTest.
 */
#ifndef POND_TEST_CHECK_H
#define POND_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check__failed_checks, check__passed, check__failed, check__current_failed;

#define TEST(name) static void test_##name(void)

#define RUN(name)                                                                            \
    do {                                                                                     \
        check__current_failed = 0;                                                           \
        test_##name();                                                                       \
        if (check__current_failed) {                                                         \
            check__failed++;                                                                 \
            fprintf(stderr, "FAIL %s\n", #name);                                             \
        } else {                                                                             \
            check__passed++;                                                                 \
        }                                                                                    \
    } while (0)

#define CHECK(expr)                                                                          \
    do {                                                                                     \
        if (!(expr)) {                                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr);         \
            check__failed_checks++;                                                          \
            check__current_failed = 1;                                                       \
        }                                                                                    \
    } while (0)

#define CHECK_STR(got, want)                                                                 \
    do {                                                                                     \
        const char *g_ = (got), *w_ = (want);                                                \
        if (!g_ || !w_ || strcmp(g_, w_) != 0) {                                             \
            fprintf(stderr, "%s:%d: %s\n   got: \"%s\"\n  want: \"%s\"\n", __FILE__, __LINE__, \
                    #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");                           \
            check__failed_checks++;                                                          \
            check__current_failed = 1;                                                       \
        }                                                                                    \
    } while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check__passed, check__failed);
    return check__failed ? 1 : 0;
}

#endif
