/* The record snapshot: a compact binary cache of every record's parsed
 * front matter (everything but the body), kept in <site>/.newsprint/ so
 * that a build parses with libyaml only the records that are new or whose
 * size or mtime changed since the snapshot was saved.
 *
 * File layout (all integers little-endian):
 *   header   "NPSNAP\0\0" | u32 version | u32 0 | u64 n_entries |
 *            u64 XXH3-64 of everything after the header
 *   entry    u32 length of the rest of the entry | the fields, in the
 *            order of np_snap_encode (record path first)
 * Strings are u32 length (0xffffffff = null) + bytes + NUL, so that a
 * decoded string can point into the file (mapped) as a C string.  A file that is
 * missing, of another version, truncated, or whose checksum does not
 * match is ignored as a whole (every record is parsed again); decoding
 * never reads outside the file.  The file is written in record path order,
 * so the same records always give the same bytes. */
#ifndef NP_SITE_SNAPSHOT_H
#define NP_SITE_SNAPSHOT_H

#include <stdint.h>

#include "record/record.h"
#include "site/site.h"
#include "util/fs_list.h"

#define NP_SNAP_VERSION 3u
#define NP_SNAP_FILE ".newsprint/records.snap"
/* The page records' (pages.yaml) snapshot: the same container, a file of
 * its own, entries made by np_snap_encode_pages. */
#define NP_PAGES_SNAP_FILE ".newsprint/pages.snap"

typedef struct np_snap np_snap;

/* Maps (else reads) the snapshot at path.  Never NULL: a missing or
 * unusable file gives an empty snapshot.  Owns its bytes; np_snap_free
 * releases them, so records decoded from it must be gone by then. */
np_snap *np_snap_load(const char *path);
void np_snap_free(np_snap *s);
/* Number of entries (0 for an ignored file). */
size_t np_snap_count(const np_snap *s);
/* What an entry is good for: the record file's metadata when it was read
 * (what the build stamp trusts too: an edit changes one of them). */
typedef struct np_snap_key {
	uint64_t size, ino;
	int64_t mtime_ns, ctime_ns;
} np_snap_key;
/* The key of a file as the build's listing saw it. */
static inline np_snap_key np_snap_key_of(const np_fs_item *it)
{
	return (np_snap_key){it->size, it->ino, it->mtime_ns, it->ctime_ns};
}
/* Finds the entries of n record paths given in strcmp order, in one pass
 * over both (no hash of 100,000s of paths): idx[i] is the index of the
 * entry of paths[i], or SIZE_MAX when there is none. */
void np_snap_match(const np_snap *s, const char *const *paths, size_t n, size_t *idx);
/* Entry idx (from np_snap_match) when its file's metadata is key (as stat
 * gives it now), else a null np_str.  The slice borrows s's bytes. */
np_str np_snap_entry(const np_snap *s, size_t idx, np_snap_key key);
/* Appends the entry of sa (front matter, record path, file size, mtime,
 * inode, ctime, body offset and body hash) to out. */
void np_snap_encode(np_buf *out, const np_site_article *sa);
/* Fills sa from an entry made by np_snap_encode (sa->rec.body stays
 * null).  Nothing is copied: sa's strings point into the entry, which must
 * outlive sa; only the arrays of its lists are allocated, in a.  0, or
 * NP_EINVAL for a malformed entry. */
int np_snap_decode(np_str entry, np_site_article *sa, np_arena *a);
/* np_snap_decode without the people and captions lists, which only an
 * article's own page shows (some 10 MB at 100,000 records, not decoded at
 * every load): sa->lazy_lists is where they are in the entry, for
 * np_snap_decode_lists (np_site_article_lists). */
int np_snap_decode_lazy(np_str entry, np_site_article *sa, np_arena *a);
/* The people and captions lists from sa->lazy_lists, their arrays in a.
 * 0, or NP_EINVAL (both lists empty) for bytes that are not such lists. */
int np_snap_decode_lists(np_str lists, np_strlist *people, np_strlist *captions, np_arena *a);
/* The part of an entry made by np_snap_encode that says what the record
 * holds: its body hash and fields, without its path, its file's metadata
 * and the body's offset in the file (so a touch, a copy or a reformatted
 * front matter leaves it as it was).  A slice of entry; null when the
 * entry is malformed. */
np_str np_snap_content(np_str entry);
/* The slug and source_file of the record in an entry, read without
 * decoding the rest (what ingest needs of every record to know the slugs
 * taken): as np_snap_decode would give them, with the same checks of the
 * whole entry.  0, or NP_EINVAL for a malformed entry. */
int np_snap_slug(np_str entry, np_str *slug, np_str *source_file);
/* The index of path's entry (for np_snap_entry), or SIZE_MAX: a binary
 * search, for a lookup of one path. */
size_t np_snap_find(const np_snap *s, np_str path);
/* Appends the entry of page record p, read from the file at path (relative
 * to the site) whose metadata is key. */
void np_snap_encode_pages(np_buf *out, const char *path, np_snap_key key,
                          const np_page_record *p);
/* Fills p from an entry made by np_snap_encode_pages: strings point into
 * the entry (C strings), arrays are allocated in a.  0, or NP_EINVAL for
 * a malformed entry. */
int np_snap_decode_pages(np_str entry, np_page_record *p, np_arena *a);
/* Writes the entries (each made by np_snap_encode) under a header to
 * path, through a temporary file; untouched when the bytes are the same.
 * 0 or NP_EIO. */
int np_snap_save(const char *path, const np_str *entries, size_t n);

#endif
