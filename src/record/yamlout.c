#include "record/yamlout.h"

#include <stdio.h>

#include "util/err.h"

static int write_handler(void *data, unsigned char *buf, size_t size)
{
	np_buf_put(((np_yout *)data)->out, buf, size);
	return 1;
}

static void emit(np_yout *y, yaml_event_t *ev)
{
	if (y->failed) {
		yaml_event_delete(ev);
		return;
	}
	if (!yaml_emitter_emit(&y->em, ev))
		y->failed = 1;
}

void np_yout_begin(np_yout *y, np_buf *out)
{
	yaml_event_t ev;
	y->out = out;
	y->failed = 0;
	yaml_emitter_initialize(&y->em);
	yaml_emitter_set_output(&y->em, write_handler, y);
	yaml_emitter_set_unicode(&y->em, 1);
	yaml_emitter_set_width(&y->em, -1);
	yaml_emitter_set_indent(&y->em, 2);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	emit(y, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	emit(y, &ev);
}

int np_yout_end(np_yout *y)
{
	yaml_event_t ev;
	yaml_document_end_event_initialize(&ev, 1);
	emit(y, &ev);
	yaml_stream_end_event_initialize(&ev);
	emit(y, &ev);
	yaml_emitter_flush(&y->em);
	yaml_emitter_delete(&y->em);
	return y->failed ? NP_EINVAL : 0;
}

void np_yout_map_begin(np_yout *y, bool flow)
{
	yaml_event_t ev;
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	                                    flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
	emit(y, &ev);
}

void np_yout_map_end(np_yout *y)
{
	yaml_event_t ev;
	yaml_mapping_end_event_initialize(&ev);
	emit(y, &ev);
}

void np_yout_seq_begin(np_yout *y, bool flow)
{
	yaml_event_t ev;
	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	                                     flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
	emit(y, &ev);
}

void np_yout_seq_end(np_yout *y)
{
	yaml_event_t ev;
	yaml_sequence_end_event_initialize(&ev);
	emit(y, &ev);
}

static void scalar(np_yout *y, const char *p, size_t len, yaml_scalar_style_t style)
{
	yaml_event_t ev;
	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)p, (int)len, 1, 1, style);
	emit(y, &ev);
}

void np_yout_key(np_yout *y, const char *key) { scalar(y, key, strlen(key), YAML_PLAIN_SCALAR_STYLE); }

/* Would a plain scalar with this text resolve (YAML 1.1 core, as PyYAML and
 * our reader do) to something other than a string? */
static bool looks_typed(np_str s)
{
	static const char *const words[] = {"null", "Null", "NULL", "~", "true", "True", "TRUE",
	                                    "false", "False", "FALSE", "yes", "Yes", "YES", "no",
	                                    "No", "NO", "on", "On", "ON", "off", "Off", "OFF", ".nan",
	                                    ".inf", "-.inf", "y", "n", "Y", "N"};
	if (s.len == 0)
		return true;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (np_str_eq_c(s, words[i]))
			return true;
	/* Numbers, dates and times all start with a digit, sign or dot and
	 * are made of a small alphabet. */
	char c = s.p[0];
	if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.'))
		return false;
	for (size_t i = 0; i < s.len; i++) {
		c = s.p[i];
		if (!((c >= '0' && c <= '9') || strchr("-+._:eExXoObBaAcCdDfFtTzZ ", c)))
			return false;
	}
	return true;
}

void np_yout_str(np_yout *y, np_str s)
{
	if (!s.p) {
		np_yout_null(y);
		return;
	}
	scalar(y, s.p, s.len, looks_typed(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
}

void np_yout_null(np_yout *y) { scalar(y, "null", 4, YAML_PLAIN_SCALAR_STYLE); }

void np_yout_int(np_yout *y, long v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%ld", v);
	scalar(y, tmp, (size_t)n, YAML_PLAIN_SCALAR_STYLE);
}

void np_yout_bool(np_yout *y, bool v)
{
	scalar(y, v ? "true" : "false", v ? 4 : 5, YAML_PLAIN_SCALAR_STYLE);
}

void np_yout_date(np_yout *y, np_date d)
{
	if (!np_date_known(d)) {
		np_yout_null(y);
		return;
	}
	char tmp[11];
	np_date_format(d, tmp);
	scalar(y, tmp, 10, YAML_PLAIN_SCALAR_STYLE);
}

void np_yout_strlist(np_yout *y, const np_strlist *l)
{
	np_yout_seq_begin(y, true);
	for (size_t i = 0; i < l->len; i++)
		np_yout_str(y, l->items[i]);
	np_yout_seq_end(y);
}
