/* Metadata extraction (stage 3 of the pipeline: after page segmentation,
 * before records are written): the dates, regions, places, events and
 * people of one article, from its headline, lede and body.
 *
 * The rules implement issue 5 and ../shared/spec/records.md; the sample
 * pages and their gold annotations (../shared/gold) show the expected
 * output.  Everything is deterministic, thread-safe (the gazetteer and the
 * events configuration are read-only) and linear in the article's length. */
#ifndef NP_META_META_H
#define NP_META_META_H

#include <stdbool.h>

#include "meta/events.h"
#include "meta/gazetteer.h"
#include "record/article.h"
#include "util/arena.h"
#include "util/diag.h"

typedef struct np_meta_opts {
	np_date issue; /* the issue date; y == 0 when unknown */
	/* When the issue date is unknown: the year the page's own text
	 * establishes (np_meta_page_year()), 0 if none.  Dates found then get
	 * date_inferred = true. */
	int page_year;
	const np_events *events;       /* content/events.yaml, or NULL */
	const np_gazetteer *gazetteer; /* NULL = np_gazetteer_builtin() */
	const char *path;              /* source path for diagnostics, may be NULL */
} np_meta_opts;

/* Fills a->date, a->end_date, a->date_inferred, a->regions, a->places,
 * a->events and a->people from a->title, a->kicker, a->subtitle and a->body
 * (Markdown paragraphs separated by blank lines, already normalised).
 * Strings are allocated in arena; authors, source, captions and body are not
 * touched; lists are appended to (callers pass empty lists).
 *
 * date: the first day-precision date expression of the lede (the first
 *   paragraph; a dateline `本报北京6月9日电` is such an expression), with
 *   end_date for a range (`12月5日至8日`).  `日前`/`近日` give no date, and
 *   neither does a month-precision expression (`2022年8月`, `截至今年9月`):
 *   a record date is a day, and inventing the 1st would be a false date.
 *   A missing year comes from the issue date (a January issue reporting
 *   `12月28日` means the previous year: a date more than 31 days after the
 *   issue moves back one year), else o->page_year, else the article's own
 *   most frequent explicit year (`2023年` elsewhere in it); without an
 *   issue date date_inferred is set.
 * regions: full paths of the places named in the headline lines and in the
 *   lede's first sentence (quotes do not end it; a dateline is part of it),
 *   plus headline abbreviations (`在京`, `沪甘`); when the headline or lede
 *   names a venue (`在…举行/召开`), the lede's other places are places, not
 *   regions.  Ancestors are dropped in favour of deeper paths.
 * places: every other place named, ancestors of regions/places dropped.
 * events: display names (np_meta_event_key()) of named meetings, ceremonies,
 *   campaigns and programmes; suppressed events left out.
 * people: names after a title (`会长陈存根`).
 * events and people hold at most 256 entries each (linear time on
 * pathological input).
 * Returns 0, or NP_EINVAL if the gazetteer is unavailable. */
int np_meta_extract(np_article *a, const np_meta_opts *o, np_arena *arena, np_diags *d);

/* The year a page's text establishes when its issue date is unknown: the
 * most frequent explicit `YYYY年` (1900..2099), ties going to the later
 * year; 0 when the text names none. */
int np_meta_page_year(np_str text);

#endif
