#include "tmpl/tree.h"

#include <stdarg.h>
#include <stdlib.h>

#include "tmpl/filters.h"
#include "util/err.h"

typedef struct parser {
	np_tmpl *t;
	np_tokens toks;
	size_t pos;
	np_diags *d;
	np_arena *a;
	int err;
	unsigned depth;
	unsigned in_block;
	bool child;   /* the template extends another */
	bool content; /* non-blank content seen before any extends */
} parser;

/* Growable arrays of node pointers while a body is parsed (heap, then
 * copied into the arena at its final size). */
typedef struct nvec {
	void **items;
	size_t len, cap;
} nvec;

static void nvec_push(nvec *v, void *p)
{
	if (v->len == v->cap) {
		v->cap = v->cap ? np_mul(v->cap, 2) : 8;
		v->items = np_xrealloc(v->items, np_mul(v->cap, sizeof *v->items));
	}
	v->items[v->len++] = p;
}

static void *nvec_finish(np_arena *a, nvec *v)
{
	void **out = NP_ANEWN(a, void *, v->len ? v->len : 1);
	if (v->len)
		memcpy(out, v->items, v->len * sizeof *out);
	free(v->items);
	*v = (nvec){0};
	return out;
}

static const np_token *tok(parser *p)
{
	return &p->toks.items[p->pos];
}

static void perror_at(parser *p, const np_token *t, const char *fmt, ...) NP_PRINTF(3, 4);

static void perror_at(parser *p, const np_token *t, const char *fmt, ...)
{
	if (p->err)
		return;
	np_buf m;
	np_buf_init(&m);
	va_list ap;
	va_start(ap, fmt);
	np_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	np_diag_add_src(p->d, NP_ERROR, p->t->path, t->line, t->col,
	                np_src_line(np_str_of(&p->t->src), t->off), "%s", m.data);
	np_buf_dispose(&m);
	p->err = NP_EINVAL;
}

static bool is_name(const np_token *t, const char *w)
{
	return t->type == NP_T_NAME && np_str_eq_c(t->text, w);
}

static bool expect(parser *p, np_tok_type type, const char *what)
{
	if (tok(p)->type == type) {
		p->pos++;
		return true;
	}
	perror_at(p, tok(p), "expected %s, found %s", what, np_tok_describe(p->a, tok(p)));
	return false;
}

static bool enter_at(parser *p, const np_token *t)
{
	if (++p->depth > NP_TMPL_MAX_DEPTH) {
		perror_at(p, t, "nesting deeper than %d levels", NP_TMPL_MAX_DEPTH);
		return false;
	}
	return true;
}

static bool enter(parser *p)
{
	return enter_at(p, tok(p));
}

/* ---- expressions -------------------------------------------------------- */

static np_expr *parse_expr(parser *p);

static np_expr *enew(parser *p, np_expr_kind k, const np_token *t)
{
	np_expr *e = NP_ANEW(p->a, np_expr);
	e->kind = k;
	e->line = t->line;
	e->col = t->col;
	e->off = t->off;
	return e;
}

/* Sets e->src to the source from e's first token to the previous token. */
static np_expr *span(parser *p, np_expr *e)
{
	const np_token *last = &p->toks.items[p->pos - 1];
	const char *end = last->text.p + last->text.len;
	if (last->type == NP_T_STRING) { /* text is the decoded copy: rescan */
		end = p->t->src.data + last->off + 1;
		while (*end && *end != p->t->src.data[last->off])
			end += *end == '\\' && end[1] ? 2 : 1;
		end += *end != '\0';
	}
	e->src = (np_str){p->t->src.data + e->off, (size_t)(end - (p->t->src.data + e->off))};
	return e;
}

