/* Events: named meetings, ceremonies, campaigns and programmes, their
 * canonical keys, and the editors' configuration in content/events.yaml
 * (documented in docs/events.md).
 *
 * A key groups the variants of one event: `“十四五”时期社会工作服务机构
 * “牵手计划”`, `社工机构“牵手计划”` and `“牵手计划”` share the key
 * 牵手计划; `第二届闽台社会工作与社会服务研讨会` and `闽台社会工作与社会
 * 服务研讨会` share one series key (ordinals 第N届/首届 and years dropped).
 * Site pages group events by key and show the display name. */
#ifndef NP_META_EVENTS_H
#define NP_META_EVENTS_H

#include <stdbool.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"

typedef struct np_events np_events;

/* Parses events.yaml text (see docs/events.md).  Problems are error
 * diagnostics at path:line:col (YAML syntax errors, a key of the wrong type,
 * an entry without `name`, an alias claimed by two events); the result is
 * then NP_EINVAL and *out is NULL.  An empty document gives an empty
 * configuration.  *out is heap-owned (np_events_free). */
int np_events_parse(np_events **out, np_str yaml, const char *path, np_diags *d);
/* Reads and parses path.  A missing file is not an error: *out = NULL and
 * 0 (no configuration).  Unreadable: NP_EIO with a diagnostic. */
int np_events_load(np_events **out, const char *path, np_diags *d);
void np_events_free(np_events *ev);
/* Number of canonical events configured (for listings and tests). */
size_t np_events_count(const np_events *ev);

/* The canonical key and display name of an event as written in text.
 * Without configuration: the display name is name without 第N届/首届,
 * years (2023年, 2022年度) and enclosing quotation marks, and reduced to the
 * quoted programme when the name ends with one (`社工机构“牵手计划”` ->
 * 牵手计划); the key is the display name without quotation marks, title
 * marks, middle dots and whitespace.  With ev, an alias or canonical name
 * maps to its event's key and configured display name.  Both strings are
 * allocated in a.  Returns true when ev suppresses the event (callers then
 * leave it out), false otherwise. */
bool np_meta_event_key(np_str name, const np_events *ev, np_arena *a, np_str *key, np_str *display);

#endif
