/*
 * export/json_rows.c: DuckDB results to jansson rows (the mapping is in json_rows.h).
 *
 * Values are read straight from the result's data chunks by logical type, so nothing goes
 * through text that could lose precision or change a format.  Nested types recurse on their
 * child vectors.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export/json_rows.h"
#include "util/buf.h"
#include "util/error.h"

__extension__ typedef __int128 pond_i128;
__extension__ typedef unsigned __int128 pond_u128;

static int cell_to_json(json_t **out, duckdb_vector v, duckdb_logical_type t, idx_t row,
                        const char *col);

/* ---- text forms --------------------------------------------------------------------------- */

static void u128_to_str(char *buf, size_t cap, pond_u128 u)
{
    char tmp[48];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u && n < sizeof tmp);
    size_t i = 0;
    for (; i < n && i + 1 < cap; i++)
        buf[i] = tmp[n - 1 - i];
    buf[i] = '\0';
}

static void i128_to_str(char *buf, size_t cap, pond_i128 v)
{
    if (v < 0) {
        buf[0] = '-';
        u128_to_str(buf + 1, cap - 1, (pond_u128)0 - (pond_u128)v);
    } else {
        u128_to_str(buf, cap, (pond_u128)v);
    }
}

/* An integer that fits int64 as a JSON integer, else its decimal text. */
static json_t *json_i128(pond_i128 v)
{
    if (v >= INT64_MIN && v <= INT64_MAX)
        return json_integer((json_int_t)v);
    char buf[48];
    i128_to_str(buf, sizeof buf, v);
    return json_string(buf);
}

static json_t *json_u128(pond_u128 v)
{
    if (v <= (pond_u128)INT64_MAX)
        return json_integer((json_int_t)v);
    char buf[48];
    u128_to_str(buf, sizeof buf, v);
    return json_string(buf);
}

static json_t *json_double(double d)
{
    if (isnan(d))
        return json_string("NaN");
    if (isinf(d))
        return json_string(d > 0 ? "Infinity" : "-Infinity");
    return json_real(d);
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static void put_date(pond_buf *b, int64_t days)
{
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0)
        pond_buf_printf(b, "-%04" PRId64 "-%02u-%02u", -y, m, d);
    else
        pond_buf_printf(b, "%04" PRId64 "-%02u-%02u", y, m, d);
}

/* ".fffffffff" without trailing zeros; nothing when nanos is 0. */
static void put_fraction(pond_buf *b, int64_t nanos)
{
    if (nanos == 0)
        return;
    char f[16];
    snprintf(f, sizeof f, "%09" PRId64, nanos);
    size_t n = 9;
    while (n > 0 && f[n - 1] == '0')
        n--;
    f[n] = '\0';
    pond_buf_printf(b, ".%s", f);
}

/* Time of day from nanoseconds since midnight (0 <= ns <= 24h). */
static void put_time_of_day(pond_buf *b, int64_t ns)
{
    int64_t s = ns / 1000000000, frac = ns % 1000000000;
    pond_buf_printf(b, "%02" PRId64 ":%02" PRId64 ":%02" PRId64, s / 3600, s / 60 % 60, s % 60);
    put_fraction(b, frac);
}

/* A timestamp given as whole seconds since the epoch and nanoseconds (0 <= ns < 1e9). */
static json_t *json_timestamp(int64_t secs, int64_t nanos, int zulu)
{
    pond_buf b = POND_BUF_INIT;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t sod = secs - days * 86400;
    put_date(&b, days);
    pond_buf_putc(&b, 'T');
    put_time_of_day(&b, sod * 1000000000 + nanos);
    if (zulu)
        pond_buf_putc(&b, 'Z');
    json_t *j = json_stringn(b.ptr, b.len);
    pond_buf_free(&b);
    return j;
}

