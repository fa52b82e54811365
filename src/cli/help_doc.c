/*
 * cli/help_doc.c: the man page (pond.1) and the bash completion, written from the --help
 * texts, so that the three never disagree.  The build runs `pond --help-man FILE DATE` and
 * `pond --help-completion FILE` (hidden options, main.c) and installs both.
 *
 * The one source is each command's cli_help and option table (in its cmd_<name>.c) and the
 * command table in main.c.  Adding a command: give it a cli_help and an option table, which
 * cli_parse_options prints on --help, and a row in main.c's table; it then has a section in
 * the man page and completes.  Adding an option: add its entry, with its arg and help, to
 * the command's table; cli_write_option_lines (cli/cli_options.c) writes its line in the
 * layout every command uses:
 *
 *     "  -s, --long ARG        help text\n"        short and long form
 *     "      --long ARG        help text\n"        long form only
 *     "      --long-option ARG\n"                  a spec too long for its column: the
 *     "                        help text\n"        help follows on deeper-indented lines
 *
 * A spec is the text before the first run of two spaces; its forms are separated by ", ",
 * and an argument follows its option after one space.  Completion offers the options of the
 * command being typed; for an option's value it offers the choices the usage line lists
 * ("[-f data|control]": data, control), directories for DIR, DIR2 and PATH, files for FILE
 * and SPEC, and nothing for other values; operands complete as host files.  An option
 * value's choices for completion come from the usage line, so write them there
 * ("[--format table|csv|json]").  In descriptions, a blank line separates paragraphs and
 * lines indented by two spaces or more are shown as they are (layouts, examples).
 *
 * Other lanes adding --format table|csv|json to list/describe/show/check, or a command such
 * as mknod, need no change here: their --help is the source.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help_doc.h"

#define MAX_SPEC 128 /* the longest option spec ("-f, --format data|table|series") */

/* One option of an options text. */
typedef struct doc_option {
    char spec[MAX_SPEC];  /* "-p, --pattern PATTERN" */
    const char *help;     /* the help text: first line's part ... */
    size_t help_len;      /* ... up to the end of its last continuation line */
} doc_option;

/* The next option of *text (advanced past it): 1, or 0 at the end. */
static int next_option(const char **text, doc_option *o)
{
    const char *p = *text, *line, *end, *gap;
    size_t n;

    for (;;) { /* skip to a line whose first non-blank is '-' */
        if (!*p)
            return 0;
        line = p + strspn(p, " ");
        end = line + strcspn(line, "\n");
        if (*line == '-')
            break;
        p = *end ? end + 1 : end;
    }
    gap = strstr(line, "  ");
    if (!gap || gap > end)
        gap = end;
    n = (size_t)(gap - line);
    if (n >= sizeof o->spec)
        n = sizeof o->spec - 1;
    memcpy(o->spec, line, n);
    o->spec[n] = '\0';
    o->help = gap + strspn(gap, " ");
    if (o->help > end)
        o->help = end;
    p = *end ? end + 1 : end;
    /* continuation lines: indented, not starting with '-' */
    while (*p == ' ') {
        const char *l2 = p + strspn(p, " ");
        const char *e2 = l2 + strcspn(l2, "\n");
        if (*l2 == '-' || l2 == e2)
            break;
        if (o->help == end) /* the help starts on this line */
            o->help = l2;
        end = e2;
        p = *e2 ? e2 + 1 : e2;
    }
    o->help_len = (size_t)(end - o->help);
    *text = p;
    return 1;
}

/* The i-th form of a spec ("-p" / "--pattern PATTERN"): the name as [*name, +*nlen) and the
 * argument as [*arg, +*alen) (alen 0: none).  0 when there is no i-th form. */
static int spec_form(const char *spec, int i, const char **name, size_t *nlen, const char **arg,
                     size_t *alen)
{
    const char *p = spec, *e;
    for (int k = 0; k < i; k++) {
        if (!(p = strstr(p, ", ")))
            return 0;
        p += 2;
    }
    e = strstr(p, ", ");
    if (!e)
        e = p + strlen(p);
    *name = p;
    *nlen = strcspn(p, " ");
    if (*nlen > (size_t)(e - p))
        *nlen = (size_t)(e - p);
    *arg = p + *nlen + (p + *nlen < e ? 1 : 0);
    *alen = (size_t)(e - *arg);
    return 1;
}

