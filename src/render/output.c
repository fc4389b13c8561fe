#define _POSIX_C_SOURCE 200809L
#include "render/output.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fs.h"
#include "util/strmap.h"

struct np_output_log {
	char *out_dir;
	char *manifest;
	pthread_mutex_t lock;
	char **paths;
	size_t n, cap;
	size_t removed;
};

np_output_log *np_output_log_new(const char *out_dir, const char *manifest)
{
	np_output_log *l = np_xcalloc(1, sizeof *l);
	l->out_dir = np_xstrndup(out_dir, strlen(out_dir));
	l->manifest = np_xstrndup(manifest, strlen(manifest));
	pthread_mutex_init(&l->lock, NULL);
	return l;
}

static void remember(np_output_log *l, const char *rel)
{
	pthread_mutex_lock(&l->lock);
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->paths = np_xrealloc(l->paths, np_mul(l->cap, sizeof *l->paths));
	}
	l->paths[l->n++] = np_xstrndup(rel, strlen(rel));
	pthread_mutex_unlock(&l->lock);
}

int np_output_write(np_output_log *l, const char *rel, const void *data, size_t len, np_diags *d)
{
	if (!np_path_is_safe_rel(np_str_from(rel))) {
		np_diag_add(d, NP_ERROR, rel, 0, 0, "refusing to write outside the output folder");
		return NP_EUNSAFE;
	}
	np_buf path;
	np_buf_init(&path);
	np_path_join(&path, l->out_dir, rel);
	int rc = np_fs_write_if_changed(path.data, data, len);
	if (rc < 0)
		np_diag_add(d, NP_ERROR, path.data, 0, 0, "cannot write: %s", strerror(errno));
	else
		remember(l, rel);
	np_buf_dispose(&path);
	return rc;
}

/* size and mtime (ns) of out_dir/rel; false when it is not a file. */
bool np_output_stat(np_output_log *l, const char *rel, uint64_t *size, int64_t *mtime_ns)
{
	np_buf path;
	np_buf_init(&path);
	np_path_join(&path, l->out_dir, rel);
	struct stat st;
	bool ok = stat(path.data, &st) == 0 && S_ISREG(st.st_mode);
	if (ok) {
		*size = (uint64_t)st.st_size;
		*mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	}
	np_buf_dispose(&path);
	return ok;
}

bool np_output_keep(np_output_log *l, const char *rel, uint64_t size, int64_t mtime_ns)
{
	uint64_t sz;
	int64_t mt;
	if (!np_path_is_safe_rel(np_str_from(rel)) || !np_output_stat(l, rel, &sz, &mt) ||
	    sz != size || mt != mtime_ns)
		return false;
	remember(l, rel);
	return true;
}

typedef struct copy_ctx {
	np_output_log *log;
	const char *dst;
	np_diags *d;
} copy_ctx;

static int copy_one(const char *root, const char *rel, void *vctx)
{
	copy_ctx *c = vctx;
	np_buf src, dst;
	np_buf_init(&src);
	np_buf_init(&dst);
	np_path_join(&src, root, rel);
	np_buf data;
	np_buf_init(&data);
	if (np_fs_read(src.data, &data) == 0) {
		np_path_join(&dst, c->dst, rel);
		np_output_write(c->log, dst.data, data.data, data.len, c->d);
	} else {
		np_diag_add(c->d, NP_ERROR, src.data, 0, 0, "cannot read: %s", strerror(errno));
	}
	np_buf_dispose(&data);
	np_buf_dispose(&src);
	np_buf_dispose(&dst);
	return 0;
}

void np_output_copy_tree(np_output_log *log, const char *src_dir, const char *dst_rel, np_diags *d)
{
	copy_ctx c = {log, dst_rel, d};
	np_fs_walk(src_dir, copy_one, &c);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Removes the outputs listed in the old manifest that this build did not
 * make, then the folders that emptied. */
static void remove_stale(np_output_log *l, np_diags *d)
{
	np_buf old, path;
	np_buf_init(&old);
	np_buf_init(&path);
	if (np_fs_read(l->manifest, &old) != 0)
		goto out;
	np_strmap now;
	np_strmap_init(&now);
	for (size_t i = 0; i < l->n; i++)
		np_strmap_put(&now, np_str_from(l->paths[i]), i);
	size_t v;
	for (char *line = old.data; *line;) {
		char *nl = strchr(line, '\n');
		np_str rel = {line, nl ? (size_t)(nl - line) : strlen(line)};
		if (rel.len && np_path_is_safe_rel(rel) && !np_strmap_get(&now, rel, &v)) {
			np_buf_clear(&path);
			np_buf_printf(&path, "%s/%.*s", l->out_dir, (int)rel.len, rel.p);
			if (unlink(path.data) == 0) {
				l->removed++;
				/* Folders left empty go too (rmdir fails on the rest). */
				for (char *s = strrchr(path.data, '/'); s && s > path.data + strlen(l->out_dir);
				     s = strrchr(path.data, '/')) {
					*s = '\0';
					if (rmdir(path.data) != 0)
						break;
				}
			} else if (errno != ENOENT) {
				np_diag_add(d, NP_WARNING, path.data, 0, 0, "cannot remove stale output: %s",
				            strerror(errno));
			}
		}
		line = nl ? nl + 1 : line + rel.len;
	}
	np_strmap_dispose(&now);
out:
	np_buf_dispose(&old);
	np_buf_dispose(&path);
}

void np_output_log_finish(np_output_log *l, np_build_stats *st, np_diags *d)
{
	qsort(l->paths, l->n, sizeof *l->paths, cmp_str);
	remove_stale(l, d);
	np_buf list;
	np_buf_init(&list);
	for (size_t i = 0; i < l->n; i++) {
		np_buf_puts(&list, l->paths[i]);
		np_buf_putc(&list, '\n');
		free(l->paths[i]);
	}
	if (np_fs_write_if_changed(l->manifest, list.data, list.len) < 0)
		np_diag_add(d, NP_WARNING, l->manifest, 0, 0, "cannot save the list of outputs: %s",
		            strerror(errno));
	st->files_removed += l->removed;
	np_buf_dispose(&list);
	pthread_mutex_destroy(&l->lock);
	free(l->paths);
	free(l->out_dir);
	free(l->manifest);
	free(l);
}
