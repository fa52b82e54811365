/*
 * pond/common.h: what every public header of libpond shares: the export macro and the C++
 * guards.  Included by each of them; an embedder need not include it.
 *
 * libpond is built with -fvisibility=hidden, so only the declarations marked POND_API are
 * exported from libpond.so; everything else in the library is internal.
 */
#ifndef POND_COMMON_H
#define POND_COMMON_H

#if defined(__GNUC__) || defined(__clang__)
#define POND_API __attribute__((visibility("default")))
#else
#define POND_API
#endif

#ifdef __cplusplus
#define POND_BEGIN_DECLS extern "C" {
#define POND_END_DECLS }
#else
#define POND_BEGIN_DECLS
#define POND_END_DECLS
#endif

#endif
