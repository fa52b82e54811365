/*
 * mustache/parse.c: Mustache source -> tree (mustache_int.h), in three passes:
 *
 *   1. tokenize():  text and tags, honouring set-delimiter tags.  Text never spans a line
 *      break: a '\n' always ends its token, so a source line is a run of tokens.
 *   2. mark_lines(): the standalone rule, decided per source line (see there).
 *   3. build():     the tree, matching sections, blocks and parents to their closing tags.
 *
 * Guarantees: a syntax error returns POND_EINVALID with "origin:line:column: what" (line and
 * column 1-based, the column counted in characters of UTF-8 text) and leaves nothing
 * allocated.  Sections, parents and blocks nested deeper than POND_MUSTACHE_MAX_DEPTH are such
 * an error, so the tree, and every recursion over it, is that deep at most.  Time is linear in
 * the source's length, however long its lines.  Partials are not read here; render time fetches them by name, so recursive
 * partials parse exactly once.
 */
#include "mustache/mustache_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct token {
    int is_tag;
    char sigil;    /* tags: 0 for {{name}}, or one of { & # ^ / ! > < $ = */
    const char *s; /* text: the text; tags: the name, trimmed, without a dynamic '*' */
    size_t len;
    int dynamic;       /* '*' before the name of >, < or / */
    int closes_parent; /* a '/' whose opening tag is a '<' (per the tokenizer's nesting) */
    int line, col;     /* tags: where the opening delimiter starts */
    /* Set by mark_lines(): */
    int removed;    /* text on a standalone line */
    int standalone; /* tag on a standalone line */
    int line_head;  /* first token of a kept line: an MN_LINE node goes before it */
    const char *lead; /* the line's leading blanks (see mark_lines()) */
    size_t lead_len;
} token;

typedef struct parser {
    const char *src, *end;
    const char *origin;
    token *tok;
    size_t ntok, captok;
    /* Cursor for line:column, moved forward only: pos is at line:col. */
    const char *pos;
    int line, col;
} parser;

static int syntax_error(const parser *p, int line, int col, const char *fmt, ...) POND_PRINTF(4, 5);

static int syntax_error(const parser *p, int line, int col, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return pond_error_set(POND_EINVALID, "%s:%d:%d: %s", p->origin, line, col, what);
}

int mustache__too_deep(const char *origin, int line, int col)
{
    return pond_error_set(POND_EINVALID,
                          "%s:%d:%d: nested too deep (more than %d sections, parents, blocks and "
                          "partials inside one another)",
                          origin, line, col, POND_MUSTACHE_MAX_DEPTH);
}

/* Line and column of at, which must not be before the previous call's.  The cursor only moves
 * forward, counting as it goes, so locating every tag of a long line is one pass over it. */
static void locate(parser *p, const char *at, int *line, int *col)
{
    for (; p->pos < at; p->pos++) {
        if (*p->pos == '\n') {
            p->line++;
            p->col = 1;
        } else if (((unsigned char)*p->pos & 0xC0) != 0x80) { /* not a UTF-8 continuation */
            p->col++;
        }
    }
    *line = p->line;
    *col = p->col;
}

static int is_blank_char(char c) { return c == ' ' || c == '\t'; }
static int is_space_char(char c) { return is_blank_char(c) || c == '\n' || c == '\r'; }

/* Blanks, then optionally a line break ("\n" or "\r\n") and nothing else. */
static int is_blank_text(const char *s, size_t n)
{
    if (n && s[n - 1] == '\n') {
        n--;
        if (n && s[n - 1] == '\r')
            n--;
    }
    for (size_t i = 0; i < n; i++)
        if (!is_blank_char(s[i]))
            return 0;
    return 1;
}

static size_t leading_blanks(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && is_blank_char(s[k]))
        k++;
    return k;
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_space_char(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_space_char((*s)[*n - 1]))
        (*n)--;
}

static const char *find(const char *s, const char *end, const char *what, size_t n)
{
    for (; s + n <= end; s++)
        if (*s == *what && memcmp(s, what, n) == 0)
            return s;
    return NULL;
}

static token *new_token(parser *p)
{
    if (p->ntok == p->captok) {
        size_t cap = p->captok ? 2 * p->captok : 64;
        token *v = realloc(p->tok, cap * sizeof *v);
        if (!v)
            return NULL;
        p->tok = v;
        p->captok = cap;
    }
    token *t = &p->tok[p->ntok++];
    memset(t, 0, sizeof *t);
    return t;
}

