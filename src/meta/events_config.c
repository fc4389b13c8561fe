/* content/events.yaml: editors' canonical events, aliases, merges and
 * suppressions (docs/events.md).  Loaded with libyaml's document API so
 * every complaint can name path:line:col. */
#include <stdlib.h>
#include <yaml.h>

#include "meta/internal.h"
#include "util/err.h"
#include "util/fs.h"

typedef struct ev_canon {
	np_str name, key;
} ev_canon;

typedef struct ev_alias {
	np_str key;
	size_t canon;
	unsigned line, col;
} ev_alias;

struct np_events {
	np_arena arena;
	ev_canon *canon;
	size_t n_canon;
	ev_alias *alias;
	size_t n_alias;
	np_str *suppress;
	size_t n_suppress;
};

typedef struct loader {
	yaml_document_t doc;
	np_events *ev;
	const char *path;
	np_diags *d;
	int rc;
} loader;

static void fail(loader *l, const yaml_node_t *n, const char *msg)
{
	np_diag_add(l->d, NP_ERROR, l->path, (unsigned)n->start_mark.line + 1,
	            (unsigned)n->start_mark.column + 1, "%s", msg);
	l->rc = NP_EINVAL;
}

static bool scalar(loader *l, const yaml_node_t *n, np_str *out, const char *what)
{
	if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.length == 0) {
		if (n)
			fail(l, n, what);
		return false;
	}
	*out = np_str_trim((np_str){(const char *)n->data.scalar.value, n->data.scalar.length});
	return out->len > 0;
}

static void add_alias(loader *l, const yaml_node_t *n, np_str text, size_t canon)
{
	np_events *ev = l->ev;
	np_str disp, key = np_meta_event_raw_key(text, &ev->arena, &disp);
	for (size_t k = 0; k < ev->n_alias; k++) {
		if (!np_str_eq(ev->alias[k].key, key))
			continue;
		if (ev->alias[k].canon != canon) {
			np_diag_add(l->d, NP_ERROR, l->path, (unsigned)n->start_mark.line + 1,
			            (unsigned)n->start_mark.column + 1,
			            "alias '%.*s' already belongs to event '%.*s' (line %u)",
			            (int)text.len, text.p,
			            (int)ev->canon[ev->alias[k].canon].name.len,
			            ev->canon[ev->alias[k].canon].name.p, ev->alias[k].line);
			l->rc = NP_EINVAL;
		}
		return;
	}
	ev->alias = np_xrealloc(ev->alias, np_mul(ev->n_alias + 1, sizeof *ev->alias));
	ev->alias[ev->n_alias++] = (ev_alias){key, canon, (unsigned)n->start_mark.line + 1,
	                                      (unsigned)n->start_mark.column + 1};
}

static yaml_node_t *map_get(loader *l, yaml_node_t *map, const char *k)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = yaml_document_get_node(&l->doc, p->key);
		if (kn && kn->type == YAML_SCALAR_NODE &&
		    strcmp((char *)kn->data.scalar.value, k) == 0)
			return yaml_document_get_node(&l->doc, p->value);
	}
	return NULL;
}

static void check_keys(loader *l, yaml_node_t *map, const char *const *known)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = yaml_document_get_node(&l->doc, p->key);
		bool ok = false;
		for (size_t k = 0; kn && kn->type == YAML_SCALAR_NODE && known[k]; k++)
			ok |= strcmp((char *)kn->data.scalar.value, known[k]) == 0;
		if (!ok && kn) {
			np_diag_add(l->d, NP_ERROR, l->path, (unsigned)kn->start_mark.line + 1,
			            (unsigned)kn->start_mark.column + 1, "unknown key '%s'",
			            kn->type == YAML_SCALAR_NODE ? (char *)kn->data.scalar.value
			                                         : "?");
			l->rc = NP_EINVAL;
		}
	}
}

/* Calls fn on each scalar of a sequence node (a lone scalar counts as a
 * sequence of one). */
static void each_scalar(loader *l, yaml_node_t *n, const char *what,
                        void (*fn)(loader *, const yaml_node_t *, np_str, size_t), size_t arg)
{
	np_str s;
	if (!n)
		return;
	if (n->type == YAML_SCALAR_NODE) {
		if (scalar(l, n, &s, what))
			fn(l, n, s, arg);
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		fail(l, n, what);
		return;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *e = yaml_document_get_node(&l->doc, *it);
		if (scalar(l, e, &s, what))
			fn(l, e, s, arg);
	}
}

