/*
 * ui_attach_name.c - turning an attachment's filename into a name that is
 * safe to create in the chosen directory (the rule is in ui_attach_name.h).
 *
 * Pure: no I/O, no globals; the work is bounded by the input length.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_attach_name.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* Longest extension kept when a name is cut. */
#define UI_ATTACH_EXT_MAX	16

/* Whether a character must not appear in a file name we create. */
static bool
ui_attach_bad_char(uint32_t c)
{
	return c == UTF8_BAD || c < 0x20 || c == 0x7f ||
	    (c >= 0x80 && c <= 0x9f) ||		/* C1 controls */
	    c == 0x061c || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) ||	/* embeddings, overrides */
	    (c >= 0x2066 && c <= 0x2069) ||	/* isolates */
	    c == 0x2028 || c == 0x2029 || c == 0xfeff;
}

/* Rules 1 and 2: the last path component, bad characters replaced. */
static void
ui_attach_clean(const char *name, struct buf *out)
{
	const char	*base = name, *p;
	size_t		 len, off = 0, k;
	uint32_t	 c;

	for (p = name; *p != '\0'; p++) {
		if (*p == '/' || *p == '\\')
			base = p + 1;
	}
	len = strlen(base);
	while (off < len) {
		k = utf8_decode((const unsigned char *)base + off, len - off,
		    &c);
		if (ui_attach_bad_char(c))
			buf_addc(out, '_');
		else
			buf_add(out, base + off, k);
		off += k;
	}
}

/* The start of the last character that ends at or before n. */
static size_t
ui_attach_char_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* Rule 5: cut s (len bytes) to max bytes, keeping a short extension. */
static char *
ui_attach_cut(const char *s, size_t len, size_t max)
{
	const char	*dot = strrchr(s, '.');
	size_t		 ext = dot != NULL ? len - (size_t)(dot - s) : 0;
	size_t		 head;

	if (len <= max)
		return xstrndup(s, len);
	if (ext > UI_ATTACH_EXT_MAX || ext == len)
		ext = 0;
	head = ui_attach_char_cut(s, max - ext);
	return xasprintf("%.*s%s", (int)head, s, ext > 0 ? dot : "");
}

/* Make a safe file name (see ui_attach_name.h). */
char *
ui_attach_safe_name(const char *name, const char *fallback)
{
	struct buf	 b = BUF_INITIALIZER(0);
	char		*d, *r;
	size_t		 len;

	buf_addc(&b, '_');		/* room for rule 4's prefix */
	ui_attach_clean(name != NULL ? name : "", &b);
	d = b.data + 1;
	len = b.len - 1;
	while (len > 0 && (d[len - 1] == ' ' || d[len - 1] == '\t'))
		len--;
	while (len > 0 && (*d == ' ' || *d == '\t')) {
		d++;
		len--;
	}
	d[len] = '\0';
	if (strspn(d, ".") == len) {
		/* Empty, ".", "..": nothing of the name is left. */
		r = xstrdup(fallback != NULL && fallback[strspn(fallback,
		    ".")] != '\0' ? fallback : "attachment");
	} else {
		if (*d == '.' || *d == '-') {
			*--d = '_';
			len++;
		}
		r = ui_attach_cut(d, len, UI_ATTACH_NAME_MAX);
	}
	buf_fini(&b);
	return r;
}

/* The n-th alternative name (see ui_attach_name.h). */
char *
ui_attach_alt_name(const char *name, unsigned n)
{
	const char	*dot = strrchr(name, '.'), *ext = "";
	size_t		 stem = strlen(name), room;
	char		 num[16];

	if (dot != NULL && dot != name && strlen(dot) <= UI_ATTACH_EXT_MAX) {
		stem = (size_t)(dot - name);
		ext = dot;
	}
	snprintf(num, sizeof num, "-%u", n);
	room = UI_ATTACH_NAME_MAX - strlen(num) - strlen(ext);
	if (stem > room)
		stem = ui_attach_char_cut(name, room);
	return xasprintf("%.*s%s%s", (int)stem, name, num, ext);
}
