/* glob module: see glob.h / DESIGN.md. */
typedef int pond_glob_placeholder_;
