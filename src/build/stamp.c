#define _POSIX_C_SOURCE 200809L
#include "build/stamp.h"

#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build/cache.h"
#include "build/site_paths.h"
#include "render/render.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/hash.h"

typedef struct stamp_ctx {
	np_buf *acc;
	np_buf path;
} stamp_ctx;

static void add_file(np_buf *acc, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		np_buf_printf(acc, "%s -\n", path);
		return;
	}
	np_buf_printf(acc, "%s %" PRId64 " %" PRId64 ".%09ld\n", path, (int64_t)st.st_size,
	              (int64_t)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

static int visit(const char *root, const char *rel, void *vctx)
{
	stamp_ctx *c = vctx;
	np_path_join(&c->path, root, rel);
	add_file(c->acc, c->path.data);
	return 0;
}

static void add_tree(np_buf *acc, const char *site, const char *rel)
{
	stamp_ctx c = {acc, {0}};
	np_buf_init(&c.path);
	np_buf root;
	np_buf_init(&root);
	np_path_join(&root, site, rel);
	np_buf_printf(acc, "[%s]\n", rel);
	np_fs_walk(root.data, visit, &c);
	np_buf_dispose(&root);
	np_buf_dispose(&c.path);
}

/* Every output the last build listed must still be there. */
static void add_outputs(np_buf *acc, const char *site, const char *out_dir)
{
	np_buf list, path;
	np_buf_init(&list);
	np_buf_init(&path);
	np_render_manifest_path(&path, site, out_dir);
	if (np_fs_read(path.data, &list) == 0) {
		size_t missing = 0;
		for (char *line = list.data; *line;) {
			char *nl = strchr(line, '\n');
			if (!nl)
				break;
			*nl = '\0';
			np_buf_clear(&path);
			np_buf_printf(&path, "%s/%s", out_dir, line);
			missing += access(path.data, F_OK) != 0;
			line = nl + 1;
		}
		np_buf_printf(acc, "[outputs] %zu missing\n", missing);
	}
	np_buf_dispose(&list);
	np_buf_dispose(&path);
}

void np_build_stamp(const char *site, const char *out_dir, const char *theme, char out[33])
{
	np_buf acc, p;
	np_buf_init(&acc);
	np_buf_init(&p);
	np_buf_printf(&acc, "newsprint %s\nout %s\n", np_build_self_hash(), out_dir);
	add_tree(&acc, site, NP_ARTICLES_DIR);
	add_tree(&acc, site, "templates");
	np_buf_printf(&p, "themes/%s", theme);
	add_tree(&acc, site, p.data);
	np_path_join(&p, site, NP_SITE_FILE);
	add_file(&acc, p.data);
	np_path_join(&p, site, NP_EVENTS_FILE);
	add_file(&acc, p.data);
	add_outputs(&acc, site, out_dir);
	np_hash128_hex(acc.data, acc.len, out);
	np_buf_dispose(&acc);
	np_buf_dispose(&p);
}

static void stamp_path(np_buf *p, const char *site)
{
	np_buf_clear(p);
	np_buf_printf(p, "%s/%s/build-stamp", site, NP_CACHE_DIR);
}

bool np_build_stamp_same(const char *site, const char *stamp)
{
	np_buf p, cur;
	np_buf_init(&p);
	np_buf_init(&cur);
	stamp_path(&p, site);
	bool same = np_fs_read(p.data, &cur) == 0 && cur.len == 32 && memcmp(cur.data, stamp, 32) == 0;
	np_buf_dispose(&p);
	np_buf_dispose(&cur);
	return same;
}

bool np_build_stamp_saved(const char *site)
{
	np_buf p;
	np_buf_init(&p);
	stamp_path(&p, site);
	bool saved = np_fs_exists(p.data);
	np_buf_dispose(&p);
	return saved;
}

void np_build_stamp_save(const char *site, const char *stamp)
{
	np_buf p;
	np_buf_init(&p);
	stamp_path(&p, site);
	np_fs_write_if_changed(p.data, stamp, 32);
	np_buf_dispose(&p);
}

void np_build_stamp_forget(const char *site)
{
	np_buf p;
	np_buf_init(&p);
	stamp_path(&p, site);
	unlink(p.data);
	np_buf_dispose(&p);
}
