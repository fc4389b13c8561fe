/* The record snapshot (see snapshot.h for the file layout). */
#define _GNU_SOURCE /* MAP_POPULATE, qsort_r */
#include "site/snapshot.h"

#include <stdlib.h>
#include <xxhash.h>

#include "util/err.h"
#include "util/fs.h"

#define MAGIC "NPSNAP\0\0"
#define HEADER_LEN 32u
#define NULL_LEN 0xffffffffu

struct np_snap {
	const char *data; /* the file: mapped, else read into bytes */
	size_t len;
	np_fs_mapping map;
	np_buf bytes;
	size_t *at; /* per entry, in record path order: offset of its length field */
	size_t n;
};

/* ---- encoding ---- */

static void put_u32(np_buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};
	np_buf_put(b, x, 4);
}

static void put_u64(np_buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)v);
	put_u32(b, (uint32_t)(v >> 32));
}

static void put_str(np_buf *b, np_str s)
{
	if (!s.p || s.len >= NULL_LEN) {
		put_u32(b, NULL_LEN);
		return;
	}
	put_u32(b, (uint32_t)s.len);
	np_buf_put(b, s.p, s.len);
	np_buf_put(b, "", 1); /* decoded strings point into the file: C strings */
}

static void put_list(np_buf *b, const np_strlist *l)
{
	put_u32(b, (uint32_t)l->len);
	for (size_t i = 0; i < l->len; i++)
		put_str(b, l->items[i]);
}

static void put_date(np_buf *b, np_date d)
{
	put_u32(b, (uint32_t)d.y);
	put_u32(b, (uint32_t)d.m);
	put_u32(b, (uint32_t)d.d);
}

/* A new field in np_article must be written and read here too (and
 * NP_SNAP_VERSION bumped): this trips when the struct changes size. */
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(np_article) == 384, "np_article changed: update the record snapshot");
#endif

static void put_article(np_buf *b, const np_article *r)
{
	put_str(b, r->id);
	put_str(b, r->title);
	put_str(b, r->kicker);
	put_str(b, r->subtitle);
	put_date(b, r->date);
	put_date(b, r->end_date);
	put_u32(b, r->date_inferred);
	put_str(b, r->issue);
	put_u32(b, (uint32_t)r->page);
	put_list(b, &r->authors);
	put_str(b, r->source);
	put_list(b, &r->regions);
	put_list(b, &r->places);
	put_list(b, &r->events);
	put_list(b, &r->people);
	put_list(b, &r->captions);
	put_str(b, r->summary);
	put_str(b, r->slug);
	put_str(b, r->source_file);
	put_str(b, r->ingest_hash);
	put_str(b, r->extra_yaml);
}

/* An entry's opening: its length (patched by end_entry), the file's
 * path and metadata.  Returns where the entry starts. */
static size_t begin_entry(np_buf *out, const char *path, np_snap_key key)
{
	size_t at = out->len;
	put_u32(out, 0);
	put_str(out, np_str_from(path));
	put_u64(out, key.size);
	put_u64(out, (uint64_t)key.mtime_ns);
	put_u64(out, key.ino);
	put_u64(out, (uint64_t)key.ctime_ns);
	return at;
}

static void end_entry(np_buf *out, size_t at)
{
	uint32_t len = (uint32_t)(out->len - at - 4);
	unsigned char *p = (unsigned char *)out->data + at;
	p[0] = (unsigned char)len, p[1] = (unsigned char)(len >> 8);
	p[2] = (unsigned char)(len >> 16), p[3] = (unsigned char)(len >> 24);
}

void np_snap_encode(np_buf *out, const np_site_article *sa)
{
	size_t at = begin_entry(out, sa->record_path,
	                        (np_snap_key){.size = sa->rec_size,
	                                      .ino = sa->ino,
	                                      .mtime_ns = sa->mtime_ns,
	                                      .ctime_ns = sa->ctime_ns});
	put_u64(out, sa->body_off);
	put_u64(out, sa->body_hash[0]);
	put_u64(out, sa->body_hash[1]);
	put_article(out, &sa->rec);
	end_entry(out, at);
}

