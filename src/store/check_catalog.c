/*
 * store/check_catalog.c: the catalog checked against itself, for pond_check.
 *
 *   PRAGMA integrity_check   SQLite's own: every page, every index against its table, NOT
 *                            NULL, CHECK constraints (the type words, sha256 digits, JSON
 *                            text of catalog.c's schema) and the types of STRICT tables
 *   PRAGMA foreign_key_check every version of an existing entry and transaction, every
 *                            entry under an existing one
 *   the tree                 the root is '/', a directory; every other entry's parent is a
 *                            directory and its path is the parent's path and its name
 *   the series               the timestamp column is a column of every version
 *   the schema               every table and index as store/catalog.c makes it (a flipped
 *                            byte in a column name would break reads, not SQLite's checks)
 *   the schema version       meta.schema_version
 *
 * Each failure is a finding counted as a problem.  An SQLite error met on the way (a page so
 * damaged that a query cannot run) is a problem too, and ends the catalog checks.
 */
#include "store/check_int.h"

#include <string.h>

/* fn judges one row of a check's query (and reports what is wrong with it). */
typedef void (*row_fn)(checker *c, store_stmt *st);

static int each_row(checker *c, const char *sql, row_fn fn)
{
    store_stmt st;
    int rc;

    rc = store_sql_query(c->p, &st, "cannot check the catalog", sql, STORE_NO_ARGS);
    while (rc == POND_OK && (rc = store_sql_next(&st)) == 1) {
        rc = POND_OK;
        fn(c, &st);
    }
    store_sql_close(&st);
    return rc;
}

static void integrity_row(checker *c, store_stmt *st)
{
    const char *msg = store_sql_text(st, 0);
    if (msg && strcmp(msg, "ok") != 0)
        check_problem(c, "catalog: %s", msg);
}

static void foreign_key_row(checker *c, store_stmt *st)
{
    const char *table = store_sql_text(st, 0), *parent = store_sql_text(st, 2);
    check_problem(c, "catalog: a row of table %s (rowid %lld) refers to a missing row of %s",
                  table ? table : "?", (long long)store_sql_int(st, 1), parent ? parent : "?");
}

static void root_row(checker *c, store_stmt *st)
{
    if (store_sql_int(st, 0) != 1)
        check_problem(c, "catalog: the root directory '/' is missing or not a directory");
}

static void tree_row(checker *c, store_stmt *st)
{
    const char *path = store_sql_text(st, 0), *parent = store_sql_text(st, 1);
    const char *ptype = store_sql_text(st, 2);

    if (!path)
        path = "?";
    if (!parent)
        check_problem(c, "catalog: entry %s has no parent directory (id %lld)", path,
                      (long long)store_sql_int(st, 3));
    else if (!ptype || strcmp(ptype, "dir") != 0)
        check_problem(c, "catalog: entry %s is under %s, a %s", path, parent,
                      ptype ? ptype : "?");
    else
        check_problem(c, "catalog: entry %s does not match its name and its parent %s", path,
                      parent);
}

static void series_row(checker *c, store_stmt *st)
{
    const char *path = store_sql_text(st, 0), *col = store_sql_text(st, 2);
    check_problem(c, "catalog: timestamp column '%s' of series %s is not in version %lld",
                  col ? col : "(none)", path ? path : "?", (long long)store_sql_int(st, 1));
}

static void version_row(checker *c, store_stmt *st)
{
    const char *v = store_sql_text(st, 0);
    if (!v || strcmp(v, STORE_SCHEMA_VERSION) != 0)
        check_problem(c, "catalog: schema version %s, expected %s", v ? v : "(none)",
                      STORE_SCHEMA_VERSION);
}

static const struct {
    const char *sql;
    row_fn fn;
} checks[] = {
    {"PRAGMA integrity_check(100)", integrity_row},
    {"PRAGMA foreign_key_check", foreign_key_row},
    {"SELECT count(*) FROM entry WHERE id = 0 AND path = '/' AND type = 'dir' "
     "AND parent IS NULL",
     root_row},
    {"SELECT e.path, p.path, p.type, e.id FROM entry e LEFT JOIN entry p ON p.id = e.parent "
     "WHERE e.id <> 0 AND (p.id IS NULL OR p.type <> 'dir' OR e.name = '' "
     "OR instr(e.name, '/') > 0 "
     "OR e.path <> (CASE WHEN p.id = 0 THEN '' ELSE p.path END) || '/' || e.name) "
     "ORDER BY e.path COLLATE pond_path",
     tree_row},
    {"SELECT e.path, v.version, e.timestamp_column FROM entry e "
     "JOIN version v ON v.entry_id = e.id WHERE e.type = 'file:series' AND NOT EXISTS "
     "(SELECT 1 FROM json_each(CASE WHEN json_valid(v.schema) THEN v.schema ELSE '[]' END) j "
     "WHERE j.type = 'object' AND json_extract(j.value, '$.name') = e.timestamp_column) "
     "ORDER BY e.path COLLATE pond_path, v.version",
     series_row},
    {"SELECT value FROM meta WHERE key = 'schema_version' UNION ALL "
     "SELECT NULL WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'schema_version')",
     version_row},
};

/* The schema text against catalog.c's. */
static int schema(checker *c)
{
    pond_buf diff = POND_BUF_INIT;
    int rc = store_catalog_schema_check(c->p, &diff);

    if (rc == POND_OK && diff.len) {
        /* "type\tname\t…": name the object */
        char *tab = strchr(diff.ptr, '\t'), *end = tab ? strchr(tab + 1, '\t') : NULL;
        if (tab && end) {
            *tab = ' ';
            *end = '\0';
        }
        check_problem(c, "catalog: the schema of %s is not pond's", diff.ptr);
    }
    pond_buf_free(&diff);
    return rc;
}

int check_catalog(checker *c)
{
    int64_t before = c->r->problems;
    size_t i;
    int rc = schema(c);

    for (i = 0; rc == POND_OK && i < sizeof checks / sizeof checks[0]; i++) {
        if ((rc = each_row(c, checks[i].sql, checks[i].fn)) < 0)
            break;
    }
    if (rc == POND_ECORRUPT || rc == POND_ERROR) {
        /* the catalog is too damaged to answer; that is what the check found */
        check_problem(c, "catalog: %s", pond_error_last());
        rc = POND_OK;
    }
    c->catalog_ok = rc == POND_OK && c->r->problems == before;
    return rc < 0 ? rc : POND_OK;
}
