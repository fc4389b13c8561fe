/* Output fingerprints (see fingerprint.h). */
#define _POSIX_C_SOURCE 200809L
#include "render/fingerprint.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "tmpl/lexer.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/strlist.h"
#include "util/strmap.h"

struct np_fp_hasher {
	XXH3_state_t *st;
	const np_fp_names *names;
};

np_fp_hasher *np_fp_hasher_new(const np_fp_set *set, const char *path, const char *tmpl)
{
	np_fp_hasher *h = np_xcalloc(1, sizeof *h);
	h->st = XXH3_createState();
	h->names = np_fp_set_names(set, tmpl);
	if (!h->st)
		np_oom();
	XXH3_128bits_reset(h->st);
	np_fp_add_bytes(h, h->names ? h->names->h : set->h, 16);
	np_fp_add_bytes(h, path, strlen(path) + 1);
	np_fp_add_bytes(h, tmpl, strlen(tmpl) + 1);
	return h;
}

void np_fp_add_bytes(np_fp_hasher *h, const void *p, size_t len)
{
	XXH3_128bits_update(h->st, p, len);
}

static void add_u64(np_fp_hasher *h, uint64_t v)
{
	np_fp_add_bytes(h, &v, sizeof v);
}

static void add_str(np_fp_hasher *h, np_str s)
{
	add_u64(h, s.len);
	np_fp_add_bytes(h, s.p, s.len);
}

/* Every value is its type tag, then its content; strings and containers
 * carry their lengths, so no two different trees hash the same bytes.  A
 * map entry whose key no template names is left out (unless the set says
 * templates may read any key): no template can print it. */
void np_fp_add_value(np_fp_hasher *h, const np_value *v)
{
	v = v ? np_value_force(v) : np_value_null();
	add_u64(h, (uint64_t)v->type | (uint64_t)v->safe << 8);
	switch (v->type) {
	case NP_V_BOOL:
		add_u64(h, v->u.b);
		break;
	case NP_V_INT:
		add_u64(h, (uint64_t)v->u.i);
		break;
	case NP_V_STR:
		add_str(h, v->u.s);
		break;
	case NP_V_DATE:
		add_u64(h, (uint64_t)(int64_t)v->u.date.y << 16 |
		               (uint64_t)(v->u.date.m << 8 | v->u.date.d));
		break;
	case NP_V_LIST:
		add_u64(h, v->u.list->len);
		for (size_t i = 0; i < v->u.list->len; i++)
			np_fp_add_value(h, v->u.list->items[i]);
		break;
	case NP_V_MAP:
		if (v->u.map->has_digest) {
			add_u64(h, 0x6469676573748d4bu); /* tag: a digest stands in */
			np_fp_add_bytes(h, v->u.map->digest, sizeof v->u.map->digest);
			break;
		}
		add_u64(h, v->u.map->len);
		for (size_t i = 0; i < v->u.map->len; i++) {
			size_t unused;
			if (h->names && !h->names->all &&
			    !np_strmap_get(&h->names->names, v->u.map->items[i].key, &unused))
				continue;
			add_str(h, v->u.map->items[i].key);
			np_fp_add_value(h, v->u.map->items[i].val);
		}
		break;
	default:
		break;
	}
}

void np_fp_digest(const np_fp_set *set, const np_value *v, uint64_t out[2])
{
	np_fp_hasher h = {XXH3_createState(), &set->any};
	if (!h.st)
		np_oom();
	XXH3_128bits_reset(h.st);
	np_fp_add_value(&h, v);
	XXH128_hash_t r = XXH3_128bits_digest(h.st);
	out[0] = r.low64, out[1] = r.high64;
	XXH3_freeState(h.st);
}

void np_fp_hasher_finish(np_fp_hasher *h, np_fp *out)
{
	XXH128_hash_t r = XXH3_128bits_digest(h->st);
	out->h[0] = r.low64, out->h[1] = r.high64;
	XXH3_freeState(h->st);
	free(h);
}

typedef struct set_ctx {
	XXH3_state_t *st;
	np_buf path, data;
	np_fp_set *set;
} set_ctx;

/* Whether the tokens read maps in a way their names do not show: the
 * json filter (prints whole maps), a loop over a map's entries, or a
 * subscript that is not a literal. */
