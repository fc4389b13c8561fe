#include "tmpl/tmpl.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>

#include "tmpl/eval.h"
#include "util/err.h"
#include "util/fs.h"

typedef struct mem_tmpl {
	char *name, *path;
	np_buf src;
} mem_tmpl;

struct np_tmpl_env {
	char **dirs;
	size_t ndirs;
	mem_tmpl *mem;
	size_t nmem;
	np_tmpl **tmpls; /* every template loaded or tried, by name */
	size_t ntmpls;
	uint64_t *reported; /* hash set of render errors already reported; 0 = empty */
	size_t nreported, reported_cap;
	pthread_mutex_t lock;
};

/* The names being loaded, innermost last, to name a cycle. */
typedef struct load_chain {
	const char *name;
	const struct load_chain *up;
	unsigned depth;
} load_chain;

/* Longest include/extends chain: the loader recurses along it. */
enum { NP_TMPL_MAX_CHAIN = 500 };

np_tmpl_env *np_tmpl_env_new(void)
{
	np_tmpl_env *env = np_xcalloc(1, sizeof *env);
	pthread_mutex_init(&env->lock, NULL);
	return env;
}

void np_tmpl_env_free(np_tmpl_env *env)
{
	if (!env)
		return;
	for (size_t i = 0; i < env->ndirs; i++)
		free(env->dirs[i]);
	for (size_t i = 0; i < env->nmem; i++) {
		free(env->mem[i].name);
		free(env->mem[i].path);
		np_buf_dispose(&env->mem[i].src);
	}
	for (size_t i = 0; i < env->ntmpls; i++) {
		np_tmpl *t = env->tmpls[i];
		np_buf_dispose(&t->src);
		np_arena_dispose(&t->arena);
		free(t->name);
		free(t->path);
		free(t);
	}
	free(env->reported);
	free(env->dirs);
	free(env->mem);
	free(env->tmpls);
	pthread_mutex_destroy(&env->lock);
	free(env);
}

void np_tmpl_env_add_dir(np_tmpl_env *env, const char *dir)
{
	env->dirs = np_xrealloc(env->dirs, np_mul(env->ndirs + 1, sizeof *env->dirs));
	env->dirs[env->ndirs++] = np_xstrndup(dir, strlen(dir));
}

void np_tmpl_env_add_string(np_tmpl_env *env, const char *name, const char *path, np_str src)
{
	env->mem = np_xrealloc(env->mem, np_mul(env->nmem + 1, sizeof *env->mem));
	mem_tmpl *m = &env->mem[env->nmem++];
	m->name = np_xstrndup(name, strlen(name));
	path = path ? path : name;
	m->path = np_xstrndup(path, strlen(path));
	np_buf_init(&m->src);
	np_buf_putstr(&m->src, src);
}

static np_tmpl *find_loaded(const np_tmpl_env *env, const char *name)
{
	for (size_t i = 0; i < env->ntmpls; i++)
		if (strcmp(env->tmpls[i]->name, name) == 0)
			return env->tmpls[i];
	return NULL;
}

/* Reads name's source from memory or the first folder that has it. */
static int find_source(np_tmpl_env *env, np_tmpl *t)
{
	for (size_t i = 0; i < env->nmem; i++)
		if (strcmp(env->mem[i].name, t->name) == 0) {
			t->path = np_xstrndup(env->mem[i].path, strlen(env->mem[i].path));
			np_buf_putstr(&t->src, np_str_of(&env->mem[i].src));
			return 0;
		}
	np_buf path;
	np_buf_init(&path);
	int rc = NP_ENOENT;
	for (size_t i = 0; rc == NP_ENOENT && i < env->ndirs; i++) {
		np_path_join(&path, env->dirs[i], t->name);
		if (np_fs_exists(path.data) && !np_fs_is_dir(path.data)) {
			rc = np_fs_read(path.data, &t->src);
			t->path = np_buf_detach(&path);
		}
	}
	np_buf_dispose(&path);
	return rc;
}

static np_tmpl *tmpl_new(np_tmpl_env *env, const char *name)
{
	np_tmpl *t = np_xcalloc(1, sizeof *t);
	t->name = np_xstrndup(name, strlen(name));
	np_buf_init(&t->src);
	np_arena_init(&t->arena);
	env->tmpls = np_xrealloc(env->tmpls, np_mul(env->ntmpls + 1, sizeof *env->tmpls));
	env->tmpls[env->ntmpls++] = t;
	return t;
}

