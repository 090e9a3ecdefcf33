/*
 * ui_pager_text.c - format=flowed (RFC 3676), quote levels, tab expansion,
 * URL finding and search for the pager.
 *
 * Pure: no curses, no I/O, no globals.  Every loop walks its input once
 * (the URL de-duplication compares at most UI_PAGER_URLS_MAX URLs with
 * each other) and every output goes to a bounded buffer.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/ui_pager_text.h"
#include "ui/ui_text.h"
#include "util/xmalloc.h"

/* One line of flowed text, read and taken apart (RFC 3676 section 4). */
struct ui_flowed_line {
	size_t		 depth;		/* quote marks */
	const char	*text;		/* after quotes and stuffing */
	size_t		 len;
	bool		 flowed;	/* ends in a soft line break */
	bool		 sig;		/* "-- ": a fixed line (4.3) */
};

/* Take the line at s[off] apart; returns where the next line starts. */
static size_t
ui_flowed_read(const char *s, size_t len, size_t off, bool delsp,
    struct ui_flowed_line *l)
{
	const char	*nl = memchr(s + off, '\n', len - off);
	size_t		 end = nl != NULL ? (size_t)(nl - s) : len;
	size_t		 i = off;

	while (i < end && s[i] == '>')
		i++;
	l->depth = i - off;
	if (i < end && s[i] == ' ')
		i++;			/* space-stuffing (4.4) */
	l->text = s + i;
	l->len = end - i;
	l->sig = l->len == 3 && memcmp(l->text, "-- ", 3) == 0;
	l->flowed = !l->sig && l->len > 0 && l->text[l->len - 1] == ' ';
	if (l->flowed && delsp)
		l->len--;
	return nl != NULL ? end + 1 : len;
}

/* Undo format=flowed (see ui_pager_text.h). */
int
ui_pager_flowed(const char *s, size_t len, bool delsp, struct buf *out)
{
	struct ui_flowed_line	 l, next;
	size_t			 off = 0, i;
	bool			 open = false;	/* a paragraph goes on */

	if (len == 0)
		return 0;
	off = ui_flowed_read(s, len, 0, delsp, &l);
	for (;;) {
		if (!open && l.depth > 0) {
			for (i = 0; i < l.depth; i++)
				buf_addc(out, '>');
			if (l.len > 0)
				buf_addc(out, ' ');
		}
		buf_add(out, l.text, l.len);
		if (off >= len) {
			buf_addc(out, '\n');
			break;
		}
		off = ui_flowed_read(s, len, off, delsp, &next);
		/* Join only within one depth, never onto a signature. */
		open = l.flowed && next.depth == l.depth && !next.sig;
		if (!open)
			buf_addc(out, '\n');
		l = next;
	}
	return out->too_big ? -1 : 0;
}

/* The quote level of a line (see ui_pager_text.h). */
int
ui_pager_quote_level(const char *s, size_t len, size_t *prefix)
{
	size_t	i = 0;
	int	level = 0;

	if (len > 0 && s[0] == '>') {
		for (; i < len && (s[i] == '>' || s[i] == ' ' ||
		    s[i] == '\t'); i++) {
			if (s[i] == '>' && level < 255)
				level++;
		}
	}
	if (prefix != NULL)
		*prefix = i;
	return level;
}

/* Expand tabs to spaces, columns counted per line (see ui_pager_text.h). */
int
ui_pager_expand_tabs(const char *s, size_t len, struct buf *out)
{
	size_t	 off = 0, k, run;
	int	 col = 0, w;
	wchar_t	 wc;

	while (off < len) {
		if (s[off] == '\n') {
			buf_addc(out, '\n');
			col = 0;
			off++;
			continue;
		}
		if (s[off] != '\t') {
			/* Copy a run of non-tab characters in one go. */
			run = off;
			while (off < len && s[off] != '\t' && s[off] != '\n') {
				k = ui_text_decode(s + off, len - off, &wc);
				col += ui_text_char_width(wc, col);
				off += k;
			}
			buf_add(out, s + run, off - run);
			continue;
		}
		w = ui_text_char_width(L'\t', col);
		col += w;
		while (w-- > 0)
			buf_addc(out, ' ');
		off++;
	}
	return out->too_big ? -1 : 0;
}

