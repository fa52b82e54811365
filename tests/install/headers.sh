#!/usr/bin/env bash
# tests/install/headers.sh: every public header compiles alone, as C11 and as C++, under
# -Wall -Wextra -pedantic -Werror; C++ sees the declarations with C linkage.
. "$(dirname "$0")/../cli/lib.sh"

inc="-I$POND_SOURCE_DIR/include -I$POND_BUILD_DIR/include"
for h in pond.h pond/common.h pond/version.h pond/error.h pond/store.h pond/export.h; do
    # (the typedef keeps a header of macros only from being an empty translation unit)
    printf '#include <%s>\ntypedef int header_test;\n' "$h" >"$TMP/h.c"
    expect_ok cc -std=c11 -Wall -Wextra -pedantic -Werror -fsyntax-only $inc "$TMP/h.c"
    cp "$TMP/h.c" "$TMP/h.cpp"
    expect_ok g++ -std=c++11 -Wall -Wextra -pedantic -Werror -fsyntax-only $inc "$TMP/h.cpp"
done
# The _INIT macros are complete initializers in both languages (no missing-field warnings),
# and C++ links the functions with C names.
cat >"$TMP/use.cpp" <<'CPP'
#include <pond.h>
int main()
{
    pond_copy_options c = POND_COPY_OPTIONS_INIT;
    pond_cat_options t = POND_CAT_OPTIONS_INIT;
    pond_export_options e = POND_EXPORT_OPTIONS_INIT;
    return (c.version != POND_COPY_OPTIONS_VERSION) + (t.version != POND_CAT_OPTIONS_VERSION) +
           (e.version != POND_EXPORT_OPTIONS_VERSION) + (pond_version(0, 0, 0) ? 0 : 1);
}
CPP
# (a sanitizer build's libpond.so needs its runtime in the program too)
san=""
[ "${POND_SANITIZE:-OFF}" = ON ] && san="-fsanitize=address,undefined"
expect_ok g++ -std=c++11 -Wall -Wextra -pedantic -Werror -Wmissing-field-initializers $inc $san \
    "$TMP/use.cpp" -o "$TMP/use" -L"$POND_BUILD_DIR" -lpond -Wl,-rpath,"$POND_BUILD_DIR"
expect_ok "$TMP/use"
check_eq "C++ calls pond_version by its C name" "" \
    "$(nm "$TMP/use" | grep -E ' U _Z.*pond_version' || true)"
cat >"$TMP/use.c" <<'C'
#include <pond.h>
int main(void)
{
    pond_copy_options c = POND_COPY_OPTIONS_INIT;
    pond_cat_options t = POND_CAT_OPTIONS_INIT;
    pond_export_options e = POND_EXPORT_OPTIONS_INIT;
    return (c.version != POND_COPY_OPTIONS_VERSION) + (t.version != POND_CAT_OPTIONS_VERSION) +
           (e.version != POND_EXPORT_OPTIONS_VERSION);
}
C
expect_ok cc -std=c11 -Wall -Wextra -pedantic -Werror -Wmissing-field-initializers $inc \
    -fsyntax-only "$TMP/use.c"

done_testing
