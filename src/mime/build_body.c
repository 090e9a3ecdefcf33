/*
 * build_body.c - the text part of a built message: UTF-8 text as 7bit,
 * 8bit or quoted-printable (RFC 2045 sections 2.7, 2.8 and 6.7), and
 * format=flowed (RFC 3676).
 *
 * The text is first made regular: invalid UTF-8 becomes U+FFFD, CRLF
 * becomes LF, and a last line gets its line break.  Then, when flowed:
 * each line is a paragraph line whose quote depth is its leading ">"s
 * (section 4.5); trailing spaces are trimmed (section 4.2: a trailing
 * space would make a soft break); the line is cut after a space so each
 * piece is at most 72 characters with its trailing space (a word longer
 * than that stays whole); pieces of quoted lines repeat the quote marks
 * and a space, unquoted pieces that start with a space, ">" or "From "
 * are space-stuffed (section 4.4); "-- " (the signature separator) is
 * kept as it is (section 4.3).  delsp=no: the trailing space is text.
 *
 * The transfer encoding is then the plainest that is exact: 7bit for
 * ASCII, 8bit when allowed, else quoted-printable; any line over 998
 * octets (RFC 5322 section 2.1.1), a NUL or a CR alone forces
 * quoted-printable even when 8bit is allowed.  Quoted-printable lines are
 * at most 76 characters, soft breaks never split a character, blanks
 * before a line end are encoded (rule 3).  Line ends are CRLF.
 */
#include <string.h>

#include "mime/build_int.h"
#include "util/utf8.h"

/* Make the text regular: valid UTF-8, LF line ends, a final LF. */
static void
mime_build_text_norm(const char *s, size_t len, struct buf *out)
{
	uint32_t	cp;
	size_t		i = 0, n;

	while (i < len) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			buf_addc(out, '\n');
			i += 2;
			continue;
		}
		n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (cp == UTF8_BAD)
			buf_add(out, "\xef\xbf\xbd", 3);
		else
			buf_add(out, s + i, n);
		i += n;
	}
	if (out->len > 0 && out->data[out->len - 1] != '\n')
		buf_addc(out, '\n');
}

/*
 * Where the flowed piece starting at c[pos] ends: c + cn if the rest fits
 * in room characters, else just after the last space that keeps the
 * piece within room, else after the first space past it, else the end.
 */
static size_t
mime_build_flowed_break(const char *c, size_t cn, size_t pos, size_t room,
    bool sig_ok)
{
	size_t	j, chars = 0, best = 0;

	for (j = pos; j < cn; j++) {
		if (((unsigned char)c[j] & 0xc0) != 0x80)
			chars++;
		if (chars > room && best != 0)
			return best;
		if (c[j] != ' ' || j + 1 == cn)
			continue;
		/* A piece "-- " would read as a signature separator. */
		if (!sig_ok && j + 1 - pos == 3 &&
		    memcmp(c + pos, "-- ", 3) == 0)
			continue;
		if (chars <= room)
			best = j + 1;
		else
			return j + 1;
	}
	return cn;
}

/* Write one line (without its LF) as format=flowed lines. */
static void
mime_build_flowed_line(const char *l, size_t n, struct buf *out)
{
	const char	*c;
	size_t		 depth = 0, cn, pos = 0, end, room, i;
	bool		 stuff;

	if (n == 3 && memcmp(l, "-- ", 3) == 0) {
		buf_add(out, "-- \n", 4);
		return;
	}
	while (depth < n && l[depth] == '>')
		depth++;
	c = l + depth;
	cn = n - depth;
	if (depth > 0 && cn > 0 && c[0] == ' ') {
		c++;
		cn--;
	}
	while (cn > 0 && c[cn - 1] == ' ')
		cn--;
	do {
		stuff = depth > 0 ? cn > 0 : pos < cn && (c[pos] == ' ' ||
		    c[pos] == '>' || (cn - pos >= 5 &&
		    memcmp(c + pos, "From ", 5) == 0));
		room = depth + stuff < MIME_BUILD_FLOWED_WIDTH ?
		    MIME_BUILD_FLOWED_WIDTH - depth - stuff : 0;
		end = mime_build_flowed_break(c, cn, pos, room,
		    depth > 0 || stuff);
		for (i = 0; i < depth; i++)
			buf_addc(out, '>');
		if (stuff)
			buf_addc(out, ' ');
		buf_add(out, c + pos, end - pos);
		buf_addc(out, '\n');
		pos = end;
	} while (pos < cn);
}

