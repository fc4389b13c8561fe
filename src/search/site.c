/* np_search_write: the site model as search documents.  Articles keep
 * their archive number (site order: issue date, page, reading order), so a
 * new issue appends documents and leaves earlier postings as they were. */
#include <stdlib.h>

#include "search/search.h"
#include "site/site.h"
#include "util/err.h"

/* Fills doc from article i, without its body (read by body_of when the
 * article is tokenised); its event names (canonical, after merges) are
 * written at *ev, which moves past them. */
static void doc_of(const np_site *s, size_t i, np_search_doc *doc, np_str **ev)
{
	const np_site_article *sa = &s->articles[i];
	const np_article *r = &sa->rec;
	np_str *names = *ev;
	for (size_t k = 0; k < sa->n_events; k++)
		names[k] = s->events[sa->events[k]].name;
	*ev += sa->n_events;
	*doc = (np_search_doc){
	    .title = r->title,
	    .kicker = r->kicker,
	    .subtitle = r->subtitle,
	    .body = r->body.len ? r->body : (np_str){NULL, 0},
	    .authors = r->authors.items,
	    .n_authors = r->authors.len,
	    .regions = r->regions.items,
	    .n_regions = r->regions.len,
	    .events = names,
	    .n_events = sa->n_events,
	    .issue = r->issue,
	    .date = r->date,
	    .url = np_str_from(sa->url),
	    .body_hash = sa->body_hash,
	    .digest = sa->content_digest[0] || sa->content_digest[1] ? sa->content_digest : NULL,
	};
}

/* One record's body, read now (np_site_body): a file that cannot be read
 * any more indexes as an empty body (the render stage reports it). */
static np_str body_of(void *ctx, size_t i, np_buf *scratch)
{
	np_str body;
	np_site_body(ctx, i, scratch, &body);
	return body;
}

int np_search_write(const struct np_site *s, np_search_write_fn write, void *wctx, unsigned threads,
                    const np_search_base *prev, np_search_base *base_out, np_search_stats *st,
                    np_diags *d)
{
	size_t n = s->n_articles, n_ev = 0;
	np_search_doc *docs = np_xcalloc(n + 1, sizeof *docs);
	for (size_t i = 0; i < n; i++)
		n_ev += s->articles[i].n_events;
	/* every document's event names in one array (not an allocation each) */
	np_str *ev = np_xcalloc(n_ev + 1, sizeof *ev), *at = ev;
	for (size_t i = 0; i < n; i++)
		doc_of(s, i, &docs[i], &at);
	np_search_opts o = {
	    .threads = threads, .body = body_of, .body_ctx = (void *)s, .prev = prev};
	int rc = np_search_build_ex(docs, n, &o, write, wctx, st, base_out);
	if (rc < 0)
		np_diag_add(d, NP_ERROR, "search", 0, 0, "search index not fully written: %s",
		            np_strerror(rc));
	free(ev);
	free(docs);
	return rc;
}