/* value / unit, rounded down, and the remainder scaled to nanoseconds. */
static json_t *json_ts_units(int64_t v, int64_t per_sec, int zulu)
{
    if (v == INT64_MAX)
        return json_string("infinity");
    if (v == -INT64_MAX || v == INT64_MIN)
        return json_string("-infinity");
    int64_t secs = v / per_sec, rem = v % per_sec;
    if (rem < 0) {
        secs -= 1;
        rem += per_sec;
    }
    return json_timestamp(secs, rem * (1000000000 / per_sec), zulu);
}

static json_t *json_interval(duckdb_interval iv)
{
    pond_buf b = POND_BUF_INIT;
    pond_buf_putc(&b, 'P');
    int32_t years = iv.months / 12, months = iv.months % 12;
    if (years)
        pond_buf_printf(&b, "%" PRId32 "Y", years);
    if (months)
        pond_buf_printf(&b, "%" PRId32 "M", months);
    if (iv.days)
        pond_buf_printf(&b, "%" PRId32 "D", iv.days);
    if (iv.micros) {
        int neg = iv.micros < 0;
        uint64_t us = neg ? (uint64_t)0 - (uint64_t)iv.micros : (uint64_t)iv.micros;
        uint64_t h = us / 3600000000u, m = us / 60000000u % 60, s = us / 1000000u % 60,
                 f = us % 1000000u;
        const char *sg = neg ? "-" : "";
        pond_buf_putc(&b, 'T');
        if (h)
            pond_buf_printf(&b, "%s%" PRIu64 "H", sg, h);
        if (m)
            pond_buf_printf(&b, "%s%" PRIu64 "M", sg, m);
        if (s || f) {
            pond_buf_printf(&b, "%s%" PRIu64, sg, s);
            put_fraction(&b, (int64_t)f * 1000);
            pond_buf_putc(&b, 'S');
        }
    }
    if (b.len == 1)
        pond_buf_puts(&b, "T0S");
    json_t *j = json_stringn(b.ptr, b.len);
    pond_buf_free(&b);
    return j;
}

static json_t *json_base64(const unsigned char *p, size_t n)
{
    static const char tbl[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    pond_buf b = POND_BUF_INIT;
    if (pond_buf_grow(&b, (n + 2) / 3 * 4 + 1) != POND_OK)
        return NULL;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t w = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            w |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            w |= p[i + 2];
        pond_buf_putc(&b, tbl[w >> 18 & 63]);
        pond_buf_putc(&b, tbl[w >> 12 & 63]);
        pond_buf_putc(&b, i + 1 < n ? tbl[w >> 6 & 63] : '=');
        pond_buf_putc(&b, i + 2 < n ? tbl[w & 63] : '=');
    }
    json_t *j = json_stringn(b.ptr, b.len);
    pond_buf_free(&b);
    return j;
}

static json_t *json_uuid(duckdb_hugeint h)
{
    uint64_t hi = (uint64_t)h.upper ^ ((uint64_t)1 << 63), lo = h.lower;
    char buf[40];
    snprintf(buf, sizeof buf, "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
             hi >> 32, hi >> 16 & 0xffff, hi & 0xffff, lo >> 48, lo & (uint64_t)0xffffffffffff);
    return json_string(buf);
}

static json_t *json_bits(duckdb_string_t *s)
{
    uint32_t n = duckdb_string_t_length(*s);
    const unsigned char *p = (const unsigned char *)duckdb_string_t_data(s);
    if (n == 0)
        return json_string("");
    unsigned pad = p[0];
    pond_buf b = POND_BUF_INIT;
    for (uint32_t i = 1; i < n; i++)
        for (int bit = 7; bit >= 0; bit--) {
            if (i == 1 && (unsigned)(7 - bit) < pad)
                continue;
            pond_buf_putc(&b, (p[i] >> bit & 1) ? '1' : '0');
        }
    json_t *j = json_stringn(b.ptr, b.len);
    pond_buf_free(&b);
    return j;
}

