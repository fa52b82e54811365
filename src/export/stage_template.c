/*
 * export/stage_template.c: the template_processing stage (docs/export.md, docs/templates.md).
 *
 * For each collection of the stage's spec:
 *   1. its export_metadata rows: pattern = in_pattern (bound), written by earlier stages
 *      (export_stage < this stage), in file_path order; a file's captures are its rows with
 *      capture_group >= 0;
 *   2. outputs: each file's out_pattern with $0, $1… replaced by its captures ("$$" is '$');
 *      one output per distinct path, in order of first appearance.  An out_pattern without
 *      '$' is always exactly one output, even when no row matches;
 *   3. per output, the render context
 *        { vars, captures, pattern, rows, path, root }
 *      vars: the stage's vars, then -v key=value (the command line wins);
 *      captures: $i shared by every file of the output (null where they differ);
 *      pattern: in_pattern;  rows: the query's rows as objects (a prepared statement with
 *      $pattern, $0… and $files bound), or without a query the output's own export_metadata
 *      rows; $files is the list of the output's *.parquet files as they are during the run
 *      (absolute paths under the staging directory), for read_parquet($files);
 *      path: the output's path relative to DIR;  root: "../" per directory level of path
 *      ("" at the top), for relative links that work from disk;
 *   4. render, claim the path in the context, write it under staging, and append it to
 *      export_metadata (pattern = in_pattern, captures = the leading shared captures,
 *      row_count = rows rendered, start/end = the range of its files, stage = this stage).
 * Appended rows are flushed at the end of the stage.  Errors name the collection (the runner,
 * export.c, puts the stage in front); template errors carry the template's file:line:column.
 * A dry run lists the pages without running queries or rendering.  Nothing is moved into DIR
 * here: the runner commits or drops the staging directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "export/json_rows.h"
#include "export/pipeline.h"
#include "export/progress.h"
#include "export/sha256_text.h"
#include "export/sql_params.h"
#include "export/template_spec.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

typedef struct output {
    char *rel;      /* the expanded out_pattern */
    char **caps;    /* shared captures; NULL where the output's files differ */
    size_t ncaps;
    json_t *rows;   /* the export_metadata rows of its files */
    char **files;   /* its distinct *.parquet files where they are now (staging), for $files */
    size_t nfiles, capfiles;
    int has_start, has_end;
    int64_t start, end;
} output;

typedef struct outputs {
    output *v;
    size_t n, cap;
    json_t *index; /* rel -> position in v */
} outputs;

static void outputs_free(outputs *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->v[i].rel);
        for (size_t k = 0; k < o->v[i].ncaps; k++)
            free(o->v[i].caps[k]);
        free(o->v[i].caps);
        for (size_t k = 0; k < o->v[i].nfiles; k++)
            free(o->v[i].files[k]);
        free(o->v[i].files);
        json_decref(o->v[i].rows);
    }
    free(o->v);
    json_decref(o->index);
}

/* The stage's vars then the command line's -v key=value: later ones win. */
static int make_vars(json_t **out, pond_export_ctx *ctx, const pond_stage *st)
{
    int rc = POND_OK;
    const pond_export_options *opts = pond_export_ctx_options(ctx);
    json_t *vars = json_object();
    char *key = NULL;

    if (!vars) {
        rc = pond_error_oom();
        goto done;
    }
    for (size_t i = 0; i < st->nvars; i++)
        if (json_object_set_new(vars, st->vars[i].key, json_string(st->vars[i].value)) != 0) {
            rc = pond_error_set(POND_EINVALID, "variable '%s' is not valid UTF-8",
                                st->vars[i].key);
            goto done;
        }
    for (size_t i = 0; opts && i < opts->nvars; i++) {
        const char *kv = opts->vars[i], *eq = strchr(kv, '=');
        if (!eq || eq == kv) {
            rc = pond_error_set(POND_EINVALID, "bad variable '%s': expected key=value", kv);
            goto done;
        }
        if (!(key = strndup(kv, (size_t)(eq - kv)))) {
            rc = pond_error_oom();
            goto done;
        }
        if (json_object_set_new(vars, key, json_string(eq + 1)) != 0) {
            rc = pond_error_set(POND_EINVALID, "variable '%s' is not valid UTF-8", kv);
            goto done;
        }
        free(key);
        key = NULL;
    }
    *out = vars;
    vars = NULL;
done:
    free(key);
    json_decref(vars);
    return rc;
}

