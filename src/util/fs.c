#define _POSIX_C_SOURCE 200809L
#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
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

int np_fs_read(const char *path, np_buf *out)
{
	np_buf_clear(out);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NP_EIO;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		np_buf_grow(out, (size_t)st.st_size);
	for (;;) {
		np_buf_grow(out, 65536);
		ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			errno = e;
			return NP_EIO;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
	}
	out->data[out->len] = '\0';
	close(fd);
	return 0;
}

int np_fs_mkdirs(const char *dir)
{
	np_buf p;
	np_buf_init(&p);
	np_buf_puts(&p, dir);
	int rc = 0;
	for (size_t i = 1; i <= p.len; i++) {
		if (i < p.len && p.data[i] != '/')
			continue;
		char c = p.data[i];
		p.data[i] = '\0';
		if (mkdir(p.data, 0777) != 0 && errno != EEXIST) {
			rc = NP_EIO;
			p.data[i] = c;
			break;
		}
		p.data[i] = c;
	}
	np_buf_dispose(&p);
	return rc;
}

int np_fs_mkdirs_for(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	char *dir = np_xstrndup(path, (size_t)(slash - path));
	int rc = np_fs_mkdirs(dir);
	free(dir);
	return rc;
}

static bool same_bytes(const char *path, const void *data, size_t len)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len)
		return false;
	np_buf cur;
	np_buf_init(&cur);
	bool same = np_fs_read(path, &cur) == 0 && cur.len == len &&
	            (len == 0 || memcmp(cur.data, data, len) == 0);
	np_buf_dispose(&cur);
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

int np_fs_write_if_changed(const char *path, const void *data, size_t len)
{
	static atomic_uint counter;
	if (same_bytes(path, data, len))
		return NP_WRITE_UNCHANGED;
	if (np_fs_mkdirs_for(path) != 0)
		return NP_EIO;
	np_buf tmp;
	np_buf_init(&tmp);
	np_buf_printf(&tmp, "%s.tmp.%ld.%u", path, (long)getpid(), atomic_fetch_add(&counter, 1));
	int rc = NP_EIO;
	int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		goto out;
	if (write_all(fd, data, len) != 0) {
		close(fd);
		unlink(tmp.data);
		goto out;
	}
	if (close(fd) != 0 || rename(tmp.data, path) != 0) {
		unlink(tmp.data);
		goto out;
	}
	rc = NP_WRITE_WRITTEN;
out:
	np_buf_dispose(&tmp);
	return rc;
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
