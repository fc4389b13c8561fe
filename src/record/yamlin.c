#include "record/yamlin.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util/err.h"

enum { NP_YAML_MAX_DEPTH = 256 };

/* libyaml's scanner takes time quadratic in the depth of flow collections
 * (`[[[[…`), so a hand-edited file must not nest deeper than any real
 * record does.  A linear pre-scan (quoted scalars and comments skipped)
 * finds the first bracket past the limit; returns its offset, or len. */
static size_t too_deep(const char *s, size_t len)
{
	int depth = 0;
	char quote = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (quote) {
			if (c == '\\' && quote == '"')
				i++;
			else if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '#') {
			while (i < len && s[i] != '\n')
				i++;
		} else if (c == '[' || c == '{') {
			if (++depth > NP_YAML_MAX_DEPTH)
				return i;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return len;
}

static void deep_error(np_yin *y, const char *src, size_t at)
{
	unsigned line = 1, col = 1;
	for (size_t i = 0; i < at; i++) {
		if (src[i] == '\n')
			line++, col = 1;
		else if (((unsigned char)src[i] & 0xC0) != 0x80)
			col++;
	}
	np_diag_add(y->d, NP_ERROR, y->path, line + y->line_offset, col,
	            "YAML: nested more than %d levels deep", NP_YAML_MAX_DEPTH);
}

int np_yin_load(np_yin *y, const char *src, size_t len, const char *path, unsigned line_offset,
                np_arena *a, np_diags *d)
{
	yaml_parser_t p;
	memset(y, 0, sizeof *y);
	y->path = path;
	y->line_offset = line_offset;
	y->d = d;
	y->a = a;
	size_t deep = too_deep(src, len);
	if (deep < len) {
		deep_error(y, src, deep);
		return NP_EINVAL;
	}
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)src, len);
	if (!yaml_parser_load(&p, &y->doc)) {
		yaml_mark_t m = p.problem_mark;
		np_diag_add(d, NP_ERROR, path, (unsigned)m.line + 1 + line_offset, (unsigned)m.column + 1,
		            "YAML: %s%s%s", p.problem ? p.problem : "syntax error",
		            p.context ? " " : "", p.context ? p.context : "");
		yaml_parser_delete(&p);
		return NP_EINVAL;
	}
	y->loaded = true;
	yaml_parser_delete(&p);
	return 0;
}

void np_yin_dispose(np_yin *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
}

yaml_node_t *np_yin_root(np_yin *y) { return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL; }

yaml_node_t *np_yin_node(np_yin *y, int id) { return yaml_document_get_node(&y->doc, id); }

void np_yin_error(np_yin *y, yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	np_buf m;
	np_buf_init(&m);
	va_start(ap, fmt);
	np_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	unsigned line = n ? (unsigned)n->start_mark.line + 1 + y->line_offset : 0;
	unsigned col = n ? (unsigned)n->start_mark.column + 1 : 0;
	np_diag_add(y->d, NP_ERROR, y->path, line, col, "%s", m.data);
	np_buf_dispose(&m);
	y->errors++;
}

yaml_node_t *np_yin_get(np_yin *y, yaml_node_t *m, const char *key)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	size_t klen = strlen(key);
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = np_yin_node(y, p->key);
		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == klen &&
		    memcmp(k->data.scalar.value, key, klen) == 0)
			return np_yin_node(y, p->value);
	}
	return NULL;
}

bool np_yin_is_null(yaml_node_t *n)
{
	if (!n)
		return true;
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	np_str s = {(const char *)n->data.scalar.value, n->data.scalar.length};
	return s.len == 0 || np_str_eq_c(s, "null") || np_str_eq_c(s, "~") || np_str_eq_c(s, "Null") ||
	       np_str_eq_c(s, "NULL");
}

np_str np_yin_str(np_yin *y, yaml_node_t *n, const char *what)
{
	if (np_yin_is_null(n))
		return (np_str){NULL, 0};
	if (n->type != YAML_SCALAR_NODE) {
		np_yin_error(y, n, "%s: expected a string", what);
		return (np_str){NULL, 0};
	}
	return np_arena_str(y->a, (np_str){(const char *)n->data.scalar.value, n->data.scalar.length});
}

void np_yin_strlist(np_yin *y, yaml_node_t *n, const char *what, np_strlist *out)
{
	if (np_yin_is_null(n))
		return;
	if (n->type == YAML_SCALAR_NODE) {
		np_strlist_add(out, y->a, np_yin_str(y, n, what));
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		np_yin_error(y, n, "%s: expected a list of strings", what);
		return;
	}
	for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
		yaml_node_t *e = np_yin_node(y, *i);
		if (np_yin_is_null(e))
			continue;
		np_str s = np_yin_str(y, e, what);
		if (s.p)
			np_strlist_add(out, y->a, s);
	}
}

int np_yin_int(np_yin *y, yaml_node_t *n, const char *what, int dflt)
{
	if (np_yin_is_null(n))
		return dflt;
	np_str s = np_yin_str(y, n, what);
	char *end = NULL;
	long v = s.p ? strtol(s.p, &end, 10) : 0;
	if (!s.p || end == s.p || *end || v < -1000000000L || v > 1000000000L) {
		np_yin_error(y, n, "%s: expected an integer", what);
		return dflt;
	}
	return (int)v;
}

bool np_yin_bool(np_yin *y, yaml_node_t *n, const char *what, bool dflt)
{
	if (np_yin_is_null(n))
		return dflt;
	np_str s = np_yin_str(y, n, what);
	if (np_str_eq_c(s, "true") || np_str_eq_c(s, "True") || np_str_eq_c(s, "yes"))
		return true;
	if (np_str_eq_c(s, "false") || np_str_eq_c(s, "False") || np_str_eq_c(s, "no"))
		return false;
	np_yin_error(y, n, "%s: expected true or false", what);
	return dflt;
}

np_date np_yin_date(np_yin *y, yaml_node_t *n, const char *what)
{
	np_date d = {0, 0, 0};
	if (np_yin_is_null(n))
		return d;
	np_str s = np_yin_str(y, n, what);
	if (np_date_parse(s, &d) != 0)
		np_yin_error(y, n, "%s: expected a date YYYY-MM-DD, got '%.*s'", what, (int)s.len, s.p);
	return d;
}
