#define _POSIX_C_SOURCE 200809L
#include "render/output.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/fs_digest.h"
#include "util/hash.h"
#include "util/sort.h"
#include "util/strmap.h"

/* The folders a log has seen, by path relative to out_dir ("" is out_dir):
 * DIR_SEEN when it was there, DIR_MADE when this build created it, so it
 * held nothing before and a file in it needs no comparing.  A folder noted
 * wrongly (deleted since) costs a failed open and is made again; nothing
 * else trusts the notes. */
enum { DIR_SEEN = 1, DIR_MADE = 2 };
#define NP_OUTPUT_MKDIR_LOCKS 64

struct np_output_log {
	char *out_dir;
	char *manifest;
	pthread_mutex_t lock;       /* guards made, dirs and names */
	/* One thread at a time makes the folders below a given folder (the
	 * lock is picked by the name of the first one made). */
	pthread_mutex_t mkdir_locks[NP_OUTPUT_MKDIR_LOCKS];
	struct made {
		const char *rel; /* in names, or borrowed (np_output_keep_batch) */
		np_fs_info info; /* as the file is in place: from its write or check */
	} *made;
	size_t n, cap;
	/* np_output_log_presort: the files made before it, sorted there, and
	 * their count; made then holds those made after it. */
	struct made *pre;
	size_t n_pre;
	size_t removed;
	np_strmap dirs; /* folder -> DIR_* */
	int root_fd;    /* out_dir, for stats relative to it (-1: by path) */
	bool trust;     /* np_output_log_trust: kept files are not statted */
	np_arena names; /* owns made[i].rel and the keys of dirs (prefixes of them) */
};

np_output_log *np_output_log_new(const char *out_dir, const char *manifest)
{
	np_output_log *l = np_xcalloc(1, sizeof *l);
	l->out_dir = np_xstrndup(out_dir, strlen(out_dir));
	l->manifest = np_xstrndup(manifest, strlen(manifest));
	pthread_mutex_init(&l->lock, NULL);
	for (size_t i = 0; i < NP_OUTPUT_MKDIR_LOCKS; i++)
		pthread_mutex_init(&l->mkdir_locks[i], NULL);
	np_strmap_init(&l->dirs);
	np_arena_init(&l->names);
	l->root_fd = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return l;
}

void np_output_log_reserve(np_output_log *l, size_t n)
{
	pthread_mutex_lock(&l->lock);
	if (n > l->cap) {
		l->cap = n;
		l->made = np_xrealloc(l->made, np_mul(l->cap, sizeof *l->made));
	}
	pthread_mutex_unlock(&l->lock);
}

/* A copy of rel owned by the log (until np_output_log_finish). */
static char *own(np_output_log *l, const char *rel)
{
	pthread_mutex_lock(&l->lock);
	char *p = np_arena_strdup(&l->names, np_str_from(rel));
	pthread_mutex_unlock(&l->lock);
	return p;
}

/* remember(), with l->lock held. */
static void remember_locked(np_output_log *l, const char *rel, const np_fs_info *info)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->made = np_xrealloc(l->made, np_mul(l->cap, sizeof *l->made));
	}
	l->made[l->n++] = (struct made){rel, *info};
}

/* Counts rel (owned by the log), with its metadata, as made by this build. */
static void remember(np_output_log *l, char *rel, const np_fs_info *info)
{
	pthread_mutex_lock(&l->lock);
	remember_locked(l, rel, info);
	pthread_mutex_unlock(&l->lock);
}

/* Notes folder rel[0..len) as state; rel is owned by the log, so the key
 * borrows it.  DIR_MADE, said only by the thread whose mkdir(2) made the
 * folder, replaces DIR_SEEN (which another thread may have noted on seeing
 * it just made); DIR_SEEN never replaces it. */
static void note_dir(np_output_log *l, const char *rel, size_t len, size_t state)
{
	np_str key = {rel, len};
	size_t v;
	pthread_mutex_lock(&l->lock);
	if (!np_strmap_get(&l->dirs, key, &v) || (state == DIR_MADE && v != DIR_MADE))
		np_strmap_put(&l->dirs, key, state);
	pthread_mutex_unlock(&l->lock);
}

/* The state of folder rel[0..len), or 0 when it is not noted; then the
 * nearest noted folder above it in *up_len and *up_state (0 if none). */
