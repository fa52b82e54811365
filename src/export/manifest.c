/*
 * export/manifest.c: the export manifest DIR/.pond-export.json (see manifest.h, docs/update.md).
 *
 *   {"pond_export_manifest": 1,
 *    "outputs": [{"path": …, "kind": …, "stage": …, "pattern": …, "source": …,
 *                 "options": {…}, "inputs_sha256": …, "schemas_sha256": …,
 *                 "versions": [{"version": …, "sha256": …, "min_time": µs|null,
 *                               "max_time": µs|null}, …],
 *                 "files": [{"name": …, "key": …|null, "start_time": ms|null,
 *                            "end_time": ms|null, "row_count": …|null, "sha256": …}, …]},
 *                …]}
 */
#include "export/manifest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "util/error.h"
#include "util/grow.h"

/* At most this many outputs, versions per output and files per output are read: a bound on
 * what a damaged or hostile manifest can make pond allocate. */
#define MAX_ENTRIES 100000000u

/* ---- building ---------------------------------------------------------------------------- */

int pond_manifest_add_output(pond_manifest *m, const char *rel, const char *kind, int stage,
                             const char *pattern, const char *source, json_t *options,
                             pond_manifest_output **out)
{
    pond_manifest_output *o;
    int rc = POND_GROW(m->v, m->n, m->cap);
    if (rc != POND_OK) {
        json_decref(options);
        return rc;
    }
    o = &m->v[m->n];
    memset(o, 0, sizeof *o);
    o->stage = stage;
    o->options = options ? options : json_object();
    if (!(o->rel = strdup(rel)) || !(o->kind = strdup(kind)) ||
        !(o->pattern = strdup(pattern ? pattern : "")) ||
        !(o->source = strdup(source ? source : "")) || !o->options) {
        free(o->rel);
        free(o->kind);
        free(o->pattern);
        free(o->source);
        json_decref(o->options);
        return pond_error_oom();
    }
    m->n++;
    m->sorted = 0;
    if (out)
        *out = o;
    return POND_OK;
}

int pond_manifest_add_version(pond_manifest_output *o, const pond_manifest_version *v)
{
    int rc = POND_GROW(o->versions, o->nversions, o->capversions);
    if (rc == POND_OK)
        o->versions[o->nversions++] = *v;
    return rc;
}

int pond_manifest_add_file(pond_manifest_output *o, const pond_manifest_file *f)
{
    int rc = POND_GROW(o->files, o->nfiles, o->capfiles);
    if (rc != POND_OK)
        return rc;
    o->files[o->nfiles] = *f;
    if (!(o->files[o->nfiles].name = strdup(f->name ? f->name : "")))
        return pond_error_oom();
    o->nfiles++;
    return POND_OK;
}

static int by_rel(const void *a, const void *b)
{
    return strcmp(((const pond_manifest_output *)a)->rel, ((const pond_manifest_output *)b)->rel);
}

void pond_manifest_sort(pond_manifest *m)
{
    if (m->n > 1)
        qsort(m->v, m->n, sizeof *m->v, by_rel);
    m->sorted = 1;
}

const pond_manifest_output *pond_manifest_find(const pond_manifest *m, const char *rel)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->v[mid].rel, rel);
        if (c == 0)
            return &m->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void pond_manifest_free(pond_manifest *m)
{
    for (size_t i = 0; i < m->n; i++) {
        pond_manifest_output *o = &m->v[i];
        free(o->rel);
        free(o->kind);
        free(o->pattern);
        free(o->source);
        json_decref(o->options);
        free(o->versions);
        for (size_t j = 0; j < o->nfiles; j++)
            free(o->files[j].name);
        free(o->files);
    }
    free(m->v);
    *m = (pond_manifest)POND_MANIFEST_INIT;
}

/* ---- writing ----------------------------------------------------------------------------- */

static json_t *int_or_null(int has, int64_t v) { return has ? json_integer(v) : json_null(); }

static json_t *output_json(const pond_manifest_output *o)
{
    json_t *versions = json_array(), *files = json_array();
    for (size_t i = 0; versions && i < o->nversions; i++) {
        const pond_manifest_version *v = &o->versions[i];
        json_array_append_new(versions,
                              json_pack("{s:I, s:s, s:o, s:o}", "version", (json_int_t)v->version,
                                        "sha256", v->sha256, "min_time",
                                        int_or_null(v->has_time, v->min_us), "max_time",
                                        int_or_null(v->has_time, v->max_us)));
    }
    for (size_t i = 0; files && i < o->nfiles; i++) {
        const pond_manifest_file *f = &o->files[i];
        json_t *jf = json_pack("{s:s, s:o, s:o, s:o, s:o}", "name", f->name, "key",
                               int_or_null(f->key_ok, f->key), "start_time",
                               int_or_null(f->has_window, f->start_ms), "end_time",
                               int_or_null(f->has_window, f->end_ms), "row_count",
                               int_or_null(f->has_rows, f->rows));
        if (jf && f->sha256[0])
            json_object_set_new(jf, "sha256", json_string(f->sha256));
        json_array_append_new(files, jf);
    }
    return json_pack("{s:s, s:s, s:i, s:s, s:s, s:O, s:s, s:s, s:o, s:o}", "path", o->rel,
                     "kind", o->kind, "stage", o->stage, "pattern", o->pattern, "source",
                     o->source, "options", o->options, "inputs_sha256", o->inputs_sha256,
                     "schemas_sha256", o->schemas_sha256, "versions", versions, "files", files);
}

