/* The slug cache (site/slugs.h). */
#include "site/slugs.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uvernum.h>

#include "util/fs.h"
#include "util/translit.h"

/* Bump when np_slugify changes what it makes. */
#define FORMAT 1
#define STR_(x) #x
#define STR(x) STR_(x)
#define HEADER "newsprint slugs " STR(FORMAT) " max " STR(NP_SLUG_MAX) " icu " U_ICU_VERSION "\n"

static bool cacheable(np_str name)
{
	for (size_t i = 0; i < name.len; i++)
		if (name.p[i] == '\t' || name.p[i] == '\n' || name.p[i] == '\r')
			return false;
	return name.len > 0;
}

static bool slug_ok(np_str s)
{
	for (size_t i = 0; i < s.len; i++) {
		char ch = s.p[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
			return false;
	}
	return true;
}

/* Adds name -> slug (both copied) unless name is there; returns its index. */
static size_t add(np_slugs *c, np_str name, np_str slug)
{
	size_t at;
	if (np_strmap_get(&c->map, name, &at))
		return at;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->names = np_xrealloc(c->names, np_mul(c->cap, sizeof *c->names));
		c->slugs = np_xrealloc(c->slugs, np_mul(c->cap, sizeof *c->slugs));
		c->used = np_xrealloc(c->used, np_mul(c->cap, sizeof *c->used));
	}
	at = c->n++;
	c->names[at] = np_arena_str(&c->arena, name);
	c->slugs[at] = np_arena_str(&c->arena, slug);
	c->used[at] = false;
	np_strmap_put(&c->map, c->names[at], at);
	return at;
}

static void init(np_slugs *c)
{
	memset(c, 0, sizeof *c);
	np_arena_init(&c->arena);
	np_strmap_init(&c->map);
}

void np_slugs_load(np_slugs *c, const char *site_dir)
{
	init(c);
	np_buf path, src;
	np_buf_init(&path);
	np_buf_init(&src);
	np_path_join(&path, site_dir, NP_SLUGS_FILE);
	if (np_fs_read(path.data, &src) == 0 && src.len >= sizeof HEADER - 1 &&
	    memcmp(src.data, HEADER, sizeof HEADER - 1) == 0) {
		np_str rest = {src.data + sizeof HEADER - 1, src.len - (sizeof HEADER - 1)};
		while (rest.len > 0) {
			const char *nl = memchr(rest.p, '\n', rest.len);
			if (!nl)
				break; /* a cut last line: left out */
			np_str line = {rest.p, (size_t)(nl - rest.p)};
			rest.p = nl + 1, rest.len -= line.len + 1;
			const char *tab = memchr(line.p, '\t', line.len);
			if (!tab)
				continue;
			np_str name = {line.p, (size_t)(tab - line.p)};
			np_str slug = {tab + 1, line.len - name.len - 1};
			if (cacheable(name) && slug_ok(slug))
				add(c, name, slug);
		}
	}
	c->n_loaded = c->n;
	np_buf_dispose(&src);
	np_buf_dispose(&path);
}

void np_slugs_get(np_slugs *c, np_buf *out, np_str name)
{
	size_t at;
	if (!cacheable(name)) {
		np_slugify(out, name);
		return;
	}
	if (!np_strmap_get(&c->map, name, &at)) {
		np_buf slug;
		np_buf_init(&slug);
		int rc = np_slugify(&slug, name);
		if (rc != 0) { /* ICU unusable: nothing to remember */
			np_buf_dispose(&slug);
			return;
		}
		at = add(c, name, np_str_of(&slug));
		np_buf_dispose(&slug);
	}
	if (!c->used[at]) {
		c->used[at] = true;
		c->n_used++;
	}
	np_buf_put(out, c->slugs[at].p, c->slugs[at].len);
}

void np_slugs_save(np_slugs *c, const char *site_dir)
{
	/* Unchanged: every name this load asked for was loaded, and every
	 * loaded one was asked for. */
	if (c->n == c->n_loaded && c->n_used == c->n_loaded)
		return;
	np_buf b, path;
	np_buf_init(&b);
	np_buf_init(&path);
	np_buf_puts(&b, HEADER);
	for (size_t i = 0; i < c->n; i++)
		if (c->used[i]) {
			np_buf_put(&b, c->names[i].p, c->names[i].len);
			np_buf_putc(&b, '\t');
			np_buf_put(&b, c->slugs[i].p, c->slugs[i].len);
			np_buf_putc(&b, '\n');
		}
	np_path_join(&path, site_dir, NP_SLUGS_FILE);
	(void)np_fs_write_if_changed(path.data, b.data, b.len);
	np_buf_dispose(&path);
	np_buf_dispose(&b);
}

void np_slugs_dispose(np_slugs *c)
{
	free(c->names);
	free(c->slugs);
	free(c->used);
	np_strmap_dispose(&c->map);
	np_arena_dispose(&c->arena);
	init(c);
}
