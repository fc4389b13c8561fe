#include "tmpl/eval.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "tmpl/escape.h"
#include "tmpl/filters.h"
#include "util/err.h"
#include "util/hash.h"

/* Include and block nesting summed over templates: each level is a few C
 * stack frames, so this bounds the evaluator's recursion. */
enum { NP_EVAL_MAX_DEPTH = 1000 };
/* Budgets that stop a template that would run away (nested loops multiply:
 * 22 loops over 3 items are 3^22 iterations) with an error at the loop,
 * long before memory or time run out.  No page of an archive comes near
 * either; a loop over 1,000,000 items stays well inside. */
#define NP_EVAL_MAX_OUTPUT ((size_t)256 << 20)
#define NP_EVAL_MAX_STEPS ((size_t)50000000)

typedef struct np_tmpl_loop {
	size_t index0, length;
} np_tmpl_loop;

int np_rerror(np_rctx *r, unsigned line, unsigned col, size_t off, const char *fmt, ...)
{
	if (r->err)
		return r->err;
	np_buf m;
	np_buf_init(&m);
	np_buf_printf(&m, "%s:%u:%u: ", r->cur->path, line, col);
	size_t prefix = m.len;
	va_list ap;
	va_start(ap, fmt);
	np_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	if (!r->env || np_tmpl_env_once(r->env, np_hash64(m.data, m.len)))
		np_diag_add_src(r->d, NP_ERROR, r->cur->path, line, col,
		                np_src_line(np_str_of(&r->cur->src), off), "%s", m.data + prefix);
	np_buf_dispose(&m);
	return r->err = NP_EINVAL;
}

static int eval(np_rctx *r, const np_expr *e, np_lenient len, np_value *out);
static int eval_body(np_rctx *r, const np_body *b);

/* ---- variables ---------------------------------------------------------- */

static np_value undef(void)
{
	return (np_value){.type = NP_V_UNDEF};
}

static const np_value *lookup(const np_rctx *r, np_str name)
{
	for (size_t i = r->nlocals; i-- > 0;)
		if (np_str_eq(r->locals[i].name, name))
			return &r->locals[i].v;
	if (r->ctx && r->ctx->type == NP_V_MAP)
		return np_value_map_get(r->ctx, name);
	return NULL;
}

static int eval_var(np_rctx *r, const np_expr *e, np_lenient len, np_value *out)
{
	const np_value *v = lookup(r, e->u.name);
	if (v) {
		*out = *np_value_force(v);
		return 0;
	}
	if (len == NP_L_ANY) {
		*out = undef();
		return 0;
	}
	return NP_RERR(r, e, "unknown variable '%.*s'", (int)e->u.name.len, e->u.name.p);
}

static void push_local(np_rctx *r, np_str name, const np_value *v)
{
	if (r->nlocals == r->cap) {
		r->cap = r->cap ? np_mul(r->cap, 2) : 16;
		r->locals = np_xrealloc(r->locals, np_mul(r->cap, sizeof *r->locals));
	}
	r->locals[r->nlocals++] = (np_local){name, *v};
}

/* `set`: assigns in the innermost scope (a loop body is one). */
static void set_local(np_rctx *r, np_str name, const np_value *v)
{
	for (size_t i = r->nlocals; i-- > r->scope;)
		if (np_str_eq(r->locals[i].name, name)) {
			r->locals[i].v = *v;
			return;
		}
	push_local(r, name, v);
}

static int loop_attr(np_rctx *r, const np_expr *e, const np_tmpl_loop *l, np_value *out)
{
	np_str k = e->u.attr.name;
	*out = (np_value){.type = NP_V_INT};
	if (np_str_eq_c(k, "index"))
		out->u.i = (int64_t)l->index0 + 1;
	else if (np_str_eq_c(k, "index0"))
		out->u.i = (int64_t)l->index0;
	else if (np_str_eq_c(k, "length"))
		out->u.i = (int64_t)l->length;
	else if (np_str_eq_c(k, "revindex"))
		out->u.i = (int64_t)(l->length - l->index0);
	else if (np_str_eq_c(k, "first"))
		*out = *np_value_bool(l->index0 == 0);
	else if (np_str_eq_c(k, "last"))
		*out = *np_value_bool(l->index0 + 1 == l->length);
	else
		return NP_RERR(r, e, "loop has no attribute '%.*s'", (int)k.len, k.p);
	return 0;
}

