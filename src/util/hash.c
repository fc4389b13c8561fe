#include "util/hash.h"

#include <stdio.h>
#include <xxhash.h>

uint64_t np_hash64(const void *p, size_t len) { return XXH3_64bits(p, len); }

void np_hash128_hex(const void *p, size_t len, char out[33])
{
	XXH128_hash_t h = XXH3_128bits(p, len);
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64,
	         (unsigned long long)h.low64);
}
