#include "record/record.h"

#include "record/yamlin.h"
#include "record/yamlout.h"
#include "util/err.h"
#include "util/hash.h"

#define HASH_KEY "ingest_hash: "

static void kv_str(np_yout *y, const char *k, np_str v)
{
	np_yout_key(y, k);
	np_yout_str(y, v);
}

static void kv_list(np_yout *y, const char *k, const np_strlist *l)
{
	np_yout_key(y, k);
	np_yout_strlist(y, l);
}

static void write_front(const np_article *a, np_buf *out)
{
	np_yout y;
	np_yout_begin(&y, out);
	np_yout_map_begin(&y, false);
	kv_str(&y, "id", a->id);
	kv_str(&y, "title", a->title);
	kv_str(&y, "kicker", a->kicker);
	kv_str(&y, "subtitle", a->subtitle);
	np_yout_key(&y, "date");
	np_yout_date(&y, a->date);
	np_yout_key(&y, "end_date");
	np_yout_date(&y, a->end_date);
	if (a->date_inferred) {
		np_yout_key(&y, "date_inferred");
		np_yout_bool(&y, true);
	}
	kv_str(&y, "issue", a->issue);
	np_yout_key(&y, "page");
	if (a->page > 0)
		np_yout_int(&y, a->page);
	else
		np_yout_null(&y);
	kv_list(&y, "authors", &a->authors);
	kv_str(&y, "source", a->source);
	kv_list(&y, "regions", &a->regions);
	kv_list(&y, "places", &a->places);
	kv_list(&y, "events", &a->events);
	kv_list(&y, "people", &a->people);
	kv_list(&y, "captions", &a->captions);
	kv_str(&y, "summary", a->summary);
	kv_str(&y, "slug", a->slug);
	kv_str(&y, "source_file", a->source_file);
	np_yout_map_end(&y);
	np_yout_end(&y);
}

/* The bytes the hash covers: the record without its ingest_hash line. */
static void hash_without_line(const char *src, size_t len, char hex[33])
{
	np_str s = {src, len};
	size_t at = np_str_find(s, NP_STR("\n" HASH_KEY));
	if (at == (size_t)-1) {
		np_hash128_hex(src, len, hex);
		return;
	}
	at++;
	const char *eol = memchr(src + at, '\n', len - at);
	size_t end = eol ? (size_t)(eol - src) + 1 : len;
	np_buf tmp;
	np_buf_init(&tmp);
	np_buf_put(&tmp, src, at);
	np_buf_put(&tmp, src + end, len - end);
	np_hash128_hex(tmp.data, tmp.len, hex);
	np_buf_dispose(&tmp);
}

void np_record_write(const np_article *a, np_buf *out)
{
	np_buf rec;
	np_buf_init(&rec);
	np_buf_puts(&rec, "---\n");
	size_t fm = rec.len;
	write_front(a, &rec);
	/* libyaml may end the document with "...": the fence replaces it. */
	if (rec.len >= fm + 4 && memcmp(rec.data + rec.len - 5, "\n...\n", 5) == 0)
		np_buf_truncate(&rec, rec.len - 4);
	size_t fence = rec.len;
	np_buf_puts(&rec, "---\n");
	np_str body = np_str_trim(a->body);
	np_buf_putstr(&rec, body);
	if (body.len)
		np_buf_putc(&rec, '\n');
	char hex[33];
	np_hash128_hex(rec.data, rec.len, hex);
	np_buf_put(out, rec.data, fence);
	np_buf_printf(out, HASH_KEY "%s\n", hex);
	np_buf_put(out, rec.data + fence, rec.len - fence);
	np_buf_dispose(&rec);
}

np_record_state np_record_state_of(const char *src, size_t len)
{
	np_str s = {src, len};
	size_t at = np_str_find(s, NP_STR("\n" HASH_KEY));
	if (at == (size_t)-1)
		return NP_RECORD_EDITED;
	np_str val = np_str_sub(s, at + 1 + strlen(HASH_KEY), 32);
	char hex[33];
	hash_without_line(src, len, hex);
	return val.len == 32 && memcmp(val.p, hex, 32) == 0 ? NP_RECORD_PRISTINE : NP_RECORD_EDITED;
}

/* Splits "---\n<yaml>---\n<body>" into its parts.  Returns false when the
 * file has no front matter fence. */
