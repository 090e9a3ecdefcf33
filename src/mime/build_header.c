/*
 * build_header.c - writing header fields for the message builder: folding
 * (RFC 5322 section 2.2.3), encoded words (RFC 2047 sections 2, 4 and 5),
 * unstructured text (RFC 5322 section 3.2.5) and phrases (display and
 * group names, RFC 5322 section 3.2.5 with RFC 2047 section 5 (3)).
 *
 * What is written:
 * - Text is first made clean (mime_build_clean): invalid UTF-8 becomes
 *   U+FFFD, each run of blanks and line breaks one space, ends trimmed.
 *   So words are separated by exactly one space, which is where lines
 *   fold: folding turns that space into CRLF SP and unfolding undoes it.
 * - A word is written as it is when it is printable ASCII, holds no "=?"
 *   (which a reader would take for an encoded word) and fits a line;
 *   else it is encoded, with its neighbours that need it too, as one run
 *   of encoded words: the spaces inside a run are encoded with it, as the
 *   whitespace between two encoded words is dropped (section 6.2).
 * - A run is "B" or "Q", whichever is shorter; "Q" uses only the
 *   characters section 5 (3) allows in a phrase, so one encoder serves
 *   both contexts.  Each word holds whole UTF-8 characters (section 5),
 *   is at most 75 characters, and is cut to fill the current line.
 * - Lines are at most 78 octets, and 76 when they hold an encoded word.
 *   Only a token that can be neither folded nor encoded (an addr-spec,
 *   a msg-id, at most MIME_BUILD_TOKEN_MAX) may make a line longer, on a
 *   line of its own, always under 998.
 */
#include <string.h>

#include "mime/build_int.h"
#include "util/utf8.h"

static const char mime_build_hex[] = "0123456789ABCDEF";

/* Start a header field: "Name:"; the first token brings its space. */
void
mime_hdr_start(struct mime_hdr *h, struct buf *out, const char *name)
{
	h->out = out;
	buf_adds(out, name);
	buf_addc(out, ':');
	h->col = strlen(name) + 1;
	h->ew_line = false;
	buf_init(&h->pend, 0);
	h->pend_ew = false;
	h->have_pend = false;
}

/* Write the held-back token, folding before it when it does not fit. */
static void
mime_hdr_flush(struct mime_hdr *h)
{
	size_t	limit;

	if (!h->have_pend)
		return;
	limit = h->pend_ew || h->ew_line ? MIME_BUILD_FOLD_EW :
	    MIME_BUILD_FOLD;
	if (h->col > 0 && h->col + 1 + h->pend.len > limit) {
		buf_add(h->out, "\r\n", 2);
		h->col = 0;
		h->ew_line = false;
	}
	buf_addc(h->out, ' ');
	buf_add(h->out, buf_str(&h->pend), h->pend.len);
	h->col += 1 + h->pend.len;
	h->ew_line |= h->pend_ew;
	buf_reset(&h->pend);
	h->have_pend = false;
}

/* End the field: the last token and CRLF. */
void
mime_hdr_end(struct mime_hdr *h)
{
	mime_hdr_flush(h);
	buf_add(h->out, "\r\n", 2);
	buf_fini(&h->pend);
}

/* Add a token, separated from the one before by a space (or a fold);
 * ew says it is an encoded word. */
void
mime_hdr_token(struct mime_hdr *h, const char *s, size_t len, bool ew)
{
	mime_hdr_flush(h);
	buf_add(&h->pend, s, len);
	h->pend_ew = ew;
	h->have_pend = true;
}

/* Glue punctuation to the last token (no space, no fold between). */
void
mime_hdr_glue(struct mime_hdr *h, const char *s)
{
	if (!h->have_pend) {
		buf_adds(h->out, s);
		h->col += strlen(s);
		return;
	}
	buf_adds(&h->pend, s);
}

/* A copy of s that is valid UTF-8 (U+FFFD for what is not, and for NUL),
 * with each run of blanks and line breaks made one space, trimmed. */
