#include "tmpl/lexer.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

#include "util/err.h"
#include "util/utf8.h"

/* HTML tokenizer states, a subset of the WHATWG ones: enough to know where
 * an output lands, not to validate HTML. */
enum {
	H_TEXT,
	H_TAG_NAME,
	H_TAG,
	H_ATTR_NAME,
	H_AFTER_ATTR,
	H_BEFORE_VAL,
	H_VAL_DQ,
	H_VAL_SQ,
	H_VAL_UQ,
	H_COMMENT,
	H_RAW,   /* <script> or <style> content */
	H_RCDATA /* <title> or <textarea> content */
};
enum { A_PLAIN, A_URL, A_JS };
enum { NP_LEX_MAX_BRANCH = 256 };

typedef struct html {
	uint8_t st, attr;
	bool closing, val_text, val_query;
	uint8_t taglen, alen;
	char tag[12];   /* current tag name, lowercase, truncated */
	char aname[16]; /* current attribute name, lowercase, truncated */
} html;

typedef struct branch {
	html saved;
	bool and_text, or_query; /* over the branches that ended so far */
	bool has_else;
	const char *kind; /* "if", "for", "block" */
	unsigned line;
	uint8_t hctx;
} branch;

typedef struct lexer {
	np_str src;
	const char *path;
	np_arena *a;
	np_tokens *out;
	np_diags *d;
	size_t pos;
	size_t cur_off; /* line/col cursor */
	unsigned cur_line, cur_col;
	bool trim_next;
	int err;
	html h;
	branch *br;
	size_t depth;
} lexer;

const char *np_hctx_name(unsigned hctx)
{
	static const char *const names[] = {"text",
	                                    "a tag",
	                                    "a double-quoted attribute value",
	                                    "a single-quoted attribute value",
	                                    "an unquoted attribute value",
	                                    "an HTML comment",
	                                    "<script> or <style>",
	                                    "<title> or <textarea>"};
	return hctx < sizeof names / sizeof *names ? names[hctx] : "?";
}

static uint8_t hctx_of(const html *h)
{
	switch (h->st) {
	case H_TEXT:
		return 0;
	case H_VAL_DQ:
		return 2;
	case H_VAL_SQ:
		return 3;
	case H_VAL_UQ:
		return 4;
	case H_COMMENT:
		return 5;
	case H_RAW:
		return 6;
	case H_RCDATA:
		return 7;
	default:
		return 1;
	}
}

np_str np_src_line(np_str src, size_t off)
{
	size_t b = off > src.len ? src.len : off, e = b;
	while (b > 0 && src.p[b - 1] != '\n')
		b--;
	while (e < src.len && src.p[e] != '\n')
		e++;
	if (e > b && src.p[e - 1] == '\r')
		e--;
	return (np_str){src.p + b, e - b};
}

/* Moves the line/column cursor forward to byte offset off. */
static void advance(lexer *lx, size_t off)
{
	for (size_t i = lx->cur_off; i < off; i++) {
		unsigned char c = (unsigned char)lx->src.p[i];
		if (c == '\n') {
			lx->cur_line++;
			lx->cur_col = 1;
		} else if ((c & 0xC0) != 0x80) {
			lx->cur_col++;
		}
	}
	lx->cur_off = off;
}

static void lex_error(lexer *lx, size_t off, const char *fmt, ...) NP_PRINTF(3, 4);

static void lex_error(lexer *lx, size_t off, const char *fmt, ...)
{
	if (off < lx->cur_off) { /* an earlier position: count again */
		lx->cur_off = 0;
		lx->cur_line = lx->cur_col = 1;
	}
	advance(lx, off);
	np_buf m;
	np_buf_init(&m);
	va_list ap;
	va_start(ap, fmt);
	np_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	np_diag_add_src(lx->d, NP_ERROR, lx->path, lx->cur_line, lx->cur_col,
	                np_src_line(lx->src, off), "%s", m.data);
	np_buf_dispose(&m);
	lx->err = NP_EINVAL;
}

static np_token *push(lexer *lx, np_tok_type t, size_t off, size_t len)
{
	np_tokens *ts = lx->out;
	if (ts->len == ts->cap) {
		ts->cap = ts->cap ? np_mul(ts->cap, 2) : 256;
		ts->items = np_xrealloc(ts->items, np_mul(ts->cap, sizeof *ts->items));
	}
	advance(lx, off);
	np_token *k = &ts->items[ts->len++];
	*k = (np_token){.type = t,
	                .text = {lx->src.p + off, len},
	                .line = lx->cur_line,
	                .col = lx->cur_col,
	                .off = off};
	return k;
}

