/* Template contexts: the np_value maps each page kind receives (documented
 * in docs/templates.md).  Values borrow strings from the site model, which
 * outlives rendering; containers are allocated in the job's arena.
 *
 * What many pages show of one thing — an article's brief, a region's or an
 * event's link, an issue's brief, `site` — is built once per render and
 * shared (np_ctx_memo): read-only, with a digest (np_value_map_set_digest)
 * so that a page's fingerprint costs what the page lists, not the size of
 * every brief in it.  A list page of 20 articles is 20 pointers and 20
 * digests.  Shared values carry nothing that changes when unrelated
 * content arrives (no archive-wide counts): otherwise every page that
 * shows them would render again each week. */
#ifndef NP_RENDER_CONTEXT_H
#define NP_RENDER_CONTEXT_H

#include "render/fingerprint.h"
#include "site/site.h"
#include "tmpl/value.h"

/* Values shared by the jobs of one render, built on first use by whichever
 * worker needs them (lock-free: a value is published with a
 * compare-and-swap; a worker that loses the race drops its copy). */
typedef struct np_ctx_memo np_ctx_memo;

/* What a context builder works with. */
typedef struct np_ctx {
	const np_site *s;
	np_arena *a;       /* the job's arena: this page's values */
	np_ctx_memo *memo; /* shared values, or NULL: everything is built in a */
	np_arena *keep;    /* this worker's arena for shared values (outlives jobs) */
} np_ctx;

/* A memo for s; set (prepared for every page template) gives the digests.
 * Both must outlive it. */
np_ctx_memo *np_ctx_memo_new(const np_site *s, const np_fp_set *set);
void np_ctx_memo_free(np_ctx_memo *m);

/* `site`: title, description, base_url, language, search_url; with_counts
 * adds n_articles, n_issues, n_regions, n_events (for the indexes that
 * change with every issue anyway: see context.c). */
np_value *np_ctx_site(const np_ctx *c, bool with_counts);
/* A short form of an article for lists: id, title, kicker, subtitle,
 * date, end_date, issue, page, summary, url, authors, source.  Shared:
 * read-only (np_value_map_copy gives an overlay to extend). */
np_value *np_ctx_article_brief(const np_ctx *c, size_t i);
/* The full article: the brief plus regions/places/events as links,
 * captions, people, body_html (empty: the renderer sets it), prev/next in
 * the issue, related articles, issue and page links. */
np_value *np_ctx_article(const np_ctx *c, size_t i);

/* date, iso, url, n_articles, n_pages.  Shared. */
np_value *np_ctx_issue_brief(const np_ctx *c, size_t i);
/* An issue with its pages, each with its articles and teasers. */
np_value *np_ctx_issue(const np_ctx *c, size_t i);
np_value *np_ctx_page(const np_ctx *c, size_t issue, size_t page);
/* The URL of the page numbered `number` in issue is (the last such), or
 * NULL: where a teaser points. */
const char *np_ctx_page_url(const np_site_issue *is, int number);
np_value *np_ctx_date(np_arena *a, np_date d);
/* An event as a link: name, url.  Shared. */
np_value *np_ctx_event_link(const np_ctx *c, size_t e);
/* A region as a link: name, path, code, level, url.  Shared. */
np_value *np_ctx_region_link(const np_ctx *c, size_t r);
/* The link plus n_reported and n_mentioned (for indexes that print them). */
np_value *np_ctx_region_counted(const np_ctx *c, size_t r);
/* The absolute URL of an output path (base_url + path, "index.html"
 * dropped), in a. */
char *np_ctx_absolute(const np_site *s, const char *path, np_arena *a);
/* Page k (1 = oldest) of a region's list: the region link plus parents
 * (breadcrumbs), feed_url, `items` (that page's articles, each a brief
 * with `reported`) and `pager` (see np_ctx_pager).  The newest page (the
 * region's index.html) also has n_reported, n_mentioned and `children`
 * (counted links); older pages have neither, so that they stay as they
 * are when new articles arrive. */