static size_t dir_state(np_output_log *l, const char *rel, size_t len, size_t *up_len,
                        size_t *up_state)
{
	size_t v = 0;
	*up_len = 0, *up_state = 0;
	pthread_mutex_lock(&l->lock);
	if (np_strmap_get(&l->dirs, (np_str){rel, len}, &v)) {
		pthread_mutex_unlock(&l->lock);
		return v;
	}
	for (size_t i = len; i > 0;) {
		do
			i--;
		while (i > 0 && rel[i] != '/');
		if (np_strmap_get(&l->dirs, (np_str){rel, i}, &v)) {
			*up_len = i, *up_state = v;
			break;
		}
	}
	pthread_mutex_unlock(&l->lock);
	return 0;
}

/* True when folder rel[0..len) is noted. */
static bool noted(np_output_log *l, const char *rel, size_t len)
{
	size_t v;
	pthread_mutex_lock(&l->lock);
	bool known = np_strmap_get(&l->dirs, (np_str){rel, len}, &v);
	pthread_mutex_unlock(&l->lock);
	return known;
}

/* Creates the folders of path (out_dir joined with rel, owned by the log;
 * rel's folder part is rel[0..len)) below rel[0..from), a folder known to
 * be there, one mkdir(2) each, and notes them.  Two pages of one new
 * folder rendered at once would both make it (one mkdir failing with
 * EEXIST): the folders below rel[0..from) are made under a lock picked by
 * the first one's name, and with trust, one another thread noted
 * meanwhile is skipped.  When a mkdir finds no parent (a noted folder
 * deleted since, or out_dir itself gone) it starts again from out_dir,
 * trusting no note.  0, or NP_EIO with errno set. */
static int make_dirs(np_output_log *l, np_buf *path, const char *rel, size_t len, size_t from,
                     bool trust)
{
	char *at = path->data + path->len - strlen(rel); /* rel within path */
	if (len == 0)
		return np_fs_mkdirs(l->out_dir);
	int rc = 0, restarts = 0;
	size_t first = from ? from + 1 : 0, first_end = first;
	while (first_end < len && rel[first_end] != '/')
		first_end++;
	pthread_mutex_t *lock = &l->mkdir_locks[np_hash64(rel, first_end) % NP_OUTPUT_MKDIR_LOCKS];
	pthread_mutex_lock(lock);
	for (size_t i = first; i < len;) {
		size_t e = i;
		while (e < len && rel[e] != '/')
			e++;
		if (trust && restarts == 0 && noted(l, rel, e)) {
			i = e + 1;
			continue;
		}
		at[e] = '\0';
		int r = mkdir(path->data, 0777), err = errno;
		at[e] = rel[e];
		if (r == 0 || err == EEXIST) {
			note_dir(l, rel, e, r == 0 ? DIR_MADE : DIR_SEEN);
		} else if (err == ENOENT && restarts++ < 2) {
			if (i == 0 && np_fs_mkdirs(l->out_dir) != 0) {
				rc = NP_EIO;
				break;
			}
			i = 0;
			continue;
		} else {
			errno = err;
			rc = NP_EIO;
			break;
		}
		i = e + 1;
	}
	int e = errno;
	pthread_mutex_unlock(lock);
	errno = e;
	return rc;
}

/* Writes path (out_dir joined with rel, which the log owns) unless it
 * holds data already.  In a folder
 * this build made, nothing is compared; in one it has not seen, the
 * comparison tells whether the folder is there, and the folder is made
 * only when the temporary file cannot be created for want of it. */
static int write_file(np_output_log *l, np_buf *path, const char *rel, const void *data,
                      size_t len, np_fs_info *info)
{
	const char *slash = strrchr(rel, '/');
	size_t dlen = slash ? (size_t)(slash - rel) : 0, up_len, up_state;
	size_t state = dir_state(l, rel, dlen, &up_len, &up_state);
	bool fresh = state == DIR_MADE;
	if (!state && up_state == DIR_MADE) {
		if (make_dirs(l, path, rel, dlen, up_len, true) != 0)
			return NP_EIO;
		fresh = true, state = DIR_MADE;
	}
	if (!fresh) {
		int same = np_fs_same_bytes(path->data, data, len, info);
		if (same >= 0 && !state)
			note_dir(l, rel, dlen, DIR_SEEN), state = DIR_SEEN;
		if (same == 1)
			return NP_WRITE_UNCHANGED;
	}
	int rc = np_fs_write_replace(path->data, data, len, info);
	if (rc < 0 && errno == ENOENT) {
		if (make_dirs(l, path, rel, dlen, state ? 0 : up_len, !state) != 0)
			return NP_EIO;
		rc = np_fs_write_replace(path->data, data, len, info);
	} else if (rc >= 0 && !state) {
		note_dir(l, rel, dlen, DIR_SEEN);
	}
	return rc;
}

