/* export module: see export.h / DESIGN.md. */
typedef int pond_export_placeholder_;
