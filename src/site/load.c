/* Reading a site's records and page records on all cores: front matter
 * from the record snapshot (site/snapshot.h) for records whose file is
 * unchanged, libyaml for the rest; bodies are read only when asked for
 * (np_site_body). */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "record/record.h"
#include "site/site_impl.h"
#include "site/snapshot.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/fs_list.h"
#include "util/pool.h"
#include "util/sort.h"

/* The record files and page records of a listing, by pointer into it. */
typedef struct paths {
	const np_fs_item **md;
	size_t n_md, cap_md;
	const np_fs_item **pages;
	size_t n_pages, cap_pages;
} paths;

static void push(const np_fs_item ***v, size_t *n, size_t *cap, const np_fs_item *it)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = np_xrealloc(*v, np_mul(*cap, sizeof **v));
	}
	(*v)[(*n)++] = it;
}

/* Records are the files (and symlinks, even dangling: the reader says why
 * it cannot read one) under content/articles named *.md; page records
 * those named pages.yaml. */
static void collect(const np_fs_list *l, paths *p)
{
	size_t root = strlen(NP_SITE_ARTICLES);
	for (size_t i = 0; i < l->n; i++) {
		const np_fs_item *it = &l->items[i];
		if (it->kind != NP_FS_FILE && it->kind != NP_FS_DANGLING)
			continue;
		if (strncmp(it->rel, NP_SITE_ARTICLES "/", root + 1) != 0)
			continue;
		size_t n = strlen(it->rel + root + 1);
		const char *rel = it->rel + root + 1;
		if (n > 3 && strcmp(rel + n - 3, ".md") == 0)
			push(&p->md, &p->n_md, &p->cap_md, it);
		else if (strcmp(rel + (n >= 10 ? n - 10 : 0), "pages.yaml") == 0)
			push(&p->pages, &p->n_pages, &p->cap_pages, it);
	}
}

/* Files read against their snapshot, records and page records alike
 * (snap_read_begin, snap_read_end): per file, in path order, its entry's
 * index in the snapshot (np_snap_match), whether it was read, the entry
 * that stands for it (from the snapshot, or made now in fresh; null when
 * it is not to be cached) and the counts. */
typedef struct snap_read {
	np_snap *snap;
	const np_fs_item **files;
	size_t n;
	size_t *snap_idx;
	bool *ok;
	np_str *entries;
	char **fresh;
	atomic_size_t parsed; /* files parsed by libyaml */
	atomic_size_t hits;   /* files decoded from the snapshot */
	int64_t start_ns;     /* the wall clock when the load began */
} snap_read;

typedef struct parse_ctx {
	np_site_impl *s;
	snap_read r;
	const char *dir;
	np_arena *arenas;  /* one per worker: the site's record strings */
	np_arena *scratch; /* one per worker: a record being parsed */
	np_diags *d;
} parse_ctx;

/* Moves the diagnostics of one record into the build's list. */
static void move_diags(np_diags *from, np_diags *to)
{
	for (size_t k = 0; k < from->len; k++) {
		const np_diag *g = &from->items[k];
		np_diag_add_src(to, g->severity, g->path, g->line, g->col,
		                np_str_from(g->source_line), "%s", g->msg);
	}
	np_diags_dispose(from);
}

/* {0, 0} means unknown: a hash that comes out so is taken as {1, 0}. */
static void put_digest(uint64_t d[2], XXH128_hash_t h)
{
	d[0] = h.low64, d[1] = h.high64;
	if (!d[0] && !d[1])
		d[0] = 1;
}

/* content_digest from the entry's content, and rec_digest from the hashes
 * of the rest (path and file metadata) and of the content: each byte of
 * the entry is hashed once. */
static void set_digest(np_site_article *sa, np_str entry)
{
	np_str content = np_snap_content(entry); /* decoded already: never null */
	if (!content.p) {
		put_digest(sa->rec_digest, XXH3_128bits(entry.p, entry.len));
		return;
	}
	XXH128_hash_t both[2] = {XXH3_128bits(entry.p, (size_t)(content.p - entry.p)),
	                         XXH3_128bits(content.p, content.len)};
	put_digest(sa->content_digest, both[1]);
	put_digest(sa->rec_digest, XXH3_128bits(both, sizeof both));
}

