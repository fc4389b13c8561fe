/* File I/O helpers.  Every write goes through np_fs_write_replace(): a
 * temporary name in the same folder and rename(2), so a killed build never
 * leaves a truncated file (under the output folder, render/output.c is the
 * only caller). */
#ifndef NP_UTIL_FS_H
#define NP_UTIL_FS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

/* Read the whole file at path into out (cleared first).  Returns 0, or
 * NP_EIO with errno set. */
int np_fs_read(const char *path, np_buf *out);
/* The same from an open file, read from where it stands; fd stays open. */
int np_fs_read_fd(int fd, np_buf *out);
/* mkdir -p for the folder part of path (everything before the last '/').
 * Returns 0, or NP_EIO with errno set. */
int np_fs_mkdirs_for(const char *path);
/* mkdir -p: one mkdir(2) when the parent exists, more only for missing
 * parents.  Returns 0, or NP_EIO with errno set. */
int np_fs_mkdirs(const char *dir);
typedef enum np_write_result { NP_WRITE_UNCHANGED = 0, NP_WRITE_WRITTEN = 1 } np_write_result;
/* What a write left on disk: the file's size and mtime (ns), from fstat(2)
 * on the file written or compared, so no stat of the path is needed. */
typedef struct np_fs_info {
	uint64_t size, ino;
	int64_t mtime_ns, ctime_ns;
} np_fs_info;
/* fstatat(root_fd, rel) through a descriptor of rel's grandparent folder,
 * kept open in *near while consecutive calls share that folder (as sorted
 * output paths do: articles/<issue>/ holds an issue's articles, each in a
 * folder of its own): two path components to look up per file, whatever
 * the depth.  Follows symlinks.  0, or -1 with errno set. */
typedef struct np_fs_near {
	int fd;
	size_t len; /* of the folder's name in rel, 0 = none open */
	char name[512];
} np_fs_near;
#define NP_FS_NEAR_INIT {-1, 0, {0}}
struct stat;
int np_fs_stat_near(np_fs_near *near, int root_fd, const char *rel, struct stat *st);
void np_fs_near_close(np_fs_near *near);

/* 1 when path is a regular file holding exactly data (its size and mtime
 * then in *info unless info is NULL), 0 when it is something else,
 * NP_ENOENT when there is nothing at path or a folder of it is missing.
 * One open(2), fstat(2) and, when the sizes match, one read(2) as a rule. */
int np_fs_same_bytes(const char *path, const void *data, size_t len, np_fs_info *info);
/* Writes data to a new file path.tmp.<pid>.<n> (O_EXCL) in path's folder
 * and renames it over path: path is whole at every moment.  Creates no
 * folder.  Returns NP_WRITE_WRITTEN (the file's metadata after the rename,
 * which sets its ctime, in *info unless NULL) or NP_EIO with errno set
 * (ENOENT when the folder is missing). */
int np_fs_write_replace(const char *path, const void *data, size_t len, np_fs_info *info);

/* The same for a file made a piece at a time, without a buffer of the
 * whole (a 13 MB output manifest, say): np_fs_writer_open makes the
 * temporary file, np_fs_writer_put appends (buffered), np_fs_writer_commit
 * renames it over path (which must live until then), or removes it when a
 * write failed.  Open and commit return 0 or NP_EIO with errno set; put
 * after a failure does nothing, and commit reports the failure. */
typedef struct np_fs_writer {
	int fd;  /* -1: not open, or failed */
	int err; /* errno of the first failure */
	np_buf tmp, pending;
	const char *path;
} np_fs_writer;
int np_fs_writer_open(np_fs_writer *w, const char *path);
void np_fs_writer_put(np_fs_writer *w, const void *data, size_t len);
int np_fs_writer_commit(np_fs_writer *w);

/* A regular file mapped read-only (an empty, absent or unmappable one is
 * not: false, *m zeroed).  The bytes stay valid until np_fs_unmap, even
 * if the file is replaced or removed meanwhile. */
typedef struct np_fs_mapping {
	const char *data;
	size_t len;
} np_fs_mapping;
bool np_fs_map(const char *path, np_fs_mapping *m);
bool np_fs_map_fd(int fd, np_fs_mapping *m);
void np_fs_unmap(np_fs_mapping *m);
/* Write data to path unless the file already holds exactly these bytes (then
 * neither bytes nor mtime change), through np_fs_write_replace, creating
 * path's folder when it is missing.  Returns NP_WRITE_* (>= 0) or NP_EIO
 * with errno set. */
int np_fs_write_if_changed(const char *path, const void *data, size_t len);
/* The same, with the size and mtime of the file in *info (unless NULL). */
int np_fs_write_if_changed_info(const char *path, const void *data, size_t len, np_fs_info *info);
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