static np_expr *parse_name(parser *p, const np_token *t)
{
	np_expr *e = enew(p, NP_E_LIT, t);
	p->pos++;
	if (is_name(t, "true") || is_name(t, "false"))
		e->u.lit = *np_value_bool(is_name(t, "true"));
	else if (is_name(t, "none") || is_name(t, "null"))
		e->u.lit = *np_value_null();
	else if (is_name(t, "super") && tok(p)->type == NP_T_LPAREN) {
		p->pos++;
		if (!expect(p, NP_T_RPAREN, "')'"))
			return NULL;
		if (!p->in_block || !p->child) {
			perror_at(p, t,
			          "super() outside a block of a template that extends another");
			return NULL;
		}
		e->kind = NP_E_SUPER;
	} else {
		e->kind = NP_E_VAR;
		e->u.name = t->text;
	}
	return span(p, e);
}

static np_expr *parse_primary(parser *p)
{
	const np_token *t = tok(p);
	np_expr *e;
	switch (t->type) {
	case NP_T_NAME:
		return parse_name(p, t);
	case NP_T_STRING:
		e = enew(p, NP_E_LIT, t);
		e->u.lit = (np_value){.type = NP_V_STR, .u.s = t->text};
		p->pos++;
		return span(p, e);
	case NP_T_INT:
		e = enew(p, NP_E_LIT, t);
		e->u.lit = (np_value){.type = NP_V_INT, .u.i = t->ival};
		p->pos++;
		return span(p, e);
	case NP_T_LPAREN:
		if (!enter(p))
			return NULL;
		p->pos++;
		e = parse_expr(p);
		p->depth--;
		return e && expect(p, NP_T_RPAREN, "')'") ? e : NULL;
	default:
		perror_at(p, t, "expected an expression, found %s", np_tok_describe(p->a, t));
		return NULL;
	}
}

static bool parse_args(parser *p, np_expr *f)
{
	nvec args = {0};
	p->pos++; /* ( */
	while (!p->err && tok(p)->type != NP_T_RPAREN) {
		if (args.len && !expect(p, NP_T_COMMA, "',' or ')'"))
			break;
		np_expr *a = parse_expr(p);
		if (a)
			nvec_push(&args, a);
	}
	f->u.filter.nargs = args.len;
	f->u.filter.args = nvec_finish(p->a, &args);
	return !p->err && expect(p, NP_T_RPAREN, "')'");
}

static np_expr *parse_filter(parser *p, np_expr *in)
{
	const np_token *name = tok(p);
	if (!expect(p, NP_T_NAME, "a filter name"))
		return NULL;
	np_expr *f = enew(p, NP_E_FILTER, name);
	f->u.filter.in = in;
	f->u.filter.f = np_filter_find(name->text);
	if (!f->u.filter.f) {
		perror_at(p, name, "unknown filter '%.*s'", (int)name->text.len, name->text.p);
		return NULL;
	}
	if (tok(p)->type == NP_T_LPAREN && !parse_args(p, f))
		return NULL;
	const np_filter *fl = f->u.filter.f;
	size_t n = f->u.filter.nargs;
	if (n < fl->min_args || n > fl->max_args) {
		if (fl->min_args == fl->max_args)
			perror_at(p, name, "filter '%s' takes %u argument%s, not %zu", fl->name,
			          fl->min_args, fl->min_args == 1 ? "" : "s", n);
		else
			perror_at(p, name, "filter '%s' takes %u to %u arguments, not %zu",
			          fl->name, fl->min_args, fl->max_args, n);
		return NULL;
	}
	f->off = in->off, f->line = in->line, f->col = in->col;
	return span(p, f);
}

static np_expr *parse_postfix(parser *p)
{
	np_expr *e = parse_primary(p);
	while (e && !p->err) {
		np_tok_type ty = tok(p)->type;
		if (ty == NP_T_DOT) {
			p->pos++;
			const np_token *n = tok(p);
			if (!expect(p, NP_T_NAME, "a key name after '.'"))
				return NULL;
			np_expr *a = enew(p, NP_E_ATTR, n);
			a->u.attr.obj = e;
			a->u.attr.name = n->text;
			a->off = e->off, a->line = e->line, a->col = e->col;
			e = span(p, a);
		} else if (ty == NP_T_LBRACKET) {
			p->pos++;
			np_expr *x = enew(p, NP_E_INDEX, tok(p));
			x->u.index.obj = e;
			if (!(x->u.index.key = parse_expr(p)) || !expect(p, NP_T_RBRACKET, "']'"))
				return NULL;
			x->off = e->off, x->line = e->line, x->col = e->col;
			e = span(p, x);
		} else if (ty == NP_T_PIPE) {
			p->pos++;
			e = parse_filter(p, e);
		} else {
			break;
		}
	}
	return p->err ? NULL : e;
}

