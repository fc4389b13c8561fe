/* The article record and the page record in memory: what ingest produces
 * (page/ fills the text fields, meta/ the metadata), what record/ writes to
 * and reads from content/articles/, and what site/ builds the archive from.
 * See docs/records.md (and ../shared/spec/records.md) for the on-disk form.
 *
 * Every string is a borrowed np_str into an arena owned by whoever created
 * the article (one arena per page during ingest, per record while loading).
 * A string with p == NULL is YAML null / absent; an empty list has len 0. */
#ifndef NP_RECORD_ARTICLE_H
#define NP_RECORD_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/strlist.h"


/* A calendar date; y == 0 means unknown. */
typedef struct np_date {
	int y, m, d;
} np_date;

static inline bool np_date_known(np_date d) { return d.y != 0; }
/* Parses YYYY-MM-DD (validated, Gregorian); 0 or NP_EINVAL. */
int np_date_parse(np_str s, np_date *out);
/* Writes YYYY-MM-DD into out[11]. */
void np_date_format(np_date d, char out[11]);
int np_date_cmp(np_date a, np_date b);
bool np_date_valid(int y, int m, int d);
/* Days since 1970-01-01 (may be negative), and back. */
long np_date_to_days(np_date d);
np_date np_date_from_days(long days);
/* 0 = Monday ... 6 = Sunday. */
int np_date_weekday(np_date d);

typedef struct np_article {
	np_str id;
	np_str title;
	np_str kicker;   /* 引题, or null */
	np_str subtitle; /* 副题, or null */
	np_date date, end_date;
	bool date_inferred; /* the issue date was not given by path or manifest */
	np_str issue;       /* YYYY-MM-DD, or null */
	int page;           /* 0 = unknown */
	np_strlist authors;
	np_str source; /* reprint outlet without 《》, or null */
	np_strlist regions; /* full paths 省/市/县 where the news happens */
	np_strlist places;  /* other places named, not repeating regions */
	np_strlist events;
	np_strlist people;
	np_strlist captions;
	np_str summary;
	np_str slug;
	np_str source_file; /* relative to the site root */
	np_str body;        /* Markdown, paragraphs separated by a blank line */

	/* Position of the article's first block in its raw page (ingest only;
	 * 0 when read from a record). */
	unsigned line, col;
	/* The front matter key `ingest_hash`: hash of the bytes ingest wrote,
	 * used to tell whether a person has edited the record since. */
	np_str ingest_hash;
	/* Keys of the front matter that this program does not know, kept in
	 * order as raw YAML text so a rewrite never loses what a person
	 * added (record/ owns the format). */
	np_str extra_yaml;
} np_article;

typedef struct np_teaser {
	np_str title;
	np_str kicker; /* or null */
	int page;      /* target page */
	unsigned line, col;
} np_teaser;

/* What segmentation makes of one raw page. */
typedef struct np_page_result {
	np_article *articles; /* in reading order */
	size_t n_articles;
	np_teaser *teasers;
	size_t n_teasers;
	np_strlist captions; /* captions that belong to no article */
} np_page_result;

#endif