/* out_pattern with $N replaced by caps[N] into out. */
static int expand(pond_buf *out, const char *op, char *const *caps, size_t ncaps,
                  const char *file)
{
    int rc = POND_OK;
    pond_buf_clear(out);
    for (const char *p = op; *p && rc == POND_OK; p++) {
        if (*p != '$') {
            rc = pond_buf_putc(out, *p);
        } else if (p[1] == '$') {
            rc = pond_buf_putc(out, '$');
            p++;
        } else {
            char *end;
            if (p[1] < '0' || p[1] > '9')
                return pond_error_set(POND_EINVALID, "out_pattern '%s': '$' without a capture "
                                                     "number", op);
            unsigned long k = strtoul(p + 1, &end, 10);
            if (k >= ncaps || !caps[k])
                return pond_error_set(POND_EINVALID,
                                      "out_pattern '%s' uses $%lu but '%s' has %zu capture%s", op,
                                      k, file, ncaps, ncaps == 1 ? "" : "s");
            rc = pond_buf_puts(out, caps[k]);
            p = end - 1;
        }
    }
    return rc;
}

static int64_t int_or(json_t *j, int *has)
{
    *has = json_is_integer(j);
    return *has ? (int64_t)json_integer_value(j) : 0;
}

/* Append root/file to out's $files when file is a Parquet file. */
static int add_parquet(output *out, const char *root, const char *file)
{
    size_t n = strlen(file);
    if (n < 8 || strcmp(file + n - 8, ".parquet") != 0)
        return POND_OK;
    if (out->nfiles == out->capfiles) {
        size_t nc = out->capfiles ? out->capfiles * 2 : 4;
        char **nv = realloc(out->files, nc * sizeof *nv);
        if (!nv)
            return pond_error_oom();
        out->files = nv;
        out->capfiles = nc;
    }
    pond_buf b = POND_BUF_INIT;
    if (pond_buf_printf(&b, "%s/%s", root, file) != POND_OK ||
        !(out->files[out->nfiles] = pond_buf_detach(&b))) {
        pond_buf_free(&b);
        return pond_error_oom();
    }
    out->nfiles++;
    return POND_OK;
}

/* Add the file made of rows[from, to) (same file_path) to the output its captures name;
 * root is the directory the run's outputs are in now. */
