/*
 * envelope.c - what the message list needs of a header block (RFC 5322
 * section 3.6): Date, From, To, Cc, Subject, Message-ID, In-Reply-To and
 * References; and the message ids of the last three (section 3.6.4, with
 * RFC 6532 UTF-8), read one way for all three so that threads match.
 *
 * An id is "<", one or more characters other than blanks, controls, "<"
 * and ">", then ">"; anything else between ids is junk and dropped, as
 * are ids that are not valid UTF-8.  Of a References: longer than
 * MIME_REFERENCES_MAX the last ids, the nearest ancestors, are kept.
 *
 * This runs once for every message a folder download brings, so it reads
 * the block once: one memchr per line, a dispatch on the field name, and
 * only the eight fields it wants are handed on, still folded (each parser
 * unfolds as it reads).  Where the block ends follows header.c (an empty
 * line, or a line that is neither a field nor a continuation; a leading
 * mbox "From " line is skipped), but it does not use mime_header_find,
 * which would scan the block again for every field.  Section 3.6 allows
 * each of these fields once; when one is repeated the first wins.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/address.h"
#include "mime/mime.h"
#include "mime/mime_int.h"
#include "util/xmalloc.h"

/* Longest Message-ID: kept when it holds no "<id>" (the line limit of
 * RFC 5322 section 2.1.1). */
#define MIME_ENV_MSGID_RAW_MAX	998

/* The fields read, in the order of mime_env_names. */
enum mime_env_field {
	MIME_ENV_DATE,
	MIME_ENV_FROM,
	MIME_ENV_TO,
	MIME_ENV_CC,
	MIME_ENV_SUBJECT,
	MIME_ENV_MSGID,
	MIME_ENV_IRT,
	MIME_ENV_REFS,
	MIME_ENV_COUNT
};

static const char *const mime_env_names[MIME_ENV_COUNT] = {
	"Date", "From", "To", "Cc", "Subject", "Message-ID", "In-Reply-To",
	"References"
};

/* Which wanted field the name (s, n) is, or -1.  The length and first
 * letter pick the candidate, so most names cost no string compare. */
static int
mime_env_lookup(const char *s, size_t n)
{
	int	f;

	switch (n) {
	case 2:
		f = (s[0] | 0x20) == 't' ? MIME_ENV_TO : MIME_ENV_CC;
		break;
	case 4:
		f = (s[0] | 0x20) == 'd' ? MIME_ENV_DATE : MIME_ENV_FROM;
		break;
	case 7:
		f = MIME_ENV_SUBJECT;
		break;
	case 10:
		f = (s[0] | 0x20) == 'm' ? MIME_ENV_MSGID : MIME_ENV_REFS;
		break;
	case 11:
		f = MIME_ENV_IRT;
		break;
	default:
		return -1;
	}
	return strncasecmp(s, mime_env_names[f], n) == 0 ? f : -1;
}

/* Whether c may stand inside a message id: not a blank, a control, "<"
 * or ">". */
static bool
mime_msgid_char(char c)
{
	return (unsigned char)c > ' ' && c != 0x7f && c != '<' && c != '>';
}

/* Whether the id s[from, to] is well-formed text: ASCII, or UTF-8 (RFC
 * 6532); ids with other bytes are dropped as junk. */
static bool
mime_msgid_text(const char *s, size_t from, size_t to, bool high)
{
	return !high || mime_utf8_valid(s + from, to - from + 1);
}

/* Find the first id at or after *from: true, with the id at
 * s[*from, *end]. */
static bool
mime_msgid_next(const char *s, size_t len, size_t *from, size_t *end)
{
	size_t	i, j;
	bool	high;

	for (i = *from; i < len; i = j) {
		if (s[i] != '<') {
			j = i + 1;
			continue;
		}
		high = false;
		for (j = i + 1; j < len && mime_msgid_char(s[j]); j++)
			high |= (unsigned char)s[j] >= 0x80;
		if (j < len && s[j] == '>' && j > i + 1 &&
		    mime_msgid_text(s, i, j, high)) {
			*from = i;
			*end = j;
			return true;
		}
	}
	return false;
}

/* Where the kept ids start: walking back from the end, the most ids that
 * fit in MIME_REFERENCES_MAX bytes with their separators. */
static size_t
mime_msgids_from(const char *s, size_t len)
{
	size_t	i = len, k, e, from = len, total = 0, n;
	bool	high;

	while (i > 0) {
		if (s[--i] != '>')
			continue;
		high = false;
		for (e = k = i; k > 0 && mime_msgid_char(s[k - 1]); k--)
			high |= (unsigned char)s[k - 1] >= 0x80;
		if (k == 0 || s[k - 1] != '<' || k == e) {
			i = k;	/* s[k - 1], if any, is looked at next */
			continue;
		}
		i = k - 1;
		n = e - i + 1;
		if (!mime_msgid_text(s, i, e, high))
			continue;
		if (total + n + (total > 0) > MIME_REFERENCES_MAX)
			break;
		total += n + (total > 0);
		from = i;
	}
	return from;
}

