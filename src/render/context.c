/* Contexts of the article, issue and page kinds (lists, regions, events
 * and the calendar are in context_lists.c). */
#include "render/context.h"

#include <cmark.h>
#include <stdint.h>
#include <stdlib.h>

static np_value *str_or_null(np_arena *a, np_str s) { return s.p ? np_value_str(a, s) : NULL; }

np_value *np_ctx_date(np_arena *a, np_date d)
{
	return np_date_known(d) ? np_value_date(a, d.y, d.m, d.d) : NULL;
}

static np_value *strlist(np_arena *a, const np_strlist *l)
{
	np_value *v = np_value_list(a, l->len);
	for (size_t i = 0; i < l->len; i++)
		np_value_list_push(a, v, np_value_str(a, l->items[i]));
	return v;
}

np_value *np_ctx_site(const np_site *s, np_arena *a)
{
	np_value *m = np_value_map(a);
	const np_site_config *c = &s->config;
	np_value_map_set_str(a, m, "title", c->title);
	np_value_map_set(a, m, "description", str_or_null(a, c->description));
	np_value_map_set_str(a, m, "base_url", c->base_url);
	np_value_map_set_str(a, m, "language", c->language);
	np_value_map_set_int(a, m, "n_articles", (int64_t)s->n_articles);
	np_value_map_set_int(a, m, "n_issues", (int64_t)s->n_issues);
	np_value_map_set_int(a, m, "n_regions", (int64_t)s->n_regions);
	np_value_map_set_int(a, m, "n_events", (int64_t)s->n_events);
	/* The search page (search.html, written with the search index). */
	np_value_map_set(a, m, "search_url", np_value_strc(a, "search/index.html"));
	return m;
}

np_value *np_ctx_article_brief(const np_site *s, size_t i, np_arena *a)
{
	const np_site_article *sa = &s->articles[i];
	const np_article *r = &sa->rec;
	np_value *m = np_value_map(a);
	np_value_map_set_str(a, m, "id", r->id);
	np_value_map_set_str(a, m, "title", r->title);
	np_value_map_set(a, m, "kicker", str_or_null(a, r->kicker));
	np_value_map_set(a, m, "subtitle", str_or_null(a, r->subtitle));
	np_value_map_set(a, m, "date", np_ctx_date(a, r->date));
	np_value_map_set(a, m, "end_date", np_ctx_date(a, r->end_date));
	np_value_map_set(a, m, "issue", str_or_null(a, r->issue));
	np_value_map_set_int(a, m, "page", r->page);
	np_value_map_set(a, m, "summary", str_or_null(a, r->summary));
	np_value_map_set(a, m, "source", str_or_null(a, r->source));
	np_value_map_set(a, m, "authors", strlist(a, &r->authors));
	np_value_map_set(a, m, "url", np_value_strc(a, sa->url));
	return m;
}

np_value *np_ctx_region_link(const np_site *s, size_t r, np_arena *a)
{
	const np_site_region *g = &s->regions[r];
	np_value *m = np_value_map(a);
	np_value_map_set_str(a, m, "name", g->name);
	np_value_map_set_str(a, m, "path", g->path);
	np_value_map_set_int(a, m, "level", g->level);
	np_value_map_set(a, m, "url", np_value_strc(a, g->url));
	np_value_map_set(a, m, "code", g->code.p ? np_value_str(a, g->code) : NULL);
	np_value_map_set_int(a, m, "n_reported", (int64_t)g->n_reported);
	np_value_map_set_int(a, m, "n_mentioned", (int64_t)g->n_mentioned);
	return m;
}

static np_value *region_links(const np_site *s, const np_strlist *paths, np_arena *a)
{
	np_value *v = np_value_list(a, paths->len);
	for (size_t i = 0; i < paths->len; i++) {
		const np_site_region *g = np_site_region_by_path(s, paths->items[i]);
		if (g)
			np_value_list_push(a, v, np_ctx_region_link(s, (size_t)(g - s->regions), a));
	}
	return v;
}

static np_value *body_html(const np_article *r, np_arena *a)
{
	/* cmark's default is safe: raw HTML in a body is not passed through. */
	char *html = cmark_markdown_to_html(r->body.p, r->body.len, CMARK_OPT_DEFAULT);
	np_value *v = np_value_safe(a, np_arena_str(a, np_str_from(html)));
	free(html);
	return v;
}

static np_value *event_link(const np_site *s, size_t e, np_arena *a)
{
	const np_site_event *ev = &s->events[e];
	np_value *m = np_value_map(a);
	np_value_map_set_str(a, m, "name", ev->name);
	np_value_map_set(a, m, "url", np_value_strc(a, ev->url));
	np_value_map_set_int(a, m, "n_articles", (int64_t)ev->n_articles);
	return m;
}

/* The article's events, from the index the site model keeps per article. */
static np_value *event_links(const np_site *s, size_t art, np_arena *a)
{
	const np_site_article *sa = &s->articles[art];
	np_value *v = np_value_list(a, sa->n_events);
	for (size_t k = 0; k < sa->n_events; k++)
		np_value_list_push(a, v, event_link(s, sa->events[k], a));
	return v;
}

#define NP_RELATED_MAX 6

static np_value *related(const np_site *s, size_t art, np_arena *a)
{
	size_t ids[NP_RELATED_MAX];
	size_t n = np_site_related(s, art, ids, NP_RELATED_MAX);
	np_value *v = np_value_list(a, n);
	for (size_t k = 0; k < n; k++)
		np_value_list_push(a, v, np_ctx_article_brief(s, ids[k], a));
	return v;
}