/* ---- roff ----------------------------------------------------------------------------- */

/* Write s[0..n) as roff text: backslashes and minus signs escaped, a '.' or '\'' at the start
 * of a line made literal, every non-ASCII character as \[uXXXX] (so groff needs no input
 * encoding). */
static void roff_put(FILE *f, const char *s, size_t n, int *bol)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (*bol && (c == '.' || c == '\''))
            fputs("\\&", f);
        *bol = c == '\n';
        if (c == '\\') {
            fputs("\\e", f);
        } else if (c == '-') {
            fputs("\\-", f);
        } else if (c >= 0x80) {
            unsigned cp = 0;
            int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
            cp = c & (0x3f >> more);
            for (int k = 0; k < more && i + 1 < n; k++)
                cp = (cp << 6) | ((unsigned char)s[++i] & 0x3f);
            fprintf(f, "\\[u%04X]", cp);
        } else {
            fputc(c, f);
        }
    }
}

static void roff_str(FILE *f, const char *s)
{
    int bol = 0;
    roff_put(f, s, strlen(s), &bol);
}

/* A text of paragraphs: blank lines separate them; lines indented by two spaces or more are
 * shown as they are (.nf), the others filled. */
static void roff_text(FILE *f, const char *text)
{
    const char *p = text;
    int in_nf = 0, bol = 1;

    while (*p) {
        const char *e = p + strcspn(p, "\n");
        size_t ind = strspn(p, " ");
        if (p == e) { /* blank: a new paragraph */
            if (in_nf) {
                fputs(".fi\n.RE\n", f);
                in_nf = 0;
            }
            fputs(".PP\n", f);
        } else if (ind >= 2) {
            if (!in_nf) {
                fputs(".RS\n.nf\n", f);
                in_nf = 1;
            }
            bol = 1;
            roff_put(f, p + 2, (size_t)(e - p - 2), &bol);
            fputc('\n', f);
        } else {
            if (in_nf) {
                fputs(".fi\n.RE\n", f);
                in_nf = 0;
            }
            bol = 1;
            roff_put(f, p + ind, (size_t)(e - p - ind), &bol);
            fputc('\n', f);
        }
        p = *e ? e + 1 : e;
    }
    if (in_nf)
        fputs(".fi\n.RE\n", f);
}

/* A usage text in bold, one line a line; the lines after the first lose the indent that
 * lines them up after "Usage: " in --help. */
static void roff_usage(FILE *f, const char *usage)
{
    const char *p = usage;
    int bol;

    for (int first = 1; *p; first = 0) {
        const char *e = p + strcspn(p, "\n");
        size_t skip = first ? 0 : strspn(p, " ");
        if (skip > 7)
            skip = 7;
        bol = 1;
        fputs("\\fB", f);
        roff_put(f, p + skip, (size_t)(e - p - skip), &bol);
        fputs("\\fR\n", f);
        p = *e ? e + 1 : e;
    }
}

/* The options of an options text as .TP items: the forms bold, their arguments italic. */
static void roff_options(FILE *f, const char *text)
{
    doc_option o;
    const char *name, *arg;
    size_t nlen, alen;
    int bol;

    while (next_option(&text, &o)) {
        fputs(".TP\n", f);
        for (int i = 0; spec_form(o.spec, i, &name, &nlen, &arg, &alen); i++) {
            bol = 0;
            fputs(i ? ", \\fB" : "\\fB", f);
            roff_put(f, name, nlen, &bol);
            fputs("\\fR", f);
            if (alen) {
                fputs(" \\fI", f);
                roff_put(f, arg, alen, &bol);
                fputs("\\fR", f);
            }
        }
        fputc('\n', f);
        /* the help, its lines joined (filled text) */
        bol = 1;
        for (const char *h = o.help, *he = o.help + o.help_len; h < he;) {
            const char *l = h + strspn(h, " ");
            const char *e = l + strcspn(l, "\n");
            if (e > he)
                e = he;
            roff_put(f, l, (size_t)(e - l), &bol);
            fputc('\n', f);
            bol = 1;
            h = e < he ? e + 1 : he;
        }
    }
}