int pond_manifest_write(const pond_manifest *m, const char *path)
{
    json_t *outputs = json_array(), *root;
    int rc = POND_OK;

    for (size_t i = 0; outputs && i < m->n; i++) {
        json_t *o = output_json(&m->v[i]);
        if (!o || json_array_append_new(outputs, o) != 0) {
            json_decref(outputs);
            return pond_error_set(POND_ERROR, "cannot build the export manifest for '%s' "
                                              "(text that is not UTF-8?)", m->v[i].rel);
        }
    }
    root = json_pack("{s:i, s:o}", "pond_export_manifest", POND_MANIFEST_FORMAT, "outputs",
                     outputs);
    if (!root)
        return pond_error_oom();
    if (json_dump_file(root, path, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0)
        rc = pond_error_set(POND_ERROR, "cannot write the export manifest '%s': %s", path,
                            strerror(errno));
    json_decref(root);
    return rc;
}

/* ---- reading ----------------------------------------------------------------------------- */

typedef struct reader {
    const char *path;
    pond_buf where; /* "output 3 'BDock'" */
} reader;

static int damaged(reader *r, const char *what)
{
    return pond_error_set(POND_ECORRUPT, "export manifest '%s' is damaged: %s%s%s", r->path,
                          r->where.len ? r->where.ptr : "", r->where.len ? ": " : "", what);
}

/* Field key of the object being read is missing or not what (e.g. "a string"). */
static int not_a(reader *r, const char *key, const char *what)
{
    pond_buf msg = POND_BUF_INIT;
    pond_buf_printf(&msg, "'%s' is missing or not %s", key, what);
    int rc = damaged(r, msg.ptr);
    pond_buf_free(&msg);
    return rc;
}

static int get_str(reader *r, json_t *obj, const char *key, const char **out)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) {
        return not_a(r, key, "a string");
    }
    *out = json_string_value(v);
    return POND_OK;
}

/* An integer or null (*has = 0); null is refused when has is NULL. */
static int get_int(reader *r, json_t *obj, const char *key, int *has, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (has && (!v || json_is_null(v))) {
        *has = 0;
        *out = 0;
        return POND_OK;
    }
    if (!json_is_integer(v)) {
        return not_a(r, key, "an integer");
    }
    if (has)
        *has = 1;
    *out = (int64_t)json_integer_value(v);
    return POND_OK;
}

static int get_sha(reader *r, json_t *obj, const char *key, int optional, char out[65])
{
    const char *s;
    int rc;
    out[0] = '\0';
    if (optional && !json_object_get(obj, key))
        return POND_OK;
    if ((rc = get_str(r, obj, key, &s)) != POND_OK)
        return rc;
    size_t n = strlen(s);
    if (n != 0 && (n != 64 || strspn(s, "0123456789abcdef") != 64))
        return damaged(r, "a sha256 that is not 64 lowercase hex digits");
    memcpy(out, s, n + 1);
    return POND_OK;
}

static int get_array(reader *r, json_t *obj, const char *key, json_t **out)
{
    *out = json_object_get(obj, key);
    if (!json_is_array(*out) || json_array_size(*out) > MAX_ENTRIES) {
        return not_a(r, key, "a list");
    }
    return POND_OK;
}

static int read_version(reader *r, json_t *jv, pond_manifest_output *o)
{
    pond_manifest_version v = {0};
    int has_max = 0, rc;
    if (!json_is_object(jv))
        return damaged(r, "a version that is not an object");
    if ((rc = get_int(r, jv, "version", NULL, &v.version)) ||
        (rc = get_sha(r, jv, "sha256", 0, v.sha256)) ||
        (rc = get_int(r, jv, "min_time", &v.has_time, &v.min_us)) ||
        (rc = get_int(r, jv, "max_time", &has_max, &v.max_us)))
        return rc;
    if (has_max != v.has_time)
        return damaged(r, "a version with only one of min_time and max_time");
    return pond_manifest_add_version(o, &v);
}

