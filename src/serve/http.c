/* The HTTP side of serve: a libmicrohttpd daemon (a pool of two polling
 * threads) answering GET and HEAD from the output folder.
 *
 * Safety: the request path is decoded once (np_serve_clean_path, which
 * refuses ".." and hidden names), then the joined path is resolved with
 * realpath(3) and must stay under the real path of the root, so a symlink
 * inside the output that points elsewhere is refused too; the resolved path
 * is opened with O_NOFOLLOW.  Request line and headers are bounded by the
 * per-connection memory limit (MHD answers 414/431 beyond it). */
#define _GNU_SOURCE
#include "serve/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fs.h"

#define POOL_THREADS 2
#define MAX_CONNECTIONS 256
#define CONNECTION_MEMORY (32 * 1024) /* request line + headers must fit */
#define IDLE_TIMEOUT_SECS 60
#define MAX_HTML_BYTES (64u << 20) /* HTML read into memory for injection */

struct np_http {
	struct MHD_Daemon *daemon;
	char *root; /* real path of the folder served */
	size_t root_len;
	np_reload *reload;
	unsigned port;
	bool loopback;
	char host[INET6_ADDRSTRLEN + 2];
};

typedef enum lookup_kind { FOUND, REDIRECT, MISSING, FORBIDDEN } lookup_kind;

/* Where a request path led: for FOUND an open descriptor and its stat. */
typedef struct lookup {
	lookup_kind kind;
	int fd;
	struct stat st;
	np_buf real;
} lookup;

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	if (!r)
		return MHD_NO;
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static void common_headers(struct MHD_Response *r, const char *type)
{
	if (type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

/* A short plain-text answer (errors, refusals). */
static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *body)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	if (r)
		common_headers(r, "text/plain; charset=utf-8");
	return queue(c, status, r);
}

/* Resolves path and checks it lies under the root: 0, NP_ENOENT or
 * NP_EUNSAFE.  real receives the resolved path. */
static int resolve(const np_http *h, const char *path, np_buf *real)
{
	char buf[PATH_MAX];
	if (!realpath(path, buf))
		return NP_ENOENT;
	size_t n = strlen(buf);
	if (n < h->root_len || memcmp(buf, h->root, h->root_len) != 0 ||
	    (n > h->root_len && buf[h->root_len] != '/'))
		return NP_EUNSAFE;
	np_buf_clear(real);
	np_buf_put(real, buf, n);
	return 0;
}

/* Finds rel (a clean relative path) under the root; a folder means its
 * index.html, and a folder named without its trailing slash a redirect. */
static void lookup_path(const np_http *h, const char *rel, bool dir_slash, lookup *L)
{
	np_buf path;
	np_buf_init(&path);
	np_path_join(&path, h->root, rel);
	L->fd = -1;
	L->kind = MISSING;
	int rc = resolve(h, path.data, &L->real);
	if (rc == 0 && stat(L->real.data, &L->st) == 0 && S_ISDIR(L->st.st_mode)) {
		if (!dir_slash && rel[0]) {
			L->kind = REDIRECT;
			goto out;
		}
		np_path_join(&path, L->real.data, "index.html");
		rc = resolve(h, path.data, &L->real);
	}
	if (rc) {
		L->kind = rc == NP_EUNSAFE ? FORBIDDEN : MISSING;
		goto out;
	}
	L->fd = open(L->real.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (L->fd >= 0 && fstat(L->fd, &L->st) == 0 && S_ISREG(L->st.st_mode)) {
		L->kind = FOUND;
	} else if (L->fd >= 0) {
		close(L->fd);
		L->fd = -1;
	}
out:
	np_buf_dispose(&path);
}

/* True when the request's validators say the client's copy is current:
 * If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2). */
static bool not_modified(struct MHD_Connection *c, const char *etag, time_t mtime)
{
	const char *inm =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm)
		return np_serve_etag_match(inm, etag);
	const char *ims =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	time_t t;
	return ims && np_serve_parse_http_date(ims, &t) == 0 && mtime <= t;
}

/* Reads the rest of fd (at most MAX_HTML_BYTES) into b. */
static int read_fd(int fd, np_buf *b)
{
	for (;;) {
		np_buf_grow(b, 65536);
		ssize_t n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NP_EIO;
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (b->len > MAX_HTML_BYTES)
			return NP_ELIMIT;
	}
	b->data[b->len] = '\0';
	return 0;
}

