/* A digest of file metadata, the same whoever computes it: the build stamp
 * when it stats files itself, the output writer from the metadata its
 * writes and checks returned.  Order-independent (a sum of one 128-bit
 * hash per record), so records can be added from any thread's partial
 * sum in any order. */
#ifndef NP_UTIL_FS_DIGEST_H
#define NP_UTIL_FS_DIGEST_H

#include <stdint.h>

#include "util/buf.h"

typedef struct np_fs_digest {
	uint64_t a, b;
} np_fs_digest;

/* rec = tag, path (dir "/" name, or dir alone when name is NULL), NUL. */
void np_fs_digest_rec(np_buf *rec, char tag, const char *dir, const char *name);
/* Appends a file's metadata to rec (mode: st_mode & S_IFMT). */
void np_fs_digest_meta(np_buf *rec, uint64_t ino, uint64_t size, int64_t mtime_ns,
                       int64_t ctime_ns, unsigned mode);
/* Adds the record in rec (which gets one byte longer) to s. */
void np_fs_digest_mix(np_fs_digest *s, np_buf *rec);

static inline np_fs_digest np_fs_digest_add(np_fs_digest x, np_fs_digest y)
{
	return (np_fs_digest){x.a + y.a, x.b + y.b};
}

/* x less the records summed in y (a record mixed in once and taken out
 * again leaves no trace). */
static inline np_fs_digest np_fs_digest_sub(np_fs_digest x, np_fs_digest y)
{
	return (np_fs_digest){x.a - y.a, x.b - y.b};
}

static inline int np_fs_digest_eq(np_fs_digest x, np_fs_digest y)
{
	return x.a == y.a && x.b == y.b;
}

#endif
