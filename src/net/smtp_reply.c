/*
 * smtp_reply.c - the SMTP reply parser (smtp_reply.h).
 *
 * RFC 5321 4.2: a reply is one or more lines "CODE-text" ending with one
 * "CODE text" (or a bare "CODE"); CODE is three digits, the first 2 to 5
 * (RFC 5321 4.2.1; 1yz is never sent in SMTP), the second 0 to 5.  Every
 * line of a multi-line reply carries the same code.  RFC 3463 2 / RFC
 * 2034: the text of a 2xx, 4xx or 5xx line may start with an enhanced
 * status code "class.subject.detail" whose class is the code's first
 * digit.
 *
 * Framing is strict: lines end in CRLF; a bare LF, or a CR anywhere else,
 * is an error (RFC 5321 2.3.8), so nobody can hide a reply inside another.
 *
 * What it must not do: read outside the bytes fed, hold more than one
 * line and one reply (smtp_reply.h gives the limits), or go on after an
 * error.
 */
#include <string.h>

#include "net/smtp_reply.h"
#include "util/sanitize.h"

/* Start between replies. */
void
smtp_parser_init(struct smtp_parser *pp)
{
	memset(pp, 0, sizeof *pp);
	buf_init(&pp->line, SMTP_LINE_MAX + 1);		/* and the CR */
	buf_init(&pp->reply.text, SMTP_REPLY_MAX);
}

/* Free the buffers. */
void
smtp_parser_fini(struct smtp_parser *pp)
{
	buf_fini(&pp->line);
	buf_fini(&pp->reply.text);
}

/* Empty the reply. */
static void
smtp_reply_clear(struct smtp_reply *r)
{
	buf_reset(&r->text);
	r->code = 0;
	r->enh[0] = '\0';
	r->nlines = 0;
}

/* Forget everything. */
void
smtp_parser_reset(struct smtp_parser *pp)
{
	buf_reset(&pp->line);
	smtp_reply_clear(&pp->reply);
	pp->done = pp->failed = false;
}

/* Whether part of a reply is held. */
bool
smtp_parser_partial(const struct smtp_parser *pp)
{
	return pp->line.len > 0 || (!pp->done && pp->reply.nlines > 0);
}

/* Fail for good; -1. */
static int
smtp_parse_fail(struct smtp_parser *pp, struct error *err,
    enum error_code code, const char *what)
{
	pp->failed = true;
	return error_set(err, code, ERR_SCOPE_ACCOUNT, "%s", what);
}

/* A "not an SMTP reply" error quoting the start of the line, sanitised. */
static int
smtp_parse_junk(struct smtp_parser *pp, const char *p, size_t len,
    struct error *err)
{
	struct buf	 b;

	buf_init(&b, 0);
	(void)sanitize_append(&b, p, len > 40 ? 40 : len, 0);
	pp->failed = true;
	error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
	    "server sent something that is not an SMTP reply: \"%s\"%s",
	    buf_str(&b), len > 40 ? "..." : "");
	buf_fini(&b);
	return -1;
}

/* The length of "d.ddd.ddd" at p with class cls, then SP or end; or 0. */
size_t
smtp_enh_len(const char *p, size_t len, char cls)
{
	size_t	 i = 0, n;
	int	 part;

	if (len < 5 || p[0] != cls || (cls != '2' && cls != '4' &&
	    cls != '5') || p[1] != '.')
		return 0;
	i = 2;
	for (part = 0; part < 2; part++) {
		for (n = 0; i < len && n < 4 && p[i] >= '0' && p[i] <= '9';
		    n++)
			i++;
		if (n == 0 || n > 3)
			return 0;
		if (part == 0 && (i >= len || p[i++] != '.'))
			return 0;
	}
	if (i < len && p[i] != ' ')
		return 0;
	return i;
}

/* Whether the three bytes are a reply code RFC 5321 4.2 allows. */
static bool
smtp_code_ok(const char *p)
{
	return p[0] >= '2' && p[0] <= '5' && p[1] >= '0' && p[1] <= '5' &&
	    p[2] >= '0' && p[2] <= '9';
}

