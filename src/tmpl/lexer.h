/* Template lexer: source bytes -> tokens, tracking the HTML context.
 *
 * Besides splitting text from {{ }}, {% %} and {# #}, the lexer runs a small
 * HTML state machine over the literal text so every {{ output knows whether
 * it sits in text, in a quoted attribute value, in a URL attribute (href,
 * src, ...) and where in the URL, inside <script>, or somewhere output is
 * not allowed (inside a tag, an unquoted value, an on* or style attribute).
 * Branch tags (if/elif/else/endif, for/else/endfor, block/endblock) save and
 * restore that state so an else branch starts where its if branch started,
 * and the lexer reports a branch that ends in another context.
 *
 * Whitespace control ({%- -%} {{- -}} {#- -#}) is applied here: the
 * neighbouring text token loses its whitespace. */
#ifndef NP_TMPL_LEXER_H
#define NP_TMPL_LEXER_H

#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"

typedef enum np_tok_type {
	NP_T_EOF,
	NP_T_TEXT,
	NP_T_OUT_OPEN,  /* {{ */
	NP_T_OUT_CLOSE, /* }} */
	NP_T_TAG_OPEN,  /* {% */
	NP_T_TAG_CLOSE, /* %} */
	NP_T_NAME,
	NP_T_STRING, /* text holds the decoded string */
	NP_T_INT,
	NP_T_DOT,
	NP_T_PIPE,
	NP_T_LPAREN,
	NP_T_RPAREN,
	NP_T_LBRACKET,
	NP_T_RBRACKET,
	NP_T_COMMA,
	NP_T_ASSIGN,
	NP_T_EQ,
	NP_T_NE,
	NP_T_LT,
	NP_T_GT,
	NP_T_LE,
	NP_T_GE
} np_tok_type;

/* The escaping an output needs, decided from the HTML context. */
typedef enum np_esc {
	NP_ESC_HTML,      /* text, RCDATA, comment, quoted ordinary attribute */
	NP_ESC_URL_START, /* first thing in a quoted URL attribute value */
	NP_ESC_URL_PATH,
	NP_ESC_URL_QUERY,
	NP_ESC_SCRIPT,   /* inside <script>: needs | json or | safe */
	NP_ESC_STYLE,    /* inside <style>: needs | safe */
	NP_ESC_IN_TAG,   /* between attributes: needs | safe */
	NP_ESC_UNQUOTED, /* unquoted attribute value: refused */
	NP_ESC_JS_ATTR   /* on* or style attribute: refused */
} np_esc;

typedef struct np_token {
	np_tok_type type;
	np_esc esc;   /* NP_T_OUT_OPEN: the context of this output */
	uint8_t hctx; /* NP_T_TAG_OPEN: the HTML context class (np_hctx_name) */
	np_str text;  /* source bytes, or the decoded string */
	int64_t ival;
	unsigned line, col; /* 1-based, columns in code points */
	size_t off;         /* byte offset in the source */
} np_token;

typedef struct np_tokens {
	np_token *items;
	size_t len, cap;
} np_tokens;

/* Splits src into tokens.  The array is heap memory the caller releases
 * with np_tokens_dispose(); decoded string literals live in a, other token
 * text points into src.  Reports errors to d under path; returns 0, or
 * NP_EINVAL with *out already disposed. */
int np_tmpl_lex(np_str src, const char *path, np_arena *a, np_tokens *out, np_diags *d);
void np_tokens_dispose(np_tokens *ts);
/* "text", "a double-quoted attribute value", ... for an hctx class. */
const char *np_hctx_name(unsigned hctx);
/* The source line holding byte offset off, without its newline. */
np_str np_src_line(np_str src, size_t off);
/* "'name'", "'{{'", "end of template"... describing t for messages, in a. */
const char *np_tok_describe(np_arena *a, const np_token *t);

#endif
