/* The gazetteer: China's province-, prefecture- and county-level divisions
 * (data/regions.tsv, 3,243 rows: code, level, name, short, parent; see
 * data/regions.README.md for provenance, licence and the short-name rules),
 * embedded in the program at build time.
 *
 * Regions form a tree (province -> city -> county; a county directly under
 * its province where NBS has no real prefecture, e.g. Beijing's districts).
 * A region's `path` is its full official names joined with '/':
 * `宁夏回族自治区/银川市/灵武市`, the form records use in `regions` and
 * `places`.  Everything here is read-only after construction and safe to
 * share between threads. */
#ifndef NP_META_GAZETTEER_H
#define NP_META_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/diag.h"

typedef enum np_region_level {
	NP_LEVEL_PROVINCE = 1,
	NP_LEVEL_CITY = 2,   /* 地级: 地级市, 自治州, 地区, 盟 */
	NP_LEVEL_COUNTY = 3, /* 县级: 市辖区, 县, 县级市, 自治县, 旗 … */
} np_region_level;

typedef struct np_region np_region;
struct np_region {
	uint32_t code; /* GB/T 2260 code, e.g. 640181 */
	np_region_level level;
	np_str name;                   /* full official name: 灵武市 */
	np_str short_name;             /* safe short name (灵武), or empty */
	np_str path;                   /* 宁夏回族自治区/银川市/灵武市 */
	const np_region *parent;       /* NULL for provinces */
	const np_region *first_child;  /* children in code order, or NULL */
	const np_region *next_sibling; /* next child of the same parent */
	unsigned depth;                /* number of components in path (1..3) */
};

typedef struct np_gazetteer np_gazetteer;

/* The gazetteer built from the embedded data, built on first use
 * (pthread_once) and never freed; NULL only if the embedded data is corrupt,
 * which the unit tests rule out. */
const np_gazetteer *np_gazetteer_builtin(void);

/* Builds a gazetteer from regions.tsv text (header row first) and,
 * optionally, regions_short_blanked.tsv text (context-only short names; an
 * empty np_str for none).  Malformed rows give NP_EINVAL with an error
 * diagnostic naming path:line.  *out is heap-owned by the caller
 * (np_gazetteer_free).  The strings are copied. */
int np_gazetteer_load(np_gazetteer **out, np_str tsv, np_str blanked, const char *path,
                      np_diags *d);
void np_gazetteer_free(np_gazetteer *g);

/* Number of regions, and the i-th in code order (0 <= i < count). */
size_t np_gazetteer_count(const np_gazetteer *g);
const np_region *np_gazetteer_at(const np_gazetteer *g, size_t i);
/* The first province in code order; walk with ->next_sibling. */
const np_region *np_gazetteer_provinces(const np_gazetteer *g);
/* Lookup by code (binary search), or NULL. */
const np_region *np_gazetteer_by_code(const np_gazetteer *g, uint32_t code);
/* Lookup by full path (`宁夏回族自治区/银川市/灵武市`), or NULL.  Paths are
 * unique even where names are not (北京市/朝阳区 vs 吉林省/长春市/朝阳区). */
const np_region *np_gazetteer_by_path(const np_gazetteer *g, np_str path);
/* True when a is r or one of r's ancestors. */
int np_region_is_within(const np_region *r, const np_region *a);
/* The ancestor of r at level (r itself if r->level == level), or NULL. */
const np_region *np_region_ancestor(const np_region *r, np_region_level level);

#endif
