#include "util/fs_digest.h"

#include "util/hash.h"

void np_fs_digest_rec(np_buf *rec, char tag, const char *dir, const char *name)
{
	np_buf_clear(rec);
	np_buf_putc(rec, tag);
	np_buf_puts(rec, dir);
	if (name) {
		np_buf_putc(rec, '/');
		np_buf_puts(rec, name);
	}
	np_buf_putc(rec, '\0');
}

/* Seconds and nanoseconds apart, as struct stat has them. */
void np_fs_digest_meta(np_buf *rec, uint64_t ino, uint64_t size, int64_t mtime_ns,
                       int64_t ctime_ns, unsigned mode)
{
	int64_t v[7] = {(int64_t)ino,
	                (int64_t)size,
	                mtime_ns / 1000000000,
	                mtime_ns % 1000000000,
	                ctime_ns / 1000000000,
	                ctime_ns % 1000000000,
	                (int64_t)mode};
	np_buf_put(rec, v, sizeof v);
}

void np_fs_digest_mix(np_fs_digest *s, np_buf *rec)
{
	s->a += np_hash64(rec->data, rec->len);
	np_buf_putc(rec, '\x01');
	s->b += np_hash64(rec->data, rec->len);
}