static json_t *json_decimal(pond_i128 v, uint8_t scale)
{
    if (scale == 0)
        return json_i128(v);
    char digits[48], text[64];
    int neg = v < 0;
    u128_to_str(digits, sizeof digits, neg ? (pond_u128)0 - (pond_u128)v : (pond_u128)v);
    size_t n = strlen(digits);
    pond_buf b = POND_BUF_INIT;
    if (neg)
        pond_buf_putc(&b, '-');
    if (n <= scale) {
        pond_buf_puts(&b, "0.");
        for (size_t i = n; i < scale; i++)
            pond_buf_putc(&b, '0');
        pond_buf_puts(&b, digits);
    } else {
        pond_buf_put(&b, digits, n - scale);
        pond_buf_putc(&b, '.');
        pond_buf_puts(&b, digits + n - scale);
    }
    snprintf(text, sizeof text, "%s", b.ptr);
    pond_buf_free(&b);
    return json_real(strtod(text, NULL));
}

/* ---- nested types ------------------------------------------------------------------------- */

static int list_to_json(json_t **out, duckdb_vector child, duckdb_logical_type ct, idx_t off,
                        idx_t len, const char *col)
{
    json_t *arr = json_array();
    if (!arr)
        return pond_error_oom();
    for (idx_t i = 0; i < len; i++) {
        json_t *e = NULL;
        int rc = cell_to_json(&e, child, ct, off + i, col);
        if (rc != POND_OK) {
            json_decref(arr);
            return rc;
        }
        if (json_array_append_new(arr, e) != 0) {
            json_decref(arr);
            return pond_error_oom();
        }
    }
    *out = arr;
    return POND_OK;
}

static int struct_to_json(json_t **out, duckdb_vector v, duckdb_logical_type t, idx_t row,
                          const char *col)
{
    int rc = POND_OK;
    json_t *obj = json_object();
    if (!obj)
        return pond_error_oom();
    idx_t n = duckdb_struct_type_child_count(t);
    for (idx_t i = 0; i < n && rc == POND_OK; i++) {
        char *name = duckdb_struct_type_child_name(t, i);
        duckdb_logical_type ct = duckdb_struct_type_child_type(t, i);
        json_t *e = NULL;
        rc = cell_to_json(&e, duckdb_struct_vector_get_child(v, i), ct, row, col);
        if (rc == POND_OK && json_object_set_new(obj, name ? name : "", e) != 0)
            rc = pond_error_oom();
        duckdb_destroy_logical_type(&ct);
        duckdb_free(name);
    }
    if (rc != POND_OK)
        json_decref(obj);
    else
        *out = obj;
    return rc;
}

static int map_to_json(json_t **out, duckdb_vector v, duckdb_logical_type t, idx_t row,
                       const char *col)
{
    int rc = POND_OK;
    duckdb_list_entry e = ((duckdb_list_entry *)duckdb_vector_get_data(v))[row];
    duckdb_vector entries = duckdb_list_vector_get_child(v);
    duckdb_vector keys = duckdb_struct_vector_get_child(entries, 0);
    duckdb_vector vals = duckdb_struct_vector_get_child(entries, 1);
    duckdb_logical_type kt = duckdb_map_type_key_type(t), vt = duckdb_map_type_value_type(t);
    json_t *obj = json_object();
    if (!obj) {
        rc = pond_error_oom();
        goto done;
    }
    for (idx_t i = 0; i < e.length && rc == POND_OK; i++) {
        json_t *k = NULL, *val = NULL;
        char *ktext = NULL;
        if ((rc = cell_to_json(&k, keys, kt, e.offset + i, col)) != POND_OK)
            break;
        if ((rc = cell_to_json(&val, vals, vt, e.offset + i, col)) != POND_OK) {
            json_decref(k);
            break;
        }
        if (!json_is_string(k))
            ktext = json_dumps(k, JSON_ENCODE_ANY | JSON_COMPACT);
        if (json_object_set_new(obj, ktext ? ktext : json_string_value(k), val) != 0)
            rc = pond_error_oom();
        free(ktext);
        json_decref(k);
    }
done:
    duckdb_destroy_logical_type(&kt);
    duckdb_destroy_logical_type(&vt);
    if (rc != POND_OK)
        json_decref(obj);
    else
        *out = obj;
    return rc;
}