/* ---- HTML state machine ------------------------------------------------ */

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == ':' || c == '_';
}

static uint8_t attr_kind(const html *h)
{
	static const char *const url[] = {
	    "href",   "src",        "action", "formaction", "cite",     "poster",
	    "data",   "xlink:href", "srcset", "background", "manifest", "longdesc",
	    "usemap", "ping",       "icon",   "codebase",   "archive"};
	if ((h->alen >= 2 && h->aname[0] == 'o' && h->aname[1] == 'n') ||
	    strcmp(h->aname, "style") == 0)
		return A_JS;
	for (size_t i = 0; i < sizeof url / sizeof *url; i++)
		if (strcmp(h->aname, url[i]) == 0)
			return A_URL;
	return A_PLAIN;
}

static void tag_end(html *h)
{
	h->st = H_TEXT;
	if (h->closing)
		return;
	if (!strcmp(h->tag, "script") || !strcmp(h->tag, "style"))
		h->st = H_RAW;
	else if (!strcmp(h->tag, "title") || !strcmp(h->tag, "textarea"))
		h->st = H_RCDATA;
}

static void start_tag(html *h, bool closing)
{
	h->st = H_TAG_NAME;
	h->closing = closing;
	h->taglen = 0;
	h->tag[0] = '\0';
}

static void start_attr(html *h, char c)
{
	h->st = H_ATTR_NAME;
	h->alen = 0;
	h->aname[0] = '\0';
	if (h->alen + 1u < sizeof h->aname) {
		h->aname[h->alen++] = (char)tolower((unsigned char)c);
		h->aname[h->alen] = '\0';
	}
}

static void start_value(html *h, uint8_t st)
{
	h->st = st;
	h->attr = attr_kind(h);
	h->val_text = h->val_query = false;
}

/* The end tag of raw or RCDATA content at s[i] ("</script" etc.)? */
static bool raw_end(const html *h, np_str s, size_t i)
{
	size_t n = h->taglen;
	if (i + 2 + n > s.len || s.p[i] != '<' || s.p[i + 1] != '/')
		return false;
	for (size_t k = 0; k < n; k++)
		if (tolower((unsigned char)s.p[i + 2 + k]) != h->tag[k])
			return false;
	return true;
}

static void feed_text(html *h, np_str s, size_t i)
{
	char c = s.p[i], n = i + 1 < s.len ? s.p[i + 1] : '\0';
	if (c != '<')
		return;
	if (isalpha((unsigned char)n))
		start_tag(h, false);
	else if (n == '/' && i + 2 < s.len && isalpha((unsigned char)s.p[i + 2]))
		start_tag(h, true);
	else if (n == '!' && i + 3 < s.len && s.p[i + 2] == '-' && s.p[i + 3] == '-')
		h->st = H_COMMENT;
}

/* Returns how many bytes were consumed (1, or more for a whole token). */
static size_t feed(html *h, np_str s, size_t i)
{
	char c = s.p[i];
	bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
	switch (h->st) {
	case H_TEXT:
		feed_text(h, s, i);
		return h->st == H_TAG_NAME ? (h->closing ? 2 : 1) : h->st == H_COMMENT ? 4 : 1;
	case H_TAG_NAME:
		if (name_char(c)) {
			if (h->taglen + 1u < sizeof h->tag) {
				h->tag[h->taglen++] = (char)tolower((unsigned char)c);
				h->tag[h->taglen] = '\0';
			}
		} else if (c == '>') {
			tag_end(h);
		} else {
			h->st = H_TAG;
		}
		return 1;
	case H_TAG:
	case H_AFTER_ATTR:
		if (c == '>')
			tag_end(h);
		else if (c == '=' && h->st == H_AFTER_ATTR)
			h->st = H_BEFORE_VAL;
		else if (!ws && c != '/')
			start_attr(h, c);
		return 1;
	case H_ATTR_NAME:
		if (c == '=')
			h->st = H_BEFORE_VAL;
		else if (c == '>')
			tag_end(h);
		else if (ws || c == '/')
			h->st = H_AFTER_ATTR;
		else if (h->alen + 1u < sizeof h->aname) {
			h->aname[h->alen++] = (char)tolower((unsigned char)c);
			h->aname[h->alen] = '\0';
		}
		return 1;
	case H_BEFORE_VAL:
		if (c == '"')
			start_value(h, H_VAL_DQ);
		else if (c == '\'')
			start_value(h, H_VAL_SQ);
		else if (c == '>')
			tag_end(h);
		else if (!ws) {
			start_value(h, H_VAL_UQ);
			h->val_text = true;
		}
		return 1;
	case H_VAL_DQ:
	case H_VAL_SQ:
		if (c == (h->st == H_VAL_DQ ? '"' : '\'')) {
			h->st = H_TAG;
		} else {
			h->val_text = true;
			if (c == '?' || c == '#')
				h->val_query = true;
		}
		return 1;
	case H_VAL_UQ:
		if (c == '>')
			tag_end(h);
		else if (ws)
			h->st = H_TAG;
		return 1;
	case H_COMMENT:
		if (c == '-' && i + 2 < s.len && s.p[i + 1] == '-' && s.p[i + 2] == '>') {
			h->st = H_TEXT;
			return 3;
		}
		return 1;
	case H_RAW:
	case H_RCDATA:
		if (raw_end(h, s, i)) {
			h->closing = true;
			h->st = H_TAG_NAME;
			return 2 + h->taglen;
		}
		return 1;
	}
	return 1;
}