int cli_doc_man(FILE *f, const cli_doc *d)
{
    fprintf(f, ".\\\" pond.1: generated by 'pond --help-man' from the --help texts; do not edit.\n"
               ".TH POND 1 \"%s\" \"pond %s\" \"pond manual\"\n.nh\n.ad l\n",
            d->date, d->version);
    fputs(".SH NAME\npond \\- ", f);
    roff_str(f, d->tagline);
    fputs("\n.SH SYNOPSIS\n.nf\n", f);
    roff_str(f, d->synopsis);
    fputs("\n.fi\n.SH DESCRIPTION\n", f);
    roff_text(f, d->description);
    fputs(".SH GLOBAL OPTIONS\n", f);
    roff_options(f, d->global_options);
    fputs(".PP\nAfter the command name, every command takes:\n", f);
    roff_options(f, d->command_options);
    fputs(".SH COMMANDS\n", f);
    for (size_t i = 0; i < d->ncommands; i++) {
        const cli_doc_command *c = &d->commands[i];
        fputs(".TP\n\\fB", f);
        roff_str(f, c->name);
        fputs("\\fR\n", f);
        roff_str(f, c->summary);
        fputc('\n', f);
    }
    for (size_t i = 0; i < d->ncommands; i++) {
        const cli_doc_command *c = &d->commands[i];
        if (!c->help)
            continue;
        fputs(".SS \"pond ", f);
        roff_str(f, c->name);
        fputs("\"\n.nf\n", f);
        roff_usage(f, c->help->usage);
        fputs(".fi\n.PP\n", f);
        roff_text(f, c->help->summary);
        if (c->help->description) {
            fputs(".PP\n", f);
            roff_text(f, c->help->description);
        }
        if (c->options && *c->options) {
            fputs(".PP\nOptions (besides those every command takes):\n", f);
            roff_options(f, c->options);
        }
        if (c->help->examples) {
            fputs(".PP\nExamples:\n", f);
            roff_text(f, c->help->examples);
        }
    }
    for (size_t i = 0; i < d->nsections; i++) {
        fputs(".SH ", f);
        roff_str(f, d->sections[i].title);
        fputc('\n', f);
        roff_text(f, d->sections[i].text);
    }
    return ferror(f) ? -1 : 0;
}

/* ---- bash completion ------------------------------------------------------------------ */

/* The choices the usage line gives for an option form ("[-f data|control]" for "-f"):
 * [*out, +*len) or 0. */
static int usage_choices(const char *usage, const char *name_, size_t nlen, const char **out,
                         size_t *len)
{
    char name[MAX_SPEC];

    if (nlen == 0 || nlen >= sizeof name)
        return 0;
    memcpy(name, name_, nlen);
    name[nlen] = '\0';
    for (const char *p = usage; (p = strstr(p, name)) != NULL; p += nlen) {
        const char *v = p + nlen;
        size_t n;
        if ((p > usage && p[-1] != '[' && p[-1] != ' ') || *v != ' ')
            continue;
        v++;
        n = strspn(v, "abcdefghijklmnopqrstuvwxyz|");
        if (n && memchr(v, '|', n) && (v[n] == ']' || v[n] == ' ')) {
            *out = v;
            *len = n;
            return 1;
        }
    }
    return 0;
}

/* The compgen words of an option's value. */
static void completion_value(FILE *f, const char *usage, const doc_option *o, const char *arg,
                             size_t alen)
{
    const char *name, *a, *choices;
    size_t nlen, al, clen;

    for (int i = 0; spec_form(o->spec, i, &name, &nlen, &a, &al); i++) {
        if (usage_choices(usage, name, nlen, &choices, &clen)) {
            fputs("COMPREPLY=($(compgen -W '", f);
            for (size_t k = 0; k < clen; k++)
                fputc(choices[k] == '|' ? ' ' : choices[k], f);
            fputs("' -- \"$cur\"))", f);
            return;
        }
    }
    if ((alen == 3 && !strncmp(arg, "DIR", 3)) || (alen == 4 && !strncmp(arg, "DIR2", 4)) ||
        (alen == 4 && !strncmp(arg, "PATH", 4)))
        fputs("COMPREPLY=($(compgen -d -- \"$cur\"))", f);
    else if ((alen == 4 && !strncmp(arg, "FILE", 4)) || (alen == 4 && !strncmp(arg, "SPEC", 4)))
        fputs("COMPREPLY=($(compgen -f -- \"$cur\"))", f);
    else
        fputs(":", f);
}

