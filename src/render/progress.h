/* A one-line progress bar for long stages, on a terminal only: nothing at
 * all when progress is off (--quiet), goes to a file or a pipe, or the
 * stage is short.  Safe to step from many threads. */
#ifndef NP_RENDER_PROGRESS_H
#define NP_RENDER_PROGRESS_H

#include "render/render.h"

typedef struct np_progress np_progress;

/* A bar "label [####    ] done/total" for a stage of total steps; NULL
 * (which the other calls accept) when no bar is to be drawn. */
np_progress *np_progress_new(const np_render_opts *o, const char *label, size_t total);
/* done steps are finished: redraws when the bar moved by a percent. */
void np_progress_step(np_progress *p, size_t done);
/* Clears the line and frees p. */
void np_progress_done(np_progress *p);

#endif