/* The message ids of a References: or In-Reply-To: value. */
char *
mime_msgids(const char *s, size_t len)
{
	struct buf	b = BUF_INITIALIZER(MIME_REFERENCES_MAX);
	size_t		i, e;

	if (s == NULL)
		return NULL;
	/* The same ids the backward walk counted, so they all fit. */
	for (i = mime_msgids_from(s, len); mime_msgid_next(s, len, &i, &e);
	    i = e + 1) {
		if (b.len > 0)
			buf_addc(&b, ' ');
		buf_add(&b, s + i, e - i + 1);
	}
	if (b.len == 0) {
		buf_fini(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* The first "<id>" of a Message-ID: value (RFC 5322 3.6.4), read as
 * mime_msgids reads ids so that the two match for threading; else the
 * trimmed value, capped; NULL if empty. */
static char *
mime_env_msgid(const char *v, size_t n)
{
	struct buf	 b = BUF_INITIALIZER(4 * MIME_HEADER_MAX);
	char		*u;
	size_t		 i, e;

	for (i = 0; mime_msgid_next(v, n, &i, &e); i = e + 1) {
		if (e - i < MIME_REFERENCES_MAX)
			return xstrndup(v + i, e - i + 1);
	}
	u = mime_header_unfold(v, n);
	mime_charset_guess(u, strlen(u), &b);
	free(u);
	if (b.len > MIME_ENV_MSGID_RAW_MAX) {
		/* Cut at a character boundary. */
		for (i = MIME_ENV_MSGID_RAW_MAX; i > 0 &&
		    ((unsigned char)b.data[i] & 0xc0) == 0x80; i--)
			;
		b.len = i;
		b.data[i] = '\0';
	}
	if (b.len == 0) {
		buf_fini(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* Set from_name and from_addr from the first mailbox of From:. */
static void
mime_env_from(struct mime_envelope *e, const char *v, size_t n)
{
	struct mime_address_list	l;
	size_t				i;

	mime_address_list_parse(v, n, &l);
	for (i = 0; i < l.n; i++) {
		if (l.v[i].name == NULL && l.v[i].addr == NULL)
			continue;	/* an empty group */
		e->from_name = l.v[i].name;
		e->from_addr = l.v[i].addr;
		l.v[i].name = l.v[i].addr = NULL;
		break;
	}
	mime_address_list_fini(&l);
}

/* An address list as one line. */
static char *
mime_env_line(const char *v, size_t n)
{
	struct mime_address_list	 l;
	char				*line;

	mime_address_list_parse(v, n, &l);
	line = mime_address_list_line(&l);
	mime_address_list_fini(&l);
	return line;
}

/* Read one wanted field's raw, folded value into the envelope. */
static void
mime_env_field(struct mime_envelope *e, int f, const char *v, size_t n)
{
	switch (f) {
	case MIME_ENV_DATE:
		e->date = mime_parse_date(v, n);
		break;
	case MIME_ENV_FROM:
		mime_env_from(e, v, n);
		break;
	case MIME_ENV_TO:
		e->to = mime_env_line(v, n);
		break;
	case MIME_ENV_CC:
		e->cc = mime_env_line(v, n);
		break;
	case MIME_ENV_SUBJECT:
		e->subject = mime_rfc2047_decode(v, n);
		break;
	case MIME_ENV_MSGID:
		e->message_id = mime_env_msgid(v, n);
		break;
	case MIME_ENV_IRT:
		e->in_reply_to = mime_msgids(v, n);
		break;
	case MIME_ENV_REFS:
		e->references = mime_msgids(v, n);
		break;
	}
}

/* Read the envelope of a header block in one pass. */
void
mime_envelope_parse(const char *hdr, size_t len, struct mime_envelope *out)
{
	const char	*nl;
	size_t		 off = 0, next, eol, colon, n, vstart = 0, vend = 0;
	unsigned int	 seen = 0;
	int		 cur = -1, f;

	memset(out, 0, sizeof *out);
	out->date = -1;
	if (hdr == NULL)
		return;
	if (len >= 5 && memcmp(hdr, "From ", 5) == 0) {
		nl = memchr(hdr, '\n', len);
		off = nl != NULL ? (size_t)(nl - hdr) + 1 : len;
	}
	for (; off < len; off = next) {
		nl = memchr(hdr + off, '\n', len - off);
		next = nl != NULL ? (size_t)(nl - hdr) + 1 : len;
		eol = nl != NULL ? (size_t)(nl - hdr) : len;
		if (eol > off && hdr[eol - 1] == '\r')
			eol--;
		if (eol == off)
			break;			/* the empty line */
		if (hdr[off] == ' ' || hdr[off] == '\t') {
			if (cur != -1)
				vend = eol;	/* a continuation line */
			continue;
		}
		if (cur != -1)
			mime_env_field(out, cur, hdr + vstart, vend - vstart);
		cur = -1;
		if ((colon = mime_header_field(hdr + off, eol - off,
		    &n)) == 0)
			break;			/* not a field: the body */
		f = mime_env_lookup(hdr + off, n);
		if (f != -1 && (seen & (1u << f)) == 0) {
			seen |= 1u << f;
			cur = f;
			vstart = off + colon;
			vend = eol;
		}
	}
	if (cur != -1)
		mime_env_field(out, cur, hdr + vstart, vend - vstart);
}

/* Free what an envelope holds. */
void
mime_envelope_fini(struct mime_envelope *e)
{
	free(e->from_name);
	free(e->from_addr);
	free(e->to);
	free(e->cc);
	free(e->subject);
	free(e->message_id);
	free(e->in_reply_to);
	free(e->references);
	memset(e, 0, sizeof *e);
	e->date = -1;
}
