/* Live reload: every page served in serve mode loads NP_RELOAD_SCRIPT,
 * which opens an EventSource on NP_RELOAD_EVENTS.  After a good build the
 * hub sends "reload" and the page reloads itself; after a failed build it
 * sends "builderror" with the diagnostics and the page shows them in an
 * overlay (the last good site stays served underneath).  A page loaded
 * while the last build is broken gets the overlay in its HTML already
 * (np_reload_inject), so it shows without waiting for the stream and the
 * script only takes it over.
 *
 * MHD serves from a small thread pool, so a stream must never block a
 * thread: when a stream has nothing to send, its content reader suspends
 * the connection (MHD_suspend_connection, allowed from the reader), and a
 * new message resumes every suspended stream.  Both happen under the hub's
 * lock, so a message can never slip between "nothing to send" and
 * "suspended". */
#define _POSIX_C_SOURCE 200809L
#include "serve/internal.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tmpl/escape.h"

/* Longest diagnostics text pushed to a page; the terminal has it all. */
#define MAX_ERROR_TEXT (16 * 1024)

typedef struct stream stream;
struct np_reload {
	pthread_mutex_t lock;
	pthread_cond_t gone; /* signalled when a stream is freed */
	uint64_t gen;        /* bumped by every message */
	uint64_t pings;      /* bumped by every ping */
	np_buf frame;        /* the latest message, as an SSE frame */
	np_buf error;        /* its text when it is a build error */
	bool failed;         /* the latest message is a build error */
	bool closing;
	size_t streams;    /* live streams */
	stream *suspended; /* streams waiting for a message */
};

struct stream {
	np_reload *r;
	struct MHD_Connection *conn;
	uint64_t gen, pings;
	bool hello;
	np_buf out; /* the frame being sent */
	size_t off;
	stream *next;
};

np_reload *np_reload_new(void)
{
	np_reload *r = np_xcalloc(1, sizeof *r);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->gone, NULL);
	np_buf_init(&r->frame);
	np_buf_init(&r->error);
	return r;
}

void np_reload_free(np_reload *r)
{
	if (!r)
		return;
	np_buf_dispose(&r->frame);
	np_buf_dispose(&r->error);
	pthread_cond_destroy(&r->gone);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* Resumes every suspended stream; called with the lock held. */
static void wake_all(np_reload *r)
{
	for (stream *s = r->suspended; s; s = s->next)
		MHD_resume_connection(s->conn);
	r->suspended = NULL;
}

void np_reload_pages(np_reload *r)
{
	pthread_mutex_lock(&r->lock);
	np_buf_clear(&r->frame);
	np_buf_puts(&r->frame, "event: reload\ndata: \n\n");
	np_buf_clear(&r->error);
	r->failed = false;
	r->gen++;
	wake_all(r);
	pthread_mutex_unlock(&r->lock);
}

/* text cut to MAX_ERROR_TEXT bytes, never inside a UTF-8 sequence. */
static np_str clip(np_str text)
{
	if (text.len <= MAX_ERROR_TEXT)
		return text;
	text.len = MAX_ERROR_TEXT;
	while (text.len > 0 && ((unsigned char)text.p[text.len] & 0xC0) == 0x80)
		text.len--;
	return text;
}

/* Appends text (no CRs) as SSE data lines: one "data:" per line; the
 * browser joins them with "\n". */
static void put_data(np_buf *b, np_str text)
{
	np_buf_puts(b, "data: ");
	for (size_t i = 0; i < text.len; i++) {
		if (text.p[i] == '\n')
			np_buf_puts(b, "\ndata: ");
		else
			np_buf_putc(b, text.p[i]);
	}
	np_buf_puts(b, "\n\n");
}

void np_reload_error(np_reload *r, np_str text)
{
	text = clip(text);
	pthread_mutex_lock(&r->lock);
	np_buf_clear(&r->error);
	for (size_t i = 0; i < text.len; i++)
		if (text.p[i] != '\r')
			np_buf_putc(&r->error, text.p[i]);
	np_buf_clear(&r->frame);
	np_buf_puts(&r->frame, "event: builderror\n");
	put_data(&r->frame, np_str_of(&r->error));
	r->failed = true;
	r->gen++;
	wake_all(r);
	pthread_mutex_unlock(&r->lock);
}

void np_reload_ping(np_reload *r)
{
	pthread_mutex_lock(&r->lock);
	r->pings++;
	wake_all(r);
	pthread_mutex_unlock(&r->lock);
}

void np_reload_close(np_reload *r)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 2;
	pthread_mutex_lock(&r->lock);
	r->closing = true;
	wake_all(r);
	while (r->streams > 0)
		if (pthread_cond_timedwait(&r->gone, &r->lock, &until) != 0)
			break;
	pthread_mutex_unlock(&r->lock);
}

/* Loads the next frame for s into s->out, or returns false when there is
 * none; called with the lock held. */
static bool next_frame(np_reload *r, stream *s)
{
	np_buf_clear(&s->out);
	s->off = 0;
	if (!s->hello) {
		/* Reconnect quickly after a restart of the server. */
		np_buf_puts(&s->out, "retry: 1000\n\n");
		if (r->failed)
			np_buf_put(&s->out, r->frame.data, r->frame.len);
		s->hello = true;
		s->gen = r->gen;
		s->pings = r->pings;
	} else if (s->gen != r->gen) {
		np_buf_put(&s->out, r->frame.data, r->frame.len);
		s->gen = r->gen;
	} else if (s->pings != r->pings) {
		np_buf_puts(&s->out, ": ping\n\n");
		s->pings = r->pings;
	}
	return s->out.len > 0;
}

