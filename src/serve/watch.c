/* Watching a site's sources with inotify.
 *
 * What counts as a source (README "A site on disk"): site.yaml,
 * content/events.yaml, and everything under content/issues,
 * content/articles, templates and themes.  The site folder and content/ are
 * watched on their own (not recursively) so that site.yaml and events.yaml
 * are seen, and so that the source folders are picked up when they are
 * created after the server started; the four trees are watched recursively,
 * and a folder created or moved into them is added at once.  The output
 * folder and the build's cache (.newsprint) are never watched, so the
 * build's own writes there cannot trigger a build.  The build does write
 * records under content/articles; that wakes the loop once more and the
 * second build, finding nothing new, writes nothing. */
#define _GNU_SOURCE
#include "serve/internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fs.h"

#define MASK (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR)
#define MAX_DEPTH 32

static const char *const trees[] = {"content/issues", "content/articles", "templates", "themes"};

struct np_watch {
	int fd;
	char *site;
	char *out_real; /* NULL when the output folder does not exist yet */
	char **rel;     /* indexed by watch descriptor: site-relative folder */
	size_t n_rel;
};

static bool is_tree(const char *rel)
{
	for (size_t i = 0; i < sizeof trees / sizeof *trees; i++) {
		size_t n = strlen(trees[i]);
		if (strncmp(rel, trees[i], n) == 0 && (rel[n] == '\0' || rel[n] == '/'))
			return true;
	}
	return false;
}

/* Names that are never sources: hidden files, editor backups and swap
 * files, and the temporary names of write-then-rename. */
static bool ignored_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' || name[0] == '#' || (n && name[n - 1] == '~') ||
	       strstr(name, ".tmp.") ||
	       (n > 4 && (strcmp(name + n - 4, ".swp") == 0 || strcmp(name + n - 4, ".swx") == 0));
}

/* Adds one watch on the folder site/rel (not recursive). */
static int add_one(np_watch *w, const char *rel)
{
	np_buf path;
	np_buf_init(&path);
	np_path_join(&path, w->site, rel);
	char real[PATH_MAX];
	int wd = -1;
	if (w->out_real && realpath(path.data, real) && strcmp(real, w->out_real) == 0)
		goto out; /* never the output folder */
	wd = inotify_add_watch(w->fd, path.data, MASK);
	if (wd < 0)
		goto out;
	if ((size_t)wd >= w->n_rel) {
		size_t n = np_mul((size_t)wd + 1, 2);
		w->rel = np_xrealloc(w->rel, np_mul(n, sizeof *w->rel));
		memset(w->rel + w->n_rel, 0, (n - w->n_rel) * sizeof *w->rel);
		w->n_rel = n;
	}
	free(w->rel[wd]);
	w->rel[wd] = np_xstrndup(rel, strlen(rel));
out:
	np_buf_dispose(&path);
	return wd;
}

/* Watches site/rel and every folder below it. */
static void add_tree(np_watch *w, const char *rel, int depth)
{
	if (depth > MAX_DEPTH || add_one(w, rel) < 0)
		return;
	np_buf path, sub;
	np_buf_init(&path);
	np_buf_init(&sub);
	np_path_join(&path, w->site, rel);
	DIR *dir = opendir(path.data);
	for (struct dirent *e; dir && (e = readdir(dir));) {
		if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
			continue;
		if (e->d_name[0] == '.')
			continue;
		np_path_join(&sub, rel, e->d_name);
		np_path_join(&path, w->site, sub.data);
		if (np_fs_is_dir(path.data))
			add_tree(w, sub.data, depth + 1);
	}
	if (dir)
		closedir(dir);
	np_buf_dispose(&path);
	np_buf_dispose(&sub);
}

/* Watches the site folder, content/, and the source trees that exist. */
static void add_all(np_watch *w)
{
	add_one(w, "");
	add_one(w, "content");
	for (size_t i = 0; i < sizeof trees / sizeof *trees; i++)
		add_tree(w, trees[i], 0);
}

int np_watch_new(np_watch **out, const char *site_dir, const char *out_dir, np_diags *d)
{
	*out = NULL;
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0) {
		np_diag_add(d, NP_ERROR, site_dir, 0, 0, "cannot watch the site: %s",
		            strerror(errno));
		return NP_EIO;
	}
	np_watch *w = np_xcalloc(1, sizeof *w);
	w->fd = fd;
	w->site = np_xstrndup(site_dir, strlen(site_dir));
	w->out_real = realpath(out_dir, NULL);
	add_all(w);
	*out = w;
	return 0;
}

int np_watch_fd(const np_watch *w)
{
	return w->fd;
}

/* Whether the entry name in the watched folder dir is a source; adds
 * watches for source folders that appear. */
static bool classify(np_watch *w, const char *dir, const struct inotify_event *ev, np_buf *child)
{
	const char *name = ev->name;
	if (ev->len == 0 || ignored_name(name))
		return false;
	np_path_join(child, dir, name);
	bool new_dir = (ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO));
	if (is_tree(child->data)) {
		if (new_dir && is_tree(dir))
			add_tree(w, child->data, 0);
		else if (new_dir)
			add_all(w); /* a source tree itself appeared */
		return true;
	}
	if (strcmp(child->data, "content") == 0 && new_dir) {
		add_all(w);
		return true;
	}
	return strcmp(child->data, "site.yaml") == 0 ||
	       strcmp(child->data, "content/events.yaml") == 0;
}

/* Handles one event; returns whether it concerns a source. */
static bool handle(np_watch *w, const struct inotify_event *ev, np_buf *child)
{
	if (ev->mask & IN_Q_OVERFLOW) {
		add_all(w); /* events were lost: rebuild, and pick up new folders */
		np_buf_clear(child);
		np_buf_puts(child, "(many files)");
		return true;
	}
	if (ev->wd < 0 || (size_t)ev->wd >= w->n_rel || !w->rel[ev->wd])
		return false;
	if (ev->mask & IN_IGNORED) {
		free(w->rel[ev->wd]);
		w->rel[ev->wd] = NULL;
		return false;
	}
	return classify(w, w->rel[ev->wd], ev, child);
}

int np_watch_read(np_watch *w, np_buf *what)
{
	_Alignas(struct inotify_event) char buf[16384];
	np_buf child;
	np_buf_init(&child);
	int n = 0;
	for (;;) {
		ssize_t len = read(w->fd, buf, sizeof buf);
		if (len < 0 && errno == EINTR)
			continue;
		if (len <= 0)
			break;
		for (char *p = buf; p < buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			p += sizeof *ev + ev->len;
			if (!handle(w, ev, &child))
				continue;
			n++;
			np_buf_clear(what); /* the last: a burst ends with the real name */
			np_buf_puts(what, child.data);
		}
	}
	np_buf_dispose(&child);
	return n;
}

void np_watch_free(np_watch *w)
{
	if (!w)
		return;
	close(w->fd);
	for (size_t i = 0; i < w->n_rel; i++)
		free(w->rel[i]);
	free(w->rel);
	free(w->out_real);
	free(w->site);
	free(w);
}
