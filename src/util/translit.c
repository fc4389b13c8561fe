/* Pinyin and slugs (see translit.h).  ICU transliterators are expensive to
 * build (the Han-Latin rules take ~0.1 s) and not safe to share, hence one
 * compiled prototype and one clone per thread. */
#include "util/translit.h"

#include <pthread.h>
#include <stdlib.h>

#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "util/err.h"
#include "util/utf8.h"

static pthread_once_t proto_once = PTHREAD_ONCE_INIT;
static UTransliterator *proto;
static pthread_key_t tr_key;
/* The thread's clone, also kept in tr_key so that it is closed at thread
 * exit; this copy is what the leak checker sees while the thread lives. */
static _Thread_local UTransliterator *tr_mine;

static void close_tr(void *p)
{
	utrans_close(p);
}

static void build_proto(void)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar id[32];
	u_uastrcpy(id, "Han-Latin; Latin-ASCII");
	if (pthread_key_create(&tr_key, close_tr) != 0)
		return;
	proto = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	if (U_FAILURE(st))
		proto = NULL;
}

/* The calling thread's transliterator, or NULL if ICU cannot build one. */
static UTransliterator *thread_tr(void)
{
	pthread_once(&proto_once, build_proto);
	if (!proto)
		return NULL;
	if (!tr_mine) {
		UErrorCode st = U_ZERO_ERROR;
		tr_mine = utrans_clone(proto, &st);
		if (U_FAILURE(st)) {
			tr_mine = NULL;
			return NULL;
		}
		pthread_setspecific(tr_key, tr_mine);
	}
	return tr_mine;
}

void np_translit_thread_cleanup(void)
{
	if (!tr_mine)
		return;
	pthread_setspecific(tr_key, NULL);
	utrans_close(tr_mine);
	tr_mine = NULL;
}

static bool is_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* s as UTF-16 with a space wherever Han meets a letter or digit (ICU writes
 * "2022nian" otherwise).  Room is left for the transliteration to grow:
 * the longest syllable plus its space is 7 units per Han character. */
static UChar *to_utf16(np_str s, int32_t *len, int32_t *cap)
{
	size_t room = np_add(np_mul(s.len, 8), 16);
	if (room > INT32_MAX)
		return NULL;
	UChar *u = np_xmalloc(np_mul(room, sizeof(UChar)));
	int32_t n = 0;
	uint32_t prev = 0;
	for (size_t i = 0; i < s.len;) {
		uint32_t c;
		i += np_utf8_decode(s.p + i, s.len - i, &c);
		if ((np_is_han(c) && is_alnum(prev)) || (is_alnum(c) && np_is_han(prev)))
			u[n++] = ' ';
		U16_APPEND_UNSAFE(u, n, c);
		prev = c;
	}
	*len = n;
	*cap = (int32_t)room;
	return u;
}

int np_pinyin(np_buf *out, np_str s)
{
	UTransliterator *t = thread_tr();
	int rc = NP_EINVAL;
	int32_t len = 0, cap = 0;
	UChar *u = t ? to_utf16(s, &len, &cap) : NULL;
	if (!u)
		return NP_EINVAL;
	UErrorCode st = U_ZERO_ERROR;
	int32_t limit = len;
	utrans_transUChars(t, u, &len, cap, 0, &limit, &st);
	if (U_FAILURE(st))
		goto out;
	int32_t n8 = 0;
	u_strToUTF8WithSub(NULL, 0, &n8, u, len, 0xFFFD, NULL, &st);
	st = U_ZERO_ERROR;
	np_buf_grow(out, (size_t)n8);
	u_strToUTF8WithSub(out->data + out->len, n8 + 1, &n8, u, len, 0xFFFD, NULL, &st);
	if (U_FAILURE(st))
		goto out;
	out->len += (size_t)n8;
	out->data[out->len] = '\0';
	rc = 0;
out:
	free(u);
	return rc;
}

/* Cuts s[0..len) back to the last '-' at or before NP_SLUG_MAX. */
static size_t slug_cut(const char *s, size_t len)
{
	if (len <= NP_SLUG_MAX)
		return len;
	size_t cut = NP_SLUG_MAX;
	while (cut > 0 && s[cut] != '-')
		cut--;
	return cut ? cut : NP_SLUG_MAX;
}

int np_slugify(np_buf *out, np_str title)
{
	np_buf py;
	np_buf_init(&py);
	int rc = np_pinyin(&py, title);
	if (rc)
		goto out;
	size_t start = out->len;
	bool dash = false;
	for (size_t i = 0; i < py.len; i++) {
		char c = py.data[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			dash = out->len > start;
			continue;
		}
		if (dash)
			np_buf_putc(out, '-');
		np_buf_putc(out, c);
		dash = false;
	}
	np_buf_truncate(out, start + slug_cut(out->data + start, out->len - start));
out:
	np_buf_dispose(&py);
	return rc;
}
