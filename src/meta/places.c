/* Regions and places: gazetteer names found by one automaton pass per text
 * segment, filtered by look-around rules, narrowed by consecutive mentions,
 * disambiguated by the rest of the article, never guessed.
 *
 * The rules (issue 5; data/regions.README.md "Caveats for a matcher"):
 *  - leftmost-longest matches: 宁夏回族自治区 beats 宁夏, 云南 in 云南开发
 *    beats 南开;
 *  - a short name followed by 镇/乡/村/街/路/社区… names a town or street,
 *    not the county (金牛街道, 宜城街道);
 *  - a name followed within a few characters by 大学/学院 is part of an
 *    institution's name (中山大学 is not 中山市; 甘肃政法大学);
 *  - a short name after 中国 or before 精神 is part of an organisation's or
 *    an idea's name (中国延安精神研究会);
 *  - a blanked short name (马尾) or a generic full name (城区, 新县) counts
 *    only right after an ancestor's name (福州马尾, 阳泉市城区);
 *  - consecutive names narrow each other (云南省昆明市官渡区); a name right
 *    after a county-level name is a town or street inside it (海珠区南华西
 *    街道), never a second county;
 *  - a name shared by several regions (朝阳区) is kept only when the
 *    article names exactly one of their ancestors or neighbours;
 *  - the headline's places and the lede's are regions, but a venue
 *    (在灵武市举行) leaves the lede's other places (organisers, guests) to
 *    places;
 *  - a bare county-level short name (顺德, 晋安) is kept only when the
 *    article names its province or prefecture or a neighbour: two
 *    characters cross word boundaries too often (搭建平台 is not 建平县,
 *    幸福安康 is not 福安市). */
#include <stdlib.h>

#include "meta/internal.h"
#include "meta/match.h"

#define MAX_CANDS 8

typedef struct mention {
	size_t start, end; /* bytes, within the segment */
	const np_region *cands[MAX_CANDS];
	bool ctx_only[MAX_CANDS]; /* the candidate needs an ancestor right before */
	unsigned n;
	np_zone zone;
	bool weak;  /* a bare county short name: needs an ancestor in the article */
	bool venue; /* 在<place>…举行: where the reported event takes place */
} mention;

typedef struct mlist {
	mention *items;
	size_t len, cap;
} mlist;

struct np_places {
	const np_gazetteer *g;
	np_arena *a;
	mlist all;
};

typedef struct raw_match {
	size_t start, end;
	int32_t id;
} raw_match;

typedef struct raw_list {
	raw_match *items;
	size_t len, cap;
	np_arena *a;
} raw_list;

static void mlist_push(mlist *l, np_arena *a, const mention *m)
{
	NP_APUSH(a, l->items, l->len, l->cap, *m);
}

static int on_match(void *ctx, size_t start, size_t end, int32_t id)
{
	raw_list *l = ctx;
	NP_APUSH(l->a, l->items, l->len, l->cap, ((raw_match){start, end, id}));
	return 0;
}

np_places *np_places_new(const np_gazetteer *g, np_arena *a)
{
	np_places *p = NP_ANEW(a, np_places);
	p->g = g;
	p->a = a;
	return p;
}

static bool is_short_kind(np_name_kind k)
{
	return k == NP_NAME_SHORT || k == NP_NAME_VARIANT || k == NP_NAME_CONTEXT;
}

/* What follows a short name when it does not name the region: a town,
 * village or street (金牛街道), or a bank or foot (黄河南岸 is not 河南). */
static bool street_after(const np_cps *c, size_t i)
{
	static const char *const words[] = {"镇",   "乡",   "村",   "街",   "巷",     "弄",
	                                    "社区", "大道", "小区", "胡同", "里社区", NULL};
	for (size_t k = 0; words[k]; k++)
		if (np_cps_has(c, i, words[k]))
			return true;
	/* 黄河南岸 and 泰山东麓 are a river's bank and a mountain's foot. */
	if (np_cps_has(c, i, "岸") || np_cps_has(c, i, "麓"))
		return true;
	/* 路 is a road unless it starts 路径/路线/路子 (太仓路径). */
	return np_cps_has(c, i, "路") && !np_cps_has(c, i + 1, "径") &&
	       !np_cps_has(c, i + 1, "线") && !np_cps_has(c, i + 1, "子");
}