static int eval_attr(np_rctx *r, const np_expr *e, np_lenient len, np_value *out)
{
	np_value o;
	int rc = eval(r, e->u.attr.obj, len, &o);
	if (rc)
		return rc;
	np_str k = e->u.attr.name;
	const np_expr *oe = e->u.attr.obj;
	if (o.type == NP_V_LOOP)
		return loop_attr(r, e, o.u.loop, out);
	if (o.type == NP_V_MAP) {
		const np_value *v = np_value_map_get(&o, k);
		if (v) {
			*out = *np_value_force(v);
			return 0;
		}
		if (len != NP_L_STRICT) {
			*out = undef();
			return 0;
		}
		return NP_RERR(r, e, "'%.*s' has no key '%.*s'", (int)oe->src.len, oe->src.p,
		               (int)k.len, k.p);
	}
	if (len != NP_L_STRICT && (o.type == NP_V_UNDEF || o.type == NP_V_NULL)) {
		*out = undef();
		return 0;
	}
	const char *art = o.type == NP_V_NULL ? "" : o.type == NP_V_INT ? "an " : "a ";
	return NP_RERR(r, e, "'%.*s' is %s%s, not a map", (int)oe->src.len, oe->src.p, art,
	               np_value_type_name(&o));
}

static int eval_index(np_rctx *r, const np_expr *e, np_lenient len, np_value *out)
{
	np_value o, k;
	int rc = eval(r, e->u.index.obj, len, &o);
	if (!rc)
		rc = eval(r, e->u.index.key, NP_L_STRICT, &k);
	if (rc)
		return rc;
	const np_expr *oe = e->u.index.obj;
	const np_value *v = NULL;
	if (o.type == NP_V_LIST && k.type == NP_V_INT) {
		int64_t i = k.u.i < 0 ? k.u.i + (int64_t)o.u.list->len : k.u.i;
		v = i >= 0 && (uint64_t)i < o.u.list->len ? o.u.list->items[i] : NULL;
	} else if (o.type == NP_V_MAP && k.type == NP_V_STR) {
		v = np_value_map_get(&o, k.u.s);
	} else if (!(len != NP_L_STRICT && (o.type == NP_V_UNDEF || o.type == NP_V_NULL))) {
		return NP_RERR(r, e, "cannot index %s '%.*s' with %s", np_value_type_name(&o),
		               (int)oe->src.len, oe->src.p, np_value_type_name(&k));
	}
	if (v)
		*out = *np_value_force(v);
	else if (len != NP_L_STRICT)
		*out = undef();
	else
		return NP_RERR(r, e->u.index.key, "'%.*s' has no item '%.*s'", (int)oe->src.len,
		               oe->src.p, (int)e->u.index.key->src.len, e->u.index.key->src.p);
	return 0;
}

static int eval_filter(np_rctx *r, const np_expr *e, np_value *out)
{
	const np_filter *f = e->u.filter.f;
	np_value args[4];
	int rc = eval(r, e->u.filter.in, f->lenient ? NP_L_KEY : NP_L_STRICT, out);
	for (size_t i = 0; !rc && i < e->u.filter.nargs; i++)
		rc = eval(r, e->u.filter.args[i], NP_L_STRICT, &args[i]);
	return rc ? rc : f->fn(r, e, out, args);
}

static int cmp_values(np_rctx *r, const np_expr *e, const np_value *a, const np_value *b, int *res)
{
	if (a->type == NP_V_INT && b->type == NP_V_INT)
		*res = (a->u.i > b->u.i) - (a->u.i < b->u.i);
	else if (a->type == NP_V_STR && b->type == NP_V_STR) {
		size_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
		int c = n ? memcmp(a->u.s.p, b->u.s.p, n) : 0;
		*res = c ? c : (a->u.s.len > b->u.s.len) - (a->u.s.len < b->u.s.len);
	} else if (a->type == NP_V_DATE && b->type == NP_V_DATE) {
		long x = a->u.date.y * 10000L + a->u.date.m * 100 + a->u.date.d;
		long y = b->u.date.y * 10000L + b->u.date.m * 100 + b->u.date.d;
		*res = (x > y) - (x < y);
	} else if (a->type == NP_V_BOOL && b->type == NP_V_BOOL) {
		*res = (int)a->u.b - (int)b->u.b;
	} else if (a->type == NP_V_NULL && b->type == NP_V_NULL) {
		*res = 0;
	} else {
		return NP_RERR(r, e, "cannot compare %s with %s", np_value_type_name(a),
		               np_value_type_name(b));
	}
	return 0;
}

