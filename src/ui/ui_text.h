/*
 * ui_text.h - measuring, fitting and wrapping UTF-8 text in columns.
 *
 * Pure functions (no curses, no I/O): they decode UTF-8 themselves and ask
 * wcwidth() for each character's columns, so the results follow LC_CTYPE.
 * Input is text already passed through util/sanitize.h; invalid UTF-8 is
 * still handled (as U+FFFD).  Tabs advance to the next multiple of
 * UI_TEXT_TAB, counted from the start of the text.  A character wcwidth()
 * cannot display is shown as '?'; a zero-width character with nothing
 * before it is dropped.  Nothing here ever splits a character.
 */
#ifndef PETREL_UI_TEXT_H
#define PETREL_UI_TEXT_H

#include <stddef.h>
#include <wchar.h>

#define UI_TEXT_TAB	8

/*
 * Decode one UTF-8 character from (s, len > 0) into *wc; returns the bytes
 * used (a malformed sequence gives one U+FFFD for its maximal invalid
 * subpart, as util/utf8.h decodes).
 */
size_t	 ui_text_decode(const char *s, size_t len, wchar_t *wc);

/* The columns wc takes when it starts at column col. */
int	 ui_text_char_width(wchar_t wc, int col);

/*
 * Fit the start of (s, len) into width columns: stops before a '\n', at the
 * end, before a character that would pass width, or when outmax wide
 * characters are stored.  out (may be NULL to only measure) receives the
 * characters to draw (tabs expanded to spaces).  Returns the bytes used;
 * *nout (may be NULL) the wide characters stored, *cols (may be NULL) the
 * columns they take.
 */
size_t	 ui_text_fit(const char *s, size_t len, int width, wchar_t *out,
	     size_t outmax, size_t *nout, int *cols);

/* The columns the first line of (s, len) takes, up to '\n'. */
int	 ui_text_width(const char *s, size_t len);

/*
 * One line of (s, len) wrapped to width columns: at a '\n', else after the
 * last space that fits, else before the first character that does not fit
 * (always at least one character).  *linelen gets the bytes to show;
 * returns the bytes to skip to the next line (0 only when len is 0).
 */
size_t	 ui_text_wrap(const char *s, size_t len, int width, size_t *linelen);

#endif
