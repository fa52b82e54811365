/*
 * tests/fuzz/fuzz_store_csv.c: fuzz target of the CSV checker (src/store/csv_check.c,
 * store_csv_check: the structural check before DuckDB reads a CSV file).
 *
 * Input: one control byte, then the file.  The control byte's bits 0-2 pick the delimiter
 * (0 and 7: picked by the checker; 1-6: ',' ';' '\t' '|' ' ' ':'), bits 3-4 the lines to skip
 * (0-3), bit 5 writes the file gzip-compressed, bit 6 (with bit 5) cuts the last 8 bytes off
 * the gzip stream.  The check must end in POND_OK with a delimiter (the one given, if one
 * was), or in POND_EINVALID with a message.  A compressed file must get the answer of the same
 * text uncompressed, word for word, and a gzip stream cut short must never pass.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "store/store_int.h"

static const char delimiters[8] = {0, ',', ';', '\t', '|', ' ', ':', 0};

/* gzip-compress data[0..size) into a malloc'd buffer; *out_len its length. */
static unsigned char *gzip(const uint8_t *data, size_t size, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        fuzz_fail("deflateInit2");
    size_t cap = deflateBound(&zs, (uLong)size) + 32;
    unsigned char *out = malloc(cap);
    if (!out)
        fuzz_fail("out of memory");
    zs.next_in = (Bytef *)data;
    zs.avail_in = (uInt)size;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        fuzz_fail("deflate");
    *out_len = zs.total_out;
    deflateEnd(&zs);
    return out;
}

typedef struct outcome {
    int rc;
    store_csv_dialect d;
    char msg[512];
} outcome;

static void check(const char *path, char delimiter, int skip, outcome *o)
{
    o->d = (store_csv_dialect){ delimiter, skip, 0 };
    o->rc = store_csv_check(path, &o->d);
    snprintf(o->msg, sizeof o->msg, "%s", o->rc == POND_OK ? "" : pond_error_last());
    if (o->rc == POND_OK) {
        if (!o->d.delimiter || (delimiter && o->d.delimiter != delimiter))
            fuzz_fail("delimiter %d given, %d used", delimiter, o->d.delimiter);
    } else if (o->rc != POND_EINVALID || !o->msg[0]) {
        fuzz_fail("unexpected code %d (%s)", o->rc, o->msg);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned ctl = data[0];
    char delimiter = delimiters[ctl & 7];
    int skip = (int)((ctl >> 3) & 3);
    const uint8_t *text = data + 1;
    size_t len = size - 1;
    outcome plain, packed;

    check(fuzz_scratch_write("in.csv", text, len), delimiter, skip, &plain);
    int magic = len >= 2 && text[0] == 0x1f && text[1] == 0x8b;
    if (plain.rc == POND_OK && !magic && plain.d.gzip)
        fuzz_fail("a plain file was taken for gzip");
    if (!(ctl & 32))
        return 0;

    size_t zlen;
    unsigned char *z = gzip(text, len, &zlen);
    int cut = (ctl & 64) != 0;
    if (cut)
        zlen -= 8;
    check(fuzz_scratch_write("in.csv.gz", z, zlen), delimiter, skip, &packed);
    free(z);
    if (cut) {
        if (packed.rc == POND_OK)
            fuzz_fail("a gzip stream cut short passed");
    } else if (!magic) {
        if (packed.rc != plain.rc || strcmp(packed.msg, plain.msg) != 0 ||
            (plain.rc == POND_OK && (packed.d.delimiter != plain.d.delimiter || !packed.d.gzip)))
            fuzz_fail("gzip: %d '%s' (delimiter %d), plain: %d '%s' (delimiter %d)", packed.rc,
                      packed.msg, packed.d.delimiter, plain.rc, plain.msg, plain.d.delimiter);
    }
    return 0;
}