static int eval_cmp(np_rctx *r, const np_expr *e, np_value *out)
{
	np_value a, b;
	int rc = eval(r, e->u.bin.l, NP_L_STRICT, &a), c = 0;
	if (!rc)
		rc = eval(r, e->u.bin.r, NP_L_STRICT, &b);
	if (rc)
		return rc;
	np_tok_type op = e->u.bin.op;
	bool eq_op = op == NP_T_EQ || op == NP_T_NE;
	if (eq_op && a.type != b.type) {
		*out = *np_value_bool(op == NP_T_NE); /* different types are unequal */
		return 0;
	}
	if (eq_op && (a.type == NP_V_LIST || a.type == NP_V_MAP))
		c = a.u.list != b.u.list; /* identity */
	else if ((rc = cmp_values(r, e, &a, &b, &c)))
		return rc;
	bool v = op == NP_T_EQ   ? c == 0
	         : op == NP_T_NE ? c != 0
	         : op == NP_T_LT ? c < 0
	         : op == NP_T_GT ? c > 0
	         : op == NP_T_LE ? c <= 0
	                         : c >= 0;
	*out = *np_value_bool(v);
	return 0;
}

static int eval_logic(np_rctx *r, const np_expr *e, np_lenient len, np_value *out)
{
	np_value a;
	int rc = eval(r, e->u.bin.l, len, &a);
	if (rc)
		return rc;
	bool t = np_value_truthy(&a);
	if (e->kind == NP_E_NOT) {
		*out = *np_value_bool(!t);
		return 0;
	}
	if (t == (e->kind == NP_E_OR)) { /* short circuit */
		*out = *np_value_bool(t);
		return 0;
	}
	if ((rc = eval(r, e->u.bin.r, len, &a)))
		return rc;
	*out = *np_value_bool(np_value_truthy(&a));
	return 0;
}

static int eval(np_rctx *r, const np_expr *e, np_lenient len, np_value *out)
{
	switch (e->kind) {
	case NP_E_LIT:
		*out = e->u.lit;
		return 0;
	case NP_E_VAR:
		return eval_var(r, e, len, out);
	case NP_E_ATTR:
		return eval_attr(r, e, len, out);
	case NP_E_INDEX:
		return eval_index(r, e, len, out);
	case NP_E_FILTER:
		return eval_filter(r, e, out);
	case NP_E_NOT:
	case NP_E_AND:
	case NP_E_OR:
		return eval_logic(r, e, len, out);
	case NP_E_CMP:
		return eval_cmp(r, e, out);
	case NP_E_DEFINED: {
		int rc = eval(r, e->u.test.e, NP_L_ANY, out);
		if (!rc)
			*out = *np_value_bool((out->type != NP_V_UNDEF) != e->u.test.negate);
		return rc;
	}
	case NP_E_SUPER:
		return NP_RERR(r, e, "super() can only be printed directly, as {{ super() }}");
	}
	return NP_RERR(r, e, "internal error: unknown expression");
}

/* ---- output --------------------------------------------------------------- */

