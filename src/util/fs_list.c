/* Tree listings (fs_list.h): level by level, each level's folders shared
 * out over the pool. */
#define _POSIX_C_SOURCE 200809L
#include "util/fs_list.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/pool.h"

void np_fs_list_init(np_fs_list *l)
{
	memset(l, 0, sizeof *l);
	np_arena_init(&l->arena);
}

void np_fs_list_dispose(np_fs_list *l)
{
	free(l->items);
	np_arena_dispose(&l->arena);
	for (size_t i = 0; i < l->n_worker_arenas; i++)
		np_arena_dispose(&l->worker_arenas[i]);
	free(l->worker_arenas);
	memset(l, 0, sizeof *l);
}

static void push(np_fs_item **v, size_t *n, size_t *cap, np_fs_item it)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = np_xrealloc(*v, np_mul(*cap, sizeof **v));
	}
	(*v)[(*n)++] = it;
}

static void fill(np_fs_item *it, const struct stat *st)
{
	it->mode = (unsigned)(st->st_mode & S_IFMT);
	it->ino = (uint64_t)st->st_ino;
	it->size = (uint64_t)st->st_size;
	it->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	it->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

/* One entry of a folder: a folder to list, a file (symlinks followed) or
 * a dangling symlink.  False when it vanished meanwhile. */
static bool stat_item(int dir_fd, const char *name, np_fs_item *it)
{
	struct stat st;
	if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return false;
	it->kind = S_ISDIR(st.st_mode) ? NP_FS_DIR : NP_FS_FILE;
	if (S_ISLNK(st.st_mode)) {
		struct stat target;
		if (fstatat(dir_fd, name, &target, 0) == 0)
			st = target;
		else
			it->kind = NP_FS_DANGLING;
	}
	if (it->kind == NP_FS_DIR && !S_ISDIR(st.st_mode))
		it->kind = NP_FS_FILE;
	fill(it, &st);
	return true;
}

typedef struct level_ctx {
	int base_fd;
	const char **dirs; /* this level's folders */
	np_fs_item **found; /* per folder: its entries */
	size_t *n_found, *cap_found;
	np_arena *arenas; /* per worker: the entries' paths */
} level_ctx;

static int cmp_rel(const void *a, const void *b)
{
	return strcmp(((const np_fs_item *)a)->rel, ((const np_fs_item *)b)->rel);
}

int np_fs_item_ptr_cmp(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	return cmp_rel(*(const np_fs_item *const *)a, *(const np_fs_item *const *)b);
}

static void list_dir(void *vctx, size_t i, unsigned worker)
{
	level_ctx *c = vctx;
	const char *rel = c->dirs[i];
	int fd = openat(c->base_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	size_t rlen = strlen(rel);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		np_fs_item it = {0};
		if (!stat_item(dirfd(d), e->d_name, &it))
			continue;
		size_t nlen = strlen(e->d_name);
		char *p = np_arena_alloc(&c->arenas[worker], rlen + nlen + 2);
		memcpy(p, rel, rlen);
		p[rlen] = '/';
		memcpy(p + rlen + 1, e->d_name, nlen + 1);
		it.rel = p;
		push(&c->found[i], &c->n_found[i], &c->cap_found[i], it);
	}
	closedir(d);
	/* By name, here on the listing's threads: the levels then come out in
	 * path order (see fs_list.h), which callers that sort find sorted. */
	if (c->n_found[i] > 1)
		qsort(c->found[i], c->n_found[i], sizeof *c->found[i], cmp_rel);
}

/* Lists the folders dirs[0..n) and adds their entries to l; returns the
 * folders among them (the next level), *n_next their count. */
static const char **list_level(np_fs_list *l, int base_fd, const char **dirs, size_t n,
                               unsigned threads, np_arena *arenas, size_t *n_next)
{
	level_ctx c = {base_fd, dirs, np_xcalloc(n, sizeof *c.found),
	               np_xcalloc(n, sizeof *c.n_found), np_xcalloc(n, sizeof *c.cap_found),
	               arenas};
	np_pool_for(threads, n, list_dir, &c);
	const char **next = NULL;
	size_t nn = 0, cap = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < c.n_found[i]; k++) {
			np_fs_item *it = &c.found[i][k];
			push(&l->items, &l->n, &l->cap, *it);
			if (it->kind == NP_FS_DIR) {
				if (nn == cap) {
					cap = cap ? cap * 2 : 64;
					next = np_xrealloc(next, np_mul(cap, sizeof *next));
				}
				next[nn++] = it->rel;
			}
		}
		free(c.found[i]);
	}
	free(c.found), free(c.n_found), free(c.cap_found);
	*n_next = nn;
	return next;
}

void np_fs_list_tree(np_fs_list *l, int base_fd, const char *root, unsigned threads)
{
	np_fs_item top = {0};
	top.rel = np_arena_strdup(&l->arena, np_str_from(root));
	struct stat st;
	/* The root itself may be a symlink to a folder: it is listed. */
	if (fstatat(base_fd, root, &st, 0) == 0 && S_ISDIR(st.st_mode)) {
		top.kind = NP_FS_DIR;
		fill(&top, &st);
	} else {
		top.kind = NP_FS_MISSING;
		push(&l->items, &l->n, &l->cap, top);
		return;
	}
	push(&l->items, &l->n, &l->cap, top);
	unsigned nt = threads ? threads : 1;
	l->worker_arenas = np_xrealloc(l->worker_arenas,
	                               np_mul(l->n_worker_arenas + nt, sizeof *l->worker_arenas));
	np_arena *arenas = &l->worker_arenas[l->n_worker_arenas];
	l->n_worker_arenas += nt;
	for (unsigned w = 0; w < nt; w++)
		np_arena_init(&arenas[w]);
	const char **dirs = np_xmalloc(sizeof *dirs);
	dirs[0] = top.rel;
	size_t n = 1;
	while (n) {
		size_t nn;
		const char **next = list_level(l, base_fd, dirs, n, nt, arenas, &nn);
		free(dirs);
		dirs = next;
		n = nn;
	}
	free(dirs);
}