static bool reads_any_key(const np_tokens *ts, size_t i)
{
	const np_token *t = &ts->items[i], *n = i + 1 < ts->len ? t + 1 : NULL;
	if (t->type == NP_T_NAME && np_str_eq_c(t->text, "json"))
		return true;
	if (t->type == NP_T_NAME && np_str_eq_c(t->text, "for") && n && i + 2 < ts->len &&
	    t[2].type == NP_T_COMMA)
		return true;
	return t->type == NP_T_LBRACKET && n && n->type != NP_T_STRING && n->type != NP_T_INT;
}

/* One template file: the names and string literals it contains (any of
 * them may be a map key it reads) and the templates it includes or
 * extends. */
typedef struct tfile {
	np_strlist names, refs;
	bool all;
	XXH128_hash_t h; /* of its bytes */
} tfile;

static void scan_tokens(np_fp_set *set, tfile *f, const np_tokens *ts)
{
	for (size_t i = 0; i < ts->len; i++) {
		const np_token *t = &ts->items[i];
		f->all |= reads_any_key(ts, i);
		if (t->type == NP_T_NAME || t->type == NP_T_STRING)
			np_strlist_add(&f->names, &set->arena, np_arena_str(&set->arena, t->text));
		if (t->type == NP_T_NAME && i + 1 < ts->len && t[1].type == NP_T_STRING &&
		    (np_str_eq_c(t->text, "include") || np_str_eq_c(t->text, "extends")))
			np_strlist_add(&f->refs, &set->arena, np_arena_str(&set->arena, t[1].text));
	}
}

/* Records template rel (the first of that name wins: the site's
 * templates/ before the theme's, as the engine looks names up). */
static void scan_names(np_fp_set *set, const char *rel, const np_buf *src, const char *path)
{
	size_t unused;
	if (np_strmap_get(&set->by_rel, np_str_from(rel), &unused))
		return;
	if (set->n_files == set->cap_files) {
		set->cap_files = set->cap_files ? set->cap_files * 2 : 32;
		set->files = np_xrealloc(set->files, np_mul(set->cap_files, sizeof *set->files));
	}
	tfile *f = NP_ANEW(&set->arena, tfile);
	set->files[set->n_files] = f;
	np_strmap_put(&set->by_rel, np_arena_str(&set->arena, np_str_from(rel)), set->n_files++);
	f->h = XXH3_128bits(src->data, src->len);
	np_arena tmp;
	np_arena_init(&tmp);
	np_diags quiet;
	np_diags_init(&quiet);
	np_tokens ts;
	if (np_tmpl_lex(np_str_of(src), path, &tmp, &ts, &quiet) == 0) {
		scan_tokens(set, f, &ts);
		np_tokens_dispose(&ts);
	} else {
		f->all = true; /* a broken template: its pages fail anyway */
	}
	np_diags_dispose(&quiet);
	np_arena_dispose(&tmp);
}

/* Adds the names of template rel and of everything it includes or
 * extends to n, and their names and bytes' hashes to st (seen: templates
 * already added). */
static void gather(const np_fp_set *set, np_str rel, np_fp_names *n, np_strmap *seen,
                   XXH3_state_t *st)
{
	size_t k;
	if (!np_strmap_put(seen, rel, 0))
		return;
	XXH3_128bits_update(st, rel.p, rel.len + 1);
	if (!np_strmap_get(&set->by_rel, rel, &k)) {
		n->all = true; /* unknown: rendering reports it */
		return;
	}
	const tfile *f = set->files[k];
	XXH3_128bits_update(st, &f->h, sizeof f->h);
	n->all |= f->all;
	for (size_t i = 0; i < f->names.len; i++)
		np_strmap_put(&n->names, f->names.items[i], 0);
	for (size_t i = 0; i < f->refs.len; i++)
		gather(set, f->refs.items[i], n, seen, st);
}

