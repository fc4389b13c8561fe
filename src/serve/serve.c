/* np_serve_run: build, serve, watch, rebuild.
 *
 * Threads: the caller's thread runs the loop (signals, inotify, debounce,
 * keep-alive pings); one builder thread runs np_build_run whenever the loop
 * asks; MHD runs its own pool.  SIGINT and SIGTERM are blocked everywhere
 * and read from a signalfd by the loop, so no handler runs in the middle of
 * a build.
 *
 * Consistency: the build writes into the served folder itself, one file at
 * a time through a temporary name and rename(2), so a response is always a
 * whole old file or a whole new one, never a torn one.  While a rebuild is
 * running, two pages fetched one after the other may come from different
 * builds; a build that fails keeps the pages it could not render as they
 * were, and the page shows the errors in an overlay until the next good
 * build.  (Building into a staging folder and swapping would need a full
 * copy of the site per build, which costs more than the seconds of mixing
 * it avoids while editing.)  On stop, a running build is allowed to finish. */
#define _GNU_SOURCE
#include "serve/serve.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "build/build.h"
#include "serve/internal.h"
#include "util/err.h"
#include "util/fs.h"

#define DEBOUNCE_SECS 0.15 /* editors write a file in several steps */
#define PING_SECS 15.0     /* notices closed pages; below MHD's idle timeout */

typedef struct server {
	const np_serve_opts *o;
	np_build_opts bo;
	np_reload *reload;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool want_build, building, quit;
	bool failed;  /* the last build had errors (builder thread only) */
	bool serving; /* set before the builder thread starts */
} server;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void say(const server *s, const char *fmt, ...) NP_PRINTF(2, 3);

/* One status line, with the time of day, to o->status. */
static void say(const server *s, const char *fmt, ...)
{
	FILE *f = s->o->status;
	if (!f)
		return;
	char stamp[16];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
	flockfile(f); /* the loop and the builder both report */
	fprintf(f, "[%s] ", stamp);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
	funlockfile(f);
}

/* The errors of d, formatted as on the terminal, for the overlay. */
static void format_errors(np_diags *d, np_buf *text)
{
	np_buf one;
	np_buf_init(&one);
	for (size_t i = 0; i < d->len; i++) {
		if (d->items[i].severity != NP_ERROR)
			continue;
		np_buf_clear(&one);
		np_diag_format(&d->items[i], &one);
		np_buf_put(text, one.data, one.len);
		if (one.len && one.data[one.len - 1] != '\n')
			np_buf_putc(text, '\n');
	}
	np_buf_dispose(&one);
}

/* Runs one build and tells the terminal and the open pages how it went. */
static void build_once(server *s)
{
	np_diags d;
	np_diags_init(&d);
	np_build_stats st = {0};
	double t0 = now();
	int rc = np_build_run(&s->bo, &d, &st);
	if (s->o->progress) {
		np_diags_print(&d, s->o->progress);
		fflush(s->o->progress);
	}
	if (rc != 0 || d.errors) {
		np_buf text;
		np_buf_init(&text);
		format_errors(&d, &text);
		if (rc != 0 && text.len == 0)
			np_buf_printf(&text, "the build stopped: %s\n", np_strerror(rc));
		np_reload_error(s->reload, np_str_of(&text));
		np_buf_dispose(&text);
		say(s, "build failed (%zu error%s)%s", d.errors, d.errors == 1 ? "" : "s",
		    s->serving ? "; still serving the last good pages" : "");
		s->failed = true;
	} else if (st.files_written || st.files_removed || s->failed) {
		np_reload_pages(s->reload);
		say(s, "built in %.2fs: %zu files written, %zu removed", now() - t0,
		    st.files_written, st.files_removed);
		s->failed = false;
	}
	np_diags_dispose(&d);
}

/* The builder thread: a build per request, until told to quit.  Requests
 * that arrive during a build are merged into one build after it. */
static void *builder(void *arg)
{
	server *s = arg;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->want_build && !s->quit)
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->quit)
			break;
		s->want_build = false;
		s->building = true;
		pthread_mutex_unlock(&s->lock);
		build_once(s);
		pthread_mutex_lock(&s->lock);
		s->building = false;
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void request_build(server *s)
{
	pthread_mutex_lock(&s->lock);
	s->want_build = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

/* Milliseconds until the earlier of the two deadlines (0 = unset). */
static int poll_timeout(double debounce_at, double ping_at)
{
	double until = debounce_at > 0 && debounce_at < ping_at ? debounce_at : ping_at;
	double ms = (until - now()) * 1000.0 + 1.0;
	return ms < 0 ? 0 : (int)ms;
}

/* The loop: returns when SIGINT or SIGTERM arrives.  A burst of changes
 * starts one build DEBOUNCE_SECS after its last event. */
static void loop(server *s, np_watch *w, int sigfd)
{
	double debounce_at = 0, ping_at = now() + PING_SECS;
	np_buf what;
	np_buf_init(&what);
	for (;;) {
		struct pollfd p[2] = {{.fd = sigfd, .events = POLLIN},
		                      {.fd = np_watch_fd(w), .events = POLLIN}};
		if (poll(p, 2, poll_timeout(debounce_at, ping_at)) < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si)
				say(s, "%s: stopping", strsignal((int)si.ssi_signo));
			break;
		}
		if ((p[1].revents & POLLIN) && np_watch_read(w, &what) > 0)
			debounce_at = now() + DEBOUNCE_SECS;
		double t = now();
		if (debounce_at > 0 && t >= debounce_at) {
			debounce_at = 0;
			say(s, "%s changed: rebuilding", what.data);
			request_build(s);
		}
		if (t >= ping_at) {
			np_reload_ping(s->reload);
			ping_at = t + PING_SECS;
		}
	}
	np_buf_dispose(&what);
}

