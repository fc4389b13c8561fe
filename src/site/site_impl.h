/* Private parts of the site model shared by its files. */
#ifndef NP_SITE_SITE_IMPL_H
#define NP_SITE_SITE_IMPL_H

#include "meta/events.h"
#include "record/record.h"
#include "site/site.h"
#include "util/strmap.h"

#define NP_SITE_ARTICLES "content/articles"

typedef struct np_site_impl {
	np_site pub;
	np_arena arena;     /* the issues index, urls, page records */
	np_arena ev_arena;  /* the events index */
	np_arena reg_arena; /* the region tree (made beside the other indexes: site.c) */
	np_arena *arenas; /* record contents, one per loading worker */
	size_t n_arenas;
	np_page_record *page_records;
	size_t n_page_records;
	np_strmap by_id;     /* article id -> index */
	np_strmap by_region; /* region path -> index */
	np_events *events;   /* content/events.yaml, or NULL */
	char *dir;           /* the site folder (records are read from it again) */
	size_t n_parsed;     /* records parsed by libyaml (the rest: snapshot) */
	np_arena *body_arenas; /* np_site_bodies_load, one per worker */
	size_t n_body_arenas;
	/* What the records' front-matter strings point into (site/snapshot.h:
	 * decoding copies nothing): the snapshot as loaded, and the entries
	 * made for records parsed by this load. */
	struct np_snap *snap;
	char **fresh;
	size_t n_fresh;
	/* The same for page records: their snapshot as loaded (pages decoded
	 * from it point into it), and how many were parsed by libyaml. */
	struct np_snap *pages_snap;
	size_t n_pages_parsed;
	struct np_slugs *slugs; /* while loading: the slug cache (site/slugs.h) */
} np_site_impl;

struct np_fs_list;
size_t np_site_read_records(np_site_impl *s, const char *dir, unsigned threads,
                            const struct np_fs_list *listed, np_diags *d);
/* The region tree reads the articles' regions and places and writes only
 * their region_ids, the regions, by_region and reg_arena: it may run
 * beside np_site_index_issues and np_site_index_events, which touch none
 * of those (and np_site_index_events_finish comes after all three). */
void np_site_index_issues(np_site_impl *s, np_diags *d);
void np_site_index_regions(np_site_impl *s);
/* The events index in two parts: np_site_index_events groups, orders
 * and links (after np_site_index_issues: timelines use the issues'
 * dates); np_site_index_events_finish gives dates, regions and slugs. */
void np_site_index_events(np_site_impl *s);
void np_site_index_events_finish(np_site_impl *s);
void np_site_index_years(np_site_impl *s);

#endif
