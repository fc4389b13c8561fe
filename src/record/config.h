/* site.yaml (the site's configuration) and issue.yaml (an issue's optional
 * manifest), read with libyaml.  Unknown keys are reported as warnings so a
 * typo never passes silently. */
#ifndef NP_RECORD_CONFIG_H
#define NP_RECORD_CONFIG_H

#include "record/article.h"
#include "util/diag.h"

typedef struct np_site_config {
	np_str title;
	np_str description;
	np_str base_url; /* always ends in '/' */
	np_str language; /* BCP 47, default zh-CN */
	np_str theme;    /* default "default" */
	np_str encoding; /* declared encoding of raw pages, or null */
	int per_page;    /* list pagination, default 20 */
	np_str publication; /* the paper's name, or null */
} np_site_config;

/* Fills c with defaults, then reads path if it exists (a missing file is
 * not an error).  Strings are arena-owned.  Returns 0 or NP_EINVAL. */
int np_site_config_load(np_site_config *c, const char *path, np_arena *a, np_diags *d);

typedef struct np_manifest_page {
	np_str file; /* e.g. "07.txt" */
	int page;
	np_str name; /* e.g. "社会工作" or null */
} np_manifest_page;

typedef struct np_issue_manifest {
	np_date date;     /* unknown when absent */
	np_str encoding;  /* or null */
	np_str publication;
	int number;       /* issue number, 0 = unknown */
	np_manifest_page *pages;
	size_t n_pages;
} np_issue_manifest;

int np_issue_manifest_load(np_issue_manifest *m, const char *path, np_arena *a, np_diags *d);
/* The manifest entry for a raw file name, or NULL. */
const np_manifest_page *np_issue_manifest_page(const np_issue_manifest *m, np_str file);

#endif
