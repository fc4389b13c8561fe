/* The output writer: the only code that touches the output folder.  Every
 * file goes through np_fs_write_replace (temp + rename) unless its bytes
 * are the same (then it is left untouched); paths are checked to stay
 * inside the folder.  The log notes the folders it has seen or made, so a
 * folder is made once per build and a file in a folder this build made is
 * not compared with anything.
 * The log remembers what this build made, so np_output_log_finish can
 * remove what an earlier build made and this one no longer does (the list
 * of outputs lives in the site's build cache, not in the output). */
#ifndef NP_RENDER_OUTPUT_H
#define NP_RENDER_OUTPUT_H

#include <stdint.h>

#include "build/build.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/fs_digest.h"

typedef struct np_output_log np_output_log;

/* manifest: where the list of outputs is kept (in the site's .newsprint/). */
np_output_log *np_output_log_new(const char *out_dir, const char *manifest);
/* Makes room for n outputs in the log's list, so that it is not copied
 * as it grows (the render knows how many files it plans). */
void np_output_log_reserve(np_output_log *log, size_t n);
/* Writes data to out_dir/rel (rel must be a safe relative path).  Thread-
 * safe.  Returns NP_WRITE_WRITTEN, NP_WRITE_UNCHANGED or a negative error
 * (with a diagnostic). */
int np_output_write(np_output_log *log, const char *rel, const void *data, size_t len,
                    np_diags *d);
/* np_output_write, and the size and mtime (ns) the file has now (written
 * or found unchanged) in *size and *mtime_ns (either may be NULL), from
 * the write itself: no stat(2) of the path. */
int np_output_write_stat(np_output_log *log, const char *rel, const void *data, size_t len,
                         uint64_t *size, int64_t *mtime_ns, np_diags *d);
/* True (and out_dir/rel counts as made by this build) when the file is
 * there with exactly this size and mtime: a page whose inputs did not
 * change is then not rendered at all.  Thread-safe. */
bool np_output_keep(np_output_log *log, const char *rel, uint64_t size, int64_t mtime_ns);
/* A worker's kept files, handed to the log a bunch at a time: one lock
 * per bunch instead of two per file, and no copy of the path.
 * Zero-initialise; np_output_batch_flush before np_output_log_finish. */
#define NP_OUTPUT_BATCH 256
typedef struct np_output_batch {
	size_t n;
	struct np_output_kept {
		const char *rel;
		np_fs_info info;
	} items[NP_OUTPUT_BATCH];
} np_output_batch;
/* np_output_keep through near, a folder the calling thread keeps open
 * (util/fs.h), noted in batch.  rel is borrowed: it must outlive the log. */
bool np_output_keep_batch(np_output_log *log, np_output_batch *batch, np_fs_near *near,
                          const char *rel, uint64_t size, int64_t mtime_ns);
/* Adds the batch's files to the log and empties it. */
void np_output_batch_flush(np_output_log *log, np_output_batch *batch);
/* From now on the log trusts that every file is as the last build left
 * it (build/stamp.h says when): np_output_keep and np_output_intact take
 * the size and mtime they are given for the file's without a stat, and
 * np_output_log_finish does not know the outputs' digest.  Call before
 * any thread uses the log. */
void np_output_log_trust(np_output_log *log);
/* True when out_dir/rel is there with exactly this size and mtime (or
 * trusted to be); nothing is noted. */
bool np_output_intact(np_output_log *log, const char *rel, uint64_t size, int64_t mtime_ns);
/* Size and mtime (ns) of out_dir/rel; false when it is not a file. */
bool np_output_stat(np_output_log *log, const char *rel, uint64_t *size, int64_t *mtime_ns);
/* Copies every file under src_dir to out_dir/dst_rel/..., when changed. */
void np_output_copy_tree(np_output_log *log, const char *src_dir, const char *dst_rel, np_diags *d);
/* Sorts the list of the files made so far, on the calling thread (and a
 * helper), while other threads may go on writing through the log: the
 * build calls it once the pages are done and the search index is still
 * being written, so that np_output_log_finish then sorts only what came
 * after.  Once per log; the list np_output_log_finish saves is the same
 * either way. */
void np_output_log_presort(np_output_log *log);
/* Removes stale outputs, saves the list, counts into st, frees log.
 * Returns true when *outputs (unless NULL) got the digest np_stamp_outputs
 * would make of the saved list now (src/build/stamp.h), from the metadata
 * of each output as this build wrote or checked it: no file is statted
 * again. */
bool np_output_log_finish(np_output_log *log, np_build_stats *st, np_fs_digest *outputs,
                          np_diags *d);

#endif
