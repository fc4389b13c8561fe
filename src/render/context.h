/* Template contexts: the np_value maps each page kind receives (documented
 * in docs/templates.md).  Values borrow strings from the site model, which
 * outlives rendering; containers are allocated in the job's arena. */
#ifndef NP_RENDER_CONTEXT_H
#define NP_RENDER_CONTEXT_H

#include "site/site.h"
#include "tmpl/value.h"

/* `site`: title, description, base_url, language, and counts. */
np_value *np_ctx_site(const np_site *s, np_arena *a);
/* A short form of an article for lists: id, title, kicker, subtitle,
 * date, issue, page, summary, url, authors, source. */
np_value *np_ctx_article_brief(const np_site *s, size_t i, np_arena *a);
/* The full article: the brief plus regions/places/events as links,
 * captions, people, body_html (cmark, safe), prev/next in the issue,
 * related articles, issue and page links. */
np_value *np_ctx_article(const np_site *s, size_t i, np_arena *a);
np_value *np_ctx_issue_brief(const np_site *s, size_t i, np_arena *a);
/* An issue with its pages, each with its articles and teasers. */
np_value *np_ctx_issue(const np_site *s, size_t i, np_arena *a);
np_value *np_ctx_page(const np_site *s, size_t issue, size_t page, np_arena *a);
np_value *np_ctx_date(np_arena *a, np_date d);
/* A region as a link: name, path, code, level, url, n_reported, n_mentioned. */
np_value *np_ctx_region_link(const np_site *s, size_t r, np_arena *a);
/* The absolute URL of an output path (base_url + path, "index.html"
 * dropped), in a. */
char *np_ctx_absolute(const np_site *s, const char *path, np_arena *a);
/* A region page: the region link plus parents (breadcrumbs), children,
 * `items` (page k of its articles, each a brief with `reported`), and
 * `pager` {page, n_pages, newer_url, older_url, pages: [{number, url}]}. */
np_value *np_ctx_region(const np_site *s, size_t r, size_t k, np_arena *a);
/* The regions index: `provinces`, each a region link with `children`
 * (and their `children`), in pinyin order. */
np_value *np_ctx_regions(const np_site *s, np_arena *a);
/* Page k of an event: name, url, first, last, regions, n_articles,
 * feed_url, `days`: this page of its timeline grouped by date (oldest
 * first) [{date, articles}], and `pager` as for regions. */
np_value *np_ctx_event(const np_site *s, size_t e, size_t k, np_arena *a);
/* The events index: `events`, each {name, url, first, last, n_articles}. */
np_value *np_ctx_events(const np_site *s, np_arena *a);
/* The calendar: `years` [{year, url, n_issues, months: [{month, n_issues}]}]. */
np_value *np_ctx_calendar(const np_site *s, np_arena *a);
/* A year: year, url, older/newer year links, months [{month, weeks:
 * [[{day, url|null}|null ×7]], issues}]. */
np_value *np_ctx_year(const np_site *s, size_t y, np_arena *a);
/* The output path of page k of n_pages of a paginated list whose folder is
 * dir ("regions/<slug>"): dir/index.html for the newest page (k >= n_pages),
 * dir/page/<k>/index.html for the others. */
char *np_ctx_list_page_url(const char *dir, size_t k, size_t n_pages, np_arena *a);
/* Items per page of lists: site.yaml's per_page (default 20). */
size_t np_ctx_per_page(const np_site *s);

#endif
