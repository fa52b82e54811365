/*
 * mustache/render.c: a parsed tree + a JSON context -> text appended to a pond_buf.
 *
 * The renderer keeps three stacks:
 *  - the context stack (borrowed json_t pointers): sections push, names are looked up from
 *    the top down, and a dotted name resolves its first part that way and the rest inside it;
 *  - the indentation steps: each MN_LINE node prints its line's leading blanks transformed by
 *    every active step, innermost first (a step strips a prefix, then adds one).  A standalone
 *    partial or parent adds its tag's blanks; an overriding block strips the indentation it
 *    was written with and adds the one of the site it fills.  Text that comes from data is
 *    never re-indented, only template lines are;
 *  - the override scopes of the parents being rendered: a block renders the outermost
 *    override of its name, so the top-level template wins over the parents it extends.
 *
 * Every descent into a section, inverted section, partial, parent or block counts one level;
 * past POND_MUSTACHE_MAX_DEPTH the render stops with "nested too deep" at the tag that went
 * too far, which ends a partial that includes itself forever, or a block whose override holds
 * a block of the same name, before the stack does.  Every node visited counts one step, and
 * the steps and the bytes written are bounded too (POND_MUSTACHE_MAX_STEPS, _MAX_OUTPUT), so
 * sections that repeat each other's lists cannot run for ever within the depth limit.
 *
 * Values: strings as they are, integers in decimal, reals in the shortest form that reads
 * back to the same double, true/false as words, null and missing names as nothing, arrays
 * and objects as compact JSON.  {{name}} escapes & < > " for HTML.  Sections skip false,
 * null, missing names, [] and ""; they repeat over the items of a non-empty array and push any
 * other value once.
 */
#include "mustache/mustache_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct indent_step {
    const char *strip, *add;
    size_t strip_len, add_len;
} indent_step;

typedef struct override_scope {
    const mustache_list *blocks; /* a parent tag's children */
    const struct override_scope *outer;
} override_scope;

typedef struct renderer {
    pond_mustache *t;
    pond_buf *out;
    json_t **ctx;
    size_t nctx, capctx;
    indent_step *ind;
    size_t nind, capind;
    size_t ind_base; /* steps below this do not apply (inside a partial that is not standalone) */
    const override_scope *ov;
    int depth; /* levels entered (see descend()) */
    size_t steps; /* nodes visited, against POND_MUSTACHE_MAX_STEPS */
    size_t out_start; /* out->len when the render began */
    pond_buf line; /* scratch for re-indenting one line's blanks */
} renderer;

static int render_list(renderer *r, const mustache_list *l, size_t from);

/* Render l (from its item from) one level below tag n, or refuse if that is too deep. */
static int descend(renderer *r, const mustache_node *n, const mustache_list *l, size_t from)
{
    if (r->depth >= POND_MUSTACHE_MAX_DEPTH)
        return mustache__too_deep(n->origin, n->line, n->col);
    r->depth++;
    int rc = render_list(r, l, from);
    r->depth--;
    return rc;
}

static int push_ctx(renderer *r, json_t *v)
{
    if (r->nctx == r->capctx) {
        size_t cap = r->capctx ? 2 * r->capctx : 16;
        json_t **p = realloc(r->ctx, cap * sizeof *p);
        if (!p)
            return pond_error_oom();
        r->ctx = p;
        r->capctx = cap;
    }
    r->ctx[r->nctx++] = v;
    return POND_OK;
}

static int push_indent(renderer *r, const char *strip, size_t strip_len, const char *add,
                       size_t add_len)
{
    if (!strip_len && !add_len)
        return POND_OK; /* a no-op step; callers restore nind, so skipping it is safe */
    if (r->nind == r->capind) {
        size_t cap = r->capind ? 2 * r->capind : 16;
        indent_step *p = realloc(r->ind, cap * sizeof *p);
        if (!p)
            return pond_error_oom();
        r->ind = p;
        r->capind = cap;
    }
    r->ind[r->nind++] = (indent_step){strip, add, strip_len, add_len};
    return POND_OK;
}

/* How much of s to drop for strip: all of it if s starts with it, else the leading blanks up
 * to its length (a line indented less than the first one loses what it has). */
static size_t strip_amount(const char *s, size_t n, const char *strip, size_t strip_len)
{
    if (n >= strip_len && memcmp(s, strip, strip_len) == 0)
        return strip_len;
    size_t k = 0;
    while (k < n && k < strip_len && (s[k] == ' ' || s[k] == '\t'))
        k++;
    return k;
}

