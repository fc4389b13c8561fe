/* Listing a tree with the metadata of every entry, folders on all cores:
 * one getdents pass per folder and one fstatat per entry, made relative to
 * its folder's descriptor (a one-component lookup).  One listing serves
 * both the build stamp's digest and the site loader's freshness checks, so
 * a build stats each record once. */
#ifndef NP_UTIL_FS_LIST_H
#define NP_UTIL_FS_LIST_H

#include <stdint.h>

#include "util/arena.h"

typedef enum np_fs_kind {
	NP_FS_DIR = 'D',      /* a real folder (listed; symlinked folders are not) */
	NP_FS_FILE = 'F',     /* anything else; a symlink counts as what it points to */
	NP_FS_DANGLING = 'L', /* a symlink to nothing: the link's own metadata */
	NP_FS_MISSING = 'M',  /* the root asked for is not there (or not a folder) */
} np_fs_kind;

typedef struct np_fs_item {
	const char *rel; /* relative to the base folder, e.g. "content/articles/x/y.md" */
	np_fs_kind kind;
	unsigned mode; /* st_mode & S_IFMT */
	uint64_t ino, size;
	int64_t mtime_ns, ctime_ns;
} np_fs_item;

/* The entries found, folder by folder; names starting with '.' are left
 * out.  Owns its strings. */
typedef struct np_fs_list {
	np_fs_item *items;
	size_t n, cap;
	np_arena arena;
	np_arena *worker_arenas; /* the paths, one arena per listing thread and call */
	size_t n_worker_arenas;
} np_fs_list;

void np_fs_list_init(np_fs_list *l);
void np_fs_list_dispose(np_fs_list *l);
/* Appends root (relative to the folder base_fd is open on) and every entry
 * below it to l, listing folders on `threads` threads.  Order: level by
 * level (each folder before its entries), a folder's entries by name, and
 * a level's folders in the order of their parents: so the entries of one
 * depth come in path order, except where a folder's name is another's
 * followed by a character below '/' ("a/x" lists before "a-b/y", which
 * sorts first).  Callers that need path order still sort (np_sort_runs
 * takes a pass over a sorted list); a digest over the items needs none. */
void np_fs_list_tree(np_fs_list *l, int base_fd, const char *root, unsigned threads);
/* Path order of two `const np_fs_item *` (an np_cmp_fn, ctx unused): for
 * sorting lists of pointers into a listing. */
int np_fs_item_ptr_cmp(const void *a, const void *b, void *ctx);

#endif