static np_expr *binary(parser *p, np_expr_kind k, np_tok_type op, np_expr *l, np_expr *r)
{
	np_expr *e = NP_ANEW(p->a, np_expr);
	*e = (np_expr){.kind = k, .line = l->line, .col = l->col, .off = l->off};
	e->u.bin.l = l;
	e->u.bin.r = r;
	e->u.bin.op = op;
	return span(p, e);
}

static np_expr *parse_cmp(parser *p)
{
	np_expr *l = parse_postfix(p);
	if (!l)
		return NULL;
	np_tok_type op = tok(p)->type;
	if (op >= NP_T_EQ && op <= NP_T_GE) {
		p->pos++;
		np_expr *r = parse_postfix(p);
		return r ? binary(p, NP_E_CMP, op, l, r) : NULL;
	}
	if (is_name(tok(p), "is")) {
		p->pos++;
		np_expr *e = binary(p, NP_E_DEFINED, NP_T_EOF, l, NULL);
		e->u.test.e = l;
		if ((e->u.test.negate = is_name(tok(p), "not")))
			p->pos++;
		if (!is_name(tok(p), "defined")) {
			perror_at(p, tok(p), "expected 'defined' after 'is', found %s",
			          np_tok_describe(p->a, tok(p)));
			return NULL;
		}
		p->pos++;
		return span(p, e);
	}
	return l;
}

static np_expr *parse_not(parser *p)
{
	const np_token *t = tok(p);
	if (!is_name(t, "not"))
		return parse_cmp(p);
	if (!enter(p))
		return NULL;
	p->pos++;
	np_expr *inner = parse_not(p);
	p->depth--;
	if (!inner)
		return NULL;
	np_expr *e = enew(p, NP_E_NOT, t);
	e->u.bin.l = inner;
	return span(p, e);
}

static np_expr *parse_and(parser *p)
{
	np_expr *l = parse_not(p);
	while (l && is_name(tok(p), "and")) {
		p->pos++;
		np_expr *r = parse_not(p);
		l = r ? binary(p, NP_E_AND, NP_T_EOF, l, r) : NULL;
	}
	return l;
}

static np_expr *parse_expr(parser *p)
{
	if (!enter(p))
		return NULL;
	np_expr *l = parse_and(p);
	while (l && is_name(tok(p), "or")) {
		p->pos++;
		np_expr *r = parse_and(p);
		l = r ? binary(p, NP_E_OR, NP_T_EOF, l, r) : NULL;
	}
	p->depth--;
	return l;
}

/* ---- statements ----------------------------------------------------------- */

static void parse_body(parser *p, np_body *b, const char *const *stops);

static np_node *nnew(parser *p, np_node_kind k, const np_token *t)
{
	np_node *n = NP_ANEW(p->a, np_node);
	n->kind = k;
	n->line = t->line;
	n->col = t->col;
	n->off = t->off;
	return n;
}

static bool close_tag(parser *p)
{
	return expect(p, NP_T_TAG_CLOSE, "'%}'");
}

/* The word of the tag that stopped a body: the token after {%. */
static const np_token *stop_word(parser *p)
{
	return &p->toks.items[p->pos + 1];
}

static void unclosed(parser *p, const np_token *open, const char *what, const char *end)
{
	perror_at(p, open, "'%s' is never closed: expected '{%% %s %%}'", what, end);
}

