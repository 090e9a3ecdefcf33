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
 * IMAP_RESP_MAX.
 */
#include <string.h>

#include "net/imap_parse.h"

/* Start looking for a new response. */
void
imap_frame_init(struct imap_frame *fr)
{
	fr->pos = 0;
	fr->scan = 0;
}

/*
 * If the segment [p, p + len) (without its line end) ends with a literal
 * header, return 1 and its size; 0 if not; -1 if the header is malformed
 * or too big.
 */
static int
imap_frame_literal(const char *p, size_t len, uint64_t *size,
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

/* Find the end of the first complete response in buf. */
int
imap_frame_next(struct imap_frame *fr, const char *buf, size_t len,
    size_t *resp_len, struct error *err)
{
	const char	*nl;
	size_t		 seglen, end;
	uint64_t	 lit = 0;
	int		 r;

	for (;;) {
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
		r = imap_frame_literal(buf + fr->pos, seglen, &lit, err);
		if (r == -1)
			return -1;
		if (r == 0) {
			*resp_len = end + 1;
			imap_frame_init(fr);
			return 1;
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