int64_t np_site_racy_ns = 100 * 1000000; /* site.h */

/* Whether a record file's metadata may not tell a later edit from this
 * state: its ctime (which every change sets, and which cp -a or touch -d
 * cannot set back) is within the racy window before the load began.  A
 * file system that keeps whole seconds (ns always 0) gets 2 s at least. */
static bool racy_at(int64_t start_ns, int64_t mtime_ns, int64_t ctime_ns)
{
	int64_t window = np_site_racy_ns;
	if (ctime_ns % 1000000000 == 0 && window < 2000000000)
		window = 2000000000;
	int64_t t = ctime_ns > mtime_ns ? ctime_ns : mtime_ns;
	return t >= start_ns - window;
}

static int64_t now_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* Sorts the n files by path and finds their entries in snap, or in the
 * snapshot at dir/file when snap is NULL. */
static void snap_read_begin(snap_read *r, np_snap *snap, const char *dir, const char *file,
                            const np_fs_item **files, size_t n)
{
	np_sort_runs(files, n, sizeof *files, np_fs_item_ptr_cmp, NULL); /* in order as listed */
	if (!snap) {
		np_buf sp;
		np_buf_init(&sp);
		np_path_join(&sp, dir, file);
		snap = np_snap_load(sp.data);
		np_buf_dispose(&sp);
	}
	r->snap = snap, r->files = files, r->n = n;
	r->snap_idx = np_xcalloc(n + 1, sizeof *r->snap_idx);
	r->ok = np_xcalloc(n + 1, sizeof *r->ok);
	r->entries = np_xcalloc(n + 1, sizeof *r->entries);
	r->fresh = np_xcalloc(n + 1, sizeof *r->fresh);
	const char **rels = np_xcalloc(n + 1, sizeof *rels);
	for (size_t i = 0; i < n; i++)
		rels[i] = files[i]->rel;
	np_snap_match(snap, rels, n, r->snap_idx);
	free(rels);
	atomic_init(&r->parsed, 0);
	atomic_init(&r->hits, 0);
	r->start_ns = now_ns();
}

/* File i's entry in the snapshot when it was made from the file as the
 * listing shows it now, else null. */
static np_str snap_read_entry(const snap_read *r, size_t i)
{
	const np_fs_item *it = r->files[i];
	return it->kind == NP_FS_FILE ? np_snap_entry(r->snap, r->snap_idx[i], np_snap_key_of(it))
	                              : (np_str){NULL, 0};
}

/* File i was read from its snapshot entry e. */
static void snap_read_hit(snap_read *r, size_t i, np_str e)
{
	atomic_fetch_add_explicit(&r->hits, 1, memory_order_relaxed);
	r->entries[i] = e;
	r->ok[i] = true;
}

/* Parses record i from its file src with libyaml and turns it into a
 * snapshot entry, decoded into out (so a record reads the same whether
 * it was parsed now or came from the snapshot).  Not cached: a record with
 * any diagnostic (its warnings must come back on every build), and one
 * changed too shortly before the load began (racy_at: an edit later in
 * the same clock tick, of the same size, would look unchanged: git's
 * "racy" files).  The entry's key has the inode and ctime too, so a file
 * put back with an old mtime (cp -a, rsync -t) is seen as changed. */