static int add_file(outputs *o, const pond_collection *c, json_t *rows, size_t from, size_t to,
                    const char *root, pond_buf *tmp)
{
    int rc = POND_OK;
    size_t ncaps = 0;
    char **caps = NULL;
    const char *file = json_string_value(json_object_get(json_array_get(rows, from), "file_path"));

    for (size_t i = from; i < to; i++) {
        json_int_t g = json_integer_value(json_object_get(json_array_get(rows, i), "capture_group"));
        if (g >= 0 && (size_t)g + 1 > ncaps)
            ncaps = (size_t)g + 1;
    }
    if (ncaps && !(caps = calloc(ncaps, sizeof *caps)))
        return pond_error_oom();
    for (size_t i = from; i < to; i++) {
        json_t *r = json_array_get(rows, i);
        json_int_t g = json_integer_value(json_object_get(r, "capture_group"));
        if (g >= 0)
            caps[g] = (char *)json_string_value(json_object_get(r, "capture_value"));
    }
    if ((rc = expand(tmp, c->out_pattern, caps, ncaps, file ? file : "?")) != POND_OK)
        goto done;

    json_t *at = json_object_getn(o->index, tmp->ptr, tmp->len);
    output *out;
    if (at) {
        out = &o->v[json_integer_value(at)];
        /* Keep only the captures every file of the output shares. */
        for (size_t k = 0; k < out->ncaps; k++)
            if (out->caps[k] && (k >= ncaps || !caps[k] || strcmp(out->caps[k], caps[k]))) {
                free(out->caps[k]);
                out->caps[k] = NULL;
            }
    } else {
        if (o->n == o->cap) {
            size_t nc = o->cap ? o->cap * 2 : 16;
            output *nv = realloc(o->v, nc * sizeof *nv);
            if (!nv) {
                rc = pond_error_oom();
                goto done;
            }
            o->v = nv;
            o->cap = nc;
        }
        out = &o->v[o->n];
        memset(out, 0, sizeof *out);
        if (!(out->rel = strdup(tmp->ptr)) || !(out->rows = json_array()) ||
            (ncaps && !(out->caps = calloc(ncaps, sizeof *out->caps)))) {
            free(out->rel);
            json_decref(out->rows);
            rc = pond_error_oom();
            goto done;
        }
        out->ncaps = ncaps;
        for (size_t k = 0; k < ncaps; k++)
            if (caps[k] && !(out->caps[k] = strdup(caps[k]))) {
                o->n++;
                rc = pond_error_oom();
                goto done;
            }
        if (json_object_setn_new_nocheck(o->index, tmp->ptr, tmp->len,
                                         json_integer((json_int_t)o->n)) != 0) {
            o->n++;
            rc = pond_error_oom();
            goto done;
        }
        o->n++;
    }
    if (file && (rc = add_parquet(out, root, file)) != POND_OK)
        goto done;
    for (size_t i = from; i < to; i++) {
        json_t *r = json_array_get(rows, i);
        int hs, he;
        int64_t s = int_or(json_object_get(r, "start_time"), &hs);
        int64_t e = int_or(json_object_get(r, "end_time"), &he);
        if (hs && (!out->has_start || s < out->start)) {
            out->start = s;
            out->has_start = 1;
        }
        if (he && (!out->has_end || e > out->end)) {
            out->end = e;
            out->has_end = 1;
        }
        if (json_array_append(out->rows, r) != 0) {
            rc = pond_error_oom();
            goto done;
        }
    }
done:
    free(caps);
    return rc;
}

/* The collection's export_metadata rows from earlier stages, grouped into outputs. */
static int plan_outputs(outputs *o, pond_export_ctx *ctx, const pond_collection *c,
                        int stage_no, const char *label, size_t *nmatched)
{
    int rc = POND_OK;
    duckdb_prepared_statement ps = NULL;
    duckdb_result res;
    int have_res = 0;
    json_t *rows = json_array();
    pond_buf tmp = POND_BUF_INIT, root = POND_BUF_INIT;

    /* Where this run's files are until the commit: staging/out (context.c's layout, see
     * context.h); a dry run has no staging, and runs no query that could read them. */
    const char *staging = pond_export_ctx_staging(ctx);
    rc = staging && *staging ? pond_buf_printf(&root, "%s/out", staging)
                 : pond_buf_puts(&root, pond_export_ctx_dir(ctx));
    if (rc != POND_OK)
        goto done;

    if (!rows || !(o->index = json_object())) {
        rc = pond_error_oom();
        goto done;
    }
    if (duckdb_prepare(pond_export_ctx_con(ctx),
                       "SELECT * FROM export_metadata WHERE pattern = $1 AND export_stage < $2 "
                       "ORDER BY file_path, capture_group",
                       &ps) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "%s: cannot read export_metadata: %s", label,
                            duckdb_prepare_error(ps));
        goto done;
    }
    duckdb_bind_varchar(ps, 1, c->in_pattern);
    duckdb_bind_int32(ps, 2, stage_no);
    have_res = 1;
    if (duckdb_execute_prepared(ps, &res) == DuckDBError) {
        rc = pond_error_set(POND_ERROR, "%s: cannot read export_metadata: %s", label,
                            duckdb_result_error(&res));
        goto done;
    }
    if ((rc = pond_json_rows_append(rows, &res)) != POND_OK)
        goto done;

    size_t n = json_array_size(rows), from = 0;
    *nmatched = n;
    for (size_t i = 1; i <= n && rc == POND_OK; i++) {
        const char *a = json_string_value(json_object_get(json_array_get(rows, from), "file_path"));
        const char *b = i < n ? json_string_value(json_object_get(json_array_get(rows, i),
                                                                  "file_path"))
                              : NULL;
        if (b && a && !strcmp(a, b))
            continue;
        rc = add_file(o, c, rows, from, i, root.ptr, &tmp);
        from = i;
    }
    if (rc == POND_OK && o->n == 0 && !strchr(c->out_pattern, '$')) {
        /* A single page even when nothing matched. */
        if (!(o->v = calloc(1, sizeof *o->v)) || !(o->v[0].rel = strdup(c->out_pattern)) ||
            !(o->v[0].rows = json_array())) {
            if (o->v)
                o->n = 1;
            rc = pond_error_oom();
            goto done;
        }
        o->n = o->cap = 1;
    }
    if (rc != POND_OK)
        rc = pond_error_wrap(rc, "%s", label);