/* Write the option forms of text, space-separated (for compgen -W). */
static void completion_words(FILE *f, const char *text)
{
    doc_option o;
    const char *name, *arg;
    size_t nlen, alen;
    int sp = 0;

    while (next_option(&text, &o))
        for (int i = 0; spec_form(o.spec, i, &name, &nlen, &arg, &alen); i++) {
            fprintf(f, "%s%.*s", sp ? " " : "", (int)nlen, name);
            sp = 1;
        }
}

/* The case arms for the values of text's options that take one. */
static void completion_values(FILE *f, const char *usage, const char *text, const char *indent)
{
    doc_option o;
    const char *name, *arg;
    size_t nlen, alen;

    while (next_option(&text, &o)) {
        const char *a0 = NULL;
        size_t al0 = 0;
        for (int i = 0; spec_form(o.spec, i, &name, &nlen, &arg, &alen); i++)
            if (alen) {
                a0 = arg;
                al0 = alen;
            }
        if (!a0)
            continue;
        fputs(indent, f);
        for (int i = 0; spec_form(o.spec, i, &name, &nlen, &arg, &alen); i++)
            fprintf(f, "%s%.*s", i ? "|" : "", (int)nlen, name);
        fputs(") ", f);
        completion_value(f, usage, &o, a0, al0);
        fputs("; return ;;\n", f);
    }
}

int cli_doc_completion(FILE *f, const cli_doc *d)
{
    fputs("# bash completion for pond: generated by 'pond --help-completion' from the --help\n"
          "# texts; do not edit.\n"
          "_pond() {\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev='' cmd='' opts='' w i=1\n"
          "    [ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    COMPREPLY=()\n"
          "    # the command: the first word neither an option nor a global option's value\n"
          "    while [ \"$i\" -lt \"$COMP_CWORD\" ]; do\n"
          "        w=${COMP_WORDS[i]}\n"
          "        case $w in\n"
          "        --pond|--wait) i=$((i + 2)); continue ;;\n"
          "        -*) ;;\n"
          "        *) cmd=$w; break ;;\n"
          "        esac\n"
          "        i=$((i + 1))\n"
          "    done\n"
          "    case $prev in\n",
          f);
    completion_values(f, "", d->global_options, "    ");
    fputs("    esac\n    case $cmd in\n    '')\n        if [[ $cur == -* ]]; then\n"
          "            COMPREPLY=($(compgen -W '",
          f);
    completion_words(f, d->global_options);
    fputs("' -- \"$cur\"))\n        else\n            COMPREPLY=($(compgen -W '", f);
    for (size_t i = 0; i < d->ncommands; i++)
        fprintf(f, "%s%s", i ? " " : "", d->commands[i].name);
    fputs("' -- \"$cur\"))\n        fi\n        return ;;\n", f);
    for (size_t i = 0; i < d->ncommands; i++) {
        const cli_doc_command *c = &d->commands[i];
        fprintf(f, "    %s)\n", c->name);
        if (!c->help) { /* help: a command name */
            fputs("        COMPREPLY=($(compgen -W '", f);
            for (size_t k = 0; k < d->ncommands; k++)
                fprintf(f, "%s%s", k ? " " : "", d->commands[k].name);
            fputs("' -- \"$cur\"))\n        return ;;\n", f);
            continue;
        }
        fputs("        case $prev in\n", f);
        completion_values(f, c->help->usage, c->options ? c->options : "",
                          "        ");
        fputs("        *) ;;\n        esac\n        opts='", f);
        completion_words(f, c->options ? c->options : "");
        fputc(' ', f);
        completion_words(f, d->command_options);
        fputs("' ;;\n", f);
    }
    fputs("    *) return ;;\n"
          "    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "    else\n"
          "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
          "    fi\n"
          "}\n"
          "complete -o filenames -F _pond pond\n",
          f);
    return ferror(f) ? -1 : 0;
}
