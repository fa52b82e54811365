/*
 * store/names.c: the words of the store's enums ("data"/"control", output formats).
 */
#include "store/store_int.h"

#include <string.h>

int pond_fs_parse(pond_fs *out, const char *word)
{
    if (word && strcmp(word, "data") == 0)
        *out = POND_FS_DATA;
    else if (word && strcmp(word, "control") == 0)
        *out = POND_FS_CONTROL;
    else
        return pond_error_set(POND_EINVALID, "unknown file system '%s' (expected data or control)",
                              word ? word : "");
    return POND_OK;
}

int pond_output_format_parse(pond_output_format *out, const char *word)
{
    static const char *const words[] = {"table", "csv", "json", "parquet"};
    size_t i;

    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (word && strcmp(word, words[i]) == 0) {
            *out = (pond_output_format)i;
            return POND_OK;
        }
    }
    return pond_error_set(POND_EINVALID,
                          "unknown output format '%s' (expected table, csv, json or parquet)",
                          word ? word : "");
}
