/*
 * tests/fuzz/fuzz.h: what the fuzz targets (tests/fuzz/fuzz_<module>_<what>.c) share.
 *
 * Each target is one LLVMFuzzerTestOneInput.  Built with clang -fsanitize=fuzzer
 * (tests/fuzz/run.sh, -DPOND_LIBFUZZER), libFuzzer drives it; in the normal build driver.c is
 * its main and replays the seed and regression corpora through it (tests/fuzz/README.md).
 *
 * Targets whose parser reads several files take an input made of files, written as `head`
 * prints them: the text before the first header line is the main file, and each line
 * "==> NAME <==" starts the file NAME, up to the next header (the newline before a header
 * belongs to the header).  NAME is 1 to 64 of [A-Za-z0-9._-], not starting with '.'; a
 * section with any other name is dropped.
 */
#ifndef POND_TESTS_FUZZ_H
#define POND_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every target calls this when an input breaks the contract it checks: the message goes to
 * stderr and the process aborts, which both libFuzzer and the replay driver report as a
 * crash (with the input). */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* data as a malloc'd NUL-terminated string.  Aborts on allocation failure. */
char *fuzz_text(const uint8_t *data, size_t size);

/* The contract of a file loader that failed with rc: POND_EINVALID, POND_ENOTFOUND or
 * POND_ERROR, nothing loaded (got is NULL), and a message that starts with the path of the
 * file at fault (or names the partial or parent that failed).  what: "spec", "pipeline". */
void fuzz_check_load_error(int rc, const void *got, const char *what);

typedef struct fuzz_file {
    const char *name; /* NULL for the main file; else into the input's copy */
    char *text;       /* NUL-terminated (a NUL inside is kept: len counts it) */
    size_t len;
} fuzz_file;

typedef struct fuzz_files {
    fuzz_file *v; /* v[0]: the main file (maybe empty); then the named files in order */
    size_t n;
    char *copy;   /* owns every name and text */
} fuzz_files;

/* Split data into files (see above).  Aborts on allocation failure. */
void fuzz_files_split(fuzz_files *out, const uint8_t *data, size_t size);

/* The last file called name, or NULL. */
const fuzz_file *fuzz_files_get(const fuzz_files *f, const char *name);

void fuzz_files_free(fuzz_files *f);

/* A scratch directory of this process (made on first use, removed at exit), emptied, then
 * filled with f's named files and the main file as main_name.  Returns the path of the main
 * file (valid until the next call).  Aborts when the directory cannot be written. */
const char *fuzz_files_write(const fuzz_files *f, const char *main_name);

/* The scratch directory itself (made on first use), for targets writing their own file. */
const char *fuzz_scratch_dir(void);

/* Empty the scratch directory and write one file there; returns its path (as above). */
const char *fuzz_scratch_write(const char *name, const void *data, size_t len);

#endif