void np_fp_set_prepare(np_fp_set *set, const char *tmpl)
{
	if (np_fp_set_names(set, tmpl))
		return;
	if (set->n_pages == set->cap_pages) {
		set->cap_pages = set->cap_pages ? set->cap_pages * 2 : 16;
		set->pages = np_xrealloc(set->pages, np_mul(set->cap_pages, sizeof *set->pages));
	}
	np_fp_names *n = &set->pages[set->n_pages++];
	n->tmpl = tmpl;
	n->all = false;
	np_strmap_init(&n->names);
	np_strmap seen;
	np_strmap_init(&seen);
	XXH3_state_t *st = XXH3_createState();
	if (!st)
		np_oom();
	XXH3_128bits_reset(st);
	XXH3_128bits_update(st, set->base, sizeof set->base);
	gather(set, np_str_from(tmpl), n, &seen, st);
	XXH128_hash_t r = XXH3_128bits_digest(st);
	n->h[0] = r.low64, n->h[1] = r.high64;
	XXH3_freeState(st);
	np_strmap_dispose(&seen);
	set->any.all |= n->all;
	for (size_t i = 0; i < n->names.cap; i++)
		if (n->names.slots[i].used)
			np_strmap_put(&set->any.names, n->names.slots[i].key, 0);
}

const np_fp_names *np_fp_set_names(const np_fp_set *set, const char *tmpl)
{
	for (size_t i = 0; i < set->n_pages; i++)
		if (set->pages[i].tmpl == tmpl || strcmp(set->pages[i].tmpl, tmpl) == 0)
			return &set->pages[i];
	return NULL;
}

static void set_add_file(set_ctx *c, const char *name, const char *path, bool tmpl)
{
	XXH3_128bits_update(c->st, name, strlen(name) + 1);
	np_buf_clear(&c->data);
	if (np_fs_read(path, &c->data) == 0) {
		uint64_t n = c->data.len;
		XXH3_128bits_update(c->st, &n, sizeof n);
		XXH3_128bits_update(c->st, c->data.data, c->data.len);
		if (tmpl)
			scan_names(c->set, name, &c->data, path);
	} else {
		XXH3_128bits_update(c->st, "-", 1);
	}
}

static int set_visit(const char *root, const char *rel, void *vctx)
{
	set_ctx *c = vctx;
	np_path_join(&c->path, root, rel);
	set_add_file(c, rel, c->path.data, true);
	return 0;
}

void np_fp_set_init(np_fp_set *set, const char *site_dir, np_str theme, const char *salt)
{
	memset(set, 0, sizeof *set);
	np_strmap_init(&set->by_rel);
	np_strmap_init(&set->any.names);
	np_arena_init(&set->arena);
	set_ctx c = {XXH3_createState(), {0}, {0}, set};
	if (!c.st)
		np_oom();
	np_buf_init(&c.path), np_buf_init(&c.data);
	XXH3_128bits_reset(c.st);
	XXH3_128bits_update(c.st, salt ? salt : "", salt ? strlen(salt) + 1 : 1);
	np_buf dir;
	np_buf_init(&dir);
	np_buf_printf(&dir, "%s/templates", site_dir);
	XXH3_128bits_update(c.st, "[site]", 6);
	np_fs_walk(dir.data, set_visit, &c);
	np_buf_clear(&dir);
	np_buf_printf(&dir, "%s/themes/%.*s/templates", site_dir, (int)theme.len, theme.p);
	XXH3_128bits_update(c.st, "[theme]", 7);
	np_fs_walk(dir.data, set_visit, &c);
	np_buf_clear(&dir);
	np_buf_printf(&dir, "%s/site.yaml", site_dir);
	set_add_file(&c, "site.yaml", dir.data, false);
	XXH128_hash_t r = XXH3_128bits_digest(c.st);
	set->h[0] = r.low64, set->h[1] = r.high64;
	/* What every page depends on besides its templates. */
	XXH3_128bits_reset(c.st);
	XXH3_128bits_update(c.st, salt ? salt : "", salt ? strlen(salt) + 1 : 1);
	set_add_file(&c, "site.yaml", dir.data, false);
	r = XXH3_128bits_digest(c.st);
	set->base[0] = r.low64, set->base[1] = r.high64;
	XXH3_freeState(c.st);
	np_buf_dispose(&dir), np_buf_dispose(&c.path), np_buf_dispose(&c.data);
}