/* ---- decoding: a cursor that turns every overrun into an error ----
 * Strings are not copied: each points into the entry, at bytes followed
 * by the NUL the encoder wrote (checked here). */

typedef struct cursor {
	const unsigned char *p, *end;
	bool bad;
	np_arena *a;
} cursor;

static uint32_t get_u32(cursor *c)
{
	if (c->bad || c->end - c->p < 4) {
		c->bad = true;
		return 0;
	}
	uint32_t v = (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 | (uint32_t)c->p[2] << 16 |
	             (uint32_t)c->p[3] << 24;
	c->p += 4;
	return v;
}

static uint64_t get_u64(cursor *c)
{
	uint64_t lo = get_u32(c);
	return lo | (uint64_t)get_u32(c) << 32;
}

static np_str get_str(cursor *c)
{
	uint32_t n = get_u32(c);
	if (c->bad || n == NULL_LEN)
		return (np_str){NULL, 0};
	if ((size_t)(c->end - c->p) <= n || c->p[n] != '\0') {
		c->bad = true;
		return (np_str){NULL, 0};
	}
	np_str s = {(const char *)c->p, n};
	c->p += (size_t)n + 1;
	return s;
}

static void get_list(cursor *c, np_strlist *l)
{
	uint32_t n = get_u32(c);
	/* Each string takes at least 4 bytes: a larger count is corrupt. */
	if (c->bad || n > (size_t)(c->end - c->p) / 4) {
		c->bad = true;
		return;
	}
	l->items = n ? NP_ANEWN(c->a, np_str, n) : NULL;
	l->len = 0, l->cap = n;
	for (uint32_t i = 0; i < n && !c->bad; i++)
		l->items[l->len++] = get_str(c);
}

static np_date get_date(cursor *c)
{
	np_date d;
	d.y = (int)get_u32(c);
	d.m = (int)get_u32(c);
	d.d = (int)get_u32(c);
	return d;
}

static void skip_list(cursor *c);

/* lists: NULL, or where the people and captions lists are left undecoded
 * (r->people and r->captions then stay empty). */
static void get_article(cursor *c, np_article *r, np_str *lists)
{
	r->id = get_str(c);
	r->title = get_str(c);
	r->kicker = get_str(c);
	r->subtitle = get_str(c);
	r->date = get_date(c);
	r->end_date = get_date(c);
	r->date_inferred = get_u32(c) != 0;
	r->issue = get_str(c);
	r->page = (int)get_u32(c);
	get_list(c, &r->authors);
	r->source = get_str(c);
	get_list(c, &r->regions);
	get_list(c, &r->places);
	get_list(c, &r->events);
	if (lists) {
		const unsigned char *at = c->p;
		skip_list(c);
		skip_list(c);
		*lists = (np_str){(const char *)at, (size_t)(c->p - at)};
	} else {
		get_list(c, &r->people);
		get_list(c, &r->captions);
	}
	r->summary = get_str(c);
	r->slug = get_str(c);
	r->source_file = get_str(c);
	r->ingest_hash = get_str(c);
	r->extra_yaml = get_str(c);
}

/* A cursor on entry (lists allocated in a) past its length, which must be
 * the rest of the entry, and its path; false for a wrong length. */
static bool open_entry(cursor *c, np_str entry, np_arena *a, np_str *path)
{
	*c = (cursor){(const unsigned char *)entry.p, (const unsigned char *)entry.p + entry.len,
	              false, a};
	uint32_t len = get_u32(c);
	if (c->bad || len != (size_t)(c->end - c->p))
		return false;
	*path = get_str(c);
	return true;
}

static int decode(np_str entry, np_site_article *sa, np_arena *a, bool lazy)
{
	cursor c;
	np_str path;
	memset(sa, 0, sizeof *sa);
	if (!open_entry(&c, entry, a, &path))
		return NP_EINVAL;
	sa->record_path = (char *)path.p;
	sa->rec_size = get_u64(&c);
	sa->mtime_ns = (int64_t)get_u64(&c);
	sa->ino = get_u64(&c);
	sa->ctime_ns = (int64_t)get_u64(&c);
	sa->body_off = get_u64(&c);
	sa->body_hash[0] = get_u64(&c);
	sa->body_hash[1] = get_u64(&c);
	get_article(&c, &sa->rec, lazy ? &sa->lazy_lists : NULL);
	if (c.bad || c.p != c.end || !path.p) {
		sa->lazy_lists = (np_str){NULL, 0};
		return NP_EINVAL;
	}
	return 0;
}

int np_snap_decode(np_str entry, np_site_article *sa, np_arena *a)
{
	return decode(entry, sa, a, false);
}

int np_snap_decode_lazy(np_str entry, np_site_article *sa, np_arena *a)
{
	return decode(entry, sa, a, true);
}

int np_snap_decode_lists(np_str lists, np_strlist *people, np_strlist *captions, np_arena *a)
{
	cursor c = {(const unsigned char *)lists.p, (const unsigned char *)lists.p + lists.len,
	            false, a};
	*people = *captions = (np_strlist){0};
	get_list(&c, people);
	get_list(&c, captions);
	if (c.bad || c.p != c.end) {
		*people = *captions = (np_strlist){0};
		return NP_EINVAL;
	}
	return 0;
}

/* open_entry, then past the file's metadata (size, mtime, inode, ctime,
 * body offset): the cursor is at the body hash, where the content starts. */
static bool open_content(cursor *c, np_str entry, np_str *path)
{
	if (!open_entry(c, entry, NULL, path))
		return false;
	for (int k = 0; k < 5; k++)
		(void)get_u64(c);
	return !c->bad;
}

np_str np_snap_content(np_str entry)
{
	cursor c;
	np_str path;
	if (!open_content(&c, entry, &path))
		return (np_str){NULL, 0};
	return (np_str){(const char *)c.p, (size_t)(c.end - c.p)};
}

/* Steps over a string or a list of them (NULL_LEN, or a length, the
 * bytes and their NUL), with get_str's checks. */
static void skip_str(cursor *c)
{
	(void)get_str(c);
}

/* A count of items that take at least `least` bytes each, checked against
 * what is left of the entry (a larger one is corrupt). */
static uint32_t get_count(cursor *c, size_t least)
{
	uint32_t n = get_u32(c);
	if (!c->bad && n > (size_t)(c->end - c->p) / least)
		c->bad = true;
	return c->bad ? 0 : n;
}

static void skip_list(cursor *c)
{
	uint32_t n = get_count(c, 4);
	for (uint32_t i = 0; i < n && !c->bad; i++)
		skip_str(c);
}

int np_snap_slug(np_str entry, np_str *slug, np_str *source_file)
{
	cursor c;
	np_str path;
	*slug = *source_file = (np_str){NULL, 0};
	if (!open_content(&c, entry, &path))
		return NP_EINVAL;
	for (int k = 0; k < 2; k++) /* body hash */
		(void)get_u64(&c);
	/* get_article's order: id, title, kicker, subtitle, date, end_date,
	 * date_inferred, issue, page, authors, source, regions, places,
	 * events, people, captions, summary, slug, source_file, ingest_hash,
	 * extra_yaml */
	for (int k = 0; k < 4; k++)
		skip_str(&c);
	for (int k = 0; k < 7; k++)
		(void)get_u32(&c);
	skip_str(&c);
	(void)get_u32(&c);
	skip_list(&c);
	skip_str(&c);
	for (int k = 0; k < 5; k++)
		skip_list(&c);
	skip_str(&c);
	np_str sl = get_str(&c), sf = get_str(&c);
	skip_str(&c);
	skip_str(&c);
	if (c.bad || c.p != c.end || !path.p)
		return NP_EINVAL;
	*slug = sl, *source_file = sf;
	return 0;
}

/* ---- page records (pages.yaml) ---- */

/* A new field in np_page_entry or np_teaser must be written and read here
 * too (and NP_SNAP_VERSION bumped). */
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(np_page_entry) == 88, "np_page_entry changed: update the pages snapshot");
_Static_assert(sizeof(np_teaser) == 48, "np_teaser changed: update the pages snapshot");
#endif