/* Rewrite regular text (LF ends) as format=flowed. */
static void
mime_build_flowed(const char *s, size_t len, struct buf *out)
{
	const char	*nl;
	size_t		 i = 0, e;

	while (i < len) {
		nl = memchr(s + i, '\n', len - i);
		e = nl != NULL ? (size_t)(nl - s) : len;
		mime_build_flowed_line(s + i, e - i, out);
		i = e + 1;
	}
}

/* The transfer encoding regular text needs: "7bit", "8bit" or
 * "quoted-printable". */
static const char *
mime_build_text_cte(const char *s, size_t len, bool allow_8bit)
{
	size_t	i, line = 0;
	bool	ascii = true, bad = false;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			line = 0;
			continue;
		}
		if (++line > MIME_BUILD_LINE_MAX || s[i] == '\0' ||
		    s[i] == '\r')
			bad = true;
		if ((unsigned char)s[i] >= 0x80)
			ascii = false;
	}
	if (bad)
		return "quoted-printable";
	if (ascii)
		return "7bit";
	return allow_8bit ? "8bit" : "quoted-printable";
}

/* Whether byte c at the end of a line (last) is written as itself. */
static bool
mime_build_qp_literal(unsigned char c, bool last)
{
	if (c == ' ' || c == '\t')
		return !last;
	return c >= 33 && c <= 126 && c != '=';
}

/* Append one line (without its line end) quoted-printable. */
static void
mime_build_qp_line(const char *l, size_t n, struct buf *out)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)l;
	uint32_t		 cp;
	size_t			 j = 0, k, clen, w, col = 0;

	while (j < n) {
		clen = utf8_decode(p + j, n - j, &cp);
		for (w = 0, k = j; k < j + clen; k++)
			w += mime_build_qp_literal(p[k], k + 1 == n) ? 1 : 3;
		/* 76 with the "=" of a soft break, which the last needs not. */
		if (col + w > (j + clen == n ? 76 : 75)) {
			buf_add(out, "=\r\n", 3);
			col = 0;
		}
		for (k = j; k < j + clen; k++) {
			if (mime_build_qp_literal(p[k], k + 1 == n))
				buf_addc(out, (char)p[k]);
			else {
				buf_addc(out, '=');
				buf_addc(out, hex[p[k] >> 4]);
				buf_addc(out, hex[p[k] & 15]);
			}
		}
		col += w;
		j += clen;
	}
}

/* Append regular text with its LFs made CRLF, encoded per cte. */
static void
mime_build_text_lines(const char *s, size_t len, bool qp, struct buf *out)
{
	const char	*nl;
	size_t		 i = 0, e;

	while (i < len) {
		nl = memchr(s + i, '\n', len - i);
		e = nl != NULL ? (size_t)(nl - s) : len;
		if (qp)
			mime_build_qp_line(s + i, e - i, out);
		else
			buf_add(out, s + i, e - i);
		if (nl != NULL)
			buf_add(out, "\r\n", 2);
		i = e + 1;
	}
}

/* Append the text part: its Content-Type and Content-Transfer-Encoding,
 * the empty line, the encoded text. */
void
mime_build_text(const struct mime_build_msg *m, struct buf *out)
{
	struct buf	 norm = BUF_INITIALIZER(0), fl = BUF_INITIALIZER(0);
	struct buf	*t = &norm;
	const char	*cte;

	if (m->body != NULL)
		mime_build_text_norm(m->body, m->body_len, &norm);
	if (m->flowed) {
		mime_build_flowed(buf_str(&norm), norm.len, &fl);
		t = &fl;
	}
	cte = mime_build_text_cte(buf_str(t), t->len, m->allow_8bit);
	buf_printf(out, "Content-Type: text/plain; charset=utf-8%s\r\n"
	    "Content-Transfer-Encoding: %s\r\n\r\n",
	    m->flowed ? "; format=flowed; delsp=no" : "", cte);
	mime_build_text_lines(buf_str(t), t->len, cte[0] == 'q', out);
	buf_fini(&fl);
	buf_fini(&norm);
}
