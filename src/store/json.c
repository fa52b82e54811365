/*
 * store/json.c: JSON string literals for the small JSON texts the store writes itself
 * (schemas, transaction variables).
 */
#include "store/store_int.h"

int store_json_string(pond_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    int rc = pond_buf_putc(b, '"');

    for (; rc == POND_OK && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': rc = pond_buf_puts(b, "\\\""); break;
        case '\\': rc = pond_buf_puts(b, "\\\\"); break;
        case '\n': rc = pond_buf_puts(b, "\\n"); break;
        case '\r': rc = pond_buf_puts(b, "\\r"); break;
        case '\t': rc = pond_buf_puts(b, "\\t"); break;
        default:
            if (c < 0x20) {
                char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
                rc = pond_buf_puts(b, u);
            } else {
                rc = pond_buf_putc(b, (char)c);
            }
        }
    }
    return rc ? rc : pond_buf_putc(b, '"');
}
