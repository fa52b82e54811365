/*
 * export/stage_data_update.c: the data export's side of the manifest (each output's entry,
 * each written or kept file in it) and of --update (docs/update.md): the plan of each output
 * against the last manifest (update_plan.h), outputs kept whole, and partial rewrites, whose
 * COPYs are the ordinary ones (data_export_write_table) bounded to the windows of the dirty
 * partition keys (update_keys.h).
 */
#include <stdlib.h>
#include <string.h>
#include "export/data_export_int.h"
#include "export/partition_plan.h"
#include "export/partition_write.h"
#include "export/update_keys.h"
#include "util/fs.h"

static const char *kind_of(const match *m)
{
    return m->type == POND_ENTRY_DATA ? "data" : m->type == POND_ENTRY_SERIES ? "series" : "table";
}

/* --update: what to do with m's output (update_plan.h), from the last manifest; a kept
 * output's staged directory goes again (nothing of it is moved at the commit), a partial
 * one's stays for the partitions written again. */
int data_export_plan_update(stage_state *s, match *m)
{
    const pond_manifest *old = pond_export_ctx_old_manifest(s->ctx);
    pond_manifest_output now = {0};
    pond_buf final = POND_BUF_INIT;
    int rc;

    m->old = old ? pond_manifest_find(old, m->rel) : NULL;
    now.rel = m->rel;
    now.kind = (char *)kind_of(m);
    now.options = s->options;
    memcpy(now.inputs_sha256, m->inputs_sha256, sizeof now.inputs_sha256);
    memcpy(now.schemas_sha256, m->schemas_sha256, sizeof now.schemas_sha256);
    now.versions = m->versions;
    now.nversions = m->nfiles;
    if ((rc = pond_update_plan_output(m->old, &now, s->nlevels > 0, &m->upd)) != POND_OK)
        return rc;
    /* By minute outside UTC an hour of local minutes repeats when the clocks go back, so a
     * partition's rows are not one stretch of time and a COPY bounded by time cannot write it
     * whole: such an output is written whole (minute partitions are rare). */
    if (m->upd.action == POND_UPDATE_PARTIAL && s->nlevels == POND_TEMPORAL_MAX &&
        !data_export_is_utc(s)) {
        pond_update_decision_free(&m->upd);
        m->upd.action = POND_UPDATE_WRITE;
        m->upd.why = "partitioned by minute outside UTC";
    }
    /* an output kept or partly kept must still be there */
    if (m->upd.action != POND_UPDATE_WRITE &&
        ((rc = pond_buf_printf(&final, "%s/%s", pond_export_ctx_dir(s->ctx), m->rel)) ||
         !pond_fs_exists(final.ptr))) {
        pond_update_decision_free(&m->upd);
        m->upd.action = POND_UPDATE_WRITE;
        m->upd.why = "it is missing";
    }
    pond_buf_free(&final);
    if (rc == POND_OK && m->upd.action != POND_UPDATE_WRITE)
        rc = pond_export_ctx_keep_last(s->ctx, m->upd.action == POND_UPDATE_PARTIAL);
    return rc;
}

/* The file name of file_path within m's output ("" for a data file, which is the output). */
static const char *name_in_output(const match *m, const char *file_path)
{
    size_t n = strlen(m->rel);
    return file_path[n] == '/' ? file_path + n + 1 : file_path + n;
}

/* A written file: its export_metadata rows and its entry in the manifest (partition key kf
 * when partitioned, NULL else). */