static void html_feed(html *h, np_str s)
{
	for (size_t i = 0; i < s.len;)
		i += feed(h, s, i);
}

static np_esc esc_for(const html *h)
{
	switch (h->st) {
	case H_TEXT:
	case H_COMMENT:
	case H_RCDATA:
		return NP_ESC_HTML;
	case H_VAL_DQ:
	case H_VAL_SQ:
		if (h->attr == A_JS)
			return NP_ESC_JS_ATTR;
		if (h->attr == A_PLAIN)
			return NP_ESC_HTML;
		return !h->val_text   ? NP_ESC_URL_START
		       : h->val_query ? NP_ESC_URL_QUERY
		                      : NP_ESC_URL_PATH;
	case H_VAL_UQ:
	case H_BEFORE_VAL:
		return NP_ESC_UNQUOTED;
	case H_RAW:
		return strcmp(h->tag, "style") == 0 ? NP_ESC_STYLE : NP_ESC_SCRIPT;
	default:
		return NP_ESC_IN_TAG;
	}
}

/* ---- branch tracking --------------------------------------------------- */

static const char *tag_word(lexer *lx, size_t open)
{
	np_tokens *ts = lx->out;
	if (open + 1 >= ts->len || ts->items[open + 1].type != NP_T_NAME)
		return "";
	np_str w = ts->items[open + 1].text;
	static const char *const words[] = {"if",   "for",   "block",  "elif",
	                                    "else", "endif", "endfor", "endblock"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (np_str_eq_c(w, words[i]))
			return words[i];
	return "";
}

static bool check_branch(lexer *lx, const branch *b, const np_token *t, const char *w)
{
	uint8_t now = hctx_of(&lx->h);
	if (now == b->hctx)
		return true;
	lex_error(lx, t->off,
	          "'%s' is in %s but its '%s' (line %u) is in %s; a branch must end in the HTML "
	          "context it started in",
	          w, np_hctx_name(now), b->kind, b->line, np_hctx_name(b->hctx));
	return false;
}

/* Called after a whole {% ... %} tag starting at token index open. */
static void track_branch(lexer *lx, size_t open)
{
	const char *w = tag_word(lx, open);
	const np_token *t = &lx->out->items[open];
	branch *b = lx->depth && lx->depth <= NP_LEX_MAX_BRANCH ? &lx->br[lx->depth - 1] : NULL;
	if (!strcmp(w, "if") || !strcmp(w, "for") || !strcmp(w, "block")) {
		if (lx->depth++ < NP_LEX_MAX_BRANCH)
			lx->br[lx->depth - 1] =
			    (branch){lx->h, true, false, false, w, t->line, hctx_of(&lx->h)};
	} else if (!strcmp(w, "elif") || !strcmp(w, "else")) {
		if (b && strcmp(b->kind, "block") && check_branch(lx, b, t, w)) {
			b->and_text &= lx->h.val_text;
			b->or_query |= lx->h.val_query;
			b->has_else |= w[1] == 'l' && w[2] == 's';
			lx->h = b->saved;
		}
	} else if (!strncmp(w, "end", 3)) {
		if (!lx->depth)
			return;
		lx->depth--;
		if (b && !strcmp(b->kind, w + 3) && check_branch(lx, b, t, w)) {
			if (!b->has_else) { /* the implicit empty branch */
				b->and_text &= b->saved.val_text;
				b->or_query |= b->saved.val_query;
			}
			lx->h.val_text = lx->h.val_text && b->and_text;
			lx->h.val_query = lx->h.val_query || b->or_query;
		}
	}
}

/* ---- tokens inside {{ }} and {% %} ------------------------------------- */

static size_t lex_string(lexer *lx, size_t i)
{
	char q = lx->src.p[i];
	size_t start = i++;
	np_buf b;
	np_buf_init(&b);
	for (; i < lx->src.len && lx->src.p[i] != q && lx->src.p[i] != '\n'; i++) {
		char c = lx->src.p[i];
		if (c == '\\' && i + 1 < lx->src.len) {
			c = lx->src.p[++i];
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		np_buf_putc(&b, c);
	}
	if (i >= lx->src.len || lx->src.p[i] != q) {
		lex_error(lx, start, "unterminated string");
	} else {
		np_token *t = push(lx, NP_T_STRING, start, 0);
		t->text = np_arena_str(lx->a, np_str_of(&b));
	}
	np_buf_dispose(&b);
	return i + 1;
}

static size_t lex_int(lexer *lx, size_t i)
{
	size_t start = i;
	int64_t v = 0;
	bool neg = lx->src.p[i] == '-';
	if (neg)
		i++;
	for (; i < lx->src.len && isdigit((unsigned char)lx->src.p[i]); i++) {
		if (v > (INT64_MAX - 9) / 10) {
			lex_error(lx, start, "integer literal too large");
			return i + 1;
		}
		v = v * 10 + (lx->src.p[i] - '0');
	}
	push(lx, NP_T_INT, start, i - start)->ival = neg ? -v : v;
	return i;
}

static size_t lex_op(lexer *lx, size_t i)
{
	static const struct {
		const char *s;
		np_tok_type t;
	} ops[] = {{"==", NP_T_EQ},      {"!=", NP_T_NE},    {"<=", NP_T_LE},
	           {">=", NP_T_GE},      {".", NP_T_DOT},    {"|", NP_T_PIPE},
	           {"(", NP_T_LPAREN},   {")", NP_T_RPAREN}, {"[", NP_T_LBRACKET},
	           {"]", NP_T_RBRACKET}, {",", NP_T_COMMA},  {"=", NP_T_ASSIGN},
	           {"<", NP_T_LT},       {">", NP_T_GT}};
	np_str rest = {lx->src.p + i, lx->src.len - i};
	for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
		np_str o = np_str_from(ops[k].s);
		if (np_str_starts(rest, o)) {
			push(lx, ops[k].t, i, o.len);
			return i + o.len;
		}
	}
	uint32_t cp;
	size_t n = np_utf8_decode(rest.p, rest.len, &cp);
	lex_error(lx, i, "unexpected character '%.*s'", (int)n, rest.p);
	return i + n;
}

/* Lexes one token inside a tag at i; returns the new position. */
static size_t lex_inner(lexer *lx, size_t i)
{
	const char *s = lx->src.p;
	char c = s[i];
	if (isalpha((unsigned char)c) || c == '_') {
		size_t j = i;
		while (j < lx->src.len && (isalnum((unsigned char)s[j]) || s[j] == '_'))
			j++;
		push(lx, NP_T_NAME, i, j - i);
		return j;
	}
	if (c == '"' || c == '\'')
		return lex_string(lx, i);
	if (isdigit((unsigned char)c) ||
	    (c == '-' && i + 1 < lx->src.len && isdigit((unsigned char)s[i + 1])))
		return lex_int(lx, i);
	return lex_op(lx, i);
}

/* ---- main loop ---------------------------------------------------------- */

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void trim_prev(lexer *lx)
{
	np_tokens *ts = lx->out;
	if (ts->len && ts->items[ts->len - 1].type == NP_T_TEXT) {
		np_str *t = &ts->items[ts->len - 1].text;
		while (t->len && is_ws(t->p[t->len - 1]))
			t->len--;
	}
}

static void lex_text(lexer *lx, size_t from, size_t to)
{
	np_str s = {lx->src.p + from, to - from};
	html_feed(&lx->h, s);
	if (lx->trim_next)
		while (s.len && is_ws(s.p[0]))
			s.p++, s.len--;
	lx->trim_next = false;
	if (s.len)
		push(lx, NP_T_TEXT, (size_t)(s.p - lx->src.p), s.len);
}

static size_t lex_comment(lexer *lx, size_t i)
{
	np_str rest = {lx->src.p + i, lx->src.len - i};
	size_t end = np_str_find(rest, NP_STR("#}"));
	if (end == (size_t)-1) {
		lex_error(lx, i, "unclosed comment: expected '#}'");
		return lx->src.len;
	}
	if (rest.len > 2 && rest.p[2] == '-')
		trim_prev(lx);
	lx->trim_next = end > 2 && rest.p[end - 1] == '-';
	return i + end + 2;
}

/* Lexes a {{ ... }} or {% ... %} starting at i; returns the position after
 * its closer. */
static size_t lex_tag(lexer *lx, size_t i)
{
	const char *s = lx->src.p;
	bool out = s[i + 1] == '{';
	size_t open = lx->out->len, start = i;
	if (i + 2 < lx->src.len && s[i + 2] == '-')
		trim_prev(lx);
	np_token *t = push(lx, out ? NP_T_OUT_OPEN : NP_T_TAG_OPEN, i, 2);
	t->esc = esc_for(&lx->h);
	t->hctx = hctx_of(&lx->h);
	i += i + 2 < lx->src.len && s[i + 2] == '-' ? 3 : 2;
	char close = out ? '}' : '%', other = out ? '%' : '}';
	while (!lx->err) {
		while (i < lx->src.len && is_ws(s[i]))
			i++;
		if (i + 1 >= lx->src.len || (s[i] == '{' && s[i + 1] && strchr("{%#", s[i + 1]))) {
			lex_error(lx, start, "unclosed '%s': expected '%s'", out ? "{{" : "{%",
			          out ? "}}" : "%}");
			break;
		}
		bool dash = s[i] == '-' && i + 2 < lx->src.len && s[i + 2] == '}';
		char c0 = s[i + dash], c1 = s[i + dash + 1];
		if ((c0 == close || c0 == other) && c1 == '}') {
			if (c0 == other) {
				lex_error(lx, i, "'%s' closed by '%c}'", out ? "{{" : "{%", other);
				break;
			}
			push(lx, out ? NP_T_OUT_CLOSE : NP_T_TAG_CLOSE, i, 2 + dash);
			lx->trim_next = dash;
			i += 2 + dash;
			break;
		}
		i = lex_inner(lx, i);
	}
	if (!lx->err && out && (lx->h.st == H_VAL_DQ || lx->h.st == H_VAL_SQ))
		lx->h.val_text = true;
	if (!lx->err && !out)
		track_branch(lx, open);
	return i;
}

static size_t next_open(np_str src, size_t i)
{
	while (i + 1 < src.len) {
		const char *p = memchr(src.p + i, '{', src.len - i - 1);
		if (!p)
			return src.len;
		i = (size_t)(p - src.p);
		if (strchr("{%#", src.p[i + 1]) && src.p[i + 1])
			return i;
		i++;
	}
	return src.len;
}

int np_tmpl_lex(np_str src, const char *path, np_arena *a, np_tokens *out, np_diags *d)
{
	lexer lx = {
	    .src = src, .path = path, .a = a, .out = out, .d = d, .cur_line = 1, .cur_col = 1};
	lx.br = np_xmalloc(sizeof(branch) * NP_LEX_MAX_BRANCH);
	memset(out, 0, sizeof *out);
	size_t i = 0;
	while (i < src.len && !lx.err) {
		size_t k = next_open(src, i);
		if (k > i)
			lex_text(&lx, i, k);
		if (k >= src.len)
			break;
		i = src.p[k + 1] == '#' ? lex_comment(&lx, k) : lex_tag(&lx, k);
	}
	if (!lx.err)
		push(&lx, NP_T_EOF, src.len, 0);
	free(lx.br);
	if (lx.err)
		np_tokens_dispose(out);
	return lx.err;
}

void np_tokens_dispose(np_tokens *ts)
{
	free(ts->items);
	memset(ts, 0, sizeof *ts);
}

const char *np_tok_describe(np_arena *a, const np_token *t)
{
	switch (t->type) {
	case NP_T_EOF:
		return "end of template";
	case NP_T_STRING:
		return "a string";
	case NP_T_OUT_CLOSE:
		return "'}}'";
	case NP_T_TAG_CLOSE:
		return "'%}'";
	default:
		return np_arena_printf(a, "'%.*s'", (int)t->text.len, t->text.p);
	}
}
