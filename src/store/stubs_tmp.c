/* store/stubs_tmp.c: temporary stubs for what is not written yet (milestone 2). */
#include "store/store_int.h"
int pond_copy_out(pond *p, pond_fs fs, const char *src, const char *host_path)
{ return pond_error_set(POND_ERROR, "copy out is not implemented yet"); }
int pond_cat(pond *p, pond_fs fs, const char *path, const pond_cat_options *opts, FILE *out)
{ return pond_error_set(POND_ERROR, "cat is not implemented yet"); }
int pond_txn_log(pond *p, pond_txn_fn fn, void *ctx)
{ return pond_error_set(POND_ERROR, "txn log is not implemented yet"); }
int pond_check(pond *p, int repair, pond_check_report *report, pond_check_fn fn, void *ctx)
{ return pond_error_set(POND_ERROR, "check is not implemented yet"); }
int store_control_glob(pond *p, const char *pattern, unsigned flags, pond_entry_fn fn, void *ctx)
{ return pond_error_set(POND_ERROR, "the control file system is not implemented yet"); }