int data_export_record_written(stage_state *s, const match *m, const char *file_path,
                               const pond_written_file *kf, int has_window, int64_t start_ms,
                               int64_t end_ms, int has_rows, int64_t rows)
{
    pond_manifest_file f = {0};
    int rc = data_export_record_file(s, m, file_path, has_window, start_ms, end_ms, has_rows,
                                     rows, 0);
    if (rc != POND_OK || !s->entry)
        return rc;
    f.name = (char *)name_in_output(m, file_path);
    f.key_ok = kf && kf->key_ok;
    f.key = kf ? kf->key : 0;
    f.has_window = has_window;
    f.start_ms = start_ms;
    f.end_ms = end_ms;
    f.has_rows = has_rows;
    f.rows = rows;
    if (m->type == POND_ENTRY_DATA && m->data_sha256)
        snprintf(f.sha256, sizeof f.sha256, "%s", m->data_sha256);
    return pond_manifest_add_file(s->entry, &f);
}

/* m's entry in the run's manifest, without files (data_export_record_written adds them):
 * s->entry. */
int data_export_begin_entry(stage_state *s, const match *m)
{
    json_t *opts = json_deep_copy(s->options);
    pond_manifest_output *o;
    int rc = pond_manifest_add_output(pond_export_ctx_manifest(s->ctx), m->rel, kind_of(m),
                                      s->stage_no, m->pattern, m->path, opts, &o);
    if (rc != POND_OK)
        return rc;
    memcpy(o->inputs_sha256, m->inputs_sha256, sizeof o->inputs_sha256);
    memcpy(o->schemas_sha256, m->schemas_sha256, sizeof o->schemas_sha256);
    for (size_t i = 0; i < m->nfiles && rc == POND_OK; i++)
        rc = pond_manifest_add_version(o, &m->versions[i]);
    s->entry = o;
    return rc;
}


/* A file kept from the last export: its export_metadata rows (written false) and its entry
 * in this run's manifest, both from the last manifest. */
static int keep_file(stage_state *s, const match *m, const pond_manifest_file *f)
{
    pond_buf path = POND_BUF_INIT;
    int rc;

    if ((rc = pond_buf_printf(&path, "%s%s%s", m->rel, *f->name ? "/" : "", f->name)) != POND_OK)
        goto done;
    if ((rc = data_export_record_file(s, m, path.ptr, f->has_window, f->start_ms, f->end_ms,
                                      f->has_rows, f->rows, 1)) == POND_OK)
        rc = pond_manifest_add_file(s->entry, f);
    s->kept_files++;
done:
    pond_buf_free(&path);
    return rc;
}

