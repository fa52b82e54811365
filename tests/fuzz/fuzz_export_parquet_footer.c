/*
 * tests/fuzz/fuzz_export_parquet_footer.c: fuzz target of the Parquet footer parser
 * (src/export/parquet_footer.c).  Input: the bytes of a FileMetaData (the Thrift compact
 * struct before a Parquet file's footer length).  Any input must end in POND_OK with
 * num_rows >= 0 or in POND_ECORRUPT, without reading outside the input.
 *
 * With libFuzzer (tests/fuzz/run.sh) it is a plain LLVMFuzzerTestOneInput.  In the normal
 * build, after the corpora (driver.c), fuzz_self_test runs 200000 inputs made by a fixed-seed
 * generator from mutations of a valid FileMetaData prefix (bytes flipped, inserted, deleted,
 * truncated) and random bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export/parquet_footer.h"
#include "fuzz.h"
#include "pond/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t rows = -1;
    int rc = pond_parquet_metadata_rows(data, size, &rows);
    if (!(rc == POND_OK && rows >= 0) && rc != POND_ECORRUPT)
        abort();
    return 0;
}

#ifndef POND_LIBFUZZER
static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

int fuzz_self_test(void);

int fuzz_self_test(void)
{
    /* version 1; schema [{name "schema", num_children 1}, {type INT64, name "x"}]; 1000 rows */
    static const uint8_t seed[] = {0x15, 0x02, 0x19, 0x2c, 0x48, 0x06, 's', 'c', 'h', 'e', 'm',
                                   'a', 0x15, 0x02, 0x00, 0x15, 0x04, 0x38, 0x01, 'x', 0x00,
                                   0x16, 0xd0, 0x0f, 0x19, 0x1c, 0x00, 0x00};
    long iters = 200000;
    uint8_t buf[256];

    for (long it = 0; it < iters; it++) {
        size_t n = sizeof seed;
        memcpy(buf, seed, n);
        if (next() % 8 == 0) { /* random bytes */
            n = next() % sizeof buf;
            for (size_t i = 0; i < n; i++)
                buf[i] = (uint8_t)next();
        } else {
            for (int k = (int)(next() % 6) + 1; k > 0; k--) {
                size_t at = n ? next() % n : 0;
                switch (next() % 4) {
                case 0: buf[at] ^= (uint8_t)(1u << (next() % 8)); break;
                case 1: buf[at] = (uint8_t)next(); break;
                case 2: /* insert */
                    if (n < sizeof buf) {
                        memmove(buf + at + 1, buf + at, n - at);
                        buf[at] = (uint8_t)next();
                        n++;
                    }
                    break;
                default: /* delete or truncate */
                    if (next() % 2) n = at;
                    else if (n) { memmove(buf + at, buf + at + 1, n - at - 1); n--; }
                }
            }
        }
        /* an exact-size heap copy, so that ASan sees any read past the end */
        uint8_t *in = malloc(n ? n : 1);
        memcpy(in, buf, n);
        LLVMFuzzerTestOneInput(in, n);
        free(in);
    }
    int64_t rows;
    if (pond_parquet_metadata_rows(seed, sizeof seed, &rows) != POND_OK || rows != 1000) {
        fprintf(stderr, "the seed itself does not parse\n");
        return 1;
    }
    printf("%ld generated inputs, no crash\n", iters);
    return 0;
}
#endif