/* Text [s, end) as tokens that each end at a '\n' or at end. */
static int add_text(parser *p, const char *s, const char *end)
{
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl + 1 : end;
        token *t = new_token(p);
        if (!t)
            return pond_error_oom();
        t->s = s;
        t->len = (size_t)(e - s);
        s = e;
    }
    return POND_OK;
}

/* Parse the content of a set-delimiter tag, "{{=<% %>=}}" giving "<%" and "%>". */
static int parse_delimiters(const char *s, size_t n, const char **open, size_t *olen,
                            const char **close, size_t *clen)
{
    const char *end = s + n;
    while (s < end && is_space_char(*s))
        s++;
    const char *a = s;
    while (s < end && !is_space_char(*s) && *s != '=')
        s++;
    *open = a;
    *olen = (size_t)(s - a);
    while (s < end && is_space_char(*s))
        s++;
    const char *b = s;
    while (s < end && !is_space_char(*s) && *s != '=')
        s++;
    *close = b;
    *clen = (size_t)(s - b);
    while (s < end && is_space_char(*s))
        s++;
    return s == end && *olen && *clen;
}

static int tokenize(parser *p)
{
    const char *od = "{{", *cd = "}}";
    size_t odl = 2, cdl = 2;
    char *nest = NULL; /* sigils of the open sections, to tell parent closings apart */
    size_t nnest = 0;
    const char *s = p->src;
    int rc = POND_OK;

    if (!(nest = malloc((size_t)(p->end - p->src) / 2 + 1))) {
        rc = pond_error_oom();
        goto done;
    }
    while (s < p->end) {
        const char *o = find(s, p->end, od, odl);
        if ((rc = add_text(p, s, o ? o : p->end)))
            goto done;
        if (!o)
            break;
        int line, col;
        locate(p, o, &line, &col);
        const char *c = o + odl; /* the tag's content */
        char sigil = 0, need = 0; /* need: a character required just before the closing */
        if (c < p->end && (*c == '{' || *c == '=')) {
            sigil = *c++;
            need = sigil == '{' ? '}' : '=';
        } else if (c < p->end && *c && strchr("&#^/!><$", *c)) {
            sigil = *c++;
        }
        const char *q = c, *close = NULL;
        while ((q = find(q, p->end, cd, cdl))) {
            if (!need || (q > c && q[-1] == need)) {
                close = q;
                break;
            }
            q++;
        }
        if (!close) {
            rc = syntax_error(p, line, col, "unclosed tag");
            goto done;
        }
        const char *name = c;
        size_t len = (size_t)(close - c) - (need ? 1 : 0);
        s = close + cdl;
        token *t = new_token(p);
        if (!t) {
            rc = pond_error_oom();
            goto done;
        }
        t->is_tag = 1;
        t->sigil = sigil;
        t->line = line;
        t->col = col;
        if (sigil == '!')
            continue;
        if (sigil == '=') {
            if (!parse_delimiters(name, len, &od, &odl, &cd, &cdl)) {
                rc = syntax_error(p, line, col, "bad set-delimiter tag");
                goto done;
            }
            continue;
        }
        trim(&name, &len);
        if ((sigil == '>' || sigil == '<' || sigil == '/') && len && *name == '*') {
            t->dynamic = 1;
            name++;
            len--;
            trim(&name, &len);
        }
        if (!len) {
            rc = syntax_error(p, line, col, "empty tag name");
            goto done;
        }
        t->s = name;
        t->len = len;
        if (sigil == '#' || sigil == '^' || sigil == '<' || sigil == '$')
            nest[nnest++] = sigil;
        else if (sigil == '/' && nnest)
            t->closes_parent = nest[--nnest] == '<';
    }
done:
    free(nest);
    return rc;
}

/*
 * The standalone rule.  The spec removes a line that holds nothing but blanks and one tag that
 * prints nothing itself (section, inverted, closing, comment, partial, set-delimiter, parent,
 * block): authors put such tags on lines of their own to lay the template out, and the blank
 * line they leave is not meant to be output.  We decide it per line, after tokenizing, so
 * that a set-delimiter tag and a comment spanning lines are handled like any other tag.
 *
 * Two extensions from the inheritance spec: a parent's opening and closing tags do not count
 * towards the "one tag" (everything in a parent outside its blocks is ignored anyway, so
 * "{{<layout}}{{$body}}" is as standalone as "{{$body}}", and "{{<p}}{{/p}}" alone on a line
 * behaves like a standalone partial); and the blanks in front of a standalone partial or
 * parent are its indentation, added to each of its lines at render time.
 *
 * A kept line gets line_head on its first token, with lead = its leading blanks: render.c
 * re-indents there.  Each tag gets lead = the line's leading blanks when only blanks and tags
 * precede it (a block's indentation at its site).
 */
