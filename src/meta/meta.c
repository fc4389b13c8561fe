/* np_meta_extract(): splits an article into its zones (headline lines,
 * lede, rest of the body) and runs the extractors over them. */
#include "meta/meta.h"

#include "meta/internal.h"
#include "util/err.h"

/* The first paragraph of a Markdown body (up to the first blank line). */
static np_str first_paragraph(np_str body)
{
	size_t i = np_str_find(body, NP_STR("\n\n"));
	return np_str_trim(i == (size_t)-1 ? body : np_str_sub(body, 0, i));
}

/* The first sentence of a paragraph: up to the first 。！？ that is not
 * inside “…” (a lede that opens with a quotation, as on sample page 001's
 * Ningxia article, runs on to the sentence that reports the news). */
static np_str first_sentence(np_str para)
{
	int depth = 0;
	for (size_t i = 0; i + 3 <= para.len; i++) {
		np_str at = np_str_sub(para, i, 3);
		if (np_str_eq_c(at, "“"))
			depth++;
		else if (np_str_eq_c(at, "”") && depth > 0)
			depth--;
		else if (depth == 0 &&
		         (np_str_eq_c(at, "。") || np_str_eq_c(at, "！") || np_str_eq_c(at, "？")))
			return np_str_sub(para, 0, i + 3);
	}
	return para;
}

static np_str or_empty(np_str s)
{
	return s.p ? s : NP_STR_NULL;
}

typedef struct zone {
	np_str text;
	np_zone zone;
} zone;

/* One code-point view per zone; person names first (their spans are not
 * places), then places and events. */
static void scan_zone(np_article *a, np_places *pl, const zone *z, const np_meta_opts *o,
                      np_strlist *keys, np_arena *arena)
{
	size_t *spans = NULL, n_spans = 0;
	np_cps c;
	if (z->text.len == 0)
		return;
	np_cps_init(&c, z->text, arena);
	np_meta_scan_people(&c, arena, &a->people, &spans, &n_spans);
	np_places_scan(pl, &c, z->zone, spans, n_spans);
	np_meta_scan_events(&c, o->events, arena, keys, &a->events);
}

static int article_year(np_str title, np_str body, np_arena *arena)
{
	np_buf b;
	np_buf_init(&b);
	np_buf_putstr(&b, title);
	np_buf_putc(&b, '\n');
	np_buf_putstr(&b, body);
	int y = np_meta_text_year(np_arena_str(arena, np_str_of(&b)));
	np_buf_dispose(&b);
	return y;
}

int np_meta_extract(np_article *a, const np_meta_opts *o, np_arena *arena, np_diags *d)
{
	const np_gazetteer *g = o->gazetteer ? o->gazetteer : np_gazetteer_builtin();
	if (!g) {
		np_diag_add(d, NP_ERROR, o->path, 0, 0, "the built-in gazetteer is unavailable");
		return NP_EINVAL;
	}
	np_str body = or_empty(a->body), first = first_paragraph(body);
	np_str lede = first_sentence(first);
	size_t rest_off = (size_t)(lede.p - body.p) + lede.len;
	zone zones[] = {
	    {or_empty(a->kicker), NP_ZONE_HEAD},
	    {or_empty(a->title), NP_ZONE_HEAD},
	    {or_empty(a->subtitle), NP_ZONE_HEAD},
	    {lede, NP_ZONE_LEDE},
	    {np_str_sub(body, rest_off, (size_t)-1), NP_ZONE_PLACE},
	};
	np_meta_date_article(a, first, article_year(or_empty(a->title), body, arena), o);
	np_places *pl = np_places_new(g, arena);
	np_strlist keys = {0};
	for (size_t k = 0; k < sizeof zones / sizeof zones[0]; k++)
		scan_zone(a, pl, &zones[k], o, &keys, arena);
	np_places_finish(pl, &a->regions, &a->places);
	return 0;
}
