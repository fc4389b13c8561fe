#include "text/reflow.h"

#include "util/utf8.h"

/* East Asian wide code points as they are typeset in a Chinese column:
 * Han, kana, Hangul, CJK and full-width punctuation, and the curly quotes and
 * dashes, which Chinese fonts set full-width. */
static bool is_wide(uint32_t cp)
{
	if (cp < 0x2000)
		return false;
	return (cp >= 0x2014 && cp <= 0x201F) || cp == 0x2026 || (cp >= 0x2460 && cp <= 0x24FF) ||
	       (cp >= 0x25A0 && cp <= 0x25FF) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000;
}

unsigned np_reflow_dwidth(np_str s)
{
	s = np_str_trim(s);
	unsigned w = 0;
	for (size_t i = 0; i < s.len;) {
		uint32_t cp;
		i += np_utf8_decode(s.p + i, s.len - i, &cp);
		w += is_wide(cp) ? 2 : 1;
	}
	return w;
}

bool np_reflow_is_stop(uint32_t cp)
{
	return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0x2026 || cp == '!' ||
	       cp == '?' || cp == 0xFF0E;
}

static bool is_closer(uint32_t cp)
{
	return cp == 0x201D || cp == 0x2019 || cp == 0x300D || cp == 0x300F || cp == 0xFF09 ||
	       cp == 0x300B || cp == ')' || cp == '"';
}

uint32_t np_reflow_first_cp(np_str s)
{
	uint32_t cp = 0;
	if (s.len)
		np_utf8_decode(s.p, s.len, &cp);
	return cp;
}

uint32_t np_reflow_last_cp(np_str s)
{
	uint32_t cp = 0;
	if (s.len) {
		size_t at = np_utf8_prev(s.p, s.len);
		np_utf8_decode(s.p + at, s.len - at, &cp);
	}
	return cp;
}

bool np_reflow_ends_sentence(np_str text)
{
	text = np_str_trim(text);
	uint32_t last = np_reflow_last_cp(text);
	if (np_reflow_is_stop(last))
		return true;
	if (!is_closer(last))
		return false;
	np_str before = {text.p, np_utf8_prev(text.p, text.len)};
	return np_reflow_is_stop(np_reflow_last_cp(np_str_trim(before)));
}

bool np_reflow_ends_para(np_str text, unsigned w, unsigned column)
{
	return np_reflow_ends_sentence(text) && w + 4 <= column;
}

static bool is_latin(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

void np_reflow_join(np_buf *out, const np_str *lines, size_t n, np_buf *scratch)
{
	np_buf_clear(scratch);
	uint32_t prev = 0;
	for (size_t i = 0; i < n; i++) {
		np_str l = np_str_trim(lines[i]);
		if (!l.len)
			continue;
		if (is_latin(prev) && is_latin(np_reflow_first_cp(l)))
			np_buf_putc(scratch, ' ');
		np_buf_putstr(scratch, l);
		prev = np_reflow_last_cp(l);
	}
	np_text_normalise(out, np_str_of(scratch));
}

/* Markdown block syntax a paragraph must not start with (CommonMark 4.x):
 * ATX headings, block quotes, list bullets, setext/thematic lines, tables,
 * HTML blocks, fenced code. */
static bool md_special(np_str p)
{
	switch (p.p[0]) {
	case '#':
	case '>':
	case '-':
	case '+':
	case '*':
	case '=':
	case '|':
	case '<':
	case '`':
	case '~':
	case '_':
		return true;
	default:
		break;
	}
	size_t i = 0;
	while (i < p.len && i < 9 && p.p[i] >= '0' && p.p[i] <= '9')
		i++;
	return i > 0 && i < p.len && (p.p[i] == '.' || p.p[i] == ')');
}

void np_reflow_put_md(np_buf *out, np_str para)
{
	if (!para.len)
		return;
	if (md_special(para)) {
		size_t i = 0;
		while (i < para.len && para.p[i] >= '0' && para.p[i] <= '9')
			i++;
		np_buf_put(out, para.p, i); /* "1." -> "1\." */
		np_buf_putc(out, '\\');
		np_buf_put(out, para.p + i, para.len - i);
		return;
	}
	np_buf_putstr(out, para);
}