static void mark_lines(parser *p)
{
    size_t i = 0;
    while (i < p->ntok) {
        size_t j = i;
        while (j < p->ntok - 1 && (p->tok[j].is_tag || p->tok[j].s[p->tok[j].len - 1] != '\n'))
            j++;
        int ntags = 0, counted = 0, quiet = 1, blank = 1;
        for (size_t k = i; k <= j; k++) {
            const token *t = &p->tok[k];
            if (!t->is_tag) {
                blank = blank && is_blank_text(t->s, t->len);
                continue;
            }
            ntags++;
            if (t->sigil == 0 || t->sigil == '{' || t->sigil == '&')
                quiet = 0;
            if (t->sigil != '<' && !(t->sigil == '/' && t->closes_parent))
                counted++;
        }
        const char *lead = p->tok[i].s;
        size_t lead_len = p->tok[i].is_tag ? 0 : leading_blanks(p->tok[i].s, p->tok[i].len);
        if (p->tok[i].is_tag)
            lead = "";
        int standalone = ntags > 0 && quiet && counted <= 1 && blank;
        int only_blanks_before = 1;
        for (size_t k = i; k <= j; k++) {
            token *t = &p->tok[k];
            if (standalone) {
                t->removed = !t->is_tag;
                t->standalone = t->is_tag;
            }
            if (t->is_tag) {
                t->lead = only_blanks_before ? lead : "";
                t->lead_len = only_blanks_before ? lead_len : 0;
            } else if (leading_blanks(t->s, t->len) != t->len) {
                only_blanks_before = 0;
            }
        }
        if (!standalone) {
            p->tok[i].line_head = 1;
            p->tok[i].lead = lead;
            p->tok[i].lead_len = lead_len;
        }
        i = j + 1;
    }
}

static void node_free(mustache_node *n);

/* Recursive, at most POND_MUSTACHE_MAX_DEPTH deep: build() refuses deeper trees. */
static void list_free(mustache_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        node_free(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static void node_free(mustache_node *n)
{
    free(n->name);
    free(n->path);
    list_free(&n->children);
}

static mustache_node *list_add(mustache_list *l, mustache_node_type type)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        mustache_node *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return NULL;
        l->v = v;
        l->cap = cap;
    }
    mustache_node *n = &l->v[l->n++];
    memset(n, 0, sizeof *n);
    n->type = type;
    n->indent = "";
    return n;
}

static int set_name(mustache_node *n, const token *t)
{
    if (!(n->name = strndup(t->s, t->len)) || !(n->path = strndup(t->s, t->len)))
        return pond_error_oom();
    if (strcmp(n->name, ".") == 0)
        return POND_OK; /* the implicit iterator: no segments */
    n->nseg = 1;
    for (char *c = n->path; *c; c++) {
        if (*c == '.') {
            *c = '\0';
            n->nseg++;
        }
    }
    return POND_OK;
}

/*
 * A block's indentation, which render.c strips from an overriding block's lines and adds at
 * the site it fills.  When the opening tag stands alone, the content begins on the next line
 * and its first line sets the indentation ("intrinsic indentation"); otherwise it is the
 * blanks in front of the tag.
 */
static void block_indent(mustache_node *b)
{
    if (!b->standalone || !b->children.n)
        return; /* keep the tag's lead */
    const mustache_node *f = &b->children.v[0];
    if (f->type == MN_LINE) {
        b->indent = f->text;
        b->indent_len = f->len;
    } else if (f->type != MN_TEXT && f->standalone) {
        b->indent = f->indent;
        b->indent_len = f->indent_len;
    }
}

static const char *sigil_name(char sigil)
{
    return sigil == '<' ? "parent" : sigil == '$' ? "block" : "section";
}

