#include "meta/ac.h"

#include <stdlib.h>

#include "util/utf8.h"

typedef struct ac_node {
	int32_t fail;    /* longest proper suffix that is a trie node */
	int32_t dict;    /* nearest node on the fail chain with a pattern, or -1 */
	int32_t id;      /* pattern ending here, or -1 */
	int32_t child;   /* first child (build-time list for the BFS) */
	int32_t sibling; /* next sibling */
	uint32_t len;    /* pattern length in bytes when id >= 0 */
} ac_node;

typedef struct ac_edge {
	uint64_t key; /* (state << 21 | cp) + 1; 0 = empty slot */
	int32_t to;
} ac_edge;

struct np_ac {
	ac_node *nodes;
	size_t n, cap;
	ac_edge *edges; /* open addressing, power-of-two size */
	size_t n_edges, edge_cap;
	/* After np_ac_build: the root's edges for the BMP, by code point (0 for
	 * none).  A scan is at or falls back to the root at most characters, so
	 * this spares it a hash probe per character. */
	int32_t *root;
};

static uint64_t edge_key(int32_t state, uint32_t cp)
{
	return (((uint64_t)state << 21) | cp) + 1;
}

static size_t edge_slot(uint64_t key, size_t cap)
{
	uint64_t h = key * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 17) & (cap - 1);
}

static int32_t edge_get(const np_ac *ac, int32_t state, uint32_t cp)
{
	uint64_t key = edge_key(state, cp);
	size_t i = edge_slot(key, ac->edge_cap);
	for (;;) {
		if (ac->edges[i].key == key)
			return ac->edges[i].to;
		if (ac->edges[i].key == 0)
			return -1;
		i = (i + 1) & (ac->edge_cap - 1);
	}
}

static void edge_put_raw(ac_edge *edges, size_t cap, uint64_t key, int32_t to)
{
	size_t i = edge_slot(key, cap);
	while (edges[i].key != 0)
		i = (i + 1) & (cap - 1);
	edges[i] = (ac_edge){key, to};
}

static void edge_put(np_ac *ac, int32_t state, uint32_t cp, int32_t to)
{
	if ((ac->n_edges + 1) * 2 > ac->edge_cap) {
		size_t cap = ac->edge_cap * 2;
		ac_edge *e = np_xcalloc(cap, sizeof *e);
		for (size_t i = 0; i < ac->edge_cap; i++)
			if (ac->edges[i].key)
				edge_put_raw(e, cap, ac->edges[i].key, ac->edges[i].to);
		free(ac->edges);
		ac->edges = e;
		ac->edge_cap = cap;
	}
	edge_put_raw(ac->edges, ac->edge_cap, edge_key(state, cp), to);
	ac->n_edges++;
}

static int32_t node_new(np_ac *ac)
{
	if (ac->n == ac->cap) {
		ac->cap = ac->cap ? ac->cap * 2 : 1024;
		ac->nodes = np_xrealloc(ac->nodes, np_mul(ac->cap, sizeof *ac->nodes));
	}
	ac->nodes[ac->n] = (ac_node){0, -1, -1, -1, -1, 0};
	return (int32_t)ac->n++;
}

np_ac *np_ac_new(void)
{
	np_ac *ac = np_xcalloc(1, sizeof *ac);
	ac->edge_cap = 1024;
	ac->edges = np_xcalloc(ac->edge_cap, sizeof *ac->edges);
	node_new(ac); /* root = 0 */
	return ac;
}

void np_ac_free(np_ac *ac)
{
	if (!ac)
		return;
	free(ac->nodes);
	free(ac->edges);
	free(ac->root);
	free(ac);
}

int32_t np_ac_add(np_ac *ac, np_str s, int32_t id)
{
	int32_t state = 0;
	size_t i = 0;
	while (i < s.len) {
		uint32_t cp;
		i += np_utf8_decode(s.p + i, s.len - i, &cp);
		int32_t next = edge_get(ac, state, cp);
		if (next < 0) {
			next = node_new(ac);
			edge_put(ac, state, cp, next);
			ac->nodes[next].sibling = ac->nodes[state].child;
			ac->nodes[state].child = next;
		}
		state = next;
	}
	if (ac->nodes[state].id >= 0)
		return ac->nodes[state].id;
	ac->nodes[state].id = id;
	ac->nodes[state].len = (uint32_t)s.len;
	return id;
}

static int32_t step(const np_ac *ac, int32_t state, uint32_t cp)
{
	for (;;) {
		if (state == 0 && ac->root && cp < 0x10000)
			return ac->root[cp];
		int32_t next = edge_get(ac, state, cp);
		if (next >= 0)
			return next;
		if (state == 0)
			return 0;
		state = ac->nodes[state].fail;
	}
}

void np_ac_build(np_ac *ac)
{
	free(ac->root);
	ac->root = NULL;
	int32_t *queue = np_xmalloc(np_mul(ac->n, sizeof *queue));
	uint32_t *cps = np_xcalloc(ac->n, sizeof *cps);
	size_t head = 0, tail = 0;
	/* Remember each node's incoming code point once (O(edges)). */
	for (size_t i = 0; i < ac->edge_cap; i++)
		if (ac->edges[i].key)
			cps[ac->edges[i].to] = (uint32_t)((ac->edges[i].key - 1) & 0x1FFFFF);
	for (int32_t c = ac->nodes[0].child; c >= 0; c = ac->nodes[c].sibling) {
		ac->nodes[c].fail = 0;
		queue[tail++] = c;
	}
	while (head < tail) {
		int32_t s = queue[head++];
		for (int32_t c = ac->nodes[s].child; c >= 0; c = ac->nodes[c].sibling) {
			int32_t f = step(ac, ac->nodes[s].fail, cps[c]);
			if (f == c)
				f = 0;
			ac->nodes[c].fail = f;
			ac->nodes[c].dict = ac->nodes[f].id >= 0 ? f : ac->nodes[f].dict;
			queue[tail++] = c;
		}
	}
	free(cps);
	free(queue);
	ac->root = np_xcalloc(0x10000, sizeof *ac->root);
	for (size_t i = 0; i < ac->edge_cap; i++) {
		uint64_t k = ac->edges[i].key - 1; /* state << 21 | cp */
		if (ac->edges[i].key && k >> 21 == 0 && k < 0x10000)
			ac->root[k] = ac->edges[i].to;
	}
}

int np_ac_scan(const np_ac *ac, np_str text, np_ac_fn fn, void *ctx)
{
	int32_t state = 0;
	size_t i = 0;
	while (i < text.len) {
		uint32_t cp;
		i += np_utf8_decode(text.p + i, text.len - i, &cp);
		state = step(ac, state, cp);
		for (int32_t o = ac->nodes[state].id >= 0 ? state : ac->nodes[state].dict; o >= 0;
		     o = ac->nodes[o].dict) {
			const ac_node *n = &ac->nodes[o];
			int r = fn(ctx, i - n->len, i, n->id);
			if (r)
				return r;
		}
	}
	return 0;
}
