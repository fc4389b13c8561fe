/* The build stamp: digests of the build's inputs and outputs, taken with as
 * few system calls as it can, and the diagnostics to replay (stamp.h).
 *
 * Cost, which is the point of the no-op build: one fstatat per file, made
 * relative to its folder's descriptor (a one-component lookup) and spread
 * over the pool's threads; one open + getdents per input folder; outputs
 * are not listed but taken from the output manifest.  No file is opened or
 * read besides the manifest, the stamp and the binary. */
#define _POSIX_C_SOURCE 200809L
#include "build/stamp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build/cache.h"
#include "build/site_paths.h"
#include "render/render.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/fs_list.h"
#include "util/hash.h"
#include "util/pool.h"

/* ---- digests ---------------------------------------------------------- */

/* The records are util/fs_digest.h's. */
static void add_digest(np_stamp_digest *s, np_stamp_digest x)
{
	*s = np_fs_digest_add(*s, x);
}

static void rec_stat(np_buf *rec, const struct stat *st)
{
	np_fs_digest_meta(rec, (uint64_t)st->st_ino, (uint64_t)st->st_size,
	                  (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec,
	                  (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec,
	                  (unsigned)(st->st_mode & S_IFMT));
}

/* One entry of a folder (or a single file when dir_fd is the site's):
 * 'F' + metadata for a file (a symlink counts as what it points to), 'M'
 * when it is missing.  Returns true when it is a real folder to list. */
static bool stat_entry(int dir_fd, const char *dir, const char *name, np_stamp_digest *sum,
                       np_buf *rec)
{
	struct stat st;
	np_fs_digest_rec(rec, 'F', dir, name);
	if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		rec->data[0] = 'M';
		np_fs_digest_mix(sum, rec);
		return false;
	}
	if (S_ISDIR(st.st_mode))
		return true;
	if (S_ISLNK(st.st_mode)) {
		struct stat target;
		if (fstatat(dir_fd, name, &target, 0) == 0)
			st = target;
		else
			rec->data[0] = 'L'; /* dangling: the link's own metadata */
	}
	rec_stat(rec, &st);
	np_fs_digest_mix(sum, rec);
	return false;
}

/* ---- inputs: the trees, listed on the pool (util/fs_list.h) ---------- */

/* Adds one listed entry: 'D' + path for a folder (its listing is what
 * counts), 'M' for a missing root, else tag, path and metadata. */
static void mix_item(np_stamp_digest *sum, const np_fs_item *it, np_buf *rec)
{
	np_fs_digest_rec(rec, (char)it->kind, it->rel, NULL);
	if (it->kind == NP_FS_FILE || it->kind == NP_FS_DANGLING)
		np_fs_digest_meta(rec, it->ino, it->size, it->mtime_ns, it->ctime_ns, it->mode);
	np_fs_digest_mix(sum, rec);
}

/* The site folder, or -1 with its absence mixed into *sum (rec freed). */
static int open_site(const char *site, np_stamp_digest *sum, np_buf *rec)
{
	int fd = open(site, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		np_fs_digest_rec(rec, 'M', site, NULL);
		np_fs_digest_mix(sum, rec);
		np_buf_dispose(rec);
	}
	return fd;
}

np_stamp_digest np_stamp_files(const char *site)
{
	np_stamp_digest sum = {0, 0};
	np_buf rec;
	np_buf_init(&rec);
	int site_fd = open_site(site, &sum, &rec);
	if (site_fd < 0)
		return sum;
	static const char *const files[] = {NP_SITE_FILE, NP_EVENTS_FILE,
	                                    NP_CACHE_DIR "/ingest.tsv"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		stat_entry(site_fd, ".", files[i], &sum, &rec);
	close(site_fd);
	np_buf_dispose(&rec);
	return sum;
}

np_stamp_digest np_stamp_trees(const char *site, const char *theme, unsigned threads,
                               np_fs_list *articles, np_fs_list *issues)
{
	np_stamp_digest sum = {0, 0};
	np_buf rec;
	np_buf_init(&rec);
	int site_fd = open_site(site, &sum, &rec);
	if (site_fd < 0)
		return sum;
	np_buf theme_dir;
	np_buf_init(&theme_dir);
	np_buf_printf(&theme_dir, "themes/%s", theme);
	const char *roots[] = {NP_ARTICLES_DIR, NP_ISSUES_DIR, "templates", theme_dir.data};
	np_fs_list mine;
	np_fs_list_init(&mine);
	for (size_t r = 0; r < sizeof roots / sizeof *roots; r++) {
		np_fs_list *l = r == 0 && articles ? articles : r == 1 && issues ? issues : &mine;
		size_t from = l->n;
		np_fs_list_tree(l, site_fd, roots[r], threads);
		for (size_t i = from; i < l->n; i++)
			mix_item(&sum, &l->items[i], &rec);
	}
	np_fs_list_dispose(&mine);
	np_buf_dispose(&theme_dir);
	close(site_fd);
	np_buf_dispose(&rec);
	return sum;
}

/* The folder of content/articles that rel is in or is ("content/articles/x"
 * and what is below it: x), or an empty string. */
static np_str articles_folder(const char *rel)
{
	static const char head[] = NP_ARTICLES_DIR "/";
	if (strncmp(rel, head, sizeof head - 1) != 0)
		return (np_str){"", 0};
	const char *name = rel + sizeof head - 1, *end = strchr(name, '/');
	return (np_str){name, end ? (size_t)(end - name) : strlen(name)};
}

static bool named(np_str folder, const np_str *names, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (folder.len && np_str_eq(folder, names[k]))
			return true;
	return false;
}

bool np_stamp_trees_relist(const char *site, np_fs_list *articles, const np_str *names, size_t n,
                           np_stamp_digest *trees)
{
	if (articles->n == 0 || articles->items[0].kind != NP_FS_DIR ||
	    strcmp(articles->items[0].rel, NP_ARTICLES_DIR) != 0)
		return false;
	for (size_t k = 0; k < n; k++)
		if (!names[k].len || names[k].p[0] == '.' ||
		    memchr(names[k].p, '/', names[k].len) || memchr(names[k].p, '\0', names[k].len))
			return false;
	int site_fd = open(site, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (site_fd < 0)
		return false;
	np_buf rec, path;
	np_buf_init(&rec);
	np_buf_init(&path);
	/* Each folder is a real folder now (the full listing lists those and
	 * no symlink), or gone. */
	bool *there = np_xcalloc(n ? n : 1, sizeof *there), ok = true;
	for (size_t k = 0; k < n && ok; k++) {
		struct stat st;
		np_buf_clear(&path);
		np_buf_printf(&path, "%s/%.*s", NP_ARTICLES_DIR, (int)names[k].len, names[k].p);
		if (fstatat(site_fd, path.data, &st, AT_SYMLINK_NOFOLLOW) == 0)
			ok = there[k] = S_ISDIR(st.st_mode);
		else
			ok = errno == ENOENT;
	}
	if (ok) {
		np_stamp_digest gone = {0, 0}, came = {0, 0};
		size_t kept = 0;
		for (size_t i = 0; i < articles->n; i++) {
			const np_fs_item *it = &articles->items[i];
			if (named(articles_folder(it->rel), names, n))
				mix_item(&gone, it, &rec);
			else
				articles->items[kept++] = *it;
		}
		articles->n = kept;
		for (size_t k = 0; k < n; k++) {
			if (!there[k] || named(names[k], names, k)) /* or named twice */
				continue;
			np_buf_clear(&path);
			np_buf_printf(&path, "%s/%.*s", NP_ARTICLES_DIR, (int)names[k].len,
			              names[k].p);
			size_t from = articles->n;
			np_fs_list_tree(articles, site_fd, path.data, 1);
			if (articles->items[from].kind == NP_FS_MISSING) /* gone meanwhile */
				articles->n = from;
			for (size_t i = from; i < articles->n; i++)
				mix_item(&came, &articles->items[i], &rec);
		}
		*trees = np_fs_digest_add(np_fs_digest_sub(*trees, gone), came);
	}
	free(there);
	np_buf_dispose(&rec);
	np_buf_dispose(&path);
	close(site_fd);
	return ok;
}

np_stamp_digest np_stamp_inputs(const char *site, const char *theme, unsigned threads)
{
	np_stamp_digest sum = np_stamp_files(site);
	add_digest(&sum, np_stamp_trees(site, theme, threads, NULL, NULL));
	return sum;
}

/* ---- outputs: the manifest's files, in chunks on the pool ------------- */

enum { OUT_CHUNK = 2048 };

typedef struct out_ctx {
	int out_fd;
	char **lines;
	size_t n;
	np_stamp_digest *sums; /* per chunk */
} out_ctx;

static void stat_chunk(void *vctx, size_t k, unsigned worker)
{
	(void)worker;
	out_ctx *c = vctx;
	np_buf rec;
	np_buf_init(&rec);
	np_fs_near top = NP_FS_NEAR_INIT;
	size_t end = (k + 1) * OUT_CHUNK < c->n ? (k + 1) * OUT_CHUNK : c->n;
	for (size_t i = k * OUT_CHUNK; i < end; i++) {
		struct stat st;
		np_fs_digest_rec(&rec, 'O', c->lines[i], NULL);
		if (np_fs_stat_near(&top, c->out_fd, c->lines[i], &st) == 0)
			rec_stat(&rec, &st);
		else
			rec.data[0] = 'M';
		np_fs_digest_mix(&c->sums[k], &rec);
	}
	np_fs_near_close(&top);
	np_buf_dispose(&rec);
}

np_stamp_digest np_stamp_outputs(const char *site, const char *out_dir, unsigned threads)
{
	np_stamp_digest sum = {0, 0};
	np_buf path, list;
	np_buf_init(&path);
	np_buf_init(&list);
	np_render_manifest_path(&path, site, out_dir);
	int out_fd = -1;
	if (np_fs_read(path.data, &list) != 0 ||
	    (out_fd = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		np_fs_digest_rec(&path, 'N', out_dir, NULL); /* no manifest, or no output folder */
		np_fs_digest_mix(&sum, &path);
		goto out;
	}
	out_ctx c = {out_fd, NULL, 0, NULL};
	size_t cap = 0;
	for (char *line = list.data; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (*line) {
			if (c.n == cap) {
				cap = cap ? cap * 2 : 4096;
				c.lines = np_xrealloc(c.lines, np_mul(cap, sizeof *c.lines));
			}
			c.lines[c.n++] = line;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	size_t chunks = (c.n + OUT_CHUNK - 1) / OUT_CHUNK;
	c.sums = np_xcalloc(chunks ? chunks : 1, sizeof *c.sums);
	np_pool_for(threads, chunks, stat_chunk, &c);
	for (size_t k = 0; k < chunks; k++)
		add_digest(&sum, c.sums[k]);
	free(c.sums);
	free(c.lines);
out:
	if (out_fd >= 0)
		close(out_fd);
	np_buf_dispose(&path);
	np_buf_dispose(&list);
	return sum;
}

/* ---- the seal: the top of the output folder ---------------------------- */

/* Mixes each entry of folder rel (under dir_fd) into *sum, and when depth
 * is 0 the entries of each folder in it too.  Names starting with '.' are
 * not the build's (a deployment's .git, say) and do not count. */
static void seal_dir(int dir_fd, const char *rel, int depth, np_stamp_digest *sum, np_buf *rec)
{
	int fd = openat(dir_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		if (fd >= 0)
			close(fd);
		np_fs_digest_rec(rec, 'U', rel, NULL); /* cannot be listed */
		np_fs_digest_mix(sum, rec);
		return;
	}
	np_buf sub;
	np_buf_init(&sub);
	for (struct dirent *e; (e = readdir(dir));) {
		if (e->d_name[0] == '.')
			continue;
		struct stat st;
		if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue; /* gone meanwhile: the folder's mtime says so */
		np_fs_digest_rec(rec, 'S', rel, e->d_name);
		rec_stat(rec, &st);
		np_fs_digest_mix(sum, rec);
		if (depth == 0 && S_ISDIR(st.st_mode)) {
			np_buf_clear(&sub);
			np_buf_printf(&sub, "%s/%s", rel, e->d_name);
			seal_dir(dir_fd, sub.data, 1, sum, rec);
		}
	}
	np_buf_dispose(&sub);
	closedir(dir);
}

np_stamp_digest np_stamp_seal(const char *out_dir)
{
	np_stamp_digest sum = {0, 0};
	np_buf rec;
	np_buf_init(&rec);
	struct stat st;
	int fd = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	np_fs_digest_rec(&rec, 'R', out_dir, NULL);
	if (fd < 0 || fstat(fd, &st) != 0) {
		rec.data[0] = 'N';
		np_fs_digest_mix(&sum, &rec);
	} else {
		rec_stat(&rec, &st);
		np_fs_digest_mix(&sum, &rec);
		seal_dir(fd, ".", 0, &sum, &rec);
	}
	if (fd >= 0)
		close(fd);
	np_buf_dispose(&rec);
	return sum;
}

/* ---- key -------------------------------------------------------------- */

void np_stamp_key(char out[33], const char *site, const char *out_dir, const char *theme,
                  bool debug)
{
	np_buf k;
	np_buf_init(&k);
	np_buf_printf(&k, "newsprint %s", np_build_self_hash());
	np_buf_putc(&k, '\0');
	np_buf_puts(&k, site);
	np_buf_putc(&k, '\0');
	np_buf_puts(&k, out_dir);
	np_buf_putc(&k, '\0');
	np_buf_puts(&k, theme);
	np_buf_printf(&k, "%c%d", '\0', debug);
	np_hash128_hex(k.data, k.len, out);
	np_buf_dispose(&k);
}

/* ---- the stamp file ----------------------------------------------------- */

static const char magic[] = "newsprint build stamp 3\n";

static void stamp_path(np_buf *p, const char *site)
{
	np_buf_clear(p);
	np_buf_printf(p, "%s/%s/build-stamp", site, NP_CACHE_DIR);
}

void np_stamp_init(np_stamp *s)
{
	memset(s, 0, sizeof *s);
	np_diags_init(&s->ingest_diags);
	np_diags_init(&s->build_diags);
}

void np_stamp_dispose(np_stamp *s)
{
	np_diags_dispose(&s->ingest_diags);
	np_diags_dispose(&s->build_diags);
	memset(s, 0, sizeof *s);
}

static void put_u64(np_buf *b, uint64_t v)
{
	np_buf_put(b, &v, sizeof v);
}

static void put_str(np_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	put_u64(b, s ? (uint64_t)n : UINT64_MAX);
	np_buf_put(b, s ? s : "", n);
}

static void put_diags(np_buf *b, const np_diags *d)
{
	put_u64(b, d->len);
	for (size_t i = 0; i < d->len; i++) {
		const np_diag *g = &d->items[i];
		put_u64(b, (uint64_t)g->severity);
		put_u64(b, g->line);
		put_u64(b, g->col);
		put_str(b, g->path);
		put_str(b, g->msg);
		put_str(b, g->source_line);
	}
}

int np_stamp_save(const np_stamp *s, const char *site)
{
	np_buf b, p;
	np_buf_init(&b);
	np_buf_init(&p);
	np_buf_puts(&b, magic);
	np_buf_put(&b, s->key, 32);
	put_u64(&b, s->settled);
	put_u64(&b, s->inputs.a);
	put_u64(&b, s->inputs.b);
	put_u64(&b, s->outputs_known);
	put_u64(&b, s->outputs.a);
	put_u64(&b, s->outputs.b);
	put_u64(&b, s->seal.a);
	put_u64(&b, s->seal.b);
	put_diags(&b, &s->ingest_diags);
	put_diags(&b, &s->build_diags);
	stamp_path(&p, site);
	int rc = np_fs_mkdirs_for(p.data) == 0 && np_fs_write_if_changed(p.data, b.data, b.len) >= 0
	             ? 0
	             : NP_EIO;
	np_buf_dispose(&b);
	np_buf_dispose(&p);
	return rc;
}

/* A bounds-checked reader over the stamp's bytes. */
typedef struct reader {
	const char *p;
	size_t left;
	bool ok;
} reader;

static uint64_t get_u64(reader *r)
{
	uint64_t v = 0;
	if (r->left < sizeof v) {
		r->ok = false;
		return 0;
	}
	memcpy(&v, r->p, sizeof v);
	r->p += sizeof v;
	r->left -= sizeof v;
	return v;
}

/* Sets *s to the string (a view into the file) and *has to whether it is
 * not NULL. */
static np_str get_str(reader *r, bool *has)
{
	uint64_t n = get_u64(r);
	*has = r->ok && n != UINT64_MAX;
	if (!*has)
		return (np_str){"", 0};
	if (n > r->left) {
		r->ok = false;
		*has = false;
		return (np_str){"", 0};
	}
	np_str s = {r->p, (size_t)n};
	r->p += n;
	r->left -= n;
	return s;
}

static void get_diags(reader *r, np_diags *d)
{
	uint64_t n = get_u64(r);
	np_buf path, msg;
	np_buf_init(&path);
	np_buf_init(&msg);
	for (uint64_t i = 0; i < n && r->ok; i++) {
		uint64_t sev = get_u64(r), line = get_u64(r), col = get_u64(r);
		bool has_path, has_msg, has_src;
		np_str p = get_str(r, &has_path), m = get_str(r, &has_msg),
		       src = get_str(r, &has_src);
		if (!r->ok || !has_path || !has_msg || sev > NP_ERROR || line > UINT32_MAX ||
		    col > UINT32_MAX) {
			r->ok = false;
			break;
		}
		np_buf_clear(&path);
		np_buf_putstr(&path, p);
		np_buf_clear(&msg);
		np_buf_putstr(&msg, m);
		np_diag_add_src(d, (np_severity)sev, path.data, (unsigned)line, (unsigned)col,
		                has_src ? src : (np_str){NULL, 0}, "%s", msg.data);
	}
	np_buf_dispose(&path);
	np_buf_dispose(&msg);
}

int np_stamp_load(np_stamp *s, const char *site)
{
	np_buf b, p;
	np_buf_init(&b);
	np_buf_init(&p);
	stamp_path(&p, site);
	int rc = 0;
	if (np_fs_read(p.data, &b) != 0) {
		rc = NP_ENOENT;
		goto out;
	}
	size_t ml = sizeof magic - 1;
	reader r = {b.data + ml, b.len >= ml + 32 ? b.len - ml - 32 : 0, true};
	if (b.len < ml + 32 || memcmp(b.data, magic, ml) != 0) {
		rc = NP_EINVAL;
		goto out;
	}
	memcpy(s->key, b.data + ml, 32);
	s->key[32] = '\0';
	r.p += 32;
	s->settled = get_u64(&r) != 0;
	s->inputs.a = get_u64(&r);
	s->inputs.b = get_u64(&r);
	s->outputs_known = get_u64(&r) != 0;
	s->outputs.a = get_u64(&r);
	s->outputs.b = get_u64(&r);
	s->seal.a = get_u64(&r);
	s->seal.b = get_u64(&r);
	get_diags(&r, &s->ingest_diags);
	get_diags(&r, &s->build_diags);
	if (!r.ok || r.left != 0)
		rc = NP_EINVAL;
out:
	if (rc != 0) {
		np_stamp_dispose(s);
		np_stamp_init(s);
	}
	np_buf_dispose(&b);
	np_buf_dispose(&p);
	return rc;
}

bool np_stamp_newer_than(const char *site, const char *rel)
{
	np_buf p;
	np_buf_init(&p);
	struct stat st, other;
	stamp_path(&p, site);
	bool newer = stat(p.data, &st) == 0;
	np_path_join(&p, site, rel);
	if (newer && stat(p.data, &other) == 0)
		newer = st.st_mtim.tv_sec > other.st_mtim.tv_sec ||
		        (st.st_mtim.tv_sec == other.st_mtim.tv_sec &&
		         st.st_mtim.tv_nsec > other.st_mtim.tv_nsec);
	np_buf_dispose(&p);
	return newer;
}

bool np_stamp_saved(const char *site)
{
	np_buf p;
	np_buf_init(&p);
	stamp_path(&p, site);
	bool saved = np_fs_exists(p.data);
	np_buf_dispose(&p);
	return saved;
}

void np_stamp_forget(const char *site)
{
	np_buf p;
	np_buf_init(&p);
	stamp_path(&p, site);
	unlink(p.data);
	np_buf_dispose(&p);
}

/* ---- diagnostics ---------------------------------------------------------- */

static void add_copy(np_diags *dst, const np_diag *g)
{
	np_str src = g->source_line ? np_str_from(g->source_line) : (np_str){NULL, 0};
	np_diag_add_src(dst, g->severity, g->path, g->line, g->col, src, "%s", g->msg);
}

void np_stamp_diags_copy(np_diags *dst, const np_diags *src, size_t from)
{
	for (size_t i = from; i < src->len; i++)
		add_copy(dst, &src->items[i]);
}

void np_stamp_diags_replay(np_diags *d, const np_diags *saved)
{
	/* The saved paths are already shown relative to the site: applying
	 * d's root again could strip a second, unrelated prefix. */
	char *root = d->root;
	d->root = NULL;
	for (size_t i = 0; i < saved->len; i++)
		add_copy(d, &saved->items[i]);
	d->root = root;
}