static bool parse_fresh(parse_ctx *c, size_t i, unsigned worker, np_site_article *out,
                        const np_buf *src)
{
	np_arena *scratch = &c->scratch[worker];
	np_diags local;
	np_diags_init(&local);
	np_site_article tmp = *out;
	bool ok =
	    np_record_parse(&tmp.rec, src->data, src->len, out->record_path, scratch, &local) == 0;
	if (ok) {
		tmp.rec_size = src->len;
		tmp.body_off = src->len - tmp.rec.body.len; /* the body runs to the end */
		XXH128_hash_t h = XXH3_128bits(src->data + tmp.body_off, tmp.rec.body.len);
		tmp.body_hash[0] = h.low64, tmp.body_hash[1] = h.high64;
		np_buf e;
		np_buf_init(&e);
		np_snap_encode(&e, &tmp);
		ok = np_snap_decode_lazy(np_str_of(&e), out, &c->arenas[worker]) == 0;
		if (ok)
			set_digest(out, np_str_of(&e));
		bool racy = racy_at(c->r.start_ns, out->mtime_ns, out->ctime_ns);
		c->r.entries[i] = local.len || racy ? (np_str){NULL, 0} : np_str_of(&e);
		c->r.fresh[i] = np_buf_detach(&e);
	}
	move_diags(&local, c->d);
	np_arena_dispose(scratch);
	atomic_fetch_add(&c->r.parsed, 1);
	return ok;
}

/* Record i: from the snapshot when its entry was made from the file with
 * the metadata the listing gives now, else parsed.  Only a record that
 * goes to libyaml is opened. */
static void parse_one(void *vctx, size_t i, unsigned worker)
{
	parse_ctx *c = vctx;
	np_site_article *out = &c->s->pub.articles[i];
	const np_fs_item *it = c->r.files[i];
	np_buf path, src;
	np_buf_init(&path);
	np_buf_init(&src);
	np_str e = snap_read_entry(&c->r, i);
	if (e.p && np_snap_decode_lazy(e, out, &c->arenas[worker]) == 0) {
		set_digest(out, e);
		snap_read_hit(&c->r, i, e);
		goto out;
	}
	char *rel = np_arena_strdup(&c->arenas[worker], np_str_from(it->rel));
	np_path_join(&path, c->dir, rel);
	if (np_fs_read(path.data, &src) != 0) {
		np_diag_add(c->d, NP_ERROR, rel, 0, 0, "cannot read record");
		goto out;
	}
	out->record_path = rel;
	out->mtime_ns = it->mtime_ns;
	out->ino = it->ino;
	out->ctime_ns = it->ctime_ns;
	c->r.ok[i] = parse_fresh(c, i, worker, out, &src);
out:
	np_buf_dispose(&path);
	np_buf_dispose(&src);
}

/* Saves the snapshot at dir/file of the files read (the entries of those
 * kept, in path order) when it misses more than one file in 64 (new or
 * changed since it was written, or gone), or when there is none, and
 * frees what the reading kept but ok and fresh.  A snapshot that misses a
 * few is still right (each entry is for one file as it was), and
 * rewriting the whole file for a weekly issue (95 MB of records at
 * 100,000) cost more than parsing the few files it lacks in the builds
 * until the next save.  Records and page records alike. */
static void snap_read_end(snap_read *r, const char *dir, const char *file)
{
	size_t n = r->n, n_old = np_snap_count(r->snap), hits = atomic_load(&r->hits);
	np_str *keep = np_xcalloc(n + 1, sizeof *keep);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (r->ok[i] && r->entries[i].p)
			keep[k++] = r->entries[i];
	size_t misses = (k - hits) + (n_old - hits); /* entries to add, entries unused */
	if (misses > n / 64 || (n_old == 0 && k > 0)) {
		np_buf p;
		np_buf_init(&p);
		np_path_join(&p, dir, file);
		np_snap_save(p.data, keep, k);
		np_buf_dispose(&p);
	}
	free(keep);
	free(r->snap_idx), free(r->entries);
}

/* Reads every record (front matter from the snapshot when the file is
 * unchanged, else parsed), bad ones dropped (their diagnostics say why),
 * and saves the snapshot.  Returns the number kept. */
