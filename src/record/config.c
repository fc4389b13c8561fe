#include "record/config.h"

#include <errno.h>

#include "record/yamlin.h"
#include "util/err.h"
#include "util/fs.h"

static bool known_key(np_str k, const char *const *keys)
{
	for (; *keys; keys++)
		if (np_str_eq_c(k, *keys))
			return true;
	return false;
}

static void warn_unknown(np_yin *y, yaml_node_t *m, const char *const *keys)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = np_yin_node(y, p->key);
		if (!k || k->type != YAML_SCALAR_NODE)
			continue;
		np_str ks = {(const char *)k->data.scalar.value, k->data.scalar.length};
		if (!known_key(ks, keys))
			np_diag_add(y->d, NP_WARNING, y->path, (unsigned)k->start_mark.line + 1,
			            (unsigned)k->start_mark.column + 1, "unknown key '%.*s' (ignored)",
			            (int)ks.len, ks.p);
	}
}

/* Loads path into y; 1 when there is nothing to read, 0 when loaded, or
 * NP_EINVAL/NP_EIO. */
static int load(np_yin *y, const char *path, np_arena *a, np_diags *d)
{
	if (!np_fs_exists(path))
		return 1;
	np_buf src;
	np_buf_init(&src);
	int rc = np_fs_read(path, &src);
	if (rc != 0) {
		np_diag_add(d, NP_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		np_buf_dispose(&src);
		return rc;
	}
	rc = np_yin_load(y, src.data, src.len, path, 0, a, d);
	np_buf_dispose(&src);
	return rc;
}

int np_site_config_load(np_site_config *c, const char *path, np_arena *a, np_diags *d)
{
	static const char *const keys[] = {"title", "description", "base_url", "language", "theme",
	                                   "encoding", "per_page", "publication", NULL};
	*c = (np_site_config){.title = NP_STR("newsprint"), .base_url = NP_STR("/"),
	                      .language = NP_STR("zh-CN"), .theme = NP_STR("default"), .per_page = 20};
	np_yin y;
	int rc = load(&y, path, a, d);
	if (rc)
		return rc == 1 ? 0 : rc;
	yaml_node_t *r = np_yin_root(&y);
	np_str s;
	if ((s = np_yin_str(&y, np_yin_get(&y, r, "title"), "title")).p)
		c->title = s;
	c->description = np_yin_str(&y, np_yin_get(&y, r, "description"), "description");
	if ((s = np_yin_str(&y, np_yin_get(&y, r, "base_url"), "base_url")).p && s.len) {
		if (s.p[s.len - 1] != '/')
			s = np_arena_str(a, np_str_from(np_arena_printf(a, "%.*s/", (int)s.len, s.p)));
		c->base_url = s;
	}
	if ((s = np_yin_str(&y, np_yin_get(&y, r, "language"), "language")).p)
		c->language = s;
	if ((s = np_yin_str(&y, np_yin_get(&y, r, "theme"), "theme")).p) {
		if (!np_path_is_safe_rel(s) || memchr(s.p, '/', s.len))
			np_yin_error(&y, np_yin_get(&y, r, "theme"), "theme: must be a folder name");
		else
			c->theme = s;
	}
	c->encoding = np_yin_str(&y, np_yin_get(&y, r, "encoding"), "encoding");
	c->publication = np_yin_str(&y, np_yin_get(&y, r, "publication"), "publication");
	c->per_page = np_yin_int(&y, np_yin_get(&y, r, "per_page"), "per_page", 20);
	if (c->per_page < 1 || c->per_page > 10000) {
		np_yin_error(&y, np_yin_get(&y, r, "per_page"), "per_page: must be from 1 to 10000");
		c->per_page = 20;
	}
	warn_unknown(&y, r, keys);
	rc = y.errors ? NP_EINVAL : 0;
	np_yin_dispose(&y);
	return rc;
}

static void read_manifest_pages(np_yin *y, yaml_node_t *ps, np_issue_manifest *m, np_arena *a)
{
	if (!ps || ps->type != YAML_SEQUENCE_NODE)
		return;
	size_t n = (size_t)(ps->data.sequence.items.top - ps->data.sequence.items.start);
	m->pages = NP_ANEWN(a, np_manifest_page, n);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *p = np_yin_node(y, ps->data.sequence.items.start[i]);
		np_manifest_page *e = &m->pages[m->n_pages++];
		e->file = np_yin_str(y, np_yin_get(y, p, "file"), "file");
		e->page = np_yin_int(y, np_yin_get(y, p, "page"), "page", 0);
		e->name = np_yin_str(y, np_yin_get(y, p, "name"), "name");
	}
}

int np_issue_manifest_load(np_issue_manifest *m, const char *path, np_arena *a, np_diags *d)
{
	memset(m, 0, sizeof *m);
	np_yin y;
	int rc = load(&y, path, a, d);
	if (rc)
		return rc == 1 ? 0 : rc;
	yaml_node_t *r = np_yin_root(&y);
	m->date = np_yin_date(&y, np_yin_get(&y, r, "date"), "date");
	m->encoding = np_yin_str(&y, np_yin_get(&y, r, "encoding"), "encoding");
	m->publication = np_yin_str(&y, np_yin_get(&y, r, "publication"), "publication");
	m->number = np_yin_int(&y, np_yin_get(&y, r, "number"), "number", 0);
	read_manifest_pages(&y, np_yin_get(&y, r, "pages"), m, a);
	rc = y.errors ? NP_EINVAL : 0;
	np_yin_dispose(&y);
	return rc;
}

const np_manifest_page *np_issue_manifest_page(const np_issue_manifest *m, np_str file)
{
	for (size_t i = 0; i < m->n_pages; i++)
		if (np_str_eq(m->pages[i].file, file))
			return &m->pages[i];
	return NULL;
}