static void add_event(loader *l, yaml_node_t *n)
{
	static const char *const known[] = {"name", "aliases", NULL};
	np_events *ev = l->ev;
	np_str name, disp;
	if (n->type != YAML_MAPPING_NODE) {
		fail(l, n, "an event must be a mapping with 'name' and 'aliases'");
		return;
	}
	check_keys(l, n, known);
	if (!scalar(l, map_get(l, n, "name"), &name, "'name' must be a non-empty string")) {
		if (!map_get(l, n, "name"))
			fail(l, n, "event without 'name'");
		return;
	}
	ev->canon = np_xrealloc(ev->canon, np_mul(ev->n_canon + 1, sizeof *ev->canon));
	np_str key = np_meta_event_raw_key(name, &ev->arena, &disp);
	ev->canon[ev->n_canon++] = (ev_canon){np_arena_str(&ev->arena, name), key};
	add_alias(l, map_get(l, n, "name"), name, ev->n_canon - 1);
	each_scalar(l, map_get(l, n, "aliases"), "'aliases' must be a list of strings", add_alias,
	            ev->n_canon - 1);
}

static void add_suppress(loader *l, const yaml_node_t *n, np_str s, size_t arg)
{
	np_events *ev = l->ev;
	np_str disp;
	(void)n;
	(void)arg;
	ev->suppress = np_xrealloc(ev->suppress, np_mul(ev->n_suppress + 1, sizeof *ev->suppress));
	ev->suppress[ev->n_suppress++] = np_meta_event_raw_key(s, &ev->arena, &disp);
}

static void walk(loader *l)
{
	static const char *const known[] = {"events", "suppress", NULL};
	yaml_node_t *root = yaml_document_get_root_node(&l->doc);
	if (!root)
		return; /* empty document: no configuration */
	if (root->type != YAML_MAPPING_NODE) {
		fail(l, root, "events.yaml must be a mapping with 'events' and 'suppress'");
		return;
	}
	check_keys(l, root, known);
	yaml_node_t *evs = map_get(l, root, "events");
	if (evs && evs->type != YAML_SEQUENCE_NODE)
		fail(l, evs, "'events' must be a list");
	else if (evs)
		for (yaml_node_item_t *it = evs->data.sequence.items.start;
		     it < evs->data.sequence.items.top; it++)
			add_event(l, yaml_document_get_node(&l->doc, *it));
	each_scalar(l, map_get(l, root, "suppress"), "'suppress' must be a list of strings",
	            add_suppress, 0);
}

int np_events_parse(np_events **out, np_str yaml, const char *path, np_diags *d)
{
	yaml_parser_t parser;
	loader l = {.path = path, .d = d};
	*out = NULL;
	l.ev = np_xcalloc(1, sizeof *l.ev);
	np_arena_init(&l.ev->arena);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml.p, yaml.len);
	if (!yaml_parser_load(&parser, &l.doc)) {
		np_diag_add(d, NP_ERROR, path, (unsigned)parser.problem_mark.line + 1,
		            (unsigned)parser.problem_mark.column + 1, "%s",
		            parser.problem ? parser.problem : "YAML error");
		l.rc = NP_EINVAL;
		goto out;
	}
	walk(&l);
	yaml_document_delete(&l.doc);
out:
	yaml_parser_delete(&parser);
	if (l.rc == 0) {
		*out = l.ev;
		l.ev = NULL;
	}
	np_events_free(l.ev);
	return l.rc;
}

int np_events_load(np_events **out, const char *path, np_diags *d)
{
	np_buf b;
	*out = NULL;
	if (!np_fs_exists(path))
		return 0;
	np_buf_init(&b);
	int rc = np_fs_read(path, &b);
	if (rc)
		np_diag_add(d, NP_ERROR, path, 0, 0, "cannot read the events configuration");
	else
		rc = np_events_parse(out, np_str_of(&b), path, d);
	np_buf_dispose(&b);
	return rc;
}

void np_events_free(np_events *ev)
{
	if (!ev)
		return;
	free(ev->canon);
	free(ev->alias);
	free(ev->suppress);
	np_arena_dispose(&ev->arena);
	free(ev);
}

size_t np_events_count(const np_events *ev)
{
	return ev ? ev->n_canon : 0;
}

bool np_meta_event_key(np_str name, const np_events *ev, np_arena *a, np_str *key, np_str *display)
{
	*key = np_meta_event_raw_key(name, a, display);
	if (!ev)
		return false;
	for (size_t k = 0; k < ev->n_suppress; k++)
		if (np_str_eq(ev->suppress[k], *key))
			return true;
	for (size_t k = 0; k < ev->n_alias; k++)
		if (np_str_eq(ev->alias[k].key, *key)) {
			const ev_canon *c = &ev->canon[ev->alias[k].canon];
			*key = c->key;
			*display = c->name;
			return false;
		}
	return false;
}