static void put_digits(char *p, int v, int n)
{
	v = v < 0 ? -v : v;
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void np_date_iso(const np_value *v, char out[11])
{
	put_digits(out, v->u.date.y, 4);
	out[4] = '-';
	put_digits(out + 5, v->u.date.m, 2);
	out[7] = '-';
	put_digits(out + 8, v->u.date.d, 2);
	out[10] = '\0';
}

static void put_escaped(np_rctx *r, np_esc esc, np_str s)
{
	switch (esc) {
	case NP_ESC_URL_START:
		np_escape_url(r->out, s, NP_URL_START);
		break;
	case NP_ESC_URL_PATH:
		np_escape_url(r->out, s, NP_URL_PATH);
		break;
	case NP_ESC_URL_QUERY:
		np_escape_url(r->out, s, NP_URL_QUERY);
		break;
	case NP_ESC_SCRIPT: /* the parser made sure it went through json */
		np_buf_putstr(r->out, s);
		break;
	default:
		np_escape_html(r->out, s);
	}
}

static int print_value(np_rctx *r, const np_node *n, const np_value *v)
{
	char tmp[32];
	switch (v->type) {
	case NP_V_STR:
		if (v->safe || n->u.out.raw)
			np_buf_putstr(r->out, v->u.s);
		else
			put_escaped(r, n->u.out.esc, v->u.s);
		return 0;
	case NP_V_INT:
		snprintf(tmp, sizeof tmp, "%" PRId64, v->u.i);
		np_buf_puts(r->out, tmp);
		return 0;
	case NP_V_BOOL:
		np_buf_puts(r->out, v->u.b ? "true" : "false");
		return 0;
	case NP_V_NULL:
	case NP_V_UNDEF:
		return 0;
	case NP_V_DATE:
		np_date_iso(v, tmp);
		np_buf_puts(r->out, tmp);
		return 0;
	default: {
		const np_expr *e = n->u.out.e;
		return NP_RERR(r, e, "cannot print %s '%.*s'; use a for loop or '| join'",
		               np_value_type_name(v), (int)e->src.len, e->src.p);
	}
	}
}

/* ---- nodes ------------------------------------------------------------------ */

static int render_block_at(np_rctx *r, const np_tmpl *t, const np_node *b)
{
	np_block_frame f = {b->u.block.name, t, r->block};
	const np_tmpl *cur = r->cur;
	const np_block_frame *up = r->block;
	r->cur = t;
	r->block = &f;
	int rc = eval_body(r, &b->u.block.body);
	r->cur = cur;
	r->block = up;
	return rc;
}

static int eval_super(np_rctx *r, const np_node *n)
{
	const np_block_frame *f = r->block;
	for (const np_tmpl *t = f ? f->level->parent : NULL; t; t = t->parent) {
		const np_node *b = np_tmpl_block(t, f->name);
		if (b)
			return render_block_at(r, t, b);
	}
	return NP_RERR(r, n->u.out.e, "super(): no block '%.*s' in a parent template",
	               f ? (int)f->name.len : 0, f ? f->name.p : "");
}

static int eval_out(np_rctx *r, const np_node *n)
{
	if (n->u.out.e->kind == NP_E_SUPER)
		return eval_super(r, n);
	np_value v;
	int rc = eval(r, n->u.out.e, NP_L_STRICT, &v);
	return rc ? rc : print_value(r, n, &v);
}

static int eval_if(np_rctx *r, const np_node *n)
{
	for (size_t i = 0; i < n->u.cond.n; i++) {
		np_value c;
		int rc = eval(r, n->u.cond.conds[i], NP_L_KEY, &c);
		if (rc)
			return rc;
		if (np_value_truthy(&c))
			return eval_body(r, &n->u.cond.bodies[i]);
	}
	return eval_body(r, &n->u.cond.els);
}

/* One iteration: binds the loop names (slots k, k+1) and runs the body. */
static int loop_iter(np_rctx *r, const np_node *n, size_t k, const np_value *a, const np_value *b)
{
	if (++r->steps > NP_EVAL_MAX_STEPS || r->out->len - r->out_start > NP_EVAL_MAX_OUTPUT)
		return np_rerror(r, n->line, n->col, n->off,
		                 "this loop runs away: more than %zu iterations or %zu MiB of output "
		                 "in one page",
		                 NP_EVAL_MAX_STEPS, NP_EVAL_MAX_OUTPUT >> 20);
	r->locals[k].v = *np_value_force(a);
	if (b)
		r->locals[k + 1].v = *np_value_force(b);
	r->nlocals = k + 3; /* drop what `set` added in the previous iteration */
	r->scope = r->nlocals;
	return eval_body(r, &n->u.loop.body);
}

static int check_iter(np_rctx *r, const np_node *n, const np_value *it)
{
	bool two = n->u.loop.var2.p != NULL;
	const np_expr *e = n->u.loop.iter;
	if (it->type == NP_V_LIST && two)
		return NP_RERR(r, e, "'%.*s' is a list: loop over it with one name",
		               (int)e->src.len, e->src.p);
	if (it->type == NP_V_MAP && !two)
		return NP_RERR(r, e,
		               "'%.*s' is a map: loop over it with two names, "
		               "{%% for key, value in %.*s %%}",
		               (int)e->src.len, e->src.p, (int)e->src.len, e->src.p);
	if (it->type != NP_V_LIST && it->type != NP_V_MAP)
		return NP_RERR(r, e, "cannot loop over %s '%.*s'", np_value_type_name(it),
		               (int)e->src.len, e->src.p);
	return 0;
}

static int eval_for(np_rctx *r, const np_node *n)
{
	np_value it;
	int rc = eval(r, n->u.loop.iter, NP_L_STRICT, &it);
	if (rc || (rc = check_iter(r, n, &it)))
		return rc;
	bool map = it.type == NP_V_MAP;
	size_t len = map ? it.u.map->len : it.u.list->len;
	if (len == 0)
		return eval_body(r, &n->u.loop.els);
	size_t saved = r->nlocals, scope = r->scope, k = r->nlocals;
	np_tmpl_loop st = {0, len};
	np_value lv = {.type = NP_V_LOOP, .u.loop = &st};
	/* Slots k, k + 1, k + 2: the value, the key (maps only) and loop. */
	push_local(r, map ? n->u.loop.var2 : n->u.loop.var, np_value_null());
	push_local(r, map ? n->u.loop.var : NP_STR(""), np_value_null());
	push_local(r, NP_STR("loop"), &lv);
	for (; !rc && st.index0 < len; st.index0++) {
		if (map) {
			const np_vmap_entry *en = &it.u.map->items[st.index0];
			np_value key = {.type = NP_V_STR, .u.s = en->key};
			rc = loop_iter(r, n, k, en->val, &key);
		} else {
			rc = loop_iter(r, n, k, it.u.list->items[st.index0], NULL);
		}
	}
	r->nlocals = saved;
	r->scope = scope;
	return rc;
}

static int eval_set(np_rctx *r, const np_node *n)
{
	np_value v;
	int rc = eval(r, n->u.set.e, NP_L_STRICT, &v);
	if (!rc)
		set_local(r, n->u.set.name, &v);
	return rc;
}

static int eval_block(np_rctx *r, const np_node *n)
{
	for (const np_tmpl *t = r->leaf; t; t = t->parent) {
		const np_node *b = np_tmpl_block(t, n->u.block.name);
		if (b)
			return render_block_at(r, t, b);
	}
	return render_block_at(r, r->cur, n); /* not reached: cur defines it */
}

static int eval_node(np_rctx *r, const np_node *n)
{
	switch (n->kind) {
	case NP_N_TEXT:
		np_buf_putstr(r->out, n->u.text);
		return 0;
	case NP_N_OUT:
		return eval_out(r, n);
	case NP_N_IF:
		return eval_if(r, n);
	case NP_N_FOR:
		return eval_for(r, n);
	case NP_N_SET:
		return eval_set(r, n);
	case NP_N_INCLUDE:
		return np_eval_template(r, n->u.include.t);
	case NP_N_BLOCK:
		return eval_block(r, n);
	}
	return 0;
}

static int eval_body(np_rctx *r, const np_body *b)
{
	if (++r->depth > NP_EVAL_MAX_DEPTH) {
		const np_node *n = b->len ? b->items[0] : NULL;
		r->depth--;
		return np_rerror(r, n ? n->line : 0, n ? n->col : 0, n ? n->off : 0,
		                 "nesting deeper than %d levels while rendering (includes, "
		                 "blocks and tags together)",
		                 NP_EVAL_MAX_DEPTH);
	}
	int rc = 0;
	for (size_t i = 0; !rc && i < b->len; i++)
		rc = eval_node(r, b->items[i]);
	r->depth--;
	return rc;
}

int np_eval_template(np_rctx *r, const np_tmpl *t)
{
	const np_tmpl *root = t, *cur = r->cur, *leaf = r->leaf;
	const np_block_frame *block = r->block;
	while (root->parent)
		root = root->parent;
	r->leaf = t;
	r->cur = root;
	r->block = NULL;
	int rc = eval_body(r, &root->body);
	r->cur = cur;
	r->leaf = leaf;
	r->block = block;
	return rc;
}