static void report(np_diags *d, const np_tmpl *from, const np_node *at, const char *name,
                   const char *fmt, ...) NP_PRINTF(5, 6);

/* An error at node `at` of template `from`, or about `name` itself when the
 * template was asked for by the program. */
static void report(np_diags *d, const np_tmpl *from, const np_node *at, const char *name,
                   const char *fmt, ...)
{
	np_buf m;
	np_buf_init(&m);
	va_list ap;
	va_start(ap, fmt);
	np_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	if (from)
		np_diag_add_src(d, NP_ERROR, from->path, at->line, at->col,
		                np_src_line(np_str_of(&from->src), at->off), "%s", m.data);
	else
		np_diag_add(d, NP_ERROR, name, 0, 0, "%s", m.data);
	np_buf_dispose(&m);
}

static void report_cycle(np_diags *d, const np_tmpl *from, const np_node *at, const char *verb,
                         const char *name, const load_chain *up)
{
	const char *names[64];
	size_t n = 0;
	for (const load_chain *c = up; c && n < 64; c = c->up) {
		names[n++] = c->name;
		if (strcmp(c->name, name) == 0)
			break;
	}
	np_buf chain;
	np_buf_init(&chain);
	while (n-- > 0)
		np_buf_printf(&chain, "%s -> ", names[n]);
	np_buf_puts(&chain, name);
	report(d, from, at, name, "%s cycle: %s", verb, chain.data);
	np_buf_dispose(&chain);
}

/* Who asked for a template: the include/extends node and its template, or
 * nothing when the program did. */
typedef struct load_ref {
	np_tmpl *from;
	np_node *at;
	const char *verb;
	const load_chain *up;
} load_ref;

static int load(np_tmpl_env *env, const char *name, const load_ref *ref, np_tmpl **out,
                np_diags *d);

/* Text, <title>/<textarea> content and comments escape alike (hctx 0, 5,
 * 7): a block may move between them; other contexts must match exactly. */
static unsigned text_like(unsigned hctx)
{
	return hctx == 5 || hctx == 7 ? 0 : hctx;
}

/* Checks every top-level block of child t against its ancestors. */
static int check_blocks(np_tmpl *t, np_diags *d)
{
	for (size_t i = 0; i < t->nblocks; i++) {
		np_node *b = t->blocks[i];
		np_str name = b->u.block.name;
		const np_tmpl *a = t->parent;
		const np_node *pb = NULL;
		for (; a && !(pb = np_tmpl_block(a, name)); a = a->parent)
			;
		if (b->u.block.nested)
			continue; /* a new block inside an override */
		if (!pb) {
			report(d, t, b, NULL, "block '%.*s' is not defined in '%s' or its parents",
			       (int)name.len, name.p, t->parent->name);
			return NP_EINVAL;
		}
		if (text_like(pb->u.block.hctx) != text_like(b->u.block.hctx)) {
			report(d, t, b, NULL, "block '%.*s' is in %s here but in %s in '%s'",
			       (int)name.len, name.p, np_hctx_name(b->u.block.hctx),
			       np_hctx_name(pb->u.block.hctx), a->name);
			return NP_EINVAL;
		}
	}
	return 0;
}

/* Parses t and loads what it extends and includes. */
static int load_deps(np_tmpl_env *env, np_tmpl *t, const load_chain *me, np_diags *d)
{
	int rc = np_tmpl_parse(t, d);
	if (!rc && t->extends) {
		load_ref ref = {t, t->extends, "extends", me};
		const char *pn = np_arena_strdup(&t->arena, t->extends->u.include.name);
		rc = load(env, pn, &ref, &t->parent, d);
	}
	for (size_t i = 0; !rc && i < t->nincludes; i++) {
		np_node *n = t->includes[i];
		load_ref ref = {t, n, "include", me};
		const char *in = np_arena_strdup(&t->arena, n->u.include.name);
		rc = load(env, in, &ref, &n->u.include.t, d);
	}
	if (!rc && t->parent)
		rc = check_blocks(t, d);
	return rc;
}