static int union_to_json(json_t **out, duckdb_vector v, duckdb_logical_type t, idx_t row,
                         const char *col)
{
    uint8_t tag = ((uint8_t *)duckdb_vector_get_data(duckdb_struct_vector_get_child(v, 0)))[row];
    duckdb_logical_type mt = duckdb_union_type_member_type(t, tag);
    int rc = cell_to_json(out, duckdb_struct_vector_get_child(v, (idx_t)tag + 1), mt, row, col);
    duckdb_destroy_logical_type(&mt);
    return rc;
}

/* ---- one value ---------------------------------------------------------------------------- */

static int cell_to_json(json_t **out, duckdb_vector v, duckdb_logical_type t, idx_t row,
                        const char *col)
{
    uint64_t *validity = duckdb_vector_get_validity(v);
    json_t *j = NULL;
    int rc = POND_OK;
    if (validity && !duckdb_validity_row_is_valid(validity, row)) {
        *out = json_null();
        return POND_OK;
    }
    void *data = duckdb_vector_get_data(v);
    duckdb_type id = duckdb_get_type_id(t);
    switch (id) {
    case DUCKDB_TYPE_SQLNULL:
        j = json_null();
        break;
    case DUCKDB_TYPE_BOOLEAN:
        j = json_boolean(((bool *)data)[row]);
        break;
    case DUCKDB_TYPE_TINYINT:
        j = json_integer(((int8_t *)data)[row]);
        break;
    case DUCKDB_TYPE_SMALLINT:
        j = json_integer(((int16_t *)data)[row]);
        break;
    case DUCKDB_TYPE_INTEGER:
        j = json_integer(((int32_t *)data)[row]);
        break;
    case DUCKDB_TYPE_BIGINT:
        j = json_integer(((int64_t *)data)[row]);
        break;
    case DUCKDB_TYPE_UTINYINT:
        j = json_integer(((uint8_t *)data)[row]);
        break;
    case DUCKDB_TYPE_USMALLINT:
        j = json_integer(((uint16_t *)data)[row]);
        break;
    case DUCKDB_TYPE_UINTEGER:
        j = json_integer(((uint32_t *)data)[row]);
        break;
    case DUCKDB_TYPE_UBIGINT:
        j = json_u128(((uint64_t *)data)[row]);
        break;
    case DUCKDB_TYPE_HUGEINT: {
        duckdb_hugeint h = ((duckdb_hugeint *)data)[row];
        j = json_i128((pond_i128)(((pond_u128)(uint64_t)h.upper << 64) | h.lower));
        break;
    }
    case DUCKDB_TYPE_UHUGEINT: {
        duckdb_uhugeint h = ((duckdb_uhugeint *)data)[row];
        j = json_u128(((pond_u128)h.upper << 64) | h.lower);
        break;
    }
    case DUCKDB_TYPE_FLOAT:
        j = json_double(((float *)data)[row]);
        break;
    case DUCKDB_TYPE_DOUBLE:
        j = json_double(((double *)data)[row]);
        break;
    case DUCKDB_TYPE_DECIMAL: {
        uint8_t scale = duckdb_decimal_scale(t);
        pond_i128 x = 0;
        switch (duckdb_decimal_internal_type(t)) {
        case DUCKDB_TYPE_SMALLINT: x = ((int16_t *)data)[row]; break;
        case DUCKDB_TYPE_INTEGER: x = ((int32_t *)data)[row]; break;
        case DUCKDB_TYPE_BIGINT: x = ((int64_t *)data)[row]; break;
        default: {
            duckdb_hugeint h = ((duckdb_hugeint *)data)[row];
            x = (pond_i128)(((pond_u128)(uint64_t)h.upper << 64) | h.lower);
        }
        }
        j = json_decimal(x, scale);
        break;
    }
    case DUCKDB_TYPE_VARCHAR: {
        duckdb_string_t *s = &((duckdb_string_t *)data)[row];
        j = json_stringn(duckdb_string_t_data(s), duckdb_string_t_length(*s));
        if (!j) {
            rc = pond_error_set(POND_EINVALID, "column '%s': text that is not UTF-8", col);
            goto done;
        }
        break;
    }
    case DUCKDB_TYPE_BLOB: {
        duckdb_string_t *s = &((duckdb_string_t *)data)[row];
        j = json_base64((const unsigned char *)duckdb_string_t_data(s),
                        duckdb_string_t_length(*s));
        break;
    }
    case DUCKDB_TYPE_BIT:
        j = json_bits(&((duckdb_string_t *)data)[row]);
        break;
    case DUCKDB_TYPE_UUID:
        j = json_uuid(((duckdb_hugeint *)data)[row]);
        break;
    case DUCKDB_TYPE_ENUM: {
        idx_t k;
        switch (duckdb_enum_internal_type(t)) {
        case DUCKDB_TYPE_UTINYINT: k = ((uint8_t *)data)[row]; break;
        case DUCKDB_TYPE_USMALLINT: k = ((uint16_t *)data)[row]; break;
        default: k = ((uint32_t *)data)[row]; break;
        }
        char *s = duckdb_enum_dictionary_value(t, k);
        j = json_string(s ? s : "");
        duckdb_free(s);
        break;
    }
    case DUCKDB_TYPE_DATE: {
        int32_t d = ((duckdb_date *)data)[row].days;
        if (d == INT32_MAX) {
            j = json_string("infinity");
        } else if (d == -INT32_MAX || d == INT32_MIN) {
            j = json_string("-infinity");
        } else {
            pond_buf b = POND_BUF_INIT;
            put_date(&b, d);
            j = json_stringn(b.ptr, b.len);
            pond_buf_free(&b);
        }
        break;
    }
    case DUCKDB_TYPE_TIME:
    case DUCKDB_TYPE_TIME_NS: {
        pond_buf b = POND_BUF_INIT;
        int64_t x = ((int64_t *)data)[row];
        put_time_of_day(&b, id == DUCKDB_TYPE_TIME ? x * 1000 : x);
        j = json_stringn(b.ptr, b.len);
        pond_buf_free(&b);
        break;
    }
    case DUCKDB_TYPE_TIME_TZ: {
        duckdb_time_tz_struct tz = duckdb_from_time_tz(((duckdb_time_tz *)data)[row]);
        pond_buf b = POND_BUF_INIT;
        int32_t off = tz.offset < 0 ? -tz.offset : tz.offset;
        put_time_of_day(&b, ((int64_t)tz.time.hour * 3600 + tz.time.min * 60 + tz.time.sec) *
                                    1000000000 +
                                (int64_t)tz.time.micros * 1000);
        pond_buf_printf(&b, "%c%02d:%02d", tz.offset < 0 ? '-' : '+', (int)(off / 3600),
                        (int)(off / 60 % 60));
        if (off % 60)
            pond_buf_printf(&b, ":%02d", (int)(off % 60));
        j = json_stringn(b.ptr, b.len);
        pond_buf_free(&b);
        break;
    }
    case DUCKDB_TYPE_TIMESTAMP_S:
        j = json_ts_units(((int64_t *)data)[row], 1, 0);
        break;
    case DUCKDB_TYPE_TIMESTAMP_MS:
        j = json_ts_units(((int64_t *)data)[row], 1000, 0);
        break;
    case DUCKDB_TYPE_TIMESTAMP:
        j = json_ts_units(((int64_t *)data)[row], 1000000, 0);
        break;
    case DUCKDB_TYPE_TIMESTAMP_TZ:
        j = json_ts_units(((int64_t *)data)[row], 1000000, 1);
        break;
    case DUCKDB_TYPE_TIMESTAMP_NS:
        j = json_ts_units(((int64_t *)data)[row], 1000000000, 0);
        break;
    case DUCKDB_TYPE_INTERVAL:
        j = json_interval(((duckdb_interval *)data)[row]);
        break;
    case DUCKDB_TYPE_LIST: {
        duckdb_list_entry e = ((duckdb_list_entry *)data)[row];
        duckdb_logical_type ct = duckdb_list_type_child_type(t);
        rc = list_to_json(&j, duckdb_list_vector_get_child(v), ct, e.offset, e.length, col);
        duckdb_destroy_logical_type(&ct);
        goto done;
    }
    case DUCKDB_TYPE_ARRAY: {
        idx_t n = duckdb_array_type_array_size(t);
        duckdb_logical_type ct = duckdb_array_type_child_type(t);
        rc = list_to_json(&j, duckdb_array_vector_get_child(v), ct, row * n, n, col);
        duckdb_destroy_logical_type(&ct);
        goto done;
    }
    case DUCKDB_TYPE_STRUCT:
        rc = struct_to_json(&j, v, t, row, col);
        goto done;
    case DUCKDB_TYPE_MAP:
        rc = map_to_json(&j, v, t, row, col);
        goto done;
    case DUCKDB_TYPE_UNION:
        rc = union_to_json(&j, v, t, row, col);
        goto done;
    default:
        rc = pond_error_set(POND_EINVALID,
                            "column '%s' has a type (duckdb type %d) with no json form: "
                            "cast it in the query, e.g. %s::VARCHAR",
                            col, (int)id, col);
        goto done;
    }
    if (!j)
        rc = pond_error_oom();
done:
    if (rc == POND_OK)
        *out = j;
    return rc;
}

