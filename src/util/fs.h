/* File I/O helpers.  The only code that writes under the output folder is
 * np_fs_write_if_changed(), which goes through a temporary name in the same
 * folder and rename(2), so a killed build never leaves a truncated file. */
#ifndef NP_UTIL_FS_H
#define NP_UTIL_FS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

/* Read the whole file at path into out (cleared first).  Returns 0, or
 * NP_EIO with errno set. */
int np_fs_read(const char *path, np_buf *out);
/* mkdir -p for the folder part of path (everything before the last '/'). */
int np_fs_mkdirs_for(const char *path);
int np_fs_mkdirs(const char *dir);
typedef enum np_write_result { NP_WRITE_UNCHANGED = 0, NP_WRITE_WRITTEN = 1 } np_write_result;
/* Write data to path unless the file already holds exactly these bytes (then
 * neither bytes nor mtime change).  Writes to path.tmp.<pid>.<n> and renames.
 * Returns NP_WRITE_* (>= 0) or NP_EIO. */
int np_fs_write_if_changed(const char *path, const void *data, size_t len);
bool np_fs_exists(const char *path);
bool np_fs_is_dir(const char *path);
/* True when rel is a relative path with no "..", no empty and no "."
 * component and no backslash: it cannot leave the folder it is joined to. */
bool np_path_is_safe_rel(np_str rel);
/* Join a and b with one '/' into out (cleared first). */
void np_path_join(np_buf *out, const char *a, const char *b);

/* Calls fn for each regular file under root (recursively, sorted by path so
 * results are deterministic), with the path relative to root, and for each
 * symlink that points to a file or to nothing (the caller reports what it
 * cannot read).  Symlinked folders are not followed.  Skips entries whose
 * name starts with '.'.  Stops and returns fn's value if non-zero. */
typedef int (*np_walk_fn)(const char *root, const char *rel, void *ctx);
int np_fs_walk(const char *root, np_walk_fn fn, void *ctx);

#endif
