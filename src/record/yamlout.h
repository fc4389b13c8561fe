/* A thin layer over libyaml's emitter for the two record formats: block
 * mappings of scalars and flow sequences, UTF-8 output without escapes,
 * strings quoted only when a plain scalar would read back as something
 * else (null, bool, number, date) or not at all. */
#ifndef NP_RECORD_YAMLOUT_H
#define NP_RECORD_YAMLOUT_H

#include <yaml.h>

#include "record/article.h"

typedef struct np_yout {
	yaml_emitter_t em;
	np_buf *out;
	int failed;
} np_yout;

void np_yout_begin(np_yout *y, np_buf *out);
/* Ends the stream; returns 0 or NP_EINVAL if libyaml refused something. */
int np_yout_end(np_yout *y);
void np_yout_map_begin(np_yout *y, bool flow);
void np_yout_map_end(np_yout *y);
void np_yout_seq_begin(np_yout *y, bool flow);
void np_yout_seq_end(np_yout *y);
void np_yout_key(np_yout *y, const char *key);
/* A string, or null when s.p == NULL. */
void np_yout_str(np_yout *y, np_str s);
void np_yout_null(np_yout *y);
void np_yout_int(np_yout *y, long v);
void np_yout_bool(np_yout *y, bool v);
/* A date (plain YYYY-MM-DD), or null when unknown. */
void np_yout_date(np_yout *y, np_date d);
void np_yout_strlist(np_yout *y, const np_strlist *l);

#endif
