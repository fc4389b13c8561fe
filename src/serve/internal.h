/* Internals of the serve stage, shared by its files:
 *   url.c     pure helpers: request path -> safe relative path, MIME types,
 *             HTTP dates, ETag and Range headers (unit-tested on their own)
 *   reload.c  the live-reload hub: Server-Sent Events to open pages and the
 *             script injected into HTML responses
 *   http.c    the libmicrohttpd daemon and its file responses
 *   watch.c   inotify on the site's sources
 *   serve.c   the loop that ties them together (np_serve_run) */
#ifndef NP_SERVE_INTERNAL_H
#define NP_SERVE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "util/buf.h"
#include "util/diag.h"

/* ---- url.c ---- */

/* Longest decoded request path accepted (longer ones get 414 from MHD or
 * NP_ELIMIT here). */
#define NP_SERVE_MAX_PATH 4096

/* Turns the raw request path (as sent, still percent-encoded, without the
 * query string) into a relative path under the served folder: decodes %XX,
 * drops empty and "." segments, and refuses (NP_EUNSAFE) any ".." segment,
 * any segment starting with '.' (the build's own hidden files), backslashes
 * and absolute paths smuggled in as "//".  NP_EINVAL for a path not starting
 * with '/', a bad escape or an encoded NUL or control byte; NP_ELIMIT when
 * too long.  rel is "" for the root.  *dir_slash tells whether the path
 * ended with '/'.  Decoding happens exactly once, here, so "%252e" stays the
 * literal name "%2e". */
int np_serve_clean_path(np_str raw, np_buf *rel, bool *dir_slash);

/* The Content-Type for a file name, by extension (case-insensitive); text
 * types carry "; charset=utf-8".  Unknown: application/octet-stream.
 * Returns a static string. */
const char *np_serve_mime(np_str name);
/* True when mime is an HTML type (the reload script is injected). */
bool np_serve_mime_is_html(const char *mime);

/* Formats t as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") into out,
 * independent of the locale. */
void np_serve_http_date(time_t t, char out[32]);
/* Parses an IMF-fixdate; 0 or NP_EINVAL (obsolete formats are not read:
 * the request is then answered in full, which HTTP allows). */
int np_serve_parse_http_date(const char *s, time_t *out);

/* True when the If-None-Match value s lists etag ("*" matches anything;
 * weak comparison, as RFC 9110 asks for If-None-Match). */
bool np_serve_etag_match(const char *s, const char *etag);

/* A single byte range of a representation of size bytes. */
typedef struct np_range {
	uint64_t start, len;
} np_range;
/* Parses a Range header: 0 with *r set for one satisfiable range;
 * NP_ELIMIT when the range cannot be satisfied (answer 416); NP_EINVAL when
 * the header is malformed, not in bytes, or lists several ranges (answer the
 * whole representation with 200, which HTTP allows). */
int np_serve_parse_range(const char *s, uint64_t size, np_range *r);

/* ---- reload.c ---- */

#define NP_RELOAD_PREFIX "/__newsprint/"
#define NP_RELOAD_EVENTS "/__newsprint/events"
#define NP_RELOAD_SCRIPT "/__newsprint/reload.js"

typedef struct np_reload np_reload;
struct MHD_Connection;
struct MHD_Response;

/* A hub that every open page's event stream subscribes to. */
np_reload *np_reload_new(void);
/* Frees the hub; every stream must have ended (np_reload_close first). */
void np_reload_free(np_reload *r);
/* Tells open pages to reload (after a good build). */
void np_reload_pages(np_reload *r);
/* Shows text (the build's errors) in an overlay on every open page, and on
 * every page opened until the next good build. */
void np_reload_error(np_reload *r, np_str text);
/* Sends a comment to every stream, so streams of closed pages are noticed
 * and freed. */
void np_reload_ping(np_reload *r);
/* Ends every stream and waits (at most about two seconds) until MHD has
 * dropped them; call before MHD_stop_daemon, which must not find suspended
 * connections. */
void np_reload_close(np_reload *r);
/* A new event-stream response for connection c (NULL when closing).  The
 * caller queues and destroys it as usual. */
struct MHD_Response *np_reload_stream(np_reload *r, struct MHD_Connection *c);
/* The script that subscribes a page (JavaScript source, static). */
np_str np_reload_script(void);
/* Adds <script src=NP_RELOAD_SCRIPT> before the last </body> of html, or at
 * its end when there is none; while the last build of hub r failed, the
 * overlay with its diagnostics (escaped) goes before it.  Returns the
 * np_reload_state the page now shows.  r may be NULL. */
uint64_t np_reload_inject(np_reload *r, np_buf *html);
/* 0 while the last build was good, else a number that changes with every
 * failed build: what an injected page depends on, for its validators.  r
 * may be NULL. */
uint64_t np_reload_state(np_reload *r);

/* ---- http.c ---- */

typedef struct np_http np_http;
typedef struct np_http_opts {
	const char *root; /* the folder served; must exist */
	const char *bind; /* numeric or resolvable address */
	unsigned port;    /* 0 = any free port */
	np_reload *reload;
} np_http_opts;

/* Starts serving o->root in MHD's own threads.  *out owns the daemon.
 * NP_EIO (with a diagnostic) when the address cannot be bound, NP_EINVAL
 * when it cannot be parsed. */
int np_http_start(np_http **out, const np_http_opts *o, np_diags *d);
/* The port actually bound. */
unsigned np_http_port(const np_http *h);
/* True when the bound address is a loopback address. */
bool np_http_is_loopback(const np_http *h);
/* The bound address as it goes into a URL ("127.0.0.1", "[::1]"). */
const char *np_http_host(const np_http *h);
/* Stops the daemon (after np_reload_close) and frees h.  NULL is fine. */
void np_http_stop(np_http *h);

/* ---- watch.c ---- */

typedef struct np_watch np_watch;
/* Watches the sources of the site in site_dir: site.yaml,
 * content/events.yaml, and recursively content/issues, content/articles,
 * templates and themes (folders created later are added as they appear).
 * out_dir is never watched.  NP_EIO with a diagnostic when inotify fails. */
int np_watch_new(np_watch **out, const char *site_dir, const char *out_dir, np_diags *d);
/* The descriptor to poll for POLLIN. */
int np_watch_fd(const np_watch *w);
/* Drains pending events; returns how many concern the sources (editor
 * swap files, hidden files and temporary files are ignored) and puts the
 * site-relative path of the last one in what
 * (left as it was when there is none). */
int np_watch_read(np_watch *w, np_buf *what);
void np_watch_free(np_watch *w);

#endif
