/*
 * ui_scroll.c - cursor and viewport arithmetic shared by the lists.
 *
 * Pure integer code: the folder pane and the message list keep a struct
 * ui_scroll each and only ever change it through these functions.
 */
#include "ui/ui_scroll.h"

/* Restore the invariants documented in ui_scroll.h. */
void
ui_scroll_fix(struct ui_scroll *s)
{
	if (s->height < 1)
		s->height = 1;
	if (s->count <= 0) {
		s->count = 0;
		s->cursor = 0;
		s->top = 0;
		return;
	}
	if (s->cursor >= s->count)
		s->cursor = s->count - 1;
	if (s->cursor < 0)
		s->cursor = 0;
	if (s->cursor < s->top)
		s->top = s->cursor;
	if (s->cursor >= s->top + s->height)
		s->top = s->cursor - s->height + 1;
	s->top = ui_scroll_clamp_top(s->top, s->count, s->height);
}

/* Move the cursor by delta rows. */
void
ui_scroll_move(struct ui_scroll *s, int64_t delta)
{
	s->cursor += delta;
	ui_scroll_fix(s);
}

/* Move cursor and window together by whole pages. */
void
ui_scroll_page(struct ui_scroll *s, int pages)
{
	int64_t	delta = (int64_t)pages * s->height;

	s->cursor += delta;
	s->top += delta;
	if (s->top < 0)
		s->top = 0;
	ui_scroll_fix(s);
}

/* Cursor to the first row. */
void
ui_scroll_first(struct ui_scroll *s)
{
	s->cursor = 0;
	ui_scroll_fix(s);
}

/* Cursor to the last row. */
void
ui_scroll_last(struct ui_scroll *s)
{
	s->cursor = s->count - 1;
	ui_scroll_fix(s);
}

/* New window height. */
void
ui_scroll_resize(struct ui_scroll *s, int height)
{
	s->height = height;
	ui_scroll_fix(s);
}

/* New row count, optionally following the end of the list. */
void
ui_scroll_set_count(struct ui_scroll *s, int64_t count, bool follow)
{
	bool	at_end = s->count == 0 || s->cursor >= s->count - 1;

	s->count = count;
	if (follow && at_end)
		s->cursor = count - 1;
	ui_scroll_fix(s);
}

/* Clamp a viewport's first row. */
int64_t
ui_scroll_clamp_top(int64_t top, int64_t count, int height)
{
	int64_t	max = count - (height < 1 ? 1 : height);

	if (top > max)
		top = max;
	if (top < 0)
		top = 0;
	return top;
}
