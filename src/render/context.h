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
np_value *np_ctx_region_link(const np_site *s, size_t r, np_arena *a);

#endif
