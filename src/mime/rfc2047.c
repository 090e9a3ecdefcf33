/*
 * rfc2047.c - encoded words in header values (RFC 2047, with the RFC 2231
 * section 5 language suffix "=?charset*lang?Q?...?=").
 *
 * Decoding rules, and where they bend the RFC on purpose:
 * - The value is unfolded first (RFC 2047 section 2 words never span lines).
 * - Encoded words are recognised anywhere, also glued to other text
 *   ("Re:=?utf-8?q?x?="), as most mail readers do.
 * - Linear whitespace between two encoded words is dropped (section 6.2).
 *   The decoded bytes of adjacent words in the same charset are gathered
 *   before conversion, so a character split across two words (which
 *   section 5 forbids but mailers produce) comes out whole.
 * - Encoded text may contain blanks (NeoMutt issue #1189) and may be up to
 *   MIME_EW_MAX bytes long instead of 75.
 * - A malformed word, or one in a charset we cannot convert, is kept as
 *   written.  Text outside encoded words is shown as UTF-8 when it is valid
 *   UTF-8 (RFC 6532) and as windows-1252 otherwise (raw 8-bit headers).
 * - The result is UTF-8, at most MIME_HEADER_MAX bytes; a decoded NUL
 *   becomes U+FFFD so the result is a whole C string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/mime.h"
#include "mime/mime_int.h"
#include "util/xmalloc.h"

/* Longest encoded word accepted. */
#define MIME_EW_MAX	1024

/* One parsed encoded word. */
struct mime_ew {
	const char	*cs;		/* charset, without a language */
	size_t		 cslen;
	char		 enc;		/* 'B' or 'Q' */
	const char	*text;
	size_t		 tlen;
	size_t		 end;		/* just past the closing "?=" */
};

/* The decoding state: the input, the output, the run of same-charset
 * words not yet converted. */
struct mime_ew_state {
	const char	*s;
	size_t		 len;
	size_t		 close;		/* cached position of the next "?=" */
	struct buf	 out;
	struct buf	 raw;		/* decoded bytes of the pending run */
	const char	*run_cs;
	size_t		 run_cslen;
	size_t		 run_start;	/* span of the run in s */
	size_t		 run_end;
	bool		 in_run;
};

/* Find the next "?=" at or after from; len if none.  Cached so the whole
 * scan stays linear however many "=?" the input holds. */
static size_t
mime_ew_close(struct mime_ew_state *st, size_t from)
{
	const char	*p;
	size_t		 i;

	if (st->close != SIZE_MAX && st->close >= from)
		return st->close;
	if (st->close == st->len)
		return st->len;
	st->close = st->len;
	for (i = from; i + 1 < st->len; i++) {
		p = memchr(st->s + i, '?', st->len - i - 1);
		if (p == NULL)
			break;
		i = (size_t)(p - st->s);
		if (st->s[i + 1] == '=') {
			st->close = i;
			break;
		}
	}
	return st->close;
}

/* Parse an encoded word starting at off ("=?"); false if there is none. */
static bool
mime_ew_parse(struct mime_ew_state *st, size_t off, struct mime_ew *ew)
{
	const char	*s = st->s, *star;
	size_t		 i = off + 2, close;

	while (i < st->len && i - off < MIME_CHARSET_NAME_MAX + 2 &&
	    s[i] > ' ' && s[i] < 0x7f && s[i] != '?')
		i++;
	if (i == off + 2 || i + 2 >= st->len || s[i] != '?' ||
	    s[i + 2] != '?')
		return false;
	ew->cs = s + off + 2;
	ew->cslen = i - (off + 2);
	if ((star = memchr(ew->cs, '*', ew->cslen)) != NULL)
		ew->cslen = (size_t)(star - ew->cs);
	ew->enc = s[i + 1] == 'b' ? 'B' : s[i + 1] == 'q' ? 'Q' : s[i + 1];
	if (ew->cslen == 0 || (ew->enc != 'B' && ew->enc != 'Q'))
		return false;
	ew->text = s + i + 3;
	close = mime_ew_close(st, i + 3);
	if (close >= st->len || close - off + 2 > MIME_EW_MAX)
		return false;
	ew->tlen = close - (i + 3);
	ew->end = close + 2;
	return true;
}

