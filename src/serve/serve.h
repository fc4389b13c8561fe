/* newsprint serve: build the site, serve the output folder over HTTP on a
 * loopback address, rebuild when the sources change and make open pages
 * reload themselves.  Linux only (inotify, signalfd); needs libmicrohttpd. */
#ifndef NP_SERVE_SERVE_H
#define NP_SERVE_SERVE_H

#include <stdbool.h>
#include <stdio.h>

#include "util/diag.h"

typedef struct np_serve_opts {
	const char *site_dir; /* default "." */
	const char *out_dir;  /* default <site_dir>/public */
	const char *bind;     /* address to listen on; default "127.0.0.1" */
	unsigned port;        /* 0 = any free port (the one chosen is printed) */
	unsigned threads;     /* build threads; 0 = all cores */
	bool quiet;           /* no build progress, only diagnostics and status */
	FILE *status;         /* the URL, rebuilds, shutdown (stdout by default) */
	FILE *progress;       /* build progress and diagnostics (stderr by default) */
} np_serve_opts;

/* Builds the site, then serves it until SIGINT or SIGTERM; a build running
 * when the signal arrives is allowed to finish, so the output folder is never
 * left half-written.  SIGINT and SIGTERM are blocked in the calling thread
 * while it runs (and in every thread it starts) and restored on return.
 * Problems found while serving (build errors) are printed to o->progress as
 * they happen and pushed to open pages; problems that stop the server from
 * starting (no site folder, the address cannot be bound) go to d.  Returns 0
 * after a clean stop, NP_EIO or NP_EINVAL when it could not start. */
int np_serve_run(const np_serve_opts *o, np_diags *d);

#endif
