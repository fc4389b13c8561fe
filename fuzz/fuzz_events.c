/* fuzz_events: content/events.yaml, which editors write by hand, through
 * np_events_parse(), and event names through np_meta_event_key() with and
 * without the configuration parsed.
 *
 * Contracts checked (src/meta/events.h):
 *  - a failed parse reports an error and leaves *out NULL;
 *  - keys and display names are well-formed UTF-8 whenever the name is.
 * The input is parsed as YAML, and its first line is also used as an event
 * name, so the key normaliser sees arbitrary text as well. */
#include <string.h>

#include "fuzz.h"
#include "meta/events.h"
#include "util/arena.h"

static const char *const names[] = {
	"“十四五”时期社会工作服务机构“牵手计划”",
	"第二届闽台社会工作与社会服务研讨会",
	"2023年全国社会工作宣传周",
	"首届",
	"“”",
	"",
};

static void key_of(np_str name, const np_events *ev, np_arena *a)
{
	np_str key = {0}, display = {0};
	(void)np_meta_event_key(name, ev, a, &key, &display);
	FUZZ_CHECK(key.p != NULL || key.len == 0);
	FUZZ_CHECK(display.p != NULL || display.len == 0);
	if (fuzz_utf8_valid(name.p, name.len)) {
		FUZZ_CHECK(fuzz_utf8_valid(key.p, key.len));
		FUZZ_CHECK(fuzz_utf8_valid(display.p, display.len));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	np_diags d;
	np_diags_init(&d);
	np_arena a;
	np_arena_init(&a);
	np_events *ev = (np_events *)&d; /* must be overwritten */
	np_str yaml = {(const char *)data, size};
	int rc = np_events_parse(&ev, yaml, "content/events.yaml", &d);
	if (rc != 0) {
		FUZZ_CHECK(ev == NULL);
		FUZZ_CHECK(d.errors > 0);
	} else {
		FUZZ_CHECK(ev != NULL);
		(void)np_events_count(ev);
	}
	const char *nl = memchr(yaml.p ? yaml.p : "", '\n', size);
	np_str first = {yaml.p, nl ? (size_t)(nl - yaml.p) : size};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		key_of(np_str_from(names[i]), NULL, &a);
		key_of(np_str_from(names[i]), ev, &a);
	}
	key_of(first, NULL, &a);
	key_of(first, ev, &a);
	fuzz_check_diags(&d);
	np_events_free(ev);
	np_arena_dispose(&a);
	np_diags_dispose(&d);
	return 0;
}
