/* Output escaping for the three HTML contexts the lexer distinguishes (text
 * or ordinary attribute value, URL attribute value, <script> via json) and
 * the encoders the url_encode and json filters use.  Everything appends to
 * out and never fails. */
#ifndef NP_TMPL_ESCAPE_H
#define NP_TMPL_ESCAPE_H

#include <stdbool.h>

#include "util/buf.h"

/* Where in a URL attribute value an output sits. */
typedef enum np_url_part {
	NP_URL_START, /* at the start of the value: the scheme is checked */
	NP_URL_PATH,  /* after literal text, before any '?' or '#' */
	NP_URL_QUERY  /* after a literal '?' or '#': a component, fully encoded */
} np_url_part;

/* What a URL with a refused scheme is replaced by. */
#define NP_URL_BLOCKED "about:invalid#np-blocked"

/* &, <, >, " and ' as character references; correct both in text and in
 * quoted attribute values. */
void np_escape_html(np_buf *out, np_str s);
/* True when s has no scheme, or one of http, https, mailto, tel (compared
 * as a browser would: leading spaces and controls and embedded tab/newline
 * ignored, case-insensitive). */
bool np_url_scheme_ok(np_str s);
/* A URL value for a quoted href/src-like attribute: at NP_URL_START a
 * refused scheme gives NP_URL_BLOCKED; at START and PATH bytes that are not
 * legal in a URL are percent-encoded (existing %XX kept, non-ASCII kept) and
 * & becomes &amp;; at QUERY everything but unreserved bytes is encoded. */
void np_escape_url(np_buf *out, np_str s, np_url_part part);
/* Percent-encodes every byte but A-Z a-z 0-9 - . _ ~ (RFC 3986 unreserved). */
void np_url_encode(np_buf *out, np_str s);
/* s as a JSON string literal (with quotes) that is also safe inside a
 * <script> element and an HTML attribute: <, >, &, ', U+2028 and U+2029 are
 * \u-escaped; invalid UTF-8 becomes U+FFFD. */
void np_json_string(np_buf *out, np_str s);

#endif