/* The validators and Range outcome of one file answer. */
typedef struct answer {
	unsigned status;
	uint64_t size;
	np_range range;
	char etag[64], modified[32];
} answer;

/* Applies a Range header (and If-Range) to a; returns false when the range
 * cannot be satisfied. */
static bool apply_range(struct MHD_Connection *c, answer *a)
{
	a->range = (np_range){0, a->size};
	const char *rh = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
	const char *ifr = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_RANGE);
	if (a->status != MHD_HTTP_OK || !rh ||
	    (ifr && strcmp(ifr, a->etag) != 0 && strcmp(ifr, a->modified) != 0))
		return true;
	int rc = np_serve_parse_range(rh, a->size, &a->range);
	if (rc == NP_ELIMIT)
		return false;
	if (rc == 0)
		a->status = MHD_HTTP_PARTIAL_CONTENT;
	else
		a->range = (np_range){0, a->size};
	return true;
}

static enum MHD_Result send_unsatisfiable(struct MHD_Connection *c, const answer *a)
{
	char cr[64];
	snprintf(cr, sizeof cr, "bytes */%" PRIu64, a->size);
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (r) {
		common_headers(r, NULL);
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
	}
	return queue(c, MHD_HTTP_RANGE_NOT_SATISFIABLE, r);
}

/* The entity tag of file st, for HTML with the build-error state its
 * injected part shows (np_reload_state). */
static void set_etag(answer *a, const struct stat *st, uint64_t state)
{
	snprintf(a->etag, sizeof a->etag, "\"%" PRIx64 "-%" PRIx64 "-%" PRIx64 "\"",
	         (uint64_t)st->st_size,
	         (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec, state);
}

static void file_headers(struct MHD_Response *r, const answer *a, const char *mime)
{
	common_headers(r, mime);
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, a->etag);
	MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, a->modified);
	MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
	if (a->status == MHD_HTTP_PARTIAL_CONTENT) {
		char cr[96];
		snprintf(cr, sizeof cr, "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, a->range.start,
		         a->range.start + a->range.len - 1, a->size);
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
	}
}

/* The body of L into *r: HTML is read and gets the reload script (and the
 * overlay of a failed build) from hub; anything else is sent from the
 * descriptor (MHD takes it over).  Returns 0, NP_ELIMIT for an
 * unsatisfiable range, NP_EIO. */
static int file_body(struct MHD_Connection *c, lookup *L, answer *a, np_reload *hub, bool html,
                     struct MHD_Response **r)
{
	int rc = NP_EIO;
	*r = NULL;
	np_buf body;
	np_buf_init(&body);
	if (html) {
		if (read_fd(L->fd, &body) != 0)
			goto out;
		/* the tag of what was injected, should a build have ended since
		 * the tag was made for the conditional request */
		set_etag(a, &L->st, np_reload_inject(hub, &body));
		a->size = body.len;
	}
	rc = NP_ELIMIT;
	if (!apply_range(c, a))
		goto out;
	if (html && a->range.len == body.len && body.cap) {
		/* the whole page: MHD takes the buffer over */
		char *data = np_buf_detach(&body);
		*r = MHD_create_response_from_buffer_with_free_callback(a->range.len, data, free);
		if (!*r)
			free(data);
	} else if (html) {
		*r = MHD_create_response_from_buffer(a->range.len, body.data + a->range.start,
		                                     MHD_RESPMEM_MUST_COPY);
	} else {
		*r = MHD_create_response_from_fd_at_offset64(a->range.len, L->fd, a->range.start);
		if (*r)
			L->fd = -1;
	}
	rc = *r ? 0 : NP_EIO;
out:
	np_buf_dispose(&body);
	return rc;
}

/* Answers with the file L found: 200, 206, 304, 416, or status (404) for
 * the not-found page, which skips validators and ranges.  An HTML page's
 * entity tag also names the build-error state its injected part shows. */
