/*
 * tests/unit/test_store_util.h: helpers shared by the store's unit tests: temporary
 * directories, writing host files, running a shell command and reading its output, and a
 * pond_glob callback that collects entries.
 */
#ifndef POND_TEST_STORE_UTIL_H
#define POND_TEST_STORE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pond.h"

/* A fresh empty directory (static buffer per call site is the caller's). */
static inline void tmpdir(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/pond-test-XXXXXX");
    if (!mkdtemp(buf)) {
        perror("mkdtemp");
        exit(2);
    }
}

static inline void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

/* Run cmd with sh, return its stdout (malloc'd, trailing newline stripped). */
static inline char *run_out(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    char *buf = calloc(1, 1 << 16);
    size_t n;
    if (!f || !buf) {
        perror(cmd);
        exit(2);
    }
    n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    pclose(f);
    while (n > 0 && buf[n - 1] == '\n')
        buf[--n] = '\0';
    return buf;
}

static inline void rm_rf(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

/* A collected entry of pond_glob (deep copy of the interesting fields). */
typedef struct got_entry {
    char path[512];
    pond_entry_type type;
    int64_t txn;
    char ts_col[64];
    char target[256];
    size_t ncaptures;
    char captures[4][128];
    size_t nversions;
    struct {
        int64_t version, txn, size, row_count, min_time, max_time;
        int has_time;
        char sha256[65];
        char schema[1024];
        char content_path[1024];
    } v[8];
} got_entry;

typedef struct got_list {
    size_t n;
    got_entry e[32];
} got_list;

static inline int collect_fn(const pond_entry_info *info, void *ctx)
{
    got_list *l = ctx;
    got_entry *g;
    size_t i;
    if (l->n >= 32)
        return 1;
    g = &l->e[l->n++];
    memset(g, 0, sizeof *g);
    snprintf(g->path, sizeof g->path, "%s", info->path);
    g->type = info->type;
    g->txn = info->txn;
    snprintf(g->target, sizeof g->target, "%s", info->symlink_target ? info->symlink_target : "");
    snprintf(g->ts_col, sizeof g->ts_col, "%s",
             info->timestamp_column ? info->timestamp_column : "");
    g->ncaptures = info->ncaptures;
    for (i = 0; i < info->ncaptures && i < 4; i++)
        snprintf(g->captures[i], sizeof g->captures[i], "%s", info->captures[i]);
    g->nversions = info->nversions;
    for (i = 0; i < info->nversions && i < 8; i++) {
        const pond_version_info *v = &info->versions[i];
        g->v[i].version = v->version;
        g->v[i].txn = v->txn;
        g->v[i].size = v->size;
        g->v[i].row_count = v->row_count;
        g->v[i].has_time = v->has_time;
        g->v[i].min_time = v->min_time;
        g->v[i].max_time = v->max_time;
        snprintf(g->v[i].sha256, sizeof g->v[i].sha256, "%s", v->sha256);
        snprintf(g->v[i].schema, sizeof g->v[i].schema, "%s", v->schema ? v->schema : "");
        snprintf(g->v[i].content_path, sizeof g->v[i].content_path, "%s", v->content_path);
    }
    return 0;
}

/* Glob pattern on the data fs into l; returns pond_glob's result. */
static inline int glob_into(pond *p, pond_fs fs, const char *pattern, unsigned flags, got_list *l)
{
    memset(l, 0, sizeof *l);
    return pond_glob(p, fs, pattern, flags, collect_fn, l);
}

/* cat a pond file into a malloc'd string. */
static inline int cat_to_string(pond *p, pond_fs fs, const char *path, const pond_cat_options *o,
                                char **out)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc = pond_cat(p, fs, path, o, f);
    fclose(f);
    *out = buf;
    return rc;
}

/* pond_open with command_line and wait_ms set, the other options at their defaults. */
static inline int open_with(pond **out, const char *path, const char *command, int wait_ms)
{
    pond_open_options o = POND_OPEN_OPTIONS_INIT;
    o.command_line = command;
    o.wait_ms = wait_ms;
    return pond_open(out, path, &o);
}

/* pond_open recording command in the log, waiting the default time for other writers. */
static inline int open_as(pond **out, const char *path, const char *command)
{
    return open_with(out, path, command, 30000);
}

/* The test program's scratch directory and its pond (fresh_pond makes a new one each call). */
static char dir[256];
static char pdir[300];

#ifndef TEST_POND_COMMAND
#define TEST_POND_COMMAND "pond test" /* the command line the pond's log records */
#endif

static inline pond *fresh_pond(void)
{
    pond *p = NULL;
    tmpdir(dir, sizeof dir);
    snprintf(pdir, sizeof pdir, "%s/pond", dir);
    if (pond_init(pdir) != POND_OK || open_as(&p, pdir, TEST_POND_COMMAND) != POND_OK) {
        fprintf(stderr, "cannot make a pond: %s\n", pond_error_last());
        exit(2);
    }
    return p;
}

/* Write text to dir/name and copy it into the pond at dest. */
static inline int copy1(pond *p, const char *name, const char *text, const char *dest)
{
    char path[400];
    const char *srcs[1] = {path};
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_file(path, text);
    return pond_copy_in(p, srcs, 1, dest, NULL);
}

#endif