done:
    if (have_res)
        duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&ps);
    json_decref(rows);
    pond_buf_free(&tmp);
    pond_buf_free(&root);
    return rc;
}

/* "../" once per directory of rel. */
static int root_of(pond_buf *out, const char *rel)
{
    int rc = POND_OK;
    pond_buf_clear(out);
    for (const char *p = rel; *p && rc == POND_OK; p++)
        if (*p == '/')
            rc = pond_buf_puts(out, "../");
    return rc;
}

/* One page: open, write, close (no stdio: its buffer and fstat cost more than the page). */
static int write_file(const char *path, const pond_buf *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        return pond_error_set(POND_ERROR, "cannot create '%s': %s", path, strerror(errno));
    size_t done = 0;
    while (done < text->len) {
        ssize_t w = write(fd, text->ptr + done, text->len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int err = w < 0 ? errno : EIO;
            close(fd);
            return pond_error_set(POND_ERROR, "cannot write '%s': %s", path, strerror(err));
        }
        done += (size_t)w;
    }
    if (close(fd) != 0)
        return pond_error_set(POND_ERROR, "cannot write '%s': %s", path, strerror(errno));
    return POND_OK;
}

/* The page of one output into text: its context (query rows, or its own rows) rendered
 * with the collection's template; *nrows gets the number of rows in the context. */
static int render_output(pond_export_ctx *ctx, const pond_collection *c,
                         duckdb_prepared_statement ps, const output *out, json_t *vars,
                         const char *label, pond_buf *text, size_t *nrows)
{
    int rc = POND_OK;
    json_t *rows = NULL, *caps = NULL, *context = NULL;
    pond_buf root = POND_BUF_INIT, err = POND_BUF_INIT;

    if ((rc = root_of(&root, out->rel)) != POND_OK)
        goto done;
    if (!(caps = json_array())) {
        rc = pond_error_oom();
        goto done;
    }
    for (size_t k = 0; k < out->ncaps; k++)
        json_array_append_new(caps, out->caps[k] ? json_string(out->caps[k]) : json_null());

    if (ps) {
        duckdb_result res;
        duckdb_clear_bindings(ps);
        if ((rc = pond_export__sql_bind_params(ps, c->in_pattern,
                                               (const char *const *)out->caps, out->ncaps,
                                               (const char *const *)out->files, out->nfiles))) {
            rc = pond_error_wrap(rc, "%s: query", label);
            goto done;
        }
        if (duckdb_execute_prepared(ps, &res) == DuckDBError) {
            pond_export__sql_error_text(&err, duckdb_result_error(&res));
            rc = pond_error_set(POND_EINVALID, "%s: query for '%s': %s", label, out->rel,
                                err.ptr);
            duckdb_destroy_result(&res);
            goto done;
        }
        rows = json_array();
        rc = rows ? pond_json_rows_append(rows, &res) : pond_error_oom();
        duckdb_destroy_result(&res);
        if (rc != POND_OK) {
            rc = pond_error_wrap(rc, "%s: query for '%s'", label, out->rel);
            goto done;
        }
    } else {
        rows = json_incref(out->rows);
    }
    *nrows = json_array_size(rows);

    /* json_pack takes caps and rows ("o"), also when it fails. */
    context = json_pack("{s:O, s:o, s:s, s:o, s:s, s:s}", "vars", vars, "captures", caps,
                        "pattern", c->in_pattern, "rows", rows, "path", out->rel, "root",
                        root.ptr);
    caps = rows = NULL;
    if (!context) {
        rc = pond_error_set(POND_EINVALID, "%s: cannot build the context of '%s' (text that "
                                           "is not UTF-8?)", label, out->rel);
        goto done;
    }
    pond_buf_clear(text);
    if ((rc = pond_mustache_render(c->tmpl, context, text)) != POND_OK)
        rc = pond_error_wrap(rc, "%s: rendering '%s'", label, out->rel);
done:
    json_decref(context);
    json_decref(caps);
    json_decref(rows);
    pond_buf_free(&root);
    pond_buf_free(&err);
    return rc;
}