/* 大学/学院 within six characters of running Han text after i. */
static bool institution_after(const np_cps *c, size_t i)
{
	for (size_t k = i; k < i + 6 && k < c->n && !np_meta_is_punct(c->cp[k]); k++) {
		if (!np_cps_has(c, k, "大学") && !np_cps_has(c, k, "学院"))
			continue;
		/* 学院路街道, 大学城: a street or a district, not an institution. */
		return !(np_cps_has(c, k + 2, "路") || np_cps_has(c, k + 2, "街") ||
		         np_cps_has(c, k + 2, "城"));
	}
	return false;
}

/* Common surnames, sorted (王李张刘陈杨赵吴周徐孙朱胡郭高林罗郑梁谢宋唐许
 * 韩冯邓曹彭曾): a two-character city or county short name right after one
 * is more likely a given name (王建华, 孙中山, 李长春) than a place. */
static const uint32_t place_surnames[] = {
    0x51AF, 0x5218, 0x5434, 0x5468, 0x5510, 0x5B59, 0x5B8B, 0x5F20, 0x5F6D, 0x5F90,
    0x66F9, 0x66FE, 0x6731, 0x674E, 0x6768, 0x6797, 0x6881, 0x738B, 0x7F57, 0x80E1,
    0x8BB8, 0x8C22, 0x8D75, 0x9093, 0x90D1, 0x90ED, 0x9648, 0x97E9, 0x9AD8};

static bool surname_before(const np_cps *c, size_t i)
{
	static np_cpset set = NP_CPSET(place_surnames);
	return i > 0 && np_cpset_has(&set, c->cp[i - 1]);
}

static bool ref_allowed(const np_name_ref *r, const np_cps *c, size_t i0, size_t i1)
{
	if (!is_short_kind(r->kind))
		return true;
	if (street_after(c, i1) || np_cps_has(c, i1, "精神"))
		return false;
	if (i0 >= 2 && np_cps_has(c, i0 - 2, "中国"))
		return false;
	if (r->kind == NP_NAME_SHORT && r->region->level != NP_LEVEL_PROVINCE && i1 - i0 == 2 &&
	    surname_before(c, i0))
		return false;
	return true;
}

/* Candidates of one raw match after the look-around rules; false if none. */
static bool make_mention(const np_places *p, const np_cps *c, const raw_match *rm, mention *m)
{
	const np_name_ref *refs;
	size_t n = np_gazetteer_refs(p->g, rm->id, &refs);
	size_t i0 = np_cps_index(c, rm->start), i1 = np_cps_index(c, rm->end);
	bool has_full = false;
	for (size_t k = 0; k < n; k++)
		has_full |= refs[k].kind == NP_NAME_FULL || refs[k].kind == NP_NAME_GENERIC;
	*m = (mention){.start = rm->start, .end = rm->end, .weak = true};
	if (institution_after(c, i1))
		return false;
	for (size_t k = 0; k < n && m->n < MAX_CANDS; k++) {
		const np_name_ref *r = &refs[k];
		if (r->kind == NP_NAME_VETO || (has_full && is_short_kind(r->kind)))
			continue;
		if (!ref_allowed(r, c, i0, i1))
			continue;
		m->ctx_only[m->n] = r->kind == NP_NAME_CONTEXT || r->kind == NP_NAME_GENERIC;
		m->weak &= r->kind == NP_NAME_SHORT && r->region->level == NP_LEVEL_COUNTY;
		m->cands[m->n++] = r->region;
	}
	return m->n > 0;
}

static int cmp_raw(const void *a, const void *b)
{
	const raw_match *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end;
}

