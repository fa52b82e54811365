/* mustache module: see mustache.h / DESIGN.md. */
typedef int pond_mustache_placeholder_;
