/*
 * header.c - the header block of an RFC 5322 message or MIME part: where it
 * ends, finding a field by name, unfolding (RFC 5322 sections 2.2, 2.2.3).
 *
 * The block ends at the first empty line.  It also ends, without one, at the
 * first line that is neither a field ("name:") nor a continuation: that line
 * is the start of the body (a header defect, not a reason to lose text).
 * A leading mbox "From " line is skipped.  Lines may end in CRLF or LF.
 */
#include <string.h>
#include <strings.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "util/xmalloc.h"

/*
 * Length of a field name at the start of the line and the offset just past
 * its colon (obsolete syntax allows blanks before it), or 0 if the line is
 * not a field.  A line that starts with the colon is a broken field with an
 * empty name (it matches no name), not the body: real mail has it mid-header
 * (Thunderbird's bugmail1), and Python's email reads it the same way.
 */
size_t
mime_header_field(const char *s, size_t len, size_t *name_len)
{
	size_t	i = 0, n;

	while (i < len && s[i] > ' ' && s[i] < 0x7f && s[i] != ':')
		i++;
	if (i == 0 && (len == 0 || s[0] != ':'))
		return 0;
	n = i;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= len || s[i] != ':')
		return 0;
	*name_len = n;
	return i + 1;
}

/* Find the end of the line at off: *eol is where the line break starts
 * (before any CR), the return value where the next line starts. */
static size_t
mime_header_line(const char *msg, size_t len, size_t off, size_t *eol)
{
	const char	*nl;
	size_t		 e;

	nl = memchr(msg + off, '\n', len - off);
	e = nl != NULL ? (size_t)(nl - msg) : len;
	*eol = e > off && msg[e - 1] == '\r' ? e - 1 : e;
	return nl != NULL ? e + 1 : len;
}

/* Length of the header block of msg; *body_off is where the body starts. */
size_t
mime_header_end(const char *msg, size_t len, size_t *body_off)
{
	size_t	off = 0, next, eol, n;

	if (len >= 5 && memcmp(msg, "From ", 5) == 0)
		off = mime_header_line(msg, len, 0, &eol);
	while (off < len) {
		next = mime_header_line(msg, len, off, &eol);
		if (eol == off) {
			*body_off = next;
			return off;
		}
		if (msg[off] != ' ' && msg[off] != '\t' &&
		    mime_header_field(msg + off, eol - off, &n) == 0) {
			*body_off = off;
			return off;
		}
		off = next;
	}
	*body_off = len;
	return len;
}

/* Find the first field called name (any case) in a header block; *val and
 * *vlen get its raw, still folded value. */
bool
mime_header_find(const char *hdr, size_t len, const char *name,
    const char **val, size_t *vlen)
{
	size_t	off = 0, next, eol, n, colon, nlen = strlen(name);

	while (off < len) {
		next = mime_header_line(hdr, len, off, &eol);
		colon = mime_header_field(hdr + off, eol - off, &n);
		if (colon == 0 || n != nlen ||
		    strncasecmp(hdr + off, name, nlen) != 0) {
			off = next;
			continue;
		}
		*val = hdr + off + colon;
		/* Take the continuation lines too. */
		while (next < len && (hdr[next] == ' ' || hdr[next] == '\t'))
			next = mime_header_line(hdr, len, next, &eol);
		*vlen = eol - (off + colon);
		return true;
	}
	return false;
}

/* Unfold a raw value: line breaks go, the blanks after them stay, NUL
 * becomes a blank, outer blanks are trimmed.  New string, at most
 * MIME_HEADER_MAX bytes. */
char *
mime_header_unfold(const char *val, size_t vlen)
{
	char	*s;
	size_t	 i, n = 0;

	if (vlen > MIME_HEADER_MAX)
		vlen = MIME_HEADER_MAX;
	s = xmalloc(vlen + 1);
	for (i = 0; i < vlen; i++) {
		if (val[i] == '\n' ||
		    (val[i] == '\r' && i + 1 < vlen && val[i + 1] == '\n'))
			continue;
		s[n++] = val[i] == '\0' ? ' ' : val[i];
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	s[n] = '\0';
	for (i = 0; s[i] == ' ' || s[i] == '\t'; i++)
		;
	if (i > 0)
		memmove(s, s + i, n - i + 1);
	return s;
}

/* The unfolded raw value of the first header called name, or NULL. */
char *
mime_header_get(const char *msg, size_t len, const char *name)
{
	const char	*val;
	size_t		 hlen, body, vlen;

	if (msg == NULL || name == NULL)
		return NULL;
	hlen = mime_header_end(msg, len, &body);
	if (!mime_header_find(msg, hlen, name, &val, &vlen))
		return NULL;
	return mime_header_unfold(val, vlen);
}