static size_t read_articles(np_site_impl *s, paths *p, const char *dir, np_diags *d)
{
	parse_ctx c = {.s = s, .dir = dir, .arenas = s->arenas, .d = d};
	snap_read_begin(&c.r, s->snap, dir, NP_SNAP_FILE, p->md, p->n_md);
	s->pub.articles = np_xcalloc(p->n_md, sizeof *s->pub.articles);
	c.scratch = np_xcalloc(s->n_arenas, sizeof *c.scratch);
	for (size_t i = 0; i < s->n_arenas; i++)
		np_arena_init(&c.scratch[i]);
	np_pool_for(s->n_arenas, p->n_md, parse_one, &c);
	snap_read_end(&c.r, dir, NP_SNAP_FILE);
	size_t kept = 0;
	for (size_t i = 0; i < p->n_md; i++)
		if (c.r.ok[i])
			s->pub.articles[kept++] = s->pub.articles[i];
	s->pub.n_articles = kept;
	s->n_parsed = atomic_load(&c.r.parsed);
	free(c.r.ok), free(c.scratch), free(p->md);
	s->snap = c.r.snap; /* the records point into it, and into the fresh entries */
	s->fresh = c.r.fresh, s->n_fresh = p->n_md;
	return kept;
}

/* The page records (pages.yaml, one per issue), on all cores: from the
 * pages snapshot when a file's entry was made from it as the listing
 * shows it now, else parsed by libyaml (and given an entry unless it had
 * a diagnostic, which must come back every build, or is racy), like the
 * records above. */
typedef struct pages_ctx {
	np_site_impl *s;
	snap_read r;
	const char *dir;
	np_diags *d;
} pages_ctx;

static void parse_pages(void *vctx, size_t i, unsigned worker)
{
	pages_ctx *c = vctx;
	np_arena *a = &c->s->arenas[worker];
	np_page_record *rec = &c->s->page_records[i];
	const np_fs_item *it = c->r.files[i];
	np_str e = snap_read_entry(&c->r, i);
	if (e.p && np_snap_decode_pages(e, rec, a) == 0) {
		snap_read_hit(&c->r, i, e);
		return;
	}
	np_buf path, src;
	np_buf_init(&path);
	np_buf_init(&src);
	np_path_join(&path, c->dir, it->rel);
	char *rel = np_arena_strdup(a, np_str_from(it->rel));
	np_diags local;
	np_diags_init(&local);
	c->r.ok[i] = np_fs_read(path.data, &src) == 0 &&
	             np_pages_parse(rec, src.data, src.len, rel, a, &local) == 0;
	atomic_fetch_add(&c->r.parsed, 1);
	if (c->r.ok[i] && it->kind == NP_FS_FILE && !local.len &&
	    !racy_at(c->r.start_ns, it->mtime_ns, it->ctime_ns)) {
		np_buf b;
		np_buf_init(&b);
		np_snap_encode_pages(&b, it->rel, np_snap_key_of(it), rec);
		c->r.entries[i] = np_str_of(&b);
		c->r.fresh[i] = np_buf_detach(&b);
	}
	move_diags(&local, c->d);
	np_buf_dispose(&path);
	np_buf_dispose(&src);
}

/* Reads the page records in p->pages, then saves their snapshot under
 * the records' rule (snap_read_end). */
static void read_pages(np_site_impl *s, paths *p, const char *dir, np_diags *d)
{
	size_t n = p->n_pages;
	pages_ctx c = {.s = s, .dir = dir, .d = d};
	snap_read_begin(&c.r, NULL, dir, NP_PAGES_SNAP_FILE, p->pages, n);
	s->page_records = np_xcalloc(n + 1, sizeof *s->page_records);
	np_pool_for(s->n_arenas, n, parse_pages, &c);
	snap_read_end(&c.r, dir, NP_PAGES_SNAP_FILE);
	for (size_t i = 0; i < n; i++)
		if (c.r.ok[i])
			s->page_records[s->n_page_records++] = s->page_records[i];
	for (size_t i = 0; i < n; i++)
		free(c.r.fresh[i]); /* records parsed now point into the arenas, not here */
	free(c.r.ok), free(c.r.fresh);
	s->n_pages_parsed = atomic_load(&c.r.parsed);
	s->pages_snap = c.r.snap; /* the records decoded from it point into it */
}

/* Reads every record and page record that the listing of content/articles
 * (made now when NULL) has; bad ones are dropped (their diagnostics say
 * why).  Returns the number of records kept. */
