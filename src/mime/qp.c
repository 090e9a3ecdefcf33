/*
 * qp.c - the quoted-printable content-transfer-encoding (RFC 2045
 * section 6.7).
 *
 * "=XX" (either case) is a byte, "=" at the end of a line (after optional
 * blanks a gateway may have added) is a soft line break, blanks at the end
 * of a line are transport padding and dropped (rule 3).  A "=" not followed
 * by two hex digits is kept as written, as rule 1 suggests for robustness.
 * Hard line breaks are kept as the input wrote them ("\r\n" or "\n").
 */
#include <string.h>

#include "mime/mime.h"
#include "mime/mime_int.h"

/* The value of a hex digit, or -1 (QP, Q words and RFC 2231 use it). */
int
mime_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode one line (without its line break) into out; *soft is set if the
 * line ended in a soft line break. */
static int
mime_qp_line(const char *s, size_t len, struct buf *out, int *soft)
{
	size_t	i, run = 0, end = len;
	int	hi, lo;

	while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t' ||
	    s[end - 1] == '\r'))
		end--;
	*soft = end > 0 && s[end - 1] == '=';
	if (*soft)
		end--;
	for (i = 0; i < end; i++) {
		if (s[i] != '=' || i + 2 >= end ||
		    (hi = mime_hex_value(s[i + 1])) < 0 ||
		    (lo = mime_hex_value(s[i + 2])) < 0)
			continue;
		if (buf_add(out, s + run, i - run) == -1 ||
		    buf_addc(out, (char)(hi << 4 | lo)) == -1)
			return -1;
		i += 2;
		run = i + 1;
	}
	return buf_add(out, s + run, end - run);
}

/* Append the decoded form of quoted-printable text to out. */
int
mime_qp_decode(const char *in, size_t len, struct buf *out)
{
	size_t		 off = 0, eol, next;
	const char	*nl;
	int		 soft, crlf;

	while (off < len) {
		nl = memchr(in + off, '\n', len - off);
		eol = nl != NULL ? (size_t)(nl - in) : len;
		next = nl != NULL ? eol + 1 : len;
		crlf = eol > off && in[eol - 1] == '\r';
		if (mime_qp_line(in + off, eol - off, out, &soft) == -1)
			return -1;
		if (nl != NULL && !soft &&
		    buf_add(out, crlf ? "\r\n" : "\n", crlf ? 2 : 1) == -1)
			return -1;
		off = next;
	}
	return 0;
}