/* The hash of what a collection's pages are made from besides their rows: its template's
 * bytes and its query's text (the manifest's inputs_sha256). */
static int collection_hash(const pond_collection *c, char out[65])
{
    pond_buf b = POND_BUF_INIT;
    int rc = pond_fs_read_file(c->template_path, &b);
    if (rc == POND_OK && (rc = pond_buf_putc(&b, '\0')) == POND_OK &&
        (rc = pond_buf_puts(&b, c->query ? c->query : "")) == POND_OK)
        rc = pond_export__sha256_hex(b.ptr, b.len, out);
    pond_buf_free(&b);
    return rc;
}

/* --update: 1 when DIR/rel holds exactly text already (the page is kept, not replaced). */
static int page_unchanged(pond_export_ctx *ctx, const char *rel, const pond_buf *text)
{
    const pond_manifest *old = pond_export_ctx_old_manifest(ctx);
    pond_buf path = POND_BUF_INIT, have = POND_BUF_INIT;
    int same = 0;

    if (!old || !pond_manifest_find(old, rel))
        return 0;
    if (pond_buf_printf(&path, "%s/%s", pond_export_ctx_dir(ctx), rel) == POND_OK &&
        pond_fs_read_file(path.ptr, &have) == POND_OK)
        same = have.len == text->len && memcmp(have.ptr, text->ptr, text->len) == 0;
    pond_error_clear();
    pond_buf_free(&path);
    pond_buf_free(&have);
    return same;
}

/* The page's entry in the run's manifest. */
static int manifest_page(pond_export_ctx *ctx, const pond_collection *c, int stage_no,
                         const output *out, const char *inputs, const pond_buf *text,
                         size_t nrows)
{
    pond_manifest_output *o;
    pond_manifest_file f = {0};
    int rc = pond_manifest_add_output(pond_export_ctx_manifest(ctx), out->rel, "page", stage_no,
                                      c->in_pattern, c->template_path, NULL, &o);
    if (rc != POND_OK)
        return rc;
    memcpy(o->inputs_sha256, inputs, 65);
    f.name = "";
    f.has_window = out->has_start && out->has_end;
    f.start_ms = out->start;
    f.end_ms = out->end;
    f.has_rows = 1;
    f.rows = (int64_t)nrows;
    if ((rc = pond_export__sha256_hex(text->ptr ? text->ptr : "", text->len, f.sha256)))
        return rc;
    return pond_manifest_add_file(o, &f);
}

