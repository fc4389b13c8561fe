/* The template tree: what the parser builds from tokens and the evaluator
 * walks.  A template owns one arena holding its source, tokens and nodes;
 * once loaded it is never modified, so renders on many threads share it. */
#ifndef NP_TMPL_TREE_H
#define NP_TMPL_TREE_H

#include "tmpl/lexer.h"
#include "tmpl/value.h"

/* Nesting limit for tags and expressions, in the parser and, summed over
 * includes and blocks, in the evaluator. */
#define NP_TMPL_MAX_DEPTH 200

typedef struct np_expr np_expr;
typedef struct np_node np_node;
typedef struct np_tmpl np_tmpl;
typedef struct np_rctx np_rctx;
typedef struct np_filter np_filter;

typedef enum np_expr_kind {
	NP_E_LIT,
	NP_E_VAR,
	NP_E_ATTR,  /* obj.name */
	NP_E_INDEX, /* obj[key] */
	NP_E_FILTER,
	NP_E_NOT,
	NP_E_AND,
	NP_E_OR,
	NP_E_CMP,
	NP_E_DEFINED, /* x is defined / x is not defined */
	NP_E_SUPER
} np_expr_kind;

struct np_expr {
	np_expr_kind kind;
	unsigned line, col;
	size_t off;
	np_str src; /* the expression's source text, for messages */
	union {
		np_value lit;
		np_str name;
		struct {
			np_expr *obj;
			np_str name;
		} attr;
		struct {
			np_expr *obj, *key;
		} index;
		struct {
			np_expr *in;
			const np_filter *f;
			np_expr **args;
			size_t nargs;
		} filter;
		struct {
			np_expr *l, *r;
			np_tok_type op;
		} bin;
		struct {
			np_expr *e;
			bool negate;
		} test;
	} u;
};

typedef struct np_body {
	np_node **items;
	size_t len;
} np_body;

typedef enum np_node_kind {
	NP_N_TEXT,
	NP_N_OUT,
	NP_N_IF,
	NP_N_FOR,
	NP_N_SET,
	NP_N_INCLUDE,
	NP_N_BLOCK
} np_node_kind;

struct np_node {
	np_node_kind kind;
	unsigned line, col;
	size_t off;
	union {
		np_str text;
		struct {
			np_expr *e;
			np_esc esc;
			bool raw; /* ends in | safe, or super(): printed as is */
		} out;
		struct {
			np_expr **conds; /* n conditions for n bodies; else is separate */
			np_body *bodies;
			size_t n;
			np_body els;
		} cond;
		struct {
			np_str var, var2; /* var2.p != NULL for `for k, v in map` */
			np_expr *iter;
			np_body body, els;
		} loop;
		struct {
			np_str name;
			np_expr *e;
		} set;
		struct {
			np_str name;
			np_tmpl *t; /* resolved by the environment after parsing */
		} include;
		struct {
			np_str name;
			np_body body;
			uint8_t hctx;
			bool nested; /* inside another block of the same template */
		} block;
	} u;
};

struct np_tmpl {
	char *name; /* as asked for, e.g. "partials/nav.html" */
	char *path; /* the file it came from, for messages */
	np_buf src;
	np_arena arena;
	np_body body;
	np_node *extends; /* an NP_N_INCLUDE-shaped node naming the parent */
	np_tmpl *parent;
	np_node **blocks; /* every block in the template, in source order */
	size_t nblocks;
	np_node **includes; /* every include, for resolution */
	size_t nincludes;
	int state; /* 0 = loading, 1 = ok, -1 = failed */
};

/* Parses t->src (already loaded) into t->body with t->arena.  Returns 0 or
 * NP_EINVAL with diagnostics in d (only the first error is reported). */
int np_tmpl_parse(np_tmpl *t, np_diags *d);
/* The block called name defined in t itself, or NULL. */
np_node *np_tmpl_block(const np_tmpl *t, np_str name);

#endif