size_t np_site_read_records(np_site_impl *s, const char *dir, unsigned threads,
                            const np_fs_list *listed, np_diags *d)
{
	paths p = {0};
	np_fs_list mine;
	np_fs_list_init(&mine);
	if (!listed) {
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			np_fs_list_tree(&mine, fd, NP_SITE_ARTICLES, threads);
			close(fd);
		}
		listed = &mine;
	}
	collect(listed, &p);
	s->dir = np_arena_strdup(&s->arena, np_str_from(dir));
	s->n_arenas = threads ? threads : 1;
	s->arenas = np_xcalloc(s->n_arenas, sizeof *s->arenas);
	for (size_t i = 0; i < s->n_arenas; i++)
		np_arena_init(&s->arenas[i]);
	size_t kept = read_articles(s, &p, dir, d);
	read_pages(s, &p, dir, d);
	free(p.pages);
	np_fs_list_dispose(&mine);
	return kept;
}

int np_site_body(const np_site *pub, size_t i, np_buf *file, np_str *body)
{
	const np_site_impl *s = pub->priv;
	const np_site_article *sa = &pub->articles[i];
	np_buf path;
	np_buf_init(&path);
	np_path_join(&path, s->dir, sa->record_path);
	int rc = np_fs_read(path.data, file);
	np_buf_dispose(&path);
	*body = (np_str){"", 0};
	if (rc != 0)
		return NP_EIO;
	if (file->len == sa->rec_size && sa->body_off <= file->len) {
		*body = (np_str){file->data + sa->body_off, file->len - sa->body_off};
		return 0;
	}
	/* Changed since the site was loaded: take the body from a new parse. */
	np_arena a;
	np_arena_init(&a);
	np_diags quiet;
	np_diags_init(&quiet);
	np_article rec;
	rc = np_record_parse(&rec, file->data, file->len, sa->record_path, &a, &quiet);
	np_buf_clear(file);
	if (rc == 0)
		np_buf_putstr(file, rec.body);
	*body = np_str_of(file);
	np_diags_dispose(&quiet);
	np_arena_dispose(&a);
	return rc;
}

typedef struct bodies_ctx {
	np_site_impl *s;
} bodies_ctx;

static void body_one(void *vctx, size_t i, unsigned worker)
{
	np_site_impl *s = ((bodies_ctx *)vctx)->s;
	np_buf file;
	np_buf_init(&file);
	np_str body;
	np_site_body(&s->pub, i, &file, &body);
	s->pub.articles[i].rec.body = np_arena_str(&s->body_arenas[worker], body);
	np_buf_dispose(&file);
}

void np_site_bodies_load(const np_site *pub, unsigned threads)
{
	np_site_impl *s = pub->priv;
	np_site_bodies_drop(pub);
	s->n_body_arenas = threads ? threads : 1;
	s->body_arenas = np_xcalloc(s->n_body_arenas, sizeof *s->body_arenas);
	for (size_t k = 0; k < s->n_body_arenas; k++)
		np_arena_init(&s->body_arenas[k]);
	bodies_ctx c = {s};
	np_pool_for((unsigned)s->n_body_arenas, pub->n_articles, body_one, &c);
}

void np_site_bodies_drop(const np_site *pub)
{
	np_site_impl *s = pub->priv;
	for (size_t i = 0; i < pub->n_articles && s->body_arenas; i++)
		s->pub.articles[i].rec.body = (np_str){NULL, 0};
	for (size_t k = 0; k < s->n_body_arenas; k++)
		np_arena_dispose(&s->body_arenas[k]);
	free(s->body_arenas);
	s->body_arenas = NULL;
	s->n_body_arenas = 0;
}

size_t np_site_n_parsed(const np_site *pub)
{
	const np_site_impl *s = pub->priv;
	return s->n_parsed;
}

size_t np_site_n_pages_parsed(const np_site *pub)
{
	const np_site_impl *s = pub->priv;
	return s->n_pages_parsed;
}