static int read_file(reader *r, json_t *jf, pond_manifest_output *o)
{
    pond_manifest_file f = {0};
    int has_end = 0, rc;
    if (!json_is_object(jf))
        return damaged(r, "a file that is not an object");
    if ((rc = get_str(r, jf, "name", (const char **)&f.name)) ||
        (rc = get_int(r, jf, "key", &f.key_ok, &f.key)) ||
        (rc = get_int(r, jf, "start_time", &f.has_window, &f.start_ms)) ||
        (rc = get_int(r, jf, "end_time", &has_end, &f.end_ms)) ||
        (rc = get_int(r, jf, "row_count", &f.has_rows, &f.rows)) ||
        (rc = get_sha(r, jf, "sha256", 1, f.sha256)))
        return rc;
    if (has_end != f.has_window)
        return damaged(r, "a file with only one of start_time and end_time");
    if (strstr(f.name, "..") || f.name[0] == '/')
        return damaged(r, "a file name that leaves its output directory");
    return pond_manifest_add_file(o, &f);
}

static int read_output(reader *r, json_t *jo, size_t index, pond_manifest *m)
{
    const char *rel = NULL, *kind, *pattern, *source;
    json_t *options, *versions, *files;
    int64_t stage;
    pond_manifest_output *o;
    int rc;

    pond_buf_clear(&r->where);
    if ((rc = pond_buf_printf(&r->where, "output %zu", index + 1)) != POND_OK)
        return rc;
    if (!json_is_object(jo))
        return damaged(r, "not an object");
    if ((rc = get_str(r, jo, "path", &rel)) != POND_OK)
        return rc;
    if (!*rel || rel[0] == '/' || strstr(rel, ".."))
        return damaged(r, "a path that is empty or leaves the output directory");
    if ((rc = pond_buf_printf(&r->where, " '%s'", rel)) != POND_OK)
        return rc;
    if ((rc = get_str(r, jo, "kind", &kind)) || (rc = get_int(r, jo, "stage", NULL, &stage)) ||
        (rc = get_str(r, jo, "pattern", &pattern)) || (rc = get_str(r, jo, "source", &source)) ||
        (rc = get_array(r, jo, "versions", &versions)) ||
        (rc = get_array(r, jo, "files", &files)))
        return rc;
    if (strcmp(kind, "series") && strcmp(kind, "table") && strcmp(kind, "data") &&
        strcmp(kind, "page"))
        return damaged(r, "an unknown kind");
    if (stage < 1 || stage > 1000000)
        return damaged(r, "a stage number out of range");
    options = json_object_get(jo, "options");
    if (!json_is_object(options))
        return damaged(r, "'options' is missing or not an object");
    if ((rc = pond_manifest_add_output(m, rel, kind, (int)stage, pattern, source,
                                       json_incref(options), &o)) != POND_OK)
        return rc;
    if ((rc = get_sha(r, jo, "inputs_sha256", 0, o->inputs_sha256)) ||
        (rc = get_sha(r, jo, "schemas_sha256", 0, o->schemas_sha256)))
        return rc;
    for (size_t i = 0; i < json_array_size(versions); i++)
        if ((rc = read_version(r, json_array_get(versions, i), o)) != POND_OK)
            return rc;
    for (size_t i = 0; i < json_array_size(files); i++)
        if ((rc = read_file(r, json_array_get(files, i), o)) != POND_OK)
            return rc;
    return POND_OK;
}

int pond_manifest_read(pond_manifest *m, const char *path)
{
    reader r = {path, POND_BUF_INIT};
    json_error_t jerr;
    json_t *root = NULL, *outputs;
    int64_t format;
    int rc = POND_OK;
    FILE *f = fopen(path, "rb");

    if (!f)
        return pond_error_set(errno == ENOENT ? POND_ENOTFOUND : POND_ERROR,
                              "cannot open export manifest '%s': %s", path, strerror(errno));
    root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    if (!root) {
        rc = pond_error_set(POND_ECORRUPT, "export manifest '%s' is damaged: line %d: %s", path,
                            jerr.line, jerr.text);
        goto done;
    }
    if (!json_is_object(root)) {
        rc = damaged(&r, "not a JSON object");
        goto done;
    }
    if ((rc = get_int(&r, root, "pond_export_manifest", NULL, &format)) != POND_OK)
        goto done;
    if (format != POND_MANIFEST_FORMAT) {
        rc = pond_error_set(POND_ECORRUPT,
                            "export manifest '%s' has format %lld; this pond reads format %d",
                            path, (long long)format, POND_MANIFEST_FORMAT);
        goto done;
    }
    if ((rc = get_array(&r, root, "outputs", &outputs)) != POND_OK)
        goto done;
    for (size_t i = 0; i < json_array_size(outputs); i++)
        if ((rc = read_output(&r, json_array_get(outputs, i), i, m)) != POND_OK)
            goto done;
    pond_manifest_sort(m);
    for (size_t i = 1; i < m->n; i++)
        if (strcmp(m->v[i - 1].rel, m->v[i].rel) == 0) {
            pond_buf_clear(&r.where);
            rc = damaged(&r, "an output path listed twice");
            goto done;
        }
done:
    if (rc != POND_OK)
        pond_manifest_free(m);
    json_decref(root);
    pond_buf_free(&r.where);
    return rc;
}