/* Print a template line's leading blanks through the active indentation steps. */
static int emit_line(renderer *r, const char *w, size_t n)
{
    if (r->nind == r->ind_base)
        return pond_buf_put(r->out, w, n);
    pond_buf *b = &r->line;
    int rc;
    pond_buf_clear(b);
    if ((rc = pond_buf_put(b, w, n)))
        return rc;
    for (size_t i = r->nind; i-- > r->ind_base;) {
        const indent_step *s = &r->ind[i];
        size_t k = strip_amount(b->ptr, b->len, s->strip, s->strip_len);
        if ((rc = pond_buf_grow(b, s->add_len)))
            return rc;
        memmove(b->ptr + s->add_len, b->ptr + k, b->len - k + 1);
        memcpy(b->ptr, s->add, s->add_len);
        b->len = b->len - k + s->add_len;
    }
    return pond_buf_put(r->out, b->ptr, b->len);
}

static json_t *child(json_t *v, const char *key)
{
    if (json_is_object(v))
        return json_object_get(v, key);
    if (json_is_array(v) && *key && strspn(key, "0123456789") == strlen(key))
        return json_array_get(v, strtoul(key, NULL, 10));
    return NULL;
}

static json_t *lookup(const renderer *r, const mustache_node *n)
{
    if (n->nseg == 0)
        return r->nctx ? r->ctx[r->nctx - 1] : NULL;
    const char *seg = n->path;
    json_t *v = NULL;
    for (size_t i = r->nctx; i-- > 0 && !v;)
        v = child(r->ctx[i], seg);
    for (size_t k = 1; v && k < n->nseg; k++) {
        seg += strlen(seg) + 1;
        v = child(v, seg);
    }
    return v;
}

static int truthy(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return 0;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    return 1;
}

/* The shortest %g form that reads back as d (1.210 -> "1.21"). */
static int put_real(pond_buf *b, double d)
{
    char s[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(s, sizeof s, "%.*g", prec, d);
        if (strtod(s, NULL) == d)
            break;
    }
    return pond_buf_puts(b, s);
}

/* Append v as text (see the file comment). */
static int put_value(pond_buf *b, json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return pond_buf_put(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return pond_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    case JSON_REAL:
        return put_real(b, json_real_value(v));
    case JSON_TRUE:
        return pond_buf_puts(b, "true");
    case JSON_FALSE:
        return pond_buf_puts(b, "false");
    case JSON_NULL:
        return POND_OK;
    default: {
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!s)
            return pond_error_oom();
        int rc = pond_buf_puts(b, s);
        free(s);
        return rc;
    }
    }
}

static int put_escaped(pond_buf *out, const char *s, size_t n)
{
    int rc = POND_OK;
    size_t from = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *e = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;"
                      : s[i] == '"' ? "&quot;" : NULL;
        if (!e)
            continue;
        if (!(rc = pond_buf_put(out, s + from, i - from)))
            rc = pond_buf_puts(out, e);
        from = i + 1;
    }
    return rc ? rc : pond_buf_put(out, s + from, n - from);
}

static int render_var(renderer *r, const mustache_node *n)
{
    json_t *v = lookup(r, n);
    if (!v)
        return POND_OK;
    if (!n->escape || json_is_number(v) || json_is_boolean(v))
        return put_value(r->out, v);
    if (json_is_string(v))
        return put_escaped(r->out, json_string_value(v), json_string_length(v));
    pond_buf tmp = POND_BUF_INIT;
    int rc = put_value(&tmp, v);
    if (!rc)
        rc = put_escaped(r->out, tmp.ptr, tmp.len);
    pond_buf_free(&tmp);
    return rc;
}

static int render_section(renderer *r, const mustache_node *n)
{
    json_t *v = lookup(r, n);
    int rc = POND_OK;
    if (n->type == MN_INVERTED)
        return truthy(v) ? POND_OK : descend(r, n, &n->children, 0);
    if (!truthy(v))
        return POND_OK;
    if (!json_is_array(v)) {
        if ((rc = push_ctx(r, v)))
            return rc;
        rc = descend(r, n, &n->children, 0);
        r->nctx--;
        return rc;
    }
    for (size_t i = 0; i < json_array_size(v) && !rc; i++) {
        if ((rc = push_ctx(r, json_array_get(v, i))))
            break;
        rc = descend(r, n, &n->children, 0);
        r->nctx--;
    }
    return rc;
}

/* {{>name}} and {{<name}}…{{/name}}: render the named template in the current context. */
static int render_partial(renderer *r, const mustache_node *n)
{
    pond_buf dyn = POND_BUF_INIT;
    const char *name = n->name;
    const mustache_tpl *tpl = NULL;
    size_t saved_nind = r->nind, saved_base = r->ind_base;
    const override_scope *saved_ov = r->ov;
    override_scope scope = {&n->children, r->ov};
    int rc = POND_OK;

    if (n->dynamic) {
        json_t *v = lookup(r, n);
        if (!v || json_is_null(v) || (rc = put_value(&dyn, v)))
            goto done;
        name = dyn.ptr;
    }
    if ((rc = mustache__get_partial(r->t, name, &tpl)) || !tpl)
        goto done;
    /* A standalone tag's blanks indent every line of the partial.  Inline, the partial's text
     * just continues the line, and no indentation from outside applies to it either. */
    if (n->standalone)
        rc = push_indent(r, "", 0, n->indent, n->indent_len);
    else
        r->ind_base = r->nind;
    if (rc)
        goto done;
    if (n->type == MN_PARENT)
        r->ov = &scope;
    rc = descend(r, n, &tpl->root, 0);
done:
    r->ov = saved_ov;
    r->nind = saved_nind;
    r->ind_base = saved_base;
    pond_buf_free(&dyn);
    return rc;
}