static enum MHD_Result send_file(const np_http *h, struct MHD_Connection *c, lookup *L,
                                 unsigned status)
{
	const char *mime = np_serve_mime(np_str_of(&L->real));
	bool html = np_serve_mime_is_html(mime);
	answer a = {.status = status, .size = (uint64_t)L->st.st_size};
	set_etag(&a, &L->st, html ? np_reload_state(h->reload) : 0);
	np_serve_http_date(L->st.st_mtime, a.modified);
	if (status == MHD_HTTP_OK && not_modified(c, a.etag, L->st.st_mtime)) {
		a.status = MHD_HTTP_NOT_MODIFIED;
		struct MHD_Response *r =
		    MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		if (r)
			file_headers(r, &a, NULL);
		return queue(c, MHD_HTTP_NOT_MODIFIED, r);
	}
	struct MHD_Response *r;
	int rc = file_body(c, L, &a, h->reload, html, &r);
	if (rc == NP_ELIMIT)
		return send_unsatisfiable(c, &a);
	if (rc)
		return send_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "500 cannot read the file\n");
	file_headers(r, &a, mime);
	return queue(c, a.status, r);
}

static void lookup_dispose(lookup *L)
{
	if (L->fd >= 0)
		close(L->fd);
	np_buf_dispose(&L->real);
}

/* 404 with the site's own 404.html when it has one. */
static enum MHD_Result send_not_found(const np_http *h, struct MHD_Connection *c)
{
	lookup L = {0};
	np_buf_init(&L.real);
	lookup_path(h, "404.html", false, &L);
	enum MHD_Result ret = L.kind == FOUND ? send_file(h, c, &L, MHD_HTTP_NOT_FOUND)
	                                      : send_text(c, MHD_HTTP_NOT_FOUND, "404 not found\n");
	lookup_dispose(&L);
	return ret;
}

/* 301 from "/dir" to "/dir/".  The Location is rebuilt from the clean path
 * (percent-encoded), never echoed, so "//host/dir" cannot redirect away. */
static enum MHD_Result send_redirect(struct MHD_Connection *c, const char *rel)
{
	np_buf loc;
	np_buf_init(&loc);
	np_buf_putc(&loc, '/');
	for (const unsigned char *p = (const unsigned char *)rel; *p; p++) {
		if (*p > 0x20 && *p < 0x7f && !strchr("%\"<>\\^`{|}?#", *p))
			np_buf_putc(&loc, (char)*p);
		else
			np_buf_printf(&loc, "%%%02X", *p);
	}
	np_buf_putc(&loc, '/');
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (r) {
		common_headers(r, NULL);
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc.data);
	}
	np_buf_dispose(&loc);
	return queue(c, MHD_HTTP_MOVED_PERMANENTLY, r);
}

/* Answers a request for a file of the site. */
static enum MHD_Result serve_path(const np_http *h, struct MHD_Connection *c, const char *url)
{
	np_buf rel;
	np_buf_init(&rel);
	bool slash;
	lookup L = {0};
	np_buf_init(&L.real);
	L.fd = -1;
	enum MHD_Result ret;
	int rc = np_serve_clean_path(np_str_from(url), &rel, &slash);
	if (rc == NP_EUNSAFE) {
		ret = send_text(c, MHD_HTTP_FORBIDDEN, "403 forbidden\n");
		goto out;
	} else if (rc) {
		ret = send_text(c, MHD_HTTP_BAD_REQUEST, "400 bad request path\n");
		goto out;
	}
	lookup_path(h, rel.data, slash, &L);
	switch (L.kind) {
	case FOUND:
		ret = send_file(h, c, &L, MHD_HTTP_OK);
		break;
	case REDIRECT:
		ret = send_redirect(c, rel.data);
		break;
	case FORBIDDEN:
		ret = send_text(c, MHD_HTTP_FORBIDDEN, "403 forbidden\n");
		break;
	default:
		ret = send_not_found(h, c);
	}
out:
	lookup_dispose(&L);
	np_buf_dispose(&rel);
	return ret;
}

static enum MHD_Result send_script(struct MHD_Connection *c)
{
	np_str js = np_reload_script();
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(js.len, (void *)js.p, MHD_RESPMEM_PERSISTENT);
	if (r)
		common_headers(r, "text/javascript; charset=utf-8");
	return queue(c, MHD_HTTP_OK, r);
}

/* True when the request announces a body (a GET or HEAD has no use for one). */
static bool has_body(struct MHD_Connection *c)
{
	const char *cl =
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
	       (cl && strcmp(cl, "0") != 0);
}

static enum MHD_Result send_405(struct MHD_Connection *c)
{
	static const char body[] = "405 method not allowed\n";
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	if (r) {
		common_headers(r, "text/plain; charset=utf-8");
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	}
	return queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
}

