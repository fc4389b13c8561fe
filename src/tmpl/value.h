/* Template values: the small dynamic type a renderer builds a page context
 * from (null, bool, int, string, list, map, date, lazy).
 *
 * Every value is allocated in an np_arena owned by the caller (the renderer
 * uses one arena per page job); the template engine never frees values.
 * Strings are borrowed: np_value_str() keeps the pointer it is given, so the
 * bytes must outlive every render that uses the value (records and the site
 * model outlive the render phase); np_value_str_copy() copies into the arena.
 * Map keys are borrowed C strings as well (usually literals).
 *
 * Values are read-only while templates render, so one context (say the
 * site-wide `site` map) may be shared by renders on several threads.  The
 * one exception is a lazy value: it is forced on first access and caches its
 * result, so a context holding lazy values must be used by one render at a
 * time (force them with np_value_force() before sharing). */
#ifndef NP_TMPL_VALUE_H
#define NP_TMPL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"

typedef enum np_vtype {
	NP_V_NULL,
	NP_V_BOOL,
	NP_V_INT,
	NP_V_STR,
	NP_V_LIST,
	NP_V_MAP,
	NP_V_DATE,
	NP_V_LAZY,
	NP_V_LOOP, /* internal: the `loop` variable of a for loop */
	NP_V_UNDEF /* internal: a missing map key seen through default/if */
} np_vtype;

typedef struct np_value np_value;
typedef struct np_vlist np_vlist;
typedef struct np_vmap np_vmap;
typedef struct np_vlazy np_vlazy;
struct np_tmpl_loop;

/* Produces the value of a lazy value in arena a; NULL means null. */
typedef np_value *(*np_value_thunk)(void *ud, np_arena *a);

struct np_value {
	np_vtype type;
	bool safe; /* NP_V_STR only: already HTML, printed without escaping */
	union {
		bool b;
		int64_t i;
		np_str s;
		np_vlist *list;
		np_vmap *map;
		struct {
			int y, m, d;
		} date;
		np_vlazy *lazy;
		const struct np_tmpl_loop *loop;
	} u;
};

struct np_vlist {
	np_value **items;
	size_t len, cap;
};

typedef struct np_vmap_entry {
	np_str key;
	np_value *val;
} np_vmap_entry;

struct np_vmap {
	np_vmap_entry *items; /* in insertion order */
	size_t len, cap;
	uint32_t *index;  /* open addressing, 1-based item index; NULL while small */
	size_t index_cap; /* power of two */
	/* A 128-bit stand-in for the map's content that its builder may attach
	 * (np_value_map_set_digest): output fingerprints hash it instead of the
	 * entries, so a map shared by many page contexts is walked once.  Two
	 * maps with equal digests must have equal content.  Any np_value_map_set
	 * drops it. */
	bool has_digest;
	uint64_t digest[2];
};

struct np_vlazy {
	np_value_thunk fn;
	void *ud;
	np_arena *arena;
	np_value *cached; /* NULL until forced */
	bool forced;
};

/* The shared null, true and false values (static, never freed). */
np_value *np_value_null(void);
np_value *np_value_bool(bool b);
/* Scalars allocated in a. */
np_value *np_value_int(np_arena *a, int64_t i);
/* A string borrowing s (not copied: s must outlive the renders). */
np_value *np_value_str(np_arena *a, np_str s);
/* A string borrowing the C string s (NULL gives null). */
np_value *np_value_strc(np_arena *a, const char *s);
/* A string copied into a. */
np_value *np_value_str_copy(np_arena *a, np_str s);
/* Trusted HTML (e.g. the body cmark rendered): printed without escaping. */
np_value *np_value_safe(np_arena *a, np_str html);
/* A calendar date; the date filter formats it.  Not validated here. */
np_value *np_value_date(np_arena *a, int y, int m, int d);
/* An empty list with room for cap_hint items (0 is fine). */
np_value *np_value_list(np_arena *a, size_t cap_hint);
/* Appends v (NULL = null) to list, growing it in a. */
void np_value_list_push(np_arena *a, np_value *list, np_value *v);
/* An empty map. */
np_value *np_value_map(np_arena *a);
/* An empty map with room for cap entries (no regrowth up to there). */
np_value *np_value_map_sized(np_arena *a, size_t cap);
/* Sets key (borrowed C string) to v (NULL = null), replacing an existing
 * entry.  Amortised O(1): maps above 16 entries keep a hash index. */
void np_value_map_set(np_arena *a, np_value *map, const char *key, np_value *v);
/* Shorthands for np_value_map_set with a fresh scalar. */
void np_value_map_set_str(np_arena *a, np_value *map, const char *key, np_str s);
void np_value_map_set_int(np_arena *a, np_value *map, const char *key, int64_t i);
/* A new map in a with map's entries (values shared, not copied) and room
 * for `extra` more: an overlay of a shared read-only map.  The digest is
 * not copied. */
np_value *np_value_map_copy(np_arena *a, const np_value *map, size_t extra);
/* Attaches digest d to map (see np_vmap); d must determine its content. */
void np_value_map_set_digest(np_value *map, const uint64_t d[2]);
/* The value under key, or NULL when the map has no such key.  Lazy values
 * are returned unforced. */
np_value *np_value_map_get(const np_value *map, np_str key);
/* A value computed by fn(ud, a) on first access and cached. */
np_value *np_value_lazy(np_arena *a, np_value_thunk fn, void *ud);
/* v itself, or for a lazy value its (cached) result; never NULL. */
const np_value *np_value_force(const np_value *v);

/* Truthiness: null, undefined, false, 0, "", empty list and map are false. */
bool np_value_truthy(const np_value *v);
/* "null", "string", "list"... for error messages. */
const char *np_value_type_name(const np_value *v);

#endif