void np_fp_set_dispose(np_fp_set *set)
{
	for (size_t i = 0; i < set->n_pages; i++)
		np_strmap_dispose(&set->pages[i].names);
	free(set->pages);
	np_strmap_dispose(&set->any.names);
	free(set->files);
	np_strmap_dispose(&set->by_rel);
	np_arena_dispose(&set->arena);
}

/* The store is binary, read and written whole by every build (up to
 * 100,000s of outputs): a header, fixed-size records, a checksum.
 *
 *   "NPFPSTO" NP_FP_STORE_VERSION   8 bytes
 *   n                               u64
 *   n records of 64 bytes:          path hash (XXH3-128 of the path, two
 *                                   u64), fingerprint h[2], size, mtime
 *                                   (i64 as u64), key[2]
 *   XXH3-64 of all the bytes above  u64
 *
 * Numbers are little-endian; a record's last 48 bytes are an np_fp as a
 * little-endian machine lays it out, so there the store is used where it
 * lies: the file is mapped (page cache pages, no copy) and only the table
 * of slots is built.  The store keeps the hash of each path, not the
 * path: a lookup hashes the path it is asked for.  Two paths with one
 * hash cannot make a page be skipped wrongly, since the fingerprint and
 * the key being compared are themselves hashes that include the path.  A
 * file that is cut short, has another version, a wrong checksum or a
 * count that does not match its size gives an empty store: every page is
 * rendered again (and written only where its bytes differ). */
#define NP_FP_STORE_MAGIC "NPFPSTO"
#define NP_FP_STORE_VERSION 3
#define NP_FP_REC 64
#define NP_FP_HEAD 16

_Static_assert(sizeof(np_fp) == 48 && offsetof(np_fp, h) == 0 && offsetof(np_fp, size) == 16 &&
                   offsetof(np_fp, mtime) == 24 && offsetof(np_fp, key) == 32,
               "np_fp is a store record's last 48 bytes");

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NP_FP_IN_PLACE 1
#else
#define NP_FP_IN_PLACE 0
#endif

struct np_fp_store {
	const uint64_t *recs; /* n records of 8 u64 (NP_FP_REC bytes), native order */
	size_t n;
	uint32_t *slots; /* open addressing: entry index + 1, 0 = empty */
	size_t mask;
	np_fs_mapping map; /* the file, mapped */
	np_buf bytes;      /* the file read (no mapping), or its records made native */
};

static void put_le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void path_hash(const char *path, uint64_t out[2])
{
	XXH128_hash_t h = XXH3_128bits(path, strlen(path));
	out[0] = h.low64, out[1] = h.high64;
}

static const uint64_t *rec_at(const np_fp_store *s, size_t i)
{
	return s->recs + i * (NP_FP_REC / 8);
}

/* Entry i into the table (the first of equal path hashes wins). */
static void store_index(np_fp_store *s, size_t i)
{
	const uint64_t *r = rec_at(s, i);
	for (size_t k = (size_t)r[0] & s->mask;; k = (k + 1) & s->mask) {
		uint32_t e = s->slots[k];
		if (!e) {
			s->slots[k] = (uint32_t)(i + 1);
			return;
		}
		const uint64_t *o = rec_at(s, e - 1);
		if (o[0] == r[0] && o[1] == r[1])
			return;
	}
}

/* Checks the file's bytes and indexes their records; false (s left
 * empty) when they are not a whole store of this version.  b is
 * writable when the records must be turned into native order. */
static bool store_decode(np_fp_store *s, unsigned char *b, size_t len)
{
	if (len < NP_FP_HEAD + 8 || memcmp(b, NP_FP_STORE_MAGIC, 7) != 0 ||
	    b[7] != NP_FP_STORE_VERSION)
		return false;
	uint64_t n = get_le64(b + 8);
	if (n > UINT32_MAX - 1 || n != (len - NP_FP_HEAD - 8) / NP_FP_REC ||
	    (len - NP_FP_HEAD - 8) % NP_FP_REC != 0 || get_le64(b + len - 8) != XXH3_64bits(b, len - 8))
		return false;
	if (!NP_FP_IN_PLACE)
		for (size_t k = 0; k < n * (NP_FP_REC / 8); k++) {
			uint64_t v = get_le64(b + NP_FP_HEAD + 8 * k);
			memcpy(b + NP_FP_HEAD + 8 * k, &v, 8);
		}
	s->recs = (const uint64_t *)(const void *)(b + NP_FP_HEAD);
	s->n = (size_t)n;
	size_t slots = 16;
	while (slots < 2 * s->n)
		slots *= 2;
	s->slots = np_xcalloc(slots, sizeof *s->slots);
	s->mask = slots - 1;
	for (size_t i = 0; i < s->n; i++)
		store_index(s, i);
	return true;
}