/* ---- rows --------------------------------------------------------------------------------- */

int pond_json_rows_append(json_t *rows, duckdb_result *res)
{
    int rc = POND_OK;
    idx_t ncols = duckdb_column_count(res);
    duckdb_logical_type *types = NULL;
    duckdb_data_chunk chunk = NULL;
    json_t *obj = NULL;

    if (ncols && !(types = calloc(ncols, sizeof *types))) {
        rc = pond_error_oom();
        goto done;
    }
    for (idx_t c = 0; c < ncols; c++)
        types[c] = duckdb_column_logical_type(res, c);

    while ((chunk = duckdb_fetch_chunk(*res)) != NULL) {
        idx_t n = duckdb_data_chunk_get_size(chunk);
        for (idx_t r = 0; r < n; r++) {
            if (!(obj = json_object())) {
                rc = pond_error_oom();
                goto done;
            }
            for (idx_t c = 0; c < ncols; c++) {
                const char *name = duckdb_column_name(res, c);
                json_t *val = NULL;
                rc = cell_to_json(&val, duckdb_data_chunk_get_vector(chunk, c), types[c], r,
                                  name ? name : "");
                if (rc != POND_OK)
                    goto done;
                if (json_object_set_new(obj, name ? name : "", val) != 0) {
                    rc = pond_error_oom();
                    goto done;
                }
            }
            if (json_array_append_new(rows, obj) != 0) {
                obj = NULL;
                rc = pond_error_oom();
                goto done;
            }
            obj = NULL;
        }
        duckdb_destroy_data_chunk(&chunk);
    }
    const char *err = duckdb_result_error(res);
    if (err && *err)
        rc = pond_error_set(POND_ERROR, "%s", err);

done:
    json_decref(obj);
    if (chunk)
        duckdb_destroy_data_chunk(&chunk);
    if (types) {
        for (idx_t c = 0; c < ncols; c++)
            duckdb_destroy_logical_type(&types[c]);
        free(types);
    }
    return rc;
}