/* Tells the builder to quit and waits for it (and for a build it runs). */
static void stop_builder(server *s, pthread_t t)
{
	pthread_mutex_lock(&s->lock);
	s->quit = true;
	bool busy = s->building;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	if (busy)
		say(s, "waiting for the running build to finish");
	pthread_join(t, NULL);
}

static void announce(const server *s, const np_http *h, const char *out)
{
	if (!np_http_is_loopback(h) && s->o->progress) {
		fprintf(s->o->progress,
		        "newsprint: warning: listening on %s, which is not a loopback address: "
		        "anyone who can reach this machine can read the site\n",
		        np_http_host(h));
		fflush(s->o->progress);
	}
	say(s, "serving %s at http://%s:%u/ (Ctrl-C to stop)", out, np_http_host(h),
	    np_http_port(h));
}

/* Watches, serves and rebuilds until a signal; the site is built once. */
static int serve(server *s, const char *out, int sigfd, np_diags *d)
{
	np_http *http = NULL;
	np_watch *w = NULL;
	np_http_opts ho = {.root = out,
	                   .bind = s->o->bind ? s->o->bind : "127.0.0.1",
	                   .port = s->o->port,
	                   .reload = s->reload};
	int rc = np_watch_new(&w, s->bo.site_dir, out, d);
	if (rc == 0)
		rc = np_http_start(&http, &ho, d);
	if (rc)
		goto out;
	pthread_t t;
	s->serving = true;
	if (pthread_create(&t, NULL, builder, s) != 0) {
		np_diag_add(d, NP_ERROR, s->bo.site_dir, 0, 0, "cannot start the build thread");
		rc = NP_EIO;
		goto out;
	}
	announce(s, http, out);
	loop(s, w, sigfd);
	stop_builder(s, t);
out:
	np_reload_close(s->reload);
	np_http_stop(http);
	np_watch_free(w);
	return rc;
}

/* Drops SIGINT/SIGTERM that arrived after the loop stopped reading them,
 * so restoring the caller's mask does not kill the process on the way out. */
static void drain_signals(const sigset_t *set)
{
	struct timespec zero = {0, 0};
	while (sigtimedwait(set, NULL, &zero) > 0)
		;
}

/* Builds once, then serves until a signal in set; the signals are blocked. */
static int run_blocked(server *s, const sigset_t *set, np_diags *d)
{
	const char *out = s->bo.out_dir;
	int sigfd = signalfd(-1, set, SFD_CLOEXEC);
	if (sigfd < 0 || np_fs_mkdirs(out) != 0) {
		np_diag_add(d, NP_ERROR, out, 0, 0, "cannot prepare the output folder: %s",
		            strerror(errno));
		if (sigfd >= 0)
			close(sigfd);
		return NP_EIO;
	}
	build_once(s);
	int rc = serve(s, out, sigfd, d);
	close(sigfd);
	return rc;
}

int np_serve_run(const np_serve_opts *o, np_diags *d)
{
	const char *site = o->site_dir ? o->site_dir : ".";
	server s = {.o = o,
	            .bo = {.site_dir = site,
	                   .threads = o->threads,
	                   .quiet = o->quiet,
	                   .progress = o->progress}};
	if (!np_fs_is_dir(site)) {
		np_diag_add(d, NP_ERROR, site, 0, 0, "no such site folder");
		return NP_EINVAL;
	}
	np_buf out;
	np_buf_init(&out);
	if (o->out_dir)
		np_buf_puts(&out, o->out_dir);
	else
		np_path_join(&out, site, "public");
	s.bo.out_dir = out.data;
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	/* A client that hangs up mid-response must not kill the server. */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old_pipe;
	sigaction(SIGPIPE, &ign, &old_pipe);
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.cond, NULL);
	s.reload = np_reload_new();
	int rc = run_blocked(&s, &set, d);
	np_reload_free(s.reload);
	pthread_cond_destroy(&s.cond);
	pthread_mutex_destroy(&s.lock);
	sigaction(SIGPIPE, &old_pipe, NULL);
	drain_signals(&set);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	np_buf_dispose(&out);
	if (rc == 0)
		say(&s, "stopped");
	return rc;
}