np_fp_store *np_fp_store_take(const char *path)
{
	np_fp_store *s = np_xcalloc(1, sizeof *s);
	np_buf_init(&s->bytes);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return s;
	/* Gone from the folder from now on: a build killed before it saves
	 * the next store starts from none (the mapping keeps the file). */
	unlink(path);
	bool ok;
	if (NP_FP_IN_PLACE && np_fs_map_fd(fd, &s->map)) {
		ok = store_decode(s, (unsigned char *)(uintptr_t)s->map.data, s->map.len);
	} else {
		ok = np_fs_read_fd(fd, &s->bytes) == 0 &&
		     store_decode(s, (unsigned char *)s->bytes.data, s->bytes.len);
	}
	close(fd);
	if (!ok) {
		free(s->slots);
		s->slots = NULL;
		s->n = 0;
	}
	return s;
}

const np_fp *np_fp_store_get(const np_fp_store *s, const char *path)
{
	if (!s->n)
		return NULL;
	uint64_t h[2];
	path_hash(path, h);
	for (size_t k = (size_t)h[0] & s->mask;; k = (k + 1) & s->mask) {
		uint32_t e = s->slots[k];
		if (!e)
			return NULL;
		const uint64_t *r = rec_at(s, e - 1);
		if (r[0] == h[0] && r[1] == h[1])
			return (const np_fp *)(const void *)(r + 2);
	}
}

void np_fp_store_free(np_fp_store *s)
{
	if (!s)
		return;
	free(s->slots);
	np_fs_unmap(&s->map);
	np_buf_dispose(&s->bytes);
	free(s);
}

int np_fp_store_save(const char *path, const char *const *paths, const np_fp *const *fps,
                     size_t n, const np_fp_store *from)
{
	const np_fp *lo = from && from->n ? (const np_fp *)(const void *)(from->recs + 2) : NULL;
	const np_fp *hi = lo ? (const np_fp *)(const void *)(from->recs + 8 * from->n) : NULL;
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		kept += paths[i] != NULL;
	/* Written as it is made (13 MB at 100,000 articles: no buffer of it). */
	np_fs_mkdirs_for(path);
	np_fs_writer w;
	np_fs_writer_open(&w, path); /* a failure shows at the commit */
	XXH3_state_t *sum = XXH3_createState();
	if (!sum)
		np_oom();
	XXH3_64bits_reset(sum);
	unsigned char b[NP_FP_REC];
	memcpy(b, NP_FP_STORE_MAGIC, 7);
	b[7] = NP_FP_STORE_VERSION;
	put_le64(b + 8, kept);
	XXH3_64bits_update(sum, b, NP_FP_HEAD);
	np_fs_writer_put(&w, b, NP_FP_HEAD);
	for (size_t i = 0; i < n; i++) {
		if (!paths[i])
			continue;
		uint64_t h[2];
		const np_fp *f = fps[i];
		if (lo && (uintptr_t)f >= (uintptr_t)lo && (uintptr_t)f < (uintptr_t)hi) {
			const uint64_t *r = (const uint64_t *)(const void *)f - 2; /* its record */
			h[0] = r[0], h[1] = r[1];
		} else {
			path_hash(paths[i], h);
		}
		uint64_t v[8] = {h[0],    h[1],    f->h[0],   f->h[1],
		                 f->size, (uint64_t)f->mtime, f->key[0], f->key[1]};
		for (int k = 0; k < 8; k++)
			put_le64(b + 8 * k, v[k]);
		XXH3_64bits_update(sum, b, NP_FP_REC);
		np_fs_writer_put(&w, b, NP_FP_REC);
	}
	put_le64(b, XXH3_64bits_digest(sum));
	XXH3_freeState(sum);
	np_fs_writer_put(&w, b, 8);
	return np_fs_writer_commit(&w) == 0 ? 0 : NP_EIO;
}