/* MHD content reader of an event stream. */
static ssize_t read_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	stream *s = cls;
	np_reload *r = s->r;
	ssize_t n = 0;
	pthread_mutex_lock(&r->lock);
	if (r->closing) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	} else if (s->off < s->out.len || next_frame(r, s)) {
		size_t k = s->out.len - s->off < max ? s->out.len - s->off : max;
		memcpy(buf, s->out.data + s->off, k);
		s->off += k;
		n = (ssize_t)k;
	} else {
		s->next = r->suspended;
		r->suspended = s;
		MHD_suspend_connection(s->conn);
	}
	pthread_mutex_unlock(&r->lock);
	return n;
}

static void free_stream(void *cls)
{
	stream *s = cls;
	np_reload *r = s->r;
	pthread_mutex_lock(&r->lock);
	for (stream **p = &r->suspended; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	r->streams--;
	pthread_cond_broadcast(&r->gone);
	pthread_mutex_unlock(&r->lock);
	np_buf_dispose(&s->out);
	free(s);
}

struct MHD_Response *np_reload_stream(np_reload *r, struct MHD_Connection *c)
{
	pthread_mutex_lock(&r->lock);
	bool closing = r->closing;
	if (!closing)
		r->streams++;
	pthread_mutex_unlock(&r->lock);
	if (closing)
		return NULL;
	stream *s = np_xcalloc(1, sizeof *s);
	s->r = r;
	s->conn = c;
	np_buf_init(&s->out);
	struct MHD_Response *resp =
	    MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, read_stream, s, free_stream);
	if (!resp) {
		free_stream(s);
		return NULL;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        "text/event-stream; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	return resp;
}

/* The overlay, as the script builds it and as np_reload_inject writes it. */
#define OVERLAY_ID "__newsprint_error"
#define OVERLAY_STYLE                                                                  \
	"position:fixed;top:0;left:0;right:0;bottom:0;z-index:2147483647;overflow:auto;" \
	"margin:0;padding:2em;background:rgba(40,0,0,.94);color:#fee;"                   \
	"font:14px/1.5 monospace;white-space:pre-wrap"
#define OVERLAY_HEAD "newsprint: the build failed; the last good site is still served."

/* Kept small and dependency-free; the overlay uses textContent, so the
 * diagnostics are never parsed as HTML.  An overlay already in the page
 * (written by the server) is taken over. */
static const char script[] =
    "/* newsprint serve: live reload (only in serve mode, never in a build) */\n"
    "(function () {\n"
    "\tvar box = document.getElementById('" OVERLAY_ID "');\n"
    "\tfunction show(text) {\n"
    "\t\tif (!box) {\n"
    "\t\t\tbox = document.createElement('div');\n"
    "\t\t\tbox.id = '" OVERLAY_ID "';\n"
    "\t\t\tbox.setAttribute('style', '" OVERLAY_STYLE "');\n"
    "\t\t\tdocument.body.appendChild(box);\n"
    "\t\t}\n"
    "\t\tbox.textContent = '" OVERLAY_HEAD "\\n\\n' + text;\n"
    "\t}\n"
    "\tif (!window.EventSource) return;\n"
    "\tvar es = new EventSource('" NP_RELOAD_EVENTS "');\n"
    "\tes.addEventListener('reload', function () { location.reload(); });\n"
    "\tes.addEventListener('builderror', function (e) { show(e.data); });\n"
    "})();\n";

np_str np_reload_script(void)
{
	return (np_str){script, sizeof script - 1};
}

uint64_t np_reload_state(np_reload *r)
{
	if (!r)
		return 0;
	pthread_mutex_lock(&r->lock);
	uint64_t state = r->failed ? r->gen : 0;
	pthread_mutex_unlock(&r->lock);
	return state;
}

uint64_t np_reload_inject(np_reload *r, np_buf *html)
{
	uint64_t state = 0;
	np_buf add;
	np_buf_init(&add);
	if (r) {
		pthread_mutex_lock(&r->lock);
		if (r->failed) {
			state = r->gen;
			np_buf_puts(&add, "<div id=\"" OVERLAY_ID "\" style=\"" OVERLAY_STYLE
			                  "\">" OVERLAY_HEAD "\n\n");
			np_escape_html(&add, np_str_of(&r->error));
			np_buf_puts(&add, "</div>\n");
		}
		pthread_mutex_unlock(&r->lock);
	}
	np_buf_puts(&add, "<script src=\"" NP_RELOAD_SCRIPT "\"></script>\n");
	size_t at = html->len;
	for (size_t i = html->len; i >= 7; i--)
		if (strncasecmp(html->data + i - 7, "</body>", 7) == 0) {
			at = i - 7;
			break;
		}
	size_t tail = html->len - at;
	np_buf_grow(html, add.len);
	memmove(html->data + at + add.len, html->data + at, tail);
	memcpy(html->data + at, add.data, add.len);
	html->len += add.len;
	html->data[html->len] = '\0';
	np_buf_dispose(&add);
	return state;
}
