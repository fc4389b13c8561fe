/* The site model: every record and page record of a site, indexed the ways
 * the archive is browsed — by issue and page, by region (a tree with
 * roll-up), by event, by date — plus each output's URL.  Built once per
 * build from content/articles; read-only afterwards, so renderers on many
 * threads share it.
 *
 * Everything is owned by the np_site (its arenas); np_site_free releases it.
 * Article order is the archive order: issue date, page, reading order. */
#ifndef NP_SITE_SITE_H
#define NP_SITE_SITE_H

#include <stdint.h>

#include "record/article.h"
#include "record/config.h"
#include "util/diag.h"

typedef struct np_site_article {
	np_article rec;
	char *record_path; /* relative to the site root */
	size_t issue;      /* index into np_site.issues, or SIZE_MAX */
	size_t page;       /* index into that issue's pages, or SIZE_MAX */
	size_t order;      /* position in its page */
	char *url;         /* output path: articles/<issue>/<slug>/index.html */
	size_t *events;    /* indexes into np_site.events (pinyin order of names) */
	size_t n_events;
	/* The record file as loaded: rec_size bytes, modified at mtime_ns
	 * (inode ino, changed at ctime_ns), the body from byte body_off on.  body_hash (XXH3-128 of the body bytes)
	 * stands for the body in output fingerprints.  rec.body is null after
	 * np_site_load: bodies are read when needed (np_site_body). */
	uint64_t rec_size, body_off;
	int64_t mtime_ns;
	uint64_t ino;
	int64_t ctime_ns;
	uint64_t body_hash[2];
	/* XXH3-128 of the record's snapshot entry (np_snap_encode: every field
	 * of rec, record_path, the file's metadata and body_hash), taken as the
	 * hash of its metadata's hash and content_digest: a version of the
	 * record as loaded, for page keys (render/context.h).  {0, 0} when not
	 * known. */
	uint64_t rec_digest[2];
	/* XXH3-128 of what the record says (np_snap_content: every field of
	 * rec and body_hash, not the file's path or metadata): what the search
	 * index's fingerprint takes for the record (search/site.c).  {0, 0}
	 * when not known. */
	uint64_t content_digest[2];
	/* The people and captions lists left in the record's snapshot entry
	 * (np_snap_decode_lazy): rec.people and rec.captions are then empty,
	 * and np_site_article_lists decodes them.  Null when rec has them. */
	np_str lazy_lists;
	/* The regions that rec.regions, then rec.places, name: indexes into
	 * np_site.regions (UINT32_MAX for a path that names none), found once
	 * when the regions are indexed (np_site_article_region).  32 bits: some
	 * 800,000 of them at 100,000 articles, in memory each build touches
	 * for the first time. */
	uint32_t *region_ids;
} np_site_article;

/* One entry of a region's article list: which article, and whether the
 * region (or a place under it) is where the news is reported (报道地,
 * `regions`) or only mentioned (提及, `places`). */
typedef struct np_site_region_item {
	/* 4 bytes an entry: a million and more at 100,000 articles
	 * (np_site_load refuses NP_SITE_MAX_ARTICLES + 1 articles) */
	uint32_t article : 31;
	uint32_t reported : 1;
} np_site_region_item;
#define NP_SITE_MAX_ARTICLES 0x7ffffffeu

typedef struct np_site_page {
	int number;
	np_str source_file;
	size_t *articles; /* indexes into np_site.articles, reading order */
	size_t n_articles;
	np_teaser *teasers;
	size_t n_teasers;
	np_strlist captions;
	char *url; /* issues/<date>/<NN>/index.html */
} np_site_page;

typedef struct np_site_issue {
	np_date date; /* unknown for the "undated" bucket */
	char iso[11];
	np_site_page *pages;
	size_t n_pages;
	size_t n_articles;
	char *url; /* issues/<date>/index.html */
} np_site_issue;

/* A region page: one node of the administrative tree that some record
 * names (and every ancestor of such a node). */
typedef struct np_site_region {
	np_str path;  /* 省/市/县 */
	np_str name;  /* last component */
	np_str code;  /* GB/T 2260 code when the gazetteer knows it, else null */
	int level;    /* 1 province, 2 prefecture, 3 county */
	size_t parent; /* SIZE_MAX for a province */
	size_t *children;
	size_t n_children;
	/* Articles reporting news here (regions) or only mentioning it
	 * (places), rolled up from the whole subtree, newest first, no
	 * duplicates: items lists both (what the region's pages list),
	 * reported the reporting ones; n_mentioned counts the others. */
	np_site_region_item *items;
	size_t n_items;
	size_t *reported, n_reported;
	size_t n_mentioned;
	char *slug; /* GB/T 2260 code, or the path's pinyin slug when unknown */
	char *url;  /* regions/<slug>/index.html */
} np_site_region;

typedef struct np_site_event {
	np_str key;  /* canonical key (variants merged) */
	np_str name; /* display name */
	char *slug;
	size_t *articles, n_articles; /* archive order */
	size_t *timeline; /* the same, by date (own, else the issue's), then archive order */
	np_date first, last;
	size_t *regions, n_regions; /* regions its articles report from */
	char *url; /* events/<slug>/index.html */
} np_site_event;