/* MHD access handler.  A request with a body (any method but GET and HEAD,
 * or a GET announcing one) is refused on the first call, before MHD reads
 * the body, and MHD then closes the connection.  Others are answered on the
 * second call, when MHD knows the request is complete and can keep the
 * connection alive. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **req_cls)
{
	(void)version, (void)upload;
	const np_http *h = cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return send_405(c);
	if (!*req_cls) {
		*req_cls = (void *)h;
		if (has_body(c))
			return send_text(c, MHD_HTTP_BAD_REQUEST, "400 a GET has no body\n");
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(url, NP_RELOAD_EVENTS) == 0)
		return queue(c, MHD_HTTP_OK, np_reload_stream(h->reload, c));
	if (strcmp(url, NP_RELOAD_SCRIPT) == 0)
		return send_script(c);
	return serve_path(h, c, url);
}

/* Leaves the request path exactly as sent: np_serve_clean_path decodes it,
 * once (MHD's own unescaping would make "%252e" a "%2e" we decode again). */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls, (void)c;
	return strlen(s);
}

/* Resolves bind (numeric or a name) to one address with port set. */
static int parse_bind(const char *bind, unsigned port, struct sockaddr_storage *sa, np_diags *d)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL;
	int e = getaddrinfo(bind, NULL, &hints, &ai);
	if (e != 0 || !ai) {
		np_diag_add(d, NP_ERROR, bind, 0, 0, "cannot resolve the address to listen on: %s",
		            gai_strerror(e));
		return NP_EINVAL;
	}
	memset(sa, 0, sizeof *sa);
	memcpy(sa, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	if (sa->ss_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)sa)->sin_port = htons((uint16_t)port);
	return 0;
}

/* Fills h->host (as it goes into a URL) and h->loopback from sa. */
static void describe_addr(np_http *h, const struct sockaddr_storage *sa)
{
	char ip[INET6_ADDRSTRLEN];
	if (sa->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		inet_ntop(AF_INET6, a, ip, sizeof ip);
		snprintf(h->host, sizeof h->host, "[%s]", ip);
		h->loopback =
		    IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	} else {
		const struct in_addr *a = &((const struct sockaddr_in *)sa)->sin_addr;
		inet_ntop(AF_INET, a, ip, sizeof ip);
		snprintf(h->host, sizeof h->host, "%s", ip);
		h->loopback = (ntohl(a->s_addr) >> 24) == 127;
	}
}

static struct MHD_Daemon *start_daemon(np_http *h, const struct sockaddr_storage *sa)
{
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME;
	if (sa->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	return MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)POOL_THREADS, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	    (size_t)CONNECTION_MEMORY, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_SECS,
	    MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL, MHD_OPTION_END);
}

int np_http_start(np_http **out, const np_http_opts *o, np_diags *d)
{
	*out = NULL;
	struct sockaddr_storage sa;
	int rc = parse_bind(o->bind, o->port, &sa, d);
	if (rc)
		return rc;
	np_http *h = np_xcalloc(1, sizeof *h);
	h->reload = o->reload;
	h->root = realpath(o->root, NULL);
	rc = NP_EIO;
	if (!h->root) {
		np_diag_add(d, NP_ERROR, o->root, 0, 0, "cannot serve this folder: %s",
		            strerror(errno));
		goto out;
	}
	h->root_len = strlen(h->root);
	describe_addr(h, &sa);
	h->daemon = start_daemon(h, &sa);
	if (!h->daemon) {
		np_diag_add(d, NP_ERROR, o->bind, 0, 0, "cannot listen on %s port %u: %s", h->host,
		            o->port, errno ? strerror(errno) : "libmicrohttpd refused");
		goto out;
	}
	const union MHD_DaemonInfo *info =
	    MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : o->port;
	*out = h;
	h = NULL;
	rc = 0;
out:
	np_http_stop(h);
	return rc;
}

unsigned np_http_port(const np_http *h)
{
	return h->port;
}

bool np_http_is_loopback(const np_http *h)
{
	return h->loopback;
}

const char *np_http_host(const np_http *h)
{
	return h->host;
}

void np_http_stop(np_http *h)
{
	if (!h)
		return;
	if (h->daemon)
		MHD_stop_daemon(h->daemon);
	free(h->root);
	free(h);
}
