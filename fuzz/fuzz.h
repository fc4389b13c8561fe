/* Shared helpers for the libFuzzer targets in fuzz/fuzz_<name>.c.
 *
 * Each target defines LLVMFuzzerTestOneInput() and nothing else global, so
 * the same file links either with libFuzzer (the NP_FUZZ clang build) or
 * with fuzz/replay.c, the plain driver that tests/fuzz.cmake uses to run
 * every seed corpus file through the normal gcc build.
 *
 * Targets check the contracts of the functions they call, not just the
 * absence of crashes: a broken contract is reported with FUZZ_CHECK, which
 * aborts in every build type (assert() would vanish under -DNDEBUG). */
#ifndef NP_FUZZ_FUZZ_H
#define NP_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                   \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "%s:%d: contract broken: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                           \
		}                                                                          \
	} while (0)

/* True when s[0..len) is well-formed UTF-8 (no surrogates, no overlongs,
 * nothing above U+10FFFF): np_utf8_decode() reports a damaged sequence as
 * U+FFFD consuming one byte, which a genuine U+FFFD never does. */
static inline int fuzz_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = np_utf8_decode(s + i, len - i, &cp);
		if (cp == NP_REPLACEMENT && n == 1)
			return 0;
		i += n;
	}
	return 1;
}

/* Every diagnostic names a path and a readable message, and its position is
 * either absent (line 0, col 0) or 1-based. */
static inline void fuzz_check_diags(const np_diags *d)
{
	for (size_t i = 0; i < d->len; i++) {
		const np_diag *dg = &d->items[i];
		FUZZ_CHECK(dg->path && dg->msg && dg->msg[0]);
		FUZZ_CHECK(dg->line > 0 || dg->col == 0);
		FUZZ_CHECK(dg->severity == NP_NOTE || dg->severity == NP_WARNING ||
		           dg->severity == NP_ERROR);
		np_buf b;
		np_buf_init(&b);
		np_diag_format(dg, &b);
		FUZZ_CHECK(b.len > 0 && b.data[b.len - 1] == '\n');
		np_buf_dispose(&b);
	}
}

#endif

/* Diagnostics about valid UTF-8 text are valid UTF-8 themselves: a message
 * that quotes the input must not cut a character in half (terminals and
 * editors show mojibake, and JSON consumers of the messages reject them). */
static inline void fuzz_check_diags_utf8(const np_diags *d)
{
	/* NP_FUZZ_SKIP_KNOWN=1 skips this check while fuzzing, so a long run
	 * explores past the open finding in fuzz/known/fuzz_page/ instead of
	 * stopping on it in every job. */
	const char *skip = getenv("NP_FUZZ_SKIP_KNOWN");
	if (skip && *skip == '1')
		return;
	for (size_t i = 0; i < d->len; i++) {
		const np_diag *dg = &d->items[i];
		if (!fuzz_utf8_valid(dg->msg, strlen(dg->msg))) {
			fprintf(stderr, "diagnostic is not valid UTF-8: %s\n", dg->msg);
			abort();
		}
	}
}

/* ---- fuzz/common.c ---------------------------------------------------- */

#include "record/article.h"

/* Checks that b, read back from the record np_record_write() made of a,
 * holds everything a held: every field the record format carries, with a
 * page number <= 0 read back as 0 (written as null) and the body trimmed
 * (the writer trims it).  Aborts naming the first field that differs. */
void fuzz_check_same_article(const np_article *a, const np_article *b);

/* Writes a with np_record_write(), checks that the bytes are a record ingest
 * recognises as its own, parses them back and checks nothing was lost.
 * Aborts on any difference.  Used by fuzz_page (records ingest writes) and
 * fuzz_record (records people write). */
void fuzz_check_record_round_trip(const np_article *a);
