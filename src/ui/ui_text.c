/*
 * ui_text.c - UTF-8 decoding, column widths, fitting and word wrapping.
 *
 * Owns the arithmetic of columns; drawing lives in ui_draw.c.  Every loop
 * is bounded by the input length and the output size.
 */
#include <stdint.h>
#include <wchar.h>

#include "ui/ui_text.h"
#include "util/utf8.h"

/*
 * Decode one UTF-8 character; malformed input gives U+FFFD for its maximal
 * invalid subpart.
 */
size_t
ui_text_decode(const char *s, size_t len, wchar_t *wc)
{
	uint32_t	c;
	size_t		n;

	if (len == 0) {
		*wc = 0;
		return 0;
	}
	n = utf8_decode((const unsigned char *)s, len, &c);
	*wc = c == UTF8_BAD ? (wchar_t)0xfffd : (wchar_t)c;
	return n;
}

/* Columns of one character at column col; undisplayable ones count 1. */
int
ui_text_char_width(wchar_t wc, int col)
{
	int	w;

	if (wc == L'\t')
		return UI_TEXT_TAB - col % UI_TEXT_TAB;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

/* Fit the start of a line into width columns (see ui_text.h). */
size_t
ui_text_fit(const char *s, size_t len, int width, wchar_t *out,
    size_t outmax, size_t *nout, int *cols)
{
	size_t	 off = 0, n = 0, k;
	int	 col = 0, w, i;
	wchar_t	 wc;

	while (off < len && s[off] != '\n') {
		k = ui_text_decode(s + off, len - off, &wc);
		w = ui_text_char_width(wc, col);
		if (col + w > width)
			break;
		if (wc == L'\t') {
			if (out != NULL && n + (size_t)w > outmax)
				break;
			for (i = 0; i < w; i++) {
				if (out != NULL)
					out[n] = L' ';
				n++;
			}
		} else if (w == 0 && n == 0) {
			/* A combining mark with no base: drop it. */
		} else {
			if (out != NULL && n + 1 > outmax)
				break;
			if (wcwidth(wc) < 0)
				wc = L'?';
			if (out != NULL)
				out[n] = wc;
			n++;
		}
		col += w;
		off += k;
	}
	if (nout != NULL)
		*nout = n;
	if (cols != NULL)
		*cols = col;
	return off;
}

/* Columns of the first line of the text. */
int
ui_text_width(const char *s, size_t len)
{
	size_t	 off = 0;
	int	 col = 0;
	wchar_t	 wc;

	while (off < len && s[off] != '\n') {
		off += ui_text_decode(s + off, len - off, &wc);
		col += ui_text_char_width(wc, col);
	}
	return col;
}

/* Find where the next wrapped line ends (see ui_text.h). */
size_t
ui_text_wrap(const char *s, size_t len, int width, size_t *linelen)
{
	size_t	 off = 0, brk = 0, k;
	int	 col = 0, w;
	wchar_t	 wc;

	if (width < 1)
		width = 1;
	while (off < len) {
		if (s[off] == '\n') {
			*linelen = off;
			return off + 1;
		}
		k = ui_text_decode(s + off, len - off, &wc);
		w = ui_text_char_width(wc, col);
		if (col + w > width) {
			if (wc == L' ' || wc == L'\t') {
				/* The space that overflows ends the line. */
				*linelen = off;
				return off + k;
			}
			if (brk > 0) {
				*linelen = brk;
				return brk;
			}
			if (off == 0)
				off = k;	/* wider than the whole width */
			*linelen = off;
			return off;
		}
		col += w;
		off += k;
		if (wc == L' ' || wc == L'\t')
			brk = off;
	}
	*linelen = off;
	return off;
}
