/*
 * ui_draw.c - drawing sanitised UTF-8 text on the screen within a width.
 *
 * The only place the UI hands text to curses: it converts to wide
 * characters with ui_text_fit (wcwidth columns, never half a character)
 * and draws with the wide-character API.  Callers pass text that has been
 * through util/sanitize.h; this file does not check it again.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui/ui_internal.h"
#include "ui/ui_text.h"
#include "util/xmalloc.h"

#define UI_DRAW_STACK	256

/* Draw (s, len) at (y, x) in width columns, padding with spaces. */
int
ui_draw_text(int y, int x, int width, const char *s, size_t len,
    attr_t attr)
{
	wchar_t	 stackbuf[UI_DRAW_STACK], *wbuf = stackbuf;
	size_t	 max = UI_DRAW_STACK, n;
	int	 cols;

	if (width <= 0)
		return 0;
	/* Room for the columns plus some combining marks. */
	if ((size_t)width * 2 + 16 > max) {
		max = (size_t)width * 2 + 16;
		wbuf = xreallocarray(NULL, max, sizeof *wbuf);
	}
	ui_text_fit(s, len, width, wbuf, max, &n, &cols);
	wattrset(stdscr, (int)attr);
	if (n > 0)
		mvaddnwstr(y, x, wbuf, (int)n);
	if (cols < width)
		mvhline(y, x + cols, ' ' | attr, width - cols);
	wattrset(stdscr, A_NORMAL);
	if (wbuf != stackbuf)
		free(wbuf);
	return cols;
}

/* Draw a C string (NULL draws nothing but the padding). */
int
ui_draw_str(int y, int x, int width, const char *s, attr_t attr)
{
	if (s == NULL)
		s = "";
	return ui_draw_text(y, x, width, s, strlen(s), attr);
}

/* Draw a C string right-aligned in width columns. */
int
ui_draw_right(int y, int x, int width, const char *s, attr_t attr)
{
	int	w;

	if (width <= 0)
		return 0;
	w = ui_text_width(s, strlen(s));
	if (w >= width)
		return ui_draw_str(y, x, width, s, attr);
	ui_draw_fill(y, x, width - w, attr);
	return ui_draw_str(y, x + width - w, w, s, attr) + width - w;
}

/* Blank width columns with attr. */
void
ui_draw_fill(int y, int x, int width, attr_t attr)
{
	if (width > 0)
		mvhline(y, x, ' ' | attr, width);
}

/* A vertical separator line. */
void
ui_draw_vline(int y, int x, int height)
{
	if (height > 0)
		mvvline(y, x, ACS_VLINE, height);
}
