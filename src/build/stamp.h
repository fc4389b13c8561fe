/* The build stamp (<site>/.newsprint/build-stamp): what the last complete
 * build saw and said, so that a build with nothing changed can stop at
 * once — the no-op build — and still print exactly what a full build
 * would print, with the same exit status.
 *
 * A stamp holds
 *  - key: the newsprint binary, the site and output paths, the theme and
 *    the flags that change diagnostics (--debug);
 *  - inputs: a digest of the metadata of every file a build reads
 *    (np_stamp_inputs), taken after ingest ran;
 *  - outputs: a digest of the metadata of every file the output manifest
 *    lists (np_stamp_outputs), taken after render, when the render knew it
 *    (outputs_known: a render that trusted the output folder did not stat
 *    the files it kept, see below);
 *  - seal: a digest of the top of the output folder (np_stamp_seal), taken
 *    after render;
 *  - the diagnostics of that build's ingest and those of the build proper
 *    (site model, theme check, render), in the order they were added, with
 *    paths as shown;
 *  - settled: that ingest changed nothing on disk in that build, so a
 *    build from the same inputs would run ingest to no effect and repeat
 *    the same ingest diagnostics (warnings of parsed pages are said once,
 *    when the page is parsed, so after a build that parsed pages this is
 *    false, and the next build runs ingest to find out what it says).
 *
 * What it trusts: a file whose inode, size, mtime and ctime (ns) are all
 * unchanged has unchanged contents, and a folder whose listing is unchanged
 * has no new files.  ctime cannot be set back by `touch` or `rsync -t`, and
 * on kernels with multigrain timestamps a change right after the stamp was
 * taken still gets a newer ctime.
 *
 * The output folder is trusted, not checked file by file, when the last
 * build into it completed and its seal is unchanged: the output folder is
 * newsprint's, and a stat of each of its 100,000s of files is what a no-op
 * build would spend most of its time on.  The seal sees the folder deleted,
 * replaced or moved, and an entry added, removed or replaced in it or in
 * the two levels of folders below it (down to public/articles/<issue>/
 * <article>/); a file edited, or deleted further down, by hand is repaired
 * by `newsprint build --verify`, which checks every output.  A build that
 * was killed left no stamp (it is forgotten before anything is written),
 * so the next one checks them all.
 *
 * Names starting with '.' are ignored, as the build ignores them.  The file is a cache: deleting it costs one full
 * build. */
#ifndef NP_BUILD_STAMP_H
#define NP_BUILD_STAMP_H

#include <stdbool.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/fs_digest.h"
#include "util/fs_list.h"

/* 128 bits, order-independent: the sum of each file's hash. */
typedef np_fs_digest np_stamp_digest;

typedef struct np_stamp {
	char key[33];
	bool settled;
	bool outputs_known;
	np_stamp_digest inputs, outputs, seal;
	np_diags ingest_diags; /* as shown (no root); owned */
	np_diags build_diags;
} np_stamp;

void np_stamp_init(np_stamp *s);
void np_stamp_dispose(np_stamp *s);

/* The key of a build of site into out_dir with theme into out[33]. */
void np_stamp_key(char out[33], const char *site, const char *out_dir, const char *theme,
                  bool debug);
/* Digest of every input: site.yaml, content/events.yaml, the ingest cache,
 * and each file under content/issues, content/articles, templates and
 * themes/<theme> (path, type, inode, size, mtime, ctime; missing folders
 * count too).  Folders are listed on `threads` threads. */
np_stamp_digest np_stamp_inputs(const char *site, const char *theme, unsigned threads);
/* The two parts np_stamp_inputs adds up: the single files (site.yaml,
 * events.yaml, the ingest cache), and the trees.  np_stamp_trees appends
 * the listing of content/articles to *articles and that of content/issues
 * to *issues when they are not NULL, so the site loader and ingest take
 * every record's and raw page's metadata from them instead of statting
 * each file again. */
np_stamp_digest np_stamp_files(const char *site);
np_stamp_digest np_stamp_trees(const char *site, const char *theme, unsigned threads,
                               np_fs_list *articles, np_fs_list *issues);
static inline np_stamp_digest np_stamp_digest_add(np_stamp_digest x, np_stamp_digest y)
{
	return np_fs_digest_add(x, y);
}
/* Brings a listing of content/articles made by np_stamp_trees, and the
 * trees digest *trees made with it, up to date after changes confined to
 * the folders content/articles/<name> for the n names given (what ingest
 * writes: records and pages.yaml of the issues it parsed pages of): those
 * folders are listed again, the rest of the listing is kept.  The result
 * is what np_stamp_trees would give now if nothing else changed since the
 * listing; a change elsewhere meanwhile shows in the next build's digest,
 * as it would had it come after the listing.  Folders' own metadata,
 * which no digest and no reader uses, may stay as first listed.  False, with nothing
 * changed, when a patch cannot stand for a new listing (content/articles
 * was not a folder, or a name is not a plain folder name or names a
 * symlink or a file there): then list again. */
bool np_stamp_trees_relist(const char *site, np_fs_list *articles, const np_str *names, size_t n,
                           np_stamp_digest *trees);
/* Digest of every output the output manifest of (site, out_dir) lists:
 * path, inode, size, mtime, ctime, or that it is missing.  The build takes
 * it from the render instead (np_render_opts.outputs), which knows each
 * output's metadata from writing or checking it. */
np_stamp_digest np_stamp_outputs(const char *site, const char *out_dir, unsigned threads);
/* Digest of the top of out_dir: the folder itself (inode, mtime, ctime),
 * each entry in it and each entry in each folder in it, by name, type and
 * metadata.  A folder's mtime and ctime change when an entry is added,
 * removed or renamed in it, so this sees such changes three levels down. */
np_stamp_digest np_stamp_seal(const char *out_dir);
static inline bool np_stamp_digest_eq(np_stamp_digest x, np_stamp_digest y)
{
	return np_fs_digest_eq(x, y);
}

/* Loads the saved stamp into s (initialised by the caller).  Returns 0, or
 * NP_ENOENT when there is none and NP_EINVAL when the file is not a stamp
 * of this version (s is then left empty). */
int np_stamp_load(np_stamp *s, const char *site);
/* Saves s (after a complete build); 0 or NP_EIO. */
int np_stamp_save(const np_stamp *s, const char *site);
/* True when a stamp is saved and its mtime is later than that of site/rel
 * (or rel is not there): rel has not changed since the last build ended. */
bool np_stamp_newer_than(const char *site, const char *rel);
/* True when a stamp is saved: the last build completed. */
bool np_stamp_saved(const char *site);
/* Forgets the saved stamp (before a full build starts, so a killed build
 * is never mistaken for a complete one). */
void np_stamp_forget(const char *site);

/* Appends copies of src's diagnostics from index `from` on to dst. */
void np_stamp_diags_copy(np_diags *dst, const np_diags *src, size_t from);
/* Adds copies of saved's diagnostics to d exactly as they were shown
 * (d's root is not applied again). */
void np_stamp_diags_replay(np_diags *d, const np_diags *saved);

#endif
