#include "util/diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util/utf8.h"

void np_diags_init(np_diags *d)
{
	memset(d, 0, sizeof *d);
	pthread_mutex_init(&d->lock, NULL);
}

void np_diags_dispose(np_diags *d)
{
	for (size_t i = 0; i < d->len; i++) {
		free(d->items[i].path);
		free(d->items[i].msg);
		free(d->items[i].source_line);
	}
	free(d->items);
	free(d->root);
	pthread_mutex_destroy(&d->lock);
	memset(d, 0, sizeof *d);
}

void np_diags_set_root(np_diags *d, const char *root)
{
	free(d->root);
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	d->root = np_xstrndup(root, n);
}

/* path without the root folder and any leading "./". */
static const char *shown_path(const np_diags *d, const char *path)
{
	if (!path)
		return "";
	size_t n = d->root ? strlen(d->root) : 0;
	if (n && strncmp(path, d->root, n) == 0 && path[n] == '/')
		path += n + 1;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return path;
}

static void vadd(np_diags *d, np_severity sev, const char *path, unsigned line, unsigned col,
                 np_str src, const char *fmt, va_list ap) NP_PRINTF(7, 0);

static void vadd(np_diags *d, np_severity sev, const char *path, unsigned line, unsigned col,
                 np_str src, const char *fmt, va_list ap)
{
	np_buf m;
	np_buf_init(&m);
	np_buf_vprintf(&m, fmt, ap);
	path = shown_path(d, path);
	np_diag dg = {sev, np_xstrndup(path, strlen(path)), line, col,
	              np_buf_detach(&m), src.p ? np_xstrndup(src.p, src.len) : NULL};
	pthread_mutex_lock(&d->lock);
	if (d->len == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = np_xrealloc(d->items, np_mul(d->cap, sizeof *d->items));
	}
	d->items[d->len++] = dg;
	if (sev == NP_ERROR)
		d->errors++;
	else if (sev == NP_WARNING)
		d->warnings++;
	pthread_mutex_unlock(&d->lock);
}

void np_diag_add(np_diags *d, np_severity sev, const char *path, unsigned line, unsigned col,
                 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(d, sev, path, line, col, (np_str){NULL, 0}, fmt, ap);
	va_end(ap);
}

void np_diag_add_src(np_diags *d, np_severity sev, const char *path, unsigned line, unsigned col,
                     np_str source_line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(d, sev, path, line, col, source_line, fmt, ap);
	va_end(ap);
}

static const char *sev_name(np_severity s)
{
	switch (s) {
	case NP_ERROR:
		return "error";
	case NP_WARNING:
		return "warning";
	case NP_NOTE:
		return "note";
	}
	return "?";
}

void np_diag_format(const np_diag *dg, np_buf *out)
{
	np_buf_puts(out, dg->path[0] ? dg->path : "newsprint");
	if (dg->line) {
		np_buf_printf(out, ":%u", dg->line);
		if (dg->col)
			np_buf_printf(out, ":%u", dg->col);
	}
	np_buf_printf(out, ": %s: %s\n", sev_name(dg->severity), dg->msg);
	if (dg->source_line) {
		np_buf_printf(out, "    %s\n", dg->source_line);
		if (dg->col) {
			/* Caret under the column: wide characters take two cells. */
			np_buf_puts(out, "    ");
			const char *s = dg->source_line;
			size_t len = strlen(s), i = 0;
			for (unsigned c = 1; c < dg->col && i < len; c++) {
				uint32_t cp;
				i += np_utf8_decode(s + i, len - i, &cp);
				np_buf_puts(out, cp == '\t' ? "\t" : cp >= 0x1100 ? "  " : " ");
			}
			np_buf_puts(out, "^\n");
		}
	}
}

static int cmp_diag(const void *a, const void *b)
{
	const np_diag *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	c = strcmp(x->msg, y->msg);
	return c;
}

void np_diags_print(np_diags *d, FILE *f)
{
	if (d->len > 1) /* items is NULL while empty, which qsort must not see */
		if (d->len > 1)
		qsort(d->items, d->len, sizeof *d->items, cmp_diag);
	np_buf b;
	np_buf_init(&b);
	for (size_t i = 0; i < d->len; i++) {
		np_buf_clear(&b);
		np_diag_format(&d->items[i], &b);
		fwrite(b.data, 1, b.len, f);
	}
	np_buf_dispose(&b);
}
