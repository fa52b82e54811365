/* Unit tests for export/claim_index: which output paths overlap earlier claims. */
#include <stdio.h>
#include "check.h"
#include "export/claim_index.h"

TEST(same_path_below_and_above_overlap)
{
    pond_claim_index *ix = NULL;
    CHECK(pond_claim_index_new(&ix) == 0);
    CHECK(pond_claim_index_find_overlap(ix, "BDock/res=1d") == -1);
    CHECK(pond_claim_index_add(ix, "BDock/res=1d", 0) == 0);
    CHECK(pond_claim_index_add(ix, "sites/Noyo.html", 1) == 0);
    CHECK(pond_claim_index_find_overlap(ix, "BDock/res=1d") == 0);               /* same */
    CHECK(pond_claim_index_find_overlap(ix, "BDock/res=1d/year=2024/x") == 0);   /* below */
    CHECK(pond_claim_index_find_overlap(ix, "BDock") == 0);                      /* above */
    CHECK(pond_claim_index_find_overlap(ix, "sites") == 1);
    CHECK(pond_claim_index_find_overlap(ix, "sites/Noyo.html/x") == 1);
    pond_claim_index_free(ix);
}

TEST(names_that_share_a_prefix_do_not_overlap)
{
    pond_claim_index *ix = NULL;
    CHECK(pond_claim_index_new(&ix) == 0);
    CHECK(pond_claim_index_add(ix, "a/b", 0) == 0);
    CHECK(pond_claim_index_find_overlap(ix, "a/bc") == -1);
    CHECK(pond_claim_index_find_overlap(ix, "a/b c") == -1);
    CHECK(pond_claim_index_find_overlap(ix, "ab") == -1);
    CHECK(pond_claim_index_find_overlap(ix, "a/c/b") == -1);
    CHECK(pond_claim_index_find_overlap(ix, "a") == 0);
    pond_claim_index_free(ix);
    pond_claim_index_free(NULL);
}

TEST(many_claims_keep_their_numbers)
{
    pond_claim_index *ix = NULL;
    char path[64];
    int ok = 1;
    CHECK(pond_claim_index_new(&ix) == 0);
    for (int i = 0; i < 20000; i++) {
        snprintf(path, sizeof path, "site_%05d/res=1h", i);
        ok &= pond_claim_index_find_overlap(ix, path) == -1;
        ok &= pond_claim_index_add(ix, path, (size_t)i) == 0;
    }
    CHECK(ok);
    CHECK(pond_claim_index_find_overlap(ix, "site_12345/res=1h/year=2024") == 12345);
    CHECK(pond_claim_index_find_overlap(ix, "site_00007") == 7);
    CHECK(pond_claim_index_find_overlap(ix, "site_20000") == -1);
    pond_claim_index_free(ix);
}

int main(void)
{
    RUN(same_path_below_and_above_overlap);
    RUN(names_that_share_a_prefix_do_not_overlap);
    RUN(many_claims_keep_their_numbers);
    return check_done();
}
