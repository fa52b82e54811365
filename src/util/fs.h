/*
 * util/fs.h: host file-system helpers (directories, whole-file I/O, durable writes).
 *
 * Every function that can fail returns POND_OK or a negative pond_error_code with the error
 * set, naming the path and strerror(errno):  ENOENT -> POND_ENOTFOUND, EEXIST/ENOTEMPTY ->
 * POND_EEXISTS, ENOMEM -> POND_ENOMEM, everything else -> POND_ERROR.
 * Predicates (exists, is_dir) return 1 / 0 and never set the error.
 * Paths are host paths (relative ones are relative to the working directory).  Output
 * buffers are cleared before they are written; the caller frees them.
 */
#ifndef POND_UTIL_FS_H
#define POND_UTIL_FS_H

#include <stddef.h>
#include "util/buf.h"

/* Create directory path and any missing parents (mode 0777 & ~umask).  POND_OK when it
 * already exists as a directory (or a symlink to one); POND_EEXISTS when a component exists
 * and is not a directory. */
int pond_fs_mkdir_p(const char *path);

/* Remove path and, if it is a directory, everything below it.  POND_OK when path does not
 * exist.  Symlinks are removed, never followed (path itself included). */
int pond_fs_rm_rf(const char *path);

/* 1 if something (file, directory, dangling symlink …) exists at path (lstat), else 0. */
int pond_fs_exists(const char *path);

/* 1 if path is a directory (following symlinks, stat), else 0. */
int pond_fs_is_dir(const char *path);

/* 1 if directory path has no entries besides "." and "..", 0 if it has some,
 * <0 (error set) when it cannot be read (missing, not a directory, no permission). */
int pond_fs_dir_is_empty(const char *path);

/* fsync(2) the file or directory at path.  File systems that cannot fsync a directory
 * (EINVAL) are accepted. */
int pond_fs_fsync_path(const char *path);

/* fsync the directory that holds path ("." for a bare name), so a rename or create of path
 * is durable. */
int pond_fs_fsync_parent(const char *path);

/* Read the whole file at path into out (cleared first; always NUL-terminated, so a text file
 * can be used as a C string; out->len is the byte count). */
int pond_fs_read_file(const char *path, pond_buf *out);

/* Replace path with data[0..len) atomically: write a temporary file in the same directory
 * (mode 0666 & ~umask), fsync it, rename it over path, fsync the directory.  On failure path
 * is untouched and the temporary file removed. */
int pond_fs_write_file_atomic(const char *path, const void *data, size_t len);

/* Create a new temporary file beside path, exclusively: "<dir>/.<base>.tmp-<pid>-<n>-<r>"
 * opened with O_EXCL | O_NOFOLLOW (a name someone planted, a symlink say, is never
 * followed), mode 0666 & ~umask.  Its name goes to tmp and its descriptor (write-only,
 * close-on-exec) to *fd; the caller closes it and renames or removes the file.  The pid in the
 * name lets pond_fs_remove_stale_temps() tell a killed process's leftover. */
int pond_fs_temp_beside(const char *path, pond_buf *tmp, int *fd);

/* Remove the temporaries of path (pond_fs_temp_beside's names, and "<path>.pond-tmp-<pid>" of
 * pond 0.1.0) whose process no longer runs.  Best effort: never fails, sets no error. */
void pond_fs_remove_stale_temps(const char *path);

/* Put the finished file src at dst, atomically and durably: src is moved to a
 * pond_fs_temp_beside() file of dst (renamed when both are on one file system, else copied
 * and fsynced), which is then renamed over dst (a symlink at dst is replaced, not followed),
 * and dst's directory is fsynced.  On failure dst is as it was.  src is gone on success and
 * may be gone after a failure. */
int pond_fs_install(const char *src, const char *dst);

/* The first half of pond_fs_install: src moved (or copied) to a new temporary file beside
 * dst, fsynced, its name in tmp; dst itself is not touched.  On failure no temporary is
 * left. */
int pond_fs_move_beside(const char *src, const char *dst, pond_buf *tmp);

/* Copy regular file src to dst (created or truncated, mode 0666 & ~umask), streaming in
 * 1 MiB blocks, then fsync dst.  Does not fsync dst's directory. */
int pond_fs_copy_file(const char *src, const char *dst);

/* rename(2) from -> to, with a message naming both. */
int pond_fs_rename(const char *from, const char *to);

/* Make path absolute (prefixing the working directory when relative) and clean it
 * lexically: repeated '/', "." and trailing '/' go, ".." removes the component before it
 * ("/.." is "/").  Symlinks are not resolved; path need not exist.  POND_EINVALID if empty. */
int pond_fs_abspath(const char *path, pond_buf *out);

/* The real path of path (absolute, symlinks resolved, as realpath(3)), also for a path that
 * does not exist yet: then its deepest existing ancestor is resolved and the rest appended,
 * cleaned lexically as pond_fs_abspath does.  So two spellings of one place, through
 * symlinks or not, give the same text. */
int pond_fs_realpath(const char *path, pond_buf *out);

/* 1 if path is dir or lies below it (both absolute and clean, as pond_fs_realpath makes
 * them; compared name by name, so "/a/bc" is not below "/a/b"), else 0. */
int pond_fs_path_within(const char *path, const char *dir);

/* Create a new, private (0700) directory "<parent>/<prefix>XXXXXX" (mkdtemp) and put its
 * path in out.  parent must exist. */
int pond_fs_mktemp_dir(const char *parent, const char *prefix, pond_buf *out);

#endif