char *
mime_build_clean(const char *s, size_t len)
{
	struct buf	 b = BUF_INITIALIZER(0);
	uint32_t	 cp;
	size_t		 i = 0, n;
	bool		 space = false;

	while (i < len) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		    s[i] == '\n') {
			space = true;
			i++;
			continue;
		}
		if (space && b.len > 0)
			buf_addc(&b, ' ');
		space = false;
		n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (cp == UTF8_BAD || cp == 0)
			buf_add(&b, "\xef\xbf\xbd", 3);
		else
			buf_add(&b, s + i, n);
		i += n;
	}
	return buf_take(&b);
}

/* Whether c is written as itself in "Q" text (RFC 2047 section 5 (3)). */
static bool
mime_build_q_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '!' || c == '*' || c == '+' ||
	    c == '-' || c == '/';
}

/* Octets one byte takes in "Q" text. */
static size_t
mime_build_q_len(unsigned char c)
{
	return mime_build_q_safe(c) || c == ' ' ? 1 : 3;
}

/* Octets of s as one encoded word in enc. */
static size_t
mime_build_ew_len(const char *s, size_t len, char enc)
{
	size_t	i, q = 0;

	if (enc == 'B')
		return 12 + (len + 2) / 3 * 4;
	for (i = 0; i < len; i++)
		q += mime_build_q_len((unsigned char)s[i]);
	return 12 + q;
}

/* 'Q' or 'B': whichever spells s shorter (section 4: both are fine). */
char
mime_build_ew_pick(const char *s, size_t len)
{
	return mime_build_ew_len(s, len, 'Q') <= mime_build_ew_len(s, len,
	    'B') ? 'Q' : 'B';
}

/*
 * Append one encoded word ("=?UTF-8?Q?...?=") holding as many whole
 * characters from the start of s (valid UTF-8) as fit in max octets;
 * returns the bytes taken (0 when not even one fits).
 */
size_t
mime_build_ew(const char *s, size_t len, char enc, size_t max,
    struct buf *out)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 n = 0, cost = 0, c, k, i;

	while (n < len) {
		c = utf8_decode(p + n, len - n, &cp);
		if (enc == 'B')
			k = (n + c + 2) / 3 * 4;
		else {
			for (k = cost, i = 0; i < c; i++)
				k += mime_build_q_len(p[n + i]);
		}
		if (12 + k > max)
			break;
		cost = k;
		n += c;
	}
	if (n == 0)
		return 0;
	buf_adds(out, enc == 'B' ? "=?UTF-8?B?" : "=?UTF-8?Q?");
	/* At most 47 bytes: one base64 line, no line break. */
	if (enc == 'B')
		mime_build_base64(s, n, out);
	for (i = 0; enc == 'Q' && i < n; i++) {
		if (p[i] == ' ')
			buf_addc(out, '_');
		else if (mime_build_q_safe(p[i]))
			buf_addc(out, (char)p[i]);
		else {
			buf_addc(out, '=');
			buf_addc(out, mime_build_hex[p[i] >> 4]);
			buf_addc(out, mime_build_hex[p[i] & 15]);
		}
	}
	buf_add(out, "?=", 2);
	return n;
}

/*
 * Write s (clean text) as a run of encoded words, each cut to fill the
 * line it starts on.  A run that one word can hold is not cut but moved
 * to the next line: a reader that keeps the space between two words of
 * a phrase (Python's email does, against section 6.2) then shows it
 * right too.
 */
