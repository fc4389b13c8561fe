/* fuzz_record: everything newsprint reads with libyaml, on arbitrary bytes:
 * an article record (np_record_parse), a page record (np_pages_parse),
 * site.yaml (np_site_config_load) and issue.yaml (np_issue_manifest_load).
 *
 * Contracts checked (src/record/record.h, config.h):
 *  - a record that parses is written back by np_record_write() as bytes
 *    that parse to the same fields and rewrite to the same bytes (the
 *    round trip people's edits go through when ingest re-reads them);
 *  - the same for pages.yaml;
 *  - whatever site.yaml says, the configuration keeps its invariants: the
 *    theme is one safe folder name (it is joined to themes/), base_url ends
 *    in '/', per_page is in 1..10000.
 * The two loaders take a path, so the input is handed to them through a
 * memfd (/proc/self/fd/N): no file is left behind and runs are independent. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "record/config.h"
#include "record/record.h"
#include "util/arena.h"
#include "util/fs.h"

static void record(const char *src, size_t len)
{
	np_arena a;
	np_arena_init(&a);
	np_diags d;
	np_diags_init(&d);
	np_article art;
	if (np_record_parse(&art, src, len, "content/articles/x/y.md", &a, &d) == 0) {
		FUZZ_CHECK(art.title.p && art.title.len);
		fuzz_check_record_round_trip(&art);
	} else {
		FUZZ_CHECK(d.errors > 0);
	}
	(void)np_record_state_of(src, len);
	fuzz_check_diags(&d);
	np_diags_dispose(&d);
	np_arena_dispose(&a);
}

static void pages(const char *src, size_t len)
{
	np_arena a;
	np_arena_init(&a);
	np_diags d;
	np_diags_init(&d);
	np_page_record p;
	if (np_pages_parse(&p, src, len, "pages.yaml", &a, &d) == 0) {
		np_buf once, twice;
		np_buf_init(&once);
		np_buf_init(&twice);
		np_pages_write(&p, &once);
		np_page_record back;
		FUZZ_CHECK(np_pages_parse(&back, once.data, once.len, "rt.yaml", &a, &d) == 0);
		FUZZ_CHECK(back.n_pages == p.n_pages);
		np_pages_write(&back, &twice);
		FUZZ_CHECK(once.len == twice.len && memcmp(once.data, twice.data, once.len) == 0);
		np_buf_dispose(&once);
		np_buf_dispose(&twice);
	}
	fuzz_check_diags(&d);
	np_diags_dispose(&d);
	np_arena_dispose(&a);
}

static void configs(const char *src, size_t len)
{
	int fd = memfd_create("fuzz_record", 0);
	FUZZ_CHECK(fd >= 0);
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, src + done, len - done);
		FUZZ_CHECK(n > 0);
		done += (size_t)n;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	np_arena a;
	np_arena_init(&a);
	np_diags d;
	np_diags_init(&d);
	np_site_config c;
	(void)np_site_config_load(&c, path, &a, &d);
	FUZZ_CHECK(c.theme.p && np_path_is_safe_rel(c.theme) && !memchr(c.theme.p, '/', c.theme.len));
	FUZZ_CHECK(c.base_url.len > 0 && c.base_url.p[c.base_url.len - 1] == '/');
	FUZZ_CHECK(c.per_page >= 1 && c.per_page <= 10000);
	np_issue_manifest m;
	(void)np_issue_manifest_load(&m, path, &a, &d);
	for (size_t i = 0; i < m.n_pages; i++)
		(void)np_issue_manifest_page(&m, m.pages[i].file);
	fuzz_check_diags(&d);
	np_diags_dispose(&d);
	np_arena_dispose(&a);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	record(src, size);
	pages(src, size);
	configs(src, size);
	return 0;
}
