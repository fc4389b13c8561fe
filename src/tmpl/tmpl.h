/* The template engine: a Jinja-like language (docs/templates.md) with HTML
 * auto-escaping, parsed once per build and rendered many times.
 *
 * Use: np_tmpl_env_new(), np_tmpl_env_add_dir() for each template folder
 * in priority order (the site's templates/ before themes/<theme>/templates/),
 * then np_tmpl_render() from any number of threads.  Templates are loaded
 * and parsed on first use (under a lock) and never change afterwards;
 * np_tmpl_env_load() loads one up front so its errors come out before any
 * page is rendered.  Contexts are built with the np_value_* functions in
 * tmpl/value.h. */
#ifndef NP_TMPL_TMPL_H
#define NP_TMPL_TMPL_H

#include "tmpl/value.h"
#include "util/diag.h"

typedef struct np_tmpl_env np_tmpl_env;

/* Per-render options.  Strings are borrowed for the call. */
typedef struct np_tmpl_opts {
	/* Path of the page being written, relative to the output root, e.g.
	 * "articles/2022-08-30/slug/index.html" (a path ending in '/' means
	 * its index.html).  relative_url links from here; NULL = the root. */
	const char *output_path;
	/* Site base URL for absolute_url, e.g. "https://example.org/archive";
	 * NULL or "" makes absolute_url an error. */
	const char *base_url;
	/* ICU locale for the date filter; NULL = "zh_CN". */
	const char *locale;
} np_tmpl_opts;

/* A new environment with an empty search path.  Free with
 * np_tmpl_env_free(). */
np_tmpl_env *np_tmpl_env_new(void);
/* Frees env, its templates and everything parsed from them. */
void np_tmpl_env_free(np_tmpl_env *env);
/* Appends dir (copied) to the search path; folders added first win. */
void np_tmpl_env_add_dir(np_tmpl_env *env, const char *dir);
/* Registers an in-memory template called name (both copied), found before
 * any folder; path is used in messages (NULL = name).  For tests and
 * built-in defaults.  Must be called before the name is first loaded. */
void np_tmpl_env_add_string(np_tmpl_env *env, const char *name, const char *path, np_str src);
/* Loads and parses name and every template it includes or extends,
 * reporting errors to d.  Returns 0, NP_ENOENT when no folder has it, or
 * NP_EINVAL.  A template that failed is remembered: later loads and
 * renders fail at once without repeating the diagnostics. */
int np_tmpl_env_load(np_tmpl_env *env, const char *name, np_diags *d);
/* Renders template name with context ctx (a map; NULL = empty) and
 * appends the result to out.  On any error out is left as it was, the
 * error is in d with template path, line and column, and NP_EINVAL (or
 * NP_ENOENT / NP_ELIMIT) is returned.  Thread-safe; ctx must not hold
 * unforced lazy values shared with another thread (see value.h). */
int np_tmpl_render(np_tmpl_env *env, const char *name, const np_value *ctx,
                   const np_tmpl_opts *opts, np_buf *out, np_diags *d);

#endif
