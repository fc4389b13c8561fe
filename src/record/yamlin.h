/* Reading small YAML documents (front matter, pages.yaml, site.yaml,
 * issue.yaml) through libyaml's document loader, with diagnostics that name
 * path:line:col (line_offset is added to libyaml's 0-based lines, so front
 * matter errors point into the record file, not into the fragment). */
#ifndef NP_RECORD_YAMLIN_H
#define NP_RECORD_YAMLIN_H

#include <yaml.h>

#include "record/article.h"
#include "util/diag.h"

typedef struct np_yin {
	yaml_document_t doc;
	bool loaded;
	const char *path;
	unsigned line_offset;
	np_diags *d;
	np_arena *a;
	int errors;
} np_yin;

/* Parses src; on a syntax error adds a diagnostic and returns NP_EINVAL.
 * An empty document yields a NULL root. */
int np_yin_load(np_yin *y, const char *src, size_t len, const char *path, unsigned line_offset,
                np_arena *a, np_diags *d);
void np_yin_dispose(np_yin *y);
yaml_node_t *np_yin_root(np_yin *y);
yaml_node_t *np_yin_node(np_yin *y, int id);
/* Value node of key in mapping m, or NULL. */
yaml_node_t *np_yin_get(np_yin *y, yaml_node_t *m, const char *key);
/* True for a plain null / ~ / empty plain scalar. */
bool np_yin_is_null(yaml_node_t *n);
/* The scalar's text copied into the arena; null gives {NULL, 0}.  A
 * non-scalar is an error (diagnostic naming what was expected). */
np_str np_yin_str(np_yin *y, yaml_node_t *n, const char *what);
/* A scalar or a sequence of scalars as a string list. */
void np_yin_strlist(np_yin *y, yaml_node_t *n, const char *what, np_strlist *out);
int np_yin_int(np_yin *y, yaml_node_t *n, const char *what, int dflt);
bool np_yin_bool(np_yin *y, yaml_node_t *n, const char *what, bool dflt);
np_date np_yin_date(np_yin *y, yaml_node_t *n, const char *what);
/* An error at node n's position. */
void np_yin_error(np_yin *y, yaml_node_t *n, const char *fmt, ...) NP_PRINTF(3, 4);

#endif
