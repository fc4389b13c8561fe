/* Content hashes (XXH3, 64 and 128 bit) for the build cache and for edit
 * detection in records.  Not cryptographic: they detect change, not attack. */
#ifndef NP_UTIL_HASH_H
#define NP_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t np_hash64(const void *p, size_t len);
/* 32 lowercase hex digits of the 128-bit hash plus NUL into out[33]. */
void np_hash128_hex(const void *p, size_t len, char out[33]);

#endif