/* Whether c may be part of a URL (RFC 3986 characters, roughly). */
static bool
ui_url_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("<>\"`{}|\\^", c) == NULL;
}

/* Whether c continues a word (so a URL cannot start after it). */
static bool
ui_url_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
	    c == '+' || c == '@' || c == '/';
}

/* The length of a URL scheme starting at s (0 if none). */
static size_t
ui_url_scheme(const char *s, size_t len)
{
	static const char *const schemes[] = { "http://", "https://",
	    "ftp://", "mailto:", "www." };
	size_t			 i, n;

	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		n = strlen(schemes[i]);
		if (n < len && strncasecmp(s, schemes[i], n) == 0 &&
		    ui_url_char((unsigned char)s[n]))
			return n;
	}
	return 0;
}

/* Drop trailing punctuation and unpartnered closing brackets. */
static size_t
ui_url_trim(const char *s, size_t len)
{
	size_t	i, open_p = 0, close_p = 0, open_b = 0, close_b = 0;
	char	c;

	for (i = 0; i < len; i++) {
		open_p += s[i] == '(';
		close_p += s[i] == ')';
		open_b += s[i] == '[';
		close_b += s[i] == ']';
	}
	while (len > 0) {
		c = s[len - 1];
		if (c == ')' && close_p > open_p)
			close_p--;
		else if (c == ']' && close_b > open_b)
			close_b--;
		else if (strchr(".,;:!?'", c) == NULL)
			break;
		len--;
	}
	return len;
}

/* Whether the URL (s + off, len) is among the first n found. */
static bool
ui_url_seen(const char *s, const struct ui_pager_url *v, size_t n,
    size_t off, size_t len)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i].len == len && memcmp(s + v[i].off, s + off, len) == 0)
			return true;
	}
	return false;
}

/* Find the URLs of a text (see ui_pager_text.h). */
size_t
ui_pager_urls(const char *s, size_t len, struct ui_pager_url *out,
    size_t max)
{
	size_t	off = 0, n = 0, k, end;

	if (max > UI_PAGER_URLS_MAX)
		max = UI_PAGER_URLS_MAX;
	while (off < len && n < max) {
		k = 0;
		if (off == 0 || !ui_url_word((unsigned char)s[off - 1]))
			k = ui_url_scheme(s + off, len - off);
		if (k == 0) {
			off++;
			continue;
		}
		end = off + k;
		while (end < len && ui_url_char((unsigned char)s[end]))
			end++;
		end = off + ui_url_trim(s + off, end - off);
		if (end - off > UI_PAGER_URL_LEN_MAX)
			end = off + UI_PAGER_URL_LEN_MAX;
		if (end - off > k && !ui_url_seen(s, out, n, off, end - off)) {
			out[n].off = off;
			out[n].len = end - off;
			n++;
		}
		off = end > off ? end : off + 1;
	}
	return n;
}

/* Lower-case an ASCII letter. */
static char
ui_find_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
}

/*
 * Find a needle with smart case (see ui_pager_text.h).  Linear: memmem
 * (two-way) over the text, or over a lower-cased copy of the rest of it.
 */
bool
ui_pager_find(const char *hay, size_t len, size_t from, const char *needle,
    size_t *at)
{
	size_t		 n = strlen(needle), i;
	char		*lh, *ln;
	const char	*p;
	bool		 exact = false;

	for (i = 0; i < n; i++) {
		if (needle[i] >= 'A' && needle[i] <= 'Z')
			exact = true;
	}
	if (n == 0 || from > len || len - from < n)
		return false;
	if (exact) {
		p = memmem(hay + from, len - from, needle, n);
		if (p != NULL)
			*at = (size_t)(p - hay);
		return p != NULL;
	}
	lh = xmalloc(len - from + 1);
	ln = xmalloc(n + 1);
	for (i = 0; i < len - from; i++)
		lh[i] = ui_find_lower(hay[from + i]);
	for (i = 0; i < n; i++)
		ln[i] = ui_find_lower(needle[i]);
	p = memmem(lh, len - from, ln, n);
	if (p != NULL)
		*at = from + (size_t)(p - lh);
	free(lh);
	free(ln);
	return p != NULL;
}
