#define _POSIX_C_SOURCE 200809L
#include "build/cache.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "build/site_paths.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/hash.h"

#define CACHE_HEADER "# newsprint ingest cache v2: rel\tsize\tmtime_ns\thash\tcontext\n"

static void add(np_ingest_cache *c, np_ingest_cache_entry e)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->items = np_xrealloc(c->items, np_mul(c->cap, sizeof *c->items));
	}
	c->items[c->n++] = e;
}

static bool parse_line(char *line, np_ingest_cache_entry *e)
{
	char *f[5];
	for (int i = 0; i < 5; i++) {
		f[i] = line;
		char *tab = strchr(line, i < 4 ? '\t' : '\0');
		if (!tab)
			return false;
		*tab = '\0';
		line = tab + 1;
	}
	if (strlen(f[3]) != 32 || strlen(f[4]) != 32)
		return false;
	e->rel = np_xstrndup(f[0], strlen(f[0]));
	e->size = strtoll(f[1], NULL, 10);
	e->mtime_ns = strtoll(f[2], NULL, 10);
	memcpy(e->hash, f[3], 33);
	memcpy(e->ctx, f[4], 33);
	return true;
}

void np_ingest_cache_init(np_ingest_cache *c, const char *site)
{
	memset(c, 0, sizeof *c);
	np_strmap_init(&c->by_rel);
	np_buf p;
	np_buf_init(&p);
	np_buf_printf(&p, "%s/%s/ingest.tsv", site, NP_CACHE_DIR);
	c->path = np_buf_detach(&p);
}

void np_ingest_cache_load(np_ingest_cache *c, const char *site)
{
	np_ingest_cache_init(c, site);
	np_buf src;
	np_buf_init(&src);
	if (np_fs_read(c->path, &src) == 0 && np_str_starts(np_str_of(&src), NP_STR(CACHE_HEADER))) {
		char *line = src.data + strlen(CACHE_HEADER);
		while (*line) {
			char *nl = strchr(line, '\n');
			if (!nl)
				break;
			*nl = '\0';
			np_ingest_cache_entry e;
			if (parse_line(line, &e))
				add(c, e);
			line = nl + 1;
		}
	}
	for (size_t i = 0; i < c->n; i++)
		np_strmap_put(&c->by_rel, np_str_from(c->items[i].rel), i);
	np_buf_dispose(&src);
}

static const np_ingest_cache_entry *find(const np_ingest_cache *c, const char *rel)
{
	size_t i;
	return np_strmap_get(&c->by_rel, np_str_from(rel), &i) ? &c->items[i] : NULL;
}

int np_ingest_cache_key(const np_ingest_cache *c, const char *rel, const char *full_path,
                        const char *ctx, np_ingest_cache_entry *e)
{
	struct stat st;
	if (stat(full_path, &st) != 0)
		return NP_EIO;
	int64_t mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	return np_ingest_cache_key_meta(c, rel, full_path, (int64_t)st.st_size, mtime_ns, ctx, e);
}

int np_ingest_cache_key_meta(const np_ingest_cache *c, const char *rel, const char *full_path,
                             int64_t size, int64_t mtime_ns, const char *ctx,
                             np_ingest_cache_entry *e)
{
	e->size = size;
	e->mtime_ns = mtime_ns;
	np_hash128_hex(ctx, strlen(ctx), e->ctx);
	/* Same size and mtime (to the nanosecond): trust the cached hash
	 * rather than read the page again; anything else reads it. */
	const np_ingest_cache_entry *old = find(c, rel);
	if (old && old->size == e->size && old->mtime_ns == e->mtime_ns) {
		memcpy(e->hash, old->hash, 33);
		return 0;
	}
	np_buf data;
	np_buf_init(&data);
	int rc = np_fs_read(full_path, &data) == 0 ? 0 : NP_EIO;
	np_hash128_hex(data.data, data.len, e->hash);
	np_buf_dispose(&data);
	return rc;
}

bool np_ingest_cache_same(const np_ingest_cache *c, const np_ingest_cache_entry *e)
{
	const np_ingest_cache_entry *old = find(c, e->rel);
	return old && strcmp(old->hash, e->hash) == 0 && strcmp(old->ctx, e->ctx) == 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const np_ingest_cache_entry *)a)->rel, ((const np_ingest_cache_entry *)b)->rel);
}

int np_ingest_cache_save(np_ingest_cache *c, np_ingest_cache_entry *entries, size_t n)
{
	qsort(entries, n, sizeof *entries, cmp_entry);
	np_buf out;
	np_buf_init(&out);
	np_buf_puts(&out, CACHE_HEADER);
	for (size_t i = 0; i < n; i++)
		np_buf_printf(&out, "%s\t%" PRId64 "\t%" PRId64 "\t%s\t%s\n", entries[i].rel,
		              entries[i].size, entries[i].mtime_ns, entries[i].hash, entries[i].ctx);
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i].rel);
	free(c->items);
	c->items = entries;
	c->n = c->cap = n;
	int rc = np_fs_write_if_changed(c->path, out.data, out.len) < 0 ? NP_EIO : 0;
	np_buf_dispose(&out);
	return rc;
}

void np_ingest_cache_dispose(np_ingest_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i].rel);
	free(c->items);
	free(c->path);
	np_strmap_dispose(&c->by_rel);
	memset(c, 0, sizeof *c);
}

static char self_hash[33];
static pthread_once_t self_once = PTHREAD_ONCE_INIT;

static void hash_self(void)
{
	np_buf exe;
	np_buf_init(&exe);
	if (np_fs_read("/proc/self/exe", &exe) == 0)
		np_hash128_hex(exe.data, exe.len, self_hash);
	else
		snprintf(self_hash, sizeof self_hash, "%s", NP_VERSION);
	np_buf_dispose(&exe);
}

const char *np_build_self_hash(void)
{
	pthread_once(&self_once, hash_self);
	return self_hash;
}
