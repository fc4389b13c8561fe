/* Output fingerprints (see fingerprint.h). */
#define _POSIX_C_SOURCE 200809L
#include "render/fingerprint.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
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

struct np_fp_store {
	np_buf bytes; /* the file; keys of by_path point into it */
	np_strmap by_path;
	np_fp *fps;
	size_t n, cap;
};

/* The store has a line per output, up to 100,000s of them, read and
 * written whole by every build: parsed and formatted by hand (sscanf and
 * printf cost a microsecond a line). */
static bool hex64(const char **p, uint64_t *out)
{
	uint64_t v = 0;
	for (int i = 0; i < 16; i++) {
		char c = (*p)[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
		             : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
		                                    : 16u;
		if (d == 16)
			return false;
		v = v << 4 | d;
	}
	*p += 16;
	*out = v;
	return true;
}

/* Decimal digits that fit 64 bits (after a '-' when neg_ok), then a space. */
static bool dec64(const char **p, bool neg_ok, uint64_t *mag, bool *neg)
{
	const char *q = *p;
	*neg = neg_ok && *q == '-';
	q += *neg;
	uint64_t v = 0;
	const char *start = q;
	for (; *q >= '0' && *q <= '9'; q++) {
		uint64_t d = (uint64_t)(*q - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false; /* more than 64 bits */
		v = v * 10 + d;
	}
	if (q == start || *q != ' ')
		return false;
	*p = q + 1;
	*mag = v;
	return true;
}

/* One line: "<32 hex fingerprint> <32 hex key> <size> <mtime ns> <path>".
 * False when malformed. */
static bool parse_line(const char *line, np_fp *fp, np_str *path)
{
	uint64_t a, b, k0, k1, size, mt;
	bool neg;
	if (!hex64(&line, &a) || !hex64(&line, &b) || *line++ != ' ' || !hex64(&line, &k0) ||
	    !hex64(&line, &k1) || *line++ != ' ' ||
	    !dec64(&line, false, &size, &neg) || !dec64(&line, true, &mt, &neg) || !*line ||
	    mt > (uint64_t)INT64_MAX)
		return false;
	*fp = (np_fp){{a, b}, size, neg ? -(int64_t)mt : (int64_t)mt, {k0, k1}};
	*path = np_str_from(line);
	return true;
}

static void put_hex64(np_buf *b, uint64_t v)
{
	char t[16];
	for (int i = 15; i >= 0; i--, v >>= 4)
		t[i] = "0123456789abcdef"[v & 15];
	np_buf_put(b, t, 16);
}

static void put_dec64(np_buf *b, uint64_t v, bool neg)
{
	char t[21];
	size_t i = sizeof t;
	do
		t[--i] = (char)('0' + v % 10);
	while (v /= 10);
	if (neg)
		t[--i] = '-';
	np_buf_put(b, t + i, sizeof t - i);
}

np_fp_store *np_fp_store_take(const char *path)
{
	np_fp_store *s = np_xcalloc(1, sizeof *s);
	np_buf_init(&s->bytes);
	np_strmap_init(&s->by_path);
	if (np_fs_read(path, &s->bytes) != 0)
		return s;
	unlink(path);
	size_t lines = 0;
	for (const char *q = s->bytes.data; (q = memchr(q, '\n', s->bytes.len - (size_t)(q - s->bytes.data)));
	     q++)
		lines++;
	np_strmap_reserve(&s->by_path, lines);
	s->fps = np_xmalloc(np_mul(lines ? lines : 1, sizeof *s->fps));
	s->cap = lines ? lines : 1;
	for (char *line = s->bytes.data; *line;) {
		char *nl = strchr(line, '\n');
		if (!nl)
			break; /* a last line without newline was cut short */
		*nl = '\0';
		np_fp fp;
		np_str p;
		if (parse_line(line, &fp, &p)) {
			if (s->n == s->cap) {
				s->cap = s->cap ? s->cap * 2 : 1024;
				s->fps = np_xrealloc(s->fps, np_mul(s->cap, sizeof *s->fps));
			}
			s->fps[s->n] = fp;
			np_strmap_put(&s->by_path, p, s->n++);
		}
		line = nl + 1;
	}
	return s;
}

const np_fp *np_fp_store_get(const np_fp_store *s, const char *path)
{
	size_t i;
	return np_strmap_get(&s->by_path, np_str_from(path), &i) ? &s->fps[i] : NULL;
}

void np_fp_store_free(np_fp_store *s)
{
	if (!s)
		return;
	np_strmap_dispose(&s->by_path);
	np_buf_dispose(&s->bytes);
	free(s->fps);
	free(s);
}

int np_fp_store_save(const char *path, const char *const *paths, const np_fp *fps, size_t n)
{
	np_buf b;
	np_buf_init(&b);
	size_t need = 0; /* one allocation: no copy of a growing 20 MB buffer */
	for (size_t i = 0; i < n; i++)
		if (paths[i])
			need = np_add(need, strlen(paths[i]) + 4 * 16 + 2 * 21 + 5);
	np_buf_grow(&b, need);
	for (size_t i = 0; i < n; i++) {
		if (!paths[i])
			continue;
		put_hex64(&b, fps[i].h[0]);
		put_hex64(&b, fps[i].h[1]);
		np_buf_putc(&b, ' ');
		put_hex64(&b, fps[i].key[0]);
		put_hex64(&b, fps[i].key[1]);
		np_buf_putc(&b, ' ');
		put_dec64(&b, fps[i].size, false);
		np_buf_putc(&b, ' ');
		int64_t mt = fps[i].mtime;
		put_dec64(&b, mt < 0 ? 0 - (uint64_t)mt : (uint64_t)mt, mt < 0);
		np_buf_putc(&b, ' ');
		np_buf_puts(&b, paths[i]);
		np_buf_putc(&b, '\n');
	}
	np_fs_mkdirs_for(path);
	int rc = np_fs_write_if_changed(path, b.data, b.len) < 0 ? NP_EIO : 0;
	np_buf_dispose(&b);
	return rc;
}