static int build(parser *p, mustache_tpl *tpl)
{
    mustache_node *open[POND_MUSTACHE_MAX_DEPTH]; /* the open sections, blocks and parents */
    const token *open_tok[POND_MUSTACHE_MAX_DEPTH];
    size_t nopen = 0;
    int rc = POND_OK;

    /* A node's children only grow while it is the innermost open one, so its parent's list
     * does not move and the pointers in open[] stay valid. */
    for (size_t i = 0; i < p->ntok; i++) {
        const token *t = &p->tok[i];
        mustache_list *cur = nopen ? &open[nopen - 1]->children : &tpl->root;
        mustache_node *n;
        const char *text = t->s;
        size_t len = t->len;

        if (t->line_head) {
            if (!(n = list_add(cur, MN_LINE))) {
                rc = pond_error_oom();
                goto done;
            }
            n->text = t->lead;
            n->len = t->lead_len;
            if (!t->is_tag) {
                text += t->lead_len;
                len -= t->lead_len;
            }
        }
        if (!t->is_tag) {
            if (t->removed || !len)
                continue;
            if (!(n = list_add(cur, MN_TEXT))) {
                rc = pond_error_oom();
                goto done;
            }
            n->text = text;
            n->len = len;
            continue;
        }
        if (t->sigil == '!' || t->sigil == '=')
            continue;
        if (t->sigil == '/') {
            const token *o = nopen ? open_tok[nopen - 1] : NULL;
            if (!o) {
                rc = syntax_error(p, t->line, t->col, "unexpected closing tag '%s%.*s'",
                                  t->dynamic ? "*" : "", (int)t->len, t->s);
                goto done;
            }
            if (o->dynamic != t->dynamic || o->len != t->len || memcmp(o->s, t->s, t->len)) {
                rc = syntax_error(p, t->line, t->col,
                                  "mismatched closing tag '%s%.*s' (expected '%s%.*s')",
                                  t->dynamic ? "*" : "", (int)t->len, t->s,
                                  o->dynamic ? "*" : "", (int)o->len, o->s);
                goto done;
            }
            if (open[nopen - 1]->type == MN_BLOCK)
                block_indent(open[nopen - 1]);
            nopen--;
            continue;
        }
        mustache_node_type type = t->sigil == '#' ? MN_SECTION : t->sigil == '^' ? MN_INVERTED
                                : t->sigil == '>' ? MN_PARTIAL : t->sigil == '<' ? MN_PARENT
                                : t->sigil == '$' ? MN_BLOCK : MN_VAR;
        if (!(n = list_add(cur, type))) {
            rc = pond_error_oom();
            goto done;
        }
        if ((rc = set_name(n, t)))
            goto done;
        n->escape = t->sigil == 0;
        n->dynamic = t->dynamic;
        n->standalone = t->standalone;
        n->indent = t->lead;
        n->indent_len = t->lead_len;
        n->origin = p->origin;
        n->line = t->line;
        n->col = t->col;
        if (type == MN_SECTION || type == MN_INVERTED || type == MN_PARENT || type == MN_BLOCK) {
            if (nopen == POND_MUSTACHE_MAX_DEPTH) {
                rc = mustache__too_deep(p->origin, t->line, t->col);
                goto done;
            }
            open[nopen] = n;
            open_tok[nopen++] = t;
        }
    }
    if (nopen) {
        const token *o = open_tok[nopen - 1];
        rc = syntax_error(p, o->line, o->col, "unclosed %s '%s%.*s'", sigil_name(o->sigil),
                          o->dynamic ? "*" : "", (int)o->len, o->s);
    }
done:
    return rc;
}

int mustache__parse(mustache_tpl **out, const char *source, const char *origin)
{
    mustache_tpl *tpl = calloc(1, sizeof *tpl);
    parser p = {0};
    int rc = POND_OK;

    *out = NULL;
    if (!tpl || !(tpl->src = strdup(source)) ||
        !(tpl->origin = strdup(origin ? origin : "template"))) {
        rc = pond_error_oom();
        goto done;
    }
    p.src = p.pos = tpl->src;
    p.end = tpl->src + strlen(tpl->src);
    p.origin = tpl->origin;
    p.line = p.col = 1;
    if ((rc = tokenize(&p)))
        goto done;
    mark_lines(&p);
    if ((rc = build(&p, tpl)))
        goto done;
    *out = tpl;
    tpl = NULL;
done:
    free(p.tok);
    mustache__tpl_free(tpl);
    return rc;
}

void mustache__tpl_free(mustache_tpl *t)
{
    if (!t)
        return;
    list_free(&t->root);
    free(t->src);
    free(t->origin);
    free(t);
}