/* A whole line (without CRLF) is in pp->line: add it to the reply. */
static int
smtp_parse_line(struct smtp_parser *pp, struct error *err)
{
	struct smtp_reply	*r = &pp->reply;
	const char		*p = buf_str(&pp->line), *text;
	size_t			 len = pp->line.len, tlen, elen;
	int			 code;

	if (len < 3 || !smtp_code_ok(p) || (len > 3 && p[3] != ' ' &&
	    p[3] != '-'))
		return smtp_parse_junk(pp, p, len, err);
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	if (r->nlines > 0 && code != r->code) {
		pp->failed = true;
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "server sent a reply whose lines carry different codes "
		    "(%d, then %d)", r->code, code);
	}
	if (r->nlines == SMTP_REPLY_LINES)
		return smtp_parse_fail(pp, err, ERR_TOOBIG, "server sent a "
		    "reply of more than 100 lines");
	text = len > 4 ? p + 4 : p + len;
	tlen = len > 4 ? len - 4 : 0;
	if ((r->nlines > 0 && buf_addc(&r->text, '\n') == -1) ||
	    buf_add(&r->text, text, tlen) == -1)
		return smtp_parse_fail(pp, err, ERR_TOOBIG, "server sent a "
		    "reply longer than 64 KiB");
	if (r->nlines == 0) {
		r->code = code;
		elen = smtp_enh_len(text, tlen, p[0]);
		if (elen > 0 && elen < sizeof r->enh) {
			memcpy(r->enh, text, elen);
			r->enh[elen] = '\0';
		}
	}
	r->nlines++;
	pp->done = len == 3 || p[3] == ' ';
	return 0;
}

/* Take bytes up to a line end into pp->line; whether the line ended. */
static int
smtp_parse_take(struct smtp_parser *pp, const char *p, size_t len,
    size_t *used, struct error *err)
{
	const char	*nl = memchr(p, '\n', len);
	const char	*cr;
	size_t		 n = nl != NULL ? (size_t)(nl - p) : len;

	/* A CR may only come right before the LF. */
	cr = memchr(p, '\r', n);
	if (cr != NULL && (size_t)(cr - p) + 1 != n)
		return smtp_parse_fail(pp, err, ERR_PROTOCOL, "server sent a "
		    "CR that does not end a line");
	if (n > 0 && pp->line.len > 0 &&
	    pp->line.data[pp->line.len - 1] == '\r')
		return smtp_parse_fail(pp, err, ERR_PROTOCOL, "server sent a "
		    "CR that does not end a line");
	if (buf_add(&pp->line, p, n) == -1)
		return smtp_parse_fail(pp, err, ERR_TOOBIG, "server sent a "
		    "reply line longer than 20 KiB");
	*used = n;
	if (nl == NULL)
		return 0;
	*used = n + 1;
	if (pp->line.len == 0 || pp->line.data[pp->line.len - 1] != '\r')
		return smtp_parse_fail(pp, err, ERR_PROTOCOL, "server sent a "
		    "line ending in a bare LF, not CRLF");
	pp->line.len--;
	pp->line.data[pp->line.len] = '\0';
	return 1;
}

/* Feed bytes (smtp_reply.h). */
int
smtp_parser_feed(struct smtp_parser *pp, const char *p, size_t len,
    size_t *used, struct error *err)
{
	size_t	 off = 0, n = 0;
	int	 rc;

	*used = 0;
	if (pp->failed)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "SMTP reply stream already failed");
	while (off < len) {
		if (pp->done)
			smtp_reply_clear(&pp->reply);
		pp->done = false;
		if ((rc = smtp_parse_take(pp, p + off, len - off, &n,
		    err)) == -1)
			return -1;
		off += n;
		*used = off;
		if (rc == 0)
			continue;
		rc = smtp_parse_line(pp, err);
		buf_reset(&pp->line);
		if (rc == -1)
			return -1;
		if (pp->done)
			return 1;
	}
	return 0;
}

/* The next line of the text. */
bool
smtp_reply_line(const struct smtp_reply *r, size_t *pos, const char **p,
    size_t *len)
{
	const char	*t = buf_str(&r->text), *nl;
	size_t		 tlen = r->text.len;

	if (*pos > tlen || r->nlines == 0)
		return false;
	nl = memchr(t + *pos, '\n', tlen - *pos);
	*p = t + *pos;
	*len = nl != NULL ? (size_t)(nl - *p) : tlen - *pos;
	*pos += *len + 1;
	return true;
}

/* The text, sanitised and bounded. */
void
smtp_reply_append(const struct smtp_reply *r, struct buf *out, size_t max)
{
	const char	*p;
	size_t		 pos = 0, len, used = 0, elen;
	bool		 first = true;

	while (smtp_reply_line(r, &pos, &p, &len)) {
		elen = first ? 0 : smtp_enh_len(p, len, r->enh[0]);
		if (elen > 0 && elen == strlen(r->enh) &&
		    memcmp(p, r->enh, elen) == 0) {
			p += elen;
			len -= elen;
			while (len > 0 && *p == ' ') {
				p++;
				len--;
			}
		}
		if (len == 0)
			continue;
		if (!first)
			buf_adds(out, " / ");
		first = false;
		if (used + len > max) {
			(void)sanitize_append(out, p, max - used, 0);
			buf_adds(out, "...");
			return;
		}
		(void)sanitize_append(out, p, len, 0);
		used += len;
	}
}
