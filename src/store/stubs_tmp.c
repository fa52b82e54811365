/* store/stubs_tmp.c: temporary stubs for what is not written yet (milestone 2). */
#include "store/store_int.h"
int pond_check(pond *p, int repair, pond_check_report *report, pond_check_fn fn, void *ctx)
{ return pond_error_set(POND_ERROR, "check is not implemented yet"); }
