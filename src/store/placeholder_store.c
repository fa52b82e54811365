/* store module: see store.h / DESIGN.md. */
typedef int pond_store_placeholder_;
