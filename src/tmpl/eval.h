/* Evaluator internals shared by eval.c, filters.c and env.c. */
#ifndef NP_TMPL_EVAL_H
#define NP_TMPL_EVAL_H

#include "tmpl/tmpl.h"
#include "tmpl/tree.h"

/* How a missing value is treated while an expression is evaluated. */
typedef enum np_lenient {
	NP_L_STRICT, /* any missing name or key is an error */
	NP_L_KEY,    /* a missing map key is undefined (in if, default) */
	NP_L_ANY     /* an unknown name is undefined too (is defined) */
} np_lenient;

typedef struct np_local {
	np_str name;
	np_value v;
} np_local;

/* The block being rendered, for super(). */
typedef struct np_block_frame {
	np_str name;
	const np_tmpl *level;
	const struct np_block_frame *up;
} np_block_frame;

struct np_rctx {
	np_tmpl_env *env;
	const np_value *ctx;
	const np_tmpl_opts *opts;
	np_buf *out;
	np_diags *d;
	np_arena scratch;
	np_local *locals;
	size_t nlocals, cap, scope;
	const np_tmpl *cur;  /* template whose nodes are being evaluated */
	const np_tmpl *leaf; /* most derived template of the current chain */
	const np_block_frame *block;
	unsigned depth;
	int err;
	np_buf tmp;
	size_t out_start; /* out->len when the render began */
	size_t steps;     /* loop iterations so far */
};

/* Reports a render error at e (or at n when e is NULL) and returns
 * NP_EINVAL. */
int np_rerror(np_rctx *r, unsigned line, unsigned col, size_t off, const char *fmt, ...)
    NP_PRINTF(5, 6);
#define NP_RERR(r, e, ...) np_rerror((r), (e)->line, (e)->col, (e)->off, __VA_ARGS__)
/* True the first time env sees key (a hash of a diagnostic), so an error
 * in a template shared by thousands of pages is reported once per build.
 * Thread-safe. */
bool np_tmpl_env_once(np_tmpl_env *env, uint64_t key);
/* Renders template t (following its extends chain) into r->out. */
int np_eval_template(np_rctx *r, const np_tmpl *t);
/* Appends the JSON encoding of v to out; NP_ELIMIT past 100 levels. */
int np_value_json(np_buf *out, const np_value *v, unsigned depth);
/* "2022-08-26" for a date value into out[11]. */
void np_date_iso(const np_value *v, char out[11]);

#endif