static np_node *parse_if(parser *p, const np_token *open)
{
	static const char *const stops[] = {"elif", "else", "endif", NULL};
	np_node *n = nnew(p, NP_N_IF, open);
	nvec conds = {0}, bodies = {0};
	bool els = false;
	for (;;) {
		np_expr *c = els ? NULL : parse_expr(p);
		if (p->err || !close_tag(p))
			break;
		np_body *b = els ? &n->u.cond.els : NP_ANEW(p->a, np_body);
		if (!els) {
			nvec_push(&conds, c);
			nvec_push(&bodies, b);
		}
		parse_body(p, b, els ? stops + 2 : stops);
		if (p->err)
			break;
		if (tok(p)->type == NP_T_EOF) {
			unclosed(p, open, "if", "endif");
			break;
		}
		const np_token *w = stop_word(p);
		p->pos += 2;
		if (is_name(w, "endif")) {
			close_tag(p);
			break;
		}
		els = is_name(w, "else");
	}
	n->u.cond.n = conds.len;
	n->u.cond.conds = nvec_finish(p->a, &conds);
	np_body **bs = nvec_finish(p->a, &bodies);
	n->u.cond.bodies = NP_ANEWN(p->a, np_body, n->u.cond.n ? n->u.cond.n : 1);
	for (size_t i = 0; i < n->u.cond.n; i++)
		n->u.cond.bodies[i] = *bs[i];
	return n;
}

static bool parse_for_head(parser *p, np_node *n)
{
	const np_token *v = tok(p);
	if (!expect(p, NP_T_NAME, "a loop variable name"))
		return false;
	n->u.loop.var = v->text;
	if (tok(p)->type == NP_T_COMMA) {
		p->pos++;
		v = tok(p);
		if (!expect(p, NP_T_NAME, "a second loop variable name"))
			return false;
		n->u.loop.var2 = v->text;
	}
	if (!is_name(tok(p), "in")) {
		perror_at(p, tok(p), "expected 'in', found %s", np_tok_describe(p->a, tok(p)));
		return false;
	}
	p->pos++;
	n->u.loop.iter = parse_expr(p);
	return n->u.loop.iter && close_tag(p);
}

static np_node *parse_for(parser *p, const np_token *open)
{
	static const char *const stops[] = {"else", "endfor", NULL};
	np_node *n = nnew(p, NP_N_FOR, open);
	if (!parse_for_head(p, n))
		return n;
	for (np_body *b = &n->u.loop.body; !p->err;) {
		parse_body(p, b, b == &n->u.loop.body ? stops : stops + 1);
		if (p->err)
			break;
		if (tok(p)->type == NP_T_EOF) {
			unclosed(p, open, "for", "endfor");
			break;
		}
		const np_token *w = stop_word(p);
		p->pos += 2;
		if (!close_tag(p) || is_name(w, "endfor"))
			break;
		b = &n->u.loop.els;
	}
	return n;
}

static np_node *parse_set(parser *p, const np_token *open)
{
	np_node *n = nnew(p, NP_N_SET, open);
	const np_token *v = tok(p);
	if (!expect(p, NP_T_NAME, "a variable name") || !expect(p, NP_T_ASSIGN, "'='"))
		return n;
	n->u.set.name = v->text;
	n->u.set.e = parse_expr(p);
	if (n->u.set.e)
		close_tag(p);
	return n;
}

/* include and extends: a literal template name. */
static np_node *parse_include(parser *p, const np_token *open, const char *word)
{
	np_node *n = nnew(p, NP_N_INCLUDE, open);
	const np_token *s = tok(p);
	if (s->type != NP_T_STRING) {
		perror_at(p, s, "'%s' needs a quoted template name, found %s", word,
		          np_tok_describe(p->a, s));
		return n;
	}
	p->pos++;
	n->u.include.name = s->text;
	if (!close_tag(p))
		return n;
	if (open->hctx != 0)
		perror_at(p, open, "'%s' must be in text, not in %s", word,
		          np_hctx_name(open->hctx));
	return n;
}

static void add_block(parser *p, np_node *n, const np_token *name)
{
	np_node *prev = np_tmpl_block(p->t, n->u.block.name);
	if (prev) {
		perror_at(p, name, "block '%.*s' is already defined at line %u",
		          (int)name->text.len, name->text.p, prev->line);
		return;
	}
	np_tmpl *t = p->t;
	np_node **bl = NP_ANEWN(p->a, np_node *, t->nblocks + 1);
	if (t->nblocks)
		memcpy(bl, t->blocks, t->nblocks * sizeof *bl);
	bl[t->nblocks++] = n;
	t->blocks = bl;
}