void np_snap_encode_pages(np_buf *out, const char *path, np_snap_key key, const np_page_record *p)
{
	size_t at = begin_entry(out, path, key);
	put_str(out, p->issue);
	put_u32(out, (uint32_t)p->n_pages);
	for (size_t i = 0; i < p->n_pages; i++) {
		const np_page_entry *e = &p->pages[i];
		put_u32(out, (uint32_t)e->page);
		put_str(out, e->source_file);
		put_list(out, &e->articles);
		put_u32(out, (uint32_t)e->n_teasers);
		for (size_t t = 0; t < e->n_teasers; t++) {
			const np_teaser *x = &e->teasers[t];
			put_str(out, x->title);
			put_str(out, x->kicker);
			put_u32(out, (uint32_t)x->page);
			put_u32(out, x->line);
			put_u32(out, x->col);
		}
		put_list(out, &e->captions);
	}
	end_entry(out, at);
}

int np_snap_decode_pages(np_str entry, np_page_record *p, np_arena *a)
{
	cursor c;
	np_str path;
	memset(p, 0, sizeof *p);
	if (!open_entry(&c, entry, a, &path))
		return NP_EINVAL;
	for (int k = 0; k < 4; k++) /* size, mtime, inode, ctime */
		(void)get_u64(&c);
	p->issue = get_str(&c);
	uint32_t n = get_count(&c, 20); /* page, source, two lists, teaser count */
	p->pages = n ? NP_ANEWN(a, np_page_entry, n) : NULL;
	for (uint32_t i = 0; i < n && !c.bad; i++) {
		np_page_entry *e = &p->pages[p->n_pages++];
		e->page = (int)get_u32(&c);
		e->source_file = get_str(&c);
		get_list(&c, &e->articles);
		uint32_t nt = get_count(&c, 20); /* two strings, three numbers */
		e->teasers = nt ? NP_ANEWN(a, np_teaser, nt) : NULL;
		for (uint32_t t = 0; t < nt && !c.bad; t++) {
			np_teaser *x = &e->teasers[e->n_teasers++];
			x->title = get_str(&c);
			x->kicker = get_str(&c);
			x->page = (int)get_u32(&c);
			x->line = get_u32(&c);
			x->col = get_u32(&c);
		}
		get_list(&c, &e->captions);
	}
	if (c.bad || c.p != c.end || !path.p) {
		memset(p, 0, sizeof *p);
		return NP_EINVAL;
	}
	return 0;
}