/* Decode "Q" encoded text (RFC 2047 section 4.2). */
static int
mime_ew_q(const char *t, size_t len, struct buf *out)
{
	size_t	i;
	int	hi, lo;
	char	c;

	for (i = 0; i < len; i++) {
		c = t[i];
		if (c == '_')
			c = ' ';
		else if (c == '=' && i + 2 < len &&
		    (hi = mime_hex_value(t[i + 1])) >= 0 &&
		    (lo = mime_hex_value(t[i + 2])) >= 0) {
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (buf_addc(out, c) == -1)
			return -1;
	}
	return 0;
}

/* Append text that is not an encoded word. */
static void
mime_ew_literal(struct mime_ew_state *st, size_t from, size_t to)
{
	if (to > from)
		mime_charset_guess(st->s + from, to - from, &st->out);
}

/* Convert the pending run of words; an unknown charset keeps them as
 * written. */
static void
mime_ew_flush(struct mime_ew_state *st)
{
	int	r;

	if (!st->in_run)
		return;
	r = mime_charset_convert(st->run_cs, st->run_cslen, st->raw.data != NULL ?
	    st->raw.data : "", st->raw.len, &st->out);
	if (r == MIME_CHARSET_UNKNOWN)
		mime_ew_literal(st, st->run_start, st->run_end);
	buf_reset(&st->raw);
	st->in_run = false;
}

/* Whether s[from, to) is only blanks. */
static bool
mime_ew_blank(const char *s, size_t from, size_t to)
{
	for (; from < to; from++) {
		if (s[from] != ' ' && s[from] != '\t')
			return false;
	}
	return true;
}

/* Take one encoded word at off whose literal text before it starts at
 * lit. */
static void
mime_ew_take(struct mime_ew_state *st, size_t lit, size_t off,
    const struct mime_ew *ew)
{
	if (!st->in_run || !mime_ew_blank(st->s, lit, off)) {
		mime_ew_flush(st);
		mime_ew_literal(st, lit, off);
	} else if (st->run_cslen != ew->cslen ||
	    strncasecmp(st->run_cs, ew->cs, ew->cslen) != 0)
		mime_ew_flush(st);
	if (!st->in_run) {
		st->in_run = true;
		st->run_cs = ew->cs;
		st->run_cslen = ew->cslen;
		st->run_start = off;
	}
	if (ew->enc == 'B')
		mime_base64_decode(ew->text, ew->tlen, &st->raw);
	else
		mime_ew_q(ew->text, ew->tlen, &st->raw);
	st->run_end = ew->end;
}

/* Replace NUL bytes in a finished result by U+FFFD. */
static char *
mime_ew_finish(struct buf *out)
{
	struct buf	 b = BUF_INITIALIZER(MIME_HEADER_MAX);
	size_t		 i, run = 0;

	if (out->len == 0 || memchr(out->data, '\0', out->len) == NULL)
		return buf_take(out);
	for (i = 0; i < out->len; i++) {
		if (out->data[i] != '\0')
			continue;
		buf_add(&b, out->data + run, i - run);
		buf_add(&b, "\xef\xbf\xbd", 3);
		run = i + 1;
	}
	buf_add(&b, out->data + run, out->len - run);
	buf_fini(out);
	return buf_take(&b);
}

/* Decode the encoded words of a header value; a new UTF-8 string. */
char *
mime_rfc2047_decode(const char *s, size_t len)
{
	struct mime_ew_state	 st;
	struct mime_ew		 ew;
	char			*u;
	size_t			 off = 0, lit = 0;

	u = mime_header_unfold(s != NULL ? s : "", s != NULL ? len : 0);
	memset(&st, 0, sizeof st);
	st.s = u;
	st.len = strlen(u);
	st.close = SIZE_MAX;
	buf_init(&st.out, MIME_HEADER_MAX);
	buf_init(&st.raw, MIME_HEADER_MAX);
	while (off + 1 < st.len) {
		if (u[off] != '=' || u[off + 1] != '?' ||
		    !mime_ew_parse(&st, off, &ew)) {
			off++;
			continue;
		}
		mime_ew_take(&st, lit, off, &ew);
		off = lit = ew.end;
	}
	mime_ew_flush(&st);
	mime_ew_literal(&st, lit, st.len);
	buf_fini(&st.raw);
	free(u);
	return mime_ew_finish(&st.out);
}