static np_node *parse_block(parser *p, const np_token *open)
{
	static const char *const stops[] = {"endblock", NULL};
	np_node *n = nnew(p, NP_N_BLOCK, open);
	n->u.block.hctx = open->hctx;
	n->u.block.nested = p->in_block > 0;
	const np_token *name = tok(p);
	if (!expect(p, NP_T_NAME, "a block name") || !close_tag(p))
		return n;
	n->u.block.name = name->text;
	add_block(p, n, name);
	p->in_block++;
	parse_body(p, &n->u.block.body, stops);
	p->in_block--;
	if (p->err)
		return n;
	if (tok(p)->type == NP_T_EOF) {
		unclosed(p, open, "block", "endblock");
		return n;
	}
	p->pos += 2;
	const np_token *end = tok(p);
	if (end->type == NP_T_NAME && !np_str_eq(end->text, name->text)) {
		perror_at(p, end, "'endblock %.*s' closes block '%.*s'", (int)end->text.len,
		          end->text.p, (int)name->text.len, name->text.p);
		return n;
	}
	if (end->type == NP_T_NAME)
		p->pos++;
	close_tag(p);
	return n;
}

static bool last_filter_is(const np_expr *e, const char *name)
{
	return e->kind == NP_E_FILTER && strcmp(e->u.filter.f->name, name) == 0;
}

/* Refuses outputs in HTML contexts that no escaping makes safe. */
static void check_context(parser *p, const np_token *open, np_node *n)
{
	const np_expr *e = n->u.out.e;
	bool safe = n->u.out.raw;
	switch (open->esc) {
	case NP_ESC_SCRIPT:
		if (!safe && !last_filter_is(e, "json"))
			perror_at(p, open,
			          "output inside <script> must end with '| json' or '| safe'");
		break;
	case NP_ESC_STYLE:
		if (!safe)
			perror_at(p, open, "output inside <style> must end with '| safe'");
		break;
	case NP_ESC_IN_TAG:
		if (!safe)
			perror_at(p, open,
			          "output inside an HTML tag must be in a quoted attribute "
			          "value (or end with '| safe')");
		break;
	case NP_ESC_UNQUOTED:
		perror_at(p, open, "output in an unquoted attribute value: quote the value");
		break;
	case NP_ESC_JS_ATTR:
		if (!safe)
			perror_at(p, open,
			          "output inside an event handler or style attribute is not "
			          "allowed (unless it ends with '| safe')");
		break;
	default:
		break;
	}
}

static np_node *parse_output(parser *p)
{
	const np_token *open = tok(p);
	np_node *n = nnew(p, NP_N_OUT, open);
	p->pos++;
	n->u.out.esc = open->esc;
	if (!(n->u.out.e = parse_expr(p)) || !expect(p, NP_T_OUT_CLOSE, "'}}'"))
		return n;
	n->u.out.raw = n->u.out.e->kind == NP_E_SUPER || last_filter_is(n->u.out.e, "safe");
	check_context(p, open, n);
	return n;
}

static bool blank(np_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (!strchr(" \t\r\n\f", s.p[i]))
			return false;
	return true;
}

static void record_include(parser *p, np_node *n)
{
	np_tmpl *t = p->t;
	np_node **v = NP_ANEWN(p->a, np_node *, t->nincludes + 1);
	if (t->nincludes)
		memcpy(v, t->includes, t->nincludes * sizeof *v);
	v[t->nincludes++] = n;
	t->includes = v;
}

static np_node *parse_extends(parser *p, const np_token *open, bool top)
{
	if (!top || p->content || p->child) {
		perror_at(p, open, "'extends' must be the first tag in the template");
		return NULL;
	}
	p->child = true;
	np_node *n = parse_include(p, open, "extends");
	p->t->extends = n;
	return NULL; /* not part of the body */
}

static const char *const ends[] = {"elif", "else", "endif", "endfor", "endblock", NULL};