/* A year of the calendar: its dated issues, a contiguous run of
 * np_site.issues (newest first). */
typedef struct np_site_year {
	int year;
	size_t first, n; /* issues[first .. first + n) */
	char *url;       /* calendar/<year>/index.html */
} np_site_year;

typedef struct np_site {
	np_site_config config;
	np_site_article *articles;
	size_t n_articles;
	np_site_issue *issues; /* newest first */
	size_t n_issues;
	np_site_region *regions; /* in no particular order; see provinces */
	size_t n_regions;
	/* The top-level regions in pinyin collation order (each region's
	 * children are in that order too). */
	size_t *provinces, n_provinces;
	np_site_event *events; /* by name, pinyin collation */
	size_t n_events;
	np_site_year *years; /* newest first */
	size_t n_years;
	void *priv;
} np_site;

/* Reads site.yaml, every record and pages.yaml under <site>/content/articles
 * (on `threads` threads) and builds the indexes.  Bad records are
 * diagnostics and left out; the rest is built.  Returns NULL only when
 * memory runs out. */
np_site *np_site_load(const char *site_dir, unsigned threads, np_diags *d);
/* np_site_load with the listing of content/articles already made (by the
 * build stamp, util/fs_list.h, relative to site_dir): the records and page
 * records are those it lists, and a record's metadata in it decides
 * whether the record snapshot's entry is still good.  NULL: list now. */
struct np_fs_list;
struct np_snap;
/* snap: the record snapshot (site/snapshot.h) when the caller has loaded
 * it already (ingest reads it too), taken over by the site; NULL: loaded
 * here. */
np_site *np_site_load_listed(const char *site_dir, unsigned threads,
                             const struct np_fs_list *articles, struct np_snap *snap,
                             np_diags *d);
void np_site_free(np_site *s);
/* The body (Markdown) of article i, read from its record now: *body is a
 * slice of file (the caller's buffer, reused across calls).  0, or a
 * negative NP_E... with an empty *body when the file cannot be read or
 * parsed any more. */
int np_site_body(const np_site *s, size_t i, np_buf *file, np_str *body);
/* Reads every article's body into rec.body (on `threads` threads) for a
 * stage that needs them all at once (the search index), and lets them go
 * again: the only change to the model after np_site_load, never while
 * another thread reads it.  Until np_site_bodies_load, rec.body is null. */
void np_site_bodies_load(const np_site *s, unsigned threads);
void np_site_bodies_drop(const np_site *s);
/* How many records np_site_load parsed with libyaml (the others came
 * from the record snapshot): for progress and tests. */
size_t np_site_n_parsed(const np_site *s);
/* The same for page records (pages.yaml) and their snapshot. */
size_t np_site_n_pages_parsed(const np_site *s);
/* The racy window: a record whose ctime (or mtime) is less than this
 * before a load began is parsed but not put in the record snapshot, so an
 * edit in the same clock tick cannot hide behind unchanged metadata.
 * 100 ms by default, far above the kernel's timestamp tick (a few ms); a
 * file system with whole-second times gets 2 s.  Not thread-safe to set:
 * tests set it before loading. */
extern int64_t np_site_racy_ns;
/* The region that path k of article a names (rec.regions[k], or
 * rec.places[k - rec.regions.len] past them), or NULL: what
 * np_site_region_by_path gives, without looking the path up. */
const np_site_region *np_site_article_region(const np_site *s, const np_site_article *a,
                                             size_t k);
/* Article a's people and captions: rec's lists, or those its snapshot
 * entry holds (lazy_lists), decoded into a (the strings stay the
 * entry's). */
void np_site_article_lists(const np_site_article *a, np_arena *ar, np_strlist *people,
                           np_strlist *captions);
/* The region with this path, or NULL. */
const np_site_region *np_site_region_by_path(const np_site *s, np_str path);
/* The article with this id, or NULL. */
const np_site_article *np_site_article_by_id(const np_site *s, np_str id);
/* Up to max articles related to article art, most related first: those
 * sharing one of its events (nearest in archive order first), then those
 * reported from one of its regions (most specific region first).  Never
 * art itself, no duplicates.  O(max * (events + regions) * log n): safe
 * for events and regions with 100,000s of articles.  Returns the count. */
size_t np_site_related(const np_site *s, size_t art, size_t *out, size_t max);
/* Pagination of a list of n items (a region's items, an event's
 * timeline), numbered from the oldest end so that new articles never
 * shift an existing numbered page: page k (1-based) holds oldest-first
 * positions [(k-1)*per, k*per); the last page, the newest, may be partial.
 * The count is at least 1 (an empty list has one empty page).  *from and
 * *cnt give page k's slice of the list, which is stored newest first when
 * newest_first, else oldest first. */
size_t np_site_npages(size_t n, size_t per);
void np_site_page_slice(size_t n, size_t per, size_t k, bool newest_first, size_t *from,
                        size_t *cnt);
/* Sorts names (UTF-8) in pinyin collation order (ICU, zh@collation=pinyin),
 * ties broken by bytes: fills order with the permutation.  Falls back to
 * byte order if ICU cannot open the collator. */
void np_site_collate(const np_str *names, size_t n, size_t *order);

#endif