int np_output_write_stat(np_output_log *l, const char *rel, const void *data, size_t len,
                         uint64_t *size, int64_t *mtime_ns, np_diags *d)
{
	if (!np_path_is_safe_rel(np_str_from(rel))) {
		np_diag_add(d, NP_ERROR, rel, 0, 0, "refusing to write outside the output folder");
		return NP_EUNSAFE;
	}
	np_buf path;
	np_buf_init(&path);
	np_path_join(&path, l->out_dir, rel);
	np_fs_info info;
	char *name = own(l, rel); /* kept even on failure: a folder made may be noted */
	int rc = write_file(l, &path, name, data, len, &info);
	if (rc < 0) {
		np_diag_add(d, NP_ERROR, path.data, 0, 0, "cannot write: %s", strerror(errno));
	} else {
		remember(l, name, &info);
		if (size)
			*size = info.size;
		if (mtime_ns)
			*mtime_ns = info.mtime_ns;
	}
	np_buf_dispose(&path);
	return rc;
}

int np_output_write(np_output_log *l, const char *rel, const void *data, size_t len, np_diags *d)
{
	return np_output_write_stat(l, rel, data, len, NULL, NULL, d);
}

/* The metadata of out_dir/rel (through near unless NULL); false when it
 * is not a file. */