static np_node *parse_tag(parser *p, const np_token *w, bool top)
{
	const np_token *open = tok(p);
	p->pos += 2;
	if (is_name(w, "extends"))
		return parse_extends(p, open, top);
	if (top && p->child && !is_name(w, "block")) {
		perror_at(p, open,
		          "'%.*s' outside a block in a template that extends another is "
		          "never rendered",
		          (int)w->text.len, w->text.p);
		return NULL;
	}
	p->content |= top;
	if (!enter_at(p, open))
		return NULL;
	np_node *n = NULL;
	if (is_name(w, "if"))
		n = parse_if(p, open);
	else if (is_name(w, "for"))
		n = parse_for(p, open);
	else if (is_name(w, "set"))
		n = parse_set(p, open);
	else if (is_name(w, "block"))
		n = parse_block(p, open);
	else if (is_name(w, "include"))
		record_include(p, n = parse_include(p, open, "include"));
	else
		perror_at(p, w, "unknown tag '%.*s'", (int)w->text.len, w->text.p);
	p->depth--;
	return n;
}

/* A stray end/middle tag: says what was expected instead. */
static void unexpected_end(parser *p, const np_token *w, const char *const *stops)
{
	if (!stops) {
		perror_at(p, w, "'%.*s' without a matching opening tag", (int)w->text.len,
		          w->text.p);
		return;
	}
	const char *want = stops[0];
	for (size_t i = 0; stops[i]; i++)
		if (!strncmp(stops[i], "end", 3))
			want = stops[i];
	perror_at(p, w, "unexpected '%.*s': expected '{%% %s %%}'", (int)w->text.len, w->text.p,
	          want);
}

static bool in_list(const np_token *w, const char *const *l)
{
	for (size_t i = 0; l && l[i]; i++)
		if (is_name(w, l[i]))
			return true;
	return false;
}

static np_node *parse_item(parser *p, const char *const *stops, bool *stop)
{
	const np_token *t = tok(p);
	bool top = stops == NULL;
	if (t->type == NP_T_TEXT) {
		np_node *n = nnew(p, NP_N_TEXT, t);
		n->u.text = t->text;
		p->pos++;
		if (top && !blank(t->text)) {
			if (p->child)
				perror_at(p, t,
				          "text outside a block in a template that extends "
				          "another is never rendered");
			p->content = true;
		}
		return n;
	}
	if (t->type == NP_T_OUT_OPEN) {
		if (top && p->child)
			perror_at(p, t,
			          "output outside a block in a template that extends another "
			          "is never rendered");
		p->content |= top;
		return parse_output(p);
	}
	const np_token *w = stop_word(p);
	if (w->type != NP_T_NAME) {
		perror_at(p, w, "expected a tag name, found %s", np_tok_describe(p->a, w));
		return NULL;
	}
	if (in_list(w, stops)) {
		*stop = true;
		return NULL;
	}
	if (in_list(w, ends)) {
		unexpected_end(p, w, stops);
		return NULL;
	}
	return parse_tag(p, w, top);
}

/* Parses items until EOF or a {% tag whose word is in stops (left
 * unconsumed); stops == NULL means the top level. */
static void parse_body(parser *p, np_body *b, const char *const *stops)
{
	nvec items = {0};
	bool stop = false;
	while (!p->err && !stop && tok(p)->type != NP_T_EOF) {
		np_node *n = parse_item(p, stops, &stop);
		if (n)
			nvec_push(&items, n);
	}
	b->len = items.len;
	b->items = (np_node **)nvec_finish(p->a, &items);
}

np_node *np_tmpl_block(const np_tmpl *t, np_str name)
{
	for (size_t i = 0; i < t->nblocks; i++)
		if (np_str_eq(t->blocks[i]->u.block.name, name))
			return t->blocks[i];
	return NULL;
}

int np_tmpl_parse(np_tmpl *t, np_diags *d)
{
	parser p = {.t = t, .d = d, .a = &t->arena};
	int rc = np_tmpl_lex(np_str_of(&t->src), t->path, &t->arena, &p.toks, d);
	if (rc)
		return rc;
	parse_body(&p, &t->body, NULL);
	np_tokens_dispose(&p.toks);
	return p.err;
}
