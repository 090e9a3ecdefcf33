/*
 * ui_scroll.h - cursor and viewport arithmetic for a list of rows.
 *
 * A list has count rows, a window of height rows starting at top, and a
 * cursor row.  The invariants kept by ui_scroll_fix: 0 <= cursor < count
 * (or cursor 0 when count is 0), top <= cursor < top + height, and no
 * empty rows at the bottom when the list is longer than the window.
 * 64-bit counts: a folder may hold millions of messages.
 */
#ifndef PETREL_UI_SCROLL_H
#define PETREL_UI_SCROLL_H

#include <stdbool.h>
#include <stdint.h>

struct ui_scroll {
	int64_t	 count;
	int64_t	 cursor;
	int64_t	 top;
	int	 height;
};

/* Restore the invariants after any field changed. */
void	 ui_scroll_fix(struct ui_scroll *);
/* Move the cursor by delta rows (clamped). */
void	 ui_scroll_move(struct ui_scroll *, int64_t delta);
/* Move the cursor and the window by pages pages (negative: up). */
void	 ui_scroll_page(struct ui_scroll *, int pages);
/* Cursor to the first / last row. */
void	 ui_scroll_first(struct ui_scroll *);
void	 ui_scroll_last(struct ui_scroll *);
/* Change the window height, keeping the cursor visible. */
void	 ui_scroll_resize(struct ui_scroll *, int height);
/*
 * Change the row count; with follow, a cursor that was on the last row
 * (or an empty list) moves to the new last row.
 */
void	 ui_scroll_set_count(struct ui_scroll *, int64_t count, bool follow);
/* Clamp a viewport top (no cursor: the pager) to [0, count - height]. */
int64_t	 ui_scroll_clamp_top(int64_t top, int64_t count, int height);

#endif