static int load(np_tmpl_env *env, const char *name, const load_ref *ref, np_tmpl **out, np_diags *d)
{
	np_tmpl *from = ref ? ref->from : NULL;
	np_node *at = ref ? ref->at : NULL;
	np_tmpl *t = find_loaded(env, name);
	if (t && t->state == 0) {
		report_cycle(d, from, at, ref->verb, name, ref->up);
		return NP_EINVAL;
	}
	if (t) {
		*out = t;
		return t->state == 1 ? 0 : NP_EINVAL;
	}
	if (!np_path_is_safe_rel(np_str_from(name))) {
		report(d, from, at, name, "unsafe template name '%s'", name);
		return NP_EUNSAFE;
	}
	t = tmpl_new(env, name);
	t->state = -1;
	int rc = find_source(env, t);
	if (rc) {
		report(d, from, at, name,
		       rc == NP_ENOENT ? "template '%s' not found" : "cannot read template '%s'",
		       name);
		return rc;
	}
	load_chain me = {name, ref ? ref->up : NULL, ref && ref->up ? ref->up->depth + 1 : 0};
	if (me.depth >= NP_TMPL_MAX_CHAIN) {
		report(d, from, at, name,
		       "templates include or extend each other more than %d "
		       "levels deep",
		       NP_TMPL_MAX_CHAIN);
		return NP_ELIMIT;
	}
	t->state = 0;
	rc = load_deps(env, t, &me, d);
	t->state = rc ? -1 : 1;
	*out = t;
	return rc ? NP_EINVAL : 0;
}

static void reported_insert(uint64_t *set, size_t cap, uint64_t key)
{
	size_t i = (size_t)key & (cap - 1);
	while (set[i] && set[i] != key)
		i = (i + 1) & (cap - 1);
	set[i] = key;
}

bool np_tmpl_env_once(np_tmpl_env *env, uint64_t key)
{
	key |= 1; /* never 0, the empty slot */
	pthread_mutex_lock(&env->lock);
	bool first = true;
	size_t cap = env->reported_cap;
	for (size_t i = cap ? (size_t)key & (cap - 1) : 0; cap && env->reported[i];
	     i = (i + 1) & (cap - 1))
		if (env->reported[i] == key) {
			first = false;
			break;
		}
	if (first && np_mul(env->nreported + 1, 2) > cap) {
		size_t ncap = cap ? cap * 2 : 64;
		uint64_t *set = np_xcalloc(ncap, sizeof *set);
		for (size_t i = 0; i < cap; i++)
			if (env->reported[i])
				reported_insert(set, ncap, env->reported[i]);
		free(env->reported);
		env->reported = set;
		env->reported_cap = ncap;
	}
	if (first) {
		reported_insert(env->reported, env->reported_cap, key);
		env->nreported++;
	}
	pthread_mutex_unlock(&env->lock);
	return first;
}

int np_tmpl_env_load(np_tmpl_env *env, const char *name, np_diags *d)
{
	np_tmpl *t;
	pthread_mutex_lock(&env->lock);
	int rc = load(env, name, NULL, &t, d);
	pthread_mutex_unlock(&env->lock);
	return rc;
}

int np_tmpl_render(np_tmpl_env *env, const char *name, const np_value *ctx,
                   const np_tmpl_opts *opts, np_buf *out, np_diags *d)
{
	static const np_tmpl_opts no_opts = {0};
	np_tmpl *t = NULL;
	pthread_mutex_lock(&env->lock);
	int rc = load(env, name, NULL, &t, d);
	pthread_mutex_unlock(&env->lock);
	if (rc)
		return rc;
	np_rctx r = {.env = env,
	             .ctx = ctx ? np_value_force(ctx) : NULL,
	             .opts = opts ? opts : &no_opts,
	             .out = out,
	             .out_start = out->len,
	             .d = d,
	             .cur = t};
	np_arena_init(&r.scratch);
	r.scratch.chunk_size = 8192; /* filter results are small; most renders need one */
	np_buf_init(&r.tmp);
	size_t start = out->len;
	rc = np_eval_template(&r, t);
	if (rc)
		np_buf_truncate(out, start);
	np_buf_dispose(&r.tmp);
	np_arena_dispose(&r.scratch);
	free(r.locals);
	return rc;
}