/* ---- the file ---- */

static uint32_t rd32(const char *p)
{
	cursor c = {(const unsigned char *)p, (const unsigned char *)p + 4, false, NULL};
	return get_u32(&c);
}

static uint64_t rd64(const char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* The record path of the entry at offset at (checked by index_entries). */
static np_str path_at(const char *data, size_t at)
{
	return (np_str){data + at + 8, rd32(data + at + 4)};
}

/* Record paths in strcmp order (they hold no NUL). */
static int cmp_path(np_str a, np_str b)
{
	int c = memcmp(a.p, b.p, a.len < b.len ? a.len : b.len);
	return c ? c : (a.len > b.len) - (a.len < b.len);
}

static int cmp_at(const void *x, const void *y, void *data)
{
	return cmp_path(path_at(data, *(const size_t *)x), path_at(data, *(const size_t *)y));
}

/* Indexes the entries in record path order (the order np_snap_save is
 * given: a file in another order, not written by this program, is sorted
 * here); false when the file is not a whole snapshot of this version. */
static bool index_entries(np_snap *s)
{
	const char *p = s->data;
	size_t len = s->len;
	if (len < HEADER_LEN || memcmp(p, MAGIC, 8) != 0 || rd64(p + 8) != NP_SNAP_VERSION)
		return false;
	uint64_t n = rd64(p + 16);
	if (n > (len - HEADER_LEN) / 8) /* an entry has 8 bytes at least */
		return false;
	if (XXH3_64bits(p + HEADER_LEN, len - HEADER_LEN) != rd64(p + 24))
		return false;
	s->at = np_xcalloc((size_t)n + 1, sizeof *s->at);
	size_t at = HEADER_LEN;
	bool sorted = true;
	for (uint64_t i = 0; i < n; i++) {
		cursor c = {(const unsigned char *)p + at, (const unsigned char *)p + len, false,
		            NULL};
		uint32_t elen = get_u32(&c), plen = get_u32(&c);
		if (c.bad || elen > len - at - 4 || plen == NULL_LEN || plen >= elen - 4)
			return false;
		s->at[i] = at;
		if (i && cmp_path(path_at(p, s->at[i - 1]), path_at(p, at)) >= 0)
			sorted = false;
		at += 4 + (size_t)elen;
	}
	s->n = (size_t)n;
	if (!sorted)
		qsort_r(s->at, s->n, sizeof *s->at, cmp_at, (void *)p);
	return at == len;
}

/* Maps the file (the page cache's pages, populated at once: no copy and
 * no fault per page); false when it cannot, and the caller reads it.
 * Newsprint replaces the file by rename(2), never in place, so the
 * mapping stays whole while a later build saves a new one. */
static bool map_file(np_snap *s, const char *path)
{
	if (!np_fs_map(path, &s->map))
		return false;
	if (s->map.len < HEADER_LEN) {
		np_fs_unmap(&s->map);
		return false;
	}
	s->data = s->map.data, s->len = s->map.len;
	return true;
}

np_snap *np_snap_load(const char *path)
{
	np_snap *s = np_xcalloc(1, sizeof *s);
	np_buf_init(&s->bytes);
	if (!map_file(s, path) && np_fs_read(path, &s->bytes) == 0)
		s->data = s->bytes.data, s->len = s->bytes.len;
	if (s->data && !index_entries(s))
		s->n = 0;
	return s;
}

void np_snap_free(np_snap *s)
{
	if (!s)
		return;
	free(s->at);
	np_fs_unmap(&s->map);
	np_buf_dispose(&s->bytes);
	free(s);
}

size_t np_snap_count(const np_snap *s)
{
	return s->n;
}

void np_snap_match(const np_snap *s, const char *const *paths, size_t n, size_t *idx)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		np_str want = np_str_from(paths[i]);
		int c = 1;
		while (j < s->n && (c = cmp_path(path_at(s->data, s->at[j]), want)) < 0)
			j++;
		idx[i] = j < s->n && c == 0 ? j : SIZE_MAX;
	}
}

