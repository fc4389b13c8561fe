/* Pinyin and slugs through ICU's transliterator ("Han-Latin; Latin-ASCII").
 *
 * Thread-safe: a UTransliterator must not be used by two threads at once, so
 * the rule set is compiled once (pthread_once) into a prototype and each
 * thread gets its own clone on first use, closed when the thread exits (or
 * by np_translit_thread_cleanup()).  Known limit: ICU's Han-Latin reads each
 * character alone, so polyphones take their most common reading
 * (银行 -> "yin xing"). */
#ifndef NP_UTIL_TRANSLIT_H
#define NP_UTIL_TRANSLIT_H

#include <stdbool.h>

#include "util/buf.h"

/* Longest slug np_slugify writes, in bytes; longer slugs are cut at the last
 * '-' before the limit (a whole syllable or word is never cut). */
#define NP_SLUG_MAX 100

/* Appends the toneless pinyin of s to out: each Han character becomes its
 * syllable in lowercase ASCII, syllables separated by one space, with a space
 * also between Han and adjacent letters or digits (灵武 -> "ling wu",
 * 2022年 -> "2022 nian").  Other text is folded to ASCII (é -> e, “ -> ").
 * Returns 0, or NP_EINVAL if ICU is unusable (out then unchanged). */
int np_pinyin(np_buf *out, np_str s);

/* Appends an ASCII slug for title to out: the pinyin, lowercased, runs of
 * anything but [a-z0-9] turned into one '-', no '-' at either end, at most
 * NP_SLUG_MAX bytes (cut at a word boundary).  Appends nothing for a title
 * with no letters or digits (the caller picks a fallback, e.g. the id).
 * Returns 0 or NP_EINVAL like np_pinyin. */
int np_slugify(np_buf *out, np_str title);

/* What np_slugify gives, the slow way: the whole title through ICU.  np_slugify
 * itself takes each character from a memo filled from ICU one character at a
 * time, where the rules show that this gives the same (translit.c). */
int np_slugify_icu(np_buf *out, np_str title);

/* Whether np_slugify can use its memo (ICU's rules read as expected). */
bool np_translit_memo_active(void);

/* Closes the calling thread's transliterator now (it is also closed at
 * thread exit).  Safe to call from a thread that never used one. */
void np_translit_thread_cleanup(void);

#endif