/* The override of block b from the parents being rendered: the outermost one wins. */
static const mustache_node *find_override(const renderer *r, const mustache_node *b)
{
    const mustache_node *found = NULL;
    for (const override_scope *s = r->ov; s; s = s->outer) {
        for (size_t i = 0; i < s->blocks->n; i++) {
            const mustache_node *c = &s->blocks->v[i];
            if (c->type == MN_BLOCK && strcmp(c->name, b->name) == 0) {
                found = c;
                break;
            }
        }
    }
    return found;
}

/* {{$name}}default{{/name}}: the override, re-indented from where it was written to here. */
static int render_block(renderer *r, const mustache_node *b)
{
    const mustache_node *d = find_override(r, b);
    if (!d || d == b)
        return descend(r, b, &b->children, 0);

    const mustache_list *c = &d->children;
    size_t saved_nind = r->nind, from = 0;
    int rc = POND_OK;
    if (!b->standalone && c->n && c->v[0].type == MN_LINE) {
        /* The site's line is already under way (e.g. "  {{$b}}{{/b}}"), so the override's
         * first line continues it: it loses its own indentation and gets none. */
        const mustache_node *l = &c->v[0];
        size_t k = strip_amount(l->text, l->len, d->indent, d->indent_len);
        if ((rc = pond_buf_put(r->out, l->text + k, l->len - k)))
            return rc;
        from = 1;
    }
    if ((rc = push_indent(r, d->indent, d->indent_len, b->indent, b->indent_len)))
        return rc;
    if (b->standalone && c->n && c->v[0].type != MN_LINE &&
        (c->v[0].type == MN_TEXT || !c->v[0].standalone)) {
        /* The site's line was removed but the override starts mid-line: indent it here. */
        rc = emit_line(r, "", 0);
    }
    if (!rc)
        rc = descend(r, b, c, from);
    r->nind = saved_nind;
    return rc;
}

/* Count one step at n and refuse a render that has done or written too much.  Only tags are
 * checked (text nodes carry no origin); text between two tags is bounded by the template. */
static int within_budget(renderer *r, const mustache_node *n)
{
    r->steps++;
    if (n->type == MN_TEXT || n->type == MN_LINE)
        return POND_OK;
    if (r->steps > POND_MUSTACHE_MAX_STEPS)
        return pond_error_set(POND_EINVALID,
                              "%s:%d:%d: too much to render (more than %d template steps: "
                              "sections repeat each other's lists too often)",
                              n->origin, n->line, n->col, POND_MUSTACHE_MAX_STEPS);
    if (r->out->len - r->out_start > POND_MUSTACHE_MAX_OUTPUT)
        return pond_error_set(POND_EINVALID,
                              "%s:%d:%d: too much to render (the output is over %u MiB)",
                              n->origin, n->line, n->col, POND_MUSTACHE_MAX_OUTPUT >> 20);
    return POND_OK;
}

static int render_list(renderer *r, const mustache_list *l, size_t from)
{
    int rc = POND_OK;
    for (size_t i = from; i < l->n && !rc; i++) {
        const mustache_node *n = &l->v[i];
        if ((rc = within_budget(r, n)))
            break;
        switch (n->type) {
        case MN_TEXT:
            rc = pond_buf_put(r->out, n->text, n->len);
            break;
        case MN_LINE:
            rc = emit_line(r, n->text, n->len);
            break;
        case MN_VAR:
            rc = render_var(r, n);
            break;
        case MN_SECTION:
        case MN_INVERTED:
            rc = render_section(r, n);
            break;
        case MN_PARTIAL:
        case MN_PARENT:
            rc = render_partial(r, n);
            break;
        case MN_BLOCK:
            rc = render_block(r, n);
            break;
        }
    }
    return rc;
}

int mustache__render(pond_mustache *t, const mustache_tpl *tpl, json_t *context, pond_buf *out)
{
    renderer r = {.t = t, .out = out, .out_start = out->len, .line = POND_BUF_INIT};
    size_t len = out->len;
    int rc = push_ctx(&r, context);
    if (!rc)
        rc = render_list(&r, &tpl->root, 0);
    if (rc)
        pond_buf_truncate(out, len);
    free(r.ctx);
    free(r.ind);
    pond_buf_free(&r.line);
    return rc;
}