/* Sorted, disjoint byte spans ({start, end} pairs) walked by queries of
 * non-decreasing start, so all queries together take linear time. */
typedef struct span_cursor {
	const size_t *spans;
	size_t n, k;
} span_cursor;

static bool overlaps(span_cursor *sc, size_t s, size_t e)
{
	while (sc->k < sc->n && sc->spans[2 * sc->k + 1] <= s)
		sc->k++;
	return sc->k < sc->n && sc->spans[2 * sc->k] < e;
}

/* Does some candidate of prev contain (strictly) region r? */
static bool under_prev(const mention *prev, const np_region *r)
{
	for (unsigned k = 0; k < prev->n; k++)
		if (r != prev->cands[k] && np_region_is_within(r, prev->cands[k]))
			return true;
	return false;
}

static void keep_only(mention *m, bool (*keep)(const mention *, unsigned, const void *),
                      const void *arg)
{
	unsigned n = 0;
	for (unsigned k = 0; k < m->n; k++)
		if (keep(m, k, arg)) {
			m->cands[n] = m->cands[k];
			m->ctx_only[n] = m->ctx_only[k];
			n++;
		}
	m->n = n;
}

static bool keep_free(const mention *m, unsigned k, const void *arg)
{
	(void)arg;
	return !m->ctx_only[k];
}

static bool keep_under(const mention *m, unsigned k, const void *arg)
{
	return under_prev(arg, m->cands[k]);
}

static bool keep_ancestor(const mention *m, unsigned k, const void *arg)
{
	const mention *next = arg;
	for (unsigned j = 0; j < next->n; j++)
		if (np_region_is_within(next->cands[j], m->cands[k]))
			return true;
	return false;
}

static bool all_county(const mention *m)
{
	for (unsigned k = 0; k < m->n; k++)
		if (m->cands[k]->level != NP_LEVEL_COUNTY)
			return false;
	return m->n > 0;
}

/* Narrows m by prev when prev ends where m starts.  Returns false when m
 * is to be dropped. */
static bool narrow(mention *prev, mention *m)
{
	if (prev && prev->end == m->start) {
		mention t = *m;
		keep_only(&t, keep_under, prev);
		if (t.n) {
			*m = t;
			m->weak = false;
			keep_only(prev, keep_ancestor, m);
			return true;
		}
		if (all_county(prev))
			return false; /* a town or street inside the county */
	}
	keep_only(m, keep_free, NULL);
	return m->n > 0;
}

/* Standard one-character abbreviations, used only in fixed patterns. */
static const struct abbr {
	const char *ch, *path;
	bool single; /* also valid alone after 在/赴/进…: 在京举行 */
} abbrs[] = {
    {"京", "北京市", true},          {"津", "天津市", true},      {"沪", "上海市", true},
    {"渝", "重庆市", true},          {"冀", "河北省", false},     {"晋", "山西省", false},
    {"辽", "辽宁省", false},         {"苏", "江苏省", false},     {"浙", "浙江省", false},
    {"皖", "安徽省", false},         {"闽", "福建省", false},     {"赣", "江西省", false},
    {"鲁", "山东省", false},         {"豫", "河南省", false},     {"鄂", "湖北省", false},
    {"湘", "湖南省", false},         {"粤", "广东省", false},     {"琼", "海南省", false},
    {"川", "四川省", false},         {"黔", "贵州省", false},     {"滇", "云南省", false},
    {"陕", "陕西省", false},         {"甘", "甘肃省", false},     {"陇", "甘肃省", false},
    {"桂", "广西壮族自治区", false}, {"藏", "西藏自治区", false}, {"港", "香港特别行政区", false},
    {"澳", "澳门特别行政区", false},
};