static bool split_front(const char *src, size_t len, np_str *yaml, np_str *body)
{
	np_str s = {src, len};
	if (s.len >= 3 && memcmp(s.p, "\xEF\xBB\xBF", 3) == 0)
		s = np_str_sub(s, 3, s.len);
	size_t skip = np_str_starts(s, NP_STR("---\n")) ? 4 : np_str_starts(s, NP_STR("---\r\n")) ? 5 : 0;
	if (!skip)
		return false;
	np_str rest = np_str_sub(s, skip, s.len);
	size_t pos = 0;
	for (;;) {
		np_str tail = np_str_sub(rest, pos, rest.len);
		if (np_str_starts(tail, NP_STR("---")) &&
		    (tail.len == 3 || tail.p[3] == '\n' || tail.p[3] == '\r')) {
			*yaml = np_str_sub(rest, 0, pos);
			size_t after = pos + 3;
			while (after < rest.len && (rest.p[after] == '\r' || rest.p[after] == '\n')) {
				after++;
				if (rest.p[after - 1] == '\n')
					break;
			}
			*body = np_str_sub(rest, after, rest.len);
			return true;
		}
		const char *nl = memchr(tail.p, '\n', tail.len);
		if (!nl)
			return false;
		pos += (size_t)(nl - tail.p) + 1;
	}
}

static bool slug_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* `id` is required and names the record everywhere (ASCII letters,
 * digits, '-', '_'): a record without a usable one is left out. */
static void read_id(np_article *a, np_yin *y, yaml_node_t *m)
{
	yaml_node_t *n = np_yin_get(y, m, "id");
	a->id = np_yin_str(y, n, "id");
	bool ok = a->id.len > 0 && a->id.len <= 200;
	for (size_t i = 0; ok && i < a->id.len; i++)
		ok = slug_char(a->id.p[i]) || (a->id.p[i] >= 'A' && a->id.p[i] <= 'Z');
	if (!ok)
		np_yin_error(y, n ? n : m, "id: expected ASCII letters, digits, '-' or '_'%s",
		             a->id.p ? "" : " (the record has no id)");
}

/* `issue` names a folder of the output: only a real date (or null). */
static void read_issue(np_article *a, np_yin *y, yaml_node_t *n)
{
	np_date d;
	a->issue = np_yin_str(y, n, "issue");
	if (a->issue.p && np_date_parse(a->issue, &d) != 0) {
		np_yin_error(y, n, "issue: expected the issue date as YYYY-MM-DD, got '%.*s'",
		             (int)a->issue.len, a->issue.p);
		a->issue = (np_str){NULL, 0};
	}
}

/* `slug` is one URL path segment: lowercase ASCII letters, digits, '-' and
 * '_'.  Anything else is reported here, where it can be fixed, and the
 * article falls back to its id. */
static void read_slug(np_article *a, np_yin *y, yaml_node_t *n)
{
	a->slug = np_yin_str(y, n, "slug");
	bool ok = a->slug.len > 0 && a->slug.len <= 200;
	for (size_t i = 0; ok && i < a->slug.len; i++)
		ok = slug_char(a->slug.p[i]);
	if (a->slug.p && !ok) {
		np_diag_add(y->d, NP_WARNING, y->path, (unsigned)n->start_mark.line + 1 + y->line_offset,
		            (unsigned)n->start_mark.column + 1,
		            "slug: use lowercase ASCII letters, digits and '-' (got '%.*s'); the id is "
		            "used instead",
		            (int)a->slug.len, a->slug.p);
		a->slug = (np_str){NULL, 0};
	}
}

static void read_fields(np_article *a, np_yin *y, yaml_node_t *m)
{
	read_id(a, y, m);
	a->title = np_yin_str(y, np_yin_get(y, m, "title"), "title");
	a->kicker = np_yin_str(y, np_yin_get(y, m, "kicker"), "kicker");
	a->subtitle = np_yin_str(y, np_yin_get(y, m, "subtitle"), "subtitle");
	a->date = np_yin_date(y, np_yin_get(y, m, "date"), "date");
	a->end_date = np_yin_date(y, np_yin_get(y, m, "end_date"), "end_date");
	a->date_inferred = np_yin_bool(y, np_yin_get(y, m, "date_inferred"), "date_inferred", false);
	read_issue(a, y, np_yin_get(y, m, "issue"));
	a->page = np_yin_int(y, np_yin_get(y, m, "page"), "page", 0);
	np_yin_strlist(y, np_yin_get(y, m, "authors"), "authors", &a->authors);
	a->source = np_yin_str(y, np_yin_get(y, m, "source"), "source");
	np_yin_strlist(y, np_yin_get(y, m, "regions"), "regions", &a->regions);
	np_yin_strlist(y, np_yin_get(y, m, "places"), "places", &a->places);
	np_yin_strlist(y, np_yin_get(y, m, "events"), "events", &a->events);
	np_yin_strlist(y, np_yin_get(y, m, "people"), "people", &a->people);
	np_yin_strlist(y, np_yin_get(y, m, "captions"), "captions", &a->captions);
	a->summary = np_yin_str(y, np_yin_get(y, m, "summary"), "summary");
	read_slug(a, y, np_yin_get(y, m, "slug"));
	a->source_file = np_yin_str(y, np_yin_get(y, m, "source_file"), "source_file");
	a->ingest_hash = np_yin_str(y, np_yin_get(y, m, "ingest_hash"), "ingest_hash");
}