static int run_collection(pond_export_ctx *ctx, const pond_collection *c, const pond_stage *st,
                          int stage_no, json_t *vars, size_t *pages)
{
    int rc = POND_OK;
    outputs o = { 0 };
    duckdb_prepared_statement ps = NULL;
    pond_buf label = POND_BUF_INIT, sql = POND_BUF_INIT, text = POND_BUF_INIT;
    pond_buf staged = POND_BUF_INIT;
    int dry = pond_export_ctx_dry_run(ctx);
    size_t nmatched = 0, kept = 0;
    char inputs[65];

    if ((rc = pond_buf_printf(&label, "collection '%s'", c->name)) != POND_OK)
        goto done;
    if ((rc = plan_outputs(&o, ctx, c, stage_no, label.ptr, &nmatched)) != POND_OK)
        goto done;
    if ((rc = collection_hash(c, inputs)) != POND_OK) {
        rc = pond_error_wrap(rc, "%s", label.ptr);
        goto done;
    }
    if (nmatched == 0)
        pond_export_ctx_log(ctx, "note: collection '%s': no export_metadata rows have pattern "
                                 "'%s' (an in_pattern is a -p/patterns entry, exactly as "
                                 "given)", c->name, c->in_pattern);
    if (c->query) {
        if ((rc = pond_export__sql_rewrite_params(c->query, &sql)) != POND_OK)
            goto done;
        if (pond_export__sql_prepare_select(pond_export_ctx_con(ctx), sql.ptr, &ps, &text)) {
            rc = pond_error_set(POND_EINVALID, "%s: query: %s", label.ptr, text.ptr);
            goto done;
        }
    }

    for (size_t i = 0; i < o.n; i++) {
        output *out = &o.v[i];
        size_t nrows = 0;
        int page_kept = 0;
        /* A dry run lists the pages: no query (it could read files not written), no render. */
        if (!dry && (rc = render_output(ctx, c, ps, out, vars, label.ptr, &text, &nrows)))
            goto done;
        if ((rc = pond_export_ctx_claim_output(ctx, out->rel, 0, c->template_path, &staged))) {
            rc = pond_error_wrap(rc, "%s", label.ptr);
            goto done;
        }
        if (dry) {
            if ((rc = pond_export_progress_file(pond_export_ctx_progress(ctx), out->rel,
                                                c->template_path, -1)) != POND_OK)
                goto done;
        } else if ((page_kept = page_unchanged(ctx, out->rel, &text))) {
            kept++; /* --update: the same bytes are there already */
        } else if ((rc = write_file(staged.ptr, &text)) != POND_OK) {
            goto done;
        }
        if (!dry && (rc = manifest_page(ctx, c, stage_no, out, inputs, &text, nrows)))
            goto done;

        /* Recorded captures: the leading ones every file of the output shares. */
        size_t lead = 0;
        while (lead < out->ncaps && out->caps[lead])
            lead++;
        pond_captures rc_caps = { lead, out->caps };
        pond_export_record rec = { 0 };
        rec.pattern = c->in_pattern;
        rec.caps = &rc_caps;
        rec.file_path = out->rel;
        rec.has_start = out->has_start;
        rec.start_time = out->start;
        rec.has_end = out->has_end;
        rec.end_time = out->end;
        rec.has_row_count = !dry;
        rec.row_count = (int64_t)nrows;
        rec.stage = stage_no;
        rec.source = c->template_path;
        rec.kept = page_kept;
        if ((rc = pond_export_ctx_record(ctx, &rec)) != POND_OK)
            goto done;
        (*pages)++;
    }
    if (kept)
        pond_export_ctx_log(ctx, "wrote %zu page%s for collection '%s', kept %zu unchanged",
                            o.n - kept, o.n - kept == 1 ? "" : "s", c->name, kept);
    else
        pond_export_ctx_log(ctx, "%s %zu page%s for collection '%s'",
                            dry ? "would write" : "wrote", o.n, o.n == 1 ? "" : "s", c->name);
done:
    if (ps)
        duckdb_destroy_prepare(&ps);
    outputs_free(&o);
    pond_buf_free(&label);
    pond_buf_free(&sql);
    pond_buf_free(&text);
    pond_buf_free(&staged);
    return rc;
}

int pond_stage_run_template(pond_export_ctx *ctx, const pond_stage *st, int stage_no)
{
    int rc = POND_OK;
    json_t *vars = NULL;
    size_t pages = 0;

    if (!st->spec) {
        rc = pond_error_set(POND_EINVALID, "no template spec");
        goto done;
    }
    if ((rc = make_vars(&vars, ctx, st)) != POND_OK)
        goto done;
    for (size_t i = 0; i < st->spec->ncollections && rc == POND_OK; i++)
        rc = run_collection(ctx, &st->spec->collections[i], st, stage_no, vars, &pages);
    if (rc == POND_OK)
        rc = pond_export_ctx_flush(ctx);
done:
    json_decref(vars);
    return rc;
}
