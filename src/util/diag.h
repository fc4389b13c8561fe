/* Diagnostics.  The library never prints: every stage appends
 * {severity, path, line, col, message} to an np_diags list and the CLI prints
 * them compiler-style.  Lines and columns are 1-based; columns count code
 * points (a Chinese character is one column).  line == 0 means "whole file".
 * An np_diags is safe to share between threads (appends take a lock). */
#ifndef NP_UTIL_DIAG_H
#define NP_UTIL_DIAG_H

#include <pthread.h>
#include <stdio.h>

#include "util/buf.h"

typedef enum np_severity { NP_NOTE, NP_WARNING, NP_ERROR } np_severity;

typedef struct np_diag {
	np_severity severity;
	char *path;    /* owned */
	unsigned line; /* 1-based, 0 = none */
	unsigned col;  /* 1-based code points, 0 = none */
	char *msg;     /* owned */
	char *source_line; /* owned, may be NULL: the offending line, echoed */
} np_diag;

typedef struct np_diags {
	np_diag *items;
	size_t len, cap;
	size_t errors, warnings;
	char *root; /* paths under this folder are shown relative to it */
	pthread_mutex_t lock;
} np_diags;

void np_diags_init(np_diags *d);
void np_diags_dispose(np_diags *d);
/* Diagnostics added from now on name files under root (the site folder)
 * relative to it, whichever stage reports them, so messages read the same
 * from any working directory: `content/issues/2022-08-30/07.txt:3:5: …`. */
void np_diags_set_root(np_diags *d, const char *root);
void np_diag_add(np_diags *d, np_severity sev, const char *path, unsigned line, unsigned col,
                 const char *fmt, ...) NP_PRINTF(6, 7);
/* Like np_diag_add, and records the source line to echo under the message. */
void np_diag_add_src(np_diags *d, np_severity sev, const char *path, unsigned line, unsigned col,
                     np_str source_line, const char *fmt, ...) NP_PRINTF(7, 8);
/* Formats one diagnostic as `path:line:col: error: msg` (+ source line and a
 * caret when known) into out. */
void np_diag_format(const np_diag *dg, np_buf *out);
/* Sorts by path, line, col (stable) so output is deterministic whatever the
 * number of threads, then prints every diagnostic to f. */
void np_diags_print(np_diags *d, FILE *f);

#endif