int np_record_parse(np_article *a, const char *src, size_t len, const char *path, np_arena *arena,
                    np_diags *d)
{
	np_str yaml, body;
	memset(a, 0, sizeof *a);
	if (!split_front(src, len, &yaml, &body)) {
		np_diag_add(d, NP_ERROR, path, 1, 1,
		            "no front matter: a record starts with a line '---', its YAML keys, and "
		            "another '---'");
		return NP_EINVAL;
	}
	np_yin y;
	int rc = np_yin_load(&y, yaml.p, yaml.len, path, 1, arena, d);
	if (rc != 0)
		return rc;
	yaml_node_t *root = np_yin_root(&y);
	if (!root || root->type != YAML_MAPPING_NODE) {
		np_yin_error(&y, root, "front matter must be a mapping of keys to values");
	} else {
		read_fields(a, &y, root);
		if (!a->title.p || !a->title.len)
			np_yin_error(&y, root, "record has no title");
	}
	a->body = np_arena_str(arena, body);
	rc = y.errors ? NP_EINVAL : 0;
	np_yin_dispose(&y);
	return rc;
}

static void write_teaser(np_yout *y, const np_teaser *t)
{
	np_yout_map_begin(y, true);
	kv_str(y, "title", t->title);
	kv_str(y, "kicker", t->kicker);
	np_yout_key(y, "page");
	if (t->page > 0)
		np_yout_int(y, t->page);
	else
		np_yout_null(y);
	np_yout_map_end(y);
}

void np_pages_write(const np_page_record *p, np_buf *out)
{
	np_yout y;
	np_yout_begin(&y, out);
	np_yout_map_begin(&y, false);
	kv_str(&y, "issue", p->issue);
	np_yout_key(&y, "pages");
	np_yout_seq_begin(&y, false);
	for (size_t i = 0; i < p->n_pages; i++) {
		const np_page_entry *e = &p->pages[i];
		np_yout_map_begin(&y, false);
		np_yout_key(&y, "page");
		np_yout_int(&y, e->page);
		kv_str(&y, "source_file", e->source_file);
		kv_list(&y, "articles", &e->articles);
		np_yout_key(&y, "teasers");
		np_yout_seq_begin(&y, false);
		for (size_t t = 0; t < e->n_teasers; t++)
			write_teaser(&y, &e->teasers[t]);
		np_yout_seq_end(&y);
		kv_list(&y, "captions", &e->captions);
		np_yout_map_end(&y);
	}
	np_yout_seq_end(&y);
	np_yout_map_end(&y);
	np_yout_end(&y);
}

static void read_page(np_yin *y, yaml_node_t *n, np_page_entry *e)
{
	e->page = np_yin_int(y, np_yin_get(y, n, "page"), "page", 0);
	e->source_file = np_yin_str(y, np_yin_get(y, n, "source_file"), "source_file");
	np_yin_strlist(y, np_yin_get(y, n, "articles"), "articles", &e->articles);
	np_yin_strlist(y, np_yin_get(y, n, "captions"), "captions", &e->captions);
	yaml_node_t *ts = np_yin_get(y, n, "teasers");
	if (!ts || ts->type != YAML_SEQUENCE_NODE)
		return;
	size_t n_items = (size_t)(ts->data.sequence.items.top - ts->data.sequence.items.start);
	e->teasers = NP_ANEWN(y->a, np_teaser, n_items);
	for (size_t i = 0; i < n_items; i++) {
		yaml_node_t *t = np_yin_node(y, ts->data.sequence.items.start[i]);
		np_teaser *out = &e->teasers[e->n_teasers++];
		out->title = np_yin_str(y, np_yin_get(y, t, "title"), "teaser title");
		out->kicker = np_yin_str(y, np_yin_get(y, t, "kicker"), "teaser kicker");
		out->page = np_yin_int(y, np_yin_get(y, t, "page"), "teaser page", 0);
	}
}

int np_pages_parse(np_page_record *p, const char *src, size_t len, const char *path, np_arena *a,
                   np_diags *d)
{
	memset(p, 0, sizeof *p);
	np_yin y;
	int rc = np_yin_load(&y, src, len, path, 0, a, d);
	if (rc != 0)
		return rc;
	yaml_node_t *root = np_yin_root(&y);
	yaml_node_t *pages = np_yin_get(&y, root, "pages");
	p->issue = np_yin_str(&y, np_yin_get(&y, root, "issue"), "issue");
	if (pages && pages->type == YAML_SEQUENCE_NODE) {
		size_t n = (size_t)(pages->data.sequence.items.top - pages->data.sequence.items.start);
		p->pages = NP_ANEWN(a, np_page_entry, n);
		for (size_t i = 0; i < n; i++)
			read_page(&y, np_yin_node(&y, pages->data.sequence.items.start[i]), &p->pages[p->n_pages++]);
	} else if (root) {
		np_yin_error(&y, root, "pages.yaml: expected a 'pages' list");
	}
	rc = y.errors ? NP_EINVAL : 0;
	np_yin_dispose(&y);
	return rc;
}