void
mime_hdr_encode(struct mime_hdr *h, const char *s, size_t len)
{
	struct buf	 w = BUF_INITIALIZER(0);
	size_t		 off = 0, room, n, whole;
	char		 enc;

	enc = mime_build_ew_pick(s, len);
	whole = mime_build_ew_len(s, len, enc);
	while (off < len) {
		mime_hdr_flush(h);
		room = h->col + 1 < MIME_BUILD_FOLD_EW ?
		    MIME_BUILD_FOLD_EW - h->col - 1 : 0;
		if (h->col > 0 && (room < MIME_BUILD_EW_MIN ||
		    (off == 0 && whole <= MIME_BUILD_EW_MAX && whole > room))) {
			buf_add(h->out, "\r\n", 2);
			h->col = 0;
			h->ew_line = false;
			room = MIME_BUILD_FOLD_EW - 1;
		}
		if (room > MIME_BUILD_EW_MAX)
			room = MIME_BUILD_EW_MAX;
		buf_reset(&w);
		n = mime_build_ew(s + off, len - off, enc, room, &w);
		if (n == 0)	/* cannot happen: room >= EW_MIN */
			break;
		mime_hdr_token(h, buf_str(&w), w.len, true);
		off += n;
	}
	buf_fini(&w);
}

/* Whether a word of unstructured text may be written as it is. */
static bool
mime_build_plain(const char *s, size_t len)
{
	size_t	i;

	if (len > MIME_BUILD_WORD_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return false;
		if (s[i] == '=' && i + 1 < len && s[i + 1] == '?')
			return false;
	}
	return true;
}

/* Length of the word at s[i] (up to the next space). */
static size_t
mime_build_word(const char *s, size_t len, size_t i)
{
	const char	*sp;

	sp = memchr(s + i, ' ', len - i);
	return sp != NULL ? (size_t)(sp - (s + i)) : len - i;
}

/* Write unstructured text (s clean): plain words as they are, runs of
 * words that need it as encoded words. */
void
mime_hdr_text(struct mime_hdr *h, const char *s)
{
	size_t	len = strlen(s), i = 0, n, end, j;

	while (i < len) {
		n = mime_build_word(s, len, i);
		if (mime_build_plain(s + i, n)) {
			mime_hdr_token(h, s + i, n, false);
			i += n + 1;
			continue;
		}
		/* Take the following words that need encoding too. */
		for (end = i + n; end < len; end = j + n) {
			j = end + 1;
			n = mime_build_word(s, len, j);
			if (mime_build_plain(s + j, n))
				break;
		}
		mime_hdr_encode(h, s + i, end - i);
		i = end + 1;
	}
}

/* Whether c is atext (RFC 5322 section 3.2.3). */
bool
mime_build_atext(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* How a clean phrase can be written: 'A' atoms, 'Q' one quoted string,
 * 'E' encoded words. */
static char
mime_build_phrase_kind(const char *s, size_t len)
{
	size_t	i, word = 0, quoted = 2;
	bool	atoms = true;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < ' ' || (unsigned char)s[i] >= 0x7f ||
		    (s[i] == '=' && i + 1 < len && s[i + 1] == '?'))
			return 'E';
		quoted += s[i] == '"' || s[i] == '\\' ? 2 : 1;
		word = s[i] == ' ' ? 0 : word + 1;
		if (word > MIME_BUILD_WORD_MAX ||
		    (s[i] != ' ' && !mime_build_atext(s[i])))
			atoms = false;
	}
	if (atoms)
		return 'A';
	return quoted <= MIME_BUILD_WORD_MAX ? 'Q' : 'E';
}

/* Write a display or group name (s clean, not empty); true if it ended
 * in an encoded word. */
bool
mime_hdr_phrase(struct mime_hdr *h, const char *s)
{
	struct buf	 q = BUF_INITIALIZER(0);
	size_t		 len = strlen(s), i, n;

	switch (mime_build_phrase_kind(s, len)) {
	case 'A':
		for (i = 0; i < len; i += n + 1) {
			n = mime_build_word(s, len, i);
			mime_hdr_token(h, s + i, n, false);
		}
		return false;
	case 'Q':
		buf_addc(&q, '"');
		for (i = 0; i < len; i++) {
			if (s[i] == '"' || s[i] == '\\')
				buf_addc(&q, '\\');
			buf_addc(&q, s[i]);
		}
		buf_addc(&q, '"');
		mime_hdr_token(h, buf_str(&q), q.len, false);
		buf_fini(&q);
		return false;
	default:
		mime_hdr_encode(h, s, len);
		return true;
	}
}
