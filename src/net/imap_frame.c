/*
 * imap_frame.c - where one complete IMAP response ends.
 *
 * A response is one or more line segments; a segment that ends with a
 * literal header "{n}" or "{n+}" (RFC 3501 section 4.3, RFC 7888) is
 * followed by exactly n bytes and then the next segment.  This file only
 * measures: it never copies or interprets the bytes, and it keeps enough
 * state that bytes arriving one at a time are not rescanned.  Every bound
 * (segment length, literal size, whole response) is checked before the
 * bytes have to be held, so a peer cannot make the caller buffer more than
 * IMAP_RESP_MAX.  Literals are judged when announced: only one after a
 * body item may be big; any other literal over IMAP_LITERAL_MAX (a 64 MiB
 * "subject") is dropped by the caller as it streams in, so such a message
 * costs a skipped FETCH, not the connection or the memory.
 */
#include <string.h>
#include <strings.h>

#include "net/imap_parse.h"

/* Start looking for a new response. */
void
imap_frame_init(struct imap_frame *fr)
{
	memset(fr, 0, sizeof *fr);
}

/*
 * Whether the token before the literal header at p[brace] names a body
 * section: "BODY[...]", "BINARY[...]" (either with "<origin>"), or
 * "RFC822", "RFC822.HEADER", "RFC822.TEXT".  A section's brackets may
 * hold spaces and parentheses ("BODY[HEADER.FIELDS (A B)]").
 */
static bool
imap_frame_body(const char *p, size_t brace)
{
	size_t	 end, i;

	if (brace == 0 || p[brace - 1] != ' ')
		return false;
	end = i = brace - 1;
	if (i > 0 && p[i - 1] == '>') {
		while (i > 0 && p[i - 1] != '<')
			i--;
		if (i-- == 0)
			return false;
	}
	if (i > 0 && p[i - 1] == ']') {
		while (i > 0 && p[i - 1] != '[')
			i--;
		if (i-- == 0)
			return false;
		end = i + 1;		/* "BODY[" */
	}
	while (i > 0 && p[i - 1] != ' ' && p[i - 1] != '(')
		i--;
	if (end - i == 5 && strncasecmp(p + i, "BODY[", 5) == 0)
		return true;
	if (end - i == 7 && strncasecmp(p + i, "BINARY[", 7) == 0)
		return true;
	return end - i >= 6 && strncasecmp(p + i, "RFC822", 6) == 0 &&
	    (end - i == 6 || p[i + 6] == '.');
}

/*
 * If the segment [p, p + len) (without its line end) ends with a literal
 * header, return 1 with its size and whether it is a body; 0 if not; -1
 * if the header is malformed or too big even for a body.
 */
static int
imap_frame_literal(const char *p, size_t len, uint64_t *size, bool *body,
    struct error *err)
{
	size_t		 i, ndigits = 0;
	uint64_t	 n = 0;

	if (len < 3 || p[len - 1] != '}')
		return 0;
	i = len - 1;
	if (p[i - 1] == '+')
		i--;
	while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9') {
		i--;
		ndigits++;
	}
	if (i == 0 || p[i - 1] != '{')
		return 0;
	if (ndigits == 0) {
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "IMAP literal without a length");
	}
	if (ndigits > 10) {
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_ACCOUNT,
		    "IMAP literal too large");
	}
	*body = imap_frame_body(p, i - 1);
	for (; p[i] >= '0' && p[i] <= '9'; i++)
		n = n * 10 + (uint64_t)(p[i] - '0');
	if (n > IMAP_BODY_MAX) {
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_ACCOUNT,
		    "IMAP literal of %llu bytes is larger than %d",
		    (unsigned long long)n, IMAP_BODY_MAX);
	}
	*size = n;
	return 1;
}

/*
 * A literal that is not a body and too big to hold: drop its bytes as
 * they come (bounded too: a response may not drop more than a body).
 */
static int
imap_frame_drop(struct imap_frame *fr, size_t data, uint64_t lit,
    struct error *err)
{
	if (fr->dropped + lit > IMAP_BODY_MAX) {
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_ACCOUNT,
		    "IMAP response with more than %d bytes of oversized "
		    "literals", IMAP_BODY_MAX);
	}
	fr->dropped += lit;
	fr->drop_at = data;
	fr->drop_left = lit;
	fr->pos = fr->scan = data;
	return 0;
}

/* The caller removed n bytes at drop_at. */
void
imap_frame_dropped(struct imap_frame *fr, size_t n)
{
	fr->drop_left -= n < fr->drop_left ? n : fr->drop_left;
}

/* A whole response of resp_len bytes: report it and start afresh. */
static int
imap_frame_done(struct imap_frame *fr, size_t resp_len, size_t *out)
{
	bool	 truncated = fr->dropped > 0;

	imap_frame_init(fr);
	fr->truncated = truncated;
	*out = resp_len;
	return 1;
}

/* Find the end of the first complete response in buf. */
int
imap_frame_next(struct imap_frame *fr, const char *buf, size_t len,
    size_t *resp_len, struct error *err)
{
	const char	*nl;
	size_t		 seglen, end;
	uint64_t	 lit = 0;
	bool		 body = false;
	int		 r;

	for (;;) {
		if (fr->drop_left > 0)
			return len > fr->drop_at ? 2 : 0;
		if (fr->pos > len || fr->scan >= len)
			return 0;	/* inside a literal, or need more */
		nl = memchr(buf + fr->scan, '\n', len - fr->scan);
		if (nl == NULL) {
			fr->scan = len;
			if (len - fr->pos > IMAP_LINE_MAX)
				goto toolong;
			return 0;
		}
		end = (size_t)(nl - buf);
		seglen = end - fr->pos;
		if (seglen > IMAP_LINE_MAX)
			goto toolong;
		if (seglen > 0 && buf[end - 1] == '\r')
			seglen--;
		r = imap_frame_literal(buf + fr->pos, seglen, &lit, &body, err);
		if (r == -1)
			return -1;
		if (r == 0)
			return imap_frame_done(fr, end + 1, resp_len);
		if (!body && lit > IMAP_LITERAL_MAX) {
			if (imap_frame_drop(fr, end + 1, lit, err) == -1)
				return -1;
			continue;
		}
		if (end + 1 + lit > IMAP_RESP_MAX) {
			return error_set(err, ERR_TOOBIG, ERR_SCOPE_ACCOUNT,
			    "IMAP response larger than %d bytes",
			    IMAP_RESP_MAX);
		}
		fr->pos = end + 1 + (size_t)lit;
		fr->scan = fr->pos;
	}

toolong:
	return error_set(err, ERR_TOOBIG, ERR_SCOPE_ACCOUNT,
	    "IMAP response line longer than %d bytes", IMAP_LINE_MAX);
}
