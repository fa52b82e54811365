/* Placeholder until the CLI lands: prints the version. */
#include <stdio.h>
#include "pond.h"
int main(void) { printf("pond %s\n", pond_version_string()); return 0; }