/* The abbreviation characters, sorted: 京津沪渝冀晋辽苏浙皖闽赣鲁豫鄂湘粤琼川黔滇陕甘陇桂藏港澳. */
static const uint32_t abbr_chars[] = {0x4EAC, 0x5180, 0x5DDD, 0x664B, 0x6842, 0x6CAA, 0x6D25,
                                      0x6D59, 0x6E1D, 0x6E2F, 0x6E58, 0x6EC7, 0x6FB3, 0x743C,
                                      0x7518, 0x7696, 0x7CA4, 0x82CF, 0x85CF, 0x8C6B, 0x8D63,
                                      0x8FBD, 0x9102, 0x95FD, 0x9647, 0x9655, 0x9C81, 0x9ED4};

static const struct abbr *abbr_at(const np_cps *c, size_t i)
{
	static np_cpset set = NP_CPSET(abbr_chars);
	if (!np_cpset_has(&set, c->cp[i]))
		return NULL;
	for (size_t k = 0; k < sizeof abbrs / sizeof abbrs[0]; k++)
		if (np_cps_has(c, i, abbrs[k].ch))
			return &abbrs[k];
	return NULL;
}

/* True when a verb of taking place (举行, 召开 …) follows index i within 30
 * characters and before a comma or full stop. */
static bool verb_follows(const np_cps *c, size_t i)
{
	static const char *const verbs[] = {"举行", "举办", "召开", "启动", "开幕", "闭幕", "落幕",
	                                    "成立", "开班", "揭牌", "揭幕", "启幕", NULL};
	for (size_t end = i + 30; i < c->n && i < end; i++) {
		if (np_cps_word_at(c, i, verbs))
			return true;
		if (c->cp[i] == 0xFF0C || c->cp[i] == 0x3002 || c->cp[i] == 0xFF1B)
			return false;
	}
	return false;
}

static void add_abbr(np_places *p, const np_cps *c, size_t i, const struct abbr *ab, np_zone z)
{
	const np_region *r = np_gazetteer_by_path(p->g, np_str_from(ab->path));
	if (!r)
		return;
	mention m = {.start = c->off[i], .end = c->off[i + 1], .n = 1, .zone = z};
	m.cands[0] = r;
	m.venue = i > 0 && np_cps_has(c, i - 1, "在") && verb_follows(c, i + 1);
	mlist_push(&p->all, p->a, &m);
}

/* 在京/赴京/进京… (municipalities only) and pairs such as 沪甘两地,
 * 沪甘签署, 黔渝两地.  Positions inside a gazetteer match are skipped. */
static void scan_abbrs(np_places *p, const np_cps *c, np_zone z, const mlist *seg)
{
	static const char *const pre[] = {"在", "赴", "进", "来", "抵", "离", "返", "驻", NULL};
	static const char *const post[] = {"两地", "两省", "双方", "签署", "签订", "合作",
	                                   "携手", "共建", "联合", "协作", "对口", NULL};
	size_t k_seg = 0; /* seg is sorted and disjoint: one forward cursor */
	for (size_t i = 0; i < c->n; i++) {
		const struct abbr *ab = abbr_at(c, i), *ab2;
		if (!ab)
			continue;
		while (k_seg < seg->len && seg->items[k_seg].end <= c->off[i])
			k_seg++;
		if (k_seg < seg->len && seg->items[k_seg].start <= c->off[i])
			continue; /* inside a gazetteer match */
		bool single = false;
		for (size_t k = 0; ab->single && i > 0 && pre[k]; k++)
			single |= np_cps_has(c, i - 1, pre[k]);
		if (single) {
			add_abbr(p, c, i, ab, z);
			continue;
		}
		if (i + 1 >= c->n || !(ab2 = abbr_at(c, i + 1)) || ab2 == ab)
			continue;
		for (size_t k = 0; post[k]; k++)
			if (np_cps_has(c, i + 2, post[k])) {
				add_abbr(p, c, i, ab, z);
				add_abbr(p, c, i + 1, ab2, z);
				i++;
				break;
			}
	}
}

