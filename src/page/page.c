/* np_page_parse: the page pipeline (see internal.h for the stages). */
#include "internal.h"

#include "text/reflow.h"
#include "util/err.h"

static void classify(np_pctx *c)
{
	for (size_t i = 0; i < c->t->n; i++) {
		const np_line *l = &c->t->lines[i];
		c->kind[i] = l->blank ? NP_L_BLANK : np_page_classify_line(l->text);
		c->dw[i] = l->blank ? 0 : np_reflow_dwidth(l->raw);
	}
}

/* At most max bytes of s, cut at a character boundary (a note quoting a
 * block must stay valid UTF-8: fuzz finding debug_trace_cuts_utf8). */
static int quote_len(np_str s, size_t max)
{
	if (s.len <= max)
		return (int)s.len;
	size_t n = max;
	while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

static void trace(np_pctx *c)
{
	static const char *const names[] = {"para", "head", "byline", "source", "caption", "box"};
	for (size_t i = 0; i < c->n_el; i++) {
		const np_elem *e = &c->el[i];
		np_diag_add(c->d, NP_NOTE, c->o->path, e->line, e->col, "%s%s: %.*s",
		            names[e->kind],
		            e->interloper ? " (inside a sentence)"
		            : e->subhead  ? " (subhead)"
		                          : "",
		            quote_len(e->text, 60), e->text.p);
	}
}

int np_page_parse(np_page_result *out, const np_text *text, const np_page_opts *opts, np_arena *a,
                  np_diags *d)
{
	memset(out, 0, sizeof *out);
	np_pctx c = {.t = text, .o = opts, .a = a, .d = d, .out = out};
	size_t n = text->n + 1;
	c.kind = NP_ANEWN(a, np_lkind, n);
	c.dw = NP_ANEWN(a, unsigned, n);
	c.column = NP_ANEWN(a, unsigned, n);
	np_buf_init(&c.scratch);
	np_buf_init(&c.scratch2);
	classify(&c);
	np_bigrams_build(&c.bg, text, a);
	np_page_teasers(&c);
	np_page_segment(&c);
	if (opts->debug)
		trace(&c);
	int rc = np_page_group(&c);
	if (rc == 0 && out->n_articles == 0 && text->n > 0)
		np_diag_add(d, NP_WARNING, opts->path, 1, 1, "no article found on this page");
	np_buf_dispose(&c.scratch);
	np_buf_dispose(&c.scratch2);
	return rc;
}
