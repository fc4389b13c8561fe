#define _POSIX_C_SOURCE 200809L
#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"

const char *np_strerror(int err)
{
	switch (err) {
	case NP_OK:
		return "ok";
	case NP_EIO:
		return "input/output error";
	case NP_EINVAL:
		return "invalid input";
	case NP_ENOTTEXT:
		return "not a text file";
	case NP_EENC:
		return "unknown encoding";
	case NP_EUNSAFE:
		return "unsafe path";
	case NP_ELIMIT:
		return "limit exceeded";
	case NP_ENOENT:
		return "not found";
	}
	return "unknown error";
}

int np_fs_read_fd(int fd, np_buf *out)
{
	np_buf_clear(out);
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		np_buf_grow(out, (size_t)st.st_size);
	for (;;) {
		np_buf_grow(out, 65536);
		ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return NP_EIO;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
	}
	out->data[out->len] = '\0';
	return 0;
}

int np_fs_read(const char *path, np_buf *out)
{
	np_buf_clear(out);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NP_EIO;
	int rc = np_fs_read_fd(fd, out), e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* mkdir -p, from the bottom: one mkdir when the parent is there (the usual
 * case), and the parents only when that mkdir says they are missing.  An
 * existing entry counts as done (a file in the way shows up when it is
 * used, as ENOTDIR). */
static int mkdirs(char *p, size_t len)
{
	if (mkdir(p, 0777) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return NP_EIO;
	size_t i = len;
	while (i > 0 && p[i - 1] != '/')
		i--;
	if (i == 0) /* "x": its parent is the working folder */
		return NP_EIO;
	size_t plen = i - 1; /* the parent: up to the last run of '/' */
	while (plen > 0 && p[plen - 1] == '/')
		plen--;
	if (plen == 0) /* "/x" */
		return NP_EIO;
	p[plen] = '\0';
	int rc = mkdirs(p, plen);
	p[plen] = '/';
	if (rc != 0)
		return rc;
	return mkdir(p, 0777) == 0 || errno == EEXIST ? 0 : NP_EIO;
}

int np_fs_mkdirs(const char *dir)
{
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len == 0)
		return 0;
	char *p = np_xstrndup(dir, len);
	int rc = mkdirs(p, len);
	int e = errno;
	free(p);
	errno = e;
	return rc;
}

int np_fs_mkdirs_for(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	char *dir = np_xstrndup(path, (size_t)(slash - path));
	int rc = np_fs_mkdirs(dir);
	int e = errno;
	free(dir);
	errno = e;
	return rc;
}

static void info_of(const struct stat *st, np_fs_info *info)
{
	if (info) {
		info->size = (uint64_t)st->st_size;
		info->ino = (uint64_t)st->st_ino;
		info->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
		info->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
	}
}

/* Reads exactly len bytes of fd into buf (which has room for len + 1, so
 * a file that grew since its fstat reads as different). */
static bool read_exactly(int fd, char *buf, size_t len)
{
	size_t got = 0;
	while (got <= len) {
		ssize_t n = read(fd, buf + got, len + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == len)
			break; /* the fstat size: EOF, no read needed to see it */
	}
	return got == len;
}

int np_fs_same_bytes(const char *path, const void *data, size_t len, np_fs_info *info)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? NP_ENOENT : 0;
	int same = 0;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == len) {
		if (len == 0) {
			same = 1;
		} else {
			char *cur = np_xmalloc(len + 1);
			same = read_exactly(fd, cur, len) && memcmp(cur, data, len) == 0;
			free(cur);
		}
	}
	if (same)
		info_of(&st, info);
	close(fd);
	return same;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return NP_EIO;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The process id for temporary names, asked for once.  A forked child
 * that inherits it is still safe: temporary files are created with
 * O_EXCL, and a name that is taken is skipped. */
static long temp_pid(void)
{
	static atomic_long pid;
	long p = atomic_load_explicit(&pid, memory_order_relaxed);
	if (p == 0) {
		p = (long)getpid();
		atomic_store_explicit(&pid, p, memory_order_relaxed);
	}
	return p;
}