char *np_ctx_absolute(const np_site *s, const char *path, np_arena *a)
{
	np_str p = np_str_from(path);
	if (np_str_ends(p, NP_STR("index.html")))
		p.len -= strlen("index.html");
	np_str base = s->config.base_url;
	return np_arena_printf(a, "%.*s%s%.*s", (int)base.len, base.p,
	                       base.len && base.p[base.len - 1] == '/' ? "" : "/", (int)p.len, p.p);
}

np_value *np_ctx_article(const np_site *s, size_t i, np_arena *a)
{
	const np_site_article *sa = &s->articles[i];
	const np_article *r = &sa->rec;
	np_value *m = np_ctx_article_brief(s, i, a);
	np_value_map_set(a, m, "regions", region_links(s, &r->regions, a));
	np_value_map_set(a, m, "places", region_links(s, &r->places, a));
	np_value_map_set(a, m, "events", event_links(s, i, a));
	np_value_map_set(a, m, "people", strlist(a, &r->people));
	np_value_map_set(a, m, "captions", strlist(a, &r->captions));
	np_value_map_set(a, m, "body_html", body_html(r, a));
	np_value_map_set(a, m, "record_path", np_value_strc(a, sa->record_path));
	np_value_map_set(a, m, "related", related(s, i, a));
	np_value_map_set(a, m, "permalink", np_value_strc(a, np_ctx_absolute(s, sa->url, a)));
	if (sa->issue != SIZE_MAX) {
		const np_site_issue *is = &s->issues[sa->issue];
		np_value_map_set(a, m, "issue_url", np_value_strc(a, is->url));
		np_value_map_set(a, m, "issue_date", np_ctx_date(a, is->date));
		np_value_map_set(a, m, "page_url", np_value_strc(a, is->pages[sa->page].url));
		np_value_map_set_int(a, m, "order", (int64_t)sa->order + 1);
	}
	bool same_prev = i > 0 && s->articles[i - 1].issue == sa->issue;
	bool same_next = i + 1 < s->n_articles && s->articles[i + 1].issue == sa->issue;
	np_value_map_set(a, m, "prev", same_prev ? np_ctx_article_brief(s, i - 1, a) : NULL);
	np_value_map_set(a, m, "next", same_next ? np_ctx_article_brief(s, i + 1, a) : NULL);
	return m;
}

np_value *np_ctx_issue_brief(const np_site *s, size_t i, np_arena *a)
{
	const np_site_issue *is = &s->issues[i];
	np_value *m = np_value_map(a);
	np_value_map_set(a, m, "date", np_ctx_date(a, is->date));
	np_value_map_set(a, m, "iso", np_value_str_copy(a, np_str_from(is->iso)));
	np_value_map_set(a, m, "url", np_value_strc(a, is->url));
	np_value_map_set_int(a, m, "n_articles", (int64_t)is->n_articles);
	np_value_map_set_int(a, m, "n_pages", (int64_t)is->n_pages);
	return m;
}

static np_value *teasers(const np_site *s, const np_site_issue *is, const np_site_page *pg,
                         np_arena *a)
{
	np_value *v = np_value_list(a, pg->n_teasers);
	for (size_t t = 0; t < pg->n_teasers; t++) {
		const np_teaser *x = &pg->teasers[t];
		np_value *m = np_value_map(a);
		np_value_map_set_str(a, m, "title", x->title);
		np_value_map_set(a, m, "kicker", str_or_null(a, x->kicker));
		np_value_map_set_int(a, m, "page", x->page);
		const char *url = NULL;
		for (size_t p = 0; p < is->n_pages; p++)
			if (is->pages[p].number == x->page)
				url = is->pages[p].url;
		np_value_map_set(a, m, "url", url ? np_value_strc(a, url) : NULL);
		np_value_list_push(a, v, m);
	}
	(void)s;
	return v;
}

np_value *np_ctx_page(const np_site *s, size_t issue, size_t page, np_arena *a)
{
	const np_site_issue *is = &s->issues[issue];
	const np_site_page *pg = &is->pages[page];
	np_value *m = np_value_map(a);
	np_value_map_set_int(a, m, "number", pg->number);
	np_value_map_set(a, m, "url", np_value_strc(a, pg->url));
	np_value_map_set(a, m, "source_file", str_or_null(a, pg->source_file));
	np_value *arts = np_value_list(a, pg->n_articles);
	for (size_t k = 0; k < pg->n_articles; k++)
		np_value_list_push(a, arts, np_ctx_article_brief(s, pg->articles[k], a));
	np_value_map_set(a, m, "articles", arts);
	np_value_map_set(a, m, "teasers", teasers(s, is, pg, a));
	np_value_map_set(a, m, "captions", strlist(a, &pg->captions));
	return m;
}

np_value *np_ctx_issue(const np_site *s, size_t i, np_arena *a)
{
	const np_site_issue *is = &s->issues[i];
	np_value *m = np_ctx_issue_brief(s, i, a);
	np_value *pages = np_value_list(a, is->n_pages);
	for (size_t p = 0; p < is->n_pages; p++)
		np_value_list_push(a, pages, np_ctx_page(s, i, p, a));
	np_value_map_set(a, m, "pages", pages);
	/* Issues are newest first: the previous (older) issue is i + 1. */
	np_value_map_set(a, m, "older", i + 1 < s->n_issues ? np_ctx_issue_brief(s, i + 1, a) : NULL);
	np_value_map_set(a, m, "newer", i > 0 ? np_ctx_issue_brief(s, i - 1, a) : NULL);
	return m;
}
