/* Article records on disk: Markdown after a YAML front matter block,
 * written and read with libyaml.  See docs/records.md.
 *
 * Edit detection: ingest writes `ingest_hash`, the hash of the record's
 * bytes with that line left out.  A record whose bytes no longer hash to it
 * (or that has no such key) was written or changed by a person and is never
 * overwritten by ingest. */
#ifndef NP_RECORD_RECORD_H
#define NP_RECORD_RECORD_H

#include "record/article.h"
#include "util/diag.h"

/* Serialises a into out (appended): front matter with keys in the spec's
 * order, then the body.  Includes a fresh ingest_hash line. */
void np_record_write(const np_article *a, np_buf *out);

/* Parses a record file's bytes.  Strings in *a point into the arena.
 * Front matter errors are diagnostics with path:line:col; returns 0 or
 * NP_EINVAL (a is then partially filled and must not be used). */
int np_record_parse(np_article *a, const char *src, size_t len, const char *path, np_arena *arena,
                    np_diags *d);

typedef enum np_record_state {
	NP_RECORD_ABSENT,    /* no file */
	NP_RECORD_PRISTINE,  /* exactly as ingest wrote it */
	NP_RECORD_EDITED,    /* changed by a person, or never written by ingest */
} np_record_state;

/* Tells whether the record bytes are as ingest wrote them. */
np_record_state np_record_state_of(const char *src, size_t len);

/* The page record (pages.yaml) of one issue. */
typedef struct np_page_entry {
	int page;
	np_str source_file;
	np_strlist articles; /* ids in reading order */
	np_teaser *teasers;
	size_t n_teasers;
	np_strlist captions;
} np_page_entry;

typedef struct np_page_record {
	np_str issue;
	np_page_entry *pages;
	size_t n_pages;
} np_page_record;

void np_pages_write(const np_page_record *p, np_buf *out);
int np_pages_parse(np_page_record *p, const char *src, size_t len, const char *path, np_arena *a,
                   np_diags *d);

#endif