/* The veto words' spans, sorted and merged into disjoint spans. */
static span_cursor veto_spans(np_places *p, const raw_list *raw)
{
	raw_list v = {.a = p->a};
	for (size_t k = 0; k < raw->len; k++) {
		const np_name_ref *refs;
		size_t n = np_gazetteer_refs(p->g, raw->items[k].id, &refs);
		if (n && refs[0].kind == NP_NAME_VETO)
			on_match(&v, raw->items[k].start, raw->items[k].end, -1);
	}
	size_t *spans = NP_ANEWN(p->a, size_t, 2 * v.len + 2), n = 0;
	if (v.len)
		qsort(v.items, v.len, sizeof *v.items, cmp_raw);
	for (size_t k = 0; k < v.len; k++) {
		if (n && v.items[k].start < spans[2 * n - 1]) {
			if (v.items[k].end > spans[2 * n - 1])
				spans[2 * n - 1] = v.items[k].end;
			continue;
		}
		spans[2 * n] = v.items[k].start;
		spans[2 * n + 1] = v.items[k].end;
		n++;
	}
	return (span_cursor){spans, n, 0};
}

/* Leftmost-longest selection of the raw matches that survive the rules;
 * matches inside a veto word or a person's name are not places. */
static void select_mentions(np_places *p, const np_cps *c, raw_list *raw, const size_t *skip,
                            size_t n_skip, mlist *out)
{
	span_cursor veto = veto_spans(p, raw), people = {skip, n_skip, 0};
	if (raw->len)
		qsort(raw->items, raw->len, sizeof *raw->items, cmp_raw);
	size_t last_end = 0;
	for (size_t k = 0; k < raw->len; k++) {
		const raw_match *rm = &raw->items[k];
		mention m;
		if (rm->start < last_end)
			continue;
		bool blocked = overlaps(&veto, rm->start, rm->end);
		blocked |= overlaps(&people, rm->start, rm->end);
		if (blocked || !make_mention(p, c, rm, &m))
			continue;
		mlist_push(out, p->a, &m);
		last_end = rm->end;
	}
}

/* 在 + place + 举行/召开 …: the venue of the reported event (大会在宁夏回族
 * 自治区灵武市举行, 民政厅在廊坊市召开…现场会).  Marks the place and the
 * names chained to it. */
static void mark_venues(const np_cps *c, mlist *seg)
{
	for (size_t k = 0; k < seg->len; k++) {
		mention *m = &seg->items[k];
		size_t i0 = np_cps_index(c, m->start);
		if (!m->n || i0 == 0 || !np_cps_has(c, i0 - 1, "在"))
			continue;
		size_t last = k;
		while (last + 1 < seg->len && seg->items[last + 1].start == seg->items[last].end &&
		       seg->items[last + 1].n)
			last++;
		bool venue = verb_follows(c, np_cps_index(c, seg->items[last].end));
		for (size_t j = k; venue && j <= last; j++)
			seg->items[j].venue = true;
		k = last;
	}
}

void np_places_scan(np_places *p, const np_cps *c, np_zone zone, const size_t *skip, size_t n_skip)
{
	raw_list raw = {.a = p->a};
	mlist seg = {0};
	if (c->n == 0)
		return;
	np_ac_scan(np_gazetteer_ac(p->g), c->text, on_match, &raw);
	select_mentions(p, c, &raw, skip, n_skip, &seg);
	mention *prev = NULL;
	for (size_t k = 0; k < seg.len; k++) {
		mention *m = &seg.items[k];
		m->zone = zone;
		if (!narrow(prev, m)) {
			m->n = 0;
			prev = NULL;
			continue;
		}
		prev = m;
	}
	mark_venues(c, &seg);
	scan_abbrs(p, c, zone, &seg);
	for (size_t k = 0; k < seg.len; k++)
		if (seg.items[k].n)
			mlist_push(&p->all, p->a, &seg.items[k]);
}

/* A candidate is supported by the article when a region named without
 * ambiguity contains it or shares its prefecture. */
