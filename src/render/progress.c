#define _POSIX_C_SOURCE 200809L
#include "render/progress.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/buf.h"

#define BAR_WIDTH 30
#define MIN_STEPS 200 /* below this a stage is over before a bar helps */

struct np_progress {
	FILE *f;
	const char *label;
	size_t total;
	atomic_uint shown; /* last percent drawn */
};

np_progress *np_progress_new(const np_render_opts *o, const char *label, size_t total)
{
	if (o->quiet || !o->progress || total < MIN_STEPS || !isatty(fileno(o->progress)))
		return NULL;
	np_progress *p = np_xcalloc(1, sizeof *p);
	p->f = o->progress;
	p->label = label;
	p->total = total;
	atomic_init(&p->shown, 0);
	return p;
}

void np_progress_step(np_progress *p, size_t done)
{
	if (!p)
		return;
	unsigned pct = (unsigned)(done * 100 / p->total), was = atomic_load(&p->shown);
	/* Only the thread that moves the bar draws it. */
	if (pct <= was || !atomic_compare_exchange_strong(&p->shown, &was, pct))
		return;
	char bar[BAR_WIDTH + 1];
	size_t fill = done * BAR_WIDTH / p->total;
	for (size_t i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : ' ';
	bar[BAR_WIDTH] = '\0';
	flockfile(p->f);
	fprintf(p->f, "\r%s [%s] %zu/%zu", p->label, bar, done, p->total);
	fflush(p->f);
	funlockfile(p->f);
}

void np_progress_done(np_progress *p)
{
	if (!p)
		return;
	fprintf(p->f, "\r\033[K");
	fflush(p->f);
	free(p);
}
