/* Person names as typeset in bylines and credits (issue 3, "Normalise",
 * last rule).
 *
 * Papers set bylines on a grid three characters wide: a two-character name
 * is padded to the width of three (`王  勇`, or `王　勇` with U+3000), so
 * the padding falls *inside* the name.  Two three-character names side by
 * side are separated by the same padding (`本报记者  张明敏  李雪梅`).  The
 * rule that tells them apart: single characters separated only by spaces
 * are pieces of one name; a piece of two or more characters is a name of
 * its own.  Punctuation (`、，,/；`) always separates names.
 *
 * The caller (page segmentation) passes the part after the role word, but
 * leading markers and role words are stripped here too, so `■ 本报记者 王勇`
 * and `记者 王勇 摄` both give `王勇`. */
#include "text/text.h"
#include "util/strlist.h"
#include "util/utf8.h"

static const char *const role_words[] = {
    "本报特约记者", "本报见习记者", "本报实习生", "本报通讯员", "本报记者", "特约记者",
    "见习记者",     "实习记者",     "实习生",     "通讯员",     "记者",     "作者",
    "撰文",         "摄影",         "文/",        "图/",        "文／",     "图／",
};
/* Credit words after a name; "文" is not one of them: it ends many names. */
static const char *const trailing_words[] = {"摄影", "报道", "整理", "摄"};

/* Length of the separator at s (0 if none); *hard is set for punctuation,
 * which always ends a name, as opposed to padding spaces. */
static size_t sep_len(np_str s, bool *hard)
{
	static const char *const soft[] = {" ", "\t", "\xE3\x80\x80" /* U+3000 */,
	                                   "\xC2\xA0" /* U+00A0 */};
	static const char *const punct[] = {"、", "，", ",",  "/", "／", "；",
	                                    ";",  "（", "）", "(", ")"};
	for (size_t i = 0; i < sizeof soft / sizeof soft[0]; i++)
		if (np_str_starts(s, np_str_from(soft[i]))) {
			*hard = false;
			return strlen(soft[i]);
		}
	for (size_t i = 0; i < sizeof punct / sizeof punct[0]; i++)
		if (np_str_starts(s, np_str_from(punct[i]))) {
			*hard = true;
			return strlen(punct[i]);
		}
	return 0;
}

/* Strips a leading marker (■ □ ● ▲ and the like, U+25A0-U+25FF) and role
 * words, and trailing credit words (`摄`, `报道`), from one piece. */
static np_str strip_roles(np_str t)
{
	uint32_t cp;
	while (t.len && np_utf8_decode(t.p, t.len, &cp) == 3 && cp >= 0x25A0 && cp <= 0x25FF)
		t = np_str_sub(t, 3, t.len);
	for (size_t i = 0; i < sizeof role_words / sizeof role_words[0]; i++) {
		np_str w = np_str_from(role_words[i]);
		if (np_str_starts(t, w)) {
			t = np_str_sub(t, w.len, t.len);
			break;
		}
	}
	for (size_t i = 0; i < sizeof trailing_words / sizeof trailing_words[0]; i++) {
		np_str w = np_str_from(trailing_words[i]);
		if (np_str_eq(t, w))
			return NP_STR_NULL;
		if (np_str_ends(t, w) && np_utf8_count(t.p, t.len - w.len) >= 2) {
			t.len -= w.len;
			break;
		}
	}
	return t;
}

/* True for a non-empty piece made only of what names are written with:
 * Han, Latin letters, the `×` placeholder and the middle dots of
 * transcribed names (`阿依古丽·买买提`). */
static bool is_name_piece(np_str t)
{
	uint32_t cp;
	for (size_t i = 0; i < t.len;) {
		i += np_utf8_decode(t.p + i, t.len - i, &cp);
		if (!np_is_han(cp) && !(cp >= 'A' && cp <= 'Z') && !(cp >= 'a' && cp <= 'z') &&
		    cp != 0xD7 /* × placeholder */ && cp != 0x00B7 && cp != 0x30FB)
			return false;
	}
	return t.len > 0;
}

typedef struct joiner {
	np_buf name;  /* the name being assembled */
	bool singles; /* it is made of single characters so far */
	np_strlist *out;
	np_arena *a;
} joiner;

static void flush_name(joiner *j)
{
	if (j->name.len)
		np_strlist_add(j->out, j->a, np_arena_str(j->a, np_str_of(&j->name)));
	np_buf_clear(&j->name);
	j->singles = false;
}

/* One piece between separators; hard: a punctuation separator precedes it. */
static void add_piece(joiner *j, np_str t, bool hard)
{
	t = strip_roles(t);
	if (!is_name_piece(t)) {
		flush_name(j);
		return;
	}
	bool single = np_utf8_count(t.p, t.len) == 1;
	if (!(single && j->singles && !hard))
		flush_name(j);
	np_buf_putstr(&j->name, t);
	j->singles = single;
}

/* See text.h.  One pass over s cutting it at separators; the joiner
 * decides whether each piece continues the name being assembled. */
void np_text_split_names(np_str s, np_arena *a, np_strlist *names)
{
	joiner j = {.out = names, .a = a};
	np_buf_init(&j.name);
	bool hard = false;
	size_t start = 0, i = 0;
	while (i < s.len) {
		bool h = false;
		size_t n = sep_len(np_str_sub(s, i, s.len), &h);
		if (n == 0) {
			i++;
			continue;
		}
		if (i > start) {
			add_piece(&j, np_str_sub(s, start, i - start), hard);
			hard = false;
		}
		hard |= h;
		i += n;
		start = i;
	}
	if (i > start)
		add_piece(&j, np_str_sub(s, start, i - start), hard);
	flush_name(&j);
	np_buf_dispose(&j.name);
}