np_value *np_ctx_region(const np_ctx *c, size_t r, size_t k);
/* The regions index: `provinces`, each a counted link with `children`
 * (and their `children`), in pinyin order. */
np_value *np_ctx_regions(const np_ctx *c);
/* Page k of an event: name, url, feed_url, `days` (this page of its
 * timeline grouped by date, oldest first: [{date, articles}]) and `pager`;
 * the newest page also has first, last, n_articles and regions. */
np_value *np_ctx_event(const np_ctx *c, size_t e, size_t k);
/* The events index: `events`, each {name, url, first, last, n_articles}. */
np_value *np_ctx_events(const np_ctx *c);
/* The calendar: `years` [{year, url, n_issues, months: [{month, n_issues}]}]. */
np_value *np_ctx_calendar(const np_ctx *c);
/* A year: year, url, older/newer year links, months [{month, weeks:
 * [[{day, url|null}|null ×7]], issues}]. */
np_value *np_ctx_year(const np_ctx *c, size_t y);
/* The pager of page k of n of the list in folder dir: page, archived
 * (k < n: a page whose articles are fixed), newer and older ({number,
 * url} or null), pages (a window of numbers around k, newest first), first
 * (page 1 when the window does not reach it), latest (the list's index,
 * on archived pages) and, on the newest page only, n_pages.  What an
 * archived page shows depends on n only for the last few pages, so a new
 * article changes O(1) pages of a list, not all of them. */
np_value *np_ctx_pager(np_arena *a, const char *dir, size_t k, size_t n);
/* What the pager of page k of n shows of n, for page keys: n itself on
 * the newest page (k >= n), on an archived page only the top of its
 * window, min(k + span, n - 1), and that it is archived.  Two (k, n)
 * with the same shape give the same pager. */
uint64_t np_ctx_pager_shape(size_t k, size_t n);
/* The output path of page k of n_pages of a paginated list whose folder is
 * dir ("regions/<slug>"): dir/index.html for the newest page (k >= n_pages),
 * dir/page/<k>/index.html for the others. */
char *np_ctx_list_page_url(const char *dir, size_t k, size_t n_pages, np_arena *a);
/* Items per page of lists: site.yaml's per_page (default 20). */
size_t np_ctx_per_page(const np_site *s);
/* The date an article has on an event's timeline: its own, else its issue's. */
np_date np_ctx_when(const np_site *s, size_t art);
/* Related articles an article page lists at most. */
#define NP_RELATED_MAX 6

/* Page keys (context_keys.c).  A key is a digest of everything a page's
 * context is built from, taken from versions the model already has (each
 * record's rec_digest, the shared values' digests) without building the
 * context: equal keys mean an equal context, so a page whose key is the
 * one stored with its output is skipped at the cost of some hashing.  A
 * key is coarser than the fingerprint (a change to any field of a record
 * counts, printed or not); a page whose key changed is fingerprinted as
 * before.  Each key function reads what its context builder reads (the
 * builders say so at their top); tests/e2e/incremental_equal.sh changes
 * each kind of input and compares with a clean build.
 *
 * Each adds the inputs of its page's context value (and of `site`, which
 * every page kind with a key gets without counts) to st, and returns false
 * when some version is unknown (no memo, or a record without rec_digest):
 * then the page has no key. */
struct XXH3_state_s;
/* A hash of what article i's brief is made of (its record digest and
 * URL), for keys; NULL when not known. */
const uint64_t *np_ctx_brief_key(const np_ctx *c, size_t i);
bool np_ctx_article_key(const np_ctx *c, size_t i, struct XXH3_state_s *st);
bool np_ctx_issue_key(const np_ctx *c, size_t i, struct XXH3_state_s *st);
bool np_ctx_page_key(const np_ctx *c, size_t issue, size_t page, struct XXH3_state_s *st);
bool np_ctx_region_key(const np_ctx *c, size_t r, size_t k, struct XXH3_state_s *st);
bool np_ctx_event_key(const np_ctx *c, size_t e, size_t k, struct XXH3_state_s *st);

#endif