static bool stat_rel(np_output_log *l, np_fs_near *near, const char *rel, np_fs_info *info)
{
	struct stat st;
	bool ok;
	if (l->root_fd >= 0) { /* one stat per skipped page: spare the lookup of out_dir */
		ok = (near ? np_fs_stat_near(near, l->root_fd, rel, &st)
		           : fstatat(l->root_fd, rel, &st, 0)) == 0 &&
		     S_ISREG(st.st_mode);
	} else {
		np_buf path;
		np_buf_init(&path);
		np_path_join(&path, l->out_dir, rel);
		ok = stat(path.data, &st) == 0 && S_ISREG(st.st_mode);
		np_buf_dispose(&path);
	}
	if (ok)
		*info = (np_fs_info){(uint64_t)st.st_size, (uint64_t)st.st_ino,
		                     (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
		                     (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec};
	return ok;
}

bool np_output_stat(np_output_log *l, const char *rel, uint64_t *size, int64_t *mtime_ns)
{
	np_fs_info info;
	if (!stat_rel(l, NULL, rel, &info))
		return false;
	*size = info.size;
	*mtime_ns = info.mtime_ns;
	return true;
}

/* True when out_dir/rel is there with this size and mtime (or, when the
 * log trusts the folder, taken to be); its metadata in *info (inode and
 * ctime 0 when trusted). */
static bool still_there(np_output_log *l, np_fs_near *near, const char *rel, uint64_t size,
                        int64_t mtime_ns, np_fs_info *info)
{
	if (!np_path_is_safe_rel(np_str_from(rel)))
		return false;
	if (l->trust) {
		*info = (np_fs_info){size, 0, mtime_ns, 0};
		return true;
	}
	return stat_rel(l, near, rel, info) && info->size == size && info->mtime_ns == mtime_ns;
}

void np_output_log_trust(np_output_log *l)
{
	l->trust = true;
}

bool np_output_intact(np_output_log *l, const char *rel, uint64_t size, int64_t mtime_ns)
{
	np_fs_info info;
	return still_there(l, NULL, rel, size, mtime_ns, &info);
}

bool np_output_keep(np_output_log *l, const char *rel, uint64_t size, int64_t mtime_ns)
{
	np_fs_info info;
	if (!still_there(l, NULL, rel, size, mtime_ns, &info))
		return false;
	remember(l, own(l, rel), &info);
	return true;
}

void np_output_batch_flush(np_output_log *l, np_output_batch *b)
{
	pthread_mutex_lock(&l->lock);
	for (size_t i = 0; i < b->n; i++)
		remember_locked(l, b->items[i].rel, &b->items[i].info);
	pthread_mutex_unlock(&l->lock);
	b->n = 0;
}

bool np_output_keep_batch(np_output_log *l, np_output_batch *b, np_fs_near *near,
                          const char *rel, uint64_t size, int64_t mtime_ns)
{
	np_fs_info info;
	if (!still_there(l, near, rel, size, mtime_ns, &info))
		return false;
	if (b->n == NP_OUTPUT_BATCH)
		np_output_batch_flush(l, b);
	b->items[b->n++] = (struct np_output_kept){rel, info};
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

static int cmp_made(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	return strcmp(((const struct made *)a)->rel, ((const struct made *)b)->rel);
}

/* Removes out_dir/rel (an output this build did not make), then the
 * folders it leaves empty. */
static void remove_one(np_output_log *l, np_str rel, np_buf *path, np_diags *d)
{
	np_buf_clear(path);
	np_buf_printf(path, "%s/%.*s", l->out_dir, (int)rel.len, rel.p);
	if (unlink(path->data) == 0) {
		l->removed++;
		/* Folders left empty go too (rmdir fails on the rest). */
		for (char *s = strrchr(path->data, '/'); s && s > path->data + strlen(l->out_dir);
		     s = strrchr(path->data, '/')) {
			*s = '\0';
			if (rmdir(path->data) != 0)
				break;
		}
	} else if (errno != ENOENT) {
		np_diag_add(d, NP_WARNING, path->data, 0, 0, "cannot remove stale output: %s",
		            strerror(errno));
	}
}

static int cmp_rel(np_str a, const char *b)
{
	size_t n = strlen(b);
	int c = memcmp(a.p, b, a.len < n ? a.len : n);
	return c ? c : (a.len > n) - (a.len < n);
}

/* The next line of [*at, end) (without its newline); *at moves past it. */
static np_str next_line(const char **at, const char *end)
{
	const char *nl = memchr(*at, '\n', (size_t)(end - *at));
	np_str line = {*at, nl ? (size_t)(nl - *at) : (size_t)(end - *at)};
	*at = nl ? nl + 1 : end;
	return line;
}

/* Removes the outputs listed in the old manifest that this build did not
 * make (made is sorted): a merge of the two sorted lists, or a lookup per
 * line when the old list is not in order (written by hand, say).  The old
 * manifest is left mapped in old (not read into memory: 13 MB at 100,000
 * articles); false when there was none. */
static bool remove_stale(np_output_log *l, np_fs_mapping *old, np_diags *d)
{
	if (!np_fs_map(l->manifest, old))
		return np_fs_exists(l->manifest); /* an empty one is a manifest too */
	np_buf path;
	np_buf_init(&path);
	const char *end = old->data + old->len;
	np_str prev = {NULL, 0};
	bool sorted = true;
	for (const char *at = old->data; at < end && sorted;) {
		np_str rel = next_line(&at, end);
		if (prev.p) {
			int c = memcmp(prev.p, rel.p, prev.len < rel.len ? prev.len : rel.len);
			sorted = c < 0 || (c == 0 && prev.len <= rel.len);
		}
		prev = rel;
	}
	np_strmap now;
	np_strmap_init(&now);
	if (!sorted) {
		np_strmap_reserve(&now, l->n);
		for (size_t i = 0; i < l->n; i++)
			np_strmap_put(&now, np_str_from(l->made[i].rel), i);
	}
	size_t k = 0, v;
	for (const char *at = old->data; at < end;) {
		np_str rel = next_line(&at, end);
		bool made;
		if (sorted) {
			while (k < l->n && cmp_rel(rel, l->made[k].rel) > 0)
				k++;
			made = k < l->n && cmp_rel(rel, l->made[k].rel) == 0;
		} else {
			made = np_strmap_get(&now, rel, &v);
		}
		/* a path made is safe; a line with a NUL names no file */
		if (rel.len && !made && !memchr(rel.p, '\0', rel.len) && np_path_is_safe_rel(rel))
			remove_one(l, rel, &path, d);
	}
	np_strmap_dispose(&now);
	np_buf_dispose(&path);
	return true;
}

/* True when list is the manifest of the files made (sorted): one path and
 * a newline each. */
static bool made_list_is(const np_output_log *l, np_str list)
{
	size_t at = 0;
	for (size_t i = 0; i < l->n; i++) {
		size_t n = strlen(l->made[i].rel);
		if (list.len - at < n + 1 || memcmp(list.p + at, l->made[i].rel, n) != 0 ||
		    list.p[at + n] != '\n')
			return false;
		at += n + 1;
	}
	return at == list.len;
}

/* The digest np_stamp_outputs makes of the manifest's files, from the
 * metadata each write or check returned; false when a path is listed twice
 * (which metadata the manifest's second line would see is not known). */
static bool digest_made(const np_output_log *l, np_fs_digest *out)
{
	np_fs_digest sum = {0, 0};
	np_buf rec;
	np_buf_init(&rec);
	bool ok = true;
	for (size_t i = 0; i < l->n && ok; i++) {
		const struct made *m = &l->made[i];
		ok = i == 0 || strcmp(l->made[i - 1].rel, m->rel) != 0;
		np_fs_digest_rec(&rec, 'O', m->rel, NULL);
		np_fs_digest_meta(&rec, m->info.ino, m->info.size, m->info.mtime_ns, m->info.ctime_ns,
		                  S_IFREG);
		np_fs_digest_mix(&sum, &rec);
	}
	np_buf_dispose(&rec);
	if (ok)
		*out = sum;
	return ok;
}

void np_output_log_presort(np_output_log *l)
{
	pthread_mutex_lock(&l->lock);
	if (l->pre) { /* once only */
		pthread_mutex_unlock(&l->lock);
		return;
	}
	l->pre = l->made, l->n_pre = l->n;
	l->made = NULL, l->n = l->cap = 0;
	pthread_mutex_unlock(&l->lock);
	if (!l->pre)
		l->pre = np_xmalloc(sizeof *l->pre); /* nothing made yet: an empty run */
	np_sort_halves(l->pre, l->n_pre, sizeof *l->pre, cmp_made, NULL);
}

bool np_output_log_finish(np_output_log *l, np_build_stats *st, np_fs_digest *outputs,
                          np_diags *d)
{
	/* 200,000 paths at 100,000 articles, in the order pages finished on
	 * all workers: two threads sort them (the build's other work is done),
	 * or only those made after np_output_log_presort, which are then put
	 * behind the ones it sorted and the two runs merged (a stable merge:
	 * the order of a path made twice is the order it was made in). */
	np_sort_halves(l->made, l->n, sizeof *l->made, cmp_made, NULL);
	if (l->pre) {
		size_t n = np_add(l->n_pre, l->n);
		l->pre = np_xrealloc(l->pre, np_mul(n ? n : 1, sizeof *l->pre));
		if (l->n)
			memcpy(l->pre + l->n_pre, l->made, l->n * sizeof *l->made);
		free(l->made);
		l->made = l->pre, l->n = l->cap = n;
		l->pre = NULL, l->n_pre = 0;
		np_sort_runs(l->made, l->n, sizeof *l->made, cmp_made, NULL);
	}
	np_fs_mapping old;
	/* The same list as before (mapped by remove_stale) is not written
	 * again; a new one is written line by line, not built in memory. */
	bool saved = remove_stale(l, &old, d) &&
	             made_list_is(l, (np_str){old.data ? old.data : "", old.len});
	np_fs_unmap(&old);
	if (!saved) {
		np_fs_mkdirs_for(l->manifest);
		np_fs_writer w;
		np_fs_writer_open(&w, l->manifest); /* a failure shows at the commit */
		for (size_t i = 0; i < l->n; i++) {
			np_fs_writer_put(&w, l->made[i].rel, strlen(l->made[i].rel));
			np_fs_writer_put(&w, "\n", 1);
		}
		saved = np_fs_writer_commit(&w) == 0;
	}
	if (!saved)
		np_diag_add(d, NP_WARNING, l->manifest, 0, 0, "cannot save the list of outputs: %s",
		            strerror(errno));
	bool known = saved && outputs && !l->trust && digest_made(l, outputs);
	st->files_removed += l->removed;
	pthread_mutex_destroy(&l->lock);
	for (size_t i = 0; i < NP_OUTPUT_MKDIR_LOCKS; i++)
		pthread_mutex_destroy(&l->mkdir_locks[i]);
	np_strmap_dispose(&l->dirs);
	np_arena_dispose(&l->names);
	free(l->made);
	free(l->pre);
	free(l->out_dir);
	free(l->manifest);
	if (l->root_fd >= 0)
		close(l->root_fd);
	free(l);
	return known;
}