static bool supported(const np_region *c, const np_region *const *uniq, size_t n_uniq)
{
	const np_region *city = np_region_ancestor(c, NP_LEVEL_CITY);
	for (size_t k = 0; k < n_uniq; k++) {
		if (uniq[k] != c && np_region_is_within(c, uniq[k]))
			return true;
		if (city && np_region_ancestor(uniq[k], NP_LEVEL_CITY) == city && uniq[k] != c)
			return true;
	}
	return false;
}

static const np_region *resolve(const mention *m, const np_region *const *uniq, size_t n_uniq)
{
	const np_region *found = NULL;
	if (m->n == 1 && !m->weak)
		return m->cands[0];
	for (unsigned k = 0; k < m->n; k++) {
		if (!supported(m->cands[k], uniq, n_uniq))
			continue;
		if (found)
			return NULL; /* still ambiguous: left out, never guessed */
		found = m->cands[k];
	}
	return found;
}

/* Appends r to list unless it is there (lists hold distinct regions, a
 * few dozen per article, so a linear check keeps this O(mentions × u)). */
static void add_distinct(const np_region **list, size_t *n, const np_region *r)
{
	for (size_t k = 0; k < *n; k++)
		if (list[k] == r)
			return;
	list[(*n)++] = r;
}

/* r is an ancestor of some entry of list other than itself. */
static bool ancestor_of_any(const np_region *r, const np_region *const *list, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (list[k] != r && np_region_is_within(list[k], r))
			return true;
	return false;
}

/* Which mentions name where the news happens: the headline's, and the
 * lede's — only its venue when it names one that resolves (大会在宁夏回族
 * 自治区灵武市举行: the organisers' and guests' places are other places). */
static void region_flags(const mlist *all, const np_region *const *res, bool *is_region)
{
	bool venue = false;
	for (size_t k = 0; k < all->len; k++)
		venue |= res[k] && all->items[k].venue && all->items[k].zone != NP_ZONE_PLACE;
	for (size_t k = 0; k < all->len; k++) {
		const mention *m = &all->items[k];
		is_region[k] =
		    m->zone == NP_ZONE_HEAD || (m->zone == NP_ZONE_LEDE && (!venue || m->venue));
	}
}

void np_places_finish(np_places *p, np_strlist *regions, np_strlist *places)
{
	size_t n = p->all.len, n_uniq = 0, n_regs = 0, n_pls = 0;
	const np_region **uniq = NP_ANEWN(p->a, const np_region *, n + 1);
	const np_region **res = NP_ANEWN(p->a, const np_region *, n + 1);
	const np_region **regs = NP_ANEWN(p->a, const np_region *, n + 1);
	const np_region **pls = NP_ANEWN(p->a, const np_region *, n + 1);
	bool *is_region = NP_ANEWN(p->a, bool, n + 1);
	for (size_t k = 0; k < n; k++)
		if (p->all.items[k].n == 1 && !p->all.items[k].weak)
			add_distinct(uniq, &n_uniq, p->all.items[k].cands[0]);
	for (size_t k = 0; k < n; k++)
		res[k] = resolve(&p->all.items[k], uniq, n_uniq);
	region_flags(&p->all, res, is_region);
	for (size_t k = 0; k < n; k++)
		if (res[k])
			add_distinct(is_region[k] ? regs : pls, is_region[k] ? &n_regs : &n_pls,
			             res[k]);
	for (size_t k = 0; k < n_regs; k++)
		if (!ancestor_of_any(regs[k], regs, n_regs))
			np_strlist_add(regions, p->a, regs[k]->path);
	for (size_t k = 0; k < n_pls; k++) {
		const np_region *r = pls[k];
		bool is_reg = false;
		for (size_t j = 0; j < n_regs; j++)
			is_reg |= regs[j] == r;
		if (!is_reg && !ancestor_of_any(r, regs, n_regs) && !ancestor_of_any(r, pls, n_pls))
			np_strlist_add(places, p->a, r->path);
	}
}