/* Opens a new temporary file beside path, its name in tmp. */
static int open_temp(const char *path, np_buf *tmp)
{
	static atomic_uint counter;
	for (int tries = 0; tries < 100; tries++) {
		np_buf_clear(tmp);
		np_buf_printf(tmp, "%s.tmp.%ld.%u", path, temp_pid(), atomic_fetch_add(&counter, 1));
		int fd = open(tmp->data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1; /* errno is EEXIST */
}

enum { WRITER_CHUNK = 256 * 1024 };

int np_fs_writer_open(np_fs_writer *w, const char *path)
{
	np_buf_init(&w->tmp);
	np_buf_init(&w->pending);
	w->err = 0;
	w->path = path;
	w->fd = open_temp(path, &w->tmp);
	if (w->fd < 0) {
		w->err = errno;
		return NP_EIO;
	}
	return 0;
}

/* A write failed: the temporary file goes. */
static void writer_fail(np_fs_writer *w)
{
	w->err = errno;
	close(w->fd);
	unlink(w->tmp.data);
	w->fd = -1;
}

static void writer_flush(np_fs_writer *w)
{
	if (w->fd >= 0 && w->pending.len && write_all(w->fd, w->pending.data, w->pending.len) != 0)
		writer_fail(w);
	np_buf_clear(&w->pending);
}

void np_fs_writer_put(np_fs_writer *w, const void *data, size_t len)
{
	if (w->fd < 0)
		return;
	np_buf_put(&w->pending, data, len);
	if (w->pending.len >= WRITER_CHUNK)
		writer_flush(w);
}

/* Renames the file written over w->path (its metadata in *info unless
 * NULL) and lets go of w: 0, or NP_EIO with errno set.  The descriptor
 * stays open over the rename, so the metadata the file has in place
 * (rename sets its ctime) costs an fstat, not a lookup. */
static int writer_close(np_fs_writer *w, np_fs_info *info)
{
	int rc = NP_EIO;
	if (w->fd >= 0 && rename(w->tmp.data, w->path) != 0) {
		writer_fail(w);
	} else if (w->fd >= 0) {
		struct stat st;
		bool stat_ok = !info || fstat(w->fd, &st) == 0;
		w->err = errno;
		if (close(w->fd) != 0 || !stat_ok) {
			w->err = stat_ok ? errno : w->err; /* in place, but not known good */
		} else {
			if (info)
				info_of(&st, info);
			rc = 0;
		}
		w->fd = -1;
	}
	int e = w->err;
	np_buf_dispose(&w->tmp);
	np_buf_dispose(&w->pending);
	if (rc < 0)
		errno = e;
	return rc;
}

int np_fs_writer_commit(np_fs_writer *w)
{
	writer_flush(w);
	return writer_close(w, NULL);
}

int np_fs_write_replace(const char *path, const void *data, size_t len, np_fs_info *info)
{
	np_fs_writer w;
	if (np_fs_writer_open(&w, path) == 0 && write_all(w.fd, data, len) != 0)
		writer_fail(&w); /* straight from data: no copy into the buffer */
	return writer_close(&w, info) == 0 ? NP_WRITE_WRITTEN : NP_EIO;
}

bool np_fs_map_fd(int fd, np_fs_mapping *m)
{
	*m = (np_fs_mapping){NULL, 0};
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uintmax_t)st.st_size > SIZE_MAX)
		return false;
	int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
	flags |= MAP_POPULATE; /* the page cache's pages at once, not a fault each */
#endif
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, flags, fd, 0);
	if (p == MAP_FAILED)
		return false;
	*m = (np_fs_mapping){p, (size_t)st.st_size};
	return true;
}

bool np_fs_map(const char *path, np_fs_mapping *m)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	*m = (np_fs_mapping){NULL, 0};
	if (fd < 0)
		return false;
	bool ok = np_fs_map_fd(fd, m);
	close(fd);
	return ok;
}

void np_fs_unmap(np_fs_mapping *m)
{
	if (m->data)
		munmap((void *)(uintptr_t)m->data, m->len);
	*m = (np_fs_mapping){NULL, 0};
}

int np_fs_write_if_changed_info(const char *path, const void *data, size_t len, np_fs_info *info)
{
	if (np_fs_same_bytes(path, data, len, info) == 1)
		return NP_WRITE_UNCHANGED;
	int rc = np_fs_write_replace(path, data, len, info);
	if (rc < 0 && errno == ENOENT) { /* the folder is not there yet */
		if (np_fs_mkdirs_for(path) != 0)
			return NP_EIO;
		rc = np_fs_write_replace(path, data, len, info);
	}
	return rc;
}

