/* util/version.c: the library version. */
#include "pond.h"
const char *pond_version_string(void) { return "0.1.0"; }
