/* The filter table.  A filter takes its input value and evaluated arguments
 * and replaces *v with its result; scratch memory comes from the render
 * arena.  Filters are looked up by name when a template is parsed, so an
 * unknown filter or a wrong argument count is a parse error. */
#ifndef NP_TMPL_FILTERS_H
#define NP_TMPL_FILTERS_H

#include "tmpl/tree.h"

/* Returns 0 or NP_EINVAL after reporting at e (the filter expression). */
typedef int (*np_filter_fn)(np_rctx *r, const np_expr *e, np_value *v, const np_value *args);

struct np_filter {
	const char *name;
	unsigned min_args, max_args;
	np_filter_fn fn;
	bool lenient; /* its input may be a missing map key (default) */
};

/* The filter called name, or NULL. */
const np_filter *np_filter_find(np_str name);

#endif