/* The directory of a partition file name ("year=2024/month=7/data.parquet" -> 19 chars). */
static size_t dir_len(const char *name)
{
    const char *slash = strrchr(name, '/');
    return slash ? (size_t)(slash - name) : 0;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The partition directories of e's files from index from on (once per file), sorted. */
static int written_dirs(const pond_manifest_output *e, size_t from, char ***out, size_t *n)
{
    char **v = calloc(e->nfiles - from + 1, sizeof *v);
    size_t k = 0;
    if (!v)
        return pond_error_oom();
    for (size_t i = from; i < e->nfiles; i++)
        if (!(v[k++] = strndup(e->files[i].name, dir_len(e->files[i].name)))) {
            for (size_t j = 0; j + 1 < k; j++)
                free(v[j]);
            free(v);
            return pond_error_oom();
        }
    qsort(v, k, sizeof *v, by_str);
    *out = v;
    *n = k;
    return POND_OK;
}

/* A partial --update of m: the partitions overlapping a dirty range are written again whole
 * (one COPY per merged key range, bounded by the ranges' windows); each old partition there
 * that is not written again is removed; every other old file is kept. */
int data_export_update_partial(stage_state *s, const match *m, int dry)
{
    pond_key_range *keys = NULL;
    size_t nkeys = 0;
    time_window *ranges = NULL;
    pond_buf part = POND_BUF_INIT, last = POND_BUF_INIT;
    const pond_manifest_output *old = m->old;
    char **dirs = NULL;
    size_t ndirs = 0;
    int rc;

    if ((rc = pond_update_dirty_keys(pond_export_ctx_con(s->ctx), s->nlevels, m->upd.dirty,
                                     m->upd.ndirty, &keys, &nkeys)) != POND_OK)
        goto done;
    if (!(ranges = calloc(nkeys ? nkeys : 1, sizeof *ranges))) {
        rc = pond_error_oom();
        goto done;
    }
    for (size_t i = 0; i < nkeys; i++) {
        int64_t lo[POND_TEMPORAL_MAX], hi[POND_TEMPORAL_MAX], ws, we, ws2, we2;
        pond_partition_key_levels(s->nlevels, keys[i].lo, lo);
        pond_partition_key_levels(s->nlevels, keys[i].hi, hi);
        if ((rc = pond_temporal_window(s->windows, lo, &ws, &we)) ||
            (rc = pond_temporal_window(s->windows, hi, &ws2, &we2)))
            goto done;
        ranges[i] = (time_window){1, 1, ws * 1000, we2 * 1000};
    }
    size_t files_before = s->files, kept = 0, entry_files_before = s->entry->nfiles;
    if (dry) {
        for (size_t i = 0; i < nkeys && rc == POND_OK; i++) {
            int had_start = s->has_start, had_end = s->has_end;
            int64_t start_us = s->start_us, end_us = s->end_us;
            data_export_narrow_bounds(s, &ranges[i]);
            rc = data_export_dry_run_table(s, m);
            s->has_start = had_start;
            s->has_end = had_end;
            s->start_us = start_us;
            s->end_us = end_us;
        }
    } else {
        rc = data_export_write_table(s, m, ranges, nkeys);
    }
    if (rc != POND_OK)
        goto done;
    /* the partition directories written now (sorted), then the old files: kept outside the
     * dirty keys; inside them replaced by what was written, or removed when nothing was */
    if ((rc = written_dirs(s->entry, entry_files_before, &dirs, &ndirs)) != POND_OK)
        goto done;
    for (size_t i = 0; i < old->nfiles; i++) {
        const pond_manifest_file *f = &old->files[i];
        if (!f->key_ok || !pond_update_key_dirty(keys, nkeys, f->key)) {
            if ((rc = keep_file(s, m, f)) != POND_OK)
                goto done;
            kept++;
            continue;
        }
        pond_buf_clear(&part);
        if ((rc = pond_buf_put(&part, f->name, dir_len(f->name))) != POND_OK)
            goto done;
        if ((last.len && strcmp(last.ptr, part.ptr) == 0) ||
            bsearch(&(const char *){part.ptr}, dirs, ndirs, sizeof *dirs, by_str))
            continue; /* another file of the same partition, or a partition written again */
        pond_buf_clear(&last);
        if ((rc = pond_buf_puts(&last, part.ptr)) != POND_OK)
            goto done;
        pond_buf_clear(&part);
        if ((rc = pond_buf_printf(&part, "%s/%s", m->rel, last.ptr)) != POND_OK)
            goto done;
        if (dry)
            pond_export_ctx_log(s->ctx, "would remove %s/%s", pond_export_ctx_dir(s->ctx),
                                part.ptr);
        else if ((rc = pond_export_ctx_remove(s->ctx, part.ptr)) != POND_OK)
            goto done;
        s->removed_parts++;
    }
    s->partial++;
    pond_export_ctx_log(s->ctx, "%s: %s %zu partition file%s, kept %zu", m->path,
                        dry ? "would write" : "wrote", s->files - files_before,
                        s->files - files_before == 1 ? "" : "s", kept);
done:
    for (size_t i = 0; i < ndirs; i++)
        free(dirs[i]);
    free(dirs);
    free(keys);
    free(ranges);
    pond_buf_free(&part);
    pond_buf_free(&last);
    return rc;
}

/* An output kept whole: every file of it from the manifest. */
int data_export_update_keep(stage_state *s, const match *m)
{
    int rc = POND_OK;
    for (size_t i = 0; i < m->old->nfiles && rc == POND_OK; i++)
        rc = keep_file(s, m, &m->old->files[i]);
    s->kept++;
    return rc;
}