int np_fs_write_if_changed(const char *path, const void *data, size_t len)
{
	return np_fs_write_if_changed_info(path, data, len, NULL);
}

bool np_fs_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

bool np_fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int np_fs_stat_near(np_fs_near *near, int root_fd, const char *rel, struct stat *st)
{
	const char *last = strrchr(rel, '/'), *cut = NULL;
	for (const char *p = rel; last && p < last; p++)
		if (*p == '/')
			cut = p; /* the slash before the last one */
	if (!cut && last)
		cut = last; /* a file one folder deep: that folder */
	if (!cut || (size_t)(cut - rel) >= sizeof near->name)
		return fstatat(root_fd, rel, st, 0);
	size_t len = (size_t)(cut - rel);
	if (near->len != len || memcmp(near->name, rel, len) != 0) {
		np_fs_near_close(near);
		memcpy(near->name, rel, len);
		near->name[len] = '\0';
		near->len = len;
		near->fd = openat(root_fd, near->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (near->fd < 0)
		return fstatat(root_fd, rel, st, 0);
	return fstatat(near->fd, cut + 1, st, 0);
}

void np_fs_near_close(np_fs_near *near)
{
	if (near->len && near->fd >= 0)
		close(near->fd);
	near->fd = -1;
	near->len = 0;
}

bool np_path_is_safe_rel(np_str rel)
{
	if (rel.len == 0 || rel.p[0] == '/')
		return false;
	size_t start = 0;
	for (size_t i = 0; i <= rel.len; i++) {
		if (i < rel.len && rel.p[i] == '\\')
			return false;
		if (i < rel.len && rel.p[i] == '\0')
			return false;
		if (i == rel.len || rel.p[i] == '/') {
			size_t n = i - start;
			if (n == 0 || (n == 1 && rel.p[start] == '.') ||
			    (n == 2 && rel.p[start] == '.' && rel.p[start + 1] == '.'))
				return false;
			start = i + 1;
		}
	}
	return true;
}

void np_path_join(np_buf *out, const char *a, const char *b)
{
	np_buf_clear(out);
	np_buf_puts(out, a);
	if (out->len && out->data[out->len - 1] != '/')
		np_buf_putc(out, '/');
	np_buf_puts(out, b);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *root, np_buf *rel, np_walk_fn fn, void *ctx)
{
	np_buf dir;
	np_buf_init(&dir);
	np_path_join(&dir, root, rel->data);
	DIR *d = opendir(rel->len ? dir.data : root);
	np_buf_dispose(&dir);
	if (!d)
		return 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = np_xrealloc(names, np_mul(cap, sizeof *names));
		}
		names[n++] = np_xstrndup(e->d_name, strlen(e->d_name));
	}
	closedir(d);
	if (n > 1) /* names is NULL for an empty folder, which qsort must not see */
		qsort(names, n, sizeof *names, cmp_names);
	int rc = 0;
	size_t keep = rel->len;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0) {
			if (keep)
				np_buf_putc(rel, '/');
			np_buf_puts(rel, names[i]);
			np_buf full;
			np_buf_init(&full);
			np_path_join(&full, root, rel->data);
			struct stat st;
			if (lstat(full.data, &st) == 0) {
				/* Folders are walked only when real (no symlink
				 * loops); a symlink to a file, or a dangling one, is
				 * handed on so the caller reads it or says why it
				 * cannot: a page the user put there never vanishes
				 * without a word. */
				struct stat target;
				if (S_ISDIR(st.st_mode))
					rc = walk(root, rel, fn, ctx);
				else if (S_ISREG(st.st_mode) ||
				         (S_ISLNK(st.st_mode) &&
				          (stat(full.data, &target) != 0 || S_ISREG(target.st_mode))))
					rc = fn(root, rel->data, ctx);
			}
			np_buf_dispose(&full);
			np_buf_truncate(rel, keep);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int np_fs_walk(const char *root, np_walk_fn fn, void *ctx)
{
	np_buf rel;
	np_buf_init(&rel);
	int rc = walk(root, &rel, fn, ctx);
	np_buf_dispose(&rel);
	return rc;
}
