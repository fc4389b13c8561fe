/* np_search_write: the site model as search documents.  Articles keep
 * their archive number (site order: issue date, page, reading order), so a
 * new issue appends documents and leaves earlier postings as they were. */
#include <stdlib.h>

#include "search/search.h"
#include "site/site.h"
#include "util/err.h"

/* Fills doc from article i; event names (canonical, after merges) go into
 * ev, which the caller frees. */
static void doc_of(const np_site *s, size_t i, np_search_doc *doc, np_str **ev)
{
	const np_site_article *sa = &s->articles[i];
	const np_article *r = &sa->rec;
	*ev = np_xcalloc(sa->n_events + 1, sizeof **ev);
	for (size_t k = 0; k < sa->n_events; k++)
		(*ev)[k] = s->events[sa->events[k]].name;
	*doc = (np_search_doc){
	    .title = r->title,
	    .kicker = r->kicker,
	    .subtitle = r->subtitle,
	    .body = r->body,
	    .authors = r->authors.items,
	    .n_authors = r->authors.len,
	    .regions = r->regions.items,
	    .n_regions = r->regions.len,
	    .events = *ev,
	    .n_events = sa->n_events,
	    .issue = r->issue,
	    .date = r->date,
	    .url = np_str_from(sa->url),
	};
}

int np_search_write(const struct np_site *s, np_search_write_fn write, void *wctx, unsigned threads,
                    np_diags *d)
{
	size_t n = s->n_articles;
	/* np_site_load leaves bodies on disk; read them all for the index and
	 * let them go again, unless the caller has them loaded already. */
	bool load = true;
	for (size_t i = 0; i < n && load; i++)
		load = !s->articles[i].rec.body.len;
	if (load)
		np_site_bodies_load(s, threads);
	np_search_doc *docs = np_xcalloc(n + 1, sizeof *docs);
	np_str **ev = np_xcalloc(n + 1, sizeof *ev);
	for (size_t i = 0; i < n; i++)
		doc_of(s, i, &docs[i], &ev[i]);
	int rc = np_search_build(docs, n, write, wctx, threads, NULL);
	if (rc < 0)
		np_diag_add(d, NP_ERROR, "search", 0, 0, "search index not fully written: %s",
		            np_strerror(rc));
	for (size_t i = 0; i < n; i++)
		free(ev[i]);
	free(ev);
	free(docs);
	if (load)
		np_site_bodies_drop(s);
	return rc;
}