size_t np_snap_find(const np_snap *s, np_str path)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_path(path_at(s->data, s->at[mid]), path);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

np_str np_snap_entry(const np_snap *s, size_t idx, np_snap_key key)
{
	if (idx >= s->n)
		return (np_str){NULL, 0};
	const char *p = s->data + s->at[idx];
	size_t elen = rd32(p), plen = rd32(p + 4); /* checked by index_entries */
	if (8 + plen + 1 + 32 > 4 + elen)
		return (np_str){NULL, 0};
	const char *k = p + 8 + plen + 1;
	if (rd64(k) != key.size || (int64_t)rd64(k + 8) != key.mtime_ns ||
	    rd64(k + 16) != key.ino || (int64_t)rd64(k + 24) != key.ctime_ns)
		return (np_str){NULL, 0};
	return (np_str){p, 4 + elen};
}

int np_snap_save(const char *path, const np_str *entries, size_t n)
{
	np_buf b;
	np_buf_init(&b);
	np_buf_put(&b, MAGIC, 8);
	put_u64(&b, NP_SNAP_VERSION);
	put_u64(&b, n);
	put_u64(&b, 0); /* checksum, patched below */
	for (size_t i = 0; i < n; i++)
		np_buf_put(&b, entries[i].p, entries[i].len);
	uint64_t sum = XXH3_64bits(b.data + HEADER_LEN, b.len - HEADER_LEN);
	np_buf tail;
	np_buf_init(&tail);
	put_u64(&tail, sum);
	memcpy(b.data + 24, tail.data, 8);
	np_buf_dispose(&tail);
	np_fs_mkdirs_for(path);
	int rc = np_fs_write_if_changed(path, b.data, b.len) < 0 ? NP_EIO : 0;
	np_buf_dispose(&b);
	return rc;
}
